//! Budgets every plugin call runs under, and the host's capacity settings.

use std::path::PathBuf;
use std::time::Duration;

use crate::error::PluginError;

/// Limits for the host and every call it makes. [`Limits::default`] is safe for production.
///
/// The defaults follow Shopify Functions (about 11 million instructions, 10 MB
/// of memory, 128 kB in, 20 kB out), rounded to our units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Fuel (roughly wasm instructions) per call. Default 10 million.
    pub fuel: u64,
    /// Most linear memory a call may use, in bytes. Default 16 MiB.
    pub max_memory_bytes: usize,
    /// Most elements a wasm table may hold. Default 10,000.
    pub max_table_elements: usize,
    /// Most native stack a call may use, in bytes (bounds recursion). Default 512 KiB.
    pub max_wasm_stack_bytes: usize,
    /// Wall-clock deadline of a call, enforced by epoch interruption. Default 50 ms.
    pub deadline: Duration,
    /// How often the epoch ticker advances; the deadline's granularity. Default 5 ms.
    pub epoch_tick: Duration,
    /// Largest input document (envelope included), in bytes. Default 128 KiB.
    pub max_input_bytes: usize,
    /// Largest output document, in bytes. Default 20 KiB.
    pub max_output_bytes: usize,
    /// Largest module accepted by `load`, in bytes. Default 8 MiB.
    pub max_module_bytes: usize,
    /// Bytes of `hearth.log` output kept per call; the rest is dropped. Default 2 KiB.
    pub max_log_bytes: usize,
    /// Log lines kept per call. Default 8.
    pub max_log_lines: usize,
    /// Instances that may run at once (pooling allocator slots). Default 256.
    pub max_concurrent_instances: u32,
    /// Compiled modules kept in memory. Default 256.
    pub module_cache_entries: u64,
    /// Where compiled artefacts are kept across restarts (wasmtime's cache); `None` keeps none.
    pub compilation_cache_dir: Option<PathBuf>,
    /// Largest credit amount a plugin may answer; larger is malformed output. Default 10,000.
    pub max_credits: u32,
    /// Consecutive failures after which a plugin is disabled for a hub. Default 5.
    pub disable_after_failures: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: 10_000_000,
            max_memory_bytes: 16 << 20,
            max_table_elements: 10_000,
            max_wasm_stack_bytes: 512 << 10,
            deadline: Duration::from_millis(50),
            epoch_tick: Duration::from_millis(5),
            max_input_bytes: 128 << 10,
            max_output_bytes: 20 << 10,
            max_module_bytes: 8 << 20,
            max_log_bytes: 2 << 10,
            max_log_lines: 8,
            max_concurrent_instances: 256,
            module_cache_entries: 256,
            compilation_cache_dir: None,
            max_credits: 10_000,
            disable_after_failures: 5,
        }
    }
}

impl Limits {
    /// Checks that the limits make sense together.
    pub fn validate(&self) -> Result<(), PluginError> {
        let fail = |what: &str| Err(PluginError::Config(what.to_string()));
        if self.fuel == 0 {
            return fail("fuel must be positive");
        }
        if self.max_memory_bytes < 64 << 10 || self.max_memory_bytes > 4 << 30 {
            return fail("max_memory_bytes must be between 64 KiB and 4 GiB");
        }
        if self.max_wasm_stack_bytes < 16 << 10 {
            return fail("max_wasm_stack_bytes must be at least 16 KiB");
        }
        if self.epoch_tick.is_zero() || self.deadline < self.epoch_tick {
            return fail("epoch_tick must be positive and no longer than the deadline");
        }
        if self.max_input_bytes == 0 || self.max_output_bytes == 0 {
            return fail("input and output caps must be positive");
        }
        if u32::try_from(self.max_input_bytes).is_err()
            || u32::try_from(self.max_output_bytes).is_err()
        {
            return fail("input and output caps must fit a 32-bit address space");
        }
        if self.max_concurrent_instances == 0 || self.module_cache_entries == 0 {
            return fail("max_concurrent_instances and module_cache_entries must be positive");
        }
        if self.disable_after_failures == 0 {
            return fail("disable_after_failures must be positive");
        }
        if let Some(dir) = &self.compilation_cache_dir {
            if !dir.is_absolute() {
                return fail("compilation_cache_dir must be an absolute path");
            }
        }
        Ok(())
    }

    /// The deadline in epoch ticks, rounded up: a call may run up to one tick longer.
    pub fn deadline_ticks(&self) -> u64 {
        let tick = self.epoch_tick.as_nanos().max(1);
        self.deadline.as_nanos().div_ceil(tick).max(1) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_match_the_issue() {
        let limits = Limits::default();
        limits.validate().unwrap();
        assert_eq!(limits.fuel, 10_000_000);
        assert_eq!(limits.max_memory_bytes, 16 * 1024 * 1024);
        assert_eq!(limits.deadline_ticks(), 10);
    }

    #[test]
    fn nonsense_is_refused() {
        let zero_fuel = Limits {
            fuel: 0,
            ..Limits::default()
        };
        assert!(zero_fuel.validate().is_err());
        let tick_longer_than_deadline = Limits {
            epoch_tick: Duration::from_secs(1),
            ..Limits::default()
        };
        assert!(tick_longer_than_deadline.validate().is_err());
        let relative_cache = Limits {
            compilation_cache_dir: Some("cache".into()),
            ..Limits::default()
        };
        assert!(relative_cache.validate().is_err());
    }
}
