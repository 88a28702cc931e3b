//! The egui layer: a thin shell that shows the domain and turns input into domain calls.
//!
//! Layout: menu bar (top), status bar (bottom), layer panel (left), feature inspector (right,
//! when something is selected), map (centre). The bundled data loads on a background thread;
//! the window is responsive from the first frame and shows progress until it arrives.

pub mod inspector;
pub mod layers_panel;
pub mod map_view;
pub mod paint;
pub mod tiles;

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Instant;

use egui::{Key, Ui};
use serde::{Deserialize, Serialize};
use walkers::lon_lat;

use crate::domain::bundled::{ATTRIBUTION, LoadProgress};
use crate::domain::mercator::{lonlat_from_world, world_from_lonlat};
use crate::domain::{Atlas, FeatureRef};
use inspector::{InspectorAction, inspector_ui};
use layers_panel::layers_panel_ui;
use map_view::{MapInputs, MapState, map_ui};
use tiles::{BasemapSettings, Basemaps};

/// Window title.
pub const APP_NAME: &str = "Corridor Atlas";

/// Key under which settings are persisted by eframe.
const SETTINGS_KEY: &str = "corridor-atlas-settings";

/// How one layer is shown (view state, persisted between runs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerUi {
    pub id: String,
    pub visible: bool,
    pub opacity: f32,
}

/// Layers that duplicate what the embedded basemap already paints start hidden.
fn default_visible(id: &str) -> bool {
    !matches!(id, "world_land" | "land" | "lakes")
}

/// Settings that survive a restart.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Persisted {
    layers: Vec<LayerUi>,
    basemap: BasemapSettings,
}

enum LoadMsg {
    Progress(LoadProgress),
    Done(Arc<Atlas>),
}

/// The application state.
pub struct AtlasApp {
    atlas: Option<Arc<Atlas>>,
    loader: Option<Receiver<LoadMsg>>,
    progress: Option<LoadProgress>,
    layers: Vec<LayerUi>,
    /// Layer settings restored from disk, applied when the atlas arrives.
    restored_layers: Vec<LayerUi>,
    map: MapState,
    basemaps: Basemaps,
    hovered: Option<FeatureRef>,
    selected: Option<FeatureRef>,
    pointer_lonlat: Option<(f64, f64)>,
    status: Option<String>,
    show_layers: bool,
    show_help: bool,
    started: Instant,
    announced_first_map: bool,
}

impl AtlasApp {
    /// Start the app: restore settings, start loading the bundled data in the background.
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>) -> Self {
        let persisted: Persisted = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        let mut app = Self::empty(&cc.egui_ctx, persisted);
        let (tx, rx) = std::sync::mpsc::channel();
        let ctx = cc.egui_ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("load-geodata".into())
            .spawn(move || {
                let atlas = Atlas::load_bundled_with_progress(|p| {
                    let _ = tx.send(LoadMsg::Progress(p));
                    ctx.request_repaint();
                });
                let _ = tx.send(LoadMsg::Done(Arc::new(atlas)));
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => app.loader = Some(rx),
            Err(e) => app.status = Some(format!("Could not start loading the bundled data: {e}")),
        }
        app
    }

    /// An app with the atlas already loaded (tests, benchmarks, headless rendering).
    #[must_use]
    pub fn with_atlas(ctx: &egui::Context, atlas: Arc<Atlas>) -> Self {
        let mut app = Self::empty(ctx, Persisted::default());
        app.set_atlas(atlas);
        app
    }

    fn empty(ctx: &egui::Context, persisted: Persisted) -> Self {
        Self {
            atlas: None,
            loader: None,
            progress: None,
            layers: Vec::new(),
            restored_layers: persisted.layers,
            map: MapState::default(),
            basemaps: Basemaps::new(ctx, persisted.basemap),
            hovered: None,
            selected: None,
            pointer_lonlat: None,
            status: None,
            show_layers: true,
            show_help: false,
            started: Instant::now(),
            announced_first_map: false,
        }
    }

    fn set_atlas(&mut self, atlas: Arc<Atlas>) {
        self.layers = atlas
            .layers
            .iter()
            .map(|l| {
                self.restored_layers
                    .iter()
                    .find(|r| r.id == l.id)
                    .cloned()
                    .unwrap_or_else(|| LayerUi {
                        id: l.id.clone(),
                        visible: default_visible(&l.id),
                        opacity: 1.0,
                    })
            })
            .collect();
        if !atlas.problems.is_empty() {
            let list: Vec<String> = atlas.problems.iter().map(ToString::to_string).collect();
            self.status = Some(format!(
                "Some bundled data could not be loaded: {}",
                list.join("; ")
            ));
        }
        self.basemaps.set_atlas(Arc::clone(&atlas));
        self.atlas = Some(atlas);
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

    /// The map state (tests use it to place the view).
    pub fn map_state_mut(&mut self) -> &mut MapState {
        &mut self.map
    }

    fn poll_loader(&mut self) {
        let Some(rx) = &self.loader else { return };
        loop {
            match rx.try_recv() {
                Ok(LoadMsg::Progress(p)) => self.progress = Some(p),
                Ok(LoadMsg::Done(atlas)) => {
                    self.loader = None;
                    self.progress = None;
                    self.set_atlas(atlas);
                    break;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.loader = None;
                    self.status = Some("Loading the bundled data stopped unexpectedly.".into());
                    break;
                }
            }
        }
    }

    fn handle_keys(&mut self, ui: &Ui) {
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
        if esc {
            self.selected = None;
        }
        if pan != [0.0, 0.0]
            && let Some(c) = self.map.memory.detached()
        {
            let w = world_from_lonlat(c.x(), c.y());
            let per_px = crate::domain::mercator::world_per_px(self.map.zoom());
            let (lon, lat) = lonlat_from_world([w[0] + pan[0] * per_px, w[1] + pan[1] * per_px]);
            self.map.memory.center_at(lon_lat(lon, lat));
        }
    }

    /// The whole window. Separate from `eframe::App::ui` so tests can drive it.
    pub fn ui_root(&mut self, ui: &mut Ui) {
        self.poll_loader();
        self.handle_keys(ui);
        if let Some(msg) = self.basemaps.take_status() {
            self.status = Some(msg);
        }
        self.menu_bar_ui(ui);
        self.status_bar_ui(ui);
        if self.show_layers
            && let Some(atlas) = self.atlas.clone()
        {
            egui::Panel::left("layers")
                .resizable(true)
                .default_size(230.0)
                .show(ui, |ui| {
                    ui.heading("Layers");
                    layers_panel_ui(ui, &atlas, &mut self.layers);
                });
        }
        if let (Some(selected), Some(atlas)) = (self.selected, self.atlas.clone()) {
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(300.0)
                .show(ui, |ui| {
                    if inspector_ui(ui, &atlas, selected) == Some(InspectorAction::Close) {
                        self.selected = None;
                    }
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| self.map_panel_ui(ui));
        if self.show_help {
            help_window_ui(ui.ctx(), &mut self.show_help);
        }
    }

    fn map_panel_ui(&mut self, ui: &mut Ui) {
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
        };
        let rect = ui.available_rect_before_wrap();
        let out = map_ui(ui, &mut self.map, &mut self.basemaps, &inputs);
        self.hovered = out.hovered;
        self.pointer_lonlat = out.pointer_lonlat;
        if let Some(clicked) = out.clicked {
            self.selected = clicked;
        }
        if let Some(p) = &self.progress {
            loading_overlay_ui(ui, rect, p);
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

    fn menu_bar_ui(&mut self, ui: &mut Ui) {
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button("File", |ui| {
                    if ui.button("Quit").clicked() {
                        ui.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                });
                ui.menu_button("View", |ui| {
                    if ui.button("Whole corridor region (Home)").clicked() {
                        self.map.fit_pending = true;
                        ui.close();
                    }
                    ui.checkbox(&mut self.show_layers, "Layer panel");
                });
                ui.menu_button("Basemap", |ui| self.basemaps.menu_ui(ui));
                ui.menu_button("Help", |ui| {
                    if ui.button("Keyboard and mouse").clicked() {
                        self.show_help = true;
                        ui.close();
                    }
                });
            });
        });
    }

    fn status_bar_ui(&mut self, ui: &mut Ui) {
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
                    && let (Some(f), Some(l)) = (atlas.feature(h), atlas.layers.get(h.layer))
                {
                    ui.label(format!("{} — {}", f.name().unwrap_or("(unnamed)"), l.title));
                    ui.separator();
                }
                if let Some(s) = &self.status {
                    ui.colored_label(ui.visuals().warn_fg_color, s);
                }
            });
        });
    }
}

fn loading_overlay_ui(ui: &mut Ui, rect: egui::Rect, p: &LoadProgress) {
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

fn help_window_ui(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard and mouse")
        .open(open)
        .show(ctx, |ui| {
            egui::Grid::new("keys").num_columns(2).show(ui, |ui| {
                for (k, what) in [
                    ("Drag", "pan the map"),
                    ("Wheel / + / −", "zoom"),
                    ("Double-click", "zoom in"),
                    ("Arrow keys", "pan"),
                    ("Home", "whole corridor region"),
                    ("Click", "inspect a feature"),
                    ("Esc", "close the inspector"),
                ] {
                    ui.strong(k);
                    ui.label(what);
                    ui.end_row();
                }
            });
        });
}

impl eframe::App for AtlasApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        let persisted = Persisted {
            layers: self.layers.clone(),
            basemap: self.basemaps.settings(),
        };
        eframe::set_value(storage, SETTINGS_KEY, &persisted);
    }
}
