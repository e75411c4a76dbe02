//! Claims path pointers (OpenID4VP 1.0 §7 Claims Path Pointer) and their processing over a
//! JSON-based credential (§7.1.1 Processing).

use core::fmt;

use sdjwt_core::{ClaimName, ClaimPath, PathSegment};
use serde_json::{Map, Value};

/// One component of a [`ClaimsPathPointer`] (OpenID4VP 1.0 §7.1 Semantics for JSON-based
/// credentials).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathElement {
    /// A string: the member of that name in the selected object(s).
    Key(String),
    /// A non-negative integer: the element at that index in the selected array(s).
    Index(u64),
    /// `null`: every element of the selected array(s).
    All,
}

impl PathElement {
    /// The element as it is written in a DCQL query.
    pub fn to_value(&self) -> Value {
        match self {
            Self::Key(k) => Value::String(k.clone()),
            Self::Index(i) => Value::from(*i),
            Self::All => Value::Null,
        }
    }
}

/// A claims path pointer (OpenID4VP 1.0 §7 Claims Path Pointer): a non-empty array of
/// strings, nulls and non-negative integers pointing at one or more claims of a credential.
///
/// The type does not enforce non-emptiness itself (it is built by the DCQL and policy parsers,
/// which do); [`ClaimsPathPointer::select`] on an empty pointer selects nothing and fails.
///
/// It prints as the JSON array it was written as, e.g. `["degrees",null,"type"]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimsPathPointer(Vec<PathElement>);

/// Why processing a claims path pointer over a credential failed (OpenID4VP 1.0 §7.1.1): each
/// case makes the claim count as absent from the credential.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PointerError {
    /// A string component met a selected element that is not an object (§7.1.1 step 2.1).
    NotAnObject {
        /// Zero-based position of the component in the pointer.
        component: usize,
    },
    /// A null or integer component met a selected element that is not an array
    /// (§7.1.1 steps 2.2 and 2.3).
    NotAnArray {
        /// Zero-based position of the component in the pointer.
        component: usize,
    },
    /// Nothing was left selected (§7.1.1 step 3): the claim is not in the credential.
    NothingSelected,
}

impl fmt::Display for PointerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAnObject { component } => {
                write!(
                    f,
                    "component {component} expects an object, found another value"
                )
            }
            Self::NotAnArray { component } => {
                write!(
                    f,
                    "component {component} expects an array, found another value"
                )
            }
            Self::NothingSelected => f.write_str("the pointer selects nothing"),
        }
    }
}

impl std::error::Error for PointerError {}

/// A selected element during processing: the claims object itself, or a value inside it.
#[derive(Clone, Copy)]
enum Node<'a> {
    Root(&'a Map<String, Value>),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    fn as_object(self) -> Option<&'a Map<String, Value>> {
        match self {
            Self::Root(m) | Self::Value(Value::Object(m)) => Some(m),
            Self::Value(_) => None,
        }
    }

    fn as_array(self) -> Option<&'a Vec<Value>> {
        match self {
            Self::Value(Value::Array(a)) => Some(a),
            _ => None,
        }
    }
}

impl ClaimsPathPointer {
    /// A pointer made of `elements`.
    pub fn new(elements: Vec<PathElement>) -> Self {
        Self(elements)
    }

    /// The components, left to right.
    pub fn elements(&self) -> &[PathElement] {
        &self.0
    }

    /// The number of components.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the pointer has no component (never true for a parsed pointer).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pointer as the JSON array it is written as in a DCQL query.
    pub fn to_value(&self) -> Value {
        Value::Array(self.0.iter().map(PathElement::to_value).collect())
    }

    /// Processes the pointer over a JSON-based credential's claims, exactly as OpenID4VP 1.0
    /// §7.1.1 (Processing) says, and returns every selected claim with its concrete location:
    ///
    /// 1. select the top-level object;
    /// 2. for each component, left to right:
    ///    1. a string selects that member of every selected element; a selected element that
    ///       is not an object is an error, one without the member leaves the selection;
    ///    2. null selects every element of every selected array; a selected element that is
    ///       not an array is an error;
    ///    3. an integer selects that index of every selected array; a selected element that is
    ///       not an array is an error, an array too short leaves the selection;
    /// 3. an empty selection is an error.
    ///
    /// Member names RFC 9901 reserves (`_sd`, `...`) never name a claim of a processed
    /// credential, so they select nothing.
    ///
    /// The work is bounded by the document: every selected element is a distinct node of it.
    ///
    /// # Errors
    ///
    /// [`PointerError`], the cases above.
    pub fn select<'a>(
        &self,
        claims: &'a Map<String, Value>,
    ) -> Result<Vec<(ClaimPath, &'a Value)>, PointerError> {
        let mut selection: Vec<(ClaimPath, Node<'a>)> =
            vec![(ClaimPath::root(), Node::Root(claims))];
        for (component, element) in self.0.iter().enumerate() {
            let mut next = Vec::new();
            for (path, node) in selection {
                match element {
                    PathElement::Key(key) => {
                        let object = node
                            .as_object()
                            .ok_or(PointerError::NotAnObject { component })?;
                        if let Some(value) = object.get(key)
                            && let Ok(name) = ClaimName::new(key.clone())
                        {
                            next.push((path.key(name), Node::Value(value)));
                        }
                    }
                    PathElement::All => {
                        let array = node
                            .as_array()
                            .ok_or(PointerError::NotAnArray { component })?;
                        for (i, value) in array.iter().enumerate() {
                            next.push((path.clone().index(i), Node::Value(value)));
                        }
                    }
                    PathElement::Index(index) => {
                        let array = node
                            .as_array()
                            .ok_or(PointerError::NotAnArray { component })?;
                        let found = usize::try_from(*index)
                            .ok()
                            .and_then(|i| array.get(i).map(|v| (i, v)));
                        if let Some((i, value)) = found {
                            next.push((path.index(i), Node::Value(value)));
                        }
                    }
                }
            }
            selection = next;
        }
        let selected: Vec<(ClaimPath, &'a Value)> = selection
            .into_iter()
            .filter_map(|(path, node)| match node {
                Node::Value(v) => Some((path, v)),
                // Only an empty pointer leaves the root selected; it names no claim.
                Node::Root(_) => None,
            })
            .collect();
        if selected.is_empty() {
            return Err(PointerError::NothingSelected);
        }
        Ok(selected)
    }

    /// Whether this pointer, as an allowance, covers `requested`: it is a prefix of it
    /// component by component, where a key covers the same key, an index the same index, and
    /// null any index or null. A requested null is covered only by null (or by a shorter
    /// prefix), since it asks for every element.
    pub fn covers(&self, requested: &Self) -> bool {
        self.0.len() <= requested.0.len()
            && self
                .0
                .iter()
                .zip(&requested.0)
                .all(|(allowed, asked)| match (allowed, asked) {
                    (PathElement::Key(a), PathElement::Key(b)) => a == b,
                    (PathElement::Index(a), PathElement::Index(b)) => a == b,
                    (PathElement::All, PathElement::Index(_) | PathElement::All) => true,
                    _ => false,
                })
    }

    /// The pointer naming exactly `path` (keys and indices, no null).
    pub fn from_claim_path(path: &ClaimPath) -> Self {
        Self(
            path.segments()
                .iter()
                .map(|s| match s {
                    PathSegment::Key(k) => PathElement::Key(k.as_str().to_owned()),
                    PathSegment::Index(i) => {
                        PathElement::Index(u64::try_from(*i).unwrap_or(u64::MAX))
                    }
                })
                .collect(),
        )
    }
}

impl From<Vec<PathElement>> for ClaimsPathPointer {
    fn from(elements: Vec<PathElement>) -> Self {
        Self(elements)
    }
}

impl fmt::Display for ClaimsPathPointer {
    /// The pointer as compact JSON, e.g. `["address","street_address"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value().to_string())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pointer(v: Value) -> ClaimsPathPointer {
        let elements = v
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| match e {
                        Value::String(s) => PathElement::Key(s.clone()),
                        Value::Number(n) => PathElement::Index(n.as_u64().unwrap_or(u64::MAX)),
                        _ => PathElement::All,
                    })
                    .collect()
            })
            .unwrap_or_default();
        ClaimsPathPointer::new(elements)
    }

    /// The credential of OpenID4VP 1.0 §7.3 Claims Path Pointer Example.
    fn example() -> Map<String, Value> {
        json!({
            "name": "Arthur Dent",
            "address": {"street_address": "42 Market Street", "locality": "Milliways", "postal_code": "12345"},
            "degrees": [
                {"type": "Bachelor of Science", "university": "University of Betelgeuse"},
                {"type": "Master of Science", "university": "University of Betelgeuse"}
            ],
            "nationalities": ["British", "Betelgeusian"]
        })
        .as_object()
        .cloned()
        .unwrap_or_default()
    }

    fn selected(p: Value) -> Result<Vec<(String, Value)>, PointerError> {
        let claims = example();
        pointer(p).select(&claims).map(|v| {
            v.into_iter()
                .map(|(p, v)| (p.to_string(), v.clone()))
                .collect()
        })
    }

    #[test]
    fn the_specification_examples_select_what_it_says() {
        assert_eq!(
            selected(json!(["name"])),
            Ok(vec![("/name".into(), json!("Arthur Dent"))])
        );
        assert_eq!(
            selected(json!(["address", "street_address"])),
            Ok(vec![(
                "/address/street_address".into(),
                json!("42 Market Street")
            )])
        );
        assert_eq!(
            selected(json!(["degrees", null, "type"])),
            Ok(vec![
                ("/degrees/0/type".into(), json!("Bachelor of Science")),
                ("/degrees/1/type".into(), json!("Master of Science")),
            ])
        );
        assert_eq!(
            selected(json!(["nationalities", 1])),
            Ok(vec![("/nationalities/1".into(), json!("Betelgeusian"))])
        );
        assert_eq!(selected(json!(["address"])).map(|v| v.len()), Ok(1));
    }

    #[test]
    fn processing_errors_follow_section_7_1_1() {
        assert_eq!(
            selected(json!(["name", "x"])),
            Err(PointerError::NotAnObject { component: 1 })
        );
        assert_eq!(
            selected(json!(["address", null])),
            Err(PointerError::NotAnArray { component: 1 })
        );
        assert_eq!(
            selected(json!(["address", 0])),
            Err(PointerError::NotAnArray { component: 1 })
        );
        assert_eq!(
            selected(json!(["nope"])),
            Err(PointerError::NothingSelected)
        );
        assert_eq!(
            selected(json!(["nationalities", 2])),
            Err(PointerError::NothingSelected)
        );
        assert_eq!(
            selected(json!(["degrees", null, "missing"])),
            Err(PointerError::NothingSelected)
        );
        assert_eq!(selected(json!([])), Err(PointerError::NothingSelected));
        // The root is an object: an index on it is an error, not an absence.
        assert_eq!(
            selected(json!([0])),
            Err(PointerError::NotAnArray { component: 0 })
        );
    }

    #[test]
    fn coverage_is_prefix_with_null_covering_indices() {
        let cases = [
            (json!(["address"]), json!(["address", "locality"]), true),
            (json!(["address"]), json!(["address"]), true),
            (json!(["address", "locality"]), json!(["address"]), false),
            (json!(["a", null]), json!(["a", 3]), true),
            (json!(["a", null]), json!(["a", null, "b"]), true),
            (json!(["a", 3]), json!(["a", 3]), true),
            (json!(["a", 3]), json!(["a", 4]), false),
            (json!(["a", 3]), json!(["a", null]), false),
            (json!(["a"]), json!(["a", null]), true),
            (json!(["a", "0"]), json!(["a", 0]), false),
            (json!(["b"]), json!(["a"]), false),
        ];
        for (allowed, asked, want) in cases {
            assert_eq!(
                pointer(allowed.clone()).covers(&pointer(asked.clone())),
                want,
                "{allowed} covers {asked}"
            );
        }
    }

    #[test]
    fn display_is_compact_json() {
        assert_eq!(
            pointer(json!(["degrees", null, 1])).to_string(),
            r#"["degrees",null,1]"#
        );
    }
}
