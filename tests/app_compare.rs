#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! The comparison panel through the real UI: the ledger of a drawn alternative appears in the
//! table, follows an edit in the same frame, and the table sorts by a clicked column.

mod common;

use corridor_atlas::app::AtlasApp;
use corridor_atlas::app::command::Command;
use corridor_domain::plan::scenario::edit::Edit;
use corridor_domain::plan::scenario::model::Vertex;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn harness() -> Harness<'static, AtlasApp> {
    let mut app = common::new_app();
    app.panels_mut().compare = true;
    let mut h = common::harness_for(app, (1400.0, 900.0), None);
    h.run_steps(2);
    h
}

#[test]
fn a_new_alternative_gets_its_ledger_in_the_table_and_follows_edits() {
    let mut h = harness();
    // Termez (Uzbekistan) to Mazar-i-Sharif (Afghanistan): one border, on the Amu Darya.
    h.state_mut()
        .queue_commands(vec![Command::CreateAlignment(vec![
            Vertex::new(67.2783, 37.2242),
            Vertex::new(67.1109, 36.7069),
        ])]);
    h.run_steps(2);
    let id = h.state().scenario().alignments[0].id;
    let ledger = h.state().ledger(id).expect("ledger computed").clone();
    assert_eq!(ledger.borders_crossed, 1, "{:?}", ledger.crossings);
    let codes: Vec<&str> = ledger.countries.iter().map(|c| c.iso_a3.as_str()).collect();
    assert_eq!(codes, ["UZB", "AFG"]);
    // The table shows the alternative's km with one decimal.
    let km = format!("{:.1} km", ledger.length_m / 1000.0);
    assert!(
        h.query_all_by_label(&km).count() >= 1,
        "table shows {km} km"
    );

    // Move the far end 1° east: the ledger is recomputed in the same frame.
    h.state_mut().queue_commands(vec![Command::Edit {
        edit: Edit::MoveVertex {
            id,
            index: 1,
            to: Vertex::new(68.1109, 36.7069),
        },
        group: None,
    }]);
    h.step();
    let moved = h.state().ledger(id).expect("ledger").clone();
    // GeographicLib (Python geographiclib 2.x, WGS84): (37.2242 N, 67.2783 E) →
    // (36.7069 N, 68.1109 E) is 93,771.0 m.
    assert!(
        (moved.length_m - 93_771.0).abs() < 1.0,
        "{}",
        moved.length_m
    );
    let km = format!("{:.1} km", moved.length_m / 1000.0);
    assert!(
        h.query_all_by_label(&km).count() >= 1,
        "table shows the new {km} km"
    );
}

#[test]
fn clicking_a_column_header_sorts_the_table() {
    let mut h = harness();
    let short = vec![Vertex::new(67.0, 37.0), Vertex::new(67.5, 37.0)];
    let long = vec![Vertex::new(60.0, 30.0), Vertex::new(65.0, 30.0)];
    h.state_mut().queue_commands(vec![
        Command::CreateAlignment(long),
        Command::CreateAlignment(short),
    ]);
    h.run_steps(2);
    h.get_by_label("km").click();
    h.run_steps(2);
    h.get_by_label("km ^").click();
    h.run_steps(2);
    assert!(
        h.query_by_label("km v").is_some(),
        "second click sorts descending"
    );
}

#[test]
fn hovering_the_strip_diagram_reads_the_line_at_that_chainage() {
    let mut h = harness();
    // Termez (Uzbekistan) to Mazar-i-Sharif (Afghanistan): the new alternative is selected,
    // so its profile and strip diagram show.
    h.state_mut()
        .queue_commands(vec![Command::CreateAlignment(vec![
            Vertex::new(67.2783, 37.2242),
            Vertex::new(67.1109, 36.7069),
        ])]);
    h.run_steps(3);
    let id = h.state().scenario().alignments[0].id;
    let ledger = h.state().ledger(id).expect("ledger").clone();
    // Compare keeps its height and scrolls: bring the strip into view first.
    // (Scrolling animates: step until it has settled.)
    h.get_by_label("Strip diagram").scroll_to_me();
    h.run_steps(30);
    let rect = h.get_by_label("Strip diagram").rect();

    // Hover the strip from left to right: the hovered chainage (which the map marks) grows
    // along the line and ends at its end, in Afghanistan.
    let mut chainage_at = |x: f32| {
        h.event(egui::Event::PointerMoved(egui::pos2(x, rect.center().y)));
        h.run_steps(4);
        h.state()
            .profile_hover_m()
            .expect("the strip reports the hovered chainage")
    };
    let near_start = chainage_at(rect.left() + 0.45 * rect.width());
    let middle = chainage_at(rect.left() + 0.7 * rect.width());
    let near_end = chainage_at(rect.right() - 5.0);
    assert!(
        near_start < middle && middle < near_end,
        "{near_start} < {middle} < {near_end}"
    );
    assert!(
        (near_end - ledger.length_m).abs() < 0.05 * ledger.length_m,
        "the right end is the line's end: {near_end} vs {}",
        ledger.length_m
    );
    assert_eq!(ledger.country_at_chainage(near_end), Some("AFG"));
}

#[test]
fn the_example_shows_published_km_and_the_ratio_beside_the_measured_km() {
    let h = common::example_loaded((1400.0, 900.0), true, 2);
    // The UAP: 647 km published (TASS/Gazeta.uz, Jul 2025) for Termez–Kharlachi; the drawn
    // route runs on to Peshawar, so its ratio lies between 1 and (647 + 192 + ~60) / 647.
    let uap = h
        .state()
        .scenario()
        .alignments
        .iter()
        .find(|a| a.name.starts_with("East: UAP"))
        .expect("UAP")
        .id;
    let km = h.state().ledger(uap).expect("ledger").length_m / 1000.0;
    let ratio = km / 647.0;
    assert!(ratio > 1.0 && ratio < 900.0 / 647.0, "{ratio}");
    for label in [
        "published km",
        "km ratio",
        "published cost",
        "cost ratio",
        "647",
    ] {
        assert!(
            h.query_all_by_label(label).count() >= 1,
            "the table shows {label:?}"
        );
    }
    let shown = format!("{ratio:.2}");
    assert!(
        h.query_all_by_label(&shown).count() >= 1,
        "the table shows the UAP's km ratio {shown}"
    );
    // Its published cost, $4.6 bn, in the cost column's unit.
    assert!(h.query_all_by_label("$4,600 m").count() >= 1);
    // Its estimate as a band, not one figure: the estimate × the leave-one-out spread
    // 0.78–1.42 of docs/costs.md, in billions to one decimal.
    let usd = h.state().ledger(uap).expect("ledger").cost.total_usd;
    let band = format!("${:.1}–{:.1} bn", usd * 0.78 / 1e9, usd * 1.42 / 1e9);
    assert!(
        h.query_all_by_label(&band).count() >= 1,
        "the cost column shows {band}"
    );
}

/// Issue 18: on the bundled example, the table shows tunnel km, bridge km, curves below the
/// minimum radius and the travel time — the train's run, the one travel time — for every
/// alternative, next to the published journey time where there is one.
#[test]
fn the_example_shows_tunnels_bridges_tight_curves_and_train_time_for_every_alternative() {
    let h = common::example_loaded((1800.0, 900.0), true, 2);
    for label in [
        "tunnels",
        "bridges",
        "tight curves",
        "time",
        "published time",
    ] {
        assert!(
            h.query_all_by_label(label).count() >= 1,
            "the table has a {label:?} column"
        );
    }
    // Only the UAP has a published journey time: 3–5 days door to door (TASS/Gazeta.uz,
    // Jul 2025), 72–120 h; one time column, no second "train time".
    assert_eq!(h.query_all_by_label("72–120 h").count(), 1);
    assert_eq!(h.query_all_by_label("train time").count(), 0);
    // Four of the five have no single published length for the route as drawn: their cell
    // shows the sum of the published sections (tests/published_figures.rs) and says it is one.
    assert_eq!(h.query_all_by_label("no published figure").count(), 0);
    // Iran North-South: Tejen-Mashhad 295 + Mashhad-Bafq 800 + Bafq-Bandar Abbas 626 km.
    assert_eq!(h.query_all_by_label("1721 (sum of sections)").count(), 1);
    assert_eq!(
        h.query_all_by_label_contains("(sum of sections)").count(),
        4
    );
    let alternatives: Vec<_> = h
        .state()
        .scenario()
        .alignments
        .iter()
        .map(|a| (a.name.clone(), a.id))
        .collect();
    assert_eq!(alternatives.len(), 5);
    for (name, id) in alternatives {
        let l = h.state().ledger(id).expect("ledger").clone();
        let e = l.engineering.as_ref().expect("engineering on by default");
        let d = e
            .design
            .as_ref()
            .expect("the bundled DEM covers the example");
        for shown in [
            // The structures to build (on new build), as the cost counts them.
            format!("{:.1} km", l.cost.quantities.tunnel_km),
            format!("{:.1} km", l.cost.quantities.bridge_km),
            e.curves_below_min.to_string(),
            format!("{:.1} h", l.travel.total_h),
        ] {
            assert!(
                h.query_all_by_label(&shown).count() >= 1,
                "{name}: the table shows {shown:?}"
            );
        }
        // A train never averages more than its top speed (heavy freight: 80 km/h), and it
        // stops at every border and gauge break: a lower bound independent of the run.
        let rail_km = (l.length_m - l.sea_m) / 1000.0;
        let dwell_h = l.borders_crossed as f64 * 2.0 + l.gauge_breaks.len() as f64 * 3.0;
        assert!(
            l.travel.running_h >= rail_km / 80.0
                && (l.travel.border_dwell_h + l.travel.gauge_break_dwell_h - dwell_h).abs() < 1e-9,
            "{name}: {} h running for {rail_km} km, dwell {} h vs {dwell_h} h",
            l.travel.running_h,
            l.travel.border_dwell_h + l.travel.gauge_break_dwell_h
        );
        if name.starts_with("East: UAP") {
            // The UAP crosses the Hindu Kush: a 2.5 % line cannot follow the ground there.
            assert!(d.tunnel_m > 5_000.0, "{name}: {} m of tunnel", d.tunnel_m);
        }
    }
}

/// Issue 17: at 1280×800 the table is wider than its half of the panel; scrolled sideways,
/// the alternatives' names and the header row stay where they were, so a figure far to the
/// right is still read against its alternative's name.
#[test]
fn the_name_column_and_the_header_stay_when_the_figures_scroll_sideways() {
    let mut h = common::example_loaded((1280.0, 800.0), true, 2);
    let name = "East: UAP via Mazar-i-Sharif, Logar, Kharlachi to Peshawar";
    let screen = h.ctx.content_rect();
    // The name is also in the alignments list (right, above): the table's is the lowest one.
    let in_table = |h: &Harness<'_, AtlasApp>| {
        h.query_all_by_label(name)
            .map(|n| n.rect())
            .max_by(|a, b| a.top().total_cmp(&b.top()))
            .expect("the table names the alternative")
    };
    let name_before = in_table(&h);
    let km_before = h.get_by_label("km").rect();
    let last = h.get_by_label("tight curves").rect();
    assert!(
        last.left() > screen.right() || last.left() > name_before.right() + 600.0,
        "the last column starts off to the right: {last:?}"
    );
    h.get_by_label("tight curves").scroll_to_me();
    h.run_steps(4);
    let last = h.get_by_label("tight curves").rect();
    assert!(
        last.right() <= screen.right() + 1.0,
        "scrolled into view: {last:?}"
    );
    assert_eq!(in_table(&h), name_before, "the name column is frozen");
    let km_after = h.get_by_label("km").rect();
    assert!(
        km_after.left() < km_before.left() - 100.0,
        "the figures moved: {km_after:?}"
    );
    assert!(
        (km_after.top() - km_before.top()).abs() < 0.5,
        "the header row stays at the top"
    );
}
