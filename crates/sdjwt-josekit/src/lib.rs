//! A crypto provider for `sdjwt` built on [josekit](https://docs.rs/josekit) and OpenSSL.
//!
//! [`DEFAULT_PROVIDER`] implements the `sdjwt-jose` provider traits:
//!
//! * signatures: ES256, ES384, ES512 (RFC 7518 §3.4), ES256K (RFC 8812 §3.2), EdDSA with
//!   Ed25519 only (RFC 8037 §3.1), RS256/384/512 (RFC 7518 §3.3) and PS256/384/512
//!   (RFC 7518 §3.5), through josekit's JWS signers and verifiers;
//! * hashes: SHA-256, SHA-384, SHA-512 (FIPS 180-4) through `openssl::sha`, and SHA3-256,
//!   SHA3-384, SHA3-512 (FIPS 202) through `openssl::hash`;
//! * random bytes from `openssl::rand::rand_bytes`;
//! * EC point decompression (SEC 1 v2 §2.3.4, for did:key) on P-256, P-384, P-521 and
//!   secp256k1, with OpenSSL's `EC_POINT_oct2point`.
//!
//! Keys are parsed once, when a signer or verifier is built; signing and verifying reuse the
//! parsed OpenSSL key. Signatures are in their JWS form (for ECDSA the fixed-width `R || S`
//! concatenation of RFC 7518 §3.4, not DER).
//!
//! ECDSA verifiers are the exception to "through josekit": josekit can only build a verifier by
//! handing OpenSSL 3 a DER key, and OpenSSL's decoder framework then costs about as much as a
//! signature check. A verifier is built for every presentation (the holder key comes with it), so
//! ECDSA public keys are imported from the JWK's coordinates straight into an OpenSSL `EC_KEY`
//! (checked to be on the curve) and signatures are checked with OpenSSL's ECDSA, as josekit
//! itself would, after hashing with the algorithm's SHA-2.
//!
//! ```
//! use sdjwt_jose::{HashAlgorithm, JwsAlgorithm};
//! use sdjwt_josekit::DEFAULT_PROVIDER;
//!
//! # fn main() -> Result<(), sdjwt_jose::Error> {
//! let provider = DEFAULT_PROVIDER;
//! let key = provider.generate_key(JwsAlgorithm::Es256)?;
//! let signer = provider.signer(&key, JwsAlgorithm::Es256)?;
//! let signature = signer.try_sign(b"header.payload")?;
//! assert_eq!(signature.len(), 64); // R || S, RFC 7518 §3.4
//!
//! let verifier = provider.verifier(&key.to_public(), JwsAlgorithm::Es256)?;
//! verifier.verify(b"header.payload", &signature)?;
//! assert!(verifier.verify(b"header.payloaD", &signature).is_err());
//!
//! let digest = provider.digest(HashAlgorithm::Sha256, b"abc")?;
//! assert_eq!(digest.as_bytes().len(), 32);
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use core::fmt;
use std::sync::OnceLock;

use josekit::jwk::KeyPair as _;
use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey, EcPoint, PointConversionForm};
use openssl::ecdsa::EcdsaSig;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::Public;
use sdjwt_jose::{
    CryptoProvider, EcCurve, Error, HashAlgorithm, HashOutput, HashProvider, JwkError,
    JwsAlgorithm, KeyProvider, SecureRandom,
};
use serde_json::{Map, Value};
use zeroize::Zeroize;

/// The provider's name, as reported in [`CryptoProvider::name`] and in errors.
pub const NAME: &str = "josekit";

/// Every signature algorithm this provider implements.
pub const SIGNATURE_ALGORITHMS: &[JwsAlgorithm] = JwsAlgorithm::ALL;

/// Every hash algorithm this provider implements (RFC 9901 §4.1.1 `_sd_alg` values).
pub const HASH_ALGORITHMS: &[HashAlgorithm] = HashAlgorithm::ALL;

/// RSA modulus size for generated keys (RFC 7518 §3.3 and §3.5 require at least 2048 bits).
const RSA_BITS: u32 = 2048;

/// The josekit/OpenSSL crypto provider.
pub const DEFAULT_PROVIDER: CryptoProvider = CryptoProvider {
    name: NAME,
    signature_algorithms: SIGNATURE_ALGORITHMS,
    hash_algorithms: HASH_ALGORITHMS,
    keys: &JosekitKeys,
    hash: &OpensslHash,
    random: &OpensslRandom,
};

/// Builds josekit signers and verifiers from JWKs, and generates keys with josekit.
#[derive(Clone, Copy, Debug, Default)]
pub struct JosekitKeys;

/// Message digests through `openssl::sha` (FIPS 180-4 SHA-2) and `openssl::hash` (FIPS 202
/// SHA-3).
#[derive(Clone, Copy, Debug, Default)]
pub struct OpensslHash;

/// Secure random bytes from OpenSSL's CSPRNG (`RAND_bytes`).
#[derive(Clone, Copy, Debug, Default)]
pub struct OpensslRandom;

/// A signer holding a josekit signer (and so a parsed OpenSSL private key).
struct Signer {
    alg: JwsAlgorithm,
    inner: Box<dyn josekit::jws::JwsSigner>,
    public: sdjwt_jose::Jwk,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the josekit signer: its Debug output includes the private key object.
        f.debug_struct("Signer")
            .field("alg", &self.alg)
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl sdjwt_jose::JwsSigner for Signer {
    fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.public.key_id()
    }

    fn try_sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, Error> {
        // josekit returns the JWS form: raw R || S for ECDSA (it converts OpenSSL's DER),
        // the 64-byte signature for Ed25519, and the modulus-length octets for RSA.
        self.inner.sign(signing_input).map_err(|_| Error::Crypto)
    }

    fn public_key(&self) -> Option<&sdjwt_jose::Jwk> {
        Some(&self.public)
    }
}

/// A verifier holding a josekit verifier (and so a parsed OpenSSL public key).
#[derive(Debug)]
struct Verifier {
    alg: JwsAlgorithm,
    inner: Box<dyn josekit::jws::JwsVerifier>,
}

impl sdjwt_jose::JwsVerifier for Verifier {
    fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), Error> {
        // Every failure (wrong length, malformed or non-matching signature) is reported the
        // same way, as the trait requires.
        self.inner
            .verify(signing_input, signature)
            .map_err(|_| Error::InvalidSignature)
    }
}

/// An ECDSA verifier on an OpenSSL `EC_KEY` imported from the JWK's coordinates (see the crate
/// documentation for why it does not go through josekit).
struct EcdsaVerifier {
    alg: JwsAlgorithm,
    key: EcKey<Public>,
    /// The hash ECDSA applies to the signing input for `alg`.
    digest: HashAlgorithm,
    coordinate_len: usize,
}

impl fmt::Debug for EcdsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcdsaVerifier")
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl sdjwt_jose::JwsVerifier for EcdsaVerifier {
    fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), Error> {
        // RFC 7518 §3.4: R || S, each exactly as long as a coordinate.
        if signature.len() != 2 * self.coordinate_len {
            return Err(Error::InvalidSignature);
        }
        let digest = OpensslHash
            .digest(self.digest, signing_input)
            .map_err(|_| Error::InvalidSignature)?;
        self.verify_digest(&digest, signature)
    }

    fn digest_algorithm(&self) -> Option<HashAlgorithm> {
        Some(self.digest)
    }

    fn verify_digest(&self, digest: &HashOutput, signature: &[u8]) -> Result<(), Error> {
        // A digest of another length was not made with this key's hash.
        if digest.as_bytes().len() != self.digest.output_len() {
            return Err(Error::InvalidSignature);
        }
        // RFC 7518 §3.4: R || S, each exactly as long as a coordinate.
        if signature.len() != 2 * self.coordinate_len {
            return Err(Error::InvalidSignature);
        }
        let (r, s) = signature.split_at(self.coordinate_len);
        let valid = (|| {
            let signature =
                EcdsaSig::from_private_components(BigNum::from_slice(r)?, BigNum::from_slice(s)?)?;
            signature.verify(digest.as_bytes(), &self.key)
        })();
        match valid {
            Ok(true) => Ok(()),
            _ => Err(Error::InvalidSignature),
        }
    }
}

/// The OpenSSL group of a curve, created once per process.
fn ec_group(curve: EcCurve) -> Result<&'static EcGroup, Error> {
    static GROUPS: [OnceLock<Option<EcGroup>>; 4] = [const { OnceLock::new() }; 4];
    let (index, nid) = match curve {
        EcCurve::P256 => (0, Nid::X9_62_PRIME256V1),
        EcCurve::P384 => (1, Nid::SECP384R1),
        EcCurve::P521 => (2, Nid::SECP521R1),
        EcCurve::Secp256k1 => (3, Nid::SECP256K1),
        _ => return Err(Error::Crypto),
    };
    GROUPS[index]
        .get_or_init(|| EcGroup::from_curve_name(nid).ok())
        .as_ref()
        .ok_or(Error::Crypto)
}

/// An ECDSA verifier for `alg` from the public coordinates of `key`, or `None` when `key` is not
/// an EC key (the caller then reports the mismatch as josekit would).
fn ecdsa_verifier(
    key: &sdjwt_jose::Jwk,
    alg: JwsAlgorithm,
) -> Option<Result<Box<dyn sdjwt_jose::JwsVerifier>, Error>> {
    let sdjwt_jose::KeyParams::Ec { crv, x, y, .. } = key.params() else {
        return None;
    };
    let digest = alg.ecdsa_hash()?;
    let import = || -> Result<Box<dyn sdjwt_jose::JwsVerifier>, Error> {
        let group = ec_group(*crv)?;
        let mut point = Vec::with_capacity(1 + x.len() + y.len());
        point.push(0x04);
        point.extend_from_slice(x);
        point.extend_from_slice(y);
        let mut ctx = BigNumContext::new().map_err(|_| Error::Crypto)?;
        // Decoding an uncompressed point checks that it is on the curve; every curve here has
        // cofactor 1, so that is the whole public-key validation.
        let point = EcPoint::from_bytes(group, &point, &mut ctx).map_err(|_| Error::Crypto)?;
        let key = EcKey::from_public_key(group, &point).map_err(|_| Error::Crypto)?;
        Ok(Box::new(EcdsaVerifier {
            alg,
            key,
            digest,
            coordinate_len: crv.coordinate_len(),
        }))
    };
    Some(import())
}

/// Converts our JWK JSON into a josekit JWK, runs `f` on it, then wipes the members of the
/// temporary JSON object (private key material included) before it is freed.
fn with_josekit_jwk<T>(
    mut map: Map<String, Value>,
    f: impl FnOnce(&josekit::jwk::Jwk) -> Result<T, Error>,
) -> Result<T, Error> {
    match josekit::jwk::Jwk::from_map(map.clone()) {
        Ok(jwk) => {
            wipe(&mut map);
            let result = f(&jwk);
            let mut map: Map<String, Value> = jwk.into();
            wipe(&mut map);
            result
        }
        Err(_) => {
            wipe(&mut map);
            Err(Error::Crypto)
        }
    }
}

/// Zeroizes every string member of a JWK object.
fn wipe(map: &mut Map<String, Value>) {
    for value in map.values_mut() {
        if let Value::String(s) = value {
            s.zeroize();
        }
    }
}

fn unsupported(alg: JwsAlgorithm) -> Error {
    Error::UnsupportedAlgorithm {
        alg,
        provider: NAME,
    }
}

/// Key-loading failures are [`Error::Crypto`]; josekit's message is not passed on, since it
/// may describe key material.
fn key_error(_: josekit::JoseError) -> Error {
    Error::Crypto
}

fn josekit_signer(
    alg: JwsAlgorithm,
    jwk: &josekit::jwk::Jwk,
) -> Result<Box<dyn josekit::jws::JwsSigner>, Error> {
    use josekit::jws::{
        ES256, ES256K, ES384, ES512, EdDSA, PS256, PS384, PS512, RS256, RS384, RS512,
    };
    let signer: Box<dyn josekit::jws::JwsSigner> = match alg {
        JwsAlgorithm::Es256 => Box::new(ES256.signer_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Es384 => Box::new(ES384.signer_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Es512 => Box::new(ES512.signer_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Es256K => Box::new(ES256K.signer_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::EdDsa => Box::new(EdDSA.signer_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Rs256 => Box::new(RS256.signer_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Rs384 => Box::new(RS384.signer_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Rs512 => Box::new(RS512.signer_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Ps256 => Box::new(PS256.signer_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Ps384 => Box::new(PS384.signer_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Ps512 => Box::new(PS512.signer_from_jwk(jwk).map_err(key_error)?),
        other => return Err(unsupported(other)),
    };
    Ok(signer)
}

fn josekit_verifier(
    alg: JwsAlgorithm,
    jwk: &josekit::jwk::Jwk,
) -> Result<Box<dyn josekit::jws::JwsVerifier>, Error> {
    use josekit::jws::{
        ES256, ES256K, ES384, ES512, EdDSA, PS256, PS384, PS512, RS256, RS384, RS512,
    };
    let verifier: Box<dyn josekit::jws::JwsVerifier> = match alg {
        JwsAlgorithm::Es256 => Box::new(ES256.verifier_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Es384 => Box::new(ES384.verifier_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Es512 => Box::new(ES512.verifier_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Es256K => Box::new(ES256K.verifier_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::EdDsa => Box::new(EdDSA.verifier_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Rs256 => Box::new(RS256.verifier_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Rs384 => Box::new(RS384.verifier_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Rs512 => Box::new(RS512.verifier_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Ps256 => Box::new(PS256.verifier_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Ps384 => Box::new(PS384.verifier_from_jwk(jwk).map_err(key_error)?),
        JwsAlgorithm::Ps512 => Box::new(PS512.verifier_from_jwk(jwk).map_err(key_error)?),
        other => return Err(unsupported(other)),
    };
    Ok(verifier)
}

/// Generates a key pair with josekit and returns it as a josekit JWK with every member.
fn josekit_generate(alg: JwsAlgorithm) -> Result<josekit::jwk::Jwk, Error> {
    use josekit::jws::{ES256, ES256K, ES384, ES512, EdDSA, RS256};
    let jwk = match alg {
        JwsAlgorithm::Es256 => ES256
            .generate_key_pair()
            .map_err(key_error)?
            .to_jwk_key_pair(),
        JwsAlgorithm::Es384 => ES384
            .generate_key_pair()
            .map_err(key_error)?
            .to_jwk_key_pair(),
        JwsAlgorithm::Es512 => ES512
            .generate_key_pair()
            .map_err(key_error)?
            .to_jwk_key_pair(),
        JwsAlgorithm::Es256K => ES256K
            .generate_key_pair()
            .map_err(key_error)?
            .to_jwk_key_pair(),
        JwsAlgorithm::EdDsa => EdDSA
            .generate_key_pair(josekit::jwk::Ed25519)
            .map_err(key_error)?
            .to_jwk_key_pair(),
        // One RSA key type serves RS* and PS* (RFC 7518 §6.3): an ordinary rsaEncryption key
        // pair, whose JWK carries the CRT members p, q, dp, dq and qi (RFC 7518 §6.3.2).
        JwsAlgorithm::Rs256
        | JwsAlgorithm::Rs384
        | JwsAlgorithm::Rs512
        | JwsAlgorithm::Ps256
        | JwsAlgorithm::Ps384
        | JwsAlgorithm::Ps512 => RS256
            .generate_key_pair(RSA_BITS)
            .map_err(key_error)?
            .to_jwk_key_pair(),
        other => return Err(unsupported(other)),
    };
    Ok(jwk)
}

impl KeyProvider for JosekitKeys {
    /// Builds a signer for `alg`; the private key is parsed here, once.
    fn signer(
        &self,
        key: &sdjwt_jose::Jwk,
        alg: JwsAlgorithm,
    ) -> Result<Box<dyn sdjwt_jose::JwsSigner>, Error> {
        if !SIGNATURE_ALGORITHMS.contains(&alg) {
            return Err(unsupported(alg));
        }
        key.check_algorithm(alg)?;
        if !key.is_private() {
            return Err(JwkError::NotAPrivateKey.into());
        }
        let inner = with_josekit_jwk(key.to_private_json(), |jwk| josekit_signer(alg, jwk))?;
        Ok(Box::new(Signer {
            alg,
            inner,
            public: key.to_public(),
        }))
    }

    /// Builds a verifier for `alg`; the public key is parsed here, once. Private members of
    /// `key` are never read.
    fn verifier(
        &self,
        key: &sdjwt_jose::Jwk,
        alg: JwsAlgorithm,
    ) -> Result<Box<dyn sdjwt_jose::JwsVerifier>, Error> {
        if !SIGNATURE_ALGORITHMS.contains(&alg) {
            return Err(unsupported(alg));
        }
        key.check_algorithm(alg)?;
        if let Some(verifier) = ecdsa_verifier(key, alg) {
            return verifier;
        }
        let inner = with_josekit_jwk(key.to_json(), |jwk| josekit_verifier(alg, jwk))?;
        Ok(Box::new(Verifier { alg, inner }))
    }

    /// Decompresses with OpenSSL: `EC_POINT_oct2point` solves for `y` (refusing an `x` with
    /// no point on the curve), `EC_KEY_check_key` confirms the point is a valid public key, and
    /// the point is written back uncompressed (SEC 1 v2 §2.3.3) to read off both coordinates.
    fn decompress_ec_point(
        &self,
        crv: EcCurve,
        compressed: &[u8],
    ) -> Result<(Vec<u8>, Vec<u8>), Error> {
        if !matches!(
            crv,
            EcCurve::P256 | EcCurve::P384 | EcCurve::P521 | EcCurve::Secp256k1
        ) {
            return Err(Error::UnsupportedPointDecompression {
                crv,
                provider: NAME,
            });
        }
        let len = crv.coordinate_len();
        // Only the compressed form: OpenSSL would also take uncompressed and hybrid points.
        if compressed.len() != 1 + len || !matches!(compressed.first(), Some(0x02 | 0x03)) {
            return Err(Error::Crypto);
        }
        let group = ec_group(crv)?;
        let mut ctx = BigNumContext::new().map_err(|_| Error::Crypto)?;
        let point = EcPoint::from_bytes(group, compressed, &mut ctx).map_err(|_| Error::Crypto)?;
        let key = EcKey::from_public_key(group, &point).map_err(|_| Error::Crypto)?;
        key.check_key().map_err(|_| Error::Crypto)?;
        let uncompressed = point
            .to_bytes(group, PointConversionForm::UNCOMPRESSED, &mut ctx)
            .map_err(|_| Error::Crypto)?;
        match uncompressed.split_first() {
            Some((0x04, coordinates)) if coordinates.len() == 2 * len => {
                let (x, y) = coordinates.split_at(len);
                Ok((x.to_vec(), y.to_vec()))
            }
            _ => Err(Error::Crypto),
        }
    }

    /// Generates a private key: the curve of RFC 7518 §3.4 / RFC 8812 §3.2 for ECDSA, Ed25519
    /// for EdDSA (RFC 8037 §3.1), a 2048-bit RSA key with CRT members for RS*/PS*. The JWK
    /// carries no `alg`, `use` or `kid` member.
    fn generate(&self, alg: JwsAlgorithm) -> Result<sdjwt_jose::Jwk, Error> {
        let generated = josekit_generate(alg)?;
        let mut map: Map<String, Value> = generated.into();
        map.remove("alg");
        map.remove("use");
        map.remove("kid");
        let jwk = sdjwt_jose::Jwk::from_json(&map);
        wipe(&mut map);
        let jwk = jwk.map_err(|_| Error::Crypto)?;
        jwk.check_algorithm(alg)?;
        Ok(jwk)
    }
}

impl HashProvider for OpensslHash {
    fn digest(&self, alg: HashAlgorithm, data: &[u8]) -> Result<HashOutput, Error> {
        self.digest_parts(alg, &[data])
    }

    fn digest_parts(&self, alg: HashAlgorithm, parts: &[&[u8]]) -> Result<HashOutput, Error> {
        // SHA-2 through OpenSSL's SHA-2 functions themselves: the EVP layer fetches the
        // algorithm and allocates a context on every call, which costs more than hashing a
        // Disclosure. SHA-3 has no such functions and goes through EVP.
        fn sha2<H>(mut hasher: H, parts: &[&[u8]], update: fn(&mut H, &[u8])) -> H {
            for part in parts {
                update(&mut hasher, part);
            }
            hasher
        }
        use openssl::sha::{Sha256, Sha384, Sha512};
        match alg {
            HashAlgorithm::Sha256 => {
                return HashOutput::new(&sha2(Sha256::new(), parts, Sha256::update).finish());
            }
            HashAlgorithm::Sha384 => {
                return HashOutput::new(&sha2(Sha384::new(), parts, Sha384::update).finish());
            }
            HashAlgorithm::Sha512 => {
                return HashOutput::new(&sha2(Sha512::new(), parts, Sha512::update).finish());
            }
            _ => {}
        }
        let mut hasher =
            openssl::hash::Hasher::new(message_digest(alg)?).map_err(|_| Error::Crypto)?;
        for part in parts {
            hasher.update(part).map_err(|_| Error::Crypto)?;
        }
        HashOutput::new(&hasher.finish().map_err(|_| Error::Crypto)?)
    }

    fn digest_prefix_and_whole(
        &self,
        alg: HashAlgorithm,
        prefix: &[&[u8]],
        rest: &[&[u8]],
    ) -> Result<(HashOutput, HashOutput), Error> {
        /// Hashes the prefix once and forks the state: one copy finishes, the other goes on.
        fn fork<H: Clone, const N: usize>(
            mut hasher: H,
            prefix: &[&[u8]],
            rest: &[&[u8]],
            update: fn(&mut H, &[u8]),
            finish: fn(H) -> [u8; N],
        ) -> Result<(HashOutput, HashOutput), Error> {
            for part in prefix {
                update(&mut hasher, part);
            }
            let head = HashOutput::new(&finish(hasher.clone()))?;
            for part in rest {
                update(&mut hasher, part);
            }
            Ok((head, HashOutput::new(&finish(hasher))?))
        }
        use openssl::sha::{Sha256, Sha384, Sha512};
        match alg {
            HashAlgorithm::Sha256 => {
                fork(Sha256::new(), prefix, rest, Sha256::update, Sha256::finish)
            }
            HashAlgorithm::Sha384 => {
                fork(Sha384::new(), prefix, rest, Sha384::update, Sha384::finish)
            }
            HashAlgorithm::Sha512 => {
                fork(Sha512::new(), prefix, rest, Sha512::update, Sha512::finish)
            }
            // SHA-3 goes through EVP, whose hasher forks the same way.
            _ => {
                let evp = |hasher: &mut openssl::hash::Hasher, parts: &[&[u8]]| {
                    parts.iter().try_for_each(|part| hasher.update(part))
                };
                let mut hasher =
                    openssl::hash::Hasher::new(message_digest(alg)?).map_err(|_| Error::Crypto)?;
                evp(&mut hasher, prefix).map_err(|_| Error::Crypto)?;
                let head = hasher.clone().finish().map_err(|_| Error::Crypto)?;
                evp(&mut hasher, rest).map_err(|_| Error::Crypto)?;
                let whole = hasher.finish().map_err(|_| Error::Crypto)?;
                Ok((HashOutput::new(&head)?, HashOutput::new(&whole)?))
            }
        }
    }
}

/// The OpenSSL message digest for `alg`.
fn message_digest(alg: HashAlgorithm) -> Result<MessageDigest, Error> {
    Ok(match alg {
        HashAlgorithm::Sha256 => MessageDigest::sha256(),
        HashAlgorithm::Sha384 => MessageDigest::sha384(),
        HashAlgorithm::Sha512 => MessageDigest::sha512(),
        HashAlgorithm::Sha3_256 => MessageDigest::sha3_256(),
        HashAlgorithm::Sha3_384 => MessageDigest::sha3_384(),
        HashAlgorithm::Sha3_512 => MessageDigest::sha3_512(),
        other => {
            return Err(Error::UnsupportedHashAlgorithm {
                alg: other,
                provider: NAME,
            });
        }
    })
}

impl SecureRandom for OpensslRandom {
    fn fill(&self, dest: &mut [u8]) -> Result<(), Error> {
        openssl::rand::rand_bytes(dest).map_err(|_| Error::Crypto)
    }
}

#[cfg(test)]
mod tests;
