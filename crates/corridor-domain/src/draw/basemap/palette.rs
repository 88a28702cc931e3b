//! The looks of the embedded basemap. Light is for projectors and daylight (the colours the
//! vector layers and the legend use, see [`crate::map::style`]); dark is for dim rooms and
//! makes coloured overlays stand out.

use serde::{Deserialize, Serialize};

use crate::map::layer::LayerKind;
use crate::map::style::{self, Rgba};

/// Which look the basemap has. Persisted with the basemap settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BasemapStyle {
    #[default]
    Light,
    Dark,
}

impl BasemapStyle {
    /// Both styles, in menu order.
    pub const ALL: [BasemapStyle; 2] = [BasemapStyle::Light, BasemapStyle::Dark];

    /// Menu label.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            BasemapStyle::Light => "Light",
            BasemapStyle::Dark => "Dark",
        }
    }

    /// The colours of this style.
    #[must_use]
    pub fn palette(self) -> &'static Palette {
        match self {
            BasemapStyle::Light => &LIGHT,
            BasemapStyle::Dark => &DARK,
        }
    }
}

/// Colours and relief strengths of one style.
#[derive(Clone, Debug, PartialEq)]
pub struct Palette {
    pub sea: Rgba,
    /// Land at sea level.
    pub land: Rgba,
    /// Hypsometric stops: land colour at these elevations (m), linearly blended between.
    pub relief_tint: [(f32, Rgba); 4],
    pub lake: Rgba,
    /// Line colours by layer kind, used by the dark style (light takes the layer's own style
    /// so the map and the legend agree).
    pub lake_outline: Rgba,
    pub river: Rgba,
    pub coastline: Rgba,
    pub border: Rgba,
    /// Colour that slopes facing away from the light are pulled towards.
    pub shadow: Rgba,
    /// Colour that slopes facing the light are pulled towards.
    pub highlight: Rgba,
    /// How far a fully shaded slope moves towards `shadow` (0..1).
    pub shadow_strength: f32,
    /// How far a fully lit slope moves towards `highlight` (0..1).
    pub highlight_strength: f32,
    /// Whether line colours come from the layer styles (light) or from this palette (dark).
    pub use_layer_line_colours: bool,
}

impl Palette {
    /// Line colour of a layer kind in this palette (`None`: the basemap does not stroke it).
    #[must_use]
    pub fn line_colour(&self, kind: LayerKind) -> Option<Rgba> {
        match kind {
            LayerKind::Lakes => Some(self.lake_outline),
            LayerKind::Rivers => Some(self.river),
            LayerKind::Coastline => Some(self.coastline),
            LayerKind::Borders => Some(self.border),
            _ => None,
        }
    }

    /// Land colour at `elevation_m`, blended along [`Palette::relief_tint`].
    #[must_use]
    pub fn land_at(&self, elevation_m: f32) -> [f32; 3] {
        let stops = &self.relief_tint;
        let rgb = |c: Rgba| [f32::from(c[0]), f32::from(c[1]), f32::from(c[2])];
        if elevation_m <= stops[0].0 {
            return rgb(stops[0].1);
        }
        for w in stops.windows(2) {
            let ((e0, c0), (e1, c1)) = (w[0], w[1]);
            if elevation_m <= e1 {
                let t = (elevation_m - e0) / (e1 - e0);
                let (a, b) = (rgb(c0), rgb(c1));
                return [
                    a[0] + (b[0] - a[0]) * t,
                    a[1] + (b[1] - a[1]) * t,
                    a[2] + (b[2] - a[2]) * t,
                ];
            }
        }
        rgb(stops[stops.len() - 1].1)
    }
}

/// The projector style: the legend's sea and land, a gentle tint with height.
pub static LIGHT: Palette = Palette {
    sea: style::SEA,
    land: style::LAND,
    relief_tint: [
        (0.0, [236, 236, 218, 255]),
        (1200.0, style::LAND),
        (3000.0, [226, 214, 196, 255]),
        (5500.0, [244, 242, 240, 255]),
    ],
    lake: style::SEA,
    lake_outline: [91, 141, 176, 255],
    river: [106, 160, 200, 255],
    coastline: [91, 141, 176, 255],
    border: [123, 79, 142, 255],
    shadow: [70, 62, 80, 255],
    highlight: [255, 255, 250, 255],
    shadow_strength: 0.55,
    highlight_strength: 0.35,
    use_layer_line_colours: true,
};

/// The dim-room style: dark slate land on a near-black sea.
pub static DARK: Palette = Palette {
    sea: [22, 30, 41, 255],
    land: [48, 51, 56, 255],
    relief_tint: [
        (0.0, [44, 49, 50, 255]),
        (1200.0, [50, 52, 56, 255]),
        (3000.0, [60, 58, 60, 255]),
        (5500.0, [88, 88, 92, 255]),
    ],
    lake: [22, 30, 41, 255],
    lake_outline: [52, 78, 104, 255],
    river: [50, 86, 118, 255],
    coastline: [62, 92, 122, 255],
    border: [150, 118, 170, 255],
    shadow: [0, 0, 0, 255],
    highlight: [170, 170, 180, 255],
    shadow_strength: 0.7,
    highlight_strength: 0.4,
    use_layer_line_colours: false,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_light_style_uses_the_legend_sea_and_land() {
        assert_eq!(LIGHT.sea, style::SEA);
        assert_eq!(LIGHT.land, style::LAND);
    }

    #[test]
    fn the_dark_style_is_darker_than_the_light_one() {
        let lum = |c: Rgba| u32::from(c[0]) + u32::from(c[1]) + u32::from(c[2]);
        assert!(lum(DARK.sea) < lum(LIGHT.sea) / 3);
        assert!(lum(DARK.land) < lum(LIGHT.land) / 3);
    }

    #[test]
    fn the_relief_tint_blends_between_stops() {
        let mid = LIGHT.land_at(600.0);
        let (a, b) = (LIGHT.relief_tint[0].1, LIGHT.relief_tint[1].1);
        assert!((mid[0] - f32::midpoint(f32::from(a[0]), f32::from(b[0]))).abs() < 0.01);
        let same = |x: [f32; 3], y: [f32; 3]| x.iter().zip(y).all(|(p, q)| (p - q).abs() < 1e-6);
        assert!(same(LIGHT.land_at(-50.0), LIGHT.land_at(0.0)));
        assert!(same(LIGHT.land_at(9000.0), LIGHT.land_at(5500.0)));
    }
}
