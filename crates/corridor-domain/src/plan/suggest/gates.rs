//! Trying another border post first (issue 15: alternatives differ by gate): the search right
//! after an accepted alternative runs with the gates that alternative crossed at closed.

use geo::{Distance, Geodesic, Point};

use crate::measure::ledger::{Ledger, SEA_CODE};

use super::context::SuggestContext;

/// `overlay` with the gate cells of the posts `ledger` crosses at (the posts within the
/// ledger's `crossing_search_m` of a land crossing, as the ledger names them) impassable,
/// except posts whose gate holds a start, end or via cell (those are crossed there whatever
/// the route).
pub(crate) fn close_used_gates(
    ctx: &SuggestContext,
    overlay: &[f32],
    ledger: &Ledger,
    stops: &[(usize, usize)],
) -> Vec<f32> {
    let settings = &ctx.settings;
    let grid = &ctx.surface.grid;
    let mut out = overlay.to_vec();
    let radius_m = settings.gate_radius_km * 1000.0;
    let search_m = settings.ledger.crossing_search_m.max(radius_m);
    let crossings: Vec<Point<f64>> = ledger
        .crossings
        .iter()
        .filter(|c| c.from_iso_a3 != SEA_CODE && c.to_iso_a3 != SEA_CODE)
        .map(|c| Point::new(c.lon, c.lat))
        .collect();
    for post in &ctx.posts {
        let here = Point::new(post.lon, post.lat);
        if !crossings
            .iter()
            .any(|&c| Geodesic.distance(here, c) <= search_m)
        {
            continue;
        }
        let near = |(c, r): (usize, usize)| {
            let (lon, lat) = grid.centre(c, r);
            Geodesic.distance(here, Point::new(lon, lat)) <= radius_m
        };
        if stops.iter().any(|&cell| near(cell)) {
            continue;
        }
        let Some((col, row)) = grid.cell_at(post.lon, post.lat) else {
            continue;
        };
        let reach = (settings.gate_radius_km / (grid.cell_lat_deg * 111.0)).ceil() as i64 * 2;
        for dr in -reach..=reach {
            for dc in -reach..=reach {
                let (c, r) = (col as i64 + dc, row as i64 + dr);
                if c < 0 || r < 0 || c >= grid.cols as i64 || r >= grid.rows as i64 {
                    continue;
                }
                let (c, r) = (c as usize, r as usize);
                if near((c, r)) {
                    out[grid.index(c, r)] = f32::INFINITY;
                }
            }
        }
    }
    out
}
