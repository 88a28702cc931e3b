#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark that cannot set up must stop loudly
//! Import of one 1M-vertex LineString: a zigzag (every vertex swings ±0.05° across the line's
//! direction, far above the level-of-detail tolerance at every level) against a smooth line
//! of the same vertex count, in the same run, so the ratio survives a noisy machine.
//!
//! Before the fix the zigzag took 33× the smooth line (42.7 s against 1.3 s): the
//! Douglas–Peucker simplification of the LOD levels is quadratic on a zigzag, whose farthest
//! point from every chord is next to an end. Figures: BENCHMARKS.md.
//!
//! `cargo bench --bench zigzag -- --test` (CI) runs each once on 20,000 vertices.

use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::atomic::Ordering;

use corridor_domain::atlas::import::{ImportTarget, import_reader};
use corridor_domain::data::geojson_stream::StreamProgress;
use criterion::{Criterion, criterion_group, criterion_main};

fn quick() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// One LineString feature of `n` vertices going east; `amplitude_deg` swings odd vertices
/// north and even ones south (0: a smooth straight line).
fn line_file(n: usize, amplitude_deg: f64) -> Vec<u8> {
    let mut text = String::with_capacity(n * 24 + 128);
    text.push_str(
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[",
    );
    for i in 0..n {
        let lon = -170.0 + 340.0 * i as f64 / n as f64;
        let swing = if i % 2 == 0 {
            amplitude_deg
        } else {
            -amplitude_deg
        };
        let lat = 10.0 * (i as f64 / n as f64) + swing;
        if i > 0 {
            text.push(',');
        }
        let _ = write!(text, "[{lon:.6},{lat:.6}]");
    }
    text.push_str("]}}]}");
    text.into_bytes()
}

fn import(bytes: &[u8]) -> usize {
    let progress = StreamProgress::default();
    let mut vertices = 0;
    import_reader(
        bytes,
        &ImportTarget {
            id: "bench".into(),
            title: "bench".into(),
        },
        &progress,
        |layer| vertices += layer.vertex_count(),
    )
    .expect("import");
    assert!(progress.bytes_read.load(Ordering::Relaxed) > 0);
    vertices
}

fn bench(c: &mut Criterion) {
    let n = if quick() { 20_000 } else { 1_000_000 };
    let smooth = line_file(n, 0.0);
    let zigzag = line_file(n, 0.05);
    let mut group = c.benchmark_group("import_1m_vertices");
    group.sample_size(10);
    group.bench_function("smooth", |b| b.iter(|| black_box(import(&smooth))));
    group.bench_function("zigzag", |b| b.iter(|| black_box(import(&zigzag))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
