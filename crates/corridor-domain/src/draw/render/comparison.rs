//! The comparison slide: the ledger table and the existing/new-build chart of the
//! highlighted alternatives, in the slide's map frame (the caption stays in the left column).
//! The rows are [`ComparisonRow`]s, built by `ledger::comparison_row` exactly as the GUI's
//! Compare panel builds them, and the cells are formatted by [`table_cells`] through the
//! ledger's one formatter ([`Figure::text`]), which Compare, the slide legend and caption
//! placeholders share: a room sees the same figures as the planner's table, the railway
//! engineering (tunnels, bridges, curves below the minimum radius) and the travel time included.

use super::ink::{Canvas, TextRole};
use super::overlay::{draw_runs, legend_ids};
use super::paint::rounded_rect;
use super::text::{Font, TextStyle, wrap};
use crate::map::style::Rgba;
use crate::measure::ledger::curves::curve_radii_m;
use crate::measure::ledger::figure::Figure;
use crate::measure::ledger::{
    ComparisonRow, LedgerContext, LedgerSettings, comparison_row, compute_ledger_with_radii,
};
use crate::plan::scenario::PublishedFigures;
use crate::plan::scenario::live_figures::caption_alternatives;
use crate::plan::scenario::model::{Alignment, AlignmentId, Scenario};
use crate::plan::scenario::story::{Slide, SlideKind, SlideLayout};

/// One alternative on a comparison slide.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparisonEntry {
    pub color: Rgba,
    pub row: ComparisonRow,
}

/// The table's columns after the alternative's name: head and figure. Existing track and new
/// build are the chart's bars under the table.
pub const TABLE_COLUMNS: [(&str, Figure); 6] = [
    ("length", Figure::LengthKm),
    ("cost", Figure::Cost),
    ("time", Figure::Time),
    ("tunnels", Figure::TunnelKm),
    ("bridges", Figure::BridgeKm),
    ("tight curves", Figure::TightCurves),
];

/// The cells of a row under [`TABLE_COLUMNS`], formatted as the Compare panel formats them
/// ([`Figure::text`]).
#[must_use]
pub fn table_cells(r: &ComparisonRow) -> [String; 6] {
    TABLE_COLUMNS.map(|(_, f)| f.text(r))
}

/// The comparison row of one alternative: its ledger in `ctx` with `settings` and its curve
/// radii, as Compare computes it.
#[must_use]
pub fn alternative_row(
    a: &Alignment,
    ctx: &LedgerContext,
    settings: &LedgerSettings,
) -> ComparisonRow {
    let vertices: Vec<(f64, f64)> = a.vertices.iter().map(|v| (v.lon, v.lat)).collect();
    let radii = curve_radii_m(&a.extra);
    let ledger = compute_ledger_with_radii(&vertices, &radii, a.gauge_mm, ctx, settings);
    comparison_row(&a.name, &ledger, &PublishedFigures::of(a).columns())
}

/// The rows a slide's legend and caption placeholders state: the legend's alternatives (none
/// on a comparison slide, whose table has its own) and those the caption names.
#[must_use]
pub fn slide_rows(
    slide: &Slide,
    scenario: &Scenario,
    ctx: &LedgerContext,
) -> Vec<(AlignmentId, ComparisonRow)> {
    let settings = scenario.settings.ledger_settings();
    let mut ids = if slide.kind == SlideKind::Comparison {
        Vec::new()
    } else {
        legend_ids(slide, scenario)
    };
    ids.extend(caption_alternatives(slide, scenario));
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| scenario.alignment(id))
        .map(|a| (a.id, alternative_row(a, ctx, &settings)))
        .collect()
}

/// The alternatives a comparison slide compares: the highlighted ones (and the revealed
/// one), all of them when the slide singles none out, in scenario order.
#[must_use]
pub fn compared_ids(slide: &Slide, scenario: &Scenario) -> Vec<AlignmentId> {
    scenario
        .alignments
        .iter()
        .map(|a| a.id)
        .filter(|id| {
            (slide.highlight.is_empty() && slide.reveal.is_none())
                || slide.highlight.contains(id)
                || slide.reveal == Some(*id)
        })
        .collect()
}

/// The entries of a comparison slide, computing each alternative's ledger in `ctx` with the
/// scenario's ledger settings (what Compare shows for the same context).
#[must_use]
pub fn comparison_entries(
    slide: &Slide,
    scenario: &Scenario,
    ctx: &LedgerContext,
) -> Vec<ComparisonEntry> {
    let settings = scenario.settings.ledger_settings();
    compared_ids(slide, scenario)
        .into_iter()
        .filter_map(|id| scenario.alignment(id))
        .map(|a| ComparisonEntry {
            color: a.color,
            row: alternative_row(a, ctx, &settings),
        })
        .collect()
}

/// Colour of existing track in the chart (new build takes the alternative's colour).
pub const EXISTING_COLOR: Rgba = [95, 95, 95, 255];

/// Draw the table and the chart in the layout's map frame, on a panel; with no entries,
/// `empty_note` in their place (why there is nothing to compare yet).
#[allow(
    clippy::many_single_char_names,
    reason = "s (scale), x, y, w, h: panel geometry reads best short"
)]
pub fn draw_comparison(
    canvas: &mut Canvas<'_>,
    font: &Font,
    layout: &SlideLayout,
    entries: &[ComparisonEntry],
    dark: bool,
    empty_note: &str,
) {
    let s = layout.scale as f32;
    let [x0, y0, x1, y1] = layout.map_frame_px.map(|v| v as f32);
    let (bg, ink, faint) = if dark {
        (
            [28, 30, 34, 255],
            [235, 235, 235, 255],
            [150, 150, 150, 255],
        )
    } else {
        (
            [255, 255, 255, 255],
            [30, 30, 30, 255],
            [120, 120, 120, 255],
        )
    };
    rounded_rect(canvas.pixmap, x0, y0, x1 - x0, y1 - y0, 12.0 * s, bg);
    let pad = 24.0 * s;
    let px = layout.legend_px as f32;
    let row_h = px * 1.3;
    let style = TextStyle::new(px, ink);
    let head = TextStyle {
        bold: true,
        ..TextStyle::new(px, ink)
    };
    if entries.is_empty() {
        canvas.text(
            font,
            empty_note,
            (x0 + pad, y0 + pad),
            &TextStyle::new(px, faint),
            TextRole::Table,
        );
        return;
    }
    let rows: Vec<[String; 6]> = entries.iter().map(|e| table_cells(&e.row)).collect();
    let heads = TABLE_COLUMNS.map(|(h, _)| h);
    // Numeric columns as wide as their widest cell, right-aligned; the name takes the rest.
    let gap = 18.0 * s;
    let widths: Vec<f32> = (0..heads.len())
        .map(|c| {
            rows.iter()
                .map(|r| font.width_px(&r[c], px))
                .chain(std::iter::once(font.width_px(heads[c], px) + 2.0 * s))
                .fold(0.0, f32::max)
        })
        .collect();
    let numbers_w: f32 = widths.iter().map(|w| w + gap).sum();
    let swatch = 16.0 * s;
    let name_x = x0 + pad + swatch + 10.0 * s;
    let name_w = (x1 - pad - numbers_w - name_x).max(px * 4.0);
    let right_edges: Vec<f32> = widths
        .iter()
        .scan(name_x + name_w, |x, w| {
            *x += gap + w;
            Some(*x)
        })
        .collect();
    let mut y = y0 + pad;
    canvas.text(font, "Alternative", (name_x, y), &head, TextRole::Table);
    for (c, h) in heads.iter().enumerate() {
        let w = font.width_px(h, px);
        canvas.text(font, h, (right_edges[c] - w, y), &head, TextRole::Table);
    }
    y += row_h * 1.2;
    for (e, cells) in entries.iter().zip(&rows) {
        let mut c = e.color;
        c[3] = 255;
        let lines = wrap(font, &[(e.row.name.clone(), false)], px, name_w);
        rounded_rect(
            canvas.pixmap,
            x0 + pad,
            y + (px - swatch) / 2.0,
            swatch,
            swatch,
            3.0 * s,
            c,
        );
        for (i, cell) in cells.iter().enumerate() {
            let w = font.width_px(cell, px);
            canvas.text(font, cell, (right_edges[i] - w, y), &style, TextRole::Table);
        }
        for line in &lines {
            draw_runs(canvas, font, line, (name_x, y), &style, TextRole::Table);
            y += row_h;
        }
        y += row_h * 0.25;
    }

    // The chart: one stacked bar per alternative, existing track then new build, on a
    // common km axis.
    y += row_h * 0.6;
    let title = TextStyle {
        bold: true,
        ..TextStyle::new(px, ink)
    };
    canvas.text(
        font,
        "Existing track and new build, km",
        (x0 + pad, y),
        &title,
        TextRole::Table,
    );
    y += row_h * 1.2;
    let small = TextStyle::new(px * 0.85, faint);
    let mut lx = x0 + pad;
    for (fill, what) in [
        (EXISTING_COLOR, "existing track"),
        (faint, "new build (the alternative's colour)"),
    ] {
        rounded_rect(
            canvas.pixmap,
            lx,
            y + px * 0.2,
            swatch,
            swatch,
            3.0 * s,
            fill,
        );
        lx += swatch + 8.0 * s;
        lx += canvas.text(font, what, (lx, y), &small, TextRole::Table) + 24.0 * s;
    }
    y += row_h * 1.1;
    let max_km = entries.iter().map(|e| e.row.km).fold(0.0, f64::max);
    let value_w = font.width_px("0,000.0 km", px);
    let bar_x = x0 + pad;
    let bar_room = (x1 - pad - value_w - 12.0 * s - bar_x).max(1.0);
    let bar_h = (px * 1.1).min(((y1 - pad - y) / entries.len().max(1) as f32) * 0.7);
    let step = bar_h / 0.7;
    if bar_h <= 0.0 || max_km <= 0.0 {
        return;
    }
    for e in entries {
        let k = bar_room / max_km as f32;
        let existing_w = (e.row.existing_km as f32 * k).max(0.0);
        let new_w = (e.row.new_km as f32 * k).max(0.0);
        let mut c = e.color;
        c[3] = 255;
        if existing_w > 0.0 {
            rounded_rect(
                canvas.pixmap,
                bar_x,
                y,
                existing_w,
                bar_h,
                0.0,
                EXISTING_COLOR,
            );
        }
        if new_w > 0.0 {
            rounded_rect(canvas.pixmap, bar_x + existing_w, y, new_w, bar_h, 0.0, c);
        }
        let text = Figure::LengthKm.text(&e.row);
        canvas.text(
            font,
            &text,
            (
                bar_x + existing_w + new_w + 12.0 * s,
                y + (bar_h - px) / 2.0,
            ),
            &style,
            TextRole::Table,
        );
        y += step;
    }
}
