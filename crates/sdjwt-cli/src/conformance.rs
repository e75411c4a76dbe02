//! `sdjwt conformance`: run the conformance vectors and print a per-requirement report.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use clap::{Args, ValueEnum};
use sdjwt_aws_lc::DEFAULT_PROVIDER as PROVIDER;
use sdjwt_conformance::{Catalogue, Exceptions, Format, Report, VectorSet};

use crate::io::write_text;
use crate::{Outcome, rejected, usage};

#[derive(Args, Debug)]
#[command(
    long_about = "Run the conformance suite and print a per-requirement report.\n\n\
        By default this checks this implementation against the language-neutral vectors in \
        spec/vectors (positive cases are issued, presented and verified; every negative case \
        must be rejected with its error class). With --implementation it drives another tool \
        through the core CLI contract instead. With --upstream-testcases it also runs \
        sd-jwt-python's specification.yml test cases.\n\n\
        Exit codes: 0 every case passed or diverged as the exceptions file expects; 1 a case \
        failed; 2 the suite itself could not run."
)]
pub(crate) struct ConformanceArgs {
    /// Vector folder (keys.json, positive/, negative/). Default: spec/vectors of this
    /// repository.
    #[arg(long, value_name = "DIR")]
    vectors: Option<PathBuf>,
    /// Requirements catalogue. Default: spec/requirements.toml of this repository.
    #[arg(long, value_name = "FILE")]
    requirements: Option<PathBuf>,
    /// Known, reasoned divergences. Default: spec/exceptions.toml of this repository when
    /// checking this implementation, none with --implementation.
    #[arg(long, value_name = "FILE")]
    exceptions: Option<PathBuf>,
    /// Run no exceptions file at all: every divergence fails.
    #[arg(long, conflicts_with = "exceptions")]
    no_exceptions: bool,
    /// Also run an sd-jwt-python test-case folder (`<case>/specification.yml` plus
    /// `settings.yml`); repeat for several.
    #[arg(long = "upstream-testcases", value_name = "DIR")]
    upstream: Vec<PathBuf>,
    /// Test another implementation through the CLI contract: a shell command that accepts
    /// `issue`, `present` and `verify` with the contract's flags (e.g. "/usr/local/bin/sdjwt"
    /// or "node cli.js").
    #[arg(long, value_name = "CMD")]
    implementation: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    format: ReportFormat,
    /// Where to write the report ('-' for standard output).
    #[arg(long, default_value = "-")]
    out: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
    Junit,
}

/// The repository's `spec/` folder: `./spec` when run from a checkout, else the one this
/// binary was built from.
fn spec_dir() -> PathBuf {
    let here = Path::new("spec");
    if here.join("requirements.toml").is_file() {
        return here.to_path_buf();
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec")
}

pub(crate) fn conformance(a: &ConformanceArgs) -> Outcome {
    let spec = spec_dir();
    let catalogue_path = a
        .requirements
        .clone()
        .unwrap_or_else(|| spec.join("requirements.toml"));
    let catalogue = Catalogue::load(&catalogue_path).map_err(usage)?;
    let exceptions = match (&a.exceptions, a.no_exceptions, &a.implementation) {
        (_, true, _) => Exceptions::none(),
        (Some(path), false, _) => Exceptions::load(path).map_err(usage)?,
        (None, false, Some(_)) => Exceptions::none(),
        (None, false, None) => {
            let default = spec.join("exceptions.toml");
            if default.is_file() {
                Exceptions::load(&default).map_err(usage)?
            } else {
                Exceptions::none()
            }
        }
    };
    let mut cases = Vec::new();
    match &a.implementation {
        Some(command) => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .context("the system clock is before 1970")
                .map_err(usage)?
                .as_secs();
            let now =
                i64::try_from(now).map_err(|_| usage(anyhow!("the clock is too far ahead")))?;
            cases.extend(
                sdjwt_conformance::implementation::run_implementation(
                    command,
                    &PROVIDER,
                    now,
                    &exceptions,
                )
                .map_err(usage)?,
            );
        }
        None => {
            let dir = a.vectors.clone().unwrap_or_else(|| spec.join("vectors"));
            let set = VectorSet::load(&dir)
                .with_context(|| format!("loading vectors from {}", dir.display()))
                .map_err(usage)?;
            cases.extend(sdjwt_conformance::run_vectors(&set, &PROVIDER, &exceptions));
        }
    }
    for dir in &a.upstream {
        cases.extend(
            sdjwt_conformance::upstream::run_upstream(
                dir,
                &sdjwt_conformance::upstream::default_label(dir),
                &PROVIDER,
                &exceptions,
            )
            .map_err(usage)?,
        );
    }
    let report = Report::new(&catalogue, cases);
    let format = match a.format {
        ReportFormat::Text => Format::Text,
        ReportFormat::Json => Format::Json,
        ReportFormat::Junit => Format::Junit,
    };
    write_text(&a.out, &report.render(format))?;
    if report.success() {
        Ok(())
    } else {
        Err(rejected(anyhow!(
            "conformance: {} case(s) failed{}",
            report.count(sdjwt_conformance::Status::Failed),
            if report.problems.is_empty() {
                String::new()
            } else {
                format!(", {} suite problem(s)", report.problems.len())
            }
        )))
    }
}
