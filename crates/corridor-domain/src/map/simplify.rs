//! Ramer–Douglas–Peucker over reused flat buffers, answering with the numbers of the kept
//! vertices (so a level of detail can store them as indices into the full level rather than
//! as copies of the points).

use crate::map::mercator::WorldPoint;

/// The most vertices simplified at once (see [`Simplifier::line_into`]).
pub(crate) const SIMPLIFY_RUN: usize = 256;

/// Run length of the cheap first try on long lines (see [`Simplifier::line_into`]).
const PROBE_RUN: usize = 4;

/// Douglas–Peucker with bounded work, over flat buffers reused from line to line.
///
/// `geo`'s `Simplify` builds a `LineString` per call and a vector per recursion step; on a
/// network of curvy OSM-like ways, which keep most of their vertices, that allocation and
/// freeing was a fifth of the load. Here the recursion is an explicit stack and the kept
/// vertices a flag per vertex, both reused, and the result (the kept vertices' positions in
/// the line) is appended straight into the caller's buffer. Distances are compared squared
/// (no square root), with the same rule as `geo`: a vertex is kept when its distance to the
/// chord exceeds `eps`, the farthest one first, the earliest among equals.
///
/// Douglas–Peucker is quadratic when the farthest point from each chord sits next to one
/// end, as on a zigzag: a 1M-vertex zigzag took 40 s to import against 1.3 s for a smooth
/// line. So a long line is simplified in runs that each keep their two ends and stay within
/// `eps` (the level's bound holds). First in short runs of [`PROBE_RUN`], a few distance
/// tests per vertex: if that keeps half the vertices or more, the line is a zigzag that no run
/// length would thin much, and the result stands. Otherwise the line is simplified again in
/// runs of [`SIMPLIFY_RUN`], cheap on such a line, keeping at most one extra vertex per run.
/// A line of up to `SIMPLIFY_RUN` + 1 vertices is one run.
#[derive(Default)]
pub(crate) struct Simplifier {
    keep: Vec<bool>,
    stack: Vec<(usize, usize)>,
    probe: Vec<u32>,
}

impl Simplifier {
    /// Append the positions in `line` (0 = its first vertex) of the vertices kept when
    /// simplifying it by `eps` to `out`, in order.
    pub(crate) fn line_into(&mut self, line: &[WorldPoint], eps: f64, out: &mut Vec<u32>) {
        if line.is_empty() {
            return;
        }
        let eps2 = eps * eps;
        if line.len() > SIMPLIFY_RUN + 1 {
            let mut probe = std::mem::take(&mut self.probe);
            probe.clear();
            probe.push(0);
            self.in_runs(line, eps2, PROBE_RUN, &mut probe);
            let zigzag = probe.len() * 2 >= line.len();
            if zigzag {
                out.extend_from_slice(&probe);
            }
            self.probe = probe;
            if zigzag {
                return;
            }
        }
        out.push(0);
        self.in_runs(line, eps2, SIMPLIFY_RUN, out);
    }

    /// Append the kept positions of `line[1..]`, simplified in runs of `run` + 1 vertices
    /// that share their ends.
    fn in_runs(&mut self, line: &[WorldPoint], eps2: f64, run: usize, out: &mut Vec<u32>) {
        let mut start = 0;
        while start + 1 < line.len() {
            let end = (start + run).min(line.len() - 1);
            self.run_into(&line[start..=end], start, eps2, out);
            start = end;
        }
    }

    /// Append the kept positions (`offset` + position in the run) of `run` but its first
    /// (already in `out`).
    fn run_into(&mut self, run: &[WorldPoint], offset: usize, eps2: f64, out: &mut Vec<u32>) {
        let n = run.len();
        if n <= 2 {
            out.extend((offset + 1..offset + n).map(|k| k as u32));
            return;
        }
        self.keep.clear();
        self.keep.resize(n, false);
        self.keep[0] = true;
        self.keep[n - 1] = true;
        self.stack.clear();
        self.stack.push((0, n - 1));
        while let Some((a, b)) = self.stack.pop() {
            let (pa, pb) = (run[a], run[b]);
            let mut farthest = (0.0, a);
            for (k, &p) in run.iter().enumerate().take(b).skip(a + 1) {
                let d2 = segment_distance2(p, pa, pb);
                if d2 > farthest.0 {
                    farthest = (d2, k);
                }
            }
            if farthest.0 > eps2 {
                let k = farthest.1;
                self.keep[k] = true;
                self.stack.push((k, b));
                self.stack.push((a, k));
            }
        }
        out.extend(
            self.keep
                .iter()
                .enumerate()
                .skip(1)
                .filter_map(|(k, &kept)| kept.then_some((offset + k) as u32)),
        );
    }
}

/// Squared distance from `p` to the segment `a`–`b` (to `a` when the segment is a point).
fn segment_distance2(p: WorldPoint, a: WorldPoint, b: WorldPoint) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    ex * ex + ey * ey
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Coord, LineString, Simplify};

    /// A curvy line (a random walk of headings, as OSM ways bend) of `n` vertices.
    fn curvy_line(n: usize, rand: &mut impl FnMut() -> f64) -> Vec<WorldPoint> {
        let (mut x, mut y, mut heading) = (0.5, 0.5, rand() * std::f64::consts::TAU);
        let mut line: Vec<WorldPoint> = Vec::with_capacity(n);
        for _ in 0..n {
            line.push([x, y]);
            heading += (rand() - 0.5) * 0.6;
            let step = 1e-5 * (0.5 + rand());
            x += step * heading.cos();
            y += step * heading.sin();
        }
        line
    }

    #[test]
    fn the_simplifier_keeps_what_geo_simplify_keeps() {
        // Curvy lines of up to one run, and a closed ring: the flat-buffer Douglas–Peucker
        // keeps exactly geo's vertices.
        let mut rand = crate::map::test_rng::uniform();
        let mut simplifier = Simplifier::default();
        for case in 0..200 {
            let n = 3 + case % (SIMPLIFY_RUN - 2);
            let mut line = curvy_line(n, &mut rand);
            if case % 10 == 0 {
                line.push(line[0]); // closed, as rings are
            }
            let eps = 1e-5 * (0.05 + rand());
            let mut kept = Vec::new();
            simplifier.line_into(&line, eps, &mut kept);
            let ours: Vec<WorldPoint> = kept.iter().map(|&k| line[k as usize]).collect();
            let theirs: Vec<WorldPoint> = line
                .iter()
                .map(|p| Coord { x: p[0], y: p[1] })
                .collect::<LineString<f64>>()
                .simplify(eps)
                .0
                .iter()
                .map(|c| [c.x, c.y])
                .collect();
            assert_eq!(ours, theirs, "case {case}: {n} vertices, eps {eps}");
            assert!(kept.windows(2).all(|w| w[0] < w[1]), "positions ascend");
        }
    }

    #[test]
    fn a_long_line_is_simplified_in_runs_that_keep_their_ends() {
        // A straight line of 1000 vertices collapses to its run ends: 0, 256, 512, 768, 999.
        let line: Vec<WorldPoint> = (0..1000).map(|i| [f64::from(i), 0.0]).collect();
        let mut kept = Vec::new();
        Simplifier::default().line_into(&line, 0.1, &mut kept);
        assert_eq!(kept, vec![0, 256, 512, 768, 999]);
        // A zigzag keeps every vertex (the probe's result stands).
        let zigzag: Vec<WorldPoint> = (0..1000)
            .map(|i| [f64::from(i), f64::from(i % 2)])
            .collect();
        kept.clear();
        Simplifier::default().line_into(&zigzag, 0.1, &mut kept);
        assert_eq!(kept.len(), 1000);
    }
}
