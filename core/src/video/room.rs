//! `GET /appointments/{id}/session`: the room. Its parties see the device
//! check, then the waiting room or the call (`static/video.js`); anyone else
//! gets a 404, and outside the window a page that says when it opens or
//! that it has ended. Guests get the same room at their link
//! (`super::guest_room`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use uuid::Uuid;

use super::data::{self, Door, Meeting};
use crate::video_relay::Role;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::time::{format_local, viewer_tz};

/// Who is entering a room, and where their page's links go.
pub struct Entrant {
    /// Their part.
    pub role: Role,
    /// A guest's id.
    pub guest: Option<uuid::Uuid>,
    /// The room's socket.
    pub signal_path: String,
    /// Where "Back" goes (empty for a guest, who has no appointment page).
    pub back_href: String,
}

/// The room's page.
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (meeting, role) = data::as_party(&state.pool, id, user.id).await?;
    let base = site.base().to_owned();
    let entrant = Entrant {
        role,
        guest: None,
        signal_path: format!("{base}/appointments/{id}/session/signal"),
        back_href: format!("{base}/appointments/{id}"),
    };
    respond(&state, &site, &viewer, &meeting, &entrant).await
}

/// The room for `entrant` when it is open; else the page that says when it
/// opens (200) or why it is over (410).
pub async fn respond(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    meeting: &Meeting,
    entrant: &Entrant,
) -> Result<Response, AppError> {
    let lang = viewer.language;
    let tz = viewer_tz(state, site, viewer).await;
    let page = Page::new(state, site, viewer)
        .await?
        .with(
            "a",
            &serde_json::json!({ "id": meeting.id, "service_name": meeting.service_name }),
        )
        .with("back_href", &entrant.back_href)
        .with_when(lang, tz, meeting.starts_at, meeting.ends_at);
    let reason = match meeting.door(Utc::now()) {
        Door::Open => {
            return Ok(page
                .with("party", &entrant.role)
                .with("guest_id", &entrant.guest)
                .with("other_name", &meeting.other_name(entrant.role))
                .with("signal_path", &entrant.signal_path)
                .render(state, "video_room.html")?
                .into_response());
        }
        Door::Early(opens) => {
            let opens = opens.with_timezone(&tz);
            return Ok(page
                .with("reason", &"early")
                .with(
                    "opens_date",
                    &format_local(lang, opens.naive_local(), "%A %-d %B"),
                )
                .with("opens_time", &opens.format("%H:%M").to_string())
                .render(state, "video_closed.html")?
                .into_response());
        }
        Door::Ended => "ended",
        Door::Cancelled => "cancelled",
        Door::NotVideo => "not_video",
    };
    gone(page, state, reason)
}

/// A 410 page saying why (`reason`) a room or a link is gone for good, with
/// a status a link checker understands.
pub fn gone(page: Page, state: &AppState, reason: &str) -> Result<Response, AppError> {
    Ok((
        StatusCode::GONE,
        page.with("reason", &reason)
            .render(state, "video_closed.html")?,
    )
        .into_response())
}
