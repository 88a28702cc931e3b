//! Level of detail: each feature's geometry, projected to world units and simplified for a
//! few zoom levels, computed once at load. Drawing picks the level for the current zoom and
//! never simplifies or triangulates per frame.
//!
//! Simplification is Ramer–Douglas–Peucker, `geo`'s rule over reused flat buffers
//! ([`Simplifier`]). Levels cascade: each coarser
//! level simplifies the next finer one (not the original), which makes a 3M-vertex network
//! about twice as fast to generalise. Errors add up along the cascade, so each step uses
//! [`STEP_TOLERANCE_PX`]; with two zooms between levels the sum stays below
//! [`LOD_TOLERANCE_PX`] (0.375 × (1 + 1/4 + 1/16 + …) = 0.5 px).
//!
//! Storage is flat: one level is a handful of vectors (all vertices of all features, and end
//! offsets), not a vector per feature, so a layer of 100k features costs a few allocations
//! per level and about 16 bytes per kept vertex.

use geo::{Coord, Geometry, LineString, Polygon, TriangulateEarcut};

use crate::data::feature::Feature;
use crate::map::mercator::{WorldPoint, world_from_lonlat, world_per_px};
use crate::map::parts::{Part, visit};

/// Zoom levels at which simplified copies are kept. Zooms above the last use full detail.
pub const LOD_ZOOMS: [f64; 5] = [3.0, 5.0, 7.0, 9.0, 11.0];

/// Bound on the distance between a level's lines and the original geometry (Hausdorff), in
/// pixels at the level's zoom.
pub const LOD_TOLERANCE_PX: f64 = 0.5;

/// Tolerance of one simplification step of the cascade, in pixels at the level's zoom.
pub const STEP_TOLERANCE_PX: f64 = 0.375;

/// Triangles filling a polygon, in world units.
#[derive(Clone, Debug, Default)]
pub struct FillMesh {
    pub vertices: Vec<WorldPoint>,
    pub indices: Vec<u32>,
}

/// Polylines of every feature, flat: `coords[ends[k-1]..ends[k]]` is polyline `k`, and
/// feature `i` owns polylines `feature_ends[i-1]..feature_ends[i]`.
#[derive(Clone, Debug, Default)]
pub struct Polylines {
    coords: Vec<WorldPoint>,
    ends: Vec<u32>,
    feature_ends: Vec<u32>,
}

impl Polylines {
    /// The range of polyline numbers of feature `i`.
    pub(crate) fn feature_range(&self, i: usize) -> std::ops::Range<usize> {
        let end = self.feature_ends.get(i).map_or(0, |&e| e as usize);
        let start = if i == 0 {
            0
        } else {
            self.feature_ends.get(i - 1).map_or(end, |&e| e as usize)
        };
        start..end
    }

    /// Coordinate range of polyline `k`.
    fn span(&self, k: usize) -> std::ops::Range<usize> {
        let end = self.ends.get(k).map_or(0, |&e| e as usize);
        let start = if k == 0 {
            0
        } else {
            self.ends.get(k - 1).map_or(end, |&e| e as usize)
        };
        start..end
    }

    /// The polylines of feature `i`, each with the offset of its first vertex in
    /// [`Polylines::coords`].
    pub fn of_feature(&self, i: usize) -> impl Iterator<Item = (usize, &[WorldPoint])> + '_ {
        self.feature_range(i).map(move |k| {
            let span = self.span(k);
            (span.start, &self.coords[span])
        })
    }

    /// Every vertex, feature after feature.
    #[must_use]
    pub fn coords(&self) -> &[WorldPoint] {
        &self.coords
    }

    fn push(&mut self, line: impl IntoIterator<Item = WorldPoint>) {
        self.coords.extend(line);
        self.ends.push(self.coords.len() as u32);
    }

    /// Add one polyline written by `fill` straight into the flat buffer.
    fn push_from(&mut self, fill: impl FnOnce(&mut Vec<WorldPoint>)) {
        fill(&mut self.coords);
        self.ends.push(self.coords.len() as u32);
    }

    fn end_feature(&mut self) {
        self.feature_ends.push(self.ends.len() as u32);
    }

    fn shrink(&mut self) {
        self.coords.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.feature_ends.shrink_to_fit();
    }

    /// Heap bytes held.
    fn heap_bytes(&self) -> usize {
        self.coords.capacity() * size_of::<WorldPoint>()
            + (self.ends.capacity() + self.feature_ends.capacity()) * size_of::<u32>()
    }
}

/// Every feature's shape at one level of detail.
#[derive(Clone, Debug, Default)]
pub struct LevelShapes {
    /// Line parts (`LineString`, `MultiLineString`), not polygon outlines.
    lines: Polylines,
    /// Polygon rings, exterior then holes.
    rings: Polylines,
    /// Parallel to the rings: whether each starts a polygon (exterior) or is a hole.
    ring_is_exterior: Vec<bool>,
    points: Vec<WorldPoint>,
    feature_points: Vec<u32>,
    /// Fill meshes of filled polygons, sorted by feature.
    fills: Vec<(u32, FillMesh)>,
}

impl LevelShapes {
    /// Number of features.
    #[must_use]
    pub fn len(&self) -> usize {
        self.feature_points.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.feature_points.is_empty()
    }

    /// The shape of feature `i` (empty if out of range).
    #[must_use]
    pub fn shape(&self, i: usize) -> ShapeRef<'_> {
        ShapeRef {
            level: self,
            feature: i,
        }
    }

    /// The line parts of all features (the spatial index refers into them).
    #[must_use]
    pub fn lines(&self) -> &Polylines {
        &self.lines
    }

    /// Heap bytes held (for memory accounting).
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.lines.heap_bytes()
            + self.rings.heap_bytes()
            + self.points.capacity() * size_of::<WorldPoint>()
            + self.feature_points.capacity() * size_of::<u32>()
            + self.ring_is_exterior.capacity()
            + self
                .fills
                .iter()
                .map(|(_, m)| {
                    m.vertices.capacity() * size_of::<WorldPoint>()
                        + m.indices.capacity() * size_of::<u32>()
                })
                .sum::<usize>()
            + self.fills.capacity() * size_of::<(u32, FillMesh)>()
    }

    fn shrink(&mut self) {
        self.lines.shrink();
        self.rings.shrink();
        self.ring_is_exterior.shrink_to_fit();
        self.points.shrink_to_fit();
        self.feature_points.shrink_to_fit();
        self.fills.shrink_to_fit();
    }
}

/// One feature's shape at one level: borrowed views into the level's flat storage.
#[derive(Clone, Copy, Debug)]
pub struct ShapeRef<'a> {
    level: &'a LevelShapes,
    feature: usize,
}

impl<'a> ShapeRef<'a> {
    /// Line parts (not polygon outlines).
    pub fn lines(self) -> impl Iterator<Item = &'a [WorldPoint]> {
        self.level
            .lines
            .of_feature(self.feature)
            .map(|(_, line)| line)
    }

    /// Polygon rings, each closed (first vertex repeated last).
    pub fn rings(self) -> impl Iterator<Item = &'a [WorldPoint]> {
        self.level
            .rings
            .of_feature(self.feature)
            .map(|(_, ring)| ring)
    }

    /// Everything to stroke: line parts, then polygon rings.
    pub fn outlines(self) -> impl Iterator<Item = &'a [WorldPoint]> {
        self.lines().chain(self.rings())
    }

    /// Point parts.
    #[must_use]
    pub fn points(self) -> &'a [WorldPoint] {
        let pts = &self.level.feature_points;
        let end = pts.get(self.feature).map_or(0, |&e| e as usize);
        let start = if self.feature == 0 {
            0
        } else {
            pts.get(self.feature - 1).map_or(end, |&e| e as usize)
        };
        &self.level.points[start..end]
    }

    /// The fill triangulation, for filled polygons.
    #[must_use]
    pub fn fill(self) -> Option<&'a FillMesh> {
        let fills = &self.level.fills;
        let f = self.feature as u32;
        fills
            .binary_search_by_key(&f, |(i, _)| *i)
            .ok()
            .map(|k| &fills[k].1)
    }

    /// Number of vertices across lines, rings and points.
    #[must_use]
    pub fn vertex_count(self) -> usize {
        self.outlines().map(<[WorldPoint]>::len).sum::<usize>() + self.points().len()
    }
}

/// Shapes of every feature at every level: `levels[0..LOD_ZOOMS.len()]` simplified, the last
/// at full detail.
#[derive(Clone, Debug, Default)]
pub struct Lod {
    levels: Vec<LevelShapes>,
}

impl Lod {
    /// Project and simplify `features`; `fill_polygons` also triangulates polygons.
    #[must_use]
    pub fn build(features: &[Feature], fill_polygons: bool) -> Self {
        let mut full = LevelShapes::default();
        for f in features {
            push_full(&mut full, &f.geometry);
        }
        if fill_polygons {
            full.fills = triangulate_level(&full);
        }
        full.shrink();
        // Coarser levels from finer ones: LOD_ZOOMS is ascending, so walk it backwards.
        let mut coarse: Vec<LevelShapes> = Vec::with_capacity(LOD_ZOOMS.len());
        for &zoom in LOD_ZOOMS.iter().rev() {
            let eps = world_per_px(zoom) * STEP_TOLERANCE_PX;
            let finer = coarse.last().unwrap_or(&full);
            let mut level = simplify_level(finer, eps);
            if fill_polygons {
                level.fills = triangulate_level(&level);
            }
            level.shrink();
            coarse.push(level);
        }
        coarse.reverse();
        coarse.push(full);
        Self { levels: coarse }
    }

    /// Index of the level to draw at `zoom`.
    #[must_use]
    pub fn level_for_zoom(zoom: f64) -> usize {
        LOD_ZOOMS
            .iter()
            .position(|&z| zoom <= z)
            .unwrap_or(LOD_ZOOMS.len())
    }

    /// The shapes for drawing at `zoom`, indexed like the layer's features.
    #[must_use]
    pub fn level_at(&self, zoom: f64) -> &LevelShapes {
        static EMPTY: LevelShapes = LevelShapes {
            lines: Polylines {
                coords: Vec::new(),
                ends: Vec::new(),
                feature_ends: Vec::new(),
            },
            rings: Polylines {
                coords: Vec::new(),
                ends: Vec::new(),
                feature_ends: Vec::new(),
            },
            ring_is_exterior: Vec::new(),
            points: Vec::new(),
            feature_points: Vec::new(),
            fills: Vec::new(),
        };
        let level = Self::level_for_zoom(zoom).min(self.levels.len().saturating_sub(1));
        self.levels.get(level).unwrap_or(&EMPTY)
    }

    /// The shape of feature `i` for drawing at `zoom`.
    #[must_use]
    pub fn shape(&self, zoom: f64, i: usize) -> ShapeRef<'_> {
        self.level_at(zoom).shape(i)
    }

    /// The full-detail level (what the spatial index refers to).
    #[must_use]
    pub fn full(&self) -> &LevelShapes {
        self.level_at(f64::INFINITY)
    }

    /// Heap bytes held by every level.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.levels.iter().map(LevelShapes::heap_bytes).sum()
    }
}

fn push_full(level: &mut LevelShapes, g: &Geometry<f64>) {
    push_parts(level, g);
    level.lines.end_feature();
    level.rings.end_feature();
    level.feature_points.push(level.points.len() as u32);
}

fn push_polygon(level: &mut LevelShapes, poly: &Polygon<f64>) {
    let project = |ls: &LineString<f64>| {
        ls.0.iter()
            .map(|c| world_from_lonlat(c.x, c.y))
            .collect::<Vec<_>>()
    };
    level.rings.push(project(poly.exterior()));
    level.ring_is_exterior.push(true);
    for hole in poly.interiors() {
        level.rings.push(project(hole));
        level.ring_is_exterior.push(false);
    }
}

fn push_parts(level: &mut LevelShapes, g: &Geometry<f64>) {
    match g {
        Geometry::Polygon(p) => push_polygon(level, p),
        Geometry::MultiPolygon(mp) => mp.iter().for_each(|p| push_polygon(level, p)),
        Geometry::GeometryCollection(gc) => gc.iter().for_each(|g| push_parts(level, g)),
        other => visit(other, &mut |part| match part {
            Part::Point(c) => level.points.push(world_from_lonlat(c.x, c.y)),
            Part::Line(cs) => level
                .lines
                .push(cs.iter().map(|c| world_from_lonlat(c.x, c.y))),
            // Rings come only from polygons, handled above.
            Part::Ring(_) => {}
        }),
    }
}

fn line_string(points: &[WorldPoint]) -> LineString<f64> {
    points.iter().map(|p| Coord { x: p[0], y: p[1] }).collect()
}

/// The most vertices simplified at once (see [`Simplifier::line_into`]).
const SIMPLIFY_RUN: usize = 256;

/// Run length of the cheap first try on long lines (see [`Simplifier::line_into`]).
const PROBE_RUN: usize = 4;

/// Douglas–Peucker with bounded work, over flat buffers reused from line to line.
///
/// `geo`'s `Simplify` builds a `LineString` per call and a vector per recursion step; on a
/// network of curvy OSM-like ways, which keep most of their vertices, that allocation and
/// freeing was a fifth of the load. Here the recursion is an explicit stack and the kept
/// vertices a flag per vertex, both reused, and the result is appended straight into the
/// level's flat coordinate buffer. Distances are compared squared (no square root), with the
/// same rule as `geo`: a vertex is kept when its distance to the chord exceeds `eps`, the
/// farthest one first, the earliest among equals.
///
/// Douglas–Peucker is quadratic when the farthest point from each chord sits next to one
/// end, as on a zigzag: a 1M-vertex zigzag took 40 s to import against 1.3 s for a smooth
/// line. So a long line is simplified in runs that each keep their two ends and stay within
/// `eps` (the level's bound holds). First in short runs of [`PROBE_RUN`], a few distance
/// tests per vertex: if that keeps half the vertices or more, the line is a zigzag that no run
/// length would thin much, and the result stands. Otherwise the line is simplified again in
/// runs of [`SIMPLIFY_RUN`], cheap on such a line, keeping at most one extra vertex per run.
/// A line of up to `SIMPLIFY_RUN` + 1 vertices is one run.
#[derive(Default)]
struct Simplifier {
    keep: Vec<bool>,
    stack: Vec<(usize, usize)>,
    probe: Vec<WorldPoint>,
}

impl Simplifier {
    /// Append `line` simplified by `eps` to `out`.
    fn line_into(&mut self, line: &[WorldPoint], eps: f64, out: &mut Vec<WorldPoint>) {
        let Some(&first) = line.first() else {
            return;
        };
        let eps2 = eps * eps;
        if line.len() > SIMPLIFY_RUN + 1 {
            let mut probe = std::mem::take(&mut self.probe);
            probe.clear();
            probe.push(first);
            self.in_runs(line, eps2, PROBE_RUN, &mut probe);
            let zigzag = probe.len() * 2 >= line.len();
            if zigzag {
                out.extend_from_slice(&probe);
            }
            self.probe = probe;
            if zigzag {
                return;
            }
        }
        out.push(first);
        self.in_runs(line, eps2, SIMPLIFY_RUN, out);
    }

    /// Append `line[1..]` simplified in runs of `run` + 1 vertices that share their ends.
    fn in_runs(&mut self, line: &[WorldPoint], eps2: f64, run: usize, out: &mut Vec<WorldPoint>) {
        let mut start = 0;
        while start + 1 < line.len() {
            let end = (start + run).min(line.len() - 1);
            self.run_into(&line[start..=end], eps2, out);
            start = end;
        }
    }

    /// Append the kept vertices of `run` but its first (already in `out`).
    fn run_into(&mut self, run: &[WorldPoint], eps2: f64, out: &mut Vec<WorldPoint>) {
        let n = run.len();
        if n <= 2 {
            out.extend_from_slice(run.get(1..).unwrap_or_default());
            return;
        }
        self.keep.clear();
        self.keep.resize(n, false);
        self.keep[0] = true;
        self.keep[n - 1] = true;
        self.stack.clear();
        self.stack.push((0, n - 1));
        while let Some((a, b)) = self.stack.pop() {
            let (pa, pb) = (run[a], run[b]);
            let mut farthest = (0.0, a);
            for (k, &p) in run.iter().enumerate().take(b).skip(a + 1) {
                let d2 = segment_distance2(p, pa, pb);
                if d2 > farthest.0 {
                    farthest = (d2, k);
                }
            }
            if farthest.0 > eps2 {
                let k = farthest.1;
                self.keep[k] = true;
                self.stack.push((k, b));
                self.stack.push((a, k));
            }
        }
        out.extend(
            run.iter()
                .zip(&self.keep)
                .skip(1)
                .filter_map(|(&p, &kept)| kept.then_some(p)),
        );
    }
}

/// Squared distance from `p` to the segment `a`–`b` (to `a` when the segment is a point).
fn segment_distance2(p: WorldPoint, a: WorldPoint, b: WorldPoint) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    ex * ex + ey * ey
}

/// `finer` simplified by `eps` world units. Lines that collapse to a point keep their two
/// ends; rings that collapse below a triangle are dropped.
fn simplify_level(finer: &LevelShapes, eps: f64) -> LevelShapes {
    let mut simplifier = Simplifier::default();
    let mut ring_buf: Vec<WorldPoint> = Vec::new();
    let mut out = LevelShapes {
        points: finer.points.clone(),
        feature_points: finer.feature_points.clone(),
        ..LevelShapes::default()
    };
    for i in 0..finer.len() {
        for (_, line) in finer.lines.of_feature(i) {
            if line.len() <= 2 {
                out.lines.push(line.iter().copied());
            } else {
                out.lines
                    .push_from(|coords| simplifier.line_into(line, eps, coords));
            }
        }
        out.lines.end_feature();
        let first_ring = finer.rings.feature_range(i).start;
        let mut exterior_kept = false;
        for (k, (_, ring)) in finer.rings.of_feature(i).enumerate() {
            let exterior = finer
                .ring_is_exterior
                .get(first_ring + k)
                .copied()
                .unwrap_or(true);
            if !exterior && !exterior_kept {
                continue; // a hole of a polygon that vanished at this level
            }
            ring_buf.clear();
            simplifier.line_into(ring, eps, &mut ring_buf);
            let keep = ring_buf.len() >= 4;
            if exterior {
                exterior_kept = keep;
            }
            if keep {
                out.rings.push(ring_buf.iter().copied());
                out.ring_is_exterior.push(exterior);
            }
        }
        out.rings.end_feature();
    }
    out
}

/// Fill meshes for every feature of `level` that has polygon rings (each exterior with the
/// holes that follow it).
fn triangulate_level(level: &LevelShapes) -> Vec<(u32, FillMesh)> {
    let mut fills = Vec::new();
    for i in 0..level.len() {
        let first_ring = level.rings.feature_range(i).start;
        let mut polygons: Vec<Polygon<f64>> = Vec::new();
        for (k, (_, ring)) in level.rings.of_feature(i).enumerate() {
            let ls = line_string(ring);
            let exterior = level
                .ring_is_exterior
                .get(first_ring + k)
                .copied()
                .unwrap_or(true);
            match polygons.last_mut() {
                Some(poly) if !exterior => poly.interiors_push(ls),
                _ => polygons.push(Polygon::new(ls, Vec::new())),
            }
        }
        if polygons.is_empty() {
            continue;
        }
        let mut mesh = FillMesh::default();
        for poly in &polygons {
            let raw = poly.earcut_triangles_raw();
            let base = mesh.vertices.len() as u32;
            mesh.vertices.extend(raw.vertices);
            mesh.indices
                .extend(raw.triangle_indices.iter().map(|&k| base + k as u32));
        }
        if !mesh.indices.is_empty() {
            mesh.vertices.shrink_to_fit();
            mesh.indices.shrink_to_fit();
            fills.push((i as u32, mesh));
        }
    }
    fills
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Euclidean, Point, polygon};

    /// Hausdorff distance between two polylines, measured against segments (geo's
    /// `HausdorffDistance` compares vertex sets, which overstates a simplified line's
    /// error): every vertex of `a` to the polyline `b`, and points every 1/16 of each
    /// segment of `b` to the polyline `a`.
    fn polyline_hausdorff(a: &LineString<f64>, b: &LineString<f64>) -> f64 {
        let to = |p: Coord<f64>, l: &LineString<f64>| Euclidean.distance(&Point(p), l);
        let ab = a.0.iter().map(|&p| to(p, b)).fold(0.0, f64::max);
        let ba = b
            .lines()
            .flat_map(|seg| {
                (0..=16).map(move |k| {
                    let t = f64::from(k) / 16.0;
                    seg.start + (seg.end - seg.start) * t
                })
            })
            .map(|p| to(p, a))
            .fold(0.0, f64::max);
        ab.max(ba)
    }

    /// Twice the signed area of a closed ring (shoelace).
    fn signed_area(ring: &[WorldPoint]) -> f64 {
        ring.windows(2)
            .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
            .sum()
    }

    fn feature(g: impl Into<Geometry<f64>>) -> Feature {
        Feature::new(g.into(), serde_json::Map::new())
    }

    #[test]
    fn the_simplifier_keeps_what_geo_simplify_keeps() {
        use geo::Simplify;
        // Curvy lines (a random walk of headings, as OSM ways bend) of up to one run, and a
        // closed ring: the flat-buffer Douglas–Peucker keeps exactly geo's vertices.
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut simplifier = Simplifier::default();
        for case in 0..200 {
            let n = 3 + case % (SIMPLIFY_RUN - 2);
            let (mut x, mut y, mut heading) = (0.5, 0.5, rand() * std::f64::consts::TAU);
            let mut line: Vec<WorldPoint> = Vec::with_capacity(n);
            for _ in 0..n {
                line.push([x, y]);
                heading += (rand() - 0.5) * 0.6;
                let step = 1e-5 * (0.5 + rand());
                x += step * heading.cos();
                y += step * heading.sin();
            }
            if case % 10 == 0 {
                line.push(line[0]); // closed, as rings are
            }
            let eps = 1e-5 * (0.05 + rand());
            let mut ours = Vec::new();
            simplifier.line_into(&line, eps, &mut ours);
            let theirs: Vec<WorldPoint> = world_ls(&line)
                .simplify(eps)
                .0
                .iter()
                .map(|c| [c.x, c.y])
                .collect();
            assert_eq!(ours, theirs, "case {case}: {n} vertices, eps {eps}");
        }
    }

    #[test]
    fn levels_are_chosen_by_zoom() {
        assert_eq!(Lod::level_for_zoom(2.0), 0);
        assert_eq!(Lod::level_for_zoom(3.0), 0);
        assert_eq!(Lod::level_for_zoom(4.5), 1);
        assert_eq!(Lod::level_for_zoom(5.5), 2);
        assert_eq!(Lod::level_for_zoom(12.0), LOD_ZOOMS.len());
    }

    fn world_ls(points: &[WorldPoint]) -> LineString<f64> {
        line_string(points)
    }

    #[test]
    fn every_level_stays_within_half_a_pixel_hausdorff_and_drops_vertices() {
        // A meandering line with 0.001° teeth and slow curves: the teeth vanish at zoom 3
        // and matter at zoom 11; the cascade must stay within tolerance at every level.
        let coords: Vec<(f64, f64)> = (0..=1000)
            .map(|i| {
                let t = f64::from(i);
                (
                    60.0 + t * 0.01,
                    30.0 + (t / 75.0).sin() * 0.4 + if i % 2 == 0 { 0.0 } else { 0.001 },
                )
            })
            .collect();
        let fs = vec![feature(LineString::from(coords))];
        let lod = Lod::build(&fs, false);
        let full: Vec<&[WorldPoint]> = lod.full().shape(0).lines().collect();
        assert_eq!(full[0].len(), 1001);
        let original = world_ls(full[0]);
        let mut previous = usize::MAX;
        for &zoom in &LOD_ZOOMS {
            let shape = lod.shape(zoom, 0);
            let kept = shape.vertex_count();
            let simplified = world_ls(shape.lines().next().expect("a line"));
            let tolerance = world_per_px(zoom) * LOD_TOLERANCE_PX;
            let h = polyline_hausdorff(&original, &simplified);
            assert!(
                h <= tolerance,
                "zoom {zoom}: Hausdorff {:.3} px > {LOD_TOLERANCE_PX} px",
                h / world_per_px(zoom)
            );
            if zoom <= 9.0 {
                assert!(kept < 1001, "zoom {zoom} kept every vertex");
            }
            assert!(
                previous == usize::MAX || kept >= previous,
                "finer levels keep more"
            );
            previous = kept;
        }
        assert!(lod.shape(3.0, 0).vertex_count() < 40);
    }

    #[test]
    fn polygons_get_a_fill_mesh_covering_their_area_and_rings_to_stroke() {
        let fs = vec![
            feature(geo::point!(x: 61.0, y: 31.0)),
            feature(
                polygon![(x: 60.0, y: 30.0), (x: 70.0, y: 30.0), (x: 70.0, y: 40.0), (x: 60.0, y: 40.0)],
            ),
        ];
        let lod = Lod::build(&fs, true);
        let shape = lod.shape(20.0, 1);
        let mesh = shape.fill().expect("fill");
        assert_eq!(mesh.indices.len(), 6, "a quad is two triangles");
        assert_eq!(shape.rings().count(), 1);
        assert_eq!(shape.lines().count(), 0);
        assert!(lod.shape(20.0, 0).fill().is_none());
        assert_eq!(lod.shape(20.0, 0).points().len(), 1);
        assert_eq!(
            lod.shape(3.0, 1).rings().count(),
            1,
            "a big square survives"
        );
    }

    #[test]
    fn a_polygon_with_a_hole_is_filled_around_the_hole() {
        let outer = LineString::from(vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]);
        let hole = LineString::from(vec![(4.0, 4.0), (4.0, 6.0), (6.0, 6.0), (6.0, 4.0)]);
        let fs = vec![feature(Polygon::new(outer, vec![hole]))];
        let lod = Lod::build(&fs, true);
        let mesh = lod.shape(20.0, 0).fill().expect("fill");
        // Area of the triangles = 100 - 4 (deg² in world units: compare ratios instead).
        let area = |tri: &[u32]| {
            let [a, b, c] = [
                mesh.vertices[tri[0] as usize],
                mesh.vertices[tri[1] as usize],
                mesh.vertices[tri[2] as usize],
            ];
            ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
        };
        let filled: f64 = mesh.indices.chunks(3).map(area).sum();
        let full_rings: Vec<&[WorldPoint]> = lod.shape(20.0, 0).rings().collect();
        let outer_area = signed_area(full_rings[0]).abs() / 2.0;
        let hole_area = signed_area(full_rings[1]).abs() / 2.0;
        assert!((filled - (outer_area - hole_area)).abs() < 1e-12 * outer_area.max(1e-30) + 1e-18);
        assert!(hole_area > 0.0);
    }
}
