//! Migrations: `migrations/public` once per database (sqlx's migrator, with its
//! checksums and advisory lock), and `migrations/tenant` once per hub schema.
//!
//! A hub's progress is the single column `tenants.schema_version`, updated in the
//! same transaction as the DDL it records: PostgreSQL's DDL is transactional, so a
//! hub is either wholly at a version or wholly before it, a killed run resumes
//! where it stopped, and "is there anything to do?" is one query over `tenants`.

use std::path::Path;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Executor, PgConnection, PgPool};

use crate::registry::{SchemaName, TenantId};

/// The control-plane migrations, embedded in the binary.
pub static PUBLIC_MIGRATOR: Migrator = sqlx::migrate!("../migrations/public");

static TENANT_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/tenant");

/// Why migrations cannot go ahead.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// A tenant migration's file differs from the one hubs were migrated with.
    #[error(
        "tenant migration {version} ({description}) was edited after hubs adopted it: \
         restore the file as it was and put the change in a new migration"
    )]
    Edited {
        /// The migration's version.
        version: i64,
        /// Its description.
        description: String,
    },
    /// The database knows a tenant migration this build does not.
    #[error(
        "the database has tenant migration {version} ({description}) that this build of \
         hearth does not have: run a newer hearth"
    )]
    Unknown {
        /// The migration's version.
        version: i64,
        /// Its description.
        description: String,
    },
    /// A tenant migration that would run outside a transaction.
    #[error("tenant migration {0} is marked no-transaction; hub migrations must be transactional")]
    NoTransaction(i64),
    /// A control-plane migration failed or was edited after being applied.
    #[error("control-plane migration: {0}")]
    Public(#[from] sqlx::migrate::MigrateError),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// The tenant migrations, applied to each hub schema.
#[derive(Debug, Clone)]
pub struct TenantMigrator {
    migrations: Vec<Migration>,
}

impl TenantMigrator {
    /// The tenant migrations embedded in this build.
    pub fn embedded() -> Self {
        Self::from_migrations(TENANT_MIGRATIONS.iter().cloned()).unwrap_or_else(|_| Self {
            migrations: Vec::new(),
        })
    }

    /// Tenant migrations read from a folder (tests and tools).
    pub async fn from_dir(dir: &Path) -> Result<Self, MigrationError> {
        let migrator = Migrator::new(dir).await?;
        Self::from_migrations(migrator.iter().cloned())
    }

    fn from_migrations(all: impl Iterator<Item = Migration>) -> Result<Self, MigrationError> {
        let mut migrations: Vec<Migration> = all
            .filter(|m| !matches!(m.migration_type, MigrationType::ReversibleDown))
            .collect();
        if let Some(m) = migrations.iter().find(|m| m.no_tx) {
            return Err(MigrationError::NoTransaction(m.version));
        }
        migrations.sort_by_key(|m| m.version);
        Ok(Self { migrations })
    }

    /// The version every hub should reach.
    pub fn latest(&self) -> i64 {
        self.migrations.last().map_or(0, |m| m.version)
    }

    /// Checks the registry in `public.tenant_migrations` against this build and
    /// records the migrations it adds. Refuses edited and unknown migrations.
    pub async fn adopt(&self, pool: &PgPool) -> Result<(), MigrationError> {
        let mut tx = pool.begin().await?;
        sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('hearth.tenant_migrations'))")
            .execute(&mut *tx)
            .await?;
        let adopted: Vec<(i64, String, Vec<u8>)> =
            sqlx::query!("SELECT version, description, checksum FROM tenant_migrations")
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(|r| (r.version, r.description, r.checksum))
                .collect();
        for (version, description, checksum) in &adopted {
            match self.migrations.iter().find(|m| m.version == *version) {
                None => {
                    return Err(MigrationError::Unknown {
                        version: *version,
                        description: description.clone(),
                    })
                }
                Some(m) if m.checksum.as_ref() != checksum.as_slice() => {
                    return Err(MigrationError::Edited {
                        version: *version,
                        description: m.description.to_string(),
                    })
                }
                Some(_) => {}
            }
        }
        for m in &self.migrations {
            if adopted.iter().all(|(v, _, _)| *v != m.version) {
                sqlx::query!(
                    "INSERT INTO tenant_migrations (version, description, checksum) VALUES ($1, $2, $3)",
                    m.version,
                    m.description.as_ref(),
                    m.checksum.as_ref(),
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Brings hub `id` from version `from` to [`Self::latest`] on `conn`, which must
    /// be inside a transaction that also holds the hub's `tenants` row; the caller
    /// commits. Makes the schema when `from` is 0.
    pub async fn apply(
        &self,
        conn: &mut PgConnection,
        id: TenantId,
        from: i64,
    ) -> sqlx::Result<()> {
        let schema = SchemaName::for_tenant(id);
        if from == 0 {
            (&mut *conn)
                .execute(format!("CREATE SCHEMA {}", schema.quoted()).as_str())
                .await?;
        }
        (&mut *conn)
            .execute(format!("SET LOCAL search_path TO {}, public", schema.quoted()).as_str())
            .await?;
        for m in self.migrations.iter().filter(|m| m.version > from) {
            (&mut *conn).execute(m.sql.as_ref()).await?;
        }
        sqlx::query!("SET LOCAL search_path TO public")
            .execute(&mut *conn)
            .await?;
        sqlx::query!(
            "UPDATE public.tenants SET schema_version = $2 WHERE id = $1",
            id as TenantId,
            self.latest(),
        )
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

/// Hubs whose schema is behind `latest`: one query, whatever the number of hubs.
pub async fn hubs_behind(conn: &mut PgConnection, latest: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM tenants WHERE schema_version < $1"#,
        latest
    )
    .fetch_one(conn)
    .await
}

/// Whether the control plane and every hub are at this build's versions: what
/// `/readyz` asks. Two small queries.
pub async fn is_current(pool: &PgPool, tenant: &TenantMigrator) -> sqlx::Result<bool> {
    let mut conn = pool.acquire().await?;
    let public_latest = PUBLIC_MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    // Runtime-checked: `_sqlx_migrations` is made by sqlx's migrator at run
    // time, so the check database (migrated with psql) has no such table.
    let applied: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await
            .or_else(|e| match &e {
                // No migration table yet: nothing applied.
                sqlx::Error::Database(d) if d.code().as_deref() == Some("42P01") => Ok(None),
                _ => Err(e),
            })?;
    if applied.unwrap_or(0) < public_latest {
        return Ok(false);
    }
    Ok(hubs_behind(&mut conn, tenant.latest()).await? == 0)
}
