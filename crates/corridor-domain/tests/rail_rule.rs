//! One rail vocabulary: for every `status` and `mode` the bundled rail layer uses, a line with
//! those tags is track (or not) alike for snapping, tracing, the ledger and the suggestion's
//! cost surface; and the one parser reads people's and OpenStreetMap's spellings.

#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests: a failed expectation is the message.

use std::collections::BTreeSet;
use std::sync::Arc;

use corridor_domain::map::layer::{Layer, LayerKind};
use corridor_domain::map::mercator::world_from_lonlat;
use corridor_domain::measure::ledger::{
    LedgerContext, LedgerInputs, LedgerSettings, compute_ledger,
};
use corridor_domain::plan::scenario::SnapRef;
use corridor_domain::plan::snap::snap_with_tracks;
use corridor_domain::plan::suggest::SuggestSettings;
use corridor_domain::plan::suggest::surface::{CostSurface, SurfaceInputs};
use corridor_domain::plan::trace::RailGraph;
use corridor_domain::rail::{CostClass, RailStatus, ReuseRule};
use corridor_domain::{Atlas, Feature};
use geo::{LineString, polygon};
use serde_json::{Map, Value, json};

const REGION: [f64; 4] = [60.0, 30.0, 64.0, 33.0];
/// The synthetic line runs west–east along this latitude, from 61° to 63° E (~190 km).
const LINE_LAT: f64 = 31.5;

fn feature(g: impl Into<geo::Geometry<f64>>, props: Map<String, Value>) -> Feature {
    Feature::new(g.into(), props)
}

/// One country under the whole region (the ledger counts land only).
fn land() -> Vec<Feature> {
    let Value::Object(m) = json!({"iso_a3": "AAA", "iso_a2": "AA", "name": "A"}) else {
        unreachable!()
    };
    vec![feature(
        polygon![(x: 59.0, y: 29.0), (x: 65.0, y: 29.0), (x: 65.0, y: 34.0), (x: 59.0, y: 34.0)],
        m,
    )]
}

/// A straight line with the given `status` and `mode` (absent if `None`).
fn line(status: Option<&str>, mode: Option<&str>) -> Feature {
    let mut m = Map::new();
    m.insert("name".into(), json!("Test line"));
    m.insert("gauge_mm".into(), json!(1520));
    if let Some(s) = status {
        m.insert("status".into(), json!(s));
    }
    if let Some(md) = mode {
        m.insert("mode".into(), json!(md));
    }
    feature(
        LineString::from(vec![(61.0, LINE_LAT), (62.0, LINE_LAT), (63.0, LINE_LAT)]),
        m,
    )
}

/// Is `f` track for (snapping, tracing, the ledger, the suggestion)?
fn verdicts(f: &Feature) -> [bool; 4] {
    let layer = Arc::new(Layer::new(
        LayerKind::Rail,
        "rail",
        "Rail",
        "",
        vec![f.clone()],
    ));
    let atlas = Atlas {
        layers: vec![Arc::clone(&layer)],
        elevation: None,
        world_elevation: None,
        problems: Vec::new(),
    };
    // Snapping: 1.1 km beside the line, with a tolerance of about 3.3 km (in world units).
    let at = world_from_lonlat(62.2, LINE_LAT + 0.01);
    let tolerance =
        world_from_lonlat(62.2, LINE_LAT)[1] - world_from_lonlat(62.2, LINE_LAT + 0.03)[1];
    let snapped = snap_with_tracks(&atlas, at, tolerance.abs(), &[0], |_| true)
        .is_some_and(|s| matches!(s.target, SnapRef::Rail { .. }));
    // Tracing: the graph holds the line.
    let graph = RailGraph::from_atlas(&atlas, &[0]);
    let traced = graph.nearest_on_network(62.2, LINE_LAT, 5_000.0).is_some();
    // The ledger: an alignment laid on the line reuses most of it.
    let countries = land();
    let rail = [f.clone()];
    let ctx = LedgerContext::from_inputs(&LedgerInputs {
        countries: &countries,
        rail: &rail,
        ..LedgerInputs::default()
    });
    let ledger = compute_ledger(
        &[(61.2, LINE_LAT), (62.8, LINE_LAT)],
        None,
        &ctx,
        &LedgerSettings::default(),
    );
    let reused = ledger.existing_m > 100_000.0;
    // The suggestion: the cell under the line's middle is track.
    let settings = SuggestSettings {
        region_deg: REGION,
        resolution_km: Some(3.0),
        ..SuggestSettings::default()
    };
    let surface = CostSurface::build(
        &SurfaceInputs {
            countries: &countries,
            rail: &rail,
            ..SurfaceInputs::default()
        },
        &settings,
    )
    .expect("surface");
    let (c, r) = surface.cell_clamped(62.2, LINE_LAT);
    let suggest = surface.is_track(surface.grid.index(c, r));
    [snapped, traced, reused, suggest]
}

/// The distinct (`status`, `mode`) pairs of the bundled rail layer.
fn bundled_pairs() -> BTreeSet<(Option<String>, Option<String>)> {
    let atlas = Atlas::load_bundled();
    let rail = atlas
        .layer_index("rail")
        .and_then(|i| atlas.layers.get(i))
        .expect("bundled rail layer");
    rail.features
        .iter()
        .map(|f| {
            (
                f.str("status").map(str::to_owned),
                f.str("mode").map(str::to_owned),
            )
        })
        .collect()
}

#[test]
fn every_bundled_status_and_mode_is_track_alike_for_every_consumer() {
    let pairs = bundled_pairs();
    // The bundled data uses at least these; each is checked against a verdict by hand.
    let by_hand = [
        (("existing", "rail"), true),
        (("under-construction", "rail"), true),
        (("proposed", "rail"), false),
        (("existing", "ferry"), false),
    ];
    for ((status, mode), _) in by_hand {
        assert!(
            pairs.contains(&(Some(status.to_owned()), Some(mode.to_owned()))),
            "the bundled rail no longer has {status}/{mode}: update this test"
        );
    }
    for (status, mode) in &pairs {
        assert!(
            RailStatus::of_feature(&line(status.as_deref(), mode.as_deref())).is_some(),
            "bundled status {status:?} / mode {mode:?} is not in the rail vocabulary"
        );
        let v = verdicts(&line(status.as_deref(), mode.as_deref()));
        assert!(
            v.iter().all(|&b| b == v[0]),
            "{status:?}/{mode:?}: snap, trace, ledger, suggest disagree: {v:?}"
        );
        if let Some((_, want)) = by_hand
            .iter()
            .find(|((s, m), _)| Some(*s) == status.as_deref() && Some(*m) == mode.as_deref())
        {
            assert_eq!(v[0], *want, "{status:?}/{mode:?}");
        }
    }
}

#[test]
fn osm_style_lines_are_track_alike_for_every_consumer() {
    // Imported ways carry `railway`, not `status`; the rail layer reads them the same way.
    for (railway, want) in [
        ("rail", true),
        ("construction", true),
        ("disused", false),
        ("abandoned", false),
        ("proposed", false),
        ("tram", false),
    ] {
        let mut f = line(None, None);
        f.properties = {
            let mut m = Map::new();
            m.insert("railway".into(), json!(railway));
            m.into()
        };
        assert_eq!(verdicts(&f), [want; 4], "railway={railway}");
    }
}

#[test]
fn the_parser_reads_people_and_osm_alike() {
    let cases = [
        ("In service", Some(RailStatus::Existing)),
        ("under_construction", Some(RailStatus::UnderConstruction)),
        ("Building", Some(RailStatus::UnderConstruction)),
        ("planned", Some(RailStatus::Proposed)),
        ("rail", Some(RailStatus::Existing)),
        ("construction", Some(RailStatus::UnderConstruction)),
        ("disused", Some(RailStatus::Disused)),
        ("abandoned", Some(RailStatus::Abandoned)),
        ("platform", None),
    ];
    for (text, want) in cases {
        assert_eq!(RailStatus::parse(text), want, "{text}");
    }
    // A ferry is a mode, whatever its status says.
    assert_eq!(
        RailStatus::of_feature(&line(Some("existing"), Some("ferry"))),
        Some(RailStatus::Ferry)
    );
    // A road is not rail at all.
    assert_eq!(
        RailStatus::of_feature(&line(Some("existing"), Some("road"))),
        None
    );
    let rule = ReuseRule::default();
    assert_eq!(rule.cost_class(RailStatus::Ferry), CostClass::Ferry);
    assert_eq!(rule.cost_class(RailStatus::Proposed), CostClass::NewBuild);
}

#[test]
fn lines_under_construction_follow_the_ledger_setting_in_ledger_and_suggest() {
    let f = line(Some("under-construction"), Some("rail"));
    let strict = LedgerSettings {
        under_construction_is_existing: false,
        ..LedgerSettings::default()
    };
    let countries = land();
    let rail = [f];
    let ctx = LedgerContext::from_inputs(&LedgerInputs {
        countries: &countries,
        rail: &rail,
        ..LedgerInputs::default()
    });
    let ledger = compute_ledger(&[(61.2, LINE_LAT), (62.8, LINE_LAT)], None, &ctx, &strict);
    assert!(ledger.existing_m < 1.0, "{}", ledger.existing_m);
    let settings = SuggestSettings {
        region_deg: REGION,
        resolution_km: Some(3.0),
        ledger: strict,
        ..SuggestSettings::default()
    };
    let surface = CostSurface::build(
        &SurfaceInputs {
            countries: &countries,
            rail: &rail,
            ..SurfaceInputs::default()
        },
        &settings,
    )
    .expect("surface");
    let (c, r) = surface.cell_clamped(62.2, LINE_LAT);
    assert!(!surface.is_track(surface.grid.index(c, r)));
}
