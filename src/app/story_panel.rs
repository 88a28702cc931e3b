//! The story editor: the slide list (drag to reorder), capture a slide from the current view,
//! duplicate, delete, and edit the selected slide's texts, view, highlights and reveal. Every
//! change is an `Edit`, so it is undoable like any other.

use egui::Ui;

use super::command::Command;
use corridor_domain::plan::scenario::edit::Edit;
use corridor_domain::plan::scenario::history::UndoGroup;
use corridor_domain::plan::scenario::live_figures::caption_warnings;
use corridor_domain::plan::scenario::model::Scenario;
use corridor_domain::plan::scenario::story::{Slide, SlideId, SlideKind, SlideView};

/// What the current map shows, for "Capture slide" and "Use current view".
#[derive(Clone, Debug)]
pub struct CurrentView {
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
    pub visible_layers: Vec<String>,
}

/// What the panel asks the app to do besides edits.
// A handful per click; boxing would only add indirection.
#[allow(clippy::large_enum_variant)]
pub enum StoryAction {
    Command(Command),
    Select(SlideId),
    /// Start presenting at this slide.
    Present(usize),
}

fn edit(e: Edit) -> StoryAction {
    StoryAction::Command(Command::Edit {
        edit: e,
        group: None,
    })
}

/// The panel. `selected` is the slide being edited.
pub fn story_panel_ui(
    ui: &mut Ui,
    scenario: &Scenario,
    selected: Option<SlideId>,
    view: &CurrentView,
) -> Vec<StoryAction> {
    let mut out = Vec::new();
    let slides = &scenario.story.slides;
    let sel_index = selected.and_then(|id| scenario.story.index_of(id));
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Capture slide")
            .on_hover_text("A new slide showing the current view, layers and selected alternative")
            .clicked()
        {
            let id = scenario.unused_slide_id();
            let mut slide = Slide::new(id, format!("Slide {}", slides.len() + 1));
            slide.view = SlideView::Center {
                lon: view.lon,
                lat: view.lat,
                zoom: view.zoom,
            };
            slide.layers = Some(view.visible_layers.clone());
            let index = sel_index.map_or(slides.len(), |i| i + 1);
            out.push(edit(Edit::AddSlide { slide, index }));
            out.push(StoryAction::Select(id));
        }
        if let Some(i) = sel_index {
            if ui.button("Duplicate").clicked() {
                let mut copy = slides[i].clone();
                copy.id = scenario.unused_slide_id();
                out.push(edit(Edit::AddSlide {
                    slide: copy,
                    index: i + 1,
                }));
            }
            if ui.button("Delete slide").clicked() {
                out.push(edit(Edit::RemoveSlide { id: slides[i].id }));
            }
        }
        if ui
            .add_enabled(!slides.is_empty(), egui::Button::new("Present"))
            .on_hover_text("F5 from the first slide, Shift+F5 from this one")
            .clicked()
        {
            out.push(StoryAction::Present(sel_index.unwrap_or(0)));
        }
    });
    // The slide list; drag a row onto another to move it there.
    let mut moved: Option<(SlideId, usize)> = None;
    for (i, slide) in slides.iter().enumerate() {
        let row_id = ui.scope_id().with(("slide-row", slide.id.0));
        let response = ui
            .dnd_drag_source(row_id, slide.id, |ui| {
                let label = format!("{}. {}", i + 1, slide.title);
                if ui
                    .selectable_label(selected == Some(slide.id), label)
                    .clicked()
                {
                    out.push(StoryAction::Select(slide.id));
                }
            })
            .response;
        if let Some(dragged) = response.dnd_release_payload::<SlideId>()
            && *dragged != slide.id
        {
            moved = Some((*dragged, i));
        }
    }
    if let Some((id, to_index)) = moved {
        out.push(edit(Edit::MoveSlide { id, to_index }));
    }
    let Some(i) = sel_index else { return out };
    ui.separator();
    slide_editor_ui(ui, scenario, &slides[i], view, &mut out);
    out
}

fn slide_editor_ui(
    ui: &mut Ui,
    scenario: &Scenario,
    slide: &Slide,
    view: &CurrentView,
    out: &mut Vec<StoryAction>,
) {
    let mut s = slide.clone();
    let mut group = None;
    let mut end_group = false;
    egui::Grid::new("slide").num_columns(2).show(ui, |ui| {
        ui.label("Title");
        let r = ui.text_edit_singleline(&mut s.title);
        if r.changed() {
            group = Some(UndoGroup::SlideField(s.id, "title"));
        }
        end_group |= r.lost_focus();
        ui.end_row();
        ui.label("Caption");
        let r = ui
            .add(
                egui::TextEdit::multiline(&mut s.caption)
                    .desired_rows(3)
                    .hint_text("**bold**, - bullets, {length_km} {cost} {time} {length_km:UAP}"),
            )
            .on_hover_text(
                "Live figures from the ledger, as Compare shows them: {length_km}, {existing_km}, \
             {new_km}, {countries}, {crossings}, {gauge_breaks}, {max_grade}, {cost}, {time}, \
             {tunnel_km}, {bridge_km}, {tight_curves} — of the revealed (or the one highlighted) \
             alternative, or of another: {cost:3} (its id) or {cost:UAP} (a part of its name).",
            );
        if r.changed() {
            group = Some(UndoGroup::SlideField(s.id, "caption"));
        }
        end_group |= r.lost_focus();
        ui.end_row();
        // Placeholders that cannot be filled show as {?…} on the slide; say why here.
        for warning in caption_warnings(&s, scenario) {
            ui.label("");
            ui.colored_label(ui.visuals().warn_fg_color, format!("Caption: {warning}"));
            ui.end_row();
        }
        ui.label("Notes");
        let r = ui.add(
            egui::TextEdit::multiline(&mut s.notes)
                .desired_rows(2)
                .hint_text("presenter notes"),
        );
        if r.changed() {
            group = Some(UndoGroup::SlideField(s.id, "notes"));
        }
        end_group |= r.lost_focus();
        ui.end_row();
        ui.label("View");
        ui.horizontal_wrapped(|ui| {
            let label = match &s.view {
                SlideView::Center { .. } => "fixed view",
                SlideView::FitAlignments(_) => "fit alternatives",
                SlideView::FitRegion => "whole region",
            };
            ui.label(label);
            if ui.small_button("Use current view").clicked() {
                s.view = SlideView::Center {
                    lon: view.lon,
                    lat: view.lat,
                    zoom: view.zoom,
                };
            }
            if ui.small_button("Fit highlighted").clicked() {
                s.view = SlideView::FitAlignments(s.highlight.clone());
            }
            if ui.small_button("Whole region").clicked() {
                s.view = SlideView::FitRegion;
            }
        });
        ui.end_row();
        ui.label("Layers");
        ui.horizontal(|ui| {
            ui.label(if s.layers.is_some() {
                "as captured"
            } else {
                "unchanged"
            });
            if ui.small_button("Use current layers").clicked() {
                s.layers = Some(view.visible_layers.clone());
            }
            if s.layers.is_some() && ui.small_button("Leave unchanged").clicked() {
                s.layers = None;
            }
        });
        ui.end_row();
        ui.label("Highlight");
        ui.vertical(|ui| {
            for a in &scenario.alignments {
                let mut on = s.highlight.contains(&a.id);
                if ui.checkbox(&mut on, &a.name).changed() {
                    if on {
                        s.highlight.push(a.id);
                    } else {
                        s.highlight.retain(|id| *id != a.id);
                    }
                }
            }
        });
        ui.end_row();
        ui.label("Reveal");
        let current = s
            .reveal
            .and_then(|id| scenario.alignment(id))
            .map_or("none", |a| a.name.as_str())
            .to_owned();
        egui::ComboBox::from_id_salt("reveal")
            .selected_text(current)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut s.reveal, None, "none");
                for a in &scenario.alignments {
                    ui.selectable_value(&mut s.reveal, Some(a.id), &a.name);
                }
            });
        ui.end_row();
        ui.label("Shows");
        ui.horizontal(|ui| {
            ui.radio_value(&mut s.kind, SlideKind::Map, "map")
                .on_hover_text("The map with the alternatives and a legend");
            ui.radio_value(&mut s.kind, SlideKind::Comparison, "comparison")
                .on_hover_text(
                    "The ledger table and existing/new-build chart of the highlighted \
                     alternatives (all when none is), live from Compare",
                );
        });
        ui.end_row();
    });
    if s != *slide {
        out.push(StoryAction::Command(Command::Edit {
            edit: Edit::UpdateSlide { slide: s },
            group,
        }));
    }
    if end_group {
        out.push(StoryAction::Command(Command::EndGroup));
    }
}
