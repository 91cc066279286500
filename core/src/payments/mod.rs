//! Payments: bills from professionals to their private clients, paid by
//! card through Stripe (`crate::stripe_api`).
//!
//! - `bills`: issuing a bill (numbered per professional without gaps) and
//!   moving it through its states once each;
//! - `charge`: taking a bill's money exactly once (one PaymentIntent a bill);
//! - `refunds`: refunds in full or in part, written before Stripe is asked;
//! - `webhook`: Stripe's signed events, each applied once;
//! - `client`: the client's Payments tab (bills, Pay, saved cards);
//! - `practice`: Payments in the practice (bills, refunds, statement,
//!   business details);
//! - `view`, `pdf`: a bill as a page and as a PDF bill or receipt;
//! - the worker: bills of sessions billed after they end, and refunds a
//!   stopped node left unsent.
//!
//! Hub-funded sessions (paid in credits) produce no bill.

pub mod bills;
pub mod charge;
pub mod client;
pub mod pdf;
pub mod practice;
pub mod refunds;
pub mod view;
pub mod webhook;

use std::time::Duration;

use axum::routing::post;
use axum::Router;
use tokio::task::JoinHandle;

use crate::web::authz::Routes;
use crate::web::state::AppState;

/// How often the worker looks for sessions to bill and refunds to send.
pub const INTERVAL: Duration = Duration::from_secs(30);

/// The Payments routes: a client's own bills and cards (`payments`), a
/// professional's bills and business details (`billing`).
pub fn routes() -> Routes {
    Routes::default()
        .get("/payments", "payments", client::page)
        .get("/payments/bills/{id}", "payments", client::bill_page)
        .get(
            "/payments/bills/{id}/bill.pdf",
            "payments",
            client::bill_pdf,
        )
        .get(
            "/payments/bills/{id}/receipt.pdf",
            "payments",
            client::receipt_pdf,
        )
        .get("/payments/bills/{id}/pay", "payments", client::pay_page)
        .post("/payments/bills/{id}/pay", "payments", client::pay)
        .get("/payments/bills/{id}/paid", "payments", client::returned)
        .post("/payments/cards", "payments", client::add_card)
        .get("/payments/cards/saved", "payments", client::card_saved)
        .post(
            "/payments/cards/{pm}/default",
            "payments",
            client::make_default,
        )
        .post("/payments/cards/{pm}/remove", "payments", client::remove)
        .get("/pro/payments", "billing", practice::page)
        .get("/pro/payments/bills/{id}", "billing", practice::bill_page)
        .get(
            "/pro/payments/bills/{id}/bill.pdf",
            "billing",
            practice::bill_pdf,
        )
        .post(
            "/pro/payments/bills/{id}/refund",
            "billing",
            practice::refund,
        )
        .get(
            "/pro/payments/statement.csv",
            "billing",
            practice::statement,
        )
        .get("/pro/billing", "billing", practice::business_page)
        .post("/pro/billing", "billing", practice::business_save)
}

/// Stripe's webhook: outside the session, CSRF and authorization layers
/// (its signature is its authentication), with a body limit of its own.
pub fn webhook_routes() -> Router<AppState> {
    Router::new()
        .route("/webhooks/stripe", post(webhook::receive))
        .layer(axum::extract::DefaultBodyLimit::max(webhook::MAX_BODY))
}

/// Runs [`pass`] every [`INTERVAL`] until the task is aborted.
pub fn spawn(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = pass(&state).await {
                tracing::warn!(error = %error, "payments worker: pass failed; retrying later");
            }
        }
    })
}

/// One pass: bills the sessions billed after they end that have ended, and
/// sends the refunds left pending. Any number of nodes may run it: each
/// appointment is billed under its professional's lock, each refund sent
/// under its own.
pub async fn pass(state: &AppState) -> anyhow::Result<usize> {
    let due: Vec<uuid::Uuid> = sqlx::query_scalar!(
        "SELECT a.id FROM appointments a \
         WHERE a.pay_when = 'after' AND a.status = 'confirmed' AND a.tenant_id IS NULL \
           AND a.price_minor > 0 AND a.client_id IS NOT NULL \
           AND a.ends_at <= now() AND a.ends_at > now() - interval '90 days' \
           AND NOT EXISTS (SELECT 1 FROM bills b WHERE b.appointment_id = a.id) \
         ORDER BY a.ends_at LIMIT 200"
    )
    .fetch_all(&state.pool)
    .await?;
    let mut done = 0;
    for id in due {
        let mut tx = state.pool.begin().await?;
        if bills::issue_for_appointment(state, &mut tx, id)
            .await?
            .is_some()
        {
            done += 1;
        }
        tx.commit().await?;
    }
    for id in refunds::unsent(state).await? {
        match refunds::send(state, id).await {
            Ok(true) => done += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, refund_id = %id, "a pending refund was not sent"),
        }
    }
    Ok(done)
}
