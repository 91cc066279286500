//! Dates and times as people read them: in their timezone and language.

use hearth_tenants::TenantTx;

use crate::web::authz::Viewer;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The viewer's timezone: their own, else the hub's, else UTC.
pub async fn viewer_tz(state: &AppState, site: &Site, viewer: &Viewer) -> chrono_tz::Tz {
    if let Some(tz) = viewer
        .user
        .as_ref()
        .and_then(|u| parse_timezone(&u.timezone))
    {
        return tz;
    }
    if let Site::Hub { tenant, .. } = site {
        if let Ok(mut tx) = TenantTx::begin(&state.pool, tenant).await {
            let tz: Option<String> = sqlx::query_scalar!("SELECT timezone FROM hub_settings")
                .fetch_optional(&mut *tx)
                .await
                .ok()
                .flatten();
            let _ = tx.commit().await;
            if let Some(tz) = tz.and_then(|t| parse_timezone(&t)) {
                return tz;
            }
        }
    }
    chrono_tz::UTC
}

/// Icelandic names of the days of the week (Monday first): full, short.
const IS_WEEKDAYS: [(&str, &str); 7] = [
    ("mánudagur", "mán"),
    ("þriðjudagur", "þri"),
    ("miðvikudagur", "mið"),
    ("fimmtudagur", "fim"),
    ("föstudagur", "fös"),
    ("laugardagur", "lau"),
    ("sunnudagur", "sun"),
];

/// Icelandic names of the months: full, short.
const IS_MONTHS: [(&str, &str); 12] = [
    ("janúar", "jan"),
    ("febrúar", "feb"),
    ("mars", "mar"),
    ("apríl", "apr"),
    ("maí", "maí"),
    ("júní", "jún"),
    ("júlí", "júl"),
    ("ágúst", "ágú"),
    ("september", "sep"),
    ("október", "okt"),
    ("nóvember", "nóv"),
    ("desember", "des"),
];

/// Local time `at` written with the chrono `pattern` in `lang`: English as
/// chrono writes it ("Mon 16 Nov 2026"); Icelandic with Icelandic day and
/// month names and an ordinal dot after the day ("mán 16. nóv 2026").
pub fn format_local(lang: &str, at: chrono::NaiveDateTime, pattern: &str) -> String {
    use chrono::Datelike;
    if lang != "is" {
        return at.format(pattern).to_string();
    }
    let (day, day_short) = IS_WEEKDAYS[at.weekday().num_days_from_monday() as usize % 7];
    let (month, month_short) = IS_MONTHS[at.month0() as usize % 12];
    let pattern = pattern
        .replace("%A", day)
        .replace("%a", day_short)
        .replace("%B", month)
        .replace("%b", month_short)
        .replace("%-d", "%-d.");
    at.format(&pattern).to_string()
}

/// Local day `day` written with the chrono `pattern` in `lang` (see [`format_local`]).
pub fn format_day(lang: &str, day: chrono::NaiveDate, pattern: &str) -> String {
    format_local(lang, day.and_time(chrono::NaiveTime::MIN), pattern)
}

/// The timezones offered in the profile's list: the IANA names of places
/// (`Europe/Paris`), and UTC. Others are still accepted when typed.
pub fn timezone_names() -> Vec<&'static str> {
    const AREAS: &[&str] = &[
        "Africa/",
        "America/",
        "Antarctica/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    ];
    let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|n| AREAS.iter().any(|a| n.starts_with(a)))
        .collect();
    names.push("UTC");
    names.sort_unstable();
    names
}

/// The timezone named `name` (IANA), if chrono-tz knows it.
pub fn parse_timezone(name: &str) -> Option<chrono_tz::Tz> {
    name.trim().parse().ok()
}
