//! The hub registry in `public.tenants`.

use std::fmt;

use serde::Serialize;
use sqlx::PgConnection;

/// A hub's id: the number in its schema name `t_<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, sqlx::Type)]
#[sqlx(transparent)]
pub struct TenantId(pub i64);

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A hub schema's name, only ever made from a [`TenantId`] (ARCHITECTURE.md rule 2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SchemaName(String);

impl SchemaName {
    /// The schema of hub `id`.
    pub fn for_tenant(id: TenantId) -> Self {
        Self(format!("t_{}", id.0))
    }

    /// The bare name, for catalog lookups as a bound parameter.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name quoted as an SQL identifier, for the statements that cannot bind it.
    pub fn quoted(&self) -> String {
        format!("\"{}\"", self.0.replace('"', "\"\""))
    }
}

/// Whether a hub serves its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum TenantStatus {
    /// Serving.
    Active,
    /// Stopped by the platform: a page says so and no hub data is shown.
    Suspended,
}

/// A company hub as the control plane knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Tenant {
    /// The hub's id.
    pub id: TenantId,
    /// Its slug, as in `<slug>.<base domain>`.
    pub slug: String,
    /// The company's display name.
    pub name: String,
    /// Serving or suspended.
    pub status: TenantStatus,
    /// The reseller who onboarded it, if any.
    pub reseller_id: Option<i64>,
}

impl Tenant {
    /// The hub's schema.
    pub fn schema(&self) -> SchemaName {
        SchemaName::for_tenant(self.id)
    }

    /// Whether the hub may serve its pages.
    pub fn is_active(&self) -> bool {
        self.status == TenantStatus::Active
    }
}

/// Reads hubs: the one place that knows the columns of `tenants`. `$rest` is
/// the query's tail (joins, `WHERE`, `ORDER BY`) over `tenants t`; the query
/// is checked at compile time against the schema (`.sqlx/`).
macro_rules! select_tenants {
    ($rest:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            Tenant,
            r#"SELECT t.id AS "id: TenantId", t.slug, t.name, t.status AS "status: TenantStatus", t.reseller_id FROM tenants t "#
                + $rest
            $(, $arg)*
        )
    };
}

/// The hub with this slug, if any.
pub async fn find_by_slug(conn: &mut PgConnection, slug: &str) -> sqlx::Result<Option<Tenant>> {
    select_tenants!("WHERE t.slug = $1", slug)
        .fetch_optional(conn)
        .await
}

/// The hub with this id, if any.
pub async fn find_by_id(conn: &mut PgConnection, id: TenantId) -> sqlx::Result<Option<Tenant>> {
    select_tenants!("WHERE t.id = $1", id.0)
        .fetch_optional(conn)
        .await
}

/// The hub that owns the custom domain `domain` (lowercase, no port), if any.
pub async fn find_by_domain(conn: &mut PgConnection, domain: &str) -> sqlx::Result<Option<Tenant>> {
    select_tenants!(
        "JOIN tenant_domains d ON d.tenant_id = t.id WHERE d.domain = $1",
        domain
    )
    .fetch_optional(conn)
    .await
}

/// Every hub, by id.
pub async fn list(conn: &mut PgConnection) -> sqlx::Result<Vec<Tenant>> {
    select_tenants!("ORDER BY t.id").fetch_all(conn).await
}

/// Sets a hub's status; every node's resolver hears of it through NOTIFY.
pub async fn set_status(
    conn: &mut PgConnection,
    slug: &str,
    status: TenantStatus,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE tenants SET status = $2, updated_at = now() WHERE slug = $1",
        slug,
        status as TenantStatus,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Points custom domain `domain` at hub `slug`. Returns false when no such hub.
pub async fn add_domain(conn: &mut PgConnection, slug: &str, domain: &str) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "INSERT INTO tenant_domains (domain, tenant_id) SELECT $2, id FROM tenants WHERE slug = $1",
        slug,
        domain.to_ascii_lowercase(),
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
