//! `hearth-layers`: checks the shape of `core`. Its top-level modules stand
//! in layers; each uses only its own layer and those below, and no layer has
//! a cycle (so no two features import each other, directly or around a
//! ring). Read from the source with `syn`: every `crate::…` path in code,
//! `use` trees and macro calls, with `super::` resolved; `#[cfg(test)]`
//! modules are left out. A failure names the files that make the edge or the
//! cycle. The layers are written down in `docs/architecture.md`.
//!
//! `cargo run -p hearth-layers [--edges] [CORE_SRC]`; `scripts/test` runs it;
//! `--edges` lists every dependency first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// Layers from the bottom up: a module may use its own layer and lower ones.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "base",
        &["cache", "compress", "config", "i18n", "telemetry", "themes"],
    ),
    (
        "services",
        &[
            "domain_proof",
            "email",
            "notifications",
            "plugin_host",
            "stripe_api",
            "video_relay",
        ],
    ),
    ("web", &["web"]),
    (
        "features",
        &[
            "accounts",
            "booking",
            "credits",
            "dashboard",
            "hub",
            "hub_admin",
            "hub_plugins",
            "mailbox",
            "operator",
            "payments",
            "professionals",
            "profile",
            "reports",
            "reseller",
            "video",
        ],
    ),
    ("root", &["lib", "routes", "startup"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, mods)| mods.contains(&module))
}

/// The module path of `file` under `src` (`booking/pages.rs` → `[booking, pages]`).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

/// Collects the top-level module each `crate::`/`super::` path names.
struct Uses<'a> {
    here: &'a [String],
    /// The module of the item being visited, for inline `mod` blocks.
    inline: Vec<String>,
    found: BTreeSet<String>,
}

impl Uses<'_> {
    fn resolve(&mut self, segments: &[String]) {
        let Some(first) = segments.first() else {
            return;
        };
        let mut base: Vec<String> = self.here.to_vec();
        base.extend(self.inline.iter().cloned());
        let mut rest = segments;
        match first.as_str() {
            "crate" => {
                base.clear();
                rest = &segments[1..];
            }
            "super" => {
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop();
                    rest = &rest[1..];
                }
            }
            _ => return,
        }
        let top = base.first().cloned().or_else(|| rest.first().cloned());
        if let Some(top) = top {
            self.found.insert(top);
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                let path = prefix.clone();
                self.resolve(&path);
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                let path = prefix.clone();
                self.resolve(&path);
                prefix.pop();
            }
            syn::UseTree::Glob(_) => {
                let path = prefix.clone();
                self.resolve(&path);
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Uses<'_> {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.resolve(&segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        // Tests inside a module may reach anywhere: they are not the module's shape.
        let is_test = item.attrs.iter().any(|a| {
            a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
        });
        if is_test {
            return;
        }
        self.inline.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.inline.pop();
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // `crate::…` paths inside macro calls (format strings aside) count too.
        let text = mac.tokens.to_string();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("crate ::") {
            let after = &rest[at + "crate ::".len()..];
            let name: String = after
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                self.found.insert(name);
            }
            rest = after;
        }
        syn::visit::visit_macro(self, mac);
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Edges between top-level modules, each with a file that makes it.
fn dependencies(src: &Path) -> BTreeMap<(String, String), String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut edges = BTreeMap::new();
    for file in files {
        if file.file_name().is_some_and(|n| n == "main.rs") {
            continue;
        }
        let here = module_path(src, &file);
        let from = here.first().cloned().unwrap_or_else(|| "lib".to_owned());
        let text = std::fs::read_to_string(&file).expect("read file");
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut uses = Uses {
            here: &here,
            inline: Vec::new(),
            found: BTreeSet::new(),
        };
        uses.visit_file(&ast);
        for to in uses.found {
            if to != from && layer_of(&to).is_some() {
                let rel = file
                    .strip_prefix(src)
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                edges.entry((from.clone(), to)).or_insert(rel);
            }
        }
    }
    edges
}

/// A cycle among `nodes` along `edges`, if there is one.
fn find_cycle(nodes: &[&str], edges: &BTreeMap<(String, String), String>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        nodes: &[&str],
        edges: &BTreeMap<(String, String), String>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_owned(), 1);
        stack.push(node.to_owned());
        for ((from, to), _) in edges.range((node.to_owned(), String::new())..) {
            if from != node {
                break;
            }
            if !nodes.contains(&to.as_str()) {
                continue;
            }
            match state.get(to.as_str()) {
                Some(1) => {
                    let at = stack.iter().position(|n| n == to).unwrap_or(0);
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(to.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(to, nodes, edges, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in nodes {
        if !state.contains_key(*node) {
            if let Some(c) = visit(node, nodes, edges, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../core/src")
}

/// Every module without a layer.
fn unplaced(src: &Path) -> Vec<String> {
    let mut unplaced = Vec::new();
    for entry in std::fs::read_dir(src).expect("read src") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name != "main" && layer_of(&name).is_none() {
            unplaced.push(name);
        }
    }
    unplaced
}

/// Every use of a higher layer, with a file that makes it.
fn upward(edges: &BTreeMap<(String, String), String>) -> Vec<String> {
    edges
        .iter()
        .filter(|((from, to), _)| match (layer_of(from), layer_of(to)) {
            (Some(f), Some(t)) => t > f,
            _ => false,
        })
        .map(|((from, to), file)| format!("{from} → {to} (in {file})"))
        .collect()
}

/// The first cycle of each layer that has one, step by step.
fn cycles(edges: &BTreeMap<(String, String), String>) -> Vec<String> {
    let mut found = Vec::new();
    for (name, modules) in LAYERS {
        if let Some(cycle) = find_cycle(modules, edges) {
            let steps: Vec<String> = cycle
                .windows(2)
                .map(|w| {
                    let file = &edges[&(w[0].clone(), w[1].clone())];
                    format!("  {} → {} (in {file})", w[0], w[1])
                })
                .collect();
            found.push(format!("a cycle in layer {name}:\n{}", steps.join("\n")));
        }
    }
    found
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let list = args.iter().any(|a| a == "--edges");
    let src = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or_else(core_src, PathBuf::from);
    let edges = dependencies(&src);
    if list {
        for ((from, to), file) in &edges {
            println!("{from} → {to} (e.g. {file})");
        }
    }
    let mut problems = Vec::new();
    for name in unplaced(&src) {
        problems.push(format!("module `{name}` has no layer: add it to LAYERS (tools/layers) and docs/architecture.md"));
    }
    problems.extend(
        upward(&edges)
            .into_iter()
            .map(|u| format!("use of a higher layer: {u}")),
    );
    problems.extend(cycles(&edges));
    let modules: BTreeSet<&String> = edges.keys().map(|(from, _)| from).collect();
    if problems.is_empty() {
        println!(
            "layers: {} modules, {} dependencies between them, no upward use, no cycle",
            modules.len(),
            edges.len()
        );
        std::process::ExitCode::SUCCESS
    } else {
        for p in &problems {
            eprintln!("{p}");
        }
        std::process::ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_of_core_has_a_layer() {
        let unplaced = unplaced(&core_src());
        assert!(unplaced.is_empty(), "modules without a layer: {unplaced:?}");
    }

    #[test]
    fn modules_use_only_their_own_layer_and_those_below() {
        let upward = upward(&dependencies(&core_src()));
        assert!(
            upward.is_empty(),
            "uses of a higher layer:\n{}",
            upward.join("\n")
        );
    }

    #[test]
    fn no_layer_has_a_cycle_so_features_never_import_each_other_in_a_ring() {
        let cycles = cycles(&dependencies(&core_src()));
        assert!(cycles.is_empty(), "{}", cycles.join("\n"));
    }

    #[test]
    fn the_checker_sees_a_cycle_when_there_is_one() {
        let mut edges = BTreeMap::new();
        edges.insert(
            ("booking".to_owned(), "credits".to_owned()),
            "a.rs".to_owned(),
        );
        edges.insert(
            ("credits".to_owned(), "booking".to_owned()),
            "b.rs".to_owned(),
        );
        let cycle = find_cycle(&["booking", "credits"], &edges).expect("a cycle");
        assert_eq!(cycle.first(), cycle.last());
        edges.remove(&("credits".to_owned(), "booking".to_owned()));
        assert!(find_cycle(&["booking", "credits"], &edges).is_none());
    }
}
