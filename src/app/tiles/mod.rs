//! Basemap tile sources: the embedded offline basemap (always drawn, bottom layer) and,
//! on top of it when chosen, an online XYZ server or a local `PMTiles` file.
//!
//! - [`pool`]: worker threads, texture LRU, parent-tile stand-ins; a walkers `Tiles`.
//! - [`embedded`]: the domain's [`BasemapRenderer`] as a pool loader.
//! - [`remote`]: XYZ over HTTP(S) with `ureq` (rustls + ring), [`disk_cache`] beneath it.
//! - [`pmtiles`]: a `PMTiles` v3 reader.
//!
//! Because the embedded layer is always underneath, a failing provider (offline, 4xx/5xx,
//! timeouts, garbage) leaves a usable map; the failure is reported once in the status bar.

pub mod disk_cache;
pub mod embedded;
pub mod layer_tiles;
pub mod mbtiles;
pub mod pmtiles;
pub mod pool;
pub mod remote;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::jobs::Job;
use corridor_domain::Atlas;
use corridor_domain::draw::basemap::{BasemapRenderer, BasemapStyle};
use disk_cache::DiskCache;
use embedded::{EMBEDDED_MAX_ZOOM, EmbeddedLoader, tile_px_for};
use pool::{PoolConfig, TileLoader, TilePool};
use remote::HttpLoader;

/// Texture memory the embedded layer may hold (its bound; see `benches/basemap.rs`).
pub const EMBEDDED_CACHE_BYTES: usize = 96 * 1024 * 1024;
/// Texture memory an online or file layer may hold.
pub const OVERLAY_CACHE_BYTES: usize = 64 * 1024 * 1024;
/// Give up on one HTTP tile after this long.
pub const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the basemap comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceKind {
    /// Rendered from the bundled data; needs nothing.
    #[default]
    Embedded,
    OpenStreetMap,
    OpenTopoMap,
    /// EOX Sentinel-2 cloudless 2020 imagery.
    Sentinel2Cloudless,
    /// A user's XYZ server (`BasemapSettings::custom_url`).
    CustomXyz,
    /// A local `.pmtiles` file (`BasemapSettings::file_path`).
    File,
}

/// A built-in online source.
pub struct Online {
    pub kind: SourceKind,
    pub label: &'static str,
    pub template: &'static str,
    /// Text the provider's terms require on the map.
    pub attribution: &'static str,
    pub attribution_url: &'static str,
    pub max_zoom: u8,
    /// Subdirectory of the disk cache.
    pub cache_ns: &'static str,
}

/// The built-in online sources. Their terms: `OpenStreetMap`'s tile usage policy (identifying
/// User-Agent, attribution, no bulk downloads: we fetch only what is viewed, two at a time,
/// and cache on disk); `OpenTopoMap` CC-BY-SA; Sentinel-2 cloudless 2020 by EOX is
/// CC-BY-NC-SA 4.0, i.e. free for non-commercial use with this attribution (commercial users
/// need a licence from EOX or their own imagery server via "Custom XYZ…").
pub const ONLINE: [Online; 3] = [
    Online {
        kind: SourceKind::OpenStreetMap,
        label: "OpenStreetMap",
        template: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        attribution: "© OpenStreetMap contributors",
        attribution_url: "https://www.openstreetmap.org/copyright",
        max_zoom: 19,
        cache_ns: "osm",
    },
    Online {
        kind: SourceKind::OpenTopoMap,
        label: "OpenTopoMap",
        template: "https://tile.opentopomap.org/{z}/{x}/{y}.png",
        attribution: "Map data: © OpenStreetMap contributors, SRTM | Map style: © OpenTopoMap (CC-BY-SA)",
        attribution_url: "https://opentopomap.org/about",
        max_zoom: 17,
        cache_ns: "opentopomap",
    },
    Online {
        kind: SourceKind::Sentinel2Cloudless,
        label: "Sentinel-2 cloudless (EOX)",
        template: "https://tiles.maps.eox.at/wmts/1.0.0/s2cloudless-2020_3857/default/g/{z}/{y}/{x}.jpg",
        attribution: "Sentinel-2 cloudless - https://s2maps.eu by EOX IT Services GmbH (Contains modified Copernicus Sentinel data 2020), CC-BY-NC-SA 4.0",
        attribution_url: "https://s2maps.eu",
        max_zoom: 15,
        cache_ns: "s2cloudless-2020",
    },
];

/// Persisted basemap choice (eframe storage, under the app's settings key).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BasemapSettings {
    pub source: SourceKind,
    pub style: BasemapStyle,
    /// `{z}/{x}/{y}` template of the custom XYZ server.
    pub custom_url: String,
    /// What the custom server's terms require on the map.
    pub custom_attribution: String,
    /// The `.pmtiles` file opened as the basemap.
    pub file_path: String,
    /// Bound of the on-disk tile cache, in MiB.
    pub disk_cache_mib: u64,
}

impl Default for BasemapSettings {
    fn default() -> Self {
        Self {
            source: SourceKind::Embedded,
            style: BasemapStyle::Light,
            custom_url: String::new(),
            custom_attribution: String::new(),
            file_path: String::new(),
            disk_cache_mib: disk_cache::DEFAULT_MAX_BYTES / (1024 * 1024),
        }
    }
}

/// Knobs tests and benchmarks change; the app uses [`BasemapOptions::default`].
#[derive(Clone, Debug)]
pub struct BasemapOptions {
    /// Root of the disk cache (`None`: no disk cache).
    pub cache_root: Option<PathBuf>,
    pub http_timeout: Duration,
    /// Worker threads of the embedded renderer.
    pub render_workers: usize,
}

impl Default for BasemapOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self {
            cache_root: DiskCache::default_root(),
            http_timeout: HTTP_TIMEOUT,
            // Leave a core for the UI on big machines; two at least so one slow tile does
            // not hold up the rest.
            render_workers: cores.saturating_sub(1).clamp(2, 4),
        }
    }
}

/// Owns the basemap tile sources.
pub struct Basemaps {
    ctx: egui::Context,
    settings: BasemapSettings,
    options: BasemapOptions,
    embedded: TilePool,
    renderer: Option<Arc<BasemapRenderer>>,
    renderer_job: Option<Job<BasemapRenderer>>,
    /// Texture edge the embedded tiles are rendered at (follows pixels per point).
    tile_px: u32,
    overlay: Option<TilePool>,
    overlay_attribution: String,
    disk_cache: Option<Arc<DiskCache>>,
    status: VecDeque<String>,
    /// Counts source switches, so the app can drop a failure message of a source no longer
    /// in use.
    source_generation: u64,
    /// Menu text fields, applied on Enter/Open.
    url_edit: String,
    attribution_edit: String,
    path_edit: String,
}

impl Basemaps {
    #[must_use]
    pub fn new(ctx: &egui::Context, settings: BasemapSettings) -> Self {
        Self::with_options(ctx, settings, BasemapOptions::default())
    }

    /// [`Basemaps::new`] with explicit options (tests: a temporary cache dir, short timeouts).
    #[must_use]
    pub fn with_options(
        ctx: &egui::Context,
        settings: BasemapSettings,
        options: BasemapOptions,
    ) -> Self {
        let tile_px = tile_px_for(ctx.pixels_per_point());
        let embedded = TilePool::new(
            ctx,
            PoolConfig {
                name: "Embedded basemap".into(),
                workers: options.render_workers,
                max_zoom: EMBEDDED_MAX_ZOOM,
                min_zoom: 0,
                cache_bytes: EMBEDDED_CACHE_BYTES,
                tile_px,
                attribution: "",
                attribution_url: "",
            },
            None,
        );
        let disk_cache = options.cache_root.as_ref().map(|root| {
            Arc::new(DiskCache::new(
                root,
                settings.disk_cache_mib.max(16) * 1024 * 1024,
            ))
        });
        let mut this = Self {
            ctx: ctx.clone(),
            url_edit: settings.custom_url.clone(),
            attribution_edit: settings.custom_attribution.clone(),
            path_edit: settings.file_path.clone(),
            settings,
            options,
            embedded,
            renderer: None,
            renderer_job: None,
            tile_px,
            overlay: None,
            overlay_attribution: String::new(),
            disk_cache,
            status: VecDeque::new(),
            source_generation: 0,
        };
        this.apply_source();
        this
    }

    /// Give the embedded renderer the loaded geodata. Preparing the renderer (slopes of the
    /// elevation grid) happens on a thread; tiles appear when it is done.
    pub fn set_atlas(&mut self, atlas: Arc<Atlas>) {
        match Job::run(&self.ctx, "basemap prepare", move || {
            BasemapRenderer::new(atlas)
        }) {
            Ok(job) => self.renderer_job = Some(job),
            Err(e) => self
                .status
                .push_back(format!("Embedded basemap: cannot start: {e}")),
        }
    }

    /// Block until the atlas given to [`Basemaps::set_atlas`] is ready to render (tests and
    /// benchmarks; the app never waits).
    pub fn wait_for_renderer(&mut self) {
        if let Some(mut job) = self.renderer_job.take()
            && let Some(r) = job.wait()
        {
            self.install_renderer(r);
        }
    }

    /// Add the basemap's tile layers to `map`: the embedded one, then the chosen online or
    /// file source on top.
    pub fn with_layers<'a, 'b, 'c>(
        &'b mut self,
        map: walkers::Map<'a, 'b, 'c>,
    ) -> walkers::Map<'a, 'b, 'c> {
        self.update();
        let map = map.with_layer(&mut self.embedded, 1.0);
        match self.overlay.as_mut() {
            Some(overlay) => map.with_layer(overlay, 1.0),
            None => map,
        }
    }

    /// While a presentation flies, draw from cached tiles only (see
    /// [`TilePool::set_hold_requests`]); resume when it lands.
    pub fn hold_requests(&mut self, hold: bool) {
        self.embedded.set_hold_requests(hold);
        if let Some(o) = self.overlay.as_mut() {
            o.set_hold_requests(hold);
        }
    }

    /// Queue the tiles of the view `rect` at map zoom `zoom` (walkers draws tiles of the
    /// rounded zoom), so a flight lands on a view that is already rendered.
    pub fn prefetch_view(&mut self, rect: &corridor_domain::map::mercator::WorldRect, zoom: f64) {
        let tile_zoom = zoom.round().clamp(0.0, 24.0) as u8;
        let keys = corridor_domain::draw::basemap::tile::tiles_covering(rect, tile_zoom);
        self.embedded.prefetch(&keys);
        if let Some(o) = self.overlay.as_mut() {
            o.prefetch(&keys);
        }
    }

    /// Per-frame housekeeping: install a finished renderer, follow the screen density, take
    /// finished tiles and failures from the pools.
    pub fn update(&mut self) {
        if let Some(job) = &mut self.renderer_job {
            if let Some(r) = job.poll() {
                self.renderer_job = None;
                self.install_renderer(r);
            } else if !job.is_running() {
                self.renderer_job = None;
            }
        }
        let px = tile_px_for(self.ctx.pixels_per_point());
        if px != self.tile_px {
            self.tile_px = px;
            self.reload_embedded();
        }
        self.embedded.poll();
        while let Some(s) = self.embedded.take_status() {
            self.status.push_back(s);
        }
        if let Some(o) = self.overlay.as_mut() {
            o.poll();
            while let Some(s) = o.take_status() {
                self.status.push_back(s);
            }
        }
    }

    fn install_renderer(&mut self, r: BasemapRenderer) {
        self.renderer = Some(Arc::new(r));
        self.reload_embedded();
    }

    fn reload_embedded(&mut self) {
        let loader = self.renderer.as_ref().map(|r| {
            Arc::new(EmbeddedLoader {
                renderer: Arc::clone(r),
                style: self.settings.style,
                tile_px: self.tile_px,
            }) as Arc<dyn TileLoader>
        });
        self.embedded.set_loader(loader, self.tile_px);
    }

    /// Build the overlay layer for the chosen source (none for the embedded basemap).
    fn apply_source(&mut self) {
        self.overlay = None;
        self.overlay_attribution.clear();
        // Failures of the previous source are no longer news.
        self.status.clear();
        self.source_generation += 1;
        let cache = self.disk_cache.clone();
        let timeout = self.options.http_timeout;
        let http_pool = |ctx: &egui::Context, name: &str, max_zoom: u8, loader: HttpLoader| {
            TilePool::new(
                ctx,
                PoolConfig {
                    name: name.to_string(),
                    // Two connections, as OpenStreetMap's tile policy asks.
                    workers: 2,
                    max_zoom,
                    min_zoom: 0,
                    cache_bytes: OVERLAY_CACHE_BYTES,
                    tile_px: 256,
                    attribution: "",
                    attribution_url: "",
                },
                Some(Arc::new(loader)),
            )
        };
        match self.settings.source {
            SourceKind::Embedded => {}
            SourceKind::OpenStreetMap
            | SourceKind::OpenTopoMap
            | SourceKind::Sentinel2Cloudless => {
                if let Some(o) = ONLINE.iter().find(|o| o.kind == self.settings.source) {
                    let loader = HttpLoader::new(o.template, o.cache_ns, cache, timeout);
                    self.overlay = Some(http_pool(&self.ctx, o.label, o.max_zoom, loader));
                    self.overlay_attribution = o.attribution.to_string();
                }
            }
            SourceKind::CustomXyz => {
                let url = self.settings.custom_url.trim().to_string();
                if remote::is_valid_template(&url) {
                    let ns = format!("custom-{:016x}", url_hash(url.as_bytes()));
                    let loader = HttpLoader::new(&url, &ns, cache, timeout);
                    self.overlay = Some(http_pool(&self.ctx, "Custom XYZ", 22, loader));
                    self.overlay_attribution = self.settings.custom_attribution.trim().into();
                } else if !url.is_empty() {
                    self.status.push_back(format!(
                        "Custom XYZ: \"{url}\" is not an http(s) URL with {{z}}, {{x}} and {{y}}"
                    ));
                }
            }
            SourceKind::File => {
                let path = self.settings.file_path.trim().to_string();
                if !path.is_empty() {
                    match open_file_source(&self.ctx, Path::new(&path)) {
                        Ok((pool, attribution)) => {
                            self.overlay = Some(pool);
                            self.overlay_attribution = attribution;
                        }
                        Err(e) => self.status.push_back(format!("{path}: {e}")),
                    }
                }
            }
        }
    }

    /// Switch to `settings` (what the menu does; also for the lead's scripted tests).
    pub fn set_settings(&mut self, settings: BasemapSettings) {
        let style_changed = settings.style != self.settings.style;
        let source_changed = settings.source != self.settings.source
            || settings.custom_url != self.settings.custom_url
            || settings.custom_attribution != self.settings.custom_attribution
            || settings.file_path != self.settings.file_path;
        self.settings = settings;
        if style_changed {
            self.reload_embedded();
        }
        if source_changed {
            self.apply_source();
        }
    }

    /// Attribution text of the current source(s); empty for the embedded basemap alone (the
    /// app always shows the bundled data's attribution). An online or file source is credited
    /// only while some of its tiles are on the map: offline, OpenStreetMap is not claimed.
    #[must_use]
    pub fn attribution(&self) -> String {
        match &self.overlay {
            Some(o) if o.shows_tiles() => self.overlay_attribution.clone(),
            _ => String::new(),
        }
    }

    /// Why the chosen online or file source shows nothing new: its latest error, until a
    /// tile arrives again.
    #[must_use]
    pub fn failing(&self) -> Option<&str> {
        self.overlay.as_ref().and_then(TilePool::failing)
    }

    /// The deepest zoom with more detail than the one above: an online or file source's
    /// deepest tiles, or [`EMBEDDED_DETAIL_ZOOM`] for the embedded basemap.
    #[must_use]
    pub fn detail_zoom(&self) -> u8 {
        self.overlay
            .as_ref()
            .map_or(EMBEDDED_DETAIL_ZOOM, TilePool::max_zoom)
    }

    /// Changes each time the source changes (see [`Self::take_status`]).
    #[must_use]
    pub fn source_generation(&self) -> u64 {
        self.source_generation
    }

    /// Contents of the Basemap menu.
    pub fn menu_ui(&mut self, ui: &mut egui::Ui) {
        let mut next = self.settings.clone();
        let mut open_clicked = false;
        ui.label("Source");
        ui.radio_value(&mut next.source, SourceKind::Embedded, "Embedded (offline)");
        let failing = self.failing().map(str::to_owned);
        for o in &ONLINE {
            let current = self.settings.source == o.kind;
            ui.horizontal(|ui| {
                ui.radio_value(&mut next.source, o.kind, o.label)
                    .on_hover_text(o.attribution);
                if let Some(e) = failing.as_deref().filter(|_| current) {
                    failing_mark_ui(ui, e);
                }
            });
        }
        ui.horizontal(|ui| {
            ui.radio_value(&mut next.source, SourceKind::CustomXyz, "Custom XYZ…");
            if let Some(e) = failing
                .as_deref()
                .filter(|_| self.settings.source == SourceKind::CustomXyz)
            {
                failing_mark_ui(ui, e);
            }
        });
        if next.source == SourceKind::CustomXyz {
            ui.indent("custom_xyz", |ui| {
                ui.label("URL template ({z}/{x}/{y}):");
                let url = ui.text_edit_singleline(&mut self.url_edit);
                ui.label("Attribution:");
                let attr = ui.text_edit_singleline(&mut self.attribution_edit);
                let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button("Use").clicked() || ((url.lost_focus() || attr.lost_focus()) && enter)
                {
                    next.custom_url = self.url_edit.trim().to_string();
                    next.custom_attribution = self.attribution_edit.trim().to_string();
                }
            });
        }
        ui.radio_value(
            &mut next.source,
            SourceKind::File,
            "Open PMTiles/MBTiles file…",
        );
        if next.source == SourceKind::File {
            ui.indent("tile_file", |ui| {
                ui.label("Path to a raster .pmtiles file:");
                let path = ui.text_edit_singleline(&mut self.path_edit);
                let enter = path.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button("Open").clicked() || enter {
                    open_clicked = true;
                    next.file_path = self.path_edit.trim().to_string();
                }
            });
        }
        ui.separator();
        ui.label("Style");
        for s in BasemapStyle::ALL {
            ui.radio_value(&mut next.style, s, s.label());
        }
        if open_clicked && next.file_path == self.settings.file_path {
            // Re-open the same path (the file may have been replaced).
            self.apply_source();
        }
        if next != self.settings {
            self.set_settings(next);
        }
    }

    /// Settings to persist.
    #[must_use]
    pub fn settings(&self) -> BasemapSettings {
        self.settings.clone()
    }

    /// A new failure to show in the status bar (each failure once).
    pub fn take_status(&mut self) -> Option<String> {
        self.status.pop_front()
    }

    /// Whether the current style is dark (overlays pick label colours from it).
    #[must_use]
    pub fn is_dark(&self) -> bool {
        self.settings.style == BasemapStyle::Dark
    }

    /// Colour behind the tiles (sea of the current style).
    #[must_use]
    pub fn background(&self) -> egui::Color32 {
        let [r, g, b, a] = self.settings.style.palette().sea;
        egui::Color32::from_rgba_unmultiplied(r, g, b, a)
    }

    /// The embedded layer (tests, benchmarks).
    pub fn embedded_mut(&mut self) -> &mut TilePool {
        &mut self.embedded
    }

    /// The online or file layer, if one is chosen (tests, benchmarks).
    pub fn overlay_mut(&mut self) -> Option<&mut TilePool> {
        self.overlay.as_mut()
    }

    /// The disk cache of online tiles, if there is one.
    #[must_use]
    pub fn disk_cache(&self) -> Option<&Arc<DiskCache>> {
        self.disk_cache.as_ref()
    }
}

/// Open a tile file as a pool, with its attribution (the file's own, else its name).
fn open_file_source(ctx: &egui::Context, path: &Path) -> Result<(TilePool, String), String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let name = path
        .file_name()
        .map_or_else(|| "tile file".into(), |n| n.to_string_lossy().into_owned());
    // The file's zoom range and attribution, and the loader that reads its tiles.
    let (min_zoom, max_zoom, attribution, loader): (u8, u8, Option<String>, Arc<dyn TileLoader>) =
        match ext.as_deref() {
            Some("pmtiles") => {
                let file = pmtiles::PmTilesFile::open(path)?;
                let (min, max) = (file.header.min_zoom, file.header.max_zoom);
                (min, max, file.attribution.clone(), Arc::new(file))
            }
            Some("mbtiles") => {
                let file = mbtiles::MbTilesFile::open(path)?;
                (
                    file.min_zoom,
                    file.max_zoom,
                    file.attribution.clone(),
                    Arc::new(file),
                )
            }
            _ => return Err("not a .pmtiles or .mbtiles file".into()),
        };
    let attribution = attribution.unwrap_or_else(|| name.clone());
    let pool = TilePool::new(
        ctx,
        PoolConfig {
            name,
            workers: 2,
            max_zoom,
            min_zoom,
            cache_bytes: OVERLAY_CACHE_BYTES,
            tile_px: 256,
            attribution: "",
            attribution_url: "",
        },
        Some(loader),
    );
    Ok((pool, attribution))
}

/// Names the cache directory of a custom URL. `FixedState` (foldhash's fixed seed) gives the
/// same name on every run, so the tiles cached in one session are found in the next. foldhash
/// does not promise the same value across its versions or on 32-bit targets; if an upgrade
/// changes the name, the tiles are fetched once more and the old directory ages out of the
/// shared size bound (`DiskCache` evicts the oldest files under its whole root).
fn url_hash(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::default().hash_one(bytes)
}

/// "not loading" beside a failing source in the Basemap menu; the error on hover. The
/// embedded basemap shows underneath meanwhile.
fn failing_mark_ui(ui: &mut egui::Ui, error: &str) {
    ui.colored_label(ui.visuals().warn_fg_color, "not loading")
        .on_hover_text(format!(
            "{error}\nThe embedded basemap shows instead; tiles load again when the source answers."
        ));
}

/// Where the embedded basemap runs out of detail: its relief comes from ETOPO5 (5′ cells,
/// about 9 km), which is flat within a tile past zoom 9; coast, rivers and lakes are Natural
/// Earth 1:10 m, made for about the same scale. Deeper views still draw: the lines as thin as
/// ever at the view's own zoom, the relief enlarged.
pub const EMBEDDED_DETAIL_ZOOM: u8 = 9;

/// The note the map shows past a source's detail, or `None` within it.
#[must_use]
pub fn overzoom_note(zoom: f64, detail_zoom: u8) -> Option<String> {
    (zoom > f64::from(detail_zoom) + 0.05).then(|| {
        format!(
            "Basemap detail ends at zoom {detail_zoom} (now {zoom:.1}): what it has is drawn larger, not sharper. Your layers and alternatives stay exact."
        )
    })
}

#[cfg(test)]
mod overzoom_tests {
    use super::overzoom_note;

    #[test]
    fn the_note_appears_only_past_the_sources_detail() {
        assert_eq!(overzoom_note(9.0, 9), None);
        assert_eq!(overzoom_note(4.4, 9), None);
        let note = overzoom_note(12.3, 9).expect("past zoom 9");
        assert!(note.contains("zoom 9") && note.contains("12.3"), "{note}");
        assert_eq!(overzoom_note(16.0, 19), None, "OpenStreetMap goes to 19");
    }
}
