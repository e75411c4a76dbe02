//! Issue → accept → present → verify across the three roles, for every algorithm each provider
//! supports, every hash algorithm, and every serialization (RFC 9901 §4 compact, §8 flattened
//! and general JSON), plus recursive, array, co-signed, two-phase and right-to-work cases.

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used)]

use sdjwt_core::{ClaimPath, Limits, SdJwt, Serialization};
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_issuer::{Decoys, SdJwtBuilder};
use sdjwt_jose::jws::JsonSyntax;
use sdjwt_jose::{CryptoProvider, HashAlgorithm, Jwk, JwsAlgorithm};
use sdjwt_test::fixture_key;
use sdjwt_verifier::{
    KeyBinding, Policy, SignaturePolicy, StaticKeys, VerifiedPresentation, Verifier,
};
use serde_json::{Map, Value, json};

const NOW: i64 = 1_800_000_000;
const ISS: &str = "https://identity.gov.example";
const AUD: &str = "https://employer.example";
const NONCE: &str = "f3c1a8e0-nonce";

fn identity_claims() -> Map<String, Value> {
    json!({
        "vct": "https://credentials.gov.example/identity",
        "given_name": "Amara",
        "family_name": "Okafor",
        "birthdate": "1990-04-12",
        "nationality": "NG",
        "address": {"street_address": "12 Harbour Road", "locality": "Leeds", "postal_code": "LS1 4AB", "country": "GB"},
        "national_insurance_number": "QQ123456C",
        "immigration_status": "settled",
        "right_to_work": true,
        "nationalities": ["NG", "GB"]
    })
    .as_object()
    .cloned()
    .expect("object")
}

/// Every personal claim disclosable; the address and the nationalities recursively.
const IDENTITY_SD: &[&str] = &[
    "/given_name",
    "/family_name",
    "/birthdate",
    "/nationality",
    "/address",
    "/address/street_address",
    "/address/locality",
    "/address/postal_code",
    "/address/country",
    "/national_insurance_number",
    "/immigration_status",
    "/right_to_work",
    "/nationalities",
    "/nationalities/0",
    "/nationalities/1",
];

struct Flow<'a> {
    p: &'a CryptoProvider,
    issuer_alg: JwsAlgorithm,
    holder_alg: JwsAlgorithm,
    hash: HashAlgorithm,
    serialization: Serialization,
}

impl Flow<'_> {
    fn issue(&self, claims: Map<String, Value>, sd: &[&str]) -> (String, Jwk, Jwk) {
        let issuer = fixture_key(self.issuer_alg).with_kid("issuer-1");
        let holder = fixture_key(self.holder_alg);
        let doc = Value::Object(claims.clone());
        let mut b = SdJwtBuilder::new(claims)
            .issuer(ISS)
            .issued_at(NOW - 100)
            .expires_at(NOW + 86_400)
            .hash_algorithm(self.hash)
            .typ("example+sd-jwt")
            .holder_key(&holder.to_public());
        for p in sd {
            b = b.disclose(ClaimPath::resolve_pointer(p, &doc).expect("pointer"));
        }
        let prepared = b.prepare(self.p).expect("prepare");
        let signer = self
            .p
            .signer(&issuer, self.issuer_alg)
            .expect("issuer signer");
        let issued = match self.serialization {
            Serialization::Compact => prepared.sign(&*signer).expect("sign").to_compact(),
            Serialization::Json(syntax) => prepared
                .sign_json(&[&*signer], syntax)
                .expect("sign")
                .serialize(),
        };
        (issued, issuer, holder)
    }

    fn present(&self, issued: &str, issuer: &Jwk, holder: &Jwk, reveal: &[&str]) -> String {
        let cred = Credential::accept(
            issued,
            self.p,
            &[issuer.to_public()],
            &AcceptOptions::new(NOW),
        )
        .expect("holder accepts");
        let paths: Vec<ClaimPath> = reveal
            .iter()
            .map(|r| cred.pointer(r).expect("pointer"))
            .collect();
        let signer = self
            .p
            .signer(holder, self.holder_alg)
            .expect("holder signer");
        let kb = KeyBindingRequest {
            signer: &*signer,
            audience: AUD,
            nonce: NONCE,
            issued_at: NOW,
        };
        let pres = cred.present(&paths, Some(&kb), self.p).expect("present");
        assert_eq!(pres.serialization(), self.serialization);
        pres.serialize()
    }

    fn verify(&self, presentation: &str, issuer: &Jwk) -> VerifiedPresentation {
        let keys = StaticKeys::new().with_issuer_key(ISS, &issuer.to_public());
        let policy = Policy::new(KeyBinding::required(AUD, NONCE))
            .with_required_typ("example+sd-jwt")
            .with_required_claims(["exp"]);
        Verifier::new(self.p, &keys)
            .verify(presentation, &policy, NOW + 5)
            .expect("verifier accepts")
    }

    fn run(&self, reveal: &[&str]) -> VerifiedPresentation {
        let (issued, issuer, holder) = self.issue(identity_claims(), IDENTITY_SD);
        let pres = self.present(&issued, &issuer, &holder, reveal);
        let verified = self.verify(&pres, &issuer);
        assert!(verified.key_bound());
        assert_eq!(verified.hash_algorithm(), self.hash);
        verified
    }
}

const SERIALIZATIONS: [Serialization; 3] = [
    Serialization::Compact,
    Serialization::Json(JsonSyntax::Flattened),
    Serialization::Json(JsonSyntax::General),
];

fn flow(
    p: &CryptoProvider,
    issuer_alg: JwsAlgorithm,
    holder_alg: JwsAlgorithm,
    hash: HashAlgorithm,
    serialization: Serialization,
) -> Flow<'_> {
    Flow {
        p,
        issuer_alg,
        holder_alg,
        hash,
        serialization,
    }
}

/// The processed payload must hold exactly the always-visible claims plus `extra`.
fn assert_reveals_only(v: &VerifiedPresentation, extra: &[&str]) {
    let mut keys: Vec<&str> = v.claims().keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = vec!["cnf", "exp", "iat", "iss", "vct"];
    expected.extend_from_slice(extra);
    expected.sort_unstable();
    assert_eq!(keys, expected);
}

sdjwt_test::for_each_provider! {
    fn every_signature_algorithm_as_issuer_in_every_serialization(p) {
        for &alg in p.signature_algorithms {
            for s in SERIALIZATIONS {
                let v = flow(&p, alg, JwsAlgorithm::Es256, HashAlgorithm::Sha256, s).run(&["/right_to_work"]);
                assert_eq!(v.claims()["right_to_work"], json!(true), "{alg} {s:?}");
                assert_eq!(v.header().alg(), alg);
            }
        }
    }

    fn every_signature_algorithm_as_holder(p) {
        for &alg in p.signature_algorithms {
            let v = flow(&p, JwsAlgorithm::Es256, alg, HashAlgorithm::Sha256, Serialization::Compact).run(&["/given_name"]);
            assert_eq!(v.claims()["given_name"], json!("Amara"), "{alg}");
        }
    }

    fn every_hash_algorithm_in_every_serialization(p) {
        for &hash in p.hash_algorithms {
            for s in SERIALIZATIONS {
                let v = flow(&p, JwsAlgorithm::Es256, JwsAlgorithm::EdDsa, hash, s).run(&["/family_name"]);
                assert_eq!(v.claims()["family_name"], json!("Okafor"), "{hash} {s:?}");
            }
        }
    }

    fn right_to_work_reveals_nothing_else(p) {
        for s in SERIALIZATIONS {
            let v = flow(&p, JwsAlgorithm::Es256, JwsAlgorithm::Es256, HashAlgorithm::Sha256, s).run(&["/right_to_work"]);
            assert_reveals_only(&v, &["right_to_work"]);
            assert_eq!(v.claims()["right_to_work"], json!(true));
            assert_eq!(v.disclosed_paths().map(ToString::to_string).collect::<Vec<_>>(), ["/right_to_work"]);
            // 14 hidden Disclosures at the top level or beneath plus decoys; only the top-level
            // digests can be counted by the verifier (the rest sit inside undisclosed values).
            assert!(v.undisclosed_digests() >= 9, "{}", v.undisclosed_digests());
            let text = serde_json::to_string(v.claims()).expect("json");
            for secret in ["Amara", "Okafor", "1990", "QQ123456C", "Harbour", "settled", "NG"] {
                assert!(!text.contains(secret), "{secret} leaked");
            }
        }
    }

    fn recursive_object_disclosure(p) {
        let f = flow(&p, JwsAlgorithm::Es256, JwsAlgorithm::Es256, HashAlgorithm::Sha256, Serialization::Compact);
        let v = f.run(&["/address/locality"]);
        assert_reveals_only(&v, &["address"]);
        assert_eq!(v.claims()["address"], json!({"locality": "Leeds"}));
        let v = f.run(&["/address"]);
        assert_eq!(v.claims()["address"], json!({"street_address": "12 Harbour Road", "locality": "Leeds", "postal_code": "LS1 4AB", "country": "GB"}));
    }

    fn array_element_disclosure(p) {
        let f = flow(&p, JwsAlgorithm::Es256, JwsAlgorithm::Es256, HashAlgorithm::Sha256, Serialization::Json(JsonSyntax::General));
        let v = f.run(&["/nationalities/1"]);
        assert_eq!(v.claims()["nationalities"], json!(["GB"]));
        let v = f.run(&["/nationalities"]);
        assert_eq!(v.claims()["nationalities"], json!(["NG", "GB"]));
        let v = f.run(&[]);
        assert_reveals_only(&v, &[]);
    }

    fn plaintext_array_with_disclosable_elements(p) {
        let f = flow(&p, JwsAlgorithm::Es256, JwsAlgorithm::Es256, HashAlgorithm::Sha256, Serialization::Compact);
        let claims = json!({"vct": "x", "langs": ["en", "fr", "de"]}).as_object().cloned().expect("object");
        let (issued, issuer, holder) = f.issue(claims, &["/langs/0", "/langs/2"]);
        let v = f.verify(&f.present(&issued, &issuer, &holder, &["/langs/2"]), &issuer);
        assert_eq!(v.claims()["langs"], json!(["fr", "de"]));
    }

    fn co_signed_general_json(p) {
        // Two independent authorities sign one credential (RFC 9901 §8.3).
        let a = fixture_key(JwsAlgorithm::Es256).with_kid("home-office");
        let b = fixture_key(JwsAlgorithm::EdDsa).with_kid("revenue");
        let holder = fixture_key(JwsAlgorithm::Es384);
        let claims = json!({"right_to_work": true, "name": "A"}).as_object().cloned().expect("object");
        let doc = Value::Object(claims.clone());
        let prepared = SdJwtBuilder::new(claims)
            .issuer(ISS)
            .issued_at(NOW)
            .disclose(ClaimPath::resolve_pointer("/right_to_work", &doc).expect("ptr"))
            .disclose(ClaimPath::resolve_pointer("/name", &doc).expect("ptr"))
            .holder_key(&holder.to_public())
            .prepare(&p)
            .expect("prepare");
        let sa = p.signer(&a, JwsAlgorithm::Es256).expect("signer a");
        let sb = p.signer(&b, JwsAlgorithm::EdDsa).expect("signer b");
        let issued = prepared.sign_json(&[&*sa, &*sb], JsonSyntax::General).expect("sign").serialize();

        let cred = Credential::accept(&issued, &p, &[a.to_public(), b.to_public()], &AcceptOptions::new(NOW)).expect("accept");
        let hs = p.signer(&holder, JwsAlgorithm::Es384).expect("holder signer");
        let kb = KeyBindingRequest { signer: &*hs, audience: AUD, nonce: NONCE, issued_at: NOW };
        let pres = cred.present(&[cred.pointer("/right_to_work").expect("ptr")], Some(&kb), &p).expect("present").serialize();

        let both = StaticKeys::new().with_issuer_key(ISS, &a.to_public()).with_issuer_key(ISS, &b.to_public());
        let only_a = StaticKeys::new().with_issuer_key(ISS, &a.to_public());
        let policy = Policy::new(KeyBinding::required(AUD, NONCE));
        let v = Verifier::new(&p, &both).verify(&pres, &policy, NOW).expect("all signatures");
        assert_eq!(v.claims()["right_to_work"], json!(true));
        assert!(Verifier::new(&p, &only_a).verify(&pres, &policy, NOW).is_err(), "All needs every key");
        let any = policy.with_signature_policy(SignaturePolicy::AtLeastOne);
        assert!(Verifier::new(&p, &only_a).verify(&pres, &any, NOW).is_ok(), "AtLeastOne accepts one trusted signature");
    }

    fn two_phase_signing(p) {
        let issuer = fixture_key(JwsAlgorithm::Ps256);
        let claims = json!({"right_to_work": true}).as_object().cloned().expect("object");
        let doc = Value::Object(claims.clone());
        let prepared = SdJwtBuilder::new(claims)
            .issuer(ISS)
            .decoys(Decoys::None)
            .disclose(ClaimPath::resolve_pointer("/right_to_work", &doc).expect("ptr"))
            .prepare(&p)
            .expect("prepare");
        let input = prepared.signing_input(JwsAlgorithm::Ps256, Some("hsm-key-7"));
        // The "HSM": any signer that never sees the SD-JWT, only the bytes.
        let hsm = p.signer(&issuer, JwsAlgorithm::Ps256).expect("signer");
        let signature = hsm.try_sign(input.as_bytes()).expect("external signature");
        let sd_jwt = prepared.attach_signature(input, &signature).expect("attach");
        assert_eq!(sd_jwt.header().kid(), Some("hsm-key-7"));
        let keys = StaticKeys::new().with_issuer_key(ISS, &issuer.to_public());
        let v = Verifier::new(&p, &keys).verify(&sd_jwt.to_compact(), &Policy::new(KeyBinding::NotRequired), NOW).expect("verify");
        assert_eq!(v.claims()["right_to_work"], json!(true));
        assert_eq!(v.undisclosed_digests(), 0);
        assert!(!v.key_bound());
    }

    fn issued_by_one_provider_verified_by_the_other(p) {
        for (_, other) in sdjwt_test::providers() {
            let (issued, issuer, holder) = flow(&p, JwsAlgorithm::Es256K, JwsAlgorithm::EdDsa, HashAlgorithm::Sha384, Serialization::Compact)
                .issue(identity_claims(), IDENTITY_SD);
            let f = flow(&other, JwsAlgorithm::Es256K, JwsAlgorithm::EdDsa, HashAlgorithm::Sha384, Serialization::Compact);
            let v = f.verify(&f.present(&issued, &issuer, &holder, &["/immigration_status"]), &issuer);
            assert_eq!(v.claims()["immigration_status"], json!("settled"));
        }
    }

    fn replayed_to_another_verifier_is_refused(p) {
        let f = flow(&p, JwsAlgorithm::Es256, JwsAlgorithm::Es256, HashAlgorithm::Sha256, Serialization::Compact);
        let (issued, issuer, holder) = f.issue(identity_claims(), IDENTITY_SD);
        let pres = f.present(&issued, &issuer, &holder, &["/right_to_work"]);
        let keys = StaticKeys::new().with_issuer_key(ISS, &issuer.to_public());
        let other = Policy::new(KeyBinding::required("https://other-employer.example", "another-nonce"));
        let err = Verifier::new(&p, &keys).verify(&pres, &other, NOW).expect_err("replay must fail");
        assert!(matches!(err, sdjwt_verifier::Error::KbNonceMismatch { .. } | sdjwt_verifier::Error::KbAudienceMismatch { .. }), "{err:?}");
    }

    fn decoys_hide_the_claim_count(p) {
        let claims = json!({"a": 1}).as_object().cloned().expect("object");
        let doc = Value::Object(claims.clone());
        let sd = SdJwtBuilder::new(claims)
            .decoys(Decoys::Exact(5))
            .disclose(ClaimPath::resolve_pointer("/a", &doc).expect("ptr"))
            .prepare(&p)
            .expect("prepare")
            .sign(&*p.signer(&fixture_key(JwsAlgorithm::Es256), JwsAlgorithm::Es256).expect("signer"))
            .expect("sign");
        assert_eq!(sd.payload()["_sd"].as_array().map(Vec::len), Some(6));
        let digests: Vec<&str> = sd.payload()["_sd"].as_array().expect("array").iter().filter_map(Value::as_str).collect();
        let mut sorted = digests.clone();
        sorted.sort_unstable();
        assert_eq!(digests, sorted, "digests are sorted, so their order reveals nothing");
        let processed = sd.process(&p, &Limits::DEFAULT).expect("process");
        assert_eq!(processed.undisclosed_digests, 5);
        let reparsed = SdJwt::parse(&sd.to_compact(), &Limits::DEFAULT).expect("parse");
        assert_eq!(reparsed.to_compact(), sd.to_compact());
    }
}
