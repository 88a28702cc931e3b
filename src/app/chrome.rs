//! The window's chrome: menus, toolbar, keys, the imports and status bars, modal questions,
//! the ruler window, the help window and the loading overlay.

use egui::{Key, Ui};
use walkers::lon_lat;

use corridor_domain::atlas::bundled::LoadProgress;
use corridor_domain::map::mercator::{lonlat_from_world, world_from_lonlat};
use corridor_domain::plan::scenario::edit::Edit;
use corridor_domain::plan::scenario::history::{Document, UndoGroup};
use corridor_domain::plan::scenario::model::Vertex;

use super::command::Command;
use super::document::{Modal, Pending};
use super::files::DialogPurpose;
use super::sketch::Tool;
use super::{AtlasApp, EXAMPLE_NAME};

impl AtlasApp {
    pub(super) fn modal_ui(&mut self, ctx: &egui::Context) {
        let Some(modal) = self.modal.take() else {
            return;
        };
        let mut keep = true;
        match modal {
            Modal::Recovery(mut copies) => {
                /// What the user clicked for one copy.
                enum Choice {
                    Recover(usize),
                    Discard(usize),
                    Later,
                }
                let mut choice = None;
                egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
                    ui.heading("Restore unsaved work?");
                    ui.label(if copies.len() == 1 {
                        "A Corridor Atlas window was closed with unsaved changes:".to_owned()
                    } else {
                        format!(
                            "{} Corridor Atlas windows were closed with unsaved changes:",
                            copies.len()
                        )
                    });
                    egui::Grid::new("recovery-copies")
                        .num_columns(3)
                        .show(ui, |ui| {
                            for (i, r) in copies.iter().enumerate() {
                                ui.label(describe_recovered(r));
                                if ui.button("Recover").clicked() {
                                    choice = Some(Choice::Recover(i));
                                }
                                if ui.button("Discard").clicked() {
                                    choice = Some(Choice::Discard(i));
                                }
                                ui.end_row();
                            }
                        });
                    if ui.button("Decide later").clicked() {
                        choice = Some(Choice::Later);
                    }
                });
                match choice {
                    Some(Choice::Recover(i)) if i < copies.len() => {
                        let r = copies.remove(i);
                        self.files.adopt_recovered(ctx, &r);
                        self.replace_document(Document::recovered(r.scenario, r.source_path));
                        // One document per window: the other copies stay on disk and are
                        // offered again at the next start.
                        self.status = Some(if copies.is_empty() {
                            "Restored unsaved work from the recovery copy.".to_owned()
                        } else {
                            format!(
                                "Restored unsaved work; {} other recovery copies are kept and offered at the next start.",
                                copies.len()
                            )
                        });
                        keep = false;
                    }
                    Some(Choice::Discard(i)) if i < copies.len() => {
                        let r = copies.remove(i);
                        self.files.discard_recovered(ctx, r.copy_path);
                        if copies.is_empty() {
                            keep = false;
                        } else {
                            self.modal = Some(Modal::Recovery(copies));
                        }
                    }
                    Some(Choice::Later) => keep = false,
                    _ => self.modal = Some(Modal::Recovery(copies)),
                }
            }
            Modal::UnsavedChanges(action) => {
                let name = self
                    .doc
                    .path
                    .as_ref()
                    .map_or_else(|| "this scenario".to_owned(), |p| p.display().to_string());
                let mut choice = None;
                egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
                    ui.heading("Unsaved changes");
                    ui.label(format!("Save the changes to {name} first?"));
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            choice = Some(0);
                        }
                        if ui.button("Don't save").clicked() {
                            choice = Some(1);
                        }
                        if ui.button("Cancel").clicked() {
                            choice = Some(2);
                        }
                    });
                });
                match choice {
                    Some(0) => {
                        self.after_save = Some(action);
                        self.save(ctx);
                        keep = false;
                    }
                    Some(1) => {
                        if action != Pending::Quit {
                            self.files.clear_recovery();
                        }
                        self.perform(ctx, action);
                        keep = false;
                    }
                    Some(2) => keep = false,
                    _ => self.modal = Some(Modal::UnsavedChanges(action)),
                }
            }
        }
        let _ = keep;
    }

    pub(super) fn handle_keys(&mut self, ui: &Ui) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let (zoom_in, zoom_out, home, esc, pan) = ui.input(|i| {
            let pan_step = 120.0_f64;
            let mut pan = [0.0, 0.0];
            if i.key_pressed(Key::ArrowLeft) {
                pan[0] -= pan_step;
            }
            if i.key_pressed(Key::ArrowRight) {
                pan[0] += pan_step;
            }
            if i.key_pressed(Key::ArrowUp) {
                pan[1] -= pan_step;
            }
            if i.key_pressed(Key::ArrowDown) {
                pan[1] += pan_step;
            }
            (
                i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals),
                i.key_pressed(Key::Minus),
                i.key_pressed(Key::Home),
                i.key_pressed(Key::Escape),
                pan,
            )
        });
        if zoom_in {
            self.map.zoom_by(1.0);
        }
        if zoom_out {
            self.map.zoom_by(-1.0);
        }
        if home {
            self.map.fit_pending = true;
        }
        if esc && self.sketch.tool == Tool::Select {
            self.selected = None;
            self.sketch.selected = None;
        }
        let (undo, redo, tool_key) = ui.input(|i| {
            let cmd = i.modifiers.command;
            let undo = cmd && !i.modifiers.shift && i.key_pressed(Key::Z);
            let redo =
                cmd && ((i.modifiers.shift && i.key_pressed(Key::Z)) || i.key_pressed(Key::Y));
            let tool = if i.modifiers.is_none() {
                Tool::ALL.into_iter().find(|t| i.key_pressed(t.key()))
            } else {
                None
            };
            (undo, redo, tool)
        });
        let (save, save_as, open, find) = ui.input(|i| {
            let cmd = i.modifiers.command;
            (
                cmd && !i.modifiers.shift && i.key_pressed(Key::S),
                cmd && i.modifiers.shift && i.key_pressed(Key::S),
                cmd && i.key_pressed(Key::O),
                cmd && i.key_pressed(Key::F),
            )
        });
        if find {
            self.find.open();
        }
        if ui.input(|i| i.key_pressed(Key::F1) || i.key_pressed(Key::Questionmark)) {
            self.show_help = !self.show_help;
        }
        let ctx = ui.ctx().clone();
        if save {
            self.save(&ctx);
        }
        if save_as {
            self.save_as();
        }
        if open {
            self.request(&ctx, Pending::OpenDialog);
        }
        if undo {
            self.queue_commands([Command::Undo]);
        }
        if redo {
            self.queue_commands([Command::Redo]);
        }
        if let Some(t) = tool_key {
            self.sketch.tool = t;
        }
        let (f5, shift) = ui.input(|i| (i.key_pressed(Key::F5), i.modifiers.shift));
        if f5 {
            let from = if shift {
                self.story_selected
                    .and_then(|id| self.doc.scenario().story.index_of(id))
                    .unwrap_or(0)
            } else {
                0
            };
            self.start_presentation(ui.ctx(), from);
            return;
        }
        let commands = self.sketch.keys(ui, self.doc.scenario());
        self.queue_commands(commands);
        if pan != [0.0, 0.0]
            && let Some(c) = self.map.memory.detached()
        {
            let w = world_from_lonlat(c.x(), c.y());
            let per_px = corridor_domain::map::mercator::world_per_px(self.map.zoom());
            let (lon, lat) = lonlat_from_world([w[0] + pan[0] * per_px, w[1] + pan[1] * per_px]);
            self.map.memory.center_at(lon_lat(lon, lat));
        }
    }

    fn toolbar_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            for t in Tool::ALL {
                let hint = match t {
                    Tool::Select => "Select and edit alignments, inspect features (S)",
                    Tool::Draw => "Draw a new alignment: click to add vertices, double-click or Enter to finish, Backspace removes the last vertex, Esc cancels, Alt disables snapping (D)",
                    Tool::Ruler => "Measure geodesic distances without creating an alignment; Esc clears (R)",
                };
                if ui.selectable_label(self.sketch.tool == t, t.label()).on_hover_text(hint).clicked() {
                    self.sketch.tool = t;
                }
            }
            ui.separator();
            if ui.add_enabled(self.doc.can_undo(), egui::Button::new("Undo")).on_hover_text("Ctrl+Z").clicked() {
                self.queue_commands([Command::Undo]);
            }
            if ui.add_enabled(self.doc.can_redo(), egui::Button::new("Redo")).on_hover_text("Ctrl+Shift+Z / Ctrl+Y").clicked() {
                self.queue_commands([Command::Redo]);
            }
        });
    }

    pub(super) fn ruler_window_ui(&mut self, ctx: &egui::Context) {
        if self.sketch.tool != Tool::Ruler || self.sketch.ruler.is_empty() {
            return;
        }
        let points = self.sketch.ruler.clone();
        let segs = corridor_domain::measure::ruler::measure_polyline(&points);
        let mut commands = Vec::new();
        egui::Window::new("Ruler")
            .default_pos(egui::pos2(260.0, 90.0))
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("ruler")
                    .num_columns(4)
                    .striped(true)
                    .show(ui, |ui| {
                        ui.strong("#");
                        ui.strong("Length");
                        ui.strong("Bearing");
                        ui.strong("Total");
                        ui.end_row();
                        for (i, s) in segs.iter().enumerate() {
                            ui.label(format!("{}", i + 1));
                            ui.monospace(corridor_domain::measure::geodesic::format_km(s.length_m));
                            ui.monospace(format!("{:.1}°", s.initial_bearing_deg));
                            ui.monospace(corridor_domain::measure::geodesic::format_km(
                                s.cumulative_m,
                            ));
                            ui.end_row();
                        }
                    });
                let total = segs.last().map_or(0.0, |s| s.cumulative_m);
                ui.strong(format!(
                    "Total {}",
                    corridor_domain::measure::geodesic::format_km(total)
                ));
                ui.label("WGS84 ellipsoid (Karney).");
                ui.horizontal(|ui| {
                    if ui
                        .button("Copy")
                        .on_hover_text("Copy the table (tab-separated)")
                        .clicked()
                    {
                        ui.ctx()
                            .copy_text(corridor_domain::measure::ruler::ruler_table_text(&points));
                    }
                    if ui
                        .add_enabled(points.len() >= 2, egui::Button::new("Make alignment"))
                        .clicked()
                    {
                        let vertices = points
                            .iter()
                            .map(|&(lon, lat)| Vertex::new(lon, lat))
                            .collect();
                        commands.push(Command::CreateAlignment(vertices));
                    }
                    if ui.button("Clear").clicked() {
                        self.sketch.ruler.clear();
                    }
                });
            });
        if !commands.is_empty() {
            self.sketch.ruler.clear();
            self.queue_commands(commands);
        }
    }

    pub(super) fn menu_bar_ui(&mut self, ui: &mut Ui) {
        // Menus and tools share one row: every point of height goes to the map.
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                self.menus_ui(ui);
                ui.separator();
                self.toolbar_ui(ui);
            });
        });
    }

    fn menus_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        ui.menu_button("File", |ui| {
            if ui.button("New scenario").clicked() {
                self.request(&ctx, Pending::New);
                ui.close();
            }
            if ui
                .add(egui::Button::new("Open…").shortcut_text("Ctrl+O"))
                .clicked()
            {
                self.request(&ctx, Pending::OpenDialog);
                ui.close();
            }
            ui.menu_button("Open recent", |ui| {
                if self.files.recent.is_empty() {
                    ui.label("No recent files");
                }
                for path in self.files.recent.clone() {
                    if ui.button(path.display().to_string()).clicked() {
                        self.request(&ctx, Pending::Open(path));
                        ui.close();
                    }
                }
            });
            ui.menu_button("Examples", |ui| {
                if ui.button(EXAMPLE_NAME).clicked() {
                    self.request(&ctx, Pending::Example);
                    ui.close();
                }
            });
            ui.separator();
            if ui
                .add(egui::Button::new("Save").shortcut_text("Ctrl+S"))
                .clicked()
            {
                self.save(&ctx);
                ui.close();
            }
            if ui
                .add(egui::Button::new("Save as…").shortcut_text("Ctrl+Shift+S"))
                .clicked()
            {
                self.save_as();
                ui.close();
            }
            ui.separator();
            let has_alternatives = !self.doc.scenario().alignments.is_empty();
            ui.add_enabled_ui(has_alternatives, |ui| {
                ui.menu_button("Export alternatives", |ui| {
                    for format in corridor_domain::plan::exchange::ExportFormat::ALL {
                        if ui
                            .button(format!("{}…", format.label()))
                            .on_hover_text(export_hint(format))
                            .clicked()
                        {
                            let dir = self.doc.path.clone();
                            self.files.show_dialog(
                                DialogPurpose::ExportAlternatives(format),
                                dir.as_deref(),
                            );
                            ui.close();
                        }
                    }
                });
            });
            if ui
                .add_enabled(
                    !self.doc.scenario().story.slides.is_empty(),
                    egui::Button::new("Export slides as PNG…"),
                )
                .clicked()
            {
                self.files.show_dialog(DialogPurpose::Slides, None);
                ui.close();
            }
            if ui
                .add_enabled(
                    !self.doc.scenario().story.slides.is_empty(),
                    egui::Button::new("Export story as PDF…"),
                )
                .on_hover_text("One page per slide with its presenter notes: a deck to send")
                .clicked()
            {
                self.files.show_dialog(DialogPurpose::Deck, None);
                ui.close();
            }
            if ui
                .button("Open elevation tiles (SRTM .hgt folder)…")
                .on_hover_text("A finer DEM for profiles, grades and costs than the bundled ETOPO5")
                .clicked()
            {
                self.files.show_dialog(DialogPurpose::Dem, None);
                ui.close();
            }
            if ui
                .button("Open elevation GeoTIFF…")
                .on_hover_text("A single-band GeoTIFF DEM in lon/lat degrees (EPSG:4326)")
                .clicked()
            {
                self.files.show_dialog(DialogPurpose::DemTiff, None);
                ui.close();
            }
            if ui
                .button("Import GeoJSON layer or KML/GPX lines…")
                .on_hover_text("GeoJSON becomes a map layer; the lines of a KML or GPX file become alternatives")
                .clicked()
            {
                self.files.show_dialog(DialogPurpose::Import, None);
                ui.close();
            }
            ui.separator();
            if ui.button("Quit").clicked() {
                self.request(&ctx, Pending::Quit);
                ui.close();
            }
        });
        ui.menu_button("View", |ui| {
            if ui.add(egui::Button::new("Whole corridor region").shortcut_text("Home")).clicked() {
                self.map.fit_pending = true;
                ui.close();
            }
            super::find::menu_entry(ui, &mut self.find);
            ui.separator();
            ui.checkbox(&mut self.panels.layers, "Layer panel");
            ui.checkbox(&mut self.panels.side, "Side panel");
            ui.checkbox(&mut self.panels.compare, "Compare panel");
            ui.separator();
            let mut settings = self.doc.scenario().settings.clone();
            ui.horizontal(|ui| {
                ui.label("Snap tolerance");
                ui.add(egui::DragValue::new(&mut settings.snap_tolerance_px).range(0.0..=60.0).suffix(" px"))
                    .on_hover_text("How close the cursor must come to a place or a rail line for a vertex to snap (Alt: no snapping)");
            });
            if settings != self.doc.scenario().settings {
                // One undo step per dragging of the value.
                self.queue_commands([Command::Edit { edit: Edit::SetSettings(settings), group: Some(UndoGroup::ScenarioSettings) }]);
            }
        });
        ui.menu_button("Basemap", |ui| self.basemaps.menu_ui(ui));
        ui.menu_button("Help", |ui| {
            if ui
                .add(egui::Button::new("Keyboard and mouse").shortcut_text("F1"))
                .clicked()
            {
                self.show_help = true;
                ui.close();
            }
        });
    }

    /// Imports in progress: what is read so far, a progress bar and Cancel. The map stays
    /// usable meanwhile, and the parts already read are on it.
    pub(super) fn imports_ui(&mut self, ui: &mut Ui) {
        if self.files.imports.is_empty() {
            return;
        }
        let mut cancel = None;
        egui::Panel::bottom("imports").show(ui, |ui| {
            for job in &self.files.imports {
                ui.horizontal(|ui| {
                    let cancelling = job
                        .progress
                        .cancel
                        .load(std::sync::atomic::Ordering::Relaxed);
                    ui.label(format!(
                        "{} {}",
                        if cancelling {
                            "Cancelling"
                        } else {
                            "Importing"
                        },
                        job.describe()
                    ));
                    ui.add(
                        egui::ProgressBar::new(job.fraction())
                            .desired_width(240.0)
                            .show_percentage(),
                    );
                    if ui
                        .add_enabled(!cancelling, egui::Button::new("Cancel import"))
                        .clicked()
                    {
                        cancel = Some(job.id.clone());
                    }
                });
            }
        });
        if let Some(id) = cancel {
            self.cancel_import(&id);
        }
        // The bars move a few times a second: a repaint every frame would keep the UI thread
        // painting through the whole import (see `jobs::STREAM_REPAINT`).
        ui.ctx()
            .request_repaint_after(crate::app::jobs::STREAM_REPAINT);
    }

    pub(super) fn status_bar_ui(&mut self, ui: &mut Ui) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                match self.pointer_lonlat {
                    Some((lon, lat)) => ui.monospace(format!("{lat:>8.4}° N {lon:>9.4}° E")),
                    None => ui.monospace(format!("{:>29}", "")),
                };
                ui.separator();
                ui.monospace(format!("zoom {:.1}", self.map.zoom()));
                ui.separator();
                if let (Some(h), Some(atlas)) = (self.hovered, self.atlas.as_deref())
                    && let Some(l) = atlas.layers.get(h.layer)
                {
                    ui.label(format!("{} — {}", l.describe(h.feature), l.title));
                    ui.separator();
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    self.panel_toggles_ui(ui);
                    if let Some(s) = &self.status {
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(s).color(ui.visuals().warn_fg_color),
                            )
                            .truncate(),
                        )
                        .on_hover_text(s);
                    }
                    // `CORRIDOR_ATLAS_FRAME_TIMES=1`: the last summary, in the bar so it covers
                    // neither the map's attribution nor a panel.
                    if let Some(line) = self.frame_times.summary() {
                        ui.add(
                            egui::Label::new(egui::RichText::new(line).small().monospace())
                                .truncate(),
                        );
                    }
                });
            });
        });
    }
}

impl AtlasApp {
    /// Open or fold the panels around the map, at the right end of the status bar (right to
    /// left). Compare says how many alternatives it would show.
    fn panel_toggles_ui(&mut self, ui: &mut Ui) {
        let n = self.doc.scenario().alignments.len();
        ui.toggle_value(&mut self.panels.compare, format!("Compare ({n})"))
            .on_hover_text("Show or fold the comparison of the alternatives");
        ui.toggle_value(&mut self.panels.side, "Side panel")
            .on_hover_text("Story, suggestions, alignments and the inspector");
        ui.toggle_value(&mut self.panels.layers, "Layer list")
            .on_hover_text("The layers and their legend");
        ui.separator();
    }
}

/// "plan.geojson (~/work), 6 alignments, autosaved 3 min ago" for the recovery prompt.
fn describe_recovered(r: &corridor_domain::plan::scenario::recovery::Recovered) -> String {
    let when = r.saved_at.elapsed().map_or_else(
        |_| "just now".to_owned(),
        |d| match d.as_secs() / 60 {
            0 => "less than a minute ago".to_owned(),
            1 => "1 min ago".to_owned(),
            m => format!("{m} min ago"),
        },
    );
    let source = r.source_path.as_ref().map_or_else(
        || "an unsaved scenario".to_owned(),
        |p| match (p.file_name(), p.parent()) {
            (Some(name), Some(dir)) => {
                format!("{} ({})", name.to_string_lossy(), dir.display())
            }
            _ => p.display().to_string(),
        },
    );
    format!(
        "{source}, {} alignments, autosaved {when}",
        r.scenario.alignments.len()
    )
}

pub(super) fn loading_overlay_ui(ui: &mut Ui, rect: egui::Rect, p: &LoadProgress) {
    let area = egui::Rect::from_center_size(rect.center(), egui::vec2(320.0, 70.0));
    let mut child = ui.new_child(egui::UiBuilder::new().max_rect(area));
    egui::Frame::popup(child.style()).show(&mut child, |ui| {
        ui.label(format!("Loading bundled geodata: {}", p.current));
        let fraction = if p.total == 0 {
            0.0
        } else {
            p.done as f32 / p.total as f32
        };
        ui.add(egui::ProgressBar::new(fraction).show_percentage());
    });
}

/// What an export format is for, on its menu entry.
fn export_hint(format: corridor_domain::plan::exchange::ExportFormat) -> &'static str {
    use corridor_domain::plan::exchange::ExportFormat;
    match format {
        ExportFormat::Kml => "Google Earth: styled lines, ledger figures in each placemark",
        ExportFormat::Gpkg => "QGIS: one layer of lines with the ledger figures as columns",
        ExportFormat::Gpx => "GPS and track tools: one track per alternative",
        ExportFormat::Csv => "Every vertex with its geodesic chainage_m",
    }
}
