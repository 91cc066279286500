//! Proof that a hub controls its custom domain, before the domain serves it.
//!
//! An HR admin who adds `care.example.com` is given a token; the domain
//! serves the hub only once the DNS holds a TXT record
//! `_hearth-challenge.care.example.com` with the value `hearth-verify=<token>`.
//! The record is looked up with a real resolver (`hickory-resolver`, from
//! `/etc/resolv.conf` or the configured `dns_servers`), when the HR admin
//! asks and then periodically on every node ([`spawn_rechecks`]): a domain
//! whose record is gone stops serving, one whose DNS cannot be reached keeps
//! its last answer until it can.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hearth_tenants::registry::{self, DomainCheck};
use hickory_resolver::config::{NameServerConfig, ResolverConfig};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::proto::xfer::Protocol;
use hickory_resolver::TokioResolver;
use rand::RngCore as _;
use sqlx::PgPool;
use tokio::task::JoinHandle;

use crate::config::Config;

/// The label the TXT record sits under, in front of the domain.
pub const CHALLENGE_LABEL: &str = "_hearth-challenge";
/// What the record's value starts with, before the token.
pub const VALUE_PREFIX: &str = "hearth-verify=";

/// The name of the TXT record that proves `domain`.
pub fn record_name(domain: &str) -> String {
    format!("{CHALLENGE_LABEL}.{domain}")
}

/// The value the TXT record must hold for `token`.
pub fn record_value(token: &str) -> String {
    format!("{VALUE_PREFIX}{token}")
}

/// A new token: 128 random bits in hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What one lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// The record holds the token.
    Found,
    /// The DNS answered, and no record holds the token (no such name, no
    /// TXT record, or other values only).
    Missing,
    /// The DNS could not be asked (timeout, refused, server failure): no
    /// conclusion either way.
    Unreachable,
}

impl Proof {
    /// The outcome as the registry keeps it.
    pub fn as_check(&self) -> DomainCheck {
        match self {
            Self::Found => DomainCheck::Found,
            Self::Missing => DomainCheck::Missing,
            Self::Unreachable => DomainCheck::Unreachable,
        }
    }
}

/// Looks up proofs: one resolver per node, its cache off (every check asks).
#[derive(Clone)]
pub struct DomainChecker {
    resolver: Arc<TokioResolver>,
}

impl DomainChecker {
    /// A checker asking `config.dns_servers` (UDP, then TCP), or the system's
    /// resolvers when none are configured.
    pub fn new(config: &Config) -> anyhow::Result<Self> {
        let mut builder = if config.dns_servers.is_empty() {
            TokioResolver::builder_tokio()?
        } else {
            let servers: Vec<NameServerConfig> = config
                .dns_servers
                .iter()
                .flat_map(|addr: &SocketAddr| {
                    [
                        NameServerConfig::new(*addr, Protocol::Udp),
                        NameServerConfig::new(*addr, Protocol::Tcp),
                    ]
                })
                .collect();
            TokioResolver::builder_with_config(
                ResolverConfig::from_parts(None, Vec::new(), servers),
                TokioConnectionProvider::default(),
            )
        };
        let options = builder.options_mut();
        options.timeout = Duration::from_secs(3);
        options.attempts = 2;
        // A proof is only as good as its freshness: ask every time.
        options.positive_max_ttl = Some(Duration::ZERO);
        options.negative_max_ttl = Some(Duration::ZERO);
        Ok(Self {
            resolver: Arc::new(builder.build()),
        })
    }

    /// Whether `domain`'s challenge record holds `token`.
    pub async fn check(&self, domain: &str, token: &str) -> Proof {
        // Fully qualified: no search domains appended.
        let name = format!("{}.", record_name(domain));
        let expected = record_value(token);
        match self.resolver.txt_lookup(name).await {
            Ok(found) => {
                let holds = found.iter().any(|txt| {
                    // A long value may be split into several strings.
                    let joined: Vec<u8> = txt.txt_data().iter().flatten().copied().collect();
                    joined == expected.as_bytes()
                });
                if holds {
                    Proof::Found
                } else {
                    Proof::Missing
                }
            }
            Err(e) if e.is_nx_domain() || e.is_no_records_found() => Proof::Missing,
            Err(e) => {
                tracing::info!(domain, error = %e, "domain proof lookup failed");
                Proof::Unreachable
            }
        }
    }
}

/// Checks `domain` now and records the outcome; `None` when no hub holds it.
/// The domain starts serving when found, stops when missing, and keeps its
/// state when the DNS cannot be reached.
pub async fn check_now(
    pool: &PgPool,
    checker: &DomainChecker,
    domain: &str,
) -> sqlx::Result<Option<Proof>> {
    let mut conn = pool.acquire().await?;
    let Some(token) = registry::domain_token(&mut conn, domain).await? else {
        return Ok(None);
    };
    drop(conn);
    let proof = checker.check(domain, &token).await;
    let mut conn = pool.acquire().await?;
    registry::record_domain_check(&mut conn, domain, &token, proof.as_check()).await?;
    Ok(Some(proof))
}

/// Domains checked per round.
const BATCH: i64 = 50;

/// Re-checks domains on this node, forever: serving domains every `every`,
/// waiting ones five times as often (so a record just added is found without
/// anyone asking). Nodes share the work: each claims due domains with `SKIP
/// LOCKED` and marks them checked before asking the DNS.
pub fn spawn_rechecks(pool: PgPool, checker: DomainChecker, every: Duration) -> JoinHandle<()> {
    let waiting_every = every / 5;
    let tick = (waiting_every / 2).clamp(Duration::from_millis(200), Duration::from_secs(60));
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if let Err(e) = recheck_due(&pool, &checker, every, waiting_every).await {
                tracing::warn!(error = %e, "domain re-check round failed");
            }
        }
    })
}

async fn recheck_due(
    pool: &PgPool,
    checker: &DomainChecker,
    every: Duration,
    waiting_every: Duration,
) -> sqlx::Result<()> {
    let due = {
        let mut conn = pool.acquire().await?;
        registry::claim_due_domains(&mut conn, every, waiting_every, BATCH).await?
    };
    for (domain, token) in due {
        let proof = checker.check(&domain, &token).await;
        let mut conn = pool.acquire().await?;
        registry::record_domain_check(&mut conn, &domain, &token, proof.as_check()).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_is_named_and_valued_from_the_domain_and_token() {
        assert_eq!(
            record_name("care.example.com"),
            "_hearth-challenge.care.example.com"
        );
        assert_eq!(record_value("ab12"), "hearth-verify=ab12");
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
