//! The holder's disclosure policy: who may ask for what, and how it narrows a DCQL query.

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used)]

mod dcql_support;

use dcql_support::{Spec, Wallet, user_claims};
use sdjwt_holder::dcql::{DcqlError, DcqlQuery, MatchOptions};
use sdjwt_holder::policy::{Policy, PolicyError, PolicyNote, PolicyRefusal, RefusalReason};
use serde_json::{Value, json};

const ID: &str = "https://credentials.example.gov/identity";
const EMPLOYER: &str = "https://employer.example";
const NOSY: &str = "https://nosy.example";

const POLICY: &str = r#"
[purposes.right_to_work]
description = "Right-to-work check by an employer"
credential_types = ["https://credentials.example.gov/identity"]
claims = [["right_to_work"]]

[purposes.age]
description = "Proof of age"
claims = [["age_over_18"]]

[purposes.postal]
claims = [["address"], ["degrees", {}, "type"], ["nationalities", 0]]

[[verifiers]]
id = "https://employer.example"
name = "Acme Ltd"
purposes = ["right_to_work"]

[[verifiers]]
id = "https://nosy.example"
purposes = ["right_to_work"]

[[verifiers]]
id = "https://shop.example"
purposes = ["age"]

[[verifiers]]
id = "https://post.example"
purposes = ["postal"]
claims = [["given_name"]]

[[verifiers]]
id = "https://friend.example"
claims = [["given_name"]]
"#;

fn policy() -> Policy {
    Policy::from_toml_str(POLICY).expect("policy parses")
}

fn query(vct: &str, claims: Value) -> DcqlQuery {
    let mut c = json!({"id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": [vct]}});
    if !claims.is_null() {
        c["claims"] = claims;
    }
    DcqlQuery::from_value(&json!({ "credentials": [c] })).expect("query")
}

fn refusal(r: Result<impl std::fmt::Debug, PolicyRefusal>) -> PolicyRefusal {
    r.expect_err("refused")
}

fn wallet() -> Wallet {
    let mut w = Wallet::new();
    w.add(Spec::vc(
        json!({"vct": ID, "given_name": "Ada", "birth_date": "1990-01-01",
               "right_to_work": true, "age_over_18": true,
               "address": {"locality": "Leeds", "street": "1 Main St"}}),
        &[
            "/given_name",
            "/birth_date",
            "/right_to_work",
            "/age_over_18",
            "/address",
            "/address/locality",
            "/address/street",
        ],
    ));
    w
}

#[test]
fn the_employer_gets_right_to_work_and_nothing_else() {
    let w = wallet();
    let q = query(ID, json!([{"path": ["right_to_work"], "values": [true]}]));
    let sel = q
        .select_with_policy(&w.refs(), &MatchOptions::new(), &policy(), EMPLOYER)
        .expect("allowed");
    let verified = w.present_and_verify(&sel);
    assert_eq!(
        user_claims(&verified["pid"][0]),
        json!({"right_to_work": true})
    );
}

#[test]
fn an_over_asking_verifier_is_refused_with_every_claim_named() {
    let w = wallet();
    let q = query(
        ID,
        json!([{"path": ["right_to_work"]}, {"path": ["birth_date"]}]),
    );
    let r = q.select_with_policy(&w.refs(), &MatchOptions::new(), &policy(), NOSY);
    let Err(DcqlError::Refused(refused)) = r else {
        panic!("expected a refusal: {r:?}")
    };
    assert_eq!(
        refused.to_string(),
        "verifier https://nosy.example asked for [\"birth_date\"] in credential query `pid`: \
         its registered purposes (right_to_work) allow only [\"right_to_work\"]"
    );

    let q = query(
        ID,
        json!([{"path": ["birth_date"]}, {"path": ["right_to_work"]}, {"path": ["address", "street"]}]),
    );
    let refused = refusal(policy().check(NOSY, &q));
    let RefusalReason::Claims {
        refused: claims,
        sets,
    } = &refused.reason
    else {
        panic!()
    };
    assert!(sets.is_empty());
    let paths: Vec<String> = claims.iter().map(|c| c.path.to_string()).collect();
    assert_eq!(paths, [r#"["birth_date"]"#, r#"["address","street"]"#]);
    assert_eq!(refused.to_string().lines().count(), 2);
}

#[test]
fn an_unregistered_verifier_gets_nothing() {
    let w = wallet();
    for q in [
        query(ID, json!([{"path": ["right_to_work"]}])),
        query(ID, Value::Null),
    ] {
        let r = q.select_with_policy(
            &w.refs(),
            &MatchOptions::new(),
            &policy(),
            "https://unknown.example",
        );
        let Err(DcqlError::Refused(refused)) = r else {
            panic!("expected a refusal")
        };
        assert_eq!(refused.reason, RefusalReason::Unregistered);
        assert_eq!(
            refused.to_string(),
            "verifier https://unknown.example is not registered in the disclosure policy: it gets nothing"
        );
    }
    // Registered, asking no claims: allowed.
    assert!(policy().check(EMPLOYER, &query(ID, Value::Null)).is_ok());
}

#[test]
fn claim_sets_options_needing_a_refused_claim_are_dropped() {
    let w = wallet();
    let q = DcqlQuery::from_value(&json!({"credentials": [{
        "id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": [ID]},
        "claims": [{"id": "dob", "path": ["birth_date"]}, {"id": "adult", "path": ["age_over_18"]}],
        "claim_sets": [["dob"], ["adult"]]
    }]}))
    .expect("query");
    let decision = policy().check("https://shop.example", &q).expect("allowed");
    assert_eq!(decision.notes().len(), 1);
    assert!(matches!(
        &decision.notes()[0],
        PolicyNote::ClaimSetOptionDropped { option: 0, refused, .. } if refused[0].to_string() == r#"["birth_date"]"#
    ));
    let narrowed = &decision.query().credentials()[0];
    assert_eq!(narrowed.claims().map(<[_]>::len), Some(1));
    assert_eq!(narrowed.claim_sets().map(<[_]>::len), Some(1));
    let sel = q
        .select_with_policy(
            &w.refs(),
            &MatchOptions::new(),
            &policy(),
            "https://shop.example",
        )
        .expect("allowed");
    let verified = w.present_and_verify(&sel);
    assert_eq!(
        user_claims(&verified["pid"][0]),
        json!({"age_over_18": true})
    );

    // No option left: the query is refused, naming the claims.
    let refused = refusal(policy().check(EMPLOYER, &q));
    assert_eq!(
        refused.to_string(),
        "verifier https://employer.example asked for [\"birth_date\"] in credential query `pid`: its registered purposes (right_to_work) allow only [\"right_to_work\"]\n\
         verifier https://employer.example asked for [\"age_over_18\"] in credential query `pid`: its registered purposes (right_to_work) allow only [\"right_to_work\"]"
    );
}

#[test]
fn coverage_is_by_prefix_and_null() {
    let p = policy();
    let post = "https://post.example";
    for (claims, ok) in [
        (json!([{"path": ["address", "locality"]}]), true),
        (json!([{"path": ["address"]}]), true),
        (json!([{"path": ["degrees", 0, "type"]}]), true),
        (json!([{"path": ["degrees", null, "type"]}]), true),
        (json!([{"path": ["degrees", null]}]), false),
        (json!([{"path": ["degrees", 0, "university"]}]), false),
        (json!([{"path": ["nationalities", 0]}]), true),
        (json!([{"path": ["nationalities", 1]}]), false),
        (json!([{"path": ["nationalities", null]}]), false),
        (json!([{"path": ["given_name"]}]), true),
        (json!([{"path": ["addresses"]}]), false),
    ] {
        assert_eq!(
            p.check(post, &query("any", claims.clone())).is_ok(),
            ok,
            "{claims}"
        );
    }
    // Claims by identity alone.
    assert!(
        p.check(
            "https://friend.example",
            &query("any", json!([{"path": ["given_name"]}]))
        )
        .is_ok()
    );
    let refused = refusal(p.check(
        "https://friend.example",
        &query("any", json!([{"path": ["age_over_18"]}])),
    ));
    assert!(
        refused
            .to_string()
            .ends_with("its entry in the disclosure policy allows only [\"given_name\"]"),
        "{refused}"
    );
    let refused = refusal(p.check(post, &query("any", json!([{"path": ["x"]}]))));
    assert!(refused.to_string().contains("its registered purposes (postal) and its own entry allow only [\"given_name\"], [\"address\"]"), "{refused}");
}

#[test]
fn credential_types_limit_a_purpose() {
    let refused = refusal(policy().check(
        EMPLOYER,
        &query(
            "https://other.example/id",
            json!([{"path": ["right_to_work"]}]),
        ),
    ));
    assert_eq!(
        refused.to_string(),
        "verifier https://employer.example asked for [\"right_to_work\"] in credential query `pid`: \
         its registered purposes (right_to_work) allow nothing for this credential query; purpose \
         right_to_work applies only to credential types https://credentials.example.gov/identity"
    );
    // A query accepting the allowed type and another one is refused too.
    let q = DcqlQuery::from_value(&json!({"credentials": [{
        "id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": [ID, "https://other.example/id"]},
        "claims": [{"path": ["right_to_work"]}]
    }]}))
    .expect("query");
    assert!(policy().check(EMPLOYER, &q).is_err());
    // So is an mdoc query.
    let q = DcqlQuery::from_value(&json!({"credentials": [{
        "id": "mdl", "format": "mso_mdoc", "meta": {"doctype_value": "x"},
        "claims": [{"path": ["right_to_work"]}]
    }]}))
    .expect("query");
    assert!(policy().check(EMPLOYER, &q).is_err());
}

#[test]
fn credential_sets_drop_optional_and_refuse_required() {
    let q = DcqlQuery::from_value(&json!({
        "credentials": [
            {"id": "work", "format": "dc+sd-jwt", "meta": {"vct_values": [ID]}, "claims": [{"path": ["right_to_work"]}]},
            {"id": "dob", "format": "dc+sd-jwt", "meta": {"vct_values": [ID]}, "claims": [{"path": ["birth_date"]}]}
        ],
        "credential_sets": [
            {"options": [["dob"], ["work"]]},
            {"required": false, "options": [["dob"]]}
        ]
    }))
    .expect("query");
    let decision = policy().check(EMPLOYER, &q).expect("allowed");
    assert_eq!(
        decision.notes(),
        [
            PolicyNote::CredentialSetOptionDropped { set: 0, option: 0 },
            PolicyNote::CredentialSetOptionDropped { set: 1, option: 0 },
            PolicyNote::OptionalSetDropped { set: 1 },
        ]
    );
    let ids: Vec<&str> = decision
        .query()
        .credentials()
        .iter()
        .map(|c| c.id().as_str())
        .collect();
    assert_eq!(ids, ["work"]);
    let w = wallet();
    let sel = q
        .select_with_policy(
            &w.refs(),
            &MatchOptions::new().include_optional_sets(true),
            &policy(),
            EMPLOYER,
        )
        .expect("allowed");
    let verified = w.present_and_verify(&sel);
    assert_eq!(verified.keys().collect::<Vec<_>>(), ["work"]);
    assert_eq!(
        user_claims(&verified["work"][0]),
        json!({"right_to_work": true})
    );

    // A required set with every option refused refuses the whole query.
    let q = DcqlQuery::from_value(&json!({
        "credentials": [
            {"id": "work", "format": "dc+sd-jwt", "meta": {"vct_values": [ID]}, "claims": [{"path": ["right_to_work"]}]},
            {"id": "dob", "format": "dc+sd-jwt", "meta": {"vct_values": [ID]}, "claims": [{"path": ["birth_date"]}]}
        ],
        "credential_sets": [{"options": [["work"]]}, {"options": [["dob"]]}]
    }))
    .expect("query");
    let refused = refusal(policy().check(EMPLOYER, &q));
    let RefusalReason::Claims {
        refused: claims,
        sets,
    } = &refused.reason
    else {
        panic!()
    };
    assert_eq!(sets, &[1]);
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].query.as_str(), "dob");
    assert!(
        refused.to_string().ends_with(
            "credential set 1 (required): every option needs a refused credential query"
        )
    );
}

#[test]
fn policy_files_are_strict() {
    let bad = |text: &str| Policy::from_toml_str(text).expect_err("refused");
    assert!(matches!(bad("surprise = 1"), PolicyError::Toml { .. }));
    let e = bad("[purposes.p]\nclaims = [[\"a\"]]\nclaim = [[\"b\"]]\n");
    assert!(
        matches!(&e, PolicyError::Toml { message } if message.contains("claim")),
        "{e}"
    );
    assert!(matches!(
        bad("[[verifiers]]\nid = \"v\"\npurpose = [\"p\"]\n"),
        PolicyError::Toml { .. }
    ));
    assert!(matches!(
        bad("[[verifiers]]\nname = \"no id\"\n"),
        PolicyError::Toml { .. }
    ));
    assert_eq!(
        bad("[[verifiers]]\nid = \"v\"\npurposes = [\"p\"]\n"),
        PolicyError::UnknownPurpose {
            verifier: "v".into(),
            purpose: "p".into()
        }
    );
    assert_eq!(
        bad("[[verifiers]]\nid = \"v\"\n[[verifiers]]\nid = \"v\"\n"),
        PolicyError::DuplicateVerifier { id: "v".into() }
    );
    assert_eq!(
        bad("[[verifiers]]\nid = \"\"\n"),
        PolicyError::EmptyVerifierId { index: 0 }
    );
    for (text, location) in [
        ("[purposes.p]\nclaims = [[]]\n", "purposes.p.claims[0]"),
        (
            "[purposes.p]\nclaims = [[\"a\", -1]]\n",
            "purposes.p.claims[0][1]",
        ),
        (
            "[purposes.p]\nclaims = [[\"a\", 1.5]]\n",
            "purposes.p.claims[0][1]",
        ),
        (
            "[purposes.p]\nclaims = [[\"a\", { all = true }]]\n",
            "purposes.p.claims[0][1]",
        ),
        (
            "[purposes.p]\nclaims = [[true]]\n",
            "purposes.p.claims[0][0]",
        ),
        (
            "[[verifiers]]\nid = \"v\"\nclaims = [[\"a\"], [[\"b\"]]]\n",
            "verifiers[0].claims[1][0]",
        ),
    ] {
        assert_eq!(
            bad(text),
            PolicyError::InvalidPointer {
                location: location.into()
            },
            "{text}"
        );
    }
    let huge = format!("# {}\n", "x".repeat(1024 * 1024));
    assert!(matches!(bad(&huge), PolicyError::TooLarge { .. }));
    // The documented example parses; an empty policy registers nobody.
    let p = policy();
    assert_eq!(
        p.verifier(EMPLOYER).and_then(|v| v.name()),
        Some("Acme Ltd")
    );
    assert_eq!(
        p.purposes()["right_to_work"].description(),
        Some("Right-to-work check by an employer")
    );
    assert!(
        Policy::from_toml_str("")
            .expect("empty")
            .verifiers()
            .is_empty()
    );
}
