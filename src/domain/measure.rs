//! Reported figures: WGS84 ellipsoidal geodesics (Karney's algorithm via `geo::Geodesic`).
//! Never Haversine or planar for anything a user reads.

use geo::{Geodesic, GeodesicArea, Geometry, Length};

/// Geodesic length (m) of the linear parts of a geometry (LineStrings summed; rings of
/// polygons are not counted: use [`geodesic_area_m2`] / perimeter for those).
#[must_use]
pub fn geodesic_length_m(g: &Geometry<f64>) -> f64 {
    match g {
        Geometry::Line(l) => Geodesic.length(l),
        Geometry::LineString(ls) => Geodesic.length(ls),
        Geometry::MultiLineString(mls) => mls.iter().map(|ls| Geodesic.length(ls)).sum(),
        Geometry::GeometryCollection(gc) => gc.iter().map(geodesic_length_m).sum(),
        _ => 0.0,
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
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::line_string;

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
    fn kilometres_are_formatted_with_thousands_separators() {
        assert_eq!(format_km(1_234_567.0), "1,234.6 km");
        assert_eq!(format_km(999.96), "1.0 km");
        assert_eq!(group_thousands(-1_000), "-1,000");
    }
}
