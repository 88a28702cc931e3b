//! Drawing without a window: the embedded basemap's tiles and headless slide rendering with
//! tiny-skia. The top layer: nothing else in the crate imports it.

pub mod basemap;
pub mod render;
