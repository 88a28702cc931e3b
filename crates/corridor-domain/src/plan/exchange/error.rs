//! What can go wrong writing an export or reading a KML/GPX file.

/// An export that could not be built, or a KML/GPX file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// Building the bytes in memory failed (the XML writer or SQLite said why).
    #[error("cannot build the {format} export: {reason}")]
    Build {
        format: &'static str,
        reason: String,
    },
    /// The file is not well-formed XML, or not the KML/GPX we read; `line`/`column` are
    /// 1-based and point at the fault.
    #[error("{file}:{line}:{column}: {reason}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        reason: String,
    },
    /// The file is readable but holds nothing we can turn into an alternative.
    #[error("{file}: {reason}")]
    Content { file: String, reason: String },
}

impl ExchangeError {
    /// A build error of `format` from anything that says why.
    pub fn build(format: &'static str, reason: impl std::fmt::Display) -> Self {
        ExchangeError::Build {
            format,
            reason: reason.to_string(),
        }
    }
}
