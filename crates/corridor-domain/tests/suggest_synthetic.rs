//! Suggestions on synthetic landscapes whose best route is known: a wall with one gap, a
//! valley, an existing line, a ridge with and without a pass, avoid zones, a border bump.
//! Each landscape is a 4° × 3° box (lon 60–64° E, lat 30–33° N) at 3 km cells.
#![allow(clippy::expect_used, clippy::unwrap_used)] // reason: a failed expectation is the test's message

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use corridor_domain::Feature;
use corridor_domain::data::elevation::ElevationGrid;
use corridor_domain::map::layer::{Layer, LayerKind};
use corridor_domain::plan::scenario::{SnapRef, Vertex};
use corridor_domain::plan::suggest::path::{SearchInput, Window, least_cost_path, move_cost};
use corridor_domain::plan::suggest::surface::move_index;
use corridor_domain::plan::suggest::{
    AvoidZone, BorderPost, Endpoint, RankBy, SuggestContext, SuggestError, SuggestProblem,
    SuggestSettings, Suggestion, SurfaceInputs, separation_m, suggest,
};
use geo::{
    Distance, Geodesic, Intersects, LineString, MultiPolygon, Point, Polygon, line_string, polygon,
};
use serde_json::json;

const REGION: [f64; 4] = [60.0, 30.0, 64.0, 33.0];

fn feature(g: impl Into<geo::Geometry<f64>>, props: serde_json::Value) -> Feature {
    let serde_json::Value::Object(map) = props else {
        unreachable!("object literal")
    };
    Feature::new(g.into(), map)
}

fn rect(w: f64, s: f64, e: f64, n: f64) -> Polygon<f64> {
    polygon![(x: w, y: s), (x: e, y: s), (x: e, y: n), (x: w, y: n)]
}

/// One country covering the region.
fn land() -> Vec<Feature> {
    vec![feature(
        rect(59.0, 29.0, 65.0, 34.0),
        json!({"iso_a3": "AAA"}),
    )]
}

/// An elevation grid over the region at 0.02° from `f(lon, lat)` (metres).
fn dem(f: impl Fn(f64, f64) -> f64) -> ElevationGrid {
    let cell = 0.02;
    let (cols, rows) = (
        ((REGION[2] - REGION[0]) / cell) as usize + 2,
        ((REGION[3] - REGION[1]) / cell) as usize + 2,
    );
    let (west, north) = (REGION[0] - cell, REGION[3] + cell);
    let mut data = Vec::with_capacity(cols * rows);
    for r in 0..rows {
        for c in 0..cols {
            let lon = west + (c as f64 + 0.5) * cell;
            let lat = north - (r as f64 + 0.5) * cell;
            data.push(f(lon, lat).round() as i16);
        }
    }
    ElevationGrid::new(cols, rows, west, north, cell, data).expect("grid")
}

fn settings() -> SuggestSettings {
    SuggestSettings {
        region_deg: REGION,
        resolution_km: Some(3.0),
        ..SuggestSettings::default()
    }
}

fn context(
    countries: &[Feature],
    lakes: &[Feature],
    rail: &[Feature],
    elevation: &ElevationGrid,
) -> SuggestContext {
    context_with(countries, lakes, rail, elevation, &settings())
}

fn context_with(
    countries: &[Feature],
    lakes: &[Feature],
    rail: &[Feature],
    elevation: &ElevationGrid,
    settings: &SuggestSettings,
) -> SuggestContext {
    let inputs = SurfaceInputs {
        countries,
        lakes,
        rail,
        track_layers: Vec::new(),
        elevation: vec![elevation],
    };
    SuggestContext::from_inputs(&inputs, settings).expect("surface builds")
}

fn solve(
    ctx: &SuggestContext,
    from: (f64, f64),
    to: (f64, f64),
    n: usize,
    avoid: Vec<AvoidZone>,
) -> Result<Vec<Suggestion>, SuggestError> {
    let problem = SuggestProblem {
        context: ctx,
        from: Endpoint::at(from.0, from.1),
        to: Endpoint::at(to.0, to.1),
        vias: Vec::new(),
        alternatives: n,
        avoid,
        corridor: None,
        rank_by: RankBy::Cost,
    };
    suggest(&problem, &|_| {}, &AtomicBool::new(false)).map(|o| o.suggestions)
}

fn best(ctx: &SuggestContext, from: (f64, f64), to: (f64, f64)) -> Suggestion {
    solve(ctx, from, to, 1, Vec::new())
        .expect("a route")
        .remove(0)
}

fn line(s: &Suggestion) -> LineString<f64> {
    s.vertices.iter().map(|v| (v.lon, v.lat)).collect()
}

/// Latitudes where the line crosses the meridian `lon`.
fn crossings_of_meridian(vertices: &[Vertex], lon: f64) -> Vec<f64> {
    vertices
        .windows(2)
        .filter(|w| {
            (w[0].lon - lon) * (w[1].lon - lon) <= 0.0 && (w[1].lon - w[0].lon).abs() > 1e-12
        })
        .map(|w| w[0].lat + (w[1].lat - w[0].lat) * (lon - w[0].lon) / (w[1].lon - w[0].lon))
        .collect()
}

const WEST: (f64, f64) = (60.5, 31.0);
const EAST: (f64, f64) = (63.5, 31.0);

#[test]
fn a_wall_of_water_is_passed_through_its_only_gap() {
    let flat = dem(|_, _| 100.0);
    // A lake from lat 30 to 33 along lon 62, except a gap at 32.40–32.55.
    let lakes = vec![
        feature(rect(61.95, 29.5, 62.05, 32.40), json!({})),
        feature(rect(61.95, 32.55, 62.05, 33.5), json!({})),
    ];
    let ctx = context(&land(), &lakes, &[], &flat);
    let s = best(&ctx, WEST, EAST);
    let lats = crossings_of_meridian(&s.vertices, 62.0);
    assert_eq!(lats.len(), 1, "{lats:?}");
    assert!(
        (32.40..=32.55).contains(&lats[0]),
        "crosses the wall at {}",
        lats[0]
    );
    for lake in &lakes {
        assert!(
            !lake.geometry.intersects(&line(&s)),
            "the line cuts the lake"
        );
    }

    // Without the gap there is no route, and the error says so.
    let closed = vec![feature(rect(61.95, 29.5, 62.05, 33.5), json!({}))];
    let ctx = context(&land(), &closed, &[], &flat);
    let e = solve(&ctx, WEST, EAST, 1, Vec::new()).unwrap_err();
    assert!(matches!(e, SuggestError::NoRoute(_)), "{e:?}");
}

/// Distance (m) from a point to the polyline through `valley`, in a plane scaled at lat
/// 31.5° (within a percent here; the valley is ~25 km wide, so that is plenty).
fn distance_to_polyline_m(p: (f64, f64), valley: &[(f64, f64)]) -> f64 {
    let (kx, ky) = (111_320.0 * 31.5f64.to_radians().cos(), 110_900.0);
    let xy = |q: (f64, f64)| (q.0 * kx, q.1 * ky);
    let (px, py) = xy(p);
    valley
        .windows(2)
        .map(|w| {
            let ((ax, ay), (bx, by)) = (xy(w[0]), xy(w[1]));
            let (dx, dy) = (bx - ax, by - ay);
            let t = (((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
            (px - ax - t * dx).hypot(py - ay - t * dy)
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn a_route_through_mountains_follows_the_valley() {
    // Rough mountains (±700 m every ~15 km around 1,500 m) cut by a flat valley that bends
    // 1.3° north of the straight line; both ends are on its floor.
    let valley = [
        (60.3, 30.8),
        (60.5, 31.0),
        (61.6, 32.3),
        (62.4, 32.3),
        (63.5, 31.0),
        (63.7, 30.8),
    ];
    let elevation = dem(|lon, lat| {
        let d_km = distance_to_polyline_m((lon, lat), &valley) / 1000.0;
        let mountains = 1500.0
            + 700.0
                * (lon / 0.15 * std::f64::consts::TAU).sin()
                * (lat / 0.15 * std::f64::consts::TAU).sin();
        let share = ((d_km - 12.0) / 15.0).clamp(0.0, 1.0);
        mountains * share
    });
    let ctx = context(&land(), &[], &[], &elevation);
    let s = best(&ctx, WEST, EAST);
    for v in &s.vertices {
        let d = distance_to_polyline_m((v.lon, v.lat), &valley);
        assert!(
            d < 15_000.0,
            "vertex ({:.3}, {:.3}) is {:.1} km from the valley floor",
            v.lon,
            v.lat,
            d / 1000.0
        );
    }
    assert!(
        grid_moves(&ctx, WEST, EAST).iter().all(|m| !m.0),
        "no steep move on the floor"
    );
    assert!(s.search_steep_m < 1.0, "steep {} m", s.search_steep_m);
}

#[test]
fn an_imported_osm_line_is_followed_like_a_curated_one() {
    let flat = dem(|_, _| 100.0);
    let way = |g: LineString<f64>| {
        feature(
            g,
            json!({"railway": "rail", "gauge": "1520", "name": "OSM main"}),
        )
    };
    // One line split into three ways, as OSM does, and an abandoned one on the straight
    // route, which is not track.
    let ways = vec![
        way(line_string![(x: 60.8, y: 31.2), (x: 61.6, y: 31.2)]),
        way(line_string![(x: 61.6, y: 31.2), (x: 62.4, y: 31.2)]),
        way(line_string![(x: 62.4, y: 31.2), (x: 63.2, y: 31.2)]),
        feature(
            line_string![(x: 60.5, y: 31.5), (x: 63.5, y: 31.5)],
            json!({"railway": "abandoned", "name": "Old line"}),
        ),
    ];
    let imported = Layer::new(LayerKind::Imported, "import:osm", "osm", "imported", ways);
    assert!(imported.is_track);
    let rail_m = Geodesic.distance(Point::new(60.8, 31.2), Point::new(63.2, 31.2));

    let without = best(
        &context(&land(), &[], &[], &flat),
        (60.5, 31.5),
        (63.5, 31.5),
    );
    assert!(without.reused_m < 1000.0, "{}", without.reused_m);

    let countries = land();
    let inputs = SurfaceInputs {
        countries: &countries,
        lakes: &[],
        rail: &[],
        track_layers: vec![&imported],
        elevation: vec![&flat],
    };
    let ctx = SuggestContext::from_inputs(&inputs, &settings()).expect("surface builds");
    let s = best(&ctx, (60.5, 31.5), (63.5, 31.5));
    assert!(
        s.reused_m > 0.9 * rail_m && s.reused_m < 1.02 * rail_m,
        "reused {:.1} km of a {:.1} km line",
        s.reused_m / 1000.0,
        rail_m / 1000.0
    );
    assert!(
        s.vertices
            .iter()
            .any(|v| matches!(&v.snap, Some(SnapRef::Rail { line, .. }) if line == "OSM main")),
        "the suggestion is traced onto the imported ways"
    );
}

#[test]
fn an_existing_line_near_the_route_is_followed_end_to_end() {
    let flat = dem(|_, _| 100.0);
    let track = line_string![(x: 60.8, y: 31.2), (x: 63.2, y: 31.2)];
    let rail_m = Geodesic.distance(Point::new(60.8, 31.2), Point::new(63.2, 31.2));
    let rail = vec![
        feature(
            track,
            json!({"name": "Test main line", "status": "existing", "mode": "rail"}),
        ),
        // A proposed line right on the straight route is not track and must not attract.
        feature(
            line_string![(x: 60.5, y: 31.5), (x: 63.5, y: 31.5)],
            json!({"name": "Paper line", "status": "proposed", "mode": "rail"}),
        ),
    ];
    let ctx = context(&land(), &[], &rail, &flat);
    let s = best(&ctx, (60.5, 31.5), (63.5, 31.5));
    assert!(
        s.reused_m > 0.9 * rail_m && s.reused_m < 1.02 * rail_m,
        "reused {:.1} km of a {:.1} km line",
        s.reused_m / 1000.0,
        rail_m / 1000.0
    );
    let on_line: Vec<&Vertex> = s
        .vertices
        .iter()
        .filter(|v| matches!(&v.snap, Some(SnapRef::Rail { line, .. }) if line == "Test main line"))
        .collect();
    assert!(on_line.len() >= 2, "{:?}", s.vertices);
    for v in on_line {
        assert!(
            (v.lat - 31.2).abs() < 1e-6,
            "rail vertex off the line: {v:?}"
        );
    }
    assert!(
        s.vertices.len() <= 8,
        "{} vertices for join, track, leave",
        s.vertices.len()
    );
}

/// A north–south ridge along lon 62 (3,000 m, flanks ~14 km wide: ~21 % grades), optionally
/// with a pass at ground level at lat 32.20–32.40.
fn ridge(with_pass: bool) -> ElevationGrid {
    dem(move |lon, lat| {
        if with_pass && (32.2..=32.4).contains(&lat) {
            return 0.0;
        }
        3000.0 * (1.0 - (lon - 62.0).abs() / 0.15).max(0.0)
    })
}

/// Every move of the best grid path between two points, with its steepness.
fn grid_moves(ctx: &SuggestContext, from: (f64, f64), to: (f64, f64)) -> Vec<(bool, f64)> {
    let surface = ctx.surface();
    let input = SearchInput {
        surface,
        overlay: None,
        window: Window::full(&surface.grid),
        from: surface.cell_clamped(from.0, from.1),
        to: surface.cell_clamped(to.0, to.1),
    };
    let path = least_cost_path(&input, &|_| {}, &AtomicBool::new(false)).expect("path");
    path.cells
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let k = move_index(b.0 as i64 - a.0 as i64, b.1 as i64 - a.1 as i64).expect("a move");
            let m = move_cost(surface, None, a.0, a.1, k).expect("passable");
            let ia = surface.grid.index(a.0, a.1);
            let ib = surface.grid.index(b.0, b.1);
            let grade =
                f64::from((surface.elevation_m(ib) - surface.elevation_m(ia)).abs()) / m.length_m;
            (m.steep, grade)
        })
        .collect()
}

#[test]
fn with_a_pass_nearby_the_route_detours_through_it_and_keeps_the_grade() {
    let ctx = context(&land(), &[], &[], &ridge(true));
    let max_grade = ctx.settings().ledger.max_design_grade_pct / 100.0;
    for (steep, grade) in grid_moves(&ctx, WEST, EAST) {
        assert!(
            !steep && grade <= max_grade + 1e-9,
            "a move at {:.1} %",
            grade * 100.0
        );
    }
    let s = best(&ctx, WEST, EAST);
    let lats = crossings_of_meridian(&s.vertices, 62.0);
    assert_eq!(lats.len(), 1, "{lats:?}");
    assert!(
        (32.2..=32.4).contains(&lats[0]),
        "crosses the ridge at {}",
        lats[0]
    );
    assert!(s.search_steep_m < 1.0, "{} m steep", s.search_steep_m);
}

#[test]
fn without_a_pass_the_route_crosses_the_ridge_and_pays_the_allowance() {
    let ctx = context(&land(), &[], &[], &ridge(false));
    let moves = grid_moves(&ctx, WEST, EAST);
    let max_grade = ctx.settings().ledger.max_design_grade_pct / 100.0;
    assert!(moves.iter().any(|m| m.0), "some move must be steep");
    for (steep, grade) in &moves {
        assert!(
            *steep || *grade <= max_grade,
            "a move at {:.1} % does not pay the allowance",
            grade * 100.0
        );
    }
    let s = best(&ctx, WEST, EAST);
    let lats = crossings_of_meridian(&s.vertices, 62.0);
    assert_eq!(lats.len(), 1, "{lats:?}");
    // It crosses near the straight line instead of wandering along the ridge.
    assert!((lats[0] - 31.0).abs() < 0.3, "crosses at {}", lats[0]);
    assert!(s.search_steep_m > 10_000.0, "{} m steep", s.search_steep_m);
    let allowance = ctx.settings().ledger.unit_costs.steep_allowance.usd_per_km;
    assert!(
        s.search_cost_usd > s.search_steep_m / 1000.0 * allowance,
        "cost {} must include the allowance",
        s.search_cost_usd
    );
}

#[test]
fn an_impassable_zone_is_never_crossed_and_a_mild_one_is() {
    let flat = dem(|_, _| 100.0);
    let ctx = context(&land(), &[], &[], &flat);
    let zone = rect(61.5, 30.5, 62.5, 31.5);
    let avoid = |multiplier| {
        vec![AvoidZone {
            name: "park".into(),
            area: MultiPolygon(vec![zone.clone()]),
            multiplier,
        }]
    };
    let found = solve(&ctx, WEST, EAST, 3, avoid(None)).expect("routes around");
    assert!(!found.is_empty());
    for s in &found {
        assert!(!zone.intersects(&line(s)), "{} crosses the zone", s.note);
    }
    // Costing 5 % more inside, crossing is still cheaper than going round.
    let s = solve(&ctx, WEST, EAST, 1, avoid(Some(1.05)))
        .expect("route")
        .remove(0);
    assert!(zone.intersects(&line(&s)));
    // Costing 20 times more, it goes round.
    let s = solve(&ctx, WEST, EAST, 1, avoid(Some(20.0)))
        .expect("route")
        .remove(0);
    assert!(!zone.intersects(&line(&s)));
}

#[test]
fn alternatives_are_genuinely_different() {
    // Gentle rolling ground so that the plain offers no single obvious corridor.
    let rolling = dem(|lon, lat| 300.0 + 80.0 * (lon * 7.0).sin() * (lat * 5.0).cos());
    let ctx = context(&land(), &[], &[], &rolling);
    let found = solve(&ctx, (60.5, 31.5), (63.5, 31.5), 3, Vec::new()).expect("routes");
    assert!(found.len() >= 2, "{} alternatives", found.len());
    let min = ctx.settings().min_separation_m;
    for (i, a) in found.iter().enumerate() {
        for b in &found[i + 1..] {
            let d = separation_m(&a.vertices, &b.vertices);
            assert!(d >= min, "{d:.0} m apart");
        }
    }
    // Each later alternative costs at least as much as the first (the first is the optimum).
    for s in &found[1..] {
        assert!(
            s.cost_usd >= found[0].cost_usd * 0.98,
            "{} vs {}",
            s.cost_usd,
            found[0].cost_usd
        );
    }
}

#[test]
fn a_large_border_penalty_keeps_the_route_in_one_country() {
    let flat = dem(|_, _| 100.0);
    // Country BBB bulges into the straight route (a hole in AAA, so that the ledger, which
    // measures on the real polygons, sees one country at each point as the grid does).
    let bbb = rect(61.8, 30.7, 62.2, 31.3);
    let aaa = Polygon::new(
        rect(59.0, 29.0, 65.0, 34.0).exterior().clone(),
        vec![bbb.exterior().clone()],
    );
    let countries = vec![
        feature(aaa, json!({"iso_a3": "AAA"})),
        feature(bbb, json!({"iso_a3": "BBB"})),
    ];
    let ctx = context(&countries, &[], &[], &flat);
    let s = best(&ctx, WEST, EAST);
    assert_eq!(s.countries, vec!["AAA".to_owned()]);
    assert_eq!(s.border_crossings, 0);

    let no_penalty = SuggestSettings {
        border_penalty_flat_km: 0.0,
        ..settings()
    };
    let ctx = context_with(&countries, &[], &[], &flat, &no_penalty);
    let s = best(&ctx, WEST, EAST);
    assert_eq!(
        s.countries,
        vec!["AAA".to_owned(), "BBB".to_owned(), "AAA".to_owned()],
        "{:?} {:?}",
        s.ledger.crossings,
        s.vertices
    );
    assert_eq!(s.border_crossings, 2);
}

#[test]
fn cancel_returns_cancelled_quickly() {
    let rolling = dem(|lon, lat| 300.0 + 200.0 * (lon * 9.0).sin() * (lat * 7.0).cos());
    let fine = SuggestSettings {
        resolution_km: Some(0.7),
        ..settings()
    };
    let ctx = context_with(&land(), &[], &[], &rolling, &fine);
    let problem = SuggestProblem {
        context: &ctx,
        from: Endpoint::at(60.2, 30.2),
        to: Endpoint::at(63.8, 32.8),
        vias: Vec::new(),
        alternatives: 3,
        avoid: Vec::new(),
        corridor: None,
        rank_by: RankBy::Cost,
    };
    // Raised before the call.
    let cancel = AtomicBool::new(true);
    assert_eq!(
        suggest(&problem, &|_| {}, &cancel),
        Err(SuggestError::Cancelled)
    );
    // Raised at the first progress report inside the search.
    let cancel = AtomicBool::new(false);
    let raised_at = std::cell::Cell::new(None::<Instant>);
    let result = suggest(
        &problem,
        &|p| {
            if p > 0.0 && raised_at.get().is_none() {
                raised_at.set(Some(Instant::now()));
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    assert_eq!(result, Err(SuggestError::Cancelled));
    let waited = raised_at.get().expect("progress was reported").elapsed();
    assert!(
        waited < Duration::from_millis(200),
        "took {waited:?} to stop"
    );
}

/// Borders are crossed at border posts: with a post 110 km north of the straight line, the
/// route crosses there (within the 10 km the ledger names a post within), once; without the
/// rule it crosses on the straight line.
#[test]
fn a_border_is_crossed_at_its_post() {
    let flat = dem(|_, _| 100.0);
    let countries = vec![
        feature(rect(59.0, 29.0, 62.0, 34.0), json!({"iso_a3": "AAA"})),
        feature(rect(62.0, 29.0, 65.0, 34.0), json!({"iso_a3": "BBB"})),
    ];
    let post = BorderPost {
        name: "North gate".into(),
        lon: 62.02,
        lat: 32.0,
    };
    let crossing = |settings: &SuggestSettings| {
        let ctx = context_with(&countries, &[], &[], &flat, settings)
            .with_border_posts(vec![post.clone()]);
        let s = best(&ctx, WEST, EAST);
        assert_eq!(s.ledger.crossings.len(), 1, "{:?}", s.ledger.crossings);
        let c = &s.ledger.crossings[0];
        Geodesic.distance(Point::new(c.lon, c.lat), Point::new(post.lon, post.lat))
    };
    let at_post_m = crossing(&settings());
    assert!(
        at_post_m < 10_000.0,
        "crosses {:.1} km from the post",
        at_post_m / 1000.0
    );
    let without = SuggestSettings {
        border_posts: false,
        ..settings()
    };
    let straight_m = crossing(&without);
    // The straight line crosses at 31° N, 111 km south of the post.
    assert!(straight_m > 100_000.0, "{:.1} km", straight_m / 1000.0);
}

/// A border that has a post is crossed only there, even when a crossing elsewhere would cost
/// nothing extra (no new-gate penalty, no border strip); a border without any post is crossed
/// where the route likes, as a new gate.
#[test]
fn a_border_with_a_post_is_crossed_nowhere_else() {
    let flat = dem(|_, _| 100.0);
    // AAA | BBB at 61.5° E, BBB | CCC at 62.5° E; one post, on AAA–BBB, 110 km north of the
    // straight line along 31° N.
    let countries = vec![
        feature(rect(59.0, 29.0, 61.5, 34.0), json!({"iso_a3": "AAA"})),
        feature(rect(61.5, 29.0, 62.5, 34.0), json!({"iso_a3": "BBB"})),
        feature(rect(62.5, 29.0, 65.0, 34.0), json!({"iso_a3": "CCC"})),
    ];
    let post = BorderPost {
        name: "North gate".into(),
        lon: 61.52,
        lat: 32.0,
    };
    let free_elsewhere = SuggestSettings {
        new_gate_penalty_flat_km: 0.0,
        border_strip_multiplier: 1.0,
        ..settings()
    };
    let ctx = context_with(&countries, &[], &[], &flat, &free_elsewhere)
        .with_border_posts(vec![post.clone()]);
    let s = best(&ctx, WEST, EAST);
    let land: Vec<_> = s.ledger.crossings.iter().collect();
    assert_eq!(land.len(), 2, "{land:?}");
    let post_m = |c: &corridor_domain::measure::ledger::Crossing| {
        Geodesic.distance(Point::new(c.lon, c.lat), Point::new(post.lon, post.lat))
    };
    // AAA → BBB at the post (within the 10 km the ledger names a post within)…
    assert_eq!(
        (land[0].from_iso_a3.as_str(), land[0].to_iso_a3.as_str()),
        ("AAA", "BBB")
    );
    assert!(
        post_m(land[0]) < 10_000.0,
        "{:.1} km",
        post_m(land[0]) / 1000.0
    );
    // …and BBB → CCC, a border without a post, back down towards the straight line: far
    // from the post's latitude (a new gate where the route likes), not along the post's
    // parallel.
    assert_eq!(
        (land[1].from_iso_a3.as_str(), land[1].to_iso_a3.as_str()),
        ("BBB", "CCC")
    );
    assert!(land[1].lat < 31.8, "BBB → CCC at {:.2}° N", land[1].lat);
}

/// After an alternative through one post, the next search tries the other post first. The
/// corridor penalty is off, so without that rule every search would find the first route
/// again (and drop it as too close).
#[test]
fn the_next_alternative_tries_another_gate_first() {
    let flat = dem(|_, _| 100.0);
    let countries = vec![
        feature(rect(59.0, 29.0, 62.0, 34.0), json!({"iso_a3": "AAA"})),
        feature(rect(62.0, 29.0, 65.0, 34.0), json!({"iso_a3": "BBB"})),
    ];
    let near = BorderPost {
        name: "Near gate".into(),
        lon: 62.02,
        lat: 31.6,
    };
    let far = BorderPost {
        name: "Far gate".into(),
        lon: 62.02,
        lat: 32.5,
    };
    let no_corridor = SuggestSettings {
        corridor_multiplier: 1.0,
        ..settings()
    };
    let ctx = context_with(&countries, &[], &[], &flat, &no_corridor)
        .with_border_posts(vec![near.clone(), far.clone()]);
    let found = solve(&ctx, (60.5, 31.5), (63.5, 31.5), 2, Vec::new()).expect("routes");
    assert_eq!(found.len(), 2);
    let gate_of = |s: &Suggestion| {
        assert_eq!(s.ledger.crossings.len(), 1, "{:?}", s.ledger.crossings);
        let c = &s.ledger.crossings[0];
        let d =
            |p: &BorderPost| Geodesic.distance(Point::new(c.lon, c.lat), Point::new(p.lon, p.lat));
        if d(&near) < 10_000.0 {
            "near"
        } else if d(&far) < 10_000.0 {
            "far"
        } else {
            "neither"
        }
    };
    assert_eq!(gate_of(&found[0]), "near");
    assert_eq!(gate_of(&found[1]), "far");
}
