//! Where the frame's panels are laid out and the app's state is handed to them: the side
//! panel (story, suggest, alignments, inspector), the map and the compare panel.

use egui::Ui;

use super::AtlasApp;
use super::alignment_panel::alignments_panel_ui;
use super::compare::CompareAction;
use super::inspector::{InspectorAction, inspector_ui};
use super::layers_panel::layers_panel_ui;
use super::map_view::{MapInputs, map_ui};
use super::sketch::Click;
use super::story_panel::{CurrentView, StoryAction, story_panel_ui};
use corridor_domain::atlas::bundled::ATTRIBUTION;

/// Default widths and height of the panels around the map (points). With the menu and tools
/// in one bar and Compare folded into the status bar, a 1280×800 window leaves the map about
/// 1280 − 180 − 280 − margins ≈ 800 points wide and 735 tall: over 57 % of the window.
const LAYERS_DEFAULT_W: f32 = 180.0;
const SIDE_DEFAULT_W: f32 = 280.0;
/// Compare's height when first opened: the table, the chart and the profile side by side.
const COMPARE_DEFAULT_H: f32 = 360.0;

impl AtlasApp {
    fn story_ui(&mut self, ui: &mut Ui) {
        let view = CurrentView {
            lon: self.center_lonlat().map_or(67.0, |c| c.0),
            lat: self.center_lonlat().map_or(38.0, |c| c.1),
            zoom: self.map.zoom(),
            visible_layers: self
                .layers
                .iter()
                .filter(|l| l.visible)
                .map(|l| l.id.clone())
                .collect(),
        };
        let actions = story_panel_ui(ui, self.doc.scenario(), self.story_selected, &view);
        for a in actions {
            match a {
                StoryAction::Command(c) => self.queue_commands([c]),
                StoryAction::Select(id) => self.story_selected = Some(id),
                StoryAction::Present(i) => self.start_presentation(&ui.ctx().clone(), i),
            }
        }
    }

    /// Lay out the compare panel (bottom) now, in egui's panel order, and leave its contents
    /// to [`Self::compare_panel_ui`], painted after this frame's edits are applied. The panel
    /// keeps the height the user gave it whatever it shows (selecting an alternative never
    /// moves the map); its contents scroll inside. Returns the contents' space and the
    /// panel's rectangle, or `None` while Compare is folded into the status bar.
    pub(super) fn reserve_compare_panel(
        &mut self,
        ui: &mut Ui,
    ) -> Option<(egui::Rect, egui::Rect)> {
        let panel = egui::Panel::bottom("compare")
            .resizable(true)
            .default_size(COMPARE_DEFAULT_H)
            .size_range(120.0..=700.0)
            .show_collapsible(ui, &mut self.panels.compare, |ui| {
                let space = ui.available_rect_before_wrap();
                ui.allocate_space(space.size());
                space
            })?;
        // Contents are clipped to the panel, margins included, as inside the panel.
        Some((panel.inner, panel.response.rect))
    }

    /// The compare panel's contents, in the space [`Self::reserve_compare_panel`] kept.
    pub(super) fn compare_panel_ui(
        &mut self,
        ui: &mut Ui,
        (space, panel): (egui::Rect, egui::Rect),
    ) {
        let mut child = ui.new_child(
            egui::UiBuilder::new()
                .id_salt("compare-contents")
                .max_rect(space)
                .layout(egui::Layout::top_down(egui::Align::Min)),
        );
        child.set_clip_rect(panel.intersect(ui.clip_rect()));
        let actions = egui::ScrollArea::vertical()
            .id_salt("compare-scroll")
            .auto_shrink([false, false])
            .show(&mut child, |ui| {
                self.compare.ui(
                    ui,
                    self.doc.scenario(),
                    &self.ledgers,
                    self.sketch.selected,
                    self.map_chainage_m,
                )
            })
            .inner;
        for a in actions {
            match a {
                CompareAction::Command(c) => self.queue_commands([c]),
                CompareAction::Export(ext, text) => self.files.show_export_dialog(ext, text),
            }
        }
    }

    /// The layer list (left), once the atlas is there. Its width stays what the user set:
    /// long names wrap and the list scrolls.
    pub(super) fn layers_panel_ui(&mut self, ui: &mut Ui) {
        let Some(atlas) = self.atlas.clone() else {
            return;
        };
        let mut remove = None;
        egui::Panel::left("layers")
            .resizable(true)
            .size_range(150.0..=400.0)
            .default_size(LAYERS_DEFAULT_W)
            .show_collapsible(ui, &mut self.panels.layers, |ui| {
                // Long titles end in "…" (full title on hover) rather than widen the panel.
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                ui.heading("Layers");
                remove = layers_panel_ui(ui, &atlas, &mut self.layers);
            });
        if let Some(i) = remove {
            self.remove_layer(i);
        }
    }

    /// Where the pointer is along the selected alternative, if it is within a few pixels of it.
    fn chainage_under_pointer(&self) -> Option<f64> {
        let (lon, lat) = self.pointer_lonlat?;
        let ledger = self.ledgers.get(self.sketch.selected?)?;
        let (chainage_m, distance_m) = ledger.chainage_of(lon, lat)?;
        let m_per_px = 40_075_016.686 * lat.to_radians().cos()
            / corridor_domain::map::mercator::world_size_px(self.map.zoom());
        (distance_m <= 10.0 * m_per_px).then_some(chainage_m)
    }

    /// The chainage (m) along the selected alternative under the pointer on its elevation
    /// profile or strip diagram, which the map marks.
    #[must_use]
    pub fn profile_hover_m(&self) -> Option<f64> {
        self.compare.profile_hover_m
    }

    /// The ledger of an alternative (computed for every alternative each time it changes).
    #[must_use]
    pub fn ledger(
        &self,
        id: corridor_domain::plan::scenario::model::AlignmentId,
    ) -> Option<&corridor_domain::measure::ledger::Ledger> {
        self.ledgers.get(id).map(AsRef::as_ref)
    }

    /// The side panel (right). Story, suggestions, alternatives and the inspector can
    /// outgrow a laptop screen: they scroll both ways inside a panel whose width changes only
    /// when the user drags it, so selecting something never moves the map.
    pub(super) fn side_panel_ui(&mut self, ui: &mut Ui) {
        let mut open = self.panels.side;
        egui::Panel::right("side")
            .resizable(true)
            .default_size(SIDE_DEFAULT_W)
            .size_range(220.0..=640.0)
            .show_collapsible(ui, &mut open, |ui| {
                egui::ScrollArea::both()
                    .id_salt("side-scroll")
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.side_panel_contents_ui(ui));
            });
        self.panels.side = open;
    }

    fn side_panel_contents_ui(&mut self, ui: &mut Ui) {
        egui::CollapsingHeader::new(egui::RichText::new("Story").heading())
            .id_salt("story")
            .default_open(false)
            .show(ui, |ui| self.story_ui(ui));
        egui::CollapsingHeader::new(egui::RichText::new("Suggest alignments").heading())
            .id_salt("suggest")
            .default_open(false)
            .show(ui, |ui| self.suggest_ui(ui));
        ui.heading("Alignments");
        let commands = alignments_panel_ui(
            ui,
            self.doc.scenario(),
            self.sketch.selected,
            self.rail_graph.as_deref(),
            self.sketch
                .selected
                .and_then(|id| self.ledgers.get(id))
                .map(|l| l.existing_m),
        );
        self.queue_commands(commands);
        if let (Some(selected), Some(atlas)) = (self.selected, self.atlas.clone()) {
            ui.separator();
            if inspector_ui(ui, &atlas, selected) == Some(InspectorAction::Close) {
                self.selected = None;
            }
        }
    }

    pub(super) fn map_panel_ui(&mut self, ui: &mut Ui) {
        let mut attribution = ATTRIBUTION.to_owned();
        let extra = self.basemaps.attribution();
        if !extra.is_empty() {
            attribution = format!("{extra} · {attribution}");
        }
        let inputs = MapInputs {
            atlas: self.atlas.as_deref(),
            layers: &self.layers,
            selected: self.selected,
            hovered: self.hovered,
            attribution: &attribution,
            dark: self.basemaps.is_dark(),
            scenario: self.doc.scenario(),
            presenting: None,
            ledgers: Some(&self.ledgers),
            marker: self
                .compare
                .profile_hover_m
                .zip(self.sketch.selected.and_then(|id| self.ledgers.get(id)))
                .and_then(|(m, l)| l.position_at(m)),
        };
        let rect = ui.available_rect_before_wrap();
        let out = map_ui(
            ui,
            &mut self.map,
            &mut self.basemaps,
            &mut self.layer_tiles,
            &mut self.sketch,
            &inputs,
        );
        self.queue_commands(out.commands);
        self.hovered = out.hovered;
        self.pointer_lonlat = out.pointer_lonlat;
        self.map_chainage_m = self.chainage_under_pointer();
        match out.clicked {
            Some(Click::Feature(r)) => self.selected = Some(r),
            Some(Click::Empty) => self.selected = None,
            None => {}
        }
        if let Some(note) =
            super::tiles::overzoom_note(self.map.zoom(), self.basemaps.detail_zoom())
        {
            overzoom_note_ui(ui, rect, &note);
        }
        if let Some(p) = &self.progress {
            super::chrome::loading_overlay_ui(ui, rect, p);
        } else if self.atlas.is_some() && !self.announced_first_map {
            // The smoke test waits for this line before taking its screenshot.
            self.announced_first_map = true;
            eprintln!(
                "corridor-atlas: map ready ({} layers) after {:.2} s",
                self.layers.len(),
                self.started.elapsed().as_secs_f64()
            );
        }
    }
}

/// The basemap's "no more detail" note, in the map's bottom-left corner above the
/// attribution.
fn overzoom_note_ui(ui: &mut Ui, map: egui::Rect, note: &str) {
    let area = egui::Rect::from_min_size(
        map.left_bottom() + egui::vec2(8.0, -58.0),
        egui::vec2((map.width() - 16.0).min(560.0), 30.0),
    );
    let mut child = ui.new_child(egui::UiBuilder::new().max_rect(area));
    egui::Frame::popup(child.style()).show(&mut child, |ui| {
        ui.add(egui::Label::new(egui::RichText::new(note).small()).truncate());
    });
}
