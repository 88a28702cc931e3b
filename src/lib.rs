//! Corridor Atlas: plan and present railway corridors.
//!
//! The domain lives in its own crate, [`corridor_domain`] (no GUI or HTTP dependency). This
//! crate is the two front ends over it (see `ARCHITECTURE.md`):
//! - [`cli`]: the headless subcommands;
//! - `app` (feature `gui`): the thin egui/walkers layer that draws the domain and turns user
//!   input into calls on it.

pub mod cli;

#[cfg(feature = "gui")]
pub mod app;
