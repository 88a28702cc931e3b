//! The railway engineering of the selected alternative in the Compare panel: the design line,
//! tunnels and bridges drawn on the elevation profile, the train's speed–distance curve under
//! it, the lists of tight curves and structures, and the engineering settings.

use egui::{Color32, Ui};
use egui_plot::{Line, PlotPoints, PlotUi, VLine};

use corridor_domain::measure::geodesic::{format_km, group_thousands};
use corridor_domain::measure::ledger::train::TrainPreset;
use corridor_domain::measure::ledger::{EngineeringSettings, Ledger, StructureKind};

/// Width of the profile's and the speed plot's y axis (Compare draws the profile): the strip
/// diagram between them shares their chainage axis and writes its row titles ("structures",
/// …) in this margin, which the plots' own tick labels would leave too narrow.
pub(super) const PLOT_Y_AXIS_W: f32 = 72.0;

/// Colour of tunnels on the profile and the strip.
pub const TUNNEL: Color32 = Color32::from_rgb(120, 70, 30);
/// Colour of bridges on the profile and the strip.
pub const BRIDGE: Color32 = Color32::from_rgb(30, 110, 200);
/// Colour of earthworks on the strip.
pub const EARTHWORKS: Color32 = Color32::from_rgb(200, 185, 150);

/// The design line (in `line_color`, the theme's strong text colour so it reads on both
/// themes) and its tunnels and bridges, on the profile plot (x in km).
pub fn profile_overlay(plot: &mut PlotUi, l: &Ledger, line_color: Color32) {
    let Some(d) = l.engineering.as_ref().and_then(|e| e.design.as_ref()) else {
        return;
    };
    let design: PlotPoints = d
        .points
        .iter()
        .map(|p| [p.chainage_m / 1000.0, p.design_m])
        .collect();
    plot.line(
        Line::new("design line", design)
            .color(line_color)
            .width(1.2),
    );
    for s in &d.structures {
        let (name, c) = match s.kind {
            StructureKind::Tunnel => ("tunnels", TUNNEL),
            StructureKind::Bridge => ("bridges", BRIDGE),
        };
        let pts: PlotPoints = d
            .points
            .iter()
            .filter(|p| p.chainage_m >= s.start_m && p.chainage_m <= s.end_m)
            .map(|p| [p.chainage_m / 1000.0, p.design_m])
            .collect();
        plot.line(Line::new(name, pts).color(c).width(4.0));
    }
}

/// The train's speed and the speed limit against chainage, on the profile's chainage range.
/// Returns the chainage (m) under the pointer.
pub fn speed_ui(ui: &mut Ui, l: &Ledger, map_chainage_m: Option<f64>) -> Option<f64> {
    let speed: PlotPoints = l
        .travel
        .speeds
        .iter()
        .map(|p| [p.chainage_m / 1000.0, p.speed_kmh])
        .collect();
    let limit: PlotPoints = l
        .travel
        .speeds
        .iter()
        .map(|p| [p.chainage_m / 1000.0, p.limit_kmh])
        .collect();
    let response = egui_plot::Plot::new("speed")
        .height(90.0)
        .y_axis_min_width(PLOT_Y_AXIS_W)
        .allow_drag(false)
        .allow_zoom(false)
        .include_x(0.0)
        .include_x(l.length_m / 1000.0)
        .include_y(0.0)
        .x_axis_label("chainage, km")
        .y_axis_label("km/h")
        .show(ui, |plot| {
            plot.line(
                Line::new("limit", limit)
                    .color(Color32::from_rgb(230, 150, 150))
                    .width(1.0),
            );
            plot.line(
                Line::new("speed", speed)
                    .color(Color32::from_rgb(200, 30, 30))
                    .width(1.5),
            );
            if let Some(m) = map_chainage_m {
                plot.vline(
                    VLine::new("map pointer", m / 1000.0).color(Color32::from_rgb(200, 0, 200)),
                );
            }
            plot.pointer_coordinate()
        });
    response
        .response
        .hovered()
        .then_some(response.inner)
        .flatten()
        .map(|p| (p.x * 1000.0).clamp(0.0, l.length_m))
}

/// Hours as `12.3 h`.
fn hours(h: f64) -> String {
    format!("{h:.1} h")
}

/// The engineering part of the full ledger.
pub fn details_ui(ui: &mut Ui, l: &Ledger) {
    let Some(e) = l.engineering.as_ref() else {
        ui.label("Railway engineering is off (settings).");
        return;
    };
    let t = &l.travel;
    ui.label(format!(
        "Train: {} · {} (running {}, ferry {}, stops {}) · curved length {}",
        t.train,
        hours(t.total_h),
        hours(t.running_h),
        hours(t.ferry_h),
        hours(t.border_dwell_h + t.gauge_break_dwell_h),
        format_km(e.curved_length_m)
    ));
    match &e.design {
        Some(d) => {
            ui.label(format!(
                "Design line (max {:.2} %): tunnels {} · bridges {} · cut {} m³ · fill {} m³ \
                 (formation {} m, side slopes 1:{})",
                d.steepest_grade_pct,
                format_km(d.tunnel_m),
                format_km(d.bridge_m),
                group_thousands(d.cut_m3.round() as i64),
                group_thousands(d.fill_m3.round() as i64),
                d.formation_width_m,
                d.side_slope
            ));
            ui.collapsing(
                format!("Tunnels and bridges ({})", d.structures.len()),
                |ui| {
                    for s in &d.structures {
                        ui.label(format!(
                            "{} {} – {}: {} ({} m {})",
                            match s.kind {
                                StructureKind::Tunnel => "tunnel",
                                StructureKind::Bridge => "bridge",
                            },
                            format_km(s.start_m),
                            format_km(s.end_m),
                            format_km(s.length_m),
                            s.max_depth_m.round(),
                            match s.kind {
                                StructureKind::Tunnel => "deep",
                                StructureKind::Bridge => "high",
                            },
                        ));
                    }
                },
            );
        }
        None => {
            ui.label("No design line: no elevation data along the line.");
        }
    }
    ui.collapsing(
        format!(
            "Curves below the minimum radius {} m ({} of {})",
            e.min_radius_m.round(),
            e.curves_below_min,
            e.curves.len()
        ),
        |ui| {
            for c in e.curves.iter().filter(|c| c.below_min) {
                ui.label(format!(
                    "{} (vertex {}): R {} m, Δ {:.1}°, allows {:.0} km/h{}",
                    format_km(c.start_m),
                    c.vertex + 1,
                    group_thousands(c.radius_m.round() as i64),
                    c.deflection_deg,
                    c.allowed_speed_kmh,
                    if c.overlaps {
                        " — overlaps the next curve"
                    } else {
                        ""
                    }
                ));
            }
        },
    );
}

/// The engineering settings, as rows of the settings grid.
pub fn settings_rows(ui: &mut Ui, e: &mut EngineeringSettings) {
    ui.label("railway engineering");
    ui.checkbox(&mut e.enabled, "curves, design line, train");
    ui.end_row();
    let rows: [(&str, &mut f64, f64, f64); 6] = [
        ("line speed, km/h", &mut e.line_speed_kmh, 10.0, 400.0),
        ("cant, mm", &mut e.cant_mm, 0.0, 200.0),
        ("cant deficiency, mm", &mut e.cant_deficiency_mm, 0.0, 200.0),
        (
            "tunnel when cut deeper than, m",
            &mut e.tunnel_cut_m,
            1.0,
            200.0,
        ),
        (
            "bridge when fill higher than, m",
            &mut e.bridge_fill_m,
            1.0,
            200.0,
        ),
        ("formation width, m", &mut e.formation_width_m, 1.0, 50.0),
    ];
    for (label, value, lo, hi) in rows {
        ui.label(label);
        ui.add(egui::DragValue::new(value).speed(1.0).range(lo..=hi));
        ui.end_row();
    }
    ui.label("train");
    egui::ComboBox::from_id_salt("train-preset")
        .selected_text(e.train.label())
        .show_ui(ui, |ui| {
            for p in TrainPreset::ALL {
                ui.selectable_value(&mut e.train, p, p.label());
            }
        });
    ui.label(e.train.train().name);
    ui.end_row();
}
