//! Where a slide's drawing goes: the pixmap, plus a record of every piece of text with its
//! place, size and role. The record is what a PDF deck draws as vector text over the map
//! image, and what tests read to check sizes (labels legible from the back row) and that no
//! legend entry was cut.

use tiny_skia::Pixmap;

use super::text::{Font, TextStyle};
use crate::map::style::Rgba;

/// What a piece of slide text is, so a deck can keep map labels in the image and set the
/// rest as text, and tests can find the labels or the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextRole {
    /// A place name on the map (always part of the map image).
    Label,
    Title,
    Caption,
    Legend,
    /// The comparison slide's table and chart text.
    Table,
    /// The scale bar's length.
    ScaleBar,
    SlideNumber,
    Attribution,
}

/// One piece of text as drawn: top-left corner and line height in image pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct TextRun {
    pub text: String,
    pub x_px: f32,
    pub y_px: f32,
    /// Line height (ascent + descent), the size [`Font::draw`] takes.
    pub size_px: f32,
    pub color: Rgba,
    pub bold: bool,
    pub role: TextRole,
}

/// The pixmap being drawn and the text drawn on it so far.
pub struct Canvas<'a> {
    pub pixmap: &'a mut Pixmap,
    pub runs: Vec<TextRun>,
    /// False for a PDF deck: text other than map labels is only recorded, the PDF sets it.
    pub raster_text: bool,
    /// Legend entries that did not fit whole (an honest report, expected empty).
    pub cut: Vec<String>,
}

impl<'a> Canvas<'a> {
    #[must_use]
    pub fn new(pixmap: &'a mut Pixmap, raster_text: bool) -> Self {
        Self {
            pixmap,
            runs: Vec::new(),
            raster_text,
            cut: Vec::new(),
        }
    }

    /// Draw (or, for vector decks, only record) `text` with its top-left corner at `(x, y)`;
    /// returns its width in pixels. Map labels are always drawn: they belong to the image.
    pub fn text(
        &mut self,
        font: &Font,
        text: &str,
        at: (f32, f32),
        style: &TextStyle,
        role: TextRole,
    ) -> f32 {
        let (x, y) = at;
        let width = if self.raster_text || role == TextRole::Label {
            font.draw(self.pixmap, text, x, y, style)
        } else {
            font.width_px(text, style.size_px)
        };
        if !text.trim().is_empty() {
            self.runs.push(TextRun {
                text: text.to_owned(),
                x_px: x,
                y_px: y,
                size_px: style.size_px,
                color: style.color,
                bold: style.bold,
                role,
            });
        }
        width
    }
}
