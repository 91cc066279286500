//! Data the booking tests start from, written with SQL: onboarded users,
//! verified professionals with services and weekly hours, hub rosters and
//! members, and a browser already logged in as someone.

use chrono::{DateTime, Datelike, Duration as Span, TimeZone, Utc};
use hearth_tenants::{Tenant, TenantTx};
use sqlx::PgPool;
use uuid::Uuid;

use crate::browser::{csrf_of, Browser};

/// An onboarded user (verified email, current terms accepted) in timezone `tz`.
pub async fn user(pool: &PgPool, email: &str, name: &str, tz: &str) -> Uuid {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO users (id, email, name, email_verified_at, timezone) VALUES ($1, $2, $3, now(), $4)",
    )
    .bind(id)
    .bind(email)
    .bind(name)
    .bind(tz)
    .execute(pool)
    .await
    .expect("user");
    sqlx::query("INSERT INTO terms_acceptances (user_id, version) VALUES ($1, $2)")
        .bind(id)
        .bind(hearth_core::web::session::TERMS_VERSION)
        .execute(pool)
        .await
        .expect("terms");
    id
}

/// The token of a new session for `user` (what logging in would set).
pub async fn session_token(pool: &PgPool, user: Uuid) -> String {
    let mut conn = pool.acquire().await.expect("connection");
    hearth_core::web::session::start(&mut conn, user, false)
        .await
        .expect("session")
        .value()
        .to_owned()
}

/// A browser against `base` logged in as `user`.
pub async fn browser_for(pool: &PgPool, base: &str, user: Uuid) -> Browser {
    Browser::with_session(base, &session_token(pool, user).await)
}

/// A verified professional in UTC, open all week without a buffer, with one
/// 30-minute individual "Session" for 1 credit: (professional, service).
pub async fn open_professional(pool: &PgPool, email: &str, name: &str) -> (Uuid, Uuid) {
    let pro = professional(pool, email, name, "UTC", 0, &all_week()).await;
    let service = service(pool, pro, "Session", 30, 1, "individual").await;
    (pro, service)
}

/// A verified professional in `tz` with `buffer` minutes between sessions, no
/// minimum notice, a year's horizon, and weekly `hours` (ISO weekday, from, to;
/// "00:00" as the end is midnight).
pub async fn professional(
    pool: &PgPool,
    email: &str,
    name: &str,
    tz: &str,
    buffer: i32,
    hours: &[(i16, &str, &str)],
) -> Uuid {
    let id = user(pool, email, name, tz).await;
    sqlx::query(
        "INSERT INTO professionals (user_id, title, verified_at, timezone, buffer_minutes, min_notice_minutes, horizon_days) \
         VALUES ($1, 'Psychologist', now(), $2, $3, 0, 365)",
    )
    .bind(id)
    .bind(tz)
    .bind(buffer)
    .execute(pool)
    .await
    .expect("professional");
    for (weekday, from, to) in hours {
        sqlx::query(
            "INSERT INTO availability_rules (professional_id, weekday, start_time, end_time) VALUES ($1, $2, $3::time, $4::time)",
        )
        .bind(id)
        .bind(weekday)
        .bind(from)
        .bind(to)
        .execute(pool)
        .await
        .expect("availability");
    }
    cache_reset(pool).await;
    id
}

/// What an operator runs after changing shared tables by hand (`hearth cache
/// reset`): every node forgets every cached hub, page, plugin and policy.
pub async fn cache_reset(pool: &PgPool) {
    let mut conn = pool.acquire().await.expect("connection");
    hearth_tenants::changes::announce(&mut conn, hearth_tenants::changes::Change::Everything)
        .await
        .expect("announce");
}

/// Every day, all day.
pub fn all_week() -> Vec<(i16, &'static str, &'static str)> {
    (1..=7).map(|d| (d, "00:00", "00:00")).collect()
}

/// A service of `pro` priced 120.00 EUR for private clients.
pub async fn service(
    pool: &PgPool,
    pro: Uuid,
    name: &str,
    minutes: i32,
    credits: i32,
    session_type: &str,
) -> Uuid {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO services (id, professional_id, name, duration_minutes, credits, session_type, price_minor, currency) \
         VALUES ($1, $2, $3, $4, $5, $6, 12000, 'EUR')",
    )
    .bind(id)
    .bind(pro)
    .bind(name)
    .bind(minutes)
    .bind(credits)
    .bind(session_type)
    .execute(pool)
    .await
    .expect("service");
    cache_reset(pool).await;
    id
}

/// Runs `sql` in `tenant`'s schema, binding `user` when given.
pub async fn in_hub(pool: &PgPool, tenant: &Tenant, sql: &str, user: Option<Uuid>) {
    let mut tx = TenantTx::begin(pool, tenant)
        .await
        .expect("hub transaction");
    let q = sqlx::query(sql);
    let q = match user {
        Some(u) => q.bind(u),
        None => q,
    };
    q.execute(&mut *tx).await.expect("hub statement");
    by_hand(&mut tx).await;
    tx.commit().await.expect("commit");
}

/// What an operator does after changing tables by hand: mirrors the hub's
/// members into the directory and tells every node to forget its caches
/// (`hearth cache reset`), when `tx` commits.
pub async fn by_hand(tx: &mut TenantTx) {
    let hub = tx.tenant_id();
    hearth_tenants::directory::mirror_all(&mut *tx, hub)
        .await
        .expect("member directory");
    hearth_tenants::changes::announce(tx, hearth_tenants::changes::Change::Everything)
        .await
        .expect("announce");
}

/// One number from `tenant`'s schema, binding `user`.
pub async fn hub_number(pool: &PgPool, tenant: &Tenant, sql: &str, user: Uuid) -> i64 {
    hub_scalar(pool, tenant, sql, Some(user)).await
}

/// One number from hub `tenant`'s schema, by `sql` (which takes no parameter).
pub async fn hub_count(pool: &PgPool, tenant: &Tenant, sql: &str) -> i64 {
    hub_scalar(pool, tenant, sql, None).await
}

async fn hub_scalar(pool: &PgPool, tenant: &Tenant, sql: &str, user: Option<Uuid>) -> i64 {
    let mut tx = TenantTx::begin(pool, tenant)
        .await
        .expect("hub transaction");
    let q = sqlx::query_scalar(sql);
    let q = match user {
        Some(u) => q.bind(u),
        None => q,
    };
    let v: i64 = q.fetch_one(&mut *tx).await.expect("hub query");
    tx.commit().await.expect("commit");
    v
}

/// Puts `pro` on `tenant`'s roster.
pub async fn on_roster(pool: &PgPool, tenant: &Tenant, pro: Uuid) {
    in_hub(
        pool,
        tenant,
        "INSERT INTO roster (professional_id) VALUES ($1)",
        Some(pro),
    )
    .await;
}

/// Makes `user` an employee of `tenant`.
pub async fn member(pool: &PgPool, tenant: &Tenant, user: Uuid) {
    in_hub(
        pool,
        tenant,
        "INSERT INTO members (user_id) VALUES ($1)",
        Some(user),
    )
    .await;
}

/// The member's credit balance in `tenant`.
pub async fn balance(pool: &PgPool, tenant: &Tenant, user: Uuid) -> i64 {
    hub_number(
        pool,
        tenant,
        "SELECT balance::bigint FROM credit_balances WHERE user_id = $1",
        user,
    )
    .await
}

/// The sum of the member's ledger entries in `tenant`.
pub async fn ledger_sum(pool: &PgPool, tenant: &Tenant, user: Uuid) -> i64 {
    hub_number(
        pool,
        tenant,
        "SELECT coalesce(sum(amount), 0)::bigint FROM credit_ledger WHERE user_id = $1",
        user,
    )
    .await
}

/// Monday `weeks` weeks after this week's, at `hh:mm` in `tz`, as UTC.
pub fn monday_at(weeks: i64, hh: u32, mm: u32, tz: chrono_tz::Tz) -> DateTime<Utc> {
    let today = Utc::now().with_timezone(&tz).date_naive();
    let monday =
        today - Span::days(i64::from(today.weekday().num_days_from_monday())) + Span::weeks(weeks);
    tz.from_local_datetime(&monday.and_hms_opt(hh, mm, 0).expect("a time of day"))
        .earliest()
        .expect("a local time that exists")
        .with_timezone(&Utc)
}

/// `s` percent-encoded for a query string.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `t` as RFC 3339, in UTC, to the second.
pub fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Posts a confirm for `start`, fetching a CSRF token from a page with a form.
pub async fn confirm(
    b: &Browser,
    pro: Uuid,
    service: Uuid,
    start: DateTime<Utc>,
    key: &str,
) -> reqwest::Response {
    let page = b.page(&format!("/book/{pro}")).await;
    let token = csrf_of(&page);
    b.post(
        &format!("/book/{pro}/{service}/confirm"),
        &token,
        &[("start", &rfc(start)), ("key", key)],
    )
    .await
}

/// An answer to a confirm: (status, where it redirects, body).
pub type Answer = (u16, String, String);

/// Every browser confirms `start` of `pro`'s `service` at once, each with
/// the CSRF token of its own booking page (fetched first, so the confirms
/// themselves race): their answers, in the browsers' order.
pub async fn confirm_all_at_once(
    browsers: Vec<Browser>,
    pro: Uuid,
    service: Uuid,
    start: DateTime<Utc>,
) -> Vec<Answer> {
    let tokens = futures::future::join_all(
        browsers
            .iter()
            .map(|b| async move { csrf_of(&b.page(&format!("/book/{pro}")).await) }),
    )
    .await;
    let tasks: Vec<_> = browsers
        .into_iter()
        .zip(tokens)
        .enumerate()
        .map(|(i, (b, token))| {
            tokio::spawn(async move {
                let r = b
                    .post(
                        &format!("/book/{pro}/{service}/confirm"),
                        &token,
                        &[("start", &rfc(start)), ("key", &format!("hot-{i:04}"))],
                    )
                    .await;
                let to = crate::browser::location(&r);
                (r.status().as_u16(), to, r.text().await.unwrap_or_default())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("a confirm task"));
    }
    answers
}

/// Exactly one of `answers` booked; every other was refused cleanly, with
/// the page saying the time was just taken (not an error).
pub fn assert_booked_once(answers: &[Answer]) {
    let booked = answers
        .iter()
        .filter(|(s, to, _)| *s == 303 && to.contains("/appointments/"))
        .count();
    assert_eq!(
        booked,
        1,
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    for (status, _, body) in answers.iter().filter(|(s, _, _)| *s != 303) {
        assert_eq!(*status, 409, "refused cleanly, not failed: {body}");
        assert!(
            body.contains("Someone else just booked this time"),
            "{body}"
        );
    }
}

/// `day` as an Icelandic reader writes it: "fimmtudagur 24. desember 2026".
/// The names come from glibc's `is_IS` locale (through chrono's
/// `unstable-locales`), a source independent of the code under test, which
/// has its own table.
pub fn icelandic_date(day: chrono::NaiveDate) -> String {
    day.format_localized("%A %-d. %B %Y", chrono::Locale::is_IS)
        .to_string()
}

/// Makes reseller `slug` with `admin` as its admin; returns its id.
pub async fn reseller(pool: &PgPool, slug: &str, name: &str, admin: Uuid) -> i64 {
    let id: i64 =
        sqlx::query_scalar("INSERT INTO resellers (slug, name) VALUES ($1, $2) RETURNING id")
            .bind(slug)
            .bind(name)
            .fetch_one(pool)
            .await
            .expect("reseller");
    sqlx::query("INSERT INTO reseller_admins (reseller_id, user_id) VALUES ($1, $2)")
        .bind(id)
        .bind(admin)
        .execute(pool)
        .await
        .expect("reseller admin");
    id
}
