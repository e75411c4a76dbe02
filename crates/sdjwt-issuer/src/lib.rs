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
use std::collections::{BTreeMap, HashMap};

use sdjwt_core::{
    ClaimName, ClaimPath, Digest, Disclosure, IssuerJws, Limit, Limits, PathSegment, Salt, SdJwt,
    UnixTime,
};
use sdjwt_jose::jws::{self, JsonJws, JsonSignature, JsonSyntax, SigningInput};
use sdjwt_jose::{CryptoProvider, HashAlgorithm, Jwk, JwsAlgorithm, JwsSigner};
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
#[derive(Clone, Debug)]
#[must_use]
pub struct SdJwtBuilder {
    claims: Map<String, Value>,
    selected: Vec<ClaimPath>,
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

impl SdJwtBuilder {
    /// Starts from the claims object; every claim is plaintext until selected with
    /// [`SdJwtBuilder::disclose`].
    pub fn new(claims: Map<String, Value>) -> Self {
        Self {
            claims,
            selected: Vec::new(),
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
        self.selected.push(path);
        self
    }

    /// Makes every path in `paths` selectively disclosable.
    pub fn disclose_all(mut self, paths: impl IntoIterator<Item = ClaimPath>) -> Self {
        self.selected.extend(paths);
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

    /// Limits on decoys and disclosure count (default [`Limits::DEFAULT`]).
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
    /// errors, or an unsupported hash algorithm.
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
        check_reserved_members(&self.claims)?;
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
        selection.keys.reserve(self.selected.len());
        for path in &self.selected {
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

        let mut ctx = Context {
            provider,
            hash: self.hash,
            decoys: self.decoys,
            array_decoys: self.array_decoys,
            // One request to the random source for every salt (RFC 9901 §9.3).
            salts: Salt::random_batch(provider, self.selected.len() - fixed, &self.limits)?
                .into_iter(),
            found: 0,
            disclosures: Vec::with_capacity(self.selected.len()),
        };
        let body = ctx.object(self.claims, &mut selection)?;
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

        let mut payload = Map::new();
        if let Some(iss) = self.iss {
            payload.insert("iss".into(), iss.into());
        }
        for (name, t) in [("iat", self.iat), ("nbf", self.nbf), ("exp", self.exp)] {
            if let Some(t) = t {
                payload.insert(name.into(), t.into());
            }
        }
        payload.extend(body);
        if let Some(key) = &self.holder_key {
            if key.is_private() {
                return Err(Error::PrivateHolderKey);
            }
            let mut cnf = Map::new();
            cnf.insert("jwk".into(), Value::Object(key.to_json()));
            payload.insert("cnf".into(), Value::Object(cnf));
        }
        payload.insert("_sd_alg".into(), self.hash.name().into());
        Ok(PreparedSdJwt {
            payload: Value::Object(payload).to_string(),
            disclosures: ctx.disclosures,
            typ: self.typ,
            header: self.header,
        })
    }
}

fn check_reserved(v: &Value) -> Result<(), Error> {
    match v {
        Value::Object(m) => check_reserved_members(m),
        Value::Array(a) => a.iter().try_for_each(check_reserved),
        _ => Ok(()),
    }
}

fn check_reserved_members(m: &Map<String, Value>) -> Result<(), Error> {
    for (k, child) in m {
        if k == "_sd" || k == "..." || k == "_sd_alg" {
            return Err(Error::ConflictingClaim { name: k.clone() });
        }
        check_reserved(child)?;
    }
    Ok(())
}

/// The selected paths as a tree, so that transforming the claims visits each member once and
/// looks it up in its parent's children only, never building or comparing whole paths.
#[derive(Default)]
struct Selection<'p> {
    /// The value here is made selectively disclosable.
    disclose: bool,
    /// A caller-given salt for this Disclosure (test vectors only).
    salt: Option<Salt>,
    /// Set when the claims had a value here.
    found: bool,
    keys: HashMap<&'p str, Selection<'p>>,
    indices: HashMap<usize, Selection<'p>>,
}

impl<'p> Selection<'p> {
    /// The node for `path`, created with its ancestors if needed.
    fn node_mut(&mut self, path: &'p ClaimPath) -> &mut Selection<'p> {
        path.segments()
            .iter()
            .fold(self, |node, segment| match segment {
                PathSegment::Key(k) => node.keys.entry(k.as_str()).or_default(),
                PathSegment::Index(i) => node.indices.entry(*i).or_default(),
            })
    }

    /// The node for `path`, if some selected path goes through it.
    fn node(&mut self, path: &ClaimPath) -> Option<&mut Selection<'p>> {
        path.segments()
            .iter()
            .try_fold(self, |node, segment| match segment {
                PathSegment::Key(k) => node.keys.get_mut(k.as_str()),
                PathSegment::Index(i) => node.indices.get_mut(i),
            })
    }

    /// Nothing at or below this node is selected.
    fn is_leaf(&self) -> bool {
        self.keys.is_empty() && self.indices.is_empty()
    }
}

struct Context<'a> {
    array_decoys: ArrayDecoyPlacement,
    provider: &'a CryptoProvider,
    hash: HashAlgorithm,
    decoys: Decoys,
    /// Fresh salts, drawn together before the walk.
    salts: std::vec::IntoIter<Salt>,
    /// How many selected paths were found in the claims.
    found: usize,
    disclosures: Vec<Disclosure>,
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

    /// Transforms what lies below `node`'s value, then says whether the value itself is to be
    /// made disclosable (and with which salt).
    fn visit(
        &mut self,
        value: Value,
        node: &mut Selection<'_>,
    ) -> Result<(Value, Option<Salt>), Error> {
        node.found = true;
        let value = if node.is_leaf() {
            value
        } else {
            match value {
                Value::Object(m) => Value::Object(self.object(m, node)?),
                Value::Array(a) => Value::Array(self.array(a, node)?),
                // Selected paths below a scalar are not found.
                other => other,
            }
        };
        if !node.disclose {
            return Ok((value, None));
        }
        self.found += 1;
        let salt = match (node.salt.take(), self.salts.next()) {
            (Some(salt), _) | (None, Some(salt)) => salt,
            (None, None) => Salt::random(self.provider)?,
        };
        Ok((value, Some(salt)))
    }

    fn digest_of(&mut self, d: Disclosure) -> Result<String, Error> {
        let digest = d.digest(self.provider, self.hash)?;
        self.disclosures.push(d);
        Ok(digest.into_string())
    }

    /// RFC 9901 §4.2.4.1: disclosable members become digests in `_sd`.
    fn object(
        &mut self,
        m: Map<String, Value>,
        node: &mut Selection<'_>,
    ) -> Result<Map<String, Value>, Error> {
        if node.keys.is_empty() {
            return Ok(m);
        }
        let mut out = Map::with_capacity(m.len());
        let mut sd = Vec::new();
        for (key, value) in m {
            let Some(child) = node.keys.get_mut(key.as_str()) else {
                out.insert(key, value);
                continue;
            };
            // Inner disclosures first, so a recursive disclosure carries their digests.
            match self.visit(value, child)? {
                (value, Some(salt)) => {
                    let name = ClaimName::new(key)?;
                    sd.push(self.digest_of(Disclosure::new_property(salt, name, value))?);
                }
                (value, None) => {
                    out.insert(key, value);
                }
            }
        }
        if !sd.is_empty() {
            for _ in 0..self.decoy_count()? {
                sd.push(Digest::decoy(self.provider, self.hash)?.into_string());
            }
            // RFC 9901 §4.2.4.1: the order of `_sd` must not reveal the order of the claims.
            sd.sort_unstable();
            out.insert(
                "_sd".into(),
                Value::Array(sd.into_iter().map(Value::String).collect()),
            );
        }
        Ok(out)
    }

    /// RFC 9901 §4.2.4.2: disclosable elements become `{"...": digest}` in place.
    fn array(&mut self, a: Vec<Value>, node: &mut Selection<'_>) -> Result<Vec<Value>, Error> {
        if node.indices.is_empty() {
            return Ok(a);
        }
        let mut out = Vec::with_capacity(a.len());
        let mut any_disclosable = false;
        for (i, value) in a.into_iter().enumerate() {
            let Some(child) = node.indices.get_mut(&i) else {
                out.push(value);
                continue;
            };
            match self.visit(value, child)? {
                (value, Some(salt)) => {
                    any_disclosable = true;
                    let digest = self.digest_of(Disclosure::new_array_element(salt, value))?;
                    out.push(placeholder(digest));
                }
                (value, None) => out.push(value),
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
#[derive(Clone, Debug)]
pub struct PreparedSdJwt {
    payload: String,
    disclosures: Vec<Disclosure>,
    typ: Option<String>,
    header: Map<String, Value>,
}

impl PreparedSdJwt {
    /// The JWT payload (JSON text) that will be signed.
    pub fn payload(&self) -> &str {
        &self.payload
    }

    /// The Disclosures, in creation order.
    pub fn disclosures(&self) -> &[Disclosure] {
        &self.disclosures
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

    fn complete(&self, input: SigningInput, signature: &[u8]) -> Result<SdJwt, Error> {
        let jws = input.into_compact_jws(signature)?;
        Ok(SdJwt::from_parts(
            IssuerJws::Compact(jws),
            self.disclosures.clone(),
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
            self.disclosures.clone(),
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
