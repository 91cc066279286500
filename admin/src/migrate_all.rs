//! `hearth migrate`: the control plane first, then every hub schema that is
//! behind, several at a time.
//!
//! Each hub is migrated in one transaction that holds its `tenants` row
//! (`FOR UPDATE SKIP LOCKED`), so two nodes running this at once share the work,
//! and a run killed midway leaves every hub either done or untouched.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use hearth_tenants::migrate::{hubs_behind, MigrationError};
use hearth_tenants::{TenantId, TenantMigrator, PUBLIC_MIGRATOR};
use sqlx::PgPool;

use crate::progress::{Progress, ProgressMode};

/// How to run.
#[derive(Debug, Clone, Copy)]
pub struct MigrateOptions {
    /// Hub schemas migrated at once; each uses a connection.
    pub jobs: usize,
    /// How progress is shown.
    pub progress: ProgressMode,
}

impl Default for MigrateOptions {
    fn default() -> Self {
        Self { jobs: 4, progress: ProgressMode::Auto }
    }
}

/// What a run did.
#[derive(Debug, Default)]
pub struct MigrateReport {
    /// Hubs that were behind when the run began.
    pub hubs_behind: i64,
    /// Hubs this run migrated (another node may have done the rest).
    pub hubs_migrated: u64,
    /// Hubs whose migration failed, with the error; they stay at their version.
    pub failed: Vec<(TenantId, String)>,
    /// How long the run took.
    pub elapsed: Duration,
}

/// Migrates the control plane, then every hub that is behind.
pub async fn migrate_all(
    pool: &PgPool,
    migrator: &TenantMigrator,
    options: MigrateOptions,
) -> Result<MigrateReport, MigrationError> {
    let started = Instant::now();
    PUBLIC_MIGRATOR.run(pool).await?;
    migrator.adopt(pool).await?;
    let latest = migrator.latest();

    let mut conn = pool.acquire().await?;
    let ahead: Option<(i64, i64)> = sqlx::query_as(
        "SELECT id, schema_version FROM tenants WHERE schema_version > $1 LIMIT 1",
    )
    .bind(latest)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((id, version)) = ahead {
        return Err(MigrationError::Unknown {
            version,
            description: format!("hub {id} is at a version this build does not have"),
        });
    }
    let behind = hubs_behind(&mut conn, latest).await?;
    drop(conn);
    let mut report = MigrateReport { hubs_behind: behind, ..MigrateReport::default() };
    if behind == 0 {
        report.elapsed = started.elapsed();
        return Ok(report);
    }
    tracing::info!(hubs = behind, jobs = options.jobs, latest, "migrating hub schemas");

    let progress = Progress::new(options.progress, "hubs", u64::try_from(behind).unwrap_or(0));
    let failed = Mutex::new(Vec::new());
    let workers = (0..options.jobs.max(1))
        .map(|_| worker(pool, migrator, &progress, &failed, true));
    for result in futures::future::join_all(workers).await {
        result?;
    }
    // Hubs another node held a moment ago: wait for their locks, then finish
    // whatever that node left undone.
    worker(pool, migrator, &progress, &failed, false).await?;
    progress.finish();

    report.hubs_migrated = progress.done();
    report.failed = failed.into_inner().unwrap_or_default();
    report.elapsed = started.elapsed();
    Ok(report)
}

async fn worker(
    pool: &PgPool,
    migrator: &TenantMigrator,
    progress: &Progress,
    failed: &Mutex<Vec<(TenantId, String)>>,
    skip_locked: bool,
) -> Result<(), MigrationError> {
    let pick = if skip_locked {
        "SELECT id, schema_version FROM tenants WHERE schema_version < $1 AND NOT (id = ANY($2)) \
         ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
    } else {
        "SELECT id, schema_version FROM tenants WHERE schema_version < $1 AND NOT (id = ANY($2)) \
         ORDER BY id LIMIT 1 FOR UPDATE"
    };
    loop {
        let skip: Vec<i64> = match failed.lock() {
            Ok(f) => f.iter().map(|(id, _)| id.0).collect(),
            Err(_) => Vec::new(),
        };
        let mut tx = pool.begin().await?;
        let row: Option<(TenantId, i64)> = sqlx::query_as(pick)
            .bind(migrator.latest())
            .bind(&skip)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((id, from)) = row else {
            return Ok(());
        };
        // Recorded failures are pushed while their row is still locked, so a
        // worker that picked the row after that sees them here.
        if skip_contains(failed, id) {
            continue;
        }
        match migrator.apply(&mut tx, id, from).await {
            Ok(()) => {
                tx.commit().await?;
                progress.inc();
            }
            Err(e) => {
                tracing::error!(tenant_id = %id, error = %e, "hub migration failed");
                if let Ok(mut f) = failed.lock() {
                    f.push((id, e.to_string()));
                }
                drop(tx);
            }
        }
    }
}

fn skip_contains(failed: &Mutex<Vec<(TenantId, String)>>, id: TenantId) -> bool {
    failed.lock().map(|f| f.iter().any(|(f, _)| *f == id)).unwrap_or(false)
}
