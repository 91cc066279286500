//! The mixed workload under goose, for capacity and soak runs, reported in
//! docs/benchmarks.md: hub and slot pages, sign-ups with invite codes,
//! logins, bookings confirmed and cancelled, dashboards, over `--hubs` hubs,
//! against `hearth serve` (the binary beside this one), with its memory and
//! the PostgreSQL backends' sampled every `--sample` seconds.
//!
//! cargo build --workspace --bins   (or --release: then target/release)
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   target/debug/load-mixed --hubs 1000 --users 8,16,32,64 --duration 120   # capacity
//! DATABASE_URL=… target/debug/load-mixed --hubs 1000 --users 16 --rate 100 \
//!   --duration 1800 --report soak.html --csv soak.csv                        # soak
//!
//! Several `--users` run one after another on the same server and database.
//! Exits non-zero if any request failed.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use hearth_tests::load::{self, Options, Server};
use hearth_tests::TestDb;

#[derive(Parser)]
struct Args {
    /// Hubs provisioned; the scenarios spread over all of them.
    #[arg(long, default_value_t = 1_000)]
    hubs: usize,
    /// Concurrent goose users; several (`8,16,32`) run one after another
    /// on the same server and database, each for `--duration` (a capacity search).
    #[arg(long, value_delimiter = ',', default_value = "32")]
    users: Vec<usize>,
    /// Users started a second.
    #[arg(long, default_value = "8")]
    hatch_rate: String,
    /// Seconds to run.
    #[arg(long, default_value_t = 120)]
    duration: u64,
    /// At most this many requests a second (default: as fast as the users go).
    #[arg(long)]
    rate: Option<usize>,
    /// goose's report: a path ending in .html, .md or .json.
    #[arg(long)]
    report: Option<String>,
    /// Seconds between memory samples (default: 60 for runs of 10 minutes or more, else 5).
    #[arg(long)]
    sample: Option<u64>,
    /// Also write the memory samples to this CSV file.
    #[arg(long)]
    csv: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let hearth = std::env::current_exe()?
        .parent()
        .context("binary folder")?
        .join("hearth");
    anyhow::ensure!(
        hearth.is_file(),
        "build it first: cargo build -p hearth-core ({})",
        hearth.display()
    );
    let db = TestDb::empty_with_pool_size(4).await;
    let result = run(&args, &db, &hearth).await;
    hearth_tests::drop_database(&db).await;
    let failed = result?;
    anyhow::ensure!(failed == 0, "{failed} requests failed");
    Ok(())
}

/// Provisions, serves and attacks; returns how many requests failed.
async fn run(args: &Args, db: &TestDb, hearth: &std::path::Path) -> anyhow::Result<u64> {
    let started = Instant::now();
    let hubs = load::provision(&db.pool, args.hubs).await?;
    println!(
        "database {}: {} hubs provisioned in {:.1} s",
        db.name,
        hubs.len(),
        started.elapsed().as_secs_f64()
    );
    // The server's backends are then the only ones on the database besides the attack's.
    db.pool.close().await;
    let server = Server::start(hearth, &db.url).await?;
    let mut failed = 0;
    for (stage, users) in args.users.iter().enumerate() {
        let options = Options {
            users: *users,
            hatch_rate: args.hatch_rate.clone(),
            duration: Duration::from_secs(args.duration),
            rate: args.rate,
            report: args
                .report
                .as_ref()
                .map(|r| staged(r, stage, args.users.len())),
            sample_every: Duration::from_secs(args.sample.unwrap_or(if args.duration >= 600 {
                60
            } else {
                5
            })),
            goose_tables: false,
        };
        println!(
            "\n== {users} users (hatch rate {}/s) for {} s{}",
            options.hatch_rate,
            args.duration,
            options
                .rate
                .map(|r| format!(", at most {r} requests/s"))
                .unwrap_or_default()
        );
        let outcome = load::attack(&server, &db.url, &db.name, hubs.clone(), &options).await?;
        println!("{}", outcome.report());
        if let Some(csv) = &args.csv {
            let csv = staged(&csv.display().to_string(), stage, args.users.len());
            std::fs::write(&csv, outcome.samples_csv())?;
            println!("memory samples written to {csv}");
        }
        if let Some(report) = &options.report {
            println!("goose's report written to {report}");
        }
        failed += outcome.total().errors.max(outcome.goose_failures() as u64);
    }
    Ok(failed)
}

/// `path` with the stage's number before its extension when there are several stages.
fn staged(path: &str, stage: usize, stages: usize) -> String {
    if stages == 1 {
        return path.to_owned();
    }
    match path.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}-{}.{ext}", stage + 1),
        None => format!("{path}-{}", stage + 1),
    }
}
