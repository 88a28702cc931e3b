//! The selected alternative's full ledger in words, and the editable cost and time settings.

use egui::Ui;

use crate::app::command::Command;
use crate::app::engineering_view::{details_ui, settings_rows};
use corridor_domain::measure::geodesic::{format_km, group_thousands};
use corridor_domain::measure::ledger::figure::musd_text;
use corridor_domain::measure::ledger::{Ledger, cost_band_text};
use corridor_domain::plan::scenario::model::Scenario;

/// The selected alternative's whole ledger, as text that scrolls.
pub(super) fn ledger_details_ui(ui: &mut Ui, l: &Ledger) {
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
pub(super) fn settings_ui(ui: &mut Ui, scenario: &Scenario) -> Option<Command> {
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
