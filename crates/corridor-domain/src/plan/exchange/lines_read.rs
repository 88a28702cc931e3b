//! KML and GPX lines as alternatives: every KML `LineString` (also inside `MultiGeometry`),
//! every GPX track segment and route becomes one alignment of a new scenario, with its name,
//! description, colour (KML `LineStyle`, inline or a shared `Style`) and the status and gauge
//! our own exports carry. Points and polygons are not alternatives and are skipped.
//!
//! XML is read with `quick-xml`; a file that is not well-formed is refused with the line and
//! column of the fault, and so is a coordinate that is not a longitude/latitude.

use std::collections::HashMap;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::error::ExchangeError;
use crate::plan::scenario::model::{Alignment, AlignmentStatus, Scenario, Vertex, is_valid_lonlat};

/// Which of the two XML formats a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineFormat {
    Kml,
    Gpx,
}

impl LineFormat {
    /// The format a file name says (`.kml`, `.gpx`, any case); `None` for anything else.
    #[must_use]
    pub fn of_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "kml" => Some(LineFormat::Kml),
            "gpx" => Some(LineFormat::Gpx),
            _ => None,
        }
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Read a KML or GPX file (by its extension) into a scenario of alternatives.
pub fn read_lines_file(path: &Path) -> Result<Scenario, ExchangeError> {
    let file = path.display().to_string();
    let Some(format) = LineFormat::of_path(path) else {
        return Err(ExchangeError::Content {
            file,
            reason: "not a .kml or .gpx file".into(),
        });
    };
    let bytes = read_xml_file(path).map_err(|e| ExchangeError::Content {
        file: file.clone(),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => "file not found".into(),
            _ => e.to_string(),
        },
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = line_col(&prefix, prefix.len());
        ExchangeError::Syntax {
            file: file.clone(),
            line,
            column,
            reason: "the file is not UTF-8 text".into(),
        }
    })?;
    read_lines(&text, &file, format)
}

/// The bytes of a regular file of at most `WHOLE_LIMIT_BYTES`. Not `data::file::read_checked`:
/// its first-byte check is for JSON and refuses the `<` every XML file starts with; the other
/// rules (regular files only, the size cap) are the same.
fn read_xml_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let limit = crate::data::file::WHOLE_LIMIT_BYTES;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "is not a regular file",
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the file is larger than {} MiB", limit >> 20),
        ));
    }
    Ok(bytes)
}

/// Shared KML styles: line colours by `Style` id, and the `normal` style of each `StyleMap`
/// (what Google Earth writes for a drawn path: a map of a normal and a highlight style).
#[derive(Default)]
struct Styles {
    colors: HashMap<String, [u8; 4]>,
    maps: HashMap<String, String>,
}

impl Styles {
    /// The line colour a `styleUrl` (`#id`) leads to, through a `StyleMap` if need be.
    fn resolve(&self, url: &str) -> Option<[u8; 4]> {
        let id = url.trim().trim_start_matches('#');
        self.colors.get(id).copied().or_else(|| {
            let normal = self.maps.get(id)?;
            self.colors
                .get(normal.trim().trim_start_matches('#'))
                .copied()
        })
    }
}

/// One line found in the file, before it becomes an alignment.
#[derive(Default)]
struct Found {
    name: String,
    notes: String,
    style_url: Option<String>,
    color: Option<[u8; 4]>,
    data: HashMap<String, String>,
    lines: Vec<Vec<(f64, f64)>>,
}

/// Read KML or GPX text; `file` names it in errors.
pub fn read_lines(text: &str, file: &str, format: LineFormat) -> Result<Scenario, ExchangeError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser {
        reader: Reader::from_str(body),
        text: body,
        file,
    };
    let (found, styles) = match format {
        LineFormat::Kml => parser.kml()?,
        LineFormat::Gpx => (parser.gpx()?, Styles::default()),
    };
    let mut scenario = Scenario::new();
    for f in found {
        let count = f.lines.len();
        for (i, line) in f.lines.into_iter().enumerate() {
            if line.len() < 2 {
                continue;
            }
            let id = scenario.allocate_id();
            let mut name = if f.name.trim().is_empty() {
                format!("Imported line {}", id.0)
            } else {
                f.name.trim().to_owned()
            };
            if count > 1 {
                name = format!("{name} ({})", i + 1);
            }
            let mut a = Alignment::new(id, name);
            a.notes.clone_from(&f.notes);
            let shared = f.style_url.as_deref().and_then(|u| styles.resolve(u));
            if let Some(color) = f.color.or(shared) {
                a.color = color;
            }
            if let Some(status) = f
                .data
                .get("status")
                .and_then(|s| AlignmentStatus::parse_lenient(s))
            {
                a.status = status;
            }
            a.gauge_mm = f.data.get("gauge_mm").and_then(|g| g.trim().parse().ok());
            a.vertices = line
                .into_iter()
                .map(|(lon, lat)| Vertex::new(lon, lat))
                .collect();
            scenario.alignments.push(a);
        }
    }
    if scenario.alignments.is_empty() {
        let what = match format {
            LineFormat::Kml => "no LineString with two or more points",
            LineFormat::Gpx => "no track or route with two or more points",
        };
        return Err(ExchangeError::Content {
            file: file.to_owned(),
            reason: format!("{what}: nothing to import as an alternative"),
        });
    }
    Ok(scenario)
}

/// A `#rrggbb` colour (our exports' `color` field).
fn parse_css_color(s: &str) -> Option<[u8; 4]> {
    let h = s.trim().strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(h, 16).ok()?;
    Some([(v >> 16) as u8, (v >> 8) as u8, v as u8, 0xff])
}

/// A KML `aabbggrr` colour.
fn parse_kml_color(s: &str) -> Option<[u8; 4]> {
    let h = s.trim().trim_start_matches('#');
    if h.len() != 8 {
        return None;
    }
    let v = u32::from_str_radix(h, 16).ok()?;
    Some([v as u8, (v >> 8) as u8, (v >> 16) as u8, (v >> 24) as u8])
}

struct Parser<'a> {
    reader: Reader<&'a [u8]>,
    text: &'a str,
    file: &'a str,
}

/// What the parser saw next.
enum Item {
    Open(String, Vec<(String, String)>),
    Close(String),
    Text(String),
    End,
}

impl Parser<'_> {
    fn error_at(&self, pos: u64, reason: impl Into<String>) -> ExchangeError {
        let (line, column) = line_col(self.text, usize::try_from(pos).unwrap_or(usize::MAX));
        ExchangeError::Syntax {
            file: self.file.to_owned(),
            line,
            column,
            reason: reason.into(),
        }
    }

    fn here(&self, reason: impl Into<String>) -> ExchangeError {
        self.error_at(self.reader.buffer_position(), reason)
    }

    fn attrs(&self, e: &BytesStart) -> Result<Vec<(String, String)>, ExchangeError> {
        let mut out = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| self.here(err.to_string()))?;
            let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
            let value = a
                .unescape_value()
                .map_err(|err| self.here(err.to_string()))?;
            out.push((key, value.into_owned()));
        }
        Ok(out)
    }

    /// The next start, end or text (entities resolved); `Empty` comes as an open and a close.
    fn next(&mut self, pending_close: &mut Option<String>) -> Result<Item, ExchangeError> {
        if let Some(name) = pending_close.take() {
            return Ok(Item::Close(name));
        }
        loop {
            let event = match self.reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    return Err(self.error_at(self.reader.error_position(), e.to_string()));
                }
            };
            return Ok(match event {
                Event::Start(e) => Item::Open(local(e.local_name().as_ref()), self.attrs(&e)?),
                Event::Empty(e) => {
                    let name = local(e.local_name().as_ref());
                    *pending_close = Some(name.clone());
                    Item::Open(name, self.attrs(&e)?)
                }
                Event::End(e) => Item::Close(local(e.local_name().as_ref())),
                Event::Text(t) => Item::Text(
                    t.decode()
                        .map_err(|e| self.here(e.to_string()))?
                        .into_owned(),
                ),
                Event::CData(t) => Item::Text(
                    t.decode()
                        .map_err(|e| self.here(e.to_string()))?
                        .into_owned(),
                ),
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => match r.as_ref() {
                            b"amp" => "&".into(),
                            b"lt" => "<".into(),
                            b"gt" => ">".into(),
                            b"quot" => "\"".into(),
                            b"apos" => "'".into(),
                            other => {
                                return Err(self.here(format!(
                                    "unknown entity &{};",
                                    String::from_utf8_lossy(other)
                                )));
                            }
                        },
                        Err(e) => return Err(self.here(e.to_string())),
                    };
                    Item::Text(resolved)
                }
                Event::Eof => Item::End,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => continue,
            });
        }
    }

    /// Every placemark's lines, and the colours of the shared styles by id.
    fn kml(&mut self) -> Result<(Vec<Found>, Styles), ExchangeError> {
        let mut stack: Vec<String> = Vec::new();
        let mut pending = None;
        let mut found = Vec::new();
        let mut styles = Styles::default();
        let mut style_id: Option<String> = None;
        let mut style_map_id: Option<String> = None;
        let mut pair: (String, String) = (String::new(), String::new());
        let mut current: Option<Found> = None;
        let mut data_name: Option<String> = None;
        let mut text = String::new();
        let mut text_start = 0;
        loop {
            match self.next(&mut pending)? {
                Item::Open(name, attrs) => {
                    let attr = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                    match name.as_str() {
                        "Placemark" => current = Some(Found::default()),
                        "Style" if current.is_none() => style_id = attr("id"),
                        "StyleMap" if current.is_none() => style_map_id = attr("id"),
                        "Pair" => pair = (String::new(), String::new()),
                        "SimpleData" | "Data" => data_name = attr("name"),
                        "LineString" => {
                            if let Some(f) = current.as_mut() {
                                f.lines.push(Vec::new());
                            }
                        }
                        _ => {}
                    }
                    if stack.is_empty() && name != "kml" {
                        return Err(
                            self.here(format!("<{name}> is not a KML document (expected <kml>)"))
                        );
                    }
                    stack.push(name);
                    text.clear();
                    text_start = self.reader.buffer_position();
                }
                Item::Text(t) => text.push_str(&t),
                Item::Close(name) => {
                    let parent = stack.len().checked_sub(2).map(|i| stack[i].as_str());
                    match (name.as_str(), parent) {
                        ("Placemark", _) => found.extend(current.take()),
                        ("Style", _) => style_id = None,
                        ("StyleMap", _) => style_map_id = None,
                        ("key", Some("Pair")) => text.trim().clone_into(&mut pair.0),
                        ("styleUrl", Some("Pair")) => text.trim().clone_into(&mut pair.1),
                        ("Pair", _) => {
                            if let Some(id) = &style_map_id
                                && pair.0 == "normal"
                            {
                                styles.maps.insert(id.clone(), pair.1.clone());
                            }
                        }
                        ("name", Some("Placemark")) => {
                            if let Some(f) = current.as_mut() {
                                text.trim().clone_into(&mut f.name);
                            }
                        }
                        ("description", Some("Placemark")) => {
                            if let Some(f) = current.as_mut() {
                                text.trim().clone_into(&mut f.notes);
                            }
                        }
                        ("styleUrl", Some("Placemark")) => {
                            if let Some(f) = current.as_mut() {
                                f.style_url = Some(text.trim().to_owned());
                            }
                        }
                        ("color", Some("LineStyle")) => {
                            let color = parse_kml_color(&text);
                            match (current.as_mut(), &style_id) {
                                (Some(f), _) => f.color = color.or(f.color),
                                (None, Some(id)) => {
                                    if let Some(c) = color {
                                        styles.colors.insert(id.clone(), c);
                                    }
                                }
                                (None, None) => {}
                            }
                        }
                        ("SimpleData", _) | ("value", Some("Data")) => {
                            if let (Some(f), Some(key)) = (current.as_mut(), &data_name) {
                                f.data.insert(key.clone(), text.trim().to_owned());
                            }
                        }
                        ("coordinates", Some("LineString")) => {
                            let points = parse_kml_coordinates(&text)
                                .map_err(|reason| self.error_at(text_start, reason))?;
                            if let Some(line) = current.as_mut().and_then(|f| f.lines.last_mut()) {
                                line.extend(points);
                            }
                        }
                        _ => {}
                    }
                    stack.pop();
                    text.clear();
                }
                Item::End => break,
            }
        }
        if !stack.is_empty() {
            return Err(self.here(format!("the file ends inside <{}>", stack.join("><"))));
        }
        Ok((found, styles))
    }

    /// Every track's segments and every route.
    fn gpx(&mut self) -> Result<Vec<Found>, ExchangeError> {
        let mut stack: Vec<String> = Vec::new();
        let mut pending = None;
        let mut found = Vec::new();
        let mut current: Option<Found> = None;
        let mut text = String::new();
        loop {
            match self.next(&mut pending)? {
                Item::Open(name, attrs) => {
                    if stack.is_empty() && name != "gpx" {
                        return Err(
                            self.here(format!("<{name}> is not a GPX document (expected <gpx>)"))
                        );
                    }
                    match name.as_str() {
                        "trk" | "rte" => current = Some(Found::default()),
                        "trkseg" => {
                            if let Some(f) = current.as_mut() {
                                f.lines.push(Vec::new());
                            }
                        }
                        "trkpt" | "rtept" => {
                            let point = point_of(&attrs).map_err(|reason| self.here(reason))?;
                            if let Some(f) = current.as_mut() {
                                if name == "rtept" && f.lines.is_empty() {
                                    f.lines.push(Vec::new());
                                }
                                if let Some(line) = f.lines.last_mut() {
                                    line.push(point);
                                }
                            }
                        }
                        _ => {}
                    }
                    stack.push(name);
                    text.clear();
                }
                Item::Text(t) => text.push_str(&t),
                Item::Close(name) => {
                    let parent = stack.len().checked_sub(2).map(|i| stack[i].as_str());
                    if let Some(f) = current.as_mut() {
                        match (name.as_str(), parent) {
                            ("name", Some("trk" | "rte")) => text.trim().clone_into(&mut f.name),
                            ("desc", Some("trk" | "rte")) => text.trim().clone_into(&mut f.notes),
                            ("color", Some("extensions")) => f.color = parse_css_color(&text),
                            (key, Some("extensions")) => {
                                f.data.insert(key.to_owned(), text.trim().to_owned());
                            }
                            _ => {}
                        }
                    }
                    if name == "trk" || name == "rte" {
                        found.extend(current.take());
                    }
                    stack.pop();
                    text.clear();
                }
                Item::End => break,
            }
        }
        if !stack.is_empty() {
            return Err(self.here(format!("the file ends inside <{}>", stack.join("><"))));
        }
        Ok(found)
    }
}

fn local(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

/// A GPX point's `lon`/`lat` attributes.
fn point_of(attrs: &[(String, String)]) -> Result<(f64, f64), String> {
    let get = |k: &str| {
        let v = attrs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim())
            .ok_or_else(|| format!("a point has no {k} attribute"))?;
        v.parse::<f64>()
            .map_err(|_| format!("{k}=\"{v}\" is not a number"))
    };
    let (lon, lat) = (get("lon")?, get("lat")?);
    if !is_valid_lonlat(lon, lat) {
        return Err(format!("lon {lon}, lat {lat} is not a longitude/latitude"));
    }
    Ok((lon, lat))
}

/// KML `coordinates`: `lon,lat[,alt]` tuples separated by white space.
fn parse_kml_coordinates(text: &str) -> Result<Vec<(f64, f64)>, String> {
    text.split_whitespace()
        .map(|tuple| {
            let mut parts = tuple.split(',');
            let mut number = || {
                parts
                    .next()
                    .and_then(|p| p.trim().parse::<f64>().ok())
                    .ok_or_else(|| format!("coordinates: \"{tuple}\" is not lon,lat[,alt]"))
            };
            let (lon, lat) = (number()?, number()?);
            if !is_valid_lonlat(lon, lat) {
                return Err(format!(
                    "coordinates: lon {lon}, lat {lat} is not a longitude/latitude"
                ));
            }
            Ok((lon, lat))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)] // Tests: a failed expectation is the message.
mod tests {
    use super::*;

    fn xy(a: &Alignment) -> Vec<(f64, f64)> {
        a.vertices.iter().map(|v| (v.lon, v.lat)).collect()
    }

    #[test]
    fn kml_lines_become_alternatives_with_shared_and_inline_colours() {
        let kml = r#"<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
 <Style id="blue"><LineStyle><color>ffb4781f</color></LineStyle></Style>
 <Style id="green"><LineStyle><color>ff2ca02c</color></LineStyle></Style>
 <StyleMap id="m_green"><Pair><key>highlight</key><styleUrl>#blue</styleUrl></Pair>
  <Pair><key>normal</key><styleUrl>#green</styleUrl></Pair></StyleMap>
 <Placemark><name>Path</name><styleUrl>#m_green</styleUrl>
  <LineString><tessellate>1</tessellate><coordinates>60,30,0 61,31,0</coordinates></LineString></Placemark>
 <Placemark><name>Termez &amp; Kabul</name><styleUrl>#blue</styleUrl>
  <LineString><coordinates>67.27,37.22,0 69.17,34.53,0</coordinates></LineString></Placemark>
 <Placemark><name>Pin</name><Point><coordinates>1,2</coordinates></Point></Placemark>
 <Placemark><name>Two</name><Style><LineStyle><color>800000ff</color></LineStyle></Style>
  <ExtendedData><Data name="status"><value>existing</value></Data>
   <Data name="gauge_mm"><value>1520</value></Data></ExtendedData>
  <MultiGeometry>
   <LineString><coordinates> 1,1 2,2
     3,3 </coordinates></LineString>
   <LineString><coordinates>4,4 5,5</coordinates></LineString>
  </MultiGeometry></Placemark>
</Document></kml>"#;
        let mut s = read_lines(kml, "t.kml", LineFormat::Kml).unwrap();
        let names: Vec<&str> = s.alignments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Path", "Termez & Kabul", "Two (1)", "Two (2)"]);
        // Google Earth's StyleMap: the `normal` style's colour (#2ca02c), not the highlight.
        assert_eq!(s.alignments.remove(0).color, [0x2c, 0xa0, 0x2c, 0xff]);
        assert_eq!(xy(&s.alignments[0]), [(67.27, 37.22), (69.17, 34.53)]);
        // aabbggrr: ff b4 78 1f is #1f78b4, opaque.
        assert_eq!(s.alignments[0].color, [0x1f, 0x78, 0xb4, 0xff]);
        assert_eq!(s.alignments[1].color, [0xff, 0x00, 0x00, 0x80]);
        assert_eq!(xy(&s.alignments[1]), [(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]);
        assert_eq!(s.alignments[2].status, AlignmentStatus::Existing);
        assert_eq!(s.alignments[2].gauge_mm, Some(1520));
        assert_eq!(s.alignments[0].gauge_mm, None);
    }

    #[test]
    fn gpx_tracks_segments_and_routes_become_alternatives() {
        let gpx = r#"<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">
<wpt lat="1" lon="1"><name>ignored</name></wpt>
<trk><name>Track</name><desc>from a GPS</desc>
 <trkseg><trkpt lat="34.5" lon="69.1"><ele>1800</ele></trkpt><trkpt lat="34.0" lon="71.5"/></trkseg>
</trk>
<rte><name>Route</name><rtept lat="25" lon="67"/><rtept lat="25.1" lon="62.3"/><rtept lat="25.2" lon="61"/></rte>
</gpx>"#;
        let s = read_lines(gpx, "t.gpx", LineFormat::Gpx).unwrap();
        assert_eq!(s.alignments.len(), 2);
        assert_eq!(s.alignments[0].name, "Track");
        assert_eq!(s.alignments[0].notes, "from a GPS");
        assert_eq!(xy(&s.alignments[0]), [(69.1, 34.5), (71.5, 34.0)]);
        assert_eq!(s.alignments[1].name, "Route");
        assert_eq!(s.alignments[1].vertices.len(), 3);
    }

    #[test]
    fn bad_xml_is_refused_with_its_line_and_column() {
        // Line 3: `<LineString>` is columns 1-12, `<coordinates>` 13-25, `1,1 2,2` 26-32: the
        // mismatched end tag starts at column 33.
        let kml = "<kml>\n<Placemark><name>x</name>\n<LineString><coordinates>1,1 2,2</coordinate></LineString>\n</Placemark></kml>";
        let e = read_lines(kml, "bad.kml", LineFormat::Kml).unwrap_err();
        let ExchangeError::Syntax {
            line,
            column,
            ref reason,
            ..
        } = e
        else {
            panic!("{e}")
        };
        assert_eq!((line, column), (3, 33), "{e}");
        assert!(reason.contains("coordinate"), "{e}");
        assert!(e.to_string().starts_with("bad.kml:3:33: "), "{e}");
        // A coordinate out of range names the position of its text.
        let kml = "<kml><Placemark>\n<LineString><coordinates>1,1 200,2</coordinates></LineString></Placemark></kml>";
        let e = read_lines(kml, "c.kml", LineFormat::Kml)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("c.kml:2:26: ") && e.contains("lon 200"),
            "{e}"
        );
        let e = read_lines(
            "<gpx><trk><trkseg><trkpt lat=\"x\" lon=\"1\"/></trkseg></trk></gpx>",
            "p.gpx",
            LineFormat::Gpx,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("lat=\"x\" is not a number"), "{e}");
    }

    #[test]
    fn other_documents_and_files_without_lines_are_refused_clearly() {
        let e = read_lines("<gpx/>", "a.kml", LineFormat::Kml)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a KML document"), "{e}");
        let e = read_lines("<kml><Document/></kml>", "b.kml", LineFormat::Kml)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "b.kml: no LineString with two or more points: nothing to import as an alternative"
        );
        let e = read_lines("<gpx><trk>", "c.gpx", LineFormat::Gpx)
            .unwrap_err()
            .to_string();
        assert!(e.contains("ends inside <gpx><trk>"), "{e}");
    }
}
