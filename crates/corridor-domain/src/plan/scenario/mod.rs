//! Scenarios: the user's sketched alignments, how they change (edits, undo), and how they are
//! kept safe (`GeoJSON` files saved atomically, crash-recovery copies).
//!
//! - [`model`]: plain data (`Scenario`, `Alignment`, `Vertex`, `SnapRef`).
//! - [`edit`]: every change as an `Edit` value, applied in one place.
//! - [`history`]: `Document`, the open scenario with undo/redo and dirty tracking.
//! - [`io`]: reading and writing scenario files (RFC 7946 + simplestyle-spec).
//! - [`recovery`]: autosave copies offered for restore after a crash.
//! - [`story`]: the slides of a presentation, their cameras and the flight between them.

pub mod edit;
pub mod history;
pub mod io;
pub mod model;
pub mod published;
pub mod recovery;
pub mod story;

pub use edit::{AlignmentProps, Edit, EditError, apply};
pub use history::Document;
pub use io::{ScenarioError, load, save_atomic};
pub use model::{
    Alignment, AlignmentId, AlignmentStatus, Scenario, ScenarioSettings, SnapRef, Vertex,
};
pub use published::PublishedFigures;
pub use recovery::{Recovered, RecoveryStore};
pub use story::{Camera, Slide, SlideId, SlideView, Story, fly_path, slide_camera};
