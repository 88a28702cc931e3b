//! Writing a scenario: a [`Scenario`] to `GeoJSON` text in a stable key order (so files diff
//! well), and saving it atomically.

use std::path::Path;

use serde_json::{Map, Value};

use crate::plan::scenario::model::{Alignment, Scenario, SnapRef, Vertex};
use crate::plan::scenario::slides::Story;

use super::atomic::write_atomic;
use super::format::{APP_MEMBER, DEFAULT_STROKE_WIDTH_PX, FORMAT_VERSION, ScenarioError};

/// The scenario as a `GeoJSON` value.
#[must_use]
pub fn to_value(scenario: &Scenario) -> Value {
    let mut top = Map::new();
    top.insert("type".into(), "FeatureCollection".into());
    for (k, v) in &scenario.foreign_members {
        if !matches!(k.as_str(), "type" | "features" | "bbox" | APP_MEMBER) {
            top.insert(k.clone(), v.clone());
        }
    }
    let mut app = scenario.app_members.clone();
    // An empty story is not written, so files without slides stay as they were (and a
    // "story" of a shape we do not read, kept in `app_members`, goes back out unchanged).
    if scenario.story != Story::default() {
        app.insert("story".into(), scenario.story.to_json());
    }
    app.insert("version".into(), FORMAT_VERSION.into());
    app.insert("next_id".into(), scenario.next_id.into());
    app.insert(
        "settings".into(),
        serde_json::to_value(&scenario.settings).unwrap_or(Value::Null),
    );
    top.insert(APP_MEMBER.into(), Value::Object(app));
    let features: Vec<Value> = scenario
        .alignments
        .iter()
        .map(feature_from_alignment)
        .chain(scenario.other_features.iter().cloned())
        .collect();
    top.insert("features".into(), Value::Array(features));
    Value::Object(top)
}

/// The text of a scenario file: one member per line and one feature per line, with `type`
/// first and `geometry` last, like ogr2ogr's output. Diffs stay readable, the file stays
/// compact, and an error's line number points at a feature.
#[must_use]
pub fn to_string(scenario: &Scenario) -> String {
    text_from_value(&to_value(scenario))
}

/// The file text of a `FeatureCollection` value (see [`to_string`]); other values compactly.
#[must_use]
pub fn text_from_value(value: &Value) -> String {
    let Value::Object(top) = value else {
        return compact(value);
    };
    let mut lines = Vec::with_capacity(top.len());
    for (key, v) in ordered(top, &["type"], &["features"]) {
        let rendered = match (key, v) {
            ("features", Value::Array(features)) => {
                let items: Vec<String> = features
                    .iter()
                    .map(|f| match f {
                        Value::Object(m) => format!(
                            "    {}",
                            compact_ordered(m, &["type"], &["properties", "geometry"])
                        ),
                        other => format!("    {}", compact(other)),
                    })
                    .collect();
                if items.is_empty() {
                    "[]".to_string()
                } else {
                    format!("[\n{}\n  ]", items.join(",\n"))
                }
            }
            _ => compact(v),
        };
        lines.push(format!(
            "  {}: {rendered}",
            compact(&Value::String(key.into()))
        ));
    }
    format!("{{\n{}\n}}\n", lines.join(",\n"))
}

/// The members of `m` with `first` keys first and `last` keys last (others sorted between).
fn ordered<'a>(
    m: &'a Map<String, Value>,
    first: &[&str],
    last: &[&str],
) -> Vec<(&'a str, &'a Value)> {
    let pick = |keys: &[&str]| -> Vec<(&'a str, &'a Value)> {
        keys.iter()
            .filter_map(|k| m.get_key_value(*k))
            .map(|(k, v)| (k.as_str(), v))
            .collect()
    };
    let mut out = pick(first);
    out.extend(
        m.iter()
            .filter(|(k, _)| !first.contains(&k.as_str()) && !last.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v)),
    );
    out.extend(pick(last));
    out
}

fn compact_ordered(m: &Map<String, Value>, first: &[&str], last: &[&str]) -> String {
    let members: Vec<String> = ordered(m, first, last)
        .into_iter()
        .map(|(k, v)| {
            let value = match v {
                // Geometries read better with their type first, as in the RFC's examples.
                Value::Object(g) if k == "geometry" => compact_ordered(g, &["type"], &[]),
                _ => compact(v),
            };
            format!("{}:{value}", compact(&Value::String(k.into())))
        })
        .collect();
    format!("{{{}}}", members.join(","))
}

/// Compact JSON of a value, kept wide integers written back as the numbers they were.
fn compact(v: &Value) -> String {
    crate::data::json_exact::to_string(v)
}

fn feature_from_alignment(a: &Alignment) -> Value {
    let mut props = a.extra.clone();
    props.insert("title".into(), a.name.clone().into());
    props.insert("name".into(), a.name.clone().into());
    props.insert(
        "stroke".into(),
        format!("#{:02x}{:02x}{:02x}", a.color[0], a.color[1], a.color[2]).into(),
    );
    props
        .entry("stroke-width")
        .or_insert_with(|| DEFAULT_STROKE_WIDTH_PX.into());
    let opacity = (f64::from(a.color[3]) / 255.0 * 1000.0).round() / 1000.0;
    props.insert("stroke-opacity".into(), opacity.into());
    props.insert("description".into(), a.notes.clone().into());
    props.insert("corridor_atlas_id".into(), a.id.0.into());
    props.insert("status".into(), a.status.as_str().into());
    match a.gauge_mm {
        Some(g) => {
            props.insert("gauge_mm".into(), g.into());
        }
        None => {
            // An unparsed gauge from the file (e.g. "1520/1435") stays as it was.
            props.entry("gauge_mm").or_insert(Value::Null);
        }
    }
    props.insert(
        "vertex_snaps".into(),
        a.vertices
            .iter()
            .map(|v| v.snap.as_ref().map_or(Value::Null, SnapRef::to_json))
            .collect(),
    );
    let position = |v: &Vertex| Value::from(vec![v.lon, v.lat]);
    let geometry = match a.vertices.as_slice() {
        [] => Value::Null,
        [only] => serde_json::json!({"type": "Point", "coordinates": position(only)}),
        vs => serde_json::json!({
            "type": "LineString",
            "coordinates": vs.iter().map(position).collect::<Vec<_>>(),
        }),
    };
    let mut feature = Map::new();
    feature.insert("type".into(), "Feature".into());
    for (k, v) in &a.feature_members {
        if !matches!(k.as_str(), "type" | "geometry" | "properties" | "bbox") {
            feature.insert(k.clone(), v.clone());
        }
    }
    feature.insert("properties".into(), Value::Object(props));
    feature.insert("geometry".into(), geometry);
    Value::Object(feature)
}

/// Write `scenario` to `path` atomically (see [`write_atomic`]).
pub fn save_atomic(path: &Path, scenario: &Scenario) -> Result<(), ScenarioError> {
    write_atomic(path, to_string(scenario).as_bytes())
}
