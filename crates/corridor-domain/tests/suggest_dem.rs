//! Issue 15 item 5: a finer DEM the user opened (an SRTM `.hgt` tile here) is the terrain the
//! suggestion searches on where it has data, the maximum-grade rule is applied on it, and the
//! result says which DEM it used; with only the bundled ETOPO5 it says so.
//!
//! The tile is synthetic and written by the test: N35E069 (35–36° N, 69–70° E, over the
//! Salang Pass), 1201 × 1201 samples rising 10 m per sample eastwards, so its height at a
//! longitude is 12,000 m × (lon − 69°), computed here by hand, and its slope is steep east–west
//! (12 km per ~91 km, 13 %) and flat north–south — unlike anything ETOPO5 has there.
#![allow(clippy::expect_used, clippy::unwrap_used)] // reason: a failed expectation is the test's message
#![allow(clippy::float_cmp)] // reason: outside the tile both surfaces sample the same ETOPO5 cells, bit for bit

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use corridor_domain::Atlas;
use corridor_domain::measure::ledger::LedgerContext;
use corridor_domain::measure::ledger::dem::load_hgt_folder;
use corridor_domain::plan::suggest::path::move_cost;
use corridor_domain::plan::suggest::surface::move_index;
use corridor_domain::plan::suggest::{
    SuggestContext, SuggestProblem, SuggestSettings, resolve_endpoint, suggest,
};
use geo::{Distance, Geodesic};

const SIDE: usize = 1201;

/// The synthetic tile's height (m) at `lon`: 10 m per 3-arc-second sample east of 69° E.
fn tile_height_m(lon: f64) -> f64 {
    12_000.0 * (lon - 69.0)
}

fn write_tile(dir: &std::path::Path) {
    let mut bytes = Vec::with_capacity(SIDE * SIDE * 2);
    for _row in 0..SIDE {
        for col in 0..SIDE {
            let h = i16::try_from(col * 10).unwrap();
            bytes.extend_from_slice(&h.to_be_bytes());
        }
    }
    std::fs::write(dir.join("N35E069.hgt"), bytes).unwrap();
}

#[test]
fn a_finer_dem_is_the_terrain_where_it_has_data_and_the_result_names_it() {
    let atlas = Atlas::load_bundled();
    let settings = SuggestSettings::default();

    // Only the bundled grid: the statement says so.
    let plain = SuggestContext::new(&atlas, &settings).expect("surface builds");
    assert!(
        plain.terrain().contains("ETOPO5 only"),
        "{}",
        plain.terrain()
    );
    let salang = (69.0371, 35.3137); // rail_points.geojson: Salang Pass
    let etopo_m = plain.surface().elevation_at_m(salang.0, salang.1);
    assert!(
        (etopo_m - tile_height_m(salang.0)).abs() > 500.0,
        "ETOPO5 {etopo_m:.0} m must differ from the tile, or the test proves nothing"
    );

    // The tile open (as the app's Compare panel holds it): its heights are the terrain.
    let dir = tempfile::tempdir().unwrap();
    write_tile(dir.path());
    let dem = load_hgt_folder(dir.path()).expect("the tile reads");
    let ledger =
        Arc::new(LedgerContext::new(&atlas).with_dem(dem, "SRTM test tile N35E069 (3″, ~90 m)"));
    let fine = SuggestContext::with_ledger(&atlas, &settings, ledger).expect("surface builds");
    assert!(
        fine.terrain().contains("SRTM test tile N35E069")
            && fine.terrain().contains("ETOPO5 elsewhere"),
        "{}",
        fine.terrain()
    );
    // Same cells as without it: the region-wide grid keeps its size.
    assert_eq!(fine.surface().grid.len(), plain.surface().grid.len());
    for lon in [69.2, 69.5, 69.8] {
        let at = fine.surface().elevation_at_m(lon, 35.5);
        assert!(
            (at - tile_height_m(lon)).abs() < 5.0,
            "{lon}: {at:.1} m, the tile has {:.1} m",
            tile_height_m(lon)
        );
    }
    // Outside the tile (Kabul, 34.5° N) the bundled grid is still the terrain.
    let kabul = (69.1723, 34.5281);
    assert_eq!(
        fine.surface().elevation_at_m(kabul.0, kabul.1),
        plain.surface().elevation_at_m(kabul.0, kabul.1)
    );

    // The maximum grade is checked on the tile: eastwards is 13 %, steep; northwards is level.
    let surface = fine.surface();
    let (col, row) = surface.grid.cell_at(69.5, 35.5).unwrap();
    let east = move_cost(surface, None, col, row, move_index(1, 0).unwrap()).unwrap();
    let north = move_cost(surface, None, col, row, move_index(0, -1).unwrap()).unwrap();
    assert!(east.steep, "13 % eastwards must be steep");
    assert!(!north.steep, "level northwards must not be steep");

    // The result states the DEM (what the CLI prints and the panel shows).
    let problem = SuggestProblem {
        context: &fine,
        from: resolve_endpoint(&atlas, "Charikar").unwrap(),
        to: resolve_endpoint(&atlas, "Kabul").unwrap(),
        vias: Vec::new(),
        alternatives: 1,
        avoid: Vec::new(),
        corridor: None,
        rank_by: corridor_domain::plan::suggest::RankBy::Cost,
    };
    let outcome = suggest(&problem, &|_| {}, &AtomicBool::new(false)).expect("suggests");
    assert_eq!(outcome.terrain, fine.terrain());
    assert!(
        outcome.suggestions[0]
            .note
            .contains("SRTM test tile N35E069"),
        "{}",
        outcome.suggestions[0].note
    );
}

/// Where the gorge is: 7.7 km east of the straight line along 69.6° E.
const GORGE: (f64, f64) = (69.685, 35.5);

/// A ridge across 35.5° N (4,000 m above a 1,000 m plain, 9 km wide at its foot) with one
/// gorge through it at [`GORGE`], 730 m wide: too narrow for the 3 km cells to see, so only
/// the finer search near passes finds it.
fn ridge_with_gorge_m(lon: f64, lat: f64) -> f64 {
    if (lon - GORGE.0).abs() < 0.004 {
        return 1000.0;
    }
    1000.0 + 4000.0 * (1.0 - (lat - 35.5).abs() / 0.04).max(0.0)
}

fn write_ridge_tile(dir: &std::path::Path) {
    let mut bytes = Vec::with_capacity(SIDE * SIDE * 2);
    for row in 0..SIDE {
        for col in 0..SIDE {
            let lon = 69.0 + col as f64 / 1200.0;
            let lat = 36.0 - row as f64 / 1200.0;
            let h = ridge_with_gorge_m(lon, lat).round() as i16;
            bytes.extend_from_slice(&h.to_be_bytes());
        }
    }
    std::fs::write(dir.join("N35E069.hgt"), bytes).unwrap();
}

/// How close (m) the line passes to a point (sampled every ~100 m).
fn closest_m(s: &corridor_domain::plan::suggest::Suggestion, p: (f64, f64)) -> f64 {
    let mut best = f64::INFINITY;
    for w in s.vertices.windows(2) {
        for k in 0..=100 {
            let t = f64::from(k) / 100.0;
            let q = geo::Point::new(
                w[0].lon + (w[1].lon - w[0].lon) * t,
                w[0].lat + (w[1].lat - w[0].lat) * t,
            );
            best = best.min(Geodesic.distance(geo::Point::new(p.0, p.1), q));
        }
    }
    best
}

#[test]
fn near_a_pass_the_finer_dem_is_searched_and_finds_the_gorge() {
    let atlas = Atlas::load_bundled();
    let dir = tempfile::tempdir().unwrap();
    write_ridge_tile(dir.path());
    let dem = load_hgt_folder(dir.path()).expect("the tile reads");
    let ledger = Arc::new(LedgerContext::new(&atlas).with_dem(dem, "SRTM ridge tile N35E069"));
    let run = |refine: bool| {
        let settings = SuggestSettings {
            refine_near_passes: refine,
            ..SuggestSettings::default()
        };
        let ctx = SuggestContext::with_ledger(&atlas, &settings, Arc::clone(&ledger))
            .expect("surface builds");
        let problem = SuggestProblem {
            context: &ctx,
            from: corridor_domain::plan::suggest::Endpoint::at(69.6, 35.25),
            to: corridor_domain::plan::suggest::Endpoint::at(69.6, 35.75),
            vias: Vec::new(),
            alternatives: 1,
            avoid: Vec::new(),
            corridor: None,
            rank_by: corridor_domain::plan::suggest::RankBy::Cost,
        };
        let outcome = suggest(&problem, &|_| {}, &AtomicBool::new(false)).expect("suggests");
        (
            ctx.terrain().to_owned(),
            outcome.suggestions[0].clone(),
            ctx,
        )
    };
    let (terrain, coarse, ctx) = run(false);
    assert!(!terrain.contains("re-searched"), "{terrain}");
    // The 3 km cells do not see the gorge: every cell along the ridge crest near it is high.
    let surface = ctx.surface();
    for k in -10..=10 {
        let lon = GORGE.0 + f64::from(k) * 0.005;
        let (c, r) = surface.grid.cell_at(lon, 35.5).unwrap();
        let (clon, clat) = surface.grid.centre(c, r);
        if (clat - 35.5).abs() < 0.01 {
            assert!(
                surface.elevation_m(surface.grid.index(c, r)) > 2000.0,
                "a 3 km cell centre ({clon:.4}, {clat:.4}) falls in the gorge: the test proves nothing"
            );
        }
    }
    let gorge = GORGE;
    assert!(
        closest_m(&coarse, gorge) > 3_000.0,
        "without the finer search the line already uses the gorge: {:.0} m",
        closest_m(&coarse, gorge)
    );
    let (terrain, fine, _) = run(true);
    assert!(
        terrain.contains("SRTM ridge tile N35E069") && terrain.contains("re-searched"),
        "{terrain}"
    );
    assert!(
        closest_m(&fine, gorge) < 600.0,
        "the finer search passes {:.0} m from the gorge: {}",
        closest_m(&fine, gorge),
        fine.note
    );
    // Still from the start to the end.
    let (first, last) = (&fine.vertices[0], &fine.vertices[fine.vertices.len() - 1]);
    assert_eq!((first.lon, first.lat), (69.6, 35.25));
    assert_eq!((last.lon, last.lat), (69.6, 35.75));
    // The ledger (on the same DEM) prices the line through the gorge lower.
    assert!(
        fine.cost_usd < coarse.cost_usd,
        "{} vs {}",
        fine.cost_usd,
        coarse.cost_usd
    );
}
