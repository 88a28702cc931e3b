//! Spatial index over a layer's features, in world units (see [`crate::map::mercator`]).
//!
//! Three R-trees, because the questions differ: feature envelopes answer "what is on
//! screen" (culling), runs of line segments answer "which line is under the cursor", and
//! points answer "which place is under the cursor". Polygons are hit when the cursor is
//! inside them. Every query is logarithmic; nothing scans all features.
//!
//! Lines are indexed as runs of up to [`RUN_SEGMENTS`] consecutive segments, not segment by
//! segment: a 3M-vertex network then costs ~200k R-tree entries (about 12 MB) instead of 3M
//! (over 150 MB), and a query measures the few segments of the runs near the cursor exactly,
//! from the full-detail level of the layer's [`Lod`].

use geo::{Geometry, Intersects, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::data::feature::Feature;
use crate::map::lod::{LevelShapes, Lod};
use crate::map::mercator::{WorldPoint, WorldRect, lonlat_from_world};
// Re-exported: snapping, tracing and suggestions walk geometries through this path.
pub use crate::map::parts::{Part, visit};

/// Segments per indexed run of a line.
pub const RUN_SEGMENTS: usize = 16;

type Envelope = GeomWithData<Rectangle<WorldPoint>, u32>;
type IndexedPoint = GeomWithData<WorldPoint, u32>;

/// A run of consecutive segments of one line: vertices `start..=start + segments` of the
/// full-detail level's line coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Run {
    feature: u32,
    start: u32,
    segments: u32,
}

type IndexedRun = GeomWithData<Rectangle<WorldPoint>, Run>;

/// What a hit test found: a feature and how far from the query it is (world units; 0 inside
/// a polygon).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub feature: usize,
    pub distance: f64,
}

/// The R-trees of one layer. Build once per layer; queries borrow it (and the layer's
/// full-detail shapes, which the runs refer to).
#[derive(Default)]
pub struct FeatureIndex {
    envelopes: RTree<Envelope>,
    runs: RTree<IndexedRun>,
    points: RTree<IndexedPoint>,
    segments: usize,
}

fn bounds_of(points: &[WorldPoint]) -> Option<WorldRect> {
    let first = points.first()?;
    let mut r = WorldRect {
        min: *first,
        max: *first,
    };
    for p in points {
        r.min = [r.min[0].min(p[0]), r.min[1].min(p[1])];
        r.max = [r.max[0].max(p[0]), r.max[1].max(p[1])];
    }
    Some(r)
}

fn union(a: Option<WorldRect>, b: Option<WorldRect>) -> Option<WorldRect> {
    match (a, b) {
        (Some(a), Some(b)) => Some(WorldRect {
            min: [a.min[0].min(b.min[0]), a.min[1].min(b.min[1])],
            max: [a.max[0].max(b.max[0]), a.max[1].max(b.max[1])],
        }),
        (a, b) => a.or(b),
    }
}

impl FeatureIndex {
    /// Bulk-load the trees from the full-detail level of `lod` (feature indices are what
    /// queries return).
    #[must_use]
    pub fn build(lod: &Lod) -> Self {
        let full = lod.full();
        let mut envelopes = Vec::with_capacity(full.len());
        let mut runs = Vec::new();
        let mut points = Vec::new();
        let mut segments = 0;
        for i in 0..full.len() {
            let shape = full.shape(i);
            let mut bounds = None;
            for &p in shape.points() {
                points.push(IndexedPoint::new(p, i as u32));
                bounds = union(bounds, bounds_of(&[p]));
            }
            for ring in shape.rings() {
                bounds = union(bounds, bounds_of(ring));
            }
            for (offset, line) in full.lines().of_feature(i) {
                bounds = union(bounds, bounds_of(line));
                let n = line.len().saturating_sub(1);
                segments += n;
                let mut s = 0;
                while s < n {
                    let len = RUN_SEGMENTS.min(n - s);
                    if let Some(r) = bounds_of(&line[s..=s + len]) {
                        runs.push(IndexedRun::new(
                            Rectangle::from_corners(r.min, r.max),
                            Run {
                                feature: i as u32,
                                start: (offset + s) as u32,
                                segments: len as u32,
                            },
                        ));
                    }
                    s += len;
                }
            }
            if let Some(r) = bounds {
                envelopes.push(Envelope::new(
                    Rectangle::from_corners(r.min, r.max),
                    i as u32,
                ));
            }
        }
        Self {
            envelopes: RTree::bulk_load(envelopes),
            runs: RTree::bulk_load(runs),
            points: RTree::bulk_load(points),
            segments,
        }
    }

    /// Features whose envelope intersects `view`, each once, in no particular order.
    pub fn in_view(&self, view: &WorldRect) -> impl Iterator<Item = usize> + '_ {
        self.envelopes
            .locate_in_envelope_intersecting(&AABB::from_corners(view.min, view.max))
            .map(|e| e.data as usize)
    }

    /// The feature under `at`: the nearest point within `tolerance`, else the nearest line
    /// within `tolerance`, else a polygon containing `at`.
    #[must_use]
    pub fn hit_test(
        &self,
        features: &[Feature],
        full: &LevelShapes,
        at: WorldPoint,
        tolerance: f64,
    ) -> Option<Hit> {
        if let Some(hit) = self.nearest_point(at, tolerance) {
            return Some(hit);
        }
        if let Some(hit) = self.nearest_line(full, at, tolerance) {
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
            .map(|e| e.data as usize)
            .filter(|&i| {
                features
                    .get(i)
                    .is_some_and(|f| is_areal(&f.geometry) && f.geometry.intersects(&p))
            })
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
        let tol2 = tolerance * tolerance;
        self.points
            .nearest_neighbor_iter_with_distance_2(&at)
            .take_while(|(_, d2)| *d2 <= tol2)
            .find(|(e, _)| keep(e.data as usize))
            .map(|(e, d2)| Hit {
                feature: e.data as usize,
                distance: d2.sqrt(),
            })
    }

    /// The nearest line feature within `tolerance` (world units) of `at`.
    #[must_use]
    pub fn nearest_line(&self, full: &LevelShapes, at: WorldPoint, tolerance: f64) -> Option<Hit> {
        self.nearest_line_where(full, at, tolerance, |_| true)
    }

    /// The nearest line feature within `tolerance` for which `keep(feature)` holds: the runs
    /// whose box comes within `tolerance` of `at`, measured segment by segment.
    #[must_use]
    pub fn nearest_line_where(
        &self,
        full: &LevelShapes,
        at: WorldPoint,
        tolerance: f64,
        keep: impl Fn(usize) -> bool,
    ) -> Option<Hit> {
        let coords = full.lines().coords();
        let query = AABB::from_corners(
            [at[0] - tolerance, at[1] - tolerance],
            [at[0] + tolerance, at[1] + tolerance],
        );
        let mut best: Option<Hit> = None;
        for entry in self.runs.locate_in_envelope_intersecting(&query) {
            let run = entry.data;
            let start = run.start as usize;
            let Some(vertices) = coords.get(start..=start + run.segments as usize) else {
                continue;
            };
            let d = vertices
                .windows(2)
                .map(|w| segment_distance(at, w[0], w[1]))
                .fold(f64::INFINITY, f64::min);
            // Ties (a shared vertex) go to the lower feature index, whatever the tree order.
            let better = best.is_none_or(|b| {
                d.total_cmp(&b.distance)
                    .then((run.feature as usize).cmp(&b.feature))
                    .is_lt()
            });
            if d <= tolerance && better && keep(run.feature as usize) {
                best = Some(Hit {
                    feature: run.feature as usize,
                    distance: d,
                });
            }
        }
        best
    }

    /// Number of indexed line segments (for benchmarks and tests).
    #[must_use]
    pub fn segment_count(&self) -> usize {
        self.segments
    }

    /// Number of R-tree entries for lines (runs of up to [`RUN_SEGMENTS`] segments).
    #[must_use]
    pub fn run_count(&self) -> usize {
        self.runs.size()
    }

    /// Approximate heap bytes of the trees (entries plus one node per ~6 entries).
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        let entries = self.envelopes.size() * size_of::<Envelope>()
            + self.runs.size() * size_of::<IndexedRun>()
            + self.points.size() * size_of::<IndexedPoint>();
        entries + entries / 4
    }
}

/// The point of segment `a`–`b` nearest `p` (world units).
#[must_use]
pub fn nearest_on_segment(p: WorldPoint, a: WorldPoint, b: WorldPoint) -> WorldPoint {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    [a[0] + t * dx, a[1] + t * dy]
}

/// Euclidean distance from `p` to segment `a`–`b` (world units: for picking in pixels, not
/// for reported lengths).
#[must_use]
pub fn segment_distance(p: WorldPoint, a: WorldPoint, b: WorldPoint) -> f64 {
    let q = nearest_on_segment(p, a, b);
    (q[0] - p[0]).hypot(q[1] - p[1])
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::mercator::world_from_lonlat;
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
        let lod = Lod::build(&fs, false);
        let idx = FeatureIndex::build(&lod);
        let near_kabul = world_from_lonlat(69.18, 34.52);
        let hit = idx
            .hit_test(&fs, lod.full(), near_kabul, 1e-4)
            .expect("hit");
        assert_eq!(hit.feature, 0);
    }

    #[test]
    fn a_click_beside_a_line_hits_it_only_within_tolerance() {
        let fs = features();
        let lod = Lod::build(&fs, false);
        let idx = FeatureIndex::build(&lod);
        let tol = 1e-4; // ~0.036 degrees of longitude
        let on = world_from_lonlat(65.0, 30.01);
        assert_eq!(
            idx.hit_test(&fs, lod.full(), on, tol).map(|h| h.feature),
            Some(2)
        );
        let off = world_from_lonlat(65.0, 30.5);
        assert_eq!(idx.hit_test(&fs, lod.full(), off, tol), None);
    }

    #[test]
    fn inside_a_polygon_hits_it_and_outside_does_not() {
        let fs = features();
        let lod = Lod::build(&fs, false);
        let idx = FeatureIndex::build(&lod);
        let inside = world_from_lonlat(65.0, 42.0);
        assert_eq!(
            idx.hit_test(&fs, lod.full(), inside, 1e-6)
                .map(|h| h.feature),
            Some(3)
        );
        let outside = world_from_lonlat(75.0, 42.0);
        assert_eq!(idx.hit_test(&fs, lod.full(), outside, 1e-6), None);
    }

    #[test]
    fn culling_returns_only_features_in_view() {
        let fs = features();
        let lod = Lod::build(&fs, false);
        let idx = FeatureIndex::build(&lod);
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
        let lod = Lod::build(&fs, false);
        let idx = FeatureIndex::build(&lod);
        assert!(
            idx.hit_test(&fs, lod.full(), world_from_lonlat(5.0, 5.0), 1e-9)
                .is_none()
        );
        assert!(
            idx.hit_test(&fs, lod.full(), world_from_lonlat(2.0, 2.0), 1e-9)
                .is_some()
        );
    }

    /// The nearest line (and its distance) by measuring every segment: the reference.
    fn brute_force(fs: &[Feature], at: WorldPoint, tolerance: f64) -> Option<(usize, f64)> {
        let mut best: Option<(usize, f64)> = None;
        for (i, f) in fs.iter().enumerate() {
            visit(&f.geometry, &mut |part| {
                if let Part::Line(cs) = part {
                    for w in cs.windows(2) {
                        let a = world_from_lonlat(w[0].x, w[0].y);
                        let b = world_from_lonlat(w[1].x, w[1].y);
                        let d = segment_distance(at, a, b);
                        if d <= tolerance && best.is_none_or(|(_, bd)| d < bd) {
                            best = Some((i, d));
                        }
                    }
                }
            });
        }
        best
    }

    #[test]
    fn runs_find_the_same_nearest_line_as_a_brute_force_scan() {
        // 300 wiggly lines of 5..60 vertices (runs end mid-line and at line ends), queried
        // at 2000 pseudo-random points with a tolerance that sometimes reaches none.
        let mut next = crate::map::test_rng::uniform();
        let mut fs = Vec::new();
        for _ in 0..300 {
            let n = 5 + (next() * 55.0) as usize;
            let (mut lon, mut lat) = (60.0 + next() * 10.0, 30.0 + next() * 10.0);
            let mut coords = Vec::with_capacity(n);
            for _ in 0..n {
                coords.push((lon, lat));
                lon += (next() - 0.5) * 0.05;
                lat += (next() - 0.5) * 0.05;
            }
            fs.push(f(LineString::from(coords)));
        }
        let lod = Lod::build(&fs, false);
        let idx = FeatureIndex::build(&lod);
        assert!(
            idx.run_count() * 4 < idx.segment_count(),
            "runs group segments"
        );
        let tol = world_from_lonlat(60.05, 0.0)[0] - world_from_lonlat(60.0, 0.0)[0];
        let mut hits = 0;
        for _ in 0..2000 {
            let at = world_from_lonlat(60.0 + next() * 10.0, 30.0 + next() * 10.0);
            let got = idx.nearest_line(lod.full(), at, tol);
            let want = brute_force(&fs, at, tol);
            match (got, want) {
                (None, None) => {}
                (Some(g), Some((_, wd))) => {
                    hits += 1;
                    assert!((g.distance - wd).abs() <= 1e-15, "{} vs {wd}", g.distance);
                }
                other => panic!("index and brute force disagree: {other:?}"),
            }
        }
        assert!(hits > 100, "the test must exercise hits, got {hits}");
    }
}
