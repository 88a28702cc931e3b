//! Spatial index over a layer's features, in world units (see [`super::mercator`]).
//!
//! Three R-trees, because the questions differ: feature envelopes answer "what is on
//! screen" (culling), line segments answer "which line is under the cursor", and points
//! answer "which place is under the cursor". Polygons are hit when the cursor is inside them.
//! Every query is logarithmic; nothing scans all features.

use geo::{Coord, Geometry, Intersects, Point};
use rstar::primitives::{GeomWithData, Line, Rectangle};
use rstar::{AABB, RTree};

use super::feature::Feature;
use super::mercator::{WorldPoint, WorldRect, lonlat_from_world, world_from_lonlat};

type Envelope = GeomWithData<Rectangle<WorldPoint>, usize>;
type Segment = GeomWithData<Line<WorldPoint>, usize>;
type IndexedPoint = GeomWithData<WorldPoint, usize>;

/// What a hit test found: a feature and how far from the query it is (world units; 0 inside
/// a polygon).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub feature: usize,
    pub distance: f64,
}

/// The R-trees of one layer. Build once per layer; queries borrow it.
#[derive(Default)]
pub struct FeatureIndex {
    envelopes: RTree<Envelope>,
    segments: RTree<Segment>,
    points: RTree<IndexedPoint>,
}

impl FeatureIndex {
    /// Bulk-load the trees for `features` (indices into that slice are what queries return).
    #[must_use]
    pub fn build(features: &[Feature]) -> Self {
        let mut envelopes = Vec::with_capacity(features.len());
        let mut segments = Vec::new();
        let mut points = Vec::new();
        for (i, feature) in features.iter().enumerate() {
            let mut bounds: Option<WorldRect> = None;
            let mut grow = |p: WorldPoint| {
                bounds = Some(match bounds {
                    None => WorldRect { min: p, max: p },
                    Some(r) => WorldRect::from_corners(
                        [r.min[0].min(p[0]), r.min[1].min(p[1])],
                        [r.max[0].max(p[0]), r.max[1].max(p[1])],
                    ),
                });
            };
            visit(&feature.geometry, &mut |part| match part {
                Part::Point(c) => {
                    let w = world(c);
                    grow(w);
                    points.push(IndexedPoint::new(w, i));
                }
                Part::Line(cs) => {
                    for pair in cs.windows(2) {
                        let (a, b) = (world(pair[0]), world(pair[1]));
                        grow(a);
                        grow(b);
                        segments.push(Segment::new(Line::new(a, b), i));
                    }
                }
                Part::Ring(cs) => cs.iter().for_each(|c| grow(world(*c))),
            });
            if let Some(r) = bounds {
                envelopes.push(Envelope::new(Rectangle::from_corners(r.min, r.max), i));
            }
        }
        Self {
            envelopes: RTree::bulk_load(envelopes),
            segments: RTree::bulk_load(segments),
            points: RTree::bulk_load(points),
        }
    }

    /// Features whose envelope intersects `view`, each once, in no particular order.
    pub fn in_view(&self, view: &WorldRect) -> impl Iterator<Item = usize> + '_ {
        self.envelopes
            .locate_in_envelope_intersecting(&AABB::from_corners(view.min, view.max))
            .map(|e| e.data)
    }

    /// The feature under `at`: the nearest point within `tolerance`, else the nearest line
    /// within `tolerance`, else a polygon containing `at`.
    #[must_use]
    pub fn hit_test(&self, features: &[Feature], at: WorldPoint, tolerance: f64) -> Option<Hit> {
        if let Some(hit) = self.nearest_point(at, tolerance) {
            return Some(hit);
        }
        if let Some(hit) = self.nearest_line(at, tolerance) {
            return Some(hit);
        }
        self.polygon_at(features, at)
    }

    /// The polygon feature containing `at` (lowest index if several), ignoring points and lines.
    #[must_use]
    pub fn polygon_at(&self, features: &[Feature], at: WorldPoint) -> Option<Hit> {
        let (lon, lat) = lonlat_from_world(at);
        let p = Point::new(lon, lat);
        self.envelopes
            .locate_all_at_point(&at)
            .map(|e| e.data)
            .filter(|&i| is_areal(&features[i].geometry) && features[i].geometry.intersects(&p))
            .min()
            .map(|feature| Hit {
                feature,
                distance: 0.0,
            })
    }

    /// The nearest point feature within `tolerance` (world units) of `at`.
    #[must_use]
    pub fn nearest_point(&self, at: WorldPoint, tolerance: f64) -> Option<Hit> {
        self.nearest_point_where(at, tolerance, |_| true)
    }

    /// The nearest point feature within `tolerance` for which `keep(feature)` holds (e.g. not
    /// hidden at this zoom). Walks outward from `at` and stops at the tolerance.
    #[must_use]
    pub fn nearest_point_where(
        &self,
        at: WorldPoint,
        tolerance: f64,
        keep: impl Fn(usize) -> bool,
    ) -> Option<Hit> {
        nearest_within(&self.points, at, tolerance, keep)
    }

    /// The nearest line feature within `tolerance` (world units) of `at`.
    #[must_use]
    pub fn nearest_line(&self, at: WorldPoint, tolerance: f64) -> Option<Hit> {
        self.nearest_line_where(at, tolerance, |_| true)
    }

    /// The nearest line feature within `tolerance` for which `keep(feature)` holds.
    #[must_use]
    pub fn nearest_line_where(
        &self,
        at: WorldPoint,
        tolerance: f64,
        keep: impl Fn(usize) -> bool,
    ) -> Option<Hit> {
        nearest_within(&self.segments, at, tolerance, keep)
    }

    /// Number of indexed segments (for benchmarks and tests).
    #[must_use]
    pub fn segment_count(&self) -> usize {
        self.segments.size()
    }
}

/// The nearest entry of `tree` within `tolerance` of `at` whose feature `keep` accepts: walks
/// outward from `at` and stops at the tolerance, so it never visits far entries.
fn nearest_within<G>(
    tree: &RTree<GeomWithData<G, usize>>,
    at: WorldPoint,
    tolerance: f64,
    keep: impl Fn(usize) -> bool,
) -> Option<Hit>
where
    G: rstar::PointDistance + rstar::RTreeObject<Envelope = AABB<WorldPoint>>,
{
    let tol2 = tolerance * tolerance;
    tree.nearest_neighbor_iter_with_distance_2(&at)
        .take_while(|(_, d2)| *d2 <= tol2)
        .find(|(e, _)| keep(e.data))
        .map(|(e, d2)| Hit {
            feature: e.data,
            distance: d2.sqrt(),
        })
}

fn world(c: Coord<f64>) -> WorldPoint {
    world_from_lonlat(c.x, c.y)
}

fn is_areal(g: &Geometry<f64>) -> bool {
    matches!(
        g,
        Geometry::Polygon(_)
            | Geometry::MultiPolygon(_)
            | Geometry::Rect(_)
            | Geometry::Triangle(_)
    )
}

/// A primitive piece of a geometry, as drawing and indexing see it.
pub enum Part<'a> {
    Point(Coord<f64>),
    Line(&'a [Coord<f64>]),
    Ring(&'a [Coord<f64>]),
}

/// Call `f` on every point, line and polygon ring of `g` (collections recursively).
pub fn visit<'a>(g: &'a Geometry<f64>, f: &mut impl FnMut(Part<'a>)) {
    match g {
        Geometry::Point(p) => f(Part::Point(p.0)),
        Geometry::MultiPoint(mp) => mp.iter().for_each(|p| f(Part::Point(p.0))),
        Geometry::LineString(ls) => f(Part::Line(&ls.0)),
        Geometry::MultiLineString(mls) => mls.iter().for_each(|ls| f(Part::Line(&ls.0))),
        Geometry::Polygon(poly) => {
            f(Part::Ring(&poly.exterior().0));
            poly.interiors().iter().for_each(|r| f(Part::Ring(&r.0)));
        }
        Geometry::MultiPolygon(mp) => mp.iter().for_each(|poly| {
            f(Part::Ring(&poly.exterior().0));
            poly.interiors().iter().for_each(|r| f(Part::Ring(&r.0)));
        }),
        Geometry::GeometryCollection(gc) => gc.iter().for_each(|g| visit(g, f)),
        // Line, Rect and Triangle never come out of GeoJSON; skip rather than guess.
        Geometry::Line(_) | Geometry::Rect(_) | Geometry::Triangle(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon, line_string, point, polygon};

    fn f(g: impl Into<Geometry<f64>>) -> Feature {
        Feature::new(g.into(), serde_json::Map::new())
    }

    fn features() -> Vec<Feature> {
        vec![
            f(point!(x: 69.17, y: 34.53)),                           // 0: Kabul
            f(point!(x: 67.01, y: 24.86)),                           // 1: Karachi
            f(line_string![(x: 60.0, y: 30.0), (x: 70.0, y: 30.0)]), // 2: an east-west line
            f(
                polygon![(x: 60.0, y: 40.0), (x: 70.0, y: 40.0), (x: 70.0, y: 45.0), (x: 60.0, y: 45.0)],
            ), // 3
        ]
    }

    #[test]
    fn a_click_near_a_city_hits_that_city() {
        let fs = features();
        let idx = FeatureIndex::build(&fs);
        let near_kabul = world_from_lonlat(69.18, 34.52);
        let hit = idx.hit_test(&fs, near_kabul, 1e-4).expect("hit");
        assert_eq!(hit.feature, 0);
    }

    #[test]
    fn a_click_beside_a_line_hits_it_only_within_tolerance() {
        let fs = features();
        let idx = FeatureIndex::build(&fs);
        let tol = 1e-4; // ~0.036 degrees of longitude
        let on = world_from_lonlat(65.0, 30.01);
        assert_eq!(idx.hit_test(&fs, on, tol).map(|h| h.feature), Some(2));
        let off = world_from_lonlat(65.0, 30.5);
        assert_eq!(idx.hit_test(&fs, off, tol), None);
    }

    #[test]
    fn inside_a_polygon_hits_it_and_outside_does_not() {
        let fs = features();
        let idx = FeatureIndex::build(&fs);
        let inside = world_from_lonlat(65.0, 42.0);
        assert_eq!(idx.hit_test(&fs, inside, 1e-6).map(|h| h.feature), Some(3));
        let outside = world_from_lonlat(75.0, 42.0);
        assert_eq!(idx.hit_test(&fs, outside, 1e-6), None);
    }

    #[test]
    fn culling_returns_only_features_in_view() {
        let fs = features();
        let idx = FeatureIndex::build(&fs);
        let view = WorldRect::from_lonlat_bounds(66.0, 20.0, 68.0, 26.0);
        let mut seen: Vec<usize> = idx.in_view(&view).collect();
        seen.sort_unstable();
        assert_eq!(seen, vec![1]);
        let wide = WorldRect::from_lonlat_bounds(50.0, 20.0, 80.0, 50.0);
        assert_eq!(idx.in_view(&wide).count(), 4);
    }

    #[test]
    fn holes_are_not_inside() {
        let outer = LineString::from(vec![
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]);
        let hole = LineString::from(vec![
            (4.0, 4.0),
            (6.0, 4.0),
            (6.0, 6.0),
            (4.0, 6.0),
            (4.0, 4.0),
        ]);
        let fs = vec![f(Polygon::new(outer, vec![hole]))];
        let idx = FeatureIndex::build(&fs);
        assert!(
            idx.hit_test(&fs, world_from_lonlat(5.0, 5.0), 1e-9)
                .is_none()
        );
        assert!(
            idx.hit_test(&fs, world_from_lonlat(2.0, 2.0), 1e-9)
                .is_some()
        );
    }
}
