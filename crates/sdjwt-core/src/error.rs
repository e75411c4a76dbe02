//! The error type of `sdjwt-core`.

use core::fmt;

use crate::limits::Limit;

/// Everything that makes an SD-JWT, a Disclosure or a Key Binding JWT unacceptable, or a
/// request to build one impossible.
///
/// Each RFC 9901 rejection rule has its own variant, so a test (or a user) can tell exactly
/// which rule fired. Signature failures come through [`Error::Jose`] as
/// [`sdjwt_jose::Error::InvalidSignature`], which deliberately says nothing more.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A JOSE-layer failure: base64url, JSON, JWS structure, algorithm, key or signature.
    Jose(sdjwt_jose::Error),
    /// A configured limit was exceeded (see [`crate::Limits`]).
    LimitExceeded {
        /// Which limit.
        limit: Limit,
        /// The limit's value.
        max: usize,
    },

    // --- Serialization (RFC 9901 §4, §8) ---
    /// The compact form has no `~` at all: it is a bare JWT, not an SD-JWT (RFC 9901 §4).
    MissingTilde,
    /// A Disclosure position between two `~` is empty (RFC 9901 §4 grammar).
    EmptyDisclosure {
        /// Zero-based position among the Disclosures.
        index: usize,
    },
    /// An SD-JWT+KB was given where an SD-JWT was expected: a Holder receiving an SD-JWT from an
    /// Issuer must reject one with a Key Binding JWT (RFC 9901 §7.2).
    UnexpectedKeyBinding,
    /// A JWS JSON serialized SD-JWT has a malformed `disclosures` or `kb_jwt` unprotected header
    /// (RFC 9901 §8.1).
    InvalidJsonHeader {
        /// `disclosures` or `kb_jwt`.
        name: &'static str,
    },
    /// `disclosures` or `kb_jwt` appears in an unprotected header other than the first
    /// (RFC 9901 §8.3).
    MisplacedJsonHeader {
        /// `disclosures` or `kb_jwt`.
        name: &'static str,
        /// Zero-based index of the signature entry.
        signature: usize,
    },
    /// The Issuer-signed JWT payload is not a JSON object.
    PayloadNotObject,

    // --- Disclosures (RFC 9901 §4.2) ---
    /// A Disclosure is not valid: see the [`DisclosureError`].
    Disclosure {
        /// Zero-based position among the Disclosures received.
        index: usize,
        /// What is wrong with it.
        error: DisclosureError,
    },

    // --- Processing (RFC 9901 §7.1 step 3 to 5) ---
    /// `_sd` is not an array (RFC 9901 §4.2.4.1, §7.1 step 3.b.i).
    SdNotArray,
    /// An `_sd` array holds a non-string (RFC 9901 §4.2.4.1).
    SdElementNotString,
    /// An array element `{"...": digest}` has other members besides `...` (RFC 9901 §4.2.4.2).
    ArrayDigestExtraMembers,
    /// The `...` member of an array-element placeholder is not a string (RFC 9901 §4.2.4.2).
    ArrayDigestNotString,
    /// A `...` member outside an array-element placeholder; `...` is reserved for digests
    /// (RFC 9901 §4.1 rule 7).
    MisplacedEllipsis,
    /// `_sd_alg` appears somewhere other than the top level (RFC 9901 §4.1.1).
    SdAlgNotTopLevel,
    /// `_sd_alg` is not a string (RFC 9901 §4.1.1).
    SdAlgNotString,
    /// A digest occurs more than once in the payload or the Disclosures (RFC 9901 §7.1 step 4).
    DuplicateDigest {
        /// The repeated digest.
        digest: String,
    },
    /// The same Disclosure was sent twice (RFC 9901 §4: a Holder MUST NOT send a Disclosure
    /// more than once).
    DuplicateDisclosure {
        /// The Disclosure's digest.
        digest: String,
    },
    /// A Disclosure that no digest in the payload or in other Disclosures refers to
    /// (RFC 9901 §7.1 step 5).
    UnreferencedDisclosure {
        /// The Disclosure's digest.
        digest: String,
    },
    /// An object-property Disclosure referenced from an array, or an array-element Disclosure
    /// referenced from `_sd` (RFC 9901 §7.1 steps 3.c.ii.1 and 3.c.iii.1).
    WrongDisclosureKind {
        /// The Disclosure's digest.
        digest: String,
        /// Whether an array element was expected (else an object property).
        expected_array_element: bool,
    },
    /// A disclosed claim name already exists at its level (RFC 9901 §7.1 step 3.c.ii.3).
    ClaimNameCollision {
        /// The name.
        name: String,
    },

    // --- Validity (RFC 9901 §7.1 step 6) ---
    /// A time claim (`iat`, `nbf`, `exp`) is not a NumericDate (RFC 7519 §2).
    InvalidTimeClaim {
        /// The claim name.
        name: &'static str,
    },
    /// `exp` has passed (RFC 7519 §4.1.4), beyond the allowed leeway.
    Expired {
        /// The time of the check.
        now: i64,
        /// The `exp` value.
        exp: i64,
    },
    /// `nbf` has not yet arrived (RFC 7519 §4.1.5), beyond the allowed leeway.
    NotYetValid {
        /// The time of the check.
        now: i64,
        /// The `nbf` value.
        nbf: i64,
    },
    /// `iat` is in the future, beyond the allowed leeway.
    IssuedInFuture {
        /// The time of the check.
        now: i64,
        /// The `iat` value.
        iat: i64,
    },
    /// A claim required by policy is missing from the processed payload (RFC 9901 §7.1 step 6).
    MissingRequiredClaim {
        /// The claim name.
        name: String,
    },

    // --- Key Binding JWT (RFC 9901 §4.3) ---
    /// The KB-JWT is malformed: a claim is missing or has the wrong type.
    InvalidKbJwtClaim {
        /// `iat`, `aud`, `nonce` or `sd_hash`.
        name: &'static str,
    },
    /// The Issuer-signed JWT has no usable holder key in `cnf` (RFC 9901 §4.1.2).
    MissingHolderKey,

    // --- Caller misuse (issuance and presentation requests) ---
    /// A claim name that may not be used (`_sd`, `...`).
    ReservedClaimName {
        /// The name.
        name: String,
    },
    /// A JSON pointer is not valid RFC 6901 syntax.
    InvalidPointer {
        /// The pointer text.
        pointer: String,
    },
    /// A path or pointer names nothing in the document.
    PathNotFound {
        /// The path, as a JSON pointer.
        path: String,
    },
}

/// What is wrong with a single Disclosure (RFC 9901 §4.2.1, §4.2.2).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DisclosureError {
    /// Not canonical base64url.
    Base64(sdjwt_jose::base64url::Base64Error),
    /// Not JSON (or a duplicate member name somewhere inside).
    Json(sdjwt_jose::json::JsonError),
    /// Not a JSON array of two or three elements.
    WrongShape,
    /// The salt is not a string.
    SaltNotString,
    /// The claim name is not a string.
    NameNotString,
    /// The claim name is `_sd` or `...` (RFC 9901 §7.1 step 3.c.ii.2).
    ReservedName {
        /// The name.
        name: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Jose(e) => e.fmt(f),
            Self::LimitExceeded { limit, max } => write!(f, "{limit} exceeds the limit of {max}"),
            Self::MissingTilde => f.write_str("not an SD-JWT: no '~' separator"),
            Self::EmptyDisclosure { index } => write!(f, "disclosure {index} is empty"),
            Self::UnexpectedKeyBinding => f.write_str(
                "received an SD-JWT+KB where an SD-JWT without key binding was expected",
            ),
            Self::InvalidJsonHeader { name } => {
                write!(f, "unprotected header {name:?} is malformed")
            }
            Self::MisplacedJsonHeader { name, signature } => {
                write!(
                    f,
                    "unprotected header {name:?} appears in signature {signature}, not the first"
                )
            }
            Self::PayloadNotObject => f.write_str("JWT payload is not a JSON object"),
            Self::Disclosure { index, error } => write!(f, "disclosure {index}: {error}"),
            Self::SdNotArray => f.write_str("\"_sd\" is not an array"),
            Self::SdElementNotString => f.write_str("\"_sd\" holds a value that is not a string"),
            Self::ArrayDigestExtraMembers => {
                f.write_str("array element digest object has members besides \"...\"")
            }
            Self::ArrayDigestNotString => f.write_str("array element digest is not a string"),
            Self::MisplacedEllipsis => f.write_str("\"...\" used outside an array element digest"),
            Self::SdAlgNotTopLevel => f.write_str("\"_sd_alg\" appears below the top level"),
            Self::SdAlgNotString => f.write_str("\"_sd_alg\" is not a string"),
            Self::DuplicateDigest { digest } => {
                write!(f, "disclosure digest appears twice: {digest}")
            }
            Self::DuplicateDisclosure { digest } => {
                write!(f, "the same disclosure was sent twice (digest {digest})")
            }
            Self::UnreferencedDisclosure { digest } => {
                write!(
                    f,
                    "disclosure is not referenced by any digest (digest {digest})"
                )
            }
            Self::WrongDisclosureKind {
                digest,
                expected_array_element,
            } => {
                let (want, got) = if *expected_array_element {
                    ("an array element", "an object property")
                } else {
                    ("an object property", "an array element")
                };
                write!(
                    f,
                    "disclosure {digest} is {got} but is referenced as {want}"
                )
            }
            Self::ClaimNameCollision { name } => {
                write!(f, "disclosed claim {name:?} already exists at its level")
            }
            Self::InvalidTimeClaim { name } => write!(f, "claim {name:?} is not a NumericDate"),
            Self::Expired { now, exp } => write!(f, "expired at {exp} (now {now})"),
            Self::NotYetValid { now, nbf } => write!(f, "not valid before {nbf} (now {now})"),
            Self::IssuedInFuture { now, iat } => {
                write!(f, "issued in the future at {iat} (now {now})")
            }
            Self::MissingRequiredClaim { name } => write!(f, "required claim {name:?} is missing"),
            Self::InvalidKbJwtClaim { name } => {
                write!(f, "key binding JWT claim {name:?} is missing or malformed")
            }
            Self::MissingHolderKey => f.write_str("no holder public key in \"cnf\""),
            Self::ReservedClaimName { name } => write!(f, "claim name {name:?} is reserved"),
            Self::InvalidPointer { pointer } => write!(f, "invalid JSON pointer {pointer:?}"),
            Self::PathNotFound { path } => write!(f, "{path} names nothing in the claims"),
        }
    }
}

impl fmt::Display for DisclosureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Base64(e) => e.fmt(f),
            Self::Json(e) => e.fmt(f),
            Self::WrongShape => f.write_str("not a JSON array of 2 or 3 elements"),
            Self::SaltNotString => f.write_str("salt is not a string"),
            Self::NameNotString => f.write_str("claim name is not a string"),
            Self::ReservedName { name } => write!(f, "claim name {name:?} is reserved"),
        }
    }
}

impl std::error::Error for Error {
    /// `Jose` is transparent: its `Display` is the inner error's, so the chain continues with the
    /// inner error's own source rather than repeating it.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Jose(e) => e.source(),
            _ => None,
        }
    }
}

impl std::error::Error for DisclosureError {}

impl From<sdjwt_jose::Error> for Error {
    fn from(e: sdjwt_jose::Error) -> Self {
        Self::Jose(e)
    }
}

impl From<sdjwt_jose::json::JsonError> for Error {
    fn from(e: sdjwt_jose::json::JsonError) -> Self {
        Self::Jose(e.into())
    }
}

impl From<sdjwt_jose::base64url::Base64Error> for Error {
    fn from(e: sdjwt_jose::base64url::Base64Error) -> Self {
        Self::Jose(e.into())
    }
}
