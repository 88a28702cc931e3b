//! What every part of scenario file handling shares: the format's constants and the error
//! type whose messages name the file.

use std::io;
use std::path::Path;

/// The top-level member holding scenario-wide data.
pub const APP_MEMBER: &str = "corridor_atlas";

/// The newest format version this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// Line width written for alignments that do not carry their own `stroke-width`.
pub const DEFAULT_STROKE_WIDTH_PX: f64 = 3.0;

/// Why a scenario could not be read or written. Every message starts with the file.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{file}: file not found")]
    NotFound { file: String },
    #[error("{file}: permission denied")]
    PermissionDenied { file: String },
    #[error("{file}: is a directory, not a scenario file")]
    IsDirectory { file: String },
    #[error("{file}: the file is empty")]
    Empty { file: String },
    /// The text is not a valid scenario: bad JSON, not `GeoJSON`, invalid coordinates, ...
    #[error("{file}: line {line}, column {column}: {message}")]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: cannot read: {source}")]
    Read { file: String, source: io::Error },
    #[error("{file}: cannot save: {source}")]
    Write { file: String, source: io::Error },
}

/// How a path is named in messages.
pub(super) fn label(path: &Path) -> String {
    path.display().to_string()
}
