//! Professionals: their profile, services and weekly availability, their
//! dashboard, and verification by an operator.
//!
//! Any onboarded user may become a professional (`/pro/profile`): the same
//! account, with a `professionals` row added. Until an operator verifies them
//! (at `/operator/professionals`, or `hearth professional verify <email>`) no
//! hub and no client sees them, but they can already fill in their profile,
//! services and hours. Every page works on the signed-in user's own row only.

pub mod availability;
pub mod dashboard;
pub mod photo;
pub mod profile;
pub mod services;
pub mod validate;
pub mod verify;

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::web::authz::{Routes, Viewer};
use crate::web::error::AppError;
use crate::web::page::Page;
use crate::web::session::SessionUser;
use crate::web::site::base_of;
use crate::web::site::Site;
use crate::web::state::AppState;

/// Uploads may be this much larger than the file they carry (multipart framing).
const UPLOAD_SLACK: usize = 64 * 1024;

/// The professional's routes. Everything under `/pro` is object `practice`
/// (any onboarded user: an unverified professional fills in their profile
/// too); handlers check that the row is the user's own. The public photo is
/// object `public`.
pub fn routes() -> Routes {
    let upload_limit = DefaultBodyLimit::max(photo::MAX_UPLOAD + UPLOAD_SLACK);
    Routes::default()
        .get("/pro", "practice", dashboard::page)
        .get("/pro/profile", "practice", profile::page)
        .post("/pro/profile", "practice", profile::save)
        .get("/pro/profile/photo", "practice", photo::own)
        .post(
            "/pro/profile/photo",
            "practice",
            photo::upload.layer(upload_limit),
        )
        .post("/pro/profile/photo/remove", "practice", photo::remove)
        .get("/professionals/{id}/photo", "public", photo::serve)
        .get("/pro/services", "practice", services::page)
        .post("/pro/services", "practice", services::create)
        .get("/pro/services/{id}", "practice", services::edit_page)
        .post("/pro/services/{id}", "practice", services::update)
        .post("/pro/services/{id}/archive", "practice", services::archive)
        .get("/pro/availability", "practice", availability::page)
        .post(
            "/pro/availability/rules",
            "practice",
            availability::add_rule,
        )
        .post(
            "/pro/availability/rules/{id}/delete",
            "practice",
            availability::delete_rule,
        )
        .post(
            "/pro/availability/exceptions",
            "practice",
            availability::add_exception,
        )
        .post(
            "/pro/availability/exceptions/{id}/delete",
            "practice",
            availability::delete_exception,
        )
}

/// A professional's own row, as their pages show and edit it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Professional {
    /// Their user id.
    pub user_id: Uuid,
    /// Their name (`users.name`).
    pub name: String,
    /// Title, like "Clinical psychologist".
    pub title: String,
    /// Plain-text biography.
    pub bio: String,
    /// What they work on.
    pub specialties: Vec<String>,
    /// Languages they hold sessions in.
    pub languages: Vec<String>,
    /// ISO 3166-1 alpha-2 country, or empty.
    pub country: String,
    /// psychologist, coach, counsellor, therapist or other.
    pub kind: String,
    /// The IANA timezone their weekly hours are in.
    pub timezone: String,
    /// Minutes kept free after each session.
    pub buffer_minutes: i32,
    /// How long before a session it may be booked at the latest.
    pub min_notice_minutes: i32,
    /// How far ahead sessions may be booked.
    pub horizon_days: i32,
    /// Whether Hearth has verified them.
    pub verified: bool,
    /// Whether they have a photo.
    pub has_photo: bool,
    /// Why an operator did not verify them, until they save their profile again.
    pub rejection_reason: Option<String>,
}

/// The professional row of `user_id`, if they have one.
pub async fn find(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<Option<Professional>> {
    sqlx::query_as!(
        Professional,
        "SELECT p.user_id, u.name, p.title, p.bio, p.specialties, p.languages, p.country, p.kind, \
                p.timezone, p.buffer_minutes, p.min_notice_minutes, p.horizon_days, \
                p.verified_at IS NOT NULL AS \"verified!\", p.photo IS NOT NULL AS \"has_photo!\", \
                p.rejection_reason \
         FROM professionals p JOIN users u ON u.id = p.user_id WHERE p.user_id = $1",
        user_id,
    )
    .fetch_optional(conn)
    .await
}

/// The signed-in user (the policy let them in; this is belt and braces).
fn signed_in(viewer: &Viewer) -> Result<&SessionUser, AppError> {
    viewer.signed_in()
}

/// The signed-in user's professional row, if they have one (when not, their
/// pages send them to `/pro/profile` to create it).
async fn me(state: &AppState, viewer: &Viewer) -> Result<Option<Professional>, AppError> {
    let user = signed_in(viewer)?;
    let mut conn = state.pool.acquire().await?;
    Ok(find(&mut conn, user.id).await?)
}

/// A redirect to `path` on this site.
fn to(site: &Site, path: &str) -> Response {
    Redirect::to(&format!("{}{path}", base_of(site))).into_response()
}

/// A professional's page: the frame, the nav section, then `fill`'s variables.
async fn render(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    section: &str,
    template: &str,
    status: StatusCode,
    fill: impl FnOnce(Page) -> Page,
) -> Result<Response, AppError> {
    let page = Page::new(state, site, viewer)
        .await?
        .with("section", &section);
    Ok((status, fill(page).render(state, template)?).into_response())
}

/// The `?done=` flag of a page, after a redirect.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub(crate) use crate::web::form::status_of;
