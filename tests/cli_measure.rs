//! `corridor-atlas measure` as a user runs it: the built binary, real files, exit codes,
//! stdout and stderr. Expected lengths come from `GeographicLib`
//! (`tests/fixtures/geodesic_reference.csv`), not from our own code.
// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Termez → Mazar-i-Sharif → Kabul → Peshawar → Quetta → Karachi, `GeographicLib` 2.1 legs
/// (rows `corridor_polyline` of the reference table).
const CORRIDOR_LEGS_M: [f64; 5] = [
    59_086.702_220_328_44,
    305_212.932_797_082_47,
    221_622.673_153_495_15,
    604_274.244_515_365_6,
    589_426.922_197_025_7,
];
/// Termez → Karachi direct (row `termez_karachi`).
const TERMEZ_KARACHI_M: f64 = 1_371_022.304_871_412_7;

struct Output {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary, killing it (and failing) if it takes longer than `limit`.
fn run_within(args: &[&Path], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_corridor-atlas"))
        .arg("measure")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start corridor-atlas");
    // Drain the pipes on threads so a large output cannot block the child.
    let mut stdout_pipe = child.stdout.take().expect("piped stdout");
    let mut stderr_pipe = child.stderr.take().expect("piped stderr");
    let stdout = std::thread::spawn(move || {
        let mut s = String::new();
        stdout_pipe.read_to_string(&mut s).expect("UTF-8 stdout");
        s
    });
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        stderr_pipe.read_to_string(&mut s).expect("UTF-8 stderr");
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().expect("kill");
            panic!("corridor-atlas measure {args:?} ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status: status.code(),
        stdout: stdout.join().expect("stdout thread"),
        stderr: stderr.join().expect("stderr thread"),
    }
}

fn run(args: &[&Path]) -> Output {
    run_within(args, Duration::from_secs(30))
}

fn run_csv(args: &[&Path]) -> Output {
    let mut all: Vec<&Path> = vec![Path::new("--format"), Path::new("csv")];
    all.extend_from_slice(args);
    run(&all)
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write test file");
    path
}

fn rows(output: &Output) -> Vec<Value> {
    match serde_json::from_str(&output.stdout) {
        Ok(Value::Array(rows)) => rows,
        other => panic!("stdout is not one JSON array: {other:?}\n{}", output.stdout),
    }
}

fn close(got_m: &Value, want_m: f64) -> bool {
    got_m
        .as_f64()
        .is_some_and(|got_m| (got_m - want_m).abs() <= (want_m * 1e-9).max(1e-9))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cli")
        .join(name)
}

#[test]
fn the_corridor_fixture_prints_one_row_per_line_feature_with_exactly_the_five_keys() {
    let path = fixture("corridor.geojson");
    let out = run(&[&path]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert_eq!(out.stderr, "");
    let rows = rows(&out);
    assert_eq!(rows.len(), 2, "the Point is not a line: {rows:?}");
    for row in &rows {
        let mut keys: Vec<&str> = row
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["file", "index", "length_m", "name", "segments_m"]);
        assert_eq!(row["file"], path.display().to_string());
    }

    assert_eq!(rows[0]["index"], 0);
    assert_eq!(
        rows[0]["name"],
        "Termez - Karachi via Kabul, Peshawar, Quetta"
    );
    let segments = rows[0]["segments_m"].as_array().expect("segments");
    assert_eq!(segments.len(), CORRIDOR_LEGS_M.len());
    for (got, want) in segments.iter().zip(CORRIDOR_LEGS_M) {
        assert!(close(got, want), "{got} vs {want}");
    }
    assert!(close(&rows[0]["length_m"], CORRIDOR_LEGS_M.iter().sum()));

    assert_eq!(rows[1]["index"], 2, "the Point at index 1 still counts");
    assert_eq!(
        rows[1]["name"], "Termez - Karachi direct",
        "title stands in for name"
    );
    assert!(close(&rows[1]["length_m"], TERMEZ_KARACHI_M));
}

#[test]
fn csv_has_the_header_quotes_names_with_commas_and_joins_segments_with_semicolons() {
    let out = run_csv(&[&fixture("corridor.geojson")]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    let mut lines = out.stdout.lines();
    assert_eq!(lines.next(), Some("file,index,name,length_m,segments_m"));
    let first = lines.next().expect("first row");
    assert!(
        first.contains(",0,\"Termez - Karachi via Kabul, Peshawar, Quetta\","),
        "{first}"
    );
    let segments = first.rsplit(',').next().expect("last field");
    let segments_m: Vec<f64> = segments
        .split(';')
        .map(|s| s.parse().expect("a number"))
        .collect();
    assert_eq!(segments_m.len(), CORRIDOR_LEGS_M.len());
    for (got, want) in segments_m.iter().zip(CORRIDOR_LEGS_M) {
        assert!((got - want).abs() < want * 1e-9, "{got} vs {want}");
    }
    let second = lines.next().expect("second row");
    assert!(second.contains(",2,Termez - Karachi direct,"), "{second}");
    assert_eq!(lines.next(), None);
}

#[test]
fn valid_rfc7946_variants_all_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bom_crlf = write(
        &dir,
        "bom_crlf.geojson",
        "\u{feff}{\"type\": \"FeatureCollection\",\r\n \"bbox\": [0, 0, 1, 1], \"x-source\": {\"a\": 1},\r\n \"features\": [\r\n  {\"type\": \"Feature\", \"properties\": null, \"geometry\": null},\r\n  {\"type\": \"Feature\", \"id\": 7, \"properties\": {\"name\": \"GC\"}, \"geometry\": {\"type\": \"GeometryCollection\", \"geometries\": [{\"type\": \"Point\", \"coordinates\": [0, 0]}, {\"type\": \"LineString\", \"coordinates\": [[0, 0, 10], [0, 1, 20]]}]}}\r\n ]}\r\n",
    );
    let empty_fc = write(
        &dir,
        "empty.geojson",
        r#"{"type":"FeatureCollection","features":[]}"#,
    );
    let empty_gc = write(
        &dir,
        "empty_gc.geojson",
        r#"{"type":"GeometryCollection","geometries":[]}"#,
    );
    let feature = write(
        &dir,
        "feature.geojson",
        r#"{"type":"Feature","bbox":[179.9,0,-179.9,0],"x-note":{"by":["me"]},"properties":{"name":5,"title":"t"},"geometry":{"type":"LineString","bbox":[179.9,0,-179.9,0],"x-srs":"ignored","coordinates":[[179.9,0],[-179.9,0]]}}"#,
    );
    let out = run(&[&bom_crlf, &empty_fc, &empty_gc, &feature]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    let rows = rows(&out);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["index"], 1);
    assert_eq!(rows[0]["name"], "GC");
    // GeographicLib: 1° of meridian at the equator, elevation ignored.
    assert!(close(&rows[0]["length_m"], 110_574.388_557_798_78));
    assert_eq!(rows[1]["index"], 0);
    assert_eq!(
        rows[1]["name"], "t",
        "a non-string name falls back to title"
    );
    // Across the antimeridian: GeographicLib says 22 km, not 40,000 km.
    assert!(close(&rows[1]["length_m"], 22_263.898_158_653_446));
}

#[test]
fn an_empty_collection_prints_an_empty_array_and_an_empty_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        &dir,
        "e.geojson",
        r#"{"type":"FeatureCollection","features":[]}"#,
    );
    let json = run(&[&path]);
    assert_eq!((json.status, json.stdout.trim()), (Some(0), "[]"));
    let csv = run_csv(&[&path]);
    assert_eq!(
        (csv.status, csv.stdout.as_str()),
        (Some(0), "file,index,name,length_m,segments_m\r\n")
    );
}

#[test]
fn broken_json_is_reported_with_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        &dir,
        "bad.geojson",
        "{\n\"type\": \"LineString\",\n\"coordinates\": [[1,2], ]\n}",
    );
    let out = run(&[&path]);
    assert_eq!(out.status, Some(1));
    assert_eq!(
        out.stderr,
        format!("{}: line 3, column 24: trailing comma\n", path.display())
    );
    assert_eq!(out.stdout.trim(), "[]");
}

#[test]
fn each_kind_of_bad_input_gives_exit_1_and_one_line_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.geojson", b"", "line 1, column 1: the file is empty"),
        ("blank.geojson", b"  \n ", "the file is empty"),
        ("text.geojson", b"hello", "line 1, column 1: not JSON: the file starts with 'h'"),
        (
            "truncated.geojson",
            br#"{"type":"LineString","coordinates":[[1,2],[3"#,
            // The coordinates' `[` is column 36; the file ends after column 45.
            "line 1, column 45: unexpected end of file: a value starting at line 1, column 36 is not closed",
        ),
        (
            "unknown_type.geojson",
            br#"{"type":"Polygonx","coordinates":[]}"#,
            "not GeoJSON",
        ),
        (
            "array.geojson",
            b"[1, 2]",
            "not GeoJSON: the top level must be an object",
        ),
        (
            "bad_feature_type.geojson",
            br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Banana","coordinates":[]}}]}"#,
            "feature 0: unknown geometry type \"Banana\"",
        ),
        (
            "string_coordinate.geojson",
            br#"{"type":"LineString","coordinates":[[1,2],["a",3]]}"#,
            "line 1, column 46: feature 0: invalid type: string \"a\"",
        ),
        (
            "infinite.geojson",
            br#"{"type":"LineString","coordinates":[[1,2],[1e999,3]]}"#,
            "line 1, column 48: number out of range",
        ),
        (
            "longitude.geojson",
            br#"{"type":"LineString","coordinates":[[1,2],[180.5,3]]}"#,
            "longitude 180.5 is outside -180..180",
        ),
        (
            "latitude.geojson",
            br#"{"type":"MultiLineString","coordinates":[[[1,2],[3,-90.01]]]}"#,
            "latitude -90.01 is outside -90..90",
        ),
        (
            "one_position.geojson",
            br#"{"type":"LineString","coordinates":[[1,2]]}"#,
            "a LineString needs at least 2 positions, found 1",
        ),
        (
            "one_number.geojson",
            br#"{"type":"LineString","coordinates":[[1,2],[3]]}"#,
            "a position needs at least 2 numbers (lon, lat), found 1",
        ),
        (
            "latin1.geojson",
            b"{\"type\":\"Point\",\n\"coordinates\":[1,2],\"name\":\"Term\xe9z\"}",
            "line 2, column 33: invalid UTF-8 at byte offset 49",
        ),
        ("utf16.geojson", b"\xff\xfe{\0", "the file is UTF-16"),
    ];
    for (name, bytes, message) in cases {
        let path = write(&dir, name, bytes);
        let out = run(&[&path]);
        assert_eq!(out.status, Some(1), "{name}: {}", out.stderr);
        let prefix = format!("{}: ", path.display());
        assert!(
            out.stderr.starts_with(&prefix) && out.stderr.contains(message),
            "{name}: expected {message:?} in {:?}",
            out.stderr
        );
        assert_eq!(out.stderr.lines().count(), 1, "{name}: {}", out.stderr);
        assert_eq!(out.stdout.trim(), "[]", "{name}");
    }
}

#[test]
fn missing_files_and_directories_are_reported_and_good_files_still_measured() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good_a = write(
        &dir,
        "a.geojson",
        r#"{"type":"LineString","coordinates":[[0,0],[1,0]]}"#,
    );
    let bad = write(&dir, "bad.geojson", "{");
    let missing = dir.path().join("missing.geojson");
    let good_b = write(
        &dir,
        "b.geojson",
        r#"{"type":"LineString","coordinates":[[0,0],[0,1]]}"#,
    );
    let out = run(&[&good_a, &bad, &missing, dir.path(), &good_b]);
    assert_eq!(out.status, Some(1));
    let errors: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(errors.len(), 3, "{}", out.stderr);
    assert_eq!(
        errors[0],
        format!(
            "{}: line 1, column 2: unexpected end of file: the top-level object is not closed",
            bad.display()
        )
    );
    assert!(errors[1].starts_with(&format!("{}: cannot read: ", missing.display())));
    assert_eq!(
        errors[2],
        format!(
            "{}: is a directory, not a GeoJSON file",
            dir.path().display()
        )
    );
    let rows = rows(&out);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["file"], good_a.display().to_string());
    assert!(close(&rows[0]["length_m"], 111_319.490_793_273_57));
    assert_eq!(rows[1]["file"], good_b.display().to_string());
    assert!(close(&rows[1]["length_m"], 110_574.388_557_798_78));
}

#[test]
fn a_hundred_thousand_levels_of_nesting_fail_fast_without_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let open = "[".repeat(100_000);
    let close_ = "]".repeat(100_000);
    let unclosed = write(&dir, "unclosed.geojson", &open);
    let balanced = write(
        &dir,
        "balanced.geojson",
        format!(r#"{{"type":"LineString","coordinates":{open}{close_}}}"#),
    );
    let in_properties = write(
        &dir,
        "props.geojson",
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"deep":{open}{close_}}},"geometry":null}}]}}"#
        ),
    );
    let out = run_within(
        &[&unclosed, &balanced, &in_properties],
        Duration::from_secs(5),
    );
    assert_eq!(
        out.status,
        Some(1),
        "a crash has no exit code: {}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 3, "{}", out.stderr);
    assert!(out.stderr.contains("nested too deeply"), "{}", out.stderr);
}

#[test]
fn random_binary_garbage_fails_fast_without_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    // xorshift64: deterministic, and no `rand` dependency for one test.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut garbage = Vec::with_capacity(1 << 20);
    for _ in 0..(1 << 20) / 8 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        garbage.extend_from_slice(&state.to_le_bytes());
    }
    let binary = write(&dir, "garbage.bin", &garbage);
    // The same garbage squeezed into ASCII, so that it reaches the JSON parser.
    let ascii: Vec<u8> = garbage
        .iter()
        .map(|b| b"{[]}\",:0e-1 \n"[usize::from(*b) % 13])
        .collect();
    let ascii = write(&dir, "garbage.txt", ascii);
    let out = run_within(&[&binary, &ascii], Duration::from_secs(5));
    assert_eq!(out.status, Some(1), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 2, "{}", out.stderr);
}

#[test]
fn measure_without_files_is_a_usage_error() {
    let out = run(&[]);
    assert_eq!(out.status, Some(2), "clap's usage error: {}", out.stderr);
    assert!(out.stderr.contains("FILE"), "{}", out.stderr);
}

/// `measure` reads what import reads: a GeoJSONSeq file (one feature per line, RS-separated
/// or not) gives the rows of the same features as a FeatureCollection, lengths from
/// GeographicLib; and a file that breaks part-way keeps the rows before the break.
#[test]
fn geojson_seq_is_measured_like_a_collection_and_a_late_break_keeps_earlier_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let termez_karachi = r#"{"type":"Feature","properties":{"name":"direct"},"geometry":{"type":"LineString","coordinates":[[67.2783,37.2242],[67.0011,24.8607]]}}"#;
    let point = r#"{"type":"Feature","properties":{"name":"a point"},"geometry":{"type":"Point","coordinates":[67.0,30.0]}}"#;
    let seq = write(
        &dir,
        "lines.geojsons",
        format!("\u{1e}{termez_karachi}\n\u{1e}{point}\n\u{1e}{termez_karachi}\n"),
    );
    let out = run(&[&seq]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).expect("JSON rows");
    assert_eq!(rows.len(), 2, "{}", out.stdout);
    assert_eq!(rows[0]["index"], 0);
    assert_eq!(rows[1]["index"], 2, "the point is skipped but counted");
    for row in &rows {
        let got = row["length_m"].as_f64().expect("length");
        assert!((got - TERMEZ_KARACHI_M).abs() < 1e-3, "{got}");
    }

    let broken = write(
        &dir,
        "broken.geojson",
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{termez_karachi},\n{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,\"x\"]]}}}}\n]}}"
        ),
    );
    let out = run(&[&broken]);
    assert_eq!(out.status, Some(1));
    assert!(
        // The string "x" spans columns 75–77 of line 3; the reader stops at its end.
        out.stderr
            .contains("line 3, column 77: feature 1: invalid type: string \"x\""),
        "{}",
        out.stderr
    );
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).expect("JSON rows");
    assert_eq!(rows.len(), 1, "the row before the break is printed");
}
