//! The HR admin's settings of a hub, at `/admin` inside it: branding with a
//! draft to preview before publishing, eligibility, the roster of
//! professionals, the custom domain, and the audit log every change writes to.

pub mod audit;
pub mod branding;
pub mod contrast;
pub mod domain;
pub mod eligibility;
pub mod logo;
pub mod markdown;
pub mod roster;

use axum::extract::multipart::Multipart;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use uuid::Uuid;

use crate::app::AppState;
use crate::error::AppError;
use crate::http::authz::{Routes, Viewer};
use crate::http::page::Page;
use crate::http::site::{CurrentHub, Site};
use crate::i18n::Msg;

/// Uploads may be this much larger than the file they carry (multipart framing).
pub(crate) const UPLOAD_SLACK: usize = 64 * 1024;

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
        .get("/admin/audit", "hub_admin", audit::page)
        .get("/brand/{file}", "public", logo::serve)
}

/// The signed-in HR admin's id (the policy let them in; this is belt and braces).
pub(crate) fn actor(viewer: &Viewer) -> Result<Uuid, AppError> {
    match &viewer.user {
        Some(user) if viewer.roles.contains(&"hr_admin") => Ok(user.id),
        _ => Err(AppError::Forbidden),
    }
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

/// The `?done=` flag of a page, after a redirect.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Done {
    pub(crate) done: Option<String>,
}

/// Why an uploaded file could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UploadError {
    /// Larger than allowed.
    TooLarge,
    /// The request broke off.
    Interrupted,
}

/// The bytes of the multipart field `name`, at most `max` of them. `Ok(None)`
/// when there is no such field.
pub(crate) async fn read_file_field(
    multipart: &mut Multipart,
    name: &str,
    max: usize,
) -> Result<Option<Vec<u8>>, UploadError> {
    let failed = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            UploadError::TooLarge
        } else {
            UploadError::Interrupted
        }
    };
    loop {
        let Some(mut field) = multipart.next_field().await.map_err(failed)? else {
            return Ok(None);
        };
        if field.name() != Some(name) {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(failed)? {
            if bytes.len() + chunk.len() > max {
                return Err(UploadError::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(Some(bytes));
    }
}

impl UploadError {
    /// The failure in words for the person uploading, for a field of at most `max` bytes.
    pub(crate) fn msg(self, max: usize) -> Msg {
        match self {
            Self::TooLarge => Msg::new("admin-upload-too-large").arg("size", max / (1024 * 1024)),
            Self::Interrupted => Msg::new("admin-upload-interrupted"),
        }
    }
}

/// [`read_file_field`], with its failure as a message.
pub(crate) async fn upload_field(
    multipart: &mut Multipart,
    name: &str,
    max: usize,
) -> Result<Option<Vec<u8>>, Msg> {
    read_file_field(multipart, name, max)
        .await
        .map_err(|e| e.msg(max))
}

/// The notice of a page's `?done=` flag, in `lang`: `notices` pairs flags
/// with message ids.
pub(crate) fn notice(flag: &Done, notices: &[(&str, &'static str)], lang: &str) -> Option<String> {
    let done = flag.done.as_deref()?;
    notices
        .iter()
        .find(|(f, _)| *f == done)
        .map(|(_, id)| crate::i18n::t(lang, id, None))
}

pub(crate) use crate::accounts::{in_language, FieldMsgs};

/// A `{before, after}` pair for the audit log.
pub(crate) fn change(before: &impl Serialize, after: &impl Serialize) -> serde_json::Value {
    serde_json::json!({ "before": before, "after": after })
}
