//! Every vertex of every alternative with its geodesic chainage: one row per vertex
//! (`alternative,vertex,lon,lat,chainage_m`), RFC 4180 with CRLF through the `csv` crate,
//! for spreadsheets and for tools that only take points.

use super::error::ExchangeError;
use super::table::ExportTable;

/// The header, in column order.
pub const VERTEX_COLUMNS: [&str; 5] = ["alternative", "vertex", "lon", "lat", "chainage_m"];

/// The vertices of every record as CSV. `vertex` counts from 1 within each alternative;
/// `chainage_m` is the ledger's WGS84 geodesic distance along the line, to the millimetre.
pub fn to_vertices_csv(table: &ExportTable) -> Result<Vec<u8>, ExchangeError> {
    let build = |e: csv::Error| ExchangeError::build("CSV", e);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(VERTEX_COLUMNS).map_err(build)?;
    for r in &table.records {
        for (i, (lon, lat)) in r.coords.iter().enumerate() {
            let chainage = r
                .vertex_chainage_m
                .get(i)
                .map(|c| format!("{c:.3}"))
                .unwrap_or_default();
            w.write_record([
                r.name.clone(),
                (i + 1).to_string(),
                lon.to_string(),
                lat.to_string(),
                chainage,
            ])
            .map_err(build)?;
        }
    }
    w.into_inner()
        .map_err(|e| ExchangeError::build("CSV", e.error()))
}
