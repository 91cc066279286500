//! `public.member_directory`: which hubs each user belongs to, so that
//! questions across hubs ("my hubs") never join hub schemas (rule 3).
//!
//! The code that writes a hub's `members` rows calls [`mirror`] in the same
//! transaction. It is not a trigger: on a Citus cluster a hub's tables live on
//! a worker, and a trigger there cannot write the coordinator's tables. The
//! rows are read, then written, in two statements: one runs on the hub's
//! worker, the other on the coordinator (Citus turned the single
//! `INSERT … SELECT … ON CONFLICT` into a statement the worker could not
//! parse).

use sqlx::PgConnection;
use uuid::Uuid;

use crate::registry::TenantId;

/// Copies the `members` rows of `users` in the hub whose transaction `conn`
/// is (its `search_path`) into the directory, as hub `hub`'s. Users who are
/// not members are left alone (a member is never deleted but with the hub or
/// the user, and the directory's own foreign keys follow those).
pub async fn mirror(conn: &mut PgConnection, hub: TenantId, users: &[Uuid]) -> sqlx::Result<()> {
    let rows = sqlx::query!(
        "SELECT user_id, role, status FROM members WHERE user_id = ANY($1)",
        users,
    )
    .fetch_all(&mut *conn)
    .await?;
    write(
        conn,
        hub,
        rows.into_iter().map(|r| (r.user_id, r.role, r.status)),
    )
    .await
}

/// Mirrors every member of the hub (after an import or a repair).
pub async fn mirror_all(conn: &mut PgConnection, hub: TenantId) -> sqlx::Result<()> {
    let rows = sqlx::query!("SELECT user_id, role, status FROM members")
        .fetch_all(&mut *conn)
        .await?;
    write(
        conn,
        hub,
        rows.into_iter().map(|r| (r.user_id, r.role, r.status)),
    )
    .await
}

async fn write(
    conn: &mut PgConnection,
    hub: TenantId,
    rows: impl Iterator<Item = (Uuid, String, String)>,
) -> sqlx::Result<()> {
    let mut users = Vec::new();
    let mut roles = Vec::new();
    let mut statuses = Vec::new();
    for (user, role, status) in rows {
        users.push(user);
        roles.push(role);
        statuses.push(status);
    }
    if users.is_empty() {
        return Ok(());
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
