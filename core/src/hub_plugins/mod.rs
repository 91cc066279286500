//! The HR admin's plugin pages (`/admin/plugins`): install, configure, turn
//! off and roll back a hub's plugins. The host side (registry, installations,
//! the hook calls) is [`crate::plugin_host`].

pub mod admin;

pub use admin::routes;
