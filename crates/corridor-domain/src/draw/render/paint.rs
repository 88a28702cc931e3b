//! tiny-skia paints and strokes shared by the map, the text and the overlay of a slide (its
//! own module so that the map and the text, which both stroke paths, do not import each
//! other).

use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Rect, Stroke, Transform};

use crate::map::style::Rgba;

/// Thinnest stroke (pixels) drawn as a real stroke; thinner ones get this width and a
/// proportionally lower alpha instead. tiny-skia draws strokes of a pixel or less as
/// anti-aliased hairlines, whose scanner trips a debug assertion on some geometry (harmless
/// in release builds, a panic in debug ones): thumbnails must not depend on the build.
const MIN_STROKE_PX: f32 = 1.05;

/// Stroke `path` in colour `c`; `scale` is the pixels per path unit of `transform` (to tell
/// the stroke's width on screen). See [`MIN_STROKE_PX`].
pub fn stroke_path(
    pixmap: &mut Pixmap,
    path: &tiny_skia::Path,
    c: Rgba,
    mut stroke: Stroke,
    transform: Transform,
    scale: f32,
) {
    let mut c = c;
    let on_screen = stroke.width * scale;
    if on_screen.is_nan() || on_screen <= 0.0 || !scale.is_finite() || scale <= 0.0 {
        return;
    }
    if on_screen < MIN_STROKE_PX {
        c[3] = (f32::from(c[3]) * on_screen / MIN_STROKE_PX).round() as u8;
        stroke.width = MIN_STROKE_PX / scale;
    }
    pixmap.stroke_path(path, &paint(c), &stroke, transform, None);
}

/// An anti-aliased paint of a straight-alpha colour.
#[must_use]
pub fn paint(c: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c[0], c[1], c[2], c[3]);
    p.anti_alias = true;
    p
}

/// A tiny-skia colour from a straight-alpha RGBA.
#[must_use]
pub fn color(c: Rgba) -> tiny_skia::Color {
    tiny_skia::Color::from_rgba8(c[0], c[1], c[2], c[3])
}

/// Fill a rectangle with rounded corners of radius `r`.
#[allow(
    clippy::many_single_char_names,
    reason = "x, y, w, h, r, k, c: the usual names of a rounded rectangle"
)]
pub fn rounded_rect(pixmap: &mut Pixmap, x: f32, y: f32, w: f32, h: f32, r: f32, c: Rgba) {
    let r = r.min(w / 2.0).min(h / 2.0).max(0.0);
    let Some(_) = Rect::from_xywh(x, y, w, h) else {
        return;
    };
    // Cubic approximation of a quarter circle.
    let k = r * 0.552_284_8;
    let mut pb = PathBuilder::new();
    pb.move_to(x + r, y);
    pb.line_to(x + w - r, y);
    pb.cubic_to(x + w - r + k, y, x + w, y + r - k, x + w, y + r);
    pb.line_to(x + w, y + h - r);
    pb.cubic_to(x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h);
    pb.line_to(x + r, y + h);
    pb.cubic_to(x + r - k, y + h, x, y + h - r + k, x, y + h - r);
    pb.line_to(x, y + r);
    pb.cubic_to(x, y + r - k, x + r - k, y, x + r, y);
    pb.close();
    if let Some(path) = pb.finish() {
        pixmap.fill_path(
            &path,
            &paint(c),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}
