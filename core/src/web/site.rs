//! Which site a request is for: the platform or a hub, by `/h/<slug>/`, by
//! `<slug>.<base domain>`, or by a custom domain. Unknown hubs get a 404 page,
//! suspended ones a page saying so, and neither reaches a handler.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hearth_tenants::{Resolved, Tenant};

use crate::i18n::Msg;
use crate::web::error::{error_response, AppError, ErrorPage};
use crate::web::state::AppState;

/// The site of the current request.
#[derive(Debug, Clone)]
pub enum Site {
    /// The platform's own pages.
    Platform,
    /// A company hub; `base` is the path prefix its links need (`/h/acme` or empty).
    Hub {
        /// The hub.
        tenant: Arc<Tenant>,
        /// Prefix for the hub's links.
        base: String,
    },
}

impl Site {
    /// The path prefix of this site's links (`/h/acme`, or empty).
    pub fn base(&self) -> &str {
        match self {
            Site::Platform => "",
            Site::Hub { base, .. } => base,
        }
    }
}

/// The path prefix of `site`'s links (see [`Site::base`]).
pub fn base_of(site: &Site) -> &str {
    site.base()
}

/// Paths that answer whatever the host: probes, metrics and static files.
fn is_global(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics") || path.starts_with("/static/")
}

/// Hub `slug` as a console names it in a path: a 404 when there is no such
/// hub, also for a slug that cannot be one (without asking the database).
pub async fn hub_by_slug(state: &AppState, slug: &str) -> Result<Tenant, AppError> {
    let plausible = (3..=40).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !plausible {
        return Err(AppError::NotFound);
    }
    let mut conn = state.pool.acquire().await?;
    hearth_tenants::registry::find_by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// Resolves the site and stores it in the request's extensions.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if is_global(&path) {
        req.extensions_mut().insert(Site::Platform);
        return next.run(req).await;
    }
    let host = req
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().host())
        .unwrap_or_default()
        .to_owned();
    let by_host = state.resolver.by_host(&host).await;
    // `/h/<slug>/` names a hub on the platform's own host only: on a hub's
    // subdomain or custom domain, no other hub answers.
    let (resolved, by_path) = match (by_host, path.strip_prefix("/h/")) {
        (Ok(Resolved::Platform), Some(rest)) => {
            let (slug, tail) = rest.split_once('/').unwrap_or((rest, ""));
            if let Err(response) = rewrite_path(&mut req, &format!("/{tail}")) {
                return response;
            }
            let found = state.resolver.by_slug(slug).await;
            (
                found.map(|t| t.map_or(Resolved::Unknown, Resolved::Hub)),
                true,
            )
        }
        (by_host, _) => (by_host, false),
    };
    match resolved {
        Ok(Resolved::Platform) => {
            req.extensions_mut().insert(Site::Platform);
            next.run(req).await
        }
        Ok(Resolved::Hub(tenant)) if !tenant.is_active() => suspended_page(&tenant),
        Ok(Resolved::Hub(tenant)) => {
            let base = if by_path {
                format!("/h/{}", tenant.slug)
            } else {
                String::new()
            };
            let site = Site::Hub { tenant, base };
            req.extensions_mut().insert(site.clone());
            let mut response = next.run(req).await;
            // An error page is themed as the hub's (crate::web::error::themed).
            if response.extensions().get::<ErrorPage>().is_some() {
                response.extensions_mut().insert(site);
            }
            response
        }
        Ok(Resolved::Unknown) => error_response(StatusCode::NOT_FOUND, "error-unknown-hub"),
        Err(e) => AppError::Database(e).into_response(),
    }
}

fn rewrite_path(req: &mut Request, path: &str) -> Result<(), Response> {
    let path_and_query = match req.uri().query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    };
    let mut parts = req.uri().clone().into_parts();
    parts.path_and_query = path_and_query.parse().ok();
    match Uri::from_parts(parts) {
        Ok(uri) => {
            *req.uri_mut() = uri;
            Ok(())
        }
        Err(_) => Err(AppError::NotFound.into_response()),
    }
}

fn suspended_page(tenant: &Tenant) -> Response {
    // The hub's name is all that is shown (on the platform's page): no hub
    // data while suspended.
    error_response(
        StatusCode::FORBIDDEN,
        Msg::new("error-hub-suspended").arg("hub", tenant.name.clone()),
    )
}

/// The current hub, for handlers that only make sense inside one.
#[derive(Debug, Clone)]
pub struct CurrentHub {
    /// The hub.
    pub tenant: Arc<Tenant>,
    /// Prefix for its links.
    pub base: String,
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentHub {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        match parts.extensions.get::<Site>() {
            Some(Site::Hub { tenant, base }) => Ok(Self {
                tenant: Arc::clone(tenant),
                base: base.clone(),
            }),
            _ => Err(AppError::NotFound),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Site {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<Site>()
            .cloned()
            .ok_or(AppError::NotFound)
    }
}
