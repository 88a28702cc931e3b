//! Relief shading from the bundled elevation grid.
//!
//! Slopes are computed once per grid cell (Horn's 3×3 method, the one GDAL's `gdaldem
//! hillshade` uses) when the atlas arrives; a tile then only interpolates the slope at each
//! pixel and lights it. Interpolating slopes rather than elevations keeps deep zooms smooth
//! instead of faceted, because ETOPO5 cells (about 9 km) span hundreds of pixels there.

use crate::data::elevation::ElevationGrid;

/// Metres per degree of latitude, and of longitude at the equator. Only used to turn the
/// grid's degree spacing into a slope for shading (how steep a hill *looks*), never for a
/// distance shown to anyone.
const M_PER_DEG: f32 = 111_320.0;

/// Light from the north-west (azimuth 315°) at 45° altitude: the cartographic convention, so
/// relief reads as raised rather than sunken.
const LIGHT_AZIMUTH_DEG: f32 = 315.0;
const LIGHT_ALTITUDE_DEG: f32 = 45.0;

/// Width of the band along the grid's edge over which the relief fades out, degrees.
pub const FADE_DEG: f64 = 4.0;

/// Elevation and slope per grid cell, ready for shading.
#[derive(Clone, Debug)]
pub struct ShadeGrid {
    cols: usize,
    rows: usize,
    west_deg: f64,
    north_deg: f64,
    cell_deg: f64,
    /// Elevation (m), sea floor clamped to 0 so the sea stays flat.
    elevation: Vec<f32>,
    /// dz/d(east) and dz/d(north), metres per metre.
    slope: Vec<[f32; 2]>,
    /// A regional grid fades out towards its edge (weight 0 there); a world grid does not,
    /// and wraps around the antimeridian.
    global: bool,
}

/// What the grid says about one place.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReliefSample {
    pub elevation_m: f32,
    /// Lit brightness minus that of flat ground, about -1.7..0.3 (negative: in shadow).
    pub shade: f32,
    /// 1 inside the grid, fading to 0 over its outermost 4° (a quarter of a smaller grid) so
    /// the relief melts into the flat coarse world outside instead of ending in a seam.
    pub weight: f32,
}

impl ShadeGrid {
    /// Slopes for every cell of `grid` (no-data cells count as sea level).
    #[must_use]
    pub fn new(grid: &ElevationGrid) -> Self {
        let (cols, rows) = (grid.cols, grid.rows);
        let elevation: Vec<f32> = (0..rows)
            .flat_map(|r| (0..cols).map(move |c| (r, c)))
            .map(|(r, c)| f32::from(grid.cell(c, r).unwrap_or(0)).max(0.0))
            .collect();
        let at = |c: isize, r: isize| {
            let c = c.clamp(0, cols as isize - 1) as usize;
            let r = r.clamp(0, rows as isize - 1) as usize;
            elevation[r * cols + c]
        };
        let cell = grid.cell_deg as f32;
        let mut slope = Vec::with_capacity(cols * rows);
        for r in 0..rows {
            let lat = grid.north_deg - (r as f64 + 0.5) * grid.cell_deg;
            let dx_m = (cell * M_PER_DEG * (lat.to_radians().cos() as f32)).max(1.0);
            let dy_m = cell * M_PER_DEG;
            for c in 0..cols {
                let (c, r) = (c as isize, r as isize);
                // Horn: weighted differences across the 3×3 neighbourhood.
                let dzdx = ((at(c + 1, r - 1) + 2.0 * at(c + 1, r) + at(c + 1, r + 1))
                    - (at(c - 1, r - 1) + 2.0 * at(c - 1, r) + at(c - 1, r + 1)))
                    / (8.0 * dx_m);
                // Rows run southwards, so north is r - 1.
                let dzdy = ((at(c - 1, r - 1) + 2.0 * at(c, r - 1) + at(c + 1, r - 1))
                    - (at(c - 1, r + 1) + 2.0 * at(c, r + 1) + at(c + 1, r + 1)))
                    / (8.0 * dy_m);
                slope.push([dzdx, dzdy]);
            }
        }
        Self {
            cols,
            rows,
            west_deg: grid.west_deg,
            north_deg: grid.north_deg,
            cell_deg: grid.cell_deg,
            elevation,
            slope,
            global: false,
        }
    }

    /// Like [`ShadeGrid::new`], for a grid of the whole world: full weight everywhere (no
    /// fade at its edges) and longitudes wrapped, so the antimeridian shows no seam.
    #[must_use]
    pub fn global(grid: &ElevationGrid) -> Self {
        let mut s = Self::new(grid);
        s.global = true;
        s
    }

    /// Elevation and shading at a lon/lat, slopes exaggerated `z_factor` times; `None` outside
    /// the grid.
    #[must_use]
    pub fn sample(&self, lon_deg: f64, lat_deg: f64, z_factor: f32) -> Option<ReliefSample> {
        let (width, height) = (self.cols as f64, self.rows as f64);
        let mut fx = (lon_deg - self.west_deg) / self.cell_deg;
        if self.global {
            fx = fx.rem_euclid(360.0 / self.cell_deg);
        }
        let fy = (self.north_deg - lat_deg) / self.cell_deg;
        if !(fx >= 0.0 && fy >= 0.0 && fx <= width && fy <= height) {
            return None;
        }
        let weight = if self.global {
            1.0
        } else {
            // Fade over the outermost FADE_DEG (in cells): at slide zooms a one-degree fade
            // still read as a hard seam along the bundled grid's edge (issue 16).
            let fade_deg = FADE_DEG.min(width.min(height) * self.cell_deg / 4.0);
            let fade_cells = (fade_deg / self.cell_deg).max(1.0);
            let edge = fx.min(fy).min(width - fx).min(height - fy);
            (edge / fade_cells).clamp(0.0, 1.0) as f32
        };
        // Bilinear between cell centres.
        let gx = (fx - 0.5).clamp(0.0, width - 1.0);
        let gy = (fy - 0.5).clamp(0.0, height - 1.0);
        let (x0, y0) = (gx.floor() as usize, gy.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(self.cols - 1), (y0 + 1).min(self.rows - 1));
        let (tx, ty) = ((gx - x0 as f64) as f32, (gy - y0 as f64) as f32);
        let at = |x: usize, y: usize| y * self.cols + x;
        let (nw, ne, sw, se) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
        let mix = |va: f32, vb: f32, vc: f32, vd: f32| {
            let top = va + (vb - va) * tx;
            let bottom = vc + (vd - vc) * tx;
            top + (bottom - top) * ty
        };
        let elev = &self.elevation;
        let slope = &self.slope;
        let elevation_m = mix(elev[nw], elev[ne], elev[sw], elev[se]);
        let p = mix(slope[nw][0], slope[ne][0], slope[sw][0], slope[se][0]) * z_factor;
        let q = mix(slope[nw][1], slope[ne][1], slope[sw][1], slope[se][1]) * z_factor;
        Some(ReliefSample {
            elevation_m,
            shade: shade(p, q),
            weight,
        })
    }
}

impl ReliefSample {
    /// This (regional) sample laid over `base` (the world grid's) by this sample's weight:
    /// where the regional grid fades out at its edge, the world relief takes over, so the
    /// shading runs on across the edge instead of ending in flat land.
    #[must_use]
    pub fn over(self, base: ReliefSample) -> ReliefSample {
        let t = self.weight;
        let lerp = |a: f32, b: f32| a + (b - a) * t;
        ReliefSample {
            elevation_m: lerp(base.elevation_m, self.elevation_m),
            shade: lerp(base.shade, self.shade),
            weight: lerp(base.weight, 1.0),
        }
    }
}

/// Brightness of a surface with slopes `p` = dz/dx (east) and `q` = dz/dy (north), minus that
/// of flat ground, under the fixed north-west light.
#[must_use]
pub fn shade(p: f32, q: f32) -> f32 {
    let az = LIGHT_AZIMUTH_DEG.to_radians();
    let alt = LIGHT_ALTITUDE_DEG.to_radians();
    // Unit vector towards the light (east, north, up); azimuth clockwise from north.
    let light = [alt.cos() * az.sin(), alt.cos() * az.cos(), alt.sin()];
    // Surface normal of z = p·x + q·y is (-p, -q, 1), normalised.
    let norm = (p * p + q * q + 1.0).sqrt();
    let lit = (-p * light[0] - q * light[1] + light[2]) / norm;
    lit - light[2]
}

/// Vertical exaggeration for a zoom: coarse zooms see whole ranges in a few pixels and need
/// more to show them; deep zooms see one 9 km cell over hundreds of pixels and need less.
#[must_use]
pub fn z_factor_for_zoom(zoom: u8) -> f32 {
    let z = f32::from(zoom);
    (2.0_f32.powf((12.0 - z) * 0.3)).clamp(2.5, 8.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_ground_is_neutral_and_slopes_facing_the_light_are_brighter() {
        assert!(shade(0.0, 0.0).abs() < 1e-6);
        // The light is in the north-west: ground rising eastwards faces west and is lit,
        // ground rising westwards is in shadow.
        assert!(shade(0.5, 0.0) > 0.0);
        assert!(shade(-0.5, 0.0) < 0.0);
        // Rising northwards faces south: shadow.
        assert!(shade(0.0, 0.5) < 0.0);
    }

    #[test]
    fn a_ridge_running_north_south_is_lit_on_its_west_side() -> Result<(), String> {
        // 5 columns × 3 rows of 1° cells, a ridge in the middle column.
        let row = [0i16, 1000, 3000, 1000, 0];
        let data: Vec<i16> = row.iter().chain(&row).chain(&row).copied().collect();
        let grid = ElevationGrid::new(5, 3, 60.0, 41.0, 1.0, data).ok_or("grid")?;
        let s = ShadeGrid::new(&grid);
        let west = s.sample(61.5, 39.5, 1.0).ok_or("west")?;
        let east = s.sample(63.5, 39.5, 1.0).ok_or("east")?;
        assert!(west.shade > 0.0 && east.shade < 0.0, "{west:?} {east:?}");
        assert!((s.sample(62.5, 39.5, 1.0).ok_or("top")?.elevation_m - 3000.0).abs() < 1e-3);
        assert!(s.sample(59.0, 39.5, 1.0).is_none());
        Ok(())
    }

    #[test]
    fn the_relief_fades_out_at_the_grid_edge() -> Result<(), String> {
        let grid = ElevationGrid::new(24, 24, 60.0, 42.0, 0.25, vec![100; 576]).ok_or("grid")?;
        let s = ShadeGrid::new(&grid);
        let centre = s.sample(63.0, 39.0, 1.0).ok_or("centre")?;
        let edge = s.sample(60.05, 39.0, 1.0).ok_or("edge")?;
        assert!((centre.weight - 1.0).abs() < 1e-6);
        assert!(edge.weight < 0.1);
        // A large grid fades over 4°: halfway 2° in, whole 4° in, linear in between.
        let big = ElevationGrid::new(80, 80, 60.0, 50.0, 0.25, vec![100; 6400]).ok_or("grid")?;
        let s = ShadeGrid::new(&big);
        let w = |lon: f64| s.sample(lon, 40.0, 1.0).map(|r| r.weight).ok_or("inside");
        assert!((w(62.0)? - 0.5).abs() < 1e-6);
        assert!((w(64.0)? - 1.0).abs() < 1e-6);
        assert!((w(61.0)? - 0.25).abs() < 1e-6);
        Ok(())
    }

    #[test]
    fn a_world_grid_does_not_fade_and_wraps_at_the_antimeridian() -> Result<(), String> {
        // 1° cells over the whole globe; elevation = 10 m × column, so the column is legible.
        let (cols, rows) = (360, 180);
        let data: Vec<i16> = (0..rows)
            .flat_map(|_| (0..cols).map(|c: i16| c * 10))
            .collect();
        let grid =
            ElevationGrid::new(cols as usize, rows, -180.0, 90.0, 1.0, data).ok_or("grid")?;
        let s = ShadeGrid::global(&grid);
        // Full weight right at the edge (a regional grid would be at 0 there).
        let edge = s.sample(-179.9, 0.0, 1.0).ok_or("edge")?;
        assert!((edge.weight - 1.0).abs() < 1e-6);
        // 180° E is -180° E: the first column (centre -179.5, 0 m) begins there again.
        let wrapped = s.sample(180.2, 0.0, 1.0).ok_or("wrapped")?;
        let first = s.sample(-179.8, 0.0, 1.0).ok_or("first")?;
        assert!(
            (wrapped.elevation_m - first.elevation_m).abs() < 1e-3,
            "{wrapped:?} {first:?}"
        );
        assert!(s.sample(0.0, 91.0, 1.0).is_none(), "beyond the pole");
        Ok(())
    }

    #[test]
    fn a_regional_sample_lies_over_the_world_one_by_its_weight() {
        let world = ReliefSample {
            elevation_m: 100.0,
            shade: -0.2,
            weight: 1.0,
        };
        let fading = ReliefSample {
            elevation_m: 500.0,
            shade: 0.2,
            weight: 0.25,
        };
        let r = fading.over(world);
        // A quarter of the way from the world's values to the regional ones.
        assert!((r.elevation_m - 200.0).abs() < 1e-4);
        assert!((r.shade - (-0.1)).abs() < 1e-6);
        assert!((r.weight - 1.0).abs() < 1e-6);
        let full = ReliefSample {
            weight: 1.0,
            ..fading
        }
        .over(world);
        assert!((full.elevation_m - 500.0).abs() < 1e-4);
    }

    #[test]
    fn exaggeration_grows_as_the_map_zooms_out() {
        assert!(z_factor_for_zoom(3) > z_factor_for_zoom(8));
        assert!(z_factor_for_zoom(14) >= 2.5);
    }
}
