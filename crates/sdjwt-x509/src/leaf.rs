//! The leaf certificate of a validated `x5c` chain: the Issuer's key and names.

use pki_types::CertificateDer;
use sdjwt_jose::{Error as JoseError, Jwk, JwsAlgorithm};
use webpki::EndEntityCert;

use crate::error::X509Error;
use crate::key::jwk_from_spki;
use crate::name::rfc4514;

/// The end-entity certificate of an `x5c` chain that validated to a trust anchor.
///
/// Only [`X5c::validate`](crate::X5c::validate) makes one, so holding a `ValidatedLeaf`
/// means the chain was checked. Per SD-JWT VC ("Issuer Verification Key Discovery and
/// Validation"), its public key verifies the Issuer-signed JWT and "the Issuer of the
/// Verifiable Digital Credential is the subject of the end-entity certificate".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatedLeaf {
    public_key: Jwk,
    dns_names: Vec<String>,
    uris: Vec<String>,
    subject: Option<String>,
    subject_der: Vec<u8>,
    certificate: CertificateDer<'static>,
}

impl ValidatedLeaf {
    pub(crate) fn from_end_entity(cert: &EndEntityCert<'_>) -> Result<Self, X509Error> {
        let public_key = jwk_from_spki(cert.subject_public_key_info().as_ref())?;
        Ok(Self {
            public_key,
            dns_names: cert.valid_dns_names().map(str::to_owned).collect(),
            uris: cert.valid_uri_names().map(str::to_owned).collect(),
            subject: rfc4514(cert.subject()),
            subject_der: cert.subject().to_vec(),
            certificate: cert.der().into_owned(),
        })
    }

    /// The leaf's public key as a JWK (no `kid`, `alg` or `use` members).
    pub fn public_key(&self) -> &Jwk {
        &self.public_key
    }

    /// The leaf's public key, checked to fit the JWS `alg` of the Issuer-signed JWT's header
    /// (key type, curve, and RSA size, as [`Jwk::check_algorithm`] checks them; RFC 7515
    /// §4.1.1, RFC 7518 §3).
    ///
    /// # Errors
    ///
    /// [`X509Error::KeyAlgorithmMismatch`].
    pub fn key_for_alg(&self, alg: JwsAlgorithm) -> Result<&Jwk, X509Error> {
        match self.public_key.check_algorithm(alg) {
            Ok(()) => Ok(&self.public_key),
            Err(JoseError::KeyAlgorithmMismatch { alg, key }) => {
                Err(X509Error::KeyAlgorithmMismatch { alg, key })
            }
            Err(_) => Err(X509Error::KeyAlgorithmMismatch {
                alg,
                key: self.public_key.describe(),
            }),
        }
    }

    /// The `dNSName` subject alternative names (RFC 5280 §4.2.1.6) that are valid DNS names
    /// (wildcards included), in certificate order.
    pub fn dns_names(&self) -> &[String] {
        &self.dns_names
    }

    /// The `uniformResourceIdentifier` subject alternative names (RFC 5280 §4.2.1.6) that are
    /// UTF-8, in certificate order.
    pub fn uris(&self) -> &[String] {
        &self.uris
    }

    /// The subject (the Issuer, per SD-JWT VC) as an RFC 4514 string such as
    /// `CN=Issuer,O=Example,C=DE`, or `None` if its encoding cannot be rendered.
    /// Attributes outside RFC 4514's table (other than `serialNumber` and
    /// `organizationIdentifier`) appear as dotted OIDs with hex values, as RFC 4514 §2.4
    /// prescribes.
    pub fn subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }

    /// The subject's DER encoding (the content octets of the `Name` SEQUENCE, RFC 5280
    /// §4.1.2.6), for exact comparisons.
    pub fn subject_der(&self) -> &[u8] {
        &self.subject_der
    }

    /// The leaf certificate's DER encoding.
    pub fn certificate(&self) -> &CertificateDer<'static> {
        &self.certificate
    }

    /// Checks the `iss` claim of the Issuer-signed JWT against the leaf certificate.
    ///
    /// SD-JWT VC (editor's copy) says that with `x5c` "the Issuer of the Verifiable Digital
    /// Credential is the subject of the end-entity certificate" ("Issuer Verification Key
    /// Discovery and Validation"), that `iss` is OPTIONAL and names the Issuer "when it is
    /// not conveyed by other means (e.g., the subject of the end-entity certificate of an
    /// `x5c` header)" ("Registered JWT Claims"), and that verification rules must "maintain
    /// the integrity of the relationship between the `iss` value of the SD-JWT, if present,
    /// and the public keys of the Issuer" ("Ecosystem-specific Public Key Verification
    /// Methods"). The copy gives no matching rule, so this one is ours, strict, and follows
    /// the rule of earlier drafts of the same specification:
    ///
    /// * `iss` absent: accepted; the Issuer is the certificate subject.
    /// * `iss` equal, byte for byte (RFC 3986 §6.2.1 simple string comparison), to a
    ///   `uniformResourceIdentifier` SAN: accepted. This covers HTTPS URLs, DIDs and any
    ///   other URI.
    /// * `iss` a DNS URI (RFC 4501) of the plain form `dns:NAME` (no authority, no query,
    ///   no percent-encoding) whose NAME equals a non-wildcard `dNSName` SAN, ASCII
    ///   case-insensitively (DNS names are case-insensitive, RFC 4343): accepted.
    /// * anything else is refused. In particular an HTTPS `iss` is **not** accepted because
    ///   its host is a `dNSName` SAN: a host can serve several Issuers (tenants under
    ///   different paths), and a certificate for the host does not say which of them it
    ///   speaks for. Put the exact `iss` URL into a URI SAN instead.
    ///
    /// # Errors
    ///
    /// [`X509Error::NoSubjectAltName`] when `iss` is present and the certificate has no DNS
    /// or URI SAN, [`X509Error::IssuerNotInCertificate`] when none matches.
    pub fn check_issuer(&self, iss: Option<&str>) -> Result<(), X509Error> {
        let Some(iss) = iss else {
            return Ok(());
        };
        if self.dns_names.is_empty() && self.uris.is_empty() {
            return Err(X509Error::NoSubjectAltName);
        }
        if self.uris.iter().any(|uri| uri == iss) {
            return Ok(());
        }
        if let Some(name) = dns_uri_name(iss) {
            let matches = self
                .dns_names
                .iter()
                .any(|dns| !dns.starts_with('*') && dns.eq_ignore_ascii_case(name));
            if matches {
                return Ok(());
            }
        }
        Err(X509Error::IssuerNotInCertificate {
            iss: iss.to_owned(),
        })
    }
}

/// The NAME of a plain RFC 4501 `dns:NAME` URI (scheme case-insensitive, RFC 3986 §3.1), or
/// `None` for any other form.
fn dns_uri_name(iss: &str) -> Option<&str> {
    let scheme = iss.get(..4)?;
    if !scheme.eq_ignore_ascii_case("dns:") {
        return None;
    }
    let name = iss.get(4..)?;
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    plain.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_uri_forms() {
        assert_eq!(
            dns_uri_name("dns:issuer.example.com"),
            Some("issuer.example.com")
        );
        assert_eq!(
            dns_uri_name("DNS:issuer.example.com"),
            Some("issuer.example.com")
        );
        assert_eq!(dns_uri_name("dns://192.0.2.1/issuer.example.com"), None);
        assert_eq!(dns_uri_name("dns:issuer.example.com?type=A"), None);
        assert_eq!(dns_uri_name("dns:iss%75er.example.com"), None);
        assert_eq!(dns_uri_name("dns:"), None);
        assert_eq!(dns_uri_name("https://issuer.example.com"), None);
        assert_eq!(dns_uri_name("dn"), None);
    }
}
