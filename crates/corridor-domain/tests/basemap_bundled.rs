//! The embedded basemap over the real bundled data. Runs when `geodata/` holds the real
//! layers (it skips, saying so, while they are placeholders).
//!
//! `BASEMAP_PREVIEW_DIR=/tmp/basemap cargo test --test basemap_bundled` also writes preview
//! PNGs there (a 3×3 stitch of the region at zoom 4, Khyber/Kabul at zoom 8 in both styles)
//! for a person to look at.

use std::sync::{Arc, OnceLock};

use corridor_domain::Atlas;
use corridor_domain::draw::basemap::palette::LIGHT;
use corridor_domain::draw::basemap::tile::tile_at;
use corridor_domain::draw::basemap::{BasemapRenderer, BasemapStyle, TileKey};
use corridor_domain::map::mercator::world_from_lonlat;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The renderer over the bundled data, or `None` while the data are placeholders.
fn renderer() -> Option<&'static BasemapRenderer> {
    static R: OnceLock<Option<BasemapRenderer>> = OnceLock::new();
    R.get_or_init(|| {
        let atlas = Atlas::load_bundled();
        let has_land = atlas
            .layer_index("land")
            .is_some_and(|i| !atlas.layers[i].features.is_empty());
        // No silent skip: the bundled data must be there.
        assert!(
            has_land && atlas.elevation.is_some(),
            "geodata/ holds no land layer or elevation grid"
        );
        Some(BasemapRenderer::new(Arc::new(atlas)))
    })
    .as_ref()
}

// r (renderer), w (world point), x/y/z: tile maths reads best short.
#[allow(clippy::many_single_char_names)]
fn pixel_at(r: &BasemapRenderer, lon: f64, lat: f64, zoom: u8, style: BasemapStyle) -> [u8; 4] {
    let w = world_from_lonlat(lon, lat);
    let key = tile_at(w, zoom);
    let rect = key.world_rect();
    let s = 256.0 / rect.width();
    let (x, y) = (
        ((w[0] - rect.min[0]) * s) as u32,
        ((w[1] - rect.min[1]) * s) as u32,
    );
    r.render(key, style, 256)
        .and_then(|p| p.pixel(x, y))
        .map_or([0; 4], |c| [c.red(), c.green(), c.blue(), c.alpha()])
}

fn distance(a: [u8; 4], b: [u8; 4]) -> i32 {
    (0..3)
        .map(|i| (i32::from(a[i]) - i32::from(b[i])).abs())
        .sum()
}

#[test]
fn the_arabian_sea_is_sea_and_the_steppe_and_tibet_are_land() {
    let Some(r) = renderer() else { return };
    for zoom in [4, 8, 12] {
        assert_eq!(
            pixel_at(r, 63.0, 18.0, zoom, BasemapStyle::Light),
            LIGHT.sea,
            "z{zoom}"
        );
        for (lon, lat) in [(70.0, 48.0), (85.0, 33.0)] {
            let p = pixel_at(r, lon, lat, zoom, BasemapStyle::Light);
            assert!(
                distance(p, LIGHT.sea) > 40,
                "{lon},{lat} z{zoom}: {p:?} looks like sea"
            );
        }
    }
    // The Caspian is sea in Natural Earth.
    assert_eq!(pixel_at(r, 51.0, 42.0, 7, BasemapStyle::Light), LIGHT.sea);
}

#[test]
fn the_hindu_kush_shows_relief_and_the_steppe_little() -> TestResult {
    let Some(r) = renderer() else { return Ok(()) };
    // Spread of brightness across a zoom-7 tile.
    let spread = |lon: f64, lat: f64| -> Result<f64, String> {
        let p = r
            .render(
                tile_at(world_from_lonlat(lon, lat), 7),
                BasemapStyle::Light,
                256,
            )
            .ok_or("render")?;
        let lum: Vec<f64> = p
            .pixels()
            .iter()
            .map(|c| f64::from(c.red()) + f64::from(c.green()) + f64::from(c.blue()))
            .collect();
        let mean = lum.iter().sum::<f64>() / lum.len() as f64;
        Ok((lum.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / lum.len() as f64).sqrt())
    };
    let mountains = spread(70.5, 35.5)?;
    let steppe = spread(68.0, 48.5)?;
    assert!(
        mountains > 3.0 * steppe && mountains > 20.0,
        "{mountains} vs {steppe}"
    );
    Ok(())
}

#[test]
fn every_zoom_renders_outside_the_region_too() {
    let Some(r) = renderer() else { return };
    // Outside the detailed data: plain land and sea from world_land, never a failure.
    for (lon, lat) in [(-100.0, 40.0), (20.0, 0.0), (140.0, -25.0)] {
        for zoom in [0, 3, 9, 14] {
            let key = tile_at(world_from_lonlat(lon, lat), zoom);
            assert!(r.render(key, BasemapStyle::Dark, 256).is_some(), "{key}");
        }
    }
}

#[test]
fn previews_for_a_person_to_look_at() -> TestResult {
    let Some(r) = renderer() else { return Ok(()) };
    let Ok(dir) = std::env::var("BASEMAP_PREVIEW_DIR") else {
        return Ok(());
    };
    std::fs::create_dir_all(&dir)?;
    let stitch = |centre: (f64, f64), zoom: u8, style: BasemapStyle, px: u32, name: &str| {
        let c = tile_at(world_from_lonlat(centre.0, centre.1), zoom);
        let mut out = tiny_skia::Pixmap::new(px * 3, px * 3).ok_or("pixmap")?;
        for dy in 0..3u32 {
            for dx in 0..3u32 {
                let key = TileKey::new(zoom, c.x + dx - 1, c.y + dy - 1).ok_or("key")?;
                let t = r.render(key, style, px).ok_or("render")?;
                out.draw_pixmap(
                    (dx * px) as i32,
                    (dy * px) as i32,
                    t.as_ref(),
                    &tiny_skia::PixmapPaint::default(),
                    tiny_skia::Transform::identity(),
                    None,
                );
            }
        }
        out.save_png(format!("{dir}/{name}.png"))
            .map_err(|e| e.to_string())
    };
    stitch((66.0, 38.0), 4, BasemapStyle::Light, 256, "region_z4_light")?;
    stitch((66.0, 38.0), 4, BasemapStyle::Dark, 256, "region_z4_dark")?;
    stitch((70.0, 34.3), 8, BasemapStyle::Light, 256, "khyber_z8_light")?;
    stitch((70.0, 34.3), 8, BasemapStyle::Dark, 256, "khyber_z8_dark")?;
    stitch(
        (70.0, 34.3),
        8,
        BasemapStyle::Light,
        512,
        "khyber_z8_light_2x",
    )?;
    stitch(
        (69.17, 34.53),
        12,
        BasemapStyle::Light,
        256,
        "kabul_z12_light",
    )?;
    Ok(())
}
