//! A hub's plugin installations (`plugin_installations` in the hub schema):
//! install with a checked config, roll back one step, disable and enable.
//! Every function runs in the caller's [`TenantTx`] and writes the hub's
//! `audit_log`; the caller commits.

use chrono::{DateTime, Utc};
use hearth_plugins::abi::Hook;
use hearth_tenants::TenantTx;
use serde::Serialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::registry::PluginInfo;
use super::schema::{self, ConfigError};

/// Why a change to a hub's plugins was refused.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// The config does not fit the plugin's declared schema.
    #[error("the config does not fit the plugin's schema: {}", list(.0))]
    Config(Vec<ConfigError>),
    /// The plugin does not export the hook it was to be installed for.
    #[error("the plugin does not implement the `{0}` hook")]
    HookNotExported(String),
    /// No such hook in ABI v1.
    #[error("there is no hook `{0}` (hooks: credit_cost, period_grant, booking_allowed, theme)")]
    UnknownHook(String),
    /// No plugin is active for the hook.
    #[error("no plugin is installed for `{0}`")]
    NothingActive(String),
    /// The active installation is the hook's first one.
    #[error("there is no earlier plugin for `{0}` to roll back to")]
    NothingToRollBack(String),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

fn list(errors: &[ConfigError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The hook named `name`.
pub fn parse_hook(name: &str) -> Result<Hook, InstallError> {
    Hook::ALL
        .into_iter()
        .find(|h| h.as_str() == name)
        .ok_or_else(|| InstallError::UnknownHook(name.to_owned()))
}

/// One row of a hub's installation history.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Installation {
    /// Row id.
    pub id: i64,
    /// The plugin (content hash).
    pub plugin_id: String,
    /// Its name in the registry.
    pub plugin_name: String,
    /// Its version label.
    pub plugin_version: String,
    /// The hook it is installed for.
    pub hook: String,
    /// The hub's config for it.
    pub config: Value,
    /// Whether it is the one the hook's calls go to.
    pub active: bool,
    /// When it was disabled, if it is.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Why it was disabled.
    pub disabled_reason: Option<String>,
    /// When a rollback moved away from it.
    pub rolled_back_at: Option<DateTime<Utc>>,
    /// When it was installed.
    pub installed_at: DateTime<Utc>,
}

/// The hub's installations, active ones first, then newest first.
pub async fn history(tx: &mut TenantTx) -> sqlx::Result<Vec<Installation>> {
    sqlx::query_as!(
        Installation,
        "SELECT i.id, i.plugin_id, p.name AS plugin_name, p.version AS plugin_version, i.hook, \
                i.config, i.active, i.disabled_at, i.disabled_reason, i.rolled_back_at, i.installed_at \
         FROM plugin_installations i JOIN public.plugins p ON p.id = i.plugin_id \
         ORDER BY i.active DESC, i.id DESC LIMIT 200",
    )
    .fetch_all(&mut **tx)
    .await
}

/// What the hot paths need of an active installation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActiveRow {
    /// Row id.
    pub id: i64,
    /// The plugin (content hash).
    pub plugin_id: String,
    /// The hook.
    pub hook: String,
    /// The hub's config for it.
    pub config: Value,
    /// Whether it is disabled (then the hub's policy decides).
    pub disabled: bool,
}

/// The hub's active installation of every hook that has one.
pub async fn active(tx: &mut TenantTx) -> sqlx::Result<Vec<ActiveRow>> {
    sqlx::query_as!(
        ActiveRow,
        "SELECT id, plugin_id, hook, config, disabled_at IS NOT NULL AS \"disabled!\" \
         FROM plugin_installations WHERE active",
    )
    .fetch_all(&mut **tx)
    .await
}

/// Installs `plugin` for `hooks` (every hook it exports when empty) with
/// `config`, checked against its schema first. Each hook's previous plugin
/// stays in the history, ready for [`rollback`]. Returns the new rows' ids.
pub async fn install(
    tx: &mut TenantTx,
    plugin: &PluginInfo,
    hooks: &[Hook],
    config: Value,
    actor: Option<Uuid>,
) -> Result<Vec<i64>, InstallError> {
    if let Some(schema) = &plugin.config_schema {
        let errors = schema::validate(schema, &config);
        if !errors.is_empty() {
            return Err(InstallError::Config(errors));
        }
    }
    let hooks: Vec<String> = if hooks.is_empty() {
        plugin.hooks.clone()
    } else {
        hooks.iter().map(|h| h.as_str().to_owned()).collect()
    };
    let mut ids = Vec::new();
    for hook in &hooks {
        if !plugin.hooks.contains(hook) {
            return Err(InstallError::HookNotExported(hook.clone()));
        }
        sqlx::query!(
            "UPDATE plugin_installations SET active = false WHERE hook = $1 AND active",
            hook,
        )
        .execute(&mut **tx)
        .await?;
        let id: i64 = sqlx::query_scalar!(
            "INSERT INTO plugin_installations (plugin_id, hook, config, installed_by) \
             VALUES ($1, $2, $3, $4) RETURNING id",
            &plugin.id,
            hook,
            &config,
            actor,
        )
        .fetch_one(&mut **tx)
        .await?;
        ids.push(id);
    }
    audit(
        tx,
        actor,
        "plugin.install",
        json!({ "plugin_id": plugin.id, "name": plugin.name, "version": plugin.version, "hooks": hooks }),
    )
    .await?;
    Ok(ids)
}

/// Re-activates the plugin `hook` had before the active one (enabled, with the
/// config it had), and marks the active one rolled back so that a second
/// rollback goes one step further back. Returns the re-activated row's id.
pub async fn rollback(
    tx: &mut TenantTx,
    hook: Hook,
    actor: Option<Uuid>,
) -> Result<i64, InstallError> {
    let name = hook.as_str();
    let current: Option<(i64, String)> = sqlx::query!(
        "SELECT id, plugin_id FROM plugin_installations WHERE hook = $1 AND active FOR UPDATE",
        name,
    )
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| (r.id, r.plugin_id));
    let Some((current_id, current_plugin)) = current else {
        return Err(InstallError::NothingActive(name.to_owned()));
    };
    let previous: Option<(i64, String)> = sqlx::query!(
        "SELECT id, plugin_id FROM plugin_installations \
         WHERE hook = $1 AND id < $2 AND rolled_back_at IS NULL ORDER BY id DESC LIMIT 1",
        name,
        current_id,
    )
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| (r.id, r.plugin_id));
    let Some((previous_id, previous_plugin)) = previous else {
        return Err(InstallError::NothingToRollBack(name.to_owned()));
    };
    sqlx::query!(
        "UPDATE plugin_installations SET active = false, rolled_back_at = now() WHERE id = $1",
        current_id,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "UPDATE plugin_installations \
         SET active = true, disabled_at = NULL, disabled_reason = NULL WHERE id = $1",
        previous_id,
    )
    .execute(&mut **tx)
    .await?;
    audit(
        tx,
        actor,
        "plugin.rollback",
        json!({ "hook": name, "from": current_plugin, "to": previous_plugin }),
    )
    .await?;
    Ok(previous_id)
}

/// Disables (`Some(reason)`) or enables (`None`) the active plugin of `hook`.
/// Returns false when it already was.
pub async fn set_disabled(
    tx: &mut TenantTx,
    hook: Hook,
    reason: Option<&str>,
    actor: Option<Uuid>,
) -> Result<bool, InstallError> {
    let name = hook.as_str();
    let plugin: Option<String> = match reason {
        Some(reason) => {
            sqlx::query_scalar!(
                "UPDATE plugin_installations SET disabled_at = now(), disabled_reason = $2 \
             WHERE hook = $1 AND active AND disabled_at IS NULL RETURNING plugin_id",
                name,
                reason,
            )
            .fetch_optional(&mut **tx)
            .await?
        }
        None => {
            sqlx::query_scalar!(
                "UPDATE plugin_installations SET disabled_at = NULL, disabled_reason = NULL \
             WHERE hook = $1 AND active AND disabled_at IS NOT NULL RETURNING plugin_id",
                name,
            )
            .fetch_optional(&mut **tx)
            .await?
        }
    };
    let Some(plugin) = plugin else {
        let exists: bool = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM plugin_installations WHERE hook = $1 AND active) AS "exists!""#,
            name,
        )
        .fetch_one(&mut **tx)
        .await?;
        return if exists {
            Ok(false)
        } else {
            Err(InstallError::NothingActive(name.to_owned()))
        };
    };
    let action = if reason.is_some() {
        "plugin.disable"
    } else {
        "plugin.enable"
    };
    audit(
        tx,
        actor,
        action,
        json!({ "hook": name, "plugin_id": plugin, "reason": reason }),
    )
    .await?;
    Ok(true)
}

/// Disables installation `id` after repeated failures, unless it already is
/// disabled or no longer active. True when this call disabled it.
pub async fn auto_disable(
    tx: &mut TenantTx,
    id: i64,
    reason: &str,
    detail: Value,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE plugin_installations SET disabled_at = now(), disabled_reason = $2 \
         WHERE id = $1 AND active AND disabled_at IS NULL",
        id,
        reason,
    )
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit(tx, None, "plugin.auto_disable", detail).await?;
    Ok(true)
}

/// Records a change of the hub's plugins (every change ends here) and tells
/// every node to forget the hub's plugins and page, when `tx` commits.
async fn audit(
    tx: &mut TenantTx,
    actor: Option<Uuid>,
    action: &str,
    detail: Value,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO audit_log (actor_id, action, detail) VALUES ($1, $2, $3)",
        actor,
        action,
        detail,
    )
    .execute(&mut **tx)
    .await?;
    let hub = tx.tenant_id();
    hearth_tenants::changes::announce(tx, hearth_tenants::changes::Change::Plugins(hub)).await
}
