//! Finding the issuer's public key (RFC 9901 §7.1 step 2.c).

use sdjwt_jose::{Jwk, JwsAlgorithm};

use crate::error::Error;

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
}

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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaticKeys {
    keys: Vec<(Option<String>, Jwk)>,
}

impl StaticKeys {
    /// An empty set: nothing verifies.
    pub fn new() -> Self {
        Self::default()
    }

    /// From `(iss, key)` pairs; `None` means "any issuer" as for [`StaticKeys::with_key`].
    pub fn from_pairs(pairs: impl IntoIterator<Item = (Option<String>, Jwk)>) -> Self {
        Self {
            keys: pairs.into_iter().map(|(i, k)| (i, k.to_public())).collect(),
        }
    }

    /// Adds a key that belongs to the issuer `iss`.
    #[must_use]
    pub fn with_issuer_key(mut self, iss: impl Into<String>, key: &Jwk) -> Self {
        self.keys.push((Some(iss.into()), key.to_public()));
        self
    }

    /// Adds a key trusted for any issuer (or for SD-JWTs without `iss`).
    #[must_use]
    pub fn with_key(mut self, key: &Jwk) -> Self {
        self.keys.push((None, key.to_public()));
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
            .filter(|(key_iss, _)| key_iss.is_none() || key_iss.as_deref() == iss)
            .filter(|(_, jwk)| match (kid, jwk.key_id()) {
                (Some(wanted), Some(have)) => wanted == have,
                _ => true,
            })
            .filter(|(_, jwk)| jwk.check_algorithm(alg).is_ok())
            .map(|(_, jwk)| jwk.clone())
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
}
