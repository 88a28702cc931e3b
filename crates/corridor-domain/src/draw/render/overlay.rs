//! What a slide shows over the map: the caption panel (title and caption, bottom of the left
//! column), the legend of the alternatives in play (top of the left column), the slide number
//! and the attribution. Positions and sizes come from [`SlideLayout`], which the GUI's
//! presentation mode shares. Figures in the legend and the caption's live placeholders come
//! from the alternatives' comparison rows (the ledger), formatted by [`Figure::text`].

use super::ink::{Canvas, TextRole};
use super::paint::rounded_rect;
use super::text::{Font, Run, TextStyle, wrap};
use crate::map::style::Rgba;
use crate::measure::geodesic::{format_km, group_thousands};
use crate::measure::ledger::ComparisonRow;
use crate::measure::ledger::figure::Figure;
use crate::plan::scenario::PublishedFigures;
use crate::plan::scenario::live_figures::fill_caption;
use crate::plan::scenario::model::{Alignment, AlignmentId, Scenario};
use crate::plan::scenario::story::{Slide, SlideKind, SlideLayout, caption_blocks};

/// Colours of the panels in one basemap style.
struct Panel {
    background: Rgba,
    title: Rgba,
    text: Rgba,
}

fn panel_colours(dark: bool) -> Panel {
    if dark {
        Panel {
            background: [28, 30, 34, 235],
            title: [245, 245, 245, 255],
            text: [225, 225, 225, 255],
        }
    } else {
        Panel {
            background: [255, 255, 255, 235],
            title: [20, 20, 20, 255],
            text: [35, 35, 35, 255],
        }
    }
}

/// An alternative's length in a slide legend: measured (the ledger's, from its row; the
/// line's own geodesic length until the row is there), then the published figure beside it
/// when there is one ("786.2 km (published 647 km)"), so a room sees both.
#[must_use]
pub fn legend_length(a: &Alignment, row: Option<&ComparisonRow>) -> String {
    let measured = row.map_or_else(|| format_km(a.length_m()), |r| Figure::LengthKm.text(r));
    let published = PublishedFigures::of(a);
    // A composite is labelled as one: no single publication gives it.
    let sum = if published.basis.is_some() {
        ", sum of sections"
    } else {
        ""
    };
    match published.length_km {
        Some(km) if km.fract() == 0.0 && km.abs() < 1e15 => {
            format!(
                "{measured} (published {} km{sum})",
                group_thousands(km as i64)
            )
        }
        Some(km) => format!("{measured} (published {km} km{sum})"),
        None => measured,
    }
}

/// The engineering a slide legend states under an alternative's length: travel time, tunnels,
/// bridges and curves below the minimum radius, each as Compare shows it.
#[must_use]
pub fn legend_engineering(row: &ComparisonRow) -> String {
    [
        ("time", Figure::Time),
        ("tunnels", Figure::TunnelKm),
        ("bridges", Figure::BridgeKm),
        ("tight curves", Figure::TightCurves),
    ]
    .map(|(what, f)| format!("{what} {}", f.text(row)))
    .join(" · ")
}

/// The alternatives the legend lists: the highlighted ones and the revealed one; when the
/// slide singles none out, every alternative (all are drawn at full strength then).
#[must_use]
pub fn legend_ids(slide: &Slide, scenario: &Scenario) -> Vec<AlignmentId> {
    let mut ids: Vec<AlignmentId> = slide.highlight.clone();
    if let Some(r) = slide.reveal.filter(|r| !ids.contains(r)) {
        ids.push(r);
    }
    if ids.is_empty() {
        ids = scenario.alignments.iter().map(|a| a.id).collect();
    }
    ids.retain(|id| scenario.alignment(*id).is_some());
    ids
}

/// Draw the legend (not on a comparison slide: its table names the alternatives), caption
/// panel, slide number and attribution. Legend entries wrap onto more lines rather than
/// being cut; an entry that still does not fit is reported in `canvas.cut`. `rows` are the
/// comparison rows of the alternatives the legend and the caption's placeholders name.
#[allow(
    clippy::many_single_char_names,
    reason = "s (scale), h, w, x, y: panel geometry reads best short"
)]
pub fn draw_overlay(
    canvas: &mut Canvas<'_>,
    font: &Font,
    layout: &SlideLayout,
    scenario: &Scenario,
    slide_index: usize,
    rows: &[(AlignmentId, ComparisonRow)],
    (dark, attribution): (bool, &str),
) {
    let Some(slide) = scenario.story.slides.get(slide_index) else {
        return;
    };
    let colours = panel_colours(dark);
    let s = layout.scale as f32;
    let margin = layout.margin_px as f32;
    let column = layout.column_px as f32;
    let pad = 18.0 * s;
    let panel_w = column - margin;
    let text_w = panel_w - 2.0 * pad;

    // Legend, top left.
    let ids = if slide.kind == SlideKind::Comparison {
        Vec::new()
    } else {
        legend_ids(slide, scenario)
    };
    let legend_px = layout.legend_px as f32;
    let row_h = legend_px * 1.35;
    let mut legend_bottom = margin;
    let swatch_w = 34.0 * s;
    let text_x = margin + pad + swatch_w + 12.0 * s;
    let room = margin + panel_w - pad - text_x;
    let entries: Vec<(Rgba, String, Vec<Vec<Run>>)> = ids
        .iter()
        .filter_map(|id| scenario.alignment(*id))
        .map(|a| {
            let row = rows.iter().find(|(id, _)| *id == a.id).map(|(_, r)| r);
            let mut pieces = vec![
                (a.name.clone(), false),
                (format!("  {}", legend_length(a, row)), false),
            ];
            if let Some(r) = row {
                pieces.push((format!(" · {}", legend_engineering(r)), false));
            }
            let mut c = a.color;
            c[3] = 255;
            (c, a.name.clone(), wrap(font, &pieces, legend_px, room))
        })
        .collect();
    if !entries.is_empty() {
        let lines: usize = entries.iter().map(|(.., l)| l.len().max(1)).sum();
        let h = pad * 1.2 + row_h * lines as f32;
        rounded_rect(
            canvas.pixmap,
            margin,
            margin,
            panel_w,
            h,
            10.0 * s,
            colours.background,
        );
        let mut y = margin + pad * 0.6;
        let style = TextStyle::new(legend_px, colours.text);
        for (c, name, lines) in &entries {
            let sy = y + row_h / 2.0 - 4.0 * s;
            rounded_rect(
                canvas.pixmap,
                margin + pad,
                sy,
                swatch_w,
                8.0 * s,
                2.0 * s,
                *c,
            );
            let too_wide = lines
                .iter()
                .flatten()
                .any(|r| r.x_px + font.width_px(&r.text, legend_px) > room + 0.5);
            if too_wide {
                canvas.cut.push(name.clone());
            }
            for line in lines {
                let ty = y + (row_h - legend_px) / 2.0;
                draw_runs(canvas, font, line, (text_x, ty), &style, TextRole::Legend);
                y += row_h;
            }
        }
        legend_bottom = margin + h;
    }

    // Caption panel, bottom left.
    let title_px = layout.title_px as f32;
    let caption_px = layout.caption_px as f32;
    let title_lines = wrap(font, &[(slide.title.clone(), false)], title_px, text_w);
    let mut body: Vec<(bool, Vec<Vec<Run>>)> = Vec::new();
    let bullet_indent = font.width_px("•  ", caption_px);
    for block in caption_blocks(&fill_caption(slide, scenario, rows)) {
        let pieces: Vec<(String, bool)> = block
            .spans
            .iter()
            .map(|sp| (sp.text.clone(), sp.bold))
            .collect();
        let width = if block.bullet {
            text_w - bullet_indent
        } else {
            text_w
        };
        body.push((block.bullet, wrap(font, &pieces, caption_px, width)));
    }
    let title_line_h = title_px * 1.1;
    let line_h = caption_px * 1.25;
    let para_gap = caption_px * 0.45;
    let body_h: f32 = body
        .iter()
        .map(|(_, lines)| lines.len() as f32 * line_h)
        .sum::<f32>()
        + para_gap * body.len().saturating_sub(1) as f32;
    let title_h = title_lines.len() as f32 * title_line_h;
    let gap = if body.is_empty() { 0.0 } else { pad * 0.8 };
    let h = pad * 2.0 + title_h + gap + body_h;
    let bottom = layout.height_px as f32 - margin;
    // Never over the legend: a caption too long for the room is cut at the panel's top.
    let top = (bottom - h).max(legend_bottom + margin);
    if !title_lines.is_empty() || !body.is_empty() {
        rounded_rect(
            canvas.pixmap,
            margin,
            top,
            panel_w,
            bottom - top,
            12.0 * s,
            colours.background,
        );
    }
    let mut y = top + pad;
    let title_style = TextStyle {
        bold: true,
        ..TextStyle::new(title_px, colours.title)
    };
    for line in &title_lines {
        draw_runs(
            canvas,
            font,
            line,
            (margin + pad, y),
            &title_style,
            TextRole::Title,
        );
        y += title_line_h;
    }
    y += gap;
    let text_style = TextStyle::new(caption_px, colours.text);
    for (bullet, lines) in &body {
        for (i, line) in lines.iter().enumerate() {
            if y + caption_px > bottom {
                break;
            }
            let mut x = margin + pad;
            if *bullet {
                if i == 0 {
                    canvas.text(font, "•", (x, y), &text_style, TextRole::Caption);
                }
                x += bullet_indent;
            }
            draw_runs(canvas, font, line, (x, y), &text_style, TextRole::Caption);
            y += line_h;
        }
        y += para_gap;
    }

    // Slide number, top right.
    let count = scenario.story.slides.len();
    let number = format!("{} / {count}", slide_index + 1);
    let number_style = TextStyle {
        halo: Some(if dark {
            [0, 0, 0, 160]
        } else {
            [255, 255, 255, 200]
        }),
        ..TextStyle::new(
            legend_px * 0.9,
            if dark {
                [220, 220, 220, 255]
            } else {
                [60, 60, 60, 255]
            },
        )
    };
    let nw = font.width_px(&number, legend_px * 0.9);
    canvas.text(
        font,
        &number,
        (layout.width_px as f32 - margin - nw, margin * 0.6),
        &number_style,
        TextRole::SlideNumber,
    );

    // Attribution, bottom right, always there.
    let attr_px = layout.attribution_px as f32;
    let room = (layout.width_px as f32 - column - 2.0 * margin).max(attr_px * 4.0);
    let text = font.truncate(attribution, attr_px, room);
    let aw = font.width_px(&text, attr_px);
    let ax = layout.width_px as f32 - margin * 0.5 - aw;
    let ay = layout.height_px as f32 - margin * 0.3 - attr_px * 1.2;
    let (fg, bg) = if dark {
        ([220, 220, 220, 255], [0, 0, 0, 170])
    } else {
        ([40, 40, 40, 255], [255, 255, 255, 190])
    };
    rounded_rect(
        canvas.pixmap,
        ax - 4.0 * s,
        ay - 2.0 * s,
        aw + 8.0 * s,
        attr_px * 1.2 + 4.0 * s,
        3.0 * s,
        bg,
    );
    canvas.text(
        font,
        &text,
        (ax, ay + attr_px * 0.1),
        &TextStyle::new(attr_px, fg),
        TextRole::Attribution,
    );
}

/// Draw one laid-out line with its left end at `at`.
pub fn draw_runs(
    canvas: &mut Canvas<'_>,
    font: &Font,
    line: &[Run],
    at: (f32, f32),
    style: &TextStyle,
    role: TextRole,
) {
    for run in line {
        let style = TextStyle {
            bold: style.bold || run.bold,
            ..*style
        };
        canvas.text(font, &run.text, (at.0 + run.x_px, at.1), &style, role);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::scenario::model::Vertex;
    use serde_json::json;

    #[test]
    fn the_legend_shows_the_published_length_beside_the_measured_one() {
        let mut a = Alignment::new(AlignmentId(1), "UAP");
        // GeographicLib (Python geographiclib 2.x, WGS84): (37.2242 N, 67.2783 E) →
        // (36.7069 N, 68.1109 E) is 93,771.0 m.
        a.vertices = vec![Vertex::new(67.2783, 37.2242), Vertex::new(68.1109, 36.7069)];
        assert_eq!(legend_length(&a, None), "93.8 km");
        a.extra.insert("length_km_published".into(), json!(647));
        assert_eq!(legend_length(&a, None), "93.8 km (published 647 km)");
        a.extra.insert("length_km_published".into(), json!(1726));
        assert_eq!(legend_length(&a, None), "93.8 km (published 1,726 km)");
        a.extra.insert("length_km_published".into(), json!(737.5));
        assert_eq!(legend_length(&a, None), "93.8 km (published 737.5 km)");
        // A composite says so on the slide too.
        a.extra
            .insert("published_basis".into(), json!("sum of sections"));
        assert_eq!(
            legend_length(&a, None),
            "93.8 km (published 737.5 km, sum of sections)"
        );
    }

    #[test]
    fn the_legend_states_the_ledgers_length_time_and_engineering() {
        let mut a = Alignment::new(AlignmentId(1), "UAP");
        a.vertices = vec![Vertex::new(67.2783, 37.2242), Vertex::new(68.1109, 36.7069)];
        a.extra.insert("length_km_published".into(), json!(647));
        let row = ComparisonRow {
            name: "UAP".into(),
            km: 1786.24,
            existing_km: 0.0,
            new_km: 1786.24,
            countries: String::new(),
            crossings: 0,
            gauge_breaks: 0,
            max_grade_pct: 0.0,
            cost_musd: 0.0,
            cost_low_usd: 0.0,
            cost_high_usd: 0.0,
            time_h: 31.06,
            published_km: Some(647.0),
            published_cost_usd: None,
            published_year: None,
            published_source: None,
            published_basis: None,
            km_ratio: None,
            cost_ratio: None,
            tunnel_km: Some(12.04),
            tunnels: Some(2),
            bridge_km: Some(0.0),
            curves_below_min: Some(4),
            published_time_h: None,
            published_time_source: None,
        };
        // The row's length wins over the line's own (a ledger is what every screen shows).
        assert_eq!(
            legend_length(&a, Some(&row)),
            "1,786.2 km (published 647 km)"
        );
        assert_eq!(
            legend_engineering(&row),
            "time 31.1 h · tunnels 12.0 km · bridges 0.0 km · tight curves 4"
        );
    }
}
