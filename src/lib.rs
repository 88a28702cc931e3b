//! Corridor Atlas: plan and present railway corridors.
//!
//! The crate has two halves (see `ARCHITECTURE.md`):
//! - [`domain`]: geodata, spatial index, level of detail, labels, elevation. Pure Rust with no
//!   GUI dependency; the command line and the GUI both call it.
//! - `app` (feature `gui`): the thin egui/walkers layer that draws the domain and turns user
//!   input into calls on it.

pub mod cli;
pub mod domain;

#[cfg(feature = "gui")]
pub mod app;
