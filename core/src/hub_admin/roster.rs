//! The roster: which verified professionals the hub offers, in what order.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use hearth_tenants::changes::{announce, Change};
use hearth_tenants::TenantTx;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{audit, done, render, Done};
use crate::web::error::AppError;
use crate::web::extract::HrAdmin;
use crate::web::site::CurrentHub;
use crate::web::state::AppState;

#[derive(Debug, Serialize, sqlx::FromRow)]
struct Professional {
    id: Uuid,
    name: String,
    title: String,
    on_roster: bool,
}

/// The roster in order: ids and names, as the audit log records it.
async fn order(tx: &mut TenantTx) -> sqlx::Result<Vec<(Uuid, String)>> {
    Ok(sqlx::query!(
        "SELECT r.professional_id, u.name FROM roster r JOIN public.users u ON u.id = r.professional_id \
         ORDER BY r.position, u.name",
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| (r.professional_id, r.name))
    .collect())
}

/// GET /admin/professionals
pub async fn page(
    State(state): State<AppState>,
    HrAdmin { hub, viewer, .. }: HrAdmin,
    Query(flag): Query<Done>,
) -> Result<Response, AppError> {
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    // On the roster first, in its order; then everyone else by name.
    let professionals: Vec<Professional> = sqlx::query_as!(
        Professional,
        "SELECT p.user_id AS id, u.name, p.title, r.professional_id IS NOT NULL AS \"on_roster!\" \
         FROM public.professionals p JOIN public.users u ON u.id = p.user_id \
         LEFT JOIN roster r ON r.professional_id = p.user_id \
         WHERE p.verified_at IS NOT NULL \
         ORDER BY r.professional_id IS NULL, r.position, u.name \
         LIMIT 500",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let notice = flag
        .done
        .is_some()
        .then(|| crate::i18n::t(viewer.language, "admin-pros-notice-saved", None));
    render(
        &state,
        &hub,
        &viewer,
        "professionals",
        "admin_professionals.html",
        StatusCode::OK,
        |p| {
            p.with("professionals", &professionals)
                .with("notice", &notice)
        },
    )
    .await
}

/// The roster form: one professional, one action.
#[derive(Debug, Deserialize)]
pub struct RosterForm {
    professional: Uuid,
    action: String,
}

/// POST /admin/professionals: `add`, `remove`, `up` or `down`.
async fn change_roster(
    state: &AppState,
    hub: &CurrentHub,
    actor_id: Uuid,
    form: &RosterForm,
) -> Result<bool, AppError> {
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let before = order(&mut tx).await?;
    let mut ids: Vec<Uuid> = before.iter().map(|(id, _)| *id).collect();
    let at = ids.iter().position(|id| *id == form.professional);
    match (form.action.as_str(), at) {
        ("add", None) => {
            let verified: bool = sqlx::query_scalar!(
                r#"SELECT EXISTS (SELECT 1 FROM public.professionals WHERE user_id = $1 AND verified_at IS NOT NULL) AS "verified!""#,
                form.professional,
            )
            .fetch_one(&mut *tx)
            .await?;
            if !verified {
                return Ok(false);
            }
            append(&mut tx, form.professional).await?;
        }
        ("remove", Some(_)) => {
            sqlx::query!(
                "DELETE FROM roster WHERE professional_id = $1",
                form.professional,
            )
            .execute(&mut *tx)
            .await?;
        }
        ("up", Some(i)) if i > 0 => ids.swap(i, i - 1),
        ("down", Some(i)) if i + 1 < ids.len() => ids.swap(i, i + 1),
        _ => return Ok(false),
    }
    if matches!(form.action.as_str(), "up" | "down") {
        sqlx::query!(
            "UPDATE roster r SET position = o.position::int \
             FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, position) WHERE r.professional_id = o.id",
            &ids,
        )
        .execute(&mut *tx)
        .await?;
    }
    let after = order(&mut tx).await?;
    let names = |list: &[(Uuid, String)]| {
        list.iter()
            .map(|(id, name)| serde_json::json!({"id": id, "name": name}))
            .collect::<Vec<_>>()
    };
    audit::record(
        &mut tx,
        actor_id,
        &format!("roster.{}", form.action),
        super::change(&names(&before), &names(&after)),
    )
    .await?;
    announce(&mut tx, Change::HubPage(hub.tenant.id)).await?;
    tx.commit().await?;
    Ok(true)
}

/// POST /admin/professionals
pub async fn change(
    State(state): State<AppState>,
    HrAdmin {
        user,
        hub,
        viewer: _,
    }: HrAdmin,
    Form(form): Form<RosterForm>,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    if !change_roster(&state, &hub, actor_id, &form).await? {
        return Err(AppError::NotFound);
    }
    Ok(done(&hub, "/admin/professionals", "saved"))
}

/// Adds verified professional `professional` at the end of the hub's roster.
pub async fn append(tx: &mut TenantTx, professional: Uuid) -> sqlx::Result<()> {
    // Read, then written from values: Citus sent an `INSERT … SELECT` into a
    // hub's table that has a now() default to the worker mangled.
    let position: i32 =
        sqlx::query_scalar!(r#"SELECT COALESCE(max(position), 0) + 1 AS "next!" FROM roster"#)
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query!(
        "INSERT INTO roster (professional_id, position) VALUES ($1, $2)",
        professional,
        position,
    )
    .execute(&mut **tx)
    .await?;
    let hub = tx.tenant_id();
    announce(tx, Change::HubPage(hub)).await
}
