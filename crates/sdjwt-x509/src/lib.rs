//! Issuer key discovery from the `x5c` header for SD-JWT VC.
//!
//! SD-JWT VC (draft-ietf-oauth-sd-jwt-vc, editor's copy, "Issuer Verification Key Discovery
//! and Validation") defines "Inline X.509 Certificates": when the protected header of the
//! Issuer-signed JWT has an `x5c` parameter, the recipient takes the public key of the
//! end-entity certificate, validates the certificate chain, and the Issuer is the subject of
//! that certificate. This crate does that, in three typed steps:
//!
//! 1. [`X5c::from_header`] parses the header value (RFC 7515 §4.1.6: a non-empty array of
//!    standard, padded base64 DER certificates, leaf first) within [`X5cLimits`].
//! 2. [`X5c::validate`] builds and checks the path to the verifier's [`TrustAnchors`]
//!    (RFC 5280 §6, by rustls-webpki) at a given time, and yields a [`ValidatedLeaf`].
//! 3. [`ValidatedLeaf::key_for_alg`] hands out the leaf key as a [`Jwk`](sdjwt_jose::Jwk)
//!    checked against the JWS `alg`, and [`ValidatedLeaf::check_issuer`] ties an `iss`
//!    claim to the certificate's subject alternative names.
//!
//! Apart from validation, [`x5c_authority_key_identifiers`] (and [`authority_key_identifier`]
//! for one certificate) read the `keyIdentifier` of each certificate's Authority Key
//! Identifier extension (RFC 5280 §4.2.1.1), which a DCQL Trusted Authorities Query of type
//! `aki` names (OpenID4VP 1.0 §6.1.1.1).
//!
//! No crypto backend is chosen here: certificate signatures are checked with the algorithms
//! the caller passes (`&[&dyn SignatureVerificationAlgorithm]`), and the JWS itself is
//! verified afterwards by the caller's [`CryptoProvider`](sdjwt_jose::CryptoProvider) with
//! the returned key. DER is decoded by maintained crates only (rustls-webpki for
//! certificates, RustCrypto `spki`/`der` for the key and subject name).
//!
//! ```
//! use sdjwt_jose::JwsAlgorithm;
//! use sdjwt_x509::{TrustAnchors, X5c, X509Error};
//! # use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, SanType};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let root_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
//! # let mut root_params = CertificateParams::new(Vec::<String>::new())?;
//! # root_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
//! # let root_der = root_params.self_signed(&root_key)?.der().to_vec();
//! # let root = Issuer::new(root_params, root_key);
//! # let leaf_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
//! # let mut leaf_params = CertificateParams::new(Vec::<String>::new())?;
//! # leaf_params.subject_alt_names =
//! #     vec![SanType::URI("https://issuer.example.com".try_into()?)];
//! # let leaf_der = leaf_params.signed_by(&leaf_key, &root)?.der().to_vec();
//! # let x5c_value = X5c::from_der_certificates([leaf_der])?.to_header();
//! # let now = 1_800_000_000;
//! // The verifier's configuration: the roots it trusts for credential issuers.
//! let anchors = TrustAnchors::from_der_certificates([root_der])?;
//!
//! // From the Issuer-signed JWT: the protected header's `x5c` value, `alg` and `iss`.
//! let x5c = X5c::from_header(&x5c_value)?;
//! let leaf = x5c.validate(&anchors, webpki::ALL_VERIFICATION_ALGS, now)?;
//! leaf.check_issuer(Some("https://issuer.example.com"))?;
//! let issuer_key = leaf.key_for_alg(JwsAlgorithm::Es256)?;
//! // ... verify the JWS with `issuer_key` through a CryptoProvider.
//! # let _ = issuer_key;
//!
//! assert_eq!(
//!     leaf.check_issuer(Some("https://other.example.com")),
//!     Err(X509Error::IssuerNotInCertificate { iss: "https://other.example.com".into() })
//! );
//! # Ok(())
//! # }
//! ```
//!
//! Choices made where the specifications leave room, each documented on its item:
//!
//! * extended key usage: [`KeyPurposePolicy`] (RFC 5280 §4.2.1.12; SD-JWT VC defines no
//!   purpose);
//! * the `iss` binding: [`ValidatedLeaf::check_issuer`] (exact URI SAN, or `dns:` URI
//!   against a DNS SAN);
//! * `x5c` order: enforced as RFC 7515 §4.1.6 states it ([`X5c::validate`]); the trust
//!   anchor's own certificate may end the array but is never trusted for being there;
//! * no revocation checking.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod aki;
mod anchors;
mod chain;
mod error;
mod key;
mod leaf;
mod name;
mod x5c;

pub use aki::{authority_key_identifier, x5c_authority_key_identifiers};
pub use anchors::TrustAnchors;
pub use chain::{KeyPurpose, KeyPurposePolicy, ValidationOptions};
pub use error::X509Error;
pub use leaf::ValidatedLeaf;
pub use x5c::{X5C_PARAMETER, X5c, X5cLimits};

/// The rustls PKI types this API uses (`CertificateDer`, `TrustAnchor`,
/// `SignatureVerificationAlgorithm`), re-exported so callers name the same version.
pub use pki_types;
