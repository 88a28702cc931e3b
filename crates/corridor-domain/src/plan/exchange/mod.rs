//! Alternatives to and from the formats planners already use (issue 17): KML for Google
//! Earth, GeoPackage for QGIS, GPX for track tools and a CSV of vertices with chainage; KML
//! and GPX lines read back as alternatives.
//!
//! Lowest first: `error`, `xml_text` (what XML 1.0 can hold) and `table` (one record per alternative with its ledger figures,
//! the attributes every format writes) < `kml`, `gpx`, `gpkg`, `vertices_csv` (the writers,
//! each to bytes, so the caller saves atomically) < `format` (`ExportFormat`, computing the
//! ledgers of a scenario); `lines_read` (KML/GPX → scenario) stands beside them.

pub mod error;
pub mod format;
pub mod gpkg;
pub mod gpx;
pub mod kml;
pub mod lines_read;
pub mod table;
pub mod vertices_csv;
pub mod xml_text;

pub use error::ExchangeError;
pub use format::{ExportFormat, scenario_table};
pub use lines_read::{LineFormat, read_lines, read_lines_file};
pub use table::{ExportRecord, ExportTable, Field, FieldKind, FieldValue, LAYER_NAME};
