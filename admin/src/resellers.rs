//! Resellers: the partners who onboard companies.

use hearth_tenants::Slug;
use sqlx::PgConnection;

/// Why a reseller was not made.
#[derive(Debug, thiserror::Error)]
pub enum ResellerError {
    /// The slug is malformed or reserved.
    #[error("slug: {0}")]
    Slug(#[from] hearth_tenants::SlugError),
    /// The name is empty or too long.
    #[error("name must be 1 to 200 characters")]
    Name,
    /// Another reseller has the slug.
    #[error("a reseller named '{0}' already exists")]
    Taken(String),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Creates a reseller and returns its id.
pub async fn create_reseller(
    conn: &mut PgConnection,
    slug: &str,
    name: &str,
) -> Result<i64, ResellerError> {
    let slug = Slug::parse(slug)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ResellerError::Name);
    }
    sqlx::query_scalar!(
        "INSERT INTO resellers (slug, name) VALUES ($1, $2) RETURNING id",
        slug.as_str(),
        name,
    )
    .fetch_one(conn)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.constraint() == Some("resellers_slug_key") => {
            ResellerError::Taken(slug.to_string())
        }
        _ => ResellerError::Database(e),
    })
}

/// A reseller as listed.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct ResellerRow {
    /// Its id.
    pub id: i64,
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// How many hubs it has onboarded.
    pub hubs: i64,
}

/// Every reseller, by slug, with its number of hubs.
pub async fn list(conn: &mut PgConnection) -> sqlx::Result<Vec<ResellerRow>> {
    sqlx::query_as!(
        ResellerRow,
        "SELECT r.id, r.slug, r.name, \
           (SELECT count(*) FROM tenants t WHERE t.reseller_id = r.id) AS \"hubs!\" \
         FROM resellers r ORDER BY r.slug",
    )
    .fetch_all(conn)
    .await
}

/// Makes `user_id` an admin of reseller `reseller_id`.
pub async fn add_admin(
    conn: &mut PgConnection,
    reseller_id: i64,
    user_id: uuid::Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO reseller_admins (reseller_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        reseller_id,
        user_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}
