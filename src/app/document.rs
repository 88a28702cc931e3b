//! The open document's lifecycle: new, open, example, save, the answers of the file
//! workers (opened, saved, imported, exported), autosave and the close request.

use std::path::PathBuf;

use corridor_domain::plan::scenario::history::Document;
use corridor_domain::plan::scenario::model::Scenario;

use super::command::Command;
use super::compare::LedgerCache;
use super::dialogs::with_default_extension;
use super::files::{DialogPurpose, FileEvent};
use super::{APP_NAME, AtlasApp, EXAMPLE_SCENARIO};

/// Something that would drop unsaved changes, waiting for the user's answer.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Pending {
    New,
    Open(PathBuf),
    /// A dropped file, already read, waiting to replace unsaved work.
    OpenLoaded(PathBuf, Box<Scenario>),
    OpenDialog,
    Example,
    Quit,
}

/// A question about the document the app is asking (chrome shows it).
// One at a time, and it lives for a few frames: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub(super) enum Modal {
    /// Copies left by windows that were killed or crashed, oldest first.
    Recovery(Vec<corridor_domain::plan::scenario::recovery::Recovered>),
    UnsavedChanges(Pending),
}

impl AtlasApp {
    /// Ask before dropping unsaved changes, then do `action`.
    pub(super) fn request(&mut self, ctx: &egui::Context, action: Pending) {
        if self.doc.is_dirty() {
            self.modal = Some(Modal::UnsavedChanges(action));
        } else {
            self.perform(ctx, action);
        }
    }

    pub(super) fn perform(&mut self, ctx: &egui::Context, action: Pending) {
        match action {
            Pending::New => {
                self.replace_document(Document::default());
                self.files.clear_recovery();
            }
            Pending::Open(path) => self.files.open(ctx, path),
            Pending::OpenLoaded(path, scenario) => self.adopt_opened(path, *scenario),
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

    pub(super) fn replace_document(&mut self, doc: Document) {
        self.doc = doc;
        // A new document starts at revision 0 again: ledgers checked against the old one's
        // revision 0 would pass as up to date and Compare would show the old (or no) rows.
        self.ledgers = LedgerCache::default();
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

    pub(super) fn save_as(&mut self) {
        let dir = self.doc.path.clone();
        self.files
            .show_dialog(DialogPurpose::SaveAs, dir.as_deref());
    }

    pub(super) fn handle_file_events(&mut self, ctx: &egui::Context) {
        if let Some((purpose, path)) = self.files.dialog_ui(ctx) {
            match purpose {
                DialogPurpose::Open => self.files.open(ctx, path),
                DialogPurpose::Import => self.import_file(ctx, &path),
                DialogPurpose::Export(_) => self.files.export(ctx, path),
                DialogPurpose::ExportAlternatives(format) => match self.ledger_ctx.clone() {
                    Some(lctx) => self.files.export_alternatives(
                        ctx,
                        with_default_extension(path, format.extension()),
                        format,
                        self.doc.scenario().clone(),
                        lctx,
                    ),
                    None => {
                        self.status =
                            Some("The map is still loading; export again in a moment.".into());
                    }
                },
                DialogPurpose::Slides | DialogPurpose::Deck => match self.atlas.clone() {
                    Some(atlas) => {
                        let style = if self.basemaps.is_dark() {
                            corridor_domain::draw::basemap::BasemapStyle::Dark
                        } else {
                            corridor_domain::draw::basemap::BasemapStyle::Light
                        };
                        let scenario = self.doc.scenario().clone();
                        if purpose == DialogPurpose::Deck {
                            let ledger = self.ledger_ctx.clone();
                            self.files.export_deck(
                                ctx,
                                with_default_extension(path, "pdf"),
                                atlas,
                                ledger,
                                scenario,
                                style,
                            );
                        } else {
                            self.files.export_slides(ctx, path, atlas, scenario, style);
                        }
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
                    let path = with_default_extension(path, "geojson");
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
                FileEvent::Opened {
                    path,
                    scenario,
                    confirmed,
                } => {
                    if confirmed || !self.doc.is_dirty() {
                        self.adopt_opened(path, scenario);
                    } else {
                        // A dropped scenario never replaces unsaved work (nor its recovery
                        // copy) without asking.
                        self.modal = Some(Modal::UnsavedChanges(Pending::OpenLoaded(
                            path,
                            Box::new(scenario),
                        )));
                    }
                }
                FileEvent::ImportRequested { path, note } => {
                    if note.is_some() {
                        self.status = note;
                    }
                    self.import_file(ctx, &path);
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
                FileEvent::RecoveryFound(found) => {
                    for r in &found {
                        eprintln!(
                            "corridor-atlas: recovery copy found ({} alignments) of {} at {}",
                            r.scenario.alignments.len(),
                            r.source_path.as_ref().map_or_else(
                                || "an unsaved scenario".to_owned(),
                                |p| p.display().to_string()
                            ),
                            r.copy_path.display()
                        );
                    }
                    self.modal = Some(Modal::Recovery(found));
                }
                FileEvent::Autosaved => {}
                FileEvent::LinesRead { path, scenario } => {
                    let n = scenario.alignments.len();
                    // One undo step; ids are replaced by unused ones when applied.
                    self.queue_commands([Command::AddAlignments(scenario.alignments)]);
                    self.status = Some(format!(
                        "Added {n} alternative{} from {}",
                        if n == 1 { "" } else { "s" },
                        path.display()
                    ));
                }
                FileEvent::Exported(path) => {
                    self.status = Some(format!("Exported {}", path.display()));
                }
                FileEvent::SlidesExported(dir, n) => {
                    self.status = Some(format!("Wrote {n} slides to {}", dir.display()));
                }
                FileEvent::DeckExported(path, pages) => {
                    self.status = Some(format!("Wrote a {pages}-page deck to {}", path.display()));
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

    /// Make a scenario read from `path` the document. The work it replaces was saved, or the
    /// user chose not to keep it, so this window's recovery copy goes too (other windows'
    /// copies are never touched).
    fn adopt_opened(&mut self, path: PathBuf, scenario: Scenario) {
        self.status = Some(format!("Opened {}", path.display()));
        self.files.remember(&path);
        self.replace_document(Document::new(scenario, Some(path)));
        self.files.clear_recovery();
    }

    /// The window title: the file's name (or "Untitled"), a dot while there are unsaved
    /// changes, then the app's name: `my.geojson • — Corridor Atlas`.
    #[must_use]
    pub fn window_title(&self) -> String {
        let name = self
            .doc
            .path
            .as_deref()
            .and_then(|p| p.file_name())
            .map_or_else(
                || "Untitled".to_owned(),
                |n| n.to_string_lossy().into_owned(),
            );
        let mark = if self.doc.is_dirty() { " •" } else { "" };
        format!("{name}{mark} — {APP_NAME}")
    }

    /// Tell the window its title when it changed (not every frame: the window system is
    /// asked only when the name or the unsaved mark changes).
    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.window_title();
        if self.shown_title != title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }

    /// Open the bundled example scenario (corridor options and their story).
    pub fn open_example(&mut self, ctx: &egui::Context) {
        self.perform(ctx, Pending::Example);
    }
}
