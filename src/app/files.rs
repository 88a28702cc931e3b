//! Files: open, save, import, recent files, drag-and-drop, autosave and recovery. All reading
//! and writing happens on worker threads; results come back as [`FileEvent`]s, so a slow disk
//! or a large file never freezes a frame. Dialogs are egui windows (`egui_file`), which work
//! the same on every desktop, under Xvfb and in tests.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use egui_file::FileDialog;

use crate::domain::bundled::layer_from_geojson;
use crate::domain::layer::{Layer, LayerKind};
use crate::domain::scenario::model::Scenario;
use crate::domain::scenario::recovery::{Recovered, RecoveryStore};
use crate::domain::scenario::{load, save_atomic};

/// How long after the last change the recovery copy is written.
pub const AUTOSAVE_DELAY: Duration = Duration::from_secs(2);
/// How many recent files the File menu lists.
const RECENT_MAX: usize = 8;

/// Why a file dialog is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogPurpose {
    Open,
    SaveAs,
    Import,
    /// Save an export (the comparison table) with this extension.
    Export(&'static str),
    /// A folder of SRTM `.hgt` tiles: a finer DEM for the ledger.
    Dem,
    /// A GeoTIFF DEM file.
    DemTiff,
    /// A folder to write the story's slides into as PNG.
    Slides,
}

/// What a worker thread reports.
pub enum FileEvent {
    Opened {
        path: PathBuf,
        scenario: Scenario,
    },
    Imported {
        path: PathBuf,
        layer: Layer,
    },
    Saved {
        path: PathBuf,
        revision: u64,
    },
    Exported(PathBuf),
    /// How many slides were written.
    SlidesExported(PathBuf, usize),
    /// A finer DEM was read; the ledger context rebuilt with it.
    DemLoaded(std::sync::Arc<crate::domain::ledger::LedgerContext>, String),
    RecoveryFound(Recovered),
    Autosaved,
    Failed(String),
}

/// File dialogs, worker threads and the recent-files list.
pub struct Files {
    dialog: Option<(DialogPurpose, FileDialog)>,
    tx: Sender<FileEvent>,
    rx: Receiver<FileEvent>,
    pub recent: Vec<PathBuf>,
    /// Jobs in flight, for the status bar.
    pub busy: usize,
    recovery: Option<RecoveryStore>,
    /// Text waiting for the export dialog's answer.
    pending_export: Option<String>,
    /// Revision of the document when it last changed, and when.
    changed: Option<(u64, Instant)>,
    autosaved_revision: Option<u64>,
}

impl Files {
    /// `recovery` is `None` in tests that must not touch the user's data directory.
    #[must_use]
    pub fn new(recent: Vec<PathBuf>, recovery: Option<RecoveryStore>) -> Self {
        let (tx, rx) = channel();
        Self {
            dialog: None,
            tx,
            rx,
            recent,
            busy: 0,
            recovery,
            pending_export: None,
            changed: None,
            autosaved_revision: None,
        }
    }

    /// The recovery store in the user's local data directory.
    #[must_use]
    pub fn default_recovery_store() -> Option<RecoveryStore> {
        directories::ProjectDirs::from("", "", "corridor-atlas")
            .map(|d| RecoveryStore::new(d.data_local_dir().join("recovery")))
    }

    fn spawn(
        &mut self,
        ctx: &egui::Context,
        name: &str,
        job: impl FnOnce() -> FileEvent + Send + 'static,
    ) {
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        self.busy += 1;
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let _ = tx.send(job());
                ctx.request_repaint();
            });
        if let Err(e) = spawned {
            self.busy -= 1;
            let _ = self
                .tx
                .send(FileEvent::Failed(format!("could not start {name}: {e}")));
        }
    }

    /// Look for a recovery copy left by a crash (answer arrives as `RecoveryFound`).
    pub fn check_recovery(&mut self, ctx: &egui::Context) {
        let Some(store) = self.recovery.clone() else {
            return;
        };
        self.spawn(ctx, "find-recovery", move || match store.try_find() {
            Ok(Some(r)) => FileEvent::RecoveryFound(r),
            Ok(None) => FileEvent::Autosaved,
            Err(e) => FileEvent::Failed(format!("The recovery copy could not be read: {e}")),
        });
    }

    /// Delete the recovery copy (after a save, a discard, or a clean exit).
    pub fn clear_recovery(&mut self) {
        if let Some(store) = &self.recovery {
            let _ = store.clear();
        }
        self.autosaved_revision = None;
    }

    /// Write a recovery copy once the document has been still for [`AUTOSAVE_DELAY`].
    pub fn autosave_tick(
        &mut self,
        ctx: &egui::Context,
        revision: u64,
        dirty: bool,
        scenario: &Scenario,
        source: Option<&Path>,
    ) {
        if self.recovery.is_none() {
            return;
        }
        match self.changed {
            Some((r, _)) if r == revision => {}
            _ => self.changed = Some((revision, Instant::now())),
        }
        if !dirty || self.autosaved_revision == Some(revision) {
            return;
        }
        let Some((_, since)) = self.changed else {
            return;
        };
        let waited = since.elapsed();
        if waited < AUTOSAVE_DELAY {
            ctx.request_repaint_after(AUTOSAVE_DELAY.saturating_sub(waited));
            return;
        }
        self.autosaved_revision = Some(revision);
        let Some(store) = self.recovery.clone() else {
            return;
        };
        let scenario = scenario.clone();
        let source = source.map(Path::to_path_buf);
        self.spawn(ctx, "autosave", move || {
            match store.write(&scenario, source.as_deref()) {
                Ok(()) => FileEvent::Autosaved,
                Err(e) => FileEvent::Failed(format!("Autosave failed: {e}")),
            }
        });
    }

    /// Open a dialog.
    pub fn show_dialog(&mut self, purpose: DialogPurpose, initial: Option<&Path>) {
        let mut d = match purpose {
            DialogPurpose::Open => FileDialog::open_file().title("Open scenario"),
            DialogPurpose::Import => FileDialog::open_file().title("Import GeoJSON layer"),
            DialogPurpose::SaveAs => FileDialog::save_file()
                .title("Save scenario as")
                .default_filename("scenario.geojson"),
            DialogPurpose::Export(ext) => FileDialog::save_file()
                .title("Export comparison")
                .default_filename(format!("comparison.{ext}")),
            DialogPurpose::Dem => FileDialog::select_folder().title("Folder of SRTM .hgt tiles"),
            DialogPurpose::DemTiff => {
                FileDialog::open_file().title("GeoTIFF elevation model (EPSG:4326)")
            }
            DialogPurpose::Slides => FileDialog::select_folder().title("Folder for the slide PNGs"),
        };
        if let Some(p) = initial.or_else(|| self.recent.first().map(PathBuf::as_path)) {
            d = d.initial_path(p.to_path_buf());
        }
        d.open();
        self.dialog = Some((purpose, d));
    }

    /// Show the open dialog, if any; returns what the user chose.
    pub fn dialog_ui(&mut self, ctx: &egui::Context) -> Option<(DialogPurpose, PathBuf)> {
        let (purpose, dialog) = self.dialog.as_mut()?;
        dialog.show(ctx);
        if dialog.selected() {
            let chosen = dialog.path().map(|p| (*purpose, p.to_path_buf()));
            self.dialog = None;
            return chosen;
        }
        if !dialog.visible() {
            self.dialog = None;
        }
        None
    }

    /// Ask where to save an export of `text`.
    pub fn show_export_dialog(&mut self, ext: &'static str, text: String) {
        self.pending_export = Some(text);
        self.show_dialog(DialogPurpose::Export(ext), None);
    }

    /// Write the pending export to `path` on a worker thread (atomically).
    pub fn export(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(text) = self.pending_export.take() else {
            return;
        };
        self.spawn(
            ctx,
            "export",
            move || match crate::domain::scenario::io::write_atomic(&path, text.as_bytes()) {
                Ok(()) => FileEvent::Exported(path),
                Err(e) => FileEvent::Failed(format!("Could not export: {e}")),
            },
        );
    }

    /// Read a folder of SRTM tiles and rebuild the ledger's context with it, on a worker thread.
    pub fn load_dem(
        &mut self,
        ctx: &egui::Context,
        dir: PathBuf,
        atlas: std::sync::Arc<crate::domain::Atlas>,
    ) {
        // A folder holds SRTM tiles; a file is a GeoTIFF.
        let read = if dir.is_dir() {
            crate::domain::ledger::dem::load_hgt_folder
        } else {
            crate::domain::ledger::dem::read_geotiff
        };
        self.spawn(ctx, "load-dem", move || match read(&dir) {
            Ok(grid) => {
                let label = if dir.is_dir() {
                    format!("SRTM tiles in {}", dir.display())
                } else {
                    dir.display().to_string()
                };
                let lctx =
                    crate::domain::ledger::LedgerContext::new(&atlas).with_dem(grid, label.clone());
                FileEvent::DemLoaded(std::sync::Arc::new(lctx), label)
            }
            Err(e) => FileEvent::Failed(format!("Could not read the elevation model: {e}")),
        });
    }

    /// Render every slide to `dir/slide-NN.png` (1920×1080) on a worker thread, exactly as
    /// `corridor-atlas render --all-slides` does.
    pub fn export_slides(
        &mut self,
        ctx: &egui::Context,
        dir: PathBuf,
        atlas: std::sync::Arc<crate::domain::Atlas>,
        scenario: Scenario,
        style: crate::domain::basemap::BasemapStyle,
    ) {
        self.spawn(ctx, "export-slides", move || {
            let renderer = match crate::domain::render::SlideRenderer::new(atlas) {
                Ok(r) => r,
                Err(e) => return FileEvent::Failed(format!("Could not export slides: {e}")),
            };
            for i in 0..scenario.story.slides.len() {
                let path = dir.join(format!("slide-{:02}.png", i + 1));
                let written = renderer
                    .render(&scenario, i, (1920, 1080), style)
                    .and_then(|p| crate::domain::render::save_png(&p, &path));
                if let Err(e) = written {
                    return FileEvent::Failed(format!("Could not export slide {}: {e}", i + 1));
                }
            }
            FileEvent::SlidesExported(dir, scenario.story.slides.len())
        });
    }

    /// Load a scenario on a worker thread.
    pub fn open(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.spawn(ctx, "open", move || match load(&path) {
            Ok(scenario) => FileEvent::Opened { path, scenario },
            Err(e) => FileEvent::Failed(format!("Could not open: {e}")),
        });
    }

    /// Read a GeoJSON file as an extra layer on a worker thread.
    pub fn import(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.spawn(ctx, "import", move || match import_layer(&path) {
            Ok(layer) => FileEvent::Imported { path, layer },
            Err(e) => FileEvent::Failed(format!("Could not import: {e}")),
        });
    }

    /// A dropped file: a Corridor Atlas scenario opens, any other GeoJSON becomes a layer.
    pub fn dropped(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.spawn(ctx, "open-dropped", move || {
            let is_scenario = std::fs::read(&path)
                .is_ok_and(|bytes| bytes.windows(15).any(|w| w == b"\"corridor_atlas"));
            if is_scenario {
                match load(&path) {
                    Ok(scenario) => FileEvent::Opened { path, scenario },
                    Err(e) => FileEvent::Failed(format!("Could not open: {e}")),
                }
            } else {
                match import_layer(&path) {
                    Ok(layer) => FileEvent::Imported { path, layer },
                    Err(e) => FileEvent::Failed(format!("Could not import: {e}")),
                }
            }
        });
    }

    /// Save on a worker thread (atomic: temp file, fsync, rename).
    pub fn save(&mut self, ctx: &egui::Context, path: PathBuf, scenario: Scenario, revision: u64) {
        self.spawn(ctx, "save", move || match save_atomic(&path, &scenario) {
            Ok(()) => FileEvent::Saved { path, revision },
            Err(e) => FileEvent::Failed(format!("Could not save: {e}")),
        });
    }

    /// Results of finished jobs.
    pub fn poll(&mut self) -> Vec<FileEvent> {
        let events: Vec<FileEvent> = self.rx.try_iter().collect();
        self.busy = self.busy.saturating_sub(events.len());
        events
    }

    /// Put `path` at the top of the recent files.
    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(RECENT_MAX);
    }
}

/// Read and index a GeoJSON file as an imported layer (styled by its simplestyle properties).
pub fn import_layer(path: &Path) -> Result<Layer, String> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let text = read_text(path)?;
    let id = format!("import:{}", path.display());
    layer_from_geojson(LayerKind::Imported, &id, &name, "imported", &name, &text)
        .map_err(|e| e.to_string())
}

/// Read a file as UTF-8 text with a message that names it.
pub fn read_text(path: &Path) -> Result<String, String> {
    let shown = path.display();
    if path.is_dir() {
        return Err(format!("{shown}: is a directory, not a file"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{shown}: not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}
