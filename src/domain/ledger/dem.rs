//! Finer elevation models than the bundled ETOPO5 grid: SRTM `.hgt` tiles.
//!
//! An `.hgt` tile covers one degree square named after its south-west corner (`N34E069.hgt`:
//! lat 34–35° N, lon 69–70° E). It holds big-endian int16 metres, north row first, on a grid
//! that includes both edges: 1,201 × 1,201 samples (3 arc-seconds, SRTM3) or 3,601 × 3,601
//! (1 arc-second, SRTM1). -32,768 marks a void. Neighbouring tiles repeat their shared edge.
//!
//! A folder of tiles becomes one [`ElevationGrid`] (samples as cell centres), with voids and
//! missing tiles as no-data, so [`ElevationGrid::sample`] returns `None` there.
//!
//! GeoTIFF is not read yet (the `tiff` crate is not among the dependencies).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::domain::elevation::ElevationGrid;

/// The largest mosaic built, in samples (600 M bytes of int16): about ten SRTM1 tiles or 100
/// SRTM3 tiles. Larger areas should be resampled before loading.
pub const MAX_MOSAIC_SAMPLES: usize = 300_000_000;

/// The void value of SRTM tiles.
pub const HGT_VOID: i16 = i16::MIN;

/// Why a DEM could not be read. Every message names the file or folder.
#[derive(Debug, thiserror::Error)]
pub enum DemError {
    #[error("{path}: cannot read: {source}")]
    Read { path: String, source: io::Error },
    #[error("{path}: not an SRTM tile name (expected e.g. N34E069.hgt)")]
    BadName { path: String },
    #[error(
        "{path}: {bytes} bytes is not an SRTM tile (expected {} for SRTM3 or {} for SRTM1)",
        1201 * 1201 * 2,
        3601 * 3601 * 2
    )]
    BadSize { path: String, bytes: usize },
    #[error("{path}: no .hgt tiles in this folder")]
    NoTiles { path: String },
    #[error("{path}: tiles of different resolutions (SRTM1 and SRTM3) cannot be mosaicked")]
    MixedResolution { path: String },
    #[error("{path}: the tiles span {samples} samples, more than the {max} this build loads")]
    TooLarge {
        path: String,
        samples: usize,
        max: usize,
    },
}

/// The south-west corner (lon, lat degrees) of a tile from its file name, e.g.
/// `N34E069.hgt` → (69, 34), `S01W072.HGT` → (−72, −1).
#[must_use]
pub fn hgt_tile_origin(file_name: &str) -> Option<(i32, i32)> {
    let stem = file_name
        .strip_suffix(".hgt")
        .or_else(|| file_name.strip_suffix(".HGT"))?;
    let b = stem.as_bytes();
    if b.len() != 7 {
        return None;
    }
    let lat_sign = match b[0].to_ascii_uppercase() {
        b'N' => 1,
        b'S' => -1,
        _ => return None,
    };
    let lon_sign = match b[3].to_ascii_uppercase() {
        b'E' => 1,
        b'W' => -1,
        _ => return None,
    };
    let lat: i32 = stem.get(1..3)?.parse().ok()?;
    let lon: i32 = stem.get(4..7)?.parse().ok()?;
    ((0..=90).contains(&lat) && (0..=180).contains(&lon))
        .then_some((lon_sign * lon, lat_sign * lat))
}

/// Samples per side of a tile of `bytes` bytes.
fn tile_size(bytes: usize) -> Option<usize> {
    [1201, 3601].into_iter().find(|n| n * n * 2 == bytes)
}

/// One tile as an [`ElevationGrid`].
pub fn read_hgt(path: &Path) -> Result<ElevationGrid, DemError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let (lon, lat) = hgt_tile_origin(name).ok_or_else(|| DemError::BadName {
        path: path.display().to_string(),
    })?;
    let tile = read_tile(path)?;
    mosaic(&[((lon, lat), tile)], path)
}

/// Every `*.hgt` tile in `dir` (not recursive), as one grid. Files with other extensions are
/// ignored; an `.hgt` file with a bad name or size is an error.
pub fn load_hgt_folder(dir: &Path) -> Result<ElevationGrid, DemError> {
    let read_error = |source| DemError::Read {
        path: dir.display().to_string(),
        source,
    };
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(read_error)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("hgt"))
        })
        .collect();
    paths.sort();
    let mut tiles = Vec::new();
    for path in &paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let origin = hgt_tile_origin(name).ok_or_else(|| DemError::BadName {
            path: path.display().to_string(),
        })?;
        tiles.push((origin, read_tile(path)?));
    }
    if tiles.is_empty() {
        return Err(DemError::NoTiles {
            path: dir.display().to_string(),
        });
    }
    mosaic(&tiles, dir)
}

/// A tile's samples (native endianness) and side length.
struct Tile {
    size: usize,
    samples: Vec<i16>,
}

fn read_tile(path: &Path) -> Result<Tile, DemError> {
    let bytes = fs::read(path).map_err(|source| DemError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let size = tile_size(bytes.len()).ok_or_else(|| DemError::BadSize {
        path: path.display().to_string(),
        bytes: bytes.len(),
    })?;
    let samples = bytes
        .chunks_exact(2)
        .map(|c| i16::from_be_bytes([c[0], c[1]]))
        .collect();
    Ok(Tile { size, samples })
}

/// Place tiles on one grid. Shared edges are written by both neighbours (SRTM repeats them).
fn mosaic(tiles: &[((i32, i32), Tile)], path: &Path) -> Result<ElevationGrid, DemError> {
    let label = || path.display().to_string();
    let Some(((_, _), first)) = tiles.first() else {
        return Err(DemError::NoTiles { path: label() });
    };
    let size = first.size;
    if tiles.iter().any(|(_, t)| t.size != size) {
        return Err(DemError::MixedResolution { path: label() });
    }
    let by_origin: BTreeMap<(i32, i32), &Tile> = tiles.iter().map(|(o, t)| (*o, t)).collect();
    let min_lon = by_origin.keys().map(|o| o.0).min().unwrap_or(0);
    let max_lon = by_origin.keys().map(|o| o.0).max().unwrap_or(0);
    let min_lat = by_origin.keys().map(|o| o.1).min().unwrap_or(0);
    let max_lat = by_origin.keys().map(|o| o.1).max().unwrap_or(0);
    let step = size - 1;
    let cols = (max_lon - min_lon + 1) as usize * step + 1;
    let rows = (max_lat - min_lat + 1) as usize * step + 1;
    let samples = cols.saturating_mul(rows);
    if samples > MAX_MOSAIC_SAMPLES {
        return Err(DemError::TooLarge {
            path: label(),
            samples,
            max: MAX_MOSAIC_SAMPLES,
        });
    }
    let mut data = vec![HGT_VOID; samples];
    for (&(lon, lat), tile) in &by_origin {
        let col0 = (lon - min_lon) as usize * step;
        let row0 = (max_lat - lat) as usize * step;
        for r in 0..size {
            let dst = (row0 + r) * cols + col0;
            data[dst..dst + size].copy_from_slice(&tile.samples[r * size..(r + 1) * size]);
        }
    }
    let cell_deg = 1.0 / step as f64;
    // Samples sit on whole degrees and their fractions; as cell centres, the grid's edges are
    // half a cell outside them.
    ElevationGrid::new(
        cols,
        rows,
        f64::from(min_lon) - cell_deg / 2.0,
        f64::from(max_lat + 1) + cell_deg / 2.0,
        cell_deg,
        data,
    )
    .ok_or(DemError::NoTiles { path: label() })
}

#[cfg(test)]
#[allow(clippy::expect_used)] // Tests state their expectations with expect("why").
mod tests {
    use super::*;

    fn assert_close(got: Option<f64>, want: f64) {
        let got = got.expect("a value where the tile has data");
        assert!((got - want).abs() < 1e-6, "{got} vs {want}");
    }

    /// A synthetic SRTM3 tile: elevation = 1000 + row (north row 0), void at one sample.
    fn write_tile(dir: &Path, name: &str, base: i16) -> PathBuf {
        let n = 1201;
        let mut bytes = Vec::with_capacity(n * n * 2);
        for r in 0..n {
            for c in 0..n {
                let v = if (r, c) == (600, 600) {
                    HGT_VOID
                } else {
                    base + r as i16
                };
                bytes.extend_from_slice(&v.to_be_bytes());
            }
        }
        let path = dir.join(name);
        fs::write(&path, bytes).expect("temp dir is writable");
        path
    }

    #[test]
    fn tile_names_give_the_south_west_corner() {
        assert_eq!(hgt_tile_origin("N34E069.hgt"), Some((69, 34)));
        assert_eq!(hgt_tile_origin("S01W072.HGT"), Some((-72, -1)));
        assert_eq!(hgt_tile_origin("N34E069.tif"), None);
        assert_eq!(hgt_tile_origin("X34E069.hgt"), None);
        assert_eq!(hgt_tile_origin("N34E69.hgt"), None);
    }

    #[test]
    fn a_tile_is_read_big_endian_north_row_first() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = write_tile(dir.path(), "N34E069.hgt", 1000);
        let g = read_hgt(&path).expect("valid tile");
        assert_eq!((g.cols, g.rows), (1201, 1201));
        // North-west corner sample (69 E, 35 N) is row 0; south-west (69 E, 34 N) row 1200.
        assert_close(g.sample(69.0, 35.0), 1000.0);
        assert_close(g.sample(69.0, 34.0), 2200.0);
        // Halfway down: row 600 = 1600 m (away from the void at column 600).
        assert_close(g.sample(69.25, 34.5), 1600.0);
        // The void is no data.
        assert_eq!(g.sample(69.5, 34.5), None);
        assert_eq!(g.sample(70.5, 34.5), None);
    }

    #[test]
    fn a_folder_of_tiles_becomes_one_mosaic() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_tile(dir.path(), "N34E069.hgt", 1000);
        write_tile(dir.path(), "N35E070.hgt", 3000);
        fs::write(dir.path().join("readme.txt"), "not a tile").expect("writable");
        let g = load_hgt_folder(dir.path()).expect("two tiles");
        assert_eq!((g.cols, g.rows), (2401, 2401));
        assert_close(g.sample(69.25, 34.5), 1600.0);
        assert_close(g.sample(70.25, 35.5), 3600.0);
        // The tiles that are missing (N34E070, N35E069) are no data.
        assert_eq!(g.sample(70.5, 34.5), None);
        assert_eq!(g.sample(69.5, 35.5), None);
    }

    #[test]
    fn bad_tiles_and_empty_folders_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(matches!(
            load_hgt_folder(dir.path()),
            Err(DemError::NoTiles { .. })
        ));
        let bad = dir.path().join("N34E069.hgt");
        fs::write(&bad, [0u8; 100]).expect("writable");
        let err = load_hgt_folder(dir.path()).expect_err("wrong size");
        assert!(err.to_string().contains("N34E069.hgt"), "{err}");
        assert!(matches!(err, DemError::BadSize { bytes: 100, .. }));
    }
}
