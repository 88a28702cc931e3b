//! Headless slide rendering: a story slide as a PNG, with no window, X server or GPU — for
//! "Export slides as PNG", the `render` command and CI.
//!
//! A slide is drawn the way presentation mode shows it: the embedded basemap at the slide's
//! camera ([`crate::plan::scenario::story::slide_camera`]), the slide's layers with the
//! GUI's styles, place labels by the GUI's rules, the alternatives (highlighted ones bold,
//! others dimmed), the caption panel, a legend, the slide number and the attribution.
//!
//! - [`map`]: basemap compositing, vector layers, labels, alternatives.
//! - [`overlay`]: caption, legend, slide number, attribution.
//! - [`paint`]: paints and strokes shared by the others.
//! - [`text`]: glyphs of the embedded font, filled by tiny-skia.
//!
//! Overlay sizes scale with the image height (1 at 1080 px), and so does the map: a 480×270
//! render is a miniature of the 1920×1080 one.

pub mod map;
pub mod overlay;
pub mod paint;
pub mod text;

use std::path::Path;
use std::sync::Arc;

use tiny_skia::Pixmap;

use crate::Atlas;
use crate::atlas::bundled::ATTRIBUTION;
use crate::draw::basemap::{BasemapRenderer, BasemapStyle};
use crate::plan::scenario::io::{ScenarioError, write_atomic};
use crate::plan::scenario::model::Scenario;
use crate::plan::scenario::story::{SlideLayout, slide_camera};

pub use text::{Font, FontError};

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
    /// Shown on every slide.
    pub attribution: String,
}

impl SlideRenderer {
    /// Prepare for `atlas` (tens of milliseconds in a release build).
    pub fn new(atlas: Arc<Atlas>) -> Result<Self, RenderError> {
        Ok(Self {
            basemap: BasemapRenderer::new(atlas),
            font: Font::ubuntu_light()?,
            attribution: ATTRIBUTION.to_owned(),
        })
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
        map::draw_labels(&mut pixmap, atlas, &visible, &view, &self.font, dark);
        map::draw_alignments(&mut pixmap, scenario, slide, &view);
        overlay::draw_overlay(
            &mut pixmap,
            &self.font,
            &layout,
            scenario,
            slide_index,
            dark,
            &self.attribution,
        );
        Ok(pixmap)
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
