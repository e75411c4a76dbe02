//! `sdjwt`: issue, present, verify and inspect SD-JWTs (RFC 9901) from the command line.
//!
//! The core commands (`keygen`, `key public`, `issue`, `present`, `verify`) follow the contract
//! in the project's `CLI.md`: other tools drive them, so their flags and outputs are stable.
//! Exit codes: 0 success; 1 the input was checked and rejected; 2 usage error or unreadable
//! input.

#![forbid(unsafe_code)]

mod conformance;
mod decode;
mod demo;
mod inspect;
mod io;
mod keys;
mod roles;
mod status;
mod vc;
mod wallet;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Why a command failed, which decides the exit code (CLI.md).
#[derive(Debug)]
enum Failure {
    /// The input was checked and rejected: exit 1.
    Rejected(anyhow::Error),
    /// Usage error or unreadable input: exit 2.
    Usage(anyhow::Error),
}

type Outcome = Result<(), Failure>;

/// Marks any error as a usage/input problem.
fn usage(e: impl Into<anyhow::Error>) -> Failure {
    Failure::Usage(e.into())
}

/// Marks any error as a rejection of checked input.
fn rejected(e: impl Into<anyhow::Error>) -> Failure {
    Failure::Rejected(e.into())
}

#[derive(Parser, Debug)]
#[command(
    name = "sdjwt",
    version,
    about = "Selective-disclosure JWTs (RFC 9901): make keys, issue, present, verify and inspect SD-JWTs",
    long_about = "Selective-disclosure JWTs (RFC 9901).\n\n\
        An issuer signs salted digests of every claim; the holder reveals only the claims a check \
        needs, bound to the holder's key; the verifier checks everything offline.\n\n\
        Exit codes: 0 success, 1 input checked and rejected, 2 usage error or unreadable input.\n\
        File arguments accept '-' for standard input or output."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate a private key as a JWK.
    Keygen(keys::KeygenArgs),
    /// Work with existing keys: print the public JWK or the RFC 7638 thumbprint.
    #[command(subcommand)]
    Key(keys::KeyCommand),
    /// Issue an SD-JWT from a JSON claims file (compact form by default).
    Issue(roles::IssueArgs),
    /// Present chosen claims of a credential, with a Key Binding JWT.
    Present(roles::PresentArgs),
    /// Verify a presentation; print the processed payload as one JSON object.
    Verify(roles::VerifyArgs),
    /// Token Status Lists: create, set, read, and sign as a Status List Token.
    #[command(subcommand)]
    Status(status::StatusCommand),
    /// Show what an SD-JWT or presentation contains, WITHOUT verifying anything.
    Decode(decode::DecodeArgs),
    /// Report what a verifier would learn from an SD-JWT or presentation and which values
    /// could link it to others, WITHOUT verifying anything.
    Inspect(inspect::InspectArgs),
    /// A local credential store for the holder: add credentials, list them, and answer DCQL
    /// queries under a disclosure policy.
    #[command(subcommand)]
    Wallet(wallet::WalletCommand),
    /// Run the right-to-work story end to end with freshly generated keys.
    Demo(demo::DemoArgs),
    /// Run the conformance vectors (or test another implementation) and report per
    /// requirement.
    Conformance(conformance::ConformanceArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Keygen(a) => keys::keygen(&a),
        Command::Key(c) => keys::key(&c),
        Command::Issue(a) => roles::issue(&a),
        Command::Present(a) => roles::present(&a),
        Command::Verify(a) => roles::verify(&a),
        Command::Status(c) => status::status(&c),
        Command::Decode(a) => decode::decode(&a),
        Command::Inspect(a) => inspect::run(&a),
        Command::Wallet(c) => wallet::wallet(&c),
        Command::Demo(a) => demo::demo(&a),
        Command::Conformance(a) => conformance::conformance(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Rejected(e)) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::from(1)
        }
        Err(Failure::Usage(e)) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its context chain on one line: `reading key.jwk: No such file or directory`.
fn one_line(e: &anyhow::Error) -> String {
    let parts: Vec<String> = e.chain().map(ToString::to_string).collect();
    parts.join(": ").replace('\n', " ")
}
