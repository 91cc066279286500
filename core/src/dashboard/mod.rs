//! The Client Dashboard: Home (appointments, calendar, credits), connections
//! and notifications, for every onboarded user (a professional also sees
//! their own sessions on Home).
//!
//! Pages are themed by the site they are on; on the platform, a member of a
//! hub sees their hub's colours (private clients the platform's).

pub mod calendar;
pub mod connections;
pub mod home;
pub mod notifications;

use hearth_tenants::Tenant;
use uuid::Uuid;

use crate::app::AppState;
use crate::error::AppError;
use crate::http::authz::{Routes, Viewer};
use crate::http::page::Page;
use crate::http::site::Site;

/// The dashboard's routes; all need an onboarded user (`account`).
pub fn routes() -> Routes {
    Routes::default()
        .get("/dashboard", "account", home::page)
        .get("/connections", "account", connections::page)
        .post(
            "/connections/invitations/{id}/accept",
            "account",
            connections::accept,
        )
        .get("/notifications", "account", notifications::page)
        .post(
            "/notifications/read-all",
            "account",
            notifications::mark_all_read,
        )
        .post(
            "/notifications/{id}/read",
            "account",
            notifications::mark_read,
        )
        .get(
            "/account/notifications",
            "account",
            notifications::settings_page,
        )
        .post(
            "/account/notifications",
            "account",
            notifications::settings_save,
        )
}

/// The active hubs `user_id` is an active member of, by name (read from the
/// member directory in `public`: no hub schema is touched).
pub async fn hubs_of(state: &AppState, user_id: Uuid) -> sqlx::Result<Vec<Tenant>> {
    sqlx::query_as(
        "SELECT t.id, t.slug, t.name, t.status, t.reseller_id \
         FROM member_directory m JOIN tenants t ON t.id = m.tenant_id \
         WHERE m.user_id = $1 AND m.status = 'active' AND t.status = 'active' \
         ORDER BY t.name, t.id",
    )
    .bind(user_id)
    .fetch_all(&state.pool)
    .await
}

/// Where hub `slug`'s pages are, seen from `site`: the current prefix when it
/// is that hub, else the hub's own address.
pub fn hub_base(state: &AppState, site: &Site, slug: &str) -> String {
    match site {
        Site::Hub { tenant, base } if tenant.slug == slug => base.clone(),
        _ => state.config.hub_url(slug),
    }
}

/// A dashboard page's frame: the site's page, in the user's (first) hub's
/// theme when on the platform, with `section` marking the current tab.
pub async fn frame(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    hubs: &[Tenant],
    section: &str,
) -> Result<Page, AppError> {
    let mut page = Page::new(state, site, viewer).await?;
    if let (Site::Platform, Some(hub)) = (site, hubs.first()) {
        let branding = crate::http::page::branding(state, hub).await?;
        page = page.with_branding(state, &branding);
    }
    Ok(page.with("section", &section))
}

/// Message `id` in `lang` with `args` (name, value): the dashboard's
/// shorthand for [`crate::i18n::t`].
pub fn tr(lang: &str, id: &str, args: &[(&str, fluent_bundle::FluentValue<'_>)]) -> String {
    if args.is_empty() {
        return crate::i18n::t(lang, id, None);
    }
    let mut fluent = fluent_bundle::FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, value.clone());
    }
    crate::i18n::t(lang, id, Some(&fluent))
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
