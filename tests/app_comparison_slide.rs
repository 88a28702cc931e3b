#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! The comparison slide in presentation mode: the bundled story's last slide ("Comparing the
//! options") covers the map frame with the ledger table and chart, painted from the Compare
//! panel's ledgers.

mod common;

use corridor_atlas::app::AtlasApp;
use corridor_atlas::app::comparison_slide::entries;
use corridor_domain::draw::render::comparison::table_cells;
use corridor_domain::plan::scenario::story::{SlideKind, SlideLayout};
use egui::Key;
use egui_kittest::Harness;
use geo::{Geodesic, Length, LineString};

use common::atlas;

fn harness() -> Harness<'static, AtlasApp> {
    let ctx = egui::Context::default();
    let mut app = AtlasApp::with_atlas(&ctx, atlas());
    app.open_example(&ctx);
    let mut h = common::harness_for(app, (1280.0, 720.0), Some(400));
    h.run_steps(3);
    h
}

/// Share of the sampled points of the map frame's lower right quarter (under the chart on a
/// comparison slide) that are pure white.
fn white_share(h: &mut Harness<'static, AtlasApp>) -> f64 {
    let image = h.render().expect("renders");
    let rect = h.state_mut().map_state_mut().last_rect.expect("map drawn");
    let layout = SlideLayout::new(f64::from(rect.width()), f64::from(rect.height()));
    let [x0, y0, x1, y1] = layout.map_frame_px;
    let ppp = f64::from(h.ctx.pixels_per_point());
    let (mut white, mut all) = (0, 0);
    for i in 0..20 {
        for j in 0..10 {
            let x = f64::from(rect.min.x) + x0 + (x1 - x0) * (0.55 + 0.4 * f64::from(i) / 20.0);
            let y = f64::from(rect.min.y) + y0 + (y1 - y0) * (0.85 + 0.1 * f64::from(j) / 10.0);
            let p = image.get_pixel((x * ppp) as u32, (y * ppp) as u32);
            all += 1;
            if p.0[..3].iter().all(|&c| c >= 250) {
                white += 1;
            }
        }
    }
    f64::from(white) / f64::from(all)
}

#[test]
fn the_comparison_slide_covers_the_map_frame_with_the_table_and_chart() {
    let mut h = harness();
    let last = h.state().scenario().story.slides.len() - 1;
    assert_eq!(
        h.state().scenario().story.slides[last].kind,
        SlideKind::Comparison
    );
    h.key_press(Key::F5);
    h.run_steps(2);
    h.key_press(Key::End);
    for _ in 0..400 {
        h.step();
        let now = h.ctx.input(|i| i.time);
        if !h.state().presenter().animating(now) {
            break;
        }
    }
    h.run_steps(3);
    assert_eq!(h.state().presenter().index, last);
    // What the slide shows comes from the Compare panel's ledgers: every alternative, with
    // its geodesic length (WGS84, Karney via geo) as the table's km.
    let scenario = h.state().scenario().clone();
    let shown = entries(&scenario.story.slides[last], &scenario, h.state().ledgers());
    assert_eq!(shown.len(), scenario.alignments.len());
    for (e, a) in shown.iter().zip(&scenario.alignments) {
        let line: LineString<f64> = a.vertices.iter().map(|v| (v.lon, v.lat)).collect();
        // As the ruler writes lengths: 0.1 km, thousands grouped, "km".
        let km = corridor_domain::measure::geodesic::format_km(Geodesic.length(&line));
        assert_eq!(table_cells(&e.row)[0], km, "{}", a.name);
        assert_eq!(e.color, a.color);
    }
    let on_comparison = white_share(&mut h);
    assert!(on_comparison > 0.95, "white share {on_comparison}");
    // The slide before is a map: its frame is not a white panel.
    h.key_press(Key::ArrowLeft);
    for _ in 0..400 {
        h.step();
        let now = h.ctx.input(|i| i.time);
        if !h.state().presenter().animating(now) {
            break;
        }
    }
    h.run_steps(3);
    let on_map = white_share(&mut h);
    assert!(on_map < 0.5, "white share on a map slide {on_map}");
}
