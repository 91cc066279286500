//! The plugin host: loading (validate, compile once, cache) and the raw call into a fresh instance.

use std::sync::Arc;
use std::time::Instant;

use hearth_plugin_sdk::abi::{self, Hook};
use wasmtime::{Engine, Extern, Linker, Module, ModuleExport, Store, Trap};

use crate::engine::{build_engine, build_linker, CallState, EpochTicker};
use crate::error::{FailureReason, PluginError};
use crate::limits::Limits;
use crate::metrics;
use crate::module::{inspect, ModuleInner, PluginId, PluginModule};
use crate::tracker::FailureTracker;

/// Runs hub plugins under fixed budgets. Cheap to clone; share one per process.
///
/// Create it once at startup (it starts an epoch ticker thread), [`load`](Self::load)
/// plugins when they are uploaded or first needed, then call hooks with
/// [`call`](Self::call) or, with the fallback to the hub's policy built in,
/// [`decide`](Self::decide) / [`decide_async`](Self::decide_async).
#[derive(Clone)]
pub struct PluginHost(pub(crate) Arc<HostInner>);

pub(crate) struct HostInner {
    pub(crate) limits: Limits,
    engine: Engine,
    linker: Linker<CallState>,
    modules: moka::future::Cache<PluginId, PluginModule>,
    pub(crate) tracker: FailureTracker,
    disk_cache: Option<wasmtime::Cache>,
    // Last, so the ticker stops after everything else is dropped.
    _ticker: EpochTicker,
}

impl std::fmt::Debug for PluginHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginHost")
            .field("limits", &self.0.limits)
            .field("modules", &self.0.modules.entry_count())
            .finish_non_exhaustive()
    }
}

impl PluginHost {
    /// Builds the engine (pooling allocator, fuel, epochs), the linker and the ticker.
    pub fn new(limits: Limits) -> Result<PluginHost, PluginError> {
        limits.validate()?;
        let (engine, disk_cache) = build_engine(&limits)?;
        let linker = build_linker(&engine)?;
        let ticker = EpochTicker::start(engine.clone(), limits.epoch_tick)?;
        let modules = moka::future::Cache::builder()
            .name("hearth-plugin-modules")
            .max_capacity(limits.module_cache_entries)
            .build();
        let tracker = FailureTracker::new(limits.disable_after_failures);
        Ok(PluginHost(Arc::new(HostInner {
            limits,
            engine,
            linker,
            modules,
            tracker,
            disk_cache,
            _ticker: ticker,
        })))
    }

    /// The limits this host runs calls with.
    pub fn limits(&self) -> &Limits {
        &self.0.limits
    }

    /// The consecutive-failure tracker that disables failing plugins per hub.
    pub fn failure_tracker(&self) -> &FailureTracker {
        &self.0.tracker
    }

    /// Validates and compiles a plugin, once per content hash.
    ///
    /// Hashing, compiling (or reading the compiled artefact from the on-disk
    /// cache) and a probe instantiation run on a blocking thread; concurrent
    /// loads of the same bytes share one compilation. Call it when a plugin is
    /// uploaded, and at startup or on first use after a restart, never per request.
    pub async fn load(&self, bytes: impl Into<Arc<[u8]>>) -> Result<PluginModule, PluginError> {
        let bytes: Arc<[u8]> = bytes.into();
        let limits = &self.0.limits;
        if bytes.len() > limits.max_module_bytes {
            metrics::load(metrics::LoadResult::Rejected);
            return Err(PluginError::invalid(format!(
                "module of {} bytes exceeds the limit of {} bytes",
                bytes.len(),
                limits.max_module_bytes
            )));
        }
        let hashed = Arc::clone(&bytes);
        let id = blocking(move || Ok(PluginId::of(&hashed))).await?;
        if let Some(module) = self.0.modules.get(&id).await {
            metrics::load(metrics::LoadResult::Cached);
            return Ok(module);
        }
        let host = self.clone();
        let result = self
            .0
            .modules
            .try_get_with(id, async move {
                blocking(move || host.compile(id, &bytes)).await
            })
            .await
            .map_err(|e| (*e).clone());
        metrics::load(match &result {
            Ok(_) => metrics::LoadResult::Compiled,
            Err(_) => metrics::LoadResult::Rejected,
        });
        if let Err(error) = &result {
            tracing::info!(plugin = %id.short(), %error, "plugin module rejected");
        }
        result
    }

    /// Hits and misses of the on-disk compilation cache since start, if one is configured.
    pub fn compilation_cache_stats(&self) -> Option<CompilationCacheStats> {
        self.0
            .disk_cache
            .as_ref()
            .map(|cache| CompilationCacheStats {
                hits: cache.cache_hits(),
                misses: cache.cache_misses(),
            })
    }

    /// A module already loaded (and still cached) under this id.
    pub async fn get(&self, id: &PluginId) -> Option<PluginModule> {
        self.0.modules.get(id).await
    }

    /// Drops a module from the in-memory cache (e.g. when no hub uses it any more).
    pub async fn forget(&self, id: &PluginId) {
        self.0.modules.invalidate(id).await;
    }

    /// Compiles and checks a module. Blocking: wasm compilation is CPU work.
    fn compile(&self, id: PluginId, bytes: &[u8]) -> Result<PluginModule, PluginError> {
        let started = Instant::now();
        let module = Module::from_binary(&self.0.engine, bytes)
            .map_err(|e| PluginError::invalid(format!("rejected by the engine: {e:#}")))?;
        let exports = inspect(&module, &self.0.limits)?;
        let pre = self
            .0
            .linker
            .instantiate_pre(&module)
            .map_err(|e| PluginError::invalid(format!("cannot be linked: {e:#}")))?;
        let plugin = PluginModule(Arc::new(ModuleInner {
            id,
            short_id: id.short(),
            pre,
            exports,
            size: bytes.len(),
        }));
        // Instantiate once now, so a start function that traps or a memory that
        // does not fit the limits is refused at upload rather than on a request.
        self.with_instance(&plugin, "load", |_, _| Ok(()))
            .map_err(|e| match e {
                PluginError::Call { reason, detail } => PluginError::invalid(format!(
                    "cannot be instantiated within the limits ({reason}): {detail}"
                )),
                other => other,
            })?;
        tracing::info!(
            plugin = %plugin.0.short_id,
            bytes = bytes.len(),
            hooks = ?plugin.hooks(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
            "plugin module loaded"
        );
        Ok(plugin)
    }

    /// Runs `export` of a fresh instance on `input` and hands the output bytes to `parse`.
    ///
    /// `export` is `None` for `hearth_config_schema`, which takes no input.
    pub(crate) fn invoke<R>(
        &self,
        plugin: &PluginModule,
        hook: Hook,
        hub_slug: &str,
        input: &[u8],
        parse: impl FnOnce(&[u8]) -> Result<R, PluginError>,
    ) -> Result<R, PluginError> {
        let export = plugin.0.exports.hook(hook).ok_or_else(|| {
            PluginError::call(FailureReason::Host, format!("`{hook}` is not exported"))
        })?;
        let max_output = self.0.limits.max_output_bytes;
        self.with_instance(plugin, hub_slug, |store, instance| {
            call_hook(store, plugin, instance, export, input, max_output, parse)
        })
    }

    /// Calls `hearth_config_schema` in a fresh instance.
    pub(crate) fn invoke_config_schema<R>(
        &self,
        plugin: &PluginModule,
        parse: impl FnOnce(&[u8]) -> Result<R, PluginError>,
    ) -> Result<Option<R>, PluginError> {
        let Some(export) = &plugin.0.exports.config_schema else {
            return Ok(None);
        };
        let max_output = self.0.limits.max_output_bytes;
        self.with_instance(plugin, "config_schema", |store, instance| {
            let func = typed_export::<(), i64>(store, instance, export)?;
            let packed = func.call(&mut *store, ()).map_err(|e| classify(store, e))?;
            read_output(store, plugin, instance, packed as u64, max_output).and_then(parse)
        })
        .map(Some)
    }

    /// A fresh store with every budget set, a fresh instance in it, then `body`.
    fn with_instance<R>(
        &self,
        plugin: &PluginModule,
        hub_slug: &str,
        body: impl FnOnce(&mut Store<CallState>, &wasmtime::Instance) -> Result<R, PluginError>,
    ) -> Result<R, PluginError> {
        let limits = &self.0.limits;
        let mut store = Store::new(&self.0.engine, CallState::new(limits));
        store.limiter(|state| &mut state.limiter);
        store
            .set_fuel(limits.fuel)
            .map_err(|e| PluginError::call(FailureReason::Host, format!("{e:#}")))?;
        store.set_epoch_deadline(limits.deadline_ticks());
        let result = match plugin.0.pre.instantiate(&mut store) {
            Ok(instance) => body(&mut store, &instance),
            Err(error) => Err(classify_instantiation(&store, error)),
        };
        emit_guest_logs(&store, plugin, hub_slug);
        result
    }
}

/// Use of the on-disk compilation cache ([`Limits::compilation_cache_dir`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompilationCacheStats {
    /// Modules read from disk instead of compiled.
    pub hits: usize,
    /// Modules compiled (and written to disk).
    pub misses: usize,
}

/// Runs `f` on tokio's blocking pool.
pub(crate) async fn blocking<R: Send + 'static>(
    f: impl FnOnce() -> Result<R, PluginError> + Send + 'static,
) -> Result<R, PluginError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| PluginError::call(FailureReason::Host, format!("blocking task failed: {e}")))?
}

fn call_hook<R>(
    store: &mut Store<CallState>,
    plugin: &PluginModule,
    instance: &wasmtime::Instance,
    export: &ModuleExport,
    input: &[u8],
    max_output: usize,
    parse: impl FnOnce(&[u8]) -> Result<R, PluginError>,
) -> Result<R, PluginError> {
    let exports = &plugin.0.exports;
    let len = i32::try_from(input.len())
        .map_err(|_| PluginError::call(FailureReason::InputTooLarge, "input over 2 GiB"))?;

    let alloc = typed_export::<i32, i32>(store, instance, &exports.alloc)?;
    let ptr = alloc
        .call(&mut *store, len)
        .map_err(|e| classify(store, e))? as u32;
    if ptr == 0 {
        return Err(PluginError::call(
            FailureReason::Memory,
            "hearth_alloc returned 0 (out of memory)",
        ));
    }
    let memory = memory_export(store, instance, plugin)?;
    memory
        .write(&mut *store, ptr as usize, input)
        .map_err(|_| {
            PluginError::call(
                FailureReason::MalformedOutput,
                format!("hearth_alloc returned {ptr:#x}, outside memory"),
            )
        })?;

    let hook = typed_export::<(i32, i32), i64>(store, instance, export)?;
    let packed = hook
        .call(&mut *store, (ptr as i32, len))
        .map_err(|e| classify(store, e))?;
    read_output(store, plugin, instance, packed as u64, max_output).and_then(parse)
}

/// The output bytes a hook pointed at, checked against the cap and the memory's bounds.
fn read_output<'s>(
    store: &'s mut Store<CallState>,
    plugin: &PluginModule,
    instance: &wasmtime::Instance,
    packed: u64,
    max_output: usize,
) -> Result<&'s [u8], PluginError> {
    let (ptr, len) = abi::unpack(packed);
    if len as usize > max_output {
        return Err(PluginError::call(
            FailureReason::OutputTooLarge,
            format!("output of {len} bytes exceeds the cap of {max_output} bytes"),
        ));
    }
    let memory = memory_export(store, instance, plugin)?;
    let start = ptr as usize;
    memory
        .data(&*store)
        .get(start..start + len as usize)
        .ok_or_else(|| {
            PluginError::call(
                FailureReason::MalformedOutput,
                format!("output at {ptr:#x}+{len} lies outside memory"),
            )
        })
}

fn memory_export(
    store: &mut Store<CallState>,
    instance: &wasmtime::Instance,
    plugin: &PluginModule,
) -> Result<wasmtime::Memory, PluginError> {
    match instance.get_module_export(&mut *store, &plugin.0.exports.memory) {
        Some(Extern::Memory(memory)) => Ok(memory),
        _ => Err(PluginError::call(
            FailureReason::Host,
            "memory export vanished",
        )),
    }
}

fn typed_export<P: wasmtime::WasmParams, R: wasmtime::WasmResults>(
    store: &mut Store<CallState>,
    instance: &wasmtime::Instance,
    export: &ModuleExport,
) -> Result<wasmtime::TypedFunc<P, R>, PluginError> {
    instance
        .get_module_export(&mut *store, export)
        .and_then(Extern::into_func)
        .ok_or_else(|| PluginError::call(FailureReason::Host, "function export vanished"))?
        .typed::<P, R>(&*store)
        .map_err(|e| PluginError::call(FailureReason::Host, format!("{e:#}")))
}

/// Names the budget a failed call ran into.
fn classify(store: &Store<CallState>, error: wasmtime::Error) -> PluginError {
    let memory_exceeded = store.data().limiter.exceeded;
    let reason = match error.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => FailureReason::Fuel,
        Some(Trap::Interrupt) => FailureReason::Deadline,
        Some(Trap::StackOverflow) => FailureReason::StackOverflow,
        _ if memory_exceeded => FailureReason::Memory,
        _ => FailureReason::Trap,
    };
    PluginError::call(reason, one_line(&error))
}

/// The error with its context chain (the wasm backtrace included) on one log line.
fn one_line(error: &wasmtime::Error) -> String {
    format!("{error:#}").replace('\n', " ")
}

fn classify_instantiation(store: &Store<CallState>, error: wasmtime::Error) -> PluginError {
    if error.is::<wasmtime::PoolConcurrencyLimitError>() {
        return PluginError::call(FailureReason::Busy, one_line(&error));
    }
    if error.is::<Trap>() || store.data().limiter.exceeded {
        return classify(store, error);
    }
    PluginError::call(FailureReason::Instantiate, one_line(&error))
}

/// Forwards what the guest logged, at debug level: plugin output is untrusted text.
fn emit_guest_logs(store: &Store<CallState>, plugin: &PluginModule, hub_slug: &str) {
    let logs = &store.data().logs;
    for (level, line) in &logs.lines {
        tracing::debug!(
            target: "hearth_plugins::guest",
            plugin = %plugin.0.short_id,
            hub = %hub_slug,
            level = *level,
            line = ?line,
            "plugin log"
        );
    }
    if logs.dropped > 0 {
        tracing::debug!(
            target: "hearth_plugins::guest",
            plugin = %plugin.0.short_id,
            hub = %hub_slug,
            dropped = logs.dropped,
            "plugin log lines dropped over the cap"
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::FailureReason;

    #[test]
    fn only_the_plugins_own_failures_count_toward_disabling_it() {
        assert!(!FailureReason::Busy.is_plugin_fault());
        assert!(!FailureReason::Host.is_plugin_fault());
        assert!(!FailureReason::InputTooLarge.is_plugin_fault());
        assert!(FailureReason::Deadline.is_plugin_fault());
        assert!(FailureReason::Fuel.is_plugin_fault());
    }
}
