//! Reported figures: WGS84 ellipsoidal geodesics (Karney's algorithm via `geo::Geodesic`).
//! Never Haversine or planar for anything a user reads.
//!
//! Karney's inverse solution converges everywhere, including nearly antipodal points where
//! Vincenty's iteration fails, and it takes the shorter way round, so a segment from 179.9° to
//! -179.9° is ~22 km, not a trip round the world. Elevation never enters: coordinates are
//! 2-D by the time they reach `geo`.
//!
//! The GUI (inspector) and the command line (`corridor-atlas measure`) both measure through
//! [`line_measures`] / [`geodesic_length_m`], which walk the same segments in the same order,
//! so the two always print the same figure for the same feature.

use geo::{Coord, Distance, Geodesic, GeodesicArea, Geometry, LineString};

/// The geodesic measure of the linear parts of one geometry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineMeasure {
    /// Total length (m): the sum of `segments_m`, in that order.
    pub length_m: f64,
    /// Length (m) of every segment between consecutive positions, in RFC 7946 order. For a
    /// `MultiLineString` the parts follow one another (there is no segment joining two parts).
    pub segments_m: Vec<f64>,
}

/// Geodesic length (m) and segment lengths of the linear parts of a geometry, or `None` if it
/// has none.
///
/// Linear parts are `Line`, `LineString` and `MultiLineString`, also when they sit (at any
/// depth) inside a `GeometryCollection`; they are taken in document order. Points and polygons
/// are not linear: a polygon ring is a boundary, not a route, and is left to
/// [`geodesic_area_m2`]. A geometry whose only lines are empty (no positions) still counts as
/// linear, with length 0.
#[must_use]
pub fn line_measures(g: &Geometry<f64>) -> Option<LineMeasure> {
    let mut measure = LineMeasure::default();
    let linear = for_each_segment_m(g, &mut |segment_m| {
        measure.length_m += segment_m;
        measure.segments_m.push(segment_m);
    });
    linear.then_some(measure)
}

/// Geodesic length (m) of the linear parts of a geometry (see [`line_measures`]; 0 if it has
/// none). Same segments, same order of summation, but no allocation: the inspector calls it
/// every frame.
#[must_use]
pub fn geodesic_length_m(g: &Geometry<f64>) -> f64 {
    let mut length_m = 0.0;
    for_each_segment_m(g, &mut |segment_m| length_m += segment_m);
    length_m
}

/// Geodesic distance (m) between two lon/lat positions on the WGS84 ellipsoid.
#[must_use]
pub fn geodesic_distance_m(from: Coord<f64>, to: Coord<f64>) -> f64 {
    Geodesic.distance(from.into(), to.into())
}

/// Calls `f` with the length of every segment of the linear parts of `g`, in order. Returns
/// whether `g` has any linear part. The one place that decides what "the length" of a
/// geometry is.
fn for_each_segment_m(g: &Geometry<f64>, f: &mut impl FnMut(f64)) -> bool {
    match g {
        Geometry::Line(l) => {
            f(geodesic_distance_m(l.start, l.end));
            true
        }
        Geometry::LineString(ls) => {
            line_string_segments_m(ls, f);
            true
        }
        Geometry::MultiLineString(mls) => {
            mls.iter().for_each(|ls| line_string_segments_m(ls, f));
            true
        }
        Geometry::GeometryCollection(gc) => {
            // Not `any`: that would stop at the first linear part and skip the rest.
            let mut linear = false;
            for part in gc {
                linear |= for_each_segment_m(part, f);
            }
            linear
        }
        Geometry::Point(_)
        | Geometry::MultiPoint(_)
        | Geometry::Polygon(_)
        | Geometry::MultiPolygon(_)
        | Geometry::Rect(_)
        | Geometry::Triangle(_) => false,
    }
}

fn line_string_segments_m(ls: &LineString<f64>, f: &mut impl FnMut(f64)) {
    for segment in ls.lines() {
        f(geodesic_distance_m(segment.start, segment.end));
    }
}

/// Geodesic area (m²) of the areal parts of a geometry.
#[must_use]
pub fn geodesic_area_m2(g: &Geometry<f64>) -> f64 {
    match g {
        Geometry::Polygon(p) => p.geodesic_area_unsigned(),
        Geometry::MultiPolygon(mp) => mp.geodesic_area_unsigned(),
        Geometry::GeometryCollection(gc) => gc.iter().map(geodesic_area_m2).sum(),
        _ => 0.0,
    }
}

/// Format metres as kilometres for display, e.g. `1,234.5 km`.
#[must_use]
pub fn format_km(length_m: f64) -> String {
    let tenths = (length_m / 100.0).round() as i64;
    format!(
        "{}.{} km",
        group_thousands(tenths / 10),
        (tenths % 10).abs()
    )
}

/// `1234567` → `1,234,567`.
#[must_use]
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
#[allow(clippy::expect_used)] // A test states what it expects; the message is the point.
mod tests {
    use super::*;
    use geo::{GeometryCollection, MultiLineString, line_string, point, polygon};

    #[test]
    fn one_degree_of_meridian_at_the_equator_matches_geographiclib() {
        // GeographicLib GeodSolve -i: 0 0 1 0 (lat lon lat lon) → s12 = 110574.388557 m.
        let g: Geometry<f64> = line_string![(x: 0.0, y: 0.0), (x: 0.0, y: 1.0)].into();
        assert!((geodesic_length_m(&g) - 110_574.388_557).abs() < 1e-3);
    }

    #[test]
    fn one_degree_of_equator_matches_geographiclib() {
        // The equator is a geodesic: a·Δλ = 6378137 · π/180 = 111319.490793 m.
        let g: Geometry<f64> = line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0)].into();
        assert!((geodesic_length_m(&g) - 111_319.490_793).abs() < 1e-3);
    }

    #[test]
    fn crossing_the_antimeridian_takes_the_short_way_round() {
        // GeographicLib 2.1 (Python) Inverse(0, 179.9, 0, -179.9).s12 = 22263.898158653446 m.
        let g: Geometry<f64> = line_string![(x: 179.9, y: 0.0), (x: -179.9, y: 0.0)].into();
        let m = line_measures(&g).expect("a LineString is linear");
        assert!((m.length_m - 22_263.898_158_653_446).abs() < 1e-6, "{m:?}");
    }

    #[test]
    fn nearly_antipodal_points_converge_where_vincenty_fails() {
        // GeographicLib 2.1 (Python) Inverse(0, 0, 0.5, 179.5).s12 = 19936288.578965314 m.
        let g: Geometry<f64> = line_string![(x: 0.0, y: 0.0), (x: 179.5, y: 0.5)].into();
        assert!((geodesic_length_m(&g) - 19_936_288.578_965_314).abs() < 2e-5);
    }

    #[test]
    fn a_sub_millimetre_segment_is_measured_not_rounded_to_zero() {
        // GeographicLib 2.1 (Python) Inverse(41.3, 69.2, 41.3, 69.20000001).s12.
        let g: Geometry<f64> = line_string![(x: 69.2, y: 41.3), (x: 69.200_000_01, y: 41.3)].into();
        let length_m = geodesic_length_m(&g);
        assert!(
            (length_m - 0.000_837_524_922_066_310_3).abs() < 1e-12,
            "{length_m}"
        );
    }

    #[test]
    fn a_multilinestring_lists_every_part_s_segments_and_sums_them() {
        let g: Geometry<f64> = MultiLineString::new(vec![
            line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 2.0, y: 0.0)],
            line_string![(x: 0.0, y: 0.0), (x: 0.0, y: 1.0)],
        ])
        .into();
        let m = line_measures(&g).expect("linear");
        assert_eq!(m.segments_m.len(), 3, "no segment may join the two parts");
        assert!((m.segments_m[0] - 111_319.490_793).abs() < 1e-3);
        assert!((m.segments_m[2] - 110_574.388_557).abs() < 1e-3);
        // Bit for bit: the GUI and the CLI must print the very same figure.
        let sum_m: f64 = m.segments_m.iter().sum();
        assert_eq!(m.length_m.to_bits(), sum_m.to_bits());
        assert_eq!(geodesic_length_m(&g).to_bits(), m.length_m.to_bits());
    }

    #[test]
    fn lines_inside_a_geometry_collection_count_and_points_and_polygons_do_not() {
        let line = line_string![(x: 0.0, y: 0.0), (x: 0.0, y: 1.0)];
        let polygon = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)];
        let gc = Geometry::GeometryCollection(GeometryCollection::new_from(vec![
            point!(x: 5.0, y: 5.0).into(),
            line.clone().into(),
            polygon.clone().into(),
            Geometry::GeometryCollection(GeometryCollection::new_from(vec![line.into()])),
        ]));
        let m = line_measures(&gc).expect("the collection holds lines");
        assert_eq!(m.segments_m.len(), 2);
        assert!((m.length_m - 2.0 * 110_574.388_557).abs() < 2e-3);
        assert_eq!(line_measures(&polygon.into()), None);
        assert_eq!(line_measures(&point!(x: 1.0, y: 2.0).into()), None);
        assert_eq!(
            line_measures(&Geometry::GeometryCollection(GeometryCollection::new_from(
                vec![]
            ))),
            None
        );
    }

    #[test]
    fn kilometres_are_formatted_with_thousands_separators() {
        assert_eq!(format_km(1_234_567.0), "1,234.6 km");
        assert_eq!(format_km(999.96), "1.0 km");
        assert_eq!(group_thousands(-1_000), "-1,000");
    }
}
