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
use corridor_domain::draw::render::map::render_layer_tile;
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

/// The basemap tile `key` with the country fills drawn over it as the map and the slides draw
/// them (both parts of the `countries` layer, their own styles).
fn with_country_fills(r: &BasemapRenderer, key: TileKey) -> Result<tiny_skia::Pixmap, String> {
    let atlas = r.atlas();
    // Both parts of the countries layer: the regional one and the coarse world one.
    let fills: Vec<_> = atlas
        .layers
        .iter()
        .filter(|l| l.id == "countries")
        .cloned()
        .collect();
    if fills.len() != 2 {
        return Err(format!("{} parts of the countries layer", fills.len()));
    }
    let mut base = r.render(key, BasemapStyle::Light, 256).ok_or("render")?;
    let over = render_layer_tile(&fills, key, 256).ok_or("fills")?;
    base.draw_pixmap(
        0,
        0,
        over.as_ref(),
        &tiny_skia::PixmapPaint::default(),
        tiny_skia::Transform::identity(),
        None,
    );
    Ok(base)
}

fn rgb(p: &tiny_skia::Pixmap, x: u32, y: u32) -> [i32; 3] {
    p.pixel(x, y)
        .map_or([0; 3], |c| [c.red(), c.green(), c.blue()].map(i32::from))
}

fn diff(a: [i32; 3], b: [i32; 3]) -> i32 {
    (0..3).map(|i| (a[i] - b[i]).abs()).sum()
}

/// Pixel of a lon/lat in tile `key` (256 px).
fn px_in(key: TileKey, lon: f64, lat: f64) -> [f64; 2] {
    let w = world_from_lonlat(lon, lat);
    let rect = key.world_rect();
    let s = 256.0 / rect.width();
    [(w[0] - rect.min[0]) * s, (w[1] - rect.min[1]) * s]
}

#[test]
fn colours_run_on_across_the_40e_edge_of_the_detailed_region() -> TestResult {
    let Some(r) = renderer() else { return Ok(()) };
    // Eastern Turkey: 40° E runs through the tile, Turkey on both sides of it between 37.5°
    // and 40.5° N (the Syrian border is south of 37° N here, the Black Sea north of 40.9° N).
    // Three zooms, so 40° E falls at different fractions of a pixel (0.22 at zoom 5, 0.44 at
    // 6, 0.89 at 7): a pixel column the edge runs through must not be cleared of land.
    for zoom in [5, 6, 7] {
        let key = tile_at(world_from_lonlat(40.0, 39.0), zoom);
        let tile = with_country_fills(r, key)?;
        let seam = px_in(key, 40.0, 39.0)[0].floor() as u32;
        let (y0, y1) = (
            px_in(key, 40.0, 40.5)[1].ceil() as u32,
            px_in(key, 40.0, 37.5)[1].floor() as u32,
        );
        assert!(
            seam >= 10 && seam + 10 < 256 && y1 > y0 + 40,
            "z{zoom}: {seam} {y0}..{y1}"
        );
        // Across the seam (3 px left to 3 px right) the colour changes no more than it does
        // over the same distance just beside it (the relief varies a little everywhere).
        let step = |a: u32, b: u32| -> f64 {
            let total: i32 = (y0..y1)
                .map(|y| diff(rgb(&tile, a, y), rgb(&tile, b, y)))
                .sum();
            f64::from(total) / f64::from(y1 - y0)
        };
        let across = step(seam - 3, seam + 3);
        let beside = step(seam - 9, seam - 3).max(step(seam + 3, seam + 9));
        assert!(
            across <= beside + 4.0,
            "z{zoom}: step across 40° E {across:.1}, beside it {beside:.1}"
        );
        // And no line along the seam itself: its columns look like their neighbours.
        for x in [seam, seam + 1] {
            let line = f64::midpoint(step(x, seam - 3), step(x, seam + 4));
            assert!(
                line <= beside + 4.0,
                "z{zoom}: column {x}: {line:.1} vs {beside:.1}"
            );
        }
        // The tint is there on both sides (not a plain basemap): Turkey's fill changes the land.
        let plain = r.render(key, BasemapStyle::Light, 256).ok_or("render")?;
        let mid = u32::midpoint(y0, y1);
        for x in [seam - 8, seam + 8] {
            assert!(
                diff(rgb(&tile, x, mid), rgb(&plain, x, mid)) >= 6,
                "z{zoom}: no fill at column {x}"
            );
        }
    }
    Ok(())
}

#[test]
#[allow(clippy::many_single_char_names)] // r, p, q, x, y: renderer, pixels and coordinates
fn europe_and_africa_show_country_fills_and_relief() -> TestResult {
    let Some(r) = renderer() else { return Ok(()) };
    for (name, lon, lat, sea) in [
        ("Alps", 9.0, 46.5, (7.5, 43.5)),
        ("Ethiopian highlands", 39.0, 9.0, (44.5, 11.8)),
    ] {
        let key = tile_at(world_from_lonlat(lon, lat), 5);
        let plain = r.render(key, BasemapStyle::Light, 256).ok_or("render")?;
        // Relief: brightness over land varies (a flat coarse world gave one colour).
        let land_lum: Vec<i32> = plain
            .pixels()
            .iter()
            .map(|c| [c.red(), c.green(), c.blue()].map(i32::from))
            .filter(|c| {
                diff(
                    *c,
                    [
                        i32::from(LIGHT.sea[0]),
                        i32::from(LIGHT.sea[1]),
                        i32::from(LIGHT.sea[2]),
                    ],
                ) > 60
            })
            .map(|c| c.iter().sum())
            .collect();
        let (lo, hi) = (
            land_lum.iter().min().copied().unwrap_or(0),
            land_lum.iter().max().copied().unwrap_or(0),
        );
        assert!(
            land_lum.len() > 5000 && hi - lo > 60,
            "{name}: land luminance {lo}..{hi}"
        );
        // Fills: the country's tint over land, nothing over the sea.
        let tile = with_country_fills(r, key)?;
        let p = px_in(key, lon, lat);
        let (x, y) = (p[0] as u32, p[1] as u32);
        assert!(
            diff(rgb(&tile, x, y), rgb(&plain, x, y)) >= 6,
            "{name}: no fill"
        );
        let q = px_in(key, sea.0, sea.1);
        let (x, y) = (q[0] as u32, q[1] as u32);
        assert_eq!(
            rgb(&tile, x, y),
            rgb(&plain, x, y),
            "{name}: the sea got a fill"
        );
    }
    Ok(())
}

/// Width in pixels of the river-coloured run nearest to `x` on row `y` (pixels much bluer
/// than the land around them).
fn river_width(p: &tiny_skia::Pixmap, x: u32, y: u32) -> u32 {
    let blue = |x: u32| {
        let c = rgb(p, x, y);
        c[2] - c[0] > 25
    };
    let Some(centre) = (0..256)
        .flat_map(|d| [x + d, x.saturating_sub(d)])
        .filter(|&x| x < 256)
        .find(|&x| blue(x))
    else {
        return 0;
    };
    let left = (0..=centre).rev().take_while(|&x| blue(x)).count();
    let right = (centre + 1..256).take_while(|&x| blue(x)).count();
    (left + right) as u32
}

#[test]
fn past_the_datas_detail_vectors_stay_crisp_and_the_relief_stays() -> TestResult {
    let Some(r) = renderer() else { return Ok(()) };
    // The Indus near Hyderabad (the river crosses the tile's row through 25.39° N): a zoom-12 tile draws it as thin as a zoom-8 tile does, not an enlarged zoom-9 line
    // (which would be 8× wider at zoom 12).
    let mut widths = Vec::new();
    for zoom in [8, 12] {
        let key = tile_at(world_from_lonlat(68.37, 25.39), zoom);
        let tile = r.render(key, BasemapStyle::Light, 256).ok_or("render")?;
        let p = px_in(key, 68.37, 25.39);
        widths.push(river_width(&tile, p[0] as u32, p[1] as u32));
    }
    assert!(
        widths.iter().all(|&w| (1..=3).contains(&w)) && widths[0].abs_diff(widths[1]) <= 1,
        "river widths at zoom 8 and 12: {widths:?}"
    );
    // Relief over Kabul at zoom 12 is the DEM enlarged, not flat: the colour varies across
    // the tile, and at a place it is the colour zoom 10 shows there (same exaggeration).
    let key = tile_at(world_from_lonlat(69.17, 34.53), 12);
    let tile = r.render(key, BasemapStyle::Light, 256).ok_or("render")?;
    let lum: Vec<i32> = tile
        .pixels()
        .iter()
        .map(|c| i32::from(c.red()) + i32::from(c.green()) + i32::from(c.blue()))
        .collect();
    let (lo, hi) = (
        lum.iter().min().copied().unwrap_or(0),
        lum.iter().max().copied().unwrap_or(0),
    );
    assert!(hi - lo >= 6, "zoom-12 relief is flat: {lo}..{hi}");
    let k10 = tile_at(world_from_lonlat(69.17, 34.53), 10);
    let t10 = r.render(k10, BasemapStyle::Light, 256).ok_or("render")?;
    let (r12, r10) = (key.world_rect(), k10.world_rect());
    for (x, y) in [(40.5, 40.5), (128.5, 128.5), (210.5, 90.5)] {
        let w = [
            r12.min[0] + x * r12.width() / 256.0,
            r12.min[1] + y * r12.height() / 256.0,
        ];
        let b = [
            (w[0] - r10.min[0]) * 256.0 / r10.width(),
            (w[1] - r10.min[1]) * 256.0 / r10.height(),
        ];
        let (ca, cb) = (
            rgb(&tile, x as u32, y as u32),
            rgb(&t10, b[0] as u32, b[1] as u32),
        );
        assert!(diff(ca, cb) <= 6, "pixel {x},{y}: z12 {ca:?} vs z10 {cb:?}");
    }
    Ok(())
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
    stitch((20.0, 20.0), 2, BasemapStyle::Light, 256, "world_z2_light")?;
    stitch(
        (40.0, 37.0),
        5,
        BasemapStyle::Light,
        256,
        "seam_40e_z5_light",
    )?;
    stitch(
        (95.0, 30.0),
        5,
        BasemapStyle::Light,
        256,
        "seam_95e_z5_light",
    )?;
    stitch((40.0, 37.0), 5, BasemapStyle::Dark, 256, "seam_40e_z5_dark")?;
    stitch((10.0, 47.0), 5, BasemapStyle::Light, 256, "alps_z5_light")?;
    stitch(
        (68.37, 25.39),
        12,
        BasemapStyle::Light,
        256,
        "indus_hyderabad_z12",
    )?;
    stitch(
        (68.37, 25.39),
        8,
        BasemapStyle::Light,
        256,
        "indus_hyderabad_z8",
    )?;
    Ok(())
}
