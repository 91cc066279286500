//! The plugin registry in `public.plugins`: uploaded modules, checked and
//! compiled by the host before they are stored.

use chrono::{DateTime, Utc};
use hearth_plugins::{PluginHost, PluginId};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

/// Why an upload was refused.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// The name or version label is not acceptable.
    #[error("{0}")]
    Invalid(String),
    /// The module is not a plugin the host accepts (ABI, imports, limits...).
    #[error("the module was refused: {0}")]
    Refused(String),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Where an upload came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadedVia {
    /// `hearth plugin upload`.
    Cli,
    /// The reseller console.
    ResellerConsole,
    /// The operator console.
    OperatorConsole,
}

impl UploadedVia {
    fn as_str(self) -> &'static str {
        match self {
            UploadedVia::Cli => "cli",
            UploadedVia::ResellerConsole => "reseller_console",
            UploadedVia::OperatorConsole => "operator_console",
        }
    }
}

/// A new upload.
#[derive(Debug, Clone)]
pub struct NewPlugin<'a> {
    /// Display name (letters, digits, spaces, `._-`; at most 80).
    pub name: &'a str,
    /// Version label, may be empty.
    pub version: &'a str,
    /// The uploader, when a signed-in user.
    pub uploaded_by: Option<Uuid>,
    /// Where it came from.
    pub via: UploadedVia,
}

/// A plugin in the registry, without its bytes.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PluginInfo {
    /// Content hash, 64 hex characters.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Version label.
    pub version: String,
    /// When it was uploaded.
    pub uploaded_at: DateTime<Utc>,
    /// Module size in bytes.
    pub size_bytes: i32,
    /// The hooks it exports.
    pub hooks: Vec<String>,
    /// Its declared config schema, if any.
    pub config_schema: Option<serde_json::Value>,
}

impl PluginInfo {
    /// The first 12 characters of the id, enough to tell plugins apart.
    pub fn short_id(&self) -> &str {
        self.id.get(..12).unwrap_or(&self.id)
    }
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() <= 80
        && chars.all(|c| c.is_ascii_alphanumeric() || " ._-".contains(c))
}

fn valid_version(version: &str) -> bool {
    version.len() <= 40
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c))
}

/// Checks and compiles `wasm` with `host` (on a blocking thread), reads its
/// config schema, then stores it. Uploading the same bytes again returns the
/// stored plugin unchanged.
pub async fn upload(
    conn: &mut PgConnection,
    host: &PluginHost,
    new: &NewPlugin<'_>,
    wasm: Vec<u8>,
) -> Result<PluginInfo, UploadError> {
    if !valid_name(new.name) {
        return Err(UploadError::Invalid(
            "the name must be 1 to 80 letters, digits, spaces, dots, hyphens or underscores, starting with a letter or digit".into(),
        ));
    }
    if !valid_version(new.version) {
        return Err(UploadError::Invalid(
            "the version must be at most 40 letters, digits, dots, hyphens, underscores or pluses"
                .into(),
        ));
    }
    let module = host
        .load(wasm.clone())
        .await
        .map_err(|e| UploadError::Refused(e.to_string()))?;
    let schema = {
        let (host, module) = (host.clone(), module.clone());
        tokio::task::spawn_blocking(move || host.config_schema(&module))
            .await
            .map_err(|e| UploadError::Refused(format!("reading the config schema: {e}")))?
            .map_err(|e| UploadError::Refused(format!("reading the config schema: {e}")))?
    };
    if let Some(schema) = &schema {
        if !schema.is_object() && !schema.is_boolean() {
            return Err(UploadError::Refused(
                "the config schema must be a JSON object".into(),
            ));
        }
    }
    let hooks: Vec<String> = module.hooks().iter().map(ToString::to_string).collect();
    let id = module.id().to_string();
    let size = i32::try_from(wasm.len())
        .map_err(|_| UploadError::Refused("the module is too large".into()))?;
    sqlx::query!(
        "INSERT INTO public.plugins \
           (id, name, version, uploaded_by, uploaded_via, size_bytes, hooks, config_schema, wasm) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
        &id,
        new.name,
        new.version,
        new.uploaded_by,
        new.via.as_str(),
        size,
        &hooks,
        schema.as_ref(),
        &wasm,
    )
    .execute(&mut *conn)
    .await?;
    find(conn, &id)
        .await?
        .ok_or_else(|| UploadError::Database(sqlx::Error::RowNotFound))
}

/// Reads [`PluginInfo`]s: the one place that knows their columns. `$rest`
/// is the query's tail over `public.plugins`; checked at compile time.
macro_rules! select_plugins {
    ($rest:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            PluginInfo,
            "SELECT id, name, version, uploaded_at, size_bytes, hooks, config_schema FROM public.plugins "
                + $rest
            $(, $arg)*
        )
    };
}

/// Every plugin in the registry, newest first.
pub async fn list(conn: &mut PgConnection) -> sqlx::Result<Vec<PluginInfo>> {
    select_plugins!("ORDER BY uploaded_at DESC, name")
        .fetch_all(conn)
        .await
}

/// A plugin as the operator's console lists it: who uploaded it, and how.
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
    /// Content hash, 64 hex characters.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Version label.
    pub version: String,
    /// The hooks it exports.
    pub hooks: Vec<String>,
    /// Module size in bytes.
    pub size_bytes: i32,
    /// When it was uploaded.
    pub uploaded_at: DateTime<Utc>,
    /// Where it came from: `cli`, `reseller_console` or `operator_console`.
    pub uploaded_via: String,
    /// The uploader's name, when a signed-in user whose account still exists.
    pub uploader_name: Option<String>,
    /// And their email address.
    pub uploader_email: Option<String>,
}

/// Every plugin in the registry with its uploader, newest first.
pub async fn list_registered(conn: &mut PgConnection) -> sqlx::Result<Vec<Registered>> {
    sqlx::query_as!(
        Registered,
        "SELECT p.id, p.name, p.version, p.hooks, p.size_bytes, p.uploaded_at, p.uploaded_via, \
                u.name AS \"uploader_name?\", u.email AS \"uploader_email?\" \
         FROM public.plugins p LEFT JOIN public.users u ON u.id = p.uploaded_by \
         ORDER BY p.uploaded_at DESC, p.name",
    )
    .fetch_all(conn)
    .await
}

/// The plugin with exactly this id.
pub async fn find(conn: &mut PgConnection, id: &str) -> sqlx::Result<Option<PluginInfo>> {
    select_plugins!("WHERE id = $1", id)
        .fetch_optional(conn)
        .await
}

/// The one plugin whose id starts with `prefix` (at least 8 hex characters),
/// for commands typed by people.
pub async fn find_by_prefix(
    conn: &mut PgConnection,
    prefix: &str,
) -> sqlx::Result<Option<PluginInfo>> {
    let prefix = prefix.trim().to_ascii_lowercase();
    if prefix.len() < 8 || !prefix.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let mut found: Vec<PluginInfo> = select_plugins!("WHERE id LIKE $1 || '%' LIMIT 2", &prefix)
        .fetch_all(conn)
        .await?;
    Ok(if found.len() == 1 { found.pop() } else { None })
}

/// The stored module bytes of plugin `id`.
pub async fn wasm(conn: &mut PgConnection, id: &PluginId) -> sqlx::Result<Option<Vec<u8>>> {
    sqlx::query_scalar!(
        "SELECT wasm FROM public.plugins WHERE id = $1",
        id.to_string()
    )
    .fetch_optional(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions_are_plain_labels() {
        assert!(valid_name("Seasonal theme_2.0"));
        assert!(!valid_name(""));
        assert!(!valid_name(" leading"));
        assert!(!valid_name("<script>"));
        assert!(valid_version(""));
        assert!(valid_version("1.2.0+build-3"));
        assert!(!valid_version("1 2"));
    }
}
