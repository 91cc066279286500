//! `hearth admin grant`: a role for a person, by email: operator of the
//! platform, admin of a reseller, or HR admin of a hub.

use anyhow::Context;
use hearth_tenants::{registry, TenantTx};
use sqlx::PgPool;

/// The role to grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// The platform's operator.
    Operator,
    /// An admin of the reseller with this slug.
    ResellerAdmin(String),
    /// An HR admin of the hub with this slug (a member of it from now on).
    HrAdmin(String),
}

/// Grants `grant` to the account with `email`; says what was done.
pub async fn grant(pool: &PgPool, email: &str, grant: &Grant) -> anyhow::Result<String> {
    let mut conn = pool.acquire().await?;
    let user: uuid::Uuid = sqlx::query_scalar!(
        "SELECT id FROM public.users WHERE lower(email) = lower($1)",
        email.trim()
    )
    .fetch_optional(&mut *conn)
    .await?
    .with_context(|| format!("no account has the email '{email}'"))?;
    match grant {
        Grant::Operator => {
            crate::operators::grant(&mut conn, user).await?;
            Ok(format!("{email} is an operator"))
        }
        Grant::ResellerAdmin(slug) => {
            let reseller: i64 =
                sqlx::query_scalar!("SELECT id FROM public.resellers WHERE slug = $1", slug)
                    .fetch_optional(&mut *conn)
                    .await?
                    .with_context(|| format!("no reseller '{slug}'"))?;
            crate::resellers::add_admin(&mut conn, reseller, user).await?;
            Ok(format!("{email} is an admin of reseller '{slug}'"))
        }
        Grant::HrAdmin(slug) => {
            let tenant = registry::find_by_slug(&mut conn, slug)
                .await?
                .with_context(|| format!("no hub '{slug}'"))?;
            drop(conn);
            let mut tx = TenantTx::begin(pool, &tenant).await?;
            sqlx::query!(
                "INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin') \
                 ON CONFLICT (user_id) DO UPDATE SET role = 'hr_admin', status = 'active'",
                user
            )
            .execute(&mut *tx)
            .await?;
            hearth_tenants::directory::mirror(&mut tx, &[user]).await?;
            sqlx::query!(
                "INSERT INTO audit_log (actor_id, action, detail) VALUES (NULL, 'members.hr_admin', $1)",
                serde_json::json!({ "user_id": user, "by": "hearth admin grant" })
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(format!("{email} is an HR admin of hub '{slug}'"))
        }
    }
}
