//! Applying the command queue: the one place where the scenario changes, once at each of
//! the frame's apply points (see [`AtlasApp::ui_root`]), plus "Follow existing track", whose
//! trace runs on a worker and comes back as a queued command.

use corridor_domain::measure::geodesic::format_km;
use corridor_domain::plan::scenario::edit::{Edit, EditError};
use corridor_domain::plan::scenario::model::{Alignment, AlignmentId, Vertex};
use corridor_domain::plan::trace::TracedPath;

use super::AtlasApp;
use super::command::{Command, follow_track_edit};
use super::jobs::Job;
use super::sketch::Tool;

/// A "Follow existing track" in flight: which segment, its ends when it started, the result.
pub(super) struct FollowJob {
    id: AlignmentId,
    segment: usize,
    ends: [(f64, f64); 2],
    job: Job<Option<TracedPath>>,
}

impl AtlasApp {
    /// Queue commands; they are applied at the frame's apply point, before the ledgers are
    /// refreshed (tests queue, then step a frame).
    pub fn queue_commands(&mut self, commands: impl IntoIterator<Item = Command>) {
        self.pending_commands.extend(commands);
    }

    /// Apply every queued command, in order: the one place where the scenario changes.
    pub(super) fn apply_pending(&mut self) {
        for c in std::mem::take(&mut self.pending_commands) {
            self.apply(c);
        }
    }

    fn apply(&mut self, command: Command) {
        let result = match command {
            Command::Edit {
                edit,
                group: Some(g),
            } => self.doc.apply_in_group(edit, g),
            Command::Edit { edit, group: None } => self.doc.apply(edit),
            Command::EndGroup => {
                self.doc.end_group();
                Ok(())
            }
            Command::CreateAlignment(vertices) => {
                let alignment = self.new_alignment(vertices);
                let id = alignment.id;
                let index = self.doc.scenario().alignments.len();
                let r = self.doc.apply(Edit::AddAlignment { alignment, index });
                if r.is_ok() {
                    self.sketch.selected = Some(id);
                    self.sketch.tool = Tool::Select;
                }
                r
            }
            Command::AddSuggestions(alignments) | Command::AddAlignments(alignments) => {
                self.add_suggestions(alignments)
            }
            Command::AcceptSuggestions(ids) => self.accept_suggestions(&ids),
            Command::FollowTrack { id, segment } => {
                self.start_follow_track(id, segment);
                Ok(())
            }
            Command::SelectAlignment(id) => {
                self.sketch.selected = id;
                self.sketch.active_vertex = None;
                if id.is_some() {
                    self.selected = None;
                }
                Ok(())
            }
            Command::Undo => {
                self.undo();
                Ok(())
            }
            Command::Redo => {
                self.redo();
                Ok(())
            }
        };
        if let Err(e) = result {
            self.status = Some(format!("Edit refused: {e}"));
        }
    }

    fn new_alignment(&self, vertices: Vec<Vertex>) -> Alignment {
        let s = self.doc.scenario();
        let id = s.unused_id();
        let mut a = Alignment::new(id, format!("Alternative {}", s.alignments.len() + 1));
        // Never a gauge colour, and as far as possible from the alternatives already drawn.
        let used: Vec<_> = s.alignments.iter().map(|a| a.color).collect();
        a.color = corridor_domain::map::color::pick_alternative_color(&used);
        a.vertices = vertices;
        a
    }

    fn add_suggestions(&mut self, alignments: Vec<Alignment>) -> Result<(), EditError> {
        let s = self.doc.scenario();
        let (first_id, first_index) = (s.unused_id().0, s.alignments.len());
        // Suggestions take the free colours farthest from those already on the map, one
        // after the other, so a suggestion never sits in its neighbour's colour.
        let mut used: Vec<_> = s.alignments.iter().map(|a| a.color).collect();
        let edits = alignments
            .into_iter()
            .enumerate()
            .map(|(i, mut alignment)| {
                alignment.id = AlignmentId(first_id + i as u64);
                alignment.color = corridor_domain::map::color::pick_alternative_color(&used);
                used.push(alignment.color);
                Edit::AddAlignment {
                    alignment,
                    index: first_index + i,
                }
            });
        self.doc.apply_all(edits.collect::<Vec<_>>())
    }

    /// Accepting keeps everything but the marker: each alternative is replaced in place by
    /// its accepted copy, all in one undo step. One accepted alternative becomes selected.
    fn accept_suggestions(&mut self, ids: &[AlignmentId]) -> Result<(), EditError> {
        let s = self.doc.scenario();
        let mut edits = Vec::new();
        for &id in ids {
            let Some((index, a)) = s.alignments.iter().enumerate().find(|(_, a)| a.id == id) else {
                continue;
            };
            let mut accepted = a.clone();
            accepted.set_suggested(false);
            edits.push(Edit::RemoveAlignment { id });
            edits.push(Edit::AddAlignment {
                alignment: accepted,
                index,
            });
        }
        let found = edits.len() / 2;
        self.doc.apply_all(edits)?;
        if let ([id], 1) = (ids, found) {
            self.apply(Command::SelectAlignment(Some(*id)));
        }
        Ok(())
    }

    /// Trace segment `segment` of alignment `id` along the rail network on a worker thread;
    /// [`Self::poll_follow_track`] applies the result.
    fn start_follow_track(&mut self, id: AlignmentId, segment: usize) {
        let Some(graph) = self.rail_graph.clone() else {
            self.status =
                Some("The rail network is still being indexed; try again in a moment.".into());
            return;
        };
        let Some(a) = self.doc.scenario().alignment(id) else {
            return;
        };
        let (Some(from), Some(to)) = (a.vertices.get(segment), a.vertices.get(segment + 1)) else {
            return;
        };
        let ends = [(from.lon, from.lat), (to.lon, to.lat)];
        match Job::run(&self.egui_ctx, "follow-track", move || {
            graph.trace(ends[0], ends[1])
        }) {
            Ok(job) => {
                self.follow = Some(FollowJob {
                    id,
                    segment,
                    ends,
                    job,
                });
                self.status = Some("Tracing along existing track...".into());
            }
            Err(e) => self.status = Some(format!("Could not start tracing: {e}")),
        }
    }

    /// Queue a finished "Follow existing track" if the segment is unchanged since it started.
    pub(super) fn poll_follow_track(&mut self) {
        let Some(follow) = &mut self.follow else {
            return;
        };
        let path = match follow.job.poll() {
            Some(path) => path,
            None if follow.job.is_running() => return,
            None => None, // the worker ended without an answer
        };
        let Some(follow) = self.follow.take() else {
            return;
        };
        let Some(a) = self.doc.scenario().alignment(follow.id) else {
            return;
        };
        let same =
            |k: usize, end: (f64, f64)| a.vertices.get(k).is_some_and(|v| (v.lon, v.lat) == end);
        let unchanged =
            same(follow.segment, follow.ends[0]) && same(follow.segment + 1, follow.ends[1]);
        match path {
            Some(path) if unchanged => {
                let command = follow_track_edit(a, follow.segment, &path);
                self.queue_commands(command);
                self.status = Some(format!(
                    "Followed {} of existing track.",
                    format_km(path.length_m)
                ));
            }
            Some(_) => {
                self.status =
                    Some("The segment changed while it was being traced; nothing replaced.".into());
            }
            None => {
                self.status =
                    Some("No path along existing track between these two vertices.".into());
            }
        }
    }

    /// Undo the last step (a whole drag, or accepting several suggestions, is one step).
    pub fn undo(&mut self) {
        if !self.doc.undo() {
            self.status = Some("Nothing to undo.".into());
        }
        self.forget_missing_selection();
    }

    /// Redo the last undone step.
    pub fn redo(&mut self) {
        if !self.doc.redo() {
            self.status = Some("Nothing to redo.".into());
        }
        self.forget_missing_selection();
    }

    fn forget_missing_selection(&mut self) {
        if let Some(id) = self.sketch.selected
            && self.doc.scenario().alignment(id).is_none()
        {
            self.sketch.selected = None;
        }
    }
}
