//! The professional's dashboard at `/pro`: upcoming and past appointments
//! (times in the professional's timezone), their clients, and the way to
//! their profile, services, hours and invitations.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use uuid::Uuid;

use super::validate;
use super::{me, render, to};
use crate::i18n::tr;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::time::format_local;

/// Reads the practice's appointments as its overview shows them: the one
/// place that knows the columns. `$rest` is the query's tail over
/// `appointments a` with its client `u` and hub `t`.
macro_rules! select_appointments {
    ($rest:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            AppointmentRow,
            "SELECT a.id, a.starts_at, a.ends_at, u.name AS \"client_name?\", a.service_name, \
               a.mode, a.status, t.name AS \"hub_name?\", \
               EXISTS (SELECT 1 FROM video_attendance v \
                       WHERE v.appointment_id = a.id AND v.role = 'client') AS \"client_joined!\" \
             FROM appointments a \
             LEFT JOIN users u ON u.id = a.client_id \
             LEFT JOIN tenants t ON t.id = a.tenant_id "
                + $rest
            $(, $arg)*
        )
    };
}

#[derive(Debug, sqlx::FromRow)]
struct AppointmentRow {
    id: Uuid,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    client_name: Option<String>,
    service_name: String,
    mode: String,
    status: String,
    hub_name: Option<String>,
    /// The client entered the video room at least once.
    client_joined: bool,
}

#[derive(Debug, Serialize)]
struct AppointmentView {
    id: Uuid,
    when: String,
    client_name: String,
    service_name: String,
    /// video, phone or in_person (the page names it).
    mode: String,
    cancelled: bool,
    /// Once over: cancelled, attended (the client joined the video call),
    /// no_show (a video call the client never joined) or held.
    outcome: &'static str,
    paid_by: String,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct Client {
    name: String,
    since: String,
}

/// `[start, end)` as the professional reads it, in `lang`: "Mon 24 Nov
/// 2026, 09:00–09:50", "mán 24. nóv 2026, 09:00–09:50".
fn when(lang: &str, tz: Tz, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> String {
    const DAY_AND_TIME: &str = "%a %-d %b %Y, %H:%M";
    let start = starts_at.with_timezone(&tz).naive_local();
    let end = ends_at.with_timezone(&tz).naive_local();
    if start.date() == end.date() {
        format!(
            "{}–{}",
            format_local(lang, start, DAY_AND_TIME),
            end.format("%H:%M")
        )
    } else {
        format!(
            "{} – {}",
            format_local(lang, start, DAY_AND_TIME),
            format_local(lang, end, DAY_AND_TIME)
        )
    }
}

fn view(lang: &str, tz: Tz, a: AppointmentRow) -> AppointmentView {
    AppointmentView {
        id: a.id,
        when: when(lang, tz, a.starts_at, a.ends_at),
        client_name: a
            .client_name
            .unwrap_or_else(|| tr(lang, "pro-dash-deleted-account", &[])),
        service_name: a.service_name,
        outcome: match (a.status.as_str(), a.mode.as_str(), a.client_joined) {
            ("cancelled", _, _) => "cancelled",
            (_, "video", true) => "attended",
            (_, "video", false) => "no_show",
            _ => "held",
        },
        mode: a.mode,
        cancelled: a.status == "cancelled",
        paid_by: a
            .hub_name
            .unwrap_or_else(|| tr(lang, "pro-dash-private-client", &[])),
    }
}

/// GET /pro: the professional dashboard; without a professional profile,
/// the page to create one.
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let Some(me) = me(&state, &viewer).await? else {
        return Ok(to(&site, "/pro/profile"));
    };
    let tz = validate::timezone(&me.timezone).unwrap_or(Tz::UTC);
    let mut conn = state.pool.acquire().await?;
    let upcoming: Vec<AppointmentRow> = select_appointments!(
        "WHERE a.professional_id = $1 \
           AND a.status = 'confirmed' AND a.ends_at > now() \
         ORDER BY a.starts_at LIMIT 100",
        me.user_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let past: Vec<AppointmentRow> = select_appointments!(
        "WHERE a.professional_id = $1 \
           AND a.ends_at <= now() ORDER BY a.starts_at DESC LIMIT 20",
        me.user_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let clients: Vec<Client> = sqlx::query_as!(
        Client,
        "SELECT u.name, to_char(c.created_at, 'YYYY-MM-DD') AS \"since!\" \
         FROM connections c JOIN users u ON u.id = c.client_id \
         WHERE c.professional_id = $1 ORDER BY u.name LIMIT 500",
        me.user_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let counts: (i64, i64, i64) = sqlx::query!(
        "SELECT (SELECT count(*) FROM services WHERE professional_id = $1 AND active) AS \"services!\", \
                (SELECT count(*) FROM availability_rules WHERE professional_id = $1) AS \"rules!\", \
                (SELECT count(*) FROM invitations WHERE professional_id = $1 \
                   AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()) AS \"invitations!\"",
        me.user_id,
    )
    .fetch_one(&mut *conn)
    .await
    .map(|r| (r.services, r.rules, r.invitations))?;
    drop(conn);
    let lang = viewer.language;
    let upcoming: Vec<AppointmentView> = upcoming.into_iter().map(|a| view(lang, tz, a)).collect();
    let past: Vec<AppointmentView> = past.into_iter().map(|a| view(lang, tz, a)).collect();
    render(
        &state,
        &site,
        &viewer,
        "overview",
        "pro_dashboard.html",
        StatusCode::OK,
        |page| {
            page.with("professional", &me)
                .with("upcoming", &upcoming)
                .with("past", &past)
                .with("clients", &clients)
                .with("active_services", &counts.0)
                .with("weekly_rules", &counts.1)
                .with("open_invitations", &counts.2)
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_the_professionals_timezone() {
        let start = "2026-11-23T09:00:00Z".parse().unwrap();
        let end = "2026-11-23T09:50:00Z".parse().unwrap();
        assert_eq!(
            when("en", chrono_tz::Europe::Paris, start, end),
            "Mon 23 Nov 2026, 10:00–10:50"
        );
        assert_eq!(
            when("en", chrono_tz::Atlantic::Reykjavik, start, end),
            "Mon 23 Nov 2026, 09:00–09:50"
        );
        assert_eq!(
            when("is", chrono_tz::Atlantic::Reykjavik, start, end),
            "mán 23. nóv 2026, 09:00–09:50"
        );
        let late = "2026-11-23T22:30:00Z".parse().unwrap();
        let after = "2026-11-23T23:20:00Z".parse().unwrap();
        assert_eq!(
            when("en", chrono_tz::Europe::Paris, late, after),
            "Mon 23 Nov 2026, 23:30 – Tue 24 Nov 2026, 00:20"
        );
        assert_eq!(
            when("is", chrono_tz::Europe::Paris, late, after),
            "mán 23. nóv 2026, 23:30 – þri 24. nóv 2026, 00:20"
        );
    }
}
