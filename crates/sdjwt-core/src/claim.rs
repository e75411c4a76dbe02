//! Claim names and claim paths.

use core::fmt;

use serde_json::{Map, Value};

use crate::error::Error;

/// A claim name that may be made selectively disclosable: any string except `_sd` and `...`,
/// which RFC 9901 reserves for digests (§4.1 rule 7, §7.1 step 3.c.ii.2).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimName(String);

impl ClaimName {
    /// Validates a claim name.
    ///
    /// # Errors
    ///
    /// [`Error::ReservedClaimName`] for `_sd` and `...`.
    pub fn new(name: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        if is_reserved(&name) {
            return Err(Error::ReservedClaimName { name });
        }
        Ok(Self(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name, taken out.
    pub fn into_string(self) -> String {
        self.0
    }

    /// For names already known not to be reserved (they came out of §7.1 processing).
    pub(crate) fn unchecked(name: String) -> Self {
        Self(name)
    }
}

/// Whether a claim name is reserved by RFC 9901 (`_sd`, `...`).
pub(crate) fn is_reserved(name: &str) -> bool {
    name == "_sd" || name == "..."
}

impl fmt::Display for ClaimName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<&str> for ClaimName {
    type Error = Error;

    fn try_from(s: &str) -> Result<Self, Error> {
        Self::new(s)
    }
}

/// One step in a [`ClaimPath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSegment {
    /// An object member.
    Key(ClaimName),
    /// An array element, counted in the fully disclosed array (decoys never count).
    Index(usize),
}

/// The location of a claim in a (fully disclosed) claims document: a sequence of object keys
/// and array indices. The empty path is the document itself.
///
/// ```
/// use sdjwt_core::{ClaimName, ClaimPath};
///
/// let path = ClaimPath::root().key(ClaimName::new("address")?).key(ClaimName::new("postcode")?);
/// assert_eq!(path.to_string(), "/address/postcode");
/// let nat = ClaimPath::root().key(ClaimName::new("nationalities")?).index(0);
/// assert_eq!(nat.to_string(), "/nationalities/0");
/// # Ok::<(), sdjwt_core::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimPath(Vec<PathSegment>);

impl ClaimPath {
    /// The empty path.
    pub const fn root() -> Self {
        Self(Vec::new())
    }

    /// Builds a path from segments.
    pub fn from_segments(segments: Vec<PathSegment>) -> Self {
        Self(segments)
    }

    /// Appends an object key.
    #[must_use]
    pub fn key(mut self, name: ClaimName) -> Self {
        self.0.push(PathSegment::Key(name));
        self
    }

    /// Appends an array index.
    #[must_use]
    pub fn index(mut self, index: usize) -> Self {
        self.0.push(PathSegment::Index(index));
        self
    }

    /// The segments.
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    /// The number of segments.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether this is the root path.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The path without its last segment (`None` for the root).
    pub fn parent(&self) -> Option<Self> {
        let (_, head) = self.0.split_last()?;
        Some(Self(head.to_vec()))
    }

    /// The last segment.
    pub fn last(&self) -> Option<&PathSegment> {
        self.0.last()
    }

    /// Whether `self` equals `other` or lies beneath it.
    pub fn starts_with(&self, other: &Self) -> bool {
        self.0.starts_with(&other.0)
    }

    /// Appends a segment (for walking a document without rebuilding the path).
    pub fn push(&mut self, segment: PathSegment) {
        self.0.push(segment);
    }

    /// Removes the last segment, if any.
    pub fn pop(&mut self) -> Option<PathSegment> {
        self.0.pop()
    }

    /// Resolves an RFC 6901 JSON pointer against `document`: a segment is an array index where
    /// the value reached so far is an array (decimal, no leading zeros, in range) and an object
    /// key where it is an object.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPointer`] for bad syntax or escapes, [`Error::PathNotFound`] if the
    /// pointer names nothing, [`Error::ReservedClaimName`] for `_sd` or `...` segments.
    pub fn resolve_pointer(pointer: &str, document: &Value) -> Result<Self, Error> {
        Self::resolve(pointer, Node::Value(document))
    }

    /// [`ClaimPath::resolve_pointer`] against a claims object, without wrapping it in a
    /// [`Value`].
    ///
    /// # Errors
    ///
    /// As [`ClaimPath::resolve_pointer`].
    pub fn resolve_pointer_in(pointer: &str, claims: &Map<String, Value>) -> Result<Self, Error> {
        Self::resolve(pointer, Node::Claims(claims))
    }

    fn resolve(pointer: &str, root: Node<'_>) -> Result<Self, Error> {
        let invalid = || Error::InvalidPointer {
            pointer: pointer.to_owned(),
        };
        let not_found = || Error::PathNotFound {
            path: pointer.to_owned(),
        };
        if pointer.is_empty() {
            return Ok(Self::root());
        }
        let rest = pointer.strip_prefix('/').ok_or_else(invalid)?;
        let mut path = Self::root();
        let mut current = root;
        for raw in rest.split('/') {
            let token = unescape(raw).ok_or_else(invalid)?;
            current = match current {
                Node::Claims(map) | Node::Value(Value::Object(map)) => {
                    let value = map.get(&token).ok_or_else(not_found)?;
                    path.0.push(PathSegment::Key(ClaimName::new(token)?));
                    Node::Value(value)
                }
                Node::Value(Value::Array(items)) => {
                    let canonical = token == "0" || (!token.starts_with('0') && !token.is_empty());
                    if !canonical || !token.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(not_found());
                    }
                    let index: usize = token.parse().map_err(|_| not_found())?;
                    let value = items.get(index).ok_or_else(not_found)?;
                    path.0.push(PathSegment::Index(index));
                    Node::Value(value)
                }
                Node::Value(_) => return Err(not_found()),
            };
        }
        Ok(path)
    }

    /// The value at this path in `document`, if any.
    pub fn lookup<'a>(&self, document: &'a Value) -> Option<&'a Value> {
        match self.walk(Node::Value(document))? {
            Node::Value(v) => Some(v),
            Node::Claims(_) => None,
        }
    }

    /// Whether this path names something in a claims object (the root path always does).
    pub fn exists_in(&self, claims: &Map<String, Value>) -> bool {
        self.walk(Node::Claims(claims)).is_some()
    }

    fn walk<'a>(&self, root: Node<'a>) -> Option<Node<'a>> {
        let mut current = root;
        for seg in &self.0 {
            current = Node::Value(match (seg, current) {
                (PathSegment::Key(k), Node::Claims(m) | Node::Value(Value::Object(m))) => {
                    m.get(k.as_str())?
                }
                (PathSegment::Index(i), Node::Value(Value::Array(a))) => a.get(*i)?,
                _ => return None,
            });
        }
        Some(current)
    }
}

/// Where a path is resolved from: any JSON value, or a claims object held as a map.
#[derive(Clone, Copy)]
enum Node<'a> {
    Value(&'a Value),
    Claims(&'a Map<String, Value>),
}

fn unescape(token: &str) -> Option<String> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

impl fmt::Display for ClaimPath {
    /// Formats the path as an RFC 6901 JSON pointer (the root is the empty string).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for seg in &self.0 {
            f.write_str("/")?;
            match seg {
                PathSegment::Key(k) => {
                    f.write_str(&k.as_str().replace('~', "~0").replace('/', "~1"))?
                }
                PathSegment::Index(i) => write!(f, "{i}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reserved_names_refused() {
        assert!(ClaimName::new("_sd").is_err());
        assert!(ClaimName::new("...").is_err());
        assert!(ClaimName::new("_sd_alg").is_ok());
    }

    #[test]
    fn claims_object_entry_points_match_the_value_ones() {
        let doc = json!({"a": {"b": [1, 2]}});
        let claims = doc.as_object().cloned().unwrap_or_default();
        for ptr in ["", "/a", "/a/b/1"] {
            let p = ClaimPath::resolve_pointer_in(ptr, &claims);
            assert_eq!(p, ClaimPath::resolve_pointer(ptr, &doc), "{ptr}");
            assert!(p.is_ok_and(|p| p.exists_in(&claims)), "{ptr}");
        }
        for ptr in ["/x", "/a/b/2", "/a/b/01"] {
            assert_eq!(
                ClaimPath::resolve_pointer_in(ptr, &claims),
                Err(Error::PathNotFound { path: ptr.into() })
            );
        }
        let missing = ClaimPath::root().index(0);
        assert!(!missing.exists_in(&claims));
    }

    #[test]
    fn pointers_resolve_against_the_document() {
        let doc = json!({"a/b": {"~k": [10, 20]}, "": 1, "n": {"0": true}});
        let p = ClaimPath::resolve_pointer("/a~1b/~0k/1", &doc).unwrap_or_default();
        assert_eq!(p.to_string(), "/a~1b/~0k/1");
        assert_eq!(p.lookup(&doc), Some(&json!(20)));
        assert_eq!(
            ClaimPath::resolve_pointer("/", &doc).map(|p| p.len()),
            Ok(1)
        );
        // "0" on an object is a key.
        let k = ClaimPath::resolve_pointer("/n/0", &doc).unwrap_or_default();
        assert!(matches!(k.last(), Some(PathSegment::Key(_))));
        for bad in ["/a~1b/~0k/01", "/a~1b/~0k/2", "/missing", "/a~1b/~0k/-"] {
            assert_eq!(
                ClaimPath::resolve_pointer(bad, &doc),
                Err(Error::PathNotFound { path: bad.into() }),
                "{bad}"
            );
        }
        assert!(matches!(
            ClaimPath::resolve_pointer("a", &doc),
            Err(Error::InvalidPointer { .. })
        ));
        assert!(matches!(
            ClaimPath::resolve_pointer("/~2", &doc),
            Err(Error::InvalidPointer { .. })
        ));
    }
}
