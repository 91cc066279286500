//! The reseller's own look at `/reseller/look`: a theme and two colours that
//! its console wears and that its companies' hubs follow, until a hub's HR
//! admin publishes a look of their own (`hub_settings.own_look`; see
//! `hub_admin::branding`). "The platform's look" clears it. Saving tells
//! every node to forget the reseller's hub pages (one NOTIFY a hub, in the
//! same transaction).

use axum::extract::State;
use axum::response::Response;
use axum::Form;
use serde::{Deserialize, Serialize};

use super::{link, render};
use crate::hub_admin::branding::{check_look, DEFAULT_ACCENT, DEFAULT_BRAND};
use crate::web::error::AppError;
use crate::web::extract::ResellerAdmin;
use crate::web::form::{in_language, FieldErrors};
use crate::web::site::Site;
use crate::web::state::AppState;

/// A reseller's look as stored: all three or none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Look {
    /// Theme id.
    pub theme: String,
    /// `#rrggbb`.
    pub brand_color: String,
    /// `#rrggbb`.
    pub accent_color: String,
}

/// `reseller`'s look, when it has one.
pub async fn of(conn: &mut sqlx::PgConnection, reseller: i64) -> sqlx::Result<Option<Look>> {
    let row = sqlx::query!(
        "SELECT theme, brand_color, accent_color FROM resellers WHERE id = $1",
        reseller,
    )
    .fetch_optional(conn)
    .await?;
    Ok(
        row.and_then(|r| match (r.theme, r.brand_color, r.accent_color) {
            (Some(theme), Some(brand_color), Some(accent_color)) => Some(Look {
                theme,
                brand_color,
                accent_color,
            }),
            _ => None,
        }),
    )
}

/// The form as typed. An empty theme: the platform's look.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct LookForm {
    #[serde(default)]
    theme: String,
    #[serde(default)]
    brand_color: String,
    #[serde(default)]
    accent_color: String,
}

async fn form_page(
    state: &AppState,
    admin: &ResellerAdmin,
    form: &LookForm,
    errors: &FieldErrors,
    notice: bool,
) -> Result<Response, AppError> {
    let status = crate::web::form::status_of(errors);
    let themes = state.themes.choices();
    let action = link(admin, "/reseller/look", &[]);
    render(state, admin, "look", "reseller_look.html", status, |p| {
        p.with("form", form)
            .with("errors", errors)
            .with("themes", &themes)
            .with("action", &action)
            .with("saved", &notice)
    })
    .await
}

/// GET /reseller/look
pub async fn page(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    axum::extract::Query(done): axum::extract::Query<crate::web::form::Done>,
) -> Result<Response, AppError> {
    let look = {
        let mut conn = state.pool.acquire().await?;
        of(&mut conn, admin.reseller.id).await?
    };
    let form = match look {
        Some(l) => LookForm {
            theme: l.theme,
            brand_color: l.brand_color,
            accent_color: l.accent_color,
        },
        None => LookForm {
            theme: String::new(),
            brand_color: DEFAULT_BRAND.to_owned(),
            accent_color: DEFAULT_ACCENT.to_owned(),
        },
    };
    let saved = done.done.as_deref() == Some("saved");
    form_page(&state, &admin, &form, &FieldErrors::new(), saved).await
}

/// POST /reseller/look: saves the look (or clears it) and tells every node
/// to forget the pages of the reseller's hubs.
pub async fn save(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Form(form): Form<LookForm>,
) -> Result<Response, AppError> {
    let look = if form.theme.trim().is_empty() {
        None
    } else {
        match check_look(&state, &form.theme, &form.brand_color, &form.accent_color) {
            Ok((theme, brand_color, accent_color)) => Some(Look {
                theme,
                brand_color,
                accent_color,
            }),
            Err(errors) => {
                let errors = in_language(&errors, admin.viewer.language);
                return form_page(&state, &admin, &form, &errors, false).await;
            }
        }
    };
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "UPDATE resellers SET theme = $2, brand_color = $3, accent_color = $4 WHERE id = $1",
        admin.reseller.id,
        look.as_ref().map(|l| l.theme.as_str()),
        look.as_ref().map(|l| l.brand_color.as_str()),
        look.as_ref().map(|l| l.accent_color.as_str()),
    )
    .execute(&mut *tx)
    .await?;
    let hubs: Vec<i64> = sqlx::query_scalar!(
        "SELECT id FROM tenants WHERE reseller_id = $1",
        admin.reseller.id
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!(
        "SELECT pg_notify($1, id::text) FROM unnest($2::bigint[]) AS id",
        crate::web::hubs::CHANNEL,
        &hubs,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    for hub in &hubs {
        state.hub_pages.invalidate(*hub);
    }
    tracing::info!(user_id = %admin.user.id, reseller_id = admin.reseller.id, hubs = hubs.len(), "reseller admin changed the reseller's look");
    Ok(crate::web::form::to(
        &Site::Platform,
        &link(&admin, "/reseller/look", &[("done", "saved")]),
    ))
}
