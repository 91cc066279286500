//! The composition root of the HTTP application: every feature's routes,
//! and the layers every request passes (from the web layer).

use std::time::Duration;

use axum::extract::Request;
use axum::Router;
use tower::Layer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::web::authz::Routes;
use crate::web::state::AppState;
use crate::web::{authz, health, hubs, observe, site};

/// Every route of the application, each declared with the object it touches
/// (see `authz`): the only way a route is added.
pub fn routes() -> Routes {
    use crate::accounts::{invitations, login, signup};
    Routes::default()
        .get("/", "public", crate::hub::home)
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
        .merge(crate::booking::routes())
        .merge(crate::professionals::routes())
        .merge(crate::dashboard::routes())
        .merge(crate::profile::routes())
        .merge(crate::video::routes())
        .merge(crate::hub_admin::routes())
        .merge(crate::operator::routes())
        .merge(crate::reseller::routes())
        .merge(crate::reports::routes())
        .merge(crate::payments::routes())
}

/// The whole application: routing wrapped in the layers that must run before
/// it (request id, tracing, hub resolution, which rewrites `/h/<slug>/`).
pub fn service(state: AppState) -> Router {
    let (routes, declared) = routes().into_parts();
    let routes = routes.layer(axum::middleware::from_fn_with_state(
        (state.clone(), declared),
        authz::authorize,
    ));
    // Themes' static files, from memory (read and hashed at start).
    let statics = Router::new().route("/static/{theme}/{*path}", axum::routing::get(static_file));
    let router = Router::new()
        .merge(routes)
        .merge(statics)
        .merge(crate::mailbox::routes(&state.config))
        .merge(crate::payments::webhook_routes())
        .fallback(crate::hub::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            hubs::forget_after_write,
        ))
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
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::CONTENT_SECURITY_POLICY,
            axum::http::HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            strict_transport,
        ))
        .with_state(state.clone());
    let site = axum::middleware::from_fn_with_state(state.clone(), site::resolve);
    // Hub resolution rewrites the path, so it runs before the inner router routes.
    Router::new()
        .fallback_service(site.layer(router))
        .layer(axum::middleware::from_fn_with_state(
            state,
            crate::web::error::themed,
        ))
        // Brotli or gzip for the responses made per request (themed error
        // pages included, so outside them); cached pages and static files
        // come already encoded (`compress`) and pass as they are.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .br(true)
                .gzip(true),
        )
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
            // Neither the path nor the query: both may carry tokens (reset,
            // invitation). The route's template is recorded once routed.
            tracing::info_span!(
                "request",
                request_id,
                method = %req.method(),
                route = tracing::field::Empty,
                hub = tracing::field::Empty,
                user_id = tracing::field::Empty,
            )
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// What pages may load and run: scripts only from this site's own files (no
/// inline script, no `eval`), styles from its files plus inline ones (each
/// hub's colours are CSS variables in the page, checked as CSS values when
/// saved), images from here and `data:`, nothing framed, nothing framing it,
/// forms posting only here. Responses that set their own (an uploaded logo or
/// photo, `/dev/mail`) keep theirs.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// Layer: HSTS when the platform is served over HTTPS (`public_url` starts
/// with `https://`): a browser that saw it never falls back to plain HTTP.
async fn strict_transport(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(req).await;
    if state.config.is_https() {
        response.headers_mut().insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// How long a file named without its fingerprint may be reused: pages link the
/// fingerprinted name, so only outside links use this one.
const PLAIN_STATIC_MAX_AGE: &str = "public, max-age=300";
/// A fingerprinted name's content never changes.
const FINGERPRINTED_MAX_AGE: &str = "public, max-age=31536000, immutable";

/// `GET /static/<theme>/<path>`: a theme's (or its parents') static file, by
/// its plain name or its fingerprinted one (cached for good).
async fn static_file(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path((theme, path)): axum::extract::Path<(String, String)>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue, StatusCode};
    use axum::response::IntoResponse;
    let Some(hit) = state.themes.find(&theme).and_then(|t| t.static_file(&path)) else {
        return crate::hub::not_found().await;
    };
    let etag = format!("\"{}\"", hit.file.hash);
    let cache_control = if hit.immutable {
        FINGERPRINTED_MAX_AGE
    } else {
        PLAIN_STATIC_MAX_AGE
    };
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut encoding = None;
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        // Text compresses; pictures and fonts already are.
        let coding = if hit.file.content_type.starts_with("text/")
            || hit.file.content_type.starts_with("application/javascript")
            || hit.file.content_type.starts_with("image/svg")
        {
            crate::compress::Coding::preferred(&headers)
        } else {
            crate::compress::Coding::Identity
        };
        let (body, used) = hit.file.body.body(coding);
        encoding = used;
        ([(header::CONTENT_TYPE, hit.file.content_type)], body).into_response()
    };
    let h = response.headers_mut();
    crate::compress::Encoded::mark(h, encoding);
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, etag);
    }
    response
}
