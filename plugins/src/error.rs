//! The plugin host's one error type, and why a call failed.

use std::fmt;

/// Why a plugin call failed. Used as the `reason` label of `hearth_plugin_failures_total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FailureReason {
    /// The call used up its fuel (instruction budget): a loop, or too much work.
    Fuel,
    /// The call passed its wall-clock deadline (epoch interruption).
    Deadline,
    /// The call asked for more memory (or table space) than allowed.
    Memory,
    /// The call recursed past its stack limit.
    StackOverflow,
    /// The call trapped for another reason (`unreachable`, a panic, out-of-bounds access...).
    Trap,
    /// The input document was larger than the input cap; the plugin was not run.
    InputTooLarge,
    /// The output document was larger than the output cap.
    OutputTooLarge,
    /// The output was not a valid document for the hook (bad JSON, schema, values).
    MalformedOutput,
    /// The plugin answered with an error of its own (`{"decision":"error"}`), e.g. bad config.
    GuestError,
    /// No instance slot was free: too many calls at once.
    Busy,
    /// The module could not be instantiated (start function, limits).
    Instantiate,
    /// The host failed around the call (a blocking task panicked or was cancelled).
    Host,
}

impl FailureReason {
    /// Every reason, for dashboards and tests.
    pub const ALL: [FailureReason; 12] = [
        FailureReason::Fuel,
        FailureReason::Deadline,
        FailureReason::Memory,
        FailureReason::StackOverflow,
        FailureReason::Trap,
        FailureReason::InputTooLarge,
        FailureReason::OutputTooLarge,
        FailureReason::MalformedOutput,
        FailureReason::GuestError,
        FailureReason::Busy,
        FailureReason::Instantiate,
        FailureReason::Host,
    ];

    /// The label value used in metrics and logs.
    pub const fn as_str(self) -> &'static str {
        match self {
            FailureReason::Fuel => "fuel",
            FailureReason::Deadline => "deadline",
            FailureReason::Memory => "memory",
            FailureReason::StackOverflow => "stack_overflow",
            FailureReason::Trap => "trap",
            FailureReason::InputTooLarge => "input_too_large",
            FailureReason::OutputTooLarge => "output_too_large",
            FailureReason::MalformedOutput => "malformed_output",
            FailureReason::GuestError => "guest_error",
            FailureReason::Busy => "busy",
            FailureReason::Instantiate => "instantiate",
            FailureReason::Host => "host",
        }
    }

    /// Whether the plugin is to blame, so the failure counts toward disabling it.
    ///
    /// A full instance pool (`busy`), the host's own failures and an input the
    /// host made too large must not disable a plugin for a hub. A missed
    /// deadline does count, although a thread descheduled on an overloaded
    /// node can miss it too: a 10 µs call rarely straddles a 50 ms stall, five
    /// in a row for one hub and plugin do not happen by chance, and a plugin
    /// that keeps the host busy past the deadline must be stopped.
    pub const fn is_plugin_fault(self) -> bool {
        !matches!(
            self,
            FailureReason::Busy | FailureReason::Host | FailureReason::InputTooLarge
        )
    }
}

impl fmt::Display for FailureReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can go wrong in the plugin host.
///
/// Details are for operators' logs; a member never sees them (a failed call
/// falls back to the hub's declarative policy).
#[derive(Clone, Debug, thiserror::Error)]
pub enum PluginError {
    /// The host's [`crate::Limits`] are inconsistent.
    #[error("invalid plugin host configuration: {0}")]
    Config(String),
    /// The wasm engine could not be set up.
    #[error("plugin engine error: {0}")]
    Engine(String),
    /// An uploaded module was rejected: not wasm, not ABI v1, or asks for what the host does not offer.
    #[error("invalid plugin module: {0}")]
    InvalidModule(String),
    /// A call failed; the caller should apply the hub's declarative policy.
    #[error("plugin call failed ({reason}): {detail}")]
    Call {
        /// Why, as counted in metrics.
        reason: FailureReason,
        /// What happened, for the operator.
        detail: String,
    },
}

impl PluginError {
    /// A failed call.
    pub fn call(reason: FailureReason, detail: impl Into<String>) -> Self {
        PluginError::Call {
            reason,
            detail: detail.into(),
        }
    }

    /// An invalid module.
    pub fn invalid(detail: impl Into<String>) -> Self {
        PluginError::InvalidModule(detail.into())
    }

    /// The failure reason of a failed call; `None` for other errors.
    pub fn reason(&self) -> Option<FailureReason> {
        match self {
            PluginError::Call { reason, .. } => Some(*reason),
            _ => None,
        }
    }
}
