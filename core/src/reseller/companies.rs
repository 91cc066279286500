//! A reseller's companies at `/reseller`: their hubs only, searched by part
//! of a name or slug and paged, each with its status and figures (members,
//! sessions this month, credits granted and used this benefit period) that
//! read "fewer than 5" about a smaller group; and
//! **Suspend** / **Resume** for their own hubs (written in the hub's audit
//! log with the reseller admin as actor). Nothing here names a person.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use futures::{StreamExt, TryStreamExt};
use hearth_tenants::registry;
use hearth_tenants::{Tenant, TenantId, TenantStatus, TenantTx};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use super::{link, render};
use crate::credits::PeriodTotals;
use crate::i18n::Msg;
use crate::web::error::AppError;
use crate::web::extract::ResellerAdmin;
use crate::web::form::{notice, Done};
use crate::web::paging::{Pager, PAGE_SIZE};
use crate::web::privacy::figure;
use crate::web::state::AppState;

/// The `?done=` flags of the list and their notices.
const NOTICES: &[(&str, &str)] = &[
    ("onboarded", "reseller-done-onboarded"),
    ("suspended", "reseller-done-suspended"),
    ("resumed", "reseller-done-resumed"),
    ("already", "reseller-done-already"),
    ("template-saved", "reseller-done-template-saved"),
    ("template-taken", "reseller-done-template-taken"),
    ("template-name", "reseller-done-template-name"),
];

/// The longest search taken, in characters.
const MAX_SEARCH: usize = 100;

/// Hub transactions a page of the list runs at once (each a pooled
/// connection): a page waits on round trips far more than on work.
const HUBS_AT_ONCE: usize = 4;

/// What the list is asked for.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// Part of a name or slug.
    q: Option<String>,
    /// The page, from 1.
    page: Option<String>,
    /// What was just done.
    done: Option<String>,
}

/// A company as read from the registry: no person in it, only counts.
#[derive(Debug)]
struct Row {
    id: TenantId,
    slug: String,
    name: String,
    status: TenantStatus,
    plan: String,
    ready: bool,
    members: i64,
    sessions: i64,
    session_people: i64,
}

/// A company as the list shows it: every figure about people already passed
/// through [`figure`].
#[derive(Debug, Serialize)]
struct CompanyView {
    slug: String,
    name: String,
    status: TenantStatus,
    plan: String,
    ready: bool,
    members: String,
    sessions: String,
    /// Credits granted and used this benefit period (`None`: not set up yet).
    granted: Option<String>,
    used: Option<String>,
}

/// The page asked for, and its offset (see [`crate::web::paging`]).
fn page_offset(page: Option<&str>) -> Result<(i64, i64), AppError> {
    crate::web::paging::page_offset(page, "reseller-error-page")
}

/// The search typed, trimmed: `None` when empty; refused when too long.
fn search_of(q: Option<&str>) -> Result<Option<String>, Msg> {
    let q = q.map(str::trim).unwrap_or_default();
    if q.chars().count() > MAX_SEARCH {
        return Err(Msg::new("reseller-error-search").arg("max", MAX_SEARCH as i64));
    }
    Ok((!q.is_empty()).then(|| q.to_owned()))
}

/// `text` with `LIKE`'s wildcards escaped, to match itself.
fn like_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One page of `reseller`'s hubs by name, and how many match in all.
async fn companies(
    conn: &mut sqlx::PgConnection,
    reseller: i64,
    search: Option<&str>,
    offset: i64,
) -> sqlx::Result<(Vec<Row>, i64)> {
    let pattern = search.map(|s| format!("%{}%", like_escaped(s)));
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM tenants t
           WHERE t.reseller_id = $1 AND ($2::text IS NULL OR t.name ILIKE $2 OR t.slug ILIKE $2)"#,
        reseller,
        pattern,
    )
    .fetch_one(&mut *conn)
    .await?;
    // Sessions are this calendar month's confirmed appointments paid by the
    // hub (UTC), and the people they are about are their distinct clients:
    // this month's appointments are read once for the whole page, not once a
    // hub (50 times as many rows read).
    let rows = sqlx::query_as!(
        Row,
        r#"WITH p AS MATERIALIZED (
                 SELECT t.id, t.slug, t.name, t.status, t.plan, t.schema_version > 0 AS ready
                 FROM tenants t
                 WHERE t.reseller_id = $1 AND ($2::text IS NULL OR t.name ILIKE $2 OR t.slug ILIKE $2)
                 ORDER BY t.name, t.id LIMIT $3 OFFSET $4),
           s AS (
                 SELECT a.tenant_id, count(*) AS sessions, count(DISTINCT a.client_id) AS people
                 FROM appointments a
                 WHERE a.tenant_id IN (SELECT id FROM p) AND a.status = 'confirmed'
                   AND a.starts_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                   AND a.starts_at < (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC'
                 GROUP BY a.tenant_id)
           SELECT p.id AS "id!: TenantId", p.slug AS "slug!", p.name AS "name!",
                  p.status AS "status!: TenantStatus", p.plan AS "plan!",
                  p.ready AS "ready!",
                  (SELECT count(*) FROM member_directory m
                    WHERE m.tenant_id = p.id AND m.status = 'active') AS "members!",
                  coalesce(s.sessions, 0) AS "sessions!", coalesce(s.people, 0) AS "session_people!"
           FROM p LEFT JOIN s ON s.tenant_id = p.id
           ORDER BY p.name, p.id"#,
        reseller,
        pattern,
        PAGE_SIZE,
        offset,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok((rows, total))
}

/// The credits granted and used this period in hub `tenant` (`None` while
/// its schema is not made yet), read in a hub transaction of its own.
async fn hub_totals(pool: PgPool, tenant: Option<Tenant>) -> sqlx::Result<Option<PeriodTotals>> {
    let Some(tenant) = tenant else {
        return Ok(None);
    };
    let mut tx = TenantTx::begin(&pool, &tenant).await?;
    let totals = crate::credits::period_totals(&mut tx).await?;
    tx.commit().await?;
    Ok(Some(totals))
}

/// GET /reseller
pub async fn page(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let lang = admin.viewer.language;
    let (page, offset) = page_offset(query.page.as_deref())?;
    let notice = notice(
        &Done {
            done: query.done.clone(),
        },
        NOTICES,
        lang,
    );
    let typed = query.q.clone().unwrap_or_default();
    let (search, error, status) = match search_of(query.q.as_deref()) {
        Ok(search) => (search, None, StatusCode::OK),
        Err(message) => (
            None,
            Some(message.text(lang)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let (rows, total) = if error.is_some() {
        (Vec::new(), 0)
    } else {
        let mut conn = state.pool.acquire().await?;
        companies(&mut conn, admin.reseller.id, search.as_deref(), offset).await?
    };
    // One short hub transaction a listed hub (at most a page of them): the
    // ledger lives in each hub's schema. A few at once, in the list's order.
    let hubs: Vec<Option<Tenant>> = rows
        .iter()
        .map(|r| {
            r.ready.then(|| Tenant {
                id: r.id,
                slug: r.slug.clone(),
                name: r.name.clone(),
                status: r.status,
                reseller_id: Some(admin.reseller.id),
            })
        })
        .collect();
    let credits: Vec<Option<PeriodTotals>> = futures::stream::iter(hubs)
        .map(|hub| hub_totals(state.pool.clone(), hub))
        .buffered(HUBS_AT_ONCE)
        .try_collect()
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for (r, credits) in rows.into_iter().zip(credits) {
        views.push(CompanyView {
            members: figure(r.members, r.members, lang),
            sessions: figure(r.sessions, r.session_people, lang),
            granted: credits.map(|c| figure(c.granted, c.granted_people, lang)),
            used: credits.map(|c| figure(c.used, c.used_people, lang)),
            slug: r.slug,
            name: r.name,
            status: r.status,
            plan: r.plan,
            ready: r.ready,
        });
    }
    let rows = views;
    let kept = search.clone().unwrap_or_default();
    // The reseller stays in the links for an admin of several.
    let reseller = if admin.resellers.len() > 1 {
        admin.reseller.slug.clone()
    } else {
        String::new()
    };
    let pager = Pager::new("/reseller", &[("r", &reseller), ("q", &kept)], page, total);
    let new_link = link(&admin, "/reseller/companies/new", &[]);
    let (this_month, last_month) =
        crate::web::csv::this_and_last_month(chrono::Utc::now().date_naive());
    render(
        &state,
        &admin,
        "companies",
        "reseller_home.html",
        status,
        |p| {
            p.with("companies", &rows)
                .with("total", &total)
                .with("q", &typed)
                .with("searching", &search.is_some())
                .with("error", &error)
                .with("notice", &notice)
                .with("pager", &pager)
                .with("max_search", &MAX_SEARCH)
                .with("new_link", &new_link)
                .with("statement_month", &last_month.format("%Y-%m").to_string())
                .with("statement_max", &this_month.format("%Y-%m").to_string())
                .with("no_errors", &crate::web::form::FieldErrors::new())
        },
    )
    .await
}

/// Where a suspend or resume form came from (the list's search and page).
pub use crate::web::paging::ListPlace as Back;

/// POST /reseller/companies/{slug}/suspend: the hub's pages say it is
/// suspended and show nothing of it.
pub async fn suspend(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Path(slug): Path<String>,
    Form(back): Form<Back>,
) -> Result<Response, AppError> {
    set_status(&state, &admin, &slug, TenantStatus::Suspended, &back).await
}

/// POST /reseller/companies/{slug}/resume: the hub serves again.
pub async fn resume(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Path(slug): Path<String>,
    Form(back): Form<Back>,
) -> Result<Response, AppError> {
    set_status(&state, &admin, &slug, TenantStatus::Active, &back).await
}

/// Sets the status of hub `slug`, if it is this reseller's (a 404
/// otherwise, the same as no such hub), and writes it in its audit log.
async fn set_status(
    state: &AppState,
    admin: &ResellerAdmin,
    slug: &str,
    status: TenantStatus,
    back: &Back,
) -> Result<Response, AppError> {
    let tenant = super::own_hub(state, admin, slug).await?;
    {
        let mut conn = state.pool.acquire().await?;
        if !registry::is_ready(&mut conn, tenant.id).await? {
            return Err(AppError::Conflict(Msg::new("reseller-error-not-ready")));
        }
    }
    let flag = crate::hub_admin::status::set(
        &state.pool,
        &tenant,
        status,
        admin.user.id,
        Some(admin.reseller.id),
        serde_json::json!({ "reseller": admin.reseller.slug }),
    )
    .await?
    .flag();
    let q = search_of(back.q.as_deref())
        .ok()
        .flatten()
        .unwrap_or_default();
    let page = page_offset(back.page.as_deref())
        .map(|(page, _)| page)
        .unwrap_or(1)
        .to_string();
    let to = link(
        admin,
        "/reseller",
        &[
            ("done", flag),
            ("q", &q),
            ("page", if page == "1" { "" } else { &page }),
        ],
    );
    Ok(crate::web::form::to(&crate::web::site::Site::Platform, &to))
}

#[cfg(test)]
mod tests {
    use super::{like_escaped, page_offset, search_of};

    #[test]
    fn searches_and_pages_are_checked_at_the_edge() {
        assert_eq!(search_of(Some("  ")).ok(), Some(None));
        assert!(search_of(Some(&"x".repeat(101))).is_err());
        assert_eq!(like_escaped("5%_a"), "5\\%\\_a");
        assert_eq!(page_offset(Some("2")).ok(), Some((2, 50)));
        assert!(page_offset(Some("0")).is_err());
    }
}
