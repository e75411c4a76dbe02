//! Property tests: DCQL parsing and claims path pointer processing never panic, parsing is
//! stable under serialization, and selection agrees with `Credential::select`.

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used)]

mod dcql_support;

use std::sync::OnceLock;

use dcql_support::{PID, Spec, Wallet};
use proptest::prelude::*;
use sdjwt_holder::dcql::{ClaimsPathPointer, DcqlQuery, MatchOptions, PathElement};
use serde_json::{Map, Value, json};

const KEYS: &[&str] = &[
    "credentials",
    "id",
    "format",
    "meta",
    "vct_values",
    "claims",
    "path",
    "values",
    "claim_sets",
    "credential_sets",
    "options",
    "required",
    "multiple",
    "trusted_authorities",
    "type",
    "require_cryptographic_holder_binding",
    "a",
    "b",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        prop_oneof![
            Just("dc+sd-jwt"),
            Just("mso_mdoc"),
            Just("a"),
            Just("b"),
            Just(""),
            Just("x y")
        ]
        .prop_map(|s| Value::String(s.into())),
    ]
}

/// JSON biased towards DCQL's member names, so that parsing gets deep.
fn json_value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

fn element() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(&["a", "b", "n", "arr", "obj", "deep"][..]).prop_map(|s| json!(s)),
        (0u64..4).prop_map(Value::from),
        Just(Value::Null),
    ]
}

fn path() -> impl Strategy<Value = Value> {
    prop::collection::vec(element(), 1..5).prop_map(Value::Array)
}

/// Mostly pointers that select something in [`document`], sometimes random ones.
fn likely_path() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => prop::sample::select(vec![
            json!(["a"]), json!(["b"]), json!(["n"]), json!(["arr", null]), json!(["arr", 0, "a"]),
            json!(["arr", 0, "b", 1]), json!(["arr", 1, "a"]), json!(["obj"]), json!(["obj", "a", "b"]),
            json!(["obj", "arr", 0]), json!(["deep", 0, 0, 0, "a"]), json!(["deep", null, null]),
        ]),
        1 => path(),
    ]
}

fn claim_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        (-3i64..3).prop_map(Value::from),
        prop::sample::select(&["x", "1", "A"][..]).prop_map(|s| json!(s)),
    ]
}

/// A valid credential query with id `c{i}`.
fn credential_query(i: usize) -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.1),
        any::<bool>(),
        prop::option::of(prop::collection::vec(
            (
                likely_path(),
                prop_oneof![4 => Just(None), 1 => prop::collection::vec(claim_value(), 1..3).prop_map(Some)],
            ),
            1..4,
        )),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(mdoc, multiple, claims, sets, binding)| {
            let mut c = json!({
                "id": format!("c{i}"),
                "format": if mdoc { "mso_mdoc" } else { "dc+sd-jwt" },
                "meta": if mdoc { json!({"doctype_value": "d"}) } else { json!({"vct_values": [PID]}) },
                "multiple": multiple,
                "require_cryptographic_holder_binding": binding,
            });
            if let Some(claims) = claims {
                let n = claims.len();
                let list: Vec<Value> = claims
                    .into_iter()
                    .enumerate()
                    .map(|(j, (p, v))| {
                        let mut q = json!({"id": format!("k{j}"), "path": p});
                        if let Some(v) = v {
                            q["values"] = Value::Array(v);
                        }
                        q
                    })
                    .collect();
                c["claims"] = Value::Array(list);
                if sets {
                    let options: Vec<Value> = (0..n).map(|j| json!([format!("k{j}"), "k0"])).collect();
                    c["claim_sets"] = Value::Array(options);
                }
            }
            c
        })
}

fn valid_query() -> impl Strategy<Value = Value> {
    (1usize..4, any::<bool>()).prop_flat_map(|(n, sets)| {
        let creds: Vec<_> = (0..n).map(credential_query).collect();
        (creds, Just(sets), Just(n)).prop_map(|(creds, sets, n)| {
            let mut q = json!({ "credentials": creds });
            if sets {
                q["credential_sets"] = json!([
                    {"options": [["c0"]]},
                    {"required": false, "options": (0..n).map(|i| json!([format!("c{i}")])).collect::<Vec<_>>()}
                ]);
            }
            q
        })
    })
}

/// The claims every generated pointer runs over.
fn document() -> Map<String, Value> {
    json!({
        "a": 1, "b": "x", "n": null,
        "arr": [{"a": 1, "b": [1, 2]}, {"a": "A"}, 3, [true]],
        "obj": {"a": {"b": 1}, "arr": [0]},
        "deep": [[[{"a": [1]}]]],
    })
    .as_object()
    .cloned()
    .expect("object")
}

/// A credential with the document's claims, everything selectively disclosable.
fn wallet() -> &'static Wallet {
    static W: OnceLock<Wallet> = OnceLock::new();
    W.get_or_init(|| {
        let mut claims = Value::Object(document());
        claims["vct"] = json!(PID);
        let mut w = Wallet::new();
        w.add(Spec::vc(
            claims,
            &[
                "/a",
                "/b",
                "/n",
                "/arr",
                "/arr/0",
                "/arr/0/a",
                "/arr/0/b/1",
                "/arr/1/a",
                "/arr/2",
                "/obj",
                "/obj/a",
                "/obj/a/b",
                "/obj/arr/0",
                "/deep/0/0/0/a",
            ],
        ));
        w
    })
}

fn to_pointer(v: &Value) -> ClaimsPathPointer {
    ClaimsPathPointer::new(
        v.as_array()
            .into_iter()
            .flatten()
            .map(|e| match e {
                Value::String(s) => PathElement::Key(s.clone()),
                Value::Number(n) => PathElement::Index(n.as_u64().unwrap_or(0)),
                _ => PathElement::All,
            })
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_json_never_panics_and_round_trips(v in json_value()) {
        if let Ok(q) = DcqlQuery::from_value(&v) {
            prop_assert_eq!(DcqlQuery::from_value(&q.to_value()), Ok(q));
        }
        let _ = DcqlQuery::parse(&v.to_string());
    }

    #[test]
    fn valid_queries_parse_and_round_trip(v in valid_query()) {
        let q = DcqlQuery::parse(&v.to_string());
        prop_assert!(q.is_ok(), "{:?} for {}", q, v);
        let q = q.expect("checked");
        prop_assert_eq!(DcqlQuery::parse(&q.to_value().to_string()), Ok(q.clone()));
        // Selecting never panics, and what it selects is what Credential::select gives.
        let w = wallet();
        if let Ok(sel) = q.select(&w.refs(), &MatchOptions::new().include_optional_sets(true)) {
            for s in sel.queries() {
                for c in &s.credentials {
                    let by_credential = w.credentials[c.credential].select(&c.paths);
                    prop_assert_eq!(by_credential, Ok(c.disclosures.clone()));
                }
            }
        }
    }

    #[test]
    fn pointer_processing_selects_real_claims(p in path()) {
        let doc = document();
        let pointer = to_pointer(&p);
        let as_value = Value::Object(doc.clone());
        if let Ok(selected) = pointer.select(&doc) {
            prop_assert!(!selected.is_empty());
            let has_null = pointer.elements().contains(&PathElement::All);
            prop_assert!(has_null || selected.len() == 1);
            for (path, value) in selected {
                prop_assert_eq!(path.len(), pointer.len());
                prop_assert_eq!(path.lookup(&as_value), Some(value));
                let concrete = ClaimsPathPointer::from_claim_path(&path);
                prop_assert!(pointer.covers(&concrete));
                prop_assert!(concrete.covers(&concrete));
            }
        }
    }
}
