//! Reading and writing files, with `-` for standard input and output.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;
use sdjwt_jose::Jwk;

use crate::{Failure, usage};

/// Reads a whole file (or stdin for `-`) as UTF-8 text.
pub(crate) fn read_text(path: &Path) -> Result<String, Failure> {
    let mut text = String::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading standard input")
            .map_err(usage)?;
    } else {
        text = std::fs::read_to_string(path)
            .with_context(|| format!("reading {}", path.display()))
            .map_err(usage)?;
    }
    Ok(text)
}

/// Reads an SD-JWT or presentation: surrounding whitespace (a trailing newline from an editor or
/// `echo`) is not part of it.
pub(crate) fn read_token(path: &Path) -> Result<String, Failure> {
    Ok(read_text(path)?.trim().to_owned())
}

/// Reads a JWK file.
pub(crate) fn read_jwk(path: &Path) -> Result<Jwk, Failure> {
    let text = read_text(path)?;
    Jwk::from_json_str(text.trim())
        .with_context(|| format!("{} is not a usable JWK", path.display()))
        .map_err(usage)
}

/// Writes `text` plus a newline to a file (or stdout for `-`).
pub(crate) fn write_text(path: &Path, text: &str) -> Result<(), Failure> {
    if path == Path::new("-") {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{text}")
            .and_then(|()| out.flush())
            .context("writing standard output")
            .map_err(usage)
    } else {
        std::fs::write(path, format!("{text}\n"))
            .with_context(|| format!("writing {}", path.display()))
            .map_err(usage)
    }
}

/// The current Unix time.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
