//! Running an attack: goose configured from [`Options`], memory sampled
//! beside it, and the outcome summarised per scenario and per window.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use goose::config::GooseConfiguration;
use goose::metrics::GooseMetrics;
use goose::prelude::{GooseAttack, GooseDefault, GooseDefaultType};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use super::scenarios::{scenarios, Cell, Shared, SCENARIOS};
use super::{Hub, Server};

/// How to run the attack.
#[derive(Debug, Clone)]
pub struct Options {
    /// Concurrent goose users.
    pub users: usize,
    /// Users started a second.
    pub hatch_rate: String,
    /// How long to run, from the first user's start.
    pub duration: Duration,
    /// At most this many requests a second (goose's throttle), else as fast as the users go.
    pub rate: Option<usize>,
    /// goose's report (`.html`, `.md` or `.json`).
    pub report: Option<String>,
    /// How often memory is sampled (and the tally's window).
    pub sample_every: Duration,
    /// Whether goose prints its own tables at the end (it does when it writes a report).
    pub goose_tables: bool,
}

/// One memory sample.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Seconds since the attack started.
    pub at: u64,
    /// The server's resident memory (VmRSS), KiB.
    pub server_kib: u64,
    /// PostgreSQL backends connected to the test database.
    pub backends: usize,
    /// Their private memory (RssAnon) summed, KiB: what each backend holds
    /// for itself (caches, plans), not the shared buffers they map.
    pub backends_kib: u64,
    /// The largest backend's private memory, KiB.
    pub largest_backend_kib: u64,
}

/// A process's `/proc/<pid>/status` field (`VmRSS`, `RssAnon`), in KiB.
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    line[field.len() + 1..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The load generator's own connections (the outbox, these samples), left
/// out of the backends measured.
const OWN: &str = "hearth-load";

/// Samples the server's and the database's backends' memory now.
async fn sample(pool: &PgPool, database: &str, server: u32, at: u64) -> Sample {
    let pids: Vec<i32> = sqlx::query_scalar(
        "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name <> $2",
    )
    .bind(database)
    .bind(OWN)
    .fetch_all(pool)
    .await
    .unwrap_or_default();
    let private: Vec<u64> = pids
        .iter()
        .filter_map(|p| status_kib(u32::try_from(*p).ok()?, "RssAnon"))
        .collect();
    Sample {
        at,
        server_kib: status_kib(server, "VmRSS").unwrap_or_default(),
        backends: private.len(),
        backends_kib: private.iter().sum(),
        largest_backend_kib: private.iter().copied().max().unwrap_or_default(),
    }
}

/// What an attack measured.
pub struct Outcome {
    /// goose's metrics.
    pub goose: GooseMetrics,
    /// Memory, every `sample_every`.
    pub samples: Vec<Sample>,
    /// Requests by (window, scenario).
    pub cells: BTreeMap<(u64, &'static str), Cell>,
    /// The tally's window.
    pub window: Duration,
    /// Seconds the attack ran.
    pub seconds: f64,
}

/// Runs the scenarios against `server` (serving database `database` at
/// `url`) over `hubs`, sampling memory as it goes. Close other pools on the
/// database first: every backend but the attack's own counts as the server's.
pub async fn attack(
    server: &Server,
    url: &str,
    database: &str,
    hubs: Vec<Hub>,
    options: &Options,
) -> anyhow::Result<Outcome> {
    anyhow::ensure!(!hubs.is_empty(), "no hubs to load");
    let own = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(PgConnectOptions::from_str(url)?.application_name(OWN))
        .await?;
    let pool = &own;
    let shared = Arc::new(Shared::new(hubs, pool.clone(), options.sample_every));
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let sampler = {
        let (pool, database, pid, every) = (
            pool.clone(),
            database.to_owned(),
            server.pid(),
            options.sample_every,
        );
        tokio::spawn(async move {
            let started = Instant::now();
            let mut samples = vec![sample(&pool, &database, pid, 0).await];
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            loop {
                tokio::select! {
                    _ = tick.tick() => {
                        samples.push(sample(&pool, &database, pid, started.elapsed().as_secs()).await);
                    }
                    _ = &mut stopped => break,
                }
            }
            samples
        })
    };
    let mut goose = GooseAttack::initialize_with_config(GooseConfiguration::default())?;
    for scenario in scenarios(&shared)? {
        goose = goose.register_scenario(scenario);
    }
    goose = *goose
        .set_default(GooseDefault::Host, server.base.as_str())?
        .set_default(GooseDefault::Users, options.users)?
        .set_default(GooseDefault::HatchRate, options.hatch_rate.as_str())?
        .set_default(
            GooseDefault::RunTime,
            usize::try_from(options.duration.as_secs())?,
        )?
        .set_default(GooseDefault::NoTelnet, true)?
        .set_default(GooseDefault::NoWebSocket, true)?
        .set_default(GooseDefault::NoResetMetrics, true)?
        // goose writes its report only where it prints its tables.
        .set_default(
            GooseDefault::NoPrintMetrics,
            !options.goose_tables && options.report.is_none(),
        )?;
    if let Some(rate) = options.rate {
        goose = *goose.set_default(GooseDefault::ThrottleRequests, rate)?;
    }
    if let Some(report) = &options.report {
        goose = *goose.set_default(GooseDefault::ReportFile, report.as_str())?;
    }
    let started = Instant::now();
    let metrics = goose.execute().await?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = stop.send(());
    let mut samples = sampler.await?;
    let at = started.elapsed().as_secs();
    if samples
        .last()
        .is_none_or(|s| at >= s.at + options.sample_every.as_secs() / 2)
    {
        samples.push(sample(pool, database, server.pid(), at).await);
    }
    let cells = shared.take_cells();
    Ok(Outcome {
        goose: metrics,
        samples,
        cells,
        window: options.sample_every,
        seconds,
    })
}

/// Requests, errors, expected refusals and latencies of some windows of one scenario.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Requests.
    pub requests: u64,
    /// Failed requests.
    pub errors: u64,
    /// Confirms answered "taken" (expected under contention).
    pub taken: u64,
    /// Median latency, ms.
    pub p50_ms: f64,
    /// 99th percentile, ms.
    pub p99_ms: f64,
}

fn summarise<'a>(cells: impl Iterator<Item = &'a Cell>) -> Summary {
    let mut micros = Vec::new();
    let mut s = Summary::default();
    for c in cells {
        micros.extend_from_slice(&c.micros);
        s.errors += c.errors;
        s.taken += c.taken;
    }
    micros.sort_unstable();
    s.requests = micros.len() as u64;
    let at = |p: f64| {
        micros
            .get(((micros.len() as f64 * p) as usize).min(micros.len().saturating_sub(1)))
            .map_or(0.0, |m| f64::from(*m) / 1000.0)
    };
    s.p50_ms = at(0.5);
    s.p99_ms = at(0.99);
    s
}

impl Outcome {
    /// `scenario` over the windows starting in [`from`, `to`) seconds.
    pub fn scenario(&self, scenario: &str, from: u64, to: u64) -> Summary {
        let w = self.window.as_secs().max(1);
        summarise(
            self.cells
                .iter()
                .filter(|((window, s), _)| *s == scenario && (from..to).contains(&(window * w)))
                .map(|(_, c)| c),
        )
    }

    /// How many times `scenario`'s turn (its last transaction: a whole
    /// booking, a whole sign-up) ran to the end with every answer as expected.
    pub fn completed(&self, scenario: &str) -> usize {
        self.goose
            .transactions
            .iter()
            .filter_map(|t| t.last())
            .filter(|t| t.scenario_name == scenario)
            .map(|t| t.success_count)
            .sum()
    }

    /// Every request.
    pub fn total(&self) -> Summary {
        summarise(self.cells.values())
    }

    /// Failed requests as goose counted them.
    pub fn goose_failures(&self) -> usize {
        self.goose.requests.values().map(|r| r.fail_count).sum()
    }

    /// Requests as goose counted them.
    pub fn goose_requests(&self) -> usize {
        self.goose
            .requests
            .values()
            .map(|r| r.success_count + r.fail_count)
            .sum()
    }

    /// The errors goose collected, with how often each happened.
    pub fn goose_errors(&self) -> Vec<(String, usize)> {
        self.goose
            .errors
            .values()
            .map(|e| (e.error.clone(), e.occurrences))
            .collect()
    }

    /// The report: requests and errors, p50/p99 per scenario over the whole
    /// run, at its start and at its end (first and last fifth), and the memory table.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let total = self.total();
        let end = (self.seconds.ceil() as u64).max(1);
        let fifth = (end / 5).max(self.window.as_secs());
        let _ = writeln!(
            out,
            "{} requests in {:.0} s ({:.0}/s), {} errors (goose: {} requests, {} failed)",
            total.requests,
            self.seconds,
            total.requests as f64 / self.seconds,
            total.errors,
            self.goose_requests(),
            self.goose_failures(),
        );
        for (error, n) in self.goose_errors() {
            let _ = writeln!(out, "  error ×{n}: {error}");
        }
        let _ = writeln!(
            out,
            "\n| scenario | requests | req/s | errors | p50 ms | p99 ms | p99 first {fifth} s | p99 last {fifth} s |\n|---|---|---|---|---|---|---|---|"
        );
        for name in SCENARIOS {
            let all = self.scenario(name, 0, u64::MAX);
            let first = self.scenario(name, 0, fifth);
            let last = self.scenario(name, end.saturating_sub(fifth), u64::MAX);
            let taken = if all.taken > 0 {
                format!(" ({} taken)", all.taken)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "| {name} | {}{taken} | {:.1} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
                all.requests,
                all.requests as f64 / self.seconds,
                all.errors,
                all.p50_ms,
                all.p99_ms,
                first.p99_ms,
                last.p99_ms,
            );
        }
        let _ = writeln!(
            out,
            "\n| time | server RSS MiB | PG backends | backends' private MiB | largest backend MiB | req/s in window | errors | p99 ms |\n|---|---|---|---|---|---|---|---|"
        );
        let w = self.window.as_secs().max(1);
        for (i, s) in self.samples.iter().enumerate() {
            // The window that ended at this sample.
            let from = if i == 0 { 0 } else { self.samples[i - 1].at };
            let cells: Vec<&Cell> = self
                .cells
                .iter()
                .filter(|((window, _), _)| {
                    (from..s.at.max(from + 1)).contains(&(window * w)) && i > 0
                })
                .map(|(_, c)| c)
                .collect();
            let window = summarise(cells.into_iter());
            let span = s.at.saturating_sub(from).max(1) as f64;
            let _ = writeln!(
                out,
                "| {}:{:02} | {:.1} | {} | {:.1} | {:.1} | {:.0} | {} | {:.1} |",
                s.at / 60,
                s.at % 60,
                s.server_kib as f64 / 1024.0,
                s.backends,
                s.backends_kib as f64 / 1024.0,
                s.largest_backend_kib as f64 / 1024.0,
                window.requests as f64 / span,
                window.errors,
                window.p99_ms,
            );
        }
        out
    }

    /// The memory samples as CSV.
    pub fn samples_csv(&self) -> String {
        let mut out = String::from(
            "seconds,server_rss_kib,pg_backends,pg_backends_private_kib,pg_largest_backend_kib\n",
        );
        for s in &self.samples {
            let _ = writeln!(
                out,
                "{},{},{},{},{}",
                s.at, s.server_kib, s.backends, s.backends_kib, s.largest_backend_kib
            );
        }
        out
    }
}
