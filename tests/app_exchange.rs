#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! Files as a planner meets them (issue 17): the open dialog starts in the folder of the file
//! just saved and lists only files the app can use, the window title carries the file name
//! and an unsaved mark, KML/GPX lines come in as alternatives, and Compare follows whichever
//! document is open. Driven with egui_kittest on the real app.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use corridor_atlas::app::AtlasApp;
use corridor_atlas::app::command::Command;
use corridor_domain::plan::scenario::edit::Edit;
use corridor_domain::plan::scenario::model::AlignmentId;
use egui::{Key, Modifiers, ViewportCommand, ViewportId};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// A scenario of one alternative (id 1) from lon 0 to `east_deg` along the equator.
fn scenario_text(name: &str, east_deg: f64) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"title":"{name}","corridor_atlas_id":1}},"geometry":{{"type":"LineString","coordinates":[[0,0],[{east_deg},0]]}}}}]}}"#
    )
}

/// Steps until the status bar says something containing `needle` (30 s at most), returning
/// every window title the app sent meanwhile.
fn step_until_status(h: &mut Harness<'static, AtlasApp>, needle: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut titles = Vec::new();
    loop {
        h.step();
        titles.extend(sent_titles(h));
        if h.state()
            .status_message()
            .is_some_and(|s| s.contains(needle))
        {
            return titles;
        }
        assert!(
            Instant::now() < deadline,
            "no status with {needle:?}; status is {:?}",
            h.state().status_message()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The `ViewportCommand::Title`s of the last frame.
fn sent_titles(h: &Harness<'static, AtlasApp>) -> Vec<String> {
    h.output()
        .viewport_output
        .get(&ViewportId::ROOT)
        .map(|v| {
            v.commands
                .iter()
                .filter_map(|c| match c {
                    ViewportCommand::Title(t) => Some(t.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn steps_titles(h: &mut Harness<'static, AtlasApp>, n: usize) -> Vec<String> {
    let mut titles = Vec::new();
    for _ in 0..n {
        h.step();
        titles.extend(sent_titles(h));
    }
    titles
}

fn opened(path: &Path) -> Harness<'static, AtlasApp> {
    let mut app = common::new_app();
    app.open_when_ready(path.to_path_buf());
    common::harness_for(app, (1280.0, 800.0), Some(12))
}

fn nudge(h: &mut Harness<'static, AtlasApp>) {
    h.state_mut().queue_commands(vec![Command::Edit {
        edit: Edit::TranslateAlignment {
            id: AlignmentId(1),
            d_lon: 0.0,
            d_lat: 0.5,
        },
        group: None,
    }]);
}

#[test]
fn after_a_save_the_open_dialog_starts_in_the_files_folder_listing_usable_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my.geojson");
    std::fs::write(&path, scenario_text("Equator", 1.0)).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a map").unwrap();
    std::fs::write(dir.path().join("route.kml"), "<kml/>").unwrap();
    std::fs::create_dir(dir.path().join("older plans")).unwrap();
    let mut h = opened(&path);
    step_until_status(&mut h, "Opened");
    nudge(&mut h);
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until_status(&mut h, "Saved");
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run_steps(3);
    // The folder, not the file as if it were one ("Not a directory (os error 20)").
    assert_eq!(h.state().dialog_directory(), Some(dir.path()));
    assert!(h.query_all_by_label_contains("my.geojson").count() >= 1);
    assert!(h.query_all_by_label_contains("route.kml").count() >= 1);
    assert!(h.query_all_by_label_contains("older plans").count() >= 1);
    assert!(h.query_by_label_contains("notes.txt").is_none());
    assert!(h.query_by_label_contains("Not a directory").is_none());
}

#[test]
fn the_window_title_shows_the_file_name_and_an_unsaved_mark_until_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my.geojson");
    std::fs::write(&path, scenario_text("Equator", 1.0)).unwrap();
    let mut h = common::harness_for(common::new_app(), (1280.0, 800.0), Some(12));
    assert_eq!(h.state().window_title(), "Untitled — Corridor Atlas");
    h.state_mut().open_when_ready(path.clone());
    let titles = [step_until_status(&mut h, "Opened"), steps_titles(&mut h, 2)].concat();
    assert_eq!(titles, ["my.geojson — Corridor Atlas"]);
    nudge(&mut h);
    let titles = steps_titles(&mut h, 2);
    assert_eq!(titles, ["my.geojson • — Corridor Atlas"]);
    assert_eq!(h.state().window_title(), "my.geojson • — Corridor Atlas");
    // Nothing new to say: the title is not sent again every frame.
    assert!(steps_titles(&mut h, 3).is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    // A key press is several frames in one `step` (kittest keeps the last one's output), so
    // the command itself may be out of sight here: the title the app holds is checked.
    step_until_status(&mut h, "Saved");
    assert_eq!(h.state().window_title(), "my.geojson — Corridor Atlas");
}

#[test]
fn compare_follows_a_reopened_document_without_an_edit() {
    // Two files whose alternative has the same id 1 and the same revision when opened.
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.geojson"), dir.path().join("b.geojson"));
    std::fs::write(&a, scenario_text("Two degrees", 2.0)).unwrap();
    std::fs::write(&b, scenario_text("One degree", 1.0)).unwrap();
    let mut h = opened(&a);
    step_until_status(&mut h, "a.geojson");
    h.run_steps(2);
    let km = |h: &Harness<'static, AtlasApp>| {
        h.state()
            .ledger(AlignmentId(1))
            .map(|l| l.length_m / 1000.0)
    };
    // GeographicLib: 1° of the equator is 111.319491 km on WGS84 (a × π / 180).
    let two = km(&h).expect("ledger of a");
    assert!((two - 2.0 * 111.319_491).abs() < 1e-3, "{two}");
    h.state_mut().open_when_ready(b.clone());
    step_until_status(&mut h, "b.geojson");
    h.run_steps(2);
    let one = km(&h).expect("ledger of b");
    assert!(
        (one - 111.319_491).abs() < 1e-3,
        "Compare still shows the old file: {one}"
    );
}

#[test]
fn kml_lines_open_as_alternatives_in_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let kml = dir.path().join("from earth.kml");
    std::fs::write(
        &kml,
        r#"<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>North</name><LineString><coordinates>67.27,37.22 67.11,36.71</coordinates></LineString></Placemark>
<Placemark><name>South</name><LineString><coordinates>66.9,25.2 67.0,24.9 67.1,24.8</coordinates></LineString></Placemark>
</Document></kml>"#,
    )
    .unwrap();
    let mut h = opened(&kml);
    step_until_status(&mut h, "Added 2 alternatives from");
    h.run_steps(2);
    let names: Vec<String> = h
        .state()
        .scenario()
        .alignments
        .iter()
        .map(|a| a.name.clone())
        .collect();
    assert_eq!(names, ["North", "South"]);
    assert_eq!(h.state().scenario().alignments[1].vertices.len(), 3);
    // The KML is not the document's file: saving must not overwrite it with GeoJSON.
    assert_eq!(h.state().document().path, None);
    h.state_mut().queue_commands(vec![Command::Undo]);
    h.run_steps(2);
    assert!(h.state().scenario().alignments.is_empty());

    // A broken file is one message with its line and column.
    let bad = dir.path().join("bad.gpx");
    std::fs::write(&bad, "<gpx>\n<trk><name>x</trk>\n</gpx>").unwrap();
    h.state_mut().open_when_ready(bad);
    let _ = step_until_status(&mut h, "Could not import");
    let status = h.state().status_message().unwrap().to_owned();
    assert!(status.contains("bad.gpx:2:"), "{status}");
}

#[test]
fn file_export_alternatives_as_kml_writes_beside_the_document_on_a_worker() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my.geojson");
    std::fs::write(&path, scenario_text("Equator", 1.0)).unwrap();
    let mut h = opened(&path);
    step_until_status(&mut h, "Opened");
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Export alternatives").hover();
    h.run_steps(2);
    h.get_by_label("KML…").click();
    h.run_steps(3);
    // The dialog starts beside the document, named after it.
    assert_eq!(h.state().dialog_directory(), Some(dir.path()));
    h.get_by_label("Save").click();
    let status = {
        step_until_status(&mut h, "Exported");
        h.state().status_message().unwrap().to_owned()
    };
    let kml = dir.path().join("my.kml");
    assert!(status.contains("my.kml"), "{status}");
    let text = std::fs::read_to_string(&kml).expect("the export was written");
    assert!(text.contains("<name>Equator</name>"), "{text}");
    // 1° of the equator: 111.319 km (GeographicLib), the ledger's figure.
    assert!(
        text.contains(r#"<SimpleData name="length_km">111.319</SimpleData>"#),
        "{text}"
    );
    assert!(
        text.contains("<coordinates>0,0 1,0</coordinates>"),
        "{text}"
    );
}
