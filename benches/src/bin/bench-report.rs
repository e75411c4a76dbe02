//! Prints the benchmark results as markdown.
//!
//! ```text
//! cargo run -p sdjwt-bench --release --bin bench-report [-- [--all-runs] [<criterion dir>...]]
//! ```
//!
//! The directory defaults to criterion's own choice (`$CRITERION_HOME`, else
//! `$CARGO_TARGET_DIR/criterion`, else `target/criterion` found upwards from here). Only the
//! latest run (`new/`) is read, unless `--all-runs` asks for every saved baseline too; a
//! benchmark found in several runs or directories keeps its lowest median.

use std::path::PathBuf;
use std::process::ExitCode;

use sdjwt_bench::report::{Results, default_dir};

fn main() -> ExitCode {
    let mut all_runs = false;
    let mut dirs = Vec::new();
    for arg in std::env::args_os().skip(1) {
        if arg == "--all-runs" {
            all_runs = true;
        } else {
            dirs.push(PathBuf::from(arg));
        }
    }
    if dirs.is_empty() {
        match default_dir() {
            Some(dir) => dirs.push(dir),
            None => {
                eprintln!(
                    "bench-report: no criterion directory found; run `cargo bench -p sdjwt-bench` first"
                );
                return ExitCode::FAILURE;
            }
        }
    }
    let mut results = Results::default();
    for dir in &dirs {
        if let Err(e) = results.add(dir, all_runs) {
            eprintln!("bench-report: {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }
    if results.by_id.is_empty() {
        eprintln!("bench-report: no results found");
        return ExitCode::FAILURE;
    }
    print!("{}", results.render());
    ExitCode::SUCCESS
}
