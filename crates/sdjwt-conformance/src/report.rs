//! Outcomes per case, gathered per requirement, rendered as text, JSON or JUnit XML.

use core::fmt::Write as _;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::catalogue::{Catalogue, Role};

/// How one case ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// The outcome was the expected one.
    Passed,
    /// The outcome was not the expected one, and no exception explains it.
    Failed,
    /// The outcome differs from the vector's, as an exception says it should.
    Diverged,
    /// The case does not apply (e.g. a policy another tool's CLI cannot express).
    Skipped,
}

impl Status {
    /// `passed`, `failed`, `diverged` or `skipped`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Diverged => "diverged",
            Self::Skipped => "skipped",
        }
    }
}

/// The result of one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseOutcome {
    /// The case id: a vector id, `upstream:<set>/<case>`, or `implementation:<vector id>`.
    pub id: String,
    /// Which run produced it: `vectors`, `upstream` or `implementation`.
    pub suite: String,
    /// The requirement ids the case exercises.
    pub requirements: Vec<String>,
    /// How it ended.
    pub status: Status,
    /// What actually happened, in a form exceptions match against: `accepted`,
    /// `rejected:<class>`, `rejected`, `issue-error`, `present-error`, `claims-differ`,
    /// `setup-error`.
    pub outcome: String,
    /// A sentence for humans.
    pub detail: String,
}

impl CaseOutcome {
    /// A passed case.
    pub fn passed(id: &str, suite: &str, requirements: &[String], outcome: &str) -> Self {
        Self {
            id: id.to_owned(),
            suite: suite.to_owned(),
            requirements: requirements.to_vec(),
            status: Status::Passed,
            outcome: outcome.to_owned(),
            detail: String::new(),
        }
    }

    /// A failed case.
    pub fn failed(
        id: &str,
        suite: &str,
        requirements: &[String],
        outcome: &str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status: Status::Failed,
            detail: detail.into(),
            ..Self::passed(id, suite, requirements, outcome)
        }
    }

    /// A skipped case.
    pub fn skipped(id: &str, suite: &str, requirements: &[String], why: impl Into<String>) -> Self {
        Self {
            status: Status::Skipped,
            detail: why.into(),
            ..Self::passed(id, suite, requirements, "skipped")
        }
    }
}

/// One requirement's line in the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequirementStatus {
    /// The requirement id.
    pub id: String,
    /// Its section.
    pub section: String,
    /// The role it binds.
    pub role: Role,
    /// Its paraphrase.
    pub text: String,
    /// Cases of this run that exercise it (skipped ones excluded).
    pub cases: usize,
    /// Of those, how many passed.
    pub passed: usize,
    /// Of those, how many failed.
    pub failed: usize,
    /// Of those, how many diverged as an exception expects.
    pub diverged: usize,
    /// Tests the catalogue lists for it.
    pub tests: usize,
    /// The catalogue says no vector can express it (`no_vector`), so its tests cover it.
    pub no_vector: bool,
}

impl RequirementStatus {
    /// `failed`, `passed`, `diverged`, `tests only` or `uncovered`.
    pub fn verdict(&self) -> &'static str {
        if self.failed > 0 {
            "failed"
        } else if self.passed > 0 {
            "passed"
        } else if self.diverged > 0 {
            "diverged"
        } else if self.tests > 0 {
            "tests only"
        } else {
            "uncovered"
        }
    }

    /// Whether at least one case of this run exercises it, or, for a requirement no vector
    /// can express, at least one test covers it.
    pub fn covered(&self) -> bool {
        self.cases > 0 || self.covered_by_tests_only()
    }

    /// Whether it is covered by tests alone because no vector can express it.
    pub fn covered_by_tests_only(&self) -> bool {
        self.cases == 0 && self.no_vector && self.tests > 0
    }
}

/// Output format of [`Report::render`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A table for people.
    Text,
    /// One JSON object.
    Json,
    /// JUnit XML, for CI systems.
    Junit,
}

/// Everything a run found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Per requirement, in catalogue order.
    pub requirements: Vec<RequirementStatus>,
    /// Every case, in run order.
    pub cases: Vec<CaseOutcome>,
    /// Problems with the suite itself: a case naming a requirement the catalogue lacks.
    pub problems: Vec<String>,
}

impl Report {
    /// Gathers `cases` per requirement of `catalogue`.
    pub fn new(catalogue: &Catalogue, cases: Vec<CaseOutcome>) -> Self {
        let mut by_req: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
        let known: BTreeSet<&str> = catalogue
            .requirements
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        let mut problems = BTreeSet::new();
        for case in &cases {
            for req in &case.requirements {
                if !known.contains(req.as_str()) {
                    problems.insert(format!(
                        "case {} names requirement {req}, which is not in the catalogue",
                        case.id
                    ));
                    continue;
                }
                let entry = by_req.entry(req.as_str()).or_default();
                match case.status {
                    Status::Passed => entry.1 += 1,
                    Status::Failed => entry.2 += 1,
                    Status::Diverged => entry.3 += 1,
                    Status::Skipped => continue,
                }
                entry.0 += 1;
            }
        }
        let requirements = catalogue
            .requirements
            .iter()
            .map(|r| {
                let (cases, passed, failed, diverged) =
                    by_req.get(r.id.as_str()).copied().unwrap_or_default();
                RequirementStatus {
                    id: r.id.clone(),
                    section: r.section.clone(),
                    role: r.role,
                    text: r.text.clone(),
                    cases,
                    passed,
                    failed,
                    diverged,
                    tests: r.tests.len(),
                    no_vector: r.no_vector.is_some(),
                }
            })
            .collect();
        Self {
            requirements,
            cases,
            problems: problems.into_iter().collect(),
        }
    }

    /// Cases with `status`.
    pub fn count(&self, status: Status) -> usize {
        self.cases.iter().filter(|c| c.status == status).count()
    }

    /// (covered, total) requirements, optionally for one role only.
    pub fn coverage(&self, role: Option<Role>) -> (usize, usize) {
        let mut covered = 0;
        let mut total = 0;
        for r in &self.requirements {
            if role.is_some_and(|want| want != r.role) {
                continue;
            }
            total += 1;
            if r.covered() {
                covered += 1;
            }
        }
        (covered, total)
    }

    /// Requirements covered by tests alone because no vector can express them.
    pub fn tests_only(&self) -> usize {
        self.requirements
            .iter()
            .filter(|r| r.covered_by_tests_only())
            .count()
    }

    /// True when nothing failed and the suite itself had no problems.
    pub fn success(&self) -> bool {
        self.count(Status::Failed) == 0 && self.problems.is_empty()
    }

    /// Renders the report.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => self.text(),
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&self.json()).unwrap_or_default();
                s.push('\n');
                s
            }
            Format::Junit => self.junit(),
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "sdjwt conformance: {} cases: {} passed, {} failed, {} known divergences, {} skipped",
            self.cases.len(),
            self.count(Status::Passed),
            self.count(Status::Failed),
            self.count(Status::Diverged),
            self.count(Status::Skipped),
        );
        let (all_c, all_t) = self.coverage(None);
        let _ = write!(
            out,
            "catalogue: {all_t} requirements, {all_c} covered ({}; {} of them by tests alone, \
             where no vector can express them)",
            percent(all_c, all_t),
            self.tests_only()
        );
        for role in [Role::Verifier, Role::Holder, Role::Issuer] {
            let (c, t) = self.coverage(Some(role));
            if t > 0 {
                let _ = write!(out, "; {}: {c}/{t} ({})", role.name(), percent(c, t));
            }
        }
        out.push_str("\n\n");
        let id_w = self
            .requirements
            .iter()
            .map(|r| r.id.len())
            .max()
            .unwrap_or(2)
            .max(11);
        let _ = writeln!(
            out,
            "{:id_w$}  {:8}  {:>5}  {:>6}  {:>5}  RESULT",
            "REQUIREMENT", "ROLE", "CASES", "PASSED", "TESTS"
        );
        for r in &self.requirements {
            let _ = writeln!(
                out,
                "{:id_w$}  {:8}  {:>5}  {:>6}  {:>5}  {}",
                r.id,
                r.role.name(),
                r.cases,
                r.passed,
                r.tests,
                r.verdict()
            );
        }
        let list = |out: &mut String, title: &str, status: Status| {
            let cases: Vec<&CaseOutcome> =
                self.cases.iter().filter(|c| c.status == status).collect();
            if cases.is_empty() {
                return;
            }
            let _ = writeln!(out, "\n{title} ({}):", cases.len());
            for c in cases {
                let _ = writeln!(out, "  {}: {}", c.id, c.detail);
            }
        };
        list(&mut out, "FAILED", Status::Failed);
        list(&mut out, "Known divergences", Status::Diverged);
        list(&mut out, "Skipped", Status::Skipped);
        if !self.problems.is_empty() {
            let _ = writeln!(out, "\nSuite problems ({}):", self.problems.len());
            for p in &self.problems {
                let _ = writeln!(out, "  {p}");
            }
        }
        let _ = writeln!(
            out,
            "\nresult: {}",
            if self.success() { "PASS" } else { "FAIL" }
        );
        out
    }

    fn json(&self) -> Value {
        let (all_c, all_t) = self.coverage(None);
        let (ver_c, ver_t) = self.coverage(Some(Role::Verifier));
        json!({
            "result": if self.success() { "pass" } else { "fail" },
            "summary": {
                "cases": self.cases.len(),
                "passed": self.count(Status::Passed),
                "failed": self.count(Status::Failed),
                "diverged": self.count(Status::Diverged),
                "skipped": self.count(Status::Skipped),
                "requirements": all_t,
                "covered": all_c,
                "covered_by_tests_only": self.tests_only(),
                "coverage_percent": ratio(all_c, all_t),
                "verifier_requirements": ver_t,
                "verifier_covered": ver_c,
                "verifier_coverage_percent": ratio(ver_c, ver_t),
            },
            "requirements": self.requirements.iter().map(|r| json!({
                "id": r.id,
                "section": r.section,
                "role": r.role.name(),
                "text": r.text,
                "cases": r.cases,
                "passed": r.passed,
                "failed": r.failed,
                "diverged": r.diverged,
                "tests": r.tests,
                "no_vector": r.no_vector,
                "result": r.verdict(),
            })).collect::<Vec<_>>(),
            "cases": self.cases.iter().map(|c| json!({
                "id": c.id,
                "suite": c.suite,
                "requirements": c.requirements,
                "status": c.status.name(),
                "outcome": c.outcome,
                "detail": c.detail,
            })).collect::<Vec<_>>(),
            "problems": self.problems,
        })
    }

    fn junit(&self) -> String {
        let mut suites: BTreeMap<&str, Vec<&CaseOutcome>> = BTreeMap::new();
        for c in &self.cases {
            suites.entry(c.suite.as_str()).or_default().push(c);
        }
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"sdjwt-conformance\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
            self.cases.len(),
            self.count(Status::Failed),
            self.count(Status::Skipped) + self.count(Status::Diverged),
        );
        for (suite, cases) in suites {
            let failures = cases.iter().filter(|c| c.status == Status::Failed).count();
            let skipped = cases
                .iter()
                .filter(|c| matches!(c.status, Status::Skipped | Status::Diverged))
                .count();
            let _ = writeln!(
                out,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
                xml(suite),
                cases.len()
            );
            for c in cases {
                let _ = write!(
                    out,
                    "    <testcase classname=\"{}\" name=\"{}\">",
                    xml(suite),
                    xml(&c.id)
                );
                if !c.requirements.is_empty() {
                    let _ = write!(
                        out,
                        "<properties><property name=\"requirements\" value=\"{}\"/></properties>",
                        xml(&c.requirements.join(" "))
                    );
                }
                match c.status {
                    Status::Passed => {}
                    Status::Failed => {
                        let _ = write!(
                            out,
                            "<failure message=\"{}\" type=\"{}\"/>",
                            xml(&c.detail),
                            xml(&c.outcome)
                        );
                    }
                    Status::Diverged | Status::Skipped => {
                        let _ = write!(out, "<skipped message=\"{}\"/>", xml(&c.detail));
                    }
                }
                out.push_str("</testcase>\n");
            }
            out.push_str("  </testsuite>\n");
        }
        for p in &self.problems {
            let _ = writeln!(
                out,
                "  <!-- suite problem: {} -->",
                xml(p).replace("--", "- -")
            );
        }
        out.push_str("</testsuites>\n");
        out
    }
}

fn ratio(covered: usize, total: usize) -> f64 {
    if total == 0 {
        100.0
    } else {
        // Counts are far below 2^52, so the conversion is exact.
        ((covered as f64) * 1000.0 / (total as f64)).round() / 10.0
    }
}

fn percent(covered: usize, total: usize) -> String {
    format!("{:.1}%", ratio(covered, total))
}

/// Escapes text for an XML attribute value.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c if (c as u32) < 0x20 && c != '\t' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        match Catalogue::parse(
            r#"format = 1
[[requirement]]
id = "R-1"
spec = "RFC 9901"
section = "7.1 step 4"
level = "MUST"
role = "verifier"
text = "No digest twice."
tests = []
vectors = []

[[requirement]]
id = "R-2"
spec = "RFC 9901"
section = "4.2.1"
level = "MUST"
role = "issuer"
text = "Salts are random."
tests = ["crates/x.rs::t"]
vectors = []

[[requirement]]
id = "R-3"
spec = "Token Status List"
section = "8.3 step 4.d"
level = "SHOULD"
role = "verifier"
text = "Refetch after ttl."
tests = ["crates/y.rs::t"]
vectors = []
no_vector = "Caching spans retrievals."
"#,
        ) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn counts_coverage_per_role_and_flags_unknown_requirements() {
        let cases = vec![
            CaseOutcome::passed("a", "vectors", &["R-1".into()], "rejected:duplicate_digest"),
            CaseOutcome::failed("b", "vectors", &["R-9".into()], "accepted", "accepted <x>"),
        ];
        let report = Report::new(&catalogue(), cases);
        assert_eq!(report.coverage(Some(Role::Verifier)), (2, 2));
        assert_eq!(report.coverage(None), (2, 3));
        assert_eq!(report.requirements[1].verdict(), "tests only");
        assert!(
            !report.requirements[1].covered(),
            "an issuer entry needs a case"
        );
        assert!(report.requirements[2].covered_by_tests_only());
        assert_eq!(report.tests_only(), 1);
        assert_eq!(report.problems.len(), 1);
        assert!(!report.success());

        let text = report.render(Format::Text);
        assert!(text.contains("verifier: 2/2 (100.0%)"), "{text}");
        assert!(text.contains("1 of them by tests alone"), "{text}");
        assert!(text.contains("result: FAIL"));

        let json: Value = match serde_json::from_str(&report.render(Format::Json)) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(json["summary"]["failed"], 1);
        assert_eq!(json["summary"]["verifier_coverage_percent"], 100.0);
        assert_eq!(json["summary"]["covered_by_tests_only"], 1);

        let xml = report.render(Format::Junit);
        assert!(
            xml.contains("<failure message=\"accepted &lt;x&gt;\""),
            "{xml}"
        );
        assert!(xml.contains("tests=\"2\" failures=\"1\""));
    }
}
