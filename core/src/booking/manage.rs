//! An appointment after booking: its page, cancelling, rescheduling, and the
//! professional's waiver of a late cancellation.
//!
//! Cancelling before the hub's cutoff refunds the credits; a client's
//! cancellation inside it forfeits them (the professional may waive that);
//! a professional's cancellation always refunds. Every change raises the
//! appointment's calendar SEQUENCE and emails both sides in the same
//! transaction.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, Duration, Utc};
use hearth_tenants::{Tenant, TenantId, TenantTx};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::book::{check_free, BookError};
use super::data;
use super::notify::{appointment_changed, BookingEvent};
use crate::credits::{self, CreditError, Entry, Posting};
use crate::i18n::Msg;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::money::money;
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::time::format_local;
use crate::web::time::viewer_tz;

/// The cutoff for private clients' appointments, which no hub policy covers.
pub const PRIVATE_CUTOFF_HOURS: i32 = 24;
/// The join window opens this many minutes before the start…
pub const JOIN_EARLY_MINUTES: i64 = 10;
/// …and closes this many minutes after the scheduled end (the room is
/// `crate::video`'s).
pub const JOIN_LATE_MINUTES: i64 = 15;

/// An appointment as its page shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Appointment {
    /// Its id.
    pub id: Uuid,
    /// The professional.
    pub professional_id: Uuid,
    /// The client (None once their account is deleted).
    pub client_id: Option<Uuid>,
    /// The service (None if it was removed).
    pub service_id: Option<Uuid>,
    /// The hub paying in credits.
    pub tenant_id: Option<i64>,
    /// The service's name when booked.
    pub service_name: String,
    /// video, phone, in_person.
    pub mode: String,
    /// individual, couples, family, group.
    pub session_type: String,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Price for a private client, in cents.
    pub price_minor: i64,
    /// Its currency.
    pub currency: String,
    /// Credits it cost.
    pub credits: i32,
    /// confirmed or cancelled.
    pub status: String,
    /// Cancelled inside the cutoff by the client.
    pub late_cancel: bool,
    /// The professional's name.
    pub professional_name: String,
    /// The client's name.
    pub client_name: Option<String>,
}

/// Reads appointment `$id`, the query ending with `$tail` (a lock or
/// nothing); checked at compile time.
macro_rules! select_appointment {
    ($id:expr, $tail:literal) => {
        sqlx::query_as!(
            Appointment,
            "SELECT a.id, a.professional_id, a.client_id, a.service_id, a.tenant_id, a.service_name, a.mode, \
                    a.session_type, a.starts_at, a.ends_at, a.price_minor, a.currency, a.credits, a.status, a.late_cancel, \
                    p.name AS professional_name, c.name AS \"client_name?\" \
             FROM public.appointments a JOIN public.users p ON p.id = a.professional_id \
             LEFT JOIN public.users c ON c.id = a.client_id WHERE a.id = $1 "
                + $tail,
            $id
        )
    };
}

async fn load(conn: &mut PgConnection, id: Uuid, lock: bool) -> sqlx::Result<Option<Appointment>> {
    if lock {
        select_appointment!(id, "FOR UPDATE OF a")
            .fetch_optional(conn)
            .await
    } else {
        select_appointment!(id, "").fetch_optional(conn).await
    }
}

/// Who the viewer is to the appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The client.
    Client,
    /// The professional.
    Professional,
}

fn party_of(a: &Appointment, user: Uuid) -> Option<Party> {
    if a.client_id == Some(user) {
        Some(Party::Client)
    } else if a.professional_id == user {
        Some(Party::Professional)
    } else {
        None
    }
}

async fn hub_of(state: &AppState, id: Option<i64>) -> Result<Option<Arc<Tenant>>, AppError> {
    let Some(id) = id else { return Ok(None) };
    let mut conn = state.pool.acquire().await?;
    Ok(
        hearth_tenants::registry::find_by_id(&mut conn, TenantId(id))
            .await?
            .map(Arc::new),
    )
}

/// Begins the transaction a change of `tenant`'s appointment runs in: the
/// hub's when it pays in credits, else a plain one.
enum Tx {
    Hub(TenantTx),
    Plain(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    async fn begin(state: &AppState, tenant: Option<&Tenant>) -> sqlx::Result<Self> {
        Ok(match tenant {
            Some(t) => Tx::Hub(TenantTx::begin(&state.pool, t).await?),
            None => Tx::Plain(state.pool.begin().await?),
        })
    }

    fn conn(&mut self) -> &mut PgConnection {
        match self {
            Tx::Hub(tx) => tx,
            Tx::Plain(tx) => tx,
        }
    }

    async fn commit(self) -> sqlx::Result<()> {
        match self {
            Tx::Hub(tx) => tx.commit().await,
            Tx::Plain(tx) => tx.commit().await,
        }
    }
}

/// Fills the node's caches a change of `tenant`'s appointment reads (its
/// plugins, its branding for the emails), so its transaction never waits for
/// a second pooled connection.
async fn warm(state: &AppState, tenant: &Tenant) {
    let _ = state.plugins.active(tenant).await;
    let _ = crate::web::page::branding(state, tenant).await;
}

async fn cutoff_hours(conn: &mut PgConnection, hub: bool) -> sqlx::Result<i32> {
    if hub {
        sqlx::query_scalar!("SELECT cancellation_cutoff_hours FROM hub_settings")
            .fetch_one(conn)
            .await
    } else {
        Ok(PRIVATE_CUTOFF_HOURS)
    }
}

/// `?booked=1` and friends after a change.
#[derive(Debug, Deserialize)]
pub struct Flags {
    booked: Option<String>,
    done: Option<String>,
}

/// GET /appointments/{id}: the client's or the professional's view.
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Path(id): Path<Uuid>,
    Query(flags): Query<Flags>,
) -> Result<Response, AppError> {
    let mut conn = state.pool.acquire().await?;
    let a = load(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let party = party_of(&a, user.id).ok_or(AppError::NotFound)?;
    let hub = hub_of(&state, a.tenant_id).await?;
    let cutoff = match &hub {
        Some(t) => {
            let mut tx = TenantTx::begin(&state.pool, t).await?;
            let h = cutoff_hours(&mut tx, true).await?;
            tx.commit().await?;
            h
        }
        None => PRIVATE_CUTOFF_HOURS,
    };
    let now = Utc::now();
    let tz = viewer_tz(&state, &site, &viewer).await;
    let opens = a.starts_at - Duration::minutes(JOIN_EARLY_MINUTES);
    let can_join = a.status == "confirmed"
        && now >= opens
        && now < a.ends_at + Duration::minutes(JOIN_LATE_MINUTES);
    let upcoming = a.status == "confirmed" && a.starts_at > now;
    let late = upcoming
        && party == Party::Client
        && a.starts_at - now < Duration::hours(i64::from(cutoff));
    let waivable = if party == Party::Professional && a.late_cancel {
        match &hub {
            Some(t) => {
                let mut tx = TenantTx::begin(&state.pool, t).await?;
                let forfeited: bool = sqlx::query_scalar!(
                    "SELECT EXISTS (SELECT 1 FROM hub_bookings WHERE appointment_id = $1 AND settled = 'forfeited' AND credits > 0) AS \"forfeited!\"",
                    a.id,
                )
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                forfeited
            }
            None => false,
        }
    } else {
        false
    };
    let lang = viewer.language;
    let notice = match (flags.booked.as_deref(), flags.done.as_deref()) {
        (Some(_), _) => Some("appointment-done-booked"),
        (_, Some("cancelled")) => Some("appointment-done-cancelled"),
        (_, Some("rescheduled")) => Some("appointment-done-rescheduled"),
        (_, Some("waived")) => Some("appointment-done-waived"),
        _ => None,
    }
    .map(|id| crate::i18n::t(lang, id, None));
    let page = Page::new(&state, &site, &viewer).await?;
    Ok(page
        .with("a", &a)
        .with("party", &party)
        .with_when(lang, tz, a.starts_at, a.ends_at)
        .with(
            "opens_date",
            &format_local(lang, opens.with_timezone(&tz).naive_local(), "%A %-d %B"),
        )
        .with(
            "opens_time",
            &opens.with_timezone(&tz).format("%H:%M").to_string(),
        )
        .with("can_join", &can_join)
        .with("upcoming", &upcoming)
        .with("late", &late)
        .with("cutoff_hours", &cutoff)
        .with("waivable", &waivable)
        .with("price", &money(a.price_minor, &a.currency, viewer.language))
        .with("hub_name", &hub.as_ref().map(|h| h.name.clone()))
        .with("notice", &notice)
        .render(&state, "appointment.html")?
        .into_response())
}

/// How a cancellation settled the credits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// No credits were involved.
    Nothing,
    /// Credits went back.
    Refunded,
    /// The credits stay spent.
    Forfeited,
}

/// Cancels appointment `id` as `actor` (its client or professional).
pub async fn cancel(state: &AppState, id: Uuid, actor: Uuid) -> Result<Settled, BookError> {
    let mut conn = state.pool.acquire().await.map_err(AppError::from)?;
    let tenant_id = load(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?
        .tenant_id;
    drop(conn);
    let hub = hub_of(state, tenant_id).await?;
    if let Some(t) = &hub {
        warm(state, t).await;
    }
    let mut tx = Tx::begin(state, hub.as_deref())
        .await
        .map_err(AppError::from)?;
    let conn = tx.conn();
    let a = load(conn, id, true).await?.ok_or(AppError::NotFound)?;
    let party = party_of(&a, actor).ok_or(AppError::NotFound)?;
    let now = Utc::now();
    if a.status != "confirmed" || a.starts_at <= now {
        return Err(BookError::SlotUnavailable);
    }
    let cutoff = cutoff_hours(conn, hub.is_some()).await?;
    let late = party == Party::Client && a.starts_at - now < Duration::hours(i64::from(cutoff));
    sqlx::query!(
        "UPDATE public.appointments SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, \
           late_cancel = $3, sequence = sequence + 1, updated_at = now() WHERE id = $1",
        id,
        actor,
        late,
    )
    .execute(&mut *conn)
    .await?;
    let mut settled = Settled::Nothing;
    if let (Some(tenant), Some(client)) = (&hub, a.client_id) {
        settled = settle(
            state,
            tenant,
            conn,
            id,
            client,
            actor,
            if late {
                Settled::Forfeited
            } else {
                Settled::Refunded
            },
        )
        .await?;
    }
    if hub.is_some() {
        // The HR report's roll-up, in the same transaction.
        crate::credits::rollup::sync_booking(conn, id).await?;
    }
    // A paid session's bill (a private client's, or a member's who paid
    // instead of credits): voided when open, refunded when paid and
    // cancelled before the cutoff (the refund is written here, sent below).
    let refund = crate::payments::bills::on_cancelled(conn, id, late, Some(actor)).await?;
    appointment_changed(state, conn, id, BookingEvent::Cancelled).await?;
    tx.commit().await.map_err(AppError::from)?;
    metrics::counter!("hearth_cancellations_total", "late" => if late { "yes" } else { "no" })
        .increment(1);
    if let Some(refund) = refund {
        // Left pending if Stripe cannot be reached: the payments worker sends it.
        if let Err(e) = crate::payments::refunds::send(state, refund).await {
            tracing::warn!(error = %e, refund_id = %refund, "a cancelled session's refund was not sent yet");
        }
    }
    Ok(settled)
}

/// Refunds or forfeits the hub booking of appointment `id`, on the hub's transaction.
async fn settle(
    state: &AppState,
    tenant: &Tenant,
    conn: &mut PgConnection,
    id: Uuid,
    client: Uuid,
    actor: Uuid,
    how: Settled,
) -> Result<Settled, BookError> {
    let credits: Option<i32> = sqlx::query_scalar!(
        "SELECT credits FROM hub_bookings WHERE appointment_id = $1 AND (settled IS NULL OR settled = 'forfeited') FOR UPDATE",
        id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(credits) = credits else {
        return Ok(Settled::Nothing);
    };
    let account = match credits::open_account(state, tenant, conn, client, Utc::now()).await {
        Ok(a) => a,
        // The member left the hub: nothing to give back to.
        Err(CreditError::NotMember) => return Ok(Settled::Nothing),
        Err(e) => return Err(e.into()),
    };
    let (kind, amount, word) = match how {
        Settled::Refunded if credits > 0 => (Entry::Refund, credits, "refunded"),
        Settled::Refunded | Settled::Nothing => {
            sqlx::query!(
                "UPDATE hub_bookings SET settled = 'refunded' WHERE appointment_id = $1",
                id,
            )
            .execute(&mut *conn)
            .await?;
            return Ok(Settled::Refunded);
        }
        Settled::Forfeited => (Entry::Forfeit, 0, "forfeited"),
    };
    credits::post(
        conn,
        &Posting {
            user_id: client,
            kind,
            amount,
            period_start: account.period.start,
            appointment_id: Some(id),
            actor_id: Some(actor),
            note: "",
        },
    )
    .await?;
    sqlx::query!(
        "UPDATE hub_bookings SET settled = $2 WHERE appointment_id = $1",
        id,
        word,
    )
    .execute(&mut *conn)
    .await?;
    Ok(how)
}

/// POST /appointments/{id}/cancel
pub async fn cancel_post(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer: _ }: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let base = crate::web::site::base_of(&site).to_owned();
    match cancel(&state, id, user.id).await {
        Ok(_) | Err(BookError::SlotUnavailable) => {
            Ok(Redirect::to(&format!("{base}/appointments/{id}?done=cancelled")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /appointments/{id}/waive: the professional gives back a late cancellation's credits.
pub async fn waive(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer: _ }: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let base = crate::web::site::base_of(&site).to_owned();
    let mut conn = state.pool.acquire().await?;
    let a = load(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    if party_of(&a, user.id) != Some(Party::Professional) || !a.late_cancel {
        return Err(AppError::NotFound);
    }
    let (Some(tenant), Some(client)) = (hub_of(&state, a.tenant_id).await?, a.client_id) else {
        return Err(AppError::NotFound);
    };
    warm(&state, &tenant).await;
    let mut tx = TenantTx::begin(&state.pool, &tenant).await?;
    match settle(
        &state,
        &tenant,
        &mut tx,
        id,
        client,
        user.id,
        Settled::Refunded,
    )
    .await
    {
        Ok(_) => {}
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("{base}/appointments/{id}?done=waived")).into_response())
}

/// `?week=` on the reschedule page.
#[derive(Debug, Deserialize)]
pub struct WeekQuery {
    week: Option<String>,
}

/// The reschedule form.
#[derive(Debug, Deserialize)]
pub struct RescheduleForm {
    start: String,
}

/// GET /appointments/{id}/reschedule: free times for the same service.
pub async fn reschedule_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Path(id): Path<Uuid>,
    Query(query): Query<WeekQuery>,
) -> Result<Response, AppError> {
    show_reschedule(&state, &site, &viewer, id, query.week.as_deref(), None).await
}

async fn show_reschedule(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    id: Uuid,
    week: Option<&str>,
    message: Option<&str>,
) -> Result<Response, AppError> {
    let user = viewer.signed_in()?.clone();
    let mut conn = state.pool.acquire().await?;
    let a = load(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    party_of(&a, user.id).ok_or(AppError::NotFound)?;
    let pro = data::professional(&mut conn, a.professional_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let service = match a.service_id {
        Some(s) => data::service(&mut conn, pro.id, s).await?,
        None => None,
    }
    .ok_or(AppError::NotFound)?;
    drop(conn);
    let tz = viewer_tz(state, site, viewer).await;
    let (days, week) = super::pages::week_of_slots(
        state,
        viewer.language,
        &pro,
        &service,
        tz,
        a.client_id,
        Some(a.id),
        week,
    )
    .await?;
    let page = Page::new(state, site, viewer).await?;
    let status = if message.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        page.with("a", &a)
            .with("pro", &pro)
            .with("service", &service)
            .with("days", &days)
            .with("week", &week)
            .with("timezone", &tz.name())
            .with("message", &message)
            .render(state, "appointment_reschedule.html")?,
    )
        .into_response())
}

/// Moves appointment `id` to `start` as `actor`.
pub async fn reschedule(
    state: &AppState,
    id: Uuid,
    actor: Uuid,
    start: DateTime<Utc>,
) -> Result<(), BookError> {
    let mut conn = state.pool.acquire().await.map_err(AppError::from)?;
    let tenant_id = load(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?
        .tenant_id;
    drop(conn);
    let hub = hub_of(state, tenant_id).await?;
    if let Some(t) = &hub {
        warm(state, t).await;
    }
    let mut tx = Tx::begin(state, hub.as_deref())
        .await
        .map_err(AppError::from)?;
    let conn = tx.conn();
    let a = load(conn, id, true).await?.ok_or(AppError::NotFound)?;
    let party = party_of(&a, actor).ok_or(AppError::NotFound)?;
    let now = Utc::now();
    if a.status != "confirmed" || a.starts_at <= now {
        return Err(BookError::rule("appointment-error-not-movable"));
    }
    if start <= now {
        return Err(BookError::rule("book-error-past"));
    }
    let cutoff = cutoff_hours(conn, hub.is_some()).await?;
    if party == Party::Client && a.starts_at - now < Duration::hours(i64::from(cutoff)) {
        return Err(BookError::rule(
            Msg::new("appointment-error-cutoff").arg("cutoff", cutoff),
        ));
    }
    let pro = data::professional(conn, a.professional_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let service = match a.service_id {
        Some(s) => data::service(conn, pro.id, s).await?,
        None => None,
    }
    .ok_or(BookError::SlotUnavailable)?;
    if party == Party::Client {
        check_free(conn, &pro, &service, start, actor, Some(a.id)).await?;
    }
    if let (Some(tenant), Some(client), Party::Client) = (&hub, a.client_id, party) {
        reprice(state, tenant, conn, &a, client, &pro, &service, start).await?;
    }
    super::book::lock_calendar(conn, pro.id).await?;
    let duration = a.ends_at - a.starts_at;
    let buffer = Duration::minutes(i64::from(pro.buffer_minutes));
    // A reminder whose time has passed counts as sent. Worked out here, not
    // in SQL: Citus takes no now() inside a CASE.
    let now = Utc::now();
    let sent_if_within = |window: Duration| (start - now < window).then_some(now);
    sqlx::query!(
        "UPDATE public.appointments SET starts_at = $2, ends_at = $3, blocked_until = $4, \
           sequence = sequence + 1, updated_at = now(), reminded_24h_at = $5, reminded_1h_at = $6 \
         WHERE id = $1",
        id,
        start,
        start + duration,
        start + duration + buffer,
        sent_if_within(Duration::hours(24)),
        sent_if_within(Duration::hours(1)),
    )
    .execute(&mut *conn)
    .await?;
    if hub.is_some() {
        // The HR report's roll-up, in the same transaction.
        crate::credits::rollup::sync_booking(conn, id).await?;
    }
    appointment_changed(state, conn, id, BookingEvent::Rescheduled).await?;
    tx.commit().await.map_err(AppError::from)?;
    Ok(())
}

/// A member moving a hub-funded session meets the hub's rules again, as a
/// new booking would: the hub's plugins may refuse the new time
/// (`booking_allowed`) or price it differently (`credit_cost`), and the
/// difference is charged or given back on the ledger, in the reschedule's
/// transaction. The session's own booking is left out of the history the
/// plugins see.
#[expect(clippy::too_many_arguments, reason = "a reschedule's parts, named")]
async fn reprice(
    state: &AppState,
    tenant: &Tenant,
    conn: &mut PgConnection,
    a: &Appointment,
    client: Uuid,
    pro: &super::data::Professional,
    service: &super::data::Service,
    start: DateTime<Utc>,
) -> Result<(), BookError> {
    let charged: Option<i32> = sqlx::query_scalar!(
        "SELECT credits FROM hub_bookings WHERE appointment_id = $1 AND settled IS NULL FOR UPDATE",
        a.id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(charged) = charged else {
        return Ok(());
    };
    let account = credits::open_account(state, tenant, conn, client, Utc::now()).await?;
    let price = super::book::price(
        state,
        tenant,
        conn,
        client,
        pro,
        service,
        start,
        &account,
        Some(a.id),
    )
    .await?;
    let difference = price.credits - charged;
    if difference != 0 {
        let (kind, amount) = if difference > 0 {
            (Entry::Debit, -difference)
        } else {
            (Entry::Refund, -difference)
        };
        credits::post(
            conn,
            &Posting {
                user_id: client,
                kind,
                amount,
                period_start: account.period.start,
                appointment_id: Some(a.id),
                actor_id: Some(client),
                note: "rescheduled",
            },
        )
        .await?;
        sqlx::query!(
            "UPDATE hub_bookings SET credits = $2 WHERE appointment_id = $1",
            a.id,
            price.credits,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// POST /appointments/{id}/reschedule
pub async fn reschedule_post(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Path(id): Path<Uuid>,
    Form(form): Form<RescheduleForm>,
) -> Result<Response, AppError> {
    let base = crate::web::site::base_of(&site).to_owned();
    let start = DateTime::parse_from_rfc3339(form.start.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| AppError::NotFound)?;
    let lang = viewer.language;
    let message = match reschedule(&state, id, user.id, start).await {
        Ok(()) => {
            return Ok(
                Redirect::to(&format!("{base}/appointments/{id}?done=rescheduled")).into_response(),
            )
        }
        Err(BookError::SlotTaken) => crate::i18n::t(lang, "book-error-taken", None),
        Err(BookError::SlotUnavailable) => crate::i18n::t(lang, "book-error-not-free", None),
        Err(BookError::Refused(reason)) => reason.text(lang),
        Err(e) => return Err(e.into()),
    };
    show_reschedule(&state, &site, &viewer, id, None, Some(&message)).await
}
