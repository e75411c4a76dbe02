//! The error type of `sdjwt-jose`.

use core::fmt;

use crate::alg::{EcCurve, HashAlgorithm, JwsAlgorithm};
use crate::base64url::Base64Error;
use crate::json::JsonError;

/// Everything that can go wrong in the JOSE layer.
///
/// Hostile or malformed input ([`Error::Base64`], [`Error::Json`], [`Error::Jws`],
/// [`Error::Jwk`]), policy refusals ([`Error::ForbiddenAlgorithm`],
/// [`Error::KeyAlgorithmMismatch`]) and provider limits ([`Error::UnsupportedAlgorithm`],
/// [`Error::UnsupportedHashAlgorithm`], [`Error::UnsupportedPointDecompression`]) are
/// distinct. A failed signature check is [`Error::InvalidSignature`] and says nothing more.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Text that should be base64url is not canonical unpadded base64url.
    Base64(Base64Error),
    /// Text that should be JSON is malformed or has duplicate member names.
    Json(JsonError),
    /// A JWS (compact or JSON serialization) is malformed.
    Jws(JwsError),
    /// A JWK is malformed or unsupported.
    Jwk(JwkError),
    /// An `alg` value that no registry entry of ours matches.
    UnknownAlgorithm {
        /// The value received.
        name: String,
    },
    /// `none` or an HMAC algorithm, which are never accepted (RFC 9901 §7.1 step 2.a, §7.3
    /// step 5.b).
    ForbiddenAlgorithm {
        /// The value received.
        name: String,
    },
    /// An algorithm this crate knows but the crypto provider cannot do.
    UnsupportedAlgorithm {
        /// The algorithm asked for.
        alg: JwsAlgorithm,
        /// The provider's name.
        provider: &'static str,
    },
    /// An `_sd_alg` value that is not in our list of hash algorithms.
    UnknownHashAlgorithm {
        /// The value received.
        name: String,
    },
    /// A hash algorithm this crate knows but the crypto provider cannot compute.
    UnsupportedHashAlgorithm {
        /// The algorithm asked for.
        alg: HashAlgorithm,
        /// The provider's name.
        provider: &'static str,
    },
    /// The crypto provider cannot decompress elliptic-curve points on this curve (needed to
    /// read EC keys in did:key, which carries them compressed).
    UnsupportedPointDecompression {
        /// The curve.
        crv: EcCurve,
        /// The provider's name.
        provider: &'static str,
    },
    /// The key cannot be used with the algorithm (wrong key type or curve, a JWK `alg` or `use`
    /// member that says otherwise, or an RSA key shorter than 2048 bits).
    KeyAlgorithmMismatch {
        /// The algorithm asked for.
        alg: JwsAlgorithm,
        /// What the key is, e.g. `EC P-384` or `RSA 1024-bit`.
        key: String,
    },
    /// The JWS header names a different algorithm from the one the verifier was built for.
    AlgorithmMismatch {
        /// The algorithm in the JWS header.
        header: JwsAlgorithm,
        /// The algorithm of the verification key.
        key: JwsAlgorithm,
    },
    /// The signature does not verify. Deliberately carries no detail.
    InvalidSignature,
    /// The crypto backend failed to sign, hash, generate a key or produce random bytes.
    Crypto,
}

/// Structural problems with a JWS.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwsError {
    /// A compact JWS must have exactly three `.`-separated parts (RFC 7515 §7.1).
    WrongPartCount {
        /// The number of parts found.
        found: usize,
    },
    /// The protected header has no `alg` (RFC 7515 §4.1.1).
    MissingAlgorithm,
    /// A header parameter has the wrong JSON type.
    InvalidHeaderParameter {
        /// The parameter's name.
        name: String,
    },
    /// The header has a `crit` parameter; this implementation understands no extensions, so it
    /// must reject (RFC 7515 §4.1.11).
    UnsupportedCritical,
    /// A parameter appears in both the protected and the unprotected header (RFC 7515 §7.2.1).
    DuplicateHeaderParameter {
        /// The parameter's name.
        name: String,
    },
    /// The signature has the wrong length for the algorithm (RFC 7518 §3.4, RFC 8037 §3.1).
    SignatureLength {
        /// The length the algorithm requires.
        expected: usize,
        /// The length received.
        found: usize,
    },
    /// A JWS JSON serialization lacks a required member or has one of the wrong type.
    JsonMember {
        /// The member's name.
        name: &'static str,
    },
    /// A JWS JSON serialization mixes the flattened and general syntax (RFC 7515 §7.2.2).
    MixedJsonSyntax,
    /// A general JWS JSON serialization has an empty `signatures` array.
    NoSignatures,
}

/// Problems with a JWK.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwkError {
    /// A required member is absent.
    MissingMember {
        /// The member's name.
        name: &'static str,
    },
    /// A member has the wrong JSON type or an invalid value.
    InvalidMember {
        /// The member's name.
        name: &'static str,
    },
    /// A `kty` other than `EC`, `OKP` or `RSA`.
    UnsupportedKeyType {
        /// The value received.
        kty: String,
    },
    /// A curve we do not sign with (for example X25519, Ed448 or brainpool curves).
    UnsupportedCurve {
        /// The value received.
        crv: String,
    },
    /// A coordinate or key member has the wrong length for its curve (RFC 7518 §6.2.1.2).
    WrongLength {
        /// The member's name.
        name: &'static str,
        /// The required length in bytes.
        expected: usize,
        /// The length received.
        found: usize,
    },
    /// An RSA private key without all of `p`, `q`, `dp`, `dq` and `qi`, or with `oth`
    /// (multi-prime keys are not supported).
    IncompleteRsaPrivateKey,
    /// A private key was needed, but the JWK has only public members.
    NotAPrivateKey,
    /// A key whose `use` is not `sig`, or whose `key_ops` excludes signing or verifying.
    NotForSignatures,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Base64(e) => e.fmt(f),
            Self::Json(e) => e.fmt(f),
            Self::Jws(e) => e.fmt(f),
            Self::Jwk(e) => e.fmt(f),
            Self::UnknownAlgorithm { name } => write!(f, "unknown signature algorithm {name:?}"),
            Self::ForbiddenAlgorithm { name } => {
                write!(f, "signature algorithm {name:?} is never accepted")
            }
            Self::UnsupportedAlgorithm { alg, provider } => {
                write!(f, "crypto provider {provider} does not support {alg}")
            }
            Self::UnknownHashAlgorithm { name } => write!(f, "unknown hash algorithm {name:?}"),
            Self::UnsupportedHashAlgorithm { alg, provider } => {
                write!(f, "crypto provider {provider} does not support hash {alg}")
            }
            Self::UnsupportedPointDecompression { crv, provider } => {
                write!(
                    f,
                    "crypto provider {provider} cannot decompress points on {}",
                    crv.name()
                )
            }
            Self::KeyAlgorithmMismatch { alg, key } => {
                write!(f, "a {key} key cannot be used with {alg}")
            }
            Self::AlgorithmMismatch { header, key } => {
                write!(f, "JWS header says {header} but the key is for {key}")
            }
            Self::InvalidSignature => f.write_str("signature is invalid"),
            Self::Crypto => f.write_str("cryptographic operation failed"),
        }
    }
}

impl fmt::Display for JwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongPartCount { found } => {
                write!(f, "a JWS needs 3 dot-separated parts, found {found}")
            }
            Self::MissingAlgorithm => f.write_str("JWS header has no \"alg\""),
            Self::InvalidHeaderParameter { name } => {
                write!(f, "JWS header parameter {name:?} has an invalid value")
            }
            Self::UnsupportedCritical => {
                f.write_str("JWS header lists critical extensions, none of which are supported")
            }
            Self::DuplicateHeaderParameter { name } => {
                write!(
                    f,
                    "JWS header parameter {name:?} is in both protected and unprotected headers"
                )
            }
            Self::SignatureLength { expected, found } => {
                write!(
                    f,
                    "signature is {found} bytes, the algorithm needs {expected}"
                )
            }
            Self::JsonMember { name } => {
                write!(
                    f,
                    "JWS JSON member {name:?} is missing or has the wrong type"
                )
            }
            Self::MixedJsonSyntax => {
                f.write_str("JWS JSON mixes the flattened and general serialization")
            }
            Self::NoSignatures => f.write_str("JWS JSON has no signatures"),
        }
    }
}

impl fmt::Display for JwkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingMember { name } => write!(f, "JWK has no {name:?} member"),
            Self::InvalidMember { name } => write!(f, "JWK member {name:?} is invalid"),
            Self::UnsupportedKeyType { kty } => write!(f, "JWK key type {kty:?} is not supported"),
            Self::UnsupportedCurve { crv } => write!(f, "JWK curve {crv:?} is not supported"),
            Self::WrongLength {
                name,
                expected,
                found,
            } => {
                write!(
                    f,
                    "JWK member {name:?} is {found} bytes, expected {expected}"
                )
            }
            Self::IncompleteRsaPrivateKey => {
                f.write_str("RSA private JWK needs p, q, dp, dq and qi (and no oth)")
            }
            Self::NotAPrivateKey => f.write_str("JWK is a public key; a private key is needed"),
            Self::NotForSignatures => f.write_str("JWK is not meant for signatures (use/key_ops)"),
        }
    }
}

impl std::error::Error for Error {}
impl std::error::Error for JwsError {}
impl std::error::Error for JwkError {}

impl From<Base64Error> for Error {
    fn from(e: Base64Error) -> Self {
        Self::Base64(e)
    }
}

impl From<JsonError> for Error {
    fn from(e: JsonError) -> Self {
        Self::Json(e)
    }
}

impl From<JwsError> for Error {
    fn from(e: JwsError) -> Self {
        Self::Jws(e)
    }
}

impl From<JwkError> for Error {
    fn from(e: JwkError) -> Self {
        Self::Jwk(e)
    }
}
