//! The identities the model and the story share: an alignment's and a slide's id. Lowest of
//! the scenario modules, so the story's data can name alignments and the model can hold the
//! story without the two importing each other.

use serde::{Deserialize, Serialize};

/// Identifies an alignment for the whole life of a scenario (stored as `corridor_atlas_id`).
/// Ids are never reused, so an undo step or a story can refer to one safely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AlignmentId(pub u64);

impl std::fmt::Display for AlignmentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Identifies a slide within a story (stored as the slide's `id`). 0 means "not assigned
/// yet" (a hand-written slide without an id); the loader gives such slides fresh ids.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SlideId(pub u64);

impl std::fmt::Display for SlideId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "slide #{}", self.0)
    }
}
