//! The 14 DCQL example queries of OpenID4VP 1.0 (final text and errata editor's draft), read
//! in place from the spec-sources folder: each parses, with the structure the specification
//! shows, and survives a serialization round trip.

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used)]

mod dcql_support;

use dcql_support::{EDITIONS, example, spec_sources};
use sdjwt_holder::dcql::{ClaimValue, CredentialFormat, DcqlQuery, Meta, PathElement};
use serde_json::{Value, json};

const NAMES: [&str; 7] = [
    "claims_alternatives.json",
    "complex_mdoc.json",
    "credentials_alternatives.json",
    "multi_credentials.json",
    "simple.json",
    "simple_mdoc.json",
    "value_matching_simple.json",
];

fn ids(q: &DcqlQuery) -> Vec<&str> {
    q.credentials().iter().map(|c| c.id().as_str()).collect()
}

fn paths(q: &DcqlQuery, index: usize) -> Vec<Value> {
    q.credentials()[index]
        .claims()
        .unwrap_or_default()
        .iter()
        .map(|c| c.path().to_value())
        .collect()
}

fn key(s: &str) -> PathElement {
    PathElement::Key(s.into())
}

#[test]
fn every_example_parses_and_round_trips() {
    let Some(root) = spec_sources() else { return };
    let mut parsed = 0;
    for edition in EDITIONS {
        for name in NAMES {
            let q = example(&root, edition, name);
            let again = DcqlQuery::from_value(&q.to_value()).expect("re-parse");
            assert_eq!(again, q, "{edition}/{name}");
            parsed += 1;
        }
    }
    assert_eq!(parsed, 14);
}

#[test]
fn simple_and_value_matching() {
    let Some(root) = spec_sources() else { return };
    for edition in EDITIONS {
        let (given, family, _) = dcql_support::names(edition);
        let q = example(&root, edition, "simple.json");
        assert_eq!(ids(&q), ["my_credential"]);
        let c = &q.credentials()[0];
        assert_eq!(c.format(), &CredentialFormat::DcSdJwt);
        assert_eq!(c.vct_values(), Some(&[dcql_support::PID.to_owned()][..]));
        assert!(!c.multiple());
        assert!(c.require_cryptographic_holder_binding());
        assert!(c.claim_sets().is_none() && c.trusted_authorities().is_none());
        assert!(q.credential_sets().is_none());
        assert_eq!(
            paths(&q, 0),
            [
                json!([family]),
                json!([given]),
                json!(["address", "street_address"])
            ]
        );

        let q = example(&root, edition, "value_matching_simple.json");
        let claims = q.credentials()[0].claims().unwrap_or_default();
        assert_eq!(claims.len(), 4);
        assert_eq!(
            claims[0].values(),
            Some(&[ClaimValue::String("Doe".into())][..])
        );
        assert_eq!(claims[1].values(), None);
        assert_eq!(
            claims[3].values(),
            Some(
                &[
                    ClaimValue::String("90210".into()),
                    ClaimValue::String("90211".into())
                ][..]
            )
        );
        assert_eq!(claims[3].path().elements(), [key("postal_code")]);
    }
}

#[test]
fn claims_alternatives_has_ids_and_claim_sets() {
    let Some(root) = spec_sources() else { return };
    for edition in EDITIONS {
        let (_, family, _) = dcql_support::names(edition);
        let q = example(&root, edition, "claims_alternatives.json");
        let c = &q.credentials()[0];
        assert_eq!(c.id().as_str(), "pid");
        let claim_ids: Vec<&str> = c
            .claims()
            .unwrap_or_default()
            .iter()
            .map(|c| c.id().map(|i| i.as_str()).unwrap_or("-"))
            .collect();
        assert_eq!(claim_ids, ["a", "b", "c", "d", "e"]);
        assert_eq!(paths(&q, 0)[0], json!([family]));
        let sets: Vec<Vec<&str>> = c
            .claim_sets()
            .unwrap_or_default()
            .iter()
            .map(|o| o.iter().map(|i| i.as_str()).collect())
            .collect();
        assert_eq!(sets, [vec!["a", "c", "d", "e"], vec!["a", "b", "e"]]);
    }
}

#[test]
fn credentials_alternatives_has_required_and_optional_sets() {
    let Some(root) = spec_sources() else { return };
    for edition in EDITIONS {
        let q = example(&root, edition, "credentials_alternatives.json");
        assert_eq!(
            ids(&q),
            [
                "pid",
                "other_pid",
                "pid_reduced_cred_1",
                "pid_reduced_cred_2",
                "nice_to_have"
            ]
        );
        let sets = q.credential_sets().expect("credential_sets");
        assert_eq!(sets.len(), 2);
        assert!(sets[0].required(), "required defaults to true");
        assert!(!sets[1].required());
        let options: Vec<Vec<&str>> = sets[0]
            .options()
            .iter()
            .map(|o| o.iter().map(|i| i.as_str()).collect())
            .collect();
        assert_eq!(
            options,
            [
                vec!["pid"],
                vec!["other_pid"],
                vec!["pid_reduced_cred_1", "pid_reduced_cred_2"]
            ]
        );
        assert_eq!(paths(&q, 4), [json!(["rewards_number"])]);
        // Claims queries without ids are fine when there are no claim_sets.
        assert!(
            q.credentials()[0].claims().unwrap_or_default()[0]
                .id()
                .is_none()
        );
    }
}

#[test]
fn mdoc_queries_parse_with_raw_meta() {
    let Some(root) = spec_sources() else { return };
    for edition in EDITIONS {
        let (given, _, _) = dcql_support::names(edition);
        let q = example(&root, edition, "simple_mdoc.json");
        let c = &q.credentials()[0];
        assert_eq!(c.format(), &CredentialFormat::MsoMdoc);
        assert_eq!(c.vct_values(), None);
        match c.meta() {
            Meta::Other(m) => assert_eq!(m["doctype_value"], json!("org.iso.7367.1.mVRC")),
            other => panic!("unexpected meta {other:?}"),
        }
        assert_eq!(
            paths(&q, 0),
            [
                json!(["org.iso.7367.1", "vehicle_holder"]),
                json!(["org.iso.18013.5.1", given])
            ]
        );

        let q = example(&root, edition, "multi_credentials.json");
        assert_eq!(ids(&q), ["pid", "mdl"]);
        assert_eq!(q.credentials()[0].format(), &CredentialFormat::DcSdJwt);
        assert_eq!(q.credentials()[1].format().as_str(), "mso_mdoc");

        let q = example(&root, edition, "complex_mdoc.json");
        assert_eq!(
            ids(&q),
            [
                "mdl-id",
                "mdl-address",
                "photo_card-id",
                "photo_card-address"
            ]
        );
        let sets = q.credential_sets().expect("credential_sets");
        assert!(sets[0].required() && !sets[1].required());
        assert_eq!(sets[1].options()[1][0].as_str(), "photo_card-address");
        // Claim ids may repeat across credential queries, just not within one.
        assert_eq!(
            q.credentials()[2].claims().unwrap_or_default()[0]
                .id()
                .map(|i| i.as_str()),
            Some("given_name")
        );
    }
}
