//! Benchmarks of the tenancy engine, reported in docs/benchmarks.md.
//!
//! cargo run --release -p hearth-tests --bin bench-tenancy -- [--hubs 10000]
//!
//! Uses `DATABASE_URL`'s server (a fresh database on it, dropped at the end),
//! else the tests' private cluster.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use hearth_admin::migrate_all;
use hearth_tenants::db::PoolSettings;
use hearth_tenants::{create_tenant, NewTenant, TenantMigrator};
use hearth_tests::{hub_rows, quiet, tenant_migrations_copy, TestApp, TestDb};

#[derive(Parser)]
struct Args {
    /// Hubs for the bulk migration and memory runs.
    #[arg(long, default_value_t = 10_000)]
    hubs: usize,
    /// Hubs provisioned one by one for the latency run.
    #[arg(long, default_value_t = 500)]
    provision: usize,
    /// Hubs `hearth migrate` creates from nothing.
    #[arg(long, default_value_t = 1_000)]
    create: usize,
    /// Parallel hub migrations.
    #[arg(long, default_value_t = 4)]
    jobs: usize,
    /// Pool connections in the memory run.
    #[arg(long, default_value_t = 8)]
    connections: u32,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    println!(
        "server: {}",
        if std::env::var("DATABASE_URL").is_ok() {
            "DATABASE_URL"
        } else {
            "private test cluster (fsync off)"
        }
    );
    let options = hearth_admin::MigrateOptions {
        jobs: args.jobs,
        ..quiet()
    };

    // 1. Provisioning latency, one hub at a time.
    let db = TestDb::new().await;
    let migrator = TenantMigrator::embedded();
    let mut latencies = Vec::with_capacity(args.provision);
    for i in 0..args.provision {
        let started = Instant::now();
        create_tenant(
            &db.pool,
            &migrator,
            &NewTenant {
                slug: format!("prov-{i:05}"),
                name: format!("Hub {i}"),
                reseller_id: None,
            },
        )
        .await?;
        latencies.push(started.elapsed());
    }
    latencies.sort();
    println!(
        "provision {} hubs one by one: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        args.provision,
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default())
    );
    hearth_tests::drop_database(&db).await;

    // 2. `hearth migrate` making hubs from nothing.
    let db = TestDb::new().await;
    hub_rows(&db.pool, args.create).await;
    let report = migrate_all(&db.pool, &migrator, options).await?;
    println!(
        "migrate: create {} hubs from nothing ({} jobs): {:.1} s ({:.0} hubs/s)",
        report.hubs_migrated,
        args.jobs,
        secs(report.elapsed),
        report.hubs_migrated as f64 / secs(report.elapsed)
    );
    hearth_tests::drop_database(&db).await;

    // 3. One new migration over many existing hubs, then nothing to do.
    let db = Arc::new(TestDb::new().await);
    hub_rows(&db.pool, args.hubs).await;
    let made = migrate_all(&db.pool, &migrator, options).await?;
    println!(
        "migrate: create {} hubs from nothing: {:.1} s",
        made.hubs_migrated,
        secs(made.elapsed)
    );
    let dir = tenant_migrations_copy();
    std::fs::write(
        dir.path().join("20991231000000_bench_nickname.sql"),
        "ALTER TABLE members ADD COLUMN nickname text;\nCREATE INDEX members_nickname_idx ON members (nickname);\n",
    )?;
    let next = TenantMigrator::from_dir(dir.path()).await?;
    let applied = migrate_all(&db.pool, &next, options).await?;
    println!(
        "migrate: add a column and an index to {} hubs: {:.1} s ({:.1} ms a hub per job)",
        applied.hubs_migrated,
        secs(applied.elapsed),
        secs(applied.elapsed) * 1000.0 * args.jobs as f64 / applied.hubs_migrated.max(1) as f64
    );
    let idle = migrate_all(&db.pool, &next, options).await?;
    println!(
        "migrate: nothing to do over {} hubs: {:.3} s",
        args.hubs,
        secs(idle.elapsed)
    );

    // 4. Backend memory after requests touched every hub. Only the node's pool
    // stays connected, so every backend measured served hub pages.
    db.pool.close().await;
    for (label, limit) in [
        ("without recycling", u64::MAX),
        ("recycling at 48 MiB", 48 * 1024 * 1024),
    ] {
        let settings = PoolSettings {
            max_connections: args.connections,
            max_backend_memory: limit,
            memory_check_every: 50,
            ..PoolSettings::default()
        };
        let pool = hearth_tenants::db::connect(&db.url, &settings).await?;
        let node = TestApp::spawn_on_pool(Arc::clone(&db), pool.clone()).await;
        let started = Instant::now();
        let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM tenants ORDER BY id")
            .fetch_all(&pool)
            .await?;
        let node = Arc::new(node);
        let chunks: Vec<Vec<String>> = slugs
            .chunks(slugs.len().div_ceil(args.connections as usize).max(1))
            .map(<[String]>::to_vec)
            .collect();
        let mut tasks = Vec::new();
        for chunk in chunks {
            let node = Arc::clone(&node);
            tasks.push(tokio::spawn(async move {
                for slug in chunk {
                    let response = node.get_hub(&slug, "/").await;
                    assert_eq!(response.status(), 200);
                    let _ = response.bytes().await;
                }
            }));
        }
        for task in tasks {
            task.await?;
        }
        let elapsed = started.elapsed();
        let (count, total, largest) = backend_memory(&db.url, &db.name).await?;
        println!(
            "memory {label}: {} hub pages in {:.1} s ({:.0} req/s); {count} backends, private memory {:.0} MiB in all, largest {:.0} MiB",
            slugs.len(),
            secs(elapsed),
            slugs.len() as f64 / secs(elapsed),
            total as f64 / 1048576.0,
            largest as f64 / 1048576.0
        );
        pool.close().await;
    }
    if let Ok(db) = Arc::try_unwrap(db) {
        hearth_tests::drop_database(&db).await;
    }
    Ok(())
}

/// Private memory of the backends connected to database `name`, from /proc.
async fn backend_memory(url: &str, name: &str) -> anyhow::Result<(usize, u64, u64)> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let pids: Vec<i32> = sqlx::query_scalar(
        "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'hearth' AND pid <> pg_backend_pid()",
    )
    .bind(name)
    .fetch_all(&mut conn)
    .await?;
    let mut total = 0;
    let mut largest = 0;
    for pid in &pids {
        let rollup =
            std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        let private: u64 = rollup
            .lines()
            .filter(|l| l.starts_with("Private_Dirty:"))
            .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .sum::<u64>()
            * 1024;
        total += private;
        largest = largest.max(private);
    }
    Ok((pids.len(), total, largest))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64().max(0.000_001)
}
