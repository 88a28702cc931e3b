//! The export formats by name, and the one function that turns a scenario into an export's
//! bytes: the ledgers are computed here with the scenario's settings (the same
//! `compute_ledger` Compare and `corridor-atlas compare` call), then handed to the writer.

use crate::measure::ledger::{Ledger, LedgerContext, LedgerSettings, compute_ledger};
use crate::plan::scenario::model::Scenario;

use super::error::ExchangeError;
use super::gpkg::to_gpkg;
use super::gpx::to_gpx;
use super::kml::to_kml;
use super::table::ExportTable;
use super::vertices_csv::to_vertices_csv;

/// A format alternatives can be exported to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// KML 2.2 (Google Earth), styled.
    Kml,
    /// OGC GeoPackage (QGIS, GDAL).
    Gpkg,
    /// GPX 1.1 tracks.
    Gpx,
    /// CSV of every vertex with its chainage.
    Csv,
}

impl ExportFormat {
    /// Every format, in menu order.
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Kml,
        ExportFormat::Gpkg,
        ExportFormat::Gpx,
        ExportFormat::Csv,
    ];

    /// The file extension (no dot).
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Kml => "kml",
            ExportFormat::Gpkg => "gpkg",
            ExportFormat::Gpx => "gpx",
            ExportFormat::Csv => "csv",
        }
    }

    /// The name people know it by.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Kml => "KML",
            ExportFormat::Gpkg => "GeoPackage",
            ExportFormat::Gpx => "GPX",
            ExportFormat::Csv => "CSV (vertices)",
        }
    }

    /// The bytes of `table` in this format.
    pub fn write(self, table: &ExportTable) -> Result<Vec<u8>, ExchangeError> {
        match self {
            ExportFormat::Kml => to_kml(table),
            ExportFormat::Gpkg => to_gpkg(table),
            ExportFormat::Gpx => to_gpx(table),
            ExportFormat::Csv => to_vertices_csv(table),
        }
    }
}

/// The export table of every alternative of `scenario`, with each ledger computed against
/// `ctx` with `settings`.
#[must_use]
pub fn scenario_table(
    title: &str,
    scenario: &Scenario,
    ctx: &LedgerContext,
    settings: &LedgerSettings,
) -> ExportTable {
    let ledgers: Vec<Ledger> = scenario
        .alignments
        .iter()
        .map(|a| {
            let vertices: Vec<(f64, f64)> = a.vertices.iter().map(|v| (v.lon, v.lat)).collect();
            compute_ledger(&vertices, a.gauge_mm, ctx, settings)
        })
        .collect();
    let pairs: Vec<_> = scenario.alignments.iter().zip(&ledgers).collect();
    ExportTable::new(title, &pairs)
}
