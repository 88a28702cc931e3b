//! `corridor-atlas export SCENARIO --format kml|gpkg|gpx|csv --out FILE`: the alternatives of
//! a scenario with their ledger figures, in a format Google Earth, QGIS or a GPS tool reads.
//!
//! The ledgers are computed against the bundled atlas with the scenario's settings, as
//! `compare` does, and written by `plan::exchange`. Every argument is checked and the whole
//! file built in memory before anything is written; the file is then replaced atomically
//! (`write_atomic`), so a refused or failed export never truncates an existing file.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use corridor_domain::Atlas;
use corridor_domain::measure::ledger::LedgerContext;
use corridor_domain::plan::exchange::{ExportFormat, scenario_table};
use corridor_domain::plan::scenario::io::{load, write_atomic};

/// Arguments of `corridor-atlas export`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    about = "Export the alternatives of a scenario with their ledger figures to KML, GeoPackage, GPX or CSV",
    long_about = "Compute the corridor ledger of every alignment in a scenario file (as `compare` \
does) and write the alternatives with their figures as attributes: name, status, gauge_mm, color, \
length_km, existing_km, new_km, sea_km, countries, km_<country> per country, crossings, \
gauge_breaks, max_grade_pct, cost_musd, time_h and the published figures.\n\n\
kml: Google Earth (styled lines, ExtendedData); gpkg: OGC GeoPackage for QGIS (layer \
\"alternatives\", EPSG:4326); gpx: GPX 1.1 tracks (figures in <extensions>); csv: every vertex \
with its geodesic chainage_m.\n\n\
Problems are one line on stderr and exit status 1; the output file is written only when \
everything succeeded, atomically."
)]
pub struct ExportArgs {
    /// The scenario file.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The format to write: kml, gpkg, gpx or csv. Read as text and checked by `check_out`,
    /// so a wrong name is one line and exit 1 like every other problem.
    #[arg(long, value_name = "kml|gpkg|gpx|csv")]
    pub format: String,
    /// The file to write (replaced atomically if it exists).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// The format `--format` names (any case).
pub fn parse_format(name: &str) -> Result<ExportFormat, String> {
    let wanted = name.trim().to_ascii_lowercase();
    ExportFormat::ALL
        .into_iter()
        .find(|f| f.extension() == wanted)
        .ok_or_else(|| format!("--format {name:?}: unknown; use kml, gpkg, gpx or csv"))
}

/// Run the subcommand against the bundled atlas.
#[must_use]
pub fn run(args: &ExportArgs) -> ExitCode {
    let mut err = io::stderr().lock();
    // Arguments first: a wrong --out costs no atlas load and touches no file.
    if let Err(message) = check_out(args) {
        let _ = writeln!(err, "corridor-atlas export: {message}");
        return ExitCode::FAILURE;
    }
    let atlas = Atlas::load_bundled();
    let ctx = LedgerContext::new(&atlas);
    match run_with(args, &ctx) {
        Ok(summary) => {
            drop(err);
            super::print_or_fail("export", &summary)
        }
        Err(message) => {
            let _ = writeln!(err, "{message}");
            ExitCode::FAILURE
        }
    }
}

/// What is wrong with `--out`, checked before anything is read or computed: a folder, a
/// missing folder, the scenario itself, an unknown format, or the extension of another export format.
pub fn check_out(args: &ExportArgs) -> Result<ExportFormat, String> {
    let format = parse_format(&args.format)?;
    let out = &args.out;
    let shown = out.display();
    if out.as_os_str().is_empty() {
        return Err("--out is empty".into());
    }
    if out.is_dir() {
        return Err(format!("--out {shown}: is a folder; give a file name"));
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(format!(
            "--out {shown}: the folder {} does not exist",
            parent.display()
        ));
    }
    if let (Ok(a), Ok(b)) = (out.canonicalize(), args.scenario.canonicalize())
        && a == b
    {
        return Err(format!(
            "--out {shown}: is the scenario itself; it would be overwritten"
        ));
    }
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if let Some(ext) = ext
        && let Some(other) = ExportFormat::ALL
            .into_iter()
            .find(|f| *f != format && f.extension() == ext)
    {
        return Err(format!(
            "--out {shown}: a .{ext} name holds {}, but --format is {}; use a .{} name",
            other.label(),
            format.extension(),
            format.extension()
        ));
    }
    Ok(format)
}

/// Load, compute, build and write; returns the summary line printed on success.
pub fn run_with(args: &ExportArgs, ctx: &LedgerContext) -> Result<String, String> {
    let format = check_out(args).map_err(|m| format!("corridor-atlas export: {m}"))?;
    let scenario = load(&args.scenario).map_err(|e| e.to_string())?;
    let file = args.scenario.display().to_string();
    if scenario.alignments.is_empty() {
        return Err(format!("{file}: no alternatives to export"));
    }
    let settings = super::compare::ledger_settings(&scenario)
        .map_err(|m| format!("{file}: corridor_atlas.settings.ledger: {m}"))?;
    super::compare::check_lengths(&scenario).map_err(|m| format!("{file}: {m}"))?;
    let title = args.scenario.file_stem().map_or_else(
        || "Corridor Atlas".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let table = scenario_table(&title, &scenario, ctx, &settings);
    let bytes = format.write(&table).map_err(|e| e.to_string())?;
    write_atomic(&args.out, &bytes).map_err(|e| e.to_string())?;
    Ok(format!(
        "{}: {} alternatives as {} ({} bytes)\n",
        args.out.display(),
        table.records.len(),
        format.label(),
        bytes.len()
    ))
}
