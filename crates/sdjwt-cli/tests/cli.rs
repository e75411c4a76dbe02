//! The CLI.md contract, driven through the real binary: flags, outputs, exit codes and
//! one-line errors.

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

mod common;
use common::Dir;

const NOW: &str = "1800000000";

fn sdjwt(args: &[&str]) -> Output {
    sdjwt_stdin(args, None)
}

fn sdjwt_stdin(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sdjwt"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sdjwt");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

fn fails(out: &Output, code: i32, message: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line on stderr: {stderr}");
    assert!(stderr.starts_with("error: ") || code == 2, "{stderr}");
    assert!(
        stderr.contains(message),
        "expected {message:?} in {stderr:?}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let body = stderr.trim_end().trim_start_matches("error: ");
    for part in body.split(": ") {
        assert_eq!(
            body.matches(part).count(),
            1,
            "{part:?} repeated in {stderr:?}"
        );
    }
}

/// Keys, claims and an issued credential in a fresh directory.
fn setup(name: &str) -> Dir {
    let d = Dir::new(name);
    ok(&sdjwt(&[
        "keygen",
        "--alg",
        "ES256",
        "--out",
        &d.path("issuer.jwk"),
    ]));
    ok(&sdjwt(&[
        "keygen",
        "--alg",
        "ES256",
        "--out",
        &d.path("holder.jwk"),
    ]));
    let issuer_pub = ok(&sdjwt(&["key", "public", &d.path("issuer.jwk")]));
    d.write("issuer.pub.jwk", &issuer_pub);
    let holder_pub = ok(&sdjwt(&["key", "public", &d.path("holder.jwk")]));
    d.write("holder.pub.jwk", &holder_pub);
    let claims = json!({
        "given_name": "Amara", "address": {"locality": "Leeds", "postcode": "LS1 4AB"},
        "nationalities": ["NG", "GB"], "right_to_work": true
    });
    d.write("claims.json", &claims.to_string());
    let sd = [
        "/given_name",
        "/address",
        "/address/postcode",
        "/nationalities",
        "/nationalities/0",
        "/nationalities/1",
        "/right_to_work",
    ];
    let (ik, hk, cl, out) = (
        d.path("issuer.jwk"),
        d.path("holder.pub.jwk"),
        d.path("claims.json"),
        d.path("cred.sdjwt"),
    );
    let mut args = vec![
        "issue",
        "--key",
        &ik,
        "--holder-key",
        &hk,
        "--claims",
        &cl,
        "--iat",
        NOW,
        "--exp",
        "+1d",
        "--out",
        &out,
    ];
    for p in sd {
        args.extend(["--sd", p]);
    }
    ok(&sdjwt(&args));
    d
}

fn present(d: &Dir, disclose: &[&str], nonce: &str, aud: &str) -> String {
    let (c, hk, ik, out) = (
        d.path("cred.sdjwt"),
        d.path("holder.jwk"),
        d.path("issuer.pub.jwk"),
        d.path("pres.sdjwt"),
    );
    let mut args = vec![
        "present",
        "--credential",
        &c,
        "--holder-key",
        &hk,
        "--issuer-key",
        &ik,
        "--nonce",
        nonce,
        "--aud",
        aud,
        "--now",
        NOW,
        "--out",
        &out,
    ];
    for p in disclose {
        args.extend(["--disclose", p]);
    }
    ok(&sdjwt(&args));
    out
}

fn verify(d: &Dir, pres: &str, nonce: &str, aud: &str) -> Output {
    sdjwt(&[
        "verify",
        "--issuer-key",
        &d.path("issuer.pub.jwk"),
        "--nonce",
        nonce,
        "--aud",
        aud,
        "--now",
        NOW,
        pres,
    ])
}

#[test]
fn keygen_writes_a_private_jwk_and_key_public_strips_it() {
    let d = Dir::new("keys");
    for alg in [
        "ES256", "ES384", "ES512", "EdDSA", "PS256", "RS256", "ES256K",
    ] {
        let out = sdjwt(&["keygen", "--alg", alg, "--out", &d.path("k.jwk")]);
        ok(&out);
        let jwk: Value = serde_json::from_str(&d.read("k.jwk")).expect("json");
        assert!(jwk.get("d").is_some(), "{alg}: private");
        let public: Value =
            serde_json::from_str(&ok(&sdjwt(&["key", "public", &d.path("k.jwk")]))).expect("json");
        assert!(
            public.get("d").is_none() && public.get("p").is_none(),
            "{alg}: public only"
        );
        let tp = ok(&sdjwt(&["key", "thumbprint", &d.path("k.jwk")]));
        assert_eq!(tp.trim().len(), 43, "{alg}: sha-256 thumbprint");
    }
    let jwk: Value =
        serde_json::from_str(&ok(&sdjwt(&["keygen", "--alg", "ES256"]))).expect("stdout");
    assert_eq!(
        (jwk["kty"].as_str(), jwk["crv"].as_str()),
        (Some("EC"), Some("P-256"))
    );
}

#[test]
fn issue_present_verify_reveals_only_what_was_asked() {
    let d = setup("flow");
    let cred = d.read("cred.sdjwt");
    assert!(
        cred.trim_end().ends_with('~'),
        "issue writes the compact form with its trailing ~"
    );
    let pres = present(&d, &["/right_to_work"], "n-1", "https://employer.example");
    assert!(
        !d.read("pres.sdjwt").trim_end().ends_with('~'),
        "present appends a KB-JWT"
    );
    let out: Value =
        serde_json::from_str(&ok(&verify(&d, &pres, "n-1", "https://employer.example")))
            .expect("one JSON object");
    assert_eq!(out["right_to_work"], json!(true));
    assert!(out.get("given_name").is_none() && out.get("address").is_none());
    let text = out.to_string();
    assert!(!text.contains("_sd") && !text.contains("\"...\""), "{text}");

    // Recursive: the postcode brings its disclosable parent; an index counts the full array.
    let pres = present(
        &d,
        &["/right_to_work", "/address/postcode", "/nationalities/1"],
        "n-2",
        "aud",
    );
    let out: Value = serde_json::from_str(&ok(&verify(&d, &pres, "n-2", "aud"))).expect("json");
    // `locality` was issued as plaintext inside the disclosable address, so it comes along.
    assert_eq!(
        out["address"],
        json!({"locality": "Leeds", "postcode": "LS1 4AB"})
    );
    assert_eq!(out["nationalities"], json!(["GB"]));
    assert_eq!(out["right_to_work"], json!(true));
}

#[test]
fn verify_failures_are_one_line_with_exit_1() {
    let d = setup("reject");
    let pres = present(&d, &["/right_to_work"], "n-1", "aud-1");
    fails(
        &verify(&d, &pres, "other", "aud-1"),
        1,
        "error: key binding: nonce does not match",
    );
    fails(
        &verify(&d, &pres, "n-1", "aud-2"),
        1,
        "key binding: audience",
    );
    // Required key binding, SD-JWT without it.
    fails(
        &verify(&d, &d.path("cred.sdjwt"), "n-1", "aud-1"),
        1,
        "key binding is required",
    );
    // A tampered disclosure.
    let text = d.read("pres.sdjwt");
    let mut parts: Vec<String> = text.trim().split('~').map(str::to_owned).collect();
    parts[1] = sdjwt_jose::base64url::encode(r#"["x","right_to_work",false]"#);
    let tampered = d.write("tampered.sdjwt", &parts.join("~"));
    fails(
        &verify(&d, &tampered, "n-1", "aud-1"),
        1,
        "not referenced by any digest",
    );
    // A stranger's key.
    ok(&sdjwt(&["keygen", "--out", &d.path("stranger.jwk")]));
    let out = sdjwt(&[
        "verify",
        "--issuer-key",
        &d.path("stranger.jwk"),
        "--now",
        NOW,
        &d.path("cred.sdjwt"),
    ]);
    fails(&out, 1, "signature is invalid");
    // Without --nonce/--aud the credential itself verifies.
    let out: Value = serde_json::from_str(&ok(&sdjwt(&[
        "verify",
        "--issuer-key",
        &d.path("issuer.pub.jwk"),
        "--now",
        NOW,
        &d.path("cred.sdjwt"),
    ])))
    .expect("json");
    assert_eq!(out["given_name"], json!("Amara"));
}

#[test]
fn usage_and_unreadable_input_exit_2() {
    let d = setup("usage");
    fails(
        &sdjwt(&[
            "verify",
            "--issuer-key",
            &d.path("nope.jwk"),
            &d.path("cred.sdjwt"),
        ]),
        2,
        "nope.jwk",
    );
    let out = sdjwt(&["verify", &d.path("cred.sdjwt")]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "missing --issuer-key is a usage error"
    );
    let (c, hk) = (d.path("cred.sdjwt"), d.path("holder.jwk"));
    let out = sdjwt(&[
        "present",
        "--credential",
        &c,
        "--holder-key",
        &hk,
        "--disclose",
        "/nothing",
        "--nonce",
        "n",
        "--aud",
        "a",
        "--now",
        NOW,
    ]);
    fails(&out, 2, "/nothing names nothing");
    let out = sdjwt(&[
        "present",
        "--credential",
        &c,
        "--holder-key",
        &hk,
        "--nonce",
        "n",
        "--now",
        NOW,
    ]);
    fails(&out, 2, "--nonce and --aud go together");
    let out = sdjwt(&["keygen", "--alg", "HS256"]);
    assert_eq!(out.status.code(), Some(2));
    let (ik, cl) = (d.path("issuer.jwk"), d.path("claims.json"));
    let out = sdjwt(&["issue", "--key", &ik, "--holder-key", &hk, "--claims", &cl]);
    fails(&out, 2, "private key");
}

#[test]
fn stdin_and_stdout_dash() {
    let d = setup("dash");
    let cred = d.read("cred.sdjwt");
    let (hk, ik) = (d.path("holder.jwk"), d.path("issuer.pub.jwk"));
    let pres = ok(&sdjwt_stdin(
        &[
            "present",
            "--credential",
            "-",
            "--holder-key",
            &hk,
            "--disclose",
            "/given_name",
            "--nonce",
            "n",
            "--aud",
            "a",
            "--now",
            NOW,
            "--out",
            "-",
        ],
        Some(&cred),
    ));
    let out: Value = serde_json::from_str(&ok(&sdjwt_stdin(
        &[
            "verify",
            "--issuer-key",
            &ik,
            "--nonce",
            "n",
            "--aud",
            "a",
            "--now",
            NOW,
            "-",
        ],
        Some(&pres),
    )))
    .expect("json");
    assert_eq!(out["given_name"], json!("Amara"));
}

#[test]
fn json_serializations_round_trip() {
    let d = setup("json");
    let (ik, hk, hp, cl) = (
        d.path("issuer.jwk"),
        d.path("holder.jwk"),
        d.path("holder.pub.jwk"),
        d.path("claims.json"),
    );
    ok(&sdjwt(&[
        "keygen",
        "--alg",
        "EdDSA",
        "--out",
        &d.path("cosigner.jwk"),
    ]));
    let co = d.path("cosigner.jwk");
    let general = d.path("general.json");
    ok(&sdjwt(&[
        "issue",
        "--key",
        &ik,
        "--key",
        &co,
        "--holder-key",
        &hp,
        "--claims",
        &cl,
        "--sd",
        "/right_to_work",
        "--format",
        "general",
        "--iat",
        NOW,
        "--out",
        &general,
    ]));
    let issued: Value = serde_json::from_str(&d.read("general.json")).expect("json");
    assert_eq!(issued["signatures"].as_array().map(Vec::len), Some(2));
    let pres = d.path("pres.json");
    ok(&sdjwt(&[
        "present",
        "--credential",
        &general,
        "--holder-key",
        &hk,
        "--disclose",
        "/right_to_work",
        "--nonce",
        "n",
        "--aud",
        "a",
        "--now",
        NOW,
        "--out",
        &pres,
    ]));
    ok(&sdjwt(&["key", "public", &co]));
    let co_pub = d.write("cosigner.pub.jwk", &ok(&sdjwt(&["key", "public", &co])));
    let ip = d.path("issuer.pub.jwk");
    let out = sdjwt(&[
        "verify",
        "--issuer-key",
        &ip,
        "--issuer-key",
        &co_pub,
        "--nonce",
        "n",
        "--aud",
        "a",
        "--now",
        NOW,
        &pres,
    ]);
    let v: Value = serde_json::from_str(&ok(&out)).expect("json");
    assert_eq!(v["right_to_work"], json!(true));
    // Only one co-signer known: refused by default, accepted with --at-least-one.
    let out = sdjwt(&[
        "verify",
        "--issuer-key",
        &ip,
        "--nonce",
        "n",
        "--aud",
        "a",
        "--now",
        NOW,
        &pres,
    ]);
    assert_eq!(out.status.code(), Some(1));
    ok(&sdjwt(&[
        "verify",
        "--issuer-key",
        &ip,
        "--at-least-one",
        "--nonce",
        "n",
        "--aud",
        "a",
        "--now",
        NOW,
        &pres,
    ]));
}

#[test]
fn decode_says_it_did_not_verify() {
    let d = setup("decode");
    let report: Value =
        serde_json::from_str(&ok(&sdjwt(&["decode", "--json", &d.path("cred.sdjwt")])))
            .expect("json");
    assert_eq!(report["verified"], json!(false));
    assert_eq!(report["disclosures"].as_array().map(Vec::len), Some(7));
    let paths: Vec<&str> = report["disclosures"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert!(
        paths.contains(&"/address/postcode") && paths.contains(&"/nationalities/1"),
        "{paths:?}"
    );
    assert!(
        report["undisclosed_digests"]
            .as_u64()
            .is_some_and(|n| n >= 3),
        "decoys are hidden digests"
    );
    assert!(Path::new(&d.path("cred.sdjwt")).exists());
}

#[test]
fn demo_tells_the_story() {
    let out = ok(&sdjwt(&["demo"]));
    for needle in [
        "right_to_work = true",
        "employer B: refused",
        "tampered disclosure: refused",
        "14 of 15",
    ] {
        assert!(out.contains(needle), "{needle:?} missing from:\n{out}");
    }
    assert!(
        !out.contains("Okafor"),
        "the employer's view must not show hidden values"
    );
}
