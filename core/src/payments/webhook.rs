//! `POST /webhooks/stripe`: Stripe's signed event deliveries. The signature
//! (HMAC-SHA256 of the timestamp and body with the endpoint's secret, at most
//! 5 minutes old) is verified before anything is read; each event id is
//! stored once, in the same transaction as the change it causes, so a
//! replayed or concurrent delivery changes nothing the second time. Emails
//! go to the outbox in that transaction: the answer never waits for SMTP.
//!
//! This route is outside the session and CSRF layers (Stripe has neither);
//! the signature is its authentication.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use stripe_webhook::EventObject;

use super::charge;
use super::refunds;
use crate::stripe_api::{Intent, WebhookRefusal};
use crate::web::state::AppState;

/// The largest delivery read (Stripe's events are a few KB).
pub const MAX_BODY: usize = 256 * 1024;

/// POST /webhooks/stripe
pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(stripe) = state.stripe.as_ref() else {
        return (StatusCode::NOT_FOUND, "payments are not configured").into_response();
    };
    let Some(signature) = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
    else {
        return (StatusCode::BAD_REQUEST, "missing Stripe-Signature").into_response();
    };
    let Ok(payload) = std::str::from_utf8(&body) else {
        return (StatusCode::BAD_REQUEST, "not UTF-8").into_response();
    };
    let event = match stripe.verify_event(payload, signature) {
        Ok(event) => event,
        Err(WebhookRefusal::NotConfigured) => {
            tracing::error!("a Stripe webhook arrived but no webhook secret is configured");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "webhook secret not configured",
            )
                .into_response();
        }
        Err(WebhookRefusal::BadSignature(why)) => {
            tracing::warn!(why, "Stripe webhook refused: signature");
            metrics::counter!("hearth_stripe_webhooks_total", "outcome" => "bad_signature")
                .increment(1);
            return (StatusCode::BAD_REQUEST, "bad signature").into_response();
        }
        Err(WebhookRefusal::Unreadable(why)) => {
            // Signed by Stripe but of a kind this build cannot read: telling
            // Stripe to retry would not help.
            tracing::warn!(why, "Stripe webhook: event not readable; ignored");
            return (StatusCode::OK, "ignored").into_response();
        }
    };
    match apply(&state, &event).await {
        Ok(applied) => {
            let outcome = if applied { "applied" } else { "duplicate" };
            metrics::counter!("hearth_stripe_webhooks_total", "outcome" => outcome).increment(1);
            (StatusCode::OK, outcome).into_response()
        }
        Err(error) => {
            // Not stored: Stripe delivers it again later.
            tracing::error!(event_id = event.id.as_str(), error = %error, "Stripe webhook failed; Stripe will retry");
            (StatusCode::INTERNAL_SERVER_ERROR, "try again").into_response()
        }
    }
}

/// Stores `event`'s id and applies it in one transaction; false when it was
/// already stored (a replay).
async fn apply(state: &AppState, event: &stripe_webhook::Event) -> anyhow::Result<bool> {
    let mut tx = state.pool.begin().await?;
    let fresh = sqlx::query!(
        "INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        event.id.as_str(),
        event.type_.as_str(),
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !fresh {
        return Ok(false);
    }
    match &event.data.object {
        EventObject::PaymentIntentSucceeded(pi)
        | EventObject::PaymentIntentPaymentFailed(pi)
        | EventObject::PaymentIntentRequiresAction(pi)
        | EventObject::PaymentIntentCanceled(pi) => {
            let intent = Intent::from((**pi).clone());
            let bill = sqlx::query_scalar!(
                "SELECT bill_id FROM bill_payments WHERE payment_intent_id = $1",
                &intent.id
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(bill_id) = bill {
                match charge::apply(state, &mut tx, bill_id, &intent).await {
                    // Logged by `apply`; retrying would not change it.
                    Ok(_) | Err(charge::PayError::Mismatch) => {}
                    Err(e) => return Err(anyhow::anyhow!("{e}")),
                }
            }
        }
        EventObject::RefundUpdated(refund)
        | EventObject::RefundCreated(refund)
        | EventObject::ChargeRefundUpdated(refund) => {
            if refund.status.as_deref() == Some("succeeded") {
                refunds::apply(state, &mut tx, refund.id.as_str()).await?;
            } else if matches!(refund.status.as_deref(), Some("failed" | "canceled")) {
                sqlx::query!(
                    "UPDATE bill_refunds SET status = 'failed' \
                     WHERE stripe_refund_id = $1 AND status = 'pending'",
                    refund.id.as_str()
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        EventObject::ChargeDisputeCreated(dispute) => {
            if let Some(pi) = &dispute.payment_intent {
                sqlx::query!(
                    "UPDATE bills SET disputed_at = now(), updated_at = now() \
                     WHERE id = (SELECT bill_id FROM bill_payments WHERE payment_intent_id = $1) \
                       AND disputed_at IS NULL",
                    pi.id().as_str()
                )
                .execute(&mut *tx)
                .await?;
                tracing::warn!(payment_intent = pi.id().as_str(), "a payment was disputed");
            }
        }
        _ => {}
    }
    tx.commit().await?;
    Ok(true)
}
