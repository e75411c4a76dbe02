//! Issuer key discovery from an `x5c` chain (draft-ietf-oauth-sd-jwt-vc §2.5 "Inline X.509
//! Certificates") for an issuer whose trust list entry is `keys = "x5c"`, and the same rule for
//! its Status List Tokens.
//!
//! The certificates are generated at test time with rcgen: a root CA (the trust anchor),
//! optionally an intermediate, and a leaf certifying the issuer's signing key with the issuer
//! identifier as its URI SAN. The leaf key is a fixture JWK, so the sdjwt providers can sign
//! with it; rcgen only needs its public point.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use base64::Engine as _;
use common::{ISS, NOW, PROVIDER, STATUS_URI, VCT, claims, path, resolver_with_status};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, PublicKeyData, SanType, SignatureAlgorithm, date_time_ymd,
};
use sdjwt_jose::{Jwk, JwsAlgorithm, KeyParams, base64url};
use sdjwt_status::{Bits, STATUS_LIST_JWT_TYP, Status, StatusList, StatusListTokenBuilder};
use sdjwt_vc::{
    Error, KeySource, StatusListReference, StatusOutcome, TrustList, TrustedIssuer, VcBuilder,
    VcPolicy, VcVerifier, VerifiedCredential,
};
use sdjwt_verifier::{KeyBinding, Policy};
use sdjwt_x509::{TrustAnchors, X5c};
use serde_json::{Map, Value};

// --- A small PKI ---

/// A CA certificate and the means to sign with it.
struct Ca {
    der: Vec<u8>,
    issuer: Issuer<'static, KeyPair>,
}

fn ca_params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "Test Federation");
    dn.push(DnType::CommonName, common_name);
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = date_time_ymd(2020, 1, 1);
    params.not_after = date_time_ymd(2040, 1, 1);
    params
}

impl Ca {
    fn root(common_name: &str) -> Self {
        let params = ca_params(common_name);
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let der = params.self_signed(&key).unwrap().der().to_vec();
        Self {
            der,
            issuer: Issuer::new(params, key),
        }
    }

    fn intermediate(common_name: &str, parent: &Ca) -> Self {
        let params = ca_params(common_name);
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let der = params
            .signed_by(&key, &parent.issuer)
            .unwrap()
            .der()
            .to_vec();
        Self {
            der,
            issuer: Issuer::new(params, key),
        }
    }

    /// A leaf for the P-256 `key` naming `san_uri`, valid from `from` to `until` (years).
    fn leaf(&self, key: &Jwk, san_uri: &str, from: i32, until: i32) -> Vec<u8> {
        let mut params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, "Credential signing key");
        params.distinguished_name = dn;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.subject_alt_names = vec![SanType::URI(san_uri.try_into().unwrap())];
        params.not_before = date_time_ymd(from, 1, 1);
        params.not_after = date_time_ymd(until, 1, 1);
        params
            .signed_by(&P256Point::of(key), &self.issuer)
            .unwrap()
            .der()
            .to_vec()
    }

    /// This CA's certificate as PEM, the trust list's `trust_anchors` format.
    fn pem(&self) -> String {
        pem_certificate(&self.der)
    }
}

/// The public half of a P-256 JWK, as rcgen wants it: the uncompressed point.
struct P256Point(Vec<u8>);

impl P256Point {
    fn of(key: &Jwk) -> Self {
        match key.params() {
            KeyParams::Ec { x, y, .. } => {
                let mut point = vec![0x04];
                point.extend_from_slice(x);
                point.extend_from_slice(y);
                Self(point)
            }
            other => panic!("not an EC key: {other:?}"),
        }
    }
}

impl PublicKeyData for P256Point {
    fn der_bytes(&self) -> &[u8] {
        &self.0
    }

    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &rcgen::PKCS_ECDSA_P256_SHA256
    }
}

/// Standard padded base64 (RFC 4648 §4).
fn base64_standard(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A PEM `CERTIFICATE` block (RFC 7468 §5).
fn pem_certificate(der: &[u8]) -> String {
    let text = base64_standard(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in text.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

fn x5c(chain: &[&[u8]]) -> Value {
    X5c::from_der_certificates(chain.iter().map(|c| c.to_vec()))
        .unwrap()
        .to_header()
}

// --- The issuer ---

/// The issuer's credential-signing key (P-256).
fn leaf_key() -> Jwk {
    sdjwt_test::issuer_key()
}

/// Another P-256 key, certified by nobody.
fn stranger_key() -> Jwk {
    sdjwt_test::fixture_key(JwsAlgorithm::Es256)
}

/// The issuer's PKI: root → leaf for [`ISS`], valid 2024–2030 (NOW is in 2027).
struct Pki {
    root: Ca,
    leaf: Vec<u8>,
}

impl Pki {
    fn new() -> Self {
        let root = Ca::root("Federation Root");
        let leaf = root.leaf(&leaf_key(), ISS, 2024, 2030);
        Self { root, leaf }
    }

    fn x5c(&self) -> Value {
        x5c(&[&self.leaf])
    }

    fn trust(&self) -> TrustList {
        trust_anchored_at(&self.root)
    }
}

fn trust_anchored_at(anchor: &Ca) -> TrustList {
    let mut list = TrustList::new();
    list.add(TrustedIssuer::new(
        ISS,
        vec![VCT.to_owned()],
        KeySource::X5c {
            anchors: TrustAnchors::from_pem(&anchor.pem()).unwrap(),
        },
    ))
    .unwrap();
    list
}

fn credential() -> VcBuilder {
    VcBuilder::new(VCT, claims())
        .issuer(ISS)
        .issued_at(NOW - 100)
        .expires_at(NOW + 86_400)
        .disclose(path("right_to_work"))
        .disclose(path("given_name"))
}

/// Signs `builder` with `key` (ES256), with `x5c` in the protected header when given.
fn issue(builder: VcBuilder, x5c: Option<Value>, key: &Jwk) -> String {
    let builder = match x5c {
        Some(chain) => builder.header_parameter("x5c", chain),
        None => builder,
    };
    let prepared = builder.prepare(&PROVIDER).unwrap();
    let signer = PROVIDER.signer(key, JwsAlgorithm::Es256).unwrap();
    prepared.sign(signer.as_ref()).unwrap().serialize()
}

fn policy() -> VcPolicy {
    VcPolicy::new(Policy::new(KeyBinding::NotRequired))
}

fn verify(
    text: &str,
    trust: &TrustList,
    documents: Option<&sdjwt_fetch::StaticResolver>,
) -> Result<VerifiedCredential, Error> {
    let verifier =
        VcVerifier::new(&PROVIDER, trust).with_x509_algorithms(webpki::ALL_VERIFICATION_ALGS);
    let verifier = match documents {
        Some(resolver) => verifier.with_documents(resolver),
        None => verifier,
    };
    verifier.verify(text, &policy(), NOW)
}

fn assert_key_discovery(result: Result<VerifiedCredential, Error>, why: &str) {
    match result {
        Err(Error::KeyDiscovery { iss, reason }) => {
            assert_eq!(iss, ISS, "{why}");
            assert!(!reason.is_empty(), "{why}");
        }
        other => panic!("{why}: expected KeyDiscovery, got {other:?}"),
    }
}

// --- Credentials ---

#[test]
fn x5c_issuer_is_accepted() {
    let pki = Pki::new();
    let text = issue(credential(), Some(pki.x5c()), &leaf_key());
    let verified = verify(&text, &pki.trust(), None).expect("x5c chain to the anchor");
    assert_eq!(verified.vct, VCT);
    assert_eq!(verified.issuer.id, ISS);
    assert_eq!(verified.issuer.keys.name(), "x5c");
    assert_eq!(verified.status, StatusOutcome::NoStatus);
    // RFC 7515 §4.1.6 lets the chain end with the anchor's own certificate.
    let with_root = issue(
        credential(),
        Some(x5c(&[&pki.leaf, &pki.root.der])),
        &leaf_key(),
    );
    verify(&with_root, &pki.trust(), None).expect("anchor certificate appended");
}

#[test]
fn x5c_through_an_intermediate_is_accepted() {
    let root = Ca::root("Federation Root");
    let intermediate = Ca::intermediate("Immigration Issuing CA", &root);
    let leaf = intermediate.leaf(&leaf_key(), ISS, 2024, 2030);
    let trust = trust_anchored_at(&root);
    let text = issue(
        credential(),
        Some(x5c(&[&leaf, &intermediate.der])),
        &leaf_key(),
    );
    verify(&text, &trust, None).expect("leaf → intermediate → root");
    // Without the intermediate, no path reaches the root.
    let short = issue(credential(), Some(x5c(&[&leaf])), &leaf_key());
    assert_key_discovery(verify(&short, &trust, None), "intermediate missing");
    // Out of order (RFC 7515 §4.1.6: each certificate certifies the one before it).
    let swapped = issue(
        credential(),
        Some(x5c(&[&leaf, &root.der, &intermediate.der])),
        &leaf_key(),
    );
    assert_key_discovery(verify(&swapped, &trust, None), "chain out of order");
}

#[test]
fn missing_x5c_is_a_key_discovery_failure() {
    let pki = Pki::new();
    let text = issue(credential(), None, &leaf_key());
    assert_key_discovery(verify(&text, &pki.trust(), None), "no x5c");
    // Not even a key id helps: the trust list allows only x5c for this issuer.
    let with_kid = credential().header_parameter("kid", Value::String("leaf".into()));
    let text = issue(with_kid, None, &leaf_key());
    assert_key_discovery(verify(&text, &pki.trust(), None), "kid without x5c");
}

#[test]
fn malformed_x5c_is_a_key_discovery_failure() {
    let pki = Pki::new();
    for (value, why) in [
        (Value::String(base64_standard(&pki.leaf)), "not an array"),
        (Value::Array(vec![]), "empty array"),
        (
            Value::Array(vec![Value::String("not base64!".into())]),
            "not base64",
        ),
        (
            Value::Array(vec![Value::String(base64url::encode(&pki.leaf))]),
            "base64url instead of base64",
        ),
        (
            Value::Array(vec![Value::String(base64_standard(b"not DER"))]),
            "not a certificate",
        ),
    ] {
        let text = issue(credential(), Some(value), &leaf_key());
        assert_key_discovery(verify(&text, &pki.trust(), None), why);
    }
}

#[test]
fn chain_to_another_root_is_a_key_discovery_failure() {
    let pki = Pki::new();
    let rogue = Ca::root("Federation Root");
    let rogue_leaf = rogue.leaf(&leaf_key(), ISS, 2024, 2030);
    let text = issue(credential(), Some(x5c(&[&rogue_leaf])), &leaf_key());
    assert_key_discovery(verify(&text, &pki.trust(), None), "anchored elsewhere");
    // Appending the rogue root does not make it trusted.
    let text = issue(
        credential(),
        Some(x5c(&[&rogue_leaf, &rogue.der])),
        &leaf_key(),
    );
    assert_key_discovery(verify(&text, &pki.trust(), None), "rogue root in x5c");
    // The same credential is fine for a verifier anchored at the rogue root.
    verify(&text, &trust_anchored_at(&rogue), None).expect("other anchors, other decision");
}

#[test]
fn leaf_for_another_issuer_is_a_key_discovery_failure() {
    let pki = Pki::new();
    for san in [
        "https://dvla.gov.example",
        "https://immigration.gov.example/other",
        "https://immigration.gov.example.evil.example",
    ] {
        let leaf = pki.root.leaf(&leaf_key(), san, 2024, 2030);
        let text = issue(credential(), Some(x5c(&[&leaf])), &leaf_key());
        assert_key_discovery(verify(&text, &pki.trust(), None), san);
    }
}

#[test]
fn leaf_outside_its_validity_is_a_key_discovery_failure() {
    let pki = Pki::new();
    // NOW is 2027-01-15.
    let expired = pki.root.leaf(&leaf_key(), ISS, 2020, 2025);
    let text = issue(credential(), Some(x5c(&[&expired])), &leaf_key());
    assert_key_discovery(verify(&text, &pki.trust(), None), "expired leaf");
    let future = pki.root.leaf(&leaf_key(), ISS, 2028, 2030);
    let text = issue(credential(), Some(x5c(&[&future])), &leaf_key());
    assert_key_discovery(verify(&text, &pki.trust(), None), "leaf not yet valid");
}

#[test]
fn signature_must_be_made_with_the_leaf_key() {
    let pki = Pki::new();
    // A valid chain for the issuer, but the JWS was signed by someone else.
    let text = issue(credential(), Some(pki.x5c()), &stranger_key());
    assert!(matches!(
        verify(&text, &pki.trust(), None),
        Err(Error::Verifier(_))
    ));
}

#[test]
fn x509_algorithms_must_be_configured() {
    let pki = Pki::new();
    let text = issue(credential(), Some(pki.x5c()), &leaf_key());
    let trust = pki.trust();
    let err = VcVerifier::new(&PROVIDER, &trust)
        .verify(&text, &policy(), NOW)
        .unwrap_err();
    assert!(matches!(err, Error::KeyDiscovery { .. }), "{err:?}");
}

#[test]
fn x5c_is_ignored_for_issuers_with_listed_keys() {
    // §7.3: the credential cannot pick its verification mechanism. For a `jwks` issuer an
    // x5c chain, even a valid one, is not consulted.
    let pki = Pki::new();
    let text = issue(credential(), Some(pki.x5c()), &leaf_key());
    let mut listed = TrustList::new();
    listed
        .add(TrustedIssuer::new(
            ISS,
            vec![VCT.to_owned()],
            KeySource::Jwks(vec![stranger_key().to_public()]),
        ))
        .unwrap();
    assert!(matches!(
        verify(&text, &listed, None),
        Err(Error::Verifier(_))
    ));
}

// --- Status List Tokens ---

/// A Status List Token for [`STATUS_URI`] signed with `key` (ES256), `x5c` in its header when
/// given.
///
/// `StatusListTokenBuilder` has no way to add header members, so the token is assembled from
/// its claims with `sdjwt_jose::jws::sign_compact`.
fn status_token(entries: &[(usize, Status)], key: &Jwk, x5c: Option<Value>) -> String {
    let mut list = StatusList::new(Bits::Two, 1000);
    for (i, status) in entries {
        list.set(*i, *status).unwrap();
    }
    let claims = StatusListTokenBuilder::new(STATUS_URI, NOW - 10, &list)
        .ttl(3600)
        .claims()
        .unwrap();
    let mut header = Map::new();
    if let Some(chain) = x5c {
        header.insert("x5c".into(), chain);
    }
    let signer = PROVIDER.signer(key, JwsAlgorithm::Es256).unwrap();
    sdjwt_jose::jws::sign_compact(
        signer.as_ref(),
        Some(STATUS_LIST_JWT_TYP),
        &header,
        Value::Object(claims).to_string().as_bytes(),
    )
    .unwrap()
}

fn with_status(idx: u64) -> VcBuilder {
    credential().status(StatusListReference {
        idx,
        uri: STATUS_URI.to_owned(),
    })
}

#[test]
fn status_list_of_an_x5c_issuer_is_verified_with_x5c() {
    let pki = Pki::new();
    let text = issue(with_status(7), Some(pki.x5c()), &leaf_key());
    let trust = pki.trust();

    let token = status_token(&[(3, Status::Invalid)], &leaf_key(), Some(pki.x5c()));
    let verified = verify(&text, &trust, Some(&resolver_with_status(&token))).expect("valid");
    assert_eq!(
        verified.status,
        StatusOutcome::Valid {
            uri: STATUS_URI.to_owned(),
            idx: 7
        }
    );
    // The list is really read.
    let revoked = status_token(&[(7, Status::Invalid)], &leaf_key(), Some(pki.x5c()));
    assert_eq!(
        verify(&text, &trust, Some(&resolver_with_status(&revoked))).unwrap_err(),
        Error::Revoked {
            uri: STATUS_URI.to_owned(),
            idx: 7
        }
    );
    // Another key of the same issuer, certified by the same anchors, may sign the list.
    let status_key = sdjwt_test::holder_key();
    let status_leaf = pki.root.leaf(&status_key, ISS, 2024, 2030);
    let token = status_token(&[], &status_key, Some(x5c(&[&status_leaf])));
    verify(&text, &trust, Some(&resolver_with_status(&token))).expect("separate status key");
}

#[test]
fn status_list_without_a_valid_x5c_is_refused() {
    let pki = Pki::new();
    let text = issue(with_status(7), Some(pki.x5c()), &leaf_key());
    let trust = pki.trust();
    let unavailable = |token: &str, why: &str| {
        let err = verify(&text, &trust, Some(&resolver_with_status(token))).unwrap_err();
        assert!(
            matches!(&err, Error::StatusUnavailable { uri, .. } if uri == STATUS_URI),
            "{why}: {err:?}"
        );
    };
    // Signed with the credential's leaf key but without x5c.
    unavailable(&status_token(&[], &leaf_key(), None), "no x5c");
    // A chain to another root.
    let rogue = Ca::root("Federation Root");
    let rogue_leaf = rogue.leaf(&leaf_key(), ISS, 2024, 2030);
    unavailable(
        &status_token(&[], &leaf_key(), Some(x5c(&[&rogue_leaf, &rogue.der]))),
        "other root",
    );
    // A chain for another issuer.
    let other = pki
        .root
        .leaf(&leaf_key(), "https://dvla.gov.example", 2024, 2030);
    unavailable(
        &status_token(&[], &leaf_key(), Some(x5c(&[&other]))),
        "other issuer",
    );
    // An expired leaf.
    let expired = pki.root.leaf(&leaf_key(), ISS, 2020, 2025);
    unavailable(
        &status_token(&[], &leaf_key(), Some(x5c(&[&expired]))),
        "expired",
    );

    // A good chain, but the token was signed by another key: the signature check fails.
    let forged = status_token(&[], &stranger_key(), Some(pki.x5c()));
    let err = verify(&text, &trust, Some(&resolver_with_status(&forged))).unwrap_err();
    assert!(matches!(err, Error::StatusList { .. }), "{err:?}");
}
