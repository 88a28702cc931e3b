//! Find a place by name: every named feature of the bundled and imported layers, matched
//! accent- and script-insensitively (`Pul-e Khumrī`, `Пешавар` and `pul e khumri` all fold to
//! Latin lower case with [`deunicode`]) and fuzzily (Jaro–Winkler on words, so `Kyber` finds
//! the Khyber Pass). A typed coordinate ([`crate::map::coords::parse_coordinate`]) is
//! answered as itself.

use std::sync::Arc;

use geo::BoundingRect;

use crate::map::coords::parse_coordinate;
use crate::map::kind::LayerKind;
use crate::map::layer::Layer;

/// A named place: where to look and how far to zoom out to see all of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// The name as the data spells it.
    pub name: String,
    /// Title of the layer it comes from ("Cities", "Crossings, gauge breaks, passes" …).
    pub layer: String,
    /// Centre of its extent (a point's own position), degrees.
    pub lon: f64,
    pub lat: f64,
    /// Its extent, `[lon_min, lat_min, lon_max, lat_max]`; zero-sized for a point. Features
    /// of one layer sharing a name (the segments of a river) are one place.
    pub extent: [f64; 4],
    /// Points (cities, ports, crossings) before lines and areas when names match equally.
    rank: u8,
}

/// What a query found: a typed coordinate, or places, best first.
#[derive(Clone, Debug, PartialEq)]
pub enum Found<'a> {
    Coordinate { lon: f64, lat: f64 },
    Places(Vec<&'a Place>),
}

/// Every name of a set of layers, folded once for fast matching.
#[derive(Clone, Debug, Default)]
pub struct PlaceIndex {
    places: Vec<Place>,
    /// `fold(name)` of each place, same order.
    folded: Vec<String>,
}

/// Fold a name for matching: transliterate to ASCII (accents dropped, Cyrillic and Arabic
/// script romanised), lower-case, and every run of other characters (hyphens, brackets,
/// apostrophes) made one space.
#[must_use]
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// How well `query` (folded) names `name` (folded), 0 if not at all. Exact beats a prefix
/// beats a word prefix beats a substring beats a near miss.
fn score(query: &str, name: &str) -> f64 {
    if query.is_empty() {
        return 0.0;
    }
    if name == query {
        return 1000.0;
    }
    if name.starts_with(query) {
        return 900.0 - (name.len() - query.len()) as f64 * 0.1;
    }
    if name.split(' ').any(|w| w.starts_with(query)) {
        return 800.0 - (name.len() - query.len()) as f64 * 0.1;
    }
    if name.contains(query) {
        return 700.0;
    }
    // Near misses: the query against each run of as many words as it has.
    let n = query.split(' ').count();
    let words: Vec<&str> = name.split(' ').collect();
    let best = words
        .windows(n.min(words.len()))
        .map(|w| strsim::jaro_winkler(query, &w.join(" ")))
        .fold(0.0, f64::max);
    if best >= 0.85 { 500.0 * best } else { 0.0 }
}

impl PlaceIndex {
    /// Index every named feature of `layers`, bundled and imported alike.
    #[must_use]
    pub fn new(layers: &[Arc<Layer>]) -> Self {
        let mut index = Self::default();
        let mut seen: foldhash::HashMap<(String, String), usize> = foldhash::HashMap::default();
        for layer in layers {
            let rank = match layer.kind {
                LayerKind::Cities | LayerKind::Ports | LayerKind::RailPoints => 0,
                LayerKind::Imported | LayerKind::Countries => 1,
                _ => 2,
            };
            for f in &layer.features {
                let Some(name) = f.name().map(str::trim).filter(|n| !n.is_empty()) else {
                    continue;
                };
                let Some(r) = f.geometry.bounding_rect() else {
                    continue;
                };
                let extent = [r.min().x, r.min().y, r.max().x, r.max().y];
                let folded = fold(name);
                match seen.entry((folded.clone(), layer.id.clone())) {
                    std::collections::hash_map::Entry::Occupied(e) => {
                        let p = &mut index.places[*e.get()];
                        p.extent = [
                            p.extent[0].min(extent[0]),
                            p.extent[1].min(extent[1]),
                            p.extent[2].max(extent[2]),
                            p.extent[3].max(extent[3]),
                        ];
                        p.lon = f64::midpoint(p.extent[0], p.extent[2]);
                        p.lat = f64::midpoint(p.extent[1], p.extent[3]);
                    }
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(index.places.len());
                        index.places.push(Place {
                            name: name.to_owned(),
                            layer: layer.title.clone(),
                            lon: f64::midpoint(extent[0], extent[2]),
                            lat: f64::midpoint(extent[1], extent[3]),
                            extent,
                            rank,
                        });
                        index.folded.push(folded);
                    }
                }
            }
        }
        index
    }

    /// How many places are indexed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// True if no layer had a named feature.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Answer a query: a coordinate if it reads as one, else up to `limit` places, best
    /// match first (then points before lines and areas, then the shorter name).
    #[must_use]
    pub fn find(&self, query: &str, limit: usize) -> Found<'_> {
        if let Some((lon, lat)) = parse_coordinate(query) {
            return Found::Coordinate { lon, lat };
        }
        let q = fold(query);
        let mut hits: Vec<(f64, &Place)> = self
            .folded
            .iter()
            .zip(&self.places)
            .map(|(name, p)| (score(&q, name), p))
            .filter(|(s, _)| *s > 0.0)
            .collect();
        hits.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.rank.cmp(&b.1.rank))
                .then(a.1.name.len().cmp(&b.1.name.len()))
                .then_with(|| a.1.name.cmp(&b.1.name))
        });
        Found::Places(hits.into_iter().take(limit).map(|(_, p)| p).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::feature::Feature;
    use geo::{Geometry, LineString, Point};
    use serde_json::json;

    fn layer(id: &str, kind: LayerKind, features: Vec<Feature>) -> Arc<Layer> {
        Arc::new(Layer::new(kind, id, id, "test", features))
    }

    fn point(name: &str, lon: f64, lat: f64) -> Feature {
        Feature::new(
            Geometry::Point(Point::new(lon, lat)),
            json!({ "name": name })
                .as_object()
                .cloned()
                .unwrap_or_default(),
        )
    }

    fn names<'a>(found: &Found<'a>) -> Vec<&'a str> {
        match found {
            Found::Places(p) => p.iter().map(|p| p.name.as_str()).collect(),
            Found::Coordinate { .. } => Vec::new(),
        }
    }

    #[test]
    fn folding_drops_accents_and_case_and_romanises_other_scripts() {
        assert_eq!(fold("Pul-e Khumrī"), "pul e khumri");
        assert_eq!(fold("Bandar-e ‘Abbās"), "bandar e abbas");
        assert_eq!(fold("Türkmenbaşy"), "turkmenbasy");
        assert_eq!(
            fold("Khash (proxy for Ghorghori, Nimroz)"),
            "khash proxy for ghorghori nimroz"
        );
        assert_eq!(fold("Ташкент"), "tashkent");
        assert_eq!(fold("  ÅLAND  "), "aland");
    }

    #[test]
    fn exact_prefix_accent_free_and_misspelt_queries_find_the_place() {
        let index = PlaceIndex::new(&[
            layer(
                "rail_points",
                LayerKind::RailPoints,
                vec![
                    point("Khyber Pass (Landi Kotal summit)", 71.1411, 34.0988),
                    point("Türkmenbaşy", 52.97, 40.02),
                ],
            ),
            layer(
                "cities",
                LayerKind::Cities,
                vec![
                    point("Pul-e Khumrī", 68.71, 35.94),
                    point("Kharkiv", 36.23, 49.99),
                ],
            ),
            // A user's import is searched like the bundled layers.
            layer(
                "my-survey",
                LayerKind::Imported,
                vec![point("Survey camp Lwara Mandi", 69.94, 33.23)],
            ),
        ]);
        assert_eq!(names(&index.find("lwara", 5)), ["Survey camp Lwara Mandi"]);
        assert_eq!(
            names(&index.find("Khyber", 5))[0],
            "Khyber Pass (Landi Kotal summit)"
        );
        assert_eq!(
            names(&index.find("landi kotal", 5))[0],
            "Khyber Pass (Landi Kotal summit)"
        );
        assert_eq!(names(&index.find("pul e khumri", 5)), ["Pul-e Khumrī"]);
        assert_eq!(names(&index.find("turkmenbashy", 5)), ["Türkmenbaşy"]);
        assert_eq!(
            names(&index.find("Kyber", 5))[0],
            "Khyber Pass (Landi Kotal summit)"
        );
        assert!(names(&index.find("Zzyzx", 5)).is_empty());
        assert_eq!(
            index.find("71.1411, 34.0988", 5),
            Found::Coordinate {
                lon: 71.1411,
                lat: 34.0988
            }
        );
    }

    #[test]
    fn segments_of_one_named_line_are_one_place_spanning_them_all() {
        let seg = |a: (f64, f64), b: (f64, f64)| {
            Feature::new(
                Geometry::LineString(LineString::from(vec![a, b])),
                json!({ "name": "Amu Darya" })
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            )
        };
        let index = PlaceIndex::new(&[layer(
            "rivers",
            LayerKind::Rivers,
            vec![
                seg((60.0, 40.0), (62.0, 39.0)),
                seg((62.0, 39.0), (66.0, 37.0)),
            ],
        )]);
        assert_eq!(index.len(), 1);
        let Found::Places(p) = index.find("amu", 3) else {
            unreachable!("a name is not a coordinate")
        };
        let expected = [60.0, 37.0, 66.0, 40.0];
        assert!(
            p[0].extent
                .iter()
                .zip(expected)
                .all(|(a, b)| (a - b).abs() < 1e-12),
            "{:?}",
            p[0].extent
        );
        assert!((p[0].lon - 63.0).abs() < 1e-12 && (p[0].lat - 38.5).abs() < 1e-12);
    }

    #[test]
    fn the_bundled_atlas_finds_the_khyber_pass_and_kharlachi() {
        let atlas = crate::Atlas::load_bundled();
        let index = PlaceIndex::new(&atlas.layers);
        let Found::Places(p) = index.find("Khyber", 5) else {
            unreachable!("a name is not a coordinate")
        };
        // GeoNames: Landi Kotal, 34.0988 N 71.1411 E.
        assert!(p[0].name.starts_with("Khyber Pass"), "{:?}", p[0]);
        assert!((p[0].lon - 71.1411).abs() < 0.01 && (p[0].lat - 34.0988).abs() < 0.01);
        assert!(!names(&index.find("Kharlachi", 5)).is_empty());
    }
}
