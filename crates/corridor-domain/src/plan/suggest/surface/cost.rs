//! The cost surface proper: per cell, what building through it costs, whether it can be
//! crossed, its country and whether track runs through it; built from the region's
//! features with the rasteriser (`raster`) on the grid (`grid`).

use geo::{Distance, Geodesic, Point};

use crate::data::elevation::ElevationGrid;
use crate::data::feature::Feature;
use crate::map::layer::Layer;
use crate::measure::ledger::profile::{TerrainClass, classify};
use crate::plan::suggest::error::SuggestError;
use crate::plan::suggest::settings::SuggestSettings;
use crate::rail::{RailStatus, ReuseRule};

use super::grid::{GridSpec, M_PER_DEG_LAT, MOVES};
use super::raster::{fill_geometry, trace_lines, trace_rings};

/// Cell flag: water (sea, Caspian, lake) or outside every country: impassable without track.
pub const FLAG_WATER: u8 = 1;
/// Cell flag: reusable track ([`crate::rail::ReuseRule`]) runs through the cell.
pub const FLAG_TRACK: u8 = 2;
/// Cell flag: a ferry's sea leg crosses the cell. Water a path may cross along the ferry, at
/// no build cost (the ledger's sea leg), but not track: nothing is reused there.
pub const FLAG_FERRY: u8 = 4;
/// Within the gate radius of a border post: a border move touching it crosses at the post.
pub const FLAG_GATE: u8 = 8;

/// No country (water, or land outside the countries layer).
pub const NO_COUNTRY: u16 = u16::MAX;

/// The per-km figures a search and a cost report need, copied from the settings so that a
/// surface stays consistent with the numbers it was built for.
#[derive(Clone, Debug, PartialEq)]
pub struct CostModel {
    /// New build per terrain class (flat, rolling, hilly, mountainous), USD/km.
    pub terrain_usd_per_km: [f64; 4],
    /// What a km of reused track costs (upgrade), USD/km: reported, not searched.
    pub upgrade_usd_per_km: f64,
    /// What a km of reused track weighs in the search, USD/km (see
    /// [`SuggestSettings::reuse_preference`]).
    pub reuse_search_usd_per_km: f64,
    /// Extra per km of new build steeper than `max_grade` (tunnels and viaducts), USD/km.
    pub steep_allowance_usd_per_km: f64,
    /// Steepest design grade as a ratio (2.5 % → 0.025).
    pub max_grade: f64,
    /// Weight of one border crossing in the search, USD.
    pub border_penalty_usd: f64,
    /// Extra weight of a border crossing without both ends on [`FLAG_GATE`] cells (a new
    /// gate), USD; 0 when the border-post rule is off or no post is known.
    pub new_gate_penalty_usd: f64,
}

impl CostModel {
    /// The figures of `settings` (unit costs from its ledger settings).
    #[must_use]
    pub fn from_settings(settings: &SuggestSettings) -> Self {
        let c = &settings.ledger.unit_costs;
        Self {
            terrain_usd_per_km: [
                c.flat.usd_per_km,
                c.rolling.usd_per_km,
                c.hilly.usd_per_km,
                c.mountainous.usd_per_km,
            ],
            upgrade_usd_per_km: c.upgrade_existing.usd_per_km,
            reuse_search_usd_per_km: c.upgrade_existing.usd_per_km * settings.reuse_preference,
            steep_allowance_usd_per_km: c.steep_allowance.usd_per_km,
            max_grade: settings.ledger.max_design_grade_pct / 100.0,
            border_penalty_usd: settings.border_penalty_flat_km * c.flat.usd_per_km,
            new_gate_penalty_usd: if settings.border_posts {
                settings.new_gate_penalty_flat_km * c.flat.usd_per_km
            } else {
                0.0
            },
        }
    }

    /// The cheapest search weight of any passable km: the A* heuristic's rate.
    #[must_use]
    pub fn cheapest_usd_per_km(&self) -> f64 {
        self.terrain_usd_per_km
            .iter()
            .copied()
            .fold(self.reuse_search_usd_per_km, f64::min)
            .max(0.0)
    }
}

/// Terrain class index in [`CostModel::terrain_usd_per_km`].
fn class_index(class: TerrainClass) -> u8 {
    match class {
        TerrainClass::Flat => 0,
        TerrainClass::Rolling => 1,
        TerrainClass::Hilly => 2,
        TerrainClass::Mountainous => 3,
    }
}

/// What a surface is built from. Any slice may be empty.
#[derive(Default, Clone)]
pub struct SurfaceInputs<'a> {
    /// Country polygons with `iso_a3`: land. Cells outside all of them are water.
    pub countries: &'a [Feature],
    /// Lake polygons: water.
    pub lakes: &'a [Feature],
    /// Rail lines with `status` and `mode` (`rail`/`ferry`); what is track is the one rule
    /// ([`ReuseRule`], with the ledger settings' choice on lines under construction), and
    /// ferries make their sea leg crossable ([`FLAG_FERRY`]).
    pub rail: &'a [Feature],
    /// Imported track layers (an OpenStreetMap rail extract): their ways are track by the
    /// same rule (OSM's `railway` tag, [`RailStatus::of_feature`]), and the search follows
    /// them.
    pub track_layers: Vec<&'a Layer>,
    /// Elevation grids, finest first: each cell takes the first grid with data there (a
    /// user's SRTM mosaic, then the bundled ETOPO5).
    pub elevation: Vec<&'a ElevationGrid>,
}

/// The rasterised region. See the module documentation.
#[derive(Clone, Debug)]
pub struct CostSurface {
    pub grid: GridSpec,
    pub model: CostModel,
    /// Elevation of each cell centre (m); NaN without data.
    elevation_m: Vec<f32>,
    /// Terrain class index (0 flat … 3 mountainous).
    class: Vec<u8>,
    /// [`FLAG_WATER`] | [`FLAG_TRACK`] | [`FLAG_FERRY`].
    flags: Vec<u8>,
    /// Index into [`CostSurface::countries`], or [`NO_COUNTRY`].
    country: Vec<u16>,
    /// Search weight of a km through the cell (USD/km); infinite where impassable.
    search_usd_per_km: Vec<f32>,
    /// ISO alpha-3 codes of the countries, by index.
    pub countries: Vec<String>,
    /// Geodesic length (m) of each of the 16 [`MOVES`] from a cell of row `r`:
    /// `move_m[r * 16 + k]`; NaN when the move leaves the grid.
    move_m: Vec<f64>,
    /// Cosine of each row's centre latitude (for the heuristic).
    row_cos: Vec<f64>,
    /// Pairs of country indices (lower first) with at least one border post between them:
    /// their border is crossed only at a post ([`CostSurface::is_gated_pair`]).
    gated_pairs: Vec<(u16, u16)>,
}

impl CostSurface {
    /// Rasterise `inputs` on the grid of `settings` (region and resolution).
    pub fn build(
        inputs: &SurfaceInputs<'_>,
        settings: &SuggestSettings,
    ) -> Result<Self, SuggestError> {
        if let Some(problem) = settings.problem() {
            return Err(SuggestError::Settings(problem));
        }
        let finest_dem_km = inputs
            .elevation
            .iter()
            .map(|g| g.cell_deg * M_PER_DEG_LAT / 1000.0)
            .fold(f64::INFINITY, f64::min);
        let resolution_km = settings.effective_resolution_km(finest_dem_km);
        let grid = checked_grid(settings, resolution_km)?;
        let n = grid.len();
        let mut surface = Self {
            grid,
            model: CostModel::from_settings(settings),
            elevation_m: vec![f32::NAN; n],
            class: vec![1; n],
            flags: vec![FLAG_WATER; n],
            country: vec![NO_COUNTRY; n],
            search_usd_per_km: vec![f32::INFINITY; n],
            countries: Vec::new(),
            move_m: Vec::new(),
            row_cos: Vec::new(),
            gated_pairs: Vec::new(),
        };

        // Land and countries: every country polygon, filled by scanline.
        for f in inputs.countries {
            let Some(code) = f
                .str("iso_a3")
                .or_else(|| f.str("adm0_a3"))
                .or_else(|| f.name())
            else {
                continue;
            };
            let id = if let Some(i) = surface.countries.iter().position(|c| c == code) {
                i
            } else {
                surface.countries.push(code.to_owned());
                surface.countries.len() - 1
            };
            let id = u16::try_from(id).unwrap_or(NO_COUNTRY - 1);
            fill_geometry(&grid, &f.geometry, &mut |i| {
                surface.country[i] = id;
                surface.flags[i] &= !FLAG_WATER;
            });
        }
        // Lakes are rasterised conservatively (every cell their shore touches is water), so
        // a path never clips a lake; the sea is the complement of the countries, where a coast
        // cell is land if its centre is.
        for f in inputs.lakes {
            let mut wet = |i: usize| surface.flags[i] |= FLAG_WATER;
            fill_geometry(&grid, &f.geometry, &mut wet);
            trace_rings(&grid, &f.geometry, &mut wet);
        }
        let rule = settings.ledger.reuse_rule();
        let lines = inputs
            .rail
            .iter()
            .chain(inputs.track_layers.iter().flat_map(|l| &l.features));
        for f in lines {
            if let Some(flag) = line_flag(f, rule) {
                trace_lines(&grid, &f.geometry, &mut |i| surface.flags[i] |= flag);
            }
        }

        surface.sample_elevation(&inputs.elevation);
        surface.classify_terrain(settings, resolution_km);
        surface.precompute_moves();
        surface.refresh_search_costs();
        Ok(surface)
    }

    /// A surface of uniform flat land in one country, with a flat elevation of 0 m: the
    /// baseline of the benchmark and a blank canvas for tests.
    pub fn uniform(settings: &SuggestSettings) -> Result<Self, SuggestError> {
        let grid = checked_grid(settings, settings.effective_resolution_km(f64::INFINITY))?;
        let n = grid.len();
        let mut surface = Self {
            grid,
            model: CostModel::from_settings(settings),
            elevation_m: vec![0.0; n],
            class: vec![0; n],
            flags: vec![0; n],
            country: vec![0; n],
            search_usd_per_km: vec![0.0; n],
            countries: vec!["XXX".to_owned()],
            move_m: Vec::new(),
            row_cos: Vec::new(),
            gated_pairs: Vec::new(),
        };
        surface.precompute_moves();
        surface.refresh_search_costs();
        Ok(surface)
    }

    fn sample_elevation(&mut self, grids: &[&ElevationGrid]) {
        if grids.is_empty() {
            return;
        }
        for row in 0..self.grid.rows {
            for col in 0..self.grid.cols {
                let (lon, lat) = self.grid.centre(col, row);
                if let Some(h) = grids.iter().find_map(|g| g.sample(lon, lat)) {
                    self.elevation_m[self.grid.index(col, row)] = h as f32;
                }
            }
        }
    }

    /// Terrain class of each cell from the relief (max − min elevation) within half the
    /// ledger's terrain window around it, in every direction. The ledger measures relief
    /// along a drawn line; before a line exists, the neighbourhood is the best stand-in
    /// (it over-rates cells beside a steep slope, which only makes the search cautious).
    fn classify_terrain(&mut self, settings: &SuggestSettings, resolution_km: f64) {
        let (cols, rows) = (self.grid.cols, self.grid.rows);
        let radius = ((settings.ledger.terrain_window_m / 2.0) / (resolution_km * 1000.0))
            .round()
            .max(1.0) as usize;
        // Separable max/min filters: along rows, then along columns. NaN (no data) is skipped.
        let mut hi = vec![f32::NAN; cols * rows];
        let mut lo = vec![f32::NAN; cols * rows];
        for row in 0..rows {
            for col in 0..cols {
                let (a, b) = (col.saturating_sub(radius), (col + radius).min(cols - 1));
                let (mut mx, mut mn) = (f32::NAN, f32::NAN);
                for c in a..=b {
                    let v = self.elevation_m[row * cols + c];
                    mx = mx.max(v);
                    mn = mn.min(v);
                }
                hi[row * cols + col] = mx;
                lo[row * cols + col] = mn;
            }
        }
        for col in 0..cols {
            for row in 0..rows {
                let (a, b) = (row.saturating_sub(radius), (row + radius).min(rows - 1));
                let (mut mx, mut mn) = (f32::NAN, f32::NAN);
                for r in a..=b {
                    mx = mx.max(hi[r * cols + col]);
                    mn = mn.min(lo[r * cols + col]);
                }
                let i = row * cols + col;
                self.class[i] = if mx.is_nan() {
                    // No elevation: the ledger's assumption for unknown terrain.
                    class_index(TerrainClass::Rolling)
                } else {
                    class_index(classify(f64::from(mx - mn), &settings.ledger.terrain))
                };
            }
        }
    }

    fn precompute_moves(&mut self) {
        let rows = self.grid.rows;
        self.move_m = vec![f64::NAN; rows * MOVES.len()];
        self.row_cos = (0..rows)
            .map(|r| self.grid.centre(0, r).1.to_radians().cos())
            .collect();
        let col = self.grid.cols / 2;
        for row in 0..rows {
            let (lon, lat) = self.grid.centre(col, row);
            for (k, &(dc, dr)) in MOVES.iter().enumerate() {
                let r2 = row as i64 + i64::from(dr);
                if r2 < 0 || r2 >= rows as i64 {
                    continue;
                }
                let (lon2, lat2) = self.grid.centre(col, r2 as usize);
                let lon2 = lon2 + f64::from(dc) * self.grid.cell_lon_deg;
                self.move_m[row * MOVES.len() + k] =
                    Geodesic.distance(Point::new(lon, lat), Point::new(lon2, lat2));
            }
        }
    }

    /// Recompute the per-cell search weights from flags, classes and the cost model (after
    /// a test edits cells).
    fn refresh_search_costs(&mut self) {
        for i in 0..self.grid.len() {
            self.search_usd_per_km[i] = self.search_cost_of(i) as f32;
        }
    }

    fn search_cost_of(&self, i: usize) -> f64 {
        let reuse = self.model.reuse_search_usd_per_km;
        self.cell_usd_per_km(i, reuse, reuse)
    }

    /// USD per km through cell `i`: `track_usd_per_km` on existing track, `ferry_usd_per_km`
    /// on water a ferry crosses, the terrain class's price elsewhere on land, infinite on
    /// other water.
    fn cell_usd_per_km(&self, i: usize, track_usd_per_km: f64, ferry_usd_per_km: f64) -> f64 {
        let flags = self.flags[i];
        if flags & FLAG_TRACK != 0 {
            track_usd_per_km
        } else if flags & FLAG_WATER != 0 {
            if flags & FLAG_FERRY != 0 {
                ferry_usd_per_km
            } else {
                f64::INFINITY
            }
        } else {
            self.model.terrain_usd_per_km[usize::from(self.class[i].min(3))]
        }
    }

    /// Search weight of a km through cell `i` (USD/km), infinite if impassable.
    #[must_use]
    pub fn search_usd_per_km(&self, i: usize) -> f32 {
        self.search_usd_per_km[i]
    }

    /// What a km through cell `i` costs to build or upgrade (USD/km): the ledger's price,
    /// without the steep allowance. Nothing on a ferry's sea leg (the ledger's sea), infinite
    /// on other water without track.
    #[must_use]
    pub fn price_usd_per_km(&self, i: usize) -> f64 {
        self.cell_usd_per_km(i, self.model.upgrade_usd_per_km, 0.0)
    }

    #[must_use]
    pub fn flags(&self, i: usize) -> u8 {
        self.flags[i]
    }

    /// Whether reusable track runs through cell `i`.
    #[must_use]
    pub fn is_track(&self, i: usize) -> bool {
        self.flags[i] & FLAG_TRACK != 0
    }

    /// Whether a path through cell `i` follows an existing line, track or ferry, so it has no
    /// grade of its own to build (no steep allowance).
    #[must_use]
    pub fn follows_line(&self, i: usize) -> bool {
        self.flags[i] & (FLAG_TRACK | FLAG_FERRY) != 0
    }

    /// Whether cell `i` lies within the gate radius of a border post ([`FLAG_GATE`]).
    #[must_use]
    pub fn is_gate(&self, i: usize) -> bool {
        self.flags[i] & FLAG_GATE != 0
    }

    /// Whether the border between countries `a` and `b` has a border post, so that it may be
    /// crossed only there (issue 15: "only at a gate"). A border without any post may still be
    /// crossed anywhere, as a new gate that pays the new-gate penalty.
    #[must_use]
    pub fn is_gated_pair(&self, a: u16, b: u16) -> bool {
        let pair = (a.min(b), a.max(b));
        self.gated_pairs.contains(&pair)
    }

    /// Declare the pairs of countries whose border has a post (see
    /// [`CostSurface::is_gated_pair`]), replacing any declared before.
    pub fn set_gated_pairs(&mut self, pairs: &[(u16, u16)]) {
        self.gated_pairs.clear();
        for &(a, b) in pairs {
            let pair = (a.min(b), a.max(b));
            if a != b && !self.gated_pairs.contains(&pair) {
                self.gated_pairs.push(pair);
            }
        }
    }

    /// Whether cell `i` can be built through (land, or sea on a ferry route).
    #[must_use]
    pub fn is_passable(&self, i: usize) -> bool {
        self.search_usd_per_km[i].is_finite()
    }

    /// Elevation of cell `i` (m), NaN without data.
    #[must_use]
    pub fn elevation_m(&self, i: usize) -> f32 {
        self.elevation_m[i]
    }

    /// Elevation (m) at a lon/lat, bilinear between cell centres (NaN without data): the
    /// field the search's move grades sample at cell centres, for grades along a finished
    /// line.
    #[must_use]
    pub fn elevation_at_m(&self, lon: f64, lat: f64) -> f64 {
        let g = &self.grid;
        let fx = ((lon - g.west_deg) / g.cell_lon_deg - 0.5).clamp(0.0, (g.cols - 1) as f64);
        let fy = ((g.north_deg - lat) / g.cell_lat_deg - 0.5).clamp(0.0, (g.rows - 1) as f64);
        let (x0, y0) = (fx.floor() as usize, fy.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(g.cols - 1), (y0 + 1).min(g.rows - 1));
        let (tx, ty) = (fx - x0 as f64, fy - y0 as f64);
        let v = |x, y| f64::from(self.elevation_m[g.index(x, y)]);
        let top = v(x0, y0) + (v(x1, y0) - v(x0, y0)) * tx;
        let bottom = v(x0, y1) + (v(x1, y1) - v(x0, y1)) * tx;
        top + (bottom - top) * ty
    }

    /// Country index of cell `i`, [`NO_COUNTRY`] on water.
    #[must_use]
    pub fn country(&self, i: usize) -> u16 {
        self.country[i]
    }

    /// ISO code of a country index.
    #[must_use]
    pub fn country_code(&self, id: u16) -> Option<&str> {
        self.countries.get(usize::from(id)).map(String::as_str)
    }

    /// Terrain class of cell `i`.
    #[must_use]
    pub fn terrain_class(&self, i: usize) -> TerrainClass {
        match self.class[i] {
            0 => TerrainClass::Flat,
            1 => TerrainClass::Rolling,
            2 => TerrainClass::Hilly,
            _ => TerrainClass::Mountainous,
        }
    }

    /// Geodesic length (m) of move `k` of [`MOVES`] from a cell in `row`; NaN off the grid.
    #[must_use]
    pub fn move_length_m(&self, row: usize, k: usize) -> f64 {
        self.move_m[row * MOVES.len() + k]
    }

    /// Cosine of the latitude of row `row`'s centres.
    #[must_use]
    pub fn row_cos(&self, row: usize) -> f64 {
        self.row_cos[row]
    }

    /// Bytes held by the per-cell arrays (the benchmark reports it).
    #[must_use]
    pub fn memory_bytes(&self) -> usize {
        self.elevation_m.len() * 4
            + self.class.len()
            + self.flags.len()
            + self.country.len() * 2
            + self.search_usd_per_km.len() * 4
            + self.move_m.len() * 8
            + self.row_cos.len() * 8
    }

    /// Set a cell's elevation (m): for synthetic surfaces in tests. Classes are not
    /// recomputed; use [`CostSurface::set_class`].
    pub fn set_elevation_m(&mut self, i: usize, elevation_m: f32) {
        self.elevation_m[i] = elevation_m;
    }

    /// Set a cell's terrain class: for synthetic surfaces in tests.
    pub fn set_class(&mut self, i: usize, class: TerrainClass) {
        self.class[i] = class_index(class);
        self.search_usd_per_km[i] = self.search_cost_of(i) as f32;
    }

    /// Set a cell's flags ([`FLAG_WATER`], [`FLAG_TRACK`], [`FLAG_FERRY`]): for synthetic
    /// surfaces in tests.
    pub fn set_flags(&mut self, i: usize, flags: u8) {
        self.flags[i] = flags;
        self.search_usd_per_km[i] = self.search_cost_of(i) as f32;
    }

    /// Set a cell's country index: for synthetic surfaces in tests.
    pub fn set_country(&mut self, i: usize, id: u16) {
        self.country[i] = id;
    }

    /// The cell of a lon/lat, clamped onto the grid.
    #[must_use]
    pub fn cell_clamped(&self, lon: f64, lat: f64) -> (usize, usize) {
        self.grid.cell_clamped(lon, lat)
    }
}

/// Whether a rail feature is track a suggestion may reuse: the one rule
/// ([`ReuseRule::is_track`]), so exactly what the ledger counts as reused track. Proposed
/// lines are not track (they are what a suggestion competes with), and neither is a ferry:
/// its sea leg is crossable ([`FLAG_FERRY`]) but priced like the ledger's sea, not reused.
pub(crate) fn is_track(f: &Feature, rule: ReuseRule) -> bool {
    rule.is_track(f)
}

/// The flag a rail feature gives the cells it passes: [`FLAG_TRACK`] if it is reusable
/// track, [`FLAG_FERRY`] if it is a ferry, none otherwise.
fn line_flag(f: &Feature, rule: ReuseRule) -> Option<u8> {
    match RailStatus::of_feature(f)? {
        RailStatus::Ferry => Some(FLAG_FERRY),
        s if rule.reusable(s) => Some(FLAG_TRACK),
        _ => None,
    }
}

/// The search grid over the settings' region at `resolution_km`, or an error if it has more
/// cells than the settings accept.
fn checked_grid(settings: &SuggestSettings, resolution_km: f64) -> Result<GridSpec, SuggestError> {
    let grid = GridSpec::covering(settings.region_deg, resolution_km);
    if grid.len() > settings.max_cells {
        return Err(SuggestError::TooManyCells {
            cells: grid.len(),
            max: settings.max_cells,
        });
    }
    Ok(grid)
}
