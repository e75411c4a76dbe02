//! The upstream test cases in the sd-jwt-python format (`specification.yml` with `!sd` tags),
//! run issue → present → verify through this implementation by
//! `sdjwt_conformance::upstream::run_upstream`, with both crypto providers:
//!
//! * `sd-jwt-python-testcases/tests/testcases`: the reference implementation's test cases,
//!   with expected verified claims;
//! * `sd-jwt-python-testcases/examples`: its examples;
//! * `sd-jwt/examples`: the inputs of the RFC 9901 examples.
//!
//! The folders are read in place from the spec-sources folder (`SDJWT_SPEC_SOURCES`, or
//! `../shared/spec-sources`). Without it the test only prints a note, except under `CI=true`,
//! where a missing folder is a failure. Known divergences are in `spec/exceptions.toml`.

use std::path::{Path, PathBuf};

use sdjwt_conformance::upstream::{default_label, run_upstream};
use sdjwt_conformance::{CaseOutcome, Exceptions, Status};
use sdjwt_jose::CryptoProvider;

/// The folders, relative to the spec-sources folder.
const FOLDERS: &[&str] = &[
    "sd-jwt-python-testcases/tests/testcases",
    "sd-jwt-python-testcases/examples",
    "sd-jwt/examples",
];

fn exceptions() -> Exceptions {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/exceptions.toml");
    Exceptions::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The spec-sources folder, or `None` (after a note) when it is absent outside CI.
fn sources() -> Option<PathBuf> {
    match sdjwt_test::spec_sources() {
        Some(dir) => Some(dir),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => panic!(
            "CI=true but the spec-sources folder is missing: set SDJWT_SPEC_SOURCES or provide \
             ../shared/spec-sources (the upstream test cases must run in CI)"
        ),
        None => {
            eprintln!(
                "note: spec-sources folder not found (SDJWT_SPEC_SOURCES or \
                 ../shared/spec-sources); upstream test cases skipped"
            );
            None
        }
    }
}

/// How many case folders (with a `specification.yml`) `dir` has.
fn count_cases(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("specification.yml").is_file())
        .count()
}

fn run_all(provider: &CryptoProvider) {
    let Some(sources) = sources() else {
        return;
    };
    let exceptions = exceptions();
    let mut failed: Vec<CaseOutcome> = Vec::new();
    for folder in FOLDERS {
        let dir = sources.join(folder);
        assert!(
            dir.is_dir(),
            "{} is missing from the spec-sources folder",
            dir.display()
        );
        let label = default_label(&dir);
        let outcomes = run_upstream(&dir, &label, provider, &exceptions)
            .unwrap_or_else(|e| panic!("{folder}: {e}"));
        let expected = count_cases(&dir);
        assert!(expected > 0, "{folder} has no test case");
        assert_eq!(
            outcomes.len(),
            expected,
            "{folder}: {expected} case folders, but {} outcomes",
            outcomes.len()
        );
        let count = |s: Status| outcomes.iter().filter(|o| o.status == s).count();
        eprintln!(
            "{} ({label}): {} cases, {} passed, {} known divergences, {} failed",
            provider.name,
            outcomes.len(),
            count(Status::Passed),
            count(Status::Diverged),
            count(Status::Failed),
        );
        for o in &outcomes {
            if o.status == Status::Diverged {
                eprintln!("  diverged: {} [{}]: {}", o.id, o.outcome, o.detail);
            }
        }
        failed.extend(
            outcomes
                .into_iter()
                .filter(|o| o.status != Status::Passed && o.status != Status::Diverged),
        );
    }
    assert!(
        failed.is_empty(),
        "{} upstream case(s) failed with {}:\n{}",
        failed.len(),
        provider.name,
        failed
            .iter()
            .map(|o| format!("  {} [{}]: {}", o.id, o.outcome, o.detail))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn upstream_cases_pass_with_aws_lc() {
    run_all(&sdjwt_aws_lc::DEFAULT_PROVIDER);
}

#[test]
fn upstream_cases_pass_with_josekit() {
    run_all(&sdjwt_josekit::DEFAULT_PROVIDER);
}
