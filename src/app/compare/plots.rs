//! The comparison's charts: existing vs new-build km per alternative, and the selected
//! alternative's elevation profile with its strip diagram on the same chainage axis (both
//! linked to the map: hovering one marks the spot on the other).

use egui::{Color32, Ui};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotTransform, VLine};

use crate::app::engineering_view::{BRIDGE, EARTHWORKS, TUNNEL, profile_overlay};
use crate::app::paint::color;
use corridor_domain::map::style::{country_tint, gauge_color};
use corridor_domain::measure::geodesic::format_km;
use corridor_domain::measure::ledger::strip::{
    GradeClass, StripDiagram, StripRow, StripValue, StructureClass, TrackClass, piece_at,
};
use corridor_domain::measure::ledger::{ComparisonRow, Ledger, SEA_CODE};
use corridor_domain::plan::scenario::model::AlignmentId;

/// Existing track and new build per alternative, stacked, each bar named by its alternative.
pub(super) fn bars_ui(ui: &mut Ui, rows: &[(AlignmentId, ComparisonRow)]) {
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
pub(super) fn profile_ui(
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
        .y_axis_min_width(crate::app::engineering_view::PLOT_Y_AXIS_W)
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
pub(super) fn strip_ui(
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
