//! Shared by the egui_kittest tests of the real app: the bundled atlas, loaded once per test
//! binary, and a harness around the app. Each test binary uses what it needs of this.
#![allow(dead_code)]

use std::sync::{Arc, OnceLock};

use corridor_atlas::app::AtlasApp;
use corridor_domain::Atlas;
use egui_kittest::Harness;

/// The bundled atlas, loaded once per test binary (every app built from it shares it).
pub fn atlas() -> Arc<Atlas> {
    static ATLAS: OnceLock<Arc<Atlas>> = OnceLock::new();
    Arc::clone(ATLAS.get_or_init(|| Arc::new(Atlas::load_bundled())))
}

/// The app on the bundled atlas.
pub fn new_app() -> AtlasApp {
    AtlasApp::with_atlas(&egui::Context::default(), atlas())
}

/// A window of `width` × `height` points around `app`, driven frame by frame. The map is a
/// custom-painted widget without an accessible label, so the accessibility check is off.
/// `max_steps`: the most frames `run()` may take before it fails (kittest's default if none).
pub fn harness_for(
    app: AtlasApp,
    (width, height): (f32, f32),
    max_steps: Option<u64>,
) -> Harness<'static, AtlasApp> {
    let mut builder = Harness::builder()
        .with_size(egui::vec2(width, height))
        .with_accessibility_check(false);
    if let Some(steps) = max_steps {
        builder = builder.with_max_steps(steps);
    }
    builder.build_ui_state(|ui, app: &mut AtlasApp| app.ui_root(ui), app)
}

/// The bundled example open in a `width` × `height` window, with Compare open when `compare`
/// is set, run until its five alternatives are loaded and every ledger is computed for the
/// document (at most a minute), then `settle` frames more.
pub fn example_loaded(
    size: (f32, f32),
    compare: bool,
    settle: usize,
) -> Harness<'static, AtlasApp> {
    use std::time::{Duration, Instant};
    let ctx = egui::Context::default();
    let mut app = AtlasApp::with_atlas(&ctx, atlas());
    app.open_example(&ctx);
    app.panels_mut().compare = compare;
    let mut h = harness_for(app, size, None);
    let deadline = Instant::now() + Duration::from_mins(1);
    while h.state().scenario().alignments.len() < 5
        || h.state().ledgers_revision() != Some(h.state().document().revision())
    {
        assert!(Instant::now() < deadline, "example not loaded");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(settle);
    h
}
