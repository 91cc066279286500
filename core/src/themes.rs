//! Themes as data: `themes/<name>/{theme.toml, templates/, static/}`. A theme
//! names a parent and replaces only what it names; templates are compiled once
//! per theme at start.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The theme every other one descends from.
pub const DEFAULT_THEME: &str = "default";

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
            for link in &chain {
                let (path, file) = &files[link];
                variables.extend(file.variables.clone());
                static_dirs.insert(0, path.join("static"));
                folders.push(path.clone());
            }
            let tera = compile(&folders, "templates")
                .with_context(|| format!("templates of theme {id}"))?;
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

    /// Every theme.
    pub fn all(&self) -> impl Iterator<Item = &Theme> {
        self.themes.values()
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
}
