//! Page texts in every supported language, from Fluent catalogues kept as
//! theme data: `themes/default/locales/<lang>/*.ftl`. They are read once at
//! start; a syntax error, or a message English has and another language lacks,
//! stops the start. Templates call `{{ t(key="login-title", lang=lang) }}`,
//! Rust calls [`t`]. The catalogue is installed once per process at start
//! ([`init`], from `startup`), since messages are worded everywhere (emails,
//! validators) without a state at hand. The language of a request is
//! negotiated once, in the authorization layer (`web::lang::negotiate`): the signed-in user's, else the
//! browser's `Accept-Language`, else the hub's default, else English.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use anyhow::Context;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The languages pages are written in, English (the fallback) first.
pub const LANGUAGES: &[&str] = &["en", "is"];

/// The language used when nothing else decides, and the one every other falls back to.
pub const FALLBACK: &str = "en";

/// Every language's messages.
pub struct Catalogue {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
    ids: HashMap<&'static str, BTreeSet<String>>,
}

static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();

impl Catalogue {
    /// Reads `<dir>/<lang>/*.ftl` for every supported language. Fails on a
    /// syntax error, a message defined twice, or a message of English missing
    /// from another language.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let mut bundles = HashMap::new();
        let mut ids = HashMap::new();
        for &lang in LANGUAGES {
            let folder = dir.join(lang);
            let langid: unic_langid::LanguageIdentifier = lang
                .parse()
                .with_context(|| format!("language tag {lang}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // HTML has its own direction handling; the marks would only show up as noise.
            bundle.set_use_isolating(false);
            let mut own = BTreeSet::new();
            let mut files: Vec<_> = std::fs::read_dir(&folder)
                .with_context(|| format!("reading {}", folder.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
                .collect();
            files.sort();
            for file in files {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("reading {}", file.display()))?;
                let resource = FluentResource::try_new(text).map_err(|(_, errors)| {
                    anyhow::anyhow!("{}: syntax errors: {errors:?}", file.display())
                })?;
                for entry in resource.entries() {
                    if let fluent_syntax::ast::Entry::Message(m) = entry {
                        own.insert(m.id.name.to_owned());
                    }
                }
                bundle
                    .add_resource(resource)
                    .map_err(|errors| anyhow::anyhow!("{}: {errors:?}", file.display()))?;
            }
            bundles.insert(lang, bundle);
            ids.insert(lang, own);
        }
        let catalogue = Self { bundles, ids };
        let english = catalogue.ids(FALLBACK);
        for &lang in LANGUAGES {
            let missing: Vec<_> = english.difference(catalogue.ids(lang)).collect();
            anyhow::ensure!(
                missing.is_empty(),
                "locale {lang} lacks messages English has: {missing:?}"
            );
        }
        Ok(catalogue)
    }

    /// The message ids of `lang` (none for an unsupported language).
    pub fn ids(&self, lang: &str) -> &BTreeSet<String> {
        static EMPTY: BTreeSet<String> = BTreeSet::new();
        self.ids.get(lang).unwrap_or(&EMPTY)
    }

    /// Message `id` of `lang` with `args`, and whether formatting met errors;
    /// `None` when `lang` has no such message.
    pub fn format(
        &self,
        lang: &str,
        id: &str,
        args: Option<&FluentArgs>,
    ) -> Option<(String, bool)> {
        let bundle = self.bundles.get(lang)?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        Some((text.into_owned(), !errors.is_empty()))
    }

    /// Message `id` in `lang`, else in English, else the id itself.
    pub fn text(&self, lang: &str, id: &str, args: Option<&FluentArgs>) -> String {
        let found = self
            .format(lang, id, args)
            .or_else(|| self.format(FALLBACK, id, args));
        match found {
            Some((text, errors)) => {
                if errors {
                    tracing::warn!(message = id, lang, "message formatted with errors");
                }
                text
            }
            None => {
                tracing::warn!(message = id, lang, "no such message");
                id.to_owned()
            }
        }
    }
}

/// Loads the catalogues of the themes under `themes_dir` (from the default
/// theme's `locales/`) and makes them the ones [`t`] uses. Fails on any
/// error; a second call checks its files but keeps the first catalogue.
pub fn init(themes_dir: &Path) -> anyhow::Result<()> {
    // The default theme's (themes share its catalogues; see `themes::DEFAULT_THEME`).
    let dir = themes_dir.join("default").join("locales");
    let catalogue =
        Catalogue::load(&dir).with_context(|| format!("locales in {}", dir.display()))?;
    let _ = CATALOGUE.set(catalogue);
    Ok(())
}

/// Message `id` in `lang` with `args`: falls back to English, then to the id.
pub fn t(lang: &str, id: &str, args: Option<&FluentArgs>) -> String {
    match CATALOGUE.get() {
        Some(c) => c.text(lang, id, args),
        None => id.to_owned(),
    }
}

/// A message for a person, not yet in their language: a catalogue id and its
/// arguments. Validation and domain code return these; the handler, which
/// knows the viewer's language, turns them into text with [`Msg::text`].
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    /// The message id in the catalogue.
    pub id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// A message argument, held in a form that can cross threads (Fluent's own
/// values cannot be shared), so a `Msg` can ride on a response.
#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Text(String),
    Number(fluent_bundle::types::FluentNumber),
}

impl Msg {
    /// Message `id` without arguments.
    pub fn new(id: &'static str) -> Self {
        Self {
            id,
            args: Vec::new(),
        }
    }

    /// Adds the variable `$name` (numbers stay numbers, so plurals select).
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl Into<FluentValue<'static>>) -> Self {
        let value = match value.into() {
            FluentValue::Number(n) => Arg::Number(n),
            FluentValue::String(s) => Arg::Text(s.into_owned()),
            // No other kind is ever passed; an empty text is the harmless answer.
            _ => Arg::Text(String::new()),
        };
        self.args.push((name, value));
        self
    }

    /// The message in `lang` (English when `lang` lacks it).
    pub fn text(&self, lang: &str) -> String {
        if self.args.is_empty() {
            return t(lang, self.id, None);
        }
        let mut fluent = FluentArgs::new();
        for (name, value) in &self.args {
            let value: FluentValue = match value {
                Arg::Text(s) => s.as_str().into(),
                Arg::Number(n) => FluentValue::Number(n.clone()),
            };
            fluent.set(*name, value);
        }
        t(lang, self.id, Some(&fluent))
    }
}

impl From<&'static str> for Msg {
    fn from(id: &'static str) -> Self {
        Self::new(id)
    }
}

/// `lang` if it is a supported language (its primary subtag, any case).
pub fn supported(lang: &str) -> Option<&'static str> {
    let primary = lang.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    LANGUAGES.iter().copied().find(|l| *l == primary)
}

/// The supported language the browser prefers most, by `Accept-Language`
/// (highest `q` first); `None` when it names none of ours.
pub fn accept_language(headers: &axum::http::HeaderMap) -> Option<&'static str> {
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(preferred)
}

/// The supported language an `Accept-Language` value prefers most.
pub fn preferred(accept: &str) -> Option<&'static str> {
    let mut ranked: Vec<(f32, &str)> = accept
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, tag))
        })
        .collect();
    // Stable: among equal weights the browser's order stands.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.iter().find_map(|(_, tag)| supported(tag))
}

/// The tera function `t(key=.., lang=.., <name>=<value>...)`: every other
/// named argument is passed on to Fluent as a variable.
pub fn tera_function(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let key = args
        .get("key")
        .and_then(tera::Value::as_str)
        .ok_or_else(|| tera::Error::msg("t needs key=\"<message id>\""))?;
    let lang = args
        .get("lang")
        .and_then(tera::Value::as_str)
        .unwrap_or(FALLBACK);
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        if name == "key" || name == "lang" {
            continue;
        }
        let value: FluentValue = match value {
            tera::Value::Number(n) => match n.as_i64() {
                Some(i) => i.into(),
                None => n.as_f64().unwrap_or_default().into(),
            },
            tera::Value::String(s) => s.clone().into(),
            tera::Value::Bool(b) => b.to_string().into(),
            tera::Value::Null => continue,
            other => other.to_string().into(),
        };
        fluent.set(name.clone(), value);
    }
    let args = fluent.iter().next().is_some().then_some(&fluent);
    Ok(tera::Value::String(t(lang, key, args)))
}

/// Message `id` in `lang` with `args` (name, value): the dashboard's
/// shorthand for [`t`].
pub fn tr(lang: &str, id: &str, args: &[(&str, fluent_bundle::FluentValue<'_>)]) -> String {
    if args.is_empty() {
        return t(lang, id, None);
    }
    let mut fluent = fluent_bundle::FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, value.clone());
    }
    t(lang, id, Some(&fluent))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes/default/locales"))
            .expect("catalogues")
    }

    #[test]
    fn english_and_icelandic_have_exactly_the_same_messages() {
        let c = catalogue();
        let en = c.ids("en");
        let is = c.ids("is");
        assert!(en.len() > 10, "English has its messages");
        let only_en: Vec<_> = en.difference(is).collect();
        let only_is: Vec<_> = is.difference(en).collect();
        assert!(only_en.is_empty(), "missing in Icelandic: {only_en:?}");
        assert!(only_is.is_empty(), "missing in English: {only_is:?}");
    }

    #[test]
    fn every_message_formats_without_errors_in_both_languages() {
        let c = catalogue();
        // Every variable the files use: counts as numbers (plurals select on
        // them), anything else as text.
        let numeric = [
            "count", "credits", "minutes", "hours", "number", "balance", "seconds", "left", "min",
            "max", "cutoff", "row", "rows", "size", "days", "limit",
        ];
        let mut args = FluentArgs::new();
        for lang in LANGUAGES {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../themes/default/locales")
                .join(lang);
            for file in std::fs::read_dir(dir).expect("locale folder") {
                let text = std::fs::read_to_string(file.expect("entry").path()).expect("ftl");
                for part in text.split('$').skip(1) {
                    let name: String = part
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    if numeric.contains(&name.as_str()) {
                        args.set(name, 3);
                    } else {
                        args.set(name, "x");
                    }
                }
            }
        }
        for &lang in LANGUAGES {
            for id in c.ids(lang) {
                let (text, errors) = c.format(lang, id, Some(&args)).expect("present");
                assert!(!errors, "{lang} {id} formats with errors: {text:?}");
                assert!(!text.trim().is_empty(), "{lang} {id} is empty");
                assert!(!text.contains('\u{2068}'), "no isolation marks");
            }
        }
    }

    #[test]
    fn a_message_value_is_worded_in_the_language_asked_for() {
        let _ = CATALOGUE.set(catalogue());
        let many = Msg::new("credits-count").arg("count", 5);
        assert_eq!(many.text("en"), "5 credits");
        assert_ne!(many.text("is"), many.text("en"));
        assert_ne!(
            many.text("is"),
            Msg::new("credits-count").arg("count", 1).text("is")
        );
    }

    #[test]
    fn a_missing_translation_falls_back_to_english_then_to_the_id() {
        let c = catalogue();
        assert_eq!(
            c.text("de", "login-title", None),
            c.text("en", "login-title", None)
        );
        assert_eq!(c.text("is", "no-such-message", None), "no-such-message");
        assert_ne!(
            c.text("is", "login-title", None),
            c.text("en", "login-title", None)
        );
    }

    #[test]
    fn plural_messages_pick_the_icelandic_form() {
        let c = catalogue();
        let mut one = FluentArgs::new();
        one.set("count", 1);
        let mut many = FluentArgs::new();
        many.set("count", 5);
        assert_ne!(
            c.text("is", "credits-count", Some(&one)),
            c.text("is", "credits-count", Some(&many))
        );
        assert_eq!(c.text("en", "credits-count", Some(&many)), "5 credits");
    }

    #[test]
    fn the_browser_preference_is_read_by_weight() {
        let mut h = axum::http::HeaderMap::new();
        assert_eq!(accept_language(&h), None);
        h.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            "de-DE, is;q=0.8, en;q=0.9".parse().expect("header"),
        );
        assert_eq!(accept_language(&h), Some("en"));
        h.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            "is-IS,en;q=0.5".parse().expect("header"),
        );
        assert_eq!(accept_language(&h), Some("is"));
        h.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            "fr, de".parse().expect("header"),
        );
        assert_eq!(accept_language(&h), None);
    }

    /// `text` without the spans from each `open` to the next `close`.
    fn without(text: &str, open: &str, close: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find(open) {
            out.push_str(&rest[..at]);
            rest = rest[at + open.len()..]
                .find(close)
                .map_or("", |end| &rest[at + open.len() + end + close.len()..]);
            out.push(' ');
        }
        out.push_str(rest);
        out
    }

    /// The words a person reads in a template that do not come from the
    /// catalogue: text between tags and the values of the attributes read out
    /// (aria-label, title, alt, placeholder), once tera's tags are gone.
    fn literal_words(template: &str) -> Vec<String> {
        let mut text = without(template, "{#", "#}");
        for (open, close) in [
            ("{%", "%}"),
            ("{{", "}}"),
            ("<script", "</script>"),
            ("<style", "</style>"),
        ] {
            text = without(&text, open, close);
        }
        let mut read = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find('<') {
            read.push_str(&rest[..at]);
            read.push(' ');
            let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
            let tag = &rest[at..end];
            for attr in ["aria-label=\"", "title=\"", "alt=\"", "placeholder=\""] {
                if let Some(v) = tag.find(attr) {
                    let value = &tag[v + attr.len()..];
                    read.push_str(value.split('"').next().unwrap_or_default());
                    read.push(' ');
                }
            }
            rest = &rest[end..];
        }
        read.push_str(rest);
        read.split_whitespace()
            .map(|w| without(w, "&", ";"))
            .filter(|w| w.chars().any(char::is_alphabetic))
            // The product's name, and the platform logo's letter.
            .filter(|w| {
                !matches!(
                    w.trim_matches(|c: char| !c.is_alphanumeric()),
                    "Hearth" | "H"
                )
            })
            .collect()
    }

    fn template_files() -> Vec<std::path::PathBuf> {
        let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes");
        let mut files = Vec::new();
        for theme in std::fs::read_dir(&themes).expect("themes") {
            let dir = theme.expect("theme").path().join("templates");
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for f in entries {
                files.push(f.expect("template").path());
            }
        }
        files.sort();
        assert!(files.len() > 20, "templates found: {files:?}");
        files
    }

    #[test]
    fn the_scanner_finds_words_outside_the_catalogue() {
        assert_eq!(
            literal_words("<p title=\"Hi there\">{{ t(key=\"x\") }} Log in</p>{# note #}"),
            ["Hi", "there", "Log", "in"]
        );
        assert!(
            literal_words("<a href=\"/\">{{ x }}&larr; Hearth</a>{% if a > b %}{% endif %}")
                .is_empty()
        );
    }

    #[test]
    fn every_word_of_every_page_template_comes_from_the_catalogue() {
        let mut found = Vec::new();
        for file in template_files() {
            let text = std::fs::read_to_string(&file).expect("template");
            let words = literal_words(&text);
            if !words.is_empty() {
                found.push(format!("{}: {}", file.display(), words.join(" ")));
            }
        }
        assert!(
            found.is_empty(),
            "words not in the catalogue:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn every_message_a_template_asks_for_exists() {
        let c = catalogue();
        let mut missing = Vec::new();
        for file in template_files() {
            let text = std::fs::read_to_string(&file).expect("template");
            for part in text.split("t(key=\"").skip(1) {
                let id = part.split('"').next().unwrap_or_default();
                if !c.ids(FALLBACK).contains(id) {
                    missing.push(format!("{}: {id}", file.display()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "unknown message ids:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn every_email_is_written_in_every_language() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes/default/emails");
        let names: BTreeSet<String> = std::fs::read_dir(&dir)
            .expect("emails")
            .map(|f| f.expect("email").file_name().to_string_lossy().into_owned())
            .collect();
        let english: Vec<&String> = names
            .iter()
            .filter(|n| n.ends_with(".subject.txt") && n.matches('.').count() == 2)
            .collect();
        assert!(english.len() > 5, "{names:?}");
        for subject in english {
            let kind = subject.trim_end_matches(".subject.txt");
            for &lang in LANGUAGES.iter().filter(|l| **l != FALLBACK) {
                for part in ["subject.txt", "txt", "html"] {
                    let file = format!("{kind}.{lang}.{part}");
                    assert!(names.contains(&file), "{file} is missing");
                }
            }
        }
    }
}
