//! JOSE building blocks for SD-JWT, without any cryptographic code of their own.
//!
//! * [`base64url`]: strict, canonical unpadded base64url.
//! * [`json`]: JSON parsing that rejects duplicate member names.
//! * [`JwsAlgorithm`] and [`HashAlgorithm`]: the algorithm registries as enums.
//! * [`Jwk`]: JSON Web Keys (RFC 7517) with RFC 7638 thumbprints.
//! * [`jws`]: JWS compact and JSON serializations (RFC 7515).
//! * [`crypto`]: the signer, verifier, key, hash and random traits, and [`CryptoProvider`],
//!   which backend crates implement.
//! * [`did`]: did:key and did:jwk, DIDs that carry a public key, parsed strictly and resolved
//!   to a [`Jwk`] (EC points are decompressed by the provider).
//!
//! ```
//! use sdjwt_jose::{base64url, JwsAlgorithm, HashAlgorithm};
//!
//! assert_eq!(base64url::encode(b"sd-jwt"), "c2Qtand0");
//! assert!(base64url::decode("c2Qtand0=").is_err()); // padding is refused
//! assert_eq!("ES256".parse::<JwsAlgorithm>().ok(), Some(JwsAlgorithm::Es256));
//! assert!("none".parse::<JwsAlgorithm>().is_err());
//! assert_eq!(HashAlgorithm::default().name(), "sha-256");
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod alg;
pub mod base64url;
pub mod crypto;
pub mod did;
mod error;
pub mod json;
pub mod jwk;
pub mod jws;

pub use alg::{EcCurve, HashAlgorithm, HashOutput, JwsAlgorithm, KeyRequirement};
pub use crypto::{CryptoProvider, HashProvider, JwsSigner, JwsVerifier, KeyProvider, SecureRandom};
pub use error::{Error, JwkError, JwsError};
pub use jwk::{Jwk, KeyParams, RsaPrivate, SecretBytes};
