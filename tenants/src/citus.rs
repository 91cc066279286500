//! Hubs on a Citus cluster: each hub schema is one colocated unit of Citus's
//! schema-based sharding, placed whole on one worker; the shared tables a
//! hub's tables reference are reference tables, copied to every node.
//!
//! On a single PostgreSQL (no `citus` extension) nothing here does anything,
//! and the rest of Hearth runs the same statements either way: the hub's
//! `search_path` is what routes its queries to its worker.
//!
//! Queries on Citus's catalog are checked at run time: the database sqlx
//! checks queries against at build time has no Citus.

use sqlx::{PgConnection, PgPool};

use crate::registry::{SchemaName, TenantId};

/// The shared tables made reference tables, in an order where each one's
/// foreign keys point only at tables before it (or at itself).
///
/// A table is here when a hub's tables reference it (`users`,
/// `professionals`, `plugins`, `appointments`), when a query inside a hub's
/// transaction joins it (`video_attendance`, read by the HR report), or when
/// a reference table references it (a reference table's foreign keys may
/// point only at reference tables: `resellers`, `tenants`, `services`,
/// `video_guests`). Every other shared table stays on the coordinator (Citus
/// makes it a "local" table when it references one of these).
pub const REFERENCE_TABLES: &[&str] = &[
    "resellers",
    "tenants",
    "users",
    "professionals",
    "services",
    "appointments",
    "plugins",
    "video_guests",
    "video_attendance",
];

/// Whether the database is a Citus coordinator.
pub async fn is_citus(conn: &mut PgConnection) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS "citus!""#
    )
    .fetch_one(conn)
    .await
}

/// On Citus: makes the shared tables of [`REFERENCE_TABLES`] reference tables
/// and distributes any hub schema made before the database was on Citus.
/// Done once; later calls find nothing to do. Nothing on plain PostgreSQL.
pub async fn distribute(pool: &PgPool) -> sqlx::Result<()> {
    let mut conn = pool.acquire().await?;
    if !is_citus(&mut conn).await? {
        return Ok(());
    }
    for table in REFERENCE_TABLES {
        // Runtime-checked: Citus's catalog (see the module's notes).
        let done: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_dist_partition \
             WHERE logicalrelid = $1::regclass AND repmodel = 't')",
        )
        .bind(format!("public.{table}"))
        .fetch_one(&mut *conn)
        .await?;
        if !done {
            tracing::info!(table, "making a reference table");
            // Runtime-checked: a Citus function.
            sqlx::query("SELECT create_reference_table($1::regclass)")
                .bind(format!("public.{table}"))
                .execute(&mut *conn)
                .await?;
        }
    }
    // Runtime-checked: Citus's catalog.
    let loose: Vec<i64> = sqlx::query_scalar(
        "SELECT t.id FROM tenants t JOIN pg_namespace n ON n.nspname = 't_' || t.id \
         WHERE NOT EXISTS (SELECT 1 FROM pg_dist_schema s WHERE s.schemaid = n.oid) ORDER BY t.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for id in loose {
        let schema = SchemaName::for_tenant(TenantId(id));
        tracing::info!(tenant_id = id, "distributing a hub schema");
        // Runtime-checked: a Citus function.
        sqlx::query("SELECT citus_schema_distribute($1::regnamespace)")
            .bind(schema.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Where a hub's schema lives.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Placement {
    /// The hub.
    pub tenant_id: i64,
    /// The node's host.
    pub host: String,
    /// The node's port.
    pub port: i32,
}

/// Where every hub lives, on Citus (empty on plain PostgreSQL).
pub async fn placements(conn: &mut PgConnection) -> sqlx::Result<Vec<Placement>> {
    if !is_citus(conn).await? {
        return Ok(Vec::new());
    }
    // Runtime-checked: Citus's catalog. A hub's tables share one placement;
    // its settings table stands for them.
    let rows: Vec<(i64, String, i32)> = sqlx::query_as(
        "SELECT t.id, s.nodename, s.nodeport FROM tenants t \
         JOIN citus_shards s ON s.table_name = format('%I.hub_settings', 't_' || t.id)::regclass \
         ORDER BY t.id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(tenant_id, host, port)| Placement {
            tenant_id,
            host,
            port,
        })
        .collect())
}

/// A worker of the cluster.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Worker {
    /// Its number (`pg_dist_node.nodeid`), what `--node` takes.
    pub id: i32,
    /// Its host.
    pub host: String,
    /// Its port.
    pub port: i32,
    /// Hubs placed on it.
    pub hubs: i64,
}

/// The cluster's workers, with how many hubs each holds.
pub async fn workers(conn: &mut PgConnection) -> sqlx::Result<Vec<Worker>> {
    if !is_citus(conn).await? {
        return Ok(Vec::new());
    }
    // Runtime-checked: Citus's catalog.
    let rows: Vec<(i32, String, i32, i64)> = sqlx::query_as(
        "SELECT n.nodeid, n.nodename, n.nodeport, \
                (SELECT count(DISTINCT c.colocation_id) FROM citus_schemas c \
                 JOIN citus_shards s ON s.colocation_id = c.colocation_id \
                 WHERE s.nodename = n.nodename AND s.nodeport = n.nodeport) \
         FROM pg_dist_node n WHERE n.noderole = 'primary' AND n.groupid <> 0 \
         ORDER BY n.nodeid",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, host, port, hubs)| Worker {
            id,
            host,
            port,
            hubs,
        })
        .collect())
}

/// The bytes of hub `tenant`'s tables (0 on plain PostgreSQL).
pub async fn hub_bytes(conn: &mut PgConnection, tenant: TenantId) -> sqlx::Result<i64> {
    if !is_citus(conn).await? {
        return Ok(0);
    }
    // Runtime-checked: Citus's catalog.
    sqlx::query_scalar(
        "SELECT coalesce(sum(shard_size), 0)::bigint FROM citus_shards \
         WHERE table_name::text LIKE $1 || '.%'",
    )
    .bind(SchemaName::for_tenant(tenant).as_str())
    .fetch_one(conn)
    .await
}

/// The bytes copied so far by the shard moves under way (a hub's move).
pub async fn bytes_moved(conn: &mut PgConnection) -> sqlx::Result<i64> {
    // Runtime-checked: a Citus function.
    sqlx::query_scalar(
        "SELECT coalesce(sum(target_shard_size), 0)::bigint FROM get_rebalance_progress()",
    )
    .fetch_one(conn)
    .await
}

/// Why a hub could not be placed.
#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    /// Plain PostgreSQL: there is nowhere else.
    #[error("this database is not a Citus coordinator: every hub lives on it")]
    NotCitus,
    /// No such worker.
    #[error("no worker {0}: `hearth tenant list` shows the workers")]
    NoWorker(i32),
    /// The database (or Citus's move) failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Moves hub `tenant`'s schema to worker `node` online, with Citus's own
/// shard move (logical replication, then a brief lock of the hub's tables
/// while it switches over). Reads and writes go on meanwhile.
pub async fn place(pool: &PgPool, tenant: TenantId, node: i32) -> Result<(), PlaceError> {
    // A connection of its own, closed after: a move may take longer than the
    // pool's statement timeout allows a request.
    let mut conn = pool.acquire().await?.detach();
    sqlx::query!("SET statement_timeout = 0")
        .execute(&mut conn)
        .await?;
    if !is_citus(&mut conn).await? {
        return Err(PlaceError::NotCitus);
    }
    // Runtime-checked: Citus's catalog.
    let target: Option<(String, i32)> = sqlx::query_as(
        "SELECT nodename, nodeport FROM pg_dist_node \
         WHERE nodeid = $1 AND noderole = 'primary' AND groupid <> 0",
    )
    .bind(node)
    .fetch_optional(&mut conn)
    .await?;
    let Some((host, port)) = target else {
        return Err(PlaceError::NoWorker(node));
    };
    let schema = SchemaName::for_tenant(tenant);
    // Runtime-checked: a Citus function. block_writes would stop the hub's
    // writes for the whole copy; logical replication keeps them going.
    sqlx::query(
        "SELECT citus_schema_move($1::regnamespace, $2, $3, shard_transfer_mode => 'force_logical')",
    )
    .bind(schema.as_str())
    .bind(&host)
    .bind(port)
    .execute(&mut conn)
    .await?;
    // The old copies are dropped once no query reads them any more (Citus
    // defers it); asked now rather than at the maintenance daemon's leisure.
    // Runtime-checked: a Citus procedure.
    sqlx::query("CALL citus_cleanup_orphaned_resources()")
        .execute(&mut conn)
        .await?;
    Ok(())
}
