//! DCQL, the Digital Credentials Query Language of OpenID4VP 1.0 §6, from the holder's side:
//! parse a verifier's query ([`DcqlQuery::parse`]), match it against the credentials held and
//! choose the least disclosure ([`DcqlQuery::select`], §6.4), and build the VP Token
//! ([`Selection::present`], §8.1).
//!
//! * [`query`](DcqlQuery): the typed model (§6.1 Credential Query, §6.1.1 Trusted Authorities
//!   Query, §6.2 Credential Set Query, §6.3 Claims Query), checked strictly and bounded by
//!   [`DcqlLimits`]; unknown members are ignored as §6 requires.
//! * [`ClaimsPathPointer`]: §7 Claims Path Pointer, processed exactly as §7.1.1 says.
//! * [`DcqlQuery::select`]: the matching and privacy-minimal selection rules; when the query
//!   cannot be met, [`DcqlError::Unsatisfied`] explains why to the holder, and nothing is
//!   sent.
//! * [`DcqlQuery::select_with_policy`]: the same, after the holder's
//!   [disclosure policy](crate::policy) has had its say.
//!
//! This wallet holds SD-JWT VCs only (`dc+sd-jwt`, OpenID4VP 1.0 Appendix B.3). Queries for
//! other formats (`mso_mdoc`, ...) parse, but never match.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
//! # use sdjwt_jose::JwsAlgorithm;
//! # let issuer_key = provider.generate_key(JwsAlgorithm::Es256)?;
//! # let holder_key = provider.generate_key(JwsAlgorithm::Es256)?;
//! # let doc = serde_json::json!({
//! #     "vct": "https://credentials.example.com/identity_credential",
//! #     "given_name": "Ada", "family_name": "Lovelace", "right_to_work": true,
//! # });
//! # let claims = doc.as_object().cloned().unwrap_or_default();
//! # let mut builder = sdjwt_issuer::SdJwtBuilder::new(claims).typ("dc+sd-jwt");
//! # for p in ["/given_name", "/family_name", "/right_to_work"] {
//! #     builder = builder.disclose(sdjwt_core::ClaimPath::resolve_pointer(p, &doc)?);
//! # }
//! # let issued = builder
//! #     .holder_key(&holder_key.to_public())
//! #     .prepare(&provider)?
//! #     .sign(&*provider.signer(&issuer_key, JwsAlgorithm::Es256)?)?
//! #     .to_compact();
//! use sdjwt_holder::dcql::{DcqlQuery, MatchOptions};
//! use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
//!
//! let credential = Credential::accept(&issued, &provider, &[issuer_key.to_public()], &AcceptOptions::new(1_700_000_000))?;
//! let query = DcqlQuery::parse(r#"{"credentials": [{
//!     "id": "work", "format": "dc+sd-jwt",
//!     "meta": {"vct_values": ["https://credentials.example.com/identity_credential"]},
//!     "claims": [{"path": ["right_to_work"], "values": [true]}]
//! }]}"#)?;
//! let selection = query.select(&[&credential], &MatchOptions::new())?;
//! assert_eq!(selection.queries()[0].credentials[0].disclosures.len(), 1);
//!
//! let signer = provider.signer(&holder_key, JwsAlgorithm::Es256)?;
//! let vp_token = selection.present(&[&credential], &provider, |_| {
//!     Some(KeyBindingRequest { signer: &*signer, audience: "https://employer.example", nonce: "n-0S6_WzA2Mj", issued_at: 1_700_000_100 })
//! })?;
//! assert_eq!(vp_token["work"].as_array().map(Vec::len), Some(1));
//! # Ok(()) }
//! ```

mod error;
mod pointer;
mod query;
mod select;

pub use error::{DcqlError, DcqlLimit};
pub use pointer::{ClaimsPathPointer, PathElement, PointerError};
pub use query::{
    ClaimValue, ClaimsQuery, CredentialFormat, CredentialQuery, CredentialSetQuery, DcqlId,
    DcqlLimits, DcqlQuery, Meta, TrustedAuthoritiesQuery,
};
pub use select::{
    AuthorityMatcher, CandidateFailure, ClaimFailure, ClaimFailureReason, LEGACY_SD_JWT_VC_TYP,
    MAX_EXTENDS_DEPTH, MatchOptions, Mismatch, QueryFailure, QueryFailureReason, SD_JWT_VC_TYP,
    SelectedCredential, SelectedQuery, Selection, Unsatisfied,
};
