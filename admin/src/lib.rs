//! The control plane: the `hearth` binary's commands ([`cli`]), migrating
//! every hub at once, onboarding resellers and hubs, the demo data, and
//! `hearth dev` with its private PostgreSQL cluster ([`dev`], [`pgcluster`]).
//! It is built on `hearth_core`'s own functions, as the pages are.

pub mod citus_cluster;
pub mod cli;
pub mod demo;
pub mod dev;
pub mod localstripe;
pub mod migrate_all;
pub mod operators;
pub mod pgcluster;
pub mod progress;
pub mod resellers;
pub mod roles;
pub mod tenant_io;
pub mod turn;

pub use migrate_all::{migrate_all, MigrateOptions, MigrateReport};
