//! Progress of long commands: a bar on a terminal, log lines elsewhere.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How a long command reports progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    /// A bar when stderr is a terminal, log lines otherwise.
    Auto,
    /// Log lines only.
    Log,
    /// Nothing.
    Quiet,
}

/// Counts work done out of a known total.
pub struct Progress {
    bar: Option<ProgressBar>,
    log: bool,
    what: &'static str,
    total: u64,
    done: AtomicU64,
    started: Instant,
    last_line: Mutex<Instant>,
}

impl Progress {
    /// Starts counting `total` units of `what` (for example "hubs").
    pub fn new(mode: ProgressMode, what: &'static str, total: u64) -> Self {
        let bar = (mode == ProgressMode::Auto && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} {msg} ({per_sec}, ETA {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message(what);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        let log = bar.is_none() && mode != ProgressMode::Quiet;
        Self {
            bar,
            log,
            what,
            total,
            done: AtomicU64::new(0),
            started: Instant::now(),
            last_line: Mutex::new(Instant::now()),
        }
    }

    /// One more unit done.
    pub fn inc(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.inc(1);
        } else if self.log {
            let now = Instant::now();
            let due = match self.last_line.lock() {
                Ok(mut last) if now.duration_since(*last) >= Duration::from_secs(2) => {
                    *last = now;
                    true
                }
                _ => false,
            };
            if due || done == self.total {
                self.log_line(done);
            }
        }
    }

    fn log_line(&self, done: u64) {
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = done as f64 / secs;
        let eta = if rate > 0.0 {
            (self.total.saturating_sub(done)) as f64 / rate
        } else {
            0.0
        };
        tracing::info!(
            done,
            total = self.total,
            "{} {done}/{} ({rate:.0}/s, ETA {eta:.0}s)",
            self.what,
            self.total
        );
    }

    /// `done` units done in all (for work measured as it goes, such as bytes
    /// copied).
    pub fn set(&self, done: u64) {
        let before = self.done.swap(done, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        } else if self.log && done != before {
            let now = Instant::now();
            if let Ok(mut last) = self.last_line.lock() {
                if now.duration_since(*last) >= Duration::from_secs(2) || done == self.total {
                    *last = now;
                    self.log_line(done);
                }
            }
        }
    }

    /// Units done so far.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Ends the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}
