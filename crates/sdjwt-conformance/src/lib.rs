//! The sdjwt conformance suite: a requirements catalogue, language-neutral test vectors, a
//! runner with text / JSON / JUnit reports, and drivers for other implementations.
//!
//! * [`Catalogue`] reads `spec/requirements.toml`: one entry per normative statement we
//!   implement (RFC 9901 §4–§8, SD-JWT VC, Token Status List), with the tests and vectors
//!   that cover it.
//! * [`VectorSet`] reads a vector folder (`spec/vectors/`, format in its `README.md`):
//!   positive cases (issue → present → verify, expected claims) and negative cases (a ready
//!   presentation, the verifier policy, the expected [`ErrorClass`]). An SD-JWT VC case adds a
//!   trust list, the documents the network would serve and Type Metadata ([`VcVerify`]).
//! * [`generate`] makes the committed vectors, deterministically.
//! * [`run_vectors`] checks every vector against this implementation; [`Exceptions`] lists
//!   known, reasoned divergences, and only unexpected outcomes fail.
//! * [`upstream`] runs the sd-jwt-python test-case format (`specification.yml`).
//! * [`implementation`] drives another tool through the `sdjwt` CLI contract.
//! * [`Report`] gathers the outcomes per requirement and renders them.
//!
//! Nothing here picks a crypto backend: callers pass a
//! [`CryptoProvider`](sdjwt_jose::CryptoProvider).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod catalogue;
mod class;
mod exceptions;
pub mod generate;
pub mod implementation;
mod report;
mod run;
pub mod upstream;
mod vector;

use std::path::PathBuf;

pub use catalogue::{Catalogue, Requirement, Role};
pub use class::{ErrorClass, UnknownClass, classify, classify_vc};
pub use exceptions::{Exception, Exceptions};
pub use report::{CaseOutcome, Format, Report, RequirementStatus, Status};
pub use run::{run_vector, run_vectors};
pub use vector::{
    Document, Expect, FORMAT_VERSION, Issue, IssuerKeys, KeyBindingInput, KeyBindingPolicy, KeyRef,
    Kind, LimitsInput, Present, SerializationName, StatusMode, TypeMetadataMode, VcIssuer,
    VcVerify, Vector, VectorSet, Verify,
};

/// Why the suite itself could not run (as opposed to a case failing, which is a
/// [`CaseOutcome`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's message.
        reason: String,
    },
    /// A vector or `keys.json` does not follow the format.
    Vector {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The requirements catalogue does not follow its format.
    Catalogue {
        /// What is wrong.
        reason: String,
    },
    /// The exceptions file does not follow its format.
    Exceptions {
        /// What is wrong.
        reason: String,
    },
    /// A vector names a key `keys.json` does not have.
    UnknownKey {
        /// The key name.
        name: String,
    },
    /// A key in `keys.json` is not a usable JWK.
    BadKey {
        /// The key name.
        name: String,
        /// Why.
        reason: String,
    },
    /// The generator could not make a case (a bug in the generator).
    Generate {
        /// The case id.
        case: String,
        /// What went wrong.
        reason: String,
    },
    /// An upstream test case folder could not be read.
    Upstream {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Io { path, reason } => write!(f, "{}: {reason}", path.display()),
            Self::Vector { file, reason } => write!(f, "vector {}: {reason}", file.display()),
            Self::Catalogue { reason } => write!(f, "requirements catalogue: {reason}"),
            Self::Exceptions { reason } => write!(f, "exceptions file: {reason}"),
            Self::UnknownKey { name } => write!(f, "no key named {name:?} in keys.json"),
            Self::BadKey { name, reason } => write!(f, "key {name:?}: {reason}"),
            Self::Generate { case, reason } => write!(f, "generating {case}: {reason}"),
            Self::Upstream { file, reason } => {
                write!(f, "upstream test case {}: {reason}", file.display())
            }
        }
    }
}

impl std::error::Error for Error {}
