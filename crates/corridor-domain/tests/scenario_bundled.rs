//! Snapping and tracing on the data the app ships (`Atlas::load_bundled`). The bundled rail
//! network is curated from the same sources as `tests/fixtures/scenario/corridor_rail.geojson`
//! (see `scenario_snap_trace.rs` for exact `GeographicLib` comparisons on that fixture); here
//! the checks are the ones a user would make on the map.
// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use std::sync::OnceLock;

use corridor_domain::map::mercator::{world_from_lonlat, world_per_px};
use corridor_domain::plan::scenario::model::SnapRef;
use corridor_domain::plan::snap::{default_track_layers, snap};
use corridor_domain::plan::trace::RailGraph;
use corridor_domain::{Atlas, Feature};
use geo::{Bearing, Destination, Distance, Geodesic, Geometry, InterpolatePoint, Point};

fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(Atlas::load_bundled)
}

fn layer_features(id: &str) -> &'static [Feature] {
    let a = atlas();
    let i = a
        .layer_index(id)
        .unwrap_or_else(|| panic!("layer {id} is bundled"));
    &a.layers[i].features
}

fn point_named(layer: &str, name: &str) -> Point<f64> {
    layer_features(layer)
        .iter()
        .find(|f| f.name() == Some(name))
        .and_then(|f| match f.geometry {
            Geometry::Point(p) => Some(p),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{name} is a point in layer {layer}"))
}

/// 12 px at zoom 8, the app's default snapping tolerance at a regional zoom (~6 km here).
fn tolerance_world() -> f64 {
    12.0 * world_per_px(8.0)
}

#[test]
fn a_point_3_km_from_herat_snaps_to_herat() {
    let herat = point_named("cities", "Herat");
    let at = Geodesic.destination(herat, 135.0, 3000.0);
    let s = snap(
        atlas(),
        world_from_lonlat(at.x(), at.y()),
        tolerance_world(),
        |_| true,
    )
    .expect("snaps");
    match &s.target {
        SnapRef::Place { name, .. } => assert_eq!(name, "Herat"),
        other @ SnapRef::Rail { .. } => panic!("expected Herat, got {other:?}"),
    }
    assert!(Geodesic.distance(Point::new(s.lon, s.lat), herat) < 1.0);
}

/// A point 2 km off the middle of the longest segment of the bundled line whose name holds
/// `a` and `b`, at right angles to it; and that line. (The longest, so that the point lies
/// clear of the line's other segments and of the lines meeting it at its ends.)
fn beside_line(a: &str, b: &str) -> (Point<f64>, Point<f64>, corridor_domain::Feature) {
    let line = layer_features("rail")
        .iter()
        .find(|f| f.name().is_some_and(|n| n.contains(a) && n.contains(b)))
        .cloned()
        .unwrap_or_else(|| panic!("a bundled rail line from {a} to {b}"));
    let Geometry::LineString(ls) = &line.geometry else {
        panic!("{a}–{b} is a LineString");
    };
    let (p, q) = ls
        .lines()
        .map(|l| (Point::from(l.start), Point::from(l.end)))
        .max_by(|(a, b), (c, d)| {
            Geodesic
                .distance(*a, *b)
                .total_cmp(&Geodesic.distance(*c, *d))
        })
        .expect("a segment");
    let mid = Geodesic.point_at_ratio_between(p, q, 0.5);
    let bearing = Geodesic.bearing(mid, q);
    (Geodesic.destination(mid, bearing + 90.0, 2000.0), mid, line)
}

#[test]
fn a_point_beside_the_torghundi_herat_line_snaps_onto_it() {
    // Torghundi–Herat is under construction: track by the default rule.
    let (beside, mid, line) = beside_line("Torghundi", "Herat");
    let s = snap(
        atlas(),
        world_from_lonlat(beside.x(), beside.y()),
        tolerance_world(),
        |_| true,
    )
    .expect("snaps");
    assert_eq!(
        s.target,
        SnapRef::Rail {
            layer: "rail".into(),
            line: line.name().unwrap_or_default().into()
        }
    );
    let snapped = Point::new(s.lon, s.lat);
    assert!((Geodesic.distance(snapped, beside) - 2000.0).abs() < 100.0);
    assert!(
        Geodesic.distance(snapped, mid) < 100.0,
        "onto the line, not a vertex"
    );
}

#[test]
fn a_point_beside_the_proposed_herat_kandahar_line_does_not_snap_onto_it() {
    // Herat–Kandahar is proposed: not track (the ledger would not count it as reused), so a
    // vertex beside it is not "on existing rail".
    let (beside, _, line) = beside_line("Herat", "Kandahar");
    let s = snap(
        atlas(),
        world_from_lonlat(beside.x(), beside.y()),
        tolerance_world(),
        |_| true,
    );
    let onto_it = SnapRef::Rail {
        layer: "rail".into(),
        line: line.name().unwrap_or_default().into(),
    };
    assert!(s.as_ref().is_none_or(|s| s.target != onto_it), "{s:?}");
}

#[test]
fn tracing_karachi_to_peshawar_follows_ml1() {
    let graph = RailGraph::from_atlas(atlas(), &default_track_layers(atlas()));
    let karachi = point_named("cities", "Karachi");
    let peshawar = point_named("cities", "Peshawar");
    let path = graph
        .trace((karachi.x(), karachi.y()), (peshawar.x(), peshawar.y()))
        .expect("ML-1 connects Karachi and Peshawar");
    // Passes through Rohri, Multan, Lahore and Rawalpindi, in that order.
    let mut last = 0;
    for name in ["Rohri", "Multan", "Lahore", "Rawalpindi"] {
        let p = point_named("cities", name);
        let i = path
            .vertices
            .iter()
            .position(|v| Geodesic.distance(v.point(), p) < 1000.0)
            .unwrap_or_else(|| panic!("the route passes {name}"));
        assert!(i > last, "{name} out of order");
        last = i;
    }
    // The published line length is 1,726 km (Ministry of Railways, 2026); the bundled line is
    // drawn through ML-1's stations (geodata/README.md) and should measure within ±5 % of it.
    let ratio = path.length_m / 1_726_000.0;
    assert!((0.95..=1.05).contains(&ratio), "{} m", path.length_m);
}
