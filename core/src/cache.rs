//! Per-node caches kept honest by PostgreSQL `LISTEN/NOTIFY`.
//!
//! [`VersionedCache`] is the one cache type for data read per hub (its page
//! data, its active plugins): keys carry the listener's epoch and the hub's
//! version, so a load that raced a change can only fill an entry nothing
//! reads any more. [`ChangeListener`] is the one connection that listens on
//! every channel the node cares about and tells each subscriber; after a lost
//! connection it tells every subscriber to forget everything, since
//! notifications may have been missed meanwhile.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use moka::future::Cache;
use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::PgPool;

/// A per-hub cache of `V`, invalidated per hub or whole. Cheap to clone.
pub struct VersionedCache<V> {
    inner: Arc<Inner<V>>,
}

struct Inner<V> {
    cache: Cache<(u64, i64, u64), Arc<V>>,
    epoch: AtomicU64,
    versions: Mutex<HashMap<i64, u64>>,
}

impl<V> Clone for VersionedCache<V> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<V> std::fmt::Debug for VersionedCache<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VersionedCache")
            .field("entries", &self.inner.cache.entry_count())
            .finish_non_exhaustive()
    }
}

impl<V: Send + Sync + 'static> VersionedCache<V> {
    /// An empty cache of at most `capacity` hubs; entries live at most `ttl`
    /// (a safety net only: notifications are what keep entries fresh).
    pub fn new(capacity: u64, ttl: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                cache: Cache::builder()
                    .max_capacity(capacity)
                    .time_to_live(ttl)
                    .build(),
                epoch: AtomicU64::new(0),
                versions: Mutex::new(HashMap::new()),
            }),
        }
    }

    fn key(&self, hub: i64) -> (u64, i64, u64) {
        let version = self
            .inner
            .versions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&hub)
            .copied()
            .unwrap_or(0);
        (self.inner.epoch.load(Ordering::SeqCst), hub, version)
    }

    /// Hub `hub`'s entry if this node has it cached (never loads).
    pub async fn peek(&self, hub: i64) -> Option<Arc<V>> {
        self.inner.cache.get(&self.key(hub)).await
    }

    /// Hub `hub`'s entry: cached, else made by `load` (once, however many
    /// ask at the same time).
    pub async fn get_or_load<F>(&self, hub: i64, load: F) -> Result<Arc<V>, sqlx::Error>
    where
        F: Future<Output = Result<V, sqlx::Error>>,
    {
        let key = self.key(hub);
        if let Some(value) = self.inner.cache.get(&key).await {
            return Ok(value);
        }
        self.inner
            .cache
            .try_get_with(key, async move { load.await.map(Arc::new) })
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

    /// Forgets hub `hub`'s entry on this node.
    pub fn invalidate(&self, hub: i64) {
        let old = {
            let mut versions = self
                .inner
                .versions
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let version = versions.entry(hub).or_insert(0);
            let old = *version;
            *version += 1;
            old
        };
        let epoch = self.inner.epoch.load(Ordering::SeqCst);
        let cache = self.inner.cache.clone();
        // The old key can never be read again; dropping it frees memory sooner.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { cache.invalidate(&(epoch, hub, old)).await });
        }
    }

    /// Forgets every hub's entry on this node.
    pub fn invalidate_all(&self) {
        self.inner.epoch.fetch_add(1, Ordering::SeqCst);
        self.inner.cache.invalidate_all();
    }

    /// The subscriber that keeps this cache honest on `channel`, whose
    /// payload is a hub's id (anything else forgets every hub).
    pub fn subscriber(&self, channel: &'static str) -> Subscriber {
        let on_notify = self.clone();
        let on_reset = self.clone();
        Subscriber {
            channel,
            on_notify: Arc::new(move |payload: &str| match payload.parse::<i64>() {
                Ok(hub) => on_notify.invalidate(hub),
                Err(_) => on_notify.invalidate_all(),
            }),
            on_reset: Arc::new(move || on_reset.invalidate_all()),
        }
    }
}

/// Turns per key: callers holding the same key go one at a time (an async
/// mutex per key), on this node. A key's mutex is kept while it is used and
/// for `idle` after.
pub struct Turns<K> {
    turns: Cache<K, Arc<tokio::sync::Mutex<()>>>,
}

impl<K> std::fmt::Debug for Turns<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Turns")
            .field("keys", &self.turns.entry_count())
            .finish()
    }
}

impl<K: std::hash::Hash + Eq + Clone + Send + Sync + 'static> Turns<K> {
    /// Turns for at most `capacity` keys at once.
    pub fn new(capacity: u64, idle: Duration) -> Self {
        Self {
            turns: Cache::builder()
                .max_capacity(capacity)
                .time_to_idle(idle)
                .build(),
        }
    }

    /// The mutex `key`'s holders queue on (lock it to take the turn).
    pub async fn of(&self, key: K) -> Arc<tokio::sync::Mutex<()>> {
        self.turns
            .get_with(key, async { Arc::new(tokio::sync::Mutex::new(())) })
            .await
    }
}

/// What to do with the notifications of one channel.
#[derive(Clone)]
pub struct Subscriber {
    /// The channel (`NOTIFY <channel>, '<payload>'`).
    pub channel: &'static str,
    /// Called with each notification's payload.
    pub on_notify: Arc<dyn Fn(&str) + Send + Sync>,
    /// Called when listening starts or restarts: anything may have changed.
    pub on_reset: Arc<dyn Fn() + Send + Sync>,
}

impl std::fmt::Debug for Subscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscriber")
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

/// The node's one LISTEN connection, feeding every [`Subscriber`].
pub struct ChangeListener;

/// How many times the listener has (re)started listening: 0 until the first
/// LISTEN is in place. Waiting for it to pass a value is how a caller knows
/// that changes from then on reach the subscribers.
pub type Listening = tokio::sync::watch::Receiver<u64>;

impl ChangeListener {
    /// Listens on every subscriber's channel on a connection of its own (made
    /// from `pool`'s options, outside the request pool: a listener holds its
    /// connection for good), reconnecting after a failure, until aborted.
    pub fn spawn(pool: &PgPool, subscribers: Vec<Subscriber>) -> tokio::task::JoinHandle<()> {
        Self::spawn_watched(pool, subscribers).0
    }

    /// [`ChangeListener::spawn`], and a watch of when it listens.
    pub fn spawn_watched(
        pool: &PgPool,
        subscribers: Vec<Subscriber>,
    ) -> (tokio::task::JoinHandle<()>, Listening) {
        let (listening_tx, listening) = tokio::sync::watch::channel(0u64);
        let own = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_lazy_with((*pool.connect_options()).clone());
        let task = tokio::spawn(async move {
            loop {
                if let Err(error) = listen(&own, &subscribers, &listening_tx).await {
                    tracing::warn!(%error, "change listener failed; retrying");
                }
                for s in &subscribers {
                    (s.on_reset)();
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        });
        (task, listening)
    }
}

async fn listen(
    pool: &PgPool,
    subscribers: &[Subscriber],
    listening: &tokio::sync::watch::Sender<u64>,
) -> sqlx::Result<()> {
    let mut listener = PgListener::connect_with(pool).await?;
    let mut channels: Vec<&str> = subscribers.iter().map(|s| s.channel).collect();
    channels.sort_unstable();
    channels.dedup();
    listener.listen_all(channels).await?;
    // What was cached before we listened may already be stale.
    for s in subscribers {
        (s.on_reset)();
    }
    metrics::gauge!("hearth_change_listener_connected").set(1.0);
    listening.send_modify(|n| *n += 1);
    while let Some(notification) = listener.try_recv().await? {
        for s in subscribers
            .iter()
            .filter(|s| s.channel == notification.channel())
        {
            (s.on_notify)(notification.payload());
        }
    }
    metrics::gauge!("hearth_change_listener_connected").set(0.0);
    // The connection was lost; the caller reconnects.
    Ok(())
}
