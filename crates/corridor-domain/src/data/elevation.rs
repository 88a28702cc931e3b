//! The bundled elevation grid (an ETOPO5 subset, see `geodata/README.md` for the format):
//! regular lon/lat cells of int16 metres, north row first.

/// Magic bytes at the start of an elevation grid file.
pub const MAGIC: &[u8; 4] = b"CAEL";
const HEADER_LEN: usize = 4 + 4 + 4 + 4 + 8 + 8 + 8 + 2 + 2;

/// Why an elevation file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ElevationError {
    #[error("not an elevation grid: expected the magic bytes CAEL")]
    BadMagic,
    #[error("unsupported elevation grid version {0} (this build reads version 1)")]
    Version(u32),
    #[error("elevation grid is truncated: expected {expected} bytes, found {found}")]
    Truncated { expected: usize, found: usize },
    #[error("elevation grid header is invalid: {0}")]
    Header(&'static str),
}

/// A regular grid of elevations in metres.
#[derive(Clone, Debug)]
pub struct ElevationGrid {
    pub cols: usize,
    pub rows: usize,
    /// Longitude of the west edge of the first column (degrees).
    pub west_deg: f64,
    /// Latitude of the north edge of the first row (degrees).
    pub north_deg: f64,
    /// Cell size (degrees, square cells).
    pub cell_deg: f64,
    pub nodata: i16,
    data: Vec<i16>,
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(a)
}

fn f64_at(b: &[u8], at: usize) -> f64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    f64::from_le_bytes(a)
}

impl ElevationGrid {
    /// Parse the `CAEL` format.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ElevationError> {
        if bytes.len() < HEADER_LEN {
            return Err(if bytes.len() >= 4 && &bytes[..4] != MAGIC {
                ElevationError::BadMagic
            } else {
                ElevationError::Truncated {
                    expected: HEADER_LEN,
                    found: bytes.len(),
                }
            });
        }
        if &bytes[..4] != MAGIC {
            return Err(ElevationError::BadMagic);
        }
        let version = u32_at(bytes, 4);
        if version != 1 {
            return Err(ElevationError::Version(version));
        }
        let cols = u32_at(bytes, 8) as usize;
        let rows = u32_at(bytes, 12) as usize;
        let west_deg = f64_at(bytes, 16);
        let north_deg = f64_at(bytes, 24);
        let cell_deg = f64_at(bytes, 32);
        let nodata = i16::from_le_bytes([bytes[40], bytes[41]]);
        if cols == 0 || rows == 0 {
            return Err(ElevationError::Header("zero columns or rows"));
        }
        if !(cell_deg.is_finite() && cell_deg > 0.0) {
            return Err(ElevationError::Header(
                "cell size must be a positive number",
            ));
        }
        if !(west_deg.is_finite() && north_deg.is_finite()) {
            return Err(ElevationError::Header("origin must be finite"));
        }
        let expected = cols
            .checked_mul(rows)
            .and_then(|n| n.checked_mul(2))
            .and_then(|n| n.checked_add(HEADER_LEN))
            .ok_or(ElevationError::Header("grid too large"))?;
        if bytes.len() < expected {
            return Err(ElevationError::Truncated {
                expected,
                found: bytes.len(),
            });
        }
        let data = bytes[HEADER_LEN..expected]
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        Ok(Self {
            cols,
            rows,
            west_deg,
            north_deg,
            cell_deg,
            nodata,
            data,
        })
    }

    /// Serialise to the `CAEL` format (used by tests and by tools that write grids).
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.data.len() * 2);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&(self.cols as u32).to_le_bytes());
        out.extend_from_slice(&(self.rows as u32).to_le_bytes());
        out.extend_from_slice(&self.west_deg.to_le_bytes());
        out.extend_from_slice(&self.north_deg.to_le_bytes());
        out.extend_from_slice(&self.cell_deg.to_le_bytes());
        out.extend_from_slice(&self.nodata.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        for v in &self.data {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// A grid from values (north row first). `None` if `data` does not hold `cols × rows`.
    #[must_use]
    pub fn new(
        cols: usize,
        rows: usize,
        west_deg: f64,
        north_deg: f64,
        cell_deg: f64,
        data: Vec<i16>,
    ) -> Option<Self> {
        (cols * rows == data.len() && cols > 0 && rows > 0).then_some(Self {
            cols,
            rows,
            west_deg,
            north_deg,
            cell_deg,
            nodata: i16::MIN,
            data,
        })
    }

    /// The raw value of cell (`col`, `row`), `None` outside the grid or where there is no data.
    #[must_use]
    pub fn cell(&self, col: usize, row: usize) -> Option<i16> {
        if col >= self.cols || row >= self.rows {
            return None;
        }
        let v = self.data[row * self.cols + col];
        (v != self.nodata).then_some(v)
    }

    /// East edge of the grid (degrees).
    #[must_use]
    pub fn east_deg(&self) -> f64 {
        self.west_deg + self.cols as f64 * self.cell_deg
    }

    /// South edge of the grid (degrees).
    #[must_use]
    pub fn south_deg(&self) -> f64 {
        self.north_deg - self.rows as f64 * self.cell_deg
    }

    /// Elevation (m) at a lon/lat, bilinear between cell centres; `None` outside the grid.
    #[must_use]
    pub fn sample(&self, lon_deg: f64, lat_deg: f64) -> Option<f64> {
        if !(lon_deg >= self.west_deg
            && lon_deg <= self.east_deg()
            && lat_deg <= self.north_deg
            && lat_deg >= self.south_deg())
        {
            return None;
        }
        // Continuous cell coordinates with cell centres at integers.
        let fx =
            ((lon_deg - self.west_deg) / self.cell_deg - 0.5).clamp(0.0, (self.cols - 1) as f64);
        let fy =
            ((self.north_deg - lat_deg) / self.cell_deg - 0.5).clamp(0.0, (self.rows - 1) as f64);
        let (x0, y0) = (fx.floor() as usize, fy.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(self.cols - 1), (y0 + 1).min(self.rows - 1));
        let (tx, ty) = (fx - x0 as f64, fy - y0 as f64);
        let value = |x, y| self.cell(x, y).map(f64::from);
        let (nw, ne) = (value(x0, y0)?, value(x1, y0)?);
        let (sw, se) = (value(x0, y1)?, value(x1, y1)?);
        let top = nw + (ne - nw) * tx;
        let bottom = sw + (se - sw) * tx;
        Some(top + (bottom - top) * ty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> ElevationGrid {
        // 3×2 cells of 1°, west edge 60°E, north edge 40°N.
        ElevationGrid::new(3, 2, 60.0, 40.0, 1.0, vec![0, 100, 200, 1000, 1100, 1200]).expect("3×2")
    }

    #[test]
    fn cell_centres_return_their_values() {
        let g = grid();
        assert_eq!(g.sample(60.5, 39.5), Some(0.0));
        assert_eq!(g.sample(62.5, 38.5), Some(1200.0));
    }

    #[test]
    fn between_centres_is_bilinear() {
        let g = grid();
        // Halfway between the four top-left centres: (0 + 100 + 1000 + 1100) / 4.
        assert_eq!(g.sample(61.0, 39.0), Some(550.0));
    }

    #[test]
    fn outside_is_none() {
        let g = grid();
        assert_eq!(g.sample(59.9, 39.5), None);
        assert_eq!(g.sample(61.0, 40.1), None);
    }

    #[test]
    fn bytes_round_trip_and_bad_bytes_are_errors() {
        let g = grid();
        let bytes = g.to_bytes();
        let back = ElevationGrid::from_bytes(&bytes).expect("round trip");
        assert_eq!((back.cols, back.rows), (3, 2));
        assert_eq!(back.sample(62.5, 38.5), Some(1200.0));
        assert_eq!(
            ElevationGrid::from_bytes(b"JUNKJUNKJUNKJUNKJUNKJUNKJUNKJUNKJUNKJUNKJUNK").err(),
            Some(ElevationError::BadMagic)
        );
        assert!(matches!(
            ElevationGrid::from_bytes(&bytes[..bytes.len() - 1]),
            Err(ElevationError::Truncated { .. })
        ));
    }
}
