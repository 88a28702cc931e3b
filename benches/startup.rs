//! Startup and frame benchmarks (issue: foundation). Figures and machine: BENCHMARKS.md.
//!
//! Each measurement has a baseline in the same run, so ratios survive a noisy machine:
//! - `load/atlas` (parse + index + level of detail of every bundled layer) against
//!   `load/parse_only` (serde_json → geojson of the same texts, the floor for any loader);
//! - `frame/region_all_layers` (one full frame: UI, culling, painting, tessellation) against
//!   `frame/region_no_layers` (the same frame with every layer hidden);
//! - `startup/first_frame` (load + build the app + first frame), the user-visible figure.

use std::hint::black_box;
use std::sync::Arc;

use corridor_atlas::app::AtlasApp;
use corridor_domain::Atlas;
use corridor_domain::atlas::bundled::BUNDLED_FILES;
use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Pos2, RawInput, Rect, vec2};

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

fn warm_app(atlas: &Arc<Atlas>) -> (egui::Context, AtlasApp) {
    let ctx = egui::Context::default();
    let mut app = AtlasApp::with_atlas(&ctx, Arc::clone(atlas));
    for _ in 0..3 {
        frame(&ctx, &mut app);
    }
    (ctx, app)
}

fn benches(c: &mut Criterion) {
    let mut load = c.benchmark_group("load");
    load.sample_size(10);
    load.bench_function("atlas", |b| b.iter(|| black_box(Atlas::load_bundled())));
    load.bench_function("parse_only", |b| {
        b.iter(|| {
            for f in BUNDLED_FILES {
                let gj: Result<geojson::GeoJson, _> = serde_json::from_str(f.text);
                black_box(gj.is_ok());
            }
        });
    });
    load.finish();

    let atlas = Arc::new(Atlas::load_bundled());
    let mut group = c.benchmark_group("frame");
    let (ctx, mut app) = warm_app(&atlas);
    group.bench_function("region_all_layers", |b| {
        b.iter(|| black_box(frame(&ctx, &mut app)));
    });
    let (ctx_empty, mut app_empty) = warm_app(&atlas);
    app_empty.hide_all_layers();
    frame(&ctx_empty, &mut app_empty);
    group.bench_function("region_no_layers", |b| {
        b.iter(|| black_box(frame(&ctx_empty, &mut app_empty)));
    });
    group.finish();

    let mut startup = c.benchmark_group("startup");
    startup.sample_size(10);
    startup.bench_function("first_frame", |b| {
        b.iter(|| {
            let atlas = Arc::new(Atlas::load_bundled());
            let ctx = egui::Context::default();
            let mut app = AtlasApp::with_atlas(&ctx, atlas);
            black_box(frame(&ctx, &mut app));
            black_box(frame(&ctx, &mut app))
        });
    });
    startup.finish();
}

criterion_group!(startup_benches, benches);
criterion_main!(startup_benches);
