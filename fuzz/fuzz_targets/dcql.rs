//! DCQL query parsing (OpenID4VP 1.0 §6), claims path pointer processing (§7.1.1) and the
//! holder's disclosure policy check.
//!
//! Oracle: a parsed query re-serializes to JSON (and to text) that parses to an equal query;
//! every claims path pointer of it, processed over the fixed claims document, selects only
//! values that really are at the reported paths, and covers each of those concrete paths; a
//! policy decision only keeps claims the policy covers.
#![no_main]
#![forbid(unsafe_code)]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sdjwt_holder::dcql::{ClaimsPathPointer, DcqlQuery};
use sdjwt_holder::policy::Policy;

const POLICY: &str = r#"
[purposes.p]
credential_types = ["https://credentials.example.com/identity_credential"]
claims = [["address"], ["nationalities", {}], ["given_name"]]

[[verifiers]]
id = "v"
purposes = ["p"]
claims = [["a/b", "m~n", 0]]
"#;

fn policy() -> Option<&'static Policy> {
    static P: OnceLock<Option<Policy>> = OnceLock::new();
    P.get_or_init(|| Policy::from_toml_str(POLICY).ok()).as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(query) = DcqlQuery::parse(text) else {
        return;
    };
    let value = query.to_value();
    assert_eq!(DcqlQuery::from_value(&value).as_ref(), Ok(&query));
    assert_eq!(DcqlQuery::parse(&value.to_string()).as_ref(), Ok(&query));

    let doc = sdjwt_fuzz::claim_path_document();
    let Some(claims) = doc.as_object() else {
        return;
    };
    for c in query.credentials() {
        for claim in c.claims().unwrap_or_default() {
            let Ok(selected) = claim.path().select(claims) else {
                continue;
            };
            assert!(!selected.is_empty());
            for (path, v) in selected {
                assert_eq!(path.lookup(&doc), Some(v), "{}", claim.path());
                assert!(claim.path().covers(&ClaimsPathPointer::from_claim_path(&path)));
            }
        }
    }

    let Some(policy) = policy() else {
        return;
    };
    for verifier in ["v", "unknown"] {
        let Ok(decision) = policy.check(verifier, &query) else {
            continue;
        };
        assert_eq!(verifier, "v", "an unregistered verifier gets nothing");
        let entry = policy.verifier(verifier);
        for c in decision.query().credentials() {
            for claim in c.claims().unwrap_or_default() {
                // Either allowed by identity or by the purpose (types permitting).
                let by_identity = entry
                    .is_some_and(|e| e.claims().iter().any(|a| a.covers(claim.path())));
                let by_purpose = policy.purposes().values().any(|p| {
                    p.claims().iter().any(|a| a.covers(claim.path()))
                });
                assert!(by_identity || by_purpose, "{} got through", claim.path());
            }
        }
    }
});
