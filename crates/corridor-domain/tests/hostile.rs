//! The hostile-input corpus (`tests/fixtures/hostile/`): every file gets the same verdict from
//! every reader (whole-file, streamed import, scenario loader), and no message names a Rust
//! type.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use corridor_domain::atlas::import::{ImportTarget, import_file};
use corridor_domain::data::file::{WHOLE_LIMIT_BYTES, read_checked};
use corridor_domain::data::geojson_io::parse_features_bytes;
use corridor_domain::data::geojson_stream::StreamProgress;
use corridor_domain::plan::scenario::io::load;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile")
}

/// The verdict of each reader: `Err(message)` or `Ok(features)`.
fn verdicts(path: &Path) -> [Result<usize, String>; 3] {
    let whole = read_checked(path, WHOLE_LIMIT_BYTES)
        .map_err(|e| e.to_string())
        .and_then(|b| parse_features_bytes(&b).map_err(|e| e.to_string()))
        .map(|p| p.features.len());
    let mut n = 0;
    let streamed = import_file(
        path,
        &ImportTarget::for_path(path),
        &StreamProgress::default(),
        |l| n += l.features.len(),
    )
    .map(|_| n)
    .map_err(|e| e.to_string());
    let scenario = load(path)
        .map(|s| s.alignments.len())
        .map_err(|e| e.to_string());
    [whole, streamed, scenario]
}

/// Words that only a Rust programmer could read: none may reach a user.
const RUST_WORDS: [&str; 9] = [
    "struct ", "enum ", "Helper", "Fast", "f32", "f64", "u64", "usize", "Settings",
];

/// Each file of the corpus and a piece of the message every reader must give for it. A
/// `|` separates pieces that must all appear (readers differ in whether a JSON syntax error
/// inside a feature is prefixed with "feature N:").
const EXPECTED: [(&str, &str); 25] = [
    (
        "coordinate-is-a-string.json",
        "line 1, column 134: feature 0: invalid type: string \"11\", expected a number",
    ),
    (
        "duplicate-coordinates.json",
        "the member \"coordinates\" appears twice in one object",
    ),
    (
        "duplicate-features.json",
        "the member \"features\" appears twice in one object",
    ),
    (
        "duplicate-in-foreign-member.json",
        "line 1, column 50: the member \"source\" appears twice in one object",
    ),
    (
        "duplicate-in-unkept-member.json",
        "line 1, column 84: feature 0: the member \"stroke\" appears twice in one object",
    ),
    (
        "duplicate-nested-property.json",
        "line 1, column 110: feature 0: the member \"km\" appears twice in one object",
    ),
    (
        "duplicate-property.json",
        "the member \"name\" appears twice in one object",
    ),
    ("feature-is-a-number.json", "feature 0: "),
    ("features-is-an-object.json", "array"),
    (
        "geometry-is-a-string.json",
        "line 1, column 107: feature 0: invalid type: string \"LINESTRING(1 2, 3 4)\", expected",
    ),
    (
        "infinity.json",
        "line 1, column 132: |-Infinity is not a number JSON allows",
    ),
    (
        "multilinestring-empty-line.json",
        "line 1, column 41: feature 0: an empty array inside the coordinates",
    ),
    ("multipolygon-empty-polygon.json", "feature 0: "),
    (
        "nan.json",
        "line 1, column 131: |NaN is not a number JSON allows",
    ),
    (
        "nul-after-start.json",
        "a NUL byte (0x00) at byte offset 40",
    ),
    (
        "nul-bytes.json",
        "line 1, column 1: not JSON: the file starts with a NUL byte",
    ),
    ("null-document.json", "line 1, column "),
    (
        "null-feature.json",
        "line 1, column 41: feature 0: null is not a Feature",
    ),
    (
        "polygon-no-ring.json",
        "line 1, column 41: feature 0: a polygon needs at least one ring",
    ),
    (
        "properties-is-an-array.json",
        "line 1, column 71: feature 0: invalid type: array, expected an object",
    ),
    (
        "utf16be-bom.json",
        "line 1, column 1: the file is UTF-16 (BE); save it as UTF-8",
    ),
    (
        "utf16le.json",
        "line 1, column 1: the file is UTF-16 (LE); save it as UTF-8",
    ),
    (
        "utf32be.json",
        "line 1, column 1: the file is UTF-32 (BE); save it as UTF-8",
    ),
    (
        "utf32le-bom.json",
        "line 1, column 1: the file is UTF-32 (LE); save it as UTF-8",
    ),
    (
        "xml.json",
        "line 1, column 1: not JSON: the file starts with '<'",
    ),
];

#[test]
fn every_hostile_file_is_refused_by_every_reader_in_the_users_words() {
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus())
        .expect("corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let listed: Vec<String> = EXPECTED.iter().map(|(f, _)| (*f).to_string()).collect();
    assert_eq!(on_disk, listed, "every corpus file has an expected verdict");
    for (file, expected) in EXPECTED {
        for (reader, verdict) in ["whole", "streamed", "scenario"]
            .iter()
            .zip(verdicts(&corpus().join(file)))
        {
            let message = verdict.expect_err(&format!("{reader} refuses {file}"));
            for piece in expected.split('|') {
                assert!(message.contains(piece), "{reader} {file}: {message}");
            }
            // The file's own name may contain "f32" (utf32be.json): check the rest.
            let words = message.rsplit(file).next().unwrap_or_default();
            for word in RUST_WORDS {
                assert!(!words.contains(word), "{reader} {file}: {message}");
            }
        }
    }
}

/// Distance from `p` to segment `a`–`b`, in world units (independent of `geo`).
fn segment_distance(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    };
    (p[0] - a[0] - t * dx).hypot(p[1] - a[1] - t * dy)
}

/// A zigzag long enough to be simplified in runs (and quadratic for plain Douglas–Peucker)
/// keeps every level within the LOD tolerance of the full line, keeps its teeth where they are
/// visible, and a smooth line of the same length still thins at the coarse levels.
#[test]
fn a_long_zigzag_keeps_every_level_within_tolerance_and_smooth_lines_still_thin() {
    use corridor_domain::map::lod::{LOD_TOLERANCE_PX, LOD_ZOOMS};
    use corridor_domain::map::mercator::world_per_px;
    let n = 3_000;
    let line = |amplitude: f64| -> Vec<u8> {
        let coords: Vec<String> = (0..n)
            .map(|i| {
                let t = f64::from(i) / f64::from(n);
                let swing = if i % 2 == 0 { amplitude } else { -amplitude };
                format!("[{},{}]", 60.0 + 10.0 * t, 30.0 + (t * 6.0).sin() + swing)
            })
            .collect();
        format!(
            "{{\"type\":\"LineString\",\"coordinates\":[{}]}}",
            coords.join(",")
        )
        .into_bytes()
    };
    for (amplitude, zigzag) in [(0.01, true), (0.0, false)] {
        let bytes = line(amplitude);
        let mut layers = Vec::new();
        corridor_domain::atlas::import::import_reader(
            &bytes[..],
            &ImportTarget {
                id: "z".into(),
                title: "z".into(),
            },
            &StreamProgress::default(),
            |l| layers.push(l),
        )
        .expect("imports");
        let lod = &layers[0].lod;
        let full: Vec<[f64; 2]> = lod.full().shape(0).lines().next().expect("line").to_vec();
        assert_eq!(full.len(), 3_000);
        for &zoom in &LOD_ZOOMS {
            let kept: Vec<[f64; 2]> = lod.shape(zoom, 0).lines().next().expect("line").to_vec();
            let tolerance = world_per_px(zoom) * LOD_TOLERANCE_PX;
            for p in &full {
                let d = kept
                    .windows(2)
                    .map(|w| segment_distance(*p, w[0], w[1]))
                    .fold(f64::INFINITY, f64::min);
                assert!(d <= tolerance, "zoom {zoom}: {d} > {tolerance}");
            }
            if zigzag && zoom >= 9.0 {
                // 0.01° teeth are ~7 px at zoom 9: every one is visible and kept.
                assert_eq!(kept.len(), full.len(), "zoom {zoom}");
            }
            if !zigzag && zoom <= 5.0 {
                // A gentle sine of 3,000 vertices: a few dozen vertices, plus at most one per
                // run of 256 where long lines are cut.
                assert!(kept.len() < 60, "zoom {zoom}: {}", kept.len());
            }
        }
    }
}
