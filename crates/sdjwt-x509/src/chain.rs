//! Path validation of an `x5c` chain against the verifier's trust anchors (RFC 5280 §6, done
//! by rustls-webpki), and the extended-key-usage policy it applies.

use core::cell::Cell;
use core::fmt;
use core::time::Duration;

use pki_types::{CertificateDer, SignatureVerificationAlgorithm, TrustAnchor, UnixTime};
use spki::ObjectIdentifier;
use webpki::{
    EndEntityCert, ExtendedKeyUsageValidator, KeyPurposeId, KeyPurposeIdIter, VerifiedPath,
};

use crate::anchors::TrustAnchors;
use crate::error::X509Error;
use crate::leaf::ValidatedLeaf;
use crate::x5c::X5c;

/// `anyExtendedKeyUsage` (RFC 5280 §4.2.1.12), DER content octets of 2.5.29.37.0.
const ANY_EXTENDED_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25, 0x00];

/// A key purpose (`KeyPurposeId`, RFC 5280 §4.2.1.12) that the verifier accepts in an
/// extended key usage extension.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KeyPurpose(ObjectIdentifier);

impl KeyPurpose {
    /// `id-kp-documentSigning`, 1.3.6.1.5.5.7.3.36 (RFC 9336 §3.1). RFC 9336 scopes it to
    /// contents "consumed by people", so it is offered here for ecosystems that chose it, not
    /// accepted by default.
    pub const DOCUMENT_SIGNING: Self = Self(ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.36"));

    /// A key purpose from its dotted form, e.g. an ecosystem's own document-signer purpose.
    ///
    /// # Errors
    ///
    /// [`X509Error::InvalidKeyPurpose`] if `dotted` is not a valid OID.
    pub fn from_dotted(dotted: &str) -> Result<Self, X509Error> {
        ObjectIdentifier::new(dotted)
            .map(Self)
            .map_err(|_| X509Error::InvalidKeyPurpose {
                oid: dotted.to_owned(),
            })
    }
}

impl fmt::Display for KeyPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for KeyPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPurpose({})", self.0)
    }
}

/// How the extended key usage extension (RFC 5280 §4.2.1.12) of the certificates in the path
/// is judged.
///
/// SD-JWT VC defines no key purpose for credential signing, so no purpose can be required.
/// RFC 5280 §4.2.1.12 still says: "If the extension is present, then the certificate MUST
/// only be used for one of the purposes indicated." The default therefore accepts a
/// certificate **without** the extension (it is unrestricted), or with `anyExtendedKeyUsage`,
/// and refuses one whose extension lists only other purposes, such as a TLS server
/// certificate (`serverAuth`). Ecosystems that mark their issuer certificates with a
/// purpose of their own add it with [`KeyPurposePolicy::accepting`].
///
/// As in webpki, the check applies to every certificate of the path (the leaf and its CAs),
/// so a CA restricted to other purposes cannot issue credential-signing certificates.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyPurposePolicy {
    /// RFC 5280 semantics: no extension, `anyExtendedKeyUsage`, or one of `accepted` (the
    /// default, with `accepted` empty).
    IfPresent {
        /// The purposes accepted besides `anyExtendedKeyUsage`.
        accepted: Vec<KeyPurpose>,
    },
    /// The extension is parsed but its purposes are ignored. Only for ecosystems whose
    /// issuer certificates carry unrelated purposes and whose trust anchors are dedicated
    /// to credential issuance.
    Ignore,
}

impl KeyPurposePolicy {
    /// [`KeyPurposePolicy::IfPresent`] accepting `purposes` besides `anyExtendedKeyUsage`.
    pub fn accepting(purposes: impl IntoIterator<Item = KeyPurpose>) -> Self {
        Self::IfPresent {
            accepted: purposes.into_iter().collect(),
        }
    }
}

impl Default for KeyPurposePolicy {
    fn default() -> Self {
        Self::IfPresent {
            accepted: Vec::new(),
        }
    }
}

impl ExtendedKeyUsageValidator for KeyPurposePolicy {
    fn validate(&self, iter: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        let mut present = false;
        let mut allowed = false;
        for id in iter {
            let id = id?;
            present = true;
            allowed |= match self {
                Self::Ignore => true,
                Self::IfPresent { accepted } => {
                    id == KeyPurposeId::new(ANY_EXTENDED_KEY_USAGE)
                        || accepted
                            .iter()
                            .any(|purpose| id == KeyPurposeId::new(purpose.0.as_bytes()))
                }
            };
        }
        if !present || allowed {
            Ok(())
        } else {
            // webpki's `RequiredEkuNotFoundContext` can only name a single `&'static`
            // purpose; this policy accepts a set, so the plain variant is the honest one.
            #[allow(deprecated)]
            Err(webpki::Error::RequiredEkuNotFound)
        }
    }
}

/// Options for [`X5c::validate_with`]; [`ValidationOptions::default`] is what
/// [`X5c::validate`] uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidationOptions {
    /// The extended key usage policy; see [`KeyPurposePolicy`].
    pub key_purpose: KeyPurposePolicy,
}

impl ValidationOptions {
    /// Replaces the key purpose policy.
    #[must_use]
    pub fn with_key_purpose(mut self, policy: KeyPurposePolicy) -> Self {
        self.key_purpose = policy;
        self
    }
}

impl X5c {
    /// Validates the chain and returns the leaf's key and names, with the default
    /// [`ValidationOptions`].
    ///
    /// This is the "Inline X.509 Certificates" mechanism of SD-JWT VC ("Issuer Verification
    /// Key Discovery and Validation"): "the recipient uses the public key from the end-entity
    /// certificate of the certificates from that `x5c` parameter and validates the X.509
    /// certificate chain accordingly."
    ///
    /// * Path building and validation (RFC 5280 §6) are rustls-webpki's: from the leaf,
    ///   through the other `x5c` certificates, to one of `anchors`, at time `now` (seconds
    ///   since the Unix epoch). Validity periods, CA basic constraints, path length and name
    ///   constraints, critical extensions and signatures are all checked. Revocation is not
    ///   (no CRL is consulted).
    /// * `algs` are the signature algorithms allowed for **certificate** signatures, and
    ///   their implementation: this crate picks no crypto backend. With aws-lc-rs that is
    ///   `webpki::ALL_VERIFICATION_ALGS` from `rustls-webpki` built with its `aws-lc-rs`
    ///   feature.
    /// * Order (RFC 7515 §4.1.6: "each subsequent certificate being the one used to certify
    ///   the previous one"): the path must use the `x5c` certificates in array order; after
    ///   the path only the trust anchor's own certificate may follow, which RFC 7515 permits
    ///   and which is never trusted for being there. Otherwise [`X509Error::ChainOrder`].
    ///
    /// The leaf key is then decoded into a JWK; see [`ValidatedLeaf`].
    ///
    /// # Errors
    ///
    /// The validation-group variants of [`X509Error`], [`X509Error::UnsupportedPublicKey`] or
    /// [`X509Error::MalformedPublicKey`].
    pub fn validate(
        &self,
        anchors: &TrustAnchors,
        algs: &[&dyn SignatureVerificationAlgorithm],
        now: u64,
    ) -> Result<ValidatedLeaf, X509Error> {
        self.validate_with(anchors, algs, now, &ValidationOptions::default())
    }

    /// [`X5c::validate`] with explicit options.
    ///
    /// # Errors
    ///
    /// As [`X5c::validate`].
    pub fn validate_with(
        &self,
        anchors: &TrustAnchors,
        algs: &[&dyn SignatureVerificationAlgorithm],
        now: u64,
        options: &ValidationOptions,
    ) -> Result<ValidatedLeaf, X509Error> {
        if anchors.is_empty() {
            return Err(X509Error::NoTrustAnchors);
        }
        let leaf = EndEntityCert::try_from(&self.leaf)
            .map_err(|_| X509Error::MalformedCertificate { index: 0 })?;
        let time = UnixTime::since_unix_epoch(Duration::from_secs(now));
        let out_of_order = Cell::new(false);
        let in_x5c_order = |path: &VerifiedPath<'_>| {
            if follows_x5c_order(path, &self.rest) {
                Ok(())
            } else {
                out_of_order.set(true);
                Err(webpki::Error::UnknownIssuer)
            }
        };
        let result = leaf.verify_for_usage(
            algs,
            anchors.as_slice(),
            &self.rest,
            time,
            &options.key_purpose,
            None,
            Some(&in_x5c_order),
        );
        match result {
            Ok(_) => {}
            Err(_) if out_of_order.get() => return Err(X509Error::ChainOrder),
            Err(e) => return Err(map_webpki_error(e)),
        }
        ValidatedLeaf::from_end_entity(&leaf)
    }
}

/// Whether the path uses `rest` in order, and anything after the path is only the anchor's
/// own certificate.
fn follows_x5c_order(path: &VerifiedPath<'_>, rest: &[CertificateDer<'static>]) -> bool {
    let mut used = 0usize;
    for (cert, offered) in path.intermediate_certificates().zip(rest) {
        if cert.der().as_ref() != offered.as_ref() {
            return false;
        }
        used = used.saturating_add(1);
    }
    if used != path.intermediate_certificates().count() {
        return false;
    }
    match rest.get(used..) {
        None | Some([]) => true,
        Some([anchor_cert]) => is_anchor_certificate(anchor_cert, path.anchor()),
        Some(_) => false,
    }
}

/// Whether `cert` is the certificate `anchor` was made from: same subject, same key.
fn is_anchor_certificate(cert: &CertificateDer<'_>, anchor: &TrustAnchor<'_>) -> bool {
    let Ok(parsed) = EndEntityCert::try_from(cert) else {
        return false;
    };
    parsed.subject() == anchor.subject.as_ref()
        && parsed.subject_public_key_info().as_ref() == webpki::spki_for_anchor(anchor).as_ref()
}

/// Maps webpki's reasons onto ours; the ones without a variant keep webpki's description.
fn map_webpki_error(error: webpki::Error) -> X509Error {
    use webpki::Error as W;
    match error {
        W::CertExpired { time, not_after } => X509Error::Expired {
            now: time.as_secs(),
            not_after: not_after.as_secs(),
        },
        W::CertNotValidYet { time, not_before } => X509Error::NotYetValid {
            now: time.as_secs(),
            not_before: not_before.as_secs(),
        },
        W::UnknownIssuer => X509Error::UnknownIssuer,
        W::InvalidSignatureForPublicKey => X509Error::BadCertificateSignature,
        W::UnsupportedSignatureAlgorithmContext(_)
        | W::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
        | W::SignatureAlgorithmMismatch => X509Error::UnsupportedSignatureAlgorithm,
        W::CaUsedAsEndEntity => X509Error::CaUsedAsEndEntity,
        W::EndEntityUsedAsCa => X509Error::EndEntityUsedAsCa,
        // The plain variant is what `KeyPurposePolicy` reports (see there).
        #[allow(deprecated)]
        W::RequiredEkuNotFound | W::RequiredEkuNotFoundContext(_) | W::EmptyEkuExtension => {
            X509Error::KeyPurposeNotAllowed
        }
        W::NameConstraintViolation => X509Error::NameConstraintViolation,
        W::PathLenConstraintViolated => X509Error::PathLenConstraintViolated,
        W::UnsupportedCriticalExtension => X509Error::UnsupportedCriticalExtension,
        W::MaximumSignatureChecksExceeded
        | W::MaximumPathBuildCallsExceeded
        | W::MaximumPathDepthExceeded
        | W::MaximumNameConstraintComparisonsExceeded => X509Error::WorkLimitExceeded,
        other => X509Error::CertificateRejected {
            reason: format!("{other:?}"),
        },
    }
}
