//! The physical floor: signatures, digests and random bytes straight from each provider's
//! library (aws-lc-rs; josekit and OpenSSL), on keys parsed once, with none of our code in
//! between.
//!
//! [`RawKey`] is one parsed key; [`Backend`] names the library and does the hashing and random
//! draws. [`VerifyFloor`], [`IssueFloor`] and [`PresentFloor`] replay the primitive work that
//! verifying, issuing and presenting cannot avoid, cut out of real artefacts of the same size.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPairComponents, PublicKeyComponents};
use aws_lc_rs::signature::{
    self as awslc, EcdsaKeyPair, EcdsaSigningAlgorithm, EcdsaVerificationAlgorithm, Ed25519KeyPair,
    ParsedPublicKey, RsaKeyPair, RsaParameters, RsaSignatureEncoding,
};
use josekit::jws::{ES256, ES384, EdDSA, PS256};
use sdjwt_core::SALT_BYTES;
use sdjwt_jose::{Jwk, JwsAlgorithm, KeyParams, base64url};

use crate::BoxError;

/// The JWS algorithms of the `primitive` and `jws` groups.
pub const ALGORITHMS: [JwsAlgorithm; 4] = [
    JwsAlgorithm::Es256,
    JwsAlgorithm::Es384,
    JwsAlgorithm::EdDsa,
    JwsAlgorithm::Ps256,
];

/// A provider's library, called directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// aws-lc-rs, under `sdjwt_aws_lc::DEFAULT_PROVIDER`.
    AwsLc,
    /// josekit for signatures and OpenSSL for digests and random bytes, under
    /// `sdjwt_josekit::DEFAULT_PROVIDER`.
    Josekit,
}

impl Backend {
    /// Both backends.
    pub const ALL: [Self; 2] = [Self::AwsLc, Self::Josekit];

    /// The name of the matching provider (`CryptoProvider::name`), used in benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Self::AwsLc => sdjwt_aws_lc::PROVIDER_NAME,
            Self::Josekit => sdjwt_josekit::NAME,
        }
    }

    /// Our provider built on this library.
    pub fn provider(self) -> sdjwt_jose::CryptoProvider {
        match self {
            Self::AwsLc => sdjwt_aws_lc::DEFAULT_PROVIDER,
            Self::Josekit => sdjwt_josekit::DEFAULT_PROVIDER,
        }
    }

    /// SHA-256 of `data`.
    ///
    /// # Errors
    ///
    /// OpenSSL failures (never in practice).
    pub fn sha256(self, data: &[u8]) -> Result<[u8; 32], BoxError> {
        let mut out = [0u8; 32];
        match self {
            Self::AwsLc => out.copy_from_slice(
                aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data).as_ref(),
            ),
            // OpenSSL's SHA-256 itself, without the EVP layer's per-call fetch and context: the
            // fastest way OpenSSL offers (and what the josekit provider uses).
            Self::Josekit => {
                let mut hasher = openssl::sha::Sha256::new();
                hasher.update(data);
                out = hasher.finish();
            }
        }
        Ok(out)
    }

    /// Fills `dest` from the library's secure random generator.
    ///
    /// # Errors
    ///
    /// The generator failed.
    pub fn fill(self, dest: &mut [u8]) -> Result<(), BoxError> {
        match self {
            Self::AwsLc => aws_lc_rs::rand::fill(dest).map_err(|_| "aws-lc-rs rand failed")?,
            Self::Josekit => openssl::rand::rand_bytes(dest)?,
        }
        Ok(())
    }

    /// A salt's worth of random bytes ([`SALT_BYTES`]) in one request to the generator: what a
    /// salt costs when each is drawn on its own (the `primitive/salt` benchmark).
    ///
    /// # Errors
    ///
    /// The generator failed.
    pub fn salt(self) -> Result<[u8; SALT_BYTES], BoxError> {
        let mut salt = [0u8; SALT_BYTES];
        self.fill(&mut salt)?;
        Ok(salt)
    }

    /// Parses `key` (private) for `alg` into the library's own key objects.
    ///
    /// # Errors
    ///
    /// A key the library refuses, or an algorithm outside [`ALGORITHMS`].
    pub fn key(self, key: &Jwk, alg: JwsAlgorithm) -> Result<Box<dyn RawKey>, BoxError> {
        match self {
            Self::AwsLc => Ok(Box::new(AwsLcKey::new(key, alg)?)),
            Self::Josekit => Ok(Box::new(JosekitKey::new(key, alg)?)),
        }
    }
}

/// One key, parsed once by the library, that signs and verifies with one algorithm.
pub trait RawKey: Send + Sync {
    /// Signs `message`, giving the JWS form of the signature.
    ///
    /// # Errors
    ///
    /// The library failed.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, BoxError>;

    /// Verifies a JWS-form `signature` over `message`.
    ///
    /// # Errors
    ///
    /// The signature is invalid.
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), BoxError>;
}

/// The aws-lc-rs private key objects.
enum AwsLcSigning {
    /// ECDSA with the fixed-width `R || S` signature form.
    Ecdsa(EcdsaKeyPair),
    /// Ed25519.
    Ed25519(Ed25519KeyPair),
    /// RSA with its signature encoding (PKCS#1 v1.5 or PSS).
    Rsa(RsaKeyPair, &'static RsaSignatureEncoding),
}

/// An aws-lc-rs key pair and the matching parsed public key.
struct AwsLcKey {
    /// The private key.
    signing: AwsLcSigning,
    /// The public key, parsed.
    public: ParsedPublicKey,
    /// The random source for ECDSA nonces and PSS salts.
    rng: SystemRandom,
}

/// The aws-lc-rs ECDSA algorithms for `alg`.
fn ecdsa(
    alg: JwsAlgorithm,
) -> Option<(
    &'static EcdsaSigningAlgorithm,
    &'static EcdsaVerificationAlgorithm,
)> {
    match alg {
        JwsAlgorithm::Es256 => Some((
            &awslc::ECDSA_P256_SHA256_FIXED_SIGNING,
            &awslc::ECDSA_P256_SHA256_FIXED,
        )),
        JwsAlgorithm::Es384 => Some((
            &awslc::ECDSA_P384_SHA384_FIXED_SIGNING,
            &awslc::ECDSA_P384_SHA384_FIXED,
        )),
        _ => None,
    }
}

/// `0x04 || x || y`.
fn point(x: &[u8], y: &[u8]) -> Vec<u8> {
    [&[4u8][..], x, y].concat()
}

impl AwsLcKey {
    /// Parses `key` for `alg`.
    fn new(key: &Jwk, alg: JwsAlgorithm) -> Result<Self, BoxError> {
        let refused = |_| -> BoxError { "aws-lc-rs refused the key".into() };
        let (signing, public) = match (key.params(), alg) {
            (
                KeyParams::Ec {
                    x, y, d: Some(d), ..
                },
                _,
            ) => {
                let (sign_alg, verify_alg) = ecdsa(alg).ok_or("not an ECDSA algorithm")?;
                let pair = EcdsaKeyPair::from_private_key_and_public_key(
                    sign_alg,
                    d.expose(),
                    &point(x, y),
                )
                .map_err(refused)?;
                let public = ParsedPublicKey::new(verify_alg, point(x, y)).map_err(refused)?;
                (AwsLcSigning::Ecdsa(pair), public)
            }
            (KeyParams::Ed25519 { x, d: Some(d) }, JwsAlgorithm::EdDsa) => {
                let pair =
                    Ed25519KeyPair::from_seed_and_public_key(d.expose(), x).map_err(refused)?;
                let public = ParsedPublicKey::new(&awslc::ED25519, x).map_err(refused)?;
                (AwsLcSigning::Ed25519(pair), public)
            }
            (
                KeyParams::Rsa {
                    n,
                    e,
                    private: Some(p),
                },
                JwsAlgorithm::Ps256,
            ) => {
                let public_key = PublicKeyComponents {
                    n: n.as_slice(),
                    e: e.as_slice(),
                };
                let pair = RsaKeyPair::from_components(&KeyPairComponents {
                    public_key: PublicKeyComponents {
                        n: n.as_slice(),
                        e: e.as_slice(),
                    },
                    d: p.d.expose(),
                    p: p.p.expose(),
                    q: p.q.expose(),
                    dP: p.dp.expose(),
                    dQ: p.dq.expose(),
                    qInv: p.qi.expose(),
                })
                .map_err(refused)?;
                let params: &'static RsaParameters = &awslc::RSA_PSS_2048_8192_SHA256;
                let public = public_key.to_parsed_public_key(params).map_err(refused)?;
                (AwsLcSigning::Rsa(pair, &awslc::RSA_PSS_SHA256), public)
            }
            _ => return Err(format!("no raw aws-lc-rs key for {alg}").into()),
        };
        Ok(Self {
            signing,
            public,
            rng: SystemRandom::new(),
        })
    }
}

impl RawKey for AwsLcKey {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, BoxError> {
        let failed = |_| -> BoxError { "aws-lc-rs failed to sign".into() };
        Ok(match &self.signing {
            AwsLcSigning::Ecdsa(pair) => pair
                .sign(&self.rng, message)
                .map_err(failed)?
                .as_ref()
                .to_vec(),
            AwsLcSigning::Ed25519(pair) => {
                pair.try_sign(message).map_err(failed)?.as_ref().to_vec()
            }
            AwsLcSigning::Rsa(pair, encoding) => {
                let mut signature = vec![0; pair.public_modulus_len()];
                pair.sign(*encoding, &self.rng, message, &mut signature)
                    .map_err(failed)?;
                signature
            }
        })
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), BoxError> {
        self.public
            .verify_sig(message, signature)
            .map_err(|_| "invalid signature".into())
    }
}

/// josekit's signer and verifier objects (each holding a parsed OpenSSL key).
struct JosekitKey {
    /// The signer.
    signer: Box<dyn josekit::jws::JwsSigner>,
    /// The verifier.
    verifier: Box<dyn josekit::jws::JwsVerifier>,
}

impl JosekitKey {
    /// Parses `key` for `alg`.
    fn new(key: &Jwk, alg: JwsAlgorithm) -> Result<Self, BoxError> {
        let private = josekit::jwk::Jwk::from_map(key.to_private_json())?;
        let public = josekit::jwk::Jwk::from_map(key.to_json())?;
        let (signer, verifier): (
            Box<dyn josekit::jws::JwsSigner>,
            Box<dyn josekit::jws::JwsVerifier>,
        ) = match alg {
            JwsAlgorithm::Es256 => (
                Box::new(ES256.signer_from_jwk(&private)?),
                Box::new(ES256.verifier_from_jwk(&public)?),
            ),
            JwsAlgorithm::Es384 => (
                Box::new(ES384.signer_from_jwk(&private)?),
                Box::new(ES384.verifier_from_jwk(&public)?),
            ),
            JwsAlgorithm::EdDsa => (
                Box::new(EdDSA.signer_from_jwk(&private)?),
                Box::new(EdDSA.verifier_from_jwk(&public)?),
            ),
            JwsAlgorithm::Ps256 => (
                Box::new(PS256.signer_from_jwk(&private)?),
                Box::new(PS256.verifier_from_jwk(&public)?),
            ),
            other => return Err(format!("no raw josekit key for {other}").into()),
        };
        Ok(Self { signer, verifier })
    }
}

impl RawKey for JosekitKey {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, BoxError> {
        Ok(self.signer.sign(message)?)
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), BoxError> {
        Ok(self.verifier.verify(message, signature)?)
    }
}

/// A compact JWS cut into its signing input and decoded signature.
fn split_jws(jws: &str) -> Result<(Vec<u8>, Vec<u8>), BoxError> {
    let (input, signature) = jws.rsplit_once('.').ok_or("not a compact JWS")?;
    Ok((input.as_bytes().to_vec(), base64url::decode(signature)?))
}

/// The primitive work of verifying one SD-JWT+KB: the issuer signature over its signing input as
/// received, the KB-JWT signature, the digest of every presented Disclosure, and `sd_hash` over
/// the presented SD-JWT. Parsing JSON, matching digests and checking claims are left out: they
/// are the overhead being measured against this.
pub struct VerifyFloor {
    /// The library.
    backend: Backend,
    /// The issuer's public key, parsed.
    issuer: Box<dyn RawKey>,
    /// The holder's public key, parsed.
    holder: Box<dyn RawKey>,
    /// The issuer-signed JWT's signing input and signature.
    issuer_jws: (Vec<u8>, Vec<u8>),
    /// The KB-JWT's signing input and signature.
    kb_jws: (Vec<u8>, Vec<u8>),
    /// The presented Disclosures, as text.
    disclosures: Vec<String>,
    /// `<Issuer-signed JWT>~<Disclosure>~...~`, the `sd_hash` input.
    sd_hash_input: String,
}

impl VerifyFloor {
    /// Cuts the floor's inputs out of a compact SD-JWT+KB `presentation`.
    ///
    /// # Errors
    ///
    /// A presentation without key binding, or keys the library refuses.
    pub fn new(
        backend: Backend,
        issuer_key: &Jwk,
        holder_key: &Jwk,
        presentation: &str,
    ) -> Result<Self, BoxError> {
        let (sd_jwt, kb) = presentation.rsplit_once('~').ok_or("no '~'")?;
        let mut parts = sd_jwt.split('~');
        let jwt = parts.next().ok_or("no issuer-signed JWT")?;
        let floor = Self {
            backend,
            issuer: backend.key(issuer_key, JwsAlgorithm::Es256)?,
            holder: backend.key(holder_key, JwsAlgorithm::Es256)?,
            issuer_jws: split_jws(jwt)?,
            kb_jws: split_jws(kb)?,
            disclosures: parts.map(str::to_owned).collect(),
            sd_hash_input: format!("{sd_jwt}~"),
        };
        floor.run()?;
        Ok(floor)
    }

    /// Does the primitive work once.
    ///
    /// # Errors
    ///
    /// A signature does not verify.
    pub fn run(&self) -> Result<(), BoxError> {
        self.issuer.verify(&self.issuer_jws.0, &self.issuer_jws.1)?;
        for d in &self.disclosures {
            std::hint::black_box(self.backend.sha256(d.as_bytes())?);
        }
        self.holder.verify(&self.kb_jws.0, &self.kb_jws.1)?;
        std::hint::black_box(self.backend.sha256(self.sd_hash_input.as_bytes())?);
        Ok(())
    }
}

/// The primitive work of issuing an SD-JWT: a salt and a digest per Disclosure (the salts drawn
/// in one request), and one signature over a signing input as long as the real one.
pub struct IssueFloor {
    /// The library.
    backend: Backend,
    /// The issuer's private key, parsed.
    issuer: Box<dyn RawKey>,
    /// The issued JWT's signing input.
    signing_input: Vec<u8>,
    /// The issued Disclosures, as text.
    disclosures: Vec<String>,
}

impl IssueFloor {
    /// Cuts the floor's inputs out of a compact SD-JWT `issued`.
    ///
    /// # Errors
    ///
    /// A malformed SD-JWT, or a key the library refuses.
    pub fn new(backend: Backend, issuer_key: &Jwk, issued: &str) -> Result<Self, BoxError> {
        let mut parts = issued.split('~');
        let jwt = parts.next().ok_or("no issuer-signed JWT")?;
        let floor = Self {
            backend,
            issuer: backend.key(issuer_key, JwsAlgorithm::Es256)?,
            signing_input: split_jws(jwt)?.0,
            disclosures: parts.filter(|p| !p.is_empty()).map(str::to_owned).collect(),
        };
        floor.run()?;
        Ok(floor)
    }

    /// Does the primitive work once, returning the signature.
    ///
    /// # Errors
    ///
    /// The library failed.
    pub fn run(&self) -> Result<Vec<u8>, BoxError> {
        // Every salt from one request to the generator: per-request overhead is avoidable, so
        // it is not part of the floor (the issuer draws its salts the same way).
        let mut salts = vec![0u8; self.disclosures.len() * SALT_BYTES];
        self.backend.fill(&mut salts)?;
        std::hint::black_box(&salts);
        for d in &self.disclosures {
            std::hint::black_box(self.backend.sha256(d.as_bytes())?);
        }
        self.issuer.sign(&self.signing_input)
    }
}

/// The primitive work of presenting: `sd_hash` over the presented SD-JWT and one KB-JWT
/// signature.
pub struct PresentFloor {
    /// The library.
    backend: Backend,
    /// The holder's private key, parsed.
    holder: Box<dyn RawKey>,
    /// The KB-JWT's signing input.
    kb_input: Vec<u8>,
    /// `<Issuer-signed JWT>~<Disclosure>~...~`, the `sd_hash` input.
    sd_hash_input: String,
}

impl PresentFloor {
    /// Cuts the floor's inputs out of a compact SD-JWT+KB `presentation`.
    ///
    /// # Errors
    ///
    /// A presentation without key binding, or a key the library refuses.
    pub fn new(backend: Backend, holder_key: &Jwk, presentation: &str) -> Result<Self, BoxError> {
        let (sd_jwt, kb) = presentation.rsplit_once('~').ok_or("no '~'")?;
        let floor = Self {
            backend,
            holder: backend.key(holder_key, JwsAlgorithm::Es256)?,
            kb_input: split_jws(kb)?.0,
            sd_hash_input: format!("{sd_jwt}~"),
        };
        floor.run()?;
        Ok(floor)
    }

    /// Does the primitive work once, returning the signature.
    ///
    /// # Errors
    ///
    /// The library failed.
    pub fn run(&self) -> Result<Vec<u8>, BoxError> {
        std::hint::black_box(self.backend.sha256(self.sd_hash_input.as_bytes())?);
        self.holder.sign(&self.kb_input)
    }
}
