//! The hub registry in `public.tenants`.

use std::fmt;

use serde::Serialize;
use sqlx::PgConnection;

use crate::changes::{announce, Change};

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

/// The hub that custom domain `domain` (lowercase, no port) serves, if any:
/// only a domain whose proof of control was found serves.
pub async fn find_by_domain(conn: &mut PgConnection, domain: &str) -> sqlx::Result<Option<Tenant>> {
    select_tenants!(
        "JOIN tenant_domains d ON d.tenant_id = t.id WHERE d.domain = $1 AND d.verified_at IS NOT NULL",
        domain
    )
    .fetch_optional(conn)
    .await
}

/// Every hub, by id.
pub async fn list(conn: &mut PgConnection) -> sqlx::Result<Vec<Tenant>> {
    select_tenants!("ORDER BY t.id").fetch_all(conn).await
}

/// Every hub whose schema is set up, by id.
pub async fn list_with_schema(conn: &mut PgConnection) -> sqlx::Result<Vec<Tenant>> {
    select_tenants!("WHERE t.schema_version > 0 ORDER BY t.id")
        .fetch_all(conn)
        .await
}

/// The hubs `user_id` is in the member directory of (any status), whose
/// schema is set up, by name.
pub async fn hubs_of_member(
    conn: &mut PgConnection,
    user_id: uuid::Uuid,
) -> sqlx::Result<Vec<Tenant>> {
    select_tenants!(
        "JOIN member_directory m ON m.tenant_id = t.id \
         WHERE m.user_id = $1 AND t.schema_version > 0 ORDER BY t.name, t.id",
        user_id
    )
    .fetch_all(conn)
    .await
}

/// The active hubs `user_id` is an active member of, by name.
pub async fn active_hubs_of_member(
    conn: &mut PgConnection,
    user_id: uuid::Uuid,
) -> sqlx::Result<Vec<Tenant>> {
    select_tenants!(
        "JOIN member_directory m ON m.tenant_id = t.id \
         WHERE m.user_id = $1 AND m.status = 'active' AND t.status = 'active' \
         ORDER BY t.name, t.id",
        user_id
    )
    .fetch_all(conn)
    .await
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
    .execute(&mut *conn)
    .await?;
    announce(conn, Change::Hubs).await?;
    Ok(done.rows_affected() == 1)
}

/// Gives hub `slug` custom domain `domain`, waiting for its proof of control
/// (a DNS TXT record holding `token`): it serves nothing until the proof is
/// found. Returns false when no such hub.
pub async fn add_domain(
    conn: &mut PgConnection,
    slug: &str,
    domain: &str,
    token: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "INSERT INTO tenant_domains (domain, tenant_id, token) SELECT $2, id, $3 FROM tenants WHERE slug = $1",
        slug,
        domain.to_ascii_lowercase(),
        token,
    )
    .execute(&mut *conn)
    .await?;
    announce(conn, Change::Hubs).await?;
    Ok(done.rows_affected() == 1)
}

/// What the last look for a domain's proof found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum DomainCheck {
    /// The TXT record holds the token.
    Found,
    /// The DNS answered without it.
    Missing,
    /// The DNS could not be asked.
    Unreachable,
}

/// A hub's custom domain and the state of its proof.
#[derive(Debug, Clone, Serialize)]
pub struct Domain {
    /// The domain, lowercase.
    pub domain: String,
    /// The token its TXT record must hold.
    pub token: String,
    /// When the proof was first found (cleared when it goes missing).
    pub verified_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When the DNS was last asked.
    pub checked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// What it answered.
    pub last_check: Option<DomainCheck>,
}

/// Hub `id`'s custom domains, by name.
pub async fn domains_of(conn: &mut PgConnection, id: TenantId) -> sqlx::Result<Vec<Domain>> {
    sqlx::query_as!(
        Domain,
        r#"SELECT domain, token, verified_at, checked_at, last_check AS "last_check: DomainCheck"
           FROM tenant_domains WHERE tenant_id = $1 ORDER BY domain"#,
        id.0,
    )
    .fetch_all(conn)
    .await
}

/// The hub holding `domain`, verified or not.
pub async fn domain_owner(conn: &mut PgConnection, domain: &str) -> sqlx::Result<Option<TenantId>> {
    sqlx::query_scalar!(
        r#"SELECT tenant_id AS "id: TenantId" FROM tenant_domains WHERE domain = $1"#,
        domain
    )
    .fetch_optional(conn)
    .await
}

/// The token `domain`'s proof must hold, if any hub holds the domain.
pub async fn domain_token(conn: &mut PgConnection, domain: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("SELECT token FROM tenant_domains WHERE domain = $1", domain)
        .fetch_optional(conn)
        .await
}

/// Records a look for `domain`'s proof (if the domain still holds `token`):
/// found starts it serving, missing stops it, unreachable changes nothing but
/// the record of the look. Every node hears when serving starts or stops.
pub async fn record_domain_check(
    conn: &mut PgConnection,
    domain: &str,
    token: &str,
    check: DomainCheck,
) -> sqlx::Result<()> {
    // The proof as it was, its row held: the nodes need to hear only when
    // the domain starts or stops serving, not of every look that changes
    // nothing.
    let Some(was) = sqlx::query_scalar!(
        "SELECT verified_at FROM tenant_domains WHERE domain = $1 AND token = $2 FOR UPDATE",
        domain,
        token,
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    // Worked out here, not in a CASE: Citus takes no now() there.
    let now = chrono::Utc::now();
    let verified_at = match check {
        DomainCheck::Found => Some(was.unwrap_or(now)),
        DomainCheck::Missing => None,
        DomainCheck::Unreachable => was,
    };
    sqlx::query!(
        "UPDATE tenant_domains SET checked_at = $3, last_check = $4, verified_at = $5 \
         WHERE domain = $1 AND token = $2",
        domain,
        token,
        now,
        check as DomainCheck,
        verified_at,
    )
    .execute(&mut *conn)
    .await?;
    if was.is_some() != verified_at.is_some() {
        announce(conn, Change::Hubs).await?;
    }
    Ok(())
}

/// Claims up to `limit` domains due for a re-check, marking them checked now
/// so no other node takes them: serving ones last checked over `serving`
/// ago, waiting ones (added in the last week) over `waiting` ago. Returns
/// each domain with its token.
pub async fn claim_due_domains(
    conn: &mut PgConnection,
    serving: std::time::Duration,
    waiting: std::time::Duration,
    limit: i64,
) -> sqlx::Result<Vec<(String, String)>> {
    let millis = |d: std::time::Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    let rows = sqlx::query!(
        "UPDATE tenant_domains d SET checked_at = now() FROM ( \
             SELECT domain FROM tenant_domains \
             WHERE checked_at IS NULL \
                OR (verified_at IS NOT NULL AND checked_at < now() - $1 * interval '1 millisecond') \
                OR (verified_at IS NULL AND created_at > now() - interval '7 days' \
                    AND checked_at < now() - $2 * interval '1 millisecond') \
             ORDER BY checked_at NULLS FIRST LIMIT $3 FOR UPDATE SKIP LOCKED) due \
         WHERE d.domain = due.domain RETURNING d.domain, d.token",
        millis(serving) as f64,
        millis(waiting) as f64,
        limit,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.domain, r.token)).collect())
}

/// A hub as the operator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    /// The hub's id.
    pub id: TenantId,
    /// Its slug.
    pub slug: String,
    /// The company's display name.
    pub name: String,
    /// Serving or suspended.
    pub status: TenantStatus,
    /// The name of the reseller who onboarded it, if any.
    pub reseller: Option<String>,
    /// When it was made.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Whether its schema is set up (`hearth migrate` makes those that are not).
    pub ready: bool,
    /// Its active members, from the member directory.
    pub members: i64,
}

/// The longest search [`search`] takes, in characters.
pub const MAX_SEARCH_CHARS: usize = 100;

/// One page of hubs by name, `limit` from `offset`, and how many there are
/// in all: those whose name or slug holds `search` in any case, or every hub
/// when it is `None`. Searching uses the trigram indexes of
/// `tenants.name` and `tenants.slug`; paging walks `(name, id)`; members are
/// counted for the page's hubs only.
pub async fn search(
    conn: &mut PgConnection,
    search: Option<&str>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Listed>, i64)> {
    // Two statements rather than one with `$1 IS NULL OR …`, so that each
    // keeps the plan that suits it.
    let Some(search) = search else {
        let total = sqlx::query_scalar!(r#"SELECT count(*) AS "count!" FROM tenants"#)
            .fetch_one(&mut *conn)
            .await?;
        let hubs = sqlx::query_as!(
            Listed,
            r#"SELECT p.id AS "id!: TenantId", p.slug AS "slug!", p.name AS "name!",
                      p.status AS "status!: TenantStatus", p.reseller AS "reseller?", p.created_at AS "created_at!",
                      p.ready AS "ready!",
                      (SELECT count(*) FROM member_directory m
                        WHERE m.tenant_id = p.id AND m.status = 'active') AS "members!"
               FROM (SELECT t.id, t.slug, t.name, t.status, r.name AS reseller, t.created_at,
                            t.schema_version > 0 AS ready
                     FROM tenants t LEFT JOIN resellers r ON r.id = t.reseller_id
                     ORDER BY t.name, t.id LIMIT $1 OFFSET $2) p
               ORDER BY p.name, p.id"#,
            limit,
            offset,
        )
        .fetch_all(&mut *conn)
        .await?;
        return Ok((hubs, total));
    };
    let pattern = format!("%{}%", like_escaped(search));
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM tenants t WHERE t.name ILIKE $1 OR t.slug ILIKE $1"#,
        pattern,
    )
    .fetch_one(&mut *conn)
    .await?;
    let hubs = sqlx::query_as!(
        Listed,
        r#"SELECT p.id AS "id!: TenantId", p.slug AS "slug!", p.name AS "name!",
                  p.status AS "status!: TenantStatus", p.reseller AS "reseller?", p.created_at AS "created_at!",
                  p.ready AS "ready!",
                  (SELECT count(*) FROM member_directory m
                    WHERE m.tenant_id = p.id AND m.status = 'active') AS "members!"
           FROM (SELECT t.id, t.slug, t.name, t.status, r.name AS reseller, t.created_at,
                        t.schema_version > 0 AS ready
                 FROM tenants t LEFT JOIN resellers r ON r.id = t.reseller_id
                 WHERE t.name ILIKE $1 OR t.slug ILIKE $1
                 ORDER BY t.name, t.id LIMIT $2 OFFSET $3) p
           ORDER BY p.name, p.id"#,
        pattern,
        limit,
        offset,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok((hubs, total))
}

/// `text` with `LIKE`'s wildcards and its escape character escaped, to
/// match itself.
fn like_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Hub `slug` with its row locked until the transaction on `conn` ends: what
/// a change of its status reads first, so that two at once are told apart.
pub async fn lock_by_slug(conn: &mut PgConnection, slug: &str) -> sqlx::Result<Option<Tenant>> {
    select_tenants!("WHERE t.slug = $1 FOR UPDATE OF t", slug)
        .fetch_optional(conn)
        .await
}

/// Whether hub `id`'s schema is set up.
pub async fn is_ready(conn: &mut PgConnection, id: TenantId) -> sqlx::Result<bool> {
    let ready = sqlx::query_scalar!(
        r#"SELECT schema_version > 0 AS "ready!" FROM tenants WHERE id = $1"#,
        id.0
    )
    .fetch_optional(conn)
    .await?;
    Ok(ready.unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::like_escaped;

    #[test]
    fn a_search_matches_its_wildcards_literally() {
        assert_eq!(like_escaped("acme"), "acme");
        assert_eq!(like_escaped("50%_off\\"), "50\\%\\_off\\\\");
    }
}
