//! [`TenantTx`]: a transaction scoped to one hub, the only way to its tables.

use std::ops::{Deref, DerefMut};

use sqlx::{PgConnection, PgPool, Postgres, Transaction};

use crate::registry::{Tenant, TenantId};

/// A transaction whose `search_path` is the hub's schema, then `public`.
///
/// The path is set with `SET LOCAL`, so it ends with the transaction and never
/// reaches the next user of the pooled connection (ARCHITECTURE.md rule 1).
/// Dropping it without [`TenantTx::commit`] rolls back.
pub struct TenantTx {
    tx: Transaction<'static, Postgres>,
    tenant_id: TenantId,
}

impl TenantTx {
    /// Begins a transaction in `tenant`'s schema.
    pub async fn begin(pool: &PgPool, tenant: &Tenant) -> sqlx::Result<Self> {
        // The schema name is made from the id and quoted; it cannot be bound.
        let schema = tenant.schema().quoted();
        let tx = match crate::db::propagated_lock_timeout(pool) {
            // On Citus the path and the lock timeout go to the workers the
            // transaction reaches too, and Citus passes a `SET LOCAL` on with
            // the whole text it came in: BEGIN is sent alone, or each worker
            // would be told to begin again (a warning on every request).
            Some(timeout) => {
                let mut tx = pool.begin().await?;
                let set = format!(
                    "SET LOCAL search_path TO {schema}, public; SET LOCAL lock_timeout TO '{timeout}'"
                );
                // A text without arguments: one simple query, both statements.
                sqlx::Executor::execute(&mut *tx, set.as_str()).await?;
                tx
            }
            // One round trip: BEGIN and the path in one simple query.
            None => {
                pool.begin_with(format!("BEGIN; SET LOCAL search_path TO {schema}, public"))
                    .await?
            }
        };
        Ok(Self {
            tx,
            tenant_id: tenant.id,
        })
    }

    /// The hub this transaction is scoped to.
    pub fn tenant_id(&self) -> TenantId {
        self.tenant_id
    }

    /// Commits the transaction.
    pub async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await
    }
}

impl Deref for TenantTx {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        &self.tx
    }
}

impl DerefMut for TenantTx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.tx
    }
}
