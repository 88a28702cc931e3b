//! What tests, benchmarks and the binary read or set on the app from outside its frame.

use corridor_domain::plan::scenario::history::Document;
use corridor_domain::plan::scenario::model::Scenario;
use corridor_domain::{Atlas, FeatureRef};

use super::AtlasApp;
use super::map_view::MapState;
use super::sketch::Sketch;
use super::suggest_panel::SuggestPanel;
use super::tiles::Basemaps;

impl AtlasApp {
    /// Where the pointer is on the map (lon, lat), as the status bar shows it.
    #[must_use]
    pub fn pointer_lonlat(&self) -> Option<(f64, f64)> {
        self.pointer_lonlat
    }

    /// Which panels around the map are open (remembered across restarts).
    pub fn panels_mut(&mut self) -> &mut super::PanelsOpen {
        &mut self.panels
    }

    /// The loaded data, once loading has finished.
    #[must_use]
    pub fn atlas(&self) -> Option<&Atlas> {
        self.atlas.as_deref()
    }

    /// The feature shown in the inspector.
    #[must_use]
    pub fn selected(&self) -> Option<FeatureRef> {
        self.selected
    }

    /// Whether the layer with `id` is drawn.
    #[must_use]
    pub fn layer_visible(&self, id: &str) -> Option<bool> {
        self.layers.iter().find(|l| l.id == id).map(|l| l.visible)
    }

    /// The map's zoom level.
    #[must_use]
    pub fn zoom(&self) -> f64 {
        self.map.zoom()
    }

    /// The map's centre (lon, lat), if it has been placed.
    #[must_use]
    pub fn center_lonlat(&self) -> Option<(f64, f64)> {
        self.map.memory.detached().map(|p| (p.x(), p.y()))
    }

    /// Hide every layer (benchmarks use it as the basemap-only baseline).
    pub fn hide_all_layers(&mut self) {
        self.layers.iter_mut().for_each(|l| l.visible = false);
    }

    /// The scenario being edited.
    #[must_use]
    pub fn scenario(&self) -> &Scenario {
        self.doc.scenario()
    }

    /// The open document (scenario, path, undo history).
    #[must_use]
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The sketch tools' state (tests select tools and read the drawing).
    pub fn sketch_mut(&mut self) -> &mut Sketch {
        &mut self.sketch
    }

    /// The Suggest panel (tests set its fields).
    pub fn suggest_panel_mut(&mut self) -> &mut SuggestPanel {
        &mut self.suggest
    }

    /// The basemap sources (tests wait for the embedded tiles before a snapshot).
    pub fn basemaps_mut(&mut self) -> &mut Basemaps {
        &mut self.basemaps
    }

    /// The map state (tests use it to place the view).
    pub fn map_state_mut(&mut self) -> &mut MapState {
        &mut self.map
    }

    /// The status bar's message.
    #[must_use]
    pub fn status_message(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// The document revision the compare panel's ledgers were last brought up to.
    #[must_use]
    pub fn ledgers_revision(&self) -> Option<u64> {
        self.ledgers.revision()
    }

    /// The folder the open file dialog shows, if one is open.
    #[must_use]
    pub fn dialog_directory(&self) -> Option<&std::path::Path> {
        self.files.dialog_directory()
    }

    /// The compare panel's ledgers (the comparison slide reads them too).
    #[must_use]
    pub fn ledgers(&self) -> &super::compare::LedgerCache {
        &self.ledgers
    }
}
