//! A guest's way in, at their link `/guest/{token}`: the name form the first
//! time, then (in the browser that claimed the link, known by its cookie)
//! the room and its socket, where they wait until the professional admits
//! them. Anyone else with the link learns only that it has been used.

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;

use super::data::{self, Door, Meeting, Who};
use super::guests::{self, Link};
use super::room::{self, Entrant};
use super::signal::{self, Resume};
use crate::video_relay::{Presence, Role};
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::form::{field, in_language, person_name, FieldErrors, FieldMsgs};
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::time::viewer_tz;
use crate::web::tokens;

/// The cookie of the browser that claimed a link (its path is the link's).
pub const COOKIE: &str = "hearth_guest";

/// A link, its appointment, and whether this browser holds it.
struct Found {
    link: Link,
    meeting: Meeting,
    holder: bool,
}

/// The link of `token` on this site; not found for anything else (an
/// unknown token, another hub's appointment, a session without guests).
async fn find(
    state: &AppState,
    site: &Site,
    token: &str,
    jar: &CookieJar,
) -> Result<Found, AppError> {
    // A token is 43 URL-safe characters: anything else is not one.
    if token.len() != 43 {
        return Err(AppError::NotFound);
    }
    let mut conn = state.pool.acquire().await?;
    let link = guests::by_token(&mut conn, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let meeting = data::meeting(&mut conn, link.appointment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !meeting.takes_guests() || !meeting.on_site(site) {
        return Err(AppError::NotFound);
    }
    let holder = match (jar.get(COOKIE), &link.session_hash) {
        (Some(cookie), Some(hash)) => tokens::same(&tokens::hash_token(cookie.value()), hash),
        _ => false,
    };
    Ok(Found {
        link,
        meeting,
        holder,
    })
}

/// Whether the session is over for good (a link no longer opens anything).
fn over(meeting: &Meeting) -> Option<&'static str> {
    match meeting.door(chrono::Utc::now()) {
        Door::Ended => Some("ended"),
        Door::Cancelled => Some("cancelled"),
        Door::NotVideo => Some("not_video"),
        Door::Open | Door::Early(_) => None,
    }
}

/// GET /guest/{token}: the name form, the room, or why neither.
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let found = find(&state, &site, &token, &jar).await?;
    let meeting = &found.meeting;
    if found.holder {
        let base = site.base();
        let entrant = Entrant {
            role: Role::Guest,
            guest: Some(found.link.id),
            signal_path: format!("{base}/guest/{token}/signal"),
            back_href: String::new(),
        };
        return room::respond(&state, &site, &viewer, meeting, &entrant).await;
    }
    if let Some(reason) = over(meeting) {
        return closed(&state, &site, &viewer, meeting, reason).await;
    }
    if found.link.session_hash.is_some() {
        return closed(&state, &site, &viewer, meeting, "used").await;
    }
    name_form(
        &state,
        &site,
        &viewer,
        meeting,
        &token,
        "",
        &FieldErrors::new(),
    )
    .await
}

/// The name form's fields.
#[derive(Debug, Deserialize)]
pub struct NameForm {
    name: String,
}

/// POST /guest/{token}: claims the link for this browser under a name.
pub async fn claim(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(form): Form<NameForm>,
) -> Result<Response, AppError> {
    let found = find(&state, &site, &token, &jar).await?;
    let meeting = &found.meeting;
    let here = format!("{}/guest/{token}", site.base());
    if found.holder {
        return Ok(Redirect::to(&here).into_response());
    }
    if let Some(reason) = over(meeting) {
        return closed(&state, &site, &viewer, meeting, reason).await;
    }
    let mut errors = FieldMsgs::new();
    let Some(name) = field(&mut errors, "name", person_name(&form.name)) else {
        let errors = in_language(&errors, viewer.language);
        return name_form(&state, &site, &viewer, meeting, &token, &form.name, &errors).await;
    };
    let secret = tokens::new_token();
    let mut conn = state.pool.acquire().await?;
    if !guests::claim(
        &mut conn,
        found.link.id,
        &name,
        &tokens::hash_token(&secret),
    )
    .await?
    {
        drop(conn);
        return closed(&state, &site, &viewer, meeting, "used").await;
    }
    drop(conn);
    tracing::info!(appointment = %meeting.id, "guest link claimed");
    // Kept until the room closes, for this link's paths only.
    let lasts = (meeting.closes() - chrono::Utc::now())
        .num_seconds()
        .max(60);
    let cookie = Cookie::build((COOKIE, secret))
        .http_only(true)
        // Lax: the link arrives in an email or a chat, another site.
        .same_site(SameSite::Lax)
        .secure(state.config.is_https())
        .path(here.clone())
        .max_age(time::Duration::seconds(lasts))
        .build();
    Ok((jar.add(cookie), Redirect::to(&here)).into_response())
}

/// GET /guest/{token}/signal: the room's socket, for the browser holding the
/// link.
pub async fn socket(
    State(state): State<AppState>,
    site: Site,
    jar: CookieJar,
    Path(token): Path<String>,
    Query(resume): Query<Resume>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, AppError> {
    if !signal::same_origin(&headers) {
        return Err(AppError::Forbidden);
    }
    let found = find(&state, &site, &token, &jar).await?;
    if !found.holder {
        return Err(AppError::NotFound);
    }
    let presence = Presence {
        role: Role::Guest,
        name: found.link.name.clone().unwrap_or_default(),
        guest: Some(found.link.id),
        admitted: found.link.admitted_at.is_some(),
    };
    signal::open(
        state,
        found.meeting,
        Who::Guest(found.link.id),
        presence,
        resume,
        upgrade,
    )
}

async fn name_form(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    meeting: &Meeting,
    token: &str,
    name: &str,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    let status = crate::web::form::status_of(errors);
    let early = matches!(meeting.door(chrono::Utc::now()), Door::Early(_));
    let page = with_meeting(state, site, viewer, meeting)
        .await?
        .with("token", &token)
        .with("name", &name)
        .with("errors", errors)
        .with("early", &early);
    Ok((status, page.render(state, "video_guest_join.html")?).into_response())
}

async fn closed(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    meeting: &Meeting,
    reason: &str,
) -> Result<Response, AppError> {
    let page = with_meeting(state, site, viewer, meeting)
        .await?
        .with("back_href", &"");
    room::gone(page, state, reason)
}

async fn with_meeting(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    meeting: &Meeting,
) -> Result<Page, AppError> {
    let tz = viewer_tz(state, site, viewer).await;
    Ok(Page::new(state, site, viewer)
        .await?
        .with(
            "a",
            &serde_json::json!({ "id": meeting.id, "service_name": meeting.service_name,
                                 "professional_name": meeting.professional_name }),
        )
        .with_when(viewer.language, tz, meeting.starts_at, meeting.ends_at))
}
