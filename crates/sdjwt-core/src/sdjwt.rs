//! SD-JWT and SD-JWT+KB in the compact serialization (RFC 9901 §4) and the JWS JSON
//! serialization (RFC 9901 §8), parsed into one type.

use std::sync::{Arc, OnceLock};

use sdjwt_jose::json::tree::{JsonTree, TreeRef};
use sdjwt_jose::jws::{CompactJws, Header, JsonJws, JsonSignature, JsonSyntax};
use sdjwt_jose::{CryptoProvider, HashAlgorithm, HashOutput, JwsVerifier};
use serde_json::{Map, Value};

use crate::disclosure::{Digest, Disclosure};
use crate::error::Error;
use crate::kb::KeyBindingJwt;
use crate::limits::{Limit, Limits};
use crate::process::{self, ProcessedPayload, ValueRef, View};

/// How an SD-JWT is (or is to be) serialized.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Serialization {
    /// `<Issuer-signed JWT>~<Disclosure 1>~...~<Disclosure N>~[<KB-JWT>]` (RFC 9901 §4).
    Compact,
    /// The JWS JSON serialization (RFC 9901 §8), flattened or general.
    Json(JsonSyntax),
}

/// The signed part of an SD-JWT, in whichever JWS serialization it came.
#[derive(Clone, Debug, PartialEq)]
pub enum IssuerJws {
    /// A compact JWS.
    Compact(CompactJws),
    /// A JWS JSON serialization with one or more signatures. The `disclosures` and `kb_jwt`
    /// unprotected header members are held separately by [`SdJwt`], not in here.
    Json(JsonJws),
}

impl IssuerJws {
    /// The protected header of the first (for compact, the only) signature.
    pub fn header(&self) -> &Header {
        match self {
            Self::Compact(c) => c.header(),
            Self::Json(j) => j.signatures()[0].header(),
        }
    }

    /// The compact form of the first signature: `protected.payload.signature` (RFC 9901 §8.1
    /// builds `sd_hash` input from it for the JSON serialization).
    pub fn first_compact(&self) -> String {
        self.first_compact_with_capacity(0)
    }

    /// [`IssuerJws::first_compact`] in a buffer with room for `extra` more bytes.
    fn first_compact_with_capacity(&self, extra: usize) -> String {
        match self {
            Self::Compact(c) => {
                let mut out = String::with_capacity(c.as_str().len() + extra);
                out.push_str(c.as_str());
                out
            }
            Self::Json(j) => {
                let s = &j.signatures()[0];
                let parts = [s.protected_b64(), j.payload_b64(), s.signature_b64()];
                let len = parts.iter().map(|p| p.len()).sum::<usize>() + 2;
                let mut out = String::with_capacity(len + extra);
                out.push_str(parts[0]);
                out.push('.');
                out.push_str(parts[1]);
                out.push('.');
                out.push_str(parts[2]);
                out
            }
        }
    }

    /// How many issuer signatures there are (1 for compact).
    pub fn signature_count(&self) -> usize {
        match self {
            Self::Compact(_) => 1,
            Self::Json(j) => j.signatures().len(),
        }
    }

    /// Every issuer signature, in order, whatever the serialization (RFC 9901 §7.1 step 2 and
    /// §8.4 apply to each).
    pub fn signatures(&self) -> impl Iterator<Item = IssuerSignature<'_>> {
        let (compact, json) = match self {
            Self::Compact(c) => (Some(c), None),
            Self::Json(j) => (None, Some(j)),
        };
        let compact = compact
            .into_iter()
            .map(|c| IssuerSignature(SignatureRef::Compact(c)));
        let json = json.into_iter().flat_map(|j| {
            j.signatures()
                .iter()
                .map(move |s| IssuerSignature(SignatureRef::Json(j, s)))
        });
        compact.chain(json)
    }

    fn payload(&self) -> &[u8] {
        match self {
            Self::Compact(c) => c.payload(),
            Self::Json(j) => j.payload(),
        }
    }
}

/// One issuer signature of an SD-JWT: its protected header, its key id and how to check it.
#[derive(Clone, Copy, Debug)]
pub struct IssuerSignature<'a>(SignatureRef<'a>);

#[derive(Clone, Copy, Debug)]
enum SignatureRef<'a> {
    Compact(&'a CompactJws),
    Json(&'a JsonJws, &'a JsonSignature),
}

impl<'a> IssuerSignature<'a> {
    /// The protected header.
    pub fn header(&self) -> &'a Header {
        match self.0 {
            SignatureRef::Compact(c) => c.header(),
            SignatureRef::Json(_, s) => s.header(),
        }
    }

    /// The `kid`: from the protected header, else (JSON serialization) the unprotected one.
    pub fn kid(&self) -> Option<&'a str> {
        match self.0 {
            SignatureRef::Compact(c) => c.header().kid(),
            SignatureRef::Json(_, s) => s.kid(),
        }
    }

    /// Verifies the signature over the signing input exactly as received.
    ///
    /// # Errors
    ///
    /// See [`sdjwt_jose::jws::verify_signature`].
    pub fn verify(&self, verifier: &dyn JwsVerifier) -> Result<(), sdjwt_jose::Error> {
        match self.0 {
            SignatureRef::Compact(c) => c.verify(verifier),
            SignatureRef::Json(j, s) => s.verify(j.payload_b64(), verifier),
        }
    }

    /// Verifies the signature given the digest of its signing input under the verifier's
    /// [`JwsVerifier::digest_algorithm`] (see [`sdjwt_jose::jws::verify_signature_digest`]).
    ///
    /// `digest` must have been computed from this signature's signing input as received:
    /// [`SdJwt::sd_hash_and_signing_input_digest`] computes it for the first signature.
    ///
    /// # Errors
    ///
    /// See [`sdjwt_jose::jws::verify_signature_digest`].
    pub fn verify_digest(
        &self,
        verifier: &dyn JwsVerifier,
        digest: &HashOutput,
    ) -> Result<(), sdjwt_jose::Error> {
        let signature = match self.0 {
            SignatureRef::Compact(c) => c.signature(),
            SignatureRef::Json(_, s) => s.signature(),
        };
        sdjwt_jose::jws::verify_signature_digest(self.header().alg(), digest, signature, verifier)
    }
}

/// An SD-JWT or SD-JWT+KB: the Issuer-signed JWT, its Disclosures and an optional Key Binding
/// JWT, parsed but **not verified**. Use the holder or verifier crate to check it; this type
/// is for inspection and for building presentations.
#[derive(Clone, Debug, PartialEq)]
pub struct SdJwt {
    // The signed part and its payload are shared, not copied, between an SD-JWT and the
    // presentations made from it (see `with_disclosures`).
    jws: Arc<IssuerJws>,
    payload: Arc<Payload>,
    disclosures: Vec<Disclosure>,
    key_binding: Option<KeyBindingJwt>,
}

impl SdJwt {
    /// Assembles an SD-JWT from its parts (used by the issuer and the holder).
    ///
    /// # Errors
    ///
    /// [`Error::PayloadNotObject`] or a JSON error if the JWS payload is not a JSON object.
    pub fn from_parts(
        jws: IssuerJws,
        disclosures: Vec<Disclosure>,
        key_binding: Option<KeyBindingJwt>,
    ) -> Result<Self, Error> {
        let tree = match JsonTree::parse_object(jws.payload()) {
            Ok(tree) => tree,
            Err(sdjwt_jose::json::JsonError::NotAnObject) => return Err(Error::PayloadNotObject),
            Err(e) => return Err(e.into()),
        };
        Ok(Self {
            jws: Arc::new(jws),
            payload: Arc::new(Payload {
                tree,
                map: OnceLock::new(),
            }),
            disclosures,
            key_binding,
        })
    }

    /// Parses either serialization, telling them apart by the first character (`{` for JSON).
    ///
    /// # Errors
    ///
    /// See [`SdJwt::parse_compact`] and [`SdJwt::parse_json`].
    pub fn parse(text: &str, limits: &Limits) -> Result<Self, Error> {
        if text.starts_with('{') {
            Self::parse_json(text, limits)
        } else {
            Self::parse_compact(text, limits)
        }
    }

    /// Parses the compact serialization (RFC 9901 §4).
    ///
    /// # Errors
    ///
    /// [`Error::LimitExceeded`], [`Error::MissingTilde`], [`Error::EmptyDisclosure`],
    /// [`Error::Disclosure`], and JOSE errors for the JWTs.
    pub fn parse_compact(text: &str, limits: &Limits) -> Result<Self, Error> {
        check_size(text, limits)?;
        let Some((jwt, rest)) = text.split_once('~') else {
            return Err(Error::MissingTilde);
        };
        // Everything after the last '~' is the KB-JWT (empty for an SD-JWT).
        let (middle, kb) = match rest.rsplit_once('~') {
            Some((middle, kb)) => (Some(middle), kb),
            None => (None, rest),
        };
        let mut disclosures = Vec::new();
        if let Some(middle) = middle {
            for (index, part) in middle.split('~').enumerate() {
                if index >= limits.max_disclosures {
                    return Err(Error::LimitExceeded {
                        limit: Limit::Disclosures,
                        max: limits.max_disclosures,
                    });
                }
                if part.is_empty() {
                    return Err(Error::EmptyDisclosure { index });
                }
                disclosures.push(
                    Disclosure::parse(part).map_err(|error| Error::Disclosure { index, error })?,
                );
            }
        }
        let key_binding = if kb.is_empty() {
            None
        } else {
            Some(KeyBindingJwt::parse(kb)?)
        };
        Self::from_parts(
            IssuerJws::Compact(CompactJws::parse(jwt)?),
            disclosures,
            key_binding,
        )
    }

    /// Parses the JWS JSON serialization, flattened or general (RFC 9901 §8).
    ///
    /// # Errors
    ///
    /// [`Error::LimitExceeded`], [`Error::InvalidJsonHeader`], [`Error::MisplacedJsonHeader`],
    /// [`Error::Disclosure`], and JOSE errors.
    pub fn parse_json(text: &str, limits: &Limits) -> Result<Self, Error> {
        check_size(text, limits)?;
        let obj = sdjwt_jose::json::parse_object(text.as_bytes())?;
        let mut jws = JsonJws::from_json(&obj)?;
        // RFC 9901 §8.3: `disclosures` and `kb_jwt` only in the first unprotected header.
        for (signature, s) in jws.signatures().iter().enumerate().skip(1) {
            for name in ["disclosures", "kb_jwt"] {
                if s.unprotected().contains_key(name) {
                    return Err(Error::MisplacedJsonHeader { name, signature });
                }
            }
        }
        let first = &mut jws.signatures_mut()[0];
        let unprotected = first.unprotected_mut();
        let mut disclosures = Vec::new();
        match unprotected.remove("disclosures") {
            None => {}
            Some(Value::Array(items)) => {
                if items.len() > limits.max_disclosures {
                    return Err(Error::LimitExceeded {
                        limit: Limit::Disclosures,
                        max: limits.max_disclosures,
                    });
                }
                for (index, item) in items.iter().enumerate() {
                    let Value::String(s) = item else {
                        return Err(Error::InvalidJsonHeader {
                            name: "disclosures",
                        });
                    };
                    disclosures.push(
                        Disclosure::parse(s).map_err(|error| Error::Disclosure { index, error })?,
                    );
                }
            }
            Some(_) => {
                return Err(Error::InvalidJsonHeader {
                    name: "disclosures",
                });
            }
        }
        let key_binding = match unprotected.remove("kb_jwt") {
            None => None,
            Some(Value::String(s)) => Some(KeyBindingJwt::parse(&s)?),
            Some(_) => return Err(Error::InvalidJsonHeader { name: "kb_jwt" }),
        };
        Self::from_parts(IssuerJws::Json(jws), disclosures, key_binding)
    }

    /// The signed part.
    pub fn jws(&self) -> &IssuerJws {
        &self.jws
    }

    /// The protected header of the (first) issuer signature.
    pub fn header(&self) -> &Header {
        self.jws.header()
    }

    /// The Issuer-signed JWT payload, before processing (digests, `_sd_alg` and all).
    ///
    /// The map is built on first use and kept (it is shared with the presentations made from
    /// this value). Verification never needs it: it reads the payload in place through
    /// [`SdJwt::payload_tree`].
    pub fn payload(&self) -> &Map<String, Value> {
        self.payload.map()
    }

    /// The Issuer-signed JWT payload, read in place: no copy of any claim is made until asked
    /// for (see [`sdjwt_jose::json::tree`]).
    pub fn payload_tree(&self) -> TreeRef<'_> {
        self.payload.tree.root()
    }

    /// The holder's public key from the plaintext `cnf.jwk` (see [`holder_key`]), read without
    /// building [`SdJwt::payload`].
    ///
    /// # Errors
    ///
    /// As [`holder_key`].
    pub fn holder_key(&self) -> Result<sdjwt_jose::Jwk, Error> {
        holder_key_in(self.payload_tree())
    }

    /// The Disclosures, in the order received.
    pub fn disclosures(&self) -> &[Disclosure] {
        &self.disclosures
    }

    /// The Key Binding JWT, if this is an SD-JWT+KB.
    pub fn key_binding(&self) -> Option<&KeyBindingJwt> {
        self.key_binding.as_ref()
    }

    /// Which serialization this value uses.
    pub fn serialization(&self) -> Serialization {
        match &*self.jws {
            IssuerJws::Compact(_) => Serialization::Compact,
            IssuerJws::Json(j) => Serialization::Json(j.syntax()),
        }
    }

    /// The hash algorithm named by `_sd_alg` (sha-256 when absent).
    ///
    /// # Errors
    ///
    /// See [`process::hash_algorithm`].
    pub fn hash_algorithm(&self) -> Result<HashAlgorithm, Error> {
        process::hash_algorithm_in(self.payload_tree())
    }

    /// Runs RFC 9901 §7.1 steps 3 to 5 over the payload and Disclosures. This does **not**
    /// check any signature.
    ///
    /// # Errors
    ///
    /// See [`process::process`].
    pub fn process(
        &self,
        provider: &CryptoProvider,
        limits: &Limits,
    ) -> Result<ProcessedPayload, Error> {
        process::process_in(self.payload_tree(), &self.disclosures, provider, limits)
    }

    /// The SD-JWT part in compact form, `<Issuer-signed JWT>~<D1>~...~<DN>~`: the bytes
    /// `sd_hash` covers (RFC 9901 §4.3.1; for the JSON serialization, §8.1).
    pub fn sd_jwt_compact(&self) -> String {
        let tail = 1 + self
            .disclosures
            .iter()
            .map(|d| d.as_str().len() + 1)
            .sum::<usize>();
        let mut out = self.jws.first_compact_with_capacity(tail);
        out.push('~');
        for d in &self.disclosures {
            out.push_str(d.as_str());
            out.push('~');
        }
        out
    }

    /// Computes the `sd_hash` a KB-JWT for this SD-JWT must carry.
    ///
    /// # Errors
    ///
    /// Unknown or unsupported hash algorithm.
    pub fn sd_hash(&self, provider: &CryptoProvider) -> Result<Digest, Error> {
        let (parts, _) = self.sd_hash_parts();
        let digest = provider.digest_parts(self.hash_algorithm()?, &parts)?;
        Ok(Digest::from_string(sdjwt_jose::base64url::encode(
            digest.as_bytes(),
        )))
    }

    /// [`SdJwt::sd_hash`] together with the digest, under the same (`_sd_alg`) hash, of the
    /// first issuer signature's signing input. That signing input is where the `sd_hash` input
    /// begins, so it is hashed once for both ([`HashProvider::digest_prefix_and_whole`]): a
    /// verifier whose [`JwsVerifier::digest_algorithm`] is that hash checks the signature with
    /// the second value ([`IssuerSignature::verify_digest`]) instead of hashing the Issuer-signed
    /// JWT again.
    ///
    /// [`HashProvider::digest_prefix_and_whole`]: sdjwt_jose::HashProvider::digest_prefix_and_whole
    ///
    /// # Errors
    ///
    /// Unknown or unsupported hash algorithm.
    pub fn sd_hash_and_signing_input_digest(
        &self,
        provider: &CryptoProvider,
    ) -> Result<(Digest, HashOutput), Error> {
        let (parts, signing_input) = self.sd_hash_parts();
        let (input, whole) = provider.hash.digest_prefix_and_whole(
            self.hash_algorithm()?,
            &parts[..signing_input],
            &parts[signing_input..],
        )?;
        let sd_hash = Digest::from_string(sdjwt_jose::base64url::encode(whole.as_bytes()));
        Ok((sd_hash, input))
    }

    /// The bytes of [`SdJwt::sd_jwt_compact`] where they lie, and how many of the parts make up
    /// the first signature's signing input (`protected.payload`), which comes first.
    fn sd_hash_parts(&self) -> (Vec<&[u8]>, usize) {
        let mut parts: Vec<&[u8]> = Vec::with_capacity(6 + 2 * self.disclosures.len());
        let (protected, payload, signature) = match &*self.jws {
            IssuerJws::Compact(c) => (c.protected_b64(), c.payload_b64(), c.signature_b64()),
            IssuerJws::Json(j) => {
                let s = &j.signatures()[0];
                (s.protected_b64(), j.payload_b64(), s.signature_b64())
            }
        };
        parts.extend([protected.as_bytes(), b".", payload.as_bytes()]);
        let signing_input = parts.len();
        parts.extend([b".", signature.as_bytes(), b"~"]);
        for d in &self.disclosures {
            parts.extend([d.as_str().as_bytes(), b"~"]);
        }
        (parts, signing_input)
    }

    /// A copy with a different set of Disclosures and no Key Binding JWT.
    #[must_use]
    pub fn with_disclosures(&self, disclosures: Vec<Disclosure>) -> Self {
        Self {
            jws: Arc::clone(&self.jws),
            payload: Arc::clone(&self.payload),
            disclosures,
            key_binding: None,
        }
    }

    /// A copy carrying `kb` as its Key Binding JWT.
    #[must_use]
    pub fn with_key_binding(mut self, kb: KeyBindingJwt) -> Self {
        self.key_binding = Some(kb);
        self
    }

    /// Serializes in compact form. For a JSON serialization with several signatures only the
    /// first survives, since the compact form holds one.
    pub fn to_compact(&self) -> String {
        let mut out = self.sd_jwt_compact();
        if let Some(kb) = &self.key_binding {
            out.push_str(kb.as_str());
        }
        out
    }

    /// Serializes in the JWS JSON serialization with `syntax` (RFC 9901 §8): `disclosures` and
    /// `kb_jwt` go in the first signature's unprotected header.
    ///
    /// # Errors
    ///
    /// JOSE errors if flattened syntax is asked for with more than one signature.
    pub fn to_json(&self, syntax: JsonSyntax) -> Result<Map<String, Value>, Error> {
        let mut sigs: Vec<JsonSignature> = match &*self.jws {
            IssuerJws::Compact(c) => vec![JsonSignature::from_compact(c)],
            IssuerJws::Json(j) => j.signatures().to_vec(),
        };
        let payload_b64 = match &*self.jws {
            IssuerJws::Compact(c) => c.payload_b64(),
            IssuerJws::Json(j) => j.payload_b64(),
        };
        let first = sigs[0].unprotected_mut();
        first.insert(
            "disclosures".into(),
            Value::Array(self.disclosures.iter().map(|d| d.as_str().into()).collect()),
        );
        if let Some(kb) = &self.key_binding {
            first.insert("kb_jwt".into(), kb.as_str().into());
        }
        Ok(JsonJws::new(payload_b64, sigs, syntax)?.to_json())
    }

    /// Serializes in the form it was parsed or built in.
    pub fn serialize(&self) -> String {
        match self.serialization() {
            Serialization::Compact => self.to_compact(),
            Serialization::Json(syntax) => match self.to_json(syntax) {
                Ok(map) => Value::Object(map).to_string(),
                // Unreachable in practice: a JSON value parsed with `syntax` re-serializes with it.
                Err(_) => self.to_compact(),
            },
        }
    }
}

/// The Issuer-signed JWT payload: parsed once, read in place, and turned into a map only when
/// [`SdJwt::payload`] is asked for.
#[derive(Clone)]
struct Payload {
    tree: JsonTree,
    map: OnceLock<Map<String, Value>>,
}

impl Payload {
    fn map(&self) -> &Map<String, Value> {
        self.map.get_or_init(|| self.tree.to_map())
    }
}

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        // The map, when built, is the tree's: the tree decides.
        self.tree == other.tree
    }
}

impl core::fmt::Debug for Payload {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(self.map(), f)
    }
}

fn check_size(text: &str, limits: &Limits) -> Result<(), Error> {
    if text.len() > limits.max_input_bytes {
        return Err(Error::LimitExceeded {
            limit: Limit::InputBytes,
            max: limits.max_input_bytes,
        });
    }
    Ok(())
}

/// Reads the holder's public key from `cnf.jwk` in an Issuer-signed JWT payload
/// (RFC 9901 §4.1.2, RFC 7800 §3.2). Only the plaintext payload is consulted: a key that was
/// itself selectively disclosable would not be security-critical-safe (RFC 9901 §9.7).
///
/// # Errors
///
/// [`Error::MissingHolderKey`] when there is no `cnf.jwk`, or a JWK error.
pub fn holder_key(payload: &Map<String, Value>) -> Result<sdjwt_jose::Jwk, Error> {
    holder_key_in(ValueRef::Map(payload))
}

/// [`holder_key`] over any view of the payload; only the JWK itself is copied.
fn holder_key_in<'a>(payload: impl View<'a>) -> Result<sdjwt_jose::Jwk, Error> {
    // `get` finds nothing in anything but an object, so a `cnf` of another type is no key.
    let jwk = payload
        .get("cnf")
        .and_then(|cnf| cnf.get("jwk"))
        .map(View::to_value);
    match jwk {
        Some(Value::Object(jwk)) => Ok(sdjwt_jose::Jwk::from_json(&jwk)?),
        _ => Err(Error::MissingHolderKey),
    }
}

#[cfg(test)]
mod tests {
    use sdjwt_jose::jws::{CompactJws, JsonSyntax};
    use sdjwt_jose::{
        CryptoProvider, Error as JoseError, HashAlgorithm, HashOutput, HashProvider, Jwk,
        JwsAlgorithm, JwsSigner, JwsVerifier, KeyProvider, SecureRandom, base64url,
    };

    use super::*;

    /// A provider whose only working part is a (non-cryptographic) FNV-1a "hash" that does not
    /// override `digest_parts`, so hashing parts equals hashing their concatenation.
    #[derive(Debug)]
    struct Fnv;

    impl HashProvider for Fnv {
        fn digest(&self, _: HashAlgorithm, data: &[u8]) -> Result<HashOutput, JoseError> {
            let h = data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            });
            HashOutput::new(&h.to_be_bytes())
        }
    }

    impl SecureRandom for Fnv {
        fn fill(&self, _: &mut [u8]) -> Result<(), JoseError> {
            Err(JoseError::Crypto)
        }
    }

    impl KeyProvider for Fnv {
        fn signer(&self, _: &Jwk, _: JwsAlgorithm) -> Result<Box<dyn JwsSigner>, JoseError> {
            Err(JoseError::Crypto)
        }

        fn verifier(&self, _: &Jwk, _: JwsAlgorithm) -> Result<Box<dyn JwsVerifier>, JoseError> {
            Err(JoseError::Crypto)
        }

        fn generate(&self, _: JwsAlgorithm) -> Result<Jwk, JoseError> {
            Err(JoseError::Crypto)
        }
    }

    const FNV: CryptoProvider = CryptoProvider {
        name: "fnv",
        signature_algorithms: &[],
        hash_algorithms: HashAlgorithm::ALL,
        keys: &Fnv,
        hash: &Fnv,
        random: &Fnv,
    };

    #[test]
    fn sd_hash_covers_exactly_the_compact_sd_jwt() {
        let disclosures = [r#"["s1","a",1]"#, r#"["s2","b",[1,2]]"#]
            .map(|d| Disclosure::parse(&base64url::encode(d)).unwrap_or_else(|e| panic!("{e}")));
        let payload = base64url::encode(r#"{"_sd":[],"iss":"x"}"#);
        let header = base64url::encode(r#"{"alg":"ES256"}"#);
        let jws = CompactJws::parse(&format!("{header}.{payload}.AAAA"))
            .unwrap_or_else(|e| panic!("{e}"));
        let compact = SdJwt::from_parts(IssuerJws::Compact(jws), disclosures.to_vec(), None)
            .unwrap_or_else(|e| panic!("{e}"));
        let json = SdJwt::parse_json(
            &Value::Object(
                compact
                    .to_json(JsonSyntax::General)
                    .unwrap_or_else(|e| panic!("{e}")),
            )
            .to_string(),
            &Limits::DEFAULT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        for sd_jwt in [&compact, &json, &compact.with_disclosures(Vec::new())] {
            let whole = crate::kb::sd_hash(&FNV, HashAlgorithm::Sha256, &sd_jwt.sd_jwt_compact());
            assert_eq!(sd_jwt.sd_hash(&FNV).ok(), whole.ok());
            // Computed together with the signing input's digest, by the trait's default (FNV)
            // and by a backend that forks its hash state (aws-lc-rs): the same two values.
            let signing_input = format!("{header}.{payload}");
            for provider in [&FNV, &sdjwt_aws_lc::DEFAULT_PROVIDER] {
                let together = sd_jwt.sd_hash_and_signing_input_digest(provider);
                let apart = (
                    sd_jwt.sd_hash(provider),
                    provider.digest(HashAlgorithm::Sha256, signing_input.as_bytes()),
                );
                assert_eq!(
                    together.ok(),
                    Some((
                        apart.0.unwrap_or_else(|e| panic!("{e}")),
                        apart.1.unwrap_or_else(|e| panic!("{e}"))
                    ))
                );
            }
        }
    }
}
