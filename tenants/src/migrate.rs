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

use crate::changes::{announce, Change};
use crate::registry::{SchemaName, TenantId};

/// The control-plane migrations, embedded in the binary.
pub static PUBLIC_MIGRATOR: Migrator = sqlx::migrate!("../migrations/public");

static TENANT_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/tenant");

/// Tenant migrations whose text changed after release without changing what
/// they make: (version, SHA-384 of the former text, hex). A database that
/// adopted the former text is as valid as one that adopts the current.
///
/// 20261121000500 added columns with unnamed CHECK constraints, which Citus
/// refuses ("all constraints in Citus must have explicit names"); it now names
/// them as PostgreSQL named them (`<table>_<column>_check`), so both texts
/// make the same schema.
const RENAMED_CONSTRAINTS: &[(i64, &str)] = &[(
    20261121000500,
    "dfdac3c9a8b8162bda8fc6feb2fd23749f41cb3d3691215ea1537ab07381d9f5d69ccbe14a87502b6dee0532562466ef",
)];

/// Whether `checksum` is an accepted former text of migration `version`.
fn former_text(version: i64, checksum: &[u8]) -> bool {
    let hex: String = checksum.iter().map(|b| format!("{b:02x}")).collect();
    RENAMED_CONSTRAINTS
        .iter()
        .any(|(v, former)| *v == version && *former == hex)
}

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
                Some(m)
                    if m.checksum.as_ref() != checksum.as_slice()
                        && !former_text(*version, checksum) =>
                {
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
            // On Citus the new schema becomes one colocated unit on a worker
            // (PostgreSQL keeps the setting unused).
            (&mut *conn)
                .execute("SET LOCAL citus.enable_schema_based_sharding = on")
                .await?;
            (&mut *conn)
                .execute(format!("CREATE SCHEMA {}", schema.quoted()).as_str())
                .await?;
        }
        (&mut *conn)
            .execute(format!("SET LOCAL search_path TO {}, public", schema.quoted()).as_str())
            .await?;
        // On Citus, triggers on a hub's tables need this (PostgreSQL keeps it
        // as an unused setting). The one trigger that stays (the credit
        // ledger's append-only guard) only raises an error on its own row.
        (&mut *conn)
            .execute("SET LOCAL citus.enable_unsafe_triggers = on")
            .await?;
        for m in self.migrations.iter().filter(|m| m.version > from) {
            // One statement at a time: Citus sends a DDL statement's query
            // text to the workers, and a text of several statements cannot
            // be prepared there.
            for statement in statements(m.sql.as_ref()) {
                (&mut *conn).execute(statement).await?;
            }
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
        // A new hub may have been asked for (and cached as unknown) already.
        announce(conn, Change::Hubs).await?;
        Ok(())
    }
}

/// The statements of `sql`, each without its `;`: split where a `;` stands
/// outside quotes ('…', "…", $tag$…$tag$) and comments (-- and /* */).
/// Empty statements (comments only) are left out.
pub fn statements(sql: &str) -> Vec<&str> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    let mut meaningful = false;
    while i < bytes.len() {
        match bytes[i] {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                // Block comments nest in PostgreSQL.
                let mut depth = 0usize;
                while i < bytes.len() {
                    if sql[i..].starts_with("/*") {
                        depth += 1;
                        i += 2;
                    } else if sql[i..].starts_with("*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            quote @ (b'\'' | b'"') => {
                meaningful = true;
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        // A doubled quote is a quote inside.
                        if bytes.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            b'$' => {
                meaningful = true;
                if let Some(tag) = dollar_tag(&sql[i..]) {
                    let body = i + tag.len();
                    i = sql[body..]
                        .find(tag)
                        .map_or(bytes.len(), |n| body + n + tag.len());
                    continue;
                }
            }
            b';' => {
                if meaningful {
                    out.push(sql[start..i].trim());
                }
                start = i + 1;
                meaningful = false;
            }
            c if !c.is_ascii_whitespace() => meaningful = true,
            _ => {}
        }
        i += 1;
    }
    if meaningful {
        out.push(sql[start..].trim());
    }
    out
}

/// The dollar-quote opening `s` (`$$` or `$tag$`), if it opens one.
fn dollar_tag(s: &str) -> Option<&str> {
    let rest = &s[1..];
    let end = rest.find('$')?;
    let tag = &rest[..end];
    let valid = tag
        .chars()
        .enumerate()
        .all(|(n, c)| c == '_' || c.is_alphabetic() || (n > 0 && c.is_ascii_digit()));
    valid.then(|| &s[..end + 2])
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_split_outside_quotes_and_comments() {
        let sql = "-- a comment; not a statement\n\
                   CREATE TABLE a (t text DEFAULT 'x;y', \"odd;name\" int);\n\
                   /* block; /* nested; */ still */\n\
                   CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\n\
                   BEGIN RAISE EXCEPTION 'no;'; END;\n$$;\n\
                   DO $body$ BEGIN PERFORM 1; END $body$;\n\
                   SELECT 'it''s; fine'\n";
        let got = statements(sql);
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(got[0].ends_with("\"odd;name\" int)"));
        assert!(got[1].contains("RAISE EXCEPTION 'no;'; END;\n$$"));
        assert!(got[2].starts_with("DO $body$"));
        assert_eq!(got[3], "SELECT 'it''s; fine'");
    }

    #[test]
    fn only_comments_make_no_statement() {
        assert!(statements("-- nothing\n/* at all */\n;\n").is_empty());
    }

    #[test]
    fn every_tenant_migration_splits_into_whole_statements() {
        for m in TenantMigrator::embedded().migrations {
            for s in statements(m.sql.as_ref()) {
                // A whole statement has balanced parentheses and dollar quotes.
                let open = s.matches('(').count();
                let close = s.matches(')').count();
                assert_eq!(open, close, "{}: {s}", m.version);
                assert_eq!(s.matches("$$").count() % 2, 0, "{}: {s}", m.version);
            }
        }
    }

    #[test]
    fn the_renamed_constraints_migration_accepts_its_former_text() {
        let hex = RENAMED_CONSTRAINTS[0].1;
        let former: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        assert!(former_text(20261121000500, &former));
        assert!(!former_text(20261121000600, &former));
        assert!(!former_text(20261121000500, &[0u8; 48]));
    }
}
