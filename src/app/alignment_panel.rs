//! The alignments panel: the list of alternatives, and the selected one's properties,
//! segments and "follow existing track". Like the tools, it returns commands; the app applies
//! them.

use egui::Ui;

use super::command::Command;
use super::paint::color;
use corridor_domain::measure::geodesic::format_km;
use corridor_domain::measure::ruler::{measure_polyline, ruler_table_text};
use corridor_domain::plan::scenario::edit::{AlignmentProps, Edit};
use corridor_domain::plan::scenario::history::UndoGroup;
use corridor_domain::plan::scenario::model::{
    Alignment, AlignmentId, AlignmentStatus, Scenario, SnapRef, Vertex,
};
use corridor_domain::plan::trace::RailGraph;

/// Track gauges a planner chooses from.
pub const GAUGES_MM: [u32; 3] = [1520, 1435, 1676];

/// Whether vertex `v` lies on the rail network (snapped to a line, or to a place the graph
/// can reach).
fn on_track(v: &Vertex) -> bool {
    matches!(v.snap, Some(SnapRef::Rail { .. } | SnapRef::Place { .. }))
}

/// The list and the selected alignment's editor.
pub fn alignments_panel_ui(
    ui: &mut Ui,
    scenario: &Scenario,
    selected: Option<AlignmentId>,
    rail: Option<&RailGraph>,
    existing_m: Option<f64>,
) -> Vec<Command> {
    let mut out = Vec::new();
    if scenario.alignments.is_empty() {
        ui.label("No alignments yet. Choose Draw (D) and click on the map; double-click or Enter finishes.");
    }
    for a in &scenario.alignments {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 10.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, color(a.color, 1.0));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.monospace(format_km(a.length_m()));
                let is_sel = selected == Some(a.id);
                let name = ui
                    .add(egui::Button::selectable(is_sel, a.name.as_str()).truncate())
                    .on_hover_text(&a.name);
                if name.clicked() {
                    out.push(Command::SelectAlignment(if is_sel {
                        None
                    } else {
                        Some(a.id)
                    }));
                }
            });
        });
    }
    let Some(a) = selected.and_then(|id| scenario.alignment(id)) else {
        return out;
    };
    ui.separator();
    alignment_editor_ui(ui, a, rail, existing_m, &mut out);
    out
}

fn alignment_editor_ui(
    ui: &mut Ui,
    a: &Alignment,
    rail: Option<&RailGraph>,
    existing_m: Option<f64>,
    out: &mut Vec<Command>,
) {
    let mut props = AlignmentProps::of(a);
    let before = props.clone();
    let mut text_edit_group = None;
    egui::Grid::new("alignment-props")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Name");
            let r = ui.text_edit_singleline(&mut props.name);
            if r.changed() {
                text_edit_group = Some(UndoGroup::AlignmentField(a.id, "name"));
            }
            if r.lost_focus() {
                out.push(Command::EndGroup);
            }
            ui.end_row();
            ui.label("Colour");
            let mut c = egui::Color32::from_rgba_unmultiplied(
                props.color[0],
                props.color[1],
                props.color[2],
                props.color[3],
            );
            if ui.color_edit_button_srgba(&mut c).changed() {
                props.color = c.to_srgba_unmultiplied();
                text_edit_group = Some(UndoGroup::AlignmentField(a.id, "colour"));
            }
            ui.end_row();
            ui.label("Status");
            egui::ComboBox::from_id_salt("status")
                .selected_text(props.status.label())
                .show_ui(ui, |ui| {
                    for s in [
                        AlignmentStatus::Existing,
                        AlignmentStatus::UnderConstruction,
                        AlignmentStatus::Proposed,
                    ] {
                        ui.selectable_value(&mut props.status, s, s.label());
                    }
                });
            ui.end_row();
            ui.label("Gauge");
            let gauge_text = |g: Option<u32>| {
                g.map_or_else(
                    || "unknown".to_owned(),
                    |g| {
                        format!(
                            "{} mm",
                            corridor_domain::measure::geodesic::group_thousands(i64::from(g))
                        )
                    },
                )
            };
            egui::ComboBox::from_id_salt("gauge")
                .selected_text(gauge_text(props.gauge_mm))
                .show_ui(ui, |ui| {
                    for g in GAUGES_MM {
                        ui.selectable_value(&mut props.gauge_mm, Some(g), gauge_text(Some(g)));
                    }
                    ui.selectable_value(&mut props.gauge_mm, None, "unknown");
                });
            ui.end_row();
            ui.label("Notes");
            let r = ui.text_edit_multiline(&mut props.notes);
            if r.changed() {
                text_edit_group = Some(UndoGroup::AlignmentField(a.id, "notes"));
            }
            if r.lost_focus() {
                out.push(Command::EndGroup);
            }
            ui.end_row();
        });
    if props != before {
        out.push(Command::Edit {
            edit: Edit::SetProperties { id: a.id, props },
            group: text_edit_group,
        });
    }

    ui.separator();
    let pts: Vec<(f64, f64)> = a.vertices.iter().map(|v| (v.lon, v.lat)).collect();
    let segs = measure_polyline(&pts);
    // Existing track as the ledger counts it (by the rail rule, so a followed track counts
    // however its vertices were placed), not by which vertices happen to be snapped.
    ui.label(format!(
        "{} vertices · {} geodesic · {} on existing track",
        a.vertices.len(),
        format_km(a.length_m()),
        existing_m.map_or_else(|| "…".to_owned(), format_km)
    ));
    egui::ScrollArea::vertical().id_salt("segments").max_height(220.0).show(ui, |ui| {
        egui::Grid::new("segments").num_columns(3).striped(true).show(ui, |ui| {
            for (i, (seg, w)) in segs.iter().zip(a.vertices.windows(2)).enumerate() {
                ui.label(format!("{}–{}", i + 1, i + 2));
                ui.monospace(format_km(seg.length_m));
                let can_trace = rail.is_some() && on_track(&w[0]) && on_track(&w[1]);
                if can_trace {
                    if ui.small_button("Follow existing track").on_hover_text("Replace this segment by the shortest path along the rail network").clicked() {
                        out.push(Command::FollowTrack { id: a.id, segment: i });
                    }
                } else {
                    ui.label("");
                }
                ui.end_row();
            }
        });
    });
    ui.horizontal(|ui| {
        if ui
            .button("Copy measurements")
            .on_hover_text("Segments, lengths and bearings as a tab-separated table")
            .clicked()
        {
            ui.ctx().copy_text(ruler_table_text(&pts));
        }
        if a.is_suggested()
            && ui
                .button("Accept suggestion")
                .on_hover_text(
                    "Keep this suggested alignment as an ordinary alternative (drawn solid)",
                )
                .clicked()
        {
            out.push(Command::AcceptSuggestions(vec![a.id]));
        }
        if ui.button("Delete alignment").clicked() {
            out.push(Command::Edit {
                edit: Edit::RemoveAlignment { id: a.id },
                group: None,
            });
            out.push(Command::SelectAlignment(None));
        }
    });
}
