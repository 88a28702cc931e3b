//! The least-cost path over a [`CostSurface`]: A* with 16-neighbour moves.
//!
//! A move's weight is its geodesic length × the mean weight of the cells it passes through
//! (both ends, plus the two cells a knight move crosses), plus:
//! - the steep allowance per km when the move is steeper than the maximum design grade
//!   (elevation difference / geodesic length) and not on existing track. Steep moves are
//!   *allowed* and pay for the tunnels and viaducts that would keep the grade: a real line
//!   over a range without a pass is built that way. Because the allowance ($16 M/km by
//!   default) is more than twice the mountainous rate, the search detours through a pass
//!   whenever one is within a few times the crossing's length.
//! - the border penalty when the two ends lie in different countries. Unless both ends are
//!   within the gate radius of a border post (so the crossing point, between them, is within
//!   it too), the move is impossible where that border has a post elsewhere
//!   ([`CostSurface::is_gated_pair`]: borders are crossed only at gates) and pays the new-gate
//!   penalty on top where it has none.
//!
//! A diagonal move needs at least one of its two side cells passable (it cannot slip between
//! two water cells touching at a corner); a knight move needs both crossed cells passable.
//!
//! The heuristic is the great-circle distance on a sphere 1 % smaller than the Earth's mean
//! radius (so never above the WGS84 geodesic) × the cheapest weight of any km: admissible,
//! so the path is optimal on the grid.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};

use super::error::SuggestError;
use super::surface::{CostSurface, GridSpec, MOVES, move_via};

/// Radius (m) of the sphere the heuristic measures on: 1 % under the mean Earth radius, so
/// its great circles are never longer than WGS84 geodesics.
const HEURISTIC_RADIUS_M: f64 = 6_371_008.8 * 0.99;

/// How many nodes are expanded between two looks at the cancel flag (a few milliseconds).
const CANCEL_EVERY: usize = 4096;

/// A rectangle of cells the search may use: columns `col0..col1`, rows `row0..row1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub col0: usize,
    pub row0: usize,
    pub col1: usize,
    pub row1: usize,
}

impl Window {
    /// The whole grid.
    #[must_use]
    pub fn full(grid: &GridSpec) -> Self {
        Self {
            col0: 0,
            row0: 0,
            col1: grid.cols,
            row1: grid.rows,
        }
    }

    /// The box of cells `a` and `b` grown by `margin_km` on every side, clipped to the grid.
    #[must_use]
    pub fn around(grid: &GridSpec, a: (usize, usize), b: (usize, usize), margin_km: f64) -> Self {
        let (_, lat) = grid.centre(a.0, a.1);
        let (_, lat_b) = grid.centre(b.0, b.1);
        let cos = lat.abs().max(lat_b.abs()).to_radians().cos().max(0.05);
        let margin_cols =
            (margin_km * 1000.0 / (111_320.0 * cos) / grid.cell_lon_deg).ceil() as usize;
        let margin_rows = (margin_km * 1000.0 / 111_000.0 / grid.cell_lat_deg).ceil() as usize;
        Self {
            col0: a.0.min(b.0).saturating_sub(margin_cols),
            row0: a.1.min(b.1).saturating_sub(margin_rows),
            col1: (a.0.max(b.0) + margin_cols + 1).min(grid.cols),
            row1: (a.1.max(b.1) + margin_rows + 1).min(grid.rows),
        }
    }

    #[must_use]
    pub fn contains(&self, col: i64, row: i64) -> bool {
        col >= self.col0 as i64
            && col < self.col1 as i64
            && row >= self.row0 as i64
            && row < self.row1 as i64
    }

    #[must_use]
    pub fn cols(&self) -> usize {
        self.col1 - self.col0
    }

    #[must_use]
    pub fn rows(&self) -> usize {
        self.row1 - self.row0
    }
}

/// One search: where from, where to, over which cells, with which extra weights.
pub struct SearchInput<'a> {
    pub surface: &'a CostSurface,
    /// Per-cell weight multipliers (≥ 1; infinite = impassable), indexed like the surface:
    /// avoid zones and the corridors of earlier alternatives. `None`: all 1.
    pub overlay: Option<&'a [f32]>,
    pub window: Window,
    pub from: (usize, usize),
    pub to: (usize, usize),
}

/// What one move costs and is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MoveCost {
    /// Weight in the search (USD, with preferences, overlay and penalties).
    pub search_usd: f64,
    /// Geodesic length between the two cell centres.
    pub length_m: f64,
    /// Steeper than the maximum design grade (and not on track): pays the allowance.
    pub steep: bool,
    /// Every cell the move passes through follows an existing line (track or a ferry's sea
    /// leg, [`CostSurface::follows_line`]): no grade of its own.
    pub on_track: bool,
    /// The two ends lie in different countries.
    pub border: bool,
}

/// The cost of move `k` of [`MOVES`] from (`col`, `row`), `None` if it leaves the grid or
/// passes an impassable cell.
#[must_use]
pub fn move_cost(
    surface: &CostSurface,
    overlay: Option<&[f32]>,
    col: usize,
    row: usize,
    k: usize,
) -> Option<MoveCost> {
    let grid = &surface.grid;
    let (dc, dr) = MOVES[k];
    let (c2, r2) = (col as i64 + i64::from(dc), row as i64 + i64::from(dr));
    if c2 < 0 || r2 < 0 || c2 >= grid.cols as i64 || r2 >= grid.rows as i64 {
        return None;
    }
    let weight = |c: i64, r: i64| -> (f64, bool) {
        let i = grid.index(c as usize, r as usize);
        let m = overlay.map_or(1.0, |o| o[i]);
        (
            f64::from(surface.search_usd_per_km(i) * m),
            surface.follows_line(i),
        )
    };
    let a = grid.index(col, row);
    let b = grid.index(c2 as usize, r2 as usize);
    let (wa, ta) = weight(col as i64, row as i64);
    let (wb, tb) = weight(c2, r2);
    if !(wa.is_finite() && wb.is_finite()) {
        return None;
    }
    let (ea, eb) = (surface.elevation_m(a), surface.elevation_m(b));
    // The elevation profile along the move: its ends, plus the crossed cells at their
    // approximate position (the corner of a diagonal at ½, a knight's cells at ⅓ and ⅔), so
    // a move cannot hop over a bump that its ends do not show.
    let mut profile = [(0.0f32, ea), (1.0, eb), (1.0, eb), (1.0, eb)];
    let orthogonal = dc == 0 || dr == 0;
    let (mean, on_track) = if orthogonal {
        (f64::midpoint(wa, wb), ta && tb)
    } else {
        let [v1, v2] = move_via(dc, dr);
        let (c1, r1) = (col as i64 + i64::from(v1.0), row as i64 + i64::from(v1.1));
        let (c2v, r2v) = (col as i64 + i64::from(v2.0), row as i64 + i64::from(v2.1));
        let (w1, t1) = weight(c1, r1);
        let (w2, t2) = weight(c2v, r2v);
        let e1 = surface.elevation_m(grid.index(c1 as usize, r1 as usize));
        let e2 = surface.elevation_m(grid.index(c2v as usize, r2v as usize));
        if dc.abs() == dr.abs() {
            if !(w1.is_finite() || w2.is_finite()) {
                return None;
            }
            profile[1] = (0.5, f32::midpoint(e1, e2));
            (f64::midpoint(wa, wb), ta && tb)
        } else {
            if !(w1.is_finite() && w2.is_finite()) {
                return None;
            }
            profile[1] = (1.0 / 3.0, e1);
            profile[2] = (2.0 / 3.0, e2);
            ((wa + wb + w1 + w2) / 4.0, ta && tb && t1 && t2)
        }
    };
    let length_m = surface.move_length_m(row, k);
    let length_km = length_m / 1000.0;
    let model = &surface.model;
    let steep = !on_track
        && profile.windows(2).any(|p| {
            let run_m = f64::from(p[1].0 - p[0].0) * length_m;
            run_m > 0.0
                && p[0].1.is_finite()
                && p[1].1.is_finite()
                && f64::from((p[1].1 - p[0].1).abs()) / run_m > model.max_grade
        });
    let (ca, cb) = (surface.country(a), surface.country(b));
    let border = ca != cb && ca != super::surface::NO_COUNTRY && cb != super::surface::NO_COUNTRY;
    let mut search_usd = length_km * mean;
    if steep {
        search_usd += length_km * model.steep_allowance_usd_per_km;
    }
    if border {
        search_usd += model.border_penalty_usd;
        if !(surface.is_gate(a) && surface.is_gate(b)) {
            if surface.is_gated_pair(ca, cb) {
                // This border has posts: it is crossed at one of them or not at all.
                return None;
            }
            search_usd += model.new_gate_penalty_usd;
        }
    }
    Some(MoveCost {
        search_usd,
        length_m,
        steep,
        on_track,
        border,
    })
}

/// A path of cells from the search's start to its goal.
#[derive(Clone, Debug, PartialEq)]
pub struct GridPath {
    /// (col, row) of every cell, start first.
    pub cells: Vec<(usize, usize)>,
    /// Total search weight (USD with preferences and penalties).
    pub search_usd: f64,
    /// Nodes expanded (for benchmarks).
    pub expanded: usize,
}

#[derive(Clone, Copy, PartialEq)]
struct Entry {
    f: f64,
    g: f64,
    node: u32,
}

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on f; on ties, the deeper node (larger g) first.
        other.f.total_cmp(&self.f).then(self.g.total_cmp(&other.g))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The least-cost path from `input.from` to `input.to` within `input.window`.
///
/// `progress` gets the share of the window's cells expanded so far (a rough upper bound of
/// the work left); `cancel` is read every few thousand expansions.
pub fn least_cost_path(
    input: &SearchInput<'_>,
    progress: &dyn Fn(f32),
    cancel: &AtomicBool,
) -> Result<GridPath, SuggestError> {
    let surface = input.surface;
    let grid = &surface.grid;
    let win = input.window;
    for (c, r) in [input.from, input.to] {
        if !win.contains(c as i64, r as i64) {
            return Err(SuggestError::NoRoute(
                "an endpoint lies outside the search window".into(),
            ));
        }
    }
    let wcols = win.cols();
    let cell_count = wcols * win.rows();
    let local = |c: usize, r: usize| (r - win.row0) * wcols + (c - win.col0);
    let global = |i: usize| (win.col0 + i % wcols, win.row0 + i / wcols);

    let cheapest_per_m = surface.model.cheapest_usd_per_km() / 1000.0;
    let (goal_lon, goal_lat) = grid.centre(input.to.0, input.to.1);
    let goal_cos = goal_lat.to_radians().cos();
    let heuristic = |c: usize, r: usize| -> f64 {
        let (lon, lat) = grid.centre(c, r);
        let dlat = (goal_lat - lat).to_radians();
        let dlon = (goal_lon - lon).to_radians();
        let h =
            (dlat / 2.0).sin().powi(2) + surface.row_cos(r) * goal_cos * (dlon / 2.0).sin().powi(2);
        2.0 * HEURISTIC_RADIUS_M * h.sqrt().min(1.0).asin() * cheapest_per_m
    };

    let mut g_cost = vec![f64::INFINITY; cell_count];
    let mut parent = vec![u32::MAX; cell_count];
    let mut heap = BinaryHeap::new();
    let start = local(input.from.0, input.from.1);
    let goal = local(input.to.0, input.to.1);
    g_cost[start] = 0.0;
    heap.push(Entry {
        f: heuristic(input.from.0, input.from.1),
        g: 0.0,
        node: start as u32,
    });
    let mut expanded = 0usize;
    while let Some(Entry {
        g: g_here, node, ..
    }) = heap.pop()
    {
        let node = node as usize;
        if g_here > g_cost[node] {
            continue;
        }
        if node == goal {
            break;
        }
        expanded += 1;
        if expanded.is_multiple_of(CANCEL_EVERY) {
            if cancel.load(AtomicOrdering::Relaxed) {
                return Err(SuggestError::Cancelled);
            }
            progress((expanded as f32 / cell_count as f32).min(0.99));
        }
        let (c, r) = global(node);
        for (k, &(dc, dr)) in MOVES.iter().enumerate() {
            let (c2, r2) = (c as i64 + i64::from(dc), r as i64 + i64::from(dr));
            if !win.contains(c2, r2) {
                continue;
            }
            let Some(step) = move_cost(surface, input.overlay, c, r, k) else {
                continue;
            };
            let (c2, r2) = (c2 as usize, r2 as usize);
            let next = local(c2, r2);
            let g_next = g_here + step.search_usd;
            if g_next < g_cost[next] {
                g_cost[next] = g_next;
                parent[next] = node as u32;
                heap.push(Entry {
                    f: g_next + heuristic(c2, r2),
                    g: g_next,
                    node: next as u32,
                });
            }
        }
    }
    if !g_cost[goal].is_finite() {
        return Err(SuggestError::NoRoute(
            "no passable route between the endpoints (water or impassable zones in the way)".into(),
        ));
    }
    let mut cells = vec![global(goal)];
    let mut at = goal;
    while at != start {
        at = parent[at] as usize;
        cells.push(global(at));
    }
    cells.reverse();
    progress(1.0);
    Ok(GridPath {
        cells,
        search_usd: g_cost[goal],
        expanded,
    })
}
