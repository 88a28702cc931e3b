//! Reading and writing scenario files, round trips and error positions.
// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use serde_json::json;

use super::read::rgb_from_hex;
use super::*;
use crate::plan::scenario::model::{
    Alignment, AlignmentId, AlignmentStatus, Scenario, SnapRef, Vertex,
};

fn scenario_error(text: &str) -> ScenarioError {
    from_str(text, "scenario.geojson").expect_err("invalid scenario text")
}

#[test]
fn a_line_drawn_in_geojson_io_becomes_an_alignment() {
    let text = r##"{"type":"FeatureCollection","features":[
{"type":"Feature","id":"abc","properties":{"title":"Option B","stroke":"#0a0","stroke-width":5,"fill":"#fff"},
 "geometry":{"type":"LineString","coordinates":[[62.2,34.35],[65.7,31.6,1200]]}},
{"type":"Feature","properties":{"name":"Herat"},"geometry":{"type":"Point","coordinates":[62.2,34.35]}}
]}"##;
    let s = from_str(text, "x.geojson").expect("valid");
    assert_eq!(s.alignments.len(), 1);
    let a = &s.alignments[0];
    assert_eq!(a.name, "Option B");
    assert_eq!(a.color, [0, 0xaa, 0, 0xff]);
    assert_eq!(a.status, AlignmentStatus::Proposed);
    assert_eq!(a.vertices.len(), 2);
    assert_eq!(a.extra["fill"], "#fff");
    assert_eq!(a.extra["stroke-width"], 5);
    assert_eq!(a.feature_members["id"], "abc");
    assert_eq!(a.id, AlignmentId(1));
    assert_eq!(s.other_features.len(), 1);
    assert_eq!(s.next_id, 2);
}

#[test]
fn written_alignments_carry_simplestyle_and_our_keys() {
    let mut s = Scenario::new();
    let id = s.allocate_id();
    let mut a = Alignment::new(id, "KTAP");
    a.color = [0x12, 0x34, 0x56, 128];
    a.gauge_mm = Some(1520);
    a.vertices = vec![
        Vertex::snapped(
            62.2,
            34.35,
            SnapRef::Place {
                layer: "cities".into(),
                name: "Herat".into(),
            },
        ),
        Vertex::new(65.7, 31.6),
    ];
    s.alignments.push(a);
    let v = to_value(&s);
    let p = &v["features"][0]["properties"];
    assert_eq!(p["title"], "KTAP");
    assert_eq!(p["stroke"], "#123456");
    assert_eq!(p["stroke-opacity"], 0.502);
    assert_eq!(p["stroke-width"], 3.0);
    assert_eq!(p["corridor_atlas_id"], 1);
    assert_eq!(p["status"], "proposed");
    assert_eq!(p["gauge_mm"], 1520);
    assert_eq!(
        p["vertex_snaps"],
        json!([{"layer": "cities", "name": "Herat"}, null])
    );
    assert_eq!(v[APP_MEMBER]["version"], 1);
    assert_eq!(v[APP_MEMBER]["settings"]["snap_tolerance_px"], 12.0);
    let back = from_str(&to_string(&s), "x").expect("reads its own output");
    assert_eq!(back.alignments[0].color, [0x12, 0x34, 0x56, 128]);
    assert_eq!(back.alignments[0].vertices, s.alignments[0].vertices);
}

#[test]
fn short_alignments_survive_a_round_trip() {
    let mut s = Scenario::new();
    for n in 0..2 {
        let id = s.allocate_id();
        let mut a = Alignment::new(id, format!("n{n}"));
        a.vertices = (0..n).map(|_| Vertex::new(61.0, 35.0)).collect();
        s.alignments.push(a);
    }
    let back = from_str(&to_string(&s), "x").expect("reads its own output");
    assert_eq!(back.alignments, s.alignments);
}

#[test]
fn duplicate_ids_in_a_file_are_made_unique() {
    let f = |id: u64| {
        json!({"type":"Feature","properties":{"corridor_atlas_id": id},
               "geometry":{"type":"LineString","coordinates":[[60,30],[61,31]]}})
    };
    let text = json!({"type":"FeatureCollection","features":[f(4), f(4), f(2)]}).to_string();
    let s = from_str(&text, "x").expect("valid");
    let ids: Vec<u64> = s.alignments.iter().map(|a| a.id.0).collect();
    assert_eq!(ids, vec![4, 5, 2]);
    assert_eq!(s.next_id, 6);
}

#[test]
fn a_newer_format_version_is_refused_with_its_position() {
    let text =
        "{\"type\":\"FeatureCollection\",\n\"corridor_atlas\": {\"version\": 9},\n\"features\":[]}";
    match scenario_error(text) {
        ScenarioError::Invalid {
            line,
            column,
            message,
            ..
        } => {
            assert_eq!((line, column), (2, 31), "{message}");
            assert!(message.contains("version 9"), "{message}");
        }
        other => panic!("expected Invalid, got {other}"),
    }
}

#[test]
fn bad_settings_point_at_the_settings() {
    let text = "{\"type\":\"FeatureCollection\",\"features\":[],\n\"corridor_atlas\":{\"settings\":{\"snap_tolerance_px\":\"wide\"}}}";
    let err = scenario_error(text);
    let msg = err.to_string();
    assert!(
        msg.starts_with("scenario.geojson: line 2, column "),
        "{msg}"
    );
    assert!(msg.contains("invalid type"), "{msg}");
}

#[test]
fn a_bare_geometry_or_feature_is_not_a_scenario() {
    let err = scenario_error(r#"{"type":"LineString","coordinates":[[1,2],[3,4]]}"#);
    assert!(err.to_string().contains("FeatureCollection"), "{err}");
}

#[test]
fn hex_colours_parse_long_and_short() {
    assert_eq!(rgb_from_hex("#ff8000"), Some([255, 128, 0]));
    assert_eq!(rgb_from_hex("f80"), Some([255, 136, 0]));
    assert_eq!(rgb_from_hex("red"), None);
    assert_eq!(rgb_from_hex("#ééé"), None);
}

#[test]
fn an_unparsed_gauge_is_kept_and_an_unknown_status_reads_as_proposed() {
    let text = json!({"type":"FeatureCollection","features":[{"type":"Feature",
        "properties":{"gauge_mm":"1520/1435","status":"mothballed"},
        "geometry":{"type":"LineString","coordinates":[[60,30],[61,31]]}}]})
    .to_string();
    let s = from_str(&text, "x").expect("valid");
    assert_eq!(s.alignments[0].gauge_mm, None);
    let out = to_value(&s);
    assert_eq!(out["features"][0]["properties"]["gauge_mm"], "1520/1435");
    assert_eq!(s.alignments[0].status, AlignmentStatus::Proposed);
}

#[test]
fn out_of_range_slide_views_are_refused_with_the_slide_and_position() {
    for (view, key) in [
        (
            r#"{"kind":"center","lon":67.0,"lat":1000,"zoom":6}"#,
            "\"lat\" 1000",
        ),
        (
            r#"{"kind":"center","lon":181,"lat":35,"zoom":6}"#,
            "\"lon\" 181",
        ),
        (
            r#"{"kind":"center","lon":67,"lat":35,"zoom":1e308}"#,
            "\"zoom\" 1",
        ),
        (
            r#"{"kind":"center","lon":67,"lat":35,"zoom":-1}"#,
            "\"zoom\" -1",
        ),
    ] {
        let text = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[],\n\"corridor_atlas\":{{\"version\":1,\"story\":{{\"slides\":[{{\"title\":\"ok\"}},\n  {{\"title\":\"bad\",\"view\":{view}}}]}}}}}}"
        );
        let err = from_str(&text, "talk.geojson").expect_err(view).to_string();
        assert!(
            err.starts_with("talk.geojson: line 3, column 3: slide 2: "),
            "{err}"
        );
        assert!(err.contains(key) && err.contains("out of range"), "{err}");
    }
    let fine = r#"{"type":"FeatureCollection","features":[],"corridor_atlas":{"version":1,"story":{"slides":[{"title":"edge","view":{"kind":"center","lon":-180,"lat":90,"zoom":0}}]}}}"#;
    assert!(from_str(fine, "ok.geojson").is_ok());
}

/// A slide that reveals or highlights an alternative the file does not hold is refused at
/// that slide (it would present nothing where the presenter expects a line); one that names
/// an alternative the file holds loads.
#[test]
fn a_slide_naming_a_missing_alternative_is_refused_at_the_slide() {
    let line = r#"{"type":"Feature","properties":{"corridor_atlas_id":1,"name":"A"},"geometry":{"type":"LineString","coordinates":[[60,30],[61,31]]}}"#;
    for (slide, missing) in [
        (r#"{"title":"bad","reveal":999}"#, "#999"),
        (r#"{"title":"bad","highlight":[1,7]}"#, "#7"),
    ] {
        let text = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{line}],\n\"corridor_atlas\":{{\"version\":1,\"story\":{{\"slides\":[{{\"title\":\"ok\",\"reveal\":1}},\n  {slide}]}}}}}}"
        );
        let err = from_str(&text, "talk.geojson")
            .expect_err(slide)
            .to_string();
        assert!(
            err.starts_with("talk.geojson: line 3, column 3: slide 2: "),
            "{err}"
        );
        assert!(err.contains(&format!("no alignment {missing}")), "{err}");
    }
    let fine = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{line}],\"corridor_atlas\":{{\"version\":1,\"story\":{{\"slides\":[{{\"title\":\"ok\",\"reveal\":1,\"highlight\":[1]}}]}}}}}}"
    );
    assert!(from_str(&fine, "ok.geojson").is_ok());
}
