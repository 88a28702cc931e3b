//! Computing the ledger of one alignment against a [`LedgerContext`].
//!
//! The line is densified into geodesic samples at most `sample_spacing_m` apart (each segment
//! cut into equal parts along its geodesic, so every sample's chainage is exact). Everything
//! else is read off the samples:
//! - countries: only a chord between samples that touches a boundary edge (an R-tree query)
//!   is looked at: its cuts with the boundary edges split it, each stretch is classified at
//!   its middle, and a crossing sits at a cut. A country's corner clipped between two samples
//!   is two crossings, seen whichever way the line is drawn;
//! - existing track: the nearest indexed track piece within the reuse tolerance, measured
//!   geodesically; runs of samples on track become reuse;
//! - elevation: the DEM sampled at every sample.

use std::collections::HashMap;

use geo::{Bearing, Coord, Destination, Distance, Geodesic, InterpolatePoint, Point};

use super::context::{LedgerContext, PlaceKind, TrackStatus};
use super::cost::{Build, Stretch, estimate};
use super::engineering::{engineering, travel_time};
use super::gauge::country_gauge_mm;
use super::model::{
    CountryLength, CountryPiece, Crossing, ElevationProfile, GaugeBreak, GaugeBreakKind, GaugeRun,
    Ledger, NearPoint, ProfilePoint, SEA_CODE, SEA_NAME, Sample, ServedPlace, TerrainLengths,
    TrackRun,
};
use super::profile::{
    TerrainClass, classify, climb_descent_m, grades_around_pct, reliefs_around_m,
    steepest_grade_pct,
};
use super::settings::LedgerSettings;

/// The finest sample spacing (m) honoured, whatever the settings say.
const MIN_SPACING_M: f64 = 10.0;

/// The ledger of the line through `vertices` (lon, lat degrees), built to `gauge_mm` (or, if
/// `None`, to each country's default gauge).
///
/// Non-finite vertices are skipped. A line of fewer than two vertices has length 0 and only
/// the figures of its one point.
#[must_use]
pub fn compute_ledger(
    vertices: &[(f64, f64)],
    gauge_mm: Option<u32>,
    ctx: &LedgerContext,
    settings: &LedgerSettings,
) -> Ledger {
    compute_ledger_with_radii(vertices, &[], gauge_mm, ctx, settings)
}

/// [`compute_ledger`] with the user's curve radius (m) at some vertices: `radii_m[i]` belongs
/// to `vertices[i]` (missing or `None`: the largest curve that fits).
#[must_use]
pub fn compute_ledger_with_radii(
    vertices: &[(f64, f64)],
    radii_m: &[Option<f64>],
    gauge_mm: Option<u32>,
    ctx: &LedgerContext,
    settings: &LedgerSettings,
) -> Ledger {
    let (vertices, radii_m): (Vec<Coord<f64>>, Vec<Option<f64>>) = vertices
        .iter()
        .enumerate()
        .filter(|(_, (lon, lat))| lon.is_finite() && lat.is_finite())
        .map(|(i, &(x, y))| (Coord { x, y }, radii_m.get(i).copied().flatten()))
        .unzip();
    let defaults = LedgerSettings::default();
    let spacing_m = if settings.sample_spacing_m.is_finite() {
        settings.sample_spacing_m.max(MIN_SPACING_M)
    } else {
        defaults.sample_spacing_m
    };

    let mut ledger = Ledger {
        gauge_mm,
        ..Ledger::default()
    };
    densify(&vertices, spacing_m, &mut ledger);
    if ledger.samples.is_empty() {
        return ledger;
    }
    let coords: Vec<Coord<f64>> = ledger
        .samples
        .iter()
        .map(|s| Coord { x: s.lon, y: s.lat })
        .collect();
    let chainage: Vec<f64> = ledger.samples.iter().map(|s| s.chainage_m).collect();

    let country_of = countries(ctx, settings, &coords, &chainage, &mut ledger);
    let on_track = existing_track(ctx, settings, &coords, &chainage, &country_of, &mut ledger);
    let elevations: Vec<Option<f64>> = coords
        .iter()
        .map(|c| ctx.dem.as_ref().and_then(|d| d.sample(c.x, c.y)))
        .collect();
    profile(ctx, &chainage, &elevations, &mut ledger);
    let stretches = lengths(
        settings,
        &chainage,
        &elevations,
        &on_track,
        ctx,
        &mut ledger,
    );
    served(ctx, settings, &coords, &chainage, &mut ledger);
    let engineering = settings
        .engineering
        .enabled
        .then(|| engineering(&vertices, &radii_m, &ledger, settings));
    ledger.travel = travel_time(&ledger, settings, engineering.as_ref());
    ledger.engineering = engineering;
    // Last: the cost counts the design line's structures and the crossings.
    ledger.cost = estimate(&ledger, &stretches, settings);
    ledger
}

/// Segment lengths, vertex chainages and the samples.
fn densify(vertices: &[Coord<f64>], spacing_m: f64, ledger: &mut Ledger) {
    let Some(&first) = vertices.first() else {
        return;
    };
    let mut chainage_m = 0.0;
    ledger.vertex_chainage_m.push(0.0);
    for w in vertices.windows(2) {
        let (a, b) = (Point::from(w[0]), Point::from(w[1]));
        let length_m = Geodesic.distance(a, b);
        ledger.segments_m.push(length_m);
        ledger.samples.push(Sample {
            lon: a.x(),
            lat: a.y(),
            chainage_m,
        });
        let n = (length_m / spacing_m).ceil().max(1.0) as usize;
        if n > 1 {
            let bearing = Geodesic.bearing(a, b);
            for k in 1..n {
                let along_m = length_m * k as f64 / n as f64;
                let p = Geodesic.destination(a, bearing, along_m);
                ledger.samples.push(Sample {
                    lon: p.x(),
                    lat: p.y(),
                    chainage_m: chainage_m + along_m,
                });
            }
        }
        chainage_m += length_m;
        ledger.vertex_chainage_m.push(chainage_m);
    }
    let last = vertices.last().copied().unwrap_or(first);
    ledger.samples.push(Sample {
        lon: last.x,
        lat: last.y,
        chainage_m,
    });
    ledger.length_m = chainage_m;
}

/// The country of every sample; fills pieces, per-country lengths and crossings.
fn countries(
    ctx: &LedgerContext,
    settings: &LedgerSettings,
    coords: &[Coord<f64>],
    chainage: &[f64],
    ledger: &mut Ledger,
) -> Vec<Option<usize>> {
    let code = |c: Option<usize>| c.map_or(SEA_CODE, |i| ctx.countries[i].iso_a3.as_str());
    let name = |c: Option<usize>| c.map_or(SEA_NAME, |i| ctx.countries[i].name.as_str());
    let mut current = ctx.country_at(coords[0], None);
    let mut of = Vec::with_capacity(coords.len());
    of.push(current);
    let mut piece_start_m = 0.0;
    let mut pieces: Vec<(Option<usize>, f64, f64)> = Vec::new();
    for i in 1..coords.len() {
        let (a, b) = (coords[i - 1], coords[i]);
        if a != b && ctx.touches_border(a, b) {
            // Between the boundary cuts of this chord the place cannot change: classify each
            // stretch at its middle. A corner clipped between two samples is two cuts.
            let span_m = chainage[i] - chainage[i - 1];
            let mut bounds = vec![0.0];
            bounds.extend(ctx.border_ratios(a, b));
            bounds.push(1.0);
            let (pa, pb) = (Point::from(a), Point::from(b));
            for w in bounds.windows(2) {
                let (t0, t1) = (w[0], w[1]);
                if t1 <= t0 {
                    continue;
                }
                let mid = Geodesic.point_at_ratio_between(pa, pb, 0.5 * (t0 + t1)).0;
                let next = ctx.country_at(mid, current);
                if next == current {
                    continue;
                }
                let crossing_m = chainage[i - 1] + t0 * span_m;
                let at = Geodesic.point_at_ratio_between(pa, pb, t0).0;
                pieces.push((current, piece_start_m, crossing_m));
                piece_start_m = crossing_m;
                let near = ctx
                    .nearest_crossing_point(at, settings.crossing_search_m)
                    .map(|(k, distance_m)| NearPoint {
                        name: ctx.crossing_points[k].name.clone(),
                        distance_m,
                    });
                ledger.crossings.push(Crossing {
                    chainage_m: crossing_m,
                    lon: at.x,
                    lat: at.y,
                    from_iso_a3: code(current).to_owned(),
                    to_iso_a3: code(next).to_owned(),
                    from_name: name(current).to_owned(),
                    to_name: name(next).to_owned(),
                    near,
                });
                current = next;
            }
        }
        of.push(current);
    }
    pieces.push((current, piece_start_m, ledger.length_m));

    let mut last_land: Option<usize> = None;
    for &(c, start_m, end_m) in &pieces {
        ledger.country_pieces.push(CountryPiece {
            iso_a3: code(c).to_owned(),
            start_m,
            end_m,
        });
        let length_m = end_m - start_m;
        if let Some(row) = ledger.countries.iter_mut().find(|r| r.iso_a3 == code(c)) {
            row.length_m += length_m;
        } else {
            ledger.countries.push(CountryLength {
                iso_a3: code(c).to_owned(),
                iso_a2: c
                    .map_or(SEA_CODE, |i| ctx.countries[i].iso_a2.as_str())
                    .to_owned(),
                name: name(c).to_owned(),
                length_m,
            });
        }
        if let Some(land) = c {
            if last_land.is_some_and(|prev| prev != land) {
                ledger.borders_crossed += 1;
            }
            last_land = Some(land);
        }
    }
    ledger.sea_m = pieces
        .iter()
        .filter(|(c, _, _)| c.is_none())
        .map(|(_, s, e)| e - s)
        .sum();
    of
}

/// A run of consecutive samples within the tolerance of existing track.
struct Run {
    first: usize,
    last: usize,
}

/// Which samples reuse existing track (the track's index), plus runs and gauge breaks.
fn existing_track(
    ctx: &LedgerContext,
    settings: &LedgerSettings,
    coords: &[Coord<f64>],
    chainage: &[f64],
    country_of: &[Option<usize>],
    ledger: &mut Ledger,
) -> Vec<Option<usize>> {
    let usable = |t: &super::context::Track| settings.counts_as_existing(t.status);
    let tolerance_m = settings.reuse_tolerance_m.max(0.0);
    let hits: Vec<Option<usize>> = coords
        .iter()
        .map(|&c| ctx.nearest_track(c, tolerance_m, usable).map(|h| h.track))
        .collect();

    let n = coords.len();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < n {
        if hits[i].is_none() {
            i += 1;
            continue;
        }
        let first = i;
        while i + 1 < n && hits[i + 1].is_some() {
            i += 1;
        }
        runs.push(Run { first, last: i });
        i += 1;
    }

    // Short runs are a railway crossed, or (at an end) the network the line connects to.
    let mut on_track = vec![None; n];
    let mut network_at_start = None;
    let mut network_at_end = None;
    for run in &runs {
        let span_m = chainage[run.last] - chainage[run.first];
        if span_m >= settings.min_reuse_run_m && span_m > 0.0 {
            on_track[run.first..=run.last].copy_from_slice(&hits[run.first..=run.last]);
        } else {
            if run.first == 0 {
                network_at_start = hits[0];
            }
            if run.last == n - 1 {
                network_at_end = hits[n - 1];
            }
        }
    }

    absorb_junction_touches(&mut on_track, chainage, settings.min_reuse_run_m);

    // Runs as reported: split where the nearest line changes.
    for (start, end, t) in same_track_runs(&on_track) {
        let track = &ctx.tracks[t];
        ledger.track_runs.push(TrackRun {
            start_m: chainage[start],
            end_m: chainage[end],
            line: track.name.clone(),
            gauge_mm: track.gauge_mm,
            status: track.status,
        });
    }

    gauge_breaks(
        ctx,
        settings,
        coords,
        chainage,
        country_of,
        &on_track,
        (network_at_start, network_at_end),
        ledger,
    );
    on_track
}

/// Within a stretch on track, a few samples whose nearest line is another one (shorter than
/// `min_run_m`, on track on both sides) are a junction passed, not a ride on that line: where a
/// line of another gauge ends at a station the alignment runs through, it would otherwise be
/// two breaks of gauge. They keep the line the train came on.
fn absorb_junction_touches(on_track: &mut [Option<usize>], chainage: &[f64], min_run_m: f64) {
    for (start, end, _) in same_track_runs(on_track) {
        // `before` reads the array as already mended, so a touch follows the line before it.
        let before = start.checked_sub(1).and_then(|i| on_track[i]);
        let after = on_track.get(end + 1).copied().flatten();
        if let (Some(came_on), Some(_)) = (before, after)
            && chainage[end] - chainage[start] < min_run_m
        {
            on_track[start..=end].fill(Some(came_on));
        }
    }
}

/// The maximal runs of consecutive samples nearest one and the same track: (first sample,
/// last sample, track).
fn same_track_runs(on_track: &[Option<usize>]) -> Vec<(usize, usize, usize)> {
    let mut runs = Vec::new();
    let mut k = 0;
    while k < on_track.len() {
        let Some(t) = on_track[k] else {
            k += 1;
            continue;
        };
        let start = k;
        while on_track.get(k + 1) == Some(&Some(t)) {
            k += 1;
        }
        runs.push((start, k, t));
        k += 1;
    }
    runs
}

/// Runs of equal gauge over the samples; a run starts at the first sample of its gauge.
fn gauge_runs(effective: &[Option<u32>], chainage: &[f64]) -> Vec<GaugeRun> {
    let mut runs: Vec<GaugeRun> = Vec::new();
    for (&gauge_mm, &at_m) in effective.iter().zip(chainage) {
        match runs.last_mut() {
            Some(run) if run.gauge_mm == gauge_mm => run.end_m = at_m,
            Some(run) => {
                run.end_m = at_m;
                runs.push(GaugeRun {
                    start_m: at_m,
                    end_m: at_m,
                    gauge_mm,
                });
            }
            None => runs.push(GaugeRun {
                start_m: 0.0,
                end_m: at_m,
                gauge_mm,
            }),
        }
    }
    runs
}

/// Breaks of gauge: transitions of the gauge a train would run on, sample to sample.
///
/// On reused track that is the track's gauge; on new build, the alignment's declared gauge
/// or, if it has none, the default gauge of the country. At the ends, a network of another
/// gauge the line connects to (a short run of track at the end) is a break too.
#[allow(clippy::too_many_arguments)] // Internal step of compute_ledger; a struct would only rename the same arguments.
fn gauge_breaks(
    ctx: &LedgerContext,
    settings: &LedgerSettings,
    coords: &[Coord<f64>],
    chainage: &[f64],
    country_of: &[Option<usize>],
    on_track: &[Option<usize>],
    (network_at_start, network_at_end): (Option<usize>, Option<usize>),
    ledger: &mut Ledger,
) {
    let new_build = |i: usize| {
        ledger
            .gauge_mm
            .or_else(|| country_of[i].and_then(|c| country_gauge_mm(&ctx.countries[c].iso_a2)))
    };
    let effective: Vec<Option<u32>> = (0..coords.len())
        .map(|i| match on_track[i] {
            Some(t) => ctx.tracks[t].gauge_mm.or_else(|| new_build(i)),
            None => new_build(i),
        })
        .collect();
    ledger.gauge_runs = gauge_runs(&effective, chainage);
    let near = |c: Coord<f64>| {
        ctx.nearest_gauge_point(c, settings.crossing_search_m)
            .map(|(k, distance_m)| NearPoint {
                name: ctx.gauge_points[k].name.clone(),
                distance_m,
            })
    };
    let mut found = Vec::new();
    let mut push = |chainage_m: f64, pos: Coord<f64>, from: u32, to: u32, kind| {
        found.push(GaugeBreak {
            chainage_m,
            lon: pos.x,
            lat: pos.y,
            from_gauge_mm: from,
            to_gauge_mm: to,
            kind,
            near: near(pos),
        });
    };

    let first_known = effective.iter().position(Option::is_some);
    let last_known = effective.iter().rposition(Option::is_some);
    if let (Some(t), Some(i)) = (network_at_start, first_known)
        && let (Some(net), Some(own)) = (ctx.tracks[t].gauge_mm, effective[i])
        && net != own
    {
        push(0.0, coords[0], net, own, GaugeBreakKind::NetworkAtStart);
    }
    let mut last: Option<(usize, u32)> = None;
    for (i, g) in effective.iter().enumerate() {
        let Some(g) = *g else { continue };
        if let Some((j, prev)) = last
            && prev != g
        {
            let (kind, at) = match (on_track[j], on_track[i]) {
                (None, None) => (GaugeBreakKind::Border, None),
                (None, Some(_)) => (GaugeBreakKind::JoinsTrack, Some(i)),
                (Some(_), None) => (GaugeBreakKind::LeavesTrack, Some(j)),
                (Some(_), Some(_)) => (GaugeBreakKind::TrackToTrack, Some(i)),
            };
            let (chainage_m, pos) = match at {
                Some(k) => (chainage[k], coords[k]),
                // A border between networks: at the last crossing between the two samples.
                None => ledger
                    .crossings
                    .iter()
                    .rev()
                    .find(|c| c.chainage_m > chainage[j] && c.chainage_m <= chainage[i])
                    .map_or((chainage[i], coords[i]), |c| {
                        (c.chainage_m, Coord { x: c.lon, y: c.lat })
                    }),
            };
            push(chainage_m, pos, prev, g, kind);
        }
        last = Some((i, g));
    }
    if let (Some(t), Some(i)) = (network_at_end, last_known)
        && let (Some(net), Some(own)) = (ctx.tracks[t].gauge_mm, effective[i])
        && net != own
    {
        let end = coords.len() - 1;
        push(
            chainage[end],
            coords[end],
            own,
            net,
            GaugeBreakKind::NetworkAtEnd,
        );
    }
    ledger.gauge_breaks = found;
}

/// The elevation profile and its statistics.
fn profile(ctx: &LedgerContext, chainage: &[f64], elevations: &[Option<f64>], ledger: &mut Ledger) {
    let points: Vec<ProfilePoint> = chainage
        .iter()
        .zip(elevations)
        .filter_map(|(&chainage_m, e)| {
            e.map(|elevation_m| ProfilePoint {
                chainage_m,
                elevation_m,
            })
        })
        .collect();
    let (climb_m, descent_m) = climb_descent_m(&points);
    ledger.profile = ElevationProfile {
        dem: ctx.dem_label.clone(),
        min_elevation_m: points.iter().map(|p| p.elevation_m).reduce(f64::min),
        max_elevation_m: points.iter().map(|p| p.elevation_m).reduce(f64::max),
        climb_m,
        descent_m,
        steepest_grade_1km_pct: steepest_grade_pct(&points, 1_000.0),
        steepest_grade_10km_pct: steepest_grade_pct(&points, 10_000.0),
        points,
    };
}

fn add_class(t: &mut TerrainLengths, class: Option<TerrainClass>, length_m: f64) {
    match class {
        Some(TerrainClass::Flat) => t.flat_m += length_m,
        Some(TerrainClass::Rolling) => t.rolling_m += length_m,
        Some(TerrainClass::Hilly) => t.hilly_m += length_m,
        Some(TerrainClass::Mountainous) => t.mountainous_m += length_m,
        None => t.unknown_m += length_m,
    }
}

/// Existing / new / sea lengths and terrain, interval by interval; the stretches of what
/// would be built, for the cost.
fn lengths(
    settings: &LedgerSettings,
    chainage: &[f64],
    elevations: &[Option<f64>],
    on_track: &[Option<usize>],
    ctx: &LedgerContext,
    ledger: &mut Ledger,
) -> Vec<Stretch> {
    let points = &ledger.profile.points;
    let sea: Vec<(f64, f64)> = ledger
        .country_pieces
        .iter()
        .filter(|p| p.iso_a3 == SEA_CODE)
        .map(|p| (p.start_m, p.end_m))
        .collect();
    let mut terrain = TerrainLengths::default();
    let mut stretches: Vec<Stretch> = Vec::new();
    let (mut existing_m, mut under_construction_m) = (0.0, 0.0);
    let mids: Vec<f64> = chainage.windows(2).map(|w| 0.5 * (w[0] + w[1])).collect();
    let reliefs = reliefs_around_m(points, &mids, settings.terrain_window_m);
    let grades = grades_around_pct(points, &mids, 1_000.0);
    for i in 0..chainage.len().saturating_sub(1) {
        let (a, b) = (chainage[i], chainage[i + 1]);
        if b <= a {
            continue;
        }
        let sea_m: f64 = sea
            .iter()
            .map(|&(s, e)| (e.min(b) - s.max(a)).max(0.0))
            .sum();
        let land_m = (b - a - sea_m).max(0.0);
        if land_m <= 0.0 {
            continue;
        }
        let known = elevations[i].is_some() && elevations[i + 1].is_some();
        let class = reliefs[i]
            .filter(|_| known)
            .map(|relief| classify(relief, &settings.terrain));
        let steep = known && grades[i].is_some_and(|g| g > settings.max_design_grade_pct);
        add_class(&mut terrain, class, land_m);
        if steep {
            terrain.steep_m += land_m;
        }
        let build = if let (Some(t), Some(u)) = (on_track[i], on_track[i + 1]) {
            existing_m += land_m;
            if ctx.tracks[t].status == TrackStatus::UnderConstruction
                && ctx.tracks[u].status == TrackStatus::UnderConstruction
            {
                under_construction_m += land_m;
                Build::Committed
            } else {
                Build::Upgrade
            }
        } else {
            Build::New
        };
        // A sea part of the interval is left out of the stretch's land length.
        match stretches.last_mut() {
            Some(s) if s.build == build && (s.end_m - a).abs() < 1e-9 => {
                s.end_m = b;
                s.land_m += land_m;
            }
            _ => stretches.push(Stretch {
                start_m: a,
                end_m: b,
                land_m,
                build,
            }),
        }
    }
    ledger.existing_m = existing_m;
    ledger.under_construction_m = under_construction_m;
    ledger.new_m = (ledger.length_m - existing_m - ledger.sea_m).max(0.0);
    ledger.terrain = terrain;
    stretches
}

/// Ports, capitals and major cities near the line, in chainage order.
fn served(
    ctx: &LedgerContext,
    settings: &LedgerSettings,
    coords: &[Coord<f64>],
    chainage: &[f64],
    ledger: &mut Ledger,
) {
    let within_m = settings.served_distance_m;
    let counts = |k: usize| {
        let p = &ctx.places[k];
        p.kind != PlaceKind::City || p.population >= settings.major_city_population
    };
    // Nearest sample of every candidate place (squared planar distance in the place's
    // frame: only to choose).
    let mut best: HashMap<usize, (f64, usize)> = HashMap::new();
    for (i, &c) in coords.iter().enumerate() {
        for k in ctx.places_near(c, within_m) {
            if !counts(k) {
                continue;
            }
            let (x, y) = ctx.places[k].frame.xy_m(c.x, c.y);
            let d = x * x + y * y;
            if best.get(&k).is_none_or(|&(bd, _)| d < bd) {
                best.insert(k, (d, i));
            }
        }
    }
    let mut served = Vec::new();
    for (k, (_, i)) in best {
        let p = &ctx.places[k];
        let frame = p.frame;
        // Refine on the chords either side of the nearest sample.
        let mut foot = (chainage[i], coords[i], f64::INFINITY);
        for j in [i.checked_sub(1), (i + 1 < coords.len()).then_some(i)]
            .into_iter()
            .flatten()
        {
            let (a, b) = (coords[j], coords[j + 1]);
            let (ratio, off_m) = frame.project((p.lon, p.lat), (a.x, a.y), (b.x, b.y));
            if off_m < foot.2 {
                let at = Coord {
                    x: a.x + ratio * (b.x - a.x),
                    y: a.y + ratio * (b.y - a.y),
                };
                foot = (
                    chainage[j] + ratio * (chainage[j + 1] - chainage[j]),
                    at,
                    off_m,
                );
            }
        }
        let distance_m = Geodesic.distance(Point::new(p.lon, p.lat), Point::from(foot.1));
        if distance_m <= within_m {
            served.push(ServedPlace {
                name: p.name.clone(),
                kind: p.kind,
                chainage_m: foot.0,
                distance_m,
            });
        }
    }
    served.sort_by(|a, b| {
        a.chainage_m
            .total_cmp(&b.chainage_m)
            .then_with(|| a.name.cmp(&b.name))
    });
    ledger.served = served;
}
