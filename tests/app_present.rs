#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! Presentation mode through the real UI: F5, clicker keys, the fly-to landing exactly on the
//! slide's view, the reveal, black screen, go-to-slide, Esc.

mod common;

use corridor_atlas::app::AtlasApp;
use corridor_domain::plan::scenario::story::slide_camera;
use egui::{Event, Key, Modifiers, PointerButton, Pos2, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

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
    // No screens can be listed in tests: one screen of unknown layout, so the presenter view
    // starts hidden and P shows it (an embedded window in tests, a real one in the app).
    assert!(!h.state().show_presenter_view);
    h.key_press(Key::P);
    h.run_steps(1);
    assert!(h.state().show_presenter_view);
    let title0 = h.state().scenario().story.slides[0].title.clone();
    assert!(
        h.query_all_by_label_contains(&title0).count() >= 1,
        "presenter view shows {title0}"
    );

    for key in [Key::ArrowRight, Key::PageDown, Key::Space] {
        let before = h.state().presenter().index;
        // The previous slide has settled (any reveal finished on its own): one press moves on.
        h.key_press(key);
        h.run_steps(1);
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

/// Go to slide `index` (0-based, below 9) with its number and Enter.
fn go_to(h: &mut Harness<'static, AtlasApp>, index: usize) {
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
}

#[test]
fn a_reveal_finished_on_its_own_never_eats_a_key() {
    let mut h = harness();
    let scenario = h.state().scenario().clone();
    let last = scenario.story.slides.len() - 1;
    let reveals: Vec<usize> = (0..last)
        .filter(|&i| scenario.story.slides[i].reveal.is_some())
        .collect();
    assert!(!reveals.is_empty(), "the example story reveals something");
    h.key_press(Key::F5);
    h.run_steps(2);
    for (n, &index) in reveals.iter().enumerate() {
        for key in [Key::ArrowRight, Key::Space, Key::PageDown] {
            go_to(&mut h, index);
            // Wait until the reveal has completed by itself (the caption shows the final km).
            settle(&mut h);
            let now = h.ctx.input(|i| i.time);
            let (_, fraction) = h.state().presenter().reveal_fraction(now).expect("reveal");
            assert!((fraction - 1.0).abs() < 1e-12, "reveal {n} finished");
            h.key_press(key);
            h.run_steps(1);
            assert_eq!(
                h.state().presenter().index,
                index + 1,
                "one {key:?} after the finished reveal of slide {} moves on",
                index + 1
            );
        }
    }
}

#[test]
fn each_press_is_one_step_even_when_two_arrive_in_one_frame() {
    let mut h = harness();
    h.key_press(Key::F5);
    h.run_steps(2);
    settle(&mut h);
    // A clicker fired twice quickly: both presses reach the same frame.
    h.key_press(Key::PageDown);
    h.key_press(Key::PageDown);
    h.step();
    assert_eq!(h.state().presenter().index, 2);
    h.key_press(Key::PageUp);
    h.key_press(Key::PageUp);
    h.step();
    assert_eq!(h.state().presenter().index, 0);
    // Back at the first slide, back does nothing; at the last, forward does nothing.
    h.key_press(Key::PageUp);
    h.step();
    assert_eq!(h.state().presenter().index, 0);
    let last = h.state().scenario().story.slides.len() - 1;
    h.key_press(Key::End);
    h.run_steps(1);
    settle(&mut h);
    h.key_press(Key::ArrowRight);
    h.step();
    assert_eq!(h.state().presenter().index, last);
}

fn button(h: &mut Harness<'static, AtlasApp>, pos: Pos2, pressed: bool, modifiers: Modifiers) {
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers,
    });
}

/// A 150-px primary-button drag from `from` to the right, in steps, with `modifiers` held.
fn drag_150(h: &mut Harness<'static, AtlasApp>, from: Pos2, modifiers: Modifiers) {
    h.event(Event::ModifiersChanged(modifiers));
    h.event(Event::PointerMoved(from));
    h.step();
    button(h, from, true, modifiers);
    h.step();
    for i in 1..=10 {
        h.event(Event::PointerMoved(from + egui::vec2(15.0 * i as f32, 0.0)));
        h.step();
    }
    button(h, from + egui::vec2(150.0, 0.0), false, modifiers);
    h.run_steps(3);
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.step();
}

fn view(h: &Harness<'static, AtlasApp>) -> (f64, f64, f64) {
    let (lon, lat) = h.state().center_lonlat().expect("centre");
    (lon, lat, h.state().zoom())
}

#[test]
fn ink_and_laser_drags_and_the_wheel_leave_the_map_view_unchanged() {
    let mut h = harness();
    h.key_press(Key::F5);
    h.run_steps(2);
    h.key_press(Key::End);
    h.run_steps(1);
    settle(&mut h);
    let start = view(&h);
    let from = pos2(700.0, 420.0);

    // Ink: the stroke is drawn and the map stays where it was.
    h.key_press(Key::I);
    h.run_steps(1);
    assert!(h.state().presenter().ink_mode);
    drag_150(&mut h, from, Modifiers::NONE);
    assert_eq!(
        h.state().presenter().ink_strokes(),
        1,
        "the drag drew one stroke"
    );
    assert_eq!(
        view(&h),
        start,
        "an ink drag leaves centre and zoom unchanged"
    );

    // Laser: the same.
    h.key_press(Key::L);
    h.run_steps(1);
    assert!(!h.state().presenter().ink_mode);
    drag_150(&mut h, from + egui::vec2(0.0, 60.0), Modifiers::NONE);
    assert_eq!(
        view(&h),
        start,
        "a laser drag leaves centre and zoom unchanged"
    );

    // The wheel does not zoom either.
    wheel(&mut h, from);
    assert_eq!(view(&h), start, "the wheel leaves the zoom unchanged");
    assert_eq!(
        h.state().presenter().index,
        h.state().scenario().story.slides.len() - 1
    );

    // Shift + drag pans (the explicit modifier) ...
    drag_150(&mut h, from, Modifiers::SHIFT);
    let panned = view(&h);
    assert!(
        panned.0 < start.0 - 0.1,
        "Shift + drag to the right moves the centre west: {start:?} → {panned:?}"
    );
    assert!((panned.2 - start.2).abs() < 1e-12, "a pan keeps the zoom");
    // ... and so does a plain drag in map mode (M), which the HUD names.
    h.key_press(Key::M);
    h.run_steps(1);
    assert!(h.state().presenter().map_mode);
    drag_150(&mut h, from, Modifiers::NONE);
    let again = view(&h);
    assert!(
        again.0 < panned.0 - 0.1,
        "map mode pans: {panned:?} → {again:?}"
    );
    wheel(&mut h, from);
    assert!(
        (h.state().zoom() - again.2).abs() > 0.1,
        "in map mode the wheel zooms"
    );
}

/// Three lines of mouse wheel over `at`.
fn wheel(h: &mut Harness<'static, AtlasApp>, at: Pos2) {
    h.event(Event::PointerMoved(at));
    h.event(Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: egui::vec2(0.0, 3.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(3);
}

/// The local time as HH:MM, from the system's `date` (an independent reading of the clock).
fn date_hh_mm() -> String {
    let out = std::process::Command::new("date")
        .arg("+%H:%M")
        .output()
        .expect("date runs");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

fn label_of(h: &Harness<'static, AtlasApp>, contains: &str) -> String {
    // AccessKit keeps a Label's text in its value.
    let node = h.get_by_label_contains(contains);
    let node = node.accesskit_node();
    node.value().or_else(|| node.label()).expect("a text")
}

#[test]
fn the_presenter_view_shows_both_slides_as_pictures_the_notes_the_times_and_n_of_n() {
    let mut h = harness();
    let slides = h.state().scenario().story.slides.clone();
    h.key_press(Key::F5);
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(
        h.query_all_by_label_contains("Next slide:").count(),
        0,
        "hidden"
    );
    h.key_press(Key::P);
    h.run_steps(1);
    // The pictures render on a worker; the view shows placeholders meanwhile.
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(4);
    while !(h.state().presenter_view().has_thumbnail(0)
        && h.state().presenter_view().has_thumbnail(1))
    {
        assert!(std::time::Instant::now() < deadline, "thumbnails rendered");
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.step();
    }
    h.run_steps(1);
    let next = format!("Next slide: {}", slides[1].title);
    h.get_by_role_and_label(egui::Role::Image, &next);
    let current = format!("Current slide: {}", slides[0].title);
    h.get_by_role_and_label(egui::Role::Image, &current);
    assert_eq!(
        label_of(&h, "Slide 1 / "),
        format!("Slide 1 / {}", slides.len())
    );
    if !slides[0].notes.is_empty() {
        h.get_by_label(&slides[0].notes);
    }
    // The wall clock agrees with the system's (read before and after: a minute may turn).
    let before = date_hh_mm();
    let clock = label_of(&h, "Clock ");
    let after = date_hh_mm();
    assert!(
        clock == format!("Clock {before}") || clock == format!("Clock {after}"),
        "{clock} vs {before}/{after}"
    );
    let elapsed = label_of(&h, "Elapsed ");
    let digits = elapsed.trim_start_matches("Elapsed ");
    assert!(
        digits.len() == 5 && digits.as_bytes()[2] == b':',
        "elapsed as mm:ss: {elapsed}"
    );
    // One step on: the view follows, the next picture is the third slide.
    h.key_press(Key::ArrowRight);
    h.run_steps(1);
    settle(&mut h);
    assert_eq!(
        label_of(&h, "Slide 2 / "),
        format!("Slide 2 / {}", slides.len())
    );
    assert_eq!(
        h.query_all_by_label_contains(&format!("Next slide: {}", slides[2].title))
            .count(),
        1
    );
    // P hides it again.
    h.key_press(Key::P);
    h.run_steps(1);
    assert_eq!(h.query_all_by_label_contains("Next slide:").count(), 0);
}
