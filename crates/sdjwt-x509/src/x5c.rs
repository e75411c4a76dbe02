//! The `x5c` JOSE header parameter (RFC 7515 §4.1.6) as a parsed certificate chain.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use pki_types::CertificateDer;
use sdjwt_jose::jws::Header;
use serde_json::Value;
use webpki::EndEntityCert;

use crate::error::X509Error;

/// The name of the header parameter, `x5c` (RFC 7515 §4.1.6).
pub const X5C_PARAMETER: &str = "x5c";

/// Bounds on an `x5c` header parameter, checked before and while decoding it, so that a
/// hostile header cannot make the verifier allocate or parse without limit.
///
/// Start from [`X5cLimits::default`] and change single fields:
///
/// ```
/// let mut limits = sdjwt_x509::X5cLimits::default();
/// limits.max_certificates = 4;
/// assert_eq!(limits.max_certificate_len, 16 * 1024);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct X5cLimits {
    /// Most certificates in the array. Default 10: real issuer chains have a leaf, one or two
    /// intermediates and perhaps the root, and the path builder accepts at most six
    /// intermediates anyway.
    pub max_certificates: usize,
    /// Largest single certificate, in DER bytes. Default 16 KiB: issuer certificates are
    /// typically 0.5–2 KiB; an RSA-4096 certificate with many extensions stays under 4 KiB.
    pub max_certificate_len: usize,
    /// Largest sum of all certificates, in DER bytes. Default 64 KiB.
    pub max_total_len: usize,
}

impl X5cLimits {
    /// The defaults described on each field.
    pub const DEFAULT: Self = Self {
        max_certificates: 10,
        max_certificate_len: 16 * 1024,
        max_total_len: 64 * 1024,
    };
}

impl Default for X5cLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A parsed but **not yet validated** `x5c` chain: the leaf (end-entity) certificate first,
/// then the certificates offered to build its path (RFC 7515 §4.1.6).
///
/// Every certificate has been checked to be a DER X.509 v3 certificate; nothing about
/// trust, validity periods or signatures has been checked. Call [`X5c::validate`] to obtain
/// the Issuer key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct X5c {
    pub(crate) leaf: CertificateDer<'static>,
    pub(crate) rest: Vec<CertificateDer<'static>>,
}

impl X5c {
    /// Parses the value of an `x5c` header parameter with the [default limits](X5cLimits).
    ///
    /// RFC 7515 §4.1.6: "a JSON array of certificate value strings. Each string in the
    /// array is a base64-encoded (Section 4 of \[RFC4648\] -- not base64url-encoded) DER
    /// \[ITU.X690.2008\] PKIX certificate value." The leaf certificate comes first.
    ///
    /// Strict: the array must be non-empty; each entry must be canonical standard base64
    /// with padding and without whitespace; each must decode to a DER X.509 v3 certificate.
    ///
    /// # Errors
    ///
    /// The first-group variants of [`X509Error`], from [`X509Error::X5cNotArray`] to
    /// [`X509Error::MalformedCertificate`].
    pub fn from_header(value: &Value) -> Result<Self, X509Error> {
        Self::from_header_with_limits(value, &X5cLimits::DEFAULT)
    }

    /// [`X5c::from_header`] with explicit limits.
    ///
    /// # Errors
    ///
    /// As [`X5c::from_header`].
    pub fn from_header_with_limits(value: &Value, limits: &X5cLimits) -> Result<Self, X509Error> {
        let entries = value.as_array().ok_or(X509Error::X5cNotArray)?;
        if entries.is_empty() {
            return Err(X509Error::X5cEmpty);
        }
        if entries.len() > limits.max_certificates {
            return Err(X509Error::TooManyCertificates {
                found: entries.len(),
                max: limits.max_certificates,
            });
        }
        let mut total = 0usize;
        let mut certs = Vec::with_capacity(entries.len());
        for (index, entry) in entries.iter().enumerate() {
            let text = entry
                .as_str()
                .ok_or(X509Error::X5cEntryNotString { index })?;
            // Refuse before decoding: canonical base64 of n bytes has 4 * ceil(n / 3)
            // characters, so anything longer decodes to more than the limit.
            let most = limits.max_certificate_len.div_ceil(3).saturating_mul(4);
            if text.len() > most {
                return Err(X509Error::CertificateTooLarge {
                    index,
                    len: text.len() / 4 * 3,
                    max: limits.max_certificate_len,
                });
            }
            let der = STANDARD
                .decode(text)
                .map_err(|_| X509Error::X5cEntryNotBase64 { index })?;
            certs.push(admit(der, index, &mut total, limits)?);
        }
        Self::from_checked(certs)
    }

    /// Reads the `x5c` parameter of a JWS protected header, if it has one, with the default
    /// limits.
    ///
    /// SD-JWT VC requires `x5c` in the protected header (draft-ietf-oauth-sd-jwt-vc,
    /// "Issuer Verification Key Discovery and Validation": "When the protected header of the
    /// Issuer-signed JWT contains the `x5c` parameter"), so pass only the protected header;
    /// an unprotected header's `x5c` must not be used.
    ///
    /// # Errors
    ///
    /// As [`X5c::from_header`].
    pub fn from_protected_header(header: &Header) -> Result<Option<Self>, X509Error> {
        header
            .members()
            .get(X5C_PARAMETER)
            .map(Self::from_header)
            .transpose()
    }

    /// Builds a chain from DER certificates, leaf first, with the default limits; for
    /// issuers that put their chain into a header, and for tests. The iterator is read only
    /// up to the first certificate over a limit, so `found` in
    /// [`X509Error::TooManyCertificates`] is then a lower bound.
    ///
    /// # Errors
    ///
    /// [`X509Error::X5cEmpty`], [`X509Error::TooManyCertificates`],
    /// [`X509Error::CertificateTooLarge`], [`X509Error::X5cTooLarge`] or
    /// [`X509Error::MalformedCertificate`].
    pub fn from_der_certificates<I>(certificates: I) -> Result<Self, X509Error>
    where
        I: IntoIterator,
        I::Item: Into<Vec<u8>>,
    {
        let limits = X5cLimits::DEFAULT;
        let mut total = 0usize;
        let mut certs = Vec::new();
        for (index, der) in certificates.into_iter().enumerate() {
            if index >= limits.max_certificates {
                return Err(X509Error::TooManyCertificates {
                    found: index.saturating_add(1),
                    max: limits.max_certificates,
                });
            }
            certs.push(admit(der.into(), index, &mut total, &limits)?);
        }
        Self::from_checked(certs)
    }

    fn from_checked(certs: Vec<CertificateDer<'static>>) -> Result<Self, X509Error> {
        let mut certs = certs.into_iter();
        let leaf = certs.next().ok_or(X509Error::X5cEmpty)?;
        Ok(Self {
            leaf,
            rest: certs.collect(),
        })
    }

    /// The `x5c` header value for this chain: standard padded base64 of each certificate,
    /// leaf first (RFC 7515 §4.1.6).
    pub fn to_header(&self) -> Value {
        Value::Array(
            core::iter::once(&self.leaf)
                .chain(&self.rest)
                .map(|cert| Value::String(STANDARD.encode(cert.as_ref())))
                .collect(),
        )
    }

    /// The leaf (end-entity) certificate, the one whose key signed the JWS.
    pub fn leaf(&self) -> &CertificateDer<'static> {
        &self.leaf
    }

    /// The certificates after the leaf, in header order.
    pub fn issuer_certificates(&self) -> &[CertificateDer<'static>] {
        &self.rest
    }

    /// The number of certificates, leaf included (at least 1).
    pub fn len(&self) -> usize {
        self.rest.len().saturating_add(1)
    }

    /// Always `false`: an `x5c` chain holds at least the leaf.
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// Admits the chain's certificate at `index`: within the size limits for one certificate and,
/// counting it into `total`, for the whole chain; then [`checked_certificate`].
fn admit(
    der: Vec<u8>,
    index: usize,
    total: &mut usize,
    limits: &X5cLimits,
) -> Result<CertificateDer<'static>, X509Error> {
    if der.len() > limits.max_certificate_len {
        return Err(X509Error::CertificateTooLarge {
            index,
            len: der.len(),
            max: limits.max_certificate_len,
        });
    }
    *total = total.saturating_add(der.len());
    if *total > limits.max_total_len {
        return Err(X509Error::X5cTooLarge {
            len: *total,
            max: limits.max_total_len,
        });
    }
    checked_certificate(der, index)
}

/// Checks that `der` is a certificate webpki can parse (RFC 5280 §4.1, v3 only).
fn checked_certificate(der: Vec<u8>, index: usize) -> Result<CertificateDer<'static>, X509Error> {
    let cert = CertificateDer::from(der);
    EndEntityCert::try_from(&cert).map_err(|_| X509Error::MalformedCertificate { index })?;
    Ok(cert)
}
