//! The booking transaction: a slot hold while the client confirms, and the
//! confirmation itself, which writes the appointment (public) and, for a hub,
//! the credit debit (hub schema) in one transaction (ARCHITECTURE rule 4).
//!
//! Double-booking is impossible by construction: the exclusion constraint
//! `appointments_no_overlap` refuses a second confirmed appointment whose
//! `[starts_at, blocked_until)` overlaps another of the same professional, so
//! of two concurrent confirms the second fails cleanly. An idempotency key
//! per confirm form makes a double-click one booking.

use chrono::{DateTime, Duration, Utc};
use hearth_plugins::abi;
use hearth_tenants::{Tenant, TenantTx};
use sqlx::PgConnection;
use uuid::Uuid;

use super::data::{self, Professional, Service};
use super::notify::{tell, BookingEvent, Wake};
use super::slots;
use crate::credits::{self, CreditError, CreditPolicy, Entry, Posting};
use crate::i18n::Msg;
use crate::web::error::AppError;
use crate::web::state::AppState;

/// Minutes a chosen slot stays held for its client.
pub const HOLD_MINUTES: i64 = 10;
/// The grid free slots are offered on.
pub const STEP_MINUTES: i64 = 30;

/// Why a booking did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BookError {
    /// Someone else booked or holds (part of) this time.
    #[error("slot taken")]
    SlotTaken,
    /// The time is not (or no longer) within the professional's free hours.
    #[error("slot unavailable")]
    SlotUnavailable,
    /// The hub's rules, or the appointment's, refuse it; the reason is shown.
    #[error("refused: {0}")]
    Refused(Refusal),
    /// Not enough credits.
    #[error("not enough credits")]
    Insufficient {
        /// Credits left.
        balance: i32,
        /// Credits needed.
        needed: i32,
    },
    /// Not a member of the hub.
    #[error("not a member")]
    NotMember,
    /// This confirm was already made: here is its appointment.
    #[error("already booked")]
    AlreadyBooked(Uuid),
    /// Anything else.
    #[error(transparent)]
    App(#[from] AppError),
}

/// Why a booking or a change was refused, as the person is told.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// A hub plugin's reason, shown as the plugin wrote it.
    Plugin(String),
    /// One of Hearth's own rules, in the viewer's language when shown.
    Rule(Msg),
}

impl Refusal {
    /// The reason in `lang` (a plugin's in its own words).
    pub fn text(&self, lang: &str) -> String {
        match self {
            Self::Plugin(reason) => reason.clone(),
            Self::Rule(message) => message.text(lang),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Plugin(reason) => write!(f, "plugin: {reason}"),
            Self::Rule(message) => write!(f, "{}", message.id),
        }
    }
}

impl From<BookError> for AppError {
    /// What a page says when a booking step fails and it has no form of its
    /// own to say it on: each refusal with its reason (not one 404 for all).
    fn from(e: BookError) -> Self {
        match e {
            BookError::SlotTaken => AppError::Conflict(Msg::new("book-error-taken")),
            BookError::SlotUnavailable => AppError::Conflict(Msg::new("book-error-unavailable")),
            BookError::Refused(Refusal::Rule(msg)) => AppError::Refused(msg),
            BookError::Refused(Refusal::Plugin(reason)) => {
                AppError::Refused(Msg::new("book-error-refused").arg("reason", reason))
            }
            BookError::Insufficient { balance, needed } => AppError::Refused(
                Msg::new("book-confirm-not-enough")
                    .arg("credits", needed)
                    .arg("balance", balance),
            ),
            BookError::NotMember => AppError::Refused(Msg::new("book-error-not-member")),
            BookError::AlreadyBooked(_) => AppError::Conflict(Msg::new("book-error-taken")),
            BookError::App(e) => e,
        }
    }
}

impl BookError {
    /// Refused by one of Hearth's own rules, told with `message`.
    pub fn rule(message: impl Into<Msg>) -> Self {
        Self::Refused(Refusal::Rule(message.into()))
    }
}

impl From<sqlx::Error> for BookError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if hearth_tenants::db::violates(db.as_ref(), "appointments_no_overlap")
                || hearth_tenants::db::violates(db.as_ref(), "slot_holds_no_overlap")
            {
                return BookError::SlotTaken;
            }
            // Belt and braces: should two writers of one calendar ever meet
            // without `lock_calendar`, PostgreSQL aborts one as a deadlock,
            // and the slot is the other's.
            if db.code().as_deref() == Some("40P01") {
                return BookError::SlotTaken;
            }
        }
        BookError::App(AppError::Database(e))
    }
}

impl From<CreditError> for BookError {
    fn from(e: CreditError) -> Self {
        match e {
            CreditError::NotMember => BookError::NotMember,
            CreditError::Insufficient { balance, needed } => {
                BookError::Insufficient { balance, needed }
            }
            CreditError::Database(e) => e.into(),
        }
    }
}

/// What a hub booking will cost, decided by the hub's plugins or policy.
#[derive(Debug, Clone)]
pub struct Price {
    /// Credits debited.
    pub credits: i32,
    /// Credits left before it.
    pub balance: i32,
}

/// A booking to confirm.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The hub paying in credits, if any.
    pub tenant: Option<&'a Tenant>,
    /// The client.
    pub client_id: Uuid,
    /// Who makes the booking (the client, or their professional).
    pub created_by: Uuid,
    /// The professional.
    pub professional: &'a Professional,
    /// The service.
    pub service: &'a Service,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// The confirm form's idempotency key.
    pub idempotency_key: Option<&'a str>,
    /// Price for a private client (the service's price when `None`).
    pub price_minor: Option<i64>,
    /// Check the professional's hours, notice and horizon (not when the
    /// professional books a client themselves).
    pub within_hours: bool,
    /// The member pays the professional's price instead of credits, if they
    /// have too few and the hub lets them (`CreditPolicy::members_may_pay`).
    pub pay_instead: bool,
}

/// Holds the slot at `start` for `client` (replacing their other holds):
/// `Err(SlotTaken)` when someone else holds or booked it.
pub async fn hold(
    state: &AppState,
    tenant: Option<&Tenant>,
    client: Uuid,
    pro: &Professional,
    service: &Service,
    start: DateTime<Utc>,
) -> Result<DateTime<Utc>, BookError> {
    let mut tx = state.pool.begin().await.map_err(AppError::from)?;
    lock_calendar(&mut tx, pro.id).await?;
    sqlx::query!(
        "DELETE FROM slot_holds WHERE (professional_id = $1 AND expires_at <= now()) OR client_id = $2",
        pro.id,
        client,
    )
    .execute(&mut *tx)
    .await?;
    check_free(&mut tx, pro, service, start, client, None).await?;
    let expires = Utc::now() + Duration::minutes(HOLD_MINUTES);
    sqlx::query!(
        "INSERT INTO slot_holds (id, professional_id, client_id, service_id, tenant_id, starts_at, blocked_until, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        Uuid::new_v4(),
        pro.id,
        client,
        service.id,
        tenant.map(|t| t.id.0),
        start,
        blocked_until(pro, service, start),
        expires,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await.map_err(AppError::from)?;
    Ok(expires)
}

/// When `client`'s hold of `pro`'s time at `start` ends, if they hold it.
pub async fn held_until(
    state: &AppState,
    client: Uuid,
    pro: Uuid,
    start: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT expires_at FROM slot_holds \
         WHERE client_id = $1 AND professional_id = $2 AND starts_at = $3 AND expires_at > now()",
        client,
        pro,
        start,
    )
    .fetch_optional(&state.pool)
    .await?)
}

fn blocked_until(pro: &Professional, service: &Service, start: DateTime<Utc>) -> DateTime<Utc> {
    start + Duration::minutes(i64::from(service.duration_minutes) + i64::from(pro.buffer_minutes))
}

/// `Ok` when `start` is a free slot of `pro` for `service`, leaving out the
/// holds of `client` and the appointment `except`.
pub async fn check_free(
    conn: &mut PgConnection,
    pro: &Professional,
    service: &Service,
    start: DateTime<Utc>,
    client: Uuid,
    except: Option<Uuid>,
) -> Result<(), BookError> {
    let end = blocked_until(pro, service, start);
    let (availability, busy) = data::calendar(conn, pro, start, end, Some(client), except).await?;
    let duration = i64::from(service.duration_minutes);
    if busy.iter().any(|b| b.start < end && start < b.end) {
        return Err(BookError::SlotTaken);
    }
    if !slots::is_free(
        &availability,
        duration,
        STEP_MINUTES,
        &busy,
        Utc::now(),
        start,
    ) {
        return Err(BookError::SlotUnavailable);
    }
    Ok(())
}

/// The booking as the hub's plugins see it.
pub fn abi_booking(
    pro: &Professional,
    service: &Service,
    start: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> abi::Booking {
    abi::Booking {
        service: abi::Service {
            id: service.id.to_string(),
            name: service.name.clone(),
            category: None,
        },
        duration_minutes: u32::try_from(service.duration_minutes).unwrap_or(0),
        session_type: service.session_type.clone(),
        professional: abi::Professional {
            id: pro.id.to_string(),
            kind: pro.kind.clone(),
        },
        starts_at: start.with_timezone(&tz).to_rfc3339(),
    }
}

#[expect(clippy::too_many_arguments, reason = "a booking's parts, named")]
/// What the booking costs the member, or the hub's refusal. On `conn`, a hub
/// transaction that holds the member's balance (see [`credits::open_account`]).
pub async fn price(
    state: &AppState,
    tenant: &Tenant,
    conn: &mut PgConnection,
    member: Uuid,
    pro: &Professional,
    service: &Service,
    start: DateTime<Utc>,
    account: &credits::Account,
    moving: Option<Uuid>,
) -> Result<Price, BookError> {
    let service_credits = u32::try_from(service.credits).unwrap_or(0);
    // Without a plugin for these hooks the service's credits decide, and the
    // member's history (three reads) is not needed.
    if !state
        .plugins
        .handles_any(tenant, &[abi::Hook::BookingAllowed, abi::Hook::CreditCost])
        .await
    {
        return charged(abi::CreditCost::cost(service_credits), account);
    }
    let policy = CreditPolicy::load(&mut *conn).await?;
    // The same statement as ever (this is the booking hot path): the macro
    // cannot see through `coalesce`, so the never-null sum comes as an Option.
    let granted: i64 = sqlx::query_scalar!(
        "SELECT coalesce(sum(amount), 0)::bigint FROM credit_ledger \
         WHERE user_id = $1 AND period_start = $2 AND kind IN ('grant', 'top_up')",
        member,
        account.period.start,
    )
    .fetch_one(&mut *conn)
    .await?
    .unwrap_or(0);
    let history = credits::history(
        conn,
        member,
        account.period,
        u32::try_from(granted).unwrap_or(0),
        policy.tz(),
        moving,
    )
    .await?;
    let booking = abi_booking(pro, service, start, policy.tz());
    let allowed = crate::plugin_host::booking_allowed(
        &state.plugins,
        tenant,
        abi::BookingAllowedInput {
            booking: booking.clone(),
            history: history.clone(),
        },
        || abi::BookingAllowed::Allow,
    )
    .await;
    if let abi::BookingAllowed::Refuse { reason } = allowed.value {
        return Err(BookError::Refused(Refusal::Plugin(reason)));
    }
    let cost = crate::plugin_host::credit_cost(
        &state.plugins,
        tenant,
        abi::CreditCostInput { booking, history },
        || abi::CreditCost::cost(service_credits),
    )
    .await;
    charged(cost.value, account)
}

/// The price a `credit_cost` decision sets (at most 1,000 credits).
fn charged(cost: abi::CreditCost, account: &credits::Account) -> Result<Price, BookError> {
    match cost {
        abi::CreditCost::Cost { credits } => Ok(Price {
            credits: i32::try_from(credits.min(1000)).unwrap_or(1000),
            balance: account.balance,
        }),
        abi::CreditCost::Refuse { reason } => Err(BookError::Refused(Refusal::Plugin(reason))),
    }
}

/// Confirms `req`: one transaction writes the appointment, the hub's debit
/// and booking record, the connection, and the emails to both sides.
pub async fn confirm(state: &AppState, req: &Request<'_>) -> Result<Uuid, BookError> {
    let result = match req.tenant {
        Some(tenant) => {
            // One member's bookings wait for each other here, in memory, rather
            // than each holding a pooled connection while waiting for the row lock.
            // A twin confirm that was waiting here finds the first one's
            // appointment inside the transaction, once it holds the balance.
            let turn = state.booking_turns.of((tenant.id.0, req.client_id)).await;
            let _turn = turn.lock().await;
            // Warm the plugin and branding caches: the transaction below then
            // needs no second connection (the emails take the hub's theme).
            let _ = state.plugins.active(tenant).await;
            let _ = crate::web::page::branding(state, tenant).await;
            let mut tx = TenantTx::begin(&state.pool, tenant)
                .await
                .map_err(AppError::from)?;
            match confirm_on(state, &mut tx, req).await {
                Ok(id) => tx.commit().await.map(|()| id).map_err(BookError::from),
                Err(e) => Err(e),
            }
        }
        None => {
            if let Some(id) = existing(state, req).await? {
                return Err(BookError::AlreadyBooked(id));
            }
            let mut tx = state.pool.begin().await.map_err(AppError::from)?;
            match confirm_on(state, &mut tx, req).await {
                Ok(id) => tx.commit().await.map(|()| id).map_err(BookError::from),
                Err(e) => Err(e),
            }
        }
    };
    if result.is_ok() {
        state.outbox_bell.ring();
    }
    match result {
        // A double-click that lost the race to its twin: the twin's booking.
        Err(BookError::SlotTaken | BookError::App(_)) if req.idempotency_key.is_some() => {
            match existing(state, req).await? {
                Some(id) => Err(BookError::AlreadyBooked(id)),
                None => result,
            }
        }
        other => other,
    }
}

/// Takes the professional's calendar for the rest of the transaction.
///
/// The exclusion constraint alone refuses a double booking, but two
/// transactions inserting overlapping appointments at the same moment each
/// wait for the other and PostgreSQL aborts one as a deadlock. Queueing the
/// writes to one professional's calendar makes the second see the first's
/// committed appointment and fail cleanly on the constraint instead.
pub async fn lock_calendar(conn: &mut PgConnection, professional: Uuid) -> sqlx::Result<()> {
    // `$1::text` makes the parameter text: the id goes as its text form,
    // which is PostgreSQL's own `uuid::text` (the same lock key).
    sqlx::query!(
        "SELECT pg_advisory_xact_lock(hashtextextended('calendar:' || $1::text, 0))",
        professional.to_string(),
    )
    .execute(conn)
    .await
    .map(|_| ())
}

async fn existing(state: &AppState, req: &Request<'_>) -> Result<Option<Uuid>, BookError> {
    let Some(key) = req.idempotency_key else {
        return Ok(None);
    };
    Ok(sqlx::query_scalar!(
        "SELECT id FROM appointments WHERE created_by = $1 AND idempotency_key = $2",
        req.created_by,
        key,
    )
    .fetch_optional(&state.pool)
    .await?)
}

async fn confirm_on(
    state: &AppState,
    conn: &mut PgConnection,
    req: &Request<'_>,
) -> Result<Uuid, BookError> {
    let now = Utc::now();
    let pro = req.professional;
    let service = req.service;
    let mut debit = None;
    let mut paid_by_member = false;
    if let Some(tenant) = req.tenant {
        // Locks the member's balance: one member's bookings go one at a time,
        // so a twin confirm committed before is seen below.
        let account = credits::open_account(state, tenant, conn, req.client_id, now).await?;
        let found = sqlx::query!(
            r#"SELECT EXISTS (SELECT 1 FROM roster WHERE professional_id = $1) AS "on_roster!",
                      (SELECT id FROM public.appointments
                       WHERE created_by = $2 AND idempotency_key = $3) AS twin"#,
            pro.id,
            req.created_by,
            req.idempotency_key,
        )
        .fetch_one(&mut *conn)
        .await?;
        if let Some(id) = found.twin {
            return Err(BookError::AlreadyBooked(id));
        }
        if !found.on_roster {
            return Err(BookError::SlotUnavailable);
        }
        if req.within_hours {
            check_free(conn, pro, service, req.starts_at, req.client_id, None).await?;
        }
        let price = price(
            state,
            tenant,
            conn,
            req.client_id,
            pro,
            service,
            req.starts_at,
            &account,
            None,
        )
        .await?;
        if price.credits > account.balance {
            let may_pay = req.pay_instead
                && service.price_minor > 0
                && CreditPolicy::load(&mut *conn).await?.members_may_pay;
            if !may_pay {
                return Err(BookError::Insufficient {
                    balance: account.balance,
                    needed: price.credits,
                });
            }
            // Paid by the member, billed by the professional: no credits move.
            paid_by_member = true;
        }
        debit = Some((tenant, account, price));
    } else if req.within_hours {
        check_free(conn, pro, service, req.starts_at, req.client_id, None).await?;
    }

    let id = Uuid::new_v4();
    let ends_at = req.starts_at + Duration::minutes(i64::from(service.duration_minutes));
    if paid_by_member {
        if let Some((_, _, price)) = debit.as_mut() {
            price.credits = 0;
        }
    }
    let credits = debit.as_ref().map_or(0, |(_, _, p)| p.credits);
    let price_minor = if debit.is_some() && !paid_by_member {
        0
    } else {
        req.price_minor.unwrap_or(service.price_minor)
    };
    // A private session with a price is billed, and so is a hub session the
    // member pays for (paid when booking); hub-funded ones never are.
    let pay_when = if paid_by_member {
        Some("booking")
    } else {
        (debit.is_none() && price_minor > 0).then_some(service.pay_when.as_str())
    };
    // The professional's calendar is taken (see [`lock_calendar`], the same
    // key) in the statement that writes to it.
    sqlx::query!(
        "WITH calendar AS (SELECT pg_advisory_xact_lock(hashtextextended('calendar:' || $18::text, 0))) \
         INSERT INTO public.appointments \
           (id, professional_id, client_id, service_id, tenant_id, service_name, mode, session_type, \
            starts_at, ends_at, blocked_until, price_minor, currency, credits, created_by, idempotency_key, \
            pay_when, reminded_24h_at, reminded_1h_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
            CASE WHEN $9 - now() < interval '24 hours' THEN now() END, \
            CASE WHEN $9 - now() < interval '1 hour' THEN now() END \
         FROM calendar",
        id,
        pro.id,
        req.client_id,
        service.id,
        req.tenant.map(|t| t.id.0),
        &service.name,
        &service.mode,
        &service.session_type,
        req.starts_at,
        ends_at,
        blocked_until(pro, service, req.starts_at),
        price_minor,
        &service.currency,
        credits,
        req.created_by,
        req.idempotency_key,
        pay_when,
        pro.id.to_string(),
    )
    .execute(&mut *conn)
    .await?;
    if pay_when == Some("booking") {
        // Paid when booking: the bill is issued with the appointment.
        crate::payments::bills::issue_for_appointment(state, conn, id).await?;
    }
    if let Some((_, account, price)) = &debit {
        let (debit_id, _) = if price.credits > 0 {
            let (id, after) = credits::post(
                conn,
                &Posting {
                    user_id: req.client_id,
                    kind: Entry::Debit,
                    amount: -price.credits,
                    period_start: account.period.start,
                    appointment_id: Some(id),
                    actor_id: Some(req.created_by),
                    note: "",
                },
            )
            .await?;
            (Some(id), after)
        } else {
            (None, account.balance)
        };
        sqlx::query!(
            "INSERT INTO hub_bookings (appointment_id, user_id, credits, period_start, debit_id) \
             VALUES ($1, $2, $3, $4, $5)",
            id,
            req.client_id,
            price.credits,
            account.period.start,
            debit_id,
        )
        .execute(&mut *conn)
        .await?;
        crate::credits::rollup::booked(
            conn,
            &crate::credits::rollup::NewBooking {
                appointment_id: id,
                user_id: req.client_id,
                starts_at: req.starts_at,
                ends_at,
                mode: &service.mode,
                session_type: &service.session_type,
            },
        )
        .await?;
    }
    sqlx::query!(
        "WITH connected AS (\
           INSERT INTO public.connections (professional_id, client_id, source) VALUES ($1, $2, 'booking') \
           ON CONFLICT DO NOTHING) \
         DELETE FROM public.slot_holds WHERE client_id = $2 AND professional_id = $1",
        pro.id,
        req.client_id,
    )
    .execute(&mut *conn)
    .await?;
    // The emails' outbox rows are written here; the workers are woken
    // after the commit (see [`confirm`]).
    tell(state, conn, id, BookingEvent::Confirmed, Wake::AfterCommit).await?;
    metrics::counter!("hearth_bookings_total", "kind" => if req.tenant.is_some() { "hub" } else { "private" }).increment(1);
    Ok(id)
}
