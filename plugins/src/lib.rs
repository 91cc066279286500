//! The wasmtime host for Hearth hub plugins.
//!
//! A hub may install WebAssembly plugins that decide its credit rules
//! (`credit_cost`, `period_grant`, `booking_allowed`) and compute its branding
//! (`theme`). The wire format is ABI v1 (`plugins/ABI.md`, types in
//! [`abi`]); plugins are written with `plugins/sdk` or any language that
//! emits a core wasm module.
//!
//! Every call runs in a fresh instance (pooling allocator) of a module
//! compiled once per content hash, with a fuel budget, a memory limiter, a
//! wall-clock deadline (epoch interruption), capped input, output and logs,
//! and no imports but `hearth.log`. A plugin that fails in any way never fails
//! the request: [`PluginHost::decide`] falls back to the hub's declarative
//! policy, logs and counts the failure, and disables a plugin that keeps failing.
//!
//! # Using it from hub and booking code
//!
//! ```no_run
//! use hearth_plugins::abi::{CreditCost, CreditCostInput, Hub};
//! use hearth_plugins::{InstalledPlugin, Limits, PluginHost, Source};
//!
//! # async fn example(wasm: Vec<u8>, input: CreditCostInput) -> Result<(), hearth_plugins::PluginError> {
//! // Once per process.
//! let host = PluginHost::new(Limits::default())?;
//!
//! // When a plugin is uploaded, or first needed after a restart (compiled on a
//! // blocking thread; a restart reads the compiled artefact from disk when
//! // `Limits::compilation_cache_dir` is set).
//! let module = host.load(wasm).await?;
//! let hub = Hub { id: "42".into(), slug: "acme".into(), name: "Acme".into() };
//! let plugin = InstalledPlugin::new(hub, module, serde_json::json!({ "couples_cost": 2 }));
//!
//! // On a request: the plugin's answer, or the hub's policy's.
//! let decision = host.decide_async(&plugin, input, || CreditCost::cost(1)).await;
//! if let Some(failure) = decision.failure {
//!     if failure.verdict.newly_disabled {
//!         // Persist "disabled" for (hub, plugin) and notify the hub's HR admins.
//!     }
//! }
//! let _credits = decision.value;
//! # let _ = Source::Plugin;
//! # Ok(()) }
//! ```

mod decide;
mod engine;
mod error;
mod hooks;
mod host;
mod limits;
pub mod metrics;
mod module;
mod tracker;

/// The ABI v1 types shared with plugins (re-exported from `hearth-plugin-sdk`).
pub use hearth_plugin_sdk::abi;

pub use decide::{Decision, FailureReport, InstalledPlugin, PolicyCause, Source};
pub use error::{FailureReason, PluginError};
pub use hooks::{
    CallContext, CheckOutput, HookCall, Outcome, MAX_THEME_TEXTS, MAX_THEME_VARIABLES,
};
pub use host::{CompilationCacheStats, PluginHost};
pub use limits::Limits;
pub use module::{PluginId, PluginModule};
pub use tracker::{FailureTracker, FailureVerdict};
