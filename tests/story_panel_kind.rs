#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! The story editor's "Shows: map / comparison" choice makes a slide a comparison slide
//! through an `Edit::UpdateSlide` (so it is undone like any other edit).

use std::path::Path;

use corridor_atlas::app::command::Command;
use corridor_atlas::app::story_panel::{CurrentView, StoryAction, story_panel_ui};
use corridor_domain::plan::scenario::edit::Edit;
use corridor_domain::plan::scenario::io::load;
use corridor_domain::plan::scenario::story::SlideKind;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

#[test]
fn choosing_comparison_edits_the_slide_kind() {
    let scenario = load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/corridor-options.geojson"),
    )
    .expect("the example loads");
    let first = scenario.story.slides[0].id;
    assert_eq!(scenario.story.slides[0].kind, SlideKind::Map);
    let view = CurrentView {
        lon: 66.0,
        lat: 33.0,
        zoom: 5.0,
        visible_layers: Vec::new(),
    };
    // The editor's title field and reveal combo carry no accessible name yet (not ours to
    // fix here); the check would stop the test before the click.
    let mut h = Harness::builder()
        .with_size((420.0, 900.0))
        .with_accessibility_check(false)
        .build_ui_state(
            |ui, kinds: &mut Vec<SlideKind>| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for action in story_panel_ui(ui, &scenario, Some(first), &view) {
                        if let StoryAction::Command(Command::Edit {
                            edit: Edit::UpdateSlide { slide },
                            ..
                        }) = action
                        {
                            kinds.push(slide.kind);
                        }
                    }
                });
            },
            Vec::new(),
        );
    h.run();
    assert!(h.state().is_empty(), "no edit before a click");
    h.get_by_label("comparison").click();
    h.run();
    assert_eq!(h.state().first(), Some(&SlideKind::Comparison));
}
