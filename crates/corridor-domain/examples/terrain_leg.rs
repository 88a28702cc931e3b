//! The app's least-cost search over terrain only, for one leg: how `tools/geodata/densify_legs.py`
//! draws the shape points of a bundled line's mountain and desert legs (geodata/README.md,
//! "How the rail geometry was made").
//!
//! `cargo run --release -p corridor-domain --example terrain_leg -- LON,LAT LON,LAT`
//!
//! It is `corridor-atlas suggest --from A --to B --rank-by length` (3 alternatives, ETOPO5,
//! 3 km cells, the ledger's 2.5 % design grade, border posts) with one difference: the bundled
//! rail layer is left out of the cost surface. Run on a bundled line the plain search reuses
//! that line's own drawn chord as cheap existing track and so returns the chord; without any
//! bundled track it follows the terrain. The ledger (ranking, plausibility filters) still
//! measures against the full atlas. Prints the shortest alternative's vertices as one JSON
//! array of `[lon, lat]` on stdout; any problem is one line on stderr and exit status 1.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use corridor_domain::atlas::bundled::Atlas;
use corridor_domain::measure::ledger::LedgerContext;
use corridor_domain::plan::suggest::{
    RankBy, SuggestContext, SuggestProblem, SuggestSettings, resolve_endpoint, suggest,
};

fn run(from: &str, to: &str) -> Result<String, String> {
    let atlas = Atlas::load_bundled();
    let ledger = Arc::new(LedgerContext::new(&atlas));
    let from = resolve_endpoint(&atlas, from).map_err(|e| format!("from: {e}"))?;
    let to = resolve_endpoint(&atlas, to).map_err(|e| format!("to: {e}"))?;
    let mut terrain_only = atlas.clone();
    terrain_only.layers.retain(|l| l.id != "rail");
    let context = SuggestContext::with_ledger(&terrain_only, &SuggestSettings::default(), ledger)
        .map_err(|e| e.to_string())?;
    let problem = SuggestProblem {
        context: &context,
        from,
        to,
        vias: Vec::new(),
        alternatives: 3,
        avoid: Vec::new(),
        corridor: None,
        rank_by: RankBy::Length,
    };
    let never = AtomicBool::new(false);
    let outcome = suggest(&problem, &|_| {}, &never).map_err(|e| e.to_string())?;
    let best = outcome
        .suggestions
        .first()
        .ok_or_else(|| format!("no alternative found ({})", outcome.stopped_because))?;
    let points: Vec<[f64; 2]> = best.vertices.iter().map(|v| [v.lon, v.lat]).collect();
    serde_json::to_string(&points).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [from, to] = args.as_slice() else {
        eprintln!("usage: terrain_leg LON,LAT LON,LAT");
        return ExitCode::FAILURE;
    };
    match run(from, to) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("terrain_leg: {message}");
            ExitCode::FAILURE
        }
    }
}
