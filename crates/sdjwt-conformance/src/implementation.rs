//! Drives another implementation through the core commands of the `sdjwt` CLI contract
//! (`issue`, `present`, `verify`; see the project's `CLI.md`) and reports where it deviates.
//!
//! The command is a shell command line (`sh -c`), so it may be a binary path or something
//! like `node dist/cli.js`; the contract's arguments are appended, each single-quoted.
//!
//! * **Positive cases**: the tool issues the case's claims with the RFC 9901 Appendix A.5 P-256
//!   keys (ES256, the algorithm every implementation has), presents the case's pointers with a
//!   Key Binding JWT for a fresh nonce, and verifies; the JSON it prints must equal the
//!   expected claims, ignoring `iat` (the tool sets it to its own clock). A case whose
//!   issuance the contract cannot express (another hash, JWS JSON, no holder key, a hand-made
//!   credential) has the tool verify its ready presentation instead, when the tool passed the
//!   baseline below; otherwise it is skipped, and says why.
//! * **Negative cases** are regenerated for the current time (the contract has no clock
//!   flag, so Key Binding JWTs must be fresh), then `verify` must exit non-zero. Cases that
//!   need a policy the contract cannot express (algorithm or hash lists, `typ`, limits,
//!   required claims) are skipped. A tool that cannot verify the suite's Ed25519 baseline
//!   presentation would reject everything for the wrong reason, so then every negative case
//!   is skipped rather than counted as passed.
//! * **SD-JWT VC cases** (those with `verify.vc`) are skipped: the core contract has no way to
//!   pass a trust list, the documents a verifier would retrieve, or Type Metadata.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};

use crate::Error;
use crate::exceptions::Exceptions;
use crate::generate::{self, keys};
use crate::report::CaseOutcome;
use crate::vector::{Kind, SerializationName, Vector};

const SUITE: &str = "implementation";

/// The id of the positive case whose ready presentation is the Ed25519 baseline.
const BASELINE: &str = "pos-right-to-work-only";

/// Runs the suite against the tool started by `command`, for a verifier clock of `now`
/// (normally the current time).
///
/// # Errors
///
/// [`Error::Generate`] if the cases cannot be made; [`Error::Io`] for the scratch folder.
/// A tool that fails or misbehaves gives failed cases, not an error.
pub fn run_implementation(
    command: &str,
    provider: &sdjwt_jose::CryptoProvider,
    now: i64,
    exceptions: &Exceptions,
) -> Result<Vec<CaseOutcome>, Error> {
    let set = generate::vector_set_at(provider, now)?;
    let scratch = Scratch::new()?;
    let tool = Tool {
        command,
        scratch: &scratch,
    };
    tool.write_keys()?;
    let mut out = Vec::new();
    let baseline_ok = match set.vectors.iter().find(|v| v.id == BASELINE) {
        Some(v) => tool.verify_ready(v).is_ok(),
        None => false,
    };
    for v in &set.vectors {
        let outcome = match v.kind {
            _ if v.verify.vc.is_some() => CaseOutcome::skipped(
                &case_id(v),
                SUITE,
                &v.requirements,
                "an SD-JWT VC case needs a trust list, retrieved documents (issuer metadata, \
                 Status List Tokens) and Type Metadata, which the core CLI contract cannot \
                 express",
            ),
            Kind::Positive => tool.positive(v, baseline_ok),
            Kind::Negative if !baseline_ok => CaseOutcome::skipped(
                &case_id(v),
                SUITE,
                &v.requirements,
                format!(
                    "the tool did not accept the Ed25519 baseline presentation ({BASELINE}), \
                     so a rejection would prove nothing"
                ),
            ),
            Kind::Negative => tool.negative(v),
        };
        out.push(exceptions.apply(outcome));
    }
    Ok(out)
}

fn case_id(v: &Vector) -> String {
    format!("implementation:{}", v.id)
}

/// A scratch folder removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self, Error> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("sdjwt-conformance-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| crate::vector::io(&dir, e))?;
        Ok(Self(dir))
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover temporary folder is harmless.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Tool<'a> {
    command: &'a str,
    scratch: &'a Scratch,
}

/// Quotes `arg` for `sh`.
fn quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', r"'\''"))
}

impl Tool<'_> {
    fn write(&self, name: &str, text: &str) -> Result<PathBuf, Error> {
        let path = self.scratch.path(name);
        std::fs::write(&path, text).map_err(|e| crate::vector::io(&path, e))?;
        Ok(path)
    }

    fn write_json(&self, name: &str, v: &Map<String, Value>) -> Result<PathBuf, Error> {
        self.write(name, &Value::Object(v.clone()).to_string())
    }

    /// Writes every suite key, private and public, as `<name>.jwk` and `<name>.pub.jwk`.
    fn write_keys(&self) -> Result<(), Error> {
        for name in keys::all()?.keys() {
            let key = keys::jwk(name)?;
            self.write_json(&format!("{name}.jwk"), &key.to_private_json())?;
            self.write_json(&format!("{name}.pub.jwk"), &key.to_public().to_json())?;
        }
        Ok(())
    }

    fn run(&self, args: &[String]) -> Result<Output, String> {
        let mut line = self.command.to_owned();
        for a in args {
            line.push(' ');
            line.push_str(&quote(a));
        }
        Command::new("sh")
            .arg("-c")
            .arg(&line)
            .current_dir(&self.scratch.0)
            .output()
            .map_err(|e| format!("could not start {:?}: {e}", self.command))
    }

    fn key(&self, name: &str, public: bool) -> String {
        let file = if public {
            format!("{name}.pub.jwk")
        } else {
            format!("{name}.jwk")
        };
        path_arg(&self.scratch.path(&file))
    }

    fn verify_args(&self, v: &Vector, presentation: &Path, issuer_key: &str) -> Vec<String> {
        let mut args = vec![
            "verify".to_owned(),
            "--issuer-key".to_owned(),
            self.key(issuer_key, true),
        ];
        if let Some(kb) = &v.verify.key_binding {
            args.extend([
                "--nonce".to_owned(),
                kb.nonce.clone(),
                "--aud".to_owned(),
                kb.aud.clone(),
            ]);
        }
        args.push(path_arg(presentation));
        args
    }

    /// Verifies a vector's ready presentation; Ok when the tool accepts it.
    fn verify_ready(&self, v: &Vector) -> Result<(), String> {
        let text = v.presentation.as_deref().ok_or("no ready presentation")?;
        let file = self
            .write(&format!("{}.ready", v.id), text)
            .map_err(|e| e.to_string())?;
        let issuer = v.verify.issuer_keys.first().ok_or("no issuer key")?;
        let out = self.run(&self.verify_args(v, &file, issuer))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(first_line(&out.stderr))
        }
    }

    fn negative(&self, v: &Vector) -> CaseOutcome {
        let id = case_id(v);
        let verify = &v.verify;
        let inexpressible = [
            (verify.algorithms.is_some(), "an algorithm allow-list"),
            (verify.hash_algorithms.is_some(), "a hash allow-list"),
            (verify.typ.is_some(), "a required typ"),
            (verify.leeway.is_some(), "a leeway"),
            (!verify.required_claims.is_empty(), "required claims"),
            (verify.limits.is_some(), "lowered limits"),
            (verify.issuer_keys.len() != 1, "several issuer keys"),
            (
                verify
                    .key_binding
                    .as_ref()
                    .is_some_and(|kb| kb.max_age.is_some()),
                "a KB-JWT maximum age",
            ),
        ];
        if let Some((_, what)) = inexpressible.iter().find(|(needed, _)| *needed) {
            return CaseOutcome::skipped(
                &id,
                SUITE,
                &v.requirements,
                format!("needs {what}, which the CLI contract cannot express"),
            );
        }
        let text = v.presentation.as_deref().unwrap_or_default();
        let file = match self.write(&format!("{}.pres", v.id), text) {
            Ok(f) => f,
            Err(e) => {
                return CaseOutcome::failed(
                    &id,
                    SUITE,
                    &v.requirements,
                    "setup-error",
                    e.to_string(),
                );
            }
        };
        let issuer = verify
            .issuer_keys
            .first()
            .map_or(keys::ISSUER, String::as_str);
        match self.run(&self.verify_args(v, &file, issuer)) {
            Err(e) => CaseOutcome::failed(&id, SUITE, &v.requirements, "setup-error", e),
            Ok(out) if out.status.success() => CaseOutcome::failed(
                &id,
                SUITE,
                &v.requirements,
                "accepted",
                format!(
                    "verify exited 0, but the presentation must be rejected ({})",
                    v.expect.error.as_deref().unwrap_or_default()
                ),
            ),
            Ok(out) => match out.status.code() {
                Some(code) => {
                    let mut passed = CaseOutcome::passed(
                        &id,
                        SUITE,
                        &v.requirements,
                        &format!("rejected:exit-{code}"),
                    );
                    passed.detail = first_line(&out.stderr);
                    passed
                }
                None => CaseOutcome::failed(
                    &id,
                    SUITE,
                    &v.requirements,
                    "crashed",
                    "verify was killed by a signal".to_owned(),
                ),
            },
        }
    }

    fn positive(&self, v: &Vector, baseline_ok: bool) -> CaseOutcome {
        let id = case_id(v);
        let why_not = match (&v.issue, &v.present) {
            (Some(issue), Some(present)) => [
                (issue.hash_alg != "sha-256", "a hash other than sha-256"),
                (
                    issue.serialization != SerializationName::Compact,
                    "the JWS JSON serialization",
                ),
                (
                    issue.holder_key.is_none() || present.key_binding.is_none(),
                    "presenting without key binding",
                ),
                (issue.issuer_keys.len() != 1, "several issuer keys"),
            ]
            .iter()
            .find(|(needed, _)| *needed)
            .map(|(_, what)| {
                format!("issuing it needs {what}, which the CLI contract cannot express")
            }),
            _ => {
                Some("a hand-made presentation: the CLI contract has no way to issue it".to_owned())
            }
        };
        let Some(why_not) = why_not else {
            return match self.positive_steps(v) {
                Ok(()) => CaseOutcome::passed(&id, SUITE, &v.requirements, "accepted"),
                Err((outcome, detail)) => {
                    CaseOutcome::failed(&id, SUITE, &v.requirements, outcome, detail)
                }
            };
        };
        // The tool cannot issue it, but it can still verify the ready presentation.
        if v.presentation.is_none() || !baseline_ok || v.verify.issuer_keys.len() != 1 {
            return CaseOutcome::skipped(&id, SUITE, &v.requirements, why_not);
        }
        match self.verify_ready_claims(v) {
            Ok(()) => {
                let mut passed = CaseOutcome::passed(&id, SUITE, &v.requirements, "accepted");
                passed.detail = format!("{why_not}; verified the ready presentation instead");
                passed
            }
            Err((outcome, detail)) => {
                CaseOutcome::failed(&id, SUITE, &v.requirements, outcome, detail)
            }
        }
    }

    /// Verifies a positive case's ready presentation and compares the printed claims.
    fn verify_ready_claims(&self, v: &Vector) -> Result<(), (&'static str, String)> {
        let text = v.presentation.as_deref().unwrap_or_default();
        let file = self
            .write(&format!("{}.ready", v.id), text)
            .map_err(|e| ("setup-error", e.to_string()))?;
        let issuer = v
            .verify
            .issuer_keys
            .first()
            .map_or(keys::ISSUER, String::as_str);
        let out = self.step("verify", &self.verify_args(v, &file, issuer))?;
        compare_printed(&out, v.expect.claims.clone().unwrap_or_default(), false)
    }

    fn positive_steps(&self, v: &Vector) -> Result<(), (&'static str, String)> {
        let setup = |e: Error| ("setup-error", e.to_string());
        let (Some(issue), Some(present)) = (&v.issue, &v.present) else {
            return Err(("setup-error", "incomplete case".to_owned()));
        };
        let Some(kb) = &present.key_binding else {
            return Err(("setup-error", "no key binding".to_owned()));
        };
        // The tool sets `iat` itself (CLI.md: "iat now").
        let mut claims = issue.claims.clone();
        claims.shift_remove("iat");
        let claims_file = self
            .write_json(&format!("{}.claims.json", v.id), &claims)
            .map_err(setup)?;
        let cred = self.scratch.path(&format!("{}.sdjwt", v.id));
        let pres = self.scratch.path(&format!("{}.pres.sdjwt", v.id));

        let mut args = vec![
            "issue".to_owned(),
            "--key".to_owned(),
            self.key(keys::ISSUER_ES256, false),
            "--holder-key".to_owned(),
            self.key(keys::HOLDER_ES256, true),
            "--claims".to_owned(),
            path_arg(&claims_file),
        ];
        for p in &issue.disclosable {
            args.extend(["--sd".to_owned(), p.clone()]);
        }
        args.extend(["--out".to_owned(), path_arg(&cred)]);
        self.step("issue", &args)?;

        let mut args = vec![
            "present".to_owned(),
            "--credential".to_owned(),
            path_arg(&cred),
            "--holder-key".to_owned(),
            self.key(keys::HOLDER_ES256, false),
        ];
        for p in &present.disclose {
            args.extend(["--disclose".to_owned(), p.clone()]);
        }
        args.extend([
            "--nonce".to_owned(),
            kb.nonce.clone(),
            "--aud".to_owned(),
            kb.aud.clone(),
            "--out".to_owned(),
            path_arg(&pres),
        ]);
        self.step("present", &args)?;

        let args = vec![
            "verify".to_owned(),
            "--issuer-key".to_owned(),
            self.key(keys::ISSUER_ES256, true),
            "--nonce".to_owned(),
            kb.nonce.clone(),
            "--aud".to_owned(),
            kb.aud.clone(),
            path_arg(&pres),
        ];
        let out = self.step("verify", &args)?;
        let mut expected = v.expect.claims.clone().unwrap_or_default();
        // The case's own holder key is replaced by the P-256 one the tool was given.
        let holder = keys::jwk(keys::HOLDER_ES256).map_err(setup)?;
        let mut cnf = Map::new();
        cnf.insert("jwk".into(), Value::Object(holder.to_public().to_json()));
        expected.insert("cnf".into(), Value::Object(cnf));
        compare_printed(&out, expected, true)
    }

    fn step(&self, name: &'static str, args: &[String]) -> Result<Output, (&'static str, String)> {
        let stage = match name {
            "issue" => "issue-error",
            "present" => "present-error",
            _ => "rejected",
        };
        let out = self.run(args).map_err(|e| ("setup-error", e))?;
        if out.status.success() {
            Ok(out)
        } else {
            Err((
                stage,
                format!(
                    "{name} exited {}: {}",
                    out.status
                        .code()
                        .map_or_else(|| "on a signal".to_owned(), |c| c.to_string()),
                    first_line(&out.stderr)
                ),
            ))
        }
    }
}

/// Compares the JSON object `verify` printed with `expected`; with `ignore_iat`, without the
/// `iat` claim on either side (the tool stamps its own clock).
fn compare_printed(
    out: &Output,
    mut expected: Map<String, Value>,
    ignore_iat: bool,
) -> Result<(), (&'static str, String)> {
    let Ok(Value::Object(mut got)) = serde_json::from_slice(&out.stdout) else {
        return Err((
            "verify-output",
            "verify exited 0 but did not print one JSON object".to_owned(),
        ));
    };
    if ignore_iat {
        got.shift_remove("iat");
        expected.shift_remove("iat");
    }
    crate::run::compare_claims(got, expected)
}

fn path_arg(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned()
}
