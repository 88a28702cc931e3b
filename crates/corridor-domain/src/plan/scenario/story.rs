//! A story: the slides a presenter steps through with a clicker. Each slide says where the map
//! looks ([`SlideView`]), which layers show, which alternatives stand out and which one is
//! revealed along its chainage, plus a caption for the room and notes for the presenter.
//!
//! The story's data (`Story`, `Slide`, `SlideView`, their JSON) is defined in `slides`, below
//! the model that holds it, and re-exported here. The story is saved in the scenario file
//! under `corridor_atlas.story` (by `io`) and changed only through `edit::Edit`s, so slide
//! edits are undone like any other. Keys of a slide that this version does not know are kept
//! verbatim.
//!
//! The camera of a slide ([`slide_camera`]) and the flight between two cameras
//! ([`fly_path`]) are pure functions here, so the GUI's presentation mode and the headless
//! renderer (`domain::render`) show exactly the same view.

use super::ids::AlignmentId;
use super::model::{Scenario, is_valid_lonlat};
// The story's data: defined below the model (which holds a `Story`), re-exported here.
pub use super::ids::SlideId;
pub use super::slides::{Slide, SlideKind, SlideView, Story};
use crate::atlas::bundled::corridor_region;
use crate::map::mercator::{
    WorldPoint, WorldRect, lonlat_from_world, world_from_lonlat, world_size_px, zoom_to_fit,
};

impl Slide {
    /// Why this slide cannot be part of `scenario`'s story, if it cannot: a centre that is
    /// not a coordinate or a zoom out of range, or a reference to an alternative the scenario
    /// does not have. References already held by `old` (the slide being replaced) are
    /// accepted, so a slide whose alternative was deleted can still be retitled.
    #[must_use]
    pub fn problem(&self, scenario: &Scenario, old: Option<&Slide>) -> Option<String> {
        if let SlideView::Center { lon, lat, zoom } = self.view {
            if !is_valid_lonlat(lon, lat) {
                return Some(format!(
                    "the centre ({lon}, {lat}) is not a valid coordinate"
                ));
            }
            if !(zoom.is_finite() && (0.0..=MAX_ZOOM).contains(&zoom)) {
                return Some(format!("zoom {zoom} is outside 0..={MAX_ZOOM}"));
            }
        }
        let known = |id: &AlignmentId| {
            scenario.alignment(*id).is_some() || old.is_some_and(|o| o.references(*id))
        };
        self.referenced()
            .find(|id| !known(id))
            .map(|id| format!("there is no alignment {id}"))
    }

    /// Every alternative this slide names (view, highlight, reveal).
    fn referenced(&self) -> impl Iterator<Item = AlignmentId> + '_ {
        let fit: &[AlignmentId] = match &self.view {
            SlideView::FitAlignments(ids) => ids,
            _ => &[],
        };
        fit.iter()
            .chain(&self.highlight)
            .chain(&self.reveal)
            .copied()
    }

    fn references(&self, id: AlignmentId) -> bool {
        self.referenced().any(|r| r == id)
    }
}

// ---------------------------------------------------------------------------------------------
// Captions

/// A run of caption text, bold or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
}

/// A paragraph or bullet of a caption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptionBlock {
    /// Drawn with a bullet and a hanging indent.
    pub bullet: bool,
    pub spans: Vec<Span>,
}

/// Parse a caption: blank lines separate paragraphs, consecutive lines of a paragraph join
/// with a space, a line starting with `- ` (or `* `) is a bullet, `**...**` is bold. That is
/// all a slide needs, and it reads the same as plain text in a file or a diff.
#[must_use]
pub fn caption_blocks(caption: &str) -> Vec<CaptionBlock> {
    let mut blocks: Vec<(bool, String)> = Vec::new();
    let mut open = false;
    for line in caption.lines() {
        let line = line.trim();
        if line.is_empty() {
            open = false;
            continue;
        }
        if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
            blocks.push((true, rest.trim().to_owned()));
            open = true;
        } else if let (true, Some(last)) = (open, blocks.last_mut()) {
            last.1.push(' ');
            last.1.push_str(line);
        } else {
            blocks.push((false, line.to_owned()));
            open = true;
        }
    }
    blocks
        .into_iter()
        .map(|(bullet, text)| CaptionBlock {
            bullet,
            spans: spans_of(&text),
        })
        .collect()
}

fn spans_of(text: &str) -> Vec<Span> {
    text.split("**")
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
        .map(|(i, t)| Span {
            text: t.to_owned(),
            bold: i % 2 == 1,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Cameras

/// Where the map looks: the centre of the viewport (WGS84 degrees) and the zoom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
}

impl Camera {
    /// The camera centred on a world point.
    #[must_use]
    pub fn at_world(center: WorldPoint, zoom: f64) -> Self {
        let (lon, lat) = lonlat_from_world(center);
        Self { lon, lat, zoom }
    }

    /// The centre in world units.
    #[must_use]
    pub fn world(&self) -> WorldPoint {
        world_from_lonlat(self.lon, self.lat)
    }
}

/// Lowest zoom a slide camera takes (the same limits as the GUI's map).
pub const MIN_ZOOM: f64 = 2.0;
/// Highest zoom a slide camera takes.
pub const MAX_ZOOM: f64 = 16.0;
/// Highest zoom a fit goes to: fitting a single station must not zoom to street level.
pub const MAX_FIT_ZOOM: f64 = 11.0;

/// Where things go on a slide of a given size, in pixels. The caption and the legend live in
/// a column on the left; fitted views keep their content in the map frame to its right, so
/// the caption never covers an alternative. Shared by the GUI and the headless renderer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SlideLayout {
    pub width_px: f64,
    pub height_px: f64,
    /// Scale of every overlay measure: 1 at 1080 px high.
    pub scale: f64,
    /// Margin kept free around panels and fitted content.
    pub margin_px: f64,
    /// Width of the caption column (panels inside it are this wide minus the margins).
    pub column_px: f64,
    /// The rectangle fitted content stays inside: `[min_x, min_y, max_x, max_y]`, clear of the
    /// caption column, the slide number and the attribution, with room on the right for the
    /// name of a place at the edge.
    pub map_frame_px: [f64; 4],
    /// Title text height (≥ 44 px at 1080p: readable from the back of a room).
    pub title_px: f64,
    /// Caption text height (≥ 26 px at 1080p).
    pub caption_px: f64,
    /// Legend and slide-number text height.
    pub legend_px: f64,
    /// Place-name label height: 30 px at 1080p, so capitals stand about 18.5 px tall
    /// (Ubuntu's cap height is 0.62 of its line height), legible from the back of a room.
    pub label_px: f64,
    /// Attribution text height.
    pub attribution_px: f64,
}

impl SlideLayout {
    /// The layout of a `width_px` × `height_px` slide. Overlays scale with the height (a
    /// 480×270 thumbnail is a faithful miniature of the 1920×1080 slide); the caption
    /// column takes 38 % of the width (at least 300 px at 1080p scale, at most 60 %).
    #[must_use]
    pub fn new(width_px: f64, height_px: f64) -> Self {
        let scale = (height_px / 1080.0).max(1e-3);
        let margin_px = 28.0 * scale;
        let column_px = (width_px * 0.38).max(300.0 * scale).min(width_px * 0.6);
        let top = margin_px + 40.0 * scale; // the slide number
        let bottom = margin_px + 30.0 * scale; // the attribution line
        // Room on the right for the name of a place at the frame's edge (labels go right of
        // their place first): about a long station name at the label size (30 px at 1080p).
        let label_room = 150.0 * scale;
        Self {
            width_px,
            height_px,
            scale,
            margin_px,
            column_px,
            map_frame_px: [
                column_px + margin_px,
                top,
                (width_px - margin_px - label_room).max(column_px + margin_px + 1.0),
                (height_px - bottom).max(top + 1.0),
            ],
            title_px: 48.0 * scale,
            caption_px: 28.0 * scale,
            legend_px: 24.0 * scale,
            label_px: 30.0 * scale,
            attribution_px: 15.0 * scale,
        }
    }

    /// The map frame's centre minus the viewport's centre (pixels).
    fn frame_offset_px(&self) -> [f64; 2] {
        let f = self.map_frame_px;
        [
            f64::midpoint(f[0], f[2]) - self.width_px / 2.0,
            f64::midpoint(f[1], f[3]) - self.height_px / 2.0,
        ]
    }
}

/// The world rectangle of the vertices of these alternatives (all of them when `ids` is
/// empty); `None` when they have no vertices.
#[must_use]
pub fn alignments_world_rect(scenario: &Scenario, ids: &[AlignmentId]) -> Option<WorldRect> {
    let mut out: Option<WorldRect> = None;
    let chosen = scenario
        .alignments
        .iter()
        .filter(|a| ids.is_empty() || ids.contains(&a.id));
    for v in chosen.flat_map(|a| &a.vertices) {
        let p = world_from_lonlat(v.lon, v.lat);
        out = Some(match out {
            None => WorldRect { min: p, max: p },
            Some(r) => WorldRect::from_corners(
                [r.min[0].min(p[0]), r.min[1].min(p[1])],
                [r.max[0].max(p[0]), r.max[1].max(p[1])],
            ),
        });
    }
    out
}

/// The camera that shows `slide` in a viewport of `viewport_px` (width, height): a centre
/// view as stored (zoom clamped to the map's limits), a fit so the alternatives (or the
/// region) fill the map frame of [`SlideLayout`] — right of the caption column, clear of the
/// slide number and attribution. A fit of alternatives that have no vertices fits the region.
#[must_use]
pub fn slide_camera(slide: &Slide, scenario: &Scenario, viewport_px: (f64, f64)) -> Camera {
    let rect = match &slide.view {
        SlideView::Center { lon, lat, zoom } => {
            return Camera {
                lon: *lon,
                lat: *lat,
                zoom: zoom.clamp(MIN_ZOOM, MAX_ZOOM),
            };
        }
        SlideView::FitAlignments(ids) => {
            alignments_world_rect(scenario, ids).unwrap_or_else(corridor_region)
        }
        SlideView::FitRegion => corridor_region(),
    };
    fit_camera(&rect, viewport_px)
}

/// The camera that puts `rect` in the map frame of a `viewport_px` slide, as large as fits.
#[must_use]
pub fn fit_camera(rect: &WorldRect, viewport_px: (f64, f64)) -> Camera {
    let layout = SlideLayout::new(viewport_px.0.max(1.0), viewport_px.1.max(1.0));
    let f = layout.map_frame_px;
    let zoom = zoom_to_fit(rect, f[2] - f[0], f[3] - f[1], 0.0).clamp(MIN_ZOOM, MAX_FIT_ZOOM);
    // The rect's centre goes to the frame's centre, so the camera (the viewport's centre)
    // sits that far the other way.
    let offset = layout.frame_offset_px();
    let per_px = 1.0 / world_size_px(zoom);
    let c = rect.center();
    Camera::at_world([c[0] - offset[0] * per_px, c[1] - offset[1] * per_px], zoom)
}

/// Van Wijk & Nuij's ρ: how much a flight prefers zooming out to panning (their user study
/// found √2 pleasant).
const RHO: f64 = std::f64::consts::SQRT_2;

/// Smoothstep: starts and stops gently, the ease-in-out of a flight.
fn ease(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// The camera at `t` (0..=1) of a flight from `from` to `to` in a viewport of `viewport_px`:
/// van Wijk & Nuij's "smooth and efficient zooming and panning" path (2003), which zooms out
/// on a long move so the audience sees where the map is going, then in again; a short move
/// just pans and zooms. Time is eased (smoothstep), so the flight starts and lands gently.
/// `t` = 0 gives `from` and `t` = 1 exactly `to`.
#[must_use]
#[allow(
    clippy::many_single_char_names,
    reason = "b, r, s, u, w: the symbols of van Wijk & Nuij's paper"
)]
pub fn fly_path(from: Camera, to: Camera, t: f64, viewport_px: (f64, f64)) -> Camera {
    if t <= 0.0 {
        return from;
    }
    if t >= 1.0 {
        return to;
    }
    let s_frac = ease(t);
    let width_px = viewport_px.0.max(1.0);
    // View widths in world units, and the distance between the centres.
    let w0 = width_px / world_size_px(from.zoom);
    let w1 = width_px / world_size_px(to.zoom);
    let c0 = from.world();
    let c1 = to.world();
    let d = [c1[0] - c0[0], c1[1] - c0[1]];
    let u1 = d[0].hypot(d[1]);
    let zoom_of = |w: f64| (width_px / (w * crate::map::mercator::TILE_SIZE_PX)).log2();
    if u1 < 1e-12 || !(w0 > 0.0 && w1 > 0.0) {
        // No pan: zoom at an even pace in log scale.
        let zoom = from.zoom + (to.zoom - from.zoom) * s_frac;
        let c = [c0[0] + d[0] * s_frac, c0[1] + d[1] * s_frac];
        return Camera::at_world(c, zoom);
    }
    let rho2 = RHO * RHO;
    let b = |w: f64, sign: f64| {
        (w1 * w1 - w0 * w0 + sign * rho2 * rho2 * u1 * u1) / (2.0 * w * rho2 * u1)
    };
    let r = |b: f64| (-b + (b * b + 1.0).sqrt()).ln();
    let r0 = r(b(w0, 1.0));
    let r1 = r(b(w1, -1.0));
    let total_s = (r1 - r0) / RHO;
    let s = total_s * s_frac;
    let u = w0 / rho2 * (r0.cosh() * (RHO * s + r0).tanh() - r0.sinh());
    let w = w0 * r0.cosh() / (RHO * s + r0).cosh();
    let k = (u / u1).clamp(0.0, 1.0);
    Camera::at_world([c0[0] + d[0] * k, c0[1] + d[1] * k], zoom_of(w))
}

#[cfg(test)]
// Tests state what they expect with `expect("why")`; a failure message is the point.
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    const VIEW: (f64, f64) = (1920.0, 1080.0);

    fn cam(lon: f64, lat: f64, zoom: f64) -> Camera {
        Camera { lon, lat, zoom }
    }

    #[test]
    fn a_flight_starts_at_from_and_ends_exactly_at_to() {
        let from = cam(67.0, 24.86, 8.0);
        let to = cam(76.9, 43.25, 7.0);
        assert_eq!(fly_path(from, to, 0.0, VIEW), from);
        assert_eq!(fly_path(from, to, 1.0, VIEW), to);
        let almost = fly_path(from, to, 0.999_999, VIEW);
        assert!((almost.lon - to.lon).abs() < 1e-6 && (almost.zoom - to.zoom).abs() < 1e-4);
    }

    #[test]
    fn a_flight_always_moves_towards_its_destination() {
        let from = cam(62.2, 34.35, 9.0);
        let to = cam(71.5, 34.0, 6.5);
        let goal = to.world();
        let mut last = f64::INFINITY;
        for i in 0..=100 {
            let c = fly_path(from, to, f64::from(i) / 100.0, VIEW).world();
            let left = (goal[0] - c[0]).hypot(goal[1] - c[1]);
            assert!(left <= last + 1e-15, "step {i}: {left} > {last}");
            last = left;
        }
        assert!(last < 1e-12);
    }

    #[test]
    fn a_long_flight_zooms_out_and_back_in() {
        // Karachi to Almaty at zoom 8: far more than a screen apart.
        let from = cam(67.0, 24.86, 8.0);
        let to = cam(76.9, 43.25, 8.0);
        let lowest = (0..=100)
            .map(|i| fly_path(from, to, f64::from(i) / 100.0, VIEW).zoom)
            .fold(f64::INFINITY, f64::min);
        // About 2.6 screen widths apart: the flight backs out more than a whole zoom level.
        assert!(lowest < 7.0, "lowest zoom {lowest}");
        // A short hop (a few hundred pixels) barely zooms out.
        let near = cam(67.05, 24.9, 8.0);
        let lowest_near = (0..=100)
            .map(|i| fly_path(from, near, f64::from(i) / 100.0, VIEW).zoom)
            .fold(f64::INFINITY, f64::min);
        assert!(lowest_near > 7.8, "lowest zoom {lowest_near}");
    }

    #[test]
    fn a_zoom_in_place_changes_only_the_zoom() {
        let from = cam(66.0, 30.0, 4.0);
        let to = cam(66.0, 30.0, 8.0);
        let mid = fly_path(from, to, 0.5, VIEW);
        assert!((mid.zoom - 6.0).abs() < 1e-9);
        assert!((mid.lon - 66.0).abs() < 1e-9 && (mid.lat - 30.0).abs() < 1e-9);
    }

    #[test]
    fn captions_know_paragraphs_bullets_and_bold() {
        let blocks =
            caption_blocks("The **stakes** are high\nfor everyone.\n\n- one\n- **two** km\n");
        assert_eq!(blocks.len(), 3);
        assert!(!blocks[0].bullet);
        assert_eq!(
            blocks[0].spans,
            vec![
                Span {
                    text: "The ".into(),
                    bold: false
                },
                Span {
                    text: "stakes".into(),
                    bold: true
                },
                Span {
                    text: " are high for everyone.".into(),
                    bold: false
                },
            ]
        );
        assert!(blocks[1].bullet && blocks[2].bullet);
        assert!(blocks[2].spans[0].bold && blocks[2].spans[0].text == "two");
    }

    #[test]
    fn slides_round_trip_through_json_and_keep_unknown_keys() {
        let mut s = Slide::new(SlideId(4), "West");
        s.view = SlideView::Center {
            lon: 66.0,
            lat: 30.0,
            zoom: 6.5,
        };
        s.layers = Some(vec!["rail".into()]);
        s.highlight = vec![AlignmentId(1)];
        s.reveal = Some(AlignmentId(1));
        s.extra.insert("transition".into(), "fade".into());
        let back = Slide::from_json(&s.to_json()).expect("valid slide");
        assert_eq!(back, s);
        // A map slide writes no `kind` (older files stay byte-identical); a comparison does.
        assert!(s.to_json().get("kind").is_none());
        s.kind = SlideKind::Comparison;
        assert_eq!(s.to_json()["kind"], "comparison");
        assert_eq!(Slide::from_json(&s.to_json()).expect("valid slide"), s);
        let odd = serde_json::json!({"id": 1, "kind": "video"});
        assert!(
            Slide::from_json(&odd)
                .expect_err("bad kind")
                .contains("video")
        );
        let bad = serde_json::json!({"id": 1, "view": {"kind": "orbit"}});
        assert!(
            Slide::from_json(&bad)
                .expect_err("bad view")
                .contains("orbit")
        );
    }

    #[test]
    fn the_layout_keeps_text_readable_at_1080p() {
        let l = SlideLayout::new(1920.0, 1080.0);
        assert!(l.title_px >= 44.0 && l.caption_px >= 26.0);
        assert!(l.map_frame_px[0] > l.column_px);
    }
}
