//! Holder behaviour: acceptance checks (RFC 9901 §7.2) and what a selection discloses.

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used)]

use sdjwt_aws_lc::DEFAULT_PROVIDER as P;
use sdjwt_core::{ClaimPath, SdJwt};
use sdjwt_holder::{AcceptOptions, Credential, Error, KeyBindingRequest};
use sdjwt_issuer::{Decoys, SdJwtBuilder};
use sdjwt_jose::{Jwk, JwsAlgorithm};
use serde_json::{Value, json};

const NOW: i64 = 1_800_000_000;

struct Setup {
    issuer: Jwk,
    holder: Jwk,
    issued: String,
}

fn issue(claims: Value, pointers: &[&str]) -> Setup {
    let issuer = P.generate_key(JwsAlgorithm::Es256).expect("issuer key");
    let holder = P.generate_key(JwsAlgorithm::EdDsa).expect("holder key");
    let mut b = SdJwtBuilder::new(claims.as_object().cloned().expect("object"))
        .issued_at(NOW - 10)
        .expires_at(NOW + 3600)
        .holder_key(&holder.to_public())
        .decoys(Decoys::Exact(2));
    for p in pointers {
        b = b.disclose(ClaimPath::resolve_pointer(p, &claims).expect("pointer"));
    }
    let signer = P.signer(&issuer, JwsAlgorithm::Es256).expect("signer");
    let issued = b
        .prepare(&P)
        .expect("prepare")
        .sign(&*signer)
        .expect("sign")
        .to_compact();
    Setup {
        issuer,
        holder,
        issued,
    }
}

fn accept(s: &Setup) -> Credential {
    Credential::accept(
        &s.issued,
        &P,
        &[s.issuer.to_public()],
        &AcceptOptions::new(NOW),
    )
    .expect("accept")
}

fn revealed(c: &Credential, pointers: &[&str]) -> Value {
    let paths: Vec<ClaimPath> = pointers
        .iter()
        .map(|p| c.pointer(p).expect("pointer"))
        .collect();
    let pres = c.present(&paths, None, &P).expect("present");
    Value::Object(
        pres.process(&P, &sdjwt_core::Limits::DEFAULT)
            .expect("process")
            .claims,
    )
}

fn claims() -> Value {
    json!({
        "given_name": "Ada",
        "address": {"street": "1 Main St", "postcode": "AB1 2CD"},
        "nationalities": ["GB", "FR"],
        "right_to_work": true
    })
}

#[test]
fn selecting_a_leaf_reveals_only_it() {
    let s = issue(
        claims(),
        &[
            "/given_name",
            "/address",
            "/address/street",
            "/address/postcode",
            "/nationalities/0",
            "/nationalities/1",
            "/right_to_work",
        ],
    );
    let c = accept(&s);
    assert_eq!(c.sd_jwt().disclosures().len(), 7);
    let r = revealed(&c, &["/right_to_work"]);
    assert_eq!(
        r,
        json!({"nationalities": [], "right_to_work": true, "iat": NOW - 10, "exp": NOW + 3600, "cnf": {"jwk": s.holder.to_public().to_json()}})
    );
}

#[test]
fn selecting_a_nested_member_brings_its_recursive_ancestor() {
    let s = issue(
        claims(),
        &["/address", "/address/street", "/address/postcode"],
    );
    let c = accept(&s);
    let r = revealed(&c, &["/address/postcode"]);
    assert_eq!(r["address"], json!({"postcode": "AB1 2CD"}));
    assert!(r.get("given_name").is_some(), "plaintext stays");
}

#[test]
fn selecting_an_object_brings_everything_beneath() {
    let s = issue(
        claims(),
        &[
            "/address",
            "/address/street",
            "/address/postcode",
            "/nationalities/1",
        ],
    );
    let c = accept(&s);
    let r = revealed(&c, &["/address"]);
    assert_eq!(
        r["address"],
        json!({"street": "1 Main St", "postcode": "AB1 2CD"})
    );
    // Array indices count the fully disclosed array: /nationalities/1 is "FR".
    let r = revealed(&c, &["/nationalities/1"]);
    assert_eq!(r["nationalities"], json!(["GB", "FR"]));
    let r = revealed(&c, &["/given_name"]);
    assert_eq!(r["nationalities"], json!(["GB"]));
}

#[test]
fn pointer_that_names_nothing_is_an_error() {
    let s = issue(claims(), &["/given_name"]);
    let c = accept(&s);
    assert_eq!(
        c.pointer("/nope"),
        Err(Error::Core(sdjwt_core::Error::PathNotFound {
            path: "/nope".into()
        }))
    );
    assert!(c.pointer("/nationalities/7").is_err());
}

#[test]
fn key_binding_is_signed_with_cnf_key_only() {
    let s = issue(claims(), &["/right_to_work"]);
    let c = accept(&s);
    let path = c.pointer("/right_to_work").expect("path");
    let signer = P
        .signer(&s.holder, JwsAlgorithm::EdDsa)
        .expect("holder signer");
    let kb = KeyBindingRequest {
        signer: &*signer,
        audience: "https://employer.example",
        nonce: "abc",
        issued_at: NOW,
    };
    let pres = c
        .present(std::slice::from_ref(&path), Some(&kb), &P)
        .expect("present");
    let claims = pres.key_binding().expect("kb").claims().expect("claims");
    assert_eq!(claims.sd_hash, pres.sd_hash(&P).expect("sd_hash").as_str());
    assert_eq!(
        pres.key_binding().expect("kb").jws().header().typ(),
        Some("kb+jwt")
    );

    let other = P.generate_key(JwsAlgorithm::EdDsa).expect("key");
    let wrong = P.signer(&other, JwsAlgorithm::EdDsa).expect("signer");
    let kb = KeyBindingRequest {
        signer: &*wrong,
        ..kb
    };
    assert_eq!(
        c.present(&[path], Some(&kb), &P).err(),
        Some(Error::HolderKeyMismatch)
    );
}

#[test]
fn refuses_sd_jwt_kb_wrong_key_and_expired() {
    let s = issue(claims(), &["/right_to_work"]);
    let c = accept(&s);
    let signer = P
        .signer(&s.holder, JwsAlgorithm::EdDsa)
        .expect("holder signer");
    let kb = KeyBindingRequest {
        signer: &*signer,
        audience: "a",
        nonce: "n",
        issued_at: NOW,
    };
    let with_kb = c.present(&[], Some(&kb), &P).expect("present").to_compact();
    let opts = AcceptOptions::new(NOW);
    assert_eq!(
        Credential::accept(&with_kb, &P, &[s.issuer.to_public()], &opts).err(),
        Some(Error::Core(sdjwt_core::Error::UnexpectedKeyBinding))
    );
    let stranger = P.generate_key(JwsAlgorithm::Es256).expect("key");
    assert_eq!(
        Credential::accept(&s.issued, &P, &[stranger.to_public()], &opts).err(),
        Some(Error::Core(sdjwt_core::Error::Jose(
            sdjwt_jose::Error::InvalidSignature
        )))
    );
    assert_eq!(
        Credential::accept(&s.issued, &P, &[], &opts).err(),
        Some(Error::NoIssuerKey { signature: 0 })
    );
    let late = AcceptOptions::new(NOW + 7200).with_leeway(0);
    assert!(matches!(
        Credential::accept(&s.issued, &P, &[s.issuer.to_public()], &late).err(),
        Some(Error::Core(sdjwt_core::Error::Expired { .. }))
    ));
}

#[test]
fn json_serialization_round_trips_through_the_holder() {
    let s = issue(claims(), &["/given_name", "/right_to_work"]);
    let issued = SdJwt::parse(&s.issued, &sdjwt_core::Limits::DEFAULT).expect("parse");
    let json = Value::Object(
        issued
            .to_json(sdjwt_jose::jws::JsonSyntax::Flattened)
            .expect("json"),
    )
    .to_string();
    let c = Credential::accept(&json, &P, &[s.issuer.to_public()], &AcceptOptions::new(NOW))
        .expect("accept json");
    let signer = P
        .signer(&s.holder, JwsAlgorithm::EdDsa)
        .expect("holder signer");
    let kb = KeyBindingRequest {
        signer: &*signer,
        audience: "a",
        nonce: "n",
        issued_at: NOW,
    };
    let pres = c
        .present(&[c.pointer("/right_to_work").expect("path")], Some(&kb), &P)
        .expect("present");
    assert_eq!(
        pres.serialization(),
        sdjwt_core::Serialization::Json(sdjwt_jose::jws::JsonSyntax::Flattened)
    );
    let text = pres.serialize();
    let back = SdJwt::parse(&text, &sdjwt_core::Limits::DEFAULT).expect("reparse");
    assert_eq!(back.disclosures().len(), 1);
    assert_eq!(
        back.key_binding()
            .expect("kb")
            .claims()
            .expect("claims")
            .sd_hash,
        back.sd_hash(&P).expect("hash").as_str()
    );
}
