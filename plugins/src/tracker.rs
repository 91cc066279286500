//! Consecutive failures per (hub, plugin), and when to disable a plugin for a hub.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::module::PluginId;

/// What recording a failure concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailureVerdict {
    /// Failures in a row for this hub and plugin, this one included.
    pub consecutive_failures: u32,
    /// The threshold is reached: stop calling the plugin for this hub and persist that.
    pub should_disable: bool,
    /// This failure is the one that reached the threshold: notify the hub's HR admins once.
    pub newly_disabled: bool,
}

/// Counts consecutive failures per (hub, plugin) on this node.
///
/// A success resets the count. At `threshold` failures in a row the verdict
/// says `should_disable`; the host then stops calling the plugin for that hub
/// (on this node) and the caller is expected to persist the decision, so other
/// nodes and restarts follow it, and to tell the hub's HR admins. A new upload
/// has a new [`PluginId`] and starts clean; re-enabling the same plugin calls
/// [`FailureTracker::reset`].
#[derive(Debug)]
pub struct FailureTracker {
    threshold: u32,
    // plugin -> hub id -> consecutive failures. Only failing pairs are kept.
    counts: Mutex<HashMap<PluginId, HashMap<String, u32>>>,
}

impl FailureTracker {
    /// A tracker that disables after `threshold` consecutive failures (at least 1).
    pub fn new(threshold: u32) -> Self {
        FailureTracker {
            threshold: threshold.max(1),
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// The threshold in use.
    pub fn threshold(&self) -> u32 {
        self.threshold
    }

    fn counts(&self) -> MutexGuard<'_, HashMap<PluginId, HashMap<String, u32>>> {
        // The map stays consistent whatever panicked while holding it.
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A call ran fine: the count starts again from zero.
    pub fn record_success(&self, hub_id: &str, plugin: &PluginId) {
        let mut counts = self.counts();
        if let Some(hubs) = counts.get_mut(plugin) {
            hubs.remove(hub_id);
            if hubs.is_empty() {
                counts.remove(plugin);
            }
        }
    }

    /// A call failed.
    pub fn record_failure(&self, hub_id: &str, plugin: &PluginId) -> FailureVerdict {
        let mut counts = self.counts();
        let count = counts
            .entry(*plugin)
            .or_default()
            .entry(hub_id.to_string())
            .or_insert(0);
        *count = count.saturating_add(1);
        FailureVerdict {
            consecutive_failures: *count,
            should_disable: *count >= self.threshold,
            newly_disabled: *count == self.threshold,
        }
    }

    /// The current state, for a failure that does not count (the host's fault).
    pub fn verdict(&self, hub_id: &str, plugin: &PluginId) -> FailureVerdict {
        let consecutive_failures = self.consecutive_failures(hub_id, plugin);
        FailureVerdict {
            consecutive_failures,
            should_disable: consecutive_failures >= self.threshold,
            newly_disabled: false,
        }
    }

    /// Consecutive failures so far.
    pub fn consecutive_failures(&self, hub_id: &str, plugin: &PluginId) -> u32 {
        self.counts()
            .get(plugin)
            .and_then(|hubs| hubs.get(hub_id))
            .copied()
            .unwrap_or(0)
    }

    /// Whether the plugin has reached the threshold for this hub.
    pub fn is_disabled(&self, hub_id: &str, plugin: &PluginId) -> bool {
        self.consecutive_failures(hub_id, plugin) >= self.threshold
    }

    /// Forgets the failures, e.g. when an HR admin re-enables the plugin.
    pub fn reset(&self, hub_id: &str, plugin: &PluginId) {
        self.record_success(hub_id, plugin);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disables_after_the_threshold_and_says_so_once() {
        let tracker = FailureTracker::new(3);
        let plugin = PluginId::of(b"p");
        let verdicts: Vec<_> = (0..4)
            .map(|_| tracker.record_failure("acme", &plugin))
            .collect();
        assert_eq!(
            verdicts
                .iter()
                .map(|v| v.should_disable)
                .collect::<Vec<_>>(),
            [false, false, true, true]
        );
        assert_eq!(
            verdicts
                .iter()
                .map(|v| v.newly_disabled)
                .collect::<Vec<_>>(),
            [false, false, true, false]
        );
        assert!(tracker.is_disabled("acme", &plugin));
        assert!(!tracker.is_disabled("globex", &plugin));
        tracker.reset("acme", &plugin);
        assert_eq!(tracker.consecutive_failures("acme", &plugin), 0);
    }

    #[test]
    fn a_success_breaks_the_streak() {
        let tracker = FailureTracker::new(2);
        let plugin = PluginId::of(b"p");
        tracker.record_failure("acme", &plugin);
        tracker.record_success("acme", &plugin);
        assert!(!tracker.record_failure("acme", &plugin).should_disable);
    }
}
