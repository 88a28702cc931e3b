//! The grid of the cost surface: where it lies, its cells and the 16 moves between them.
//! The lowest surface module: the rasteriser (`raster`) and the surface (`cost`) both build on
//! it, so it lives apart from the parent `surface`, which only declares and re-exports.

/// Mean metres per degree of latitude (WGS84 meridian, mid-latitudes): only to size cells.
pub(super) const M_PER_DEG_LAT: f64 = 111_000.0;
/// Metres per degree of longitude at the equator (WGS84): only to size cells.
pub(super) const M_PER_DEG_LON_EQUATOR: f64 = 111_320.0;

/// The 16 moves of the search: 4 orthogonal, 4 diagonal, 8 knight moves. Knight moves let a
/// path run at 26.6° and 63.4° without a staircase, which cuts the excess length of a grid
/// path from up to 8 % (8 moves) to under 3 %.
pub const MOVES: [(i32, i32); 16] = [
    (1, 0),
    (-1, 0),
    (0, 1),
    (0, -1),
    (1, 1),
    (1, -1),
    (-1, 1),
    (-1, -1),
    (2, 1),
    (2, -1),
    (-2, 1),
    (-2, -1),
    (1, 2),
    (1, -2),
    (-1, 2),
    (-1, -2),
];

/// The index in [`MOVES`] of the move by (`dc`, `dr`), if it is one.
#[must_use]
pub fn move_index(dc: i64, dr: i64) -> Option<usize> {
    MOVES
        .iter()
        .position(|&(c, r)| i64::from(c) == dc && i64::from(r) == dr)
}

/// The cells a move passes through besides its two ends: none for orthogonal moves, the two
/// orthogonal neighbours for a diagonal move (it passes exactly through their shared corner),
/// and the two cells a knight move's segment crosses.
#[must_use]
pub fn move_via(dc: i32, dr: i32) -> [(i32, i32); 2] {
    let (sc, sr) = (dc.signum(), dr.signum());
    if dc.abs() == 2 {
        [(sc, 0), (sc, sr)]
    } else if dr.abs() == 2 {
        [(0, sr), (sc, sr)]
    } else {
        [(sc, 0), (0, sr)]
    }
}

/// Where the grid lies: its north-west corner, cell size in degrees and dimensions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridSpec {
    pub west_deg: f64,
    pub north_deg: f64,
    pub cell_lon_deg: f64,
    pub cell_lat_deg: f64,
    pub cols: usize,
    pub rows: usize,
}

impl GridSpec {
    /// The grid covering `[west, east] × [south, north]` (degrees) with cells of about
    /// `resolution_km` at the middle latitude.
    #[must_use]
    pub fn covering(region_deg: [f64; 4], resolution_km: f64) -> Self {
        let [west, south, east, north] = region_deg;
        let mid_lat = f64::midpoint(south, north);
        let cell_lat_deg = resolution_km * 1000.0 / M_PER_DEG_LAT;
        let cell_lon_deg =
            resolution_km * 1000.0 / (M_PER_DEG_LON_EQUATOR * mid_lat.to_radians().cos().max(0.05));
        let cols = ((east - west) / cell_lon_deg).ceil().max(1.0) as usize;
        let rows = ((north - south) / cell_lat_deg).ceil().max(1.0) as usize;
        Self {
            west_deg: west,
            north_deg: north,
            cell_lon_deg,
            cell_lat_deg,
            cols,
            rows,
        }
    }

    /// Number of cells.
    #[must_use]
    pub fn len(&self) -> usize {
        self.cols * self.rows
    }

    /// Whether the grid has no cells (never, for a grid from [`GridSpec::covering`]).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Flat index of a cell.
    #[must_use]
    pub fn index(&self, col: usize, row: usize) -> usize {
        row * self.cols + col
    }

    /// Lon/lat of a cell's centre.
    #[must_use]
    pub fn centre(&self, col: usize, row: usize) -> (f64, f64) {
        (
            self.west_deg + (col as f64 + 0.5) * self.cell_lon_deg,
            self.north_deg - (row as f64 + 0.5) * self.cell_lat_deg,
        )
    }

    /// The cell holding a lon/lat, `None` outside the grid.
    #[must_use]
    pub fn cell_at(&self, lon: f64, lat: f64) -> Option<(usize, usize)> {
        let fc = (lon - self.west_deg) / self.cell_lon_deg;
        let fr = (self.north_deg - lat) / self.cell_lat_deg;
        if !(fc >= 0.0 && fr >= 0.0 && fc < self.cols as f64 && fr < self.rows as f64) {
            return None;
        }
        Some((fc as usize, fr as usize))
    }

    /// The cell holding a lon/lat, clamped onto the grid (for points on its edge).
    pub(super) fn cell_clamped(&self, lon: f64, lat: f64) -> (usize, usize) {
        let fc = ((lon - self.west_deg) / self.cell_lon_deg).clamp(0.0, self.cols as f64 - 1.0);
        let fr = ((self.north_deg - lat) / self.cell_lat_deg).clamp(0.0, self.rows as f64 - 1.0);
        (fc as usize, fr as usize)
    }

    /// East and south edges (degrees).
    #[must_use]
    pub fn east_deg(&self) -> f64 {
        self.west_deg + self.cols as f64 * self.cell_lon_deg
    }

    #[must_use]
    pub fn south_deg(&self) -> f64 {
        self.north_deg - self.rows as f64 * self.cell_lat_deg
    }
}
