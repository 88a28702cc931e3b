//! Scenario files: RFC 7946 `GeoJSON` that GitHub, geojson.io, uMap, QGIS and GDAL all read.
//!
//! Each alignment is a `LineString` Feature styled with simplestyle-spec properties (`title`,
//! `stroke`, `stroke-width`, `stroke-opacity`, `description`) plus our own keys
//! (`corridor_atlas_id`, `status`, `gauge_mm`, `vertex_snaps`). Scenario-wide data lives in a
//! top-level foreign member `"corridor_atlas": {"version": 1, "settings": {...}, "story":
//! {"slides": [...]}}` (the story's format is documented on
//! [`crate::plan::scenario::slides::Slide::to_json`]).
//!
//! Reading never loses what it does not understand: unknown properties, feature members,
//! top-level members and non-line features are kept and written back. A `LineString` drawn in
//! another tool (no `corridor_atlas_id`) becomes an alignment named from `title`/`name`.
//! Errors name the file and, when the text is at fault, the line and column. The one thing
//! dropped is a `bbox` member (top-level or on an alignment): edits make it stale.
//!
//! Saving is atomic: a temporary file in the same directory is written and flushed to disk,
//! then renamed over the target, so a crash or a full disk never leaves a half-written file.
//!
//! - `format`: the constants and [`ScenarioError`].
//! - `read`: [`load`] and [`from_str`]; `write`: [`to_value`], [`to_string`],
//!   [`save_atomic`]; `atomic`: [`write_atomic`].

mod atomic;
mod format;
mod read;
#[cfg(test)]
mod tests;
mod write;

pub use atomic::write_atomic;
pub use format::{APP_MEMBER, DEFAULT_STROKE_WIDTH_PX, FORMAT_VERSION, ScenarioError};
pub use read::{from_str, load};
pub use write::{save_atomic, text_from_value, to_string, to_value};
