//! RFC 9901 §7.1 steps 3 to 5: matching Disclosures to digests and rebuilding the payload.

use sdjwt_jose::json::tree::{Kind, TreeRef};
use sdjwt_jose::{CryptoProvider, HashAlgorithm};
use serde_json::{Map, Value};

use crate::claim::{ClaimName, ClaimPath, PathSegment};
use crate::disclosure::{Digest, Disclosure, DisclosureKind};
use crate::error::Error;
use crate::limits::{Limit, Limits};

/// The result of §7.1 processing: the Processed SD-JWT Payload and what was disclosed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ProcessedPayload {
    /// The payload with every disclosed claim in place and no `_sd`, `_sd_alg` or `...` left.
    pub claims: Map<String, Value>,
    /// One entry per Disclosure, in the order they were reached in the payload.
    pub disclosed: Vec<DisclosedClaim>,
    /// How many digests had no matching Disclosure (undisclosed claims and decoys together).
    pub undisclosed_digests: usize,
    /// The hash algorithm from `_sd_alg` (or the sha-256 default).
    pub hash_algorithm: HashAlgorithm,
}

/// Where one Disclosure landed in the processed payload.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DisclosedClaim {
    /// Its path in the processed payload.
    pub path: ClaimPath,
    /// Its digest.
    pub digest: Digest,
    /// Its position in the Disclosures given to [`process`].
    pub disclosure: usize,
    /// The position of the Disclosure whose value contained its digest, if any (for recursive
    /// disclosures); `None` when the digest is in the Issuer-signed payload itself.
    pub parent: Option<usize>,
}

/// Reads `_sd_alg` from the top level of an Issuer-signed JWT payload (RFC 9901 §4.1.1),
/// defaulting to sha-256.
///
/// # Errors
///
/// [`Error::SdAlgNotString`], or [`sdjwt_jose::Error::UnknownHashAlgorithm`] inside
/// [`Error::Jose`].
pub fn hash_algorithm(payload: &Map<String, Value>) -> Result<HashAlgorithm, Error> {
    hash_algorithm_in(ValueRef::Map(payload))
}

/// [`hash_algorithm`] over any view of the payload.
pub(crate) fn hash_algorithm_in<'a>(payload: impl View<'a>) -> Result<HashAlgorithm, Error> {
    match payload.get("_sd_alg") {
        None => Ok(HashAlgorithm::Sha256),
        Some(alg) => match alg.as_str() {
            Some(name) => Ok(name.parse()?),
            None => Err(Error::SdAlgNotString),
        },
    }
}

/// Processes the Disclosures against the Issuer-signed JWT payload as RFC 9901 §7.1 step 3
/// prescribes, enforcing steps 4 (no digest twice) and 5 (no unreferenced Disclosure).
///
/// Signature checking (step 2) and validity claims (step 6) are the caller's: see the holder and
/// verifier crates.
///
/// # Errors
///
/// Every rule has its own [`Error`] variant; see the variants documented under "Processing".
pub fn process(
    payload: &Map<String, Value>,
    disclosures: &[Disclosure],
    provider: &CryptoProvider,
    limits: &Limits,
) -> Result<ProcessedPayload, Error> {
    process_in(ValueRef::Map(payload), disclosures, provider, limits)
}

/// [`process`] over any view of the payload: [`crate::SdJwt`] reads its parsed payload in place.
pub(crate) fn process_in<'a>(
    payload: impl View<'a>,
    disclosures: &'a [Disclosure],
    provider: &CryptoProvider,
    limits: &Limits,
) -> Result<ProcessedPayload, Error> {
    if disclosures.len() > limits.max_disclosures {
        return Err(Error::LimitExceeded {
            limit: Limit::Disclosures,
            max: limits.max_disclosures,
        });
    }
    let hash_algorithm = hash_algorithm_in(payload)?;
    // Step 3.a: the digest of every Disclosure, over its base64url text.
    let digests = disclosures
        .iter()
        .map(|d| d.digest(provider, hash_algorithm))
        .collect::<Result<Vec<Digest>, Error>>()?;
    // Sorted by digest text, for binary search while walking: no hashing, no allocation per
    // digest, and no attacker-chosen input can make a lookup slower than O(log n).
    let mut by_digest: Vec<(&str, usize)> = digests
        .iter()
        .enumerate()
        .map(|(i, d)| (d.as_str(), i))
        .collect();
    by_digest.sort_unstable();
    if let Some(pair) = by_digest.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(Error::DuplicateDisclosure {
            digest: pair[0].0.to_owned(),
        });
    }
    let mut walker = Walker {
        disclosures,
        digests: &digests,
        by_digest,
        unmatched: Vec::new(),
        used: vec![false; disclosures.len()],
        disclosed: Vec::new(),
        undisclosed: 0,
        limits,
    };
    let mut path = ClaimPath::root();
    // The payload is walked in place: only what ends up in the result is copied.
    let claims = walker.object(payload, 1, &mut path, None, true)?;
    // Step 4 for the digests without a Disclosure (those with one were checked as they came).
    walker.check_unmatched()?;
    // Step 5: every Disclosure must have been reached.
    if let Some(i) = walker.used.iter().position(|u| !u) {
        return Err(Error::UnreferencedDisclosure {
            digest: digests[i].as_str().to_owned(),
        });
    }
    Ok(ProcessedPayload {
        claims,
        disclosed: walker.disclosed,
        undisclosed_digests: walker.undisclosed,
        hash_algorithm,
    })
}

/// The first eight bytes of a digest as a number (zero-padded): a cheap sort key that orders
/// digests almost completely before their full text is compared.
fn prefix(digest: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let head = &digest.as_bytes()[..digest.len().min(8)];
    bytes[..head.len()].copy_from_slice(head);
    u64::from_be_bytes(bytes)
}

/// A JSON value the walk reads without copying: the parsed payload of an [`crate::SdJwt`] read in
/// place, or a `serde_json` value (a payload given as a map, or a value inside a Disclosure).
pub(crate) trait View<'a>: Copy {
    /// Object, array, or anything else.
    fn kind(self) -> Kind;
    /// An object's member.
    fn get(self, name: &str) -> Option<Self>;
    /// How many members or elements.
    fn len(self) -> usize;
    /// An object's members, in order.
    fn members(self) -> impl Iterator<Item = (&'a str, Self)>;
    /// An array's elements, in order.
    fn items(self) -> impl Iterator<Item = Self>;
    /// The string, if this is one.
    fn as_str(self) -> Option<&'a str>;
    /// A copy, for the processed payload.
    fn to_value(self) -> Value;
}

impl<'a> View<'a> for TreeRef<'a> {
    fn kind(self) -> Kind {
        TreeRef::kind(self)
    }

    fn get(self, name: &str) -> Option<Self> {
        TreeRef::get(self, name)
    }

    fn len(self) -> usize {
        TreeRef::len(self)
    }

    fn members(self) -> impl Iterator<Item = (&'a str, Self)> {
        TreeRef::members(self)
    }

    fn items(self) -> impl Iterator<Item = Self> {
        TreeRef::items(self)
    }

    fn as_str(self) -> Option<&'a str> {
        TreeRef::as_str(self)
    }

    fn to_value(self) -> Value {
        TreeRef::to_value(self)
    }
}

/// A `serde_json` value, or a map standing for an object.
#[derive(Clone, Copy)]
pub(crate) enum ValueRef<'a> {
    Map(&'a Map<String, Value>),
    Value(&'a Value),
}

impl<'a> ValueRef<'a> {
    fn map(self) -> Option<&'a Map<String, Value>> {
        match self {
            Self::Map(m) | Self::Value(Value::Object(m)) => Some(m),
            Self::Value(_) => None,
        }
    }
}

impl<'a> View<'a> for ValueRef<'a> {
    fn kind(self) -> Kind {
        match self {
            Self::Map(_) | Self::Value(Value::Object(_)) => Kind::Object,
            Self::Value(Value::Array(_)) => Kind::Array,
            Self::Value(Value::String(_)) => Kind::String,
            Self::Value(Value::Number(_)) => Kind::Number,
            Self::Value(Value::Bool(_)) => Kind::Bool,
            Self::Value(Value::Null) => Kind::Null,
        }
    }

    fn get(self, name: &str) -> Option<Self> {
        self.map()?.get(name).map(Self::Value)
    }

    fn len(self) -> usize {
        match self {
            Self::Value(Value::Array(a)) => a.len(),
            _ => self.map().map_or(0, Map::len),
        }
    }

    fn members(self) -> impl Iterator<Item = (&'a str, Self)> {
        self.map()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), Self::Value(v)))
    }

    fn items(self) -> impl Iterator<Item = Self> {
        let items: &'a [Value] = match self {
            Self::Value(Value::Array(a)) => a,
            _ => &[],
        };
        items.iter().map(Self::Value)
    }

    fn as_str(self) -> Option<&'a str> {
        match self {
            Self::Value(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    fn to_value(self) -> Value {
        match self {
            Self::Map(m) => Value::Object(m.clone()),
            Self::Value(v) => v.clone(),
        }
    }
}

/// The walk over a payload whose text lives for `'a`, with working state that lives for `'w`.
struct Walker<'a, 'w> {
    disclosures: &'a [Disclosure],
    digests: &'w [Digest],
    /// The Disclosures' digests with their positions, sorted by digest text.
    by_digest: Vec<(&'w str, usize)>,
    /// Digests met so far that match no Disclosure (matched ones are tracked by `used`), to
    /// enforce step 4 once the walk is over.
    unmatched: Vec<&'a str>,
    used: Vec<bool>,
    disclosed: Vec<DisclosedClaim>,
    undisclosed: usize,
    limits: &'w Limits,
}

impl<'a> Walker<'a, '_> {
    fn value(
        &mut self,
        v: impl View<'a>,
        depth: usize,
        path: &mut ClaimPath,
        parent: Option<usize>,
    ) -> Result<Value, Error> {
        Ok(match v.kind() {
            Kind::Object => Value::Object(self.object(v, depth + 1, path, parent, false)?),
            Kind::Array => Value::Array(self.array(v, depth + 1, path, parent)?),
            _ => v.to_value(),
        })
    }

    /// Processes a plaintext member or element. Only objects and arrays can hold digests, so the
    /// path is extended (and its segment built) only for them.
    fn child(
        &mut self,
        v: impl View<'a>,
        depth: usize,
        path: &mut ClaimPath,
        segment: impl FnOnce() -> PathSegment,
        parent: Option<usize>,
    ) -> Result<Value, Error> {
        if !matches!(v.kind(), Kind::Object | Kind::Array) {
            return Ok(v.to_value());
        }
        path.push(segment());
        let v = self.value(v, depth, path, parent)?;
        path.pop();
        Ok(v)
    }

    fn check_depth(&self, depth: usize) -> Result<(), Error> {
        if depth > self.limits.max_depth {
            return Err(Error::LimitExceeded {
                limit: Limit::Depth,
                max: self.limits.max_depth,
            });
        }
        Ok(())
    }

    fn check_len(&self, len: usize) -> Result<(), Error> {
        if len > self.limits.max_array_len {
            return Err(Error::LimitExceeded {
                limit: Limit::ArrayLength,
                max: self.limits.max_array_len,
            });
        }
        Ok(())
    }

    /// Step 4: a digest may occur only once in the whole SD-JWT. Returns the matching
    /// Disclosure, if any. A digest with a Disclosure is checked here; one without is kept for
    /// [`Walker::check_unmatched`].
    fn see(&mut self, digest: &'a str) -> Result<Option<usize>, Error> {
        if let Ok(at) = self.by_digest.binary_search_by(|(d, _)| (*d).cmp(digest)) {
            let i = self.by_digest[at].1;
            if std::mem::replace(&mut self.used[i], true) {
                return Err(Error::DuplicateDigest {
                    digest: digest.to_owned(),
                });
            }
            return Ok(Some(i));
        }
        self.unmatched.push(digest);
        // Step 3.c.i: a digest without a Disclosure is ignored (undisclosed or decoy).
        self.undisclosed += 1;
        Ok(None)
    }

    /// Step 4 for the digests that matched no Disclosure: sorted (by a numeric prefix, then by
    /// text), any repeat sits next to its twin. O(n log n) whatever the input.
    fn check_unmatched(&mut self) -> Result<(), Error> {
        let mut keyed: Vec<(u64, &str)> = self.unmatched.iter().map(|d| (prefix(d), *d)).collect();
        keyed.sort_unstable();
        // Comparing the pairs looks at the prefixes first, so the text is read only on a tie.
        match keyed.windows(2).find(|w| w[0] == w[1]) {
            Some(pair) => Err(Error::DuplicateDigest {
                digest: pair[0].1.to_owned(),
            }),
            None => Ok(()),
        }
    }

    fn digest_text(&self, disclosure: usize) -> String {
        self.digests[disclosure].as_str().to_owned()
    }

    fn record(&mut self, path: &ClaimPath, disclosure: usize, parent: Option<usize>) {
        self.disclosed.push(DisclosedClaim {
            path: path.clone(),
            digest: self.digests[disclosure].clone(),
            disclosure,
            parent,
        });
    }

    fn object(
        &mut self,
        map: impl View<'a>,
        depth: usize,
        path: &mut ClaimPath,
        parent: Option<usize>,
        top: bool,
    ) -> Result<Map<String, Value>, Error> {
        self.check_depth(depth)?;
        let (mut sd, mut sd_alg, mut ellipsis) = (None, false, false);
        for (key, v) in map.members() {
            match key {
                "_sd" => sd = Some(v),
                "_sd_alg" => sd_alg = true,
                "..." => ellipsis = true,
                _ => {}
            }
        }
        // Step 3.f: `_sd_alg` was read by the caller; it is not part of the result.
        if !top && sd_alg {
            return Err(Error::SdAlgNotTopLevel);
        }
        if ellipsis {
            return Err(Error::MisplacedEllipsis);
        }
        let mut out = Map::with_capacity(map.len());
        for (key, v) in members_in_result_order(map, top, sd.is_some() || (top && sd_alg)) {
            let v = self.child(
                v,
                depth,
                path,
                || PathSegment::Key(ClaimName::unchecked(key.to_owned())),
                parent,
            )?;
            out.insert(key.to_owned(), v);
        }
        let Some(sd) = sd else { return Ok(out) };
        // Step 3.b.i: `_sd` must be an array of strings.
        if sd.kind() != Kind::Array {
            return Err(Error::SdNotArray);
        }
        self.check_len(sd.len())?;
        // Most digests of a presentation match no Disclosure (one revealed claim of many).
        self.unmatched.reserve(sd.len());
        let disclosures = self.disclosures;
        for item in sd.items() {
            let Some(digest) = item.as_str() else {
                return Err(Error::SdElementNotString);
            };
            let Some(i) = self.see(digest)? else {
                continue;
            };
            let DisclosureKind::Property { name, value } = disclosures[i].kind() else {
                // Step 3.c.ii.1.
                return Err(Error::WrongDisclosureKind {
                    digest: self.digest_text(i),
                    expected_array_element: false,
                });
            };
            // Step 3.c.ii.3 (3.c.ii.2, reserved names, was enforced when parsing).
            if out.contains_key(name) {
                return Err(Error::ClaimNameCollision { name: name.clone() });
            }
            path.push(PathSegment::Key(ClaimName::unchecked(name.clone())));
            self.record(path, i, parent);
            // Step 3.c.ii.5: recurse into the disclosed value.
            let v = self.value(ValueRef::Value(value), depth, path, Some(i))?;
            path.pop();
            out.insert(name.clone(), v);
        }
        Ok(out)
    }

    fn array(
        &mut self,
        items: impl View<'a>,
        depth: usize,
        path: &mut ClaimPath,
        parent: Option<usize>,
    ) -> Result<Vec<Value>, Error> {
        self.check_depth(depth)?;
        self.check_len(items.len())?;
        let disclosures = self.disclosures;
        let mut out = Vec::with_capacity(items.len());
        for item in items.items() {
            let digest = match item.kind() {
                Kind::Object => item.get("..."),
                _ => None,
            };
            let Some(digest) = digest else {
                let index = out.len();
                let v = self.child(item, depth, path, || PathSegment::Index(index), parent)?;
                out.push(v);
                continue;
            };
            if item.len() != 1 {
                return Err(Error::ArrayDigestExtraMembers);
            }
            let Some(digest) = digest.as_str() else {
                return Err(Error::ArrayDigestNotString);
            };
            // Step 3.d: an element whose digest has no Disclosure is removed.
            let Some(i) = self.see(digest)? else {
                continue;
            };
            let DisclosureKind::ArrayElement { value } = disclosures[i].kind() else {
                // Step 3.c.iii.1.
                return Err(Error::WrongDisclosureKind {
                    digest: self.digest_text(i),
                    expected_array_element: true,
                });
            };
            path.push(PathSegment::Index(out.len()));
            self.record(path, i, parent);
            let v = self.value(ValueRef::Value(value), depth, path, Some(i))?;
            path.pop();
            out.push(v);
        }
        Ok(out)
    }
}

/// The members of `map` that go into the processed object (all but `_sd`, and `_sd_alg` at the
/// top), in the order processing has always produced: that of the map after removing `_sd_alg`
/// (top level only) and then `_sd` from it, where a removal moves the last member into the
/// removed one's place. `removes` says whether there is anything to remove.
fn members_in_result_order<'a, V: View<'a>>(
    map: V,
    top: bool,
    removes: bool,
) -> impl Iterator<Item = (&'a str, V)> {
    let removed = |k: &str| k == "_sd" || (top && k == "_sd_alg");
    // Without `_sd` or `_sd_alg` nothing moves (the common case below the top level).
    let mut order: Option<Vec<(&'a str, V)>> = None;
    if removes {
        let mut members: Vec<(&'a str, V)> = map.members().collect();
        for name in ["_sd_alg", "_sd"] {
            if let Some(at) = members.iter().position(|(k, _)| *k == name)
                && removed(name)
            {
                members.swap_remove(at);
            }
        }
        order = Some(members);
    }
    let (plain, reordered) = match order {
        Some(members) => (None, Some(members.into_iter())),
        None => (Some(map.members()), None),
    };
    plain
        .into_iter()
        .flatten()
        .chain(reordered.into_iter().flatten())
}
