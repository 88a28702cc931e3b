//! The embedded offline basemap: raster tiles rendered in-process from the bundled geodata
//! (land, sea, lakes, rivers, coastline, borders, relief shading), at any zoom, with no
//! network. Pure: no egui, walkers or threads here; the GUI's tile source
//! (`app::tiles`) calls [`BasemapRenderer::render`] on its worker threads and caches the
//! results.
//!
//! - [`tile`]: XYZ tile arithmetic in world units.
//! - [`palette`]: the light and dark styles.
//! - [`clip`]: clipping rings and lines to a tile in f64 before tiny-skia sees them.
//! - [`hillshade`]: slopes of the elevation grid and the lighting of them.
//! - [`render`]: the rasterizer.

pub mod clip;
pub mod hillshade;
pub mod palette;
pub mod render;
pub mod tile;

pub use palette::{BasemapStyle, Palette};
pub use render::{BASE_TILE_PX, BasemapRenderer};
pub use tile::TileKey;

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use geo::{Geometry, LineString, polygon};
    use serde_json::json;

    use super::*;
    use crate::data::elevation::ElevationGrid;
    use crate::map::layer::{Layer, LayerKind};
    use crate::map::mercator::world_from_lonlat;
    use crate::{Atlas, Feature};

    fn feature(g: impl Into<Geometry<f64>>, props: serde_json::Value) -> Feature {
        let serde_json::Value::Object(m) = props else {
            return Feature::new(g.into(), serde_json::Map::new());
        };
        Feature::new(g.into(), m)
    }

    fn layer(kind: LayerKind, id: &str, features: Vec<Feature>) -> Layer {
        Layer::new(kind, id, id, "test", features)
    }

    /// Land is the square lon 60..70 E, lat 30..40 N; a border runs along 65° E through it.
    fn synthetic_atlas(elevation: Option<ElevationGrid>) -> Arc<Atlas> {
        let land = polygon![(x: 60.0, y: 30.0), (x: 70.0, y: 30.0), (x: 70.0, y: 40.0), (x: 60.0, y: 40.0)];
        let border = LineString::from(vec![(65.0, 30.0), (65.0, 40.0)]);
        Arc::new(Atlas {
            layers: vec![
                Arc::new(layer(
                    LayerKind::Land,
                    "land",
                    vec![feature(land, json!({}))],
                )),
                Arc::new(layer(
                    LayerKind::Borders,
                    "borders",
                    vec![feature(border, json!({"kind": "international"}))],
                )),
            ],
            elevation: elevation.map(Arc::new),
            world_elevation: None,
            problems: Vec::new(),
        })
    }

    fn pixel(p: &tiny_skia::Pixmap, x: u32, y: u32) -> [u8; 4] {
        p.pixel(x, y)
            .map_or([0; 4], |c| [c.red(), c.green(), c.blue(), c.alpha()])
    }

    fn close(a: [u8; 4], b: [u8; 4], tol: i32) -> bool {
        a.iter()
            .zip(b.iter())
            .all(|(x, y)| (i32::from(*x) - i32::from(*y)).abs() <= tol)
    }

    /// The tile at `zoom` containing lon/lat, and the pixel of lon/lat in it.
    fn tile_and_pixel(lon: f64, lat: f64, zoom: u8, size: u32) -> (TileKey, [f64; 2]) {
        let w = world_from_lonlat(lon, lat);
        let key = tile::tile_at(w, zoom);
        let r = key.world_rect();
        let s = f64::from(size) / r.width();
        (key, [(w[0] - r.min[0]) * s, (w[1] - r.min[1]) * s])
    }

    #[test]
    fn a_tile_over_open_sea_is_sea_coloured() -> Result<(), String> {
        let r = BasemapRenderer::new(synthetic_atlas(None));
        let (key, _) = tile_and_pixel(0.0, 0.0, 6, 256);
        let p = r.render(key, BasemapStyle::Light, 256).ok_or("render")?;
        for (x, y) in [(0, 0), (128, 128), (255, 255)] {
            assert_eq!(pixel(&p, x, y), palette::LIGHT.sea);
        }
        Ok(())
    }

    #[test]
    fn a_tile_inside_the_land_is_land_coloured_in_both_styles() -> Result<(), String> {
        let r = BasemapRenderer::new(synthetic_atlas(None));
        let (key, _) = tile_and_pixel(62.0, 33.0, 8, 256);
        for style in BasemapStyle::ALL {
            let p = r.render(key, style, 256).ok_or("render")?;
            assert_eq!(pixel(&p, 128, 128), style.palette().land, "{style:?}");
        }
        Ok(())
    }

    #[test]
    fn the_coast_falls_where_the_projection_puts_it() -> Result<(), String> {
        // 60° E is the west coast of the square: sea just west of it, land just east.
        let r = BasemapRenderer::new(synthetic_atlas(None));
        let (key, px) = tile_and_pixel(60.0, 35.0, 7, 256);
        let p = r.render(key, BasemapStyle::Light, 256).ok_or("render")?;
        let (x, y) = (px[0].round() as u32, px[1] as u32);
        assert_eq!(pixel(&p, x - 3, y), palette::LIGHT.sea);
        assert_eq!(pixel(&p, x + 3, y), palette::LIGHT.land);
        Ok(())
    }

    #[test]
    fn a_border_shows_up_where_the_projection_says_at_1x_and_2x() -> Result<(), String> {
        let r = BasemapRenderer::new(synthetic_atlas(None));
        for size in [256, 512] {
            let (key, px) = tile_and_pixel(65.0, 35.0, 6, size);
            let p = r.render(key, BasemapStyle::Light, size).ok_or("render")?;
            let (x, y) = (px[0].floor() as u32, px[1] as u32);
            let on = pixel(&p, x, y);
            let border = [123, 79, 142, 255];
            assert!(close(on, border, 40), "{size}: {on:?} at {x},{y}");
            // Well away from the line, plain land.
            let off = 12 * size / 256;
            assert_eq!(pixel(&p, x - off, y), palette::LIGHT.land, "{size}");
            assert_eq!(pixel(&p, x + off, y), palette::LIGHT.land, "{size}");
        }
        Ok(())
    }

    #[test]
    fn a_north_south_ridge_is_lit_on_its_west_flank_and_shaded_on_its_east() -> Result<(), String> {
        // 0.1° cells over 63..67 E, 33..37 N; a ridge along 65° E rising 1000 m per cell
        // (slope about 0.11, a real mountain front at ETOPO5's resolution).
        let (cols, rows) = (40, 40);
        let row: Vec<i16> = (0..cols)
            .map(|c: i32| (8000 - 1000 * (2 * c - 39).abs() / 2).max(0) as i16)
            .collect();
        let data: Vec<i16> = (0..rows).flat_map(|_| row.clone()).collect();
        let grid = ElevationGrid::new(cols as usize, rows, 63.0, 37.0, 0.1, data).ok_or("grid")?;
        let r = BasemapRenderer::new(synthetic_atlas(Some(grid)));
        let lum = |c: [u8; 4]| u32::from(c[0]) + u32::from(c[1]) + u32::from(c[2]);
        let (kw, pw) = tile_and_pixel(64.7, 35.0, 7, 256);
        let (ke, pe) = tile_and_pixel(65.3, 35.0, 7, 256);
        let west = r.render(kw, BasemapStyle::Light, 256).ok_or("render")?;
        let east = r.render(ke, BasemapStyle::Light, 256).ok_or("render")?;
        let lw = lum(pixel(&west, pw[0] as u32, pw[1] as u32));
        let le = lum(pixel(&east, pe[0] as u32, pe[1] as u32));
        let flat = lum(palette::LIGHT.land);
        assert!(le + 30 < lw, "east {le} should be darker than west {lw}");
        assert!(
            le + 30 < flat,
            "east flank {le} should be darker than flat land {flat}"
        );
        Ok(())
    }

    #[test]
    fn the_world_relief_shades_where_the_regional_grid_ends() -> Result<(), String> {
        // Regional grid: flat 63..67 E. World grid: 0.5° cells over 50..80 E, 20..50 N with a
        // north-south ridge along 69° E (outside the regional grid, inside the land square).
        let regional =
            ElevationGrid::new(40, 40, 63.0, 37.0, 0.1, vec![500; 1600]).ok_or("grid")?;
        let (cols, rows) = (60_i32, 60);
        let row: Vec<i16> = (0..cols)
            .map(|c| (4000 - 1000 * (2 * c - 75).abs()).max(0) as i16)
            .collect();
        let data: Vec<i16> = (0..rows).flat_map(|_| row.clone()).collect();
        let world = ElevationGrid::new(60, 60, 50.0, 50.0, 0.5, data).ok_or("grid")?;
        let lum = |c: [u8; 4]| u32::from(c[0]) + u32::from(c[1]) + u32::from(c[2]);
        let shade_at = |atlas: Arc<Atlas>, lon: f64| -> Result<u32, String> {
            let r = BasemapRenderer::new(atlas);
            let (k, p) = tile_and_pixel(lon, 35.0, 7, 256);
            let t = r.render(k, BasemapStyle::Light, 256).ok_or("render")?;
            Ok(lum(pixel(&t, p[0] as u32, p[1] as u32)))
        };
        let mut with = (*synthetic_atlas(Some(regional.clone()))).clone();
        with.world_elevation = Some(Arc::new(world));
        let with = Arc::new(with);
        let (west, east) = (shade_at(Arc::clone(&with), 68.6)?, shade_at(with, 69.4)?);
        assert!(
            east + 30 < west,
            "east flank {east} should be darker than west {west}"
        );
        // Without the world grid the same places are flat land: one colour.
        let without = synthetic_atlas(Some(regional));
        let (w0, e0) = (
            shade_at(Arc::clone(&without), 68.6)?,
            shade_at(without, 69.4)?,
        );
        assert_eq!(w0, e0);
        Ok(())
    }

    #[test]
    fn coarse_world_land_never_covers_the_sea_inside_the_detailed_land_extent() -> Result<(), String>
    {
        // world_land: a big square 50..80 E, 20..50 N; detailed land: 60..70 E, 30..40 N.
        let world = polygon![(x: 50.0, y: 20.0), (x: 80.0, y: 20.0), (x: 80.0, y: 50.0), (x: 50.0, y: 50.0)];
        let mut atlas = (*synthetic_atlas(None)).clone();
        atlas.layers.insert(
            0,
            Arc::new(layer(
                LayerKind::Land,
                "world_land",
                vec![feature(world, json!({}))],
            )),
        );
        let r = BasemapRenderer::new(Arc::new(atlas));
        // Outside the detailed extent, the coarse layer decides: land.
        let (k, p) = tile_and_pixel(75.0, 45.0, 6, 256);
        let t = r.render(k, BasemapStyle::Light, 256).ok_or("render")?;
        assert_eq!(pixel(&t, p[0] as u32, p[1] as u32), palette::LIGHT.land);
        // Beyond both: sea.
        let (k, p) = tile_and_pixel(85.0, 45.0, 6, 256);
        let t = r.render(k, BasemapStyle::Light, 256).ok_or("render")?;
        assert_eq!(pixel(&t, p[0] as u32, p[1] as u32), palette::LIGHT.sea);
        Ok(())
    }

    #[test]
    fn an_empty_atlas_renders_plain_sea_at_every_zoom() -> Result<(), String> {
        let r = BasemapRenderer::new(Arc::new(Atlas::default()));
        for zoom in [0, 4, 9, 14] {
            let (key, _) = tile_and_pixel(66.0, 35.0, zoom, 256);
            let p = r.render(key, BasemapStyle::Dark, 256).ok_or("render")?;
            assert_eq!(pixel(&p, 100, 100), palette::DARK.sea);
        }
        Ok(())
    }
}
