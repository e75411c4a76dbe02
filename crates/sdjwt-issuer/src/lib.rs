//! The Issuer role of RFC 9901: turn a JSON claims object and a selection of claim paths into a
//! signed SD-JWT.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
//! use sdjwt_core::ClaimPath;
//! use sdjwt_issuer::SdJwtBuilder;
//! use sdjwt_jose::JwsAlgorithm;
//! use serde_json::json;
//!
//! let issuer_key = provider.generate_key(JwsAlgorithm::Es256)?;
//! let holder_key = provider.generate_key(JwsAlgorithm::Es256)?;
//! let signer = provider.signer(&issuer_key, JwsAlgorithm::Es256)?;
//!
//! let claims = json!({"given_name": "Ada", "right_to_work": true});
//! let claims = claims.as_object().cloned().unwrap_or_default();
//! let right_to_work = ClaimPath::resolve_pointer("/right_to_work", &claims.clone().into())?;
//! let sd_jwt = SdJwtBuilder::new(claims)
//!     .issuer("https://identity.example")
//!     .issued_at(1_700_000_000)
//!     .disclose(right_to_work)
//!     .holder_key(&holder_key.to_public())
//!     .prepare(&provider)?
//!     .sign(&*signer)?;
//! assert_eq!(sd_jwt.disclosures().len(), 1);
//! # Ok(()) }
//! ```
//!
//! Signing can also happen elsewhere (a KMS or HSM): [`PreparedSdJwt::signing_input`] hands
//! out the exact bytes to sign, and [`PreparedSdJwt::attach_signature`] completes the SD-JWT.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use core::fmt;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use sdjwt_core::{
    ClaimPath, Digest, Disclosure, IssuerJws, Limit, Limits, PathSegment, SALT_BYTES, Salt, SdJwt,
    UnixTime,
};
use sdjwt_jose::jws::{self, JsonJws, JsonSignature, JsonSyntax, SigningInput};
use sdjwt_jose::{
    CryptoProvider, HashAlgorithm, HashOutput, Jwk, JwsAlgorithm, JwsSigner, base64url,
};
use serde_json::{Map, Value};

/// Why an SD-JWT could not be issued.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A failure from the core data model (limits, reserved names, paths) or the JOSE layer
    /// (keys, signing).
    Core(sdjwt_core::Error),
    /// The path may not be selectively disclosable: the document root, or a claim that is
    /// critical for the SD-JWT's validity (`iss`, `exp`, `nbf`, `cnf`, `aud`, `_sd_alg` at the
    /// top level; RFC 9901 §9.7).
    NotDisclosable {
        /// The path, as a JSON pointer.
        path: String,
    },
    /// A path was selected twice.
    DuplicatePath {
        /// The path, as a JSON pointer.
        path: String,
    },
    /// The claims contain a claim that the builder also sets (`iss`, `iat`, `nbf`, `exp`,
    /// `cnf`, `_sd_alg`), or a reserved name (`_sd`, `...`) somewhere.
    ConflictingClaim {
        /// The claim name.
        name: String,
    },
    /// The holder key given for `cnf` contains private key material.
    PrivateHolderKey,
    /// A signature was attached to a signing input that was not made for this SD-JWT.
    SigningInputMismatch,
    /// JSON serialization was requested with no signer, or flattened with several.
    SignerCount {
        /// How many were given.
        found: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Core(e) => e.fmt(f),
            Self::NotDisclosable { path } => {
                write!(f, "{path:?} may not be made selectively disclosable")
            }
            Self::DuplicatePath { path } => write!(f, "{path:?} was selected twice"),
            Self::ConflictingClaim { name } => {
                write!(f, "claim {name:?} is reserved or set by the issuer")
            }
            Self::PrivateHolderKey => f.write_str("the holder key for cnf must be a public key"),
            Self::SigningInputMismatch => {
                f.write_str("signature attached to a signing input of another SD-JWT")
            }
            Self::SignerCount { found } => {
                write!(f, "wrong number of signers for this serialization: {found}")
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<sdjwt_core::Error> for Error {
    fn from(e: sdjwt_core::Error) -> Self {
        Self::Core(e)
    }
}

impl From<sdjwt_jose::Error> for Error {
    fn from(e: sdjwt_jose::Error) -> Self {
        Self::Core(e.into())
    }
}

/// How many decoy digests to add to each object or array that has disclosable content
/// (RFC 9901 §4.2.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decoys {
    /// None.
    None,
    /// Exactly this many per `_sd` array or disclosable array.
    Exact(usize),
    /// A number drawn uniformly from `min..=max` for each `_sd` array or disclosable array.
    Random {
        /// Fewest.
        min: usize,
        /// Most.
        max: usize,
    },
}

impl Default for Decoys {
    /// One to four decoys per level: enough that the number of digests does not reveal the number
    /// of claims, cheap in size.
    fn default() -> Self {
        Self::Random { min: 1, max: 4 }
    }
}

/// Where decoy digests go in a disclosable array (RFC 9901 §4.2.5 leaves it open).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArrayDecoyPlacement {
    /// At random positions among the elements (the default): the positions of withheld
    /// elements reveal nothing.
    #[default]
    Anywhere,
    /// After the last element, so that every element keeps its index "as issued". Profiles
    /// whose rules address array elements by index (SD-JWT VC claim metadata, §5.6.1) need
    /// this: a decoy before an element would move it.
    AtEnd,
}

/// Top-level claims that must stay plaintext: they decide whether the SD-JWT is valid and whom
/// it binds to (RFC 9901 §9.7 lists `iss`, `aud`, `exp`, `nbf`, `cnf`; `_sd_alg` is needed to
/// process anything at all).
pub const NEVER_DISCLOSABLE: &[&str] = &["iss", "aud", "exp", "nbf", "cnf", "_sd_alg"];

/// Collects everything that goes into an SD-JWT before it is signed.
///
/// The claims and the selected paths are either owned ([`SdJwtBuilder::new`],
/// [`SdJwtBuilder::disclose_all`]) or borrowed ([`SdJwtBuilder::borrowing`],
/// [`SdJwtBuilder::disclose_each`]): an issuing service that keeps a record and its list of
/// disclosable paths need not copy either for every credential it issues from them.
#[derive(Clone, Debug)]
#[must_use]
pub struct SdJwtBuilder<'c> {
    claims: Cow<'c, Map<String, Value>>,
    selected: Cow<'c, [ClaimPath]>,
    hash: HashAlgorithm,
    decoys: Decoys,
    array_decoys: ArrayDecoyPlacement,
    holder_key: Option<Jwk>,
    iss: Option<String>,
    iat: Option<UnixTime>,
    nbf: Option<UnixTime>,
    exp: Option<UnixTime>,
    typ: Option<String>,
    header: Map<String, Value>,
    limits: Limits,
    fixed_salts: BTreeMap<ClaimPath, Salt>,
}

impl<'c> SdJwtBuilder<'c> {
    /// Starts from the claims object; every claim is plaintext until selected with
    /// [`SdJwtBuilder::disclose`].
    pub fn new(claims: Map<String, Value>) -> Self {
        Self::starting_from(Cow::Owned(claims))
    }

    /// Starts from a borrowed claims object, which is read and never copied: the payload and
    /// the Disclosures are written straight from it. Otherwise the same as
    /// [`SdJwtBuilder::new`].
    pub fn borrowing(claims: &'c Map<String, Value>) -> Self {
        Self::starting_from(Cow::Borrowed(claims))
    }

    fn starting_from(claims: Cow<'c, Map<String, Value>>) -> Self {
        Self {
            claims,
            selected: Cow::Borrowed(&[]),
            hash: HashAlgorithm::Sha256,
            decoys: Decoys::default(),
            array_decoys: ArrayDecoyPlacement::default(),
            holder_key: None,
            iss: None,
            iat: None,
            nbf: None,
            exp: None,
            typ: None,
            header: Map::new(),
            limits: Limits::DEFAULT,
            fixed_salts: BTreeMap::new(),
        }
    }

    /// Uses `salt` for the Disclosure of `path` instead of a fresh random one, so that a test
    /// vector can be reproduced byte for byte.
    ///
    /// **Only for test vectors.** RFC 9901 §9.3 requires every salt to come from a
    /// cryptographically secure random source; a salt known in advance lets anyone confirm a
    /// guessed claim value from its digest. A fixed salt for a path that is not disclosable
    /// is ignored.
    pub fn salt(mut self, path: ClaimPath, salt: Salt) -> Self {
        self.fixed_salts.insert(path, salt);
        self
    }

    /// Makes the claim at `path` selectively disclosable. Selecting both an object and one of
    /// its members makes a recursive disclosure (RFC 9901 §6.3).
    pub fn disclose(mut self, path: ClaimPath) -> Self {
        self.selected.to_mut().push(path);
        self
    }

    /// Makes every path in `paths` selectively disclosable.
    pub fn disclose_all(mut self, paths: impl IntoIterator<Item = ClaimPath>) -> Self {
        if self.selected.is_empty() {
            // A `Vec` of paths is taken over as it is, not copied.
            self.selected = Cow::Owned(paths.into_iter().collect());
        } else {
            self.selected.to_mut().extend(paths);
        }
        self
    }

    /// Makes every path in `paths` selectively disclosable, borrowing the list: the usual way
    /// for a service that issues many credentials with one list of disclosable paths.
    pub fn disclose_each(mut self, paths: &'c [ClaimPath]) -> Self {
        if self.selected.is_empty() {
            self.selected = Cow::Borrowed(paths);
        } else {
            self.selected.to_mut().extend_from_slice(paths);
        }
        self
    }

    /// The hash algorithm for digests and `_sd_alg` (default sha-256).
    pub fn hash_algorithm(mut self, alg: HashAlgorithm) -> Self {
        self.hash = alg;
        self
    }

    /// The decoy policy (default [`Decoys::default`]).
    pub fn decoys(mut self, decoys: Decoys) -> Self {
        self.decoys = decoys;
        self
    }

    /// Where decoys go in disclosable arrays (default [`ArrayDecoyPlacement::Anywhere`]).
    pub fn array_decoy_placement(mut self, placement: ArrayDecoyPlacement) -> Self {
        self.array_decoys = placement;
        self
    }

    /// The holder's public key, placed in `cnf.jwk` (RFC 9901 §4.1.2, RFC 7800 §3.2).
    pub fn holder_key(mut self, key: &Jwk) -> Self {
        self.holder_key = Some(key.clone());
        self
    }

    /// The `iss` claim.
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        self.iss = Some(iss.into());
        self
    }

    /// The `iat` claim.
    pub fn issued_at(mut self, iat: UnixTime) -> Self {
        self.iat = Some(iat);
        self
    }

    /// The `nbf` claim.
    pub fn not_before(mut self, nbf: UnixTime) -> Self {
        self.nbf = Some(nbf);
        self
    }

    /// The `exp` claim.
    pub fn expires_at(mut self, exp: UnixTime) -> Self {
        self.exp = Some(exp);
        self
    }

    /// The JOSE header `typ` (RFC 9901 §9.11 recommends explicit typing, e.g. `dc+sd-jwt`
    /// for SD-JWT VC). No `typ` is set by default.
    pub fn typ(mut self, typ: impl Into<String>) -> Self {
        self.typ = Some(typ.into());
        self
    }

    /// Adds a protected header parameter, for example `x5c` with the issuer's certificate
    /// chain (RFC 7515 §4.1.6). `alg`, `kid` and `typ` come from the signer and
    /// [`SdJwtBuilder::typ`] and cannot be set this way: such names are ignored.
    pub fn header_parameter(mut self, name: impl Into<String>, value: Value) -> Self {
        let name = name.into();
        if !matches!(name.as_str(), "alg" | "kid" | "typ") {
            self.header.insert(name, value);
        }
        self
    }

    /// Limits on decoys, disclosure count and the claims' nesting depth (default
    /// [`Limits::DEFAULT`]): the issuer refuses what a verifier with the same limits would.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Builds the payload and Disclosures with fresh salts from `provider`, ready to be signed.
    ///
    /// # Errors
    ///
    /// [`Error::NotDisclosable`], [`Error::DuplicatePath`], [`Error::ConflictingClaim`],
    /// [`Error::PrivateHolderKey`], path errors ([`sdjwt_core::Error::PathNotFound`]) and limit
    /// errors (claims nested deeper than [`Limits::max_depth`], or than the JSON parser's
    /// [`sdjwt_jose::json::MAX_DEPTH`] whatever the limits say), or an unsupported hash
    /// algorithm.
    pub fn prepare(self, provider: &CryptoProvider) -> Result<PreparedSdJwt, Error> {
        if !provider.supports_hash(self.hash) {
            return Err(sdjwt_jose::Error::UnsupportedHashAlgorithm {
                alg: self.hash,
                provider: provider.name,
            }
            .into());
        }
        let decoy_max = match self.decoys {
            Decoys::None => 0,
            Decoys::Exact(n) => n,
            Decoys::Random { min, max } => min.max(max),
        };
        if decoy_max > self.limits.max_decoys {
            return Err(sdjwt_core::Error::LimitExceeded {
                limit: Limit::Decoys,
                max: self.limits.max_decoys,
            }
            .into());
        }
        if self.selected.len() > self.limits.max_disclosures {
            return Err(sdjwt_core::Error::LimitExceeded {
                limit: Limit::Disclosures,
                max: self.limits.max_disclosures,
            }
            .into());
        }
        // The top-level object is depth 1, as the verifier counts (RFC 9901 §9.1 leaves the
        // limit to implementations). The parser's own limit caps it: every Disclosure made here
        // must parse again.
        let max_depth = self.limits.max_depth.min(sdjwt_jose::json::MAX_DEPTH);
        check_claims(&self.claims, 1, max_depth)?;
        let set_by_builder = [
            ("iss", self.iss.is_some()),
            ("iat", self.iat.is_some()),
            ("nbf", self.nbf.is_some()),
            ("exp", self.exp.is_some()),
            ("cnf", self.holder_key.is_some()),
            ("_sd_alg", true),
        ];
        for (name, set) in set_by_builder {
            if set && self.claims.contains_key(name) {
                return Err(Error::ConflictingClaim {
                    name: name.to_owned(),
                });
            }
        }
        let mut selection = Selection::default();
        // Most selections are top-level claims: one allocation for their table.
        selection
            .children
            .get_or_insert_default()
            .keys
            .reserve(self.selected.len());
        for path in self.selected.iter() {
            let top_level_critical = matches!(
                path.segments(),
                [PathSegment::Key(k)] if NEVER_DISCLOSABLE.contains(&k.as_str())
            );
            if path.is_empty() || top_level_critical {
                return Err(Error::NotDisclosable {
                    path: path.to_string(),
                });
            }
            let node = selection.node_mut(path);
            if node.disclose {
                return Err(Error::DuplicatePath {
                    path: path.to_string(),
                });
            }
            node.disclose = true;
        }
        let mut fixed = 0;
        for (path, salt) in &self.fixed_salts {
            if let Some(node) = selection.node(path).filter(|n| n.disclose) {
                node.salt = Some(salt.clone());
                fixed += 1;
            }
        }

        // One request to the random source for every salt the caller did not give (RFC 9901
        // §9.3): per-request overhead dwarfs 16 bytes of output.
        let random = Salt::random_batch_bytes(provider, self.selected.len() - fixed, &self.limits)?;

        let mut ctx = Context {
            provider,
            hash: self.hash,
            decoys: self.decoys,
            array_decoys: self.array_decoys,
            random,
            used: 0,
            found: 0,
            // Most Disclosures of a credential are 60 to 120 characters.
            tail: Vec::with_capacity(self.selected.len().saturating_mul(96)),
            scratch: Vec::with_capacity(128),
        };
        // The payload is written as text while the claims are transformed, member by member in
        // the order a `serde_json` map would hold them: `iss`, `iat`, `nbf`, `exp`, the claims
        // left in plaintext, `_sd`, `cnf`, `_sd_alg`.
        let mut payload =
            ObjectText::with_capacity(self.selected.len().saturating_mul(48).saturating_add(256));
        if let Some(iss) = &self.iss {
            payload.member("iss", iss.as_str());
        }
        for (name, t) in [("iat", self.iat), ("nbf", self.nbf), ("exp", self.exp)] {
            if let Some(t) = t {
                payload.member(name, &t);
            }
        }
        let sd = ctx.members(&self.claims, &mut selection, &mut payload)?;
        if ctx.found != self.selected.len() {
            // Some selected path matched nothing in the claims: name the first one.
            let missing = self
                .selected
                .iter()
                .find(|p| selection.node(p).is_none_or(|n| !n.found));
            return Err(sdjwt_core::Error::PathNotFound {
                path: missing.map(ToString::to_string).unwrap_or_default(),
            }
            .into());
        }
        if !sd.is_empty() {
            payload.digests(&sd.sorted());
        }
        if let Some(key) = &self.holder_key {
            if key.is_private() {
                return Err(Error::PrivateHolderKey);
            }
            // `{"jwk": <public members>}` (RFC 7800 §3.2), the key written without a map.
            payload.key("cnf");
            payload.0.extend_from_slice(br#"{"jwk":"#);
            push_json(&mut payload.0, key);
            payload.0.push(b'}');
        }
        payload.member("_sd_alg", self.hash.name());
        Ok(PreparedSdJwt {
            payload: payload.finish(),
            tail: ascii_text(ctx.tail),
            built: OnceLock::new(),
            typ: self.typ,
            header: self.header,
        })
    }
}

/// Checks the object `m` at nesting `depth` and everything in it: no member may be named `_sd`,
/// `...` or `_sd_alg` (RFC 9901 §4.2.1, §4.1.1: a Disclosure or the payload would change
/// meaning), and nothing may nest deeper than `max_depth`. The depth check also bounds this
/// recursion.
fn check_claims(m: &Map<String, Value>, depth: usize, max_depth: usize) -> Result<(), Error> {
    if depth > max_depth {
        return Err(too_deep(max_depth));
    }
    for (k, child) in m {
        if k == "_sd" || k == "..." || k == "_sd_alg" {
            return Err(Error::ConflictingClaim { name: k.clone() });
        }
        check_value(child, depth + 1, max_depth)?;
    }
    Ok(())
}

/// [`check_claims`] for any value at nesting `depth` (if it is a container).
fn check_value(v: &Value, depth: usize, max_depth: usize) -> Result<(), Error> {
    match v {
        Value::Object(m) => check_claims(m, depth, max_depth),
        Value::Array(_) if depth > max_depth => Err(too_deep(max_depth)),
        Value::Array(a) => a
            .iter()
            .try_for_each(|item| check_value(item, depth + 1, max_depth)),
        _ => Ok(()),
    }
}

/// The error for claims nested deeper than `max_depth`.
fn too_deep(max_depth: usize) -> Error {
    sdjwt_core::Error::LimitExceeded {
        limit: Limit::Depth,
        max: max_depth,
    }
    .into()
}

/// The selected paths as a tree, so that transforming the claims visits each member once and
/// looks it up in its parent's children only, never building or comparing whole paths.
#[derive(Default)]
struct Selection<'p> {
    /// The value here is made selectively disclosable.
    disclose: bool,
    /// Set when the claims had a value here.
    found: bool,
    /// A caller-given salt for this Disclosure (test vectors only).
    salt: Option<Salt>,
    /// The selected paths that go further. Most nodes are leaves, so a node stays small and a
    /// table of thousands of top-level claims stays compact.
    children: Option<Box<Children<'p>>>,
}

/// The children of a [`Selection`] node, by member name and by array index.
///
/// The tables use foldhash, seeded at random per process, instead of SipHash: a lookup per
/// claim is on the issuer's hot path, and flooding matters little here, since the keys are
/// the issuer's own selected paths, at most [`Limits::max_disclosures`] of them.
#[derive(Default)]
struct Children<'p> {
    keys: HashMap<&'p str, Selection<'p>, foldhash::fast::RandomState>,
    indices: HashMap<usize, Selection<'p>, foldhash::fast::RandomState>,
}

impl<'p> Selection<'p> {
    /// The node for `path`, created with its ancestors if needed.
    fn node_mut(&mut self, path: &'p ClaimPath) -> &mut Selection<'p> {
        path.segments().iter().fold(self, |node, segment| {
            let children = node.children.get_or_insert_default();
            match segment {
                PathSegment::Key(k) => children.keys.entry(k.as_str()).or_default(),
                PathSegment::Index(i) => children.indices.entry(*i).or_default(),
            }
        })
    }

    /// The node for `path`, if some selected path goes through it.
    fn node(&mut self, path: &ClaimPath) -> Option<&mut Selection<'p>> {
        path.segments().iter().try_fold(self, |node, segment| {
            let children = node.children.as_deref_mut()?;
            match segment {
                PathSegment::Key(k) => children.keys.get_mut(k.as_str()),
                PathSegment::Index(i) => children.indices.get_mut(i),
            }
        })
    }

    /// The child for member `key`, if a selected path goes through it.
    fn key(&mut self, key: &str) -> Option<&mut Selection<'p>> {
        self.children.as_deref_mut()?.keys.get_mut(key)
    }

    /// The child for element `i`, if a selected path goes through it.
    fn index(&mut self, i: usize) -> Option<&mut Selection<'p>> {
        self.children.as_deref_mut()?.indices.get_mut(&i)
    }

    /// Some selected path goes through a member of this node's value.
    fn has_keys(&self) -> bool {
        self.children.as_ref().is_some_and(|c| !c.keys.is_empty())
    }

    /// Some selected path goes through an element of this node's value.
    fn has_indices(&self) -> bool {
        self.children
            .as_ref()
            .is_some_and(|c| !c.indices.is_empty())
    }

    /// Nothing at or below this node is selected.
    fn is_leaf(&self) -> bool {
        !self.has_keys() && !self.has_indices()
    }
}

/// Appends the compact JSON text of `value`, exactly as `serde_json` writes it inside any
/// larger document.
fn push_json(out: &mut Vec<u8>, value: &(impl serde::Serialize + ?Sized)) {
    let start = out.len();
    // Only strings, integers and `serde_json` maps and values are written here. Writing those
    // to a `Vec` cannot fail: the writer never errors, every map key is a string and a `Value`
    // holds no NaN. The fallback keeps the text valid JSON all the same.
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.truncate(start);
        out.extend_from_slice(b"null");
    }
}

/// A JSON object written straight to text, one member at a time.
struct ObjectText(Vec<u8>);

impl ObjectText {
    fn with_capacity(capacity: usize) -> Self {
        let mut json = Vec::with_capacity(capacity);
        json.push(b'{');
        Self(json)
    }

    fn key(&mut self, key: &str) {
        if self.0.len() > 1 {
            self.0.push(b',');
        }
        push_json(&mut self.0, key);
        self.0.push(b':');
    }

    fn member(&mut self, key: &str, value: &(impl serde::Serialize + ?Sized)) {
        self.key(key);
        push_json(&mut self.0, value);
    }

    /// `"_sd": [...]`, in the order given. Digests are base64url text, which JSON strings hold
    /// without escapes.
    fn digests(&mut self, sd: &[&[u8]]) {
        self.key("_sd");
        self.0.push(b'[');
        for (i, digest) in sd.iter().enumerate() {
            if i > 0 {
                self.0.push(b',');
            }
            self.0.push(b'"');
            self.0.extend_from_slice(digest);
            self.0.push(b'"');
        }
        self.0.push(b']');
    }

    fn finish(mut self) -> String {
        self.0.push(b'}');
        ascii_text(self.0)
    }
}

/// Text assembled as bytes from `serde_json` output and ASCII: UTF-8 by construction, so the
/// lossy route never replaces anything.
fn ascii_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Where the members of a transformed object that stay in plaintext go: a `serde_json` map
/// (objects inside the claims) or the payload text (the top level).
trait Members {
    fn plain(&mut self, key: &str, value: Cow<'_, Value>);
}

impl Members for Map<String, Value> {
    fn plain(&mut self, key: &str, value: Cow<'_, Value>) {
        self.insert(key.to_owned(), value.into_owned());
    }
}

impl Members for ObjectText {
    fn plain(&mut self, key: &str, value: Cow<'_, Value>) {
        self.member(key, &*value);
    }
}

/// One object's `_sd` digests while it is built: their base64url text back to back, where
/// each one starts, and the sort key of each ([`SdList::sorted`]).
#[derive(Default)]
struct SdList {
    text: Vec<u8>,
    starts: Vec<usize>,
    /// The rank of each digest's first 8 characters in ASCII order, 6 bits per character.
    prefixes: Vec<u64>,
}

/// Each base64url character's rank in ASCII order (`-`, digits, upper case, `_`, lower case):
/// how many characters of [`base64url::ALPHABET`] sort below it. Six bits of rank per
/// character order digests as their strings order.
const ASCII_RANK: [u8; 128] = {
    let mut rank = [0u8; 128];
    let mut i = 0;
    while i < 64 {
        let c = base64url::ALPHABET[i];
        let mut j = 0;
        while j < 64 {
            if base64url::ALPHABET[j] < c {
                rank[c as usize] += 1;
            }
            j += 1;
        }
        i += 1;
    }
    rank
};

/// Each 6-bit base64url value's rank in ASCII order: the rank of the character encoding it.
const VALUE_RANK: [u8; 64] = {
    let mut rank = [0u8; 64];
    let mut v = 0;
    while v < 64 {
        rank[v] = ASCII_RANK[base64url::ALPHABET[v] as usize];
        v += 1;
    }
    rank
};

/// The ASCII-order ranks of the two characters that encode each 12-bit value, side by side
/// in 12 bits: four lookups rank a digest's 8-character prefix straight from its first 6 bytes.
const PAIR_RANK: [u16; 4096] = {
    let mut table = [0u16; 4096];
    let mut n = 0;
    while n < 4096 {
        table[n] = ((VALUE_RANK[n >> 6] as u16) << 6) | VALUE_RANK[n & 63] as u16;
        n += 1;
    }
    table
};

/// Lists at least this long sort by bucketing their keys; shorter ones call `sort_unstable`.
const BUCKET_SORT_FROM: usize = 64;

impl SdList {
    /// An empty list with room for `digests` digests of 43 characters (SHA-256).
    fn with_capacity(digests: usize) -> Self {
        Self {
            text: Vec::with_capacity(digests.saturating_mul(43)),
            starts: Vec::with_capacity(digests),
            prefixes: Vec::with_capacity(digests),
        }
    }

    /// Adds a digest, base64url-encoding it.
    fn push(&mut self, digest: &HashOutput) {
        // The first 8 characters encode the first 6 bytes: rank them 12 bits at a time.
        let mut head = [0u8; 8];
        for (to, from) in head.iter_mut().skip(2).zip(digest.as_bytes()) {
            *to = *from;
        }
        let bits = u64::from_be_bytes(head);
        let rank = |shift: u32| u64::from(PAIR_RANK[(bits >> shift) as usize & 0xfff]) << shift;
        self.prefixes.push(rank(36) | rank(24) | rank(12) | rank(0));
        self.starts.push(self.text.len());
        base64url::encode_into_vec(digest.as_bytes(), &mut self.text);
    }

    /// Adds a digest already encoded.
    fn push_encoded(&mut self, digest: &Digest) {
        let prefix = digest.as_str().bytes().take(8).fold(0u64, |key, c| {
            key << 6 | u64::from(ASCII_RANK.get(usize::from(c)).copied().unwrap_or(0))
        });
        // A digest shorter than 8 characters ranks as if padded with the lowest rank; the
        // string comparison settles ties.
        let short = 8usize.saturating_sub(digest.as_str().len());
        self.prefixes.push(prefix << (6 * short));
        self.starts.push(self.text.len());
        self.text.extend_from_slice(digest.as_str().as_bytes());
    }

    fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The `i`-th digest's text.
    fn get(&self, i: usize) -> &[u8] {
        let start = self.starts.get(i).copied().unwrap_or_default();
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or_default()
    }

    /// The digests sorted as strings, as RFC 9901's examples do: RFC 9901 §4.2.4.1 requires
    /// that the order of `_sd` not reveal the order of the claims.
    ///
    /// Each digest's prefix rank (48 bits) above its index (16 bits) makes one number, so one
    /// sort of plain numbers orders them. Long lists sort those numbers by bucketing them on
    /// their top bits (digests are uniformly spread) and finishing with an insertion sort.
    /// Two digests agreeing on their 8-character prefix (about one chance in 2^33 for a
    /// thousand digests) or more than 2^16 digests fall back to comparing the strings.
    fn sorted(&self) -> Vec<&[u8]> {
        let count = self.starts.len();
        if count <= 1 << 16 {
            let mut keys: Vec<u64> = self
                .prefixes
                .iter()
                .enumerate()
                .map(|(i, prefix)| prefix << 16 | (i as u64 & 0xffff))
                .collect();
            if count < BUCKET_SORT_FROM {
                keys.sort_unstable();
            } else {
                keys = bucket_sort(&keys);
            }
            if keys.windows(2).all(|w| w[0] >> 16 != w[1] >> 16) {
                return keys
                    .iter()
                    .map(|k| self.get((k & 0xffff) as usize))
                    .collect();
            }
        }
        let mut all: Vec<&[u8]> = (0..count).map(|i| self.get(i)).collect();
        all.sort_unstable();
        all
    }
}

/// Sorts `keys`, whose top bits are uniformly spread: a counting pass places each key in one
/// of about twice as many buckets as keys by its top bits, then an insertion sort orders each
/// bucket's few keys. Linear time in expectation; never worse than quadratic.
fn bucket_sort(keys: &[u64]) -> Vec<u64> {
    // At most 2^17 buckets: callers sort at most 2^16 keys.
    let bits = (usize::BITS - keys.len().leading_zeros()).clamp(1, 16) + 1;
    let shift = 64 - bits;
    let mut starts = vec![0usize; (1 << bits) + 1];
    for k in keys {
        if let Some(n) = starts.get_mut((k >> shift) as usize + 1) {
            *n += 1;
        }
    }
    for i in 1..starts.len() {
        let before = starts.get(i - 1).copied().unwrap_or(0);
        if let Some(n) = starts.get_mut(i) {
            *n += before;
        }
    }
    let mut out = vec![0u64; keys.len()];
    for &k in keys {
        if let Some(next) = starts.get_mut((k >> shift) as usize) {
            if let Some(slot) = out.get_mut(*next) {
                *slot = k;
            }
            *next += 1;
        }
    }
    // Every key is now in its bucket, and buckets are in order: only neighbours within a
    // bucket can be out of order.
    for i in 1..out.len() {
        let mut j = i;
        while j > 0 && out[j - 1] > out[j] {
            out.swap(j - 1, j);
            j -= 1;
        }
    }
    out
}

struct Context<'a> {
    array_decoys: ArrayDecoyPlacement,
    provider: &'a CryptoProvider,
    hash: HashAlgorithm,
    decoys: Decoys,
    /// The random bytes of the drawn salts, [`SALT_BYTES`] each.
    random: Vec<u8>,
    /// How many salts of `random` are used.
    used: usize,
    /// How many selected paths were found in the claims.
    found: usize,
    /// The Disclosures' text so far, each followed by `~`: [`PreparedSdJwt`]'s tail once
    /// complete.
    tail: Vec<u8>,
    /// The JSON text of the Disclosure being made.
    scratch: Vec<u8>,
}

/// Where a Disclosure's salt comes from.
enum SaltText {
    /// The `i`-th drawn salt of [`Context::random`].
    Drawn(usize),
    /// A caller-given salt.
    Given(Salt),
}

impl Context<'_> {
    fn random_below(&self, n: usize) -> Result<usize, Error> {
        if n <= 1 {
            return Ok(0);
        }
        // Rejection sampling keeps the draw uniform.
        let n64 = n as u64;
        let zone = u64::MAX - (u64::MAX % n64);
        loop {
            let mut b = [0u8; 8];
            self.provider.fill_random(&mut b)?;
            let x = u64::from_le_bytes(b);
            if x < zone {
                return Ok((x % n64) as usize);
            }
        }
    }

    fn decoy_count(&self) -> Result<usize, Error> {
        Ok(match self.decoys {
            Decoys::None => 0,
            Decoys::Exact(n) => n,
            Decoys::Random { min, max } => {
                let (lo, hi) = (min.min(max), min.max(max));
                lo + self.random_below(hi - lo + 1)?
            }
        })
    }

    /// The random bytes of the `i`-th drawn salt.
    fn drawn_salt(&self, i: usize) -> Option<&[u8]> {
        self.random.chunks_exact(SALT_BYTES).nth(i)
    }

    /// The salt for `node`'s Disclosure (RFC 9901 §4.2.1): the caller's, or the next one drawn.
    fn salt(&mut self, node: &mut Selection<'_>) -> Result<SaltText, Error> {
        if let Some(given) = node.salt.take() {
            return Ok(SaltText::Given(given));
        }
        let drawn = self.used;
        if self.drawn_salt(drawn).is_none() {
            // Every salt not given was drawn up front; one more request only if that changes.
            let mut bytes = [0u8; SALT_BYTES];
            self.provider.fill_random(&mut bytes)?;
            self.random.extend_from_slice(&bytes);
        }
        self.used += 1;
        Ok(SaltText::Drawn(drawn))
    }

    /// Transforms what lies below `node`'s value, then says whether the value itself is to be
    /// made disclosable (and with which salt). A value with nothing selected below it is
    /// handed back as it is, borrowed.
    fn visit<'v>(
        &mut self,
        value: &'v Value,
        node: &mut Selection<'_>,
    ) -> Result<(Cow<'v, Value>, Option<SaltText>), Error> {
        node.found = true;
        let value = if node.is_leaf() {
            Cow::Borrowed(value)
        } else {
            match value {
                Value::Object(m) => Cow::Owned(Value::Object(self.object(m, node)?)),
                Value::Array(a) => Cow::Owned(Value::Array(self.array(a, node)?)),
                // Selected paths below a scalar are not found.
                other => Cow::Borrowed(other),
            }
        };
        if !node.disclose {
            return Ok((value, None));
        }
        self.found += 1;
        let salt = self.salt(node)?;
        Ok((value, Some(salt)))
    }

    /// Makes the Disclosure `[salt, name, value]` or `[salt, value]` (RFC 9901 §4.2.1, §4.2.2):
    /// its JSON text, its base64url text appended to the compact tail, and its digest
    /// (RFC 9901 §4.2.3), which is returned. `name` was checked with the rest of the claims
    /// ([`check_claims`]): it is not a reserved name.
    fn disclose(
        &mut self,
        salt: SaltText,
        name: Option<&str>,
        value: &Value,
    ) -> Result<HashOutput, Error> {
        let mut json = std::mem::take(&mut self.scratch);
        json.clear();
        json.push(b'[');
        match &salt {
            // Base64url needs no escapes in a JSON string.
            SaltText::Drawn(i) => {
                json.push(b'"');
                base64url::encode_into_vec(self.drawn_salt(*i).unwrap_or_default(), &mut json);
                json.push(b'"');
            }
            SaltText::Given(salt) => push_json(&mut json, salt.as_str()),
        }
        json.push(b',');
        if let Some(name) = name {
            push_json(&mut json, name);
            json.push(b',');
        }
        push_json(&mut json, value);
        json.push(b']');
        let tail = &mut self.tail;
        let start = tail.len();
        base64url::encode_into_vec(&json, tail);
        self.scratch = json;
        let digest = self
            .provider
            .digest(self.hash, tail.get(start..).unwrap_or_default())?;
        tail.push(b'~');
        Ok(digest)
    }

    /// RFC 9901 §4.2.4.1: hands the members of `m` that stay in plaintext to `out` and returns
    /// the digests of the disclosable ones, decoys added.
    fn members(
        &mut self,
        m: &Map<String, Value>,
        node: &mut Selection<'_>,
        out: &mut impl Members,
    ) -> Result<SdList, Error> {
        let selected = node.children.as_ref().map_or(0, |c| c.keys.len());
        if selected == 0 {
            for (key, value) in m {
                out.plain(key, Cow::Borrowed(value));
            }
            return Ok(SdList::default());
        }
        let mut sd = SdList::with_capacity(selected);
        for (key, value) in m {
            let Some(child) = node.key(key) else {
                out.plain(key, Cow::Borrowed(value));
                continue;
            };
            // Inner disclosures first, so a recursive disclosure carries their digests.
            match self.visit(value, child)? {
                (value, Some(salt)) => sd.push(&self.disclose(salt, Some(key), &value)?),
                (value, None) => out.plain(key, value),
            }
        }
        if !sd.is_empty() {
            for _ in 0..self.decoy_count()? {
                sd.push_encoded(&Digest::decoy(self.provider, self.hash)?);
            }
        }
        Ok(sd)
    }

    /// An object inside the claims, with its disclosable members replaced by `_sd`.
    fn object(
        &mut self,
        m: &Map<String, Value>,
        node: &mut Selection<'_>,
    ) -> Result<Map<String, Value>, Error> {
        if !node.has_keys() {
            return Ok(m.clone());
        }
        let mut out = Map::with_capacity(m.len());
        let sd = self.members(m, node, &mut out)?;
        if !sd.is_empty() {
            // Base64url text is ASCII: the lossy route never replaces anything.
            let digests = sd
                .sorted()
                .into_iter()
                .map(|d| Value::String(String::from_utf8_lossy(d).into_owned()))
                .collect();
            out.insert("_sd".into(), Value::Array(digests));
        }
        Ok(out)
    }

    /// RFC 9901 §4.2.4.2: disclosable elements become `{"...": digest}` in place.
    fn array(&mut self, a: &[Value], node: &mut Selection<'_>) -> Result<Vec<Value>, Error> {
        if !node.has_indices() {
            return Ok(a.to_vec());
        }
        let mut out = Vec::with_capacity(a.len());
        let mut any_disclosable = false;
        for (i, value) in a.iter().enumerate() {
            let Some(child) = node.index(i) else {
                out.push(value.clone());
                continue;
            };
            match self.visit(value, child)? {
                (value, Some(salt)) => {
                    any_disclosable = true;
                    let digest = self.disclose(salt, None, &value)?;
                    out.push(placeholder(base64url::encode(digest.as_bytes())));
                }
                (value, None) => out.push(value.into_owned()),
            }
        }
        if any_disclosable {
            for _ in 0..self.decoy_count()? {
                let at = match self.array_decoys {
                    ArrayDecoyPlacement::Anywhere => self.random_below(out.len() + 1)?,
                    ArrayDecoyPlacement::AtEnd => out.len(),
                };
                let decoy = Digest::decoy(self.provider, self.hash)?;
                out.insert(at, placeholder(decoy.into_string()));
            }
        }
        Ok(out)
    }
}

fn placeholder(digest: String) -> Value {
    let mut m = Map::new();
    m.insert("...".into(), Value::String(digest));
    Value::Object(m)
}

/// An SD-JWT whose payload and Disclosures are fixed and which waits for its signature(s).
#[derive(Clone)]
pub struct PreparedSdJwt {
    payload: String,
    /// Each Disclosure's base64url text followed by `~`, in creation order: the compact
    /// serialization's tail (RFC 9901 §4).
    tail: String,
    /// The Disclosures, parsed from the tail on first use.
    built: OnceLock<Vec<Disclosure>>,
    typ: Option<String>,
    header: Map<String, Value>,
}

impl fmt::Debug for PreparedSdJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The payload holds only digests of what is disclosable; the salts stay out.
        f.debug_struct("PreparedSdJwt")
            .field("payload", &self.payload)
            .field("disclosures", &self.tail.matches('~').count())
            .field("typ", &self.typ)
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

impl PreparedSdJwt {
    /// The JWT payload (JSON text) that will be signed.
    pub fn payload(&self) -> &str {
        &self.payload
    }

    /// The Disclosures, in creation order. They are parsed from their text on the first call
    /// (issuing with [`PreparedSdJwt::sign_compact`] never needs them).
    pub fn disclosures(&self) -> &[Disclosure] {
        self.built.get_or_init(|| {
            // Every Disclosure was written here from claims that passed `check_claims`: no
            // reserved name, nesting within the parser's limit, so each one parses (the
            // `sign_compact` tests compare this list with the text, Disclosure by Disclosure).
            self.tail
                .split_terminator('~')
                .filter_map(|text| Disclosure::parse(text).ok())
                .collect()
        })
    }

    /// The bytes to sign with `alg` and an optional `kid`, for signing outside this process
    /// (two-phase signing). The header is `{"alg", "kid"?, "typ"?}` followed by any
    /// [`SdJwtBuilder::header_parameter`]s.
    pub fn signing_input(&self, alg: JwsAlgorithm, kid: Option<&str>) -> SigningInput {
        let header = jws::protected_header(alg, kid, self.typ.as_deref(), &self.header);
        SigningInput::new(&header, self.payload.as_bytes())
    }

    /// Completes the SD-JWT in compact form with a signature made elsewhere over
    /// [`PreparedSdJwt::signing_input`]. The signature is not checked here (the key is not
    /// known); verify the result with the issuer's public key before handing it out.
    ///
    /// # Errors
    ///
    /// [`Error::SigningInputMismatch`] if `input` was made for a different payload.
    pub fn attach_signature(&self, input: SigningInput, signature: &[u8]) -> Result<SdJwt, Error> {
        self.check_input(&input)?;
        self.complete(input, signature)
    }

    /// Signs with `signer`, giving the compact serialization.
    ///
    /// # Errors
    ///
    /// Signer failures.
    pub fn sign(&self, signer: &dyn JwsSigner) -> Result<SdJwt, Error> {
        let input = self.signing_input(signer.algorithm(), signer.key_id());
        let signature = input.sign(signer)?;
        // The input was made here from this payload: nothing to check.
        self.complete(input, &signature)
    }

    /// Signs with `signer` and returns the compact serialization's text,
    /// `<Issuer-signed JWT>~<Disclosure 1>~...~<Disclosure N>~` (RFC 9901 §4), the same text as
    /// [`PreparedSdJwt::sign`] followed by [`SdJwt::to_compact`]. It is the issuer's fast
    /// path: the Disclosures are copied as text, never built as values, and no [`SdJwt`] is
    /// parsed back out of the JWT just signed.
    ///
    /// # Errors
    ///
    /// Signer failures.
    pub fn sign_compact(&self, signer: &dyn JwsSigner) -> Result<String, Error> {
        let jws_len = base64url::encoded_len(self.payload.len()) + 512;
        let mut out = String::with_capacity(jws_len + 1 + self.tail.len());
        jws::sign_compact_into(
            &mut out,
            signer,
            self.typ.as_deref(),
            &self.header,
            self.payload.as_bytes(),
        )?;
        out.push('~');
        out.push_str(&self.tail);
        Ok(out)
    }

    fn complete(&self, input: SigningInput, signature: &[u8]) -> Result<SdJwt, Error> {
        let jws = input.into_compact_jws(signature)?;
        Ok(SdJwt::from_parts(
            IssuerJws::Compact(jws),
            self.disclosures().to_vec(),
            None,
        )?)
    }

    /// Signs with one or more signers, giving the JWS JSON serialization (RFC 9901 §8): several
    /// signers make a general serialization with one signature each (independent authorities
    /// co-signing one credential).
    ///
    /// # Errors
    ///
    /// [`Error::SignerCount`] for no signer, or several with flattened syntax; signer failures.
    pub fn sign_json(
        &self,
        signers: &[&dyn JwsSigner],
        syntax: JsonSyntax,
    ) -> Result<SdJwt, Error> {
        let mut parts = Vec::with_capacity(signers.len());
        for signer in signers {
            let input = self.signing_input(signer.algorithm(), signer.key_id());
            let signature = input.sign(*signer)?;
            parts.push((input, signature));
        }
        self.attach_json_signatures(parts, syntax)
    }

    /// Completes a JWS JSON serialization with signatures made elsewhere, one per signing input.
    ///
    /// # Errors
    ///
    /// [`Error::SignerCount`] and [`Error::SigningInputMismatch`].
    pub fn attach_json_signatures(
        &self,
        parts: Vec<(SigningInput, Vec<u8>)>,
        syntax: JsonSyntax,
    ) -> Result<SdJwt, Error> {
        if parts.is_empty() || (syntax == JsonSyntax::Flattened && parts.len() != 1) {
            return Err(Error::SignerCount { found: parts.len() });
        }
        let mut payload_b64 = String::new();
        let mut sigs = Vec::with_capacity(parts.len());
        for (input, signature) in &parts {
            self.check_input(input)?;
            payload_b64 = input.payload_b64().to_owned();
            sigs.push(JsonSignature::new(
                input.protected_b64(),
                Map::new(),
                signature,
            )?);
        }
        let jws = JsonJws::new(&payload_b64, sigs, syntax)?;
        Ok(SdJwt::from_parts(
            IssuerJws::Json(jws),
            self.disclosures().to_vec(),
            None,
        )?)
    }

    fn check_input(&self, input: &SigningInput) -> Result<(), Error> {
        if input.payload() != self.payload.as_bytes() {
            return Err(Error::SigningInputMismatch);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(digests: &[[u8; 32]]) -> SdList {
        let mut sd = SdList::default();
        for d in digests {
            sd.push(&HashOutput::new(d).unwrap_or_else(|e| panic!("{e}")));
        }
        sd
    }

    fn sorted_as_strings(sd: &SdList) -> Vec<String> {
        let mut all: Vec<String> = (0..sd.starts.len())
            .map(|i| String::from_utf8_lossy(sd.get(i)).into_owned())
            .collect();
        all.sort_unstable();
        all
    }

    #[test]
    fn bucket_sort_sorts_any_keys() {
        // Spread keys, keys sharing their top bits (one bucket: the insertion sort does all
        // the work), repeats, and the extremes.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let spread: Vec<u64> = (0..1000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            })
            .collect();
        let one_bucket: Vec<u64> = spread.iter().map(|k| k >> 24).collect();
        let mut repeats = spread.clone();
        repeats.extend_from_slice(&spread[..100]);
        repeats.extend([0, u64::MAX, 0, u64::MAX]);
        for keys in [spread, one_bucket, repeats, vec![5, 1]] {
            let mut expected = keys.clone();
            expected.sort_unstable();
            assert_eq!(bucket_sort(&keys), expected);
        }
    }

    #[test]
    fn digests_sort_as_their_strings_do() {
        // Every first character of the alphabet, in ASCII order and out of it, then the same
        // 8-character prefix with different tails, which takes the string-comparing fallback.
        let spread: Vec<[u8; 32]> = (0..=255u8)
            .map(|b| {
                let mut d = [b.wrapping_mul(37); 32];
                d[0] = b;
                d[7] = b ^ 0x5a;
                d
            })
            .collect();
        let mut tied = spread.clone();
        for (i, d) in tied.iter_mut().enumerate().take(4) {
            *d = [7; 32];
            d[31] = i as u8;
        }
        // Short lists take `sort_unstable`, long ones the bucket sort; a short decoy ("z")
        // ranks as if padded.
        let short: Vec<[u8; 32]> = spread.iter().rev().take(20).copied().collect();
        let mut short_tied = short.clone();
        short_tied[3] = [7; 32];
        short_tied[9] = [7; 32];
        short_tied[9][31] = 1;
        for digests in [spread, tied, short, short_tied] {
            let mut sd = list(&digests);
            sd.push_encoded(&Digest::from_string("z"));
            // Decoys arrive encoded and sort among the others.
            sd.push_encoded(&Digest::from_string("--decoy-sorts-first"));
            sd.push_encoded(&Digest::from_string("zzz-decoy-sorts-last"));
            let expected = sorted_as_strings(&sd);
            let sorted: Vec<String> = sd
                .sorted()
                .into_iter()
                .map(|d| String::from_utf8_lossy(d).into_owned())
                .collect();
            assert_eq!(sorted, expected);
            assert_eq!(
                sorted.first().map(String::as_str),
                Some("--decoy-sorts-first")
            );
            assert_eq!(
                sorted.last().map(String::as_str),
                Some("zzz-decoy-sorts-last")
            );
        }
    }
}
