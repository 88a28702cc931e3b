#![allow(clippy::expect_used, clippy::unwrap_used)] // tests: a panic with a message is a failed test
//! Slides legible from the back row (issue 16): on an exported 1920×1080 slide every map
//! label's glyphs are at least 18 px tall, no legend entry is cut, the corridor's places are
//! named, alternatives are at least 5 px wide and shared track shows every alternative; the
//! comparison slide carries the ledger's figures.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use corridor_domain::Atlas;
use corridor_domain::draw::basemap::BasemapStyle;
use corridor_domain::draw::render::ink::TextRole;
use corridor_domain::draw::render::{SlideFrame, SlideRenderer, render_slide};
use corridor_domain::plan::scenario::model::{Alignment, AlignmentId, Scenario, Vertex};
use corridor_domain::plan::scenario::story::{Slide, SlideId, SlideKind, SlideView};
use geo::{Geodesic, Length, LineString};
use tiny_skia::Pixmap;

const FULL_HD: (u32, u32) = (1920, 1080);

fn renderer() -> &'static SlideRenderer {
    static R: OnceLock<SlideRenderer> = OnceLock::new();
    R.get_or_init(|| SlideRenderer::new(Arc::new(Atlas::load_bundled())).expect("renderer"))
}

fn example() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/examples/corridor-options.geojson");
    corridor_domain::plan::scenario::io::load(&path).expect("the example scenario loads")
}

fn frame(s: &Scenario, index: usize) -> SlideFrame {
    renderer()
        .render_frame(s, index, FULL_HD, BasemapStyle::Light, true)
        .expect("renders")
}

/// Height in pixels of the ink of `text` drawn at `size_px` (alpha > 50 %), measured on a
/// scratch pixmap: the glyphs' real extent, not the size the renderer asked for.
fn ink_height_px(text: &str, size_px: f32) -> u32 {
    let font = renderer().font();
    let h = (size_px * 3.0) as u32;
    let w = (font.width_px(text, size_px) + 20.0) as u32;
    let mut p = Pixmap::new(w, h).expect("pixmap");
    let style = corridor_domain::draw::render::text::TextStyle::new(size_px, [0, 0, 0, 255]);
    font.draw(&mut p, text, 10.0, size_px, &style);
    let rows: Vec<u32> = (0..h)
        .filter(|&y| (0..w).any(|x| p.pixel(x, y).is_some_and(|c| c.alpha() > 128)))
        .collect();
    rows.last().map_or(0, |last| last - rows[0] + 1)
}

#[test]
fn labels_are_18_px_tall_legends_whole_and_the_corridor_named_on_a_1080p_slide() {
    let s = example();
    // Slide 2: the western line to Karachi, highlighted and revealed.
    let f = frame(&s, 1);
    let labels: Vec<_> = f
        .runs
        .iter()
        .filter(|r| r.role == TextRole::Label)
        .collect();
    assert!(labels.len() >= 5, "only {} labels", labels.len());
    for l in &labels {
        let ink = ink_height_px(&l.text, l.size_px);
        assert!(ink >= 18, "label {:?}: glyphs {ink} px tall", l.text);
    }
    // The stations the slide talks about, on its alternative: always named.
    let names: Vec<&str> = labels.iter().map(|r| r.text.as_str()).collect();
    for place in ["Herat", "Kandahar", "Karachi"] {
        assert!(
            names.contains(&place),
            "{place} unlabelled; labels: {names:?}"
        );
    }
    // The legend: nothing cut, and the whole name of the alternative is there.
    assert!(f.cut.is_empty(), "cut legend entries: {:?}", f.cut);
    let legend: Vec<&str> = f
        .runs
        .iter()
        .filter(|r| r.role == TextRole::Legend)
        .map(|r| r.text.as_str())
        .collect();
    let legend = legend.join(" ");
    assert!(!legend.contains('…'), "{legend}");
    let name = &s.alignment(AlignmentId(1)).expect("alternative 1").name;
    assert!(legend.contains(name.as_str()), "{name:?} not in {legend:?}");
    // The scale bar is there.
    assert!(
        f.runs
            .iter()
            .any(|r| r.role == TextRole::ScaleBar && r.text.ends_with(" km"))
    );
    // Slide 1 lists all five alternatives, none cut (the issue saw "…to Pesh…").
    let f1 = frame(&s, 0);
    assert!(f1.cut.is_empty(), "cut legend entries: {:?}", f1.cut);
    let legend1: String = f1
        .runs
        .iter()
        .filter(|r| r.role == TextRole::Legend)
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    for a in &s.alignments {
        assert!(legend1.contains(a.name.as_str()), "{:?} cut", a.name);
    }
}

#[test]
fn the_comparison_slide_shows_each_alternatives_ledger_km() {
    let s = example();
    let index = s
        .story
        .slides
        .iter()
        .position(|sl| sl.title == "Comparing the options")
        .expect("the bundled story compares the options");
    assert_eq!(s.story.slides[index].kind, SlideKind::Comparison);
    let f = frame(&s, index);
    let table: Vec<&str> = f
        .runs
        .iter()
        .filter(|r| r.role == TextRole::Table)
        .map(|r| r.text.as_str())
        .collect();
    for a in &s.alignments {
        // The ledger's length is the WGS84 geodesic length of the vertices (Karney, via geo),
        // written as the ruler writes lengths: 0.1 km, thousands grouped, "km".
        let line: LineString<f64> = a.vertices.iter().map(|v| (v.lon, v.lat)).collect();
        let tenths = (Geodesic.length(&line) / 100.0).round() as i64;
        let whole = tenths / 10;
        let grouped = if whole >= 1000 {
            format!("{},{:03}", whole / 1000, whole % 1000)
        } else {
            whole.to_string()
        };
        let km = format!("{grouped}.{} km", tenths % 10);
        assert!(
            table.contains(&km.as_str()),
            "{}: {km} not in {table:?}",
            a.name
        );
    }
    for head in [
        "length",
        "cost",
        "time",
        "tunnels",
        "bridges",
        "tight curves",
    ] {
        assert!(table.contains(&head), "no {head} column");
    }
}

/// A horizontal alternative across an empty atlas (sea only) at 1920×1080.
fn straight(id: u64, color: [u8; 4], lat: f64) -> Alignment {
    let mut a = Alignment::new(AlignmentId(id), format!("line {id}"));
    a.vertices = vec![Vertex::new(58.0, lat), Vertex::new(74.0, lat)];
    a.color = color;
    a
}

fn scenario_of(alignments: Vec<Alignment>) -> Scenario {
    let mut s = Scenario::new();
    s.alignments = alignments;
    let mut slide = Slide::new(SlideId(1), "");
    slide.view = SlideView::Center {
        lon: 66.0,
        lat: 30.0,
        zoom: 5.0,
    };
    s.story.slides.push(slide);
    s
}

/// Rows of column `x` whose pixel is within 40 levels of `c` in every channel.
fn rows_of(p: &Pixmap, x: u32, c: [u8; 4]) -> Vec<u32> {
    (0..p.height())
        .filter(|&y| {
            p.pixel(x, y).is_some_and(|px| {
                let px = px.demultiply();
                [px.red(), px.green(), px.blue()]
                    .iter()
                    .zip(c)
                    .all(|(a, b)| a.abs_diff(b) <= 40)
            })
        })
        .collect()
}

#[test]
fn alternatives_are_5_px_wide_and_shared_track_shows_both() {
    let red = [220, 20, 20, 255];
    let blue = [20, 60, 220, 255];
    let p = render_slide(
        &Atlas::default(),
        &scenario_of(vec![straight(1, red, 30.0)]),
        0,
        FULL_HD,
        BasemapStyle::Light,
    )
    .expect("renders");
    // A column right of the caption column, through the line (x 778..1142 at zoom 5).
    let x = 1050;
    let red_rows = rows_of(&p, x, red);
    assert!(
        red_rows.len() >= 5,
        "the line is {} px wide",
        red_rows.len()
    );
    // Two alternatives on the very same track: both visible, side by side.
    let p = render_slide(
        &Atlas::default(),
        &scenario_of(vec![straight(1, red, 30.0), straight(2, blue, 30.0)]),
        0,
        FULL_HD,
        BasemapStyle::Light,
    )
    .expect("renders");
    let (r, b) = (rows_of(&p, x, red), rows_of(&p, x, blue));
    assert!(
        r.len() >= 4 && b.len() >= 4,
        "red {} px, blue {} px",
        r.len(),
        b.len()
    );
    // Not on top of each other: the red lane is wholly on one side of the blue one.
    let (r0, r1, b0, b1) = (r[0], r[r.len() - 1], b[0], b[b.len() - 1]);
    assert!(
        r1 < b0 || b1 < r0,
        "red {r0}..{r1} and blue {b0}..{b1} overlap"
    );
}
