//! The Client Dashboard's first page: where a person lands after signing up
//! or logging in, with their connections and the way back to their hub.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::app::AppState;
use crate::error::AppError;
use crate::http::authz::Viewer;
use crate::http::page::Page;
use crate::http::site::Site;

#[derive(Debug, Serialize, sqlx::FromRow)]
struct Connection {
    name: String,
    title: String,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct Hub {
    slug: String,
    name: String,
}

/// GET /dashboard
pub async fn home(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let user = viewer.user.clone().ok_or(AppError::Forbidden)?;
    let connections: Vec<Connection> = sqlx::query_as(
        "SELECT u.name, coalesce(p.title, '') AS title FROM connections c \
         JOIN users u ON u.id = c.professional_id LEFT JOIN professionals p ON p.user_id = c.professional_id \
         WHERE c.client_id = $1 ORDER BY u.name",
    )
    .bind(user.id)
    .fetch_all(&state.pool)
    .await?;
    let hubs: Vec<Hub> = sqlx::query_as(
        "SELECT t.slug, t.name FROM member_directory m JOIN tenants t ON t.id = m.tenant_id \
         WHERE m.user_id = $1 AND m.status = 'active' AND t.status = 'active' ORDER BY t.name",
    )
    .bind(user.id)
    .fetch_all(&state.pool)
    .await?;
    let hub_links: Vec<(String, String)> = hubs
        .iter()
        .map(|h| {
            (
                h.name.clone(),
                match &site {
                    Site::Hub { tenant, base } if tenant.slug == h.slug => format!("{base}/"),
                    _ => format!("{}/", state.config.hub_url(&h.slug)),
                },
            )
        })
        .collect();
    let page = Page::new(&state, &site, &viewer).await?;
    Ok(page
        .with("connections", &connections)
        .with("hub_links", &hub_links)
        .render(&state, "dashboard.html")?
        .into_response())
}
