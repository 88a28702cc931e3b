//! Finding alternatives: [`suggest`] solves, penalises the corridor of each solution and
//! re-solves, drops candidates too close to an earlier one, and turns the grid paths into
//! alignments and a scenario.

use std::sync::atomic::{AtomicBool, Ordering};

use geo::{Distance, Geodesic, Point};
use serde_json::Value;

use crate::plan::scenario::model::{Alignment, AlignmentId, AlignmentStatus, Scenario, Vertex};

use super::context::{AvoidZone, SuggestContext};
use super::error::SuggestError;
use super::path::{GridPath, SearchInput, Window, least_cost_path};
use super::place::Endpoint;
use super::polish::{self, separation_m};
use super::settings::SuggestSettings;
use super::surface::{self, CostSurface};

/// One suggestion request.
pub struct SuggestProblem<'a> {
    pub context: &'a SuggestContext,
    pub from: Endpoint,
    pub to: Endpoint,
    /// How many alternatives to return at most (1–10).
    pub alternatives: usize,
    pub avoid: Vec<AvoidZone>,
}

/// One suggested alignment and its figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// From the start to the end; the ends carry `SnapRef::Place` when they are named places,
    /// stretches along existing track carry `SnapRef::Rail`.
    pub vertices: Vec<Vertex>,
    /// Estimated construction cost (USD): new build by terrain class, steep allowance and
    /// upgrade of reused track at the ledger's unit costs. Border penalties and the reuse
    /// preference steer the search but are not in this figure.
    pub cost_usd: f64,
    /// WGS84 geodesic length of `vertices`.
    pub length_m: f64,
    /// Geodesic length running along existing track (the trace module's reuse rule with the
    /// ledger's reuse tolerance).
    pub reused_m: f64,
    /// Length costed as new build steeper than the design grade (pays the allowance).
    pub steep_m: f64,
    /// Countries crossed, ISO alpha-3, in order.
    pub countries: Vec<String>,
    /// Number of border crossings.
    pub border_crossings: usize,
    /// One line for the panel and the file's description.
    pub note: String,
}

/// Find up to `problem.alternatives` genuinely different low-cost alignments.
///
/// Pure and synchronous: run it on a worker thread. `progress` receives 0..=1; `cancel` is
/// read every few milliseconds and turns the call into `Err(Cancelled)`.
///
/// After each solution, the cells within `corridor_km` of it weigh `corridor_multiplier`
/// times more and the search runs again; a candidate within `min_separation_m` (Hausdorff)
/// of an earlier suggestion is dropped. Fewer alternatives than asked come back when the
/// region offers no more (after `extra_attempts` further searches).
pub fn suggest(
    problem: &SuggestProblem<'_>,
    progress: &dyn Fn(f32),
    cancel: &AtomicBool,
) -> Result<Vec<Suggestion>, SuggestError> {
    let ctx = problem.context;
    let settings = &ctx.settings;
    let surface = &ctx.surface;
    let grid = &surface.grid;
    if !(1..=10).contains(&problem.alternatives) {
        return Err(SuggestError::Problem(format!(
            "alternatives must be between 1 and 10, got {}",
            problem.alternatives
        )));
    }
    progress(0.0);
    let avoid = avoid_overlay(surface, &problem.avoid);
    let from_cell = endpoint_cell(surface, &avoid, &problem.from, "start")?;
    let to_cell = endpoint_cell(surface, &avoid, &problem.to, "end")?;
    if from_cell == to_cell {
        return Err(SuggestError::Problem(format!(
            "{} and {} fall in the same {:.1} km cell: nothing to suggest",
            problem.from.label,
            problem.to.label,
            ctx.resolution_km()
        )));
    }
    let distance_km = Geodesic.distance(
        Point::new(problem.from.lon, problem.from.lat),
        Point::new(problem.to.lon, problem.to.lat),
    ) / 1000.0;
    let margin_km = (distance_km * settings.search_margin_share).max(settings.min_search_margin_km);
    let window = Window::around(grid, from_cell, to_cell, margin_km);

    let mut overlay = avoid.clone();
    let wanted = problem.alternatives;
    let attempts = wanted + settings.extra_attempts;
    let mut accepted: Vec<Suggestion> = Vec::new();
    for attempt in 0..attempts {
        if cancel.load(Ordering::Relaxed) {
            return Err(SuggestError::Cancelled);
        }
        let done = accepted
            .len()
            .max(attempt.saturating_sub(settings.extra_attempts));
        let report = |p: f32| progress(((done as f32 + p) / wanted as f32).min(0.99));
        let input = SearchInput {
            surface,
            overlay: Some(&overlay),
            window,
            from: from_cell,
            to: to_cell,
        };
        let found = match least_cost_path(&input, &report, cancel) {
            Ok(found) => found,
            Err(SuggestError::NoRoute(_)) if !accepted.is_empty() => break,
            Err(e) => return Err(e),
        };
        let polished = polish::polish(
            ctx,
            &found,
            &problem.from,
            &problem.to,
            &avoid,
            &problem.avoid,
        );
        let distinct = accepted
            .iter()
            .all(|s| separation_m(&s.vertices, &polished.vertices) >= settings.min_separation_m);
        if distinct {
            accepted.push(describe(ctx, polished, accepted.len() + 1));
            if accepted.len() == wanted {
                break;
            }
        }
        penalise_corridor(surface, &mut overlay, &found, window, settings);
    }
    progress(1.0);
    Ok(accepted)
}

/// The per-cell multipliers of the avoid zones (infinite inside impassable ones). Cells the
/// boundary of a zone clips count as inside, so no path cell touches an impassable zone and
/// a costly zone is not skirted through its half-covered edge cells.
fn avoid_overlay(surface: &CostSurface, zones: &[AvoidZone]) -> Vec<f32> {
    let grid = &surface.grid;
    let mut overlay = vec![1.0f32; grid.len()];
    for zone in zones {
        let m = zone.multiplier.map_or(f32::INFINITY, |m| m.max(1.0) as f32);
        let geometry = geo::Geometry::MultiPolygon(zone.area.clone());
        let mut apply = |i: usize| overlay[i] = overlay[i].max(m);
        surface::fill_geometry(grid, &geometry, &mut apply);
        surface::trace_rings(grid, &geometry, &mut apply);
    }
    overlay
}

/// The cell an endpoint starts from: its own, or the nearest passable one within 15 km
/// (a port's point may fall in a sea cell).
fn endpoint_cell(
    surface: &CostSurface,
    overlay: &[f32],
    endpoint: &Endpoint,
    what: &str,
) -> Result<(usize, usize), SuggestError> {
    let grid = &surface.grid;
    // "the start Termez (67.2783, 37.2242)", or "the start (10.0000, 10.0000)" for a bare point.
    let what = if endpoint.snap.is_some() {
        format!("{what} {}", endpoint.label)
    } else {
        what.to_owned()
    };
    let Some((col, row)) = grid.cell_at(endpoint.lon, endpoint.lat) else {
        return Err(SuggestError::OutsideRegion {
            what,
            lon: endpoint.lon,
            lat: endpoint.lat,
            region: format!(
                "{:.1}–{:.1}° E, {:.1}–{:.1}° N",
                grid.west_deg,
                grid.east_deg(),
                grid.south_deg(),
                grid.north_deg
            ),
        });
    };
    let ok = |c: usize, r: usize| {
        let i = grid.index(c, r);
        surface.is_passable(i) && overlay[i].is_finite()
    };
    // Land within 15 km, or within a cell and a half at coarse resolutions: the centre of
    // the endpoint's own cell can be 28 km away at 40 km cells, and a fixed 15 km would call
    // a city in the middle of the land "on water".
    let cell_km = grid.cell_lat_deg * 111.0;
    let within_km = 15.0_f64.max(1.5 * cell_km);
    let reach = (within_km / (grid.cell_lat_deg * 111.0)).ceil() as i64;
    let here = Point::new(endpoint.lon, endpoint.lat);
    let mut candidates: Vec<(f64, (usize, usize))> = Vec::new();
    for dr in -reach..=reach {
        for dc in -reach..=reach {
            let (c, r) = (col as i64 + dc, row as i64 + dr);
            if c < 0 || r < 0 || c >= grid.cols as i64 || r >= grid.rows as i64 {
                continue;
            }
            let (c, r) = (c as usize, r as usize);
            if !ok(c, r) {
                continue;
            }
            let (lon, lat) = grid.centre(c, r);
            let d = Geodesic.distance(here, Point::new(lon, lat));
            if d <= within_km * 1000.0 {
                candidates.push((d, (c, r)));
            }
        }
    }
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    // A port on a spit (Gwadar) can fall in a land cell cut off by sea cells: start from the
    // nearest cell that reaches the hinterland.
    candidates
        .iter()
        .find(|(_, cell)| reaches(surface, overlay, *cell, ENDPOINT_REACH_CELLS))
        .or(candidates.first())
        .map(|(_, cell)| *cell)
        .ok_or_else(|| {
            // Land that only the avoid areas take away: say so, not "water".
            let own = grid.index(col, row);
            if surface.is_passable(own) && !overlay[own].is_finite() {
                SuggestError::InAvoidZone {
                    what,
                    lon: endpoint.lon,
                    lat: endpoint.lat,
                }
            } else {
                SuggestError::OnWater {
                    what,
                    lon: endpoint.lon,
                    lat: endpoint.lat,
                    within_km,
                }
            }
        })
}

/// How many passable cells an endpoint's cell must reach (4-connected) to count as joined to
/// the hinterland rather than an islet of the grid.
const ENDPOINT_REACH_CELLS: usize = 400;

/// Whether at least `target` passable cells are 4-connected to `start`.
fn reaches(surface: &CostSurface, overlay: &[f32], start: (usize, usize), target: usize) -> bool {
    let grid = &surface.grid;
    let ok = |i: usize| surface.is_passable(i) && overlay[i].is_finite();
    let mut seen = std::collections::HashSet::from([start]);
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some((c, r)) = queue.pop_front() {
        if seen.len() >= target {
            return true;
        }
        let neighbours = [
            (c.wrapping_sub(1), r),
            (c + 1, r),
            (c, r.wrapping_sub(1)),
            (c, r + 1),
        ];
        for (c2, r2) in neighbours {
            if c2 < grid.cols && r2 < grid.rows && ok(grid.index(c2, r2)) && seen.insert((c2, r2)) {
                queue.push_back((c2, r2));
            }
        }
    }
    seen.len() >= target
}

/// Make the cells within `corridor_km` of `found` weigh more for the next search.
fn penalise_corridor(
    surface: &CostSurface,
    overlay: &mut [f32],
    found: &GridPath,
    window: Window,
    settings: &SuggestSettings,
) {
    let grid = &surface.grid;
    let cell_h_km = grid.cell_lat_deg * 111.0;
    let mut marked = vec![false; window.cols() * window.rows()];
    for &(c, r) in &found.cells {
        let cell_w_km = grid.cell_lon_deg * 111.32 * surface.row_cos(r);
        let rc = (settings.corridor_km / cell_w_km).ceil() as i64;
        let rr = (settings.corridor_km / cell_h_km).ceil() as i64;
        for dr in -rr..=rr {
            for dc in -rc..=rc {
                let (x, y) = (dc as f64 * cell_w_km, dr as f64 * cell_h_km);
                if x * x + y * y > settings.corridor_km * settings.corridor_km {
                    continue;
                }
                let (c2, r2) = (c as i64 + dc, r as i64 + dr);
                if window.contains(c2, r2) {
                    let local =
                        (r2 as usize - window.row0) * window.cols() + (c2 as usize - window.col0);
                    marked[local] = true;
                }
            }
        }
    }
    let factor = settings.corridor_multiplier as f32;
    for (local, _) in marked.iter().enumerate().filter(|(_, m)| **m) {
        let (c, r) = (
            window.col0 + local % window.cols(),
            window.row0 + local / window.cols(),
        );
        let i = grid.index(c, r);
        overlay[i] *= factor;
    }
}

/// Figures and note of a polished path.
fn describe(ctx: &SuggestContext, polished: polish::Polished, rank: usize) -> Suggestion {
    let settings = &ctx.settings;
    let vertices = polished.vertices;
    let length_m = vertices
        .windows(2)
        .map(|w| Geodesic.distance(w[0].point(), w[1].point()))
        .sum::<f64>();
    let reused_m = ctx
        .rail
        .reused_length_m(&vertices, settings.ledger.reuse_tolerance_m)
        .min(length_m);
    let (cost_usd, steep_m) = polish::cost_along(&ctx.surface, &vertices);
    let route = if polished.countries.is_empty() {
        String::new()
    } else {
        format!(", {}", polished.countries.join(" - "))
    };
    let note = format!(
        "Suggested {rank}: {:.0} km, {:.0} km on existing track{route}, {} border crossing{}, \
         est. US${:.2} bn (ledger unit costs; {:.0} km steeper than {}% pays the tunnel \
         allowance). Least-cost path on {:.1} km cells over {}.",
        length_m / 1000.0,
        reused_m / 1000.0,
        polished.border_crossings,
        if polished.border_crossings == 1 {
            ""
        } else {
            "s"
        },
        cost_usd / 1e9,
        steep_m / 1000.0,
        settings.ledger.max_design_grade_pct,
        ctx.resolution_km(),
        ctx.dem_label,
    );
    Suggestion {
        vertices,
        cost_usd,
        length_m,
        reused_m,
        steep_m,
        countries: polished.countries,
        border_crossings: polished.border_crossings,
        note,
    }
}

/// Colours of suggested alignments, muted and translucent so they read as provisional next
/// to drawn ones (the GUI also dashes lines that [`Alignment::is_suggested`]).
pub const SUGGESTED_COLORS: [[u8; 4]; 5] = [
    [0x7b, 0x3f, 0xa0, 0xb0],
    [0x1f, 0x8a, 0x8a, 0xb0],
    [0xc0, 0x6a, 0x1a, 0xb0],
    [0x4a, 0x6f, 0xb5, 0xb0],
    [0x8a, 0x8a, 0x2a, 0xb0],
];

/// The alignment for suggestion number `rank` (1-based) from `from` to `to`: proposed,
/// named "Suggested {rank} (from to to)", marked suggested and with the figures in its
/// extra properties, so the GUI can show it dashed until a planner accepts it.
#[must_use]
pub fn alignment_from_suggestion(
    suggestion: &Suggestion,
    id: AlignmentId,
    rank: usize,
    from: &Endpoint,
    to: &Endpoint,
) -> Alignment {
    let mut a = Alignment::new(
        id,
        format!("Suggested {rank} ({} to {})", from.label, to.label),
    );
    a.status = AlignmentStatus::Proposed;
    a.color = SUGGESTED_COLORS[(rank.max(1) - 1) % SUGGESTED_COLORS.len()];
    a.notes.clone_from(&suggestion.note);
    a.vertices.clone_from(&suggestion.vertices);
    a.set_suggested(true);
    a.extra.insert("suggested_rank".into(), rank.into());
    a.extra.insert(
        "suggested_cost_usd".into(),
        suggestion.cost_usd.round().into(),
    );
    a.extra.insert(
        "suggested_reused_m".into(),
        suggestion.reused_m.round().into(),
    );
    a.extra.insert(
        "suggested_countries".into(),
        Value::Array(
            suggestion
                .countries
                .iter()
                .cloned()
                .map(Value::String)
                .collect(),
        ),
    );
    a
}

/// A scenario holding `suggestions` as alignments (what `corridor-atlas suggest` writes).
#[must_use]
pub fn scenario_from_suggestions(
    suggestions: &[Suggestion],
    from: &Endpoint,
    to: &Endpoint,
) -> Scenario {
    let mut scenario = Scenario::new();
    for (i, s) in suggestions.iter().enumerate() {
        let id = scenario.allocate_id();
        scenario
            .alignments
            .push(alignment_from_suggestion(s, id, i + 1, from, to));
    }
    scenario
}
