//! Benchmarks of the sdjwt toolkit: the signature hot path and the whole issue, present and
//! verify pipeline, each beside the primitive floor measured in the same run and beside
//! sd-jwt-rs. The criterion harness is `benches/sdjwt.rs`; `bench-report` turns its results
//! into the markdown table of `README.md`.
//!
//! * [`fixtures`]: the identity record, the keys, and our pipeline set up once per provider.
//! * [`floor`]: the same primitive work done straight on aws-lc-rs, josekit and OpenSSL.
//! * [`report`]: reading criterion's estimates and rendering the table and the targets.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod fixtures;
pub mod floor;
pub mod report;

/// The error type of the set-up code: anything that can go wrong before measuring starts.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
