//! The egui layer: a thin shell that shows the domain and turns input into domain calls.
//!
//! Layout: menu bar (top), status bar (bottom), layer panel (left), feature inspector (right,
//! when something is selected), map (centre). The bundled data loads on a background thread;
//! the window is responsive from the first frame and shows progress until it arrives.

pub mod alignment_panel;
pub mod compare;
pub mod files;
pub mod inspector;
pub mod layers_panel;
pub mod map_view;
pub mod paint;
pub mod present;
pub mod sketch;
pub mod story_panel;
pub mod suggest_panel;
pub mod tiles;

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Instant;

use egui::{Key, Ui};
use serde::{Deserialize, Serialize};
use walkers::lon_lat;

use alignment_panel::alignments_panel_ui;
use compare::{CompareAction, ComparePanel, LedgerCache};
use corridor_domain::atlas::bundled::{ATTRIBUTION, LoadProgress};
use corridor_domain::map::mercator::{lonlat_from_world, world_from_lonlat};
use corridor_domain::measure::ledger::LedgerContext;
use corridor_domain::plan::scenario::edit::Edit;
use corridor_domain::plan::scenario::history::Document;
use corridor_domain::plan::scenario::model::{Alignment, AlignmentId, Scenario, Vertex};
use corridor_domain::plan::scenario::story::{Camera, SlideId};
use corridor_domain::plan::trace::RailGraph;
use corridor_domain::{Atlas, FeatureRef, LayerKind};
use files::{DialogPurpose, FileEvent, Files};
use inspector::{InspectorAction, inspector_ui};
use layers_panel::layers_panel_ui;
use map_view::{MapInputs, MapState, map_ui};
use present::{Nav, Presenter, presenter_view_ui};
use sketch::{Command, Sketch, Tool};
use std::path::PathBuf;
use story_panel::{CurrentView, StoryAction, story_panel_ui};
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
}

/// The bundled example scenario: the corridor options the region is debating.
pub const EXAMPLE_SCENARIO: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/examples/corridor-options.geojson"
));
/// Its name in the Examples menu.
pub const EXAMPLE_NAME: &str = "Corridor options: Central Asia to the Arabian Sea";

/// Something that would drop unsaved changes, waiting for the user's answer.
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    New,
    Open(PathBuf),
    OpenDialog,
    Example,
    Quit,
}

/// A question the app is asking.
// One at a time, and it lives for a few frames: its size does not matter.
#[allow(clippy::large_enum_variant)]
enum Modal {
    Recovery(corridor_domain::plan::scenario::recovery::Recovered),
    UnsavedChanges(Pending),
}

enum LoadMsg {
    Progress(LoadProgress),
    Done(Arc<Atlas>, Arc<LedgerContext>),
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
    /// Large layers drawn from cached tiles.
    layer_tiles: tiles::layer_tiles::LayerTiles,
    /// A file named on the command line, opened once the map has loaded.
    pending_open: Option<std::path::PathBuf>,
    hovered: Option<FeatureRef>,
    selected: Option<FeatureRef>,
    pointer_lonlat: Option<(f64, f64)>,
    status: Option<String>,
    show_layers: bool,
    show_help: bool,
    started: Instant,
    announced_first_map: bool,
    doc: Document,
    sketch: Sketch,
    rail_graph: Option<Arc<RailGraph>>,
    files: Files,
    modal: Option<Modal>,
    /// Run after the next successful save (Save before quitting / opening).
    after_save: Option<Pending>,
    quit_confirmed: bool,
    example_shown: bool,
    ledger_ctx: Option<Arc<LedgerContext>>,
    /// A rebuilt trace network and ledger context after imported track changed.
    track_rx: Option<Receiver<(Arc<RailGraph>, Arc<LedgerContext>)>>,
    /// A "Follow existing track" being traced on a worker thread.
    follow: Option<FollowJob>,
    ledgers: LedgerCache,
    compare: ComparePanel,
    show_compare: bool,
    /// Where the map pointer is along the selected alternative (m).
    map_chainage_m: Option<f64>,
    presenter: Presenter,
    /// The slide the story editor shows.
    story_selected: Option<SlideId>,
    /// Slide to fly to once the presentation's first frame knows the window size.
    pending_slide: Option<usize>,
    /// Show the presenter view (notes, next slide, timer) in a second window.
    pub show_presenter_view: bool,
    suggest: suggest_panel::SuggestPanel,
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
            app.perform(&cc.egui_ctx, Pending::Example);
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let ctx = cc.egui_ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("load-geodata".into())
            .spawn(move || {
                let atlas = Atlas::load_bundled_with_progress(|p| {
                    let _ = tx.send(LoadMsg::Progress(p));
                    ctx.request_repaint();
                });
                // The ledger's indexes (countries, track, places) are built here too, off the UI thread.
                let ledger_ctx = Arc::new(LedgerContext::new(&atlas));
                let _ = tx.send(LoadMsg::Done(Arc::new(atlas), ledger_ctx));
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
        let mut app = Self::empty(ctx, Persisted::default(), None);
        app.ledger_ctx = Some(Arc::new(LedgerContext::new(&atlas)));
        app.set_atlas(atlas);
        app
    }

    fn empty(
        ctx: &egui::Context,
        persisted: Persisted,
        recovery: Option<corridor_domain::plan::scenario::RecoveryStore>,
    ) -> Self {
        Self {
            atlas: None,
            loader: None,
            progress: None,
            layers: Vec::new(),
            restored_layers: persisted.layers,
            map: MapState::default(),
            basemaps: Basemaps::new(ctx, persisted.basemap),
            layer_tiles: tiles::layer_tiles::LayerTiles::new(ctx),
            pending_open: None,
            hovered: None,
            selected: None,
            pointer_lonlat: None,
            status: None,
            show_layers: true,
            show_help: false,
            started: Instant::now(),
            announced_first_map: false,
            doc: Document::default(),
            sketch: Sketch::default(),
            rail_graph: None,
            files: Files::new(persisted.recent_files, recovery),
            modal: None,
            after_save: None,
            quit_confirmed: false,
            example_shown: persisted.example_shown,
            ledger_ctx: None,
            track_rx: None,
            follow: None,
            ledgers: LedgerCache::default(),
            compare: ComparePanel::default(),
            show_compare: true,
            map_chainage_m: None,
            presenter: Presenter::default(),
            story_selected: None,
            pending_slide: None,
            show_presenter_view: true,
            suggest: suggest_panel::SuggestPanel::default(),
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
        let tracks = corridor_domain::plan::snap::default_track_layers(&atlas);
        self.rail_graph = Some(Arc::new(RailGraph::from_atlas(&atlas, &tracks)));
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

    /// Apply what tools and panels asked for: the one place where the scenario changes.
    pub fn apply_commands(&mut self, commands: Vec<Command>) {
        for c in commands {
            let result = match c {
                Command::Edit {
                    edit,
                    group: Some(g),
                } => self.doc.apply_in_group(edit, g),
                Command::Edit { edit, group: None } => self.doc.apply(edit),
                Command::EndGroup => {
                    self.doc.end_group();
                    Ok(())
                }
                Command::CreateAlignment(vertices) => {
                    let alignment = self.new_alignment(vertices);
                    let id = alignment.id;
                    let index = self.doc.scenario().alignments.len();
                    let r = self.doc.apply(Edit::AddAlignment { alignment, index });
                    if r.is_ok() {
                        self.sketch.selected = Some(id);
                        self.sketch.tool = Tool::Select;
                    }
                    r
                }
                Command::AcceptSuggestion(id) => {
                    self.accept_suggestion(id);
                    Ok(())
                }
                Command::FollowTrack { id, segment } => {
                    self.start_follow_track(id, segment);
                    Ok(())
                }
                Command::SelectAlignment(id) => {
                    self.sketch.selected = id;
                    self.sketch.active_vertex = None;
                    if id.is_some() {
                        self.selected = None;
                    }
                    Ok(())
                }
            };
            if let Err(e) = result {
                self.status = Some(format!("Edit refused: {e}"));
            }
        }
    }

    /// Trace segment `segment` of alignment `id` along the rail network on a worker thread;
    /// [`Self::poll_follow_track`] applies the result.
    fn start_follow_track(&mut self, id: AlignmentId, segment: usize) {
        let Some(graph) = self.rail_graph.clone() else {
            self.status =
                Some("The rail network is still being indexed; try again in a moment.".into());
            return;
        };
        let Some(a) = self.doc.scenario().alignment(id) else {
            return;
        };
        let (Some(from), Some(to)) = (a.vertices.get(segment), a.vertices.get(segment + 1)) else {
            return;
        };
        let ends = [(from.lon, from.lat), (to.lon, to.lat)];
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("follow-track".into())
            .spawn(move || {
                let _ = tx.send(graph.trace(ends[0], ends[1]));
            });
        match spawned {
            Ok(_) => {
                self.follow = Some(FollowJob {
                    id,
                    segment,
                    ends,
                    rx,
                });
                self.status = Some("Tracing along existing track...".into());
            }
            Err(e) => self.status = Some(format!("Could not start tracing: {e}")),
        }
    }

    /// Apply a finished "Follow existing track" if the segment is unchanged since it started.
    fn poll_follow_track(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.follow else { return };
        let path = match job.rx.try_recv() {
            Ok(path) => path,
            Err(TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(30));
                return;
            }
            Err(TryRecvError::Disconnected) => None,
        };
        let Some(job) = self.follow.take() else {
            return;
        };
        let Some(a) = self.doc.scenario().alignment(job.id) else {
            return;
        };
        let same =
            |k: usize, end: (f64, f64)| a.vertices.get(k).is_some_and(|v| (v.lon, v.lat) == end);
        let unchanged = same(job.segment, job.ends[0]) && same(job.segment + 1, job.ends[1]);
        match path {
            Some(path) if unchanged => {
                let command = alignment_panel::follow_track_edit(a, job.segment, &path);
                let km = corridor_domain::measure::geodesic::format_km(path.length_m);
                self.apply_commands(command.into_iter().collect());
                self.status = Some(format!("Followed {km} of existing track."));
            }
            Some(_) => {
                self.status =
                    Some("The segment changed while it was being traced; nothing replaced.".into());
            }
            None => {
                self.status =
                    Some("No path along existing track between these two vertices.".into());
            }
        }
    }

    fn new_alignment(&self, vertices: Vec<Vertex>) -> Alignment {
        const PALETTE: [[u8; 4]; 6] = [
            [214, 39, 40, 255],
            [31, 119, 180, 255],
            [44, 160, 44, 255],
            [148, 103, 189, 255],
            [255, 127, 14, 255],
            [23, 190, 207, 255],
        ];
        let s = self.doc.scenario();
        let id = s.unused_id();
        let mut a = Alignment::new(id, format!("Alternative {}", s.alignments.len() + 1));
        a.color = PALETTE[s.alignments.len() % PALETTE.len()];
        a.vertices = vertices;
        a
    }

    /// The Suggest panel (tests set its fields).
    pub fn suggest_panel_mut(&mut self) -> &mut suggest_panel::SuggestPanel {
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

    /// Ask before dropping unsaved changes, then do `action`.
    fn request(&mut self, ctx: &egui::Context, action: Pending) {
        if self.doc.is_dirty() {
            self.modal = Some(Modal::UnsavedChanges(action));
        } else {
            self.perform(ctx, action);
        }
    }

    fn perform(&mut self, ctx: &egui::Context, action: Pending) {
        match action {
            Pending::New => {
                self.replace_document(Document::default());
                self.files.clear_recovery();
            }
            Pending::Open(path) => self.files.open(ctx, path),
            Pending::OpenDialog => {
                let dir = self.doc.path.clone();
                self.files.show_dialog(DialogPurpose::Open, dir.as_deref());
            }
            Pending::Example => match corridor_domain::plan::scenario::io::from_str(
                EXAMPLE_SCENARIO,
                "corridor-options.geojson",
            ) {
                Ok(scenario) => {
                    self.replace_document(Document::new(scenario, None));
                    self.example_shown = true;
                }
                Err(e) => {
                    self.status = Some(format!("The example scenario could not be read: {e}"));
                }
            },
            Pending::Quit => {
                self.files.clear_recovery();
                self.quit_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn replace_document(&mut self, doc: Document) {
        self.doc = doc;
        self.sketch.selected = None;
        self.sketch.active_vertex = None;
        self.sketch.drawing.clear();
    }

    /// Save to the document's file, or ask where.
    pub fn save(&mut self, ctx: &egui::Context) {
        match self.doc.path.clone() {
            Some(path) => {
                self.files
                    .save(ctx, path, self.doc.scenario().clone(), self.doc.revision());
            }
            None => self.save_as(),
        }
    }

    fn save_as(&mut self) {
        let dir = self.doc.path.clone();
        self.files
            .show_dialog(DialogPurpose::SaveAs, dir.as_deref());
    }

    fn handle_file_events(&mut self, ctx: &egui::Context) {
        if let Some((purpose, path)) = self.files.dialog_ui(ctx) {
            match purpose {
                DialogPurpose::Open => self.files.open(ctx, path),
                DialogPurpose::Import => self.files.import(ctx, &path),
                DialogPurpose::Export(_) => self.files.export(ctx, path),
                DialogPurpose::Slides => match self.atlas.clone() {
                    Some(atlas) => {
                        let style = if self.basemaps.is_dark() {
                            corridor_domain::draw::basemap::BasemapStyle::Dark
                        } else {
                            corridor_domain::draw::basemap::BasemapStyle::Light
                        };
                        self.files.export_slides(
                            ctx,
                            path,
                            atlas,
                            self.doc.scenario().clone(),
                            style,
                        );
                    }
                    None => {
                        self.status =
                            Some("The map is still loading; export again in a moment.".into());
                    }
                },
                DialogPurpose::Dem | DialogPurpose::DemTiff => match self.atlas.clone() {
                    Some(atlas) => self.files.load_dem(ctx, path, atlas),
                    None => {
                        self.status = Some(
                            "The map is still loading; open the tiles again in a moment.".into(),
                        );
                    }
                },
                DialogPurpose::SaveAs => {
                    self.files
                        .save(ctx, path, self.doc.scenario().clone(), self.doc.revision());
                }
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        for path in dropped {
            self.files.dropped(ctx, path);
        }
        for event in self.files.poll() {
            match event {
                FileEvent::Opened { path, scenario } => {
                    self.status = Some(format!("Opened {}", path.display()));
                    self.files.remember(&path);
                    self.replace_document(Document::new(scenario, Some(path)));
                    self.files.clear_recovery();
                }
                FileEvent::ImportPart { id, layer } => self.add_import_part(&id, layer),
                FileEvent::ImportDone { id, path, result } => {
                    self.finish_import(&id, &path, result);
                }
                FileEvent::Saved { path, revision } => {
                    self.files.remember(&path);
                    self.doc.path = Some(path.clone());
                    if self.doc.revision() == revision {
                        self.doc.mark_saved();
                        self.files.clear_recovery();
                    }
                    self.status = Some(format!("Saved {}", path.display()));
                    if let Some(next) = self.after_save.take() {
                        self.perform(ctx, next);
                    }
                }
                FileEvent::RecoveryFound(r) => {
                    eprintln!(
                        "corridor-atlas: recovery copy found ({} alignments)",
                        r.scenario.alignments.len()
                    );
                    self.modal = Some(Modal::Recovery(r));
                }
                FileEvent::Autosaved => {}
                FileEvent::Exported(path) => {
                    self.status = Some(format!("Exported {}", path.display()));
                }
                FileEvent::SlidesExported(dir, n) => {
                    self.status = Some(format!("Wrote {n} slides to {}", dir.display()));
                }
                FileEvent::DemLoaded(lctx, label) => {
                    self.ledger_ctx = Some(lctx);
                    // Every ledger depends on the DEM: recompute them all.
                    self.ledgers = LedgerCache::default();
                    self.status = Some(format!("Profiles and costs now use {label}"));
                }
                FileEvent::Failed(msg) => {
                    eprintln!("corridor-atlas: {msg}");
                    self.after_save = None;
                    self.status = Some(msg);
                }
            }
        }
        self.files.autosave_tick(
            ctx,
            self.doc.revision(),
            self.doc.is_dirty(),
            self.doc.scenario(),
            self.doc.path.as_deref(),
        );
        if ctx.input(|i| i.viewport().close_requested())
            && self.doc.is_dirty()
            && !self.quit_confirmed
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.modal = Some(Modal::UnsavedChanges(Pending::Quit));
        }
    }

    /// Add an imported layer on top of the others.
    /// One more part of an import: shown at once, with the visibility of its earlier parts.
    /// The first part of a re-import replaces the layer imported before from that file.
    fn add_import_part(&mut self, id: &str, layer: corridor_domain::Layer) {
        let Some(atlas) = self.atlas.clone() else {
            return; // the import only starts once the map has loaded
        };
        let Some(job) = self.files.imports.iter_mut().find(|j| j.id == id) else {
            return; // its import is over (removed, or its file imported again)
        };
        if job
            .progress
            .cancel
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            return; // cancelled: its parts go when it reports back
        }
        job.parts += 1;
        let first = job.parts == 1;
        let mut atlas = (*atlas).clone();
        if first {
            self.drop_layer_parts(&mut atlas, id);
        }
        let ui_state = self
            .layers
            .iter()
            .find(|l| l.id == id)
            .cloned()
            .unwrap_or(LayerUi {
                id: id.to_owned(),
                visible: true,
                opacity: 1.0,
            });
        self.layers.push(ui_state);
        atlas.layers.push(Arc::new(layer));
        self.atlas = Some(Arc::new(atlas));
    }

    /// Remove every part of layer `id` from `atlas` and the layer list.
    fn drop_layer_parts(&mut self, atlas: &mut Atlas, id: &str) {
        let mut i = 0;
        let mut removed = false;
        while i < atlas.layers.len() {
            if atlas.layers[i].id == id && atlas.layers[i].kind == LayerKind::Imported {
                atlas.layers.remove(i);
                if i < self.layers.len() {
                    self.layers.remove(i);
                }
                removed = true;
            } else {
                i += 1;
            }
        }
        if removed {
            self.hovered = None;
            self.selected = None;
        }
    }

    fn finish_import(
        &mut self,
        id: &str,
        path: &std::path::Path,
        result: Result<
            corridor_domain::atlas::import::ImportSummary,
            corridor_domain::atlas::import::ImportError,
        >,
    ) {
        self.files.end_import(id);
        match result {
            Ok(summary) => {
                let mb = summary.bytes as f64 / 1e6;
                self.status = Some(format!(
                    "Imported {}: {} features, {mb:.1} MB in {:.1} s",
                    path.display(),
                    summary.features,
                    summary.seconds
                ));
                // The log line scripts/smoke.sh waits for.
                eprintln!(
                    "corridor-atlas: imported {}: {} features in {} parts, {mb:.1} MB in {:.2} s",
                    path.display(),
                    summary.features,
                    summary.parts,
                    summary.seconds
                );
                self.track_layers_changed();
            }
            Err(e) => {
                if let Some(atlas) = self.atlas.clone() {
                    let mut atlas = (*atlas).clone();
                    self.drop_layer_parts(&mut atlas, id);
                    self.atlas = Some(Arc::new(atlas));
                }
                let cancelled = matches!(
                    e,
                    corridor_domain::atlas::import::ImportError::Cancelled { .. }
                );
                let msg = if cancelled {
                    format!("Import of {} cancelled", path.display())
                } else {
                    format!("Could not import: {e}")
                };
                eprintln!("corridor-atlas: {msg}");
                self.status = Some(msg);
            }
        }
    }

    /// Imported track arrived or left: rebuild the trace network and the ledger's track
    /// index in the background (the old ones serve until then).
    fn track_layers_changed(&mut self) {
        let Some(atlas) = self.atlas.clone() else {
            return;
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let dem = self.ledger_ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("track-index".into())
            .spawn(move || {
                let tracks = corridor_domain::plan::snap::default_track_layers(&atlas);
                let graph = RailGraph::from_atlas(&atlas, &tracks);
                let mut ctx = LedgerContext::new(&atlas);
                // Keep a DEM the user loaded (File > Load DEM) rather than the bundled one.
                if let Some(old) = dem {
                    ctx.keep_dem_of(&old);
                }
                let _ = tx.send((Arc::new(graph), Arc::new(ctx)));
            });
        if spawned.is_ok() {
            self.track_rx = Some(rx);
        }
    }

    fn poll_track_index(&mut self) {
        let Some(rx) = &self.track_rx else { return };
        match rx.try_recv() {
            Ok((graph, ctx)) => {
                self.rail_graph = Some(graph);
                self.ledger_ctx = Some(ctx);
                self.ledgers = LedgerCache::default();
                self.track_rx = None;
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => self.track_rx = None,
        }
    }

    /// Remove the layer at `index` (imported layers only), with all its parts.
    pub fn remove_layer(&mut self, index: usize) {
        if let Some(atlas) = self.atlas.clone()
            && let Some(layer) = atlas.layers.get(index)
            && layer.kind == LayerKind::Imported
        {
            let id = layer.id.clone();
            let was_track = layer.is_track;
            self.files.cancel_import(&id);
            let mut atlas = (*atlas).clone();
            self.drop_layer_parts(&mut atlas, &id);
            self.atlas = Some(Arc::new(atlas));
            if was_track {
                self.track_layers_changed();
            }
        }
    }

    /// Cancel the import of layer `id` (the Cancel button): its parts go when the worker
    /// reports back, so no partial layer stays.
    pub fn cancel_import(&mut self, id: &str) {
        self.files.cancel_import(id);
    }

    /// Imports in progress: (layer id, "file: 12.0 of 90.1 MB, 13,311 features", fraction).
    #[must_use]
    pub fn imports_in_progress(&self) -> Vec<(String, String, f32)> {
        self.files
            .imports
            .iter()
            .map(|j| (j.id.clone(), j.describe(), j.fraction()))
            .collect()
    }

    /// Import a GeoJSON or GeoJSONSeq file as a layer (what File > Import does).
    pub fn import_file(&mut self, ctx: &egui::Context, path: &std::path::Path) {
        self.files.import(ctx, path);
    }

    /// Map tiles still being rendered: basemap and large layers (tests and benchmarks wait
    /// for zero).
    #[must_use]
    pub fn tiles_in_progress(&mut self) -> usize {
        self.layer_tiles.in_progress() + self.basemaps.embedded_mut().in_progress()
    }

    /// Whether layer `id` is drawn from cached tiles (a large layer).
    #[must_use]
    pub fn layer_is_tiled(&self, id: &str) -> bool {
        self.layer_tiles.is_tiled(id)
    }

    /// The status bar's message.
    #[must_use]
    pub fn status_message(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// Open `path` once the map has loaded: a scenario opens, anything else is imported
    /// (`corridor-atlas FILE`).
    pub fn open_when_ready(&mut self, path: std::path::PathBuf) {
        self.pending_open = Some(path);
    }

    fn modal_ui(&mut self, ctx: &egui::Context) {
        let Some(modal) = self.modal.take() else {
            return;
        };
        let mut keep = true;
        match modal {
            Modal::Recovery(r) => {
                let when = r.saved_at.elapsed().map_or_else(
                    |_| "recently".to_owned(),
                    |d| format!("{} min ago", d.as_secs() / 60),
                );
                let source = r.source_path.as_ref().map_or_else(
                    || "an unsaved scenario".to_owned(),
                    |p| p.display().to_string(),
                );
                let mut choice = None;
                egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
                    ui.heading("Restore unsaved work?");
                    ui.label(format!(
                        "Corridor Atlas was closed with unsaved changes to {source} ({} alignments, autosaved {when}).",
                        r.scenario.alignments.len()
                    ));
                    ui.horizontal(|ui| {
                        if ui.button("Restore").clicked() {
                            choice = Some(true);
                        }
                        if ui.button("Discard").clicked() {
                            choice = Some(false);
                        }
                    });
                });
                match choice {
                    Some(true) => {
                        self.replace_document(Document::recovered(r.scenario, r.source_path));
                        self.status = Some("Restored unsaved work from the recovery copy.".into());
                        keep = false;
                    }
                    Some(false) => {
                        self.files.clear_recovery();
                        keep = false;
                    }
                    None => self.modal = Some(Modal::Recovery(r)),
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

    /// Undo the last edit (a whole drag is one step).
    pub fn undo(&mut self) {
        if !self.doc.undo() {
            self.status = Some("Nothing to undo.".into());
        }
        self.forget_missing_selection();
    }

    /// Redo the last undone edit.
    pub fn redo(&mut self) {
        if !self.doc.redo() {
            self.status = Some("Nothing to redo.".into());
        }
        self.forget_missing_selection();
    }

    fn forget_missing_selection(&mut self) {
        if let Some(id) = self.sketch.selected
            && self.doc.scenario().alignment(id).is_none()
        {
            self.sketch.selected = None;
        }
    }

    fn poll_loader(&mut self) {
        let Some(rx) = &self.loader else { return };
        loop {
            match rx.try_recv() {
                Ok(LoadMsg::Progress(p)) => self.progress = Some(p),
                Ok(LoadMsg::Done(atlas, ledger_ctx)) => {
                    self.loader = None;
                    self.progress = None;
                    self.ledger_ctx = Some(ledger_ctx);
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
        let (save, save_as, open) = ui.input(|i| {
            let cmd = i.modifiers.command;
            (
                cmd && !i.modifiers.shift && i.key_pressed(Key::S),
                cmd && i.modifiers.shift && i.key_pressed(Key::S),
                cmd && i.key_pressed(Key::O),
            )
        });
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
            self.undo();
        }
        if redo {
            self.redo();
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
        self.apply_commands(commands);
        if pan != [0.0, 0.0]
            && let Some(c) = self.map.memory.detached()
        {
            let w = world_from_lonlat(c.x(), c.y());
            let per_px = corridor_domain::map::mercator::world_per_px(self.map.zoom());
            let (lon, lat) = lonlat_from_world([w[0] + pan[0] * per_px, w[1] + pan[1] * per_px]);
            self.map.memory.center_at(lon_lat(lon, lat));
        }
    }

    /// The whole window. Separate from `eframe::App::ui` so tests can drive it.
    pub fn ui_root(&mut self, ui: &mut Ui) {
        // An app built before its window (tests build the state first) made its basemap
        // textures in another egui context: remake the sources in this one.
        if self.basemaps.embedded_mut().ctx() != ui.ctx() {
            self.basemaps = Basemaps::new(ui.ctx(), self.basemaps.settings());
            if let Some(atlas) = &self.atlas {
                self.basemaps.set_atlas(Arc::clone(atlas));
            }
        }
        if self.layer_tiles.ctx() != ui.ctx() {
            self.layer_tiles = tiles::layer_tiles::LayerTiles::new(ui.ctx());
        }
        self.poll_loader();
        self.poll_suggestions();
        self.poll_track_index();
        self.poll_follow_track(&ui.ctx().clone());
        if self.atlas.is_some()
            && let Some(path) = self.pending_open.take()
        {
            self.files.dropped(ui.ctx(), path);
        }
        self.handle_file_events(&ui.ctx().clone());
        if let Some(atlas) = &self.atlas {
            let loading: Vec<String> = self.files.imports.iter().map(|j| j.id.clone()).collect();
            self.layer_tiles.sync(atlas, &loading);
        }
        if self.presenter.active {
            self.presentation_ui(ui);
            return;
        }
        self.handle_keys(ui);
        if let Some(msg) = self.basemaps.take_status() {
            self.status = Some(msg);
        }
        if let Some(ctx) = self.ledger_ctx.clone() {
            self.ledgers
                .update(self.doc.revision(), self.doc.scenario(), &ctx);
        }
        self.menu_bar_ui(ui);
        self.status_bar_ui(ui);
        self.imports_ui(ui);
        if self.show_compare {
            egui::Panel::bottom("compare")
                .resizable(true)
                .default_size(250.0)
                .size_range(120.0..=700.0)
                .show(ui, |ui| self.compare_panel_ui(ui));
        }
        if self.show_layers
            && let Some(atlas) = self.atlas.clone()
        {
            egui::Panel::left("layers")
                .resizable(true)
                .size_range(160.0..=400.0)
                .default_size(230.0)
                .show(ui, |ui| {
                    ui.heading("Layers");
                    if let Some(i) = layers_panel_ui(ui, &atlas, &mut self.layers) {
                        self.remove_layer(i);
                    }
                });
        }
        egui::Panel::right("side")
            .resizable(true)
            .default_size(340.0)
            .size_range(240.0..=640.0)
            .show(ui, |ui| self.side_panel_ui(ui));
        egui::CentralPanel::no_frame().show(ui, |ui| self.map_panel_ui(ui));
        self.ruler_window_ui(ui.ctx());
        self.modal_ui(&ui.ctx().clone());
        if self.show_help {
            help_window_ui(ui.ctx(), &mut self.show_help);
        }
    }

    /// Start presenting the story at slide `index` (F5: the first, Shift+F5: the selected).
    pub fn start_presentation(&mut self, ctx: &egui::Context, index: usize) {
        let count = self.doc.scenario().story.slides.len();
        if count == 0 {
            self.status =
                Some("The story has no slides: capture one in the Story panel first.".into());
            return;
        }
        self.presenter.saved_layers = Some(self.layers.iter().map(|l| l.visible).collect());
        self.presenter
            .start(index.min(count - 1), ctx.input(|i| i.time));
        self.pending_slide = Some(index.min(count - 1));
        self.map.fit_pending = false;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
    }

    /// Leave presentation mode: layers as they were, window as it was.
    pub fn stop_presentation(&mut self, ctx: &egui::Context) {
        if let Some(saved) = self.presenter.saved_layers.take() {
            for (l, v) in self.layers.iter_mut().zip(saved) {
                l.visible = v;
            }
        }
        self.presenter.active = false;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
    }

    /// Open the bundled example scenario (corridor options and their story).
    pub fn open_example(&mut self, ctx: &egui::Context) {
        self.perform(ctx, Pending::Example);
    }

    /// The presentation state (tests read the slide index and animations).
    #[must_use]
    pub fn presenter(&self) -> &Presenter {
        &self.presenter
    }

    fn current_camera(&self) -> Camera {
        let (lon, lat) = self.center_lonlat().unwrap_or((67.0, 38.0));
        Camera {
            lon,
            lat,
            zoom: self.map.zoom(),
        }
    }

    fn go_to_slide(&mut self, index: usize, viewport_px: (f64, f64), now_s: f64) {
        let current = self.current_camera();
        self.presenter
            .go_to(index, self.doc.scenario(), current, viewport_px, now_s);
        if let Some(ids) = self
            .doc
            .scenario()
            .story
            .slides
            .get(index)
            .and_then(|s| s.layers.clone())
        {
            for l in &mut self.layers {
                l.visible = ids.contains(&l.id);
            }
        }
    }

    /// The running figures of the alternative being revealed, from its ledger.
    fn reveal_text(
        &self,
        id: corridor_domain::plan::scenario::model::AlignmentId,
        fraction: f64,
    ) -> Option<String> {
        let l = self.ledgers.get(id)?;
        let c = l.length_m * fraction;
        let countries: std::collections::BTreeSet<&str> = l
            .country_pieces
            .iter()
            .filter(|p| p.start_m <= c && p.iso_a3 != corridor_domain::measure::ledger::SEA_CODE)
            .map(|p| p.iso_a3.as_str())
            .collect();
        let crossings = l
            .crossings
            .iter()
            .filter(|x| {
                x.chainage_m <= c
                    && x.from_iso_a3 != corridor_domain::measure::ledger::SEA_CODE
                    && x.to_iso_a3 != corridor_domain::measure::ledger::SEA_CODE
            })
            .count();
        Some(format!(
            "{} · {} countries · {} border crossings · ~${} m so far (pro rata)",
            corridor_domain::measure::geodesic::format_km(c),
            countries.len(),
            crossings,
            corridor_domain::measure::geodesic::group_thousands(
                (l.cost.total_usd * fraction / 1e6).round() as i64
            )
        ))
    }

    fn presentation_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let now = ui.input(|i| i.time);
        let count = self.doc.scenario().story.slides.len();
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let rect = ui.available_rect_before_wrap();
            let viewport = (f64::from(rect.width()), f64::from(rect.height()));
            match self.presenter.keys(ui, count) {
                Some(Nav::Exit) => {
                    self.stop_presentation(&ctx);
                    return;
                }
                Some(Nav::Go(i)) => self.go_to_slide(i, viewport, now),
                None => {}
            }
            if let Some(i) = self.pending_slide.take() {
                self.go_to_slide(i, viewport, now);
            }
            if let Some(cam) = self.presenter.tick(now) {
                self.map.memory.center_at(lon_lat(cam.lon, cam.lat));
                let _ = self
                    .map
                    .memory
                    .set_zoom(cam.zoom.clamp(map_view::MIN_ZOOM, map_view::MAX_ZOOM));
            }
            let index = self.presenter.index;
            let Some(slide) = self.doc.scenario().story.slides.get(index).cloned() else {
                self.stop_presentation(&ctx);
                return;
            };
            let reveal = self.presenter.reveal_fraction(now);
            let attribution = match self.basemaps.attribution() {
                extra if extra.is_empty() => ATTRIBUTION.to_owned(),
                extra => format!("{extra} · {ATTRIBUTION}"),
            };
            let inputs = MapInputs {
                atlas: self.atlas.as_deref(),
                layers: &self.layers,
                selected: None,
                hovered: None,
                attribution: &attribution,
                dark: self.basemaps.is_dark(),
                scenario: self.doc.scenario(),
                marker: None,
                presenting: Some(map_view::Presenting {
                    highlight: &slide.highlight,
                    reveal,
                }),
            };
            let _ = map_ui(
                ui,
                &mut self.map,
                &mut self.basemaps,
                &mut self.layer_tiles,
                &mut self.sketch,
                &inputs,
            );
            let reveal_text = reveal.and_then(|(id, f)| self.reveal_text(id, f));
            self.presenter.overlay_ui(
                ui,
                rect,
                &slide,
                self.doc.scenario(),
                count,
                reveal_text.as_deref(),
            );
        });
        if self.presenter.animating(now) {
            ctx.request_repaint();
        }
        if self.show_presenter_view && self.presenter.active {
            let scenario = self.doc.scenario();
            let (index, elapsed) = (self.presenter.index, self.presenter.elapsed_s(now));
            ctx.show_viewport_immediate(
                egui::ViewportId::from_hash_of("presenter-view"),
                egui::ViewportBuilder::default()
                    .with_title("Presenter view")
                    .with_inner_size([560.0, 480.0]),
                |ui, _class| {
                    egui::CentralPanel::default()
                        .show(ui, |ui| presenter_view_ui(ui, scenario, index, elapsed));
                },
            );
            // The timer ticks once a second while presenting.
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }
    }

    fn suggest_ui(&mut self, ui: &mut Ui) {
        if self.suggest.ui(ui)
            && let Some(atlas) = self.atlas.clone()
        {
            let settings = corridor_domain::plan::suggest::SuggestSettings {
                ledger: self.doc.scenario().settings.ledger_settings(),
                ..Default::default()
            };
            self.suggest.message = None;
            self.suggest.start(ui.ctx(), atlas, settings);
        }
    }

    fn poll_suggestions(&mut self) {
        let Some(result) = self.suggest.poll() else {
            return;
        };
        match result {
            Ok(r) if r.suggestions.is_empty() => {
                self.suggest.message = Some("No route found.".into());
            }
            Ok(r) => {
                let mut commands = Vec::new();
                let mut next = self.doc.scenario().unused_id().0;
                for (i, s) in r.suggestions.iter().enumerate() {
                    let alignment = corridor_domain::plan::suggest::alignment_from_suggestion(
                        s,
                        AlignmentId(next),
                        i + 1,
                        &r.from,
                        &r.to,
                    );
                    next += 1;
                    let index = self.doc.scenario().alignments.len() + i;
                    commands.push(Command::Edit {
                        edit: Edit::AddAlignment { alignment, index },
                        group: Some(1 << 52 | next),
                    });
                }
                commands.push(Command::EndGroup);
                let n = r.suggestions.len();
                self.apply_commands(commands);
                self.suggest.message =
                    Some(format!("{n} suggestions added (dashed until accepted)."));
            }
            Err(e) => self.suggest.message = Some(e),
        }
    }

    /// Accept a suggested alternative: it becomes an ordinary one (drawn solid).
    pub fn accept_suggestion(&mut self, id: AlignmentId) {
        let Some((index, a)) = self
            .doc
            .scenario()
            .alignments
            .iter()
            .enumerate()
            .find(|(_, a)| a.id == id)
        else {
            return;
        };
        let mut accepted = a.clone();
        accepted.extra.remove("suggested");
        let group = 1 << 53 | id.0;
        self.apply_commands(vec![
            Command::Edit {
                edit: Edit::RemoveAlignment { id },
                group: Some(group),
            },
            Command::Edit {
                edit: Edit::AddAlignment {
                    alignment: accepted,
                    index,
                },
                group: Some(group),
            },
            Command::EndGroup,
            Command::SelectAlignment(Some(id)),
        ]);
    }

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
                StoryAction::Command(c) => self.apply_commands(vec![c]),
                StoryAction::Select(id) => self.story_selected = Some(id),
                StoryAction::Present(i) => self.start_presentation(&ui.ctx().clone(), i),
            }
        }
    }

    fn compare_panel_ui(&mut self, ui: &mut Ui) {
        let actions = self.compare.ui(
            ui,
            self.doc.scenario(),
            &self.ledgers,
            self.sketch.selected,
            self.map_chainage_m,
        );
        for a in actions {
            match a {
                CompareAction::Command(c) => self.apply_commands(vec![c]),
                CompareAction::Export(ext, text) => self.files.show_export_dialog(ext, text),
            }
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

    fn side_panel_ui(&mut self, ui: &mut Ui) {
        // Story, suggestions, alternatives and the inspector can outgrow a laptop screen.
        egui::ScrollArea::vertical()
            .id_salt("side-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| self.side_panel_contents_ui(ui));
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
        );
        self.apply_commands(commands);
        if let (Some(selected), Some(atlas)) = (self.selected, self.atlas.clone()) {
            ui.separator();
            if inspector_ui(ui, &atlas, selected) == Some(InspectorAction::Close) {
                self.selected = None;
            }
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
                self.undo();
            }
            if ui.add_enabled(self.doc.can_redo(), egui::Button::new("Redo")).on_hover_text("Ctrl+Shift+Z / Ctrl+Y").clicked() {
                self.redo();
            }
        });
    }

    fn ruler_window_ui(&mut self, ctx: &egui::Context) {
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
            self.apply_commands(commands);
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
            scenario: self.doc.scenario(),
            presenting: None,
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
        self.apply_commands(out.commands);
        self.hovered = out.hovered;
        self.pointer_lonlat = out.pointer_lonlat;
        self.map_chainage_m = self.chainage_under_pointer();
        match out.clicked {
            Some(map_view::Click::Feature(r)) => self.selected = Some(r),
            Some(map_view::Click::Empty) => self.selected = None,
            None => {}
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
                self.menus_ui(ui);
            });
            self.toolbar_ui(ui);
        });
    }

    fn menus_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        ui.menu_button("File", |ui| {
            if ui.button("New scenario").clicked() {
                self.request(&ctx, Pending::New);
                ui.close();
            }
            if ui.button("Open…").on_hover_text("Ctrl+O").clicked() {
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
            if ui.button("Save").on_hover_text("Ctrl+S").clicked() {
                self.save(&ctx);
                ui.close();
            }
            if ui
                .button("Save as…")
                .on_hover_text("Ctrl+Shift+S")
                .clicked()
            {
                self.save_as();
                ui.close();
            }
            ui.separator();
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
            if ui.button("Import GeoJSON layer…").clicked() {
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
            if ui.button("Whole corridor region (Home)").clicked() {
                self.map.fit_pending = true;
                ui.close();
            }
            ui.checkbox(&mut self.show_layers, "Layer panel");
            ui.checkbox(&mut self.show_compare, "Compare panel");
            ui.separator();
            let mut settings = self.doc.scenario().settings.clone();
            ui.horizontal(|ui| {
                ui.label("Snap tolerance");
                ui.add(egui::DragValue::new(&mut settings.snap_tolerance_px).range(0.0..=60.0).suffix(" px"))
                    .on_hover_text("How close the cursor must come to a place or a rail line for a vertex to snap (Alt: no snapping)");
            });
            if settings != self.doc.scenario().settings {
                // One undo step per dragging of the value.
                self.apply_commands(vec![Command::Edit { edit: Edit::SetSettings(settings), group: Some(1 << 51) }]);
            }
        });
        ui.menu_button("Basemap", |ui| self.basemaps.menu_ui(ui));
        ui.menu_button("Help", |ui| {
            if ui.button("Keyboard and mouse").clicked() {
                self.show_help = true;
                ui.close();
            }
        });
    }

    /// Imports in progress: what is read so far, a progress bar and Cancel. The map stays
    /// usable meanwhile, and the parts already read are on it.
    fn imports_ui(&mut self, ui: &mut Ui) {
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
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
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
                    && let Some(l) = atlas.layers.get(h.layer)
                {
                    ui.label(format!("{} — {}", l.describe(h.feature), l.title));
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
            recent_files: self.files.recent.clone(),
            example_shown: self.example_shown,
        };
        eframe::set_value(storage, SETTINGS_KEY, &persisted);
    }
}

/// A "Follow existing track" in flight: which segment, its ends when it started, the result.
struct FollowJob {
    id: AlignmentId,
    segment: usize,
    ends: [(f64, f64); 2],
    rx: Receiver<Option<corridor_domain::plan::trace::TracedPath>>,
}
