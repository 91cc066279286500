//! `/admin/plugins` in a hub: its HR admins install a plugin from the registry
//! with a JSON config checked against the plugin's schema, roll a hook back one
//! step, and disable or enable a hook's plugin.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use hearth_tenants::{Tenant, TenantTx};
use serde::{Deserialize, Serialize};

use crate::i18n::Msg;
use crate::plugin_host::install::{self, InstallError};
use crate::plugin_host::registry::{self, PluginInfo};
use crate::web::authz::{Routes, Viewer};
use crate::web::error::AppError;
use crate::web::form::{in_language, notice, Done, FieldMsgs};
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;

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
    let notice = notice(
        &done,
        &[
            ("install", "plugins-notice-install"),
            ("rollback", "plugins-notice-rollback"),
            ("disable", "plugins-notice-disable"),
            ("enable", "plugins-notice-enable"),
        ],
        viewer.language,
    );
    let form = PluginForm {
        config: "{}".into(),
        ..PluginForm::default()
    };
    render(
        &state,
        &site,
        &viewer,
        &form,
        FieldMsgs::new(),
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
    errors: FieldMsgs,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let errors = in_language(&errors, viewer.language);
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
        .with("errors", &errors)
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
        "install" => install_from(&state, tenant, &form, actor, viewer.language).await?,
        "rollback" | "disable" | "enable" => {
            hook_action(&state, tenant, &form, actor, viewer.language).await?
        }
        _ => return Err(AppError::NotFound),
    };
    let Some((field, message)) = refused else {
        return Ok(
            Redirect::to(&format!("{base}/admin/plugins?done={}", form.action)).into_response(),
        );
    };
    let errors = FieldMsgs::from([(field, message)]);
    render(
        &state,
        &site,
        &viewer,
        &form,
        errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A field and what is wrong with it, shown next to it.
type Refusal = Option<(&'static str, Msg)>;

/// An expected refusal as the field it concerns; a database failure stays an error.
fn refusal(error: InstallError, lang: &str) -> Result<Refusal, AppError> {
    let hook = |id: &'static str, hook: String| Msg::new(id).arg("hook", hook);
    Ok(Some(match error {
        InstallError::Database(e) => return Err(AppError::Database(e)),
        // The schema checker's sentences, one a line (see `super::schema`).
        InstallError::Config(list) => (
            "config",
            Msg::new("plugins-error-config").arg(
                "errors",
                list.iter()
                    .map(|e| e.text(lang))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ),
        InstallError::HookNotExported(h) => ("hook", hook("plugins-error-hook-not-exported", h)),
        InstallError::UnknownHook(h) => ("hook", hook("plugins-error-unknown-hook", h)),
        InstallError::NothingActive(h) => ("action", hook("plugins-error-nothing-active", h)),
        InstallError::NothingToRollBack(h) => {
            ("action", hook("plugins-error-nothing-to-roll-back", h))
        }
    }))
}

/// Installs the form's plugin with its config; `Some` says which field is wrong.
async fn install_from(
    state: &AppState,
    tenant: &Tenant,
    form: &PluginForm,
    actor: Option<uuid::Uuid>,
    lang: &str,
) -> Result<Refusal, AppError> {
    let plugin = registry::find(&mut *state.pool.acquire().await?, form.plugin.trim()).await?;
    let Some(plugin) = plugin else {
        return Ok(Some(("plugin", Msg::new("plugins-error-choose"))));
    };
    let hooks = if form.hook.is_empty() {
        Vec::new()
    } else {
        match install::parse_hook(&form.hook) {
            Ok(hook) => vec![hook],
            Err(e) => return refusal(e, lang),
        }
    };
    let text = form.config.trim();
    let config = if text.is_empty() {
        serde_json::Value::Null
    } else {
        match serde_json::from_str(text) {
            Ok(value) => value,
            Err(e) => {
                return Ok(Some((
                    "config",
                    Msg::new("plugins-error-json")
                        .arg("detail", e.to_string())
                        .arg("line", e.line().to_string())
                        .arg("column", e.column().to_string()),
                )))
            }
        }
    };
    let mut tx = TenantTx::begin(&state.pool, tenant).await?;
    match install::install(&mut tx, &plugin, &hooks, config, actor).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(None)
        }
        Err(e) => refusal(e, lang),
    }
}

/// Rolls back, disables or enables the form's hook.
async fn hook_action(
    state: &AppState,
    tenant: &Tenant,
    form: &PluginForm,
    actor: Option<uuid::Uuid>,
    lang: &str,
) -> Result<Refusal, AppError> {
    let hook = match install::parse_hook(&form.hook) {
        Ok(hook) => hook,
        Err(e) => return refusal(e, lang),
    };
    let mut tx = TenantTx::begin(&state.pool, tenant).await?;
    let done = match form.action.as_str() {
        "rollback" => install::rollback(&mut tx, hook, actor).await.map(|_| ()),
        "disable" => {
            // Empty when the admin gave none: the page then says who turned
            // it off, in the reader's language.
            let reason: String = form.reason.trim().chars().take(500).collect();
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
        Err(e) => refusal(e, lang),
    }
}
