//! Edits are data. Tools and panels return an [`Edit`]; [`apply`] is the one place that
//! changes a [`Scenario`], and `history::Document` records each change for undo.
//!
//! Every edit is checked completely before anything changes: on error the scenario is exactly
//! as it was, so a bad edit from a buggy tool can never leave a half-applied change behind.

use super::model::{
    Alignment, AlignmentId, AlignmentStatus, Scenario, ScenarioSettings, Vertex, is_valid_lonlat,
};
use super::story::{Slide, SlideId};

/// The user-editable properties of an alignment (the properties panel edits them together).
#[derive(Clone, Debug, PartialEq)]
pub struct AlignmentProps {
    pub name: String,
    pub color: [u8; 4],
    pub status: AlignmentStatus,
    pub gauge_mm: Option<u32>,
    pub notes: String,
}

impl AlignmentProps {
    /// The current properties of `a`, as a starting point for a panel.
    #[must_use]
    pub fn of(a: &Alignment) -> Self {
        Self {
            name: a.name.clone(),
            color: a.color,
            status: a.status,
            gauge_mm: a.gauge_mm,
            notes: a.notes.clone(),
        }
    }
}

/// One change to a scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Insert `alignment` at position `index` (0..=len) of the list. Its id must be unused
    /// (get one from [`Scenario::allocate_id`]).
    AddAlignment {
        alignment: Alignment,
        index: usize,
    },
    RemoveAlignment {
        id: AlignmentId,
    },
    /// Insert a vertex before position `index` (0..=len: `len` appends).
    InsertVertex {
        id: AlignmentId,
        index: usize,
        vertex: Vertex,
    },
    RemoveVertex {
        id: AlignmentId,
        index: usize,
    },
    MoveVertex {
        id: AlignmentId,
        index: usize,
        to: Vertex,
    },
    /// Replace every vertex (a traced path, a simplified line, a moved alignment).
    ReplaceVertices {
        id: AlignmentId,
        vertices: Vec<Vertex>,
    },
    /// Shift every vertex by a lon/lat offset (degrees). Snap references are dropped: the
    /// moved vertices are no longer on what they were snapped to.
    TranslateAlignment {
        id: AlignmentId,
        d_lon: f64,
        d_lat: f64,
    },
    SetProperties {
        id: AlignmentId,
        props: AlignmentProps,
    },
    SetSettings(ScenarioSettings),
    /// Insert `slide` at position `index` (0..=len) of the story. Its id must be unused (get
    /// one from [`Scenario::unused_slide_id`]) and every alternative it names must exist.
    AddSlide {
        slide: Slide,
        index: usize,
    },
    RemoveSlide {
        id: SlideId,
    },
    /// Move a slide so that it ends up at `to_index` (0..len) of the story: a drag in the
    /// slide list.
    MoveSlide {
        id: SlideId,
        to_index: usize,
    },
    /// Replace the slide with `slide.id` (title, caption, notes, view, layers, highlight,
    /// reveal and unknown keys all come from `slide`).
    UpdateSlide {
        slide: Slide,
    },
}

impl Edit {
    /// The alignment this edit changes, if it changes one.
    #[must_use]
    pub fn alignment_id(&self) -> Option<AlignmentId> {
        match self {
            Edit::AddAlignment { alignment, .. } => Some(alignment.id),
            Edit::RemoveAlignment { id }
            | Edit::InsertVertex { id, .. }
            | Edit::RemoveVertex { id, .. }
            | Edit::MoveVertex { id, .. }
            | Edit::ReplaceVertices { id, .. }
            | Edit::TranslateAlignment { id, .. }
            | Edit::SetProperties { id, .. } => Some(*id),
            Edit::SetSettings(_)
            | Edit::AddSlide { .. }
            | Edit::RemoveSlide { .. }
            | Edit::MoveSlide { .. }
            | Edit::UpdateSlide { .. } => None,
        }
    }

    /// The slide this edit changes, if it changes one.
    #[must_use]
    pub fn slide_id(&self) -> Option<SlideId> {
        match self {
            Edit::AddSlide { slide, .. } | Edit::UpdateSlide { slide } => Some(slide.id),
            Edit::RemoveSlide { id } | Edit::MoveSlide { id, .. } => Some(*id),
            _ => None,
        }
    }
}

/// Why an edit was refused (the scenario is unchanged).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("there is no alignment {0}")]
    UnknownAlignment(AlignmentId),
    #[error("alignment id {0} is already in use")]
    DuplicateId(AlignmentId),
    #[error("position {index} is out of range: the list has {len} entries")]
    IndexOutOfRange { index: usize, len: usize },
    #[error("({lon}, {lat}) is not a valid coordinate (longitude −180..180, latitude −90..90)")]
    InvalidCoordinate { lon: f64, lat: f64 },
    #[error("invalid settings: {0}")]
    InvalidSettings(String),
    #[error("there is no {0}")]
    UnknownSlide(SlideId),
    #[error("{0} is already in use")]
    DuplicateSlideId(SlideId),
    #[error("invalid slide: {0}")]
    InvalidSlide(String),
}

/// Apply `edit` to `scenario`, or change nothing and say why.
pub fn apply(scenario: &mut Scenario, edit: Edit) -> Result<(), EditError> {
    match edit {
        Edit::AddAlignment { alignment, index } => {
            if scenario.index_of(alignment.id).is_some() {
                return Err(EditError::DuplicateId(alignment.id));
            }
            check_index(index, scenario.alignments.len(), true)?;
            check_vertices(&alignment.vertices)?;
            scenario.next_id = scenario.next_id.max(alignment.id.0.saturating_add(1));
            scenario.alignments.insert(index, alignment);
        }
        Edit::RemoveAlignment { id } => {
            let i = find(scenario, id)?;
            scenario.alignments.remove(i);
        }
        Edit::InsertVertex { id, index, vertex } => {
            let i = find(scenario, id)?;
            let vertices = &mut scenario.alignments[i].vertices;
            check_index(index, vertices.len(), true)?;
            check_vertex(&vertex)?;
            vertices.insert(index, vertex);
        }
        Edit::RemoveVertex { id, index } => {
            let i = find(scenario, id)?;
            let vertices = &mut scenario.alignments[i].vertices;
            check_index(index, vertices.len(), false)?;
            vertices.remove(index);
        }
        Edit::MoveVertex { id, index, to } => {
            let i = find(scenario, id)?;
            let vertices = &mut scenario.alignments[i].vertices;
            check_index(index, vertices.len(), false)?;
            check_vertex(&to)?;
            vertices[index] = to;
        }
        Edit::ReplaceVertices { id, vertices } => {
            let i = find(scenario, id)?;
            check_vertices(&vertices)?;
            scenario.alignments[i].vertices = vertices;
        }
        Edit::TranslateAlignment { id, d_lon, d_lat } => {
            let i = find(scenario, id)?;
            let moved: Vec<Vertex> = scenario.alignments[i]
                .vertices
                .iter()
                .map(|v| Vertex::new(v.lon + d_lon, v.lat + d_lat))
                .collect();
            check_vertices(&moved)?;
            scenario.alignments[i].vertices = moved;
        }
        Edit::SetProperties { id, props } => {
            let i = find(scenario, id)?;
            let a = &mut scenario.alignments[i];
            a.name = props.name;
            a.color = props.color;
            a.status = props.status;
            a.gauge_mm = props.gauge_mm;
            a.notes = props.notes;
        }
        Edit::SetSettings(settings) => {
            if let Some(problem) = settings.problem() {
                return Err(EditError::InvalidSettings(problem));
            }
            scenario.settings = settings;
        }
        Edit::AddSlide { slide, index } => {
            if slide.id.0 == 0 {
                return Err(EditError::InvalidSlide(
                    "slide id 0 means \"unassigned\"; use Scenario::unused_slide_id".into(),
                ));
            }
            if scenario.story.index_of(slide.id).is_some() {
                return Err(EditError::DuplicateSlideId(slide.id));
            }
            check_index(index, scenario.story.slides.len(), true)?;
            if let Some(problem) = slide.problem(scenario, None) {
                return Err(EditError::InvalidSlide(problem));
            }
            scenario.story.slides.insert(index, slide);
        }
        Edit::RemoveSlide { id } => {
            let i = find_slide(scenario, id)?;
            scenario.story.slides.remove(i);
        }
        Edit::MoveSlide { id, to_index } => {
            let i = find_slide(scenario, id)?;
            check_index(to_index, scenario.story.slides.len(), false)?;
            let slide = scenario.story.slides.remove(i);
            scenario.story.slides.insert(to_index, slide);
        }
        Edit::UpdateSlide { slide } => {
            let i = find_slide(scenario, slide.id)?;
            if let Some(problem) = slide.problem(scenario, Some(&scenario.story.slides[i])) {
                return Err(EditError::InvalidSlide(problem));
            }
            scenario.story.slides[i] = slide;
        }
    }
    Ok(())
}

fn find_slide(scenario: &Scenario, id: SlideId) -> Result<usize, EditError> {
    scenario
        .story
        .index_of(id)
        .ok_or(EditError::UnknownSlide(id))
}

fn find(scenario: &Scenario, id: AlignmentId) -> Result<usize, EditError> {
    scenario.index_of(id).ok_or(EditError::UnknownAlignment(id))
}

/// Whether `index` names an entry of a list of `len` (or, with `may_append`, the end).
fn check_index(index: usize, len: usize, may_append: bool) -> Result<(), EditError> {
    if index < len || (may_append && index == len) {
        Ok(())
    } else {
        Err(EditError::IndexOutOfRange { index, len })
    }
}

fn check_vertex(v: &Vertex) -> Result<(), EditError> {
    if is_valid_lonlat(v.lon, v.lat) {
        Ok(())
    } else {
        Err(EditError::InvalidCoordinate {
            lon: v.lon,
            lat: v.lat,
        })
    }
}

fn check_vertices(vs: &[Vertex]) -> Result<(), EditError> {
    vs.iter().try_for_each(check_vertex)
}

#[cfg(test)]
// Tests state what they expect with `expect("why")`; a failure message is the point.
#[allow(clippy::expect_used)]
mod tests {
    use super::super::model::SnapRef;
    use super::*;

    fn scenario_with_line() -> (Scenario, AlignmentId) {
        let mut s = Scenario::new();
        let id = s.allocate_id();
        let mut a = Alignment::new(id, "Herat – Kandahar");
        a.vertices = vec![Vertex::new(62.2, 34.35), Vertex::new(65.7, 31.6)];
        apply(
            &mut s,
            Edit::AddAlignment {
                alignment: a,
                index: 0,
            },
        )
        .expect("valid add");
        (s, id)
    }

    #[test]
    fn inserting_moving_and_removing_vertices_changes_only_that_vertex() {
        let (mut s, id) = scenario_with_line();
        apply(
            &mut s,
            Edit::InsertVertex {
                id,
                index: 1,
                vertex: Vertex::new(62.1, 33.2),
            },
        )
        .expect("insert in the middle");
        assert_eq!(s.alignments[0].vertices.len(), 3);
        assert!((s.alignments[0].vertices[1].lat - 33.2).abs() < 1e-12);
        apply(
            &mut s,
            Edit::MoveVertex {
                id,
                index: 1,
                to: Vertex::new(62.0, 33.0),
            },
        )
        .expect("move");
        assert!((s.alignments[0].vertices[1].lon - 62.0).abs() < 1e-12);
        apply(&mut s, Edit::RemoveVertex { id, index: 1 }).expect("remove");
        assert_eq!(s.alignments[0].vertices.len(), 2);
        assert!((s.alignments[0].vertices[1].lon - 65.7).abs() < 1e-12);
    }

    #[test]
    fn a_refused_edit_leaves_the_scenario_untouched() {
        let (mut s, id) = scenario_with_line();
        let before = s.clone();
        let cases = [
            (
                Edit::RemoveAlignment {
                    id: AlignmentId(999),
                },
                EditError::UnknownAlignment(AlignmentId(999)),
            ),
            (
                Edit::RemoveVertex { id, index: 2 },
                EditError::IndexOutOfRange { index: 2, len: 2 },
            ),
            (
                Edit::InsertVertex {
                    id,
                    index: 3,
                    vertex: Vertex::new(1.0, 1.0),
                },
                EditError::IndexOutOfRange { index: 3, len: 2 },
            ),
            (
                Edit::MoveVertex {
                    id,
                    index: 0,
                    to: Vertex::new(62.0, 91.0),
                },
                EditError::InvalidCoordinate {
                    lon: 62.0,
                    lat: 91.0,
                },
            ),
            (
                Edit::AddAlignment {
                    alignment: Alignment::new(id, "dup"),
                    index: 0,
                },
                EditError::DuplicateId(id),
            ),
        ];
        for (edit, expected) in cases {
            assert_eq!(apply(&mut s, edit), Err(expected));
            assert_eq!(s, before);
        }
        // Moving a line over the pole fails as a whole: no vertex moves.
        let err = apply(
            &mut s,
            Edit::TranslateAlignment {
                id,
                d_lon: 0.0,
                d_lat: 56.0,
            },
        );
        assert!(
            matches!(err, Err(EditError::InvalidCoordinate { .. })),
            "{err:?}"
        );
        assert_eq!(s, before);
        let nan = apply(
            &mut s,
            Edit::ReplaceVertices {
                id,
                vertices: vec![Vertex::new(f64::NAN, 0.0)],
            },
        );
        assert!(matches!(nan, Err(EditError::InvalidCoordinate { .. })));
        let bad_settings = ScenarioSettings {
            reuse_tolerance_m: -1.0,
            ..ScenarioSettings::default()
        };
        assert!(matches!(
            apply(&mut s, Edit::SetSettings(bad_settings)),
            Err(EditError::InvalidSettings(_))
        ));
        assert_eq!(s, before);
    }

    #[test]
    fn translating_moves_every_vertex_and_drops_snaps() {
        let (mut s, id) = scenario_with_line();
        s.alignments[0].vertices[0].snap = Some(SnapRef::Place {
            layer: "cities".into(),
            name: "Herat".into(),
        });
        apply(
            &mut s,
            Edit::TranslateAlignment {
                id,
                d_lon: 1.0,
                d_lat: -0.5,
            },
        )
        .expect("translate");
        let v = &s.alignments[0].vertices;
        assert!((v[0].lon - 63.2).abs() < 1e-12 && (v[0].lat - 33.85).abs() < 1e-12);
        assert!((v[1].lon - 66.7).abs() < 1e-12 && (v[1].lat - 31.1).abs() < 1e-12);
        assert!(v.iter().all(|v| v.snap.is_none()));
    }

    #[test]
    fn set_properties_changes_the_properties_and_nothing_else() {
        let (mut s, id) = scenario_with_line();
        let vertices = s.alignments[0].vertices.clone();
        let props = AlignmentProps {
            name: "KTAP west".into(),
            color: [0, 0x80, 0xff, 0xff],
            status: AlignmentStatus::UnderConstruction,
            gauge_mm: Some(1520),
            notes: "MoU Jul 2025".into(),
        };
        apply(
            &mut s,
            Edit::SetProperties {
                id,
                props: props.clone(),
            },
        )
        .expect("set props");
        assert_eq!(AlignmentProps::of(&s.alignments[0]), props);
        assert_eq!(s.alignments[0].vertices, vertices);
    }

    #[test]
    fn adding_with_a_high_id_keeps_later_ids_unique() {
        let mut s = Scenario::new();
        apply(
            &mut s,
            Edit::AddAlignment {
                alignment: Alignment::new(AlignmentId(7), "x"),
                index: 0,
            },
        )
        .expect("add");
        assert_eq!(s.allocate_id(), AlignmentId(8));
    }
}
