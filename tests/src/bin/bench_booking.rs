//! Confirmed hub bookings per second under contention: many employees, few
//! professionals, every employee confirming one free slot after another
//! (the slot may have just been taken by someone else, as on a busy day).
//! Reported in docs/benchmarks.md.
//!
//! cargo run --release -p hearth-tests --bin bench-booking -- [--clients 64] [--professionals 4] [--seconds 20]

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
    /// How long to run.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Arc::new(TestDb::empty_with_pool_size(16).await);
    hearth_admin::migrate_all(
        &db.pool,
        &hearth_tenants::TenantMigrator::embedded(),
        hearth_tests::quiet(),
    )
    .await?;
    let hub = db.hub("bench", "Bench Ltd").await;
    fixtures::in_hub(
        &db.pool,
        &hub,
        "UPDATE hub_settings SET credits_per_period = 100000",
        None,
    )
    .await;
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
        fixtures::on_roster(&db.pool, &hub, pro).await;
        services.push((pro, service));
    }
    // The booking emails are written to the outbox in each booking's
    // transaction, as always; delivering them is not what is measured.
    let pool = db.pool.clone();
    let app =
        Arc::new(TestApp::spawn_configured(Arc::clone(&db), pool, |c| c.mail_worker = false).await);
    let base = format!("{}/h/bench", app.address);
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
        let user =
            fixtures::user(&db.pool, &format!("e{c}@bench.example"), "Employee", "UTC").await;
        fixtures::member(&db.pool, &hub, user).await;
        browsers.push(fixtures::browser_for(&db.pool, &base, user).await);
    }
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
    let appointments: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments")
        .fetch_one(&db.pool)
        .await?;
    println!(
        "{} employees, {} professionals, {:.1} s: {} bookings confirmed ({:.1}/s), {} refused as taken, {} answered 503 (busy); \
         confirm latency p50 {:.1} ms, p99 {:.1} ms; appointments in the database: {}",
        args.clients,
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
