//! The comparison table: one row per alternative, sortable by a clicked column, with the name
//! column and the header row frozen while the figures scroll (`frozen_table`). Every figure
//! goes through the one formatter the slides share (`Figure::text`); published cells carry
//! where the figure comes from.

use std::cell::Cell;

use egui::Ui;

use crate::app::command::Command;
use crate::app::frozen_table::{FrozenTable, FrozenTableState};
use crate::app::paint::color;
use corridor_domain::measure::ledger::figure::{Figure, musd_text};
use corridor_domain::measure::ledger::{ComparisonRow, time_band_text};
use corridor_domain::plan::scenario::PublishedFigures;
use corridor_domain::plan::scenario::model::{AlignmentId, Scenario};

/// Sortable columns of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Scenario,
    Km,
    ExistingKm,
    NewKm,
    Crossings,
    GaugeBreaks,
    MaxGrade,
    Cost,
    Time,
}

/// The table's state between frames: the sort, and the frozen panes' shared scroll offset.
#[derive(Default)]
pub struct ComparisonTable {
    pub sort: SortBy,
    pub descending: bool,
    frozen: FrozenTableState,
}

impl ComparisonTable {
    /// `rows` in the table's order.
    pub fn sort_rows(&self, rows: &mut [(AlignmentId, ComparisonRow)]) {
        let key = |r: &ComparisonRow| -> f64 {
            match self.sort {
                SortBy::Scenario => 0.0,
                SortBy::Km => r.km,
                SortBy::ExistingKm => r.existing_km,
                SortBy::NewKm => r.new_km,
                SortBy::Crossings => r.crossings as f64,
                SortBy::GaugeBreaks => r.gauge_breaks as f64,
                SortBy::MaxGrade => r.max_grade_pct,
                SortBy::Cost => r.cost_musd,
                SortBy::Time => r.time_h,
            }
        };
        if self.sort != SortBy::Scenario {
            rows.sort_by(|a, b| key(&a.1).total_cmp(&key(&b.1)));
        }
        if self.descending {
            rows.reverse();
        }
    }

    /// A sortable column title: the current sort column shows its direction.
    fn header_button(&self, ui: &mut Ui, label: &str, by: SortBy) -> Option<SortBy> {
        let arrow = if self.sort == by {
            if self.descending { " v" } else { " ^" }
        } else {
            ""
        };
        ui.button(format!("{label}{arrow}"))
            .on_hover_text("Sort")
            .clicked()
            .then_some(by)
    }

    /// Sort by `by`, or flip the direction when it is already the sort column.
    fn sort_by(&mut self, by: SortBy) {
        if self.sort == by {
            self.descending = !self.descending;
        } else {
            self.sort = by;
            self.descending = false;
        }
    }

    /// The table: the name column and the header row stay put while the figures scroll
    /// (`frozen_table`), as in a spreadsheet with frozen panes.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        scenario: &Scenario,
        rows: &[(AlignmentId, ComparisonRow)],
        selected: Option<AlignmentId>,
    ) -> Vec<Command> {
        let sort_clicked: Cell<Option<SortBy>> = Cell::new(None);
        let select: Cell<Option<AlignmentId>> = Cell::new(None);
        let widths: Vec<f32> = COLUMNS.iter().map(|c| c.width_px).collect();
        let mut state = self.frozen;
        let this = &*self;
        FrozenTable {
            id: "compare-table",
            rows: rows.len(),
            row_height_px: 22.0,
            header_height_px: 24.0,
            name_width_px: 230.0,
            max_height_px: 170.0,
            column_widths_px: &widths,
        }
        .show(
            ui,
            &mut state,
            |ui| {
                if let Some(by) = this.header_button(ui, "Alternative", SortBy::Scenario) {
                    sort_clicked.set(Some(by));
                }
            },
            |ui, i| {
                let Some((id, r)) = rows.get(i) else { return };
                let c = scenario
                    .alignment(*id)
                    .map_or([128, 128, 128, 255], |a| a.color);
                ui.horizontal(|ui| {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                    ui.painter().rect_filled(rect, 2.0, color(c, 1.0));
                    if ui
                        .add(
                            egui::Button::selectable(selected == Some(*id), r.name.as_str())
                                .truncate(),
                        )
                        .on_hover_text(r.name.as_str())
                        .clicked()
                    {
                        select.set(Some(*id));
                    }
                });
            },
            |ui, k| {
                let Some(col) = COLUMNS.get(k) else { return };
                let title = match col.sort {
                    Some(by) => {
                        if let Some(by) = this.header_button(ui, col.title, by) {
                            sort_clicked.set(Some(by));
                        }
                        return;
                    }
                    None => ui.strong(col.title),
                };
                if let Some(hover) = col.hover {
                    title.on_hover_text(hover);
                }
            },
            |ui, i, k| {
                if let (Some((id, r)), Some(col)) = (rows.get(i), COLUMNS.get(k)) {
                    figure_cell(ui, scenario, *id, r, col.cell);
                }
            },
        );
        self.frozen = state;
        if let Some(by) = sort_clicked.get() {
            self.sort_by(by);
        }
        select
            .get()
            .map(|id| vec![Command::SelectAlignment(Some(id))])
            .unwrap_or_default()
    }
}

/// What a figure column of the table shows.
#[derive(Clone, Copy)]
enum ColumnCell {
    Figure(Figure),
    PublishedKm,
    KmRatio,
    PublishedCost,
    CostRatio,
    PublishedTime,
}

/// A figure column: title, what sorting it does, its hover text, width and cell.
struct TableColumn {
    title: &'static str,
    sort: Option<SortBy>,
    hover: Option<&'static str>,
    width_px: f32,
    cell: ColumnCell,
}

const fn column(
    title: &'static str,
    sort: Option<SortBy>,
    width_px: f32,
    cell: ColumnCell,
) -> TableColumn {
    TableColumn {
        title,
        sort,
        hover: None,
        width_px,
        cell,
    }
}

/// The figure columns, in order (the name column is frozen beside them).
const COLUMNS: [TableColumn; 17] = [
    column(
        "km",
        Some(SortBy::Km),
        100.0,
        ColumnCell::Figure(Figure::LengthKm),
    ),
    column("published km", None, 160.0, ColumnCell::PublishedKm),
    TableColumn {
        hover: Some("Measured km ÷ published km"),
        ..column("km ratio", None, 70.0, ColumnCell::KmRatio)
    },
    column(
        "existing",
        Some(SortBy::ExistingKm),
        100.0,
        ColumnCell::Figure(Figure::ExistingKm),
    ),
    column(
        "new",
        Some(SortBy::NewKm),
        100.0,
        ColumnCell::Figure(Figure::NewKm),
    ),
    column(
        "countries",
        None,
        260.0,
        ColumnCell::Figure(Figure::Countries),
    ),
    column(
        "crossings",
        Some(SortBy::Crossings),
        80.0,
        ColumnCell::Figure(Figure::Crossings),
    ),
    column(
        "gauge breaks",
        Some(SortBy::GaugeBreaks),
        100.0,
        ColumnCell::Figure(Figure::GaugeBreaks),
    ),
    column(
        "max grade",
        Some(SortBy::MaxGrade),
        80.0,
        ColumnCell::Figure(Figure::MaxGrade),
    ),
    column(
        "cost",
        Some(SortBy::Cost),
        130.0,
        ColumnCell::Figure(Figure::Cost),
    ),
    column("published cost", None, 110.0, ColumnCell::PublishedCost),
    TableColumn {
        hover: Some("Estimated cost ÷ published cost"),
        ..column("cost ratio", None, 80.0, ColumnCell::CostRatio)
    },
    column(
        "time",
        Some(SortBy::Time),
        80.0,
        ColumnCell::Figure(Figure::Time),
    ),
    TableColumn {
        hover: Some("A published journey time for the route (often door to door)"),
        ..column("published time", None, 110.0, ColumnCell::PublishedTime)
    },
    TableColumn {
        hover: Some("Tunnel km of the design grade line"),
        ..column("tunnels", None, 90.0, ColumnCell::Figure(Figure::TunnelKm))
    },
    TableColumn {
        hover: Some("Bridge and viaduct km of the design grade line"),
        ..column("bridges", None, 90.0, ColumnCell::Figure(Figure::BridgeKm))
    },
    TableColumn {
        hover: Some("Curves below the minimum radius of the line speed"),
        ..column(
            "tight curves",
            None,
            90.0,
            ColumnCell::Figure(Figure::TightCurves),
        )
    },
];

/// One figure cell of alternative `id`'s row: every figure through the one formatter the
/// slides share; published cells carry their provenance on hover.
fn figure_cell(
    ui: &mut Ui,
    scenario: &Scenario,
    id: AlignmentId,
    r: &ComparisonRow,
    cell: ColumnCell,
) {
    // Where the published figures come from, on every published cell.
    let provenance = || {
        scenario
            .alignment(id)
            .and_then(|a| PublishedFigures::of(a).provenance())
            .unwrap_or_else(|| {
                "Nothing published: the alternative has no `length_km_published` or \
                 `cost_usd_published`"
                    .to_owned()
            })
    };
    match cell {
        ColumnCell::Figure(Figure::Countries) => {
            ui.label(Figure::Countries.text(r));
        }
        ColumnCell::Figure(Figure::Cost) => {
            ui.monospace(Figure::Cost.text(r)).on_hover_text(format!(
                "Estimate {} from quantities; the band is its leave-one-out spread over \
                 published projects (docs/costs.md)",
                musd_text(r.cost_musd * 1e6)
            ));
        }
        ColumnCell::Figure(Figure::Time) => {
            ui.monospace(Figure::Time.text(r)).on_hover_text(
                "The settings' train run end to end: running, ferry legs, dwell at borders and \
                 gauge breaks",
            );
        }
        ColumnCell::Figure(Figure::TunnelKm) => {
            let tunnels = ui.monospace(Figure::TunnelKm.text(r));
            // Computed tunnels beside the published ones, where published.
            if let Some(published) = scenario
                .alignment(id)
                .and_then(|a| PublishedFigures::of(a).tunnels)
            {
                tunnels.on_hover_text(format!(
                    "Computed: {} tunnels, {:.1} km to build (the design line on the elevation model, where the line is new build)\n\
                     Published: {published}",
                    r.tunnels.unwrap_or(0),
                    r.tunnel_km.unwrap_or(0.0)
                ));
            }
        }
        ColumnCell::Figure(f) => {
            ui.monospace(f.text(r));
        }
        // A composite (no single publication for the route as drawn) says so in the cell.
        ColumnCell::PublishedKm => published_cell(
            ui,
            Some(r.published_km.map_or_else(
                || "no published figure".to_owned(),
                |k| match r.published_basis {
                    Some(_) => format!("{k:.0} (sum of sections)"),
                    None => format!("{k:.0}"),
                },
            )),
            &provenance(),
        ),
        ColumnCell::KmRatio => {
            published_cell(ui, r.km_ratio.map(|x| format!("{x:.2}")), &provenance());
        }
        ColumnCell::PublishedCost => {
            published_cell(ui, r.published_cost_usd.map(musd_text), &provenance());
        }
        ColumnCell::CostRatio => {
            published_cell(ui, r.cost_ratio.map(|x| format!("{x:.2}")), &provenance());
        }
        ColumnCell::PublishedTime => published_cell(
            ui,
            r.published_time_h
                .map(|b| format!("{} h", time_band_text(b))),
            r.published_time_source
                .as_deref()
                .unwrap_or("No published journey time"),
        ),
    }
}

/// A published figure (or its ratio), `—` when there is none, with where it comes from.
fn published_cell(ui: &mut Ui, text: Option<String>, provenance: &str) {
    ui.monospace(text.unwrap_or_else(|| "—".to_owned()))
        .on_hover_text(provenance);
}
