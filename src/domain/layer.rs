//! A map layer: its features plus everything precomputed to draw and query them fast
//! (styles, spatial index, level-of-detail shapes).

use super::feature::Feature;
use super::index::{FeatureIndex, Hit};
use super::lod::Lod;
use super::mercator::WorldPoint;
use super::style::{FeatureStyle, style_for};

/// What a layer holds; decides its style, its draw order and how it is hit-tested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LayerKind {
    Land,
    Countries,
    Lakes,
    Rivers,
    Coastline,
    Borders,
    Rail,
    RailPoints,
    Ports,
    Cities,
    /// A user's GeoJSON, styled by its simplestyle-spec properties.
    Imported,
}

impl LayerKind {
    /// Every kind, bottom to top in draw order.
    pub const ALL: [LayerKind; 11] = [
        LayerKind::Land,
        LayerKind::Countries,
        LayerKind::Lakes,
        LayerKind::Rivers,
        LayerKind::Coastline,
        LayerKind::Borders,
        LayerKind::Rail,
        LayerKind::RailPoints,
        LayerKind::Ports,
        LayerKind::Cities,
        LayerKind::Imported,
    ];

    /// Whether polygons of this kind are filled (so the LOD keeps triangulations).
    #[must_use]
    pub fn fills_polygons(self) -> bool {
        matches!(
            self,
            LayerKind::Land | LayerKind::Countries | LayerKind::Lakes | LayerKind::Imported
        )
    }
}

/// Identifies one feature of one layer in an [`super::Atlas`].
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
}

impl Layer {
    /// Build styles, index and level of detail for `features`.
    #[must_use]
    pub fn new(
        kind: LayerKind,
        id: impl Into<String>,
        title: impl Into<String>,
        attribution: impl Into<String>,
        features: Vec<Feature>,
    ) -> Self {
        let styles = features.iter().map(|f| style_for(kind, f)).collect();
        let index = FeatureIndex::build(&features);
        let lod = Lod::build(&features, kind.fills_polygons());
        Self {
            kind,
            id: id.into(),
            title: title.into(),
            attribution: attribution.into(),
            features,
            styles,
            index,
            lod,
        }
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
        self.index.hit_test(&self.features, at, tolerance)
    }
}
