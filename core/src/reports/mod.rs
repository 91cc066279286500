//! The HR report in hub settings (`/admin/report`, and `/admin/report.csv`):
//! the last twelve months of the hub by month, in the hub's timezone —
//! members who joined, sessions, cancellations, no-shows, credits granted
//! and used, utilisation — and sessions by type and by mode, drawn as
//! server-rendered SVG charts with the numbers in tables.
//!
//! Aggregates only, and never a name: every figure is about a counted group
//! of people, and a figure about fewer than 5 reads "fewer than 5"; where
//! hiding one figure of a column would leave it as the total minus the rest,
//! another is hidden with it ([`crate::web::privacy::suppress`]). Before
//! counting, this period's grants are posted for members who have not
//! visited yet ([`crate::credits::grant_due`]), so "credits granted" is what
//! the members see.
//!
//! The figures come from a roll-up by member and month ([`crate::credits::rollup`]), kept
//! by the writes it counts, so the report reads a few rows a member
//! whatever the hub's size.

pub mod figures;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::web::authz::Routes;
use crate::web::error::AppError;
use crate::web::extract::HrAdmin;
use crate::web::state::AppState;

/// The report's routes (HR admins of the hub).
pub fn routes() -> Routes {
    Routes::default()
        .get("/admin/report", "hub_admin", page)
        .get("/admin/report.csv", "hub_admin", csv)
}

/// GET /admin/report
pub async fn page(
    State(state): State<AppState>,
    HrAdmin { hub, viewer, .. }: HrAdmin,
) -> Result<Response, AppError> {
    let report = figures::Report::read(&state, &hub.tenant).await?;
    let shown = report.shown(viewer.language);
    crate::hub_admin::render(
        &state,
        &hub,
        &viewer,
        "report",
        "admin_report.html",
        StatusCode::OK,
        |p| p.with("report", &shown),
    )
    .await
}

/// GET /admin/report.csv: the monthly table and the breakdowns, as shown.
pub async fn csv(
    State(state): State<AppState>,
    HrAdmin { hub, viewer, .. }: HrAdmin,
) -> Result<Response, AppError> {
    let report = figures::Report::read(&state, &hub.tenant).await?;
    let body = report.shown(viewer.language).csv(viewer.language);
    let name = format!("{}-report.csv", hub.tenant.slug);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}
