//! The map part of a slide: basemap tiles composited at the camera's zoom, the visible vector
//! layers, place labels and the alternatives, drawn the way the GUI draws them
//! (`app::map_view`, `app::paint`, `app::sketch`): same styles, widths, dashes, label rules.
//!
//! Every measure the GUI gives in screen points is multiplied by the slide's scale (1 at
//! 1080 px high), so a thumbnail is a miniature of the full-size slide.

use geo::Geometry;
use tiny_skia::{
    FillRule, FilterQuality, LineCap, LineJoin, PathBuilder, Pixmap, PixmapPaint, Rect, Stroke,
    StrokeDash, Transform,
};

use super::ink::{Canvas, TextRole};
use super::lanes::{lanes, offset_polyline};
use super::paint::{color, paint, stroke_path};
use super::text::{Font, TextStyle};
use std::sync::Arc;

use crate::Atlas;
use crate::draw::basemap::TileKey;
use crate::draw::basemap::clip::{ClipBox, Px, clip_polyline, clip_ring};
use crate::draw::basemap::tile::{tile_world_size, tiles_covering};
use crate::draw::basemap::{BASE_TILE_PX, BasemapRenderer, BasemapStyle};
use crate::map::label_lines::{LineObstacles, track_lines_px};
use crate::map::labels::{
    LabelCandidate, LabelSource, label_sources, place_labels_clear, text_key,
};
use crate::map::layer::Layer;
use crate::map::mercator::{WorldPoint, WorldRect, world_from_lonlat, world_size_px};
use crate::map::style::{Dash, LineStyle, MarkerShape, MarkerStyle, Rgba};
use crate::plan::scenario::model::{AlignmentId, Scenario};
use crate::plan::scenario::story::{Camera, Slide};

/// Pixels drawn beyond the image edge before clipping, so wide strokes end outside it.
const CLIP_MARGIN_PX: f64 = 24.0;

/// World units ↔ image pixels for one slide.
#[derive(Clone, Copy, Debug)]
pub struct View {
    center_world: WorldPoint,
    px_per_world: f64,
    size_px: [f64; 2],
    /// Zoom of the image's pixels (picks the level of detail).
    pub zoom_px: f64,
    /// Zoom the GUI would show at 1080p: label ranks and minimum zooms follow it.
    pub zoom: f64,
    /// Image pixels per GUI point.
    pub scale: f32,
}

impl View {
    /// The view of `camera` on an image of `size_px`, at `scale` image pixels per point.
    #[must_use]
    pub fn new(camera: Camera, size_px: (u32, u32), scale: f64) -> Self {
        Self {
            center_world: camera.world(),
            px_per_world: world_size_px(camera.zoom),
            size_px: [f64::from(size_px.0), f64::from(size_px.1)],
            zoom_px: camera.zoom,
            zoom: camera.zoom - scale.log2(),
            scale: scale as f32,
        }
    }

    /// The view that fills one slippy-map tile of `size_px` pixels (256 at 1×, 512 at 2×):
    /// what [`render_layer_tile`] draws into.
    #[must_use]
    pub fn for_tile(key: TileKey, size_px: u32) -> Self {
        let rect = key.world_rect();
        let scale = f64::from(size_px) / f64::from(BASE_TILE_PX);
        let zoom = f64::from(key.zoom);
        Self {
            center_world: rect.center(),
            px_per_world: f64::from(size_px) / rect.width(),
            size_px: [f64::from(size_px); 2],
            zoom_px: zoom + scale.log2(),
            zoom,
            scale: scale as f32,
        }
    }

    /// Image position of a world point.
    #[must_use]
    pub fn px(&self, w: WorldPoint) -> Px {
        [
            self.size_px[0] / 2.0 + (w[0] - self.center_world[0]) * self.px_per_world,
            self.size_px[1] / 2.0 + (w[1] - self.center_world[1]) * self.px_per_world,
        ]
    }

    /// The world point at an image position (the inverse of [`View::px`]).
    #[must_use]
    pub fn world_at(&self, p: Px) -> WorldPoint {
        [
            self.center_world[0] + (p[0] - self.size_px[0] / 2.0) / self.px_per_world,
            self.center_world[1] + (p[1] - self.size_px[1] / 2.0) / self.px_per_world,
        ]
    }

    /// The world rectangle the image shows, grown by `margin_px`.
    #[must_use]
    pub fn world_rect(&self, margin_px: f64) -> WorldRect {
        let half = [
            (self.size_px[0] / 2.0 + margin_px) / self.px_per_world,
            (self.size_px[1] / 2.0 + margin_px) / self.px_per_world,
        ];
        WorldRect {
            min: [
                self.center_world[0] - half[0],
                self.center_world[1] - half[1],
            ],
            max: [
                self.center_world[0] + half[0],
                self.center_world[1] + half[1],
            ],
        }
    }

    fn clip(&self) -> ClipBox {
        ClipBox {
            min: [-CLIP_MARGIN_PX, -CLIP_MARGIN_PX],
            max: [
                self.size_px[0] + CLIP_MARGIN_PX,
                self.size_px[1] + CLIP_MARGIN_PX,
            ],
        }
    }
}

/// Paint the basemap: the tiles of the GUI's zoom level, rendered at the size they are shown
/// (so lines and detail match the screen) and placed at their exact position. Tiles are
/// rendered on every core; the result does not depend on how many.
pub fn draw_basemap(
    pixmap: &mut Pixmap,
    renderer: &BasemapRenderer,
    view: &View,
    style: BasemapStyle,
) {
    pixmap.fill(color(style.palette().sea));
    let tile_zoom = view.zoom.floor().clamp(0.0, 20.0) as u8;
    let tile_world = tile_world_size(tile_zoom);
    let shown_px = tile_world * view.px_per_world;
    let render_px = (shown_px.round() as u32).clamp(1, 4 * BASE_TILE_PX);
    let rect = view.world_rect(0.0);
    let world = WorldRect {
        min: [rect.min[0].max(0.0), rect.min[1].max(0.0)],
        max: [rect.max[0].min(1.0), rect.max[1].min(1.0)],
    };
    if world.width() <= 0.0 || world.height() <= 0.0 {
        return;
    }
    let keys = tiles_covering(&world, tile_zoom);
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 8);
    let chunk = keys.len().div_ceil(threads).max(1);
    let tiles: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = keys
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|&k| (k, renderer.render(k, style, render_px)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let k = (shown_px / f64::from(render_px)) as f32;
    let paint = PixmapPaint {
        quality: FilterQuality::Bilinear,
        ..PixmapPaint::default()
    };
    for (key, tile) in tiles {
        let Some(tile) = tile else { continue };
        let [x, y] = view.px(key.world_rect().min);
        let t = Transform::from_row(k, 0.0, 0.0, k, x as f32, y as f32);
        pixmap.draw_pixmap(0, 0, tile.as_ref(), &paint, t, None);
    }
}

/// One transparent tile of `layers` (the parts of a large imported layer), drawn with the
/// same styles as the GUI's vector layers. The GUI shows large layers as such tiles, rendered
/// on worker threads and cached, so a frame costs a few textured quads however many features
/// the layer has.
#[must_use]
pub fn render_layer_tile(layers: &[Arc<Layer>], key: TileKey, size_px: u32) -> Option<Pixmap> {
    let mut pixmap = Pixmap::new(size_px, size_px)?;
    let atlas = Atlas {
        layers: layers.to_vec(),
        ..Atlas::default()
    };
    let visible = vec![true; layers.len()];
    draw_layers(&mut pixmap, &atlas, &visible, &View::for_tile(key, size_px));
    Some(pixmap)
}

/// Paint the visible layers of the atlas (`visible[i]` for layer `i`), bottom to top.
pub fn draw_layers(pixmap: &mut Pixmap, atlas: &Atlas, visible: &[bool], view: &View) {
    let rect = view.world_rect(16.0 * f64::from(view.scale));
    let clip = view.clip();
    let s = view.scale;
    for (li, layer) in atlas.layers.iter().enumerate() {
        if !visible.get(li).copied().unwrap_or(false) {
            continue;
        }
        let shapes = layer.lod.level_at(view.zoom_px);
        let mut found: Vec<usize> = layer.index.in_view(&rect).collect();
        // The R-tree's order is arbitrary; file order draws the same picture every time.
        found.sort_unstable();
        for fi in found {
            let (true, Some(style)) = (fi < shapes.len(), layer.styles.get(fi)) else {
                continue;
            };
            let shape = shapes.shape(fi);
            if f64::from(style.min_zoom) > view.zoom {
                continue;
            }
            let areal = matches!(
                layer.features.get(fi).map(|f| &f.geometry),
                Some(Geometry::Polygon(_) | Geometry::MultiPolygon(_))
            );
            if let (Some(fill), true, true) = (style.fill, shape.fill().is_some(), areal) {
                let mut pb = PathBuilder::new();
                for ring in shape.rings() {
                    let pts: Vec<Px> = ring.iter().map(|&w| view.px(w)).collect();
                    push_points(&mut pb, &clip_ring(&pts, &clip), true);
                }
                if let Some(path) = pb.finish() {
                    pixmap.fill_path(
                        &path,
                        &paint(fill),
                        FillRule::EvenOdd,
                        Transform::identity(),
                        None,
                    );
                }
            }
            if let Some(line) = &style.line {
                for l in shape.outlines() {
                    let pts: Vec<Px> = l.iter().map(|&w| view.px(w)).collect();
                    stroke_line(pixmap, &pts, &clip, line, s, 1.0);
                }
            }
            if let Some(marker) = &style.marker {
                for &p in shape.points() {
                    let [x, y] = view.px(p);
                    if (-20.0..view.size_px[0] + 20.0).contains(&x)
                        && (-20.0..view.size_px[1] + 20.0).contains(&y)
                    {
                        draw_marker(pixmap, [x as f32, y as f32], marker, s);
                    }
                }
            }
        }
    }
}

/// Place names of the visible point layers, chosen and placed by
/// [`crate::map::labels::place_labels`] with the GUI's rank rules, drawn with a halo,
/// `size_px` high. Places on `corridor` (the vertices of the alternatives shown, in world
/// units) are labelled whatever their rank and placed first, so the stations a slide talks
/// about are always named; names keep off the track and those alternatives where a side of
/// the place is free. Every label is recorded in the canvas (role `Label`).
#[allow(
    clippy::many_single_char_names,
    reason = "s (scale), x/y: screen geometry reads best short"
)]
pub fn draw_labels(
    canvas: &mut Canvas<'_>,
    atlas: &Atlas,
    visible: &[bool],
    view: &View,
    font: &Font,
    (size, dark): (f32, bool),
    corridor: &[Vec<WorldPoint>],
) {
    let s = view.scale;
    let rect = view.world_rect(0.0);
    let is_visible = |li: usize| visible.get(li).copied().unwrap_or(false);
    let corridor_px: Vec<Px> = corridor.iter().flatten().map(|&w| view.px(w)).collect();
    let to_f32 = |[x, y]: Px| [x as f32, y as f32];
    let mut lines = track_lines_px(&atlas.layers, is_visible, view.zoom_px, &rect, |w| {
        to_f32(view.px(w))
    });
    lines.extend(
        corridor
            .iter()
            .map(|line| line.iter().map(|&w| to_f32(view.px(w))).collect::<Vec<_>>()),
    );
    let obstacles = LineObstacles::new(&lines);
    let (sources, pinned) = corridor_label_sources(
        &atlas.layers,
        is_visible,
        (view.zoom, view.zoom_px),
        &rect,
        (&corridor_px, f64::from(6.0 * s)),
        |w| view.px(w),
    );
    let candidates: Vec<LabelCandidate> = sources
        .iter()
        .zip(&pinned)
        .map(|(src, &pin)| {
            let [x, y] = view.px(src.at);
            LabelCandidate {
                text_key: text_key(src.name),
                rank: if pin { 0 } else { src.rank.saturating_add(1) },
                weight: src.weight,
                anchor: [x as f32, y as f32],
                size: [font.width_px(src.name, size), size],
                marker_radius: src.marker_radius_px * s,
            }
        })
        .collect();
    let names: Vec<&str> = sources.iter().map(|src| src.name).collect();
    let style = TextStyle {
        halo: Some(if dark {
            [0, 0, 0, 200]
        } else {
            [255, 255, 255, 220]
        }),
        ..TextStyle::new(
            size,
            if dark {
                [235, 235, 235, 255]
            } else {
                [25, 25, 25, 255]
            },
        )
    };
    for placed in place_labels_clear(&candidates, 2.0 * s, &pinned, &obstacles) {
        canvas.text(
            font,
            names[placed.candidate],
            (placed.rect[0], placed.rect[1]),
            &style,
            TextRole::Label,
        );
    }
}

/// The label sources of a view plus, whatever their rank, every place within `near_px` of a
/// corridor point (`corridor_px`, image pixels; `to_px` maps world points to them), and which
/// of them are such corridor places ("pinned": labelled first, over other places' markers,
/// see [`crate::map::labels::place_labels_pinned`]). The slides and the GUI's presentation
/// mode both name the shown alternatives' places this way.
pub fn corridor_label_sources<'a>(
    layers: &'a [Arc<Layer>],
    is_visible: impl Fn(usize) -> bool + Copy,
    (zoom, lod_zoom): (f64, f64),
    rect: &WorldRect,
    (corridor_px, near_px): (&[Px], f64),
    to_px: impl Fn(WorldPoint) -> Px,
) -> (Vec<LabelSource<'a>>, Vec<bool>) {
    let on_corridor = |at: WorldPoint| {
        let [x, y] = to_px(at);
        corridor_px
            .iter()
            .any(|c| (c[0] - x).hypot(c[1] - y) <= near_px)
    };
    let mut sources = label_sources(layers, is_visible, zoom, lod_zoom, rect);
    if !corridor_px.is_empty() {
        // Every visible place, whatever its rank or the zoom: the corridor's own come from these.
        let all = label_sources(layers, is_visible, 30.0, lod_zoom, rect);
        sources.extend(all.into_iter().filter(|src| on_corridor(src.at)));
    }
    let pinned = sources.iter().map(|src| on_corridor(src.at)).collect();
    (sources, pinned)
}

/// Opacity of the alternatives a slide does not highlight.
pub const DIMMED_OPACITY: f32 = 0.3;
/// Line width (points, pixels at 1080p) of an alternative on a slide: 6, so that at least
/// 5 px are solid colour on a 1920×1080 slide wherever the line falls between pixels —
/// visible on a projector from the back of a room.
pub const ALIGNMENT_WIDTH: f32 = 6.0;
/// Line width (points) of a highlighted alternative.
pub const HIGHLIGHT_WIDTH: f32 = 8.0;

/// The alternatives: a white casing under the colour (as in `app::sketch`); when the slide
/// highlights some, those are bold and on top and the others dimmed; the revealed one is drawn
/// whole (a still shows the end of the reveal). Alternatives sharing track run side by side
/// in lanes ([`super::lanes`]), one line width apart.
pub fn draw_alignments(pixmap: &mut Pixmap, scenario: &Scenario, slide: &Slide, view: &View) {
    let s = view.scale;
    let clip = view.clip();
    let stands_out = |id: AlignmentId| slide.highlight.contains(&id) || slide.reveal == Some(id);
    let dimming = !slide.highlight.is_empty();
    let all: Vec<AlignmentId> = scenario.alignments.iter().map(|a| a.id).collect();
    // Lanes among the highlighted ones when some are (the dimmed ones are background), else
    // among all.
    let laned: Vec<AlignmentId> = all
        .iter()
        .copied()
        .filter(|&id| !dimming || stands_out(id))
        .collect();
    let lane_of = lanes(scenario, &laned);
    let draw = |pixmap: &mut Pixmap, ids: &mut dyn Iterator<Item = AlignmentId>, width: f32| {
        for id in ids {
            let Some(a) = scenario.alignment(id) else {
                continue;
            };
            let pts: Vec<Px> = a
                .vertices
                .iter()
                .map(|v| view.px(world_from_lonlat(v.lon, v.lat)))
                .collect();
            let spacing = f64::from((width + 1.5) * s);
            let offsets: Vec<f64> = lane_of
                .get(&id)
                .map_or_else(Vec::new, |l| l.iter().map(|k| k * spacing).collect());
            let pts = offset_polyline(&pts, &offsets);
            let casing = LineStyle {
                color: [255, 255, 255, 200],
                width_px: width + 3.0,
                dash: Dash::Solid,
            };
            let line = LineStyle {
                color: a.color,
                width_px: width,
                dash: Dash::Solid,
            };
            stroke_line(pixmap, &pts, &clip, &casing, s, 1.0);
            stroke_line(pixmap, &pts, &clip, &line, s, 1.0);
        }
    };
    let ids = all;
    if !dimming {
        draw(
            pixmap,
            &mut ids.iter().copied().filter(|&id| !stands_out(id)),
            ALIGNMENT_WIDTH,
        );
    } else if let Some(mut layer) = Pixmap::new(pixmap.width(), pixmap.height()) {
        // Dimmed as a whole (casing and colour together), like a layer at 30 % opacity.
        draw(
            &mut layer,
            &mut ids.iter().copied().filter(|&id| !stands_out(id)),
            ALIGNMENT_WIDTH,
        );
        let paint = PixmapPaint {
            opacity: DIMMED_OPACITY,
            ..PixmapPaint::default()
        };
        pixmap.draw_pixmap(0, 0, layer.as_ref(), &paint, Transform::identity(), None);
    }
    let width = if dimming {
        HIGHLIGHT_WIDTH
    } else {
        ALIGNMENT_WIDTH
    };
    draw(
        pixmap,
        &mut ids.iter().copied().filter(|&id| stands_out(id)),
        width,
    );
}

/// Stroke a polyline (image pixels) in a layer style scaled by `s`, dashed and dotted the way
/// `app::paint::push_line` does it.
fn stroke_line(
    pixmap: &mut Pixmap,
    pts: &[Px],
    clip: &ClipBox,
    style: &LineStyle,
    s: f32,
    opacity: f32,
) {
    let w = style.width_px;
    let (width, dash) = match style.dash {
        Dash::Solid => (w, None),
        Dash::Dashed => (w, Some([3.0 * w + 4.0, 2.0 * w + 2.0])),
        // Dots of radius 0.6 w every 2 w + 2: round caps on near-zero dashes.
        Dash::Dotted => (1.2 * w, Some([0.01, 2.0 * w + 2.0])),
    };
    let mut c = style.color;
    c[3] = (f32::from(c[3]) * opacity).round() as u8;
    for piece in clip_polyline(pts, clip) {
        let mut pb = PathBuilder::new();
        push_points(&mut pb, &piece.points, false);
        let Some(path) = pb.finish() else { continue };
        let dash = dash.and_then(|[on, off]| {
            let period = f64::from((on + off) * s);
            let phase = (piece.start_px % period) as f32;
            StrokeDash::new(vec![on * s, off * s], phase)
        });
        let stroke = Stroke {
            width: (width * s).max(0.05),
            line_cap: LineCap::Round,
            line_join: LineJoin::Round,
            dash,
            ..Stroke::default()
        };
        stroke_path(pixmap, &path, c, stroke, Transform::identity(), 1.0);
    }
}

/// A point symbol, the shapes of `app::paint::push_marker`, scaled by `s`.
#[allow(
    clippy::many_single_char_names,
    reason = "x, y, r, s, d: the marker geometry of app::paint, same names"
)]
fn draw_marker(pixmap: &mut Pixmap, at: [f32; 2], m: &MarkerStyle, s: f32) {
    let [x, y] = at;
    let r = m.radius_px * s;
    let polygon = |pts: &[[f32; 2]]| {
        let mut pb = PathBuilder::new();
        let pts: Vec<Px> = pts
            .iter()
            .map(|p| [f64::from(p[0]), f64::from(p[1])])
            .collect();
        push_points(&mut pb, &pts, true);
        pb.finish()
    };
    let outline = |pixmap: &mut Pixmap, path: &tiny_skia::Path, width: f32, c: Rgba| {
        let stroke = Stroke {
            width: width * s,
            ..Stroke::default()
        };
        stroke_path(pixmap, path, c, stroke, Transform::identity(), 1.0);
    };
    let fill = |pixmap: &mut Pixmap, path: &tiny_skia::Path, c: Rgba| {
        pixmap.fill_path(
            path,
            &paint(c),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    };
    match m.shape {
        MarkerShape::Circle | MarkerShape::CircleDot | MarkerShape::CrossedCircle => {
            let Some(circle) = PathBuilder::from_circle(x, y, r.max(0.1)) else {
                return;
            };
            fill(pixmap, &circle, m.fill);
            let width = match m.shape {
                MarkerShape::CircleDot => 1.6,
                MarkerShape::CrossedCircle => 2.0,
                _ => 1.2,
            };
            outline(pixmap, &circle, width, m.stroke);
            if m.shape == MarkerShape::CircleDot
                && let Some(dot) = PathBuilder::from_circle(x, y, (r * 0.45).max(0.1))
            {
                fill(pixmap, &dot, m.stroke);
            }
            if m.shape == MarkerShape::CrossedCircle {
                let d = r * 0.7;
                let mut pb = PathBuilder::new();
                pb.move_to(x - d, y - d);
                pb.line_to(x + d, y + d);
                pb.move_to(x - d, y + d);
                pb.line_to(x + d, y - d);
                if let Some(cross) = pb.finish() {
                    outline(pixmap, &cross, 2.0, m.stroke);
                }
            }
        }
        MarkerShape::Square => {
            // A path, not `fill_rect`: tiny-skia's anti-aliased rect scanner trips a debug
            // assertion on rects under a pixel (thumbnails).
            if let Some(rect) = Rect::from_xywh(x - r, y - r, 2.0 * r, 2.0 * r) {
                fill(pixmap, &PathBuilder::from_rect(rect), m.fill);
            }
        }
        MarkerShape::Diamond | MarkerShape::Triangle => {
            let pts: &[[f32; 2]] = if m.shape == MarkerShape::Diamond {
                &[[x, y - r], [x + r, y], [x, y + r], [x - r, y]]
            } else {
                &[
                    [x, y - r],
                    [x + r * 0.95, y + r * 0.7],
                    [x - r * 0.95, y + r * 0.7],
                ]
            };
            if let Some(path) = polygon(pts) {
                fill(pixmap, &path, m.fill);
                outline(pixmap, &path, 1.2, m.stroke);
            }
        }
    }
}

fn push_points(pb: &mut PathBuilder, pts: &[Px], close: bool) {
    let mut it = pts.iter();
    let Some(first) = it.next() else { return };
    pb.move_to(first[0] as f32, first[1] as f32);
    for p in it {
        pb.line_to(p[0] as f32, p[1] as f32);
    }
    if close {
        pb.close();
    }
}
