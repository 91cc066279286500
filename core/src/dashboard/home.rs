//! Home: the user's upcoming and past appointments with every professional
//! and hub (and, for a professional, their own sessions), a month or week
//! calendar, a summary of bookings, the credits left in each hub with the
//! date they reset, and the house-and-heart way back to each hub. Times are
//! in the user's own timezone.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use hearth_tenants::TenantTx;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::calendar::{local_midnight, View};
use crate::booking::manage::{JOIN_EARLY_MINUTES, JOIN_LATE_MINUTES};
use crate::i18n::tr;
use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::site::base_of;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::time::{format_day, format_local};
use crate::web::{money::money, time::viewer_tz};

/// Reads appointments as the dashboard shows them: the one place that knows
/// its columns. `$rest` is the query's tail (`WHERE`, `ORDER BY`) over
/// `appointments a` with its professional `p`, client `c` and hub `t`.
macro_rules! select_rows {
    ($rest:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            Row,
            "SELECT a.id, a.professional_id, a.service_name, a.mode, a.session_type, \
                    a.starts_at, a.ends_at, a.price_minor, a.currency, a.credits, a.status, \
                    p.name AS professional_name, c.name AS \"client_name?\", t.name AS \"hub_name?\" \
             FROM appointments a JOIN users p ON p.id = a.professional_id \
             LEFT JOIN users c ON c.id = a.client_id LEFT JOIN tenants t ON t.id = a.tenant_id "
                + $rest
            $(, $arg)*
        )
    };
}

/// The most upcoming sessions listed.
const UPCOMING_MAX: i64 = 50;
/// The most past sessions listed.
const PAST_MAX: i64 = 20;
/// The most connections Home names (the Connections page has them all).
const CONNECTIONS_MAX: i64 = 6;

/// Whether, and from when, the video session of an appointment can be joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// Now: from [`JOIN_EARLY_MINUTES`] before the start to
    /// [`JOIN_LATE_MINUTES`] after the end.
    Open,
    /// Not yet: it opens at this instant.
    Later(DateTime<Utc>),
    /// Never: cancelled, over, or not a video session.
    Closed,
}

/// The join rule of the appointment page (`booking::manage`), for a list.
pub fn join_state(
    confirmed: bool,
    video: bool,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Join {
    let opens = starts_at - Duration::minutes(JOIN_EARLY_MINUTES);
    if !confirmed || !video || now >= ends_at + Duration::minutes(JOIN_LATE_MINUTES) {
        Join::Closed
    } else if now >= opens {
        Join::Open
    } else {
        Join::Later(opens)
    }
}

/// `?view=month&month=2026-11` or `?view=week&week=2026-11-16`.
#[derive(Debug, Default, Deserialize)]
pub struct HomeQuery {
    view: Option<String>,
    month: Option<String>,
    week: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    professional_id: Uuid,
    service_name: String,
    mode: String,
    session_type: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    price_minor: i64,
    currency: String,
    credits: i32,
    status: String,
    professional_name: String,
    client_name: Option<String>,
    hub_name: Option<String>,
}

/// An appointment as Home lists it, its times in the viewer's timezone.
#[derive(Debug, Serialize)]
struct Session {
    id: Uuid,
    href: String,
    /// The video room.
    join_href: String,
    date: String,
    time: String,
    end_time: String,
    service_name: String,
    mode: String,
    mode_label: String,
    session_type: String,
    /// "120.00 EUR" or "2 credits".
    cost: String,
    hub_name: Option<String>,
    /// The other party: the professional, or (for the professional) the client.
    with_name: String,
    as_professional: bool,
    cancelled: bool,
    /// open, later or closed.
    join: &'static str,
    opens: String,
}

fn mode_label(lang: &str, mode: &str) -> String {
    let mode = match mode {
        "phone" | "in_person" => mode,
        _ => "video",
    };
    tr(lang, "dash-mode", &[("mode", mode.into())])
}

fn session_type_label(lang: &str, t: &str) -> String {
    let t = match t {
        "couples" | "family" | "group" => t,
        _ => "individual",
    };
    tr(lang, "dash-session-type", &[("type", t.into())])
}

fn session(r: &Row, me: Uuid, tz: Tz, base: &str, now: DateTime<Utc>, lang: &str) -> Session {
    let start = r.starts_at.with_timezone(&tz);
    let as_professional = r.professional_id == me;
    let join = join_state(
        r.status == "confirmed",
        r.mode == "video",
        r.starts_at,
        r.ends_at,
        now,
    );
    let opens = match join {
        Join::Later(at) => format_local(
            lang,
            at.with_timezone(&tz).naive_local(),
            "%a %-d %b, %H:%M",
        ),
        _ => String::new(),
    };
    Session {
        id: r.id,
        href: format!("{base}/appointments/{}", r.id),
        join_href: format!("{base}/appointments/{}/session", r.id),
        date: format_local(lang, start.naive_local(), "%a %-d %b %Y"),
        time: start.format("%H:%M").to_string(),
        end_time: r.ends_at.with_timezone(&tz).format("%H:%M").to_string(),
        service_name: r.service_name.clone(),
        mode: r.mode.clone(),
        mode_label: mode_label(lang, &r.mode),
        session_type: session_type_label(lang, &r.session_type),
        cost: match &r.hub_name {
            Some(_) => tr(lang, "credits-count", &[("count", r.credits.into())]),
            None => money(r.price_minor, &r.currency, lang),
        },
        hub_name: r.hub_name.clone(),
        with_name: if as_professional {
            r.client_name
                .clone()
                .unwrap_or_else(|| tr(lang, "dash-former-client", &[]))
        } else {
            r.professional_name.clone()
        },
        as_professional,
        cancelled: r.status == "cancelled",
        join: match join {
            Join::Open => "open",
            Join::Later(_) => "later",
            Join::Closed => "closed",
        },
        opens,
    }
}

/// The bookings summary.
#[derive(Debug, Serialize, sqlx::FromRow)]
struct Summary {
    upcoming: i64,
    past: i64,
    cancelled: i64,
}

/// Credits left in one hub.
#[derive(Debug, Serialize)]
struct HubCredits {
    hub_name: String,
    hub_url: String,
    balance: i32,
    /// The first day of the next period, when the balance resets.
    resets_on: String,
    per_period: String,
    credits_per_period: i32,
    rollover: bool,
}

/// A way back to a hub (the house-and-heart icon).
#[derive(Debug, Serialize)]
struct HubLink {
    name: String,
    url: String,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct Connection {
    name: String,
    title: String,
}

/// A session in the calendar.
#[derive(Debug, Serialize)]
struct CalSession {
    href: String,
    time: String,
    label: String,
}

/// A day in the calendar.
#[derive(Debug, Serialize)]
struct CalDay {
    iso: String,
    day: u32,
    label: String,
    in_view: bool,
    today: bool,
    sessions: Vec<CalSession>,
}

/// The calendar as the template draws it.
#[derive(Debug, Serialize)]
struct Calendar {
    month: bool,
    title: String,
    prev_href: String,
    next_href: String,
    today_href: String,
    month_href: String,
    week_href: String,
    weeks: Vec<Vec<CalDay>>,
}

fn calendar(
    view: View,
    rows: &[Row],
    tz: Tz,
    base: &str,
    today: NaiveDate,
    me: Uuid,
    lang: &str,
) -> Calendar {
    let former_client = tr(lang, "dash-former-client-lower", &[]);
    let mut by_day: HashMap<NaiveDate, Vec<CalSession>> = HashMap::new();
    for r in rows {
        let start = r.starts_at.with_timezone(&tz);
        let with = if r.professional_id == me {
            r.client_name.as_deref().unwrap_or(&former_client)
        } else {
            r.professional_name.as_str()
        };
        by_day
            .entry(start.date_naive())
            .or_default()
            .push(CalSession {
                href: format!("{base}/appointments/{}", r.id),
                time: start.format("%H:%M").to_string(),
                label: tr(
                    lang,
                    "dash-cal-session-with",
                    &[
                        ("service", r.service_name.as_str().into()),
                        ("name", with.into()),
                    ],
                ),
            });
    }
    let href = |v: View| format!("{base}/dashboard?{}#calendar", v.query());
    let today_view = if view.is_month() {
        View::Month(super::calendar::first_of_month(today))
    } else {
        View::Week(super::calendar::monday_of(today))
    };
    Calendar {
        month: view.is_month(),
        title: view.title_in(lang),
        prev_href: href(view.prev()),
        next_href: href(view.next()),
        today_href: href(today_view),
        month_href: href(view.as_month()),
        week_href: href(view.as_week(today)),
        weeks: view
            .weeks()
            .into_iter()
            .map(|week| {
                week.into_iter()
                    .map(|d| CalDay {
                        iso: d.format("%Y-%m-%d").to_string(),
                        day: chrono::Datelike::day(&d),
                        label: format_day(lang, d, "%A %-d %B"),
                        in_view: view.holds(d),
                        today: d == today,
                        sessions: by_day.remove(&d).unwrap_or_default(),
                    })
                    .collect()
            })
            .collect(),
    }
}

/// GET /dashboard: Home.
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Query(query): Query<HomeQuery>,
) -> Result<Response, AppError> {
    let lang = viewer.language;
    let base = base_of(&site).to_owned();
    let now = Utc::now();
    let tz = viewer_tz(&state, &site, &viewer).await;
    let today = now.with_timezone(&tz).date_naive();
    let view = View::from_query(
        query.view.as_deref(),
        query.month.as_deref(),
        query.week.as_deref(),
        today,
    );

    let upcoming: Vec<Row> = select_rows!(
        "WHERE (a.client_id = $1 OR a.professional_id = $1) \
           AND a.status = 'confirmed' AND a.ends_at > $2 ORDER BY a.starts_at LIMIT $3",
        user.id,
        now,
        UPCOMING_MAX,
    )
    .fetch_all(&state.pool)
    .await?;
    let past: Vec<Row> = select_rows!(
        "WHERE (a.client_id = $1 OR a.professional_id = $1) \
           AND (a.ends_at <= $2 OR a.status = 'cancelled') \
         ORDER BY a.starts_at DESC LIMIT $3",
        user.id,
        now,
        PAST_MAX,
    )
    .fetch_all(&state.pool)
    .await?;
    let (from, to) = view.days();
    let shown: Vec<Row> = select_rows!(
        "WHERE (a.client_id = $1 OR a.professional_id = $1) \
           AND a.status = 'confirmed' AND a.starts_at >= $2 AND a.starts_at < $3 \
         ORDER BY a.starts_at",
        user.id,
        local_midnight(tz, from),
        local_midnight(tz, to),
    )
    .fetch_all(&state.pool)
    .await?;
    let summary: Summary = sqlx::query_as!(
        Summary,
        "SELECT count(*) FILTER (WHERE status = 'confirmed' AND ends_at > $2) AS \"upcoming!\", \
                count(*) FILTER (WHERE status = 'confirmed' AND ends_at <= $2) AS \"past!\", \
                count(*) FILTER (WHERE status = 'cancelled') AS \"cancelled!\" \
         FROM appointments WHERE client_id = $1 OR professional_id = $1",
        user.id,
        now,
    )
    .fetch_one(&state.pool)
    .await?;
    let connections: Vec<Connection> = sqlx::query_as!(
        Connection,
        "SELECT u.name, coalesce(p.title, '') AS \"title!\" FROM connections c \
         JOIN users u ON u.id = c.professional_id LEFT JOIN professionals p ON p.user_id = c.professional_id \
         WHERE c.client_id = $1 ORDER BY u.name LIMIT $2",
        user.id,
        CONNECTIONS_MAX,
    )
    .fetch_all(&state.pool)
    .await?;

    let hubs = super::hubs_of(&state, user.id).await?;
    let mut credits = Vec::new();
    let mut hub_links = Vec::new();
    for hub in &hubs {
        let url = format!("{}/", super::hub_base(&state, &site, &hub.slug));
        // One hub's schema at a time, never joined with another's.
        let mut tx = TenantTx::begin(&state.pool, hub).await?;
        let account = crate::credits::peek(&mut tx, user.id, now).await?;
        tx.commit().await?;
        if let Some((policy, account)) = account {
            credits.push(HubCredits {
                hub_name: hub.name.clone(),
                hub_url: url.clone(),
                balance: account.balance,
                resets_on: format_day(lang, account.period.end, "%-d %B %Y"),
                per_period: tr(
                    lang,
                    "dash-per-period",
                    &[("months", policy.period_months.into())],
                ),
                credits_per_period: policy.credits_per_period,
                rollover: policy.rollover,
            });
        }
        hub_links.push(HubLink {
            name: hub.name.clone(),
            url,
        });
    }

    let upcoming: Vec<Session> = upcoming
        .iter()
        .map(|r| session(r, user.id, tz, &base, now, lang))
        .collect();
    let past: Vec<Session> = past
        .iter()
        .map(|r| session(r, user.id, tz, &base, now, lang))
        .collect();
    let calendar = calendar(view, &shown, tz, &base, today, user.id, lang);
    let page = super::frame(&state, &site, &viewer, &hubs, "home").await?;
    Ok(page
        .with("upcoming", &upcoming)
        .with("past", &past)
        .with("summary", &summary)
        .with("credits", &credits)
        .with("hub_links", &hub_links)
        .with("connections", &connections)
        .with("calendar", &calendar)
        .with("timezone", &tz.name())
        .with("join_early_minutes", &JOIN_EARLY_MINUTES)
        .render(&state, "dashboard.html")?
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn join_opens_ten_minutes_before_the_start_and_closes_fifteen_after_the_end() {
        let start = Utc.with_ymd_and_hms(2026, 11, 16, 9, 0, 0).unwrap();
        let end = start + Duration::minutes(50);
        let at = |m: i64| start + Duration::minutes(m);
        assert_eq!(
            join_state(true, true, start, end, at(-11)),
            Join::Later(at(-10))
        );
        assert_eq!(join_state(true, true, start, end, at(-10)), Join::Open);
        assert_eq!(join_state(true, true, start, end, at(49)), Join::Open);
        assert_eq!(join_state(true, true, start, end, at(64)), Join::Open);
        assert_eq!(join_state(true, true, start, end, at(65)), Join::Closed);
        assert_eq!(join_state(false, true, start, end, at(0)), Join::Closed);
        assert_eq!(join_state(true, false, start, end, at(0)), Join::Closed);
    }

    #[test]
    fn session_types_read_as_words() {
        crate::i18n::init(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../themes"
        )))
        .unwrap();
        assert_eq!(session_type_label("en", "individual"), "Individual");
        assert_eq!(session_type_label("en", "couples"), "Couples");
        assert_eq!(session_type_label("is", "couples"), "Parameðferð");
    }
}
