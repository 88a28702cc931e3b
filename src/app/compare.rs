//! The comparison panel: one row per alternative with the corridor ledger's figures (sortable),
//! a bar chart of existing vs new-build km, the selected alternative's elevation profile
//! (linked to the map both ways), its full ledger, and exports. Ledgers are recomputed only for
//! alternatives whose vertices, gauge or settings changed, so a dragged vertex updates the
//! numbers in the same frame.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use std::cell::Cell;

use egui::{Color32, Ui};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotTransform, VLine};

use super::command::Command;
use super::engineering_view::{
    BRIDGE, EARTHWORKS, TUNNEL, details_ui, profile_overlay, settings_rows, speed_ui,
};
use super::frozen_table::{FigureColumn, FrozenTable, FrozenTableState};
use super::paint::color;
use corridor_domain::map::style::{country_tint, gauge_color};
use corridor_domain::measure::geodesic::{format_km, group_thousands};
use corridor_domain::measure::ledger::curves::curve_radii_m;
use corridor_domain::measure::ledger::figure::{Figure, musd_text};
use corridor_domain::measure::ledger::strip::{
    GradeClass, StripDiagram, StripRow, StripValue, StructureClass, TrackClass, piece_at,
    strip_diagram,
};
use corridor_domain::measure::ledger::{
    ComparisonRow, Ledger, LedgerContext, LedgerSettings, SEA_CODE, comparison_row,
    compute_ledger_with_radii, cost_band_text, time_band_text, to_csv, to_json, to_markdown,
};
use corridor_domain::plan::scenario::PublishedFigures;
use corridor_domain::plan::scenario::model::{AlignmentId, Scenario};

/// Ledgers per alternative, recomputed when their inputs change.
#[derive(Default)]
pub struct LedgerCache {
    /// Per alternative: its input key, its ledger and the ledger's strip diagram (both
    /// computed when the alternative or the settings change, never per frame).
    entries: HashMap<AlignmentId, (u64, Arc<Ledger>, StripDiagram)>,
    /// The document revision and context the entries were last checked against: while
    /// neither changes, a frame does no work at all.
    checked: Option<(u64, usize)>,
}

/// The inputs of an alternative's ledger, hashed with foldhash (fixed seed: keys are only
/// compared within a run, and a fixed seed keeps runs reproducible).
fn input_key(a: &corridor_domain::plan::scenario::model::Alignment, settings_key: u64) -> u64 {
    let mut h = foldhash::fast::FixedState::default().build_hasher();
    for v in &a.vertices {
        v.lon.to_bits().hash(&mut h);
        v.lat.to_bits().hash(&mut h);
    }
    a.gauge_mm.hash(&mut h);
    for r in curve_radii_m(&a.extra) {
        r.map(f64::to_bits).hash(&mut h);
    }
    settings_key.hash(&mut h);
    h.finish()
}

/// A fingerprint of the settings: their JSON, which covers every field (computed once per
/// frame, not per alternative).
fn settings_key(settings: &LedgerSettings) -> u64 {
    foldhash::fast::FixedState::default()
        .hash_one(serde_json::to_string(settings).unwrap_or_default())
}

impl LedgerCache {
    /// Bring every alternative's ledger up to date; drop ledgers of deleted alternatives.
    pub fn update(&mut self, revision: u64, scenario: &Scenario, ctx: &Arc<LedgerContext>) {
        let stamp = (revision, Arc::as_ptr(ctx) as usize);
        if self.checked == Some(stamp) {
            return;
        }
        self.checked = Some(stamp);
        let settings = &scenario.settings.ledger_settings();
        self.entries
            .retain(|id, _| scenario.alignment(*id).is_some());
        let settings_key = settings_key(settings);
        for a in &scenario.alignments {
            let key = input_key(a, settings_key);
            if self.entries.get(&a.id).is_some_and(|(k, ..)| *k == key) {
                continue;
            }
            let vertices: Vec<(f64, f64)> = a.vertices.iter().map(|v| (v.lon, v.lat)).collect();
            let radii = curve_radii_m(&a.extra);
            let ledger = compute_ledger_with_radii(&vertices, &radii, a.gauge_mm, ctx, settings);
            let strip = strip_diagram(&ledger, settings.max_design_grade_pct);
            self.entries.insert(a.id, (key, Arc::new(ledger), strip));
        }
    }

    /// The document revision the ledgers were last brought up to.
    #[must_use]
    pub fn revision(&self) -> Option<u64> {
        self.checked.map(|(revision, _)| revision)
    }

    /// The ledger of an alternative, if computed.
    #[must_use]
    pub fn get(&self, id: AlignmentId) -> Option<&Arc<Ledger>> {
        self.entries.get(&id).map(|(_, l, _)| l)
    }

    /// The strip diagram of an alternative's ledger, if computed.
    #[must_use]
    pub fn strip(&self, id: AlignmentId) -> Option<&StripDiagram> {
        self.entries.get(&id).map(|(.., strip)| strip)
    }

    /// The comparison rows, in scenario order.
    #[must_use]
    pub fn rows(&self, scenario: &Scenario) -> Vec<(AlignmentId, ComparisonRow)> {
        scenario
            .alignments
            .iter()
            .filter_map(|a| {
                let l = self.get(a.id)?;
                let published = PublishedFigures::of(a).columns();
                Some((a.id, comparison_row(&a.name, l, &published)))
            })
            .collect()
    }
}

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

/// Panel state between frames.
#[derive(Default)]
pub struct ComparePanel {
    pub sort: SortBy,
    pub descending: bool,
    /// Chainage (m) the profile is hovered at: the map shows a marker there.
    pub profile_hover_m: Option<f64>,
    pub show_settings: bool,
    /// The table's shared vertical scroll offset (frozen header and name column).
    table: FrozenTableState,
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
    fn sort_rows(&self, rows: &mut [(AlignmentId, ComparisonRow)]) {
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
        let mut rows = cache.rows(scenario);
        self.sort_rows(&mut rows);
        ui.horizontal(|ui| {
            ui.heading("Compare");
            ui.separator();
            let all: Vec<ComparisonRow> =
                cache.rows(scenario).into_iter().map(|(_, r)| r).collect();
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
                self.table_ui(&mut cols[0], scenario, &rows, selected)
                    .into_iter()
                    .map(CompareAction::Command),
            );
            bars_ui(&mut cols[0], scenario, &rows);
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
    fn table_ui(
        &mut self,
        ui: &mut Ui,
        scenario: &Scenario,
        rows: &[(AlignmentId, ComparisonRow)],
        selected: Option<AlignmentId>,
    ) -> Vec<Command> {
        let sort_clicked: Cell<Option<SortBy>> = Cell::new(None);
        let select: Cell<Option<AlignmentId>> = Cell::new(None);
        let widths: Vec<FigureColumn> = COLUMNS
            .iter()
            .map(|c| FigureColumn {
                width_px: c.width_px,
            })
            .collect();
        let mut state = self.table;
        let this = &*self;
        FrozenTable {
            id: "compare-table",
            rows: rows.len(),
            row_height_px: 22.0,
            header_height_px: 24.0,
            name_width_px: 230.0,
            max_height_px: 170.0,
            columns: &widths,
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
        self.table = state;
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
                    "Computed: {} tunnels, {:.1} km (design line on the elevation model)\n\
                     Published: {published}",
                    r.tunnels.unwrap_or(0),
                    r.tunnel_km.unwrap_or(0.0)
                ));
            }
        }
        ColumnCell::Figure(f) => {
            ui.monospace(f.text(r));
        }
        ColumnCell::PublishedKm => published_cell(
            ui,
            Some(
                r.published_km
                    .map_or_else(|| "no published figure".to_owned(), |k| format!("{k:.0}")),
            ),
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

fn bars_ui(ui: &mut Ui, scenario: &Scenario, rows: &[(AlignmentId, ComparisonRow)]) {
    let existing: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, (_, r))| Bar::new(i as f64, r.existing_km).name(&r.name))
        .collect();
    let new: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, (_, r))| Bar::new(i as f64, r.new_km).name(&r.name))
        .collect();
    let existing = BarChart::new("existing track km", existing)
        .color(Color32::from_rgb(90, 90, 90))
        .width(0.6);
    let new = BarChart::new("new-build km", new)
        .color(Color32::from_rgb(214, 39, 40))
        .width(0.6)
        .stack_on(&[&existing]);
    let _ = scenario;
    // The x axis names the alternatives (shortened; the full name is on hover of a bar).
    let names: Vec<String> = rows.iter().map(|(_, r)| short_name(&r.name)).collect();
    Plot::new("bars")
        .height(110.0)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .show_x(false)
        .x_axis_formatter(move |mark, _range| {
            let i = mark.value.round();
            if (mark.value - i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            names.get(i as usize).cloned().unwrap_or_default()
        })
        .y_axis_label("km")
        .show(ui, |plot| {
            plot.bar_chart(existing);
            plot.bar_chart(new);
        });
}

/// An alternative's name cut to fit under its bar: its first 14 characters, then "…" (the
/// table beside it and the bar's hover give the whole name).
fn short_name(name: &str) -> String {
    let mut s: String = name.chars().take(14).collect();
    if name.chars().count() > 14 {
        s.push('…');
    }
    s
}

/// The elevation profile; returns the chainage under the pointer and the plot's transform
/// (the strip diagram below shares its chainage axis).
fn profile_ui(
    ui: &mut Ui,
    l: &Ledger,
    c: [u8; 4],
    map_chainage_m: Option<f64>,
) -> (Option<f64>, PlotTransform) {
    let points: Vec<[f64; 2]> = l
        .profile
        .points
        .iter()
        .map(|p| [p.chainage_m / 1000.0, p.elevation_m])
        .collect();
    let design_color = ui.visuals().strong_text_color();
    let response = Plot::new("profile")
        .height(150.0)
        .y_axis_min_width(super::engineering_view::PLOT_Y_AXIS_W)
        .allow_drag(false)
        .allow_zoom(false)
        .x_axis_label("chainage, km")
        .y_axis_label("m")
        .show(ui, |plot| {
            plot.line(
                Line::new("elevation", points)
                    .color(color(c, 1.0))
                    .fill(0.0)
                    .width(2.0),
            );
            profile_overlay(plot, l, design_color);
            if let Some(m) = map_chainage_m {
                plot.vline(
                    VLine::new("map pointer", m / 1000.0).color(Color32::from_rgb(200, 0, 200)),
                );
            }
            plot.pointer_coordinate()
        });
    let hovered = response
        .response
        .hovered()
        .then_some(response.inner)
        .flatten();
    (
        hovered.map(|p| (p.x * 1000.0).clamp(0.0, l.length_m)),
        response.transform,
    )
}

/// Height of one strip row (points).
const STRIP_ROW_H: f32 = 16.0;

/// The strip diagram under the profile, on its chainage axis: country, existing track or new
/// build, gauge, grade. Returns the chainage under the pointer, like the profile.
fn strip_ui(
    ui: &mut Ui,
    l: &Ledger,
    strip: &StripDiagram,
    c: [u8; 4],
    transform: &PlotTransform,
    map_chainage_m: Option<f64>,
) -> Option<f64> {
    let max_design_grade_pct = strip.max_design_grade_pct;
    let height = STRIP_ROW_H * StripRow::ALL.len() as f32;
    let (rect, response) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), height),
        egui::Sense::hover(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Figure, true, "Strip diagram"));
    let frame = *transform.frame();
    let painter = ui.painter_at(rect);
    let x_of = |m: f64| transform.position_from_point_x(m / 1000.0);
    let font = egui::FontId::proportional(10.5);
    for (k, row) in StripRow::ALL.into_iter().enumerate() {
        let top = rect.top() + k as f32 * STRIP_ROW_H;
        painter.text(
            egui::pos2(frame.left() - 6.0, top + STRIP_ROW_H / 2.0),
            egui::Align2::RIGHT_CENTER,
            row.title(),
            font.clone(),
            ui.visuals().weak_text_color(),
        );
        for piece in strip.row(row) {
            let x0 = x_of(piece.start_m).max(frame.left());
            let x1 = x_of(piece.end_m).min(frame.right());
            if x1 <= x0 {
                continue;
            }
            let r = egui::Rect::from_x_y_ranges(x0..=x1, top + 1.0..=top + STRIP_ROW_H - 1.0);
            let fill = strip_fill(&piece.value, c);
            painter.rect_filled(r, 0.0, fill);
            let label = piece.value.label(max_design_grade_pct);
            let galley = painter.layout_no_wrap(label, font.clone(), text_on(fill));
            if galley.size().x + 6.0 < r.width() {
                painter.galley(r.center() - galley.size() / 2.0, galley, Color32::WHITE);
            }
        }
    }
    if let Some(m) = map_chainage_m {
        painter.vline(
            x_of(m),
            rect.y_range(),
            egui::Stroke::new(1.5, Color32::from_rgb(200, 0, 200)),
        );
    }
    // The pointer over the strip, by position in this layer: the strip's own tooltip (drawn
    // at the pointer) must not make it flicker between hovered and not from frame to frame.
    let hovered_m = ui
        .ctx()
        .pointer_hover_pos()
        .filter(|p| ui.rect_contains_pointer(rect) && frame.x_range().contains(p.x))
        .map(|p| (transform.value_from_position(p).x * 1000.0).clamp(0.0, l.length_m));
    if let Some(m) = hovered_m {
        response.on_hover_ui_at_pointer(|ui| {
            ui.label(egui::RichText::new(format!("chainage {}", format_km(m))).strong());
            for row in StripRow::ALL {
                if let Some(piece) = piece_at(strip.row(row), m) {
                    ui.label(format!(
                        "{}: {}",
                        row.title(),
                        piece.value.label(max_design_grade_pct)
                    ));
                }
            }
        });
    }
    hovered_m
}

/// Colours of the strip: gauges as on the map legend, new build in the alternative's colour.
fn strip_fill(value: &StripValue, alternative: [u8; 4]) -> Color32 {
    const SEA: Color32 = Color32::from_rgb(150, 190, 230);
    const UNKNOWN: Color32 = Color32::from_rgb(150, 150, 150);
    match value {
        StripValue::Country(code) if code == SEA_CODE => SEA,
        // The country's tint on the map, opaque.
        StripValue::Country(code) => {
            let [r, g, b, _] = country_tint(code);
            Color32::from_rgb(r, g, b)
        }
        StripValue::Track(TrackClass::Existing) => Color32::from_rgb(70, 70, 70),
        StripValue::Track(TrackClass::UnderConstruction) => Color32::from_rgb(130, 130, 160),
        StripValue::Track(TrackClass::NewBuild) => color(alternative, 1.0),
        StripValue::Track(TrackClass::Sea) => SEA,
        StripValue::Gauge(Some(mm)) => color(gauge_color(Some(f64::from(*mm))), 1.0),
        StripValue::Grade(GradeClass::Gentle) => Color32::from_rgb(120, 190, 120),
        StripValue::Grade(GradeClass::Moderate) => Color32::from_rgb(240, 200, 80),
        StripValue::Grade(GradeClass::Steep) => Color32::from_rgb(215, 60, 50),
        StripValue::Structure(StructureClass::Earthworks) => EARTHWORKS,
        StripValue::Structure(StructureClass::Tunnel) => TUNNEL,
        StripValue::Structure(StructureClass::Bridge) => BRIDGE,
        StripValue::Gauge(None)
        | StripValue::Grade(GradeClass::Unknown)
        | StripValue::Structure(StructureClass::Unknown) => UNKNOWN,
    }
}

/// Black or white text, whichever reads on `fill`.
fn text_on(fill: Color32) -> Color32 {
    let luma =
        0.299 * f32::from(fill.r()) + 0.587 * f32::from(fill.g()) + 0.114 * f32::from(fill.b());
    if luma > 150.0 {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

fn ledger_details_ui(ui: &mut Ui, l: &Ledger) {
    egui::ScrollArea::vertical().id_salt("ledger").show(ui, |ui| {
        let p = &l.profile;
        ui.label(format!(
            "{} · existing {} · new {} · sea {}",
            format_km(l.length_m),
            format_km(l.existing_m),
            format_km(l.new_m),
            format_km(l.sea_m)
        ));
        ui.label(format!(
            "Elevation {}–{} m · climb {} m · descent {} m · steepest {:.1} % (1 km), {:.1} % (10 km) — {}",
            p.min_elevation_m.map_or(0, |v| v.round() as i64),
            p.max_elevation_m.map_or(0, |v| v.round() as i64),
            group_thousands(p.climb_m.round() as i64),
            group_thousands(p.descent_m.round() as i64),
            p.steepest_grade_1km_pct,
            p.steepest_grade_10km_pct,
            p.dem
        ));
        ui.label(format!(
            "Cost {} (estimate {}) · time {:.1} h ({}: running {:.1}, ferry {:.1}, borders {:.1}, gauge breaks {:.1})",
            cost_band_text(l.cost.low_usd, l.cost.high_usd),
            musd_text(l.cost.total_usd),
            l.travel.total_h,
            l.travel.train,
            l.travel.running_h,
            l.travel.ferry_h,
            l.travel.border_dwell_h,
            l.travel.gauge_break_dwell_h
        ));
        details_ui(ui, l);
        ui.collapsing(format!("km per country ({})", l.countries.len()), |ui| {
            for c in &l.countries {
                ui.label(format!("{} {} — {}", c.iso_a3, c.name, format_km(c.length_m)));
            }
        });
        ui.collapsing(format!("Border crossings ({})", l.crossings.len()), |ui| {
            for x in &l.crossings {
                let near = x.near.as_ref().map_or(String::new(), |n| format!(" near {} ({})", n.name, format_km(n.distance_m)));
                ui.label(format!("{} {} -> {}{near}", format_km(x.chainage_m), x.from_name, x.to_name));
            }
        });
        ui.collapsing(format!("Gauge breaks ({})", l.gauge_breaks.len()), |ui| {
            for g in &l.gauge_breaks {
                let near = g.near.as_ref().map_or(String::new(), |n| format!(" near {}", n.name));
                ui.label(format!("{} {} -> {} mm ({:?}){near}", format_km(g.chainage_m), g.from_gauge_mm, g.to_gauge_mm, g.kind));
            }
        });
        ui.collapsing(format!("Served ports, capitals, cities ({})", l.served.len()), |ui| {
            for s in &l.served {
                ui.label(format!("{} {} ({:?}, {} off the line)", format_km(s.chainage_m), s.name, s.kind, format_km(s.distance_m)));
            }
        });
        ui.collapsing(format!("Cost from quantities ({})", l.cost.items.len()), |ui| {
            for item in &l.cost.items {
                let quantity = if item.kind.unit() == "each" {
                    format!("{:.0}", item.quantity)
                } else {
                    format!("{} {}", group_thousands(item.quantity.round() as i64), item.kind.unit())
                };
                ui.label(format!("{}: {quantity} × ${} = {}", item.kind.label(), group_thousands(item.unit_usd.round() as i64), musd_text(item.usd)));
            }
        });
        ui.collapsing("Terrain", |ui| {
            let t = &l.terrain;
            ui.label(format!(
                "flat {} · rolling {} · hilly {} · mountainous {} · steeper than the design grade {}",
                format_km(t.flat_m),
                format_km(t.rolling_m),
                format_km(t.hilly_m),
                format_km(t.mountainous_m),
                format_km(t.steep_m)
            ));
        });
    });
}

/// Editable unit costs and times, each with where its default comes from. Changes are an
/// undoable edit of the scenario's settings.
fn settings_ui(ui: &mut Ui, scenario: &Scenario) -> Option<Command> {
    let mut s = scenario.settings.clone();
    let before = s.clone();
    egui::Grid::new("ledger-settings")
        .num_columns(3)
        .show(ui, |ui| {
            let costs = &mut s.ledger.costs;
            for (label, cost, speed) in [
                ("new track, USD/km", &mut costs.track_new_per_km, 10_000.0),
                (
                    "upgrade existing, USD/km",
                    &mut costs.upgrade_per_km,
                    10_000.0,
                ),
                ("tunnel, USD/km", &mut costs.tunnel_per_km, 100_000.0),
                ("bridge, USD/km", &mut costs.bridge_per_km, 100_000.0),
                ("earthworks, USD/m³", &mut costs.earthworks_per_m3, 0.1),
                ("station, USD each", &mut costs.station_each, 100_000.0),
                (
                    "border station, USD each",
                    &mut costs.border_each,
                    100_000.0,
                ),
                (
                    "gauge-break facility, USD each",
                    &mut costs.gauge_break_each,
                    100_000.0,
                ),
                ("calibration factor", &mut costs.calibration_factor, 0.01),
            ] {
                ui.label(label);
                ui.add(
                    egui::DragValue::new(&mut cost.usd)
                        .speed(speed)
                        .range(0.0..=1e10),
                );
                ui.label(egui::RichText::new(&cost.source).small())
                    .on_hover_text(&cost.source);
                ui.end_row();
            }
            ui.label("dwell per border, h");
            ui.add(
                egui::DragValue::new(&mut s.ledger.border_dwell_h)
                    .speed(0.1)
                    .range(0.0..=240.0),
            );
            ui.end_row();
            ui.label("dwell per gauge break, h");
            ui.add(
                egui::DragValue::new(&mut s.ledger.gauge_break_dwell_h)
                    .speed(0.1)
                    .range(0.0..=240.0),
            );
            ui.end_row();
            ui.label("max design grade, %");
            ui.add(
                egui::DragValue::new(&mut s.ledger.max_design_grade_pct)
                    .speed(0.1)
                    .range(0.1..=10.0),
            );
            ui.end_row();
            ui.label("existing-track tolerance, m");
            ui.add(
                egui::DragValue::new(&mut s.reuse_tolerance_m)
                    .speed(50.0)
                    .range(0.0..=50_000.0),
            );
            ui.end_row();
            settings_rows(ui, &mut s.ledger.engineering);
        });
    (s != before).then_some(Command::Edit {
        edit: corridor_domain::plan::scenario::edit::Edit::SetSettings(s),
        // One undo step per session of dragging a value.
        group: Some(corridor_domain::plan::scenario::history::UndoGroup::CompareSettings),
    })
}
