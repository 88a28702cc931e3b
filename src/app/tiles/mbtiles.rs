//! MBTiles files (SQLite with a `tiles` table of PNG/JPEG rows, TMS row order): the format
//! most tile tools export. Read-only; one connection behind a mutex, since a SQLite
//! connection must not be shared between threads and tile reads are short.

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use egui::ColorImage;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::pool::{LoadError, TileLoader};
use super::remote::decode;
use corridor_domain::draw::basemap::TileKey;

/// An open `.mbtiles` file.
pub struct MbTilesFile {
    conn: Mutex<Connection>,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// The `attribution` (else `name`) from the metadata table.
    pub attribution: Option<String>,
}

fn meta(conn: &Connection, key: &str) -> Option<String> {
    conn.query_row("SELECT value FROM metadata WHERE name = ?1", [key], |r| {
        r.get::<_, String>(0)
    })
    .optional()
    .ok()
    .flatten()
}

impl MbTilesFile {
    /// Open and check a file: it must be SQLite with a `tiles` table holding raster tiles.
    pub fn open(path: &Path) -> Result<Self, String> {
        let shown = path.display();
        if !path.is_file() {
            return Err(format!("{shown}: not a file"));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| format!("{shown}: cannot open as SQLite: {e}"))?;
        let (min, max): (Option<i64>, Option<i64>) = conn
            .query_row(
                "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| {
                format!("{shown}: not an MBTiles file (no readable `tiles` table: {e})")
            })?;
        let (Some(min), Some(max)) = (min, max) else {
            return Err(format!("{shown}: the MBTiles file holds no tiles"));
        };
        if let Some(format) = meta(&conn, "format")
            && !matches!(format.as_str(), "png" | "jpg" | "jpeg" | "webp")
        {
            return Err(format!(
                "{shown}: {format} tiles are not raster images (vector MBTiles are not supported)"
            ));
        }
        let attribution = meta(&conn, "attribution").or_else(|| meta(&conn, "name"));
        Ok(Self {
            conn: Mutex::new(conn),
            min_zoom: u8::try_from(min.clamp(0, 30)).unwrap_or(0),
            max_zoom: u8::try_from(max.clamp(0, 30)).unwrap_or(0),
            attribution,
        })
    }

    /// The stored bytes of a tile (XYZ key; MBTiles rows count from the south).
    pub fn tile_bytes(&self, key: TileKey) -> Result<Option<Vec<u8>>, String> {
        let rows = 1_i64 << key.zoom;
        let tms_row = rows - 1 - i64::from(key.y);
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        conn.query_row(
            "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
            [i64::from(key.zoom), i64::from(key.x), tms_row],
            |r| r.get::<_, Vec<u8>>(0),
        )
        .optional()
        .map_err(|e| format!("read error: {e}"))
    }
}

impl TileLoader for MbTilesFile {
    fn load(&self, key: TileKey) -> Result<ColorImage, LoadError> {
        match self.tile_bytes(key) {
            Ok(Some(bytes)) => decode(&bytes),
            Ok(None) => Err(LoadError::Missing),
            Err(e) => Err(LoadError::Permanent(e)),
        }
    }
}

/// Write a minimal MBTiles file (tests and fixtures): `tiles` are XYZ keys with PNG bytes.
pub fn write_mbtiles(
    path: &Path,
    tiles: &[(TileKey, Vec<u8>)],
    attribution: &str,
) -> Result<(), String> {
    let conn = Connection::open(path).map_err(|e| e.to_string())?;
    conn.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
    )
    .map_err(|e| e.to_string())?;
    for (k, v) in [
        ("name", "test"),
        ("format", "png"),
        ("attribution", attribution),
    ] {
        conn.execute("INSERT INTO metadata VALUES (?1, ?2)", [k, v])
            .map_err(|e| e.to_string())?;
    }
    for (key, bytes) in tiles {
        let tms_row = (1_i64 << key.zoom) - 1 - i64::from(key.y);
        conn.execute(
            "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![i64::from(key.zoom), i64::from(key.x), tms_row, bytes],
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(rgb: [u8; 3]) -> Vec<u8> {
        let img =
            image::RgbaImage::from_pixel(256, 256, image::Rgba([rgb[0], rgb[1], rgb[2], 255]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png)
            .expect("encode png");
        out.into_inner()
    }

    #[test]
    fn tiles_come_back_from_their_xyz_keys_with_the_tms_row_flip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.mbtiles");
        let north = TileKey::new(1, 0, 0).expect("key");
        let south = TileKey::new(1, 0, 1).expect("key");
        write_mbtiles(
            &path,
            &[(north, png([255, 0, 0])), (south, png([0, 0, 255]))],
            "© test",
        )
        .expect("write");
        let f = MbTilesFile::open(&path).expect("open");
        assert_eq!((f.min_zoom, f.max_zoom), (1, 1));
        assert_eq!(f.attribution.as_deref(), Some("© test"));
        let img = f.load(north).expect("north tile");
        assert_eq!(
            img.pixels[0].to_array()[..3],
            [255, 0, 0],
            "y=0 is the northern row"
        );
        let img = f.load(south).expect("south tile");
        assert_eq!(img.pixels[0].to_array()[..3], [0, 0, 255]);
        assert!(matches!(
            f.load(TileKey::new(1, 1, 1).expect("key")),
            Err(LoadError::Missing)
        ));
    }

    #[test]
    fn a_file_that_is_not_mbtiles_is_refused_with_a_reason() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.mbtiles");
        std::fs::write(&path, b"not sqlite at all").expect("write");
        let err = MbTilesFile::open(&path).err().expect("refused");
        assert!(err.contains("x.mbtiles"), "{err}");
        assert!(
            MbTilesFile::open(dir.path()).is_err(),
            "a directory is refused"
        );
    }
}
