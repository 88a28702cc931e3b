//! The scale bar of a map or slide: a round length (1, 2 or 5 × 10ⁿ metres) and the pixels it
//! spans, measured geodesically (WGS84) along the bar's own line, since Web Mercator's scale
//! changes with latitude and a bar must be true where it stands. The GUI's map and the
//! headless slides both use it, so they show the same bar.

use geo::Coord;
use tiny_skia::{LineCap, PathBuilder, Stroke, Transform};

use super::ink::{Canvas, TextRole};
use super::paint::{rounded_rect, stroke_path};
use super::text::{Font, TextStyle};
use crate::measure::geodesic::{geodesic_distance_m, group_thousands};

/// A bar: its length on the ground and on the image.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScaleBar {
    pub length_m: f64,
    pub length_px: f64,
}

impl ScaleBar {
    /// The longest round length that fits in `max_px`, given `m_per_px` metres per pixel
    /// along the bar. `None` when the scale is not a positive number.
    #[must_use]
    pub fn fitting(m_per_px: f64, max_px: f64) -> Option<ScaleBar> {
        if !(m_per_px.is_finite() && m_per_px > 0.0 && max_px.is_finite() && max_px > 0.0) {
            return None;
        }
        let max_m = m_per_px * max_px;
        let mut unit = 10f64.powf(max_m.log10().floor());
        let length_m = [5.0, 2.0, 1.0]
            .into_iter()
            .map(|k| k * unit)
            .find(|&l| l <= max_m)
            .unwrap_or_else(|| {
                unit /= 10.0;
                5.0 * unit
            });
        Some(ScaleBar {
            length_m,
            length_px: length_m / m_per_px,
        })
    }

    /// The bar that fits in `max_px` at a place where the two (lon, lat) points `a` and `b`
    /// are `span_px` pixels apart on the image.
    #[must_use]
    pub fn between(a: (f64, f64), b: (f64, f64), span_px: f64, max_px: f64) -> Option<ScaleBar> {
        let d = geodesic_distance_m(Coord { x: a.0, y: a.1 }, Coord { x: b.0, y: b.1 });
        Self::fitting(d / span_px, max_px)
    }

    /// The length as a map reads it: `500 m`, `20 km`, `1,000 km`.
    #[must_use]
    pub fn label(&self) -> String {
        if self.length_m < 1000.0 {
            format!("{} m", self.length_m.round())
        } else {
            format!(
                "{} km",
                group_thousands((self.length_m / 1000.0).round() as i64)
            )
        }
    }
}

/// Draw `bar` with its right end at `right_px` and its line at `y_px` (on a light plate,
/// the length above the line), at `s` pixels per point.
pub fn draw_scale_bar(
    canvas: &mut Canvas<'_>,
    font: &Font,
    bar: &ScaleBar,
    right_px: f32,
    y_px: f32,
    s: f32,
    dark: bool,
) {
    let len = bar.length_px as f32;
    let text_px = 20.0 * s;
    let label = bar.label();
    let (ink, plate) = if dark {
        ([235, 235, 235, 255], [0, 0, 0, 150])
    } else {
        ([30, 30, 30, 255], [255, 255, 255, 200])
    };
    let left = right_px - len;
    let pad = 8.0 * s;
    rounded_rect(
        canvas.pixmap,
        left - pad,
        y_px - text_px - 2.0 * pad,
        len + 2.0 * pad,
        text_px + 3.0 * pad,
        4.0 * s,
        plate,
    );
    let mut pb = PathBuilder::new();
    let tick = 8.0 * s;
    pb.move_to(left, y_px - tick);
    pb.line_to(left, y_px);
    pb.line_to(right_px, y_px);
    pb.line_to(right_px, y_px - tick);
    if let Some(path) = pb.finish() {
        let stroke = Stroke {
            width: 3.0 * s,
            line_cap: LineCap::Square,
            ..Stroke::default()
        };
        stroke_path(
            canvas.pixmap,
            &path,
            ink,
            stroke,
            Transform::identity(),
            1.0,
        );
    }
    let w = font.width_px(&label, text_px);
    canvas.text(
        font,
        &label,
        (left + (len - w) / 2.0, y_px - text_px - pad * 0.8),
        &TextStyle::new(text_px, ink),
        TextRole::ScaleBar,
    );
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn bars_take_the_longest_round_length_that_fits() {
        // 1 km per pixel, 250 px: 200 km (not 250, not 100).
        let b = ScaleBar::fitting(1000.0, 250.0).expect("bar");
        assert!((b.length_m - 200_000.0).abs() < 1e-6, "{b:?}");
        assert!((b.length_px - 200.0).abs() < 1e-9);
        assert_eq!(b.label(), "200 km");
        // 3 m per pixel, 200 px = 600 m: 500 m.
        let b = ScaleBar::fitting(3.0, 200.0).expect("bar");
        assert!((b.length_m - 500.0).abs() < 1e-6, "{b:?}");
        assert_eq!(b.label(), "500 m");
        assert_eq!(
            ScaleBar::fitting(6000.0, 200.0).expect("bar").label(),
            "1,000 km"
        );
        assert!(ScaleBar::fitting(0.0, 200.0).is_none());
    }

    #[test]
    fn bars_are_measured_geodesically_where_they_stand() {
        // One degree of longitude on the equator is 111,319.49 m on WGS84 (a · π / 180).
        let b = ScaleBar::between((0.0, 0.0), (1.0, 0.0), 100.0, 150.0).expect("bar");
        assert!((b.length_m - 100_000.0).abs() < 1e-6, "{b:?}");
        assert!((b.length_px - 100.0 * 100_000.0 / 111_319.49).abs() < 1e-3);
        // At 60° N a degree is about half as long (55,799.98 m, GeographicLib), so the same
        // 100 km takes about twice the pixels: within 400 px, a 200 km bar of ~358 px.
        let b = ScaleBar::between((0.0, 60.0), (1.0, 60.0), 100.0, 400.0).expect("bar");
        assert!((b.length_m - 200_000.0).abs() < 1e-6, "{b:?}");
        assert!(
            (b.length_px - 100.0 * 200_000.0 / 55_799.98).abs() < 0.05,
            "{b:?}"
        );
    }
}
