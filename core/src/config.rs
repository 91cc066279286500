//! Configuration: defaults, then an optional TOML file, then `HEARTH_*`
//! environment variables (and `DATABASE_URL`). Every setting is in the README.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use hearth_tenants::db::PoolSettings;
use secrecy::SecretString;
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
    /// Seconds a statement may wait for a lock (0: no limit but the statement's).
    pub db_lock_timeout_secs: u64,
    /// Hub schemas `hearth migrate` works on at once.
    pub migrate_jobs: usize,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_grace_secs: u64,
    /// Folder for `hearth dev`'s private PostgreSQL cluster.
    pub dev_data_dir: PathBuf,
    /// The platform's address as users reach it; links in emails start here,
    /// and an `https` scheme makes session cookies `Secure`.
    pub public_url: String,
    /// SMTP server host.
    pub smtp_host: String,
    /// SMTP server port.
    pub smtp_port: u16,
    /// `none`, `starttls` or `tls`.
    pub smtp_tls: SmtpTls,
    /// SMTP user name, if the server wants one.
    pub smtp_username: Option<String>,
    /// SMTP password (never logged: its `Debug` is redacted).
    #[serde(skip_serializing)]
    pub smtp_password: Option<SecretString>,
    /// The From address of every email.
    pub mail_from: String,
    /// Keep mail in the outbox for `/dev/mail` instead of sending it (`hearth dev`).
    pub mail_capture: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (exact
    /// addresses); from anyone else the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// DNS servers asked for custom domains' proofs of control (UDP, then
    /// TCP); the system's (`/etc/resolv.conf`) when empty.
    pub dns_servers: Vec<SocketAddr>,
    /// Seconds between re-checks of a serving custom domain's proof (a
    /// waiting domain is checked five times as often).
    pub domain_recheck_secs: u64,
    /// Re-check custom domains' proofs from this node.
    pub domain_checks: bool,
    /// The bearer token `/metrics` asks for; without one, `/metrics` is not
    /// served (never logged: its `Debug` is redacted).
    #[serde(skip_serializing)]
    pub metrics_token: Option<SecretString>,
    /// Attempts before an email is marked dead.
    pub mail_max_attempts: i32,
    /// Run the email delivery worker on this node (off for nodes that only serve pages).
    pub mail_worker: bool,
    /// Write appointment reminders (24 h and 1 h ahead) from this node, and
    /// run the payments worker (bills of ended sessions, unsent refunds).
    pub booking_reminders: bool,
    /// Wall-clock deadline of one plugin call, in milliseconds.
    pub plugin_deadline_ms: u64,
    /// Fuel (roughly wasm instructions) of one plugin call.
    pub plugin_fuel: u64,
    /// Consecutive failures after which a plugin is disabled for a hub.
    pub plugin_disable_after_failures: u32,
    /// Plugin instances that may run at once on this node.
    pub plugin_max_instances: u32,
    /// Where compiled plugins are kept across restarts; none when unset.
    pub plugin_cache_dir: Option<PathBuf>,
    /// STUN servers browsers use in video sessions (`stun:host:port`).
    pub stun_urls: Vec<String>,
    /// TURN servers that relay a video session's media when no direct path
    /// exists (`turn:host:port?transport=udp`, `turns:…`).
    pub turn_urls: Vec<String>,
    /// The secret shared with the TURN servers (coturn's
    /// `static-auth-secret`): each participant gets a user name that expires
    /// and its HMAC (the TURN REST scheme). Never logged.
    #[serde(skip_serializing)]
    pub turn_secret: Option<SecretString>,
    /// How long a TURN credential handed to a browser stays valid, in seconds.
    pub turn_credential_secs: u64,
    /// `all`, or `relay` to send every video session through TURN (hides
    /// participants' addresses from each other).
    pub ice_transport_policy: IcePolicy,
    /// Stripe's secret API key (`sk_live_…`, `sk_test_…`); Payments says it
    /// is not set up when unset. Never logged or shown.
    #[serde(skip_serializing)]
    pub stripe_secret_key: Option<SecretString>,
    /// Stripe's publishable key (`pk_…`), given to Stripe.js on the page.
    pub stripe_publishable_key: Option<String>,
    /// The secret that signs Stripe's webhook deliveries (`whsec_…`). Never
    /// logged.
    #[serde(skip_serializing)]
    pub stripe_webhook_secret: Option<SecretString>,
    /// The Stripe API's base URL, with a trailing slash (a local
    /// Stripe-compatible server in development and tests).
    pub stripe_api_base: String,
    /// Where pages load Stripe.js from.
    pub stripe_js_url: String,
}

/// Which ICE candidates browsers may use in video sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IcePolicy {
    /// Direct, then through STUN, then through TURN.
    All,
    /// Only through TURN.
    Relay,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain text (a local relay or a test server).
    None,
    /// Upgrade with STARTTLS.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
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
            db_lock_timeout_secs: 10,
            migrate_jobs: 4,
            shutdown_grace_secs: 30,
            dev_data_dir: PathBuf::from(".hearth"),
            public_url: "http://localhost:8080".into(),
            smtp_host: "localhost".into(),
            smtp_port: 25,
            smtp_tls: SmtpTls::None,
            smtp_username: None,
            smtp_password: None,
            mail_from: "Hearth <no-reply@hearth.localhost>".into(),
            mail_capture: false,
            metrics_token: None,
            trusted_proxies: Vec::new(),
            dns_servers: Vec::new(),
            domain_recheck_secs: 3600,
            domain_checks: true,
            mail_max_attempts: 8,
            mail_worker: true,
            booking_reminders: true,
            plugin_deadline_ms: 50,
            plugin_fuel: 10_000_000,
            plugin_disable_after_failures: 5,
            plugin_max_instances: 256,
            plugin_cache_dir: None,
            stun_urls: Vec::new(),
            turn_urls: Vec::new(),
            turn_secret: None,
            turn_credential_secs: 3600,
            ice_transport_policy: IcePolicy::All,
            stripe_secret_key: None,
            stripe_publishable_key: None,
            stripe_webhook_secret: None,
            stripe_api_base: "https://api.stripe.com/".into(),
            stripe_js_url: "https://js.stripe.com/v3/".into(),
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

/// The settings that hold secrets (not serialized, so not among the
/// defaults' names).
const SECRET_SETTINGS: &[&str] = &[
    "smtp_password",
    "metrics_token",
    "turn_secret",
    "stripe_secret_key",
    "stripe_webhook_secret",
];

impl Config {
    /// Loads defaults, then `file` (or `hearth.toml` when present), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, figment::Error> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None => figment = figment.merge(Toml::file("hearth.toml")),
        }
        // Only the variables that name a setting: other HEARTH_* variables
        // (a test script's, another tool's) are not this program's business.
        let mut known: Vec<String> = serde_json::to_value(Config::default())
            .ok()
            .and_then(|v| v.as_object().map(|o| o.keys().cloned().collect()))
            .unwrap_or_default();
        // Secrets are never serialized, so name them here.
        known.extend(SECRET_SETTINGS.iter().map(|s| (*s).to_owned()));
        figment
            .merge(
                Env::prefixed("HEARTH_").filter(move |key| known.iter().any(|k| key == k.as_str())),
            )
            .merge(Env::raw().only(&["database_url"]))
            .extract()
    }

    /// The platform's URL, without a trailing slash.
    pub fn platform_url(&self) -> String {
        self.public_url.trim_end_matches('/').to_owned()
    }

    /// Hub `slug`'s URL: `<scheme>://<slug>.<base_domain>[:port]`, the port
    /// taken from `public_url`.
    pub fn hub_url(&self, slug: &str) -> String {
        let url = self.platform_url();
        let (scheme, rest) = url.split_once("://").unwrap_or(("http", url.as_str()));
        let port = rest
            .split('/')
            .next()
            .and_then(|h| h.rsplit_once(':'))
            .map(|(_, p)| p);
        match port {
            Some(port) => format!("{scheme}://{slug}.{}:{port}", self.base_domain),
            None => format!("{scheme}://{slug}.{}", self.base_domain),
        }
    }

    /// Whether users reach the platform over TLS (cookies are then `Secure`).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The limits plugin calls run with: the host's defaults and the `plugin_*` settings.
    pub fn plugin_limits(&self) -> hearth_plugins::Limits {
        hearth_plugins::Limits {
            deadline: Duration::from_millis(self.plugin_deadline_ms.max(5)),
            fuel: self.plugin_fuel.max(1),
            disable_after_failures: self.plugin_disable_after_failures.max(1),
            max_concurrent_instances: self.plugin_max_instances.max(1),
            compilation_cache_dir: self.plugin_cache_dir.clone(),
            ..hearth_plugins::Limits::default()
        }
    }

    /// The pool settings these options describe.
    pub fn pool_settings(&self) -> PoolSettings {
        PoolSettings {
            max_connections: self.db_max_connections.max(1),
            acquire_timeout: Duration::from_secs(self.db_acquire_timeout_secs),
            max_lifetime: Duration::from_secs(self.db_max_lifetime_secs),
            max_backend_memory: self.db_max_backend_memory_mib * 1024 * 1024,
            statement_timeout: Duration::from_secs(self.db_statement_timeout_secs),
            lock_timeout: Duration::from_secs(self.db_lock_timeout_secs),
            ..PoolSettings::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_from_the_environment_and_other_hearth_variables_are_ignored() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("HEARTH_LISTEN", "127.0.0.1:9999");
            jail.set_env("HEARTH_PLUGIN_EXAMPLES_DIR", "/somewhere");
            jail.set_env("DATABASE_URL", "postgres://x@localhost/db");
            let config = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(config.listen.port(), 9999);
            assert_eq!(
                config.database_url.as_deref(),
                Some("postgres://x@localhost/db")
            );
            Ok(())
        });
    }

    #[test]
    fn trusted_proxies_come_from_the_environment_as_a_list() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("HEARTH_TRUSTED_PROXIES", "[10.0.0.1, \"10.0.0.2\"]");
            let config = Config::load(None).map_err(|e| e.to_string())?;
            let expected: Vec<std::net::IpAddr> = vec![
                "10.0.0.1".parse().map_err(|_| "ip")?,
                "10.0.0.2".parse().map_err(|_| "ip")?,
            ];
            assert_eq!(config.trusted_proxies, expected);
            Ok(())
        });
    }

    #[test]
    fn secrets_come_from_the_environment_and_never_show_in_a_debug_print() {
        use secrecy::ExposeSecret as _;
        figment::Jail::expect_with(|jail| {
            jail.set_env("HEARTH_SMTP_PASSWORD", "smtp-pa55-word");
            jail.set_env("HEARTH_METRICS_TOKEN", "scrape-t0ken");
            let config = Config::load(None).map_err(|e| e.to_string())?;
            let secret =
                |s: &Option<SecretString>| s.as_ref().map(|s| s.expose_secret().to_owned());
            assert_eq!(
                secret(&config.smtp_password).as_deref(),
                Some("smtp-pa55-word")
            );
            assert_eq!(
                secret(&config.metrics_token).as_deref(),
                Some("scrape-t0ken")
            );
            let printed = format!("{config:?}");
            assert!(!printed.contains("smtp-pa55-word") && !printed.contains("scrape-t0ken"));
            Ok(())
        });
    }

    #[test]
    fn an_unknown_key_in_the_toml_file_is_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("hearth.toml", "lissten = \"127.0.0.1:1\"\n")?;
            let err = Config::load(None).expect_err("a typo is refused");
            assert!(err.to_string().contains("lissten"), "{err}");
            Ok(())
        });
    }
}
