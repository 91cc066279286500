//! Plugin-or-policy decisions: a failing plugin never fails the request.

use std::sync::Arc;

use hearth_plugin_sdk::abi::Hub;

use crate::error::{FailureReason, PluginError};
use crate::hooks::{CallContext, HookCall, Outcome};
use crate::host::PluginHost;
use crate::metrics;
use crate::module::PluginModule;
use crate::tracker::FailureVerdict;

/// A plugin installed on a hub, with the config its HR admin saved. Cheap to clone.
#[derive(Clone, Debug)]
pub struct InstalledPlugin(Arc<Installed>);

#[derive(Debug)]
struct Installed {
    hub: Hub,
    module: PluginModule,
    config: serde_json::Value,
}

impl InstalledPlugin {
    /// `module` installed on `hub` with `config` (`Value::Null` when the admin saved none).
    pub fn new(hub: Hub, module: PluginModule, config: serde_json::Value) -> Self {
        InstalledPlugin(Arc::new(Installed {
            hub,
            module,
            config,
        }))
    }

    /// The hub it is installed on.
    pub fn hub(&self) -> &Hub {
        &self.0.hub
    }

    /// The compiled plugin.
    pub fn module(&self) -> &PluginModule {
        &self.0.module
    }

    /// The hub's config for it.
    pub fn config(&self) -> &serde_json::Value {
        &self.0.config
    }

    fn context(&self) -> CallContext<'_> {
        CallContext {
            hub: &self.0.hub,
            config: &self.0.config,
        }
    }
}

/// Why the hub's declarative policy decided instead of the plugin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyCause {
    /// The plugin does not export this hook.
    NotExported,
    /// The plugin deferred to the policy.
    Deferred,
    /// The plugin failed.
    Failed(FailureReason),
    /// The plugin failed too often for this hub and is no longer called.
    Disabled,
}

/// Who made a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The plugin.
    Plugin,
    /// The hub's declarative policy.
    Policy(PolicyCause),
}

/// A failed call, as the caller needs to know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailureReport {
    /// Why the call failed.
    pub reason: FailureReason,
    /// Failures in a row, whether to disable, whether this one crossed the threshold.
    pub verdict: FailureVerdict,
}

/// A decision that is always there: the plugin's, or the hub's policy's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision<T> {
    /// What was decided.
    pub value: T,
    /// Who decided.
    pub source: Source,
    /// Set when the plugin failed. If `verdict.newly_disabled`, persist the
    /// plugin as disabled for the hub and notify its HR admins.
    pub failure: Option<FailureReport>,
}

impl PluginHost {
    /// The plugin's decision, or `policy()`'s when the plugin lacks the hook, defers, fails or is disabled.
    ///
    /// Synchronous and bounded by the call's deadline; from async code prefer
    /// [`PluginHost::decide_async`]. Failures are logged, counted and tracked
    /// per (hub, plugin); see [`Decision::failure`].
    pub fn decide<I: HookCall>(
        &self,
        plugin: &InstalledPlugin,
        input: &I,
        policy: impl FnOnce() -> I::Output,
    ) -> Decision<I::Output> {
        if self.is_disabled(plugin) {
            return decision_or(PolicyCause::Disabled, policy);
        }
        let result = self.call(plugin.module(), &plugin.context(), input);
        self.settle::<I>(plugin, result, policy)
    }

    /// [`PluginHost::decide`] with the plugin call on tokio's blocking pool.
    pub async fn decide_async<I>(
        &self,
        plugin: &InstalledPlugin,
        input: I,
        policy: impl FnOnce() -> I::Output,
    ) -> Decision<I::Output>
    where
        I: HookCall + Send + 'static,
        I::Output: Send + 'static,
    {
        if self.is_disabled(plugin) {
            return decision_or(PolicyCause::Disabled, policy);
        }
        if !plugin.module().implements(I::HOOK) {
            return self.settle::<I>(plugin, Ok(Outcome::NotExported), policy);
        }
        let (host, installed) = (self.clone(), plugin.clone());
        let joined = tokio::task::spawn_blocking(move || {
            host.call(installed.module(), &installed.context(), &input)
        })
        .await;
        let result = joined.unwrap_or_else(|error| {
            // The call itself never panics; this is the runtime shutting down or a bug.
            metrics::failure(I::HOOK, FailureReason::Host);
            tracing::error!(
                plugin = %plugin.module().id().short(),
                hub = %plugin.hub().slug,
                hook = %I::HOOK,
                %error,
                "plugin call task failed; the hub's policy applies"
            );
            Err(PluginError::call(FailureReason::Host, error.to_string()))
        });
        self.settle::<I>(plugin, result, policy)
    }

    /// Whether the plugin failed too often for its hub (on this node) to be called.
    fn is_disabled(&self, plugin: &InstalledPlugin) -> bool {
        self.failure_tracker()
            .is_disabled(&plugin.hub().id, plugin.module().id())
    }

    fn settle<I: HookCall>(
        &self,
        plugin: &InstalledPlugin,
        result: Result<Outcome<I::Output>, PluginError>,
        policy: impl FnOnce() -> I::Output,
    ) -> Decision<I::Output> {
        let tracker = self.failure_tracker();
        let (hub, id) = (&plugin.hub().id, plugin.module().id());
        match result {
            Ok(Outcome::Decided(value)) => {
                tracker.record_success(hub, id);
                Decision {
                    value,
                    source: Source::Plugin,
                    failure: None,
                }
            }
            Ok(Outcome::Deferred) => {
                tracker.record_success(hub, id);
                decision_or(PolicyCause::Deferred, policy)
            }
            Ok(Outcome::NotExported) => decision_or(PolicyCause::NotExported, policy),
            Err(error) => {
                let reason = error.reason().unwrap_or(FailureReason::Host);
                let verdict = if reason.is_plugin_fault() {
                    tracker.record_failure(hub, id)
                } else {
                    tracker.verdict(hub, id)
                };
                if verdict.newly_disabled {
                    metrics::disabled(I::HOOK);
                    tracing::warn!(
                        plugin = %id.short(),
                        hub = %plugin.hub().slug,
                        hook = %I::HOOK,
                        failures = verdict.consecutive_failures,
                        "plugin disabled for the hub after repeated failures"
                    );
                }
                Decision {
                    value: policy(),
                    source: Source::Policy(PolicyCause::Failed(reason)),
                    failure: Some(FailureReport { reason, verdict }),
                }
            }
        }
    }
}

fn decision_or<T>(cause: PolicyCause, policy: impl FnOnce() -> T) -> Decision<T> {
    Decision {
        value: policy(),
        source: Source::Policy(cause),
        failure: None,
    }
}

// Hub and booking code runs in axum handlers, whose futures must be `Send`.
const _: fn(&PluginHost, &InstalledPlugin, hearth_plugin_sdk::abi::CreditCostInput) =
    |host, plugin, input| {
        fn is_send<T: Send>(_: T) {}
        fn is_send_sync<T: Send + Sync>(_: &T) {}
        is_send_sync(host);
        is_send_sync(plugin);
        is_send(host.decide_async(plugin, input, || {
            hearth_plugin_sdk::abi::CreditCost::cost(1)
        }));
        is_send(host.load(Vec::new()));
    };
