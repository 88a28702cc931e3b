//! Where a suggestion starts and ends: a place named as people type it ("termez", "Gwadar")
//! or a `LON,LAT` pair. Names are looked up in the cities, ports and rail points layers
//! (case-insensitive); an unknown name is an error that lists the nearest spellings.

use crate::atlas::bundled::Atlas;
use crate::map::index::{Part, visit};
use crate::map::layer::LayerKind;
use crate::plan::scenario::model::{SnapRef, is_valid_lonlat};

use super::error::SuggestError;

/// How many near matches an unknown-name error lists.
const NEAR_MATCHES: usize = 5;

/// A resolved start or end of a suggestion.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    pub lon: f64,
    pub lat: f64,
    /// What to call it in names and notes ("Termez", "67.01, 24.86").
    pub label: String,
    /// The named place it is, for the first or last vertex of a suggestion.
    pub snap: Option<SnapRef>,
}

impl Endpoint {
    /// A free point (no place).
    #[must_use]
    pub fn at(lon: f64, lat: f64) -> Self {
        Self {
            lon,
            lat,
            label: format!("{lon:.4}, {lat:.4}"),
            snap: None,
        }
    }
}

/// `LON,LAT` (degrees, optional spaces) → (lon, lat), if the text is one and valid.
#[must_use]
pub fn parse_lonlat(text: &str) -> Option<(f64, f64)> {
    let (a, b) = text.split_once(',')?;
    let lon: f64 = a.trim().parse().ok()?;
    let lat: f64 = b.trim().parse().ok()?;
    is_valid_lonlat(lon, lat).then_some((lon, lat))
}

/// Which place layer wins when a name is in several (the city is what people mean by
/// "Karachi"; its port and its rail point sit at or near it).
fn layer_priority(kind: LayerKind) -> u8 {
    match kind {
        LayerKind::Cities => 0,
        LayerKind::Ports => 1,
        _ => 2,
    }
}

/// The other names a place is written under: "Pul-e Alam (Logar)" is also "Pul-e Alam"
/// and "Logar" (the bundled data puts the province or the better-known name in brackets).
fn aliases(lower: &str) -> impl Iterator<Item = &str> {
    let (outer, inner) = match lower.split_once(" (") {
        Some((outer, rest)) => (Some(outer.trim()), rest.strip_suffix(')').map(str::trim)),
        None => (None, None),
    };
    outer.into_iter().chain(inner).filter(|a| !a.is_empty())
}

/// Resolve `text` to an endpoint: `LON,LAT`, else a case-insensitive exact name in the
/// cities, ports or rail points layers (cities first; among equal names, the most
/// populous), else a name in brackets or before them ("Logar" for "Pul-e Alam (Logar)").
/// Otherwise [`SuggestError::UnknownPlace`] with up to five near matches.
pub fn resolve_endpoint(atlas: &Atlas, text: &str) -> Result<Endpoint, SuggestError> {
    let query = text.trim();
    if let Some((lon, lat)) = parse_lonlat(query) {
        return Ok(Endpoint::at(lon, lat));
    }
    let key = query.to_lowercase();
    let mut best: Option<((u8, u8, i64), Endpoint)> = None;
    let mut names: Vec<String> = Vec::new();
    for layer in &atlas.layers {
        if !matches!(
            layer.kind,
            LayerKind::Cities | LayerKind::Ports | LayerKind::RailPoints
        ) {
            continue;
        }
        for f in &layer.features {
            let Some(name) = f.name() else { continue };
            let lower = name.to_lowercase();
            let alias = lower != key && aliases(&lower).any(|a| a == key);
            if lower != key && !alias {
                names.push(name.to_owned());
                continue;
            }
            let mut point = None;
            visit(&f.geometry, &mut |part| {
                if let Part::Point(c) = part {
                    point.get_or_insert((c.x, c.y));
                }
            });
            let Some((lon, lat)) = point else { continue };
            let population = f.f64("population").unwrap_or(0.0) as i64;
            let rank = (u8::from(alias), layer_priority(layer.kind), -population);
            if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                best = Some((
                    rank,
                    Endpoint {
                        lon,
                        lat,
                        label: name.to_owned(),
                        snap: Some(SnapRef::Place {
                            layer: layer.id.clone(),
                            name: name.to_owned(),
                        }),
                    },
                ));
            }
        }
    }
    if let Some((_, endpoint)) = best {
        return Ok(endpoint);
    }
    Err(SuggestError::UnknownPlace {
        query: query.to_owned(),
        near: near_matches(&key, names),
    })
}

/// Up to [`NEAR_MATCHES`] names closest to `key` (lower case): those containing it or
/// contained in it first, then by edit distance, within a third of the name's length.
fn near_matches(key: &str, mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names.dedup();
    let mut scored: Vec<(usize, String)> = names
        .into_iter()
        .filter_map(|name| {
            let lower = name.to_lowercase();
            let contains = !key.is_empty() && (lower.contains(key) || key.contains(lower.as_str()));
            let d = edit_distance(key, &lower);
            let limit = (key.chars().count() / 3).max(2);
            if contains {
                Some((d.min(limit), name))
            } else {
                (d <= limit).then_some((d, name))
            }
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(NEAR_MATCHES)
        .map(|(_, n)| n)
        .collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lon_lat_pairs_parse_and_bad_ones_do_not() {
        assert_eq!(parse_lonlat("67.01, 24.86"), Some((67.01, 24.86)));
        assert_eq!(parse_lonlat("200,10"), None);
        assert_eq!(parse_lonlat("Karachi"), None);
    }

    #[test]
    fn near_matches_tolerate_typos() {
        let names = vec![
            "Termez".to_owned(),
            "Tehran".to_owned(),
            "Karachi".to_owned(),
        ];
        assert_eq!(
            near_matches("termes", names.clone()),
            vec!["Termez".to_owned()]
        );
        assert!(near_matches("zzzzzzzz", names).is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn a_bracketed_name_is_an_alias() {
        let a: Vec<&str> = aliases("pul-e alam (logar)").collect();
        assert_eq!(a, vec!["pul-e alam", "logar"]);
        assert_eq!(aliases("karachi").count(), 0);
    }
}
