//! A corridor to search in: a line the planner drew or chose (an alternative, a road, a
//! valley) and a distance either side of it. Cells whose centre lies farther out are closed,
//! like an impassable avoid zone, so every alternative stays within the corridor.
//!
//! Distances are measured in a local equirectangular frame at the cell (km east and north of
//! it): within a few hundred km of a point that is within about 1 % of the geodesic, enough
//! to decide which cells are in. Reported lengths still come from the ledger (Karney).

use super::surface::GridSpec;

/// Kilometres per degree of latitude (WGS84 mean, 111.13 km) and of longitude at the equator.
const KM_PER_DEG_LAT: f64 = 111.13;
const KM_PER_DEG_LON_EQUATOR: f64 = 111.32;

/// A line and the distance either side of it that alternatives must keep within.
#[derive(Clone, Debug, PartialEq)]
pub struct Corridor {
    /// What the line is, for messages ("the UAP alternative", a file name).
    pub name: String,
    /// The line, (lon, lat) degrees, at least two points.
    pub line: Vec<(f64, f64)>,
    /// How far from the line (km) an alternative may run.
    pub within_km: f64,
}

impl Corridor {
    /// Distance (km) from (lon, lat) to the line.
    #[must_use]
    pub fn distance_km(&self, lon: f64, lat: f64) -> f64 {
        let kx = KM_PER_DEG_LON_EQUATOR * lat.to_radians().cos();
        let local = |(x, y): (f64, f64)| ((x - lon) * kx, (y - lat) * KM_PER_DEG_LAT);
        self.line
            .windows(2)
            .map(|w| segment_distance_km(local(w[0]), local(w[1])))
            .fold(f64::INFINITY, f64::min)
    }

    /// Whether (lon, lat) is within the corridor.
    #[must_use]
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        self.distance_km(lon, lat) <= self.within_km
    }

    /// Why this corridor cannot be used, if it cannot.
    #[must_use]
    pub fn problem(&self) -> Option<String> {
        if self.line.len() < 2 {
            return Some(format!(
                "the corridor line {} has fewer than two points",
                self.name
            ));
        }
        if !(self.within_km.is_finite() && self.within_km > 0.0) {
            return Some(format!(
                "the corridor width must be a positive number of km, got {}",
                self.within_km
            ));
        }
        None
    }

    /// Close (set to infinity) every cell of `overlay` whose centre lies outside the corridor.
    pub(super) fn close_outside(&self, grid: &GridSpec, overlay: &mut [f32]) {
        // Cells outside the line's box grown by the width are out without measuring.
        let lat_pad = self.within_km / KM_PER_DEG_LAT;
        let (mut west, mut east, mut south, mut north) = (180.0f64, -180.0f64, 90.0f64, -90.0f64);
        for &(lon, lat) in &self.line {
            (west, east) = (west.min(lon), east.max(lon));
            (south, north) = (south.min(lat), north.max(lat));
        }
        let widest_lat = (north + lat_pad)
            .abs()
            .max((south - lat_pad).abs())
            .min(89.0);
        let lon_pad = self.within_km / (KM_PER_DEG_LON_EQUATOR * widest_lat.to_radians().cos());
        for row in 0..grid.rows {
            for col in 0..grid.cols {
                let (lon, lat) = grid.centre(col, row);
                let inside_box = lon >= west - lon_pad
                    && lon <= east + lon_pad
                    && lat >= south - lat_pad
                    && lat <= north + lat_pad;
                if (!inside_box || !self.contains(lon, lat))
                    && let Some(o) = overlay.get_mut(grid.index(col, row))
                {
                    *o = f32::INFINITY;
                }
            }
        }
    }
}

/// Distance (km) from the origin to the segment `a`–`b` (local km coordinates).
fn segment_distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (a.0 + t * dx).hypot(a.1 + t * dy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corridor(within_km: f64) -> Corridor {
        // A meridian segment at 65° E from 30° to 35° N.
        Corridor {
            name: "test".into(),
            line: vec![(65.0, 30.0), (65.0, 35.0)],
            within_km,
        }
    }

    #[test]
    fn distances_by_hand() {
        let c = corridor(50.0);
        // Half a degree of longitude east of the line at 32° N: 0.5 × 111.32 × cos 32° =
        // 47.20 km (GeographicLib's geodesic: 47.28 km).
        assert!((c.distance_km(65.5, 32.0) - 47.20).abs() < 0.05);
        assert!(c.contains(65.5, 32.0));
        assert!(!c.contains(65.6, 32.0)); // 56.6 km
        // Beyond the end: 1° of latitude north of 35° N is 111.13 km.
        assert!((c.distance_km(65.0, 36.0) - 111.13).abs() < 1e-9);
        assert!(c.problem().is_none());
        assert!(corridor(0.0).problem().is_some());
    }

    #[test]
    fn cells_outside_are_closed_and_inside_kept() {
        let grid = GridSpec::covering([60.0, 28.0, 70.0, 37.0], 10.0);
        let mut overlay = vec![1.0f32; grid.len()];
        let c = corridor(50.0);
        c.close_outside(&grid, &mut overlay);
        for row in 0..grid.rows {
            for col in 0..grid.cols {
                let (lon, lat) = grid.centre(col, row);
                let open = overlay[grid.index(col, row)].is_finite();
                assert_eq!(open, c.contains(lon, lat), "cell at {lon:.2}, {lat:.2}");
            }
        }
        assert!(overlay.iter().any(|o| o.is_finite()));
        assert!(overlay.iter().any(|o| o.is_infinite()));
    }
}
