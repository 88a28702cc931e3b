//! The feature inspector: everything a clicked feature carries, plus its geodesic measures.

use egui::Ui;
use geo::{Centroid, Geometry};

use corridor_domain::data::feature::PropValue;
use corridor_domain::measure::geodesic::{
    format_km, geodesic_area_m2, geodesic_length_m, group_thousands,
};
use corridor_domain::{Atlas, FeatureRef};

/// What the inspector asks the app to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InspectorAction {
    Close,
}

/// Show the selected feature. Returns an action when the user closes it.
pub fn inspector_ui(ui: &mut Ui, atlas: &Atlas, selected: FeatureRef) -> Option<InspectorAction> {
    let (Some(layer), Some(feature)) = (atlas.layers.get(selected.layer), atlas.feature(selected))
    else {
        return Some(InspectorAction::Close);
    };
    let mut action = None;
    ui.horizontal(|ui| {
        ui.add(
            egui::Label::new(egui::RichText::new(layer.describe(selected.feature)).heading())
                .wrap(),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("×").on_hover_text("Close (Esc)").clicked() {
                action = Some(InspectorAction::Close);
            }
        });
    });
    ui.label(format!("{} · {}", layer.title, feature.geometry_type()));
    ui.separator();
    egui::Grid::new("measures").num_columns(2).striped(true).show(ui, |ui| {
        match &feature.geometry {
            Geometry::Point(p) => {
                ui.label("Position");
                ui.label(format!("{:.4}° N, {:.4}° E", p.y(), p.x()));
                ui.end_row();
                if let Some(z) = atlas.elevation.as_ref().and_then(|g| g.sample(p.x(), p.y())) {
                    ui.label("Elevation (ETOPO5)");
                    ui.label(format!("{} m", group_thousands(z.round() as i64)));
                    ui.end_row();
                }
            }
            g @ (Geometry::LineString(_) | Geometry::MultiLineString(_)) => {
                ui.label("Geodesic length");
                ui.label(format_km(geodesic_length_m(g)))
                    .on_hover_text("WGS84 ellipsoid (Karney). Bundled lines are straight chords between nodes; published lengths are longer.");
                ui.end_row();
                if let Some(published) = feature.properties.get("length_km_published").filter(|v| !v.is_null()) {
                    ui.label("Published length");
                    let text = match published {
                        PropValue::Str(s) => format!("{s} km"),
                        other => format!("{other} km"),
                    };
                    ui.label(text).on_hover_text(feature.str("source").unwrap_or("see the feature's source"));
                    ui.end_row();
                }
            }
            g @ (Geometry::Polygon(_) | Geometry::MultiPolygon(_)) => {
                ui.label("Geodesic area");
                ui.label(format!("{} km²", group_thousands((geodesic_area_m2(g) / 1e6).round() as i64)))
                    .on_hover_text("Of the part inside the bundled region, on the WGS84 ellipsoid.");
                ui.end_row();
                if let Some(c) = g.centroid() {
                    ui.label("Centroid");
                    ui.label(format!("{:.3}° N, {:.3}° E", c.y(), c.x()));
                    ui.end_row();
                }
            }
            _ => {}
        }
    });
    ui.separator();
    ui.label(egui::RichText::new("Properties").strong());
    egui::ScrollArea::vertical()
        .id_salt("props")
        .show(ui, |ui| {
            let value_width = (ui.available_width() - 130.0).max(120.0);
            egui::Grid::new("props")
                .max_col_width(value_width)
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for (key, value) in &feature.properties {
                        ui.label(egui::RichText::new(key).monospace());
                        let text = match value {
                            PropValue::Str(s) => s.to_owned(),
                            PropValue::Null => "—".to_owned(),
                            other => other.to_string(),
                        };
                        // Long values (sources, node lists) wrap inside the panel instead of widening it.
                        ui.add(egui::Label::new(text).wrap());
                        ui.end_row();
                    }
                });
        });
    action
}
