//! Signers, verifiers and key generation on top of aws-lc-rs.
//!
//! Every key is handed to aws-lc-rs once, when the signer or verifier is built; the resulting
//! key pair or [`ParsedPublicKey`] is kept and reused for every signature.

use aws_lc_rs::encoding::{
    AsBigEndian, AsDer, Curve25519SeedBin, EcPrivateKeyBin, Pkcs8V1Der, PublicKeyX509Der,
};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPairComponents, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::{
    self, EcdsaKeyPair, EcdsaSigningAlgorithm, EcdsaVerificationAlgorithm, Ed25519KeyPair,
    KeyPair as _, ParsedPublicKey, RsaKeyPair, RsaParameters, RsaSignatureEncoding,
};
use sdjwt_jose::jwk::Jwk;
use sdjwt_jose::{
    EcCurve, Error, HashAlgorithm, HashOutput, JwkError, JwsAlgorithm, JwsSigner, JwsVerifier,
    KeyParams, KeyProvider, RsaPrivate, SecretBytes,
};

use crate::PROVIDER_NAME;
use crate::der::{DerError, Reader};

/// The largest RSA modulus aws-lc-rs signs or verifies with, in bits.
const MAX_RSA_BITS: usize = 8192;

/// The [`KeyProvider`] of [`crate::DEFAULT_PROVIDER`]: builds aws-lc-rs signers and verifiers
/// from JWKs and generates keys.
#[derive(Debug, Clone, Copy, Default)]
pub struct AwsLcKeys;

fn unsupported(alg: JwsAlgorithm) -> Error {
    Error::UnsupportedAlgorithm {
        alg,
        provider: PROVIDER_NAME,
    }
}

/// ECDSA parameters for `alg`: RFC 7518 §3.4 (ES256, ES384, ES512) and RFC 8812 §3.2 (ES256K).
/// The `_FIXED` variants produce and accept the JWS `R || S` form.
fn ecdsa_params(
    alg: JwsAlgorithm,
) -> Option<(
    &'static EcdsaSigningAlgorithm,
    &'static EcdsaVerificationAlgorithm,
)> {
    Some(match alg {
        JwsAlgorithm::Es256 => (
            &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &signature::ECDSA_P256_SHA256_FIXED,
        ),
        JwsAlgorithm::Es384 => (
            &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
            &signature::ECDSA_P384_SHA384_FIXED,
        ),
        JwsAlgorithm::Es512 => (
            &signature::ECDSA_P521_SHA512_FIXED_SIGNING,
            &signature::ECDSA_P521_SHA512_FIXED,
        ),
        JwsAlgorithm::Es256K => (
            &signature::ECDSA_P256K1_SHA256_FIXED_SIGNING,
            &signature::ECDSA_P256K1_SHA256_FIXED,
        ),
        _ => return None,
    })
}

/// RSA parameters for `alg`: RSASSA-PKCS1-v1_5 (RFC 7518 §3.3) and RSASSA-PSS with MGF1 using
/// the same hash and a salt as long as the hash output (RFC 7518 §3.5; aws-lc-rs's default
/// `RsaPssSaltLength::Digest`).
fn rsa_params(
    alg: JwsAlgorithm,
) -> Option<(&'static RsaSignatureEncoding, &'static RsaParameters)> {
    Some(match alg {
        JwsAlgorithm::Rs256 => (
            &signature::RSA_PKCS1_SHA256,
            &signature::RSA_PKCS1_2048_8192_SHA256,
        ),
        JwsAlgorithm::Rs384 => (
            &signature::RSA_PKCS1_SHA384,
            &signature::RSA_PKCS1_2048_8192_SHA384,
        ),
        JwsAlgorithm::Rs512 => (
            &signature::RSA_PKCS1_SHA512,
            &signature::RSA_PKCS1_2048_8192_SHA512,
        ),
        JwsAlgorithm::Ps256 => (
            &signature::RSA_PSS_SHA256,
            &signature::RSA_PSS_2048_8192_SHA256,
        ),
        JwsAlgorithm::Ps384 => (
            &signature::RSA_PSS_SHA384,
            &signature::RSA_PSS_2048_8192_SHA384,
        ),
        JwsAlgorithm::Ps512 => (
            &signature::RSA_PSS_SHA512,
            &signature::RSA_PSS_2048_8192_SHA512,
        ),
        _ => return None,
    })
}

/// The SEC 1 §2.3.3 uncompressed point `0x04 || x || y` (the form RFC 7518 §6.2.1 coordinates
/// are taken from).
fn uncompressed_point(x: &[u8], y: &[u8]) -> Vec<u8> {
    let mut point = Vec::with_capacity(1 + x.len() + y.len());
    point.push(0x04);
    point.extend_from_slice(x);
    point.extend_from_slice(y);
    point
}

fn rsa_bits(n: &[u8]) -> usize {
    n.first()
        .map_or(0, |&b| n.len() * 8 - b.leading_zeros() as usize)
}

/// The parsed private key a [`Signer`] holds.
enum SigningKey {
    Ecdsa(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
    Rsa(RsaKeyPair, &'static RsaSignatureEncoding),
}

/// A [`JwsSigner`] over one parsed aws-lc-rs key pair.
struct Signer {
    alg: JwsAlgorithm,
    key: SigningKey,
    public: Jwk,
}

impl JwsSigner for Signer {
    fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.public.key_id()
    }

    fn try_sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, Error> {
        match &self.key {
            // RFC 7518 §3.4: the fixed-width R || S form, which the `_FIXED` algorithms produce.
            SigningKey::Ecdsa(pair) => pair
                .sign(&SystemRandom::new(), signing_input)
                .map(|sig| sig.as_ref().to_vec())
                .map_err(|_| Error::Crypto),
            // RFC 8037 §3.1.
            SigningKey::Ed25519(pair) => pair
                .try_sign(signing_input)
                .map(|sig| sig.as_ref().to_vec())
                .map_err(|_| Error::Crypto),
            // RFC 7518 §3.3 and §3.5: the signature is as long as the modulus.
            SigningKey::Rsa(pair, encoding) => {
                let mut sig = vec![0u8; pair.public_modulus_len()];
                pair.sign(*encoding, &SystemRandom::new(), signing_input, &mut sig)
                    .map_err(|_| Error::Crypto)?;
                Ok(sig)
            }
        }
    }

    fn public_key(&self) -> Option<&Jwk> {
        Some(&self.public)
    }
}

/// A [`JwsVerifier`] over one parsed aws-lc-rs public key.
struct Verifier {
    alg: JwsAlgorithm,
    key: ParsedPublicKey,
}

impl JwsVerifier for Verifier {
    fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), Error> {
        self.key
            .verify_sig(signing_input, signature)
            .map_err(|_| Error::InvalidSignature)
    }

    fn digest_algorithm(&self) -> Option<HashAlgorithm> {
        self.alg.ecdsa_hash()
    }

    fn verify_digest(&self, digest: &HashOutput, signature: &[u8]) -> Result<(), Error> {
        let hash = self.digest_algorithm().ok_or(Error::InvalidSignature)?;
        let algorithm = crate::algorithm(hash).map_err(|_| Error::InvalidSignature)?;
        // aws-lc-rs refuses a digest of the wrong length, and one whose algorithm is not the
        // key's.
        let digest = aws_lc_rs::digest::Digest::import_less_safe(digest.as_bytes(), algorithm)
            .map_err(|_| Error::InvalidSignature)?;
        self.key
            .verify_digest_sig(&digest, signature)
            .map_err(|_| Error::InvalidSignature)
    }
}

impl KeyProvider for AwsLcKeys {
    fn signer(&self, key: &Jwk, alg: JwsAlgorithm) -> Result<Box<dyn JwsSigner>, Error> {
        key.check_algorithm(alg)?;
        if !key.is_private() {
            return Err(JwkError::NotAPrivateKey.into());
        }
        let not_private = || Error::Jwk(JwkError::NotAPrivateKey);
        let signing_key = match key.params() {
            KeyParams::Ec { x, y, d, .. } => {
                let d = d.as_ref().ok_or_else(not_private)?;
                let (signing_alg, _) = ecdsa_params(alg).ok_or_else(|| unsupported(alg))?;
                let pair = EcdsaKeyPair::from_private_key_and_public_key(
                    signing_alg,
                    d.expose(),
                    &uncompressed_point(x, y),
                )
                .map_err(|_| Error::Crypto)?;
                SigningKey::Ecdsa(pair)
            }
            KeyParams::Ed25519 { x, d } => {
                if alg != JwsAlgorithm::EdDsa {
                    return Err(unsupported(alg));
                }
                let d = d.as_ref().ok_or_else(not_private)?;
                let pair = Ed25519KeyPair::from_seed_and_public_key(d.expose(), x)
                    .map_err(|_| Error::Crypto)?;
                SigningKey::Ed25519(pair)
            }
            KeyParams::Rsa { n, e, private } => {
                let private = private.as_ref().ok_or_else(not_private)?;
                let (encoding, _) = rsa_params(alg).ok_or_else(|| unsupported(alg))?;
                // All CRT members are checked for consistency by aws-lc-rs (RSA_check_key).
                let components = KeyPairComponents {
                    public_key: PublicKeyComponents {
                        n: n.as_slice(),
                        e: e.as_slice(),
                    },
                    d: private.d.expose(),
                    p: private.p.expose(),
                    q: private.q.expose(),
                    dP: private.dp.expose(),
                    dQ: private.dq.expose(),
                    qInv: private.qi.expose(),
                };
                let pair = RsaKeyPair::from_components(&components).map_err(|_| Error::Crypto)?;
                SigningKey::Rsa(pair, encoding)
            }
            _ => return Err(unsupported(alg)),
        };
        Ok(Box::new(Signer {
            alg,
            key: signing_key,
            public: key.to_public(),
        }))
    }

    fn verifier(&self, key: &Jwk, alg: JwsAlgorithm) -> Result<Box<dyn JwsVerifier>, Error> {
        key.check_algorithm(alg)?;
        let parsed = match key.params() {
            KeyParams::Ec { x, y, .. } => {
                let (_, verify_alg) = ecdsa_params(alg).ok_or_else(|| unsupported(alg))?;
                // Rejects points that are not on the curve.
                ParsedPublicKey::new(verify_alg, uncompressed_point(x, y))
                    .map_err(|_| Error::Crypto)?
            }
            KeyParams::Ed25519 { x, .. } => {
                if alg != JwsAlgorithm::EdDsa {
                    return Err(unsupported(alg));
                }
                ParsedPublicKey::new(&signature::ED25519, x).map_err(|_| Error::Crypto)?
            }
            KeyParams::Rsa { n, e, .. } => {
                let (_, params) = rsa_params(alg).ok_or_else(|| unsupported(alg))?;
                // aws-lc-rs would only notice an oversized modulus when verifying, and then
                // report a bad signature; refuse the key itself instead.
                if rsa_bits(n) > MAX_RSA_BITS {
                    return Err(Error::Crypto);
                }
                PublicKeyComponents {
                    n: n.as_slice(),
                    e: e.as_slice(),
                }
                .to_parsed_public_key(params)
                .map_err(|_| Error::Crypto)?
            }
            _ => return Err(unsupported(alg)),
        };
        Ok(Box::new(Verifier { alg, key: parsed }))
    }

    /// Decompresses with aws-lc: parsing the SEC 1 point into a [`ParsedPublicKey`] solves for
    /// `y` and checks the point is on the curve (`EC_POINT_oct2point`, `EC_KEY_check_key`); the
    /// key's `SubjectPublicKeyInfo` (RFC 5480 §2) then holds the uncompressed point, which
    /// aws-lc always writes in that form.
    fn decompress_ec_point(
        &self,
        crv: EcCurve,
        compressed: &[u8],
    ) -> Result<(Vec<u8>, Vec<u8>), Error> {
        let alg = match crv {
            EcCurve::P256 => JwsAlgorithm::Es256,
            EcCurve::P384 => JwsAlgorithm::Es384,
            EcCurve::P521 => JwsAlgorithm::Es512,
            EcCurve::Secp256k1 => JwsAlgorithm::Es256K,
            _ => {
                return Err(Error::UnsupportedPointDecompression {
                    crv,
                    provider: PROVIDER_NAME,
                });
            }
        };
        // Only the compressed form: aws-lc would also take an uncompressed point or a DER
        // SubjectPublicKeyInfo here.
        if compressed.len() != 1 + crv.coordinate_len()
            || !matches!(compressed.first(), Some(0x02 | 0x03))
        {
            return Err(Error::Crypto);
        }
        let (_, verify_alg) = ecdsa_params(alg).ok_or_else(|| unsupported(alg))?;
        let key = ParsedPublicKey::new(verify_alg, compressed).map_err(|_| Error::Crypto)?;
        let spki: PublicKeyX509Der<'static> = key.as_der().map_err(|_| Error::Crypto)?;
        // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
        //                                     subjectPublicKey BIT STRING }
        let mut outer = Reader::new(spki.as_ref());
        let mut info = outer.sequence()?;
        let _algorithm = info.sequence()?;
        let point = info.octet_aligned_bit_string()?;
        if !outer.is_empty() || !info.is_empty() {
            return Err(DerError.into());
        }
        split_point(crv, point)
    }

    fn generate(&self, alg: JwsAlgorithm) -> Result<Jwk, Error> {
        if let Some((signing_alg, _)) = ecdsa_params(alg) {
            generate_ec(alg, signing_alg)
        } else if alg == JwsAlgorithm::EdDsa {
            generate_ed25519()
        } else if rsa_params(alg).is_some() {
            generate_rsa()
        } else {
            Err(unsupported(alg))
        }
    }
}

fn generate_ec(
    alg: JwsAlgorithm,
    signing_alg: &'static EcdsaSigningAlgorithm,
) -> Result<Jwk, Error> {
    let crv = match alg.key_requirement() {
        sdjwt_jose::KeyRequirement::Ec(crv) => crv,
        _ => return Err(unsupported(alg)),
    };
    let pair = EcdsaKeyPair::generate(signing_alg).map_err(|_| Error::Crypto)?;
    let d: EcPrivateKeyBin<'static> = pair
        .private_key()
        .as_be_bytes()
        .map_err(|_| Error::Crypto)?;
    let (x, y) = split_point(crv, pair.public_key().as_ref())?;
    Jwk::new(KeyParams::Ec {
        crv,
        x,
        y,
        d: Some(SecretBytes::new(d.as_ref().to_vec())),
    })
}

/// Splits an uncompressed SEC 1 point into its coordinates.
fn split_point(crv: EcCurve, point: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let len = crv.coordinate_len();
    match point.split_first() {
        Some((0x04, coordinates)) if coordinates.len() == 2 * len => {
            let (x, y) = coordinates.split_at(len);
            Ok((x.to_vec(), y.to_vec()))
        }
        _ => Err(Error::Crypto),
    }
}

fn generate_ed25519() -> Result<Jwk, Error> {
    let pair = Ed25519KeyPair::generate().map_err(|_| Error::Crypto)?;
    let seed: Curve25519SeedBin<'static> = pair
        .seed()
        .and_then(|s| s.as_be_bytes())
        .map_err(|_| Error::Crypto)?;
    Jwk::new(KeyParams::Ed25519 {
        x: pair.public_key().as_ref().to_vec(),
        d: Some(SecretBytes::new(seed.as_ref().to_vec())),
    })
}

/// Generates a 2048-bit RSA key and reads its members back out of the PKCS#8 export, since
/// aws-lc-rs offers no other way to get at the private components.
fn generate_rsa() -> Result<Jwk, Error> {
    let pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| Error::Crypto)?;
    // The export buffer is zeroized on drop by aws-lc-rs.
    let pkcs8: Pkcs8V1Der<'static> = pair.as_der().map_err(|_| Error::Crypto)?;
    rsa_jwk_from_pkcs8(pkcs8.as_ref())
}

/// Parses a PKCS#8 `PrivateKeyInfo` (RFC 5208 §5) holding a two-prime PKCS#1 `RSAPrivateKey`
/// (RFC 8017 Appendix A.1.2) into a private RSA JWK (RFC 7518 §6.3).
fn rsa_jwk_from_pkcs8(der: &[u8]) -> Result<Jwk, Error> {
    let mut outer = Reader::new(der);
    let mut info = outer.sequence()?;
    if !outer.is_empty() || info.unsigned_integer()? != [0] {
        return Err(DerError.into());
    }
    let _algorithm = info.sequence()?;
    let mut key_outer = Reader::new(info.octet_string()?);
    let mut key = key_outer.sequence()?;
    // Version 0: two-prime (version 1 would mean otherPrimeInfos follow).
    if !key_outer.is_empty() || key.unsigned_integer()? != [0] {
        return Err(DerError.into());
    }
    let n = key.unsigned_integer()?.to_vec();
    let e = key.unsigned_integer()?.to_vec();
    let mut secret = || key.unsigned_integer().map(|v| SecretBytes::new(v.to_vec()));
    let private = RsaPrivate {
        d: secret()?,
        p: secret()?,
        q: secret()?,
        dp: secret()?,
        dq: secret()?,
        qi: secret()?,
    };
    if !key.is_empty() {
        return Err(DerError.into());
    }
    Jwk::new(KeyParams::Rsa {
        n,
        e,
        private: Some(private),
    })
}
