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
//! its unit or scope would put a wrong number in the table.

use serde_json::{Map, Value};

use super::model::Alignment;

/// What an alternative says was published about it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PublishedFigures {
    /// Published length (km).
    pub length_km: Option<f64>,
    /// Published cost (US dollars).
    pub cost_usd: Option<f64>,
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
        let first = |keys: &[&str]| keys.iter().find_map(|k| props.get(*k).and_then(figure));
        Self {
            length_km: first(&["length_km_value", "length_km_published"]),
            cost_usd: first(&["cost_usd_value", "cost_usd_published", "cost_usd"]),
        }
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
}
