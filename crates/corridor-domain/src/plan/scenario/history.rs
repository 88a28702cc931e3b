//! An open scenario with undo, redo and "unsaved changes" tracking.
//!
//! History keeps whole snapshots of the scenario: scenarios are small (a few alignments of at
//! most a few thousand vertices), a snapshot cannot drift out of sync with the edit that
//! produced it, and undo is a swap. Like rerun's `undo.rs`, a drag does not create an undo
//! point per frame: edits sent with the same [`UndoGroup`] one after another form one step,
//! and [`Document::apply_all`] makes one step of an action that is several edits at once
//! (accepting every suggestion).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use super::edit::{Edit, EditError, apply};
use super::io::{ScenarioError, save_atomic};
use super::model::{AlignmentId, Scenario};
use super::story::SlideId;

/// The gesture an edit belongs to. Consecutive edits of the same group form one undo step,
/// so a drag or a burst of typing is undone at once. Typed rather than a number so two
/// gestures cannot collide by picking overlapping bit ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UndoGroup {
    /// One drag on the map (a vertex, a midpoint or a whole alignment). The number tells two
    /// drags apart; the tool ends the group when the drag ends anyway.
    Drag(u64),
    /// Typing or picking in one field (`"name"`, `"colour"`, `"notes"`) of one alignment.
    AlignmentField(AlignmentId, &'static str),
    /// Typing in one text field (`"title"`, `"caption"`, `"notes"`) of one slide.
    SlideField(SlideId, &'static str),
    /// Dragging a scenario setting (View > Snap tolerance).
    ScenarioSettings,
    /// Dragging a value of the compare panel's cost and time settings.
    CompareSettings,
}

/// How many undo steps are kept by default; older ones are dropped.
pub const DEFAULT_HISTORY_LIMIT: usize = 200;

/// A state the document can return to, tagged with the id of that state's content.
#[derive(Clone, Debug)]
struct Snapshot {
    scenario: Scenario,
    state: u64,
}

/// A scenario being edited: the only owner of the scenario and the only way to change it.
#[derive(Clone, Debug)]
pub struct Document {
    scenario: Scenario,
    /// Where the scenario was loaded from or last saved to (`None` for a new scenario).
    pub path: Option<PathBuf>,
    undo: VecDeque<Snapshot>,
    redo: Vec<Snapshot>,
    limit: usize,
    /// Bumped on every change, including undo and redo: "something changed since".
    revision: u64,
    /// Identifies the current content: undo restores the id of the state it returns to, so
    /// comparing it with `saved_state` tells whether the content is the saved one.
    state: u64,
    next_state: u64,
    saved_state: Option<u64>,
    /// The group of the last edit, while it is still the last thing that happened.
    open_group: Option<UndoGroup>,
}

impl Default for Document {
    fn default() -> Self {
        Self::new(Scenario::new(), None)
    }
}

impl Document {
    /// A document for a scenario just loaded from `path` (or a new one): clean, no history.
    #[must_use]
    pub fn new(scenario: Scenario, path: Option<PathBuf>) -> Self {
        Self {
            scenario,
            path,
            undo: VecDeque::new(),
            redo: Vec::new(),
            limit: DEFAULT_HISTORY_LIMIT,
            revision: 0,
            state: 0,
            next_state: 1,
            saved_state: Some(0),
            open_group: None,
        }
    }

    /// A restored recovery copy: it holds changes that were never saved, so it starts dirty.
    #[must_use]
    pub fn recovered(scenario: Scenario, source_path: Option<PathBuf>) -> Self {
        let mut doc = Self::new(scenario, source_path);
        doc.saved_state = None;
        doc
    }

    /// Keep at most `limit` undo steps (at least one).
    #[must_use]
    pub fn with_history_limit(mut self, limit: usize) -> Self {
        self.limit = limit.max(1);
        while self.undo.len() > self.limit {
            self.undo.pop_front();
        }
        self
    }

    /// The scenario, read-only: changes go through [`Document::apply`].
    #[must_use]
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Apply an edit as its own undo step.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        self.apply_inner(edit, None)
    }

    /// Apply an edit; consecutive edits with the same `group` form one undo step (all the
    /// moves of one drag). Any other edit, undo or redo in between closes the group.
    pub fn apply_in_group(&mut self, edit: Edit, group: UndoGroup) -> Result<(), EditError> {
        self.apply_inner(edit, Some(group))
    }

    /// Apply several edits as ONE undo step, all or nothing: if one is refused, the scenario
    /// is left as it was and nothing is recorded. No edits: nothing happens.
    pub fn apply_all(&mut self, edits: impl IntoIterator<Item = Edit>) -> Result<(), EditError> {
        let before = self.scenario.clone();
        let mut any = false;
        for edit in edits {
            if let Err(e) = apply(&mut self.scenario, edit) {
                self.scenario = before;
                return Err(e);
            }
            any = true;
        }
        if any {
            self.record_step(before, None);
        }
        Ok(())
    }

    fn apply_inner(&mut self, edit: Edit, group: Option<UndoGroup>) -> Result<(), EditError> {
        let continues_group = group.is_some() && group == self.open_group;
        if continues_group {
            apply(&mut self.scenario, edit)?;
            self.changed(group);
        } else {
            let before = self.scenario.clone();
            apply(&mut self.scenario, edit)?;
            self.record_step(before, group);
        }
        Ok(())
    }

    /// Remember `before` as a new undo step, then note the change.
    fn record_step(&mut self, before: Scenario, group: Option<UndoGroup>) {
        self.undo.push_back(Snapshot {
            scenario: before,
            state: self.state,
        });
        while self.undo.len() > self.limit {
            self.undo.pop_front();
        }
        self.changed(group);
    }

    /// The content changed: new state and revision, no redo past it.
    fn changed(&mut self, group: Option<UndoGroup>) {
        self.open_group = group;
        self.redo.clear();
        self.state = self.fresh_state();
        self.revision += 1;
    }

    /// Close the current group, so the next edit with the same group id starts a new undo
    /// step (call when a drag ends if group ids may repeat).
    pub fn end_group(&mut self) {
        self.open_group = None;
    }

    /// Undo the last step; `false` if there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some(previous) = self.undo.pop_back() else {
            return false;
        };
        let current = self.swap_in(previous);
        self.redo.push(current);
        true
    }

    /// Redo the last undone step; `false` if there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        let Some(next) = self.redo.pop() else {
            return false;
        };
        let current = self.swap_in(next);
        self.undo.push_back(current);
        true
    }

    /// Make `snapshot` current and return what was current.
    fn swap_in(&mut self, snapshot: Snapshot) -> Snapshot {
        let current = Snapshot {
            scenario: std::mem::replace(&mut self.scenario, snapshot.scenario),
            state: self.state,
        };
        self.state = snapshot.state;
        self.open_group = None;
        self.revision += 1;
        current
    }

    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Number of steps that can be undone.
    #[must_use]
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Whether the content differs from what was last loaded or saved (undoing back to the
    /// saved state makes the document clean again).
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.saved_state != Some(self.state)
    }

    /// A counter that grows with every change (edits, undo, redo). Autosave and incremental
    /// recomputation compare it with the value they last saw.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Record that the current content is what is on disk.
    pub fn mark_saved(&mut self) {
        self.saved_state = Some(self.state);
    }

    /// Save atomically to `path`, remember it as the document's path and mark it saved.
    pub fn save_as(&mut self, path: &Path) -> Result<(), ScenarioError> {
        save_atomic(path, &self.scenario)?;
        self.path = Some(path.to_path_buf());
        self.mark_saved();
        Ok(())
    }

    /// Save to the document's path; `Ok(false)` if it has none yet (ask for one, then call
    /// [`Document::save_as`]).
    pub fn save(&mut self) -> Result<bool, ScenarioError> {
        let Some(path) = self.path.clone() else {
            return Ok(false);
        };
        self.save_as(&path)?;
        Ok(true)
    }

    fn fresh_state(&mut self) -> u64 {
        let s = self.next_state;
        self.next_state += 1;
        s
    }
}

#[cfg(test)]
// Tests state what they expect with `expect("why")`; a failure message is the point.
#[allow(clippy::expect_used)]
mod tests {
    use super::super::model::{Alignment, AlignmentId, Vertex};
    use super::*;

    fn doc_with_line() -> (Document, AlignmentId) {
        let mut s = Scenario::new();
        let id = s.allocate_id();
        let mut a = Alignment::new(id, "A");
        a.vertices = vec![Vertex::new(60.0, 30.0), Vertex::new(61.0, 31.0)];
        s.alignments.push(a);
        (Document::new(s, None), id)
    }

    fn lon0(doc: &Document) -> f64 {
        doc.scenario().alignments[0].vertices[0].lon
    }

    fn move_to(id: AlignmentId, lon: f64) -> Edit {
        Edit::MoveVertex {
            id,
            index: 0,
            to: Vertex::new(lon, 30.0),
        }
    }

    #[test]
    fn undo_and_redo_walk_back_and_forth() {
        let (mut doc, id) = doc_with_line();
        doc.apply(move_to(id, 60.5)).expect("move");
        doc.apply(move_to(id, 60.7)).expect("move");
        assert!(doc.undo());
        assert!((lon0(&doc) - 60.5).abs() < 1e-12);
        assert!(doc.undo());
        assert!((lon0(&doc) - 60.0).abs() < 1e-12);
        assert!(!doc.undo(), "nothing left to undo");
        assert!(doc.redo());
        assert!(doc.redo());
        assert!((lon0(&doc) - 60.7).abs() < 1e-12);
        assert!(!doc.redo());
    }

    #[test]
    fn a_whole_drag_is_one_undo_step() {
        let (mut doc, id) = doc_with_line();
        for step in 1..=30 {
            doc.apply_in_group(
                move_to(id, 60.0 + f64::from(step) * 0.01),
                UndoGroup::Drag(7),
            )
            .expect("drag frame");
        }
        assert_eq!(doc.undo_len(), 1);
        // A second drag, even with the same group id, starts a new step after end_group.
        doc.end_group();
        doc.apply_in_group(move_to(id, 59.0), UndoGroup::Drag(7))
            .expect("second drag");
        assert_eq!(doc.undo_len(), 2);
        assert!(doc.undo());
        assert!((lon0(&doc) - 60.3).abs() < 1e-9);
        assert!(doc.undo());
        assert!((lon0(&doc) - 60.0).abs() < 1e-12);
    }

    #[test]
    fn different_groups_are_different_steps() {
        let (mut doc, id) = doc_with_line();
        doc.apply_in_group(move_to(id, 60.1), UndoGroup::Drag(1))
            .expect("drag");
        doc.apply_in_group(move_to(id, 60.2), UndoGroup::AlignmentField(id, "name"))
            .expect("typing");
        doc.apply_in_group(move_to(id, 60.3), UndoGroup::AlignmentField(id, "notes"))
            .expect("other field");
        assert_eq!(doc.undo_len(), 3);
    }

    #[test]
    fn apply_all_is_one_step_and_all_or_nothing() {
        let (mut doc, id) = doc_with_line();
        doc.apply_all([move_to(id, 61.0), move_to(id, 62.0)])
            .expect("both apply");
        assert_eq!(doc.undo_len(), 1);
        assert!((lon0(&doc) - 62.0).abs() < 1e-12);
        // The second edit is refused: the first is rolled back, nothing is recorded.
        let rev = doc.revision();
        let refused = doc.apply_all([
            move_to(id, 63.0),
            Edit::RemoveAlignment {
                id: AlignmentId(99),
            },
        ]);
        assert!(refused.is_err());
        assert!((lon0(&doc) - 62.0).abs() < 1e-12);
        assert_eq!((doc.undo_len(), doc.revision()), (1, rev));
        assert!(doc.undo());
        assert!((lon0(&doc) - 60.0).abs() < 1e-12, "one undo restores both");
    }

    #[test]
    fn a_new_edit_clears_redo() {
        let (mut doc, id) = doc_with_line();
        doc.apply(move_to(id, 60.5)).expect("move");
        assert!(doc.undo());
        assert!(doc.can_redo());
        doc.apply(move_to(id, 59.5)).expect("another move");
        assert!(!doc.can_redo());
        assert!(!doc.redo());
        assert!((lon0(&doc) - 59.5).abs() < 1e-12);
    }

    #[test]
    fn history_is_bounded() {
        let (doc, id) = doc_with_line();
        let mut doc = doc.with_history_limit(5);
        for i in 0..12 {
            doc.apply(move_to(id, 50.0 + f64::from(i))).expect("move");
        }
        assert_eq!(doc.undo_len(), 5);
        while doc.undo() {}
        // The oldest reachable state is the one before the 8th edit (50 + 6 = 56).
        assert!((lon0(&doc) - 56.0).abs() < 1e-12, "{}", lon0(&doc));
    }

    #[test]
    fn undoing_back_to_the_saved_state_is_clean() {
        let (mut doc, id) = doc_with_line();
        assert!(!doc.is_dirty());
        doc.apply(move_to(id, 60.5)).expect("move");
        assert!(doc.is_dirty());
        doc.mark_saved();
        assert!(!doc.is_dirty());
        doc.apply(move_to(id, 60.6)).expect("move");
        assert!(doc.is_dirty());
        assert!(doc.undo());
        assert!(!doc.is_dirty(), "back at the saved content");
        assert!(doc.undo());
        assert!(doc.is_dirty(), "before the saved content");
        assert!(doc.redo());
        assert!(!doc.is_dirty());
    }

    #[test]
    fn a_refused_edit_records_nothing() {
        let (mut doc, _) = doc_with_line();
        let rev = doc.revision();
        let err = doc.apply(Edit::RemoveAlignment {
            id: AlignmentId(99),
        });
        assert!(err.is_err());
        assert_eq!(doc.revision(), rev);
        assert!(!doc.can_undo());
        assert!(!doc.is_dirty());
    }

    #[test]
    fn revision_grows_with_every_change() {
        let (mut doc, id) = doc_with_line();
        let r0 = doc.revision();
        doc.apply(move_to(id, 60.5)).expect("move");
        let r1 = doc.revision();
        doc.undo();
        let r2 = doc.revision();
        doc.redo();
        let r3 = doc.revision();
        assert!(r0 < r1 && r1 < r2 && r2 < r3);
    }

    #[test]
    fn a_recovered_document_starts_dirty() {
        let doc = Document::recovered(Scenario::new(), None);
        assert!(doc.is_dirty());
    }
}
