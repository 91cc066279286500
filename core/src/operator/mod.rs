//! The operator's console at `/operator`, on the platform's own site: the
//! platform at a glance; the professionals waiting for verification, each
//! verified or rejected with a reason they are emailed; every hub, searched
//! and paged, suspended or resumed (written in its audit log), and its audit
//! log; and the emails delivery gave up on, to retry.
//!
//! Every route is object `platform_admin` (the `operator` role), and every
//! handler takes [`Operator`], which is a 404 inside a hub.

pub mod home;
pub mod hubs;
pub mod outbox;
pub mod professionals;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::i18n::Msg;
use crate::web::authz::Routes;
use crate::web::error::AppError;
use crate::web::extract::Operator;
use crate::web::form::FieldMsgs;
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
}

/// Rows on one page of a console list.
const PAGE_SIZE: i64 = 50;
/// The last page a list goes to (a deeper offset would be slow to reach).
const MAX_PAGE: i64 = 10_000;

/// The page number a list was asked for (`?page=`, 1 when not given), as an
/// offset into it; a page that is not a number from 1 to [`MAX_PAGE`] is
/// refused.
fn page_offset(page: Option<&str>) -> Result<(i64, i64), AppError> {
    let page = match page.map(str::trim) {
        None | Some("") => 1,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                AppError::Validation(FieldMsgs::from([(
                    "page",
                    Msg::new("operator-error-page").arg("max", MAX_PAGE),
                )]))
            })?,
    };
    Ok((page, (page - 1) * PAGE_SIZE))
}

/// The links between the pages of a list, for `operator_pager.html`.
#[derive(Debug, Serialize)]
struct Pager {
    /// This page.
    page: i64,
    /// How many pages there are (at least one).
    pages: i64,
    /// The previous page's address, if any.
    prev: Option<String>,
    /// The next page's address, if any.
    next: Option<String>,
}

impl Pager {
    /// Page `page` of `total` rows at `path`, keeping the query's `keep` pairs.
    fn new(path: &str, keep: &[(&str, &str)], page: i64, total: i64) -> Self {
        let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).clamp(1, MAX_PAGE);
        let link = |n: i64| {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (key, value) in keep.iter().filter(|(_, v)| !v.is_empty()) {
                query.append_pair(key, value);
            }
            if n > 1 {
                query.append_pair("page", &n.to_string());
            }
            let query = query.finish();
            if query.is_empty() {
                path.to_owned()
            } else {
                format!("{path}?{query}")
            }
        };
        Self {
            page,
            pages,
            prev: (page > 1).then(|| link((page - 1).min(pages))),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
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
