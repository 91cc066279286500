//! Example plugin: credits granted per period, prorated for members who join
//! mid-period and scaled for part-time contracts.
//!
//! Implements `period_grant`. Without config it starts from what the hub's
//! declarative policy would grant (`policy_credits`).

use std::collections::BTreeMap;

use hearth_plugin_sdk::prelude::*;
use serde::Deserialize;

/// The hub's config for this plugin; every field is optional.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Credits for a full period; the hub's policy amount when absent.
    pub credits_per_period: Option<u32>,
    /// Grant a member who joined during the period only the share of it left.
    pub prorate_new_members: bool,
    /// Percentage of the grant per eligibility group value, e.g. `{"contract:part_time": 50}`.
    pub group_percent: BTreeMap<String, u32>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            credits_per_period: None,
            prorate_new_members: true,
            group_percent: BTreeMap::new(),
        }
    }
}

/// `period_grant`: full credits, scaled by group and prorated by join date, rounded to nearest.
pub fn period_grant(ctx: &Context<Config>, input: PeriodGrantInput) -> Result<PeriodGrant, String> {
    let config = &ctx.config;
    let full = config.credits_per_period.unwrap_or(input.policy_credits);
    let percent = input
        .member
        .groups
        .iter()
        .filter_map(|(group, value)| config.group_percent.get(&format!("{group}:{value}")))
        .copied()
        .min()
        .unwrap_or(100);
    let mut credits = u64::from(full) * u64::from(percent);
    let mut denominator = 100_u64;

    if config.prorate_new_members {
        let start = date(&input.period.start, "period start")?;
        let end = date(&input.period.end, "period end")?;
        let joined = date(&input.member.joined_on, "join date")?;
        let length = start.days_until(end);
        if length <= 0 {
            return Err(format!("empty period {}", input.period.label));
        }
        if joined > start {
            let left = joined.days_until(end).clamp(0, length) as u64;
            credits *= left;
            denominator *= length as u64;
        }
    }
    let rounded = (credits + denominator / 2) / denominator;
    Ok(PeriodGrant::credits(rounded.min(u64::from(u32::MAX)) as u32))
}

fn date(text: &str, what: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("invalid {what} {text:?}"))
}

hearth_plugin_sdk::export_hooks! {
    config = Config;
    period_grant = period_grant;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(joined_on: &str, contract: &str) -> PeriodGrantInput {
        PeriodGrantInput {
            member: Member {
                joined_on: joined_on.into(),
                groups: [("contract".to_string(), contract.to_string())].into(),
                ..Member::default()
            },
            period: Period {
                start: "2026-04-01".into(),
                end: "2026-07-01".into(),
                label: "2026-Q2".into(),
            },
            policy_credits: 8,
        }
    }

    fn ctx(config: Config) -> Context<Config> {
        Context {
            hub: Hub::default(),
            config,
        }
    }

    #[test]
    fn members_who_joined_before_the_period_get_it_all() {
        let got = period_grant(&ctx(Config::default()), input("2025-01-10", "full_time"));
        assert_eq!(got, Ok(PeriodGrant::credits(8)));
    }

    #[test]
    fn members_who_join_halfway_get_about_half() {
        // 45 of 91 days left.
        let got = period_grant(&ctx(Config::default()), input("2026-05-17", "full_time"));
        assert_eq!(got, Ok(PeriodGrant::credits(4)));
    }

    #[test]
    fn part_time_contracts_are_scaled() {
        let config = Config {
            credits_per_period: Some(10),
            group_percent: [("contract:part_time".to_string(), 50)].into(),
            ..Config::default()
        };
        let got = period_grant(&ctx(config), input("2025-01-10", "part_time"));
        assert_eq!(got, Ok(PeriodGrant::credits(5)));
    }
}
