//! The ledger on hand-built worlds whose answers are known independently: square countries,
//! straight tracks, a ramp-shaped DEM. Reference lengths come from GeographicLib (Python
//! `geographiclib` 2.x, WGS84 `Inverse`/`InverseLine`), computed outside this code base and
//! pasted as constants.
#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests: a failed expectation is the message.

use std::sync::Arc;

use corridor_domain::Feature;
use corridor_domain::data::elevation::ElevationGrid;
use corridor_domain::measure::ledger::{
    GaugeBreakKind, LedgerContext, LedgerInputs, LedgerSettings, PlaceKind, SEA_CODE,
    compute_ledger,
};
use geo::{Geometry, LineString, Point, polygon};
use serde_json::{Value, json};

fn feature(geometry: impl Into<Geometry<f64>>, props: Value) -> Feature {
    let Value::Object(map) = props else {
        panic!("properties must be an object")
    };
    Feature::new(geometry.into(), map)
}

/// A 1° square country with its south-west corner at (`lon`, 30).
fn square(lon: f64, iso_a2: &str, iso_a3: &str) -> Feature {
    feature(
        polygon![(x: lon, y: 30.0), (x: lon + 1.0, y: 30.0), (x: lon + 1.0, y: 31.0), (x: lon, y: 31.0)],
        json!({"name": format!("Country {iso_a3}"), "iso_a2": iso_a2, "iso_a3": iso_a3}),
    )
}

/// Three countries in a row, west to east: AAA (1,520 mm network), BBB (1,435), CCC (1,676).
/// West of 60° E is sea.
fn countries() -> Vec<Feature> {
    vec![
        square(60.0, "KZ", "AAA"),
        square(61.0, "IR", "BBB"),
        square(62.0, "PK", "CCC"),
    ]
}

fn line(coords: &[(f64, f64)], props: Value) -> Feature {
    feature(LineString::from(coords.to_vec()), props)
}

fn point(lon: f64, lat: f64, props: Value) -> Feature {
    feature(Point::new(lon, lat), props)
}

fn close(got: f64, want: f64, tolerance: f64, what: &str) {
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: got {got}, want {want} ± {tolerance}"
    );
}

// GeographicLib, the line (59.8, 30.5) → (61.7, 30.6) → (62.5, 30.5):
const SEG1_M: f64 = 182_639.169_302_442_84;
const SEG2_M: f64 = 77_556.090_882_501_42;
/// Chainage where the geodesic crosses 60° E (sea → AAA), 61° E (AAA → BBB), 62° E (BBB → CCC).
const CROSS_60_M: f64 = 19_243.451_738_190_226;
const CROSS_61_M: f64 = 115_394.087_843_506_36;
const CROSS_62_M: f64 = 211_704.109_630_885_53;
/// Nearest point of the line to (61.5, 30.62): chainage and distance.
const CAPITAL_CHAINAGE_M: f64 = 163_606.031_252_666_9;
const CAPITAL_DISTANCE_M: f64 = 3_233.741_203_293_192;
/// Nearest point of the line to (62.4, 30.42).
const PORT_CHAINAGE_M: f64 = 251_989.345_206_076_98;
const PORT_DISTANCE_M: f64 = 10_176.061_705_862_221;

const THREE_COUNTRY_LINE: [(f64, f64); 3] = [(59.8, 30.5), (61.7, 30.6), (62.5, 30.5)];

fn three_country_context() -> LedgerContext {
    let countries = countries();
    let rail_points = vec![point(
        61.0,
        30.52,
        json!({"kind": "border-crossing", "name": "Gate AB"}),
    )];
    let ports = vec![point(
        62.4,
        30.42,
        json!({"kind": "sea-port", "name": "Port C"}),
    )];
    let cities = vec![
        point(
            61.5,
            30.62,
            json!({"name": "Capital B", "capital": true, "population": 200_000}),
        ),
        point(
            61.2,
            30.55,
            json!({"name": "Small town", "capital": false, "population": 100_000}),
        ),
        point(
            61.6,
            31.5,
            json!({"name": "Far city", "capital": true, "population": 5_000_000}),
        ),
    ];
    LedgerContext::from_inputs(&LedgerInputs {
        countries: &countries,
        rail_points: &rail_points,
        ports: &ports,
        cities: &cities,
        ..LedgerInputs::default()
    })
}

#[test]
fn a_line_across_two_borders_is_split_exactly_at_them() {
    let ctx = three_country_context();
    let l = compute_ledger(&THREE_COUNTRY_LINE, None, &ctx, &LedgerSettings::default());

    close(l.length_m, SEG1_M + SEG2_M, 1e-6, "length");
    close(l.segments_m[0], SEG1_M, 1e-6, "segment 1");
    close(l.segments_m[1], SEG2_M, 1e-6, "segment 2");

    let route: Vec<(&str, &str)> = l
        .crossings
        .iter()
        .map(|c| (c.from_iso_a3.as_str(), c.to_iso_a3.as_str()))
        .collect();
    assert_eq!(route, [(SEA_CODE, "AAA"), ("AAA", "BBB"), ("BBB", "CCC")]);
    // Bisection along the geodesic: within 10 m of GeographicLib's crossing (the brief), and
    // in fact within the 1 m the code aims for.
    for (c, want) in l.crossings.iter().zip([CROSS_60_M, CROSS_61_M, CROSS_62_M]) {
        close(c.chainage_m, want, 1.0, "crossing chainage");
    }
    assert_eq!(
        l.borders_crossed, 2,
        "sea → land is a landfall, not a border"
    );
    let near = l.crossings[1].near.as_ref().expect("Gate AB is 2 km away");
    assert_eq!(near.name, "Gate AB");
    assert!(
        l.crossings[2].near.is_none(),
        "no named crossing near 62° E"
    );

    let km: Vec<(&str, f64)> = l
        .countries
        .iter()
        .map(|c| (c.iso_a3.as_str(), c.length_m))
        .collect();
    assert_eq!(km.len(), 4);
    close(km[0].1, CROSS_60_M, 1.0, "sea");
    close(km[1].1, CROSS_61_M - CROSS_60_M, 2.0, "AAA");
    close(km[2].1, CROSS_62_M - CROSS_61_M, 2.0, "BBB");
    close(km[3].1, SEG1_M + SEG2_M - CROSS_62_M, 1.0, "CCC");
    let sum: f64 = l.countries.iter().map(|c| c.length_m).sum();
    close(sum, l.length_m, 1e-6, "sum of parts");
    close(l.sea_m, CROSS_60_M, 1.0, "sea length");
    close(
        l.existing_m + l.new_m + l.sea_m,
        l.length_m,
        1e-6,
        "existing + new + sea",
    );
    assert_eq!(l.country_at_chainage(150_000.0), Some("BBB"));
}

#[test]
fn borders_between_networks_are_gauge_breaks_unless_the_gauge_is_declared() {
    let ctx = three_country_context();
    let l = compute_ledger(&THREE_COUNTRY_LINE, None, &ctx, &LedgerSettings::default());
    let breaks: Vec<(u32, u32, GaugeBreakKind)> = l
        .gauge_breaks
        .iter()
        .map(|b| (b.from_gauge_mm, b.to_gauge_mm, b.kind))
        .collect();
    assert_eq!(
        breaks,
        [
            (1520, 1435, GaugeBreakKind::Border),
            (1435, 1676, GaugeBreakKind::Border)
        ]
    );
    close(l.gauge_breaks[0].chainage_m, CROSS_61_M, 1.0, "first break");
    close(
        l.gauge_breaks[1].chainage_m,
        CROSS_62_M,
        1.0,
        "second break",
    );
    // The gauge runs the strip diagram draws: unknown at sea (the line starts offshore), then
    // one per network, cut within a sample spacing of the crossings, covering the whole line.
    let runs: Vec<Option<u32>> = l.gauge_runs.iter().map(|r| r.gauge_mm).collect();
    assert_eq!(runs, [None, Some(1520), Some(1435), Some(1676)]);
    let spacing_m = LedgerSettings::default().sample_spacing_m;
    assert!(l.gauge_runs[0].start_m.abs() < 1e-9);
    assert!((l.gauge_runs[3].end_m - l.length_m).abs() < 1e-6);
    for (run, crossing_m) in l.gauge_runs[1..]
        .iter()
        .zip([CROSS_60_M, CROSS_61_M, CROSS_62_M])
    {
        assert!(
            (run.start_m - crossing_m).abs() <= spacing_m,
            "{run:?} vs {crossing_m}"
        );
    }
    for w in l.gauge_runs.windows(2) {
        assert!((w[0].end_m - w[1].start_m).abs() < 1e-9);
    }

    // A line declared 1,520 mm is 1,520 mm in every country: no break without other track.
    let declared = compute_ledger(
        &THREE_COUNTRY_LINE,
        Some(1520),
        &ctx,
        &LedgerSettings::default(),
    );
    assert!(
        declared.gauge_breaks.is_empty(),
        "{:?}",
        declared.gauge_breaks
    );
}

/// The travel time is the train run: bounded by closed forms for the default heavy freight
/// (4,000 t, 12 MW, 1,200 kN, Davis 55 kN + 800 N·s/m + 95 N·s²/m², braking 0.25 m/s²,
/// 80 km/h = 22.22 m/s) on a flat, straight line (engineering off) stopping at the landfall,
/// both borders, the gauge breaks and the end. Each stretch between stops runs at 80 km/h but
/// for braking, which loses v/(2b) = 44.44 s exactly, and starting, which loses v/(2a) for an
/// acceleration a between its value at 80 km/h ((540 − 119.69) kN / 4,000 t = 0.1051 m/s²:
/// 105.7 s) and at rest ((1,200 − 55) kN / 4,000 t = 0.2863 m/s²: 38.8 s). Sea at 22 km/h,
/// 2 borders × 2 h, 2 breaks × 3 h.
#[test]
fn travel_time_is_the_train_run_with_ferry_border_and_gauge_break_hours() {
    let ctx = three_country_context();
    let mut settings = LedgerSettings::default();
    settings.engineering.enabled = false;
    let l = compute_ledger(&THREE_COUNTRY_LINE, None, &ctx, &settings);
    let land_m = SEG1_M + SEG2_M - CROSS_60_M;
    let sea_km = CROSS_60_M / 1000.0;
    let mut stops = vec![CROSS_60_M, CROSS_61_M, CROSS_62_M, SEG1_M + SEG2_M];
    stops.extend(l.gauge_breaks.iter().map(|g| g.chainage_m));
    stops.sort_by(f64::total_cmp);
    stops.dedup_by(|a, b| (*a - *b).abs() < 200.0);
    let stretches = (stops.len() - 1) as f64;
    let v = 80.0 / 3.6;
    let cruise_h = land_m / v / 3600.0;
    let low_h = cruise_h + stretches * (v / (2.0 * 0.25) + v / (2.0 * 0.2863)) / 3600.0;
    let high_h = cruise_h + stretches * (v / (2.0 * 0.25) + v / (2.0 * 0.1051)) / 3600.0;
    let t = &l.travel;
    assert!(
        t.running_h > low_h * 0.995 && t.running_h < high_h * 1.005,
        "running {} h outside {low_h}..{high_h} h ({stretches} stretches)",
        t.running_h
    );
    // The landfall is located to 1 m: 1 m at 22 km/h is 4.5e-5 h.
    close(t.ferry_h, sea_km / 22.0, 1e-4, "ferry hours");
    close(t.border_dwell_h, 4.0, 0.0, "border dwell");
    close(t.gauge_break_dwell_h, 6.0, 0.0, "gauge break dwell");
    close(
        t.total_h,
        t.running_h + t.ferry_h + 10.0,
        1e-9,
        "total = running + ferry + dwell",
    );
    assert!(t.train.starts_with("heavy freight"), "{}", t.train);
}

#[test]
fn capitals_ports_and_major_cities_near_the_line_are_served_in_order() {
    let ctx = three_country_context();
    let l = compute_ledger(&THREE_COUNTRY_LINE, None, &ctx, &LedgerSettings::default());
    let names: Vec<&str> = l.served.iter().map(|s| s.name.as_str()).collect();
    // The small town is too small, the far city too far (~100 km).
    assert_eq!(names, ["Capital B", "Port C"]);
    assert_eq!(l.served[0].kind, PlaceKind::Capital);
    assert_eq!(l.served[1].kind, PlaceKind::Port);
    close(
        l.served[0].chainage_m,
        CAPITAL_CHAINAGE_M,
        50.0,
        "capital chainage",
    );
    close(
        l.served[0].distance_m,
        CAPITAL_DISTANCE_M,
        5.0,
        "capital distance",
    );
    close(
        l.served[1].chainage_m,
        PORT_CHAINAGE_M,
        50.0,
        "port chainage",
    );
    close(
        l.served[1].distance_m,
        PORT_DISTANCE_M,
        5.0,
        "port distance",
    );
    // The chainage helper agrees with GeographicLib too.
    let (chainage_m, distance_m) = l.chainage_of(61.5, 30.62).expect("a line");
    close(chainage_m, CAPITAL_CHAINAGE_M, 50.0, "chainage_of");
    close(distance_m, CAPITAL_DISTANCE_M, 5.0, "chainage_of distance");
    let (lon, lat) = l.position_at(CROSS_61_M).expect("a line");
    close(lon, 61.0, 1e-4, "position_at lon");
    close(
        lat,
        30.566_406_653_727_686,
        1e-4,
        "position_at lat (GeographicLib)",
    );
}

// GeographicLib: (60.2, 30.2) → (60.8, 30.8).
const REUSE_LINE_M: f64 = 87_989.019_692_769_27;

#[test]
fn a_line_laid_on_existing_track_is_entirely_reused() {
    let countries = countries();
    let rail = vec![line(
        &[(60.2, 30.2), (60.8, 30.8)],
        json!({"name": "Old line", "status": "existing", "gauge_mm": 1520}),
    )];
    let ctx = LedgerContext::from_inputs(&LedgerInputs {
        countries: &countries,
        rail: &rail,
        ..LedgerInputs::default()
    });
    let l = compute_ledger(
        &[(60.2, 30.2), (60.8, 30.8)],
        None,
        &ctx,
        &LedgerSettings::default(),
    );
    close(l.length_m, REUSE_LINE_M, 1e-6, "length");
    close(l.existing_m, REUSE_LINE_M, 1e-6, "existing");
    assert!(l.new_m.abs() < 1e-6, "new {}", l.new_m);
    assert_eq!(l.track_runs.len(), 1);
    assert_eq!(l.track_runs[0].line, "Old line");
    assert!(l.gauge_breaks.is_empty());

    // A parallel line 5 km away reuses nothing; proposed lines are never track.
    let off = compute_ledger(
        &[(60.25, 30.2), (60.85, 30.8)],
        None,
        &ctx,
        &LedgerSettings::default(),
    );
    assert!(off.existing_m.abs() < f64::EPSILON, "{}", off.existing_m);
    let proposed = vec![line(
        &[(60.2, 30.2), (60.8, 30.8)],
        json!({"name": "Plan", "status": "proposed", "gauge_mm": 1520}),
    )];
    let ctx = LedgerContext::from_inputs(&LedgerInputs {
        countries: &countries,
        rail: &proposed,
        ..LedgerInputs::default()
    });
    let l = compute_ledger(
        &[(60.2, 30.2), (60.8, 30.8)],
        None,
        &ctx,
        &LedgerSettings::default(),
    );
    assert!(l.existing_m.abs() < f64::EPSILON);
}

// GeographicLib: (61.5, 30.5) → (62.5, 30.5) and (62.5, 30.5) → (62.5, 30.9).
const APPROACH_M: f64 = 95_998.613_431_631_03;
const ALONG_M: f64 = 44_345.730_011_390_064;

fn broad_gauge_context() -> LedgerContext {
    let countries = countries();
    // A 1,676 mm line running north-south along 62.5° E in CCC.
    let rail = vec![line(
        &[(62.5, 30.1), (62.5, 30.9)],
        json!({"name": "Broad line", "status": "existing", "gauge_mm": 1676}),
    )];
    let rail_points = vec![point(
        62.49,
        30.5,
        json!({"kind": "gauge-break", "name": "Junction"}),
    )];
    LedgerContext::from_inputs(&LedgerInputs {
        countries: &countries,
        rail: &rail,
        rail_points: &rail_points,
        ..LedgerInputs::default()
    })
}

#[test]
fn a_standard_line_ending_at_a_broad_gauge_network_breaks_gauge_at_its_end() {
    let ctx = broad_gauge_context();
    let l = compute_ledger(
        &[(61.5, 30.5), (62.5, 30.5)],
        Some(1520),
        &ctx,
        &LedgerSettings::default(),
    );
    assert_eq!(l.gauge_breaks.len(), 1, "{:?}", l.gauge_breaks);
    let b = &l.gauge_breaks[0];
    assert_eq!(
        (b.from_gauge_mm, b.to_gauge_mm, b.kind),
        (1520, 1676, GaugeBreakKind::NetworkAtEnd)
    );
    close(b.chainage_m, APPROACH_M, 1e-6, "break at the end");
    assert_eq!(b.near.as_ref().map(|n| n.name.as_str()), Some("Junction"));
    // The last 2 km are the connection, not reuse.
    assert!(l.existing_m.abs() < f64::EPSILON);
}

#[test]
fn a_line_joining_track_of_another_gauge_breaks_where_it_joins() {
    let ctx = broad_gauge_context();
    let settings = LedgerSettings::default();
    let l = compute_ledger(
        &[(61.5, 30.5), (62.5, 30.5), (62.5, 30.9)],
        Some(1520),
        &ctx,
        &settings,
    );
    assert_eq!(l.gauge_breaks.len(), 1, "{:?}", l.gauge_breaks);
    let b = &l.gauge_breaks[0];
    assert_eq!(
        (b.from_gauge_mm, b.to_gauge_mm, b.kind),
        (1520, 1676, GaugeBreakKind::JoinsTrack)
    );
    // The line meets the track square on, so it comes within the 2 km tolerance 2 km before
    // the corner; the first sample inside is at most one sample spacing later.
    let enters_m = APPROACH_M - settings.reuse_tolerance_m;
    assert!(
        b.chainage_m >= enters_m - 1.0 && b.chainage_m <= enters_m + settings.sample_spacing_m,
        "break at {} m, expected {enters_m}..{} m",
        b.chainage_m,
        enters_m + settings.sample_spacing_m
    );
    // Reused: the 44.3 km along the track plus the approach inside the tolerance.
    assert!(
        l.existing_m >= ALONG_M && l.existing_m <= ALONG_M + settings.reuse_tolerance_m + 1.0,
        "existing {}",
        l.existing_m
    );
    // Crossing a railway square on is not reusing it.
    let across = compute_ledger(&[(62.3, 30.3), (62.7, 30.35)], Some(1520), &ctx, &settings);
    assert!(across.existing_m.abs() < f64::EPSILON);
    assert!(across.gauge_breaks.is_empty(), "{:?}", across.gauge_breaks);
}

/// Elevation rising 2,000 m per degree of longitude (exact under bilinear interpolation):
/// cells of 0.01°, cell centre values 20·i + 10 over lon 60–63, lat 30–31.
fn ramp_dem() -> ElevationGrid {
    let (cols, rows) = (300, 100);
    let data = (0..rows)
        .flat_map(|_| (0..cols).map(|i| (20 * i + 10) as i16))
        .collect();
    ElevationGrid::new(cols, rows, 60.0, 31.0, 0.01, data).expect("300 × 100")
}

// GeographicLib: (60.5, 30.5) → (61.5, 30.5) and (61.5, 30.5) → (60.8, 30.5).
const RAMP_UP_M: f64 = 95_998.613_431_631_03;
const RAMP_BACK_M: f64 = 67_199.141_456_799_29;

#[test]
fn climb_descent_and_grade_follow_a_known_ramp() {
    let countries = countries();
    let ctx = LedgerContext::from_inputs(&LedgerInputs {
        countries: &countries,
        elevation: Some(Arc::new(ramp_dem())),
        ..LedgerInputs::default()
    });
    let settings = LedgerSettings::default();
    let l = compute_ledger(
        &[(60.5, 30.5), (61.5, 30.5), (60.8, 30.5)],
        None,
        &ctx,
        &settings,
    );
    // 1,000 m at 60.5° E, 3,000 m at 61.5° E, 1,600 m at 60.8° E.
    close(l.profile.climb_m, 2000.0, 1e-6, "climb");
    close(l.profile.descent_m, 1400.0, 1e-6, "descent");
    close(
        l.profile.min_elevation_m.expect("data"),
        1000.0,
        1e-6,
        "min",
    );
    close(
        l.profile.max_elevation_m.expect("data"),
        3000.0,
        1e-6,
        "max",
    );
    // The geodesic advances in longitude almost uniformly, so the grade is close to 2,000 m
    // over 95.999 km everywhere.
    let grade_pct = 2000.0 / RAMP_UP_M * 100.0;
    close(
        l.profile.steepest_grade_1km_pct,
        grade_pct,
        grade_pct * 0.01,
        "1 km grade",
    );
    close(
        l.profile.steepest_grade_10km_pct,
        grade_pct,
        grade_pct * 0.01,
        "10 km grade",
    );
    close(l.length_m, RAMP_UP_M + RAMP_BACK_M, 1e-6, "length");
}

// GeographicLib: (61.5, 30.5) → (61.9, 30.5).
const TRACK_LEG_M: f64 = 38_399.550_835_102_26;

#[test]
fn cost_is_quantities_times_unit_costs_and_committed_track_is_costed_as_new_build() {
    let countries = countries();
    // New build from 60.5° to 61.5° E, then existing track to 61.9° E. A 1 m reuse tolerance
    // makes the track leg exactly the reused part. Without the design line (engineering off)
    // there are no structures or earthworks: the cost is track km, stations and facilities.
    let rail = |status: &str| {
        vec![line(
            &[(61.5, 30.5), (61.9, 30.5)],
            json!({"name": "Old line", "status": status, "gauge_mm": 1520}),
        )]
    };
    let mut settings = LedgerSettings {
        reuse_tolerance_m: 1.0,
        ..LedgerSettings::default()
    };
    settings.engineering.enabled = false;
    let c = &mut settings.costs;
    c.track_new_per_km.usd = 3_000_000.0;
    c.upgrade_per_km.usd = 500_000.0;
    c.station_each.usd = 1_000_000.0;
    c.station_spacing_km = 50.0;
    c.border_each.usd = 0.0;
    c.gauge_break_each.usd = 0.0;
    c.calibration_factor.usd = 2.0;
    c.committed_share = 0.5;
    let vertices = [(60.5, 30.5), (61.5, 30.5), (61.9, 30.5)];

    let existing = rail("existing");
    let ctx = LedgerContext::from_inputs(&LedgerInputs {
        countries: &countries,
        rail: &existing,
        elevation: Some(Arc::new(ramp_dem())),
        ..LedgerInputs::default()
    });
    let l = compute_ledger(&vertices, Some(1520), &ctx, &settings);
    close(l.existing_m, TRACK_LEG_M, 1e-3, "existing");
    close(l.new_m, RAMP_UP_M, 1e-3, "new");
    let q = &l.cost.quantities;
    close(q.new_km, RAMP_UP_M / 1000.0, 1e-6, "new km");
    close(q.upgrade_km, TRACK_LEG_M / 1000.0, 1e-6, "upgrade km");
    assert_eq!(q.new_km_by_gauge.len(), 1);
    assert_eq!(q.new_km_by_gauge[0].0, Some(1520));
    // 96.0 km of new build at one station per 50 km: 2 stations.
    assert_eq!(q.stations, 2);
    // By hand: 2 × (95.999 km × $3 m + 38.400 km × $0.5 m + 2 × $1 m).
    let want_usd =
        2.0 * (RAMP_UP_M / 1000.0 * 3_000_000.0 + TRACK_LEG_M / 1000.0 * 500_000.0 + 2_000_000.0);
    close(l.cost.total_usd, want_usd, 1.0, "total cost");
    close(
        l.cost.low_usd,
        want_usd * settings.costs.band_low,
        1.0,
        "low",
    );
    close(
        l.cost.high_usd,
        want_usd * settings.costs.band_high,
        1.0,
        "high",
    );

    // The same track under construction is committed work: new-build rate × the share,
    // never the upgrade rate. 134.4 km built: 3 stations, weighted like the track.
    let building = rail("under-construction");
    let ctx = LedgerContext::from_inputs(&LedgerInputs {
        countries: &countries,
        rail: &building,
        elevation: Some(Arc::new(ramp_dem())),
        ..LedgerInputs::default()
    });
    let l = compute_ledger(&vertices, Some(1520), &ctx, &settings);
    let q = &l.cost.quantities;
    close(q.committed_km, TRACK_LEG_M / 1000.0, 1e-6, "committed km");
    assert!(q.upgrade_km.abs() < 1e-9, "{q:?}");
    assert_eq!(q.stations, 3);
    let (new_km, committed_km) = (RAMP_UP_M / 1000.0, TRACK_LEG_M / 1000.0);
    let stations_weighted = 3.0 * (new_km + 0.5 * committed_km) / (new_km + committed_km);
    let want_usd = 2.0
        * (new_km * 3_000_000.0
            + committed_km * 3_000_000.0 * 0.5
            + stations_weighted * 1_000_000.0);
    close(l.cost.total_usd, want_usd, 1.0, "committed cost");
}

/// Scenarios saved before the one travel time carry `design_speed_kmh` (the old "length ÷
/// design speed" time): they still open, the key is ignored and the rest is read.
#[test]
fn settings_saved_with_the_old_design_speed_still_load() {
    let s: LedgerSettings =
        serde_json::from_str(r#"{"design_speed_kmh": 60, "border_dwell_h": 5}"#)
            .expect("an old settings object loads");
    assert!((s.border_dwell_h - 5.0).abs() < f64::EPSILON);
    assert_eq!(s.problem(), None);
    assert!(
        !serde_json::to_string(&s)
            .expect("JSON")
            .contains("design_speed_kmh")
    );
}

#[test]
fn passing_a_junction_where_a_line_of_another_gauge_ends_is_no_break_of_gauge() {
    // Two 1,435 mm lines meet at a station (61.6, 30.505) in BBB, where a 1,676 mm line from
    // the north ends, drawn to a point 555 m south of them (as station positions from two
    // sources differ). An alignment along the standard lines passes within a few hundred metres
    // of that end, where the broad line is the nearest one for a few samples.
    let countries = countries();
    let rail = vec![
        line(
            &[(61.2, 30.505), (61.6, 30.505)],
            json!({"name": "West standard", "status": "existing", "gauge_mm": 1435}),
        ),
        line(
            &[(61.6, 30.505), (62.0, 30.505)],
            json!({"name": "East standard", "status": "existing", "gauge_mm": 1435}),
        ),
        line(
            &[(61.6, 30.9), (61.6, 30.5)],
            json!({"name": "Broad from the north", "status": "existing", "gauge_mm": 1676}),
        ),
    ];
    let ctx = LedgerContext::from_inputs(&LedgerInputs {
        countries: &countries,
        rail: &rail,
        ..LedgerInputs::default()
    });
    let l = compute_ledger(
        &[(61.2, 30.5), (62.0, 30.5)],
        None,
        &ctx,
        &LedgerSettings::default(),
    );
    assert!(l.gauge_breaks.is_empty(), "{:?}", l.gauge_breaks);
    assert!(
        l.track_runs.iter().all(|r| r.gauge_mm == Some(1435)),
        "{:?}",
        l.track_runs
    );
    // All of it is still reuse of existing track.
    assert!(
        l.existing_m > 0.99 * l.length_m,
        "existing {} of {}",
        l.existing_m,
        l.length_m
    );
}
