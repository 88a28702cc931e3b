//! `corridor-atlas suggest` as a user runs it: the built binary, a real output file, exit
//! codes and messages.
#![allow(clippy::expect_used, clippy::unwrap_used)] // reason: a failed expectation is the test's message

use std::process::{Command, Output};

use corridor_atlas::domain::scenario::{AlignmentStatus, SnapRef, load};

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
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with("Suggested 1: ") && lines[0].contains(" km on existing track, US$"),
        "{stdout}"
    );
    let scenario = load(&out).expect("the file loads as a scenario");
    assert_eq!(scenario.alignments.len(), 2);
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
