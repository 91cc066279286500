//! The reseller console (issue 15): onboarding a company from the form to
//! its hub page answering, and the reseller's company list with thousands of
//! companies, timed through the whole application. Reported in
//! docs/benchmarks.md.
//!
//! cargo build -p hearth-tests --bin bench-reseller && \
//!   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   $CARGO_TARGET_DIR/debug/bench-reseller [--companies 5000] [--onboardings 50] [--requests 50]
//!
//! It makes a fresh database (dropped at the end unless `--keep`), starts the
//! application in the process (mailing to a local capture server), and:
//! 1. onboards `--onboardings` companies one after the other on an empty
//!    platform, each timed from the form's POST until the new hub's page
//!    answers 200;
//! 2. makes `--companies` hubs of the same reseller (rows, schemas and
//!    migrations, in parallel batches), every `--busy-every`-th with members,
//!    credits granted and sessions over the last twelve months, this month's
//!    included;
//! 3. onboards `--onboardings` more companies, now beside those hubs;
//! 4. times `--requests` requests of the company list: the first page, a deep
//!    page, and searches.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use hearth_tenants::{TenantId, TenantMigrator};
use hearth_tests::browser::{csrf_of, location, Browser};
use hearth_tests::fixtures::{session_token, user};
use hearth_tests::smtp::SmtpServer;
use hearth_tests::{TestApp, TestDb};
use sqlx::PgPool;

#[derive(Parser)]
struct Args {
    /// Companies (hubs) of the reseller for the list.
    #[arg(long, default_value_t = 5_000)]
    companies: i64,
    /// Onboardings timed, before and again after the companies are made.
    #[arg(long, default_value_t = 50)]
    onboardings: usize,
    /// Timed requests of each list page.
    #[arg(long, default_value_t = 50)]
    requests: usize,
    /// Every this many hubs has members and sessions (the others are new).
    #[arg(long, default_value_t = 5)]
    busy_every: i64,
    /// Members of each busy hub.
    #[arg(long, default_value_t = 20)]
    members: i64,
    /// Parallel connections making the hubs (a hub's foreign keys lock the
    /// shared tables they reference until commit, so more wait more).
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Hubs made in one transaction.
    #[arg(long, default_value_t = 25)]
    batch: usize,
    /// Keeps the database afterwards (to EXPLAIN its queries, or `--reuse`).
    #[arg(long)]
    keep: bool,
    /// Measures again on database NAME, kept by an earlier `--keep` run:
    /// its companies are not made again, and it is kept.
    #[arg(long, value_name = "NAME")]
    reuse: Option<String>,
}

/// The `p`-th percentile of sorted `samples`, nearest rank.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Prints `samples` (milliseconds) as one line of percentiles.
fn report(what: &str, mut samples: Vec<f64>) {
    samples.sort_by(f64::total_cmp);
    println!(
        "{what}: n={} p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        samples.len(),
        percentile(&samples, 50.0),
        percentile(&samples, 95.0),
        percentile(&samples, 99.0),
        samples.last().copied().unwrap_or(f64::NAN)
    );
}

/// Milliseconds in `d`.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Arc::new(match &args.reuse {
        Some(name) => TestDb::existing(name, 8).await?,
        None => TestDb::new().await,
    });
    println!("database {}", db.name);
    let pool = db.pool.clone();
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn_mailing(Arc::clone(&db), &smtp).await;

    let (reseller, rita) = match &args.reuse {
        Some(_) => sqlx::query_as::<_, (i64, uuid::Uuid)>(
            "SELECT r.id, a.user_id FROM resellers r JOIN reseller_admins a ON a.reseller_id = r.id \
             WHERE r.slug = 'nordic'",
        )
        .fetch_one(&pool)
        .await?,
        None => {
            let rita = user(&pool, "rita@nordic.example", "Rita Reseller", "UTC").await;
            let reseller: i64 = sqlx::query_scalar(
                "INSERT INTO resellers (slug, name) VALUES ('nordic', 'Nordic Wellbeing') RETURNING id",
            )
            .fetch_one(&pool)
            .await?;
            sqlx::query("INSERT INTO reseller_admins (reseller_id, user_id) VALUES ($1, $2)")
                .bind(reseller)
                .bind(rita)
                .execute(&pool)
                .await?;
            (reseller, rita)
        }
    };
    let browser = Browser::with_session(app.address.clone(), &session_token(&pool, rita).await);
    let form = browser.get("/reseller/companies/new").await;
    anyhow::ensure!(form.status() == 200, "the form: {}", form.status());
    let token = csrf_of(&form.text().await?);
    let later = if args.reuse.is_none() {
        // 1. Onboarding on an empty platform.
        let (post, total) = onboard(&browser, &token, "first", args.onboardings).await?;
        report(
            "onboarding, empty platform: POST /reseller/companies/new",
            post,
        );
        report(
            "onboarding, empty platform: POST until the hub page answers",
            total,
        );

        // 2. The reseller's companies.
        let started = Instant::now();
        make_hubs(&pool, reseller, &args).await?;
        println!(
            "{} companies made in {:.1} s",
            args.companies,
            started.elapsed().as_secs_f64()
        );
        let started = Instant::now();
        fill_hubs(&pool, reseller, &args).await?;
        println!(
            "members, credits and sessions of every {}th company made in {:.1} s",
            args.busy_every,
            started.elapsed().as_secs_f64()
        );
        "later".to_owned()
    } else {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs();
        format!("again{stamp}")
    };

    // 3. Onboarding beside them.
    let hubs: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants")
        .fetch_one(&pool)
        .await?;
    let (post, total) = onboard(&browser, &token, &later, args.onboardings).await?;
    report(
        &format!("onboarding beside {hubs} hubs: POST /reseller/companies/new"),
        post,
    );
    report(
        &format!("onboarding beside {hubs} hubs: POST until the hub page answers"),
        total,
    );

    // 4. The list.
    let companies: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants WHERE reseller_id = $1")
        .bind(reseller)
        .fetch_one(&pool)
        .await?;
    let deep = (companies - 1) / 50 + 1;
    let deep_page = format!("/reseller?page={deep}");
    let middle_page = format!("/reseller?page={}", deep / 2);
    println!("the list: {companies} companies, {deep} pages");
    for path in [
        "/reseller",
        &middle_page,
        &deep_page,
        "/reseller?q=company%200123",
        "/reseller?q=compan&page=20",
    ] {
        // The first request of a page is timed apart: the node's
        // connections may not have read those hubs' tables yet.
        let t = Instant::now();
        let r = browser.get(path).await;
        anyhow::ensure!(r.status() == 200, "{path}: {}", r.status());
        let body = r.text().await?;
        let first = ms(t.elapsed());
        let listed = body.matches("/suspend\"").count() + body.matches("/resume\"").count();
        let mut samples = Vec::with_capacity(args.requests);
        for _ in 0..args.requests {
            let t = Instant::now();
            let r = browser.get(path).await;
            let _ = r.bytes().await?;
            samples.push(ms(t.elapsed()));
        }
        report(
            &format!("GET {path} ({listed} listed; first {first:.1} ms)"),
            samples,
        );
    }

    drop(app);
    if args.keep || args.reuse.is_some() {
        println!("kept database {}", db.name);
    } else {
        hearth_tests::drop_database(&db).await;
    }
    Ok(())
}

/// Onboards `count` companies one after the other: the time of each POST,
/// and of each POST until its hub's page answered 200 (milliseconds).
async fn onboard(
    browser: &Browser,
    token: &str,
    prefix: &str,
    count: usize,
) -> anyhow::Result<(Vec<f64>, Vec<f64>)> {
    let bar = indicatif::ProgressBar::new(count as u64);
    bar.set_message(format!("onboarding ({prefix})"));
    let mut post = Vec::with_capacity(count);
    let mut total = Vec::with_capacity(count);
    for i in 0..count {
        let slug = format!("{prefix}-{i:04}");
        let name = format!("Onboarded {prefix} {i:04}");
        let email = format!("hr@{slug}.example");
        let started = Instant::now();
        let r = browser
            .post(
                "/reseller/companies/new",
                token,
                &[
                    ("name", &name),
                    ("slug", &slug),
                    ("plan", "standard"),
                    ("email", &email),
                    ("credits", "10"),
                    ("period", "12"),
                ],
            )
            .await;
        anyhow::ensure!(
            r.status() == 303 && location(&r).contains("done=onboarded"),
            "onboarding {slug}: {}",
            location(&r)
        );
        post.push(ms(started.elapsed()));
        let page = browser.get(&format!("/h/{slug}/")).await;
        anyhow::ensure!(
            page.status() == 200,
            "the hub page of {slug}: {}",
            page.status()
        );
        let _ = page.bytes().await?;
        total.push(ms(started.elapsed()));
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok((post, total))
}

/// Makes the reseller's `--companies` hubs: their rows at once, then their
/// schemas in batches over `--jobs` connections (what provisioning does for
/// one, without waiting for each commit to reach the disk).
async fn make_hubs(pool: &PgPool, reseller: i64, args: &Args) -> anyhow::Result<()> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO tenants (slug, name, reseller_id) \
         SELECT 'company-' || lpad(i::text, 5, '0'), \
                'Company ' || lpad(i::text, 5, '0') || ' ' || (ARRAY['Ltd', 'AB', 'Oy', 'GmbH', 'AS'])[1 + i % 5], $2 \
         FROM generate_series(1, $1) i RETURNING id",
    )
    .bind(args.companies)
    .bind(reseller)
    .fetch_all(pool)
    .await?;
    let migrator = Arc::new(TenantMigrator::embedded());
    let queue = Arc::new(std::sync::Mutex::new(
        ids.chunks(args.batch.max(1))
            .map(<[i64]>::to_vec)
            .collect::<Vec<_>>(),
    ));
    let bar = indicatif::ProgressBar::new(ids.len() as u64);
    bar.set_message("hub schemas");
    let mut tasks = Vec::new();
    for _ in 0..args.jobs.max(1) {
        let (pool, migrator, queue, bar) = (
            pool.clone(),
            Arc::clone(&migrator),
            Arc::clone(&queue),
            bar.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let next = queue
                    .lock()
                    .map_err(|_| anyhow::anyhow!("queue poisoned"))?
                    .pop();
                let Some(batch) = next else {
                    return anyhow::Ok(());
                };
                let mut tx = pool.begin().await?;
                sqlx::query("SET LOCAL synchronous_commit = off")
                    .execute(&mut *tx)
                    .await?;
                for id in &batch {
                    migrator.apply(&mut tx, TenantId(*id), 0).await?;
                }
                tx.commit().await?;
                bar.inc(batch.len() as u64);
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    bar.finish_and_clear();
    Ok(())
}

/// Members, their credits this period and sessions for every
/// `--busy-every`-th company: each member granted 10 credits, three sessions
/// a member over the last eleven months and one this month for every other
/// member (a tenth of them cancelled), each confirmed one debited.
async fn fill_hubs(pool: &PgPool, reseller: i64, args: &Args) -> anyhow::Result<()> {
    let bar = indicatif::ProgressBar::new(4);
    bar.set_message("people and sessions");
    sqlx::query(
        "CREATE UNLOGGED TABLE bench_members (tenant_id bigint NOT NULL, user_id uuid NOT NULL, n int NOT NULL)",
    )
    .execute(pool)
    .await?;
    sqlx::query(
        "WITH busy AS (SELECT id, row_number() OVER (ORDER BY id) AS h FROM tenants \
                       WHERE reseller_id = $1 AND slug LIKE 'company-%' \
                         AND substr(slug, 9)::int % $2 = 0), \
              people AS (SELECT b.id AS tenant_id, gen_random_uuid() AS user_id, k AS n, b.h \
                         FROM busy b, generate_series(1, $3) k), \
              u AS (INSERT INTO users (id, email, name, email_verified_at, timezone) \
                    SELECT user_id, 'm' || n || '-' || tenant_id || '@busy.example', 'Member ' || n, now(), 'UTC' \
                    FROM people RETURNING id) \
         INSERT INTO bench_members SELECT tenant_id, user_id, n FROM people",
    )
    .bind(reseller)
    .bind(args.busy_every.max(1))
    .bind(args.members)
    .execute(pool)
    .await?;
    sqlx::query("CREATE INDEX ON bench_members (tenant_id)")
        .execute(pool)
        .await?;
    bar.inc(1);
    // 200 professionals; appointment k is professional k % 200's, a day
    // (past) or an hour (this month) after their previous one: no overlap.
    sqlx::query(
        "WITH u AS (INSERT INTO users (id, email, name, email_verified_at, timezone) \
           SELECT gen_random_uuid(), 'pro' || i || '@busy.example', 'Pro ' || i, now(), 'UTC' \
           FROM generate_series(1, 200) i RETURNING id) \
         INSERT INTO professionals (user_id, title, verified_at) SELECT id, 'Psychologist', now() FROM u",
    )
    .execute(pool)
    .await?;
    sqlx::query(
        "CREATE UNLOGGED TABLE bench_sessions (tenant_id bigint NOT NULL, id uuid NOT NULL, client_id uuid NOT NULL, \
           starts_at timestamptz NOT NULL, confirmed boolean NOT NULL)",
    )
    .execute(pool)
    .await?;
    sqlx::query(
        "WITH past AS (SELECT m.tenant_id, m.user_id, row_number() OVER (ORDER BY m.tenant_id, m.n, r) - 1 AS k \
                       FROM bench_members m, generate_series(1, 3) r), \
              this AS (SELECT m.tenant_id, m.user_id, row_number() OVER (ORDER BY m.tenant_id, m.n) - 1 AS k \
                       FROM bench_members m WHERE m.n % 2 = 0), \
              s AS (SELECT tenant_id, user_id, k, \
                      date_trunc('month', now()) - interval '330 days' + (k / 200) * interval '1 day' AS at FROM past \
                    UNION ALL \
                    SELECT tenant_id, user_id, k, \
                      date_trunc('month', now()) + (k / 200) * interval '1 hour' FROM this) \
         INSERT INTO bench_sessions \
         SELECT s.tenant_id, gen_random_uuid(), s.user_id, s.at, s.k % 10 <> 0 FROM s",
    )
    .execute(pool)
    .await?;
    sqlx::query(
        "WITH pros AS (SELECT user_id, row_number() OVER (ORDER BY user_id) - 1 AS p FROM professionals), \
              s AS (SELECT b.*, row_number() OVER (PARTITION BY b.starts_at ORDER BY b.id) - 1 AS slot FROM bench_sessions b) \
         INSERT INTO appointments (id, professional_id, client_id, tenant_id, service_name, mode, session_type, \
           starts_at, ends_at, blocked_until, status, cancelled_at, credits, reminded_24h_at, reminded_1h_at) \
         SELECT s.id, p.user_id, s.client_id, s.tenant_id, 'Talk', 'video', 'individual', \
           s.starts_at, s.starts_at + interval '50 minutes', s.starts_at + interval '50 minutes', \
           CASE WHEN s.confirmed THEN 'confirmed' ELSE 'cancelled' END, CASE WHEN s.confirmed THEN NULL ELSE now() END, 1, \
           CASE WHEN s.starts_at < now() THEN s.starts_at - interval '1 day' END, \
           CASE WHEN s.starts_at < now() THEN s.starts_at - interval '1 hour' END \
         FROM s JOIN pros p ON p.p = s.slot",
    )
    .execute(pool)
    .await?;
    sqlx::query("CREATE INDEX ON bench_sessions (tenant_id)")
        .execute(pool)
        .await?;
    bar.inc(1);
    let busy: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT tenant_id FROM bench_members")
        .fetch_all(pool)
        .await?;
    bar.set_length(2 + busy.len() as u64 + 1);
    for id in busy {
        let schema = format!("t_{id}");
        let mut tx = pool.begin().await?;
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!(
            "UPDATE {schema}.hub_settings SET credits_per_period = 10, period_months = 12, \
               period_anchor = date_trunc('year', now())::date"
        ))
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "INSERT INTO {schema}.members (user_id, joined_at) \
             SELECT user_id, now() - interval '1 year' FROM bench_members WHERE tenant_id = $1"
        ))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "INSERT INTO {schema}.hub_bookings (appointment_id, user_id, credits, period_start, settled) \
             SELECT id, client_id, 1, date_trunc('year', starts_at)::date, CASE WHEN confirmed THEN NULL ELSE 'refunded' END \
             FROM bench_sessions WHERE tenant_id = $1"
        ))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "INSERT INTO {schema}.credit_balances (user_id, balance, period_start) \
             SELECT user_id, 10, date_trunc('year', now())::date FROM {schema}.members"
        ))
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "INSERT INTO {schema}.credit_ledger (user_id, kind, amount, balance_after, period_start, at) \
             SELECT user_id, 'grant', 10, 10, date_trunc('year', now())::date, date_trunc('year', now()) FROM {schema}.members \
             UNION ALL \
             SELECT client_id, 'debit', -1, 9, date_trunc('year', now())::date, starts_at - interval '7 days' \
             FROM bench_sessions WHERE tenant_id = $1 AND confirmed AND starts_at >= date_trunc('year', now())"
        ))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        bar.inc(1);
    }
    sqlx::query("DROP TABLE bench_members, bench_sessions")
        .execute(pool)
        .await?;
    // The shared tables only: a database-wide ANALYZE would visit every
    // hub's tables too (minutes at 5,000 hubs).
    sqlx::query("ANALYZE tenants, users, member_directory, professionals, appointments")
        .execute(pool)
        .await?;
    bar.inc(1);
    bar.finish_and_clear();
    Ok(())
}
