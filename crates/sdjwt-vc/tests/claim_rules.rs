//! Claim metadata rules (draft-ietf-oauth-sd-jwt-vc §5.6): what an issuer refuses to issue, and
//! what a verifier refuses to accept, once Type Metadata is in force.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{ISS, NOW, PROVIDER, issuer_key, sign};
use sdjwt_core::{ClaimName, ClaimPath};
use sdjwt_holder::{AcceptOptions, Credential};
use sdjwt_issuer::{Decoys, SdJwtBuilder};
use sdjwt_jose::{CryptoProvider, HashAlgorithm, JwsAlgorithm};
use sdjwt_vc::integrity::Integrity;
use sdjwt_vc::type_metadata::{EffectiveTypeMetadata, LocalTypeMetadata, TypeMetadataResolver};
use sdjwt_vc::{
    Error, KeySource, TrustList, TrustedIssuer, TypeMetadataPolicy, VcBuilder, VcPolicy,
    VcVerifier, VerifiedCredential,
};
use sdjwt_verifier::{KeyBinding, Policy};
use serde_json::{Map, Value, json};

/// The type of the spec's claim-path example credential.
const EDU: &str = "https://betelgeuse.example.com/education_credential/v42";

/// A claim path from a JSON-pointer-like string: all-digit segments are array indices.
fn p(pointer: &str) -> ClaimPath {
    pointer
        .split('/')
        .skip(1)
        .fold(ClaimPath::root(), |path, segment| {
            match segment.parse::<usize>() {
                Ok(i) => path.index(i),
                Err(_) => path.key(ClaimName::new(segment).unwrap()),
            }
        })
}

/// The spec's "Example Credential for Claim Path" (§5.6.1.1), read in place; `None` after a
/// note when the spec-sources folder is absent outside CI.
fn spec_credential() -> Option<Map<String, Value>> {
    let Some(dir) = sdjwt_test::spec_sources() else {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "CI=true but the spec-sources folder is missing: set SDJWT_SPEC_SOURCES or provide \
             ../shared/spec-sources"
        );
        eprintln!(
            "note: spec-sources folder not found (SDJWT_SPEC_SOURCES or ../shared/spec-sources); \
             claim-path example test skipped"
        );
        return None;
    };
    let path = dir.join("sd-jwt-vc/extracted-figures/example-credential-for-claim-path.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let claims = sdjwt_jose::json::parse_object(&bytes).unwrap();
    assert_eq!(claims.get("vct"), Some(&json!(EDU)));
    Some(claims)
}

/// The Type Metadata document of [`EDU`] with these claim metadata entries.
fn document(claims: Value) -> String {
    json!({"vct": EDU, "name": "test type", "claims": claims}).to_string()
}

fn source(claims: Value) -> LocalTypeMetadata {
    let mut local = LocalTypeMetadata::new();
    local.insert(EDU, document(claims));
    local
}

/// The effective metadata of [`EDU`] with these claim metadata entries.
fn effective(claims: Value) -> EffectiveTypeMetadata {
    TypeMetadataResolver::new(&source(claims), &PROVIDER)
        .resolve(EDU, None)
        .expect("test metadata resolves")
}

/// An education credential with the spec's claims, checked against `claims` metadata.
fn edu(credential: &Map<String, Value>, claims: Value) -> VcBuilder {
    VcBuilder::new(EDU, credential.clone())
        .issuer(ISS)
        .issued_at(NOW - 10)
        .type_metadata(effective(claims))
}

fn rule_error(path: &str, rule: &'static str) -> Error {
    Error::SelectiveDisclosureRule {
        path: path.to_owned(),
        rule,
    }
}

// --- Issuance ---

#[test]
fn issuance_refuses_a_missing_mandatory_claim() {
    let Some(credential) = spec_credential() else {
        return;
    };
    let missing = |claims: Value| edu(&credential, claims).prepare(&PROVIDER);
    assert_eq!(
        missing(json!([{"path": ["date_of_birth"], "mandatory": true}])).unwrap_err(),
        Error::MandatoryClaimMissing {
            path: r#"["date_of_birth"]"#.to_owned()
        }
    );
    assert_eq!(
        missing(json!([{"path": ["address", "country"], "mandatory": true}])).unwrap_err(),
        Error::MandatoryClaimMissing {
            path: r#"["address","country"]"#.to_owned()
        }
    );
    // An index past the end of an array.
    assert!(matches!(
        missing(json!([{"path": ["degrees", 2], "mandatory": true}])),
        Err(Error::MandatoryClaimMissing { .. })
    ));
    // Registered claims count: `exp` is mandatory here and not set.
    assert!(matches!(
        missing(json!([{"path": ["exp"], "mandatory": true}])),
        Err(Error::MandatoryClaimMissing { .. })
    ));
    // The controls: every one of these is present.
    edu(
        &credential,
        json!([
            {"path": ["name"], "mandatory": true},
            {"path": ["address", "city"], "mandatory": true},
            {"path": ["degrees", 1], "mandatory": true},
            {"path": ["degrees", null, "type"], "mandatory": true},
            {"path": ["nationalities", null], "mandatory": true},
            {"path": ["iss"], "mandatory": true},
            {"path": ["iat"], "mandatory": true},
            {"path": ["vct"], "mandatory": true},
            {"path": ["exp"], "mandatory": false}
        ]),
    )
    .prepare(&PROVIDER)
    .expect("all mandatory claims present");
    edu(&credential, json!([{"path": ["exp"], "mandatory": true}]))
        .expires_at(NOW + 3600)
        .prepare(&PROVIDER)
        .expect("exp given");
    // A wildcard needs the claim in every element.
    let mut one_type = credential.clone();
    one_type["degrees"][1]
        .as_object_mut()
        .unwrap()
        .remove("type");
    assert!(matches!(
        edu(
            &one_type,
            json!([{"path": ["degrees", null, "type"], "mandatory": true}])
        )
        .prepare(&PROVIDER),
        Err(Error::MandatoryClaimMissing { .. })
    ));
    // Even when the missing claim would have been disclosable.
    assert!(matches!(
        edu(
            &credential,
            json!([{"path": ["middle_name"], "mandatory": true, "sd": "always"}])
        )
        .prepare(&PROVIDER),
        Err(Error::MandatoryClaimMissing { .. })
    ));
}

#[test]
fn issuance_enforces_sd_always() {
    let Some(credential) = spec_credential() else {
        return;
    };
    let meta = json!([{"path": ["name"], "sd": "always"}]);
    assert_eq!(
        edu(&credential, meta.clone())
            .prepare(&PROVIDER)
            .unwrap_err(),
        rule_error(r#"["name"]"#, "always")
    );
    let prepared = edu(&credential, meta.clone())
        .disclose(p("/name"))
        .prepare(&PROVIDER)
        .expect("name disclosable");
    assert_eq!(prepared.disclosures().len(), 1);
    // Making the parent disclosable does not make the child so (§5.6, "solely because one of
    // its ancestors is").
    let nested = json!([{"path": ["address", "city"], "sd": "always"}]);
    assert_eq!(
        edu(&credential, nested.clone())
            .disclose(p("/address"))
            .prepare(&PROVIDER)
            .unwrap_err(),
        rule_error(r#"["address","city"]"#, "always")
    );
    edu(&credential, nested)
        .disclose(p("/address"))
        .disclose(p("/address/city"))
        .prepare(&PROVIDER)
        .expect("city itself disclosable");
    // A rule for a claim the credential does not have selects nothing and passes.
    edu(&credential, json!([{"path": ["hobbies"], "sd": "always"}]))
        .prepare(&PROVIDER)
        .expect("nothing selected");
}

#[test]
fn issuance_enforces_sd_never() {
    let Some(credential) = spec_credential() else {
        return;
    };
    let meta = json!([{"path": ["address", "city"], "sd": "never"}]);
    assert_eq!(
        edu(&credential, meta.clone())
            .disclose(p("/address/city"))
            .prepare(&PROVIDER)
            .unwrap_err(),
        rule_error(r#"["address","city"]"#, "never")
    );
    // The parent may be disclosable: the city inside it is then not itself a Disclosure.
    edu(&credential, meta.clone())
        .disclose(p("/address"))
        .disclose(p("/address/street_address"))
        .prepare(&PROVIDER)
        .expect("parent disclosable, city plaintext inside it");
    // Registered claims the issuer adds are checked too.
    assert_eq!(
        edu(&credential, json!([{"path": ["iat"], "sd": "never"}]))
            .disclose(p("/iat"))
            .prepare(&PROVIDER)
            .unwrap_err(),
        rule_error(r#"["iat"]"#, "never")
    );
}

#[test]
fn issuance_refuses_paths_through_non_objects_and_non_arrays() {
    let Some(credential) = spec_credential() else {
        return;
    };
    for (meta, why) in [
        (json!([{"path": ["name", "first"]}]), "key into a string"),
        (json!([{"path": ["name", 0]}]), "index into a string"),
        (json!([{"path": ["name", null]}]), "wildcard over a string"),
        (
            json!([{"path": ["address", null]}]),
            "wildcard over an object",
        ),
        (json!([{"path": ["address", 0]}]), "index into an object"),
        (json!([{"path": ["degrees", "type"]}]), "key into an array"),
        (
            json!([{"path": ["nationalities", null, "code"]}]),
            "key into array strings",
        ),
        (
            json!([{"path": ["degrees", null, "type", null]}]),
            "wildcard over wildcard-selected strings",
        ),
    ] {
        match edu(&credential, meta.clone()).prepare(&PROVIDER) {
            Err(Error::ClaimPathError { path, .. }) => {
                assert_eq!(path, meta[0]["path"].to_string(), "{why}");
            }
            other => panic!("{why}: expected ClaimPathError, got {other:?}"),
        }
    }
    // A path through a claim that is absent selects nothing: not an error (§5.6.1.2 step 2.1).
    edu(&credential, json!([{"path": ["missing", "deeper", 0]}]))
        .prepare(&PROVIDER)
        .expect("absent claims are removed from the selection");
    // Nor is an index past the end followed by more components.
    edu(&credential, json!([{"path": ["degrees", 5, "type"]}]))
        .prepare(&PROVIDER)
        .expect("index out of range removes the array");
}

#[test]
fn issuance_with_wildcards_and_indices() {
    let Some(credential) = spec_credential() else {
        return;
    };
    // Every `type` in `degrees` must be disclosable.
    let types = json!([{"path": ["degrees", null, "type"], "sd": "always"}]);
    assert_eq!(
        edu(&credential, types.clone())
            .disclose(p("/degrees/0/type"))
            .prepare(&PROVIDER)
            .unwrap_err(),
        rule_error(r#"["degrees",null,"type"]"#, "always")
    );
    let prepared = edu(&credential, types)
        .disclose(p("/degrees/0/type"))
        .disclose(p("/degrees/1/type"))
        .prepare(&PROVIDER)
        .expect("both types disclosable");
    assert_eq!(prepared.disclosures().len(), 2);

    // An index selects one element only.
    let second = json!([{"path": ["nationalities", 1], "sd": "never"}]);
    assert_eq!(
        edu(&credential, second.clone())
            .disclose(p("/nationalities/1"))
            .prepare(&PROVIDER)
            .unwrap_err(),
        rule_error(r#"["nationalities",1]"#, "never")
    );
    edu(&credential, second)
        .disclose(p("/nationalities/0"))
        .prepare(&PROVIDER)
        .expect("the other element may be disclosable");

    // The spec example's array rules: each degree disclosable, a member of it never.
    let degrees = json!([
        {"path": ["degrees"], "sd": "never"},
        {"path": ["degrees", null], "sd": "always"},
        {"path": ["degrees", null, "university"], "sd": "never"},
        {"path": ["degrees", null, "type"], "sd": "always"}
    ]);
    let elements = || {
        edu(&credential, degrees.clone())
            .disclose(p("/degrees/0"))
            .disclose(p("/degrees/1"))
            .disclose(p("/degrees/0/type"))
            .disclose(p("/degrees/1/type"))
    };
    elements().prepare(&PROVIDER).expect("compliant selection");
    assert_eq!(
        elements()
            .disclose(p("/degrees/1/university"))
            .prepare(&PROVIDER)
            .unwrap_err(),
        rule_error(r#"["degrees",null,"university"]"#, "never")
    );
    assert_eq!(
        elements()
            .disclose(p("/degrees"))
            .prepare(&PROVIDER)
            .unwrap_err(),
        rule_error(r#"["degrees"]"#, "never")
    );
    // Only one element disclosable breaks `["degrees", null]: always`.
    assert_eq!(
        edu(&credential, degrees.clone())
            .disclose(p("/degrees/0"))
            .disclose(p("/degrees/0/type"))
            .disclose(p("/degrees/1/type"))
            .prepare(&PROVIDER)
            .unwrap_err(),
        rule_error(r#"["degrees",null]"#, "always")
    );
}

#[test]
fn issuance_refuses_metadata_of_another_type() {
    let other = {
        let mut local = LocalTypeMetadata::new();
        local.insert("urn:other", json!({"vct": "urn:other"}).to_string());
        TypeMetadataResolver::new(&local, &PROVIDER)
            .resolve("urn:other", None)
            .unwrap()
    };
    let err = VcBuilder::new(EDU, Map::new())
        .type_metadata(other)
        .prepare(&PROVIDER)
        .unwrap_err();
    assert_eq!(
        err,
        Error::TypeMetadataVctMismatch {
            expected: EDU.to_owned(),
            found: "urn:other".to_owned()
        }
    );
}

// --- Verification ---

/// Claims that do not depend on the spec-sources folder.
fn student() -> Map<String, Value> {
    json!({
        "name": "Ford Prefect",
        "address": {"street_address": "1 Guide Lane", "city": "Betelgeuse City"},
        "degrees": [{"type": "BSc", "university": "Betelgeuse"}],
        "nationalities": ["Betelgeusian"]
    })
    .as_object()
    .cloned()
    .unwrap()
}

/// `name` mandatory and always disclosable, `degrees` never, `nationalities` always.
fn student_rules() -> Value {
    json!([
        {"path": ["name"], "mandatory": true, "sd": "always"},
        {"path": ["degrees"], "sd": "never"},
        {"path": ["nationalities"], "sd": "always"},
        {"path": ["address", "city"], "mandatory": true}
    ])
}

fn edu_trust() -> TrustList {
    let mut list = TrustList::new();
    list.add(TrustedIssuer::new(
        ISS,
        vec![EDU.to_owned()],
        KeySource::Jwks(vec![issuer_key().to_public()]),
    ))
    .unwrap();
    list
}

fn required() -> VcPolicy {
    VcPolicy::new(Policy::new(KeyBinding::NotRequired))
        .with_type_metadata(TypeMetadataPolicy::Required)
}

fn if_available() -> VcPolicy {
    VcPolicy::new(Policy::new(KeyBinding::NotRequired))
        .with_type_metadata(TypeMetadataPolicy::IfAvailable)
}

fn verify_with(
    presentation: &str,
    policy: &VcPolicy,
    metadata: Option<&LocalTypeMetadata>,
) -> Result<VerifiedCredential, Error> {
    let trust = edu_trust();
    let verifier = VcVerifier::new(&PROVIDER, &trust);
    let verifier = match metadata {
        Some(source) => verifier.with_type_metadata(source),
        None => verifier,
    };
    verifier.verify(presentation, policy, NOW)
}

/// Issues with the RFC 9901 builder directly: an issuer that ignores the type's rules.
fn sign_raw(claims: Map<String, Value>, disclose: &[&str], decoys: Decoys) -> String {
    let mut claims = claims;
    claims.insert("vct".into(), json!(EDU));
    let signer = PROVIDER.signer(&issuer_key(), JwsAlgorithm::EdDsa).unwrap();
    SdJwtBuilder::new(claims)
        .typ("dc+sd-jwt")
        .issuer(ISS)
        .issued_at(NOW - 10)
        .decoys(decoys)
        .disclose_all(disclose.iter().map(|d| p(d)))
        .prepare(&PROVIDER)
        .unwrap()
        .sign(signer.as_ref())
        .unwrap()
        .serialize()
}

/// A compliant credential for [`student_rules`].
fn compliant() -> VcBuilder {
    VcBuilder::new(EDU, student())
        .issuer(ISS)
        .issued_at(NOW - 10)
        .disclose_all(["/name", "/nationalities", "/address"].map(p))
        .type_metadata(effective(student_rules()))
}

/// The holder's presentation of `paths` only, without key binding.
fn present(credential: &str, paths: &[&str]) -> String {
    let accepted = Credential::accept(
        credential,
        &PROVIDER,
        &[issuer_key().to_public()],
        &AcceptOptions::new(NOW),
    )
    .unwrap();
    let paths: Vec<ClaimPath> = paths.iter().map(|s| p(s)).collect();
    accepted
        .present(&paths, None, &PROVIDER)
        .unwrap()
        .serialize()
}

#[test]
fn compliant_credential_verifies_with_required_metadata() {
    let source = source(student_rules());
    let credential = sign(compliant());
    let verified = verify_with(&credential, &required(), Some(&source)).expect("compliant");
    let metadata = verified.type_metadata.expect("processed");
    assert_eq!(metadata.vct(), EDU);
    assert_eq!(metadata.claims.len(), 4);
    assert_eq!(
        verified.presentation.claims().get("name"),
        Some(&json!("Ford Prefect"))
    );
}

#[test]
fn verifier_rejects_sd_never_claim_made_disclosable() {
    let source = source(student_rules());
    let text = sign_raw(
        student(),
        &["/name", "/nationalities", "/degrees"],
        Decoys::default(),
    );
    assert_eq!(
        verify_with(&text, &required(), Some(&source)).unwrap_err(),
        rule_error(r#"["degrees"]"#, "never")
    );
    // Also when only the array's elements were made disclosable: the rule is about
    // `degrees` itself, which stays plaintext, so that alone passes…
    let elements = sign_raw(
        student(),
        &["/name", "/nationalities", "/degrees/0"],
        Decoys::None,
    );
    verify_with(&elements, &required(), Some(&source)).expect("degrees itself is plaintext");
    // …but a rule on the elements catches it.
    let mut rules = student_rules();
    rules
        .as_array_mut()
        .unwrap()
        .push(json!({"path": ["degrees", null], "sd": "never"}));
    let strict = self::source(rules);
    assert_eq!(
        verify_with(&elements, &required(), Some(&strict)).unwrap_err(),
        rule_error(r#"["degrees",null]"#, "never")
    );
    // Withholding the element does not hide the violation: an undisclosed array element is
    // known to be selectively disclosable.
    let withheld = present(&elements, &["/name"]);
    assert_eq!(
        verify_with(&withheld, &required(), Some(&strict)).unwrap_err(),
        rule_error(r#"["degrees",null]"#, "never")
    );
}

#[test]
fn verifier_rejects_plaintext_sd_always_claim() {
    let source = source(student_rules());
    // `nationalities` is plaintext, though the type says `always`.
    let text = sign_raw(student(), &["/name"], Decoys::default());
    assert_eq!(
        verify_with(&text, &required(), Some(&source)).unwrap_err(),
        rule_error(r#"["nationalities"]"#, "always")
    );
    // Nested: `address.city` plaintext inside a disclosable `address`.
    let nested = json!([{"path": ["address", "city"], "sd": "always"}]);
    let text = sign_raw(student(), &["/address"], Decoys::default());
    assert_eq!(
        verify_with(&text, &required(), Some(&self::source(nested))).unwrap_err(),
        rule_error(r#"["address","city"]"#, "always")
    );
}

#[test]
fn withheld_mandatory_claim_is_not_evidence_of_absence() {
    // §5.6: a Verifier must not treat the absence of a disclosable claim from a presentation
    // as the issuer's failure to include it.
    let source = source(student_rules());
    let settings: [fn(SdJwtBuilder) -> SdJwtBuilder; 2] = [|b| b.decoys(Decoys::None), |b| b];
    for decoys in settings {
        let credential = sign(compliant().configure(decoys));
        let presentation = present(&credential, &["/nationalities"]);
        let verified =
            verify_with(&presentation, &required(), Some(&source)).expect("name merely withheld");
        assert!(verified.presentation.claims().get("name").is_none());
        assert!(verified.type_metadata.is_some());
        // Withholding `address` hides the mandatory `address.city` too.
        let bare = present(&credential, &[]);
        verify_with(&bare, &required(), Some(&source)).expect("address withheld");
    }
}

#[test]
fn mandatory_claim_known_to_be_absent_is_rejected() {
    // Issued without `name` by an issuer not checking the type (VcBuilder without
    // `.type_metadata`), with no decoys: once every Disclosure is presented, no digest is
    // left that could hide `name`.
    let source = source(json!([{"path": ["name"], "mandatory": true}]));
    let mut claims = student();
    claims.remove("name");
    let issue = |decoys: fn(SdJwtBuilder) -> SdJwtBuilder| {
        sign(
            VcBuilder::new(EDU, claims.clone())
                .issuer(ISS)
                .issued_at(NOW - 10)
                .disclose(p("/nationalities"))
                .configure(decoys),
        )
    };
    let no_decoys = issue(|b| b.decoys(Decoys::None));
    assert_eq!(
        verify_with(&no_decoys, &required(), Some(&source)).unwrap_err(),
        Error::MandatoryClaimMissing {
            path: r#"["name"]"#.to_owned()
        }
    );
    // With one Disclosure withheld, its digest could be `name`: not evidence.
    let withheld = present(&no_decoys, &[]);
    verify_with(&withheld, &required(), Some(&source)).expect("a digest is still hidden");
    // Decoys are indistinguishable from withheld claims: not evidence either.
    let with_decoys = issue(|b| b.decoys(Decoys::Exact(2)));
    verify_with(&with_decoys, &required(), Some(&source)).expect("decoys could be name");

    // An object with no `_sd` at all: a missing member is certainly missing, decoys at the
    // top level notwithstanding.
    let country = self::source(json!([{"path": ["address", "country"], "mandatory": true}]));
    let nested = issue(|b| b.decoys(Decoys::Exact(2)));
    assert_eq!(
        verify_with(&nested, &required(), Some(&country)).unwrap_err(),
        Error::MandatoryClaimMissing {
            path: r#"["address","country"]"#.to_owned()
        }
    );
    // Nothing selectively disclosable at all: no `_sd` anywhere, so `name` is known missing.
    let plain = sign(
        VcBuilder::new(EDU, claims.clone())
            .issuer(ISS)
            .issued_at(NOW - 10),
    );
    assert!(matches!(
        verify_with(&plain, &required(), Some(&source)),
        Err(Error::MandatoryClaimMissing { .. })
    ));
}

#[test]
fn required_metadata_without_a_source_is_unavailable() {
    let credential = sign(compliant());
    assert!(matches!(
        verify_with(&credential, &required(), None),
        Err(Error::TypeMetadataUnavailable { vct, .. }) if vct == EDU
    ));
    // A source that does not know the type.
    let empty = LocalTypeMetadata::new();
    assert!(matches!(
        verify_with(&credential, &required(), Some(&empty)),
        Err(Error::TypeMetadataUnavailable { .. })
    ));
    // A known type whose base is unknown cannot be fully processed either (§5.7).
    let mut broken_chain = LocalTypeMetadata::new();
    broken_chain.insert(EDU, json!({"vct": EDU, "extends": "urn:gone"}).to_string());
    assert!(matches!(
        verify_with(&credential, &required(), Some(&broken_chain)),
        Err(Error::TypeMetadataUnavailable { vct, .. }) if vct == "urn:gone"
    ));
}

#[test]
fn if_available_without_metadata_accepts_without_it() {
    // A credential that breaks the rules it would be held to, if they were available.
    let text = sign_raw(student(), &["/degrees"], Decoys::default());
    let verified = verify_with(&text, &if_available(), None).expect("no source");
    assert!(verified.type_metadata.is_none());
    let empty = LocalTypeMetadata::new();
    let verified = verify_with(&text, &if_available(), Some(&empty)).expect("no document");
    assert!(verified.type_metadata.is_none());
    // Once retrieved, the rules apply in full.
    let source = source(student_rules());
    assert!(matches!(
        verify_with(&text, &if_available(), Some(&source)),
        Err(Error::SelectiveDisclosureRule { .. })
    ));
    // `Ignore` never looks.
    let ignore = VcPolicy::new(Policy::new(KeyBinding::NotRequired))
        .with_type_metadata(TypeMetadataPolicy::Ignore);
    let verified = verify_with(&text, &ignore, Some(&source)).expect("ignored");
    assert!(verified.type_metadata.is_none());
}

#[test]
fn vct_integrity_is_enforced_on_a_retrieved_document() {
    let source = source(student_rules());
    let good = Integrity::compute(
        &PROVIDER,
        HashAlgorithm::Sha256,
        document(student_rules()).as_bytes(),
    )
    .unwrap();
    let credential = sign(compliant().vct_integrity(good));
    for policy in [required(), if_available()] {
        let verified = verify_with(&credential, &policy, Some(&source)).expect("integrity matches");
        assert!(verified.type_metadata.is_some());
    }
    // A document that is not the one the issuer pinned: rejected even under IfAvailable.
    let pinned = Integrity::compute(
        &PROVIDER,
        HashAlgorithm::Sha256,
        b"{\"vct\":\"another version\"}",
    )
    .unwrap();
    let credential = sign(compliant().vct_integrity(pinned.clone()));
    for policy in [required(), if_available()] {
        assert_eq!(
            verify_with(&credential, &policy, Some(&source)).unwrap_err(),
            Error::IntegrityMismatch {
                expected: pinned.as_str().to_owned()
            }
        );
    }
    // Without a document, IfAvailable still accepts (nothing was retrieved to check).
    let verified = verify_with(&credential, &if_available(), None).expect("nothing retrieved");
    assert!(verified.type_metadata.is_none());
    // An unsupported algorithm alone is a rejection, not a pass.
    let md5 = Integrity::parse("md5-1B2M2Y8AsgTpgAmY7PhCfg==").unwrap();
    let credential = sign(compliant().vct_integrity(md5));
    assert!(matches!(
        verify_with(&credential, &if_available(), Some(&source)),
        Err(Error::IntegrityUnsupported { .. })
    ));
}

/// Array decoys and index paths.
///
/// §5.6 evaluates integer and `null` path components "against the array as issued, counting
/// array elements that are not disclosed". A verifier cannot tell a decoy placeholder from an
/// undisclosed element, so a decoy inserted *before* an index-addressed element shifts it:
/// `["nationalities", 0]: never` then selects the decoy (seen as a disclosable element) and a
/// compliant credential is rejected. `VcBuilder` validates the issuer input (no decoys) but
/// the RFC 9901 builder then inserts array decoys at random positions.
///
/// Ignored until fixed: see the report (array decoys should be appended after the issued
/// elements, or left out, when the type's claim metadata addresses array indices).
#[test]

fn array_decoys_do_not_break_index_rules() {
    let rules = json!([
        {"path": ["nationalities", 0], "sd": "never"},
        {"path": ["nationalities", 1], "sd": "always"}
    ]);
    let source = source(rules.clone());
    let mut claims = student();
    claims.insert("nationalities".into(), json!(["British", "Betelgeusian"]));
    let mut failures = Vec::new();
    for seed in 0..16 {
        let provider: CryptoProvider = sdjwt_test::deterministic(PROVIDER, seed);
        let prepared = VcBuilder::new(EDU, claims.clone())
            .issuer(ISS)
            .issued_at(NOW - 10)
            .disclose(p("/nationalities/1"))
            .configure(|b| b.decoys(Decoys::Exact(3)))
            .type_metadata(effective(rules.clone()))
            .prepare(&provider)
            .expect("the issuer input is compliant");
        let signer = PROVIDER.signer(&issuer_key(), JwsAlgorithm::EdDsa).unwrap();
        let text = prepared.sign(signer.as_ref()).unwrap().serialize();
        if let Err(e) = verify_with(&text, &required(), Some(&source)) {
            failures.push((seed, e));
        }
    }
    assert!(
        failures.is_empty(),
        "compliant credentials rejected: {failures:?}"
    );
}
