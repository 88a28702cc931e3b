//! Rendering one raster tile from the bundled geodata with tiny-skia.
//!
//! Draw order, bottom to top: sea; land (anti-aliased coverage mask: the detailed land inside
//! its extent, the coarse world land outside) tinted by elevation and shaded by the relief
//! (the regional grid, fading into the coarse world grid at its edge); lakes; rivers;
//! coastline; borders (lakes, rivers and borders: every part of the layer, regional and
//! coarse world). Everything is clipped to the tile in f64 first (see [`super::clip`]), and picks the level of detail for the tile's *pixel*
//! density, so a 512-px tile for a 2× screen gets the detail of the next zoom.

use std::sync::Arc;

use geo::Geometry;

use tiny_skia::{
    FillRule, LineCap, LineJoin, Mask, Paint, PathBuilder, Pixmap, Stroke, StrokeDash, Transform,
};

use super::clip::{ClipBox, Px, clip_polyline, clip_ring};
use super::hillshade::{ReliefSample, ShadeGrid, z_factor_for_zoom};
use super::palette::{BasemapStyle, Palette};
use super::tile::TileKey;
use crate::Atlas;
use crate::map::layer::{Layer, LayerKind};
use crate::map::mercator::{WorldRect, lonlat_from_world};
use crate::map::style::{Dash, Rgba};

/// Pixels of a tile at 1× (the slippy-map convention).
pub const BASE_TILE_PX: u32 = 256;

/// Pixels drawn beyond each tile edge, so wide strokes that straddle an edge are cut by the
/// tile, not by the clipper (both neighbours then draw the same stroke).
const CLIP_MARGIN_PX: f64 = 12.0;

/// Extra exaggeration of the world relief: its 20′ cells average away about half of the
/// slope the 5′ regional grid shows, so without it the shading visibly weakens where the
/// regional grid fades into the world one (the 40° E edge on slide 1).
const WORLD_RELIEF_BOOST: f32 = 2.0;

/// Everything the renderer needs from the atlas, looked up once.
pub struct BasemapRenderer {
    atlas: Arc<Atlas>,
    relief: Option<ShadeGrid>,
    /// The coarse world relief, under `relief` (which fades into it at its edge).
    world_relief: Option<ShadeGrid>,
    world_land: Option<usize>,
    land: Option<usize>,
    /// Where the detailed `land` layer is authoritative (its extent): the coarse `world_land`
    /// is only drawn outside it, so its looser coastline never pokes out from under the
    /// detailed one.
    land_extent: Option<WorldRect>,
    /// Every part of the `lakes` and `rivers` layers (regional, and coarse world outside).
    lakes: Vec<usize>,
    rivers: Vec<usize>,
    coastline: Option<usize>,
    /// Every part of the `borders` layer: the regional lines and the coarse world ones
    /// outside the region (they meet at its edge).
    borders: Vec<usize>,
}

impl BasemapRenderer {
    /// Prepare for `atlas` (slopes of the elevation grid, layer look-ups). Costs a few tens of
    /// milliseconds in a release build: call it off the UI thread.
    #[must_use]
    pub fn new(atlas: Arc<Atlas>) -> Self {
        let relief = atlas.elevation.as_deref().map(ShadeGrid::new);
        let world_relief = atlas.world_elevation.as_deref().map(ShadeGrid::global);
        let find = |id: &str| {
            atlas
                .layer_index(id)
                .filter(|&i| !atlas.layers[i].features.is_empty())
        };
        let parts = |id: &str| -> Vec<usize> {
            (0..atlas.layers.len())
                .filter(|&i| atlas.layers[i].id == id && !atlas.layers[i].features.is_empty())
                .collect()
        };
        let land = find("land");
        let land_extent = land.and_then(|i| layer_extent(&atlas.layers[i]));
        Self {
            relief,
            world_relief,
            world_land: find("world_land"),
            land,
            land_extent,
            lakes: parts("lakes"),
            rivers: parts("rivers"),
            coastline: find("coastline"),
            borders: parts("borders"),
            atlas,
        }
    }

    /// The atlas this renderer draws.
    #[must_use]
    pub fn atlas(&self) -> &Arc<Atlas> {
        &self.atlas
    }

    /// Render `key` as a `size_px` square (256 for 1× screens, 512 for 2×). `None` only if
    /// `size_px` is 0 or absurdly large.
    #[must_use]
    pub fn render(&self, key: TileKey, style: BasemapStyle, size_px: u32) -> Option<Pixmap> {
        let mut pixmap = Pixmap::new(size_px, size_px)?;
        let palette = style.palette();
        let frame = Frame::new(key, size_px);

        let mask = self.land_mask(&frame)?;
        self.paint_land_and_relief(&mut pixmap, &mask, &frame, palette);

        for &i in &self.lakes {
            let layer = &self.atlas.layers[i];
            for f in frame.areal_features(layer) {
                if let Some(path) = frame.polygon_path(layer.lod_shapes(&frame).shape(f).rings()) {
                    pixmap.fill_path(
                        &path,
                        &paint(palette.lake),
                        FillRule::EvenOdd,
                        Transform::identity(),
                        None,
                    );
                }
            }
            self.stroke_layer(&mut pixmap, &frame, palette, i, 0.7, None);
        }
        for &i in &self.rivers {
            let zoom = f64::from(key.zoom);
            // Natural Earth ranks rivers 0 (major) to 10: show the minor ones only closer in.
            let keep = move |layer: &Layer, f: usize| {
                layer.features[f]
                    .f64("rank")
                    .is_none_or(|r| r <= zoom + 4.0)
            };
            let width = (0.45 + 0.07 * zoom).clamp(0.6, 1.2) as f32;
            self.stroke_layer(&mut pixmap, &frame, palette, i, width, Some(&keep));
        }
        if let Some(i) = self.coastline {
            self.stroke_layer(&mut pixmap, &frame, palette, i, 0.6, None);
        }
        for &i in &self.borders {
            self.stroke_borders(&mut pixmap, &frame, palette, i);
        }
        Some(pixmap)
    }

    /// Coverage of land (0..255 per pixel).
    fn land_mask(&self, frame: &Frame) -> Option<Mask> {
        let mut mask = Mask::new(frame.size_px, frame.size_px)?;
        if let Some(i) = self.world_land {
            let layer = &self.atlas.layers[i];
            let shapes = layer.lod_shapes(frame);
            for f in frame.areal_features(layer) {
                if let Some(path) = frame.polygon_path(shapes.shape(f).rings()) {
                    mask.fill_path(&path, FillRule::EvenOdd, true, Transform::identity());
                }
            }
            if let Some(extent) = self.land_extent {
                frame.clear_rect(&mut mask, &extent);
            }
        }
        if let Some(i) = self.land {
            let layer = &self.atlas.layers[i];
            let shapes = layer.lod_shapes(frame);
            for f in frame.areal_features(layer) {
                if let Some(path) = frame.polygon_path(shapes.shape(f).rings()) {
                    mask.fill_path(&path, FillRule::EvenOdd, true, Transform::identity());
                }
            }
        }
        Some(mask)
    }

    /// Sea everywhere, land where the mask says so, land tinted and shaded by the relief. A
    /// per-pixel loop because each pixel has its own elevation and slope.
    fn paint_land_and_relief(
        &self,
        pixmap: &mut Pixmap,
        mask: &Mask,
        frame: &Frame,
        palette: &Palette,
    ) {
        let size = frame.size_px as usize;
        let sea = rgb_f32(palette.sea);
        let land = rgb_f32(palette.land);
        let shadow = rgb_f32(palette.shadow);
        let highlight = rgb_f32(palette.highlight);
        let z_factor = z_factor_for_zoom(frame.key.zoom);
        let world_z_factor = z_factor * WORLD_RELIEF_BOOST;
        let coverage = mask.data();
        let lons: Vec<f64> = (0..size)
            .map(|x| lonlat_from_world(frame.world_of([x as f64 + 0.5, 0.5])).0)
            .collect();
        let pixels = pixmap.data_mut();
        for y in 0..size {
            let lat = lonlat_from_world(frame.world_of([0.5, y as f64 + 0.5])).1;
            for (x, &lon) in lons.iter().enumerate() {
                let i = y * size + x;
                let cov = f32::from(coverage[i]) / 255.0;
                let mut c = sea;
                if cov > 0.0 {
                    let mut l = land;
                    if let Some(r) = self.relief_at(lon, lat, z_factor, world_z_factor) {
                        let tinted = palette.land_at(r.elevation_m);
                        l = mix(land, tinted, r.weight);
                        if r.shade < 0.0 {
                            let a = (-r.shade * 2.2).min(1.0) * palette.shadow_strength * r.weight;
                            l = mix(l, shadow, a);
                        } else {
                            let a =
                                (r.shade * 3.0).min(1.0) * palette.highlight_strength * r.weight;
                            l = mix(l, highlight, a);
                        }
                    }
                    c = mix(sea, l, cov);
                }
                let px = &mut pixels[i * 4..i * 4 + 4];
                px[0] = c[0].round().clamp(0.0, 255.0) as u8;
                px[1] = c[1].round().clamp(0.0, 255.0) as u8;
                px[2] = c[2].round().clamp(0.0, 255.0) as u8;
                px[3] = 255;
            }
        }
    }

    /// The relief at a place: the regional grid where it has full weight, the world grid
    /// outside it, blended across the regional grid's fade band.
    fn relief_at(
        &self,
        lon: f64,
        lat: f64,
        z_factor: f32,
        world_z_factor: f32,
    ) -> Option<ReliefSample> {
        let regional = self
            .relief
            .as_ref()
            .and_then(|g| g.sample(lon, lat, z_factor));
        if regional.is_some_and(|r| r.weight >= 1.0) {
            return regional; // inside the fade band's inner edge the world grid has no say
        }
        let world = self
            .world_relief
            .as_ref()
            .and_then(|g| g.sample(lon, lat, world_z_factor));
        match (regional, world) {
            (Some(r), Some(w)) => Some(r.over(w)),
            (r, w) => r.or(w),
        }
    }

    /// Stroke every feature of layer `i`, `width_scale` times its style width.
    fn stroke_layer(
        &self,
        pixmap: &mut Pixmap,
        frame: &Frame,
        palette: &Palette,
        i: usize,
        width_scale: f32,
        keep: Option<KeepFeature<'_>>,
    ) {
        let layer = &self.atlas.layers[i];
        let shapes = layer.lod_shapes(frame);
        for f in frame.features(layer) {
            if keep.is_some_and(|k| !k(layer, f)) {
                continue;
            }
            let Some(style) = layer.styles.get(f).and_then(|s| s.line) else {
                continue;
            };
            let colour = line_colour(palette, layer.kind, style.color);
            let width = style.width_px * width_scale * frame.scale;
            for line in shapes.shape(f).outlines() {
                for piece in clip_polyline(&frame.to_px(line), &frame.clip) {
                    if let Some(path) = open_path(&piece.points) {
                        let stroke = stroke(width, None);
                        pixmap.stroke_path(
                            &path,
                            &paint(colour),
                            &stroke,
                            Transform::identity(),
                            None,
                        );
                    }
                }
            }
        }
    }

    /// Borders: a soft wide casing under a crisp line, dashed where disputed. Dashes continue
    /// across tile edges because each piece starts its pattern where the line is.
    fn stroke_borders(&self, pixmap: &mut Pixmap, frame: &Frame, palette: &Palette, i: usize) {
        let layer = &self.atlas.layers[i];
        let shapes = layer.lod_shapes(frame);
        let zoom_scale = (0.55 + 0.08 * f32::from(frame.key.zoom)).clamp(0.7, 1.2);
        for f in frame.features(layer) {
            let Some(style) = layer.styles.get(f).and_then(|s| s.line) else {
                continue;
            };
            let colour = line_colour(palette, layer.kind, style.color);
            let width = style.width_px * zoom_scale * frame.scale;
            let mut casing = colour;
            casing[3] = 60;
            for line in shapes.shape(f).outlines() {
                for piece in clip_polyline(&frame.to_px(line), &frame.clip) {
                    let Some(path) = open_path(&piece.points) else {
                        continue;
                    };
                    let dash = match style.dash {
                        Dash::Solid => None,
                        Dash::Dashed => Some([6.0, 4.0]),
                        Dash::Dotted => Some([1.5, 3.0]),
                    }
                    .map(|[on, off]| {
                        let period = f64::from((on + off) * frame.scale);
                        let phase = (piece.start_px % period) as f32;
                        ([on * frame.scale, off * frame.scale], phase)
                    });
                    pixmap.stroke_path(
                        &path,
                        &paint(casing),
                        &stroke(width * 3.0, None),
                        Transform::identity(),
                        None,
                    );
                    pixmap.stroke_path(
                        &path,
                        &paint(colour),
                        &stroke(width, dash),
                        Transform::identity(),
                        None,
                    );
                }
            }
        }
    }
}

/// Decides whether a feature of a layer is drawn at this zoom.
type KeepFeature<'k> = &'k dyn Fn(&Layer, usize) -> bool;

trait LodShapes {
    fn lod_shapes(&self, frame: &Frame) -> crate::map::lod::Level<'_>;
}

impl LodShapes for Layer {
    fn lod_shapes(&self, frame: &Frame) -> crate::map::lod::Level<'_> {
        self.lod.level_at(frame.lod_zoom)
    }
}

/// Where a tile is and how world units map onto its pixels.
struct Frame {
    key: TileKey,
    size_px: u32,
    rect: WorldRect,
    /// Pixels per world unit.
    px_per_world: f64,
    /// Pixels per logical pixel (1 for 256-px tiles, 2 for 512-px).
    scale: f32,
    /// The zoom whose detail matches the tile's pixel density.
    lod_zoom: f64,
    clip: ClipBox,
}

impl Frame {
    fn new(key: TileKey, size_px: u32) -> Self {
        let rect = key.world_rect();
        let size = f64::from(size_px);
        let scale = size / f64::from(BASE_TILE_PX);
        Self {
            key,
            size_px,
            rect,
            px_per_world: size / rect.width(),
            scale: scale as f32,
            lod_zoom: f64::from(key.zoom) + scale.log2(),
            clip: ClipBox {
                min: [-CLIP_MARGIN_PX, -CLIP_MARGIN_PX],
                max: [size + CLIP_MARGIN_PX, size + CLIP_MARGIN_PX],
            },
        }
    }

    fn world_of(&self, px: Px) -> [f64; 2] {
        [
            self.rect.min[0] + px[0] / self.px_per_world,
            self.rect.min[1] + px[1] / self.px_per_world,
        ]
    }

    fn to_px<'p>(&self, line: impl IntoIterator<Item = &'p [f64; 2]>) -> Vec<Px> {
        line.into_iter()
            .map(|w| {
                [
                    (w[0] - self.rect.min[0]) * self.px_per_world,
                    (w[1] - self.rect.min[1]) * self.px_per_world,
                ]
            })
            .collect()
    }

    /// Features of `layer` whose envelope reaches this tile (with the margin).
    fn features(&self, layer: &Layer) -> Vec<usize> {
        let margin = CLIP_MARGIN_PX / self.px_per_world;
        let view = self.rect.expanded(margin);
        let n = layer.lod.level_at(self.lod_zoom).len();
        let mut found: Vec<usize> = layer.index.in_view(&view).filter(|&f| f < n).collect();
        // The R-tree returns features in no particular order; draw in file order so overlaps
        // look the same on every tile.
        found.sort_unstable();
        found
    }

    /// Like [`Frame::features`], polygons only (a stray line in a land layer must not be
    /// closed and filled).
    fn areal_features(&self, layer: &Layer) -> Vec<usize> {
        let mut found = self.features(layer);
        found.retain(|&f| {
            matches!(
                layer.features[f].geometry,
                Geometry::Polygon(_) | Geometry::MultiPolygon(_)
            )
        });
        found
    }

    /// One even-odd path from a feature's polygon rings, clipped to the tile.
    fn polygon_path<'r>(
        &self,
        rings: impl Iterator<Item = crate::map::lod::Path<'r>>,
    ) -> Option<tiny_skia::Path> {
        let mut pb = PathBuilder::new();
        for ring in rings {
            let clipped = clip_ring(&self.to_px(ring), &self.clip);
            let mut pts = clipped.iter();
            let Some(first) = pts.next() else { continue };
            pb.move_to(first[0] as f32, first[1] as f32);
            for p in pts {
                pb.line_to(p[0] as f32, p[1] as f32);
            }
            pb.close();
        }
        pb.finish()
    }

    /// Zero the mask on the pixels wholly inside `extent` (world units). A pixel the extent's
    /// edge runs through keeps the coarse coverage: the detailed land's anti-aliased edge
    /// there only covers part of it, and clearing it too left a faint sea-coloured line
    /// along the edge (40° E on slide 1).
    fn clear_rect(&self, mask: &mut Mask, extent: &WorldRect) {
        let size = self.size_px as usize;
        let to_px = |w: f64, min: f64| (w - min) * self.px_per_world;
        let clamp = |v: f64| v.clamp(0.0, size as f64) as usize;
        let x0 = clamp(to_px(extent.min[0], self.rect.min[0]).ceil());
        let x1 = clamp(to_px(extent.max[0], self.rect.min[0]).floor());
        let y0 = clamp(to_px(extent.min[1], self.rect.min[1]).ceil());
        let y1 = clamp(to_px(extent.max[1], self.rect.min[1]).floor());
        if x0 >= x1 {
            return;
        }
        let data = mask.data_mut();
        for y in y0..y1 {
            data[y * size + x0..y * size + x1].fill(0);
        }
    }
}

/// The world rectangle of every vertex of `layer` (finest level).
fn layer_extent(layer: &Layer) -> Option<WorldRect> {
    let mut out: Option<WorldRect> = None;
    let full = layer.lod.full();
    for i in 0..full.len() {
        for p in full.shape(i).outlines().flatten() {
            out = Some(match out {
                None => WorldRect { min: *p, max: *p },
                Some(r) => WorldRect::from_corners(
                    [r.min[0].min(p[0]), r.min[1].min(p[1])],
                    [r.max[0].max(p[0]), r.max[1].max(p[1])],
                ),
            });
        }
    }
    out
}

fn line_colour(palette: &Palette, kind: LayerKind, layer_colour: Rgba) -> Rgba {
    if palette.use_layer_line_colours {
        layer_colour
    } else {
        palette.line_colour(kind).unwrap_or(layer_colour)
    }
}

fn open_path(points: &[Px]) -> Option<tiny_skia::Path> {
    let mut pts = points.iter();
    let first = pts.next()?;
    let mut pb = PathBuilder::new();
    pb.move_to(first[0] as f32, first[1] as f32);
    for p in pts {
        pb.line_to(p[0] as f32, p[1] as f32);
    }
    pb.finish()
}

fn paint(c: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c[0], c[1], c[2], c[3]);
    p.anti_alias = true;
    p
}

fn stroke(width: f32, dash: Option<([f32; 2], f32)>) -> Stroke {
    Stroke {
        width: width.max(0.1),
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        dash: dash.and_then(|(d, phase)| StrokeDash::new(d.to_vec(), phase)),
        ..Stroke::default()
    }
}

fn rgb_f32(c: Rgba) -> [f32; 3] {
    [f32::from(c[0]), f32::from(c[1]), f32::from(c[2])]
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}
