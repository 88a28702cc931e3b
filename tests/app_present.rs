#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! Presentation mode through the real UI: F5, clicker keys, the fly-to landing exactly on the
//! slide's view, the reveal, black screen, go-to-slide, Esc.

mod common;

use corridor_atlas::app::AtlasApp;
use corridor_domain::plan::scenario::story::slide_camera;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

use common::atlas;

fn harness() -> Harness<'static, AtlasApp> {
    let ctx = egui::Context::default();
    let mut app = AtlasApp::with_atlas(&ctx, atlas());
    app.open_example(&ctx);
    let mut h = common::harness_for(app, (1280.0, 720.0), Some(400));
    h.run_steps(3);
    assert!(
        h.state().scenario().story.slides.len() >= 6,
        "the example carries a story"
    );
    h
}

/// Run frames until no flight or reveal is animating (at most ~6 s of simulated time).
fn settle(h: &mut Harness<'static, AtlasApp>) {
    for _ in 0..400 {
        h.step();
        let now = h.ctx.input(|i| i.time);
        if !h.state().presenter().animating(now) {
            break;
        }
    }
    h.run_steps(2);
}

fn assert_at_slide_view(h: &mut Harness<'static, AtlasApp>, index: usize) {
    let rect = h.state_mut().map_state_mut().last_rect.expect("map drawn");
    let scenario = h.state().scenario().clone();
    let want = slide_camera(
        &scenario.story.slides[index],
        &scenario,
        (f64::from(rect.width()), f64::from(rect.height())),
    );
    let (lon, lat) = h.state().center_lonlat().expect("centre");
    assert!(
        (lon - want.lon).abs() < 1e-9 && (lat - want.lat).abs() < 1e-9,
        "centre {lon},{lat} vs {want:?}"
    );
    assert!(
        (h.state().zoom() - want.zoom).abs() < 1e-9,
        "zoom {} vs {}",
        h.state().zoom(),
        want.zoom
    );
}

#[test]
fn f5_presents_and_clicker_keys_move_between_slides_landing_on_each_view() {
    let mut h = harness();
    h.key_press(Key::F5);
    h.run_steps(2);
    assert!(h.state().presenter().active);
    assert_eq!(h.state().presenter().index, 0);
    settle(&mut h);
    assert_at_slide_view(&mut h, 0);
    // The presenter view names the slide (an embedded window in tests, a real one in the app).
    let title0 = h.state().scenario().story.slides[0].title.clone();
    assert!(
        h.query_all_by_label_contains(&title0).count() >= 1,
        "presenter view shows {title0}"
    );

    for key in [Key::ArrowRight, Key::PageDown, Key::Space] {
        let before = h.state().presenter().index;
        h.key_press(key);
        h.run_steps(1);
        // A key while a reveal runs completes it first; a second press moves on.
        if h.state().presenter().index == before {
            h.key_press(key);
            h.run_steps(1);
        }
        assert_eq!(
            h.state().presenter().index,
            before + 1,
            "{key:?} moves to the next slide"
        );
        settle(&mut h);
        assert_at_slide_view(&mut h, before + 1);
    }
    h.key_press(Key::ArrowLeft);
    h.run_steps(1);
    assert_eq!(h.state().presenter().index, 2);
    h.key_press(Key::End);
    h.run_steps(1);
    let last = h.state().scenario().story.slides.len() - 1;
    assert_eq!(h.state().presenter().index, last);
    h.key_press(Key::Home);
    h.run_steps(1);
    assert_eq!(h.state().presenter().index, 0);
    // Number + Enter goes to that slide.
    h.key_press(Key::Num3);
    h.key_press(Key::Enter);
    h.run_steps(1);
    assert_eq!(h.state().presenter().index, 2);
    // B blacks the screen and back.
    h.key_press(Key::B);
    h.run_steps(1);
    assert!(h.state().presenter().black);
    h.key_press(Key::B);
    h.run_steps(1);
    assert!(!h.state().presenter().black);
    // Esc leaves, with the layers as they were.
    let layers_before: Vec<Option<bool>> = ["rail", "cities", "borders"]
        .iter()
        .map(|id| h.state().layer_visible(id))
        .collect();
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(!h.state().presenter().active);
    let layers_after: Vec<Option<bool>> = ["rail", "cities", "borders"]
        .iter()
        .map(|id| h.state().layer_visible(id))
        .collect();
    assert_eq!(layers_before, layers_after);
}

#[test]
fn a_reveal_grows_along_the_alternative_and_a_key_skips_to_its_end() {
    let mut h = harness();
    let scenario = h.state().scenario().clone();
    let index = scenario
        .story
        .slides
        .iter()
        .position(|s| s.reveal.is_some())
        .expect("a slide reveals an alternative");
    h.key_press(Key::F5);
    h.run_steps(2);
    // Go straight to it: its number, then Enter.
    let digit = [
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
        Key::Num9,
    ][index];
    h.key_press(digit);
    h.key_press(Key::Enter);
    h.run_steps(1);
    assert_eq!(h.state().presenter().index, index);
    // Let the flight land, then watch the reveal grow (a step is 1/4 s of simulated time).
    for _ in 0..40 {
        if !h.state().presenter().flying() {
            break;
        }
        h.step();
    }
    h.step();
    let now = h.ctx.input(|i| i.time);
    let (_, f1) = h
        .state()
        .presenter()
        .reveal_fraction(now)
        .expect("revealing");
    for _ in 0..4 {
        h.step();
    }
    let now = h.ctx.input(|i| i.time);
    let (_, f2) = h
        .state()
        .presenter()
        .reveal_fraction(now)
        .expect("revealing");
    assert!(f2 > f1 && f2 < 1.0, "the reveal progresses: {f1} → {f2}");
    h.key_press(Key::ArrowRight);
    h.run_steps(1);
    let now = h.ctx.input(|i| i.time);
    let (_, f3) = h
        .state()
        .presenter()
        .reveal_fraction(now)
        .expect("still this slide");
    assert!((f3 - 1.0).abs() < 1e-12, "a key press completes the reveal");
    assert_eq!(h.state().presenter().index, index, "and stays on the slide");
}
