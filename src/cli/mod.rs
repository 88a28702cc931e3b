//! The headless command line: subcommands for scripts and CI that print results instead of
//! opening a window.
//!
//! Each subcommand is a thin layer of argument handling and output formatting over
//! [`crate::domain`], the same functions the GUI calls, so both always agree. Nothing here
//! depends on the `gui` feature.

pub mod compare;
pub mod generate;
pub mod inspect;
pub mod measure;
pub mod render;
pub mod suggest;
