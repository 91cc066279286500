//! The notification pages: the list at `/notifications` and the email choices
//! at `/account/notifications` (the data is [`crate::notifications`]).

use std::collections::HashSet;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::notifications::Kind;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::site::base_of;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The most notifications the list shows.
const LIST_MAX: i64 = 100;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    title: String,
    link: String,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

/// One notification as the list shows it.
#[derive(Debug, Serialize)]
struct Item {
    id: i64,
    kind: String,
    title: String,
    link: String,
    when: String,
    unread: bool,
}

/// GET /notifications: the newest notifications, unread ones marked.
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
) -> Result<Response, AppError> {
    let rows: Vec<Row> = sqlx::query_as!(
        Row,
        "SELECT id, kind, title, link, created_at, read_at FROM notifications \
         WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
        user.id,
        LIST_MAX,
    )
    .fetch_all(&state.pool)
    .await?;
    let tz = crate::web::time::viewer_tz(&state, &site, &viewer).await;
    let items: Vec<Item> = rows
        .into_iter()
        .map(|r| Item {
            id: r.id,
            kind: r.kind,
            title: r.title,
            link: r.link,
            when: crate::web::time::format_local(
                viewer.language,
                r.created_at.with_timezone(&tz).naive_local(),
                "%a %-d %b %Y, %H:%M",
            ),
            unread: r.read_at.is_none(),
        })
        .collect();
    let unread = items.iter().filter(|i| i.unread).count();
    let hubs = super::hubs_of(&state, user.id).await?;
    let page = super::frame(&state, &site, &viewer, &hubs, "notifications").await?;
    Ok(page
        .with("items", &items)
        .with("unread", &unread)
        .with("timezone", &tz.name())
        .render(&state, "notifications.html")?
        .into_response())
}

/// POST /notifications/{id}/read: marks one of the user's notifications read.
pub async fn mark_read(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer: _ }: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let found: Option<i64> = sqlx::query_scalar!(
        // The time bound: Citus takes no now() inside coalesce.
        "UPDATE notifications SET read_at = coalesce(read_at, $3) \
         WHERE id = $1 AND user_id = $2 RETURNING id",
        id,
        user.id,
        chrono::Utc::now(),
    )
    .fetch_optional(&state.pool)
    .await?;
    found.ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("{}/notifications", base_of(&site))).into_response())
}

/// POST /notifications/read-all: marks every notification of the user read.
pub async fn mark_all_read(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer: _ }: SignedIn,
) -> Result<Response, AppError> {
    sqlx::query!(
        "UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL",
        user.id,
    )
    .execute(&state.pool)
    .await?;
    Ok(Redirect::to(&format!("{}/notifications", base_of(&site))).into_response())
}

/// One line of the email settings.
#[derive(Debug, Serialize)]
struct Setting {
    kind: &'static str,
    label: String,
    email: bool,
}

/// GET /account/notifications: which notifications also come by email.
pub async fn settings_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    render_settings(&state, &site, &viewer, false).await
}

async fn render_settings(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    saved: bool,
) -> Result<Response, AppError> {
    let user = viewer.signed_in()?.clone();
    let off: Vec<String> = sqlx::query_scalar!(
        "SELECT kind FROM notification_preferences WHERE user_id = $1 AND NOT email",
        user.id,
    )
    .fetch_all(&state.pool)
    .await?;
    let settings: Vec<Setting> = Kind::ALL
        .into_iter()
        .map(|k| Setting {
            kind: k.as_str(),
            label: crate::i18n::tr(
                viewer.language,
                "notif-kind",
                &[("kind", k.as_str().into())],
            ),
            email: !off.iter().any(|o| o == k.as_str()),
        })
        .collect();
    let hubs = super::hubs_of(state, user.id).await?;
    let page = super::frame(state, site, viewer, &hubs, "settings").await?;
    Ok(page
        .with("settings", &settings)
        .with("saved", &saved)
        .render(state, "notifications_settings.html")?
        .into_response())
}

/// POST /account/notifications: a ticked box is `<kind>=on`; an unticked one
/// is absent, so every kind is written, on or off.
pub async fn settings_save(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let on: HashSet<Kind> = fields
        .iter()
        .filter_map(|(name, _)| Kind::parse(name))
        .collect();
    let mut tx = state.pool.begin().await?;
    for kind in Kind::ALL {
        sqlx::query!(
            "INSERT INTO notification_preferences (user_id, kind, email) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, kind) DO UPDATE SET email = EXCLUDED.email",
            user.id,
            kind.as_str(),
            on.contains(&kind),
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    render_settings(&state, &site, &viewer, true).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_name() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Kind::parse("password_reset"), None);
        assert_eq!(Kind::parse("csrf"), None);
    }
}
