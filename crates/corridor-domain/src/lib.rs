//! The domain of Corridor Atlas: geodata, spatial index, alignments, measurement, the corridor
//! ledger, scenario files, undo history, suggestions and headless drawing.
//!
//! Nothing in this crate depends on a GUI or HTTP crate (its `Cargo.toml` is the proof); the
//! desktop app (`corridor_atlas::app`) and the command line (`corridor_atlas::cli`) both call
//! it, so they always agree.
//!
//! The modules are layered, lowest first; a module imports only from its own layer or the
//! layers below it (see `ARCHITECTURE.md`):
//!
//! 1. [`data`]: data in and out — GeoJSON reading (whole and streamed), feature properties,
//!    the elevation grid format.
//! 2. [`rail`]: the one rail vocabulary — status, gauge, what counts as track and how it is
//!    costed.
//! 3. [`map`]: the map model — Mercator, styles, spatial index, level of detail, labels,
//!    layers.
//! 4. [`atlas`]: the bundled atlas and user imports, loaded into layers.
//! 5. [`measure`]: geodesic measurement, the ruler, the corridor ledger.
//! 6. [`plan`]: scenarios and their history, snapping, tracing along track, suggestions.
//! 7. [`draw`]: the embedded basemap and headless slide rendering.

pub mod atlas;
pub mod data;
pub mod draw;
pub mod map;
pub mod measure;
pub mod plan;
pub mod rail;

pub use atlas::bundled::{Atlas, LoadProgress};
pub use data::feature::Feature;
pub use data::geojson_io::{GeoJsonError, parse_features};
pub use map::layer::{FeatureRef, Layer, LayerKind};
