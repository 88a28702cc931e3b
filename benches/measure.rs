//! `corridor-atlas measure` throughput (issue 5). Figures and machine: BENCHMARKS.md.
//!
//! Input: a generated `FeatureCollection` of 20,000 `LineStrings` × 50 vertices (3-D, with names),
//! the same bytes every run. Each figure has a baseline in the same run, so ratios survive a
//! noisy machine:
//! - `measure/parse_only`: `serde_json::from_str::<geojson::GeoJson>` of the same text, the
//!   floor for any `GeoJSON` reader;
//! - `measure/parse_features`: our reader alone (UTF-8 check, per-feature parse with line and
//!   column, validation, conversion to `geo`), to split the overhead into reading and measuring;
//! - `measure/cli_json` and `measure/cli_csv`: what the subcommand does after reading the
//!   file: UTF-8 check, parse and validate, geodesic segment lengths, formatting into a sink.
//!
//! Throughput is in bytes of input; features/s = bytes/s ÷ (bytes per feature, printed).

use std::hint::black_box;
use std::io;
use std::time::Duration;

use corridor_atlas::cli::measure::{OutputFormat, RecordWriter, measure_bytes};
use corridor_domain::data::geojson_io::parse_features_bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const FEATURES: usize = 20_000;
const VERTICES: usize = 50;

/// A deterministic corridor-like `FeatureCollection`: random walks of ~1-5 km steps around
/// Central Asia, with an elevation on every position and a name on every feature.
fn corridor_collection() -> String {
    use std::fmt::Write as _;
    // xorshift64: deterministic without a `rand` dependency.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next_unit = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1_u64 << 53) as f64
    };
    let mut text = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for i in 0..FEATURES {
        if i > 0 {
            text.push_str(",\n");
        }
        let _ = write!(
            text,
            "{{\"type\":\"Feature\",\"properties\":{{\"name\":\"Option {i}\"}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":["
        );
        let (mut lon, mut lat) = (60.0 + 15.0 * next_unit(), 25.0 + 15.0 * next_unit());
        for v in 0..VERTICES {
            if v > 0 {
                text.push(',');
            }
            lon += 0.05 * (next_unit() - 0.5);
            lat += 0.05 * (next_unit() - 0.5);
            let elevation_m = 3000.0 * next_unit();
            let _ = write!(text, "[{lon:.6},{lat:.6},{elevation_m:.1}]");
        }
        text.push_str("]}}");
    }
    text.push_str("\n]}\n");
    text
}

/// What `corridor-atlas measure` does with one file's bytes, writing to a sink.
fn measure_into_sink(bytes: &[u8], format: OutputFormat) -> usize {
    let rows = measure_bytes("bench.geojson", bytes).unwrap_or_default();
    let mut sink = io::sink();
    if let Ok(mut writer) = RecordWriter::new(format, &mut sink) {
        for row in &rows {
            let _ = writer.write(row);
        }
        let _ = writer.finish();
    }
    rows.len()
}

fn bench_measure(c: &mut Criterion) {
    let text = corridor_collection();
    eprintln!(
        "measure bench input: {} features × {} vertices, {:.1} MB, {} bytes per feature",
        FEATURES,
        VERTICES,
        text.len() as f64 / 1e6,
        text.len() / FEATURES
    );
    // Guard against measuring an error path: every feature must come out.
    assert_eq!(
        measure_into_sink(text.as_bytes(), OutputFormat::Json),
        FEATURES
    );

    let mut group = c.benchmark_group("measure");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("parse_only", |b| {
        b.iter(|| serde_json::from_str::<geojson::GeoJson>(black_box(&text)).is_ok());
    });
    group.bench_function("parse_features", |b| {
        b.iter(|| parse_features_bytes(black_box(text.as_bytes())).is_ok());
    });
    group.bench_function("cli_json", |b| {
        b.iter(|| measure_into_sink(black_box(text.as_bytes()), OutputFormat::Json));
    });
    group.bench_function("cli_csv", |b| {
        b.iter(|| measure_into_sink(black_box(text.as_bytes()), OutputFormat::Csv));
    });
    group.finish();
}

criterion_group!(benches, bench_measure);
criterion_main!(benches);
