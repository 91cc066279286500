//! Probes: `/healthz` (the process answers) and `/readyz` (the database
//! answers and every migration is applied).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::web::state::AppState;

/// The process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready to serve: the database is reachable and migrations are current.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match hearth_tenants::migrate::is_current(&state.pool, &state.tenant_migrator).await {
        Ok(true) => (
            StatusCode::OK,
            Json(json!({"database": "ok", "migrations": "current"})),
        ),
        Ok(false) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"database": "ok", "migrations": "pending: run `hearth migrate`"})),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"database": "unreachable", "migrations": "unknown"})),
            )
        }
    }
}
