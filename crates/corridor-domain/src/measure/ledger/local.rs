//! A local tangent plane around one latitude, for choosing and projecting, never for
//! reporting.
//!
//! The ledger needs "which of these candidates is nearest" and "where on this 250 m chord is
//! the foot of the perpendicular" thousands of times per frame. Over a few kilometres, the
//! plane scaled by the WGS84 radii of curvature at the point agrees with the geodesic to about
//! one part in a million, which is enough to choose; the distance a user reads is then
//! measured with `geo::Geodesic`.

/// WGS84 semi-major axis (m).
const WGS84_A_M: f64 = 6_378_137.0;
/// WGS84 first eccentricity squared.
const WGS84_E2: f64 = 0.006_694_379_990_14;

/// Metres per degree east and north around `lat0_deg`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LocalFrame {
    pub lon0_deg: f64,
    pub lat0_deg: f64,
    /// Metres per degree of longitude at `lat0_deg` (prime vertical radius × cos φ).
    pub m_per_deg_lon: f64,
    /// Metres per degree of latitude at `lat0_deg` (meridian radius).
    pub m_per_deg_lat: f64,
}

impl LocalFrame {
    pub fn at(lon0_deg: f64, lat0_deg: f64) -> Self {
        let phi = lat0_deg.to_radians();
        let w2 = 1.0 - WGS84_E2 * phi.sin().powi(2);
        let prime_vertical_m = WGS84_A_M / w2.sqrt();
        let meridian_m = WGS84_A_M * (1.0 - WGS84_E2) / (w2 * w2.sqrt());
        Self {
            lon0_deg,
            lat0_deg,
            m_per_deg_lon: (prime_vertical_m * phi.cos()).to_radians(),
            m_per_deg_lat: meridian_m.to_radians(),
        }
    }

    /// East/north metres of a lon/lat from the frame's origin.
    pub fn xy_m(&self, lon_deg: f64, lat_deg: f64) -> (f64, f64) {
        (
            (lon_deg - self.lon0_deg) * self.m_per_deg_lon,
            (lat_deg - self.lat0_deg) * self.m_per_deg_lat,
        )
    }

    /// Degrees of longitude and latitude that `distance_m` spans here (with 1 % margin, and
    /// never less than a millionth of a degree), for envelope queries.
    pub fn half_extent_deg(&self, distance_m: f64) -> (f64, f64) {
        let margin = 1.01;
        (
            (distance_m * margin / self.m_per_deg_lon.max(1.0)).max(1e-6),
            (distance_m * margin / self.m_per_deg_lat).max(1e-6),
        )
    }

    /// Foot of the perpendicular from `p` onto the chord `a`–`b` (all lon/lat): the ratio
    /// along the chord (clamped to 0..=1) and the planar distance (m) to it.
    pub fn project(&self, p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
        let (px, py) = self.xy_m(p.0, p.1);
        let (ax, ay) = self.xy_m(a.0, a.1);
        let (bx, by) = self.xy_m(b.0, b.1);
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (fx, fy) = (ax + t * dx, ay + t * dy);
        // Plain sqrt, not hypot: distances here are metres to thousands of km, far from
        // overflow, and this runs for every candidate of every sample.
        let (ex, ey) = (px - fx, py - fy);
        (t, (ex * ex + ey * ey).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Geodesic, Point};

    #[test]
    fn short_distances_agree_with_the_geodesic() {
        for lat in [0.0, 25.0, 37.0, 55.0] {
            let f = LocalFrame::at(67.0, lat);
            let (x, y) = f.xy_m(67.01, lat + 0.012);
            let planar = x.hypot(y);
            let geodesic = Geodesic.distance(Point::new(67.0, lat), Point::new(67.01, lat + 0.012));
            assert!(
                (planar - geodesic).abs() < 0.05,
                "lat {lat}: {planar} vs {geodesic}"
            );
        }
    }

    #[test]
    fn projection_clamps_to_the_chord() {
        let f = LocalFrame::at(0.0, 0.0);
        let (t, _) = f.project((-1.0, 0.0), (0.0, 0.0), (1.0, 0.0));
        assert!(t.abs() < f64::EPSILON);
        let (t, d) = f.project((0.5, 0.001), (0.0, 0.0), (1.0, 0.0));
        assert!((t - 0.5).abs() < 1e-12);
        assert!((d - 110.57).abs() < 0.1, "{d}");
    }
}
