//! Matching DCQL queries against held SD-JWT VCs and choosing the least disclosure
//! (OpenID4VP 1.0 §6.4), then presenting and verifying what was chosen.

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used)]

mod dcql_support;

use dcql_support::{
    EDITIONS, PID, Spec, Wallet, example, identity_claims, spec_sources, user_claims,
};
use sdjwt_holder::dcql::{
    AuthorityMatcher, ClaimFailureReason, DcqlError, DcqlQuery, MatchOptions, Mismatch,
    PointerError, QueryFailureReason, Selection, Unsatisfied,
};
use sdjwt_holder::{Credential, KeyBindingRequest};
use serde_json::{Value, json};

fn unsatisfied(r: Result<Selection, DcqlError>) -> Unsatisfied {
    match r {
        Err(DcqlError::Unsatisfied(u)) => u,
        other => panic!("expected Unsatisfied, got {other:?}"),
    }
}

fn query(v: Value) -> DcqlQuery {
    DcqlQuery::from_value(&v).expect("valid query")
}

fn pid_query(claims: Value) -> DcqlQuery {
    query(json!({"credentials": [{
        "id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": [PID]}, "claims": claims
    }]}))
}

#[test]
fn simple_selects_exactly_the_three_claims() {
    let Some(root) = spec_sources() else { return };
    for edition in EDITIONS {
        let (given, family, disclose) = dcql_support::names(edition);
        let mut w = Wallet::new();
        w.add(Spec::vc(identity_claims(given, family), disclose));
        let q = example(&root, edition, "simple.json");
        let sel = q.select(&w.refs(), &MatchOptions::new()).expect("select");
        assert_eq!(sel.queries().len(), 1);
        let chosen = &sel.queries()[0].credentials[0];
        assert_eq!(chosen.credential, 0);
        let mut want = vec![
            format!("/{given}"),
            format!("/{family}"),
            "/address".to_owned(),
            "/address/street_address".to_owned(),
        ];
        want.sort();
        assert_eq!(
            w.disclosed_pointers(0, &chosen.disclosures),
            want,
            "{edition}"
        );
        // The same Disclosures as Credential::select gives for the concrete paths.
        assert_eq!(
            w.credentials[0]
                .select(&chosen.paths)
                .expect("select paths"),
            chosen.disclosures
        );

        let verified = w.present_and_verify(&sel);
        let revealed = user_claims(&verified["my_credential"][0]);
        let mut expected = json!({"address": {"street_address": "42 Market Street"}});
        expected[given] = json!("Arthur");
        expected[family] = json!("Dent");
        assert_eq!(revealed, expected, "{edition}");
        assert_eq!(verified["my_credential"][0]["vct"], json!(PID));
    }
}

#[test]
fn claims_alternatives_picks_the_cheaper_option() {
    let Some(root) = spec_sources() else { return };
    for edition in EDITIONS {
        let (given, family, disclose) = dcql_support::names(edition);
        let mut w = Wallet::new();
        w.add(Spec::vc(identity_claims(given, family), disclose));
        let q = example(&root, edition, "claims_alternatives.json");
        let sel = q.select(&w.refs(), &MatchOptions::new()).expect("select");
        let chosen = &sel.queries()[0].credentials[0];
        // Option 0 needs 4 Disclosures (family name, locality, region, birth date), option 1
        // only 3 (family name, postal code, birth date).
        assert_eq!(chosen.claim_set, Some(1), "{edition}");
        let mut want = vec![
            format!("/{family}"),
            "/date_of_birth".into(),
            "/postal_code".into(),
        ];
        want.sort();
        assert_eq!(w.disclosed_pointers(0, &chosen.disclosures), want);
        let verified = w.present_and_verify(&sel);
        let keys: Vec<String> = user_claims(&verified["pid"][0])
            .as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys.len(), 3, "{keys:?}");

        // Without a postal code only option 0 is left.
        let mut claims = identity_claims(given, family);
        claims.as_object_mut().map(|m| m.remove("postal_code"));
        let disclose: Vec<&str> = disclose
            .iter()
            .copied()
            .filter(|p| *p != "/postal_code")
            .collect();
        let mut w = Wallet::new();
        w.add(Spec::vc(claims, &disclose));
        let sel = q.select(&w.refs(), &MatchOptions::new()).expect("select");
        assert_eq!(sel.queries()[0].credentials[0].claim_set, Some(0));
    }
}

#[test]
fn claim_set_ties_follow_the_verifier_order() {
    let mut w = Wallet::new();
    w.add(Spec::vc(json!({"vct": PID, "a": 1, "b": 2}), &["/a", "/b"]));
    let q = query(json!({"credentials": [{
        "id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": [PID]},
        "claims": [{"id": "a", "path": ["a"]}, {"id": "b", "path": ["b"]}],
        "claim_sets": [["b"], ["a"]]
    }]}));
    let sel = q.select(&w.refs(), &MatchOptions::new()).expect("select");
    assert_eq!(sel.queries()[0].credentials[0].claim_set, Some(0));
    assert_eq!(
        w.disclosed_pointers(0, &sel.queries()[0].credentials[0].disclosures),
        ["/b"]
    );
}

/// The wallet of the credentials_alternatives example: an identity credential, the two
/// reduced credentials, and a rewards card.
fn alternatives_wallet(with_pid: bool) -> Wallet {
    let mut w = Wallet::new();
    if with_pid {
        w.add(Spec::vc(
            json!({"vct": PID, "given_name": "Arthur", "family_name": "Dent",
                   "address": {"street_address": "42 Market Street", "locality": "Milliways"}}),
            &[
                "/given_name",
                "/family_name",
                "/address",
                "/address/street_address",
                "/address/locality",
            ],
        ));
    }
    w.add(Spec::vc(
        json!({"vct": "https://credentials.example.com/reduced_identity_credential",
               "given_name": "Arthur", "family_name": "Dent"}),
        &["/given_name", "/family_name"],
    ));
    w.add(Spec::vc(
        json!({"vct": "https://cred.example/residence_credential",
               "postal_code": "12345", "locality": "Milliways", "region": "Betelgeuse"}),
        &["/postal_code", "/locality", "/region"],
    ));
    w.add(Spec::vc(
        json!({"vct": "https://company.example/company_rewards", "rewards_number": 42}),
        &["/rewards_number"],
    ));
    w
}

#[test]
fn credentials_alternatives_picks_the_cheapest_option_and_omits_nice_to_have() {
    let Some(root) = spec_sources() else { return };
    let q = example(&root, "1.0-final", "credentials_alternatives.json");

    // pid needs 4 Disclosures; the two reduced credentials 2 + 3 = 5.
    let w = alternatives_wallet(true);
    let sel = q.select(&w.refs(), &MatchOptions::new()).expect("select");
    let ids: Vec<&str> = sel.queries().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["pid"]);
    assert_eq!(sel.queries()[0].credentials[0].disclosures.len(), 4);
    let verified = w.present_and_verify(&sel);
    assert_eq!(verified.len(), 1);
    assert_eq!(
        user_claims(&verified["pid"][0]),
        json!({"given_name": "Arthur", "family_name": "Dent",
               "address": {"street_address": "42 Market Street"}})
    );

    // Without pid, the pair of reduced credentials.
    let w = alternatives_wallet(false);
    let sel = q.select(&w.refs(), &MatchOptions::new()).expect("select");
    let ids: Vec<&str> = sel.queries().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["pid_reduced_cred_1", "pid_reduced_cred_2"]);
    let verified = w.present_and_verify(&sel);
    assert_eq!(
        user_claims(&verified["pid_reduced_cred_2"][0]),
        json!({"postal_code": "12345", "locality": "Milliways", "region": "Betelgeuse"})
    );

    // Optional sets only when asked for.
    let w = alternatives_wallet(true);
    let sel = q
        .select(&w.refs(), &MatchOptions::new().include_optional_sets(true))
        .expect("select");
    let ids: Vec<&str> = sel.queries().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["pid", "nice_to_have"]);
    let verified = w.present_and_verify(&sel);
    assert_eq!(
        user_claims(&verified["nice_to_have"][0]),
        json!({"rewards_number": 42})
    );
}

#[test]
fn required_set_that_cannot_be_met_returns_nothing() {
    let Some(root) = spec_sources() else { return };
    let q = example(&root, "1.0-final", "credentials_alternatives.json");
    let mut w = Wallet::new();
    w.add(Spec::vc(
        json!({"vct": "https://company.example/company_rewards", "rewards_number": 42}),
        &["/rewards_number"],
    ));
    let u = unsatisfied(q.select(&w.refs(), &MatchOptions::new().include_optional_sets(true)));
    assert_eq!(u.sets, [0]);
    let ids: Vec<&str> = u.queries.iter().map(|f| f.query.as_str()).collect();
    assert_eq!(
        ids,
        [
            "pid",
            "other_pid",
            "pid_reduced_cred_1",
            "pid_reduced_cred_2"
        ]
    );
    let text = u.to_string();
    assert!(
        text.starts_with("credential set 0 (required): none of its options can be met\n"),
        "{text}"
    );
    assert!(text.contains("credential query `pid`: no credential matches\n  credential 0 (vct https://company.example/company_rewards): its vct \"https://company.example/company_rewards\" (or a type it extends) is not one of the requested vct_values [https://credentials.example.com/identity_credential]"), "{text}");
}

#[test]
fn value_matching_matches_and_fails() {
    let Some(root) = spec_sources() else { return };
    for edition in EDITIONS {
        let (given, family, disclose) = dcql_support::names(edition);
        let q = example(&root, edition, "value_matching_simple.json");
        let mut doe = identity_claims(given, family);
        doe[family] = json!("Doe");
        let mut w = Wallet::new();
        w.add(Spec::vc(identity_claims(given, family), disclose)); // Dent
        w.add(Spec::vc(doe, disclose));
        let sel = q.select(&w.refs(), &MatchOptions::new()).expect("select");
        assert_eq!(
            sel.queries()[0].credentials[0].credential,
            1,
            "only Doe matches"
        );
        let verified = w.present_and_verify(&sel);
        let revealed = user_claims(&verified["my_credential"][0]);
        assert_eq!(revealed[family], json!("Doe"));
        assert_eq!(revealed["postal_code"], json!("90210"));
        assert_eq!(revealed.as_object().map(|m| m.len()), Some(4));

        // Dent alone: the query is not met, and the explanation says why.
        let mut w = Wallet::new();
        w.add(Spec::vc(identity_claims(given, family), disclose));
        let u = unsatisfied(q.select(&w.refs(), &MatchOptions::new()));
        let QueryFailureReason::NoMatch { candidates } = &u.queries[0].reason else {
            panic!("unexpected {u:?}")
        };
        let Mismatch::Claims {
            failures,
            options: None,
        } = &candidates[0].reasons[0]
        else {
            panic!("unexpected {candidates:?}")
        };
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].path.to_string(), format!("[\"{family}\"]"));
        assert!(matches!(
            failures[0].reason,
            ClaimFailureReason::ValueMismatch { .. }
        ));
        assert_eq!(
            u.to_string(),
            format!(
                "credential query `my_credential`: no credential matches\n  credential 0 (vct {PID}): \
                 claim [\"{family}\"] does not have one of the requested values [\"Doe\"]"
            )
        );
    }
}

#[test]
fn value_matching_compares_type_and_value() {
    let mut w = Wallet::new();
    w.add(Spec::vc(
        json!({"vct": PID, "n": 1, "b": true, "s": "1"}),
        &["/n", "/b", "/s"],
    ));
    for (path, values, ok) in [
        ("n", json!([1]), true),
        ("n", json!([true]), false),
        ("n", json!(["1"]), false),
        ("b", json!([true]), true),
        ("b", json!([1]), false),
        ("s", json!(["1"]), true),
        ("s", json!([1]), false),
    ] {
        let q = pid_query(json!([{"path": [path], "values": values}]));
        assert_eq!(
            q.select(&w.refs(), &MatchOptions::new()).is_ok(),
            ok,
            "{path} {values}"
        );
    }
}

#[test]
fn multi_credentials_is_unsatisfiable_without_mdoc() {
    let Some(root) = spec_sources() else { return };
    let q = example(&root, "1.0-final", "multi_credentials.json");
    let mut w = Wallet::new();
    w.add(Spec::vc(
        json!({"vct": PID, "given_name": "A", "family_name": "D", "address": {"street_address": "x"}}),
        &["/given_name", "/family_name", "/address/street_address"],
    ));
    let u = unsatisfied(q.select(&w.refs(), &MatchOptions::new()));
    assert_eq!(u.queries.len(), 1, "pid is met, mdl is not: {u}");
    assert_eq!(u.queries[0].query.as_str(), "mdl");
    assert_eq!(
        u.to_string(),
        "credential query `mdl`: no credential matches\n  this wallet holds no mso_mdoc credentials"
    );
}

#[test]
fn null_selects_every_array_element() {
    let mut w = Wallet::new();
    w.add(Spec::vc(
        json!({"vct": PID,
               "nationalities": ["British", "Betelgeusian"],
               "degrees": [{"type": "BSc", "university": "U"}, {"type": "MSc", "university": "U"}],
               "name": "Arthur"}),
        &[
            "/nationalities/0",
            "/nationalities/1",
            "/degrees/0/type",
            "/degrees/0/university",
            "/degrees/1/type",
            "/degrees/1/university",
            "/name",
        ],
    ));
    let q =
        pid_query(json!([{"path": ["nationalities", null]}, {"path": ["degrees", null, "type"]}]));
    let sel = q.select(&w.refs(), &MatchOptions::new()).expect("select");
    let chosen = &sel.queries()[0].credentials[0];
    assert_eq!(
        w.disclosed_pointers(0, &chosen.disclosures),
        [
            "/degrees/0/type",
            "/degrees/1/type",
            "/nationalities/0",
            "/nationalities/1"
        ]
    );
    let verified = w.present_and_verify(&sel);
    assert_eq!(
        user_claims(&verified["pid"][0]),
        json!({"nationalities": ["British", "Betelgeusian"],
               "degrees": [{"type": "BSc"}, {"type": "MSc"}]})
    );
    // One index only.
    let q = pid_query(json!([{"path": ["nationalities", 1]}]));
    let sel = q.select(&w.refs(), &MatchOptions::new()).expect("select");
    assert_eq!(
        w.disclosed_pointers(0, &sel.queries()[0].credentials[0].disclosures),
        ["/nationalities/1"]
    );
    // null over an object is an error: the claim is unmet.
    let q = pid_query(json!([{"path": ["name", null]}]));
    let u = unsatisfied(q.select(&w.refs(), &MatchOptions::new()));
    assert!(
        u.to_string()
            .contains("claim [\"name\",null] cannot be selected"),
        "{u}"
    );
    let QueryFailureReason::NoMatch { candidates } = &u.queries[0].reason else {
        panic!()
    };
    let [
        Mismatch::Claims {
            failures,
            options: None,
        },
    ] = &candidates[0].reasons[..]
    else {
        panic!("unexpected {candidates:?}")
    };
    assert_eq!(failures[0].path.to_string(), r#"["name",null]"#);
    assert_eq!(
        failures[0].reason,
        ClaimFailureReason::Absent(PointerError::NotAnArray { component: 1 })
    );
}

#[test]
fn multiple_returns_every_match_and_single_the_cheapest() {
    let mut w = Wallet::new();
    w.add(Spec::vc(
        json!({"vct": PID, "address": {"street_address": "1 A St"}}),
        &["/address", "/address/street_address"],
    ));
    w.add(Spec::vc(
        json!({"vct": PID, "address": {"street_address": "2 B St"}}),
        &["/address/street_address"],
    ));
    w.add(Spec::vc(
        json!({"vct": "https://other.example", "address": {"street_address": "3"}}),
        &["/address/street_address"],
    ));
    let many = query(json!({"credentials": [{
        "id": "pid", "format": "dc+sd-jwt", "multiple": true, "meta": {"vct_values": [PID]},
        "claims": [{"path": ["address", "street_address"]}]
    }]}));
    let sel = many
        .select(&w.refs(), &MatchOptions::new())
        .expect("select");
    let chosen: Vec<usize> = sel.queries()[0]
        .credentials
        .iter()
        .map(|c| c.credential)
        .collect();
    assert_eq!(chosen, [0, 1]);
    let verified = w.present_and_verify(&sel);
    assert_eq!(verified["pid"].as_array().map(Vec::len), Some(2));

    let one = pid_query(json!([{"path": ["address", "street_address"]}]));
    let sel = one.select(&w.refs(), &MatchOptions::new()).expect("select");
    let chosen: Vec<usize> = sel.queries()[0]
        .credentials
        .iter()
        .map(|c| c.credential)
        .collect();
    assert_eq!(
        chosen,
        [1],
        "credential 1 needs one Disclosure, credential 0 two"
    );
}

#[test]
fn one_credential_answers_two_queries() {
    let mut w = Wallet::new();
    w.add(Spec::vc(
        json!({"vct": PID, "a": "x", "b": "y", "c": "z"}),
        &["/a", "/b", "/c"],
    ));
    let q = query(json!({"credentials": [
        {"id": "first", "format": "dc+sd-jwt", "meta": {"vct_values": [PID]}, "claims": [{"path": ["a"]}]},
        {"id": "second", "format": "dc+sd-jwt", "meta": {"vct_values": [PID]}, "claims": [{"path": ["b"]}]}
    ]}));
    let sel = q.select(&w.refs(), &MatchOptions::new()).expect("select");
    let verified = w.present_and_verify(&sel);
    assert_eq!(user_claims(&verified["first"][0]), json!({"a": "x"}));
    assert_eq!(user_claims(&verified["second"][0]), json!({"b": "y"}));
}

#[test]
fn no_claims_means_no_disclosures() {
    let mut w = Wallet::new();
    w.add(Spec::vc(
        json!({"vct": PID, "plain": 1, "secret": 2}),
        &["/secret"],
    ));
    let q = query(
        json!({"credentials": [{"id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": [PID]}}]}),
    );
    let sel = q.select(&w.refs(), &MatchOptions::new()).expect("select");
    assert!(sel.queries()[0].credentials[0].disclosures.is_empty());
    let verified = w.present_and_verify(&sel);
    assert_eq!(user_claims(&verified["pid"][0]), json!({"plain": 1}));
}

#[test]
fn credential_checks_explain_themselves() {
    let mut w = Wallet::new();
    w.add(Spec {
        typ: Some("example+sd-jwt"),
        ..Spec::vc(json!({"vct": PID, "a": 1}), &["/a"])
    });
    w.add(Spec {
        typ: None,
        ..Spec::vc(json!({"vct": PID, "a": 1}), &["/a"])
    });
    w.add(Spec {
        holder_binding: false,
        ..Spec::vc(json!({"vct": PID, "a": 1}), &["/a"])
    });
    w.add(Spec::vc(json!({"a": 1}), &["/a"]));
    w.add(Spec::vc(json!({"vct": PID, "b": 1}), &["/b"]));
    let q = pid_query(json!([{"path": ["a"]}]));
    let u = unsatisfied(q.select(&w.refs(), &MatchOptions::new()));
    let QueryFailureReason::NoMatch { candidates } = &u.queries[0].reason else {
        panic!()
    };
    let reasons: Vec<&[Mismatch]> = candidates.iter().map(|c| &c.reasons[..]).collect();
    assert_eq!(
        reasons[0],
        [Mismatch::NotSdJwtVc {
            typ: Some("example+sd-jwt".into())
        }]
    );
    assert_eq!(reasons[1], [Mismatch::NotSdJwtVc { typ: None }]);
    assert_eq!(reasons[2], [Mismatch::NoHolderBinding]);
    assert_eq!(
        reasons[3],
        [Mismatch::VctNotRequested {
            vct: None,
            vct_values: vec![PID.into()]
        }]
    );
    assert!(matches!(reasons[4], [Mismatch::Claims { .. }]));
    let text = u.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert_eq!(
        lines[1],
        format!("  credential 0 (vct {PID}): its typ is \"example+sd-jwt\", not \"dc+sd-jwt\"")
    );
    assert_eq!(
        lines[3],
        format!(
            "  credential 2 (vct {PID}): it has no holder key (cnf.jwk), and the query requires cryptographic holder binding"
        )
    );
    assert_eq!(
        lines[4],
        "  credential 3: it has no vct; the query asks for one of [https://credentials.example.com/identity_credential]"
    );
    assert_eq!(
        lines[5],
        format!("  credential 4 (vct {PID}): claim [\"a\"] is not in the credential")
    );
    assert!(matches!(
        DcqlQuery::select(&q, &[], &MatchOptions::new()),
        Err(DcqlError::Unsatisfied(u)) if u.to_string().ends_with("the wallet holds no credentials")
    ));
}

#[test]
fn legacy_typ_and_type_inheritance_match() {
    let mut w = Wallet::new();
    w.add(Spec {
        typ: Some("vc+sd-jwt"),
        ..Spec::vc(json!({"vct": PID, "a": 1}), &["/a"])
    });
    let q = pid_query(json!([{"path": ["a"]}]));
    assert!(q.select(&w.refs(), &MatchOptions::new()).is_ok());

    let mut w = Wallet::new();
    w.add(Spec::vc(
        json!({"vct": "https://example.com/national_pid", "a": 1}),
        &["/a"],
    ));
    assert!(q.select(&w.refs(), &MatchOptions::new()).is_err());
    let opts = MatchOptions::new()
        .with_extends(
            "https://example.com/national_pid",
            "https://example.com/eu_pid",
        )
        .with_extends("https://example.com/eu_pid", PID);
    assert!(q.select(&w.refs(), &opts).is_ok());
}

#[test]
fn holder_binding_not_required_presents_without_kb() {
    let mut w = Wallet::new();
    w.add(Spec {
        holder_binding: false,
        ..Spec::vc(json!({"vct": PID, "a": 1}), &["/a"])
    });
    let q = query(json!({"credentials": [{
        "id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": [PID]},
        "require_cryptographic_holder_binding": false, "claims": [{"path": ["a"]}]
    }]}));
    let sel = q.select(&w.refs(), &MatchOptions::new()).expect("select");
    let token = sel
        .present(&w.refs(), &sdjwt_aws_lc::DEFAULT_PROVIDER, |_| None)
        .expect("present");
    let p = token["pid"][0].as_str().expect("string");
    assert!(p.ends_with('~'), "no KB-JWT: {p}");

    // Required (the default) without a key binding is refused.
    let mut w = Wallet::new();
    w.add(Spec::vc(json!({"vct": PID, "a": 1}), &["/a"]));
    let sel = pid_query(json!([{"path": ["a"]}]))
        .select(&w.refs(), &MatchOptions::new())
        .expect("select");
    assert_eq!(
        sel.present(&w.refs(), &sdjwt_aws_lc::DEFAULT_PROVIDER, |_| None)
            .err(),
        Some(DcqlError::KeyBindingRequired {
            query: "pid".into(),
            credential: 0
        })
    );
    assert!(matches!(
        sel.present(&[], &sdjwt_aws_lc::DEFAULT_PROVIDER, |_| None),
        Err(DcqlError::NoSuchCredential {
            credential: 0,
            count: 0
        })
    ));
    // A key binding whose key is not the credential's is a presentation error.
    let other = sdjwt_aws_lc::DEFAULT_PROVIDER
        .generate_key(sdjwt_jose::JwsAlgorithm::Es256)
        .expect("key");
    let signer = sdjwt_aws_lc::DEFAULT_PROVIDER
        .signer(&other, sdjwt_jose::JwsAlgorithm::Es256)
        .expect("signer");
    let r = sel.present(&w.refs(), &sdjwt_aws_lc::DEFAULT_PROVIDER, |_| {
        Some(KeyBindingRequest {
            signer: &*signer,
            audience: "a",
            nonce: "n",
            issued_at: 0,
        })
    });
    assert!(matches!(
        r,
        Err(DcqlError::Presentation {
            error: sdjwt_holder::Error::HolderKeyMismatch,
            ..
        })
    ));
}

struct Aki;

impl AuthorityMatcher for Aki {
    fn matches(&self, credential: &Credential, kind: &str, values: &[String]) -> Option<bool> {
        (kind == "aki").then(|| {
            let iss = credential
                .sd_jwt()
                .payload()
                .get("a")
                .and_then(Value::as_i64);
            values
                .iter()
                .any(|v| Some(v.as_str()) == iss.map(|_| "s9tIpPmhxdiuNkHMEWNpYim8S8Y"))
        })
    }
}

#[test]
fn trusted_authorities_need_a_matcher() {
    let mut w = Wallet::new();
    w.add(Spec::vc(json!({"vct": PID, "a": 1}), &[]));
    let q = |values: Value| {
        query(json!({"credentials": [{
            "id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": [PID]},
            "trusted_authorities": [
                {"type": "etsi_tl", "values": ["https://lotl.example.com"]},
                {"type": "aki", "values": values}
            ]
        }]}))
    };
    let good = q(json!(["s9tIpPmhxdiuNkHMEWNpYim8S8Y"]));
    // Without a matcher nothing can be evaluated: no match.
    let u = unsatisfied(good.select(&w.refs(), &MatchOptions::new()));
    assert!(
        u.to_string().ends_with("its issuer matches none of the trusted authorities; type \"etsi_tl\" cannot be evaluated by this wallet; type \"aki\" cannot be evaluated by this wallet"),
        "{u}"
    );
    let matcher = Aki;
    let opts = MatchOptions::new().with_authority_matcher(&matcher);
    assert!(good.select(&w.refs(), &opts).is_ok());
    let u = unsatisfied(q(json!(["other"])).select(&w.refs(), &opts));
    let QueryFailureReason::NoMatch { candidates } = &u.queries[0].reason else {
        panic!()
    };
    assert_eq!(
        candidates[0].reasons,
        [Mismatch::TrustedAuthorities {
            not_met: vec!["aki".into()],
            unevaluable: vec!["etsi_tl".into()]
        }]
    );
}
