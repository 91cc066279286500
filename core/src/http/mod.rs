//! The HTTP application: routes, and the layers every request passes.

pub mod authz;
pub mod health;
pub mod hub;
pub mod observe;
pub mod page;
pub mod site;

use std::time::Duration;

use axum::extract::Request;
use axum::Router;
use tower::Layer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::AppState;
use crate::http::authz::Routes;

/// Every route of the application, each declared with the object it touches
/// (see `authz`): the only way a route is added.
pub fn routes() -> Routes {
    use crate::accounts::{dashboard, invitations, login, signup};
    Routes::default()
        .get("/", "public", hub::home)
        .get("/healthz", "probe", health::healthz)
        .get("/readyz", "probe", health::readyz)
        .get("/metrics", "probe", observe::metrics)
        .get("/signup", "auth", signup::signup_page)
        .post("/signup", "auth", signup::signup)
        .get("/terms", "public", signup::terms_page)
        .post("/terms", "onboarding", signup::accept_terms)
        .get("/verify", "onboarding", signup::verify_page)
        .post("/verify", "onboarding", signup::verify)
        .post("/verify/resend", "onboarding", signup::resend)
        .get("/login", "auth", login::login_page)
        .post("/login", "auth", login::login)
        .post("/logout", "session", login::logout)
        .get("/forgot", "auth", login::forgot_page)
        .post("/forgot", "auth", login::forgot)
        .get("/reset/{token}", "auth", login::reset_page)
        .post("/reset/{token}", "auth", login::reset)
        .get("/dashboard", "account", dashboard::home)
        .get("/account/password", "account", login::change_page)
        .post("/account/password", "account", login::change)
        .get("/invitations/{token}", "public", invitations::show)
        .post(
            "/invitations/{token}/accept",
            "account",
            invitations::accept_post,
        )
        .get("/pro/invitations", "invitations", invitations::list_page)
        .post("/pro/invitations", "invitations", invitations::create)
        .post(
            "/pro/invitations/{id}/revoke",
            "invitations",
            invitations::revoke,
        )
        .merge(crate::hub_plugins::routes())
        .merge(crate::hub_admin::routes())
}

/// The whole application: routing wrapped in the layers that must run before
/// it (request id, tracing, hub resolution, which rewrites `/h/<slug>/`).
pub fn service(state: AppState) -> Router {
    let (routes, declared) = routes().into_parts();
    let routes = routes.layer(axum::middleware::from_fn_with_state(
        (state.clone(), declared),
        authz::authorize,
    ));
    let mut statics = Router::new();
    for theme in state.themes.all() {
        let mut dirs = theme.static_dirs.iter();
        if let Some(first) = dirs.next() {
            let serve = match dirs.next() {
                Some(parent) => ServeDir::new(first).fallback(ServeDir::new(parent)),
                None => ServeDir::new(first).fallback(ServeDir::new(first)),
            };
            statics = statics.nest_service(&format!("/static/{}", theme.id), serve);
        }
    }
    let router = Router::new()
        .merge(routes)
        .merge(statics)
        .merge(crate::email::dev_page::routes(&state.config))
        .fallback(hub::not_found)
        .layer(axum::middleware::from_fn(observe::record))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            axum::http::HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_FRAME_OPTIONS,
            axum::http::HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::REFERRER_POLICY,
            axum::http::HeaderValue::from_static("same-origin"),
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
