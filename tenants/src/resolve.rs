//! Which hub a request is for: `<slug>.<base domain>`, a custom domain, or the
//! `/h/<slug>/` path prefix. Answers are cached per node in moka and dropped
//! when any node changes a hub (PostgreSQL NOTIFY on `hearth_tenant_changed`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use sqlx::PgPool;

use crate::registry::{self, Tenant};

/// The channel changes of `tenants` and `tenant_domains` are told on.
pub const CHANNEL: &str = crate::changes::HUBS;

/// What a host or slug names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// The platform itself (the base domain, or localhost).
    Platform,
    /// A hub; it may be suspended.
    Hub(Arc<Tenant>),
    /// No such hub.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Slug(String),
    Domain(String),
}

/// Resolves hosts and slugs to hubs, with a cache kept honest by NOTIFY.
#[derive(Clone)]
pub struct TenantResolver {
    pool: PgPool,
    base_domain: Arc<str>,
    // The generation is part of every key: a lookup that raced a change can only
    // fill an entry of the old generation, which nothing reads any more.
    generation: Arc<AtomicU64>,
    cache: Cache<(u64, Key), Option<Arc<Tenant>>>,
}

impl TenantResolver {
    /// A resolver for hubs under `base_domain` (for example `hearth.localhost`).
    pub fn new(pool: PgPool, base_domain: &str) -> Self {
        Self {
            pool,
            base_domain: base_domain
                .trim_end_matches('.')
                .to_ascii_lowercase()
                .into(),
            generation: Arc::new(AtomicU64::new(0)),
            cache: Cache::builder()
                .max_capacity(100_000)
                // A safety net only: NOTIFY is what keeps entries fresh.
                .time_to_live(Duration::from_secs(300))
                .build(),
        }
    }

    /// The base domain hubs live under.
    pub fn base_domain(&self) -> &str {
        &self.base_domain
    }

    /// Forgets every cached answer.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.cache.invalidate_all();
    }

    /// The hub named `slug`, if any.
    pub async fn by_slug(&self, slug: &str) -> sqlx::Result<Option<Arc<Tenant>>> {
        self.lookup(Key::Slug(slug.to_ascii_lowercase())).await
    }

    /// What the `Host` header `host` (maybe with a port) names.
    pub async fn by_host(&self, host: &str) -> sqlx::Result<Resolved> {
        let host = host_without_port(host)
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if host.is_empty()
            || host == *self.base_domain
            || host == "localhost"
            || host.parse::<std::net::IpAddr>().is_ok()
        {
            return Ok(Resolved::Platform);
        }
        let key = match host
            .strip_suffix(&*self.base_domain)
            .and_then(|l| l.strip_suffix('.'))
        {
            Some(label) if label.contains('.') => return Ok(Resolved::Unknown),
            Some(label) => Key::Slug(label.to_owned()),
            None => Key::Domain(host),
        };
        Ok(self
            .lookup(key)
            .await?
            .map_or(Resolved::Unknown, Resolved::Hub))
    }

    async fn lookup(&self, key: Key) -> sqlx::Result<Option<Arc<Tenant>>> {
        let generation = self.generation.load(Ordering::SeqCst);
        let pool = self.pool.clone();
        let load_key = key.clone();
        self.cache
            .try_get_with((generation, key), async move {
                metrics::counter!("hearth_tenant_cache_misses_total").increment(1);
                let mut conn = pool.acquire().await?;
                let found = match &load_key {
                    Key::Slug(slug) => registry::find_by_slug(&mut conn, slug).await?,
                    Key::Domain(domain) => registry::find_by_domain(&mut conn, domain).await?,
                };
                Ok::<_, sqlx::Error>(found.map(Arc::new))
            })
            .await
            .map_err(|e| match Arc::try_unwrap(e) {
                Ok(e) => e,
                Err(shared) => match &*shared {
                    // Keep "busy" a 503, not a 500.
                    sqlx::Error::PoolTimedOut => sqlx::Error::PoolTimedOut,
                    other => sqlx::Error::Protocol(other.to_string()),
                },
            })
    }
}

fn host_without_port(host: &str) -> &str {
    if host.starts_with('[') {
        // An IPv6 literal, "[::1]:8080".
        return host
            .split(']')
            .next()
            .map_or(host, |h| h.trim_start_matches('['));
    }
    host.rsplit_once(':').map_or(host, |(h, _)| h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_stripped_from_hosts() {
        assert_eq!(
            host_without_port("acme.hearth.localhost:8080"),
            "acme.hearth.localhost"
        );
        assert_eq!(host_without_port("acme.example.com"), "acme.example.com");
        assert_eq!(host_without_port("[::1]:8080"), "::1");
    }
}
