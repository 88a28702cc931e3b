//! What tools and panels ask for. Panels never change the scenario: they return
//! [`Command`]s, the frame queues them, and the app applies the queue at the frame's apply
//! point (`apply.rs`; see [`super::AtlasApp::ui_root`]). This module depends on the domain
//! only, so every panel and tool can import it.

use corridor_domain::plan::scenario::edit::Edit;
use corridor_domain::plan::scenario::history::UndoGroup;
use corridor_domain::plan::scenario::model::{Alignment, AlignmentId, Vertex};
use corridor_domain::plan::trace::TracedPath;

/// What the tools and panels ask the app to do.
// A few per frame at most; an `Edit` carries whole alignments or slides by design.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Apply an edit; consecutive edits of the same `group` form one undo step (a drag).
    Edit {
        edit: Edit,
        group: Option<UndoGroup>,
    },
    /// The grouped gesture ended: the next edit starts a new undo step.
    EndGroup,
    /// Finish the drawing as a new alignment with these vertices.
    CreateAlignment(Vec<Vertex>),
    SelectAlignment(Option<AlignmentId>),
    /// Add alignments Suggest found, at the end, in one undo step. Their ids are replaced by
    /// unused ones when applied (the scenario may have changed since the search started).
    AddSuggestions(Vec<Alignment>),
    /// Add alignments read from another tool's file (KML, GPX) at the end, in one undo step;
    /// their ids are replaced by unused ones when applied.
    AddAlignments(Vec<Alignment>),
    /// Make these suggested alternatives ordinary ones, all in one undo step.
    AcceptSuggestions(Vec<AlignmentId>),
    /// Replace segment `segment` (vertices `segment` and `segment + 1`) of an alignment by
    /// the path along existing track between its ends. Traced on a worker thread (a trace
    /// across a large imported network takes a noticeable moment) and applied if the segment
    /// is still the same when the path arrives.
    FollowTrack {
        id: AlignmentId,
        segment: usize,
    },
    Undo,
    Redo,
}

/// The edit replacing segment `i` of `a` by `path`, the rail path between its ends.
#[must_use]
pub fn follow_track_edit(a: &Alignment, i: usize, path: &TracedPath) -> Option<Command> {
    let (from, to) = (a.vertices.get(i)?, a.vertices.get(i + 1)?);
    let mut vertices: Vec<Vertex> = a.vertices[..i].to_vec();
    vertices.push(from.clone());
    // The traced path starts and ends at (or next to) the segment's own vertices: keep ours,
    // which carry the user's snap to a named place, and take the path's interior.
    let inner = path.vertices.len().saturating_sub(1);
    vertices.extend(path.vertices.iter().take(inner).skip(1).cloned());
    vertices.push(to.clone());
    vertices.extend_from_slice(&a.vertices[i + 2..]);
    Some(Command::Edit {
        edit: Edit::ReplaceVertices { id: a.id, vertices },
        group: None,
    })
}
