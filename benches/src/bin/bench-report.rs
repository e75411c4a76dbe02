//! Prints the benchmark results as markdown.
//!
//! ```text
//! cargo run -p sdjwt-bench --release --bin bench-report [-- <criterion dir>]
//! ```
//!
//! The directory defaults to criterion's own choice (`$CRITERION_HOME`, else
//! `$CARGO_TARGET_DIR/criterion`, else `target/criterion` found upwards from here).

use std::path::PathBuf;
use std::process::ExitCode;

use sdjwt_bench::report::{Results, default_dir};

fn main() -> ExitCode {
    let dir = match std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .or_else(default_dir)
    {
        Some(dir) => dir,
        None => {
            eprintln!(
                "bench-report: no criterion directory found; run `cargo bench -p sdjwt-bench` first"
            );
            return ExitCode::FAILURE;
        }
    };
    match Results::load(&dir) {
        Ok(results) if results.by_id.is_empty() => {
            eprintln!("bench-report: no results under {}", dir.display());
            ExitCode::FAILURE
        }
        Ok(results) => {
            print!("{}", results.render());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench-report: {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
