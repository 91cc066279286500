//! The professionals a reseller works with, at `/reseller/professionals`:
//! the rosters it offers the companies it onboards (the onboarding form lists
//! them to tick). Added by the email of their professional account; a
//! professional not verified yet is listed as waiting, and no hub shows them
//! until an operator verifies them. Removing one changes no hub's roster.

use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{link, render};
use crate::i18n::Msg;
use crate::web::error::AppError;
use crate::web::extract::ResellerAdmin;
use crate::web::form::{in_language, normalize_email, notice, Done, FieldErrors, FieldMsgs};
use crate::web::site::Site;
use crate::web::state::AppState;

/// The `?done=` flags of the page and their notices.
const NOTICES: &[(&str, &str)] = &[
    ("added", "reseller-pros-done-added"),
    ("already", "reseller-pros-done-already"),
    ("removed", "reseller-pros-done-removed"),
];

/// A professional the reseller works with.
#[derive(Debug, Clone, Serialize)]
pub struct Professional {
    /// Their user id.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Their professional title.
    pub title: String,
    /// Whether an operator verified them (only then do hubs show them).
    pub verified: bool,
}

/// `reseller`'s professionals, by name.
pub async fn of(conn: &mut PgConnection, reseller: i64) -> sqlx::Result<Vec<Professional>> {
    sqlx::query_as!(
        Professional,
        r#"SELECT p.user_id AS id, u.name, p.title, p.verified_at IS NOT NULL AS "verified!"
           FROM reseller_professionals rp
           JOIN professionals p ON p.user_id = rp.professional_id
           JOIN users u ON u.id = p.user_id
           WHERE rp.reseller_id = $1 ORDER BY u.name, u.id"#,
        reseller,
    )
    .fetch_all(conn)
    .await
}

/// The add form.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct AddForm {
    /// The professional's email.
    #[serde(default)]
    email: String,
}

/// The remove form.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    /// The professional's user id.
    id: Uuid,
}

async fn form_page(
    state: &AppState,
    admin: &ResellerAdmin,
    form: &AddForm,
    errors: &FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let status = crate::web::form::status_of(errors);
    let professionals = {
        let mut conn = state.pool.acquire().await?;
        of(&mut conn, admin.reseller.id).await?
    };
    let action = link(admin, "/reseller/professionals", &[]);
    let remove = link(admin, "/reseller/professionals/remove", &[]);
    render(
        state,
        admin,
        "professionals",
        "reseller_professionals.html",
        status,
        |p| {
            p.with("form", form)
                .with("errors", errors)
                .with("notice", &notice)
                .with("professionals", &professionals)
                .with("action", &action)
                .with("remove", &remove)
        },
    )
    .await
}

/// GET /reseller/professionals
pub async fn page(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let notice = notice(&done, NOTICES, admin.viewer.language);
    form_page(
        &state,
        &admin,
        &AddForm::default(),
        &FieldErrors::new(),
        notice,
    )
    .await
}

/// POST /reseller/professionals: adds the professional with that email.
pub async fn add(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Form(form): Form<AddForm>,
) -> Result<Response, AppError> {
    let lang = admin.viewer.language;
    let refuse = |id: &'static str| FieldMsgs::from([("email", Msg::new(id))]);
    let Ok(email) = normalize_email(&form.email) else {
        let errors = in_language(&refuse("reseller-error-email"), lang);
        return form_page(&state, &admin, &form, &errors, None).await;
    };
    let mut tx = state.pool.begin().await?;
    let found: Option<Uuid> = sqlx::query_scalar!(
        "SELECT p.user_id FROM professionals p JOIN users u ON u.id = p.user_id \
         WHERE lower(u.email) = lower($1)",
        email,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(professional) = found else {
        tx.commit().await?;
        let errors = in_language(&refuse("reseller-pros-error-unknown"), lang);
        return form_page(&state, &admin, &form, &errors, None).await;
    };
    let added = sqlx::query!(
        "INSERT INTO reseller_professionals (reseller_id, professional_id, added_by) \
         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        admin.reseller.id,
        professional,
        admin.user.id,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    tx.commit().await?;
    let done = if added { "added" } else { "already" };
    Ok(crate::web::form::to(
        &Site::Platform,
        &link(&admin, "/reseller/professionals", &[("done", done)]),
    ))
}

/// POST /reseller/professionals/remove: no longer offered to new companies.
pub async fn remove(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Form(form): Form<RemoveForm>,
) -> Result<Response, AppError> {
    let removed = sqlx::query!(
        "DELETE FROM reseller_professionals WHERE reseller_id = $1 AND professional_id = $2",
        admin.reseller.id,
        form.id,
    )
    .execute(&state.pool)
    .await?
    .rows_affected();
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    Ok(crate::web::form::to(
        &Site::Platform,
        &link(&admin, "/reseller/professionals", &[("done", "removed")]),
    ))
}
