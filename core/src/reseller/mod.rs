//! The reseller console at `/reseller`, on the platform's own site: a
//! reseller admin's companies (their hubs only), searched and paged, with
//! figures about people only in groups of five or more; **Suspend** and
//! **Resume** for their own hubs; and onboarding a company (its hub and its
//! first HR admin) in one form.
//!
//! Every route is object `reseller` (the `reseller_admin` role), and every
//! handler takes [`ResellerAdmin`], which is a 404 inside a hub and names the
//! one reseller a request acts for: a hub of another reseller is a 404.

pub mod companies;
pub mod onboard;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

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

/// Rows on one page of the company list.
const PAGE_SIZE: i64 = 50;
/// The last page the list goes to.
const MAX_PAGE: i64 = 10_000;

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
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if admin.resellers.len() > 1 {
        query.append_pair("r", &admin.reseller.slug);
    }
    for (key, value) in more.iter().filter(|(_, v)| !v.is_empty()) {
        query.append_pair(key, value);
    }
    let query = query.finish();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// The links between pages of the list.
#[derive(Debug, Serialize)]
struct Pager {
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
}

/// A console page: the platform's frame, the reseller, then `fill`'s variables.
async fn render(
    state: &AppState,
    admin: &ResellerAdmin,
    section: &str,
    template: &str,
    status: StatusCode,
    fill: impl FnOnce(Page) -> Page,
) -> Result<Response, AppError> {
    let page = Page::new(state, &Site::Platform, &admin.viewer)
        .await?
        .with("section", &section)
        .with("reseller", &admin.reseller)
        .with("resellers", &admin.resellers)
        .with("rq", &keep_reseller(admin));
    Ok((status, fill(page).render(state, template)?).into_response())
}
