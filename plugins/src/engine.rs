//! The wasmtime engine, the per-call store state and the epoch ticker.
//!
//! Shaped after spin's `crates/core`: one engine with the pooling allocator,
//! fuel and epoch interruption; a thread that advances the epoch; a memory
//! limiter in every store.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use hearth_plugin_sdk::abi::names;
use wasmtime::{
    Cache, CacheConfig, Caller, Config, Enabled, Engine, Extern, InstanceAllocationStrategy,
    Linker, PoolingAllocationConfig, ResourceLimiter,
};

use crate::error::PluginError;
use crate::limits::Limits;

/// Builds the engine every plugin of this host is compiled and run with, and
/// the on-disk compilation cache it uses, if any.
pub(crate) fn build_engine(limits: &Limits) -> Result<(Engine, Option<Cache>), PluginError> {
    let mut pool = PoolingAllocationConfig::new();
    pool.total_core_instances(limits.max_concurrent_instances)
        .total_memories(limits.max_concurrent_instances)
        .total_tables(limits.max_concurrent_instances)
        .total_component_instances(0)
        .max_memories_per_module(1)
        .max_tables_per_module(1)
        .max_memory_size(limits.max_memory_bytes)
        .table_elements(limits.max_table_elements)
        // Keep a call's first pages mapped and reset them by scanning what was
        // touched: cheaper than unmapping and faulting them in again next call.
        .linear_memory_keep_resident(1 << 20)
        .table_keep_resident(64 << 10)
        .pagemap_scan(Enabled::Auto);

    let mut config = Config::new();
    config
        .consume_fuel(true)
        .epoch_interruption(true)
        .max_wasm_stack(limits.max_wasm_stack_bytes)
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pool))
        // Same answer on every machine: no nondeterministic float or SIMD results.
        .cranelift_nan_canonicalization(true)
        .wasm_relaxed_simd(false)
        .wasm_memory64(false)
        .wasm_multi_memory(false);

    let mut disk_cache = None;
    if let Some(dir) = &limits.compilation_cache_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| PluginError::Engine(format!("cannot create {}: {e}", dir.display())))?;
        let mut cache_config = CacheConfig::new();
        cache_config.with_directory(dir);
        let cache = Cache::new(cache_config)
            .map_err(|e| PluginError::Engine(format!("compilation cache: {e}")))?;
        config.cache(Some(cache.clone()));
        disk_cache = Some(cache);
    }

    let engine = Engine::new(&config).map_err(|e| PluginError::Engine(format!("{e:#}")))?;
    Ok((engine, disk_cache))
}

/// The linker: the only import a plugin may have is `hearth.log`.
pub(crate) fn build_linker(engine: &Engine) -> Result<Linker<CallState>, PluginError> {
    let mut linker = Linker::new(engine);
    linker
        .func_wrap(
            names::IMPORT_MODULE,
            names::LOG,
            |mut caller: Caller<'_, CallState>, level: i32, ptr: i32, len: i32| {
                if let Some(Extern::Memory(memory)) = caller.get_export(names::MEMORY) {
                    let (data, state) = memory.data_and_store_mut(&mut caller);
                    state.logs.push(level, data, ptr as u32, len as u32);
                }
            },
        )
        .map_err(|e| PluginError::Engine(format!("{e:#}")))?;
    Ok(linker)
}

/// What a store holds for one call: its limiter and the log lines it wrote.
pub(crate) struct CallState {
    pub(crate) limiter: CallLimiter,
    pub(crate) logs: GuestLogs,
}

impl CallState {
    pub(crate) fn new(limits: &Limits) -> Self {
        CallState {
            limiter: CallLimiter {
                max_memory_bytes: limits.max_memory_bytes,
                max_table_elements: limits.max_table_elements,
                exceeded: false,
            },
            logs: GuestLogs {
                lines: Vec::new(),
                bytes_left: limits.max_log_bytes,
                lines_left: limits.max_log_lines,
                dropped: 0,
            },
        }
    }
}

/// Caps memory and tables per store and remembers whether the plugin hit the cap,
/// so a trap that follows a refused `memory.grow` is reported as a memory failure.
pub(crate) struct CallLimiter {
    max_memory_bytes: usize,
    max_table_elements: usize,
    pub(crate) exceeded: bool,
}

impl ResourceLimiter for CallLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = desired <= self.max_memory_bytes;
        self.exceeded |= !allowed;
        Ok(allowed)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = desired <= self.max_table_elements;
        self.exceeded |= !allowed;
        Ok(allowed)
    }

    fn instances(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        1
    }

    fn memories(&self) -> usize {
        1
    }
}

/// Log lines a call wrote through `hearth.log`, capped in lines and bytes.
pub(crate) struct GuestLogs {
    pub(crate) lines: Vec<(i32, String)>,
    bytes_left: usize,
    lines_left: usize,
    pub(crate) dropped: u32,
}

impl GuestLogs {
    fn push(&mut self, level: i32, memory: &[u8], ptr: u32, len: u32) {
        let start = ptr as usize;
        let wanted = len as usize;
        let Some(bytes) = start
            .checked_add(wanted)
            .and_then(|end| memory.get(start..end))
        else {
            self.dropped += 1;
            return;
        };
        if self.lines_left == 0 || self.bytes_left == 0 {
            self.dropped += 1;
            return;
        }
        let kept = &bytes[..bytes.len().min(self.bytes_left)];
        self.bytes_left -= kept.len();
        self.lines_left -= 1;
        self.lines
            .push((level, String::from_utf8_lossy(kept).into_owned()));
    }
}

/// Advances the engine's epoch every tick until dropped; deadlines are counted in ticks.
pub(crate) struct EpochTicker {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl EpochTicker {
    pub(crate) fn start(engine: Engine, tick: Duration) -> Result<Self, PluginError> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = thread::Builder::new()
            .name("hearth-plugin-epoch".into())
            .spawn(move || {
                // Stops when the sender is dropped (or sends).
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(tick) {
                    engine.increment_epoch();
                }
            })
            .map_err(|e| PluginError::Engine(format!("cannot start the epoch ticker: {e}")))?;
        Ok(EpochTicker {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        // Dropping the sender wakes the thread at once.
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            // A panicked ticker has nothing left to clean up.
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_logs_are_capped_in_lines_and_bytes() {
        let limits = Limits {
            max_log_lines: 2,
            max_log_bytes: 8,
            ..Limits::default()
        };
        let mut logs = CallState::new(&limits).logs;
        let memory = b"hello world";
        logs.push(2, memory, 0, 5);
        logs.push(2, memory, 6, 5);
        logs.push(2, memory, 0, 5);
        logs.push(2, memory, 100, 5);
        assert_eq!(
            logs.lines,
            vec![(2, "hello".to_string()), (2, "wor".to_string())]
        );
        assert_eq!(logs.dropped, 2);
    }
}
