//! The verifier's trust anchors for `x5c` chains.

use pki_types::pem::PemObject as _;
use pki_types::{CertificateDer, TrustAnchor};

use crate::error::X509Error;

/// The certificates a verifier trusts as roots of Issuer chains (RFC 5280 §6.1.1 (d), the
/// "trust anchor information").
///
/// Only the subject, public key and name constraints of each certificate are kept (as
/// webpki's `anchor_from_trusted_cert` extracts them); the anchor's own validity period and
/// extensions are not checked, as RFC 5280 §6.1.1 treats trust anchor information as given.
/// Which anchors are permitted for which Issuers is the verifier's policy (SD-JWT VC,
/// "Issuer Verification Key Discovery and Validation": "a supported key discovery and
/// validation mechanism that is permitted for the given Issuer according to policy").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustAnchors {
    anchors: Vec<TrustAnchor<'static>>,
}

impl TrustAnchors {
    /// No anchors: nothing validates until some are added.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trust anchors from DER certificates.
    ///
    /// # Errors
    ///
    /// [`X509Error::InvalidTrustAnchor`] for a certificate that cannot be parsed,
    /// [`X509Error::NoTrustAnchors`] when none is given.
    pub fn from_der_certificates<I>(certificates: I) -> Result<Self, X509Error>
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        let mut anchors = Self::new();
        for (index, der) in certificates.into_iter().enumerate() {
            anchors.add_der_at(der.as_ref(), index)?;
        }
        if anchors.is_empty() {
            return Err(X509Error::NoTrustAnchors);
        }
        Ok(anchors)
    }

    /// Trust anchors from PEM text (RFC 7468 `CERTIFICATE` sections; other sections, and text
    /// between sections, are skipped). PEM is parsed by `rustls-pki-types`.
    ///
    /// # Errors
    ///
    /// [`X509Error::InvalidPem`] for malformed PEM, [`X509Error::InvalidTrustAnchor`] for a
    /// section that is not a certificate, [`X509Error::NoTrustAnchors`] when there is no
    /// `CERTIFICATE` section.
    pub fn from_pem(text: &str) -> Result<Self, X509Error> {
        let mut anchors = Self::new();
        for (index, cert) in CertificateDer::pem_slice_iter(text.as_bytes()).enumerate() {
            let cert = cert.map_err(|e| X509Error::InvalidPem {
                reason: e.to_string(),
            })?;
            anchors.add_der_at(cert.as_ref(), index)?;
        }
        if anchors.is_empty() {
            return Err(X509Error::NoTrustAnchors);
        }
        Ok(anchors)
    }

    /// Adds one DER certificate as a trust anchor.
    ///
    /// # Errors
    ///
    /// [`X509Error::InvalidTrustAnchor`] (with `index` the number of anchors held before)
    /// if the certificate cannot be parsed.
    pub fn add_der(&mut self, der: &[u8]) -> Result<(), X509Error> {
        self.add_der_at(der, self.anchors.len())
    }

    fn add_der_at(&mut self, der: &[u8], index: usize) -> Result<(), X509Error> {
        let cert = CertificateDer::from(der);
        let anchor = webpki::anchor_from_trusted_cert(&cert)
            .map_err(|_| X509Error::InvalidTrustAnchor { index })?;
        self.anchors.push(anchor.to_owned());
        Ok(())
    }

    /// The number of anchors.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// Whether there are no anchors.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// The anchors, as webpki takes them.
    pub fn as_slice(&self) -> &[TrustAnchor<'static>] {
        &self.anchors
    }
}
