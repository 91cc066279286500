//! The test harness: a real PostgreSQL server (`DATABASE_URL`, else a private
//! cluster started by the same code as `hearth dev`), a fresh database per test,
//! and the real application started on port 0.
//!
//! With `HEARTH_TEST_CITUS=1` the same tests run on a Citus cluster instead: a
//! coordinator and two workers of the tests' own (`./scripts/citus test`),
//! each test's database made on every node.

pub mod browser;
pub mod chrome;
pub mod dns;
pub mod fixtures;
pub mod load;
pub mod node;
pub mod pdf;
pub mod smtp;
pub mod stripe;

use std::path::PathBuf;
use std::sync::Arc;

use hearth_admin::citus_cluster::CitusCluster;
use hearth_admin::pgcluster::{self, ClusterOptions};
use hearth_core::config::Config;
use hearth_core::Application;
use hearth_tenants::{create_tenant, NewTenant, Tenant, TenantMigrator};
use sqlx::{Connection, PgConnection, PgPool};
use tokio::sync::OnceCell;

/// The tests' Citus cluster (a coordinator and two workers in
/// `$TMPDIR/hearth-test-citus`), started on first use.
pub async fn citus_cluster() -> &'static CitusCluster {
    static CITUS: OnceCell<CitusCluster> = OnceCell::const_new();
    CITUS
        .get_or_init(|| async {
            let dir = std::env::temp_dir().join("hearth-test-citus");
            tokio::task::spawn_blocking(move || CitusCluster::ensure_running(&dir, 2, true))
                .await
                .expect("cluster task")
                .expect("the tests' Citus cluster (./scripts/citus builds Citus)")
        })
        .await
}

/// The Citus cluster every test's database is on, when the suite runs on
/// Citus (`HEARTH_TEST_CITUS=1`).
pub async fn citus() -> Option<&'static CitusCluster> {
    if std::env::var("HEARTH_TEST_CITUS").map_or(true, |v| v.is_empty() || v == "0") {
        return None;
    }
    Some(citus_cluster().await)
}

/// Makes database `name` on the test server (on every node of a Citus one).
async fn create_database(admin: &mut PgConnection, name: &str) {
    match citus().await {
        Some(cluster) => cluster
            .ensure_database(name)
            .await
            .expect("create test database on the Citus cluster"),
        None => {
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(admin)
                .await
                .expect("create test database");
        }
    }
}

/// Drops database `name` (on every node of a Citus server).
async fn drop_named(admin: &mut PgConnection, name: &str) {
    match citus().await {
        Some(cluster) => {
            let _ = cluster.drop_database(name).await;
        }
        None => {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(admin)
                .await;
        }
    }
}

/// A URL for database `db` on the test server.
pub async fn server_url(db: &str) -> String {
    static SERVER: OnceCell<String> = OnceCell::const_new();
    let base = SERVER
        .get_or_init(|| async {
            if let Some(cluster) = citus().await {
                return cluster.url("postgres");
            }
            if let Ok(url) = std::env::var("DATABASE_URL") {
                return url;
            }
            let options = ClusterOptions {
                dir: std::env::temp_dir().join("hearth-test-postgres"),
                ephemeral: true,
                citus: false,
            };
            let cluster = tokio::task::spawn_blocking(move || pgcluster::ensure_running(&options))
                .await
                .expect("cluster task")
                .expect("a private PostgreSQL cluster for the tests");
            cluster.url("postgres")
        })
        .await;
    match base.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{db}"),
        None => base.clone(),
    }
}

impl Drop for TestDb {
    /// On a Citus cluster the database goes when the test ends: Citus keeps
    /// a background worker per database, and a node has a few dozen.
    fn drop(&mut self) {
        if !self.on_citus {
            return;
        }
        let name = self.name.clone();
        let dir = std::env::temp_dir().join("hearth-test-citus");
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(cluster) = CitusCluster::ensure_running(&dir, 2, true) {
                    let _ = cluster.drop_database(&name).await;
                }
            });
        })
        .join();
    }
}

/// A database of its own for one test, migrated to this build.
pub struct TestDb {
    /// Its name.
    pub name: String,
    /// Its URL.
    pub url: String,
    /// A pool on it.
    pub pool: PgPool,
    /// Made on the tests' Citus cluster.
    on_citus: bool,
}

/// Drops `db`'s database now (the benches' fresh databases, once measured);
/// a failure to drop is left for the next run's `IF EXISTS`.
pub async fn drop_database(db: &TestDb) {
    use sqlx::Connection;
    db.pool.close().await;
    if let Ok(mut admin) = sqlx::PgConnection::connect(&server_url("postgres").await).await {
        drop_named(&mut admin, &db.name).await;
    }
}

impl TestDb {
    /// A fresh, migrated database.
    pub async fn new() -> Self {
        let db = Self::empty().await;
        hearth_admin::migrate_all(&db.pool, &TenantMigrator::embedded(), quiet())
            .await
            .expect("migrations");
        db
    }

    /// A fresh, migrated database on the tests' Citus cluster, whatever the
    /// suite runs on.
    pub async fn on_citus() -> Self {
        let cluster = citus_cluster().await;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let name = format!("hearth_test_{stamp}_{}", uuid::Uuid::new_v4().simple());
        cluster
            .ensure_database(&name)
            .await
            .expect("a database on the Citus cluster");
        let url = cluster.url(&name);
        let pool = hearth_tenants::db::connect(&url, &hearth_tenants::db::PoolSettings::default())
            .await
            .expect("pool");
        let db = Self {
            name,
            url,
            pool,
            on_citus: true,
        };
        hearth_admin::migrate_all(&db.pool, &TenantMigrator::embedded(), quiet())
            .await
            .expect("migrations");
        db
    }

    /// Database `name`, made earlier, with a pool of `size` connections; it
    /// is kept when this is dropped.
    pub async fn existing(name: &str, size: u32) -> sqlx::Result<Self> {
        let url = server_url(name).await;
        let settings = hearth_tenants::db::PoolSettings {
            max_connections: size,
            ..Default::default()
        };
        let pool = hearth_tenants::db::connect(&url, &settings).await?;
        Ok(Self {
            name: name.to_owned(),
            url,
            pool,
            on_citus: false,
        })
    }

    /// A fresh database with nothing in it.
    pub async fn empty() -> Self {
        Self::empty_with_pool_size(8).await
    }

    /// A fresh empty database, with a pool of `size` connections.
    pub async fn empty_with_pool_size(size: u32) -> Self {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let name = format!("hearth_test_{stamp}_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&server_url("postgres").await)
            .await
            .expect("server");
        drop_stale_databases(&mut admin, stamp).await;
        create_database(&mut admin, &name).await;
        let url = server_url(&name).await;
        let settings = hearth_tenants::db::PoolSettings {
            max_connections: size,
            ..Default::default()
        };
        let pool = hearth_tenants::db::connect(&url, &settings)
            .await
            .expect("pool");
        let on_citus = citus().await.is_some();
        Self {
            name,
            url,
            pool,
            on_citus,
        }
    }

    /// Provisions hub `slug`.
    pub async fn hub(&self, slug: &str, name: &str) -> Tenant {
        create_tenant(
            &self.pool,
            &TenantMigrator::embedded(),
            &NewTenant {
                slug: slug.into(),
                name: name.into(),
                reseller_id: None,
            },
        )
        .await
        .expect("provision hub")
    }
}

/// Test databases older than a day are left-overs of killed runs.
async fn drop_stale_databases(admin: &mut PgConnection, now: u64) {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'hearth\\_test\\_%'",
    )
    .fetch_all(&mut *admin)
    .await
    .unwrap_or_default();
    for name in names {
        let stamp = name
            .split('_')
            .nth(2)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(now);
        if now.saturating_sub(stamp) > 86_400 {
            drop_named(admin, &name).await;
        }
    }
}

/// Migrate options that print nothing.
pub fn quiet() -> hearth_admin::MigrateOptions {
    hearth_admin::MigrateOptions {
        jobs: 4,
        progress: hearth_admin::progress::ProgressMode::Quiet,
    }
}

/// The application, started on port 0 against its own database.
pub struct TestApp {
    /// Its database.
    pub db: Arc<TestDb>,
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// A client that keeps cookies and does not follow redirects.
    pub client: reqwest::Client,
    /// The node's state (its caches, its change listener).
    pub state: hearth_core::AppState,
    /// Stops the server when dropped.
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl TestApp {
    /// Starts an application on a fresh database.
    pub async fn spawn() -> Self {
        Self::spawn_on(Arc::new(TestDb::new().await)).await
    }

    /// Starts another node on the same database.
    pub async fn spawn_on(db: Arc<TestDb>) -> Self {
        let pool = db.pool.clone();
        Self::spawn_on_pool(db, pool).await
    }

    /// Starts a node on `db` that uses `pool`.
    pub async fn spawn_on_pool(db: Arc<TestDb>, pool: PgPool) -> Self {
        Self::spawn_configured(db, pool, |_| {}).await
    }

    /// Starts a node on `db` that sends its email to `smtp`.
    pub async fn spawn_mailing(db: Arc<TestDb>, smtp: &crate::smtp::SmtpServer) -> Self {
        Self::spawn_mailing_with(db, smtp, |_| {}).await
    }

    /// Starts a node on `db` that sends its email to `smtp`, its configuration
    /// further adjusted by `configure`.
    pub async fn spawn_mailing_with(
        db: Arc<TestDb>,
        smtp: &crate::smtp::SmtpServer,
        configure: impl FnOnce(&mut Config),
    ) -> Self {
        let pool = db.pool.clone();
        let port = smtp.port();
        Self::spawn_configured(db, pool, |c| {
            c.smtp_host = "127.0.0.1".into();
            c.smtp_port = port;
            configure(c);
        })
        .await
    }

    /// Starts a node on `db` with `pool`, its configuration adjusted by `configure`.
    pub async fn spawn_configured(
        db: Arc<TestDb>,
        pool: PgPool,
        configure: impl FnOnce(&mut Config),
    ) -> Self {
        let mut config = Config {
            database_url: Some(db.url.clone()),
            listen: "127.0.0.1:0".parse().expect("address"),
            themes_dir: workspace_root().join("themes"),
            ..Config::default()
        };
        configure(&mut config);
        // Shown by nextest for failing tests only.
        hearth_core::telemetry::init_logging(
            hearth_core::config::LogFormat::Text,
            "warn,hearth=info",
        );
        let app = Application::build_with_pool(config, pool)
            .await
            .expect("build app");
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("client");
        Self {
            db,
            address,
            client,
            state,
            _stop: stop,
        }
    }

    /// Waits until this node hears of changes any node makes (its change
    /// listener is listening): a readiness signal, not a guess of how long.
    pub async fn listening(&self) {
        assert!(
            self.state
                .listening(std::time::Duration::from_secs(10))
                .await,
            "the node's change listener did not start listening within 10 s"
        );
    }

    /// GET `path` on hub `slug` by its host name.
    pub async fn get_hub(&self, slug: &str, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .header("host", format!("{slug}.hearth.localhost"))
            .send()
            .await
            .expect("request")
    }

    /// GET `path` with `host` as the Host header.
    pub async fn get_host(&self, host: &str, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .header("host", host)
            .send()
            .await
            .expect("request")
    }

    /// GET `path` on the platform host.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request")
    }
}

/// The repository's root folder.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub use node::hearth_binary;

/// A folder holding a copy of the tenant migrations, to edit or add to.
pub fn tenant_migrations_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(workspace_root().join("migrations/tenant")).expect("migrations")
    {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    dir
}

/// Inserts `count` hub rows whose schemas do not exist yet (version 0), as a
/// restored control plane or a bulk import leaves them; `hearth migrate` makes them.
pub async fn hub_rows(pool: &PgPool, count: usize) {
    sqlx::query(
        "INSERT INTO tenants (slug, name) \
         SELECT 'hub-' || lpad(i::text, 6, '0'), 'Hub ' || i FROM generate_series(1, $1) i",
    )
    .bind(i32::try_from(count).expect("count"))
    .execute(pool)
    .await
    .expect("hub rows");
}

/// Waits (at most 30 s) until the outbox holds nothing still to deliver:
/// every email is sent or dead. From then on no email written so far can
/// still arrive, so a count of what arrived is final.
pub async fn outbox_settled(pool: &PgPool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let pending: i64 =
            sqlx::query_scalar("SELECT count(*) FROM email_outbox WHERE status = 'pending'")
                .fetch_one(pool)
                .await
                .expect("count pending emails");
        if pending == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{pending} emails still pending after 30 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
