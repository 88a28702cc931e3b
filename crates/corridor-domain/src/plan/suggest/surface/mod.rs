//! The cost surface: a lon/lat grid over the region where each cell knows what building a
//! railway through it costs, whether it can be crossed at all, which country it is in and
//! whether existing track runs through it.
//!
//! Built once per region and resolution ([`CostSurface::build`], about a second for the
//! corridor region at 3 km) and shared by every search. Polygons (countries, lakes, avoid
//! zones) are rasterised with a scanline per row, so the cost is one pass over each polygon
//! edge plus one write per cell, not a point-in-polygon test per cell.
//!
//! Cells are square in kilometres at the region's middle latitude: `cell_lat_deg` is the
//! resolution over a meridian degree, `cell_lon_deg` the resolution over a parallel degree
//! there. Every length used for costs is a WGS84 geodesic between cell centres
//! ([`CostSurface::move_length_m`]), so the cells' real size varying with latitude is exact
//! where it matters.
//!
//! `grid` holds the grid and its moves, `raster` draws geometry onto it, `cost` is the surface
//! itself; this file only declares them and re-exports their public items.

mod cost;
mod grid;
mod raster;

pub(crate) use cost::is_track;
pub use cost::{
    CostModel, CostSurface, FLAG_FERRY, FLAG_GATE, FLAG_TRACK, FLAG_WATER, NO_COUNTRY,
    SurfaceInputs,
};
pub use grid::{GridSpec, MOVES, move_index, move_via};
pub use raster::{fill_geometry, fill_rings, trace_lines, trace_rings};

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Geometry, line_string, polygon};

    fn grid() -> GridSpec {
        GridSpec {
            west_deg: 0.0,
            north_deg: 10.0,
            cell_lon_deg: 1.0,
            cell_lat_deg: 1.0,
            cols: 10,
            rows: 10,
        }
    }

    #[test]
    fn a_square_fills_the_cells_whose_centres_it_holds() {
        let g = grid();
        let sq: Geometry<f64> =
            polygon![(x: 2.0, y: 2.0), (x: 5.0, y: 2.0), (x: 5.0, y: 6.0), (x: 2.0, y: 6.0)].into();
        let mut hit = Vec::new();
        fill_geometry(&g, &sq, &mut |i| hit.push(i));
        // Columns 2..5 (centres 2.5, 3.5, 4.5), rows with centres 5.5 … 2.5 (rows 4..8).
        assert_eq!(hit.len(), 3 * 4);
        assert!(hit.contains(&g.index(2, 4)) && hit.contains(&g.index(4, 7)));
        assert!(!hit.contains(&g.index(5, 4)));
    }

    #[test]
    fn a_diagonal_line_is_traced_four_connected() {
        let g = grid();
        let line: Geometry<f64> = line_string![(x: 0.5, y: 9.5), (x: 9.5, y: 0.5)].into();
        let mut hit = std::collections::BTreeSet::new();
        trace_lines(&g, &line, &mut |i| {
            hit.insert(i);
        });
        for k in 0..9 {
            assert!(hit.contains(&g.index(k, k)), "diagonal cell {k}");
            assert!(
                hit.contains(&g.index(k + 1, k)) || hit.contains(&g.index(k, k + 1)),
                "side cell after {k}"
            );
        }
    }

    #[test]
    fn knight_moves_pass_through_the_two_cells_their_segment_crosses() {
        assert_eq!(move_via(2, 1), [(1, 0), (1, 1)]);
        assert_eq!(move_via(-1, 2), [(0, 1), (-1, 1)]);
        assert_eq!(move_via(1, -1), [(1, 0), (0, -1)]);
    }
}
