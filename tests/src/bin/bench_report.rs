//! The HR report of a big hub: 10,000 members and 100,000 sessions over the
//! twelve months it covers (with their credit ledger and video attendance,
//! and the report's roll-up counted from them), timed as an HR admin's
//! `GET /admin/report` and `GET /admin/report.csv` through the whole
//! application. Reported in docs/benchmarks.md.
//!
//! cargo build -p hearth-tests --bin bench-report && \
//!   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   $CARGO_TARGET_DIR/debug/bench-report [--members 10000] [--sessions 100000] [--requests 50]

use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use hearth_tests::browser::Browser;
use hearth_tests::fixtures::session_token;
use hearth_tests::{TestApp, TestDb};

#[derive(Parser)]
struct Args {
    /// Members of the hub.
    #[arg(long, default_value_t = 10_000)]
    members: i64,
    /// Sessions over the last twelve months.
    #[arg(long, default_value_t = 100_000)]
    sessions: i64,
    /// Timed requests of each page.
    #[arg(long, default_value_t = 50)]
    requests: usize,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Arc::new(TestDb::new().await);
    println!("database {}", db.name);
    let hub = db.hub("big", "Big Company").await;
    let schema = hub.schema().as_str().to_owned();
    let pool = db.pool.clone();
    let started = Instant::now();
    let bar = indicatif::ProgressBar::new(7);
    bar.set_message("users and members");
    sqlx::query(
        "INSERT INTO users (id, email, name, email_verified_at, timezone, created_at) \
         SELECT gen_random_uuid(), 'member' || i || '@big.test', 'Member ' || i, now(), 'UTC', now() - interval '400 days' \
         FROM generate_series(1, $1) i",
    )
    .bind(args.members)
    .execute(&pool)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO {schema}.members (user_id, joined_at) \
         SELECT id, now() - (random() * interval '400 days') FROM users WHERE email LIKE '%@big.test'"
    ))
    .execute(&pool)
    .await?;
    bar.inc(1);
    bar.set_message("professionals");
    // 100 professionals, each with sessions 8 hours apart (no overlap).
    sqlx::query(
        "WITH u AS (INSERT INTO users (id, email, name, email_verified_at, timezone) \
           SELECT gen_random_uuid(), 'pro' || i || '@big.test', 'Pro ' || i, now(), 'UTC' FROM generate_series(1, 100) i RETURNING id) \
         INSERT INTO professionals (user_id, title, verified_at) SELECT id, 'Psychologist', now() FROM u",
    )
    .execute(&pool)
    .await?;
    bar.inc(1);
    bar.set_message("sessions");
    let per_pro = (args.sessions + 99) / 100;
    sqlx::query(&format!(
        "WITH pros AS (SELECT user_id, row_number() OVER (ORDER BY user_id) AS n FROM professionals), \
              mem AS (SELECT user_id, row_number() OVER (ORDER BY user_id) - 1 AS n FROM {schema}.members), \
              s AS (SELECT p.user_id AS pro, k, \
                      date_trunc('month', now()) - interval '11 months' + (k * interval '8 hours') + (p.n * interval '1 minute') AS at, \
                      ((p.n * {per_pro} + k) % (SELECT count(*) FROM mem)) AS member_n \
                    FROM pros p, generate_series(0, {per_pro} - 1) k) \
         INSERT INTO appointments (id, professional_id, client_id, tenant_id, service_name, mode, session_type, \
           starts_at, ends_at, blocked_until, status, cancelled_at, credits) \
         SELECT gen_random_uuid(), s.pro, m.user_id, {tenant}, 'Talk', \
           (ARRAY['video', 'video', 'phone', 'in_person'])[1 + k % 4], \
           (ARRAY['individual', 'individual', 'couples', 'family', 'group'])[1 + k % 5], \
           s.at, s.at + interval '50 minutes', s.at + interval '50 minutes', \
           CASE WHEN k % 10 = 0 THEN 'cancelled' ELSE 'confirmed' END, CASE WHEN k % 10 = 0 THEN now() END, 1 \
         FROM s JOIN mem m ON m.n = s.member_n",
        tenant = hub.id.0,
    ))
    .execute(&pool)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO {schema}.hub_bookings (appointment_id, user_id, credits, period_start) \
         SELECT id, client_id, 1, date_trunc('year', starts_at)::date FROM appointments WHERE tenant_id = {}",
        hub.id.0
    ))
    .execute(&pool)
    .await?;
    bar.inc(1);
    bar.set_message("attendance");
    sqlx::query(&format!(
        "INSERT INTO video_attendance (appointment_id, user_id, role, peer, joined_at, left_at) \
         SELECT id, client_id, 'client', gen_random_uuid(), starts_at, ends_at FROM appointments \
         WHERE tenant_id = {} AND mode = 'video' AND status = 'confirmed' AND ends_at < now() AND random() < 0.9",
        hub.id.0
    ))
    .execute(&pool)
    .await?;
    bar.inc(1);
    bar.set_message("the credit ledger");
    sqlx::query(&format!(
        "INSERT INTO {schema}.credit_balances (user_id, balance, period_start) \
         SELECT user_id, 100, date_trunc('year', now())::date FROM {schema}.members"
    ))
    .execute(&pool)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO {schema}.credit_ledger (user_id, kind, amount, balance_after, period_start, at) \
         SELECT user_id, 'grant', 100, 100, date_trunc('year', now())::date, date_trunc('year', now()) FROM {schema}.members \
         UNION ALL \
         SELECT b.user_id, 'debit', -1, 50, b.period_start, a.created_at FROM {schema}.hub_bookings b \
           JOIN appointments a ON a.id = b.appointment_id"
    ))
    .execute(&pool)
    .await?;
    // The hub's own period (a year from January): everyone is granted.
    sqlx::query(&format!(
        "UPDATE {schema}.hub_settings SET credits_per_period = 100, period_months = 12, \
           period_anchor = date_trunc('year', now())::date"
    ))
    .execute(&pool)
    .await?;
    bar.inc(1);
    // Written around the application: the report's roll-up is counted as
    // the migration counts an existing hub's.
    bar.set_message("the report's roll-up");
    let mut tx = hearth_tenants::TenantTx::begin(&pool, &hub).await?;
    let zone = hearth_core::credits::rollup::zone(&mut tx).await?;
    hearth_core::credits::rollup::rebuild(&mut tx, &zone).await?;
    tx.commit().await?;
    bar.inc(1);
    bar.set_message("statistics");
    sqlx::query("ANALYZE").execute(&pool).await?;
    bar.inc(1);
    bar.finish_and_clear();
    println!(
        "hub with {} members and {} sessions made in {:.1} s",
        args.members,
        args.sessions,
        started.elapsed().as_secs_f64()
    );

    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    let hr: uuid::Uuid = sqlx::query_scalar(&format!(
        "UPDATE {schema}.members SET role = 'hr_admin' WHERE user_id = \
           (SELECT user_id FROM {schema}.members ORDER BY user_id LIMIT 1) RETURNING user_id"
    ))
    .fetch_one(&pool)
    .await?;
    sqlx::query("INSERT INTO terms_acceptances (user_id, version) VALUES ($1, $2)")
        .bind(hr)
        .bind(hearth_core::web::session::TERMS_VERSION)
        .execute(&pool)
        .await?;
    let browser = Browser::with_session(
        format!("{}/h/big", app.address),
        &session_token(&pool, hr).await,
    );
    for path in ["/admin/report", "/admin/report.csv"] {
        // The first also posts any grant still due.
        let r = browser.get(path).await;
        anyhow::ensure!(r.status() == 200, "{path}: {}", r.status());
        let mut samples = Vec::with_capacity(args.requests);
        for _ in 0..args.requests {
            let t = Instant::now();
            let r = browser.get(path).await;
            let _ = r.bytes().await?;
            samples.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        samples.sort_by(f64::total_cmp);
        println!(
            "GET {path}: n={} p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            samples.len(),
            percentile(&samples, 50.0),
            percentile(&samples, 95.0),
            percentile(&samples, 99.0),
            samples.last().copied().unwrap_or(f64::NAN)
        );
    }
    Ok(())
}
