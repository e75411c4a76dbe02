//! Integrity metadata for referenced documents (draft-ietf-oauth-sd-jwt-vc §6, "Integrity of
//! Referenced Documents").
//!
//! The value of `vct#integrity`, `extends#integrity` and `uri#integrity` is a W3C Subresource
//! Integrity "integrity metadata" string (SRI §3.5): whitespace-separated hash expressions
//! `<alg>-<base64 digest>[?<options>]`. SD-JWT VC uses SRI only for that syntax and the
//! algorithm names; the check itself is §6's: hash the octets of the retrieved document with the
//! strongest algorithm present that we support, and accept if the digest equals the value of
//! any expression with that algorithm. No supported algorithm means the document is rejected.

use core::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use sdjwt_jose::{CryptoProvider, HashAlgorithm};

use crate::error::Error;

/// The longest integrity string accepted: several SHA-512 expressions fit comfortably.
const MAX_INTEGRITY_LEN: usize = 4096;

/// A parsed "integrity metadata" string (SRI §3.5).
#[derive(Clone, PartialEq, Eq)]
pub struct Integrity {
    text: String,
    expressions: Vec<HashExpression>,
}

/// One `<alg>-<digest>` expression whose algorithm is one SRI defines.
#[derive(Clone, Debug, PartialEq, Eq)]
struct HashExpression {
    alg: HashAlgorithm,
    digest: Vec<u8>,
}

impl Integrity {
    /// Parses an integrity metadata string.
    ///
    /// SRI §3.3.3 ignores expressions whose algorithm it does not know; so does this parser,
    /// but an expression for `sha256`, `sha384` or `sha512` whose value is not canonical
    /// base64 of the right length is an error, as is a string with no expression at all.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidIntegrity`].
    pub fn parse(text: &str) -> Result<Self, Error> {
        let invalid = |reason: &str| Error::InvalidIntegrity {
            value: truncate(text),
            reason: reason.to_owned(),
        };
        if text.len() > MAX_INTEGRITY_LEN {
            return Err(invalid("longer than 4096 bytes"));
        }
        let mut expressions = Vec::new();
        let mut tokens = 0usize;
        for token in text.split_ascii_whitespace() {
            tokens += 1;
            // Options after `?` carry no meaning for the check (SRI §3.5 "option-expression").
            let token = token.split_once('?').map_or(token, |(expr, _)| expr);
            let Some((name, value)) = token.split_once('-') else {
                return Err(invalid(
                    "a hash expression has no '-' between algorithm and digest",
                ));
            };
            let alg = match name {
                "sha256" => HashAlgorithm::Sha256,
                "sha384" => HashAlgorithm::Sha384,
                "sha512" => HashAlgorithm::Sha512,
                _ => continue,
            };
            let digest = decode_base64(value).ok_or_else(|| invalid("digest is not base64"))?;
            if digest.len() != alg.output_len() {
                return Err(invalid("digest length does not match its algorithm"));
            }
            expressions.push(HashExpression { alg, digest });
        }
        if tokens == 0 {
            return Err(invalid("empty"));
        }
        Ok(Self {
            text: text.to_owned(),
            expressions,
        })
    }

    /// Builds the integrity string `sha256-<base64>` (or another SRI algorithm) for `document`,
    /// as an issuer puts it in `vct#integrity`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidIntegrity`] for an algorithm SRI does not name (only SHA-256, SHA-384
    /// and SHA-512 are defined), or a provider error.
    pub fn compute(
        provider: &CryptoProvider,
        alg: HashAlgorithm,
        document: &[u8],
    ) -> Result<Self, Error> {
        let name = match alg {
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sha384 => "sha384",
            HashAlgorithm::Sha512 => "sha512",
            other => {
                return Err(Error::InvalidIntegrity {
                    value: other.name().to_owned(),
                    reason: "SRI defines only sha256, sha384 and sha512".to_owned(),
                });
            }
        };
        let digest = provider.digest(alg, document)?;
        let text = format!("{name}-{}", encode_base64(digest.as_bytes()));
        Self::parse(&text)
    }

    /// The string as received.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Checks `document` (the exact octets retrieved) against this integrity metadata, as
    /// draft-ietf-oauth-sd-jwt-vc §6 prescribes.
    ///
    /// # Errors
    ///
    /// [`Error::IntegrityUnsupported`] when no expression uses an algorithm this crate and
    /// `provider` support; [`Error::IntegrityMismatch`] when the digest matches none.
    pub fn verify(&self, provider: &CryptoProvider, document: &[u8]) -> Result<(), Error> {
        let strongest = self
            .expressions
            .iter()
            .map(|e| e.alg)
            .filter(|alg| provider.supports_hash(*alg))
            .max_by_key(|alg| alg.output_len())
            .ok_or_else(|| Error::IntegrityUnsupported {
                value: truncate(&self.text),
            })?;
        let digest = provider.digest(strongest, document)?;
        if self
            .expressions
            .iter()
            .filter(|e| e.alg == strongest)
            .any(|e| e.digest == digest.as_bytes())
        {
            Ok(())
        } else {
            Err(Error::IntegrityMismatch {
                expected: truncate(&self.text),
            })
        }
    }
}

impl fmt::Debug for Integrity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Integrity").field(&self.text).finish()
    }
}

impl fmt::Display for Integrity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// At most 100 characters of an attacker-supplied value, for error messages.
fn truncate(text: &str) -> String {
    text.chars().take(100).collect()
}

/// Canonical, padded standard base64 (RFC 4648 §4), as SRI uses: padding required, the URL
/// alphabet and non-zero trailing bits refused.
const SRI_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

/// Decodes [`SRI_BASE64`].
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    SRI_BASE64.decode(text).ok()
}

/// Encodes [`SRI_BASE64`].
fn encode_base64(bytes: &[u8]) -> String {
    SRI_BASE64.encode(bytes)
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip_and_strictness() {
        for len in 0..70 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = encode_base64(&bytes);
            assert_eq!(decode_base64(&text), Some(bytes));
        }
        assert_eq!(decode_base64("YQ"), None, "padding is required");
        assert_eq!(decode_base64("YQ=="), Some(b"a".to_vec()));
        assert_eq!(decode_base64("Y-=="), None, "URL alphabet refused");
        assert_eq!(decode_base64("YR=="), None, "non-canonical trailing bits");
    }

    #[test]
    fn parse_rules() {
        assert!(Integrity::parse("").is_err());
        assert!(Integrity::parse("sha256").is_err());
        assert!(Integrity::parse("sha256-AAAA").is_err(), "wrong length");
        // An unknown algorithm is ignored at parse time and fails at verification.
        let unknown = Integrity::parse("md5-AAAA").expect("parses");
        assert!(unknown.expressions.is_empty());
    }
}
