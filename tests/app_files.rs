#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! Opening files never blocks the window: a named pipe with no writer, a device or a folder
//! given on the command line (or dropped) is looked at on a worker thread, and the status bar
//! says what happened while frames keep coming. Driven with egui_kittest on the real app.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use corridor_atlas::app::AtlasApp;
use egui_kittest::Harness;

/// Fails the whole test binary if the UI thread stops making frames: a frozen frame cannot
/// fail an assertion, so a watchdog thread ends the process with a message instead of letting
/// the test hang for ever.
struct Watchdog(Arc<AtomicBool>);

impl Watchdog {
    fn start(what: &'static str) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&done);
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_mins(1);
            while Instant::now() < deadline {
                if flag.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            eprintln!("FROZEN: the UI thread made no progress: {what}");
            std::process::exit(101);
        });
        Self(done)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Step until the status bar says something containing `needle`, or fail after 30 s.
fn step_until_status(h: &mut Harness<'static, AtlasApp>, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        h.step();
        if let Some(s) = h.state().status_message()
            && s.contains(needle)
        {
            return s.to_owned();
        }
        assert!(
            Instant::now() < deadline,
            "no status with {needle:?}; status is {:?}",
            h.state().status_message()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn opened(path: &Path) -> Harness<'static, AtlasApp> {
    let mut app = common::new_app();
    app.open_when_ready(path.to_path_buf());
    common::harness_for(app, (1280.0, 800.0), Some(12))
}

#[test]
fn a_fifo_given_to_the_open_path_is_refused_at_once_and_frames_keep_running() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("feed.geojson");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let _watchdog = Watchdog::start("opening a FIFO with no writer");
    let mut h = opened(&fifo);
    let status = step_until_status(&mut h, "Could not open");
    assert_eq!(
        status,
        "Could not open feed.geojson: it is a named pipe, not a file (to stream from a pipe, use File > Import GeoJSON layer)"
    );
    // Refused from its metadata: nothing waits for a writer that never comes.
    assert!(
        h.state().imports_in_progress().is_empty(),
        "nothing is being imported"
    );
    let before = Instant::now();
    for _ in 0..20 {
        h.step();
    }
    assert!(before.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_device_given_to_the_open_path_is_refused_with_a_message() {
    let _watchdog = Watchdog::start("opening /dev/zero");
    let mut h = opened(Path::new("/dev/zero"));
    let status = step_until_status(&mut h, "Could not open");
    assert_eq!(
        status,
        "Could not open zero: it is a device or socket, not a file"
    );
}

#[test]
fn a_folder_given_to_the_open_path_is_refused_with_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("maps");
    std::fs::create_dir(&folder).expect("mkdir");
    let _watchdog = Watchdog::start("opening a folder");
    let mut h = opened(&folder);
    let status = step_until_status(&mut h, "Could not open");
    assert_eq!(status, "Could not open maps: it is a folder, not a file");
}
