//! What the suggestion assumes beyond the ledger's unit costs: region, resolution, how much
//! to prefer existing track, how to tell alternatives apart.
//!
//! Every price comes from [`LedgerSettings`] (the same numbers the ledger reports), so a
//! suggested alignment and a hand-drawn one are costed alike. The items here are routing
//! preferences the ledger has no use for; each says why it exists and what its default means.

use serde::{Deserialize, Serialize};

use crate::measure::ledger::LedgerSettings;

/// Default cell size (km). ETOPO5 cells are ~9 km, so 3 km cells interpolate terrain but
/// resolve track, coasts and borders three times finer, and keep a region-wide search within
/// a second.
pub const DEFAULT_RESOLUTION_KM: f64 = 3.0;

/// Settings of a suggestion (the `suggest` function). Missing keys in a file take these defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SuggestSettings {
    /// Unit costs, design grade, terrain thresholds, reuse rules: the ledger's.
    pub ledger: LedgerSettings,
    /// Region covered by the cost surface: west, south, east, north (degrees). Default: the
    /// corridor region the map opens on.
    pub region_deg: [f64; 4],
    /// Cell size (km). `None`: [`DEFAULT_RESOLUTION_KM`], or the DEM's cell size when a finer
    /// DEM is given (never below [`SuggestSettings::min_resolution_km`]).
    pub resolution_km: Option<f64>,
    /// Finest automatic cell size (km), so a 30 m DEM does not ask for 3 billion cells.
    pub min_resolution_km: f64,
    /// Refuse surfaces with more cells than this (memory: 12 bytes per cell, plus 4 per cell
    /// for each running suggestion).
    pub max_cells: usize,
    /// Search weight of a km of reused track, as a share of its upgrade price. The ledger
    /// prices an upgrade ($1.1 M/km) above flat new build ($0.67 M/km), yet planners reuse
    /// track wherever they can: no land to acquire, years sooner in service, traffic already
    /// there. 0.25 makes a km of track weigh less than half a km of the cheapest new build.
    /// Reported costs always use the full upgrade price.
    pub reuse_preference: f64,
    /// Search weight of one border crossing, in km of flat new build (customs yards, dwell,
    /// a second operator). Not part of the reported construction cost.
    pub border_penalty_flat_km: f64,
    /// The search is confined to the endpoints' box grown by this share of their distance…
    pub search_margin_share: f64,
    /// …and by at least this much (km).
    pub min_search_margin_km: f64,
    /// Cells within this distance (km) of an earlier alternative weigh more in the next
    /// search…
    pub corridor_km: f64,
    /// …by this factor (compounding if a search returns to the same corridor).
    pub corridor_multiplier: f64,
    /// A candidate closer than this (m, Hausdorff distance on the lines densified to 1 km)
    /// to an earlier alternative, and crossing borders at the same posts, is not genuinely
    /// different and is dropped (75 km: a different valley or gate, not a wiggle).
    pub min_separation_m: f64,
    /// Searches tried beyond the number of alternatives asked for, before giving up on
    /// finding more genuinely different ones.
    pub extra_attempts: usize,
    /// Simplification tolerance (m) for new-build stretches (Douglas–Peucker in a local
    /// projection).
    pub simplify_tolerance_m: f64,
    /// Whether borders are crossed at border posts (issue 15): a crossing away from the
    /// bundled posts pays [`SuggestSettings::new_gate_penalty_flat_km`] more, and land near a
    /// border but away from a post weighs [`SuggestSettings::border_strip_multiplier`] times
    /// more, so a path neither runs along a border nor dips across it and back. Off: the
    /// plain border penalty only (the benchmark's baseline).
    pub border_posts: bool,
    /// A border move whose two ends both lie within this distance (km) of a bundled border
    /// post crosses at that post. Under the ledger's `crossing_search_m` (10 km) by the
    /// slack of the rasterised border and of simplification, so that the ledger names the
    /// post at the crossing it measures on the real border. Every bundled post lies within
    /// 6.4 km of its border (Spin Boldak), so each has border cells within the radius.
    pub gate_radius_km: f64,
    /// Extra search weight of a crossing away from every post (a new gate: customs yards to
    /// build, a treaty to sign), in km of flat new build, on top of the border penalty.
    pub new_gate_penalty_flat_km: f64,
    /// Land within this distance (km) of another country, away from posts, is the border
    /// strip…
    pub border_strip_km: f64,
    /// …and weighs this many times more in the search (≥ 1).
    pub border_strip_multiplier: f64,
    /// The search right after an accepted alternative may not pass the gates of the posts it
    /// crossed at (except posts at a start, end or via place), so the next alternative tries
    /// another gate (Kharlachi after Torkham) before another valley to the same one; if that
    /// is implausible it is dropped, and later searches may return to the gate.
    pub other_gates_first: bool,
    /// Where a finer DEM is open, search the mountain stretches of each alternative again on
    /// a local grid at that DEM's resolution (no finer than `min_resolution_km`): a pass or
    /// gorge narrower than the region-wide cells is found there.
    pub refine_near_passes: bool,
    /// An alternative longer than this many times the shortest one is not plausible and is
    /// dropped.
    pub max_length_ratio: f64,
    /// An alternative longer than this many times the geodesic through its places (start,
    /// via places, end) is a detour and is dropped, however the others compare: the ×2.14 route
    /// via Turkmenistan, Herat and Zabol that issue 15 measured for Termez → Karachi.
    pub max_detour_ratio: f64,
    /// An alternative costing more than this many times the cheapest one is dropped.
    pub max_cost_ratio: f64,
    /// An alternative whose highest point (on the DEM used) is above this is dropped: 5,072 m
    /// is the Tanggula Pass of the Qinghai–Tibet railway, the highest railway ever built. A
    /// route over the Himalaya at 5,700 m obeys the gate rules and is still no railway.
    pub max_summit_m: f64,
}

impl Default for SuggestSettings {
    fn default() -> Self {
        Self {
            ledger: LedgerSettings::default(),
            region_deg: [44.0, 20.0, 90.0, 56.0],
            resolution_km: None,
            min_resolution_km: 0.5,
            max_cells: 30_000_000,
            reuse_preference: 0.25,
            border_penalty_flat_km: 50.0,
            search_margin_share: 0.4,
            min_search_margin_km: 250.0,
            corridor_km: 40.0,
            corridor_multiplier: 2.0,
            min_separation_m: 75_000.0,
            extra_attempts: 5,
            simplify_tolerance_m: 1_500.0,
            border_posts: true,
            gate_radius_km: 7.5,
            new_gate_penalty_flat_km: 800.0,
            border_strip_km: 6.0,
            border_strip_multiplier: 2.0,
            other_gates_first: true,
            refine_near_passes: true,
            max_length_ratio: 1.6,
            max_detour_ratio: 2.0,
            max_cost_ratio: 2.0,
            max_summit_m: 5_072.0,
        }
    }
}

impl SuggestSettings {
    /// The cell size (km) for a surface whose finest DEM has cells of `finest_dem_km`.
    #[must_use]
    pub fn effective_resolution_km(&self, finest_dem_km: f64) -> f64 {
        self.resolution_km.unwrap_or_else(|| {
            DEFAULT_RESOLUTION_KM
                .min(finest_dem_km)
                .max(self.min_resolution_km)
        })
    }

    /// Why these settings cannot be used, if they cannot (the first problem found).
    #[must_use]
    pub fn problem(&self) -> Option<String> {
        if let Some(p) = self.ledger.problem() {
            return Some(p);
        }
        let [w, s, e, n] = self.region_deg;
        if !([w, s, e, n].iter().all(|v| v.is_finite()) && w < e && s < n && s > -85.0 && n < 85.0)
        {
            return Some(format!(
                "region_deg must be west < east and south < north within ±85°, got {:?}",
                self.region_deg
            ));
        }
        if let Some(r) = self.resolution_km
            && !(r.is_finite() && r > 0.0)
        {
            return Some(format!("resolution_km must be a positive number, got {r}"));
        }
        let positive = [
            ("min_resolution_km", self.min_resolution_km),
            ("corridor_km", self.corridor_km),
            ("simplify_tolerance_m", self.simplify_tolerance_m),
            ("gate_radius_km", self.gate_radius_km),
            ("border_strip_km", self.border_strip_km),
            ("max_summit_m", self.max_summit_m),
        ];
        for (name, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                return Some(format!("{name} must be a positive number, got {v}"));
            }
        }
        let non_negative = [
            ("reuse_preference", self.reuse_preference),
            ("border_penalty_flat_km", self.border_penalty_flat_km),
            ("search_margin_share", self.search_margin_share),
            ("min_search_margin_km", self.min_search_margin_km),
            ("min_separation_m", self.min_separation_m),
            ("new_gate_penalty_flat_km", self.new_gate_penalty_flat_km),
        ];
        for (name, v) in non_negative {
            if !(v.is_finite() && v >= 0.0) {
                return Some(format!("{name} must be a non-negative number, got {v}"));
            }
        }
        let at_least_one = [
            ("corridor_multiplier", self.corridor_multiplier),
            ("border_strip_multiplier", self.border_strip_multiplier),
            ("max_length_ratio", self.max_length_ratio),
            ("max_detour_ratio", self.max_detour_ratio),
            ("max_cost_ratio", self.max_cost_ratio),
        ];
        for (name, v) in at_least_one {
            if !(v.is_finite() && v >= 1.0) {
                return Some(format!("{name} must be at least 1, got {v}"));
            }
        }
        None
    }
}
