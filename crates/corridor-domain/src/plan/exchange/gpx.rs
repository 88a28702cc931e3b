//! GPX 1.1: one track per alternative (`trk` with one `trkseg`), its ledger figures as
//! `extensions` in our own namespace (GDAL's GPX driver reads them as `ca_…` fields), its
//! notes as `desc`. Handheld GPS units and track tools read the line and ignore the rest.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::error::ExchangeError;
use super::table::{ExportTable, FieldValue};
use super::xml_text::xml_safe;

/// The GPX 1.1 namespace.
pub const GPX_NS: &str = "http://www.topografix.com/GPX/1/1";
/// Our namespace for the figures in `extensions`.
pub const EXTENSIONS_NS: &str = "https://corridor-atlas.invalid/gpx/1";
/// The prefix of that namespace.
const PREFIX: &str = "ca";

/// The table as a GPX document (UTF-8).
pub fn to_gpx(table: &ExportTable) -> Result<Vec<u8>, ExchangeError> {
    write(table).map_err(|e| ExchangeError::build("GPX", e))
}

fn write(table: &ExportTable) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let xmlns_ca = format!("xmlns:{PREFIX}");
    w.create_element("gpx")
        .with_attributes([
            ("version", "1.1"),
            ("creator", "Corridor Atlas"),
            ("xmlns", GPX_NS),
            (xmlns_ca.as_str(), EXTENSIONS_NS),
        ])
        .write_inner_content(|w| {
            w.create_element("metadata").write_inner_content(|w| {
                w.create_element("name")
                    .write_text_content(BytesText::new(&xml_safe(&table.title)))?;
                Ok(())
            })?;
            for r in &table.records {
                w.create_element("trk").write_inner_content(|w| {
                    w.create_element("name")
                        .write_text_content(BytesText::new(&xml_safe(&r.name)))?;
                    if !r.notes.is_empty() {
                        w.create_element("desc")
                            .write_text_content(BytesText::new(&xml_safe(&r.notes)))?;
                    }
                    w.create_element("extensions").write_inner_content(|w| {
                        // `name` is the track's own element already.
                        for (f, v) in table.fields.iter().zip(&r.values).skip(1) {
                            if *v == FieldValue::Null {
                                continue;
                            }
                            let tag = format!("{PREFIX}:{}", f.name);
                            w.create_element(tag.as_str())
                                .write_text_content(BytesText::new(&xml_safe(&v.to_text())))?;
                        }
                        Ok(())
                    })?;
                    w.create_element("trkseg").write_inner_content(|w| {
                        for (lon, lat) in &r.coords {
                            let (lat, lon) = (lat.to_string(), lon.to_string());
                            w.create_element("trkpt")
                                .with_attributes([("lat", lat.as_str()), ("lon", lon.as_str())])
                                .write_empty()?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}
