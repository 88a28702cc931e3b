//! The default unit costs are what the published figures in `shared/data/corridors.md` say
//! per kilometre. The figures are pasted here from that file, independently of the literals
//! in `settings.rs`, so a typo in either shows up.
#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests: a failed expectation is the message.

use corridor_domain::measure::ledger::{LedgerSettings, UnitCost};

/// Defaults are rounded to the dollar.
fn assert_per_km(cost: &UnitCost, published_usd: f64, published_km: f64, mention: &str) {
    let want = published_usd / published_km;
    assert!(
        (cost.usd_per_km - want).abs() <= 0.5,
        "{mention}: default {} USD/km, published figures give {want}",
        cost.usd_per_km
    );
    assert!(
        cost.source.contains(mention),
        "the source of {} should name {mention}: {}",
        cost.usd_per_km,
        cost.source
    );
}

#[test]
fn terrain_unit_costs_are_the_published_cost_per_km_of_their_reference_project() {
    let c = LedgerSettings::default().unit_costs;
    // Kazakhstan–Turkmenistan–Iran line: $620 m, 925 km (Financial Tribune), flat desert.
    assert_per_km(&c.flat, 620e6, 925.0, "925 km");
    // Chabahar–Zahedan: ~$1.5 bn, 628 km.
    assert_per_km(&c.rolling, 1.5e9, 628.0, "628 km");
    // Kohat–Kharlachi: $642 m, 192 km (KP government).
    assert_per_km(&c.hilly, 642e6, 192.0, "192 km");
    // UAP: $4.6 bn, 647 km (TASS/Gazeta.uz, Jul 2025), mostly mountainous.
    assert_per_km(&c.mountainous, 4.6e9, 647.0, "647 km");
}

#[test]
fn the_steep_allowance_is_what_mazar_torkham_spends_on_tunnels_beyond_the_mountain_rate() {
    let c = LedgerSettings::default().unit_costs;
    // Uzbek feasibility study Mazar–Torkham: 783 km, $8 bn, 80 tunnels totalling 148 km.
    let mountain_usd_per_km = 4.6e9 / 647.0;
    let beyond_usd = 8e9 - 783.0 * mountain_usd_per_km;
    assert_per_km(&c.steep_allowance, beyond_usd, 148.0, "148 km");
}

#[test]
fn the_upgrade_cost_is_the_ml4_upgrade_per_km_at_the_stated_exchange_rate() {
    let c = LedgerSettings::default().unit_costs;
    // ML-4 upgrade: Rs 112 bn (2020), Spezand–Iranian border 632 km; 161.8 PKR/USD assumed.
    let pkr_per_usd = 161.8;
    assert!(c.upgrade_existing.source.contains("161.8 PKR/USD"));
    assert_per_km(&c.upgrade_existing, 112e9 / pkr_per_usd, 632.0, "632 km");
}

#[test]
fn settings_round_trip_and_missing_keys_take_defaults() {
    let s: LedgerSettings = serde_json::from_str(
        r#"{"ferry_speed_kmh": 60, "unit_costs": {"flat": {"usd_per_km": 1, "source": "mine"}}}"#,
    )
    .expect("partial settings are valid");
    assert!((s.ferry_speed_kmh - 60.0).abs() < f64::EPSILON);
    assert!((s.unit_costs.flat.usd_per_km - 1.0).abs() < f64::EPSILON);
    let d = LedgerSettings::default();
    assert_eq!(s.unit_costs.hilly, d.unit_costs.hilly);
    assert!((s.reuse_tolerance_m - d.reuse_tolerance_m).abs() < f64::EPSILON);
    let back: LedgerSettings =
        serde_json::from_value(serde_json::to_value(&s).expect("serialisable"))
            .expect("round trip");
    assert_eq!(back, s);
    assert_eq!(d.problem(), None);
    let bad = LedgerSettings {
        ferry_speed_kmh: 0.0,
        ..d
    };
    assert!(
        bad.problem()
            .expect("zero speed")
            .contains("ferry_speed_kmh")
    );
}

#[test]
fn quantity_unit_costs_have_sources_and_upgrading_is_cheaper_than_new_build() {
    let c = *LedgerSettings::default().costs;
    assert!(c.upgrade_per_km.usd < c.track_new_per_km.usd);
    // ML-4 upgrade: Rs 112 bn (2020), 632 km, at 161.8 PKR/USD.
    assert!((c.upgrade_per_km.usd - 112e9 / 161.8 / 632.0).abs() <= 0.5);
    assert!(c.upgrade_per_km.source.contains("632 km"));
    // The tunnel rate is inside the published range it cites ($25–60 m per km).
    assert!((25e6..=60e6).contains(&c.tunnel_per_km.usd));
    assert!(c.tunnel_per_km.source.contains("$25–60 m"));
    for (name, rate) in [
        ("track", &c.track_new_per_km),
        ("bridge", &c.bridge_per_km),
        ("earthworks", &c.earthworks_per_m3),
        ("station", &c.station_each),
        ("border", &c.border_each),
        ("gauge break", &c.gauge_break_each),
        ("calibration", &c.calibration_factor),
    ] {
        assert!(
            rate.source.len() > 20,
            "{name} has no source: {}",
            rate.source
        );
    }
    // The band brackets the estimate.
    assert!(c.band_low < 1.0 && c.band_high > 1.0);
    let bad = LedgerSettings {
        costs: Box::new(corridor_domain::measure::ledger::CostSettings { band_low: 1.2, ..c }),
        ..LedgerSettings::default()
    };
    assert!(bad.problem().expect("band above 1").contains("band"));
}
