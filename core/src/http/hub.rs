//! The hub page, the platform's front page and the themed 404.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hearth_tenants::TenantTx;
use serde::Serialize;

use crate::app::AppState;
use crate::error::AppError;
use crate::http::authz::Viewer;
use crate::http::page::Page;
use crate::http::site::Site;

/// A professional on a hub's roster, as the hub page shows them.
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct RosterEntry {
    name: String,
    title: String,
    specialties: Vec<String>,
    languages: Vec<String>,
}

/// The hub's verified professionals in roster order, on `conn` (a `TenantTx`).
pub async fn roster(conn: &mut sqlx::PgConnection) -> sqlx::Result<Vec<RosterEntry>> {
    sqlx::query_as(
        "SELECT u.name, p.title, p.specialties, p.languages \
         FROM roster r \
         JOIN public.professionals p ON p.user_id = r.professional_id \
         JOIN public.users u ON u.id = p.user_id \
         WHERE p.verified_at IS NOT NULL \
         ORDER BY r.position, u.name",
    )
    .fetch_all(conn)
    .await
}

/// `/`: the hub page on a hub, the platform page elsewhere.
pub async fn home(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &site, &viewer).await?;
    let Site::Hub { tenant, .. } = &site else {
        return Ok(page.render(&state, "platform.html")?.into_response());
    };
    let mut tx = TenantTx::begin(&state.pool, tenant).await?;
    let roster = roster(&mut tx).await?;
    tx.commit().await?;
    Ok(page
        .with("roster", &roster)
        .render(&state, "hub.html")?
        .into_response())
}

/// Anything unrouted.
pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, AppError::NotFound).into_response()
}
