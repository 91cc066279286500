//! Company templates: a company's settings saved under a name (from the
//! companies list, **Save as template**) to onboard the next company from
//! (the onboarding form's **Start from a template**): its own look (or none,
//! when it follows the reseller's), its credit policy, its roster and its
//! plugins with their configs. A template belongs to one reseller; another
//! reseller's template id is a 404.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use hearth_tenants::TenantTx;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{link, own_hub};
use crate::credits::CreditPolicy;
use crate::web::error::AppError;
use crate::web::extract::ResellerAdmin;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The longest template name.
const MAX_NAME: usize = 200;

/// One plugin a template installs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplatePlugin {
    /// The plugin (content hash).
    pub plugin_id: String,
    /// The hook it serves.
    pub hook: String,
    /// The hub's config for it.
    pub config: serde_json::Value,
}

/// A saved template.
#[derive(Debug, Clone, Serialize)]
pub struct Template {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The look's theme (`None`: the company follows the reseller's look).
    pub theme: Option<String>,
    /// `#rrggbb`, with `theme`.
    pub brand_color: Option<String>,
    /// `#rrggbb`, with `theme`.
    pub accent_color: Option<String>,
    /// Credits per employee per period.
    pub credits_per_period: i32,
    /// The period's length in months.
    pub period_months: i32,
    /// The professionals on the roster, in order.
    pub roster: Vec<Uuid>,
    /// The plugins.
    pub plugins: Vec<TemplatePlugin>,
    /// The slug of the company it was saved from.
    pub saved_from: String,
}

/// A template as the onboarding form lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The slug of the company it was saved from.
    pub saved_from: String,
}

/// `reseller`'s templates, by name.
pub async fn list(conn: &mut PgConnection, reseller: i64) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as!(
        Listed,
        "SELECT id, name, saved_from FROM company_templates WHERE reseller_id = $1 ORDER BY name, id",
        reseller,
    )
    .fetch_all(conn)
    .await
}

/// Template `id`, if it is `reseller`'s.
pub async fn find(
    conn: &mut PgConnection,
    reseller: i64,
    id: i64,
) -> sqlx::Result<Option<Template>> {
    let row = sqlx::query!(
        "SELECT id, name, theme, brand_color, accent_color, credits_per_period, period_months, \
           roster, plugins, saved_from \
         FROM company_templates WHERE id = $1 AND reseller_id = $2",
        id,
        reseller,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| Template {
        id: r.id,
        name: r.name,
        theme: r.theme,
        brand_color: r.brand_color,
        accent_color: r.accent_color,
        credits_per_period: r.credits_per_period,
        period_months: r.period_months,
        roster: r.roster,
        // Written only by `save` below; anything else reads as no plugins.
        plugins: serde_json::from_value(r.plugins).unwrap_or_default(),
        saved_from: r.saved_from,
    }))
}

/// The save form.
#[derive(Debug, Deserialize)]
pub struct SaveForm {
    /// The template's name.
    #[serde(default)]
    name: String,
}

/// POST /reseller/companies/{slug}/template: saves the company's settings as
/// a template named as typed. A name this reseller already uses, or none,
/// is refused with a notice and saves nothing.
pub async fn save(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Path(slug): Path<String>,
    Form(form): Form<SaveForm>,
) -> Result<Response, AppError> {
    let tenant = own_hub(&state, &admin, &slug).await?;
    let back = |done: &str| {
        crate::web::form::to(
            &Site::Platform,
            &link(&admin, "/reseller", &[("done", done)]),
        )
    };
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Ok(back("template-name"));
    }
    {
        let mut conn = state.pool.acquire().await?;
        if !hearth_tenants::registry::is_ready(&mut conn, tenant.id).await? {
            return Err(AppError::Conflict(crate::i18n::Msg::new(
                "reseller-error-not-ready",
            )));
        }
    }
    let mut tx = TenantTx::begin(&state.pool, &tenant).await?;
    let look = sqlx::query!("SELECT own_look, theme, brand_color, accent_color FROM hub_settings")
        .fetch_one(&mut *tx)
        .await?;
    let policy = CreditPolicy::load(&mut tx).await?;
    let roster: Vec<Uuid> =
        sqlx::query_scalar!("SELECT professional_id FROM roster ORDER BY position, added_at")
            .fetch_all(&mut *tx)
            .await?;
    let plugins: Vec<TemplatePlugin> = crate::plugin_host::install::active(&mut tx)
        .await?
        .into_iter()
        .filter(|p| !p.disabled)
        .map(|p| TemplatePlugin {
            plugin_id: p.plugin_id,
            hook: p.hook,
            config: p.config,
        })
        .collect();
    tx.commit().await?;
    let (theme, brand, accent) = if look.own_look {
        (
            Some(look.theme),
            Some(look.brand_color),
            Some(look.accent_color),
        )
    } else {
        (None, None, None)
    };
    let saved = sqlx::query!(
        "INSERT INTO company_templates (reseller_id, name, theme, brand_color, accent_color, \
           credits_per_period, period_months, roster, plugins, saved_from, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT ON CONSTRAINT company_templates_name_key DO NOTHING",
        admin.reseller.id,
        name,
        theme,
        brand,
        accent,
        policy.credits_per_period,
        policy.period_months,
        &roster,
        serde_json::to_value(&plugins).map_err(|e| AppError::Internal(e.into()))?,
        tenant.slug,
        admin.user.id,
    )
    .execute(&state.pool)
    .await?
    .rows_affected()
        > 0;
    Ok(back(if saved {
        "template-saved"
    } else {
        "template-taken"
    }))
}

/// The delete form.
#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    /// The template's id.
    id: i64,
}

/// POST /reseller/templates/delete: no company changes; the template is gone.
pub async fn delete(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    let deleted = sqlx::query!(
        "DELETE FROM company_templates WHERE id = $1 AND reseller_id = $2",
        form.id,
        admin.reseller.id,
    )
    .execute(&state.pool)
    .await?
    .rows_affected();
    if deleted == 0 {
        return Err(AppError::NotFound);
    }
    Ok(crate::web::form::to(
        &Site::Platform,
        &link(
            &admin,
            "/reseller/companies/new",
            &[("done", "template-deleted")],
        ),
    ))
}
