#![allow(clippy::expect_used, clippy::unwrap_used)] // tests state what they expect
//! The streaming GeoJSON loader against the whole-text reader (`geojson_io::parse_features`):
//! same features from FeatureCollections and sequences, errors at exact places, cancel,
//! progress. (Speed is measured in `benches/network.rs`, not here.)

use std::fmt::Write as _;
use std::io::Read;
use std::sync::atomic::Ordering;

use corridor_domain::data::geojson_io::{GeoJsonError, ParsedGeoJson, parse_features};
use corridor_domain::data::geojson_stream::{
    Batch, StreamError, StreamFormat, StreamProgress, StreamSummary, parse_all, stream_features,
};

/// A reader that hands out at most `step` bytes per call, to cut the input everywhere.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(out.len()).min(self.data.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// One feature of the test corpus, on one line. Deterministic in `i`; covers every geometry
/// type, null geometries, ids, nested properties and strings full of JSON punctuation.
fn feature_text(i: usize) -> String {
    let lon = -170.0 + (i % 340) as f64 + 0.123_456_7;
    let lat = -80.0 + (i % 160) as f64 * 0.999_1;
    let geometry = match i % 10 {
        0..=3 => {
            let n = 10 + (i * 7) % 41;
            let mut s = String::from("{\"type\":\"LineString\",\"coordinates\":[");
            for k in 0..n {
                let z = if k % 3 == 0 {
                    format!(",{}", k * 10)
                } else {
                    String::new()
                };
                let _ = write!(
                    s,
                    "{}[{},{}{z}]",
                    if k == 0 { "" } else { "," },
                    lon + k as f64 * 0.001,
                    lat + (k % 5) as f64 * 1e-4
                );
            }
            s.push_str("]}");
            s
        }
        4 => format!(
            "{{\"coordinates\":[{lon},{lat}],\"type\":\"Point\",\"bbox\":[{lon},{lat},{lon},{lat}]}}"
        ),
        5 => format!(
            "{{\"type\":\"Polygon\",\"coordinates\":[[[{lon},{lat}],[{},{lat}],[{},{}],[{lon},{}],[{lon},{lat}]],[[{},{}],[{},{}],[{},{}],[{},{}]]]}}",
            lon + 1.0,
            lon + 1.0,
            lat + 1.0,
            lat + 1.0,
            lon + 0.2,
            lat + 0.2,
            lon + 0.4,
            lat + 0.2,
            lon + 0.3,
            lat + 0.5,
            lon + 0.25,
            lat + 0.45
        ),
        6 => format!(
            "{{\"type\":\"MultiLineString\",\"coordinates\":[[[{lon},{lat}],[{},{lat}]],[[{lon},{}],[{},{}],[{},{}]]]}}",
            lon + 0.5,
            lat + 0.1,
            lon + 0.2,
            lat + 0.3,
            lon + 0.1,
            lat + 0.2
        ),
        7 => "null".to_string(),
        8 => format!(
            "{{\"type\":\"GeometryCollection\",\"geometries\":[{{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}},{{\"type\":\"MultiPoint\",\"coordinates\":[[{lon},{lat}],[0,0]]}},{{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]]]}}]}}"
        ),
        _ => format!(
            "{{\"type\":\"LineString\",\"coordinates\":[[{lon},{lat}],[{},{}]],\"foreign\":{{\"a\":[1,2,{{\"b\":\"]}}\"}}]}}}}",
            lon + 0.01,
            lat + 0.01
        ),
    };
    let id = match i % 3 {
        0 => format!(",\"id\":{i}"),
        1 => format!(",\"id\":\"way/{i}\""),
        _ => String::new(),
    };
    format!(
        "{{\"type\":\"Feature\"{id},\"properties\":{{\"name\":\"L{i} ] }} \\\" \\\\ caf\\u00e9 Ürümqi 中\",\"railway\":\"rail\",\"n\":{i},\"f\":{},\"tags\":{{\"gauge\":\"1520\",\"list\":[1,\"}}\",null,true],\"deep\":{{\"x\":{{}}}}}}}},\"geometry\":{geometry}}}",
        i as f64 / 8.0
    )
}

/// A FeatureCollection of `n` features; some features are spread over several lines, and
/// foreign members sit before and after `features`.
fn collection(n: usize) -> String {
    let mut s = String::from(
        "{\"type\":\"FeatureCollection\",\"name\":\"rail ] }\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:OGC:1.3:CRS84\"}},\n\"features\":[\n",
    );
    for i in 0..n {
        let mut f = feature_text(i);
        if i % 17 == 0 {
            f = f.replacen(",\"geometry\"", ",\n    \"geometry\"", 1);
        }
        let _ = write!(s, "{}  {f}", if i == 0 { "" } else { ",\n" });
    }
    s.push_str("\n],\n\"bbox\":[-180,-90,180,90]}\n");
    s
}

/// Stream `text` through a `step`-byte reader, collecting every batch.
fn stream(
    text: &[u8],
    step: usize,
    batch_bytes: usize,
) -> (Result<StreamSummary, StreamError>, ParsedGeoJson, usize) {
    let progress = StreamProgress::default();
    let mut parsed = ParsedGeoJson::default();
    let mut batches = 0;
    let result = stream_features(
        Trickle { data: text, step },
        &progress,
        batch_bytes,
        |b: Batch| {
            assert_eq!(b.features.len(), b.file_index.len());
            batches += 1;
            parsed.features.extend(b.features);
            parsed.file_index.extend(b.file_index);
            Ok(())
        },
    );
    if let Ok(summary) = &result {
        assert_eq!(
            progress.bytes_read.load(Ordering::Relaxed),
            text.len() as u64
        );
        assert_eq!(
            progress.features.load(Ordering::Relaxed),
            summary.features as u64
        );
        parsed.foreign_members.clone_from(&summary.foreign_members);
    }
    (result, parsed, batches)
}

fn assert_same(a: &ParsedGeoJson, b: &ParsedGeoJson) {
    assert_eq!(a.features.len(), b.features.len());
    for (i, (x, y)) in a.features.iter().zip(&b.features).enumerate() {
        assert_eq!(x, y, "feature {i}");
    }
    assert_eq!(a.file_index, b.file_index);
    assert_eq!(a.foreign_members, b.foreign_members);
}

fn stream_err(text: &[u8]) -> GeoJsonError {
    match stream(text, 4096, 1 << 16).0 {
        Err(StreamError::GeoJson(e)) => e,
        other => panic!("expected a GeoJSON error, got {other:?}"),
    }
}

/// 1-based line and character column of byte `offset` in `text`, counted here
/// independently of the code under test.
fn position_of(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[test]
fn a_collection_streamed_in_tiny_pieces_equals_parse_features() {
    let text = collection(3000);
    let expected = parse_features(&text).expect("the corpus is valid");
    assert_eq!(expected.features.len(), 2700, "every 10th geometry is null");
    let (result, got, batches) = stream(text.as_bytes(), 7, 300);
    let summary = result.expect("streams");
    assert_same(&got, &expected);
    assert!(batches > 100, "{batches} batches");
    assert_eq!(summary.format, StreamFormat::FeatureCollection);
    assert_eq!(summary.features, 2700);
    assert_eq!(summary.null_geometries, 300);
    assert_eq!(summary.bytes, text.len() as u64);
    assert_eq!(summary.foreign_members["name"], "rail ] }");
    assert!(summary.foreign_members.contains_key("crs"));
    assert!(summary.foreign_members.contains_key("bbox"));
    assert!(!summary.foreign_members.contains_key("type"));

    let all = parse_all(text.as_bytes()).expect("parse_all");
    assert_same(&all, &expected);
}

#[test]
fn type_after_features_foreign_members_and_bom() {
    let features = (0..40).map(feature_text).collect::<Vec<_>>().join(",");
    let text = format!(
        "\u{feff}{{\"name\":\"before\",\"features\":[{features}],\"after\":{{\"k\":[1,2]}},\"type\":\"FeatureCollection\"}}"
    );
    let expected = parse_features(&text).expect("valid");
    for step in [1, 3, 64, 1 << 20] {
        let (result, got, _) = stream(text.as_bytes(), step, 1);
        result.expect("streams");
        assert_same(&got, &expected);
        assert_eq!(got.foreign_members["name"], "before");
        assert_eq!(got.foreign_members["after"]["k"][1], 2);
    }
}

#[test]
fn sequences_give_the_features_of_the_collection() {
    let n = 500;
    let expected = parse_features(&collection(n)).expect("valid");
    let lines: Vec<String> = (0..n).map(feature_text).collect();

    let rs: String = lines.iter().fold(String::new(), |mut s, l| {
        let _ = writeln!(s, "\u{1e}{l}");
        s
    });
    let mut ndjson = String::new();
    for (i, l) in lines.iter().enumerate() {
        ndjson.push_str(l);
        ndjson.push_str(if i % 50 == 0 {
            "\r\n\r\n  \r\n"
        } else {
            "\r\n"
        });
    }
    for text in [rs, ndjson] {
        for step in [5, 1 << 20] {
            let (result, mut got, _) = stream(text.as_bytes(), step, 1000);
            let summary = result.expect("streams");
            assert_eq!(summary.format, StreamFormat::Sequence);
            got.foreign_members = expected.foreign_members.clone();
            assert_same(&got, &expected);
        }
    }
}

#[test]
fn a_sequence_may_hold_bare_geometries() {
    let text = "{\"type\":\"Point\",\"coordinates\":[1,2]}\n{\"type\":\"Feature\",\"properties\":{\"a\":1},\"geometry\":null}\n{\"coordinates\":[[1,2],[3,4]],\"type\":\"LineString\"}\n";
    let parsed = parse_all(text.as_bytes()).expect("valid sequence");
    assert_eq!(parsed.file_index, vec![0, 2]);
    assert_eq!(parsed.features[0].geometry_type(), "Point");
    assert_eq!(parsed.features[1].geometry_type(), "LineString");
    assert!(parsed.features[0].properties.is_empty());
}

#[test]
fn a_single_feature_or_geometry_is_read_whole() {
    for text in [
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"A\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[69.2,34.5]}}",
        "\n{\"coordinates\":[[1,2],[3,4]],\"type\":\"LineString\"}\n\n",
    ] {
        let expected = parse_features(text).expect("valid");
        let (result, got, _) = stream(text.as_bytes(), 3, 10);
        assert_eq!(result.expect("streams").format, StreamFormat::Single);
        assert_same(&got, &expected);
    }
}

#[test]
fn a_broken_feature_deep_in_the_file_is_reported_at_its_place() {
    let mut text = collection(3000);
    let marker = "\"name\":\"L2500 ";
    let at = text.find(marker).expect("marker");
    let coords = text[at..].find("\"coordinates\":[[").expect("coords") + at;
    // Feature 2500 is a LineString: cut it after its second position's opening `[`,
    // and close the feature so that only the JSON inside it is wrong.
    let second = text[coords..].find("],[").expect("second position") + coords + 3;
    let cut_end = text[second..].find("]}}").expect("end of geometry") + second;
    text.replace_range(second..cut_end, "61,}");
    let bad = second + 3; // the `}` where a number should be
    let (line, column) = position_of(&text, bad);

    let mut delivered = 0;
    let progress = StreamProgress::default();
    let result = stream_features(
        Trickle {
            data: text.as_bytes(),
            step: 4096,
        },
        &progress,
        4096,
        |b| {
            delivered += b.features.len();
            Ok(())
        },
    );
    let Err(StreamError::GeoJson(err)) = result else {
        panic!("expected an error, got {result:?}");
    };
    assert_eq!((err.line, err.column), (line, column), "{err}");
    assert!(err.message.starts_with("feature 2500: "), "{err}");
    assert!(
        delivered > 2000,
        "earlier batches were delivered: {delivered}"
    );
    // The whole-text reader agrees on the place.
    let whole = parse_features(&text).expect_err("broken");
    assert_eq!((whole.line, whole.column), (line, column), "{whole}");
}

#[test]
fn an_invalid_latitude_points_at_its_feature() {
    let mut text = collection(3000);
    let at = text.find("\"name\":\"L2804 ").expect("marker");
    let start = text[..at]
        .rfind("{\"type\":\"Feature\"")
        .expect("feature start");
    // Feature 2804 is a Point: make its latitude 95.
    let coords = text[at..].find("\"coordinates\":[").expect("coords") + at + 15;
    let comma = text[coords..].find(',').expect("comma") + coords;
    let end = text[comma..].find(']').expect("end") + comma;
    text.replace_range(comma + 1..end, "95");
    let err = stream_err(text.as_bytes());
    assert_eq!((err.line, err.column), position_of(&text, start), "{err}");
    assert_eq!(err.message, "feature 2804: latitude 95 is outside -90..90");
    assert_eq!(parse_features(&text).expect_err("lat 95"), err);
}

#[test]
fn a_cancel_stops_the_stream_after_the_batch_that_set_it() {
    let text = collection(3000);
    let progress = StreamProgress::default();
    let mut calls = 0;
    let result = stream_features(text.as_bytes(), &progress, 1000, |_| {
        calls += 1;
        progress.cancel.store(true, Ordering::Relaxed);
        Ok(())
    });
    assert!(matches!(result, Err(StreamError::Cancelled)), "{result:?}");
    assert_eq!(calls, 1);
}

#[test]
fn an_error_from_on_batch_stops_the_stream() {
    let text = collection(300);
    let progress = StreamProgress::default();
    let mut calls = 0;
    let result = stream_features(text.as_bytes(), &progress, 100, |_| {
        calls += 1;
        Err(StreamError::Io("full".into()))
    });
    assert!(matches!(result, Err(StreamError::Io(_))), "{result:?}");
    assert_eq!(calls, 1);
}

#[test]
fn broken_files_are_errors_not_panics() {
    let text = collection(200);
    let cut = &text[..text.len() * 2 / 3];
    let err = stream_err(cut.as_bytes());
    assert!(
        err.message.starts_with("unexpected end of file: feature "),
        "{err}"
    );
    assert_eq!(
        (err.line, err.column),
        position_of(cut, cut.len()),
        "at the end of the file: {err}"
    );
    // The message names where the open feature starts.
    let start = cut.rfind("{\"type\":\"Feature\"").expect("last feature");
    let (l, c) = position_of(cut, start);
    assert!(
        err.message
            .contains(&format!("starting at line {l}, column {c} is not closed")),
        "{err}"
    );

    assert_eq!(stream_err(b"").message, "the file is empty");
    assert_eq!(stream_err(b"  \n ").message, "the file is empty");
    assert!(stream_err(b"[1,2]").message.contains("not GeoJSON"));
    assert!(
        stream_err(b"{\"type\":\"Banana\"}")
            .message
            .contains("Banana")
    );
    let deep = "[".repeat(100_000);
    stream_err(deep.as_bytes());
    let deep_feature = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"LineString\",\"coordinates\":{}{}}}}}]}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = stream_err(deep_feature.as_bytes());
    assert!(err.message.starts_with("feature 0: "), "{err}");
    let unbalanced = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{}",
        "[".repeat(100_000)
    );
    stream_err(unbalanced.as_bytes());
    assert!(
        stream_err(b"{\"type\":\"FeatureCollection\",\"features\":[]")
            .message
            .contains("not closed")
    );
    assert!(
        stream_err(b"{\"type\":\"FeatureCollection\",\"features\":[]} x")
            .message
            .contains("unexpected text")
    );
    assert!(
        stream_err(b"{\"type\":\"FeatureCollection\"}")
            .message
            .contains("\"features\"")
    );
}

#[test]
fn invalid_utf8_inside_a_feature_is_located() {
    let mut bytes = collection(50).into_bytes();
    let at = String::from_utf8_lossy(&bytes)
        .find("\"name\":\"L40 ")
        .expect("marker")
        + 9;
    bytes[at] = 0xe9; // Latin-1 'é' in the middle of feature 40's name
    let err = stream_err(&bytes);
    let text = String::from_utf8_lossy(&bytes[..at]).into_owned();
    assert_eq!(
        (err.line, err.column),
        position_of(&text, text.len()),
        "{err}"
    );
    assert!(
        err.message.starts_with("feature 40: invalid UTF-8"),
        "{err}"
    );
    assert!(err.message.contains(&format!("byte offset {at}")), "{err}");
}

/// One set of rules: an object with a member twice is refused by both readers, at every depth
/// — top level, feature, geometry, properties, inside a property's object, inside a member the
/// app does not keep, inside a foreign member — at the same line and column, and the message
/// names the member. (`serde_json` alone keeps the last of two and says nothing.)
#[test]
fn a_member_twice_anywhere_is_refused_by_both_readers_at_the_same_place() {
    let line = r#"{"type":"LineString","coordinates":[[60,30],[61,31]]}"#;
    let feature = |inner: &str| {
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{{\"type\":\"Feature\",\"geometry\":{line},\"properties\":{{\"name\":\"ok\"}}}},\n{inner}\n]}}"
        )
    };
    let cases = [
        (
            "features",
            "{\"type\":\"FeatureCollection\",\"features\":[],\"features\":[]}".to_string(),
        ),
        (
            "type",
            feature(&format!(
                "{{\"type\":\"Feature\",\"type\":\"Feature\",\"geometry\":{line},\"properties\":{{}}}}"
            )),
        ),
        (
            "geometry",
            feature(&format!(
                "{{\"type\":\"Feature\",\"geometry\":{line},\"geometry\":null,\"properties\":{{}}}}"
            )),
        ),
        (
            "coordinates",
            feature(
                "{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[60,30],[61,31]],\"coordinates\":[[0,0],[1,1]]},\"properties\":{}}",
            ),
        ),
        (
            "gauge",
            feature(&format!(
                "{{\"type\":\"Feature\",\"geometry\":{line},\"properties\":{{\"gauge\":1520,\"gauge\":1435}}}}"
            )),
        ),
        (
            "km",
            feature(&format!(
                "{{\"type\":\"Feature\",\"geometry\":{line},\"properties\":{{\"figures\":[{{\"km\":1,\"km\":2}}]}}}}"
            )),
        ),
        (
            "x",
            feature(&format!(
                "{{\"type\":\"Feature\",\"geometry\":{line},\"properties\":{{}},\"style\":{{\"x\":1,\"x\":2}}}}"
            )),
        ),
        (
            "crs",
            format!(
                "{{\"type\":\"FeatureCollection\",\"meta\":{{\"crs\":1,\"crs\":2}},\"features\":[{{\"type\":\"Feature\",\"geometry\":{line},\"properties\":{{}}}}]}}"
            ),
        ),
    ];
    for (key, text) in cases {
        let whole = parse_features(&text).expect_err(&format!("{key} twice: whole-file reader"));
        let streamed = stream_err(text.as_bytes());
        let want = format!("the member \"{key}\" appears twice in one object");
        assert!(whole.message.contains(&want), "{key}: {whole}");
        assert!(streamed.message.contains(&want), "{key}: {streamed}");
        assert_eq!(
            (whole.line, whole.column),
            (streamed.line, streamed.column),
            "{key}: both readers point at the same place ({whole} / {streamed})"
        );
        assert!(
            whole.line >= 1 && whole.line <= text.lines().count(),
            "{key}: {whole}"
        );
    }
}
