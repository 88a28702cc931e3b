//! Clipping to a tile (plus a margin) before rasterizing, in f64.
//!
//! Two reasons: tiny-skia works in f32, and at zoom 14 a world coordinate in pixels is in the
//! millions, so unclipped vertices lose sub-pixel precision; and a continent-sized polygon has
//! tens of thousands of vertices of which a deep-zoom tile sees a handful, so clipping first
//! keeps the rasterizer's work proportional to what is on the tile.

/// A point in tile pixels (f64 until the last moment).
pub type Px = [f64; 2];

/// An axis-aligned clip box in tile pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClipBox {
    pub min: Px,
    pub max: Px,
}

impl ClipBox {
    fn inside(&self, p: Px, edge: usize) -> bool {
        match edge {
            0 => p[0] >= self.min[0],
            1 => p[0] <= self.max[0],
            2 => p[1] >= self.min[1],
            _ => p[1] <= self.max[1],
        }
    }

    fn cross(&self, a: Px, b: Px, edge: usize) -> Px {
        let (axis, value) = match edge {
            0 => (0, self.min[0]),
            1 => (0, self.max[0]),
            2 => (1, self.min[1]),
            _ => (1, self.max[1]),
        };
        let t = (value - a[axis]) / (b[axis] - a[axis]);
        let mut p = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
        p[axis] = value;
        p
    }
}

/// Clip a closed ring (Sutherland–Hodgman). The result is a closed ring (first point not
/// repeated) that may run along the box edges; that is harmless for filling because the box
/// lies outside the visible tile. Empty if the ring misses the box.
#[must_use]
pub fn clip_ring(ring: &[Px], clip: &ClipBox) -> Vec<Px> {
    let mut current: Vec<Px> = ring.to_vec();
    if current.len() > 1 && current.first() == current.last() {
        current.pop();
    }
    for edge in 0..4 {
        if current.len() < 3 {
            return Vec::new();
        }
        let mut next = Vec::with_capacity(current.len() + 4);
        let mut prev = current[current.len() - 1];
        for &p in &current {
            let (pin, prev_in) = (clip.inside(p, edge), clip.inside(prev, edge));
            if pin {
                if !prev_in {
                    next.push(clip.cross(prev, p, edge));
                }
                next.push(p);
            } else if prev_in {
                next.push(clip.cross(prev, p, edge));
            }
            prev = p;
        }
        current = next;
    }
    if current.len() < 3 {
        Vec::new()
    } else {
        current
    }
}

/// A visible stretch of a clipped polyline and how far along the original line it starts
/// (pixels), so dash patterns continue across tile edges.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    pub points: Vec<Px>,
    pub start_px: f64,
}

/// Clip a polyline to the box (Liang–Barsky per segment), joining consecutive visible
/// segments into pieces.
#[must_use]
pub fn clip_polyline(line: &[Px], clip: &ClipBox) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut current: Option<Piece> = None;
    let mut along = 0.0;
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        let seg_len = (b[0] - a[0]).hypot(b[1] - a[1]);
        match clip_segment(a, b, clip) {
            Some((t0, t1)) => {
                let p0 = lerp(a, b, t0);
                let p1 = lerp(a, b, t1);
                let continues = t0 <= 0.0 && current.is_some();
                if !continues {
                    if let Some(done) = current.take() {
                        pieces.push(done);
                    }
                    current = Some(Piece {
                        points: vec![p0],
                        start_px: along + seg_len * t0,
                    });
                }
                if let Some(c) = current.as_mut() {
                    c.points.push(p1);
                }
                if t1 < 1.0
                    && let Some(done) = current.take()
                {
                    pieces.push(done);
                }
            }
            None => {
                if let Some(done) = current.take() {
                    pieces.push(done);
                }
            }
        }
        along += seg_len;
    }
    if let Some(done) = current {
        pieces.push(done);
    }
    pieces
}

fn lerp(a: Px, b: Px, t: f64) -> Px {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
}

/// The parameter range of segment a→b inside the box, if any (Liang–Barsky).
fn clip_segment(a: Px, b: Px, clip: &ClipBox) -> Option<(f64, f64)> {
    let d = [b[0] - a[0], b[1] - a[1]];
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-d[0], a[0] - clip.min[0]),
        (d[0], clip.max[0] - a[0]),
        (-d[1], a[1] - clip.min[1]),
        (d[1], clip.max[1] - a[1]),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((t0, t1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOX: ClipBox = ClipBox {
        min: [0.0, 0.0],
        max: [10.0, 10.0],
    };

    fn area(ring: &[Px]) -> f64 {
        let n = ring.len();
        (0..n)
            .map(|i| {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                a[0] * b[1] - b[0] * a[1]
            })
            .sum::<f64>()
            .abs()
            / 2.0
    }

    #[test]
    fn a_square_overlapping_a_corner_keeps_only_the_overlap() {
        let ring = [
            [5.0, 5.0],
            [15.0, 5.0],
            [15.0, 15.0],
            [5.0, 15.0],
            [5.0, 5.0],
        ];
        let clipped = clip_ring(&ring, &BOX);
        assert!((area(&clipped) - 25.0).abs() < 1e-9, "{clipped:?}");
    }

    #[test]
    fn a_ring_around_the_box_becomes_the_box_and_one_outside_vanishes() {
        let around = [[-5.0, -5.0], [20.0, -5.0], [20.0, 20.0], [-5.0, 20.0]];
        assert!((area(&clip_ring(&around, &BOX)) - 100.0).abs() < 1e-9);
        let outside = [[20.0, 20.0], [30.0, 20.0], [30.0, 30.0]];
        assert!(clip_ring(&outside, &BOX).is_empty());
    }

    #[test]
    fn a_line_through_the_box_is_cut_at_its_edges_and_keeps_its_distance() {
        let line = [[-10.0, 5.0], [20.0, 5.0]];
        let pieces = clip_polyline(&line, &BOX);
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].points, vec![[0.0, 5.0], [10.0, 5.0]]);
        assert!((pieces[0].start_px - 10.0).abs() < 1e-12);
    }

    #[test]
    fn a_line_leaving_and_reentering_gives_two_pieces() {
        let line = [[2.0, 2.0], [2.0, 20.0], [8.0, 20.0], [8.0, 2.0]];
        let pieces = clip_polyline(&line, &BOX);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].points, vec![[2.0, 2.0], [2.0, 10.0]]);
        assert_eq!(pieces[1].points, vec![[8.0, 10.0], [8.0, 2.0]]);
        assert!((pieces[1].start_px - (18.0 + 6.0 + 10.0)).abs() < 1e-12);
    }
}
