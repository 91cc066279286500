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
        Self {
            jobs: 4,
            progress: ProgressMode::Auto,
        }
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
    // On a Citus coordinator: the shared tables hubs reference become
    // reference tables (nothing on plain PostgreSQL).
    hearth_tenants::citus::distribute(pool).await?;
    migrator.adopt(pool).await?;
    let latest = migrator.latest();

    let mut conn = pool.acquire().await?;
    let ahead: Option<(i64, i64)> = sqlx::query!(
        "SELECT id, schema_version FROM tenants WHERE schema_version > $1 LIMIT 1",
        latest,
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.id, r.schema_version));
    if let Some((id, version)) = ahead {
        return Err(MigrationError::Unknown {
            version,
            description: format!("hub {id} is at a version this build does not have"),
        });
    }
    let behind = hubs_behind(&mut conn, latest).await?;
    drop(conn);
    let mut report = MigrateReport {
        hubs_behind: behind,
        ..MigrateReport::default()
    };
    if behind == 0 {
        report.elapsed = started.elapsed();
        return Ok(report);
    }
    tracing::info!(
        hubs = behind,
        jobs = options.jobs,
        latest,
        "migrating hub schemas"
    );

    let progress = Progress::new(options.progress, "hubs", u64::try_from(behind).unwrap_or(0));
    // The hubs to do, read once; workers take them from a queue and lock each
    // by its primary key, so a pick costs the same for the first hub and the
    // ten-thousandth.
    let pending: Vec<TenantId> = sqlx::query_scalar!(
        r#"SELECT id AS "id: TenantId" FROM tenants WHERE schema_version < $1 ORDER BY id"#,
        latest,
    )
    .fetch_all(pool)
    .await?;
    let queue = Mutex::new(pending.into_iter());
    let held_elsewhere = Mutex::new(Vec::new());
    let failed = Mutex::new(Vec::new());
    let next = || queue.lock().ok().and_then(|mut q| q.next());
    let workers = (0..options.jobs.max(1)).map(|_| async {
        while let Some(id) = next() {
            match migrate_hub(pool, migrator, id, true).await {
                Ok(Outcome::Migrated) => progress.inc(),
                Ok(Outcome::Current) => {}
                Ok(Outcome::Locked) => push(&held_elsewhere, id),
                Err(e) => {
                    tracing::error!(tenant_id = %id, error = %e, "hub migration failed");
                    push(&failed, (id, e.to_string()));
                }
            }
        }
    });
    futures::future::join_all(workers).await;
    // Hubs another node held a moment ago: wait for its locks, then finish
    // whatever it left undone.
    for id in held_elsewhere.into_inner().unwrap_or_default() {
        match migrate_hub(pool, migrator, id, false).await {
            Ok(Outcome::Migrated) => progress.inc(),
            Ok(_) => {}
            Err(e) => push(&failed, (id, e.to_string())),
        }
    }
    progress.finish();

    report.hubs_migrated = progress.done();
    report.failed = failed.into_inner().unwrap_or_default();
    report.elapsed = started.elapsed();
    Ok(report)
}

enum Outcome {
    Migrated,
    Current,
    Locked,
}

/// Migrates hub `id` in one transaction holding its `tenants` row. A
/// transaction the database cancelled as part of a deadlock is tried again
/// (a few times): it changed nothing. On a Citus cluster hub migrations that
/// run at once meet in the coordinator's and workers' locks of the shared
/// tables, and Citus cancels one of them.
async fn migrate_hub(
    pool: &PgPool,
    migrator: &TenantMigrator,
    id: TenantId,
    skip_locked: bool,
) -> Result<Outcome, sqlx::Error> {
    hearth_tenants::db::retry_deadlocks(
        "a hub's migration",
        || migrate_hub_once(pool, migrator, id, skip_locked),
        |e| Some(e),
    )
    .await
}

async fn migrate_hub_once(
    pool: &PgPool,
    migrator: &TenantMigrator,
    id: TenantId,
    skip_locked: bool,
) -> Result<Outcome, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let from: Option<i64> = if skip_locked {
        sqlx::query_scalar!(
            "SELECT schema_version FROM tenants WHERE id = $1 FOR UPDATE SKIP LOCKED",
            id as TenantId,
        )
        .fetch_optional(&mut *tx)
        .await?
    } else {
        sqlx::query_scalar!(
            "SELECT schema_version FROM tenants WHERE id = $1 FOR UPDATE",
            id as TenantId,
        )
        .fetch_optional(&mut *tx)
        .await?
    };
    let Some(from) = from else {
        // Deleted, or held by another node (with SKIP LOCKED).
        return Ok(if skip_locked {
            Outcome::Locked
        } else {
            Outcome::Current
        });
    };
    if from >= migrator.latest() {
        return Ok(Outcome::Current);
    }
    migrator.apply(&mut tx, id, from).await?;
    tx.commit().await?;
    Ok(Outcome::Migrated)
}

fn push<T>(list: &Mutex<Vec<T>>, item: T) {
    if let Ok(mut list) = list.lock() {
        list.push(item);
    }
}
