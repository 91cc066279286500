//! `hearth serve` as a process of its own: the tests of several nodes and of
//! faults start one or more on a database, kill one with SIGKILL and start it
//! again, and talk HTTP to each, as a load balancer would.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::PgPool;
use uuid::Uuid;

use crate::browser::Browser;

/// The token `/metrics` answers to on every node started here.
pub const METRICS_TOKEN: &str = "node-metrics-token-0123456789";

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("a free port")
        .port()
}

/// The `hearth` binary cargo built beside this test.
pub fn hearth_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    // target/<profile>/deps/<test> -> target/<profile>/hearth
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target folder");
    let bin = dir.join("hearth");
    assert!(
        bin.is_file(),
        "build the binary first: cargo build -p hearth-core ({})",
        bin.display()
    );
    bin
}

/// How a node is started: its database and the settings of its TOML file
/// beyond the port and the themes.
#[derive(Debug, Clone)]
pub struct NodeOptions {
    /// `DATABASE_URL`.
    pub database_url: String,
    /// More lines of `hearth.toml` (for example `db_max_connections = 8`).
    pub toml: String,
    /// Extra environment variables.
    pub env: Vec<(String, String)>,
    /// Keep the process's stderr on a pipe for the test to read (see
    /// [`Node::child`]); otherwise it goes to a log file ([`Node::log`]).
    pub piped_stderr: bool,
}

impl NodeOptions {
    /// A node on `database_url` with `toml` added to its configuration.
    pub fn new(database_url: &str, toml: &str) -> Self {
        Self {
            database_url: database_url.to_owned(),
            toml: toml.to_owned(),
            env: Vec::new(),
            piped_stderr: false,
        }
    }
}

/// A running `hearth serve`, killed (SIGKILL) when dropped.
pub struct Node {
    /// The process.
    pub child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    options: NodeOptions,
    config: PathBuf,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Node {
    /// Starts a node on `database_url` with `toml` added to its configuration,
    /// and waits until it answers and hears of other nodes' changes.
    pub async fn start(database_url: &str, toml: &str) -> Self {
        Self::start_with(NodeOptions::new(database_url, toml)).await
    }

    /// Starts a node as `options` say and waits until it answers `/healthz`.
    pub async fn start_with(options: NodeOptions) -> Self {
        let port = free_port();
        let dir = tempfile::tempdir().expect("a folder for the node");
        let config = dir.path().join("hearth.toml");
        std::fs::write(
            &config,
            format!(
                "listen = \"127.0.0.1:{port}\"\nthemes_dir = \"{}\"\n{}\n",
                crate::workspace_root().join("themes").display(),
                options.toml
            ),
        )
        .expect("the node's configuration");
        let log = dir.path().join("node.log");
        let mut node = Self {
            child: spawn(&options, &config, &log),
            base: format!("http://127.0.0.1:{port}"),
            options,
            config,
            log,
            _dir: dir,
        };
        node.wait_healthy().await;
        node
    }

    /// Kills the process with SIGKILL (no grace, no cleanup) and reaps it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the process again on the same port and configuration.
    pub async fn restart(&mut self) {
        self.kill();
        self.child = spawn(&self.options, &self.config, &self.log);
        self.wait_healthy().await;
    }

    /// What the node logged so far (empty with a piped stderr).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `base` followed by hub `slug`'s path prefix: `http://…/h/<slug>`.
    pub fn hub(&self, slug: &str) -> String {
        format!("{}/h/{slug}", self.base)
    }

    /// A browser on hub `slug` signed in as `user`, with a session made in
    /// the database (sessions live there, so any node knows it).
    pub async fn member(&self, pool: &PgPool, slug: &str, user: Uuid) -> Browser {
        crate::fixtures::browser_for(pool, &self.hub(slug), user).await
    }

    /// `browser` (the same cookies: its session and its CSRF cookie, which
    /// do not depend on the port) on hub `slug` of this node: a client that a
    /// load balancer sends to another node.
    pub fn via(&self, browser: &Browser, slug: &str) -> Browser {
        Browser {
            base: self.hub(slug),
            client: browser.client.clone(),
        }
    }

    /// Waits (at most 20 s) until the node's change listener is connected, as
    /// its metrics say: from then on it hears of every other node's change.
    pub async fn listening(&self) {
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let metrics = client
                .get(format!("{}/metrics", self.base))
                .bearer_auth(METRICS_TOKEN)
                .send()
                .await
                .ok();
            if let Some(r) = metrics {
                if r.text()
                    .await
                    .unwrap_or_default()
                    .contains("hearth_change_listener_connected 1")
                {
                    return;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the node's change listener did not connect within 20 s:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn wait_healthy(&mut self) {
        let started = Instant::now();
        let client = reqwest::Client::new();
        while client
            .get(format!("{}/healthz", self.base))
            .send()
            .await
            .is_err()
        {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("hearth serve exited ({status}):\n{}", self.log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "hearth serve did not start within 30 s:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

fn spawn(options: &NodeOptions, config: &std::path::Path, log: &std::path::Path) -> Child {
    let stderr = if options.piped_stderr {
        Stdio::piped()
    } else {
        Stdio::from(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .expect("the node's log file"),
        )
    };
    let mut command = Command::new(hearth_binary());
    command
        .args(["serve", "--config"])
        .arg(config)
        .env("DATABASE_URL", &options.database_url)
        .env("HEARTH_METRICS_TOKEN", METRICS_TOKEN)
        .env("HEARTH_LOG_LEVEL", "warn,hearth=info")
        .stdout(Stdio::null())
        .stderr(stderr);
    for (key, value) in &options.env {
        command.env(key, value);
    }
    command.spawn().expect("start hearth serve")
}
