//! Guests of couples and family sessions: the client makes up to
//! [`MAX_GUESTS`] one-time links (`/appointments/{id}/guests`), each guest
//! opens theirs, gives a name (`guest_room`), and waits in the room until the
//! professional admits them.
//!
//! Only hashes are stored: of the link's token, and of the guest's own
//! cookie once the link is claimed. A link works once: whoever claims it
//! first holds it, in that browser; withdrawing it (the client) or declining
//! the guest (the professional) deletes it and frees its place.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::data::{self, Door, Meeting};
use crate::video_relay::Role;
use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::form::{notice, to, Done};
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::time::viewer_tz;
use crate::web::tokens;

/// How many guests a client may invite to one session.
pub const MAX_GUESTS: i64 = 3;

/// One guest link, as the client's page lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Guest {
    /// Its id.
    pub id: Uuid,
    /// The name the guest gave (None: the link is not used yet).
    pub name: Option<String>,
    /// Admitted by the professional.
    pub admitted: bool,
}

/// A guest link found by its token.
#[derive(Debug, Clone)]
pub struct Link {
    /// The guest's id.
    pub id: Uuid,
    /// The appointment.
    pub appointment_id: Uuid,
    /// The name given when the link was claimed.
    pub name: Option<String>,
    /// The hash of the claiming browser's cookie.
    pub session_hash: Option<Vec<u8>>,
    /// When the professional admitted them.
    pub admitted_at: Option<DateTime<Utc>>,
}

/// The guests of `appointment`, oldest first.
pub async fn list(conn: &mut PgConnection, appointment: Uuid) -> sqlx::Result<Vec<Guest>> {
    sqlx::query_as!(
        Guest,
        "SELECT id, name, admitted_at IS NOT NULL AS \"admitted!\" FROM public.video_guests \
         WHERE appointment_id = $1 ORDER BY slot",
        appointment
    )
    .fetch_all(conn)
    .await
}

/// A new link for `appointment`, made by `by`: the guest's id and the token
/// (shown once, never stored); None when all [`MAX_GUESTS`] places are taken.
pub async fn create(
    conn: &mut PgConnection,
    appointment: Uuid,
    by: Uuid,
) -> sqlx::Result<Option<(Uuid, String)>> {
    // Two links made at once may pick the same free place: the unique
    // (appointment, slot) lets one in, and the other tries the next place.
    for _ in 0..MAX_GUESTS {
        let id = Uuid::new_v4();
        let token = tokens::new_token();
        let made = sqlx::query_scalar!(
            "INSERT INTO public.video_guests (id, appointment_id, slot, token_hash, created_by) \
             SELECT $1, $2, s::smallint, $3, $4 FROM generate_series(1, $5::int) s \
             WHERE s NOT IN (SELECT slot FROM public.video_guests WHERE appointment_id = $2) \
             ORDER BY s LIMIT 1 \
             ON CONFLICT (appointment_id, slot) DO NOTHING RETURNING id",
            id,
            appointment,
            tokens::hash_token(&token),
            by,
            MAX_GUESTS as i32,
        )
        .fetch_optional(&mut *conn)
        .await?;
        if made.is_some() {
            return Ok(Some((id, token)));
        }
    }
    Ok(None)
}

/// The link of `token`, if there is one.
pub async fn by_token(conn: &mut PgConnection, token: &str) -> sqlx::Result<Option<Link>> {
    sqlx::query_as!(
        Link,
        "SELECT id, appointment_id, name, session_hash, admitted_at FROM public.video_guests \
         WHERE token_hash = $1",
        tokens::hash_token(token)
    )
    .fetch_optional(conn)
    .await
}

/// Claims link `id` for the browser whose cookie hashes to `session_hash`,
/// as `name`; false when someone claimed it first.
pub async fn claim(
    conn: &mut PgConnection,
    id: Uuid,
    name: &str,
    session_hash: &[u8],
) -> sqlx::Result<bool> {
    let claimed = sqlx::query!(
        "UPDATE public.video_guests SET name = $2, session_hash = $3, claimed_at = now() \
         WHERE id = $1 AND claimed_at IS NULL",
        id,
        name,
        session_hash
    )
    .execute(conn)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Admits guest `id` of `appointment` (who has given a name); false when
/// there is no such guest.
pub async fn admit(conn: &mut PgConnection, appointment: Uuid, id: Uuid) -> sqlx::Result<bool> {
    let admitted = sqlx::query!(
        // The time bound: Citus takes no now() inside coalesce.
        "UPDATE public.video_guests SET admitted_at = coalesce(admitted_at, $3) \
         WHERE id = $1 AND appointment_id = $2 AND claimed_at IS NOT NULL",
        id,
        appointment,
        chrono::Utc::now(),
    )
    .execute(conn)
    .await?;
    Ok(admitted.rows_affected() == 1)
}

/// Deletes guest `id` of `appointment` (its link stops working, its place is
/// free again); false when there is no such guest.
pub async fn remove(conn: &mut PgConnection, appointment: Uuid, id: Uuid) -> sqlx::Result<bool> {
    let removed = sqlx::query!(
        "DELETE FROM public.video_guests WHERE id = $1 AND appointment_id = $2",
        id,
        appointment
    )
    .execute(conn)
    .await?;
    Ok(removed.rows_affected() == 1)
}

/// Whether guest `id` is admitted; None once it is removed.
pub async fn admitted(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<bool>> {
    sqlx::query_scalar!(
        "SELECT admitted_at IS NOT NULL AS \"admitted!\" FROM public.video_guests WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Tells the room that guest `id` is out (its socket closes).
pub async fn announce_removed(state: &AppState, room: Uuid, id: Uuid) {
    let body = serde_json::json!({ "type": "removed", "guest": id }).to_string();
    if let Err(e) = state.video.control(room, Uuid::nil(), &body).await {
        tracing::warn!(error = %e, "announcing a removed guest");
    }
}

/// The appointment `id` for its client or professional, when it takes
/// guests and belongs to this site.
async fn guest_meeting(
    state: &AppState,
    site: &Site,
    id: Uuid,
    user: Uuid,
) -> Result<(Meeting, Role), AppError> {
    let (meeting, role) = data::as_party(&state.pool, id, user).await?;
    if !meeting.takes_guests() || !meeting.on_site(site) {
        return Err(AppError::NotFound);
    }
    Ok((meeting, role))
}

/// Whether links may still be made or used: the session is neither over
/// nor cancelled.
fn still_on(meeting: &Meeting) -> bool {
    matches!(meeting.door(Utc::now()), Door::Open | Door::Early(_))
}

/// GET /appointments/{id}/guests: the guests and their links.
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Path(id): Path<Uuid>,
    axum::extract::Query(done): axum::extract::Query<Done>,
) -> Result<Response, AppError> {
    let (meeting, role) = guest_meeting(&state, &site, id, user.id).await?;
    let notice = notice(
        &done,
        &[
            ("withdrawn", "guests-done-withdrawn"),
            ("full", "guests-done-full"),
        ],
        viewer.language,
    );
    show(&state, &site, &viewer, &meeting, role, None, notice).await
}

/// POST /appointments/{id}/guests: a new link, shown once on the page this
/// answers with.
pub async fn create_link(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (meeting, role) = guest_meeting(&state, &site, id, user.id).await?;
    if role != Role::Client {
        return Err(AppError::Forbidden);
    }
    if !still_on(&meeting) {
        return Err(AppError::Conflict(crate::i18n::Msg::new("guests-over")));
    }
    let mut conn = state.pool.acquire().await?;
    let Some((_, token)) = create(&mut conn, meeting.id, user.id).await? else {
        return Ok(to(&site, &format!("/appointments/{id}/guests?done=full")));
    };
    drop(conn);
    tracing::info!(appointment = %meeting.id, "guest link made");
    let link = format!(
        "{}/guest/{token}",
        crate::accounts::mail::site_url(&state, &site)
    );
    show(&state, &site, &viewer, &meeting, role, Some(&link), None).await
}

/// POST /appointments/{id}/guests/{guest}/withdraw: the link stops working
/// (and a guest in the room is let out).
pub async fn withdraw(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, .. }: SignedIn,
    Path((id, guest)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let (meeting, _) = guest_meeting(&state, &site, id, user.id).await?;
    let mut conn = state.pool.acquire().await?;
    if !remove(&mut conn, meeting.id, guest).await? {
        return Err(AppError::NotFound);
    }
    drop(conn);
    announce_removed(&state, meeting.id, guest).await;
    Ok(to(
        &site,
        &format!("/appointments/{id}/guests?done=withdrawn"),
    ))
}

async fn show(
    state: &AppState,
    site: &Site,
    viewer: &crate::web::authz::Viewer,
    meeting: &Meeting,
    role: Role,
    new_link: Option<&str>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let mut conn = state.pool.acquire().await?;
    let guests = list(&mut conn, meeting.id).await?;
    drop(conn);
    let tz = viewer_tz(state, site, viewer).await;
    let base = site.base();
    let open = still_on(meeting);
    Ok(Page::new(state, site, viewer)
        .await?
        .with(
            "a",
            &serde_json::json!({ "id": meeting.id, "service_name": meeting.service_name,
                                 "professional_name": meeting.professional_name }),
        )
        .with_when(viewer.language, tz, meeting.starts_at, meeting.ends_at)
        .with("party", &role)
        .with("guests", &guests)
        .with("max_guests", &MAX_GUESTS)
        .with(
            "can_invite",
            &(role == Role::Client && open && (guests.len() as i64) < MAX_GUESTS),
        )
        .with("open", &open)
        .with("new_link", &new_link)
        .with("notice", &notice)
        .with("back_href", &format!("{base}/appointments/{}", meeting.id))
        .render(state, "video_guests.html")?
        .into_response())
}
