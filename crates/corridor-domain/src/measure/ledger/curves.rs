//! Horizontal geometry: a circular curve at every interior vertex of the polyline.
//!
//! A vertex where the line turns by the deflection Δ gets a curve of radius R, tangent to
//! both straights; its tangent points lie T = R·tan(Δ/2) either side of the vertex and its arc
//! is R·Δ long. Unless the user gives a radius, the radius is the largest whose tangents fit:
//! a straight between two curved vertices is shared half and half, the first and last
//! straights belong wholly to their one curve. Bearings are WGS84 geodesic (`geo::Geodesic`),
//! lengths the ledger's geodesic segment lengths.
//!
//! Speed in a curve: v = √(R·(c + d) / 11.8) (v km/h, R m, cant c and cant deficiency d in
//! mm), the usual form of the balance of lateral acceleration for standard gauge, so the
//! minimum radius for a line speed is R = 11.8·v² / (c + d).

use geo::{Bearing, Coord, Destination, Geodesic, Point};

use super::model::HorizontalCurve;

/// The alignment property holding the user's curve radii: an array with one entry per
/// vertex, a radius in metres or `null` (the largest curve that fits).
pub const CURVE_RADII_KEY: &str = "curve_radius_m";

/// The user's radii from an alignment's properties ([`CURVE_RADII_KEY`]); anything but a
/// positive number is "no radius", so a bad entry never stops the ledger.
#[must_use]
pub fn curve_radii_m(properties: &serde_json::Map<String, serde_json::Value>) -> Vec<Option<f64>> {
    properties
        .get(CURVE_RADII_KEY)
        .and_then(serde_json::Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| v.as_f64().filter(|r| r.is_finite() && *r > 0.0))
                .collect()
        })
        .unwrap_or_default()
}

/// Deflections (degrees) smaller than this are straight: no curve.
const STRAIGHT_DEG: f64 = 1e-4;

/// The fastest speed (km/h) a curve of `radius_m` allows with `cant_mm` of cant and
/// `deficiency_mm` of cant deficiency.
#[must_use]
pub fn curve_speed_kmh(radius_m: f64, cant_mm: f64, deficiency_mm: f64) -> f64 {
    (radius_m.max(0.0) * (cant_mm + deficiency_mm).max(0.0) / 11.8).sqrt()
}

/// The smallest radius (m) that allows `speed_kmh`.
#[must_use]
pub fn min_radius_m(speed_kmh: f64, cant_mm: f64, deficiency_mm: f64) -> f64 {
    let cd = cant_mm + deficiency_mm;
    if cd > 0.0 {
        11.8 * speed_kmh * speed_kmh / cd
    } else {
        f64::INFINITY
    }
}

/// The curves of a polyline and its length along them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FittedCurves {
    pub curves: Vec<HorizontalCurve>,
    /// Length (m) along the curved line.
    pub curved_length_m: f64,
}

/// What a curve is judged against.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurveRules {
    pub min_radius_m: f64,
    pub cant_mm: f64,
    pub cant_deficiency_mm: f64,
}

/// The change of direction (radians, 0..π) at `b` of the line `a → b → c`.
fn deflection_rad(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> f64 {
    let (pa, pb, pc) = (Point::from(a), Point::from(b), Point::from(c));
    // The direction of travel arriving at b is the reverse of the bearing from b back to a.
    let arriving = Geodesic.bearing(pb, pa) + 180.0;
    let leaving = Geodesic.bearing(pb, pc);
    let turn = (leaving - arriving).rem_euclid(360.0);
    let turn = if turn > 180.0 { 360.0 - turn } else { turn };
    turn.to_radians()
}

/// A curve at every interior vertex of `vertices` (whose geodesic segment lengths and vertex
/// chainages are `segments_m` and `vertex_chainage_m`). `radii_m[i]`, when present, is the
/// user's radius at vertex `i`.
#[must_use]
pub fn fit_curves(
    vertices: &[Coord<f64>],
    segments_m: &[f64],
    vertex_chainage_m: &[f64],
    radii_m: &[Option<f64>],
    rules: CurveRules,
) -> FittedCurves {
    let n = vertices.len();
    let total_m: f64 = segments_m.iter().sum();
    if n < 3 || segments_m.len() + 1 != n || vertex_chainage_m.len() != n {
        return FittedCurves {
            curves: Vec::new(),
            curved_length_m: total_m,
        };
    }
    let mut curves = Vec::new();
    // Length the curves so far cut off the polyline (2T − arc each).
    let mut saved_m = 0.0;
    for i in 1..n - 1 {
        let delta = deflection_rad(vertices[i - 1], vertices[i], vertices[i + 1]);
        if delta.to_degrees() < STRAIGHT_DEG {
            continue;
        }
        let before_m = if i == 1 {
            segments_m[0]
        } else {
            segments_m[i - 1] / 2.0
        };
        let after_m = if i + 1 == n - 1 {
            segments_m[i]
        } else {
            segments_m[i] / 2.0
        };
        let room_m = before_m.min(after_m);
        let half_tan = (delta / 2.0).tan();
        let user = radii_m
            .get(i)
            .copied()
            .flatten()
            .filter(|r| r.is_finite() && *r > 0.0);
        let (radius_m, tangent_m) = match user {
            Some(r) => (r, r * half_tan),
            // A reversal (Δ = π) leaves no room for any curve: radius 0.
            None if half_tan.is_finite() && half_tan > 0.0 => (room_m / half_tan, room_m),
            None => (0.0, 0.0),
        };
        let length_m = radius_m * delta;
        let allowed_speed_kmh = curve_speed_kmh(radius_m, rules.cant_mm, rules.cant_deficiency_mm);
        curves.push(HorizontalCurve {
            vertex: i,
            vertex_chainage_m: vertex_chainage_m[i],
            start_m: vertex_chainage_m[i] - tangent_m - saved_m,
            deflection_deg: delta.to_degrees(),
            radius_m,
            tangent_m,
            length_m,
            user_radius: user.is_some(),
            overlaps: tangent_m > room_m * (1.0 + 1e-9),
            allowed_speed_kmh,
            below_min: radius_m < rules.min_radius_m,
        });
        saved_m += 2.0 * tangent_m - length_m;
    }
    FittedCurves {
        curves,
        curved_length_m: total_m - saved_m,
    }
}

/// A curve as the map draws it: the arc from the tangent point on the incoming straight to
/// the one on the outgoing straight, around its centre (all lon/lat degrees).
#[derive(Clone, Debug, PartialEq)]
pub struct CurveArc {
    /// Where the curve leaves the incoming straight, `tangent_m` back from the vertex along
    /// the geodesic to the previous vertex.
    pub start: (f64, f64),
    /// Where it joins the outgoing straight, `tangent_m` on towards the next vertex.
    pub end: (f64, f64),
    pub center: (f64, f64),
    /// The arc from `start` to `end`, both included.
    pub points: Vec<(f64, f64)>,
}

/// The arc of `curve` at `vertex` between the straights from `prev` and to `next` (lon/lat),
/// with points at most `max_step_m` apart (at most 256). All geodesic: the tangent points lie
/// `tangent_m` from the vertex along the straights, the centre on the bisector of the two
/// bearings √(R² + T²) from the vertex, and every arc point `radius_m` from the centre.
/// `None` for a curve of no radius (a reversal) or no turn.
#[must_use]
pub fn curve_arc(
    prev: (f64, f64),
    vertex: (f64, f64),
    next: (f64, f64),
    curve: &HorizontalCurve,
    max_step_m: f64,
) -> Option<CurveArc> {
    let (r, t) = (curve.radius_m, curve.tangent_m);
    if !(r.is_finite() && r > 0.0 && t.is_finite() && t > 0.0) {
        return None;
    }
    let pt = |p: (f64, f64)| Point::new(p.0, p.1);
    let xy = |p: Point<f64>| (p.x(), p.y());
    // Signed difference of two bearings, in (-180°, 180°].
    let turn = |from: f64, to: f64| 180.0 - (180.0 - (to - from)).rem_euclid(360.0);
    let v = pt(vertex);
    let (b_in, b_out) = (Geodesic.bearing(v, pt(prev)), Geodesic.bearing(v, pt(next)));
    let between = turn(b_in, b_out);
    if between.abs() < STRAIGHT_DEG || (between.abs() - 180.0).abs() < STRAIGHT_DEG {
        return None;
    }
    let start = Geodesic.destination(v, b_in, t);
    let end = Geodesic.destination(v, b_out, t);
    let center = Geodesic.destination(v, b_in + between / 2.0, r.hypot(t));
    let from = Geodesic.bearing(center, start);
    let sweep = turn(from, Geodesic.bearing(center, end));
    let arc_m = r * sweep.abs().to_radians();
    let step = if max_step_m.is_finite() && max_step_m > 0.0 {
        max_step_m
    } else {
        arc_m
    };
    let n = ((arc_m / step).ceil() as usize).clamp(2, 256);
    let mut points = Vec::with_capacity(n + 1);
    points.push(xy(start));
    for k in 1..n {
        let bearing = from + sweep * k as f64 / n as f64;
        points.push(xy(Geodesic.destination(center, bearing, r)));
    }
    points.push(xy(end));
    Some(CurveArc {
        start: xy(start),
        end: xy(end),
        center: xy(center),
        points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Geodesic length (m) of a drawn arc's polyline.
    fn drawn_length_m(points: &[(f64, f64)]) -> f64 {
        points
            .windows(2)
            .map(|w| {
                geo::Distance::distance(
                    &Geodesic,
                    Point::new(w[0].0, w[0].1),
                    Point::new(w[1].0, w[1].1),
                )
            })
            .sum()
    }

    #[test]
    fn speed_formula_cases_by_hand() {
        // v = √(R (c + d) / 11.8): R = 1,000 m, c = 150, d = 100 → √(21,186.44) = 145.556.
        assert!((curve_speed_kmh(1000.0, 150.0, 100.0) - 145.556).abs() < 1e-3);
        // R = 472 m, c + d = 250 → √(10,000) = 100 km/h exactly.
        assert!((curve_speed_kmh(472.0, 150.0, 100.0) - 100.0).abs() < 1e-9);
        // R = 2,950 m, c = 100, d = 0 → √(25,000) = 158.114 km/h.
        assert!((curve_speed_kmh(2950.0, 100.0, 0.0) - 158.114).abs() < 1e-3);
        // Minimum radius: 120 km/h with 250 mm → 11.8 × 14,400 / 250 = 679.68 m.
        assert!((min_radius_m(120.0, 150.0, 100.0) - 679.68).abs() < 1e-9);
        // 160 km/h with 160 + 100 mm → 11.8 × 25,600 / 260 = 1,161.846 m.
        assert!((min_radius_m(160.0, 160.0, 100.0) - 1161.846).abs() < 1e-3);
        assert!(min_radius_m(100.0, 0.0, 0.0).is_infinite());
    }

    fn curve(radius_m: f64, tangent_m: f64) -> HorizontalCurve {
        HorizontalCurve {
            vertex: 1,
            vertex_chainage_m: 0.0,
            start_m: 0.0,
            deflection_deg: 0.0,
            radius_m,
            tangent_m,
            length_m: 0.0,
            user_radius: true,
            overlaps: false,
            allowed_speed_kmh: 0.0,
            below_min: false,
        }
    }

    #[test]
    fn the_arc_runs_from_tangent_point_to_tangent_point_at_the_radius() {
        // A right angle at (69.0 E, 34.5 N): in from the south along the meridian, out on the
        // geodesic leaving due east (bearing 90°). Δ = 90°, so with R = 1,000 m the tangent
        // is R·tan 45° = 1,000 m and the arc R·π/2 = 1,570.8 m.
        let east = Geodesic.destination(Point::new(69.0, 34.5), 90.0, 10_000.0);
        let (prev, v, next) = ((69.0, 34.4), (69.0, 34.5), (east.x(), east.y()));
        let arc = curve_arc(prev, v, next, &curve(1000.0, 1000.0), 20.0).expect("an arc");
        let pv = Point::new(v.0, v.1);
        let dist = |p: (f64, f64)| geo::Distance::distance(&Geodesic, pv, Point::new(p.0, p.1));
        let bearing = |p: (f64, f64)| Geodesic.bearing(pv, Point::new(p.0, p.1));
        // Endpoints on the tangents: 1,000 m from the vertex, due south and (nearly) due east.
        assert!(
            (dist(arc.start) - 1000.0).abs() < 1e-6,
            "{}",
            dist(arc.start)
        );
        assert!((dist(arc.end) - 1000.0).abs() < 1e-6, "{}", dist(arc.end));
        assert!((bearing(arc.start) - bearing(prev)).abs() < 1e-9);
        assert!((bearing(arc.end) - bearing(next)).abs() < 1e-9);
        // The centre is √2·R from the vertex and R from every arc point, the tangent points
        // included (those to the ellipsoid's departure from a plane over 1 km: < 1 cm).
        let pc = Point::new(arc.center.0, arc.center.1);
        for (i, p) in arc.points.iter().enumerate() {
            let d = geo::Distance::distance(&Geodesic, pc, Point::new(p.0, p.1));
            let tolerance = if i == 0 || i + 1 == arc.points.len() {
                0.01
            } else {
                1e-6
            };
            assert!((d - 1000.0).abs() < tolerance, "point {i}: {d}");
        }
        assert!((dist(arc.center) - 1000.0 * 2f64.sqrt()).abs() < 1e-6);
        // Points at most 20 m apart along 1,570.8 m: 79 steps, 80 points.
        assert_eq!(arc.points.len(), 80);
        let length = drawn_length_m(&arc.points);
        assert!(
            (length - 1000.0 * std::f64::consts::FRAC_PI_2).abs() < 0.5,
            "{length}"
        );
        // The arc bulges towards the inside of the turn (south-east of the vertex).
        let mid = arc.points[40];
        assert!(mid.0 > v.0 && mid.1 < v.1, "{mid:?}");
        assert!(curve_arc(prev, v, next, &curve(0.0, 0.0), 20.0).is_none());

        // The curve the ledger fits there with a user radius of 600 m: T = 600 m, arc
        // 600·π/2 = 942.48 m, drawn with those very figures.
        let coords = [prev, v, next].map(|(x, y)| Coord { x, y });
        let seg = [dist(prev), dist(next)];
        let rules = CurveRules {
            min_radius_m: 680.0,
            cant_mm: 150.0,
            cant_deficiency_mm: 100.0,
        };
        let fitted = fit_curves(
            &coords,
            &seg,
            &[0.0, seg[0], seg[0] + seg[1]],
            &[None, Some(600.0)],
            rules,
        );
        let c = &fitted.curves[0];
        assert!((c.tangent_m - 600.0).abs() < 1e-6 && (c.length_m - 942.478).abs() < 1e-3);
        let arc = curve_arc(prev, v, next, c, 10.0).expect("an arc");
        assert!((dist(arc.start) - 600.0).abs() < 1e-6 && (dist(arc.end) - 600.0).abs() < 1e-6);
        let drawn = drawn_length_m(&arc.points);
        assert!(
            (drawn - c.length_m).abs() < 0.2,
            "{drawn} vs {}",
            c.length_m
        );
        assert!(c.below_min, "600 m is under the 680 m minimum");
    }
}
