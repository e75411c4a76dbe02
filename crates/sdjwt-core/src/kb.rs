//! The Key Binding JWT (RFC 9901 §4.3).

use sdjwt_jose::jws::{self, CompactJws};
use sdjwt_jose::{CryptoProvider, HashAlgorithm, JwsSigner};
use serde_json::{Map, Value};

use crate::disclosure::Digest;
use crate::error::Error;
use crate::time::UnixTime;

/// The `typ` of a Key Binding JWT (RFC 9901 §4.3, §12.2.2).
pub const KB_JWT_TYP: &str = "kb+jwt";

/// Computes `sd_hash` (RFC 9901 §4.3.1): the digest, with the credential's `_sd_alg`, of the
/// US-ASCII bytes `<Issuer-signed JWT>~<Disclosure 1>~...~<Disclosure N>~`.
///
/// # Errors
///
/// [`sdjwt_jose::Error::UnsupportedHashAlgorithm`].
pub fn sd_hash(
    provider: &CryptoProvider,
    alg: HashAlgorithm,
    sd_jwt: &str,
) -> Result<Digest, Error> {
    Digest::compute(provider, alg, sd_jwt.as_bytes())
}

/// The claims a Key Binding JWT must carry (RFC 9901 §4.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KbClaims {
    /// `iat`: when the KB-JWT was made.
    pub iat: UnixTime,
    /// `aud`: the single intended Verifier.
    pub aud: String,
    /// `nonce`: the Verifier's freshness value.
    pub nonce: String,
    /// `sd_hash`: the digest binding the KB-JWT to the presented SD-JWT.
    pub sd_hash: String,
}

/// A parsed Key Binding JWT, keeping its exact text.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyBindingJwt {
    jws: CompactJws,
    payload: Map<String, Value>,
}

impl KeyBindingJwt {
    /// Parses a KB-JWT. Its claims are checked by [`KeyBindingJwt::claims`], its `typ`, signature
    /// and values by the Verifier.
    ///
    /// # Errors
    ///
    /// JOSE errors for a malformed JWS (including `alg: none`), [`Error::PayloadNotObject`].
    pub fn parse(text: &str) -> Result<Self, Error> {
        let jws = CompactJws::parse(text)?;
        let payload = match sdjwt_jose::json::parse(jws.payload())? {
            Value::Object(m) => m,
            _ => return Err(Error::PayloadNotObject),
        };
        Ok(Self { jws, payload })
    }

    /// Signs a KB-JWT with header `typ: kb+jwt` and the given claims; the algorithm is the
    /// signer's (it need not match the Issuer's).
    ///
    /// # Errors
    ///
    /// Whatever the signer returns.
    pub fn sign(signer: &dyn JwsSigner, claims: &KbClaims) -> Result<Self, Error> {
        let mut payload = Map::new();
        payload.insert("iat".into(), claims.iat.into());
        payload.insert("aud".into(), claims.aud.clone().into());
        payload.insert("nonce".into(), claims.nonce.clone().into());
        payload.insert("sd_hash".into(), claims.sd_hash.clone().into());
        let text = jws::sign_compact(
            signer,
            Some(KB_JWT_TYP),
            &Map::new(),
            Value::Object(payload).to_string().as_bytes(),
        )?;
        Self::parse(&text)
    }

    /// The JWS.
    pub fn jws(&self) -> &CompactJws {
        &self.jws
    }

    /// The compact text, exactly as received or made.
    pub fn as_str(&self) -> &str {
        self.jws.as_str()
    }

    /// Every payload claim.
    pub fn payload(&self) -> &Map<String, Value> {
        &self.payload
    }

    /// The four required claims, each checked for presence and type (RFC 9901 §4.3): `iat` a
    /// NumericDate, `aud` a single string, `nonce` a string, `sd_hash` a string.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidKbJwtClaim`] naming the first claim that is missing or mistyped.
    pub fn claims(&self) -> Result<KbClaims, Error> {
        let iat = crate::time::numeric_date(&self.payload, "iat")
            .ok()
            .flatten()
            .ok_or(Error::InvalidKbJwtClaim { name: "iat" })?;
        let string = |name: &'static str| {
            self.payload
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or(Error::InvalidKbJwtClaim { name })
        };
        Ok(KbClaims {
            iat,
            aud: string("aud")?,
            nonce: string("nonce")?,
            sd_hash: string("sd_hash")?,
        })
    }
}
