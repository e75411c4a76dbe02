//! The error type of `sdjwt-verifier`.

use core::fmt;

use sdjwt_core::UnixTime;
use sdjwt_jose::{HashAlgorithm, JwsAlgorithm};

/// Why a presentation was not accepted.
///
/// Malformed or hostile input and failed signatures arrive through [`Error::Core`] (which wraps
/// the JOSE layer: a bad signature is `Core(Jose(InvalidSignature))` and says nothing more).
/// The other variants are refusals by the verifier's [`Policy`](crate::Policy), or a failure of
/// the [`IssuerKeyResolver`](crate::IssuerKeyResolver).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Parsing, processing (RFC 9901 §7.1 steps 3 to 5), validity claims (step 6), a required
    /// claim that is missing, limits, or a JOSE failure (including an invalid signature).
    Core(sdjwt_core::Error),

    // --- Issuer-signed JWT (RFC 9901 §7.1 step 2) ---
    /// The issuer signature uses an algorithm the policy does not accept (RFC 9901 §7.1
    /// step 2.a).
    AlgorithmNotAllowed {
        /// The algorithm in the protected header.
        alg: JwsAlgorithm,
    },
    /// The issuer JWT's protected header `typ` is not the one the policy requires (RFC 8725
    /// §3.11, RFC 9901 §9.11).
    WrongTyp {
        /// The `typ` the policy requires.
        expected: String,
        /// The `typ` received, if any.
        found: Option<String>,
    },
    /// The `iss` claim is present but not a string (RFC 7519 §4.1.1).
    IssuerNotString,
    /// No trusted key of this issuer fits the signature (RFC 9901 §7.1 step 2.c: the key must
    /// belong to the issuer).
    NoIssuerKey {
        /// The `iss` claim, if any.
        iss: Option<String>,
        /// The `kid` header, if any.
        kid: Option<String>,
    },
    /// A JWS JSON serialization with several signatures, none of which the verifier could
    /// check with a trusted key (see [`SignaturePolicy::AtLeastOne`](crate::SignaturePolicy)).
    NoValidSignature {
        /// How many signatures the JWS carried.
        signatures: usize,
    },
    /// The key resolver failed for a reason other than not knowing the key (for example, a
    /// resolver that fetches keys could not reach the issuer).
    KeyResolution {
        /// What went wrong, for logs.
        reason: String,
    },
    /// `_sd_alg` names a hash algorithm the policy does not accept (RFC 9901 §7.1 step 2.d).
    HashNotAllowed {
        /// The algorithm named by `_sd_alg`, or the sha-256 default.
        alg: HashAlgorithm,
    },

    // --- Key Binding (RFC 9901 §7.3) ---
    /// The policy requires key binding but the presentation has no Key Binding JWT (RFC 9901
    /// §7.3 step 2).
    KeyBindingRequired,
    /// The KB-JWT uses an algorithm the policy does not accept (RFC 9901 §7.3 step 5.b).
    KbAlgorithmNotAllowed {
        /// The algorithm in the KB-JWT header.
        alg: JwsAlgorithm,
    },
    /// The KB-JWT header `typ` is not `kb+jwt` (RFC 9901 §7.3 step 5.d).
    KbWrongTyp {
        /// The `typ` received, if any.
        found: Option<String>,
    },
    /// The KB-JWT `iat` is further in the future than the leeway allows (RFC 9901 §7.3
    /// step 5.e).
    KbIssuedInFuture {
        /// The KB-JWT `iat`.
        iat: UnixTime,
        /// The time of the check.
        now: UnixTime,
    },
    /// The KB-JWT is older than the policy's `max_age` plus leeway (RFC 9901 §7.3 step 5.e).
    KbTooOld {
        /// The KB-JWT `iat`.
        iat: UnixTime,
        /// The time of the check.
        now: UnixTime,
        /// The accepted age in seconds.
        max_age: u64,
    },
    /// The KB-JWT `aud` is not this verifier (RFC 9901 §7.3 step 5.f).
    KbAudienceMismatch {
        /// The audience the policy expects.
        expected: String,
        /// The `aud` received.
        found: String,
    },
    /// The KB-JWT `nonce` is not the one of this transaction (RFC 9901 §7.3 step 5.f).
    KbNonceMismatch {
        /// The nonce the policy expects.
        expected: String,
        /// The `nonce` received.
        found: String,
    },
    /// The KB-JWT `sd_hash` does not cover the SD-JWT as presented (RFC 9901 §7.3 step 5.g).
    KbSdHashMismatch,
    /// The SD-JWT carries an `aud` that does not name this verifier, or the policy does not say
    /// who this verifier is (RFC 9901 §7.1 step 6, RFC 7519 §4.1.3).
    AudienceMismatch {
        /// This verifier's identifier, if the policy gives one.
        expected: Option<String>,
    },
    /// The SD-JWT's `aud` is neither a string nor an array of strings (RFC 7519 §4.1.3).
    InvalidAudience,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Core(e) => e.fmt(f),
            Self::AlgorithmNotAllowed { alg } => {
                write!(
                    f,
                    "issuer signature algorithm {alg} is not allowed by policy"
                )
            }
            Self::WrongTyp { expected, found } => match found {
                Some(found) => write!(f, "issuer JWT typ is {found:?}, expected {expected:?}"),
                None => write!(f, "issuer JWT has no typ, expected {expected:?}"),
            },
            Self::IssuerNotString => f.write_str("claim \"iss\" is not a string"),
            Self::NoIssuerKey { iss, kid } => {
                f.write_str("no trusted issuer key")?;
                if let Some(iss) = iss {
                    write!(f, " for issuer {iss:?}")?;
                }
                if let Some(kid) = kid {
                    write!(f, " with kid {kid:?}")?;
                }
                Ok(())
            }
            Self::NoValidSignature { signatures } => write!(
                f,
                "none of the {signatures} issuer signatures could be checked with a trusted key"
            ),
            Self::KeyResolution { reason } => write!(f, "issuer key resolution failed: {reason}"),
            Self::HashNotAllowed { alg } => {
                write!(f, "hash algorithm {alg} is not allowed by policy")
            }
            Self::KeyBindingRequired => {
                f.write_str("key binding is required but no key binding JWT was presented")
            }
            Self::KbAlgorithmNotAllowed { alg } => {
                write!(f, "key binding: algorithm {alg} is not allowed by policy")
            }
            Self::KbWrongTyp { found } => match found {
                Some(found) => write!(f, "key binding: typ is {found:?}, expected \"kb+jwt\""),
                None => f.write_str("key binding: typ is missing, expected \"kb+jwt\""),
            },
            Self::KbIssuedInFuture { iat, now } => {
                write!(f, "key binding: issued in the future at {iat} (now {now})")
            }
            Self::KbTooOld { iat, now, max_age } => write!(
                f,
                "key binding: issued at {iat}, older than {max_age} seconds (now {now})"
            ),
            Self::KbAudienceMismatch { expected, found } => write!(
                f,
                "key binding: audience {found:?} does not match {expected:?}"
            ),
            Self::KbNonceMismatch { .. } => f.write_str("key binding: nonce does not match"),
            Self::KbSdHashMismatch => {
                f.write_str("key binding: sd_hash does not match the presented SD-JWT")
            }
            Self::AudienceMismatch { expected } => match expected {
                Some(expected) => write!(f, "claim \"aud\" does not include {expected:?}"),
                None => f.write_str(
                    "claim \"aud\" is present but the policy does not say who this verifier is",
                ),
            },
            Self::InvalidAudience => {
                f.write_str("claim \"aud\" is neither a string nor an array of strings")
            }
        }
    }
}

impl std::error::Error for Error {
    /// `Core` is transparent: its `Display` is the inner error's, so the chain continues with the
    /// inner error's own source rather than repeating it.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Core(e) => e.source(),
            _ => None,
        }
    }
}

impl From<sdjwt_core::Error> for Error {
    fn from(e: sdjwt_core::Error) -> Self {
        Self::Core(e)
    }
}

impl From<sdjwt_jose::Error> for Error {
    fn from(e: sdjwt_jose::Error) -> Self {
        Self::Core(sdjwt_core::Error::Jose(e))
    }
}
