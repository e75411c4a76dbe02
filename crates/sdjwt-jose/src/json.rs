//! Strict JSON parsing for JOSE headers, JWT payloads, JWKs and Disclosures.
//!
//! RFC 7515 §5.2 and RFC 7519 §7.2 allow a recipient either to reject member names that appear
//! twice in one object or to keep the last one. Keeping the last one lets two parties read the same
//! signed bytes differently, so this parser rejects duplicates. Everything else follows RFC 8259
//! as implemented by `serde_json` (including its nesting limit of 128, which bounds recursion).

use core::cell::RefCell;
use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why a JSON text was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonError {
    /// The text is not well-formed JSON (or nests deeper than the parser allows).
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
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax { message } => write!(f, "malformed JSON: {message}"),
            Self::DuplicateMember { name } => write!(f, "JSON member name {name:?} appears twice"),
            Self::NotAnObject => f.write_str("expected a JSON object"),
        }
    }
}

impl std::error::Error for JsonError {}

/// Parses `bytes` as one JSON value, rejecting duplicate member names.
///
/// # Errors
///
/// [`JsonError::Syntax`] for malformed text, [`JsonError::DuplicateMember`] for repeated names.
pub fn parse(bytes: &[u8]) -> Result<Value, JsonError> {
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = Strict {
        duplicate: &duplicate,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    match result {
        Ok(v) => Ok(v),
        Err(e) => Err(match duplicate.into_inner() {
            Some(name) => JsonError::DuplicateMember { name },
            None => JsonError::Syntax {
                message: e.to_string(),
            },
        }),
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
    duplicate: &'a RefCell<Option<String>>,
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
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(v) = seq.next_element_seed(self)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                let message = format!("duplicate member name {key:?}");
                *self.duplicate.borrow_mut() = Some(key);
                return Err(de::Error::custom(message));
            }
            let value = map.next_value_seed(self)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(matches!(
            parse(deep.as_bytes()),
            Err(JsonError::Syntax { .. })
        ));
    }
}
