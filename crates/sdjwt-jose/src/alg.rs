//! Algorithm identifiers: JWS signature algorithms (IANA "JSON Web Signature and Encryption
//! Algorithms" registry, RFC 7518 §3, RFC 8037, RFC 8812) and the hash algorithms usable in
//! `_sd_alg` (IANA "Named Information Hash Algorithm" registry, RFC 9901 §4.1.1).

use core::fmt;
use core::str::FromStr;

use crate::error::Error;

/// A JWS signature algorithm accepted for Issuer-signed JWTs and Key Binding JWTs.
///
/// `none` and the HMAC algorithms (`HS256`, `HS384`, `HS512`) are deliberately absent: RFC 9901
/// §7.1 step 2.a and §7.3 step 5.b forbid `none`, and a MAC cannot bind a credential to a public
/// issuer or holder key. Parsing those names yields [`Error::ForbiddenAlgorithm`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum JwsAlgorithm {
    /// ECDSA using P-256 and SHA-256 (RFC 7518 §3.4).
    Es256,
    /// ECDSA using P-384 and SHA-384 (RFC 7518 §3.4).
    Es384,
    /// ECDSA using P-521 and SHA-512 (RFC 7518 §3.4).
    Es512,
    /// ECDSA using secp256k1 and SHA-256 (RFC 8812 §3.2).
    Es256K,
    /// EdDSA with Ed25519 (RFC 8037 §3.1).
    EdDsa,
    /// RSASSA-PKCS1-v1_5 using SHA-256 (RFC 7518 §3.3).
    Rs256,
    /// RSASSA-PKCS1-v1_5 using SHA-384 (RFC 7518 §3.3).
    Rs384,
    /// RSASSA-PKCS1-v1_5 using SHA-512 (RFC 7518 §3.3).
    Rs512,
    /// RSASSA-PSS using SHA-256 and MGF1 with SHA-256 (RFC 7518 §3.5).
    Ps256,
    /// RSASSA-PSS using SHA-384 and MGF1 with SHA-384 (RFC 7518 §3.5).
    Ps384,
    /// RSASSA-PSS using SHA-512 and MGF1 with SHA-512 (RFC 7518 §3.5).
    Ps512,
}

/// The kind of key an algorithm needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyRequirement {
    /// An elliptic-curve key (`kty: EC`) on this curve.
    Ec(EcCurve),
    /// An Ed25519 key (`kty: OKP`, `crv: Ed25519`).
    Ed25519,
    /// An RSA key (`kty: RSA`) of at least 2048 bits (RFC 7518 §3.3 and §3.5).
    Rsa,
}

/// The elliptic curves used with ECDSA in JOSE.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EcCurve {
    /// NIST P-256 (`crv: P-256`).
    P256,
    /// NIST P-384 (`crv: P-384`).
    P384,
    /// NIST P-521 (`crv: P-521`).
    P521,
    /// secp256k1 (`crv: secp256k1`, RFC 8812 §3.1).
    Secp256k1,
}

impl EcCurve {
    /// The `crv` value naming this curve.
    pub const fn name(self) -> &'static str {
        match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
            Self::P521 => "P-521",
            Self::Secp256k1 => "secp256k1",
        }
    }

    /// The length in bytes of a coordinate or private scalar (RFC 7518 §6.2.1.2).
    pub const fn coordinate_len(self) -> usize {
        match self {
            Self::P256 | Self::Secp256k1 => 32,
            Self::P384 => 48,
            Self::P521 => 66,
        }
    }

    /// Parses a `crv` value.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "P-256" => Self::P256,
            "P-384" => Self::P384,
            "P-521" => Self::P521,
            "secp256k1" => Self::Secp256k1,
            _ => return None,
        })
    }
}

impl JwsAlgorithm {
    /// Every algorithm this crate knows, in registry order.
    pub const ALL: &'static [Self] = &[
        Self::Es256,
        Self::Es384,
        Self::Es512,
        Self::Es256K,
        Self::EdDsa,
        Self::Rs256,
        Self::Rs384,
        Self::Rs512,
        Self::Ps256,
        Self::Ps384,
        Self::Ps512,
    ];

    /// The `alg` header value.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Es256 => "ES256",
            Self::Es384 => "ES384",
            Self::Es512 => "ES512",
            Self::Es256K => "ES256K",
            Self::EdDsa => "EdDSA",
            Self::Rs256 => "RS256",
            Self::Rs384 => "RS384",
            Self::Rs512 => "RS512",
            Self::Ps256 => "PS256",
            Self::Ps384 => "PS384",
            Self::Ps512 => "PS512",
        }
    }

    /// The key this algorithm signs and verifies with.
    pub const fn key_requirement(self) -> KeyRequirement {
        match self {
            Self::Es256 => KeyRequirement::Ec(EcCurve::P256),
            Self::Es384 => KeyRequirement::Ec(EcCurve::P384),
            Self::Es512 => KeyRequirement::Ec(EcCurve::P521),
            Self::Es256K => KeyRequirement::Ec(EcCurve::Secp256k1),
            Self::EdDsa => KeyRequirement::Ed25519,
            Self::Rs256 | Self::Rs384 | Self::Rs512 | Self::Ps256 | Self::Ps384 | Self::Ps512 => {
                KeyRequirement::Rsa
            }
        }
    }

    /// The exact signature length, for algorithms whose signatures have a fixed size.
    ///
    /// ECDSA signatures in JWS are the fixed-width `R || S` concatenation (RFC 7518 §3.4);
    /// Ed25519 signatures are 64 bytes (RFC 8032 §5.1.6). RSA signatures are as long as the
    /// modulus, so they return `None` here.
    pub const fn signature_len(self) -> Option<usize> {
        match self.key_requirement() {
            KeyRequirement::Ec(curve) => Some(2 * curve.coordinate_len()),
            KeyRequirement::Ed25519 => Some(64),
            KeyRequirement::Rsa => None,
        }
    }

    /// The hash ECDSA applies to the signing input for this algorithm (RFC 7518 §3.4; RFC 8812
    /// §3.2 for ES256K), or `None` for an algorithm that is not ECDSA.
    pub const fn ecdsa_hash(self) -> Option<HashAlgorithm> {
        match self {
            Self::Es256 | Self::Es256K => Some(HashAlgorithm::Sha256),
            Self::Es384 => Some(HashAlgorithm::Sha384),
            Self::Es512 => Some(HashAlgorithm::Sha512),
            _ => None,
        }
    }
}

impl fmt::Display for JwsAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for JwsAlgorithm {
    type Err = Error;

    /// Parses an `alg` value, case-sensitively (RFC 7515 §4.1.1).
    fn from_str(s: &str) -> Result<Self, Error> {
        if let Some(alg) = Self::ALL.iter().find(|a| a.name() == s) {
            return Ok(*alg);
        }
        match s {
            "none" | "HS256" | "HS384" | "HS512" => {
                Err(Error::ForbiddenAlgorithm { name: s.to_owned() })
            }
            _ => Err(Error::UnknownAlgorithm { name: s.to_owned() }),
        }
    }
}

/// A hash algorithm for Disclosure digests and `sd_hash` (RFC 9901 §4.1.1).
///
/// Names come from the IANA "Named Information Hash Algorithm" registry. The truncated SHA-256
/// variants (`sha-256-128` and similar) are not offered: RFC 9901 §9.8 asks for a collision
/// resistant hash, and truncation weakens that.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-256, the default when `_sd_alg` is absent (RFC 9901 §4.1.1).
    #[default]
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// SHA3-256.
    Sha3_256,
    /// SHA3-384.
    Sha3_384,
    /// SHA3-512.
    Sha3_512,
}

impl HashAlgorithm {
    /// Every hash algorithm this crate knows.
    pub const ALL: &'static [Self] = &[
        Self::Sha256,
        Self::Sha384,
        Self::Sha512,
        Self::Sha3_256,
        Self::Sha3_384,
        Self::Sha3_512,
    ];

    /// The registry name used in `_sd_alg`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha-256",
            Self::Sha384 => "sha-384",
            Self::Sha512 => "sha-512",
            Self::Sha3_256 => "sha3-256",
            Self::Sha3_384 => "sha3-384",
            Self::Sha3_512 => "sha3-512",
        }
    }

    /// The digest length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha256 | Self::Sha3_256 => 32,
            Self::Sha384 | Self::Sha3_384 => 48,
            Self::Sha512 | Self::Sha3_512 => 64,
        }
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for HashAlgorithm {
    type Err = Error;

    /// Parses an `_sd_alg` value. Names are case-sensitive, as in the IANA registry.
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .iter()
            .find(|a| a.name() == s)
            .copied()
            .ok_or_else(|| Error::UnknownHashAlgorithm { name: s.to_owned() })
    }
}

/// The output of a hash function: at most 64 bytes, stored inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct HashOutput {
    len: u8,
    bytes: [u8; 64],
}

impl HashOutput {
    /// Wraps a digest.
    ///
    /// # Errors
    ///
    /// [`Error::Crypto`] if `digest` is longer than 64 bytes.
    pub fn new(digest: &[u8]) -> Result<Self, Error> {
        let mut bytes = [0u8; 64];
        let len = u8::try_from(digest.len()).map_err(|_| Error::Crypto)?;
        bytes
            .get_mut(..digest.len())
            .ok_or(Error::Crypto)?
            .copy_from_slice(digest);
        Ok(Self { len, bytes })
    }

    /// The digest bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

impl AsRef<[u8]> for HashOutput {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl fmt::Debug for HashOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HashOutput({})",
            crate::base64url::encode(self.as_bytes())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecdsa_hashes_follow_rfc7518_and_rfc8812() {
        for &alg in JwsAlgorithm::ALL {
            let expected = match alg.name() {
                "ES256" | "ES256K" => Some(HashAlgorithm::Sha256),
                "ES384" => Some(HashAlgorithm::Sha384),
                "ES512" => Some(HashAlgorithm::Sha512),
                _ => None,
            };
            assert_eq!(alg.ecdsa_hash(), expected, "{alg}");
        }
    }

    #[test]
    fn names_round_trip() {
        for a in JwsAlgorithm::ALL {
            assert_eq!(a.name().parse::<JwsAlgorithm>().ok(), Some(*a));
        }
        for h in HashAlgorithm::ALL {
            assert_eq!(h.name().parse::<HashAlgorithm>().ok(), Some(*h));
        }
    }

    #[test]
    fn none_and_hmac_are_forbidden_not_unknown() {
        for name in ["none", "HS256", "HS384", "HS512"] {
            assert_eq!(
                name.parse::<JwsAlgorithm>(),
                Err(Error::ForbiddenAlgorithm { name: name.into() })
            );
        }
        assert_eq!(
            "es256".parse::<JwsAlgorithm>(),
            Err(Error::UnknownAlgorithm {
                name: "es256".into()
            })
        );
        assert_eq!(
            "SHA-256".parse::<HashAlgorithm>(),
            Err(Error::UnknownHashAlgorithm {
                name: "SHA-256".into()
            })
        );
    }
}
