//! The error type of `sdjwt-status`.

use core::fmt;

use sdjwt_jose::JwsAlgorithm;
use sdjwt_jose::base64url::Base64Error;
use sdjwt_jose::json::JsonError;

use crate::limits::Limit;
use crate::list::Bits;

/// Everything that can make a Status List, a Status List Token or a status reference
/// unacceptable, or a request to build or change one impossible.
///
/// Caller misuse ([`Error::IndexOutOfBounds`] on a list being built, [`Error::StatusTooWide`],
/// [`Error::InconsistentStatus`]), hostile or malformed input (the member, base64url, JSON,
/// decompression and limit variants) and validation failures of draft-ietf-oauth-status-list-20
/// §8.3 ([`Error::WrongType`], [`Error::SubjectMismatch`], [`Error::Expired`], ...) are distinct.
/// A signature that does not verify is [`Error::InvalidSignature`] and says nothing more.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    // --- The Status List itself (§4.1, §7) ---
    /// An index outside the Status List. When checking a Referenced Token this means "no
    /// statement about the status can be made, the Referenced Token MUST be rejected"
    /// (draft-ietf-oauth-status-list-20 §8.3 step 6).
    IndexOutOfBounds {
        /// The index asked for.
        index: u64,
        /// The number of entries in the list.
        len: usize,
    },
    /// A Status Type value that needs more bits than the list has (§4.1 step 1, §7).
    StatusTooWide {
        /// The Status Type value.
        value: u8,
        /// The list's bits per entry.
        bits: Bits,
    },
    /// A [`crate::Status`] variant built by hand that the registry assigns differently, such as
    /// `ApplicationSpecific(0x20)` (0x20 is reserved) or `Reserved(0x01)` (0x01 is INVALID)
    /// (§7.1, §14.5.2).
    InconsistentStatus {
        /// The variant's value.
        value: u8,
    },

    // --- Encoded forms (§4.1 step 4, §4.2, §5.1, §6.2) ---
    /// A required JSON member or claim is absent.
    MissingMember {
        /// The member's name (`bits`, `lst`, `sub`, `iat`, `status_list`, `status`, `idx`,
        /// `uri`, ...).
        name: &'static str,
    },
    /// A JSON member or claim has the wrong type or an invalid value.
    InvalidMember {
        /// The member's name.
        name: &'static str,
    },
    /// `bits` is an integer other than 1, 2, 4 or 8 (§4.2).
    UnsupportedBits {
        /// The value received.
        value: u64,
    },
    /// `lst` is not canonical unpadded base64url (§4.2).
    Base64(Base64Error),
    /// A JSON text is malformed, has duplicate member names or is not an object.
    Json(JsonError),
    /// `lst` is not one complete ZLIB stream (RFC 1950) of DEFLATE data (RFC 1951): a bad
    /// header, corrupt or truncated data, a wrong checksum, or bytes after the stream's end
    /// (§4.1 step 4).
    Decompression,
    /// Compressing the byte array failed (§4.1 step 4). Writing to memory does not fail in
    /// practice; the variant exists so that the failure is typed if it ever does.
    Compression,
    /// A configured limit was exceeded (see [`crate::Limits`]).
    LimitExceeded {
        /// Which limit.
        limit: Limit,
        /// The limit's value.
        max: usize,
    },

    // --- Referenced Token (§6.2) ---
    /// `idx` is a number but not an integer (§6.2: "a non-negative Integer").
    IndexNotInteger,
    /// `idx` is negative (§6.2).
    NegativeIndex {
        /// The value received.
        value: i64,
    },
    /// `idx` is an integer too large for this platform's indices (above `u64::MAX`).
    IndexTooLarge,

    // --- Status List Token (§5.1, §8.3) ---
    /// A JOSE-layer failure: JWS structure, algorithm, key, or a signer failing.
    Jose(sdjwt_jose::Error),
    /// The JWT `typ` header is not `statuslist+jwt` (§5.1).
    WrongType {
        /// The `typ` received, if any.
        typ: Option<String>,
    },
    /// No candidate key fits the token: none has its `kid` (when the header names one) and
    /// suits its `alg` (§8.3 step 3.a, §11.3).
    NoCandidateKey {
        /// The `kid` in the header, if any.
        kid: Option<String>,
        /// The `alg` in the header.
        alg: JwsAlgorithm,
    },
    /// No candidate key verifies the signature (§5.1 rule 2). Deliberately carries no detail.
    InvalidSignature,
    /// The token's `sub` is not the `uri` of the Referenced Token's `status_list` (§5.1,
    /// §8.3 step 4.a).
    SubjectMismatch {
        /// The `uri` from the Referenced Token.
        expected: String,
        /// The token's `sub`.
        found: String,
    },
    /// The token has expired: `now - leeway >= exp` (§8.3 step 4.c, RFC 7519 §4.1.4).
    Expired {
        /// The time of the check.
        now: i64,
        /// The token's `exp`.
        exp: i64,
    },
    /// The token is not valid yet: `now + leeway < nbf` (RFC 7519 §4.1.5, which §5.1 rule 3
    /// makes binding).
    NotYetValid {
        /// The time of the check.
        now: i64,
        /// The token's `nbf`.
        nbf: i64,
    },
    /// The token claims to be issued in the future: `iat > now + leeway`.
    IssuedInFuture {
        /// The time of the check.
        now: i64,
        /// The token's `iat`.
        iat: i64,
    },
    /// The token is older than the Relying Party's freshness policy allows (§8.3 step 4.b).
    TooOld {
        /// The time of the check.
        now: i64,
        /// The token's `iat`.
        iat: i64,
        /// The largest accepted age in seconds.
        max_age: u64,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IndexOutOfBounds { index, len } => {
                write!(
                    f,
                    "index {index} is outside the status list of {len} entries"
                )
            }
            Self::StatusTooWide { value, bits } => write!(
                f,
                "status value {value:#04x} does not fit in {} bit(s)",
                bits.value()
            ),
            Self::InconsistentStatus { value } => write!(
                f,
                "status value {value:#04x} does not belong to the status type given for it"
            ),
            Self::MissingMember { name } => write!(f, "required member {name:?} is missing"),
            Self::InvalidMember { name } => {
                write!(f, "member {name:?} has the wrong type or an invalid value")
            }
            Self::UnsupportedBits { value } => {
                write!(f, "\"bits\" is {value}; only 1, 2, 4 and 8 are allowed")
            }
            Self::Base64(e) => write!(f, "\"lst\": {e}"),
            Self::Json(e) => e.fmt(f),
            Self::Decompression => f.write_str("\"lst\" is not one complete ZLIB/DEFLATE stream"),
            Self::Compression => f.write_str("compressing the status list failed"),
            Self::LimitExceeded { limit, max } => write!(f, "{limit} exceeds the limit of {max}"),
            Self::IndexNotInteger => f.write_str("\"idx\" is not an integer"),
            Self::NegativeIndex { value } => write!(f, "\"idx\" is negative ({value})"),
            Self::IndexTooLarge => f.write_str("\"idx\" is too large"),
            Self::Jose(e) => e.fmt(f),
            Self::WrongType { typ: Some(typ) } => {
                write!(f, "JWT \"typ\" is {typ:?}, expected \"statuslist+jwt\"")
            }
            Self::WrongType { typ: None } => {
                f.write_str("JWT has no \"typ\"; expected \"statuslist+jwt\"")
            }
            Self::NoCandidateKey {
                kid: Some(kid),
                alg,
            } => {
                write!(f, "no key with kid {kid:?} suits {alg}")
            }
            Self::NoCandidateKey { kid: None, alg } => write!(f, "no key suits {alg}"),
            Self::InvalidSignature => f.write_str("invalid signature"),
            Self::SubjectMismatch { expected, found } => write!(
                f,
                "status list token \"sub\" is {found:?}, but the referenced token points to \
                 {expected:?}"
            ),
            Self::Expired { now, exp } => write!(f, "expired at {exp} (now {now})"),
            Self::NotYetValid { now, nbf } => write!(f, "not valid before {nbf} (now {now})"),
            Self::IssuedInFuture { now, iat } => {
                write!(f, "issued in the future at {iat} (now {now})")
            }
            Self::TooOld { now, iat, max_age } => write!(
                f,
                "issued at {iat}, more than {max_age} s before now ({now})"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // The wrapped errors are shown by `Display` already (transparently or after a
            // prefix), so the chain continues with their own sources rather than repeating them.
            Self::Jose(e) => e.source(),
            Self::Json(e) => e.source(),
            Self::Base64(e) => e.source(),
            _ => None,
        }
    }
}

impl From<sdjwt_jose::Error> for Error {
    fn from(e: sdjwt_jose::Error) -> Self {
        Self::Jose(e)
    }
}

impl From<JsonError> for Error {
    fn from(e: JsonError) -> Self {
        Self::Json(e)
    }
}

impl From<Base64Error> for Error {
    fn from(e: Base64Error) -> Self {
        Self::Base64(e)
    }
}
