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

use crate::data::elevation::ElevationGrid;

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
    #[error("{path}: not a usable GeoTIFF DEM: {message}")]
    GeoTiff { path: String, message: String },
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

/// A single-band GeoTIFF DEM in WGS84 lon/lat (what `gdal_translate` or an SRTM/Copernicus
/// download gives), read into an [`ElevationGrid`]. The georeference comes from the
/// `ModelPixelScale` and `ModelTiepoint` tags (a tie point at pixel (0, 0)); pixels must be
/// square. Values are metres; floats are rounded, and `NaN` and the `GDAL_NODATA` value
/// become "no data".
pub fn read_geotiff(path: &Path) -> Result<ElevationGrid, DemError> {
    use tiff::decoder::{Decoder, DecodingResult};
    use tiff::tags::Tag;
    let shown = path.display().to_string();
    let bad = |message: String| DemError::GeoTiff {
        path: shown.clone(),
        message,
    };
    let file = fs::File::open(path).map_err(|source| DemError::Read {
        path: shown.clone(),
        source,
    })?;
    let mut dec = Decoder::new(io::BufReader::new(file)).map_err(|e| bad(e.to_string()))?;
    let (cols, rows) = dec.dimensions().map_err(|e| bad(e.to_string()))?;
    let scale = dec
        .get_tag_f64_vec(Tag::ModelPixelScaleTag)
        .map_err(|_| bad("no ModelPixelScale tag (not georeferenced)".into()))?;
    let tie = dec
        .get_tag_f64_vec(Tag::ModelTiepointTag)
        .map_err(|_| bad("no ModelTiepoint tag (not georeferenced)".into()))?;
    if scale.len() < 2 || tie.len() < 6 {
        return Err(bad("malformed georeference tags".into()));
    }
    let (dx, dy) = (scale[0], scale[1]);
    if !(dx > 0.0 && dy > 0.0 && ((dx - dy) / dx).abs() < 1e-6) {
        return Err(bad(format!(
            "pixels must be square degrees, found {dx} × {dy}"
        )));
    }
    // The tie point maps raster (i, j) to model (x, y): shift it to the raster's corner.
    let west = tie[3] - tie[0] * dx;
    let north = tie[4] + tie[1] * dy;
    if !(-180.0..=180.0).contains(&west) || !(-90.0..=90.0).contains(&north) {
        return Err(bad(format!(
            "origin ({west}, {north}) is not lon/lat degrees: reproject to EPSG:4326 first"
        )));
    }
    let samples = cols as usize * rows as usize;
    if samples > MAX_MOSAIC_SAMPLES {
        return Err(DemError::TooLarge {
            path: shown,
            samples,
            max: MAX_MOSAIC_SAMPLES,
        });
    }
    let nodata: Option<f64> = dec
        .get_tag_ascii_string(Tag::GdalNodata)
        .ok()
        .and_then(|s| s.trim().trim_end_matches('\0').parse().ok());
    let to_i16 = |v: f64| -> i16 {
        if v.is_nan() || nodata.is_some_and(|n| (v - n).abs() < 1e-9) {
            i16::MIN
        } else {
            v.round()
                .clamp(f64::from(i16::MIN + 1), f64::from(i16::MAX)) as i16
        }
    };
    let data: Vec<i16> = match dec.read_image().map_err(|e| bad(e.to_string()))? {
        DecodingResult::I16(v) => v.into_iter().map(|x| to_i16(f64::from(x))).collect(),
        DecodingResult::U16(v) => v.into_iter().map(|x| to_i16(f64::from(x))).collect(),
        DecodingResult::I32(v) => v.into_iter().map(|x| to_i16(f64::from(x))).collect(),
        DecodingResult::F32(v) => v.into_iter().map(|x| to_i16(f64::from(x))).collect(),
        DecodingResult::F64(v) => v.into_iter().map(to_i16).collect(),
        _ => {
            return Err(bad(
                "unsupported sample type (expected one band of int16, uint16, int32 or float)"
                    .into(),
            ));
        }
    };
    if data.len() != samples {
        return Err(bad(format!(
            "{} samples for {cols} × {rows} pixels (one band expected)",
            data.len()
        )));
    }
    ElevationGrid::new(cols as usize, rows as usize, west, north, dx, data)
        .ok_or_else(|| bad("empty raster".into()))
}

#[cfg(test)]
mod geotiff_tests {
    use super::*;
    use tiff::encoder::{TiffEncoder, colortype::Gray32Float};
    use tiff::tags::Tag;

    /// Write a 4 × 3 float GeoTIFF: west edge 69° E, north edge 35° N, 0.01° pixels.
    fn write(path: &Path, values: &[f32]) {
        let file = fs::File::create(path).expect("create");
        let mut enc = TiffEncoder::new(file).expect("encoder");
        let mut img = enc.new_image::<Gray32Float>(4, 3).expect("image");
        img.encoder()
            .write_tag(Tag::ModelPixelScaleTag, &[0.01_f64, 0.01, 0.0][..])
            .expect("scale");
        img.encoder()
            .write_tag(
                Tag::ModelTiepointTag,
                &[0.0_f64, 0.0, 0.0, 69.0, 35.0, 0.0][..],
            )
            .expect("tie");
        img.encoder()
            .write_tag(Tag::GdalNodata, "-9999")
            .expect("nodata");
        img.write_data(values).expect("data");
    }

    #[test]
    fn a_geotiff_dem_is_georeferenced_from_its_tags() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("dem.tif");
        let values: Vec<f32> = (0..12).map(|i| 1000.0 + 10.0 * i as f32).collect();
        write(&path, &values);
        let g = read_geotiff(&path).expect("read");
        assert_eq!((g.cols, g.rows), (4, 3));
        assert!((g.west_deg - 69.0).abs() < 1e-12 && (g.north_deg - 35.0).abs() < 1e-12);
        assert!((g.cell_deg - 0.01).abs() < 1e-12);
        // Pixel (col 2, row 1) is value index 6: 1060 m; its centre is 69.025 E, 34.985 N.
        assert_eq!(g.cell(2, 1), Some(1060));
        let z = g.sample(69.025, 34.985).expect("inside");
        assert!((z - 1060.0).abs() < 1e-6, "{z}");
    }

    #[test]
    fn nodata_and_nan_become_gaps_and_a_plain_tiff_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("dem.tif");
        let mut values = vec![500.0_f32; 12];
        values[0] = -9999.0;
        values[1] = f32::NAN;
        write(&path, &values);
        let g = read_geotiff(&path).expect("read");
        assert_eq!(g.cell(0, 0), None);
        assert_eq!(g.cell(1, 0), None);
        assert_eq!(g.cell(2, 0), Some(500));
        // No georeference: a clear error naming the file.
        let plain = dir.path().join("plain.tif");
        let file = fs::File::create(&plain).expect("create");
        TiffEncoder::new(file)
            .expect("enc")
            .write_image::<Gray32Float>(2, 2, &[1.0, 2.0, 3.0, 4.0])
            .expect("write");
        let err = read_geotiff(&plain)
            .expect_err("not georeferenced")
            .to_string();
        assert!(
            err.contains("plain.tif") && err.contains("ModelPixelScale"),
            "{err}"
        );
    }
}
