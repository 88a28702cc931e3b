//! The lines a label prefers to keep clear of: track and the alternatives on screen. A name
//! laid across a line is legible only thanks to its halo and hides the line under it, so label
//! placement (`place_labels_clear` in the sibling `labels` module) takes a free side of the place when
//! there is one. Pure screen geometry, like the placement itself.

use std::borrow::Borrow;

use geo::{Coord, Intersects, Line, Rect};
use rstar::primitives::{GeomWithData, Line as RLine};
use rstar::{AABB, RTree};

use crate::map::layer::{Layer, LayerKind};
use crate::map::mercator::{WorldPoint, WorldRect};

/// Segments kept at most: beyond this (a huge imported network on screen) the rest are not
/// considered, so placement stays a frame-budget operation whatever is loaded.
pub const MAX_SEGMENTS: usize = 50_000;

/// Screen segments (pixels) indexed for "how many lines cross this box".
#[derive(Default)]
pub struct LineObstacles {
    tree: RTree<GeomWithData<RLine<[f32; 2]>, ()>>,
}

impl LineObstacles {
    /// The segments of `lines` (each a screen polyline), up to [`MAX_SEGMENTS`].
    #[must_use]
    pub fn new<L: AsRef<[[f32; 2]]>>(lines: impl IntoIterator<Item = L>) -> Self {
        let mut segments = Vec::new();
        'lines: for line in lines {
            for pair in line.as_ref().windows(2) {
                if segments.len() >= MAX_SEGMENTS {
                    break 'lines;
                }
                let ([ax, ay], [bx, by]) = (pair[0], pair[1]);
                if [ax, ay, bx, by].iter().all(|v| v.is_finite()) {
                    segments.push(GeomWithData::new(RLine::new(pair[0], pair[1]), ()));
                }
            }
        }
        Self {
            tree: RTree::bulk_load(segments),
        }
    }

    /// How many segments cross or touch the box `[min_x, min_y, max_x, max_y]`.
    #[must_use]
    pub fn crossings(&self, rect: [f32; 4]) -> usize {
        let probe = AABB::from_corners([rect[0], rect[1]], [rect[2], rect[3]]);
        let area = Rect::new(
            Coord {
                x: f64::from(rect[0]),
                y: f64::from(rect[1]),
            },
            Coord {
                x: f64::from(rect[2]),
                y: f64::from(rect[3]),
            },
        );
        self.tree
            .locate_in_envelope_intersecting(&probe)
            .filter(|s| {
                let (a, b) = (s.geom().from, s.geom().to);
                let segment = Line::new(
                    Coord {
                        x: f64::from(a[0]),
                        y: f64::from(a[1]),
                    },
                    Coord {
                        x: f64::from(b[0]),
                        y: f64::from(b[1]),
                    },
                );
                segment.intersects(&area)
            })
            .count()
    }
}

/// Screen polylines of the bundled rail network on visible layers inside `view`, at the
/// level of detail for `lod_zoom`, mapped by `to_px`. Takes the atlas's layer list, as the
/// place-name sources do. Imported networks are left out: an OSM extract is too dense for a
/// name to find a free side, and projecting it for labels every frame would cost the frame.
#[must_use]
pub fn track_lines_px(
    layers: &[impl Borrow<Layer>],
    is_visible: impl Fn(usize) -> bool,
    lod_zoom: f64,
    view: &WorldRect,
    to_px: impl Fn(WorldPoint) -> [f32; 2],
) -> Vec<Vec<[f32; 2]>> {
    let mut out = Vec::new();
    let mut budget = MAX_SEGMENTS;
    for (li, layer) in layers.iter().enumerate() {
        let layer: &Layer = layer.borrow();
        if !is_visible(li) || layer.kind != LayerKind::Rail {
            continue;
        }
        let shapes = layer.lod.level_at(lod_zoom);
        let mut found: Vec<usize> = layer.index.in_view(view).collect();
        found.sort_unstable();
        for fi in found.into_iter().filter(|&fi| fi < shapes.len()) {
            for line in shapes.shape(fi).lines() {
                if budget == 0 {
                    return out;
                }
                let px: Vec<[f32; 2]> = line.iter().take(budget + 1).map(|&w| to_px(w)).collect();
                budget = budget.saturating_sub(px.len().saturating_sub(1));
                out.push(px);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_segments_through_a_box_not_those_beside_it() {
        // A vertical line through x = 10 and a diagonal that passes the box's corner by 1 px.
        let lines = [
            vec![[10.0, -50.0], [10.0, 50.0]],
            vec![[0.0, 31.0], [31.0, 0.0]],
        ];
        let obstacles = LineObstacles::new(lines);
        assert_eq!(obstacles.crossings([0.0, 0.0, 20.0, 10.0]), 1);
        // Beside both: in this box x + y ≥ 32, past the diagonal; x = 10 is left of it.
        assert_eq!(obstacles.crossings([20.0, 12.0, 30.0, 20.0]), 0);
        // A box straddling both lines.
        assert_eq!(obstacles.crossings([5.0, 20.0, 15.0, 25.0]), 2);
    }

    #[test]
    fn the_segment_budget_bounds_the_index() {
        let long: Vec<[f32; 2]> = (0..MAX_SEGMENTS + 100)
            .map(|i| [i as f32, (i % 2) as f32])
            .collect();
        let obstacles = LineObstacles::new([long]);
        assert_eq!(obstacles.tree.size(), MAX_SEGMENTS);
    }
}
