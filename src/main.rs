//! `corridor-atlas`: with no arguments, opens the map window.

use clap::Parser;

/// Plan and present railway corridors. Offline by default.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {}

fn main() -> anyhow::Result<()> {
    let _cli = Cli::parse();
    run_gui()
}

#[cfg(feature = "gui")]
fn run_gui() -> anyhow::Result<()> {
    use corridor_atlas::app::{APP_NAME, AtlasApp};
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(APP_NAME)
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    eframe::run_native(
        APP_NAME,
        options,
        Box::new(|cc| Ok(Box::new(AtlasApp::new(cc)))),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

#[cfg(not(feature = "gui"))]
fn run_gui() -> anyhow::Result<()> {
    anyhow::bail!("this build has no GUI (built without the `gui` feature)")
}
