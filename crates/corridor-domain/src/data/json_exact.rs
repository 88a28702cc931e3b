//! Kept JSON values that survive open → save exactly, integers beyond 64 bits included.
//!
//! `serde_json` (without `arbitrary_precision`, which would hand every float of the hot
//! coordinate readers to their visitors as a map) reads an integer that fits neither `u64` nor
//! `i64` as the nearest `f64`: `123456789012345678901234567890` would be saved back as
//! `1.2345678901234568e29`. Values the scenario keeps for other tools (unknown properties,
//! foreign members, members of newer versions) go through [`parse_value`] and [`to_string`]
//! instead: such an integer is held as `serde_json`'s own arbitrary-precision shape, an object
//! with the single member [`WIDE_INTEGER`] holding its digits, and written back as the bare
//! number. Floats need nothing: `float_roundtrip` reads every `f64` back bit for bit.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// The member name of a held wide integer: the token `serde_json` itself uses for a number
/// kept as text (its `arbitrary_precision` representation).
pub const WIDE_INTEGER: &str = "$serde_json::private::Number";

/// Parse JSON text into a [`Value`], holding every integer beyond 64 bits exactly (see the
/// module doc). Errors are `serde_json`'s, at their place in `text`.
///
/// # Errors
/// The text is not one JSON value.
pub fn parse_value(text: &str) -> serde_json::Result<Value> {
    let value: Value = serde_json::from_str(text)?;
    let wide = wide_integers(text);
    if wide.is_empty() {
        return Ok(value);
    }
    // Valid JSON (checked above): wrap each wide integer in its holder object and read again.
    let mut held = String::with_capacity(text.len() + wide.len() * (WIDE_INTEGER.len() + 8));
    let mut from = 0;
    for range in wide {
        held.push_str(&text[from..range.start]);
        held.push_str("{\"");
        held.push_str(WIDE_INTEGER);
        held.push_str("\":\"");
        held.push_str(&text[range.clone()]);
        held.push_str("\"}");
        from = range.end;
    }
    held.push_str(&text[from..]);
    serde_json::from_str(&held)
}

/// Compact JSON of `value`, writing held wide integers back as the bare numbers they were.
#[must_use]
pub fn to_string(value: &Value) -> String {
    // Serialising a `Value` into a `String` cannot fail.
    serde_json::to_string(&Exact(value)).unwrap_or_default()
}

/// The digits of a held wide integer, if `value` is one.
#[must_use]
pub fn wide_integer(value: &Value) -> Option<&str> {
    let Value::Object(m) = value else {
        return None;
    };
    if m.len() != 1 {
        return None;
    }
    match m.get(WIDE_INTEGER) {
        Some(Value::String(digits)) if is_wide_integer(digits) => Some(digits),
        _ => None,
    }
}

/// A `Value` that serialises held wide integers as raw numbers.
struct Exact<'a>(&'a Value);

impl Serialize for Exact<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Some(digits) = wide_integer(self.0) {
            // Checked to be an integer literal: valid JSON.
            return match RawValue::from_string(digits.to_owned()) {
                Ok(raw) => raw.serialize(s),
                Err(_) => self.0.serialize(s),
            };
        }
        match self.0 {
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Exact(item))?;
                }
                seq.end()
            }
            Value::Object(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, &Exact(v))?;
                }
                map.end()
            }
            other => other.serialize(s),
        }
    }
}

/// An integer literal (`-?digits`) that fits neither `u64` nor `i64`.
fn is_wide_integer(token: &str) -> bool {
    let digits = token.strip_prefix('-').unwrap_or(token);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && token.parse::<u64>().is_err()
        && token.parse::<i64>().is_err()
}

/// Byte ranges of the integer literals beyond 64 bits in valid JSON text, outside strings.
fn wide_integers(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                if is_wide_integer(&text[start..i]) {
                    out.push(start..i);
                }
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn integers_beyond_64_bits_come_back_digit_for_digit() {
        // Keys in sorted order and floats in serde_json's form, so the text comes back unchanged.
        let text = r#"{"big":123456789012345678901234567890,"in":[1,18446744073709551615,-9223372036854775808,2.5e+300],"neg":-9223372036854775809,"s":"99999999999999999999999 \"7777777777777777777777\"","u":18446744073709551616}"#;
        let v = parse_value(text).unwrap();
        assert_eq!(
            wide_integer(&v["big"]),
            Some("123456789012345678901234567890")
        );
        assert_eq!(wide_integer(&v["neg"]), Some("-9223372036854775809"));
        assert_eq!(wide_integer(&v["u"]), Some("18446744073709551616"));
        // 64-bit integers and floats stay plain numbers; digits inside strings are text.
        assert_eq!(v["in"][1], Value::from(u64::MAX));
        assert_eq!(v["in"][2], Value::from(i64::MIN));
        assert!(v["s"].is_string());
        // Written back: the same text (keys were already in sorted order).
        assert_eq!(to_string(&v), text);
    }

    #[test]
    fn text_without_wide_integers_is_plain_serde_json() {
        let text = r#"{"a":[1,-2,3.25,null,true],"b":{"c":"d"}}"#;
        let v = parse_value(text).unwrap();
        assert_eq!(v, serde_json::from_str::<Value>(text).unwrap());
        assert_eq!(to_string(&v), text);
    }

    #[test]
    fn a_look_alike_object_that_is_not_an_integer_stays_an_object() {
        let text = format!(r#"{{"{WIDE_INTEGER}":"12a"}}"#);
        let v = parse_value(&text).unwrap();
        assert_eq!(wide_integer(&v), None);
        assert_eq!(to_string(&v), text);
    }

    #[test]
    fn errors_point_into_the_original_text() {
        let e = parse_value("{\"a\": 123456789012345678901234567890,\n \"b\": }").unwrap_err();
        assert_eq!((e.line(), e.column()), (2, 7));
    }
}
