//! `corridor-atlas`: with no arguments, opens the map window; `corridor-atlas measure` is
//! headless (see `corridor_atlas::cli`).

use std::process::ExitCode;

use clap::Parser;

/// Plan and present railway corridors. Offline by default.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    /// Without a subcommand, the map window opens.
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    Measure(corridor_atlas::cli::measure::MeasureArgs),
    /// The corridor ledger of every alternative of a scenario, side by side.
    Compare(corridor_atlas::cli::compare::CompareArgs),
    /// Render slides of a scenario's story to PNG, without a display.
    Render(corridor_atlas::cli::render::RenderArgs),
    /// Least-cost alignments between two places, written as a scenario.
    Suggest(corridor_atlas::cli::suggest::SuggestArgs),
}

fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Measure(args)) => Ok(corridor_atlas::cli::measure::run(&args)),
        Some(Command::Compare(args)) => Ok(corridor_atlas::cli::compare::run(&args)),
        Some(Command::Render(args)) => Ok(corridor_atlas::cli::render::run(&args)),
        Some(Command::Suggest(args)) => Ok(corridor_atlas::cli::suggest::run(&args)),
        None => run_gui().map(|()| ExitCode::SUCCESS),
    }
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
