//! GeoPackage 1.3 (OGC 12-128r18) for QGIS and GDAL: an SQLite database with the required
//! metadata tables (`gpkg_spatial_ref_sys`, `gpkg_contents`, `gpkg_geometry_columns`) and one
//! feature table, `alternatives`, of `LINESTRING` geometries in EPSG:4326 with the ledger
//! figures as typed columns.
//!
//! The database is built in memory and handed back as bytes (SQLite's `serialize`), so the
//! caller saves it atomically like a scenario: a failed export never leaves half a file.

use rusqlite::{Connection, MAIN_DB, params_from_iter, types::Value};

use super::error::ExchangeError;
use super::table::{ExportTable, FieldKind, FieldValue, LAYER_NAME};

/// `application_id` of a GeoPackage: "GPKG" in ASCII.
const APPLICATION_ID: i32 = 0x4750_4B47;
/// `user_version` of GeoPackage 1.3.0.
const USER_VERSION: i32 = 10_300;
/// The geometry column of the feature table.
pub const GEOMETRY_COLUMN: &str = "geom";

/// WGS 84 as GeoPackage requires it (the definition GDAL writes).
const WGS84_WKT: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#;

/// The table as a GeoPackage file's bytes.
pub fn to_gpkg(table: &ExportTable) -> Result<Vec<u8>, ExchangeError> {
    build(table).map_err(|e| ExchangeError::build("GeoPackage", e))
}

/// A column name quoted for SQL (`"km_afg"`); field names are ours, but quote anyway.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn build(table: &ExportTable) -> rusqlite::Result<Vec<u8>> {
    let mut db = Connection::open_in_memory()?;
    db.pragma_update(None, "application_id", APPLICATION_ID)?;
    db.pragma_update(None, "user_version", USER_VERSION)?;
    let tx = db.transaction()?;
    tx.execute_batch(
        "CREATE TABLE gpkg_spatial_ref_sys (
            srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
            organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
            definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (
            table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
            identifier TEXT UNIQUE, description TEXT DEFAULT '',
            last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (
            table_name TEXT NOT NULL, column_name TEXT NOT NULL,
            geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
            z TINYINT NOT NULL, m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
            CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
            CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
         INSERT INTO gpkg_spatial_ref_sys VALUES
            ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
            ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');",
    )?;
    tx.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        [WGS84_WKT],
    )?;
    let columns: Vec<String> = table
        .fields
        .iter()
        .map(|f| {
            let kind = match f.kind {
                FieldKind::Text => "TEXT",
                FieldKind::Integer => "INTEGER",
                FieldKind::Real => "REAL",
            };
            format!("{} {kind}", quoted(&f.name))
        })
        .collect();
    tx.execute_batch(&format!(
        "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {} LINESTRING, {});",
        quoted(LAYER_NAME),
        quoted(GEOMETRY_COLUMN),
        columns.join(", ")
    ))?;
    let bounds = bounds(table.records.iter().flat_map(|r| r.coords.iter().copied()));
    let (min_x, min_y, max_x, max_y) = match bounds {
        Some((a, b, c, d)) => (Some(a), Some(b), Some(c), Some(d)),
        None => (None, None, None, None),
    };
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
         VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, 4326)",
        rusqlite::params![LAYER_NAME, table.title, min_x, min_y, max_x, max_y],
    )?;
    tx.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, ?2, 'LINESTRING', 4326, 0, 0)",
        [LAYER_NAME, GEOMETRY_COLUMN],
    )?;
    let names: Vec<String> = std::iter::once(GEOMETRY_COLUMN)
        .chain(table.fields.iter().map(|f| f.name.as_str()))
        .map(quoted)
        .collect();
    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    {
        let mut insert = tx.prepare(&format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quoted(LAYER_NAME),
            names.join(", "),
            marks.join(", ")
        ))?;
        for r in &table.records {
            let values = std::iter::once(Value::Blob(geometry_blob(&r.coords))).chain(
                r.values.iter().map(|v| match v {
                    FieldValue::Text(s) => Value::Text(s.clone()),
                    FieldValue::Integer(i) => Value::Integer(*i),
                    FieldValue::Real(x) => Value::Real(*x),
                    FieldValue::Null => Value::Null,
                }),
            );
            insert.execute(params_from_iter(values))?;
        }
    }
    tx.commit()?;
    let data = db.serialize(MAIN_DB)?;
    Ok(data.to_vec())
}

/// `(min_x, min_y, max_x, max_y)` of some points; `None` if there are none.
fn bounds(points: impl Iterator<Item = (f64, f64)>) -> Option<(f64, f64, f64, f64)> {
    points.fold(None, |acc, (x, y)| {
        Some(match acc {
            None => (x, y, x, y),
            Some((a, b, c, d)) => (a.min(x), b.min(y), c.max(x), d.max(y)),
        })
    })
}

/// A GeoPackage geometry blob: the `GP` header (version 0, little-endian, an XY envelope,
/// srs_id 4326) followed by the line as little-endian WKB (OGC 12-128 §2.1.3).
#[must_use]
pub fn geometry_blob(coords: &[(f64, f64)]) -> Vec<u8> {
    let mut b = Vec::with_capacity(8 + 32 + 9 + 16 * coords.len());
    b.extend_from_slice(b"GP");
    b.push(0); // version 1.0 of the blob format
    // flags: bit 0 little-endian, bits 1-3 = 1 (envelope [minx, maxx, miny, maxy]);
    // bit 4 set for an empty geometry (no envelope then).
    let envelope = bounds(coords.iter().copied());
    b.push(if envelope.is_some() {
        0b0000_0011
    } else {
        0b0001_0001
    });
    b.extend_from_slice(&4326_i32.to_le_bytes());
    if let Some((min_x, min_y, max_x, max_y)) = envelope {
        for v in [min_x, max_x, min_y, max_y] {
            b.extend_from_slice(&v.to_le_bytes());
        }
    }
    b.push(1); // WKB little-endian
    b.extend_from_slice(&2_u32.to_le_bytes()); // LineString
    b.extend_from_slice(
        &u32::try_from(coords.len())
            .unwrap_or(u32::MAX)
            .to_le_bytes(),
    );
    for (x, y) in coords {
        b.extend_from_slice(&x.to_le_bytes());
        b.extend_from_slice(&y.to_le_bytes());
    }
    b
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // exact: the coordinates are copied into the blob, not computed
mod tests {
    use super::*;

    #[test]
    fn a_line_blob_is_the_gpkg_header_envelope_and_little_endian_wkb() {
        let blob = geometry_blob(&[(1.0, 2.0), (3.0, 4.0)]);
        // OGC 12-128 §2.1.3: "GP", version 0, flags 0b011 (little-endian, XY envelope),
        // srs_id 4326 = 0x10E6.
        assert_eq!(
            &blob[..8],
            &[0x47, 0x50, 0x00, 0x03, 0xE6, 0x10, 0x00, 0x00]
        );
        // Envelope order is minx, maxx, miny, maxy.
        let f = |i: usize| f64::from_le_bytes(blob[i..i + 8].try_into().unwrap_or([0; 8]));
        assert_eq!([f(8), f(16), f(24), f(32)], [1.0, 3.0, 2.0, 4.0]);
        // WKB: byte order 1, type 2 (LineString), 2 points.
        assert_eq!(&blob[40..49], &[1, 2, 0, 0, 0, 2, 0, 0, 0]);
        assert_eq!([f(49), f(57), f(65), f(73)], [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(blob.len(), 81);
        // No points: the empty flag (bit 4) and no envelope.
        let empty = geometry_blob(&[]);
        assert_eq!(empty[3], 0b0001_0001);
        assert_eq!(empty.len(), 8 + 9);
    }
}
