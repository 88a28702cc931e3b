#![allow(clippy::expect_used, clippy::unwrap_used)] // tests state what they expect
//! An imported OpenStreetMap-style network as existing track: tracing along it (across split
//! ways, a junction at a shared middle vertex, a small gap, layer parts), the ledger's reuse
//! km on it, and snapping onto it. The network is written here as GeoJSON text, with OSM's
//! tags; expected lengths are sums of the ways' WGS84 geodesic lengths computed in the test
//! with `geo::Geodesic`, independently of the graph.
//!
//! ```text
//!  lat 43.00  A ~~ W1 ~~ B ---------- Old shortcut (abandoned) ---------- D  D' ~~ W4 ~~ E ==== Extension (construction) ==== G
//!                          \                                            /
//!  lat 42.95                 ~~ W2 ~~ J ~~ W2 ~~ C ~~~~ W3 ~~~~ Y ~~~~~
//!                                     |                          \__ yard (unnamed)
//!  lat 42.85                          F  (Branch, from J: W2's middle vertex)
//! ```
//! D' is 2.4 m east of D: the ways do not quite meet and the merge distance must join them.

use corridor_domain::atlas::bundled::layer_from_geojson;
use corridor_domain::map::mercator::world_from_lonlat;
use corridor_domain::measure::ledger::{
    LedgerContext, LedgerSettings, TrackStatus, compute_ledger,
};
use corridor_domain::plan::scenario::model::SnapRef;
use corridor_domain::plan::snap::{UNNAMED_LINE, default_track_layers, snap};
use corridor_domain::plan::trace::RailGraph;
use corridor_domain::{Atlas, Feature, Layer, LayerKind};
use geo::{Distance, Geodesic, Point, polygon};
use serde_json::{Value, json};

const A: (f64, f64) = (76.00, 43.00);
const B: (f64, f64) = (76.10, 43.00);
const J: (f64, f64) = (76.20, 42.95);
const C: (f64, f64) = (76.25, 42.97);
const Y: (f64, f64) = (76.30, 42.99);
const D: (f64, f64) = (76.35, 43.00);
/// 0.00003° of longitude east of D: 2.4 m at 43° N.
const D_GAP: (f64, f64) = (76.350_03, 43.00);
const E: (f64, f64) = (76.45, 43.00);
const F: (f64, f64) = (76.22, 42.85);
const G: (f64, f64) = (76.60, 43.00);

const W1: &[(f64, f64)] = &[A, (76.05, 43.005), B];
const W2: &[(f64, f64)] = &[B, (76.15, 42.95), J, C];
const W3: &[(f64, f64)] = &[C, Y, D];
const W4: &[(f64, f64)] = &[D_GAP, (76.40, 43.01), E];
const BRANCH: &[(f64, f64)] = &[J, (76.20, 42.90), F];
const YARD: &[(f64, f64)] = &[Y, (76.305, 42.985), (76.32, 42.985)];
const SHORTCUT: &[(f64, f64)] = &[B, D];
const EXTENSION: &[(f64, f64)] = &[E, G];

fn way(coords: &[(f64, f64)], tags: &Value) -> Value {
    json!({
        "type": "Feature",
        "properties": tags,
        "geometry": {"type": "LineString", "coordinates": coords.iter().map(|&(x, y)| [x, y]).collect::<Vec<_>>()},
    })
}

/// The ways, in two groups (the parts of a large import); each group is a FeatureCollection.
fn network_parts() -> [String; 2] {
    let main = json!({"railway": "rail", "name": "Main line", "gauge": "1520", "usage": "main", "electrified": "contact_line", "maxspeed": "120"});
    let dual =
        json!({"railway": "rail", "name": "Main line", "gauge": "1520;1435", "usage": "main"});
    let branch = json!({"railway": "rail", "name": "Branch", "gauge": "1520", "usage": "branch"});
    let yard = json!({"railway": "rail", "service": "yard", "gauge": "1520"});
    let abandoned = json!({"railway": "abandoned", "name": "Old shortcut"});
    let construction = json!({"railway": "construction", "name": "Extension", "gauge": "1520"});
    let collection =
        |ways: Vec<Value>| json!({"type": "FeatureCollection", "features": ways}).to_string();
    [
        collection(vec![way(W1, &main), way(W2, &main), way(BRANCH, &branch)]),
        collection(vec![
            way(W3, &main),
            way(W4, &dual),
            way(YARD, &yard),
            way(SHORTCUT, &abandoned),
            way(EXTENSION, &construction),
        ]),
    ]
}

/// A square country around the network, so the ledger has land to count.
fn country() -> Layer {
    let Value::Object(props) = json!({"name": "Testland", "iso_a2": "KZ", "iso_a3": "KAZ"}) else {
        unreachable!("literal object")
    };
    Layer::new(
        LayerKind::Countries,
        "countries",
        "Countries",
        "",
        vec![Feature::new(
            polygon![(x: 74.0, y: 41.0), (x: 79.0, y: 41.0), (x: 79.0, y: 45.0), (x: 74.0, y: 45.0)]
                .into(),
            props,
        )],
    )
}

fn import(text: &str) -> Layer {
    layer_from_geojson(
        LayerKind::Imported,
        "import:test",
        "test",
        "",
        "test.geojson",
        text,
    )
    .expect("the test network parses")
}

/// The country plus the network as two parts (layers sharing the id `import:test`).
fn atlas_in_parts() -> Atlas {
    let [first, second] = network_parts();
    Atlas::default()
        .with_layer(country())
        .with_layer(import(&first))
        .with_layer(import(&second))
}

/// The country plus the whole network as one layer.
fn atlas_in_one_layer() -> Atlas {
    let [first, second] = network_parts();
    let parse = |t: &str| corridor_domain::parse_features(t).expect("parses");
    let mut features = parse(&first).features;
    features.extend(parse(&second).features);
    Atlas::default()
        .with_layer(country())
        .with_layer(Layer::new(
            LayerKind::Imported,
            "import:test",
            "test",
            "",
            features,
        ))
}

fn geodesic_m(coords: &[(f64, f64)]) -> f64 {
    coords
        .windows(2)
        .map(|w| Geodesic.distance(Point::new(w[0].0, w[0].1), Point::new(w[1].0, w[1].1)))
        .sum()
}

fn assert_passes(path: &[(f64, f64)], expected: &[(f64, f64)]) {
    assert_eq!(
        path.len(),
        expected.len(),
        "path {path:?}, expected {expected:?}"
    );
    for (g, e) in path.iter().zip(expected) {
        assert!(
            (g.0 - e.0).abs() < 1e-9 && (g.1 - e.1).abs() < 1e-9,
            "path {path:?}, expected {expected:?}"
        );
    }
}

#[test]
fn the_import_is_track_in_every_part() {
    let atlas = atlas_in_parts();
    assert!(atlas.layers[1].is_track && atlas.layers[2].is_track);
    assert!(!atlas.layers[0].is_track);
    assert_eq!(default_track_layers(&atlas), vec![1, 2]);
}

#[test]
fn a_trace_follows_the_split_ways_across_parts_and_the_gap_not_the_abandoned_shortcut() {
    for atlas in [atlas_in_parts(), atlas_in_one_layer()] {
        let graph = RailGraph::from_atlas(&atlas, &default_track_layers(&atlas));
        let path = graph
            .trace(A, E)
            .expect("A and E are connected by the main line");
        let lonlats: Vec<(f64, f64)> = path.vertices.iter().map(|v| (v.lon, v.lat)).collect();
        // Every vertex of W1–W4 in order; W4 joins at D, the node its first vertex merged into.
        assert_passes(&lonlats, &[A, W1[1], B, W2[1], J, C, Y, D, W4[1], E]);
        let expected_m =
            geodesic_m(W1) + geodesic_m(W2) + geodesic_m(W3) + geodesic_m(&[D, W4[1], E]);
        assert!(
            (path.length_m - expected_m).abs() < 0.01,
            "{} m vs {expected_m} m",
            path.length_m
        );
        // The ways as drawn, gap and all, differ from that by the 2.4 m gap at most.
        let ways_m = geodesic_m(W1) + geodesic_m(W2) + geodesic_m(W3) + geodesic_m(W4);
        assert!((path.length_m - ways_m).abs() < 2.5);
        // The abandoned shortcut B–D would have been kilometres shorter: the test would notice.
        let via_shortcut_m = geodesic_m(W1) + geodesic_m(SHORTCUT) + geodesic_m(&[D, W4[1], E]);
        assert!(via_shortcut_m < expected_m - 2_000.0);
        for v in &path.vertices {
            assert_eq!(
                v.snap,
                Some(SnapRef::Rail {
                    layer: "import:test".into(),
                    line: "Main line".into()
                })
            );
        }
    }
}

#[test]
fn a_trace_turns_onto_the_branch_at_a_shared_middle_vertex() {
    let atlas = atlas_in_parts();
    let graph = RailGraph::from_atlas(&atlas, &default_track_layers(&atlas));
    let path = graph.trace(A, F).expect("connected at J");
    let lonlats: Vec<(f64, f64)> = path.vertices.iter().map(|v| (v.lon, v.lat)).collect();
    assert_passes(&lonlats, &[A, W1[1], B, W2[1], J, BRANCH[1], F]);
    let expected_m = geodesic_m(W1) + geodesic_m(&W2[..3]) + geodesic_m(BRANCH);
    assert!((path.length_m - expected_m).abs() < 0.01);
    let last = path.vertices.last().and_then(|v| v.snap.clone());
    assert_eq!(
        last,
        Some(SnapRef::Rail {
            layer: "import:test".into(),
            line: "Branch".into()
        })
    );
    // From the middle of W1 to the middle of the branch: starts and ends on the lines.
    let mid_w1 = (76.025, 43.0025);
    let mid_branch = (76.20, 42.925);
    let path = graph.trace(mid_w1, mid_branch).expect("connected");
    let lonlats: Vec<(f64, f64)> = path.vertices.iter().map(|v| (v.lon, v.lat)).collect();
    assert_eq!(lonlats.len(), 6, "{lonlats:?}");
    // The ends are the points moved onto the lines (a straight line on the map is not
    // quite one in lon/lat: within a millionth of a degree here).
    for (got, want) in [(lonlats[0], mid_w1), (lonlats[5], mid_branch)] {
        assert!((got.0 - want.0).abs() < 1e-6 && (got.1 - want.1).abs() < 1e-6);
    }
    assert_passes(&lonlats[1..5], &[W1[1], B, W2[1], J]);
}

#[test]
fn without_merging_the_gap_splits_the_network() {
    let atlas = atlas_in_parts();
    let tracks = default_track_layers(&atlas);
    let exact = RailGraph::from_atlas_with_merge(&atlas, &tracks, 0.0);
    assert!(exact.trace(A, E).is_none(), "D and D' are 2.4 m apart");
    assert!(exact.trace(A, D).is_some());
    let merged = RailGraph::from_atlas_with_merge(&atlas, &tracks, 2.0);
    assert!(
        merged.trace(A, E).is_none(),
        "2 m does not close a 2.4 m gap"
    );
    let merged = RailGraph::from_atlas_with_merge(&atlas, &tracks, 3.0);
    assert!(merged.trace(A, E).is_some(), "3 m does");
}

#[test]
fn the_ledger_counts_imported_track_as_existing_and_abandoned_ways_not() {
    let atlas = atlas_in_parts();
    let ctx = LedgerContext::new(&atlas);
    let settings = LedgerSettings::default();
    // An alignment drawn on the main line, A to E.
    let on_track: Vec<(f64, f64)> = [A, W1[1], B, W2[1], J, C, Y, D, W4[1], E].to_vec();
    let ledger = compute_ledger(&on_track, None, &ctx, &settings);
    assert!(ledger.length_m > 30_000.0);
    assert!(
        ledger.existing_m > 0.97 * ledger.length_m,
        "existing {} of {} m",
        ledger.existing_m,
        ledger.length_m
    );
    assert!(ledger.under_construction_m < 1.0);
    // The split ways are one line ("1520;1435" is 1520 mm, like the rest): one run.
    assert_eq!(ledger.track_runs.len(), 1, "{:?}", ledger.track_runs);
    let run = &ledger.track_runs[0];
    assert_eq!(run.line, "Main line");
    assert_eq!(run.gauge_mm, Some(1520));
    assert_eq!(run.status, TrackStatus::Existing);

    // The same line 0.2° (22 km) further south: no track within the 2 km tolerance.
    let south: Vec<(f64, f64)> = on_track.iter().map(|&(x, y)| (x, y - 0.2)).collect();
    let ledger = compute_ledger(&south, None, &ctx, &settings);
    assert!(ledger.length_m > 30_000.0);
    assert!(ledger.existing_m < 1.0, "{} m", ledger.existing_m);
    assert!(ledger.track_runs.is_empty());

    // Along the abandoned shortcut, where the main line is 3–5.5 km away: new build.
    let shortcut = [(76.14, 43.0), (76.26, 43.0)];
    let ledger = compute_ledger(&shortcut, None, &ctx, &settings);
    assert!(ledger.length_m > 9_000.0);
    assert!(ledger.existing_m < 1.0, "{} m", ledger.existing_m);

    // Along the line under construction: existing (the default counts it), under construction.
    let extension = compute_ledger(EXTENSION, None, &ctx, &settings);
    assert!(extension.under_construction_m > 0.97 * extension.length_m);
    // (E itself is on the main line too; the run along the extension is the long one.)
    let run = extension
        .track_runs
        .iter()
        .find(|r| r.end_m - r.start_m > 0.9 * extension.length_m)
        .expect("a run along the extension");
    assert_eq!(run.line, "Extension");
    assert_eq!(run.status, TrackStatus::UnderConstruction);
}

#[test]
fn a_context_without_the_import_sees_no_track_there() {
    let atlas = Atlas::default().with_layer(country());
    let ctx = LedgerContext::new(&atlas);
    let on_track = [A, W1[1], B, W2[1], J, C, Y, D, W4[1], E];
    let ledger = compute_ledger(&on_track, None, &ctx, &LedgerSettings::default());
    assert!(ledger.existing_m < 1.0);
    // Adding the parts explicitly brings it back.
    let parts = atlas_in_parts();
    let ctx = LedgerContext::new(&atlas).with_track_layers(parts.layers[1..].to_vec());
    let ledger = compute_ledger(&on_track, None, &ctx, &LedgerSettings::default());
    assert!(ledger.existing_m > 0.97 * ledger.length_m);
}

#[test]
fn snapping_next_to_an_imported_way_lands_on_it() {
    let atlas = atlas_in_parts();
    // 1 km of tolerance, in world units at 43° N.
    let tolerance = 1000.0 / (40_075_016.686 * 43f64.to_radians().cos());
    // 300 m north of the middle of W4's second segment (in the second part).
    let on_way = (76.425, 43.005);
    let beside = (on_way.0, on_way.1 + 300.0 / 111_100.0);
    let s = snap(
        &atlas,
        world_from_lonlat(beside.0, beside.1),
        tolerance,
        |_| true,
    )
    .expect("snaps onto W4");
    assert_eq!(
        s.target,
        SnapRef::Rail {
            layer: "import:test".into(),
            line: "Main line".into()
        }
    );
    let snapped = Point::new(s.lon, s.lat);
    let off_m = Geodesic.distance(snapped, Point::new(beside.0, beside.1));
    assert!((200.0..300.0).contains(&off_m), "{off_m} m");
    assert!(Geodesic.distance(snapped, Point::new(on_way.0, on_way.1)) < 150.0);
    // Next to the unnamed yard track (first part has none: this is the second part too).
    let s = snap(
        &atlas,
        world_from_lonlat(76.315, 42.9853),
        tolerance,
        |_| true,
    )
    .expect("snaps onto the yard");
    assert_eq!(
        s.target,
        SnapRef::Rail {
            layer: "import:test".into(),
            line: UNNAMED_LINE.into()
        }
    );
    // Next to the branch (first part).
    let s = snap(&atlas, world_from_lonlat(76.203, 42.92), tolerance, |_| {
        true
    })
    .expect("snaps onto the branch");
    assert!((s.lon - 76.2).abs() < 1e-9);
    // Far from everything: nothing.
    assert!(snap(&atlas, world_from_lonlat(76.2, 43.3), tolerance, |_| true).is_none());
}

/// Resident and peak resident memory of this process (kB), from `/proc/self/status`.
fn memory_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Release-mode probe on the generated 90 MB network (`cargo run --release --
/// generate-network -o /tmp/net.geojson`, or `NET_GEOJSON=path`): builds the parts as the
/// importer does (~8 MB of file each), then times the trace graph, traces and the ledger over
/// it, and prints the figures. It asserts only that the answers are right.
///
/// `cargo test --release --test track_import -- --ignored --nocapture`
#[test]
#[ignore = "needs the generated 90 MB network; run in release"]
fn probe_the_generated_network() {
    use std::time::Instant;
    let path = std::env::var("NET_GEOJSON").unwrap_or_else(|_| "/tmp/net.geojson".into());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (generate it with `generate-network`)"));
    let t = Instant::now();
    let features = corridor_domain::parse_features(&text)
        .expect("the network parses")
        .features;
    let per_part = (features.len() * (8 << 20) / text.len().max(1)).max(1);
    let bytes = text.len();
    drop(text);
    let bundled = Atlas::load_bundled();
    let mut atlas = bundled.clone();
    let mut vertices = 0;
    for chunk in features.chunks(per_part) {
        let part = Layer::new(LayerKind::Imported, "import:net", "net", "", chunk.to_vec());
        vertices += part.vertex_count();
        atlas = atlas.with_layer(part);
    }
    let parts = atlas.layers.len() - bundled.layers.len();
    eprintln!(
        "network: {:.1} MB, {} features, {vertices} vertices, {parts} parts; loaded in {:.1} s",
        bytes as f64 / 1e6,
        features.len(),
        t.elapsed().as_secs_f64()
    );
    let tracks = default_track_layers(&atlas);
    assert_eq!(
        tracks.len(),
        parts + 1,
        "every part and the bundled rail are track"
    );

    // Reset the peak (Linux: "5" to clear_refs), so that VmHWM tells the build's own peak.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let (rss_before, _) = memory_kb();
    let t = Instant::now();
    let graph = RailGraph::from_atlas(&atlas, &tracks);
    let build_s = t.elapsed().as_secs_f64();
    let (rss_after, peak) = memory_kb();
    eprintln!(
        "trace graph: built in {build_s:.2} s; {} vertices, {} segments, {} junctions, {} \
         stretches; holds ~{:.1} MB (RSS +{:.1} MB, peak RSS +{:.1} MB during the build)",
        graph.node_count(),
        graph.edge_count(),
        graph.junction_count(),
        graph.stretch_count(),
        graph.heap_bytes() as f64 / 1e6,
        (rss_after as f64 - rss_before as f64) / 1e3,
        (peak as f64 - rss_before as f64) / 1e3,
    );
    assert!(
        graph.edge_count() * 10 > vertices * 9,
        "nearly every segment is in"
    );

    // Traces between the ends of far-apart main-line ways.
    let mut ends: Vec<(f64, f64)> = features
        .iter()
        .filter(|f| f.str("railway") == Some("rail") && f.str("service").is_none())
        .filter_map(|f| match &f.geometry {
            geo::Geometry::LineString(ls) => ls.0.first().map(|c| (c.x, c.y)),
            _ => None,
        })
        .collect();
    ends.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut longest: Option<corridor_domain::plan::trace::TracedPath> = None;
    let (mut traced, mut slowest) = (0, 0.0f64);
    for k in 0..20 {
        let from = ends[k * ends.len() / 40];
        let to = ends[ends.len() - 1 - k * ends.len() / 40];
        let t = Instant::now();
        let Some(path) = graph.trace(from, to) else {
            continue;
        };
        slowest = slowest.max(t.elapsed().as_secs_f64());
        traced += 1;
        let chord = Geodesic.distance(Point::new(from.0, from.1), Point::new(to.0, to.1));
        assert!(
            path.length_m >= chord,
            "a route is never shorter than the chord"
        );
        let first = path.vertices.first().expect("a path has vertices");
        let last = path.vertices.last().expect("a path has vertices");
        assert!(Geodesic.distance(first.point(), Point::new(from.0, from.1)) < 1.0);
        assert!(Geodesic.distance(last.point(), Point::new(to.0, to.1)) < 1.0);
        if longest.as_ref().is_none_or(|l| path.length_m > l.length_m) {
            longest = Some(path);
        }
    }
    let longest = longest.expect("some far-apart ways are connected");
    eprintln!(
        "traces: {traced} of 20 far-apart pairs connected; slowest {:.0} ms; longest {:.0} km \
         through {} vertices",
        slowest * 1e3,
        longest.length_m / 1e3,
        longest.vertices.len()
    );

    let t = Instant::now();
    let ctx = LedgerContext::new(&atlas);
    let ctx_s = t.elapsed().as_secs_f64();
    let line: Vec<(f64, f64)> = longest.vertices.iter().map(|v| (v.lon, v.lat)).collect();
    let t = Instant::now();
    let ledger = compute_ledger(&line, None, &ctx, &LedgerSettings::default());
    let ledger_s = t.elapsed().as_secs_f64();
    let land_m = ledger.length_m - ledger.sea_m;
    eprintln!(
        "ledger: context in {:.0} ms ({} tracks); the longest trace's ledger in {:.0} ms: \
         {:.0} km, {:.0} km existing of {:.0} km on land, {} runs",
        ctx_s * 1e3,
        ctx.sizes().1,
        ledger_s * 1e3,
        ledger.length_m / 1e3,
        ledger.existing_m / 1e3,
        land_m / 1e3,
        ledger.track_runs.len()
    );
    assert!(
        ledger.existing_m > 0.97 * land_m,
        "a traced line is on track"
    );
    let t = Instant::now();
    let reused_m = graph.reused_length_m(&longest.vertices, 2000.0);
    eprintln!(
        "reused length of the longest trace: {:.0} km in {:.0} ms",
        reused_m / 1e3,
        t.elapsed().as_secs_f64() * 1e3
    );
    assert!(reused_m > 0.97 * longest.length_m);
}
