//! DCQL parsing rules (OpenID4VP 1.0 §6, §7): what is refused, where, and what is tolerated.

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used)]

use sdjwt_holder::dcql::{ClaimValue, DcqlError, DcqlLimit, DcqlLimits, DcqlQuery, PathElement};
use serde_json::{Value, json};

fn cred(extra: Value) -> Value {
    let mut c = json!({
        "id": "pid",
        "format": "dc+sd-jwt",
        "meta": {"vct_values": ["https://credentials.example.com/identity_credential"]}
    });
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        if v.is_null() && k != "claims" {
            c.as_object_mut().map(|m| m.remove(&k));
        } else {
            c[k] = v;
        }
    }
    c
}

fn query(credentials: Value) -> Value {
    json!({ "credentials": credentials })
}

fn missing(location: &str) -> DcqlError {
    DcqlError::Missing {
        location: location.into(),
    }
}

fn wrong(location: &str, expected: &'static str) -> DcqlError {
    DcqlError::WrongType {
        location: location.into(),
        expected,
    }
}

fn empty(location: &str) -> DcqlError {
    DcqlError::Empty {
        location: location.into(),
    }
}

fn bad_path(location: &str) -> DcqlError {
    DcqlError::InvalidPathElement {
        location: location.into(),
    }
}

fn bad_value(location: &str) -> DcqlError {
    DcqlError::InvalidValue {
        location: location.into(),
    }
}

#[test]
fn malformed_queries_are_refused_with_their_location() {
    let claims = |c: Value| cred(json!({ "claims": c }));
    let with_sets = |sets: Value| {
        cred(json!({
            "claims": [{"id": "a", "path": ["x"]}, {"id": "b", "path": ["y"]}],
            "claim_sets": sets
        }))
    };
    let two = |second: Value| query(json!([cred(json!({})), second]));
    let sets = |s: Value| json!({"credentials": [cred(json!({}))], "credential_sets": s});
    let cases: Vec<(&str, Value, DcqlError)> = vec![
        (
            "not an object",
            json!([]),
            DcqlError::NotAnObject {
                location: "dcql_query".into(),
            },
        ),
        ("no credentials", json!({}), missing("credentials")),
        (
            "credentials not an array",
            json!({"credentials": {}}),
            wrong("credentials", "a non-empty array of credential queries"),
        ),
        ("credentials empty", query(json!([])), empty("credentials")),
        (
            "credential not an object",
            query(json!(["pid"])),
            DcqlError::NotAnObject {
                location: "credentials[0]".into(),
            },
        ),
        (
            "id missing",
            query(json!([cred(json!({"id": null}))])),
            missing("credentials[0].id"),
        ),
        (
            "id not a string",
            query(json!([cred(json!({"id": 7}))])),
            wrong("credentials[0].id", "a string"),
        ),
        (
            "id empty",
            query(json!([cred(json!({"id": ""}))])),
            DcqlError::InvalidId {
                location: "credentials[0].id".into(),
                id: String::new(),
            },
        ),
        (
            "id with a dot",
            query(json!([cred(json!({"id": "my.cred"}))])),
            DcqlError::InvalidId {
                location: "credentials[0].id".into(),
                id: "my.cred".into(),
            },
        ),
        (
            "id with a space",
            query(json!([cred(json!({"id": "a b"}))])),
            DcqlError::InvalidId {
                location: "credentials[0].id".into(),
                id: "a b".into(),
            },
        ),
        (
            "id non-ASCII",
            query(json!([cred(json!({"id": "pïd"}))])),
            DcqlError::InvalidId {
                location: "credentials[0].id".into(),
                id: "pïd".into(),
            },
        ),
        (
            "duplicate credential id",
            two(cred(json!({}))),
            DcqlError::DuplicateCredentialId {
                location: "credentials[1].id".into(),
                id: "pid".into(),
            },
        ),
        (
            "format missing",
            query(json!([cred(json!({"format": null}))])),
            missing("credentials[0].format"),
        ),
        (
            "format not a string",
            query(json!([cred(json!({"format": ["dc+sd-jwt"]}))])),
            wrong("credentials[0].format", "a string"),
        ),
        (
            "meta missing",
            query(json!([cred(json!({"meta": null}))])),
            missing("credentials[0].meta"),
        ),
        (
            "meta not an object",
            query(json!([cred(json!({"meta": []}))])),
            DcqlError::NotAnObject {
                location: "credentials[0].meta".into(),
            },
        ),
        (
            "vct_values missing",
            query(json!([cred(json!({"meta": {}}))])),
            missing("credentials[0].meta.vct_values"),
        ),
        (
            "vct_values empty",
            query(json!([cred(json!({"meta": {"vct_values": []}}))])),
            empty("credentials[0].meta.vct_values"),
        ),
        (
            "vct_values not strings",
            query(json!([cred(json!({"meta": {"vct_values": [1]}}))])),
            wrong("credentials[0].meta.vct_values[0]", "a string"),
        ),
        (
            "vct_values a string",
            query(json!([cred(json!({"meta": {"vct_values": "x"}}))])),
            wrong(
                "credentials[0].meta.vct_values",
                "a non-empty array of strings",
            ),
        ),
        (
            "multiple not bool",
            query(json!([cred(json!({"multiple": "true"}))])),
            wrong("credentials[0].multiple", "a boolean"),
        ),
        (
            "holder binding not bool",
            query(json!([cred(
                json!({"require_cryptographic_holder_binding": 0})
            )])),
            wrong(
                "credentials[0].require_cryptographic_holder_binding",
                "a boolean",
            ),
        ),
        (
            "trusted_authorities empty",
            query(json!([cred(json!({"trusted_authorities": []}))])),
            empty("credentials[0].trusted_authorities"),
        ),
        (
            "trusted authority without type",
            query(json!([cred(
                json!({"trusted_authorities": [{"values": ["x"]}]})
            )])),
            missing("credentials[0].trusted_authorities[0].type"),
        ),
        (
            "trusted authority without values",
            query(json!([cred(
                json!({"trusted_authorities": [{"type": "aki"}]})
            )])),
            missing("credentials[0].trusted_authorities[0].values"),
        ),
        (
            "trusted authority values empty",
            query(json!([cred(
                json!({"trusted_authorities": [{"type": "aki", "values": []}]})
            )])),
            empty("credentials[0].trusted_authorities[0].values"),
        ),
        (
            "claims empty",
            query(json!([claims(json!([]))])),
            empty("credentials[0].claims"),
        ),
        (
            "claims not an array",
            query(json!([claims(json!({"path": ["x"]}))])),
            wrong(
                "credentials[0].claims",
                "a non-empty array of claims queries",
            ),
        ),
        (
            "claims query not an object",
            query(json!([claims(json!([["x"]]))])),
            DcqlError::NotAnObject {
                location: "credentials[0].claims[0]".into(),
            },
        ),
        (
            "path missing",
            query(json!([claims(json!([{"id": "a"}]))])),
            missing("credentials[0].claims[0].path"),
        ),
        (
            "path empty",
            query(json!([claims(json!([{"path": []}]))])),
            empty("credentials[0].claims[0].path"),
        ),
        (
            "path a string",
            query(json!([claims(json!([{"path": "x"}]))])),
            wrong("credentials[0].claims[0].path", "a non-empty array"),
        ),
        (
            "path negative",
            query(json!([claims(json!([{"path": ["x", -1]}]))])),
            bad_path("credentials[0].claims[0].path[1]"),
        ),
        (
            "path float",
            query(json!([claims(json!([{"path": ["x", 1.5]}]))])),
            bad_path("credentials[0].claims[0].path[1]"),
        ),
        (
            "path float integral",
            query(json!([claims(json!([{"path": ["x", 1.0]}]))])),
            bad_path("credentials[0].claims[0].path[1]"),
        ),
        (
            "path object",
            query(json!([claims(json!([{"path": [{}]}]))])),
            bad_path("credentials[0].claims[0].path[0]"),
        ),
        (
            "path bool",
            query(json!([claims(json!([{"path": ["x", true]}]))])),
            bad_path("credentials[0].claims[0].path[1]"),
        ),
        (
            "path nested array",
            query(json!([claims(json!([{"path": [["x"]]}]))])),
            bad_path("credentials[0].claims[0].path[0]"),
        ),
        (
            "values empty",
            query(json!([claims(json!([{"path": ["x"], "values": []}]))])),
            empty("credentials[0].claims[0].values"),
        ),
        (
            "values float",
            query(json!([claims(
                json!([{"path": ["x"], "values": ["a", 2.5]}])
            )])),
            bad_value("credentials[0].claims[0].values[1]"),
        ),
        (
            "values null",
            query(json!([claims(json!([{"path": ["x"], "values": [null]}]))])),
            bad_value("credentials[0].claims[0].values[0]"),
        ),
        (
            "values object",
            query(json!([claims(
                json!([{"path": ["x"], "values": [{"a": 1}]}])
            )])),
            bad_value("credentials[0].claims[0].values[0]"),
        ),
        (
            "values beyond i64",
            query(json!([claims(
                json!([{"path": ["x"], "values": [u64::MAX]}])
            )])),
            bad_value("credentials[0].claims[0].values[0]"),
        ),
        (
            "claim id invalid",
            query(json!([claims(json!([{"id": "a/b", "path": ["x"]}]))])),
            DcqlError::InvalidId {
                location: "credentials[0].claims[0].id".into(),
                id: "a/b".into(),
            },
        ),
        (
            "duplicate claim id",
            query(json!([claims(
                json!([{"id": "a", "path": ["x"]}, {"id": "a", "path": ["y"]}])
            )])),
            DcqlError::DuplicateClaimId {
                location: "credentials[0].claims[1].id".into(),
                id: "a".into(),
            },
        ),
        (
            "claim_sets without claims",
            query(json!([cred(json!({"claim_sets": [["a"]]}))])),
            DcqlError::ClaimSetsWithoutClaims {
                location: "credentials[0].claim_sets".into(),
            },
        ),
        (
            "claim_sets empty",
            query(json!([with_sets(json!([]))])),
            empty("credentials[0].claim_sets"),
        ),
        (
            "claim_sets option empty",
            query(json!([with_sets(json!([["a"], []]))])),
            empty("credentials[0].claim_sets[1]"),
        ),
        (
            "claim_sets option not an array",
            query(json!([with_sets(json!(["a"]))])),
            wrong("credentials[0].claim_sets[0]", "a non-empty array of ids"),
        ),
        (
            "claim_sets unknown id",
            query(json!([with_sets(json!([["a", "z"]]))])),
            DcqlError::UnknownClaimId {
                location: "credentials[0].claim_sets[0][1]".into(),
                id: "z".into(),
            },
        ),
        (
            "claim_sets id not a string",
            query(json!([with_sets(json!([["a", 1]]))])),
            wrong("credentials[0].claim_sets[0][1]", "a string"),
        ),
        (
            "claim id missing with claim_sets",
            query(json!([cred(
                json!({"claims": [{"id": "a", "path": ["x"]}, {"path": ["y"]}], "claim_sets": [["a"]]})
            )])),
            DcqlError::ClaimIdRequired {
                location: "credentials[0].claims[1].id".into(),
            },
        ),
        (
            "credential_sets empty",
            sets(json!([])),
            empty("credential_sets"),
        ),
        (
            "credential_sets not an array",
            sets(json!({})),
            wrong(
                "credential_sets",
                "a non-empty array of credential set queries",
            ),
        ),
        (
            "credential set not an object",
            sets(json!([["pid"]])),
            DcqlError::NotAnObject {
                location: "credential_sets[0]".into(),
            },
        ),
        (
            "options missing",
            sets(json!([{"required": true}])),
            missing("credential_sets[0].options"),
        ),
        (
            "options empty",
            sets(json!([{"options": []}])),
            empty("credential_sets[0].options"),
        ),
        (
            "option empty",
            sets(json!([{"options": [["pid"], []]}])),
            empty("credential_sets[0].options[1]"),
        ),
        (
            "option unknown id",
            sets(json!([{"options": [["pid", "mdl"]]}])),
            DcqlError::UnknownCredentialId {
                location: "credential_sets[0].options[0][1]".into(),
                id: "mdl".into(),
            },
        ),
        (
            "required not bool",
            sets(json!([{"options": [["pid"]], "required": "no"}])),
            wrong("credential_sets[0].required", "a boolean"),
        ),
    ];
    assert!(cases.len() >= 25);
    for (name, value, want) in cases {
        let got = DcqlQuery::from_value(&value);
        assert_eq!(got.as_ref().err(), Some(&want), "{name}: {value}");
        // The message names the location.
        let text = want.to_string();
        let location = match &want {
            DcqlError::Missing { location }
            | DcqlError::WrongType { location, .. }
            | DcqlError::Empty { location }
            | DcqlError::NotAnObject { location }
            | DcqlError::InvalidId { location, .. }
            | DcqlError::InvalidPathElement { location }
            | DcqlError::InvalidValue { location }
            | DcqlError::UnknownClaimId { location, .. }
            | DcqlError::UnknownCredentialId { location, .. }
            | DcqlError::DuplicateClaimId { location, .. }
            | DcqlError::DuplicateCredentialId { location, .. }
            | DcqlError::ClaimIdRequired { location }
            | DcqlError::ClaimSetsWithoutClaims { location } => location.clone(),
            other => panic!("{name}: unexpected kind {other:?}"),
        };
        assert!(text.starts_with(&format!("{location}: ")), "{name}: {text}");
    }
}

#[test]
fn messages_read_well() {
    let e = DcqlQuery::from_value(&query(json!([
        cred(json!({})),
        cred(json!({"id": "b", "claims": [{"path": []}]}))
    ])))
    .err();
    assert_eq!(
        e.map(|e| e.to_string()).as_deref(),
        Some("credentials[1].claims[0].path: must not be empty")
    );
    let e = DcqlQuery::from_value(&query(json!([cred(
        json!({"claims": [{"path": ["a", -3]}]})
    )])))
    .err();
    assert_eq!(
        e.map(|e| e.to_string()).as_deref(),
        Some("credentials[0].claims[0].path[1]: must be a string, null or a non-negative integer")
    );
}

#[test]
fn strict_json_and_size() {
    assert!(matches!(DcqlQuery::parse("{"), Err(DcqlError::Json(_))));
    assert!(matches!(
        DcqlQuery::parse(r#"{"credentials": [], "credentials": []}"#),
        Err(DcqlError::Json(_))
    ));
    let nested = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(matches!(DcqlQuery::parse(&nested), Err(DcqlError::Json(_))));
    let big = format!(
        r#"{{"credentials": [], "pad": "{}"}}"#,
        "x".repeat(300 * 1024)
    );
    assert!(matches!(
        DcqlQuery::parse(&big),
        Err(DcqlError::QueryTooLarge { max: 262_144, .. })
    ));
}

#[test]
fn unknown_members_are_ignored_everywhere() {
    let q = DcqlQuery::from_value(&json!({
        "future": 1,
        "credentials": [{
            "id": "pid", "format": "dc+sd-jwt", "x-extra": {"a": 1},
            "meta": {"vct_values": ["t"], "other": true},
            "trusted_authorities": [{"type": "aki", "values": ["s9tI"], "note": null}],
            "claims": [{"path": ["a"], "intent_to_retain": false, "more": []}]
        }],
        "credential_sets": [{"options": [["pid"]], "purpose": "x"}]
    }))
    .expect("parses");
    let c = &q.credentials()[0];
    assert_eq!(c.vct_values(), Some(&["t".to_owned()][..]));
    assert_eq!(c.trusted_authorities().map(|t| t[0].kind()), Some("aki"));
}

#[test]
fn duplicate_claims_are_dropped_not_refused() {
    let q = DcqlQuery::from_value(&query(json!([cred(json!({"claims": [
        {"path": ["a", null]},
        {"path": ["b"]},
        {"path": ["a", null], "values": [1]}
    ]}))])))
    .expect("parses");
    let claims = q.credentials()[0].claims().unwrap_or_default();
    assert_eq!(claims.len(), 2);
    assert_eq!(
        claims[0].path().elements(),
        [PathElement::Key("a".into()), PathElement::All]
    );
    assert!(claims[0].values().is_none(), "the first one wins");
    // With claim_sets the duplicates stay: options name them by id.
    let q = DcqlQuery::from_value(&query(json!([cred(json!({
        "claims": [{"id": "x", "path": ["a"]}, {"id": "y", "path": ["a"]}],
        "claim_sets": [["x"], ["y"]]
    }))])))
    .expect("parses");
    assert_eq!(q.credentials()[0].claims().map(<[_]>::len), Some(2));
}

#[test]
fn values_keep_their_type() {
    let q = DcqlQuery::from_value(&query(json!([cred(json!({"claims": [
        {"path": ["a"], "values": ["1", 1, true, -5]}
    ]}))])))
    .expect("parses");
    let values = q.credentials()[0].claims().unwrap_or_default()[0]
        .values()
        .map(<[_]>::to_vec);
    assert_eq!(
        values,
        Some(vec![
            ClaimValue::String("1".into()),
            ClaimValue::Integer(1),
            ClaimValue::Bool(true),
            ClaimValue::Integer(-5),
        ])
    );
    let one = ClaimValue::Integer(1);
    assert!(one.matches(&json!(1)));
    assert!(!one.matches(&json!(true)));
    assert!(!one.matches(&json!("1")));
    assert!(!one.matches(&json!(1.0)));
    assert!(!ClaimValue::Bool(true).matches(&json!(1)));
    assert!(!ClaimValue::String("1".into()).matches(&json!(1)));
}

#[test]
fn defaults_and_other_formats() {
    let q = DcqlQuery::from_value(&query(json!([
        cred(json!({"multiple": true, "require_cryptographic_holder_binding": false})),
        {"id": "mdl", "format": "mso_mdoc", "meta": {"doctype_value": "org.iso.18013.5.1.mDL"}},
        {"id": "w3c", "format": "jwt_vc_json", "meta": {}}
    ])))
    .expect("parses");
    let c = q.credentials();
    assert!(c[0].multiple() && !c[0].require_cryptographic_holder_binding());
    assert!(!c[1].multiple() && c[1].require_cryptographic_holder_binding());
    assert_eq!(c[2].format().as_str(), "jwt_vc_json");
    assert!(q.credential("mdl").is_some() && q.credential("nope").is_none());
}

#[test]
fn limits_are_typed_errors() {
    let many: Vec<Value> = (0..65)
        .map(|i| cred(json!({"id": format!("c{i}")})))
        .collect();
    assert_eq!(
        DcqlQuery::from_value(&query(Value::Array(many))).err(),
        Some(DcqlError::TooMany {
            location: "credentials".into(),
            limit: DcqlLimit::Credentials,
            max: 64
        })
    );
    let long_path: Vec<Value> = (0..33).map(|i| json!(format!("k{i}"))).collect();
    assert_eq!(
        DcqlQuery::from_value(&query(json!([cred(
            json!({"claims": [{"path": long_path}]})
        )])))
        .err(),
        Some(DcqlError::TooMany {
            location: "credentials[0].claims[0].path".into(),
            limit: DcqlLimit::PathLength,
            max: 32
        })
    );
    let values: Vec<Value> = (0..65).map(Value::from).collect();
    assert_eq!(
        DcqlQuery::from_value(&query(json!([cred(
            json!({"claims": [{"path": ["a"], "values": values}]})
        )])))
        .err(),
        Some(DcqlError::TooMany {
            location: "credentials[0].claims[0].values".into(),
            limit: DcqlLimit::Values,
            max: 64
        })
    );
    let claims: Vec<Value> = (0..257)
        .map(|i| json!({"path": [format!("c{i}")]}))
        .collect();
    assert_eq!(
        DcqlQuery::from_value(&query(json!([cred(json!({"claims": claims}))]))).err(),
        Some(DcqlError::TooMany {
            location: "credentials[0].claims".into(),
            limit: DcqlLimit::Claims,
            max: 256
        })
    );
    // 5 queries of 250 claims each: within the per-query bound, beyond the total one.
    let claims: Vec<Value> = (0..250)
        .map(|i| json!({"path": [format!("c{i}")]}))
        .collect();
    let creds: Vec<Value> = (0..5)
        .map(|i| cred(json!({"id": format!("q{i}"), "claims": claims.clone()})))
        .collect();
    assert_eq!(
        DcqlQuery::from_value(&query(Value::Array(creds))).err(),
        Some(DcqlError::TooMany {
            location: "credentials[4].claims".into(),
            limit: DcqlLimit::TotalClaims,
            max: 1024
        })
    );
    // Limits are adjustable.
    let mut tight = DcqlLimits::DEFAULT;
    tight.max_credentials = 1;
    let two = query(json!([cred(json!({})), cred(json!({"id": "b"}))]));
    assert!(matches!(
        DcqlQuery::from_value_with_limits(&two, &tight),
        Err(DcqlError::TooMany {
            limit: DcqlLimit::Credentials,
            max: 1,
            ..
        })
    ));
    assert!(DcqlQuery::from_value(&two).is_ok());
}
