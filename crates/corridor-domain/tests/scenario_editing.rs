//! A sketching session as the app drives it: edits as data through one `Document`, a drag as
//! one undo step, dirty tracking across save, undo and redo, and a crash-recovery copy.
// Tests state what they expect with `expect("why")`; a failure message is the point.
#![allow(clippy::expect_used)]

use corridor_domain::plan::scenario::model::{Alignment, AlignmentId, SnapRef, Vertex};
use corridor_domain::plan::scenario::{
    AlignmentProps, AlignmentStatus, Document, Edit, RecoveryStore, Scenario,
};

/// Draw "Herat – Kandahar" with three clicks, as the sketch tool would.
fn draw(doc: &mut Document) -> AlignmentId {
    let id = doc.scenario().unused_id();
    doc.apply(Edit::AddAlignment {
        alignment: Alignment::new(id, "Herat – Kandahar"),
        index: 0,
    })
    .expect("add");
    for (i, (lon, lat)) in [(62.1997, 34.3482), (62.0985, 32.3745), (65.7101, 31.6133)]
        .into_iter()
        .enumerate()
    {
        doc.apply(Edit::InsertVertex {
            id,
            index: i,
            vertex: Vertex::new(lon, lat),
        })
        .expect("click");
    }
    id
}

#[test]
fn drawing_dragging_and_undoing_a_line() {
    let mut doc = Document::default();
    let id = draw(&mut doc);
    assert_eq!(
        doc.undo_len(),
        4,
        "one step per click plus the new alignment"
    );

    // Drag the middle vertex through 60 frames: one undo step.
    for frame in 0..60 {
        let t = f64::from(frame) / 59.0;
        doc.apply_in_group(
            Edit::MoveVertex {
                id,
                index: 1,
                to: Vertex::new(62.0985 + t, 32.3745),
            },
            corridor_domain::plan::scenario::history::UndoGroup::Drag(1),
        )
        .expect("drag frame");
    }
    doc.end_group();
    assert_eq!(doc.undo_len(), 5);
    let moved = &doc.scenario().alignments[0].vertices[1];
    assert!((moved.lon - 63.0985).abs() < 1e-9);

    assert!(doc.undo());
    let back = &doc.scenario().alignments[0].vertices[1];
    assert!(
        (back.lon - 62.0985).abs() < 1e-12,
        "the whole drag is undone"
    );
    assert!(doc.redo());
    assert!((doc.scenario().alignments[0].vertices[1].lon - 63.0985).abs() < 1e-9);

    // Undo everything: back to an empty, clean scenario.
    while doc.undo() {}
    assert!(doc.scenario().alignments.is_empty());
    assert!(!doc.is_dirty());
}

#[test]
fn a_new_edit_after_undo_discards_the_redo_branch() {
    let mut doc = Document::default();
    let id = draw(&mut doc);
    assert!(doc.undo()); // remove the third vertex
    doc.apply(Edit::SetProperties {
        id,
        props: AlignmentProps {
            status: AlignmentStatus::UnderConstruction,
            ..AlignmentProps::of(&doc.scenario().alignments[0])
        },
    })
    .expect("set status");
    assert!(!doc.can_redo());
    assert_eq!(doc.scenario().alignments[0].vertices.len(), 2);
}

#[test]
fn recovery_copy_restores_unsaved_work_into_a_dirty_document() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let store = RecoveryStore::new(tmp.path().join("recovery"));
    let mut doc = Document::default();
    let id = draw(&mut doc);
    doc.apply(Edit::MoveVertex {
        id,
        index: 0,
        to: Vertex::snapped(
            62.1997,
            34.3482,
            SnapRef::Place {
                layer: "cities".into(),
                name: "Herat".into(),
            },
        ),
    })
    .expect("snap first vertex");
    store
        .write(doc.scenario(), doc.path.as_deref())
        .expect("autosave");

    // "Crash", then start again.
    let found = store.find().expect("a recovery copy is offered");
    assert_eq!(&found.scenario, doc.scenario());
    let restored = Document::recovered(found.scenario, found.source_path);
    assert!(
        restored.is_dirty(),
        "restored work is not saved anywhere yet"
    );
    store.clear().expect("clear after restoring");
    assert!(store.find().is_none());
}

#[test]
fn ids_stay_unique_after_delete_save_and_load() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("s.geojson");
    let mut doc = Document::default();
    let first = draw(&mut doc);
    doc.apply(Edit::RemoveAlignment { id: first })
        .expect("remove");
    doc.save_as(&path).expect("save");
    let mut reloaded: Scenario = corridor_domain::plan::scenario::load(&path).expect("reload");
    assert_ne!(reloaded.allocate_id(), first, "a deleted id is not reused");
}
