//! The default [`CryptoProvider`] for sdjwt, built on [aws-lc-rs].
//!
//! [`DEFAULT_PROVIDER`] signs and verifies with every JWS algorithm `sdjwt-jose` knows:
//!
//! * ES256, ES384, ES512 (ECDSA, RFC 7518 §3.4) and ES256K (ECDSA on secp256k1, RFC 8812 §3.2),
//!   with signatures in the fixed-width `R || S` form;
//! * EdDSA with Ed25519 (RFC 8037 §3.1);
//! * RS256, RS384, RS512 (RSASSA-PKCS1-v1_5, RFC 7518 §3.3) and PS256, PS384, PS512
//!   (RSASSA-PSS, RFC 7518 §3.5), with 2048- to 8192-bit moduli.
//!
//! It hashes with sha-256, sha-384, sha-512, sha3-256, sha3-384 and sha3-512 (the `_sd_alg`
//! names of RFC 9901 §4.1.1), draws random bytes from the operating system through
//! aws-lc-rs, and decompresses EC points (SEC 1 v2 §2.3.4, for did:key) on P-256, P-384, P-521
//! and secp256k1.
//!
//! Keys are parsed once, when a signer or verifier is built, and the parsed key is reused for
//! every signature.
//!
//! ```
//! use sdjwt_aws_lc::DEFAULT_PROVIDER;
//! use sdjwt_jose::{HashAlgorithm, JwsAlgorithm};
//!
//! # fn main() -> Result<(), sdjwt_jose::Error> {
//! let key = DEFAULT_PROVIDER.generate_key(JwsAlgorithm::Es256)?;
//! let signer = DEFAULT_PROVIDER.signer(&key, JwsAlgorithm::Es256)?;
//! let signature = signer.try_sign(b"header.payload")?;
//! assert_eq!(signature.len(), 64); // R || S (RFC 7518 §3.4)
//!
//! let verifier = DEFAULT_PROVIDER.verifier(&key.to_public(), JwsAlgorithm::Es256)?;
//! verifier.verify(b"header.payload", &signature)?;
//! assert!(verifier.verify(b"header.payloaD", &signature).is_err());
//!
//! let digest = DEFAULT_PROVIDER.digest(HashAlgorithm::Sha256, b"abc")?;
//! assert_eq!(digest.as_bytes().len(), 32);
//! # Ok(())
//! # }
//! ```
//!
//! [aws-lc-rs]: https://docs.rs/aws-lc-rs

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod der;
mod keys;
#[cfg(test)]
mod tests;

use aws_lc_rs::digest;
use sdjwt_jose::{
    CryptoProvider, Error, HashAlgorithm, HashOutput, HashProvider, JwsAlgorithm, SecureRandom,
};

pub use keys::AwsLcKeys;

/// The provider's name, as reported in [`CryptoProvider::name`] and in
/// [`Error::UnsupportedAlgorithm`].
pub const PROVIDER_NAME: &str = "aws-lc-rs";

/// The aws-lc-rs provider: every JWS algorithm and hash algorithm `sdjwt-jose` defines.
pub const DEFAULT_PROVIDER: CryptoProvider = CryptoProvider {
    name: PROVIDER_NAME,
    signature_algorithms: JwsAlgorithm::ALL,
    hash_algorithms: HashAlgorithm::ALL,
    keys: &AwsLcKeys,
    hash: &AwsLcHash,
    random: &AwsLcRandom,
};

/// The [`HashProvider`] of [`DEFAULT_PROVIDER`]: SHA-2 (FIPS 180-4) and SHA-3 (FIPS 202) from
/// aws-lc-rs.
#[derive(Debug, Clone, Copy, Default)]
pub struct AwsLcHash;

impl HashProvider for AwsLcHash {
    fn digest(&self, alg: HashAlgorithm, data: &[u8]) -> Result<HashOutput, Error> {
        HashOutput::new(digest::digest(algorithm(alg)?, data).as_ref())
    }

    fn digest_parts(&self, alg: HashAlgorithm, parts: &[&[u8]]) -> Result<HashOutput, Error> {
        let mut context = digest::Context::new(algorithm(alg)?);
        for part in parts {
            context.update(part);
        }
        HashOutput::new(context.finish().as_ref())
    }

    fn digest_prefix_and_whole(
        &self,
        alg: HashAlgorithm,
        prefix: &[&[u8]],
        rest: &[&[u8]],
    ) -> Result<(HashOutput, HashOutput), Error> {
        let mut context = digest::Context::new(algorithm(alg)?);
        for part in prefix {
            context.update(part);
        }
        // The state after the prefix, forked: one copy finishes, the other goes on.
        let head = HashOutput::new(context.clone().finish().as_ref())?;
        for part in rest {
            context.update(part);
        }
        Ok((head, HashOutput::new(context.finish().as_ref())?))
    }
}

/// The aws-lc-rs digest algorithm for `alg`.
fn algorithm(alg: HashAlgorithm) -> Result<&'static digest::Algorithm, Error> {
    Ok(match alg {
        HashAlgorithm::Sha256 => &digest::SHA256,
        HashAlgorithm::Sha384 => &digest::SHA384,
        HashAlgorithm::Sha512 => &digest::SHA512,
        HashAlgorithm::Sha3_256 => &digest::SHA3_256,
        HashAlgorithm::Sha3_384 => &digest::SHA3_384,
        HashAlgorithm::Sha3_512 => &digest::SHA3_512,
        _ => {
            return Err(Error::UnsupportedHashAlgorithm {
                alg,
                provider: PROVIDER_NAME,
            });
        }
    })
}

/// The [`SecureRandom`] of [`DEFAULT_PROVIDER`]: the aws-lc-rs system random generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct AwsLcRandom;

impl SecureRandom for AwsLcRandom {
    fn fill(&self, dest: &mut [u8]) -> Result<(), Error> {
        aws_lc_rs::rand::fill(dest).map_err(|_| Error::Crypto)
    }
}
