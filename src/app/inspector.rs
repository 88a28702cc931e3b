//! The feature inspector: everything a clicked feature carries, plus its geodesic measures.

use egui::Ui;
use geo::{Centroid, Geometry};

use corridor_domain::data::feature::PropValue;
use corridor_domain::measure::geodesic::{
    format_km, geodesic_area_m2, geodesic_length_m, group_thousands,
};
use corridor_domain::plan::scenario::PublishedFigures;
use corridor_domain::{Atlas, FeatureRef};
use serde_json::{Map, Value};

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
                let source = feature.str("source").unwrap_or("see the feature's source");
                for (label, text) in published_length_rows(geodesic_length_m(g), &feature.properties.to_map()) {
                    ui.label(label);
                    ui.add(egui::Label::new(text).wrap()).on_hover_text(source);
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

/// The inspector's rows on a line's published length, beside its measured one: the quoted
/// `length_km_published` as the data has it (with its scope and alternatives), the ratio
/// measured ÷ published against the figure `PublishedFigures` reads from it (the one the
/// comparison table uses), and the line's `length_note` explaining the gap, if any.
#[must_use]
pub fn published_length_rows(
    measured_m: f64,
    props: &Map<String, Value>,
) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    match props.get("length_km_published") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => rows.push(("Published length", format!("{s} km"))),
        Some(other) => rows.push(("Published length", format!("{other} km"))),
    }
    let published = PublishedFigures::of_properties(props);
    if let (Some(km), Some(ratio)) = (
        published.length_km,
        published.length_ratio(measured_m / 1000.0),
    ) {
        rows.push((
            "Measured ÷ published",
            format!("{ratio:.2} ({} ÷ {km} km)", format_km(measured_m)),
        ));
    }
    // A composite figure says how it was made (no single publication gives it).
    if let Some(basis) = published.basis_label() {
        rows.push(("Published basis", basis));
    }
    if let Some(note) = props.get("length_note").and_then(Value::as_str) {
        rows.push(("Length note", note.to_owned()));
    }
    rows
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)] // Tests: a failed expectation is the message.
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: Value) -> Map<String, Value> {
        let Value::Object(m) = v else { unreachable!() };
        m
    }

    #[test]
    fn a_line_shows_its_measured_length_over_the_published_one_and_its_note() {
        // Herat-Kandahar as bundled: 737.5 km published (Railway Gazette, Feb 2025). A
        // measured 700 km is 700 / 737.5 = 0.949 of it.
        let rows = published_length_rows(
            700_000.0,
            &props(json!({"length_km_published": 737.5, "length_km_value": 737.5})),
        );
        assert_eq!(rows[0], ("Published length", "737.5 km".to_owned()));
        assert_eq!(rows[1].0, "Measured ÷ published");
        assert!(rows[1].1.starts_with("0.95 ("), "{}", rows[1].1);
        assert!(rows[1].1.ends_with("÷ 737.5 km)"), "{}", rows[1].1);
        assert_eq!(rows.len(), 2);
        // A quoted text keeps its scope; the ratio is against the curated value (647), and
        // the note follows: 614.65 km measured is 0.95 of 647.
        let rows = published_length_rows(
            614_650.0,
            &props(json!({
                "length_km_published": "647 (Termez-Kharlachi, 2025); 760 (2022-23)",
                "length_km_value": 647,
                "length_note": "The Naibabad-Maidan Shahr alignment is not published."
            })),
        );
        assert_eq!(rows[0].1, "647 (Termez-Kharlachi, 2025); 760 (2022-23) km");
        assert!(rows[1].1.starts_with("0.95 ("), "{}", rows[1].1);
        assert_eq!(
            rows[2],
            (
                "Length note",
                "The Naibabad-Maidan Shahr alignment is not published.".to_owned()
            )
        );
        // Nothing published: no rows.
        assert!(
            published_length_rows(1000.0, &props(json!({"length_km_published": null}))).is_empty()
        );
    }
}
