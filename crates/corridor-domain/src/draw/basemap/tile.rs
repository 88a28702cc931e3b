//! Slippy-map tile arithmetic in world units (see [`crate::map::mercator`]): which square of
//! the world a tile covers, which tiles cover a rectangle, and where a tile sits inside one of
//! its ancestors (so a parent texture can stand in, scaled, while a child is being made).

use serde::{Deserialize, Serialize};

use crate::map::mercator::{WorldPoint, WorldRect};

/// Deepest zoom a tile key may have. 2^31 tiles per axis still fit a `u32`.
pub const MAX_ZOOM: u8 = 31;

/// One tile of the XYZ grid (the OpenStreetMap convention: y grows southwards).
///
/// The domain's own copy of walkers' `TileId`, so the renderer needs no GUI crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TileKey {
    pub zoom: u8,
    pub x: u32,
    pub y: u32,
}

impl TileKey {
    /// A key, or `None` if `x`/`y` lie outside the grid of `zoom`.
    #[must_use]
    pub fn new(zoom: u8, x: u32, y: u32) -> Option<Self> {
        let n = tiles_per_axis(zoom)?;
        (u64::from(x) < n && u64::from(y) < n).then_some(Self { zoom, x, y })
    }

    /// The world rectangle the tile covers.
    #[must_use]
    pub fn world_rect(self) -> WorldRect {
        let size = tile_world_size(self.zoom);
        let min = [f64::from(self.x) * size, f64::from(self.y) * size];
        WorldRect {
            min,
            max: [min[0] + size, min[1] + size],
        }
    }

    /// The ancestor `levels` zooms up (itself for 0), and the part of it this tile covers as a
    /// `[u_min, v_min, u_max, v_max]` rectangle in the ancestor's texture coordinates (0..1).
    #[must_use]
    pub fn ancestor(self, levels: u8) -> Option<(TileKey, [f32; 4])> {
        if levels > self.zoom {
            return None;
        }
        let scale = 1u64 << levels;
        let (x, y) = (u64::from(self.x), u64::from(self.y));
        let parent = TileKey {
            zoom: self.zoom - levels,
            x: (x / scale) as u32,
            y: (y / scale) as u32,
        };
        let step = 1.0 / scale as f64;
        let u = (x % scale) as f64 * step;
        let v = (y % scale) as f64 * step;
        Some((
            parent,
            [u as f32, v as f32, (u + step) as f32, (v + step) as f32],
        ))
    }

    /// The row number in the TMS convention (y grows northwards), as `MBTiles` stores it.
    #[must_use]
    pub fn tms_y(self) -> u32 {
        let n = tiles_per_axis(self.zoom).unwrap_or(1);
        (n - 1 - u64::from(self.y)) as u32
    }
}

impl std::fmt::Display for TileKey {
    /// `z/x/y`, the way tile URLs and error messages name a tile.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.zoom, self.x, self.y)
    }
}

/// Tiles along one axis at `zoom` (`None` above [`MAX_ZOOM`]).
#[must_use]
pub fn tiles_per_axis(zoom: u8) -> Option<u64> {
    (zoom <= MAX_ZOOM).then(|| 1u64 << zoom)
}

/// Edge of one tile at `zoom`, in world units.
#[must_use]
pub fn tile_world_size(zoom: u8) -> f64 {
    (-f64::from(zoom)).exp2()
}

/// The tile containing a world point at `zoom` (points on the far edges belong to the last
/// tile, points outside the square are clamped into it).
#[must_use]
pub fn tile_at(p: WorldPoint, zoom: u8) -> TileKey {
    let zoom = zoom.min(MAX_ZOOM);
    let n = 1u64 << zoom;
    let idx = |v: f64| ((v.clamp(0.0, 1.0) * n as f64).floor() as u64).min(n - 1) as u32;
    TileKey {
        zoom,
        x: idx(p[0]),
        y: idx(p[1]),
    }
}

/// Every tile at `zoom` that overlaps `rect` (row by row, west to east). A tile that only
/// touches the east or south edge is left out.
#[must_use]
pub fn tiles_covering(rect: &WorldRect, zoom: u8) -> Vec<TileKey> {
    let a = tile_at(rect.min, zoom);
    // Nudge the far corner inwards so an edge that falls on a tile boundary does not pull in
    // the next row or column.
    let eps = tile_world_size(zoom) * 1e-9;
    let b = tile_at(
        [
            (rect.max[0] - eps).max(rect.min[0]),
            (rect.max[1] - eps).max(rect.min[1]),
        ],
        zoom,
    );
    let mut out = Vec::with_capacity(((b.x - a.x + 1) * (b.y - a.y + 1)) as usize);
    for y in a.y..=b.y {
        for x in a.x..=b.x {
            out.push(TileKey { zoom: a.zoom, x, y });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::mercator::world_from_lonlat;

    #[test]
    fn kabul_is_in_the_osm_tile_708_407_at_zoom_10() {
        // Same reference as the mercator tests (OSM wiki formulas, computed in Python).
        let k = tile_at(world_from_lonlat(69.1725, 34.5281), 10);
        assert_eq!((k.zoom, k.x, k.y), (10, 708, 407));
        let r = k.world_rect();
        let p = world_from_lonlat(69.1725, 34.5281);
        assert!(r.min[0] <= p[0] && p[0] < r.max[0] && r.min[1] <= p[1] && p[1] < r.max[1]);
    }

    #[test]
    fn an_ancestor_covers_its_descendant_with_the_right_uv() -> Result<(), String> {
        let k = TileKey::new(5, 22, 13).ok_or("valid key")?;
        let (p, uv) = k.ancestor(2).ok_or("ancestor")?;
        assert_eq!((p.zoom, p.x, p.y), (3, 5, 3));
        // 22 = 5·4 + 2 and 13 = 3·4 + 1: third column, second row of a 4×4 split.
        assert!(
            uv.iter()
                .zip([0.5, 0.25, 0.75, 0.5])
                .all(|(a, b)| (a - b).abs() < 1e-7),
            "{uv:?}"
        );
        // The uv rectangle maps back onto the child's world rectangle.
        let pr = p.world_rect();
        let kr = k.world_rect();
        let u_to_world = |u: f32| pr.min[0] + f64::from(u) * pr.width();
        assert!((u_to_world(uv[0]) - kr.min[0]).abs() < 1e-12);
        assert!((u_to_world(uv[2]) - kr.max[0]).abs() < 1e-12);
        assert_eq!(k.ancestor(0).map(|a| a.0), Some(k));
        assert_eq!(k.ancestor(6), None);
        Ok(())
    }

    #[test]
    fn tms_rows_count_from_the_south() {
        assert_eq!(
            TileKey {
                zoom: 0,
                x: 0,
                y: 0
            }
            .tms_y(),
            0
        );
        assert_eq!(
            TileKey {
                zoom: 3,
                x: 1,
                y: 0
            }
            .tms_y(),
            7
        );
        assert_eq!(
            TileKey {
                zoom: 3,
                x: 1,
                y: 6
            }
            .tms_y(),
            1
        );
    }

    #[test]
    fn tiles_covering_the_region_at_zoom_4_form_a_block() {
        let region = WorldRect::from_lonlat_bounds(44.0, 20.0, 90.0, 56.0);
        let tiles = tiles_covering(&region, 4);
        // lon 44..90 → x 9..11 (90° E is the west edge of x = 12, which only touches),
        // lat 56..20 N → y 4..7 (world y 0.311 and 0.443, times 16).
        assert_eq!(tiles.first().map(|t| (t.x, t.y)), Some((9, 4)));
        assert_eq!(tiles.last().map(|t| (t.x, t.y)), Some((11, 7)));
        assert_eq!(tiles.len(), 12);
    }

    #[test]
    fn keys_outside_the_grid_are_refused() {
        assert!(TileKey::new(2, 4, 0).is_none());
        assert!(TileKey::new(2, 3, 3).is_some());
        assert!(TileKey::new(40, 0, 0).is_none());
    }
}
