//! Error classes: the language-neutral names negative vectors expect.
//!
//! A class is coarser than any one implementation's error type, so that another implementation
//! can map its own errors onto it; `spec/vectors/README.md` lists them with their meaning.

use core::fmt;
use core::str::FromStr;

use sdjwt_core::{DisclosureError, Error as CoreError};
use sdjwt_jose::Error as JoseError;
use sdjwt_jose::json::JsonError;
use sdjwt_status::Error as StatusError;
use sdjwt_vc::Error as VcError;
use sdjwt_verifier::Error as VerifyError;

macro_rules! classes {
    ($( $(#[$doc:meta])* $variant:ident => $name:literal, )*) => {
        /// Why a presentation was rejected, as a negative vector names it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorClass {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorClass {
            /// Every class, in documentation order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The name used in vector files.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }
        }

        impl FromStr for ErrorClass {
            type Err = UnknownClass;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok(Self::$variant),)*
                    _ => Err(UnknownClass(s.to_owned())),
                }
            }
        }
    };
}

classes! {
    /// The serialization's grammar is broken: no `~`, an empty Disclosure, a JWS without three
    /// parts, a JWS JSON object missing members or mixing syntaxes, a payload that is not an
    /// object, a KB-JWT where none may be (RFC 9901 §4, §8).
    Malformed => "malformed",
    /// Text that must be base64url is not (padding, wrong alphabet, impossible length,
    /// non-canonical trailing bits).
    Base64url => "base64url",
    /// Text that must be JSON is not, or repeats a member name.
    Json => "json",
    /// The JWS protected header is unusable: no `alg`, a `crit` we do not understand, a
    /// parameter with the wrong type, a parameter in both protected and unprotected headers.
    Header => "header",
    /// `alg` is `none` or a MAC (HS256/384/512): never acceptable for an SD-JWT or KB-JWT.
    AlgorithmForbidden => "algorithm_forbidden",
    /// `alg` is unknown, unsupported, or not allowed by the verifier's policy.
    AlgorithmNotAllowed => "algorithm_not_allowed",
    /// The key cannot be used with the header's `alg` (wrong key type, curve or JWK `alg`).
    KeyMismatch => "key_mismatch",
    /// A signature (issuer or KB-JWT) does not verify, or has the wrong length.
    Signature => "signature",
    /// No trusted key for this issuer, or `iss` is not a string.
    IssuerKey => "issuer_key",
    /// The issuer JWT's header `typ` is not the one the verifier requires; for an SD-JWT VC,
    /// not `dc+sd-jwt` (or missing, or the legacy `vc+sd-jwt` without the verifier's opt-in).
    Typ => "typ",
    /// `_sd_alg` is unknown, not allowed, not a string, or not at the top level.
    HashAlgorithm => "hash_algorithm",
    /// A Disclosure is not a base64url JSON array of the right length and member types, or
    /// names a reserved claim (`_sd`, `...`).
    Disclosure => "disclosure",
    /// `_sd` or an array digest (`{"...": digest}`) is malformed or misplaced.
    DigestStructure => "digest_structure",
    /// A digest appears more than once in the payload and Disclosures (§7.1 step 4).
    DuplicateDigest => "duplicate_digest",
    /// The same Disclosure is sent twice.
    DuplicateDisclosure => "duplicate_disclosure",
    /// A Disclosure is not referenced by any digest (§7.1 step 5).
    UnreferencedDisclosure => "unreferenced_disclosure",
    /// An object-property Disclosure is referenced from an array, or an array-element
    /// Disclosure from `_sd` (§7.1 step 3).
    DisclosureKind => "disclosure_kind",
    /// A disclosed claim name already exists at its level (§7.1 step 3.c.ii.3).
    ClaimCollision => "claim_collision",
    /// `exp`, `nbf` or `iat` makes the credential invalid now, or is not a number.
    Time => "time",
    /// The SD-JWT's `aud` does not name this verifier, the verifier does not know who it is,
    /// or `aud` is not a string or array of strings.
    Audience => "audience",
    /// A claim the verifier requires is absent after processing.
    RequiredClaim => "required_claim",
    /// Key binding is required but the holder key (`cnf.jwk`) is missing or unusable.
    HolderKey => "holder_key",
    /// Key binding is required but no KB-JWT was sent.
    KbRequired => "kb_required",
    /// The KB-JWT header `typ` is not `kb+jwt`.
    KbTyp => "kb_typ",
    /// A KB-JWT claim is missing or has the wrong type.
    KbClaims => "kb_claims",
    /// The KB-JWT `iat` is in the future or too old.
    KbTime => "kb_time",
    /// The KB-JWT `aud` is not the verifier.
    KbAudience => "kb_audience",
    /// The KB-JWT `nonce` is not the one the verifier issued.
    KbNonce => "kb_nonce",
    /// The KB-JWT `sd_hash` does not match the presentation.
    KbSdHash => "kb_sd_hash",
    /// A size, count or depth limit was exceeded.
    Limit => "limit",
    /// SD-JWT VC: `vct` is missing from the signed payload, not a string, or not a usable type
    /// identifier; or `aka_vcts` is not a non-empty array of such identifiers without `vct`
    /// (draft-ietf-oauth-sd-jwt-vc §2.2.2.1, §2.2.2.2). A `vct` sent in a Disclosure is
    /// [`ErrorClass::ReservedClaim`].
    Vct => "vct",
    /// SD-JWT VC: a claim that must never be selectively disclosable (`iss`, `nbf`, `exp`,
    /// `cnf`, `vct`, `vct#integrity`, `aka_vcts`, `status`, or a sub-claim of one) came in a
    /// Disclosure (§2.2.2.3).
    ReservedClaim => "reserved_claim",
    /// SD-JWT VC: the verifier's policy trusts no issuer with this `iss` (§2.5).
    UntrustedIssuer => "untrusted_issuer",
    /// SD-JWT VC: the issuer is trusted, but not to issue the credential's `vct` or one of its
    /// `aka_vcts` (§7.7).
    IssuerNotTrustedForType => "issuer_not_trusted_for_type",
    /// SD-JWT VC: the issuer's key could not be found with the mechanism permitted for it
    /// (metadata or JWK Set not retrievable over HTTPS, wrong media type) (§2.5, §3).
    KeyDiscovery => "key_discovery",
    /// SD-JWT VC: JWT VC Issuer Metadata is malformed, names another issuer, or has both or
    /// neither of `jwks` and `jwks_uri` (§4.2, §4.3).
    IssuerMetadata => "issuer_metadata",
    /// SD-JWT VC: a `#integrity` value is malformed, uses no supported hash algorithm, or does
    /// not match the retrieved document under the strongest supported algorithm (§6).
    Integrity => "integrity",
    /// SD-JWT VC: Type Metadata is malformed, describes another `vct` than the one referenced,
    /// or is required by policy but cannot be retrieved (§5.2, §5.3, §5.6, §5.7).
    TypeMetadata => "type_metadata",
    /// SD-JWT VC: the `extends` chain reaches a type twice (§7.4).
    ExtendsCycle => "extends_cycle",
    /// SD-JWT VC: the credential breaks its claim metadata (a `path` that cannot be processed,
    /// a mandatory claim known to be missing, an `sd` rule), or an extending type loosens an
    /// inherited `sd` or `mandatory` (§5.6, §5.6.5.1).
    ClaimMetadata => "claim_metadata",
    /// Token Status List: the credential's `status` claim is malformed (no `status_list`, an
    /// `idx` that is not a non-negative integer, a `uri` that is not a URI) (§6.2).
    StatusClaim => "status_claim",
    /// Token Status List: the Status List Token could not be retrieved: no document at the
    /// URI, a URI that is not HTTPS, a wrong media type (§8.1, §8.2).
    StatusUnavailable => "status_unavailable",
    /// Token Status List: the Status List Token was retrieved but is not acceptable: wrong
    /// `typ`, bad signature or not the issuer's key, `sub` not the referenced URI, expired,
    /// missing claims, or a Status List that does not decode (§4.2, §5.1, §8.3).
    StatusToken => "status_token",
    /// Token Status List: the credential's index is outside the Status List (§8.3 step 6).
    StatusIndex => "status_index",
    /// Token Status List: the status is INVALID (0x01): revoked (§7.1).
    Revoked => "revoked",
    /// Token Status List: the status is SUSPENDED (0x02) (§7.1).
    Suspended => "suspended",
    /// Token Status List: the status is an application-specific or reserved value the
    /// verifier does not accept (§7.1).
    StatusValue => "status_value",
    /// Anything else (a crypto backend failure, a resolver failure).
    Other => "other",
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A class name that is not in [`ErrorClass::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownClass(pub String);

impl fmt::Display for UnknownClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown error class {:?}", self.0)
    }
}

impl std::error::Error for UnknownClass {}

/// The class of a verification error of this implementation.
pub fn classify(e: &VerifyError) -> ErrorClass {
    use ErrorClass as C;
    match e {
        VerifyError::Core(core) => classify_core(core),
        VerifyError::AlgorithmNotAllowed { .. } | VerifyError::KbAlgorithmNotAllowed { .. } => {
            C::AlgorithmNotAllowed
        }
        VerifyError::WrongTyp { .. } => C::Typ,
        VerifyError::IssuerNotString | VerifyError::NoIssuerKey { .. } => C::IssuerKey,
        VerifyError::NoValidSignature { .. } => C::Signature,
        VerifyError::HashNotAllowed { .. } => C::HashAlgorithm,
        VerifyError::KeyBindingRequired => C::KbRequired,
        VerifyError::KbWrongTyp { .. } => C::KbTyp,
        VerifyError::KbIssuedInFuture { .. } | VerifyError::KbTooOld { .. } => C::KbTime,
        VerifyError::KbAudienceMismatch { .. } => C::KbAudience,
        VerifyError::KbNonceMismatch { .. } => C::KbNonce,
        VerifyError::KbSdHashMismatch => C::KbSdHash,
        VerifyError::AudienceMismatch { .. } | VerifyError::InvalidAudience => C::Audience,
        _ => C::Other,
    }
}

/// The class of an SD-JWT VC verification error of this implementation.
pub fn classify_vc(e: &VcError) -> ErrorClass {
    use ErrorClass as C;
    match e {
        VcError::Verifier(e) => classify(e),
        VcError::Core(e) => classify_core(e),
        VcError::Jose(e) => classify_jose(e),
        VcError::WrongTyp { .. } => C::Typ,
        VcError::MissingVct | VcError::InvalidVct { .. } => C::Vct,
        VcError::InvalidClaim { claim, .. } => match *claim {
            "aka_vcts" | "vct" => C::Vct,
            "vct#integrity" => C::Integrity,
            "status" => C::StatusClaim,
            _ => C::Other,
        },
        VcError::ReservedClaimDisclosable { .. } => C::ReservedClaim,
        VcError::InvalidIntegrity { .. }
        | VcError::IntegrityUnsupported { .. }
        | VcError::IntegrityMismatch { .. } => C::Integrity,
        VcError::TypeMetadataUnavailable { .. }
        | VcError::InvalidTypeMetadata { .. }
        | VcError::TypeMetadataVctMismatch { .. } => C::TypeMetadata,
        VcError::ExtendsCycle { .. } => C::ExtendsCycle,
        VcError::ExtendsTooDeep { .. } => C::Limit,
        VcError::ExtendsOverride { .. }
        | VcError::ClaimPathError { .. }
        | VcError::MandatoryClaimMissing { .. }
        | VcError::SelectiveDisclosureRule { .. } => C::ClaimMetadata,
        VcError::UntrustedIssuer { .. } => C::UntrustedIssuer,
        VcError::IssuerNotTrustedForType { .. } => C::IssuerNotTrustedForType,
        VcError::KeyDiscovery { .. } => C::KeyDiscovery,
        VcError::InvalidIssuerMetadata { .. } => C::IssuerMetadata,
        VcError::Revoked { .. } => C::Revoked,
        VcError::Suspended { .. } => C::Suspended,
        VcError::StatusNotValid { .. } => C::StatusValue,
        VcError::StatusList { error, .. } => match error {
            StatusError::IndexOutOfBounds { .. } => C::StatusIndex,
            _ => C::StatusToken,
        },
        VcError::StatusUnavailable { .. } => C::StatusUnavailable,
        _ => C::Other,
    }
}

fn classify_core(e: &CoreError) -> ErrorClass {
    use ErrorClass as C;
    match e {
        CoreError::Jose(jose) => classify_jose(jose),
        CoreError::LimitExceeded { .. } => C::Limit,
        CoreError::MissingTilde
        | CoreError::EmptyDisclosure { .. }
        | CoreError::UnexpectedKeyBinding
        | CoreError::InvalidJsonHeader { .. }
        | CoreError::MisplacedJsonHeader { .. }
        | CoreError::PayloadNotObject => C::Malformed,
        CoreError::Disclosure { error, .. } => match error {
            DisclosureError::Base64(_) => C::Base64url,
            DisclosureError::Json(JsonError::TooDeep { .. }) => C::Limit,
            DisclosureError::Json(_) => C::Json,
            _ => C::Disclosure,
        },
        CoreError::SdNotArray
        | CoreError::SdElementNotString
        | CoreError::ArrayDigestExtraMembers
        | CoreError::ArrayDigestNotString
        | CoreError::MisplacedEllipsis => C::DigestStructure,
        CoreError::SdAlgNotTopLevel | CoreError::SdAlgNotString => C::HashAlgorithm,
        CoreError::DuplicateDigest { .. } => C::DuplicateDigest,
        CoreError::DuplicateDisclosure { .. } => C::DuplicateDisclosure,
        CoreError::UnreferencedDisclosure { .. } => C::UnreferencedDisclosure,
        CoreError::WrongDisclosureKind { .. } => C::DisclosureKind,
        CoreError::ClaimNameCollision { .. } => C::ClaimCollision,
        CoreError::InvalidTimeClaim { .. }
        | CoreError::Expired { .. }
        | CoreError::NotYetValid { .. }
        | CoreError::IssuedInFuture { .. } => C::Time,
        CoreError::MissingRequiredClaim { .. } => C::RequiredClaim,
        CoreError::InvalidKbJwtClaim { .. } => C::KbClaims,
        CoreError::MissingHolderKey => C::HolderKey,
        _ => C::Other,
    }
}

fn classify_jose(e: &JoseError) -> ErrorClass {
    use ErrorClass as C;
    match e {
        JoseError::Base64(_) => C::Base64url,
        JoseError::Json(JsonError::TooDeep { .. }) => C::Limit,
        JoseError::Json(_) => C::Json,
        JoseError::Jws(jws) => match jws {
            sdjwt_jose::JwsError::SignatureLength { .. } => C::Signature,
            sdjwt_jose::JwsError::MissingAlgorithm
            | sdjwt_jose::JwsError::InvalidHeaderParameter { .. }
            | sdjwt_jose::JwsError::UnsupportedCritical
            | sdjwt_jose::JwsError::DuplicateHeaderParameter { .. } => C::Header,
            _ => C::Malformed,
        },
        JoseError::Jwk(_) => C::HolderKey,
        JoseError::ForbiddenAlgorithm { .. } => C::AlgorithmForbidden,
        JoseError::UnknownAlgorithm { .. } | JoseError::UnsupportedAlgorithm { .. } => {
            C::AlgorithmNotAllowed
        }
        JoseError::UnknownHashAlgorithm { .. } | JoseError::UnsupportedHashAlgorithm { .. } => {
            C::HashAlgorithm
        }
        JoseError::KeyAlgorithmMismatch { .. } | JoseError::AlgorithmMismatch { .. } => {
            C::KeyMismatch
        }
        JoseError::InvalidSignature => C::Signature,
        _ => C::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for class in ErrorClass::ALL {
            assert!(seen.insert(class.name()), "{class} twice");
            assert_eq!(class.name().parse::<ErrorClass>(), Ok(*class));
        }
        assert_eq!(
            "no_such".parse::<ErrorClass>(),
            Err(UnknownClass("no_such".into()))
        );
    }

    #[test]
    fn classifies_through_the_wrappers() {
        let e = VerifyError::Core(CoreError::Jose(JoseError::ForbiddenAlgorithm {
            name: "none".into(),
        }));
        assert_eq!(classify(&e), ErrorClass::AlgorithmForbidden);
        let e = VerifyError::Core(CoreError::DuplicateDigest { digest: "x".into() });
        assert_eq!(classify(&e), ErrorClass::DuplicateDigest);
        assert_eq!(
            classify(&VerifyError::KbSdHashMismatch),
            ErrorClass::KbSdHash
        );
    }

    #[test]
    fn classifies_sd_jwt_vc_errors() {
        let uri = "https://status.example.com/1".to_owned();
        let cases = [
            (VcError::WrongTyp { found: None }, ErrorClass::Typ),
            (VcError::MissingVct, ErrorClass::Vct),
            (
                VcError::InvalidClaim {
                    claim: "aka_vcts",
                    reason: String::new(),
                },
                ErrorClass::Vct,
            ),
            (
                VcError::InvalidClaim {
                    claim: "status",
                    reason: String::new(),
                },
                ErrorClass::StatusClaim,
            ),
            (
                VcError::Verifier(VerifyError::KbSdHashMismatch),
                ErrorClass::KbSdHash,
            ),
            (
                VcError::ExtendsCycle { chain: Vec::new() },
                ErrorClass::ExtendsCycle,
            ),
            (
                VcError::StatusList {
                    uri: uri.clone(),
                    error: StatusError::IndexOutOfBounds { index: 9, len: 8 },
                },
                ErrorClass::StatusIndex,
            ),
            (
                VcError::StatusList {
                    uri: uri.clone(),
                    error: StatusError::InvalidSignature,
                },
                ErrorClass::StatusToken,
            ),
            (VcError::Revoked { uri, idx: 1 }, ErrorClass::Revoked),
            (
                VcError::StatusNotValid { value: 3 },
                ErrorClass::StatusValue,
            ),
        ];
        for (e, class) in cases {
            assert_eq!(classify_vc(&e), class, "{e:?}");
        }
    }
}
