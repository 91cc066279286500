//! The HR admin's settings of a hub, at `/admin` inside it: branding with a
//! draft to preview before publishing, eligibility, the roster of
//! professionals, the custom domain, and the audit log every change writes to.

pub mod audit;
pub mod branding;
pub mod contrast;
pub mod domain;
pub mod eligibility;
pub mod logo;
pub mod roster;
pub mod status;

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::web::authz::{Routes, Viewer};
use crate::web::error::AppError;
use crate::web::page::Page;
use crate::web::site::{CurrentHub, Site};
use crate::web::state::AppState;

/// Every route of the HR admin's settings. All but the logo (object
/// `public`, since every visitor sees it) need `hub_admin`.
pub fn routes() -> Routes {
    let upload_limit = DefaultBodyLimit::max(logo::MAX_UPLOAD + UPLOAD_SLACK);
    Routes::default()
        .get("/admin", "hub_admin", branding::page)
        .post("/admin/branding", "hub_admin", branding::save_draft)
        .post(
            "/admin/branding/logo",
            "hub_admin",
            branding::upload_logo.layer(upload_limit),
        )
        .post(
            "/admin/branding/logo/remove",
            "hub_admin",
            branding::remove_logo,
        )
        .post("/admin/branding/publish", "hub_admin", branding::publish)
        .post("/admin/branding/discard", "hub_admin", branding::discard)
        .post("/admin/branding/follow", "hub_admin", branding::follow)
        .get("/admin/preview", "hub_admin", branding::preview)
        .get("/admin/eligibility", "hub_admin", eligibility::page)
        .post(
            "/admin/eligibility/domains",
            "hub_admin",
            eligibility::add_domain,
        )
        .post(
            "/admin/eligibility/domains/remove",
            "hub_admin",
            eligibility::remove_domain,
        )
        .post(
            "/admin/eligibility/codes",
            "hub_admin",
            eligibility::create_code,
        )
        .post(
            "/admin/eligibility/codes/revoke",
            "hub_admin",
            eligibility::revoke_code,
        )
        .post(
            "/admin/eligibility/import",
            "hub_admin",
            eligibility::import.layer(upload_limit),
        )
        .get("/admin/professionals", "hub_admin", roster::page)
        .post("/admin/professionals", "hub_admin", roster::change)
        .get("/admin/domain", "hub_admin", domain::page)
        .post("/admin/domain", "hub_admin", domain::add)
        .post("/admin/domain/remove", "hub_admin", domain::remove)
        .post("/admin/domain/check", "hub_admin", domain::check)
        .get("/admin/audit", "hub_admin", audit::page)
        .get("/brand/{file}", "public", logo::serve)
}

/// The site of `hub`, for [`Page::new`].
fn site_of(hub: &CurrentHub) -> Site {
    Site::Hub {
        tenant: hub.tenant.clone(),
        base: hub.base.clone(),
    }
}

/// An admin page: the frame, the nav section, then `fill`'s variables.
pub(crate) async fn render(
    state: &AppState,
    hub: &CurrentHub,
    viewer: &Viewer,
    section: &str,
    template: &str,
    status: StatusCode,
    fill: impl FnOnce(Page) -> Page,
) -> Result<Response, AppError> {
    let page = Page::new(state, &site_of(hub), viewer)
        .await?
        .with("section", &section);
    Ok((status, fill(page).render(state, template)?).into_response())
}

/// Back to `path` (inside the hub) after a change, saying what was done.
pub(crate) fn done(hub: &CurrentHub, path: &str, what: &str) -> Response {
    Redirect::to(&format!("{}{path}?done={what}", hub.base)).into_response()
}

pub(crate) use crate::web::form::{in_language, notice, Done, FieldMsgs};
pub(crate) use crate::web::upload::{upload_field, UPLOAD_SLACK};

/// A `{before, after}` pair for the audit log.
pub(crate) fn change(before: &impl Serialize, after: &impl Serialize) -> serde_json::Value {
    serde_json::json!({ "before": before, "after": after })
}
