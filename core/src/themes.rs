//! Themes as data: `themes/<name>/{theme.toml, templates/, static/}`. A theme
//! names a parent and replaces only what it names; templates are compiled once
//! per theme at start.
//!
//! Static files are read and hashed at start too. Each is served at its plain
//! path and at a fingerprinted one (`hearth.<first 10 hex of sha256>.css`),
//! which never changes content and so is cached for good; templates build the
//! fingerprinted URL with `{{ static_url(path="hearth.css") | safe }}`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use axum::body::Bytes;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The theme every other one descends from.
pub const DEFAULT_THEME: &str = "default";
/// A hub's main colour until someone chooses another (`hub_settings`' default).
pub const DEFAULT_BRAND: &str = "#1f6f5c";
/// A hub's accent colour until someone chooses another.
pub const DEFAULT_ACCENT: &str = "#f4b942";

#[derive(Debug, Deserialize)]
struct ThemeFile {
    name: String,
    parent: Option<String>,
    #[serde(default)]
    variables: BTreeMap<String, String>,
}

/// One theme, its parents' parts merged in.
pub struct Theme {
    /// The folder name.
    pub id: String,
    /// The display name.
    pub name: String,
    /// CSS custom properties, the child's winning over the parent's.
    pub variables: BTreeMap<String, String>,
    /// Compiled page templates.
    pub tera: tera::Tera,
    /// Compiled email templates (`emails/`): `<name>.subject.txt`, `<name>.txt`, `<name>.html`.
    pub emails: tera::Tera,
    /// Static folders, own first, then the parents'.
    pub static_dirs: Vec<PathBuf>,
    /// Static files by path under `static/`, the theme's own winning over its parents'.
    statics: BTreeMap<String, Arc<StaticFile>>,
    /// Fingerprinted path to plain path.
    fingerprinted: HashMap<String, String>,
}

/// A static file of a theme, held in memory.
#[derive(Debug)]
pub struct StaticFile {
    /// The theme whose folder holds it (a parent's, for an inherited file).
    pub theme: String,
    /// Its path under that theme's `static/`.
    pub path: String,
    /// The first 10 hex digits of its SHA-256: the fingerprint in its URL.
    pub hash: String,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Its content, with its Brotli and gzip forms once asked for.
    pub body: crate::compress::Encoded,
}

impl StaticFile {
    /// Its fingerprinted URL: `/static/<theme>/<name>.<hash>.<ext>`.
    pub fn url(&self) -> String {
        format!(
            "/static/{}/{}",
            self.theme,
            fingerprint(&self.path, &self.hash)
        )
    }
}

/// A theme's static file as a request names it.
pub struct StaticHit<'a> {
    /// The file.
    pub file: &'a StaticFile,
    /// Whether it was named by its fingerprint (its content never changes).
    pub immutable: bool,
}

impl Theme {
    /// The static file at `path` under `/static/<theme>/`, by its plain or
    /// fingerprinted name.
    pub fn static_file(&self, path: &str) -> Option<StaticHit<'_>> {
        if let Some(file) = self.statics.get(path) {
            return Some(StaticHit {
                file,
                immutable: false,
            });
        }
        let plain = self.fingerprinted.get(path)?;
        self.statics.get(plain).map(|file| StaticHit {
            file,
            immutable: true,
        })
    }

    /// The fingerprinted URL of static file `path`, if the theme (or a parent) has it.
    pub fn static_url(&self, path: &str) -> Option<String> {
        self.statics.get(path).map(|f| f.url())
    }
}

/// Every theme found at start.
pub struct Themes {
    themes: BTreeMap<String, Theme>,
}

impl Themes {
    /// Loads every theme under `dir`.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            let toml_path = path.join("theme.toml");
            if !toml_path.is_file() {
                continue;
            }
            let id = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            let text = std::fs::read_to_string(&toml_path)?;
            let file: ThemeFile = toml::from_str(&text)
                .with_context(|| format!("parsing {}", toml_path.display()))?;
            for (name, value) in &file.variables {
                anyhow::ensure!(
                    is_css_name(name) && is_css_value(value),
                    "theme {id}: variable {name} = {value:?} is not a plain CSS value"
                );
            }
            files.insert(id, (path, file));
        }
        anyhow::ensure!(
            files.contains_key(DEFAULT_THEME),
            "no `default` theme in {}",
            dir.display()
        );
        let mut themes = BTreeMap::new();
        // Each theme folder's files, read once even when several children inherit them.
        let mut cache = HashMap::new();
        for id in files.keys() {
            // The chain from the root down to this theme.
            let mut chain = vec![id.clone()];
            while let Some(parent) = files
                .get(chain[0].as_str())
                .and_then(|(_, f)| f.parent.clone())
            {
                anyhow::ensure!(!chain.contains(&parent), "theme {id} has a parent cycle");
                anyhow::ensure!(
                    files.contains_key(&parent),
                    "theme {id}: no parent theme {parent}"
                );
                chain.insert(0, parent);
            }
            let mut variables = BTreeMap::new();
            let mut static_dirs = Vec::new();
            let mut folders = Vec::new();
            let mut statics = BTreeMap::new();
            for link in &chain {
                let (path, file) = &files[link];
                variables.extend(file.variables.clone());
                static_dirs.insert(0, path.join("static"));
                folders.push(path.clone());
                let own = static_files(link, &path.join("static"), &mut cache)
                    .with_context(|| format!("static files of theme {link}"))?;
                statics.extend(own);
            }
            let fingerprinted = statics
                .values()
                .map(|f| (fingerprint(&f.path, &f.hash), f.path.clone()))
                .collect();
            let mut tera = compile(&folders, "templates")
                .with_context(|| format!("templates of theme {id}"))?;
            let urls: HashMap<String, String> =
                statics.iter().map(|(p, f)| (p.clone(), f.url())).collect();
            tera.register_function("static_url", move |args: &HashMap<String, tera::Value>| {
                let path = args
                    .get("path")
                    .and_then(tera::Value::as_str)
                    .ok_or_else(|| tera::Error::msg("static_url needs path=\"<file>\""))?;
                urls.get(path)
                    .map(|url| tera::Value::String(url.clone()))
                    .ok_or_else(|| {
                        tera::Error::msg(format!("no static file {path:?} in the theme"))
                    })
            });
            // `{{ t(key="login-title", lang=lang) }}`: see `crate::i18n`.
            tera.register_function("t", crate::i18n::tera_function);
            let emails =
                compile(&folders, "emails").with_context(|| format!("emails of theme {id}"))?;
            let name = files[id].1.name.clone();
            themes.insert(
                id.clone(),
                Theme {
                    id: id.clone(),
                    name,
                    variables,
                    tera,
                    emails,
                    static_dirs,
                    statics,
                    fingerprinted,
                },
            );
        }
        Ok(Self { themes })
    }

    /// The theme `id`, or the default one when there is none such.
    pub fn get(&self, id: &str) -> &Theme {
        self.themes
            .get(id)
            .or_else(|| self.themes.get(DEFAULT_THEME))
            .unwrap_or_else(|| unreachable!("load() ensures the default theme"))
    }

    /// Every theme as a form offers it: (id, name).
    pub fn choices(&self) -> Vec<(String, String)> {
        self.all().map(|t| (t.id.clone(), t.name.clone())).collect()
    }

    /// Every theme.
    pub fn all(&self) -> impl Iterator<Item = &Theme> {
        self.themes.values()
    }

    /// The theme `id`, if there is one (no fallback: for URLs naming a theme).
    pub fn find(&self, id: &str) -> Option<&Theme> {
        self.themes.get(id)
    }
}

type StaticFiles = BTreeMap<String, Arc<StaticFile>>;

/// The files under theme `theme`'s static folder `dir`, read and hashed
/// (once per folder: `cache` keeps what was read for a theme's children).
fn static_files(
    theme: &str,
    dir: &Path,
    cache: &mut HashMap<String, StaticFiles>,
) -> anyhow::Result<StaticFiles> {
    if let Some(files) = cache.get(theme) {
        return Ok(files.clone());
    }
    let mut files = BTreeMap::new();
    for file_path in walk(dir)? {
        let path = file_path
            .strip_prefix(dir)?
            .to_string_lossy()
            .replace(std::path::MAIN_SEPARATOR, "/");
        if path.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        let bytes = std::fs::read(&file_path)
            .with_context(|| format!("reading {}", file_path.display()))?;
        let digest = Sha256::digest(&bytes);
        let hash: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
        files.insert(
            path.clone(),
            Arc::new(StaticFile {
                theme: theme.to_owned(),
                content_type: content_type(&path),
                path,
                hash,
                body: crate::compress::Encoded::new(Bytes::from(bytes)),
            }),
        );
    }
    cache.insert(theme.to_owned(), files.clone());
    Ok(files)
}

/// `css/hearth.css` with hash `h` is `css/hearth.h.css`; a name without an
/// extension gets `.h` appended.
fn fingerprint(path: &str, hash: &str) -> String {
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let name = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    };
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

/// The `Content-Type` of a static file, by its extension.
fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Compiles `<folder>/<sub>/**` of each theme folder, root first: a child's
/// file of the same name replaces its parent's.
fn compile(folders: &[PathBuf], sub: &str) -> anyhow::Result<tera::Tera> {
    let mut templates = BTreeMap::new();
    for folder in folders {
        let root = folder.join(sub);
        for file_path in walk(&root)? {
            let name = file_path
                .strip_prefix(&root)?
                .to_string_lossy()
                .replace(std::path::MAIN_SEPARATOR, "/");
            templates.insert(name, file_path);
        }
    }
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.add_template_files(templates.into_iter().map(|(n, p)| (p, Some(n))))?;
    Ok(tera)
}

fn walk(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    if !dir.is_dir() {
        return Ok(found);
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            found.extend(walk(&path)?);
        } else {
            found.push(path);
        }
    }
    Ok(found)
}

/// A custom property name: a lowercase letter, then letters, digits and hyphens.
pub fn is_css_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A value that cannot end the declaration or the style element it sits in:
/// no `;`, braces, angle brackets, backslashes or newlines.
pub fn is_css_value(value: &str) -> bool {
    value.len() <= 200
        && !value
            .chars()
            .any(|c| matches!(c, ';' | '{' | '}' | '<' | '>' | '\\' | '\n' | '\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_values_that_could_break_out_are_refused() {
        assert!(is_css_value("#1f6f5c"));
        assert!(is_css_value("Georgia, 'Times New Roman', serif"));
        assert!(!is_css_value("red; } body { display: none"));
        assert!(!is_css_value("</style><script>alert(1)</script>"));
        assert!(!is_css_name("--x"));
        assert!(is_css_name("brand-2"));
    }

    #[test]
    fn fingerprints_go_before_the_extension() {
        assert_eq!(
            fingerprint("hearth.css", "0123456789"),
            "hearth.0123456789.css"
        );
        assert_eq!(
            fingerprint("js/a.min.js", "abcdef0123"),
            "js/a.min.abcdef0123.js"
        );
        assert_eq!(fingerprint("LICENSE", "abcdef0123"), "LICENSE.abcdef0123");
    }

    #[test]
    fn static_files_answer_at_plain_and_fingerprinted_names_inherited_from_the_parent() {
        let themes = {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes");
            crate::i18n::init(&dir).expect("catalogue");
            Themes::load(&dir).expect("themes")
        };
        let calm = themes.get("calm");
        let url = calm.static_url("hearth.css").expect("inherited stylesheet");
        // The parent's file keeps the parent's URL, so both themes share one cached copy.
        assert_eq!(
            Some(url.clone()),
            themes.get("default").static_url("hearth.css")
        );
        let name = url
            .strip_prefix("/static/default/")
            .expect("the parent's URL");
        let hit = themes
            .get("default")
            .static_file(name)
            .expect("fingerprinted");
        assert!(hit.immutable);
        assert!(hit.file.content_type.starts_with("text/css"));
        let plain = calm.static_file("hearth.css").expect("plain");
        assert!(!plain.immutable);
        assert!(
            calm.static_file("hearth.0000000000.css").is_none(),
            "a stale fingerprint"
        );
        assert!(calm
            .static_url("calm.css")
            .expect("own")
            .starts_with("/static/calm/calm."));
        assert!(themes.get("default").static_url("calm.css").is_none());
    }

    /// The pages' Content-Security-Policy allows no inline script: every
    /// template's scripts must be files (`<script src=…>`), and no element
    /// may carry an event handler attribute.
    #[test]
    fn templates_have_no_inline_script() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes");
        let mut found = Vec::new();
        for theme in std::fs::read_dir(&dir).expect("themes") {
            let templates = theme.expect("theme").path().join("templates");
            let Ok(entries) = std::fs::read_dir(&templates) else {
                continue;
            };
            for entry in entries {
                let path = entry.expect("template").path();
                let text = std::fs::read_to_string(&path).expect("read template");
                let lower = text.to_lowercase();
                for (at, _) in lower.match_indices("<script") {
                    let tag_end = lower[at..].find('>').map_or(lower.len(), |e| at + e);
                    if !lower[at..tag_end].contains(" src=") {
                        found.push(format!("{}: inline <script>", path.display()));
                    }
                }
                for handler in [
                    " onclick=",
                    " onload=",
                    " onchange=",
                    " onsubmit=",
                    " onerror=",
                ] {
                    if lower.contains(handler) {
                        found.push(format!("{}: {handler}", path.display()));
                    }
                }
            }
        }
        assert!(found.is_empty(), "{found:#?}");
    }
}
