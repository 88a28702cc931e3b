//! Presentation frame rate (issue 16): time per frame while the map flies between two slides
//! against a static frame of the same presentation, in the same run (the ratio survives a
//! noisy machine). Figures and machine: BENCHMARKS.md.
//!
//! A frame is the real frame path: the app's UI (map, tiles from the basemap cache, layers,
//! labels, alternatives, overlay) and egui's tessellation, at 1600×1000 — what eframe does
//! before handing the triangles to the GPU. Simulated time advances 1/60 s a frame, so every
//! run flies the same path; tiles render on the pool's workers meanwhile, as in the app.
//!
//! - `flight/static_frame`: the first slide, settled (nothing moves).
//! - `flight/flight_frame`: frames of flights back and forth between slides 1 and 2 (a press
//!   starts the next flight as soon as one lands).
//! - before criterion runs, a plain-text summary of 240 frames of each: median, 95th
//!   percentile and worst frame, and frames per second at the median.
//!
//! `cargo bench --bench flight` (add `-- --test` for a one-shot smoke run).

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use corridor_atlas::app::AtlasApp;
use corridor_domain::Atlas;
use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Event, Key, Modifiers, Pos2, RawInput, Rect, vec2};

/// Simulated time per frame (seconds): a 60 Hz display.
const FRAME_S: f64 = 1.0 / 60.0;

struct Run {
    ctx: egui::Context,
    app: AtlasApp,
    now_s: f64,
    /// The next flight goes forward (else back).
    forward: bool,
}

impl Run {
    fn new(atlas: &Arc<Atlas>) -> Self {
        let ctx = egui::Context::default();
        let mut app = AtlasApp::with_atlas(&ctx, Arc::clone(atlas));
        app.open_example(&ctx);
        let mut run = Self {
            ctx,
            app,
            now_s: 0.0,
            forward: true,
        };
        run.settle();
        run.frame(vec![key(Key::F5)]);
        run.settle();
        run
    }

    /// One frame with `events`: UI and tessellation. Returns the number of meshes.
    fn frame(&mut self, events: Vec<Event>) -> usize {
        let raw = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1600.0, 1000.0))),
            time: Some(self.now_s),
            predicted_dt: FRAME_S as f32,
            events,
            ..Default::default()
        };
        self.now_s += FRAME_S;
        let app = &mut self.app;
        let mut out = self.ctx.run_ui(raw, |ui| app.ui_root(ui));
        // No GPU here to upload textures to: drop them as eframe's painter would consume them.
        out.textures_delta.clear();
        self.ctx.tessellate(out.shapes, out.pixels_per_point).len()
    }

    /// Frames until nothing animates and the basemap has every tile of the view.
    fn settle(&mut self) {
        let end = Instant::now() + Duration::from_mins(3);
        loop {
            self.frame(Vec::new());
            let still = !self.app.presenter().animating(self.now_s)
                && self.app.basemaps_mut().embedded_mut().in_progress() == 0;
            if still || Instant::now() > end {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        for _ in 0..3 {
            self.frame(Vec::new());
        }
    }

    /// A frame of a flight: a press starts the next flight when the last has landed.
    fn flight_frame(&mut self) -> usize {
        let events = if self.app.presenter().flying() {
            Vec::new()
        } else {
            let k = if self.forward {
                Key::ArrowRight
            } else {
                Key::ArrowLeft
            };
            self.forward = !self.forward;
            vec![key(k)]
        };
        self.frame(events)
    }
}

fn key(key: Key) -> Event {
    Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let median = percentile(&times, 0.5);
    println!(
        "{name:>13}: median {:6.2} ms ({:5.1} frames/s), p95 {:6.2} ms, worst {:6.2} ms",
        median.as_secs_f64() * 1e3,
        1.0 / median.as_secs_f64(),
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
}

/// 240 timed frames of `f`.
fn timed(mut f: impl FnMut() -> usize) -> Vec<Duration> {
    (0..240)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let atlas = Arc::new(Atlas::load_bundled());
    let mut still = Run::new(&atlas);
    let mut flying = Run::new(&atlas);
    let mut flights = 0;
    let flight_times = timed(|| {
        if !flying.app.presenter().flying() {
            flights += 1;
        }
        flying.flight_frame()
    });
    println!("flight frames, 1600×1000, {flights} flights between slides 1 and 2:");
    report("static frame", timed(|| still.frame(Vec::new())));
    report("flight frame", flight_times);

    let mut group = c.benchmark_group("flight");
    group.bench_function("static_frame", |b| {
        b.iter(|| black_box(still.frame(Vec::new())));
    });
    group.bench_function("flight_frame", |b| {
        b.iter(|| black_box(flying.flight_frame()));
    });
    group.finish();
}

criterion_group!(flight_benches, benches);
criterion_main!(flight_benches);
