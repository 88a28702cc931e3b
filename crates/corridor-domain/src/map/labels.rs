//! Label placement: which place names to show at a zoom, and where, so that no two labels
//! overlap. Greedy by importance (rank, then population), trying eight positions around each
//! anchor, with an R-tree of the boxes already placed; among the free positions the first one
//! that no line crosses wins ([`place_labels_clear`]), so names keep off the track. Pure geometry in screen pixels: the GUI
//! measures the text and draws; the headless renderer can use the same placement.

use std::borrow::Borrow;

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::map::label_lines::LineObstacles;
use crate::map::layer::{Layer, LayerKind};
use crate::map::mercator::{WorldPoint, WorldRect};

/// A box on screen, tagged with the candidate whose marker it is (`None` for a placed label).
type Obstacle = GeomWithData<Rectangle<[f32; 2]>, Option<usize>>;

/// A label that would like to be drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelCandidate {
    /// 0 = most important (capitals), 9 = least.
    pub rank: u8,
    /// Tie-break within a rank: larger first (e.g. population).
    pub weight: f64,
    /// Screen position of the place (pixels).
    pub anchor: [f32; 2],
    /// Width and height of the text (pixels).
    pub size: [f32; 2],
    /// Radius of the place's marker: labels keep clear of it.
    pub marker_radius: f32,
    /// The label's text as a key ([`text_key`]): the same name at (nearly) the same spot —
    /// a border post that is also a station — is labelled once.
    pub text_key: u64,
}

/// Key of a label's text for [`LabelCandidate::text_key`]: foldhash with its fixed seed, so
/// the same text has the same key everywhere in a run (keys are only compared, never stored).
#[must_use]
pub fn text_key(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::default().hash_one(text)
}

/// Two labels with the same text closer than this (pixels) are one place.
const SAME_PLACE_PX: f32 = 40.0;

/// Where a label went: the candidate's index and its box (`[min_x, min_y, max_x, max_y]`).
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLabel {
    pub candidate: usize,
    pub rect: [f32; 4],
}

/// Which point layers get labels, from which zoom on, and the rank of their labels (cities
/// carry their own `rank`).
#[must_use]
pub fn label_layer(kind: LayerKind) -> Option<(f64, u8)> {
    match kind {
        LayerKind::Cities => Some((0.0, 0)),
        LayerKind::Ports => Some((4.5, 3)),
        LayerKind::RailPoints => Some((6.5, 6)),
        _ => None,
    }
}

/// A place worth a label at some zoom: what to write and where. The GUI and the headless
/// renderer turn these into [`LabelCandidate`]s with their own text measure.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelSource<'a> {
    pub name: &'a str,
    pub rank: u8,
    /// Population: the tie-break within a rank.
    pub weight: f64,
    pub at: WorldPoint,
    /// The place's marker radius at 1× (pixels).
    pub marker_radius_px: f32,
}

/// The places of visible layers inside `view` worth a label at `zoom` (ranks up to
/// [`max_rank_for_zoom`]), in layer then feature order. `lod_zoom` picks the level of detail
/// (the renderer draws HiDPI images at a deeper level than the map zoom). Takes the atlas's
/// layer list (`&atlas.layers`), not the atlas: the map layer sits below the atlas and must not
/// know it; `is_visible` gets a layer's index in that list.
#[must_use]
pub fn label_sources<'a>(
    layers: &'a [impl Borrow<Layer>],
    is_visible: impl Fn(usize) -> bool,
    zoom: f64,
    lod_zoom: f64,
    view: &WorldRect,
) -> Vec<LabelSource<'a>> {
    let max_rank = max_rank_for_zoom(zoom);
    let mut out = Vec::new();
    for (li, layer) in layers.iter().enumerate() {
        let layer: &'a Layer = layer.borrow();
        let Some((min_zoom, base_rank)) = label_layer(layer.kind) else {
            continue;
        };
        if !is_visible(li) || zoom < min_zoom {
            continue;
        }
        let shapes = layer.lod.level_at(lod_zoom);
        let mut found: Vec<usize> = layer.index.in_view(view).collect();
        found.sort_unstable();
        for fi in found {
            let f = &layer.features[fi];
            let rank = if layer.kind == LayerKind::Cities {
                let rank = f.f64("rank").unwrap_or(9.0).clamp(0.0, 9.0) as u8;
                corridor_rank(rank, f.bool("corridor_node") == Some(true))
            } else {
                base_rank
            };
            let (Some(name), Some(&at)) = (f.name(), shapes.shape(fi).points().first()) else {
                continue;
            };
            if rank > max_rank {
                continue;
            }
            out.push(LabelSource {
                name: label_text(name),
                rank,
                weight: f.f64("population").unwrap_or(0.0),
                at,
                marker_radius_px: layer
                    .styles
                    .get(fi)
                    .and_then(|st| st.marker)
                    .map_or(3.0, |m| m.radius_px),
            });
        }
    }
    out
}

/// The text a map label shows for a curated name: the name without a trailing note in
/// brackets — "Khash (proxy for Ghorghori, Nimroz)" reads "Khash", "Khyber Pass (Landi Kotal
/// summit)" reads "Khyber Pass" — while a one-word qualifier stays ("Khash (IR)", "Serdar
/// (Gyzylarbat)"). A note is several words or has a ';'. The inspector and the search show
/// the whole name.
#[must_use]
pub fn label_text(name: &str) -> &str {
    let trimmed = name.trim_end();
    if let Some(body) = trimmed.strip_suffix(')')
        && let Some(open) = body.rfind(" (")
    {
        let note = &body[open + 2..];
        if note.contains(' ') || note.contains(';') {
            return body[..open].trim_end();
        }
    }
    name
}

/// A city's label rank: a corridor node (a city the alternatives or the rail network serve:
/// `corridor_node` in `geodata/cities.geojson`) one rank up, any other city one rank down
/// (capitals stay 0). On the region view Herat and Kandahar (rank 3) are named and far-off
/// cities of rank 2 such as Kazan or Ufa are not; Gwadar and Chabahar (rank 5) follow from
/// zoom 4.5. A stronger promotion names ~100 small rail junctions and crowds out Kabul.
#[must_use]
pub fn corridor_rank(rank: u8, corridor_node: bool) -> u8 {
    if corridor_node {
        rank.saturating_sub(1)
    } else if rank == 0 {
        0
    } else {
        (rank + 1).min(9)
    }
}

/// The least important rank worth labelling at `zoom`: few names on the region view, every
/// corridor node once zoomed in.
#[must_use]
pub fn max_rank_for_zoom(zoom: f64) -> u8 {
    match zoom {
        z if z < 3.5 => 0,
        z if z < 4.5 => 2,
        z if z < 5.5 => 4,
        z if z < 6.5 => 6,
        z if z < 7.5 => 8,
        _ => 9,
    }
}

/// Choose labels that do not overlap each other or any marker, most important first.
///
/// ```
/// use corridor_domain::map::labels::{LabelCandidate, place_labels};
/// let city = |rank, x| LabelCandidate { rank, weight: 0.0, anchor: [x, 100.0], size: [80.0, 14.0], marker_radius: 3.0, text_key: rank as u64 };
/// // Two places 4 px apart: only one label fits beside them, and the capital (rank 0) gets it
/// // to its right; the other one is pushed to a free side or dropped.
/// let placed = place_labels(&[city(5, 104.0), city(0, 100.0)], 2.0);
/// assert_eq!(placed[0].candidate, 1);
/// ```
#[must_use]
pub fn place_labels(candidates: &[LabelCandidate], gap_px: f32) -> Vec<PlacedLabel> {
    place_labels_pinned(candidates, gap_px, &[])
}

/// [`place_labels`] where `pinned[i]` candidates (the places a slide is about) may cover the
/// markers of places that are not pinned, so that they get a label even in a crowded city;
/// they still never cover another label or a pinned place's marker. Give them the best rank
/// so they are placed first.
#[must_use]
pub fn place_labels_pinned(
    candidates: &[LabelCandidate],
    gap_px: f32,
    pinned: &[bool],
) -> Vec<PlacedLabel> {
    place_labels_clear(candidates, gap_px, pinned, &LineObstacles::default())
}

/// [`place_labels_pinned`] that keeps names off `lines` where it can: of the positions free
/// of other labels and markers, the first in cartographic order (right, left, above, below,
/// then the four diagonals) that no line crosses; when every free position is crossed, the
/// one crossed by the fewest lines among the first four (the halo keeps it legible). A label
/// is never dropped because of a line.
#[must_use]
#[allow(
    clippy::many_single_char_names,
    reason = "w, h, x, y, i, j: label geometry and candidate indices"
)]
pub fn place_labels_clear(
    candidates: &[LabelCandidate],
    gap_px: f32,
    pinned: &[bool],
    lines: &LineObstacles,
) -> Vec<PlacedLabel> {
    let is_pinned = |i: usize| pinned.get(i).copied().unwrap_or(false);
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| {
        let (ca, cb) = (&candidates[a], &candidates[b]);
        ca.rank
            .cmp(&cb.rank)
            .then(cb.weight.total_cmp(&ca.weight))
            .then(a.cmp(&b))
    });
    // Markers are obstacles from the start, so a label never covers another place's dot.
    let mut occupied: RTree<Obstacle> = RTree::bulk_load(
        candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let r = c.marker_radius;
                let marker = Rectangle::from_corners(
                    [c.anchor[0] - r, c.anchor[1] - r],
                    [c.anchor[0] + r, c.anchor[1] + r],
                );
                Obstacle::new(marker, Some(i))
            })
            .collect(),
    );
    let mut placed: Vec<PlacedLabel> = Vec::new();
    for i in order {
        let dup = placed.iter().any(|p| {
            let other = &candidates[p.candidate];
            other.text_key == candidates[i].text_key
                && (other.anchor[0] - candidates[i].anchor[0])
                    .hypot(other.anchor[1] - candidates[i].anchor[1])
                    < SAME_PLACE_PX
        });
        if dup {
            continue;
        }
        let cand = &candidates[i];
        let [w, h] = cand.size;
        let [x, y] = cand.anchor;
        let off = cand.marker_radius + gap_px;
        // Diagonal positions sit off the marker's corner (its radius along each axis).
        let diag = off * std::f32::consts::FRAC_1_SQRT_2;
        // Right, left, above, below, then the diagonals: the cartographic order of preference.
        let options = [
            [x + off, y - h / 2.0],
            [x - off - w, y - h / 2.0],
            [x - w / 2.0, y - off - h],
            [x - w / 2.0, y + off],
            [x + diag, y - diag - h],
            [x + diag, y + diag],
            [x - diag - w, y - diag - h],
            [x - diag - w, y + diag],
        ];
        // (crossings, option order, box) of the best free position so far.
        let mut best: Option<(usize, usize, [f32; 4])> = None;
        for (k, [min_x, min_y]) in options.into_iter().enumerate() {
            let rect = [min_x, min_y, min_x + w, min_y + h];
            // Shrink by a hair so boxes that merely touch are not counted as overlapping.
            let probe = AABB::from_corners(
                [rect[0] + 0.01, rect[1] + 0.01],
                [rect[2] - 0.01, rect[3] - 0.01],
            );
            let blocked = occupied
                .locate_in_envelope_intersecting(&probe)
                .any(|o| match o.data {
                    // A pinned place may cover the marker of one that is not.
                    Some(j) => j != i && (!is_pinned(i) || is_pinned(j)),
                    None => true,
                });
            if blocked {
                continue;
            }
            let crossed = lines.crossings(rect);
            // A diagonal is only worth it when it is clear of lines.
            if crossed > 0 && k >= 4 {
                continue;
            }
            if best.is_none_or(|(c, _, _)| crossed < c) {
                best = Some((crossed, k, rect));
            }
            if crossed == 0 {
                break;
            }
        }
        if let Some((_, _, rect)) = best {
            let label = Rectangle::from_corners([rect[0], rect[1]], [rect[2], rect[3]]);
            occupied.insert(Obstacle::new(label, None));
            placed.push(PlacedLabel { candidate: i, rect });
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(rank: u8, weight: f64, x: f32, y: f32) -> LabelCandidate {
        LabelCandidate {
            rank,
            weight,
            anchor: [x, y],
            size: [60.0, 14.0],
            marker_radius: 3.0,
            // A different text per place, unless a test says otherwise.
            text_key: (u64::from(x.to_bits()) << 32) | u64::from(y.to_bits()),
        }
    }

    #[test]
    fn curated_notes_in_brackets_stay_off_the_map() {
        assert_eq!(label_text("Khash (proxy for Ghorghori, Nimroz)"), "Khash");
        assert_eq!(
            label_text("Konayev (Kapchagay; proxy for Zhetygen junction)"),
            "Konayev"
        );
        assert_eq!(
            label_text("Khyber Pass (Landi Kotal summit)"),
            "Khyber Pass"
        );
        assert_eq!(label_text("Khash (IR)"), "Khash (IR)");
        assert_eq!(label_text("Serdar (Gyzylarbat)"), "Serdar (Gyzylarbat)");
        assert_eq!(label_text("Kabul"), "Kabul");
        assert_eq!(label_text("(odd) name"), "(odd) name");
        assert_eq!(label_text("Spin Boldak/Chaman"), "Spin Boldak/Chaman");
    }

    #[test]
    fn corridor_nodes_are_named_on_the_region_view_before_far_off_cities() {
        use crate::data::feature::Feature;
        use geo::{Geometry, Point};
        let city = |name: &str, lon: f64, lat: f64, rank: u8, pop: f64, node: bool| {
            let props = serde_json::json!({
                "name": name, "rank": rank, "population": pop, "corridor_node": node
            });
            Feature::new(
                Geometry::Point(Point::new(lon, lat)),
                props.as_object().cloned().unwrap_or_default(),
            )
        };
        // GeoNames positions and the bundled ranks.
        let layer = Layer::new(
            LayerKind::Cities,
            "cities",
            "Cities",
            "test",
            vec![
                city("Kazan", 49.12, 55.79, 2, 1_243_500.0, false),
                city("Herat", 62.20, 34.35, 3, 574_300.0, true),
                city("Gwadar", 62.32, 25.12, 5, 70_852.0, true),
                city("Zaranj", 61.86, 30.96, 5, 160_000.0, false),
            ],
        );
        let view = WorldRect::from_lonlat_bounds(40.0, 20.0, 90.0, 60.0);
        // Zoom 4.4: the region view at 1280×800, ranks ≤ 2 labelled: Herat, not Kazan.
        let layers = [layer];
        let names = |zoom| -> Vec<(&str, u8)> {
            label_sources(&layers, |_| true, zoom, zoom, &view)
                .iter()
                .map(|s| (s.name, s.rank))
                .collect()
        };
        assert_eq!(names(4.4), [("Herat", 2)]);
        // Zoom 5 (ranks ≤ 4): Gwadar joins (Kazan, now rank 3, still places before it);
        // Zaranj (rank 5, not a node) waits for zoom 6.5.
        assert_eq!(names(5.0), [("Kazan", 3), ("Herat", 2), ("Gwadar", 4)]);
        assert_eq!(corridor_rank(0, false), 0, "capitals stay first");
    }

    fn overlaps(a: &[f32; 4], b: &[f32; 4]) -> bool {
        a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
    }

    #[test]
    fn no_two_placed_labels_overlap() {
        // A dense grid of 400 places 20 px apart: many cannot be labelled.
        let cands: Vec<_> = (0..400)
            .map(|i| {
                cand(
                    (i % 10) as u8,
                    f64::from(i),
                    (i % 20) as f32 * 20.0,
                    (i / 20) as f32 * 20.0,
                )
            })
            .collect();
        let placed = place_labels(&cands, 2.0);
        assert!(!placed.is_empty());
        assert!(placed.len() < 400);
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!overlaps(&a.rect, &b.rect), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn a_pinned_place_is_labelled_among_crowded_markers() {
        // A place at (100, 100) ringed by markers on all eight label spots (right, left,
        // above, below and the diagonals; 60×14 labels 5 px off the marker).
        let mut cands = vec![cand(5, 1.0, 100.0, 100.0)];
        for (x, y) in [
            (135.0, 100.0),
            (65.0, 100.0),
            (100.0, 88.0),
            (100.0, 112.0),
            (135.0, 90.0),
            (135.0, 110.0),
            (65.0, 90.0),
            (65.0, 110.0),
        ] {
            let mut c = cand(9, 0.0, x, y);
            c.size = [0.0, 0.0]; // markers only: their own labels never fit
            cands.push(c);
        }
        let unpinned = place_labels(&cands, 2.0);
        assert!(
            unpinned.iter().all(|p| p.candidate != 0),
            "blocked when not pinned"
        );
        let mut pinned = vec![false; cands.len()];
        pinned[0] = true;
        let placed = place_labels_pinned(&cands, 2.0, &pinned);
        let label = placed
            .iter()
            .find(|p| p.candidate == 0)
            .expect("a pinned place is labelled");
        // Its first choice, to the right of its marker.
        let want = [105.0, 93.0, 165.0, 107.0];
        assert!(
            label
                .rect
                .iter()
                .zip(want)
                .all(|(a, b)| (a - b).abs() < 1e-4),
            "{:?}",
            label.rect
        );
    }

    #[test]
    fn the_more_important_label_wins_a_conflict() {
        // Two places 10 px apart: both labels would take the same spot to the right.
        let cands = vec![cand(5, 1e3, 100.0, 100.0), cand(1, 1e6, 100.0, 104.0)];
        let placed = place_labels(&cands, 2.0);
        assert_eq!(placed[0].candidate, 1, "rank 1 is placed first");
        // It goes to the right of its anchor.
        assert!(placed[0].rect[0] > 100.0);
    }

    #[test]
    fn a_label_keeps_off_a_line_when_a_side_is_free() {
        // A track runs vertically 10 px right of the place: the right-hand position (x 105..165)
        // is crossed, so the label goes to the left, which is clear.
        let c = cand(3, 0.0, 100.0, 100.0);
        let track = LineObstacles::new([vec![[120.0_f32, 0.0], [120.0, 300.0]]]);
        let placed = place_labels_clear(std::slice::from_ref(&c), 2.0, &[], &track);
        assert_eq!(placed.len(), 1);
        assert!(
            placed[0].rect[2] <= 100.0,
            "left of the place: {:?}",
            placed[0].rect
        );
        assert_eq!(track.crossings(placed[0].rect), 0);
        // Without the line the label takes the right, as cartographers prefer.
        let free = place_labels(std::slice::from_ref(&c), 2.0);
        assert!(free[0].rect[0] > 100.0);
    }

    #[test]
    fn a_label_goes_diagonal_when_lines_cross_all_four_sides() {
        // A horizontal and a vertical track cross at the place: every side position is crossed
        // by one of them; a diagonal quadrant is free.
        let c = cand(3, 0.0, 100.0, 100.0);
        let cross = LineObstacles::new([
            vec![[0.0_f32, 100.0], [300.0, 100.0]],
            vec![[100.0_f32, 0.0], [100.0, 300.0]],
        ]);
        let placed = place_labels_clear(std::slice::from_ref(&c), 2.0, &[], &cross);
        assert_eq!(placed.len(), 1);
        let r = placed[0].rect;
        assert_eq!(cross.crossings(r), 0, "{r:?}");
        // Upper right, the first diagonal.
        assert!(r[0] > 100.0 && r[3] < 100.0, "{r:?}");
    }

    #[test]
    fn a_label_crossed_everywhere_is_still_placed_where_fewest_lines_cross() {
        // Dense parallel tracks every 5 px: no position is clear; the label is not dropped.
        let tracks: Vec<Vec<[f32; 2]>> = (0..60)
            .map(|k| {
                let x = k as f32 * 5.0;
                vec![[x, -100.0], [x + 400.0, 300.0]]
            })
            .collect();
        let dense = LineObstacles::new(tracks);
        let placed = place_labels_clear(&[cand(3, 0.0, 100.0, 100.0)], 2.0, &[], &dense);
        assert_eq!(placed.len(), 1);
    }

    #[test]
    fn a_label_moves_left_when_the_right_is_taken() {
        // The first label takes x 105..165, y 93..107; the second place sits 10 px below, so
        // its right-hand spot (y 103..117) collides and it must go left of its marker.
        let cands = vec![cand(0, 1.0, 100.0, 100.0), cand(1, 1.0, 100.0, 110.0)];
        let placed = place_labels(&cands, 2.0);
        assert_eq!(placed.len(), 2);
        let second = placed.iter().find(|p| p.candidate == 1).expect("placed");
        assert!(second.rect[2] < 100.0, "{second:?}");
    }

    #[test]
    fn the_same_name_at_the_same_spot_is_labelled_once() {
        // A border post that is also a station: two candidates, one name, 3 px apart.
        let mut a = cand(3, 1.0, 100.0, 100.0);
        let mut b = cand(4, 1.0, 103.0, 100.0);
        a.text_key = text_key("Hairatan");
        b.text_key = text_key("Hairatan");
        let far = LabelCandidate {
            anchor: [400.0, 100.0],
            ..b.clone()
        };
        let placed = place_labels(&[a, b, far], 2.0);
        let ids: Vec<usize> = placed.iter().map(|p| p.candidate).collect();
        assert_eq!(
            ids,
            vec![0, 2],
            "the duplicate is dropped; the same name far away is not"
        );
    }

    #[test]
    fn zoom_in_reveals_more_ranks() {
        assert!(max_rank_for_zoom(3.0) < max_rank_for_zoom(5.0));
        assert_eq!(max_rank_for_zoom(10.0), 9);
    }
}
