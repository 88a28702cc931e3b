//! Geometry: corridor centrelines traced as tangents and arcs, resampled; second tracks and
//! yard lines.

use crate::parts::{TRACK_SPACING_M, YardTrack};
use crate::rng::{Pt, Rng, advance, rotate, toward};
use std::f64::consts::{FRAC_PI_3, PI};

/// Step of the dense centreline that corridor shapes are traced on (m).
pub(crate) const TRACE_STEP_M: f64 = 25.0;

/// A corridor's centreline from `a` to `b` (both exact), as `n` vertices.
///
/// The alignment is laid out as railways are built: straight tangents (0.5 to 12.5 km) joined
/// by circular arcs (radius 1.2 to 7.2 km, turning 2 to 25°), most arcs turning back towards
/// `b`, the heading never more than 60° off it, homing in on it over the last few km. That
/// is a random walk on the heading with gentle curvature, not noise on the positions. It is
/// traced in 25 m steps, then resampled to `n` vertices placed as OSM mappers place them:
/// densely on curves, sparsely on tangents (how sparsely varies from tangent to tangent).
pub(crate) fn corridor_line(a: Pt, b: Pt, n: usize, rng: &mut Rng) -> Vec<Pt> {
    let (dense, weights) = trace(a, b, rng);
    resample(&dense, &weights, n)
}

/// The dense centreline from `a` to `b` (see [`corridor_line`]) and, for each of its
/// segments, its length times the vertex density wanted there.
pub(crate) fn trace(a: Pt, b: Pt, rng: &mut Rng) -> (Vec<Pt>, Vec<f64>) {
    let (ux, uy, total) = toward(a, b);
    let capacity = (total / TRACE_STEP_M * 1.2) as usize + 2;
    let mut points = Vec::with_capacity(capacity);
    let mut weights = Vec::with_capacity(capacity);
    points.push(a);
    let (mut hx, mut hy) = rotate(ux, uy, 0.3 * rng.symmetric());
    let mut curvature = 0.0; // signed, 1/m; positive turns left
    let mut element_left = 0.0; // metres left of the current tangent or arc
    let mut on_tangent = false;
    let mut density = 1.0;
    let mut p = a;
    // Every step gets at least half a step closer to `b` (the 60° limit), so this bound is
    // never reached; it only makes the loop's end obvious.
    let max_steps = (total / TRACE_STEP_M * 2.5) as usize + 16;
    for _ in 0..max_steps {
        let (ux, uy, dist) = toward(p, b);
        if dist <= TRACE_STEP_M {
            break;
        }
        let cross = hx * uy - hy * ux;
        if element_left <= 0.0 {
            on_tangent = !on_tangent;
            if on_tangent {
                element_left = 500.0 + 12_000.0 * rng.unit() * rng.unit();
                curvature = 0.0;
                let u = rng.unit();
                density = 1.0 / (1.0 + 5.0 * u * u * u);
            } else {
                let radius = rng.range(1200.0, 7200.0);
                let angle = rng.range(2.0, 25.0) * (PI / 180.0);
                let back = rng.chance(if cross.abs() > 0.1 { 0.8 } else { 0.5 });
                curvature = if back == (cross >= 0.0) { 1.0 } else { -1.0 } / radius;
                element_left = radius * angle;
                density = 1.0 + 2500.0 / radius;
            }
        }
        // A pseudo-angle from the heading to the target, monotonic in [-2, 2].
        let dot = hx * ux + hy * uy;
        let off = if dot >= 0.0 {
            cross
        } else {
            cross.signum() * (2.0 - cross.abs())
        };
        // A faint pull towards `b`, becoming pursuit over the last few km.
        let pursuit = off * (1.0 / 40_000.0 + 1.5 / dist);
        let turn = ((curvature + pursuit) * TRACE_STEP_M).clamp(-0.2, 0.2);
        (hx, hy) = rotate(hx, hy, turn);
        if hx * ux + hy * uy < 0.5 {
            // More than 60° off: hold it at 60°, on the side it is on.
            let side = (hx * uy - hy * ux).signum();
            (hx, hy) = rotate(ux, uy, -side * FRAC_PI_3);
        }
        p = advance(p, hx, hy, TRACE_STEP_M);
        points.push(p);
        weights.push(TRACE_STEP_M * density);
        element_left -= TRACE_STEP_M;
    }
    weights.push(toward(p, b).2 * density);
    points.push(b);
    (points, weights)
}

/// `count` vertices along `dense` (count >= 2), its first and last exactly, the others at
/// equal steps of the cumulative `weights` (one per segment), interpolated linearly.
pub(crate) fn resample(dense: &[Pt], weights: &[f64], count: usize) -> Vec<Pt> {
    let last = dense.len() - 1;
    let total: f64 = weights.iter().sum();
    let mut out = Vec::with_capacity(count);
    out.push(dense[0]);
    // Segment `seg` starts at cumulative weight `below`.
    let (mut seg, mut below) = (0, 0.0);
    for k in 1..count - 1 {
        let target = total * k as f64 / (count - 1) as f64;
        while seg + 1 < last && below + weights[seg] <= target {
            below += weights[seg];
            seg += 1;
        }
        let frac = if weights[seg] > 0.0 {
            ((target - below) / weights[seg]).clamp(0.0, 1.0)
        } else {
            0.0
        };
        out.push(lerp(dense[seg], dense[seg + 1], frac));
    }
    out.push(dense[last]);
    out
}

/// The unit normal (east, north) to the left of a line running from `from` to `to`.
pub(crate) fn left_normal(from: Pt, to: Pt) -> (f64, f64) {
    let (ux, uy, d) = toward(from, to);
    if d > 0.0 { (-uy, ux) } else { (0.0, 0.0) }
}

/// `p` moved `m` metres along the unit normal `(nx, ny)`; exactly `p` when `m` is 0.
pub(crate) fn offset(p: Pt, (nx, ny): (f64, f64), m: f64) -> Pt {
    if m == 0.0 { p } else { advance(p, nx, ny, m) }
}

/// The second track of a double line: `count` vertices beside `main`, 4.8 m to its left,
/// converging on it over three vertices at each end, so both tracks meet exactly at the
/// stations (where the switches are).
pub(crate) fn second_track(main: &[Pt], count: usize) -> Vec<Pt> {
    let last = main.len() - 1;
    let span = (count - 1) as f64;
    (0..count)
        .map(|i| {
            if i == 0 {
                return main[0];
            }
            if i == count - 1 {
                return main[last];
            }
            // The same fraction of the way along, counted in main-line vertices.
            let pos = i as f64 * last as f64 / span;
            let seg = (pos.floor() as usize).min(last - 1);
            let (from, to) = (main[seg], main[seg + 1]);
            let at = lerp(from, to, pos - seg as f64);
            let taper = (i as f64 / 3.0).min((span - i as f64) / 3.0).min(1.0);
            offset(at, left_normal(from, to), TRACK_SPACING_M * taper)
        })
        .collect()
}

/// The two scales of the meander (see [`crate::NetShape::Realistic`]): (correlation from one
/// vertex to the next, standard deviation in metres). The first is the line's own sinuosity
/// (valleys, contours: swings of ~100 m over ~10 km), the second the mapping error of ways
/// traced from imagery (~1.5 m, nearly independent from vertex to vertex).
const MEANDER_SCALES: [(f64, f64); 2] = [(0.995, 120.0), (0.3, 1.5)];
/// Vertices over which the meander grows from zero at each end of a corridor.
const MEANDER_TAPER: f64 = 40.0;

/// Displace every interior vertex of `line` sideways by a two-scale AR(1) meander (see
/// [`crate::NetShape::Realistic`]); the ends stay exact. Only `+ - * /` and `sqrt`, so the
/// result is the same on every machine.
pub(crate) fn meander(line: &mut [Pt], rng: &mut Rng) {
    let n = line.len();
    if n < 3 {
        return;
    }
    let innovations =
        MEANDER_SCALES.map(|(rho, sigma_m)| (rho, (1.0 - rho * rho).sqrt() * sigma_m));
    let mut offsets_m = [0.0; 2];
    let original = line.to_vec();
    for i in 1..n - 1 {
        for (offset_m, (rho, innovation)) in offsets_m.iter_mut().zip(innovations) {
            *offset_m = rho * *offset_m + innovation * rng.about_normal();
        }
        // The slow swing tapers in and out so stations stay put; the mapping error does not.
        let taper = (i as f64 / MEANDER_TAPER)
            .min((n - 1 - i) as f64 / MEANDER_TAPER)
            .min(1.0);
        let normal = left_normal(original[i - 1], original[i + 1]);
        line[i] = offset(
            original[i],
            normal,
            offsets_m[0] * taper + offsets_m[1] * taper.min(1.0),
        );
    }
}

/// The point `frac` of the way from `from` to `to`; exactly `from` when `frac` is 0.
pub(crate) fn lerp(from: Pt, to: Pt, frac: f64) -> Pt {
    [
        from[0] + (to[0] - from[0]) * frac,
        from[1] + (to[1] - from[1]) * frac,
    ]
}

/// Vertex `j` of `guide`, continued in a straight line past its end.
pub(crate) fn guide_at(guide: &[Pt], j: usize) -> Pt {
    let last = guide.len() - 1;
    if j <= last {
        return guide[j];
    }
    let (p, q) = (guide[last.saturating_sub(1)], guide[last]);
    let t = (j - last) as f64;
    [q[0] + (q[0] - p[0]) * t, q[1] + (q[1] - p[1]) * t]
}

/// A yard track of `count` vertices beside `guide` (the main line from the site on), from its
/// vertex `track.start`. Where it joins the main line it starts (or ends) exactly on a
/// main-line vertex and reaches its offset at about 1 in 6.
pub(crate) fn yard_line(guide: &[Pt], track: &YardTrack, count: usize) -> Vec<Pt> {
    let ramp = (track.offset_m.abs() / 6.0)
        .ceil()
        .clamp(1.0, ((count - 1) / 2).max(1) as f64);
    (0..count)
        .map(|i| {
            let at = track.start + i;
            let normal = left_normal(
                guide_at(guide, at.saturating_sub(1)),
                guide_at(guide, at + 1),
            );
            let mut share: f64 = 1.0;
            if track.joined {
                share = share.min(i as f64 / ramp);
            }
            if track.rejoins {
                share = share.min((count - 1 - i) as f64 / ramp);
            }
            offset(guide_at(guide, at), normal, track.offset_m * share)
        })
        .collect()
}
