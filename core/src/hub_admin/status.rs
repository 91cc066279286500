//! Suspending and resuming a hub, as the operator's and the reseller's
//! consoles do: one change, written in the hub's audit log.

use hearth_tenants::{registry, Tenant, TenantStatus, TenantTx};
use uuid::Uuid;

use crate::web::error::AppError;

/// What a status change did, as the consoles' `?done=` flag says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// The hub is now suspended.
    Suspended,
    /// The hub serves again.
    Resumed,
    /// It already had that status: nothing was written.
    Already,
}

impl Changed {
    /// The `?done=` flag.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Suspended => "suspended",
            Self::Resumed => "resumed",
            Self::Already => "already",
        }
    }
}

/// Sets `tenant`'s status to `status` by `actor` in one hub transaction, and
/// writes `hub.suspend` or `hub.resume` in its audit log with `detail` (more
/// fields of the entry, such as the reseller acting). The registry row is
/// locked and read again first, so of two changes at once the second finds
/// the first one's and writes nothing; `owner`, when given, must still own
/// the hub (a 404 otherwise, as for no such hub).
pub async fn set(
    pool: &sqlx::PgPool,
    tenant: &Tenant,
    status: TenantStatus,
    actor: Uuid,
    owner: Option<i64>,
    detail: serde_json::Value,
) -> Result<Changed, AppError> {
    let mut tx = TenantTx::begin(pool, tenant).await?;
    let locked = registry::lock_by_slug(&mut tx, &tenant.slug)
        .await?
        .filter(|t| t.id == tenant.id && owner.is_none_or(|o| t.reseller_id == Some(o)))
        .ok_or(AppError::NotFound)?;
    if locked.status == status {
        return Ok(Changed::Already);
    }
    let (action, changed) = match status {
        TenantStatus::Suspended => ("hub.suspend", Changed::Suspended),
        TenantStatus::Active => ("hub.resume", Changed::Resumed),
    };
    registry::set_status(&mut tx, &tenant.slug, status).await?;
    let mut entry = super::change(&locked.status, &status);
    if let (Some(entry), serde_json::Value::Object(more)) = (entry.as_object_mut(), detail) {
        entry.extend(more);
    }
    super::audit::record(&mut tx, actor, action, entry).await?;
    tx.commit().await?;
    tracing::info!(user_id = %actor, hub_id = %tenant.id, action, "a console changed a hub's status");
    Ok(changed)
}
