//! Confirmed hub bookings per second under contention: many employees in
//! one or several hubs, professionals on every hub's roster, every employee
//! confirming one free slot after another (the slot may have just been taken
//! by someone else, as on a busy day). Reported in docs/benchmarks.md, with
//! what each confirm cost the database: statements (from
//! `pg_stat_statements`, when the server loads it) and WAL syncs.
//!
//! cargo run --release -p hearth-tests --bin bench-booking -- [--clients 64] [--professionals 4] [--hubs 1] [--seconds 20] [--pool 16]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Duration as Span;
use clap::Parser;
use hearth_tests::browser::csrf_of;
use hearth_tests::fixtures::{self, monday_at, rfc};
use hearth_tests::{TestApp, TestDb};

#[derive(Parser)]
struct Args {
    /// Concurrent employees.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Professionals on the hub's roster.
    #[arg(long, default_value_t = 4)]
    professionals: usize,
    /// Hubs the employees are spread over (every professional is on each roster).
    #[arg(long, default_value_t = 1)]
    hubs: usize,
    /// How long to run.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// The server's pool of database connections.
    #[arg(long, default_value_t = 16)]
    pool: u32,
}

/// What the database did, cumulatively: statements sent (top-level: one
/// round trip each, BEGIN and COMMIT included) and those they ran inside
/// (foreign-key checks), when `pg_stat_statements` is loaded; WAL syncs.
async fn counters(pool: &sqlx::PgPool) -> (Option<(i64, i64)>, i64) {
    let statements: Option<(i64, i64)> = sqlx::query_as(
        "SELECT coalesce(sum(calls) FILTER (WHERE toplevel), 0)::int8, \
                coalesce(sum(calls) FILTER (WHERE NOT toplevel), 0)::int8 FROM pg_stat_statements \
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(pool)
    .await
    .ok();
    let syncs: i64 = sqlx::query_scalar("SELECT wal_sync FROM pg_stat_wal")
        .fetch_one(pool)
        .await
        .unwrap_or(0);
    (statements, syncs)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Arc::new(TestDb::empty_with_pool_size(args.pool).await);
    hearth_admin::migrate_all(
        &db.pool,
        &hearth_tenants::TenantMigrator::embedded(),
        hearth_tests::quiet(),
    )
    .await?;
    let mut hubs = Vec::new();
    for h in 0..args.hubs.max(1) {
        let hub = db
            .hub(&format!("bench{h}"), &format!("Bench {h} Ltd"))
            .await;
        fixtures::in_hub(
            &db.pool,
            &hub,
            "UPDATE hub_settings SET credits_per_period = 100000",
            None,
        )
        .await;
        hubs.push(hub);
    }
    let mut services = Vec::new();
    for p in 0..args.professionals {
        let pro = fixtures::professional(
            &db.pool,
            &format!("pro{p}@bench.example"),
            &format!("Pro {p}"),
            "UTC",
            0,
            &fixtures::all_week(),
        )
        .await;
        let service = fixtures::service(&db.pool, pro, "Session", 30, 1, "individual").await;
        for hub in &hubs {
            fixtures::on_roster(&db.pool, hub, pro).await;
        }
        services.push((pro, service));
    }
    // The booking emails are written to the outbox in each booking's
    // transaction, as always; delivering them is not what is measured.
    let pool = db.pool.clone();
    let app =
        Arc::new(TestApp::spawn_configured(Arc::clone(&db), pool, |c| c.mail_worker = false).await);
    let first = monday_at(1, 0, 0, chrono_tz::UTC);
    // Half-hour slots over 300 days: the professionals' calendars, shared by everyone.
    let slots = 300 * 48;
    let next_slot = Arc::new(AtomicUsize::new(0));
    let booked = Arc::new(AtomicUsize::new(0));
    let taken = Arc::new(AtomicUsize::new(0));
    // 503: no database connection came within the pool's acquire timeout.
    let busy = Arc::new(AtomicUsize::new(0));
    let mut browsers = Vec::new();
    for c in 0..args.clients {
        let hub = &hubs[c % hubs.len()];
        let base = format!("{}/h/{}", app.address, hub.slug);
        let user =
            fixtures::user(&db.pool, &format!("e{c}@bench.example"), "Employee", "UTC").await;
        fixtures::member(&db.pool, hub, user).await;
        browsers.push(fixtures::browser_for(&db.pool, &base, user).await);
    }
    // Each employee's first visit opens their account (the period's grant):
    // not what is measured.
    for browser in &browsers {
        let _ = browser.page("/").await;
    }
    // Counted when the server preloads pg_stat_statements (an error otherwise).
    let _ = sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .execute(&db.pool)
        .await;
    let _ = sqlx::query("SELECT pg_stat_statements_reset()")
        .execute(&db.pool)
        .await;
    let before = counters(&db.pool).await;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for (c, browser) in browsers.into_iter().enumerate() {
        let (services, next_slot, booked, taken, busy) = (
            services.clone(),
            Arc::clone(&next_slot),
            Arc::clone(&booked),
            Arc::clone(&taken),
            Arc::clone(&busy),
        );
        tasks.push(tokio::spawn(async move {
            let token = csrf_of(&browser.page("/").await);
            let mut latencies = Vec::new();
            let mut n = 0usize;
            while Instant::now() < deadline {
                // Two employees in three go for the slot the last one just took:
                // contention, as when a popular time opens.
                let slot = next_slot.load(Ordering::Relaxed) % slots;
                let (pro, service) = services[(c + n) % services.len()];
                n += 1;
                let start = first + Span::minutes(30 * i64::try_from(slot)?);
                let key = format!("bench-{c}-{n:010}");
                let t = Instant::now();
                let r = browser
                    .post(
                        &format!("/book/{pro}/{service}/confirm"),
                        &token,
                        &[("start", &rfc(start)), ("key", &key)],
                    )
                    .await;
                latencies.push(t.elapsed());
                match r.status().as_u16() {
                    303 => {
                        booked.fetch_add(1, Ordering::Relaxed);
                    }
                    409 => {
                        taken.fetch_add(1, Ordering::Relaxed);
                        next_slot.fetch_add(1, Ordering::Relaxed);
                    }
                    503 => {
                        busy.fetch_add(1, Ordering::Relaxed);
                    }
                    other => anyhow::bail!("unexpected status {other}"),
                }
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let after = counters(&db.pool).await;
    let appointments: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments")
        .fetch_one(&db.pool)
        .await?;
    let attempts = latencies.len().max(1) as f64;
    let per = |a: i64, b: i64| (a - b) as f64 / attempts;
    let statements = match (after.0, before.0) {
        (Some(a), Some(b)) => format!(
            "{:.1} sent, {:.1} run inside them",
            per(a.0, b.0),
            per(a.1, b.1)
        ),
        _ => "not counted (pg_stat_statements not loaded)".to_owned(),
    };
    println!(
        "per confirm (taken ones included): statements {statements}; WAL syncs {:.2}",
        per(after.1, before.1),
    );
    println!(
        "{} employees in {} hubs, {} professionals, {:.1} s: {} bookings confirmed ({:.1}/s), {} refused as taken, {} answered 503 (busy); \
         confirm latency p50 {:.1} ms, p99 {:.1} ms; appointments in the database: {}",
        args.clients,
        hubs.len(),
        args.professionals,
        elapsed,
        booked.load(Ordering::Relaxed),
        booked.load(Ordering::Relaxed) as f64 / elapsed,
        taken.load(Ordering::Relaxed),
        busy.load(Ordering::Relaxed),
        pct(0.5),
        pct(0.99),
        appointments
    );
    anyhow::ensure!(
        usize::try_from(appointments)? == booked.load(Ordering::Relaxed),
        "every confirmed booking is one appointment"
    );
    Ok(())
}
