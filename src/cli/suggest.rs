//! `corridor-atlas suggest --from NAME|LON,LAT --to NAME|LON,LAT --out FILE`: up to N
//! low-cost alignments between two places, written as a scenario file to open beside
//! hand-drawn ones.
//!
//! Everything that decides a route lives in [`corridor_domain::plan::suggest`] (the same call the GUI
//! makes); this module parses arguments, reports progress on stderr, prints one summary line
//! per alternative on stdout and saves the file atomically. Any problem is one line on
//! stderr and exit status 1.

use std::cell::Cell;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use geo::{Geometry, MultiPolygon};

use corridor_domain::atlas::bundled::Atlas;
use corridor_domain::atlas::import::{ImportTarget, import_regular_file};
use corridor_domain::data::file::{WHOLE_LIMIT_BYTES, read_checked};
use corridor_domain::data::geojson_io::parse_features_bytes;
use corridor_domain::data::geojson_stream::StreamProgress;
use corridor_domain::plan::scenario::io::save_atomic;
use corridor_domain::plan::suggest::{
    AvoidZone, Corridor, RankBy, SuggestContext, SuggestProblem, SuggestSettings, resolve_endpoint,
    scenario_from_suggestions, suggest,
};

/// Arguments of `corridor-atlas suggest`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    about = "Suggest low-cost alignments between two places over terrain, existing track and borders",
    long_about = "Suggest up to N genuinely different low-cost alignments between two places, \
over terrain (ETOPO5), existing track and borders, costed with the ledger's unit costs.\n\n\
Places are names from the bundled cities, ports and rail points (case-insensitive, e.g. \
Termez, Karachi, Herat, Gwadar; a bracketed name also answers: Logar) or LON,LAT in degrees. \
--via places are passed through in order. Borders are crossed at the bundled border posts \
where possible (a crossing elsewhere is reported as a new gate). The suggestions are written \
to --out as a scenario GeoJSON (alignments \"Suggested 1 ...\", status proposed, property \
suggested: true). One summary line per alternative goes to stdout (figures from its corridor \
ledger, as compare shows them, and what distinguishes it), ranked by --rank-by, then a line \
saying why the search stopped and one naming the terrain (DEM) used; progress goes to stderr."
)]
pub struct SuggestArgs {
    /// Start: a place name or LON,LAT.
    #[arg(long, value_name = "NAME|LON,LAT", allow_hyphen_values = true,
          value_parser = endpoint_text)]
    pub from: String,
    /// End: a place name or LON,LAT.
    #[arg(long, value_name = "NAME|LON,LAT", allow_hyphen_values = true,
          value_parser = endpoint_text)]
    pub to: String,
    /// A place the line must pass through: a name or LON,LAT. Repeat for several, in order
    /// (`--via Logar --via Kharlachi`).
    #[arg(long, value_name = "NAME|LON,LAT", allow_hyphen_values = true,
          value_parser = endpoint_text)]
    pub via: Vec<String>,
    /// What the alternatives are ordered by, best first: cost, length, time or new-build
    /// (all from each alternative's corridor ledger, as `compare` shows it).
    #[arg(long, value_name = "OBJECTIVE", default_value = "cost")]
    pub rank_by: String,
    /// How many alternatives at most (1 to 10).
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub alternatives: usize,
    /// Cell size of the cost surface (km, 0.2 to 50); default 3.
    #[arg(long, value_name = "K", allow_hyphen_values = true)]
    pub resolution_km: Option<f64>,
    /// GeoJSON polygons to avoid: impassable, or with a numeric `multiplier` property, that
    /// many times more costly inside.
    #[arg(long, value_name = "FILE")]
    pub avoid: Option<PathBuf>,
    /// Keep every alternative within `--corridor-km` of a line: the first line of this
    /// GeoJSON file (a drawn or exported alternative, a road, a valley).
    #[arg(long, value_name = "FILE")]
    pub corridor: Option<PathBuf>,
    /// How far either side of the `--corridor` line (km, 1 to 1000); default 50.
    #[arg(long, value_name = "KM", allow_hyphen_values = true)]
    pub corridor_km: Option<f64>,
    /// A rail network to reuse as existing track, as the app's import reads it (GeoJSON or
    /// GeoJSONSeq with OpenStreetMap tags: `railway`, `gauge`). May be given more than once.
    #[arg(long, value_name = "FILE")]
    pub track: Vec<PathBuf>,
    /// A finer elevation model, as the app's "Open elevation…" reads it: a folder of SRTM
    /// `.hgt` tiles, or a GeoTIFF file. Its heights are the terrain and the grade rule where it
    /// has data (ETOPO5 elsewhere), mountain stretches are searched again at its resolution,
    /// and the ledger figures are measured on it (so `compare`, on the bundled grid, may
    /// differ). Without it: the bundled ETOPO5 only, and the summary says so.
    #[arg(long, value_name = "DIR|FILE")]
    pub dem: Option<PathBuf>,
    /// The scenario file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `--from`/`--to`: a place name, or two numbers that must then be a coordinate in range.
/// Without this check `200,100` falls through to the place search and is reported as
/// `no place called "200,100"`.
fn endpoint_text(text: &str) -> Result<String, String> {
    if let Some((a, b)) = text.split_once(',')
        && let (Ok(lon), Ok(lat)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>())
    {
        if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
            return Err(format!(
                "{text} is out of range: longitude {lon} is not within -180..180 (write LON,LAT)"
            ));
        }
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(format!(
                "{text} is out of range: latitude {lat} is not within -90..90 (write LON,LAT)"
            ));
        }
    }
    Ok(text.to_owned())
}

/// Run the subcommand; exit status 1 with a one-line message on any problem.
#[must_use]
pub fn run(args: &SuggestArgs) -> ExitCode {
    let mut err = io::stderr().lock();
    match run_inner(args, &mut io::stdout().lock(), &mut err) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // If stderr is gone there is nobody left to tell.
            let _ = writeln!(err, "corridor-atlas suggest: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Import `path` as the app does and add it to `atlas` as existing track; refuse a file whose
/// lines do not look like rail (no `railway` or `gauge` tags), which would silently add nothing.
fn add_track_layer(atlas: &mut Atlas, path: &std::path::Path) -> Result<(), String> {
    let mut parts = Vec::new();
    import_regular_file(
        path,
        &ImportTarget::for_path(path),
        &StreamProgress::default(),
        |layer| parts.push(Arc::new(layer)),
    )
    .map_err(|e| format!("--track: {e}"))?;
    if !parts.iter().any(|l| l.is_track) {
        return Err(format!(
            "--track: {} has no lines tagged as rail (OpenStreetMap `railway` or `gauge`)",
            path.display()
        ));
    }
    atlas.layers.extend(parts);
    Ok(())
}

fn run_inner(args: &SuggestArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), String> {
    // Checked before any file is read or written, with this command's one-line messages.
    if let Some(k) = args.resolution_km
        && !(k.is_finite() && (0.2..=50.0).contains(&k))
    {
        return Err(format!(
            "--resolution-km must be between 0.2 and 50, got {k}"
        ));
    }
    // Parsed here rather than by clap, so a wrong objective is this command's one line and
    // exit status 1 like every other problem.
    let rank_by: RankBy = args
        .rank_by
        .parse()
        .map_err(|e| format!("--rank-by: {e}"))?;
    if !(1..=10).contains(&args.alternatives) {
        return Err(format!(
            "--alternatives must be between 1 and 10, got {}",
            args.alternatives
        ));
    }
    let corridor_km = args.corridor_km.unwrap_or(50.0);
    if !(corridor_km.is_finite() && (1.0..=1000.0).contains(&corridor_km)) {
        return Err(format!(
            "--corridor-km must be between 1 and 1000, got {corridor_km}"
        ));
    }
    if args.corridor_km.is_some() && args.corridor.is_none() {
        return Err("--corridor-km needs --corridor FILE (the line to keep near)".to_owned());
    }
    let avoid = match &args.avoid {
        Some(path) => read_avoid_zones(path)?,
        None => Vec::new(),
    };
    let corridor = match &args.corridor {
        Some(path) => Some(read_corridor(path, corridor_km)?),
        None => None,
    };
    let mut atlas = Atlas::load_bundled();
    for path in &args.track {
        let _ = writeln!(err, "importing {}…", path.display());
        add_track_layer(&mut atlas, path)?;
    }
    let from = resolve_endpoint(&atlas, &args.from).map_err(|e| format!("--from: {e}"))?;
    let to = resolve_endpoint(&atlas, &args.to).map_err(|e| format!("--to: {e}"))?;
    let vias = args
        .via
        .iter()
        .map(|v| resolve_endpoint(&atlas, v).map_err(|e| format!("--via: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let settings = SuggestSettings {
        resolution_km: args.resolution_km,
        ..SuggestSettings::default()
    };
    let context = if let Some(path) = &args.dem {
        let _ = writeln!(err, "reading the elevation model {}…", path.display());
        let ledger = ledger_with_dem(&atlas, path)?;
        let _ = writeln!(err, "building the cost surface…");
        SuggestContext::with_ledger(&atlas, &settings, std::sync::Arc::new(ledger))
    } else {
        let _ = writeln!(err, "building the cost surface…");
        SuggestContext::new(&atlas, &settings)
    }
    .map_err(|e| e.to_string())?;
    let problem = SuggestProblem {
        context: &context,
        from: from.clone(),
        to: to.clone(),
        vias,
        alternatives: args.alternatives,
        avoid,
        corridor,
        rank_by,
    };
    let last_tenth = Cell::new(-1i32);
    let progress = |p: f32| {
        let tenth = (p * 10.0).floor() as i32;
        if tenth > last_tenth.get() {
            last_tenth.set(tenth);
            // A closed stderr loses only the progress.
            let mut stderr = io::stderr().lock();
            let _ = write!(stderr, "\rsearching… {:3.0} %", p * 100.0);
            if tenth >= 10 {
                let _ = writeln!(stderr);
            }
        }
    };
    let never = AtomicBool::new(false);
    let result = suggest(&problem, &progress, &never);
    if (0..10).contains(&last_tenth.get()) {
        // End the progress line so that a message starts on its own.
        let _ = writeln!(err);
    }
    let outcome = result.map_err(|e| e.to_string())?;
    let suggestions = &outcome.suggestions;
    if suggestions.is_empty() {
        return Err("no alternative found".to_owned());
    }
    let scenario = scenario_from_suggestions(suggestions, &from, &to);
    save_atomic(&args.out, &scenario).map_err(|e| e.to_string())?;
    // Every figure is the alternative's ledger, as `compare` prints it for the file.
    for (i, s) in suggestions.iter().enumerate() {
        writeln!(
            out,
            "Suggested {}: {:.1} km, {:.1} km on existing track, US${:.2} bn, {:.1} h, {} ({} border crossing{}) — {}",
            i + 1,
            s.length_m / 1000.0,
            s.reused_m / 1000.0,
            s.cost_usd / 1e9,
            s.ledger.travel.total_h,
            s.countries.join(" → "),
            s.border_crossings,
            if s.border_crossings == 1 { "" } else { "s" },
            s.distinction,
        )
        .map_err(|e| format!("cannot write the summary: {e}"))?;
    }
    writeln!(
        out,
        "Ranked by {rank_by}; stopped: {}\nTerrain: {}",
        outcome.stopped_because, outcome.terrain
    )
    .map_err(|e| format!("cannot write the summary: {e}"))?;
    let _ = writeln!(
        err,
        "wrote {} alternative(s) to {}",
        suggestions.len(),
        args.out.display()
    );
    Ok(())
}

/// The ledger context of `atlas` with the elevation model at `path` (a folder of SRTM tiles,
/// else a GeoTIFF file), labelled as the app labels it.
fn ledger_with_dem(
    atlas: &Atlas,
    path: &std::path::Path,
) -> Result<corridor_domain::measure::ledger::LedgerContext, String> {
    use corridor_domain::measure::ledger::dem::{load_hgt_folder, read_geotiff};
    let (grid, label) = if path.is_dir() {
        (
            load_hgt_folder(path),
            format!("SRTM tiles in {}", path.display()),
        )
    } else {
        (read_geotiff(path), path.display().to_string())
    };
    let grid = grid.map_err(|e| format!("--dem: {e}"))?;
    Ok(corridor_domain::measure::ledger::LedgerContext::new(atlas).with_dem(grid, label))
}

/// The corridor line from a GeoJSON file: its first `LineString` (or the longest part of its
/// first `MultiLineString`), named by the feature's name or the file's.
fn read_corridor(path: &std::path::Path, within_km: f64) -> Result<Corridor, String> {
    let name = path.display();
    let bytes =
        read_checked(path, WHOLE_LIMIT_BYTES).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let parsed = parse_features_bytes(&bytes).map_err(|e| format!("{name}: {e}"))?;
    for f in &parsed.features {
        let line = match &f.geometry {
            Geometry::LineString(l) => l.clone(),
            Geometry::MultiLineString(ml) => match ml.iter().max_by_key(|l| l.0.len()) {
                Some(l) => l.clone(),
                None => continue,
            },
            _ => continue,
        };
        let points: Vec<(f64, f64)> = line.0.iter().map(|c| (c.x, c.y)).collect();
        if points.len() < 2 {
            continue;
        }
        let corridor = Corridor {
            name: f
                .name()
                .map_or_else(|| name.to_string(), |n| format!("\"{n}\"")),
            line: points,
            within_km,
        };
        if let Some(why) = corridor.problem() {
            return Err(format!("{name}: {why}"));
        }
        return Ok(corridor);
    }
    Err(format!(
        "{name}: no line to keep near (a LineString feature is needed)"
    ))
}

/// Avoid zones from a GeoJSON file: every polygon, impassable unless it has a numeric
/// `multiplier` property.
fn read_avoid_zones(path: &std::path::Path) -> Result<Vec<AvoidZone>, String> {
    let name = path.display();
    let bytes =
        read_checked(path, WHOLE_LIMIT_BYTES).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let parsed = parse_features_bytes(&bytes).map_err(|e| format!("{name}: {e}"))?;
    let mut zones = Vec::new();
    for (i, f) in parsed.features.iter().enumerate() {
        let area = match &f.geometry {
            Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
            Geometry::MultiPolygon(mp) => mp.clone(),
            _ => continue,
        };
        let multiplier = f.f64("multiplier");
        if let Some(m) = multiplier
            && !(m.is_finite() && m >= 1.0)
        {
            return Err(format!(
                "{name}: feature {i}: multiplier must be a number ≥ 1, got {m}"
            ));
        }
        zones.push(AvoidZone {
            name: f.name().map_or_else(|| format!("zone {i}"), str::to_owned),
            area,
            multiplier,
        });
    }
    if zones.is_empty() {
        return Err(format!("{name}: no polygons to avoid"));
    }
    Ok(zones)
}
