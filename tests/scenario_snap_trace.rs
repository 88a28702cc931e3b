//! Snapping and tracing, checked against lengths computed independently with `GeographicLib`
//! (Python `geographiclib` 2.1, WGS84 `Inverse`/`Direct`), on a small synthetic network and on
//! the curated corridor network (`tests/fixtures/scenario/corridor_*.geojson`, a subset of the
//! project's curated rail data: straight chords between named nodes).
// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use std::sync::OnceLock;

use corridor_domain::atlas::bundled::layer_from_geojson;
use corridor_domain::map::mercator::{world_from_lonlat, world_per_px};
use corridor_domain::plan::scenario::model::{SnapRef, Vertex};
use corridor_domain::plan::snap::{default_track_layers, snap};
use corridor_domain::plan::trace::{RailGraph, TracedPath};
use corridor_domain::{Atlas, Feature, Layer, LayerKind};
use geo::{Distance, Geodesic, LineString, Point};

// ---------------------------------------------------------------------------------------
// Synthetic network (all on or near latitude 30° N):
//
//            E (61.5, 30.8)
//          /               \            "Loop": B–E–D, the longer way round
//   A ---- B ------ C ------ D           "Main west": A–B–C, "Main east": C–D
//                   |                    "Spur": starts at C' 22 m north of C, runs to F
//                   F (62, 29)
//   plus an isolated "Island" line far away.
// ---------------------------------------------------------------------------------------

fn line(name: &str, coords: &[(f64, f64)]) -> Feature {
    let mut props = serde_json::Map::new();
    props.insert("name".into(), name.into());
    Feature::new(LineString::from(coords.to_vec()).into(), props)
}

fn synthetic() -> Layer {
    Layer::new(
        LayerKind::Rail,
        "rail",
        "Rail",
        "",
        vec![
            line("Main west", &[(60.0, 30.0), (61.0, 30.0), (62.0, 30.0)]),
            line("Main east", &[(62.0, 30.0), (63.0, 30.0)]),
            line("Loop", &[(61.0, 30.0), (61.5, 30.8), (63.0, 30.0)]),
            line("Spur", &[(62.0, 30.0002), (62.0, 29.0)]),
            line("Island", &[(70.0, 40.0), (71.0, 40.0)]),
        ],
    )
}

// GeographicLib WGS84 geodesic distances (m) between the points named.
const P_B_M: f64 = 48_243.101_855; // (60.5, 30) – B (61, 30)
const B_C_M: f64 = 96_485.974_084; // B – C (62, 30)
const C_Q_M: f64 = 55_424.121_816; // C – (62, 29.5)
const C_D_M: f64 = 96_485.974_084; // C – D (63, 30)
const E_D_M: f64 = 169_240.594_471; // E (61.5, 30.8) – D
const B_E_M: f64 = 100_866.388_128; // B – E
const MID_EDGE_M: f64 = 57_891.702_019; // (61.2, 30) – (61.8, 30)
const P_TO_C_CHORD_M: f64 = 144_728.387_034; // (60.5, 30) – (62, 30), one geodesic

fn lonlats(path: &TracedPath) -> Vec<(f64, f64)> {
    path.vertices.iter().map(|v| (v.lon, v.lat)).collect()
}

fn assert_vertices(path: &TracedPath, expected: &[(f64, f64)]) {
    let got = lonlats(path);
    assert_eq!(
        got.len(),
        expected.len(),
        "vertices {got:?}, expected {expected:?}"
    );
    for (g, e) in got.iter().zip(expected) {
        assert!(
            (g.0 - e.0).abs() < 1e-9 && (g.1 - e.1).abs() < 1e-9,
            "vertices {got:?}, expected {expected:?}"
        );
    }
}

/// No vertex repeats and no two consecutive vertices coincide (QGIS's stray vertices).
fn assert_no_strays(path: &TracedPath) {
    let pts = lonlats(path);
    for (i, a) in pts.iter().enumerate() {
        for b in &pts[i + 1..] {
            assert!(
                Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1)) > 1.0,
                "repeated vertex {a:?} in {pts:?}"
            );
        }
    }
}

#[test]
fn synthetic_network_merges_split_lines_at_shared_and_near_endpoints() {
    let layer = synthetic();
    let graph = RailGraph::build(&[&layer]);
    // A B C D E F + C' merged into C + two island nodes = 8; edges AB BC CD BE ED CF + island.
    assert_eq!(graph.node_count(), 8);
    assert_eq!(graph.edge_count(), 7);
}

#[test]
fn trace_between_mid_edge_points_follows_the_shortest_route() {
    let layer = synthetic();
    let graph = RailGraph::build(&[&layer]);
    let path = graph
        .trace((60.5, 30.0), (62.0, 29.5))
        .expect("both points are on connected track");
    assert_vertices(
        &path,
        &[(60.5, 30.0), (61.0, 30.0), (62.0, 30.0), (62.0, 29.5)],
    );
    assert!(
        (path.length_m - (P_B_M + B_C_M + C_Q_M)).abs() < 0.01,
        "{}",
        path.length_m
    );
    assert_no_strays(&path);
    let lines: Vec<String> = path
        .vertices
        .iter()
        .map(|v| match &v.snap {
            Some(SnapRef::Rail { line, .. }) => line.clone(),
            other => panic!("traced vertex not snapped to rail: {other:?}"),
        })
        .collect();
    assert_eq!(lines, ["Main west", "Main west", "Main west", "Spur"]);
}

#[test]
fn trace_takes_the_main_line_not_the_longer_loop() {
    let layer = synthetic();
    let graph = RailGraph::build(&[&layer]);
    let path = graph.trace((61.0, 30.0), (63.0, 30.0)).expect("connected");
    assert_vertices(&path, &[(61.0, 30.0), (62.0, 30.0), (63.0, 30.0)]);
    assert!((path.length_m - (B_C_M + C_D_M)).abs() < 0.01);
    // The loop B–E–D (270.1 km) is longer than B–C–D (193.0 km); from E it is the way.
    let from_loop = graph.trace((61.5, 30.8), (63.0, 30.0)).expect("connected");
    assert_vertices(&from_loop, &[(61.5, 30.8), (63.0, 30.0)]);
    assert!((from_loop.length_m - E_D_M).abs() < 0.01);
    let to_b = graph.trace((61.5, 30.8), (61.0, 30.0)).expect("connected");
    assert_vertices(&to_b, &[(61.5, 30.8), (61.0, 30.0)]);
    assert!((to_b.length_m - B_E_M).abs() < 0.01);
}

#[test]
fn endpoints_next_to_a_node_give_no_spikes() {
    let layer = synthetic();
    let graph = RailGraph::build(&[&layer]);
    // 9.6 m east of B, back west past B onto A–B: the route must turn at B, not run to C.
    let path = graph
        .trace((61.0001, 30.0), (60.5, 30.0))
        .expect("connected");
    assert_vertices(&path, &[(61.0001, 30.0), (61.0, 30.0), (60.5, 30.0)]);
    assert_no_strays(&path);
    // Starting exactly on a node gives that node once, not twice.
    let path = graph.trace((62.0, 30.0), (60.5, 30.0)).expect("connected");
    assert_vertices(&path, &[(62.0, 30.0), (61.0, 30.0), (60.5, 30.0)]);
    // Both points on one edge: a straight piece of that edge.
    let path = graph.trace((61.2, 30.0), (61.8, 30.0)).expect("same edge");
    assert_vertices(&path, &[(61.2, 30.0), (61.8, 30.0)]);
    assert!((path.length_m - MID_EDGE_M).abs() < 0.01);
}

#[test]
fn disconnected_or_off_network_points_do_not_trace() {
    let layer = synthetic();
    let graph = RailGraph::build(&[&layer]);
    assert!(graph.trace((60.5, 30.0), (70.5, 40.0)).is_none(), "island");
    assert!(
        graph.trace((60.5, 31.0), (62.5, 30.0)).is_none(),
        "111 km off"
    );
    // Within the tolerance the endpoint is moved onto the track (998 m south of here).
    let path = graph
        .trace_within((60.5, 30.009), (61.0, 30.0), 1500.0)
        .expect("within 1.5 km");
    assert!((path.vertices[0].lat - 30.0).abs() < 1e-9);
    assert!(
        graph
            .trace_within((60.5, 30.009), (61.0, 30.0), 500.0)
            .is_none()
    );
}

#[test]
fn reused_length_counts_only_track_running_alongside() {
    let layer = synthetic();
    let graph = RailGraph::build(&[&layer]);
    // Along the main line from (60.5, 30) to C, then diagonally north-east away from it.
    let drawn = [
        Vertex::new(60.5, 30.0),
        Vertex::new(62.0, 30.0),
        Vertex::new(62.5, 30.5),
    ];
    let reused_m = graph.reused_length_m(&drawn, 2000.0);
    assert!(
        (reused_m - P_TO_C_CHORD_M).abs() < 1.0,
        "reused {reused_m} m, expected {P_TO_C_CHORD_M} m"
    );
    // A line ~1 km north of the track (GeographicLib: 997.7 m) counts at 2 km, not at 500 m.
    let parallel = [Vertex::new(60.5, 30.009), Vertex::new(61.5, 30.009)];
    let full_m = 96_477.266_424; // GeographicLib (60.5, 30.009) – (61.5, 30.009)
    assert!((graph.reused_length_m(&parallel, 2000.0) - full_m).abs() < 1.0);
    assert!(graph.reused_length_m(&parallel, 500.0).abs() < 1e-9);
    // Crossing the track at right angles reuses nothing.
    let crossing = [Vertex::new(61.5, 29.5), Vertex::new(61.5, 30.5)];
    assert!(graph.reused_length_m(&crossing, 2000.0) < 1e-9);
}

// ---------------------------------------------------------------------------------------
// The curated corridor network.
// ---------------------------------------------------------------------------------------

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/scenario/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// An atlas of the corridor fixture: places split into cities, ports and rail points the way
/// the bundled layers are, and the rail lines.
fn corridor_atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| {
        let places = corridor_domain::parse_features(&fixture("corridor_places.geojson"))
            .expect("places fixture parses");
        let of_kind = |kinds: &[&str]| -> Vec<Feature> {
            places
                .features
                .iter()
                .filter(|f| f.str("kind").is_some_and(|k| kinds.contains(&k)))
                .cloned()
                .collect()
        };
        let rail = layer_from_geojson(
            LayerKind::Rail,
            "rail",
            "Rail",
            "",
            "corridor_rail.geojson",
            &fixture("corridor_rail.geojson"),
        )
        .expect("rail fixture parses");
        let mut atlas = Atlas::default();
        for layer in [
            rail,
            Layer::new(
                LayerKind::RailPoints,
                "rail_points",
                "",
                "",
                of_kind(&["junction", "border", "pass"]),
            ),
            Layer::new(LayerKind::Ports, "ports", "", "", of_kind(&["port"])),
            Layer::new(LayerKind::Cities, "cities", "", "", of_kind(&["city"])),
        ] {
            atlas.layers.push(layer.into());
        }
        atlas
    })
}

fn corridor_graph() -> &'static RailGraph {
    static GRAPH: OnceLock<RailGraph> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let atlas = corridor_atlas();
        RailGraph::from_atlas(atlas, &default_track_layers(atlas))
    })
}

/// A named node's position, from the places fixture.
fn place(name: &str) -> (f64, f64) {
    corridor_atlas()
        .layers
        .iter()
        .filter(|l| l.kind != LayerKind::Rail)
        .flat_map(|l| l.features.iter())
        .find(|f| f.name() == Some(name))
        .and_then(|f| match f.geometry {
            geo::Geometry::Point(p) => Some((p.x(), p.y())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{name} is in the places fixture"))
}

/// The traced path visits exactly these named nodes, in this order.
fn assert_visits(path: &TracedPath, names: &[&str]) {
    let expected: Vec<(f64, f64)> = names.iter().map(|n| place(n)).collect();
    let got = lonlats(path);
    assert_eq!(
        got.len(),
        expected.len(),
        "path {got:?} should visit {names:?}"
    );
    for ((g, e), name) in got.iter().zip(&expected).zip(names) {
        assert!(
            (g.0 - e.0).abs() < 1e-9 && (g.1 - e.1).abs() < 1e-9,
            "expected {name} at {e:?}, got {g:?}"
        );
    }
}

#[test]
fn ml1_karachi_to_peshawar_follows_ml1_through_its_stations() {
    let path = corridor_graph()
        .trace(place("Karachi"), place("Peshawar"))
        .expect("ML-1 connects them");
    assert_visits(
        &path,
        &[
            "Karachi",
            "Kotri",
            "Hyderabad",
            "Nawabshah",
            "Rohri",
            "Rahim Yar Khan",
            "Khanpur",
            "Bahawalpur",
            "Lodhran",
            "Multan",
            "Khanewal",
            "Sahiwal",
            "Okara",
            "Raiwind",
            "Lahore",
            "Gujranwala",
            "Jhelum",
            "Rawalpindi",
            "Attock",
            "Nowshera",
            "Peshawar",
        ],
    );
    // Sum of the 20 segments' WGS84 geodesic lengths, GeographicLib (Python), summed there.
    let expected_m = 1_570_740.050_173;
    assert!(
        (path.length_m - expected_m).abs() < 0.05,
        "{} m vs {expected_m} m",
        path.length_m
    );
}

#[test]
fn termez_to_naibabad_crosses_at_hairatan() {
    let path = corridor_graph()
        .trace(
            place("Termez"),
            place("Naibabad (Mazar-i-Sharif rail terminal)"),
        )
        .expect("connected");
    assert_visits(
        &path,
        &[
            "Termez",
            "Hairatan",
            "Naibabad (Mazar-i-Sharif rail terminal)",
        ],
    );
    assert!(
        (path.length_m - 70_468.788_617).abs() < 0.01,
        "{}",
        path.length_m
    );
}

/// The fixture's network as if every line were in service (the planned Afghan links too), to
/// test how the graph joins lines; [`corridor_graph`] keeps the lines' real statuses.
fn all_lines_graph() -> RailGraph {
    let atlas = corridor_atlas();
    let rail = &atlas.layers[default_track_layers(atlas)[0]];
    let existing: Vec<Feature> = rail
        .features
        .iter()
        .map(|f| {
            let mut f = f.clone();
            let mut props = f.properties.to_map();
            props.insert("status".into(), "existing".into());
            f.properties = props.into();
            f
        })
        .collect();
    RailGraph::build(&[&Layer::new(LayerKind::Rail, "rail", "", "", existing)])
}

#[test]
fn herat_to_quetta_is_not_traced_along_planned_lines() {
    // Herat–Kandahar and Kandahar–Chaman are proposed: not track (the one rail rule), so a
    // trace never follows them.
    let path = corridor_graph().trace(place("Herat"), place("Quetta"));
    let kandahar = place("Kandahar");
    assert!(
        path.is_none_or(|p| !lonlats(&p).contains(&kandahar)),
        "traced through Kandahar on proposed lines"
    );
}

#[test]
fn herat_to_quetta_joins_three_lines_and_skips_longer_alternatives() {
    // Herat–Kandahar, Kandahar–Chaman and Chaman–Quetta are separate features meeting at
    // shared endpoints (all in service here); the way round via Iran and Pakistan's ML-4 is
    // longer.
    let path = all_lines_graph()
        .trace(place("Herat"), place("Quetta"))
        .expect("connected");
    assert_visits(
        &path,
        &[
            "Herat",
            "Adraskan",
            "Shindand",
            "Farah",
            "Khash (proxy for Ghorghori, Nimroz)",
            "Lashkar Gah",
            "Kandahar",
            "Spin Boldak",
            "Chaman",
            "Khojak Tunnel (Shelabagh)",
            "Qila Abdullah",
            "Quetta",
        ],
    );
    assert!(
        (path.length_m - 814_701.443_466).abs() < 0.05,
        "{}",
        path.length_m
    );
}

#[test]
fn karachi_to_quetta_takes_ml3_over_the_planned_khuzdar_line() {
    let path = corridor_graph()
        .trace(place("Karachi"), place("Quetta"))
        .expect("connected");
    assert_visits(
        &path,
        &[
            "Karachi",
            "Kotri",
            "Hyderabad",
            "Nawabshah",
            "Rohri",
            "Shikarpur",
            "Jacobabad",
            "Dera Murad Jamali",
            "Sibi",
            "Mach",
            "Quetta",
        ],
    );
    assert!(
        (path.length_m - 754_415.607_713).abs() < 0.05,
        "{}",
        path.length_m
    );
}

/// Snapping tolerance of the app: 12 px at zoom 8 (about 6 km at Herat's latitude).
fn tolerance_world() -> f64 {
    12.0 * world_per_px(8.0)
}

#[test]
fn a_point_3_km_from_herat_snaps_to_herat() {
    // GeographicLib Direct: 3 km due east of Herat (62.1997, 34.3482).
    let at = world_from_lonlat(62.232_307, 34.348_196);
    let s = snap(corridor_atlas(), at, tolerance_world(), |_| true).expect("snaps");
    assert_eq!(
        s.target,
        SnapRef::Place {
            layer: "cities".into(),
            name: "Herat".into()
        }
    );
    assert!((s.lon - 62.1997).abs() < 1e-12 && (s.lat - 34.3482).abs() < 1e-12);
}

#[test]
fn a_point_beside_the_proposed_herat_kandahar_line_does_not_snap_onto_it() {
    // GeographicLib: the geodesic midpoint of Herat–Adraskan is (62.234794, 33.996965);
    // 2 km to its west-south-west, at right angles to the line, is (62.213220, 33.995474).
    // The line is proposed: not track (the one rail rule), so nothing there to snap onto.
    // (Snapping onto track beside a point is tested on the bundled atlas, scenario_bundled.)
    let at = world_from_lonlat(62.213_220, 33.995_474);
    let s = snap(corridor_atlas(), at, tolerance_world(), |_| true);
    let onto_it = SnapRef::Rail {
        layer: "rail".into(),
        line: "Herat - Shindand - Farah - Ghorghori - Lashkar Gah - Kandahar".into(),
    };
    assert!(s.as_ref().is_none_or(|s| s.target != onto_it), "{s:?}");
}
