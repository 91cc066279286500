//! The operator's console at `/operator`, on the platform's own site: the
//! platform at a glance; the professionals waiting for verification, each
//! verified or rejected with a reason they are emailed; every hub, searched
//! and paged, suspended or resumed (written in its audit log), and its audit
//! log; the emails delivery gave up on, to retry; resellers, made and given
//! admins; the audit log across hubs; and the plugin registry, read-only.
//!
//! Every route is object `platform_admin` (the `operator` role), and every
//! handler takes [`Operator`], which is a 404 inside a hub.

pub mod audit;
pub mod home;
pub mod hubs;
pub mod outbox;
pub mod plugins;
pub mod professionals;
pub mod resellers;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::web::authz::Routes;
use crate::web::error::AppError;
use crate::web::extract::Operator;
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The operator's routes.
pub fn routes() -> Routes {
    Routes::default()
        .get("/operator", "platform_admin", home::page)
        .get(
            "/operator/professionals",
            "platform_admin",
            professionals::page,
        )
        .post(
            "/operator/professionals/{id}/verify",
            "platform_admin",
            professionals::verify,
        )
        .post(
            "/operator/professionals/{id}/reject",
            "platform_admin",
            professionals::reject,
        )
        .get("/operator/hubs", "platform_admin", hubs::page)
        .post(
            "/operator/hubs/{slug}/suspend",
            "platform_admin",
            hubs::suspend,
        )
        .post(
            "/operator/hubs/{slug}/resume",
            "platform_admin",
            hubs::resume,
        )
        .get("/operator/hubs/{slug}/audit", "platform_admin", hubs::audit)
        .get("/operator/outbox", "platform_admin", outbox::page)
        .post(
            "/operator/outbox/{id}/retry",
            "platform_admin",
            outbox::retry,
        )
        .post(
            "/operator/outbox/retry-all",
            "platform_admin",
            outbox::retry_all,
        )
        .get("/operator/resellers", "platform_admin", resellers::page)
        .post("/operator/resellers", "platform_admin", resellers::create)
        .post(
            "/operator/resellers/{slug}/admins",
            "platform_admin",
            resellers::add,
        )
        .get("/operator/audit", "platform_admin", audit::page)
        .get("/operator/plugins", "platform_admin", plugins::page)
}

pub(crate) use crate::web::paging::{Pager, PAGE_SIZE};

/// The page a list was asked for, and its offset (see
/// [`crate::web::paging::page_offset`]).
fn page_offset(page: Option<&str>) -> Result<(i64, i64), AppError> {
    crate::web::paging::page_offset(page, "operator-error-page")
}

/// A console page: the platform's frame, the nav section, then `fill`'s variables.
async fn render(
    state: &AppState,
    operator: &Operator,
    section: &str,
    template: &str,
    status: StatusCode,
    fill: impl FnOnce(Page) -> Page,
) -> Result<Response, AppError> {
    let page = Page::new(state, &Site::Platform, &operator.viewer)
        .await?
        .with("section", &section);
    Ok((status, fill(page).render(state, template)?).into_response())
}

/// `at` as the operator reads it: in their timezone and language.
fn when(operator: &Operator, at: chrono::DateTime<chrono::Utc>) -> String {
    let tz = crate::web::time::parse_timezone(&operator.user.timezone).unwrap_or(chrono_tz::UTC);
    crate::web::time::format_local(
        operator.viewer.language,
        at.with_timezone(&tz).naive_local(),
        "%-d %b %Y, %H:%M",
    )
}

/// The day `at` falls on for the operator.
fn day(operator: &Operator, at: chrono::DateTime<chrono::Utc>) -> String {
    let tz = crate::web::time::parse_timezone(&operator.user.timezone).unwrap_or(chrono_tz::UTC);
    crate::web::time::format_local(
        operator.viewer.language,
        at.with_timezone(&tz).naive_local(),
        "%-d %b %Y",
    )
}

#[cfg(test)]
mod tests {
    use super::{page_offset, Pager};

    #[test]
    fn a_page_is_a_number_from_one_to_the_last() {
        assert_eq!(page_offset(None).ok(), Some((1, 0)));
        assert_eq!(page_offset(Some("")).ok(), Some((1, 0)));
        assert_eq!(page_offset(Some("3")).ok(), Some((3, 100)));
        for bad in ["0", "-1", "x", "10001", "1e3", "99999999999999999999"] {
            assert!(page_offset(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_pager_links_neighbours_and_keeps_the_search() {
        let p = Pager::new("/operator/hubs", &[("q", "a&b"), ("x", "")], 2, 120);
        assert_eq!(p.pages, 3);
        assert_eq!(p.prev.as_deref(), Some("/operator/hubs?q=a%26b"));
        assert_eq!(p.next.as_deref(), Some("/operator/hubs?q=a%26b&page=3"));
        let p = Pager::new("/operator/outbox", &[], 1, 0);
        assert_eq!((p.pages, p.prev, p.next), (1, None, None));
        // Past the end: back to the last page.
        let p = Pager::new("/operator/outbox", &[], 9, 60);
        assert_eq!(p.prev.as_deref(), Some("/operator/outbox?page=2"));
        assert_eq!(p.next, None);
    }
}
