//! A hub as one file, and back: `hearth tenant export SLUG FILE`,
//! `hearth tenant import FILE` and `hearth tenant delete SLUG --confirm SLUG`
//! (which keeps a final export first).
//!
//! The file is text: a header line, the hub's `tenants` row and its place in
//! the shared tables as JSON, then every table of the hub's schema (in the
//! order their foreign keys need) and the hub's custom domains, each as a
//! `COPY … TO STDOUT` section ending in `\.`. The schema itself is not in the
//! file: import makes it with this build's tenant migrations, so a file
//! imports into a build at the same schema version it was exported from.
//!
//! What a hub owns in the shared tables comes back with it: its row (same
//! id, slug and schema name), its domains, the appointments it paid for
//! (appointments are the professional's records and stay when a hub is
//! deleted, losing only their hub), and its members' place in
//! `member_directory` (remade from the members copied in).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Context;
use futures::TryStreamExt;
use hearth_tenants::{registry, SchemaName, TenantId, TenantMigrator};
use serde::{Deserialize, Serialize};
use sqlx::{Connection, PgConnection, PgPool};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, BufWriter};

use crate::progress::{Progress, ProgressMode};

/// The first line of every export.
const MAGIC: &str = "HEARTH-TENANT-EXPORT 1";

/// The hub's row and its place in the shared tables.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Header {
    /// Its id (and so its schema's name).
    pub id: i64,
    /// Its slug.
    pub slug: String,
    /// The company's name.
    pub name: String,
    /// active or suspended.
    pub status: String,
    /// The reseller who onboarded it.
    pub reseller_id: Option<i64>,
    /// Its plan.
    pub plan: String,
    /// The tenant migration its schema was at.
    pub schema_version: i64,
    /// When it was created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The appointments it paid for.
    pub appointments: Vec<uuid::Uuid>,
    /// Its tables, in the order they are in the file.
    pub tables: Vec<String>,
}

/// What an export or import moved.
#[derive(Debug, Default, Serialize)]
pub struct Moved {
    /// Rows by table.
    pub rows: BTreeMap<String, u64>,
}

/// The tables of `schema` in an order where every table comes after the
/// tables its foreign keys point to (inside the schema).
async fn tables_in_order(conn: &mut PgConnection, schema: &str) -> sqlx::Result<Vec<String>> {
    let tables: Vec<String> = sqlx::query_scalar!(
        r#"SELECT c.relname AS "name!" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname"#,
        schema
    )
    .fetch_all(&mut *conn)
    .await?;
    let edges = sqlx::query!(
        r#"SELECT c.relname AS "from!", f.relname AS "to!" FROM pg_constraint k
           JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class f ON f.oid = k.confrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_namespace fn ON fn.oid = f.relnamespace
           WHERE k.contype = 'f' AND n.nspname = $1 AND fn.nspname = $1"#,
        schema
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut needs: BTreeMap<&str, BTreeSet<&str>> = tables
        .iter()
        .map(|t| (t.as_str(), BTreeSet::new()))
        .collect();
    for e in &edges {
        if e.from != e.to {
            if let Some(set) = needs.get_mut(e.from.as_str()) {
                set.insert(e.to.as_str());
            }
        }
    }
    let mut order = Vec::with_capacity(tables.len());
    while !needs.is_empty() {
        let ready: Vec<&str> = needs
            .iter()
            .filter(|(_, deps)| deps.iter().all(|d| !needs.contains_key(d)))
            .map(|(t, _)| *t)
            .collect();
        if ready.is_empty() {
            // A cycle of foreign keys: keep the rest in name order.
            order.extend(needs.keys().map(|t| (*t).to_owned()));
            break;
        }
        for t in ready {
            needs.remove(t);
            order.push(t.to_owned());
        }
    }
    Ok(order)
}

/// The columns of `schema.table` that hold data (not generated ones), quoted.
async fn columns(conn: &mut PgConnection, schema: &str, table: &str) -> sqlx::Result<String> {
    let names: Vec<String> = sqlx::query_scalar!(
        r#"SELECT quote_ident(a.attname) AS "name!" FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
             AND a.attgenerated = ''
           ORDER BY a.attnum"#,
        schema,
        table
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(names.join(", "))
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Writes hub `slug` to `path`, showing progress by table.
pub async fn export(
    pool: &PgPool,
    slug: &str,
    path: &Path,
    mode: ProgressMode,
) -> anyhow::Result<Moved> {
    let mut conn = pool.acquire().await?;
    // One snapshot for the whole file.
    let mut tx = conn.begin().await?;
    sqlx::query!("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query!(
        "SELECT id, slug, name, status, reseller_id, plan, schema_version, created_at \
         FROM public.tenants WHERE slug = $1",
        slug
    )
    .fetch_optional(&mut *tx)
    .await?
    .with_context(|| format!("no hub '{slug}'"))?;
    let schema = SchemaName::for_tenant(TenantId(row.id));
    let tables = tables_in_order(&mut tx, schema.as_str()).await?;
    let appointments: Vec<uuid::Uuid> = sqlx::query_scalar!(
        "SELECT id FROM public.appointments WHERE tenant_id = $1 ORDER BY id",
        row.id
    )
    .fetch_all(&mut *tx)
    .await?;
    let header = Header {
        id: row.id,
        slug: row.slug,
        name: row.name,
        status: row.status,
        reseller_id: row.reseller_id,
        plan: row.plan,
        schema_version: row.schema_version,
        created_at: row.created_at,
        appointments,
        tables: tables.clone(),
    };
    let file = tokio::fs::File::create(path)
        .await
        .with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::new(file);
    out.write_all(format!("{MAGIC}\n{}\n", serde_json::to_string(&header)?).as_bytes())
        .await?;
    let progress = Progress::new(mode, "tables", tables.len() as u64 + 1);
    let mut moved = Moved::default();
    let mut sections: Vec<(String, String)> = Vec::new();
    for table in &tables {
        let cols = columns(&mut tx, schema.as_str(), table).await?;
        sections.push((
            format!("TABLE {table} {cols}"),
            format!(
                "COPY {}.{} ({cols}) TO STDOUT",
                schema.quoted(),
                quote(table)
            ),
        ));
    }
    let domain_cols = columns(&mut tx, "public", "tenant_domains").await?;
    sections.push((
        format!("SHARED tenant_domains {domain_cols}"),
        format!(
            "COPY (SELECT {domain_cols} FROM public.tenant_domains WHERE tenant_id = {}) TO STDOUT",
            row.id
        ),
    ));
    for (head, copy) in sections {
        out.write_all(head.as_bytes()).await?;
        out.write_all(b"\n").await?;
        let mut rows = 0u64;
        {
            // Runtime-checked: COPY of a table whose name is known only here.
            let mut stream = tx.copy_out_raw(&copy).await?;
            while let Some(chunk) = stream.try_next().await? {
                rows += chunk.iter().filter(|b| **b == b'\n').count() as u64;
                out.write_all(&chunk).await?;
            }
        }
        out.write_all(b"\\.\n").await?;
        let name = head.split(' ').nth(1).unwrap_or_default().to_owned();
        moved.rows.insert(name, rows);
        progress.inc();
    }
    out.write_all(b"END\n").await?;
    out.flush().await?;
    tx.commit().await?;
    progress.finish();
    Ok(moved)
}

/// Reads the file at `path` back as the hub it was: same id, slug, schema
/// and rows. Refuses when the hub (or its slug) exists, or when the file was
/// made at another schema version than this build's.
pub async fn import(
    pool: &PgPool,
    migrator: &TenantMigrator,
    path: &Path,
    mode: ProgressMode,
) -> anyhow::Result<(Header, Moved)> {
    let file = tokio::fs::File::open(path)
        .await
        .with_context(|| format!("opening {}", path.display()))?;
    let mut lines = BufReader::new(file).lines();
    let magic = lines.next_line().await?.unwrap_or_default();
    anyhow::ensure!(magic == MAGIC, "{} is not a hub export", path.display());
    let header: Header = serde_json::from_str(&lines.next_line().await?.unwrap_or_default())
        .context("reading the export's header")?;
    anyhow::ensure!(
        header.schema_version == migrator.latest(),
        "the export is at schema version {} and this build at {}: import it with the build that made it, then migrate",
        header.schema_version,
        migrator.latest()
    );
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let taken = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM public.tenants WHERE id = $1 OR slug = $2"#,
        header.id,
        header.slug
    )
    .fetch_one(&mut *tx)
    .await?;
    anyhow::ensure!(
        taken == 0,
        "hub '{}' (id {}) exists: delete it first (hearth tenant delete)",
        header.slug,
        header.id
    );
    sqlx::query!(
        "INSERT INTO public.tenants (id, slug, name, status, reseller_id, plan, created_at) \
         OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7)",
        header.id,
        header.slug,
        header.name,
        header.status,
        header.reseller_id,
        header.plan,
        header.created_at
    )
    .execute(&mut *tx)
    .await?;
    let id = TenantId(header.id);
    migrator.apply(&mut tx, id, 0).await?;
    let schema = SchemaName::for_tenant(id);
    // The migrations seed some rows (the settings' one row): the file has
    // the hub's own.
    let tables = tables_in_order(&mut tx, schema.as_str()).await?;
    if !tables.is_empty() {
        let all: Vec<String> = tables
            .iter()
            .map(|t| format!("{}.{}", schema.quoted(), quote(t)))
            .collect();
        // Runtime-checked: the hub's tables are known only here.
        sqlx::raw_sql(&format!("TRUNCATE {}", all.join(", ")))
            .execute(&mut *tx)
            .await?;
    }
    let progress = Progress::new(mode, "tables", header.tables.len() as u64 + 1);
    let mut moved = Moved::default();
    loop {
        let line = lines
            .next_line()
            .await?
            .context("the export ends early (no END)")?;
        if line == "END" {
            break;
        }
        let mut parts = line.splitn(3, ' ');
        let (kind, name, cols) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default().to_owned(),
            parts.next().unwrap_or_default().to_owned(),
        );
        let target = match kind {
            "TABLE" if tables.contains(&name) => format!("{}.{}", schema.quoted(), quote(&name)),
            "SHARED" if name == "tenant_domains" => "public.tenant_domains".to_owned(),
            _ => anyhow::bail!("the export has an unknown section: {line}"),
        };
        anyhow::ensure!(
            cols.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ',' | ' ' | '"')),
            "the export's columns for {name} are not plain names"
        );
        // Runtime-checked: COPY into a table whose name is known only here.
        let mut copy = tx
            .copy_in_raw(&format!("COPY {target} ({cols}) FROM STDIN"))
            .await?;
        let mut rows = 0u64;
        let mut buffer = Vec::with_capacity(64 * 1024);
        loop {
            let line = lines
                .next_line()
                .await?
                .context("the export ends inside a table")?;
            if line == "\\." {
                break;
            }
            buffer.extend_from_slice(line.as_bytes());
            buffer.push(b'\n');
            rows += 1;
            if buffer.len() >= 60 * 1024 {
                copy.send(std::mem::take(&mut buffer)).await?;
            }
        }
        if !buffer.is_empty() {
            copy.send(buffer).await?;
        }
        copy.finish().await?;
        moved.rows.insert(name, rows);
        progress.inc();
    }
    // Identity columns go on from the highest id copied in.
    let identities = sqlx::query!(
        r#"SELECT c.relname AS "table!", a.attname AS "column!" FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND a.attidentity <> '' AND a.attnum > 0"#,
        schema.as_str()
    )
    .fetch_all(&mut *tx)
    .await?;
    for i in identities {
        let table = format!("{}.{}", schema.quoted(), quote(&i.table));
        // Runtime-checked: the sequence of a table known only here.
        // Never below the sequence's own start: on a Citus cluster each
        // node's sequences of a hub's tables start in a range of their own.
        sqlx::raw_sql(&format!(
            "SELECT setval(s.seq, greatest(coalesce((SELECT max({col}) FROM {table}), 0) + 1, q.seqmin), false) \
             FROM (SELECT pg_get_serial_sequence('{table}', '{column}')::regclass AS seq) s \
             JOIN pg_sequence q ON q.seqrelid = s.seq",
            column = i.column.replace('\'', "''"),
            col = quote(&i.column),
        ))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "UPDATE public.appointments SET tenant_id = $1 WHERE id = ANY($2) AND tenant_id IS NULL",
        header.id,
        &header.appointments
    )
    .execute(&mut *tx)
    .await?;
    hearth_tenants::directory::mirror_all(&mut tx, id).await?;
    hearth_tenants::changes::announce(&mut tx, hearth_tenants::changes::Change::Hubs).await?;
    tx.commit().await?;
    progress.finish();
    Ok((header, moved))
}

/// Deletes hub `slug`: writes its final export to `keep` first, then drops
/// its schema and its row (its domains and directory rows go with it; the
/// appointments it paid for stay with their professionals, without a hub).
pub async fn delete(
    pool: &PgPool,
    slug: &str,
    keep: &Path,
    mode: ProgressMode,
) -> anyhow::Result<Moved> {
    let moved = export(pool, slug, keep, mode).await?;
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let tenant = registry::find_by_slug(&mut tx, slug)
        .await?
        .with_context(|| format!("no hub '{slug}'"))?;
    // Lock the row: no migration or provisioning of it meanwhile.
    sqlx::query!(
        "SELECT id FROM public.tenants WHERE id = $1 FOR UPDATE",
        tenant.id.0
    )
    .fetch_one(&mut *tx)
    .await?;
    // Runtime-checked: DROP SCHEMA of a name known only here.
    sqlx::raw_sql(&format!("DROP SCHEMA {} CASCADE", tenant.schema().quoted()))
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM public.tenants WHERE id = $1", tenant.id.0)
        .execute(&mut *tx)
        .await?;
    hearth_tenants::changes::announce(&mut tx, hearth_tenants::changes::Change::Hubs).await?;
    tx.commit().await?;
    Ok(moved)
}
