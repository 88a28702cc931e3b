//! One row per alternative, for comparing them side by side: CSV for spreadsheets, JSON for
//! scripts, Markdown for reports. The CLI (`corridor-atlas compare`) and the GUI's export
//! both print these rows, so the figures agree.

use std::fmt::Write as _;

use serde::Serialize;

use super::model::Ledger;

/// The headline figures of one alternative.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComparisonRow {
    pub name: String,
    pub km: f64,
    pub existing_km: f64,
    pub new_km: f64,
    /// Per-country lengths, e.g. `UZB 12.3; AFG 634.0` (sea as `—`).
    pub countries: String,
    /// Borders crossed between countries (see [`Ledger::borders_crossed`]).
    pub crossings: usize,
    pub gauge_breaks: usize,
    /// Steepest grade over 1 km (%).
    pub max_grade_pct: f64,
    /// Estimated cost, millions of US dollars.
    pub cost_musd: f64,
    /// The low and high ends of the cost band (US dollars): the estimate times the spread of
    /// the leave-one-out check over the published projects (docs/costs.md).
    pub cost_low_usd: f64,
    pub cost_high_usd: f64,
    /// Travel time end to end, hours: the ledger's one travel time, the settings' train run
    /// with the ferry legs and the dwell at borders and gauge breaks ([`Ledger::travel`]).
    pub time_h: f64,
    /// The published length (km) of the project this alternative stands for, if any.
    pub published_km: Option<f64>,
    /// Its published cost (US dollars, not millions: the figure as announced).
    pub published_cost_usd: Option<f64>,
    /// The year the published figures are from.
    pub published_year: Option<i32>,
    /// Who published them.
    pub published_source: Option<String>,
    /// How the published figures were made when no single publication gives them for the
    /// route as drawn: "sum of 6 published sections; not published: …" (`None`: one
    /// publication's figure).
    pub published_basis: Option<String>,
    /// `km / published_km`: how far the drawn line is from the announced length.
    pub km_ratio: Option<f64>,
    /// Estimated cost over the published cost (`cost_musd × 10⁶ / published_cost_usd`).
    pub cost_ratio: Option<f64>,
    /// Tunnels to build (km): the design line's on new build and committed track, as the
    /// cost counts them (`CostQuantities`); `None` without engineering or elevation data.
    pub tunnel_km: Option<f64>,
    /// How many tunnels are to be built (the published counts, e.g. the UAP's "5 long
    /// tunnels", are in the published note).
    pub tunnels: Option<usize>,
    /// Bridges and viaducts to build (km), likewise.
    pub bridge_km: Option<f64>,
    /// Curves tighter than the minimum radius of the line speed.
    pub curves_below_min: Option<usize>,
    /// A published journey time for the route, hours, as a low–high band (a single figure
    /// has low = high). Published times are usually door to door, so they are compared with
    /// `time_h` for scale, not as a ratio.
    pub published_time_h: Option<[f64; 2]>,
    /// Who published the journey time and what it covers.
    pub published_time_source: Option<String>,
}

/// What was published about an alternative, as its row shows it. The reader of these figures
/// (`plan::scenario::PublishedFigures`) lives a layer above the ledger and hands them down.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PublishedColumns {
    pub km: Option<f64>,
    pub cost_usd: Option<f64>,
    pub year: Option<i32>,
    pub source: Option<String>,
    /// How the figures were made, if not by one publication (see `ComparisonRow`).
    pub basis: Option<String>,
    /// Published journey time, hours, low–high.
    pub time_h: Option<[f64; 2]>,
    /// Who published the journey time and what it covers.
    pub time_source: Option<String>,
}

/// `measured / published`, when the published figure is a positive number: the one
/// definition of the ratio every table uses.
#[must_use]
pub fn measured_over_published(measured: f64, published: Option<f64>) -> Option<f64> {
    published
        .filter(|p| *p > 0.0)
        .map(|p| measured / p)
        .filter(|r| r.is_finite())
}

/// A cost band as a planner quotes it: `$4.2–5.6 bn`, or `$420–560 m` under a billion.
#[must_use]
pub fn cost_band_text(low_usd: f64, high_usd: f64) -> String {
    if high_usd >= 1e9 {
        format!("${:.1}–{:.1} bn", low_usd / 1e9, high_usd / 1e9)
    } else {
        format!("${:.0}–{:.0} m", low_usd / 1e6, high_usd / 1e6)
    }
}

/// The CSV and Markdown header, in column order.
pub const COLUMNS: [&str; 25] = [
    "name",
    "km",
    "existing_km",
    "new_km",
    "countries",
    "crossings",
    "gauge_breaks",
    "max_grade_pct",
    "cost_musd",
    "cost_low_usd",
    "cost_high_usd",
    "time_h",
    "published_km",
    "published_cost_usd",
    "published_year",
    "published_source",
    "published_basis",
    "km_ratio",
    "cost_ratio",
    "tunnel_km",
    "tunnels",
    "bridge_km",
    "curves_below_min",
    "published_time_h",
    "published_time_source",
];

/// One row per `(name, ledger, published figures)`.
#[must_use]
pub fn comparison_table(alternatives: &[(String, Ledger, PublishedColumns)]) -> Vec<ComparisonRow> {
    alternatives
        .iter()
        .map(|(name, l, published)| comparison_row(name, l, published))
        .collect()
}

/// The comparison row of one alternative, from borrowed parts: the app builds its table every
/// frame from cached ledgers and must not clone them to do so.
#[must_use]
pub fn comparison_row(name: &str, l: &Ledger, published: &PublishedColumns) -> ComparisonRow {
    let design = l.engineering.as_ref().and_then(|e| e.design.as_ref());
    ComparisonRow {
        name: name.to_owned(),
        km: l.length_m / 1000.0,
        existing_km: l.existing_m / 1000.0,
        new_km: l.new_m / 1000.0,
        countries: l
            .countries
            .iter()
            .map(|c| format!("{} {:.1}", c.iso_a3, c.length_m / 1000.0))
            .collect::<Vec<_>>()
            .join("; "),
        crossings: l.borders_crossed,
        gauge_breaks: l.gauge_breaks.len(),
        max_grade_pct: l.profile.steepest_grade_1km_pct,
        cost_musd: l.cost.total_usd / 1e6,
        cost_low_usd: l.cost.low_usd,
        cost_high_usd: l.cost.high_usd,
        time_h: l.travel.total_h,
        published_km: published.km,
        published_cost_usd: published.cost_usd,
        published_year: published.year,
        published_source: published.source.clone(),
        published_basis: published.basis.clone(),
        km_ratio: measured_over_published(l.length_m / 1000.0, published.km),
        cost_ratio: measured_over_published(l.cost.total_usd, published.cost_usd),
        // The structures the line needs built — the design line's, on the stretches that are
        // not existing track — which is what the cost counts: an all-existing route shows no
        // tunnels even where the design line on the elevation model would dig some.
        tunnel_km: design.map(|_| l.cost.quantities.tunnel_km),
        tunnels: design.map(|_| l.cost.quantities.tunnels),
        bridge_km: design.map(|_| l.cost.quantities.bridge_km),
        curves_below_min: l.engineering.as_ref().map(|e| e.curves_below_min),
        published_time_h: published.time_h,
        published_time_source: published.time_source.clone(),
    }
}

/// A published time band as a table cell: "72" or "72–120" (hours).
#[must_use]
pub fn time_band_text(band: [f64; 2]) -> String {
    let [low, high] = band;
    if (high - low).abs() < f64::EPSILON {
        format!("{low}")
    } else {
        format!("{low}–{high}")
    }
}

fn cells(r: &ComparisonRow, decimals: usize) -> [String; 25] {
    let ratio = |x: Option<f64>| x.map(|x| format!("{x:.2}")).unwrap_or_default();
    [
        r.name.clone(),
        format!("{:.decimals$}", r.km),
        format!("{:.decimals$}", r.existing_km),
        format!("{:.decimals$}", r.new_km),
        r.countries.clone(),
        r.crossings.to_string(),
        r.gauge_breaks.to_string(),
        format!("{:.2}", r.max_grade_pct),
        format!("{:.1}", r.cost_musd),
        format!("{:.0}", r.cost_low_usd),
        format!("{:.0}", r.cost_high_usd),
        format!("{:.1}", r.time_h),
        r.published_km.map(|k| format!("{k}")).unwrap_or_default(),
        r.published_cost_usd
            .map(|c| format!("{c}"))
            .unwrap_or_default(),
        r.published_year.map(|y| y.to_string()).unwrap_or_default(),
        r.published_source.clone().unwrap_or_default(),
        r.published_basis.clone().unwrap_or_default(),
        ratio(r.km_ratio),
        ratio(r.cost_ratio),
        r.tunnel_km
            .map(|k| format!("{k:.decimals$}"))
            .unwrap_or_default(),
        r.tunnels.map(|n| n.to_string()).unwrap_or_default(),
        r.bridge_km
            .map(|k| format!("{k:.decimals$}"))
            .unwrap_or_default(),
        r.curves_below_min
            .map(|n| n.to_string())
            .unwrap_or_default(),
        r.published_time_h.map(time_band_text).unwrap_or_default(),
        r.published_time_source.clone().unwrap_or_default(),
    ]
}

/// RFC 4180 CSV (by the `csv` crate: fields with a comma, quote or line break quoted, inner
/// quotes doubled, `\r\n` line endings) with a header row; lengths to the metre (3 decimals
/// of km). The command line's `measure --format csv` writes the same dialect.
#[must_use]
pub fn to_csv(rows: &[ComparisonRow]) -> String {
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail, and every field is a `String`, so the bytes are UTF-8.
    let _ = csv.write_record(COLUMNS);
    for r in rows {
        let _ = csv.write_record(cells(r, 3));
    }
    csv.into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// A pretty-printed JSON array of rows (a missing published length is `null`).
pub fn to_json(rows: &[ComparisonRow]) -> serde_json::Result<String> {
    serde_json::to_string_pretty(rows)
}

/// A cell's text that cannot end its table row or cell: a pipe is escaped (`\\|`, as the
/// GFM spec's table extension says) and a line break (`\\r\\n`, `\\n` or `\\r`, which would
/// end the row) becomes `<br>`, which GitHub renders as the break the name had.
fn markdown_cell(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "<br>")
        .replace('|', "\\|")
}

/// A GitHub-flavoured Markdown table; lengths to 0.1 km, numbers right-aligned.
#[must_use]
pub fn to_markdown(rows: &[ComparisonRow]) -> String {
    let mut out = format!("| {} |\n", COLUMNS.join(" | "));
    let align: Vec<&str> = COLUMNS
        .iter()
        .map(|c| {
            if matches!(
                *c,
                "name"
                    | "countries"
                    | "published_source"
                    | "published_basis"
                    | "published_time_source"
            ) {
                "---"
            } else {
                "---:"
            }
        })
        .collect();
    let _ = writeln!(out, "| {} |", align.join(" | "));
    for r in rows {
        let line: Vec<String> = cells(r, 1).iter().map(|c| markdown_cell(c)).collect();
        let _ = writeln!(out, "| {} |", line.join(" | "));
    }
    out
}
