//! `corridor-atlas suggest` as a user runs it: the built binary, a real output file, exit
//! codes and messages.
#![allow(clippy::expect_used, clippy::unwrap_used)] // reason: a failed expectation is the test's message

use std::process::{Command, Output};

use corridor_domain::plan::scenario::{AlignmentStatus, SnapRef, load};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corridor-atlas"))
        .arg("suggest")
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn termez_to_karachi_writes_a_scenario_of_suggested_alignments() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("suggested.geojson");
    let o = run(&[
        "--from",
        "termez",
        "--to",
        "67.0104,24.8608",
        "--alternatives",
        "2",
        "--out",
        out.to_str().expect("utf-8 path"),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "stderr: {stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    let summaries = lines.iter().filter(|l| l.starts_with("Suggested ")).count();
    assert!((1..=2).contains(&summaries), "{stdout}");
    assert_eq!(lines.len(), summaries + 2, "{stdout}");
    assert!(
        lines[0].starts_with("Suggested 1: ") && lines[0].contains(" km on existing track, US$"),
        "{stdout}"
    );
    assert!(
        lines[summaries].starts_with("Ranked by cost; stopped: "),
        "{stdout}"
    );
    // The DEM the terrain came from: only the bundled grid here, and it says so.
    assert!(
        lines[summaries + 1].starts_with("Terrain: bundled ETOPO5 only"),
        "{stdout}"
    );
    let scenario = load(&out).expect("the file loads as a scenario");
    assert_eq!(scenario.alignments.len(), summaries);
    for (i, a) in scenario.alignments.iter().enumerate() {
        assert!(
            a.name
                .starts_with(&format!("Suggested {} (Termez to ", i + 1)),
            "{}",
            a.name
        );
        assert_eq!(a.status, AlignmentStatus::Proposed);
        assert_eq!(
            a.extra.get("suggested"),
            Some(&serde_json::Value::Bool(true))
        );
        assert!(
            matches!(&a.vertices[0].snap, Some(SnapRef::Place { name, .. }) if name == "Termez")
        );
        assert!(a.length_m() > 1_371_000.0);
    }
}

#[test]
fn bad_input_is_one_line_and_exit_status_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("x.geojson");
    let out = out.to_str().expect("utf-8 path");
    for (args, expected) in [
        (
            vec!["--from", "Termes", "--to", "Karachi", "--out", out],
            "did you mean Termez",
        ),
        (
            vec![
                "--from",
                "Termez",
                "--to",
                "Karachi",
                "--alternatives",
                "0",
                "--out",
                out,
            ],
            "--alternatives",
        ),
        (
            vec![
                "--from",
                "Termez",
                "--to",
                "Karachi",
                "--resolution-km",
                "-3",
                "--out",
                out,
            ],
            "--resolution-km",
        ),
        (
            vec!["--from", "10,10", "--to", "Karachi", "--out", out],
            "outside the suggestion region",
        ),
        (
            vec![
                "--from",
                "Termez",
                "--to",
                "Karachi",
                "--via",
                "Nowhereabad",
                "--out",
                out,
            ],
            "--via: no place called \"Nowhereabad\"",
        ),
        (
            vec![
                "--from",
                "Termez",
                "--to",
                "Karachi",
                "--rank-by",
                "speed",
                "--out",
                out,
            ],
            "use cost, length, time or new-build",
        ),
    ] {
        let o = run(&args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {stderr}");
        // Progress lines may come first; the message is the last line, whole.
        let last = stderr.trim().lines().last().unwrap_or_default();
        assert!(
            last.starts_with("corridor-atlas suggest: "),
            "{args:?}: {stderr}"
        );
        assert!(last.contains(expected), "{args:?}: {stderr}");
        assert!(o.stdout.is_empty());
        assert!(!std::path::Path::new(out).exists(), "no file on failure");
    }
}

/// "Suggested 1: 160 km, 120 km on existing track, …" → 120.
fn km_on_track(stdout: &str) -> f64 {
    let line = stdout.lines().next().expect("a summary line");
    let before = line
        .split(" km on existing track")
        .next()
        .expect("the reuse figure");
    before
        .rsplit(' ')
        .next()
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("no km figure in {line}"))
}

#[test]
fn an_imported_osm_network_is_reused_as_existing_track() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("suggested.geojson");
    let out = out.to_str().expect("utf-8 path");
    // The Registan desert, with no bundled track: an OSM-style line 20 km north of the direct
    // route, split into two ways as OSM does.
    let track = dir.path().join("osm-rail.geojson");
    let way = |a: (f64, f64), b: (f64, f64), id: u32| {
        format!(
            r#"{{"type":"Feature","properties":{{"@id":"way/{id}","railway":"rail","gauge":"1435","name":"Desert line"}},"geometry":{{"type":"LineString","coordinates":[[{},{}],[{},{}]]}}}}"#,
            a.0, a.1, b.0, b.1
        )
    };
    std::fs::write(
        &track,
        format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            way((62.95, 30.68), (63.75, 30.68), 1),
            way((63.75, 30.68), (64.55, 30.68), 2)
        ),
    )
    .expect("write the network");
    let base = [
        "--from",
        "62.9,30.5",
        "--to",
        "64.6,30.5",
        "--alternatives",
        "1",
        "--resolution-km",
        "4",
        "--out",
        out,
    ];
    let without = run(&base);
    assert_eq!(without.status.code(), Some(0), "{without:?}");
    let without_km = km_on_track(&String::from_utf8_lossy(&without.stdout));

    let mut args = base.to_vec();
    args.extend(["--track", track.to_str().expect("utf-8 path")]);
    let with = run(&args);
    assert_eq!(with.status.code(), Some(0), "{with:?}");
    let with_km = km_on_track(&String::from_utf8_lossy(&with.stdout));
    // The line is 1.6° of longitude at 30.68° N: about 153 km (N·cos φ·Δλ on WGS84).
    assert!(
        without_km < 5.0,
        "no track there without the import: {without_km} km"
    );
    assert!(
        with_km > 100.0 && with_km < 160.0,
        "most of the imported line is reused: {with_km} km"
    );

    // A file without rail tags is refused rather than silently adding nothing.
    let roads = dir.path().join("roads.geojson");
    std::fs::write(
        &roads,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"highway":"primary"},"geometry":{"type":"LineString","coordinates":[[63,30.6],[64,30.6]]}}]}"#,
    )
    .expect("write roads");
    let mut args = base.to_vec();
    args.extend(["--track", roads.to_str().expect("utf-8 path")]);
    let refused = run(&args);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("no lines tagged as rail"),
        "{refused:?}"
    );
}

/// Coarse cells: at 40 km the centre of Herat's own cell lies ~20 km from the city, which a
/// fixed 15 km land search used to call "on water" (every resolution from 32 to 50 km but 35
/// failed). A city on land is on land at any resolution.
#[test]
fn coarse_resolutions_find_the_land_under_a_city() {
    let dir = tempfile::tempdir().expect("temp dir");
    for km in ["32", "40", "50"] {
        let out = dir.path().join(format!("s{km}.geojson"));
        let o = run(&[
            "--from",
            "Herat",
            "--to",
            "Kandahar",
            "--resolution-km",
            km,
            "--alternatives",
            "1",
            "--out",
            out.to_str().expect("utf-8 path"),
        ]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{km} km: {stderr}");
        assert_eq!(load(&out).expect("loads").alignments.len(), 1);
    }
}

/// A start inside an `--avoid` area is named as such, not as "on water".
#[test]
fn a_start_inside_an_avoid_area_is_named_as_such() {
    let dir = tempfile::tempdir().expect("temp dir");
    let avoid = dir.path().join("avoid.geojson");
    // A 1° box around Herat (62.2, 34.35).
    std::fs::write(
        &avoid,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
        "geometry":{"type":"Polygon","coordinates":[[[61.7,33.85],[62.7,33.85],[62.7,34.85],[61.7,34.85],[61.7,33.85]]]}}]}"#,
    )
    .expect("write");
    let out = dir.path().join("s.geojson");
    let o = run(&[
        "--from",
        "Herat",
        "--to",
        "Kandahar",
        "--avoid",
        avoid.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("inside an area to avoid"), "{stderr}");
    assert!(!stderr.contains("water"), "{stderr}");
    assert!(!out.exists(), "nothing is written on a refusal");
}

/// `--via` in order, `--rank-by length`, and one source of truth: each summary line carries
/// the figures `compare --format json` computes for the written file.
#[test]
fn via_places_and_the_summary_match_compare_on_the_written_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("via.geojson");
    let out = out.to_str().expect("utf-8 path");
    let o = run(&[
        "--from",
        "Termez",
        "--to",
        "Karachi",
        "--via",
        "Logar",
        "--via",
        "Kharlachi",
        "--rank-by",
        "length",
        "--out",
        out,
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let summaries: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("Suggested "))
        .collect();
    assert!(!summaries.is_empty(), "{stdout}");
    assert!(
        stdout
            .lines()
            .rev()
            .nth(1)
            .unwrap_or_default()
            .starts_with("Ranked by length; stopped: "),
        "{stdout}"
    );
    let compare = Command::new(env!("CARGO_BIN_EXE_corridor-atlas"))
        .args(["compare", out, "--format", "json"])
        .output()
        .expect("compare runs");
    assert_eq!(compare.status.code(), Some(0), "{compare:?}");
    let json: serde_json::Value = serde_json::from_slice(&compare.stdout).expect("json");
    let alternatives = json["alternatives"].as_array().expect("alternatives");
    assert_eq!(alternatives.len(), summaries.len());
    let mut previous_km = 0.0;
    for (line, alt) in summaries.iter().zip(alternatives) {
        let ledger = &alt["ledger"];
        let km = ledger["length_m"].as_f64().expect("length") / 1000.0;
        let existing_km = ledger["existing_m"].as_f64().expect("existing") / 1000.0;
        let cost_bn = ledger["cost"]["total_usd"].as_f64().expect("cost") / 1e9;
        let hours = ledger["travel"]["total_h"].as_f64().expect("time");
        let crossings = ledger["borders_crossed"].as_u64().expect("crossings");
        for figure in [
            format!(": {km:.1} km, "),
            format!(", {existing_km:.1} km on existing track, "),
            format!("US${cost_bn:.2} bn, {hours:.1} h, "),
            format!("({crossings} border crossing"),
        ] {
            assert!(line.contains(&figure), "{figure:?} not in {line}");
        }
        assert!(km >= previous_km, "ranked by length: {stdout}");
        previous_km = km;
    }
}

/// `--dem DIR`: a folder of SRTM tiles is the terrain where it has data, and the summary's
/// last line names it; a folder without tiles is a one-line error. The tile is synthetic
/// (N35E069, a ridge across 35.5° N with a 730 m gorge at 69.685° E, as in
/// `crates/corridor-domain/tests/suggest_dem.rs`), so the finer search near passes runs too.
#[test]
fn a_dem_folder_is_used_and_named_in_the_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let tiles = dir.path().join("srtm");
    std::fs::create_dir(&tiles).unwrap();
    let side = 1201;
    let mut bytes = Vec::with_capacity(side * side * 2);
    for row in 0..side {
        for col in 0..side {
            let lon = 69.0 + col as f64 / 1200.0;
            let lat = 36.0 - row as f64 / 1200.0;
            let h = if (lon - 69.685).abs() < 0.004 {
                1000.0
            } else {
                1000.0 + 4000.0 * (1.0 - (lat - 35.5).abs() / 0.04).max(0.0)
            };
            bytes.extend_from_slice(&(h as i16).to_be_bytes());
        }
    }
    std::fs::write(tiles.join("N35E069.hgt"), bytes).unwrap();
    let out = dir.path().join("suggested.geojson");
    let o = run(&[
        "--from",
        "69.6,35.25",
        "--to",
        "69.6,35.75",
        "--alternatives",
        "1",
        "--dem",
        tiles.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("Terrain: SRTM tiles in ")
            && last.contains("re-searched")
            && last.ends_with("bundled ETOPO5 elsewhere"),
        "{stdout}"
    );
    let scenario = load(&out).expect("the file loads");
    assert_eq!(scenario.alignments.len(), 1);

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = run(&[
        "--from",
        "Termez",
        "--to",
        "Karachi",
        "--dem",
        empty.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("corridor-atlas suggest: --dem: "),
        "{stderr}"
    );
}

/// `--corridor FILE --corridor-km KM`: the alternatives keep within KM of the file's line; a
/// width out of range, or a width without a line, is refused before any work.
#[test]
fn a_corridor_file_keeps_the_alternatives_near_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let line = dir.path().join("north.geojson");
    // Herat – Chaghcharan – Tarin Kowt – Kandahar (GeoNames positions).
    std::fs::write(
        &line,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"northern line"},
        "geometry":{"type":"LineString","coordinates":[[62.2,34.35],[65.25,34.52],[65.87,32.63],[65.71,31.61]]}}]}"#,
    )
    .expect("write");
    let out = dir.path().join("s.geojson");
    let line_arg = line.to_str().expect("utf-8 path");
    let out_arg = out.to_str().expect("utf-8 path");
    let o = run(&[
        "--from",
        "Herat",
        "--to",
        "Kandahar",
        "--corridor",
        line_arg,
        "--corridor-km",
        "80",
        "--alternatives",
        "1",
        "--out",
        out_arg,
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let scenario = load(&out).expect("the written scenario loads");
    // Every vertex north of 32.9° N between 63° and 65° E: the southern road via Farah and
    // Delaram (32.2–32.4° N there) is outside the corridor.
    for v in scenario.alignments.iter().flat_map(|a| &a.vertices) {
        if (63.0..=65.0).contains(&v.lon) {
            assert!(
                v.lat > 32.9,
                "({}, {}) is south of the corridor",
                v.lon,
                v.lat
            );
        }
    }
    for (args, says) in [
        (
            vec!["--corridor", line_arg, "--corridor-km", "0"],
            "--corridor-km must be between 1 and 1000",
        ),
        (
            vec!["--corridor-km", "30"],
            "--corridor-km needs --corridor",
        ),
        (
            vec![
                "--corridor",
                line_arg,
                "--corridor-km",
                "10",
                "--from",
                "Farah",
            ],
            "outside its 10 km",
        ),
    ] {
        let mut all = vec!["--to", "Kandahar", "--out", out_arg];
        if !args.contains(&"--from") {
            all.extend(["--from", "Herat"]);
        }
        all.extend(args.iter().copied());
        let o = run(&all);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{all:?}: {stderr}");
        assert!(stderr.contains(says), "{all:?}: {stderr}");
    }
}
