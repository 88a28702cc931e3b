#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! Suggest through the real UI: press Suggest, wait for the worker, get a dashed suggested
//! alternative from Termez to Karachi, accept it (one undo step).

mod common;

use std::time::{Duration, Instant};

use corridor_atlas::app::command::Command;
use corridor_domain::plan::scenario::model::SnapRef;
use egui_kittest::kittest::Queryable as _;

#[test]
fn suggest_adds_a_dashed_alternative_between_the_places_and_accept_makes_it_ordinary() {
    let mut h = common::harness_for(common::new_app(), (1400.0, 900.0), None);
    h.run_steps(2);
    {
        let panel = h.state_mut().suggest_panel_mut();
        panel.from = "Termez".into();
        panel.to = "Karachi".into();
        panel.alternatives = 1;
    }
    h.get_by_label("Suggest alignments").click(); // open the section
    h.run_steps(2);
    h.get_by_label("Suggest").click(); // now the button inside it
    h.run_steps(1);
    assert!(
        h.state_mut().suggest_panel_mut().running(),
        "the search runs on a worker thread"
    );
    let deadline = Instant::now() + Duration::from_mins(4);
    while h.state().scenario().alignments.is_empty() && Instant::now() < deadline {
        h.step();
        std::thread::sleep(Duration::from_millis(50));
    }
    let a = h
        .state()
        .scenario()
        .alignments
        .first()
        .expect("a suggestion arrived")
        .clone();
    assert!(a.is_suggested(), "shown dashed until accepted");
    assert!(
        matches!(&a.vertices.first().expect("vertices").snap, Some(SnapRef::Place { name, .. }) if name == "Termez")
    );
    assert!(
        matches!(&a.vertices.last().expect("vertices").snap, Some(SnapRef::Place { name, .. }) if name == "Karachi")
    );
    let steps = h.state().document().undo_len();
    h.state_mut()
        .queue_commands(vec![Command::AcceptSuggestions(vec![a.id])]);
    h.run_steps(1);
    let accepted = h
        .state()
        .scenario()
        .alignment(a.id)
        .expect("still there")
        .clone();
    assert!(!accepted.is_suggested());
    assert_eq!(
        accepted.vertices, a.vertices,
        "accepting changes nothing but the flag"
    );
    assert_eq!(
        h.state().document().undo_len(),
        steps + 1,
        "accepting is one undo step"
    );
    h.state_mut().undo();
    assert!(
        h.state()
            .scenario()
            .alignment(a.id)
            .expect("back")
            .is_suggested()
    );
}
