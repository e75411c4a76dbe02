//! Error classes: the language-neutral names negative vectors expect.
//!
//! A class is coarser than any one implementation's error type, so that another implementation
//! can map its own errors onto it; `spec/vectors/README.md` lists them with their meaning.

use core::fmt;
use core::str::FromStr;

use sdjwt_core::{DisclosureError, Error as CoreError};
use sdjwt_jose::Error as JoseError;
use sdjwt_jose::json::JsonError;
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
    /// The issuer JWT's header `typ` is not the one the verifier requires.
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
}
