//! The atlas and its lifecycle: the bundled data loading on a worker, imported layers
//! arriving part by part (and going), and the track indexes (trace network, ledger context)
//! rebuilt on a worker whenever the track layers change.

use std::sync::Arc;

use corridor_domain::atlas::bundled::LoadProgress;
use corridor_domain::measure::ledger::LedgerContext;
use corridor_domain::plan::trace::RailGraph;
use corridor_domain::{Atlas, LayerKind};

use super::compare::LedgerCache;
use super::jobs::Job;
use super::layers_panel::LayerUi;
use super::{AtlasApp, default_visible};

/// How long after an import or a layer removal freed memory is handed back to the OS.
const GIVE_BACK_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// What the bundled-data loader reports.
pub(super) enum LoadMsg {
    Progress(LoadProgress),
    Done(Arc<Atlas>, Arc<LedgerContext>, Arc<RailGraph>),
}

/// The trace network and the ledger context, built together off the UI thread.
pub(super) type TrackIndex = (Arc<RailGraph>, Arc<LedgerContext>);

/// The rail graph over the atlas's track layers (bundled rail and imported track).
fn rail_graph(atlas: &Atlas) -> RailGraph {
    let tracks = corridor_domain::plan::snap::default_track_layers(atlas);
    RailGraph::from_atlas(atlas, &tracks)
}

impl AtlasApp {
    /// Load the bundled data on a worker; its ledger indexes and trace network are built
    /// there too, off the UI thread.
    pub(super) fn start_loading(&mut self) {
        let ctx = self.egui_ctx.clone();
        let spawned = Job::spawn(&ctx, "load-geodata", |r| {
            let atlas = Atlas::load_bundled_with_progress(|p| r.send(LoadMsg::Progress(p)));
            let ledger_ctx = Arc::new(LedgerContext::new(&atlas));
            let graph = Arc::new(rail_graph(&atlas));
            r.send(LoadMsg::Done(Arc::new(atlas), ledger_ctx, graph));
        });
        match spawned {
            Ok(job) => self.loader = Some(job),
            Err(e) => self.status = Some(format!("Could not start loading the bundled data: {e}")),
        }
    }

    /// The atlas arrived. `graph` is its trace network if the loader built it; otherwise it
    /// is built on a worker (as after an import), never on the UI thread.
    pub(super) fn set_atlas(&mut self, atlas: Arc<Atlas>, graph: Option<Arc<RailGraph>>) {
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
        match graph {
            Some(graph) => self.rail_graph = Some(graph),
            None => self.track_layers_changed(),
        }
    }

    pub(super) fn poll_loader(&mut self) {
        let Some(loader) = &mut self.loader else {
            return;
        };
        while let Some(msg) = loader.poll() {
            match msg {
                LoadMsg::Progress(p) => self.progress = Some(p),
                LoadMsg::Done(atlas, ledger_ctx, graph) => {
                    self.loader = None;
                    self.progress = None;
                    self.ledger_ctx = Some(ledger_ctx);
                    self.set_atlas(atlas, Some(graph));
                    return;
                }
            }
        }
        if !loader.is_running() {
            self.loader = None;
            self.status = Some("Loading the bundled data stopped unexpectedly.".into());
        }
    }

    /// Add an imported layer on top of the others.
    /// One more part of an import: shown at once, with the visibility of its earlier parts.
    /// The first part of a re-import replaces the layer imported before from that file.
    pub(super) fn add_import_part(&mut self, id: &str, layer: corridor_domain::Layer) {
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
            .chain(&self.reimported_ui)
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

    /// After an import or a layer dropped: hand the allocator's free pages back to the OS
    /// ([`super::allocator`]) in [`GIVE_BACK_AFTER`], once the tile pools and the track index
    /// have let go of the old layer; later calls move the moment on.
    fn give_back_free_memory(&mut self) {
        self.give_back_at = Some(std::time::Instant::now() + GIVE_BACK_AFTER);
        self.egui_ctx.request_repaint_after(GIVE_BACK_AFTER);
    }

    /// Once a frame: when the moment has come and no import or track index is running, trim
    /// on a worker (it walks and locks the allocator's arenas: not in a frame).
    pub(super) fn poll_give_back(&mut self) {
        let Some(at) = self.give_back_at else {
            return;
        };
        if std::time::Instant::now() < at {
            return;
        }
        if !self.files.imports.is_empty() || self.track_index.is_some() {
            self.give_back_at = Some(std::time::Instant::now() + GIVE_BACK_AFTER);
            self.egui_ctx.request_repaint_after(GIVE_BACK_AFTER);
            return;
        }
        self.give_back_at = None;
        let _ = Job::run(&self.egui_ctx, "give-back-memory", || {
            super::allocator::give_back_free_memory();
        });
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

    pub(super) fn finish_import(
        &mut self,
        id: &str,
        path: &std::path::Path,
        result: Result<
            corridor_domain::atlas::import::ImportSummary,
            corridor_domain::atlas::import::ImportError,
        >,
    ) {
        self.files.end_import(id);
        self.give_back_free_memory();
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
        let dem = self.ledger_ctx.clone();
        // A job still running for an older atlas is dropped: its answer is no longer wanted.
        self.track_index = Job::run(&self.egui_ctx, "track-index", move || {
            let graph = rail_graph(&atlas);
            let mut ctx = LedgerContext::new(&atlas);
            // Keep a DEM the user loaded (File > Load DEM) rather than the bundled one.
            if let Some(old) = dem {
                ctx.keep_dem_of(&old);
            }
            (Arc::new(graph), Arc::new(ctx))
        })
        .ok();
    }

    pub(super) fn poll_track_index(&mut self) {
        let Some(job) = &mut self.track_index else {
            return;
        };
        if let Some((graph, ctx)) = job.poll() {
            self.rail_graph = Some(graph);
            self.ledger_ctx = Some(ctx);
            self.ledgers = LedgerCache::default();
            self.track_index = None;
        } else if !job.is_running() {
            self.track_index = None;
        }
    }

    /// Remove the layer at `index` (imported layers only), with all its parts.
    pub fn remove_layer(&mut self, index: usize) {
        let id = self
            .atlas
            .as_ref()
            .and_then(|a| a.layers.get(index))
            .filter(|l| l.kind == LayerKind::Imported)
            .map(|l| l.id.clone());
        if let Some(id) = id {
            self.files.cancel_import(&id);
            self.drop_imported_layer(&id);
        }
    }

    /// Take every part of imported layer `id` out of the atlas (the large-layer tiles follow
    /// with the next frame), rebuild the track index without it if it was track, and hand
    /// the freed memory back soon. Nothing happens if there is no such layer.
    fn drop_imported_layer(&mut self, id: &str) {
        let Some(atlas) = self.atlas.clone() else {
            return;
        };
        let mut parts = atlas
            .layers
            .iter()
            .filter(|l| l.id == id && l.kind == LayerKind::Imported)
            .peekable();
        if parts.peek().is_none() {
            return;
        }
        let was_track = parts.any(|l| l.is_track);
        let mut next = (*atlas).clone();
        drop(atlas);
        self.drop_layer_parts(&mut next, id);
        self.atlas = Some(Arc::new(next));
        if was_track {
            self.track_layers_changed();
        }
        self.give_back_free_memory();
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

    /// Import a GeoJSON or GeoJSONSeq file as a layer (File > Import, a dropped file, a file
    /// on the command line). Importing a file that is already a layer replaces it: the old
    /// layer goes before the new one is read (see [`AtlasApp::drop_before_reimport`]).
    pub fn import_file(&mut self, ctx: &egui::Context, path: &std::path::Path) {
        self.drop_before_reimport(path);
        self.files.import(ctx, path);
    }

    /// Drop the layer imported before from `path`, if any and if no import of it is running,
    /// so a re-import never holds two copies of a large network (a 90 MB network is ~190 MB
    /// loaded). Its parts leave the atlas at once, the large-layer tiles with the next frame,
    /// and the track index (which holds imported track) is rebuilt without them. Its
    /// visibility and opacity are kept for the new parts.
    fn drop_before_reimport(&mut self, path: &std::path::Path) {
        let id = corridor_domain::atlas::import::ImportTarget::for_path(path).id;
        if self.files.imports.iter().any(|j| j.id == id) {
            return; // already on its way: that import replaces it
        }
        if let Some(ui) = self.layers.iter().find(|l| l.id == id).cloned() {
            self.reimported_ui.retain(|u| u.id != id);
            self.reimported_ui.push(ui);
        }
        self.drop_imported_layer(&id);
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

    /// Open `path` once the map has loaded: a scenario opens, anything else is imported
    /// (`corridor-atlas FILE`).
    pub fn open_when_ready(&mut self, path: std::path::PathBuf) {
        self.pending_open = Some(path);
    }
}
