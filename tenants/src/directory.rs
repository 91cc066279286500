//! `public.member_directory`: which hubs each user belongs to, so that
//! questions across hubs ("my hubs") never join hub schemas (rule 3).
//!
//! The code that writes a hub's `members` rows calls [`mirror`] in the same
//! transaction. It is not a trigger: on a Citus cluster a hub's tables live on
//! a worker, and a trigger there cannot write the coordinator's tables. The
//! rows are read, then written, in two statements: one runs on the hub's
//! worker, the other on the coordinator (Citus turned the single
//! `INSERT … SELECT … ON CONFLICT` into a statement the worker could not
//! parse). The hub the rows are filed under is always the one they are read
//! from: the transaction's hub, or the schema named after the id given.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::registry::{SchemaName, TenantId};
use crate::tx::TenantTx;

/// Copies the `members` rows of `users` in `tx`'s hub into the directory.
/// Users who are not members are left alone (a member is never deleted but
/// with the hub or the user, and the directory's own foreign keys follow
/// those).
pub async fn mirror(tx: &mut TenantTx, users: &[Uuid]) -> sqlx::Result<()> {
    let hub = tx.tenant_id();
    let rows: Vec<(Uuid, String, String)> = sqlx::query!(
        "SELECT user_id, role, status FROM members WHERE user_id = ANY($1)",
        users,
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| (r.user_id, r.role, r.status))
    .collect();
    write(tx, hub, rows).await
}

/// Mirrors every member of hub `hub`, read from its schema by name (after
/// an import, which has no hub transaction, or a repair).
pub async fn mirror_all(conn: &mut PgConnection, hub: TenantId) -> sqlx::Result<()> {
    // Runtime-checked: the hub's schema is made from its id and quoted.
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(&format!(
        "SELECT user_id, role, status FROM {}.members",
        SchemaName::for_tenant(hub).quoted()
    ))
    .fetch_all(&mut *conn)
    .await?;
    write(conn, hub, rows).await
}

async fn write(
    conn: &mut PgConnection,
    hub: TenantId,
    rows: Vec<(Uuid, String, String)>,
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut users = Vec::with_capacity(rows.len());
    let mut roles = Vec::with_capacity(rows.len());
    let mut statuses = Vec::with_capacity(rows.len());
    for (user, role, status) in rows {
        users.push(user);
        roles.push(role);
        statuses.push(status);
    }
    sqlx::query!(
        "INSERT INTO public.member_directory (tenant_id, user_id, role, status) \
         SELECT $1, u, r, s FROM unnest($2::uuid[], $3::text[], $4::text[]) AS m (u, r, s) \
         ON CONFLICT (user_id, tenant_id) \
         DO UPDATE SET role = EXCLUDED.role, status = EXCLUDED.status",
        hub.0,
        &users,
        &roles,
        &statuses,
    )
    .execute(conn)
    .await?;
    Ok(())
}
