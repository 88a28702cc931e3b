//! The layer panel: visibility, opacity and a legend drawn from the same styles as the map.

use egui::{Sense, Ui, vec2};
use serde::{Deserialize, Serialize};

use super::paint::{color, push_line, push_marker};
use corridor_domain::map::style::{LegendEntry, legend, track_import_legend};
use corridor_domain::{Atlas, LayerKind};

/// How one layer is shown (view state, persisted between runs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerUi {
    pub id: String,
    pub visible: bool,
    pub opacity: f32,
}

/// The layer list. Changes the `LayerUi` entries in place (view state, not scenario data:
/// toggling a layer is not an undoable edit). Returns the index of an imported layer the user
/// asked to remove.
///
/// A large import is several layers ("parts") sharing one id: it shows as one row, and its
/// visibility and opacity apply to every part.
pub fn layers_panel_ui(ui: &mut Ui, atlas: &Atlas, layers: &mut [LayerUi]) -> Option<usize> {
    let mut remove = None;
    let mut shown: Vec<(usize, &str)> = Vec::new();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            // Top of the draw order first, as in QGIS.
            for (i, layer) in atlas.layers.iter().enumerate().rev() {
                if shown.iter().any(|(_, id)| *id == layer.id) {
                    continue;
                }
                shown.push((i, &layer.id));
                let (parts, features, vertices) = atlas
                    .layers
                    .iter()
                    .filter(|l| l.id == layer.id)
                    .fold((0, 0, 0), |(p, f, v), l| {
                        (p + 1, f + l.len(), v + l.index.segment_count())
                    });
                let Some(state) = layers.get_mut(i) else {
                    continue;
                };
                let id = ui.make_persistent_id(("layer", &layer.id));
                // The rail legend is the key to the map, so it starts open; the rest start folded.
                let open_by_default = layer.id == "rail";
                egui::collapsing_header::CollapsingState::load_with_default_open(
                    ui.ctx(),
                    id,
                    open_by_default,
                )
                .show_header(ui, |ui| {
                    ui.checkbox(&mut state.visible, &layer.title)
                    .on_hover_text(if parts > 1 {
                        format!(
                            "{}: {features} features, {vertices} segments in {parts} parts · {}",
                            layer.title, layer.attribution
                        )
                    } else {
                        format!("{}: {features} features · {}", layer.title, layer.attribution)
                    });
                })
                .body(|ui| {
                    ui.add_enabled_ui(state.visible, |ui| {
                        let entries = if layer.kind == LayerKind::Imported && layer.is_track {
                            track_import_legend()
                        } else {
                            legend(layer.kind)
                        };
                        for entry in entries {
                            legend_row_ui(ui, &entry, state.opacity);
                        }
                        ui.add(
                            egui::Slider::new(&mut state.opacity, 0.0..=1.0)
                                .text("opacity")
                                .show_value(false),
                        )
                        .on_hover_text(format!("Opacity of {}", layer.title));
                    });
                    if layer.kind == LayerKind::Imported
                        && ui.small_button("Remove layer").clicked()
                    {
                        remove = Some(i);
                    }
                });
            }
        });
    // Parts follow the row shown for their layer.
    for (i, id) in shown {
        if let Some(state) = layers.get(i).cloned() {
            for (l, s) in atlas.layers.iter().zip(layers.iter_mut()) {
                if l.id == id {
                    s.visible = state.visible;
                    s.opacity = state.opacity;
                }
            }
        }
    }
    remove
}

fn legend_row_ui(ui: &mut Ui, entry: &LegendEntry, opacity: f32) {
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(vec2(34.0, 14.0), Sense::hover());
        let mut shapes = Vec::new();
        if let Some(fill) = entry.style.fill {
            shapes.push(egui::Shape::rect_filled(
                rect.shrink(1.0),
                2.0,
                color(fill, opacity),
            ));
        }
        if let Some(line) = &entry.style.line {
            push_line(
                &mut shapes,
                vec![rect.left_center(), rect.right_center()],
                line,
                opacity,
            );
        }
        if let Some(marker) = &entry.style.marker {
            push_marker(&mut shapes, rect.center(), marker, opacity);
        }
        ui.painter().extend(shapes);
        ui.label(egui::RichText::new(entry.label).small());
    });
}
