#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! Sketching through the real UI (egui_kittest): draw an alignment by clicking, read its
//! length, snap to a city, drag a vertex, undo and redo.

mod common;

use corridor_atlas::app::AtlasApp;
use corridor_atlas::app::sketch::Tool;
use corridor_domain::map::mercator::{world_from_lonlat, world_size_px};
use corridor_domain::plan::scenario::model::SnapRef;
use egui::{Event, Key, Modifiers, PointerButton, Pos2, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use walkers::lon_lat;

const ZOOM: f64 = 7.0;
const CENTRE: (f64, f64) = (69.0, 34.3);

use common::atlas;

/// A harness looking at eastern Afghanistan at zoom 7, and the map's centre on screen.
fn harness() -> (Harness<'static, AtlasApp>, Pos2) {
    let mut h = common::harness_for(common::new_app(), (1280.0, 800.0), None);
    h.run_steps(2);
    {
        let map = h.state_mut().map_state_mut();
        map.fit_pending = false;
        map.memory.center_at(lon_lat(CENTRE.0, CENTRE.1));
        map.memory.set_zoom(ZOOM).expect("valid zoom");
    }
    h.run_steps(2);
    let centre = h
        .state_mut()
        .map_state_mut()
        .last_rect
        .expect("map drawn")
        .center();
    (h, centre)
}

/// Where a lon/lat is on screen, by the Web-Mercator formulas (independent of the app).
fn screen(centre: Pos2, lon: f64, lat: f64) -> Pos2 {
    let c = world_from_lonlat(CENTRE.0, CENTRE.1);
    let w = world_from_lonlat(lon, lat);
    let s = world_size_px(ZOOM);
    pos2(
        centre.x + ((w[0] - c[0]) * s) as f32,
        centre.y + ((w[1] - c[1]) * s) as f32,
    )
}

fn press(h: &mut Harness<'static, AtlasApp>, pos: Pos2, pressed: bool, button: PointerButton) {
    h.event(Event::PointerButton {
        pos,
        button,
        pressed,
        modifiers: Modifiers::NONE,
    });
}

fn click(h: &mut Harness<'static, AtlasApp>, pos: Pos2) {
    h.event(Event::PointerMoved(pos));
    h.step();
    press(h, pos, true, PointerButton::Primary);
    h.step();
    press(h, pos, false, PointerButton::Primary);
    h.step();
    // Wait out the double-click window so the next click is a new click.
    h.run_steps(2);
    for _ in 0..25 {
        h.step();
    }
}

fn drag(h: &mut Harness<'static, AtlasApp>, from: Pos2, to: Pos2) {
    h.event(Event::PointerMoved(from));
    h.step();
    press(h, from, true, PointerButton::Primary);
    h.step();
    for i in 1..=8 {
        h.event(Event::PointerMoved(from + (to - from) * (i as f32 / 8.0)));
        h.step();
    }
    press(h, to, false, PointerButton::Primary);
    h.run_steps(2);
}

fn draw_line(h: &mut Harness<'static, AtlasApp>, points: &[Pos2]) {
    h.get_by_label("Draw").click();
    h.run_steps(1);
    assert_eq!(h.state_mut().sketch_mut().tool, Tool::Draw);
    for &p in points {
        click(h, p);
    }
    h.key_press(Key::Enter);
    h.run_steps(2);
}

#[test]
fn a_drawn_line_becomes_an_alignment_with_its_geodesic_length_shown() {
    let (mut h, centre) = harness();
    // Hold Alt so nothing snaps: the line goes exactly where we click.
    h.event(Event::Key {
        key: Key::A,
        physical_key: None,
        pressed: false,
        repeat: false,
        modifiers: Modifiers::ALT,
    });
    h.get_by_label("Draw").click();
    h.run_steps(1);
    for p in [(68.0, 34.0), (70.0, 34.5)] {
        let pos = screen(centre, p.0, p.1);
        h.event(Event::PointerMoved(pos));
        h.step();
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed: true,
            modifiers: Modifiers::ALT,
        });
        h.step();
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed: false,
            modifiers: Modifiers::ALT,
        });
        for _ in 0..30 {
            h.step();
        }
    }
    h.key_press(Key::Enter);
    h.run_steps(2);
    let s = h.state().scenario();
    assert_eq!(s.alignments.len(), 1, "Enter finished the line");
    let a = s.alignments[0].clone();
    assert_eq!(a.vertices.len(), 2);
    // GeographicLib: (34.0 N, 68.0 E) → (34.5 N, 70.0 E) is 192,390.229 m. One pixel at zoom 7
    // is about 1 km here, so the clicked line is within 3 km of it.
    let length = a.length_m();
    assert!((length - 192_390.229).abs() < 3_000.0, "{length}");
    // The alignments panel shows that length.
    let shown = corridor_domain::measure::geodesic::format_km(length);
    assert!(
        h.query_all_by_label(&shown).count() >= 1,
        "{shown} is shown"
    );
    // And the new alignment is selected, with the Select tool active for editing.
    assert_eq!(h.state_mut().sketch_mut().selected, Some(a.id));
    assert_eq!(h.state_mut().sketch_mut().tool, Tool::Select);
}

#[test]
fn clicking_near_a_city_snaps_the_vertex_onto_it() {
    let (mut h, centre) = harness();
    let atlas = atlas();
    let cities = &atlas.layers[atlas.layer_index("cities").expect("cities")];
    let kabul = cities
        .features
        .iter()
        .find(|f| f.name() == Some("Kabul"))
        .expect("Kabul");
    let geo::Geometry::Point(k) = kabul.geometry else {
        panic!("point")
    };
    // Click 5 px right of Kabul: within the 12 px snap tolerance.
    let near = screen(centre, k.x(), k.y()) + egui::vec2(5.0, 0.0);
    draw_line(&mut h, &[near, screen(centre, 68.0, 34.0)]);
    let s = h.state().scenario();
    let v = &s.alignments[0].vertices[0];
    assert!(
        (v.lon - k.x()).abs() < 1e-9 && (v.lat - k.y()).abs() < 1e-9,
        "snapped exactly onto Kabul"
    );
    assert_eq!(
        v.snap,
        Some(SnapRef::Place {
            layer: "cities".into(),
            name: "Kabul".into()
        })
    );
    // GeographicLib: Kabul (34.5281 N, 69.1725 E) → (34.0 N, 68.0 E) is 122,849.874 m; the far
    // end is a free click (within a pixel) unless it snapped to something nearby.
    let length = s.alignments[0].length_m();
    assert!((length - 122_849.874).abs() < 20_000.0, "{length}");
}

#[test]
fn dragging_a_vertex_moves_it_in_one_undo_step_and_undo_redo_round_trip() {
    let (mut h, centre) = harness();
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    draw_line(
        &mut h,
        &[screen(centre, 67.5, 33.2), screen(centre, 70.5, 33.4)],
    );
    let before = h.state().scenario().alignments[0].vertices[1].clone();
    let steps_before = h.state().document().undo_len();
    // The side panel grew to show the new alignment's editor: the map's centre moved on screen.
    let centre = h
        .state_mut()
        .map_state_mut()
        .last_rect
        .expect("map drawn")
        .center();
    let from = screen(centre, before.lon, before.lat);
    let to = from + egui::vec2(0.0, -60.0);
    drag(&mut h, from, to);
    let after = h.state().scenario().alignments[0].vertices[1].clone();
    assert!(
        after.lat > before.lat + 0.3,
        "dragged north: {} → {}",
        before.lat,
        after.lat
    );
    assert!((after.lon - before.lon).abs() < 0.05);
    assert_eq!(
        h.state().document().undo_len(),
        steps_before + 1,
        "a whole drag is one undo step"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    let undone = h.state().scenario().alignments[0].vertices[1].clone();
    assert_eq!((undone.lon, undone.lat), (before.lon, before.lat));
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    let redone = h.state().scenario().alignments[0].vertices[1].clone();
    assert_eq!((redone.lon, redone.lat), (after.lon, after.lat));
    // The Undo button does the same as Ctrl+Z.
    h.get_by_label("Undo").click();
    h.run_steps(2);
    let undone = h.state().scenario().alignments[0].vertices[1].clone();
    assert_eq!((undone.lon, undone.lat), (before.lon, before.lat));
}

#[test]
fn backspace_removes_the_last_vertex_and_escape_cancels_drawing() {
    let (mut h, centre) = harness();
    h.get_by_label("Draw").click();
    h.run_steps(1);
    click(&mut h, screen(centre, 67.6, 33.1));
    click(&mut h, screen(centre, 68.6, 33.1));
    assert_eq!(h.state_mut().sketch_mut().drawing.len(), 2);
    h.key_press(Key::Backspace);
    h.run_steps(1);
    assert_eq!(h.state_mut().sketch_mut().drawing.len(), 1);
    h.key_press(Key::Escape);
    h.run_steps(1);
    assert!(h.state_mut().sketch_mut().drawing.is_empty());
    assert!(h.state().scenario().alignments.is_empty());
}

#[test]
fn the_ruler_measures_without_creating_an_alignment() {
    let (mut h, centre) = harness();
    h.get_by_label("Ruler").click();
    h.run_steps(1);
    click(&mut h, screen(centre, 68.0, 34.0));
    click(&mut h, screen(centre, 70.0, 34.5));
    assert!(h.state().scenario().alignments.is_empty());
    let pts = h.state_mut().sketch_mut().ruler.clone();
    assert_eq!(pts.len(), 2);
    // The ruler window shows the total; "Make alignment" turns it into one.
    assert!(
        h.query_all_by_label_contains("Total ").count() >= 1,
        "the ruler shows its total"
    );
    h.get_by_label("Make alignment").click();
    h.run_steps(2);
    assert_eq!(h.state().scenario().alignments.len(), 1);
}

#[test]
fn follow_existing_track_replaces_a_segment_by_the_path_along_the_line() {
    use corridor_atlas::app::command::Command;
    use corridor_domain::plan::scenario::model::Vertex;
    use geo::{Distance, Geodesic, Geometry, Point};

    let (mut h, _) = harness();
    // Two vertices on a bundled rail line, several of its vertices apart.
    let atlas = atlas();
    let rail = atlas
        .layers
        .iter()
        .find(|l| l.id == "rail")
        .expect("bundled rail");
    let (name, coords) = rail
        .features
        .iter()
        .find_map(|f| match (&f.geometry, f.name()) {
            (Geometry::LineString(l), Some(name))
                if l.0.len() >= 8 && f.str("status") == Some("existing") =>
            {
                Some((name.to_owned(), l.0.clone()))
            }
            _ => None,
        })
        .expect("an existing line with 8 vertices");
    let on_line = |k: usize| Vertex {
        lon: coords[k].x,
        lat: coords[k].y,
        snap: Some(SnapRef::Rail {
            layer: "rail".into(),
            line: name.clone(),
        }),
    };
    h.state_mut()
        .queue_commands(vec![Command::CreateAlignment(vec![on_line(1), on_line(6)])]);
    h.run_steps(2);

    // The button appears once the network is indexed; the trace runs on a worker.
    for _ in 0..200 {
        if h.query_by_label("Follow existing track").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    h.get_by_label("Follow existing track").click();
    for _ in 0..200 {
        h.step();
        if h.state().scenario().alignments[0].vertices.len() > 2 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let a = h.state().scenario().alignments[0].clone();
    assert!(a.vertices.len() >= 6, "{} vertices", a.vertices.len());
    assert!(
        a.vertices
            .iter()
            .all(|v| matches!(v.snap, Some(SnapRef::Rail { .. }))),
        "every vertex lies on track"
    );
    // The followed line's own length between the two vertices (GeographicLib's algorithm via
    // geo), which the straight chord between them is shorter than.
    let along_m: f64 = coords[1..=6]
        .windows(2)
        .map(|w| Geodesic.distance(Point(w[0]), Point(w[1])))
        .sum();
    let chord_m = Geodesic.distance(Point(coords[1]), Point(coords[6]));
    let length_m = a.length_m();
    assert!(
        length_m > chord_m && (length_m - along_m).abs() < 0.01 * along_m,
        "{length_m} m vs {along_m} m along the line ({chord_m} m chord)"
    );
    // One undo step brings the straight segment back.
    h.state_mut().undo();
    assert_eq!(h.state().scenario().alignments[0].vertices.len(), 2);
}
