//! The guest side of ABI v1: input decoding, output encoding, memory exports and logging.
//!
//! Plugin authors use [`Context`], the [`crate::export_hooks!`] macro and [`log`];
//! everything under `__rt` is called by the macro's expansion only.

use std::fmt::Display;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::abi::{
    BookingAllowed, CreditCost, Envelope, Hub, PeriodGrant, Reply, Theme, ABI_VERSION,
};

/// What a hook gets besides its input: the hub and the hub's config for this plugin.
#[derive(Clone, Debug)]
pub struct Context<C> {
    /// The hub the call is made for.
    pub hub: Hub,
    /// The config the HR admin saved, or `C::default()` when none was saved.
    pub config: C,
}

/// Config type for plugins that take no config: accepts (and ignores) any JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoConfig;

impl<'de> Deserialize<'de> for NoConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| NoConfig)
    }
}

/// What a hook function may return: the decision itself, a [`Reply`], an `Option`
/// (`None` defers to the hub's policy) or a `Result` of either (`Err` is reported as a failure).
pub trait IntoReply<T> {
    /// Converts into the reply sent to the host.
    fn into_reply(self) -> Reply<T>;
}

macro_rules! into_reply_for {
    ($($output:ty),*) => {$(
        impl IntoReply<$output> for $output {
            fn into_reply(self) -> Reply<$output> {
                Reply::Decide(self)
            }
        }
        impl IntoReply<$output> for Reply<$output> {
            fn into_reply(self) -> Reply<$output> {
                self
            }
        }
        impl IntoReply<$output> for Option<$output> {
            fn into_reply(self) -> Reply<$output> {
                self.map_or(Reply::Defer, Reply::Decide)
            }
        }
        impl<E: Display> IntoReply<$output> for Result<$output, E> {
            fn into_reply(self) -> Reply<$output> {
                match self {
                    Ok(value) => Reply::Decide(value),
                    Err(error) => Reply::Fail { message: error.to_string() },
                }
            }
        }
        impl<E: Display> IntoReply<$output> for Result<Reply<$output>, E> {
            fn into_reply(self) -> Reply<$output> {
                match self {
                    Ok(reply) => reply,
                    Err(error) => Reply::Fail { message: error.to_string() },
                }
            }
        }
        impl<E: Display> IntoReply<$output> for Result<Option<$output>, E> {
            fn into_reply(self) -> Reply<$output> {
                match self {
                    Ok(value) => value.into_reply(),
                    Err(error) => Reply::Fail { message: error.to_string() },
                }
            }
        }
    )*};
}

into_reply_for!(CreditCost, PeriodGrant, BookingAllowed, Theme);

/// Runs a hook on an input document and returns the output document, without any wasm glue.
///
/// The exported functions call this; plugin crates can call it in native unit
/// tests to exercise their hooks exactly as the host would.
pub fn dispatch<C, I, O, R>(input: &[u8], hook: impl FnOnce(&Context<C>, I) -> R) -> Vec<u8>
where
    C: DeserializeOwned + Default,
    I: DeserializeOwned,
    O: Serialize,
    R: IntoReply<O>,
{
    let reply = match serde_json::from_slice::<Envelope<C, I>>(input) {
        Ok(envelope) if envelope.abi == ABI_VERSION => {
            let context = Context {
                hub: envelope.hub,
                config: envelope.config.unwrap_or_default(),
            };
            hook(&context, envelope.input).into_reply()
        }
        Ok(envelope) => Reply::Fail {
            message: format!("unsupported ABI version {}", envelope.abi),
        },
        Err(error) => Reply::Fail {
            message: format!("could not read input or config: {error}"),
        },
    };
    serde_json::to_vec(&reply).unwrap_or_else(|error| {
        let fail: Reply<O> = Reply::Fail {
            message: format!("could not write output: {error}"),
        };
        // A reply made only of a string always serializes.
        serde_json::to_vec(&fail).unwrap_or_default()
    })
}

/// Log lines for the operator, sent through the host's `hearth.log` import.
///
/// The host caps what a call may log (a few lines, a few KiB) and drops the rest.
/// Never log personal data: these lines end up in the platform's logs.
pub mod log {
    /// Levels as passed to `hearth.log`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[repr(i32)]
    pub enum Level {
        /// Something failed.
        Error = 0,
        /// Something looks wrong.
        Warn = 1,
        /// Normal operation.
        Info = 2,
        /// Details for debugging.
        Debug = 3,
    }

    #[cfg(target_arch = "wasm32")]
    #[link(wasm_import_module = "hearth")]
    extern "C" {
        #[link_name = "log"]
        fn hearth_log(level: i32, ptr: *const u8, len: usize);
    }

    /// Sends one line at `level`.
    pub fn write(level: Level, line: &str) {
        #[cfg(target_arch = "wasm32")]
        // SAFETY: the host reads `len` bytes at `ptr` from our memory and keeps no reference.
        unsafe {
            hearth_log(level as i32, line.as_ptr(), line.len());
        }
        #[cfg(not(target_arch = "wasm32"))]
        eprintln!("[{level:?}] {line}");
    }

    /// Logs at error level.
    pub fn error(line: &str) {
        write(Level::Error, line);
    }

    /// Logs at warning level.
    pub fn warn(line: &str) {
        write(Level::Warn, line);
    }

    /// Logs at info level.
    pub fn info(line: &str) {
        write(Level::Info, line);
    }

    /// Logs at debug level.
    pub fn debug(line: &str) {
        write(Level::Debug, line);
    }
}

/// Runtime used by the [`crate::export_hooks!`] expansion. Not a stable API.
#[doc(hidden)]
pub mod __rt {
    use super::*;
    use std::alloc::Layout;

    /// `hearth_alloc`: a buffer of `len` bytes the host fills with the input; 0 when out of memory.
    pub fn alloc(len: usize) -> *mut u8 {
        match Layout::from_size_align(len.max(1), 1) {
            // SAFETY: the layout has a non-zero size.
            Ok(layout) => unsafe { std::alloc::alloc(layout) },
            Err(_) => std::ptr::null_mut(),
        }
    }

    /// `hearth_dealloc`: frees a buffer from [`alloc`].
    ///
    /// # Safety
    /// `ptr` and `len` must come from one earlier call to [`alloc`].
    pub unsafe fn dealloc(ptr: *mut u8, len: usize) {
        if let Ok(layout) = Layout::from_size_align(len.max(1), 1) {
            // SAFETY: guaranteed by the caller.
            unsafe { std::alloc::dealloc(ptr, layout) }
        }
    }

    /// Leaks `bytes` and returns their packed address and length for the host to read.
    pub fn output(bytes: Vec<u8>) -> u64 {
        let bytes = bytes.into_boxed_slice();
        let len = bytes.len();
        // The instance is dropped after the call, so the leak lasts as long as it must.
        let ptr = Box::leak(bytes).as_ptr();
        crate::abi::pack(ptr as usize as u32, len as u32)
    }

    /// Packed address and length of a static document (the config schema).
    pub fn static_output(text: &'static str) -> u64 {
        crate::abi::pack(text.as_ptr() as usize as u32, text.len() as u32)
    }

    /// Sends panic messages to the host log before the module aborts.
    pub fn install_panic_hook() {
        std::panic::set_hook(Box::new(|info| {
            super::log::error(&format!("plugin panicked: {info}"));
        }));
    }

    /// The body of every exported hook: read the input at `(ptr, len)`, run, return the output.
    ///
    /// # Safety
    /// `ptr` and `len` must describe a buffer from [`alloc`] that the host filled.
    pub unsafe fn run<C, I, O, R>(
        ptr: *mut u8,
        len: usize,
        hook: impl FnOnce(&Context<C>, I) -> R,
    ) -> u64
    where
        C: DeserializeOwned + Default,
        I: DeserializeOwned,
        O: Serialize,
        R: IntoReply<O>,
    {
        install_panic_hook();
        // SAFETY: guaranteed by the caller.
        let input = unsafe { std::slice::from_raw_parts(ptr, len) };
        let out = dispatch::<C, I, O, R>(input, hook);
        // SAFETY: the buffer came from `alloc(len)` and is no longer read.
        unsafe { dealloc(ptr, len) };
        output(out)
    }
}

/// Exports the ABI v1 glue and the given hooks from a plugin crate (`crate-type = ["cdylib"]`).
///
/// ```ignore
/// use hearth_plugin_sdk::prelude::*;
///
/// #[derive(Default, serde::Deserialize)]
/// struct Config { couples_cost: Option<u32> }
///
/// fn credit_cost(ctx: &Context<Config>, input: CreditCostInput) -> Option<CreditCost> {
///     (input.booking.session_type == session_type::COUPLES)
///         .then(|| CreditCost::cost(ctx.config.couples_cost.unwrap_or(2)))
/// }
///
/// hearth_plugin_sdk::export_hooks! {
///     config = Config;
///     config_schema = r#"{"type":"object","properties":{"couples_cost":{"type":"integer"}}}"#;
///     credit_cost = credit_cost;
/// }
/// ```
///
/// `config = Type;` is optional (default: [`NoConfig`]) and must come first;
/// the other entries (`config_schema`, `credit_cost`, `period_grant`,
/// `booking_allowed`, `theme`) may come in any order, each at most once. A hook
/// function takes `(&Context<Config>, Input)` and returns anything that is
/// [`IntoReply`] of the hook's output. The exports exist only when compiling
/// for `wasm32`, so a plugin crate's native unit tests still build.
#[macro_export]
macro_rules! export_hooks {
    (config = $config:ty; $($rest:tt)*) => {
        $crate::__export_common!();
        $crate::__export_hooks!($config; $($rest)*);
    };
    ($($rest:tt)*) => {
        $crate::__export_common!();
        $crate::__export_hooks!($crate::guest::NoConfig; $($rest)*);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __export_common {
    () => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            #[unsafe(no_mangle)]
            pub extern "C" fn hearth_abi_v1() {}

            #[unsafe(no_mangle)]
            pub extern "C" fn hearth_alloc(len: usize) -> *mut u8 {
                $crate::guest::__rt::alloc(len)
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn hearth_dealloc(ptr: *mut u8, len: usize) {
                // SAFETY: the ABI requires `(ptr, len)` to come from `hearth_alloc`.
                unsafe { $crate::guest::__rt::dealloc(ptr, len) }
            }
        };
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __export_hooks {
    ($config:ty;) => {};
    ($config:ty; config_schema = $schema:expr; $($rest:tt)*) => {
        // Checked (and used) on every target, exported on wasm32 only.
        const _: &str = $schema;
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            #[unsafe(no_mangle)]
            pub extern "C" fn hearth_config_schema() -> u64 {
                $crate::guest::__rt::static_output($schema)
            }
        };
        $crate::__export_hooks!($config; $($rest)*);
    };
    ($config:ty; credit_cost = $hook:expr; $($rest:tt)*) => {
        $crate::__export_hook!($config, hearth_credit_cost, $hook,
            $crate::abi::CreditCostInput, $crate::abi::CreditCost);
        $crate::__export_hooks!($config; $($rest)*);
    };
    ($config:ty; period_grant = $hook:expr; $($rest:tt)*) => {
        $crate::__export_hook!($config, hearth_period_grant, $hook,
            $crate::abi::PeriodGrantInput, $crate::abi::PeriodGrant);
        $crate::__export_hooks!($config; $($rest)*);
    };
    ($config:ty; booking_allowed = $hook:expr; $($rest:tt)*) => {
        $crate::__export_hook!($config, hearth_booking_allowed, $hook,
            $crate::abi::BookingAllowedInput, $crate::abi::BookingAllowed);
        $crate::__export_hooks!($config; $($rest)*);
    };
    ($config:ty; theme = $hook:expr; $($rest:tt)*) => {
        $crate::__export_hook!($config, hearth_theme, $hook,
            $crate::abi::ThemeInput, $crate::abi::Theme);
        $crate::__export_hooks!($config; $($rest)*);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __export_hook {
    ($config:ty, $export:ident, $hook:expr, $input:ty, $output:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn $export(ptr: *mut u8, len: usize) -> u64 {
                // SAFETY: the host passes the buffer it got from `hearth_alloc(len)`.
                unsafe { $crate::guest::__rt::run::<$config, $input, $output, _>(ptr, len, $hook) }
            }
        };
    };
}
