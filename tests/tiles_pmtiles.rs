//! A PMTiles v3 archive written by the test is opened as the basemap and its tiles shown.

use std::thread;
use std::time::{Duration, Instant};

use corridor_atlas::app::tiles::pmtiles::write_archive;
use corridor_atlas::app::tiles::{BasemapOptions, BasemapSettings, Basemaps, SourceKind};
use corridor_domain::draw::basemap::TileKey;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn png(rgba: [u8; 4]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut p = tiny_skia::Pixmap::new(256, 256).ok_or("pixmap")?;
    p.fill(tiny_skia::Color::from_rgba8(
        rgba[0], rgba[1], rgba[2], rgba[3],
    ));
    Ok(p.encode_png()?)
}

fn open(path: &std::path::Path) -> Basemaps {
    let settings = BasemapSettings {
        source: SourceKind::File,
        file_path: path.to_string_lossy().into_owned(),
        ..BasemapSettings::default()
    };
    let options = BasemapOptions {
        cache_root: None,
        ..BasemapOptions::default()
    };
    Basemaps::with_options(&egui::Context::default(), settings, options)
}

fn ready(b: &mut Basemaps, key: TileKey) -> Result<bool, String> {
    let end = Instant::now() + Duration::from_secs(10);
    while Instant::now() < end {
        b.update();
        let o = b.overlay_mut().ok_or("no file layer")?;
        if o.piece(key).is_some() && o.is_ready(key) {
            return Ok(true);
        }
        thread::sleep(Duration::from_millis(10));
    }
    Ok(false)
}

#[test]
fn a_pmtiles_file_is_opened_and_its_tiles_shown() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("region.pmtiles");
    let tiles = vec![
        (
            TileKey {
                zoom: 0,
                x: 0,
                y: 0,
            },
            png([10, 20, 30, 255])?,
        ),
        (
            TileKey {
                zoom: 1,
                x: 1,
                y: 0,
            },
            png([40, 50, 60, 255])?,
        ),
        (
            TileKey {
                zoom: 2,
                x: 2,
                y: 1,
            },
            png([70, 80, 90, 255])?,
        ),
    ];
    std::fs::write(
        &path,
        write_archive(&tiles, 2, r#"{"attribution":"© Fixture"}"#),
    )?;
    let mut b = open(&path);
    for (key, _) in &tiles {
        assert!(ready(&mut b, *key)?, "tile {key} never arrived");
    }
    // Credited once its tiles show (never before: a source shows its credit only then).
    b.update();
    assert_eq!(b.attribution(), "© Fixture");
    let o = b.overlay_mut().ok_or("file layer")?;
    // Deeper than the file goes: its deepest tile, scaled (a quarter of it).
    let deeper = o
        .piece(TileKey {
            zoom: 3,
            x: 5,
            y: 3,
        })
        .ok_or("over-zoomed piece")?;
    assert_eq!(
        deeper.uv,
        egui::Rect::from_min_max(egui::pos2(0.5, 0.5), egui::pos2(1.0, 1.0))
    );
    // A tile the file does not have is no failure.
    let _ = o.piece(TileKey {
        zoom: 2,
        x: 0,
        y: 0,
    });
    thread::sleep(Duration::from_millis(200));
    b.update();
    assert_eq!(b.take_status(), None);
    Ok(())
}

#[test]
fn a_broken_file_is_reported_and_leaves_the_embedded_basemap() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("broken.pmtiles");
    std::fs::write(&path, b"PMTiles but not really")?;
    let mut b = open(&path);
    assert!(b.overlay_mut().is_none());
    let msg = b.take_status().ok_or("a status")?;
    assert!(msg.contains("broken.pmtiles"), "{msg}");
    assert_eq!(b.attribution(), "");
    Ok(())
}

#[test]
fn an_mbtiles_file_is_opened_as_the_basemap_and_its_tiles_shown() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("region.mbtiles");
    let key = TileKey {
        zoom: 2,
        x: 2,
        y: 1,
    };
    corridor_atlas::app::tiles::mbtiles::write_mbtiles(
        &path,
        &[(key, png([70, 80, 90, 255])?)],
        "© MB fixture",
    )?;
    let mut b = open(&path);
    assert!(ready(&mut b, key)?, "tile {key} never arrived");
    b.update();
    assert_eq!(b.attribution(), "© MB fixture");
    assert_eq!(b.take_status(), None, "no failure reported");
    Ok(())
}
