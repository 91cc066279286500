//! The Client Dashboard: Home (appointments, calendar, credits), connections
//! and notifications, for every onboarded user (a professional also sees
//! their own sessions on Home).
//!
//! Pages are themed by the site they are on; on the platform, a member of a
//! hub sees their hub's colours (private clients the platform's).

pub mod calendar;
pub mod connections;
pub mod home;
pub mod notifications;

use crate::web::authz::Routes;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The dashboard's routes; all need an onboarded user (`account`).
pub fn routes() -> Routes {
    Routes::default()
        .get("/dashboard", "account", home::page)
        .get("/connections", "account", connections::page)
        .post(
            "/connections/invitations/{id}/accept",
            "account",
            connections::accept,
        )
        .get("/notifications", "account", notifications::page)
        .post(
            "/notifications/read-all",
            "account",
            notifications::mark_all_read,
        )
        .post(
            "/notifications/{id}/read",
            "account",
            notifications::mark_read,
        )
        .get(
            "/account/notifications",
            "account",
            notifications::settings_page,
        )
        .post(
            "/account/notifications",
            "account",
            notifications::settings_save,
        )
}

pub use crate::web::frame::{frame, hubs_of};

/// Where hub `slug`'s pages are, seen from `site`: the current prefix when it
/// is that hub, else the hub's own address.
pub fn hub_base(state: &AppState, site: &Site, slug: &str) -> String {
    match site {
        Site::Hub { tenant, base } if tenant.slug == slug => base.clone(),
        _ => state.config.hub_url(slug),
    }
}
