//! Tests of tracing along the rail network.

// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use super::RailGraph;
use super::build::without_strays;
use crate::data::feature::Feature;
use crate::map::layer::{Layer, LayerKind};
use crate::plan::scenario::model::Vertex;
use geo::{Distance, Geodesic, LineString, Point};
use serde_json::json;

fn line(name: &str, coords: &[(f64, f64)]) -> Feature {
    let serde_json::Value::Object(props) = json!({ "name": name }) else {
        unreachable!("literal object")
    };
    Feature::new(LineString::from(coords.to_vec()).into(), props)
}

fn layer(features: Vec<Feature>) -> Layer {
    Layer::new(LayerKind::Rail, "rail", "Rail", "", features)
}

#[test]
fn vertices_within_the_merge_distance_become_one_node() {
    // (62, 30.0002) is about 22 m north of (62, 30): one node. (62, 30.001) is ~111 m.
    let l = layer(vec![
        line("a", &[(61.0, 30.0), (62.0, 30.0)]),
        line("b", &[(62.0, 30.0002), (63.0, 30.0)]),
        line("c", &[(62.0, 30.001), (62.0, 31.0)]),
    ]);
    let g = RailGraph::build(&[&l]);
    assert_eq!(g.node_count(), 5);
    assert_eq!(g.edge_count(), 3);
}

#[test]
fn shared_stretches_give_one_edge() {
    let l = layer(vec![
        line("x", &[(61.0, 30.0), (62.0, 30.0), (63.0, 30.0)]),
        line("y", &[(62.0, 30.0), (63.0, 30.0), (64.0, 30.0)]),
    ]);
    let g = RailGraph::build(&[&l]);
    assert_eq!(g.edge_count(), 3);
}

#[test]
fn spikes_and_duplicates_are_removed() {
    let v = |lon: f64| Vertex::new(lon, 30.0);
    let cleaned = without_strays(vec![v(1.0), v(1.0), v(2.0), v(1.0), v(3.0), v(3.0)]);
    let lons: Vec<f64> = cleaned.iter().map(|v| v.lon).collect();
    assert_eq!(lons, vec![1.0, 3.0]);
}

#[test]
fn a_point_far_from_track_does_not_trace() {
    let l = layer(vec![line("a", &[(61.0, 30.0), (62.0, 30.0)])]);
    let g = RailGraph::build(&[&l]);
    assert!(g.trace((61.5, 30.5), (61.8, 30.0)).is_none());
    assert!(g.trace((61.2, 30.0), (61.8, 30.0)).is_some());
}

#[test]
fn only_ends_and_shared_vertices_are_junctions() {
    // A 5-vertex line with a branch leaving from its middle vertex, and a second line
    // crossing it at a vertex they share: junctions are the 2 + 2 + 2 ends, the branch
    // point and the shared crossing vertex.
    let l = layer(vec![
        line(
            "main",
            &[
                (60.0, 30.0),
                (60.1, 30.0),
                (60.2, 30.0),
                (60.3, 30.0),
                (60.4, 30.0),
            ],
        ),
        line("branch", &[(60.2, 30.0), (60.2, 30.1), (60.2, 30.2)]),
        line("cross", &[(60.3, 29.9), (60.3, 30.0), (60.3, 30.1)]),
    ]);
    let g = RailGraph::build(&[&l]);
    // Nodes: main ends (2), (60.2, 30) and (60.3, 30) shared, branch end, cross ends (2).
    assert_eq!(g.junction_count(), 7);
    // main: 3 stretches; branch: 1 (two segments); cross: 2.
    assert_eq!(g.stretch_count(), 6);
    // Vertices: 7 junctions + (60.1, 30) + (60.2, 30.1).
    assert_eq!(g.node_count(), 9);
    assert_eq!(g.edge_count(), 4 + 2 + 2);
    // Main line west end to branch end: the route turns at the branch point and passes
    // the branch's inner vertex.
    let path = g.trace((60.0, 30.0), (60.2, 30.2)).expect("connected");
    let lonlats: Vec<(f64, f64)> = path.vertices.iter().map(|v| (v.lon, v.lat)).collect();
    let expected = [
        (60.0, 30.0),
        (60.1, 30.0),
        (60.2, 30.0),
        (60.2, 30.1),
        (60.2, 30.2),
    ];
    assert_eq!(lonlats.len(), expected.len(), "{lonlats:?}");
    for (g, e) in lonlats.iter().zip(expected) {
        assert!(
            (g.0 - e.0).abs() < 1e-9 && (g.1 - e.1).abs() < 1e-9,
            "{lonlats:?}"
        );
    }
    // A point in the middle of a stretch: the path runs through the stretch's vertices.
    let path = g.trace((60.05, 30.0), (60.25, 30.0)).expect("connected");
    let lons: Vec<f64> = path.vertices.iter().map(|v| v.lon).collect();
    assert_eq!(lons.len(), 4, "{lons:?}");
    assert!((lons[1] - 60.1).abs() < 1e-12 && (lons[2] - 60.2).abs() < 1e-12);
}

#[test]
fn two_points_on_one_long_stretch_keep_the_vertices_between_them() {
    let l = layer(vec![line(
        "a",
        &[
            (60.0, 30.0),
            (60.1, 30.05),
            (60.2, 30.0),
            (60.3, 30.05),
            (60.4, 30.0),
        ],
    )]);
    let g = RailGraph::build(&[&l]);
    assert_eq!(g.stretch_count(), 1);
    let path = g
        .trace((60.35, 30.025), (60.05, 30.025))
        .expect("same stretch");
    let lons: Vec<f64> = path.vertices.iter().map(|v| v.lon).collect();
    assert_eq!(lons.len(), 5, "{lons:?}");
    assert!((lons[1] - 60.3).abs() < 1e-12);
    assert!((lons[2] - 60.2).abs() < 1e-12);
    assert!((lons[3] - 60.1).abs() < 1e-12);
}

/// Geodesic length of a polyline (GeographicLib's algorithm via `geo`), the reference.
fn geodesic_m(coords: &[(f64, f64)]) -> f64 {
    coords
        .windows(2)
        .map(|w| Geodesic.distance(Point::from(w[0]), Point::from(w[1])))
        .sum()
}

#[test]
fn the_shorter_of_two_ways_wins_even_with_more_edges() {
    // A to B: a direct line bowing far north (one edge), or a southern way in three
    // edges that is shorter.
    let north = [(60.0, 30.0), (60.5, 31.0), (61.0, 30.0)];
    let south = [(60.0, 30.0), (60.3, 29.9), (60.7, 29.9), (61.0, 30.0)];
    let l = layer(vec![
        line("north", &north),
        line("s1", &south[0..2]),
        line("s2", &south[1..3]),
        line("s3", &south[2..4]),
    ]);
    let g = RailGraph::build(&[&l]);
    let path = g.trace((60.0, 30.0), (61.0, 30.0)).expect("connected");
    let expected = geodesic_m(&south);
    assert!(expected < geodesic_m(&north));
    assert!(
        (path.length_m - expected).abs() < 1e-6 * expected,
        "{} vs {expected}",
        path.length_m
    );
    assert!(path.vertices.iter().all(|v| v.lat < 30.0 + 1e-9));
}

#[test]
fn around_the_loop_beats_running_the_long_edge() {
    // A loop: one long stretch from J1 round the north back to J2, and a short link J2-J1.
    // Two points near the ends of the long stretch are closer via the short link.
    let long = [(60.0, 30.0), (60.0, 31.0), (61.0, 31.0), (61.0, 30.0)];
    let short = [(61.0, 30.0), (60.0, 30.0)];
    let l = layer(vec![line("long", &long), line("short", &short)]);
    let g = RailGraph::build(&[&l]);
    let (from, to) = ((60.0, 30.1), (61.0, 30.1));
    let path = g.trace(from, to).expect("connected");
    let expected = geodesic_m(&[from, (60.0, 30.0), (61.0, 30.0), to]);
    assert!(
        (path.length_m - expected).abs() < 1e-6 * expected,
        "{} vs {expected}",
        path.length_m
    );
    // And along the edge when that is shorter: two points close together on it.
    let path = g.trace((60.0, 30.5), (60.0, 30.8)).expect("same edge");
    let expected = geodesic_m(&[(60.0, 30.5), (60.0, 30.8)]);
    assert!((path.length_m - expected).abs() < 1e-6 * expected);
}
