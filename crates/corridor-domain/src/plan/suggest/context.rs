//! The region a suggestion runs in: its cost surface and track network, built once and
//! reused, and the zones to avoid. Its own module so the search (`polish`, `find`) imports it
//! as a sibling rather than from the parent `suggest`.

use geo::MultiPolygon;

use crate::atlas::bundled::Atlas;
use crate::data::feature::Feature;
use crate::map::layer::{Layer, LayerKind};
use crate::plan::trace::RailGraph;

use super::error::SuggestError;
use super::settings::SuggestSettings;
use super::surface::{self, CostSurface, SurfaceInputs};

/// A zone the suggestion must avoid (a national park, a conflict area, a city centre).
#[derive(Clone, Debug, PartialEq)]
pub struct AvoidZone {
    pub name: String,
    pub area: MultiPolygon<f64>,
    /// `None`: impassable, never crossed. `Some(m)`: building inside costs `m` times more
    /// (values below 1 are read as 1: a zone never attracts).
    pub multiplier: Option<f64>,
}

/// The cost surface and track network of a region, built once and reused for every
/// suggestion there (the GUI and the benchmark keep one per region and resolution).
pub struct SuggestContext {
    pub(super) surface: CostSurface,
    pub(super) rail: RailGraph,
    pub(super) settings: SuggestSettings,
    pub(super) dem_label: String,
}

impl SuggestContext {
    /// Build from the bundled layers of `atlas` (`countries`, `lakes`, `rail`), the imported
    /// layers taken as track (an OSM rail extract) and its elevation grid.
    pub fn new(atlas: &Atlas, settings: &SuggestSettings) -> Result<Self, SuggestError> {
        let layer = |id: &str| {
            atlas
                .layer_index(id)
                .and_then(|i| atlas.layers.get(i))
                .map_or(&[][..], |l| l.features.as_slice())
        };
        let inputs = SurfaceInputs {
            countries: layer("countries"),
            lakes: layer("lakes"),
            rail: layer("rail"),
            track_layers: atlas
                .layers
                .iter()
                .filter(|l| l.kind == LayerKind::Imported && l.is_track)
                .map(AsRef::as_ref)
                .collect(),
            elevation: atlas.elevation.as_deref().into_iter().collect(),
        };
        let mut ctx = Self::from_inputs(&inputs, settings)?;
        if atlas.elevation.is_some() {
            "ETOPO5 terrain".clone_into(&mut ctx.dem_label);
        }
        Ok(ctx)
    }

    /// Build from explicit features (tests, a finer DEM in `inputs.elevation`).
    pub fn from_inputs(
        inputs: &SurfaceInputs<'_>,
        settings: &SuggestSettings,
    ) -> Result<Self, SuggestError> {
        let surface = CostSurface::build(inputs, settings)?;
        let track: Vec<Feature> = inputs
            .rail
            .iter()
            .filter(|f| surface::is_track(f, settings.ledger.reuse_rule()))
            .cloned()
            .collect();
        let layer = Layer::new(LayerKind::Rail, "rail", "Existing track", "", track);
        // Imported layers go in as they are: the graph keeps references, not copies, and
        // takes their ways by OSM's tags.
        let mut layers = vec![&layer];
        layers.extend(inputs.track_layers.iter().copied());
        Ok(Self {
            surface,
            rail: RailGraph::build_with_rule(&layers, settings.ledger.reuse_rule()),
            settings: settings.clone(),
            dem_label: if inputs.elevation.is_empty() {
                "no terrain data".to_owned()
            } else {
                "terrain".to_owned()
            },
        })
    }

    #[must_use]
    pub fn surface(&self) -> &CostSurface {
        &self.surface
    }

    /// The surface, to edit cells of a synthetic test surface.
    pub fn surface_mut(&mut self) -> &mut CostSurface {
        &mut self.surface
    }

    #[must_use]
    pub fn settings(&self) -> &SuggestSettings {
        &self.settings
    }

    /// The existing-track network (for tracing where a suggestion follows it).
    #[must_use]
    pub fn rail(&self) -> &RailGraph {
        &self.rail
    }

    /// Cell size (km) at the region's middle latitude.
    #[must_use]
    pub fn resolution_km(&self) -> f64 {
        self.surface.grid.cell_lat_deg * 111.0
    }
}
