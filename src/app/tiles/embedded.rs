//! The embedded basemap as a walkers tile source: [`BasemapRenderer`] on the pool's workers.

use std::sync::Arc;

use egui::ColorImage;

use super::pool::{LoadError, TileLoader};
use corridor_domain::draw::basemap::{BasemapRenderer, BasemapStyle, TileKey};

/// Deepest zoom rendered; deeper views scale these up (the data holds no more detail).
pub const EMBEDDED_MAX_ZOOM: u8 = 16;

/// Renders tiles of one style at one pixel size.
pub struct EmbeddedLoader {
    pub renderer: Arc<BasemapRenderer>,
    pub style: BasemapStyle,
    pub tile_px: u32,
}

impl TileLoader for EmbeddedLoader {
    fn load(&self, key: TileKey) -> Result<ColorImage, LoadError> {
        let pixmap = self
            .renderer
            .render(key, self.style, self.tile_px)
            .ok_or_else(|| LoadError::Permanent(format!("cannot render {}px", self.tile_px)))?;
        let size = [pixmap.width() as usize, pixmap.height() as usize];
        // Every pixel is opaque, so premultiplied and straight alpha are the same bytes.
        Ok(ColorImage::from_rgba_premultiplied(size, pixmap.data()))
    }
}

/// Texture edge for a screen density: 256 px per 256-point tile at 1×, more on denser
/// screens so lines stay crisp, rounded up to a multiple of 64 and capped at 1024.
#[must_use]
pub fn tile_px_for(pixels_per_point: f32) -> u32 {
    let px = (256.0 * pixels_per_point.clamp(1.0, 4.0)).ceil() as u32;
    px.div_ceil(64).saturating_mul(64).clamp(256, 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texture_size_follows_the_screen_density() {
        assert_eq!(tile_px_for(1.0), 256);
        assert_eq!(tile_px_for(2.0), 512);
        assert_eq!(tile_px_for(1.25), 320);
        assert_eq!(tile_px_for(0.5), 256);
        assert_eq!(tile_px_for(8.0), 1024);
    }
}
