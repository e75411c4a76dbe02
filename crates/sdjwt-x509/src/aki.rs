//! The `keyIdentifier` of a certificate's Authority Key Identifier extension (RFC 5280
//! §4.2.1.1), the value a DCQL Trusted Authorities Query of type `aki` names (OpenID4VP 1.0
//! §6.1.1.1).
//!
//! The DER is read with the `der` crate (re-exported by `spki`); this module only walks the
//! structure RFC 5280 §4.1 defines down to the one extension it wants.

use spki::ObjectIdentifier;
use spki::der::asn1::{BitStringRef, ContextSpecific, IntRef, OctetStringRef, SequenceRef};
use spki::der::{Decode as _, Reader as _, SliceReader, TagNumber};

use crate::error::X509Error;
use crate::x5c::X5c;

/// `id-ce-authorityKeyIdentifier` (RFC 5280 §4.2.1.1).
const ID_CE_AUTHORITY_KEY_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");

/// `v3` in `Version ::= INTEGER { v1(0), v2(1), v3(2) }` (RFC 5280 §4.1.2.1).
const VERSION_3: u8 = 2;

/// Why the walk stopped: the certificate itself, or only its Authority Key Identifier
/// extension, is malformed.
enum Fault {
    Certificate,
    Extension,
}

impl From<spki::der::Error> for Fault {
    fn from(_: spki::der::Error) -> Self {
        Self::Certificate
    }
}

impl Fault {
    fn at(self, index: usize) -> X509Error {
        match self {
            Self::Certificate => X509Error::MalformedCertificate { index },
            Self::Extension => X509Error::MalformedAuthorityKeyIdentifier { index },
        }
    }
}

/// The `keyIdentifier` of the certificate's Authority Key Identifier extension, as raw bytes.
///
/// RFC 5280 §4.2.1.1:
///
/// ```text
/// id-ce-authorityKeyIdentifier OBJECT IDENTIFIER ::=  { id-ce 35 }
///
/// AuthorityKeyIdentifier ::= SEQUENCE {
///    keyIdentifier             [0] KeyIdentifier           OPTIONAL,
///    authorityCertIssuer       [1] GeneralNames            OPTIONAL,
///    authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL  }
///
/// KeyIdentifier ::= OCTET STRING
/// ```
///
/// (the module's tags are IMPLICIT). The certificate is walked as RFC 5280 §4.1 lays it out:
/// `Certificate` → `tbsCertificate` → `extensions [3]` → the extension whose `extnID` is
/// 2.5.29.35 → its `extnValue`, which must hold exactly one `AuthorityKeyIdentifier`.
///
/// This is the value OpenID4VP 1.0 §6.1.1.1 compares with the (base64url-decoded) `values`
/// of a Trusted Authorities Query of type `aki`. Nothing about the certificate is validated
/// beyond its structure: no signature, validity period or trust.
///
/// Returns `Ok(None)` when the certificate has no extensions, no Authority Key Identifier
/// extension (RFC 5280 §4.2.1.1 lets a self-signed CA certificate omit it), or an extension
/// without `keyIdentifier` (only `authorityCertIssuer` and `authorityCertSerialNumber`).
///
/// # Errors
///
/// [`X509Error::MalformedCertificate`] when `cert_der` is not a DER certificate of the
/// RFC 5280 §4.1 shape, or has extensions without being v3 (§4.1.2.9);
/// [`X509Error::MalformedAuthorityKeyIdentifier`] when the extension's value is not one DER
/// `AuthorityKeyIdentifier` or the extension appears twice (§4.2: "A certificate MUST NOT
/// include more than one instance of a particular extension"). `index` is 0 in both.
pub fn authority_key_identifier(cert_der: &[u8]) -> Result<Option<Vec<u8>>, X509Error> {
    key_identifier(cert_der).map_err(|fault| fault.at(0))
}

/// The Authority Key Identifier `keyIdentifier` of every certificate of an `x5c` chain that
/// has one, in header order (leaf first), as raw bytes: the values OpenID4VP 1.0 §6.1.1.1
/// matches against "an X.509 certificate in the certificate chain present in the
/// Credential". Certificates without one are skipped, so a chain of one self-signed
/// certificate gives an empty list.
///
/// # Errors
///
/// As [`authority_key_identifier`], with `index` the certificate's position in the chain
/// (0 is the leaf).
pub fn x5c_authority_key_identifiers(x5c: &X5c) -> Result<Vec<Vec<u8>>, X509Error> {
    let mut out = Vec::new();
    let chain = core::iter::once(x5c.leaf()).chain(x5c.issuer_certificates());
    for (index, cert) in chain.enumerate() {
        if let Some(id) = key_identifier(cert.as_ref()).map_err(|fault| fault.at(index))? {
            out.push(id);
        }
    }
    Ok(out)
}

/// RFC 5280 §4.1: `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm,
/// signatureValue }`, read whole so that trailing or missing parts are refused.
fn key_identifier(cert_der: &[u8]) -> Result<Option<Vec<u8>>, Fault> {
    let mut reader = SliceReader::new(cert_der)?;
    let found = reader.sequence(|cert| {
        let found = cert.sequence(tbs_certificate)?;
        <&SequenceRef>::decode(cert)?;
        BitStringRef::decode(cert)?;
        Ok::<_, Fault>(found)
    })?;
    reader.finish()?;
    Ok(found)
}

/// The fields of `TBSCertificate` (RFC 5280 §4.1), in order, then the Authority Key Identifier
/// among the `extensions`.
fn tbs_certificate(tbs: &mut SliceReader<'_>) -> Result<Option<Vec<u8>>, Fault> {
    // version [0] EXPLICIT Version DEFAULT v1
    let version = ContextSpecific::<u8>::decode_explicit(tbs, TagNumber(0))?.map(|v| v.value);
    IntRef::decode(tbs)?; // serialNumber
    <&SequenceRef>::decode(tbs)?; // signature AlgorithmIdentifier
    <&SequenceRef>::decode(tbs)?; // issuer Name
    <&SequenceRef>::decode(tbs)?; // validity
    <&SequenceRef>::decode(tbs)?; // subject Name
    <&SequenceRef>::decode(tbs)?; // subjectPublicKeyInfo
    // issuerUniqueID [1] IMPLICIT, subjectUniqueID [2] IMPLICIT UniqueIdentifier OPTIONAL
    ContextSpecific::<BitStringRef<'_>>::decode_implicit(tbs, TagNumber(1))?;
    ContextSpecific::<BitStringRef<'_>>::decode_implicit(tbs, TagNumber(2))?;
    // extensions [3] EXPLICIT Extensions OPTIONAL
    let Some(extensions) = ContextSpecific::<&SequenceRef>::decode_explicit(tbs, TagNumber(3))?
    else {
        return Ok(None);
    };
    // §4.1.2.9: "This field MUST only appear if the version is 3".
    if version != Some(VERSION_3) {
        return Err(Fault::Certificate);
    }
    let mut found = None;
    let mut reader = SliceReader::new(extensions.value.as_bytes())?;
    while !reader.is_finished() {
        // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }
        let (oid, value) = reader.sequence(|ext| {
            let oid = ObjectIdentifier::decode(ext)?;
            Option::<bool>::decode(ext)?;
            let value = <&OctetStringRef>::decode(ext)?;
            Ok::<_, spki::der::Error>((oid, value.as_bytes()))
        })?;
        if oid != ID_CE_AUTHORITY_KEY_IDENTIFIER {
            continue;
        }
        if found.is_some() {
            return Err(Fault::Extension);
        }
        found = Some(authority_key_identifier_value(value).map_err(|_| Fault::Extension)?);
    }
    Ok(found.flatten())
}

/// The `AuthorityKeyIdentifier` SEQUENCE of an `extnValue` (RFC 5280 §4.2.1.1), which must be
/// the whole of the OCTET STRING.
fn authority_key_identifier_value(der: &[u8]) -> Result<Option<Vec<u8>>, spki::der::Error> {
    let mut reader = SliceReader::new(der)?;
    let key_id = reader.sequence(|aki| {
        let key_id = ContextSpecific::<&OctetStringRef>::decode_implicit(aki, TagNumber(0))?
            .map(|k| k.value);
        // authorityCertIssuer [1] IMPLICIT GeneralNames (a SEQUENCE OF GeneralName)
        ContextSpecific::<&SequenceRef>::decode_implicit(aki, TagNumber(1))?;
        // authorityCertSerialNumber [2] IMPLICIT CertificateSerialNumber (an INTEGER)
        ContextSpecific::<IntRef<'_>>::decode_implicit(aki, TagNumber(2))?;
        Ok::<_, spki::der::Error>(key_id.map(|k| k.as_bytes().to_vec()))
    })?;
    reader.finish()?;
    Ok(key_id)
}

#[cfg(test)]
mod tests {
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyIdMethod,
        KeyPair,
    };

    use super::*;

    fn ca_params(name: &str, key_id: Option<&[u8]>) -> CertificateParams {
        let mut params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, name);
        params.distinguished_name = dn;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        if let Some(id) = key_id {
            params.key_identifier_method = KeyIdMethod::PreSpecified(id.to_vec());
        }
        params
    }

    fn key() -> KeyPair {
        KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A self-signed root whose key identifier is `root_id`, an intermediate signed by it with
    /// key identifier `mid_id`, and a leaf signed by the intermediate; AKI on the two lower
    /// certificates. Returns the DER of (leaf, intermediate, root).
    fn chain(root_id: &[u8], mid_id: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let root_key = key();
        let root_params = ca_params("Root", Some(root_id));
        let root_der = root_params
            .self_signed(&root_key)
            .unwrap_or_else(|e| panic!("{e}"))
            .der()
            .to_vec();
        let root = Issuer::new(root_params, root_key);

        let mid_key = key();
        let mut mid_params = ca_params("Intermediate", Some(mid_id));
        mid_params.use_authority_key_identifier_extension = true;
        let mid_der = mid_params
            .signed_by(&mid_key, &root)
            .unwrap_or_else(|e| panic!("{e}"))
            .der()
            .to_vec();
        let mid = Issuer::new(mid_params, mid_key);

        let mut leaf_params = CertificateParams::new(vec!["issuer.example".to_owned()])
            .unwrap_or_else(|e| panic!("{e}"));
        leaf_params.use_authority_key_identifier_extension = true;
        let leaf_der = leaf_params
            .signed_by(&key(), &mid)
            .unwrap_or_else(|e| panic!("{e}"))
            .der()
            .to_vec();
        (leaf_der, mid_der, root_der)
    }

    #[test]
    fn ca_signed_certificates_carry_their_issuers_key_identifier() {
        let (leaf, mid, root) = chain(&[0xaa; 20], &[0xbb; 20]);
        assert_eq!(authority_key_identifier(&leaf), Ok(Some(vec![0xbb; 20])));
        assert_eq!(authority_key_identifier(&mid), Ok(Some(vec![0xaa; 20])));
        assert_eq!(authority_key_identifier(&root), Ok(None));

        let x5c = X5c::from_der_certificates([leaf.clone(), mid.clone(), root])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            x5c_authority_key_identifiers(&x5c),
            Ok(vec![vec![0xbb; 20], vec![0xaa; 20]])
        );
        let leaf_only = X5c::from_der_certificates([leaf]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            x5c_authority_key_identifiers(&leaf_only),
            Ok(vec![vec![0xbb; 20]])
        );
    }

    #[test]
    fn derived_key_identifier_round_trips() {
        // The default method: a truncated SHA-256 of the CA's key (RFC 7093 §2 method 1).
        let ca_key = key();
        let ca_params = ca_params("Root", None);
        let expected = ca_params.key_identifier(&ca_key);
        let ca = Issuer::new(ca_params, ca_key);
        let mut leaf_params = CertificateParams::default();
        leaf_params.use_authority_key_identifier_extension = true;
        let leaf = leaf_params
            .signed_by(&key(), &ca)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(expected.len(), 20);
        assert_eq!(authority_key_identifier(leaf.der()), Ok(Some(expected)));
    }

    #[test]
    fn self_signed_without_extensions_has_none() {
        // rcgen writes no extensions at all for a plain self-signed certificate without SANs.
        let params = CertificateParams::default();
        let cert = params.self_signed(&key()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(authority_key_identifier(cert.der()), Ok(None));
        let x5c =
            X5c::from_der_certificates([cert.der().to_vec()]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(x5c_authority_key_identifiers(&x5c), Ok(vec![]));
    }

    #[test]
    fn garbage_is_a_malformed_certificate() {
        let (leaf, _, _) = chain(&[1; 20], &[2; 20]);
        let truncated = leaf.get(..leaf.len() - 1).unwrap_or_default();
        let mut trailing = leaf.clone();
        trailing.push(0);
        // A v2 certificate with extensions (RFC 5280 §4.1.2.9 allows them only in v3).
        let v2 = patched(
            &leaf,
            &[0xa0, 0x03, 0x02, 0x01, 0x02],
            &[0xa0, 0x03, 0x02, 0x01, 0x01],
        );
        for bad in [&b""[..], b"junk", &[0x30, 0x00], truncated, &trailing, &v2] {
            assert_eq!(
                authority_key_identifier(bad),
                Err(X509Error::MalformedCertificate { index: 0 }),
                "{bad:02x?}"
            );
        }
    }

    /// Replaces the one occurrence of `from` in `der` by `to` (same length).
    fn patched(der: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
        assert_eq!(from.len(), to.len());
        let at = der
            .windows(from.len())
            .position(|w| w == from)
            .unwrap_or_else(|| panic!("pattern not found"));
        let mut out = der.to_vec();
        out.splice(at..at + from.len(), to.iter().copied());
        out
    }

    #[test]
    fn malformed_extension_value_is_its_own_error() {
        let (leaf, _, _) = chain(&[0xaa; 20], &[0xbb; 20]);
        // extnValue OCTET STRING { SEQUENCE { [0] 20 bytes } }: make [0] a [5].
        let mut key_id = vec![0x30, 0x16, 0x80, 0x14];
        key_id.extend_from_slice(&[0xbb; 20]);
        let mut bad_tag = vec![0x30, 0x16, 0x85, 0x14];
        bad_tag.extend_from_slice(&[0xbb; 20]);
        assert_eq!(
            authority_key_identifier(&patched(&leaf, &key_id, &bad_tag)),
            Err(X509Error::MalformedAuthorityKeyIdentifier { index: 0 })
        );
        // The SEQUENCE claims one byte less than the OCTET STRING holds: trailing data.
        let mut short = vec![0x30, 0x15, 0x80, 0x13];
        short.extend_from_slice(&[0xbb; 20]);
        assert_eq!(
            authority_key_identifier(&patched(&leaf, &key_id, &short)),
            Err(X509Error::MalformedAuthorityKeyIdentifier { index: 0 })
        );
        // In a chain, the index names the certificate.
        let (leaf, mid, _) = chain(&[0xaa; 20], &[0xbb; 20]);
        let mut mid_key_id = vec![0x30, 0x16, 0x80, 0x14];
        mid_key_id.extend_from_slice(&[0xaa; 20]);
        let mut mid_bad = vec![0x30, 0x16, 0x85, 0x14];
        mid_bad.extend_from_slice(&[0xaa; 20]);
        let mid = patched(&mid, &mid_key_id, &mid_bad);
        let x5c = X5c::from_der_certificates([leaf, mid]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            x5c_authority_key_identifiers(&x5c),
            Err(X509Error::MalformedAuthorityKeyIdentifier { index: 1 })
        );
    }

    #[test]
    fn extension_without_key_identifier_is_none() {
        // Rewrite the leaf's AuthorityKeyIdentifier from `SEQUENCE { [0] keyIdentifier }` to
        // `SEQUENCE { [2] authorityCertSerialNumber }` of the same length: the extension is
        // there, its keyIdentifier is not.
        let (leaf, _, _) = chain(&[0xaa; 20], &[0xbb; 20]);
        let mut original = vec![0x04, 0x18, 0x30, 0x16, 0x80, 0x14];
        original.extend_from_slice(&[0xbb; 20]);
        let mut serial_only = vec![0x04, 0x18, 0x30, 0x16, 0x82, 0x14];
        serial_only.extend_from_slice(&[0x01; 20]);
        assert_eq!(
            authority_key_identifier(&patched(&leaf, &original, &serial_only)),
            Ok(None)
        );
    }

    #[test]
    fn duplicate_extension_is_malformed() {
        // Turn the leaf's subjectAltName (2.5.29.17) into a second authorityKeyIdentifier
        // (2.5.29.35); RFC 5280 §4.2 allows one instance of each extension.
        let (leaf, _, _) = chain(&[0xaa; 20], &[0xbb; 20]);
        let twice = patched(
            &leaf,
            &[0x06, 0x03, 0x55, 0x1d, 0x11],
            &[0x06, 0x03, 0x55, 0x1d, 0x23],
        );
        assert_eq!(
            authority_key_identifier(&twice),
            Err(X509Error::MalformedAuthorityKeyIdentifier { index: 0 })
        );
    }
}
