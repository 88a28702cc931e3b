//! Live figures in slide captions: a caption may say `{length_km}`, `{cost}`, `{time}`, …
//! (any [`Figure`] key) and the slide shows the ledger's figure of its alternative, formatted
//! by [`Figure::text`] exactly as Compare and the slide legend show it — so a caption can
//! never state a different number from the table. The renderer, the app's live slides and
//! the PDF deck all substitute through [`fill_caption`].
//!
//! Which alternative: `{key}` is the slide's own — the revealed one, else the only highlighted
//! one; `{key:3}` names alternative id 3 and `{key:UAP}` the one alternative whose name
//! contains "UAP" (case-insensitive). A placeholder that cannot be filled shows visibly as
//! `{?key}` (unknown figure, no such or no single alternative) and [`caption_warnings`] says
//! why; a brace that is not a placeholder (`{` then something other than a key) is text.

use super::ids::AlignmentId;
use super::model::Scenario;
use super::slides::Slide;
use crate::measure::ledger::ComparisonRow;
use crate::measure::ledger::figure::Figure;

/// A `{key}` or `{key:target}` in a caption.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Placeholder<'a> {
    /// Byte range of the whole placeholder, braces included.
    start: usize,
    end: usize,
    key: &'a str,
    target: Option<&'a str>,
}

/// The placeholders of `caption`: `{` + a lower-case key (`a-z`, `_`) + optionally `:` and a
/// target without braces or line breaks + `}`.
fn placeholders(caption: &str) -> Vec<Placeholder<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = caption[from..].find('{').map(|i| from + i) {
        let rest = &caption[open + 1..];
        let Some(close) = rest
            .find(['}', '{', '\n'])
            .filter(|&i| rest[i..].starts_with('}'))
        else {
            from = open + 1;
            continue;
        };
        let inner = &rest[..close];
        let (key, target) = match inner.split_once(':') {
            Some((k, t)) => (k, Some(t.trim())),
            None => (inner, None),
        };
        let is_key = !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        if is_key && target.is_none_or(|t| !t.is_empty()) {
            out.push(Placeholder {
                start: open,
                end: open + 1 + close + 1,
                key,
                target,
            });
            from = open + 1 + close + 1;
        } else {
            from = open + 1;
        }
    }
    out
}

/// The slide's own alternative: the revealed one, else the only highlighted one.
#[must_use]
pub fn caption_subject(slide: &Slide) -> Option<AlignmentId> {
    slide.reveal.or(match slide.highlight.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}

/// The alternative a placeholder's target names, or why there is none.
fn target_id(
    target: Option<&str>,
    slide: &Slide,
    scenario: &Scenario,
) -> Result<AlignmentId, String> {
    let Some(t) = target else {
        return caption_subject(slide).ok_or_else(|| {
            "the slide reveals no alternative and highlights more or fewer than one: \
             name one, e.g. {length_km:UAP}"
                .to_owned()
        });
    };
    if let Ok(n) = t.parse::<u64>() {
        let id = AlignmentId(n);
        return scenario
            .alignment(id)
            .map(|a| a.id)
            .ok_or_else(|| format!("there is no alternative {n}"));
    }
    let needle = t.to_lowercase();
    let mut hits = scenario
        .alignments
        .iter()
        .filter(|a| a.name.to_lowercase().contains(&needle));
    match (hits.next(), hits.next()) {
        (Some(a), None) => Ok(a.id),
        (None, _) => Err(format!("no alternative's name contains {t:?}")),
        (Some(_), Some(_)) => Err(format!("more than one alternative's name contains {t:?}")),
    }
}

/// Alternatives whose rows a caption needs (to compute only those ledgers).
#[must_use]
pub fn caption_alternatives(slide: &Slide, scenario: &Scenario) -> Vec<AlignmentId> {
    let mut ids: Vec<AlignmentId> = placeholders(&slide.caption)
        .iter()
        .filter_map(|p| target_id(p.target, slide, scenario).ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The slide's caption with every placeholder replaced by its figure from `rows` (the
/// comparison rows of the scenario's alternatives). A placeholder that cannot be filled
/// reads `{?key}` (`{?key:target}`); a row not computed yet reads `…`.
#[must_use]
pub fn fill_caption(
    slide: &Slide,
    scenario: &Scenario,
    rows: &[(AlignmentId, ComparisonRow)],
) -> String {
    let caption = slide.caption.as_str();
    let mut out = String::with_capacity(caption.len());
    let mut last = 0;
    for p in placeholders(caption) {
        out.push_str(&caption[last..p.start]);
        last = p.end;
        let figure = Figure::from_key(p.key);
        let id = target_id(p.target, slide, scenario);
        if let (Some(f), Ok(id)) = (figure, id) {
            match rows.iter().find(|(r, _)| *r == id) {
                Some((_, row)) => out.push_str(&f.text(row)),
                None => out.push('…'),
            }
        } else {
            out.push_str("{?");
            out.push_str(&caption[p.start + 1..p.end]);
        }
    }
    out.push_str(&caption[last..]);
    out
}

/// Why placeholders of the slide's caption cannot be filled, one line each.
#[must_use]
pub fn caption_warnings(slide: &Slide, scenario: &Scenario) -> Vec<String> {
    let keys = || {
        Figure::ALL
            .iter()
            .map(|f| f.key())
            .collect::<Vec<_>>()
            .join(", ")
    };
    placeholders(&slide.caption)
        .iter()
        .filter_map(|p| {
            let text = &slide.caption[p.start..p.end];
            if Figure::from_key(p.key).is_none() {
                return Some(format!("{text}: no figure {:?} (known: {})", p.key, keys()));
            }
            target_id(p.target, slide, scenario)
                .err()
                .map(|why| format!("{text}: {why}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::scenario::ids::SlideId;
    use crate::plan::scenario::model::Alignment;

    fn row(km: f64, cost_musd: f64, time_h: f64) -> ComparisonRow {
        ComparisonRow {
            name: String::new(),
            km,
            existing_km: 75.0,
            new_km: km - 75.0,
            countries: "UZB 10.0; AFG 637.0".into(),
            crossings: 2,
            gauge_breaks: 1,
            max_grade_pct: 3.0,
            cost_musd,
            // A band of 0.8–1.2 × the estimate, by hand.
            cost_low_usd: cost_musd * 0.8e6,
            cost_high_usd: cost_musd * 1.2e6,
            time_h,
            published_km: None,
            published_cost_usd: None,
            published_year: None,
            published_source: None,
            published_basis: None,
            km_ratio: None,
            cost_ratio: None,
            tunnel_km: None,
            tunnels: None,
            bridge_km: None,
            curves_below_min: None,
            published_time_h: None,
            published_time_source: None,
        }
    }

    fn scenario() -> Scenario {
        let mut s = Scenario::default();
        for (id, name) in [(1, "West: KTAP to Karachi"), (3, "East: UAP via Kabul")] {
            let mut a = Alignment::new(AlignmentId(id), name);
            a.name = name.to_owned();
            s.alignments.push(a);
        }
        s
    }

    fn slide(caption: &str, reveal: Option<u64>, highlight: &[u64]) -> Slide {
        let mut s = Slide::new(SlideId(1), "t");
        s.caption = caption.to_owned();
        s.reveal = reveal.map(AlignmentId);
        s.highlight = highlight.iter().copied().map(AlignmentId).collect();
        s
    }

    #[test]
    fn placeholders_take_the_slides_or_the_named_alternatives_figures() {
        let sc = scenario();
        let rows = vec![
            (AlignmentId(1), row(1571.04, 7000.4, 40.04)),
            (AlignmentId(3), row(786.16, 4880.0, 16.26)),
        ];
        // Revealed: alternative 3. Figures written by hand from the rows above.
        let s = slide(
            "The line is {length_km} for {cost}, {time} by train; KTAP {length_km:ktap} \
             ({length_km:1}); {crossings} borders. Braces {not one} and {} stay.",
            Some(3),
            &[1, 3],
        );
        assert_eq!(
            fill_caption(&s, &sc, &rows),
            "The line is 786.2 km for $3.9–5.9 bn, 16.3 h by train; KTAP 1,571.0 km \
             (1,571.0 km); 2 borders. Braces {not one} and {} stay."
        );
        assert!(caption_warnings(&s, &sc).is_empty());
        // One highlighted alternative is the slide's own.
        assert_eq!(
            fill_caption(&slide("{time}", None, &[1]), &sc, &rows),
            "40.0 h"
        );
    }

    #[test]
    fn unfillable_placeholders_show_visibly_and_warn() {
        let sc = scenario();
        let rows = vec![(AlignmentId(3), row(786.16, 4880.0, 16.26))];
        let s = slide(
            "{length} {time:9} {cost:north} {time:a} {length_km}",
            None,
            &[1, 3],
        );
        assert_eq!(
            fill_caption(&s, &sc, &rows),
            "{?length} {?time:9} {?cost:north} {?time:a} {?length_km}"
        );
        let w = caption_warnings(&s, &sc);
        assert_eq!(w.len(), 5, "{w:?}");
        assert!(
            w[0].starts_with("{length}: no figure \"length\""),
            "{}",
            w[0]
        );
        assert!(w[1].contains("no alternative 9"), "{}", w[1]);
        assert!(
            w[2].contains("no alternative's name contains \"north\""),
            "{}",
            w[2]
        );
        assert!(w[3].contains("more than one"), "{}", w[3]);
        assert!(
            w[4].contains("highlights more or fewer than one"),
            "{}",
            w[4]
        );
        // A known alternative whose ledger is not there yet: an ellipsis, no warning.
        let s = slide("{time:1}", None, &[]);
        assert_eq!(fill_caption(&s, &sc, &rows), "…");
        assert!(caption_warnings(&s, &sc).is_empty());
    }
}
