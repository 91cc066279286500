//! Connections: the professionals the user has worked with or was invited by,
//! each with links to book again (privately on the platform, and in each of
//! the user's hubs whose roster has them), and open invitations to accept.

use std::collections::HashSet;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use hearth_tenants::TenantTx;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::site::base_of;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::time::viewer_tz;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    name: String,
    title: String,
    source: String,
    verified: bool,
    created_at: DateTime<Utc>,
    last_session: Option<DateTime<Utc>>,
}

/// A link to book a professional again.
#[derive(Debug, Serialize)]
struct BookLink {
    label: String,
    href: String,
}

/// A professional as the Connections page shows them.
#[derive(Debug, Serialize)]
struct Connection {
    id: Uuid,
    name: String,
    title: String,
    source: String,
    since: String,
    last_session: Option<String>,
    book: Vec<BookLink>,
}

/// An open invitation to the user's address.
#[derive(Debug, Serialize, sqlx::FromRow)]
struct Invitation {
    id: Uuid,
    professional_name: String,
    professional_title: String,
    message: Option<String>,
}

/// `?accepted=1` after accepting an invitation.
#[derive(Debug, Default, Deserialize)]
pub struct Flags {
    accepted: Option<String>,
}

/// GET /connections
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Query(flags): Query<Flags>,
) -> Result<Response, AppError> {
    let rows: Vec<Row> = sqlx::query_as!(
        Row,
        "SELECT c.professional_id AS id, u.name, coalesce(p.title, '') AS \"title!\", c.source, \
                coalesce(p.verified_at IS NOT NULL, false) AS \"verified!\", c.created_at, \
                (SELECT max(a.starts_at) FROM appointments a \
                  WHERE a.professional_id = c.professional_id AND a.client_id = c.client_id \
                    AND a.status = 'confirmed' AND a.starts_at <= now()) AS last_session \
         FROM connections c JOIN users u ON u.id = c.professional_id \
         LEFT JOIN professionals p ON p.user_id = c.professional_id \
         WHERE c.client_id = $1 ORDER BY u.name, c.professional_id",
        user.id,
    )
    .fetch_all(&state.pool)
    .await?;
    let invitations: Vec<Invitation> = sqlx::query_as!(
        Invitation,
        "SELECT i.id, u.name AS professional_name, coalesce(p.title, '') AS \"professional_title!\", i.message \
         FROM invitations i JOIN users u ON u.id = i.professional_id \
         LEFT JOIN professionals p ON p.user_id = i.professional_id \
         WHERE lower(i.email) = lower($1) AND i.professional_id <> $2 \
           AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now() \
           AND NOT EXISTS (SELECT 1 FROM connections c \
                           WHERE c.professional_id = i.professional_id AND c.client_id = $2) \
         ORDER BY i.created_at DESC",
        &user.email,
        user.id,
    )
    .fetch_all(&state.pool)
    .await?;

    // Which connections each hub's roster has: one hub's schema at a time.
    let hubs = super::hubs_of(&state, user.id).await?;
    let ids: Vec<Uuid> = rows.iter().filter(|r| r.verified).map(|r| r.id).collect();
    let mut rostered: Vec<(String, String, HashSet<Uuid>)> = Vec::new();
    if !ids.is_empty() {
        for hub in &hubs {
            let mut tx = TenantTx::begin(&state.pool, hub).await?;
            let on: Vec<Uuid> = sqlx::query_scalar!(
                "SELECT professional_id FROM roster WHERE professional_id = ANY($1)",
                &ids,
            )
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            rostered.push((
                hub.name.clone(),
                super::hub_base(&state, &site, &hub.slug),
                on.into_iter().collect(),
            ));
        }
    }
    let platform = match &site {
        Site::Platform => String::new(),
        Site::Hub { .. } => state.config.platform_url(),
    };

    let tz = viewer_tz(&state, &site, &viewer).await;
    let lang = viewer.language;
    let connections: Vec<Connection> = rows
        .into_iter()
        .map(|r| {
            let mut book = Vec::new();
            if r.verified {
                for (hub_name, hub_base, on) in &rostered {
                    if on.contains(&r.id) {
                        book.push(BookLink {
                            label: crate::i18n::tr(
                                lang,
                                "dash-book-with-hub-credits",
                                &[("hub", hub_name.as_str().into())],
                            ),
                            href: format!("{hub_base}/book/{}", r.id),
                        });
                    }
                }
                book.push(BookLink {
                    label: if book.is_empty() {
                        crate::i18n::tr(lang, "dash-book-again", &[])
                    } else {
                        crate::i18n::tr(lang, "dash-book-privately", &[])
                    },
                    href: format!("{platform}/book/{}", r.id),
                });
            }
            Connection {
                id: r.id,
                name: r.name,
                title: r.title,
                source: r.source,
                since: crate::web::time::format_local(
                    lang,
                    r.created_at.with_timezone(&tz).naive_local(),
                    "%-d %B %Y",
                ),
                last_session: r.last_session.map(|t| {
                    crate::web::time::format_local(
                        lang,
                        t.with_timezone(&tz).naive_local(),
                        "%-d %B %Y",
                    )
                }),
                book,
            }
        })
        .collect();
    let page = super::frame(&state, &site, &viewer, &hubs, "connections").await?;
    Ok(page
        .with("connections", &connections)
        .with("invitations", &invitations)
        .with("accepted", &flags.accepted.is_some())
        .render(&state, "dashboard_connections.html")?
        .into_response())
}

/// POST /connections/invitations/{id}/accept: accepts an open invitation sent
/// to the user's own (verified) address, without the emailed link.
pub async fn accept(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer: _ }: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut tx = state.pool.begin().await?;
    let accepted = crate::accounts::invitations::accept(&mut tx, id, user.id, &user.email).await?;
    tx.commit().await?;
    if !accepted {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("{}/connections?accepted=1", base_of(&site))).into_response())
}
