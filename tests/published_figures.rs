#![cfg(feature = "gui")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests: a failed expectation is the message.
//! The published figures of an alternative are read by one domain function
//! (`PublishedFigures::of`), so the app's comparison table and `compare --format json` show
//! the same published length for the bundled example and for a file that carries one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use corridor_atlas::app::compare::LedgerCache;
use corridor_atlas::cli::compare::{CompareArgs, CompareFormat, run_with};
use corridor_domain::Atlas;
use corridor_domain::measure::ledger::LedgerContext;
use corridor_domain::plan::scenario::io::load;

/// Published km per alternative, in scenario order: (from the app's table, from the CLI).
fn both(path: &Path, ctx: &Arc<LedgerContext>) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let scenario = load(path).expect("scenario loads");
    let mut cache = LedgerCache::default();
    cache.update(1, &scenario, ctx);
    let gui = cache
        .rows(&scenario)
        .into_iter()
        .map(|(_, r)| r.published_km)
        .collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = CompareArgs {
        scenario: path.to_path_buf(),
        format: CompareFormat::Json,
    };
    assert!(run_with(&args, ctx, &mut out, &mut err).expect("in memory"));
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    let cli = v["alternatives"]
        .as_array()
        .expect("alternatives")
        .iter()
        .map(|a| a["published_km"].as_f64())
        .collect();
    (gui, cli)
}

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn app_and_cli_read_the_same_published_figures() {
    let ctx = Arc::new(LedgerContext::new(&Atlas::load_bundled()));
    // The bundled example states no published figures: both say none, for all five.
    let (gui, cli) = both(&root("assets/examples/corridor-options.geojson"), &ctx);
    assert_eq!(gui.len(), 5);
    assert_eq!(gui, cli);
    assert!(gui.iter().all(Option::is_none), "{gui:?}");
    // A file with `length_km_published: 647` (UAP Termez–Kharlachi, TASS 2025) on its first
    // alternative and none on its second.
    let (gui, cli) = both(&root("tests/fixtures/ledger/alternatives.geojson"), &ctx);
    assert_eq!(gui, vec![Some(647.0), None]);
    assert_eq!(gui, cli);
}
