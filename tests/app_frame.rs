#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! The frame loop and the command queue through the real UI: an edit made in a panel drawn
//! after the compare panel reaches the compare panel in the same frame; accepting several
//! suggestions is one undo step; the suggested marker survives save and load.

mod common;

use std::time::{Duration, Instant};

use corridor_atlas::app::AtlasApp;
use corridor_atlas::app::command::Command;
use corridor_domain::plan::scenario::io;
use corridor_domain::plan::scenario::model::{Alignment, AlignmentId, Scenario, Vertex};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn harness() -> Harness<'static, AtlasApp> {
    let mut app = common::new_app();
    app.panels_mut().compare = true;
    let mut h = common::harness_for(app, (1400.0, 900.0), None);
    h.run_steps(2);
    h
}

fn step_until(h: &mut Harness<'static, AtlasApp>, what: &str, done: impl Fn(&AtlasApp) -> bool) {
    let deadline = Instant::now() + Duration::from_mins(1);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A suggested alternative as Suggest makes them (dashed until accepted).
fn suggestion(name: &str, lon: f64) -> Alignment {
    let mut a = Alignment::new(AlignmentId(0), name);
    a.vertices = vec![Vertex::new(lon, 37.0), Vertex::new(lon + 0.5, 36.5)];
    a.set_suggested(true);
    a
}

#[test]
fn an_edit_in_the_alignment_panel_shows_in_the_compare_panel_of_the_same_frame() {
    let mut h = harness();
    h.state_mut().queue_commands([Command::CreateAlignment(vec![
        Vertex::new(67.2783, 37.2242),
        Vertex::new(67.1109, 36.7069),
    ])]);
    // The new alternative is selected: its editor (side panel, drawn after the compare
    // panel's place in the layout) shows its name.
    h.run_steps(2);
    let name_field = |n: &egui_kittest::kittest::AccessKitNode<'_>| {
        n.role() == egui::accesskit::Role::TextInput
            && n.value().as_deref() == Some("Alternative 1")
    };
    h.get_by(name_field).focus();
    h.step();
    assert_eq!(h.query_all_by_label("Alternative 1 renamed").count(), 0);
    h.get_by(name_field).type_text(" renamed");
    h.step(); // ONE frame: the edit is made in it
    let app = h.state();
    assert_eq!(app.scenario().alignments[0].name, "Alternative 1 renamed");
    assert_eq!(
        app.ledgers_revision(),
        Some(app.document().revision()),
        "the ledgers were refreshed after the side panel's edit"
    );
    // The list above the editor was drawn before the edit and still shows the old name;
    // the compare table, painted after the edit, shows the new one.
    assert!(
        h.query_all_by_label("Alternative 1 renamed").count() >= 1,
        "the compare panel painted this frame's edit"
    );
}

#[test]
fn accepting_every_suggestion_is_one_undo_step() {
    let mut h = harness();
    let names = ["Suggested 1", "Suggested 2", "Suggested 3"];
    h.state_mut().queue_commands([Command::AddSuggestions(
        names
            .iter()
            .zip([66.0, 67.0, 68.0])
            .map(|(n, lon)| suggestion(n, lon))
            .collect(),
    )]);
    h.run_steps(2);
    let doc = h.state().document();
    assert_eq!(doc.scenario().alignments.len(), 3);
    assert_eq!(doc.undo_len(), 1, "arriving suggestions are one undo step");
    assert!(
        doc.scenario()
            .alignments
            .iter()
            .all(Alignment::is_suggested)
    );

    h.get_by_label("Suggest alignments").click(); // open the section
    h.run_steps(2);
    h.get_by_label("Accept all suggestions").click();
    h.run_steps(2);
    let doc = h.state().document();
    assert_eq!(doc.undo_len(), 2, "accepting three is one more step");
    assert!(doc.scenario().alignments.iter().all(|a| !a.is_suggested()));
    let vertices: Vec<_> = doc
        .scenario()
        .alignments
        .iter()
        .map(|a| a.vertices.clone())
        .collect();
    assert!(
        h.query_by_label("Accept all suggestions").is_none(),
        "nothing left to accept"
    );

    h.state_mut().undo();
    let s = h.state().scenario();
    assert_eq!(s.alignments.len(), 3);
    assert!(
        s.alignments.iter().all(Alignment::is_suggested),
        "one undo: all three suggested again"
    );
    assert_eq!(
        s.alignments
            .iter()
            .map(|a| a.vertices.clone())
            .collect::<Vec<_>>(),
        vertices
    );
    h.state_mut().undo();
    assert!(
        h.state().scenario().alignments.is_empty(),
        "a second undo: the suggestions are gone"
    );
}

#[test]
fn the_suggested_marker_survives_save_and_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("suggestions.geojson");
    let mut scenario = Scenario::new();
    for (name, lon) in [("Kept", 66.0), ("Still suggested", 67.0)] {
        let mut a = suggestion(name, lon);
        a.id = scenario.allocate_id();
        scenario.alignments.push(a);
    }
    let (kept, other) = (scenario.alignments[0].id, scenario.alignments[1].id);
    io::save_atomic(&path, &scenario).expect("written");

    let mut h = harness();
    h.state_mut().open_when_ready(path.clone());
    step_until(&mut h, "the file to open", |app| {
        app.scenario().alignments.len() == 2
    });
    assert!(
        h.state()
            .scenario()
            .alignments
            .iter()
            .all(Alignment::is_suggested)
    );

    h.state_mut()
        .queue_commands([Command::AcceptSuggestions(vec![kept])]);
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    step_until(&mut h, "the save", |app| !app.document().is_dirty());

    let text = std::fs::read_to_string(&path).expect("saved file");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let props = |i: usize| json["features"][i]["properties"].clone();
    assert!(props(0).get("suggested").is_none(), "accepted: no marker");
    assert_eq!(props(1)["suggested"], true, "the same key as before");
    let back = io::load(&path).expect("loads");
    assert!(!back.alignment(kept).expect("kept").is_suggested());
    assert!(back.alignment(other).expect("other").is_suggested());
}
