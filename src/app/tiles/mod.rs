//! Basemap tile sources (placeholder until the embedded renderer lands): the API the rest of
//! the app uses.

use std::sync::Arc;

use crate::domain::Atlas;

/// Persisted basemap choice.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct BasemapSettings {}

/// Owns the basemap tile sources.
pub struct Basemaps {
    settings: BasemapSettings,
}

impl Basemaps {
    #[must_use]
    pub fn new(_ctx: &egui::Context, settings: BasemapSettings) -> Self {
        Self { settings }
    }

    /// Give the embedded renderer the loaded geodata.
    pub fn set_atlas(&mut self, _atlas: Arc<Atlas>) {}

    /// Add the basemap's tile layers to `map`.
    pub fn with_layers<'a, 'b, 'c>(
        &'b mut self,
        map: walkers::Map<'a, 'b, 'c>,
    ) -> walkers::Map<'a, 'b, 'c> {
        map
    }

    /// Attribution text of the current source.
    #[must_use]
    pub fn attribution(&self) -> String {
        String::new()
    }

    /// Contents of the Basemap menu.
    pub fn menu_ui(&mut self, ui: &mut egui::Ui) {
        ui.label("Embedded basemap");
    }

    /// Settings to persist.
    #[must_use]
    pub fn settings(&self) -> BasemapSettings {
        self.settings.clone()
    }

    /// A new failure to show in the status bar (each failure once).
    pub fn take_status(&mut self) -> Option<String> {
        None
    }

    /// Whether the current style is dark (overlays pick label colours from it).
    #[must_use]
    pub fn is_dark(&self) -> bool {
        false
    }

    /// Colour behind the tiles (sea).
    #[must_use]
    pub fn background(&self) -> egui::Color32 {
        let [r, g, b, a] = crate::domain::style::SEA;
        egui::Color32::from_rgba_unmultiplied(r, g, b, a)
    }
}
