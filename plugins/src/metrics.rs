//! Metrics the host records, through the `metrics` facade (no-ops until a recorder is installed).
//!
//! Labels never carry a hub or a plugin id (unbounded cardinality); logs do.

use std::time::Duration;

use hearth_plugin_sdk::abi::Hook;

use crate::error::{FailureReason, PluginError};
use crate::hooks::Outcome;

/// Counter of hook calls that ran, by `hook` and `outcome` (`decided`, `deferred`, `failed`).
pub const CALLS_TOTAL: &str = "hearth_plugin_calls_total";
/// Counter of failed calls, by `hook` and `reason` (see [`FailureReason::as_str`]).
pub const FAILURES_TOTAL: &str = "hearth_plugin_failures_total";
/// Counter of (hub, plugin) pairs disabled for failing repeatedly, by `hook`.
pub const DISABLED_TOTAL: &str = "hearth_plugin_disabled_total";
/// Histogram of call durations in seconds, by `hook`.
pub const CALL_DURATION_SECONDS: &str = "hearth_plugin_call_duration_seconds";
/// Counter of module loads, by `result` (`compiled`, `cached`, `rejected`).
pub const LOADS_TOTAL: &str = "hearth_plugin_loads_total";

/// Registers descriptions of the metrics above; call once after installing a recorder.
pub fn describe() {
    metrics::describe_counter!(
        CALLS_TOTAL,
        "Plugin hook calls that ran, by hook and outcome."
    );
    metrics::describe_counter!(
        FAILURES_TOTAL,
        "Plugin hook calls that failed, by hook and reason."
    );
    metrics::describe_counter!(
        DISABLED_TOTAL,
        "Plugins disabled for a hub after repeated failures."
    );
    metrics::describe_histogram!(
        CALL_DURATION_SECONDS,
        metrics::Unit::Seconds,
        "Duration of plugin hook calls, instantiation included."
    );
    metrics::describe_counter!(LOADS_TOTAL, "Plugin module loads, by result.");
}

pub(crate) enum LoadResult {
    Compiled,
    Cached,
    Rejected,
}

pub(crate) fn load(result: LoadResult) {
    let result = match result {
        LoadResult::Compiled => "compiled",
        LoadResult::Cached => "cached",
        LoadResult::Rejected => "rejected",
    };
    metrics::counter!(LOADS_TOTAL, "result" => result).increment(1);
}

pub(crate) fn call<T>(hook: Hook, result: &Result<Outcome<T>, PluginError>, elapsed: Duration) {
    let outcome = match result {
        Ok(Outcome::Decided(_)) => "decided",
        Ok(Outcome::Deferred) => "deferred",
        Ok(Outcome::NotExported) => return,
        Err(_) => "failed",
    };
    metrics::counter!(CALLS_TOTAL, "hook" => hook.as_str(), "outcome" => outcome).increment(1);
    metrics::histogram!(CALL_DURATION_SECONDS, "hook" => hook.as_str())
        .record(elapsed.as_secs_f64());
    if let Err(error) = result {
        failure(hook, error.reason().unwrap_or(FailureReason::Host));
    }
}

pub(crate) fn failure(hook: Hook, reason: FailureReason) {
    metrics::counter!(FAILURES_TOTAL, "hook" => hook.as_str(), "reason" => reason.as_str())
        .increment(1);
}

pub(crate) fn disabled(hook: Hook) {
    metrics::counter!(DISABLED_TOTAL, "hook" => hook.as_str()).increment(1);
}
