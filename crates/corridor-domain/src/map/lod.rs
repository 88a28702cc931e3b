//! Level of detail: each feature's geometry, projected to world units and simplified for a
//! few zoom levels, computed once at load. Drawing picks the level for the current zoom and
//! never simplifies or triangulates per frame.
//!
//! Simplification is Ramer–Douglas–Peucker, `geo`'s rule over reused flat buffers
//! ([`crate::map::simplify`]). Levels cascade: each coarser
//! level simplifies the next finer one (not the original), which makes a 3M-vertex network
//! about twice as fast to generalise. Errors add up along the cascade, so each step uses
//! [`STEP_TOLERANCE_PX`]; with two zooms between levels the sum stays below
//! [`LOD_TOLERANCE_PX`] (0.375 × (1 + 1/4 + 1/16 + …) = 0.5 px).
//!
//! Storage is flat: a level is a handful of vectors (all vertices of all features, and end
//! offsets), not a vector per feature, so a layer of 100k features costs a few allocations
//! per level. Only the full level holds projected points (16 bytes per vertex); a coarser
//! level keeps every vertex it shares with the full level — all of them, since
//! simplification only drops vertices — as a `u32` vertex number into it (4 bytes). On a
//! curvy network, whose coarser levels keep most vertices, that was the difference between
//! 2.04× and under 2× the file in memory. Readers see any level through [`Level`], whose
//! lines are [`Path`]s (a slice, or numbers into the full level's points).

use geo::{Coord, Geometry, LineString, Polygon, TriangulateEarcut};

use crate::data::feature::Feature;
use crate::map::mercator::{WorldPoint, world_from_lonlat, world_per_px};
use crate::map::parts::{Part, visit};
use crate::map::simplify::Simplifier;

/// Zoom levels at which simplified levels are kept. Zooms above the last use full detail.
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
/// feature `i` owns polylines `feature_ends[i-1]..feature_ends[i]`. `V` is a projected point
/// (the full level) or a vertex number into the full level's points (coarser levels).
#[derive(Clone, Debug)]
pub struct Polylines<V = WorldPoint> {
    coords: Vec<V>,
    ends: Vec<u32>,
    feature_ends: Vec<u32>,
}

impl<V> Default for Polylines<V> {
    fn default() -> Self {
        Self {
            coords: Vec::new(),
            ends: Vec::new(),
            feature_ends: Vec::new(),
        }
    }
}

impl<V: Copy> Polylines<V> {
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

    /// Polyline `k` (empty if out of range).
    fn polyline(&self, k: usize) -> &[V] {
        self.coords.get(self.span(k)).unwrap_or_default()
    }

    /// The polylines of feature `i`, each with the offset of its first vertex in
    /// [`Polylines::coords`].
    pub fn of_feature(&self, i: usize) -> impl Iterator<Item = (usize, &[V])> + '_ {
        self.feature_range(i).map(move |k| {
            let span = self.span(k);
            (span.start, self.coords.get(span).unwrap_or_default())
        })
    }

    /// Every vertex, feature after feature.
    #[must_use]
    pub fn coords(&self) -> &[V] {
        &self.coords
    }

    fn push(&mut self, line: impl IntoIterator<Item = V>) {
        self.coords.extend(line);
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
        self.coords.capacity() * size_of::<V>()
            + (self.ends.capacity() + self.feature_ends.capacity()) * size_of::<u32>()
    }
}

/// Every feature's shape at full detail, projected (what the spatial index refers to).
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

    /// Point parts of feature `i`.
    fn points_of(&self, i: usize) -> &[WorldPoint] {
        let pts = &self.feature_points;
        let end = pts.get(i).map_or(0, |&e| e as usize);
        let start = if i == 0 {
            0
        } else {
            pts.get(i - 1).map_or(end, |&e| e as usize)
        };
        self.points.get(start..end).unwrap_or_default()
    }

    /// Heap bytes held (for memory accounting).
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.lines.heap_bytes()
            + self.rings.heap_bytes()
            + self.points.capacity() * size_of::<WorldPoint>()
            + self.feature_points.capacity() * size_of::<u32>()
            + self.ring_is_exterior.capacity()
            + fills_heap_bytes(&self.fills)
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

fn fills_heap_bytes(fills: &Vec<(u32, FillMesh)>) -> usize {
    fills
        .iter()
        .map(|(_, m)| {
            m.vertices.capacity() * size_of::<WorldPoint>()
                + m.indices.capacity() * size_of::<u32>()
        })
        .sum::<usize>()
        + fills.capacity() * size_of::<(u32, FillMesh)>()
}

/// One feature's shape at full detail: borrowed slices of the level's flat storage.
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
        self.level.points_of(self.feature)
    }

    /// The fill triangulation, for filled polygons.
    #[must_use]
    pub fn fill(self) -> Option<&'a FillMesh> {
        fill_of(&self.level.fills, self.feature)
    }

    /// Number of vertices across lines, rings and points.
    #[must_use]
    pub fn vertex_count(self) -> usize {
        self.outlines().map(<[WorldPoint]>::len).sum::<usize>() + self.points().len()
    }
}

fn fill_of(fills: &[(u32, FillMesh)], feature: usize) -> Option<&FillMesh> {
    let f = u32::try_from(feature).ok()?;
    fills
        .binary_search_by_key(&f, |(i, _)| *i)
        .ok()
        .and_then(|k| fills.get(k))
        .map(|(_, mesh)| mesh)
}

/// A coarser level: its lines and rings as vertex numbers into the full level's points.
/// Points are not simplified; a coarser level reads the full level's.
#[derive(Clone, Debug, Default)]
struct CoarseLevel {
    /// Into the full level's line points. Every line of the full level is here (a line
    /// that collapses keeps its two ends), so polyline `k` is the full level's `k`.
    lines: Polylines<u32>,
    /// Into the full level's ring points; rings that collapse are dropped.
    rings: Polylines<u32>,
    ring_is_exterior: Vec<bool>,
    fills: Vec<(u32, FillMesh)>,
}

impl CoarseLevel {
    fn heap_bytes(&self) -> usize {
        self.lines.heap_bytes()
            + self.rings.heap_bytes()
            + self.ring_is_exterior.capacity()
            + fills_heap_bytes(&self.fills)
    }

    fn shrink(&mut self) {
        self.lines.shrink();
        self.rings.shrink();
        self.ring_is_exterior.shrink_to_fit();
        self.fills.shrink_to_fit();
    }
}

/// One polyline of any level: a slice of projected points (full level), or vertex numbers
/// into the full level's points (coarser levels). Iterating yields the points either way.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    Points(&'a [WorldPoint]),
    Indexed {
        points: &'a [WorldPoint],
        vertices: &'a [u32],
    },
}

impl<'a> Path<'a> {
    /// Number of vertices.
    #[must_use]
    pub fn len(self) -> usize {
        match self {
            Path::Points(p) => p.len(),
            Path::Indexed { vertices, .. } => vertices.len(),
        }
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The vertices in order.
    #[must_use]
    pub fn iter(self) -> PathIter<'a> {
        match self {
            Path::Points(p) => PathIter {
                points: p,
                inner: PathIterInner::Points(p.iter()),
            },
            Path::Indexed { points, vertices } => PathIter {
                points,
                inner: PathIterInner::Indexed(vertices.iter()),
            },
        }
    }

    /// The vertices, copied.
    #[must_use]
    pub fn to_vec(self) -> Vec<WorldPoint> {
        self.iter().copied().collect()
    }
}

impl<'a> IntoIterator for Path<'a> {
    type Item = &'a WorldPoint;
    type IntoIter = PathIter<'a>;
    fn into_iter(self) -> PathIter<'a> {
        self.iter()
    }
}

/// The vertices of a [`Path`].
#[derive(Clone, Debug)]
pub struct PathIter<'a> {
    points: &'a [WorldPoint],
    inner: PathIterInner<'a>,
}

#[derive(Clone, Debug)]
enum PathIterInner<'a> {
    Points(std::slice::Iter<'a, WorldPoint>),
    Indexed(std::slice::Iter<'a, u32>),
}

impl<'a> Iterator for PathIter<'a> {
    type Item = &'a WorldPoint;

    fn next(&mut self) -> Option<&'a WorldPoint> {
        match &mut self.inner {
            PathIterInner::Points(it) => it.next(),
            // Vertex numbers are built in range; one out of range ends the path, not a panic.
            PathIterInner::Indexed(it) => it.next().and_then(|&k| self.points.get(k as usize)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.inner {
            PathIterInner::Points(it) => it.size_hint(),
            PathIterInner::Indexed(it) => it.size_hint(),
        }
    }
}

impl ExactSizeIterator for PathIter<'_> {}

/// Every feature's shape at one level of detail, full or coarser ([`Lod::level_at`]).
#[derive(Clone, Copy, Debug)]
pub struct Level<'a> {
    full: &'a LevelShapes,
    /// `None` at full detail.
    coarse: Option<&'a CoarseLevel>,
}

impl<'a> Level<'a> {
    /// Number of features.
    #[must_use]
    pub fn len(self) -> usize {
        self.full.len()
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.full.is_empty()
    }

    /// The shape of feature `i` (empty if out of range).
    #[must_use]
    pub fn shape(self, i: usize) -> Shape<'a> {
        Shape {
            level: self,
            feature: i,
        }
    }

    /// The lines (`rings` false) or rings of feature `i`, each with whether it is a polygon's
    /// exterior (always true for lines).
    fn paths(self, i: usize, rings: bool) -> impl Iterator<Item = (bool, Path<'a>)> + 'a {
        let full = if rings {
            &self.full.rings
        } else {
            &self.full.lines
        };
        let coarse = self.coarse.map(|c| if rings { &c.rings } else { &c.lines });
        let exterior = match self.coarse {
            Some(c) => &c.ring_is_exterior,
            None => &self.full.ring_is_exterior,
        };
        let range = coarse.map_or_else(|| full.feature_range(i), |c| c.feature_range(i));
        range.map(move |k| {
            let is_exterior = !rings || exterior.get(k).copied().unwrap_or(true);
            let path = match coarse {
                Some(c) => Path::Indexed {
                    points: &full.coords,
                    vertices: c.polyline(k),
                },
                None => Path::Points(full.polyline(k)),
            };
            (is_exterior, path)
        })
    }
}

/// One feature's shape at one level: borrowed views into the level's flat storage.
#[derive(Clone, Copy, Debug)]
pub struct Shape<'a> {
    level: Level<'a>,
    feature: usize,
}

impl<'a> Shape<'a> {
    /// Line parts (not polygon outlines).
    pub fn lines(self) -> impl Iterator<Item = Path<'a>> + 'a {
        self.level.paths(self.feature, false).map(|(_, p)| p)
    }

    /// Polygon rings, each closed (first vertex repeated last).
    pub fn rings(self) -> impl Iterator<Item = Path<'a>> + 'a {
        self.level.paths(self.feature, true).map(|(_, p)| p)
    }

    /// Everything to stroke: line parts, then polygon rings.
    pub fn outlines(self) -> impl Iterator<Item = Path<'a>> + 'a {
        self.lines().chain(self.rings())
    }

    /// Point parts (the same at every level).
    #[must_use]
    pub fn points(self) -> &'a [WorldPoint] {
        self.level.full.points_of(self.feature)
    }

    /// The fill triangulation, for filled polygons.
    #[must_use]
    pub fn fill(self) -> Option<&'a FillMesh> {
        let fills = match self.level.coarse {
            Some(c) => &c.fills,
            None => &self.level.full.fills,
        };
        fill_of(fills, self.feature)
    }

    /// Number of vertices across lines, rings and points.
    #[must_use]
    pub fn vertex_count(self) -> usize {
        self.outlines().map(Path::len).sum::<usize>() + self.points().len()
    }
}

/// Shapes of every feature at every level: the full level projected, and one coarser level
/// per [`LOD_ZOOMS`] entry as vertex numbers into it.
#[derive(Clone, Debug, Default)]
pub struct Lod {
    full: LevelShapes,
    /// `coarse[k]` is drawn up to `LOD_ZOOMS[k]`.
    coarse: Vec<CoarseLevel>,
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
            full.fills = triangulate_level(Level {
                full: &full,
                coarse: None,
            });
        }
        full.shrink();
        // Coarser levels from finer ones: LOD_ZOOMS is ascending, so walk it backwards.
        let mut coarse: Vec<CoarseLevel> = Vec::with_capacity(LOD_ZOOMS.len());
        let mut simplifier = Simplifier::default();
        for &zoom in LOD_ZOOMS.iter().rev() {
            let eps = world_per_px(zoom) * STEP_TOLERANCE_PX;
            let finer = Level {
                full: &full,
                coarse: coarse.last(),
            };
            let mut level = simplify_level(finer, eps, &mut simplifier);
            if fill_polygons {
                level.fills = triangulate_level(Level {
                    full: &full,
                    coarse: Some(&level),
                });
            }
            level.shrink();
            coarse.push(level);
        }
        coarse.reverse();
        Self { full, coarse }
    }

    /// Index of the level to draw at `zoom` (`LOD_ZOOMS.len()` = full detail).
    #[must_use]
    pub fn level_for_zoom(zoom: f64) -> usize {
        LOD_ZOOMS
            .iter()
            .position(|&z| zoom <= z)
            .unwrap_or(LOD_ZOOMS.len())
    }

    /// The shapes for drawing at `zoom`, indexed like the layer's features.
    #[must_use]
    pub fn level_at(&self, zoom: f64) -> Level<'_> {
        Level {
            full: &self.full,
            coarse: self.coarse.get(Self::level_for_zoom(zoom)),
        }
    }

    /// The shape of feature `i` for drawing at `zoom`.
    #[must_use]
    pub fn shape(&self, zoom: f64, i: usize) -> Shape<'_> {
        self.level_at(zoom).shape(i)
    }

    /// The full-detail level (what the spatial index refers to).
    #[must_use]
    pub fn full(&self) -> &LevelShapes {
        &self.full
    }

    /// Heap bytes held by every level.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.full.heap_bytes()
            + self
                .coarse
                .iter()
                .map(CoarseLevel::heap_bytes)
                .sum::<usize>()
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

/// Buffers reused from polyline to polyline while simplifying a level.
#[derive(Default)]
struct Scratch {
    /// The points of a coarser level's polyline, gathered from the full level.
    points: Vec<WorldPoint>,
    /// Positions kept by the simplifier.
    kept: Vec<u32>,
}

/// Simplify polyline `k` of `finer` (a slice of `full` when `finer` is `None`) by `eps`,
/// and return the full level's vertex numbers of the kept vertices in `scratch.kept`.
fn simplify_polyline(
    full: &Polylines,
    finer: Option<&Polylines<u32>>,
    k: usize,
    eps: f64,
    simplifier: &mut Simplifier,
    scratch: &mut Scratch,
) {
    scratch.kept.clear();
    match finer {
        None => {
            let span = full.span(k);
            let line = full.coords.get(span.clone()).unwrap_or_default();
            if line.len() <= 2 {
                scratch.kept.extend(span.map(|v| v as u32));
            } else {
                simplifier.line_into(line, eps, &mut scratch.kept);
                let base = span.start as u32;
                scratch.kept.iter_mut().for_each(|v| *v += base);
            }
        }
        Some(finer) => {
            let vertices = finer.polyline(k);
            if vertices.len() <= 2 {
                scratch.kept.extend_from_slice(vertices);
            } else {
                scratch.points.clear();
                scratch.points.extend(
                    vertices
                        .iter()
                        .filter_map(|&v| full.coords.get(v as usize).copied()),
                );
                simplifier.line_into(&scratch.points, eps, &mut scratch.kept);
                for v in &mut scratch.kept {
                    *v = vertices.get(*v as usize).copied().unwrap_or_default();
                }
            }
        }
    }
}

/// `finer` simplified by `eps` world units. Lines that collapse to a point keep their two
/// ends; rings that collapse below a triangle are dropped.
fn simplify_level(finer: Level<'_>, eps: f64, simplifier: &mut Simplifier) -> CoarseLevel {
    let full = finer.full;
    let mut scratch = Scratch::default();
    let mut out = CoarseLevel::default();
    for i in 0..finer.len() {
        let lines = match finer.coarse {
            Some(c) => c.lines.feature_range(i),
            None => full.lines.feature_range(i),
        };
        for k in lines {
            let fine = finer.coarse.map(|c| &c.lines);
            simplify_polyline(&full.lines, fine, k, eps, simplifier, &mut scratch);
            out.lines.push(scratch.kept.iter().copied());
        }
        out.lines.end_feature();
        let (rings, exteriors) = match finer.coarse {
            Some(c) => (c.rings.feature_range(i), &c.ring_is_exterior),
            None => (full.rings.feature_range(i), &full.ring_is_exterior),
        };
        let mut exterior_kept = false;
        for k in rings {
            let exterior = exteriors.get(k).copied().unwrap_or(true);
            if !exterior && !exterior_kept {
                continue; // a hole of a polygon that vanished at this level
            }
            let fine = finer.coarse.map(|c| &c.rings);
            simplify_polyline(&full.rings, fine, k, eps, simplifier, &mut scratch);
            let keep = scratch.kept.len() >= 4;
            if exterior {
                exterior_kept = keep;
            }
            if keep {
                out.rings.push(scratch.kept.iter().copied());
                out.ring_is_exterior.push(exterior);
            }
        }
        out.rings.end_feature();
    }
    out
}

/// Fill meshes for every feature of `level` that has polygon rings (each exterior with the
/// holes that follow it).
fn triangulate_level(level: Level<'_>) -> Vec<(u32, FillMesh)> {
    let mut fills = Vec::new();
    for i in 0..level.len() {
        let mut polygons: Vec<Polygon<f64>> = Vec::new();
        for (exterior, ring) in level.paths(i, true) {
            let ls: LineString<f64> = ring.iter().map(|p| Coord { x: p[0], y: p[1] }).collect();
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

    /// A curvy line in lon/lat (a random walk of headings, as OSM ways bend, ~110 m steps)
    /// of `n` vertices, starting at `start`.
    fn curvy_lonlat(
        n: usize,
        start: (f64, f64),
        rand: &mut impl FnMut() -> f64,
    ) -> Vec<(f64, f64)> {
        let (mut lon, mut lat) = start;
        let mut heading = rand() * std::f64::consts::TAU;
        (0..n)
            .map(|_| {
                let here = (lon, lat);
                heading += (rand() - 0.5) * 0.6;
                let step = 1e-3 * (0.5 + rand());
                lon += step * heading.cos();
                lat += step * heading.sin();
                here
            })
            .collect()
    }

    /// `line` simplified by `geo`'s `Simplify` down the cascade (finest zoom first), as the
    /// levels were built when they were copies: `out[k]` is the level for `LOD_ZOOMS[k]`.
    fn geo_cascade(line: &[WorldPoint]) -> Vec<Vec<WorldPoint>> {
        use geo::Simplify;
        let mut finer = line.to_vec();
        let mut out = Vec::new();
        for &zoom in LOD_ZOOMS.iter().rev() {
            let eps = world_per_px(zoom) * STEP_TOLERANCE_PX;
            let level: Vec<WorldPoint> = if finer.len() <= 2 {
                finer.clone()
            } else {
                world_ls(&finer)
                    .simplify(eps)
                    .0
                    .iter()
                    .map(|c| [c.x, c.y])
                    .collect()
            };
            out.push(level.clone());
            finer = level;
        }
        out.reverse();
        out
    }

    #[test]
    fn index_levels_hold_exactly_the_vertices_of_geo_simplify_cascades() {
        // Curvy ways of up to one simplification run (where the runs rule is geo's own), a
        // two-vertex way, and a curvy polygon with a hole: every coarser level, read through
        // its vertex numbers, is exactly what simplifying copies level by level with geo
        // keeps, and takes 4 bytes per kept vertex, not 16.
        let mut rand = crate::map::test_rng::seeded(0x2545_f491_4f6c_dd1d);
        let mut features: Vec<Feature> = (0..40)
            .map(|k| {
                let n = 3 + (k * 37) % (crate::map::simplify::SIMPLIFY_RUN - 2);
                let start = (60.0 + f64::from(k as u32) * 0.1, 30.0);
                feature(LineString::from(curvy_lonlat(n, start, &mut rand)))
            })
            .collect();
        features.push(feature(LineString::from(vec![(61.0, 31.0), (61.5, 31.2)])));
        let mut outer = curvy_lonlat(200, (62.0, 32.0), &mut rand);
        outer.push(outer[0]);
        let hole = vec![
            (62.001, 32.001),
            (62.001, 32.002),
            (62.002, 32.002),
            (62.001, 32.001),
        ];
        features.push(feature(Polygon::new(
            LineString::from(outer),
            vec![LineString::from(hole)],
        )));
        let lod = Lod::build(&features, true);
        let mut kept_total = 0;
        let mut differs = 0;
        for i in 0..features.len() {
            let full = lod.full().shape(i);
            for (part, full_line) in full.lines().chain(full.rings().take(1)).enumerate() {
                let expected = geo_cascade(full_line);
                for (level, &zoom) in LOD_ZOOMS.iter().enumerate() {
                    let shape = lod.shape(zoom, i);
                    let got: Vec<WorldPoint> = if full.lines().count() > 0 {
                        shape.lines().nth(part).expect("every line kept").to_vec()
                    } else {
                        shape.rings().next().map(Path::to_vec).unwrap_or_default()
                    };
                    let want = &expected[level];
                    let want = if full.lines().count() == 0 && want.len() < 4 {
                        &Vec::new() // a ring below a triangle is dropped
                    } else {
                        want
                    };
                    assert_eq!(&got, want, "feature {i} part {part} at zoom {zoom}");
                    kept_total += got.len();
                    differs += usize::from(got.len() != full_line.len());
                }
            }
        }
        assert!(
            differs > 100,
            "the levels simplify ({differs} of 210 differ)"
        );
        // The hole (about 110 m across) is gone by zoom 7, kept at zoom 11 and above.
        assert_eq!(lod.shape(11.0, features.len() - 1).rings().count(), 2);
        assert_eq!(lod.shape(5.0, features.len() - 1).rings().count(), 1);
        // Storage: the coarser levels hold vertex numbers (4 bytes each) plus per-line ends
        // and per-feature ends, and the small fill meshes: far below 16 bytes per vertex.
        let lines_and_rings = features.len() + 2;
        let coarse = lod.heap_bytes() - lod.full().heap_bytes();
        let meshes: usize = LOD_ZOOMS
            .iter()
            .filter_map(|&z| lod.shape(z, features.len() - 1).fill())
            .map(|m| m.vertices.len() * 16 + m.indices.len() * 4)
            .sum();
        let bound =
            kept_total * 4 + LOD_ZOOMS.len() * (lines_and_rings + 2 * features.len() + 64) * 4;
        assert!(
            coarse <= bound + meshes + 5 * 64,
            "{coarse} bytes for {kept_total} kept vertices (bound {bound} + meshes {meshes})"
        );
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
        points.iter().map(|p| Coord { x: p[0], y: p[1] }).collect()
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
            let simplified = world_ls(&shape.lines().next().expect("a line").to_vec());
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
        let full_rings: Vec<&[WorldPoint]> = lod.full().shape(0).rings().collect();
        let outer_area = signed_area(full_rings[0]).abs() / 2.0;
        let hole_area = signed_area(full_rings[1]).abs() / 2.0;
        assert!((filled - (outer_area - hole_area)).abs() < 1e-12 * outer_area.max(1e-30) + 1e-18);
        assert!(hole_area > 0.0);
    }
}
