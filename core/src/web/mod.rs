//! The web layer: what every page shares. The application state with every
//! per-node cache ([`state`]), hub resolution ([`site`]), sessions and
//! authorization ([`session`], [`authz`]), the extractors that say who may
//! call a handler ([`extract`]), the one error type and its pages
//! ([`error`]), page frames in the hub's theme ([`page`], [`themes`]), and
//! the helpers forms, uploads, languages, dates and money need.
//!
//! The web layer uses no feature module: features use it.

pub mod authz;
pub mod csv;
pub mod devices;
pub mod error;
pub mod extract;
pub mod form;
pub mod frame;
pub mod health;
pub mod hubs;
pub mod lang;
pub mod markdown;
pub mod money;
pub mod observe;
pub mod page;
pub mod paging;
pub mod privacy;
pub mod session;
pub mod site;
pub mod state;
pub mod throttle;
pub mod time;
pub mod tokens;
pub mod upload;
