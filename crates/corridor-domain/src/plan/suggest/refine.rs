//! A finer search near passes and mountains (issue 15 item 5): where a finer DEM is open
//! (an SRTM mosaic or GeoTIFF the user loaded), the mountain stretches of a polished
//! alignment are searched again on a local grid at that DEM's resolution (no finer than
//! `min_resolution_km`), which sees gorges and saddles the region-wide 3 km grid steps over,
//! and the finer route replaces the stretch when it costs less on the fine grid.
//!
//! A stretch is refined only inside one country (the border-post rule stays the region-wide
//! search's) and only where the finer DEM has data; avoid zones stay impassable.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use geo::{Coord, Distance, Geodesic, LineString, Simplify};

use crate::map::layer::Layer;
use crate::measure::ledger::profile::TerrainClass;
use crate::plan::scenario::model::Vertex;

use super::context::{AvoidZone, FineTerrain};
use super::path::{SearchInput, Window, least_cost_path};
use super::polish::cost_along;
use super::settings::SuggestSettings;
use super::surface::{self, CostSurface, NO_COUNTRY, SurfaceInputs};

/// Spacing (m) of the points a line is examined at.
const STEP_M: f64 = 1_000.0;

/// A mountain stretch is extended by this much (m) on each side before it is re-searched,
/// so the finer route can leave the coarse one before the climb.
const LEAD_M: f64 = 10_000.0;

/// The local grid reaches this far (km) beyond the stretch, at least, so a pass beside the
/// coarse route is inside it.
const MARGIN_KM: f64 = 25.0;

/// `vertices` with their mountain stretches re-searched on the finer DEM, and how many
/// stretches changed. `coarse` is the region-wide surface (its terrain classes pick the
/// stretches).
pub(crate) fn near_passes(
    fine: &FineTerrain,
    coarse: &CostSurface,
    settings: &SuggestSettings,
    vertices: Vec<Vertex>,
    zones: &[AvoidZone],
) -> (Vec<Vertex>, usize) {
    let points = densify(&vertices);
    let covered = |p: &(f64, f64, usize)| fine.dem.sample(p.0, p.1).is_some();
    let mountain: Vec<bool> = points
        .iter()
        .map(|p| {
            let (c, r) = coarse.cell_clamped(p.0, p.1);
            covered(p) && coarse.terrain_class(coarse.grid.index(c, r)) == TerrainClass::Mountainous
        })
        .collect();
    let lead = (LEAD_M / STEP_M).ceil() as usize;
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < points.len() {
        if !mountain[k] {
            k += 1;
            continue;
        }
        let mut j = k;
        while j + 1 < points.len() && mountain[j + 1] {
            j += 1;
        }
        let (mut a, mut b) = (k.saturating_sub(lead), (j + lead).min(points.len() - 1));
        while a < k && !covered(&points[a]) {
            a += 1;
        }
        while b > j && !covered(&points[b]) {
            b -= 1;
        }
        match runs.last_mut() {
            Some(last) if a <= last.1 => last.1 = b,
            _ => runs.push((a, b)),
        }
        k = j + 1;
    }
    let mut out = vertices;
    let mut changed = 0;
    // From the last run back, so earlier vertex indices stay valid.
    for &(a, b) in runs.iter().rev() {
        if let Some(replaced) = research(fine, settings, &out, &points, a, b, zones) {
            out = replaced;
            changed += 1;
        }
    }
    (out, changed)
}

/// Points every ~[`STEP_M`] along `vertices`: (lon, lat, index of the segment's first vertex).
fn densify(vertices: &[Vertex]) -> Vec<(f64, f64, usize)> {
    let mut out = Vec::new();
    for (i, w) in vertices.windows(2).enumerate() {
        let d = Geodesic.distance(w[0].point(), w[1].point());
        let n = (d / STEP_M).ceil().max(1.0) as usize;
        for s in 0..n {
            let t = s as f64 / n as f64;
            out.push((
                w[0].lon + (w[1].lon - w[0].lon) * t,
                w[0].lat + (w[1].lat - w[0].lat) * t,
                i,
            ));
        }
    }
    if let Some(last) = vertices.last() {
        out.push((last.lon, last.lat, vertices.len() - 1));
    }
    out
}

/// The line with the stretch from `points[a]` to `points[b]` replaced by the least-cost
/// route on a local fine grid, if that costs less there than the stretch as it is.
fn research(
    fine: &FineTerrain,
    settings: &SuggestSettings,
    vertices: &[Vertex],
    points: &[(f64, f64, usize)],
    a: usize,
    b: usize,
    zones: &[AvoidZone],
) -> Option<Vec<Vertex>> {
    if b <= a + 1 {
        return None;
    }
    let run = &points[a..=b];
    let lat_mid = f64::midpoint(run[0].1, run[run.len() - 1].1);
    let dlat = MARGIN_KM / 111.0;
    let dlon = MARGIN_KM / (111.32 * lat_mid.to_radians().cos().max(0.1));
    let dem = &fine.dem;
    let west = run.iter().map(|p| p.0).fold(f64::INFINITY, f64::min) - dlon;
    let east = run.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max) + dlon;
    let south = run.iter().map(|p| p.1).fold(f64::INFINITY, f64::min) - dlat;
    let north = run.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max) + dlat;
    let region = [
        west.max(dem.west_deg),
        south.max(dem.south_deg()),
        east.min(dem.east_deg()),
        north.min(dem.north_deg),
    ];
    let dem_km = dem.cell_deg * 111.0;
    let local = SuggestSettings {
        region_deg: region,
        resolution_km: Some(dem_km.max(settings.min_resolution_km)),
        ..settings.clone()
    };
    let inputs = SurfaceInputs {
        countries: features(fine.countries.as_ref()),
        lakes: features(fine.lakes.as_ref()),
        rail: features(fine.rail.as_ref()),
        track_layers: Vec::new(),
        elevation: vec![dem.as_ref()],
    };
    let surface = CostSurface::build(&inputs, &local).ok()?;
    let grid = surface.grid;
    let from = grid.cell_at(run[0].0, run[0].1)?;
    let to = grid.cell_at(run[run.len() - 1].0, run[run.len() - 1].1)?;
    // One country: the stretch's own. The border-post rule is the region-wide search's.
    let country = surface.country(grid.index(from.0, from.1));
    if country == NO_COUNTRY
        || run.iter().any(|p| {
            grid.cell_at(p.0, p.1)
                .is_none_or(|(c, r)| surface.country(grid.index(c, r)) != country)
        })
    {
        return None;
    }
    let mut overlay = vec![1.0f32; grid.len()];
    for (i, o) in overlay.iter_mut().enumerate() {
        if surface.country(i) != country {
            *o = f32::INFINITY;
        }
    }
    for zone in zones {
        let m = zone.multiplier.map_or(f32::INFINITY, |m| m.max(1.0) as f32);
        let geometry = geo::Geometry::MultiPolygon(zone.area.clone());
        let mut apply = |i: usize| overlay[i] = overlay[i].max(m);
        surface::fill_geometry(&grid, &geometry, &mut apply);
        surface::trace_rings(&grid, &geometry, &mut apply);
    }
    let input = SearchInput {
        surface: &surface,
        overlay: Some(&overlay),
        window: Window::full(&grid),
        from,
        to,
    };
    let found = least_cost_path(&input, &|_| {}, &AtomicBool::new(false)).ok()?;
    // A run end on a vertex keeps that vertex (and its snap: the named place at either end).
    let at = |p: &(f64, f64, usize)| {
        vertices
            .get(p.2)
            .filter(|v| (v.lon, v.lat) == (p.0, p.1))
            .cloned()
            .unwrap_or_else(|| Vertex::new(p.0, p.1))
    };
    let start = at(&run[0]);
    let end = at(&run[run.len() - 1]);
    let mut fine_line = vec![start.clone()];
    fine_line.extend(
        simplified(
            &found.cells,
            &surface,
            local.simplify_tolerance_m.min(dem_km.max(0.5) * 1000.0),
        )
        .into_iter()
        .map(|(lon, lat)| Vertex::new(lon, lat)),
    );
    fine_line.push(end.clone());
    // The stretch as it is: its ends and the vertices between them.
    let mut old_line = vec![start.clone()];
    old_line.extend(
        vertices[run[0].2 + 1..=run[run.len() - 1].2]
            .iter()
            .cloned(),
    );
    old_line.push(end.clone());
    let (old_usd, _) = cost_along(&surface, &old_line);
    let (new_usd, _) = cost_along(&surface, &fine_line);
    if new_usd.partial_cmp(&old_usd) != Some(std::cmp::Ordering::Less) {
        return None;
    }
    let mut out: Vec<Vertex> = vertices[..=run[0].2].to_vec();
    out.extend(fine_line);
    out.extend(vertices[run[run.len() - 1].2 + 1..].iter().cloned());
    out.dedup_by(|x, y| (x.lon, x.lat) == (y.lon, y.lat));
    Some(out)
}

/// The features of an optional layer (none without it).
fn features(layer: Option<&Arc<Layer>>) -> &[crate::data::feature::Feature] {
    layer.map_or(&[][..], |l| &l.features[..])
}

/// The cell centres of `cells` without their ends, simplified (Douglas–Peucker in a local
/// equirectangular frame, metres) to `tolerance_m`.
fn simplified(
    cells: &[(usize, usize)],
    surface: &CostSurface,
    tolerance_m: f64,
) -> Vec<(f64, f64)> {
    if cells.len() < 3 {
        return Vec::new();
    }
    let centres: Vec<(f64, f64)> = cells
        .iter()
        .map(|&(c, r)| surface.grid.centre(c, r))
        .collect();
    let lat0 = centres[0].1.to_radians().cos();
    let line: LineString<f64> = centres
        .iter()
        .map(|&(lon, lat)| Coord {
            x: lon * 111_320.0 * lat0,
            y: lat * 110_574.0,
        })
        .collect();
    let kept = line.simplify(tolerance_m);
    let n = kept.0.len();
    kept.0
        .into_iter()
        .skip(1)
        .take(n.saturating_sub(2))
        .map(|c| (c.x / (111_320.0 * lat0), c.y / 110_574.0))
        .collect()
}
