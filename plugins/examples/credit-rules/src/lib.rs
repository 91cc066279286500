//! Example plugin: couples sessions cost 2 credits, at most 4 sessions a quarter.
//!
//! Implements `credit_cost` and `booking_allowed`; both numbers (and a surcharge
//! for long sessions) come from the hub's config, so an HR admin can tune the
//! rule without a new upload. Count-per-quarter uses the history the host
//! passes, which covers the hub's current credit period: use it with a
//! quarterly (or longer) period.

use hearth_plugin_sdk::prelude::*;
use serde::Deserialize;

/// The hub's config for this plugin; every field is optional.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Credits for a session that is not a couples session.
    pub base_cost: u32,
    /// Credits for a couples session.
    pub couples_cost: u32,
    /// Sessions longer than this many minutes cost one more credit (0: never).
    pub long_session_minutes: u32,
    /// Sessions a member may book in one calendar quarter (0: no limit).
    pub max_sessions_per_quarter: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_cost: 1,
            couples_cost: 2,
            long_session_minutes: 0,
            max_sessions_per_quarter: 4,
        }
    }
}

const CONFIG_SCHEMA: &str = r#"{
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "base_cost": {"type": "integer", "minimum": 0, "default": 1, "title": "Credits for a session"},
    "couples_cost": {"type": "integer", "minimum": 0, "default": 2, "title": "Credits for a couples session"},
    "long_session_minutes": {"type": "integer", "minimum": 0, "default": 0, "title": "Longer sessions cost one more credit (0: never)"},
    "max_sessions_per_quarter": {"type": "integer", "minimum": 0, "default": 4, "title": "Sessions per quarter (0: no limit)"}
  }
}"#;

/// Sessions the member already booked in the quarter of `booking`, or an error for a bad date.
fn sessions_this_quarter(booking: &Booking, history: &MemberHistory) -> Result<u32, String> {
    let day = Date::parse(&booking.starts_at)
        .ok_or_else(|| format!("invalid booking start {:?}", booking.starts_at))?;
    let same_quarter = |past: &PastBooking| {
        Date::parse(&past.starts_at)
            .is_some_and(|d| d.year == day.year && d.quarter() == day.quarter())
    };
    Ok(history.bookings.iter().filter(|b| same_quarter(b)).count() as u32)
}

/// The refusal, if the member has used up the quarter.
fn quarter_refusal(
    config: &Config,
    booking: &Booking,
    history: &MemberHistory,
) -> Result<Option<String>, String> {
    let limit = config.max_sessions_per_quarter;
    if limit == 0 || sessions_this_quarter(booking, history)? < limit {
        return Ok(None);
    }
    let sessions = if limit == 1 { "session" } else { "sessions" };
    Ok(Some(format!(
        "You can book at most {limit} {sessions} a quarter, and you have booked them all."
    )))
}

/// `credit_cost`: base or couples price, plus one for long sessions; refused past the quarter's limit.
pub fn credit_cost(ctx: &Context<Config>, input: CreditCostInput) -> Result<CreditCost, String> {
    let config = &ctx.config;
    let booking = &input.booking;
    if let Some(reason) = quarter_refusal(config, booking, &input.history)? {
        return Ok(CreditCost::refuse(reason));
    }
    let mut credits = if booking.session_type == session_type::COUPLES {
        config.couples_cost
    } else {
        config.base_cost
    };
    if config.long_session_minutes > 0 && booking.duration_minutes > config.long_session_minutes {
        credits += 1;
    }
    Ok(CreditCost::cost(credits))
}

/// `booking_allowed`: refused once the member has booked the quarter's limit.
pub fn booking_allowed(
    ctx: &Context<Config>,
    input: BookingAllowedInput,
) -> Result<BookingAllowed, String> {
    Ok(
        match quarter_refusal(&ctx.config, &input.booking, &input.history)? {
            Some(reason) => BookingAllowed::refuse(reason),
            None => BookingAllowed::Allow,
        },
    )
}

hearth_plugin_sdk::export_hooks! {
    config = Config;
    config_schema = CONFIG_SCHEMA;
    credit_cost = credit_cost;
    booking_allowed = booking_allowed;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn booking(session_type: &str, starts_at: &str) -> Booking {
        Booking {
            session_type: session_type.into(),
            starts_at: starts_at.into(),
            duration_minutes: 50,
            ..Booking::default()
        }
    }

    fn history(starts: &[&str]) -> MemberHistory {
        MemberHistory {
            bookings: starts
                .iter()
                .map(|s| PastBooking {
                    starts_at: (*s).into(),
                    credits: 1,
                    ..PastBooking::default()
                })
                .collect(),
            ..MemberHistory::default()
        }
    }

    fn ctx() -> Context<Config> {
        Context {
            hub: Hub::default(),
            config: Config::default(),
        }
    }

    #[test]
    fn couples_sessions_cost_two_credits() {
        let input = CreditCostInput {
            booking: booking("couples", "2026-02-10T10:00:00+01:00"),
            history: history(&[]),
        };
        assert_eq!(credit_cost(&ctx(), input), Ok(CreditCost::cost(2)));
    }

    #[test]
    fn the_fifth_session_of_a_quarter_is_refused() {
        let past = [
            "2026-01-05T10:00:00Z",
            "2026-01-20T10:00:00Z",
            "2026-02-03T10:00:00Z",
            "2026-03-01T10:00:00Z",
        ];
        let input = BookingAllowedInput {
            booking: booking("individual", "2026-03-20T10:00:00Z"),
            history: history(&past),
        };
        assert!(matches!(
            booking_allowed(&ctx(), input.clone()),
            Ok(BookingAllowed::Refuse { .. })
        ));
        let next_quarter = BookingAllowedInput {
            booking: booking("individual", "2026-04-02T10:00:00Z"),
            ..input
        };
        assert_eq!(
            booking_allowed(&ctx(), next_quarter),
            Ok(BookingAllowed::Allow)
        );
    }

    #[test]
    fn the_envelope_is_read_as_the_host_sends_it() {
        let input = br#"{"abi":1,"hook":"credit_cost","hub":{"id":"1","slug":"acme","name":"Acme"},
            "config":{"couples_cost":3},
            "input":{"booking":{"service":{"id":"s","name":"Couples"},"duration_minutes":50,
              "session_type":"couples","professional":{"id":"p","kind":"psychologist"},
              "starts_at":"2026-02-10T10:00:00+01:00"},
              "history":{"period":{"start":"2026-01-01","end":"2026-04-01","label":"2026-Q1"}}}}"#;
        let out = hearth_plugin_sdk::guest::dispatch::<Config, CreditCostInput, CreditCost, _>(
            input,
            credit_cost,
        );
        assert_eq!(out, br#"{"decision":"cost","credits":3}"#);
    }
}
