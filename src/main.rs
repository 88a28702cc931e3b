//! `corridor-atlas`: with no arguments, opens the map window; `corridor-atlas FILE` opens it
//! with FILE (a scenario opens, any other GeoJSON is imported); `corridor-atlas measure` etc.
//! are headless (see `corridor_atlas::cli`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Plan and present railway corridors. Offline by default.
#[derive(Parser, Debug)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    /// Without a subcommand, the map window opens.
    #[command(subcommand)]
    command: Option<Command>,
    /// Open this file in the map window: a scenario opens, any other GeoJSON or GeoJSONSeq
    /// file is imported as a layer (streamed, with progress).
    file: Option<PathBuf>,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    Measure(corridor_atlas::cli::measure::MeasureArgs),
    /// The corridor ledger of every alternative of a scenario, side by side.
    Compare(corridor_atlas::cli::compare::CompareArgs),
    /// Export the alternatives with their ledger figures to KML, GeoPackage, GPX or CSV.
    Export(corridor_atlas::cli::export::ExportArgs),
    /// Render slides of a scenario's story to PNG, without a display.
    Render(corridor_atlas::cli::render::RenderArgs),
    /// Least-cost alignments between two places, written as a scenario.
    Suggest(corridor_atlas::cli::suggest::SuggestArgs),
    /// Write a synthetic OSM-like railway network (GeoJSON) for benchmarks and import tests.
    ///
    /// Deterministic: the same sizes and seed give the same bytes on every machine. The
    /// default is the size of a real OSM rail extract of the region (100k ways, 3M vertices,
    /// ~92 MB).
    GenerateNetwork(corridor_atlas::cli::generate::GenerateArgs),
    /// Load a GeoJSON/GeoJSONSeq file as the map's import does and report features, time
    /// and memory (like `ogrinfo -so`).
    Inspect(corridor_atlas::cli::inspect::InspectArgs),
}

fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Measure(args)) => Ok(corridor_atlas::cli::measure::run(&args)),
        Some(Command::Compare(args)) => Ok(corridor_atlas::cli::compare::run(&args)),
        Some(Command::Export(args)) => Ok(corridor_atlas::cli::export::run(&args)),
        Some(Command::Render(args)) => Ok(corridor_atlas::cli::render::run(&args)),
        Some(Command::Suggest(args)) => Ok(corridor_atlas::cli::suggest::run(&args)),
        Some(Command::GenerateNetwork(args)) => Ok(corridor_atlas::cli::generate::run(&args)),
        Some(Command::Inspect(args)) => Ok(corridor_atlas::cli::inspect::run(&args)),
        None => {
            if let Some(file) = &cli.file
                && !file.exists()
            {
                eprintln!("corridor-atlas: {}: no such file", file.display());
                return Ok(ExitCode::FAILURE);
            }
            run_gui(cli.file).map(|()| ExitCode::SUCCESS)
        }
    }
}

#[cfg(feature = "gui")]
fn run_gui(file: Option<PathBuf>) -> anyhow::Result<()> {
    use corridor_atlas::app::{APP_NAME, AtlasApp};
    corridor_atlas::app::allocator::limit_arenas();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(APP_NAME)
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        // Settings go in the same folder as the recovery copies (see `settings_path`).
        persistence_path: corridor_atlas::app::files::settings_path(),
        ..Default::default()
    };
    eframe::run_native(
        APP_NAME,
        options,
        Box::new(|cc| {
            let mut app = AtlasApp::new(cc);
            if let Some(file) = file {
                app.open_when_ready(file);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

#[cfg(not(feature = "gui"))]
fn run_gui(_file: Option<PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!("this build has no GUI (built without the `gui` feature)")
}
