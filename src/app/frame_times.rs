//! Frame times from the running window, for people chasing lag: with
//! `CORRIDOR_ATLAS_FRAME_TIMES=1` in the environment, the app measures the work of every frame
//! (from the start of `ui` to its end: polling, layout, painting into egui's lists — not the
//! GPU's present) and, every five seconds of frames, writes one line to stderr and shows it in
//! the status bar:
//!
//! `frame times: 212 frames in 5.0 s; work median 3.1 ms, p95 7.9 ms, max 15.2 ms`
//!
//! `scripts/smoke.sh` turns it on while a network imports and prints the last line. Off by
//! default: the clock reads cost nothing then.
//!
//! For input latency it also writes `input frame shown at <unix µs>` when a frame that handled
//! a key press is on screen: at the start of the next frame, which the readout asks for at
//! once, and which eframe begins only after the previous frame was painted and its buffers
//! swapped. `scripts/latency.sh` presses keys with `xdotool` at known wall times and reads how
//! long each took to reach the screen, idle and during an import. (The end of the handling
//! frame's own work would leave out its painting — with software rendering, most of a frame —
//! and the painting of a frame already in progress when the key came.)

use std::time::{Duration, Instant};

/// The environment variable that turns the readout on (any value but `0` or empty).
pub const ENV_VAR: &str = "CORRIDOR_ATLAS_FRAME_TIMES";

/// How long a window of frames is summarised over.
const WINDOW: Duration = Duration::from_secs(5);

/// Frame work times over the current window, and the last window's summary.
#[derive(Debug)]
pub struct FrameTimes {
    enabled: bool,
    window_start: Option<Instant>,
    work_ms: Vec<f64>,
    summary: Option<String>,
    /// The last frame handled a key press: the next frame's start logs it as shown.
    input_pending: bool,
}

impl Default for FrameTimes {
    fn default() -> Self {
        Self::from_env()
    }
}

impl FrameTimes {
    /// On if [`ENV_VAR`] is set to anything but `0` or nothing.
    #[must_use]
    pub fn from_env() -> Self {
        let enabled = std::env::var_os(ENV_VAR).is_some_and(|v| !v.is_empty() && v != "0");
        Self::new(enabled)
    }

    #[must_use]
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            window_start: None,
            work_ms: Vec::new(),
            summary: None,
            input_pending: false,
        }
    }

    /// The start of a frame, if the readout is on. If the previous frame handled a key press,
    /// that frame is on screen by now: log the wall time.
    #[must_use]
    pub fn begin(&mut self) -> Option<Instant> {
        if self.enabled && std::mem::take(&mut self.input_pending) {
            eprintln!("{}", input_line(unix_now_us()));
        }
        self.enabled.then(Instant::now)
    }

    /// The end of the frame begun at `started`; after a full window, log and keep its summary.
    pub fn end(&mut self, started: Option<Instant>) {
        let Some(started) = started else { return };
        let now = Instant::now();
        self.work_ms.push((now - started).as_secs_f64() * 1000.0);
        let window_start = *self.window_start.get_or_insert(started);
        let span = now - window_start;
        if span >= WINDOW {
            if let Some(stats) = Stats::of(&self.work_ms) {
                let line = format!(
                    "frame times: {} frames in {:.1} s; work median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
                    self.work_ms.len(),
                    span.as_secs_f64(),
                    stats.median_ms,
                    stats.p95_ms,
                    stats.max_ms
                );
                eprintln!("{line}");
                self.summary = Some(line);
            }
            self.work_ms.clear();
            self.window_start = Some(now);
        }
    }

    /// After a frame's work: if it handled a key press, the next frame (asked for now, so it
    /// follows the painting at once) logs when it was shown.
    pub fn note_input(&mut self, ctx: &egui::Context, handled_key_press: bool) {
        if self.enabled && handled_key_press {
            self.input_pending = true;
            ctx.request_repaint();
        }
    }

    /// The last window's line, for the on-screen readout.
    #[must_use]
    pub fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }
}

/// Wall time in µs since the Unix epoch (an outside script compares it with its send times).
fn unix_now_us() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros())
}

/// The log line of a key press's frame shown at `unix_us`.
fn input_line(unix_us: u128) -> String {
    format!("input frame shown at {unix_us}")
}

/// Median, 95th percentile (nearest rank) and maximum of a set of times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub median_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
}

impl Stats {
    /// `None` for no samples.
    #[must_use]
    pub fn of(samples_ms: &[f64]) -> Option<Self> {
        let mut sorted: Vec<f64> = samples_ms
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        // Nearest rank: the smallest value with at least p·n samples at or below it.
        let rank = |p: f64| sorted[((p * n as f64).ceil() as usize).clamp(1, n) - 1];
        let median_ms = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])
        };
        Some(Self {
            median_ms,
            p95_ms: rank(0.95),
            max_ms: sorted[n - 1],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_p95_and_max_by_hand() {
        // 1..=20 ms: median (10 + 11) / 2; p95 by nearest rank is the 19th value.
        let samples: Vec<f64> = (1..=20).rev().map(f64::from).collect();
        assert_eq!(
            Stats::of(&samples),
            Some(Stats {
                median_ms: 10.5,
                p95_ms: 19.0,
                max_ms: 20.0
            })
        );
        // An odd count: the middle value; one sample: itself three times.
        assert_eq!(Stats::of(&[5.0, 1.0, 3.0]).map(|s| s.median_ms), Some(3.0));
        assert_eq!(
            Stats::of(&[4.0]),
            Some(Stats {
                median_ms: 4.0,
                p95_ms: 4.0,
                max_ms: 4.0
            })
        );
        assert_eq!(Stats::of(&[]), None);
        assert_eq!(Stats::of(&[f64::NAN]), None);
    }

    #[test]
    fn off_means_no_clock_and_no_summary() {
        let mut t = FrameTimes::new(false);
        let started = t.begin();
        assert!(started.is_none());
        t.end(started);
        assert!(t.summary().is_none());
    }

    #[test]
    fn the_input_line_is_what_the_latency_script_parses() {
        // scripts/latency.sh: awk '/^input frame shown at / { print $5 }'
        let line = input_line(1_764_000_000_123_456);
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields[..4], ["input", "frame", "shown", "at"]);
        assert_eq!(fields[4], "1764000000123456");
    }

    /// A frame that handled a key press asks for the next frame at once, and that frame's
    /// start (after the painting) is when the press counts as shown; a frame without a press
    /// leaves nothing pending.
    #[test]
    fn a_key_press_is_shown_by_the_next_frame() {
        let ctx = egui::Context::default();
        let mut t = FrameTimes::new(true);
        let _ = t.begin();
        t.note_input(&ctx, false);
        assert!(!t.input_pending);
        t.note_input(&ctx, true);
        assert!(t.input_pending);
        assert!(ctx.has_requested_repaint(), "the next frame is asked for");
        let _ = t.begin();
        assert!(!t.input_pending, "logged once, by the next frame");
        // Off: nothing is kept pending.
        let mut off = FrameTimes::new(false);
        off.note_input(&ctx, true);
        assert!(!off.input_pending);
    }

    #[test]
    fn a_full_window_gives_a_summary_line() {
        let mut t = FrameTimes::new(true);
        let long_ago = Instant::now().checked_sub(WINDOW + Duration::from_millis(10));
        t.window_start = long_ago;
        let started = t.begin();
        t.end(started);
        let line = t.summary().expect("a window has passed");
        assert!(line.starts_with("frame times: 1 frames in "), "{line}");
        assert!(line.contains("work median"), "{line}");
    }
}
