//! The plugin registry, read-only, at `/operator/plugins`: every uploaded
//! module with its version, hooks, and when and by whom it was uploaded.
//! Uploading stays with `hearth plugin upload`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::when;
use crate::plugin_host::registry::{self, Registered};
use crate::web::error::AppError;
use crate::web::extract::Operator;
use crate::web::state::AppState;

/// A plugin as the page shows it.
#[derive(Debug, Serialize)]
struct PluginView {
    #[serde(flatten)]
    plugin: Registered,
    /// The first 12 characters of its id.
    short_id: String,
    /// When it was uploaded, for the operator.
    when: String,
    /// Its size in kilobytes, rounded up.
    kilobytes: i64,
}

/// GET /operator/plugins
pub async fn page(State(state): State<AppState>, operator: Operator) -> Result<Response, AppError> {
    let mut conn = state.pool.acquire().await?;
    let plugins = registry::list_registered(&mut conn).await?;
    drop(conn);
    let plugins: Vec<PluginView> = plugins
        .into_iter()
        .map(|plugin| PluginView {
            short_id: plugin.id.chars().take(12).collect(),
            when: when(&operator, plugin.uploaded_at),
            kilobytes: (i64::from(plugin.size_bytes) + 1023) / 1024,
            plugin,
        })
        .collect();
    super::render(
        &state,
        &operator,
        "plugins",
        "operator_plugins.html",
        StatusCode::OK,
        |p| p.with("plugins", &plugins),
    )
    .await
}
