//! Properties of the file readers, over random input (proptest, bounded case counts):
//! - open → save → open of a scenario keeps every coordinate and foreign number bit for bit,
//!   and integers beyond 64 bits (kept properties, foreign and app members, story members)
//!   digit for digit;
//! - the GeoJSON readers (whole-file and streamed) never panic on random bytes or on
//!   structurally random GeoJSON: always features or an error with a line and column.
// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use corridor_domain::data::geojson_io::parse_features_bytes;
use corridor_domain::data::geojson_stream::{StreamError, parse_all};
use corridor_domain::plan::scenario::io::{from_str, to_string};
use proptest::prelude::*;
use serde_json::Value;

/// Finite f64s from the whole range: every exponent and mantissa, subnormals, ±0.
fn finite() -> impl Strategy<Value = f64> {
    any::<u64>()
        .prop_map(f64::from_bits)
        .prop_filter("finite", |x| x.is_finite())
}

/// A full-precision value folded into `-limit..=limit` (keeps a varied mantissa).
fn within(limit: f64) -> impl Strategy<Value = f64> {
    finite().prop_map(move |x| if x.abs() > limit { x % limit } else { x })
}

/// JSON text of a number, as `serde_json` writes it (shortest round-trip form).
fn num(x: f64) -> String {
    serde_json::to_string(&x).expect("finite")
}

fn scenario_text(coords: &[(f64, f64)], foreign: f64, top: f64) -> String {
    let positions: Vec<String> = coords
        .iter()
        .map(|&(lon, lat)| format!("[{},{}]", num(lon), num(lat)))
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","survey":{},"features":[{{"type":"Feature","properties":{{"name":"A","survey_value":{}}},"geometry":{{"type":"LineString","coordinates":[{}]}}}}]}}"#,
        num(top),
        num(foreign),
        positions.join(",")
    )
}

fn number_in(map: &serde_json::Map<String, Value>, key: &str) -> f64 {
    map.get(key)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("{key} kept as a number: {map:?}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn open_save_open_keeps_coordinates_and_foreign_numbers_bit_for_bit(
        coords in prop::collection::vec((within(180.0), within(90.0)), 2..6),
        foreign in finite(),
        top in finite(),
    ) {
        let text = scenario_text(&coords, foreign, top);
        let first = from_str(&text, "drawn.geojson").expect("a valid scenario");
        let saved = to_string(&first);
        let second = from_str(&saved, "saved.geojson").expect("reads back");
        prop_assert_eq!(to_string(&second), saved.clone(), "a second save is identical");
        for scenario in [&first, &second] {
            prop_assert_eq!(scenario.alignments.len(), 1);
            let a = &scenario.alignments[0];
            let got: Vec<(u64, u64)> =
                a.vertices.iter().map(|v| (v.lon.to_bits(), v.lat.to_bits())).collect();
            let want: Vec<(u64, u64)> =
                coords.iter().map(|&(lon, lat)| (lon.to_bits(), lat.to_bits())).collect();
            prop_assert_eq!(got, want);
            prop_assert_eq!(number_in(&a.extra, "survey_value").to_bits(), foreign.to_bits());
            prop_assert_eq!(
                number_in(&scenario.foreign_members, "survey").to_bits(),
                top.to_bits()
            );
        }
    }

    #[test]
    fn open_save_open_keeps_integers_beyond_64_bits_digit_for_digit(
        digits in "[1-9][0-9]{19,60}",
        negative in any::<bool>(),
        small in any::<i64>(),
    ) {
        let wide = if negative { format!("-{digits}") } else { digits.clone() };
        // Beyond both u64 and i64 (20+ digits starting 1–9 is ≥ 10^19; keep only wide ones).
        prop_assume!(wide.parse::<u64>().is_err() && wide.parse::<i64>().is_err());
        let text = format!(
            r#"{{"type":"FeatureCollection","survey":{wide},"corridor_atlas":{{"version":1,"newer":[{wide},{small}],"story":{{"slides":[],"kept":{{"n":{wide}}}}}}},"features":[{{"type":"Feature","id":{wide},"properties":{{"name":"A","ids":[{wide},{small}]}},"geometry":{{"type":"LineString","coordinates":[[60,30],[61,31]]}}}},{{"type":"Feature","properties":{{"osm":{wide}}},"geometry":{{"type":"Point","coordinates":[62,32]}}}}]}}"#
        );
        let first = from_str(&text, "drawn.geojson").expect("a valid scenario");
        let saved = to_string(&first);
        let second = from_str(&saved, "saved.geojson").expect("reads back");
        prop_assert_eq!(to_string(&second), saved.clone(), "a second save is identical");
        // The saved text holds the integer as the bare number it was, in every kept place.
        let as_number = |after: &str| saved.contains(&format!("{after}{wide}"));
        prop_assert!(as_number("\"survey\": "), "foreign member: {}", saved);
        prop_assert!(as_number("\"newer\":["), "app member: {}", saved);
        prop_assert!(as_number("\"n\":"), "story member: {}", saved);
        prop_assert!(as_number("\"id\":"), "feature member: {}", saved);
        prop_assert!(saved.contains(&format!("\"ids\":[{wide},{small}]")), "property: {}", saved);
        prop_assert!(as_number("\"osm\":"), "other feature: {}", saved);
        // Read as JSON by anyone, the saved file carries the same numbers as the original.
        let original: Value = serde_json::from_str(&text).expect("valid JSON");
        let reread: Value = serde_json::from_str(&saved).expect("valid JSON");
        prop_assert_eq!(&reread["survey"], &original["survey"]);
    }

    #[test]
    fn random_bytes_never_panic_and_errors_have_a_position(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        check_both(&bytes)?;
    }

    #[test]
    fn structurally_random_geojson_never_panics(doc in geojson_like()) {
        let text = doc.to_string();
        check_both(text.as_bytes())?;
        // Cut anywhere, it must still be an answer, not a crash.
        let cut = text.len() / 2;
        check_both(&text.as_bytes()[..cut])?;
    }
}

/// Both readers give features or an error with a 1-based position, and agree on which.
fn check_both(bytes: &[u8]) -> Result<(), TestCaseError> {
    let whole = parse_features_bytes(bytes);
    if let Err(e) = &whole {
        prop_assert!(e.line >= 1 && e.column >= 1, "{e}");
        prop_assert!(!e.message.is_empty());
    }
    match parse_all(bytes) {
        Ok(_) | Err(StreamError::Io(_) | StreamError::Cancelled) => {}
        Err(StreamError::GeoJson(e)) => {
            prop_assert!(e.line >= 1 && e.column >= 1, "{e}");
            prop_assert!(!e.message.is_empty());
        }
    }
    Ok(())
}

/// JSON shaped like GeoJSON: the right member names with random, often wrong, values.
fn geojson_like() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        finite().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            Just("Feature"),
            Just("FeatureCollection"),
            Just("LineString"),
            Just("MultiLineString"),
            Just("Polygon"),
            Just("MultiPolygon"),
            Just("Point"),
            Just("MultiPoint"),
            Just("GeometryCollection"),
            Just("x"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("type"),
                        Just("features"),
                        Just("geometry"),
                        Just("geometries"),
                        Just("coordinates"),
                        Just("properties"),
                        Just("id"),
                        Just("bbox"),
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|members| {
                Value::Object(
                    members
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                )
            }),
        ]
    })
}
