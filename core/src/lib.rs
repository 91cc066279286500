//! The Hearth engine: configuration, the web layer, the feature modules behind
//! it, and the private PostgreSQL cluster of `hearth dev`. Hub data is reached
//! only through `hearth_tenants::TenantTx`. See `docs/architecture.md` for
//! which module owns what.

pub mod cache;
pub mod compress;
pub mod config;
pub mod i18n;
pub mod telemetry;
pub mod themes;

pub mod domain_proof;
pub mod email;
pub mod notifications;
pub mod plugin_host;
pub mod stripe_api;
pub mod video_relay;
pub mod web;

pub mod accounts;
pub mod booking;
pub mod credits;
pub mod dashboard;
pub mod hub;
pub mod hub_admin;
pub mod hub_plugins;
pub mod mailbox;
pub mod operator;
pub mod payments;
pub mod professionals;
pub mod profile;
pub mod reports;
pub mod reseller;
pub mod video;

pub mod routes;
pub mod startup;

pub use config::Config;
pub use startup::Application;
pub use web::state::{App, AppState};
