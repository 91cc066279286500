//! The HTTP application: routes, and the layers every request passes.

pub mod health;
pub mod hub;
pub mod observe;
pub mod site;

use std::time::Duration;

use axum::extract::Request;
use axum::routing::get;
use axum::Router;
use tower::Layer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::AppState;

/// The whole application: routing wrapped in the layers that must run before
/// it (request id, tracing, hub resolution, which rewrites `/h/<slug>/`).
pub fn service(state: AppState) -> Router {
    let mut router = Router::new()
        .route("/", get(hub::home))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(observe::metrics));
    for theme in state.themes.all() {
        let mut dirs = theme.static_dirs.iter();
        if let Some(first) = dirs.next() {
            let mut serve = ServeDir::new(first).fallback(ServeDir::new(first));
            if let Some(parent) = dirs.next() {
                serve = ServeDir::new(first).fallback(ServeDir::new(parent));
            }
            router = router.nest_service(&format!("/static/{}", theme.id), serve);
        }
    }
    let router = router
        .fallback(hub::not_found)
        .layer(axum::middleware::from_fn(observe::record))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            axum::http::HeaderValue::from_static("nosniff"),
        ))
        .with_state(state.clone());
    let site = axum::middleware::from_fn_with_state(state, site::resolve);
    // Hub resolution rewrites the path, so it runs before the inner router routes.
    Router::new()
        .fallback_service(site.layer(router))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let request_id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            // The path only: query strings may carry tokens.
            tracing::info_span!("request", request_id, method = %req.method(), path = req.uri().path())
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}
