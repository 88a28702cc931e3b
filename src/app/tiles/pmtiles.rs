//! Raster tiles from a local `PMTiles` v3 archive (<https://github.com/protomaps/PMTiles>).
//!
//! Our own small reader rather than walkers' `PmTiles`: that one assumes 512-px tiles,
//! reopens the file for every tile on a tokio runtime, and only logs failures; this one shares
//! the pool, the status bar and the fallback logic with every other source. The format is a
//! 127-byte header, a root directory of varint-encoded entries keyed by a Hilbert-curve tile
//! id, optional leaf directories, and the tile bytes.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use egui::ColorImage;

use super::pool::{LoadError, TileLoader};
use super::remote::decode;
use corridor_domain::draw::basemap::TileKey;

const HEADER_LEN: usize = 127;
const MAX_DIRECTORY_DEPTH: usize = 4;

/// Compression codes of the header.
const COMPRESSION_UNKNOWN: u8 = 0;
const COMPRESSION_NONE: u8 = 1;
const COMPRESSION_GZIP: u8 = 2;

/// Tile type codes of the header.
const TILE_PNG: u8 = 2;
const TILE_JPEG: u8 = 3;

/// Leaf directories read so far, by (offset, length).
type LeafCache = HashMap<(u64, u64), Arc<Vec<Entry>>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    tile_id: u64,
    offset: u64,
    length: u32,
    run_length: u32,
}

/// The parts of the header a reader needs.
#[derive(Clone, Copy, Debug)]
pub struct Header {
    root_offset: u64,
    root_length: u64,
    metadata_offset: u64,
    metadata_length: u64,
    leaf_offset: u64,
    tile_data_offset: u64,
    internal_compression: u8,
    tile_compression: u8,
    pub tile_type: u8,
    pub min_zoom: u8,
    pub max_zoom: u8,
}

/// An open archive.
pub struct PmTilesFile {
    file: Mutex<File>,
    pub header: Header,
    root: Vec<Entry>,
    leaves: Mutex<LeafCache>,
    /// The `attribution` of the archive's metadata, if it has one.
    pub attribution: Option<String>,
}

impl PmTilesFile {
    /// Open and check `path`: a `PMTiles` v3 archive of PNG or JPEG tiles.
    pub fn open(path: &Path) -> Result<Self, String> {
        let mut file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
        let mut h = [0u8; HEADER_LEN];
        file.read_exact(&mut h)
            .map_err(|_| "too short for a PMTiles file".to_string())?;
        if &h[0..7] != b"PMTiles" {
            return Err("not a PMTiles file".into());
        }
        if h[7] != 3 {
            return Err(format!("PMTiles version {} (this reads version 3)", h[7]));
        }
        let u64_at = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&h[at..at + 8]);
            u64::from_le_bytes(b)
        };
        let header = Header {
            root_offset: u64_at(8),
            root_length: u64_at(16),
            metadata_offset: u64_at(24),
            metadata_length: u64_at(32),
            leaf_offset: u64_at(40),
            tile_data_offset: u64_at(56),
            internal_compression: h[97],
            tile_compression: h[98],
            tile_type: h[99],
            min_zoom: h[100],
            max_zoom: h[101],
        };
        match header.tile_type {
            TILE_PNG | TILE_JPEG => {}
            1 => return Err("vector tiles (MVT); only raster PMTiles can be shown".into()),
            4 => return Err("WebP tiles are not supported (PNG or JPEG only)".into()),
            t => return Err(format!("unsupported tile type {t} (PNG or JPEG only)")),
        }
        let mut this = Self {
            file: Mutex::new(file),
            header,
            root: Vec::new(),
            leaves: Mutex::new(HashMap::new()),
            attribution: None,
        };
        let root = this.read(header.root_offset, header.root_length)?;
        this.root = parse_directory(&this.decompress_internal(root)?)?;
        if header.metadata_length > 0 {
            let meta = this.read(header.metadata_offset, header.metadata_length)?;
            let meta = this.decompress_internal(meta)?;
            this.attribution = serde_json::from_slice::<serde_json::Value>(&meta)
                .ok()
                .and_then(|v| v.get("attribution")?.as_str().map(str::to_string));
        }
        Ok(this)
    }

    /// The bytes of a tile, `None` where the archive has none.
    pub fn tile_bytes(&self, key: TileKey) -> Result<Option<Vec<u8>>, String> {
        let id = tile_id(key);
        let mut dir: Arc<Vec<Entry>> = Arc::new(self.root.clone());
        for _ in 0..MAX_DIRECTORY_DEPTH {
            let Some(entry) = find(&dir, id) else {
                return Ok(None);
            };
            if entry.run_length > 0 {
                let bytes = self.read(
                    self.header.tile_data_offset + entry.offset,
                    u64::from(entry.length),
                )?;
                return decompress(self.header.tile_compression, bytes).map(Some);
            }
            dir = self.leaf(entry.offset, u64::from(entry.length))?;
        }
        Err("directory nesting too deep".into())
    }

    fn leaf(&self, offset: u64, length: u64) -> Result<Arc<Vec<Entry>>, String> {
        let mut leaves = self.leaves.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(l) = leaves.get(&(offset, length)) {
            return Ok(Arc::clone(l));
        }
        let bytes = self.read(self.header.leaf_offset + offset, length)?;
        let entries = Arc::new(parse_directory(&self.decompress_internal(bytes)?)?);
        if leaves.len() > 64 {
            leaves.clear(); // a few leaves are hot at a time; keep memory bounded
        }
        leaves.insert((offset, length), Arc::clone(&entries));
        Ok(entries)
    }

    fn decompress_internal(&self, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
        decompress(self.header.internal_compression, bytes)
    }

    fn read(&self, offset: u64, length: u64) -> Result<Vec<u8>, String> {
        if length > 64 * 1024 * 1024 {
            return Err("damaged file (a directory or tile claims over 64 MB)".into());
        }
        let mut f = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        f.seek(SeekFrom::Start(offset))
            .map_err(|e| format!("read error: {e}"))?;
        let mut buf = vec![0u8; length as usize];
        f.read_exact(&mut buf)
            .map_err(|_| "damaged file (truncated)".to_string())?;
        Ok(buf)
    }
}

impl TileLoader for PmTilesFile {
    fn load(&self, key: TileKey) -> Result<ColorImage, LoadError> {
        match self.tile_bytes(key) {
            Ok(Some(bytes)) => decode(&bytes),
            Ok(None) => Err(LoadError::Missing),
            Err(e) => Err(LoadError::Permanent(e)),
        }
    }
}

fn decompress(code: u8, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    match code {
        COMPRESSION_NONE | COMPRESSION_UNKNOWN => Ok(bytes),
        COMPRESSION_GZIP => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(bytes.as_slice())
                .read_to_end(&mut out)
                .map_err(|e| format!("damaged gzip data: {e}"))?;
            Ok(out)
        }
        3 => Err("brotli-compressed archive (re-export with gzip or none)".into()),
        4 => Err("zstd-compressed archive (re-export with gzip or none)".into()),
        c => Err(format!("unknown compression {c}")),
    }
}

/// The entry covering `id`: the last one starting at or before it, if its run (or leaf)
/// reaches it.
fn find(entries: &[Entry], id: u64) -> Option<Entry> {
    let i = entries
        .partition_point(|e| e.tile_id <= id)
        .checked_sub(1)?;
    let e = entries[i];
    (e.run_length == 0 || id < e.tile_id + u64::from(e.run_length)).then_some(e)
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at).ok_or("damaged directory (truncated)")?;
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("damaged directory (varint too long)".into())
}

fn parse_directory(bytes: &[u8]) -> Result<Vec<Entry>, String> {
    let mut at = 0;
    let n = read_varint(bytes, &mut at)? as usize;
    if n > bytes.len() {
        return Err("damaged directory (entry count)".into());
    }
    let mut entries = vec![
        Entry {
            tile_id: 0,
            offset: 0,
            length: 0,
            run_length: 0
        };
        n
    ];
    let mut last = 0u64;
    for e in &mut entries {
        last += read_varint(bytes, &mut at)?;
        e.tile_id = last;
    }
    for e in &mut entries {
        e.run_length = read_varint(bytes, &mut at)? as u32;
    }
    for e in &mut entries {
        e.length = read_varint(bytes, &mut at)? as u32;
    }
    for i in 0..n {
        let v = read_varint(bytes, &mut at)?;
        entries[i].offset = if v == 0 && i > 0 {
            entries[i - 1].offset + u64::from(entries[i - 1].length)
        } else {
            v.saturating_sub(1)
        };
    }
    Ok(entries)
}

/// The `PMTiles` tile id: tiles of all lower zooms, then the Hilbert index within the zoom.
#[must_use]
// The short names are those of the Hilbert-curve algorithm as the specification writes it.
#[allow(clippy::many_single_char_names)]
pub fn tile_id(key: TileKey) -> u64 {
    let z = u32::from(key.zoom);
    let before: u64 = ((1u64 << (2 * z)) - 1) / 3;
    let (mut x, mut y) = (u64::from(key.x), u64::from(key.y));
    let mut d = 0u64;
    let mut s = (1u64 << z) >> 1;
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = s - 1 - (x & (s - 1)) + (x & !(s - 1));
                y = s - 1 - (y & (s - 1)) + (y & !(s - 1));
            }
            std::mem::swap(&mut x, &mut y);
        }
        s >>= 1;
    }
    before + d
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Write a minimal `PMTiles` v3 archive (uncompressed root directory, no leaves) holding
/// `tiles` of `tile_type` (2 PNG, 3 JPEG) and optional metadata JSON. For tests and fixture
/// tools; real archives come from `pmtiles convert` or similar.
#[must_use]
pub fn write_archive(tiles: &[(TileKey, Vec<u8>)], tile_type: u8, metadata: &str) -> Vec<u8> {
    let mut sorted: Vec<(u64, &Vec<u8>)> = tiles.iter().map(|(k, b)| (tile_id(*k), b)).collect();
    sorted.sort_by_key(|(id, _)| *id);
    let mut dir = Vec::new();
    write_varint(&mut dir, sorted.len() as u64);
    let mut last = 0;
    for (id, _) in &sorted {
        write_varint(&mut dir, id - last);
        last = *id;
    }
    for _ in &sorted {
        write_varint(&mut dir, 1);
    }
    for (_, b) in &sorted {
        write_varint(&mut dir, b.len() as u64);
    }
    let mut offset = 0u64;
    for (_, b) in &sorted {
        write_varint(&mut dir, offset + 1);
        offset += b.len() as u64;
    }
    let root_offset = HEADER_LEN as u64;
    let meta_offset = root_offset + dir.len() as u64;
    let data_offset = meta_offset + metadata.len() as u64;
    let zooms = tiles.iter().map(|(k, _)| k.zoom);
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(b"PMTiles");
    h.push(3);
    for v in [
        root_offset,
        dir.len() as u64,
        meta_offset,
        metadata.len() as u64,
        data_offset, // leaf directories: none
        0,
        data_offset,
        offset,
        sorted.len() as u64,
        sorted.len() as u64,
        sorted.len() as u64,
    ] {
        h.extend_from_slice(&v.to_le_bytes());
    }
    h.push(1); // clustered
    h.push(COMPRESSION_NONE);
    h.push(COMPRESSION_NONE);
    h.push(tile_type);
    h.push(zooms.clone().min().unwrap_or(0));
    h.push(zooms.max().unwrap_or(0));
    h.resize(HEADER_LEN, 0); // bounds and centre: zero is allowed
    let mut out = h;
    out.extend_from_slice(&dir);
    out.extend_from_slice(metadata.as_bytes());
    for (_, b) in &sorted {
        out.extend_from_slice(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(zoom: u8, x: u32, y: u32) -> TileKey {
        TileKey { zoom, x, y }
    }

    #[test]
    fn tile_ids_follow_the_spec_hilbert_order() {
        // Values from the PMTiles specification's reference implementation tests.
        assert_eq!(tile_id(k(0, 0, 0)), 0);
        assert_eq!(tile_id(k(1, 0, 0)), 1);
        assert_eq!(tile_id(k(1, 0, 1)), 2);
        assert_eq!(tile_id(k(1, 1, 1)), 3);
        assert_eq!(tile_id(k(1, 1, 0)), 4);
        assert_eq!(tile_id(k(2, 0, 0)), 5);
        assert_eq!(tile_id(k(12, 3423, 1763)), 19_078_479);
    }

    #[test]
    fn ids_are_unique_within_a_zoom() {
        let mut seen = std::collections::HashSet::new();
        for x in 0..8 {
            for y in 0..8 {
                assert!(seen.insert(tile_id(k(3, x, y))));
            }
        }
        assert!(seen.iter().all(|&id| (21..85).contains(&id)));
    }

    #[test]
    fn a_written_archive_reads_back() -> Result<(), String> {
        let tiles = vec![
            (k(0, 0, 0), b"zero".to_vec()),
            (k(2, 1, 3), b"two-one-three".to_vec()),
            (k(2, 3, 1), b"two-three-one".to_vec()),
        ];
        let bytes = write_archive(&tiles, TILE_PNG, r#"{"attribution":"© Test"}"#);
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("t.pmtiles");
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
        let f = PmTilesFile::open(&path)?;
        assert_eq!(f.attribution.as_deref(), Some("© Test"));
        assert_eq!((f.header.min_zoom, f.header.max_zoom), (0, 2));
        for (key, data) in &tiles {
            assert_eq!(f.tile_bytes(*key)?.as_ref(), Some(data));
        }
        assert_eq!(f.tile_bytes(k(2, 0, 0))?, None);
        Ok(())
    }

    #[test]
    fn other_files_are_refused_with_a_reason() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("x.pmtiles");
        std::fs::write(&path, b"hello").map_err(|e| e.to_string())?;
        assert!(PmTilesFile::open(&path).is_err_and(|e| e.contains("too short")));
        let mvt = write_archive(&[], 1, "");
        std::fs::write(&path, mvt).map_err(|e| e.to_string())?;
        assert!(PmTilesFile::open(&path).is_err_and(|e| e.contains("vector")));
        Ok(())
    }
}
