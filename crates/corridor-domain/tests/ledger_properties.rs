//! The ledger on random geometry within limits (property tests, `proptest`): whatever line a
//! planner draws across three countries and the sea — zigzags, repeated vertices, lines that
//! double back — the ledger never panics, every figure is finite, and its parts add up: the
//! per-country lengths and the existing/new/sea split tile the length, crossings lie on the
//! line in order, and the length is at least the geodesic between the ends (computed here with
//! `geo::Geodesic` directly). Reversing the line changes no total. Failing cases are kept in
//! `ledger_properties.proptest-regressions` next to this file.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use corridor_domain::Feature;
use corridor_domain::measure::ledger::{
    LedgerContext, LedgerInputs, LedgerSettings, compute_ledger,
};
use geo::{Distance, Geodesic, Geometry, LineString, Point, polygon};
use proptest::prelude::*;
use serde_json::{Value, json};

fn feature(geometry: impl Into<Geometry<f64>>, props: Value) -> Feature {
    let Value::Object(map) = props else {
        panic!("properties must be an object")
    };
    Feature::new(geometry.into(), map)
}

/// Three 1° square countries in a row from 60° E (sea west of it), a track through two of
/// them and a border crossing.
fn context() -> LedgerContext {
    let square = |lon: f64, a2: &str, a3: &str| {
        feature(
            polygon![(x: lon, y: 30.0), (x: lon + 1.0, y: 30.0), (x: lon + 1.0, y: 31.0), (x: lon, y: 31.0)],
            json!({"name": format!("Country {a3}"), "iso_a2": a2, "iso_a3": a3}),
        )
    };
    let countries = vec![
        square(60.0, "KZ", "AAA"),
        square(61.0, "IR", "BBB"),
        square(62.0, "PK", "CCC"),
    ];
    let rail = vec![feature(
        LineString::from(vec![(60.2, 30.5), (61.5, 30.5), (62.8, 30.6)]),
        json!({"name": "Trunk", "status": "existing", "gauge_mm": 1520}),
    )];
    let rail_points = vec![feature(
        Point::new(61.0, 30.52),
        json!({"kind": "border-crossing", "name": "Gate AB"}),
    )];
    LedgerContext::from_inputs(&LedgerInputs {
        countries: &countries,
        rail: &rail,
        rail_points: &rail_points,
        ..LedgerInputs::default()
    })
}

/// A line of 2–40 vertices around the three countries; some vertices repeat.
fn line() -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec((59.5..63.5_f64, 29.6..31.4_f64, 0..8_u8), 2..40).prop_map(|v| {
        let mut out: Vec<(f64, f64)> = Vec::with_capacity(v.len());
        for (lon, lat, repeat) in v {
            match out.last() {
                // One vertex in eight repeats the previous one (a zero-length segment).
                Some(&last) if repeat == 0 => out.push(last),
                _ => out.push((lon, lat)),
            }
        }
        out
    })
}

fn close(a: f64, b: f64, tolerance_m: f64) -> bool {
    (a - b).abs() <= tolerance_m
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn the_ledger_of_any_line_adds_up(vertices in line()) {
        let ctx = context();
        let settings = LedgerSettings::default();
        let l = compute_ledger(&vertices, Some(1520), &ctx, &settings);

        let figures = [
            l.length_m, l.existing_m, l.under_construction_m, l.new_m, l.sea_m,
            l.cost.total_usd, l.travel.total_h,
        ];
        prop_assert!(figures.iter().all(|f| f.is_finite() && *f >= 0.0), "{figures:?}");

        // The segments are the length; chainage at each vertex climbs to it.
        prop_assert!(close(l.segments_m.iter().sum::<f64>(), l.length_m, 1e-6));
        prop_assert!(l.vertex_chainage_m.windows(2).all(|w| w[0] <= w[1]));
        if let Some(&last) = l.vertex_chainage_m.last() {
            prop_assert!(close(last, l.length_m, 1e-6), "{last} vs {}", l.length_m);
        }

        // Independent lower bound: the geodesic between the two ends.
        let (a, b) = (vertices[0], vertices[vertices.len() - 1]);
        let direct_m = Geodesic.distance(Point::from(a), Point::from(b));
        prop_assert!(l.length_m + 1e-6 >= direct_m, "{} < {direct_m}", l.length_m);

        // Countries (the sea included) and existing/new/sea each tile the whole length.
        let by_country: f64 = l.countries.iter().map(|c| c.length_m).sum();
        prop_assert!(close(by_country, l.length_m, 1.0), "{by_country} vs {}", l.length_m);
        prop_assert!(close(l.existing_m + l.new_m + l.sea_m, l.length_m, 1.0));
        prop_assert!(l.under_construction_m <= l.new_m + 1.0);

        // Crossings lie on the line, in chainage order, each between two different places.
        prop_assert!(l.crossings.iter().all(|c| c.chainage_m >= -1e-6 && c.chainage_m <= l.length_m + 1e-6));
        prop_assert!(l.crossings.windows(2).all(|w| w[0].chainage_m <= w[1].chainage_m + 1e-6));
        prop_assert!(l.crossings.iter().all(|c| c.from_iso_a3 != c.to_iso_a3));
        prop_assert!(l.borders_crossed <= l.crossings.len());

        // Drawn the other way, the line has the same length, the same crossings in reverse
        // order at the same places, and the same split. Crossings come from the boundary
        // edges, not from the samples, so a corner of a country clipped between two samples is
        // seen from both directions (the case in `ledger_properties.proptest-regressions`
        // once was not). Existing track is read at the samples, which sit elsewhere when the
        // line is reversed: that split agrees to within the sample spacing at each run's ends.
        let reversed: Vec<(f64, f64)> = vertices.iter().rev().copied().collect();
        let r = compute_ledger(&reversed, Some(1520), &ctx, &settings);
        prop_assert!(close(r.length_m, l.length_m, 1e-6));
        prop_assert_eq!(r.crossings.len(), l.crossings.len());
        for (fwd, back) in l.crossings.iter().zip(r.crossings.iter().rev()) {
            prop_assert_eq!(&fwd.from_iso_a3, &back.to_iso_a3);
            prop_assert_eq!(&fwd.to_iso_a3, &back.from_iso_a3);
            prop_assert!(
                close(fwd.chainage_m, l.length_m - back.chainage_m, 1.0),
                "crossing at {} vs {} from the other end",
                fwd.chainage_m,
                l.length_m - back.chainage_m
            );
        }
        prop_assert!(close(r.sea_m, l.sea_m, 2.0), "{} vs {}", r.sea_m, l.sea_m);
        for c in &l.countries {
            let back = r.countries.iter().find(|x| x.iso_a3 == c.iso_a3).map_or(0.0, |x| x.length_m);
            prop_assert!(close(back, c.length_m, 2.0), "{}: {} vs {}", c.iso_a3, c.length_m, back);
        }
        let runs = (l.track_runs.len().max(r.track_runs.len()) + 1) as f64;
        prop_assert!(close(r.existing_m, l.existing_m, 2.0 * runs * settings.sample_spacing_m));
    }
}
