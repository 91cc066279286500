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

/// An entry as the operator's console shows it, from outside the hub.
#[derive(Debug, Clone, Serialize)]
pub struct Logged {
    /// Its id (entries are numbered in the order written).
    pub id: i64,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// What, e.g. `branding.publish` or `hub.suspend`.
    pub action: String,
    /// Who: their name, if the account still exists.
    pub actor_name: Option<String>,
    /// And their email address.
    pub actor_email: Option<String>,
    /// The value before, as JSON.
    pub before: Option<String>,
    /// The value after, as JSON.
    pub after: Option<String>,
}

/// The kinds of action the hub's log holds, by name.
pub async fn actions(tx: &mut TenantTx) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!("SELECT DISTINCT action FROM audit_log ORDER BY action")
        .fetch_all(&mut **tx)
        .await
}

/// `limit` entries of the hub's log from `offset`, newest first, of kind
/// `action` and by `actor` only when given; and how many such entries there are.
pub async fn entries(
    tx: &mut TenantTx,
    action: Option<&str>,
    actor: Option<Uuid>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Logged>, i64)> {
    let total = sqlx::query_scalar!(
        "SELECT count(*) AS \"count!\" FROM audit_log \
         WHERE ($1::text IS NULL OR action = $1) AND ($2::uuid IS NULL OR actor_id = $2)",
        action,
        actor,
    )
    .fetch_one(&mut **tx)
    .await?;
    let entries = sqlx::query_as!(
        Logged,
        "SELECT a.id, a.at, a.action, u.name AS \"actor_name?\", u.email AS \"actor_email?\", \
                (a.detail -> 'before')::text AS before, (a.detail -> 'after')::text AS after \
         FROM audit_log a LEFT JOIN public.users u ON u.id = a.actor_id \
         WHERE ($1::text IS NULL OR a.action = $1) AND ($2::uuid IS NULL OR a.actor_id = $2) \
         ORDER BY a.id DESC LIMIT $3 OFFSET $4",
        action,
        actor,
        limit,
        offset,
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok((entries, total))
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
