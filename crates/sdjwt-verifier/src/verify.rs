//! The verification procedure (RFC 9901 §7.1 and §7.3) and its result.

use sdjwt_core::jose::jws::Header;
use sdjwt_core::process::DisclosedClaim;
use sdjwt_core::time::check_validity;
use sdjwt_core::{
    ClaimPath, Digest, IssuerJws, IssuerSignature, KB_JWT_TYP, KbClaims, KeyBindingJwt, SdJwt,
    Serialization, UnixTime,
};
use sdjwt_jose::{CryptoProvider, HashAlgorithm, HashOutput, Jwk};
use serde_json::{Map, Value};

use crate::error::Error;
use crate::keys::IssuerKeyResolver;
use crate::policy::{KeyBinding, Policy, SignaturePolicy};

/// Checks presentations (SD-JWT or SD-JWT+KB, compact or JWS JSON) against a [`Policy`], with
/// a crypto provider and a source of trusted issuer keys.
///
/// A `Verifier` holds no per-transaction state: the nonce and audience live in the policy's
/// [`KeyBinding`], and the time is an argument, so one `Verifier` can serve every request.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
/// use sdjwt_issuer::SdJwtBuilder;
/// use sdjwt_jose::JwsAlgorithm;
/// use sdjwt_verifier::{KeyBinding, Policy, StaticKeys, Verifier};
/// use serde_json::json;
///
/// let issuer_key = provider.generate_key(JwsAlgorithm::Es256)?;
/// let signer = provider.signer(&issuer_key, JwsAlgorithm::Es256)?;
/// let claims = json!({"right_to_work": true}).as_object().cloned().unwrap_or_default();
/// let sd_jwt = SdJwtBuilder::new(claims)
///     .issuer("https://identity.example")
///     .issued_at(1_700_000_000)
///     .prepare(&provider)?
///     .sign(&*signer)?;
///
/// let keys = StaticKeys::new().with_issuer_key("https://identity.example", &issuer_key);
/// let verifier = Verifier::new(&provider, &keys);
/// let verified = verifier.verify(
///     &sd_jwt.to_compact(),
///     &Policy::new(KeyBinding::NotRequired),
///     1_700_000_100,
/// )?;
/// assert_eq!(verified.claims()["right_to_work"], json!(true));
/// assert_eq!(verified.issuer(), Some("https://identity.example"));
/// # Ok(()) }
/// ```
#[derive(Clone, Copy)]
pub struct Verifier<'a> {
    provider: &'a CryptoProvider,
    keys: &'a (dyn IssuerKeyResolver + Sync),
}

impl core::fmt::Debug for Verifier<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verifier")
            .field("provider", &self.provider.name)
            .finish_non_exhaustive()
    }
}

/// What happened to one issuer signature (see [`SignaturePolicy`]).
enum Outcome {
    Valid,
    /// Algorithm not allowed, or no trusted key: skipped under `AtLeastOne`.
    Unverifiable(Error),
    /// A trusted key fits but the signature or its `typ` is wrong: always an error.
    Invalid(Error),
}

impl<'a> Verifier<'a> {
    /// A verifier using `provider` for signatures and digests and `keys` for issuer trust.
    ///
    /// The resolver must be `Sync` so that the verifier is `Send + Sync`: one `Verifier` can
    /// serve concurrent requests from several threads.
    pub fn new(provider: &'a CryptoProvider, keys: &'a (dyn IssuerKeyResolver + Sync)) -> Self {
        Self { provider, keys }
    }

    /// Verifies a presentation received as text, in the compact serialization (RFC 9901 §4)
    /// or the JWS JSON serialization, flattened or general (RFC 9901 §8), at time `now`.
    ///
    /// The steps, in order; the first failure aborts:
    ///
    /// 1. Parse, within [`Policy::limits`] (RFC 9901 §7.1 step 1, §7.3 step 3).
    /// 2. If the policy requires key binding and there is no KB-JWT, reject
    ///    ([`Error::KeyBindingRequired`], §7.3 step 2).
    /// 3. The issuer signatures (§7.1 step 2.a to 2.c), judged by [`Policy::signatures`]:
    ///    algorithm allowed, trusted key resolved from `iss`, `kid` and `alg`, required `typ`,
    ///    signature over the exact signing input received.
    /// 4. `_sd_alg` allowed by policy (§7.1 step 2.d).
    /// 5. Disclosures processed (§7.1 steps 3 to 5).
    /// 6. `exp`, `nbf`, `iat` with leeway; an `aud`, if present, names this verifier
    ///    ([`Policy::audience`]); and [`Policy::required_claims`] present (§7.1 step 6).
    /// 7. If key binding is required, the KB-JWT (§7.3 step 5): holder key from the plaintext
    ///    `cnf.jwk`, algorithm allowed, signature, `typ` `kb+jwt`, `iat` window, `nonce`, `aud`,
    ///    `sd_hash` over the presentation as received, and `exp`/`nbf` if it carries them.
    ///
    /// With [`KeyBinding::NotRequired`] a KB-JWT that happens to be present is ignored, not
    /// checked (§7.3 step 1: the decision comes from policy alone), and
    /// [`VerifiedPresentation::key_bound`] is `false`.
    ///
    /// # Errors
    ///
    /// See [`Error`]; each rule has its own variant.
    pub fn verify(
        &self,
        presentation: &str,
        policy: &Policy,
        now: UnixTime,
    ) -> Result<VerifiedPresentation, Error> {
        let sd_jwt = SdJwt::parse(presentation, &policy.limits)?;
        self.verify_parsed(&sd_jwt, policy, now)
    }

    /// Verifies a presentation that has already been parsed, exactly as
    /// [`Verifier::verify`] does after its parsing step.
    ///
    /// # Errors
    ///
    /// See [`Verifier::verify`].
    pub fn verify_parsed(
        &self,
        sd_jwt: &SdJwt,
        policy: &Policy,
        now: UnixTime,
    ) -> Result<VerifiedPresentation, Error> {
        // RFC 9901 §7.3 steps 1 and 2.
        if matches!(policy.key_binding, KeyBinding::Required { .. })
            && sd_jwt.key_binding().is_none()
        {
            return Err(Error::KeyBindingRequired);
        }

        // §7.1 step 2.
        // Read in place: verification never builds the payload map (`SdJwt::payload_tree`).
        let issuer = match sd_jwt.payload_tree().get("iss") {
            None => None,
            Some(iss) => Some(iss.as_str().ok_or(Error::IssuerNotString)?.to_owned()),
        };
        // With key binding, `sd_hash` covers the Issuer-signed JWT again: the first signature's
        // signing input is hashed once for both (a KB-JWT is present: checked above). If that
        // fails (say, an `_sd_alg` the provider lacks), both are computed the usual way, and
        // the error surfaces where it always did.
        let shared = match policy.key_binding {
            KeyBinding::Required { .. } => SharedHash::compute(sd_jwt, self.provider),
            KeyBinding::NotRequired => None,
        };
        let header =
            self.check_issuer_signatures(sd_jwt.jws(), issuer.as_deref(), policy, shared.as_ref())?;

        // §7.1 step 2.d.
        let hash_algorithm = sd_jwt.hash_algorithm()?;
        if !policy.allows_hash(hash_algorithm) {
            return Err(Error::HashNotAllowed {
                alg: hash_algorithm,
            });
        }

        // §7.1 steps 3 to 5.
        let processed = sd_jwt.process(self.provider, &policy.limits)?;

        // §7.1 step 6.
        check_validity(&processed.claims, now, policy.leeway)?;
        check_audience(&processed.claims, policy)?;
        if let Some(name) = policy
            .required_claims
            .iter()
            .find(|name| !processed.claims.contains_key(name.as_str()))
        {
            return Err(sdjwt_core::Error::MissingRequiredClaim { name: name.clone() }.into());
        }

        // §7.3 step 5.
        let key_binding = match &policy.key_binding {
            KeyBinding::NotRequired => None,
            KeyBinding::Required {
                audience,
                nonce,
                max_age,
            } => {
                let kb = sd_jwt.key_binding().ok_or(Error::KeyBindingRequired)?;
                let expected = KbExpectations {
                    audience,
                    nonce,
                    max_age: *max_age,
                    leeway: policy.leeway,
                    now,
                };
                let sd_hash = shared.map(|shared| shared.sd_hash);
                Some(self.check_key_binding(sd_jwt, kb, &expected, policy, sd_hash)?)
            }
        };

        Ok(VerifiedPresentation {
            header,
            issuer,
            claims: processed.claims,
            disclosed: processed.disclosed,
            undisclosed_digests: processed.undisclosed_digests,
            hash_algorithm: processed.hash_algorithm,
            serialization: sd_jwt.serialization(),
            key_binding,
        })
    }

    /// RFC 9901 §7.1 step 2.a to 2.c for every signature, combined by the signature policy.
    /// Returns the protected header of the first signature that verified.
    fn check_issuer_signatures(
        &self,
        jws: &IssuerJws,
        iss: Option<&str>,
        policy: &Policy,
        shared: Option<&SharedHash>,
    ) -> Result<Header, Error> {
        let count = jws.signature_count();
        let lenient = policy.signatures == SignaturePolicy::AtLeastOne && count > 1;
        let mut accepted: Option<&Header> = None;
        for (index, signature) in jws.signatures().enumerate() {
            // Only the first signature's signing input starts the `sd_hash` input.
            let shared = shared.filter(|_| index == 0);
            match self.check_signature(signature, iss, policy, shared)? {
                Outcome::Valid => {
                    accepted.get_or_insert(signature.header());
                }
                Outcome::Unverifiable(_) if lenient => {}
                Outcome::Unverifiable(e) | Outcome::Invalid(e) => return Err(e),
            }
        }
        accepted
            .cloned()
            .ok_or(Error::NoValidSignature { signatures: count })
    }

    /// One signature: algorithm, key, `typ`, then the signature itself (see
    /// [`SignaturePolicy`] for what each failure means). Only a resolver failure is returned
    /// as `Err`.
    fn check_signature(
        &self,
        signature: IssuerSignature<'_>,
        iss: Option<&str>,
        policy: &Policy,
        shared: Option<&SharedHash>,
    ) -> Result<Outcome, Error> {
        let header = signature.header();
        let kid = signature.kid();
        let alg = header.alg();
        if !policy.allows(alg) {
            return Ok(Outcome::Unverifiable(Error::AlgorithmNotAllowed { alg }));
        }
        let candidates = self.keys.resolve_verifiers(self.provider, iss, kid, alg)?;
        if candidates.is_empty() {
            return Ok(Outcome::Unverifiable(Error::NoIssuerKey {
                iss: iss.map(str::to_owned),
                kid: kid.map(str::to_owned),
            }));
        }
        if let Some(expected) = &policy.required_typ
            && !header.typ_is(expected)
        {
            return Ok(Outcome::Invalid(Error::WrongTyp {
                expected: expected.clone(),
                found: header.typ().map(str::to_owned),
            }));
        }
        let mut last = sdjwt_jose::Error::InvalidSignature;
        for candidate in &candidates {
            match candidate {
                Ok(verifier) => {
                    let digest = shared.filter(|s| verifier.digest_algorithm() == Some(s.alg));
                    let result = match digest {
                        Some(s) => signature.verify_digest(verifier.as_ref(), &s.signing_input),
                        None => signature.verify(verifier.as_ref()),
                    };
                    match result {
                        Ok(()) => return Ok(Outcome::Valid),
                        Err(e) => last = e,
                    }
                }
                Err(e) => last = e.clone(),
            }
        }
        Ok(Outcome::Invalid(last.into()))
    }

    /// RFC 9901 §7.3 step 5.
    fn check_key_binding(
        &self,
        sd_jwt: &SdJwt,
        kb: &KeyBindingJwt,
        expected: &KbExpectations<'_>,
        policy: &Policy,
        sd_hash: Option<Digest>,
    ) -> Result<(Jwk, KbClaims), Error> {
        // Step 5.a: only the plaintext `cnf.jwk` of the issuer-signed payload counts.
        let holder = sd_jwt.holder_key()?;
        let header = kb.jws().header();
        // Step 5.b.
        let alg = header.alg();
        if !policy.allows_kb(alg) {
            return Err(Error::KbAlgorithmNotAllowed { alg });
        }
        // Step 5.c.
        let verifier = self.provider.verifier(&holder, alg)?;
        kb.jws().verify(verifier.as_ref())?;
        // Step 5.d.
        if !header.typ_is(KB_JWT_TYP) {
            return Err(Error::KbWrongTyp {
                found: header.typ().map(str::to_owned),
            });
        }
        let claims = kb.claims()?;
        // Step 5.e.
        let now = expected.now;
        let leeway = i64::try_from(expected.leeway).unwrap_or(i64::MAX);
        if claims.iat > now.saturating_add(leeway) {
            return Err(Error::KbIssuedInFuture {
                iat: claims.iat,
                now,
            });
        }
        let window =
            i64::try_from(expected.max_age.saturating_add(expected.leeway)).unwrap_or(i64::MAX);
        if now.saturating_sub(claims.iat) > window {
            return Err(Error::KbTooOld {
                iat: claims.iat,
                now,
                max_age: expected.max_age,
            });
        }
        // Step 5.f.
        if claims.nonce != expected.nonce {
            return Err(Error::KbNonceMismatch {
                expected: expected.nonce.to_owned(),
                found: claims.nonce,
            });
        }
        if claims.aud != expected.audience {
            return Err(Error::KbAudienceMismatch {
                expected: expected.audience.to_owned(),
                found: claims.aud,
            });
        }
        // Step 5.g: over the SD-JWT exactly as presented (for JWS JSON, §8.1's compact form).
        let sd_hash = match sd_hash {
            Some(sd_hash) => sd_hash,
            None => sd_jwt.sd_hash(self.provider)?,
        };
        if sd_hash.as_str() != claims.sd_hash {
            return Err(Error::KbSdHashMismatch);
        }
        // Step 5.h: any `exp` or `nbf` the KB-JWT carries.
        check_validity(kb.payload(), now, expected.leeway)?;
        Ok((holder, claims))
    }
}

/// `sd_hash` computed together with the first signature's signing-input digest, both under the
/// `_sd_alg` hash (see [`SdJwt::sd_hash_and_signing_input_digest`]).
struct SharedHash {
    alg: HashAlgorithm,
    signing_input: HashOutput,
    sd_hash: Digest,
}

impl SharedHash {
    /// Both digests in one pass, or `None` if either cannot be computed.
    fn compute(sd_jwt: &SdJwt, provider: &CryptoProvider) -> Option<Self> {
        let alg = sd_jwt.hash_algorithm().ok()?;
        let (sd_hash, signing_input) = sd_jwt.sd_hash_and_signing_input_digest(provider).ok()?;
        Some(Self {
            alg,
            signing_input,
            sd_hash,
        })
    }
}

struct KbExpectations<'p> {
    audience: &'p str,
    nonce: &'p str,
    max_age: u64,
    leeway: u64,
    now: UnixTime,
}

/// A presentation that passed every check of [`Verifier::verify`]: the only type that hands
/// out the Processed SD-JWT Payload (RFC 9901 §7.1, last paragraph).
///
/// It cannot be built any other way.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedPresentation {
    header: Header,
    issuer: Option<String>,
    claims: Map<String, Value>,
    disclosed: Vec<DisclosedClaim>,
    undisclosed_digests: usize,
    hash_algorithm: HashAlgorithm,
    serialization: Serialization,
    key_binding: Option<(Jwk, KbClaims)>,
}

impl VerifiedPresentation {
    /// The Processed SD-JWT Payload: plaintext claims plus every disclosed claim, without
    /// `_sd`, `_sd_alg` or array digests.
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// Takes the Processed SD-JWT Payload.
    pub fn into_claims(self) -> Map<String, Value> {
        self.claims
    }

    /// The paths of the claims revealed by Disclosures (as opposed to plaintext claims), in
    /// the order processing reached them.
    pub fn disclosed_paths(&self) -> impl Iterator<Item = &ClaimPath> {
        self.disclosed.iter().map(|d| &d.path)
    }

    /// Every Disclosure, with its path and digest.
    pub fn disclosed(&self) -> &[DisclosedClaim] {
        &self.disclosed
    }

    /// How many digests had no Disclosure: claims withheld by the holder and decoys, which
    /// cannot be told apart.
    pub fn undisclosed_digests(&self) -> usize {
        self.undisclosed_digests
    }

    /// The `iss` claim, whose key verified the signature.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// Whether possession of the holder key was proven by a verified KB-JWT. Always `false`
    /// under [`KeyBinding::NotRequired`], even if a KB-JWT was sent.
    pub fn key_bound(&self) -> bool {
        self.key_binding.is_some()
    }

    /// The `_sd_alg` hash algorithm (sha-256 when absent).
    pub fn hash_algorithm(&self) -> HashAlgorithm {
        self.hash_algorithm
    }

    /// The protected header of the issuer signature that verified (for several, the first).
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The serialization the presentation came in.
    pub fn serialization(&self) -> Serialization {
        self.serialization
    }

    /// The holder key (`cnf.jwk`) whose possession the KB-JWT proved, when key bound.
    pub fn holder_key(&self) -> Option<&Jwk> {
        self.key_binding.as_ref().map(|(k, _)| k)
    }

    /// The verified KB-JWT claims, when key bound.
    pub fn kb_claims(&self) -> Option<&KbClaims> {
        self.key_binding.as_ref().map(|(_, c)| c)
    }
}

/// RFC 9901 §7.1 step 6 with RFC 7519 §4.1.3: when the processed payload has `aud`, this
/// verifier must be one of its values, or the SD-JWT is rejected. Who "this verifier" is comes
/// from [`Policy::audience`], else from the key-binding audience; a verifier that knows
/// neither cannot accept an audience-restricted credential.
fn check_audience(claims: &serde_json::Map<String, Value>, policy: &Policy) -> Result<(), Error> {
    let Some(aud) = claims.get("aud") else {
        return Ok(());
    };
    let expected = policy.audience.as_deref().or(match &policy.key_binding {
        KeyBinding::Required { audience, .. } => Some(audience.as_str()),
        KeyBinding::NotRequired => None,
    });
    let names_us = |v: &Value| -> Result<bool, Error> {
        match v {
            Value::String(s) => Ok(Some(s.as_str()) == expected),
            _ => Err(Error::InvalidAudience),
        }
    };
    let matched = match aud {
        Value::Array(values) if !values.is_empty() => {
            let mut any = false;
            for v in values {
                any |= names_us(v)?;
            }
            any
        }
        Value::Array(_) => return Err(Error::InvalidAudience),
        other => names_us(other)?,
    };
    if matched {
        Ok(())
    } else {
        Err(Error::AudienceMismatch {
            expected: expected.map(str::to_owned),
        })
    }
}
