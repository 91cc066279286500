//! The Hearth plugin ABI, version 1: names, envelope and the JSON schemas of every hook.
//!
//! This module is the single source of truth for the wire format. The host
//! (`hearth-plugins`) depends on it with `default-features = false`, and guests
//! get it through the [`crate::export_hooks!`] macro, so the two sides cannot
//! drift apart. `plugins/ABI.md` describes the same format for authors in other
//! languages.
//!
//! Every input and output type ignores unknown fields when parsed, so adding a
//! field to an input is a compatible change within ABI v1.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The ABI version this crate speaks. A module declares it with the marker export [`names::ABI_MARKER`].
pub const ABI_VERSION: u32 = 1;

/// Names of the exports and imports that make up ABI v1.
pub mod names {
    /// Marker export (any kind; a function with no parameters and no results is simplest)
    /// declaring that the module speaks ABI v1.
    pub const ABI_MARKER: &str = "hearth_abi_v1";
    /// The module's linear memory, through which input and output pass.
    pub const MEMORY: &str = "memory";
    /// `(len: i32) -> i32`: reserve `len` bytes in guest memory for the input and return their address.
    pub const ALLOC: &str = "hearth_alloc";
    /// `(ptr: i32, len: i32)`: optional; the host never calls it in v1, since every call gets a fresh instance.
    pub const DEALLOC: &str = "hearth_dealloc";
    /// `() -> i64`: optional; returns the packed address and length of a JSON document describing the config.
    pub const CONFIG_SCHEMA: &str = "hearth_config_schema";
    /// Module name of the only import the host offers.
    pub const IMPORT_MODULE: &str = "hearth";
    /// `hearth.log(level: i32, ptr: i32, len: i32)`: a capped log line (UTF-8) for the operator.
    pub const LOG: &str = "log";
}

/// The hooks a plugin may export. A plugin exports only those it implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hook {
    /// What a booking costs in credits, or a refusal shown to the member.
    CreditCost,
    /// How many credits a member is granted for a period.
    PeriodGrant,
    /// Whether a booking is allowed at all.
    BookingAllowed,
    /// Theme variables and texts for a hub page.
    Theme,
}

impl Hook {
    /// Every hook of ABI v1.
    pub const ALL: [Hook; 4] = [
        Hook::CreditCost,
        Hook::PeriodGrant,
        Hook::BookingAllowed,
        Hook::Theme,
    ];

    /// The hook's name as it appears in the envelope, logs and metrics.
    pub const fn as_str(self) -> &'static str {
        match self {
            Hook::CreditCost => "credit_cost",
            Hook::PeriodGrant => "period_grant",
            Hook::BookingAllowed => "booking_allowed",
            Hook::Theme => "theme",
        }
    }

    /// The name of the export implementing the hook: `(ptr: i32, len: i32) -> i64`.
    pub const fn export_name(self) -> &'static str {
        match self {
            Hook::CreditCost => "hearth_credit_cost",
            Hook::PeriodGrant => "hearth_period_grant",
            Hook::BookingAllowed => "hearth_booking_allowed",
            Hook::Theme => "hearth_theme",
        }
    }
}

impl std::fmt::Display for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Packs a guest address and length into the `i64` a hook returns: `(ptr << 32) | len`.
pub const fn pack(ptr: u32, len: u32) -> u64 {
    ((ptr as u64) << 32) | len as u64
}

/// Splits the `i64` a hook returns into `(ptr, len)`.
pub const fn unpack(packed: u64) -> (u32, u32) {
    ((packed >> 32) as u32, packed as u32)
}

/// The hub a call is made for. Only what a plugin needs to brand or configure itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hub {
    /// Stable opaque identifier of the hub.
    pub id: String,
    /// The hub's slug, as in `<slug>.<base domain>`.
    pub slug: String,
    /// The hub's display name.
    pub name: String,
}

/// What a guest receives for every hook call:
/// `{"abi":1,"hook":"credit_cost","hub":{..},"config":{..},"input":{..}}`.
///
/// `config` is the JSON the hub's HR admin saved for this plugin (`null` when none).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Envelope<C, I> {
    /// Always [`ABI_VERSION`].
    pub abi: u32,
    /// The hook being called.
    pub hook: Hook,
    /// The hub the call is made for.
    pub hub: Hub,
    /// The hub's plugin config, `None` when the admin saved none.
    #[serde(default)]
    pub config: Option<C>,
    /// The hook's input.
    pub input: I,
}

/// Well-known values of [`Booking::session_type`]. Other values may appear later.
pub mod session_type {
    /// One member with one professional.
    pub const INDIVIDUAL: &str = "individual";
    /// Two partners with one professional.
    pub const COUPLES: &str = "couples";
    /// A family session.
    pub const FAMILY: &str = "family";
    /// A group session.
    pub const GROUP: &str = "group";
}

/// A service a professional offers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Stable identifier of the service.
    pub id: String,
    /// Display name, e.g. "Couples therapy".
    pub name: String,
    /// Optional category chosen by the professional, e.g. "therapy", "coaching".
    #[serde(default)]
    pub category: Option<String>,
}

/// The professional of a booking. Never personal data beyond an opaque id and a kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Professional {
    /// Stable opaque identifier.
    pub id: String,
    /// Kind of professional, e.g. "psychologist", "coach", "counsellor".
    pub kind: String,
}

/// A booking a member is about to make.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    /// The booked service.
    pub service: Service,
    /// Length of the session in minutes.
    pub duration_minutes: u32,
    /// One of [`session_type`]'s values.
    pub session_type: String,
    /// Who the session is with.
    pub professional: Professional,
    /// Start time, RFC 3339 in the hub's time zone, e.g. `2026-03-14T18:30:00+01:00`.
    pub starts_at: String,
}

/// A credit period of the hub, e.g. a month or a quarter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// First day of the period, `YYYY-MM-DD`.
    pub start: String,
    /// First day after the period, `YYYY-MM-DD` (exclusive).
    pub end: String,
    /// Human label, e.g. `2026-Q1` or `2026-03`.
    pub label: String,
}

/// A booking the member already holds in the current period (cancelled ones excluded).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastBooking {
    /// The service's id.
    pub service_id: String,
    /// One of [`session_type`]'s values.
    pub session_type: String,
    /// Start time, RFC 3339 in the hub's time zone.
    pub starts_at: String,
    /// Credits it cost.
    pub credits: u32,
}

/// The member's use of the hub in the current credit period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberHistory {
    /// The hub's current credit period.
    pub period: Period,
    /// The member's bookings in that period, oldest first.
    #[serde(default)]
    pub bookings: Vec<PastBooking>,
    /// Credits granted to the member for the period.
    #[serde(default)]
    pub credits_granted: u32,
    /// Credits already spent in the period.
    #[serde(default)]
    pub credits_spent: u32,
}

/// Input of the `credit_cost` hook.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditCostInput {
    /// The booking being priced.
    pub booking: Booking,
    /// The member's history this period.
    pub history: MemberHistory,
}

/// Input of the `booking_allowed` hook.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingAllowedInput {
    /// The booking being checked.
    pub booking: Booking,
    /// The member's history this period.
    pub history: MemberHistory,
}

/// A member as a plugin sees it: pseudonymous, with HR-defined eligibility groups only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Opaque identifier, stable within the hub.
    pub id: String,
    /// Role in the hub, e.g. "employee".
    pub role: String,
    /// Day the member joined the hub, `YYYY-MM-DD`.
    pub joined_on: String,
    /// Eligibility groups set by the HR admin, e.g. `{"contract": "part_time"}`.
    #[serde(default)]
    pub groups: BTreeMap<String, String>,
}

/// Input of the `period_grant` hook.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodGrantInput {
    /// The member being granted credits.
    pub member: Member,
    /// The period the grant is for.
    pub period: Period,
    /// What the hub's declarative policy would grant, for plugins that adjust it.
    pub policy_credits: u32,
}

/// Where a theme is rendered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeContext {
    /// Today in the hub's time zone, `YYYY-MM-DD`. The only clock a plugin sees.
    pub date: String,
    /// Page being rendered, e.g. "home", "booking", "dashboard", "email".
    pub page: String,
    /// Locale of the page, e.g. "en", "fr-BE".
    #[serde(default)]
    pub locale: String,
}

/// Input of the `theme` hook.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeInput {
    /// Where the theme is rendered.
    pub context: ThemeContext,
}

/// Output of `credit_cost`: `{"decision":"cost","credits":2}` or `{"decision":"refuse","reason":".."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum CreditCost {
    /// The booking costs this many credits.
    Cost {
        /// Credits debited from the member's balance.
        credits: u32,
    },
    /// The booking is refused; `reason` is shown to the member.
    Refuse {
        /// A short sentence for the member.
        reason: String,
    },
}

impl CreditCost {
    /// The booking costs `credits`.
    pub fn cost(credits: u32) -> Self {
        CreditCost::Cost { credits }
    }

    /// The booking is refused, with a reason shown to the member.
    pub fn refuse(reason: impl Into<String>) -> Self {
        CreditCost::Refuse {
            reason: reason.into(),
        }
    }
}

/// Output of `period_grant`: `{"decision":"grant","credits":10}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum PeriodGrant {
    /// Grant this many credits for the period.
    Grant {
        /// Credits granted.
        credits: u32,
    },
}

impl PeriodGrant {
    /// Grant `credits` for the period.
    pub fn credits(credits: u32) -> Self {
        PeriodGrant::Grant { credits }
    }
}

/// Output of `booking_allowed`: `{"decision":"allow"}` or `{"decision":"refuse","reason":".."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum BookingAllowed {
    /// The booking may go ahead.
    Allow,
    /// The booking is refused; `reason` is shown to the member.
    Refuse {
        /// A short sentence for the member, e.g. "At most 2 sessions a month."
        reason: String,
    },
}

impl BookingAllowed {
    /// The booking is refused, with a reason shown to the member.
    pub fn refuse(reason: impl Into<String>) -> Self {
        BookingAllowed::Refuse {
            reason: reason.into(),
        }
    }
}

/// Output of `theme`: `{"decision":"theme","variables":{..},"texts":{..}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Theme {
    /// Overrides for the hub's theme on this page.
    Theme {
        /// Theme variables (as in `theme.toml`), e.g. `{"primary_color": "#c0392b"}`.
        #[serde(default)]
        variables: BTreeMap<String, String>,
        /// Texts, e.g. `{"welcome_title": "Happy holidays"}`; plain text, escaped when rendered.
        #[serde(default)]
        texts: BTreeMap<String, String>,
    },
}

impl Theme {
    /// A theme with the given variables and texts.
    pub fn new(variables: BTreeMap<String, String>, texts: BTreeMap<String, String>) -> Self {
        Theme::Theme { variables, texts }
    }
}

/// What a hook answers: a decision, a deferral to the hub's declarative policy, or an error.
///
/// On the wire a decision is the output type's own JSON; the other two are
/// `{"decision":"defer"}` and `{"decision":"error","message":".."}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply<T> {
    /// The plugin decided.
    Decide(T),
    /// The plugin leaves this case to the hub's declarative policy.
    Defer,
    /// The plugin could not decide (bad config, unexpected input); counted as a plugin failure.
    Fail {
        /// Logged for the operator, never shown to members.
        message: String,
    },
}

/// The two wire forms that are not a decision.
#[derive(Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
enum Control {
    Defer,
    Error { message: String },
}

impl<T: Serialize> Serialize for Reply<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Reply::Decide(value) => value.serialize(serializer),
            Reply::Defer => Control::Defer.serialize(serializer),
            Reply::Fail { message } => Control::Error {
                message: message.clone(),
            }
            .serialize(serializer),
        }
    }
}

impl<T: serde::de::DeserializeOwned> Reply<T> {
    /// Parses a hook's output. A decision is tried first, as it is by far the common case.
    pub fn from_json(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        match serde_json::from_slice::<T>(bytes) {
            Ok(value) => Ok(Reply::Decide(value)),
            Err(decision_error) => match serde_json::from_slice::<Control>(bytes) {
                Ok(Control::Defer) => Ok(Reply::Defer),
                Ok(Control::Error { message }) => Ok(Reply::Fail { message }),
                Err(_) => Err(decision_error),
            },
        }
    }
}

impl<T> From<T> for Reply<T> {
    fn from(value: T) -> Self {
        Reply::Decide(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_round_trip_through_their_wire_forms() {
        let cost: Reply<CreditCost> = CreditCost::cost(2).into();
        let json = serde_json::to_string(&cost).unwrap();
        assert_eq!(json, r#"{"decision":"cost","credits":2}"#);
        assert_eq!(
            Reply::<CreditCost>::from_json(json.as_bytes()).unwrap(),
            cost
        );

        let defer = serde_json::to_string(&Reply::<CreditCost>::Defer).unwrap();
        assert_eq!(defer, r#"{"decision":"defer"}"#);
        assert_eq!(
            Reply::<CreditCost>::from_json(defer.as_bytes()).unwrap(),
            Reply::Defer
        );

        let fail = Reply::<BookingAllowed>::from_json(br#"{"decision":"error","message":"x"}"#);
        assert_eq!(
            fail.unwrap(),
            Reply::Fail {
                message: "x".into()
            }
        );
        assert!(Reply::<BookingAllowed>::from_json(br#"{"decision":"maybe"}"#).is_err());
        assert!(Reply::<BookingAllowed>::from_json(b"not json").is_err());
    }

    #[test]
    fn packing_keeps_address_and_length() {
        assert_eq!(unpack(pack(0x1234_5678, 20_480)), (0x1234_5678, 20_480));
        assert_eq!(unpack(pack(u32::MAX, u32::MAX)), (u32::MAX, u32::MAX));
    }
}
