//! Validating a credential against claim metadata (draft-ietf-oauth-sd-jwt-vc §5.6, §5.6.1.2)
//! and the registered claims that must never be selectively disclosable (§2.2.2.3).
//!
//! Claim metadata paths address the credential "as issued": array indices count elements the
//! holder did not disclose, and `sd` asks whether a claim is *itself* a Disclosure. Neither can
//! be read off the Processed SD-JWT Payload, so this module rebuilds an annotated view of the
//! credential: every object member and array element with a flag saying whether a Disclosure
//! carried it, undisclosed array elements kept as placeholders, and per object the number of
//! digests that stayed hidden.

use std::collections::{BTreeMap, BTreeSet};

use sdjwt_core::{ClaimPath, DisclosedClaim, Disclosure, DisclosureKind, PathSegment, SdJwt};
use serde_json::{Map, Value};

use crate::error::Error;
use crate::type_metadata::{ClaimMetadata, PathComponent, SdRule};

/// Registered claims that must not be selectively disclosed, nor any of their sub-claims
/// (draft-ietf-oauth-sd-jwt-vc §2.2.2.3).
pub const NEVER_DISCLOSABLE: &[&str] = &[
    "iss",
    "nbf",
    "exp",
    "cnf",
    "vct",
    "vct#integrity",
    "aka_vcts",
    "status",
];

/// Whether `path` is, or lies under, a claim of [`NEVER_DISCLOSABLE`].
pub fn is_never_disclosable(path: &ClaimPath) -> bool {
    matches!(
        path.segments().first(),
        Some(PathSegment::Key(name)) if NEVER_DISCLOSABLE.contains(&name.as_str())
    )
}

/// A node of the annotated credential.
#[derive(Debug)]
enum Node {
    Object {
        members: Vec<(String, Member)>,
        /// Digests in this object's `_sd` with no Disclosure (withheld claims or decoys).
        hidden: usize,
    },
    Array(Vec<Element>),
    Scalar,
}

#[derive(Debug)]
struct Member {
    node: Node,
    disclosed: bool,
}

#[derive(Debug)]
enum Element {
    Known {
        node: Node,
        disclosed: bool,
    },
    /// An element whose Disclosure was not presented: present as issued, always selectively
    /// disclosable, contents unknown.
    Withheld,
}

/// The annotated credential, ready to evaluate claim metadata against.
#[derive(Debug)]
pub struct AnnotatedCredential {
    root: Node,
    /// Whether every Disclosure is known (issuer, or holder with the full credential): then a
    /// missing claim is known to be missing, since remaining digests can only be decoys.
    complete: bool,
}

impl AnnotatedCredential {
    /// Annotates a processed SD-JWT (or SD-JWT+KB) with the Disclosures that processing
    /// matched, as [`VerifiedPresentation::disclosed`](sdjwt_verifier::VerifiedPresentation)
    /// or the holder's `Credential::disclosed` report them: no digest is computed again.
    ///
    /// Call it only on an SD-JWT that passed RFC 9901 §7.1 processing with these results; the
    /// structural checks are not repeated. `complete` says whether these are all the
    /// Disclosures the issuer made (a holder's own credential) or possibly a subset (a
    /// presentation).
    pub fn from_processed(sd_jwt: &SdJwt, disclosed: &[DisclosedClaim], complete: bool) -> Self {
        let all = sd_jwt.disclosures();
        let by_digest: BTreeMap<&str, &Disclosure> = disclosed
            .iter()
            .filter_map(|d| Some((d.digest.as_str(), all.get(d.disclosure)?)))
            .collect();
        let root = annotate_object(sd_jwt.payload(), &by_digest, 0);
        Self { root, complete }
    }

    /// Annotates an issuer's input: `claims` in plaintext, with the paths it will make
    /// selectively disclosable.
    pub fn from_issuer_input(claims: &Map<String, Value>, disclosed: &BTreeSet<ClaimPath>) -> Self {
        let mut path = ClaimPath::root();
        let root = annotate_plain_object(claims, disclosed, &mut path, 0);
        Self {
            root,
            complete: true,
        }
    }

    /// Checks every claim metadata entry (§5.6, validation rules): a path that cannot be
    /// processed, a mandatory claim known to be missing, a claim whose disclosability breaks
    /// its `sd` rule.
    ///
    /// A claim that may simply not have been disclosed is never counted as missing (§5.6:
    /// absence from a presentation is not evidence).
    ///
    /// # Errors
    ///
    /// [`Error::ClaimPathError`], [`Error::MandatoryClaimMissing`],
    /// [`Error::SelectiveDisclosureRule`].
    pub fn validate(&self, claims: &[ClaimMetadata]) -> Result<(), Error> {
        for meta in claims {
            let outcome = self.select(meta)?;
            if meta.mandatory() && outcome.certainly_missing {
                return Err(Error::MandatoryClaimMissing {
                    path: meta.path.to_string(),
                });
            }
            let rule = meta.sd();
            for disclosed in outcome.selected {
                let broken = match rule {
                    SdRule::Always => !disclosed,
                    SdRule::Never => disclosed,
                    SdRule::Allowed => false,
                };
                if broken {
                    return Err(Error::SelectiveDisclosureRule {
                        path: meta.path.to_string(),
                        rule: rule.name(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Evaluates one path as §5.6.1.2 prescribes.
    fn select(&self, meta: &ClaimMetadata) -> Result<Selection, Error> {
        enum Sel<'n> {
            Node(&'n Node, bool),
            Withheld,
        }
        let path_error = |reason: &str| Error::ClaimPathError {
            path: meta.path.to_string(),
            reason: reason.to_owned(),
        };
        let mut selected = vec![Sel::Node(&self.root, false)];
        let mut certainly_missing = false;
        for component in meta.path.components() {
            let mut next = Vec::new();
            for sel in selected {
                let node = match sel {
                    Sel::Node(node, _) => node,
                    // Contents unknown: deeper components select nothing from it.
                    Sel::Withheld => continue,
                };
                match (component, node) {
                    (PathComponent::Key(key), Node::Object { members, hidden }) => {
                        match members.iter().find(|(k, _)| k == key) {
                            Some((_, m)) => next.push(Sel::Node(&m.node, m.disclosed)),
                            None => certainly_missing |= self.complete || *hidden == 0,
                        }
                    }
                    (PathComponent::Key(_), _) => {
                        return Err(path_error("a string component selects from a non-object"));
                    }
                    (PathComponent::AllElements, Node::Array(elements)) => {
                        next.extend(elements.iter().map(|e| match e {
                            Element::Known { node, disclosed } => Sel::Node(node, *disclosed),
                            Element::Withheld => Sel::Withheld,
                        }));
                    }
                    (PathComponent::Index(i), Node::Array(elements)) => {
                        match usize::try_from(*i).ok().and_then(|i| elements.get(i)) {
                            Some(Element::Known { node, disclosed }) => {
                                next.push(Sel::Node(node, *disclosed));
                            }
                            Some(Element::Withheld) => next.push(Sel::Withheld),
                            // Arrays keep every element as issued, so the length is known.
                            None => certainly_missing = true,
                        }
                    }
                    (_, _) => {
                        return Err(path_error(
                            "a null or index component selects from a non-array",
                        ));
                    }
                }
            }
            selected = next;
        }
        Ok(Selection {
            selected: selected
                .into_iter()
                .map(|s| match s {
                    Sel::Node(_, disclosed) => disclosed,
                    Sel::Withheld => true,
                })
                .collect(),
            certainly_missing,
        })
    }
}

/// The result of evaluating a path: for each selected claim whether it is selectively
/// disclosable, and whether some branch was dropped for a claim known to be absent.
struct Selection {
    selected: Vec<bool>,
    certainly_missing: bool,
}

/// Deeper than this, the annotation stops descending (the SD-JWT was already bounded by the
/// verifier's `Limits`; this only guards direct callers).
const MAX_DEPTH: usize = 128;

fn annotate_payload(value: &Value, by_digest: &BTreeMap<&str, &Disclosure>, depth: usize) -> Node {
    if depth > MAX_DEPTH {
        return Node::Scalar;
    }
    match value {
        Value::Object(object) => annotate_object(object, by_digest, depth),
        Value::Array(items) => Node::Array(
            items
                .iter()
                .map(|item| match array_digest(item) {
                    Some(digest) => match by_digest.get(digest) {
                        Some(d) => Element::Known {
                            node: annotate_payload(d.value(), by_digest, depth + 1),
                            disclosed: true,
                        },
                        None => Element::Withheld,
                    },
                    None => Element::Known {
                        node: annotate_payload(item, by_digest, depth + 1),
                        disclosed: false,
                    },
                })
                .collect(),
        ),
        _ => Node::Scalar,
    }
}

fn annotate_object(
    object: &Map<String, Value>,
    by_digest: &BTreeMap<&str, &Disclosure>,
    depth: usize,
) -> Node {
    let mut members = Vec::new();
    let mut hidden = 0;
    for (key, member) in object {
        if key == "_sd" {
            for digest in member.as_array().into_iter().flatten() {
                match digest.as_str().and_then(|d| by_digest.get(d)) {
                    Some(d) => {
                        if let DisclosureKind::Property { name, value } = d.kind() {
                            members.push((
                                name.clone(),
                                Member {
                                    node: annotate_payload(value, by_digest, depth + 1),
                                    disclosed: true,
                                },
                            ));
                        }
                    }
                    None => hidden += 1,
                }
            }
        } else if !(depth == 0 && key == "_sd_alg") {
            members.push((
                key.clone(),
                Member {
                    node: annotate_payload(member, by_digest, depth + 1),
                    disclosed: false,
                },
            ));
        }
    }
    Node::Object { members, hidden }
}

/// The digest of an array element `{"...": "<digest>"}` (RFC 9901 §4.2.4.2).
fn array_digest(item: &Value) -> Option<&str> {
    let object = item.as_object()?;
    if object.len() != 1 {
        return None;
    }
    object.get("...")?.as_str()
}

fn annotate_plain(
    value: &Value,
    disclosed: &BTreeSet<ClaimPath>,
    path: &mut ClaimPath,
    depth: usize,
) -> Node {
    if depth > MAX_DEPTH {
        return Node::Scalar;
    }
    match value {
        Value::Object(object) => annotate_plain_object(object, disclosed, path, depth),
        Value::Array(items) => {
            let mut elements = Vec::new();
            for (i, item) in items.iter().enumerate() {
                path.push(PathSegment::Index(i));
                let flag = disclosed.contains(path);
                let node = annotate_plain(item, disclosed, path, depth + 1);
                path.pop();
                elements.push(Element::Known {
                    node,
                    disclosed: flag,
                });
            }
            Node::Array(elements)
        }
        _ => Node::Scalar,
    }
}

fn annotate_plain_object(
    object: &Map<String, Value>,
    disclosed: &BTreeSet<ClaimPath>,
    path: &mut ClaimPath,
    depth: usize,
) -> Node {
    let mut members = Vec::new();
    for (key, member) in object {
        let Ok(name) = sdjwt_core::ClaimName::new(key.clone()) else {
            continue;
        };
        path.push(PathSegment::Key(name));
        let flag = disclosed.contains(path);
        let node = annotate_plain(member, disclosed, path, depth + 1);
        path.pop();
        members.push((
            key.clone(),
            Member {
                node,
                disclosed: flag,
            },
        ));
    }
    Node::Object { members, hidden: 0 }
}
