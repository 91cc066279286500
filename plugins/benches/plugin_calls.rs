//! What a plugin call costs: one `credit_cost` end to end, throughput on two
//! cores, and the time from upload to first call. See `plugins/BENCHMARKS.md`.
//!
//! Besides criterion's estimates, `latency_percentiles` times 100,000 single
//! calls and prints p50/p90/p99/p99.9, which criterion does not report, and
//! `cpu_per_call` prints the CPU time per call with one and two threads (from
//! `/proc/thread-self/schedstat`): unlike wall-clock throughput it is not
//! distorted by other processes sharing the cores, and equal figures for one
//! and two threads mean the host scales linearly over cores.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hearth_plugins::abi::{CreditCost, CreditCostInput, Hub};
use hearth_plugins::{CallContext, InstalledPlugin, Outcome, PluginHost, PluginModule};
use serde_json::{json, Value};
use support::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

struct Setup {
    host: PluginHost,
    rust: PluginModule,
    wat: PluginModule,
    hub: Hub,
    config: Value,
    input: CreditCostInput,
}

fn setup(rt: &tokio::runtime::Runtime) -> Setup {
    // Default limits but the deadline: on a shared machine a call can be
    // descheduled past 50 ms, and the bench must measure, not fall back.
    let host = PluginHost::new(hearth_plugins::Limits {
        deadline: Duration::from_secs(1),
        ..hearth_plugins::Limits::default()
    })
    .expect("host");
    let rust = rt
        .block_on(host.load(example(CREDIT_RULES)))
        .expect("credit rules");
    let wat = rt
        .block_on(host.load(wat_example("flat_cost.wat")))
        .expect("flat cost");
    Setup {
        host,
        rust,
        wat,
        hub: hub("acme"),
        config: json!({ "couples_cost": 2, "max_sessions_per_quarter": 4 }),
        input: credit_cost_input(),
    }
}

fn one_call(s: &Setup, module: &PluginModule) -> Outcome<CreditCost> {
    let ctx = CallContext {
        hub: &s.hub,
        config: &s.config,
    };
    s.host
        .credit_cost(module, &ctx, &s.input)
        .expect("credit_cost")
}

fn credit_cost(c: &mut Criterion) {
    let rt = runtime();
    let s = setup(&rt);
    assert_eq!(one_call(&s, &s.rust), Outcome::Decided(CreditCost::cost(2)));

    let mut group = c.benchmark_group("credit_cost");
    group.throughput(Throughput::Elements(1));
    group.bench_function("rust_plugin_end_to_end", |b| {
        b.iter(|| black_box(one_call(&s, &s.rust)))
    });
    group.bench_function("wat_plugin_end_to_end", |b| {
        b.iter(|| black_box(one_call(&s, &s.wat)))
    });
    let plugin = InstalledPlugin::new(s.hub.clone(), s.rust.clone(), s.config.clone());
    group.bench_function("rust_plugin_decide", |b| {
        b.iter(|| black_box(s.host.decide(&plugin, &s.input, || CreditCost::cost(1))))
    });
    group.bench_function("rust_plugin_decide_async", |b| {
        b.to_async(&rt).iter(|| {
            s.host
                .decide_async(&plugin, s.input.clone(), || CreditCost::cost(1))
        })
    });
    group.finish();
}

fn throughput(c: &mut Criterion) {
    let rt = runtime();
    let s = setup(&rt);
    let mut group = c.benchmark_group("throughput");
    group.throughput(Throughput::Elements(1));
    for threads in [1_u64, 2] {
        group.bench_function(format!("credit_cost_{threads}_threads"), |b| {
            b.iter_custom(|iters| {
                let per_thread = iters.div_ceil(threads);
                let started = Instant::now();
                thread::scope(|scope| {
                    for _ in 0..threads {
                        scope.spawn(|| {
                            for _ in 0..per_thread {
                                black_box(one_call(&s, &s.rust));
                            }
                        });
                    }
                });
                started.elapsed()
            })
        });
    }
    group.finish();
}

/// The module's bytes with a custom section appended: same code, new content hash.
fn unique_copy(bytes: &[u8], n: u64) -> Vec<u8> {
    let name = b"hearth-bench";
    let payload = n.to_le_bytes();
    let size = 1 + name.len() + payload.len();
    let mut out = bytes.to_vec();
    out.push(0); // custom section
    out.push(size as u8); // fits one LEB128 byte
    out.push(name.len() as u8);
    out.extend_from_slice(name);
    out.extend_from_slice(&payload);
    out
}

fn upload_to_first_call(c: &mut Criterion) {
    let rt = runtime();
    let s = setup(&rt);
    let bytes = example(CREDIT_RULES);
    let counter = AtomicU64::new(0);
    let mut group = c.benchmark_group("upload_to_first_call");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("compile", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let upload = unique_copy(&bytes, counter.fetch_add(1, Ordering::Relaxed));
                let started = Instant::now();
                let module = rt.block_on(s.host.load(upload)).expect("load");
                black_box(one_call(&s, &module));
                total += started.elapsed();
                rt.block_on(s.host.forget(module.id()));
            }
            total
        })
    });

    let dir = std::env::temp_dir().join(format!("hearth-bench-cache-{}", std::process::id()));
    let cached = PluginHost::new(hearth_plugins::Limits {
        compilation_cache_dir: Some(dir.clone()),
        ..hearth_plugins::Limits::default()
    })
    .expect("host with disk cache");
    let warm = rt
        .block_on(cached.load(bytes.clone()))
        .expect("warm the disk cache");
    group.bench_function("from_disk_cache_after_restart", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                rt.block_on(cached.forget(warm.id()));
                let started = Instant::now();
                let module = rt.block_on(cached.load(bytes.clone())).expect("load");
                let ctx = CallContext {
                    hub: &s.hub,
                    config: &s.config,
                };
                black_box(cached.credit_cost(&module, &ctx, &s.input).expect("call"));
                total += started.elapsed();
            }
            total
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(dir);
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

/// Times single calls and prints percentiles; criterion only estimates means and medians.
fn latency_percentiles(_: &mut Criterion) {
    let rt = runtime();
    let s = setup(&rt);
    let envelope = json!({
        "abi": 1, "hook": "credit_cost", "hub": s.hub, "config": s.config, "input": s.input,
    });
    let size = serde_json::to_vec(&envelope).expect("envelope").len();
    println!("input envelope: {size} bytes of JSON");
    for (name, module) in [("rust credit_rules", &s.rust), ("wat flat_cost", &s.wat)] {
        for _ in 0..10_000 {
            black_box(one_call(&s, module));
        }
        let mut samples: Vec<Duration> = (0..100_000)
            .map(|_| {
                let started = Instant::now();
                black_box(one_call(&s, module));
                started.elapsed()
            })
            .collect();
        samples.sort();
        println!(
            "latency {name}: p50 {:?}  p90 {:?}  p99 {:?}  p99.9 {:?}  max {:?}  (n = {})",
            percentile(&samples, 0.50),
            percentile(&samples, 0.90),
            percentile(&samples, 0.99),
            percentile(&samples, 0.999),
            samples[samples.len() - 1],
            samples.len()
        );
    }
}

/// Nanoseconds this thread has spent on a CPU (Linux).
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// CPU time per call with 1 and 2 threads, and the wall-clock throughput it came with.
fn cpu_per_call(_: &mut Criterion) {
    let rt = runtime();
    let s = setup(&rt);
    const CALLS: u32 = 100_000;
    for threads in [1_u32, 2] {
        let started = Instant::now();
        let cpu: Vec<Option<u64>> = thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let before = thread_cpu_ns()?;
                        for _ in 0..CALLS {
                            black_box(one_call(&s, &s.rust));
                        }
                        Some(thread_cpu_ns()? - before)
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("worker"))
                .collect()
        });
        let wall = started.elapsed();
        let calls = f64::from(CALLS * threads);
        let cpu_total: Option<u64> = cpu.into_iter().sum();
        let cpu_us = cpu_total.map_or(f64::NAN, |ns| ns as f64 / 1e3 / calls);
        println!(
            "cpu per call, {threads} thread(s): {cpu_us:.2} µs CPU per call; \
             wall {:.0} calls/s; {:.0} calls/s if the {threads} core(s) were idle",
            calls / wall.as_secs_f64(),
            f64::from(threads) * 1e6 / cpu_us
        );
    }
}

criterion_group!(
    benches,
    credit_cost,
    throughput,
    upload_to_first_call,
    latency_percentiles,
    cpu_per_call
);
criterion_main!(benches);
