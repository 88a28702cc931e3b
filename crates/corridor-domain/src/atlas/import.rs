//! Importing a user's GeoJSON or GeoJSONSeq file as a layer, in parts, in the background.
//!
//! A large file (an OpenStreetMap rail extract is ~100 MB) is streamed
//! ([`crate::data::geojson_stream`]) and cut into *parts* of about [`PART_BYTES`] of input; each
//! part becomes a [`Layer`] of its own (styles, level of detail, R-trees) with the same id as
//! the others, and is handed over as soon as it is built. So the map shows features before
//! the load finishes, nothing is ever re-indexed as more arrives, and parts are shared
//! (`Arc`) by the atlas and the tile renderer without copies.
//!
//! Parsing and building overlap: one thread reads and parses, another builds the previous
//! part's layer. The first part is small so that something shows within a fraction of a
//! second.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use crate::data::feature::Feature;
use crate::data::file::{CheckedFile, STREAM_LIMIT_BYTES};
use crate::data::geojson_io::GeoJsonError;
use crate::data::geojson_stream::{StreamError, StreamFormat, StreamProgress, stream_features};
use crate::map::layer::{Layer, LayerKind, rail_vote};

/// Input bytes per part after the first.
pub const PART_BYTES: u64 = 8 << 20;
/// Input bytes of the first part: small, so the first features show at once.
pub const FIRST_PART_BYTES: u64 = 1 << 20;
/// Input bytes between progress batches from the parser.
const BATCH_BYTES: usize = 256 << 10;

/// Why an import failed. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: cancelled")]
    Cancelled { file: String },
    #[error("{file}: {message}")]
    Io { file: String, message: String },
    #[error("{file}: {error}")]
    GeoJson { file: String, error: GeoJsonError },
}

/// What an import read.
#[derive(Clone, Debug)]
pub struct ImportSummary {
    pub format: StreamFormat,
    pub features: usize,
    pub parts: usize,
    pub bytes: u64,
    pub seconds: f64,
}

/// Names an imported layer: its id (the same for every part) and title.
#[derive(Clone, Debug)]
pub struct ImportTarget {
    pub id: String,
    pub title: String,
}

impl ImportTarget {
    /// The id and title the app uses for a file: `import:<path>` and the file name.
    #[must_use]
    pub fn for_path(path: &Path) -> Self {
        let title = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Self {
            id: format!("import:{}", path.display()),
            title,
        }
    }
}

/// Import `path` as layer parts, calling `on_part` with each built part in file order.
///
/// `progress` is shared with the UI: bytes and features so far, and the cancel flag. After a
/// cancel or an error no further part is delivered, and the caller should drop the parts it
/// already has (an import is all or nothing).
///
/// The file is opened by [`CheckedFile::open_stream`]: a FIFO is read as it is written (the
/// app imports on a worker the user can cancel); see [`import_regular_file`] for the command
/// line, where a FIFO without a writer would hang.
pub fn import_file(
    path: &Path,
    target: &ImportTarget,
    progress: &StreamProgress,
    on_part: impl FnMut(Layer) + Send,
) -> Result<ImportSummary, ImportError> {
    import_opened(path, true, target, progress, on_part)
}

/// [`import_file`] for regular files only: a FIFO, device, socket or directory is refused
/// before anything is read (the command line's `inspect` and `suggest --track`).
pub fn import_regular_file(
    path: &Path,
    target: &ImportTarget,
    progress: &StreamProgress,
    on_part: impl FnMut(Layer) + Send,
) -> Result<ImportSummary, ImportError> {
    import_opened(path, false, target, progress, on_part)
}

fn import_opened(
    path: &Path,
    allow_fifo: bool,
    target: &ImportTarget,
    progress: &StreamProgress,
    on_part: impl FnMut(Layer) + Send,
) -> Result<ImportSummary, ImportError> {
    let file_name = path.display().to_string();
    let io = |message: String| ImportError::Io {
        file: file_name.clone(),
        message,
    };
    let file = if allow_fifo {
        CheckedFile::open_stream(path, STREAM_LIMIT_BYTES)
    } else {
        CheckedFile::open(path, STREAM_LIMIT_BYTES)
    }
    .map_err(|e| io(e.to_string()))?;
    let total = file.len_bytes;
    progress.bytes_total.store(total, Ordering::Relaxed);
    import_reader(file, target, progress, on_part).map_err(|e| match e {
        StreamError::Cancelled => ImportError::Cancelled {
            file: file_name.clone(),
        },
        StreamError::Io(message) => io(message),
        StreamError::GeoJson(error) => ImportError::GeoJson {
            file: file_name.clone(),
            error,
        },
    })
}

/// [`import_file`] from any reader (tests, benchmarks, stdin).
pub fn import_reader(
    reader: impl std::io::Read,
    target: &ImportTarget,
    progress: &StreamProgress,
    mut on_part: impl FnMut(Layer) + Send,
) -> Result<ImportSummary, StreamError> {
    let started = Instant::now();
    // One part in flight at a time: the parser runs at most one part ahead of the builder,
    // which bounds memory to the loaded parts plus two.
    let (tx, rx) = sync_channel::<Vec<Feature>>(1);
    std::thread::scope(|scope| {
        let builder = scope.spawn(move || {
            let mut parts = 0;
            // Every part of one file is track or none is: decided on the first part with lines.
            let mut is_track: Option<bool> = None;
            for features in rx {
                if progress.cancel.load(Ordering::Relaxed) {
                    continue; // drain without building: the import is being dropped
                }
                if is_track.is_none() {
                    is_track = rail_vote(&features);
                }
                on_part(Layer::with_track(
                    LayerKind::Imported,
                    target.id.clone(),
                    target.title.clone(),
                    "imported",
                    features,
                    is_track == Some(true),
                ));
                parts += 1;
            }
            parts
        });
        let mut pending: Vec<Feature> = Vec::new();
        let mut cut_at = 0_u64;
        let mut sent = 0_usize;
        let mut features = 0_usize;
        let result = stream_features(reader, progress, BATCH_BYTES, |batch| {
            features += batch.features.len();
            pending.extend(batch.features);
            let read = progress.bytes_read.load(Ordering::Relaxed);
            let target_bytes = if sent == 0 {
                FIRST_PART_BYTES
            } else {
                PART_BYTES
            };
            if read.saturating_sub(cut_at) >= target_bytes && !pending.is_empty() {
                cut_at = read;
                sent += 1;
                tx.send(std::mem::take(&mut pending))
                    .map_err(|_| StreamError::Io("the layer builder stopped".into()))?;
            }
            Ok(())
        });
        let summary = result.and_then(|summary| {
            if !pending.is_empty() {
                tx.send(std::mem::take(&mut pending))
                    .map_err(|_| StreamError::Io("the layer builder stopped".into()))?;
            }
            Ok(summary)
        });
        drop(tx);
        let parts = builder
            .join()
            .map_err(|_| StreamError::Io("building the layer failed".into()))?;
        let summary = summary?;
        if progress.cancel.load(Ordering::Relaxed) {
            return Err(StreamError::Cancelled);
        }
        Ok(ImportSummary {
            format: summary.format,
            features,
            parts,
            bytes: summary.bytes,
            seconds: started.elapsed().as_secs_f64(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::geojson_io::parse_features;
    use std::fmt::Write as _;
    use std::sync::atomic::AtomicBool;

    /// A FeatureCollection of `n` short lines, one per line of text.
    fn collection(n: usize) -> String {
        let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
        for i in 0..n {
            let lon = 60.0 + (i % 100) as f64 * 0.1;
            let lat = 30.0 + (i / 100) as f64 * 0.1;
            let _ = writeln!(
                s,
                "{}{{\"type\":\"Feature\",\"properties\":{{\"railway\":\"rail\",\"name\":\"L{i}\"}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[[{lon},{lat}],[{},{}],[{},{lat}]]}}}}",
                if i == 0 { "" } else { "," },
                lon + 0.03,
                lat + 0.02,
                lon + 0.05
            );
        }
        s.push_str("]}\n");
        s
    }

    fn target() -> ImportTarget {
        ImportTarget {
            id: "import:test".into(),
            title: "test".into(),
        }
    }

    #[test]
    fn parts_together_hold_exactly_the_features_of_a_plain_parse() {
        let text = collection(40_000); // ~5 MB: a small first part, then a second
        let progress = StreamProgress::default();
        let mut parts = Vec::new();
        let summary = import_reader(text.as_bytes(), &target(), &progress, |l| parts.push(l))
            .expect("imports");
        let plain = parse_features(&text).expect("valid");
        assert!(parts.len() >= 2, "{} parts", parts.len());
        assert_eq!(summary.parts, parts.len());
        assert_eq!(summary.features, plain.features.len());
        let imported: Vec<&Feature> = parts.iter().flat_map(|l| l.features.iter()).collect();
        assert_eq!(imported.len(), plain.features.len());
        for (a, b) in imported.iter().zip(&plain.features) {
            assert_eq!(*a, b);
        }
        assert!(parts.iter().all(|l| l.id == "import:test" && l.is_track));
        assert_eq!(
            progress.bytes_read.load(Ordering::Relaxed),
            text.len() as u64
        );
    }

    #[test]
    fn the_whole_file_is_track_when_its_first_lines_are() {
        // Rail-tagged ways first, then (later parts) untagged ones: one decision for the file,
        // so tracing and the ledger never see half an import.
        let tagged = collection(40_000);
        let untagged = tagged.replacen("\"railway\":\"rail\",", "", 39_000);
        let text = untagged.replacen("\"name\":", "\"railway\":\"rail\",\"name\":", 1_000);
        let parts_of = |text: &str| {
            let mut parts = Vec::new();
            import_reader(
                text.as_bytes(),
                &target(),
                &StreamProgress::default(),
                |l| {
                    parts.push(l);
                },
            )
            .expect("imports");
            parts
        };
        let parts = parts_of(&text);
        assert!(parts.len() >= 2, "{} parts", parts.len());
        assert_eq!(rail_vote(&parts[parts.len() - 1].features), Some(false));
        assert!(parts.iter().all(|l| l.is_track));

        let parts = parts_of(&tagged.replace("\"railway\":\"rail\",", ""));
        assert!(parts.iter().all(|l| !l.is_track));
    }

    #[test]
    fn a_cancel_stops_delivering_parts() {
        let text = collection(40_000);
        let progress = StreamProgress::default();
        let cancel: &AtomicBool = &progress.cancel;
        let mut delivered = 0;
        let result = import_reader(text.as_bytes(), &target(), &progress, |_| {
            delivered += 1;
            cancel.store(true, Ordering::Relaxed);
        });
        assert!(matches!(result, Err(StreamError::Cancelled)), "{result:?}");
        assert_eq!(delivered, 1, "nothing after the cancel");
    }

    #[test]
    fn a_bad_feature_deep_in_the_file_names_file_line_and_column() {
        let mut text = collection(30_000);
        let marker = "\"name\":\"L29000\"";
        let at = text.find(marker).expect("marker");
        // Make feature 29000's first latitude 95.
        let coords = text[at..].find("[[").expect("coords") + at;
        let comma = text[coords..].find(',').expect("comma") + coords;
        let end = text[comma..].find(']').expect("end") + comma;
        text.replace_range(comma + 1..end, "95");
        let line = text[..at].matches('\n').count() + 1;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bad.geojson");
        std::fs::write(&path, &text).expect("write");
        let progress = StreamProgress::default();
        let mut parts = 0;
        let err = import_file(&path, &target(), &progress, |_| parts += 1).expect_err("bad");
        let message = err.to_string();
        assert!(
            message.starts_with(&path.display().to_string()),
            "{message}"
        );
        assert!(
            message.contains(&format!("line {line}, column ")),
            "{message}"
        );
        assert!(message.contains("latitude 95"), "{message}");
        assert!(parts >= 1, "earlier parts were delivered before the error");
    }

    #[test]
    fn a_missing_file_and_a_directory_are_clear_errors() {
        let progress = StreamProgress::default();
        let err = import_file(
            Path::new("/nonexistent/rail.geojson"),
            &target(),
            &progress,
            |_| {},
        )
        .expect_err("missing");
        assert!(
            err.to_string().contains("/nonexistent/rail.geojson"),
            "{err}"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let err = import_file(dir.path(), &target(), &progress, |_| {}).expect_err("dir");
        assert!(err.to_string().contains("directory"), "{err}");
    }
}
