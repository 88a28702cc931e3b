//! Everything that is not drawing. Nothing in here may depend on egui, eframe or walkers:
//! `cargo check --lib --no-default-features` proves it in CI.

pub mod basemap;
pub mod bundled;
pub mod elevation;
pub mod feature;
pub mod geojson_io;
pub mod geojson_stream;
pub mod import;
pub mod index;
pub mod labels;
pub mod layer;
pub mod ledger;
pub mod lod;
pub mod measure;
pub mod mercator;
pub mod netgen;
pub mod properties;
pub mod render;
pub mod ruler;
pub mod scenario;
pub mod snap;
pub mod style;
pub mod suggest;
pub mod trace;

pub use bundled::{Atlas, LoadProgress};
pub use feature::Feature;
pub use geojson_io::{GeoJsonError, parse_features};
pub use layer::{FeatureRef, Layer, LayerKind};
