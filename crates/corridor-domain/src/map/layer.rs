//! A map layer: its features plus everything precomputed to draw and query them fast
//! (styles, spatial index, level-of-detail shapes).

use crate::data::feature::Feature;
use crate::map::index::{FeatureIndex, Hit};
use crate::map::lod::Lod;
use crate::map::mercator::WorldPoint;
use crate::map::style::{FeatureStyle, style_for};
use crate::rail::has_rail_tags;

/// Defined in [`crate::map::kind`] (which styles also read, without importing layers);
/// re-exported here where callers have always found it.
pub use crate::map::kind::LayerKind;

/// Identifies one feature of one layer in an atlas: the layer's index in the atlas's layer
/// list and the feature's index in that layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FeatureRef {
    pub layer: usize,
    pub feature: usize,
}

/// A loaded layer, ready to draw and query.
pub struct Layer {
    pub kind: LayerKind,
    /// Stable identifier (file stem for bundled layers), used in settings.
    pub id: String,
    /// Human title for the layer panel.
    pub title: String,
    /// Where the data comes from, shown in the attribution.
    pub attribution: String,
    pub features: Vec<Feature>,
    /// `styles[i]` is the style of `features[i]`, computed once at load.
    pub styles: Vec<FeatureStyle>,
    pub index: FeatureIndex,
    pub lod: Lod,
    /// Whether this layer holds track (for snapping, tracing and the ledger's reuse km): the
    /// bundled rail layer, and imported networks that look like rail. Which of its lines are
    /// track is the one rule's call ([`crate::rail::ReuseRule::is_track`]): proposed lines
    /// and ferries on a track layer are not.
    pub is_track: bool,
}

impl Layer {
    /// Build styles, index and level of detail for `features`. The bundled rail is track; an
    /// imported layer is when most of its lines carry rail tags ([`rail_vote`]).
    #[must_use]
    pub fn new(
        kind: LayerKind,
        id: impl Into<String>,
        title: impl Into<String>,
        attribution: impl Into<String>,
        features: Vec<Feature>,
    ) -> Self {
        let is_track = kind == LayerKind::Rail
            || (kind == LayerKind::Imported && rail_vote(&features) == Some(true));
        Self::with_track(kind, id, title, attribution, features, is_track)
    }

    /// [`Layer::new`] with the track decision made by the caller: a streamed import decides
    /// once for the whole file, not per part.
    #[must_use]
    pub fn with_track(
        kind: LayerKind,
        id: impl Into<String>,
        title: impl Into<String>,
        attribution: impl Into<String>,
        mut features: Vec<Feature>,
        is_track: bool,
    ) -> Self {
        // Parts of a streamed import arrive in vectors grown by doubling.
        features.shrink_to_fit();
        let styles = features.iter().map(|f| style_for(kind, f)).collect();
        let lod = Lod::build(&features, kind.fills_polygons());
        let index = FeatureIndex::build(&lod);
        Self {
            kind,
            id: id.into(),
            title: title.into(),
            attribution: attribution.into(),
            features,
            styles,
            index,
            lod,
            is_track,
        }
    }

    /// Number of features.
    #[must_use]
    pub fn len(&self) -> usize {
        self.features.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// Number of vertices at full detail.
    #[must_use]
    pub fn vertex_count(&self) -> usize {
        let full = self.lod.full();
        (0..full.len()).map(|i| full.shape(i).vertex_count()).sum()
    }

    /// The nearest line feature within `tolerance` world units of `at` that `keep` accepts.
    #[must_use]
    pub fn nearest_line_where(
        &self,
        at: WorldPoint,
        tolerance: f64,
        keep: impl Fn(usize) -> bool,
    ) -> Option<Hit> {
        self.index
            .nearest_line_where(self.lod.full(), at, tolerance, keep)
    }

    /// The nearest line feature within `tolerance` world units of `at`.
    #[must_use]
    pub fn nearest_line(&self, at: WorldPoint, tolerance: f64) -> Option<Hit> {
        self.nearest_line_where(at, tolerance, |_| true)
    }

    /// Approximate heap bytes of the derived data (styles, index, levels of detail), not
    /// counting the features themselves.
    #[must_use]
    pub fn derived_heap_bytes(&self) -> usize {
        self.styles.capacity() * size_of::<FeatureStyle>()
            + self.index.heap_bytes()
            + self.lod.heap_bytes()
    }

    /// A one-line description of feature `i` for the status bar and the inspector: its name,
    /// or for unnamed borders the two countries.
    #[must_use]
    pub fn describe(&self, i: usize) -> String {
        let Some(f) = self.features.get(i) else {
            return String::new();
        };
        if let Some(name) = f.name() {
            return name.to_owned();
        }
        match (self.kind, f.str("left"), f.str("right")) {
            (LayerKind::Borders, Some(a), Some(b)) => {
                let kind = if f.str("kind") == Some("disputed") {
                    "disputed line"
                } else {
                    "border"
                };
                format!("{a}–{b} {kind}")
            }
            _ => "(unnamed)".to_owned(),
        }
    }

    /// The feature under `at` within `tolerance` world units (see [`FeatureIndex::hit_test`]).
    #[must_use]
    pub fn hit_test(&self, at: WorldPoint, tolerance: f64) -> Option<Hit> {
        self.index
            .hit_test(&self.features, self.lod.full(), at, tolerance)
    }
}

/// Whether most line features of an imported file carry rail tags ([`has_rail_tags`]: a
/// `gauge`, or a `railway`/`status` naming track on the ground), so the file is taken as a
/// track layer (which of its lines are track is [`crate::rail::ReuseRule::is_track`]); `None` without line features. A sample of 200 is enough. A
/// streamed import decides once, on its first part with lines.
#[must_use]
pub fn rail_vote(features: &[Feature]) -> Option<bool> {
    let mut lines = 0;
    let mut rail = 0;
    for f in features
        .iter()
        .filter(|f| {
            matches!(
                f.geometry,
                geo::Geometry::LineString(_) | geo::Geometry::MultiLineString(_)
            )
        })
        .take(200)
    {
        lines += 1;
        if has_rail_tags(f) {
            rail += 1;
        }
    }
    (lines > 0).then_some(rail * 2 > lines)
}
