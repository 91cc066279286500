//! Refunds of a paid bill, in full or in part: written first (pending) on
//! the bill's locked row, so two refunds at once never exceed what was paid;
//! then sent to Stripe with the refund's own id as the idempotency key; then
//! applied to the bill once, when Stripe says it succeeded (at once, or later
//! by a verified event). Pending refunds left by a stopped node are sent by
//! the payments worker.

use uuid::Uuid;

use super::bills;
use crate::stripe_api::{self, StripeFailure};
use crate::web::error::AppError;
use crate::web::money::money;
use crate::web::state::AppState;

/// Why a refund was not made.
#[derive(Debug, thiserror::Error)]
pub enum RefundError {
    /// More than what is left to refund (or nothing was paid).
    #[error("too much")]
    TooMuch {
        /// What may still be refunded, in minor units.
        left: i64,
    },
    /// Stripe refused it; its words.
    #[error("refused: {0}")]
    Refused(String),
    /// Anything else.
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<sqlx::Error> for RefundError {
    fn from(e: sqlx::Error) -> Self {
        Self::App(e.into())
    }
}

/// Records a refund of `amount` of bill `bill_id` (pending), if that much is
/// left to refund.
pub async fn request(
    state: &AppState,
    bill_id: Uuid,
    amount: i64,
    by: Uuid,
) -> Result<Uuid, RefundError> {
    let mut tx = state.pool.begin().await?;
    let bill = sqlx::query!(
        "SELECT status, total_minor, refunded_minor FROM bills WHERE id = $1 FOR UPDATE",
        bill_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let pending: i64 = sqlx::query_scalar!(
        "SELECT coalesce(sum(amount_minor), 0)::bigint AS \"sum!\" FROM bill_refunds \
         WHERE bill_id = $1 AND status = 'pending'",
        bill_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let left = if matches!(bill.status.as_str(), "paid" | "partly_refunded") {
        bill.total_minor - bill.refunded_minor - pending
    } else {
        0
    };
    if amount <= 0 || amount > left {
        return Err(RefundError::TooMuch { left: left.max(0) });
    }
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO bill_refunds (id, bill_id, amount_minor, reason, created_by) \
         VALUES ($1, $2, $3, 'requested', $4)",
        id,
        bill_id,
        amount,
        by
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sends pending refund `id` to Stripe and applies it when Stripe says it
/// succeeded. Its row is locked meanwhile (another node's worker skips it).
/// Ok(false) when there was nothing to send.
pub async fn send(state: &AppState, id: Uuid) -> Result<bool, RefundError> {
    let Some(stripe) = state.stripe.as_ref() else {
        return Ok(false);
    };
    let mut tx = state.pool.begin().await?;
    let Some(refund) = sqlx::query!(
        "SELECT r.bill_id, r.amount_minor, b.currency, p.payment_intent_id \
         FROM bill_refunds r JOIN bills b ON b.id = r.bill_id \
         LEFT JOIN bill_payments p ON p.bill_id = r.bill_id \
         WHERE r.id = $1 AND r.status = 'pending' AND r.stripe_refund_id IS NULL \
         FOR UPDATE OF r SKIP LOCKED",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    let Some(intent) = refund.payment_intent_id else {
        sqlx::query!(
            "UPDATE bill_refunds SET status = 'failed' WHERE id = $1",
            id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        return Err(RefundError::Refused("the bill was not paid by card".into()));
    };
    let outcome = stripe
        .refund(
            &intent,
            stripe_api::to_stripe(refund.amount_minor, &refund.currency),
            &format!("hearth-refund-{id}"),
        )
        .await;
    match outcome {
        Ok(done) => {
            sqlx::query!(
                "UPDATE bill_refunds SET stripe_refund_id = $2 WHERE id = $1",
                id,
                &done.id
            )
            .execute(&mut *tx)
            .await?;
            match done.status.as_str() {
                "succeeded" => {
                    apply(state, &mut tx, &done.id).await?;
                }
                "failed" | "canceled" => {
                    sqlx::query!(
                        "UPDATE bill_refunds SET status = 'failed' WHERE id = $1",
                        id
                    )
                    .execute(&mut *tx)
                    .await?;
                }
                // pending: a verified event applies it later.
                _ => {}
            }
            tx.commit().await?;
            Ok(true)
        }
        Err(StripeFailure::Refused { message, .. }) => {
            sqlx::query!(
                "UPDATE bill_refunds SET status = 'failed' WHERE id = $1",
                id
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Err(RefundError::Refused(message))
        }
        // Unreachable Stripe: stays pending, the worker tries again.
        Err(StripeFailure::Unavailable(m)) => Err(RefundError::App(AppError::Internal(
            anyhow::anyhow!("Stripe unavailable: {m}"),
        ))),
    }
}

/// Applies the refund Stripe knows as `stripe_refund_id` to its bill, once:
/// the refund becomes succeeded and the bill's refunded amount and state
/// follow. The client is told by email in the same transaction.
pub async fn apply(
    state: &AppState,
    conn: &mut sqlx::PgConnection,
    stripe_refund_id: &str,
) -> Result<bool, AppError> {
    let Some(refund) = sqlx::query!(
        "UPDATE bill_refunds SET status = 'succeeded', applied_at = now() \
         WHERE stripe_refund_id = $1 AND status = 'pending' RETURNING bill_id, amount_minor",
        stripe_refund_id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(false);
    };
    let bill = sqlx::query!(
        "UPDATE bills SET refunded_minor = refunded_minor + $2, \
            status = CASE WHEN refunded_minor + $2 = total_minor THEN 'refunded' ELSE 'partly_refunded' END, \
            updated_at = now() \
         WHERE id = $1 AND paid_at IS NOT NULL \
         RETURNING number, client_name, client_email, currency, \
                   (SELECT language FROM users WHERE users.id = bills.client_id) AS language",
        refund.bill_id,
        refund.amount_minor
    )
    .fetch_one(&mut *conn)
    .await?;
    let language = crate::i18n::supported(bill.language.as_deref().unwrap_or("en"))
        .unwrap_or(crate::i18n::FALLBACK);
    bills::tell(
        state,
        conn,
        "bill_refunded",
        refund.bill_id,
        &bill.client_email,
        &bill.client_name,
        language,
        &[
            ("number", bill.number.to_string()),
            (
                "amount",
                money(refund.amount_minor, &bill.currency, language),
            ),
        ],
    )
    .await?;
    metrics::counter!("hearth_refunds_total").increment(1);
    Ok(true)
}

/// Refunds still to send (left by a stopped node or an unreachable Stripe),
/// oldest first.
pub async fn unsent(state: &AppState) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "SELECT id FROM bill_refunds WHERE status = 'pending' AND stripe_refund_id IS NULL \
         AND created_at < now() - interval '30 seconds' ORDER BY created_at LIMIT 100"
    )
    .fetch_all(&state.pool)
    .await
}
