//! Taking a bill's money through Stripe, exactly once.
//!
//! Every bill has one payment attempt (`bill_payments`) holding one
//! PaymentIntent, made the first time the client opens Pay and reused by
//! every later Pay, retry, double click or second tab: Stripe lets an intent
//! succeed once, so the bill is charged once even where Stripe's idempotency
//! keys are not honoured. The attempt's row is locked while Stripe is asked,
//! so two requests for one bill go one after the other. A bill is marked paid
//! only from a verified read of its intent or a verified webhook event.

use uuid::Uuid;

use super::bills::{self, Bill};
use crate::stripe_api::{self, Intent, StripeApi, StripeFailure};
use crate::web::error::AppError;
use crate::web::state::AppState;

/// Why a payment step failed.
#[derive(Debug, thiserror::Error)]
pub enum PayError {
    /// Card payments are not set up on this platform.
    #[error("payments not configured")]
    NotConfigured,
    /// Stripe refused (a declined card); its words are fit to show.
    #[error("declined: {0}")]
    Declined(String),
    /// Stripe could not be reached.
    #[error("stripe unavailable: {0}")]
    Unavailable(String),
    /// Stripe says an intent succeeded that does not pay its bill (another
    /// amount or currency, or another bill): never marked paid.
    #[error("the payment does not match its bill")]
    Mismatch,
    /// Anything else.
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<sqlx::Error> for PayError {
    fn from(e: sqlx::Error) -> Self {
        Self::App(e.into())
    }
}

impl From<StripeFailure> for PayError {
    fn from(e: StripeFailure) -> Self {
        match e {
            StripeFailure::Refused { message, .. } => Self::Declined(message),
            StripeFailure::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

/// The configured Stripe account.
pub fn api(state: &AppState) -> Result<&StripeApi, PayError> {
    state.stripe.as_ref().ok_or(PayError::NotConfigured)
}

/// The Stripe customer of user `user_id`, made on first use. Its row is
/// locked while Stripe makes it, so two requests at once make one.
pub async fn customer_of(
    state: &AppState,
    user_id: Uuid,
    email: &str,
    name: &str,
) -> Result<String, PayError> {
    let stripe = api(state)?;
    if let Some(Some(id)) = sqlx::query_scalar!(
        "SELECT customer_id FROM stripe_customers WHERE user_id = $1",
        user_id
    )
    .fetch_optional(&state.pool)
    .await?
    {
        return Ok(id);
    }
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "INSERT INTO stripe_customers (user_id) VALUES ($1) ON CONFLICT DO NOTHING",
        user_id
    )
    .execute(&mut *tx)
    .await?;
    let existing = sqlx::query_scalar!(
        "SELECT customer_id FROM stripe_customers WHERE user_id = $1 FOR UPDATE",
        user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = stripe.create_customer(user_id, email, name).await?;
    sqlx::query!(
        "UPDATE stripe_customers SET customer_id = $2 WHERE user_id = $1",
        user_id,
        &id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The card the client chose as default, if any.
pub async fn default_card(state: &AppState, user_id: Uuid) -> sqlx::Result<Option<String>> {
    Ok(sqlx::query_scalar!(
        "SELECT default_payment_method FROM stripe_customers WHERE user_id = $1",
        user_id
    )
    .fetch_optional(&state.pool)
    .await?
    .flatten())
}

/// The intent of `bill` (made now if it has none), for Stripe.js on the
/// Pay page, and whatever a verified read says of it.
pub async fn intent_for(state: &AppState, bill: &Bill, customer: &str) -> Result<Intent, PayError> {
    let stripe = api(state)?;
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "INSERT INTO bill_payments (bill_id) VALUES ($1) ON CONFLICT DO NOTHING",
        bill.id
    )
    .execute(&mut *tx)
    .await?;
    let existing = sqlx::query_scalar!(
        "SELECT payment_intent_id FROM bill_payments WHERE bill_id = $1 FOR UPDATE",
        bill.id
    )
    .fetch_one(&mut *tx)
    .await?;
    let intent = match existing {
        Some(id) => stripe.payment_intent(&id).await?,
        None => {
            let intent = stripe
                .create_payment_intent(
                    bill.id,
                    stripe_api::to_stripe(bill.total_minor, &bill.currency),
                    &bill.currency,
                    customer,
                )
                .await?;
            sqlx::query!(
                "UPDATE bill_payments SET payment_intent_id = $2, status = $3, updated_at = now() \
                 WHERE bill_id = $1",
                bill.id,
                &intent.id,
                &intent.status,
            )
            .execute(&mut *tx)
            .await?;
            intent
        }
    };
    tx.commit().await?;
    Ok(intent)
}

/// What a Pay ended in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Paid (now or before).
    Paid,
    /// The card's bank asks the payer to authenticate (3-D Secure) on the page.
    Authenticate,
    /// Still to pay, with Stripe's reason when a card was declined.
    Open(Option<String>),
}

/// Pays `bill` with saved card `payment_method` of `customer`: confirms the
/// bill's one intent, unless it already succeeded. Concurrent calls for one
/// bill wait for each other on the attempt's row.
pub async fn pay_with_card(
    state: &AppState,
    bill: &Bill,
    customer: &str,
    payment_method: &str,
) -> Result<Outcome, PayError> {
    let stripe = api(state)?;
    let intent = intent_for(state, bill, customer).await?;
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "SELECT bill_id FROM bill_payments WHERE bill_id = $1 FOR UPDATE",
        bill.id
    )
    .fetch_one(&mut *tx)
    .await?;
    let current = stripe.payment_intent(&intent.id).await?;
    let result = if current.succeeded() || current.status == "processing" {
        current
    } else {
        // One key per confirmation of this intent: a retry of the same
        // request within Stripe's window gets the same answer.
        let tries = sqlx::query_scalar!(
            "UPDATE bill_payments SET confirmations = confirmations + 1, updated_at = now() \
             WHERE bill_id = $1 RETURNING confirmations",
            bill.id
        )
        .fetch_one(&mut *tx)
        .await?;
        let key = format!("hearth-bill-{}-confirm-{payment_method}-{tries}", bill.id);
        match stripe
            .confirm_payment_intent(&current.id, payment_method, &key)
            .await
        {
            Ok(intent) => intent,
            Err(StripeFailure::Refused { message, .. }) => {
                sqlx::query!(
                    "UPDATE bill_payments SET status = 'requires_payment_method', last_error = $2, \
                     updated_at = now() WHERE bill_id = $1",
                    bill.id,
                    truncate(&message),
                )
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                return Ok(Outcome::Open(Some(message)));
            }
            Err(e) => return Err(e.into()),
        }
    };
    let outcome = apply(state, &mut tx, bill.id, &result).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Reads the bill's intent from Stripe (a verified read, whatever the
/// browser says) and applies it: the return step after Stripe.js.
pub async fn verify(state: &AppState, bill: &Bill) -> Result<Outcome, PayError> {
    let stripe = api(state)?;
    let Some(id) = sqlx::query_scalar!(
        "SELECT payment_intent_id FROM bill_payments WHERE bill_id = $1",
        bill.id
    )
    .fetch_optional(&state.pool)
    .await?
    .flatten() else {
        return Ok(Outcome::Open(None));
    };
    let intent = stripe.payment_intent(&id).await?;
    let mut tx = state.pool.begin().await?;
    let outcome = apply(state, &mut tx, bill.id, &intent).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Applies what Stripe says of `intent` to bill `bill_id` on `conn`.
pub async fn apply(
    state: &AppState,
    conn: &mut sqlx::PgConnection,
    bill_id: Uuid,
    intent: &Intent,
) -> Result<Outcome, PayError> {
    if intent.bill_id.as_deref() != Some(bill_id.to_string().as_str()) {
        tracing::error!(%bill_id, payment_intent = %intent.id, "a payment names another bill; not applied");
        return Err(PayError::Mismatch);
    }
    if intent.succeeded() {
        let total = sqlx::query!(
            "SELECT total_minor, currency FROM bills WHERE id = $1",
            bill_id
        )
        .fetch_one(&mut *conn)
        .await?;
        let received = stripe_api::from_stripe(intent.amount, &total.currency);
        if received != Some(total.total_minor)
            || !intent.currency.eq_ignore_ascii_case(&total.currency)
        {
            tracing::error!(%bill_id, payment_intent = %intent.id, "a payment's amount differs from its bill; not marked paid");
            return Err(PayError::Mismatch);
        }
        bills::mark_paid(state, conn, bill_id, &intent.id).await?;
        return Ok(Outcome::Paid);
    }
    sqlx::query!(
        "UPDATE bill_payments SET status = $2, last_error = coalesce($3, last_error), updated_at = now() \
         WHERE bill_id = $1",
        bill_id,
        &intent.status,
        intent.last_error.as_deref().map(truncate),
    )
    .execute(&mut *conn)
    .await?;
    Ok(match intent.status.as_str() {
        "requires_action" | "requires_confirmation" => Outcome::Authenticate,
        _ => Outcome::Open(intent.last_error.clone()),
    })
}

fn truncate(message: &str) -> String {
    message.chars().take(500).collect()
}
