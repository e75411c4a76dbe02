//! Shared fixtures: an immigration authority issuing right-to-work credentials, a holder, a
//! status list, and a trust list.
#![allow(dead_code, unreachable_pub, clippy::expect_used, clippy::unwrap_used)]

use sdjwt_core::{ClaimName, ClaimPath};
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_jose::{CryptoProvider, Jwk, JwsAlgorithm};
use sdjwt_status::{Bits, Status, StatusList, StatusListTokenBuilder};
use sdjwt_vc::{KeySource, StatusListReference, TrustList, TrustedIssuer, VcBuilder};
use sdjwt_verifier::{KeyBinding, Policy};
use serde_json::{Map, Value, json};

pub const PROVIDER: CryptoProvider = sdjwt_aws_lc::DEFAULT_PROVIDER;
pub const NOW: i64 = 1_800_000_000;
pub const ISS: &str = "https://immigration.gov.example";
pub const VCT: &str = "https://credentials.gov.example/right-to-work";
pub const STATUS_URI: &str = "https://status.gov.example/lists/1";
pub const AUD: &str = "https://employer.example";
pub const NONCE: &str = "n-0S6_WzA2Mj";

pub fn issuer_key() -> Jwk {
    sdjwt_test::fixture_key(JwsAlgorithm::EdDsa).with_kid("2026-1")
}

pub fn holder_key() -> Jwk {
    sdjwt_test::fixture_key(JwsAlgorithm::Es256)
}

pub fn other_key() -> Jwk {
    sdjwt_test::fixture_key(JwsAlgorithm::Es384)
}

pub fn claims() -> Map<String, Value> {
    json!({
        "given_name": "Amara",
        "family_name": "Okafor",
        "right_to_work": true,
        "immigration_status": "settled"
    })
    .as_object()
    .cloned()
    .unwrap()
}

pub fn path(name: &str) -> ClaimPath {
    ClaimPath::root().key(ClaimName::new(name).unwrap())
}

/// A right-to-work credential with every personal claim disclosable and a status entry.
pub fn builder(idx: u64) -> VcBuilder {
    VcBuilder::new(VCT, claims())
        .issuer(ISS)
        .issued_at(NOW - 100)
        .expires_at(NOW + 86_400)
        .holder_key(&holder_key().to_public())
        .disclose_all(
            [
                "given_name",
                "family_name",
                "right_to_work",
                "immigration_status",
            ]
            .map(path),
        )
        .status(StatusListReference {
            idx,
            uri: STATUS_URI.to_owned(),
        })
}

pub fn sign(builder: VcBuilder) -> String {
    let prepared = builder.prepare(&PROVIDER).expect("prepare");
    let signer = PROVIDER
        .signer(&issuer_key(), JwsAlgorithm::EdDsa)
        .expect("signer");
    prepared.sign(signer.as_ref()).expect("sign").serialize()
}

/// The holder's presentation of `right_to_work` only, key-bound to the employer.
pub fn present(credential: &str) -> String {
    let accepted = Credential::accept(
        credential,
        &PROVIDER,
        &[issuer_key().to_public()],
        &AcceptOptions::new(NOW),
    )
    .expect("accept");
    let signer = PROVIDER
        .signer(&holder_key(), JwsAlgorithm::Es256)
        .expect("holder signer");
    let kb = KeyBindingRequest {
        signer: signer.as_ref(),
        audience: AUD,
        nonce: NONCE,
        issued_at: NOW,
    };
    accepted
        .present(&[path("right_to_work")], Some(&kb), &PROVIDER)
        .expect("present")
        .serialize()
}

pub fn policy() -> sdjwt_vc::VcPolicy {
    sdjwt_vc::VcPolicy::new(Policy::new(KeyBinding::required(AUD, NONCE)))
}

pub fn trust() -> TrustList {
    let mut list = TrustList::new();
    list.add(TrustedIssuer::new(
        ISS,
        vec![VCT.to_owned()],
        KeySource::Jwks(vec![issuer_key().to_public()]),
    ))
    .unwrap();
    list
}

/// A signed Status List Token for [`STATUS_URI`] with the given entries set.
pub fn status_token(entries: &[(usize, Status)], len: usize, key: &Jwk, sub: &str) -> String {
    let mut list = StatusList::new(Bits::Two, len);
    for (i, s) in entries {
        list.set(*i, *s).unwrap();
    }
    let signer = PROVIDER
        .signer(key, key.default_algorithm())
        .expect("status signer");
    StatusListTokenBuilder::new(sub, NOW - 10, &list)
        .ttl(3600)
        .sign(signer.as_ref())
        .expect("status token")
}

pub fn resolver_with_status(token: &str) -> sdjwt_fetch::StaticResolver {
    let mut resolver = sdjwt_fetch::StaticResolver::new();
    resolver.insert(
        sdjwt_fetch::HttpsUrl::parse(STATUS_URI).unwrap(),
        token.as_bytes().to_vec(),
        Some("application/statuslist+jwt"),
    );
    resolver
}
