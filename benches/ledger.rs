//! The corridor ledger while a vertex is dragged (issue 5). Figures and machine:
//! BENCHMARKS.md.
//!
//! Input: a 1,000-vertex alignment of about 2,100 km through the bundled atlas (Tashkent –
//! Termez – Mazar-i-Sharif – Kabul – Peshawar – Rohri – Karachi, with a ±1 km wiggle so it
//! is neither on nor off track everywhere). Baseline in the same run:
//! - `ledger/geodesic_length`: `Geodesic.length` of the same line (1,000 Karney inverses), the
//!   floor for any geodesic figure of the line;
//! - `ledger/compute_250m` and `ledger/compute_500m`: the full ledger at the default and at a
//!   coarser sample spacing;
//! - `ledger/context_new`: building the context once from the bundled atlas (not per frame).
//!
//! Issue 18, railway engineering, in the same run: the five alternatives of the bundled
//! example (`assets/examples/corridor-options.geojson`), all recomputed as when a setting
//! changes:
//! - `ledger/example5_baseline`: today's ledger (`engineering.enabled = false`);
//! - `ledger/example5_engineering`: with curves, the design line and the train run.
//!
//! A dragged vertex recomputes only its own alternative, so a frame pays at most one of the
//! five.

use std::hint::black_box;
use std::time::Duration;

use corridor_domain::Atlas;
use corridor_domain::measure::ledger::curves::curve_radii_m;
use corridor_domain::measure::ledger::{
    LedgerContext, LedgerSettings, compute_ledger, compute_ledger_with_radii,
};
use corridor_domain::plan::scenario::io::load;
use criterion::{Criterion, criterion_group, criterion_main};
use geo::{Geodesic, Length, LineString};

const VERTICES: usize = 1000;

/// One alternative of the example: its vertices, the user's curve radii and its gauge.
type Line = (Vec<(f64, f64)>, Vec<Option<f64>>, Option<u32>);

fn alignment() -> Vec<(f64, f64)> {
    let waypoints = [
        (69.24, 41.30),
        (67.28, 37.22),
        (67.11, 36.71),
        (69.17, 34.53),
        (71.58, 34.01),
        (68.895, 27.69),
        (67.01, 24.86),
    ];
    let legs = waypoints.len() - 1;
    (0..VERTICES)
        .map(|i| {
            let t = i as f64 / (VERTICES - 1) as f64 * legs as f64;
            let leg = (t.floor() as usize).min(legs - 1);
            let f = t - leg as f64;
            let (a, b) = (waypoints[leg], waypoints[leg + 1]);
            let wiggle = 0.01 * (i as f64 * 0.7).sin();
            (a.0 + (b.0 - a.0) * f + wiggle, a.1 + (b.1 - a.1) * f)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let atlas = Atlas::load_bundled();
    let ctx = LedgerContext::new(&atlas);
    let vertices = alignment();
    let line: LineString<f64> = vertices.iter().copied().collect();
    let settings = LedgerSettings::default();
    let coarse = LedgerSettings {
        sample_spacing_m: 500.0,
        ..LedgerSettings::default()
    };
    let l = compute_ledger(&vertices, Some(1520), &ctx, &settings);
    eprintln!(
        "alignment: {} vertices, {:.0} km, {} samples; {} crossings, {:.0} km existing, {} gauge breaks",
        vertices.len(),
        l.length_m / 1000.0,
        l.samples.len(),
        l.crossings.len(),
        l.existing_m / 1000.0,
        l.gauge_breaks.len()
    );

    let mut g = c.benchmark_group("ledger");
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("geodesic_length", |b| {
        b.iter(|| Geodesic.length(black_box(&line)));
    });
    g.bench_function("compute_250m", |b| {
        b.iter(|| compute_ledger(black_box(&vertices), Some(1520), &ctx, &settings));
    });
    g.bench_function("compute_500m", |b| {
        b.iter(|| compute_ledger(black_box(&vertices), Some(1520), &ctx, &coarse));
    });
    let example = load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/examples/corridor-options.geojson"),
    )
    .unwrap_or_else(|e| panic!("the bundled example loads: {e}"));
    let lines: Vec<Line> = example
        .alignments
        .iter()
        .map(|a| {
            (
                a.vertices.iter().map(|v| (v.lon, v.lat)).collect(),
                curve_radii_m(&a.extra),
                a.gauge_mm,
            )
        })
        .collect();
    let engineering = example.settings.ledger_settings();
    let mut baseline = engineering.clone();
    baseline.engineering.enabled = false;
    for (name, settings) in [
        ("example5_baseline", &baseline),
        ("example5_engineering", &engineering),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                lines
                    .iter()
                    .map(|(v, r, gauge)| {
                        compute_ledger_with_radii(black_box(v), r, *gauge, &ctx, settings)
                    })
                    .collect::<Vec<_>>()
            });
        });
    }
    g.sample_size(10);
    g.bench_function("context_new", |b| {
        b.iter(|| LedgerContext::new(black_box(&atlas)));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
