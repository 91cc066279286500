//! The host side of hub plugins: the registry of uploaded modules (`registry`),
//! each hub's installations (`install`) and their config schemas (`schema`), and the hot
//! path: [`decide`] and its per-hook wrappers call the hub's active plugin
//! through the wasmtime host (`hearth_plugins`), with the hub's declarative
//! policy as the fallback.
//!
//! Each node caches every hub's active plugins (moka, keyed by the hub), kept
//! honest by `NOTIFY hearth_plugins_changed`, sent with every change of the
//! hub's `plugin_installations` (`install`). Modules are compiled when uploaded, warmed at start
//! and otherwise at a hub's first use after a restart; never per request.
//!
//! A plugin that keeps failing for a hub is disabled for it: the host stops
//! calling it on this node at once, and [`decide`] persists the decision,
//! writes the hub's audit log and emails the hub's HR admins in one transaction.

pub mod install;
pub mod registry;
pub mod schema;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use hearth_plugins::abi::{
    BookingAllowed, BookingAllowedInput, CreditCost, CreditCostInput, Hook, Hub, PeriodGrant,
    PeriodGrantInput, Theme, ThemeContext, ThemeInput,
};
use hearth_plugins::{
    Decision, FailureReport, HookCall, InstalledPlugin, PluginHost, PluginId, PolicyCause, Source,
};
use hearth_tenants::{Tenant, TenantTx};
use serde_json::json;
use sqlx::PgPool;

use crate::cache::{Subscriber, VersionedCache};
use crate::config::Config;
use crate::email::{enqueue, render, Outgoing};
use crate::themes::Themes;

/// The channel a hub's plugin changes are told on, with the hub's id.
pub const CHANNEL: &str = hearth_tenants::changes::PLUGINS;

/// The wasmtime host and this node's cache of every hub's active plugins. Cheap to clone.
#[derive(Clone)]
pub struct HubPlugins(Arc<Inner>);

struct Inner {
    pool: PgPool,
    host: PluginHost,
    cache: VersionedCache<ActivePlugins>,
    // For the email to HR admins when a plugin is disabled.
    themes: Arc<Themes>,
    config: Config,
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
    /// The host (engine, epoch ticker) with `config`'s limits, and an empty cache.
    pub fn new(
        pool: PgPool,
        config: &Config,
        themes: Arc<Themes>,
    ) -> Result<Self, hearth_plugins::PluginError> {
        Ok(Self(Arc::new(Inner {
            pool,
            host: PluginHost::new(config.plugin_limits())?,
            // A safety net only: NOTIFY is what keeps entries fresh.
            cache: VersionedCache::new(100_000, Duration::from_secs(300)),
            themes,
            config: config.clone(),
        })))
    }

    /// The wasmtime host.
    pub fn host(&self) -> &PluginHost {
        &self.0.host
    }

    /// Forgets hub `tenant`'s cached plugins on this node.
    pub fn invalidate(&self, tenant: i64) {
        self.0.cache.invalidate(tenant);
    }

    /// Forgets every hub's cached plugins on this node.
    pub fn invalidate_all(&self) {
        self.0.cache.invalidate_all();
    }

    /// What keeps this node's cache honest: [`CHANNEL`]'s notifications.
    pub fn subscriber(&self) -> Subscriber {
        self.0.cache.subscriber(CHANNEL)
    }

    /// Whether `tenant` has an enabled plugin for one of `hooks`. `false`
    /// when its plugins cannot be read, as the hooks then follow the policy
    /// (see [`decide`]): callers may skip preparing a hook's input.
    pub async fn handles_any(&self, tenant: &Tenant, hooks: &[Hook]) -> bool {
        match self.active(tenant).await {
            Ok(active) => hooks.iter().any(|hook| active.get(*hook).is_some()),
            Err(_) => false,
        }
    }

    /// `tenant`'s active, enabled plugins: from the cache, else from its schema
    /// (compiling a module only if this node has not yet).
    pub async fn active(&self, tenant: &Tenant) -> Result<Arc<ActivePlugins>, sqlx::Error> {
        self.0
            .cache
            .get_or_load(tenant.id.0, self.load(tenant))
            .await
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
            sqlx::query!(
                r#"SELECT name, NULL::bytea AS "wasm?" FROM public.plugins WHERE id = $1"#,
                id.to_string(),
            )
            .fetch_optional(&self.0.pool)
            .await?
            .map(|r| (r.name, r.wasm))
        } else {
            sqlx::query!(
                r#"SELECT name, wasm AS "wasm?" FROM public.plugins WHERE id = $1"#,
                id.to_string(),
            )
            .fetch_optional(&self.0.pool)
            .await?
            .map(|r| (r.name, r.wasm))
        };
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

    /// Compiles the newest uploaded modules in the background at start (up to
    /// the host's module cache size), so first requests after a restart do not wait.
    pub fn spawn_warmer(&self) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let limit = i64::try_from(this.0.host.limits().module_cache_entries).unwrap_or(256);
            let ids: Vec<String> = match sqlx::query_scalar!(
                "SELECT id FROM public.plugins ORDER BY uploaded_at DESC LIMIT $1",
                limit,
            )
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
    plugins: &HubPlugins,
    tenant: &Tenant,
    input: I,
    policy: impl FnOnce() -> I::Output + Send,
) -> Decision<I::Output>
where
    I: HookCall + Send + 'static,
    I::Output: Send + 'static,
{
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
            if let Err(error) = disable_failing(plugins, tenant, active, I::HOOK, failure).await {
                tracing::error!(hub = %tenant.slug, hook = %I::HOOK, error = %error, "persisting a failing plugin's disabling failed");
            }
        }
    }
    decision
}

/// What a booking costs: the hub's `credit_cost` plugin, else `policy`.
pub async fn credit_cost(
    plugins: &HubPlugins,
    tenant: &Tenant,
    input: CreditCostInput,
    policy: impl FnOnce() -> CreditCost + Send,
) -> Decision<CreditCost> {
    decide(plugins, tenant, input, policy).await
}

/// Credits granted for a period: the hub's `period_grant` plugin, else `policy`.
pub async fn period_grant(
    plugins: &HubPlugins,
    tenant: &Tenant,
    input: PeriodGrantInput,
    policy: impl FnOnce() -> PeriodGrant + Send,
) -> Decision<PeriodGrant> {
    decide(plugins, tenant, input, policy).await
}

/// Whether a booking may be made: the hub's `booking_allowed` plugin, else `policy`.
pub async fn booking_allowed(
    plugins: &HubPlugins,
    tenant: &Tenant,
    input: BookingAllowedInput,
    policy: impl FnOnce() -> BookingAllowed + Send,
) -> Decision<BookingAllowed> {
    decide(plugins, tenant, input, policy).await
}

/// The theme variables the hub's `theme` plugin sets for `page` today (none
/// without a plugin, or when it fails). The caller still checks them as CSS.
///
/// Plugins may name variables in snake case (`primary_color`, as the ABI
/// allows); theme variables are kebab case, so `_` becomes `-`.
pub async fn theme_variables(
    plugins: &HubPlugins,
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
    let decision = decide(plugins, tenant, input, || {
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
    plugins: &HubPlugins,
    tenant: &Tenant,
    active: &ActivePlugin,
    hook: Hook,
    failure: FailureReport,
) -> anyhow::Result<()> {
    let failures = failure.verdict.consecutive_failures;
    let reason = format!(
        "Disabled automatically after {failures} failures in a row (last: {}).",
        failure.reason
    );
    let plugin_id = active.plugin.module().id().to_string();
    let mut tx = TenantTx::begin(&plugins.0.pool, tenant).await?;
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
    // The hub's theme: its own, else its reseller's, else the default (as
    // `web::page::read_branding` reads it).
    let theme_id: String = sqlx::query_scalar!(
        r#"SELECT CASE WHEN s.own_look THEN s.theme ELSE coalesce(r.theme, $2) END AS "theme!"
           FROM hub_settings s
           LEFT JOIN public.tenants t ON t.id = $1
           LEFT JOIN public.resellers r ON r.id = t.reseller_id"#,
        tenant.id.0,
        crate::themes::DEFAULT_THEME,
    )
    .fetch_one(&mut *tx)
    .await?;
    let admins: Vec<(String, String, String)> = sqlx::query!(
        "SELECT u.email, u.name, u.language FROM members m JOIN public.users u ON u.id = m.user_id \
         WHERE m.role = 'hr_admin' AND m.status = 'active' ORDER BY u.email",
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.email, r.name, r.language))
    .collect();
    let theme = plugins.0.themes.get(&theme_id);
    let admin_url = format!("{}/admin/plugins", plugins.0.config.hub_url(&tenant.slug));
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
