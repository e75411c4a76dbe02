//! A JSON object parsed once into a flat tree that points into its own text.
//!
//! [`super::parse`] builds a `serde_json::Value`, with one heap string per string in the text.
//! A JWT payload with a thousand digests in `_sd` is then a thousand allocations, made only to be
//! compared and dropped again. [`JsonTree`] keeps the text and records every value as a node in
//! one vector; a string without escapes is a span of the text, so parsing allocates a handful of
//! times whatever the size. Reading goes through [`TreeRef`], and [`JsonTree::to_map`] or
//! [`TreeRef::to_value`] give ordinary `serde_json` values where they are wanted.
//!
//! The rules are exactly [`super::parse`]'s: RFC 8259 as `serde_json` reads it, no member name
//! twice in one object ([`JsonError::DuplicateMember`], refused as soon as the repeat is read),
//! nesting bounded by [`MAX_DEPTH`] ([`JsonError::TooDeep`]), and numbers read as `serde_json`
//! reads them. Both give the same error for the same text; the `json_tree` fuzz target and a
//! property test check it.

use core::fmt;
use std::borrow::Cow;
use std::collections::HashSet;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::{JsonError, MAX_DEPTH};

/// One value of the tree. Containers are followed by their contents: an array by its elements,
/// an object by key and value in turn; `end` is the position just after the last of them.
#[derive(Clone, Debug, PartialEq)]
enum Node {
    Null,
    Bool(bool),
    Number(Number),
    /// A string as written in the text (it had no escapes): `text[start..end]`.
    Span {
        start: usize,
        end: usize,
    },
    /// A string that had escapes, unescaped: `owned[index]`.
    Owned(usize),
    Array {
        len: usize,
        end: usize,
    },
    Object {
        len: usize,
        end: usize,
    },
}

/// A JSON object, parsed strictly, whose values are read in place (see the [module
/// documentation](self)).
#[derive(Clone, PartialEq)]
pub struct JsonTree {
    text: Box<str>,
    /// Every value in document order; `nodes[0]` is the root object.
    nodes: Vec<Node>,
    /// The strings that had escapes, unescaped.
    owned: Vec<Box<str>>,
}

impl fmt::Debug for JsonTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("JsonTree").field(&self.text).finish()
    }
}

impl JsonTree {
    /// Parses `bytes` as a JSON object under the rules of [`super::parse_object`].
    ///
    /// # Errors
    ///
    /// As [`super::parse_object`]: [`JsonError::Syntax`] (including text that is not UTF-8),
    /// [`JsonError::DuplicateMember`], [`JsonError::TooDeep`] and [`JsonError::NotAnObject`].
    pub fn parse_object(bytes: &[u8]) -> Result<Self, JsonError> {
        let Ok(text) = core::str::from_utf8(bytes) else {
            // The byte reader names the error and where it is.
            return Err(super::parse(bytes).err().unwrap_or(JsonError::Syntax {
                message: "the text is not UTF-8".into(),
            }));
        };
        let text: Box<str> = text.into();
        let (nodes, owned) = build(&text)?;
        if !matches!(nodes.first(), Some(Node::Object { .. })) {
            return Err(JsonError::NotAnObject);
        }
        Ok(Self { text, nodes, owned })
    }

    /// The JSON text the tree was parsed from.
    pub fn as_text(&self) -> &str {
        &self.text
    }

    /// The root object.
    pub fn root(&self) -> TreeRef<'_> {
        TreeRef { tree: self, at: 0 }
    }

    /// The root object as a `serde_json` map, members in document order.
    pub fn to_map(&self) -> Map<String, Value> {
        match self.root().to_value() {
            Value::Object(map) => map,
            // The root is an object: `parse_object` refuses anything else.
            _ => Map::new(),
        }
    }

    fn str_at(&self, at: usize) -> Option<&str> {
        str_at(&self.text, &self.nodes, &self.owned, at)
    }

    fn after(&self, at: usize) -> usize {
        after(&self.nodes, at)
    }
}

/// The string at `at`, if the node there is one.
fn str_at<'a>(text: &'a str, nodes: &[Node], owned: &'a [Box<str>], at: usize) -> Option<&'a str> {
    match nodes.get(at)? {
        // Spans are only ever made from slices of `text` (see `State::string`), so they lie
        // inside it, on character boundaries.
        Node::Span { start, end } => text.get(*start..*end),
        Node::Owned(index) => owned.get(*index).map(|s| &**s),
        _ => None,
    }
}

/// The position just after the value at `at` and everything it contains.
fn after(nodes: &[Node], at: usize) -> usize {
    match nodes.get(at) {
        Some(Node::Array { end, .. } | Node::Object { end, .. }) => *end,
        _ => at + 1,
    }
}

/// What kind of JSON value a [`TreeRef`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// One value inside a [`JsonTree`].
#[derive(Clone, Copy)]
pub struct TreeRef<'a> {
    tree: &'a JsonTree,
    at: usize,
}

impl fmt::Debug for TreeRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_value(), f)
    }
}

impl<'a> TreeRef<'a> {
    fn node(self) -> &'a Node {
        // `at` always names a node: it comes from `root` or from walking the tree.
        self.tree.nodes.get(self.at).unwrap_or(&Node::Null)
    }

    /// The kind of value.
    pub fn kind(self) -> Kind {
        match self.node() {
            Node::Null => Kind::Null,
            Node::Bool(_) => Kind::Bool,
            Node::Number(_) => Kind::Number,
            Node::Span { .. } | Node::Owned(_) => Kind::String,
            Node::Array { .. } => Kind::Array,
            Node::Object { .. } => Kind::Object,
        }
    }

    /// The string, if this is one.
    pub fn as_str(self) -> Option<&'a str> {
        self.tree.str_at(self.at)
    }

    /// How many elements (array) or members (object); 0 for anything else.
    pub fn len(self) -> usize {
        match self.node() {
            Node::Array { len, .. } | Node::Object { len, .. } => *len,
            _ => 0,
        }
    }

    /// Whether [`TreeRef::len`] is 0.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The members of an object, in document order (none for anything else).
    pub fn members(self) -> Members<'a> {
        let (next, left) = match self.node() {
            Node::Object { len, .. } => (self.at + 1, *len),
            _ => (self.at, 0),
        };
        Members {
            tree: self.tree,
            next,
            left,
        }
    }

    /// The elements of an array, in order (none for anything else).
    pub fn items(self) -> Items<'a> {
        let (next, left) = match self.node() {
            Node::Array { len, .. } => (self.at + 1, *len),
            _ => (self.at, 0),
        };
        Items {
            tree: self.tree,
            next,
            left,
        }
    }

    /// The member named `name`, if this is an object that has one. Member names are unique
    /// (the parser refuses duplicates), so there is at most one.
    pub fn get(self, name: &str) -> Option<TreeRef<'a>> {
        self.members().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// Whether this is an object with a member named `name`.
    pub fn contains_key(self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// A `serde_json` copy of this value and everything in it.
    pub fn to_value(self) -> Value {
        match self.node() {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::Span { .. } | Node::Owned(_) => {
                Value::String(self.as_str().unwrap_or_default().to_owned())
            }
            Node::Array { len, .. } => {
                let mut out = Vec::with_capacity(*len);
                out.extend(self.items().map(TreeRef::to_value));
                Value::Array(out)
            }
            Node::Object { len, .. } => {
                let mut out = Map::with_capacity(*len);
                for (k, v) in self.members() {
                    out.insert(k.to_owned(), v.to_value());
                }
                Value::Object(out)
            }
        }
    }
}

/// The members of an object in a [`JsonTree`]: see [`TreeRef::members`].
#[derive(Clone, Debug)]
pub struct Members<'a> {
    tree: &'a JsonTree,
    next: usize,
    left: usize,
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, TreeRef<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let key = self.tree.str_at(self.next)?;
        let value = TreeRef {
            tree: self.tree,
            at: self.next + 1,
        };
        self.next = self.tree.after(self.next + 1);
        Some((key, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

/// The elements of an array in a [`JsonTree`]: see [`TreeRef::items`].
#[derive(Clone, Debug)]
pub struct Items<'a> {
    tree: &'a JsonTree,
    next: usize,
    left: usize,
}

impl<'a> Iterator for Items<'a> {
    type Item = TreeRef<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let item = TreeRef {
            tree: self.tree,
            at: self.next,
        };
        self.next = self.tree.after(self.next);
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

/// Parses `text` into nodes and unescaped strings.
fn build(text: &str) -> Result<(Vec<Node>, Vec<Box<str>>), JsonError> {
    let mut state = State {
        text,
        // About one value per 32 bytes of a digest-heavy payload: most payloads need no growth.
        nodes: Vec::with_capacity(text.len() / 32 + 8),
        owned: Vec::new(),
        failure: None,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Builder {
        state: &mut state,
        depth: 0,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    match result {
        Ok(()) => Ok((state.nodes, state.owned)),
        Err(e) => Err(state.failure.unwrap_or_else(|| JsonError::Syntax {
            message: e.to_string(),
        })),
    }
}

struct State<'t> {
    text: &'t str,
    nodes: Vec<Node>,
    owned: Vec<Box<str>>,
    /// Set to the typed reason just before a custom error is returned.
    failure: Option<JsonError>,
}

impl<'t> State<'t> {
    fn string(&mut self, s: &str, borrowed: bool) {
        let base = self.text.as_ptr() as usize;
        let start = (s.as_ptr() as usize).wrapping_sub(base);
        let end = start.wrapping_add(s.len());
        // A borrowed string is a slice of `text`; checking that it lies inside keeps the span
        // honest whatever the parser hands over.
        if borrowed && self.text.get(start..end).is_some() {
            self.nodes.push(Node::Span { start, end });
        } else {
            self.nodes.push(Node::Owned(self.owned.len()));
            self.owned.push(s.into());
        }
    }

    fn fail<E: de::Error>(&mut self, failure: JsonError, message: &str) -> E {
        self.failure = Some(failure);
        E::custom(message)
    }

    /// The member name just read (the last node), borrowed from the text when it had no
    /// escapes.
    fn last_name(&self) -> Cow<'t, str> {
        let text: &'t str = self.text;
        match self.nodes.last() {
            Some(Node::Span { start, end }) => Cow::Borrowed(text.get(*start..*end).unwrap_or("")),
            Some(Node::Owned(index)) => Cow::Owned(
                self.owned
                    .get(*index)
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
            ),
            _ => Cow::Borrowed(""),
        }
    }
}

/// The member names of one object seen so far: compared one by one while there are few, hashed
/// once there are more, so a large object is never checked quadratically. A repeat is refused
/// as soon as it is read, before its value, exactly as [`super::parse`] refuses it.
enum Names<'t> {
    Few(Vec<Cow<'t, str>>),
    Many(HashSet<Cow<'t, str>>),
}

impl<'t> Names<'t> {
    const FEW: usize = 8;

    /// Adds `name`, or gives it back if it was already there.
    fn insert(&mut self, name: Cow<'t, str>) -> Result<(), Cow<'t, str>> {
        match self {
            Self::Few(names) if names.contains(&name) => return Err(name),
            Self::Few(names) if names.len() < Self::FEW => names.push(name),
            Self::Few(names) => {
                let mut set: HashSet<Cow<'t, str>> = names.drain(..).collect();
                set.insert(name);
                *self = Self::Many(set);
            }
            Self::Many(set) if set.contains(&name) => return Err(name),
            Self::Many(set) => {
                set.insert(name);
            }
        }
        Ok(())
    }
}

/// Reads one value into the tree.
struct Builder<'s, 't> {
    state: &'s mut State<'t>,
    /// How many arrays and objects enclose the value being read.
    depth: usize,
}

impl<'s, 't> Builder<'s, 't> {
    /// The depth of the contents of a container entered here, as [`super::parse`] counts it.
    fn enter<E: de::Error>(&mut self) -> Result<usize, E> {
        if self.depth >= MAX_DEPTH {
            return Err(self
                .state
                .fail(JsonError::TooDeep { max: MAX_DEPTH }, "nesting too deep"));
        }
        Ok(self.depth + 1)
    }
}

impl<'de> DeserializeSeed<'de> for Builder<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Builder<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.state.nodes.push(Node::Bool(v));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.state.nodes.push(Node::Number(v.into()));
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.state.nodes.push(Node::Number(v.into()));
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        let n = Number::from_f64(v).ok_or_else(|| E::custom("non-finite number"))?;
        self.state.nodes.push(Node::Number(n));
        Ok(())
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<(), E> {
        self.state.string(v, true);
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.state.string(v, false);
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.state.nodes.push(Node::Null);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let depth = self.enter()?;
        let at = self.state.nodes.len();
        self.state.nodes.push(Node::Array { len: 0, end: 0 });
        let mut len = 0;
        while seq
            .next_element_seed(Builder {
                state: &mut *self.state,
                depth,
            })?
            .is_some()
        {
            len += 1;
        }
        let end = self.state.nodes.len();
        if let Some(node) = self.state.nodes.get_mut(at) {
            *node = Node::Array { len, end };
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let depth = self.enter()?;
        let at = self.state.nodes.len();
        self.state.nodes.push(Node::Object { len: 0, end: 0 });
        let mut len = 0;
        let mut names = Names::Few(Vec::new());
        while map.next_key_seed(Key(&mut *self.state))?.is_some() {
            if let Err(name) = names.insert(self.state.last_name()) {
                let failure = JsonError::DuplicateMember {
                    name: name.into_owned(),
                };
                let message = failure.to_string();
                return Err(self.state.fail(failure, &message));
            }
            map.next_value_seed(Builder {
                state: &mut *self.state,
                depth,
            })?;
            len += 1;
        }
        let end = self.state.nodes.len();
        if let Some(node) = self.state.nodes.get_mut(at) {
            *node = Node::Object { len, end };
        }
        Ok(())
    }
}

/// Reads one member name into the tree.
struct Key<'s, 't>(&'s mut State<'t>);

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<(), E> {
        self.0.string(v, true);
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.string(v, false);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree and [`super::super::parse_object`] agree: same result, same error.
    fn agrees(text: &str) -> Result<JsonTree, JsonError> {
        let tree = JsonTree::parse_object(text.as_bytes());
        let map = super::super::parse_object(text.as_bytes());
        assert_eq!(
            tree.as_ref().map(JsonTree::to_map).map_err(Clone::clone),
            map,
            "{text}"
        );
        tree
    }

    #[test]
    fn reads_every_kind_of_value_as_serde_json_does() {
        for text in [
            "{}",
            r#"{"a":null,"b":true,"c":false,"d":0,"e":-1,"f":18446744073709551615}"#,
            r#"{"g":1.5,"h":-0.0,"i":1e300,"j":4.5326526737796555e-77,"k":-9223372036854775808}"#,
            r#"{"s":"plain","t":"esc\"aped\\\n\u00e9\ud83d\ude00","":"empty name"}"#,
            r#"{"\u0061b":1,"arr":[[],{},[1,[2,{"x":[3]}]],"z"],"o":{"p":{"q":{}}}}"#,
            r#"  { "spaced" : [ 1 , 2 ] }  "#,
            "{\"ünï\":\"cödé\",\"emoji\":\"😀\"}",
        ] {
            assert!(agrees(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn navigates_in_place() {
        let tree = agrees(r#"{"a":[1,{"b":"x"},[2,3]],"c":{"d":null},"e\n":"f"}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        let root = tree.root();
        assert_eq!((root.kind(), root.len()), (Kind::Object, 3));
        let keys: Vec<&str> = root.members().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "c", "e\n"]);
        let a = root.get("a").unwrap_or(root);
        assert_eq!((a.kind(), a.len()), (Kind::Array, 3));
        let kinds: Vec<Kind> = a.items().map(TreeRef::kind).collect();
        assert_eq!(kinds, [Kind::Number, Kind::Object, Kind::Array]);
        let b = a.items().nth(1).and_then(|o| o.get("b"));
        assert_eq!(b.and_then(TreeRef::as_str), Some("x"));
        assert_eq!(root.get("e\n").and_then(TreeRef::as_str), Some("f"));
        assert_eq!(
            root.get("c").map(TreeRef::to_value),
            Some(serde_json::json!({"d": null}))
        );
        assert!(root.get("missing").is_none() && !root.contains_key("b"));
        assert!(a.members().next().is_none() && root.items().next().is_none());
        assert_eq!(root.as_str(), None);
        assert!(tree.as_text().starts_with("{\"a\""));
    }

    #[test]
    fn refuses_what_the_value_parser_refuses() {
        for text in [
            "",
            "[1]",
            "\"s\"",
            "{",
            r#"{"a":1,}"#,
            r#"{"a":1} {}"#,
            r#"{"a":01}"#,
            r#"{"a":"\x"}"#,
            r#"{"a":"\ud800"}"#,
            "{\"a\":\"\u{1}\"}",
            r#"{"a":1,"a":2}"#,
            r#"{"x":[{"k":1,"k":1}]}"#,
            r#"{"1":0,"2":0,"3":0,"4":0,"5":0,"6":0,"7":0,"8":0,"9":0,"3":1}"#,
            r#"{"a\u0062":1,"ab":2}"#,
            // A repeat is refused when it is read: before a later syntax error, and before
            // anything wrong inside its value.
            r#"{"a":1,"a":2 garbage"#,
            r#"{"a":1,"a":{"k":1,"k":2}}"#,
            r#"{"1":0,"2":0,"3":0,"4":0,"5":0,"6":0,"7":0,"8":0,"9":0,"9":[}"#,
        ] {
            assert!(agrees(text).is_err(), "{text}");
        }
        let invalid = b"{\"a\":\"\xff\"}";
        assert!(matches!(
            JsonTree::parse_object(invalid),
            Err(JsonError::Syntax { .. })
        ));
    }

    #[test]
    fn nesting_is_bounded_as_in_the_value_parser() {
        let arrays = |n: usize| format!("{{\"a\":{}{}}}", "[".repeat(n), "]".repeat(n));
        assert!(agrees(&arrays(MAX_DEPTH - 1)).is_ok());
        for n in [MAX_DEPTH, 500] {
            assert_eq!(
                agrees(&arrays(n)).err(),
                Some(JsonError::TooDeep { max: MAX_DEPTH })
            );
        }
    }

    #[test]
    fn a_large_object_is_checked_for_duplicates_without_pairwise_comparison() {
        let members: Vec<String> = (0..5000).map(|i| format!("\"k{i}\":{i}")).collect();
        let unique = format!("{{{}}}", members.join(","));
        assert_eq!(agrees(&unique).map(|t| t.root().len()).ok(), Some(5000));
        let repeated = format!("{{{},\"k42\":0}}", members.join(","));
        assert_eq!(
            agrees(&repeated).err(),
            Some(JsonError::DuplicateMember { name: "k42".into() })
        );
    }
}
