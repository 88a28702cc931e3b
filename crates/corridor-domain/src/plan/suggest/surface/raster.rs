//! Rasterising geometry onto the surface's grid: polygons by scanline, lines and rings by
//! walking them in quarter-cell steps.

use geo::{Coord, Geometry};

use super::grid::GridSpec;
use crate::map::index::{Part, visit};

/// Call `set` with the index of every cell whose centre lies inside the polygons of `g`
/// (even-odd rule per feature, so holes stay out). One scanline per row.
pub fn fill_geometry(grid: &GridSpec, g: &Geometry<f64>, set: &mut impl FnMut(usize)) {
    let mut rings: Vec<&[Coord<f64>]> = Vec::new();
    visit(g, &mut |part| {
        if let Part::Ring(cs) = part {
            rings.push(cs);
        }
    });
    fill_rings(grid, &rings, set);
}

/// Scanline fill of `rings` (even-odd): every cell whose centre is inside.
pub fn fill_rings(grid: &GridSpec, rings: &[&[Coord<f64>]], set: &mut impl FnMut(usize)) {
    // (row, x) of every crossing of an edge with a row's centre line.
    let mut crossings: Vec<(usize, f64)> = Vec::new();
    let rows = grid.rows as f64;
    for ring in rings {
        for w in ring.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (lo, hi) = if a.y < b.y { (a, b) } else { (b, a) };
            // Rows whose centre latitude is in [lo.y, hi.y): centre(row) = north − (row+½)·d.
            let first = ((grid.north_deg - hi.y) / grid.cell_lat_deg - 0.5)
                .ceil()
                .max(0.0);
            let last = ((grid.north_deg - lo.y) / grid.cell_lat_deg - 0.5)
                .floor()
                .min(rows - 1.0);
            if first > last {
                continue;
            }
            for row in first as usize..=last as usize {
                let lat = grid.north_deg - (row as f64 + 0.5) * grid.cell_lat_deg;
                if lat < lo.y || lat >= hi.y {
                    continue;
                }
                let t = (lat - lo.y) / (hi.y - lo.y);
                crossings.push((row, lo.x + t * (hi.x - lo.x)));
            }
        }
    }
    crossings.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let cols = grid.cols as f64;
    let mut i = 0;
    while i + 1 < crossings.len() {
        let (row, x0) = crossings[i];
        let (row1, x1) = crossings[i + 1];
        if row1 != row {
            // An odd crossing count in a row only happens with unclosed rings: skip one.
            i += 1;
            continue;
        }
        let c0 = ((x0 - grid.west_deg) / grid.cell_lon_deg - 0.5)
            .ceil()
            .clamp(0.0, cols);
        let c1 = ((x1 - grid.west_deg) / grid.cell_lon_deg - 0.5)
            .ceil()
            .clamp(0.0, cols);
        for col in c0 as usize..c1 as usize {
            set(grid.index(col, row));
        }
        i += 2;
    }
}

/// Call `set` with every cell the lines of `g` pass through, 4-connected (a diagonal step
/// also marks a side cell), so orthogonal moves can follow a line over water.
pub fn trace_lines(grid: &GridSpec, g: &Geometry<f64>, set: &mut impl FnMut(usize)) {
    visit(g, &mut |part| {
        if let Part::Line(cs) = part {
            trace_coords(grid, cs, false, set);
        }
    });
}

/// Call `set` with every cell a polygon's boundary passes through (for conservative
/// rasterisation of avoid zones: a cell the boundary only clips still counts).
pub fn trace_rings(grid: &GridSpec, g: &Geometry<f64>, set: &mut impl FnMut(usize)) {
    visit(g, &mut |part| {
        if let Part::Ring(cs) = part {
            trace_coords(grid, cs, true, set);
        }
    });
}

fn trace_coords(grid: &GridSpec, cs: &[Coord<f64>], both_sides: bool, set: &mut impl FnMut(usize)) {
    let step = grid.cell_lon_deg.min(grid.cell_lat_deg) / 4.0;
    let mut previous: Option<(usize, usize)> = None;
    let mut visit_point = |lon: f64, lat: f64| {
        let Some(cell) = grid.cell_at(lon, lat) else {
            previous = None;
            return;
        };
        if let Some(p) = previous
            && p != cell
            && p.0 != cell.0
            && p.1 != cell.1
        {
            set(grid.index(cell.0, p.1));
            if both_sides {
                set(grid.index(p.0, cell.1));
            }
        }
        set(grid.index(cell.0, cell.1));
        previous = Some(cell);
    };
    for w in cs.windows(2) {
        let (a, b) = (w[0], w[1]);
        let n = ((b.x - a.x).abs().max((b.y - a.y).abs()) / step)
            .ceil()
            .clamp(1.0, 1e7) as usize;
        for s in 0..=n {
            let t = s as f64 / n as f64;
            visit_point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
        }
    }
}
