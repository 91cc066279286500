//! A Citus cluster on one machine, for development (`hearth dev --citus`,
//! `./scripts/citus`) and for running the test suite on Citus: a coordinator
//! and workers, each a private cluster of [`crate::pgcluster`] with Citus
//! loaded, in folders `coordinator`, `worker1`, `worker2`… of one folder.
//!
//! Citus itself must be installed in the machine's PostgreSQL:
//! `./scripts/citus` builds it from `vendor/citus/` when it is missing.

use std::path::{Path, PathBuf};

use anyhow::Context;
use sqlx::{Connection, PgConnection};

use crate::pgcluster::{self, Cluster, ClusterOptions};

/// A running coordinator and its workers.
#[derive(Debug, Clone)]
pub struct CitusCluster {
    /// Where the nodes' folders are.
    pub dir: PathBuf,
    /// The coordinator: the node the application connects to.
    pub coordinator: Cluster,
    /// The workers, where hub schemas are placed.
    pub workers: Vec<Cluster>,
}

impl CitusCluster {
    /// Starts (making them first if needed) a coordinator and `workers`
    /// workers in `dir`, or finds them running. Blocking.
    pub fn ensure_running(dir: &Path, workers: usize, ephemeral: bool) -> anyhow::Result<Self> {
        let node = |name: String| -> anyhow::Result<Cluster> {
            pgcluster::ensure_running(&ClusterOptions {
                dir: dir.join(&name),
                ephemeral,
                citus: true,
            })
            .with_context(|| format!("starting the Citus {name}"))
        };
        let coordinator = node("coordinator".to_owned())?;
        let workers = (1..=workers)
            .map(|n| node(format!("worker{n}")))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self {
            dir: dir.to_path_buf(),
            coordinator,
            workers,
        })
    }

    /// A URL for database `db` on the coordinator.
    pub fn url(&self, db: &str) -> String {
        self.coordinator.url(db)
    }

    /// Makes database `db` a Citus database on every node, if it is not one
    /// already: the database itself and the extension on each node, then the
    /// coordinator and the workers registered in the coordinator's metadata.
    /// Tried again a few times: registering a worker connects to it, and a
    /// busy worker may refuse for a moment.
    pub async fn ensure_database(&self, db: &str) -> anyhow::Result<()> {
        let mut tries = 0;
        loop {
            match self.ensure_database_once(db).await {
                Err(e) if tries < 3 => {
                    tries += 1;
                    tracing::warn!(error = %e, db, tries, "making a Citus database failed; trying again");
                    tokio::time::sleep(std::time::Duration::from_millis(500 * tries)).await;
                }
                done => return done,
            }
        }
    }

    async fn ensure_database_once(&self, db: &str) -> anyhow::Result<()> {
        anyhow::ensure!(
            !db.is_empty() && db.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "a database name of letters, digits and _: {db}"
        );
        for node in std::iter::once(&self.coordinator).chain(&self.workers) {
            let mut admin = PgConnection::connect(&node.url("postgres")).await?;
            let exists: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                    .bind(db)
                    .fetch_one(&mut admin)
                    .await?;
            if !exists {
                // Runtime-checked: a database whose name is known only here.
                sqlx::raw_sql(&format!("CREATE DATABASE \"{db}\""))
                    .execute(&mut admin)
                    .await?;
            }
            admin.close().await?;
            let mut conn = PgConnection::connect(&node.url(db)).await?;
            sqlx::raw_sql("CREATE EXTENSION IF NOT EXISTS citus")
                .execute(&mut conn)
                .await
                .context(
                    "CREATE EXTENSION citus failed: is Citus installed? (./scripts/citus builds it)",
                )?;
            conn.close().await?;
        }
        let mut conn = PgConnection::connect(&self.url(db)).await?;
        // Runtime-checked: Citus's functions and catalog.
        sqlx::query("SELECT citus_set_coordinator_host('127.0.0.1', $1)")
            .bind(i32::from(self.coordinator.port))
            .execute(&mut conn)
            .await?;
        for worker in &self.workers {
            let known: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM pg_dist_node WHERE nodename = '127.0.0.1' AND nodeport = $1)",
            )
            .bind(i32::from(worker.port))
            .fetch_one(&mut conn)
            .await?;
            if !known {
                sqlx::query("SELECT citus_add_node('127.0.0.1', $1)")
                    .bind(i32::from(worker.port))
                    .execute(&mut conn)
                    .await?;
            }
        }
        conn.close().await?;
        Ok(())
    }

    /// Drops database `db` on every node (the workers first).
    pub async fn drop_database(&self, db: &str) -> anyhow::Result<()> {
        for node in self
            .workers
            .iter()
            .chain(std::iter::once(&self.coordinator))
        {
            let mut admin = PgConnection::connect(&node.url("postgres")).await?;
            // Runtime-checked: a database whose name is known only here.
            sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"))
                .execute(&mut admin)
                .await?;
        }
        Ok(())
    }

    /// Stops every node, keeping their data.
    pub fn stop(&self) -> anyhow::Result<()> {
        for node in self
            .workers
            .iter()
            .chain(std::iter::once(&self.coordinator))
        {
            node.stop()?;
        }
        Ok(())
    }
}
