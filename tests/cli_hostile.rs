//! The command line against a hostile outside world: closed pipes, full disks, devices and
//! FIFOs named as files, absurd numbers and absurd lines. Every case ends quickly with one
//! message on stderr and a failing exit status, never a panic (exit 101) or a hang.
// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Output {
    status: Option<i32>,
    stderr: String,
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_corridor-atlas"));
    c.stdin(Stdio::null()).stderr(Stdio::piped());
    c
}

/// Waits for `child`, killing it (and failing) after `limit`.
fn finish(mut child: Child, limit: Duration, what: &str) -> Output {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut stderr = String::new();
            if let Some(mut e) = child.stderr.take() {
                e.read_to_string(&mut stderr).expect("stderr");
            }
            return Output {
                status: status.code(),
                stderr,
            };
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn run(args: &[&str], stdout: Stdio, limit: Duration) -> Output {
    let child = bin()
        .args(args)
        .stdout(stdout)
        .spawn()
        .expect("spawn corridor-atlas");
    finish(child, limit, &args.join(" "))
}

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
        .display()
        .to_string()
}

fn assert_failed_with(out: &Output, needle: &str) {
    assert_eq!(out.status, Some(1), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(out.stderr.contains(needle), "{}", out.stderr);
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
}

#[test]
fn a_closed_pipe_is_one_message_and_exit_1() {
    let file = fixture("cli/corridor.geojson");
    // The reader is gone before the child starts (`| true` that has already exited): closing
    // it after spawning would race a fast child that fills the pipe buffer and exits 0.
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let child = bin()
        .args(["inspect", &file])
        .stdout(Stdio::from(writer))
        .spawn()
        .expect("spawn");
    let out = finish(child, Duration::from_mins(1), "inspect | true");
    assert_failed_with(&out, "corridor-atlas inspect: cannot write the output");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_one_message_and_exit_1_for_every_printing_subcommand() {
    let full = || std::fs::File::create("/dev/full").expect("/dev/full");
    let corridor = fixture("cli/corridor.geojson");
    let scenario = fixture("scenario/rich_scenario.geojson");
    let story = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples/corridor-options.geojson")
        .display()
        .to_string();
    let dir = tempfile::tempdir().expect("tmp");
    let net = dir.path().join("net.geojson").display().to_string();
    let slide = dir.path().join("slide.png").display().to_string();
    let kml = dir.path().join("export.kml").display().to_string();
    let cases: [(&str, Vec<&str>); 6] = [
        ("inspect", vec!["inspect", &corridor]),
        ("measure", vec!["measure", &corridor]),
        ("compare", vec!["compare", &scenario]),
        (
            "export",
            vec!["export", &scenario, "--format", "kml", "--out", &kml],
        ),
        (
            "generate-network",
            vec![
                "generate-network",
                "--features",
                "2",
                "--vertices",
                "10",
                "-o",
                &net,
            ],
        ),
        (
            "render",
            vec![
                "render", &story, "--slide", "1", "--out", &slide, "--size", "64x36",
            ],
        ),
    ];
    for (name, args) in cases {
        let out = run(&args, full().into(), Duration::from_mins(2));
        assert_failed_with(
            &out,
            &format!("corridor-atlas {name}: cannot write the output"),
        );
    }
}

#[cfg(unix)]
#[test]
fn devices_fifos_and_directories_are_refused_at_once_by_every_reader() {
    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("fifo.geojson");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let fifo = fifo.display().to_string();
    let folder = dir.path().display().to_string();
    for (path, kind) in [
        ("/dev/zero", "is a character device, not a regular file"),
        ("/dev/urandom", "is a character device, not a regular file"),
        (fifo.as_str(), "is a FIFO, not a regular file"),
        (folder.as_str(), "directory"),
    ] {
        for command in ["inspect", "measure", "compare"] {
            let out = run(&[command, path], Stdio::null(), Duration::from_secs(20));
            assert_failed_with(&out, kind);
            assert!(out.stderr.contains(path), "{}", out.stderr);
        }
        let out_kml = dir.path().join("out.kml").display().to_string();
        let export = ["export", path, "--format", "kml", "--out", &out_kml];
        let out = run(&export, Stdio::null(), Duration::from_secs(20));
        assert_failed_with(&out, kind);
        assert!(out.stderr.contains(path), "{}", out.stderr);
    }
}

#[test]
fn absurd_network_sizes_are_refused_before_the_output_is_touched() {
    let dir = tempfile::tempdir().expect("tmp");
    let existing = dir.path().join("keep.geojson");
    std::fs::write(&existing, "precious").expect("write");
    let absent = dir.path().join("absent.geojson");
    for (features, vertices) in [
        ("10", "9223372036854775808"),
        ("10", "10000000000"),
        ("10", "18446744073709551615"),
        ("10", "50000001"),
        ("10", "1"),
        ("0", "100"),
        ("100", "150"),
    ] {
        for out_file in [&existing, &absent] {
            let out = run(
                &[
                    "generate-network",
                    "--features",
                    features,
                    "--vertices",
                    vertices,
                    "-o",
                    &out_file.display().to_string(),
                ],
                Stdio::null(),
                Duration::from_secs(20),
            );
            assert!(
                matches!(out.status, Some(1 | 2)),
                "{features} {vertices}: {:?} {}",
                out.status,
                out.stderr
            );
            assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
            assert!(
                out.stderr.contains("--vertices") || out.stderr.contains("--features"),
                "{}",
                out.stderr
            );
        }
        assert_eq!(
            std::fs::read_to_string(&existing).expect("kept"),
            "precious"
        );
        assert!(!absent.exists(), "{features} {vertices} created the output");
    }
}

#[test]
fn a_coordinate_out_of_range_is_named_as_such() {
    let dir = tempfile::tempdir().expect("tmp");
    let out_file = dir.path().join("s.geojson").display().to_string();
    let out = run(
        &[
            "suggest", "--from", "200,100", "--to", "Kabul", "--out", &out_file,
        ],
        Stdio::null(),
        Duration::from_secs(20),
    );
    assert_eq!(out.status, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("200,100 is out of range: longitude 200 is not within -180..180"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("no place called"), "{}", out.stderr);
}

/// A `LineString` of `n` vertices alternating between two far points.
fn zigzag_scenario(n: usize) -> String {
    let coords: Vec<String> = (0..n)
        .map(|i| if i % 2 == 0 { "[-170,-80]" } else { "[170,80]" }.to_string())
        .collect();
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"properties\":{{\"name\":\"zig\"}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[{}]}}}}]}}",
        coords.join(",")
    )
}

#[test]
fn compare_refuses_a_line_that_is_not_a_railway_quickly() {
    let dir = tempfile::tempdir().expect("tmp");
    let path: PathBuf = dir.path().join("zigzag.geojson");
    std::fs::write(&path, zigzag_scenario(50_000)).expect("write");
    let path = path.display().to_string();
    let started = Instant::now();
    let out = run(&["compare", &path], Stdio::null(), Duration::from_mins(1));
    assert_failed_with(&out, "not a railway");
    // 49,999 legs of ~19,900 km each (between (-170,-80) and (170,80), nearly antipodal).
    assert!(out.stderr.contains(" million km long"), "{}", out.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}
