//! Making a hub: its `tenants` row, its schema and its migrations, in one
//! transaction, so a failure at any step leaves nothing behind.

use sqlx::PgPool;

use crate::migrate::{MigrationError, TenantMigrator};
use crate::registry::{Tenant, TenantId, TenantStatus};
use crate::slug::{Slug, SlugError};

/// What a new hub needs.
#[derive(Debug, Clone)]
pub struct NewTenant {
    /// The slug asked for; validated here.
    pub slug: String,
    /// The company's name.
    pub name: String,
    /// The reseller onboarding it, if any.
    pub reseller_id: Option<i64>,
}

/// Why a hub was not made.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    /// The slug is malformed or reserved.
    #[error("slug: {0}")]
    Slug(#[from] SlugError),
    /// The name is empty or longer than 200 characters.
    #[error("name must be 1 to 200 characters")]
    Name,
    /// Another hub has the slug.
    #[error("a hub named '{0}' already exists")]
    SlugTaken(String),
    /// The reseller does not exist.
    #[error("no reseller with id {0}")]
    NoReseller(i64),
    /// Migrations are not in a state to make hubs.
    #[error(transparent)]
    Migration(#[from] MigrationError),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Provisions a hub. Everything happens in one transaction: on any error the
/// database is as it was, and the same call can simply be made again. A
/// transaction the database cancelled in a deadlock is tried again (a few
/// times): on a Citus cluster, creates of one slug at once meet in Citus's
/// lock of the `tenants` reference table and the slug's unique index, and
/// the retry then finds the slug taken.
#[tracing::instrument(skip_all, fields(slug = %new.slug))]
pub async fn create_tenant(
    pool: &PgPool,
    migrator: &TenantMigrator,
    new: &NewTenant,
) -> Result<Tenant, ProvisionError> {
    crate::db::retry_deadlocks(
        "provisioning",
        || create_once(pool, migrator, new),
        |e| match e {
            ProvisionError::Database(e) => Some(e),
            _ => None,
        },
    )
    .await
}

async fn create_once(
    pool: &PgPool,
    migrator: &TenantMigrator,
    new: &NewTenant,
) -> Result<Tenant, ProvisionError> {
    let slug = Slug::parse(&new.slug)?;
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ProvisionError::Name);
    }
    let mut tx = pool.begin().await?;
    let id: TenantId = sqlx::query_scalar!(
        r#"INSERT INTO tenants (slug, name, reseller_id) VALUES ($1, $2, $3) RETURNING id AS "id: TenantId""#,
        slug.as_str(),
        name,
        new.reseller_id,
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if crate::db::violates(d.as_ref(), "tenants_slug_key") => {
            ProvisionError::SlugTaken(slug.to_string())
        }
        sqlx::Error::Database(d) if crate::db::violates(d.as_ref(), "tenants_reseller_id_fkey") => {
            ProvisionError::NoReseller(new.reseller_id.unwrap_or_default())
        }
        _ => ProvisionError::Database(e),
    })?;
    migrator.apply(&mut tx, id, 0).await?;
    tx.commit().await?;
    metrics::counter!("hearth_hubs_provisioned_total").increment(1);
    tracing::info!(tenant_id = %id, "hub provisioned");
    Ok(Tenant {
        id,
        slug: slug.to_string(),
        name: name.to_owned(),
        status: TenantStatus::Active,
        reseller_id: new.reseller_id,
    })
}
