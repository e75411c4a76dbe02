//! Disclosures, salts and digests (RFC 9901 §4.2).

use core::fmt;
use std::sync::Arc;

use sdjwt_jose::{CryptoProvider, HashAlgorithm, base64url};
use serde_json::Value;

use crate::claim::{ClaimName, is_reserved};
use crate::error::{DisclosureError, Error};

/// Bytes of randomness in a salt: 128 bits, the minimum RFC 9901 §9.3 recommends.
pub const SALT_BYTES: usize = 16;

/// A Disclosure salt (RFC 9901 §4.2.1): a base64url string of [`SALT_BYTES`] random bytes from
/// the provider's secure random source.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Salt(String);

impl Salt {
    /// Draws a fresh salt from `provider`'s random source.
    ///
    /// # Errors
    ///
    /// [`sdjwt_jose::Error::Crypto`] if the random source fails.
    pub fn random(provider: &CryptoProvider) -> Result<Self, Error> {
        let mut bytes = [0u8; SALT_BYTES];
        provider.fill_random(&mut bytes)?;
        Ok(Self(base64url::encode(bytes)))
    }

    /// Draws `count` fresh salts from `provider`'s random source in one request: what an issuer
    /// making many Disclosures at once uses, since each request to a CSPRNG has a fixed cost
    /// (locking, reseed checks) that dwarfs 16 bytes of output. The salts are as independent as
    /// [`Salt::random`]'s: they are disjoint slices of one CSPRNG output.
    ///
    /// # Errors
    ///
    /// [`Error::LimitExceeded`] ([`crate::Limit::Disclosures`]) if `count` is above
    /// `limits.max_disclosures`, so that a bad count cannot make an unbounded allocation;
    /// [`sdjwt_jose::Error::Crypto`] if the random source fails.
    pub fn random_batch(
        provider: &CryptoProvider,
        count: usize,
        limits: &crate::Limits,
    ) -> Result<Vec<Self>, Error> {
        Ok(Self::random_batch_bytes(provider, count, limits)?
            .chunks_exact(SALT_BYTES)
            .map(|chunk| Self(base64url::encode(chunk)))
            .collect())
    }

    /// The random bytes of `count` fresh salts, [`SALT_BYTES`] each, back to back and not yet
    /// encoded, drawn as [`Salt::random_batch`] draws them: for an issuer that writes each
    /// salt's base64url text straight into its Disclosure.
    ///
    /// # Errors
    ///
    /// As [`Salt::random_batch`].
    pub fn random_batch_bytes(
        provider: &CryptoProvider,
        count: usize,
        limits: &crate::Limits,
    ) -> Result<Vec<u8>, Error> {
        let too_many = Error::LimitExceeded {
            limit: crate::Limit::Disclosures,
            max: limits.max_disclosures,
        };
        if count > limits.max_disclosures {
            return Err(too_many);
        }
        let mut bytes = vec![0u8; count.checked_mul(SALT_BYTES).ok_or(too_many)?];
        provider.fill_random(&mut bytes)?;
        Ok(bytes)
    }

    /// Uses a given salt string, for reproducing published examples. Issuers should use
    /// [`Salt::random`].
    pub fn from_string(salt: impl Into<String>) -> Self {
        Self(salt.into())
    }

    /// The salt text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A salt is what keeps an undisclosed value secret: do not print it.
        f.write_str("Salt(<redacted>)")
    }
}

/// A digest as it appears in `_sd`, in `{"...": digest}` and in `sd_hash`: the base64url
/// encoding of a hash output.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(String);

impl Digest {
    /// Hashes `data` with `alg` and encodes the result.
    ///
    /// # Errors
    ///
    /// [`sdjwt_jose::Error::UnsupportedHashAlgorithm`].
    pub fn compute(
        provider: &CryptoProvider,
        alg: HashAlgorithm,
        data: &[u8],
    ) -> Result<Self, Error> {
        let out = provider.digest(alg, data)?;
        Ok(Self(base64url::encode(out.as_bytes())))
    }

    /// Wraps a digest string as received.
    pub fn from_string(digest: impl Into<String>) -> Self {
        Self(digest.into())
    }

    /// A decoy digest (RFC 9901 §4.2.5): `alg` over 32 fresh random bytes.
    ///
    /// # Errors
    ///
    /// [`sdjwt_jose::Error::Crypto`] if the random source fails; an unsupported hash.
    pub fn decoy(provider: &CryptoProvider, alg: HashAlgorithm) -> Result<Self, Error> {
        // RFC 9901 §4.2.5: the digest of a cryptographically secure random number, made with
        // the same digest function as the Disclosures' digests.
        let mut seed = [0u8; 32];
        provider.fill_random(&mut seed)?;
        let digest = provider.digest(alg, &seed)?;
        Ok(Self(base64url::encode(digest.as_bytes())))
    }

    /// The digest text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digest text, taken out.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a Disclosure discloses.
#[derive(Clone, Debug, PartialEq)]
pub enum DisclosureKind {
    /// `[salt, claim name, claim value]`: an object property (RFC 9901 §4.2.1).
    Property {
        /// The claim name.
        name: String,
        /// The claim value.
        value: Value,
    },
    /// `[salt, value]`: an array element (RFC 9901 §4.2.2).
    ArrayElement {
        /// The element value.
        value: Value,
    },
}

/// A Disclosure, keeping the exact base64url text it was received or created as: digests are
/// computed over that text (RFC 9901 §4.2.3), never over a re-encoding.
///
/// Cloning is cheap: the parts are shared, not copied (issuing and presenting copy lists of
/// Disclosures).
#[derive(Clone, PartialEq)]
pub struct Disclosure(Arc<Parts>);

/// The parts of a [`Disclosure`].
#[derive(PartialEq)]
struct Parts {
    encoded: String,
    salt: String,
    kind: DisclosureKind,
}

impl Disclosure {
    /// Parses a Disclosure from its base64url text.
    ///
    /// # Errors
    ///
    /// A [`DisclosureError`]: bad base64url, bad JSON (including duplicate member names inside
    /// the value), not an array of 2 or 3 elements, a non-string salt or name, or a reserved
    /// name (`_sd`, `...`).
    pub fn parse(encoded: &str) -> Result<Self, DisclosureError> {
        let bytes = base64url::decode(encoded).map_err(DisclosureError::Base64)?;
        let value = sdjwt_jose::json::parse(&bytes).map_err(DisclosureError::Json)?;
        let Value::Array(items) = value else {
            return Err(DisclosureError::WrongShape);
        };
        let mut items = items.into_iter();
        let (salt, kind) = match (items.next(), items.next(), items.next(), items.next()) {
            (Some(salt), Some(value), None, None) => (salt, DisclosureKind::ArrayElement { value }),
            (Some(salt), Some(name), Some(value), None) => {
                let Value::String(name) = name else {
                    return Err(DisclosureError::NameNotString);
                };
                // RFC 9901 §7.1 step 3.c.ii.2 forbids `_sd` and `...`. `_sd_alg` is refused
                // too: §4.1.1 allows it only at the top level of the Issuer-signed payload, and
                // a disclosed one would either nest it or stand in for the signed one.
                if is_reserved(&name) || name == "_sd_alg" {
                    return Err(DisclosureError::ReservedName { name });
                }
                (salt, DisclosureKind::Property { name, value })
            }
            _ => return Err(DisclosureError::WrongShape),
        };
        let Value::String(salt) = salt else {
            return Err(DisclosureError::SaltNotString);
        };
        Ok(Self(Arc::new(Parts {
            encoded: encoded.to_owned(),
            salt,
            kind,
        })))
    }

    /// Creates an object-property Disclosure `[salt, name, value]`.
    pub fn property(salt: &Salt, name: &ClaimName, value: Value) -> Self {
        Self::new_property(salt.clone(), name.clone(), value)
    }

    /// Creates an object-property Disclosure `[salt, name, value]`, taking the salt and name
    /// instead of copying them.
    pub fn new_property(salt: Salt, name: ClaimName, value: Value) -> Self {
        let encoded = encode_json(&(salt.as_str(), name.as_str(), &value));
        Self(Arc::new(Parts {
            encoded,
            salt: salt.0,
            kind: DisclosureKind::Property {
                name: name.into_string(),
                value,
            },
        }))
    }

    /// Creates an array-element Disclosure `[salt, value]`.
    pub fn array_element(salt: &Salt, value: Value) -> Self {
        Self::new_array_element(salt.clone(), value)
    }

    /// Creates an array-element Disclosure `[salt, value]`, taking the salt instead of copying
    /// it.
    pub fn new_array_element(salt: Salt, value: Value) -> Self {
        let encoded = encode_json(&(salt.as_str(), &value));
        Self(Arc::new(Parts {
            encoded,
            salt: salt.0,
            kind: DisclosureKind::ArrayElement { value },
        }))
    }

    /// The base64url text.
    pub fn as_str(&self) -> &str {
        &self.0.encoded
    }

    /// The salt.
    pub fn salt(&self) -> &str {
        &self.0.salt
    }

    /// What is disclosed.
    pub fn kind(&self) -> &DisclosureKind {
        &self.0.kind
    }

    /// The claim name, for object-property Disclosures.
    pub fn name(&self) -> Option<&str> {
        match &self.0.kind {
            DisclosureKind::Property { name, .. } => Some(name),
            DisclosureKind::ArrayElement { .. } => None,
        }
    }

    /// The disclosed value.
    pub fn value(&self) -> &Value {
        match &self.0.kind {
            DisclosureKind::Property { value, .. } | DisclosureKind::ArrayElement { value } => {
                value
            }
        }
    }

    /// The digest of this Disclosure with `alg`: the hash of its ASCII base64url text
    /// (RFC 9901 §4.2.3).
    ///
    /// # Errors
    ///
    /// [`sdjwt_jose::Error::UnsupportedHashAlgorithm`].
    pub fn digest(&self, provider: &CryptoProvider, alg: HashAlgorithm) -> Result<Digest, Error> {
        Digest::compute(provider, alg, self.0.encoded.as_bytes())
    }
}

/// The base64url encoding of a Disclosure array's JSON text, serialized from a tuple: a tuple
/// serializes as a JSON array, exactly as the same `Value::Array` would, without copying the
/// value into one first. Strings and JSON values always serialize, so the empty fallback (which
/// would only fail to parse later) is never taken.
fn encode_json(array: &impl serde::Serialize) -> String {
    // Room for a 22-character salt, a name and a short value: most Disclosures are written
    // without growing the buffer.
    let mut json = Vec::with_capacity(96);
    if serde_json::to_writer(&mut json, array).is_err() {
        json.clear();
    }
    base64url::encode(json)
}

impl fmt::Debug for Disclosure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Disclosure")
            .field("encoded", &self.0.encoded)
            .field("kind", &self.0.kind)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9901_section_5_given_name_disclosure() {
        // RFC 9901 §5: the Disclosure for "given_name" and its parsed contents.
        let d =
            Disclosure::parse("WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd");
        let d = d.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.salt(), "2GLC42sKQveCfGfryNRN9w");
        assert_eq!(d.name(), Some("given_name"));
        assert_eq!(d.value(), &Value::from("John"));
    }

    #[test]
    fn shape_errors() {
        let enc = |s: &str| base64url::encode(s);
        assert_eq!(
            Disclosure::parse(&enc(r#"["s"]"#)),
            Err(DisclosureError::WrongShape)
        );
        assert_eq!(
            Disclosure::parse(&enc(r#"["s","a","b","c"]"#)),
            Err(DisclosureError::WrongShape)
        );
        assert_eq!(
            Disclosure::parse(&enc(r#"{"s":1}"#)),
            Err(DisclosureError::WrongShape)
        );
        assert_eq!(
            Disclosure::parse(&enc(r#"[1,"a","b"]"#)),
            Err(DisclosureError::SaltNotString)
        );
        assert_eq!(
            Disclosure::parse(&enc(r#"[1,"b"]"#)),
            Err(DisclosureError::SaltNotString)
        );
        assert_eq!(
            Disclosure::parse(&enc(r#"["s",1,"b"]"#)),
            Err(DisclosureError::NameNotString)
        );
        assert_eq!(
            Disclosure::parse(&enc(r#"["s","_sd","b"]"#)),
            Err(DisclosureError::ReservedName { name: "_sd".into() })
        );
        assert_eq!(
            Disclosure::parse(&enc(r#"["s","...","b"]"#)),
            Err(DisclosureError::ReservedName { name: "...".into() })
        );
        assert_eq!(
            Disclosure::parse(&enc(r#"["s","_sd_alg","sha-256"]"#)),
            Err(DisclosureError::ReservedName {
                name: "_sd_alg".into()
            })
        );
        assert!(matches!(
            Disclosure::parse("WyJzIiwiYiJd="),
            Err(DisclosureError::Base64(_))
        ));
        assert!(matches!(
            Disclosure::parse(&enc("[\"s\",")),
            Err(DisclosureError::Json(_))
        ));
    }

    #[test]
    fn salts_drawn_together_are_distinct_and_bounded() {
        let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
        let limits = crate::Limits::DEFAULT;
        let salts = Salt::random_batch(&provider, 1000, &limits).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(salts.len(), 1000);
        assert!(salts.iter().all(|s| s.as_str().len() == 22));
        let distinct: std::collections::HashSet<&str> = salts.iter().map(Salt::as_str).collect();
        assert_eq!(distinct.len(), 1000);
        assert_eq!(
            Salt::random_batch(&provider, 0, &limits).map(|s| s.len()),
            Ok(0)
        );
        assert_eq!(
            Salt::random_batch_bytes(&provider, 3, &limits).map(|b| b.len()),
            Ok(3 * SALT_BYTES)
        );
        // The bound is the caller's, and a count whose byte size overflows is refused too.
        let default_max = limits.max_disclosures;
        for (max, count) in [(default_max, default_max + 1), (usize::MAX, usize::MAX)] {
            let limits = crate::Limits {
                max_disclosures: max,
                ..limits
            };
            let refused = Err(Error::LimitExceeded {
                limit: crate::Limit::Disclosures,
                max,
            });
            assert_eq!(
                Salt::random_batch(&provider, count, &limits).map(|s| s.len()),
                refused
            );
            assert_eq!(
                Salt::random_batch_bytes(&provider, count, &limits).map(|b| b.len()),
                refused
            );
        }
    }

    #[test]
    fn created_disclosures_parse_back() {
        let salt = Salt::from_string("abc");
        let name = ClaimName::new("x").unwrap_or_else(|e| panic!("{e}"));
        let d = Disclosure::property(&salt, &name, Value::from(1));
        assert_eq!(Disclosure::parse(d.as_str()).as_ref(), Ok(&d));
        let a = Disclosure::array_element(&salt, Value::from("DE"));
        assert_eq!(Disclosure::parse(a.as_str()).as_ref(), Ok(&a));
        assert!(format!("{salt:?}").contains("redacted"));
    }
}
