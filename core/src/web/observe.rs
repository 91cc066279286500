//! Request metrics and the Prometheus endpoint.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use secrecy::ExposeSecret as _;

use crate::web::state::AppState;

/// Counts each request and its latency by route (the matched pattern, never the
/// raw path, so a label cannot grow without bound).
pub async fn record(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().to_string();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("hearth_http_requests_total", "route" => route.clone(), "method" => method.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("hearth_http_request_duration_seconds", "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    response
}

/// `/metrics` in Prometheus' text format, for a scraper that sends the
/// configured bearer token (`metrics_token`); a 404 for anyone else, and for
/// everyone when no token is configured, so request counts and pool figures
/// are never public.
pub async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let sent = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let allowed = match (&state.config.metrics_token, sent) {
        (Some(token), Some(sent)) => {
            crate::web::tokens::same(sent.as_bytes(), token.expose_secret().as_bytes())
        }
        _ => false,
    };
    if !allowed {
        return crate::web::error::AppError::NotFound.into_response();
    }
    let size = f64::from(state.pool.size());
    let idle = f64::from(u32::try_from(state.pool.num_idle()).unwrap_or(u32::MAX));
    metrics::gauge!("hearth_db_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("hearth_db_pool_connections", "state" => "in_use").set(size - idle);
    metrics::gauge!("hearth_db_pool_max_connections")
        .set(f64::from(state.config.db_max_connections));
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}
