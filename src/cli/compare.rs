//! `corridor-atlas compare SCENARIO [--format markdown|csv|json]`: the corridor ledger of
//! every alternative in a scenario file, side by side.
//!
//! The figures are computed by [`corridor_domain::measure::ledger::compute_ledger`] against the bundled
//! atlas, with the scenario's ledger settings: the same function the GUI's ledger panel
//! calls. This module only loads the file, reports problems and prints.
//!
//! A problem is one line on stderr that starts with the file name (and the line and column
//! when the text is at fault), and the exit status is 1.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use corridor_domain::Atlas;
use corridor_domain::measure::geodesic::geodesic_distance_m;
use corridor_domain::measure::ledger::curves::curve_radii_m;
use corridor_domain::measure::ledger::{
    ComparisonRow, Ledger, LedgerContext, LedgerSettings, PublishedColumns, comparison_table,
    compute_ledger_with_radii, to_csv, to_markdown,
};
use corridor_domain::plan::scenario::io::load;
use corridor_domain::plan::scenario::model::Scenario;
use corridor_domain::plan::scenario::{PublishedFigures, PublishedSection};
use geo::Coord;

/// Arguments of `corridor-atlas compare`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    about = "Compare the alternatives of a scenario: km per country, existing vs new, gauge breaks, cost, time",
    long_about = "Compute the corridor ledger of every alignment in a scenario file against the \
bundled atlas (borders, rail network, ETOPO5 elevation) and print one row per alternative: \
name, km, existing_km, new_km, countries, crossings, gauge_breaks, max_grade_pct, cost_musd \
(the estimate from quantities), cost_low_usd and cost_high_usd (its band: the leave-one-out \
spread over published projects, docs/costs.md), time_h (the one travel time: the settings' \
train run end to end, with ferry legs and dwell at borders and gauge breaks), published_km \
(the alignment's \"length_km_value\", else the first figure of its \
\"length_km_published\" property), published_cost_usd, published_year, published_source, \
published_basis (how a composite was made when no single publication covers the route as drawn: \
\"sum of 6 published sections\", and which stretches no figure covers), \
km_ratio and cost_ratio (measured over published), then the railway engineering: tunnel_km, \
tunnels (their number) and bridge_km of the design grade line, curves_below_min (curves tighter \
than the line speed's minimum radius), and published_time_h (a published journey time, hours, \
as low–high) with published_time_source (whose, and what it covers: often door to door).\n\n\
Lengths are WGS84 geodesic. Settings (unit costs, speeds, tolerances) come from the scenario's \
corridor_atlas.settings.ledger object; missing keys take their defaults.\n\n\
A file that cannot be read is reported on stderr as one line naming the file (and the line \
and column); the exit status is then 1."
)]
pub struct CompareArgs {
    /// The scenario file.
    #[arg(
        value_name = "SCENARIO",
        help = "Scenario file (GeoJSON, as saved by Corridor Atlas or drawn elsewhere)"
    )]
    pub scenario: PathBuf,
    /// How the comparison is printed.
    #[arg(
        long,
        value_enum,
        default_value_t = CompareFormat::Markdown,
        help = "markdown: a table; csv: the same columns (RFC 4180); json: the table plus every full ledger"
    )]
    pub format: CompareFormat,
}

/// How the comparison is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CompareFormat {
    /// A GitHub-flavoured Markdown table.
    #[default]
    Markdown,
    /// The table as CSV with a header row.
    Csv,
    /// `{"table": [rows], "alternatives": [{"name", "published_km", "published_cost_usd",
    /// "published_year", "published_source", "published_basis", "published_sections",
    /// "published_note", "km_ratio", "cost_ratio",
    /// "published_tunnels", "cost_low_usd", "cost_high_usd", "ledger"}]}`.
    Json,
}

/// One alternative with its full ledger, for the JSON output.
#[derive(Serialize)]
struct Alternative<'a> {
    name: &'a str,
    published_km: Option<f64>,
    published_cost_usd: Option<f64>,
    published_year: Option<i32>,
    published_source: Option<&'a str>,
    /// How a composite was made ("sum of 6 published sections; not published: …"), `null`
    /// for one publication's figures.
    published_basis: Option<&'a str>,
    /// The sections a composite sums: section, km, cost_usd, source.
    published_sections: &'a [PublishedSection],
    /// What the published figures cover, or why there are none.
    published_note: Option<&'a str>,
    km_ratio: Option<f64>,
    cost_ratio: Option<f64>,
    /// Published tunnels as quoted (`published_tunnels`), beside the design line's own
    /// (`ledger.engineering.design.structures`, and `tunnels`/`tunnel_km` in the table).
    published_tunnels: Option<&'a str>,
    /// The cost band (US dollars): the ledger's estimate times the leave-one-out spread.
    cost_low_usd: f64,
    cost_high_usd: f64,
    ledger: &'a Ledger,
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    table: &'a [ComparisonRow],
    alternatives: Vec<Alternative<'a>>,
}

/// Run the subcommand against the bundled atlas, on the process's stdout and stderr.
#[must_use]
pub fn run(args: &CompareArgs) -> ExitCode {
    let atlas = Atlas::load_bundled();
    let ctx = LedgerContext::new(&atlas);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = io::stderr().lock();
    for problem in &atlas.problems {
        // The bundled data is compiled in; a problem here is a build defect, but say so.
        let _ = writeln!(err, "corridor-atlas compare: bundled {problem}");
    }
    match run_with(args, &ctx, &mut out, &mut err).and_then(|ok| out.flush().map(|()| ok)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        // A closed pipe (`| head`) or a full disk: one line, exit 1.
        Err(e) => {
            drop(err);
            super::report_write_error("compare", &e);
            ExitCode::FAILURE
        }
    }
}

/// Load the scenario, compute every ledger against `ctx` and print. Returns whether the
/// comparison was printed (a problem goes to `err` as one line); `Err` only if writing failed.
pub fn run_with(
    args: &CompareArgs,
    ctx: &LedgerContext,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<bool> {
    let scenario = match load(&args.scenario) {
        Ok(s) => s,
        Err(e) => {
            writeln!(err, "{e}")?;
            return Ok(false);
        }
    };
    let file = args.scenario.display().to_string();
    let settings = match ledger_settings(&scenario) {
        Ok(s) => s,
        Err(message) => {
            writeln!(err, "{file}: corridor_atlas.settings.ledger: {message}")?;
            return Ok(false);
        }
    };
    if let Err(message) = check_lengths(&scenario) {
        writeln!(err, "{file}: {message}")?;
        return Ok(false);
    }
    let published: Vec<PublishedFigures> = scenario
        .alignments
        .iter()
        .map(PublishedFigures::of)
        .collect();
    let alternatives: Vec<(String, Ledger, PublishedColumns)> = scenario
        .alignments
        .iter()
        .zip(&published)
        .map(|(a, p)| {
            let vertices: Vec<(f64, f64)> = a.vertices.iter().map(|v| (v.lon, v.lat)).collect();
            let radii = curve_radii_m(&a.extra);
            let ledger = compute_ledger_with_radii(&vertices, &radii, a.gauge_mm, ctx, &settings);
            (a.name.clone(), ledger, p.columns())
        })
        .collect();
    let rows = comparison_table(&alternatives);
    match args.format {
        CompareFormat::Markdown => out.write_all(to_markdown(&rows).as_bytes())?,
        CompareFormat::Csv => out.write_all(to_csv(&rows).as_bytes())?,
        CompareFormat::Json => {
            let output = JsonOutput {
                table: &rows,
                alternatives: alternatives
                    .iter()
                    .zip(&rows)
                    .zip(&published)
                    .map(|(((name, ledger, _), row), p)| Alternative {
                        name,
                        published_km: row.published_km,
                        published_cost_usd: row.published_cost_usd,
                        published_year: row.published_year,
                        published_source: row.published_source.as_deref(),
                        published_basis: row.published_basis.as_deref(),
                        published_sections: &p.sections,
                        published_note: p.note.as_deref(),
                        km_ratio: row.km_ratio,
                        cost_ratio: row.cost_ratio,
                        published_tunnels: p.tunnels.as_deref(),
                        cost_low_usd: row.cost_low_usd,
                        cost_high_usd: row.cost_high_usd,
                        ledger,
                    })
                    .collect(),
            };
            // Serialised first, so that a closed pipe is still reported as one.
            let text = serde_json::to_string_pretty(&output).map_err(io::Error::other)?;
            writeln!(out, "{text}")?;
        }
    }
    Ok(true)
}

/// The longest alternative `compare` measures: 100,000 km, two and a half times round the
/// equator and ten times the longest railway there is. A ledger samples the line every few
/// hundred metres, so its work grows with the length: a 50,000-vertex zigzag across the map
/// (8.25 million km) took minutes and gigabytes before it was refused.
pub const MAX_ALTERNATIVE_KM: f64 = 100_000.0;

/// All alternatives together: ten of the longest.
pub const MAX_TOTAL_KM: f64 = 10.0 * MAX_ALTERNATIVE_KM;

/// Refuse a scenario whose lines are too long to be railways before any ledger is computed.
pub(crate) fn check_lengths(scenario: &Scenario) -> Result<(), String> {
    let mut total_km = 0.0;
    for a in &scenario.alignments {
        let km: f64 = a
            .vertices
            .windows(2)
            .map(|w| {
                geodesic_distance_m(
                    Coord {
                        x: w[0].lon,
                        y: w[0].lat,
                    },
                    Coord {
                        x: w[1].lon,
                        y: w[1].lat,
                    },
                )
            })
            .sum::<f64>()
            / 1000.0;
        if km > MAX_ALTERNATIVE_KM {
            return Err(format!(
                "alternative {:?} is {} long; that is not a railway (at most {} km)",
                a.name,
                in_words_km(km),
                MAX_ALTERNATIVE_KM
            ));
        }
        total_km += km;
    }
    if total_km > MAX_TOTAL_KM {
        return Err(format!(
            "the alternatives are {} long together; at most {} km can be compared at once",
            in_words_km(total_km),
            MAX_TOTAL_KM
        ));
    }
    Ok(())
}

/// `8.25 million km`, `123456 km`.
fn in_words_km(km: f64) -> String {
    if km >= 1e6 {
        format!("{:.2} million km", km / 1e6)
    } else {
        format!("{km:.0} km")
    }
}

/// The scenario's ledger settings, checked.
///
/// Until `ScenarioSettings` has its `ledger` field, the object is read from the settings'
/// unknown keys (where the scenario loader keeps it). The scenario's `reuse_tolerance_m`
/// (the one the snapping tools use) wins over the ledger's own, so both agree.
pub(crate) fn ledger_settings(scenario: &Scenario) -> Result<LedgerSettings, String> {
    let settings: LedgerSettings = scenario.settings.ledger_settings();
    match settings.problem() {
        Some(p) => Err(p),
        None => Ok(settings),
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)] // Tests: a failed expectation is the message.
mod tests {
    use super::*;
    use serde_json::Value;
    use std::path::Path;
    use std::sync::OnceLock;

    fn ctx() -> &'static LedgerContext {
        static CTX: OnceLock<LedgerContext> = OnceLock::new();
        CTX.get_or_init(|| LedgerContext::new(&Atlas::load_bundled()))
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/ledger")
            .join(name)
    }

    fn run_on(path: PathBuf, format: CompareFormat) -> (bool, String, String) {
        let args = CompareArgs {
            scenario: path,
            format,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let ok = run_with(&args, ctx(), &mut out, &mut err).expect("writing to memory");
        (
            ok,
            String::from_utf8(out).expect("UTF-8"),
            String::from_utf8(err).expect("UTF-8"),
        )
    }

    #[test]
    fn every_alternative_gets_a_row_with_its_published_length() {
        let (ok, out, err) = run_on(fixture("alternatives.geojson"), CompareFormat::Csv);
        assert!(ok, "{err}");
        assert!(err.is_empty(), "{err}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(
            lines[1].starts_with("UAP Termez–Kharlachi,"),
            "{}",
            lines[1]
        );
        // Existing columns first, the published ones after (header pinned).
        assert_eq!(
            lines[0],
            "name,km,existing_km,new_km,countries,crossings,gauge_breaks,max_grade_pct,\
             cost_musd,cost_low_usd,cost_high_usd,time_h,published_km,published_cost_usd,\
             published_year,published_source,published_basis,km_ratio,cost_ratio,tunnel_km,tunnels,bridge_km,\
             curves_below_min,published_time_h,published_time_source"
        );
        let cells: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(cells[12], "647", "{}", lines[1]);
        // km_ratio: the row's own km over the 647 published, to 2 decimals.
        let km: f64 = cells[1].parse().unwrap();
        assert_eq!(cells[17], format!("{:.2}", km / 647.0), "{}", lines[1]);
        // No published cost in the fixture: no cost ratio.
        assert_eq!(cells[18], "", "{}", lines[1]);
        assert!(
            lines[1].contains("UZB ") && lines[1].contains("AFG ") && lines[1].contains("PAK ")
        );
        assert!(
            lines[2].starts_with("KTAP Torghundi–Chaman,"),
            "{}",
            lines[2]
        );
    }

    #[test]
    fn json_holds_the_table_and_the_full_ledgers() {
        let (ok, out, _) = run_on(fixture("alternatives.geojson"), CompareFormat::Json);
        assert!(ok);
        let v: Value = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(v["table"].as_array().map(Vec::len), Some(2));
        let uap = &v["alternatives"][0];
        assert_eq!(uap["published_km"], 647.0);
        assert_eq!(uap["published_cost_usd"], Value::Null);
        let ratio = uap["ledger"]["length_m"].as_f64().unwrap() / 1000.0 / 647.0;
        assert!((uap["km_ratio"].as_f64().unwrap() - ratio).abs() < 1e-12);
        let crossings = uap["ledger"]["crossings"].as_array().expect("crossings");
        let route: Vec<(&str, &str)> = crossings
            .iter()
            .map(|c| {
                (
                    c["from_iso_a3"].as_str().unwrap(),
                    c["to_iso_a3"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(route, [("UZB", "AFG"), ("AFG", "PAK")]);
    }

    #[test]
    fn a_broken_file_is_one_line_naming_the_file_and_position() {
        let (ok, out, err) = run_on(fixture("bad_json.geojson"), CompareFormat::Markdown);
        assert!(!ok);
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("bad_json.geojson"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        let (ok, _, err) = run_on(fixture("missing.geojson"), CompareFormat::Markdown);
        assert!(!ok);
        assert!(
            err.contains("missing.geojson") && err.contains("not found"),
            "{err}"
        );
    }
}
