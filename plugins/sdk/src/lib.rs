//! Write Hearth hub plugins in Rust.
//!
//! A plugin is a `cdylib` built for `wasm32-unknown-unknown` that exports the
//! hooks it implements ([`abi::Hook`]). This crate hides the ABI (JSON through
//! guest memory, see `plugins/ABI.md`) behind typed functions:
//!
//! ```ignore
//! use hearth_plugin_sdk::prelude::*;
//!
//! fn booking_allowed(_: &Context<NoConfig>, input: BookingAllowedInput) -> BookingAllowed {
//!     if input.history.bookings.len() >= 2 {
//!         BookingAllowed::refuse("At most 2 sessions a month.")
//!     } else {
//!         BookingAllowed::Allow
//!     }
//! }
//!
//! hearth_plugin_sdk::export_hooks! {
//!     booking_allowed = booking_allowed;
//! }
//! ```
//!
//! A plugin has no clock, no randomness, no files and no network: everything it
//! may know arrives in its input, and each call runs in a fresh instance, so
//! nothing carries over between calls or hubs.
//!
//! The host depends on this crate with `default-features = false` to share the
//! [`abi`] types; the `guest` feature (on by default) adds the glue.

pub mod abi;
#[cfg(all(feature = "bump-allocator", target_arch = "wasm32"))]
pub mod bump;
pub mod date;
#[cfg(feature = "guest")]
pub mod guest;

/// Everything a plugin usually needs.
pub mod prelude {
    pub use crate::abi::{
        session_type, Booking, BookingAllowed, BookingAllowedInput, CreditCost, CreditCostInput,
        Hub, Member, MemberHistory, PastBooking, Period, PeriodGrant, PeriodGrantInput,
        Professional, Reply, Service, Theme, ThemeContext, ThemeInput,
    };
    pub use crate::date::Date;
    #[cfg(feature = "guest")]
    pub use crate::guest::{log, Context, IntoReply, NoConfig};
}
