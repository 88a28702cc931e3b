#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! The planner's desk at a laptop's 1280×800: the map gets most of the window, panels fold
//! away and come back, and selecting things never moves the map under the cursor.

mod common;

use corridor_atlas::app::AtlasApp;
use corridor_atlas::app::command::Command;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

const WINDOW: (f32, f32) = (1280.0, 800.0);

/// The app at 1280×800 with the bundled example scenario (five alternatives) loaded and its
/// ledgers computed, as on a first start.
fn example_harness() -> Harness<'static, AtlasApp> {
    common::example_loaded(WINDOW, false, 4)
}

fn map_rect(h: &mut Harness<'static, AtlasApp>) -> egui::Rect {
    h.state_mut()
        .map_state_mut()
        .last_rect
        .expect("the map was drawn")
}

#[test]
fn the_map_gets_at_least_55_percent_of_a_1280_by_800_window() {
    let mut h = example_harness();
    let map = map_rect(&mut h);
    let share = map.area() / (WINDOW.0 * WINDOW.1);
    assert!(
        share >= 0.55,
        "map {map:?} is {:.1} % of the window",
        share * 100.0
    );
    // The layer list and the side panel are open by default: the share is not bought by
    // hiding them.
    assert!(h.query_by_label("Layers").is_some(), "layer list shown");
    assert!(h.query_by_label("Alignments").is_some(), "side panel shown");
}

#[test]
fn selecting_an_alternative_does_not_move_the_map() {
    let mut h = example_harness();
    h.state_mut().panels_mut().compare = true;
    h.run_steps(6);
    let before = map_rect(&mut h);
    let ids: Vec<_> = h
        .state()
        .scenario()
        .alignments
        .iter()
        .map(|a| a.id)
        .collect();
    for id in ids {
        h.state_mut()
            .queue_commands([Command::SelectAlignment(Some(id))]);
        h.run_steps(4);
        assert_eq!(map_rect(&mut h), before, "after selecting {id:?}");
    }
    h.state_mut()
        .queue_commands([Command::SelectAlignment(None)]);
    h.run_steps(4);
    assert_eq!(map_rect(&mut h), before, "after clearing the selection");
}

#[test]
fn panels_fold_away_and_the_map_takes_their_room() {
    let mut h = example_harness();
    let with_panels = map_rect(&mut h);
    h.get_by_label("Layer list").click();
    h.get_by_label("Side panel").click();
    h.run_steps(12); // the panels slide out
    let without = map_rect(&mut h);
    assert!(
        without.width() > with_panels.width() + 400.0,
        "{with_panels:?} → {without:?}"
    );
    assert!(!h.state_mut().panels_mut().layers && !h.state_mut().panels_mut().side);
    // Compare opens from the status bar and takes height from the map, not the reverse.
    h.get_by_label("Compare (5)").click();
    h.run_steps(12);
    assert!(h.state_mut().panels_mut().compare);
    let with_compare = map_rect(&mut h);
    assert!(with_compare.height() < without.height() - 100.0);
    assert!(
        h.query_by_label("Copy table").is_some(),
        "the table is there"
    );
}

/// Geodesic distance on the WGS84 ellipsoid (m).
fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    use geo::{Distance as _, Geodesic, Point};
    Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1))
}

#[test]
fn ctrl_f_khyber_enter_flies_to_the_khyber_pass() {
    let mut h = example_harness();
    let start = h.state().center_lonlat().expect("centred");
    // GeoNames Landi Kotal (1172208): the pass summit, 34.0988 N 71.1411 E.
    let khyber = (71.1411, 34.0988);
    assert!(distance_m(start, khyber) > 500_000.0, "starts far away");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run_steps(2);
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("Khyber");
    h.run_steps(2);
    assert!(
        h.query_all_by_label_contains("Khyber Pass").count() >= 1,
        "the match is listed"
    );
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    let (lon, lat) = h.state().center_lonlat().expect("centred");
    let d = distance_m((lon, lat), khyber);
    assert!(
        d < 3_000.0,
        "map centre {lon} {lat} is {d:.0} m from the pass"
    );
    assert!(h.state().zoom() >= 9.0, "zoomed in: {}", h.state().zoom());
    assert!(h.query_by_label("Find a place").is_none(), "the box closed");
}

#[test]
fn a_typed_dms_coordinate_flies_there() {
    let mut h = example_harness();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run_steps(2);
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("34°05′N 71°10′E");
    h.run_steps(2);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    let (lon, lat) = h.state().center_lonlat().expect("centred");
    // 34°05′ = 34.0833°, 71°10′ = 71.1667°.
    let d = distance_m((lon, lat), (71.0 + 10.0 / 60.0, 34.0 + 5.0 / 60.0));
    assert!(d < 100.0, "{lon} {lat}: {d:.0} m off");
}

#[test]
fn every_character_of_the_bundled_names_has_a_glyph() {
    let mut h = common::harness_for(common::new_app(), WINDOW, Some(12));
    h.run_steps(2);
    let atlas = common::atlas();
    let mut text: String = atlas
        .layers
        .iter()
        .flat_map(|l| {
            l.features
                .iter()
                .filter_map(|f| f.name().map(str::to_owned))
        })
        .collect();
    text.push_str(corridor_atlas::app::EXAMPLE_SCENARIO);
    // The marks of typed coordinates, which the find box and the ruler show.
    text.push_str("34°05′30″N");
    let missing: std::collections::BTreeSet<char> = h.ctx.fonts_mut(|f| {
        text.chars()
            .filter(|c| !c.is_control())
            .filter(|&c| !f.has_glyph(&egui::FontId::proportional(14.0), c))
            .collect()
    });
    // Ubuntu Light alone lacks ′ ″ ḍ ḥ Ḩ ḩ Ṣ ṣ ẕ and combining marks.
    assert!(missing.is_empty(), "no glyph for {missing:?}");
}

#[test]
fn f1_opens_the_shortcut_sheet_and_the_menus_show_shortcuts() {
    let mut h = common::harness_for(common::new_app(), WINDOW, Some(12));
    h.run_steps(2);
    assert!(
        h.query_by_label("find a place: a name, lon,lat or 34°05′N 71°10′E; Enter flies there")
            .is_none()
    );
    h.key_press(egui::Key::F1);
    h.run_steps(2);
    assert!(
        h.query_by_label("Keyboard and mouse").is_some(),
        "the window opened"
    );
    for label in [
        "Ctrl+F",
        "Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y",
        "F5, Shift+F5",
        "Presenting",
    ] {
        assert!(
            h.query_by_label(label).is_some(),
            "the sheet shows {label:?}"
        );
    }
    h.key_press(egui::Key::F1);
    h.run_steps(2);
    assert!(
        h.query_by_label("Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y").is_none(),
        "F1 again closes it"
    );
    // The File menu names each entry's shortcut.
    h.get_by_label("File").click();
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Ctrl+Shift+S").is_some(),
        "Save as… shows Ctrl+Shift+S"
    );
}

#[test]
fn a_wheel_notch_zooms_half_a_level_about_the_pointer() {
    let mut h = common::harness_for(common::new_app(), WINDOW, Some(12));
    h.run_steps(4);
    let map = map_rect(&mut h);
    // Off-centre, over land (the pointer's place must stay under it).
    let at = map.center() + egui::vec2(150.0, -80.0);
    h.event(egui::Event::PointerMoved(at));
    h.run_steps(2);
    let zoom = h.state().zoom();
    let under = h.state().pointer_lonlat().expect("pointer over the map");
    for (notch, expected) in [(1.0, zoom + 0.5), (1.0, zoom + 1.0), (-1.0, zoom + 0.5)] {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, notch),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        h.run_steps(3);
        let z = h.state().zoom();
        assert!((z - expected).abs() < 1e-9, "zoom {z}, expected {expected}");
        h.event(egui::Event::PointerMoved(at));
        h.run_steps(2);
        let now = h.state().pointer_lonlat().expect("pointer over the map");
        // Half a level at zoom ~4.5: one point is ~6 km; the place moves less than a point.
        assert!(
            distance_m(under, now) < 3_000.0,
            "{under:?} → {now:?} under the pointer"
        );
    }
}

#[test]
fn past_the_basemaps_detail_the_map_says_so() {
    let mut h = common::harness_for(common::new_app(), WINDOW, Some(12));
    h.run_steps(4);
    let note = "Basemap detail ends at zoom 9";
    assert!(
        h.query_by_label_contains(note).is_none(),
        "region view: no note"
    );
    {
        let map = h.state_mut().map_state_mut();
        map.memory.center_at(walkers::lon_lat(69.17, 34.53)); // Kabul
        map.memory.set_zoom(12.0).expect("valid zoom");
        map.fit_pending = false;
    }
    h.run_steps(3);
    assert!(
        h.query_by_label_contains(note).is_some(),
        "zoom 12: the note shows"
    );
    h.state_mut().map_state_mut().zoom_by(-4.0);
    h.run_steps(3);
    assert!(
        h.query_by_label_contains(note).is_none(),
        "zoom 8: gone again"
    );
}
