//! My Profile and Your data: the user's own details, email change by code,
//! the export of everything held about them, and deleting the account.
//!
//! Every page is object `account` (any onboarded user) and works on the
//! signed-in user's own rows only. Pages speak the user's language (English
//! or Icelandic, from the `profile-` and `data-` messages of the catalogue,
//! see [`crate::i18n`]) and wear the theme of the site they are on.

pub mod data;
pub mod delete;
pub mod edit;
pub mod email;
pub mod export;
pub mod photo;
pub mod validate;

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::web::authz::{Routes, Viewer};
use crate::web::error::AppError;
use crate::web::session::SessionUser;
use crate::web::site::base_of;
use crate::web::site::Site;

/// The profile's routes.
pub fn routes() -> Routes {
    let upload_limit =
        DefaultBodyLimit::max(crate::web::upload::MAX_UPLOAD + crate::web::upload::UPLOAD_SLACK);
    Routes::default()
        .get("/account/profile", "account", edit::page)
        .post("/account/profile", "account", edit::save)
        .get("/account/profile/photo", "account", photo::own)
        .post(
            "/account/profile/photo",
            "account",
            photo::upload.layer(upload_limit),
        )
        .post("/account/profile/photo/remove", "account", photo::remove)
        .post("/account/email", "account", email::request)
        .post("/account/email/verify", "account", email::verify)
        .post("/account/email/cancel", "account", email::cancel)
        .get("/account/data", "account", data::page)
        .get("/account/data.json", "account", data::json)
        .get("/account/data.html", "account", data::summary)
        .post("/account/delete", "account", delete::delete)
}

/// The `?done=` flag of a page, after a redirect.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// The signed-in user (the policy let them in; this is belt and braces).
fn me(viewer: &Viewer) -> Result<&SessionUser, AppError> {
    viewer.signed_in()
}

/// Back to `path` inside `site` after a change.
fn to(site: &Site, path: &str) -> Response {
    Redirect::to(&format!("{}{path}", base_of(site))).into_response()
}
