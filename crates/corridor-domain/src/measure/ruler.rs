//! The ruler: measure a polyline without creating an alignment, as QGIS's measure tool does —
//! every segment, the running total and each segment's initial bearing, all on the WGS84
//! ellipsoid (Karney).

use std::fmt::Write as _;

use geo::{Bearing, Distance, Geodesic, Point};

/// One measured segment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RulerSegment {
    pub length_m: f64,
    /// Initial bearing at the segment's start, degrees clockwise from north, 0..360.
    pub initial_bearing_deg: f64,
    /// Distance from the first point to this segment's end.
    pub cumulative_m: f64,
}

/// Geodesic distance (m) between two lon/lat points.
///
/// ```
/// use corridor_domain::measure::ruler::distance_m;
/// // One degree of the equator is a·π/180 on the WGS84 ellipsoid (a = 6,378,137 m).
/// let d = distance_m((0.0, 0.0), (1.0, 0.0));
/// assert!((d - 111_319.490_793).abs() < 1e-3);
/// ```
#[must_use]
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1))
}

/// Initial geodesic bearing from `a` to `b`, degrees clockwise from north in 0..360.
#[must_use]
pub fn initial_bearing_deg(a: (f64, f64), b: (f64, f64)) -> f64 {
    Geodesic
        .bearing(Point::new(a.0, a.1), Point::new(b.0, b.1))
        .rem_euclid(360.0)
}

/// Measure every segment of a lon/lat polyline.
#[must_use]
pub fn measure_polyline(points: &[(f64, f64)]) -> Vec<RulerSegment> {
    let mut cumulative_m = 0.0;
    points
        .windows(2)
        .map(|w| {
            let length_m = distance_m(w[0], w[1]);
            cumulative_m += length_m;
            RulerSegment {
                length_m,
                initial_bearing_deg: initial_bearing_deg(w[0], w[1]),
                cumulative_m,
            }
        })
        .collect()
}

/// The ruler's table as plain text (tab-separated), for the clipboard.
#[must_use]
pub fn ruler_table_text(points: &[(f64, f64)]) -> String {
    let mut out = String::from(
        "segment\tfrom_lon\tfrom_lat\tto_lon\tto_lat\tlength_m\tbearing_deg\tcumulative_m\n",
    );
    for (i, (seg, w)) in measure_polyline(points)
        .iter()
        .zip(points.windows(2))
        .enumerate()
    {
        let _ = writeln!(
            out,
            "{}\t{:.6}\t{:.6}\t{:.6}\t{:.6}\t{:.3}\t{:.2}\t{:.3}",
            i + 1,
            w[0].0,
            w[0].1,
            w[1].0,
            w[1].1,
            seg.length_m,
            seg.initial_bearing_deg,
            seg.cumulative_m
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_and_total_match_geographiclib() {
        // GeographicLib Inverse (WGS84): (0,0)→(0,1) s12 = 110574.388558 m, azi1 = 0°;
        // (0,1)→(1,1) s12 = 111302.649339 m, azi1 = 89.991274° (Python geographiclib 2.x).
        let segs = measure_polyline(&[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]);
        assert_eq!(segs.len(), 2);
        assert!((segs[0].length_m - 110_574.388_558).abs() < 1e-3);
        assert!((segs[1].length_m - 111_302.649_339).abs() < 1e-3);
        assert!((segs[1].cumulative_m - (110_574.388_558 + 111_302.649_339)).abs() < 2e-3);
        assert!(segs[0].initial_bearing_deg.abs() < 1e-9);
        assert!(
            (segs[1].initial_bearing_deg - 89.991_274).abs() < 2e-6,
            "{}",
            segs[1].initial_bearing_deg
        );
    }

    #[test]
    fn bearings_are_normalised_to_0_360() {
        // Due west is 270°, not -90°.
        assert!((initial_bearing_deg((10.0, 0.0), (9.0, 0.0)) - 270.0).abs() < 1e-9);
    }

    #[test]
    fn the_clipboard_table_has_a_row_per_segment() {
        let text = ruler_table_text(&[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]);
        assert_eq!(text.lines().count(), 3);
        assert!(
            text.lines()
                .nth(1)
                .is_some_and(|l| l.contains("110574.389"))
        );
    }
}
