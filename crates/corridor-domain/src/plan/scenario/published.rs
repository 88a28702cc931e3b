//! The figures published for an alternative (its length and cost as a project announced
//! them), read from its properties by one function so the app's comparison table and the
//! `compare` command always show the same numbers.
//!
//! Keys, in order of preference: the curated machine-readable `…_value` first (the figure
//! chosen from the quoted text), then `…_published` (the quoted text, or a number), and for
//! the cost a plain `cost_usd`. A text counts when it starts with a number (commas and a
//! leading `~` allowed) followed by nothing, a parenthesised note, or a `;`/`/` before the
//! next figure: "647 (Termez–Kharlachi, 2025); 760" is 647. A text whose first number is
//! followed by anything else ("225 total; 140 open", "~500 bn KZT") is not a figure: guessing
//! its unit or scope would put a wrong number in the table. A `…_value` key that is present
//! but null means the curators found no figure for the whole route (the bundled Iranian lines
//! quote section figures only: "165 (Mashhad-Sarakhs); ~800 (…)"): the text is then not read.
//!
//! With the figures come where they were published (`published_source`, text), when
//! (`published_year`, a number) and what they cover when that is not the whole drawn route
//! (`published_note`), so every table that shows a published figure can say whose it is; and
//! the published tunnels (`published_tunnels`, text), set beside the computed ones.
//! The ratios measured/published are computed here too, once, for every reader.
//!
//! When no single publication gives a figure for the route as drawn, the figure may be a
//! composite: `published_basis` says how it was made ("sum of sections") and
//! `published_sections` lists the parts, each `{"section", "km", "cost_usd", "source"}`
//! (`cost_usd` null on existing track: nothing to build); `published_missing` names the
//! stretches no figure covers. The composite is labelled as such wherever it is shown
//! ([`PublishedFigures::basis_label`]): a ministry must not read it as one project's figure.
//!
//! A published journey time is `time_h_published`: hours, a number or a `[low, high]` band
//! (publications quote "3–5 days"), with `time_published_source` saying whose it is and what
//! it covers (door to door, which stretch) — it is shown beside the ledger's travel time, not
//! divided by it, since a door-to-door time includes what a rail run does not.

use serde::Serialize;
use serde_json::{Map, Value};

use super::model::Alignment;
use crate::measure::ledger::{PublishedColumns, measured_over_published};

/// What an alternative says was published about it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PublishedFigures {
    /// Published length (km).
    pub length_km: Option<f64>,
    /// Published cost (US dollars).
    pub cost_usd: Option<f64>,
    /// The year the figures were published (`published_year`).
    pub year: Option<i32>,
    /// Who published them (`published_source`).
    pub source: Option<String>,
    /// What the figures cover, or why there is none (`published_note`).
    pub note: Option<String>,
    /// Published tunnels (count, length) as quoted (`published_tunnels`), to set beside the
    /// design line's computed tunnels.
    pub tunnels: Option<String>,
    /// Published journey time, hours, low–high (`time_h_published`).
    pub time_h: Option<[f64; 2]>,
    /// Who published the journey time and what it covers (`time_published_source`).
    pub time_source: Option<String>,
    /// How the figures were made when no single publication gives them
    /// (`published_basis`, e.g. "sum of sections"); `None`: one publication's figures.
    pub basis: Option<String>,
    /// The published sections a composite is the sum of (`published_sections`).
    pub sections: Vec<PublishedSection>,
    /// Stretches of the route no published figure covers (`published_missing`), so the sum
    /// is short by them.
    pub missing: Option<String>,
}

/// One published section of a composite figure.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PublishedSection {
    /// Which stretch ("Torghundi-Herat").
    pub section: String,
    /// Its published length (km).
    pub km: Option<f64>,
    /// Its published construction cost (US dollars); `None` on existing track or where
    /// nothing was published.
    pub cost_usd: Option<f64>,
    /// Who published it.
    pub source: String,
}

impl PublishedFigures {
    /// The published figures of an alignment (its `extra` properties).
    #[must_use]
    pub fn of(a: &Alignment) -> Self {
        Self::of_properties(&a.extra)
    }

    /// The published figures in a property map (see the module documentation for the keys).
    #[must_use]
    pub fn of_properties(props: &Map<String, Value>) -> Self {
        // `keys[0]` is the curated value: present but null, it is the curators' word that no
        // figure covers the whole route, and the quoted text (section figures) is not read.
        let first = |keys: &[&str]| {
            if props.get(keys[0]).is_some_and(Value::is_null) {
                return None;
            }
            keys.iter().find_map(|k| props.get(*k).and_then(figure))
        };
        Self {
            length_km: first(&["length_km_value", "length_km_published"]),
            cost_usd: first(&["cost_usd_value", "cost_usd_published", "cost_usd"]),
            year: props.get("published_year").and_then(year),
            source: text(props, "published_source"),
            note: text(props, "published_note"),
            tunnels: text(props, "published_tunnels"),
            time_h: props.get("time_h_published").and_then(band),
            time_source: text(props, "time_published_source"),
            basis: text(props, "published_basis"),
            sections: props
                .get("published_sections")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(section).collect())
                .unwrap_or_default(),
            missing: text(props, "published_missing"),
        }
    }

    /// How a composite figure was made, as every table and legend labels it: "sum of 6
    /// published sections" (and "; not published: …" when a stretch has no figure);
    /// `None` when the figures are one publication's.
    #[must_use]
    pub fn basis_label(&self) -> Option<String> {
        let basis = self.basis.as_deref()?;
        let mut label = if basis == "sum of sections" && !self.sections.is_empty() {
            format!("sum of {} published sections", self.sections.len())
        } else {
            basis.to_owned()
        };
        if let Some(missing) = &self.missing {
            label.push_str("; not published: ");
            label.push_str(missing);
        }
        Some(label)
    }

    /// The figures as a comparison row takes them.
    #[must_use]
    pub fn columns(&self) -> PublishedColumns {
        PublishedColumns {
            km: self.length_km,
            cost_usd: self.cost_usd,
            year: self.year,
            source: self.source.clone(),
            basis: self.basis_label(),
            time_h: self.time_h,
            time_source: self.time_source.clone(),
        }
    }

    /// Measured length over the published one (`None` without a published length).
    #[must_use]
    pub fn length_ratio(&self, measured_km: f64) -> Option<f64> {
        measured_over_published(measured_km, self.length_km)
    }

    /// Estimated cost over the published one (`None` without a published cost).
    #[must_use]
    pub fn cost_ratio(&self, estimated_usd: f64) -> Option<f64> {
        measured_over_published(estimated_usd, self.cost_usd)
    }

    /// "TASS, 21 Jul 2025 (2025)": source and year for a tooltip, then the note on its own
    /// line; `None` when the alternative says nothing about where its figures come from.
    #[must_use]
    pub fn provenance(&self) -> Option<String> {
        let mut lines = Vec::new();
        match (&self.source, self.year) {
            (Some(s), Some(y)) => lines.push(format!("{s} ({y})")),
            (Some(s), None) => lines.push(s.clone()),
            (None, Some(y)) => lines.push(format!("published {y}")),
            (None, None) => {}
        }
        lines.extend(self.basis_label());
        for s in &self.sections {
            let km =
                s.km.map_or_else(|| "no length".to_owned(), |k| format!("{k} km"));
            let cost = s
                .cost_usd
                .map_or_else(String::new, |c| format!(", ${:.0} m", c / 1e6));
            lines.push(format!("  {}: {km}{cost} ({})", s.section, s.source));
        }
        lines.extend(self.note.clone());
        (!lines.is_empty()).then(|| lines.join("\n"))
    }
}

/// A section of a composite: needs its name and source; a figure that is not a number is
/// no figure.
fn section(v: &Value) -> Option<PublishedSection> {
    let o = v.as_object()?;
    Some(PublishedSection {
        section: text(o, "section")?,
        km: o.get("km").and_then(figure),
        cost_usd: o.get("cost_usd").and_then(figure),
        source: text(o, "source")?,
    })
}

/// A band of positive figures: one number (low = high) or `[low, high]` with low ≤ high.
fn band(v: &Value) -> Option<[f64; 2]> {
    let [low, high] = match v {
        Value::Array(a) if a.len() == 2 => [figure(&a[0])?, figure(&a[1])?],
        other => {
            let x = figure(other)?;
            [x, x]
        }
    };
    (low > 0.0 && low <= high).then_some([low, high])
}

/// A non-empty trimmed text property.
fn text(props: &Map<String, Value>, key: &str) -> Option<String> {
    props
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A year: an integer, or a text that is one ("2025").
fn year(v: &Value) -> Option<i32> {
    match v {
        Value::Number(n) => n.as_i64().and_then(|y| i32::try_from(y).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A figure: a finite number, or a text that is one (see the module documentation).
fn figure(v: &Value) -> Option<f64> {
    let n = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => leading_figure(s)?,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

fn leading_figure(s: &str) -> Option<f64> {
    let s = s.trim_start().trim_start_matches('~');
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(s.len());
    let (number, rest) = s.split_at(end);
    let rest = rest.trim_start();
    let ends_figure = rest.is_empty() || rest.starts_with(['(', ';', '/']);
    if !ends_figure {
        return None;
    }
    number.replace(',', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(v: Value) -> PublishedFigures {
        let Value::Object(m) = v else {
            return PublishedFigures::default();
        };
        PublishedFigures::of_properties(&m)
    }

    #[test]
    fn quoted_texts_give_their_first_figure_and_values_win() {
        let p = of(json!({
            "length_km_published": "647 (Termez-Kharlachi, 2025); 760 (2022-23)",
            "cost_usd_published": "4600000000 (Uzbekistan, Jul 2025); 8200000000"
        }));
        assert_eq!(p.length_km, Some(647.0));
        assert_eq!(p.cost_usd, Some(4.6e9));
        let p = of(json!({"length_km_published": "225 total; 140 open", "length_km_value": 140}));
        assert_eq!(p.length_km, Some(140.0));
        assert_eq!(
            of(json!({"length_km_published": "1,726"})).length_km,
            Some(1726.0)
        );
        assert_eq!(
            of(json!({"cost_usd": 7_000_000_000_u64})).cost_usd,
            Some(7e9)
        );
    }

    #[test]
    fn a_null_curated_value_means_no_figure_for_the_whole_route() {
        // The bundled Mashhad-Bafq line quotes two section figures; its curated value is null.
        let p = of(json!({
            "length_km_published": "165 (Mashhad-Sarakhs); ~800 (Kashmar/Fariman-Bafq, 2005)",
            "length_km_value": null,
            "cost_usd_published": "620000000 (Financial Tribune, pre-opening); ~2000000000 (AFP)",
            "cost_usd_value": null
        }));
        assert_eq!((p.length_km, p.cost_usd), (None, None));
        // Without the curated key (a scenario's alternative) the quoted text is read.
        let p = of(json!({"length_km_published": "165 (Mashhad-Sarakhs)"}));
        assert_eq!(p.length_km, Some(165.0));
    }

    #[test]
    fn texts_with_a_unit_or_scope_are_not_figures() {
        let p = of(json!({
            "length_km_published": "225 total; 140 open",
            "cost_usd_published": "~500 bn KZT (with Arkalyk-Shubarkol)"
        }));
        assert_eq!(p, PublishedFigures::default());
        assert_eq!(
            of(json!({"cost_usd_published": "Rs 112 bn"})).cost_usd,
            None
        );
    }

    #[test]
    fn year_source_and_note_are_read_and_ratios_are_measured_over_published() {
        let p = of(json!({
            "length_km_published": 647,
            "cost_usd_published": 4_600_000_000_u64,
            "published_year": 2025,
            "published_source": "TASS, 21 Jul 2025",
            "published_note": "Termez-Kharlachi"
        }));
        assert_eq!(p.year, Some(2025));
        assert_eq!(p.source.as_deref(), Some("TASS, 21 Jul 2025"));
        assert_eq!(
            p.provenance().as_deref(),
            Some("TASS, 21 Jul 2025 (2025)\nTermez-Kharlachi")
        );
        // 776.4 km measured against 647 published: 1.2 exactly.
        assert!((p.length_ratio(776.4).unwrap() - 1.2).abs() < 1e-12);
        // $2.3 bn estimated against $4.6 bn published: 0.5.
        assert!((p.cost_ratio(2.3e9).unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(of(json!({"published_year": "2024"})).year, Some(2024));
        let none = of(json!({"length_km_published": 0, "published_year": "2024-25"}));
        assert_eq!(none.length_ratio(10.0), None);
        assert_eq!(none.year, None);
        assert_eq!(none.provenance(), None);
    }

    #[test]
    fn a_composite_lists_its_sections_and_is_labelled_as_a_sum() {
        // Two sections by hand: 115 + 737.5 km; one with a cost, one section without a
        // source (dropped: a figure must say whose it is).
        let p = of(json!({
            "length_km_published": 852.5,
            "published_basis": "sum of sections",
            "published_missing": "Serhetabat-Torghundi",
            "published_sections": [
                {"section": "Torghundi-Herat", "km": 115, "cost_usd": 500_000_000_u64, "source": "News.az"},
                {"section": "Herat-Kandahar", "km": 737.5, "cost_usd": null, "source": "Railway Gazette"},
                {"section": "Kandahar-Spin Boldak", "km": 96}
            ]
        }));
        assert_eq!(p.length_km, Some(852.5));
        assert_eq!(p.sections.len(), 2);
        assert_eq!(p.sections[0].cost_usd, Some(5e8));
        assert_eq!(p.sections[1].cost_usd, None);
        let label = "sum of 2 published sections; not published: Serhetabat-Torghundi";
        assert_eq!(p.basis_label().as_deref(), Some(label));
        assert_eq!(p.columns().basis.as_deref(), Some(label));
        let provenance = p.provenance().unwrap();
        assert!(provenance.contains("Torghundi-Herat: 115 km, $500 m (News.az)"));
        assert!(provenance.contains("Herat-Kandahar: 737.5 km (Railway Gazette)"));
        // One publication's figure has no basis.
        assert_eq!(of(json!({"length_km_published": 647})).basis_label(), None);
    }

    #[test]
    fn a_published_time_is_a_number_or_an_ordered_positive_band() {
        let p = of(json!({"time_h_published": [72, 120], "time_published_source": "TASS"}));
        assert_eq!(p.time_h, Some([72.0, 120.0]));
        assert_eq!(p.time_source.as_deref(), Some("TASS"));
        assert_eq!(
            of(json!({"time_h_published": 35})).time_h,
            Some([35.0, 35.0])
        );
        for bad in [
            json!([120, 72]),
            json!([0, 5]),
            json!([1, 2, 3]),
            json!("soon"),
        ] {
            assert_eq!(of(json!({ "time_h_published": bad })).time_h, None, "{bad}");
        }
    }
}
