//! The crate's module rules, checked on its source text (pure std, no parser crate):
//!
//! 1. A module imports only from its own layer or lower ones, in the order of `lib.rs`:
//!    data < rail < map < atlas < measure < plan < draw.
//! 2. No two modules import each other.
//!
//! "Imports" means every path a module names: `use` trees (braces expanded), paths in code
//! (`crate::map::mercator::TILE_SIZE_PX`), a `mod.rs` naming its own children (`pub use
//! compute::compute_ledger`) and intra-doc links (`[`super::io`]`): a link upward is the
//! documentation saying the lower module knows the upper one. A path through a re-export
//! (`super::TrackStatus`, re-exported by `ledger/mod.rs` from `context`) counts as naming the
//! module that defines it. Code after a file's first `#[cfg(test)]` line is not read: a test
//! may reach up for a fixture.
//!
//! `KNOWN_*` list violations still owed; both are empty now and should stay so. An entry
//! that no longer occurs fails the test, so the lists only shrink.

#![allow(clippy::expect_used)] // Tests: a failed expectation is the message.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The layers, lowest first (the first segment of a module path).
const LAYERS: [&str; 7] = ["data", "rail", "map", "atlas", "measure", "plan", "draw"];

/// Mutual imports still to break, as `a <-> b` with `a < b`.
const KNOWN_MUTUAL: &[&str] = &[];

/// Imports from a higher layer still to remove, as `a -> b`.
const KNOWN_UPWARD: &[&str] = &[];

/// One source file: its module path (segments; empty for `lib.rs`) and whether it is a
/// `mod.rs`/`lib.rs` (which may name its children by relative paths).
struct Module {
    path: Vec<String>,
    is_dir: bool,
    text: String,
}

fn collect(dir: &Path, prefix: &[String], out: &mut Vec<Module>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("readable source folder")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 file name")
            .to_owned();
        if p.is_dir() {
            let mut sub = prefix.to_vec();
            sub.push(name);
            collect(&p, &sub, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&p).expect("a UTF-8 source file");
            let text = match text.find("#[cfg(test)]") {
                Some(at) => text[..at].to_owned(),
                None => text,
            };
            let is_dir = name == "mod" || name == "lib";
            let mut path = prefix.to_vec();
            if !is_dir {
                path.push(name);
            }
            out.push(Module { path, is_dir, text });
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A path's segments and the alias a `use` gives it (`X as Y`).
type UsePath = (Vec<String>, Option<String>);

/// The paths of one use tree starting at `s` (after a root segment and `::`).
fn parse_tree(s: &str) -> Vec<UsePath> {
    let bytes: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut segs: Vec<String> = Vec::new();
    loop {
        if bytes.get(i) == Some(&'{') {
            // A brace group: split at top-level commas.
            let mut depth = 0;
            let mut start = i + 1;
            let mut out = Vec::new();
            let mut j = i;
            while j < bytes.len() {
                match bytes[j] {
                    '{' => depth += 1,
                    '}' | ',' if depth == 1 => {
                        let item: String = bytes[start..j].iter().collect();
                        let item = item.trim();
                        if !item.is_empty() {
                            for (mut p, alias) in parse_tree(item) {
                                let mut full = segs.clone();
                                full.append(&mut p);
                                out.push((full, alias));
                            }
                        }
                        start = j + 1;
                        if bytes[j] == '}' {
                            return out;
                        }
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            return out;
        }
        let start = i;
        while i < bytes.len() && (is_ident(bytes[i]) || bytes[i] == '*') {
            i += 1;
        }
        if i == start {
            break;
        }
        segs.push(bytes[start..i].iter().collect());
        if bytes.get(i) == Some(&':') && bytes.get(i + 1) == Some(&':') {
            i += 2;
        } else {
            break;
        }
    }
    let rest: String = bytes[i..].iter().collect();
    let alias = rest
        .trim_start()
        .strip_prefix("as ")
        .map(|r| r.trim().chars().take_while(|&c| is_ident(c)).collect());
    vec![(segs, alias)]
}

/// Every path `m` names, made absolute (segments from the crate root), with the alias a
/// `pub use` gives it and whether it is a `pub use`.
fn paths_of(m: &Module, children: &BTreeSet<String>) -> Vec<(Vec<String>, Option<String>, bool)> {
    let text = &m.text;
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(at, _)) in chars.iter().enumerate() {
        let prev = if k == 0 { ' ' } else { chars[k - 1].1 };
        if is_ident(prev) || prev == ':' {
            continue;
        }
        let rest = &text[at..];
        let root = ["crate", "super", "self"]
            .into_iter()
            .chain(children.iter().map(String::as_str))
            .find(|r| rest.starts_with(r) && rest[r.len()..].starts_with("::"));
        let Some(root) = root else { continue };
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let is_pub_use = text[line_start..at].trim_start().starts_with("pub use");
        // A path ends at the end of its statement at the latest.
        let tree = &rest[root.len() + 2..];
        let tree = &tree[..tree.find(';').unwrap_or(tree.len())];
        for (segs, alias) in parse_tree(tree) {
            let mut base: Vec<String> = match root {
                "crate" => Vec::new(),
                "super" => m.path[..m.path.len().saturating_sub(1)].to_vec(),
                "self" => m.path.clone(),
                child => {
                    let mut b = m.path.clone();
                    b.push(child.to_owned());
                    b
                }
            };
            // `super::super::x` and `self` inside a group.
            let mut segs = segs;
            while segs.first().is_some_and(|s| s == "super") {
                segs.remove(0);
                base.pop();
            }
            segs.retain(|s| s != "self");
            base.extend(segs);
            out.push((base, alias, is_pub_use));
        }
    }
    out
}

/// The module a path names: the longest module prefix, followed through re-exports.
fn resolve(
    path: &[String],
    modules: &BTreeSet<Vec<String>>,
    reexports: &BTreeMap<(Vec<String>, String), Vec<String>>,
) -> Vec<String> {
    let mut path = path.to_vec();
    for _ in 0..8 {
        let k = (0..=path.len())
            .rev()
            .find(|&k| modules.contains(&path[..k]))
            .unwrap_or(0);
        let module = path[..k].to_vec();
        match path
            .get(k)
            .and_then(|name| reexports.get(&(module.clone(), name.clone())))
        {
            Some(target) if *target != path => {
                let mut next = target.clone();
                next.extend(path[k + 1..].iter().cloned());
                path = next;
            }
            _ => return module,
        }
    }
    path
}

fn name(path: &[String]) -> String {
    path.join("::")
}

/// Every (importer, imported) pair of modules of the crate, lib.rs excluded as an importer.
fn import_graph() -> BTreeSet<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &[], &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|m| m.path.clone()).collect();
    let children_of = |m: &Module| -> BTreeSet<String> {
        if !m.is_dir {
            return BTreeSet::new();
        }
        modules
            .iter()
            .filter(|p| p.len() == m.path.len() + 1 && p.starts_with(&m.path))
            .filter_map(|p| p.last().cloned())
            .collect()
    };
    let paths: Vec<_> = files.iter().map(|m| paths_of(m, &children_of(m))).collect();
    let mut reexports = BTreeMap::new();
    for (m, ps) in files.iter().zip(&paths) {
        for (p, alias, is_pub_use) in ps {
            let Some(last) = alias.clone().or_else(|| p.last().cloned()) else {
                continue;
            };
            if *is_pub_use && last != "*" && !modules.contains(p) {
                reexports.insert((m.path.clone(), last), p.clone());
            }
        }
    }
    let mut edges = BTreeSet::new();
    for (m, ps) in files.iter().zip(&paths) {
        if m.path.is_empty() {
            continue;
        }
        for (p, _, _) in ps {
            let target = resolve(p, &modules, &reexports);
            if target != m.path && !target.is_empty() {
                edges.insert((name(&m.path), name(&target)));
            }
        }
    }
    edges
}

fn layer_rank(module: &str) -> Option<usize> {
    let top = module.split("::").next()?;
    LAYERS.iter().position(|l| *l == top)
}

#[test]
fn the_import_graph_sees_known_edges() {
    // Guards the parser: edges written three different ways must all be found.
    let edges = import_graph();
    for (a, b) in [
        // `use super::model::{…}` in a file module.
        ("plan::scenario::edit", "plan::scenario::model"),
        // `use crate::map::parts::{Part, visit}`.
        ("map::lod", "map::parts"),
        // `super::TrackStatus` through `ledger/mod.rs`'s re-export of `context`.
        ("measure::ledger::strip", "measure::ledger::context"),
    ] {
        assert!(
            edges.contains(&(a.to_owned(), b.to_owned())),
            "{a} -> {b} not found"
        );
    }
}

#[test]
fn no_module_imports_from_a_higher_layer() {
    let edges = import_graph();
    let upward: BTreeSet<String> = edges
        .iter()
        .filter(|(a, b)| match (layer_rank(a), layer_rank(b)) {
            (Some(ra), Some(rb)) => rb > ra,
            _ => false,
        })
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    let known: BTreeSet<String> = KNOWN_UPWARD.iter().map(|s| (*s).to_owned()).collect();
    let new: Vec<_> = upward.difference(&known).collect();
    let gone: Vec<_> = known.difference(&upward).collect();
    assert!(new.is_empty(), "imports from a higher layer: {new:#?}");
    assert!(
        gone.is_empty(),
        "fixed, remove from KNOWN_UPWARD: {gone:#?}"
    );
}

#[test]
fn no_two_modules_import_each_other() {
    let edges = import_graph();
    let mutual: BTreeSet<String> = edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| format!("{a} <-> {b}"))
        .collect();
    let known: BTreeSet<String> = KNOWN_MUTUAL.iter().map(|s| (*s).to_owned()).collect();
    let new: Vec<_> = mutual.difference(&known).collect();
    let gone: Vec<_> = known.difference(&mutual).collect();
    assert!(new.is_empty(), "modules importing each other: {new:#?}");
    assert!(
        gone.is_empty(),
        "fixed, remove from KNOWN_MUTUAL: {gone:#?}"
    );
}
