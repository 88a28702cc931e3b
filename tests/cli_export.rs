//! `corridor-atlas export` as a user runs it: the built binary on the bundled example, its
//! files read back by GDAL's `ogrinfo` (the reader QGIS uses), not by our own code; chainages
//! checked against GeographicLib values; the error cases leave an existing file untouched.
// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use corridor_domain::plan::exchange::read_lines_file;
use corridor_domain::plan::scenario::load;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/corridor-options.geojson")
}

/// The five alternatives of the example, in file order.
const EXAMPLE_NAMES: usize = 5;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn atlas(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_corridor-atlas"))
        .args(args)
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn export(scenario: &Path, format: &str, out: &Path) -> Run {
    atlas(&[
        "export",
        scenario.to_str().expect("UTF-8 path"),
        "--format",
        format,
        "--out",
        out.to_str().expect("UTF-8 path"),
    ])
}

fn ogrinfo(args: &[&str]) -> String {
    let out = Command::new("ogrinfo")
        .args(args)
        .output()
        .expect("GDAL's ogrinfo is installed (apt: gdal-bin)");
    assert!(
        out.status.success(),
        "ogrinfo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `Feature Count: N` of the summary.
fn feature_count(summary: &str) -> usize {
    summary
        .lines()
        .find_map(|l| l.strip_prefix("Feature Count: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("ogrinfo prints a feature count")
}

/// The value of `field` in every feature of `ogrinfo -al` output, in feature order.
fn values(listing: &str, field: &str) -> Vec<String> {
    let prefix = format!("{field} (");
    listing
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with(&prefix))
        .filter_map(|l| l.split_once(" = ").map(|(_, v)| v.to_owned()))
        .collect()
}

/// The figures each format must carry as attributes (GPX prefixes ours with `ca_`).
const FIGURES: [&str; 9] = [
    "length_km",
    "existing_km",
    "new_km",
    "countries",
    "km_afg",
    "crossings",
    "cost_musd",
    "time_h",
    "published_km",
];

#[test]
fn ogrinfo_reads_kml_gpkg_and_gpx_exports_of_the_example_with_five_alternatives() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (format, layer, prefix, geometry) in [
        ("kml", "alternatives", "", "Unknown (any)"),
        ("gpkg", "alternatives", "", "Line String"),
        ("gpx", "tracks", "ca_", "Multi Line String"),
    ] {
        let out = dir.path().join(format!("corridor.{format}"));
        let run = export(&example(), format, &out);
        assert_eq!(run.code, Some(0), "{format}: {}", run.stderr);
        assert!(run.stdout.contains("5 alternatives"), "{}", run.stdout);
        let path = out.to_str().expect("UTF-8");
        let summary = ogrinfo(&["-ro", "-so", path, layer]);
        assert_eq!(
            feature_count(&summary),
            EXAMPLE_NAMES,
            "{format}: {summary}"
        );
        assert!(
            summary.contains(&format!("Geometry: {geometry}")),
            "{format}: {summary}"
        );
        for figure in FIGURES {
            assert!(
                summary.contains(&format!("\n{prefix}{figure}: ")),
                "{format} lacks {figure}: {summary}"
            );
        }
        // Every feature has a name and a positive length.
        let listing = ogrinfo(&["-ro", "-al", path, layer]);
        let name_field = if format == "kml" { "Name" } else { "name" };
        let names = values(&listing, name_field);
        assert_eq!(names.len(), EXAMPLE_NAMES, "{format}: {listing}");
        let lengths = values(&listing, &format!("{prefix}length_km"));
        assert_eq!(lengths.len(), EXAMPLE_NAMES, "{format}");
        assert!(
            lengths
                .iter()
                .all(|l| l.parse::<f64>().is_ok_and(|km| km > 100.0)),
            "{format}: {lengths:?}"
        );
    }
}

#[test]
fn gpkg_has_valid_contents_and_a_geometry_column_and_compare_figures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("corridor.gpkg");
    let run = export(&example(), "gpkg", &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let path = out.to_str().expect("UTF-8");
    let summary = ogrinfo(&["-ro", "-so", path, "alternatives"]);
    assert!(summary.contains("using driver `GPKG'"), "{summary}");
    assert!(summary.contains("Geometry Column = geom"), "{summary}");
    assert!(summary.contains("ID[\"EPSG\",4326]"), "{summary}");
    let contents = ogrinfo(&[
        "-ro",
        path,
        "-sql",
        "SELECT table_name, data_type, srs_id FROM gpkg_contents",
    ]);
    assert!(
        contents.contains("table_name (String) = alternatives"),
        "{contents}"
    );
    assert!(
        contents.contains("data_type (String) = features"),
        "{contents}"
    );
    assert!(
        contents.contains("srs_id (Integer") && contents.contains("= 4326"),
        "{contents}"
    );

    // GDAL's own GeoPackage validator (python3-gdal, which gdal-bin depends on) finds
    // nothing wrong: the required tables, the blob header, the SRS, application_id.
    let validator =
        Path::new("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py");
    assert!(
        validator.is_file(),
        "GDAL's validate_gpkg.py (apt: python3-gdal)"
    );
    let check = Command::new("/usr/bin/python3")
        .arg(validator)
        .arg(&out)
        .output()
        .expect("python3 runs");
    assert!(
        check.status.success() && check.stdout.is_empty() && check.stderr.is_empty(),
        "validate_gpkg: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );

    // The figures are Compare's: `compare --format json` of the same file.
    let compare = atlas(&[
        "compare",
        example().to_str().expect("UTF-8"),
        "--format",
        "json",
    ]);
    assert_eq!(compare.code, Some(0), "{}", compare.stderr);
    let json: serde_json::Value = serde_json::from_str(&compare.stdout).expect("JSON");
    let listing = ogrinfo(&["-ro", "-al", path, "alternatives"]);
    let lengths = values(&listing, "length_km");
    let crossings = values(&listing, "crossings");
    let table = json["table"].as_array().expect("table");
    assert_eq!(table.len(), EXAMPLE_NAMES);
    for (i, row) in table.iter().enumerate() {
        let km = row["km"].as_f64().expect("km");
        let exported: f64 = lengths[i].parse().expect("a number");
        assert!((exported - km).abs() <= 0.0005, "{i}: {exported} vs {km}");
        assert_eq!(crossings[i], row["crossings"].to_string(), "{i}");
    }
    // Per-country columns add up to the length (sea included), feature by feature.
    let countries: Vec<String> = summary
        .lines()
        .filter_map(|l| l.strip_prefix("km_"))
        .filter_map(|l| l.split_once(':').map(|(c, _)| c))
        // ISO alpha-3 codes and the sea, not `km_ratio`.
        .filter(|c| c.len() == 3)
        .map(|c| format!("km_{c}"))
        .collect();
    assert!(countries.contains(&"km_pak".to_owned()), "{summary}");
    for (i, length) in lengths.iter().enumerate() {
        let sum: f64 = countries
            .iter()
            .map(|c| values(&listing, c)[i].parse::<f64>().expect("a number"))
            .sum();
        let length: f64 = length.parse().expect("a number");
        assert!(
            (sum - length).abs() < 0.002 * countries.len() as f64,
            "{i}: {sum} vs {length}"
        );
    }
}

#[test]
fn kml_export_imports_back_with_the_same_coordinates_names_and_colours() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("corridor.kml");
    let run = export(&example(), "kml", &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let original = load(&example()).expect("the example loads");
    let back = read_lines_file(&out).expect("our KML reads back");
    assert_eq!(back.alignments.len(), original.alignments.len());
    for (a, b) in original.alignments.iter().zip(&back.alignments) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.color, b.color, "{}", a.name);
        assert_eq!(a.status, b.status, "{}", a.name);
        assert_eq!(a.gauge_mm, b.gauge_mm, "{}", a.name);
        let xy = |v: &[corridor_domain::plan::scenario::Vertex]| -> Vec<(f64, f64)> {
            v.iter().map(|v| (v.lon, v.lat)).collect()
        };
        // Bit for bit: coordinates are written with Rust's shortest round-trip form.
        assert_eq!(xy(&a.vertices), xy(&b.vertices), "{}", a.name);
    }
    // GPX carries the same lines.
    let gpx = dir.path().join("corridor.gpx");
    assert_eq!(export(&example(), "gpx", &gpx).code, Some(0));
    let back = read_lines_file(&gpx).expect("our GPX reads back");
    assert_eq!(back.alignments.len(), original.alignments.len());
    assert_eq!(
        back.alignments[0].vertices,
        original.alignments[0]
            .vertices
            .iter()
            .map(|v| corridor_domain::plan::scenario::Vertex::new(v.lon, v.lat))
            .collect::<Vec<_>>()
    );
}

#[test]
fn vertex_csv_chainage_is_the_geodesic_distance_along_the_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = dir.path().join("equator.geojson");
    // East along the equator 1°, then north along the meridian 1°.
    std::fs::write(
        &scenario,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Equator, then north"},
        "geometry":{"type":"LineString","coordinates":[[0,0],[1,0],[1,1]]}}]}"#,
    )
    .expect("write fixture");
    let out = dir.path().join("vertices.csv");
    let run = export(&scenario, "csv", &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let text = std::fs::read_to_string(&out).expect("written");
    // GeographicLib 2.x (Python `geographiclib`, Geodesic.WGS84.Inverse):
    // (0,0)→(0,1) lat/lon = 111319.49079327357 m along the equator;
    // (0,1)→(1,1) = 110574.38855779878 m along the meridian.
    assert_eq!(
        text,
        "alternative,vertex,lon,lat,chainage_m\r\n\
         \"Equator, then north\",1,0,0,0.000\r\n\
         \"Equator, then north\",2,1,0,111319.491\r\n\
         \"Equator, then north\",3,1,1,221893.879\r\n"
    );
    // GDAL reads it as a CSV with three rows.
    let summary = ogrinfo(&["-ro", "-so", out.to_str().expect("UTF-8"), "vertices"]);
    assert_eq!(feature_count(&summary), 3, "{summary}");
}

#[test]
fn bad_arguments_are_one_line_exit_1_and_leave_the_existing_file_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keep = dir.path().join("keep.kml");
    std::fs::write(&keep, "precious").expect("write");
    let broken = dir.path().join("broken.geojson");
    std::fs::write(
        &broken,
        "{\"type\":\"FeatureCollection\",\n\"features\": [}",
    )
    .expect("write");
    let empty = dir.path().join("empty.geojson");
    std::fs::write(&empty, r#"{"type":"FeatureCollection","features":[]}"#).expect("write");
    let missing_dir = dir.path().join("nowhere/out.kml");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                example().display().to_string(),
                "--format".into(),
                "shp".into(),
                "--out".into(),
                keep.display().to_string(),
            ],
            "unknown; use kml, gpkg, gpx or csv",
        ),
        (
            vec![
                example().display().to_string(),
                "--format".into(),
                "gpx".into(),
                "--out".into(),
                keep.display().to_string(),
            ],
            "a .kml name holds KML, but --format is gpx",
        ),
        (
            vec![
                broken.display().to_string(),
                "--format".into(),
                "kml".into(),
                "--out".into(),
                keep.display().to_string(),
            ],
            "broken.geojson: line 2",
        ),
        (
            vec![
                dir.path().join("missing.geojson").display().to_string(),
                "--format".into(),
                "kml".into(),
                "--out".into(),
                keep.display().to_string(),
            ],
            "not found",
        ),
        (
            vec![
                example().display().to_string(),
                "--format".into(),
                "kml".into(),
                "--out".into(),
                dir.path().display().to_string(),
            ],
            "is a folder",
        ),
        (
            vec![
                example().display().to_string(),
                "--format".into(),
                "kml".into(),
                "--out".into(),
                missing_dir.display().to_string(),
            ],
            "does not exist",
        ),
        (
            vec![
                example().display().to_string(),
                "--format".into(),
                "csv".into(),
                "--out".into(),
                example().display().to_string(),
            ],
            "is the scenario itself",
        ),
        (
            vec![
                empty.display().to_string(),
                "--format".into(),
                "kml".into(),
                "--out".into(),
                keep.display().to_string(),
            ],
            "empty.geojson: no alternatives to export",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["export"];
        all.extend(args.iter().map(String::as_str));
        let run = atlas(&all);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert_eq!(
            std::fs::read_to_string(&keep).expect("still there"),
            "precious"
        );
    }
    assert!(!missing_dir.exists());
    // The example is untouched by the refused self-overwrite.
    assert!(load(&example()).is_ok());
}
