//! End to end: issue a right-to-work SD-JWT VC, present one claim, verify against a trust
//! list, with status and the profile's rules.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::*;
use sdjwt_jose::JwsAlgorithm;
use sdjwt_status::Status;
use sdjwt_vc::{
    Error, KeySource, StatusOutcome, StatusPolicy, TrustList, TrustedIssuer, VcVerifier,
};
use serde_json::json;

fn verify(
    presentation: &str,
    trust: &TrustList,
    resolver: &dyn sdjwt_fetch::Resolver,
) -> Result<sdjwt_vc::VerifiedCredential, Error> {
    VcVerifier::new(&PROVIDER, trust)
        .with_documents(resolver)
        .verify(presentation, &policy(), NOW)
}

#[test]
fn right_to_work_verifies_and_reveals_one_claim() {
    let presentation = present(&sign(builder(7)));
    let token = status_token(&[(3, Status::Invalid)], 1000, &issuer_key(), STATUS_URI);
    let verified =
        verify(&presentation, &trust(), &resolver_with_status(&token)).expect("verifies");
    let claims = verified.presentation.claims();
    assert_eq!(claims.get("right_to_work"), Some(&json!(true)));
    assert!(claims.get("given_name").is_none());
    assert_eq!(verified.vct, VCT);
    assert_eq!(
        verified.status,
        StatusOutcome::Valid {
            uri: STATUS_URI.to_owned(),
            idx: 7
        }
    );
    assert!(verified.presentation.key_bound());
}

#[test]
fn revoked_and_suspended_are_rejected() {
    let presentation = present(&sign(builder(7)));
    let revoked = status_token(&[(7, Status::Invalid)], 1000, &issuer_key(), STATUS_URI);
    let err = verify(&presentation, &trust(), &resolver_with_status(&revoked)).unwrap_err();
    assert_eq!(
        err,
        Error::Revoked {
            uri: STATUS_URI.to_owned(),
            idx: 7
        }
    );
    assert!(err.to_string().contains("credential revoked"));
    let suspended = status_token(&[(7, Status::Suspended)], 1000, &issuer_key(), STATUS_URI);
    let err = verify(&presentation, &trust(), &resolver_with_status(&suspended)).unwrap_err();
    assert!(matches!(err, Error::Suspended { idx: 7, .. }), "{err:?}");
    let app = status_token(
        &[(7, Status::ApplicationSpecific(3))],
        1000,
        &issuer_key(),
        STATUS_URI,
    );
    let err = verify(&presentation, &trust(), &resolver_with_status(&app)).unwrap_err();
    assert_eq!(err, Error::StatusNotValid { value: 3 });
}

#[test]
fn status_list_problems_are_rejected() {
    let presentation = present(&sign(builder(2000)));
    // Index outside the list.
    let short = status_token(&[], 1000, &issuer_key(), STATUS_URI);
    let err = verify(&presentation, &trust(), &resolver_with_status(&short)).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::StatusList {
                error: sdjwt_status::Error::IndexOutOfBounds { .. },
                ..
            }
        ),
        "{err:?}"
    );
    let presentation = present(&sign(builder(7)));
    // Signed by someone else.
    let forged = status_token(&[], 1000, &other_key(), STATUS_URI);
    let err = verify(&presentation, &trust(), &resolver_with_status(&forged)).unwrap_err();
    assert!(matches!(err, Error::StatusList { .. }), "{err:?}");
    // For another list.
    let other_sub = status_token(
        &[],
        1000,
        &issuer_key(),
        "https://status.gov.example/lists/2",
    );
    let err = verify(&presentation, &trust(), &resolver_with_status(&other_sub)).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::StatusList {
                error: sdjwt_status::Error::SubjectMismatch { .. },
                ..
            }
        ),
        "{err:?}"
    );
    // Not available.
    let err = verify(&presentation, &trust(), &sdjwt_fetch::StaticResolver::new()).unwrap_err();
    assert!(matches!(err, Error::StatusUnavailable { .. }), "{err:?}");
    // Unless the policy says not to check.
    let verified = VcVerifier::new(&PROVIDER, &trust())
        .verify(
            &presentation,
            &policy().with_status(StatusPolicy::Ignore),
            NOW,
        )
        .expect("status not checked");
    assert_eq!(verified.status, StatusOutcome::NotChecked);
}

#[test]
fn status_is_checked_only_after_the_credential_is_valid() {
    // A revoked list, but the presentation is for the wrong audience: the audience error wins
    // (Token Status List §8.3: status is looked at only for an otherwise valid token).
    let presentation = present(&sign(builder(7)));
    let revoked = status_token(&[(7, Status::Invalid)], 1000, &issuer_key(), STATUS_URI);
    let resolver = resolver_with_status(&revoked);
    let other = sdjwt_vc::VcPolicy::new(sdjwt_verifier::Policy::new(
        sdjwt_verifier::KeyBinding::required("https://someone-else.example", NONCE),
    ));
    let err = VcVerifier::new(&PROVIDER, &trust())
        .with_documents(&resolver)
        .verify(&presentation, &other, NOW)
        .unwrap_err();
    assert!(matches!(err, Error::Verifier(_)), "{err:?}");
}

#[test]
fn untrusted_issuer_and_type_are_rejected() {
    let presentation = present(&sign(builder(7)));
    let token = status_token(&[], 1000, &issuer_key(), STATUS_URI);
    let resolver = resolver_with_status(&token);
    let err = verify(&presentation, &TrustList::new(), &resolver).unwrap_err();
    assert_eq!(
        err,
        Error::UntrustedIssuer {
            iss: Some(ISS.to_owned())
        }
    );
    let mut narrow = TrustList::new();
    narrow
        .add(TrustedIssuer::new(
            ISS,
            vec!["https://credentials.gov.example/driving-licence".to_owned()],
            KeySource::Jwks(vec![issuer_key().to_public()]),
        ))
        .unwrap();
    let err = verify(&presentation, &narrow, &resolver).unwrap_err();
    assert_eq!(
        err,
        Error::IssuerNotTrustedForType {
            iss: ISS.to_owned(),
            vct: VCT.to_owned()
        }
    );
    // Trusted for the type, but with another key: the signature decides.
    let mut wrong_key = TrustList::new();
    wrong_key
        .add(TrustedIssuer::new(
            ISS,
            vec![VCT.to_owned()],
            KeySource::Jwks(vec![other_key().to_public()]),
        ))
        .unwrap();
    let err = verify(&presentation, &wrong_key, &resolver).unwrap_err();
    assert!(matches!(err, Error::Verifier(_)), "{err:?}");
}

#[test]
fn typ_rules() {
    let token = status_token(&[], 1000, &issuer_key(), STATUS_URI);
    let resolver = resolver_with_status(&token);
    // An RFC 9901 SD-JWT with another typ is not an SD-JWT VC.
    let plain = sdjwt_issuer::SdJwtBuilder::new(
        json!({"vct": VCT, "iss": ISS})
            .as_object()
            .cloned()
            .unwrap(),
    )
    .typ("example+sd-jwt")
    .prepare(&PROVIDER)
    .unwrap();
    let signer = PROVIDER.signer(&issuer_key(), JwsAlgorithm::EdDsa).unwrap();
    let text = plain.sign(signer.as_ref()).unwrap().serialize();
    let loose = sdjwt_vc::VcPolicy::new(sdjwt_verifier::Policy::new(
        sdjwt_verifier::KeyBinding::NotRequired,
    ));
    let err = VcVerifier::new(&PROVIDER, &trust())
        .with_documents(&resolver)
        .verify(&text, &loose, NOW)
        .unwrap_err();
    assert_eq!(
        err,
        Error::WrongTyp {
            found: Some("example+sd-jwt".to_owned())
        }
    );
    // The legacy typ only with the opt-in.
    let legacy = sdjwt_issuer::SdJwtBuilder::new(
        json!({"vct": VCT, "iss": ISS})
            .as_object()
            .cloned()
            .unwrap(),
    )
    .typ("vc+sd-jwt")
    .prepare(&PROVIDER)
    .unwrap()
    .sign(signer.as_ref())
    .unwrap()
    .serialize();
    let trust = trust();
    let verifier = VcVerifier::new(&PROVIDER, &trust).with_documents(&resolver);
    assert!(matches!(
        verifier.verify(&legacy, &loose, NOW),
        Err(Error::WrongTyp { .. })
    ));
    verifier
        .verify(&legacy, &loose.clone().accepting_legacy_typ(), NOW)
        .expect("legacy typ accepted when opted in");
}

#[test]
fn missing_vct_and_disclosed_reserved_claims_are_rejected() {
    let signer = PROVIDER.signer(&issuer_key(), JwsAlgorithm::EdDsa).unwrap();
    let loose = sdjwt_vc::VcPolicy::new(sdjwt_verifier::Policy::new(
        sdjwt_verifier::KeyBinding::NotRequired,
    ));
    let trust = trust();
    let verifier = VcVerifier::new(&PROVIDER, &trust);
    let sign_plain = |claims: serde_json::Value, disclose: &[&str]| {
        let mut b =
            sdjwt_issuer::SdJwtBuilder::new(claims.as_object().cloned().unwrap()).typ("dc+sd-jwt");
        for d in disclose {
            b = b.disclose(path(d));
        }
        b.prepare(&PROVIDER)
            .unwrap()
            .sign(signer.as_ref())
            .unwrap()
            .serialize()
    };
    let no_vct = sign_plain(json!({"iss": ISS, "a": 1}), &[]);
    assert_eq!(
        verifier.verify(&no_vct, &loose, NOW).unwrap_err(),
        Error::MissingVct
    );
    // vct hidden in a Disclosure is missing from the signed payload, and disclosed reserved.
    let hidden_vct = sign_plain(json!({"iss": ISS, "vct": VCT}), &["vct"]);
    let err = verifier.verify(&hidden_vct, &loose, NOW).unwrap_err();
    assert_eq!(
        err,
        Error::ReservedClaimDisclosable {
            path: "/vct".to_owned()
        }
    );
    // `exp`, `nbf`, `cnf` and `iss` are refused by the RFC 9901 issuer already (§9.7); the
    // profile's own additions are checked here.
    for reserved in ["status", "vct#integrity", "aka_vcts"] {
        let value = match reserved {
            "aka_vcts" => json!(["urn:example:other"]),
            "vct#integrity" => json!("sha256-vJKakJAQkDYkIhGrT1M3nxRuSj9udH0l1PXB06QHto8="),
            _ => json!({"x": 1}),
        };
        let mut claims = json!({"iss": ISS, "vct": VCT});
        claims[reserved] = value;
        let text = sign_plain(claims, &[reserved]);
        let err = verifier.verify(&text, &loose, NOW).unwrap_err();
        assert_eq!(
            err,
            Error::ReservedClaimDisclosable {
                path: format!("/{}", reserved)
            },
            "{reserved}"
        );
    }
    // A sub-claim counts too.
    let nested = sdjwt_issuer::SdJwtBuilder::new(
        json!({"iss": ISS, "vct": VCT, "status": {"status_list": {"idx": 1, "uri": STATUS_URI}}})
            .as_object()
            .cloned()
            .unwrap(),
    )
    .typ("dc+sd-jwt")
    .disclose(path("status").key(sdjwt_core::ClaimName::new("status_list").unwrap()))
    .prepare(&PROVIDER)
    .unwrap()
    .sign(signer.as_ref())
    .unwrap()
    .serialize();
    let err = verifier.verify(&nested, &loose, NOW).unwrap_err();
    assert_eq!(
        err,
        Error::ReservedClaimDisclosable {
            path: "/status/status_list".to_owned()
        }
    );
}

#[test]
fn issuance_refuses_reserved_disclosures_and_bad_aka_vcts() {
    for reserved in ["iss", "exp", "nbf", "cnf", "vct", "status"] {
        let err = builder(1)
            .disclose(path(reserved))
            .prepare(&PROVIDER)
            .unwrap_err();
        assert!(
            matches!(err, Error::ReservedClaimDisclosable { .. }),
            "{reserved}: {err:?}"
        );
    }
    let mut claims = claims();
    claims.insert("aka_vcts".into(), json!([VCT]));
    let err = sdjwt_vc::VcBuilder::new(VCT, claims)
        .prepare(&PROVIDER)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidClaim {
                claim: "aka_vcts",
                ..
            }
        ),
        "{err:?}"
    );
    let err = sdjwt_vc::VcBuilder::new("has space", common::claims())
        .prepare(&PROVIDER)
        .unwrap_err();
    assert!(matches!(err, Error::InvalidVct { .. }));
    // iat and sub may be disclosed (§2.2.2.3).
    let mut with_sub = common::claims();
    with_sub.insert("sub".into(), json!("holder-1"));
    sdjwt_vc::VcBuilder::new(VCT, with_sub)
        .disclose(path("sub"))
        .prepare(&PROVIDER)
        .expect("sub may be disclosable");
}

#[test]
fn aka_vcts_types_must_all_be_trusted() {
    let mut claims = claims();
    claims.insert("aka_vcts".into(), json!(["urn:example:eu:work-permit"]));
    let text = sign(
        sdjwt_vc::VcBuilder::new(VCT, claims)
            .issuer(ISS)
            .issued_at(NOW)
            .holder_key(&holder_key().to_public()),
    );
    let presentation = present(&text);
    let err = verify(&presentation, &trust(), &sdjwt_fetch::StaticResolver::new()).unwrap_err();
    assert_eq!(
        err,
        Error::IssuerNotTrustedForType {
            iss: ISS.to_owned(),
            vct: "urn:example:eu:work-permit".to_owned()
        }
    );
}

#[test]
fn issuer_metadata_discovery() {
    let presentation = present(&sign(builder(7)));
    let token = status_token(&[], 1000, &issuer_key(), STATUS_URI);
    let mut trust = TrustList::new();
    trust
        .add(TrustedIssuer::new(
            ISS,
            vec![VCT.to_owned()],
            KeySource::IssuerMetadata,
        ))
        .unwrap();
    let metadata_url = "https://immigration.gov.example/.well-known/jwt-vc-issuer";
    let with_metadata = |doc: serde_json::Value| {
        let mut r = resolver_with_status(&token);
        r.insert(
            sdjwt_fetch::HttpsUrl::parse(metadata_url).unwrap(),
            doc.to_string().into_bytes(),
            Some("application/json"),
        );
        r
    };
    let jwks = json!({"keys": [serde_json::Value::Object(issuer_key().to_public().to_json())]});
    let good = with_metadata(json!({"issuer": ISS, "jwks": jwks}));
    verify(&presentation, &trust, &good).expect("keys from metadata");
    // jwks_uri.
    let mut via_uri =
        with_metadata(json!({"issuer": ISS, "jwks_uri": "https://keys.gov.example/jwks.json"}));
    via_uri.insert(
        sdjwt_fetch::HttpsUrl::parse("https://keys.gov.example/jwks.json").unwrap(),
        jwks.to_string().into_bytes(),
        Some("application/json"),
    );
    verify(&presentation, &trust, &via_uri).expect("keys from jwks_uri");
    // Metadata for someone else, or with both members, or none at all: rejected.
    for bad in [
        json!({"issuer": "https://evil.example", "jwks": jwks}),
        json!({"issuer": ISS, "jwks": jwks, "jwks_uri": "https://keys.gov.example/jwks.json"}),
        json!({"issuer": ISS}),
    ] {
        let err = verify(&presentation, &trust, &with_metadata(bad.clone())).unwrap_err();
        assert!(
            matches!(err, Error::InvalidIssuerMetadata { .. }),
            "{bad}: {err:?}"
        );
    }
    let err = verify(&presentation, &trust, &resolver_with_status(&token)).unwrap_err();
    assert!(matches!(err, Error::KeyDiscovery { .. }), "{err:?}");
}

#[test]
fn did_key_issuer() {
    let did = sdjwt_jose::did::DidKey::from_jwk(&issuer_key().to_public())
        .unwrap()
        .to_string();
    let text = sign(
        sdjwt_vc::VcBuilder::new(VCT, claims())
            .issuer(did.clone())
            .issued_at(NOW)
            .holder_key(&holder_key().to_public())
            .disclose(path("right_to_work")),
    );
    let presentation = present(&text);
    let mut trust = TrustList::new();
    trust
        .add(TrustedIssuer::new(
            did.clone(),
            vec![VCT.to_owned()],
            KeySource::Did,
        ))
        .unwrap();
    let resolver = sdjwt_fetch::StaticResolver::new();
    verify(&presentation, &trust, &resolver).expect("did:key issuer");
    // The same credential under another DID's trust entry does not verify.
    let other = sdjwt_jose::did::DidKey::from_jwk(&other_key().to_public())
        .unwrap()
        .to_string();
    let mut wrong = TrustList::new();
    wrong
        .add(TrustedIssuer::new(
            other,
            vec![VCT.to_owned()],
            KeySource::Did,
        ))
        .unwrap();
    assert!(matches!(
        verify(&presentation, &wrong, &resolver),
        Err(Error::UntrustedIssuer { .. })
    ));
}

#[test]
fn trust_list_file_format() {
    let jwk = serde_json::Value::Object(issuer_key().to_public().to_json());
    let dir = std::env::temp_dir().join(format!("sdjwt-vc-trust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("keys.json"), json!({"keys": [jwk]}).to_string()).unwrap();
    let text = format!(
        r#"
format = 1
name = "Test federation"

[[issuer]]
id = "{ISS}"
name = "Immigration Authority"
vct = ["{VCT}"]
keys = "jwks"
jwks_file = "keys.json"

[[issuer]]
id = "https://dvla.gov.example"
vct = ["https://credentials.gov.example/driving-licence"]
keys = "issuer-metadata"
"#
    );
    std::fs::write(dir.join("trust.toml"), &text).unwrap();
    let list = TrustList::from_file(&dir.join("trust.toml")).expect("parses");
    assert_eq!(list.issuers().len(), 2);
    assert_eq!(
        list.issuer(ISS).unwrap().keys,
        KeySource::Jwks(vec![issuer_key().to_public()])
    );
    assert_eq!(list.issuer(ISS).unwrap().label(), "Immigration Authority");
    for (bad, why) in [
        ("format = 2\n", "format"),
        (
            "format = 1\n[[issuer]]\nid = \"x\"\nvct = [\"t\"]\nkeys = \"magic\"\n",
            "keys",
        ),
        (
            "format = 1\n[[issuer]]\nid = \"x\"\nvct = []\nkeys = \"did\"\n",
            "vct",
        ),
        (
            "format = 1\n[[issuer]]\nid = \"http://x\"\nvct = [\"t\"]\nkeys = \"issuer-metadata\"\n",
            "https",
        ),
        (
            "format = 1\n[[issuer]]\nid = \"did:key:z6Mk\"\nvct = [\"t\"]\nkeys = \"did\"\ntrust_anchors = \"x\"\n",
            "field",
        ),
        (
            "format = 1\n[[issuer]]\nid = \"x\"\nvct = [\"t\"]\nkeys = \"did\"\nvtc = 1\n",
            "typo",
        ),
        (
            "format = 1\n[[issuer]]\nid = \"x\"\nvct = [\"t\"]\nkeys = \"jwks\"\n",
            "no keys",
        ),
    ] {
        let err = TrustList::parse(bad, None).unwrap_err();
        assert!(
            matches!(err, Error::InvalidTrustList { .. }),
            "{why}: {err:?}"
        );
    }
    // Private keys never belong in a trust list.
    let private = format!(
        "format = 1\n[[issuer]]\nid = \"x\"\nvct = [\"t\"]\nkeys = \"jwks\"\njwks = {{ keys = [ {} ] }}\n",
        toml_inline(&serde_json::Value::Object(issuer_key().to_private_json()))
    );
    let err = TrustList::parse(&private, None).unwrap_err();
    assert!(err.to_string().contains("private"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A flat JSON object of strings as a TOML inline table.
fn toml_inline(value: &serde_json::Value) -> String {
    let members: Vec<String> = value
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| format!("{k} = {:?}", v.as_str().unwrap()))
        .collect();
    format!("{{ {} }}", members.join(", "))
}
