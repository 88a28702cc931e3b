//! A walkers tile source backed by worker threads and a bounded texture cache. Shared by the
//! embedded renderer and by the HTTP/PMTiles/MBTiles sources: only the [`TileLoader`] differs.
//!
//! The UI thread never waits: [`TilePool::at`] answers from the cache, queues what is
//! missing, and meanwhile returns a cached ancestor scaled up (a uv sub-rectangle of its
//! texture) or the tile of the previous configuration. Workers make the texture (egui's
//! `load_texture` is thread-safe), hand it back and ask for a repaint.

use std::collections::{HashMap, HashSet, VecDeque};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use egui::{ColorImage, Context, TextureHandle, TextureOptions, pos2};
use lru::LruCache;
use walkers::{Tile, TileId, TilePiece, Tiles, sources::Attribution};

use corridor_domain::draw::basemap::TileKey;

/// How many zoom levels up a stand-in tile may come from (beyond that it is a blur).
const MAX_FALLBACK_LEVELS: u8 = 6;
/// Queued jobs beyond this are dropped, oldest first: they are for views long panned away.
const MAX_QUEUE: usize = 256;
/// A tile whose load failed transiently (network) is retried after this long.
const RETRY_AFTER: Duration = Duration::from_secs(20);

/// Why a tile could not be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The source has no tile there (outside a file's coverage): not a failure, nothing shown.
    Missing,
    /// A failure worth retrying later (timeout, connection refused, 5xx).
    Transient(String),
    /// A failure that will not go away by asking again (404, garbage bytes).
    Permanent(String),
}

impl LoadError {
    fn message(&self) -> Option<&str> {
        match self {
            LoadError::Missing => None,
            LoadError::Transient(m) | LoadError::Permanent(m) => Some(m),
        }
    }
}

/// Makes the image of one tile. Runs on worker threads.
pub trait TileLoader: Send + Sync + 'static {
    fn load(&self, key: TileKey) -> Result<ColorImage, LoadError>;
}

/// Settings of a pool.
#[derive(Clone, Debug)]
pub struct PoolConfig {
    /// Names textures and prefixes status messages ("OpenStreetMap: tile … failed: …").
    pub name: String,
    pub workers: usize,
    /// Tiles of this zoom and below are loaded; deeper ones scale the deepest up.
    pub max_zoom: u8,
    /// Below this nothing is shown (files that start at some zoom).
    pub min_zoom: u8,
    /// Bytes of texture memory the cache may hold.
    pub cache_bytes: usize,
    /// Expected edge of one tile texture in pixels (to turn `cache_bytes` into a count).
    pub tile_px: u32,
    pub attribution: &'static str,
    pub attribution_url: &'static str,
}

struct Job {
    generation: u64,
    key: TileKey,
    loader: Arc<dyn TileLoader>,
}

struct Done {
    generation: u64,
    key: TileKey,
    result: Result<TextureHandle, LoadError>,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    shutdown: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
    done: Mutex<Vec<Done>>,
    /// How soon a finished tile asks for a frame, in ms (0: at once); see
    /// [`TilePool::set_repaint_within`].
    repaint_within_ms: AtomicU64,
}

/// The tile source (see the module documentation).
pub struct TilePool {
    config: PoolConfig,
    ctx: Context,
    shared: Arc<Shared>,
    loader: Option<Arc<dyn TileLoader>>,
    generation: u64,
    textures: LruCache<TileKey, TextureHandle>,
    /// Textures of the previous loader, shown until the new ones arrive (a style switch or
    /// the atlas arriving does not flash the background). They count against the same
    /// bound as `textures`: each fresh texture past it pushes out the least recent stale
    /// one, so the pool never holds more than `cache_bytes` (a large layer re-rendered
    /// every 0.7 s while it imports used to keep a second full cache of old images).
    stale: LruCache<TileKey, TextureHandle>,
    pending: HashSet<TileKey>,
    /// Failed tiles and when they may be asked for again (`None`: not this session).
    failed: HashMap<TileKey, Option<Instant>>,
    /// Failure messages already reported, so each shows once.
    reported: HashSet<String>,
    status: VecDeque<String>,
    /// The latest failure, until a tile arrives again: the source is not working.
    last_error: Option<String>,
    /// Set during presentation flights: a missing tile with a stand-in (ancestor or stale) is
    /// not queued, since a flight passes zoom levels whose tiles are stale by the time they
    /// are made, and their rendering would compete with the frames for the CPU.
    hold_requests: bool,
}

impl TilePool {
    /// A pool with `config.workers` threads. With no loader yet, it shows nothing.
    #[must_use]
    pub fn new(ctx: &Context, config: PoolConfig, loader: Option<Arc<dyn TileLoader>>) -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            wake: Condvar::new(),
            done: Mutex::new(Vec::new()),
            repaint_within_ms: AtomicU64::new(0),
        });
        for i in 0..config.workers.max(1) {
            let shared = Arc::clone(&shared);
            let ctx = ctx.clone();
            let name = format!("{}/{i}", config.name);
            // A worker that cannot be spawned only means fewer workers; if none can be, the
            // map shows the background and the status says so on the first request.
            let _ = thread::Builder::new()
                .name(format!("tiles {name}"))
                .spawn(move || {
                    crate::app::jobs::yield_to_the_ui();
                    worker(&shared, &ctx, &name);
                });
        }
        let capacity = capacity_for(config.cache_bytes, config.tile_px);
        Self {
            ctx: ctx.clone(),
            shared,
            loader,
            generation: 0,
            textures: LruCache::new(capacity),
            stale: LruCache::new(capacity),
            pending: HashSet::new(),
            failed: HashMap::new(),
            reported: HashSet::new(),
            status: VecDeque::new(),
            last_error: None,
            hold_requests: false,
            config,
        }
    }

    /// Switch to another loader (new style, new pixel density, the atlas arrived). Finished
    /// tiles stay on screen until their replacements are ready.
    pub fn set_loader(&mut self, loader: Option<Arc<dyn TileLoader>>, tile_px: u32) {
        self.generation += 1;
        self.loader = loader;
        self.config.tile_px = tile_px;
        let capacity = capacity_for(self.config.cache_bytes, tile_px);
        let mut old = std::mem::replace(&mut self.textures, LruCache::new(capacity));
        self.stale.resize(capacity);
        // Every tile made so far joins the stale set, over older images of the same tile:
        // a layer re-rendered every 0.7 s while it imports keeps showing its last image of
        // each tile, even of tiles the interrupted generation had not reached yet. (Replacing
        // the set instead lost those, and the network vanished tile by tile.) Least recent
        // first, so the most recent stay when the bound is reached.
        while let Some((key, texture)) = old.pop_lru() {
            self.stale.put(key, texture);
        }
        self.pending.clear();
        self.failed.clear();
        self.reported.clear();
        self.last_error = None;
        lock(&self.shared.queue).jobs.clear();
    }

    /// Change the texture byte budget; it applies from the next [`TilePool::set_loader`]
    /// (a pixel-density change comes with one).
    pub fn set_cache_bytes(&mut self, cache_bytes: usize) {
        self.config.cache_bytes = cache_bytes;
    }

    /// Move finished tiles into the cache. Call once per frame before drawing.
    pub fn poll(&mut self) {
        let done = std::mem::take(&mut *lock(&self.shared.done));
        for d in done {
            if d.generation != self.generation {
                continue;
            }
            self.pending.remove(&d.key);
            match d.result {
                Ok(texture) => {
                    self.failed.remove(&d.key);
                    // Its own older image is no longer needed; then stay within the bound.
                    self.stale.pop(&d.key);
                    self.textures.put(d.key, texture);
                    while self.textures.len() + self.stale.len() > self.textures.cap().get() {
                        if self.stale.pop_lru().is_none() {
                            break;
                        }
                    }
                    // A success means the source works again: a later failure is news.
                    self.reported.clear();
                    self.last_error = None;
                }
                Err(e) => {
                    let retry = match &e {
                        LoadError::Transient(_) => Some(Instant::now() + RETRY_AFTER),
                        LoadError::Missing | LoadError::Permanent(_) => None,
                    };
                    self.failed.insert(d.key, retry);
                    if let Some(msg) = e.message() {
                        self.last_error = Some(msg.to_string());
                    }
                    if let Some(msg) = e.message()
                        && self.reported.insert(msg.to_string())
                    {
                        self.status.push_back(format!(
                            "{}: tile {} failed: {msg}",
                            self.config.name, d.key
                        ));
                    }
                }
            }
        }
    }

    /// The deepest zoom the source has tiles for (deeper views enlarge them).
    #[must_use]
    pub fn max_zoom(&self) -> u8 {
        self.config.max_zoom
    }

    /// Why the source is failing: its latest error, if no tile has arrived since.
    #[must_use]
    pub fn failing(&self) -> Option<&str> {
        self.last_error.as_deref()
    }

    /// Whether any of its tiles is there to draw (now or from before a style switch).
    #[must_use]
    pub fn shows_tiles(&self) -> bool {
        self.cached().0 > 0
    }

    /// The next failure not yet shown.
    pub fn take_status(&mut self) -> Option<String> {
        self.status.pop_front()
    }

    /// Tiles queued or being made.
    #[must_use]
    pub fn in_progress(&self) -> usize {
        self.pending.len()
    }

    /// Textures held, and the bytes they take (RGBA8).
    #[must_use]
    pub fn cached(&self) -> (usize, usize) {
        let bytes = self
            .textures
            .iter()
            .chain(self.stale.iter())
            .map(|(_, t)| t.size()[0] * t.size()[1] * 4)
            .sum();
        (self.textures.len() + self.stale.len(), bytes)
    }

    /// Whether this exact tile is ready.
    #[must_use]
    pub fn is_ready(&self, key: TileKey) -> bool {
        self.textures.contains(&key)
    }

    /// Drop every cached tile (tests and benchmarks measure cold renders with it).
    pub fn clear(&mut self) {
        self.set_loader(self.loader.clone(), self.config.tile_px);
        self.stale.clear();
    }

    /// What to draw for `key` now (see the module documentation).
    pub fn piece(&mut self, key: TileKey) -> Option<TilePiece> {
        let (key, inner) = self.source_key(key)?;
        if let Some(t) = self.textures.get(&key) {
            return Some(piece(t, inner));
        }
        let stand_in = self.stand_in(key, inner);
        if stand_in.is_none() || !self.hold_requests {
            self.request(key);
        }
        stand_in
    }

    /// The tile of this source that holds `key` (the deepest one scaled up beyond the
    /// source's zoom) and `key`'s part of it; `None` below the source's zooms.
    fn source_key(&self, key: TileKey) -> Option<(TileKey, [f32; 4])> {
        if key.zoom < self.config.min_zoom {
            return None;
        }
        if key.zoom > self.config.max_zoom {
            key.ancestor(key.zoom - self.config.max_zoom)
        } else {
            Some((key, [0.0, 0.0, 1.0, 1.0]))
        }
    }

    /// A cached ancestor scaled up, or the previous configuration's tile.
    fn stand_in(&self, key: TileKey, inner: [f32; 4]) -> Option<TilePiece> {
        for levels in 1..=MAX_FALLBACK_LEVELS.min(key.zoom) {
            let Some((ancestor, outer)) = key.ancestor(levels) else {
                break;
            };
            if let Some(t) = self.textures.peek(&ancestor) {
                return Some(piece(t, compose(outer, inner)));
            }
        }
        if let Some(t) = self.stale.peek(&key) {
            return Some(piece(t, inner));
        }
        // An older image of an ancestor, scaled: still better than a hole in the layer.
        (1..=MAX_FALLBACK_LEVELS.min(key.zoom)).find_map(|levels| {
            let (ancestor, outer) = key.ancestor(levels)?;
            self.stale
                .peek(&ancestor)
                .map(|t| piece(t, compose(outer, inner)))
        })
    }

    /// How soon a finished tile is shown: at once (`Duration::ZERO`, the default), or within
    /// `within`, so that tiles finishing close together share one frame. A large layer being
    /// re-rendered while it imports uses [`crate::app::jobs::STREAM_REPAINT`]: a frame per tile
    /// would keep the UI thread painting through the import.
    pub fn set_repaint_within(&self, within: Duration) {
        let ms = u64::try_from(within.as_millis()).unwrap_or(u64::MAX);
        self.shared.repaint_within_ms.store(ms, Ordering::Relaxed);
    }

    /// Hold back requests for tiles that have a stand-in (presentation flights), or resume.
    pub fn set_hold_requests(&mut self, hold: bool) {
        self.hold_requests = hold;
    }

    /// Queue `keys` now, held or not: the view a flight will land on, so it is sharp on
    /// arrival.
    pub fn prefetch(&mut self, keys: &[TileKey]) {
        for &k in keys {
            if let Some((key, _)) = self.source_key(k)
                && !self.textures.contains(&key)
            {
                self.request(key);
            }
        }
    }

    fn request(&mut self, key: TileKey) {
        let Some(loader) = &self.loader else { return };
        if self.pending.contains(&key) {
            return;
        }
        if let Some(retry) = self.failed.get(&key) {
            match retry {
                Some(at) if Instant::now() >= *at => {}
                _ => return,
            }
        }
        self.pending.insert(key);
        let mut q = lock(&self.shared.queue);
        q.jobs.push_back(Job {
            generation: self.generation,
            key,
            loader: Arc::clone(loader),
        });
        while q.jobs.len() > MAX_QUEUE {
            if let Some(old) = q.jobs.pop_front() {
                self.pending.remove(&old.key);
            }
        }
        drop(q);
        self.shared.wake.notify_one();
    }

    /// The walkers attribution of this pool.
    #[must_use]
    pub fn walkers_attribution(&self) -> Attribution {
        Attribution {
            text: self.config.attribution,
            url: self.config.attribution_url,
            logo_light: None,
            logo_dark: None,
        }
    }

    /// The egui context the textures belong to.
    #[must_use]
    pub fn ctx(&self) -> &Context {
        &self.ctx
    }
}

impl Drop for TilePool {
    fn drop(&mut self) {
        // Workers finish their current job and exit; nobody waits for them (an HTTP request
        // may take its full timeout).
        let mut q = lock(&self.shared.queue);
        q.shutdown = true;
        q.jobs.clear();
        drop(q);
        self.shared.wake.notify_all();
    }
}

impl Tiles for TilePool {
    fn at(&mut self, tile_id: TileId) -> Option<TilePiece> {
        let key = TileKey::new(tile_id.zoom, tile_id.x, tile_id.y)?;
        self.piece(key)
    }

    fn attribution(&self) -> Attribution {
        self.walkers_attribution()
    }

    /// 256: tiles are drawn at 256 points per tile at integer zooms whatever their texture
    /// size, so a 512-px texture on a 2× screen maps one texel to one physical pixel.
    fn tile_size(&self) -> u32 {
        256
    }

    fn stats(&self) -> walkers::Stats {
        walkers::Stats {
            in_progress: self.pending.len(),
        }
    }
}

fn worker(shared: &Shared, ctx: &Context, name: &str) {
    loop {
        let job = {
            let mut q = lock(&shared.queue);
            loop {
                if q.shutdown {
                    return;
                }
                // Newest first: the tiles the user is looking at now.
                if let Some(job) = q.jobs.pop_back() {
                    break job;
                }
                q = shared.wake.wait(q).unwrap_or_else(PoisonError::into_inner);
            }
        };
        let result = job.loader.load(job.key).map(|image| {
            ctx.load_texture(format!("{name}/{}", job.key), image, TextureOptions::LINEAR)
        });
        lock(&shared.done).push(Done {
            generation: job.generation,
            key: job.key,
            result,
        });
        match shared.repaint_within_ms.load(Ordering::Relaxed) {
            0 => ctx.request_repaint(),
            ms => ctx.request_repaint_after(Duration::from_millis(ms)),
        }
    }
}

/// A poisoned lock only means a worker panicked mid-push; the data (a queue, a list of
/// results) is still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn capacity_for(cache_bytes: usize, tile_px: u32) -> NonZeroUsize {
    let per_tile = (tile_px as usize).pow(2) * 4;
    NonZeroUsize::new((cache_bytes / per_tile.max(1)).max(16)).unwrap_or(NonZeroUsize::MIN)
}

fn piece(t: &TextureHandle, uv: [f32; 4]) -> TilePiece {
    TilePiece::new(
        Tile::Raster(t.clone()),
        egui::Rect::from_min_max(pos2(uv[0], uv[1]), pos2(uv[2], uv[3])),
    )
}

/// `inner` (a sub-rectangle of a tile) expressed in the coordinates of the ancestor that
/// tile occupies `outer` of.
fn compose(outer: [f32; 4], inner: [f32; 4]) -> [f32; 4] {
    let (w, h) = (outer[2] - outer[0], outer[3] - outer[1]);
    [
        outer[0] + inner[0] * w,
        outer[1] + inner[1] * h,
        outer[0] + inner[2] * w,
        outer[1] + inner[3] * h,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composed_uvs_nest() {
        let outer = [0.5, 0.25, 0.75, 0.5];
        let near = |a: [f32; 4], b: [f32; 4]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6);
        assert!(near(compose(outer, [0.0, 0.0, 1.0, 1.0]), outer));
        assert!(near(
            compose(outer, [0.5, 0.5, 1.0, 1.0]),
            [0.625, 0.375, 0.75, 0.5]
        ));
    }

    /// Renders a 1×1 tile at once for keys in `fast`, and takes 300 ms for the others (a
    /// tile still being drawn when the layer changes again).
    struct SlowLoader {
        fast: Vec<TileKey>,
    }

    impl TileLoader for SlowLoader {
        fn load(&self, key: TileKey) -> Result<ColorImage, LoadError> {
            if !self.fast.contains(&key) {
                thread::sleep(Duration::from_millis(300));
            }
            Ok(ColorImage::new([1, 1], vec![egui::Color32::RED]))
        }
    }

    /// A one-worker pool's settings for the tests.
    fn test_config(max_zoom: u8, cache_bytes: usize, tile_px: u32) -> PoolConfig {
        PoolConfig {
            name: "test".into(),
            workers: 1,
            max_zoom,
            min_zoom: 0,
            cache_bytes,
            tile_px,
            attribution: "",
            attribution_url: "",
        }
    }

    fn wait_ready(pool: &mut TilePool, key: TileKey) {
        let started = Instant::now();
        while !pool.is_ready(key) {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "tile {key} never came"
            );
            let _ = pool.piece(key);
            pool.poll();
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// What an import does to a large layer: its tiles are re-rendered again and again while
    /// earlier renders are unfinished. Every tile that was ever drawn stays on screen — in
    /// every frame, across every change — until its new image replaces it.
    #[test]
    fn a_tile_keeps_its_last_image_in_every_frame_while_its_layer_is_re_rendered() {
        let ctx = Context::default();
        let (a, b) = (
            TileKey::new(5, 10, 12).expect("key"),
            TileKey::new(5, 11, 12).expect("key"),
        );
        let loader = |fast: Vec<TileKey>| -> Arc<dyn TileLoader> { Arc::new(SlowLoader { fast }) };
        let config = test_config(18, 1 << 20, 256);
        let mut pool = TilePool::new(&ctx, config, Some(loader(vec![a, b])));
        wait_ready(&mut pool, a);
        wait_ready(&mut pool, b);
        // Re-renders where only `a` finishes before the next change (20 frames take ~20 ms);
        // `b` stays in the works.
        for round in 0..4 {
            pool.set_loader(Some(loader(vec![a])), 256);
            for frame in 0..20 {
                pool.poll();
                assert!(
                    pool.piece(a).is_some(),
                    "round {round}, frame {frame}: a vanished"
                );
                assert!(
                    pool.piece(b).is_some(),
                    "round {round}, frame {frame}: b vanished"
                );
                thread::sleep(Duration::from_millis(1));
            }
            wait_ready(&mut pool, a);
        }
        // A deeper view of `b` shows its old image scaled up rather than nothing.
        let child = TileKey::new(6, 22, 24).expect("key");
        assert!(
            pool.piece(child).is_some(),
            "the parent's last image stands in"
        );
    }

    #[test]
    fn stale_images_count_against_the_cache_bound() {
        // 16 textures of 4 px fit (the floor of `capacity_for`); a new loader's tiles push
        // out the old images one for one, never holding more than 16 in all.
        let loads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let config = test_config(10, 16 * 4 * 4 * 4, 4);
        let loader = || -> Arc<dyn TileLoader> { Arc::new(Counting(Arc::clone(&loads))) };
        let mut pool = TilePool::new(&Context::default(), config, Some(loader()));
        let keys: Vec<TileKey> = (0..16).map(|x| key(5, x, 3)).collect();
        for &k in &keys {
            assert!(pool.piece(k).is_none());
            wait_made(&mut pool, k);
        }
        assert_eq!(pool.cached(), (16, 16 * 4 * 4 * 4));
        pool.set_loader(Some(loader()), 4);
        assert_eq!(pool.cached().0, 16, "the old images stay, as stale");
        // Six fresh tiles elsewhere: six old images go, the least recently made first.
        for x in 0..6 {
            let k = key(5, x, 9);
            assert!(pool.piece(k).is_none());
            wait_made(&mut pool, k);
            assert_eq!(pool.cached().0, 16, "after {} fresh tiles", x + 1);
        }
        assert!(
            pool.piece(keys[15]).is_some(),
            "the most recent old image stays"
        );
        assert!(
            pool.stale.peek(&keys[0]).is_none(),
            "the least recent old image went"
        );
        // A fresh image of a tile replaces its own old one (no other old image goes).
        wait_made(&mut pool, keys[15]);
        assert_eq!(pool.cached().0, 16);
        assert!(pool.stale.peek(&keys[14]).is_some());
    }

    #[test]
    fn the_cache_bound_is_a_texture_count() {
        assert_eq!(capacity_for(64 << 20, 256).get(), 256);
        assert_eq!(capacity_for(64 << 20, 512).get(), 64);
    }

    /// Loads a 4-px red tile and counts the loads.
    struct Counting(Arc<std::sync::atomic::AtomicUsize>);

    impl TileLoader for Counting {
        fn load(&self, _key: TileKey) -> Result<ColorImage, LoadError> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(ColorImage::filled([4, 4], egui::Color32::RED))
        }
    }

    fn key(zoom: u8, x: u32, y: u32) -> TileKey {
        TileKey::new(zoom, x, y).expect("a tile of the world")
    }

    fn wait_made(pool: &mut TilePool, key: TileKey) {
        let end = Instant::now() + Duration::from_secs(20);
        while !pool.is_ready(key) {
            assert!(Instant::now() < end, "tile {key} made");
            pool.poll();
            thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn held_requests_draw_stand_ins_and_queue_only_tiles_without_one_or_prefetched() {
        let loads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let config = test_config(10, 1 << 20, 4);
        let loader: Arc<dyn TileLoader> = Arc::new(Counting(Arc::clone(&loads)));
        let mut pool = TilePool::new(&Context::default(), config, Some(loader));
        let parent = key(3, 2, 2);
        assert!(pool.piece(parent).is_none(), "nothing cached yet");
        wait_made(&mut pool, parent);

        pool.set_hold_requests(true);
        // (4, 4, 4) is the top-left quarter of (3, 2, 2): drawn from it, not queued.
        let child = key(4, 4, 4);
        let stand_in = pool.piece(child).expect("the parent scaled up");
        assert_eq!(
            stand_in.uv,
            egui::Rect::from_min_max(pos2(0.0, 0.0), pos2(0.5, 0.5))
        );
        assert_eq!(
            pool.in_progress(),
            0,
            "a held tile with a stand-in is not queued"
        );
        // A tile with nothing to stand in for it is queued all the same: never a blank map.
        let far = key(4, 12, 12);
        assert!(pool.piece(far).is_none());
        assert_eq!(pool.in_progress(), 1);
        wait_made(&mut pool, far);
        // The landing view is queued while held.
        pool.prefetch(&[child]);
        assert_eq!(pool.in_progress(), 1);
        wait_made(&mut pool, child);
        assert_eq!(loads.load(std::sync::atomic::Ordering::SeqCst), 3);

        // Released: a missing tile is queued again even though its parent stands in.
        pool.set_hold_requests(false);
        assert!(pool.piece(key(4, 5, 4)).is_some());
        assert_eq!(pool.in_progress(), 1);
    }
}
