//! Known, reasoned divergences (`spec/exceptions.toml`).
//!
//! ```toml
//! format = 1
//!
//! [[exception]]
//! case = "upstream:sd-jwt-python/testcases/header_mod"  # a case id as the report prints it
//! outcome = "issue-error"      # what happens instead; matched as a prefix of the actual outcome
//! reason = "Why this is right, with the section that says so."
//! ```
//!
//! A case with an exception whose actual outcome starts with `outcome` is reported as an
//! expected divergence and does not fail the run. If it passes, or fails differently, it does
//! fail: an exception that is no longer needed must be removed, so the file stays true.

use std::path::Path;

use serde::Deserialize;

use crate::Error;
use crate::report::{CaseOutcome, Status};

/// One known divergence.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// The case id (a vector id, or `upstream:...` / `implementation:...` ids).
    pub case: String,
    /// The expected actual outcome, as a prefix: `accepted`, `rejected`, `rejected:<class>`,
    /// `issue-error`, `present-error`, `claims-differ`.
    pub outcome: String,
    /// Why the divergence is right.
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExceptionsFile {
    format: u32,
    #[serde(default)]
    exception: Vec<Exception>,
}

/// The exceptions in force for a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exceptions {
    /// Every exception, in file order.
    pub entries: Vec<Exception>,
}

impl Exceptions {
    /// No exceptions: every unexpected outcome fails.
    pub fn none() -> Self {
        Self::default()
    }

    /// Parses an exceptions file.
    ///
    /// # Errors
    ///
    /// [`Error::Exceptions`] for TOML errors, an unsupported format, an empty reason or a
    /// case listed twice.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let file: ExceptionsFile = toml::from_str(text).map_err(|e| Error::Exceptions {
            reason: e.to_string(),
        })?;
        if file.format != 1 {
            return Err(Error::Exceptions {
                reason: format!("format {} is not the supported 1", file.format),
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for e in &file.exception {
            if e.reason.trim().is_empty() {
                return Err(Error::Exceptions {
                    reason: format!("{} gives no reason", e.case),
                });
            }
            if !seen.insert(e.case.as_str()) {
                return Err(Error::Exceptions {
                    reason: format!("{} is listed twice", e.case),
                });
            }
        }
        Ok(Self {
            entries: file.exception,
        })
    }

    /// Reads and parses an exceptions file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] and those of [`Exceptions::parse`].
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::vector::io(path, e))?;
        Self::parse(&text)
    }

    /// The exception for `case`, if any.
    pub fn get(&self, case: &str) -> Option<&Exception> {
        self.entries.iter().find(|e| e.case == case)
    }

    /// Applies the exception for the outcome's case, if there is one (see the module docs).
    pub fn apply(&self, mut outcome: CaseOutcome) -> CaseOutcome {
        let Some(exception) = self.get(&outcome.id) else {
            return outcome;
        };
        match outcome.status {
            Status::Failed if outcome.outcome.starts_with(&exception.outcome) => {
                outcome.status = Status::Diverged;
                outcome.detail = format!(
                    "known divergence ({}): {}; reason: {}",
                    exception.outcome, outcome.detail, exception.reason
                );
            }
            Status::Failed => {
                outcome.detail = format!(
                    "{}; an exception expects {:?} but the outcome was {:?}",
                    outcome.detail, exception.outcome, outcome.outcome
                );
            }
            Status::Passed => {
                outcome.status = Status::Failed;
                outcome.detail = format!(
                    "passed, but the exceptions file still expects {:?}: remove the exception",
                    exception.outcome
                );
            }
            Status::Diverged | Status::Skipped => {}
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(outcome: &str) -> CaseOutcome {
        CaseOutcome {
            id: "case-1".into(),
            suite: "vectors".into(),
            requirements: vec![],
            status: Status::Failed,
            outcome: outcome.into(),
            detail: "it differed".into(),
        }
    }

    fn one() -> Exceptions {
        match Exceptions::parse(
            "format = 1\n[[exception]]\ncase = \"case-1\"\noutcome = \"rejected\"\nreason = \"RFC says so\"\n",
        ) {
            Ok(e) => e,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn matching_outcome_becomes_a_divergence() {
        let out = one().apply(failed("rejected:header"));
        assert_eq!(out.status, Status::Diverged);
        assert!(out.detail.contains("RFC says so"));
    }

    #[test]
    fn other_outcome_still_fails() {
        assert_eq!(one().apply(failed("accepted")).status, Status::Failed);
    }

    #[test]
    fn stale_exception_fails_a_passing_case() {
        let mut passed = failed("accepted");
        passed.status = Status::Passed;
        let out = one().apply(passed);
        assert_eq!(out.status, Status::Failed);
        assert!(out.detail.contains("remove the exception"));
    }

    #[test]
    fn refuses_an_exception_without_reason() {
        let text =
            "format = 1\n[[exception]]\ncase = \"x\"\noutcome = \"accepted\"\nreason = \" \"\n";
        assert!(matches!(
            Exceptions::parse(text),
            Err(Error::Exceptions { .. })
        ));
    }
}
