//! Planning: scenarios (alternatives, story, edits, undo history, files), snapping, tracing
//! along existing track and least-cost suggestions. Depends on every layer below it.

pub mod exchange;
pub mod scenario;
pub mod snap;
pub mod suggest;
pub mod trace;
