//! `/admin/plugins` in a hub: its HR admins install a plugin from the registry
//! with a JSON config checked against the plugin's schema, roll a hook back one
//! step, and disable or enable a hook's plugin.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use hearth_tenants::{Tenant, TenantTx};
use serde::{Deserialize, Serialize};

use super::install::{self, InstallError};
use super::registry::{self, PluginInfo};
use crate::app::AppState;
use crate::error::AppError;
use crate::http::authz::{Routes, Viewer};
use crate::http::page::Page;
use crate::http::site::Site;

/// The plugin pages' routes, for HR admins (object `hub_admin`).
pub fn routes() -> Routes {
    Routes::default()
        .get("/admin/plugins", "hub_admin", page)
        .post("/admin/plugins", "hub_admin", change)
}

/// What the page's forms post: `action` is `install`, `rollback`, `disable` or `enable`.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct PluginForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    plugin: String,
    #[serde(default)]
    hook: String,
    #[serde(default)]
    config: String,
    #[serde(default)]
    reason: String,
}

/// `?done=…` after a change.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
}

#[derive(Serialize)]
struct RegistryRow<'a> {
    #[serde(flatten)]
    info: &'a PluginInfo,
    short_id: &'a str,
    schema: String,
}

fn hub_of(site: &Site) -> Result<(&Tenant, &str), AppError> {
    match site {
        Site::Hub { tenant, base } => Ok((tenant, base)),
        Site::Platform => Err(AppError::NotFound),
    }
}

/// GET /admin/plugins
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let notice = match done.done.as_deref() {
        Some("install") => Some("The plugin is installed."),
        Some("rollback") => Some("The previous plugin is active again."),
        Some("disable") => Some("The plugin is disabled; the hub's own rules apply."),
        Some("enable") => Some("The plugin is enabled."),
        _ => None,
    };
    let form = PluginForm {
        config: "{}".into(),
        ..PluginForm::default()
    };
    render(
        &state,
        &site,
        &viewer,
        &form,
        &BTreeMap::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

async fn render(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    form: &PluginForm,
    errors: &BTreeMap<&'static str, String>,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (tenant, _) = hub_of(site)?;
    let plugins = registry::list(&mut *state.pool.acquire().await?).await?;
    let mut tx = TenantTx::begin(&state.pool, tenant).await?;
    let history = install::history(&mut tx).await?;
    tx.commit().await?;
    let registry_rows: Vec<RegistryRow<'_>> = plugins
        .iter()
        .map(|p| RegistryRow {
            info: p,
            short_id: p.short_id(),
            schema: p
                .config_schema
                .as_ref()
                .and_then(|s| serde_json::to_string_pretty(s).ok())
                .unwrap_or_default(),
        })
        .collect();
    let active: Vec<&install::Installation> = history.iter().filter(|i| i.active).collect();
    let page = Page::new(state, site, viewer).await?;
    let html = page
        .with("plugins", &registry_rows)
        .with("active", &active)
        .with("history", &history)
        .with(
            "hooks",
            &["credit_cost", "period_grant", "booking_allowed", "theme"],
        )
        .with("form", form)
        .with("errors", errors)
        .with("notice", &notice)
        .render(state, "plugins_admin.html")?;
    Ok((status, html).into_response())
}

/// POST /admin/plugins
pub async fn change(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Form(form): Form<PluginForm>,
) -> Result<Response, AppError> {
    let (tenant, base) = hub_of(&site)?;
    let actor = viewer.user.as_ref().map(|u| u.id);
    let refused = match form.action.as_str() {
        "install" => install_from(&state, tenant, &form, actor).await?,
        "rollback" | "disable" | "enable" => hook_action(&state, tenant, &form, actor).await?,
        _ => return Err(AppError::NotFound),
    };
    let Some((field, message)) = refused else {
        return Ok(
            Redirect::to(&format!("{base}/admin/plugins?done={}", form.action)).into_response(),
        );
    };
    let errors = BTreeMap::from([(field, message)]);
    render(
        &state,
        &site,
        &viewer,
        &form,
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A field and what is wrong with it, shown next to it.
type Refusal = Option<(&'static str, String)>;

/// An expected refusal as the field it concerns; a database failure stays an error.
fn refusal(error: InstallError) -> Result<Refusal, AppError> {
    match error {
        InstallError::Database(e) => Err(AppError::Database(e)),
        InstallError::Config(list) => Ok(Some((
            "config",
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        ))),
        e @ (InstallError::HookNotExported(_) | InstallError::UnknownHook(_)) => {
            Ok(Some(("hook", e.to_string())))
        }
        e @ (InstallError::NothingActive(_) | InstallError::NothingToRollBack(_)) => {
            Ok(Some(("action", e.to_string())))
        }
    }
}

/// Installs the form's plugin with its config; `Some` says which field is wrong.
async fn install_from(
    state: &AppState,
    tenant: &Tenant,
    form: &PluginForm,
    actor: Option<uuid::Uuid>,
) -> Result<Refusal, AppError> {
    let plugin = registry::find(&mut *state.pool.acquire().await?, form.plugin.trim()).await?;
    let Some(plugin) = plugin else {
        return Ok(Some(("plugin", "Choose a plugin from the list.".into())));
    };
    let hooks = if form.hook.is_empty() {
        Vec::new()
    } else {
        match install::parse_hook(&form.hook) {
            Ok(hook) => vec![hook],
            Err(e) => return refusal(e),
        }
    };
    let text = form.config.trim();
    let config = if text.is_empty() {
        serde_json::Value::Null
    } else {
        match serde_json::from_str(text) {
            Ok(value) => value,
            Err(e) => return Ok(Some(("config", format!("This is not valid JSON: {e}")))),
        }
    };
    let mut tx = TenantTx::begin(&state.pool, tenant).await?;
    match install::install(&mut tx, &plugin, &hooks, config, actor).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(None)
        }
        Err(e) => refusal(e),
    }
}

/// Rolls back, disables or enables the form's hook.
async fn hook_action(
    state: &AppState,
    tenant: &Tenant,
    form: &PluginForm,
    actor: Option<uuid::Uuid>,
) -> Result<Refusal, AppError> {
    let hook = match install::parse_hook(&form.hook) {
        Ok(hook) => hook,
        Err(e) => return refusal(e),
    };
    let mut tx = TenantTx::begin(&state.pool, tenant).await?;
    let done = match form.action.as_str() {
        "rollback" => install::rollback(&mut tx, hook, actor).await.map(|_| ()),
        "disable" => {
            let reason: String = form.reason.trim().chars().take(500).collect();
            let reason = if reason.is_empty() {
                "Disabled by an HR admin.".to_owned()
            } else {
                reason
            };
            install::set_disabled(&mut tx, hook, Some(&reason), actor)
                .await
                .map(|_| ())
        }
        _ => install::set_disabled(&mut tx, hook, None, actor)
            .await
            .map(|_| ()),
    };
    match done {
        Ok(()) => {
            tx.commit().await?;
            Ok(None)
        }
        Err(e) => refusal(e),
    }
}
