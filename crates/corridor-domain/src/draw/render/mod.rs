//! Headless slide rendering: a story slide as a PNG, with no window, X server or GPU — for
//! "Export slides as PNG", the `render` command and CI.
//!
//! A slide is drawn the way presentation mode shows it: the embedded basemap at the slide's
//! camera ([`crate::plan::scenario::story::slide_camera`]), the slide's layers with the
//! GUI's styles, place labels by the GUI's rules, the alternatives (highlighted ones bold,
//! others dimmed), the caption panel, a legend, the slide number and the attribution.
//!
//! - [`map`]: basemap compositing, vector layers, labels, alternatives.
//! - [`lanes`]: side-by-side lanes where alternatives share track.
//! - [`overlay`]: caption, legend, slide number, attribution.
//! - [`comparison`]: the comparison slide's ledger table and existing/new-build chart.
//! - [`scalebar`]: the geodesic scale bar.
//! - [`ink`]: the canvas, which records every text run (for PDF decks and tests).
//! - [`deck`]: the story as a PDF (map as image, text as text).
//! - [`paint`]: paints and strokes shared by the others.
//! - [`text`]: glyphs of the embedded font, filled by tiny-skia.
//!
//! Overlay sizes scale with the image height (1 at 1080 px), and so does the map: a 480×270
//! render is a miniature of the 1920×1080 one.

pub mod comparison;
pub mod deck;
pub mod ink;
pub mod lanes;
pub mod map;
pub mod overlay;
pub mod paint;
pub mod scalebar;
pub mod text;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use tiny_skia::Pixmap;

use crate::Atlas;
use crate::atlas::bundled::ATTRIBUTION;
use crate::draw::basemap::{BasemapRenderer, BasemapStyle};
use crate::map::mercator::{lonlat_from_world, world_from_lonlat};
use crate::measure::ledger::LedgerContext;
use crate::plan::scenario::io::{ScenarioError, write_atomic};
use crate::plan::scenario::model::Scenario;
use crate::plan::scenario::story::{SlideKind, SlideLayout, slide_camera};
use comparison::{comparison_entries, draw_comparison, slide_rows};
use ink::{Canvas, TextRun};
use overlay::legend_ids;
use scalebar::{ScaleBar, draw_scale_bar};

pub use text::{Font, FontError};

/// A rendered slide: the image and every piece of text on it.
pub struct SlideFrame {
    pub pixmap: Pixmap,
    /// Every text run drawn or (for a vector deck) left to draw, in drawing order.
    pub runs: Vec<TextRun>,
    /// Legend entries that could not be shown whole (expected empty).
    pub cut: Vec<String>,
}

/// Largest image edge we render (pixels): 8K; beyond that a typo, not a slide.
pub const MAX_EDGE_PX: u32 = 8192;

/// Why a slide could not be rendered or saved.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("there is no slide {number}: the story has {count} slide(s)")]
    NoSuchSlide {
        /// 1-based, as people count slides.
        number: usize,
        count: usize,
    },
    #[error("the story has no slides: capture one in the Story panel first")]
    NoSlides,
    #[error("{width}×{height} is not a usable image size (1 to {MAX_EDGE_PX} pixels each way)")]
    BadSize { width: u32, height: u32 },
    #[error(transparent)]
    Font(#[from] FontError),
    #[error("{file}: cannot encode the PNG: {message}")]
    Encode { file: String, message: String },
    #[error(transparent)]
    Save(#[from] ScenarioError),
}

/// Whether a layer shows when a slide leaves the layers as they are: everything except the
/// layers the embedded basemap already paints (the GUI's first-start default).
#[must_use]
pub fn layer_visible_by_default(id: &str) -> bool {
    !matches!(id, "world_land" | "land" | "lakes" | "rivers" | "coastline")
}

/// Renders slides of one atlas; keeps the basemap renderer (relief slopes, layer look-ups)
/// and the font between slides, so rendering a whole story prepares them once.
pub struct SlideRenderer {
    basemap: BasemapRenderer,
    font: Font,
    /// The ledger context of comparison slides: the app's own (with its DEM and imported
    /// track) when given, else the atlas's, built on first use.
    ledger: OnceLock<Arc<LedgerContext>>,
    /// Shown on every slide.
    pub attribution: String,
}

impl SlideRenderer {
    /// Prepare for `atlas` (tens of milliseconds in a release build).
    pub fn new(atlas: Arc<Atlas>) -> Result<Self, RenderError> {
        Ok(Self {
            basemap: BasemapRenderer::new(atlas),
            font: Font::ubuntu_light()?,
            ledger: OnceLock::new(),
            attribution: ATTRIBUTION.to_owned(),
        })
    }

    /// Use `ctx` for the ledgers of comparison slides (the GUI passes the context its
    /// Compare panel uses, so a slide shows the panel's figures).
    #[must_use]
    pub fn with_ledger_context(self, ctx: Arc<LedgerContext>) -> Self {
        let ledger = OnceLock::new();
        let _ = ledger.set(ctx);
        Self { ledger, ..self }
    }

    /// The embedded font the slides are drawn with.
    #[must_use]
    pub fn font(&self) -> &Font {
        &self.font
    }

    /// The atlas this renderer draws.
    #[must_use]
    pub fn atlas(&self) -> &Arc<Atlas> {
        self.basemap.atlas()
    }

    /// Slide `slide_index` (0-based) of `scenario`'s story as a `size_px` (width, height)
    /// image in `style`.
    pub fn render(
        &self,
        scenario: &Scenario,
        slide_index: usize,
        size_px: (u32, u32),
        style: BasemapStyle,
    ) -> Result<Pixmap, RenderError> {
        Ok(self
            .render_frame(scenario, slide_index, size_px, style, true)?
            .pixmap)
    }

    /// Slide `slide_index` as [`SlideFrame`]: the image and its text runs. With
    /// `raster_text` false only the map labels are in the image and the other text is left
    /// for a vector deck to set from the runs.
    pub fn render_frame(
        &self,
        scenario: &Scenario,
        slide_index: usize,
        size_px: (u32, u32),
        style: BasemapStyle,
        raster_text: bool,
    ) -> Result<SlideFrame, RenderError> {
        let (width, height) = size_px;
        let bad_size = RenderError::BadSize { width, height };
        if !(1..=MAX_EDGE_PX).contains(&width) || !(1..=MAX_EDGE_PX).contains(&height) {
            return Err(bad_size);
        }
        let Some(slide) = scenario.story.slides.get(slide_index) else {
            return Err(RenderError::NoSuchSlide {
                number: slide_index + 1,
                count: scenario.story.slides.len(),
            });
        };
        let mut pixmap = Pixmap::new(width, height).ok_or(bad_size)?;
        let viewport = (f64::from(width), f64::from(height));
        let layout = SlideLayout::new(viewport.0, viewport.1);
        let camera = slide_camera(slide, scenario, viewport);
        let view = map::View::new(camera, size_px, layout.scale);
        let atlas = self.atlas();
        let visible: Vec<bool> = atlas
            .layers
            .iter()
            .map(|l| match &slide.layers {
                Some(ids) => ids.iter().any(|id| *id == l.id),
                None => layer_visible_by_default(&l.id),
            })
            .collect();
        let dark = style == BasemapStyle::Dark;
        map::draw_basemap(&mut pixmap, &self.basemap, &view, style);
        map::draw_layers(&mut pixmap, atlas, &visible, &view);
        map::draw_alignments(&mut pixmap, scenario, slide, &view);
        let mut canvas = Canvas::new(&mut pixmap, raster_text);
        // The corridor: the alternatives the legend lists, one polyline each.
        let corridor: Vec<Vec<_>> = legend_ids(slide, scenario)
            .into_iter()
            .filter_map(|id| scenario.alignment(id))
            .map(|a| {
                a.vertices
                    .iter()
                    .map(|v| world_from_lonlat(v.lon, v.lat))
                    .collect()
            })
            .collect();
        map::draw_labels(
            &mut canvas,
            atlas,
            &visible,
            &view,
            &self.font,
            (layout.label_px as f32, dark),
            &corridor,
        );
        let ctx = self
            .ledger
            .get_or_init(|| Arc::new(LedgerContext::new(atlas)));
        let rows = slide_rows(slide, scenario, ctx);
        if slide.kind == SlideKind::Comparison {
            let entries = comparison_entries(slide, scenario, ctx);
            draw_comparison(
                &mut canvas,
                &self.font,
                &layout,
                &entries,
                dark,
                "No alternatives to compare: highlight some on this slide.",
            );
        } else {
            self.draw_scale_bar(&mut canvas, &layout, &view, dark);
        }
        overlay::draw_overlay(
            &mut canvas,
            &self.font,
            &layout,
            scenario,
            slide_index,
            &rows,
            (dark, &self.attribution),
        );
        let Canvas { runs, cut, .. } = canvas;
        Ok(SlideFrame { pixmap, runs, cut })
    }

    /// The scale bar at the bottom right of the map frame, measured where it stands.
    fn draw_scale_bar(
        &self,
        canvas: &mut Canvas<'_>,
        layout: &SlideLayout,
        view: &map::View,
        dark: bool,
    ) {
        let s = layout.scale;
        let right = layout.map_frame_px[2] - 12.0 * s;
        let y = layout.map_frame_px[3] - 14.0 * s;
        let span = 100.0 * s;
        let a = lonlat_from_world(view.world_at([right - span, y]));
        let b = lonlat_from_world(view.world_at([right, y]));
        if let Some(bar) = ScaleBar::between(a, b, span, 260.0 * s) {
            draw_scale_bar(
                canvas,
                &self.font,
                &bar,
                right as f32,
                y as f32,
                s as f32,
                dark,
            );
        }
    }
}

/// Render slide `slide_index` (0-based) of `scenario` over `atlas` at `size_px` (width,
/// height). For several slides, keep a [`SlideRenderer`] instead (it prepares once).
pub fn render_slide(
    atlas: &Atlas,
    scenario: &Scenario,
    slide_index: usize,
    size_px: (u32, u32),
    style: BasemapStyle,
) -> Result<Pixmap, RenderError> {
    // Layers are shared (`Arc`): this clone copies pointers, not data.
    SlideRenderer::new(Arc::new(atlas.clone()))?.render(scenario, slide_index, size_px, style)
}

/// Write `pixmap` to `path` as a PNG, atomically (a crash never leaves half a file).
pub fn save_png(pixmap: &Pixmap, path: &Path) -> Result<(), RenderError> {
    let bytes = pixmap.encode_png().map_err(|e| RenderError::Encode {
        file: path.display().to_string(),
        message: e.to_string(),
    })?;
    write_atomic(path, &bytes)?;
    Ok(())
}

#[cfg(test)]
// Tests state what they expect with `expect("why")`; a failure message is the point.
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::plan::scenario::model::{Alignment, AlignmentId, Vertex};
    use crate::plan::scenario::story::{Slide, SlideId, SlideView};

    fn scenario() -> Scenario {
        let mut s = Scenario::new();
        let mut a = Alignment::new(AlignmentId(1), "Herat – Kandahar");
        a.vertices = vec![Vertex::new(62.2, 34.35), Vertex::new(65.7, 31.6)];
        s.alignments.push(a);
        let mut slide = Slide::new(SlideId(1), "Kandahar");
        slide.view = SlideView::Center {
            lon: 64.0,
            lat: 33.0,
            zoom: 5.0,
        };
        s.story.slides.push(slide);
        s
    }

    #[test]
    fn an_empty_atlas_renders_sea_caption_and_alternative() {
        let p = render_slide(
            &Atlas::default(),
            &scenario(),
            0,
            (320, 180),
            BasemapStyle::Light,
        )
        .expect("renders");
        assert_eq!((p.width(), p.height()), (320, 180));
    }

    #[test]
    fn bad_sizes_and_missing_slides_are_errors_not_panics() {
        let atlas = Atlas::default();
        let s = scenario();
        assert!(matches!(
            render_slide(&atlas, &s, 0, (0, 10), BasemapStyle::Light),
            Err(RenderError::BadSize { .. })
        ));
        let err =
            render_slide(&atlas, &s, 3, (10, 10), BasemapStyle::Light).expect_err("no slide 4");
        assert_eq!(
            err.to_string(),
            "there is no slide 4: the story has 1 slide(s)"
        );
    }
}
