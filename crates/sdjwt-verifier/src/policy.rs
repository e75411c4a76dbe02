//! What a verifier accepts: algorithms, typing, key binding, time and limits.

use sdjwt_core::Limits;
use sdjwt_jose::{HashAlgorithm, JwsAlgorithm};

/// Whether the presentation must prove possession of the holder key (RFC 9901 §7.3).
///
/// RFC 9901 §7.3 step 1: the decision "MUST NOT be based on whether a Key Binding JWT is
/// provided by the Holder or not". It is therefore part of the [`Policy`], fixed before the
/// presentation is looked at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyBinding {
    /// An SD-JWT+KB is required and its Key Binding JWT must be valid for this transaction
    /// (RFC 9901 §7.3 step 5).
    Required {
        /// The value the KB-JWT `aud` must equal: this verifier's identifier.
        audience: String,
        /// The value the KB-JWT `nonce` must equal: this transaction's fresh nonce.
        nonce: String,
        /// How old, in seconds, the KB-JWT `iat` may be (before leeway is added).
        max_age: u64,
    },
    /// Key binding is not checked. A Key Binding JWT that comes with the presentation is
    /// **ignored entirely** (neither parsed for claims nor verified), and the result reports
    /// [`key_bound() == false`](crate::VerifiedPresentation::key_bound).
    NotRequired,
}

impl KeyBinding {
    /// Key binding with the given audience and nonce, and a `max_age` of five minutes.
    pub fn required(audience: impl Into<String>, nonce: impl Into<String>) -> Self {
        Self::Required {
            audience: audience.into(),
            nonce: nonce.into(),
            max_age: Policy::DEFAULT_KB_MAX_AGE,
        }
    }
}

/// How the signatures of a JWS JSON serialization with several signatures (RFC 9901 §8,
/// RFC 7515 §7.2.1) are judged. Compact and flattened SD-JWTs carry one signature, and
/// both policies then require that it verifies.
///
/// Each signature is taken in turn: its algorithm is checked against the policy, then the
/// trusted keys for it are resolved (by `iss`, `kid` and `alg`), then its `typ` is checked,
/// then the signature itself. A signature is *unverifiable* when its algorithm is not allowed
/// or no trusted key fits it; it is *invalid* when a trusted key fits but the `typ` is wrong or
/// no fitting key verifies it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SignaturePolicy {
    /// Every signature must verify with a trusted key; the first failure is reported.
    #[default]
    All,
    /// At least one signature must verify with a trusted key. Unverifiable signatures are
    /// skipped (the `signatures` array is not integrity protected, so anyone can append one),
    /// but an invalid signature from a trusted key is still an error. When nothing verifies,
    /// the error is [`Error::NoValidSignature`](crate::Error::NoValidSignature), or the
    /// specific error if there was only one signature.
    AtLeastOne,
}

/// Everything a [`Verifier`](crate::Verifier) checks beyond the RFC's fixed rules.
///
/// Start from [`Policy::new`] and adjust with the `with_*` methods:
///
/// ```
/// use sdjwt_verifier::{KeyBinding, Policy};
///
/// let policy = Policy::new(KeyBinding::required("https://employer.example", "n-0S6_WzA2Mj"))
///     .with_required_typ("dc+sd-jwt")
///     .with_required_claims(["iss", "exp"])
///     .with_leeway(30);
/// assert_eq!(policy.leeway, 30);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Policy {
    /// Signature algorithms accepted for the Issuer-signed JWT (RFC 9901 §7.1 step 2.a).
    /// Default: [`JwsAlgorithm::ALL`], which never includes `none` or HMAC.
    pub algorithms: Vec<JwsAlgorithm>,
    /// Signature algorithms accepted for the Key Binding JWT (RFC 9901 §7.3 step 5.b). The
    /// holder's algorithm may differ from the issuer's, and wallets' keys are often constrained
    /// by hardware, so this list is separate. Default: [`JwsAlgorithm::ALL`].
    pub kb_algorithms: Vec<JwsAlgorithm>,
    /// Hash algorithms accepted in `_sd_alg` (RFC 9901 §7.1 step 2.d). Default:
    /// [`HashAlgorithm::ALL`].
    pub hash_algorithms: Vec<HashAlgorithm>,
    /// The `typ` the Issuer-signed JWT's protected header must carry, compared as RFC 7515
    /// §4.1.9 says (case-insensitive, `application/` optional). Default: none required.
    pub required_typ: Option<String>,
    /// Whether key binding is required, and for which transaction.
    pub key_binding: KeyBinding,
    /// Allowed clock skew in seconds for `exp`, `nbf`, `iat` and the KB-JWT `iat`.
    /// Default: [`Policy::DEFAULT_LEEWAY`].
    pub leeway: u64,
    /// Top-level claims that must be present in the Processed SD-JWT Payload (RFC 9901 §7.1
    /// step 6, §9.7), for example `exp` or `iss`. Default: none.
    pub required_claims: Vec<String>,
    /// How several issuer signatures are judged. Default: [`SignaturePolicy::All`].
    pub signatures: SignaturePolicy,
    /// Bounds on parsing and processing work. Default: [`Limits::DEFAULT`].
    pub limits: Limits,
    /// This verifier's identifier, matched against an `aud` claim in the SD-JWT payload
    /// (RFC 9901 §7.1 step 6, RFC 7519 §4.1.3). Default: none, in which case the key-binding
    /// audience stands in; an SD-JWT with `aud` is rejected when neither is known.
    pub audience: Option<String>,
}

impl Policy {
    /// The default leeway: 60 seconds, a common allowance for unsynchronized clocks.
    pub const DEFAULT_LEEWAY: u64 = 60;

    /// The `max_age` used by [`KeyBinding::required`]: 300 seconds, enough for a holder to
    /// consent and send, short enough to limit replay.
    pub const DEFAULT_KB_MAX_AGE: u64 = 300;

    /// A policy with the given key binding requirement and every other field at its default.
    pub fn new(key_binding: KeyBinding) -> Self {
        Self {
            algorithms: JwsAlgorithm::ALL.to_vec(),
            kb_algorithms: JwsAlgorithm::ALL.to_vec(),
            hash_algorithms: HashAlgorithm::ALL.to_vec(),
            required_typ: None,
            key_binding,
            leeway: Self::DEFAULT_LEEWAY,
            required_claims: Vec::new(),
            signatures: SignaturePolicy::All,
            limits: Limits::DEFAULT,
            audience: None,
        }
    }

    /// Sets this verifier's identifier for the SD-JWT's `aud` claim.
    #[must_use]
    pub fn with_audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// Replaces the accepted issuer signature algorithms.
    #[must_use]
    pub fn with_algorithms(mut self, algorithms: impl IntoIterator<Item = JwsAlgorithm>) -> Self {
        self.algorithms = algorithms.into_iter().collect();
        self
    }

    /// Replaces the accepted Key Binding JWT signature algorithms.
    #[must_use]
    pub fn with_kb_algorithms(
        mut self,
        algorithms: impl IntoIterator<Item = JwsAlgorithm>,
    ) -> Self {
        self.kb_algorithms = algorithms.into_iter().collect();
        self
    }

    /// Whether the Key Binding JWT may use `alg`.
    pub fn allows_kb(&self, alg: JwsAlgorithm) -> bool {
        self.kb_algorithms.contains(&alg)
    }

    /// Replaces the accepted `_sd_alg` hash algorithms.
    #[must_use]
    pub fn with_hash_algorithms(
        mut self,
        algorithms: impl IntoIterator<Item = HashAlgorithm>,
    ) -> Self {
        self.hash_algorithms = algorithms.into_iter().collect();
        self
    }

    /// Requires this `typ` in the Issuer-signed JWT header.
    #[must_use]
    pub fn with_required_typ(mut self, typ: impl Into<String>) -> Self {
        self.required_typ = Some(typ.into());
        self
    }

    /// Sets the clock-skew allowance in seconds.
    #[must_use]
    pub fn with_leeway(mut self, leeway: u64) -> Self {
        self.leeway = leeway;
        self
    }

    /// Replaces the claims that must be present in the processed payload.
    #[must_use]
    pub fn with_required_claims<S: Into<String>>(
        mut self,
        claims: impl IntoIterator<Item = S>,
    ) -> Self {
        self.required_claims = claims.into_iter().map(Into::into).collect();
        self
    }

    /// Sets how several issuer signatures are judged.
    #[must_use]
    pub fn with_signature_policy(mut self, signatures: SignaturePolicy) -> Self {
        self.signatures = signatures;
        self
    }

    /// Replaces the limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Whether `alg` is accepted for signatures.
    pub fn allows(&self, alg: JwsAlgorithm) -> bool {
        self.algorithms.contains(&alg)
    }

    /// Whether `alg` is accepted for `_sd_alg`.
    pub fn allows_hash(&self, alg: HashAlgorithm) -> bool {
        self.hash_algorithms.contains(&alg)
    }
}
