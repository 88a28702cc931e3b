#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! Suggest through the real UI: press Suggest, wait for the worker, get a dashed suggested
//! alternative from Termez to Karachi, accept it (one undo step).

mod common;

use std::time::{Duration, Instant};

use corridor_atlas::app::command::Command;
use corridor_domain::plan::scenario::model::SnapRef;
use corridor_domain::plan::suggest::RankBy;
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

/// The panel lists the ranked alternatives, each with its distinguishing note, and says why
/// it stopped; the note is the one the alternative carries (one source: its ledger).
#[test]
fn the_panel_lists_ranked_alternatives_with_what_distinguishes_each() {
    let mut h = common::harness_for(common::new_app(), (1400.0, 1400.0), None);
    h.run_steps(2);
    {
        let panel = h.state_mut().suggest_panel_mut();
        panel.from = "Herat".into();
        panel.to = "Kandahar".into();
        panel.via = "Farah".into();
        panel.alternatives = 2;
    }
    h.get_by_label("Suggest alignments").click();
    h.run_steps(2);
    // Choose the objective in the combo box, as a user does.
    h.get_by_value("Lowest cost").click();
    h.run_steps(2);
    h.get_by_label("Shortest").click();
    h.run_steps(2);
    assert_eq!(h.state_mut().suggest_panel_mut().rank_by, RankBy::Length);
    h.get_by_label("Suggest").click();
    h.run_steps(1);
    let deadline = Instant::now() + Duration::from_mins(4);
    while (h.state_mut().suggest_panel_mut().running()
        || h.state().scenario().alignments.is_empty())
        && Instant::now() < deadline
    {
        h.step();
        std::thread::sleep(Duration::from_millis(50));
    }
    h.run_steps(2);
    let ranked = h.state_mut().suggest_panel_mut().ranked.clone();
    let stopped = h
        .state_mut()
        .suggest_panel_mut()
        .stopped_because
        .clone()
        .expect("the panel says why it stopped");
    assert!(!ranked.is_empty());
    let alignments = h.state().scenario().alignments.clone();
    assert_eq!(alignments.len(), ranked.len());
    let mut previous_km = 0.0;
    for (i, (line, a)) in ranked.iter().zip(&alignments).enumerate() {
        // On screen, as the user reads them.
        h.get_by_label(&line.figures);
        h.get_by_label(&line.distinction);
        assert!(line.figures.starts_with(&format!("{}. ", i + 1)));
        assert!(
            line.distinction.contains("crossing")
                && line.distinction.contains("% on existing track"),
            "{}",
            line.distinction
        );
        assert!(
            a.notes.contains(&line.distinction),
            "{} / {}",
            a.notes,
            line.distinction
        );
        // Herat to Kandahar via Farah stays in Afghanistan.
        assert!(
            line.distinction.contains("0 crossings"),
            "{}",
            line.distinction
        );
        let km = a.length_m() / 1000.0;
        assert!(
            line.figures.contains(&format!("{km:.0} km")),
            "{} vs {km:.1} km",
            line.figures
        );
        assert!(km >= previous_km, "shortest first");
        previous_km = km;
    }
    h.get_by_label(&format!("Stopped: {stopped}"));
    // The DEM the terrain came from is stated under the list.
    let terrain = h
        .state_mut()
        .suggest_panel_mut()
        .terrain
        .clone()
        .expect("the panel states the terrain");
    assert!(terrain.starts_with("bundled ETOPO5 only"), "{terrain}");
    h.get_by_label(&format!("Terrain: {terrain}"));
}

/// The panel's corridor: ticked with no alternative selected, Suggest says what is missing
/// and starts nothing; with one selected, the run starts and every suggestion keeps within
/// the chosen distance of it.
#[test]
fn the_corridor_option_keeps_suggestions_near_the_selected_alternative() {
    use corridor_atlas::app::command::Command;
    use corridor_domain::plan::scenario::model::Vertex;
    let mut h = common::harness_for(common::new_app(), (1400.0, 900.0), None);
    h.run_steps(2);
    {
        let panel = h.state_mut().suggest_panel_mut();
        panel.from = "Herat".into();
        panel.to = "Kandahar".into();
        panel.alternatives = 1;
    }
    h.get_by_label("Suggest alignments").click();
    h.run_steps(2);
    h.get_by_label("within").click();
    h.run_steps(1);
    h.get_by_label("Suggest").click();
    h.run_steps(2);
    assert!(!h.state_mut().suggest_panel_mut().running());
    assert!(
        h.query_by_label_contains("Select the alternative whose corridor")
            .is_some(),
        "the panel says what is missing"
    );
    // A sketch of the northern line, Herat – Chaghcharan – Tarin Kowt – Kandahar, selected.
    h.state_mut()
        .queue_commands(vec![Command::CreateAlignment(vec![
            Vertex::new(62.2, 34.35),
            Vertex::new(65.25, 34.52),
            Vertex::new(65.87, 32.63),
            Vertex::new(65.71, 31.61),
        ])]);
    h.run_steps(2);
    let sketch = h.state().scenario().alignments[0].id;
    h.state_mut()
        .queue_commands(vec![Command::SelectAlignment(Some(sketch))]);
    h.run_steps(2);
    h.state_mut().suggest_panel_mut().corridor_km = 80.0;
    h.get_by_label("Suggest").click();
    h.run_steps(1);
    assert!(h.state_mut().suggest_panel_mut().running());
    let deadline = Instant::now() + Duration::from_mins(4);
    while h.state().scenario().alignments.len() < 2 && Instant::now() < deadline {
        h.step();
        std::thread::sleep(Duration::from_millis(50));
    }
    let suggested = h
        .state()
        .scenario()
        .alignments
        .iter()
        .find(|a| a.is_suggested())
        .expect("a suggestion arrived")
        .clone();
    // South of 32.9° N between 63° and 65° E is the Farah–Delaram road, outside the corridor.
    for v in &suggested.vertices {
        if (63.0..=65.0).contains(&v.lon) {
            assert!(
                v.lat > 32.9,
                "({}, {}) is outside the corridor",
                v.lon,
                v.lat
            );
        }
    }
}
