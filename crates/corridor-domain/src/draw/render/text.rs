//! Text for headless renders: glyph outlines from the embedded Ubuntu Light (egui's default
//! proportional font, so a rendered slide reads like the window) filled with tiny-skia's
//! anti-aliased rasterizer. No shaping beyond one glyph per character and no kerning: slide
//! captions and place names are short Latin text, and this keeps the renderer pure Rust with
//! no system fonts, no window and no GPU.
//!
//! Sizes are line heights in pixels (ascent + descent), the way egui's `FontId` sizes read.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};
use tiny_skia::{FillRule, LineCap, LineJoin, Paint, Path, PathBuilder, Pixmap, Stroke, Transform};

use super::paint::stroke_path;
use crate::map::style::Rgba;

/// The embedded font (Ubuntu Font Licence 1.0, see `assets/fonts/`).
pub static UBUNTU_LIGHT: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/fonts/Ubuntu-Light.ttf"
));

/// A glyph's outline (font units, y down) and advance (font units). `None` path: a space.
#[derive(Clone)]
struct Glyph {
    path: Option<Path>,
    advance: f32,
}

/// A loaded font with a cache of glyph outlines.
pub struct Font {
    data: &'static [u8],
    face: FontRef<'static>,
    /// Ascent above the baseline, font units.
    ascent: f32,
    /// Ascent + descent, font units: the line height a size refers to.
    height: f32,
    /// Shared so one renderer can serve several threads (the GUI exports on a worker).
    glyphs: Mutex<HashMap<char, Glyph>>,
}

/// How a run of text is painted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextStyle {
    /// Line height in pixels.
    pub size_px: f32,
    pub color: Rgba,
    /// Drawn heavier by stroking the outline as well (Ubuntu Light has no bold face here).
    pub bold: bool,
    /// A halo of this colour around the glyphs keeps labels readable over any basemap.
    pub halo: Option<Rgba>,
}

impl TextStyle {
    #[must_use]
    pub fn new(size_px: f32, color: Rgba) -> Self {
        Self {
            size_px,
            color,
            bold: false,
            halo: None,
        }
    }
}

/// Why the embedded font could not be used (a broken build, never user input).
#[derive(Debug, thiserror::Error)]
#[error("the embedded font cannot be read: {0}")]
pub struct FontError(String);

impl Font {
    /// The embedded Ubuntu Light.
    pub fn ubuntu_light() -> Result<Self, FontError> {
        Self::from_bytes(UBUNTU_LIGHT)
    }

    /// A font from TrueType/OpenType bytes.
    pub fn from_bytes(data: &'static [u8]) -> Result<Self, FontError> {
        let font = FontRef::new(data).map_err(|e| FontError(e.to_string()))?;
        let m = font.metrics(Size::unscaled(), LocationRef::default());
        let height = m.ascent - m.descent;
        if height.is_nan() || height <= 0.0 {
            return Err(FontError("the font has no line height".into()));
        }
        Ok(Self {
            data,
            face: font,
            ascent: m.ascent,
            height,
            glyphs: Mutex::new(HashMap::new()),
        })
    }

    /// Pixels per font unit at `size_px`.
    fn scale(&self, size_px: f32) -> f32 {
        size_px / self.height
    }

    fn glyph(&self, c: char) -> Glyph {
        // A panic elsewhere while holding the lock leaves a valid cache: keep using it.
        if let Some(g) = self
            .glyphs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&c)
        {
            return g.clone();
        }
        let gid = self.face.charmap().map(c).unwrap_or_default();
        let advance = self
            .face
            .glyph_metrics(Size::unscaled(), LocationRef::default())
            .advance_width(gid)
            .unwrap_or(0.0);
        let path = self.face.outline_glyphs().get(gid).and_then(|outline| {
            let mut pen = PathPen(PathBuilder::new());
            outline
                .draw(
                    DrawSettings::unhinted(Size::unscaled(), LocationRef::default()),
                    &mut pen,
                )
                .ok()?;
            pen.0.finish()
        });
        let g = Glyph { path, advance };
        self.glyphs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(c, g.clone());
        g
    }

    /// The em size (what a PDF calls the font size) of text `size_px` high.
    #[must_use]
    pub fn em_px(&self, size_px: f32) -> f32 {
        size_px * self.units_per_em() / self.height
    }

    /// Font units per em.
    #[must_use]
    pub fn units_per_em(&self) -> f32 {
        f32::from(self.face.head().map_or(1000, |h| h.units_per_em()))
    }

    /// From the top of a line `size_px` high down to its baseline, pixels.
    #[must_use]
    pub fn baseline_px(&self, size_px: f32) -> f32 {
        self.ascent * self.scale(size_px)
    }

    /// The glyph id of `c` (0, the missing glyph, when the font has none) and its advance in
    /// font units: what a PDF embedding the font needs.
    #[must_use]
    pub fn glyph_id_advance(&self, c: char) -> (u16, f32) {
        let gid = self.face.charmap().map(c).unwrap_or_default();
        (gid.to_u32() as u16, self.glyph(c).advance)
    }

    /// The font file's bytes.
    #[must_use]
    pub fn data(&self) -> &'static [u8] {
        self.data
    }

    /// Width of `text` in pixels at `size_px`.
    #[must_use]
    pub fn width_px(&self, text: &str, size_px: f32) -> f32 {
        let units: f32 = text.chars().map(|c| self.glyph(c).advance).sum();
        units * self.scale(size_px)
    }

    /// Draw `text` with its top-left corner at `(x, y)` (pixels); returns its width.
    pub fn draw(&self, pixmap: &mut Pixmap, text: &str, x: f32, y: f32, style: &TextStyle) -> f32 {
        let k = self.scale(style.size_px);
        let baseline = y + self.ascent * k;
        let mut pen_x = x;
        let mut fill = Paint::default();
        fill.set_color_rgba8(
            style.color[0],
            style.color[1],
            style.color[2],
            style.color[3],
        );
        fill.anti_alias = true;
        let glyphs: Vec<(f32, Glyph)> = text
            .chars()
            .map(|c| {
                let g = self.glyph(c);
                let at = pen_x;
                pen_x += g.advance * k;
                (at, g)
            })
            .collect();
        // Halo first, for the whole run, so a glyph's halo never covers its neighbour.
        if let Some(h) = style.halo {
            // 1 px on each side, like the GUI's eight 1-px offsets.
            let stroke = round_stroke(2.0 * style.size_px / 13.0 / k);
            for (at, g) in &glyphs {
                if let Some(path) = &g.path {
                    let t = glyph_transform(*at, baseline, k);
                    stroke_path(pixmap, path, h, stroke.clone(), t, k);
                }
            }
        }
        let bold = round_stroke(self.height * 0.035);
        for (at, g) in &glyphs {
            let Some(path) = &g.path else { continue };
            let t = glyph_transform(*at, baseline, k);
            pixmap.fill_path(path, &fill, FillRule::Winding, t, None);
            if style.bold {
                stroke_path(pixmap, path, style.color, bold.clone(), t, k);
            }
        }
        pen_x - x
    }

    /// `text` cut to fit `max_width_px`, with an ellipsis when it was cut.
    #[must_use]
    pub fn truncate(&self, text: &str, size_px: f32, max_width_px: f32) -> String {
        if self.width_px(text, size_px) <= max_width_px {
            return text.to_owned();
        }
        let ellipsis = self.width_px("…", size_px);
        let mut out = String::new();
        let mut w = 0.0;
        for c in text.chars() {
            let cw = self.width_px(c.encode_utf8(&mut [0; 4]), size_px);
            if w + cw + ellipsis > max_width_px {
                break;
            }
            w += cw;
            out.push(c);
        }
        out.truncate(out.trim_end().len());
        out.push('…');
        out
    }
}

/// A piece of a laid-out line: where it starts and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub x_px: f32,
    pub text: String,
    pub bold: bool,
}

/// Break rich text (`(text, bold)` pieces) into lines no wider than `max_width_px`, at spaces.
/// A word longer than a line gets a line of its own.
#[must_use]
pub fn wrap(
    font: &Font,
    pieces: &[(String, bool)],
    size_px: f32,
    max_width_px: f32,
) -> Vec<Vec<Run>> {
    // Words with the bold flag of the piece they are in; `glue` marks a word that continues
    // the previous one without a space (a bold part inside a word).
    let mut words: Vec<(String, bool, bool)> = Vec::new();
    let mut after_space = true;
    for (text, bold) in pieces {
        let mut first = true;
        let starts_with_space = text.starts_with(char::is_whitespace);
        for w in text.split_whitespace() {
            let glue = first && !starts_with_space && !after_space;
            words.push((w.to_owned(), *bold, glue));
            first = false;
        }
        if !text.is_empty() {
            after_space = text.ends_with(char::is_whitespace);
        }
    }
    let space = font.width_px(" ", size_px);
    let mut lines: Vec<Vec<Run>> = Vec::new();
    let mut line: Vec<Run> = Vec::new();
    let mut x = 0.0_f32;
    for (word, bold, glue) in words {
        let w = font.width_px(&word, size_px);
        let gap = if line.is_empty() || glue { 0.0 } else { space };
        if !line.is_empty() && !glue && x + gap + w > max_width_px {
            lines.push(std::mem::take(&mut line));
            x = 0.0;
            line.push(Run {
                x_px: 0.0,
                text: word,
                bold,
            });
            x += w;
            continue;
        }
        line.push(Run {
            x_px: x + gap,
            text: word,
            bold,
        });
        x += gap + w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn glyph_transform(x: f32, baseline: f32, k: f32) -> Transform {
    Transform::from_row(k, 0.0, 0.0, k, x, baseline)
}

fn round_stroke(width: f32) -> Stroke {
    Stroke {
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    }
}

/// Builds a tiny-skia path from an outline, flipping y (fonts grow up, pixmaps down).
struct PathPen(PathBuilder);

impl OutlinePen for PathPen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, -y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, -y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, -cy0, x, -y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, -cy0, cx1, -cy1, x, -y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
// Tests state what they expect with `expect("why")`; a failure message is the point.
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn text_is_drawn_where_asked_and_measured_like_it_is_drawn() {
        let font = Font::ubuntu_light().expect("embedded font");
        let mut p = Pixmap::new(200, 60).expect("pixmap");
        let style = TextStyle::new(30.0, [0, 0, 0, 255]);
        let w = font.draw(&mut p, "Herat", 10.0, 10.0, &style);
        assert!((w - font.width_px("Herat", 30.0)).abs() < 1e-3);
        assert!(w > 40.0 && w < 120.0, "{w}");
        let inked: Vec<(u32, u32)> = (0..60)
            .flat_map(|y| (0..200).map(move |x| (x, y)))
            .filter(|&(x, y)| p.pixel(x, y).is_some_and(|c| c.alpha() > 128))
            .collect();
        assert!(inked.len() > 100);
        assert!(inked.iter().all(|&(x, y)| x >= 10
            && f64::from(x) <= 12.0 + f64::from(w)
            && (8..=42).contains(&y)));
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let font = Font::ubuntu_light().expect("embedded font");
        let text = vec![
            ("Freight time cut from ".to_owned(), false),
            ("35 days to 3–5 days".to_owned(), true),
            (", the corridor's main promise.".to_owned(), false),
        ];
        let lines = wrap(&font, &text, 20.0, 150.0);
        assert!(lines.len() >= 3);
        for line in &lines {
            let last = line.last().expect("non-empty line");
            assert!(last.x_px + font.width_px(&last.text, 20.0) <= 150.0 + 1e-3);
        }
        assert!(lines.iter().flatten().any(|r| r.bold && r.text == "35"));
        // A space before a bold part stays a space; a bold part inside a word does not add one.
        let glued = wrap(
            &font,
            &[
                ("a ".into(), false),
                ("b".into(), true),
                ("c".into(), false),
            ],
            20.0,
            500.0,
        );
        let gap = glued[0][1].x_px - font.width_px("a", 20.0);
        assert!((gap - font.width_px(" ", 20.0)).abs() < 1e-3);
        assert!((glued[0][2].x_px - glued[0][1].x_px - font.width_px("b", 20.0)).abs() < 1e-3);
    }
}
