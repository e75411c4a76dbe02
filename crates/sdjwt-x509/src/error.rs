//! The error type of `sdjwt-x509`.

use core::fmt;

use sdjwt_jose::JwsAlgorithm;

/// Everything that can go wrong when discovering an Issuer key from an `x5c` header.
///
/// The variants fall into four groups, kept apart as the project's errors are:
///
/// * the `x5c` header parameter itself is malformed or too large (hostile input, RFC 7515
///   §4.1.6): [`X5cNotArray`](Self::X5cNotArray) to
///   [`MalformedAuthorityKeyIdentifier`](Self::MalformedAuthorityKeyIdentifier);
/// * the verifier's own configuration is wrong (caller misuse):
///   [`InvalidTrustAnchor`](Self::InvalidTrustAnchor), [`InvalidPem`](Self::InvalidPem),
///   [`NoTrustAnchors`](Self::NoTrustAnchors), [`InvalidKeyPurpose`](Self::InvalidKeyPurpose);
/// * the chain does not validate (RFC 5280 §6): [`Expired`](Self::Expired) to
///   [`CertificateRejected`](Self::CertificateRejected);
/// * the validated leaf does not fit the credential (SD-JWT VC §"Issuer Verification Key
///   Discovery and Validation"): [`UnsupportedPublicKey`](Self::UnsupportedPublicKey) to
///   [`NoSubjectAltName`](Self::NoSubjectAltName).
///
/// A certificate signature that does not verify is [`BadCertificateSignature`](Self::BadCertificateSignature)
/// and says nothing more.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum X509Error {
    /// The `x5c` header parameter is not a JSON array (RFC 7515 §4.1.6).
    X5cNotArray,
    /// The `x5c` array is empty: it must hold at least the certificate of the signing key
    /// (RFC 7515 §4.1.6).
    X5cEmpty,
    /// The `x5c` array has more certificates than [`X5cLimits::max_certificates`](crate::X5cLimits).
    TooManyCertificates {
        /// The number of entries received.
        found: usize,
        /// The limit in force.
        max: usize,
    },
    /// An `x5c` entry is not a JSON string.
    X5cEntryNotString {
        /// The entry's position in the array (0 is the leaf).
        index: usize,
    },
    /// An `x5c` entry is not canonical, padded, standard base64 (RFC 7515 §4.1.6, RFC 4648
    /// §4). Base64url, whitespace, line breaks and missing padding all land here.
    X5cEntryNotBase64 {
        /// The entry's position in the array (0 is the leaf).
        index: usize,
    },
    /// One certificate is larger than [`X5cLimits::max_certificate_len`](crate::X5cLimits).
    CertificateTooLarge {
        /// The entry's position in the array (0 is the leaf).
        index: usize,
        /// The certificate's size in bytes; when refused before decoding, the size its
        /// base64 text would decode to at most.
        len: usize,
        /// The limit in force.
        max: usize,
    },
    /// The certificates together are larger than [`X5cLimits::max_total_len`](crate::X5cLimits).
    X5cTooLarge {
        /// The decoded size in bytes of the entries read so far.
        len: usize,
        /// The limit in force.
        max: usize,
    },
    /// An entry decodes but is not a DER X.509 v3 certificate (RFC 5280 §4.1).
    MalformedCertificate {
        /// The entry's position in the array (0 is the leaf).
        index: usize,
    },
    /// A certificate's Authority Key Identifier extension (RFC 5280 §4.2.1.1) is not one DER
    /// `AuthorityKeyIdentifier`, or appears more than once (§4.2); see
    /// [`authority_key_identifier`](crate::authority_key_identifier).
    MalformedAuthorityKeyIdentifier {
        /// The certificate's position in the chain (0 is the leaf, or the only certificate).
        index: usize,
    },

    /// A certificate given as a trust anchor cannot be parsed.
    InvalidTrustAnchor {
        /// The certificate's position among those given.
        index: usize,
    },
    /// Trust anchor PEM text is malformed (RFC 7468).
    InvalidPem {
        /// What the PEM parser reported.
        reason: String,
    },
    /// Trust anchor input held no certificate at all.
    NoTrustAnchors,
    /// A key purpose given as a dotted OID string is not a valid OID.
    InvalidKeyPurpose {
        /// The text received.
        oid: String,
    },

    /// A certificate in the path had expired at the validation time (RFC 5280 §4.1.2.5).
    Expired {
        /// The validation time, in seconds since the Unix epoch.
        now: u64,
        /// The certificate's `notAfter`, in seconds since the Unix epoch.
        not_after: u64,
    },
    /// A certificate in the path was not yet valid at the validation time (RFC 5280
    /// §4.1.2.5).
    NotYetValid {
        /// The validation time, in seconds since the Unix epoch.
        now: u64,
        /// The certificate's `notBefore`, in seconds since the Unix epoch.
        not_before: u64,
    },
    /// No path leads from the leaf to a trust anchor: the issuer is unknown or untrusted.
    UnknownIssuer,
    /// A certificate's signature does not verify with its issuer's key.
    BadCertificateSignature,
    /// A certificate is signed with an algorithm that is not among those the caller allowed,
    /// or that does not fit the issuer's key.
    UnsupportedSignatureAlgorithm,
    /// The leaf is a CA certificate (`basicConstraints` `cA` true, RFC 5280 §4.2.1.9); an
    /// Issuer must sign with an end-entity certificate.
    CaUsedAsEndEntity,
    /// A certificate above the leaf is not a CA certificate (RFC 5280 §4.2.1.9).
    EndEntityUsedAsCa,
    /// A certificate's extended key usage does not allow this use (RFC 5280 §4.2.1.12); see
    /// [`KeyPurposePolicy`](crate::KeyPurposePolicy).
    KeyPurposeNotAllowed,
    /// A name in the path violates a CA's name constraints (RFC 5280 §4.2.1.10).
    NameConstraintViolation,
    /// The path is longer than a CA's `pathLenConstraint` allows (RFC 5280 §4.2.1.9).
    PathLenConstraintViolated,
    /// A certificate has a critical extension the validator does not understand (RFC 5280
    /// §4.2).
    UnsupportedCriticalExtension,
    /// A valid path exists, but not in the order of the `x5c` array: each certificate must
    /// certify the one before it, and nothing but the trust anchor's own certificate may
    /// follow the path (RFC 7515 §4.1.6).
    ChainOrder,
    /// Path building gave up after its work budget (signature checks, path-building calls or
    /// name comparisons) ran out.
    WorkLimitExceeded,
    /// The chain was rejected for a reason without a variant of its own.
    CertificateRejected {
        /// The validator's description of the reason.
        reason: String,
    },

    /// The leaf's public key is of a type that cannot sign JWS here (RFC 5280 §4.1.2.7).
    UnsupportedPublicKey {
        /// The key's algorithm OID (and curve OID for EC keys), dotted.
        algorithm: String,
    },
    /// The leaf's `SubjectPublicKeyInfo` is malformed for its algorithm (RFC 5480 §2,
    /// RFC 8410 §4, RFC 3279 §2.3.1).
    MalformedPublicKey,
    /// The leaf key cannot be used with the JWS `alg` of the header (RFC 7515 §4.1.1).
    KeyAlgorithmMismatch {
        /// The algorithm of the JWS header.
        alg: JwsAlgorithm,
        /// What the key is, e.g. `EC P-384` or `RSA 1024-bit`.
        key: String,
    },
    /// The `iss` claim names an Issuer that the leaf certificate does not vouch for.
    IssuerNotInCertificate {
        /// The `iss` value received.
        iss: String,
    },
    /// The `iss` claim is present but the leaf certificate has no DNS or URI subject
    /// alternative name to bind it to.
    NoSubjectAltName,
}

impl fmt::Display for X509Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::X5cNotArray => f.write_str("the x5c header parameter is not an array"),
            Self::X5cEmpty => f.write_str("the x5c header parameter is an empty array"),
            Self::TooManyCertificates { found, max } => {
                write!(f, "x5c has {found} certificates, more than the limit of {max}")
            }
            Self::X5cEntryNotString { index } => write!(f, "x5c[{index}] is not a string"),
            Self::X5cEntryNotBase64 { index } => {
                write!(f, "x5c[{index}] is not canonical padded standard base64")
            }
            Self::CertificateTooLarge { index, len, max } => write!(
                f,
                "x5c[{index}] is {len} bytes, more than the limit of {max} bytes"
            ),
            Self::X5cTooLarge { len, max } => write!(
                f,
                "x5c certificates total {len} bytes, more than the limit of {max} bytes"
            ),
            Self::MalformedCertificate { index } => {
                write!(f, "x5c[{index}] is not a DER X.509 v3 certificate")
            }
            Self::MalformedAuthorityKeyIdentifier { index } => write!(
                f,
                "x5c[{index}] has a malformed authority key identifier extension"
            ),
            Self::InvalidTrustAnchor { index } => {
                write!(f, "trust anchor certificate {index} cannot be parsed")
            }
            Self::InvalidPem { reason } => write!(f, "malformed trust anchor PEM: {reason}"),
            Self::NoTrustAnchors => f.write_str("no trust anchor certificate was given"),
            Self::InvalidKeyPurpose { oid } => write!(f, "{oid:?} is not a dotted OID"),
            Self::Expired { now, not_after } => write!(
                f,
                "a certificate in the chain expired at {not_after} (validation time {now})"
            ),
            Self::NotYetValid { now, not_before } => write!(
                f,
                "a certificate in the chain is not valid before {not_before} (validation time {now})"
            ),
            Self::UnknownIssuer => f.write_str("the chain does not lead to a trust anchor"),
            Self::BadCertificateSignature => {
                f.write_str("a certificate signature in the chain does not verify")
            }
            Self::UnsupportedSignatureAlgorithm => {
                f.write_str("a certificate in the chain uses a signature algorithm not allowed")
            }
            Self::CaUsedAsEndEntity => f.write_str("the leaf certificate is a CA certificate"),
            Self::EndEntityUsedAsCa => {
                f.write_str("a certificate that is not a CA issued another certificate")
            }
            Self::KeyPurposeNotAllowed => {
                f.write_str("a certificate's extended key usage does not allow this use")
            }
            Self::NameConstraintViolation => f.write_str("a name constraint is violated"),
            Self::PathLenConstraintViolated => f.write_str("a path length constraint is violated"),
            Self::UnsupportedCriticalExtension => {
                f.write_str("a certificate has an unsupported critical extension")
            }
            Self::ChainOrder => f.write_str(
                "the x5c certificates are not in chain order (each certifying the previous)",
            ),
            Self::WorkLimitExceeded => f.write_str("path building exceeded its work budget"),
            Self::CertificateRejected { reason } => {
                write!(f, "the certificate chain was rejected: {reason}")
            }
            Self::UnsupportedPublicKey { algorithm } => {
                write!(f, "the leaf public key type {algorithm} is not supported")
            }
            Self::MalformedPublicKey => f.write_str("the leaf public key is malformed"),
            Self::KeyAlgorithmMismatch { alg, key } => {
                write!(f, "the leaf key ({key}) cannot be used with {}", alg.name())
            }
            Self::IssuerNotInCertificate { iss } => write!(
                f,
                "iss {iss:?} matches no subject alternative name of the leaf certificate"
            ),
            Self::NoSubjectAltName => f.write_str(
                "iss is present but the leaf certificate has no DNS or URI subject alternative name",
            ),
        }
    }
}

impl std::error::Error for X509Error {}
