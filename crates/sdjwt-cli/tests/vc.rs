//! `sdjwt status …`, `issue --vct --status-uri --status-index`, and `verify --trust`: the
//! SD-JWT VC and Token Status List commands, through the real binary, offline.

#![allow(clippy::expect_used)]

use serde_json::{Value, json};

mod common;
use common::{Dir, ok, sdjwt};

const ISS: &str = "https://immigration.gov.example";
const VCT: &str = "https://credentials.gov.example/right-to-work";
const STATUS_URI: &str = "https://immigration.gov.example/status/1";

fn fails(args: &[&str], code: i32) -> String {
    let out = sdjwt(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "sdjwt {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8(out.stderr).expect("utf-8");
    // Clap's own usage errors carry a usage hint; everything else is one line.
    if !err.contains("For more information") {
        assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    }
    err
}

/// Keys, a trust list, a status list with index 5, and a presentation of `right_to_work`.
fn world(d: &Dir) -> (String, String) {
    let issuer = d.path("issuer.jwk");
    ok(&["keygen", "--alg", "EdDSA", "--out", &issuer]);
    let issuer_pub = ok(&["key", "public", &issuer]);
    d.write("issuer.pub.jwk", &issuer_pub);
    let holder = d.path("holder.jwk");
    ok(&["keygen", "--alg", "ES256", "--out", &holder]);
    d.write("holder.pub.jwk", &ok(&["key", "public", &holder]));
    d.write(
        "keys.json",
        &json!({"keys": [serde_json::from_str::<Value>(&issuer_pub).expect("jwk")]}).to_string(),
    );
    d.write(
        "trust.toml",
        &format!("format = 1\n\n[[issuer]]\nid = \"{ISS}\"\nname = \"Immigration Authority\"\nvct = [\"{VCT}\"]\nkeys = \"jwks\"\njwks_file = \"keys.json\"\n"),
    );
    d.write(
        "claims.json",
        r#"{"right_to_work": true, "given_name": "Amara"}"#,
    );
    let list = d.path("list.json");
    ok(&[
        "status", "create", "--bits", "2", "--size", "1000", "--out", &list,
    ]);
    ok(&[
        "issue",
        "--key",
        &issuer,
        "--holder-key",
        &d.path("holder.pub.jwk"),
        "--claims",
        &d.path("claims.json"),
        "--sd",
        "/right_to_work",
        "--sd",
        "/given_name",
        "--vct",
        VCT,
        "--iss",
        ISS,
        "--status-uri",
        STATUS_URI,
        "--status-index",
        "5",
        "--out",
        &d.path("cred.sdjwt"),
    ]);
    ok(&[
        "present",
        "--credential",
        &d.path("cred.sdjwt"),
        "--holder-key",
        &holder,
        "--disclose",
        "/right_to_work",
        "--nonce",
        "n1",
        "--aud",
        "https://employer.example",
        "--out",
        &d.path("pres.sdjwt"),
    ]);
    (list, issuer)
}

fn publish(d: &Dir, list: &str, issuer: &str) -> String {
    let token = d.path("list.jwt");
    ok(&[
        "status", "token", "--list", list, "--key", issuer, "--sub", STATUS_URI, "--ttl", "300",
        "--out", &token,
    ]);
    token
}

fn verify_args<'a>(d: &'a Dir, token: &'a str, pairs: &'a mut String) -> Vec<String> {
    *pairs = format!("{STATUS_URI}={token}");
    vec![
        "verify".into(),
        "--trust".into(),
        d.path("trust.toml"),
        "--status-list".into(),
        pairs.clone(),
        "--nonce".into(),
        "n1".into(),
        "--aud".into(),
        "https://employer.example".into(),
        d.path("pres.sdjwt"),
    ]
}

#[test]
fn status_list_lifecycle_and_revocation() {
    let d = Dir::new("lifecycle");
    let (list, issuer) = world(&d);
    assert_eq!(
        ok(&["status", "get", "--list", &list, "--index", "5"]).trim(),
        "VALID"
    );
    let token = publish(&d, &list, &issuer);
    let mut pairs = String::new();
    let args = verify_args(&d, &token, &mut pairs);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out: Value = serde_json::from_str(&ok(&args)).expect("json payload");
    assert_eq!(out["right_to_work"], json!(true));
    assert_eq!(out["vct"], json!(VCT));
    assert!(out.get("given_name").is_none());
    // Revoke, republish, check again.
    ok(&[
        "status", "set", "--list", &list, "--index", "5", "--status", "revoked",
    ]);
    assert_eq!(
        ok(&["status", "get", "--list", &list, "--index", "5"]).trim(),
        "INVALID"
    );
    let token = publish(&d, &list, &issuer);
    let got = ok(&[
        "status",
        "get",
        "--token",
        &token,
        "--issuer-key",
        &d.path("issuer.pub.jwk"),
        "--index",
        "5",
        "--json",
    ]);
    let got: Value = serde_json::from_str(&got).expect("json");
    assert_eq!(got["status"], json!("INVALID"));
    assert_eq!(got["value"], json!(1));
    let err = fails(&args, 1);
    assert!(err.contains("credential revoked"), "{err}");
    // Suspended.
    ok(&[
        "status",
        "set",
        "--list",
        &list,
        "--index",
        "5",
        "--status",
        "suspended",
    ]);
    publish(&d, &list, &issuer);
    let err = fails(&args, 1);
    assert!(err.contains("suspended"), "{err}");
    // Skipping the status check is explicit.
    let mut no_status = args.clone();
    no_status.insert(1, "--no-status");
    ok(&no_status);
}

#[test]
fn verify_trust_rejections() {
    let d = Dir::new("reject");
    let (list, issuer) = world(&d);
    let token = publish(&d, &list, &issuer);
    let mut pairs = String::new();
    let args = verify_args(&d, &token, &mut pairs);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // Issuer trusted for another type only.
    d.write(
        "trust.toml",
        &format!("format = 1\n[[issuer]]\nid = \"{ISS}\"\nvct = [\"urn:example:other\"]\nkeys = \"jwks\"\njwks_file = \"keys.json\"\n"),
    );
    let err = fails(&args, 1);
    assert!(err.contains("not trusted to issue"), "{err}");
    // Issuer not in the list at all.
    d.write("trust.toml", "format = 1\n");
    let err = fails(&args, 1);
    assert!(err.contains("not in the trust list"), "{err}");
    // A broken trust list is a usage error.
    d.write("trust.toml", "format = 1\n[[issuer]]\nid = 3\n");
    fails(&args, 2);
    // Status list unavailable offline: rejected, with the reason.
    d.write(
        "trust.toml",
        &format!("format = 1\n[[issuer]]\nid = \"{ISS}\"\nvct = [\"{VCT}\"]\nkeys = \"jwks\"\njwks_file = \"keys.json\"\n"),
    );
    let without: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| *a != "--status-list" && !a.contains('='))
        .collect();
    let err = fails(&without, 1);
    assert!(err.contains("status"), "{err}");
    // --issuer-key and --trust do not mix.
    let mut both = args.clone();
    let key = d.path("issuer.pub.jwk");
    both.extend(["--issuer-key", key.as_str()]);
    fails(&both, 2);
}

#[test]
fn issue_refuses_reserved_disclosures_and_checks_type_metadata() {
    let d = Dir::new("issue");
    let issuer = d.path("issuer.jwk");
    ok(&["keygen", "--alg", "EdDSA", "--out", &issuer]);
    d.write(
        "claims.json",
        r#"{"right_to_work": true, "given_name": "Amara", "aka_vcts": ["urn:example:work"]}"#,
    );
    let err = fails(
        &[
            "issue",
            "--key",
            &issuer,
            "--claims",
            &d.path("claims.json"),
            "--vct",
            VCT,
            "--sd",
            "/aka_vcts",
            "--out",
            &d.path("c"),
        ],
        2,
    );
    assert!(err.contains("must not make"), "{err}");
    d.write(
        "claims.json",
        r#"{"right_to_work": true, "given_name": "Amara"}"#,
    );
    let metadata = json!({
        "vct": VCT,
        "claims": [{"path": ["right_to_work"], "sd": "always", "mandatory": true}]
    })
    .to_string();
    let tm = d.write("type.json", &metadata);
    // right_to_work must be selectively disclosable.
    let err = fails(
        &[
            "issue",
            "--key",
            &issuer,
            "--claims",
            &d.path("claims.json"),
            "--vct",
            VCT,
            "--type-metadata",
            &tm,
            "--out",
            &d.path("c"),
        ],
        2,
    );
    assert!(err.contains("must be selectively disclosable"), "{err}");
    let out = d.path("c");
    ok(&[
        "issue",
        "--key",
        &issuer,
        "--claims",
        &d.path("claims.json"),
        "--vct",
        VCT,
        "--type-metadata",
        &tm,
        "--sd",
        "/right_to_work",
        "--out",
        &out,
    ]);
    let decoded = ok(&["decode", "--json", &out]);
    assert!(decoded.contains("vct#integrity"), "{decoded}");
}

#[test]
fn status_command_errors() {
    let d = Dir::new("errors");
    let list = d.path("l.json");
    fails(
        &[
            "status", "create", "--bits", "3", "--size", "10", "--out", &list,
        ],
        2,
    );
    fails(
        &[
            "status", "create", "--bits", "1", "--size", "0", "--out", &list,
        ],
        2,
    );
    ok(&[
        "status", "create", "--bits", "1", "--size", "16", "--out", &list,
    ]);
    let err = fails(
        &[
            "status", "set", "--list", &list, "--index", "16", "--status", "invalid",
        ],
        2,
    );
    assert!(!err.is_empty());
    fails(
        &[
            "status",
            "set",
            "--list",
            &list,
            "--index",
            "1",
            "--status",
            "suspended",
        ],
        2,
    );
    fails(
        &[
            "status", "set", "--list", &list, "--index", "1", "--status", "bogus",
        ],
        2,
    );
    fails(&["status", "get", "--list", &list, "--index", "99"], 2);
    d.write("bad.json", r#"{"bits": 1, "lst": "not base64!"}"#);
    fails(
        &[
            "status",
            "get",
            "--list",
            &d.path("bad.json"),
            "--index",
            "0",
        ],
        2,
    );
}
