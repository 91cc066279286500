//! Hub plugins, integrated: the registry of uploaded modules (`registry`), each
//! hub's installations (`install`), the HR admin pages (`admin`), and the hot
//! path: [`decide`] and its per-hook wrappers call the hub's active plugin
//! through the wasmtime host (`hearth_plugins`), with the hub's declarative
//! policy as the fallback.
//!
//! Each node caches every hub's active plugins (moka, keyed by the hub), kept
//! honest by `NOTIFY hearth_plugins_changed` from a trigger on the hub's
//! `plugin_installations`. Modules are compiled when uploaded, warmed at start
//! and otherwise at a hub's first use after a restart; never per request.
//!
//! A plugin that keeps failing for a hub is disabled for it: the host stops
//! calling it on this node at once, and [`decide`] persists the decision,
//! writes the hub's audit log and emails the hub's HR admins in one transaction.

pub mod admin;
pub mod install;
pub mod registry;
pub mod schema;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use hearth_plugins::abi::{
    BookingAllowed, BookingAllowedInput, CreditCost, CreditCostInput, Hook, Hub, PeriodGrant,
    PeriodGrantInput, Theme, ThemeContext, ThemeInput,
};
use hearth_plugins::{
    Decision, FailureReport, HookCall, InstalledPlugin, Limits, PluginHost, PluginId, PolicyCause,
    Source,
};
use hearth_tenants::{Tenant, TenantTx};
use moka::future::Cache;
use serde_json::json;
use sqlx::postgres::PgListener;
use sqlx::PgPool;

use crate::app::AppState;
use crate::email::{enqueue, render, Outgoing};

pub use admin::routes;

/// The channel the trigger on every hub's `plugin_installations` notifies, with the hub's id.
pub const CHANNEL: &str = "hearth_plugins_changed";

/// The wasmtime host and this node's cache of every hub's active plugins. Cheap to clone.
#[derive(Clone)]
pub struct HubPlugins(Arc<Inner>);

struct Inner {
    pool: PgPool,
    host: PluginHost,
    // Keys carry the listener's epoch and the hub's version: a load that raced
    // a change can only fill an entry nothing reads any more.
    cache: Cache<(u64, i64, u64), Arc<ActivePlugins>>,
    epoch: AtomicU64,
    versions: Mutex<HashMap<i64, u64>>,
}

/// A hub's active, enabled plugin for one hook.
#[derive(Clone, Debug)]
pub struct ActivePlugin {
    /// The installation row.
    pub installation_id: i64,
    /// The plugin's registry name, for messages.
    pub name: String,
    /// The compiled plugin with the hub's config.
    pub plugin: InstalledPlugin,
}

/// A hub's active plugins, by hook.
#[derive(Debug, Default)]
pub struct ActivePlugins {
    by_hook: Vec<(Hook, ActivePlugin)>,
}

impl ActivePlugins {
    /// The plugin the hub's `hook` calls go to, if one is installed and enabled.
    pub fn get(&self, hook: Hook) -> Option<&ActivePlugin> {
        self.by_hook
            .iter()
            .find(|(h, _)| *h == hook)
            .map(|(_, p)| p)
    }
}

impl std::fmt::Debug for HubPlugins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubPlugins")
            .field("host", &self.0.host)
            .finish_non_exhaustive()
    }
}

impl HubPlugins {
    /// The host (engine, epoch ticker) with `limits`, and an empty cache.
    pub fn new(pool: PgPool, limits: Limits) -> Result<Self, hearth_plugins::PluginError> {
        Ok(Self(Arc::new(Inner {
            pool,
            host: PluginHost::new(limits)?,
            cache: Cache::builder()
                .max_capacity(100_000)
                // A safety net only: NOTIFY is what keeps entries fresh.
                .time_to_live(Duration::from_secs(300))
                .build(),
            epoch: AtomicU64::new(0),
            versions: Mutex::new(HashMap::new()),
        })))
    }

    /// The wasmtime host.
    pub fn host(&self) -> &PluginHost {
        &self.0.host
    }

    fn version(&self, tenant: i64) -> u64 {
        let versions = self
            .0
            .versions
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        versions.get(&tenant).copied().unwrap_or(0)
    }

    /// Forgets hub `tenant`'s cached plugins on this node.
    pub fn invalidate(&self, tenant: i64) {
        let old = {
            let mut versions = self
                .0
                .versions
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let version = versions.entry(tenant).or_insert(0);
            let old = *version;
            *version += 1;
            old
        };
        let epoch = self.0.epoch.load(Ordering::SeqCst);
        let cache = self.0.cache.clone();
        tokio::spawn(async move { cache.invalidate(&(epoch, tenant, old)).await });
    }

    /// Forgets every hub's cached plugins on this node.
    pub fn invalidate_all(&self) {
        self.0.epoch.fetch_add(1, Ordering::SeqCst);
        self.0.cache.invalidate_all();
    }

    /// `tenant`'s active, enabled plugins: from the cache, else from its schema
    /// (compiling a module only if this node has not yet).
    pub async fn active(&self, tenant: &Tenant) -> Result<Arc<ActivePlugins>, sqlx::Error> {
        let key = (
            self.0.epoch.load(Ordering::SeqCst),
            tenant.id.0,
            self.version(tenant.id.0),
        );
        let this = self.clone();
        let tenant = tenant.clone();
        self.0
            .cache
            .try_get_with(key, async move { this.load(&tenant).await.map(Arc::new) })
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

    async fn load(&self, tenant: &Tenant) -> Result<ActivePlugins, sqlx::Error> {
        metrics::counter!("hearth_hub_plugin_cache_misses_total").increment(1);
        let mut tx = TenantTx::begin(&self.0.pool, tenant).await?;
        let rows = install::active(&mut tx).await?;
        tx.commit().await?;
        let hub = Hub {
            id: tenant.id.to_string(),
            slug: tenant.slug.clone(),
            name: tenant.name.clone(),
        };
        let mut active = ActivePlugins::default();
        for row in rows.into_iter().filter(|r| !r.disabled) {
            let Ok(hook) = install::parse_hook(&row.hook) else {
                continue;
            };
            let Some(id) = PluginId::from_hex(&row.plugin_id) else {
                continue;
            };
            let Some((name, module)) = self.module(&id).await? else {
                continue;
            };
            // The database says it is enabled: an admin re-enabled it, or it
            // was rolled back to. Failures counted before start again from zero.
            self.0.host.failure_tracker().reset(&hub.id, &id);
            active.by_hook.push((
                hook,
                ActivePlugin {
                    installation_id: row.id,
                    name,
                    plugin: InstalledPlugin::new(hub.clone(), module, row.config),
                },
            ));
        }
        Ok(active)
    }

    /// The compiled module `id` (compiled from the registry's bytes on first
    /// use on this node) and its name; `None`, logged, when it cannot be.
    async fn module(
        &self,
        id: &PluginId,
    ) -> Result<Option<(String, hearth_plugins::PluginModule)>, sqlx::Error> {
        let row: Option<(String, Option<Vec<u8>>)> = if self.0.host.get(id).await.is_some() {
            sqlx::query_as("SELECT name, NULL::bytea FROM public.plugins WHERE id = $1")
        } else {
            sqlx::query_as("SELECT name, wasm FROM public.plugins WHERE id = $1")
        }
        .bind(id.to_string())
        .fetch_optional(&self.0.pool)
        .await?;
        let Some((name, bytes)) = row else {
            tracing::error!(plugin = %id.short(), "installed plugin missing from the registry");
            return Ok(None);
        };
        let loaded = match bytes {
            Some(bytes) => self.0.host.load(bytes).await,
            None => match self.0.host.get(id).await {
                Some(module) => Ok(module),
                None => {
                    let bytes = registry::wasm(&mut *self.0.pool.acquire().await?, id).await?;
                    self.0.host.load(bytes.unwrap_or_default()).await
                }
            },
        };
        match loaded {
            Ok(module) => Ok(Some((name, module))),
            Err(error) => {
                tracing::error!(plugin = %id.short(), %error, "installed plugin cannot be loaded; the hubs' policies apply");
                Ok(None)
            }
        }
    }

    /// Drops cached hubs when any node changes a hub's plugins, until aborted.
    pub fn spawn_listener(&self) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = this.listen().await {
                    tracing::warn!(error = %e, "plugin change listener failed; retrying");
                }
                // Notifications may have been missed while disconnected.
                this.invalidate_all();
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        })
    }

    async fn listen(&self) -> sqlx::Result<()> {
        // A connection of its own, outside the request pool: a listener holds
        // its connection for as long as it lives.
        let own = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_lazy_with((*self.0.pool.connect_options()).clone());
        let mut listener = PgListener::connect_with(&own).await?;
        listener.listen(CHANNEL).await?;
        self.invalidate_all();
        while let Some(notification) = listener.try_recv().await? {
            match notification.payload().parse::<i64>() {
                Ok(tenant) => self.invalidate(tenant),
                Err(_) => self.invalidate_all(),
            }
        }
        Ok(())
    }

    /// Compiles the newest uploaded modules in the background at start (up to
    /// the host's module cache size), so first requests after a restart do not wait.
    pub fn spawn_warmer(&self) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let limit = i64::try_from(this.0.host.limits().module_cache_entries).unwrap_or(256);
            let ids: Vec<String> = match sqlx::query_scalar(
                "SELECT id FROM public.plugins ORDER BY uploaded_at DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(&this.0.pool)
            .await
            {
                Ok(ids) => ids,
                Err(error) => {
                    tracing::warn!(%error, "could not list plugins to warm");
                    return;
                }
            };
            for id in ids.iter().filter_map(|id| PluginId::from_hex(id)) {
                if let Err(error) = this.module(&id).await {
                    tracing::warn!(%error, "could not warm a plugin");
                }
            }
        })
    }
}

/// The hub's active plugin's decision for `input`, or `policy()`'s when none
/// is installed, it defers, it fails or it is disabled. Never fails: a
/// database error is logged and the policy decides. When this call's failure
/// disables the plugin, that is persisted and the hub's HR admins are told.
pub async fn decide<I>(
    state: &AppState,
    tenant: &Tenant,
    input: I,
    policy: impl FnOnce() -> I::Output + Send,
) -> Decision<I::Output>
where
    I: HookCall + Send + 'static,
    I::Output: Send + 'static,
{
    let plugins = &state.plugins;
    let active = match plugins.active(tenant).await {
        Ok(active) => active,
        Err(error) => {
            tracing::error!(hub = %tenant.slug, %error, "reading the hub's plugins failed; the hub's policy applies");
            return Decision {
                value: policy(),
                source: Source::Policy(PolicyCause::Failed(hearth_plugins::FailureReason::Host)),
                failure: None,
            };
        }
    };
    let Some(active) = active.get(I::HOOK) else {
        return Decision {
            value: policy(),
            source: Source::Policy(PolicyCause::NotExported),
            failure: None,
        };
    };
    let decision = plugins
        .host()
        .decide_async(&active.plugin, input, policy)
        .await;
    if let Some(failure) = decision.failure {
        if failure.verdict.newly_disabled {
            if let Err(error) = disable_failing(state, tenant, active, I::HOOK, failure).await {
                tracing::error!(hub = %tenant.slug, hook = %I::HOOK, error = %error, "persisting a failing plugin's disabling failed");
            }
        }
    }
    decision
}

/// What a booking costs: the hub's `credit_cost` plugin, else `policy`.
pub async fn credit_cost(
    state: &AppState,
    tenant: &Tenant,
    input: CreditCostInput,
    policy: impl FnOnce() -> CreditCost + Send,
) -> Decision<CreditCost> {
    decide(state, tenant, input, policy).await
}

/// Credits granted for a period: the hub's `period_grant` plugin, else `policy`.
pub async fn period_grant(
    state: &AppState,
    tenant: &Tenant,
    input: PeriodGrantInput,
    policy: impl FnOnce() -> PeriodGrant + Send,
) -> Decision<PeriodGrant> {
    decide(state, tenant, input, policy).await
}

/// Whether a booking may be made: the hub's `booking_allowed` plugin, else `policy`.
pub async fn booking_allowed(
    state: &AppState,
    tenant: &Tenant,
    input: BookingAllowedInput,
    policy: impl FnOnce() -> BookingAllowed + Send,
) -> Decision<BookingAllowed> {
    decide(state, tenant, input, policy).await
}

/// The theme variables the hub's `theme` plugin sets for `page` today (none
/// without a plugin, or when it fails). The caller still checks them as CSS.
///
/// Plugins may name variables in snake case (`primary_color`, as the ABI
/// allows); theme variables are kebab case, so `_` becomes `-`.
pub async fn theme_variables(
    state: &AppState,
    tenant: &Tenant,
    page: &str,
    locale: &str,
) -> BTreeMap<String, String> {
    let input = ThemeInput {
        context: ThemeContext {
            date: chrono::Utc::now()
                .date_naive()
                .format("%Y-%m-%d")
                .to_string(),
            page: page.to_owned(),
            locale: locale.to_owned(),
        },
    };
    let decision = decide(state, tenant, input, || {
        Theme::new(BTreeMap::new(), BTreeMap::new())
    })
    .await;
    let Theme::Theme { variables, .. } = decision.value;
    variables
        .into_iter()
        .map(|(name, value)| (name.replace('_', "-"), value))
        .collect()
}

/// Persists that `active` is disabled for `tenant` after failing repeatedly,
/// writes the audit log and emails every HR admin of the hub, all in one transaction.
async fn disable_failing(
    state: &AppState,
    tenant: &Tenant,
    active: &ActivePlugin,
    hook: Hook,
    failure: FailureReport,
) -> Result<(), crate::error::AppError> {
    let failures = failure.verdict.consecutive_failures;
    let reason = format!(
        "Disabled automatically after {failures} failures in a row (last: {}).",
        failure.reason
    );
    let plugin_id = active.plugin.module().id().to_string();
    let mut tx = TenantTx::begin(&state.pool, tenant).await?;
    let detail = json!({
        "plugin_id": plugin_id,
        "name": active.name,
        "hook": hook.as_str(),
        "failures": failures,
        "reason": failure.reason.to_string(),
    });
    if !install::auto_disable(&mut tx, active.installation_id, &reason, detail).await? {
        return Ok(());
    }
    let theme_id: String = sqlx::query_scalar("SELECT theme FROM hub_settings")
        .fetch_one(&mut *tx)
        .await?;
    let admins: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.email, u.name, u.language FROM members m JOIN public.users u ON u.id = m.user_id \
         WHERE m.role = 'hr_admin' AND m.status = 'active' ORDER BY u.email",
    )
    .fetch_all(&mut *tx)
    .await?;
    let theme = state.themes.get(&theme_id);
    let admin_url = format!("{}/admin/plugins", state.config.hub_url(&tenant.slug));
    for (email, name, language) in admins {
        let mut context = tera::Context::new();
        context.insert("sender_name", &tenant.name);
        context.insert("recipient_name", &name);
        context.insert("plugin_name", &active.name);
        context.insert("hook", hook.as_str());
        context.insert("failures", &failures);
        context.insert("reason", &failure.reason.to_string());
        context.insert("admin_url", &admin_url);
        let (subject, text, html) = render(theme, "plugin_disabled", &language, &context)?;
        enqueue(
            &mut tx,
            &Outgoing {
                kind: "plugin_disabled".into(),
                to: email,
                to_name: Some(name),
                tenant_id: Some(tenant.id),
                subject,
                text,
                html,
                attachments: Vec::new(),
            },
        )
        .await?;
    }
    tx.commit().await?;
    tracing::warn!(hub = %tenant.slug, hook = %hook, plugin = %active.plugin.module().id().short(), "plugin disabled for the hub; HR admins notified");
    Ok(())
}
