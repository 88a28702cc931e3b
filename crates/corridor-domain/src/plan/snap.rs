//! Snapping a vertex while drawing: to a named place if one is near the cursor, else onto
//! existing track. Tolerances are in world units (see [`crate::map::mercator`]) so that a
//! tolerance in screen pixels (QGIS-style) converts with one multiplication at any zoom.
//!
//! Places win over track because a station or border crossing is what a planner aims at; a
//! line through a city would otherwise steal the click. On track, the snapped position is the
//! projection onto the nearest segment, not the nearest vertex: bundled lines are long chords,
//! and a vertex could be hundreds of kilometres away.

use geo::{Coord, Geometry};

use crate::atlas::bundled::Atlas;
use crate::data::feature::Feature;
use crate::map::index::{Part, nearest_on_segment, visit};
use crate::map::layer::LayerKind;
use crate::map::mercator::{WorldPoint, lonlat_from_world, world_from_lonlat};
use crate::plan::scenario::model::SnapRef;
use crate::rail::ReuseRule;

/// Where a vertex snapped to.
#[derive(Clone, Debug, PartialEq)]
pub struct Snap {
    pub lon: f64,
    pub lat: f64,
    pub target: SnapRef,
    /// Distance from the cursor to the snapped position, in world units.
    pub distance_world: f64,
}

/// Layer kinds whose points are named places a vertex can snap to.
fn is_place_layer(kind: LayerKind) -> bool {
    matches!(
        kind,
        LayerKind::Cities | LayerKind::Ports | LayerKind::RailPoints
    )
}

/// Which place layer wins when two places are equally near (lower wins).
fn place_priority(kind: LayerKind) -> u8 {
    match kind {
        LayerKind::Cities => 0,
        LayerKind::Ports => 1,
        _ => 2,
    }
}

/// What a rail line without a `name` is called in snaps, traces and the ledger (OSM ways are
/// often unnamed).
pub const UNNAMED_LINE: &str = "(unnamed line)";

/// The name a snap or a trace gives a line: its `name` (or `title`), else [`UNNAMED_LINE`].
#[must_use]
pub fn line_name(f: &Feature) -> &str {
    f.name().unwrap_or(UNNAMED_LINE)
}

/// The layers treated as track by default: every layer flagged [`Layer::is_track`], i.e. the
/// bundled rail and imported networks that look like rail. A large import is several layers
/// (parts) with one id; each is listed.
///
/// [`Layer::is_track`]: crate::map::layer::Layer::is_track
#[must_use]
pub fn default_track_layers(atlas: &Atlas) -> Vec<usize> {
    atlas
        .layers
        .iter()
        .enumerate()
        .filter(|(_, l)| l.is_track)
        .map(|(i, _)| i)
        .collect()
}

/// Snap `at` using every track layer as track (see [`snap_with_tracks`] and
/// [`default_track_layers`]).
#[must_use]
pub fn snap(
    atlas: &Atlas,
    at: WorldPoint,
    tolerance_world: f64,
    layer_visible: impl Fn(usize) -> bool,
) -> Option<Snap> {
    snap_with_tracks(
        atlas,
        at,
        tolerance_world,
        &default_track_layers(atlas),
        layer_visible,
    )
}

/// Snap `at`: the nearest named place (cities, ports, rail points) within `tolerance_world`
/// on a visible layer; else the nearest point on a track line (the one rule, default
/// [`ReuseRule`]: in service or under construction; not proposed, out of use or a ferry) of a
/// visible layer listed in `track_layers` (e.g. the bundled rail plus an imported OSM
/// network); else `None`.
#[must_use]
pub fn snap_with_tracks(
    atlas: &Atlas,
    at: WorldPoint,
    tolerance_world: f64,
    track_layers: &[usize],
    layer_visible: impl Fn(usize) -> bool,
) -> Option<Snap> {
    if !(tolerance_world.is_finite() && tolerance_world >= 0.0) {
        return None;
    }
    let place = atlas
        .layers
        .iter()
        .enumerate()
        .filter(|&(i, l)| is_place_layer(l.kind) && layer_visible(i))
        .filter_map(|(i, l)| l.index.nearest_point(at, tolerance_world).map(|h| (i, h)))
        // On a tie (a gauge-break or border point placed on a city centre) the city wins:
        // it is the name a planner aims at.
        .min_by(|a, b| {
            a.1.distance.total_cmp(&b.1.distance).then_with(|| {
                place_priority(atlas.layers[a.0].kind).cmp(&place_priority(atlas.layers[b.0].kind))
            })
        });
    if let Some((layer_index, hit)) = place {
        let layer = &atlas.layers[layer_index];
        let feature = layer.features.get(hit.feature)?;
        if let Some((lon, lat)) = nearest_point_of(&feature.geometry, at) {
            return Some(Snap {
                lon,
                lat,
                target: SnapRef::Place {
                    layer: layer.id.clone(),
                    name: feature.name().unwrap_or_default().to_string(),
                },
                distance_world: hit.distance,
            });
        }
    }
    track_layers
        .iter()
        .copied()
        .filter(|&i| layer_visible(i))
        .filter_map(|i| {
            let layer = atlas.layers.get(i)?;
            let rule = ReuseRule::default();
            let hit = layer.nearest_line_where(at, tolerance_world, |fi| {
                layer.features.get(fi).is_some_and(|f| rule.is_track(f))
            })?;
            let feature = layer.features.get(hit.feature)?;
            let lines = layer.lod.full().shape(hit.feature).lines();
            let (world, distance) = closest_on_lines(lines, at)?;
            let (lon, lat) = lonlat_from_world(world);
            Some(Snap {
                lon,
                lat,
                target: SnapRef::Rail {
                    layer: layer.id.clone(),
                    line: line_name(feature).to_owned(),
                },
                distance_world: distance,
            })
        })
        .min_by(|a, b| a.distance_world.total_cmp(&b.distance_world))
}

/// Lon/lat of the point part of `g` nearest to `at` (a `MultiPoint` has several).
fn nearest_point_of(g: &Geometry<f64>, at: WorldPoint) -> Option<(f64, f64)> {
    let mut best: Option<(f64, Coord<f64>)> = None;
    visit(g, &mut |part| {
        if let Part::Point(c) = part {
            let w = world_from_lonlat(c.x, c.y);
            let d2 = (w[0] - at[0]).powi(2) + (w[1] - at[1]).powi(2);
            if best.is_none_or(|(b, _)| d2 < b) {
                best = Some((d2, c));
            }
        }
    });
    best.map(|(_, c)| (c.x, c.y))
}

/// The point of `lines` (world units: the feature's full-detail lines, already projected)
/// nearest to `at`, measured in world units (as on screen), and its distance. Only this one
/// feature's segments are examined: the R-tree already chose the feature.
fn closest_on_lines<'a>(
    lines: impl Iterator<Item = &'a [WorldPoint]>,
    at: WorldPoint,
) -> Option<(WorldPoint, f64)> {
    let mut best: Option<(f64, WorldPoint)> = None;
    let mut consider = |p: WorldPoint| {
        let d = (p[0] - at[0]).hypot(p[1] - at[1]);
        if best.is_none_or(|(b, _)| d < b) {
            best = Some((d, p));
        }
    };
    for line in lines {
        match line {
            [only] => consider(*only),
            _ => line
                .windows(2)
                .for_each(|w| consider(nearest_on_segment(at, w[0], w[1]))),
        }
    }
    best.map(|(d, p)| (p, d))
}

#[cfg(test)]
// Tests state what they expect with `expect("why")`; a failure message is the point.
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::data::feature::Feature;
    use crate::map::layer::Layer;
    use geo::{line_string, point};
    use serde_json::json;

    fn named(g: impl Into<Geometry<f64>>, name: &str) -> Feature {
        let serde_json::Value::Object(props) = json!({ "name": name }) else {
            unreachable!("literal object")
        };
        Feature::new(g.into(), props)
    }

    /// A city at (65, 30), a border crossing at (66, 30), a rail line along lat 31 from
    /// lon 60 to 70 and an imported line along lat 32.
    fn atlas() -> Atlas {
        Atlas {
            layers: vec![
                Layer::new(
                    LayerKind::Rail,
                    "rail",
                    "Rail",
                    "",
                    vec![named(
                        line_string![(x: 60.0, y: 31.0), (x: 70.0, y: 31.0)],
                        "Main line",
                    )],
                )
                .into(),
                Layer::new(
                    LayerKind::Cities,
                    "cities",
                    "Cities",
                    "",
                    vec![named(point!(x: 65.0, y: 30.0), "Midtown")],
                )
                .into(),
                Layer::new(
                    LayerKind::RailPoints,
                    "rail_points",
                    "Rail points",
                    "",
                    vec![named(point!(x: 66.0, y: 30.0), "Border post")],
                )
                .into(),
                Layer::new(
                    LayerKind::Imported,
                    "osm",
                    "OSM",
                    "",
                    vec![named(
                        line_string![(x: 60.0, y: 32.0), (x: 70.0, y: 32.0)],
                        "Branch",
                    )],
                )
                .into(),
            ],
            ..Atlas::default()
        }
    }

    fn w(lon: f64, lat: f64) -> WorldPoint {
        world_from_lonlat(lon, lat)
    }

    /// 0.2° of longitude in world units.
    const TOL: f64 = 0.2 / 360.0;

    #[test]
    fn a_place_within_tolerance_wins() {
        let a = atlas();
        let s = snap(&a, w(65.05, 30.02), TOL, |_| true).expect("snaps");
        assert_eq!(
            s.target,
            SnapRef::Place {
                layer: "cities".into(),
                name: "Midtown".into()
            }
        );
        assert!((s.lon - 65.0).abs() < 1e-12 && (s.lat - 30.0).abs() < 1e-12);
        let s = snap(&a, w(65.9, 30.0), TOL, |_| true).expect("snaps");
        assert_eq!(
            s.target,
            SnapRef::Place {
                layer: "rail_points".into(),
                name: "Border post".into()
            }
        );
    }

    #[test]
    fn beside_a_line_snaps_onto_the_line_between_its_vertices() {
        let a = atlas();
        let s = snap(&a, w(63.3, 31.1), TOL, |_| true).expect("snaps");
        assert_eq!(
            s.target,
            SnapRef::Rail {
                layer: "rail".into(),
                line: "Main line".into()
            }
        );
        // The projection of (63.3, 31.1) onto the parallel lat 31 keeps the longitude.
        assert!((s.lon - 63.3).abs() < 1e-9, "{s:?}");
        assert!((s.lat - 31.0).abs() < 1e-9, "{s:?}");
    }

    #[test]
    fn hidden_layers_and_distant_points_do_not_snap() {
        let a = atlas();
        assert!(snap(&a, w(63.0, 33.5), TOL, |_| true).is_none());
        let s = snap(&a, w(65.05, 30.02), TOL, |i| i != 1);
        assert!(s.is_none(), "city layer hidden, nothing else near: {s:?}");
    }

    #[test]
    fn extra_track_layers_are_snapped_to_when_listed() {
        let a = atlas();
        let near_branch = w(61.0, 32.05);
        assert!(snap(&a, near_branch, TOL, |_| true).is_none());
        let s = snap_with_tracks(&a, near_branch, TOL, &[0, 3], |_| true).expect("snaps");
        assert_eq!(
            s.target,
            SnapRef::Rail {
                layer: "osm".into(),
                line: "Branch".into()
            }
        );
    }
}
