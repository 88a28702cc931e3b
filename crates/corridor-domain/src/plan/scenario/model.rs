//! What a scenario is: the user's alignments plus everything else their file carried.
//!
//! The model is plain data. It is changed only through `edit::apply` (so that every change
//! can be undone) and read and written only by `io`. Anything we do not
//! understand — extra properties, foreign members, non-line features — is kept verbatim so
//! that opening and saving a file never loses what another tool put there.

use geo::{BoundingRect, Distance, Geodesic, Length, LineString, Point, Rect};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use super::ids::AlignmentId;
use super::ids::SlideId;
use super::slides::Story;
use crate::rail::RailStatus;

/// Where an alignment stands; drives its style and which ledger column its length goes to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlignmentStatus {
    Existing,
    UnderConstruction,
    #[default]
    Proposed,
}

impl AlignmentStatus {
    /// Every status, in the order a picker lists them.
    pub const ALL: [AlignmentStatus; 3] = [
        AlignmentStatus::Existing,
        AlignmentStatus::UnderConstruction,
        AlignmentStatus::Proposed,
    ];

    /// The value written to files (`existing`, `under-construction`, `proposed`), the same
    /// spelling the bundled rail data uses.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AlignmentStatus::Existing => "existing",
            AlignmentStatus::UnderConstruction => "under-construction",
            AlignmentStatus::Proposed => "proposed",
        }
    }

    /// Human label for panels.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            AlignmentStatus::Existing => "Existing",
            AlignmentStatus::UnderConstruction => "Under construction",
            AlignmentStatus::Proposed => "Proposed",
        }
    }

    /// Read a status as people write it, through the one rail parser
    /// ([`RailStatus::parse`]: case, `_`/`-`/space and synonyms such as "in service",
    /// "building" or "planned" do not matter, because files come from other tools and hand
    /// edits). Statuses an alternative cannot have (disused, abandoned, ferry) are `None`.
    #[must_use]
    pub fn parse_lenient(s: &str) -> Option<Self> {
        match RailStatus::parse(s)? {
            RailStatus::Existing => Some(AlignmentStatus::Existing),
            RailStatus::UnderConstruction => Some(AlignmentStatus::UnderConstruction),
            RailStatus::Proposed => Some(AlignmentStatus::Proposed),
            RailStatus::Disused | RailStatus::Abandoned | RailStatus::Ferry => None,
        }
    }
}

/// What a vertex was snapped to when it was placed, so the ledger can tell reused track from
/// new build and a station name can be shown at the vertex.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SnapRef {
    /// A named place: city, port, station, border crossing (`layer` is the layer id).
    Place { layer: String, name: String },
    /// A point on an existing rail line (`line` is that feature's name).
    Rail { layer: String, line: String },
}

impl SnapRef {
    /// The id of the layer the target lives in.
    #[must_use]
    pub fn layer(&self) -> &str {
        match self {
            SnapRef::Place { layer, .. } | SnapRef::Rail { layer, .. } => layer,
        }
    }

    /// The JSON written in a file's `vertex_snaps` array.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        match self {
            SnapRef::Place { layer, name } => {
                m.insert("layer".into(), Value::String(layer.clone()));
                m.insert("name".into(), Value::String(name.clone()));
            }
            SnapRef::Rail { layer, line } => {
                m.insert("layer".into(), Value::String(layer.clone()));
                m.insert("line".into(), Value::String(line.clone()));
            }
        }
        Value::Object(m)
    }

    /// Read one `vertex_snaps` entry; anything that is not a recognisable reference is `None`
    /// (a snap is a hint, never a reason to reject a file).
    #[must_use]
    pub fn from_json(v: &Value) -> Option<Self> {
        let m = v.as_object()?;
        let layer = m.get("layer")?.as_str()?.to_string();
        if let Some(line) = m.get("line").and_then(Value::as_str) {
            return Some(SnapRef::Rail {
                layer,
                line: line.to_string(),
            });
        }
        let name = m.get("name")?.as_str()?.to_string();
        Some(SnapRef::Place { layer, name })
    }
}

/// One vertex of an alignment: WGS84 lon/lat degrees, plus what it was snapped to.
#[derive(Clone, Debug, PartialEq)]
pub struct Vertex {
    pub lon: f64,
    pub lat: f64,
    pub snap: Option<SnapRef>,
}

impl Vertex {
    /// A free (unsnapped) vertex.
    #[must_use]
    pub fn new(lon: f64, lat: f64) -> Self {
        Self {
            lon,
            lat,
            snap: None,
        }
    }

    /// A vertex snapped to `target`.
    #[must_use]
    pub fn snapped(lon: f64, lat: f64, target: SnapRef) -> Self {
        Self {
            lon,
            lat,
            snap: Some(target),
        }
    }

    /// Whether the position is a valid WGS84 coordinate (finite, lon ±180°, lat ±90°).
    #[must_use]
    pub fn is_valid(&self) -> bool {
        is_valid_lonlat(self.lon, self.lat)
    }

    #[must_use]
    pub fn point(&self) -> Point<f64> {
        Point::new(self.lon, self.lat)
    }
}

/// Whether a lon/lat pair is a coordinate a `GeoJSON` file may hold.
#[must_use]
pub fn is_valid_lonlat(lon: f64, lat: f64) -> bool {
    lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat)
}

/// Colour given to new alignments: a red that reads on the muted basemap.
pub const DEFAULT_ALIGNMENT_COLOR: [u8; 4] = [0xd6, 0x27, 0x28, 0xff];

/// The feature property marking a suggestion not yet accepted (`"suggested": true`). The one
/// place the key is spelled: [`Alignment::is_suggested`] and [`Alignment::set_suggested`]
/// read and write it. It stays among the alignment's extra properties, so the file format
/// (and every file written so far, by the app or `corridor-atlas suggest`) is unchanged.
pub const SUGGESTED_KEY: &str = "suggested";

/// One sketched railway alignment.
#[derive(Clone, Debug, PartialEq)]
pub struct Alignment {
    pub id: AlignmentId,
    pub name: String,
    /// RGBA; written as simplestyle `stroke` (`#rrggbb`) and `stroke-opacity`.
    pub color: [u8; 4],
    pub status: AlignmentStatus,
    pub gauge_mm: Option<u32>,
    /// Free text; written as simplestyle `description`.
    pub notes: String,
    pub vertices: Vec<Vertex>,
    /// Feature properties we do not interpret, kept verbatim for the round trip.
    pub extra: Map<String, Value>,
    /// Members of the `GeoJSON` Feature object itself other than `type`, `geometry` and
    /// `properties` (e.g. a feature `id`), kept for the round trip.
    pub feature_members: Map<String, Value>,
}

impl Alignment {
    /// An empty proposed alignment.
    #[must_use]
    pub fn new(id: AlignmentId, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            color: DEFAULT_ALIGNMENT_COLOR,
            status: AlignmentStatus::Proposed,
            gauge_mm: None,
            notes: String::new(),
            vertices: Vec::new(),
            extra: Map::new(),
            feature_members: Map::new(),
        }
    }

    /// Whether this is a suggestion not yet accepted (drawn dashed): `"suggested": true`.
    #[must_use]
    pub fn is_suggested(&self) -> bool {
        self.extra.get(SUGGESTED_KEY) == Some(&Value::Bool(true))
    }

    /// Mark as a suggestion, or accept it (the key goes, so an accepted alternative is saved
    /// exactly like a drawn one).
    pub fn set_suggested(&mut self, suggested: bool) {
        if suggested {
            self.extra.insert(SUGGESTED_KEY.into(), Value::Bool(true));
        } else {
            self.extra.remove(SUGGESTED_KEY);
        }
    }

    /// The vertices as a `geo` line string (lon/lat).
    #[must_use]
    pub fn line_string(&self) -> LineString<f64> {
        self.vertices.iter().map(|v| (v.lon, v.lat)).collect()
    }

    /// Total WGS84 geodesic length (Karney), the figure users compare with QGIS.
    #[must_use]
    pub fn length_m(&self) -> f64 {
        Geodesic.length(&self.line_string())
    }

    /// Geodesic length of each segment, in vertex order (`vertices.len() - 1` entries), for
    /// the measure panel's per-segment list.
    #[must_use]
    pub fn segment_lengths_m(&self) -> Vec<f64> {
        self.vertices
            .windows(2)
            .map(|w| Geodesic.distance(w[0].point(), w[1].point()))
            .collect()
    }

    /// Lon/lat bounding box, `None` without vertices (for "zoom to alignment").
    #[must_use]
    pub fn bbox(&self) -> Option<Rect<f64>> {
        self.line_string().bounding_rect()
    }
}

/// Scenario-wide settings, stored under `corridor_atlas.settings`. Missing keys take their
/// defaults and unknown keys are kept, so files from newer or older versions both open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScenarioSettings {
    /// How close (screen pixels) the cursor must be for a vertex to snap.
    pub snap_tolerance_px: f32,
    /// How far (metres) a drawn segment may lie from existing track and still count as
    /// reusing it.
    pub reuse_tolerance_m: f64,
    /// Unit costs, speeds and tolerances of the corridor ledger (saved with the scenario).
    pub ledger: crate::measure::ledger::LedgerSettings,
    /// Settings written by other versions that this one does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for ScenarioSettings {
    fn default() -> Self {
        Self {
            snap_tolerance_px: 12.0,
            reuse_tolerance_m: 2000.0,
            ledger: crate::measure::ledger::LedgerSettings::default(),
            extra: Map::new(),
        }
    }
}

impl ScenarioSettings {
    /// The settings the ledger runs with: `ledger`, with the scenario's `reuse_tolerance_m`
    /// (the one tolerance the user edits; the ledger's own copy is ignored).
    #[must_use]
    pub fn ledger_settings(&self) -> crate::measure::ledger::LedgerSettings {
        let mut l = self.ledger.clone();
        l.reuse_tolerance_m = self.reuse_tolerance_m;
        l
    }

    /// Why these settings cannot be used, if they cannot.
    #[must_use]
    pub fn problem(&self) -> Option<String> {
        if !(self.snap_tolerance_px.is_finite() && self.snap_tolerance_px >= 0.0) {
            return Some(format!(
                "snap_tolerance_px must be a non-negative number, got {}",
                self.snap_tolerance_px
            ));
        }
        if !(self.reuse_tolerance_m.is_finite() && self.reuse_tolerance_m >= 0.0) {
            return Some(format!(
                "reuse_tolerance_m must be a non-negative number, got {}",
                self.reuse_tolerance_m
            ));
        }
        if let Some(p) = self.ledger.problem() {
            return Some(p);
        }
        None
    }
}

/// Everything a scenario file holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub alignments: Vec<Alignment>,
    /// Features of the file that are not alignments (points, polygons, ...), verbatim.
    pub other_features: Vec<Value>,
    /// Top-level members of the `FeatureCollection` we do not understand, verbatim.
    pub foreign_members: Map<String, Value>,
    /// Members of the `corridor_atlas` object other than `version`, `next_id`, `settings`
    /// and a `story` object (written by newer versions, or a `story` of another shape), kept
    /// verbatim.
    pub app_members: Map<String, Value>,
    pub settings: ScenarioSettings,
    /// The slides of the presentation (`corridor_atlas.story`).
    pub story: Story,
    /// The id the next new alignment gets; always above every id in use.
    pub next_id: u64,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            alignments: Vec::new(),
            other_features: Vec::new(),
            foreign_members: Map::new(),
            app_members: Map::new(),
            settings: ScenarioSettings::default(),
            story: Story::default(),
            next_id: 1,
        }
    }
}

impl Scenario {
    /// An empty scenario with default settings.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A fresh id, never used before in this scenario. Tools call this before building an
    /// `Edit::AddAlignment`; the id is consumed even if the edit is dropped.
    pub fn allocate_id(&mut self) -> AlignmentId {
        let id = self.unused_id();
        self.next_id = id.0.saturating_add(1);
        id
    }

    /// The id [`Scenario::allocate_id`] would return, without taking it: for building an
    /// `Edit::AddAlignment` from read-only access (applying it takes the id).
    #[must_use]
    pub fn unused_id(&self) -> AlignmentId {
        let used_max = self.alignments.iter().map(|a| a.id.0).max().unwrap_or(0);
        AlignmentId(self.next_id.max(used_max.saturating_add(1)).max(1))
    }

    /// Position of the alignment with this id.
    #[must_use]
    pub fn index_of(&self, id: AlignmentId) -> Option<usize> {
        self.alignments.iter().position(|a| a.id == id)
    }

    #[must_use]
    pub fn alignment(&self, id: AlignmentId) -> Option<&Alignment> {
        self.alignments.iter().find(|a| a.id == id)
    }

    /// A slide id no slide of the story has, for building an
    /// `Edit::AddSlide` (see [`Story::unused_id`]).
    #[must_use]
    pub fn unused_slide_id(&self) -> SlideId {
        self.story.unused_id()
    }
}

#[cfg(test)]
// Tests state what they expect with `expect("why")`; a failure message is the point.
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    fn line(coords: &[(f64, f64)]) -> Alignment {
        let mut a = Alignment::new(AlignmentId(1), "t");
        a.vertices = coords
            .iter()
            .map(|&(lon, lat)| Vertex::new(lon, lat))
            .collect();
        a
    }

    #[test]
    fn length_is_geodesic_and_matches_geographiclib() {
        // GeographicLib (Python geographiclib 2.1, WGS84 Inverse):
        //   (0,0)→(0,1): 110574.388558 m;  (0,1)→(1,1): 111302.649339 m.
        let a = line(&[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]);
        let segs = a.segment_lengths_m();
        assert_eq!(segs.len(), 2);
        assert!((segs[0] - 110_574.388_557).abs() < 1e-3, "{segs:?}");
        assert!((segs[1] - 111_302.649_339).abs() < 1e-3, "{segs:?}");
        assert!((a.length_m() - (110_574.388_557 + 111_302.649_339)).abs() < 2e-3);
    }

    #[test]
    fn an_alignment_without_two_vertices_has_no_length() {
        assert!(line(&[]).length_m().abs() < f64::EPSILON);
        assert!(line(&[(10.0, 10.0)]).segment_lengths_m().is_empty());
        assert!(line(&[]).bbox().is_none());
        let bbox = line(&[(61.0, 34.0), (65.0, 31.0)])
            .bbox()
            .expect("two vertices have a box");
        assert_eq!((bbox.min().x, bbox.min().y), (61.0, 31.0));
        assert_eq!((bbox.max().x, bbox.max().y), (65.0, 34.0));
    }

    #[test]
    fn statuses_read_the_way_people_write_them() {
        assert_eq!(
            AlignmentStatus::parse_lenient("Under construction"),
            Some(AlignmentStatus::UnderConstruction)
        );
        assert_eq!(
            AlignmentStatus::parse_lenient("under-construction"),
            Some(AlignmentStatus::UnderConstruction)
        );
        assert_eq!(
            AlignmentStatus::parse_lenient("EXISTING"),
            Some(AlignmentStatus::Existing)
        );
        assert_eq!(AlignmentStatus::parse_lenient("banana"), None);
        for s in AlignmentStatus::ALL {
            assert_eq!(AlignmentStatus::parse_lenient(s.as_str()), Some(s));
        }
    }

    #[test]
    fn snap_refs_round_trip_through_json() {
        let place = SnapRef::Place {
            layer: "cities".into(),
            name: "Herat".into(),
        };
        let rail = SnapRef::Rail {
            layer: "rail".into(),
            line: "ML-1".into(),
        };
        assert_eq!(SnapRef::from_json(&place.to_json()), Some(place));
        assert_eq!(SnapRef::from_json(&rail.to_json()), Some(rail));
        assert_eq!(SnapRef::from_json(&Value::Null), None);
        assert_eq!(SnapRef::from_json(&serde_json::json!({"name": "x"})), None);
    }

    #[test]
    fn settings_keep_unknown_keys_and_default_missing_ones() {
        let s: ScenarioSettings =
            serde_json::from_value(serde_json::json!({"reuse_tolerance_m": 500.0, "future": [1]}))
                .expect("valid settings");
        assert!((s.snap_tolerance_px - 12.0).abs() < f32::EPSILON);
        assert!((s.reuse_tolerance_m - 500.0).abs() < f64::EPSILON);
        assert_eq!(s.extra["future"], serde_json::json!([1]));
        let back = serde_json::to_value(&s).expect("serialisable");
        assert_eq!(back["future"], serde_json::json!([1]));
    }

    #[test]
    fn allocated_ids_are_never_reused() {
        let mut s = Scenario::new();
        let a = s.allocate_id();
        let b = s.allocate_id();
        assert_ne!(a, b);
        s.alignments.push(Alignment::new(AlignmentId(40), "loaded"));
        assert_eq!(s.allocate_id(), AlignmentId(41));
    }

    #[test]
    fn the_suggested_marker_is_the_files_suggested_property() {
        // A file written before the marker was typed: the flag is the plain property.
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "properties":{"name":"S","suggested":true},
            "geometry":{"type":"LineString","coordinates":[[60,30],[61,31]]}}]}"#;
        let mut s = super::super::io::from_str(text, "old.geojson").expect("reads");
        assert!(s.alignments[0].is_suggested());
        s.alignments[0].set_suggested(false);
        let written = super::super::io::to_value(&s);
        assert!(
            written["features"][0]["properties"]
                .get("suggested")
                .is_none(),
            "an accepted alternative is saved like a drawn one"
        );
        s.alignments[0].set_suggested(true);
        let written = super::super::io::to_value(&s);
        assert_eq!(written["features"][0]["properties"]["suggested"], true);
    }
}
