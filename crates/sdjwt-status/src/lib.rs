//! Token Status List (draft-ietf-oauth-status-list-20): revocation and suspension of SD-JWT VCs
//! and other Referenced Tokens, in the JWT form.
//!
//! * [`StatusList`], [`Bits`]: the packed byte array of §4.1, one to eight bits per Referenced
//!   Token, with ZLIB/DEFLATE compression and a capped decompressor ([`Limits`]);
//! * [`Status`]: the Status Types of §7 (VALID, INVALID, SUSPENDED, application-specific,
//!   reserved);
//! * [`JsonStatusList`]: the `{"bits", "lst", "aggregation_uri"}` object of §4.2;
//! * [`StatusListTokenBuilder`]: builds and signs a Status List Token (§5.1,
//!   `typ: statuslist+jwt`);
//! * [`UnverifiedStatusListToken`] → [`VerifiedStatusListToken`]: the Relying Party's
//!   validation of §8.3 steps 3 to 5 against candidate keys, the expected URI and the time;
//! * [`StatusReference`] and [`check`]: the Referenced Token's `status` claim (§6.2) and the
//!   lookup of §8.3 steps 6 and 7.
//!
//! The crate does no I/O: the caller fetches the token (`GET uri` with
//! `Accept: application/statuslist+jwt`, §8.1) and passes its text in. It never picks a crypto
//! backend either: signing takes a [`sdjwt_jose::JwsSigner`], verification a
//! [`sdjwt_jose::CryptoProvider`]. Times are arguments.
//!
//! **Order matters (§8.3).** Check a Referenced Token's status only after the Referenced Token
//! itself is valid (signature, `exp`, key binding): "The processing rules for Referenced
//! Tokens ... MUST precede any evaluation of a Referenced Token's status". The `sdjwt-vc`
//! crate follows that order.
//!
//! The CWT/CBOR forms (§4.3, §5.2, §6.3) and Status List Aggregation (§9) retrieval are not
//! implemented.
//!
//! ```
//! use sdjwt_jose::JwsAlgorithm;
//! use sdjwt_status::{
//!     Bits, Limits, Status, StatusList, StatusListTokenBuilder, StatusReference,
//!     UnverifiedStatusListToken, Validation, check,
//! };
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let provider = sdjwt_test::AWS_LC;
//! let key = sdjwt_test::fixture_key(JwsAlgorithm::Es256).with_kid("status-key-1");
//! let uri = "https://status.example.gov/lists/7";
//!
//! // Status Issuer: 2 bits per credential (VALID, INVALID, SUSPENDED), one entry per credential.
//! let mut list = StatusList::new(Bits::Two, 100_000);
//! list.set(4711, Status::Invalid)?; // revoked
//! list.set(4712, Status::Suspended)?;
//! let signer = provider.signer(&key, JwsAlgorithm::Es256)?;
//! let token = StatusListTokenBuilder::new(uri, 1_800_000_000, &list)
//!     .exp(1_800_086_400)
//!     .ttl(3600)
//!     .sign(signer.as_ref())?;
//!
//! // Issuer: the credential for entry 4711 carries this `status` claim (§6.2).
//! let status_claim = StatusReference::new(4711, uri)?.to_status_claim();
//!
//! // Relying Party, after validating the credential itself: read the reference, fetch the
//! // token from its `uri` (not shown), verify it and look the entry up.
//! let reference = StatusReference::from_status_claim(&status_claim)?;
//! let now = 1_800_000_100;
//! let verified = UnverifiedStatusListToken::parse(&token, &Limits::DEFAULT)?.verify(
//!     &[key.to_public()],
//!     &provider,
//!     &Validation::for_reference(&reference, now).leeway(60),
//! )?;
//! assert_eq!(check(&reference, &verified)?, Status::Invalid);
//! assert_eq!(verified.cache_until(now), Some(now + 3600));
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod json;
mod limits;
mod list;
mod reference;
mod status;
mod token;
mod uri;

pub use error::Error;
pub use json::JsonStatusList;
pub use limits::{Limit, Limits};
pub use list::{Bits, StatusList};
pub use reference::{StatusReference, check};
pub use status::Status;
pub use token::{
    STATUS_LIST_JWT_MEDIA_TYPE, STATUS_LIST_JWT_TYP, StatusListTokenBuilder,
    UnverifiedStatusListToken, Validation, VerifiedStatusListToken,
};
