//! The RFC 9901 (SD-JWT) data model and the procedures shared by the issuer, holder and
//! verifier roles.
//!
//! * [`Disclosure`], [`Salt`], [`Digest`] (RFC 9901 §4.2)
//! * [`ClaimName`] and [`ClaimPath`]: validated names and typed paths
//! * [`SdJwt`]: compact (§4) and JWS JSON (§8) serializations, parsed into one type
//! * [`process`](process::process): §7.1 steps 3 to 5, each failure its own [`Error`] variant
//! * [`KeyBindingJwt`] and [`sd_hash`](kb::sd_hash) (§4.3)
//! * [`Limits`]: bounds on attacker-driven work
//!
//! Nothing here checks signatures or decides policy: the `sdjwt-holder` and `sdjwt-verifier`
//! crates do, and only they hand out verified claims.
//!
//! ```
//! use sdjwt_core::{Disclosure, DisclosureKind};
//!
//! // RFC 9901 §5: one of the example Disclosures.
//! let d = Disclosure::parse("WyJlbHVWNU9nM2dTTklJOEVZbnN4QV9BIiwgImZhbWlseV9uYW1lIiwgIkRvZSJd")?;
//! assert_eq!(d.name(), Some("family_name"));
//! # Ok::<(), sdjwt_core::DisclosureError>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod claim;
mod disclosure;
mod error;
pub mod kb;
mod limits;
pub mod process;
mod sdjwt;
pub mod time;

pub use claim::{ClaimName, ClaimPath, PathSegment};
pub use disclosure::{Digest, Disclosure, DisclosureKind, SALT_BYTES, Salt};
pub use error::{DisclosureError, Error};
pub use kb::{KB_JWT_TYP, KbClaims, KeyBindingJwt};
pub use limits::{Limit, Limits};
pub use process::{DisclosedClaim, ProcessedPayload};
pub use sdjwt::{IssuerJws, IssuerSignature, SdJwt, Serialization, holder_key};
pub use time::UnixTime;

/// Re-export of the JOSE layer this crate is built on.
pub use sdjwt_jose as jose;
