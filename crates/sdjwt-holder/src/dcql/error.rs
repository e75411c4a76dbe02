//! The one error type of the DCQL area: malformed queries, unmet queries, policy refusals and
//! presentation failures.

use core::fmt;

use sdjwt_jose::json::JsonError;

use super::select::Unsatisfied;
use crate::policy::PolicyRefusal;

/// Which bound of [`DcqlLimits`](super::DcqlLimits) a query exceeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DcqlLimit {
    /// [`DcqlLimits::max_credentials`](super::DcqlLimits::max_credentials).
    Credentials,
    /// [`DcqlLimits::max_claims`](super::DcqlLimits::max_claims).
    Claims,
    /// [`DcqlLimits::max_total_claims`](super::DcqlLimits::max_total_claims).
    TotalClaims,
    /// [`DcqlLimits::max_path_len`](super::DcqlLimits::max_path_len).
    PathLength,
    /// [`DcqlLimits::max_values`](super::DcqlLimits::max_values).
    Values,
    /// [`DcqlLimits::max_claim_sets`](super::DcqlLimits::max_claim_sets).
    ClaimSets,
    /// [`DcqlLimits::max_claim_set_entries`](super::DcqlLimits::max_claim_set_entries).
    ClaimSetEntries,
    /// [`DcqlLimits::max_credential_sets`](super::DcqlLimits::max_credential_sets).
    CredentialSets,
    /// [`DcqlLimits::max_options`](super::DcqlLimits::max_options).
    Options,
    /// [`DcqlLimits::max_option_len`](super::DcqlLimits::max_option_len).
    OptionLength,
    /// [`DcqlLimits::max_vct_values`](super::DcqlLimits::max_vct_values).
    VctValues,
    /// [`DcqlLimits::max_trusted_authorities`](super::DcqlLimits::max_trusted_authorities).
    TrustedAuthorities,
    /// [`DcqlLimits::max_authority_values`](super::DcqlLimits::max_authority_values).
    AuthorityValues,
}

impl DcqlLimit {
    /// What the limit counts, in words.
    fn counts(self) -> &'static str {
        match self {
            Self::Credentials => "credential queries",
            Self::Claims => "claims queries in one credential query",
            Self::TotalClaims => "claims queries in the whole query",
            Self::PathLength => "path components",
            Self::Values => "values",
            Self::ClaimSets => "claim_sets options",
            Self::ClaimSetEntries => "claim ids across all claim_sets of the query",
            Self::CredentialSets => "credential set queries",
            Self::Options => "options",
            Self::OptionLength => "credential query ids in one option",
            Self::VctValues => "vct_values",
            Self::TrustedAuthorities => "trusted authorities queries",
            Self::AuthorityValues => "trusted authority values",
        }
    }
}

/// Why a DCQL query was refused, could not be met, or could not be answered
/// (OpenID4VP 1.0 §6 Digital Credentials Query Language).
///
/// Parsing errors name the JSON location of the fault, e.g.
/// `credentials[1].claims[0].path: must be a non-empty array`.
///
/// **[`DcqlError::Unsatisfied`] and [`DcqlError::Refused`] are for the holder, never for the
/// verifier.** They say which claims a credential lacks or which values did not match, which
/// leaks the holder's data (OpenID4VP 1.0 §15.4.1 DCQL Value Matching): a wallet answers the
/// verifier in a way that does not distinguish them from the holder declining.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DcqlError {
    /// The query text is not well-formed JSON, has a member name twice, or nests too deep.
    Json(JsonError),
    /// The query text is longer than [`DcqlLimits::max_query_bytes`](super::DcqlLimits::max_query_bytes).
    QueryTooLarge {
        /// Its length in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// A JSON object was required here.
    NotAnObject {
        /// Where, e.g. `credentials[0]`.
        location: String,
    },
    /// A REQUIRED member is absent.
    Missing {
        /// The member, e.g. `credentials[0].meta`.
        location: String,
    },
    /// A member has the wrong JSON type.
    WrongType {
        /// Where.
        location: String,
        /// What it must be, e.g. `a boolean`.
        expected: &'static str,
    },
    /// An array (or string) that must not be empty is empty.
    Empty {
        /// Where.
        location: String,
    },
    /// A bound of [`DcqlLimits`](super::DcqlLimits) was exceeded.
    TooMany {
        /// Where.
        location: String,
        /// Which bound.
        limit: DcqlLimit,
        /// Its value.
        max: usize,
    },
    /// An `id` is empty or has a character other than ASCII letters, digits, `_` and `-`
    /// (§6.1 Credential Query, §6.3 Claims Query).
    InvalidId {
        /// Where.
        location: String,
        /// The id as received.
        id: String,
    },
    /// Two credential queries have the same `id` (§6.1).
    DuplicateCredentialId {
        /// The second one.
        location: String,
        /// The id.
        id: String,
    },
    /// Two claims queries of one credential query have the same `id` (§6.3).
    DuplicateClaimId {
        /// The second one.
        location: String,
        /// The id.
        id: String,
    },
    /// A claims query has no `id` although the credential query has `claim_sets` (§6.3).
    ClaimIdRequired {
        /// The claims query's `id` member.
        location: String,
    },
    /// `claim_sets` without `claims` (§6.4.1: it MUST NOT be present if `claims` is absent).
    ClaimSetsWithoutClaims {
        /// The `claim_sets` member.
        location: String,
    },
    /// A `claim_sets` option names a claim id that is not in `claims`.
    UnknownClaimId {
        /// Where.
        location: String,
        /// The id.
        id: String,
    },
    /// A credential set option names a credential query id that is not in `credentials`
    /// (§6.2 Credential Set Query).
    UnknownCredentialId {
        /// Where.
        location: String,
        /// The id.
        id: String,
    },
    /// A claims path pointer component that is not a string, null or non-negative integer
    /// (§7 Claims Path Pointer).
    InvalidPathElement {
        /// Where, e.g. `credentials[0].claims[2].path[1]`.
        location: String,
    },
    /// A `values` element that is not a string, an integer (in the signed 64-bit range) or a
    /// boolean (§6.3: floats, objects, arrays and null are refused).
    InvalidValue {
        /// Where.
        location: String,
    },
    /// The holder's credentials cannot meet the query; nothing may be returned
    /// (§6.4.2 Selecting Credentials). Holder-facing only: see the type documentation.
    Unsatisfied(Unsatisfied),
    /// The holder's disclosure policy refuses the query. Holder-facing only.
    Refused(PolicyRefusal),
    /// The selection refers to a credential index past the end of the credentials given.
    NoSuchCredential {
        /// The index.
        credential: usize,
        /// How many credentials were given.
        count: usize,
    },
    /// The credential query requires cryptographic holder binding (§6.1, Appendix B.3) but
    /// no key-binding request was given for this credential.
    KeyBindingRequired {
        /// The credential query id.
        query: String,
        /// The credential index.
        credential: usize,
    },
    /// Building a presentation failed.
    Presentation {
        /// The credential query id.
        query: String,
        /// The credential index.
        credential: usize,
        /// Why.
        error: crate::Error,
    },
}

impl fmt::Display for DcqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(e) => write!(f, "dcql_query: {e}"),
            Self::QueryTooLarge { size, max } => {
                write!(f, "dcql_query: {size} bytes, more than the limit of {max}")
            }
            Self::NotAnObject { location } => write!(f, "{location}: must be a JSON object"),
            Self::Missing { location } => write!(f, "{location}: is required"),
            Self::WrongType { location, expected } => write!(f, "{location}: must be {expected}"),
            Self::Empty { location } => write!(f, "{location}: must not be empty"),
            Self::TooMany {
                location,
                limit,
                max,
            } => write!(f, "{location}: more than {max} {}", limit.counts()),
            Self::InvalidId { location, id } => write!(
                f,
                "{location}: {id:?} is not a valid id (non-empty; ASCII letters, digits, '_' and '-' only)"
            ),
            Self::DuplicateCredentialId { location, id } => {
                write!(f, "{location}: credential query id {id:?} is used twice")
            }
            Self::DuplicateClaimId { location, id } => {
                write!(
                    f,
                    "{location}: claim id {id:?} is used twice in this credential query"
                )
            }
            Self::ClaimIdRequired { location } => {
                write!(
                    f,
                    "{location}: is required because the credential query has claim_sets"
                )
            }
            Self::ClaimSetsWithoutClaims { location } => {
                write!(f, "{location}: must not be present without claims")
            }
            Self::UnknownClaimId { location, id } => {
                write!(f, "{location}: no claims query has the id {id:?}")
            }
            Self::UnknownCredentialId { location, id } => {
                write!(f, "{location}: no credential query has the id {id:?}")
            }
            Self::InvalidPathElement { location } => write!(
                f,
                "{location}: must be a string, null or a non-negative integer"
            ),
            Self::InvalidValue { location } => write!(
                f,
                "{location}: must be a string, an integer (signed 64-bit) or a boolean"
            ),
            Self::Unsatisfied(u) => u.fmt(f),
            Self::Refused(r) => r.fmt(f),
            Self::NoSuchCredential { credential, count } => write!(
                f,
                "the selection names credential {credential}, but only {count} were given"
            ),
            Self::KeyBindingRequired { query, credential } => write!(
                f,
                "credential query `{query}` requires cryptographic holder binding, but no key \
                 binding was given for credential {credential}"
            ),
            Self::Presentation {
                query,
                credential,
                error,
            } => write!(
                f,
                "credential query `{query}`: presenting credential {credential} failed: {error}"
            ),
        }
    }
}

impl std::error::Error for DcqlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Json(e) => Some(e),
            Self::Presentation { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl From<JsonError> for DcqlError {
    fn from(e: JsonError) -> Self {
        Self::Json(e)
    }
}
