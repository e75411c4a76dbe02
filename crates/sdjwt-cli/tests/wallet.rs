//! `sdjwt wallet add|list|present` and `sdjwt inspect --privacy`, through the real binary:
//! a batch of credentials kept in a local store, DCQL queries answered under the holder's
//! disclosure policy, each credential used once, and the privacy report.

#![allow(clippy::expect_used)]

use serde_json::Value;

mod common;
use common::{Dir, ok, sdjwt};

const ISS: &str = "https://immigration.gov.example";
const VCT: &str = "https://credentials.gov.example/right-to-work";
const EMPLOYER: &str = "https://employer.example";

const POLICY: &str = r#"
[purposes.right_to_work]
description = "Right-to-work check by an employer"
credential_types = ["https://credentials.gov.example/right-to-work"]
claims = [["right_to_work"]]

[[verifiers]]
id = "https://employer.example"
name = "Employer"
purposes = ["right_to_work"]
"#;

const QUERY: &str = r#"{"credentials": [{"id": "rtw", "format": "dc+sd-jwt",
  "meta": {"vct_values": ["https://credentials.gov.example/right-to-work"]},
  "claims": [{"path": ["right_to_work"], "values": [true]}]}]}"#;

const OVER_ASKING: &str = r#"{"credentials": [{"id": "rtw", "format": "dc+sd-jwt",
  "meta": {"vct_values": ["https://credentials.gov.example/right-to-work"]},
  "claims": [{"path": ["right_to_work"]}, {"path": ["birthdate"]}]}]}"#;

/// Allowed by the policy, but the holder's `right_to_work` is `true`.
const UNMET: &str = r#"{"credentials": [{"id": "rtw", "format": "dc+sd-jwt",
  "meta": {"vct_values": ["https://credentials.gov.example/right-to-work"]},
  "claims": [{"path": ["right_to_work"], "values": [false]}]}]}"#;

/// Runs a command that must fail with `code`; returns its standard error.
fn fails(args: &[&str], code: i32) -> String {
    let out = sdjwt(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "sdjwt {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "nothing on stdout when refused");
    String::from_utf8(out.stderr).expect("utf-8")
}

/// An issuer key and `n` credentials, each bound to its own holder key: `cred<i>.sdjwt` and
/// `holder<i>.jwk`.
fn issue_batch(d: &Dir, n: usize) {
    ok(&["keygen", "--out", &d.path("issuer.jwk")]);
    let public = ok(&["key", "public", &d.path("issuer.jwk")]);
    d.write("issuer.pub.jwk", &public);
    d.write(
        "claims.json",
        r#"{"given_name": "Amara", "family_name": "Okafor", "birthdate": "1990-04-12",
            "right_to_work": true}"#,
    );
    for i in 0..n {
        let key = d.path(&format!("holder{i}.jwk"));
        ok(&["keygen", "--out", &key]);
        let public = ok(&["key", "public", &key]);
        let public_path = d.write(&format!("holder{i}.pub.jwk"), &public);
        ok(&[
            "issue",
            "--key",
            &d.path("issuer.jwk"),
            "--holder-key",
            &public_path,
            "--claims",
            &d.path("claims.json"),
            "--vct",
            VCT,
            "--iss",
            ISS,
            "--sd",
            "/given_name",
            "--sd",
            "/family_name",
            "--sd",
            "/birthdate",
            "--sd",
            "/right_to_work",
            "--out",
            &d.path(&format!("cred{i}.sdjwt")),
        ]);
    }
}

/// `sdjwt wallet add` with the issuer key file `issuer` and each (credential, holder key) file
/// pair of `d`.
fn add_args(d: &Dir, wallet: &str, issuer: &str, pairs: &[(&str, &str)]) -> Vec<String> {
    let mut args: Vec<String> = ["wallet", "add", "--wallet", wallet, "--issuer-key"]
        .map(String::from)
        .to_vec();
    args.push(d.path(issuer));
    for (credential, key) in pairs {
        args.extend(["--credential".into(), d.path(credential)]);
        args.extend(["--holder-key".into(), d.path(key)]);
    }
    args
}

/// `add_args` for the first `n` credentials of `issue_batch`, each with its own key.
fn add_batch(d: &Dir, wallet: &str, n: usize) -> Vec<String> {
    let names: Vec<(String, String)> = (0..n)
        .map(|i| (format!("cred{i}.sdjwt"), format!("holder{i}.jwk")))
        .collect();
    let pairs: Vec<(&str, &str)> = names
        .iter()
        .map(|(c, k)| (c.as_str(), k.as_str()))
        .collect();
    add_args(d, wallet, "issuer.pub.jwk", &pairs)
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

fn present<'a>(wallet: &'a str, query: &'a str, policy: &'a str, aud: &'a str) -> Vec<&'a str> {
    vec![
        "wallet", "present", "--wallet", wallet, "--query", query, "--policy", policy, "--aud",
        aud, "--nonce", "n-1",
    ]
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON output")
}

#[test]
fn batch_in_the_wallet_answers_dcql_once_per_credential() {
    let d = Dir::new("wallet-batch");
    issue_batch(&d, 2);
    let wallet = d.path("wallet");
    let added = ok(&strs(&add_batch(&d, &wallet, 2)));
    assert_eq!(added.lines().count(), 2, "{added}");

    let listed = json(&ok(&["wallet", "list", "--wallet", &wallet, "--json"]));
    let entries = listed.as_array().expect("array");
    assert_eq!(entries.len(), 2);
    for e in entries {
        assert_eq!(e["vct"], VCT);
        assert_eq!(e["iss"], ISS);
        assert_eq!(e["used"], Value::Array(vec![]));
    }
    let table = ok(&["wallet", "list", "--wallet", &wallet]);
    assert!(table.contains(VCT) && table.contains("no"), "{table}");

    let query = d.write("query.json", QUERY);
    let policy = d.write("policy.toml", POLICY);
    let mut first_cnf = None;
    for round in 0..2 {
        let token = json(&ok(&present(&wallet, &query, &policy, EMPLOYER)));
        let presentations = token["rtw"].as_array().expect("rtw answered");
        assert_eq!(presentations.len(), 1);
        let p = presentations[0].as_str().expect("compact");
        // One Disclosure (right_to_work) and a KB-JWT: <jwt>~<disclosure>~<kb-jwt>.
        assert_eq!(p.matches('~').count(), 2, "{p}");
        let file = d.write(&format!("p{round}.sdjwt"), p);
        let verified = json(&ok(&[
            "verify",
            "--issuer-key",
            &d.path("issuer.pub.jwk"),
            "--nonce",
            "n-1",
            "--aud",
            EMPLOYER,
            &file,
        ]));
        assert_eq!(verified["right_to_work"], true);
        for hidden in ["given_name", "family_name", "birthdate"] {
            assert!(verified.get(hidden).is_none(), "{hidden} was disclosed");
        }
        // Each round uses another credential of the batch: another holder key.
        let cnf = verified["cnf"].clone();
        match &first_cnf {
            None => first_cnf = Some(cnf),
            Some(first) => assert_ne!(first, &cnf, "the same credential was used twice"),
        }
    }
    let listed = json(&ok(&["wallet", "list", "--wallet", &wallet, "--json"]));
    for e in listed.as_array().expect("array") {
        assert_eq!(e["used"].as_array().map(Vec::len), Some(1), "{e}");
        assert_eq!(e["used"][0]["aud"], EMPLOYER);
    }
    // Both credentials are used: a third answer would link to an earlier one.
    let err = fails(&present(&wallet, &query, &policy, EMPLOYER), 1);
    assert!(err.contains("no unused credential"), "{err}");
    let mut reuse = present(&wallet, &query, &policy, EMPLOYER);
    reuse.push("--allow-reuse");
    ok(&reuse);
}

#[test]
fn policy_refuses_over_asking_and_unregistered_verifiers() {
    let d = Dir::new("wallet-policy");
    issue_batch(&d, 1);
    let wallet = d.path("wallet");
    ok(&strs(&add_batch(&d, &wallet, 1)));
    let policy = d.write("policy.toml", POLICY);

    let over = d.write("over.json", OVER_ASKING);
    let err = fails(&present(&wallet, &over, &policy, EMPLOYER), 1);
    assert!(err.contains(r#"asked for ["birthdate"]"#), "{err}");
    assert!(err.contains("allow only [\"right_to_work\"]"), "{err}");
    assert!(err.contains("disclosure policy refuses"), "{err}");

    let query = d.write("query.json", QUERY);
    let err = fails(
        &present(&wallet, &query, &policy, "https://nosy.example"),
        1,
    );
    assert!(
        err.contains("https://nosy.example is not registered"),
        "{err}"
    );

    let unmet = d.write("unmet.json", UNMET);
    let err = fails(&present(&wallet, &unmet, &policy, EMPLOYER), 1);
    assert!(err.contains("cannot answer"), "{err}");

    // Refusals record nothing: the credential is still unused, and a dry run keeps it so.
    let mut dry = present(&wallet, &query, &policy, EMPLOYER);
    dry.push("--dry-run");
    ok(&dry);
    let listed = json(&ok(&["wallet", "list", "--wallet", &wallet, "--json"]));
    assert_eq!(listed[0]["used"], Value::Array(vec![]));

    // Malformed inputs are usage errors.
    let bad_query = d.write("bad.json", r#"{"credentials": []}"#);
    let err = fails(&present(&wallet, &bad_query, &policy, EMPLOYER), 2);
    assert!(err.contains("credentials"), "{err}");
    let bad_policy = d.write("bad.toml", "[[verifiers]]\nid = \"x\"\ncolour = \"red\"\n");
    let err = fails(&present(&wallet, &query, &bad_policy, EMPLOYER), 2);
    assert!(err.contains("disclosure policy"), "{err}");
}

#[test]
fn add_checks_everything_before_storing_anything() {
    let d = Dir::new("wallet-add");
    issue_batch(&d, 2);
    let wallet = d.path("wallet");
    // Both credentials given holder 0's key: credential 1 is bound to another key.
    let wrong_key = [
        ("cred0.sdjwt", "holder0.jwk"),
        ("cred1.sdjwt", "holder0.jwk"),
    ];
    let err = fails(
        &strs(&add_args(&d, &wallet, "issuer.pub.jwk", &wrong_key)),
        1,
    );
    assert!(err.contains("bound to another key"), "{err}");
    let listed = ok(&["wallet", "list", "--wallet", &wallet]);
    assert!(listed.contains("is empty"), "nothing stored: {listed}");

    // A public holder key cannot sign key binding JWTs.
    let public = [("cred0.sdjwt", "holder0.pub.jwk")];
    let err = fails(&strs(&add_args(&d, &wallet, "issuer.pub.jwk", &public)), 2);
    assert!(err.contains("public key"), "{err}");

    // Another issuer's key: the signature does not verify.
    ok(&["keygen", "--out", &d.path("other.jwk")]);
    d.write(
        "other.pub.jwk",
        &ok(&["key", "public", &d.path("other.jwk")]),
    );
    let own_key = [("cred0.sdjwt", "holder0.jwk")];
    fails(&strs(&add_args(&d, &wallet, "other.pub.jwk", &own_key)), 1);

    // Counts must pair up, and the same credential is stored once.
    let mut uneven = add_batch(&d, &wallet, 1);
    uneven.truncate(uneven.len() - 2);
    fails(&strs(&uneven), 2);
    let args = add_batch(&d, &wallet, 1);
    ok(&strs(&args));
    let err = fails(&strs(&args), 2);
    assert!(err.contains("already in the wallet"), "{err}");
}

#[test]
fn inspect_privacy_reports_linkers_in_text_and_json() {
    let d = Dir::new("inspect");
    issue_batch(&d, 1);
    let cred = d.path("cred0.sdjwt");
    let text = ok(&["inspect", "--privacy", &cred]);
    assert!(text.contains("NOT VERIFIED"), "{text}");
    assert!(text.contains("[holder key]"), "{text}");
    assert!(text.contains("[issuer signature]"), "{text}");

    let report = json(&ok(&["inspect", "--privacy", "--json", &cred]));
    let kinds: Vec<&str> = report["linkers"]
        .as_array()
        .expect("linkers")
        .iter()
        .filter_map(|l| l["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"holder_key"), "{kinds:?}");
    assert!(kinds.contains(&"issuer_signature"), "{kinds:?}");
    // `iat` was issued "now", to the second: precise unless it falls on the hour.
    let iat = report["envelope"]["claims"]["iat"].as_i64().expect("iat");
    assert_eq!(
        kinds.contains(&"precise_time"),
        iat % 3600 != 0,
        "{kinds:?}"
    );
    // Every selectively disclosable claim of a credential as issued is disclosed.
    assert_eq!(report["disclosed"].as_array().map(Vec::len), Some(4));

    let garbage = d.write("garbage.txt", "not an sd-jwt");
    fails(&["inspect", "--privacy", &garbage], 1);
    fails(&["inspect", "--privacy", &d.path("missing.sdjwt")], 2);
}
