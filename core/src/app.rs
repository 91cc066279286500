//! The application state every handler shares.

use std::ops::Deref;
use std::sync::Arc;

use hearth_tenants::{TenantMigrator, TenantResolver};
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::PgPool;

use crate::config::Config;
use crate::themes::Themes;

/// Everything a request may need, built once at start.
pub struct App {
    /// The configuration the node started with.
    pub config: Config,
    /// The database pool.
    pub pool: PgPool,
    /// Host and slug to hub, cached.
    pub resolver: TenantResolver,
    /// The tenant migrations this build carries.
    pub tenant_migrator: TenantMigrator,
    /// Compiled templates per theme.
    pub themes: Themes,
    /// Renders `/metrics`.
    pub metrics: PrometheusHandle,
    /// Authorization policies (casbin).
    pub policy: crate::http::authz::Policy,
    /// The wasm plugin host and each hub's active plugins, cached.
    pub plugins: crate::hub_plugins::HubPlugins,
}

/// The shared state: one [`App`] behind an `Arc`.
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.0
    }
}
