//! How each layer looks, as plain data (RGBA bytes, pixel widths, dash kinds). The GUI turns
//! it into egui strokes; the tile renderer and the legend read the same values, so the legend
//! can never disagree with the map.

use crate::data::feature::Feature;
use crate::map::kind::LayerKind;
use crate::rail::{RailStatus, track_gauge_mm};

/// sRGB colour with straight (unmultiplied) alpha.
pub type Rgba = [u8; 4];

/// Sea and background colour behind everything.
pub const SEA: Rgba = [170, 205, 224, 255];
/// Land fill.
pub const LAND: Rgba = [239, 234, 222, 255];

/// Line pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    Solid,
    Dashed,
    Dotted,
}

/// A stroke.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineStyle {
    pub color: Rgba,
    pub width_px: f32,
    pub dash: Dash,
}

/// Point symbol shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerShape {
    Circle,
    /// A circle with a dot: capitals.
    CircleDot,
    Square,
    Diamond,
    Triangle,
    /// An open circle with a cross: gauge breaks.
    CrossedCircle,
}

/// A point symbol.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MarkerStyle {
    pub shape: MarkerShape,
    pub radius_px: f32,
    pub fill: Rgba,
    pub stroke: Rgba,
}

/// Everything needed to draw one feature.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct FeatureStyle {
    pub line: Option<LineStyle>,
    pub fill: Option<Rgba>,
    pub marker: Option<MarkerStyle>,
    /// Below this zoom the feature is not drawn (or hit): a region view shows capitals and
    /// corridor nodes, not every town of 100,000.
    pub min_zoom: f32,
}

/// The zoom from which a place of this label rank is drawn: one step ahead of its label
/// (see [`crate::map::labels::max_rank_for_zoom`]), so a marker appears just before its name.
#[must_use]
pub fn min_zoom_for_rank(rank: f64) -> f32 {
    match rank {
        r if r <= 0.0 => 0.0,
        r if r <= 2.0 => 3.5,
        r if r <= 3.0 => 4.5,
        // Corridor nodes are ranked 5 at most: they appear with the region's big cities.
        r if r <= 5.0 => 4.5 + (r as f32 - 3.0) * 0.25,
        r if r <= 6.0 => 6.0,
        _ => 7.0,
    }
}

/// Rail colours by track gauge, so breaks of gauge are visible at a glance.
#[must_use]
pub fn gauge_color(gauge_mm: Option<f64>) -> Rgba {
    match gauge_mm.map(|g| g.round() as i64) {
        Some(1520) => [192, 57, 43, 255],  // Russian gauge: brick red
        Some(1435) => [31, 111, 178, 255], // standard gauge: blue
        Some(1676) => [230, 126, 34, 255], // Indian broad gauge: orange
        _ => [90, 90, 90, 255],
    }
}

/// Dash pattern by status ([`RailStatus::parse`], so "in service" and OSM's "rail" draw like
/// "existing"): built lines solid, works dashed, plans and lines out of use dotted.
#[must_use]
pub fn status_dash(status: Option<RailStatus>) -> Dash {
    match status {
        Some(RailStatus::Existing) => Dash::Solid,
        Some(RailStatus::UnderConstruction) => Dash::Dashed,
        _ => Dash::Dotted,
    }
}

const BORDER: Rgba = [123, 79, 142, 255];
const WATER_LINE: Rgba = [91, 141, 176, 255];
const RIVER: Rgba = [106, 160, 200, 255];

/// A soft, stable tint per country so neighbours differ (hash of the ISO code).
#[must_use]
pub fn country_tint(iso: &str) -> Rgba {
    const PALETTE: [Rgba; 6] = [
        [244, 208, 170, 70],
        [200, 226, 180, 70],
        [214, 200, 234, 70],
        [250, 230, 160, 70],
        [190, 220, 225, 70],
        [236, 196, 200, 70],
    ];
    let h = iso.bytes().fold(2_166_136_261_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    });
    PALETTE[(h % PALETTE.len() as u32) as usize]
}

/// Style of a feature of a bundled layer (imported layers: [`simplestyle`]).
#[must_use]
pub fn style_for(kind: LayerKind, f: &Feature) -> FeatureStyle {
    let line = |color, width_px, dash| LineStyle {
        color,
        width_px,
        dash,
    };
    let marker = |shape, radius_px, fill, stroke| MarkerStyle {
        shape,
        radius_px,
        fill,
        stroke,
    };
    match kind {
        LayerKind::Land => FeatureStyle {
            fill: Some(LAND),
            ..Default::default()
        },
        LayerKind::Countries => FeatureStyle {
            fill: Some(country_tint(f.str("iso_a3").unwrap_or("?"))),
            ..Default::default()
        },
        LayerKind::Lakes => FeatureStyle {
            fill: Some(SEA),
            line: Some(line(WATER_LINE, 0.8, Dash::Solid)),
            ..Default::default()
        },
        LayerKind::Rivers => {
            let rank = f.f64("rank").unwrap_or(9.0);
            let width = if rank <= 3.0 {
                1.6
            } else if rank <= 6.0 {
                1.1
            } else {
                0.8
            };
            FeatureStyle {
                line: Some(line(RIVER, width, Dash::Solid)),
                ..Default::default()
            }
        }
        LayerKind::Coastline => FeatureStyle {
            line: Some(line(WATER_LINE, 1.0, Dash::Solid)),
            ..Default::default()
        },
        LayerKind::Borders => {
            let dash = if f.str("kind") == Some("disputed") {
                Dash::Dashed
            } else {
                Dash::Solid
            };
            FeatureStyle {
                line: Some(line(BORDER, 1.4, dash)),
                ..Default::default()
            }
        }
        LayerKind::Rail => {
            let status = RailStatus::of_feature(f);
            if status == Some(RailStatus::Ferry) {
                return FeatureStyle {
                    line: Some(line([19, 122, 138, 255], 2.0, Dash::Dashed)),
                    ..Default::default()
                };
            }
            let width = if status == Some(RailStatus::Existing) {
                3.0
            } else {
                2.6
            };
            FeatureStyle {
                line: Some(line(
                    gauge_color(track_gauge_mm(f).map(f64::from)),
                    width,
                    status_dash(status),
                )),
                ..Default::default()
            }
        }
        LayerKind::RailPoints => {
            let m = match f.str("kind") {
                Some("border-crossing") => marker(
                    MarkerShape::Diamond,
                    4.5,
                    [108, 52, 131, 255],
                    [255, 255, 255, 255],
                ),
                Some("gauge-break") => marker(
                    MarkerShape::CrossedCircle,
                    5.5,
                    [255, 255, 255, 230],
                    [230, 126, 34, 255],
                ),
                Some("pass") => marker(
                    MarkerShape::Triangle,
                    5.0,
                    [121, 85, 72, 255],
                    [255, 255, 255, 255],
                ),
                _ => marker(
                    MarkerShape::Circle,
                    2.2,
                    [60, 60, 60, 255],
                    [255, 255, 255, 255],
                ),
            };
            // Junction stations are many; crossings, gauge breaks and passes matter at any zoom.
            let min_zoom = if f.str("kind") == Some("station") {
                6.0
            } else {
                0.0
            };
            FeatureStyle {
                marker: Some(m),
                min_zoom,
                ..Default::default()
            }
        }
        LayerKind::Ports => {
            let m = match f.str("kind") {
                Some("sea-port") => marker(
                    MarkerShape::Square,
                    5.0,
                    [31, 78, 121, 255],
                    [255, 255, 255, 255],
                ),
                Some("caspian-port") => marker(
                    MarkerShape::Square,
                    5.0,
                    [42, 157, 143, 255],
                    [255, 255, 255, 255],
                ),
                Some("dry-port") => marker(
                    MarkerShape::Diamond,
                    5.0,
                    [141, 110, 99, 255],
                    [255, 255, 255, 255],
                ),
                _ => marker(
                    MarkerShape::Diamond,
                    4.5,
                    [108, 52, 131, 255],
                    [255, 255, 255, 255],
                ),
            };
            FeatureStyle {
                marker: Some(m),
                ..Default::default()
            }
        }
        LayerKind::Cities => {
            let rank = f.f64("rank").unwrap_or(9.0);
            let capital = f.bool("capital").unwrap_or(false);
            let radius = (5.0 - rank as f32 * 0.35).clamp(2.2, 5.0);
            let m = if capital {
                marker(
                    MarkerShape::CircleDot,
                    5.5,
                    [255, 255, 255, 255],
                    [30, 30, 30, 255],
                )
            } else {
                marker(
                    MarkerShape::Circle,
                    radius,
                    [255, 255, 255, 255],
                    [40, 40, 40, 255],
                )
            };
            FeatureStyle {
                marker: Some(m),
                min_zoom: min_zoom_for_rank(rank),
                ..Default::default()
            }
        }
        LayerKind::Imported => match f.str("railway") {
            Some(_) if !f.properties.contains_key("stroke") => osm_rail_style(f),
            _ => simplestyle(f),
        },
    }
}

/// An OpenStreetMap rail way in an imported file (one without its own simplestyle `stroke`),
/// drawn like the bundled rail so an extract reads with the same legend: coloured by gauge
/// (`1520;1435` as 1,520 mm), solid in use, dashed under construction, dotted otherwise
/// (proposed, disused, abandoned). Thinner than the curated lines, which stay legible on top.
fn osm_rail_style(f: &Feature) -> FeatureStyle {
    let dash = status_dash(RailStatus::of_feature(f));
    FeatureStyle {
        line: Some(LineStyle {
            color: gauge_color(track_gauge_mm(f).map(f64::from)),
            width_px: 1.8,
            dash,
        }),
        ..Default::default()
    }
}

/// Parse `#rgb` / `#rrggbb` colours as used by the simplestyle-spec.
#[must_use]
pub fn parse_hex_color(s: &str) -> Option<Rgba> {
    let hex = s.trim().strip_prefix('#').unwrap_or(s.trim());
    let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
    match hex.len() {
        3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17, 255]),
        6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?, 255]),
        _ => None,
    }
}

fn with_opacity(mut c: Rgba, opacity: Option<f64>) -> Rgba {
    if let Some(o) = opacity {
        c[3] = (o.clamp(0.0, 1.0) * 255.0).round() as u8;
    }
    c
}

/// Style from simplestyle-spec properties (`stroke`, `stroke-width`, `stroke-opacity`, `fill`,
/// `fill-opacity`, `marker-color`, `marker-size`), as GitHub, geojson.io and uMap read them.
#[must_use]
pub fn simplestyle(f: &Feature) -> FeatureStyle {
    let stroke = f
        .str("stroke")
        .and_then(parse_hex_color)
        .unwrap_or([85, 85, 85, 255]);
    let stroke = with_opacity(stroke, f.f64("stroke-opacity"));
    let fill = f
        .str("fill")
        .and_then(parse_hex_color)
        .unwrap_or([85, 85, 85, 255]);
    let fill = with_opacity(fill, Some(f.f64("fill-opacity").unwrap_or(0.6)));
    let marker_color = f
        .str("marker-color")
        .and_then(parse_hex_color)
        .unwrap_or([126, 126, 126, 255]);
    let radius = match f.str("marker-size") {
        Some("small") => 3.5,
        Some("large") => 7.0,
        _ => 5.0,
    };
    FeatureStyle {
        line: Some(LineStyle {
            color: stroke,
            width_px: f.f64("stroke-width").unwrap_or(2.0).clamp(0.0, 20.0) as f32,
            dash: Dash::Solid,
        }),
        fill: Some(fill),
        marker: Some(MarkerStyle {
            shape: MarkerShape::Circle,
            radius_px: radius,
            fill: marker_color,
            stroke: [255, 255, 255, 255],
        }),
        min_zoom: 0.0,
    }
}

/// One row of a layer's legend: a label and the style it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub label: &'static str,
    pub style: FeatureStyle,
}

/// The legend of an imported layer taken as track (an OSM rail extract), built by styling
/// typical OSM ways the way [`style_for`] draws them.
#[must_use]
pub fn track_import_legend() -> Vec<LegendEntry> {
    use serde_json::json;
    [
        ("1,520 mm", json!({"railway": "rail", "gauge": "1520"})),
        ("1,435 mm", json!({"railway": "rail", "gauge": "1435"})),
        ("1,676 mm", json!({"railway": "rail", "gauge": "1676"})),
        ("other or unknown gauge", json!({"railway": "rail"})),
        ("under construction", json!({"railway": "construction"})),
        ("disused, abandoned", json!({"railway": "abandoned"})),
    ]
    .into_iter()
    .map(|(label, props)| legend_entry(LayerKind::Imported, label, props))
    .collect()
}

/// A legend row: how [`style_for`] draws a feature of `kind` with properties `props`.
fn legend_entry(kind: LayerKind, label: &'static str, props: serde_json::Value) -> LegendEntry {
    let properties = match props {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    let f = Feature::new(geo::Point::new(0.0, 0.0).into(), properties);
    LegendEntry {
        label,
        style: style_for(kind, &f),
    }
}

/// The legend of a layer kind, built by styling typical features (so it cannot drift from
/// [`style_for`]).
#[must_use]
pub fn legend(kind: LayerKind) -> Vec<LegendEntry> {
    use serde_json::json;
    let sample = |label, props| legend_entry(kind, label, props);
    match kind {
        LayerKind::Rail => vec![
            sample(
                "1,520 mm existing",
                json!({"gauge_mm": 1520, "status": "existing"}),
            ),
            sample(
                "1,435 mm existing",
                json!({"gauge_mm": 1435, "status": "existing"}),
            ),
            sample(
                "1,676 mm existing",
                json!({"gauge_mm": 1676, "status": "existing"}),
            ),
            sample(
                "under construction",
                json!({"gauge_mm": 1520, "status": "under-construction"}),
            ),
            sample("proposed", json!({"gauge_mm": 1520, "status": "proposed"})),
            sample("ferry", json!({"mode": "ferry"})),
        ],
        LayerKind::Borders => vec![
            sample("international", json!({"kind": "international"})),
            sample("disputed", json!({"kind": "disputed"})),
        ],
        LayerKind::Ports => vec![
            sample("sea port", json!({"kind": "sea-port"})),
            sample("Caspian port", json!({"kind": "caspian-port"})),
            sample("dry port", json!({"kind": "dry-port"})),
            sample("border station", json!({"kind": "border-station"})),
        ],
        LayerKind::RailPoints => vec![
            sample("border crossing", json!({"kind": "border-crossing"})),
            sample("gauge break", json!({"kind": "gauge-break"})),
            sample("station / junction", json!({"kind": "station"})),
            sample("mountain pass", json!({"kind": "pass"})),
        ],
        LayerKind::Cities => vec![
            sample("capital", json!({"capital": true, "rank": 0})),
            sample("city", json!({"rank": 3})),
        ],
        LayerKind::Countries => vec![sample("country", json!({"iso_a3": "AFG"}))],
        LayerKind::Land => vec![sample("land", json!({}))],
        LayerKind::Lakes => vec![sample("lake", json!({}))],
        LayerKind::Rivers => vec![sample("river", json!({"rank": 2}))],
        LayerKind::Coastline => vec![sample("coast", json!({}))],
        LayerKind::Imported => vec![sample("imported feature", json!({}))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn feat(props: serde_json::Value) -> Feature {
        let serde_json::Value::Object(m) = props else {
            panic!("object")
        };
        Feature::new(geo::Point::new(0.0, 0.0).into(), m)
    }

    #[test]
    fn rail_is_coloured_by_gauge_and_dashed_by_status() {
        let a = style_for(
            LayerKind::Rail,
            &feat(json!({"gauge_mm": 1520, "status": "existing"})),
        );
        let b = style_for(
            LayerKind::Rail,
            &feat(json!({"gauge_mm": 1676, "status": "proposed"})),
        );
        let (la, lb) = (a.line.expect("line"), b.line.expect("line"));
        assert_ne!(la.color, lb.color);
        assert_eq!(la.dash, Dash::Solid);
        assert_eq!(lb.dash, Dash::Dotted);
    }

    #[test]
    fn disputed_borders_look_different_from_international_ones() {
        let a = style_for(LayerKind::Borders, &feat(json!({"kind": "international"})));
        let b = style_for(LayerKind::Borders, &feat(json!({"kind": "disputed"})));
        assert_ne!(a, b);
    }

    #[test]
    fn imported_osm_rail_is_coloured_by_gauge_unless_the_file_styles_it() {
        let style = |props| style_for(LayerKind::Imported, &feat(props));
        let dual = style(json!({"railway": "rail", "gauge": "1520;1435"}));
        let dual_line = dual.line.expect("line");
        assert_eq!(dual_line.color, [192, 57, 43, 255], "1,520 mm brick red");
        assert_eq!(dual_line.dash, Dash::Solid);
        let works = style(json!({"railway": "construction", "gauge": "1676"}));
        let works_line = works.line.expect("line");
        assert_eq!(works_line.color, [230, 126, 34, 255], "1,676 mm orange");
        assert_eq!(works_line.dash, Dash::Dashed);
        assert_eq!(
            style(json!({"railway": "abandoned"}))
                .line
                .expect("line")
                .dash,
            Dash::Dotted
        );
        // The file's own simplestyle wins, and features that are not rail keep simplestyle.
        let styled = style(json!({"railway": "rail", "gauge": "1520", "stroke": "#00ff00"}));
        assert_eq!(styled.line.expect("line").color, [0, 255, 0, 255]);
        assert_eq!(
            style(json!({"highway": "primary"})),
            simplestyle(&feat(json!({})))
        );
    }

    #[test]
    fn the_track_import_legend_uses_the_rail_legend_colours() {
        let rail = legend(LayerKind::Rail);
        let import = track_import_legend();
        for (a, b) in rail.iter().zip(&import).take(3) {
            let (la, lb) = (a.style.line.expect("line"), b.style.line.expect("line"));
            assert_eq!(la.color, lb.color, "{} vs {}", a.label, b.label);
        }
        assert_eq!(import[4].style.line.expect("line").dash, Dash::Dashed);
    }

    #[test]
    fn simplestyle_colours_are_read() {
        assert_eq!(parse_hex_color("#ff8800"), Some([255, 136, 0, 255]));
        assert_eq!(parse_hex_color("f80"), Some([255, 136, 0, 255]));
        assert_eq!(parse_hex_color("#ggg"), None);
        let s = simplestyle(&feat(
            json!({"stroke": "#00ff00", "stroke-width": 4, "stroke-opacity": 0.5}),
        ));
        let line = s.line.expect("line");
        assert_eq!(line.color, [0, 255, 0, 128]);
        assert!((line.width_px - 4.0).abs() < f32::EPSILON);
    }

    #[test]
    fn every_layer_kind_has_a_legend() {
        for kind in LayerKind::ALL {
            assert!(!legend(kind).is_empty(), "{kind:?}");
        }
    }
}
