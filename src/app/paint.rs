//! Turning domain styles and world-unit geometry into egui shapes.

use egui::epaint::{CircleShape, Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, Stroke, pos2, vec2};
use walkers::Projector;

use corridor_domain::draw::render::scalebar::ScaleBar;
use corridor_domain::map::lod::FillMesh;
use corridor_domain::map::mercator::{
    WorldPoint, WorldRect, lonlat_from_world, world_from_lonlat, world_size_px,
};
use corridor_domain::map::style::{Dash, LineStyle, MarkerShape, MarkerStyle, Rgba};

/// An RGBA style colour with a layer opacity applied.
#[must_use]
pub fn color(c: Rgba, opacity: f32) -> Color32 {
    let a = (f32::from(c[3]) * opacity.clamp(0.0, 1.0)).round() as u8;
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], a)
}

/// World units <-> screen pixels for one frame. Computed once from walkers' projector so that
/// drawing thousands of vertices is a multiply-add each, not a Mercator projection each.
#[derive(Clone, Copy, Debug)]
pub struct ScreenTransform {
    center_world: WorldPoint,
    px_per_world: f64,
    clip_center: Pos2,
    pub zoom: f64,
}

impl ScreenTransform {
    /// The transform walkers' `projector` uses this frame.
    #[must_use]
    pub fn from_projector(projector: &Projector) -> Self {
        let clip_center = projector.clip_rect().center();
        let c = projector.unproject(clip_center.to_vec2());
        Self::new(
            world_from_lonlat(c.x(), c.y()),
            projector.zoom(),
            clip_center,
        )
    }

    /// A transform centred on `center_world` at `zoom`, with that centre drawn at `clip_center`.
    #[must_use]
    pub fn new(center_world: WorldPoint, zoom: f64, clip_center: Pos2) -> Self {
        Self {
            center_world,
            px_per_world: world_size_px(zoom),
            clip_center,
            zoom,
        }
    }

    /// Screen position of a world point.
    #[must_use]
    pub fn screen(&self, w: WorldPoint) -> Pos2 {
        pos2(
            self.clip_center.x + ((w[0] - self.center_world[0]) * self.px_per_world) as f32,
            self.clip_center.y + ((w[1] - self.center_world[1]) * self.px_per_world) as f32,
        )
    }

    /// World point under a screen position.
    #[must_use]
    pub fn world(&self, s: Pos2) -> WorldPoint {
        [
            self.center_world[0] + f64::from(s.x - self.clip_center.x) / self.px_per_world,
            self.center_world[1] + f64::from(s.y - self.clip_center.y) / self.px_per_world,
        ]
    }

    /// World units per screen pixel.
    #[must_use]
    pub fn world_per_px(&self) -> f64 {
        1.0 / self.px_per_world
    }

    /// The world rectangle a screen rectangle shows.
    #[must_use]
    pub fn view_rect(&self, rect: Rect) -> WorldRect {
        WorldRect::from_corners(self.world(rect.min), self.world(rect.max))
    }
}

/// Shapes for a polyline in a line style.
pub fn push_line(out: &mut Vec<Shape>, points: Vec<Pos2>, style: &LineStyle, opacity: f32) {
    let c = color(style.color, opacity);
    let w = style.width_px;
    match style.dash {
        Dash::Solid => out.push(Shape::line(points, Stroke::new(w, c))),
        Dash::Dashed => out.extend(Shape::dashed_line(
            &points,
            Stroke::new(w, c),
            3.0 * w + 4.0,
            2.0 * w + 2.0,
        )),
        Dash::Dotted => out.extend(Shape::dotted_line(&points, c, 2.0 * w + 2.0, w * 0.6)),
    }
}

/// Shapes for a point symbol.
pub fn push_marker(out: &mut Vec<Shape>, at: Pos2, m: &MarkerStyle, opacity: f32) {
    let fill = color(m.fill, opacity);
    let stroke = Stroke::new(1.2, color(m.stroke, opacity));
    let r = m.radius_px;
    match m.shape {
        MarkerShape::Circle => out.push(Shape::Circle(CircleShape {
            center: at,
            radius: r,
            fill,
            stroke,
        })),
        MarkerShape::CircleDot => {
            out.push(Shape::Circle(CircleShape {
                center: at,
                radius: r,
                fill,
                stroke: Stroke::new(1.6, color(m.stroke, opacity)),
            }));
            out.push(Shape::circle_filled(at, r * 0.45, color(m.stroke, opacity)));
        }
        MarkerShape::Square => out.push(Shape::rect_filled(
            Rect::from_center_size(at, vec2(2.0 * r, 2.0 * r)),
            1.0,
            fill,
        )),
        MarkerShape::Diamond => out.push(Shape::convex_polygon(
            vec![
                at + vec2(0.0, -r),
                at + vec2(r, 0.0),
                at + vec2(0.0, r),
                at + vec2(-r, 0.0),
            ],
            fill,
            stroke,
        )),
        MarkerShape::Triangle => out.push(Shape::convex_polygon(
            vec![
                at + vec2(0.0, -r),
                at + vec2(r * 0.95, r * 0.7),
                at + vec2(-r * 0.95, r * 0.7),
            ],
            fill,
            stroke,
        )),
        MarkerShape::CrossedCircle => {
            let s = Stroke::new(2.0, color(m.stroke, opacity));
            out.push(Shape::Circle(CircleShape {
                center: at,
                radius: r,
                fill,
                stroke: s,
            }));
            let d = r * 0.7;
            out.push(Shape::line_segment([at + vec2(-d, -d), at + vec2(d, d)], s));
            out.push(Shape::line_segment([at + vec2(-d, d), at + vec2(d, -d)], s));
        }
    }
}

/// A filled mesh from a precomputed triangulation.
pub fn fill_shape(mesh: &FillMesh, t: &ScreenTransform, fill: Color32) -> Shape {
    let mut m = Mesh::default();
    m.vertices.reserve(mesh.vertices.len());
    m.vertices.extend(mesh.vertices.iter().map(|&w| Vertex {
        pos: t.screen(w),
        uv: WHITE_UV,
        color: fill,
    }));
    m.indices.clone_from(&mesh.indices);
    Shape::mesh(m)
}

/// The map's scale bar, bottom right above the attribution: the round length of the
/// headless slides' [`ScaleBar`], measured geodesically (WGS84) along the bar itself, so the
/// window, presentation mode and exported slides agree. `s` scales it (1 in the planner,
/// the slide scale when presenting).
pub fn draw_scale_bar(
    painter: &egui::Painter,
    t: &ScreenTransform,
    rect: Rect,
    dark: bool,
    s: f32,
) {
    let right = rect.right() - 12.0 * s;
    let y = rect.bottom() - 30.0 * s.max(1.0) - 12.0 * s;
    let span = 100.0 * s;
    let lonlat = |x: f32| lonlat_from_world(t.world(pos2(x, y)));
    let Some(bar) = ScaleBar::between(
        lonlat(right - span),
        lonlat(right),
        f64::from(span),
        f64::from(160.0 * s),
    ) else {
        return;
    };
    let len = bar.length_px as f32;
    let (ink, plate) = if dark {
        (Color32::from_gray(235), Color32::from_black_alpha(150))
    } else {
        (Color32::from_gray(30), Color32::from_white_alpha(200))
    };
    let galley = painter.layout_no_wrap(bar.label(), egui::FontId::proportional(12.0 * s), ink);
    let pad = 5.0 * s;
    let left = right - len;
    let top = y - galley.size().y - 2.0 * pad;
    painter.rect_filled(
        Rect::from_min_max(pos2(left - pad, top), pos2(right + pad, y + pad)),
        3.0 * s,
        plate,
    );
    let tick = 6.0 * s;
    painter.line(
        vec![
            pos2(left, y - tick),
            pos2(left, y),
            pos2(right, y),
            pos2(right, y - tick),
        ],
        Stroke::new(2.0 * s, ink),
    );
    painter.galley(
        pos2(left + (len - galley.size().x) / 2.0, top + pad * 0.5),
        galley,
        ink,
    );
}

/// Draw `text` with a halo so it stays readable over any basemap.
pub fn halo_text(
    painter: &egui::Painter,
    pos: Pos2,
    galley: &std::sync::Arc<egui::Galley>,
    text: Color32,
    halo: Color32,
) {
    for (dx, dy) in [
        (-1.0, 0.0),
        (1.0, 0.0),
        (0.0, -1.0),
        (0.0, 1.0),
        (-1.0, -1.0),
        (1.0, 1.0),
        (-1.0, 1.0),
        (1.0, -1.0),
    ] {
        painter.galley_with_override_text_color(pos + vec2(dx, dy), galley.clone(), halo);
    }
    painter.galley_with_override_text_color(pos, galley.clone(), text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use walkers::{MapMemory, MercatorProjection, lon_lat};

    #[test]
    fn our_transform_agrees_with_walkers_projector() -> Result<(), walkers::InvalidZoom> {
        let mut memory = MapMemory::default();
        memory.set_zoom(6.3)?;
        memory.center_at(lon_lat(66.0, 36.0));
        let rect = Rect::from_min_size(pos2(10.0, 20.0), vec2(1000.0, 700.0));
        let projector = Projector::new(rect, &MercatorProjection, &memory, lon_lat(0.0, 0.0));
        let t = ScreenTransform::from_projector(&projector);
        for (lon, lat) in [(69.17, 34.53), (67.0, 24.86), (60.0, 40.0)] {
            let ours = t.screen(world_from_lonlat(lon, lat));
            let theirs = projector.project(lon_lat(lon, lat)).to_pos2();
            assert!((ours - theirs).length() < 0.05, "{ours:?} vs {theirs:?}");
        }
        Ok(())
    }
}
