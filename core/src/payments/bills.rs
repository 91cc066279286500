//! Bills: issued by a professional to a private client for a session, each
//! with a number in the professional's own gapless sequence, and moved
//! through their states once each (open → paid → partly refunded →
//! refunded, or open → void) by statements that say which state they leave.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::web::error::AppError;
use crate::web::money::money;
use crate::web::state::AppState;

/// A bill as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Bill {
    /// Its id.
    pub id: Uuid,
    /// The professional who issued it.
    pub professional_id: Uuid,
    /// Its number in the professional's sequence.
    pub number: i32,
    /// The client (none once their account is deleted).
    pub client_id: Option<Uuid>,
    /// The client's name as billed.
    pub client_name: String,
    /// The client's address as billed.
    pub client_email: String,
    /// The session billed.
    pub appointment_id: Option<Uuid>,
    /// The professional's business name as printed.
    pub seller_name: String,
    /// Their address as printed.
    pub seller_address: Option<String>,
    /// Their company or tax id as printed.
    pub seller_tax_id: Option<String>,
    /// ISO 4217 code.
    pub currency: String,
    /// Before tax, in minor units.
    pub subtotal_minor: i64,
    /// Tax rate in basis points, if any.
    pub tax_rate_bp: Option<i32>,
    /// Tax, in minor units.
    pub tax_minor: i64,
    /// What the client pays.
    pub total_minor: i64,
    /// Refunded so far.
    pub refunded_minor: i64,
    /// open, paid, void, refunded or partly_refunded.
    pub status: String,
    /// Issue date.
    pub issued_on: NaiveDate,
    /// Due date.
    pub due_on: NaiveDate,
    /// When it was paid.
    pub paid_at: Option<DateTime<Utc>>,
    /// When the card's owner disputed the payment, if they did.
    pub disputed_at: Option<DateTime<Utc>>,
}

/// A line of a bill.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Line {
    /// 1, 2, …
    pub position: i16,
    /// What was provided.
    pub description: String,
    /// How many.
    pub quantity: i32,
    /// Price of one, in minor units.
    pub unit_minor: i64,
    /// quantity × unit.
    pub amount_minor: i64,
}

impl Bill {
    /// Whether the client may pay it now.
    pub fn payable(&self) -> bool {
        self.status == "open"
    }

    /// Whether it was paid (whatever was refunded since).
    pub fn was_paid(&self) -> bool {
        self.paid_at.is_some()
    }

    /// What may still be refunded.
    pub fn refundable_minor(&self) -> i64 {
        if self.was_paid() {
            self.total_minor - self.refunded_minor
        } else {
            0
        }
    }
}

/// Tax of `subtotal` at `rate_bp` basis points, rounded half up to a whole
/// minor unit (integer arithmetic only).
pub fn tax_of(subtotal: i64, rate_bp: Option<i32>) -> i64 {
    match rate_bp {
        Some(bp) if bp > 0 => {
            let product = i128::from(subtotal) * i128::from(bp);
            i64::try_from((product + 5_000) / 10_000).unwrap_or(i64::MAX)
        }
        _ => 0,
    }
}

/// Bill `id` with its lines.
pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<(Bill, Vec<Line>)>> {
    let bill = sqlx::query_as!(
        Bill,
        "SELECT id, professional_id, number, client_id, client_name, client_email, appointment_id, \
                seller_name, seller_address, seller_tax_id, currency, subtotal_minor, tax_rate_bp, \
                tax_minor, total_minor, refunded_minor, status, issued_on, due_on, paid_at, disputed_at \
         FROM public.bills WHERE id = $1",
        id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(bill) = bill else { return Ok(None) };
    let lines = sqlx::query_as!(
        Line,
        "SELECT position, description, quantity, unit_minor, amount_minor \
         FROM public.bill_lines WHERE bill_id = $1 ORDER BY position",
        id,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some((bill, lines)))
}

/// Issues the bill of appointment `appointment_id` on `conn` (the caller's
/// transaction), unless it has one, is hub-funded or free. Returns the new
/// bill's id. The professional's row is locked first: their bills are
/// numbered one at a time, and a bill that rolls back takes its number with it.
pub async fn issue_for_appointment(
    state: &AppState,
    conn: &mut PgConnection,
    appointment_id: Uuid,
) -> Result<Option<Uuid>, AppError> {
    let Some(a) = sqlx::query!(
        "SELECT a.professional_id, a.client_id, a.service_name, a.starts_at, a.price_minor, a.currency, \
                a.pay_when, a.tenant_id, a.status, \
                c.name AS \"client_name?\", c.email AS \"client_email?\", c.language AS \"client_language?\", \
                p.timezone \
         FROM public.appointments a \
         JOIN public.professionals p ON p.user_id = a.professional_id \
         LEFT JOIN public.users c ON c.id = a.client_id \
         WHERE a.id = $1",
        appointment_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let (Some(client_id), Some(client_name), Some(client_email)) =
        (a.client_id, a.client_name, a.client_email)
    else {
        return Ok(None);
    };
    // Hub-funded sessions have no `pay_when` (a member who paid instead of
    // credits has one): they are never billed.
    if a.price_minor <= 0 || a.pay_when.is_none() || a.status != "confirmed" {
        return Ok(None);
    }
    let seller = sqlx::query!(
        "SELECT p.business_name, p.business_address, p.business_tax_id, p.tax_rate_bp, \
                p.bill_due_days, u.name \
         FROM public.professionals p JOIN public.users u ON u.id = p.user_id \
         WHERE p.user_id = $1 FOR UPDATE OF p",
        a.professional_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let exists = sqlx::query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM public.bills WHERE appointment_id = $1) AS \"exists!\"",
        appointment_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    if exists {
        return Ok(None);
    }
    let number = sqlx::query_scalar!(
        "UPDATE public.professionals SET last_bill_number = last_bill_number + 1 \
         WHERE user_id = $1 RETURNING last_bill_number",
        a.professional_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let tz: chrono_tz::Tz = a.timezone.parse().unwrap_or(chrono_tz::UTC);
    let issued_on = Utc::now().with_timezone(&tz).date_naive();
    let due_on = if a.pay_when.as_deref() == Some("booking") {
        issued_on
    } else {
        issued_on + chrono::Days::new(u64::try_from(seller.bill_due_days).unwrap_or(14))
    };
    let subtotal = a.price_minor;
    let tax = tax_of(subtotal, seller.tax_rate_bp);
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO public.bills (id, professional_id, number, client_id, client_name, client_email, \
            appointment_id, seller_name, seller_address, seller_tax_id, currency, subtotal_minor, \
            tax_rate_bp, tax_minor, total_minor, issued_on, due_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        id,
        a.professional_id,
        number,
        client_id,
        &client_name,
        &client_email,
        appointment_id,
        seller.business_name.as_deref().unwrap_or(&seller.name),
        seller.business_address,
        seller.business_tax_id,
        &a.currency,
        subtotal,
        seller.tax_rate_bp,
        tax,
        subtotal + tax,
        issued_on,
        due_on,
    )
    .execute(&mut *conn)
    .await?;
    let when = a.starts_at.with_timezone(&tz).format("%Y-%m-%d %H:%M");
    sqlx::query!(
        "INSERT INTO public.bill_lines (bill_id, position, description, quantity, unit_minor, amount_minor) \
         VALUES ($1, 1, $2, 1, $3, $3)",
        id,
        format!("{}, {when}", a.service_name),
        subtotal,
    )
    .execute(&mut *conn)
    .await?;
    let language = crate::i18n::supported(a.client_language.as_deref().unwrap_or("en"))
        .unwrap_or(crate::i18n::FALLBACK);
    tell(
        state,
        conn,
        "bill_issued",
        id,
        &client_email,
        &client_name,
        language,
        &[
            ("number", number.to_string()),
            ("seller", seller.business_name.unwrap_or(seller.name)),
            ("amount", money(subtotal + tax, &a.currency, language)),
            (
                "due",
                crate::web::time::format_day(language, due_on, "%-d %B %Y"),
            ),
        ],
    )
    .await?;
    metrics::counter!("hearth_bills_issued_total").increment(1);
    Ok(Some(id))
}

/// Marks bill `id` paid, once: true when this call paid it. The receipt is
/// written to the outbox in the same transaction.
pub async fn mark_paid(
    state: &AppState,
    conn: &mut PgConnection,
    id: Uuid,
    payment_intent: &str,
) -> Result<bool, AppError> {
    let paid = sqlx::query!(
        "UPDATE public.bills SET status = 'paid', paid_at = now(), updated_at = now() \
         WHERE id = $1 AND status = 'open' \
         RETURNING number, client_name, client_email, currency, total_minor, \
                   (SELECT language FROM public.users WHERE users.id = bills.client_id) AS language",
        id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE public.bill_payments SET status = 'succeeded', last_error = NULL, updated_at = now() \
         WHERE bill_id = $1 AND payment_intent_id = $2",
        id,
        payment_intent,
    )
    .execute(&mut *conn)
    .await?;
    let Some(paid) = paid else { return Ok(false) };
    let language = crate::i18n::supported(paid.language.as_deref().unwrap_or("en"))
        .unwrap_or(crate::i18n::FALLBACK);
    tell(
        state,
        conn,
        "payment_receipt",
        id,
        &paid.client_email,
        &paid.client_name,
        language,
        &[
            ("number", paid.number.to_string()),
            ("amount", money(paid.total_minor, &paid.currency, language)),
        ],
    )
    .await?;
    metrics::counter!("hearth_bills_paid_total").increment(1);
    Ok(true)
}

/// What happens to the bill of appointment `appointment_id` when it is
/// cancelled (on the cancelling transaction `conn`): an open bill is voided;
/// a paid one is refunded in full when the cancellation came before the
/// cutoff (`late` false). Returns the refund to send, if any.
pub async fn on_cancelled(
    conn: &mut PgConnection,
    appointment_id: Uuid,
    late: bool,
    by: Option<Uuid>,
) -> sqlx::Result<Option<Uuid>> {
    let Some(bill) = sqlx::query!(
        "SELECT id, status, total_minor, refunded_minor FROM public.bills WHERE appointment_id = $1 FOR UPDATE",
        appointment_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    if bill.status == "open" {
        sqlx::query!(
            "UPDATE public.bills SET status = 'void', voided_at = now(), updated_at = now() \
             WHERE id = $1 AND status = 'open'",
            bill.id,
        )
        .execute(&mut *conn)
        .await?;
        return Ok(None);
    }
    if late || !matches!(bill.status.as_str(), "paid" | "partly_refunded") {
        return Ok(None);
    }
    let pending: i64 = sqlx::query_scalar!(
        "SELECT coalesce(sum(amount_minor), 0)::bigint AS \"sum!\" FROM public.bill_refunds \
         WHERE bill_id = $1 AND status = 'pending'",
        bill.id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let amount = bill.total_minor - bill.refunded_minor - pending;
    if amount <= 0 {
        return Ok(None);
    }
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO public.bill_refunds (id, bill_id, amount_minor, reason, created_by) \
         VALUES ($1, $2, $3, 'cancelled', $4)",
        id,
        bill.id,
        amount,
        by,
    )
    .execute(&mut *conn)
    .await?;
    Ok(Some(id))
}

#[expect(clippy::too_many_arguments, reason = "an email's parts, named")]
/// Writes email `kind` about bill `bill_id` to the outbox on `conn`, from the
/// platform (bills are between a professional and a private client).
pub(super) async fn tell(
    state: &AppState,
    conn: &mut PgConnection,
    kind: &str,
    bill_id: Uuid,
    to: &str,
    to_name: &str,
    language: &str,
    vars: &[(&str, String)],
) -> Result<(), AppError> {
    let mut context = tera::Context::new();
    for (key, value) in vars {
        context.insert(*key, value);
    }
    context.insert(
        "bill_url",
        &format!("{}/payments/bills/{bill_id}", state.config.platform_url()),
    );
    crate::accounts::mail::send(
        state,
        conn,
        &crate::web::site::Site::Platform,
        kind,
        (to, to_name),
        language,
        context,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_rounds_half_up_in_whole_minor_units() {
        assert_eq!(tax_of(12_500, Some(2_400)), 3_000);
        assert_eq!(tax_of(1_250, Some(2_400)), 300);
        assert_eq!(tax_of(1_001, Some(1_100)), 110); // 110.11
        assert_eq!(tax_of(5, Some(1_000)), 1); // 0.5 rounds up
        assert_eq!(tax_of(12_500, None), 0);
        assert_eq!(tax_of(12_500, Some(0)), 0);
    }
}
