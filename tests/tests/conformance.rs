//! The conformance suite as a workspace test: the committed vectors are exactly what the
//! generator makes, every vector passes with both crypto providers (or diverges as
//! `spec/exceptions.toml` explains), the catalogue's vector lists are in step, every test it
//! cites exists, and every verifier requirement is covered (by a vector, or by a test where the
//! catalogue says no vector can express it).
//!
//! `SDJWT_REGENERATE_VECTORS=1 cargo test -p sdjwt-tests --test conformance` rewrites
//! `spec/vectors/` and the `vectors` lists of `spec/requirements.toml` instead of comparing.

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};

use sdjwt_conformance::{
    Catalogue, Exceptions, Kind, Report, Role, Status, VectorSet, generate, run_vectors,
};

fn spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn regenerating() -> bool {
    std::env::var_os("SDJWT_REGENERATE_VECTORS").is_some_and(|v| v == "1")
}

#[test]
fn committed_vectors_match_the_generator() {
    let set = generate::vector_set(&sdjwt_test::AWS_LC).expect("generate");
    let dir = spec().join("vectors");
    let catalogue_path = spec().join("requirements.toml");
    let catalogue_text = std::fs::read_to_string(&catalogue_path).expect("read catalogue");
    let synced = generate::sync_catalogue(&catalogue_text, &set);
    if regenerating() {
        set.write(&dir).expect("write vectors");
        std::fs::write(&catalogue_path, &synced).expect("write catalogue");
        return;
    }
    let mut drift = Vec::new();
    for (path, text) in set.files() {
        match std::fs::read_to_string(dir.join(&path)) {
            Ok(committed) if committed == text => {}
            Ok(_) => drift.push(format!("{} differs", path.display())),
            Err(_) => drift.push(format!("{} is missing", path.display())),
        }
    }
    let committed = VectorSet::load(&dir).expect("load committed vectors");
    for v in &committed.vectors {
        if !set.vectors.iter().any(|g| g.id == v.id) {
            drift.push(format!("{} is committed but no longer generated", v.id));
        }
    }
    if synced != catalogue_text {
        drift.push("requirements.toml vector lists are out of step".to_owned());
    }
    assert!(
        drift.is_empty(),
        "spec/vectors drifted from the generator (run with SDJWT_REGENERATE_VECTORS=1):\n{}",
        drift.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let a = generate::vector_set(&sdjwt_test::AWS_LC).expect("generate");
    let b = generate::vector_set(&sdjwt_test::JOSEKIT).expect("generate");
    assert_eq!(
        a.files(),
        b.files(),
        "both providers must make the same bytes"
    );
}

fn committed() -> (VectorSet, Catalogue, Exceptions) {
    let set = VectorSet::load(&spec().join("vectors")).expect("load vectors");
    let catalogue = Catalogue::load(&spec().join("requirements.toml")).expect("catalogue");
    let exceptions = Exceptions::load(&spec().join("exceptions.toml")).expect("exceptions");
    (set, catalogue, exceptions)
}

sdjwt_test::for_each_provider! {
    fn every_vector_passes(p) {
        let (set, catalogue, exceptions) = committed();
        let report = Report::new(&catalogue, run_vectors(&set, &p, &exceptions));
        // A case may diverge only as spec/exceptions.toml says, with its reason; an exception
        // whose case passes or fails otherwise makes the case fail.
        let failed: Vec<String> = report
            .cases
            .iter()
            .filter(|c| !matches!(c.status, Status::Passed | Status::Diverged))
            .map(|c| format!("{}: {} ({})", c.id, c.detail, c.outcome))
            .collect();
        assert!(failed.is_empty(), "vectors not passing:\n{}", failed.join("\n"));
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
}

#[test]
fn the_suite_is_big_enough_and_covers_every_verifier_requirement() {
    let (set, catalogue, exceptions) = committed();
    let negatives = set
        .vectors
        .iter()
        .filter(|v| v.kind == Kind::Negative)
        .count();
    assert!(negatives >= 60, "only {negatives} negative vectors");
    let report = Report::new(
        &catalogue,
        run_vectors(&set, &sdjwt_test::AWS_LC, &exceptions),
    );
    let uncovered: Vec<&str> = report
        .requirements
        .iter()
        .filter(|r| r.role == Role::Verifier && !r.covered())
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        uncovered.is_empty(),
        "verifier requirements without a vector (or, where the catalogue says no vector can \
         express them, without a test): {uncovered:?}"
    );
    let (covered, total) = report.coverage(Some(Role::Verifier));
    assert_eq!(covered, total);
    // Every part of the catalogue has vectors: RFC 9901, SD-JWT VC and the Token Status List.
    for prefix in ["RFC9901-", "SDJWTVC-", "TSL-"] {
        let with_cases = report
            .requirements
            .iter()
            .filter(|r| r.id.starts_with(prefix) && r.cases > 0)
            .count();
        assert!(
            with_cases >= 10,
            "only {with_cases} {prefix} requirements have vectors"
        );
    }
}

/// A requirement that no vector can express says why, and is covered by tests instead.
#[test]
fn no_vector_entries_are_few_and_tested() {
    let catalogue = Catalogue::load(&spec().join("requirements.toml")).expect("catalogue");
    let entries: Vec<_> = catalogue
        .requirements
        .iter()
        .filter(|r| r.no_vector.is_some())
        .collect();
    assert!(entries.len() <= 8, "{} no_vector entries", entries.len());
    for r in entries {
        assert!(!r.tests.is_empty(), "{} has no_vector but no test", r.id);
        assert!(r.vectors.is_empty(), "{} has no_vector but vectors", r.id);
    }
}

/// Every `tests` entry of the catalogue names a function that exists in that file.
#[test]
fn catalogue_cites_only_existing_tests() {
    let catalogue = Catalogue::load(&spec().join("requirements.toml")).expect("catalogue");
    let root = spec().join("..");
    let mut missing = Vec::new();
    for r in &catalogue.requirements {
        for t in &r.tests {
            let Some((file, function)) = t.rsplit_once("::") else {
                missing.push(format!("{}: {t} is not <file>::<fn>", r.id));
                continue;
            };
            let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
            if !text.contains(&format!("fn {function}(")) {
                missing.push(format!("{}: {t}", r.id));
            }
        }
    }
    assert!(missing.is_empty(), "missing tests:\n{}", missing.join("\n"));
}
