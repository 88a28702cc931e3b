//! Large layers drawn as cached raster tiles instead of per-frame vector shapes.
//!
//! A layer of 100k lines cannot be turned into egui shapes every frame (egui tessellates
//! every shape every frame). Once a layer (all parts sharing one id) has more than
//! [`LARGE_LAYER_SEGMENTS`] segments, its tiles are rendered on worker threads by
//! [`render_layer_tile`] — the same styles as the vector path — into a [`TilePool`], and a
//! frame only places a few textures. Hover, selection, snapping and hit tests still use the
//! layer's R-trees, exactly as for small layers.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::ColorImage;

use super::embedded::tile_px_for;
use super::pool::{LoadError, PoolConfig, TileLoader, TilePool};
use corridor_domain::Atlas;
use corridor_domain::draw::basemap::TileKey;
use corridor_domain::draw::render::map::render_layer_tile;
use corridor_domain::map::layer::Layer;

/// Layers with more segments than this are drawn from tiles.
pub const LARGE_LAYER_SEGMENTS: usize = 50_000;
/// While a layer is still growing, its tiles are re-rendered at most this often (each round
/// renders every visible tile again on a background core, and its textures are uploaded by the
/// UI thread: more often would slow the import and the frames for little news).
const REFRESH_WHILE_LOADING: Duration = Duration::from_millis(1500);
/// Tile images kept per tiled layer, old images (shown while a tile is re-rendered)
/// included: enough for a full-screen view at one zoom (a 1920×1080 view shows at most 54,
/// 9 × 6 at an integer zoom) and a few more, no more. At 1× that is 16 MiB of textures (and
/// as much again in a software renderer's copies); it was 96 MiB plus as much again of old
/// images, which after browsing held up to 2.2× a 92 MB network's file size on top of the
/// layer itself.
const CACHE_TILES: usize = 64;

/// The texture byte budget for [`CACHE_TILES`] tiles of `tile_px` (RGBA8).
fn cache_bytes_for(tile_px: u32) -> usize {
    CACHE_TILES * (tile_px as usize).pow(2) * 4
}
/// Deepest zoom rendered; deeper views scale these up (lines get thicker, not lost).
const MAX_ZOOM: u8 = 18;

/// Renders tiles of one set of layer parts.
struct PartsLoader {
    parts: Vec<Arc<Layer>>,
    tile_px: u32,
}

impl TileLoader for PartsLoader {
    fn load(&self, key: TileKey) -> Result<ColorImage, LoadError> {
        let pixmap = render_layer_tile(&self.parts, key, self.tile_px)
            .ok_or_else(|| LoadError::Permanent(format!("cannot render {}px", self.tile_px)))?;
        let size = [pixmap.width() as usize, pixmap.height() as usize];
        // tiny-skia pixels are premultiplied RGBA, what egui's textures take.
        Ok(ColorImage::from_rgba_premultiplied(size, pixmap.data()))
    }
}

struct Tiled {
    pool: TilePool,
    /// The parts the pool's loader draws (pointer identity tells when they changed).
    parts: Vec<Arc<Layer>>,
    updated: Instant,
}

/// The tile pools of the large layers of the atlas, by layer id.
pub struct LayerTiles {
    ctx: egui::Context,
    pools: HashMap<String, Tiled>,
    tile_px: u32,
}

impl LayerTiles {
    #[must_use]
    pub fn new(ctx: &egui::Context) -> Self {
        Self {
            ctx: ctx.clone(),
            pools: HashMap::new(),
            tile_px: tile_px_for(ctx.pixels_per_point()),
        }
    }

    /// Follow the atlas: a pool for every large layer, new parts drawn (throttled while a
    /// layer is still loading, `loading` ids), pools of removed layers dropped.
    pub fn sync(&mut self, atlas: &Atlas, loading: &[String]) {
        let mut groups: HashMap<&str, Vec<Arc<Layer>>> = HashMap::new();
        for layer in &atlas.layers {
            groups
                .entry(layer.id.as_str())
                .or_default()
                .push(Arc::clone(layer));
        }
        groups.retain(|_, parts| {
            parts.iter().map(|l| l.index.segment_count()).sum::<usize>() > LARGE_LAYER_SEGMENTS
        });
        self.pools.retain(|id, _| groups.contains_key(id.as_str()));
        let tile_px = tile_px_for(self.ctx.pixels_per_point());
        let density_changed = tile_px != self.tile_px;
        self.tile_px = tile_px;
        for (id, parts) in groups {
            let same = |t: &Tiled| {
                t.parts.len() == parts.len()
                    && t.parts.iter().zip(&parts).all(|(a, b)| Arc::ptr_eq(a, b))
            };
            let loader = |parts: &[Arc<Layer>]| -> Arc<dyn TileLoader> {
                Arc::new(PartsLoader {
                    parts: parts.to_vec(),
                    tile_px,
                })
            };
            match self.pools.get_mut(id) {
                Some(t) if same(t) && !density_changed => {}
                Some(t) => {
                    let still_loading = loading.iter().any(|l| l == id);
                    if !still_loading
                        || density_changed
                        || t.updated.elapsed() >= REFRESH_WHILE_LOADING
                    {
                        t.pool.set_cache_bytes(cache_bytes_for(tile_px));
                        t.pool.set_loader(Some(loader(&parts)), tile_px);
                        t.parts = parts;
                        t.updated = Instant::now();
                    }
                }
                None => {
                    let pool = TilePool::new(
                        &self.ctx,
                        PoolConfig {
                            name: parts.first().map_or_else(String::new, |l| l.title.clone()),
                            workers: 1,
                            max_zoom: MAX_ZOOM,
                            min_zoom: 0,
                            cache_bytes: cache_bytes_for(tile_px),
                            tile_px,
                            attribution: "",
                            attribution_url: "",
                        },
                        Some(loader(&parts)),
                    );
                    self.pools.insert(
                        id.to_owned(),
                        Tiled {
                            pool,
                            parts,
                            updated: Instant::now(),
                        },
                    );
                }
            }
        }
        for (id, t) in &mut self.pools {
            // Tiles of a layer still loading are a refresh, not news: they share frames.
            let within = if loading.iter().any(|l| l == id) {
                crate::app::jobs::STREAM_REPAINT
            } else {
                Duration::ZERO
            };
            t.pool.set_repaint_within(within);
            t.pool.poll();
        }
    }

    /// The egui context the textures belong to.
    #[must_use]
    pub fn ctx(&self) -> &egui::Context {
        &self.ctx
    }

    /// Whether the layer `id` is drawn from tiles (the vector path must skip it).
    #[must_use]
    pub fn is_tiled(&self, id: &str) -> bool {
        self.pools.contains_key(id)
    }

    /// Tiles being rendered, over all pools (for the status bar and tests).
    #[must_use]
    pub fn in_progress(&self) -> usize {
        self.pools.values().map(|t| t.pool.in_progress()).sum()
    }

    /// Add the tile layers to `map`, with `opacity(id)` (`None`: hidden).
    pub fn with_layers<'a, 'b, 'c>(
        &'b mut self,
        mut map: walkers::Map<'a, 'b, 'c>,
        opacity: impl Fn(&str) -> Option<f32>,
    ) -> walkers::Map<'a, 'b, 'c> {
        let mut pools: Vec<(&String, &mut Tiled)> = self.pools.iter_mut().collect();
        pools.sort_by(|a, b| a.0.cmp(b.0));
        for (id, t) in pools {
            if let Some(o) = opacity(id).filter(|&o| o > 0.0) {
                map = map.with_layer(&mut t.pool, o);
            }
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiled_layer_keeps_64_tiles_whatever_the_density() {
        // 64 × 256² × 4 B = 16 MiB at 1×; 64 × 512² × 4 B = 64 MiB at 2×.
        assert_eq!(cache_bytes_for(256), 16 << 20);
        assert_eq!(cache_bytes_for(512), 64 << 20);
    }
}
