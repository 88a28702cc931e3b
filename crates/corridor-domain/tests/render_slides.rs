#![allow(clippy::expect_used, clippy::unwrap_used)] // tests: a panic with a message is a failed test
//! Headless slide rendering over the real bundled data and the example story.
//!
//! The reference image `tests/fixtures/render/example-slide-2-480x270.png` is slide 2 of the
//! example scenario; after an intended change to the look of slides, rewrite it with
//! `UPDATE_REFERENCE=1 cargo test --test render_slides` and look at it before committing.
//! `RENDER_PREVIEW_DIR=/tmp/slides cargo test --release --test render_slides` also writes
//! every example slide at 1920×1080 there, in both styles, for a person to look at.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use corridor_domain::Atlas;
use corridor_domain::draw::basemap::BasemapStyle;
use corridor_domain::draw::render::ink::TextRole;
use corridor_domain::draw::render::{SlideRenderer, save_png};
use corridor_domain::map::mercator::world_from_lonlat;
use corridor_domain::measure::ledger::curves::curve_radii_m;
use corridor_domain::measure::ledger::{LedgerContext, compute_ledger_with_radii};
use corridor_domain::plan::scenario::model::{AlignmentId, Scenario};
use corridor_domain::plan::scenario::story::{SlideLayout, SlideView, slide_camera};
use tiny_skia::{Pixmap, Transform};

fn renderer() -> &'static SlideRenderer {
    static R: OnceLock<SlideRenderer> = OnceLock::new();
    R.get_or_init(|| SlideRenderer::new(Arc::new(Atlas::load_bundled())).expect("renderer"))
}

fn example() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/examples/corridor-options.geojson");
    corridor_domain::plan::scenario::io::load(&path).expect("the example scenario loads")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/render")
        .join(name)
}

/// Mean absolute difference per channel (0..255) over the whole image.
fn mean_abs_diff(a: &Pixmap, b: &Pixmap) -> f64 {
    assert_eq!((a.width(), a.height()), (b.width(), b.height()));
    let sum: u64 = a
        .data()
        .iter()
        .zip(b.data())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    sum as f64 / a.data().len() as f64
}

#[test]
fn a_slide_renders_at_the_requested_size() {
    let s = example();
    for size in [(480, 270), (333, 500)] {
        let p = renderer()
            .render(&s, 0, size, BasemapStyle::Light)
            .expect("renders");
        assert_eq!((p.width(), p.height()), size);
    }
}

#[test]
fn slide_2_matches_the_reference_image() {
    let s = example();
    let image = renderer()
        .render(&s, 1, (480, 270), BasemapStyle::Light)
        .expect("renders");
    let path = fixture("example-slide-2-480x270.png");
    if std::env::var_os("UPDATE_REFERENCE").is_some() {
        std::fs::create_dir_all(path.parent().expect("fixture dir")).expect("mkdir");
        save_png(&image, &path).expect("writes the reference");
        eprintln!("wrote {}", path.display());
    }
    let reference =
        Pixmap::load_png(&path).expect("the reference image exists (UPDATE_REFERENCE=1 writes it)");
    let diff = mean_abs_diff(&image, &reference);
    // The renderer is CPU-only (tiny-skia) with bundled fonts: the same code gives the same
    // pixels on any machine. The bound allows a level here and there; a recoloured or re-routed
    // alternative on its own moved the mean by ~2.5, moved labels by ~3 (both seen), so 3.0
    // let a stale reference pass.
    assert!(diff < 0.5, "mean difference {diff:.2} levels per channel");
}

/// A mask of the pixels within `radius_px` of the alternative's line on this slide's view.
#[allow(
    clippy::many_single_char_names,
    reason = "x, y, w, c: projection arithmetic"
)]
fn near_alignment(
    s: &Scenario,
    slide: usize,
    id: AlignmentId,
    size: (u32, u32),
    radius_px: f32,
) -> Pixmap {
    let camera = slide_camera(
        &s.story.slides[slide],
        s,
        (f64::from(size.0), f64::from(size.1)),
    );
    let scale = 2f64.powf(camera.zoom) * 256.0;
    let c = camera.world();
    let mut pb = tiny_skia::PathBuilder::new();
    for (i, v) in s
        .alignment(id)
        .expect("alternative")
        .vertices
        .iter()
        .enumerate()
    {
        let w = world_from_lonlat(v.lon, v.lat);
        let x = (f64::from(size.0) / 2.0 + (w[0] - c[0]) * scale) as f32;
        let y = (f64::from(size.1) / 2.0 + (w[1] - c[1]) * scale) as f32;
        if i == 0 {
            pb.move_to(x, y);
        } else {
            pb.line_to(x, y);
        }
    }
    let mut mask = Pixmap::new(size.0, size.1).expect("mask");
    let mut paint = tiny_skia::Paint::default();
    paint.set_color_rgba8(255, 255, 255, 255);
    let stroke = tiny_skia::Stroke {
        width: 2.0 * radius_px,
        ..tiny_skia::Stroke::default()
    };
    mask.stroke_path(
        &pb.finish().expect("path"),
        &paint,
        &stroke,
        Transform::identity(),
        None,
    );
    mask
}

#[test]
fn a_highlighted_alternative_shows_along_its_path_and_nowhere_else() {
    // Only the eastern alternative, on a fixed view (so the camera does not depend on it);
    // once highlighted, once removed.
    let mut with = example();
    let east = AlignmentId(3);
    with.alignments.retain(|a| a.id == east);
    with.story.slides.truncate(1);
    with.story.slides[0].view = SlideView::Center {
        lon: 68.5,
        lat: 33.5,
        zoom: 6.0,
    };
    with.story.slides[0].highlight = vec![east];
    // No place layers: an alternative's own places are always labelled (and move the other
    // labels), which would count as "elsewhere" here; this test is about the line.
    with.story.slides[0].layers = Some(vec!["countries".into(), "borders".into(), "rail".into()]);
    let mut without = with.clone();
    without.alignments.clear();
    let size = (960, 540);
    let a = renderer()
        .render(&with, 0, size, BasemapStyle::Light)
        .expect("renders");
    let b = renderer()
        .render(&without, 0, size, BasemapStyle::Light)
        .expect("renders");
    let near = near_alignment(&with, 0, east, size, 3.0);
    let far = near_alignment(&with, 0, east, size, 12.0);
    let layout = SlideLayout::new(f64::from(size.0), f64::from(size.1));
    let (mut on, mut on_n, mut off, mut off_n) = (0u64, 0u64, 0u64, 0u64);
    for y in 0..size.1 {
        for x in 0..size.0 {
            let i = (y * size.0 + x) as usize * 4;
            let d: u64 = (0..3)
                .map(|c| u64::from(a.data()[i + c].abs_diff(b.data()[i + c])))
                .sum();
            if near.data()[i + 3] == 255 {
                on += d;
                on_n += 1;
            } else if far.data()[i + 3] == 0 && f64::from(x) > layout.column_px {
                // Away from the line and right of the caption column (whose legend differs).
                off += d;
                off_n += 1;
            }
        }
    }
    assert!(on_n > 500, "the line crosses the view ({on_n} px)");
    let on_mean = on as f64 / on_n as f64 / 3.0;
    let off_mean = off as f64 / off_n as f64 / 3.0;
    assert!(on_mean > 60.0, "along the line: {on_mean:.1} levels");
    assert!(off_mean < 1.0, "elsewhere: {off_mean:.2} levels");
}

#[test]
fn the_dark_style_is_darker() {
    let s = example();
    let lum = |p: &Pixmap| {
        p.data()
            .chunks(4)
            .map(|c| u64::from(c[0]) + u64::from(c[1]) + u64::from(c[2]))
            .sum::<u64>()
    };
    let light = renderer()
        .render(&s, 5, (320, 180), BasemapStyle::Light)
        .expect("renders");
    let dark = renderer()
        .render(&s, 5, (320, 180), BasemapStyle::Dark)
        .expect("renders");
    assert!(lum(&dark) * 10 < lum(&light) * 7);
}

#[test]
fn preview_every_example_slide_when_asked() {
    let Some(dir) = std::env::var_os("RENDER_PREVIEW_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let s = example();
    for i in 0..s.story.slides.len() {
        for (style, name) in [(BasemapStyle::Light, "light"), (BasemapStyle::Dark, "dark")] {
            let p = renderer()
                .render(&s, i, (1920, 1080), style)
                .expect("renders");
            save_png(&p, &dir.join(format!("slide-{:02}-{name}.png", i + 1))).expect("saves");
        }
    }
}

/// The text of a rendered slide's runs of one role, whitespace collapsed (runs are pieces
/// of wrapped lines).
fn text_of(frame: &corridor_domain::draw::render::SlideFrame, role: TextRole) -> String {
    frame
        .runs
        .iter()
        .filter(|r| r.role == role)
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Issues 14 and 18 on the rendered slides' data (not pixels): the UAP slide's legend states
/// the ledger's length, travel time, tunnels, bridges and tight curves, its caption's live
/// placeholders the same length, cost and time; the comparison slide's table has the time and
/// engineering columns for every alternative. Expected figures come from ledgers computed here
/// (`compute_ledger_with_radii` as Compare calls it), written out by hand to 0.1.
#[test]
fn slides_state_the_ledgers_figures_in_legend_caption_and_table() {
    let s = example();
    let atlas = Atlas::load_bundled();
    let ctx = LedgerContext::new(&atlas);
    let settings = s.settings.ledger_settings();
    let ledger_of = |id: u64| {
        let a = s.alignment(AlignmentId(id)).expect("alternative");
        let v: Vec<(f64, f64)> = a.vertices.iter().map(|v| (v.lon, v.lat)).collect();
        compute_ledger_with_radii(&v, &curve_radii_m(&a.extra), a.gauge_mm, &ctx, &settings)
    };
    let uap = ledger_of(3);
    let e = uap.engineering.as_ref().expect("engineering");
    assert!(e.design.is_some(), "design line");
    assert!(uap.length_m < 1e6, "under 1,000 km: no thousands separator");
    let km = format!("{:.1} km", uap.length_m / 1000.0);
    let time = format!("{:.1} h", uap.travel.total_h);
    // The cost is said as its band: the estimate × 0.78 … × 1.42 (docs/costs.md).
    let cost = format!(
        "${:.1}–{:.1} bn",
        uap.cost.total_usd * 0.78 / 1e9,
        uap.cost.total_usd * 1.42 / 1e9
    );
    let frame = renderer()
        .render_frame(&s, 3, (1920, 1080), BasemapStyle::Light, false)
        .expect("renders");
    let legend = text_of(&frame, TextRole::Legend);
    for want in [
        format!("{km} (published 647 km)"),
        format!("time {time}"),
        // The structures to build: the design line's on new build, as the cost counts them.
        format!("tunnels {:.1} km", uap.cost.quantities.tunnel_km),
        format!("bridges {:.1} km", uap.cost.quantities.bridge_km),
        format!("tight curves {}", e.curves_below_min),
    ] {
        assert!(legend.contains(&want), "legend {legend:?} lacks {want:?}");
    }
    let caption = text_of(&frame, TextRole::Caption);
    for want in [&km, &cost, &time] {
        assert!(
            caption.contains(want.as_str()),
            "caption {caption:?} lacks {want:?}"
        );
    }
    assert!(caption.contains("Published: 647 km"), "{caption}");

    let table = renderer()
        .render_frame(&s, 5, (1920, 1080), BasemapStyle::Light, false)
        .expect("renders");
    let table = text_of(&table, TextRole::Table);
    for head in ["time", "tunnels", "bridges", "tight curves"] {
        assert!(table.contains(head), "{table}");
    }
    for id in 1..=5 {
        let l = ledger_of(id);
        let e = l.engineering.as_ref().expect("engineering");
        assert!(e.design.is_some(), "design line");
        for want in [
            format!("{:.1} h", l.travel.total_h),
            format!("{:.1} km", l.cost.quantities.tunnel_km),
        ] {
            assert!(
                table.contains(&want),
                "alternative {id}: {want:?} not in {table:?}"
            );
        }
    }
    // Every placeholder of the example fills: no slide shows "{?".
    for i in 0..s.story.slides.len() {
        let f = renderer()
            .render_frame(&s, i, (960, 540), BasemapStyle::Light, false)
            .expect("renders");
        assert!(
            f.runs
                .iter()
                .filter(|r| matches!(r.role, TextRole::Caption | TextRole::Legend))
                .all(|r| !r.text.contains("{?") && !r.text.contains('…')),
            "slide {}",
            i + 1
        );
    }
}
