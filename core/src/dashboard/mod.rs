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

use hearth_tenants::Tenant;
use uuid::Uuid;

use crate::web::authz::{Routes, Viewer};
use crate::web::error::AppError;
use crate::web::page::Page;
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

/// The active hubs `user_id` is an active member of, by name (read from the
/// member directory in `public`: no hub schema is touched).
pub async fn hubs_of(state: &AppState, user_id: Uuid) -> sqlx::Result<Vec<Tenant>> {
    let mut conn = state.pool.acquire().await?;
    hearth_tenants::registry::active_hubs_of_member(&mut conn, user_id).await
}

/// Where hub `slug`'s pages are, seen from `site`: the current prefix when it
/// is that hub, else the hub's own address.
pub fn hub_base(state: &AppState, site: &Site, slug: &str) -> String {
    match site {
        Site::Hub { tenant, base } if tenant.slug == slug => base.clone(),
        _ => state.config.hub_url(slug),
    }
}

/// A dashboard page's frame: the site's page, in the user's (first) hub's
/// theme when on the platform, with `section` marking the current tab.
pub async fn frame(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    hubs: &[Tenant],
    section: &str,
) -> Result<Page, AppError> {
    let mut page = Page::new(state, site, viewer).await?;
    if let (Site::Platform, Some(hub)) = (site, hubs.first()) {
        let branding = crate::web::page::branding(state, hub).await?;
        page = page.with_branding(state, &branding);
    }
    Ok(page.with("section", &section))
}
