#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark that cannot set up must stop loudly
//! Large networks: a generated OSM-like rail network of ~100k ways / 3M vertices / ~90 MB
//! (`corridor_netgen`, deterministic), in two shapes — smooth (tangents and arcs) and
//! realistic (sinuous, with mapping noise). Figures and machine: BENCHMARKS.md.
//!
//! Baselines in the same run, so the ratios survive a noisy machine:
//! - `load/corridor_atlas_import` (stream, parse, convert, index, generalise: everything the
//!   map needs) against `load/ogrinfo_scan` (`ogrinfo -ro -al -so`, GDAL's summary scan) and
//!   `load/geojson_parse` (read + `serde_json` into a `geojson::FeatureCollection`, nothing
//!   else);
//! - `nearest/index` (the snapping query: nearest line within 12 px at zoom 12) against
//!   `nearest/brute_force` (the same answer by measuring every segment);
//! - `frame/*` (CPU time of one full app frame with the network visible, tiles cached) at the
//!   region, mid and street zooms, against `frame/region_without_network`.
//!
//! Peak memory is measured in a separate process (`corridor-atlas inspect --json`), so this
//! process's other allocations do not count; it is printed, not timed.
//!
//! `cargo bench --bench network -- --test` (CI) runs every benchmark once on a 5,000-way
//! network; `cargo bench --bench network` uses the full size.

use std::hint::black_box;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use corridor_atlas::app::AtlasApp;
use corridor_domain::Atlas;
use corridor_domain::atlas::import::{ImportTarget, import_file};
use corridor_domain::data::geojson_stream::StreamProgress;
use corridor_domain::map::index::segment_distance;
use corridor_domain::map::layer::Layer;
use corridor_domain::map::mercator::{lonlat_from_world, world_per_px};
use corridor_netgen::{NetShape, NetworkSpec, write_network};
use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Pos2, RawInput, Rect, vec2};

fn quick() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// The generated network file of this shape (made once per run, in the target directory).
fn network_file(shape: NetShape) -> PathBuf {
    let size = if quick() {
        NetworkSpec::small(5_000)
    } else {
        NetworkSpec::default()
    };
    let spec = NetworkSpec { shape, ..size };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!(
        "bench-network-{}-{}-{}-{shape:?}.geojson",
        spec.features, spec.vertices, spec.seed
    ));
    if !path.exists() {
        let tmp = path.with_extension("partial");
        let file = std::fs::File::create(&tmp).expect("create the network file");
        let stats = write_network(&spec, BufWriter::new(file)).expect("write the network");
        std::fs::rename(&tmp, &path).expect("rename the network file");
        eprintln!(
            "network: {} features, {} vertices, {:.1} MB at {}",
            stats.features,
            stats.vertices,
            stats.bytes as f64 / 1e6,
            path.display()
        );
    }
    path
}

fn import(path: &Path) -> Vec<Layer> {
    let progress = StreamProgress::default();
    let mut parts = Vec::new();
    import_file(path, &ImportTarget::for_path(path), &progress, |l| {
        parts.push(l);
    })
    .expect("the generated network imports");
    parts
}

fn raw_input() -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 800.0))),
        ..Default::default()
    }
}

/// One frame: run the UI and tessellate what it painted (what eframe does before the GPU).
fn frame(ctx: &egui::Context, app: &mut AtlasApp) -> usize {
    let out = ctx.run_ui(raw_input(), |ui| app.ui_root(ui));
    ctx.tessellate(out.shapes, out.pixels_per_point).len()
}

/// Run frames until the large-layer tiles for this view are rendered (workers run apart
/// from the frames being measured).
fn settle(ctx: &egui::Context, app: &mut AtlasApp) {
    let deadline = Instant::now() + Duration::from_mins(2);
    frame(ctx, app);
    frame(ctx, app);
    while app.tiles_in_progress() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        frame(ctx, app);
    }
    frame(ctx, app);
}

fn memory_report(path: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_corridor-atlas"))
        .args(["inspect", "--json"])
        .arg(path)
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            eprintln!("memory (corridor-atlas inspect --json): {}", text.trim());
        }
        Ok(o) => eprintln!(
            "memory: inspect failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => eprintln!("memory: cannot run corridor-atlas inspect: {e}"),
    }
}

fn benches(c: &mut Criterion) {
    // Both shapes load against the same two baselines, in the same run: the smooth network
    // simplifies to almost nothing and flatters the level-of-detail build; the realistic one
    // (sinuous, with mapping noise) keeps its vertices, as a real OSM extract does.
    for shape in [NetShape::Smooth, NetShape::Realistic] {
        let path = network_file(shape);
        let mut load = c.benchmark_group(format!("load_{}", format!("{shape:?}").to_lowercase()));
        load.sample_size(10);
        load.bench_function("corridor_atlas_import", |b| {
            b.iter(|| black_box(import(&path).len()));
        });
        load.bench_function("geojson_parse", |b| {
            b.iter(|| {
                let bytes = std::fs::read(&path).expect("read");
                let fc: geojson::FeatureCollection =
                    serde_json::from_slice(&bytes).expect("valid GeoJSON");
                black_box(fc.features.len())
            });
        });
        load.bench_function("ogrinfo_scan", |b| {
            b.iter(|| {
                let status = Command::new("ogrinfo")
                    .args(["-ro", "-al", "-so"])
                    .arg(&path)
                    .output()
                    .expect("ogrinfo (Debian gdal-bin) runs");
                assert!(status.status.success(), "ogrinfo failed");
                black_box(status.stdout.len())
            });
        });
        load.finish();
        eprintln!("{shape:?} network:");
        memory_report(&path);
    }

    // Queries and frames on the realistic network: the one that does not flatter the code.
    let path = network_file(NetShape::Realistic);

    // Nearest-line queries: 1,000 points near the network (a vertex, pushed off by up to
    // 8 px at zoom 12), snapping tolerance 12 px.
    let parts: Vec<Arc<Layer>> = import(&path).into_iter().map(Arc::new).collect();
    let tolerance = 12.0 * world_per_px(12.0);
    let mut queries = Vec::new();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    for part in &parts {
        let coords = part.lod.full().lines().coords();
        for _ in 0..(1_000 / parts.len()).max(1) {
            let v = coords[(next() * coords.len() as f64) as usize % coords.len()];
            let off = 8.0 * world_per_px(12.0);
            queries.push([v[0] + (next() - 0.5) * off, v[1] + (next() - 0.5) * off]);
        }
    }
    let mut nearest = c.benchmark_group("nearest");
    nearest.bench_function("index", |b| {
        let mut i = 0;
        b.iter(|| {
            let at = queries[i % queries.len()];
            i += 1;
            black_box(
                parts
                    .iter()
                    .filter_map(|p| p.nearest_line(at, tolerance))
                    .map(|h| h.distance)
                    .fold(f64::INFINITY, f64::min),
            )
        });
    });
    nearest.sample_size(10);
    nearest.bench_function("brute_force", |b| {
        let mut i = 0;
        b.iter(|| {
            let at = queries[i % queries.len()];
            i += 1;
            let mut best = f64::INFINITY;
            for p in &parts {
                let full = p.lod.full();
                for k in 0..full.len() {
                    for line in full.shape(k).lines() {
                        for w in line.windows(2) {
                            best = best.min(segment_distance(at, w[0], w[1]));
                        }
                    }
                }
            }
            black_box(best)
        });
    });
    nearest.finish();

    // Frames: the bundled atlas plus the network's parts.
    let mut atlas = Atlas::load_bundled();
    let bare = Arc::new(atlas.clone());
    atlas.layers.extend(parts.iter().cloned());
    let atlas = Arc::new(atlas);
    let mut frames = c.benchmark_group("frame");
    // Mid and street views centre on a vertex in the middle of the network.
    let coords = parts[parts.len() / 2].lod.full().lines().coords();
    let (lon, lat) = lonlat_from_world(coords[coords.len() / 2]);
    let views: [(&str, Option<f64>); 3] = [
        ("region", None),
        ("mid_zoom_9", Some(9.0)),
        ("street_zoom_15", Some(15.0)),
    ];
    for (name, zoom) in views {
        let ctx = egui::Context::default();
        let mut app = AtlasApp::with_atlas(&ctx, Arc::clone(&atlas));
        frame(&ctx, &mut app);
        if let Some(z) = zoom {
            let memory = &mut app.map_state_mut().memory;
            memory.center_at(walkers::lon_lat(lon, lat));
            let _ = memory.set_zoom(z);
            app.map_state_mut().fit_pending = false;
        }
        settle(&ctx, &mut app);
        frames.bench_function(name, |b| b.iter(|| black_box(frame(&ctx, &mut app))));
    }
    let ctx = egui::Context::default();
    let mut app = AtlasApp::with_atlas(&ctx, bare);
    settle(&ctx, &mut app);
    frames.bench_function("region_without_network", |b| {
        b.iter(|| black_box(frame(&ctx, &mut app)));
    });
    frames.finish();
}

criterion_group!(network_benches, benches);
criterion_main!(network_benches);
