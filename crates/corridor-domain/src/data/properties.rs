//! GeoJSON properties in one compact allocation per feature.
//!
//! An OpenStreetMap rail extract carries ~8 tags on each of 100k ways. As a
//! `serde_json::Map` that is a B-tree node plus two heap strings per tag, ~1.1 KB per feature
//! and more memory than the geometry itself; encoded here it is one boxed byte string about
//! the size of the tags' text. Keys and string values are stored unescaped, so
//! [`Properties::get`] hands out `&str`s without parsing or allocating; numbers keep
//! `serde_json`'s integer/float distinction so nothing a file carries is lost.
//!
//! Layout: entries sorted by key, keys unique (reading a file refuses an object with a key
//! twice, as the whole-file reader does; built from other sources the last one wins, as in
//! `serde_json::Map`), each `key_len key tag payload`, lengths as LEB128. Because the form is
//! canonical, equality is byte equality.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Number, Value};

use crate::data::json_checked::{CheckedValue, StrSeed, duplicate_member};

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const U64: u8 = 3;
const I64: u8 = 4;
const F64: u8 = 5;
const STR: u8 = 6;
/// An array or object, as compact JSON text.
const JSON: u8 = 7;

/// The properties of one feature (see the module documentation).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Properties {
    bytes: Box<[u8]>,
}

/// One property value, borrowed from its [`Properties`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PropValue<'a> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(&'a str),
    /// An array or object, as compact JSON text.
    Json(&'a str),
}

impl<'a> PropValue<'a> {
    #[must_use]
    pub fn as_str(self) -> Option<&'a str> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A JSON number as `f64` (strings are not numbers here; see `Feature::f64`).
    #[must_use]
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Self::U64(v) => Some(v as f64),
            Self::I64(v) => Some(v as f64),
            Self::F64(v) => Some(v),
            _ => None,
        }
    }

    #[must_use]
    pub fn is_null(self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value as a `serde_json::Value` (allocates).
    #[must_use]
    pub fn to_value(self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(b),
            Self::U64(v) => Value::Number(v.into()),
            Self::I64(v) => Value::Number(v.into()),
            Self::F64(v) => Number::from_f64(v).map_or(Value::Null, Value::Number),
            Self::Str(s) => Value::String(s.to_owned()),
            Self::Json(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        }
    }
}

/// JSON text, as the inspector shows a value.
impl fmt::Display for PropValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(text) => f.write_str(text),
            other => write!(f, "{}", other.to_value()),
        }
    }
}

impl Properties {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Bytes on the heap (for memory reports).
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.bytes.len()
    }

    #[must_use]
    pub fn get(&self, key: &str) -> Option<PropValue<'_>> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    #[must_use]
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Entries in key order.
    #[must_use]
    pub fn iter(&self) -> Iter<'_> {
        Iter { rest: &self.bytes }
    }

    /// As a `serde_json::Map` (allocates; for export and editing).
    #[must_use]
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.to_value()))
            .collect()
    }

    /// A copy with `key` set to `value` unless it is already present.
    #[must_use]
    pub fn with_default(&self, key: &str, value: &Value) -> Self {
        if self.contains_key(key) {
            return self.clone();
        }
        let mut builder = Builder::default();
        for (k, v) in self {
            builder.push_key(k);
            builder.push_prop(v);
        }
        builder.push_key(key);
        builder.push_value(value);
        builder.finish()
    }
}

impl From<Map<String, Value>> for Properties {
    fn from(map: Map<String, Value>) -> Self {
        Self::from(&map)
    }
}

impl From<&Map<String, Value>> for Properties {
    fn from(map: &Map<String, Value>) -> Self {
        let mut builder = Builder::default();
        for (k, v) in map {
            builder.push_key(k);
            builder.push_value(v);
        }
        builder.finish()
    }
}

impl fmt::Debug for Properties {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Properties {
    type Item = (&'a str, PropValue<'a>);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Iterator over `(key, value)` in key order.
pub struct Iter<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, PropValue<'a>);
    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let key = take_str(&mut self.rest)?;
        let (&tag, rest) = self.rest.split_first()?;
        self.rest = rest;
        let value = match tag {
            NULL => PropValue::Null,
            FALSE => PropValue::Bool(false),
            TRUE => PropValue::Bool(true),
            U64 => PropValue::U64(u64::from_le_bytes(take_8(&mut self.rest)?)),
            I64 => PropValue::I64(i64::from_le_bytes(take_8(&mut self.rest)?)),
            F64 => PropValue::F64(f64::from_le_bytes(take_8(&mut self.rest)?)),
            STR => PropValue::Str(take_str(&mut self.rest)?),
            JSON => PropValue::Json(take_str(&mut self.rest)?),
            _ => return None,
        };
        Some((key, value))
    }
}

fn take_8(rest: &mut &[u8]) -> Option<[u8; 8]> {
    let (head, tail) = rest.split_first_chunk::<8>()?;
    *rest = tail;
    Some(*head)
}

fn take_len(rest: &mut &[u8]) -> Option<usize> {
    let mut value = 0_usize;
    for shift in (0..64).step_by(7) {
        let (&b, tail) = rest.split_first()?;
        *rest = tail;
        value |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Only ever applied to bytes a [`Builder`] wrote from `&str`s, so the UTF-8 check cannot
/// fail; it is kept (rather than `from_utf8_unchecked`) because it is cheap next to a lookup.
fn take_str<'a>(rest: &mut &'a [u8]) -> Option<&'a str> {
    let n = take_len(rest)?;
    let (s, tail) = rest.split_at_checked(n)?;
    *rest = tail;
    std::str::from_utf8(s).ok()
}

/// Writes entries in any order; [`Builder::finish`] sorts them and drops duplicates.
#[derive(Default)]
struct Builder {
    bytes: Vec<u8>,
    /// Start of each entry in `bytes`, with its key's range.
    entries: Vec<(usize, std::ops::Range<usize>)>,
}

impl Builder {
    fn push_len(&mut self, n: usize) {
        let mut n = n;
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.bytes.push(low);
                return;
            }
            self.bytes.push(low | 0x80);
        }
    }

    fn push_str(&mut self, s: &str) {
        self.push_len(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }

    fn push_key(&mut self, key: &str) {
        let start = self.bytes.len();
        self.push_len(key.len());
        let key_start = self.bytes.len();
        self.bytes.extend_from_slice(key.as_bytes());
        self.entries.push((start, key_start..self.bytes.len()));
    }

    fn push_tagged(&mut self, tag: u8, payload: [u8; 8]) {
        self.bytes.push(tag);
        self.bytes.extend_from_slice(&payload);
    }

    fn push_prop(&mut self, value: PropValue<'_>) {
        match value {
            PropValue::Null => self.bytes.push(NULL),
            PropValue::Bool(false) => self.bytes.push(FALSE),
            PropValue::Bool(true) => self.bytes.push(TRUE),
            PropValue::U64(v) => self.push_tagged(U64, v.to_le_bytes()),
            PropValue::I64(v) => self.push_tagged(I64, v.to_le_bytes()),
            PropValue::F64(v) => self.push_tagged(F64, v.to_le_bytes()),
            PropValue::Str(s) => {
                self.bytes.push(STR);
                self.push_str(s);
            }
            PropValue::Json(text) => {
                self.bytes.push(JSON);
                self.push_str(text);
            }
        }
    }

    fn push_value(&mut self, value: &Value) {
        match value {
            Value::Null => self.push_prop(PropValue::Null),
            Value::Bool(b) => self.push_prop(PropValue::Bool(*b)),
            Value::Number(n) => self.push_number(n),
            Value::String(s) => self.push_prop(PropValue::Str(s)),
            Value::Array(_) | Value::Object(_) => {
                self.bytes.push(JSON);
                self.push_str(&value.to_string());
            }
        }
    }

    /// `serde_json`'s own classification: non-negative integers are u64, negative ones i64,
    /// the rest f64.
    fn push_number(&mut self, n: &Number) {
        if let Some(v) = n.as_u64() {
            self.push_prop(PropValue::U64(v));
        } else if let Some(v) = n.as_i64() {
            self.push_prop(PropValue::I64(v));
        } else {
            self.push_prop(PropValue::F64(n.as_f64().unwrap_or(f64::NAN)));
        }
    }

    /// A key written twice, if any (cheap when keys arrive sorted, as most files have them).
    fn duplicate_key(&self) -> Option<String> {
        let key = |e: &(usize, std::ops::Range<usize>)| &self.bytes[e.1.clone()];
        if self.entries.windows(2).all(|w| key(&w[0]) < key(&w[1])) {
            return None;
        }
        let mut keys: Vec<&[u8]> = self.entries.iter().map(key).collect();
        keys.sort_unstable();
        keys.windows(2)
            .find(|w| w[0] == w[1])
            .map(|w| String::from_utf8_lossy(w[0]).into_owned())
    }

    fn finish(self) -> Properties {
        let Self { bytes, entries } = self;
        let key = |e: &(usize, std::ops::Range<usize>)| &bytes[e.1.clone()];
        let sorted_unique = entries.windows(2).all(|w| key(&w[0]) < key(&w[1]));
        if sorted_unique {
            return Properties {
                bytes: bytes.into_boxed_slice(),
            };
        }
        let mut order: Vec<usize> = (0..entries.len()).collect();
        // Stable, so among equal keys the last written stays last.
        order.sort_by(|&a, &b| key(&entries[a]).cmp(key(&entries[b])));
        let mut out = Vec::with_capacity(bytes.len());
        for (pos, &i) in order.iter().enumerate() {
            let last_of_key = order
                .get(pos + 1)
                .is_none_or(|&next| key(&entries[next]) != key(&entries[i]));
            if last_of_key {
                let end = entries.get(i + 1).map_or(bytes.len(), |e| e.0);
                out.extend_from_slice(&bytes[entries[i].0..end]);
            }
        }
        Properties {
            bytes: out.into_boxed_slice(),
        }
    }
}

impl Serialize for Properties {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (k, v) in self {
            map.serialize_entry(k, &v.to_value())?;
        }
        map.end()
    }
}

/// Reads a JSON object straight into the compact form: no `Value` per property, and keys and
/// strings borrowed from the input when they have no escapes.
impl<'de> Deserialize<'de> for Properties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor)
    }
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Properties;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of properties")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Properties, A::Error> {
        let mut builder = Builder::default();
        while let Some(key) = map.next_key_seed(StrSeed)? {
            builder.push_key(&key);
            map.next_value_seed(ValueSeed(&mut builder))?;
        }
        if let Some(key) = builder.duplicate_key() {
            return Err(duplicate_member(&key));
        }
        Ok(builder.finish())
    }
}

/// One value, written into the builder as it is read.
struct ValueSeed<'b>(&'b mut Builder);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.push_prop(PropValue::Null);
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.0.push_prop(PropValue::Bool(v));
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.0.push_prop(PropValue::U64(v));
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        // serde_json hands non-negative integers to visit_u64; keep its classification.
        match u64::try_from(v) {
            Ok(u) => self.0.push_prop(PropValue::U64(u)),
            Err(_) => self.0.push_prop(PropValue::I64(v)),
        }
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.0.push_prop(PropValue::F64(v));
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.push_prop(PropValue::Str(v));
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let CheckedValue(value) =
            CheckedValue::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        self.0.push_value(&value);
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let CheckedValue(value) =
            CheckedValue::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.0.push_value(&value);
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn every_kind_of_value_round_trips_through_a_map() {
        let m = map(json!({
            "name": "Herat \"west\" \u{4e2d} \\ end",
            "gauge": "1520",
            "n": 42, "neg": -7, "x": 1.5, "big": u64::MAX, "tiny": -1e-300,
            "yes": true, "no": false, "none": null,
            "list": [1, "a", {"b": null}], "obj": {"z": 1, "a": [2]},
            "": "empty key",
        }));
        let p = Properties::from(&m);
        assert_eq!(p.to_map(), m);
        assert_eq!(p.len(), m.len());
        assert_eq!(p.get("gauge"), Some(PropValue::Str("1520")));
        assert_eq!(
            p.get("name").and_then(PropValue::as_str),
            Some("Herat \"west\" \u{4e2d} \\ end")
        );
        assert_eq!(p.get("neg"), Some(PropValue::I64(-7)));
        assert_eq!(p.get("big"), Some(PropValue::U64(u64::MAX)));
        assert_eq!(p.get("x").and_then(PropValue::as_f64), Some(1.5));
        assert!(p.get("none").is_some_and(PropValue::is_null));
        assert_eq!(p.get("missing"), None);
        assert_eq!(
            p.get("obj").map(|v| v.to_string()).as_deref(),
            Some(r#"{"a":[2],"z":1}"#)
        );
        // Key order is the map's (sorted), as serde_json::Map iterates.
        let keys: Vec<&str> = p.iter().map(|(k, _)| k).collect();
        let expected: Vec<&str> = m.keys().map(String::as_str).collect();
        assert_eq!(keys, expected);
    }

    #[test]
    fn deserializing_equals_converting_the_parsed_map() {
        let text =
            r#"{"z":1,"a":"x","esc\"aped":"tab\there","n":-3,"f":2.5e10,"m":{"k":[1,2]},"e":[]}"#;
        let p: Properties = serde_json::from_str(text).unwrap();
        let m: Map<String, Value> = serde_json::from_str(text).unwrap();
        assert_eq!(p, Properties::from(&m));
        assert_eq!(p.get("a"), Some(PropValue::Str("x")));
        let twice =
            serde_json::from_str::<Properties>(r#"{"b":1,"a":2,"b":3}"#).expect_err("b twice");
        assert!(
            twice
                .to_string()
                .starts_with("the member \"b\" appears twice"),
            "{twice}"
        );
        assert_eq!(p.get("esc\"aped"), Some(PropValue::Str("tab\there")));
        assert_eq!(serde_json::to_value(&p).unwrap(), Value::Object(m));
    }

    #[test]
    fn empty_and_defaults() {
        let p: Properties = serde_json::from_str("{}").unwrap();
        assert!(p.is_empty());
        assert_eq!(p, Properties::new());
        let with_id = p.with_default("id", &json!("way/1"));
        assert_eq!(with_id.get("id"), Some(PropValue::Str("way/1")));
        let kept = with_id.with_default("id", &json!(5));
        assert_eq!(kept.get("id"), Some(PropValue::Str("way/1")));
        assert!(serde_json::from_str::<Properties>("[1]").is_err());
    }

    #[test]
    fn far_smaller_than_a_map_for_osm_tags() {
        let m = map(json!({
            "railway": "rail", "name": "Line 1", "gauge": "1520", "electrified": "contact_line",
            "voltage": "25000", "usage": "main", "maxspeed": "120", "@id": "way/123456",
        }));
        let p = Properties::from(&m);
        let text_len = serde_json::to_string(&m).unwrap().len();
        // Tags' own text plus a length byte per key and value and a tag per value.
        assert!(
            p.heap_bytes() <= text_len,
            "{} vs {text_len}",
            p.heap_bytes()
        );
    }
}
