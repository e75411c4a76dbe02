//! The crypto-provider interface: signer, verifier, key, hash and random traits, and the
//! [`CryptoProvider`] value that bundles them.
//!
//! This crate contains no cryptographic code. A backend crate (`sdjwt-aws-lc`, `sdjwt-josekit`)
//! implements these traits and exports a `const DEFAULT_PROVIDER: CryptoProvider`. Library code
//! takes a provider as an argument and never names a backend. A provider can be adjusted with
//! struct update syntax, for example a deterministic random source for tests:
//!
//! ```ignore
//! let provider = CryptoProvider { random: &MY_SEEDED_RANDOM, ..sdjwt_aws_lc::DEFAULT_PROVIDER };
//! ```

use core::fmt;

use crate::alg::{EcCurve, HashAlgorithm, HashOutput, JwsAlgorithm};
use crate::error::Error;
use crate::jwk::Jwk;

/// Produces JWS signatures with one key and one algorithm.
///
/// Implementations parse their key once, when built; [`JwsSigner::try_sign`] must not re-parse.
pub trait JwsSigner: Send + Sync {
    /// The algorithm every signature is made with; it goes in the `alg` header.
    fn algorithm(&self) -> JwsAlgorithm;

    /// The key id to put in the `kid` header, if any.
    fn key_id(&self) -> Option<&str>;

    /// Signs the JWS signing input (`BASE64URL(header) || '.' || BASE64URL(payload)`),
    /// returning the signature in its JWS form (for ECDSA, fixed-width `R || S`).
    ///
    /// # Errors
    ///
    /// [`Error::Crypto`] if the backend fails.
    fn try_sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, Error>;

    /// The public key, when the signer knows it (used for `cnf.jwk` and for logging the
    /// thumbprint). Signers backed by an HSM may return `None`.
    fn public_key(&self) -> Option<&Jwk> {
        None
    }
}

/// Checks JWS signatures made with one key and one algorithm.
pub trait JwsVerifier: Send + Sync {
    /// The algorithm this verifier accepts.
    fn algorithm(&self) -> JwsAlgorithm;

    /// Verifies `signature` over the exact `signing_input` bytes received.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSignature`] and nothing more specific.
    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), Error>;

    /// The hash the signature scheme applies to the signing input, when this verifier can also
    /// check a signature given that hash instead of the input ([`JwsVerifier::verify_digest`]).
    /// ECDSA can; EdDSA hashes inside the signature scheme and cannot. The default, `None`,
    /// means only [`JwsVerifier::verify`] is offered.
    fn digest_algorithm(&self) -> Option<HashAlgorithm> {
        None
    }

    /// Verifies `signature` over the signing input whose digest under
    /// [`JwsVerifier::digest_algorithm`] is `digest`.
    ///
    /// The caller must have computed `digest` itself, from the exact signing input received:
    /// this exists so that a signing input that is also the start of other hashed bytes (the
    /// Issuer-signed JWT inside an SD-JWT's `sd_hash` input) is hashed once.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSignature`], also when this verifier has no digest algorithm (the
    /// default) or `digest` is not that algorithm's length.
    fn verify_digest(&self, digest: &HashOutput, signature: &[u8]) -> Result<(), Error> {
        let _ = (digest, signature);
        Err(Error::InvalidSignature)
    }
}

/// Builds signers and verifiers from JWKs, and generates keys.
pub trait KeyProvider: Send + Sync + fmt::Debug {
    /// Builds a signer from a private JWK for `alg`.
    ///
    /// # Errors
    ///
    /// [`Error::KeyAlgorithmMismatch`], [`Error::Jwk`] for a public-only key,
    /// [`Error::UnsupportedAlgorithm`], or [`Error::Crypto`] if the backend rejects the key.
    fn signer(&self, key: &Jwk, alg: JwsAlgorithm) -> Result<Box<dyn JwsSigner>, Error>;

    /// Builds a verifier from a (public or private) JWK for `alg`.
    ///
    /// # Errors
    ///
    /// As for [`KeyProvider::signer`]; an invalid public key (for example a point not on the
    /// curve) is [`Error::Crypto`].
    fn verifier(&self, key: &Jwk, alg: JwsAlgorithm) -> Result<Box<dyn JwsVerifier>, Error>;

    /// Generates a new private key for `alg` (RSA keys are 2048 bits).
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedAlgorithm`] or [`Error::Crypto`].
    fn generate(&self, alg: JwsAlgorithm) -> Result<Jwk, Error>;

    /// Recovers the affine coordinates `(x, y)` of a point given in the SEC 1 v2 §2.3.3
    /// compressed form `0x02 | 0x03 || X` (the form did:key uses for EC keys; did:key v0.9
    /// "Encode JWK Algorithm" step 2), checking that the point is on `crv` (SEC 1 v2 §2.3.4).
    ///
    /// Each returned coordinate is big-endian and exactly [`EcCurve::coordinate_len`] bytes,
    /// as a JWK needs (RFC 7518 §6.2.1.2). Call it through
    /// [`CryptoProvider::decompress_ec_point`], which checks the input's shape first and the
    /// result afterwards.
    ///
    /// The default implementation supports no curve, so key providers written before this
    /// method existed keep compiling; backends override it.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedPointDecompression`] for a curve the backend cannot decompress
    /// (its `provider` field is filled in by [`CryptoProvider::decompress_ec_point`]);
    /// [`Error::Crypto`] when `compressed` is not a compressed point on `crv`.
    fn decompress_ec_point(
        &self,
        crv: EcCurve,
        compressed: &[u8],
    ) -> Result<(Vec<u8>, Vec<u8>), Error> {
        let _ = compressed;
        Err(Error::UnsupportedPointDecompression { crv, provider: "" })
    }
}

/// Computes message digests.
pub trait HashProvider: Send + Sync + fmt::Debug {
    /// Hashes `data` with `alg`.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedHashAlgorithm`] if the backend lacks `alg`.
    fn digest(&self, alg: HashAlgorithm, data: &[u8]) -> Result<HashOutput, Error>;

    /// Hashes the concatenation of `parts` with `alg`, as [`HashProvider::digest`] would hash
    /// the joined bytes. The default joins them first; backends override it to hash the parts
    /// in place (`sd_hash` covers a whole presentation, which need not be copied to be hashed).
    ///
    /// # Errors
    ///
    /// As for [`HashProvider::digest`].
    fn digest_parts(&self, alg: HashAlgorithm, parts: &[&[u8]]) -> Result<HashOutput, Error> {
        self.digest(alg, &parts.concat())
    }

    /// The digests of `prefix` and of `prefix` followed by `rest` (each the concatenation of
    /// its parts), as two calls to [`HashProvider::digest_parts`] would give them. Backends
    /// override it to hash the prefix once and fork the hash state; the default hashes it
    /// twice.
    ///
    /// # Errors
    ///
    /// As for [`HashProvider::digest`].
    fn digest_prefix_and_whole(
        &self,
        alg: HashAlgorithm,
        prefix: &[&[u8]],
        rest: &[&[u8]],
    ) -> Result<(HashOutput, HashOutput), Error> {
        let whole: Vec<&[u8]> = prefix.iter().chain(rest).copied().collect();
        Ok((
            self.digest_parts(alg, prefix)?,
            self.digest_parts(alg, &whole)?,
        ))
    }
}

/// A cryptographically secure random source (salts, decoys, key generation).
pub trait SecureRandom: Send + Sync + fmt::Debug {
    /// Fills `dest` with random bytes.
    ///
    /// # Errors
    ///
    /// [`Error::Crypto`] if the source fails.
    fn fill(&self, dest: &mut [u8]) -> Result<(), Error>;
}

/// A complete set of cryptographic capabilities, passed explicitly to every operation that needs
/// one.
#[derive(Clone, Copy, Debug)]
pub struct CryptoProvider {
    /// A short name used in error messages and reports (`aws-lc-rs`, `josekit`).
    pub name: &'static str,
    /// The signature algorithms this provider can sign and verify with.
    pub signature_algorithms: &'static [JwsAlgorithm],
    /// The hash algorithms this provider can compute.
    pub hash_algorithms: &'static [HashAlgorithm],
    /// Key handling: signers, verifiers, key generation.
    pub keys: &'static dyn KeyProvider,
    /// Message digests.
    pub hash: &'static dyn HashProvider,
    /// Secure random bytes.
    pub random: &'static dyn SecureRandom,
}

impl CryptoProvider {
    /// Whether `alg` is among [`CryptoProvider::signature_algorithms`].
    pub fn supports(&self, alg: JwsAlgorithm) -> bool {
        self.signature_algorithms.contains(&alg)
    }

    /// Whether `alg` is among [`CryptoProvider::hash_algorithms`].
    pub fn supports_hash(&self, alg: HashAlgorithm) -> bool {
        self.hash_algorithms.contains(&alg)
    }

    /// Builds a signer, after checking that the provider supports `alg` and the key fits it.
    ///
    /// # Errors
    ///
    /// See [`KeyProvider::signer`].
    pub fn signer(&self, key: &Jwk, alg: JwsAlgorithm) -> Result<Box<dyn JwsSigner>, Error> {
        self.check(alg)?;
        key.check_algorithm(alg)?;
        if !key.is_private() {
            return Err(crate::error::JwkError::NotAPrivateKey.into());
        }
        self.keys.signer(key, alg)
    }

    /// Builds a verifier, after checking that the provider supports `alg` and the key fits it.
    ///
    /// # Errors
    ///
    /// See [`KeyProvider::verifier`].
    pub fn verifier(&self, key: &Jwk, alg: JwsAlgorithm) -> Result<Box<dyn JwsVerifier>, Error> {
        self.check(alg)?;
        key.check_algorithm(alg)?;
        self.keys.verifier(key, alg)
    }

    /// Generates a private key for `alg`.
    ///
    /// # Errors
    ///
    /// See [`KeyProvider::generate`].
    pub fn generate_key(&self, alg: JwsAlgorithm) -> Result<Jwk, Error> {
        self.check(alg)?;
        self.keys.generate(alg)
    }

    /// Hashes `data`, after checking that the provider supports `alg`.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedHashAlgorithm`].
    pub fn digest(&self, alg: HashAlgorithm, data: &[u8]) -> Result<HashOutput, Error> {
        if !self.supports_hash(alg) {
            return Err(Error::UnsupportedHashAlgorithm {
                alg,
                provider: self.name,
            });
        }
        self.hash.digest(alg, data)
    }

    /// Hashes the concatenation of `parts`, after checking that the provider supports `alg`.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedHashAlgorithm`].
    pub fn digest_parts(&self, alg: HashAlgorithm, parts: &[&[u8]]) -> Result<HashOutput, Error> {
        if !self.supports_hash(alg) {
            return Err(Error::UnsupportedHashAlgorithm {
                alg,
                provider: self.name,
            });
        }
        self.hash.digest_parts(alg, parts)
    }

    /// Recovers the coordinates of a compressed elliptic-curve point (SEC 1 v2 §2.3.4) with
    /// [`KeyProvider::decompress_ec_point`], validating the point on `crv`.
    ///
    /// `compressed` must be `0x02` or `0x03` followed by exactly [`EcCurve::coordinate_len`]
    /// bytes of `x`. The backend's answer is checked too: both coordinates have the curve's
    /// length, `x` is the one given, and the parity of `y` is the one the prefix names.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedPointDecompression`] (naming this provider) when the backend cannot
    /// decompress points on `crv`; [`Error::Crypto`] when `compressed` is not a compressed
    /// point on `crv` or the backend answers inconsistently.
    pub fn decompress_ec_point(
        &self,
        crv: EcCurve,
        compressed: &[u8],
    ) -> Result<(Vec<u8>, Vec<u8>), Error> {
        let len = crv.coordinate_len();
        let (prefix, x) = match compressed.split_first() {
            Some((&prefix @ (0x02 | 0x03), x)) if x.len() == len => (prefix, x),
            _ => return Err(Error::Crypto),
        };
        let (x_out, y_out) =
            self.keys
                .decompress_ec_point(crv, compressed)
                .map_err(|e| match e {
                    Error::UnsupportedPointDecompression { crv, .. } => {
                        Error::UnsupportedPointDecompression {
                            crv,
                            provider: self.name,
                        }
                    }
                    other => other,
                })?;
        // SEC 1 v2 §2.3.3: the prefix is 0x02 + (y mod 2).
        let y_parity = y_out.last().map(|b| b & 1);
        if x_out != x || y_out.len() != len || y_parity != Some(prefix & 1) {
            return Err(Error::Crypto);
        }
        Ok((x_out, y_out))
    }

    /// Fills `dest` with secure random bytes.
    ///
    /// # Errors
    ///
    /// [`Error::Crypto`].
    pub fn fill_random(&self, dest: &mut [u8]) -> Result<(), Error> {
        self.random.fill(dest)
    }

    fn check(&self, alg: JwsAlgorithm) -> Result<(), Error> {
        if self.supports(alg) {
            Ok(())
        } else {
            Err(Error::UnsupportedAlgorithm {
                alg,
                provider: self.name,
            })
        }
    }
}
