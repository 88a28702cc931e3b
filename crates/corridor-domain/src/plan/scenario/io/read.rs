//! Reading a scenario file: `GeoJSON` text to a [`Scenario`], keeping what it does not
//! understand, with errors that point at the line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::Path;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::data::geojson_io::{line_col, parse_features};
use crate::data::json_exact;
use crate::plan::scenario::ids::SlideId;
use crate::plan::scenario::model::{
    Alignment, AlignmentId, AlignmentStatus, DEFAULT_ALIGNMENT_COLOR, Scenario, ScenarioSettings,
    SnapRef, Vertex,
};
use crate::plan::scenario::slides::{Slide, Story};

use super::format::{APP_MEMBER, DEFAULT_STROKE_WIDTH_PX, FORMAT_VERSION, ScenarioError, label};

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
    let mut slide_raws: Vec<&str> = Vec::new();
    for (key, raw) in &top {
        match key.as_str() {
            "type" | "features" | "bbox" => {}
            APP_MEMBER => {
                file_next_id = read_app_member(&at, raw, &mut scenario, &mut slide_raws)?;
            }
            _ => {
                let value =
                    json_exact::parse_value(raw.get()).map_err(|e| at.error_at(raw.get(), &e))?;
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
        let value = json_exact::parse_value(raw.get()).map_err(|e| at.error_at(raw.get(), &e))?;
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
    // A slide that highlights, reveals or frames an alternative the file does not hold would
    // present nothing where the presenter expects a line: say so at the slide.
    for (i, slide) in scenario.story.slides.iter().enumerate() {
        if let Some(problem) = slide.problem(&scenario, None) {
            let piece = slide_raws.get(i).copied().unwrap_or(body);
            return Err(at.invalid(piece, format!("slide {}: {problem}", i + 1)));
        }
    }
    Ok(scenario)
}

/// Read `corridor_atlas`: settings, version check, members of newer versions. Returns the
/// file's `next_id` (1 if absent).
fn read_app_member<'a>(
    at: &Locator,
    raw: &'a RawValue,
    scenario: &mut Scenario,
    slide_raws: &mut Vec<&'a str>,
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
                let mut settings: ScenarioSettings = serde_json::from_str(value_raw.get())
                    .map_err(|e| at.error_at(value_raw.get(), &e))?;
                // Settings of other versions are kept exactly, wide integers included.
                if let Ok(Value::Object(mut exact)) = json_exact::parse_value(value_raw.get()) {
                    for (k, v) in &mut settings.extra {
                        if let Some(kept) = exact.remove(k) {
                            *v = kept;
                        }
                    }
                }
                if let Some(problem) = settings.problem() {
                    return Err(at.invalid(value_raw.get(), problem));
                }
                scenario.settings = settings;
            }
            // A story is an object with "slides"; any other shape (another tool's, an older
            // draft) is kept verbatim like an unknown member.
            "story" if value_raw.get().trim_start().starts_with('{') => {
                scenario.story = read_story(at, value_raw, slide_raws)?;
            }
            _ => {
                let value = json_exact::parse_value(value_raw.get())
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
fn read_story<'a>(
    at: &Locator,
    raw: &'a RawValue,
    slide_raws: &mut Vec<&'a str>,
) -> Result<Story, ScenarioError> {
    let members: BTreeMap<String, &RawValue> = serde_json::from_str(raw.get())
        .map_err(|_| at.invalid(raw.get(), "\"story\" must be an object".into()))?;
    let mut story = Story::default();
    for (key, value_raw) in members {
        if key == "slides" {
            let slides: Vec<&RawValue> = serde_json::from_str(value_raw.get())
                .map_err(|_| at.invalid(value_raw.get(), "\"slides\" must be a list".into()))?;
            for (i, slide_raw) in slides.into_iter().enumerate() {
                let value = json_exact::parse_value(slide_raw.get())
                    .map_err(|e| at.error_at(slide_raw.get(), &e))?;
                let slide = Slide::from_json(&value)
                    .map_err(|m| at.invalid(slide_raw.get(), format!("slide {}: {m}", i + 1)))?;
                story.slides.push(slide);
                slide_raws.push(slide_raw.get());
            }
        } else {
            let value = json_exact::parse_value(value_raw.get())
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
pub(super) fn rgb_from_hex(s: &str) -> Option<[u8; 3]> {
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
        // Messages in the user's terms (object, number), never a Rust type name.
        let message = crate::data::geojson_io::strip_position(&e.to_string());
        ScenarioError::Invalid {
            file: self.file.into(),
            line,
            column: column.max(1),
            message,
        }
    }
}
