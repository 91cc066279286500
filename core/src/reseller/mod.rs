//! The reseller console at `/reseller`, on the platform's own site: a
//! reseller admin's companies (their hubs only), searched and paged, with
//! figures about people only in groups of five or more; **Suspend** and
//! **Resume** for their own hubs; and onboarding a company (its hub and its
//! first HR admin) in one form; a monthly usage statement per company as
//! CSV, to bill from; the reseller's admins, and inviting a colleague.
//!
//! Every route is object `reseller` (the `reseller_admin` role), and every
//! handler takes [`ResellerAdmin`], which is a 404 inside a hub and names the
//! one reseller a request acts for: a hub of another reseller is a 404.

pub mod colleagues;
pub mod companies;
pub mod look;
pub mod onboard;
pub mod professionals;
pub mod statement;
pub mod templates;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::web::authz::Routes;
use crate::web::error::AppError;
use crate::web::extract::ResellerAdmin;
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The reseller console's routes.
pub fn routes() -> Routes {
    Routes::default()
        .get("/reseller", "reseller", companies::page)
        .get("/reseller/statement.csv", "reseller", statement::csv)
        .get("/reseller/admins", "reseller", colleagues::page)
        .post("/reseller/admins", "reseller", colleagues::invite)
        .get("/reseller/look", "reseller", look::page)
        .post("/reseller/look", "reseller", look::save)
        .get("/reseller/professionals", "reseller", professionals::page)
        .post("/reseller/professionals", "reseller", professionals::add)
        .post(
            "/reseller/professionals/remove",
            "reseller",
            professionals::remove,
        )
        .post(
            "/reseller/companies/{slug}/template",
            "reseller",
            templates::save,
        )
        .post("/reseller/templates/delete", "reseller", templates::delete)
        .get("/reseller/companies/new", "reseller", onboard::page)
        .post("/reseller/companies/new", "reseller", onboard::create)
        .post(
            "/reseller/companies/{slug}/suspend",
            "reseller",
            companies::suspend,
        )
        .post(
            "/reseller/companies/{slug}/resume",
            "reseller",
            companies::resume,
        )
}

/// The `?r=` that keeps a request on the same reseller, for an admin of
/// several (empty for an admin of one).
fn keep_reseller(admin: &ResellerAdmin) -> String {
    if admin.resellers.len() > 1 {
        let slug: String =
            url::form_urlencoded::byte_serialize(admin.reseller.slug.as_bytes()).collect();
        format!("r={slug}")
    } else {
        String::new()
    }
}

/// `path` with the reseller kept and `more` pairs added to its query.
fn link(admin: &ResellerAdmin, path: &str, more: &[(&str, &str)]) -> String {
    let reseller = if admin.resellers.len() > 1 {
        admin.reseller.slug.as_str()
    } else {
        ""
    };
    let mut pairs = vec![("r", reseller)];
    pairs.extend_from_slice(more);
    crate::web::paging::with_query(path, &pairs)
}

/// Hub `slug` if it is this reseller's: a 404 otherwise, the same as no
/// such hub.
async fn own_hub(
    state: &AppState,
    admin: &ResellerAdmin,
    slug: &str,
) -> Result<hearth_tenants::Tenant, AppError> {
    let tenant = crate::web::site::hub_by_slug(state, slug).await?;
    if tenant.reseller_id != Some(admin.reseller.id) {
        return Err(AppError::NotFound);
    }
    Ok(tenant)
}

/// A console page: the platform's frame in the reseller's look (when it has
/// one), the reseller, then `fill`'s variables.
async fn render(
    state: &AppState,
    admin: &ResellerAdmin,
    section: &str,
    template: &str,
    status: StatusCode,
    fill: impl FnOnce(Page) -> Page,
) -> Result<Response, AppError> {
    let look = {
        let mut conn = state.pool.acquire().await?;
        look::of(&mut conn, admin.reseller.id).await?
    };
    let mut page = Page::new(state, &Site::Platform, &admin.viewer).await?;
    if let Some(l) = &look {
        page = page.with_look(state, &l.theme, &l.brand_color, &l.accent_color);
    }
    let page = page
        .with("section", &section)
        .with("reseller", &admin.reseller)
        .with("resellers", &admin.resellers)
        .with("rq", &keep_reseller(admin));
    Ok((status, fill(page).render(state, template)?).into_response())
}
