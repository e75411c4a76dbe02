//! Certificate chains generated at test time with rcgen (aws-lc-rs backend), and the private
//! JWKs of their keys so that the sdjwt providers can sign with them.

#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use aws_lc_rs::encoding::AsBigEndian as _;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING,
    ECDSA_P521_SHA512_FIXED_SIGNING, EcdsaKeyPair, EcdsaSigningAlgorithm, Ed25519KeyPair,
    KeyPair as _,
};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SignatureAlgorithm, date_time_ymd,
};
use sdjwt_jose::{EcCurve, Jwk, KeyParams, SecretBytes};
use sdjwt_x509::TrustAnchors;
use sdjwt_x509::pki_types::SignatureVerificationAlgorithm;

/// 2026-01-01T00:00:00Z: the validation time of every test unless stated otherwise.
pub(crate) const NOW: u64 = 1_767_225_600;

/// The leaf's SANs in [`Pki::standard`].
pub(crate) const LEAF_DNS: &str = "issuer.example.com";
pub(crate) const LEAF_URI: &str = "https://issuer.example.com/tenant-a";

/// Every verification algorithm aws-lc-rs offers webpki.
pub(crate) fn algs() -> &'static [&'static dyn SignatureVerificationAlgorithm] {
    webpki::ALL_VERIFICATION_ALGS
}

/// The key types used for leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    P256,
    P384,
    P521,
    Ed25519,
    Rsa2048,
}

impl KeyKind {
    fn rcgen_alg(self) -> &'static SignatureAlgorithm {
        match self {
            Self::P256 => &rcgen::PKCS_ECDSA_P256_SHA256,
            Self::P384 => &rcgen::PKCS_ECDSA_P384_SHA384,
            Self::P521 => &rcgen::PKCS_ECDSA_P521_SHA512,
            Self::Ed25519 => &rcgen::PKCS_ED25519,
            Self::Rsa2048 => &rcgen::PKCS_RSA_SHA256,
        }
    }
}

/// A generated key: rcgen's handle plus, for EC and Ed25519, the private JWK.
pub(crate) struct TestKey {
    pub(crate) kind: KeyKind,
    pub(crate) rcgen: KeyPair,
    /// The private JWK (EC and Ed25519 only).
    pub(crate) jwk: Option<Jwk>,
}

impl TestKey {
    pub(crate) fn generate(kind: KeyKind) -> Self {
        let rcgen = KeyPair::generate_for(kind.rcgen_alg()).expect("rcgen key generation");
        let pkcs8 = rcgen.serialize_der();
        let ec = |alg: &'static EcdsaSigningAlgorithm, crv: EcCurve| {
            let pair = EcdsaKeyPair::from_pkcs8(alg, &pkcs8).expect("EC PKCS#8");
            let d = pair.private_key().as_be_bytes().expect("EC scalar");
            let point = pair.public_key().as_ref().to_vec();
            let len = crv.coordinate_len();
            assert_eq!(point.len(), 1 + 2 * len, "uncompressed point");
            Jwk::new(KeyParams::Ec {
                crv,
                x: point[1..=len].to_vec(),
                y: point[1 + len..].to_vec(),
                d: Some(SecretBytes::new(d.as_ref().to_vec())),
            })
            .expect("EC JWK")
        };
        let jwk = match kind {
            KeyKind::P256 => Some(ec(&ECDSA_P256_SHA256_FIXED_SIGNING, EcCurve::P256)),
            KeyKind::P384 => Some(ec(&ECDSA_P384_SHA384_FIXED_SIGNING, EcCurve::P384)),
            KeyKind::P521 => Some(ec(&ECDSA_P521_SHA512_FIXED_SIGNING, EcCurve::P521)),
            KeyKind::Ed25519 => {
                let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&pkcs8).expect("Ed25519");
                let seed = pair
                    .seed()
                    .expect("seed")
                    .as_be_bytes()
                    .expect("seed bytes");
                Some(
                    Jwk::new(KeyParams::Ed25519 {
                        x: pair.public_key().as_ref().to_vec(),
                        d: Some(SecretBytes::new(seed.as_ref().to_vec())),
                    })
                    .expect("Ed25519 JWK"),
                )
            }
            KeyKind::Rsa2048 => None,
        };
        Self { kind, rcgen, jwk }
    }

    /// The private JWK; panics for RSA.
    pub(crate) fn private_jwk(&self) -> &Jwk {
        self.jwk.as_ref().expect("no private JWK for this key kind")
    }
}

fn dn(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "DE");
    dn.push(DnType::OrganizationName, "Example Issuer");
    dn.push(DnType::CommonName, common_name);
    dn
}

/// Parameters of a CA certificate named `common_name`, valid 2020–2040.
pub(crate) fn ca_params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = dn(common_name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = date_time_ymd(2020, 1, 1);
    params.not_after = date_time_ymd(2040, 1, 1);
    params
}

/// Parameters of an end-entity certificate with the standard SANs, valid 2024–2030.
pub(crate) fn leaf_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = dn("Issuer Leaf");
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.subject_alt_names = vec![
        SanType::DnsName(LEAF_DNS.try_into().expect("DNS SAN")),
        SanType::URI(LEAF_URI.try_into().expect("URI SAN")),
    ];
    params.not_before = date_time_ymd(2024, 1, 1);
    params.not_after = date_time_ymd(2030, 1, 1);
    params
}

/// A CA: its certificate and what it takes to sign with it.
pub(crate) struct Ca {
    pub(crate) der: Vec<u8>,
    pub(crate) issuer: Issuer<'static, KeyPair>,
}

impl Ca {
    /// A self-signed root.
    pub(crate) fn root(common_name: &str) -> Self {
        let params = ca_params(common_name);
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("root key");
        let der = params.self_signed(&key).expect("root cert").der().to_vec();
        Self {
            der,
            issuer: Issuer::new(params, key),
        }
    }

    /// An intermediate CA signed by `parent`.
    pub(crate) fn intermediate(common_name: &str, parent: &Ca) -> Self {
        Self::signed_by(ca_params(common_name), parent)
    }

    /// A certificate with `params` (CA or not) signed by `parent`, usable as an issuer.
    pub(crate) fn signed_by(params: CertificateParams, parent: &Ca) -> Self {
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("CA key");
        let der = params
            .signed_by(&key, &parent.issuer)
            .expect("CA cert")
            .der()
            .to_vec();
        Self {
            der,
            issuer: Issuer::new(params, key),
        }
    }

    /// Issues a certificate for `key` with `params`.
    pub(crate) fn issue(&self, params: &CertificateParams, key: &TestKey) -> Vec<u8> {
        params
            .signed_by(&key.rcgen, &self.issuer)
            .expect("issued cert")
            .der()
            .to_vec()
    }

    /// These CA's certificate as the only trust anchor.
    pub(crate) fn anchors(&self) -> TrustAnchors {
        TrustAnchors::from_der_certificates([&self.der]).expect("anchor")
    }
}

/// root → intermediate → leaf, with the leaf key of `kind` and [`leaf_params`].
pub(crate) struct Pki {
    pub(crate) root: Ca,
    pub(crate) intermediate: Ca,
    pub(crate) leaf_key: TestKey,
    pub(crate) leaf: Vec<u8>,
}

impl Pki {
    pub(crate) fn new(kind: KeyKind) -> Self {
        Self::with_leaf_params(kind, &leaf_params())
    }

    pub(crate) fn standard() -> Self {
        Self::new(KeyKind::P256)
    }

    pub(crate) fn with_leaf_params(kind: KeyKind, params: &CertificateParams) -> Self {
        let root = Ca::root("Test Root");
        let intermediate = Ca::intermediate("Test Intermediate", &root);
        let leaf_key = TestKey::generate(kind);
        let leaf = intermediate.issue(params, &leaf_key);
        Self {
            root,
            intermediate,
            leaf_key,
            leaf,
        }
    }

    /// `[leaf, intermediate]` as a header value.
    pub(crate) fn x5c_value(&self) -> serde_json::Value {
        b64_array(&[&self.leaf, &self.intermediate.der])
    }

    pub(crate) fn anchors(&self) -> TrustAnchors {
        self.root.anchors()
    }
}

/// Standard padded base64 (RFC 4648 §4), as `x5c` wants it.
pub(crate) fn b64(der: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(der)
}

pub(crate) fn b64_array(ders: &[&[u8]]) -> serde_json::Value {
    serde_json::Value::Array(ders.iter().map(|d| b64(d).into()).collect())
}

/// A PEM `CERTIFICATE` block (RFC 7468 §5) with 64-character lines.
pub(crate) fn pem(label: &str, der: &[u8]) -> String {
    let text = b64(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in text.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).expect("ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The extended key usage purpose for a dotted OID.
pub(crate) fn eku(components: &[u64]) -> ExtendedKeyUsagePurpose {
    ExtendedKeyUsagePurpose::Other(components.to_vec())
}
