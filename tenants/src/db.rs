//! The connection pool, with the per-connection settings every node uses.
//!
//! Each PostgreSQL backend caches the catalog of every table it touches, and a
//! hub has its own tables, so a connection that has served many hubs grows. The
//! pool therefore retires connections by age and, where the role may read
//! `pg_backend_memory_contexts`, by measured size.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};

/// A pooled connection idle longer than this is pinged before it is handed out.
const IDLE_PING_AFTER: Duration = Duration::from_secs(1);

/// How the pool is sized and when it retires connections.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    /// Most connections open at once.
    pub max_connections: u32,
    /// How long a request waits for a connection before failing.
    pub acquire_timeout: Duration,
    /// A connection older than this is closed when released.
    pub max_lifetime: Duration,
    /// A connection whose backend holds more memory than this is closed when
    /// released (checked on one release in `memory_check_every`).
    pub max_backend_memory: u64,
    /// How often, in releases, a backend's memory is measured.
    pub memory_check_every: u64,
    /// Longest a statement may run.
    pub statement_timeout: Duration,
    /// Longest a statement waits for a lock (zero: as long as the statement
    /// may run). Shorter than `statement_timeout`, so a request stuck behind a
    /// row someone holds gives its connection back early instead of keeping
    /// it, and the pool, for the whole statement timeout.
    pub lock_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(5),
            max_lifetime: Duration::from_secs(30 * 60),
            max_backend_memory: 48 * 1024 * 1024,
            memory_check_every: 50,
            statement_timeout: Duration::from_secs(30),
            lock_timeout: Duration::from_secs(10),
        }
    }
}

/// Opens a pool to `url`.
pub async fn connect(url: &str, settings: &PoolSettings) -> sqlx::Result<PgPool> {
    let options: PgConnectOptions = url.parse::<PgConnectOptions>()?;
    let options = options
        .application_name("hearth")
        .options([
            (
                "statement_timeout",
                format!("{}ms", settings.statement_timeout.as_millis()),
            ),
            (
                "lock_timeout",
                format!("{}ms", settings.lock_timeout.as_millis()),
            ),
        ])
        .log_statements(tracing::log::LevelFilter::Trace);
    // On a Citus coordinator a session's settings stay on the coordinator,
    // and the hub's rows, and the locks a request may wait for, are on a
    // worker: a transaction's `SET LOCAL`s go on to the workers it reaches,
    // and `TenantTx::begin` sets the lock timeout again in each.
    let options = if on_citus(&options).await? {
        options.options([("citus.propagate_set_commands", "local")])
    } else {
        options
    };
    let releases = Arc::new(AtomicU64::new(0));
    let can_measure = Arc::new(AtomicBool::new(true));
    let (limit, every) = (
        settings.max_backend_memory,
        settings.memory_check_every.max(1),
    );
    PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout)
        .max_lifetime(settings.max_lifetime)
        // sqlx pings every connection it takes back (`return_to_pool`), so a
        // connection broken while in use never re-enters the pool. Pinging
        // again on every acquire would cost a round trip per acquire under
        // load; only a connection idle for a while (the server may have
        // restarted meanwhile) is pinged before use.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > IDLE_PING_AFTER {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
        .after_release(move |conn, _meta| {
            let releases = Arc::clone(&releases);
            let can_measure = Arc::clone(&can_measure);
            Box::pin(async move {
                if !can_measure.load(Ordering::Relaxed)
                    || !releases
                        .fetch_add(1, Ordering::Relaxed)
                        .is_multiple_of(every)
                {
                    return Ok(true);
                }
                let measured: Result<Option<i64>, _> = sqlx::query_scalar!(
                    "SELECT sum(total_bytes)::int8 FROM pg_backend_memory_contexts",
                )
                .fetch_one(conn)
                .await;
                match measured {
                    Ok(bytes) => {
                        let keep = bytes.unwrap_or(0) < i64::try_from(limit).unwrap_or(i64::MAX);
                        if !keep {
                            metrics::counter!("hearth_db_connections_recycled_total").increment(1);
                        }
                        Ok(keep)
                    }
                    Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42501") => {
                        tracing::warn!(
                            "the database role may not read pg_backend_memory_contexts; \
                             connections are recycled by age only"
                        );
                        can_measure.store(false, Ordering::Relaxed);
                        Ok(true)
                    }
                    Err(e) => Err(e),
                }
            })
        })
        .connect_with(options)
        .await
}

/// Whether the database `options` leads to has the Citus extension (asked on
/// a connection of its own, before the pool opens any).
async fn on_citus(options: &PgConnectOptions) -> sqlx::Result<bool> {
    let mut conn = options.connect().await?;
    let citus = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') AS "citus!""#
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await?;
    Ok(citus)
}

/// The lock timeout each transaction on `pool` sets again (`10000ms`), when
/// `pool` is on a Citus coordinator (see [`connect`]); on one PostgreSQL the
/// session's own applies and this is `None`.
pub fn propagated_lock_timeout(pool: &PgPool) -> Option<String> {
    let options = pool.connect_options();
    propagated_lock_timeout_in(options.get_options()?).map(str::to_owned)
}

/// The value of `-c lock_timeout=…` in a connection's options string, when
/// the string also propagates `SET LOCAL`s.
fn propagated_lock_timeout_in(options: &str) -> Option<&str> {
    let mut words = options.split_whitespace();
    words
        .clone()
        .any(|word| word == "citus.propagate_set_commands=local")
        .then(|| words.find_map(|word| word.strip_prefix("lock_timeout=")))
        .flatten()
        .filter(|v| v.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether `error` is a violation of constraint `name`. On a Citus cluster
/// the name PostgreSQL reports is the shard's, `name` followed by `_` and the
/// shard's id (`appointments_no_overlap_102013`), which this accepts too; and
/// an error a worker raised reaches the coordinator's client without its
/// constraint field, the name only in the message.
pub fn violates(error: &dyn sqlx::error::DatabaseError, name: &str) -> bool {
    if let Some(reported) = error.constraint() {
        return same_constraint(reported, name);
    }
    let integrity = error.code().is_some_and(|c| c.starts_with("23"));
    integrity && named_in(error.message()).is_some_and(|reported| same_constraint(reported, name))
}

/// The constraint a violation's message names (`… violates unique
/// constraint "users_email_key"`).
fn named_in(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("constraint \"")?;
    rest.split_once('"').map(|(name, _)| name)
}

fn same_constraint(reported: &str, name: &str) -> bool {
    match reported.strip_prefix(name) {
        Some("") => true,
        Some(rest) => rest
            .strip_prefix('_')
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

/// Runs `attempt` again, a little later each time and at most 5 times more,
/// while it fails because the database cancelled its transaction in a
/// deadlock (`deadlocked` finds the database's error in `E`). Only for work
/// done in one transaction, which a cancelled run left undone.
pub async fn retry_deadlocks<T, E, F, Fut>(
    what: &str,
    mut attempt: F,
    deadlocked: impl Fn(&E) -> Option<&sqlx::Error>,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
{
    let mut tries = 0u32;
    loop {
        match attempt().await {
            Err(e) if tries < 5 && deadlocked(&e).is_some_and(is_deadlock) => {
                tries += 1;
                tracing::info!(tries, "{what} met a deadlock; trying again");
                tokio::time::sleep(Duration::from_millis(20 * u64::from(tries))).await;
            }
            done => return done,
        }
    }
}

/// Whether the database cancelled the transaction in a deadlock (on Citus
/// also a distributed one, which it reports with the same code).
pub fn is_deadlock(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(d) if d.code().as_deref() == Some("40P01"))
}

#[cfg(test)]
mod constraint_tests {
    use super::{named_in, propagated_lock_timeout_in, same_constraint};

    #[test]
    fn the_lock_timeout_is_set_again_only_where_set_commands_propagate() {
        let citus = "-c statement_timeout=30000ms -c lock_timeout=2000ms -c citus.propagate_set_commands=local";
        assert_eq!(propagated_lock_timeout_in(citus), Some("2000ms"));
        let single = "-c statement_timeout=30000ms -c lock_timeout=2000ms";
        assert_eq!(propagated_lock_timeout_in(single), None);
        // Only a plain value is ever put back into SQL.
        let odd = "-c lock_timeout=1s';DROP -c citus.propagate_set_commands=local";
        assert_eq!(propagated_lock_timeout_in(odd), None);
    }

    #[test]
    fn a_workers_message_names_the_constraint() {
        assert_eq!(
            named_in(
                "duplicate key value violates unique constraint \"resellers_slug_key_102008\""
            ),
            Some("resellers_slug_key_102008")
        );
        assert_eq!(
            named_in("conflicting key value violates exclusion constraint \"appointments_no_overlap_102013\""),
            Some("appointments_no_overlap_102013")
        );
        assert_eq!(named_in("deadlock detected"), None);
    }

    #[test]
    fn a_shards_constraint_is_its_tables() {
        assert!(same_constraint(
            "appointments_no_overlap",
            "appointments_no_overlap"
        ));
        assert!(same_constraint(
            "appointments_no_overlap_102013",
            "appointments_no_overlap"
        ));
        assert!(!same_constraint(
            "appointments_no_overlap_x",
            "appointments_no_overlap"
        ));
        assert!(!same_constraint(
            "appointments_no_overlap_",
            "appointments_no_overlap"
        ));
        assert!(!same_constraint("tenants_slug_key", "tenants_slug"));
        assert!(!same_constraint(
            "slot_holds_no_overlap",
            "appointments_no_overlap"
        ));
    }
}
