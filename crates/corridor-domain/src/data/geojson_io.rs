//! Reading `GeoJSON` (RFC 7946) with errors that point at the place in the file.
//!
//! A `FeatureCollection` is first split into the raw text of each feature (`serde_json`'s
//! `RawValue`, which borrows the input), then each feature is parsed on its own. That way every
//! error, whether bad JSON or a bad coordinate, names the line and column where its feature
//! starts (or where the JSON breaks), and one bad feature does not hide the others.

use std::collections::BTreeMap;

use geo::Geometry;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::data::feature::{Feature, Properties};

/// What went wrong in a `GeoJSON` text, and where (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct GeoJsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A parsed `GeoJSON` document.
#[derive(Debug, Clone, Default)]
pub struct ParsedGeoJson {
    /// Features with a geometry, in file order.
    pub features: Vec<Feature>,
    /// Position of each kept feature in the file (0-based), parallel to `features`. Features
    /// with a `null` geometry are skipped but still counted here, so indices match the file.
    pub file_index: Vec<usize>,
    /// Top-level members other than `type` and `features` (foreign members, `bbox`, ...),
    /// kept so that saving the document again loses nothing.
    pub foreign_members: Map<String, Value>,
}

/// Parse a `GeoJSON` text (`FeatureCollection`, Feature or bare geometry) into features.
///
/// A UTF-8 byte-order mark is accepted. Coordinates must be finite, longitudes within ±180°
/// and latitudes within ±90°; a `LineString` needs two positions.
pub fn parse_features(text: &str) -> Result<ParsedGeoJson, GeoJsonError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let top: BTreeMap<String, &RawValue> = serde_json::from_str(body).map_err(|e| {
        let mut err = json_error(text, body, &e);
        if e.is_data() {
            // Valid JSON, but an array, string or number: say what GeoJSON needs.
            err.message = format!(
                "not GeoJSON: the top level must be an object ({})",
                err.message
            );
        }
        err
    })?;
    // serde keeps the last of two equal keys without a word; a file with `features` (or
    // `coordinates`) twice means two different things to two programs. Refuse it.
    serde_json::from_str::<NoDuplicateKeys>(body).map_err(|e| json_error(text, body, &e))?;
    let kind: String = match top.get("type") {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|e| at_raw(text, raw, &e))?,
        None => {
            return Err(GeoJsonError {
                line: 1,
                column: 1,
                message: "not GeoJSON: the top-level object has no \"type\" member".into(),
            });
        }
    };
    let mut parsed = ParsedGeoJson::default();
    match kind.as_str() {
        "FeatureCollection" => {
            let Some(raw_features) = top.get("features") else {
                return Err(GeoJsonError {
                    line: 1,
                    column: 1,
                    message: "FeatureCollection has no \"features\" array".into(),
                });
            };
            let raws: Vec<&RawValue> = serde_json::from_str(raw_features.get())
                .map_err(|e| at_raw(text, raw_features, &e))?;
            for (i, raw) in raws.into_iter().enumerate() {
                if raw.get() == "null" {
                    return Err(located(
                        text,
                        raw,
                        format!("feature {i}: null is not a Feature (a Feature object is needed)"),
                    ));
                }
                if let Some(feature) = parse_feature(text, raw, i)? {
                    parsed.features.push(feature);
                    parsed.file_index.push(i);
                }
            }
            for (key, raw) in top {
                if key != "type" && key != "features" {
                    let value =
                        serde_json::from_str(raw.get()).map_err(|e| at_raw(text, raw, &e))?;
                    parsed.foreign_members.insert(key, value);
                }
            }
        }
        "Feature" => {
            if let Some(feature) = parse_feature(text, raw_of(text, body)?, 0)? {
                parsed.features.push(feature);
                parsed.file_index.push(0);
            }
        }
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon" | "MultiPolygon"
        | "GeometryCollection" => {
            let raw = raw_of(text, body)?;
            let gj: geojson::Geometry =
                serde_json::from_str(raw.get()).map_err(|e| at_raw(text, raw, &e))?;
            let geometry = convert_geometry(&gj).map_err(|m| located(text, raw, m))?;
            parsed
                .features
                .push(Feature::new(geometry, Properties::default()));
            parsed.file_index.push(0);
        }
        other => {
            return Err(GeoJsonError {
                line: 1,
                column: 1,
                message: format!(
                    "not GeoJSON: \"type\" is {other:?}, expected FeatureCollection, Feature or a geometry type"
                ),
            });
        }
    }
    Ok(parsed)
}

/// Parse `GeoJSON` from the bytes of a file, as [`parse_features`] does.
///
/// RFC 7946 requires UTF-8. Files are read as bytes rather than `String` so that a stray
/// Latin-1 byte or a UTF-16 export is reported at its line and column (and byte offset),
/// like any other error in the file, instead of as a bare I/O failure.
pub fn parse_features_bytes(bytes: &[u8]) -> Result<ParsedGeoJson, GeoJsonError> {
    crate::data::file::sniff(bytes.get(..4096).unwrap_or(bytes)).map_err(|r| GeoJsonError {
        line: r.line,
        column: r.column,
        message: r.message,
    })?;
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_features(text),
        Err(e) => {
            let offset = e.valid_up_to();
            let prefix =
                std::str::from_utf8(bytes.get(..offset).unwrap_or_default()).unwrap_or_default();
            let (line, column) = line_col(prefix, prefix.len());
            let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
            let message = if utf16 {
                "the file is UTF-16; GeoJSON must be UTF-8".to_string()
            } else {
                format!("invalid UTF-8 at byte offset {offset}; GeoJSON must be UTF-8")
            };
            Err(GeoJsonError {
                line,
                column,
                message,
            })
        }
    }
}

/// The whole body as a `RawValue` (borrowing it), for single features and bare geometries.
fn raw_of<'a>(text: &str, body: &'a str) -> Result<&'a RawValue, GeoJsonError> {
    serde_json::from_str::<&RawValue>(body).map_err(|e| json_error(text, body, &e))
}

fn parse_feature(
    text: &str,
    raw: &RawValue,
    index: usize,
) -> Result<Option<Feature>, GeoJsonError> {
    let gj: geojson::Feature = serde_json::from_str(raw.get()).map_err(|e| {
        let mut err = at_raw(text, raw, &e);
        err.message = format!("feature {index}: {}", err.message);
        err
    })?;
    let Some(geometry) = gj.geometry.as_ref() else {
        return Ok(None);
    };
    let geometry = convert_geometry(geometry)
        .map_err(|m| located(text, raw, format!("feature {index}: {m}")))?;
    let mut properties = gj.properties.unwrap_or_default();
    if let Some(id) = gj.id {
        let id = match id {
            geojson::feature::Id::String(s) => serde_json::Value::String(s),
            geojson::feature::Id::Number(n) => serde_json::Value::Number(n),
        };
        properties.entry("id").or_insert(id);
    }
    Ok(Some(Feature::new(geometry, properties)))
}

/// Convert and validate a geometry: finite, in range, enough positions.
fn convert_geometry(g: &geojson::Geometry) -> Result<Geometry<f64>, String> {
    validate_value(&g.value)?;
    Geometry::<f64>::try_from(g).map_err(|e| e.to_string())
}

fn validate_value(v: &geojson::GeometryValue) -> Result<(), String> {
    use geojson::GeometryValue as V;
    let nested_empty = match v {
        V::MultiLineString { coordinates } | V::Polygon { coordinates } => {
            coordinates.iter().any(Vec::is_empty)
        }
        V::MultiPolygon { coordinates } => coordinates
            .iter()
            .any(|p| p.is_empty() || p.iter().any(Vec::is_empty)),
        _ => false,
    };
    if nested_empty {
        return Err(NESTED_EMPTY.into());
    }
    match v {
        V::Point { coordinates } => check_position(coordinates),
        V::MultiPoint { coordinates } => coordinates.iter().try_for_each(check_position),
        V::LineString { coordinates } => check_line(coordinates),
        V::MultiLineString { coordinates } => coordinates.iter().try_for_each(|l| check_line(l)),
        V::Polygon { coordinates } if coordinates.is_empty() => Err(NO_RING.into()),
        V::Polygon { coordinates } => coordinates.iter().try_for_each(|r| check_ring(r)),
        V::MultiPolygon { coordinates } => {
            coordinates.iter().flatten().try_for_each(|r| check_ring(r))
        }
        V::GeometryCollection { geometries } => {
            geometries.iter().try_for_each(|g| validate_value(&g.value))
        }
    }
}

fn check_position(p: &geojson::Position) -> Result<(), String> {
    let s = p.as_slice();
    if s.len() < 2 {
        return Err(position_too_short(s.len()));
    }
    check_lon_lat(s[0], s[1])
}

/// An empty array nested in coordinates: a line, ring or polygon with nothing in it. Both
/// readers refuse it with this message (an empty top-level list, `"coordinates": []`, is an
/// empty Multi* geometry and is accepted; see [`NO_RING`] for the one exception).
pub(crate) const NESTED_EMPTY: &str =
    "an empty array inside the coordinates (a line, ring or polygon with no positions)";

/// A Polygon must have its outer ring (`"coordinates": []` is not a polygon).
pub(crate) const NO_RING: &str = "a polygon needs at least one ring";

/// Checks a JSON text for an object with the same key twice, anywhere; keeps nothing.
struct NoDuplicateKeys;

impl<'de> serde::Deserialize<'de> for NoDuplicateKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NoDuplicateKeys)
    }
}

impl<'de> serde::de::Visitor<'de> for NoDuplicateKeys {
    type Value = Self;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_unit<E>(self) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<NoDuplicateKeys>()?.is_some() {}
        Ok(self)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self, A::Error> {
        let mut keys = foldhash::HashSet::<String>::default();
        while let Some(key) = map.next_key::<String>()? {
            if keys.contains(&key) {
                return Err(serde::de::Error::custom(format!(
                    "the member {key:?} appears twice in one object"
                )));
            }
            // Coordinates are arrays of numbers, where no key can repeat: skip them without
            // converting a single number (they are most of a file's bytes, and this pass
            // would otherwise parse every float twice).
            if key == "coordinates" {
                map.next_value::<serde::de::IgnoredAny>()?;
            } else {
                map.next_value::<NoDuplicateKeys>()?;
            }
            keys.insert(key);
        }
        Ok(self)
    }
}

/// The message for a position with fewer than two numbers (both readers use it).
pub(crate) fn position_too_short(found: usize) -> String {
    format!("a position needs at least 2 numbers (lon, lat), found {found}")
}

/// Finite and within ±180° / ±90°: the one coordinate check every reader applies.
#[inline]
pub(crate) fn check_lon_lat(lon: f64, lat: f64) -> Result<(), String> {
    if !lon.is_finite() || !lat.is_finite() {
        return Err("coordinates must be finite numbers".into());
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is outside -180..180"));
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is outside -90..90"));
    }
    Ok(())
}

/// The message for a `LineString` with fewer than two positions.
pub(crate) fn line_too_short(found: usize) -> String {
    format!("a LineString needs at least 2 positions, found {found}")
}

/// The message for a polygon ring with fewer than four positions.
pub(crate) fn ring_too_short(found: usize) -> String {
    format!("a polygon ring needs at least 4 positions, found {found}")
}

fn check_line(line: &[geojson::Position]) -> Result<(), String> {
    if line.len() < 2 {
        return Err(line_too_short(line.len()));
    }
    line.iter().try_for_each(check_position)
}

fn check_ring(ring: &[geojson::Position]) -> Result<(), String> {
    if ring.len() < 4 {
        return Err(ring_too_short(ring.len()));
    }
    ring.iter().try_for_each(check_position)
}

/// Byte offset of `raw` inside `text` (it borrows from it).
fn offset_in(text: &str, raw: &RawValue) -> usize {
    let start = text.as_ptr() as usize;
    let at = raw.get().as_ptr() as usize;
    at.saturating_sub(start).min(text.len())
}

/// 1-based line and column (in characters) of a byte offset.
#[must_use]
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn located(text: &str, raw: &RawValue, message: String) -> GeoJsonError {
    let (line, column) = line_col(text, offset_in(text, raw));
    GeoJsonError {
        line,
        column,
        message,
    }
}

/// An error inside `raw`, shifted to its place in the whole text.
fn at_raw(text: &str, raw: &RawValue, e: &serde_json::Error) -> GeoJsonError {
    let offset = offset_in(text, raw) + serde_offset(raw.get().as_bytes(), e.line(), e.column());
    let (line, column) = line_col(text, offset);
    GeoJsonError {
        line,
        column,
        message: explain_at(text.as_bytes(), offset, strip_position(&e.to_string())),
    }
}

/// An error in the whole body (after a possible BOM).
fn json_error(text: &str, body: &str, e: &serde_json::Error) -> GeoJsonError {
    let message = if e.is_eof() && body.trim().is_empty() {
        "the file is empty".to_string()
    } else {
        strip_position(&e.to_string())
    };
    let bom = text.len() - body.len();
    let offset = bom + serde_offset(body.as_bytes(), e.line(), e.column());
    let (line, column) = line_col(text, offset);
    GeoJsonError {
        line,
        column,
        message: explain_at(text.as_bytes(), offset, message),
    }
}

/// Byte offset in `json` of a `serde_json` error position. `serde_json` counts columns in
/// bytes (up to and including the offending byte); reports count characters, so the position
/// goes through a byte offset and [`line_col`] rather than being shifted directly.
pub(crate) fn serde_offset(json: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match json[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    (start + column.saturating_sub(1)).min(json.len())
}

/// `serde_json` says "expected value" or "invalid number" at a `NaN` or `Infinity`; name it.
/// `offset` is where `serde_json` stopped, on or just after the word's first character.
pub(crate) fn explain_at(bytes: &[u8], offset: usize, message: String) -> String {
    (offset.saturating_sub(2)..=offset)
        .find_map(|at| crate::data::file::non_number_message(bytes.get(at..).unwrap_or_default()))
        .unwrap_or(message)
}

/// `serde_json` appends " at line X column Y"; we report the position ourselves.
/// `serde_json`'s "recursion limit exceeded" is about its parser; say what is wrong with the file.
/// Messages speak JSON, not Rust: serde names the Rust type it wanted ("expected struct
/// FastGeometry", "expected f64", "a map", "a sequence"); say object, number, array instead.
pub(crate) fn strip_position(message: &str) -> String {
    let message = match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    if message == "recursion limit exceeded" {
        return "nested too deeply (more than 128 levels of arrays and objects)".to_string();
    }
    if let Some(field) = message
        .strip_prefix("duplicate field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        return format!("the member {field:?} appears twice in one object");
    }
    if let Some(rest) = message.strip_prefix("Encountered geometry type: `") {
        let kind = rest.split('`').next().unwrap_or_default();
        return format!("{kind} coordinates are not nested as a {kind} needs");
    }
    let mut out = String::with_capacity(message.len());
    let mut words = message.split(' ').peekable();
    while let Some(word) = words.next() {
        if !out.is_empty() {
            out.push(' ');
        }
        let (core, tail) = split_punctuation(word);
        match core {
            // "struct X" / "enum X": drop the Rust name that follows.
            "struct" | "enum" => {
                let (_, name_tail) = split_punctuation(words.next().unwrap_or_default());
                out.push_str(if core == "struct" {
                    "an object"
                } else {
                    "one of the allowed values"
                });
                out.push_str(name_tail);
                continue;
            }
            "map" => out.push_str("object"),
            "sequence" => out.push_str("array"),
            "f32" | "f64" => out.push_str("a number"),
            "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64"
            | "i128" | "isize" => out.push_str("a whole number in range"),
            _ => out.push_str(core),
        }
        out.push_str(tail);
    }
    // "expected a object": the article of what was replaced.
    out.replace("a object", "an object")
        .replace("a array", "an array")
        .replace("a a number", "a number")
        .replace("an a whole", "a whole")
        .replace("a a whole", "a whole")
}

/// A word and its trailing punctuation (`"f64,"` → `("f64", ",")`).
fn split_punctuation(word: &str) -> (&str, &str) {
    let end = word.trim_end_matches([',', '.', ')', ';', ':']).len();
    word.split_at(end)
}

#[cfg(test)]
#[allow(clippy::expect_used)] // A test states what it expects; the message is the point.
mod tests {
    use super::*;

    #[test]
    fn reads_a_feature_collection_with_foreign_members() {
        let text = r#"{"type":"FeatureCollection","name":"x","features":[
{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[69.2,34.5]}},
{"type":"Feature","properties":{},"geometry":null},
{"type":"Feature","properties":{"name":"L"},"geometry":{"type":"LineString","coordinates":[[60,30],[61,31,500]]}}
]}"#;
        let parsed = parse_features(text).expect("valid GeoJSON");
        assert_eq!(parsed.features.len(), 2);
        assert_eq!(parsed.file_index, vec![0, 2]);
        assert_eq!(parsed.features[1].name(), Some("L"));
        assert_eq!(parsed.foreign_members["name"], "x");
    }

    #[test]
    fn bad_json_names_line_and_column() {
        let text = "{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\",,}]}";
        let err = parse_features(text).expect_err("broken JSON");
        assert_eq!(err.line, 3, "{err}");
        assert_eq!(err.column, 19, "{err}");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{\"name\":\"Ürümqi 中\"},,}]}";
        let err = parse_features(text).expect_err("broken JSON");
        assert_eq!((err.line, err.column), (2, 52), "{err}");
        let err = parse_features("{\"name\":\"中\",,}").expect_err("broken JSON");
        assert_eq!((err.line, err.column), (1, 13), "{err}");
    }

    #[test]
    fn out_of_range_latitude_points_at_its_feature() {
        let text = "{\"type\":\"FeatureCollection\",\"features\":[\n  {\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[10,20]}},\n  {\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[10,95]}}]}";
        let err = parse_features(text).expect_err("latitude 95");
        assert_eq!((err.line, err.column), (3, 3), "{err}");
        assert!(
            err.message.contains("feature 1") && err.message.contains("latitude 95"),
            "{err}"
        );
    }

    #[test]
    fn a_one_position_linestring_is_rejected() {
        let text = r#"{"type":"LineString","coordinates":[[1,2]]}"#;
        let err = parse_features(text).expect_err("too short");
        assert!(err.message.contains("at least 2 positions"), "{err}");
    }

    #[test]
    fn invalid_utf8_names_its_line_column_and_byte_offset() {
        let bytes = b"{\"type\":\"Point\",\n \"coordinates\":[1,2], \"x\":\"caf\xe9\"}";
        let err = parse_features_bytes(bytes).expect_err("Latin-1 byte");
        assert_eq!((err.line, err.column), (2, 31), "{err}");
        assert!(err.message.contains("byte offset 47"), "{err}");
        assert!(parse_features_bytes(b"\xff\xfe{\0").is_err());
        assert!(parse_features_bytes(b"{\"type\":\"Point\",\"coordinates\":[1,2]}").is_ok());
    }

    #[test]
    fn deep_nesting_and_huge_numbers_are_errors_not_crashes() {
        let deep = format!(
            "{{\"type\":\"LineString\",\"coordinates\":{}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let err = parse_features(&deep).expect_err("100k levels");
        assert!(err.message.contains("nested too deeply"), "{err}");
        let unclosed = "[".repeat(100_000);
        assert!(parse_features(&unclosed).is_err());
        let err = parse_features(r#"{"type":"LineString","coordinates":[[1,2],[1e999,2]]}"#)
            .expect_err("1e999 is not a finite f64");
        assert_eq!(err.line, 1, "{err}");
    }

    #[test]
    fn empty_and_non_geojson_inputs_are_errors_not_panics() {
        assert!(
            parse_features("")
                .expect_err("empty")
                .message
                .contains("empty")
        );
        assert!(parse_features("[1,2]").is_err());
        assert!(parse_features(r#"{"type":"Banana"}"#).is_err());
        assert!(parse_features("\u{feff}{\"type\":\"Point\",\"coordinates\":[1,2]}").is_ok());
    }
}
