//! The fast feature deserialiser behind the streamed reader: a feature's `type`, geometry,
//! properties and id straight from its bytes, coordinates of any nesting read into flat `geo`
//! coordinates with no `serde_json::Value` per number. Apart from the scanner
//! (`geojson_stream`) because it knows nothing of blocks, positions or progress: errors are
//! plain messages, which the scanner locates in the file.

use std::borrow::Cow;
use std::fmt;

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::data::feature::{Feature, Properties};
use crate::data::json_checked::{CheckedValue, SeenKeys, SkipChecked, StrSeed};

pub(super) const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// A feature as read from its bytes: only what the atlas keeps. For bare geometry records,
/// `coordinates`/`geometries` are read too. Members it does not keep are skipped, but an
/// object with a member twice is refused anywhere in the feature (see `json_checked`).
#[derive(Default)]
pub(super) struct FastFeature<'a> {
    pub(super) kind: Option<Cow<'a, str>>,
    pub(super) geometry: Option<FastGeometry>,
    pub(super) properties: Option<Properties>,
    pub(super) id: Option<Value>,
    pub(super) coordinates: Option<Coords>,
    pub(super) geometries: Option<Vec<FastGeometry>>,
}

#[derive(Default)]
pub(super) struct FastGeometry {
    pub(super) kind: Option<String>,
    pub(super) coordinates: Option<Coords>,
    pub(super) geometries: Option<Vec<FastGeometry>>,
}

impl<'de> Deserialize<'de> for FastFeature<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(FeatureVisitor)
    }
}

struct FeatureVisitor;

impl<'de> Visitor<'de> for FeatureVisitor {
    type Value = FastFeature<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Feature object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = FastFeature::default();
        let mut seen = SeenKeys::default();
        while let Some(key) = map.next_key_seed(StrSeed)? {
            seen.insert(key.clone())?;
            match key.as_ref() {
                "type" => out.kind = map.next_value::<Option<Borrowed<'de>>>()?.map(|b| b.0),
                "geometry" => out.geometry = map.next_value()?,
                "properties" => out.properties = map.next_value()?,
                "id" => out.id = Some(map.next_value::<CheckedValue>()?.0),
                "coordinates" => out.coordinates = map.next_value()?,
                "geometries" => out.geometries = map.next_value()?,
                _ => {
                    map.next_value::<SkipChecked>()?;
                }
            }
        }
        Ok(out)
    }
}

impl<'de> Deserialize<'de> for FastGeometry {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(GeometryVisitor)
    }
}

struct GeometryVisitor;

impl<'de> Visitor<'de> for GeometryVisitor {
    type Value = FastGeometry;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a geometry object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = FastGeometry::default();
        let mut seen = SeenKeys::default();
        while let Some(key) = map.next_key_seed(StrSeed)? {
            seen.insert(key.clone())?;
            match key.as_ref() {
                "type" => {
                    out.kind = map
                        .next_value::<Option<Borrowed<'de>>>()?
                        .map(|b| b.0.into_owned());
                }
                "coordinates" => out.coordinates = map.next_value()?,
                "geometries" => out.geometries = map.next_value()?,
                _ => {
                    map.next_value::<SkipChecked>()?;
                }
            }
        }
        Ok(out)
    }
}

/// A string value borrowed from the input when it has no escapes.
struct Borrowed<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Borrowed<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        StrSeed.deserialize(d).map(Borrowed)
    }
}

impl FastFeature<'_> {
    /// The feature this record describes, by the rules every reader applies: a `Feature`
    /// (its `null` geometry gives `None`: skipped, still counted), or a bare geometry (as
    /// GeoJSONSeq allows). Errors are plain messages; the caller says where.
    pub(super) fn into_feature(self) -> Result<Option<Feature>, String> {
        match self.kind.as_deref() {
            Some("Feature") => {}
            Some(t) if GEOMETRY_TYPES.contains(&t) => {
                let g = FastGeometry {
                    kind: self.kind.map(Cow::into_owned),
                    coordinates: self.coordinates,
                    geometries: self.geometries,
                };
                return g
                    .into_geo()
                    .map(|g| Some(Feature::new(g, Properties::new())));
            }
            Some("FeatureCollection") => {
                return Err("not GeoJSON: a FeatureCollection needs a \"features\" array".into());
            }
            Some(t) => {
                return Err(format!(
                    "not GeoJSON: \"type\" is {t:?}, expected Feature or a geometry type"
                ));
            }
            None => return Err("a feature needs \"type\": \"Feature\"".into()),
        }
        let Some(geometry) = self.geometry else {
            return Ok(None);
        };
        let geometry = geometry.into_geo()?;
        let mut properties = self.properties.unwrap_or_default();
        match self.id {
            Some(id @ (Value::String(_) | Value::Number(_))) => {
                properties = properties.with_default("id", &id);
            }
            None | Some(Value::Null) => {}
            Some(_) => return Err("a feature \"id\" must be a string or a number".into()),
        }
        Ok(Some(Feature::new(geometry, properties)))
    }
}

/// Coordinates of any nesting, flat: positions plus the ends of each list at each level.
#[derive(Default, Debug)]
pub(super) struct Coords {
    xy: Vec<Coord<f64>>,
    /// Ends (in positions) of each list of positions.
    ends1: Vec<usize>,
    /// Ends (in `ends1` entries) of each list of lists.
    ends2: Vec<usize>,
    /// Ends (in `ends2` entries) of each list of lists of lists.
    ends3: Vec<usize>,
    /// 0: a position; 1: a list of positions; 2, 3: deeper.
    depth: u8,
    error: Option<String>,
    /// An empty array inside the coordinates (`[[]]`): refused as the whole-file reader does.
    nested_empty: bool,
}

/// What one array element was.
#[derive(Clone, Copy)]
enum Item {
    Number(f64),
    /// A list whose elements were at this depth (0 = a position).
    List(u8),
    Empty,
}

struct Level<'c>(&'c mut Coords);

impl<'de> DeserializeSeed<'de> for Level<'_> {
    type Value = Item;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Item, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Level<'_> {
    type Value = Item;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or an array of coordinates")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Item, E> {
        Ok(Item::Number(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Item, E> {
        Ok(Item::Number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Item, E> {
        Ok(Item::Number(v as f64))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
        let coords = self.0;
        let mut numbers = [0.0_f64; 2];
        let mut count = 0_usize;
        let mut child: Option<u8> = None;
        while let Some(item) = seq.next_element_seed(Level(coords))? {
            match item {
                Item::Number(v) => {
                    if child.is_some() {
                        return Err(de::Error::custom("mixed numbers and arrays in coordinates"));
                    }
                    if count < 2 {
                        numbers[count] = v;
                    }
                    count += 1;
                }
                Item::List(_) | Item::Empty if count > 0 => {
                    return Err(de::Error::custom("mixed numbers and arrays in coordinates"));
                }
                Item::List(d) => match child {
                    None => child = Some(d),
                    Some(c) if c == d => {}
                    Some(_) => {
                        return Err(de::Error::custom("coordinates nested unevenly"));
                    }
                },
                Item::Empty => coords.nested_empty = true,
            }
        }
        if count > 0 {
            if count < 2 {
                coords
                    .error
                    .get_or_insert_with(|| position_too_short(count));
            }
            coords.xy.push(Coord {
                x: numbers[0],
                y: numbers[1],
            });
            return Ok(Item::List(0));
        }
        let level = match child {
            None => return Ok(Item::Empty),
            Some(d) => d + 1,
        };
        match level {
            1 => coords.ends1.push(coords.xy.len()),
            2 => coords.ends2.push(coords.ends1.len()),
            3 => coords.ends3.push(coords.ends2.len()),
            _ => return Err(de::Error::custom("coordinates nested too deeply")),
        }
        Ok(Item::List(level))
    }
}

impl<'de> Deserialize<'de> for Coords {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut coords = Coords::default();
        let item = Level(&mut coords).deserialize(d)?;
        coords.depth = match item {
            Item::List(d) => d,
            Item::Empty => 1,
            Item::Number(_) => return Err(de::Error::custom("coordinates must be an array")),
        };
        // A top-level list of positions has no recorded end at level 1 only if it is a
        // single position; lists record their own ends.
        Ok(coords)
    }
}

impl Coords {
    fn ranges(ends: &[usize]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        ends.iter().scan(0, |start, &end| {
            let r = *start..end;
            *start = end;
            Some(r)
        })
    }

    /// Positions `r` as a line of at least `min` positions (`too_short` words the error).
    fn line(
        &self,
        r: std::ops::Range<usize>,
        min: usize,
        too_short: fn(usize) -> String,
    ) -> Result<LineString<f64>, String> {
        let pts = &self.xy[r];
        if pts.len() < min {
            return Err(too_short(pts.len()));
        }
        Ok(LineString::new(pts.to_vec()))
    }

    fn polygon(&self, rings: std::ops::Range<usize>) -> Result<Polygon<f64>, String> {
        let ends = &self.ends1[..rings.end];
        let mut lines = Vec::new();
        let mut start = if rings.start == 0 {
            0
        } else {
            ends[rings.start - 1]
        };
        for &end in &ends[rings.start..] {
            lines.push(self.line(start..end, 4, ring_too_short)?);
            start = end;
        }
        let mut it = lines.into_iter();
        let exterior = it.next().ok_or(NO_RING)?;
        Ok(Polygon::new(exterior, it.collect()))
    }

    fn into_geo(self, kind: &str) -> Result<Geometry<f64>, String> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.nested_empty {
            return Err(NESTED_EMPTY.into());
        }
        self.xy.iter().try_for_each(|c| check_lon_lat(c.x, c.y))?;
        let want = match kind {
            "Point" => 0,
            "MultiPoint" | "LineString" => 1,
            "MultiLineString" | "Polygon" => 2,
            "MultiPolygon" => 3,
            other => return Err(format!("unknown geometry type {other:?}")),
        };
        if self.depth != want && !(self.xy.is_empty() && self.depth <= want) {
            return Err(format!(
                "{kind} coordinates must be nested {want} deep, found {}",
                self.depth
            ));
        }
        Ok(match kind {
            "Point" => Geometry::Point(Point(self.xy[0])),
            "MultiPoint" => {
                Geometry::MultiPoint(MultiPoint(self.xy.into_iter().map(Point).collect()))
            }
            "LineString" => {
                if self.xy.len() < 2 {
                    return Err(line_too_short(self.xy.len()));
                }
                let mut xy = self.xy;
                xy.shrink_to_fit();
                Geometry::LineString(LineString::new(xy))
            }
            "MultiLineString" => Geometry::MultiLineString(MultiLineString(
                Self::ranges(&self.ends1)
                    .map(|r| self.line(r, 2, line_too_short))
                    .collect::<Result<_, _>>()?,
            )),
            "Polygon" => Geometry::Polygon(self.polygon(0..self.ends1.len())?),
            _ => Geometry::MultiPolygon(MultiPolygon(
                Self::ranges(&self.ends2)
                    .map(|r| self.polygon(r))
                    .collect::<Result<_, _>>()?,
            )),
        })
    }
}

impl FastGeometry {
    pub(super) fn into_geo(self) -> Result<Geometry<f64>, String> {
        let kind = self.kind.ok_or("a geometry needs a \"type\"")?;
        if kind == "GeometryCollection" {
            let parts = self
                .geometries
                .ok_or("a GeometryCollection needs \"geometries\"")?
                .into_iter()
                .map(FastGeometry::into_geo)
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Geometry::GeometryCollection(geo::GeometryCollection(parts)));
        }
        let coords = self
            .coordinates
            .ok_or_else(|| format!("a {kind} needs \"coordinates\""))?;
        coords.into_geo(&kind)
    }
}

/// An empty array nested in coordinates: a line, ring or polygon with nothing in it. Both
/// readers refuse it with this message (an empty top-level list, `"coordinates": []`, is an
/// empty Multi* geometry and is accepted; see [`NO_RING`] for the one exception).
pub(crate) const NESTED_EMPTY: &str =
    "an empty array inside the coordinates (a line, ring or polygon with no positions)";

/// A Polygon must have its outer ring (`"coordinates": []` is not a polygon).
pub(crate) const NO_RING: &str = "a polygon needs at least one ring";

/// The message for a position with fewer than two numbers (both readers use it).
pub(crate) fn position_too_short(found: usize) -> String {
    format!("a position needs at least 2 numbers (lon, lat), found {found}")
}

/// Finite and within ±180° / ±90°: the one coordinate check every reader applies.
#[inline]
pub(crate) fn check_lon_lat(lon: f64, lat: f64) -> Result<(), String> {
    if !lon.is_finite() || !lat.is_finite() {
        return Err("coordinates must be finite numbers".into());
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is outside -180..180"));
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is outside -90..90"));
    }
    Ok(())
}

/// The message for a `LineString` with fewer than two positions.
pub(crate) fn line_too_short(found: usize) -> String {
    format!("a LineString needs at least 2 positions, found {found}")
}

/// The message for a polygon ring with fewer than four positions.
pub(crate) fn ring_too_short(found: usize) -> String {
    format!("a polygon ring needs at least 4 positions, found {found}")
}
