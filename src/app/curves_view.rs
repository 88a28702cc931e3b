//! The ledger's horizontal curves on the map at street zoom (issue 18): each curve's arc from
//! tangent point to tangent point (`ledger::curves::curve_arc`), over the alignment's corner,
//! and for a curve below the minimum radius of the line speed its radius and the speed it
//! allows. Farther out a curve is a few pixels and would only clutter the map.

use egui::{Color32, FontId, Painter, Pos2, Rect, Shape, Stroke};

use super::compare::LedgerCache;
use super::paint::{ScreenTransform, halo_text};
use corridor_domain::map::mercator::world_from_lonlat;
use corridor_domain::measure::ledger::HorizontalCurve;
use corridor_domain::measure::ledger::curves::curve_arc;
use corridor_domain::plan::scenario::model::{Alignment, Scenario};

/// From this zoom on, curves are drawn (about 20–40 m a pixel in the region).
pub const CURVES_MIN_ZOOM: f64 = 12.0;
/// Arc points at most this far apart on the ground (m).
const ARC_STEP_M: f64 = 25.0;
/// WGS84 equatorial circumference (m): world units (0..1 across) to metres at a latitude.
const EQUATOR_M: f64 = 40_075_016.686;

/// A curve as drawn: its arc on screen, and a label for a curve below the minimum radius.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnCurve {
    pub points: Vec<Pos2>,
    pub below_min: bool,
    /// "R 450 m · 85 km/h", at the middle of the arc.
    pub label: Option<(Pos2, String)>,
}

/// The curves of `a` (its ledger's) that show in `view` at the transform's zoom; none below
/// [`CURVES_MIN_ZOOM`].
#[must_use]
pub fn drawn_curves(
    t: &ScreenTransform,
    view: Rect,
    a: &Alignment,
    curves: &[HorizontalCurve],
) -> Vec<DrawnCurve> {
    if t.zoom < CURVES_MIN_ZOOM {
        return Vec::new();
    }
    let at = |i: usize| a.vertices.get(i).map(|v| (v.lon, v.lat));
    let screen = |(lon, lat): (f64, f64)| t.screen(world_from_lonlat(lon, lat));
    curves
        .iter()
        .filter_map(|c| {
            let (prev, v, next) = (
                at(c.vertex.checked_sub(1)?)?,
                at(c.vertex)?,
                at(c.vertex + 1)?,
            );
            // Skip curves whose tangents cannot reach the view (before any geodesic work).
            let m_per_px = t.world_per_px() * EQUATOR_M * v.1.to_radians().cos();
            let reach_px = (c.tangent_m / m_per_px.max(1e-9)) as f32;
            if !view.expand(reach_px).contains(screen(v)) {
                return None;
            }
            let arc = curve_arc(prev, v, next, c, ARC_STEP_M)?;
            let points: Vec<Pos2> = arc.points.iter().map(|&p| screen(p)).collect();
            let label = c.below_min.then(|| {
                (
                    points[points.len() / 2],
                    format!("R {:.0} m · {:.0} km/h", c.radius_m, c.allowed_speed_kmh),
                )
            });
            Some(DrawnCurve {
                points,
                below_min: c.below_min,
                label,
            })
        })
        .collect()
}

/// Draw the curves of every alternative with a ledger at street zoom.
pub fn draw_curves(
    painter: &Painter,
    t: &ScreenTransform,
    scenario: &Scenario,
    ledgers: &LedgerCache,
    dark: bool,
) {
    if t.zoom < CURVES_MIN_ZOOM {
        return;
    }
    let view = painter.clip_rect();
    let tight = Color32::from_rgb(214, 39, 40);
    let ok = if dark {
        Color32::from_gray(235)
    } else {
        Color32::from_gray(25)
    };
    let (fg, halo) = if dark {
        (Color32::WHITE, Color32::from_black_alpha(200))
    } else {
        (Color32::BLACK, Color32::from_white_alpha(220))
    };
    for a in &scenario.alignments {
        let Some(e) = ledgers.get(a.id).and_then(|l| l.engineering.as_ref()) else {
            continue;
        };
        for d in drawn_curves(t, view, a, &e.curves) {
            let (color, width) = if d.below_min { (tight, 3.0) } else { (ok, 2.0) };
            for end in [d.points.first(), d.points.last()].into_iter().flatten() {
                painter.circle_filled(*end, width + 1.5, color);
            }
            painter.add(Shape::line(d.points, Stroke::new(width, color)));
            if let Some((at, text)) = d.label {
                let galley = painter.layout_no_wrap(text, FontId::proportional(13.0), fg);
                halo_text(painter, at + egui::vec2(6.0, -18.0), &galley, fg, halo);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_domain::plan::scenario::model::{AlignmentId, Vertex};

    fn curve(below_min: bool) -> HorizontalCurve {
        // A right angle at (69.0 E, 34.5 N) with R = 450 m: T = 450 m (tan 45° = 1);
        // v = √(450 · 250 / 11.8) = 97.6 km/h.
        HorizontalCurve {
            vertex: 1,
            vertex_chainage_m: 11_000.0,
            start_m: 10_550.0,
            deflection_deg: 90.0,
            radius_m: 450.0,
            tangent_m: 450.0,
            length_m: 450.0 * std::f64::consts::FRAC_PI_2,
            user_radius: true,
            overlaps: false,
            allowed_speed_kmh: 97.6,
            below_min,
        }
    }

    #[test]
    fn curves_show_at_street_zoom_with_a_label_when_too_tight() {
        let mut a = Alignment::new(AlignmentId(1), "A");
        a.vertices = vec![
            Vertex::new(69.0, 34.4),
            Vertex::new(69.0, 34.5),
            Vertex::new(69.1, 34.5),
        ];
        let view = Rect::from_min_max(Pos2::ZERO, Pos2::new(1000.0, 800.0));
        let at =
            |zoom: f64| ScreenTransform::new(world_from_lonlat(69.0, 34.5), zoom, view.center());
        assert!(drawn_curves(&at(11.0), view, &a, &[curve(true)]).is_empty());
        let drawn = drawn_curves(&at(15.0), view, &a, &[curve(true), curve(false)]);
        assert_eq!(drawn.len(), 2);
        let d = &drawn[0];
        // Tangent points 450 m south and 450 m east of the vertex: at z15 a pixel is
        // 40,075,016.686 · cos 34.5° / (256 · 2¹⁵) = 3.936 m, so ~114 px from the centre.
        let px = 450.0 / (40_075_016.686 * 34.5_f64.to_radians().cos() / (256.0 * 32768.0));
        let c = view.center();
        let first = d.points[0];
        let last = *d.points.last().unwrap();
        assert!((first.x - c.x).abs() < 0.5 && (f64::from(first.y - c.y) - px).abs() < 1.0);
        assert!((last.y - c.y).abs() < 1.5 && (f64::from(last.x - c.x) - px).abs() < 1.0);
        assert_eq!(
            d.label.as_ref().map(|(_, s)| s.as_str()),
            Some("R 450 m · 98 km/h")
        );
        assert!(drawn[1].label.is_none());
        // A curve far outside the view is not computed.
        let far = ScreenTransform::new(world_from_lonlat(70.0, 35.0), 15.0, view.center());
        assert!(drawn_curves(&far, view, &a, &[curve(true)]).is_empty());
    }
}
