//! Reading `GeoJSON` (RFC 7946) with errors that point at the place in the file.
//!
//! A `FeatureCollection` is first split into the raw text of each feature (`serde_json`'s
//! `RawValue`, which borrows the input), then each feature is parsed on its own by the same
//! feature reader the streamed loader uses (`geojson_fast`), so both apply one set of rules.
//! That way every error, whether bad JSON or a bad coordinate, names the line and column
//! where its feature starts (or where the JSON breaks), and one bad feature does not hide the
//! others. An object with a member twice is refused at every level, in the same pass.

use std::borrow::Cow;
use std::fmt;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::data::feature::Feature;
use crate::data::geojson_fast::FastFeature;
use crate::data::json_checked::{CheckedValue, SeenKeys, StrSeed};

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
    let top: Top = serde_json::from_str(body).map_err(|e| {
        let mut err = json_error(text, body, &e);
        if e.is_data() && !body.trim_start().starts_with('{') {
            // Valid JSON, but an array, string or number: say what GeoJSON needs.
            err.message = format!(
                "not GeoJSON: the top level must be an object ({})",
                err.message
            );
        }
        err
    })?;
    let Some(kind) = top.kind else {
        return Err(GeoJsonError {
            line: 1,
            column: 1,
            message: "not GeoJSON: the top-level object has no \"type\" member".into(),
        });
    };
    let mut parsed = ParsedGeoJson::default();
    match kind.as_ref() {
        "FeatureCollection" => {
            let Some(raws) = top.features else {
                return Err(GeoJsonError {
                    line: 1,
                    column: 1,
                    message: "FeatureCollection has no \"features\" array".into(),
                });
            };
            for (i, raw) in raws.into_iter().enumerate() {
                if raw.get() == "null" {
                    return Err(located(
                        text,
                        raw,
                        format!("feature {i}: null is not a Feature (a Feature object is needed)"),
                    ));
                }
                if let Some(feature) = parse_feature(text, raw, Some(i))? {
                    parsed.features.push(feature);
                    parsed.file_index.push(i);
                }
            }
            for (key, raw) in top.others {
                let CheckedValue(value) =
                    serde_json::from_str(raw.get()).map_err(|e| at_raw(text, raw, &e))?;
                parsed.foreign_members.insert(key.into_owned(), value);
            }
        }
        "Feature" | "Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon"
        | "MultiPolygon" | "GeometryCollection" => {
            let raw =
                serde_json::from_str::<&RawValue>(body).map_err(|e| json_error(text, body, &e))?;
            // The whole file is the one feature: its errors need no "feature 0".
            if let Some(feature) = parse_feature(text, raw, None)? {
                parsed.features.push(feature);
                parsed.file_index.push(0);
            }
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

/// The top-level object, split in one pass: its `type`, the raw text of each feature, and
/// the other members' raw text (parsed later, and only for a `FeatureCollection`).
struct Top<'a> {
    kind: Option<Cow<'a, str>>,
    features: Option<Vec<&'a RawValue>>,
    others: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'de> serde::Deserialize<'de> for Top<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(TopVisitor)
    }
}

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object (a FeatureCollection, a Feature or a geometry)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top<'de>, A::Error> {
        let mut top = Top {
            kind: None,
            features: None,
            others: Vec::new(),
        };
        let mut seen = SeenKeys::default();
        while let Some(key) = map.next_key_seed(StrSeed)? {
            seen.insert(key.clone())?;
            match key.as_ref() {
                "type" => top.kind = Some(map.next_value_seed(StrSeed)?),
                "features" => top.features = Some(map.next_value::<FeatureList<'de>>()?.0),
                _ => top.others.push((key, map.next_value()?)),
            }
        }
        Ok(top)
    }
}

/// The `features` array as the raw text of each element.
struct FeatureList<'a>(Vec<&'a RawValue>);

impl<'de> serde::Deserialize<'de> for FeatureList<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(FeatureListVisitor)
    }
}

struct FeatureListVisitor;

impl<'de> Visitor<'de> for FeatureListVisitor {
    type Value = FeatureList<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("\"features\" to be an array of Features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            out.push(raw);
        }
        Ok(FeatureList(out))
    }
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

/// One feature (or bare geometry) from its raw text, by the streamed reader's rules; `index`
/// names it in messages ("feature 3: …"; `None` for a file that is one feature). The name is
/// only formatted on an error: a collection's happy path allocates nothing for it.
fn parse_feature(
    text: &str,
    raw: &RawValue,
    index: Option<usize>,
) -> Result<Option<Feature>, GeoJsonError> {
    let prefix = || index.map(|i| format!("feature {i}: ")).unwrap_or_default();
    if !raw.get().starts_with('{') {
        return Err(located(
            text,
            raw,
            format!("{}not GeoJSON: expected an object (a Feature)", prefix()),
        ));
    }
    let fast: FastFeature = serde_json::from_str(raw.get()).map_err(|e| {
        let mut err = at_raw(text, raw, &e);
        err.message = format!("{}{}", prefix(), err.message);
        err
    })?;
    fast.into_feature()
        .map_err(|m| located(text, raw, format!("{}{m}", prefix())))
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
    let offset = offset_in(text, raw) + serde_offset(raw.get().as_bytes(), e);
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
    let offset = bom + serde_offset(body.as_bytes(), e);
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
///
/// A member found twice is reported where its key starts (`serde_json` stops on the key's
/// closing quote), as the streamed reader's scanner reports a top-level one.
pub(crate) fn serde_offset(json: &[u8], e: &serde_json::Error) -> usize {
    let mut start = 0;
    for _ in 1..e.line() {
        match json[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let offset = (start + e.column().saturating_sub(1)).min(json.len());
    if json.get(offset) == Some(&b'"') && e.to_string().contains(" appears twice in one object") {
        return key_start(json, offset);
    }
    offset
}

/// The opening quote of the JSON string whose closing quote is at `close`.
fn key_start(json: &[u8], close: usize) -> usize {
    let mut i = close;
    while i > 0 {
        i -= 1;
        if json[i] == b'"' {
            let backslashes = json[..i].iter().rev().take_while(|&&b| b == b'\\').count();
            if backslashes % 2 == 0 {
                return i;
            }
        }
    }
    close
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
