//! Web Mercator in "world units": the whole map is the unit square, x growing east from
//! 180° W, y growing south from 85.05° N. Walkers and every slippy map use the same square,
//! scaled by `256 · 2^zoom` pixels, so a distance in pixels at a zoom converts to world units
//! with one multiplication. Indexing and simplifying in this space makes "within 8 pixels"
//! mean the same everywhere on the map.

/// Latitude where Web Mercator's square ends.
pub const MAX_LAT_DEG: f64 = 85.051_128_779_806_59;

/// Pixels per tile edge in the slippy-map convention walkers uses.
pub const TILE_SIZE_PX: f64 = 256.0;

/// A point in world units (see the module documentation).
pub type WorldPoint = [f64; 2];

/// World coordinates of a lon/lat position (degrees). Latitudes beyond ±85.05° are clamped.
///
/// ```
/// use corridor_domain::map::mercator::world_from_lonlat;
/// // Null Island is the centre of the world square; 180° E is its right edge.
/// assert_eq!(world_from_lonlat(0.0, 0.0), [0.5, 0.5]);
/// assert_eq!(world_from_lonlat(180.0, 0.0)[0], 1.0);
/// ```
#[must_use]
pub fn world_from_lonlat(lon_deg: f64, lat_deg: f64) -> WorldPoint {
    let lat = lat_deg.clamp(-MAX_LAT_DEG, MAX_LAT_DEG).to_radians();
    let x = (lon_deg + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    [x, y]
}

/// Lon/lat (degrees) of a point in world units.
#[must_use]
pub fn lonlat_from_world(p: WorldPoint) -> (f64, f64) {
    let lon = p[0] * 360.0 - 180.0;
    let n = std::f64::consts::PI * (1.0 - 2.0 * p[1]);
    let lat = n.sinh().atan().to_degrees();
    (lon, lat)
}

/// How many pixels the whole world square spans at `zoom`.
#[must_use]
pub fn world_size_px(zoom: f64) -> f64 {
    TILE_SIZE_PX * zoom.exp2()
}

/// World units covered by one screen pixel at `zoom`.
#[must_use]
pub fn world_per_px(zoom: f64) -> f64 {
    1.0 / world_size_px(zoom)
}

/// An axis-aligned rectangle in world units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorldRect {
    pub min: WorldPoint,
    pub max: WorldPoint,
}

impl WorldRect {
    /// The rectangle spanned by two corners, in any order.
    #[must_use]
    pub fn from_corners(a: WorldPoint, b: WorldPoint) -> Self {
        Self {
            min: [a[0].min(b[0]), a[1].min(b[1])],
            max: [a[0].max(b[0]), a[1].max(b[1])],
        }
    }

    /// The world rectangle of a lon/lat box (degrees).
    #[must_use]
    pub fn from_lonlat_bounds(west: f64, south: f64, east: f64, north: f64) -> Self {
        Self::from_corners(
            world_from_lonlat(west, south),
            world_from_lonlat(east, north),
        )
    }

    /// Grown by `margin` world units on every side.
    #[must_use]
    pub fn expanded(self, margin: f64) -> Self {
        Self {
            min: [self.min[0] - margin, self.min[1] - margin],
            max: [self.max[0] + margin, self.max[1] + margin],
        }
    }

    #[must_use]
    pub fn width(&self) -> f64 {
        self.max[0] - self.min[0]
    }

    #[must_use]
    pub fn height(&self) -> f64 {
        self.max[1] - self.min[1]
    }

    #[must_use]
    pub fn center(&self) -> WorldPoint {
        [
            f64::midpoint(self.min[0], self.max[0]),
            f64::midpoint(self.min[1], self.max[1]),
        ]
    }

    #[must_use]
    pub fn intersects(&self, other: &WorldRect) -> bool {
        self.min[0] <= other.max[0]
            && other.min[0] <= self.max[0]
            && self.min[1] <= other.max[1]
            && other.min[1] <= self.max[1]
    }
}

/// The zoom at which `rect` fits a viewport of `width_px` × `height_px`, with `padding_px`
/// kept free on each side. Used to open the map on the whole corridor region.
#[must_use]
pub fn zoom_to_fit(rect: &WorldRect, width_px: f64, height_px: f64, padding_px: f64) -> f64 {
    let usable_w = (width_px - 2.0 * padding_px).max(1.0);
    let usable_h = (height_px - 2.0 * padding_px).max(1.0);
    let zoom_w = (usable_w / (rect.width().max(1e-12) * TILE_SIZE_PX)).log2();
    let zoom_h = (usable_h / (rect.height().max(1e-12) * TILE_SIZE_PX)).log2();
    zoom_w.min(zoom_h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_island_is_the_centre_of_the_world_square() {
        let p = world_from_lonlat(0.0, 0.0);
        assert!((p[0] - 0.5).abs() < 1e-15 && (p[1] - 0.5).abs() < 1e-15);
    }

    #[test]
    fn the_square_ends_at_85_05_degrees() {
        let north = world_from_lonlat(-180.0, MAX_LAT_DEG);
        assert!(north[0].abs() < 1e-15 && north[1].abs() < 1e-9);
        let south = world_from_lonlat(180.0, -MAX_LAT_DEG);
        assert!((south[0] - 1.0).abs() < 1e-15 && (south[1] - 1.0).abs() < 1e-9);
    }

    #[test]
    fn kabul_lands_in_the_osm_tile_that_contains_it() {
        // OSM tile for Kabul (69.1725 E, 34.5281 N) at zoom 10 is x=708, y=407 (computed with
        // the slippy-map formulas of the OSM wiki, in Python).
        let p = world_from_lonlat(69.1725, 34.5281);
        let n = 1024.0;
        assert_eq!(((p[0] * n).floor(), (p[1] * n).floor()), (708.0, 407.0));
    }

    #[test]
    fn lonlat_round_trips_through_world_units() {
        for (lon, lat) in [(44.0, 20.0), (90.0, 56.0), (-120.5, -33.3), (67.0, 24.86)] {
            let (lon2, lat2) = lonlat_from_world(world_from_lonlat(lon, lat));
            assert!((lon - lon2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9);
        }
    }

    #[test]
    fn zoom_to_fit_makes_the_rect_span_the_viewport() {
        let rect = WorldRect::from_corners([0.25, 0.25], [0.5, 0.375]);
        // A quarter of the world wide: at zoom z the world is 256·2^z px, so 1024 px fit at z=4.
        let z = zoom_to_fit(&rect, 1024.0, 2000.0, 0.0);
        assert!((z - 4.0).abs() < 1e-12, "{z}");
    }
}
