//! Finding alternatives: [`suggest`] solves, penalises the corridor of each solution and
//! re-solves, drops candidates too close to an earlier one, and turns the grid paths into
//! alignments and a scenario.

use std::sync::atomic::{AtomicBool, Ordering};

use geo::{Distance, Geodesic, Point};
use serde_json::Value;

use crate::measure::ledger::{Crossing, Ledger, SEA_CODE, compute_ledger};
use crate::plan::scenario::model::{Alignment, AlignmentId, AlignmentStatus, Scenario, Vertex};

use super::context::{AvoidZone, SuggestContext};
use super::corridor::Corridor;
use super::error::SuggestError;
use super::gates;
use super::path::{GridPath, SearchInput, Window, least_cost_path};
use super::place::Endpoint;
use super::polish::{self, separation_m};
use super::rank::{RankBy, distinguishing_notes, gate_set, sort_by_objective};
use super::refine;
use super::settings::SuggestSettings;
use super::surface::{self, CostSurface};

/// One suggestion request.
pub struct SuggestProblem<'a> {
    pub context: &'a SuggestContext,
    pub from: Endpoint,
    pub to: Endpoint,
    /// Places the line must pass through, in order (the path is found leg by leg).
    pub vias: Vec<Endpoint>,
    /// How many alternatives to return at most (1–10).
    pub alternatives: usize,
    pub avoid: Vec<AvoidZone>,
    /// A line and a distance either side that every alternative must keep within.
    pub corridor: Option<Corridor>,
    /// What the alternatives are ordered by, best first.
    pub rank_by: RankBy,
}

/// One suggested alignment, measured by the ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// From the start to the end; the ends carry `SnapRef::Place` when they are named places,
    /// stretches along existing track carry `SnapRef::Rail`.
    pub vertices: Vec<Vertex>,
    /// The full ledger of `vertices`: the same `compute_ledger` call, context and settings
    /// Compare uses. Every figure below is copied from it.
    pub ledger: Ledger,
    /// `ledger.cost.total_usd`.
    pub cost_usd: f64,
    /// `ledger.length_m`.
    pub length_m: f64,
    /// `ledger.existing_m`.
    pub reused_m: f64,
    /// Countries crossed, ISO alpha-3, in order (the ledger's country pieces, sea left out).
    pub countries: Vec<String>,
    /// `ledger.borders_crossed`.
    pub border_crossings: usize,
    /// What the search optimised on the cost grid (USD, construction only): for tests and
    /// benchmarks of the search, never shown as a figure.
    pub search_cost_usd: f64,
    /// Length the cost grid prices as steeper than the design grade (m): the search's view.
    pub search_steep_m: f64,
    /// What distinguishes it: "via Kabul and Torkham; 2 crossings; 38 % on existing track".
    pub distinction: String,
    /// One paragraph for the panel and the file's description (starts with the distinction).
    pub note: String,
}

/// What [`suggest`] found, ranked, and why it did not find more.
#[derive(Clone, Debug, PartialEq)]
pub struct SuggestOutcome {
    pub suggestions: Vec<Suggestion>,
    /// Why the search stopped ("found the 3 alternatives asked for", or how many candidates
    /// were too close to an earlier one or implausible).
    pub stopped_because: String,
    /// Which DEM the terrain and maximum-grade rule used ([`SuggestContext::terrain`]), said
    /// on the result so a planner knows how far to trust a pass.
    pub terrain: String,
}

/// Why candidates were dropped, for [`SuggestOutcome::stopped_because`].
#[derive(Default)]
struct Dropped {
    close: usize,
    implausible: usize,
    hugging: usize,
    no_route: bool,
}

/// Find up to `problem.alternatives` genuinely different, plausible low-cost alignments,
/// each measured by its ledger and ranked by `problem.rank_by`.
///
/// Pure and synchronous: run it on a worker thread. `progress` receives 0..=1; `cancel` is
/// read every few milliseconds and turns the call into `Err(Cancelled)`.
///
/// After each solution, the cells within `corridor_km` of it weigh `corridor_multiplier`
/// times more and the search runs again. A candidate is dropped when it lies within
/// `min_separation_m` (Hausdorff) of an earlier one and crosses borders at the same posts,
/// when it is longer than `max_length_ratio` × the shortest or dearer than
/// `max_cost_ratio` × the cheapest, or when it crosses a border twice in the same direction
/// or twice within [`MIN_CROSSING_GAP_M`] away from a post (border hugging). Fewer alternatives
/// come back rather than a useless one; `stopped_because` says why.
pub fn suggest(
    problem: &SuggestProblem<'_>,
    progress: &dyn Fn(f32),
    cancel: &AtomicBool,
) -> Result<SuggestOutcome, SuggestError> {
    let ctx = problem.context;
    let settings = &ctx.settings;
    let surface = &ctx.surface;
    if !(1..=10).contains(&problem.alternatives) {
        return Err(SuggestError::Problem(format!(
            "alternatives must be between 1 and 10, got {}",
            problem.alternatives
        )));
    }
    progress(0.0);
    let mut avoid = avoid_overlay(surface, &problem.avoid);
    if let Some(corridor) = &problem.corridor {
        if let Some(why) = corridor.problem() {
            return Err(SuggestError::Problem(why));
        }
        corridor.close_outside(&surface.grid, &mut avoid);
    }
    let stops: Vec<&Endpoint> = std::iter::once(&problem.from)
        .chain(&problem.vias)
        .chain(std::iter::once(&problem.to))
        .collect();
    let last = stops.len() - 1;
    let mut cells = Vec::with_capacity(stops.len());
    for (k, stop) in stops.iter().enumerate() {
        let what = match k {
            0 => "start".to_owned(),
            k if k == last => "end".to_owned(),
            k => format!("via {k}"),
        };
        if let Some(c) = problem
            .corridor
            .as_ref()
            .filter(|c| !c.contains(stop.lon, stop.lat))
        {
            return Err(SuggestError::OutsideCorridor {
                what: format!("{what} {}", stop.label),
                distance_km: c.distance_km(stop.lon, stop.lat),
                corridor: c.name.clone(),
                within_km: c.within_km,
            });
        }
        cells.push(endpoint_cell(surface, &avoid, stop, &what)?);
    }
    for (k, w) in cells.windows(2).enumerate() {
        if w[0] == w[1] {
            return Err(SuggestError::Problem(format!(
                "{} and {} fall in the same {:.1} km cell: nothing to suggest",
                stops[k].label,
                stops[k + 1].label,
                ctx.resolution_km()
            )));
        }
    }
    let windows: Vec<Window> = cells
        .windows(2)
        .zip(stops.windows(2))
        .map(|(c, s)| {
            let distance_km = Geodesic.distance(
                Point::new(s[0].lon, s[0].lat),
                Point::new(s[1].lon, s[1].lat),
            ) / 1000.0;
            let margin_km =
                (distance_km * settings.search_margin_share).max(settings.min_search_margin_km);
            Window::around(&surface.grid, c[0], c[1], margin_km)
        })
        .collect();
    let whole = windows.iter().skip(1).fold(windows[0], |a, b| Window {
        col0: a.col0.min(b.col0),
        row0: a.row0.min(b.row0),
        col1: a.col1.max(b.col1),
        row1: a.row1.max(b.row1),
    });
    // The border strip weighs in every search, like an avoid zone the user did not draw.
    let mut overlay = avoid.clone();
    if !ctx.strip.is_empty() {
        for (o, s) in overlay.iter_mut().zip(&ctx.strip) {
            *o *= s;
        }
    }
    // The geodesic through the places, which no alternative may exceed `max_detour_ratio`
    // times.
    let straight_m: f64 = stops
        .windows(2)
        .map(|s| {
            Geodesic.distance(
                Point::new(s[0].lon, s[0].lat),
                Point::new(s[1].lon, s[1].lat),
            )
        })
        .sum();
    let wanted = problem.alternatives;
    let attempts = wanted + settings.extra_attempts;
    let mut accepted: Vec<Suggestion> = Vec::new();
    let mut dropped = Dropped::default();
    let ends: Vec<&str> = stops.iter().map(|s| s.label.as_str()).collect();
    // The attempt that found the last accepted alternative.
    let mut accepted_at: Option<usize> = None;
    for attempt in 0..attempts {
        if cancel.load(Ordering::Relaxed) {
            return Err(SuggestError::Cancelled);
        }
        let done = accepted
            .len()
            .max(attempt.saturating_sub(settings.extra_attempts));
        let report = |p: f32| progress(((done as f32 + p) / wanted as f32).min(0.99));
        // The search after an accepted alternative first tries other posts: the gates that
        // alternative crossed at are closed for this search only (the next one may come back
        // to them through another valley).
        let nudged = accepted
            .last()
            .filter(|_| settings.other_gates_first && Some(attempt) == accepted_at.map(|a| a + 1))
            .map(|last| gates::close_used_gates(ctx, &overlay, &last.ledger, &cells));
        let this_overlay = nudged.as_deref().unwrap_or(&overlay);
        let found = match find_through(surface, this_overlay, &cells, &windows, &report, cancel) {
            Ok(found) => found,
            // No route without those gates: back to them in the next search.
            Err(SuggestError::NoRoute(_)) if nudged.is_some() => continue,
            Err(SuggestError::NoRoute(_)) if !accepted.is_empty() => {
                dropped.no_route = true;
                break;
            }
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
        let vertices = match &ctx.fine {
            Some(fine) => {
                let refined = refine::near_passes(
                    fine,
                    surface,
                    settings,
                    polished.vertices.clone(),
                    &problem.avoid,
                )
                .0;
                // A refined pass that leaves the corridor is not taken.
                let leaves = problem
                    .corridor
                    .as_ref()
                    .is_some_and(|c| refined.iter().any(|v| !c.contains(v.lon, v.lat)));
                if leaves { polished.vertices } else { refined }
            }
            None => polished.vertices,
        };
        let candidate = measure(ctx, vertices);
        match verdict(&candidate, &accepted, settings, straight_m) {
            Verdict::Keep => {
                accepted.push(candidate);
                accepted_at = Some(attempt);
                if accepted.len() == wanted {
                    break;
                }
            }
            Verdict::Close => dropped.close += 1,
            Verdict::Implausible => dropped.implausible += 1,
            Verdict::Hugging => dropped.hugging += 1,
        }
        penalise_corridor(surface, &mut overlay, &found, whole, settings);
    }
    // The first alternative found is the cheapest on the grid, not always on the ledger:
    // drop any that the final set makes implausible.
    loop {
        let before = accepted.len();
        let shortest = accepted
            .iter()
            .map(|s| s.length_m)
            .fold(f64::INFINITY, f64::min);
        let cheapest = accepted
            .iter()
            .map(|s| s.cost_usd)
            .fold(f64::INFINITY, f64::min);
        accepted.retain(|s| {
            s.length_m <= settings.max_length_ratio * shortest
                && s.cost_usd <= settings.max_cost_ratio * cheapest
        });
        dropped.implausible += before - accepted.len();
        if accepted.len() == before {
            break;
        }
    }
    if accepted.is_empty() {
        return Err(SuggestError::NoRoute(format!(
            "every route found {}",
            stopped_because(0, wanted, &dropped, settings)
        )));
    }
    sort_by_objective(&mut accepted, problem.rank_by, |s| &s.ledger);
    let ledgers: Vec<&Ledger> = accepted.iter().map(|s| &s.ledger).collect();
    let distinctions = distinguishing_notes(&ledgers, &ends);
    for (rank, (s, distinction)) in accepted.iter_mut().zip(distinctions).enumerate() {
        s.note = note(ctx, s, rank + 1, &distinction, problem.rank_by);
        s.distinction = distinction;
    }
    progress(1.0);
    Ok(SuggestOutcome {
        stopped_because: stopped_because(accepted.len(), wanted, &dropped, settings),
        terrain: ctx.terrain().to_owned(),
        suggestions: accepted,
    })
}

/// The grid path from the first cell to the last through every cell in between, leg by leg
/// (each leg in its own window).
fn find_through(
    surface: &CostSurface,
    overlay: &[f32],
    cells: &[(usize, usize)],
    windows: &[Window],
    report: &dyn Fn(f32),
    cancel: &AtomicBool,
) -> Result<GridPath, SuggestError> {
    let legs = windows.len();
    let mut whole = GridPath {
        cells: Vec::new(),
        search_usd: 0.0,
        expanded: 0,
    };
    for (k, (pair, &window)) in cells.windows(2).zip(windows).enumerate() {
        let input = SearchInput {
            surface,
            overlay: Some(overlay),
            window,
            from: pair[0],
            to: pair[1],
        };
        let leg_report = |p: f32| report((k as f32 + p) / legs as f32);
        let leg = least_cost_path(&input, &leg_report, cancel)?;
        let skip = usize::from(!whole.cells.is_empty());
        whole.cells.extend(leg.cells.into_iter().skip(skip));
        whole.search_usd += leg.search_usd;
        whole.expanded += leg.expanded;
    }
    Ok(whole)
}

enum Verdict {
    Keep,
    Close,
    Implausible,
    Hugging,
}

/// Whether `candidate` joins `accepted`.
fn verdict(
    candidate: &Suggestion,
    accepted: &[Suggestion],
    settings: &SuggestSettings,
    straight_m: f64,
) -> Verdict {
    if hugs_border(&candidate.ledger) {
        return Verdict::Hugging;
    }
    if candidate.length_m > settings.max_detour_ratio * straight_m
        || candidate
            .ledger
            .profile
            .max_elevation_m
            .is_some_and(|m| m > settings.max_summit_m)
    {
        return Verdict::Implausible;
    }
    if let Some(best) = accepted.first() {
        let shortest = accepted
            .iter()
            .map(|s| s.length_m)
            .fold(best.length_m, f64::min);
        let cheapest = accepted
            .iter()
            .map(|s| s.cost_usd)
            .fold(best.cost_usd, f64::min);
        if candidate.length_m > settings.max_length_ratio * shortest
            || candidate.cost_usd > settings.max_cost_ratio * cheapest
        {
            return Verdict::Implausible;
        }
    }
    let gates = gate_set(&candidate.ledger);
    let distinct = accepted.iter().all(|s| {
        gate_set(&s.ledger) != gates
            || separation_m(&s.vertices, &candidate.vertices) >= settings.min_separation_m
    });
    if distinct {
        Verdict::Keep
    } else {
        Verdict::Close
    }
}

/// Closest two crossings may be (m) unless both are at posts: closer is a dip across a
/// border and back, or a path along it.
pub const MIN_CROSSING_GAP_M: f64 = 20_000.0;

/// Whether `ledger` crosses a border twice in the same direction, or crosses twice within
/// [`MIN_CROSSING_GAP_M`] where either crossing is at no post.
fn hugs_border(ledger: &Ledger) -> bool {
    let land: Vec<&Crossing> = ledger
        .crossings
        .iter()
        .filter(|c| c.from_iso_a3 != SEA_CODE && c.to_iso_a3 != SEA_CODE)
        .collect();
    let mut seen = std::collections::HashSet::new();
    if !land
        .iter()
        .all(|c| seen.insert((c.from_iso_a3.as_str(), c.to_iso_a3.as_str())))
    {
        return true;
    }
    land.windows(2).any(|w| {
        w[1].chainage_m - w[0].chainage_m < MIN_CROSSING_GAP_M
            && (w[0].near.is_none() || w[1].near.is_none())
    })
}

fn stopped_because(
    found: usize,
    wanted: usize,
    dropped: &Dropped,
    settings: &SuggestSettings,
) -> String {
    if found == wanted {
        return format!(
            "found the {wanted} alternative{} asked for",
            if wanted == 1 { "" } else { "s" }
        );
    }
    let mut why = Vec::new();
    if dropped.close > 0 {
        why.push(format!(
            "{} within {:.0} km of an earlier one at the same border posts",
            dropped.close,
            settings.min_separation_m / 1000.0
        ));
    }
    if dropped.implausible > 0 {
        why.push(format!(
            "{} longer than {}× the shortest or {}× the straight line, dearer than {}× the \
             cheapest, or higher than {:.0} m",
            dropped.implausible,
            settings.max_length_ratio,
            settings.max_detour_ratio,
            settings.max_cost_ratio,
            settings.max_summit_m
        ));
    }
    if dropped.hugging > 0 {
        why.push(format!(
            "{} crossing a border twice the same way or twice within {:.0} km",
            dropped.hugging,
            MIN_CROSSING_GAP_M / 1000.0
        ));
    }
    if dropped.no_route {
        why.push("no further passable route".to_owned());
    }
    let why = if why.is_empty() {
        "no other candidate".to_owned()
    } else {
        why.join("; ")
    };
    format!("found {found} of {wanted}: the other candidates were dropped ({why})")
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

/// The ledger of `vertices` (as Compare computes it: no declared gauge, the context's
/// ledger settings) and the figures copied from it.
fn measure(ctx: &SuggestContext, vertices: Vec<Vertex>) -> Suggestion {
    let points: Vec<(f64, f64)> = vertices.iter().map(|v| (v.lon, v.lat)).collect();
    let ledger = compute_ledger(&points, None, &ctx.ledger, &ctx.settings.ledger);
    let (search_cost_usd, search_steep_m) = polish::cost_along(&ctx.surface, &vertices);
    let mut countries: Vec<String> = Vec::new();
    for piece in &ledger.country_pieces {
        if piece.iso_a3 != SEA_CODE && countries.last() != Some(&piece.iso_a3) {
            countries.push(piece.iso_a3.clone());
        }
    }
    Suggestion {
        vertices,
        cost_usd: ledger.cost.total_usd,
        length_m: ledger.length_m,
        reused_m: ledger.existing_m,
        border_crossings: ledger.borders_crossed,
        countries,
        search_cost_usd,
        search_steep_m,
        distinction: String::new(),
        note: String::new(),
        ledger,
    }
}

/// The note of suggestion number `rank`: its distinction, then the ledger's figures.
fn note(
    ctx: &SuggestContext,
    s: &Suggestion,
    rank: usize,
    distinction: &str,
    rank_by: RankBy,
) -> String {
    let l = &s.ledger;
    format!(
        "Suggested {rank} ({}): {distinction}. {:.0} km, {:.0} km new build, US${:.2} bn, \
         {:.0} h end to end (corridor ledger). Least-cost path on {:.1} km cells; terrain: {}.",
        rank_by.label().to_lowercase(),
        l.length_m / 1000.0,
        l.new_m / 1000.0,
        l.cost.total_usd / 1e9,
        l.travel.total_h,
        ctx.resolution_km(),
        ctx.dem_label,
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::ledger::NearPoint;

    fn crossing(chainage_km: f64, from: &str, to: &str, post: Option<&str>) -> Crossing {
        Crossing {
            chainage_m: chainage_km * 1000.0,
            lon: 0.0,
            lat: 0.0,
            from_iso_a3: from.to_owned(),
            to_iso_a3: to.to_owned(),
            from_name: String::new(),
            to_name: String::new(),
            near: post.map(|p| NearPoint {
                name: p.to_owned(),
                distance_m: 2_000.0,
            }),
        }
    }

    fn with(crossings: Vec<Crossing>) -> Ledger {
        Ledger {
            crossings,
            ..Ledger::default()
        }
    }

    #[test]
    fn a_dip_across_a_border_and_back_away_from_posts_is_hugging() {
        // In and out 5 km apart in the open: a dip.
        let dip = with(vec![
            crossing(100.0, "AFG", "PAK", None),
            crossing(105.0, "PAK", "AFG", None),
        ]);
        assert!(hugs_border(&dip));
        // The same 5 km between two posts (Sarahs/Sarakhs): two real crossings.
        let posts = with(vec![
            crossing(100.0, "TKM", "IRN", Some("Sarahs (TM)")),
            crossing(105.0, "IRN", "TKM", Some("Sarakhs (IR)")),
        ]);
        assert!(!hugs_border(&posts));
        // Far apart, each way once: a route through a neighbour.
        let through = with(vec![
            crossing(100.0, "AFG", "PAK", None),
            crossing(400.0, "PAK", "AFG", None),
        ]);
        assert!(!hugs_border(&through));
        // The same border the same way twice, however far apart and at posts.
        let twice = with(vec![
            crossing(100.0, "AFG", "PAK", Some("Torkham")),
            crossing(300.0, "PAK", "AFG", Some("Kharlachi")),
            crossing(600.0, "AFG", "PAK", Some("Chaman")),
        ]);
        assert!(hugs_border(&twice));
        // Landfalls (to and from the sea) are not border crossings.
        let ferry = with(vec![
            crossing(100.0, "AZE", SEA_CODE, Some("Baku")),
            crossing(102.0, SEA_CODE, "TKM", None),
        ]);
        assert!(!hugs_border(&ferry));
    }
}
