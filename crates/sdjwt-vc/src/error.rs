//! The error type of `sdjwt-vc`.

use core::fmt;

/// Why an SD-JWT VC, a Type Metadata document, a trust list or an issuance request was
/// refused.
///
/// RFC 9901 failures of the underlying SD-JWT arrive wrapped ([`Error::Verifier`],
/// [`Error::Issuer`], [`Error::Core`]); the other variants are the SD-JWT VC profile's own
/// rules, the trust list's decisions, and the status and metadata checks.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The RFC 9901 verification of the SD-JWT failed.
    Verifier(sdjwt_verifier::Error),
    /// The RFC 9901 issuance failed.
    Issuer(sdjwt_issuer::Error),
    /// Parsing or processing the SD-JWT failed.
    Core(sdjwt_core::Error),
    /// A JOSE or crypto-provider failure.
    Jose(sdjwt_jose::Error),

    // --- The credential itself (draft-ietf-oauth-sd-jwt-vc §2) ---
    /// The protected header `typ` is not `dc+sd-jwt` (§2.2.1); `vc+sd-jwt` is accepted only
    /// when the policy opts in.
    WrongTyp {
        /// The `typ` received, if any.
        found: Option<String>,
    },
    /// `vct` is missing, not a string, or was selectively disclosed (§2.2.2.1, §2.2.2.3).
    MissingVct,
    /// `vct` is not usable as a type identifier (empty, or with whitespace or control
    /// characters).
    InvalidVct {
        /// The value received.
        vct: String,
    },
    /// A claim that §2.2.2.3 forbids from being selectively disclosable (`iss`, `nbf`, `exp`,
    /// `cnf`, `vct`, `vct#integrity`, `aka_vcts`, `status`, or one of their sub-claims) is
    /// selectively disclosable.
    ReservedClaimDisclosable {
        /// The claim's path.
        path: String,
    },
    /// A registered claim has the wrong shape (for example `aka_vcts` not a non-empty array of
    /// strings, or containing `vct`, §2.2.2.2).
    InvalidClaim {
        /// The claim.
        claim: &'static str,
        /// Why.
        reason: String,
    },

    // --- Integrity (§6) ---
    /// An integrity metadata string is malformed.
    InvalidIntegrity {
        /// The value (truncated).
        value: String,
        /// Why.
        reason: String,
    },
    /// No hash expression of an integrity string uses an algorithm supported here.
    IntegrityUnsupported {
        /// The value (truncated).
        value: String,
    },
    /// A retrieved document does not match its integrity metadata.
    IntegrityMismatch {
        /// The integrity value it should have matched (truncated).
        expected: String,
    },

    // --- Type Metadata (§5) ---
    /// Type Metadata for a type could not be retrieved.
    TypeMetadataUnavailable {
        /// The type.
        vct: String,
        /// Why.
        reason: String,
    },
    /// A Type Metadata document is malformed.
    InvalidTypeMetadata {
        /// The type it declares, if it got that far.
        vct: String,
        /// Why.
        reason: String,
    },
    /// A retrieved Type Metadata document describes another type than the one referenced
    /// (§5.3).
    TypeMetadataVctMismatch {
        /// The type referenced.
        expected: String,
        /// The type the document declares.
        found: String,
    },
    /// The `extends` chain reaches a type twice (§7.4).
    ExtendsCycle {
        /// The types in the order reached, ending with the repeated one.
        chain: Vec<String>,
    },
    /// The `extends` chain is longer than the configured limit.
    ExtendsTooDeep {
        /// The credential's type.
        vct: String,
        /// The limit.
        max: usize,
    },
    /// An extending type changes `sd` from `always`/`never`, or `mandatory` from `true`
    /// (§5.6.5.1).
    ExtendsOverride {
        /// The extending type.
        vct: String,
        /// The claim path.
        path: String,
        /// What it changes.
        reason: String,
    },
    /// A claim metadata `path` cannot be evaluated against the credential (§5.6.1.2).
    ClaimPathError {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
    /// A `mandatory` claim is known to be absent (§5.6.3).
    MandatoryClaimMissing {
        /// The claim metadata path.
        path: String,
    },
    /// A claim's selective disclosability breaks its `sd` rule (§5.6.4).
    SelectiveDisclosureRule {
        /// The claim metadata path.
        path: String,
        /// The rule: `always` or `never`.
        rule: &'static str,
    },

    // --- Trust and key discovery (§2.5) ---
    /// The trust list is malformed.
    InvalidTrustList {
        /// Why.
        reason: String,
    },
    /// The issuer is not in the trust list.
    UntrustedIssuer {
        /// The `iss` claim, if any.
        iss: Option<String>,
    },
    /// The issuer is trusted, but not to issue this type.
    IssuerNotTrustedForType {
        /// The issuer.
        iss: String,
        /// The type.
        vct: String,
    },
    /// The issuer's key could not be determined with the mechanism the trust list permits for
    /// it (§2.5: the credential must then be rejected).
    KeyDiscovery {
        /// The issuer.
        iss: String,
        /// Why.
        reason: String,
    },
    /// JWT VC Issuer Metadata is malformed or does not belong to the issuer (§4.2, §4.3).
    InvalidIssuerMetadata {
        /// The issuer.
        iss: String,
        /// Why.
        reason: String,
    },

    // --- Status (draft-ietf-oauth-status-list) ---
    /// The credential has been revoked: its status is INVALID.
    Revoked {
        /// The status list URI.
        uri: String,
        /// The index in it.
        idx: u64,
    },
    /// The credential is suspended: its status is SUSPENDED.
    Suspended {
        /// The status list URI.
        uri: String,
        /// The index in it.
        idx: u64,
    },
    /// The credential's status is an application-specific or reserved value the policy does
    /// not accept.
    StatusNotValid {
        /// The status value.
        value: u8,
    },
    /// The Status List Token was refused (signature, `sub`, `typ`, expiry, encoding) or the
    /// credential's index is outside the list.
    StatusList {
        /// The status list URI.
        uri: String,
        /// What the status list check found.
        error: sdjwt_status::Error,
    },
    /// The status could not be determined (the list token could not be fetched, verified or
    /// read).
    StatusUnavailable {
        /// The status list URI.
        uri: String,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Verifier(e) => write!(f, "{e}"),
            Self::Issuer(e) => write!(f, "{e}"),
            Self::Core(e) => write!(f, "{e}"),
            Self::Jose(e) => write!(f, "{e}"),
            Self::WrongTyp { found } => match found {
                Some(t) => write!(f, "header typ is {t:?}, not \"dc+sd-jwt\""),
                None => f.write_str("header has no typ; an SD-JWT VC must have typ \"dc+sd-jwt\""),
            },
            Self::MissingVct => f.write_str(
                "vct is missing, not a string, or selectively disclosed; an SD-JWT VC must carry it in plaintext",
            ),
            Self::InvalidVct { vct } => write!(f, "vct {vct:?} is not a valid type identifier"),
            Self::ReservedClaimDisclosable { path } => write!(
                f,
                "claim {path} must not be selectively disclosable in an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc §2.2.2.3)"
            ),
            Self::InvalidClaim { claim, reason } => write!(f, "claim {claim}: {reason}"),
            Self::InvalidIntegrity { value, reason } => {
                write!(f, "integrity metadata {value:?} is malformed: {reason}")
            }
            Self::IntegrityUnsupported { value } => {
                write!(f, "integrity metadata {value:?} uses no supported hash algorithm")
            }
            Self::IntegrityMismatch { expected } => {
                write!(f, "document does not match its integrity metadata {expected:?}")
            }
            Self::TypeMetadataUnavailable { vct, reason } => {
                write!(f, "type metadata for {vct} unavailable: {reason}")
            }
            Self::InvalidTypeMetadata { vct, reason } => {
                if vct.is_empty() {
                    write!(f, "invalid type metadata: {reason}")
                } else {
                    write!(f, "invalid type metadata for {vct}: {reason}")
                }
            }
            Self::TypeMetadataVctMismatch { expected, found } => write!(
                f,
                "type metadata retrieved for {expected} describes {found}"
            ),
            Self::ExtendsCycle { chain } => {
                write!(f, "circular extends: {}", chain.join(" -> "))
            }
            Self::ExtendsTooDeep { vct, max } => {
                write!(f, "extends chain of {vct} is longer than {max} types")
            }
            Self::ExtendsOverride { vct, path, reason } => {
                write!(f, "type {vct} {reason} for claim {path}, which an extending type must not do")
            }
            Self::ClaimPathError { path, reason } => write!(f, "claim metadata path {path}: {reason}"),
            Self::MandatoryClaimMissing { path } => {
                write!(f, "mandatory claim {path} is missing from the credential")
            }
            Self::SelectiveDisclosureRule { path, rule } => match *rule {
                "always" => write!(f, "claim {path} must be selectively disclosable (sd: always)"),
                _ => write!(f, "claim {path} must not be selectively disclosable (sd: {rule})"),
            },
            Self::InvalidTrustList { reason } => write!(f, "invalid trust list: {reason}"),
            Self::UntrustedIssuer { iss } => match iss {
                Some(iss) => write!(f, "issuer {iss} is not in the trust list"),
                None => f.write_str("credential names no issuer the trust list knows"),
            },
            Self::IssuerNotTrustedForType { iss, vct } => {
                write!(f, "issuer {iss} is not trusted to issue credentials of type {vct}")
            }
            Self::KeyDiscovery { iss, reason } => {
                write!(f, "cannot determine the key of issuer {iss}: {reason}")
            }
            Self::InvalidIssuerMetadata { iss, reason } => {
                write!(f, "JWT VC issuer metadata of {iss}: {reason}")
            }
            Self::Revoked { uri, idx } => {
                write!(f, "credential revoked (status list {uri}, index {idx})")
            }
            Self::Suspended { uri, idx } => {
                write!(f, "credential suspended (status list {uri}, index {idx})")
            }
            Self::StatusNotValid { value } => {
                write!(f, "credential status is 0x{value:02x}, not VALID")
            }
            Self::StatusList { uri, error } => write!(f, "status list {uri}: {error}"),
            Self::StatusUnavailable { uri, reason } => {
                write!(f, "status of credential unavailable from {uri}: {reason}")
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<sdjwt_verifier::Error> for Error {
    fn from(e: sdjwt_verifier::Error) -> Self {
        Self::Verifier(e)
    }
}

impl From<sdjwt_issuer::Error> for Error {
    fn from(e: sdjwt_issuer::Error) -> Self {
        Self::Issuer(e)
    }
}

impl From<sdjwt_core::Error> for Error {
    fn from(e: sdjwt_core::Error) -> Self {
        Self::Core(e)
    }
}

impl From<sdjwt_jose::Error> for Error {
    fn from(e: sdjwt_jose::Error) -> Self {
        Self::Jose(e)
    }
}
