//! The data of a story: its slides, each slide's view, and their JSON form (the object stored
//! under `corridor_atlas.story`). Plain data below the model, which holds a [`Story`]; what a
//! slide means for the map (its camera, the flight between slides, captions) is in `story`.

use serde_json::{Map, Value};

use super::ids::{AlignmentId, SlideId};

/// Where a slide's map looks.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum SlideView {
    /// A fixed centre (WGS84 degrees) and zoom (slippy-map levels).
    Center { lon: f64, lat: f64, zoom: f64 },
    /// Fit these alternatives, clear of the caption column (all alternatives when empty).
    FitAlignments(Vec<AlignmentId>),
    /// Fit the corridor region (`crate::atlas::bundled::corridor_region`).
    #[default]
    FitRegion,
}

/// What a slide shows besides its caption.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SlideKind {
    /// The map with the alternatives and a legend.
    #[default]
    Map,
    /// The ledger table and the existing/new-build chart of the highlighted alternatives
    /// (all of them when none is highlighted), computed from the same ledger as Compare.
    Comparison,
}

impl SlideKind {
    /// The name stored under the slide's `kind` key.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            SlideKind::Map => "map",
            SlideKind::Comparison => "comparison",
        }
    }
}

/// One slide of a story.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Slide {
    pub id: SlideId,
    /// Map or comparison; stored as `kind` only when not a map (older files stay unchanged).
    pub kind: SlideKind,
    /// Shown large at the top of the caption panel.
    pub title: String,
    /// Short Markdown-ish text for the room: paragraphs, `**bold**`, `- ` bullets
    /// (see `story::caption_blocks`).
    pub caption: String,
    /// Presenter notes, shown only in the presenter view.
    pub notes: String,
    pub view: SlideView,
    /// Ids of the layers shown on this slide; `None` leaves the layers as they are.
    pub layers: Option<Vec<String>>,
    /// Alternatives drawn bold; the others are dimmed. Empty: none dimmed.
    pub highlight: Vec<AlignmentId>,
    /// The alternative drawn along its chainage when the slide opens (fully drawn in a still).
    pub reveal: Option<AlignmentId>,
    /// Keys of the slide object this version does not know, kept for the round trip.
    pub extra: Map<String, Value>,
}

/// The slides of a scenario, in presentation order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Story {
    pub slides: Vec<Slide>,
    /// Members of the `story` object other than `slides`, kept for the round trip.
    pub extra: Map<String, Value>,
}

impl Story {
    /// Position of the slide with this id.
    #[must_use]
    pub fn index_of(&self, id: SlideId) -> Option<usize> {
        self.slides.iter().position(|s| s.id == id)
    }

    #[must_use]
    pub fn slide(&self, id: SlideId) -> Option<&Slide> {
        self.slides.iter().find(|s| s.id == id)
    }

    /// An id no slide of this story has (one above the largest in use), for building an
    /// `Edit::AddSlide`. Nothing outside the story refers to slides, so an id
    /// freed by a removal may come back; undo restores whole snapshots, so that is safe.
    #[must_use]
    pub fn unused_id(&self) -> SlideId {
        SlideId(
            self.slides
                .iter()
                .map(|s| s.id.0)
                .max()
                .unwrap_or(0)
                .saturating_add(1),
        )
    }

    /// The story as the JSON object stored under `corridor_atlas.story`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut m = self.extra.clone();
        m.insert(
            "slides".into(),
            Value::Array(self.slides.iter().map(Slide::to_json).collect()),
        );
        Value::Object(m)
    }
}

impl Slide {
    /// An empty slide that shows the corridor region.
    #[must_use]
    pub fn new(id: SlideId, title: impl Into<String>) -> Self {
        Self {
            id,
            title: title.into(),
            ..Self::default()
        }
    }

    /// The JSON object written for this slide. Keys: `id`, `title`, `caption`, `notes`,
    /// `view` (`{"kind": "center", "lon", "lat", "zoom"}`, `{"kind": "fit-alignments",
    /// "alignments": [ids]}` or `{"kind": "fit-region"}`), `layers` (omitted when `None`),
    /// `highlight`, `reveal` (`null` when none), `kind` (`"comparison"`; omitted for a map slide), plus every unknown key read from the file.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut m = self.extra.clone();
        m.insert("id".into(), self.id.0.into());
        m.insert("title".into(), self.title.clone().into());
        m.insert("caption".into(), self.caption.clone().into());
        m.insert("notes".into(), self.notes.clone().into());
        match self.kind {
            SlideKind::Map => {
                m.remove("kind");
            }
            kind @ SlideKind::Comparison => {
                m.insert("kind".into(), kind.name().into());
            }
        }
        let view = match &self.view {
            SlideView::Center { lon, lat, zoom } => serde_json::json!({
                "kind": "center", "lon": lon, "lat": lat, "zoom": zoom,
            }),
            SlideView::FitAlignments(ids) => serde_json::json!({
                "kind": "fit-alignments",
                "alignments": ids.iter().map(|id| id.0).collect::<Vec<_>>(),
            }),
            SlideView::FitRegion => serde_json::json!({"kind": "fit-region"}),
        };
        m.insert("view".into(), view);
        match &self.layers {
            Some(layers) => {
                m.insert("layers".into(), layers.clone().into());
            }
            None => {
                m.remove("layers");
            }
        }
        m.insert(
            "highlight".into(),
            self.highlight
                .iter()
                .map(|id| id.0)
                .collect::<Vec<_>>()
                .into(),
        );
        m.insert(
            "reveal".into(),
            self.reveal.map_or(Value::Null, |id| id.0.into()),
        );
        Value::Object(m)
    }

    /// Read a slide object. A missing `id` reads as 0 (the loader gives it a fresh one);
    /// missing texts are empty, a missing view fits the region. A key of the wrong type is an
    /// error (a message naming the key), never silently dropped.
    pub fn from_json(value: &Value) -> Result<Slide, String> {
        let Some(obj) = value.as_object() else {
            return Err("a slide must be a JSON object".into());
        };
        let mut extra = obj.clone();
        let mut slide = Slide::default();
        if let Some(v) = extra.remove("id") {
            slide.id = SlideId(
                v.as_u64()
                    .ok_or_else(|| format!("\"id\" must be a whole number, got {v}"))?,
            );
        }
        for (key, target) in [
            ("title", &mut slide.title),
            ("caption", &mut slide.caption),
            ("notes", &mut slide.notes),
        ] {
            match extra.remove(key) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) => *target = s,
                Some(other) => return Err(format!("\"{key}\" must be text, got {other}")),
            }
        }
        match extra.remove("kind") {
            None | Some(Value::Null) => {}
            Some(Value::String(k)) if k == "map" => slide.kind = SlideKind::Map,
            Some(Value::String(k)) if k == "comparison" => slide.kind = SlideKind::Comparison,
            Some(other) => {
                return Err(format!(
                    "\"kind\" must be \"map\" or \"comparison\", got {other}"
                ));
            }
        }
        if let Some(v) = extra.remove("view") {
            slide.view = view_from_json(&v)?;
        }
        match extra.remove("layers") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                let ids = items
                    .iter()
                    .map(|i| i.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or("\"layers\" must be a list of layer ids (text)")?;
                slide.layers = Some(ids);
            }
            Some(other) => return Err(format!("\"layers\" must be a list or null, got {other}")),
        }
        if let Some(v) = extra.remove("highlight") {
            slide.highlight = ids_from_json(&v, "highlight")?;
        }
        match extra.remove("reveal") {
            None | Some(Value::Null) => {}
            Some(v) => {
                slide.reveal = Some(AlignmentId(v.as_u64().ok_or_else(|| {
                    format!("\"reveal\" must be an alignment id or null, got {v}")
                })?));
            }
        }
        slide.extra = extra;
        Ok(slide)
    }
}

fn ids_from_json(v: &Value, key: &str) -> Result<Vec<AlignmentId>, String> {
    v.as_array()
        .and_then(|a| {
            a.iter()
                .map(|i| i.as_u64().map(AlignmentId))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| format!("\"{key}\" must be a list of alignment ids, got {v}"))
}

/// The deepest zoom a slide's view may ask for: well past any tile source (19-22), short of
/// where a Web Mercator pixel is smaller than `f64` can place (about 50).
const MAX_VIEW_ZOOM: f64 = 30.0;

fn view_from_json(v: &Value) -> Result<SlideView, String> {
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
    let num = |k: &str| {
        v.get(k)
            .and_then(Value::as_f64)
            .ok_or_else(|| format!("a \"center\" view needs a number \"{k}\""))
    };
    // Out-of-range views are refused, not clamped: a slide that silently shows somewhere
    // else than its author meant is worse than a message naming it.
    let within = |k: &str, lo: f64, hi: f64, what: &str| {
        num(k).and_then(|x| {
            if (lo..=hi).contains(&x) {
                Ok(x)
            } else {
                Err(format!("\"{k}\" {x} is out of range ({what} {lo} to {hi})"))
            }
        })
    };
    match kind {
        "center" => Ok(SlideView::Center {
            lon: within("lon", -180.0, 180.0, "longitude")?,
            lat: within("lat", -90.0, 90.0, "latitude")?,
            zoom: within("zoom", 0.0, MAX_VIEW_ZOOM, "zoom level")?,
        }),
        "fit-alignments" => Ok(SlideView::FitAlignments(match v.get("alignments") {
            None | Some(Value::Null) => Vec::new(),
            Some(ids) => ids_from_json(ids, "alignments")?,
        })),
        "fit-region" => Ok(SlideView::FitRegion),
        other => Err(format!(
            "unknown view kind \"{other}\" (expected center, fit-alignments or fit-region)"
        )),
    }
}
