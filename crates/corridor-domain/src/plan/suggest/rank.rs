//! Ranking and describing alternatives by their ledger (issue 15): the order a planner asks
//! for (cheapest, shortest, fastest, least new build) and a note that says what sets each
//! alternative apart, built only from ledger facts (served places, the posts its crossings
//! are named after, its existing share), so the note can never disagree with Compare.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use crate::measure::ledger::{Ledger, PlaceKind, SEA_CODE};

/// What the alternatives are ordered by, best first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RankBy {
    /// Construction cost (the ledger's total).
    #[default]
    Cost,
    /// Geodesic length.
    Length,
    /// Freight travel time end to end.
    Time,
    /// Kilometres of new build on land.
    NewBuild,
}

impl RankBy {
    /// Every objective, in the order a panel lists them.
    pub const ALL: [Self; 4] = [Self::Cost, Self::Length, Self::Time, Self::NewBuild];

    /// The figure of `ledger` this objective minimises.
    #[must_use]
    pub fn key(self, ledger: &Ledger) -> f64 {
        match self {
            Self::Cost => ledger.cost.total_usd,
            Self::Length => ledger.length_m,
            Self::Time => ledger.travel.total_h,
            Self::NewBuild => ledger.new_m,
        }
    }

    /// The name used on the command line (`--rank-by`).
    #[must_use]
    pub fn cli_name(self) -> &'static str {
        match self {
            Self::Cost => "cost",
            Self::Length => "length",
            Self::Time => "time",
            Self::NewBuild => "new-build",
        }
    }

    /// What a panel shows.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Cost => "Lowest cost",
            Self::Length => "Shortest",
            Self::Time => "Fastest",
            Self::NewBuild => "Least new build",
        }
    }
}

impl fmt::Display for RankBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cli_name())
    }
}

impl FromStr for RankBy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.cli_name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown objective {s:?}: use cost, length, time or new-build"))
    }
}

/// Sort `items` by `rank_by` on their ledger, best first (stable: equal figures keep the
/// search's order).
pub(crate) fn sort_by_objective<T>(
    items: &mut [T],
    rank_by: RankBy,
    ledger: impl Fn(&T) -> &Ledger,
) {
    items.sort_by(|a, b| rank_by.key(ledger(a)).total_cmp(&rank_by.key(ledger(b))));
}

/// The crossings of `ledger` between two countries (not to or from the sea): each as
/// (from, to, named post or `None` for a new gate).
pub(crate) fn land_crossings(ledger: &Ledger) -> Vec<(String, String, Option<String>)> {
    ledger
        .crossings
        .iter()
        .filter(|c| c.from_iso_a3 != SEA_CODE && c.to_iso_a3 != SEA_CODE)
        .map(|c| {
            (
                c.from_iso_a3.clone(),
                c.to_iso_a3.clone(),
                c.near.as_ref().map(|n| n.name.clone()),
            )
        })
        .collect()
}

/// What tells two alternatives' borders apart: the named posts crossed, and each new gate
/// by the border it opens.
pub(crate) fn gate_set(ledger: &Ledger) -> BTreeSet<String> {
    land_crossings(ledger)
        .into_iter()
        .map(|(from, to, post)| post.unwrap_or_else(|| format!("new gate {from}-{to}")))
        .collect()
}

/// Places (cities, capitals) `ledger` serves, in chainage order, except `skip` (the ends).
fn served_places<'a>(ledger: &'a Ledger, skip: &[&str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for p in &ledger.served {
        let name = p.name.as_str();
        if matches!(p.kind, PlaceKind::City | PlaceKind::Capital)
            && !skip.iter().any(|s| s.eq_ignore_ascii_case(name))
            && !out.contains(&name)
        {
            out.push(name);
        }
    }
    out
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The distinguishing notes of `ledgers` (one per alternative, in order): "via Kabul and
/// Torkham; 2 crossings; 38 % on existing track; highest point 2,600 m". The places named are
/// those this alternative serves and no other does (at most three), else its first served
/// places; the posts are those its crossings are named after (but the ends), and a crossing
/// at no post is a new gate.
pub(crate) fn distinguishing_notes(ledgers: &[&Ledger], ends: &[&str]) -> Vec<String> {
    let served: Vec<Vec<&str>> = ledgers.iter().map(|l| served_places(l, ends)).collect();
    ledgers
        .iter()
        .enumerate()
        .map(|(i, ledger)| {
            let own: Vec<&str> = served[i]
                .iter()
                .copied()
                .filter(|p| {
                    served
                        .iter()
                        .enumerate()
                        .all(|(j, s)| j == i || !s.contains(p))
                })
                .collect();
            let mut via: Vec<String> = if own.is_empty() { &served[i] } else { &own }
                .iter()
                .take(3)
                .map(|s| (*s).to_owned())
                .collect();
            let crossings = land_crossings(ledger);
            let mut new_gates = 0;
            for (_, _, post) in &crossings {
                match post {
                    // A post at an end (Termez, Kharlachi) says nothing new.
                    Some(name)
                        if !via.contains(name)
                            && !ends.iter().any(|e| e.eq_ignore_ascii_case(name)) =>
                    {
                        via.push(name.clone());
                    }
                    Some(_) => {}
                    None => new_gates += 1,
                }
            }
            let mut parts = Vec::new();
            if !via.is_empty() {
                parts.push(format!("via {}", and_list(&via)));
            }
            let n = ledger.borders_crossed;
            parts.push(format!("{n} crossing{}", if n == 1 { "" } else { "s" }));
            if new_gates > 0 {
                parts.push(format!(
                    "{new_gates} at a new gate (no bundled border post)"
                ));
            }
            let share = if ledger.length_m > 0.0 {
                ledger.existing_m / ledger.length_m * 100.0
            } else {
                0.0
            };
            parts.push(format!("{share:.0} % on existing track"));
            // Tells a pass from a valley (Salang against Panjshir).
            if let Some(top_m) = ledger.profile.max_elevation_m {
                parts.push(format!("highest point {top_m:.0} m"));
            }
            parts.join("; ")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objectives_parse_by_their_cli_names() {
        assert_eq!("new-build".parse::<RankBy>(), Ok(RankBy::NewBuild));
        assert_eq!(" Cost ".parse::<RankBy>(), Ok(RankBy::Cost));
        assert!("speed".parse::<RankBy>().is_err());
    }

    fn ledger(
        served: &[&str],
        crossings: &[(&str, &str, Option<&str>)],
        existing_share: f64,
    ) -> Ledger {
        use crate::measure::ledger::{Crossing, NearPoint, ServedPlace};
        Ledger {
            length_m: 1_000_000.0,
            existing_m: existing_share * 1_000_000.0,
            borders_crossed: crossings.len(),
            served: served
                .iter()
                .enumerate()
                .map(|(i, name)| ServedPlace {
                    name: (*name).to_owned(),
                    kind: PlaceKind::City,
                    chainage_m: i as f64 * 1000.0,
                    distance_m: 0.0,
                })
                .collect(),
            crossings: crossings
                .iter()
                .enumerate()
                .map(|(i, (from, to, post))| Crossing {
                    chainage_m: i as f64 * 100_000.0,
                    lon: 0.0,
                    lat: 0.0,
                    from_iso_a3: (*from).to_owned(),
                    to_iso_a3: (*to).to_owned(),
                    from_name: String::new(),
                    to_name: String::new(),
                    near: post.map(|p| NearPoint {
                        name: p.to_owned(),
                        distance_m: 1000.0,
                    }),
                })
                .collect(),
            ..Ledger::default()
        }
    }

    #[test]
    fn notes_name_what_only_this_alternative_serves_and_its_posts() {
        let a = ledger(
            &["Termez", "Mazar-i-Sharif", "Kabul", "Karachi"],
            &[
                ("UZB", "AFG", Some("Hairatan")),
                ("AFG", "PAK", Some("Torkham")),
            ],
            0.38,
        );
        let b = ledger(
            &["Termez", "Mazar-i-Sharif", "Kandahar", "Karachi"],
            &[("UZB", "AFG", Some("Hairatan")), ("AFG", "PAK", None)],
            0.5,
        );
        let mut c = ledger(&["Mazar-i-Sharif"], &[("UZB", "AFG", Some("Termez"))], 0.1);
        c.profile.max_elevation_m = Some(3_657.4);
        let notes = distinguishing_notes(&[&a, &b], &["Termez", "Karachi"]);
        let only_c = distinguishing_notes(&[&c], &["Termez", "Karachi"]);
        assert_eq!(
            only_c[0],
            "via Mazar-i-Sharif; 1 crossing; 10 % on existing track; highest point 3657 m"
        );
        assert_eq!(
            notes[0],
            "via Kabul, Hairatan and Torkham; 2 crossings; 38 % on existing track"
        );
        assert_eq!(
            notes[1],
            "via Kandahar and Hairatan; 2 crossings; 1 at a new gate (no bundled border post); 50 % on existing track"
        );
        // The gates tell them apart even where the lines run close.
        assert_ne!(gate_set(&a), gate_set(&b));
        assert!(gate_set(&b).contains("new gate AFG-PAK"));
    }

    #[test]
    fn ranking_follows_the_chosen_ledger_figure() {
        let mut cheap_long = ledger(&[], &[], 0.0);
        cheap_long.cost.total_usd = 1.0e9;
        cheap_long.length_m = 2.0e6;
        let mut dear_short = ledger(&[], &[], 0.0);
        dear_short.cost.total_usd = 2.0e9;
        let mut v = vec![dear_short.clone(), cheap_long.clone()];
        sort_by_objective(&mut v, RankBy::Cost, |l| l);
        assert_eq!(v[0], cheap_long);
        sort_by_objective(&mut v, RankBy::Length, |l| l);
        assert_eq!(v[0], dear_short);
    }

    #[test]
    fn and_list_joins_like_prose() {
        let v = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(and_list(&v(&["Kabul"])), "Kabul");
        assert_eq!(and_list(&v(&["Kabul", "Torkham"])), "Kabul and Torkham");
        assert_eq!(and_list(&v(&["A", "B", "C"])), "A, B and C");
    }
}
