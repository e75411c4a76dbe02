//! Strict JSON parsing for JOSE headers, JWT payloads, JWKs and Disclosures.
//!
//! RFC 7515 §5.2 and RFC 7519 §7.2 allow a recipient either to reject member names that appear
//! twice in one object or to keep the last one. Keeping the last one lets two parties read the same
//! signed bytes differently, so this parser rejects duplicates. Nesting is bounded by
//! [`MAX_DEPTH`], which bounds recursion with a typed error ([`JsonError::TooDeep`]).
//! Everything else follows RFC 8259 as implemented by `serde_json`.

use core::cell::RefCell;
use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Value};

pub mod tree;

/// The deepest nesting of arrays and objects [`parse`] accepts: a top-level `[]` is depth 1.
///
/// JOSE headers, JWKs, JWT payloads and Disclosures nest a handful of levels; 64 leaves room for
/// any real credential while keeping recursion far from the stack's end (and below
/// `serde_json`'s own limit of 128, so the refusal is [`JsonError::TooDeep`], not a syntax
/// error).
pub const MAX_DEPTH: usize = 64;

/// Why a JSON text was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonError {
    /// The text is not well-formed JSON.
    Syntax {
        /// The parser's description, with line and column.
        message: String,
    },
    /// An object has the same member name twice.
    DuplicateMember {
        /// The repeated name.
        name: String,
    },
    /// A JSON object was required, but the text holds another kind of value.
    NotAnObject,
    /// Arrays and objects nest deeper than [`MAX_DEPTH`].
    TooDeep {
        /// The limit ([`MAX_DEPTH`]).
        max: usize,
    },
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax { message } => write!(f, "malformed JSON: {message}"),
            Self::DuplicateMember { name } => write!(f, "JSON member name {name:?} appears twice"),
            Self::NotAnObject => f.write_str("expected a JSON object"),
            Self::TooDeep { max } => write!(f, "JSON nests deeper than {max} levels"),
        }
    }
}

impl std::error::Error for JsonError {}

/// Parses `bytes` as one JSON value, rejecting duplicate member names.
///
/// # Errors
///
/// [`JsonError::Syntax`] for malformed text, [`JsonError::DuplicateMember`] for repeated names,
/// [`JsonError::TooDeep`] for nesting beyond [`MAX_DEPTH`].
pub fn parse(bytes: &[u8]) -> Result<Value, JsonError> {
    // Valid UTF-8 (checked once, over the whole text, far faster than string by string) is read
    // as a `str`, so the parser no longer checks every string; anything else goes to the byte
    // reader, which finds and describes the error.
    match core::str::from_utf8(bytes) {
        Ok(text) => parse_with(serde_json::Deserializer::from_str(text)),
        Err(_) => parse_with(serde_json::Deserializer::from_slice(bytes)),
    }
}

fn parse_with<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
) -> Result<Value, JsonError> {
    let failure = RefCell::new(None);
    let result = Strict {
        failure: &failure,
        depth: 0,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    match result {
        Ok(v) => Ok(v),
        Err(e) => Err(failure.into_inner().unwrap_or_else(|| JsonError::Syntax {
            message: e.to_string(),
        })),
    }
}

/// Reads a JSON value as a NumericDate (RFC 7519 §2): an integer, or a number with a fraction
/// truncated towards negative infinity. `None` for anything else, including magnitudes of 2^53
/// or more, where an `f64` no longer holds every integer.
pub fn numeric_date(value: &Value) -> Option<i64> {
    if let Some(i) = value.as_i64() {
        return Some(i);
    }
    match value.as_f64() {
        Some(f) if f.is_finite() && f.abs() < 9_007_199_254_740_992.0 => Some(f.floor() as i64),
        _ => None,
    }
}

/// Parses `bytes` as a JSON object, rejecting duplicate member names.
///
/// # Errors
///
/// As [`parse`], plus [`JsonError::NotAnObject`] when the value is not an object.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, JsonError> {
    match parse(bytes)? {
        Value::Object(map) => Ok(map),
        _ => Err(JsonError::NotAnObject),
    }
}

#[derive(Clone, Copy)]
struct Strict<'a> {
    /// Set to the typed reason just before a custom error is returned.
    failure: &'a RefCell<Option<JsonError>>,
    /// How many arrays and objects enclose the value being read.
    depth: usize,
}

impl Strict<'_> {
    /// The seed for the members or elements of a container entered at this depth.
    fn enter<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            *self.failure.borrow_mut() = Some(JsonError::TooDeep { max: MAX_DEPTH });
            return Err(E::custom("nesting too deep"));
        }
        Ok(Self {
            depth: self.depth + 1,
            ..self
        })
    }
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("non-finite number"))
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

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.enter()?;
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(v) = seq.next_element_seed(inner)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.enter()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // One lookup per member: the vacant entry is filled once the value is parsed.
            match out.entry(key) {
                Entry::Occupied(entry) => {
                    let key = entry.key().clone();
                    let message = format!("duplicate member name {key:?}");
                    *self.failure.borrow_mut() = Some(JsonError::DuplicateMember { name: key });
                    return Err(de::Error::custom(message));
                }
                Entry::Vacant(entry) => {
                    entry.insert(map.next_value_seed(inner)?);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_utf8_is_a_syntax_error() {
        assert!(matches!(
            parse(b"{\"a\":\"\xff\"}"),
            Err(JsonError::Syntax { .. })
        ));
    }

    #[test]
    fn numeric_dates() {
        let cases = [
            (serde_json::json!(1_700_000_000), Some(1_700_000_000)),
            (serde_json::json!(-5), Some(-5)),
            (serde_json::json!(1.9), Some(1)),
            (serde_json::json!(-1.5), Some(-2)),
            (
                serde_json::json!(9_007_199_254_740_991.0),
                Some(9_007_199_254_740_991),
            ),
            (serde_json::json!(9_007_199_254_740_992.0), None),
            (serde_json::json!(1e300), None),
            (serde_json::json!(u64::MAX), None),
            (serde_json::json!("1700000000"), None),
            (Value::Null, None),
        ];
        for (value, expected) in cases {
            assert_eq!(numeric_date(&value), expected, "{value}");
        }
    }

    #[test]
    fn parses_and_keeps_member_order() {
        let v = parse(br#"{"b":1,"a":[true,null,"x",1.5]}"#);
        let v = v
            .as_ref()
            .ok()
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect::<Vec<_>>());
        assert_eq!(v, Some(vec!["b".to_owned(), "a".to_owned()]));
    }

    #[test]
    fn rejects_duplicates_at_any_depth() {
        assert_eq!(
            parse(br#"{"a":1,"a":2}"#),
            Err(JsonError::DuplicateMember { name: "a".into() })
        );
        assert_eq!(
            parse(br#"{"x":[{"k":1,"k":1}]}"#),
            Err(JsonError::DuplicateMember { name: "k".into() })
        );
    }

    #[test]
    fn rejects_trailing_garbage_and_non_objects() {
        assert!(matches!(parse(b"{} {}"), Err(JsonError::Syntax { .. })));
        assert_eq!(parse_object(b"[1]"), Err(JsonError::NotAnObject));
    }

    /// Regression test (issue 7, found by the property tests): every finite f64 must read back
    /// exactly as `serde_json` writes it; without `float_roundtrip` these came back one ulp off.
    #[test]
    fn floats_round_trip_exactly() {
        for f in [
            4.532_652_673_779_655_5e-77,
            -8.666_759_731_146_027e-106,
            0.1,
            1e300,
            -0.0,
        ] {
            let text = Value::from(f).to_string();
            assert_eq!(parse(text.as_bytes()), Ok(Value::from(f)), "{text}");
        }
    }

    /// Regression test (issue 7, hard limits): nesting used to be refused only by `serde_json`'s
    /// recursion limit, as an untyped syntax error.
    #[test]
    fn nesting_is_bounded_with_a_typed_error() {
        // `n` nested containers; the innermost is empty.
        let arrays = |n: usize| "[".repeat(n) + &"]".repeat(n);
        let objects = |n: usize| r#"{"a":"#.repeat(n - 1) + "{}" + &"}".repeat(n - 1);
        assert!(parse(arrays(MAX_DEPTH).as_bytes()).is_ok());
        assert!(parse(objects(MAX_DEPTH).as_bytes()).is_ok());
        let too_deep = Err(JsonError::TooDeep { max: MAX_DEPTH });
        for n in [MAX_DEPTH + 1, 200, 10_000] {
            assert_eq!(parse(arrays(n).as_bytes()), too_deep, "{n} arrays");
            assert_eq!(parse(objects(n).as_bytes()), too_deep, "{n} objects");
        }
    }
}
