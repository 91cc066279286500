//! Your data: what is held, the two downloads (JSON, and a readable page to
//! print or keep as PDF), and the form that deletes the account.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::export::{collect, summarize};
use super::me;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::form::FieldErrors;
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The Your data page with `errors` next to the delete form.
pub(super) async fn show(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    me(viewer)?;
    let page = Page::new(state, site, viewer)
        .await?
        .with("section", &"data")
        .with("errors", errors);
    Ok((status, page.render(state, "account_data.html")?).into_response())
}

/// GET /account/data
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    show(&state, &site, &viewer, &FieldErrors::new(), StatusCode::OK).await
}

/// GET /account/data.json: everything, as a file to keep.
pub async fn json(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let user = me(&viewer)?;
    let export = collect(&state, user.id).await?;
    let body = serde_json::to_vec_pretty(&export).map_err(|e| AppError::Internal(e.into()))?;
    let filename = format!("hearth-data-{}.json", Utc::now().format("%Y-%m-%d"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// GET /account/data.html: the same, as a page to read, print or save as PDF.
pub async fn summary(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let user = me(&viewer)?;
    let lang = viewer.language;
    let export = collect(&state, user.id).await?;
    let made = export["generated_at"]
        .as_str()
        .map(|s| s.replacen('T', " ", 1))
        .unwrap_or_default();
    let has_photo = !export["account"]["photo"].is_null();
    let page = Page::new(&state, &site, &viewer)
        .await?
        .with("made", &made.get(..16).unwrap_or(&made))
        .with("timezone", &export["account"]["timezone"])
        .with("name", &export["account"]["name"])
        .with("has_photo", &has_photo)
        .with("sections", &summarize(&export, lang))
        .render(&state, "account_data_summary.html")?;
    Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
}
