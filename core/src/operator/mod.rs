//! The operator's console at `/operator`, on the platform's own site: the
//! platform at a glance, and the professionals waiting for verification,
//! each verified or rejected with a reason they are emailed.
//!
//! Every route is object `platform_admin` (the `operator` role), and every
//! handler takes [`Operator`], which is a 404 inside a hub.

pub mod home;
pub mod professionals;

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
