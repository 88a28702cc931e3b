//! The vertical design line: a formation level along the line that is never steeper than the
//! maximum design grade and costs least in earthworks plus structures.
//!
//! Stations are equally spaced along the ground profile. The formation level takes values
//! on a grid of `LEVELS_PER_STEP` levels per maximum rise of one station step, so the grade
//! limit is a bound on the level change between stations, and a dynamic programme over
//! (station, level) finds the cheapest grade line exactly on that grid. Cost per station:
//! cut or fill of depth d is earthworks (`d·(w + s·d)` m² of cross-section for formation
//! width w and side slope s, times the station's length, times the price per m³) until d
//! passes the tunnel (cut) or bridge (fill) threshold; beyond, the station is a tunnel or a
//! bridge at their price per metre. Stations at sea cost nothing and carry no structure.
//!
//! The levels searched at each station are a band around the ground, widened where needed so
//! a grade-limited line always fits: its edges are the tightest functions of the maximum grade
//! below (above) the ground minus (plus) a margin — computed by a forward and a backward pass
//! — so the programme is linear in stations × band and always finds a line.

use super::model::{DesignLine, DesignPoint, ProfilePoint, Structure, StructureKind};
use super::profile::elevation_at;

/// Levels per maximum rise of one station step: the grid's fineness.
pub const LEVELS_PER_STEP: usize = 2;
/// The finest level step (m): keeps the band a few hundred levels even for gentle grades.
/// Below `LEVELS_PER_STEP × MIN_LEVEL_STEP_M` of rise per station the grid is coarser than
/// the grade allows, so fewer levels per station are used (down to none: a level line).
pub const MIN_LEVEL_STEP_M: f64 = 0.25;
/// How far beyond the tunnel and bridge thresholds (m) the band searches.
const BAND_MARGIN_M: f64 = 40.0;
/// A tie-breaker (US dollars per metre of depth per metre of line): among lines of equal
/// cost, prefer the one nearer the ground (e.g. inside a tunnel).
const NEAR_GROUND_USD: f64 = 1e-3;

/// What the design line is fitted with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DesignRules {
    pub max_grade_pct: f64,
    pub tunnel_cut_m: f64,
    pub bridge_fill_m: f64,
    pub formation_width_m: f64,
    pub side_slope: f64,
    pub earthworks_usd_per_m3: f64,
    pub tunnel_usd_per_m: f64,
    pub bridge_usd_per_m: f64,
    /// Largest spacing (m) of the design stations.
    pub station_spacing_m: f64,
}

impl DesignRules {
    /// Cross-section area (m²) of a cut or fill `depth_m` deep.
    fn area_m2(&self, depth_m: f64) -> f64 {
        depth_m * (self.formation_width_m + self.side_slope * depth_m)
    }

    /// Cost per metre of line (US dollars) of formation `cut_m` below the ground (negative:
    /// above it).
    #[must_use]
    pub fn cost_per_m(&self, cut_m: f64) -> f64 {
        let d = cut_m.abs();
        let tie = NEAR_GROUND_USD * d;
        if cut_m > self.tunnel_cut_m {
            self.tunnel_usd_per_m + tie
        } else if -cut_m > self.bridge_fill_m {
            self.bridge_usd_per_m + tie
        } else {
            self.area_m2(d) * self.earthworks_usd_per_m3 + tie
        }
    }
}

/// The cheapest grade line over `ground_m` (equally spaced stations) whose level changes
/// by at most `max_rise_m` per station, on a grid of `max_rise_m / LEVELS_PER_STEP` levels
/// (or [`MIN_LEVEL_STEP_M`] if that is finer, with as many levels per station as fit in
/// `max_rise_m`).
/// `cost(i, cut_m)` is station `i`'s cost with the formation `cut_m` below the ground.
///
/// The band of levels searched is `ground − cut_band_m ..= ground + fill_band_m`, widened as
/// the module says; an empty ground gives an empty line.
pub fn optimise(
    ground_m: &[f64],
    max_rise_m: f64,
    (cut_band_m, fill_band_m): (f64, f64),
    cost: impl Fn(usize, f64) -> f64,
) -> Vec<f64> {
    let n = ground_m.len();
    if n == 0 || !(max_rise_m.is_finite() && max_rise_m > 0.0) {
        return ground_m.to_vec();
    }
    let step_m = (max_rise_m / LEVELS_PER_STEP as f64).max(MIN_LEVEL_STEP_M);
    let k = (max_rise_m / step_m + 1e-9).floor() as i64;
    // The rise the grid can take per station (≤ max_rise_m).
    let max_rise_m = k as f64 * step_m;
    // Band edges that a grade-limited line can always follow (1-D distance transforms).
    let mut lo: Vec<f64> = ground_m.iter().map(|g| g - cut_band_m).collect();
    let mut hi: Vec<f64> = ground_m.iter().map(|g| g + fill_band_m).collect();
    for i in 1..n {
        lo[i] = lo[i].min(lo[i - 1] + max_rise_m);
        hi[i] = hi[i].max(hi[i - 1] - max_rise_m);
    }
    for i in (0..n - 1).rev() {
        lo[i] = lo[i].min(lo[i + 1] + max_rise_m);
        hi[i] = hi[i].max(hi[i + 1] - max_rise_m);
    }
    // Integer levels; floor and ceil keep each edge within k levels per station. The tiny
    // slack absorbs rounding in `x / step_m` of an edge that is exactly on the grid.
    let lo: Vec<i64> = lo
        .iter()
        .map(|v| (v / step_m + 1e-9).floor() as i64)
        .collect();
    let hi: Vec<i64> = hi
        .iter()
        .map(|v| (v / step_m - 1e-9).ceil() as i64)
        .collect();
    let level_m = |l: i64| l as f64 * step_m;

    // costs[l - lo[i]]: cheapest line from station 0 to level l at station i; `from` holds
    // each state's predecessor offset (−k..=k) for the backtrack.
    let mut offsets: Vec<usize> = Vec::with_capacity(n + 1);
    let mut from: Vec<i8> = Vec::new();
    offsets.push(0);
    let mut costs: Vec<f64> = (lo[0]..=hi[0])
        .map(|l| cost(0, ground_m[0] - level_m(l)))
        .collect();
    from.extend(std::iter::repeat_n(0, costs.len()));
    offsets.push(from.len());
    for i in 1..n {
        let mut next = Vec::with_capacity((hi[i] - lo[i] + 1) as usize);
        for l in lo[i]..=hi[i] {
            let mut best = (f64::INFINITY, 0_i8);
            for d in -k..=k {
                let p = l + d;
                if p < lo[i - 1] || p > hi[i - 1] {
                    continue;
                }
                let c = costs[(p - lo[i - 1]) as usize];
                if c < best.0 {
                    best = (c, d as i8);
                }
            }
            next.push(best.0 + cost(i, ground_m[i] - level_m(l)));
            from.push(best.1);
        }
        costs = next;
        offsets.push(from.len());
    }
    let (mut l, _) =
        costs.iter().enumerate().fold(
            (0, f64::INFINITY),
            |(bi, bc), (j, &c)| {
                if c < bc { (j, c) } else { (bi, bc) }
            },
        );
    let mut level = lo[n - 1] + l as i64;
    let mut out = vec![0.0; n];
    for i in (0..n).rev() {
        out[i] = level_m(level);
        if i > 0 {
            l = (level - lo[i]) as usize;
            level += i64::from(from[offsets[i] + l]);
        }
    }
    out
}

/// The design line of a ground profile; `at_sea(chainage_m)` marks stations on a sea leg.
/// `None` for a profile of fewer than two points.
#[must_use]
pub fn design_line(
    profile: &[ProfilePoint],
    rules: &DesignRules,
    at_sea: impl Fn(f64) -> bool,
) -> Option<DesignLine> {
    let (first, last) = (profile.first()?.chainage_m, profile.last()?.chainage_m);
    let span_m = last - first;
    if profile.len() < 2 || span_m <= 0.0 {
        return None;
    }
    let spacing_m = rules.station_spacing_m.max(10.0);
    let steps = (span_m / spacing_m).ceil().max(1.0) as usize;
    let dx_m = span_m / steps as f64;
    let chainage: Vec<f64> = (0..=steps).map(|i| first + dx_m * i as f64).collect();
    let ground: Vec<f64> = chainage
        .iter()
        .map(|&c| elevation_at(profile, c).unwrap_or(0.0))
        .collect();
    let sea: Vec<bool> = chainage.iter().map(|&c| at_sea(c)).collect();
    // At sea the line is a ferry at sea level: the band follows the surface, not the bed.
    let surface: Vec<f64> = ground
        .iter()
        .zip(&sea)
        .map(|(&g, &s)| if s { g.max(0.0) } else { g })
        .collect();
    // Each station stands for dx of line, the two ends for half of it.
    let weight_m = |i: usize| {
        if i == 0 || i == steps {
            dx_m / 2.0
        } else {
            dx_m
        }
    };
    let max_rise_m = rules.max_grade_pct.max(0.0) / 100.0 * dx_m;
    let bands = (
        rules.tunnel_cut_m + BAND_MARGIN_M,
        rules.bridge_fill_m + BAND_MARGIN_M,
    );
    let levels = if max_rise_m > 0.0 {
        optimise(&surface, max_rise_m, bands, |i, cut_m| {
            if sea[i] {
                0.0
            } else {
                weight_m(i) * rules.cost_per_m(cut_m)
            }
        })
    } else {
        // A zero grade: the best flat line is a 1-D search; keep it simple and level at the
        // mean ground (a planner asking for 0 % gets a level line).
        let mean = ground.iter().sum::<f64>() / ground.len() as f64;
        vec![mean; ground.len()]
    };
    Some(summarise(&chainage, &ground, &levels, &sea, rules, dx_m))
}

/// Structures, volumes and cost of a solved line.
fn summarise(
    chainage: &[f64],
    ground: &[f64],
    levels: &[f64],
    sea: &[bool],
    rules: &DesignRules,
    dx_m: f64,
) -> DesignLine {
    let n = chainage.len();
    let (start, end) = (chainage[0], chainage[n - 1]);
    let mut line = DesignLine {
        formation_width_m: rules.formation_width_m,
        side_slope: rules.side_slope,
        ..DesignLine::default()
    };
    let mut open: Option<Structure> = None;
    for i in 0..n {
        let w = if i == 0 || i == n - 1 {
            dx_m / 2.0
        } else {
            dx_m
        };
        let cut_m = ground[i] - levels[i];
        line.points.push(DesignPoint {
            chainage_m: chainage[i],
            ground_m: ground[i],
            design_m: levels[i],
        });
        if i > 0 {
            let grade = (levels[i] - levels[i - 1]).abs() / dx_m * 100.0;
            line.steepest_grade_pct = line.steepest_grade_pct.max(grade);
        }
        let kind = if sea[i] {
            None
        } else if cut_m > rules.tunnel_cut_m {
            Some(StructureKind::Tunnel)
        } else if -cut_m > rules.bridge_fill_m {
            Some(StructureKind::Bridge)
        } else {
            None
        };
        if !sea[i] {
            line.cost_usd += w * rules.cost_per_m(cut_m);
            if kind.is_none() {
                let v = rules.area_m2(cut_m.abs()) * w;
                if cut_m > 0.0 {
                    line.cut_m3 += v;
                } else {
                    line.fill_m3 += v;
                }
            }
        }
        let from_m = (chainage[i] - dx_m / 2.0).max(start);
        let to_m = (chainage[i] + dx_m / 2.0).min(end);
        match (&mut open, kind) {
            (Some(s), Some(k)) if s.kind == k => {
                s.end_m = to_m;
                s.max_depth_m = s.max_depth_m.max(cut_m.abs());
            }
            (_, k) => {
                if let Some(s) = open.take() {
                    line.structures.push(s);
                }
                open = k.map(|kind| Structure {
                    kind,
                    start_m: from_m,
                    end_m: to_m,
                    length_m: 0.0,
                    max_depth_m: cut_m.abs(),
                });
            }
        }
    }
    line.structures.extend(open);
    for s in &mut line.structures {
        s.length_m = s.end_m - s.start_m;
        match s.kind {
            StructureKind::Tunnel => line.tunnel_m += s.length_m,
            StructureKind::Bridge => line.bridge_m += s.length_m,
        }
    }
    line
}
