//! The operator's and resellers' control plane: migrating every hub at once,
//! onboarding resellers and hubs, and the demo data `hearth dev` starts with.
//! The `hearth` binary's subcommands call into here; the HTTP consoles will too.

pub mod demo;
pub mod migrate_all;
pub mod progress;
pub mod resellers;

pub use migrate_all::{migrate_all, MigrateOptions, MigrateReport};
