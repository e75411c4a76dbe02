//! Finding the issuer's public key (RFC 9901 §7.1 step 2.c).

use core::fmt;
use std::sync::{Arc, OnceLock};

use sdjwt_jose::{CryptoProvider, Jwk, JwsAlgorithm, JwsVerifier};

use crate::error::Error;

/// A verifier for one candidate issuer key, or why the provider could not build one (a key it
/// refuses): what [`IssuerKeyResolver::resolve_verifiers`] returns per candidate.
pub type CandidateVerifier = Result<Arc<dyn JwsVerifier>, sdjwt_jose::Error>;

/// Supplies the public keys trusted to sign for an issuer.
///
/// RFC 9901 §7.1 step 2.c: the verifier must "validate the Issuer and that the signing key
/// belongs to this Issuer". A resolver is where that trust decision lives: it returns only
/// keys that belong to `iss`.
///
/// [`resolve`](IssuerKeyResolver::resolve) returns **candidate** keys, so that an issuer in the
/// middle of a key rotation, or one whose JWTs carry no `kid`, can be served without guessing.
/// The verifier tries each candidate that fits `alg` and accepts the signature if one of them
/// verifies it; an empty list means "no trusted key", which is
/// [`Error::NoIssuerKey`](crate::Error::NoIssuerKey). Return an error only for a failure of
/// the resolver itself ([`Error::KeyResolution`]), not for an unknown key.
pub trait IssuerKeyResolver {
    /// The trusted keys that may have made a signature with `alg` and header `kid`, for the
    /// issuer named by the (signed) `iss` claim.
    ///
    /// # Errors
    ///
    /// [`Error::KeyResolution`] when the resolver cannot answer.
    fn resolve(
        &self,
        iss: Option<&str>,
        kid: Option<&str>,
        alg: JwsAlgorithm,
    ) -> Result<Vec<Jwk>, Error>;

    /// Verifiers, built with `provider`, for the candidate keys [`resolve`] returns that fit
    /// `alg`, in the same order. This is what the [`Verifier`](crate::Verifier) calls.
    ///
    /// The default builds a verifier from each candidate JWK on every call, which parses the
    /// key every time. A resolver that holds its keys should override it to build each
    /// verifier once and hand out the same one afterwards, as [`StaticKeys`] does.
    ///
    /// [`resolve`]: IssuerKeyResolver::resolve
    ///
    /// # Errors
    ///
    /// As for [`IssuerKeyResolver::resolve`].
    fn resolve_verifiers(
        &self,
        provider: &CryptoProvider,
        iss: Option<&str>,
        kid: Option<&str>,
        alg: JwsAlgorithm,
    ) -> Result<Vec<CandidateVerifier>, Error> {
        Ok(self
            .resolve(iss, kid, alg)?
            .iter()
            .filter(|k| k.check_algorithm(alg).is_ok())
            .map(|k| provider.verifier(k, alg).map(Arc::from))
            .collect())
    }
}

/// How many algorithms a key can have a cached verifier for.
const ALGORITHMS: usize = JwsAlgorithm::ALL.len();

/// A trusted key, its issuer, and the verifiers built from it so far (one slot per algorithm).
struct TrustedKey {
    iss: Option<String>,
    jwk: Jwk,
    verifiers: [OnceLock<CachedVerifier>; ALGORITHMS],
}

/// A verifier built once and the name of the provider that built it.
#[derive(Clone)]
struct CachedVerifier {
    provider: &'static str,
    verifier: CandidateVerifier,
}

impl TrustedKey {
    fn new(iss: Option<String>, jwk: Jwk) -> Self {
        Self {
            iss,
            jwk,
            verifiers: [const { OnceLock::new() }; ALGORITHMS],
        }
    }

    /// The filters of [`StaticKeys`]: issuer, `kid` and algorithm.
    fn matches(&self, iss: Option<&str>, kid: Option<&str>, alg: JwsAlgorithm) -> bool {
        (self.iss.is_none() || self.iss.as_deref() == iss)
            && match (kid, self.jwk.key_id()) {
                (Some(wanted), Some(have)) => wanted == have,
                _ => true,
            }
            && self.jwk.check_algorithm(alg).is_ok()
    }

    /// The verifier for `alg` built by `provider`: built on first use, then shared. Reading a
    /// built one is a single atomic load, with no lock. A provider with another name than the
    /// one that filled the slot gets a verifier of its own, built for this call only.
    fn verifier(&self, provider: &CryptoProvider, alg: JwsAlgorithm) -> CandidateVerifier {
        let build = || provider.verifier(&self.jwk, alg).map(Arc::from);
        let Some(slot) = JwsAlgorithm::ALL
            .iter()
            .position(|a| *a == alg)
            .and_then(|i| self.verifiers.get(i))
        else {
            return build();
        };
        let cached = slot.get_or_init(|| CachedVerifier {
            provider: provider.name,
            verifier: build(),
        });
        if cached.provider == provider.name {
            cached.verifier.clone()
        } else {
            build()
        }
    }
}

impl Clone for TrustedKey {
    fn clone(&self) -> Self {
        Self {
            iss: self.iss.clone(),
            jwk: self.jwk.clone(),
            verifiers: self.verifiers.clone(),
        }
    }
}

/// Shows the issuer and key as a pair; the cache is not part of the value.
impl fmt::Debug for TrustedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("").field(&self.iss).field(&self.jwk).finish()
    }
}

/// Compares issuer and key; the cache is not part of the value.
impl PartialEq for TrustedKey {
    fn eq(&self, other: &Self) -> bool {
        self.iss == other.iss && self.jwk == other.jwk
    }
}

impl Eq for TrustedKey {}

/// A fixed list of trusted issuer keys, each optionally tied to an issuer identifier.
///
/// A key matches a signature when all of these hold:
///
/// * **issuer**: a key added with [`StaticKeys::with_issuer_key`] matches only an SD-JWT whose
///   `iss` equals that issuer exactly (so an SD-JWT without `iss` never matches it); a key
///   added with [`StaticKeys::with_key`] is trusted for any `iss`, or none, so the caller
///   vouches for whatever issuer it names;
/// * **kid**: if both the JWS header and the JWK carry a `kid`, they are equal;
/// * **algorithm**: the key can be used with the signature's `alg` (type, curve, and the JWK's
///   own `alg`/`use`, see [`Jwk::check_algorithm`]).
///
/// Only public parts of the keys are handed out.
///
/// Verifiers are built once per key and algorithm, on first use, and then shared by every
/// verification and every thread (see [`IssuerKeyResolver::resolve_verifiers`]): parsing a key
/// can cost as much as checking a signature. They are kept per provider name, so providers that
/// share a name (such as `CryptoProvider { random, ..DEFAULT_PROVIDER }`) share them too.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaticKeys {
    keys: Vec<TrustedKey>,
}

impl StaticKeys {
    /// An empty set: nothing verifies.
    pub fn new() -> Self {
        Self::default()
    }

    /// From `(iss, key)` pairs; `None` means "any issuer" as for [`StaticKeys::with_key`].
    pub fn from_pairs(pairs: impl IntoIterator<Item = (Option<String>, Jwk)>) -> Self {
        Self {
            keys: pairs
                .into_iter()
                .map(|(i, k)| TrustedKey::new(i, k.to_public()))
                .collect(),
        }
    }

    /// Adds a key that belongs to the issuer `iss`.
    #[must_use]
    pub fn with_issuer_key(mut self, iss: impl Into<String>, key: &Jwk) -> Self {
        self.keys
            .push(TrustedKey::new(Some(iss.into()), key.to_public()));
        self
    }

    /// Adds a key trusted for any issuer (or for SD-JWTs without `iss`).
    #[must_use]
    pub fn with_key(mut self, key: &Jwk) -> Self {
        self.keys.push(TrustedKey::new(None, key.to_public()));
        self
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

impl IssuerKeyResolver for StaticKeys {
    fn resolve(
        &self,
        iss: Option<&str>,
        kid: Option<&str>,
        alg: JwsAlgorithm,
    ) -> Result<Vec<Jwk>, Error> {
        Ok(self
            .keys
            .iter()
            .filter(|key| key.matches(iss, kid, alg))
            .map(|key| key.jwk.clone())
            .collect())
    }

    /// The cached verifiers of the keys [`StaticKeys::resolve`](IssuerKeyResolver::resolve)
    /// would return, each built on first use.
    fn resolve_verifiers(
        &self,
        provider: &CryptoProvider,
        iss: Option<&str>,
        kid: Option<&str>,
        alg: JwsAlgorithm,
    ) -> Result<Vec<CandidateVerifier>, Error> {
        Ok(self
            .keys
            .iter()
            .filter(|key| key.matches(iss, kid, alg))
            .map(|key| key.verifier(provider, alg))
            .collect())
    }
}

impl<T: IssuerKeyResolver + ?Sized> IssuerKeyResolver for &T {
    fn resolve(
        &self,
        iss: Option<&str>,
        kid: Option<&str>,
        alg: JwsAlgorithm,
    ) -> Result<Vec<Jwk>, Error> {
        (**self).resolve(iss, kid, alg)
    }

    fn resolve_verifiers(
        &self,
        provider: &CryptoProvider,
        iss: Option<&str>,
        kid: Option<&str>,
        alg: JwsAlgorithm,
    ) -> Result<Vec<CandidateVerifier>, Error> {
        (**self).resolve_verifiers(provider, iss, kid, alg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Jwk {
        sdjwt_aws_lc::DEFAULT_PROVIDER
            .generate_key(JwsAlgorithm::Es256)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn only(candidates: Result<Vec<CandidateVerifier>, Error>) -> Arc<dyn JwsVerifier> {
        match candidates.as_deref() {
            Ok([Ok(verifier)]) => Arc::clone(verifier),
            other => panic!("expected one verifier, got {:?}", other.map(<[_]>::len)),
        }
    }

    #[test]
    fn verifiers_are_built_once_per_key_algorithm_and_provider_name() {
        let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
        let keys = StaticKeys::new().with_issuer_key("https://issuer.example", &key());
        let resolve = |p: &CryptoProvider| {
            only(keys.resolve_verifiers(
                p,
                Some("https://issuer.example"),
                None,
                JwsAlgorithm::Es256,
            ))
        };
        let first = resolve(&provider);
        assert!(Arc::ptr_eq(&first, &resolve(&provider)));
        // Through a reference too (the `Verifier` holds one).
        let by_ref: &StaticKeys = &keys;
        let by_ref = only(<&StaticKeys as IssuerKeyResolver>::resolve_verifiers(
            &by_ref,
            &provider,
            Some("https://issuer.example"),
            None,
            JwsAlgorithm::Es256,
        ));
        assert!(Arc::ptr_eq(&first, &by_ref));
        // Clones share what was built; equality ignores the cache.
        let copy = keys.clone();
        assert_eq!(copy, keys);
        // A provider with another name builds its own.
        let other = CryptoProvider {
            name: "another",
            ..provider
        };
        assert!(!Arc::ptr_eq(&first, &resolve(&other)));
        // The filters still apply.
        let none = keys.resolve_verifiers(
            &provider,
            Some("https://other.example"),
            None,
            JwsAlgorithm::Es256,
        );
        assert!(none.is_ok_and(|v| v.is_empty()));
        let none = keys.resolve_verifiers(
            &provider,
            Some("https://issuer.example"),
            None,
            JwsAlgorithm::EdDsa,
        );
        assert!(none.is_ok_and(|v| v.is_empty()));
    }

    #[test]
    fn a_refused_key_is_reported_every_time() {
        let provider = CryptoProvider {
            signature_algorithms: &[],
            ..sdjwt_aws_lc::DEFAULT_PROVIDER
        };
        let keys = StaticKeys::new().with_key(&key());
        for _ in 0..2 {
            let candidates = keys.resolve_verifiers(&provider, None, None, JwsAlgorithm::Es256);
            assert!(matches!(
                candidates.as_deref(),
                Ok([Err(sdjwt_jose::Error::UnsupportedAlgorithm { .. })])
            ));
        }
    }

    #[test]
    fn verifier_is_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<crate::Verifier<'static>>();
        shareable::<StaticKeys>();
    }
}
