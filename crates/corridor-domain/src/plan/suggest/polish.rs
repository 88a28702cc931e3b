//! From a grid path to an alignment a planner can use: stretches along existing track are
//! traced on the rail network (vertices on the line, `SnapRef::Rail`), new-build stretches
//! are simplified (Douglas–Peucker in a local projection, in metres) without ever cutting
//! across water or an impassable zone, and the ends are the named places themselves.
//!
//! Also here: the cost of a finished line and the distance between two lines, both of which
//! must be measured on what the user sees, not on the grid.

use geo::{
    Coord, Densify, Distance, Euclidean, Geodesic, HausdorffDistance, Intersects, Line, LineString,
    Point, SimplifyIdx,
};

use super::context::{AvoidZone, SuggestContext};
use super::path::GridPath;
use super::place::Endpoint;
use super::surface::{CostSurface, NO_COUNTRY};
use crate::plan::scenario::model::Vertex;

/// Mean Earth radius (m) of the local projection used to simplify and compare lines.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Consecutive vertices closer than this (m) are one.
const SAME_POINT_M: f64 = 1.0;

/// A traced track stretch longer than this share of the grid run it replaces (plus one
/// cell) took another way round the network: the grid run is kept instead.
const TRACE_DETOUR_LIMIT: f64 = 1.3;

/// Sinusoidal projection around `lon0` (metres): east–west distances are true along every
/// parallel and north–south ones along the central meridian, which keeps the error under a
/// percent across a corridor a few hundred km wide. For choosing and comparing only: lengths
/// a user reads are geodesic.
#[derive(Clone, Copy)]
struct Local {
    lon0: f64,
}

impl Local {
    fn xy(self, lon: f64, lat: f64) -> Coord<f64> {
        Coord {
            x: EARTH_RADIUS_M * (lon - self.lon0).to_radians() * lat.to_radians().cos(),
            y: EARTH_RADIUS_M * lat.to_radians(),
        }
    }

    fn line(self, vertices: &[Vertex]) -> LineString<f64> {
        vertices.iter().map(|v| self.xy(v.lon, v.lat)).collect()
    }
}

/// A polished path: its vertices (measured by the ledger, never by the grid).
pub(crate) struct Polished {
    pub vertices: Vec<Vertex>,
}

/// How far apart two lines are (m): the Hausdorff distance between them densified to 1 km
/// in a local projection, so that a vertex in the middle of the other's long chord is
/// compared with the chord, not with its far ends.
#[must_use]
pub fn separation_m(a: &[Vertex], b: &[Vertex]) -> f64 {
    let Some(first) = a.first().or_else(|| b.first()) else {
        return 0.0;
    };
    let local = Local { lon0: first.lon };
    let la = Euclidean.densify(&local.line(a), 1_000.0);
    let lb = Euclidean.densify(&local.line(b), 1_000.0);
    la.hausdorff_distance(&lb)
}

/// A stretch of the grid path: `Free` is new build to simplify, `Track` follows existing
/// track and is traced. Consecutive spans share their boundary index.
#[derive(Clone, Copy, Debug)]
enum Span {
    Free(usize, usize),
    Track(usize, usize),
}

pub(crate) fn polish(
    ctx: &SuggestContext,
    found: &GridPath,
    from: &Endpoint,
    to: &Endpoint,
    avoid: &[f32],
    zones: &[AvoidZone],
) -> Polished {
    let surface = ctx.surface();
    let grid = &surface.grid;
    let n = found.cells.len();
    let mut points: Vec<(f64, f64)> = found
        .cells
        .iter()
        .map(|&(c, r)| grid.centre(c, r))
        .collect();
    let on_track: Vec<bool> = found
        .cells
        .iter()
        .map(|&(c, r)| surface.is_track(grid.index(c, r)))
        .collect();
    if let Some(p) = points.first_mut() {
        *p = (from.lon, from.lat);
    }
    if let Some(p) = points.last_mut() {
        *p = (to.lon, to.lat);
    }
    let checker = SegmentCheck {
        surface,
        avoid,
        zones,
    };

    let spans = spans(&points, &on_track, ctx.settings().ledger.min_reuse_run_m);
    let tolerance_m = ctx.resolution_km() * 1000.0 * 1.5;
    let local = Local {
        lon0: f64::midpoint(from.lon, to.lon),
    };
    let mut out: Vec<Vertex> = Vec::new();
    let mut previous_traced = false;
    for (k, span) in spans.iter().enumerate() {
        let next_is_track = matches!(spans.get(k + 1), Some(Span::Track(..)));
        let traced = match *span {
            Span::Track(i, j) => trace_run(ctx, &points[i..=j], tolerance_m, &checker),
            Span::Free(..) => None,
        };
        if let Some(traced) = traced {
            out.extend(traced);
            previous_traced = true;
            continue;
        }
        let (Span::Free(i, j) | Span::Track(i, j)) = *span;
        let keep = simplify_span(
            &points,
            i,
            j,
            ctx.settings().simplify_tolerance_m,
            local,
            &checker,
        );
        for (m, &idx) in keep.iter().enumerate() {
            // A traced neighbour already placed the join on the track.
            let joins_previous = m == 0 && previous_traced;
            let joins_next = m + 1 == keep.len() && next_is_track && idx != n - 1;
            if joins_previous
                || (joins_next && trace_follows(ctx, &spans, k + 1, &points, tolerance_m, &checker))
            {
                continue;
            }
            let (lon, lat) = points[idx];
            out.push(Vertex::new(lon, lat));
        }
        previous_traced = false;
    }
    let mut vertices = crate::plan::trace::without_strays_within(out, SAME_POINT_M);
    anchor_end(&mut vertices, from, true);
    anchor_end(&mut vertices, to, false);

    Polished { vertices }
}

/// Whether span `k` is a track span that will be traced (so the free span before it should
/// leave the join to the trace).
fn trace_follows(
    ctx: &SuggestContext,
    spans: &[Span],
    k: usize,
    points: &[(f64, f64)],
    tolerance_m: f64,
    checker: &SegmentCheck<'_>,
) -> bool {
    match spans.get(k) {
        Some(&Span::Track(i, j)) => trace_run(ctx, &points[i..=j], tolerance_m, checker).is_some(),
        _ => false,
    }
}

/// Split the path into free and track spans; track runs shorter than `min_run_m` are a
/// crossing of the line, not a reuse of it, and stay free.
fn spans(points: &[(f64, f64)], on_track: &[bool], min_run_m: f64) -> Vec<Span> {
    let n = points.len();
    let mut out = Vec::new();
    let mut free_start = 0;
    let mut i = 0;
    while i < n {
        if !on_track[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < n && on_track[j + 1] {
            j += 1;
        }
        let run_m: f64 = points[i..=j]
            .windows(2)
            .map(|w| Geodesic.distance(Point::new(w[0].0, w[0].1), Point::new(w[1].0, w[1].1)))
            .sum();
        if j > i && run_m >= min_run_m {
            if i > free_start {
                out.push(Span::Free(free_start, i));
            }
            out.push(Span::Track(i, j));
            free_start = j;
        }
        i = j + 1;
    }
    if free_start < n - 1 || out.is_empty() {
        out.push(Span::Free(free_start, n - 1));
    }
    out
}

/// The track between the ends of a grid run, traced on the network, if it stays close to
/// the run (not round another way) and crosses no impassable zone.
fn trace_run(
    ctx: &SuggestContext,
    run: &[(f64, f64)],
    tolerance_m: f64,
    checker: &SegmentCheck<'_>,
) -> Option<Vec<Vertex>> {
    let (&first, &last) = (run.first()?, run.last()?);
    let traced = ctx.rail().trace_within(first, last, tolerance_m)?;
    let run_m: f64 = run
        .windows(2)
        .map(|w| Geodesic.distance(Point::new(w[0].0, w[0].1), Point::new(w[1].0, w[1].1)))
        .sum();
    if traced.length_m > run_m * TRACE_DETOUR_LIMIT + tolerance_m * 2.0 {
        return None;
    }
    let crosses_zone = traced
        .vertices
        .windows(2)
        .any(|w| checker.crosses_zone((w[0].lon, w[0].lat), (w[1].lon, w[1].lat)));
    (!crosses_zone).then_some(traced.vertices)
}

/// What a simplified segment must not cross.
struct SegmentCheck<'a> {
    surface: &'a CostSurface,
    avoid: &'a [f32],
    zones: &'a [AvoidZone],
}

impl SegmentCheck<'_> {
    /// Whether the straight segment `a`–`b` crosses an impassable avoid zone (exactly).
    fn crosses_zone(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let line = Line::new(Coord { x: a.0, y: a.1 }, Coord { x: b.0, y: b.1 });
        self.zones
            .iter()
            .any(|z| z.multiplier.is_none() && z.area.intersects(&line))
    }

    /// Whether `a`–`b` stays on passable cells (sampled every third of a cell) and out of
    /// impassable zones.
    fn ok(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let grid = &self.surface.grid;
        let step = grid.cell_lon_deg.min(grid.cell_lat_deg) / 3.0;
        let samples = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / step)
            .ceil()
            .clamp(1.0, 1e6) as usize;
        for sample in 0..=samples {
            let share = sample as f64 / samples as f64;
            let (col, row) = self
                .surface
                .cell_clamped(a.0 + (b.0 - a.0) * share, a.1 + (b.1 - a.1) * share);
            let cell = grid.index(col, row);
            if !(self.surface.is_passable(cell) && self.avoid[cell].is_finite()) {
                return false;
            }
        }
        !self.crosses_zone(a, b)
    }
}

/// Indices of `points[i..=j]` kept by Douglas–Peucker at `tolerance_m`; where a kept segment
/// would cross water or an impassable zone, that stretch is simplified again at half the
/// tolerance (down to every grid move, which is passable by construction).
fn simplify_span(
    points: &[(f64, f64)],
    i: usize,
    j: usize,
    tolerance_m: f64,
    local: Local,
    checker: &SegmentCheck<'_>,
) -> Vec<usize> {
    if j <= i + 1 {
        return (i..=j).collect();
    }
    let line: LineString<f64> = points[i..=j]
        .iter()
        .map(|&(lon, lat)| local.xy(lon, lat))
        .collect();
    let kept: Vec<usize> = line
        .simplify_idx(tolerance_m)
        .into_iter()
        .map(|k| k + i)
        .collect();
    let mut out = vec![i];
    for w in kept.windows(2) {
        let (p, q) = (w[0], w[1]);
        if q == p + 1
            || (checker.ok(points[p], points[q])
                && !steeper(checker.surface, points, p, q)
                && !more_crossings(checker.surface, points, p, q))
        {
            out.push(q);
        } else if tolerance_m < 10.0 {
            out.extend(p + 1..=q);
        } else {
            let sub = simplify_span(points, p, q, tolerance_m / 2.0, local, checker);
            out.extend(sub.into_iter().skip(1));
        }
    }
    out
}

/// Country changes (between two countries, water left out) met along `points`, sampled
/// every third of a cell.
fn country_changes(surface: &CostSurface, points: &[(f64, f64)]) -> usize {
    let grid = &surface.grid;
    let step = grid.cell_lon_deg.min(grid.cell_lat_deg) / 3.0;
    let mut last: Option<u16> = None;
    let mut changes = 0;
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        let samples = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / step)
            .ceil()
            .clamp(1.0, 1e6) as usize;
        for sample in 0..=samples {
            let share = sample as f64 / samples as f64;
            let (c, r) = surface.cell_clamped(a.0 + (b.0 - a.0) * share, a.1 + (b.1 - a.1) * share);
            let id = surface.country(grid.index(c, r));
            if id == NO_COUNTRY {
                continue;
            }
            if last.is_some_and(|l| l != id) {
                changes += 1;
            }
            last = Some(id);
        }
    }
    changes
}

/// Whether the straight segment `points[p]`–`points[q]` crosses borders more often than the
/// grid moves it replaces (cutting a corner of a neighbouring country adds two crossings
/// the search never paid for, and away from any border post).
fn more_crossings(surface: &CostSurface, points: &[(f64, f64)], p: usize, q: usize) -> bool {
    country_changes(surface, &[points[p], points[q]]) > country_changes(surface, &points[p..=q])
}

/// Whether the straight segment `points[p]`–`points[q]` has more steep length than the grid
/// moves it replaces (simplifying must not cut a corner onto a slope the path went round).
fn steeper(surface: &CostSurface, points: &[(f64, f64)], p: usize, q: usize) -> bool {
    let as_vertices = |pts: &[(f64, f64)]| -> Vec<Vertex> {
        pts.iter()
            .map(|&(lon, lat)| Vertex::new(lon, lat))
            .collect()
    };
    let straight = cost_along(surface, &as_vertices(&[points[p], points[q]])).1;
    if straight <= 0.0 {
        return false;
    }
    let original = cost_along(surface, &as_vertices(&points[p..=q])).1;
    straight > original + 1.0
}

/// Make the first (or last) vertex the endpoint itself, with its place snap: replace it when
/// it is within 50 m (a trace starting at the place), else add the endpoint.
fn anchor_end(vertices: &mut Vec<Vertex>, endpoint: &Endpoint, start: bool) {
    let place = Vertex {
        lon: endpoint.lon,
        lat: endpoint.lat,
        snap: endpoint.snap.clone(),
    };
    let end = if start {
        vertices.first()
    } else {
        vertices.last()
    };
    let near = end.is_some_and(|v| Geodesic.distance(v.point(), place.point()) < 50.0);
    match (start, near) {
        (true, true) => vertices[0] = place,
        (true, false) => vertices.insert(0, place),
        (false, true) => {
            if let Some(v) = vertices.last_mut() {
                *v = place;
            }
        }
        (false, false) => vertices.push(place),
    }
}

/// Construction cost (USD) and steep length (m) of a finished line, priced cell by cell: the
/// line is cut into pieces of about one cell; a piece on a track cell costs the upgrade,
/// another the new-build rate of its terrain class, plus the steep allowance when the
/// elevation change over the piece (bilinear between cell centres, as the search sees it)
/// exceeds the design grade. Water pieces without track
/// (the line's first or last few hundred metres at a port) are priced as rolling terrain.
pub(crate) fn cost_along(surface: &CostSurface, vertices: &[Vertex]) -> (f64, f64) {
    let grid = &surface.grid;
    let model = &surface.model;
    let piece_m = grid.cell_lat_deg * 111_000.0;
    let mut cost_usd = 0.0;
    let mut steep_m = 0.0;
    for w in vertices.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let length_m = Geodesic.distance(a.point(), b.point());
        if length_m <= 0.0 {
            continue;
        }
        let pieces = (length_m / piece_m).ceil().clamp(1.0, 1e6) as usize;
        let each_m = length_m / pieces as f64;
        let at = |t: f64| (a.lon + (b.lon - a.lon) * t, a.lat + (b.lat - a.lat) * t);
        let cell = |p: (f64, f64)| {
            let (c, r) = surface.cell_clamped(p.0, p.1);
            grid.index(c, r)
        };
        for k in 0..pieces {
            let t0 = k as f64 / pieces as f64;
            let t1 = (k + 1) as f64 / pieces as f64;
            let mid = cell(at(f64::midpoint(t0, t1)));
            let price = surface.price_usd_per_km(mid);
            if surface.follows_line(mid) {
                cost_usd += each_m / 1000.0 * price;
                continue;
            }
            let price = if price.is_finite() {
                price
            } else {
                model.terrain_usd_per_km[1]
            };
            cost_usd += each_m / 1000.0 * price;
            let ((lon0, lat0), (lon1, lat1)) = (at(t0), at(t1));
            let (e0, e1) = (
                surface.elevation_at_m(lon0, lat0),
                surface.elevation_at_m(lon1, lat1),
            );
            if e0.is_finite() && e1.is_finite() && (e1 - e0).abs() / each_m > model.max_grade {
                steep_m += each_m;
                cost_usd += each_m / 1000.0 * model.steep_allowance_usd_per_km;
            }
        }
    }
    (cost_usd, steep_m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_lines_are_as_far_apart_as_their_offset() {
        let a = vec![Vertex::new(60.0, 30.0), Vertex::new(62.0, 30.0)];
        let b = vec![
            Vertex::new(60.0, 30.5),
            Vertex::new(61.0, 30.5),
            Vertex::new(62.0, 30.5),
        ];
        let d = separation_m(&a, &b);
        // Half a degree of latitude: about 55.4 km.
        assert!((d - 55_400.0).abs() < 1_000.0, "{d}");
        assert!(separation_m(&a, &a) < 1.0);
    }

    #[test]
    fn short_track_runs_are_crossings_and_long_ones_are_reuse() {
        let points: Vec<(f64, f64)> = (0..10)
            .map(|i| (60.0 + f64::from(i) * 0.03, 30.0))
            .collect();
        let mut on = vec![false; 10];
        on[4] = true;
        on[5] = true;
        assert!(matches!(
            spans(&points, &on, 5_000.0)[..],
            [Span::Free(0, 9)]
        ));
        let on = vec![
            false, false, true, true, true, true, true, true, false, false,
        ];
        let s = spans(&points, &on, 5_000.0);
        assert!(
            matches!(
                s[..],
                [Span::Free(0, 2), Span::Track(2, 7), Span::Free(7, 9)]
            ),
            "{s:?}"
        );
    }
}
