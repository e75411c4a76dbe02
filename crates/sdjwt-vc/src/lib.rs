//! SD-JWT VC (draft-ietf-oauth-sd-jwt-vc, editor's copy after -18) over the RFC 9901 roles.
//!
//! * [`integrity`]: `#integrity` values (§6).
//! * [`type_metadata`]: Type Metadata documents, `extends` chains and merging (§5).
//! * [`claim_rules`]: claim metadata validation and the never-disclosable claims (§3.2.2.2,
//!   §5.6).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod claim_rules;
mod discovery;
mod error;
pub mod integrity;
mod issue;
mod status;
pub mod trust;
pub mod type_metadata;
mod verify;

pub use error::Error;
pub use issue::{LEGACY_TYP, StatusListReference, TYP, VcBuilder, check_aka_vcts, check_vct};
pub use status::StatusOutcome;
pub use trust::{KeySource, TrustList, TrustedIssuer};
pub use verify::{StatusPolicy, TypeMetadataPolicy, VcPolicy, VcVerifier, VerifiedCredential};
