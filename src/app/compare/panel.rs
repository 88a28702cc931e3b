//! The comparison panel: exports, settings, the table and its chart, and the selected
//! alternative's profile, strip diagram, speed and full ledger, side by side.

use egui::Ui;

use super::cache::LedgerCache;
use super::details::{ledger_details_ui, settings_ui};
use super::plots::{bars_ui, profile_ui, strip_ui};
use super::table::ComparisonTable;
use crate::app::command::Command;
use crate::app::engineering_view::speed_ui;
use corridor_domain::measure::ledger::{ComparisonRow, to_csv, to_json, to_markdown};
use corridor_domain::plan::scenario::model::{AlignmentId, Scenario};

/// Panel state between frames.
#[derive(Default)]
pub struct ComparePanel {
    /// The table's sort and scroll.
    pub table: ComparisonTable,
    /// Chainage (m) the profile is hovered at: the map shows a marker there.
    pub profile_hover_m: Option<f64>,
    pub show_settings: bool,
}

/// What the panel asks the app to do.
// A handful are made per click; boxing the edit inside would only add indirection.
#[allow(clippy::large_enum_variant)]
pub enum CompareAction {
    Command(Command),
    /// Save an export: the format's extension and the text.
    Export(&'static str, String),
}

impl ComparePanel {
    /// The whole panel. `map_chainage_m` is where the map pointer is along the selected
    /// alternative (drawn as a line on the profile).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        scenario: &Scenario,
        cache: &LedgerCache,
        selected: Option<AlignmentId>,
        map_chainage_m: Option<f64>,
    ) -> Vec<CompareAction> {
        let mut out = Vec::new();
        // The rows once per frame: in scenario order for the exports, sorted for the table.
        let in_order = cache.rows(scenario);
        let mut rows = in_order.clone();
        self.table.sort_rows(&mut rows);
        ui.horizontal(|ui| {
            ui.heading("Compare");
            ui.separator();
            let all: Vec<ComparisonRow> = in_order.into_iter().map(|(_, r)| r).collect();
            if ui
                .button("Copy table")
                .on_hover_text("Markdown, for a report or a chat")
                .clicked()
            {
                ui.ctx().copy_text(to_markdown(&all));
            }
            if ui.button("Export CSV…").clicked() {
                out.push(CompareAction::Export("csv", to_csv(&all)));
            }
            if ui.button("Export JSON…").clicked() {
                match to_json(&all) {
                    Ok(text) => out.push(CompareAction::Export("json", text)),
                    Err(e) => ui
                        .colored_label(ui.visuals().error_fg_color, e.to_string())
                        .on_hover_text("JSON export failed")
                        .mark_changed(),
                }
            }
            if ui.button("Export Markdown…").clicked() {
                out.push(CompareAction::Export("md", to_markdown(&all)));
            }
            ui.toggle_value(&mut self.show_settings, "Cost & time settings");
        });
        if self.show_settings {
            out.extend(settings_ui(ui, scenario).map(CompareAction::Command));
        }
        ui.columns(2, |cols| {
            out.extend(
                self.table
                    .ui(&mut cols[0], scenario, &rows, selected)
                    .into_iter()
                    .map(CompareAction::Command),
            );
            bars_ui(&mut cols[0], &rows);
            if let Some(id) = selected
                && let (Some(a), Some(l), Some(strip)) =
                    (scenario.alignment(id), cache.get(id), cache.strip(id))
            {
                let (profile_m, transform) = profile_ui(&mut cols[1], l, a.color, map_chainage_m);
                let strip_m = strip_ui(&mut cols[1], l, strip, a.color, &transform, map_chainage_m);
                let speed_m = speed_ui(&mut cols[1], l, map_chainage_m);
                self.profile_hover_m = profile_m.or(strip_m).or(speed_m);
                ledger_details_ui(&mut cols[1], l);
            } else {
                self.profile_hover_m = None;
                cols[1]
                    .label("Select an alternative to see its elevation profile and full ledger.");
            }
        });
        out
    }
}
