#![allow(clippy::expect_used, clippy::unwrap_used)] // tests: a panic with a message is a failed test
//! Stories in scenarios: slide edits and their undo, the file round trip, and slide cameras.

use std::path::Path;

use corridor_domain::map::mercator::{world_from_lonlat, world_size_px};
use corridor_domain::plan::scenario::edit::{Edit, EditError};
use corridor_domain::plan::scenario::history::Document;
use corridor_domain::plan::scenario::io::{from_str, load, save_atomic, to_string};
use corridor_domain::plan::scenario::model::{Alignment, AlignmentId, Scenario, Vertex};
use corridor_domain::plan::scenario::story::{
    Slide, SlideId, SlideKind, SlideLayout, SlideView, alignments_world_rect, slide_camera,
};

fn scenario_with_alternatives() -> Scenario {
    let mut s = Scenario::new();
    for (name, coords) in [
        (
            "West",
            vec![(62.34, 35.28), (62.2, 34.35), (65.71, 31.61), (67.0, 24.86)],
        ),
        ("East", vec![(67.28, 37.22), (68.9, 34.5), (71.58, 34.0)]),
    ] {
        let id = s.allocate_id();
        let mut a = Alignment::new(id, name);
        a.vertices = coords
            .into_iter()
            .map(|(lon, lat)| Vertex::new(lon, lat))
            .collect();
        s.alignments.push(a);
    }
    s
}

fn titles(s: &Scenario) -> Vec<&str> {
    s.story.slides.iter().map(|sl| sl.title.as_str()).collect()
}

fn add(doc: &mut Document, title: &str, index: usize) -> SlideId {
    let id = doc.scenario().unused_slide_id();
    doc.apply(Edit::AddSlide {
        slide: Slide::new(id, title),
        index,
    })
    .expect("valid slide");
    id
}

#[test]
fn slides_are_added_moved_updated_removed_and_each_step_undoes() {
    let mut doc = Document::new(scenario_with_alternatives(), None);
    let a = add(&mut doc, "Region", 0);
    let b = add(&mut doc, "West", 1);
    let c = add(&mut doc, "East", 2);
    assert_ne!(a, b);
    assert_eq!(titles(doc.scenario()), ["Region", "West", "East"]);

    // Drag "East" to the front.
    doc.apply(Edit::MoveSlide { id: c, to_index: 0 })
        .expect("move");
    assert_eq!(titles(doc.scenario()), ["East", "Region", "West"]);

    let mut west = doc.scenario().story.slide(b).expect("slide").clone();
    west.caption = "**$7 bn**".into();
    west.highlight = vec![AlignmentId(1)];
    west.reveal = Some(AlignmentId(1));
    west.view = SlideView::FitAlignments(vec![AlignmentId(1)]);
    doc.apply(Edit::UpdateSlide {
        slide: west.clone(),
    })
    .expect("update");
    assert_eq!(doc.scenario().story.slide(b), Some(&west));

    doc.apply(Edit::RemoveSlide { id: a }).expect("remove");
    assert_eq!(titles(doc.scenario()), ["East", "West"]);

    assert!(doc.undo());
    assert_eq!(titles(doc.scenario()), ["East", "Region", "West"]);
    assert!(doc.undo());
    assert!(
        doc.scenario()
            .story
            .slide(b)
            .expect("slide")
            .caption
            .is_empty()
    );
    assert!(doc.undo());
    assert_eq!(titles(doc.scenario()), ["Region", "West", "East"]);
    assert!(doc.redo());
    assert_eq!(titles(doc.scenario()), ["East", "Region", "West"]);
}

#[test]
fn bad_slide_edits_are_refused_and_change_nothing() {
    let mut doc = Document::new(scenario_with_alternatives(), None);
    let a = add(&mut doc, "Region", 0);
    let before = doc.scenario().clone();
    let mut ghost = Slide::new(SlideId(99), "ghost");
    let cases = [
        (
            Edit::AddSlide {
                slide: Slide::new(a, "dup"),
                index: 0,
            },
            Some(EditError::DuplicateSlideId(a)),
        ),
        (
            Edit::AddSlide {
                slide: Slide::new(SlideId(5), "far"),
                index: 2,
            },
            Some(EditError::IndexOutOfRange { index: 2, len: 1 }),
        ),
        (
            Edit::RemoveSlide { id: SlideId(99) },
            Some(EditError::UnknownSlide(SlideId(99))),
        ),
        (
            Edit::MoveSlide { id: a, to_index: 1 },
            Some(EditError::IndexOutOfRange { index: 1, len: 1 }),
        ),
        (
            Edit::UpdateSlide {
                slide: ghost.clone(),
            },
            Some(EditError::UnknownSlide(SlideId(99))),
        ),
    ];
    for (edit, expected) in cases {
        assert_eq!(doc.apply(edit).err(), expected);
        assert_eq!(doc.scenario(), &before);
    }
    ghost.id = SlideId(7);
    ghost.highlight = vec![AlignmentId(42)];
    assert!(matches!(
        doc.apply(Edit::AddSlide { slide: ghost.clone(), index: 0 }),
        Err(EditError::InvalidSlide(m)) if m.contains("#42")
    ));
    ghost.highlight.clear();
    ghost.view = SlideView::Center {
        lon: 200.0,
        lat: 0.0,
        zoom: 5.0,
    };
    assert!(matches!(
        doc.apply(Edit::AddSlide {
            slide: ghost,
            index: 0
        }),
        Err(EditError::InvalidSlide(_))
    ));
    assert_eq!(doc.scenario(), &before);
}

#[test]
fn a_slide_naming_a_deleted_alternative_can_still_be_retitled() {
    let mut doc = Document::new(scenario_with_alternatives(), None);
    let id = doc.scenario().unused_slide_id();
    let mut slide = Slide::new(id, "East");
    slide.highlight = vec![AlignmentId(2)];
    doc.apply(Edit::AddSlide {
        slide: slide.clone(),
        index: 0,
    })
    .expect("add");
    doc.apply(Edit::RemoveAlignment { id: AlignmentId(2) })
        .expect("remove alternative");
    slide.title = "East (withdrawn)".into();
    doc.apply(Edit::UpdateSlide { slide }).expect("retitle");
}

#[test]
fn slide_order_and_unknown_keys_survive_saving_and_loading() {
    let mut s = scenario_with_alternatives();
    for (i, title) in ["Third", "First", "Second"].iter().enumerate() {
        let mut slide = Slide::new(SlideId(10 - i as u64), *title);
        slide.notes = format!("notes {i}");
        slide.layers = (i == 1).then(|| vec!["rail".to_owned(), "cities".to_owned()]);
        s.story.slides.push(slide);
    }
    s.story.slides[0]
        .extra
        .insert("transition".into(), "fade".into());
    s.story.slides[2].view = SlideView::Center {
        lon: 66.0,
        lat: 30.5,
        zoom: 6.25,
    };
    s.story.extra.insert("theme".into(), "night".into());
    s.app_members
        .insert("future".into(), serde_json::json!({"x": 1}));
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("story.geojson");
    save_atomic(&path, &s).expect("save");
    let back = load(&path).expect("load");
    assert_eq!(back.story, s.story);
    assert_eq!(titles(&back), ["Third", "First", "Second"]);
    assert_eq!(
        back.app_members, s.app_members,
        "\"story\" is typed, other members kept"
    );
    assert!(!back.app_members.contains_key("story"));
    // And again: the second save writes the same text.
    assert_eq!(to_string(&back), to_string(&s));
}

#[test]
fn unknown_slide_keys_from_another_tool_survive_and_missing_ids_are_assigned() {
    let text = r#"{"type":"FeatureCollection","corridor_atlas":{"version":1,"story":{"slides":[
{"title":"A","timer_s":30},{"id":4,"title":"B","view":{"kind":"fit-region"}},{"id":4,"title":"C"}]}},"features":[]}"#;
    let s = from_str(text, "x.geojson").expect("valid");
    assert_eq!(titles(&s), ["A", "B", "C"]);
    assert_eq!(s.story.slides[0].extra["timer_s"], 30);
    let ids: std::collections::BTreeSet<_> = s.story.slides.iter().map(|sl| sl.id).collect();
    assert_eq!(ids.len(), 3, "every slide has its own id: {ids:?}");
    assert!(!ids.contains(&SlideId(0)));
    let again = from_str(&to_string(&s), "y.geojson").expect("valid");
    assert_eq!(again.story.slides[0].extra["timer_s"], 30);
}

#[test]
fn a_broken_slide_is_reported_with_its_number_and_position() {
    let text = "{\"type\":\"FeatureCollection\",\n\"corridor_atlas\":{\"story\":{\"slides\":[{\"title\":\"ok\"},\n  {\"title\": 5}]}},\n\"features\":[]}";
    let err = from_str(text, "talk.geojson")
        .expect_err("bad title")
        .to_string();
    assert!(
        err.starts_with("talk.geojson: line 3, column 3: slide 2"),
        "{err}"
    );
}

#[test]
fn a_fitted_slide_puts_its_alternatives_inside_the_map_frame() {
    let s = scenario_with_alternatives();
    let mut slide = Slide::new(SlideId(1), "both");
    slide.view = SlideView::FitAlignments(vec![]);
    for viewport in [(1920.0, 1080.0), (1280.0, 800.0), (800.0, 1000.0)] {
        let cam = slide_camera(&slide, &s, viewport);
        let layout = SlideLayout::new(viewport.0, viewport.1);
        let [fx0, fy0, fx1, fy1] = layout.map_frame_px;
        // Independently: project every vertex with Mercator at the camera's zoom.
        let centre = world_from_lonlat(cam.lon, cam.lat);
        let scale = world_size_px(cam.zoom);
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for v in s.alignments.iter().flat_map(|a| &a.vertices) {
            let w = world_from_lonlat(v.lon, v.lat);
            let x = viewport.0 / 2.0 + (w[0] - centre[0]) * scale;
            let y = viewport.1 / 2.0 + (w[1] - centre[1]) * scale;
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        let eps = 1e-6;
        assert!(
            x0 >= fx0 - eps && x1 <= fx1 + eps && y0 >= fy0 - eps && y1 <= fy1 + eps,
            "{viewport:?}: bbox {x0:.1},{y0:.1}..{x1:.1},{y1:.1} frame {fx0:.1},{fy0:.1}..{fx1:.1},{fy1:.1}"
        );
        // As large as fits: it touches the frame on one axis.
        let touches = (x1 - x0 - (fx1 - fx0)).abs() < 1e-6 || (y1 - y0 - (fy1 - fy0)).abs() < 1e-6;
        assert!(touches, "{viewport:?}: the fit is not tight");
        // Clear of the caption column.
        assert!(x0 > layout.column_px);
    }
    // Fitting one alternative fits that one only.
    slide.view = SlideView::FitAlignments(vec![AlignmentId(2)]);
    let east = alignments_world_rect(&s, &[AlignmentId(2)]).expect("rect");
    let all = alignments_world_rect(&s, &[]).expect("rect");
    assert!(east.width() < all.width());
    assert!(
        slide_camera(&slide, &s, (1920.0, 1080.0)).zoom
            > slide_camera(
                &Slide {
                    view: SlideView::FitAlignments(vec![]),
                    ..slide.clone()
                },
                &s,
                (1920.0, 1080.0)
            )
            .zoom
    );
}

#[test]
fn the_example_story_walks_through_every_option() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/corridor-options.geojson");
    let s = load(&path).expect("the example loads");
    let slides = &s.story.slides;
    assert!(slides.len() >= 6, "{} slides", slides.len());
    assert_eq!(slides[0].title, "Central Asia to the Arabian Sea");
    // The opening slide frames the corridor (every alternative), not the whole bundled
    // region with its empty west (issue 16).
    assert_eq!(slides[0].view, SlideView::FitAlignments(Vec::new()));
    for slide in slides {
        assert!(!slide.notes.is_empty(), "{}: presenter notes", slide.title);
        assert!(
            slide.problem(&s, None).is_none(),
            "{}: {:?}",
            slide.title,
            slide.problem(&s, None)
        );
    }
    assert!(slides[1].caption.contains("687 km") && slides[1].caption.contains("$7 bn"));
    assert!(slides[1].caption.contains("737.5 km"));
    assert_eq!(slides[1].reveal, Some(AlignmentId(1)));
    assert!(slides[3].caption.contains("647 km") && slides[3].caption.contains("$4.6 bn"));
    // The story's own figures are live placeholders, every one of which fills (issue 14);
    // the published ones are said as published.
    for slide in slides {
        let warnings = corridor_domain::plan::scenario::live_figures::caption_warnings(slide, &s);
        assert!(warnings.is_empty(), "{}: {warnings:?}", slide.title);
    }
    assert!(slides[3].caption.contains("Published: **647 km**"));
    assert!(slides[3].caption.contains("{length_km}") && slides[3].caption.contains("{time}"));
    let last = slides.last().expect("slides");
    assert_eq!(last.highlight.len(), s.alignments.len());
    assert_eq!(
        last.kind,
        SlideKind::Comparison,
        "the last slide compares the options"
    );
}
