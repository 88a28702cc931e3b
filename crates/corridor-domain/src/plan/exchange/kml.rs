//! KML 2.2 for Google Earth (and GDAL's LIBKML driver, QGIS): one styled `LineString`
//! placemark per alternative in a folder named `alternatives`, its ledger figures as typed
//! `ExtendedData/SchemaData` (declared once in a `Schema`), its colour as a shared `Style`.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::error::ExchangeError;
use super::table::{ExportTable, FieldKind, FieldValue, LAYER_NAME};
use super::xml_text::xml_safe;

/// The KML namespace.
pub const KML_NS: &str = "http://www.opengis.net/kml/2.2";
/// The id of the schema that types the figures.
const SCHEMA_ID: &str = "alternative_figures";
/// Line width in Google Earth pixels: thick enough to read over imagery.
const LINE_WIDTH_PX: &str = "4";

/// A KML colour: `aabbggrr` in hex (KML's byte order, not CSS's).
#[must_use]
pub fn kml_color([r, g, b, a]: [u8; 4]) -> String {
    format!("{a:02x}{b:02x}{g:02x}{r:02x}")
}

fn kml_type(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "string",
        FieldKind::Integer => "int",
        FieldKind::Real => "double",
    }
}

/// The table as a KML document (UTF-8).
pub fn to_kml(table: &ExportTable) -> Result<Vec<u8>, ExchangeError> {
    write(table).map_err(|e| ExchangeError::build("KML", e))
}

fn write(table: &ExportTable) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("kml")
        .with_attribute(("xmlns", KML_NS))
        .write_inner_content(|w| {
            w.create_element("Document").write_inner_content(|w| {
                w.create_element("name")
                    .write_text_content(BytesText::new(&xml_safe(&table.title)))?;
                w.create_element("Schema")
                    .with_attributes([("name", SCHEMA_ID), ("id", SCHEMA_ID)])
                    .write_inner_content(|w| {
                        // `name` is the placemark's own element (readers show it as
                        // `Name`); declaring it again would only duplicate it.
                        for f in table.fields.iter().skip(1) {
                            w.create_element("SimpleField")
                                .with_attributes([
                                    ("name", f.name.as_str()),
                                    ("type", kml_type(f.kind)),
                                ])
                                .write_empty()?;
                        }
                        Ok(())
                    })?;
                for (i, r) in table.records.iter().enumerate() {
                    let id = format!("alternative-{}", i + 1);
                    w.create_element("Style")
                        .with_attribute(("id", id.as_str()))
                        .write_inner_content(|w| {
                            w.create_element("LineStyle").write_inner_content(|w| {
                                w.create_element("color")
                                    .write_text_content(BytesText::new(&kml_color(r.color)))?;
                                w.create_element("width")
                                    .write_text_content(BytesText::new(LINE_WIDTH_PX))?;
                                Ok(())
                            })?;
                            Ok(())
                        })?;
                }
                w.create_element("Folder").write_inner_content(|w| {
                    w.create_element("name")
                        .write_text_content(BytesText::new(LAYER_NAME))?;
                    for i in 0..table.records.len() {
                        placemark(w, table, i)?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
            Ok(())
        })?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

fn placemark(w: &mut Writer<Vec<u8>>, table: &ExportTable, i: usize) -> std::io::Result<()> {
    let r = &table.records[i];
    let style = format!("#alternative-{}", i + 1);
    w.create_element("Placemark").write_inner_content(|w| {
        w.create_element("name")
            .write_text_content(BytesText::new(&xml_safe(&r.name)))?;
        if !r.notes.is_empty() {
            w.create_element("description")
                .write_text_content(BytesText::new(&xml_safe(&r.notes)))?;
        }
        w.create_element("styleUrl")
            .write_text_content(BytesText::new(&style))?;
        w.create_element("ExtendedData").write_inner_content(|w| {
            let url = format!("#{SCHEMA_ID}");
            w.create_element("SchemaData")
                .with_attribute(("schemaUrl", url.as_str()))
                .write_inner_content(|w| {
                    for (f, v) in table.fields.iter().zip(&r.values).skip(1) {
                        if *v == FieldValue::Null {
                            continue;
                        }
                        w.create_element("SimpleData")
                            .with_attribute(("name", f.name.as_str()))
                            .write_text_content(BytesText::new(&xml_safe(&v.to_text())))?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
        w.create_element("LineString").write_inner_content(|w| {
            w.create_element("tessellate")
                .write_text_content(BytesText::new("1"))?;
            let coords: Vec<String> = r
                .coords
                .iter()
                .map(|(lon, lat)| format!("{lon},{lat}"))
                .collect();
            w.create_element("coordinates")
                .write_text_content(BytesText::new(&coords.join(" ")))?;
            Ok(())
        })?;
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kml_colours_are_alpha_blue_green_red() {
        // #1f78b4 opaque is ffb4781f in KML's aabbggrr order.
        assert_eq!(kml_color([0x1f, 0x78, 0xb4, 0xff]), "ffb4781f");
        assert_eq!(kml_color([0xff, 0x00, 0x00, 0x80]), "800000ff");
    }
}
