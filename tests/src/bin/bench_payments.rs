//! Payments under load, through the whole application: a professional with
//! 10,000 bills lists them (`GET /pro/payments`, each page of 50 with the
//! totals), and Stripe delivers 200 signed `payment_intent.succeeded`
//! events at once (each verified, stored and applied in one transaction,
//! the receipt written to the outbox). Reported in docs/benchmarks.md.
//!
//! cargo build -p hearth-tests --bin bench-payments && \
//!   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   $CARGO_TARGET_DIR/debug/bench-payments [--bills 10000] [--requests 200] [--deliveries 200]

use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use hearth_tests::browser::Browser;
use hearth_tests::fixtures::session_token;
use hearth_tests::{TestApp, TestDb};

#[derive(Parser)]
struct Args {
    /// Bills of the professional.
    #[arg(long, default_value_t = 10_000)]
    bills: i64,
    /// Timed requests of the bills page.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Webhook deliveries sent at once (each a different bill's payment).
    #[arg(long, default_value_t = 200)]
    deliveries: usize,
}

const SECRET: &str = "whsec_bench";

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// A `payment_intent.succeeded` event for intent `pi` of bill `bill`.
fn event(n: usize, pi: &str, bill: &str, amount: i64) -> String {
    serde_json::json!({
        "id": format!("evt_bench_{n}"),
        "object": "event",
        "api_version": "2026-09-30.endive",
        "created": chrono::Utc::now().timestamp(),
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": "payment_intent.succeeded",
        "data": { "object": {
            "id": pi, "object": "payment_intent", "amount": amount, "amount_capturable": 0,
            "amount_received": amount, "capture_method": "automatic", "client_secret": format!("{pi}_secret_x"),
            "confirmation_method": "automatic", "created": 1_700_000_000, "currency": "eur",
            "livemode": false, "metadata": { "bill_id": bill }, "payment_method_types": ["card"],
            "status": "succeeded"
        }}
    })
    .to_string()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Arc::new(TestDb::new().await);
    println!("database {}", db.name);
    let pool = db.pool.clone();
    let bar = indicatif::ProgressBar::new(3);
    bar.set_message("a professional and their clients");
    let pro =
        hearth_tests::fixtures::professional(&pool, "pro@bench.test", "Pro", "UTC", 0, &[]).await;
    sqlx::query(
        "INSERT INTO users (id, email, name, email_verified_at, timezone) \
         SELECT gen_random_uuid(), 'client' || i || '@bench.test', 'Client ' || i, now(), 'UTC' \
         FROM generate_series(1, 500) i",
    )
    .execute(&pool)
    .await?;
    bar.inc(1);
    bar.set_message("bills");
    sqlx::query(
        "WITH c AS (SELECT id, name, email, row_number() OVER (ORDER BY id) - 1 AS n FROM users WHERE email LIKE 'client%@bench.test') \
         INSERT INTO bills (id, professional_id, number, client_id, client_name, client_email, seller_name, \
                            currency, subtotal_minor, tax_minor, total_minor, status, issued_on, due_on, paid_at) \
         SELECT gen_random_uuid(), $1, i, c.id, c.name, c.email, 'Pro', 'EUR', 1250, 0, 1250, \
                CASE WHEN i % 3 = 0 THEN 'paid' ELSE 'open' END, \
                current_date - (i / 20)::int, current_date - (i / 20)::int + 14, \
                CASE WHEN i % 3 = 0 THEN now() END \
         FROM generate_series(1, $2) i JOIN c ON c.n = i % 500",
    )
    .bind(pro)
    .bind(args.bills)
    .execute(&pool)
    .await?;
    sqlx::query("UPDATE professionals SET last_bill_number = $2 WHERE user_id = $1")
        .bind(pro)
        .bind(i32::try_from(args.bills)?)
        .execute(&pool)
        .await?;
    sqlx::query(
        "INSERT INTO bill_lines (bill_id, position, description, quantity, unit_minor, amount_minor) \
         SELECT id, 1, 'Session', 1, 1250, 1250 FROM bills",
    )
    .execute(&pool)
    .await?;
    sqlx::query(
        "INSERT INTO bill_payments (bill_id, payment_intent_id, status) \
         SELECT id, 'pi_bench_' || number, 'requires_payment_method' FROM bills WHERE status = 'open'",
    )
    .execute(&pool)
    .await?;
    sqlx::query("ANALYZE").execute(&pool).await?;
    bar.inc(1);
    bar.finish_and_clear();

    let app = TestApp::spawn_configured(Arc::clone(&db), pool.clone(), |c| {
        c.booking_reminders = false;
        c.mail_worker = false;
        c.stripe_secret_key = Some("sk_test_bench".to_owned().into());
        c.stripe_publishable_key = Some("pk_test_bench".to_owned());
        c.stripe_webhook_secret = Some(SECRET.to_owned().into());
        // Never called: the webhook and the list ask Stripe nothing.
        c.stripe_api_base = "http://127.0.0.1:9/".to_owned();
    })
    .await;

    // The professional's bills, page after page.
    let browser = Browser::with_session(&app.address, &session_token(&pool, pro).await);
    for _ in 0..5 {
        browser.page("/pro/payments").await;
    }
    let pages = i64::max(1, args.bills / 50).min(200);
    let mut samples = Vec::with_capacity(args.requests);
    let started = Instant::now();
    for i in 0..args.requests {
        let page = (i as i64 % pages) + 1;
        let t = Instant::now();
        let r = browser.get(&format!("/pro/payments?page={page}")).await;
        assert_eq!(r.status(), 200);
        r.bytes().await?;
        samples.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let total = started.elapsed().as_secs_f64();
    samples.sort_by(f64::total_cmp);
    println!(
        "GET /pro/payments with {} bills: {} requests, p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, {:.0} pages/s ({:.0} bills listed/s)",
        args.bills,
        args.requests,
        percentile(&samples, 50.0),
        percentile(&samples, 95.0),
        percentile(&samples, 99.0),
        args.requests as f64 / total,
        args.requests as f64 * 50.0 / total,
    );

    // 200 signed events at once, each paying a different open bill.
    let open: Vec<(String, String)> = sqlx::query_as(
        "SELECT b.id::text, p.payment_intent_id FROM bills b JOIN bill_payments p ON p.bill_id = b.id \
         WHERE b.status = 'open' ORDER BY b.number LIMIT $1",
    )
    .bind(i64::try_from(args.deliveries)?)
    .fetch_all(&pool)
    .await?;
    let now = chrono::Utc::now().timestamp();
    let http = reqwest::Client::new();
    let url = format!("{}/webhooks/stripe", app.address);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (n, (bill, pi)) in open.iter().enumerate() {
        let body = event(n, pi, bill, 1250);
        let signature = hearth_tests::stripe::sign(&body, SECRET, now);
        let http = http.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let r = http
                .post(url)
                .header("stripe-signature", signature)
                .body(body)
                .send()
                .await
                .expect("delivery");
            let ok = r.status() == 200 && r.text().await.unwrap_or_default() == "applied";
            (t.elapsed(), ok)
        }));
    }
    let mut latencies = Vec::new();
    let mut applied = 0;
    for task in tasks {
        let (elapsed, ok) = task.await?;
        latencies.push(elapsed.as_secs_f64() * 1000.0);
        applied += usize::from(ok);
    }
    let wall = started.elapsed();
    latencies.sort_by(f64::total_cmp);
    let paid: i64 = sqlx::query_scalar("SELECT count(*) FROM stripe_events")
        .fetch_one(&pool)
        .await?;
    println!(
        "{} webhook deliveries at once: {applied} applied ({paid} events stored), p50 {:.1} ms, p99 {:.1} ms, all in {:.2} s",
        open.len(),
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        wall.as_secs_f64(),
    );
    Ok(())
}
