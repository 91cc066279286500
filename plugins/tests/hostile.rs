//! Hostile plugins: each is stopped by its limit, the hub's policy applies, the
//! failure is counted, and another hub's plugin keeps working in parallel.

mod support;

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use hearth_plugins::abi::CreditCost;
use hearth_plugins::{
    FailureReason, InstalledPlugin, Limits, PluginError, PluginHost, PluginModule, PolicyCause,
    Source,
};
use serde_json::Value;
use support::*;

/// An ABI v1 module whose `credit_cost` runs `body`; `extra` adds fields (data, funcs, imports).
fn hostile(extra: &str, body: &str) -> Vec<u8> {
    wat(&format!(
        r#"(module
             {extra}
             (memory (export "memory") 1)
             (func (export "hearth_abi_v1"))
             (func (export "hearth_alloc") (param i32) (result i32) i32.const 1024)
             (func (export "hearth_credit_cost") (param i32 i32) (result i64) {body}))"#
    ))
}

/// Runs the good plugin for another hub on another thread until told to stop.
struct Neighbour {
    stop: Arc<AtomicBool>,
    thread: thread::JoinHandle<(u32, u32)>,
}

impl Neighbour {
    fn start(host: &PluginHost, good: PluginModule) -> Neighbour {
        let stop = Arc::new(AtomicBool::new(false));
        let started = Arc::new(AtomicU32::new(0));
        let (host, flag, first) = (host.clone(), Arc::clone(&stop), Arc::clone(&started));
        let thread = thread::spawn(move || {
            let plugin = InstalledPlugin::new(hub("globex"), good, Value::Null);
            let (mut ok, mut failed) = (0, 0);
            while !flag.load(Ordering::Relaxed) || ok < 3 {
                let decision = host.decide(&plugin, &credit_cost_input(), || CreditCost::cost(1));
                if decision.source == Source::Plugin && decision.value == CreditCost::cost(2) {
                    ok += 1;
                } else {
                    failed += 1;
                }
                first.store(1, Ordering::Relaxed);
            }
            (ok, failed)
        });
        while started.load(Ordering::Relaxed) == 0 {
            thread::yield_now();
        }
        Neighbour { stop, thread }
    }

    fn finish(self) {
        self.stop.store(true, Ordering::Relaxed);
        let (ok, failed) = self.thread.join().expect("the neighbour thread panicked");
        assert!(ok >= 3, "the neighbour hub's plugin ran only {ok} times");
        assert_eq!(
            failed, 0,
            "the neighbour hub's plugin failed {failed} times"
        );
    }
}

/// Runs a hostile `credit_cost` for hub "evil" while "globex" keeps working; returns the
/// failure reason, after checking the fallback, the metrics and the elapsed time.
async fn contained(limits: Limits, hostile_bytes: Vec<u8>) -> (FailureReason, Duration) {
    let host = PluginHost::new(limits).expect("host");
    let good = host.load(example(CREDIT_RULES)).await.expect("good plugin");
    let evil = host
        .load(hostile_bytes)
        .await
        .expect("hostile plugin loads");
    let neighbour = Neighbour::start(&host, good);

    let recorder = TestRecorder::default();
    let plugin = InstalledPlugin::new(hub("evil"), evil, Value::Null);
    let started = Instant::now();
    let decision = metrics::with_local_recorder(&recorder, || {
        host.decide(&plugin, &credit_cost_input(), || CreditCost::cost(1))
    });
    let elapsed = started.elapsed();
    neighbour.finish();

    assert_eq!(decision.value, CreditCost::cost(1), "the policy must apply");
    let Source::Policy(PolicyCause::Failed(reason)) = decision.source else {
        panic!("expected a failure, got {:?}", decision.source);
    };
    assert_eq!(decision.failure.map(|f| f.reason), Some(reason));
    let failures = format!(
        "hearth_plugin_failures_total{{hook=credit_cost,reason={}}}",
        reason.as_str()
    );
    assert_eq!(recorder.counter(&failures), 1, "{failures}");
    assert_eq!(
        recorder.counter("hearth_plugin_calls_total{hook=credit_cost,outcome=failed}"),
        1
    );
    (reason, elapsed)
}

#[tokio::test]
async fn an_infinite_loop_runs_out_of_fuel() {
    let (reason, elapsed) = contained(
        test_limits(),
        hostile("", "(loop $forever (br $forever)) i64.const 0"),
    )
    .await;

    assert_eq!(reason, FailureReason::Fuel);
    assert!(elapsed < Duration::from_millis(500), "{elapsed:?}");
}

#[tokio::test]
async fn an_infinite_loop_with_unlimited_fuel_hits_the_deadline() {
    // Enough fuel for about a second of looping: only the clock stops it.
    let limits = Limits {
        fuel: 2_000_000_000,
        deadline: Duration::from_millis(200),
        epoch_tick: Duration::from_millis(10),
        ..test_limits()
    };

    let (reason, elapsed) = contained(
        limits,
        hostile("", "(loop $forever (br $forever)) i64.const 0"),
    )
    .await;

    assert_eq!(reason, FailureReason::Deadline);
    assert!(elapsed >= Duration::from_millis(190), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1000), "{elapsed:?}");
}

#[tokio::test]
async fn bulk_memory_work_is_charged_by_its_size() {
    // One memory.fill of 16 MiB is one instruction, but wasmtime charges fuel by
    // the bytes it touches, so a loop of them cannot outrun the budget.
    let body = r#"
        (drop (memory.grow (i32.const 255)))
        (loop $forever
          (memory.fill (i32.const 0) (i32.const 7) (i32.const 16711680))
          (br $forever))
        i64.const 0"#;

    let (reason, elapsed) = contained(test_limits(), hostile("", body)).await;

    assert_eq!(reason, FailureReason::Fuel);
    assert!(elapsed < Duration::from_millis(500), "{elapsed:?}");
}

#[tokio::test]
async fn a_one_gib_allocation_is_refused() {
    // memory.grow returns -1 past the cap; the plugin then traps, as Rust's allocator does.
    let body = r#"
        (if (i32.eq (memory.grow (i32.const 16384)) (i32.const -1)) (then unreachable))
        i64.const 0"#;

    let (reason, _) = contained(test_limits(), hostile("", body)).await;

    assert_eq!(reason, FailureReason::Memory);
}

#[tokio::test]
async fn deep_recursion_overflows_the_stack() {
    let extra = r#"(func $deeper (param i32) (result i32)
                     (call $deeper (i32.add (local.get 0) (i32.const 1))))"#;

    let (reason, _) = contained(
        test_limits(),
        hostile(extra, "(drop (call $deeper (i32.const 0))) i64.const 0"),
    )
    .await;

    assert_eq!(reason, FailureReason::StackOverflow);
}

#[tokio::test]
async fn a_huge_output_is_refused_unread() {
    // 2 MiB of output, far over the 20 KiB cap.
    let body = r#"
        (drop (memory.grow (i32.const 32)))
        (i64.const 2097152)"#;

    let (reason, _) = contained(test_limits(), hostile("", body)).await;

    assert_eq!(reason, FailureReason::OutputTooLarge);
}

#[tokio::test]
async fn invalid_json_output_is_malformed() {
    let extra = r#"(data (i32.const 16) "{\"decision\": cost, 2")"#;
    let body = "(i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 20))";

    let (reason, _) = contained(test_limits(), hostile(extra, body)).await;

    assert_eq!(reason, FailureReason::MalformedOutput);
}

#[tokio::test]
async fn out_of_range_credits_are_malformed() {
    let json = r#"{\"decision\":\"cost\",\"credits\":4000000000}"#;
    let extra = format!(r#"(data (i32.const 16) "{json}")"#);
    let len = json.replace('\\', "").len();
    let body = format!("(i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const {len}))");

    let (reason, _) = contained(test_limits(), hostile(&extra, &body)).await;

    assert_eq!(reason, FailureReason::MalformedOutput);
}

#[tokio::test]
async fn output_outside_memory_is_malformed() {
    let body = "(i64.or (i64.shl (i64.const 4026531840) (i64.const 32)) (i64.const 100))";

    let (reason, _) = contained(test_limits(), hostile("", body)).await;

    assert_eq!(reason, FailureReason::MalformedOutput);
}

#[tokio::test]
async fn a_trap_is_contained() {
    let (reason, _) = contained(test_limits(), hostile("", "unreachable")).await;

    assert_eq!(reason, FailureReason::Trap);
}

#[tokio::test]
async fn a_log_flood_is_capped_and_harmless() {
    let host = host();
    let extra = r#"(import "hearth" "log" (func $log (param i32 i32 i32)))
                   (data (i32.const 16) "{\"decision\":\"cost\",\"credits\":3}")"#;
    let body = r#"
        (local $i i32)
        (loop $again
          (call $log (i32.const 2) (i32.const 16) (i32.const 31))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $again (i32.lt_u (local.get $i) (i32.const 10000))))
        (i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 31))"#;
    let module = host.load(hostile(extra, body)).await.unwrap();
    let plugin = InstalledPlugin::new(hub("chatty"), module, Value::Null);

    let decision = host.decide(&plugin, &credit_cost_input(), || CreditCost::cost(1));

    assert_eq!(
        (decision.value, decision.source),
        (CreditCost::cost(3), Source::Plugin)
    );
}

async fn refused_at_upload(bytes: Vec<u8>) -> String {
    let host = host();
    let good = host.load(example(CREDIT_RULES)).await.expect("good plugin");
    let neighbour = Neighbour::start(&host, good);
    let error = host
        .load(bytes)
        .await
        .expect_err("the module must be refused");
    neighbour.finish();
    match error {
        PluginError::InvalidModule(detail) => detail,
        other => panic!("expected an invalid module, got {other}"),
    }
}

#[tokio::test]
async fn an_import_the_host_does_not_offer_is_refused_at_upload() {
    let detail = refused_at_upload(hostile(
        r#"(import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))"#,
        "i64.const 0",
    ))
    .await;

    assert!(
        detail.contains("wasi_snapshot_preview1.clock_time_get"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_log_import_with_the_wrong_signature_is_refused_at_upload() {
    let detail = refused_at_upload(hostile(
        r#"(import "hearth" "log" (func (param i64)))"#,
        "i64.const 0",
    ))
    .await;

    assert!(detail.contains("hearth.log"), "{detail}");
}

#[tokio::test]
async fn a_one_gib_initial_memory_is_refused_at_upload() {
    let bytes = wat(r#"(module
        (memory (export "memory") 16384)
        (func (export "hearth_abi_v1"))
        (func (export "hearth_alloc") (param i32) (result i32) i32.const 1024)
        (func (export "hearth_credit_cost") (param i32 i32) (result i64) i64.const 0))"#);

    let detail = refused_at_upload(bytes).await;

    // Whichever check sees it first (the pooling allocator's or ours) names the size.
    assert!(detail.contains("1073741824"), "{detail}");
}

#[tokio::test]
async fn a_start_function_that_loops_is_refused_at_upload() {
    let detail = refused_at_upload(hostile(
        "(start $spin) (func $spin (loop $forever (br $forever)))",
        "i64.const 0",
    ))
    .await;

    assert!(detail.contains("fuel"), "{detail}");
}

#[tokio::test]
async fn a_plugin_that_keeps_failing_is_disabled_for_its_hub_only() {
    let host = PluginHost::new(Limits {
        disable_after_failures: 3,
        ..test_limits()
    })
    .unwrap();
    let evil = host.load(hostile("", "unreachable")).await.unwrap();
    let on_evil = InstalledPlugin::new(hub("evil"), evil.clone(), Value::Null);
    let on_other = InstalledPlugin::new(hub("other"), evil, Value::Null);
    let recorder = TestRecorder::default();

    let verdicts: Vec<_> = metrics::with_local_recorder(&recorder, || {
        (0..4)
            .map(|_| host.decide(&on_evil, &credit_cost_input(), || CreditCost::cost(1)))
            .collect()
    });
    let elsewhere = host.decide(&on_other, &credit_cost_input(), || CreditCost::cost(1));

    let newly: Vec<_> = verdicts
        .iter()
        .map(|d| d.failure.is_some_and(|f| f.verdict.newly_disabled))
        .collect();
    assert_eq!(newly, [false, false, true, false]);
    assert_eq!(verdicts[3].source, Source::Policy(PolicyCause::Disabled));
    assert_eq!(verdicts[3].value, CreditCost::cost(1));
    assert_eq!(
        recorder.counter("hearth_plugin_calls_total{hook=credit_cost,outcome=failed}"),
        3,
        "a disabled plugin is not called"
    );
    assert_eq!(
        recorder.counter("hearth_plugin_disabled_total{hook=credit_cost}"),
        1
    );
    assert_eq!(
        elsewhere.source,
        Source::Policy(PolicyCause::Failed(FailureReason::Trap))
    );

    host.failure_tracker()
        .reset(&hub("evil").id, on_evil.module().id());
    let retried = host.decide(&on_evil, &credit_cost_input(), || CreditCost::cost(1));
    assert_eq!(
        retried.source,
        Source::Policy(PolicyCause::Failed(FailureReason::Trap))
    );
}

#[tokio::test]
async fn calls_beyond_the_instance_pool_fail_fast_as_busy() {
    // One instance slot, two simultaneous calls to a plugin that holds its slot
    // until the deadline: one runs (and hits the deadline), the other is refused at once.
    let host = PluginHost::new(Limits {
        max_concurrent_instances: 1,
        fuel: 2_000_000_000,
        deadline: Duration::from_millis(300),
        ..Limits::default()
    })
    .expect("host");
    let slow = host
        .load(hostile("", "(loop $forever (br $forever)) i64.const 0"))
        .await
        .expect("slow plugin");
    let plugin = InstalledPlugin::new(hub("slow"), slow, Value::Null);
    let barrier = Arc::new(std::sync::Barrier::new(2));

    let calls: Vec<_> = (0..2)
        .map(|_| {
            let (host, plugin, barrier) = (host.clone(), plugin.clone(), Arc::clone(&barrier));
            thread::spawn(move || {
                barrier.wait();
                let started = Instant::now();
                let decision = host.decide(&plugin, &credit_cost_input(), || CreditCost::cost(1));
                (decision.source, started.elapsed())
            })
        })
        .collect();
    let mut results: Vec<_> = calls.into_iter().map(|c| c.join().unwrap()).collect();
    results.sort_by_key(|(_, elapsed)| *elapsed);

    let (busy, waited) = results[0];
    assert_eq!(
        busy,
        Source::Policy(PolicyCause::Failed(FailureReason::Busy))
    );
    assert!(waited < Duration::from_millis(150), "{waited:?}");
    assert_eq!(
        results[1].0,
        Source::Policy(PolicyCause::Failed(FailureReason::Deadline))
    );
}

#[tokio::test]
async fn failures_are_logged_with_plugin_and_hub_but_never_the_input() {
    let host = host();
    let evil = host
        .load(hostile("", "unreachable"))
        .await
        .expect("hostile plugin loads");
    let short_id = evil.id().short();
    let plugin = InstalledPlugin::new(hub("evil"), evil, Value::Null);
    let logs = TestLogs::default();

    tracing::subscriber::with_default(logs.clone(), || {
        host.decide(&plugin, &credit_cost_input(), || CreditCost::cost(1))
    });

    let events = logs.events();
    let failure = events
        .iter()
        .find(|e| e.starts_with("WARN") && e.contains("plugin call failed"))
        .unwrap_or_else(|| panic!("no failure logged: {events:?}"));
    for field in [
        format!("plugin={short_id}"),
        "hub=evil".to_string(),
        "hook=credit_cost".to_string(),
        "reason=trap".to_string(),
    ] {
        assert!(failure.contains(&field), "{field} missing from {failure}");
    }
    let input = serde_json::to_string(&credit_cost_input()).expect("input JSON");
    for event in &events {
        for personal in ["2026-02-10", "2026-01-12", "svc-1", "pro-1"] {
            assert!(
                !event.contains(personal),
                "input data {personal} logged: {event}"
            );
        }
        assert!(!event.contains(&input));
    }
}
