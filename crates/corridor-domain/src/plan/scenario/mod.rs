//! Scenarios: the user's sketched alignments, how they change (edits, undo), and how they are
//! kept safe (`GeoJSON` files saved atomically, crash-recovery copies).
//!
//! The modules import each other in one direction only, lowest first:
//!
//! - [`ids`]: `AlignmentId` and `SlideId`, shared by the model and the story.
//! - [`slides`]: the story's data (`Story`, `Slide`, `SlideView`) and its JSON.
//! - [`model`]: plain data (`Scenario`, `Alignment`, `Vertex`, `SnapRef`).
//! - [`story`]: what a slide means for the map: cameras, the flight between them, captions,
//!   the slide layout (re-exports the story's data).
//! - [`live_figures`]: `{length_km}`-style placeholders in captions filled from the ledger.
//! - [`edit`]: every change as an `Edit` value, applied in one place.
//! - [`io`]: reading and writing scenario files (RFC 7946 + simplestyle-spec).
//! - [`history`]: `Document`, the open scenario with undo/redo and dirty tracking.
//! - [`recovery`]: autosave copies offered for restore after a crash.

pub mod edit;
pub mod history;
pub mod ids;
pub mod io;
pub mod live_figures;
pub mod model;
pub mod published;
pub mod recovery;
pub mod slides;
pub mod story;

pub use edit::{AlignmentProps, Edit, EditError, apply};
pub use history::Document;
pub use io::{ScenarioError, load, save_atomic};
pub use model::{
    Alignment, AlignmentId, AlignmentStatus, Scenario, ScenarioSettings, SnapRef, Vertex,
};
pub use published::{PublishedFigures, PublishedSection};
pub use recovery::{Recovered, RecoveryStore};
pub use story::{Camera, Slide, SlideId, SlideView, Story, fly_path, slide_camera};
