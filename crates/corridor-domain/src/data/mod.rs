//! Data in and out, the lowest layer: GeoJSON read whole ([`geojson_io`]) or streamed
//! ([`geojson_stream`]), a feature's properties, the elevation grid format. Depends on nothing
//! else in the crate. Files from users are opened through [`file`] (bounded, regular files
//! only, sniffed before they are parsed).

pub mod elevation;
pub mod feature;
pub mod file;
mod geojson_fast;
pub mod geojson_io;
pub mod geojson_stream;
mod json_checked;
pub mod json_exact;
pub mod properties;
