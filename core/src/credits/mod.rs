//! Hub credits: the hub's policy and its benefit periods, the append-only
//! ledger and each member's balance, and claiming credits by joining the hub
//! (`claim`); the HR admin's credit settings and top-ups (`admin`).
//!
//! Every change of a balance is an `UPDATE` of the member's row in
//! `credit_balances` (taken `FOR UPDATE` first, which serialises concurrent
//! bookings of one member) and a ledger entry carrying the balance after it,
//! in the caller's hub transaction. The row's `CHECK (balance >= 0)` is the
//! last line: no interleaving can spend credits twice.
//!
//! Periods roll lazily: the first time a member's account is used in a new
//! period, unused credits expire (unless the hub rolls them over) and the
//! period's grant is posted, once (a unique index on grants per period).

pub mod admin;
pub mod claim;
pub mod rollup;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use hearth_plugins::abi;
use hearth_tenants::changes::{announce, Change};
use hearth_tenants::{Tenant, TenantTx};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::web::state::AppState;

/// A hub's declarative credit policy (`hub_settings`).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CreditPolicy {
    /// Credits each employee is granted per period.
    pub credits_per_period: i32,
    /// Length of a period: 1, 3, 6 or 12 months.
    pub period_months: i32,
    /// The first day of one period; the others follow every `period_months`.
    pub period_anchor: NaiveDate,
    /// Whether unused credits carry into the next period.
    pub rollover: bool,
    /// Cancelling later than this many hours before a session forfeits its credits.
    pub cancellation_cutoff_hours: i32,
    /// The hub's IANA timezone, for period boundaries.
    pub timezone: String,
    /// Whether a member without enough credits may pay the professional's
    /// price instead (by card, billed by the professional).
    pub members_may_pay: bool,
}

/// One benefit period: `[start, end)` in the hub's local dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// Its first day.
    pub start: NaiveDate,
    /// The first day after it.
    pub end: NaiveDate,
}

impl CreditPolicy {
    /// Makes this the hub's credit policy (the caller checked the values).
    pub async fn save(&self, tx: &mut TenantTx) -> sqlx::Result<()> {
        sqlx::query!(
            "UPDATE hub_settings SET credits_per_period = $1, period_months = $2, period_anchor = $3, \
               rollover = $4, cancellation_cutoff_hours = $5, timezone = $6, members_may_pay = $7, \
               updated_at = now()",
            self.credits_per_period,
            self.period_months,
            self.period_anchor,
            self.rollover,
            self.cancellation_cutoff_hours,
            &self.timezone,
            self.members_may_pay,
        )
        .execute(&mut **tx)
        .await?;
        let hub = tx.tenant_id();
        announce(tx, Change::HubPage(hub)).await
    }

    /// The hub's policy, on `conn` (a hub transaction).
    pub async fn load(conn: &mut PgConnection) -> sqlx::Result<Self> {
        sqlx::query_as!(
            Self,
            "SELECT credits_per_period, period_months, period_anchor, rollover, \
                    cancellation_cutoff_hours, timezone, members_may_pay FROM hub_settings",
        )
        .fetch_one(conn)
        .await
    }

    /// The hub's timezone (UTC when the stored name is unknown).
    pub fn tz(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// The period holding instant `at`.
    pub fn period_at(&self, at: DateTime<Utc>) -> Period {
        period_containing(
            self.period_anchor,
            self.period_months,
            at.with_timezone(&self.tz()).date_naive(),
        )
    }
}

/// The period of `months` months, counted from `anchor`, that holds `day`.
pub fn period_containing(anchor: NaiveDate, months: i32, day: NaiveDate) -> Period {
    let months = months.clamp(1, 12);
    let index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let since = index(day) - index(anchor);
    let k = since.div_euclid(months);
    let shift = |base: NaiveDate, by: i32| {
        if by >= 0 {
            base.checked_add_months(Months::new(by.unsigned_abs()))
        } else {
            base.checked_sub_months(Months::new(by.unsigned_abs()))
        }
        .unwrap_or(base)
    };
    let start = shift(anchor, k * months);
    Period {
        start,
        end: shift(start, months),
    }
}

impl Period {
    /// The period as plugins see it.
    pub fn abi(&self) -> abi::Period {
        let months = (self.end.year() * 12 + self.end.month0() as i32)
            - (self.start.year() * 12 + self.start.month0() as i32);
        let label = match months {
            12 if self.start.month() == 1 => self.start.format("%Y").to_string(),
            3 if self.start.month0().is_multiple_of(3) => {
                format!("{}-Q{}", self.start.year(), self.start.month0() / 3 + 1)
            }
            1 => self.start.format("%Y-%m").to_string(),
            _ => format!(
                "{}/{}",
                self.start.format("%Y-%m"),
                self.end.pred_opt().unwrap_or(self.end).format("%Y-%m")
            ),
        };
        abi::Period {
            start: self.start.format("%Y-%m-%d").to_string(),
            end: self.end.format("%Y-%m-%d").to_string(),
            label,
        }
    }
}

/// What can go wrong with a member's credits.
#[derive(Debug, thiserror::Error)]
pub enum CreditError {
    /// The user is not an active member of the hub.
    #[error("not a member of this hub")]
    NotMember,
    /// The balance does not cover the amount.
    #[error("not enough credits: {balance} left, {needed} needed")]
    Insufficient {
        /// Credits left.
        balance: i32,
        /// Credits needed.
        needed: i32,
    },
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The kinds of ledger entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The period's grant.
    Grant,
    /// A booking.
    Debit,
    /// A booking cancelled in time (or waived by the professional).
    Refund,
    /// A late cancellation: the debit stands (amount 0, for the record).
    Forfeit,
    /// An HR admin's top-up.
    TopUp,
    /// Unused credits at the end of a period without rollover.
    Expiry,
}

impl Entry {
    /// The kind as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Entry::Grant => "grant",
            Entry::Debit => "debit",
            Entry::Refund => "refund",
            Entry::Forfeit => "forfeit",
            Entry::TopUp => "top_up",
            Entry::Expiry => "expiry",
        }
    }
}

/// One ledger entry to post.
#[derive(Debug, Clone)]
pub struct Posting<'a> {
    /// The member.
    pub user_id: Uuid,
    /// What it is.
    pub kind: Entry,
    /// Signed: credits added (positive) or taken (negative).
    pub amount: i32,
    /// The period it belongs to.
    pub period_start: NaiveDate,
    /// The appointment it is for, if any.
    pub appointment_id: Option<Uuid>,
    /// Who caused it (the member, a professional, an HR admin).
    pub actor_id: Option<Uuid>,
    /// A note for the HR admin's view (never health data).
    pub note: &'a str,
}

/// Posts `p`: changes the member's balance and appends the ledger entry, on
/// `conn` (the caller's hub transaction, holding the balance row). Returns
/// the ledger id and the balance after.
pub async fn post(conn: &mut PgConnection, p: &Posting<'_>) -> Result<(i64, i32), CreditError> {
    // Balance, ledger entry and the HR report's roll-up in one statement (one
    // round trip: this is on the booking path). The balance never goes below
    // zero: no row comes back then, and the reads below say why.
    let counted = crate::credits::rollup::LedgerCounts::of(p.kind.as_str(), p.amount);
    let entry = sqlx::query!(
        r#"WITH b AS (
             UPDATE credit_balances SET balance = balance + $2, updated_at = now()
             WHERE user_id = $1 AND balance + $2 >= 0 RETURNING balance),
           l AS (
             INSERT INTO credit_ledger (user_id, kind, amount, balance_after, period_start, appointment_id, actor_id, note)
             SELECT $1, $3, $2, b.balance, $4, $5, $6, $7 FROM b RETURNING id, at, balance_after),
           z AS (SELECT zone FROM report_rollup_state WHERE $8 FOR SHARE),
           r AS (
             INSERT INTO report_rollup (user_id, month, granted, grants, used, uses)
             SELECT $1, date_trunc('month', l.at AT TIME ZONE z.zone)::date, $9, $10, $11, $12 FROM l, z
             ON CONFLICT (user_id, month) DO UPDATE SET
               granted = report_rollup.granted + excluded.granted,
               grants = report_rollup.grants + excluded.grants,
               used = report_rollup.used + excluded.used,
               uses = report_rollup.uses + excluded.uses)
           SELECT id, balance_after FROM l"#,
        p.user_id,
        p.amount,
        p.kind.as_str(),
        p.period_start,
        p.appointment_id,
        p.actor_id,
        p.note,
        counted.is_some(),
        counted.map_or(0, |c| c.granted),
        counted.map_or(0, |c| c.grants),
        counted.map_or(0, |c| c.used),
        counted.map_or(0, |c| c.uses),
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(entry) = entry {
        return Ok((entry.id, entry.balance_after));
    }
    let balance: Option<i32> = sqlx::query_scalar!(
        "SELECT balance FROM credit_balances WHERE user_id = $1",
        p.user_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    match balance {
        None => Err(CreditError::NotMember),
        Some(balance) => Err(CreditError::Insufficient {
            balance,
            needed: -p.amount,
        }),
    }
}

/// A member's account in the current period.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    /// Credits left.
    pub balance: i32,
    /// The current period.
    pub period: Period,
}

/// The opaque id a plugin sees for a member: stable within the hub, useless outside it.
pub fn opaque_member_id(tenant: &Tenant, user_id: Uuid) -> String {
    let mut hash = Sha256::new();
    hash.update(tenant.id.0.to_be_bytes());
    hash.update(user_id.as_bytes());
    hash.finalize()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Posts this period's grant to every active member of `tenant` who has not
/// had it yet (a member's first visit posts it too), so that what an HR admin
/// reads agrees with what members see. Each member in a transaction of its
/// own; returns how many were granted. Cheap once done: one query.
pub async fn grant_due(state: &AppState, tenant: &Tenant) -> Result<usize, CreditError> {
    // The grant may ask the hub's plugins: load them before the transaction
    // holds a pooled connection.
    let _ = state.plugins.active(tenant).await;
    let now = Utc::now();
    let mut tx = hearth_tenants::TenantTx::begin(&state.pool, tenant).await?;
    let period = CreditPolicy::load(&mut tx).await?.period_at(now);
    let due: Vec<Uuid> = sqlx::query_scalar!(
        "SELECT m.user_id FROM members m WHERE m.status = 'active' AND NOT EXISTS \
           (SELECT 1 FROM credit_ledger l WHERE l.user_id = m.user_id AND l.period_start = $1 AND l.kind = 'grant') \
         ORDER BY m.user_id",
        period.start,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut granted = 0;
    for user in due {
        let mut tx = hearth_tenants::TenantTx::begin(&state.pool, tenant).await?;
        match open_account(state, tenant, &mut tx, user, now).await {
            Ok(_) => granted += 1,
            // Left the hub meanwhile.
            Err(CreditError::NotMember) => {}
            Err(e) => return Err(e),
        }
        tx.commit().await?;
    }
    Ok(granted)
}

/// Locks the member's balance row for the rest of the caller's transaction,
/// rolling it into the current period first (expiring unused credits unless
/// the hub rolls them over, then granting the period's credits once, as the
/// hub's `period_grant` plugin or its policy says).
///
/// Call `state.plugins.active(tenant)` before opening the transaction: the
/// plugin lookup then hits the cache and needs no second connection while
/// this one holds the lock.
pub async fn open_account(
    state: &AppState,
    tenant: &Tenant,
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Account, CreditError> {
    // The common case in one round trip: a member whose balance is already
    // in the current period, with its grant posted. Locks the balance row.
    let held = sqlx::query!(
        r#"SELECT b.balance, b.period_start, s.credits_per_period, s.period_months, s.period_anchor,
                  s.rollover, s.cancellation_cutoff_hours, s.timezone, s.members_may_pay,
                  EXISTS (SELECT 1 FROM credit_ledger l
                          WHERE l.user_id = $1 AND l.period_start = b.period_start AND l.kind = 'grant') AS "granted!"
           FROM members m JOIN credit_balances b ON b.user_id = m.user_id CROSS JOIN hub_settings s
           WHERE m.user_id = $1 AND m.status = 'active'
           FOR UPDATE OF b"#,
        user_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = held {
        let policy = CreditPolicy {
            credits_per_period: row.credits_per_period,
            period_months: row.period_months,
            period_anchor: row.period_anchor,
            rollover: row.rollover,
            cancellation_cutoff_hours: row.cancellation_cutoff_hours,
            timezone: row.timezone,
            members_may_pay: row.members_may_pay,
        };
        let period = policy.period_at(now);
        if row.granted && row.period_start == period.start {
            return Ok(Account {
                balance: row.balance,
                period,
            });
        }
    }
    // Otherwise open it: a first booking, a new period, a grant to post.
    let member: Option<(String, NaiveDate)> = sqlx::query!(
        r#"SELECT role, joined_at::date AS "joined_on!" FROM members WHERE user_id = $1 AND status = 'active'"#,
        user_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.role, r.joined_on));
    let Some((role, joined_on)) = member else {
        return Err(CreditError::NotMember);
    };
    let policy = CreditPolicy::load(&mut *conn).await?;
    let period = policy.period_at(now);
    sqlx::query!(
        "INSERT INTO credit_balances (user_id, balance, period_start) VALUES ($1, 0, $2) \
         ON CONFLICT (user_id) DO NOTHING",
        user_id,
        period.start,
    )
    .execute(&mut *conn)
    .await?;
    let (mut balance, held_since): (i32, NaiveDate) = sqlx::query!(
        "SELECT balance, period_start FROM credit_balances WHERE user_id = $1 FOR UPDATE",
        user_id,
    )
    .fetch_one(&mut *conn)
    .await
    .map(|r| (r.balance, r.period_start))?;
    if held_since < period.start {
        if !policy.rollover && balance > 0 {
            balance = post(
                conn,
                &Posting {
                    user_id,
                    kind: Entry::Expiry,
                    amount: -balance,
                    period_start: held_since,
                    appointment_id: None,
                    actor_id: None,
                    note: "Unused credits expired at the end of the period",
                },
            )
            .await?
            .1;
        }
        sqlx::query!(
            "UPDATE credit_balances SET period_start = $2 WHERE user_id = $1",
            user_id,
            period.start,
        )
        .execute(&mut *conn)
        .await?;
    }
    let granted: bool = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM credit_ledger WHERE user_id = $1 AND period_start = $2 AND kind = 'grant') AS "granted!""#,
        user_id,
        period.start,
    )
    .fetch_one(&mut *conn)
    .await?;
    if !granted {
        let policy_credits = u32::try_from(policy.credits_per_period).unwrap_or(0);
        let input = abi::PeriodGrantInput {
            member: abi::Member {
                id: opaque_member_id(tenant, user_id),
                role,
                joined_on: joined_on.format("%Y-%m-%d").to_string(),
                groups: Default::default(),
            },
            period: period.abi(),
            policy_credits,
        };
        let decision = crate::plugin_host::period_grant(&state.plugins, tenant, input, || {
            abi::PeriodGrant::credits(policy_credits)
        })
        .await;
        let abi::PeriodGrant::Grant { credits } = decision.value;
        balance = post(
            conn,
            &Posting {
                user_id,
                kind: Entry::Grant,
                amount: i32::try_from(credits.min(10_000)).unwrap_or(0),
                period_start: period.start,
                appointment_id: None,
                actor_id: None,
                note: "",
            },
        )
        .await?
        .1;
    }
    Ok(Account { balance, period })
}

/// The member's balance and period without changing anything (for pages);
/// `None` for a non-member.
pub async fn peek(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<(CreditPolicy, Account)>> {
    let member: bool = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM members WHERE user_id = $1 AND status = 'active') AS "member!""#,
        user_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    if !member {
        return Ok(None);
    }
    let policy = CreditPolicy::load(&mut *conn).await?;
    let period = policy.period_at(now);
    let row: Option<(i32, NaiveDate)> = sqlx::query!(
        "SELECT balance, period_start FROM credit_balances WHERE user_id = $1",
        user_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.balance, r.period_start));
    // Not yet rolled into this period: show what opening it will give.
    let balance = match row {
        Some((b, since)) if since >= period.start => b,
        Some((b, _)) if policy.rollover => b + policy.credits_per_period,
        _ => policy.credits_per_period,
    };
    Ok(Some((policy, Account { balance, period })))
}

/// The member's bookings in `period` that still stand, for plugins, in the hub's timezone.
pub async fn history(
    conn: &mut PgConnection,
    user_id: Uuid,
    period: Period,
    granted: u32,
    tz: chrono_tz::Tz,
    moving: Option<Uuid>,
) -> sqlx::Result<abi::MemberHistory> {
    // The appointment being moved (if any) is the booking asked about, not
    // part of its history.
    let rows: Vec<(Option<Uuid>, String, DateTime<Utc>, i32)> = sqlx::query!(
        "SELECT a.service_id, a.session_type, a.starts_at, b.credits \
         FROM hub_bookings b JOIN public.appointments a ON a.id = b.appointment_id \
         WHERE b.user_id = $1 AND b.period_start = $2 AND a.status = 'confirmed' \
           AND a.id IS DISTINCT FROM $3 \
         ORDER BY a.starts_at",
        user_id,
        period.start,
        moving,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.service_id, r.session_type, r.starts_at, r.credits))
    .collect();
    let spent: i64 = sqlx::query_scalar!(
        r#"SELECT coalesce(-sum(amount), 0)::bigint AS "spent!" FROM credit_ledger
         WHERE user_id = $1 AND period_start = $2 AND kind = 'debit'"#,
        user_id,
        period.start,
    )
    .fetch_one(&mut *conn)
    .await?;
    let refunded: i64 = sqlx::query_scalar!(
        r#"SELECT coalesce(sum(amount), 0)::bigint AS "refunded!" FROM credit_ledger
         WHERE user_id = $1 AND period_start = $2 AND kind = 'refund'"#,
        user_id,
        period.start,
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(abi::MemberHistory {
        period: period.abi(),
        bookings: rows
            .into_iter()
            .map(
                |(service, session_type, starts_at, credits)| abi::PastBooking {
                    service_id: service.map(|s| s.to_string()).unwrap_or_default(),
                    session_type,
                    starts_at: starts_at.with_timezone(&tz).to_rfc3339(),
                    credits: u32::try_from(credits).unwrap_or(0),
                },
            )
            .collect(),
        credits_granted: granted,
        credits_spent: u32::try_from((spent - refunded).max(0)).unwrap_or(0),
    })
}

/// A hub's credits in one benefit period, with how many people each figure
/// is about (for [`crate::web::privacy::figure`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PeriodTotals {
    /// Credits granted (grants and top-ups).
    pub granted: i64,
    /// Members granted any.
    pub granted_people: i64,
    /// Credits spent on sessions, net of refunds.
    pub used: i64,
    /// Members who spent any.
    pub used_people: i64,
}

/// The hub's credits granted and used in the period holding now, on `conn`
/// (a hub transaction).
pub async fn period_totals(conn: &mut PgConnection) -> sqlx::Result<PeriodTotals> {
    let period = CreditPolicy::load(&mut *conn).await?.period_at(Utc::now());
    let row = sqlx::query!(
        r#"SELECT coalesce(sum(amount) FILTER (WHERE kind IN ('grant', 'top_up')), 0)::bigint AS "granted!",
                  count(DISTINCT user_id) FILTER (WHERE kind IN ('grant', 'top_up')) AS "granted_people!",
                  coalesce(-sum(amount) FILTER (WHERE kind IN ('debit', 'refund')), 0)::bigint AS "used!",
                  count(DISTINCT user_id) FILTER (WHERE kind = 'debit') AS "used_people!"
           FROM credit_ledger WHERE period_start = $1"#,
        period.start,
    )
    .fetch_one(conn)
    .await?;
    Ok(PeriodTotals {
        granted: row.granted,
        granted_people: row.granted_people,
        used: row.used,
        used_people: row.used_people,
    })
}

/// A hub's use of the platform in one calendar month, with how many people
/// each figure is about (for [`crate::web::privacy::figure`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthUsage {
    /// Confirmed hub bookings whose appointment started in the month.
    pub sessions: i64,
    /// Members with such a booking.
    pub session_people: i64,
    /// Credits spent that month: debits minus refunds.
    pub used: i64,
    /// Members with a debit or refund that month.
    pub used_people: i64,
}

/// The hub's usage in the month starting on `month` (its first day), in the
/// hub's timezone as its HR report counts months; on `conn` (a hub
/// transaction).
pub async fn month_usage(conn: &mut PgConnection, month: NaiveDate) -> sqlx::Result<MonthUsage> {
    let zone = CreditPolicy::load(&mut *conn).await?.timezone;
    let until = month.checked_add_months(Months::new(1)).unwrap_or(month);
    let row = sqlx::query!(
        r#"WITH s AS (
             SELECT count(*) AS sessions, count(DISTINCT hb.user_id) AS people
             FROM hub_bookings hb JOIN public.appointments a ON a.id = hb.appointment_id
             WHERE a.status = 'confirmed'
               AND a.starts_at >= ($1::date::timestamp AT TIME ZONE $3)
               AND a.starts_at < ($2::date::timestamp AT TIME ZONE $3)),
           l AS (
             SELECT coalesce(-sum(amount), 0)::bigint AS used, count(DISTINCT user_id) AS people
             FROM credit_ledger
             WHERE kind IN ('debit', 'refund')
               AND at >= ($1::date::timestamp AT TIME ZONE $3)
               AND at < ($2::date::timestamp AT TIME ZONE $3))
           SELECT s.sessions AS "sessions!", s.people AS "session_people!",
                  l.used AS "used!", l.people AS "used_people!"
           FROM s CROSS JOIN l"#,
        month,
        until,
        zone,
    )
    .fetch_one(conn)
    .await?;
    Ok(MonthUsage {
        sessions: row.sessions,
        session_people: row.session_people,
        used: row.used,
        used_people: row.used_people,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_yearly_period_from_january_holds_every_day_of_its_year() {
        let p = period_containing(day(2026, 1, 1), 12, day(2026, 11, 21));
        assert_eq!((p.start, p.end), (day(2026, 1, 1), day(2027, 1, 1)));
        assert_eq!(p.abi().label, "2026");
        let p = period_containing(day(2026, 1, 1), 12, day(2025, 12, 31));
        assert_eq!((p.start, p.end), (day(2025, 1, 1), day(2026, 1, 1)));
    }

    #[test]
    fn quarters_and_months_count_from_the_anchor_in_both_directions() {
        let p = period_containing(day(2026, 1, 1), 3, day(2026, 5, 15));
        assert_eq!((p.start, p.end), (day(2026, 4, 1), day(2026, 7, 1)));
        assert_eq!(p.abi().label, "2026-Q2");
        let p = period_containing(day(2026, 2, 1), 3, day(2026, 1, 31));
        assert_eq!((p.start, p.end), (day(2025, 11, 1), day(2026, 2, 1)));
        let p = period_containing(day(2026, 1, 1), 1, day(2024, 2, 29));
        assert_eq!((p.start, p.end), (day(2024, 2, 1), day(2024, 3, 1)));
        assert_eq!(p.abi().label, "2024-02");
    }

    #[test]
    fn a_fiscal_year_from_april_is_labelled_by_its_months() {
        let p = period_containing(day(2026, 4, 1), 12, day(2026, 3, 31));
        assert_eq!((p.start, p.end), (day(2025, 4, 1), day(2026, 4, 1)));
        assert_eq!(p.abi().label, "2025-04/2026-03");
    }

    #[test]
    fn the_period_follows_the_hubs_timezone_not_utc() {
        let policy = CreditPolicy {
            credits_per_period: 5,
            period_months: 1,
            period_anchor: day(2026, 1, 1),
            rollover: false,
            cancellation_cutoff_hours: 24,
            timezone: "Pacific/Auckland".into(),
            members_may_pay: false,
        };
        // 2026-03-31 20:00 UTC is already April 1st in Auckland.
        let at = DateTime::parse_from_rfc3339("2026-03-31T20:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(policy.period_at(at).start, day(2026, 4, 1));
    }
}
