//! The frame of the Client Dashboard's pages (Home, Payments, Connections,
//! Notifications): the tabs, and on the platform the colours of the
//! member's first hub. Shared by the features whose pages are tabs of it.

use hearth_tenants::Tenant;
use uuid::Uuid;

use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The active hubs `user_id` is an active member of, by name (read from the
/// member directory in `public`: no hub schema is touched).
pub async fn hubs_of(state: &AppState, user_id: Uuid) -> sqlx::Result<Vec<Tenant>> {
    let mut conn = state.pool.acquire().await?;
    hearth_tenants::registry::active_hubs_of_member(&mut conn, user_id).await
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
