//! Shared by the integration tests and the benchmarks: the built example
//! plugins, sample inputs and a metrics recorder.
#![allow(dead_code, missing_docs, clippy::allow_attributes)]

use std::collections::HashMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::SystemTime;

use hearth_plugins::abi::{
    Booking, BookingAllowedInput, CreditCostInput, Hub, Member, MemberHistory, PastBooking, Period,
    PeriodGrantInput, Professional, Service, ThemeContext, ThemeInput,
};
use hearth_plugins::{Limits, PluginHost};

pub const CREDIT_RULES: &str = "hearth_example_credit_rules.wasm";
pub const PERIOD_GRANT: &str = "hearth_example_period_grant.wasm";
pub const SEASONAL_THEME: &str = "hearth_example_seasonal_theme.wasm";

fn plugins_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Newest modification time of the example and SDK sources.
fn newest_source(dir: &Path) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    let Ok(entries) = fs::read_dir(dir) else {
        return newest;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "target") {
            continue;
        }
        let modified = if path.is_dir() {
            newest_source(&path)
        } else {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH)
        };
        newest = newest.max(modified);
    }
    newest
}

/// Folder of the built example `.wasm` files: `HEARTH_PLUGIN_EXAMPLES_DIR`, or
/// built here by `build-examples.sh` (once: nextest runs each test in its own
/// process, so a file lock guards the build). Panics when the build fails.
pub fn examples_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("HEARTH_PLUGIN_EXAMPLES_DIR") {
            return PathBuf::from(dir);
        }
        let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let out = tmp.join("hearth-plugin-examples");
        let stamp = out.join(".built");
        fs::create_dir_all(&tmp).expect("create the cargo target tmpdir");
        let lock = File::create(tmp.join("hearth-plugin-examples.lock")).expect("create lock file");
        lock.lock().expect("lock the examples build");

        let sources = newest_source(&plugins_dir().join("examples"))
            .max(newest_source(&plugins_dir().join("sdk")));
        let fresh = fs::metadata(&stamp)
            .and_then(|m| m.modified())
            .is_ok_and(|built| built > sources);
        if !fresh {
            let status = Command::new("bash")
                .arg(plugins_dir().join("build-examples.sh"))
                .arg(&out)
                .env(
                    "HEARTH_EXAMPLES_TARGET_DIR",
                    tmp.join("hearth-plugin-examples-target"),
                )
                .status()
                .expect("run plugins/build-examples.sh");
            assert!(
                status.success(),
                "plugins/build-examples.sh failed ({status}): the example plugins must build \
                 for wasm32-unknown-unknown (set HEARTH_PLUGIN_EXAMPLES_DIR to use prebuilt ones)"
            );
            fs::write(&stamp, b"").expect("write build stamp");
        }
        out
    })
}

/// The bytes of a built example plugin.
pub fn example(name: &str) -> Vec<u8> {
    let path = examples_dir().join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The WAT example, compiled to wasm bytes.
pub fn wat_example(name: &str) -> Vec<u8> {
    let path = plugins_dir().join("examples/wat").join(name);
    wat::parse_file(&path).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// Inline WAT to wasm bytes.
pub fn wat(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap_or_else(|e| panic!("bad test WAT: {e}"))
}

/// Limits for tests: the defaults, with fewer pooling slots, a compilation
/// cache shared by the test processes (nextest runs each test in its own) and a
/// generous deadline: a wall-clock deadline also counts time a thread spends
/// descheduled, and test machines run hostile loops on every core.
pub fn test_limits() -> Limits {
    Limits {
        max_concurrent_instances: 64,
        deadline: std::time::Duration::from_secs(1),
        compilation_cache_dir: Some(
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hearth-plugin-wasmtime-cache"),
        ),
        ..Limits::default()
    }
}

pub fn host() -> PluginHost {
    PluginHost::new(test_limits()).expect("plugin host")
}

pub fn hub(slug: &str) -> Hub {
    Hub {
        id: format!("id-{slug}"),
        slug: slug.to_string(),
        name: format!("{} Ltd", slug.to_uppercase()),
    }
}

pub fn booking(session_type: &str, starts_at: &str) -> Booking {
    Booking {
        service: Service {
            id: "svc-1".into(),
            name: "Therapy".into(),
            category: Some("therapy".into()),
        },
        duration_minutes: 50,
        session_type: session_type.into(),
        professional: Professional {
            id: "pro-1".into(),
            kind: "psychologist".into(),
        },
        starts_at: starts_at.into(),
    }
}

pub fn history(past: &[&str]) -> MemberHistory {
    MemberHistory {
        period: Period {
            start: "2026-01-01".into(),
            end: "2026-04-01".into(),
            label: "2026-Q1".into(),
        },
        bookings: past
            .iter()
            .map(|starts_at| PastBooking {
                service_id: "svc-1".into(),
                session_type: "individual".into(),
                starts_at: (*starts_at).into(),
                credits: 1,
            })
            .collect(),
        credits_granted: 8,
        credits_spent: past.len() as u32,
    }
}

/// A typical credit_cost input: a couples session, two sessions already this quarter.
pub fn credit_cost_input() -> CreditCostInput {
    CreditCostInput {
        booking: booking("couples", "2026-02-10T18:30:00+01:00"),
        history: history(&["2026-01-12T10:00:00+01:00", "2026-01-26T10:00:00+01:00"]),
    }
}

pub fn booking_allowed_input(past: &[&str]) -> BookingAllowedInput {
    BookingAllowedInput {
        booking: booking("individual", "2026-03-20T10:00:00+01:00"),
        history: history(past),
    }
}

pub fn period_grant_input(joined_on: &str) -> PeriodGrantInput {
    PeriodGrantInput {
        member: Member {
            id: "m-1".into(),
            role: "employee".into(),
            joined_on: joined_on.into(),
            groups: Default::default(),
        },
        period: Period {
            start: "2026-04-01".into(),
            end: "2026-07-01".into(),
            label: "2026-Q2".into(),
        },
        policy_credits: 8,
    }
}

pub fn theme_input(date: &str, page: &str) -> ThemeInput {
    ThemeInput {
        context: ThemeContext {
            date: date.into(),
            page: page.into(),
            locale: "en".into(),
        },
    }
}

/// A recorder that keeps counter values by name and sorted labels, e.g.
/// `hearth_plugin_failures_total{hook=credit_cost,reason=fuel}`.
#[derive(Clone, Default)]
pub struct TestRecorder {
    counters: Arc<Mutex<HashMap<String, Arc<AtomicU64>>>>,
}

impl TestRecorder {
    pub fn counter(&self, key: &str) -> u64 {
        self.counters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .map_or(0, |c| c.load(Ordering::Relaxed))
    }

    fn key(key: &metrics::Key) -> String {
        let mut labels: Vec<String> = key
            .labels()
            .map(|l| format!("{}={}", l.key(), l.value()))
            .collect();
        labels.sort();
        format!("{}{{{}}}", key.name(), labels.join(","))
    }
}

struct TestCounter(Arc<AtomicU64>);

impl metrics::CounterFn for TestCounter {
    fn increment(&self, value: u64) {
        self.0.fetch_add(value, Ordering::Relaxed);
    }

    fn absolute(&self, value: u64) {
        self.0.store(value, Ordering::Relaxed);
    }
}

impl metrics::Recorder for TestRecorder {
    fn describe_counter(
        &self,
        _: metrics::KeyName,
        _: Option<metrics::Unit>,
        _: metrics::SharedString,
    ) {
    }
    fn describe_gauge(
        &self,
        _: metrics::KeyName,
        _: Option<metrics::Unit>,
        _: metrics::SharedString,
    ) {
    }
    fn describe_histogram(
        &self,
        _: metrics::KeyName,
        _: Option<metrics::Unit>,
        _: metrics::SharedString,
    ) {
    }

    fn register_counter(&self, key: &metrics::Key, _: &metrics::Metadata<'_>) -> metrics::Counter {
        let cell = Arc::clone(
            self.counters
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(Self::key(key))
                .or_default(),
        );
        metrics::Counter::from_arc(Arc::new(TestCounter(cell)))
    }

    fn register_gauge(&self, _: &metrics::Key, _: &metrics::Metadata<'_>) -> metrics::Gauge {
        metrics::Gauge::noop()
    }

    fn register_histogram(
        &self,
        _: &metrics::Key,
        _: &metrics::Metadata<'_>,
    ) -> metrics::Histogram {
        metrics::Histogram::noop()
    }
}

/// A tracing subscriber that keeps every event as `level field=value ...`.
#[derive(Clone, Default)]
pub struct TestLogs {
    events: Arc<Mutex<Vec<String>>>,
}

impl TestLogs {
    pub fn events(&self) -> Vec<String> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

struct FieldsToString<'a>(&'a mut String);

impl tracing::field::Visit for FieldsToString<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write;
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        use std::fmt::Write;
        let _ = write!(self.0, " {}={}", field.name(), value);
    }
}

impl tracing::Subscriber for TestLogs {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = event.metadata().level().to_string();
        event.record(&mut FieldsToString(&mut line));
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}
