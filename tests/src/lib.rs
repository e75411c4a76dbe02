//! Test-only package; see the files under `tests/tests/`.

#![forbid(unsafe_code)]
