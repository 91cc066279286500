//! The Hearth engine: configuration, the HTTP application (axum), the domain
//! services behind it, the private PostgreSQL cluster of `hearth dev`, and the
//! `hearth` binary. Hub data is reached only through `hearth_tenants::TenantTx`.

pub mod accounts;
pub mod app;
pub mod booking;
pub mod config;
pub mod credits;
pub mod dashboard;
pub mod dev;
pub mod email;
pub mod error;
pub mod http;
pub mod hub_admin;
pub mod hub_plugins;
pub mod i18n;
pub mod pgcluster;
pub mod professionals;
pub mod profile;
pub mod startup;
pub mod telemetry;
pub mod themes;

pub use app::{App, AppState};
pub use config::Config;
pub use startup::Application;
