//! "Suggest": least-cost alignments between two places, computed on a worker thread with
//! progress and cancel; results arrive as new alternatives (drawn dashed until accepted), in
//! one undo step. "Accept all suggestions" keeps them all, also in one undo step.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use egui::Ui;

use super::AtlasApp;
use super::command::Command;
use super::jobs::Job;
use corridor_domain::Atlas;
use corridor_domain::measure::ledger::LedgerContext;
use corridor_domain::plan::scenario::model::AlignmentId;
use corridor_domain::plan::suggest::{
    Corridor, Endpoint, RankBy, SuggestContext, SuggestProblem, SuggestSettings, Suggestion,
    resolve_endpoint, suggest,
};

/// A finished run.
pub struct SuggestResult {
    pub from: Endpoint,
    pub to: Endpoint,
    pub suggestions: Vec<Suggestion>,
    pub stopped_because: String,
    /// Which DEM the terrain and grade rule used.
    pub terrain: String,
}

/// One line of the ranked list the panel shows after a run.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedLine {
    /// "1. 2,306 km · US$3.21 bn · 45 h": the alternative's ledger figures.
    pub figures: String,
    /// What distinguishes it ("via Kabul and Torkham; 2 crossings; 38 % on existing track").
    pub distinction: String,
}

/// The via field as place texts: separated by semicolons when there are any (so `LON,LAT`
/// pairs can be given), else by commas ("Logar, Kharlachi").
#[must_use]
pub fn split_vias(text: &str) -> Vec<String> {
    let separator = if text.contains(';') { ';' } else { ',' };
    text.split(separator)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

struct Running {
    progress: Arc<Mutex<f32>>,
    cancel: Arc<AtomicBool>,
    job: Job<Result<SuggestResult, String>>,
}

/// A built context and what it was built from. The atlas is held weakly so a replaced
/// atlas (with a large import) is freed, and compared by allocation, which a `Weak` keeps.
struct CachedContext {
    atlas: Weak<Atlas>,
    settings: SuggestSettings,
    /// The ledger context the alternatives are measured against (Compare's), by allocation.
    ledger: Option<Weak<LedgerContext>>,
    context: Arc<SuggestContext>,
}

impl CachedContext {
    fn serves(
        &self,
        atlas: &Arc<Atlas>,
        settings: &SuggestSettings,
        ledger: Option<&Arc<LedgerContext>>,
    ) -> bool {
        let same_ledger = match (&self.ledger, ledger) {
            (None, None) => true,
            (Some(a), Some(b)) => a.ptr_eq(&Arc::downgrade(b)),
            _ => false,
        };
        self.atlas.ptr_eq(&Arc::downgrade(atlas)) && self.settings == *settings && same_ledger
    }
}

/// Panel state.
pub struct SuggestPanel {
    pub from: String,
    pub to: String,
    /// Places to pass through, in order ("Logar, Kharlachi").
    pub via: String,
    pub rank_by: RankBy,
    pub alternatives: usize,
    /// Keep the alternatives within `corridor_km` of the selected alternative's line.
    pub corridor_on: bool,
    pub corridor_km: f64,
    /// The last run's alternatives, best first, as the list shows them.
    pub ranked: Vec<RankedLine>,
    /// Why the last run found no more alternatives.
    pub stopped_because: Option<String>,
    /// The DEM the last run's terrain came from ("bundled ETOPO5 only …").
    pub terrain: Option<String>,
    running: Option<Running>,
    /// The cost surface and track graph, built on the first run and reused while the atlas
    /// (its layers: an import adds track) and the settings (unit costs, reuse rules) stay
    /// the same.
    context: Arc<Mutex<Option<CachedContext>>>,
    pub message: Option<String>,
}

impl Default for SuggestPanel {
    fn default() -> Self {
        Self {
            from: "Termez".into(),
            to: "Karachi".into(),
            via: String::new(),
            rank_by: RankBy::default(),
            alternatives: 3,
            corridor_on: false,
            corridor_km: 50.0,
            ranked: Vec::new(),
            stopped_because: None,
            terrain: None,
            running: None,
            context: Arc::new(Mutex::new(None)),
            message: None,
        }
    }
}

impl SuggestPanel {
    /// Whether a run is in progress.
    #[must_use]
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// Start a run on a worker thread.
    /// `ledger` is the context Compare measures with, so the suggestions' figures match it.
    pub fn start(
        &mut self,
        ctx: &egui::Context,
        atlas: Arc<Atlas>,
        settings: SuggestSettings,
        ledger: Option<Arc<LedgerContext>>,
        corridor: Option<Corridor>,
    ) {
        let progress = Arc::new(Mutex::new(0.0_f32));
        let cancel = Arc::new(AtomicBool::new(false));
        let (from, to, n) = (self.from.clone(), self.to.clone(), self.alternatives);
        let (vias, rank_by) = (split_vias(&self.via), self.rank_by);
        let (p, c, cache, ctx2) = (
            Arc::clone(&progress),
            Arc::clone(&cancel),
            Arc::clone(&self.context),
            ctx.clone(),
        );
        let spawned = Job::run(ctx, "suggest", move || {
            let run = || -> Result<SuggestResult, String> {
                let from = resolve_endpoint(&atlas, &from).map_err(|e| e.to_string())?;
                let to = resolve_endpoint(&atlas, &to).map_err(|e| e.to_string())?;
                let vias = vias
                    .iter()
                    .map(|v| resolve_endpoint(&atlas, v).map_err(|e| format!("Via: {e}")))
                    .collect::<Result<Vec<_>, _>>()?;
                let context = {
                    let mut guard = cache.lock().unwrap_or_else(PoisonError::into_inner);
                    match guard.as_ref() {
                        Some(c) if c.serves(&atlas, &settings, ledger.as_ref()) => {
                            Arc::clone(&c.context)
                        }
                        _ => {
                            let built = match &ledger {
                                Some(l) => {
                                    SuggestContext::with_ledger(&atlas, &settings, Arc::clone(l))
                                }
                                None => SuggestContext::new(&atlas, &settings),
                            };
                            let built = Arc::new(built.map_err(|e| e.to_string())?);
                            *guard = Some(CachedContext {
                                atlas: Arc::downgrade(&atlas),
                                settings: settings.clone(),
                                ledger: ledger.as_ref().map(Arc::downgrade),
                                context: Arc::clone(&built),
                            });
                            built
                        }
                    }
                };
                let problem = SuggestProblem {
                    context: &context,
                    from: from.clone(),
                    to: to.clone(),
                    vias,
                    alternatives: n,
                    avoid: Vec::new(),
                    corridor,
                    rank_by,
                };
                let report = |f: f32| {
                    *p.lock().unwrap_or_else(PoisonError::into_inner) = f;
                    ctx2.request_repaint();
                };
                let outcome = suggest(&problem, &report, &c).map_err(|e| e.to_string())?;
                Ok(SuggestResult {
                    from,
                    to,
                    suggestions: outcome.suggestions,
                    stopped_because: outcome.stopped_because,
                    terrain: outcome.terrain,
                })
            };
            run()
        });
        match spawned {
            Ok(job) => {
                self.running = Some(Running {
                    progress,
                    cancel,
                    job,
                });
            }
            Err(e) => self.message = Some(format!("Could not start: {e}")),
        }
    }

    /// A finished run's result, once.
    pub fn poll(&mut self) -> Option<Result<SuggestResult, String>> {
        let running = self.running.as_mut()?;
        let r = match running.job.poll() {
            Some(r) => r,
            None if running.job.is_running() => return None,
            None => Err("The search stopped unexpectedly.".into()),
        };
        self.running = None;
        Some(r)
    }

    /// The panel; returns true when the user pressed Suggest.
    pub fn ui(&mut self, ui: &mut Ui) -> bool {
        let mut start = false;
        egui::Grid::new("suggest").num_columns(2).show(ui, |ui| {
            ui.label("From");
            ui.text_edit_singleline(&mut self.from)
                .on_hover_text("A place name (Termez, Herat, …) or lon,lat");
            ui.end_row();
            ui.label("To");
            ui.text_edit_singleline(&mut self.to);
            ui.end_row();
            ui.label("Via");
            ui.text_edit_singleline(&mut self.via).on_hover_text(
                "Places to pass through, in order, separated by commas (Logar, Kharlachi); \
                 separate lon,lat points by semicolons",
            );
            ui.end_row();
            ui.label("Rank by");
            egui::ComboBox::from_id_salt("suggest_rank_by")
                .selected_text(self.rank_by.label())
                .show_ui(ui, |ui| {
                    for r in RankBy::ALL {
                        ui.selectable_value(&mut self.rank_by, r, r.label());
                    }
                });
            ui.end_row();
            ui.label("Alternatives");
            ui.add(egui::Slider::new(&mut self.alternatives, 1..=3));
            ui.end_row();
            ui.label("Corridor");
            ui.horizontal(|ui| {
                ui.checkbox(&mut self.corridor_on, "within");
                ui.add_enabled(
                    self.corridor_on,
                    egui::DragValue::new(&mut self.corridor_km)
                        .range(1.0..=1000.0)
                        .suffix(" km"),
                );
                ui.label("of the selected alternative");
            })
            .response
            .on_hover_text(
                "Keep every suggestion within this distance of the selected alternative's line \
                 (a drawn sketch of the valley or road to follow)",
            );
            ui.end_row();
        });
        match &self.running {
            Some(r) => {
                let f = *r.progress.lock().unwrap_or_else(PoisonError::into_inner);
                ui.horizontal(|ui| {
                    ui.add(
                        egui::ProgressBar::new(f)
                            .show_percentage()
                            .desired_width(180.0),
                    );
                    if ui.button("Cancel").clicked() {
                        r.cancel.store(true, Ordering::Relaxed);
                    }
                });
            }
            None => {
                start = ui
                    .button("Suggest")
                    .on_hover_text("Least-cost alignments over terrain, existing track and borders (shown dashed until accepted)")
                    .clicked();
            }
        }
        if let Some(m) = &self.message {
            ui.label(egui::RichText::new(m).small());
        }
        for line in &self.ranked {
            ui.label(&line.figures);
            ui.label(egui::RichText::new(&line.distinction).small());
        }
        if let Some(why) = &self.stopped_because {
            ui.label(
                egui::RichText::new(format!("Stopped: {why}"))
                    .small()
                    .weak(),
            );
        }
        if let Some(terrain) = &self.terrain {
            ui.label(
                egui::RichText::new(format!("Terrain: {terrain}"))
                    .small()
                    .weak(),
            );
        }
        start
    }
}

impl AtlasApp {
    /// The Suggest section: the panel, and "Accept all suggestions" while any are shown.
    pub(super) fn suggest_ui(&mut self, ui: &mut Ui) {
        if self.suggest.ui(ui)
            && let Some(atlas) = self.atlas.clone()
        {
            let settings = SuggestSettings {
                ledger: self.doc.scenario().settings.ledger_settings(),
                ..Default::default()
            };
            self.suggest.message = None;
            let corridor = if self.suggest.corridor_on {
                let line = self
                    .sketch
                    .selected
                    .and_then(|id| self.doc.scenario().alignment(id))
                    .filter(|a| a.vertices.len() >= 2)
                    .map(|a| Corridor {
                        name: format!("\"{}\"", a.name),
                        line: a.vertices.iter().map(|v| (v.lon, v.lat)).collect(),
                        within_km: self.suggest.corridor_km,
                    });
                if line.is_none() {
                    self.suggest.message = Some(
                        "Select the alternative whose corridor to keep within (or untick Corridor)"
                            .to_owned(),
                    );
                    return;
                }
                line
            } else {
                None
            };
            let ledger = self.ledger_ctx.clone();
            self.suggest
                .start(ui.ctx(), atlas, settings, ledger, corridor);
        }
        let suggested: Vec<AlignmentId> = self
            .doc
            .scenario()
            .alignments
            .iter()
            .filter(|a| a.is_suggested())
            .map(|a| a.id)
            .collect();
        if !suggested.is_empty()
            && ui
                .button("Accept all suggestions")
                .on_hover_text(
                    "Keep every suggested alignment as an ordinary alternative (one undo step)",
                )
                .clicked()
        {
            self.queue_commands([Command::AcceptSuggestions(suggested)]);
        }
    }

    /// Queue a finished search's suggestions as new alternatives (one undo step).
    pub(super) fn poll_suggestions(&mut self) {
        let Some(result) = self.suggest.poll() else {
            return;
        };
        self.suggest.ranked.clear();
        self.suggest.stopped_because = None;
        self.suggest.terrain = None;
        match result {
            Ok(r) if r.suggestions.is_empty() => {
                self.suggest.message = Some("No route found.".into());
            }
            Ok(r) => {
                // Ids are placeholders: the command gives them unused ones when applied.
                let alignments: Vec<_> = r
                    .suggestions
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        corridor_domain::plan::suggest::alignment_from_suggestion(
                            s,
                            AlignmentId(0),
                            i + 1,
                            &r.from,
                            &r.to,
                        )
                    })
                    .collect();
                let n = alignments.len();
                self.suggest.ranked = r
                    .suggestions
                    .iter()
                    .enumerate()
                    .map(|(i, s)| RankedLine {
                        figures: format!(
                            "{}. {:.0} km · US${:.2} bn · {:.0} h",
                            i + 1,
                            s.length_m / 1000.0,
                            s.cost_usd / 1e9,
                            s.ledger.travel.total_h
                        ),
                        distinction: s.distinction.clone(),
                    })
                    .collect();
                self.suggest.stopped_because = Some(r.stopped_because);
                self.suggest.terrain = Some(r.terrain);
                self.queue_commands([Command::AddSuggestions(alignments)]);
                self.suggest.message =
                    Some(format!("{n} suggestions added (dashed until accepted)."));
            }
            Err(e) => self.suggest.message = Some(e),
        }
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use corridor_domain::plan::suggest::SurfaceInputs;

    #[test]
    fn a_cached_context_serves_only_its_own_atlas_and_settings() {
        let settings = SuggestSettings {
            region_deg: [60.0, 30.0, 61.0, 31.0],
            resolution_km: Some(10.0),
            ..SuggestSettings::default()
        };
        let inputs = SurfaceInputs {
            countries: &[],
            lakes: &[],
            rail: &[],
            track_layers: Vec::new(),
            elevation: Vec::new(),
        };
        let context = Arc::new(SuggestContext::from_inputs(&inputs, &settings).expect("builds"));
        let atlas = Arc::new(Atlas::default());
        let cached = CachedContext {
            atlas: Arc::downgrade(&atlas),
            settings: settings.clone(),
            ledger: None,
            context,
        };
        assert!(cached.serves(&atlas, &settings, None));
        // An import makes a new atlas (even with equal contents): rebuild.
        let imported = Arc::new((*atlas).clone());
        assert!(!cached.serves(&imported, &settings, None));
        // Other reuse rules (or unit costs): rebuild.
        let mut changed = settings.clone();
        changed.ledger.under_construction_is_existing =
            !changed.ledger.under_construction_is_existing;
        assert!(!cached.serves(&atlas, &changed, None));
        // Another ledger context (a DEM loaded for Compare): rebuild, to measure alike.
        let ledger = Arc::new(LedgerContext::new(&atlas));
        assert!(!cached.serves(&atlas, &settings, Some(&ledger)));
    }

    #[test]
    fn vias_split_on_commas_or_on_semicolons_around_coordinates() {
        assert_eq!(
            split_vias(" Logar, Kharlachi ,"),
            vec!["Logar", "Kharlachi"]
        );
        assert_eq!(
            split_vias("69.0,34.0; Kharlachi"),
            vec!["69.0,34.0", "Kharlachi"]
        );
        assert!(split_vias("  ").is_empty());
    }
}
