//! DCQL `trusted_authorities` of type `aki` (OpenID4VP 1.0 §6.1.1.1) answered by the holder
//! from the `x5c` chain of an SD-JWT VC, through [`X5cAuthorities`].
//!
//! The chain is made at test time with rcgen: a root CA and an intermediate with fixed key
//! identifiers, and a leaf for the issuer's P-256 fixture key signed by the intermediate. The
//! leaf's Authority Key Identifier is the intermediate's key identifier, the intermediate's is
//! the root's.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{ISS, NOW, PROVIDER, VCT, claims, holder_key, issuer_key, path};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyIdMethod,
    KeyPair, KeyUsagePurpose, PublicKeyData, SignatureAlgorithm,
};
use sdjwt_holder::dcql::{
    AuthorityMatcher, DcqlError, DcqlQuery, MatchOptions, Mismatch, QueryFailureReason, Selection,
};
use sdjwt_holder::{AcceptOptions, Credential};
use sdjwt_jose::jws::{JsonSyntax, SigningInput, protected_header};
use sdjwt_jose::{Jwk, JwsAlgorithm, KeyParams, base64url};
use sdjwt_vc::VcBuilder;
use sdjwt_vc::authorities::{AKI, X5cAuthorities};
use sdjwt_x509::X5c;
use serde_json::{Map, Value, json};

const ROOT_KEY_ID: [u8; 20] = [0x52; 20];
const INTERMEDIATE_KEY_ID: [u8; 20] = [0x49; 20];

fn ca_params(common_name: &str, key_id: &[u8]) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    params.key_identifier_method = KeyIdMethod::PreSpecified(key_id.to_vec());
    params
}

/// The public half of a P-256 JWK, as rcgen wants it: the uncompressed point.
struct P256Point(Vec<u8>);

impl PublicKeyData for P256Point {
    fn der_bytes(&self) -> &[u8] {
        &self.0
    }

    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &rcgen::PKCS_ECDSA_P256_SHA256
    }
}

/// The issuer's credential-signing key (P-256).
fn leaf_key() -> Jwk {
    sdjwt_test::issuer_key()
}

fn leaf_point() -> P256Point {
    match leaf_key().params() {
        KeyParams::Ec { x, y, .. } => {
            let mut point = vec![0x04];
            point.extend_from_slice(x);
            point.extend_from_slice(y);
            P256Point(point)
        }
        other => panic!("not an EC key: {other:?}"),
    }
}

/// leaf → intermediate → root, DER, leaf first; the leaf carries an Authority Key Identifier
/// only when `leaf_aki`.
fn chain(leaf_aki: bool) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let root_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let root_params = ca_params("Federation Root", &ROOT_KEY_ID);
    let root_der = root_params.self_signed(&root_key).unwrap().der().to_vec();
    let root = Issuer::new(root_params, root_key);

    let mid_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut mid_params = ca_params("Immigration Issuing CA", &INTERMEDIATE_KEY_ID);
    mid_params.use_authority_key_identifier_extension = true;
    let mid_der = mid_params
        .signed_by(&mid_key, &root)
        .unwrap()
        .der()
        .to_vec();
    let mid = Issuer::new(mid_params, mid_key);

    let mut leaf_params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "Credential signing key");
    leaf_params.distinguished_name = dn;
    leaf_params.is_ca = IsCa::ExplicitNoCa;
    leaf_params.use_authority_key_identifier_extension = leaf_aki;
    let leaf_der = leaf_params
        .signed_by(&leaf_point(), &mid)
        .unwrap()
        .der()
        .to_vec();
    (leaf_der, mid_der, root_der)
}

fn x5c(chain: &[&[u8]]) -> Value {
    X5c::from_der_certificates(chain.iter().map(|c| c.to_vec()))
        .unwrap()
        .to_header()
}

/// A right-to-work credential signed with the leaf key, `x5c` in the protected header when
/// given, accepted by the holder.
fn credential(x5c: Option<Value>) -> Credential {
    let mut builder = VcBuilder::new(VCT, claims())
        .issuer(ISS)
        .issued_at(NOW - 100)
        .expires_at(NOW + 86_400)
        .holder_key(&holder_key().to_public())
        .disclose(path("right_to_work"))
        .disclose(path("given_name"));
    if let Some(chain) = x5c {
        builder = builder.header_parameter("x5c", chain);
    }
    let prepared = builder.prepare(&PROVIDER).unwrap();
    let signer = PROVIDER.signer(&leaf_key(), JwsAlgorithm::Es256).unwrap();
    let text = prepared.sign(signer.as_ref()).unwrap().serialize();
    Credential::accept(
        &text,
        &PROVIDER,
        &[leaf_key().to_public()],
        &AcceptOptions::new(NOW),
    )
    .unwrap()
}

fn issued_through_intermediate() -> Credential {
    let (leaf, mid, _root) = chain(true);
    credential(Some(x5c(&[&leaf, &mid])))
}

fn query(trusted_authorities: Value) -> DcqlQuery {
    let query = json!({"credentials": [{
        "id": "work",
        "format": "dc+sd-jwt",
        "meta": {"vct_values": [VCT]},
        "claims": [{"path": ["right_to_work"], "values": [true]}],
        "trusted_authorities": trusted_authorities,
    }]});
    DcqlQuery::parse(&query.to_string()).unwrap()
}

fn select(credential: &Credential, trusted_authorities: Value) -> Result<Selection, DcqlError> {
    query(trusted_authorities).select(
        &[credential],
        &MatchOptions::new().with_authority_matcher(&X5cAuthorities),
    )
}

/// The `trusted_authorities` mismatch reported for the one credential, or a panic.
fn authority_mismatch(result: Result<Selection, DcqlError>) -> (Vec<String>, Vec<String>) {
    let Err(DcqlError::Unsatisfied(unsatisfied)) = result else {
        panic!("expected Unsatisfied, got {result:?}");
    };
    let [failure] = unsatisfied.queries.as_slice() else {
        panic!("one failing query expected: {unsatisfied:?}");
    };
    let QueryFailureReason::NoMatch { candidates } = &failure.reason else {
        panic!("expected NoMatch: {failure:?}");
    };
    let [candidate] = candidates.as_slice() else {
        panic!("one candidate expected: {candidates:?}");
    };
    match candidate.reasons.as_slice() {
        [
            Mismatch::TrustedAuthorities {
                not_met,
                unevaluable,
            },
        ] => (not_met.clone(), unevaluable.clone()),
        other => panic!("expected only a trusted authorities mismatch: {other:?}"),
    }
}

fn aki_value(key_id: &[u8]) -> String {
    base64url::encode(key_id)
}

#[test]
fn issuing_ca_key_identifier_selects_the_credential() {
    let cred = issued_through_intermediate();
    let selection = select(
        &cred,
        json!([{"type": "aki", "values": [aki_value(&INTERMEDIATE_KEY_ID)]}]),
    )
    .expect("the leaf's AKI is the intermediate's key identifier");
    let answer = selection.query("work").expect("answered");
    assert_eq!(answer.credentials.len(), 1);
    // Trusted authorities change which credential is chosen, not what it reveals.
    assert_eq!(answer.credentials[0].disclosures.len(), 1);
}

#[test]
fn root_key_identifier_selects_even_without_the_root_certificate() {
    // The root's certificate is not in x5c; the intermediate's AKI names it.
    let cred = issued_through_intermediate();
    select(
        &cred,
        json!([{"type": "aki", "values": [aki_value(&ROOT_KEY_ID)]}]),
    )
    .expect("the intermediate's AKI is the root's key identifier");
    assert_eq!(
        X5cAuthorities::authority_key_identifiers(&cred),
        vec![INTERMEDIATE_KEY_ID.to_vec(), ROOT_KEY_ID.to_vec()]
    );
}

#[test]
fn unknown_key_identifier_is_unsatisfied() {
    let cred = issued_through_intermediate();
    let result = select(
        &cred,
        json!([{"type": "aki", "values": [aki_value(&[0x11; 20])]}]),
    );
    assert_eq!(authority_mismatch(result), (vec!["aki".to_owned()], vec![]));
}

#[test]
fn other_types_cannot_be_evaluated() {
    let cred = issued_through_intermediate();
    let result = select(
        &cred,
        json!([{"type": "etsi_tl", "values": ["https://lotl.example.com"]}]),
    );
    assert_eq!(
        authority_mismatch(result),
        (vec![], vec!["etsi_tl".to_owned()])
    );
    // One entry that matches is enough (§6.1.1: "one of the provided values in one of the
    // provided types").
    select(
        &cred,
        json!([
            {"type": "etsi_tl", "values": ["https://lotl.example.com"]},
            {"type": "aki", "values": [aki_value(&INTERMEDIATE_KEY_ID)]}
        ]),
    )
    .expect("the aki entry matches");
    assert_eq!(
        X5cAuthorities.matches(&cred, "openid_federation", &[ISS.to_owned()]),
        None
    );
}

#[test]
fn undecodable_values_match_nothing() {
    let cred = issued_through_intermediate();
    let good = aki_value(&INTERMEDIATE_KEY_ID);
    // The right bytes, but not canonical unpadded base64url.
    let padded = format!("{good}=");
    let spaced = format!(" {good}");
    for bad in ["not base64url!".to_owned(), padded, spaced, String::new()] {
        assert_eq!(
            X5cAuthorities.matches(&cred, AKI, std::slice::from_ref(&bad)),
            Some(false),
            "{bad:?}"
        );
        // ... without spoiling a good value beside it.
        assert_eq!(
            X5cAuthorities.matches(&cred, AKI, &[bad.clone(), good.clone()]),
            Some(true),
            "{bad:?}"
        );
    }
}

#[test]
fn credentials_without_a_matching_chain_do_not_match() {
    let value = [aki_value(&INTERMEDIATE_KEY_ID)];
    // No x5c at all.
    let no_x5c = credential(None);
    assert_eq!(X5cAuthorities.matches(&no_x5c, AKI, &value), Some(false));
    assert_eq!(
        authority_mismatch(select(&no_x5c, json!([{"type": "aki", "values": value}]))),
        (vec!["aki".to_owned()], vec![])
    );
    // A leaf without Authority Key Identifier, alone in x5c: nothing names the CA.
    let (leaf, mid, _root) = chain(false);
    let bare = credential(Some(x5c(&[&leaf])));
    assert!(X5cAuthorities::authority_key_identifiers(&bare).is_empty());
    assert_eq!(X5cAuthorities.matches(&bare, AKI, &value), Some(false));
    // With the intermediate beside it, the root is still named.
    let with_mid = credential(Some(x5c(&[&leaf, &mid])));
    assert_eq!(
        X5cAuthorities.matches(&with_mid, AKI, &[aki_value(&ROOT_KEY_ID)]),
        Some(true)
    );
    assert_eq!(X5cAuthorities.matches(&with_mid, AKI, &value), Some(false));
}

#[test]
fn without_a_matcher_trusted_authorities_are_unevaluable() {
    let cred = issued_through_intermediate();
    let result = query(json!([{"type": "aki", "values": [aki_value(&INTERMEDIATE_KEY_ID)]}]))
        .select(&[&cred], &MatchOptions::new());
    assert_eq!(authority_mismatch(result), (vec![], vec!["aki".to_owned()]));
}

#[test]
fn a_co_signature_with_x5c_counts() {
    // JWS JSON general serialization (RFC 9901 §8): an EdDSA signature without x5c, then the
    // x5c-certified ES256 one.
    let (leaf, mid, _root) = chain(true);
    let prepared = VcBuilder::new(VCT, claims())
        .issuer(ISS)
        .issued_at(NOW - 100)
        .holder_key(&holder_key().to_public())
        .disclose(path("right_to_work"))
        .prepare(&PROVIDER)
        .unwrap();
    let mut with_x5c = Map::new();
    with_x5c.insert("x5c".into(), x5c(&[&leaf, &mid]));
    let mut parts = Vec::new();
    for (key, alg, extra) in [
        (issuer_key(), JwsAlgorithm::EdDsa, Map::new()),
        (leaf_key(), JwsAlgorithm::Es256, with_x5c),
    ] {
        let header = protected_header(alg, key.key_id(), Some("dc+sd-jwt"), &extra);
        let input = SigningInput::new(&header, prepared.payload().as_bytes());
        let signer = PROVIDER.signer(&key, alg).unwrap();
        let signature = input.sign(signer.as_ref()).unwrap();
        parts.push((input, signature));
    }
    let text = prepared
        .attach_json_signatures(parts, JsonSyntax::General)
        .unwrap()
        .serialize();
    let cred = Credential::accept(
        &text,
        &PROVIDER,
        &[issuer_key().to_public(), leaf_key().to_public()],
        &AcceptOptions::new(NOW),
    )
    .unwrap();
    assert_eq!(cred.sd_jwt().jws().signature_count(), 2);
    assert!(cred.sd_jwt().header().members().get("x5c").is_none());
    select(
        &cred,
        json!([{"type": "aki", "values": [aki_value(&ROOT_KEY_ID)]}]),
    )
    .expect("the second signature's chain names the root");
}

#[test]
fn spec_still_says_what_we_implement() {
    let Some(dir) = sdjwt_test::spec_sources() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the spec-sources folder is missing: set SDJWT_SPEC_SOURCES or \
             provide ../shared/spec-sources"
        );
        eprintln!("note: spec-sources not found (set SDJWT_SPEC_SOURCES); spec text check skipped");
        return;
    };
    let path = dir
        .join("openid4vp")
        .join("1.0-final")
        .join("openid-4-verifiable-presentations-1_0.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // The spec wraps lines; compare with runs of whitespace folded to one space.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for sentence in [
        "A Credential is identified as a match to a Trusted Authorities Query if it matches with \
         one of the provided values in one of the provided types.",
        "Contains the KeyIdentifier of the AuthorityKeyIdentifier as defined in Section 4.2.1.1 \
         of [@!RFC5280], encoded as base64url.",
        "The raw byte representation of this element MUST match with the AuthorityKeyIdentifier \
         element of an X.509 certificate in the certificate chain present in the Credential",
        "the Credential can include the entire X.509 chain or parts of it.",
    ] {
        assert!(text.contains(sentence), "spec no longer says: {sentence}");
    }
}
