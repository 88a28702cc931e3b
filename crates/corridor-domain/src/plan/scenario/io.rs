//! Scenario files: RFC 7946 `GeoJSON` that GitHub, geojson.io, uMap, QGIS and GDAL all read.
//!
//! Each alignment is a `LineString` Feature styled with simplestyle-spec properties (`title`,
//! `stroke`, `stroke-width`, `stroke-opacity`, `description`) plus our own keys
//! (`corridor_atlas_id`, `status`, `gauge_mm`, `vertex_snaps`). Scenario-wide data lives in a
//! top-level foreign member `"corridor_atlas": {"version": 1, "settings": {...}, "story":
//! {"slides": [...]}}` (the story's format is documented on
//! [`super::story::Slide::to_json`]).
//!
//! Reading never loses what it does not understand: unknown properties, feature members,
//! top-level members and non-line features are kept and written back. A `LineString` drawn in
//! another tool (no `corridor_atlas_id`) becomes an alignment named from `title`/`name`.
//! Errors name the file and, when the text is at fault, the line and column. The one thing
//! dropped is a `bbox` member (top-level or on an alignment): edits make it stale.
//!
//! Saving is atomic: a temporary file in the same directory is written and flushed to disk,
//! then renamed over the target, so a crash or a full disk never leaves a half-written file.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::data::geojson_io::{line_col, parse_features};

use super::model::{
    Alignment, AlignmentId, AlignmentStatus, DEFAULT_ALIGNMENT_COLOR, Scenario, ScenarioSettings,
    SnapRef, Vertex,
};
use super::story::{Slide, SlideId, Story};

/// The top-level member holding scenario-wide data.
pub const APP_MEMBER: &str = "corridor_atlas";

/// The newest format version this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// Line width written for alignments that do not carry their own `stroke-width`.
pub const DEFAULT_STROKE_WIDTH_PX: f64 = 3.0;

/// Why a scenario could not be read or written. Every message starts with the file.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{file}: file not found")]
    NotFound { file: String },
    #[error("{file}: permission denied")]
    PermissionDenied { file: String },
    #[error("{file}: is a directory, not a scenario file")]
    IsDirectory { file: String },
    #[error("{file}: the file is empty")]
    Empty { file: String },
    /// The text is not a valid scenario: bad JSON, not `GeoJSON`, invalid coordinates, ...
    #[error("{file}: line {line}, column {column}: {message}")]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: cannot read: {source}")]
    Read { file: String, source: io::Error },
    #[error("{file}: cannot save: {source}")]
    Write { file: String, source: io::Error },
}

/// How a path is named in messages.
fn label(path: &Path) -> String {
    path.display().to_string()
}

/// Read a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let file = label(path);
    let read_error = |e: io::Error| match e.kind() {
        io::ErrorKind::NotFound => ScenarioError::NotFound { file: file.clone() },
        io::ErrorKind::PermissionDenied => ScenarioError::PermissionDenied { file: file.clone() },
        io::ErrorKind::IsADirectory => ScenarioError::IsDirectory { file: file.clone() },
        _ => ScenarioError::Read {
            file: file.clone(),
            source: e,
        },
    };
    if fs::metadata(path).map_err(read_error)?.is_dir() {
        return Err(ScenarioError::IsDirectory { file });
    }
    let bytes = crate::data::file::read_checked(path, crate::data::file::WHOLE_LIMIT_BYTES)
        .map_err(read_error)?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let (line, column) = line_col(&prefix, prefix.len());
            return Err(ScenarioError::Invalid {
                file,
                line,
                column,
                message: "the file is not UTF-8 text".into(),
            });
        }
    };
    from_str(&text, &file)
}

/// Parse the text of a scenario file; `file` names it in errors.
pub fn from_str(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim().is_empty() {
        return Err(ScenarioError::Empty { file: file.into() });
    }
    // Validate the GeoJSON first: its errors point at the feature or the broken JSON.
    parse_features(text).map_err(|e| ScenarioError::Invalid {
        file: file.into(),
        line: e.line,
        column: e.column,
        message: e.message,
    })?;
    let at = Locator { text, file };
    let top: BTreeMap<String, &RawValue> =
        serde_json::from_str(body).map_err(|e| at.error_at(body, &e))?;
    let kind: Option<String> = top
        .get("type")
        .and_then(|raw| serde_json::from_str(raw.get()).ok());
    if kind.as_deref() != Some("FeatureCollection") {
        return Err(at.invalid(
            body,
            format!(
                "a scenario file is a GeoJSON FeatureCollection, this is a {}",
                kind.as_deref().unwrap_or("JSON object without a \"type\"")
            ),
        ));
    }
    let mut scenario = Scenario::new();
    let mut file_next_id = 1;
    for (key, raw) in &top {
        match key.as_str() {
            "type" | "features" | "bbox" => {}
            APP_MEMBER => {
                file_next_id = read_app_member(&at, raw, &mut scenario)?;
            }
            _ => {
                let value =
                    serde_json::from_str(raw.get()).map_err(|e| at.error_at(raw.get(), &e))?;
                scenario.foreign_members.insert(key.clone(), value);
            }
        }
    }
    let raws: Vec<&RawValue> = match top.get("features") {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|e| at.error_at(raw.get(), &e))?,
        None => Vec::new(),
    };
    let mut needs_id = Vec::new();
    let mut used = BTreeSet::new();
    for raw in raws {
        let value: Value =
            serde_json::from_str(raw.get()).map_err(|e| at.error_at(raw.get(), &e))?;
        match alignment_from_feature(&value) {
            Some((alignment, file_id)) => {
                match file_id {
                    Some(id) if used.insert(id) => {}
                    _ => needs_id.push(scenario.alignments.len()),
                }
                scenario.alignments.push(alignment);
            }
            None => scenario.other_features.push(value),
        }
    }
    let max_used = used.last().copied().unwrap_or(0);
    scenario.next_id = file_next_id.max(max_used.saturating_add(1)).max(1);
    for i in needs_id {
        let id = scenario.allocate_id();
        scenario.alignments[i].id = id;
        if scenario.alignments[i].name.is_empty() {
            scenario.alignments[i].name = format!("Alignment {}", id.0);
        }
    }
    Ok(scenario)
}

/// Read `corridor_atlas`: settings, version check, members of newer versions. Returns the
/// file's `next_id` (1 if absent).
fn read_app_member(
    at: &Locator,
    raw: &RawValue,
    scenario: &mut Scenario,
) -> Result<u64, ScenarioError> {
    let members: BTreeMap<String, &RawValue> = serde_json::from_str(raw.get())
        .map_err(|_| at.invalid(raw.get(), format!("\"{APP_MEMBER}\" must be an object")))?;
    let mut next_id = 1;
    for (key, value_raw) in members {
        match key.as_str() {
            "version" => {
                let version: u64 = serde_json::from_str(value_raw.get()).map_err(|_| {
                    at.invalid(value_raw.get(), "\"version\" must be a whole number".into())
                })?;
                if version > FORMAT_VERSION {
                    return Err(at.invalid(
                        value_raw.get(),
                        format!(
                            "written by a newer Corridor Atlas (format version {version}); this one reads up to version {FORMAT_VERSION}"
                        ),
                    ));
                }
            }
            "next_id" => {
                next_id = serde_json::from_str(value_raw.get()).unwrap_or(1);
            }
            "settings" => {
                let settings: ScenarioSettings = serde_json::from_str(value_raw.get())
                    .map_err(|e| at.error_at(value_raw.get(), &e))?;
                if let Some(problem) = settings.problem() {
                    return Err(at.invalid(value_raw.get(), problem));
                }
                scenario.settings = settings;
            }
            // A story is an object with "slides"; any other shape (another tool's, an older
            // draft) is kept verbatim like an unknown member.
            "story" if value_raw.get().trim_start().starts_with('{') => {
                scenario.story = read_story(at, value_raw)?;
            }
            _ => {
                let value = serde_json::from_str(value_raw.get())
                    .map_err(|e| at.error_at(value_raw.get(), &e))?;
                scenario.app_members.insert(key, value);
            }
        }
    }
    Ok(next_id)
}

/// Read `corridor_atlas.story`. A fault names the slide (1-based, as the presenter counts)
/// and points at it. Slides without an id, or with one another slide already has, get fresh
/// ids, so hand-written stories open.
fn read_story(at: &Locator, raw: &RawValue) -> Result<Story, ScenarioError> {
    let members: BTreeMap<String, &RawValue> = serde_json::from_str(raw.get())
        .map_err(|_| at.invalid(raw.get(), "\"story\" must be an object".into()))?;
    let mut story = Story::default();
    for (key, value_raw) in members {
        if key == "slides" {
            let slides: Vec<&RawValue> = serde_json::from_str(value_raw.get())
                .map_err(|_| at.invalid(value_raw.get(), "\"slides\" must be a list".into()))?;
            for (i, slide_raw) in slides.into_iter().enumerate() {
                let value: Value = serde_json::from_str(slide_raw.get())
                    .map_err(|e| at.error_at(slide_raw.get(), &e))?;
                let slide = Slide::from_json(&value)
                    .map_err(|m| at.invalid(slide_raw.get(), format!("slide {}: {m}", i + 1)))?;
                story.slides.push(slide);
            }
        } else {
            let value = serde_json::from_str(value_raw.get())
                .map_err(|e| at.error_at(value_raw.get(), &e))?;
            story.extra.insert(key, value);
        }
    }
    let mut used = BTreeSet::new();
    let mut needs_id = Vec::new();
    for (i, slide) in story.slides.iter().enumerate() {
        if slide.id.0 == 0 || !used.insert(slide.id) {
            needs_id.push(i);
        }
    }
    for i in needs_id {
        story.slides[i].id = story.unused_id();
    }
    debug_assert!(story.slides.iter().all(|s| s.id != SlideId(0)));
    Ok(story)
}

/// An alignment from a feature that is one (a `LineString`, or any feature carrying our id),
/// with the id the file gave it. The feature has already been validated as `GeoJSON`.
fn alignment_from_feature(feature: &Value) -> Option<(Alignment, Option<u64>)> {
    let obj = feature.as_object()?;
    let mut props = obj
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let geometry = obj.get("geometry").and_then(Value::as_object);
    let geometry_type = geometry.and_then(|g| g.get("type")).and_then(Value::as_str);
    let ours = props.contains_key("corridor_atlas_id");
    let positions: Vec<&Value> = match (geometry_type, geometry.and_then(|g| g.get("coordinates")))
    {
        (Some("LineString"), Some(Value::Array(cs))) => cs.iter().collect(),
        // We write an alignment with one vertex as a Point and one with none as `null`.
        (Some("Point"), Some(c)) if ours => vec![c],
        (None, _) if ours => Vec::new(),
        _ => return None,
    };
    let snaps = props
        .remove("vertex_snaps")
        .and_then(|v| match v {
            Value::Array(a) if a.len() == positions.len() => Some(a),
            _ => None,
        })
        .unwrap_or_default();
    let mut vertices = Vec::with_capacity(positions.len());
    for (i, p) in positions.iter().enumerate() {
        let lon = p.get(0).and_then(Value::as_f64)?;
        let lat = p.get(1).and_then(Value::as_f64)?;
        let snap = snaps.get(i).and_then(SnapRef::from_json);
        vertices.push(Vertex { lon, lat, snap });
    }

    let file_id = props
        .remove("corridor_atlas_id")
        .and_then(|v| match v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
        .filter(|&id| id > 0);
    let mut alignment = Alignment::new(AlignmentId(file_id.unwrap_or(0)), String::new());
    let title = take_string(&mut props, "title");
    let name = take_string(&mut props, "name");
    alignment.name = title.or(name).unwrap_or_default();
    let rgb = props
        .get("stroke")
        .and_then(Value::as_str)
        .and_then(rgb_from_hex);
    if let Some(rgb) = rgb {
        props.remove("stroke");
        alignment.color = [rgb[0], rgb[1], rgb[2], DEFAULT_ALIGNMENT_COLOR[3]];
    }
    if let Some(opacity) = props.get("stroke-opacity").and_then(Value::as_f64) {
        props.remove("stroke-opacity");
        alignment.color[3] = (opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
    }
    // We write the default width when an alignment has none of its own; reading it back
    // must not turn it into a property the user set.
    if props
        .get("stroke-width")
        .and_then(Value::as_f64)
        .is_some_and(|w| (w - DEFAULT_STROKE_WIDTH_PX).abs() < f64::EPSILON)
    {
        props.remove("stroke-width");
    }
    alignment.notes = match props.remove("description") {
        Some(Value::String(s)) => s,
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    // An unrecognised status (e.g. "mothballed") reads as proposed: the ledger needs one of
    // the three, and the file is rewritten with the status the user then sees.
    alignment.status = props
        .remove("status")
        .as_ref()
        .and_then(Value::as_str)
        .and_then(AlignmentStatus::parse_lenient)
        .unwrap_or_default();
    let gauge = match props.get("gauge_mm") {
        Some(Value::Number(n)) => n.as_u64().and_then(|g| u32::try_from(g).ok()),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    if gauge.is_some() || matches!(props.get("gauge_mm"), Some(Value::Null)) {
        props.remove("gauge_mm");
    }
    alignment.gauge_mm = gauge;
    alignment.vertices = vertices;
    alignment.extra = props;
    alignment.feature_members = obj
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "type" | "geometry" | "properties" | "bbox"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some((alignment, file_id))
}

fn take_string(props: &mut Map<String, Value>, key: &str) -> Option<String> {
    match props.get(key) {
        Some(Value::String(_)) => match props.remove(key) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// `#rrggbb` or `#rgb` (the `#` optional, as simplestyle readers accept).
fn rgb_from_hex(s: &str) -> Option<[u8; 3]> {
    let hex = s.trim().trim_start_matches('#');
    if !hex.is_ascii() {
        return None;
    }
    let channel = |i: usize, len: usize| -> Option<u8> {
        let v = u8::from_str_radix(hex.get(i * len..(i + 1) * len)?, 16).ok()?;
        Some(if len == 1 { v * 17 } else { v })
    };
    match hex.len() {
        6 => Some([channel(0, 2)?, channel(1, 2)?, channel(2, 2)?]),
        3 => Some([channel(0, 1)?, channel(1, 1)?, channel(2, 1)?]),
        _ => None,
    }
}

/// Finds where a piece of the text is, to put a line and column on an error.
struct Locator<'a> {
    text: &'a str,
    file: &'a str,
}

impl Locator<'_> {
    /// 1-based line and column of `piece`, which must borrow from the text.
    fn position(&self, piece: &str) -> (usize, usize) {
        let start = self.text.as_ptr() as usize;
        let offset = (piece.as_ptr() as usize)
            .saturating_sub(start)
            .min(self.text.len());
        line_col(self.text, offset)
    }

    fn invalid(&self, piece: &str, message: String) -> ScenarioError {
        let (line, column) = self.position(piece);
        ScenarioError::Invalid {
            file: self.file.into(),
            line,
            column,
            message,
        }
    }

    /// A serde error inside `piece`, shifted to its place in the whole text.
    fn error_at(&self, piece: &str, e: &serde_json::Error) -> ScenarioError {
        let (line0, col0) = self.position(piece);
        let (line, column) = if e.line() <= 1 {
            (line0, col0 + e.column().saturating_sub(1))
        } else {
            (line0 + e.line() - 1, e.column())
        };
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        ScenarioError::Invalid {
            file: self.file.into(),
            line,
            column: column.max(1),
            message,
        }
    }
}

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

/// Compact JSON of a value (serialising a `Value` cannot fail).
fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
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

/// Replace `path` with `bytes` so that readers see the old or the new file, never a mix:
/// write a temporary file beside it, flush it to disk, rename it over the target, flush the
/// directory. If anything fails the old file is untouched and the temporary file removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ScenarioError> {
    /// Distinguishes temporary files of concurrent saves within this process.
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let file = label(path);
    let write_error = |source: io::Error| ScenarioError::Write {
        file: file.clone(),
        source,
    };
    if path.is_dir() {
        return Err(ScenarioError::IsDirectory { file });
    }
    let Some(name) = path.file_name() else {
        return Err(write_error(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path has no file name",
        )));
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        // Keep the permissions of the file we replace (a shared, group-writable file stays so).
        if let Ok(meta) = fs::metadata(path) {
            f.set_permissions(meta.permissions())?;
        }
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        // The temporary file may not exist (creation failed); nothing else to clean up.
        let _ = fs::remove_file(&tmp);
        return Err(write_error(e));
    }
    sync_dir(&dir);
    Ok(())
}

/// Flush the directory entry of a rename to disk. Best effort: some file systems (and
/// Windows) cannot open or sync a directory, and the data itself is already safe.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
// Tests state what they expect with `expect("why")`; a failure message is the point.
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

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
        let text = "{\"type\":\"FeatureCollection\",\n\"corridor_atlas\": {\"version\": 9},\n\"features\":[]}";
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
}
