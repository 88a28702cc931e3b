//! Embedded basemap benchmarks (issue 3). Figures and machine: BENCHMARKS.md.
//!
//! - `render/z{4,8,12}`: one 256-px tile (and `render_2x/z8`: one 512-px tile for a 2×
//!   screen) over the region, cold (no cache), on the real bundled data.
//! - `pool/48_tiles_z8`: 48 zoom-8 tiles through the worker pool, from request to texture;
//!   tiles/s = 48 / time.
//! - before criterion runs, a plain-text summary: median render times (31 runs each) and the
//!   texture memory the embedded cache holds at its bound, measured by filling it.
//!
//! `cargo bench --bench basemap` (add `-- --test` for a one-shot smoke run).

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use corridor_atlas::app::tiles::{BasemapOptions, BasemapSettings, Basemaps, EMBEDDED_CACHE_BYTES};
use corridor_domain::Atlas;
use corridor_domain::atlas::bundled::corridor_region;
use corridor_domain::draw::basemap::tile::{tile_at, tiles_covering};
use corridor_domain::draw::basemap::{BasemapRenderer, BasemapStyle, TileKey};
use corridor_domain::map::mercator::{WorldRect, world_from_lonlat};
use criterion::{Criterion, criterion_group, criterion_main};

fn atlas() -> Arc<Atlas> {
    let atlas = Atlas::load_bundled();
    if atlas.elevation.is_none() {
        eprintln!("note: geodata/ holds placeholders; figures are for an empty map");
    }
    Arc::new(atlas)
}

fn key(lon: f64, lat: f64, zoom: u8) -> TileKey {
    tile_at(world_from_lonlat(lon, lat), zoom)
}

/// Tiles the renderer is measured on: the region (z4), Khyber (z8), Kabul (z12).
fn probes() -> [(u8, TileKey); 3] {
    [
        (4, key(66.0, 38.0, 4)),
        (8, key(70.0, 34.3, 8)),
        (12, key(69.17, 34.53, 12)),
    ]
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn wait_all(b: &mut Basemaps, keys: &[TileKey]) {
    let end = Instant::now() + Duration::from_mins(2);
    loop {
        b.update();
        let pool = b.embedded_mut();
        let mut all = true;
        for k in keys {
            if !pool.is_ready(*k) {
                let _ = pool.piece(*k);
                all = false;
            }
        }
        if all || Instant::now() > end {
            return;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn pooled(atlas: &Arc<Atlas>) -> Basemaps {
    let options = BasemapOptions {
        cache_root: None,
        ..BasemapOptions::default()
    };
    let mut b = Basemaps::with_options(
        &egui::Context::default(),
        BasemapSettings::default(),
        options,
    );
    b.set_atlas(Arc::clone(atlas));
    b.wait_for_renderer();
    b
}

fn summary(r: &BasemapRenderer, atlas: &Arc<Atlas>) {
    for (zoom, k) in probes() {
        for px in [256, 512] {
            let times: Vec<Duration> = (0..31)
                .map(|_| {
                    let t = Instant::now();
                    black_box(r.render(k, BasemapStyle::Light, px));
                    t.elapsed()
                })
                .collect();
            eprintln!("median render z{zoom} {px}px: {:?}", median(times));
        }
    }
    // Fill the embedded cache past its bound and report what it holds.
    let mut b = pooled(atlas);
    let region = corridor_region();
    let mut keys = tiles_covering(&region, 8);
    keys.truncate(EMBEDDED_CACHE_BYTES / (256 * 256 * 4) + 40);
    let t = Instant::now();
    for chunk in keys.chunks(64) {
        wait_all(&mut b, chunk);
    }
    let secs = t.elapsed().as_secs_f64();
    let (count, bytes) = b.embedded_mut().cached();
    eprintln!(
        "pool: {} tiles in {secs:.2} s = {:.0} tiles/s; cache at bound: {count} textures, {:.1} MiB (bound {} MiB)",
        keys.len(),
        keys.len() as f64 / secs,
        bytes as f64 / 1_048_576.0,
        EMBEDDED_CACHE_BYTES >> 20
    );
}

fn benches(c: &mut Criterion) {
    let atlas = atlas();
    let r = BasemapRenderer::new(Arc::clone(&atlas));
    summary(&r, &atlas);

    let mut g = c.benchmark_group("render");
    g.sample_size(30);
    for (zoom, k) in probes() {
        g.bench_function(format!("z{zoom}"), |b| {
            b.iter(|| black_box(r.render(k, BasemapStyle::Light, 256)));
        });
    }
    g.finish();
    c.bench_function("render_2x/z8", |b| {
        let k = probes()[1].1;
        b.iter(|| black_box(r.render(k, BasemapStyle::Light, 512)));
    });

    let mut g = c.benchmark_group("pool");
    g.sample_size(10);
    let mut basemaps = pooled(&atlas);
    let around = WorldRect::from_lonlat_bounds(66.0, 32.0, 74.0, 37.0);
    let mut keys = tiles_covering(&around, 8);
    keys.truncate(48);
    g.bench_function("48_tiles_z8", |b| {
        b.iter(|| {
            basemaps.embedded_mut().clear();
            wait_all(&mut basemaps, &keys);
        });
    });
    g.finish();
}

criterion_group!(basemap, benches);
criterion_main!(basemap);
