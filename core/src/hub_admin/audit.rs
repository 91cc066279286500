//! The hub's audit log: who changed what, when, before → after.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hearth_tenants::TenantTx;
use serde::Serialize;
use uuid::Uuid;

use super::render;
use crate::web::error::AppError;
use crate::web::extract::{HrAdmin, HubTx};
use crate::web::state::AppState;

/// Writes one entry; `detail` is `{before, after}` (see `super::change`).
pub async fn record(
    tx: &mut TenantTx,
    actor_id: Uuid,
    action: &str,
    detail: serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO audit_log (actor_id, action, detail) VALUES ($1, $2, $3)",
        actor_id,
        action,
        detail,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct Entry {
    at: String,
    action: String,
    actor: Option<String>,
    before: Option<String>,
    after: Option<String>,
}

/// GET /admin/audit: the last 50 changes.
pub async fn page(
    State(state): State<AppState>,
    HrAdmin { hub, viewer, .. }: HrAdmin,
    HubTx { mut tx, .. }: HubTx,
) -> Result<Response, AppError> {
    let entries: Vec<Entry> = sqlx::query_as!(
        Entry,
        "SELECT to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC' AS \"at!\", a.action, \
                u.name || ' <' || u.email || '>' AS actor, \
                (a.detail -> 'before')::text AS before, (a.detail -> 'after')::text AS after \
         FROM audit_log a LEFT JOIN public.users u ON u.id = a.actor_id \
         ORDER BY a.id DESC LIMIT 50",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    render(
        &state,
        &hub,
        &viewer,
        "audit",
        "admin_audit.html",
        StatusCode::OK,
        |p| p.with("entries", &entries),
    )
    .await
}
