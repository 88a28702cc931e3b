//! The egui layer: a thin shell that shows the domain and turns input into domain calls.
//!
//! Layout: menu bar (top), status bar (bottom), compare panel (bottom), layer panel (left),
//! side panel (right: story, suggest, alignments, inspector), map (centre). The bundled data
//! loads on a background thread; the window is responsive from the first frame and shows
//! progress until it arrives.
//!
//! `AtlasApp` is split by concern, one file each: [`command`] (what panels ask for), `apply`
//! (the one place the queue is applied), `atlas_lifecycle` (loading, imports, track indexes), `document`
//! (new/open/save and file events), `chrome` (menus, keys, bars, modals, ruler and help
//! windows), `layout` (the panels), `presentation` and the suggest glue in [`suggest_panel`].
//! This file holds the state and the frame loop, [`AtlasApp::ui_root`].

mod access;
pub mod alignment_panel;
pub mod allocator;
mod apply;
mod atlas_lifecycle;
mod chrome;
pub mod command;
pub mod compare;
pub mod comparison_slide;
pub mod curves_view;
pub mod dialogs;
mod document;
mod engineering_view;
pub mod files;
pub mod find;
mod fonts;
pub mod frame_times;
pub mod frozen_table;
pub mod help;
pub mod inspector;
pub mod jobs;
pub mod layers_panel;
mod layout;
pub mod map_view;
mod monitors;
pub mod paint;
pub mod present;
mod presentation;
pub mod presenter_view;
pub mod sketch;
pub mod story_panel;
pub mod suggest_panel;
pub mod tiles;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use egui::Ui;
use serde::{Deserialize, Serialize};

use corridor_domain::atlas::bundled::LoadProgress;
use corridor_domain::measure::ledger::LedgerContext;
use corridor_domain::plan::scenario::history::Document;
use corridor_domain::plan::scenario::story::SlideId;
use corridor_domain::plan::trace::RailGraph;
use corridor_domain::{Atlas, FeatureRef};

use command::Command;
use compare::{ComparePanel, LedgerCache};
use files::Files;
pub use layers_panel::LayerUi;
use map_view::MapState;
use present::Presenter;
use sketch::Sketch;
use tiles::{BasemapSettings, Basemaps};

/// Window title.
pub const APP_NAME: &str = "Corridor Atlas";

/// Key under which settings are persisted by eframe.
const SETTINGS_KEY: &str = "corridor-atlas-settings";

/// Layers that duplicate what the embedded basemap already paints start hidden (the same rule
/// the headless slide renderer uses).
fn default_visible(id: &str) -> bool {
    corridor_domain::draw::render::layer_visible_by_default(id)
}

/// Settings that survive a restart.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct Persisted {
    layers: Vec<LayerUi>,
    basemap: BasemapSettings,
    recent_files: Vec<PathBuf>,
    /// False until the first start has opened the example scenario.
    example_shown: bool,
    panels: PanelsOpen,
    /// Where the user last put the presenter view.
    presenter_window: Option<presenter_view::Place>,
}

/// Which panels around the map are open, remembered across restarts. By default the layers
/// and the side panel are open and Compare is folded into the status bar, so the map gets
/// well over half of a 1280×800 window (the `app_layout` test holds it to ≥ 55 %).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PanelsOpen {
    /// The layer list (left).
    pub layers: bool,
    /// Story, suggestions, alignments and the inspector (right).
    pub side: bool,
    /// The comparison table, chart, profile and ledger (bottom).
    pub compare: bool,
}

impl Default for PanelsOpen {
    fn default() -> Self {
        Self {
            layers: true,
            side: true,
            compare: false,
        }
    }
}

/// The bundled example scenario: the corridor options the region is debating.
pub const EXAMPLE_SCENARIO: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/examples/corridor-options.geojson"
));
/// Its name in the Examples menu.
pub const EXAMPLE_NAME: &str = "Corridor options: Central Asia to the Arabian Sea";

/// The application state.
pub struct AtlasApp {
    /// The context background jobs wake when they report.
    egui_ctx: egui::Context,
    atlas: Option<Arc<Atlas>>,
    loader: Option<jobs::Job<atlas_lifecycle::LoadMsg>>,
    progress: Option<LoadProgress>,
    layers: Vec<LayerUi>,
    /// Layer settings restored from disk, applied when the atlas arrives.
    restored_layers: Vec<LayerUi>,
    /// Visibility and opacity of layers dropped for a re-import, for their new parts.
    reimported_ui: Vec<LayerUi>,
    map: MapState,
    basemaps: Basemaps,
    /// Large layers drawn from cached tiles.
    layer_tiles: tiles::layer_tiles::LayerTiles,
    /// A file named on the command line, opened once the map has loaded.
    pending_open: Option<PathBuf>,
    hovered: Option<FeatureRef>,
    selected: Option<FeatureRef>,
    pointer_lonlat: Option<(f64, f64)>,
    status: Option<String>,
    /// A basemap failure put in `status`, and the source generation it belongs to.
    basemap_status_of: Option<(u64, String)>,
    panels: PanelsOpen,
    show_help: bool,
    started: Instant,
    announced_first_map: bool,
    doc: Document,
    /// What panels and tools asked for this frame, applied by [`AtlasApp::apply_pending`].
    pending_commands: Vec<Command>,
    sketch: Sketch,
    rail_graph: Option<Arc<RailGraph>>,
    files: Files,
    modal: Option<document::Modal>,
    /// Run after the next successful save (Save before quitting / opening).
    after_save: Option<document::Pending>,
    quit_confirmed: bool,
    example_shown: bool,
    /// The window title last sent (file name and unsaved mark), so it is sent on change only.
    shown_title: String,
    ledger_ctx: Option<Arc<LedgerContext>>,
    /// The trace network and ledger context being rebuilt (track layers changed, or the
    /// atlas arrived without them).
    track_index: Option<jobs::Job<atlas_lifecycle::TrackIndex>>,
    /// When to hand freed memory back to the OS (`allocator`): a moment after an import ends
    /// or a layer goes, once its tiles and track index have let go of it.
    give_back_at: Option<std::time::Instant>,
    /// A "Follow existing track" being traced on a worker thread.
    follow: Option<apply::FollowJob>,
    ledgers: LedgerCache,
    compare: ComparePanel,
    /// Where the map pointer is along the selected alternative (m).
    map_chainage_m: Option<f64>,
    presenter: Presenter,
    /// The slide the story editor shows.
    story_selected: Option<SlideId>,
    /// Slide to fly to once the presentation's first frame knows the window size.
    pending_slide: Option<usize>,
    /// Show the presenter view (notes, next slide, timer) in a second window. Set when a
    /// presentation starts (shown on another screen, hidden on one screen), toggled by P.
    pub show_presenter_view: bool,
    presenter_view: presenter_view::PresenterView,
    suggest: suggest_panel::SuggestPanel,
    /// Frame work times, when `CORRIDOR_ATLAS_FRAME_TIMES` asks for them.
    frame_times: frame_times::FrameTimes,
    /// The find-a-place box (Ctrl+F).
    find: find::FindPlace,
}

impl AtlasApp {
    /// Start the app: restore settings, start loading the bundled data in the background.
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>) -> Self {
        let persisted: Persisted = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        let first_start = !persisted.example_shown;
        let mut app = Self::empty(&cc.egui_ctx, persisted, Files::default_recovery_store());
        app.files.check_recovery(&cc.egui_ctx);
        if first_start {
            app.perform(&cc.egui_ctx, document::Pending::Example);
        }
        app.start_loading();
        app
    }

    /// An app with the atlas already loaded (tests, benchmarks, headless rendering). The
    /// trace network is built on a worker, like after an import.
    #[must_use]
    pub fn with_atlas(ctx: &egui::Context, atlas: Arc<Atlas>) -> Self {
        let mut app = Self::empty(ctx, Persisted::default(), None);
        app.ledger_ctx = Some(Arc::new(LedgerContext::new(&atlas)));
        app.set_atlas(atlas, None);
        app
    }

    fn empty(
        ctx: &egui::Context,
        persisted: Persisted,
        recovery: Option<corridor_domain::plan::scenario::RecoveryStore>,
    ) -> Self {
        fonts::install(ctx);
        dialogs::install_dialog_icons(ctx);
        Self {
            egui_ctx: ctx.clone(),
            atlas: None,
            loader: None,
            progress: None,
            layers: Vec::new(),
            restored_layers: persisted.layers,
            reimported_ui: Vec::new(),
            map: MapState::default(),
            basemaps: Basemaps::new(ctx, persisted.basemap),
            layer_tiles: tiles::layer_tiles::LayerTiles::new(ctx),
            pending_open: None,
            hovered: None,
            selected: None,
            pointer_lonlat: None,
            status: None,
            basemap_status_of: None,
            panels: persisted.panels,
            show_help: false,
            started: Instant::now(),
            announced_first_map: false,
            doc: Document::default(),
            pending_commands: Vec::new(),
            sketch: Sketch::default(),
            rail_graph: None,
            files: Files::new(persisted.recent_files, recovery),
            modal: None,
            after_save: None,
            quit_confirmed: false,
            example_shown: persisted.example_shown,
            shown_title: String::new(),
            ledger_ctx: None,
            track_index: None,
            give_back_at: None,
            follow: None,
            ledgers: LedgerCache::default(),
            compare: ComparePanel::default(),
            map_chainage_m: None,
            presenter: Presenter::default(),
            story_selected: None,
            pending_slide: None,
            show_presenter_view: false,
            presenter_view: presenter_view::PresenterView::new(persisted.presenter_window),
            suggest: suggest_panel::SuggestPanel::default(),
            frame_times: frame_times::FrameTimes::from_env(),
            find: find::FindPlace::default(),
        }
    }

    /// Apply the queued commands, then bring the ledgers up to the document's revision.
    fn settle(&mut self) {
        self.apply_pending();
        if let Some(ctx) = self.ledger_ctx.clone() {
            self.ledgers
                .update(self.doc.revision(), self.doc.scenario(), &ctx);
        }
    }

    /// The whole window, one frame. Separate from `eframe::App::ui` so tests can drive it.
    ///
    /// The order, top to bottom:
    /// 1. poll workers (atlas load, track index, follow-track, suggest, file jobs) — their
    ///    edits are queued;
    /// 2. keys — queued;
    /// 3. settle: apply the queue, refresh the ledgers; everything drawn next sees one
    ///    revision;
    /// 4. chrome and panels, in egui layout order: menu bar, status and imports bars, the
    ///    compare panel's space (reserved, not painted, except on the very first frame), layers,
    ///    side panel, map, ruler — their edits are queued;
    /// 5. settle again, so the compare panel, painted last into its reserved space, shows
    ///    the ledgers of every edit made this frame;
    /// 6. modal questions and help. Edits from 5 and 6 are applied at step 3 next frame.
    ///
    /// Presentation mode settles once after step 1 and draws only the presentation.
    pub fn ui_root(&mut self, ui: &mut Ui) {
        self.adopt_context(ui.ctx());
        // 1. Workers.
        self.poll_loader();
        self.poll_suggestions();
        self.poll_track_index();
        self.poll_give_back();
        self.poll_follow_track();
        if self.atlas.is_some()
            && let Some(path) = self.pending_open.take()
        {
            self.files.dropped(ui.ctx(), path);
        }
        self.handle_file_events(&ui.ctx().clone());
        self.update_title(ui.ctx());
        if let Some(atlas) = &self.atlas {
            let loading: Vec<String> = self.files.imports.iter().map(|j| j.id.clone()).collect();
            self.layer_tiles.sync(atlas, &loading);
        }
        if self.presenter.active {
            self.settle();
            self.presentation_ui(ui);
            return;
        }
        // 2. Keys.
        self.handle_keys(ui);
        // A basemap failure stays in the status bar until the source changes.
        if let Some((g, msg)) = &self.basemap_status_of
            && *g != self.basemaps.source_generation()
        {
            if self.status.as_ref() == Some(msg) {
                self.status = None;
            }
            self.basemap_status_of = None;
        }
        if let Some(msg) = self.basemaps.take_status() {
            self.basemap_status_of = Some((self.basemaps.source_generation(), msg.clone()));
            self.status = Some(msg);
        }
        // 3. One revision for everything drawn next.
        self.settle();
        // 4. Chrome and panels.
        self.menu_bar_ui(ui);
        self.status_bar_ui(ui);
        self.imports_ui(ui);
        let compare_space = self.reserve_compare_panel(ui);
        self.layers_panel_ui(ui);
        self.side_panel_ui(ui);
        egui::CentralPanel::no_frame().show(ui, |ui| self.map_panel_ui(ui));
        self.ruler_window_ui(ui.ctx());
        self.find_ui(ui);
        // 5. This frame's edits, then the compare panel.
        self.settle();
        self.update_title(ui.ctx());
        if let Some(space) = compare_space {
            self.compare_panel_ui(ui, space);
        }
        // 6. Questions and help.
        self.modal_ui(&ui.ctx().clone());
        if self.show_help {
            help::help_window_ui(ui.ctx(), &mut self.show_help);
        }
    }

    /// The find-a-place box over the map; picking a match flies there.
    fn find_ui(&mut self, ui: &Ui) {
        let Some(atlas) = self.atlas.clone() else {
            return;
        };
        let rect = self.map.last_rect.unwrap_or_else(|| ui.max_rect());
        if let Some(target) = self.find.ui(ui.ctx(), rect, &atlas, &self.map) {
            find::fly(&mut self.map, target);
        }
    }

    /// An app built before its window (tests build the state first) made its basemap
    /// textures in another egui context: remake the sources in this one.
    fn adopt_context(&mut self, ctx: &egui::Context) {
        if self.egui_ctx != *ctx {
            self.egui_ctx = ctx.clone();
            fonts::install(ctx);
            dialogs::install_dialog_icons(ctx);
        }
        if self.basemaps.embedded_mut().ctx() != ctx {
            self.basemaps = Basemaps::new(ctx, self.basemaps.settings());
            if let Some(atlas) = &self.atlas {
                self.basemaps.set_atlas(Arc::clone(atlas));
            }
        }
        if self.layer_tiles.ctx() != ctx {
            self.layer_tiles = tiles::layer_tiles::LayerTiles::new(ctx);
        }
    }
}

impl eframe::App for AtlasApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let started = self.frame_times.begin();
        // Looked at before the frame: handlers may consume the key event.
        let key_pressed = started.is_some()
            && ui.ctx().input(|i| {
                i.events
                    .iter()
                    .any(|e| matches!(e, egui::Event::Key { pressed: true, .. }))
            });
        self.ui_root(ui);
        self.frame_times.end(started);
        self.frame_times.note_input(ui.ctx(), key_pressed);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        let persisted = Persisted {
            layers: self.layers.clone(),
            basemap: self.basemaps.settings(),
            recent_files: self.files.recent.clone(),
            example_shown: self.example_shown,
            panels: self.panels,
            presenter_window: self.presenter_view.remembered,
        };
        eframe::set_value(storage, SETTINGS_KEY, &persisted);
    }
}

#[cfg(test)]
mod tests {
    use super::{PanelsOpen, Persisted};

    #[test]
    fn folded_panels_are_remembered_and_old_settings_open_the_default_ones() {
        let p = Persisted {
            panels: PanelsOpen {
                layers: false,
                side: true,
                compare: true,
            },
            ..Persisted::default()
        };
        let text = serde_json::to_string(&p).unwrap();
        let back: Persisted = serde_json::from_str(&text).unwrap();
        assert_eq!(back.panels, p.panels);
        // Settings saved before panels were remembered: layers and side open, Compare folded.
        let old: Persisted = serde_json::from_str(r#"{"example_shown":true}"#).unwrap();
        assert_eq!(
            old.panels,
            PanelsOpen {
                layers: true,
                side: true,
                compare: false
            }
        );
    }
}
