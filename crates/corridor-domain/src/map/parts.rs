//! Walking a geometry as its primitive parts (points, lines, polygon rings). The spatial
//! index, the level-of-detail shapes, snapping, tracing and suggestions all see geometries
//! this way; it lives on its own so the index and the level of detail both import it
//! without importing each other.

use geo::{Coord, Geometry};

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
