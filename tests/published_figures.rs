#![cfg(feature = "gui")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests: a failed expectation is the message.
//! The published figures of an alternative are read by one domain function
//! (`PublishedFigures::of`), so the app's comparison table and `compare --format json` show
//! the same published length for the bundled example and for a file that carries one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use corridor_atlas::app::compare::LedgerCache;
use corridor_atlas::cli::compare::{CompareArgs, CompareFormat, run_with};
use corridor_domain::Atlas;
use corridor_domain::measure::ledger::LedgerContext;
use corridor_domain::plan::scenario::io::load;

/// Published km per alternative, in scenario order: (from the app's table, from the CLI).
fn both(path: &Path, ctx: &Arc<LedgerContext>) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let scenario = load(path).expect("scenario loads");
    let mut cache = LedgerCache::default();
    cache.update(1, &scenario, ctx);
    let gui = cache
        .rows(&scenario)
        .into_iter()
        .map(|(_, r)| r.published_km)
        .collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = CompareArgs {
        scenario: path.to_path_buf(),
        format: CompareFormat::Json,
    };
    assert!(run_with(&args, ctx, &mut out, &mut err).expect("in memory"));
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    let cli = v["alternatives"]
        .as_array()
        .expect("alternatives")
        .iter()
        .map(|a| a["published_km"].as_f64())
        .collect();
    (gui, cli)
}

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn app_and_cli_read_the_same_published_figures() {
    let ctx = Arc::new(LedgerContext::new(&Atlas::load_bundled()));
    // The bundled example: only the UAP has a published length for its route (647 km,
    // TASS 2025); see `every_alternative_of_the_example_carries_its_published_figures`.
    let (gui, cli) = both(&root("assets/examples/corridor-options.geojson"), &ctx);
    assert_eq!(gui, vec![None, None, Some(647.0), None, None]);
    assert_eq!(gui, cli);
    // A file with `length_km_published: 647` (UAP Termez–Kharlachi, TASS 2025) on its first
    // alternative and none on its second.
    let (gui, cli) = both(&root("tests/fixtures/ledger/alternatives.geojson"), &ctx);
    assert_eq!(gui, vec![Some(647.0), None]);
    assert_eq!(gui, cli);
}

/// The figures each alternative of the bundled example cites, written here from
/// tools/geodata/corridors.md (not read back from the file): (title start, published km,
/// published cost in USD, year).
const CITED: [(&str, Option<f64>, Option<f64>, i64); 5] = [
    // Kazakhstan offered ~$7 bn (Kistafin to Geo News, 27 Jan 2026); ~687 km is the Afghan
    // segment only, so the route to Karachi has no published length.
    (
        "West: KTAP via Herat, Kandahar, Chaman",
        None,
        Some(7.0e9),
        2026,
    ),
    // Gwadar-Mastung 961 km, Rs 70.63 bn (2006): a section, and not in dollars.
    ("West: KTAP via Herat, Kandahar, Quetta", None, None, 2006),
    // 647 km, $4.6 bn (TASS/Gazeta.uz, Jul 2025).
    ("East: UAP", Some(647.0), Some(4.6e9), 2025),
    // Only sections published (165, ~800, 626 km); an existing line.
    ("Iran: North-South", None, None, 2005),
    // Chabahar-Zahedan 628 km (a section), ~$1.5 bn (2025).
    ("Iran: via Zahedan", None, Some(1.5e9), 2025),
];

/// `compare --format json` of the bundled example, run in memory as the CLI runs it.
fn example_compare_json() -> serde_json::Value {
    let ctx = Arc::new(LedgerContext::new(&Atlas::load_bundled()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = CompareArgs {
        scenario: root("assets/examples/corridor-options.geojson"),
        format: CompareFormat::Json,
    };
    assert!(run_with(&args, &ctx, &mut out, &mut err).expect("in memory"));
    serde_json::from_slice(&out).expect("JSON")
}

#[test]
fn every_alternative_of_the_example_carries_its_published_figures() {
    let v = example_compare_json();
    let alts = v["alternatives"].as_array().expect("alternatives");
    assert_eq!(alts.len(), CITED.len());
    for (a, (title, km, cost, year)) in alts.iter().zip(CITED) {
        let name = a["name"].as_str().expect("name");
        assert!(name.starts_with(title), "{name} is not {title}");
        for key in [
            "published_km",
            "published_cost_usd",
            "km_ratio",
            "cost_ratio",
            "cost_low_usd",
            "cost_high_usd",
            "published_year",
            "published_source",
        ] {
            assert!(a.get(key).is_some(), "{name}: no {key}");
        }
        assert_eq!(a["published_km"].as_f64(), km, "{name}");
        assert_eq!(a["published_cost_usd"].as_f64(), cost, "{name}");
        assert_eq!(a["published_year"].as_i64(), Some(year), "{name}");
        assert!(
            a["published_source"]
                .as_str()
                .is_some_and(|s| !s.is_empty()),
            "{name}: a figure without its source"
        );
        // Measured over published, from the ledger's own length and cost.
        let measured_km = a["ledger"]["length_m"].as_f64().expect("length") / 1000.0;
        let estimated_usd = a["ledger"]["cost"]["total_usd"].as_f64().expect("cost");
        let close = |got: Option<f64>, want: Option<f64>| match (got, want) {
            (Some(g), Some(w)) => (g - w).abs() < 1e-9,
            (None, None) => true,
            _ => false,
        };
        assert!(
            close(a["km_ratio"].as_f64(), km.map(|k| measured_km / k)),
            "{name}: {}",
            a["km_ratio"]
        );
        assert!(
            close(a["cost_ratio"].as_f64(), cost.map(|c| estimated_usd / c)),
            "{name}: {}",
            a["cost_ratio"]
        );
        // The band: the estimate × the leave-one-out spread of published / predicted over the
        // fitted projects, 0.78–1.42 (docs/costs.md), around a positive estimate.
        let low = a["cost_low_usd"].as_f64().expect("low");
        let high = a["cost_high_usd"].as_f64().expect("high");
        assert!(estimated_usd > 0.0, "{name}");
        assert!((low / estimated_usd - 0.78).abs() < 1e-9, "{name}: {low}");
        assert!((high / estimated_usd - 1.42).abs() < 1e-9, "{name}: {high}");
        // The table row carries the same band.
        let row = v["table"]
            .as_array()
            .expect("table")
            .iter()
            .find(|r| r["name"] == a["name"])
            .expect("a row per alternative");
        assert_eq!(row["cost_low_usd"].as_f64(), Some(low), "{name}");
        assert_eq!(row["cost_high_usd"].as_f64(), Some(high), "{name}");
        // An alternative without a published length says why.
        if km.is_none() {
            assert!(
                a["published_note"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("No published length")),
                "{name}: {}",
                a["published_note"]
            );
        }
    }
    // The UAP's drawn route runs on past Kharlachi to Peshawar: it measures longer than the
    // 647 km published for Termez-Kharlachi, and less than 647 + 192 (Kharlachi-Kohat) + the
    // ~60 km chord Kohat-Peshawar.
    let uap = alts[2]["km_ratio"].as_f64().expect("ratio");
    assert!(uap > 1.0 && uap < 900.0 / 647.0, "{uap}");
    // The UAP's published tunnels ("5 long tunnels", TASS/Gazeta.uz 2025; the Uzbek study's
    // 80 tunnels, 148 km) travel beside its computed ones.
    let published = alts[2]["published_tunnels"]
        .as_str()
        .expect("published tunnels");
    assert!(
        published.contains("5 long tunnels") && published.contains("80 tunnels totalling 148 km")
    );
    let row = &v["table"][2];
    assert!(
        row["tunnels"].as_u64().is_some() && row["tunnel_km"].as_f64().is_some(),
        "{row}"
    );
    assert!(alts[0]["published_tunnels"].is_null());
}

/// The UAP's journey time as published: "freight time cut from 35 days to 3–5 days"
/// (TASS/Gazeta.uz, 21 Jul 2025; corridors.md), written here as 72–120 h. That is door to
/// door, Uzbekistan to Pakistan: terminals, customs, transshipment and the run beyond the
/// line are in it, so the ledger's rail time for the drawn Termez–Peshawar line must come out
/// *below* its lower end (72 h), and above what the line allows at all: its rail km at the
/// heavy freight's 80 km/h top speed plus the dwell (2 h per border, 3 h per gauge break).
/// Both the table (`time_h`) and the published band (`published_time_h`) are in the export.
#[test]
fn the_uap_rail_time_is_below_its_published_door_to_door_time() {
    let v = example_compare_json();
    let row = &v["table"][2];
    assert!(
        row["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("East: UAP"))
    );
    assert_eq!(row["published_time_h"], serde_json::json!([72.0, 120.0]));
    assert!(
        row["published_time_source"]
            .as_str()
            .is_some_and(|s| s.contains("3-5 days") && s.contains("door to door"))
    );
    let time_h = row["time_h"].as_f64().expect("time_h");
    let l = &v["alternatives"][2]["ledger"];
    let rail_km = (l["length_m"].as_f64().unwrap() - l["sea_m"].as_f64().unwrap()) / 1000.0;
    let dwell_h = l["borders_crossed"].as_f64().unwrap() * 2.0
        + l["gauge_breaks"].as_array().unwrap().len() as f64 * 3.0;
    assert!(
        time_h > rail_km / 80.0 + dwell_h && time_h < 72.0,
        "UAP {time_h} h for {rail_km} km (floor {} h, published 72–120 h)",
        rail_km / 80.0 + dwell_h
    );
    // The other alternatives have no published time: null, not a guess.
    for i in [0, 1, 3, 4] {
        assert!(v["table"][i]["published_time_h"].is_null(), "{i}");
    }
}
