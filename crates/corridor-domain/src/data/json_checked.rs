//! JSON values read with one rule `serde_json` does not apply: an object may not carry the same
//! member twice. `serde_json` keeps the last of two equal keys without a word, so a file with
//! `"gauge"` (or `"features"`) twice means one thing to this app and another to the next
//! program. Every reader in `data` (whole file, streamed, scenario) reads through these types,
//! so the rule is checked once, in the same pass that reads the value, and worded one way.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The message for a member that appears twice (every reader words it this way).
pub(crate) fn duplicate_member<E: de::Error>(key: &str) -> E {
    E::custom(format!("the member {key:?} appears twice in one object"))
}

/// Keys seen in one object. Objects in GeoJSON have a handful of members, so a linear scan
/// beats hashing; past 16 keys a set takes over so an adversarial object stays n log n.
#[derive(Default)]
pub(crate) struct SeenKeys<'de> {
    few: Vec<Cow<'de, str>>,
    many: std::collections::BTreeSet<Cow<'de, str>>,
}

impl<'de> SeenKeys<'de> {
    /// Records `key`; an error if it was already there.
    pub(crate) fn insert<E: de::Error>(&mut self, key: Cow<'de, str>) -> Result<(), E> {
        if self.many.is_empty() {
            if self.few.contains(&key) {
                return Err(duplicate_member(&key));
            }
            if self.few.len() < 16 {
                self.few.push(key);
                return Ok(());
            }
            self.many.extend(self.few.drain(..));
        }
        if self.many.contains(&key) {
            return Err(duplicate_member(&key));
        }
        self.many.insert(key);
        Ok(())
    }
}

/// A string, borrowed from the input when it has no escapes.
pub(crate) struct StrSeed;

impl<'de> DeserializeSeed<'de> for StrSeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for StrSeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Skips any JSON value, refusing an object with a member twice anywhere inside it.
pub(crate) struct SkipChecked;

impl<'de> Deserialize<'de> for SkipChecked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SkipChecked)
    }
}

impl<'de> Visitor<'de> for SkipChecked {
    type Value = Self;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_unit<E>(self) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<SkipChecked>()?.is_some() {}
        Ok(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self, A::Error> {
        let mut seen = SeenKeys::default();
        while let Some(key) = map.next_key_seed(StrSeed)? {
            seen.insert(key)?;
            map.next_value::<SkipChecked>()?;
        }
        Ok(self)
    }
}

/// A `serde_json::Value`, refusing an object with a member twice anywhere inside it.
pub(crate) struct CheckedValue(pub(crate) Value);

impl<'de> Deserialize<'de> for CheckedValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor).map(CheckedValue)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(CheckedValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(StrSeed)? {
            let key = key.into_owned();
            if out.contains_key(&key) {
                return Err(duplicate_member(&key));
            }
            let CheckedValue(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_member_twice_at_any_depth_is_refused() {
        for text in [
            r#"{"a":1,"a":2}"#,
            r#"{"x":[{"k":null,"k":null}]}"#,
            r#"[1,{"o":{"deep":{"z":1,"y":2,"z":3}}}]"#,
        ] {
            let e = serde_json::from_str::<CheckedValue>(text).err().unwrap();
            assert!(
                e.to_string().contains("appears twice in one object"),
                "{text}: {e}"
            );
            let e = serde_json::from_str::<SkipChecked>(text).err().unwrap();
            assert!(
                e.to_string().contains("appears twice in one object"),
                "{text}: {e}"
            );
        }
    }

    #[test]
    fn reads_what_serde_json_reads_when_keys_are_unique() {
        let text = r#"{"b":[1,-2,3.5,"s",null,true],"a":{"c":{}},"e\"sc":"\u00e9"}"#;
        let CheckedValue(v) = serde_json::from_str(text).unwrap();
        assert_eq!(v, serde_json::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn many_distinct_keys_are_fine_and_a_late_repeat_is_caught() {
        let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
        let ok = format!("{{{}}}", keys.join(","));
        assert!(serde_json::from_str::<SkipChecked>(&ok).is_ok());
        let bad = format!("{{{},\"k3\":0}}", keys.join(","));
        let e = serde_json::from_str::<SkipChecked>(&bad).err().unwrap();
        assert!(e.to_string().contains("\"k3\" appears twice"), "{e}");
    }
}
