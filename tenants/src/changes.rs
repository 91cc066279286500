//! Telling every node that data it caches has changed.
//!
//! The code that writes a cached table says so in the same transaction with
//! [`announce`]: a `NOTIFY`, which PostgreSQL delivers to every listening node
//! when (and only if) the transaction commits. There are no triggers doing it:
//! on a Citus cluster a trigger runs on every placement of a reference table
//! and a NOTIFY there cannot be part of a two-phase commit, and triggers on a
//! hub's tables are not made on the workers' shards at all. The statement runs
//! on the connection the application holds, which on Citus is the
//! coordinator, where the nodes listen.
//!
//! A change made by hand (psql) is not announced: `hearth cache reset` tells
//! every node to forget everything, and every cache also has a time to live.

use sqlx::PgConnection;

use crate::registry::TenantId;

/// The channel for hubs, their slugs, statuses and custom domains.
pub const HUBS: &str = "hearth_tenant_changed";
/// The channel for a hub page's data (payload: the hub's id; empty: all hubs).
pub const HUB_PAGE: &str = "hearth_hub_page_changed";
/// The channel for a hub's installed plugins (payload: the hub's id).
pub const PLUGINS: &str = "hearth_plugins_changed";
/// The channel for the access policies (`casbin_rule`).
pub const POLICIES: &str = "hearth_policy_changed";

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A hub was made, renamed, suspended or deleted, or its domains changed.
    Hubs,
    /// What one hub's page shows (its settings, roster, look).
    HubPage(TenantId),
    /// What any hub's page may show: a professional, a service, a name.
    AllHubPages,
    /// A hub's plugins (which also changes its page).
    Plugins(TenantId),
    /// The access policies.
    Policies,
    /// Anything: every node forgets every cached answer.
    Everything,
}

impl Change {
    /// The notifications this change sends, as (channel, payload).
    fn notifications(self) -> Vec<(&'static str, String)> {
        match self {
            Change::Hubs => vec![(HUBS, String::new())],
            Change::HubPage(hub) => vec![(HUB_PAGE, hub.0.to_string())],
            Change::AllHubPages => vec![(HUB_PAGE, String::new())],
            Change::Plugins(hub) => {
                vec![(PLUGINS, hub.0.to_string()), (HUB_PAGE, hub.0.to_string())]
            }
            Change::Policies => vec![(POLICIES, String::new())],
            Change::Everything => vec![
                (HUBS, String::new()),
                (HUB_PAGE, String::new()),
                (PLUGINS, String::new()),
                (POLICIES, String::new()),
            ],
        }
    }
}

/// Tells every node, when the transaction on `conn` commits, that `change`
/// happened. Outside a transaction it is sent at once.
pub async fn announce(conn: &mut PgConnection, change: Change) -> sqlx::Result<()> {
    let (channels, payloads): (Vec<&str>, Vec<String>) = change.notifications().into_iter().unzip();
    sqlx::query!(
        "SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS n (c, p)",
        &channels as &[&str],
        &payloads,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugins_change_the_hub_page_too() {
        let sent = Change::Plugins(TenantId(7)).notifications();
        assert_eq!(
            sent,
            vec![(PLUGINS, "7".to_owned()), (HUB_PAGE, "7".to_owned())]
        );
    }

    #[test]
    fn everything_reaches_every_channel() {
        let channels: Vec<_> = Change::Everything
            .notifications()
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        assert_eq!(channels, vec![HUBS, HUB_PAGE, PLUGINS, POLICIES]);
    }
}
