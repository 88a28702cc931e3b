#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! Importing large networks in the real app (issue 8), driven with egui_kittest: progress and
//! Cancel while the file streams in, features on the map before the end, no partial layer
//! after a cancel or an error, and hit tests on the imported layer.
//!
//! A named pipe (FIFO) stands in for a slow disk: the test decides how much of the file the
//! import has seen, so "before the load finishes" is a fact, not a race.

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use corridor_atlas::app::AtlasApp;
use corridor_domain::data::geojson_io::parse_features;
use corridor_netgen::{NetworkSpec, network_string};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn harness() -> Harness<'static, AtlasApp> {
    let mut h = common::harness_for(common::new_app(), (1280.0, 800.0), Some(12));
    h.run_steps(3);
    h
}

/// Step until `done` holds (the import runs on a worker thread), or fail after 60 s.
fn step_until(h: &mut Harness<'static, AtlasApp>, what: &str, done: impl Fn(&AtlasApp) -> bool) {
    let deadline = Instant::now() + Duration::from_mins(1);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
}

fn layer_parts(app: &AtlasApp, id: &str) -> Vec<usize> {
    app.atlas()
        .map(|a| {
            a.layers
                .iter()
                .enumerate()
                .filter(|(_, l)| l.id == id)
                .map(|(i, _)| i)
                .collect()
        })
        .unwrap_or_default()
}

/// Weak references to every part of layer `id`: dead once nothing holds the part.
fn part_refs(app: &AtlasApp, id: &str) -> Vec<std::sync::Weak<corridor_domain::Layer>> {
    let atlas = app.atlas().expect("atlas");
    layer_parts(app, id)
        .into_iter()
        .map(|i| std::sync::Arc::downgrade(&atlas.layers[i]))
        .collect()
}

fn imported_features(app: &AtlasApp, id: &str) -> usize {
    let atlas = app.atlas().expect("atlas");
    layer_parts(app, id)
        .into_iter()
        .map(|i| atlas.layers[i].len())
        .sum()
}

fn id_of(path: &Path) -> String {
    format!("import:{}", path.display())
}

fn make_fifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo failed");
}

/// The app with a 6,000-way generated network written to `path` and imported: the harness,
/// the file's text and the layer id.
fn imported_network(path: &Path) -> (Harness<'static, AtlasApp>, String, String) {
    let text = network_string(&NetworkSpec::small(6_000));
    std::fs::write(path, &text).expect("write");
    let id = id_of(path);
    let mut h = harness();
    let ctx = h.ctx.clone();
    h.state_mut().import_file(&ctx, path);
    step_until(&mut h, "the import to end", |app| {
        app.imports_in_progress().is_empty() && !layer_parts(app, &id).is_empty()
    });
    (h, text, id)
}

#[test]
fn a_streaming_import_shows_features_before_it_ends_and_cancel_leaves_no_layer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("network.geojson");
    make_fifo(&path);
    let text = network_string(&NetworkSpec::small(12_000));
    let id = id_of(&path);
    let mut h = harness();
    let layers_before = h.state().atlas().unwrap().layers.len();
    let ctx = h.ctx.clone();
    h.state_mut().import_file(&ctx, &path);
    h.step();
    // The worker blocks opening the pipe until we open it for writing.
    let mut pipe = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open the pipe");
    let half = text.len() / 2;
    pipe.write_all(&text.as_bytes()[..half])
        .expect("write half");
    pipe.flush().expect("flush");
    step_until(&mut h, "the first part on the map", |app| {
        !layer_parts(app, &id).is_empty()
    });
    // The import is still running (half the file is unwritten), and the UI says so.
    assert_eq!(h.state().imports_in_progress().len(), 1);
    h.get_by_label_contains("Importing network.geojson");
    let shown = imported_features(h.state(), &id);
    assert!(shown > 0, "features appear before the load finishes");
    // The layer panel lists it already; the map keeps drawing meanwhile.
    h.get_by_label("network.geojson");
    h.get_by_label("Cancel import").click();
    h.step();
    // Cancel is noticed at the next read: give the worker data (or the end of the file).
    let _ = pipe.write_all(&text.as_bytes()[half..half + 65_536]);
    drop(pipe);
    step_until(&mut h, "the cancelled import to end", |app| {
        app.imports_in_progress().is_empty()
    });
    h.run_steps(2);
    assert!(
        layer_parts(h.state(), &id).is_empty(),
        "a cancelled import leaves no partial layer"
    );
    assert_eq!(h.state().atlas().unwrap().layers.len(), layers_before);
    assert!(
        h.state()
            .status_message()
            .is_some_and(|s| s.contains("cancelled")),
        "{:?}",
        h.state().status_message()
    );
    assert!(h.query_by_label("Cancel import").is_none());
}

#[test]
fn an_imported_network_has_every_feature_of_a_plain_parse_and_is_track() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("osm-rail.geojson");
    let (h, text, id) = imported_network(&path);
    let plain = parse_features(&text).expect("valid");
    let app = h.state();
    let atlas = app.atlas().unwrap();
    let parts = layer_parts(app, &id);
    let imported: Vec<_> = parts
        .iter()
        .flat_map(|&i| atlas.layers[i].features.iter())
        .collect();
    assert_eq!(imported.len(), plain.features.len());
    for (a, b) in imported.iter().zip(&plain.features) {
        assert_eq!(*a, b, "same geometry and properties, in file order");
    }
    assert!(parts.iter().all(|&i| atlas.layers[i].is_track));
    // 6,000 ways × 30 vertices is a large layer: drawn from cached tiles.
    assert!(app.layer_is_tiled(&id));
    assert!(
        app.status_message()
            .is_some_and(|s| s.contains("Imported") && s.contains("6000 features")),
        "{:?}",
        app.status_message()
    );
    // One row in the layer panel for all parts.
    assert_eq!(h.query_all_by_label("osm-rail.geojson").count(), 1);
}

#[test]
fn a_malformed_feature_deep_in_a_file_is_reported_with_its_position_and_nothing_is_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path: PathBuf = dir.path().join("broken.geojson");
    let mut text = network_string(&NetworkSpec::small(8_000));
    // Break the JSON of a feature near the end: drop the colon after "geometry".
    let at = text.rfind("\"geometry\":").expect("a geometry") - 2_000;
    let at = text[at..].find("\"geometry\":").expect("geometry") + at;
    text.replace_range(at..at + 11, "\"geometry\" ");
    let line = text[..at].matches('\n').count() + 1;
    std::fs::write(&path, &text).expect("write");
    let mut h = harness();
    let layers_before = h.state().atlas().unwrap().layers.len();
    let alignments_before = h.state().scenario().alignments.len();
    let ctx = h.ctx.clone();
    h.state_mut().import_file(&ctx, &path);
    step_until(&mut h, "the import to fail", |app| {
        app.imports_in_progress().is_empty()
    });
    h.run_steps(2);
    let status = h.state().status_message().unwrap_or_default().to_owned();
    assert!(status.contains("broken.geojson"), "{status}");
    assert!(status.contains(&format!("line {line}, column")), "{status}");
    assert!(layer_parts(h.state(), &id_of(&path)).is_empty());
    assert_eq!(h.state().atlas().unwrap().layers.len(), layers_before);
    assert_eq!(h.state().scenario().alignments.len(), alignments_before);
    // The app goes on: the map still answers.
    h.get_by_label("Draw").click();
    h.run_steps(2);
}

/// Importing a file again never holds two copies of it: the earlier layer (its parts, its
/// tiles, the track index built from it) is freed before the new import reads a byte, and
/// the new parts keep the layer's visibility. The file is turned into a pipe nobody writes
/// yet, so "before a byte is read" is a fact, not a race.
#[test]
fn a_reimport_frees_the_earlier_layer_before_reading_the_file_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("network.geojson");
    let (mut h, text, id) = imported_network(&path);
    let ctx = h.ctx.clone();
    h.run_steps(2);
    let earlier = part_refs(h.state(), &id);
    assert!(!earlier.is_empty());
    // Hidden by the user: the new parts must stay hidden.
    h.get_by_label("network.geojson").click();
    h.run_steps(2);
    assert_eq!(h.state().layer_visible(&id), Some(false));

    std::fs::remove_file(&path).expect("remove");
    make_fifo(&path);
    h.state_mut().import_file(&ctx, &path);
    step_until(
        &mut h,
        "every part of the earlier layer to be freed",
        |_| earlier.iter().all(|w| w.strong_count() == 0),
    );
    assert!(layer_parts(h.state(), &id).is_empty());
    assert_eq!(
        h.state().imports_in_progress().len(),
        1,
        "the new import is still waiting for its first byte"
    );

    let mut pipe = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open the pipe");
    pipe.write_all(text.as_bytes()).expect("write");
    drop(pipe);
    step_until(&mut h, "the re-import to end", |app| {
        app.imports_in_progress().is_empty() && !layer_parts(app, &id).is_empty()
    });
    let plain = parse_features(&text).expect("valid");
    assert_eq!(imported_features(h.state(), &id), plain.features.len());
    assert_eq!(h.state().layer_visible(&id), Some(false));
}

/// Removing an imported network (the layer panel's "Remove layer") takes every part of it out
/// of the map, and nothing keeps it alive afterwards (its tiles and the track index built over
/// it let go too).
#[test]
fn remove_layer_frees_every_part_of_an_imported_network() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("network.geojson");
    let (mut h, _text, id) = imported_network(&path);
    h.run_steps(2);
    let parts = part_refs(h.state(), &id);
    assert!(!parts.is_empty());
    let last_part = *layer_parts(h.state(), &id).last().expect("a part");
    h.state_mut().remove_layer(last_part);
    step_until(
        &mut h,
        "every part of the removed layer to be freed",
        |_| parts.iter().all(|w| w.strong_count() == 0),
    );
    assert!(layer_parts(h.state(), &id).is_empty());
    assert!(h.query_by_label("network.geojson").is_none());
}
