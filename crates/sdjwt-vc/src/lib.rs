//! SD-JWT VC (draft-ietf-oauth-sd-jwt-vc, editor's copy after -18) over the RFC 9901 roles.
//!
//! * [`VcBuilder`]: issuance with `typ: dc+sd-jwt` (§2.2.1), `vct`, `vct#integrity`, `status`;
//!   the claims §2.2.2.3 forbids from being selectively disclosable are refused, and Type
//!   Metadata rules are enforced when given.
//! * [`VcVerifier`]: RFC 9901 verification with the issuer key found through a [`TrustList`]
//!   (§2.5: JWKS, JWT VC Issuer Metadata (§4), `x5c`, `did:key`/`did:jwk`), then the profile's
//!   checks, the issuer's authority for the `vct`, Type Metadata (§5.7) and, last, the status
//!   (Token Status List §8.3). The legacy `vc+sd-jwt` is accepted only by opting in
//!   ([`VcPolicy::accepting_legacy_typ`]).
//! * [`trust`]: the federated trust list and its TOML format.
//! * [`authorities`]: the holder's answer to DCQL `trusted_authorities` of type `aki`
//!   (OpenID4VP 1.0 §6.1.1.1) from the credential's `x5c` chain.
//! * [`integrity`]: `#integrity` values (§6).
//! * [`type_metadata`]: Type Metadata documents, retrieval, `extends` chains with a depth limit
//!   and cycle detection, and merging (§5).
//! * [`claim_rules`]: claim metadata validation and the never-disclosable claims (§2.2.2.3,
//!   §5.6).
//!
//! Nothing here performs I/O by itself except [`TrustList::from_file`]: documents come through
//! an `sdjwt_fetch::Resolver` (HTTP, or static for offline use) and a
//! [`type_metadata::TypeMetadataSource`].
//!
//! ```
//! use sdjwt_core::{ClaimName, ClaimPath};
//! use sdjwt_jose::JwsAlgorithm;
//! use sdjwt_vc::{KeySource, TrustList, TrustedIssuer, VcBuilder, VcPolicy, VcVerifier};
//! use sdjwt_verifier::{KeyBinding, Policy};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
//! let key = provider.generate_key(JwsAlgorithm::EdDsa)?;
//! let vct = "https://credentials.gov.example/right-to-work";
//! let claims = serde_json::json!({"right_to_work": true});
//! let credential = VcBuilder::new(vct, claims.as_object().cloned().unwrap_or_default())
//!     .issuer("https://immigration.gov.example")
//!     .disclose(ClaimPath::root().key(ClaimName::new("right_to_work")?))
//!     .prepare(&provider)?
//!     .sign(&*provider.signer(&key, JwsAlgorithm::EdDsa)?)?
//!     .serialize();
//!
//! let mut trust = TrustList::new();
//! trust.add(TrustedIssuer::new(
//!     "https://immigration.gov.example",
//!     vec![vct.to_owned()],
//!     KeySource::Jwks(vec![key.to_public()]),
//! ))?;
//! let verified = VcVerifier::new(&provider, &trust)
//!     .verify(&credential, &VcPolicy::new(Policy::new(KeyBinding::NotRequired)), 1_800_000_000)?;
//! assert_eq!(verified.vct, vct);
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod authorities;
pub mod batch;
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
