//! Level of detail: each feature's geometry, projected to world units and simplified for a
//! few zoom levels, computed once at load. Drawing picks the level for the current zoom and
//! never simplifies or triangulates per frame.
//!
//! Simplification is Ramer–Douglas–Peucker (`geo::Simplify`) with a tolerance of half a pixel
//! at the level's zoom, so the simplified line stays within half a pixel of the original.

use geo::{Coord, Geometry, LineString, Polygon, Simplify, TriangulateEarcut};

use super::feature::Feature;
use super::index::{Part, visit};
use super::mercator::{WorldPoint, world_from_lonlat, world_per_px};

/// Zoom levels at which simplified copies are kept. Zooms above the last use full detail.
pub const LOD_ZOOMS: [f64; 5] = [3.0, 5.0, 7.0, 9.0, 11.0];

/// Tolerance of the simplification, in pixels at the level's zoom.
pub const LOD_TOLERANCE_PX: f64 = 0.5;

/// Triangles filling a polygon, in world units.
#[derive(Clone, Debug, Default)]
pub struct FillMesh {
    pub vertices: Vec<WorldPoint>,
    pub indices: Vec<u32>,
}

/// A feature ready to draw at one level: polylines (lines and polygon rings), a fill mesh for
/// polygons, and points.
#[derive(Clone, Debug, Default)]
pub struct Shape {
    pub lines: Vec<Vec<WorldPoint>>,
    pub fill: Option<FillMesh>,
    pub points: Vec<WorldPoint>,
}

impl Shape {
    /// Number of vertices across lines and points.
    #[must_use]
    pub fn vertex_count(&self) -> usize {
        self.lines.iter().map(Vec::len).sum::<usize>() + self.points.len()
    }
}

/// Shapes of every feature at every level (`levels[level][feature]`).
#[derive(Clone, Debug, Default)]
pub struct Lod {
    levels: Vec<Vec<Shape>>,
}

impl Lod {
    /// Project and simplify `features`; `fill_polygons` also triangulates polygons.
    #[must_use]
    pub fn build(features: &[Feature], fill_polygons: bool) -> Self {
        let mut levels = Vec::with_capacity(LOD_ZOOMS.len() + 1);
        for &zoom in &LOD_ZOOMS {
            let eps = world_per_px(zoom) * LOD_TOLERANCE_PX;
            levels.push(
                features
                    .iter()
                    .map(|f| shape_of(&f.geometry, Some(eps), fill_polygons))
                    .collect(),
            );
        }
        levels.push(
            features
                .iter()
                .map(|f| shape_of(&f.geometry, None, fill_polygons))
                .collect(),
        );
        Self { levels }
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
    pub fn shapes_at(&self, zoom: f64) -> &[Shape] {
        let level = Self::level_for_zoom(zoom).min(self.levels.len().saturating_sub(1));
        self.levels.get(level).map_or(&[], Vec::as_slice)
    }
}

fn to_world_linestring(cs: &[Coord<f64>]) -> LineString<f64> {
    cs.iter()
        .map(|c| {
            let w = world_from_lonlat(c.x, c.y);
            Coord { x: w[0], y: w[1] }
        })
        .collect()
}

fn points_of(ls: &LineString<f64>) -> Vec<WorldPoint> {
    ls.0.iter().map(|c| [c.x, c.y]).collect()
}

fn shape_of(g: &Geometry<f64>, eps: Option<f64>, fill: bool) -> Shape {
    let mut shape = Shape::default();
    let simplify = |ls: LineString<f64>| match eps {
        Some(e) => ls.simplify(e),
        None => ls,
    };
    let mut polygons: Vec<Polygon<f64>> = Vec::new();
    let mut collect_polygon = |poly: &Polygon<f64>| {
        let exterior = simplify(to_world_linestring(&poly.exterior().0));
        if exterior.0.len() < 4 {
            return; // collapsed below a pixel at this level
        }
        let interiors: Vec<LineString<f64>> = poly
            .interiors()
            .iter()
            .map(|r| simplify(to_world_linestring(&r.0)))
            .filter(|r| r.0.len() >= 4)
            .collect();
        polygons.push(Polygon::new(exterior, interiors));
    };
    match g {
        Geometry::Polygon(p) => collect_polygon(p),
        Geometry::MultiPolygon(mp) => mp.iter().for_each(&mut collect_polygon),
        other => visit(other, &mut |part| match part {
            Part::Point(c) => shape.points.push(world_from_lonlat(c.x, c.y)),
            Part::Line(cs) | Part::Ring(cs) => {
                let ls = simplify(to_world_linestring(cs));
                if ls.0.len() >= 2 {
                    shape.lines.push(points_of(&ls));
                }
            }
        }),
    }
    if !polygons.is_empty() {
        let mut mesh = FillMesh::default();
        for poly in &polygons {
            shape.lines.push(points_of(poly.exterior()));
            shape.lines.extend(poly.interiors().iter().map(points_of));
            if fill {
                let raw = poly.earcut_triangles_raw();
                let base = mesh.vertices.len() as u32;
                mesh.vertices.extend(raw.vertices);
                mesh.indices
                    .extend(raw.triangle_indices.iter().map(|&i| base + i as u32));
            }
        }
        if fill && !mesh.indices.is_empty() {
            shape.fill = Some(mesh);
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Euclidean, polygon};

    fn feature(g: impl Into<Geometry<f64>>) -> Feature {
        Feature::new(g.into(), serde_json::Map::new())
    }

    #[test]
    fn levels_are_chosen_by_zoom() {
        assert_eq!(Lod::level_for_zoom(2.0), 0);
        assert_eq!(Lod::level_for_zoom(3.0), 0);
        assert_eq!(Lod::level_for_zoom(4.5), 1);
        assert_eq!(Lod::level_for_zoom(5.5), 2);
        assert_eq!(Lod::level_for_zoom(12.0), LOD_ZOOMS.len());
    }

    #[test]
    fn simplified_lines_stay_within_half_a_pixel_and_drop_vertices() {
        // A zig-zag with 0.001° teeth: invisible at zoom 3, visible at zoom 11.
        let coords: Vec<(f64, f64)> = (0..=1000)
            .map(|i| {
                (
                    60.0 + f64::from(i) * 0.01,
                    30.0 + if i % 2 == 0 { 0.0 } else { 0.001 },
                )
            })
            .collect();
        let fs = vec![feature(LineString::from(coords))];
        let lod = Lod::build(&fs, false);
        let coarse = &lod.shapes_at(3.0)[0];
        let full = &lod.shapes_at(20.0)[0];
        assert_eq!(full.vertex_count(), 1001);
        assert!(coarse.vertex_count() < 10, "{}", coarse.vertex_count());
        // Hausdorff-style check: every original vertex within tolerance of the coarse line.
        let coarse_ls: LineString<f64> = coarse.lines[0]
            .iter()
            .map(|p| Coord { x: p[0], y: p[1] })
            .collect();
        let eps = world_per_px(3.0) * LOD_TOLERANCE_PX;
        for p in &full.lines[0] {
            let d = Euclidean.distance(&geo::Point::new(p[0], p[1]), &coarse_ls);
            assert!(d <= eps * 1.000_001, "{d} > {eps}");
        }
    }

    #[test]
    fn polygons_get_a_fill_mesh_covering_their_area() {
        let fs = vec![feature(
            polygon![(x: 60.0, y: 30.0), (x: 70.0, y: 30.0), (x: 70.0, y: 40.0), (x: 60.0, y: 40.0)],
        )];
        let lod = Lod::build(&fs, true);
        let mesh = lod.shapes_at(20.0)[0].fill.as_ref().expect("fill");
        assert_eq!(mesh.indices.len(), 6, "a quad is two triangles");
    }
}
