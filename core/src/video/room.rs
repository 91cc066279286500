//! `GET /appointments/{id}/session`: the room. Its two parties see the device
//! check, then the waiting room or the call (`static/video.js`); anyone else
//! gets a 404, and outside the window a page that says when it opens or
//! that it has ended.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use uuid::Uuid;

use super::data::{self, Door};
use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::time::{format_local, viewer_tz};

/// The room's page.
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (meeting, role) = data::as_party(&state.pool, id, user.id).await?;
    let lang = viewer.language;
    let tz = viewer_tz(&state, &site, &viewer).await;
    let base = site.base().to_owned();
    let page = Page::new(&state, &site, &viewer)
        .await?
        .with(
            "a",
            &serde_json::json!({ "id": meeting.id, "service_name": meeting.service_name }),
        )
        .with("back_href", &format!("{base}/appointments/{id}"))
        .with_when(lang, tz, meeting.starts_at, meeting.ends_at);
    let reason = match meeting.door(Utc::now()) {
        Door::Open => {
            return Ok(page
                .with("party", &role)
                .with("other_name", &meeting.other_name(role))
                .with(
                    "signal_path",
                    &format!("{base}/appointments/{id}/session/signal"),
                )
                .render(&state, "video_room.html")?
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
                .render(&state, "video_closed.html")?
                .into_response());
        }
        Door::Ended => "ended",
        Door::Cancelled => "cancelled",
        Door::NotVideo => "not_video",
    };
    // Gone for good: say so with a status a link checker understands.
    Ok((
        StatusCode::GONE,
        page.with("reason", &reason)
            .render(&state, "video_closed.html")?,
    )
        .into_response())
}
