//! Side-by-side lanes for alternatives that share track, as transit maps draw lines that
//! run together: each segment (a pair of vertices) used by several alternatives gets one
//! lane per alternative, offset perpendicular to the segment, so every alternative stays
//! visible along the shared stretch instead of the last one drawn hiding the others.
//!
//! Segments count as shared when their end vertices coincide (to about a metre), in either
//! direction: alternatives built from the same nodes share them exactly.

use std::collections::HashMap;

use crate::plan::scenario::model::{AlignmentId, Scenario};

/// A vertex position rounded to about a metre (1e-5°), as a hashable key.
type VertexKey = (i64, i64);
/// A segment by its two vertex keys, the smaller first (either direction is the same track).
type SegmentKey = (VertexKey, VertexKey);

fn key(lon: f64, lat: f64) -> VertexKey {
    ((lon * 1e5).round() as i64, (lat * 1e5).round() as i64)
}

/// Per alternative of `ids` (in that order), per segment: its lane, in line widths from the
/// shared centre line (0 when the segment is not shared, ±0.5 for two, -1, 0, 1 for three)
/// and the sign that turns the segment's own left normal into the shared one (segments run
/// in either direction).
#[must_use]
pub fn lanes(scenario: &Scenario, ids: &[AlignmentId]) -> HashMap<AlignmentId, Vec<f64>> {
    let mut users: HashMap<SegmentKey, Vec<AlignmentId>> = HashMap::new();
    let segment_keys = |id: AlignmentId| -> Vec<(SegmentKey, bool)> {
        scenario.alignment(id).map_or_else(Vec::new, |a| {
            a.vertices
                .windows(2)
                .map(|w| {
                    let (p, q) = (key(w[0].lon, w[0].lat), key(w[1].lon, w[1].lat));
                    if p <= q {
                        ((p, q), true)
                    } else {
                        ((q, p), false)
                    }
                })
                .collect()
        })
    };
    for &id in ids {
        for (k, _) in segment_keys(id) {
            let list = users.entry(k).or_default();
            if !list.contains(&id) {
                list.push(id);
            }
        }
    }
    ids.iter()
        .map(|&id| {
            let per_segment = segment_keys(id)
                .into_iter()
                .map(|(k, forward)| {
                    let list = users.get(&k).map_or(&[][..], Vec::as_slice);
                    let n = list.len().max(1) as f64;
                    let i = list.iter().position(|&x| x == id).unwrap_or(0) as f64;
                    let lane = i - (n - 1.0) / 2.0;
                    if forward { lane } else { -lane }
                })
                .collect();
            (id, per_segment)
        })
        .collect()
}

/// `pts` (pixels) with segment `k` moved `offsets_px[k]` along its left normal; the moved
/// segments are joined end to start, so a lane change is a short diagonal.
#[must_use]
pub fn offset_polyline(pts: &[[f64; 2]], offsets_px: &[f64]) -> Vec<[f64; 2]> {
    if offsets_px.iter().all(|o| *o == 0.0) || pts.len() < 2 {
        return pts.to_vec();
    }
    let mut out = Vec::with_capacity(pts.len() * 2);
    for (k, w) in pts.windows(2).enumerate() {
        let o = offsets_px.get(k).copied().unwrap_or(0.0);
        let (dx, dy) = (w[1][0] - w[0][0], w[1][1] - w[0][1]);
        let len = dx.hypot(dy);
        let (nx, ny) = if len > 0.0 {
            (dy / len * o, -dx / len * o)
        } else {
            (0.0, 0.0)
        };
        out.push([w[0][0] + nx, w[0][1] + ny]);
        out.push([w[1][0] + nx, w[1][1] + ny]);
    }
    out
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::plan::scenario::model::{Alignment, Vertex};

    fn scenario() -> Scenario {
        let mut s = Scenario::new();
        let mut a = Alignment::new(AlignmentId(1), "A");
        a.vertices = vec![
            Vertex::new(60.0, 30.0),
            Vertex::new(61.0, 30.0),
            Vertex::new(62.0, 31.0),
        ];
        // B runs the shared stretch the other way round, then its own way.
        let mut b = Alignment::new(AlignmentId(2), "B");
        b.vertices = vec![
            Vertex::new(61.0, 29.0),
            Vertex::new(61.0, 30.0),
            Vertex::new(60.0, 30.0),
        ];
        s.alignments.push(a);
        s.alignments.push(b);
        s
    }

    #[test]
    fn shared_segments_get_one_lane_each_on_opposite_sides() {
        let s = scenario();
        let l = lanes(&s, &[AlignmentId(1), AlignmentId(2)]);
        assert_eq!(l[&AlignmentId(1)], vec![-0.5, 0.0]);
        // B's second segment is A's first, reversed: B's lane is +0.5 on the shared line,
        // which is -0.5 along B's own (reversed) normal.
        assert_eq!(l[&AlignmentId(2)], vec![0.0, -0.5]);
        // Drawn: A's and B's shared segment end up 1 lane apart, on opposite sides.
        let a = offset_polyline(&[[0.0, 0.0], [100.0, 0.0]], &[-0.5 * 6.0]);
        let b = offset_polyline(&[[100.0, 0.0], [0.0, 0.0]], &[-0.5 * 6.0]);
        assert_eq!(a, vec![[0.0, 3.0], [100.0, 3.0]]);
        assert_eq!(b, vec![[100.0, -3.0], [0.0, -3.0]]);
    }

    #[test]
    fn lines_alone_are_not_moved() {
        let pts = [[0.0, 0.0], [10.0, 5.0], [20.0, 0.0]];
        assert_eq!(offset_polyline(&pts, &[0.0, 0.0]), pts.to_vec());
    }
}
