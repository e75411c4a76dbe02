//! `sdjwt conformance`: the committed vectors pass, every report format is well formed, and the
//! `--implementation` driver passes our own binary and catches a tool that accepts anything.

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_sdjwt");

/// Runs `sdjwt conformance <args>` from the repository root.
fn conformance(args: &[&str]) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    Command::new(BIN)
        .arg("conformance")
        .args(args)
        .current_dir(root)
        .output()
        .expect("run sdjwt")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn text_report_passes_with_full_verifier_coverage() {
    let out = conformance(&[]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("result: PASS"), "{text}");
    assert!(text.contains(" 0 failed"), "{text}");
    let verifier = text
        .lines()
        .nth(1)
        .and_then(|l| l.split("verifier: ").nth(1))
        .expect("verifier coverage on the second line");
    assert!(verifier.contains("(100.0%)"), "{verifier}");
    // The SD-JWT VC and Token Status List requirements are reported with their vectors.
    for id in ["SDJWTVC-2.2.1-2", "SDJWTVC-7.4-1", "TSL-8.3-3", "TSL-7.1-1"] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no line for {id} in\n{text}"));
        assert!(
            line.ends_with("passed") && line.contains("verifier"),
            "{line}"
        );
    }
}

#[test]
fn json_report_is_one_object() {
    let out = conformance(&["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["result"], "pass");
    assert_eq!(report["summary"]["failed"], 0);
    assert_eq!(report["summary"]["verifier_coverage_percent"], 100.0);
    assert!(report["cases"].as_array().is_some_and(|c| c.len() > 60));
}

#[test]
fn junit_report_is_xml() {
    let out = conformance(&["--format", "junit"]);
    assert_eq!(out.status.code(), Some(0));
    let xml = stdout(&out);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert!(xml.trim_end().ends_with("</testsuites>"));
}

#[test]
fn implementation_mode_passes_our_own_binary() {
    let out = conformance(&["--implementation", BIN]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(" 0 failed"), "{text}");
    // Negative cases really ran (the baseline was accepted), they were not all skipped.
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| !l.contains(" 0 passed")),
        "{text}"
    );
    // SD-JWT VC cases cannot go through the core contract: skipped, and saying why.
    for id in [
        "pos-vc-right-to-work",
        "neg-vc-typ-wrong",
        "neg-tsl-revoked",
    ] {
        assert!(
            text.lines().any(|l| l
                .trim_start()
                .starts_with(&format!("implementation:{id}: an SD-JWT VC case needs"))),
            "{id} not skipped with its reason:\n{text}"
        );
    }
}

#[test]
fn implementation_mode_catches_a_tool_that_accepts_everything() {
    // `true` exits 0 for every command: it "verifies" every negative case and prints no
    // claims for the positive ones.
    let out = conformance(&["--implementation", "true", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["result"], "fail");
    let cases = report["cases"].as_array().expect("cases");
    let accepted_negative = cases.iter().any(|c| {
        c["status"] == "failed"
            && c["outcome"] == "accepted"
            && c["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("implementation:neg-"))
    });
    assert!(accepted_negative, "{report}");
}

#[test]
fn a_missing_vector_folder_is_a_usage_error() {
    let out = conformance(&["--vectors", "/nonexistent/vectors"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}
