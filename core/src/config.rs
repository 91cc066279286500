//! Configuration: defaults, then an optional TOML file, then `HEARTH_*`
//! environment variables (and `DATABASE_URL`). Every setting is in the README.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use hearth_tenants::db::PoolSettings;
use serde::{Deserialize, Serialize};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line.
    Json,
}

/// Every setting of `hearth serve` and `hearth dev`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// PostgreSQL URL; unset under `hearth dev` means a private cluster.
    pub database_url: Option<String>,
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Hubs are served at `<slug>.<base_domain>`.
    pub base_domain: String,
    /// `text` or `json`.
    pub log_format: LogFormat,
    /// A tracing filter, e.g. `info` or `hearth=debug,info`.
    pub log_level: String,
    /// Folder of themes.
    pub themes_dir: PathBuf,
    /// Largest number of database connections.
    pub db_max_connections: u32,
    /// Seconds a request waits for a database connection.
    pub db_acquire_timeout_secs: u64,
    /// Seconds before a database connection is retired.
    pub db_max_lifetime_secs: u64,
    /// MiB of backend memory past which a connection is retired.
    pub db_max_backend_memory_mib: u64,
    /// Seconds a statement may run.
    pub db_statement_timeout_secs: u64,
    /// Hub schemas `hearth migrate` works on at once.
    pub migrate_jobs: usize,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_grace_secs: u64,
    /// Folder for `hearth dev`'s private PostgreSQL cluster.
    pub dev_data_dir: PathBuf,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            base_domain: "hearth.localhost".into(),
            log_format: LogFormat::Text,
            log_level: "info".into(),
            themes_dir: default_themes_dir(),
            db_max_connections: 16,
            db_acquire_timeout_secs: 5,
            db_max_lifetime_secs: 1800,
            db_max_backend_memory_mib: 48,
            db_statement_timeout_secs: 30,
            migrate_jobs: 4,
            shutdown_grace_secs: 30,
            dev_data_dir: PathBuf::from(".hearth"),
        }
    }
}

/// `themes/` in the working folder, else the one beside the sources.
fn default_themes_dir() -> PathBuf {
    let local = PathBuf::from("themes");
    if local.join("default").is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes")
}

impl Config {
    /// Loads defaults, then `file` (or `hearth.toml` when present), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, figment::Error> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None => figment = figment.merge(Toml::file("hearth.toml")),
        }
        figment
            .merge(Env::prefixed("HEARTH_").ignore(&["config"]))
            .merge(Env::raw().only(&["database_url"]))
            .extract()
    }

    /// The pool settings these options describe.
    pub fn pool_settings(&self) -> PoolSettings {
        PoolSettings {
            max_connections: self.db_max_connections.max(1),
            acquire_timeout: Duration::from_secs(self.db_acquire_timeout_secs),
            max_lifetime: Duration::from_secs(self.db_max_lifetime_secs),
            max_backend_memory: self.db_max_backend_memory_mib * 1024 * 1024,
            statement_timeout: Duration::from_secs(self.db_statement_timeout_secs),
            ..PoolSettings::default()
        }
    }
}
