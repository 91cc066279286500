//! The monthly usage statement at `/reseller/statement.csv?month=YYYY-MM`
//! (last month unless asked), to bill companies from: one row per company of
//! this reseller — slug, name, status, active members (today: membership
//! keeps no history), sessions that month
//! (confirmed hub bookings whose appointment started in it) and credits used
//! that month (debits minus refunds), months counted in each hub's timezone
//! as its HR report counts them. Every figure about people reads "fewer than
//! 5" about a smaller group, and no person is named.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Months, NaiveDate, Utc};
use hearth_tenants::{Tenant, TenantId, TenantStatus, TenantTx};
use serde::Deserialize;

use crate::i18n::{t, Msg};
use crate::web::error::AppError;
use crate::web::extract::ResellerAdmin;
use crate::web::form::FieldMsgs;
use crate::web::privacy::figure;
use crate::web::state::AppState;

/// The earliest month a statement covers.
const FIRST_MONTH: (i32, u32) = (2000, 1);

/// What the statement is asked for.
#[derive(Debug, Default, Deserialize)]
pub struct StatementQuery {
    /// The month, `YYYY-MM`.
    month: Option<String>,
}

/// A company as read from the registry: no person in it, only a count.
#[derive(Debug)]
struct Company {
    id: TenantId,
    slug: String,
    name: String,
    status: TenantStatus,
    ready: bool,
    members: i64,
}

/// The first day of this month (UTC) and of last month.
pub fn this_and_last_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let this = today.with_day(1).unwrap_or(today);
    (
        this,
        this.checked_sub_months(Months::new(1)).unwrap_or(this),
    )
}

/// The month asked for, as its first day: `YYYY-MM` from [`FIRST_MONTH`] to
/// this month; last month when none is given.
fn month_of(input: Option<&str>, today: NaiveDate) -> Result<NaiveDate, Msg> {
    let (this, last) = this_and_last_month(today);
    let text = input.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Ok(last);
    }
    let refused = || Msg::new("reseller-error-month");
    let (year, month) = text.split_once('-').ok_or_else(refused)?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || !digits(month, 2) {
        return Err(refused());
    }
    let year: i32 = year.parse().map_err(|_| refused())?;
    let month: u32 = month.parse().map_err(|_| refused())?;
    let first = NaiveDate::from_ymd_opt(FIRST_MONTH.0, FIRST_MONTH.1, 1).ok_or_else(refused)?;
    NaiveDate::from_ymd_opt(year, month, 1)
        .filter(|d| (first..=this).contains(d))
        .ok_or_else(refused)
}

/// One CSV cell (RFC 4180), defused so a spreadsheet never reads it as a
/// formula: a company's name is typed by people.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Every company of `reseller`, by slug.
async fn companies(conn: &mut sqlx::PgConnection, reseller: i64) -> sqlx::Result<Vec<Company>> {
    sqlx::query_as!(
        Company,
        r#"SELECT t.id AS "id!: TenantId", t.slug AS "slug!", t.name AS "name!",
                  t.status AS "status!: TenantStatus", t.schema_version > 0 AS "ready!",
                  (SELECT count(*) FROM member_directory m
                    WHERE m.tenant_id = t.id AND m.status = 'active') AS "members!"
           FROM tenants t WHERE t.reseller_id = $1 ORDER BY t.slug"#,
        reseller,
    )
    .fetch_all(conn)
    .await
}

/// GET /reseller/statement.csv
pub async fn csv(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Query(query): Query<StatementQuery>,
) -> Result<Response, AppError> {
    let lang = admin.viewer.language;
    let month = month_of(query.month.as_deref(), Utc::now().date_naive())
        .map_err(|m| AppError::Validation(FieldMsgs::from([("month", m)])))?;
    let rows = {
        let mut conn = state.pool.acquire().await?;
        companies(&mut conn, admin.reseller.id).await?
    };
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(
        &[
            "reseller-statement-slug",
            "reseller-statement-name",
            "common-status",
            "reseller-members",
            "reseller-statement-sessions",
            "reseller-statement-used",
        ]
        .map(|key| t(lang, key, None)),
    );
    for c in rows {
        // One short hub transaction a company: the bookings and the ledger
        // live in each hub's schema.
        let usage = if c.ready {
            let tenant = Tenant {
                id: c.id,
                slug: c.slug.clone(),
                name: c.name.clone(),
                status: c.status,
                reseller_id: Some(admin.reseller.id),
            };
            let mut tx = TenantTx::begin(&state.pool, &tenant).await?;
            let usage = crate::credits::month_usage(&mut tx, month).await?;
            tx.commit().await?;
            usage
        } else {
            crate::credits::MonthUsage::default()
        };
        let status = match (c.ready, c.status) {
            (false, _) => "reseller-not-ready",
            (true, TenantStatus::Suspended) => "reseller-suspended",
            (true, TenantStatus::Active) => "reseller-serving",
        };
        line(&[
            c.slug,
            c.name,
            t(lang, status, None),
            figure(c.members, c.members, lang),
            figure(usage.sessions, usage.session_people, lang),
            figure(usage.used, usage.used_people, lang),
        ]);
    }
    let label = month.format("%Y-%m").to_string();
    tracing::info!(user_id = %admin.user.id, reseller_id = admin.reseller.id, month = %label, "reseller admin downloaded a statement");
    let name = format!("{}-statement-{label}.csv", admin.reseller.slug);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::{cell, month_of};
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_month_is_last_month_unless_a_past_one_is_asked() {
        let today = day(2026, 1, 15);
        assert_eq!(month_of(None, today).ok(), Some(day(2025, 12, 1)));
        assert_eq!(month_of(Some(" "), today).ok(), Some(day(2025, 12, 1)));
        assert_eq!(month_of(Some("2026-01"), today).ok(), Some(day(2026, 1, 1)));
        assert_eq!(month_of(Some("2000-01"), today).ok(), Some(day(2000, 1, 1)));
        for bad in [
            "2026-02", "1999-12", "2025-13", "2025-00", "2025-1", "25-01", "2025/01", "abc",
            "+202-01",
        ] {
            assert!(month_of(Some(bad), today).is_err(), "{bad}");
        }
    }

    #[test]
    fn cells_are_quoted_and_never_formulas() {
        assert_eq!(cell("Acme \"A\""), "\"Acme \"\"A\"\"\"");
        assert_eq!(cell("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
        assert_eq!(cell("12"), "\"12\"");
    }
}
