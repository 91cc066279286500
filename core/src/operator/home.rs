//! The operator's home at `/operator`: how many professionals wait for
//! verification, hubs, resellers and emails given up on.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::render;
use crate::web::error::AppError;
use crate::web::extract::Operator;
use crate::web::state::AppState;

/// The platform in figures.
#[derive(Debug, Serialize)]
struct Counts {
    waiting: i64,
    hubs: i64,
    suspended_hubs: i64,
    resellers: i64,
    dead_emails: i64,
}

/// GET /operator
pub async fn page(State(state): State<AppState>, operator: Operator) -> Result<Response, AppError> {
    let mut conn = state.pool.acquire().await?;
    let waiting = crate::professionals::verify::waiting_count(&mut conn).await?;
    let dead_emails = crate::email::dead_count(&mut conn).await?;
    // The control plane's registry (written by `hearth hub`, `hearth
    // reseller` and the resellers page): counted here in one round trip.
    let registry = sqlx::query!(
        "SELECT (SELECT count(*) FROM tenants) AS \"hubs!\", \
                (SELECT count(*) FROM tenants WHERE status = 'suspended') AS \"suspended!\", \
                (SELECT count(*) FROM resellers) AS \"resellers!\"",
    )
    .fetch_one(&mut *conn)
    .await?;
    drop(conn);
    let counts = Counts {
        waiting,
        hubs: registry.hubs,
        suspended_hubs: registry.suspended,
        resellers: registry.resellers,
        dead_emails,
    };
    render(
        &state,
        &operator,
        "home",
        "operator_home.html",
        StatusCode::OK,
        |p| p.with("counts", &counts),
    )
    .await
}
