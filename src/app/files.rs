//! Files: open, save, import, recent files, drag-and-drop, autosave and recovery. All reading
//! and writing happens on worker threads ([`Job`]s), even the look at a dropped file's kind
//! and first bytes: results come back as [`FileEvent`]s, so a slow disk, a large file or a
//! named pipe with no writer never freezes a frame. Dialogs are egui windows (`egui_file`), which work
//! the same on every desktop, under Xvfb and in tests.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use egui_file::FileDialog;

use corridor_domain::atlas::import::{ImportError, ImportSummary, ImportTarget, import_file};
use corridor_domain::data::geojson_stream::StreamProgress;
use corridor_domain::map::layer::Layer;
use corridor_domain::measure::ledger::LedgerContext;
use corridor_domain::plan::exchange::{ExportFormat, LineFormat, read_lines_file, scenario_table};
use corridor_domain::plan::scenario::model::Scenario;
use corridor_domain::plan::scenario::recovery::{Recovered, RecoveryStore};
use corridor_domain::plan::scenario::{load, save_atomic};

pub use super::dialogs::DialogPurpose;
use super::dialogs::{SCENARIO_EXTENSIONS, dialog_extensions, dialog_start, has_extension};
use super::jobs::{Job, Reporter};

/// How long after the last change the recovery copy is written.
pub const AUTOSAVE_DELAY: Duration = Duration::from_secs(2);
/// How many recent files the File menu lists.
const RECENT_MAX: usize = 8;

/// What a worker thread reports.
pub enum FileEvent {
    Opened {
        path: PathBuf,
        scenario: Scenario,
        /// The user already agreed to replace the current document (File ▸ Open asks
        /// first); a dropped file did not, so unsaved work is asked about when it arrives.
        confirmed: bool,
    },
    /// One more part of an import in progress (parts share the layer id).
    ImportPart {
        id: String,
        layer: Layer,
    },
    /// An import ended: every part delivered, or failed/cancelled (drop its parts).
    ImportDone {
        id: String,
        path: PathBuf,
        result: Result<ImportSummary, ImportError>,
    },
    Saved {
        path: PathBuf,
        revision: u64,
    },
    Exported(PathBuf),
    /// KML/GPX lines read as alternatives, to be added to the open document.
    LinesRead {
        path: PathBuf,
        scenario: Scenario,
    },
    /// How many slides were written.
    SlidesExported(PathBuf, usize),
    /// A PDF deck was written, with this many pages.
    DeckExported(PathBuf, usize),
    /// A finer DEM was read; the ledger context rebuilt with it.
    DemLoaded(
        std::sync::Arc<corridor_domain::measure::ledger::LedgerContext>,
        String,
    ),
    /// Recovery copies left by instances that are gone, oldest first.
    RecoveryFound(Vec<Recovered>),
    /// A dropped (or command-line) file that is not a scenario: import it as a layer, with
    /// a word for the status bar (a named pipe is streamed as it is written).
    ImportRequested {
        path: PathBuf,
        note: Option<String>,
    },
    Autosaved,
    Failed(String),
}

/// An import in progress: what the progress bar shows and the Cancel button sets.
pub struct ImportJob {
    pub id: String,
    pub path: PathBuf,
    pub progress: Arc<StreamProgress>,
    /// Parts received so far.
    pub parts: usize,
    pub started: Instant,
}

impl ImportJob {
    /// "net.geojson: 45.3 of 90.1 MB, 48,211 features".
    #[must_use]
    pub fn describe(&self) -> String {
        let mb = |b: u64| b as f64 / 1e6;
        let read = self.progress.bytes_read.load(Ordering::Relaxed);
        let total = self.progress.bytes_total.load(Ordering::Relaxed);
        let features = self.progress.features.load(Ordering::Relaxed);
        let name = self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        format!(
            "{name}: {:.1} of {:.1} MB, {} features",
            mb(read),
            mb(total),
            thousands(features)
        )
    }

    /// Fraction of the file read, 0..=1.
    #[must_use]
    pub fn fraction(&self) -> f32 {
        let read = self.progress.bytes_read.load(Ordering::Relaxed) as f64;
        let total = self.progress.bytes_total.load(Ordering::Relaxed) as f64;
        if total > 0.0 {
            (read / total).clamp(0.0, 1.0) as f32
        } else {
            0.0
        }
    }
}

/// 48211 → "48,211".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// File dialogs, worker threads and the recent-files list.
pub struct Files {
    dialog: Option<(DialogPurpose, FileDialog)>,
    /// Workers in flight; each reports [`FileEvent`]s.
    jobs: Vec<Job<FileEvent>>,
    /// Failures to start a worker, reported on the next poll.
    not_started: Vec<FileEvent>,
    pub recent: Vec<PathBuf>,
    /// Imports in progress, oldest first.
    pub imports: Vec<ImportJob>,
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
        Self {
            dialog: None,
            jobs: Vec::new(),
            not_started: Vec::new(),
            recent,
            imports: Vec::new(),
            recovery,
            pending_export: None,
            changed: None,
            autosaved_revision: None,
        }
    }

    /// The recovery store in the user's local data directory.
    #[must_use]
    pub fn default_recovery_store() -> Option<RecoveryStore> {
        project_dirs().map(|d| RecoveryStore::new(d.data_local_dir().join("recovery")))
    }

    /// Run `work` on a worker that reports any number of events.
    fn spawn_reporting(
        &mut self,
        ctx: &egui::Context,
        name: &str,
        work: impl FnOnce(&Reporter<FileEvent>) + Send + 'static,
    ) {
        match Job::spawn(ctx, name, work) {
            Ok(job) => self.jobs.push(job),
            Err(e) => self
                .not_started
                .push(FileEvent::Failed(format!("could not start {name}: {e}"))),
        }
    }

    /// Run `work` on a worker and report its one event.
    fn spawn(
        &mut self,
        ctx: &egui::Context,
        name: &str,
        work: impl FnOnce() -> FileEvent + Send + 'static,
    ) {
        self.spawn_reporting(ctx, name, move |r| r.send(work()));
    }

    /// Workers in flight, for the status bar.
    #[must_use]
    pub fn busy(&self) -> usize {
        self.jobs.iter().filter(|j| j.is_running()).count()
    }

    /// Look for recovery copies left by instances that are gone (killed, crashed): the answer
    /// arrives as `RecoveryFound`, and unreadable copies as `Failed`.
    pub fn check_recovery(&mut self, ctx: &egui::Context) {
        let Some(store) = self.recovery.clone() else {
            return;
        };
        self.spawn_reporting(ctx, "find-recovery", move |r| {
            let (found, errors) = store.orphans();
            for e in errors {
                r.send(FileEvent::Failed(format!(
                    "A recovery copy could not be read (left on disk): {e}"
                )));
            }
            if !found.is_empty() {
                r.send(FileEvent::RecoveryFound(found));
            }
        });
    }

    /// The user chose to recover `r` into this window: write it as this instance's own copy
    /// first, then remove the orphan, so the work is on disk at every moment.
    pub fn adopt_recovered(&mut self, ctx: &egui::Context, r: &Recovered) {
        self.autosaved_revision = None;
        let Some(store) = self.recovery.clone() else {
            return;
        };
        let scenario = r.scenario.clone();
        let source = r.source_path.clone();
        let orphan = r.copy_path.clone();
        self.spawn(ctx, "adopt-recovery", move || {
            match store
                .write(&scenario, source.as_deref())
                .and_then(|()| RecoveryStore::discard(&orphan))
            {
                Ok(()) => FileEvent::Autosaved,
                Err(e) => FileEvent::Failed(format!("Recovery copy: {e}")),
            }
        });
    }

    /// The user declined the orphaned copy at `copy`: delete it (on a worker).
    pub fn discard_recovered(&mut self, ctx: &egui::Context, copy: PathBuf) {
        self.spawn(
            ctx,
            "discard-recovery",
            move || match RecoveryStore::discard(&copy) {
                Ok(()) => FileEvent::Autosaved,
                Err(e) => FileEvent::Failed(format!("Could not discard the recovery copy: {e}")),
            },
        );
    }

    /// Delete this instance's own recovery copy (after a save, a discard, or a clean exit);
    /// other instances' copies are never touched.
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

    /// Open a dialog in the folder of `initial` (the document's file), else of the most
    /// recent file, listing only the files the purpose can use. Both are files, never
    /// folders: the dialog starts in their folder with their name as the default (egui_file
    /// would otherwise try to list a file as a folder).
    pub fn show_dialog(&mut self, purpose: DialogPurpose, initial: Option<&Path>) {
        let start = initial.or_else(|| self.recent.first().map(PathBuf::as_path));
        let (folder, name) = dialog_start(start);
        let stem = name
            .as_deref()
            .and_then(|n| Path::new(n).file_stem())
            .map_or_else(
                || "scenario".to_owned(),
                |s| s.to_string_lossy().into_owned(),
            );
        let mut d = match purpose {
            DialogPurpose::Open => FileDialog::open_file().title("Open scenario, KML or GPX"),
            DialogPurpose::Import => {
                FileDialog::open_file().title("Import GeoJSON layer, or KML/GPX lines")
            }
            DialogPurpose::SaveAs => FileDialog::save_file()
                .title("Save scenario as")
                .default_filename(
                    name.filter(|n| has_extension(Path::new(n), SCENARIO_EXTENSIONS))
                        .unwrap_or_else(|| format!("{stem}.geojson")),
                ),
            DialogPurpose::Export(ext) => FileDialog::save_file()
                .title("Export comparison")
                .default_filename(format!("comparison.{ext}")),
            DialogPurpose::ExportAlternatives(format) => FileDialog::save_file()
                .title(&format!("Export alternatives as {}", format.label()))
                .default_filename(format!("{stem}.{}", format.extension())),
            DialogPurpose::Dem => FileDialog::select_folder().title("Folder of SRTM .hgt tiles"),
            DialogPurpose::DemTiff => {
                FileDialog::open_file().title("GeoTIFF elevation model (EPSG:4326)")
            }
            DialogPurpose::Slides => FileDialog::select_folder().title("Folder for the slide PNGs"),
            DialogPurpose::Deck => FileDialog::save_file()
                .title("Export story as PDF")
                .default_filename("story.pdf"),
        };
        if let Some(extensions) = dialog_extensions(purpose) {
            d = d.show_files_filter(Box::new(move |p: &Path| has_extension(p, &extensions)));
        }
        if let Some(folder) = folder {
            d = d.initial_path(folder);
        }
        d.open();
        self.dialog = Some((purpose, d));
    }

    /// The folder the open dialog shows, if a dialog is open.
    #[must_use]
    pub fn dialog_directory(&self) -> Option<&Path> {
        self.dialog.as_ref().map(|(_, d)| d.directory())
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
            move || match corridor_domain::plan::scenario::io::write_atomic(&path, text.as_bytes())
            {
                Ok(()) => FileEvent::Exported(path),
                Err(e) => FileEvent::Failed(format!("Could not export: {e}")),
            },
        );
    }

    /// Compute every alternative's ledger against `ledger_ctx` and write them in `format`
    /// to `path`, on a worker thread (atomically, like a save).
    pub fn export_alternatives(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        format: ExportFormat,
        scenario: Scenario,
        ledger_ctx: Arc<LedgerContext>,
    ) {
        self.spawn(ctx, "export-alternatives", move || {
            let title = path.file_stem().map_or_else(
                || "Corridor Atlas".to_owned(),
                |s| s.to_string_lossy().into_owned(),
            );
            let settings = scenario.settings.ledger_settings();
            let table = scenario_table(&title, &scenario, &ledger_ctx, &settings);
            let written = format
                .write(&table)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    corridor_domain::plan::scenario::io::write_atomic(&path, &bytes)
                        .map_err(|e| e.to_string())
                });
            match written {
                Ok(()) => FileEvent::Exported(path),
                Err(e) => FileEvent::Failed(format!("Could not export: {e}")),
            }
        });
    }

    /// Read a folder of SRTM tiles and rebuild the ledger's context with it, on a worker thread.
    pub fn load_dem(
        &mut self,
        ctx: &egui::Context,
        dir: PathBuf,
        atlas: std::sync::Arc<corridor_domain::Atlas>,
    ) {
        self.spawn(ctx, "load-dem", move || {
            // A folder holds SRTM tiles; a file is a GeoTIFF.
            let read = if dir.is_dir() {
                corridor_domain::measure::ledger::dem::load_hgt_folder
            } else {
                corridor_domain::measure::ledger::dem::read_geotiff
            };
            match read(&dir) {
                Ok(grid) => {
                    let label = if dir.is_dir() {
                        format!("SRTM tiles in {}", dir.display())
                    } else {
                        dir.display().to_string()
                    };
                    let lctx = corridor_domain::measure::ledger::LedgerContext::new(&atlas)
                        .with_dem(grid, label.clone());
                    FileEvent::DemLoaded(std::sync::Arc::new(lctx), label)
                }
                Err(e) => FileEvent::Failed(format!("Could not read the elevation model: {e}")),
            }
        });
    }

    /// Render every slide to `dir/slide-NN.png` (1920×1080) on a worker thread, exactly as
    /// `corridor-atlas render --all-slides` does.
    pub fn export_slides(
        &mut self,
        ctx: &egui::Context,
        dir: PathBuf,
        atlas: std::sync::Arc<corridor_domain::Atlas>,
        scenario: Scenario,
        style: corridor_domain::draw::basemap::BasemapStyle,
    ) {
        self.spawn(ctx, "export-slides", move || {
            let renderer = match corridor_domain::draw::render::SlideRenderer::new(atlas) {
                Ok(r) => r,
                Err(e) => return FileEvent::Failed(format!("Could not export slides: {e}")),
            };
            for i in 0..scenario.story.slides.len() {
                let path = dir.join(format!("slide-{:02}.png", i + 1));
                let written = renderer
                    .render(&scenario, i, (1920, 1080), style)
                    .and_then(|p| corridor_domain::draw::render::save_png(&p, &path));
                if let Err(e) = written {
                    return FileEvent::Failed(format!("Could not export slide {}: {e}", i + 1));
                }
            }
            FileEvent::SlidesExported(dir, scenario.story.slides.len())
        });
    }

    /// Write the story as a PDF deck (1920×1080 slides, vector text, notes pages) on a worker
    /// thread, exactly as `corridor-atlas render --pdf --notes` does; comparison slides use
    /// `ledger`, the context of the Compare panel, so the deck shows the panel's figures.
    pub fn export_deck(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        atlas: std::sync::Arc<corridor_domain::Atlas>,
        ledger: Option<std::sync::Arc<corridor_domain::measure::ledger::LedgerContext>>,
        scenario: Scenario,
        style: corridor_domain::draw::basemap::BasemapStyle,
    ) {
        use corridor_domain::draw::render::deck::{DeckOptions, save_deck};
        self.spawn(ctx, "export-deck", move || {
            let renderer = match corridor_domain::draw::render::SlideRenderer::new(atlas) {
                Ok(r) => r,
                Err(e) => return FileEvent::Failed(format!("Could not export the deck: {e}")),
            };
            let renderer = match ledger {
                Some(l) => renderer.with_ledger_context(l),
                None => renderer,
            };
            let options = DeckOptions {
                style,
                notes: true,
                ..DeckOptions::default()
            };
            match save_deck(&renderer, &scenario, &options, &path, &mut |_, _| {}) {
                Ok(pages) => FileEvent::DeckExported(path, pages),
                Err(e) => FileEvent::Failed(format!("Could not export the deck: {e}")),
            }
        });
    }

    /// Load a scenario on a worker thread; a `.kml` or `.gpx` file is read as lines to add
    /// to the open document as alternatives.
    pub fn open(&mut self, ctx: &egui::Context, path: PathBuf) {
        if LineFormat::of_path(&path).is_some() {
            self.read_lines(ctx, path);
            return;
        }
        self.spawn(ctx, "open", move || match load(&path) {
            Ok(scenario) => FileEvent::Opened {
                path,
                scenario,
                confirmed: true,
            },
            Err(e) => FileEvent::Failed(format!("Could not open: {e}")),
        });
    }

    /// Read the lines of a KML or GPX file on a worker thread; they arrive as
    /// [`FileEvent::LinesRead`].
    pub fn read_lines(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.spawn(ctx, "read-lines", move || match read_lines_file(&path) {
            Ok(scenario) => FileEvent::LinesRead { path, scenario },
            Err(e) => FileEvent::Failed(format!("Could not import: {e}")),
        });
    }

    /// Import a GeoJSON or GeoJSONSeq file as an extra layer, streamed on a worker thread:
    /// parts arrive as [`FileEvent::ImportPart`], the end as [`FileEvent::ImportDone`], and
    /// [`Files::imports`] holds the progress meanwhile.
    pub fn import(&mut self, ctx: &egui::Context, path: &Path) {
        if LineFormat::of_path(path).is_some() {
            self.read_lines(ctx, path.to_path_buf());
            return;
        }
        let target = ImportTarget::for_path(path);
        if self.imports.iter().any(|j| j.id == target.id) {
            return; // already on its way
        }
        let progress = Arc::new(StreamProgress::default());
        let job_progress = Arc::clone(&progress);
        let id = target.id.clone();
        let job_path = path.to_path_buf();
        self.imports.push(ImportJob {
            id: id.clone(),
            path: path.to_path_buf(),
            progress,
            parts: 0,
            started: Instant::now(),
        });
        self.spawn_reporting(ctx, "import", move |reporter| {
            // Both cores for seconds: only what the UI leaves (its parser and builder inherit).
            crate::app::jobs::run_when_idle();
            let part_id = id.clone();
            let result = import_file(&job_path, &target, &job_progress, |layer| {
                reporter.send_soon(
                    FileEvent::ImportPart {
                        id: part_id.clone(),
                        layer,
                    },
                    crate::app::jobs::STREAM_REPAINT,
                );
            });
            reporter.send(FileEvent::ImportDone {
                id,
                path: job_path,
                result,
            });
        });
    }

    /// The import of layer `id` has ended and its result was handled.
    pub fn end_import(&mut self, id: &str) {
        self.imports.retain(|j| j.id != id);
    }

    /// Ask the import of layer `id` to stop; its parts go when it reports back.
    pub fn cancel_import(&self, id: &str) {
        for job in self.imports.iter().filter(|j| j.id == id) {
            job.progress.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// A dropped (or command-line) file: a Corridor Atlas scenario opens, any other GeoJSON
    /// becomes a layer. A worker looks at what the path is and reads the start of the file
    /// to tell which (a network may be 100 MB); the answer is `Opened`, `ImportRequested` or
    /// `Failed`. A named pipe is imported as it is written (its start cannot be read twice);
    /// a directory or a device is refused.
    pub fn dropped(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.spawn(ctx, "open-dropped", move || classify_dropped(path));
    }

    /// Save on a worker thread (atomic: temp file, fsync, rename).
    pub fn save(&mut self, ctx: &egui::Context, path: PathBuf, scenario: Scenario, revision: u64) {
        self.spawn(ctx, "save", move || match save_atomic(&path, &scenario) {
            Ok(()) => FileEvent::Saved { path, revision },
            Err(e) => FileEvent::Failed(format!("Could not save: {e}")),
        });
    }

    /// What the workers reported since the last frame; finished workers are forgotten.
    pub fn poll(&mut self) -> Vec<FileEvent> {
        let mut events = std::mem::take(&mut self.not_started);
        for job in &mut self.jobs {
            while let Some(event) = job.poll() {
                events.push(event);
            }
        }
        self.jobs.retain(Job::is_running);
        events
    }

    /// Put `path` at the top of the recent files.
    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(RECENT_MAX);
    }
}

/// The one folder name for everything the app writes (settings, recovery copies, tile
/// cache): `~/.local/share/corridor-atlas/` and `~/.cache/corridor-atlas/` on Linux.
pub const DATA_FOLDER: &str = "corridor-atlas";

/// The platform's folders for [`DATA_FOLDER`].
#[must_use]
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", DATA_FOLDER)
}

/// Where eframe keeps the settings (`app.ron`): beside the recovery copies, in the data
/// folder, rather than the folder eframe would derive from the window title
/// (`corridoratlas`). Settings left there by an earlier version are copied over once, so
/// recent files and the basemap choice survive the move (best effort: at worst the defaults).
#[must_use]
pub fn settings_path() -> Option<PathBuf> {
    let dirs = project_dirs()?;
    let path = dirs.data_local_dir().join("app.ron");
    if !path.exists() {
        let old = dirs
            .data_local_dir()
            .parent()
            .map(|share| share.join("corridoratlas").join("app.ron"));
        if let Some(old) = old.filter(|o| o.is_file()) {
            let _ = std::fs::create_dir_all(dirs.data_local_dir())
                .and_then(|()| std::fs::copy(&old, &path));
        }
    }
    Some(path)
}

/// What a dropped file is and what to do with it (runs on a worker: opening a FIFO blocks
/// until a writer comes).
fn classify_dropped(path: PathBuf) -> FileEvent {
    let shown = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) => return FileEvent::Failed(format!("Could not open {shown}: {e}")),
    };
    if meta.is_dir() {
        return FileEvent::Failed(format!(
            "Could not open {shown}: it is a folder, not a file"
        ));
    }
    if !meta.is_file() {
        // Refused up front, like every other non-regular file: opening one blocks until a
        // writer comes. Streaming from a pipe is a deliberate act: File ▸ Import GeoJSON layer.
        if corridor_domain::data::file::is_fifo(&meta) {
            return FileEvent::Failed(format!(
                "Could not open {shown}: it is a named pipe, not a file (to stream from a pipe, use File > Import GeoJSON layer)"
            ));
        }
        return FileEvent::Failed(format!(
            "Could not open {shown}: it is a device or socket, not a file"
        ));
    }
    if LineFormat::of_path(&path).is_some() {
        return match read_lines_file(&path) {
            Ok(scenario) => FileEvent::LinesRead { path, scenario },
            Err(e) => FileEvent::Failed(format!("Could not import: {e}")),
        };
    }
    if is_scenario_file(&path) {
        match load(&path) {
            Ok(scenario) => FileEvent::Opened {
                path,
                scenario,
                confirmed: false,
            },
            Err(e) => FileEvent::Failed(format!("Could not open: {e}")),
        }
    } else {
        FileEvent::ImportRequested { path, note: None }
    }
}

/// Whether `path` is a Corridor Atlas scenario: its first 256 KiB mention `"corridor_atlas`
/// (the scenario member or a feature's `corridor_atlas_id`).
fn is_scenario_file(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(256 << 10);
    std::fs::File::open(path)
        .and_then(|f| f.take(256 << 10).read_to_end(&mut head))
        .is_ok_and(|_| head.windows(15).any(|w| w == b"\"corridor_atlas"))
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

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_recovery_copies_share_one_folder_named_corridor_atlas() {
        let (Some(settings), Some(store)) = (settings_path(), Files::default_recovery_store())
        else {
            return; // no home directory: nothing is written at all
        };
        let data = settings.parent().expect("settings folder");
        assert!(data.ends_with("corridor-atlas"), "{}", data.display());
        assert_eq!(settings.file_name(), Some(std::ffi::OsStr::new("app.ron")));
        let copy = store.path();
        assert_eq!(
            copy.parent().and_then(Path::parent),
            Some(data),
            "recovery copies live in <data>/recovery"
        );
    }
}
