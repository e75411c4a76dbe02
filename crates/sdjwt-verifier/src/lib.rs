//! The Verifier role of RFC 9901 (SD-JWT): check a presentation against a [`Policy`] and,
//! only if every check passes, obtain a [`VerifiedPresentation`] holding the claims.
//!
//! * [`Verifier::verify`] runs RFC 9901 §7.1 (the SD-JWT) and §7.3 (key binding) over a
//!   compact or JWS JSON (flattened or general) presentation.
//! * [`Policy`] says what is acceptable: algorithms, `_sd_alg` hashes, header `typ`, key binding
//!   ([`KeyBinding`], decided by policy, never by what the holder sent), leeway, required
//!   claims, how co-signatures count ([`SignaturePolicy`]) and [`Limits`](sdjwt_core::Limits).
//! * [`IssuerKeyResolver`] decides which keys belong to which issuer (§7.1 step 2.c);
//!   [`StaticKeys`] is a fixed list.
//! * [`Error`] has one variant per rule, with typed fields.
//!
//! Nothing here does I/O, and the current time is an argument.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
//! use sdjwt_core::{ClaimPath, KbClaims, KeyBindingJwt};
//! use sdjwt_issuer::SdJwtBuilder;
//! use sdjwt_jose::JwsAlgorithm;
//! use sdjwt_verifier::{KeyBinding, Policy, StaticKeys, Verifier};
//! use serde_json::json;
//!
//! let now = 1_700_000_000;
//! let issuer_key = provider.generate_key(JwsAlgorithm::Es256)?;
//! let holder_key = provider.generate_key(JwsAlgorithm::Es256)?;
//!
//! // Issuer: "right_to_work" is selectively disclosable; the holder key goes in `cnf`.
//! let claims = json!({"given_name": "Ada", "right_to_work": true});
//! let right_to_work = ClaimPath::resolve_pointer("/right_to_work", &claims)?;
//! let sd_jwt = SdJwtBuilder::new(claims.as_object().cloned().unwrap_or_default())
//!     .issuer("https://identity.example")
//!     .issued_at(now)
//!     .disclose(right_to_work)
//!     .holder_key(&holder_key.to_public())
//!     .prepare(&provider)?
//!     .sign(&*provider.signer(&issuer_key, JwsAlgorithm::Es256)?)?;
//!
//! // Holder: present everything, bound to the verifier's nonce and audience.
//! let presented = sd_jwt.with_disclosures(sd_jwt.disclosures().to_vec());
//! let kb = KeyBindingJwt::sign(
//!     &*provider.signer(&holder_key, JwsAlgorithm::Es256)?,
//!     &KbClaims {
//!         iat: now,
//!         aud: "https://employer.example".into(),
//!         nonce: "n-0S6_WzA2Mj".into(),
//!         sd_hash: presented.sd_hash(&provider)?.to_string(),
//!     },
//! )?;
//! let presentation = presented.with_key_binding(kb).to_compact();
//!
//! // Verifier.
//! let keys = StaticKeys::new().with_issuer_key("https://identity.example", &issuer_key);
//! let policy = Policy::new(KeyBinding::required("https://employer.example", "n-0S6_WzA2Mj"));
//! let verified = Verifier::new(&provider, &keys).verify(&presentation, &policy, now + 5)?;
//! assert!(verified.key_bound());
//! assert_eq!(verified.claims()["right_to_work"], json!(true));
//! assert_eq!(verified.disclosed_paths().count(), 1);
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod keys;
mod policy;
mod verify;

pub use error::Error;
pub use keys::{CandidateVerifier, IssuerKeyResolver, StaticKeys};
pub use policy::{KeyBinding, Policy, SignaturePolicy};
pub use verify::{VerifiedPresentation, Verifier};
