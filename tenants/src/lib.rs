//! The tenancy engine. It owns the registry of company hubs in `public.tenants`,
//! the making of each hub's schema `t_<id>` and its migrations, the resolution of
//! a request's host or path to a hub (cached, invalidated through LISTEN/NOTIFY),
//! and [`TenantTx`], the only way code reaches a hub's tables.
//!
//! It depends on nothing of `core`: the engine, the CLI and the tests all use it.

pub mod changes;
pub mod citus;
pub mod db;
pub mod directory;
pub mod migrate;
pub mod provision;
pub mod registry;
pub mod resolve;
pub mod slug;
pub mod tx;

pub use migrate::{TenantMigrator, PUBLIC_MIGRATOR};
pub use provision::{create_tenant, NewTenant, ProvisionError};
pub use registry::{SchemaName, Tenant, TenantId, TenantStatus};
pub use resolve::{Resolved, TenantResolver};
pub use slug::{Slug, SlugError};
pub use tx::TenantTx;
