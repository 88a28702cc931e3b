//! Suggested alignments (issue 7): how long a planner waits after pressing Suggest.
//!
//! - `suggest/surface_build`: [`SuggestContext::new`] on the bundled atlas at the default
//!   3 km cells (the corridor region, ~1.8 M cells): done once per region and resolution and
//!   cached by the GUI, so it is timed apart from the searches. The surface's memory is
//!   printed once.
//! - `suggest/termez_karachi_1`, `…_3`, `suggest/herat_gwadar_3`: one call of [`suggest`]
//!   for 1 or 3 alternatives (search, alternatives, simplification, tracing, costing).
//! - Baselines in the same run: `suggest/baseline_geodesic` (the plain geodesic line between
//!   the endpoints, the least any tool does) and `suggest/baseline_uniform_search` (one
//!   A* search on an all-flat surface of the same grid over the same window as Termez →
//!   Karachi: the cost of the search machinery alone).
//! - Issue 15, the five routes (Termez → Karachi, Herat → Gwadar, Mazar-i-Sharif →
//!   Peshawar, Kashgar → Gwadar, Zahedan → Chabahar), three alternatives each, with the
//!   border-post rules (`routes/NAME_posts`: crossings only at posts, new gates only on
//!   borders without one, other gates tried first) and without them (`routes/NAME_no_posts`,
//!   the plain border penalty): one untimed run of each prints the time per alternative and the best
//!   alternative's ledger cost and length with and without the rule, and their ratio, so the
//!   price of crossing at posts is read in the same run as its time.

use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use corridor_domain::Atlas;
use corridor_domain::plan::suggest::{
    CostSurface, Endpoint, SearchInput, SuggestContext, SuggestProblem, SuggestSettings, Window,
    least_cost_path, resolve_endpoint, suggest,
};
use criterion::{Criterion, criterion_group, criterion_main};
use geo::{Distance, Geodesic, Point};

fn problem<'a>(
    ctx: &'a SuggestContext,
    from: &Endpoint,
    to: &Endpoint,
    n: usize,
) -> SuggestProblem<'a> {
    SuggestProblem {
        context: ctx,
        from: from.clone(),
        to: to.clone(),
        vias: Vec::new(),
        alternatives: n,
        avoid: Vec::new(),
        corridor: None,
        rank_by: corridor_domain::plan::suggest::RankBy::Cost,
    }
}

fn bench(c: &mut Criterion) {
    let atlas = Atlas::load_bundled();
    let settings = SuggestSettings::default();
    let mut group = c.benchmark_group("suggest");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));

    group.bench_function("surface_build", |b| {
        b.iter(|| SuggestContext::new(black_box(&atlas), &settings));
    });
    let Ok(ctx) = SuggestContext::new(&atlas, &settings) else {
        eprintln!("the surface does not build; nothing to measure");
        return;
    };
    let grid = ctx.surface().grid;
    eprintln!(
        "surface: {} × {} cells = {} cells, {:.1} MB",
        grid.cols,
        grid.rows,
        grid.len(),
        ctx.surface().memory_bytes() as f64 / 1e6
    );
    let place = |name: &str| resolve_endpoint(&atlas, name);
    let (Ok(termez), Ok(karachi), Ok(herat), Ok(gwadar)) = (
        place("Termez"),
        place("Karachi"),
        place("Herat"),
        place("Gwadar"),
    ) else {
        eprintln!("a bundled place is missing");
        return;
    };
    let never = AtomicBool::new(false);
    for (name, from, to, n) in [
        ("termez_karachi_1", &termez, &karachi, 1),
        ("termez_karachi_3", &termez, &karachi, 3),
        ("herat_gwadar_3", &herat, &gwadar, 3),
    ] {
        let p = problem(&ctx, from, to, n);
        if let Ok(found) = suggest(&p, &|_| {}, &never) {
            for s in &found.suggestions {
                eprintln!("{name}: {}", s.note);
            }
        }
        group.bench_function(name, |b| b.iter(|| suggest(black_box(&p), &|_| {}, &never)));
    }

    routes(&mut group, &atlas, &ctx, &settings);

    group.bench_function("baseline_geodesic", |b| {
        b.iter(|| {
            Geodesic.distance(
                black_box(Point::new(termez.lon, termez.lat)),
                black_box(Point::new(karachi.lon, karachi.lat)),
            )
        });
    });
    if let Ok(uniform) = CostSurface::uniform(&settings) {
        let from = uniform.cell_clamped(termez.lon, termez.lat);
        let to = uniform.cell_clamped(karachi.lon, karachi.lat);
        let distance_km = Geodesic.distance(
            Point::new(termez.lon, termez.lat),
            Point::new(karachi.lon, karachi.lat),
        ) / 1000.0;
        let margin_km =
            (distance_km * settings.search_margin_share).max(settings.min_search_margin_km);
        let window = Window::around(&uniform.grid, from, to, margin_km);
        eprintln!(
            "Termez → Karachi window: {} × {} cells",
            window.cols(),
            window.rows()
        );
        let input = SearchInput {
            surface: &uniform,
            overlay: None,
            window,
            from,
            to,
        };
        group.bench_function("baseline_uniform_search", |b| {
            b.iter(|| least_cost_path(black_box(&input), &|_| {}, &never));
        });
    }
    group.finish();
}

/// The five routes of issue 15 with and without the border-post rule.
fn routes(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    atlas: &Atlas,
    ctx: &SuggestContext,
    settings: &SuggestSettings,
) {
    let plain = SuggestSettings {
        border_posts: false,
        other_gates_first: false,
        ..settings.clone()
    };
    let Ok(plain_ctx) = SuggestContext::new(atlas, &plain) else {
        eprintln!("the surface without border posts does not build");
        return;
    };
    let never = AtomicBool::new(false);
    for (name, from, to) in [
        ("termez_karachi", "Termez", "Karachi"),
        ("herat_gwadar", "Herat", "Gwadar"),
        ("mazar_peshawar", "Mazar-i-Sharif", "Peshawar"),
        ("kashgar_gwadar", "Kashgar", "Gwadar"),
        ("zahedan_chabahar", "Zahedan", "Chabahar"),
    ] {
        let (Ok(from), Ok(to)) = (resolve_endpoint(atlas, from), resolve_endpoint(atlas, to))
        else {
            eprintln!("{name}: a bundled place is missing");
            continue;
        };
        let mut best = Vec::new();
        for (rule, context) in [("posts", ctx), ("no_posts", &plain_ctx)] {
            let p = problem(context, &from, &to, 3);
            let started = Instant::now();
            let Ok(outcome) = suggest(&p, &|_| {}, &never) else {
                eprintln!("{name} {rule}: no route");
                continue;
            };
            let n = outcome.suggestions.len().max(1);
            let cheapest = outcome
                .suggestions
                .iter()
                .map(|s| (s.cost_usd, s.length_m))
                .fold((f64::INFINITY, 0.0), |a, b| if b.0 < a.0 { b } else { a });
            eprintln!(
                "{name} {rule}: {} alternatives, {:.2} s per alternative, best US${:.2} bn over {:.0} km; stopped: {}",
                outcome.suggestions.len(),
                started.elapsed().as_secs_f64() / n as f64,
                cheapest.0 / 1e9,
                cheapest.1 / 1000.0,
                outcome.stopped_because
            );
            best.push(cheapest);
            group.bench_function(format!("routes/{name}_{rule}"), |b| {
                b.iter(|| suggest(black_box(&p), &|_| {}, &never));
            });
        }
        if let [(posts_usd, posts_m), (plain_usd, plain_m)] = best[..] {
            eprintln!(
                "{name}: with posts / without: cost × {:.3}, length × {:.3}",
                posts_usd / plain_usd,
                posts_m / plain_m
            );
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
