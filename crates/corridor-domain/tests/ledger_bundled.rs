//! The ledger on the bundled atlas: Natural Earth borders, the curated rail network, ETOPO5.
//! Expectations come from geography, not from this code: where the Amu Darya border is,
//! which lines exist, what the published projects cost.
#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests: a failed expectation is the message.

use std::sync::OnceLock;

use corridor_domain::Atlas;
use corridor_domain::measure::ledger::{
    GaugeBreakKind, Ledger, LedgerContext, LedgerSettings, compute_ledger,
};

fn ctx() -> &'static LedgerContext {
    static CTX: OnceLock<LedgerContext> = OnceLock::new();
    CTX.get_or_init(|| LedgerContext::new(&Atlas::load_bundled()))
}

fn ledger(vertices: &[(f64, f64)], gauge_mm: Option<u32>) -> Ledger {
    compute_ledger(vertices, gauge_mm, ctx(), &LedgerSettings::default())
}

// City centres from GeoNames (cities.geojson) and Hairatan from its Wikipedia infobox.
const TERMEZ: (f64, f64) = (67.2783, 37.2242);
const HAIRATAN: (f64, f64) = (67.4169, 37.2169);
const MAZAR_I_SHARIF: (f64, f64) = (67.1109, 36.709);
const KARACHI: (f64, f64) = (67.0104, 24.8608);
const HYDERABAD_PK: (f64, f64) = (68.3772, 25.3969);
const NAWABSHAH: (f64, f64) = (68.4037, 26.2394);
// ML-1 stations between Hyderabad and Rohri (GeoNames 1163967, 1165635, 1170013, 1175010,
// 1162004): the line bends through them, so a drawing that skips them leaves the track.
const TANDO_ADAM: (f64, f64) = (68.662, 25.7682);
const SHAHDADPUR: (f64, f64) = (68.6228, 25.9254);
const MORO: (f64, f64) = (68.0002, 26.6632);
const KANDIARO: (f64, f64) = (68.2102, 27.0592);
const KHAIRPUR: (f64, f64) = (68.7592, 27.5295);
const SUKKUR: (f64, f64) = (68.8589, 27.7032);

#[test]
fn termez_to_mazar_crosses_from_uzbekistan_into_afghanistan_once_near_hairatan() {
    let l = ledger(&[TERMEZ, HAIRATAN, MAZAR_I_SHARIF], Some(1520));
    assert_eq!(l.crossings.len(), 1, "{:?}", l.crossings);
    let c = &l.crossings[0];
    assert_eq!(
        (c.from_iso_a3.as_str(), c.to_iso_a3.as_str()),
        ("UZB", "AFG")
    );
    // Hairatan is on the Afghan bank: the river border lies between Termez and Hairatan.
    assert!(
        c.chainage_m > 0.0 && c.chainage_m < l.segments_m[0],
        "{}",
        c.chainage_m
    );
    assert_eq!(c.near.as_ref().map(|n| n.name.as_str()), Some("Hairatan"));
    assert_eq!(l.borders_crossed, 1);
    let sum: f64 = l.countries.iter().map(|k| k.length_m).sum();
    assert!((sum - l.length_m).abs() < 1e-6);
    // 1,520 mm from Termez into Afghanistan: no break of gauge on this line.
    assert!(l.gauge_breaks.is_empty(), "{:?}", l.gauge_breaks);
    assert!(l.served.iter().any(|s| s.name == "Mazar-i-Sharif"));
}

#[test]
fn a_line_along_ml1_from_karachi_to_rohri_is_mostly_existing_broad_gauge() {
    // Drawn through city centres of ML-1 stations, not through the rail layer's vertices:
    // Sukkur is across the Indus from Rohri, ~4 km off the line's end.
    let along_ml1 = [
        KARACHI,
        HYDERABAD_PK,
        TANDO_ADAM,
        SHAHDADPUR,
        NAWABSHAH,
        MORO,
        KANDIARO,
        KHAIRPUR,
        SUKKUR,
    ];
    let l = ledger(&along_ml1, None);
    assert!(
        l.existing_m > 0.75 * l.length_m,
        "existing {:.0} of {:.0} m",
        l.existing_m,
        l.length_m
    );
    assert!(
        l.track_runs.iter().all(|r| r.gauge_mm == Some(1676)),
        "{:?}",
        l.track_runs
    );
    assert!(l.track_runs.iter().all(|r| r.line.starts_with("ML-1")));
    assert!(l.gauge_breaks.is_empty(), "{:?}", l.gauge_breaks);
    assert_eq!(l.countries.len(), 1);
    assert_eq!(l.countries[0].iso_a3, "PAK");
    // The Indus plain is flat.
    assert!(l.terrain.flat_m > 0.9 * l.length_m, "{:?}", l.terrain);

    // Declared 1,520 mm, the same line leaves the broad-gauge track for new 1,520 mm build
    // where it parts from ML-1, and meets ML-1 again at Sukkur.
    let russian = ledger(&along_ml1, Some(1520));
    let breaks: Vec<_> = russian
        .gauge_breaks
        .iter()
        .map(|b| (b.from_gauge_mm, b.to_gauge_mm, b.kind))
        .collect();
    assert_eq!(
        breaks,
        [
            (1676, 1520, GaugeBreakKind::LeavesTrack),
            (1520, 1676, GaugeBreakKind::NetworkAtEnd)
        ]
    );
    let run_end_m = russian.track_runs[0].end_m;
    assert!((russian.gauge_breaks[0].chainage_m - run_end_m).abs() < 1e-6);
}

/// The calibration projects, drawn through their nodes (straight chords, 70–95 % of the
/// published lengths), with the default settings: the flat desert line is flat and cheap per
/// km, the Hindu Kush line neither. (Costs against the published figures: `ledger_cost_loo`.)
/// A published project: name, nodes (lon, lat), published cost (USD).
type Project = (&'static str, &'static [(f64, f64)], f64);

#[test]
fn the_calibration_projects_lie_on_the_terrain_their_costs_were_published_for() {
    let projects: &[Project] = &[
        (
            "Kazakhstan–Turkmenistan–Iran",
            &[
                (52.8619, 43.3412),
                (55.4654, 40.6219),
                (55.5154, 39.2446),
                (54.7664, 37.6611),
                (54.4439, 36.8427),
            ],
            620e6,
        ),
        (
            "Chabahar–Zahedan",
            &[
                (60.6128, 25.3003),
                (60.2143, 26.2258),
                (60.6848, 27.2024),
                (61.2158, 28.2211),
                (60.8629, 29.4963),
            ],
            1.5e9,
        ),
        (
            "UAP Naibabad–Kharlachi",
            &[
                (67.21, 36.72),
                (68.0155, 36.2647),
                (68.7151, 35.9446),
                (68.6847, 35.6092),
                (68.2602, 34.9074),
                (68.6544, 34.4708),
                (68.8662, 34.3956),
                (69.0227, 33.9953),
                (69.8167, 33.803),
                (69.93, 33.84),
            ],
            4.6e9,
        ),
        (
            "Kohat–Kharlachi",
            &[
                (69.93, 33.84),
                (70.1001, 33.8997),
                (70.3461, 33.5361),
                (71.0595, 33.532),
                (71.4493, 33.582),
            ],
            642e6,
        ),
    ];
    // Costed as entirely new build, as the published figures are.
    let settings = LedgerSettings {
        reuse_tolerance_m: 0.0,
        ..LedgerSettings::default()
    };
    // Their costs are checked against the published figures by leave-one-out in
    // `ledger_cost_loo`; here, that the modelled cost follows the terrain.
    let per_km: Vec<f64> = projects
        .iter()
        .map(|(_, vertices, _)| {
            let l = compute_ledger(vertices, None, ctx(), &settings);
            l.cost.total_usd / l.length_m
        })
        .collect();
    assert!(per_km[2] > 2.0 * per_km[0], "{per_km:?}");
    // The flat desert line is mostly flat, the Hindu Kush line mostly not.
    let kti = compute_ledger(projects[0].1, None, ctx(), &settings);
    assert!(kti.terrain.flat_m > 0.7 * kti.length_m, "{:?}", kti.terrain);
    let uap = compute_ledger(projects[2].1, None, ctx(), &settings);
    assert!(
        uap.terrain.flat_m < 0.25 * uap.length_m,
        "{:?}",
        uap.terrain
    );
    assert!(
        uap.profile.max_elevation_m.unwrap_or(0.0) > 3000.0,
        "Shibar is at 3,000 m"
    );
}
