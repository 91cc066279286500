//! The monthly usage statement at `/reseller/statement.csv?month=YYYY-MM`
//! (last month unless asked), to bill companies from: one row per company of
//! this reseller — slug, name, status, active members (today: membership
//! keeps no history), sessions that month
//! (confirmed hub bookings whose appointment started in it) and credits used
//! that month (debits minus refunds), months counted in each hub's timezone
//! as its HR report counts them. Every figure about people reads "fewer than
//! 5" about a smaller group, and no person is named.

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Utc;
use hearth_tenants::{Tenant, TenantId, TenantStatus, TenantTx};
use serde::Deserialize;

use crate::i18n::t;
use crate::web::csv::{month_of, Sheet};
use crate::web::error::AppError;
use crate::web::extract::ResellerAdmin;
use crate::web::form::FieldMsgs;
use crate::web::privacy::figure;
use crate::web::state::AppState;

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
    let month = month_of(
        query.month.as_deref(),
        Utc::now().date_naive(),
        "reseller-error-month",
    )
    .map_err(|m| AppError::Validation(FieldMsgs::from([("month", m)])))?;
    let rows = {
        let mut conn = state.pool.acquire().await?;
        companies(&mut conn, admin.reseller.id).await?
    };
    let mut sheet = Sheet::default();
    sheet.row(
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
        sheet.row(&[
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
    Ok(sheet.download(&format!("{}-statement-{label}.csv", admin.reseller.slug)))
}
