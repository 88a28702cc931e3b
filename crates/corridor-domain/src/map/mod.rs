//! The map model: Web Mercator world units, layer styles, the spatial index, level of detail,
//! label placement and the [`layer::Layer`] that holds them. Depends on [`crate::data`] and
//! [`crate::rail`].

pub mod color;
pub mod coords;
pub mod index;
pub mod kind;
pub mod label_lines;
pub mod labels;
pub mod layer;
pub mod lod;
pub mod mercator;
pub mod parts;
pub mod simplify;
pub mod style;
#[cfg(test)]
mod test_rng;
