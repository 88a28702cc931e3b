//! Scenario files on disk: what other tools draw loads, nothing unknown is lost on a round
//! trip, GDAL reads what we write, saves are atomic, and every kind of bad input gives an
//! error naming the file (and the line and column when the text is at fault).
// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use corridor_domain::parse_features;
use corridor_domain::plan::scenario::io::{self, ScenarioError};
use corridor_domain::plan::scenario::model::{AlignmentId, AlignmentStatus, SnapRef};
use corridor_domain::plan::scenario::{Document, Edit, Scenario};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scenario")
        .join(name)
}

fn load_fixture(name: &str) -> Scenario {
    io::load(&fixture(name)).unwrap_or_else(|e| panic!("{name} should load: {e}"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("saved file is readable");
    serde_json::from_str(&text).expect("saved file is JSON")
}

#[test]
fn a_geojson_io_drawing_loads_its_line_as_an_alignment_and_keeps_the_rest() {
    let s = load_fixture("geojson_io_drawn.geojson");
    assert_eq!(s.alignments.len(), 1);
    let a = &s.alignments[0];
    assert_eq!(a.name, "Option C via Farah");
    assert_eq!(
        a.color,
        [0x7e, 0x3f, 0xf2, 204],
        "stroke + stroke-opacity 0.8"
    );
    assert_eq!(a.notes, "sketched in geojson.io");
    assert_eq!(a.status, AlignmentStatus::Proposed);
    assert_eq!(a.extra["reviewer"], "M. K.");
    assert_eq!(a.extra["stroke-width"], 4);
    assert_eq!(a.feature_members["id"], 0);
    // GeographicLib: 219107.427424 m + 351555.963489 m.
    assert!(
        (a.length_m() - 570_663.390_913).abs() < 0.01,
        "{}",
        a.length_m()
    );
    assert_eq!(s.other_features.len(), 2, "the point and the polygon");
    assert_eq!(s.other_features[0]["properties"]["marker-symbol"], "rail");
    assert_eq!(s.other_features[1]["geometry"]["type"], "Polygon");
}

#[test]
fn our_own_keys_are_read_back() {
    let s = load_fixture("rich_scenario.geojson");
    assert_eq!(s.next_id, 12);
    assert!((s.settings.snap_tolerance_px - 8.0).abs() < f32::EPSILON);
    assert!((s.settings.reuse_tolerance_m - 1500.0).abs() < f64::EPSILON);
    let west = s.alignment(AlignmentId(3)).expect("alignment 3");
    assert_eq!(west.status, AlignmentStatus::UnderConstruction);
    assert_eq!(west.gauge_mm, Some(1520));
    assert_eq!(west.color, [0x1f, 0x77, 0xb4, 0xff]);
    assert_eq!(
        west.vertices[1].snap,
        Some(SnapRef::Place {
            layer: "cities".into(),
            name: "Herat".into()
        })
    );
    assert!(matches!(west.vertices[2].snap, Some(SnapRef::Rail { .. })));
    assert_eq!(west.vertices[3].snap, None);
    let uap = s.alignment(AlignmentId(7)).expect("alignment 7");
    assert_eq!(uap.gauge_mm, None);
    assert_eq!(
        s.other_features.len(),
        2,
        "the point and the null-geometry feature"
    );
}

#[test]
fn save_then_load_keeps_unknown_properties_members_and_other_features() {
    let dir = tempfile::tempdir().expect("temp dir");
    let original = load_fixture("rich_scenario.geojson");
    let path = dir.path().join("round trip.geojson");
    io::save_atomic(&path, &original).expect("save");
    let reloaded = io::load(&path).expect("reload");
    assert_eq!(reloaded, original);

    // And on disk, independently of our reader:
    let v = read_json(&path);
    assert_eq!(v["type"], "FeatureCollection");
    assert_eq!(v["name"], "KTAP options");
    assert_eq!(v["license"], "CC-BY-4.0");
    assert_eq!(v["corridor_atlas"]["version"], 1);
    assert_eq!(v["corridor_atlas"]["story"][0]["caption"], "Western route");
    assert_eq!(
        v["corridor_atlas"]["settings"]["from_the_future"],
        "keep me"
    );
    let features = v["features"].as_array().expect("features array");
    assert_eq!(features.len(), 4);
    let west = &features[0];
    assert_eq!(west["id"], "ktap-west");
    assert_eq!(west["properties"]["cost_usd"], 7_000_000_000_u64);
    assert_eq!(
        west["properties"]["sources"],
        json!(["Railway Gazette Feb 2025", "News.az Jul 2025"])
    );
    assert_eq!(west["properties"]["stroke-width"], 5);
    assert!(
        features
            .iter()
            .any(|f| f["properties"]["capacity_teu"] == 50_000)
    );
    assert!(
        features
            .iter()
            .any(|f| f["geometry"].is_null() && f["properties"]["note"] == "no geometry yet")
    );
    // The saved text is RFC 7946 GeoJSON by the project's own strict reader too.
    let text = std::fs::read_to_string(&path).expect("readable");
    assert_eq!(
        parse_features(&text).expect("valid GeoJSON").features.len(),
        3
    );
}

#[test]
fn edits_survive_save_and_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("edited.geojson");
    let mut doc = Document::new(load_fixture("rich_scenario.geojson"), None);
    doc.apply(Edit::RemoveVertex {
        id: AlignmentId(3),
        index: 2,
    })
    .expect("remove a vertex");
    assert!(doc.is_dirty());
    doc.save_as(&path).expect("save");
    assert!(!doc.is_dirty());
    let reloaded = io::load(&path).expect("reload");
    assert_eq!(&reloaded, doc.scenario());
    assert_eq!(
        reloaded
            .alignment(AlignmentId(3))
            .expect("still there")
            .vertices
            .len(),
        3
    );
}

#[test]
fn ogrinfo_reads_a_saved_scenario() {
    // No silent skip: scripts/check.sh installs gdal-bin, so a missing ogrinfo is a failure.
    assert!(
        Command::new("ogrinfo").arg("--version").output().is_ok(),
        "GDAL's ogrinfo is not installed (apt-get install gdal-bin; scripts/check.sh does it)"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("for_gdal.geojson");
    io::save_atomic(&path, &load_fixture("rich_scenario.geojson")).expect("save");
    let out = Command::new("ogrinfo")
        .args(["-ro", "-al", "-so"])
        .arg(&path)
        .output()
        .expect("ogrinfo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ogrinfo failed: {stderr}\n{stdout}");
    assert!(!stderr.contains("ERROR"), "{stderr}");
    assert!(
        stdout.contains("Feature Count: 4"),
        "two alignments, a point, a feature without geometry:\n{stdout}"
    );
    for field in [
        "title:",
        "stroke:",
        "stroke-width:",
        "stroke-opacity:",
        "description:",
        "corridor_atlas_id:",
        "status:",
        "gauge_mm:",
        "vertex_snaps:",
        "cost_usd:",
    ] {
        assert!(
            stdout.lines().any(|l| l.trim_start().starts_with(field)),
            "field {field} missing:\n{stdout}"
        );
    }
}

#[test]
fn a_successful_save_replaces_the_file_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.geojson");
    std::fs::write(&path, "old contents").expect("old file");
    io::save_atomic(&path, &load_fixture("geojson_io_drawn.geojson")).expect("save");
    assert_eq!(io::load(&path).expect("reload").alignments.len(), 1);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["s.geojson".to_string()]);
}

#[test]
fn a_failed_save_leaves_the_old_file_intact() {
    // The temporary file beside a 250-character file name cannot be created (a name may have
    // at most 255 bytes): a real write failure that happens even for root.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("{}.geojson", "k".repeat(242)));
    let old = io::to_string(&load_fixture("geojson_io_drawn.geojson"));
    std::fs::write(&path, &old).expect("a 250-byte name itself is allowed");
    let err = io::save_atomic(&path, &load_fixture("rich_scenario.geojson"))
        .expect_err("temporary file name too long");
    assert!(matches!(err, ScenarioError::Write { .. }), "{err}");
    assert!(err.to_string().contains("cannot save"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).expect("old file"), old);
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);
}

/// Whether this process ignores file permissions (root, as in CI containers): a file with
/// mode 000 is still readable.
fn ignores_permissions() -> bool {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "x").expect("probe");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    std::fs::read(&probe).is_ok()
}

/// Run the test `name` of this binary again as the unprivileged user `nobody` (uid 65534,
/// `setpriv` from util-linux), so that a permission test means something under root: the
/// binary is copied where `nobody` may run it, and the run must pass that one test.
fn run_as_nobody(name: &str) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let exe = dir.path().join("scenario_files");
    std::fs::copy(std::env::current_exe().expect("test binary"), &exe).expect("copy");
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&exe)
        .args(["--exact", name, "--test-threads=1"])
        .env("TMPDIR", "/tmp")
        .output()
        .expect("setpriv (util-linux) runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "as nobody: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_save_into_a_read_only_directory_fails_and_keeps_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    if ignores_permissions() {
        // Root writes into a read-only directory: check it as a user it binds.
        run_as_nobody("a_save_into_a_read_only_directory_fails_and_keeps_the_old_file");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.geojson");
    std::fs::write(&path, "old").expect("old file");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let result = io::save_atomic(&path, &Scenario::new());
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod back");
    assert!(
        matches!(result, Err(ScenarioError::Write { .. })),
        "{result:?}"
    );
    assert_eq!(std::fs::read_to_string(&path).expect("old file"), "old");
}

#[test]
fn saving_onto_a_directory_or_into_a_missing_one_fails_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sub = dir.path().join("a folder");
    std::fs::create_dir(&sub).expect("mkdir");
    std::fs::write(sub.join("inside.txt"), "x").expect("file inside");
    let err = io::save_atomic(&sub, &Scenario::new()).expect_err("a directory");
    assert!(matches!(err, ScenarioError::IsDirectory { .. }), "{err}");
    assert!(sub.is_dir());
    assert_eq!(std::fs::read_dir(&sub).expect("list").count(), 1);

    let missing = dir.path().join("no such dir").join("s.geojson");
    let err = io::save_atomic(&missing, &Scenario::new()).expect_err("missing directory");
    match &err {
        ScenarioError::Write { file, source } => {
            assert!(file.ends_with("s.geojson"), "{err}");
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected a write error, got {other}"),
    }
    assert!(!dir.path().join("no such dir").exists());
}

/// The error for loading a fixture, which must fail.
fn load_error(name: &str) -> ScenarioError {
    io::load(&fixture(name)).expect_err("invalid fixture must not load")
}

fn assert_invalid_at(err: &ScenarioError, file: &str, at: (usize, usize), needle: &str) {
    let text = err.to_string();
    match err {
        ScenarioError::Invalid { line, column, .. } => {
            assert_eq!((*line, *column), at, "{text}");
        }
        other => panic!("expected Invalid, got {other}"),
    }
    assert!(
        text.contains(&format!("{file}: line {}, column {}: ", at.0, at.1)),
        "{text}"
    );
    assert!(text.contains(needle), "{text}");
}

#[test]
fn broken_json_names_the_file_line_and_column() {
    // Line 9 column 5 is the `{` of the second feature, where a comma is missing.
    let err = load_error("bad_json.geojson");
    assert_invalid_at(&err, "bad_json.geojson", (9, 5), "expected `,` or `]`");
}

#[test]
fn an_out_of_range_coordinate_names_its_feature() {
    // The second feature starts at line 9, column 5.
    let err = load_error("latitude_out_of_range.geojson");
    assert_invalid_at(
        &err,
        "latitude_out_of_range.geojson",
        (9, 5),
        "latitude 95.3 is outside -90..90",
    );
}

#[test]
fn an_unknown_geometry_type_is_invalid_geojson() {
    let err = load_error("wrong_geojson.geojson");
    let text = err.to_string();
    match &err {
        ScenarioError::Invalid { line, .. } => assert!((4..=8).contains(line), "{text}"),
        other => panic!("expected Invalid, got {other}"),
    }
    assert!(text.contains("wrong_geojson.geojson: line "), "{text}");
    assert!(text.contains("Line"), "{text}");
}

#[test]
fn a_single_feature_is_not_a_scenario_file() {
    let err = load_error("not_a_collection.geojson");
    assert_invalid_at(
        &err,
        "not_a_collection.geojson",
        (1, 1),
        "a scenario file is a GeoJSON FeatureCollection, this is a Feature",
    );
}

#[test]
fn an_empty_file_is_an_error_not_an_empty_scenario() {
    let err = load_error("empty.geojson");
    assert!(matches!(err, ScenarioError::Empty { .. }), "{err}");
    assert!(
        err.to_string()
            .ends_with("empty.geojson: the file is empty"),
        "{err}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let blank = dir.path().join("blank.geojson");
    std::fs::write(&blank, " \n\t\n").expect("write");
    assert!(matches!(io::load(&blank), Err(ScenarioError::Empty { .. })));
}

#[test]
fn a_missing_file_a_directory_and_binary_data_are_clear_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("nope.geojson");
    let err = io::load(&missing).expect_err("missing");
    assert!(matches!(err, ScenarioError::NotFound { .. }), "{err}");
    assert!(
        err.to_string().ends_with("nope.geojson: file not found"),
        "{err}"
    );

    let err = io::load(dir.path()).expect_err("a directory");
    assert!(matches!(err, ScenarioError::IsDirectory { .. }), "{err}");

    let binary = dir.path().join("photo.geojson");
    std::fs::write(&binary, b"{\"type\":\n  \"Feat\xffure\"}").expect("write");
    let err = io::load(&binary).expect_err("not UTF-8");
    match &err {
        ScenarioError::Invalid {
            line,
            column,
            message,
            ..
        } => {
            assert_eq!((*line, *column), (2, 8), "{err}");
            assert!(message.contains("UTF-8"), "{err}");
        }
        other => panic!("expected Invalid, got {other}"),
    }
}

#[test]
fn an_unreadable_file_is_a_permission_error() {
    use std::os::unix::fs::PermissionsExt;
    if ignores_permissions() {
        run_as_nobody("an_unreadable_file_is_a_permission_error");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("locked.geojson");
    std::fs::write(&path, io::to_string(&Scenario::new())).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let err = io::load(&path).expect_err("unreadable");
    assert!(
        matches!(err, ScenarioError::PermissionDenied { .. }),
        "{err}"
    );
}
