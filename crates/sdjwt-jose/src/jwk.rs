//! JSON Web Keys (RFC 7517) for the key types JWS signatures use here, and JWK thumbprints
//! (RFC 7638).
//!
//! Key material is stored decoded and checked for shape when parsed (coordinate lengths per
//! curve, minimal RSA integers), so providers receive well-formed bytes. Private members are
//! zeroized on drop, never printed by `Debug`, and only serialized by the explicitly named
//! [`Jwk::to_private_json`].

use core::fmt;

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::alg::{EcCurve, HashAlgorithm, JwsAlgorithm, KeyRequirement};
use crate::base64url;
use crate::crypto::HashProvider;
use crate::error::{Error, JwkError};

/// Secret key bytes: zeroized on drop, redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    /// Wraps secret bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// The secret bytes. Handle with care.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The key-type-specific members of a JWK.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyParams {
    /// `kty: EC` (RFC 7518 §6.2).
    Ec {
        /// The curve.
        crv: EcCurve,
        /// The x coordinate, big-endian, exactly [`EcCurve::coordinate_len`] bytes.
        x: Vec<u8>,
        /// The y coordinate, big-endian, exactly [`EcCurve::coordinate_len`] bytes.
        y: Vec<u8>,
        /// The private scalar, exactly [`EcCurve::coordinate_len`] bytes.
        d: Option<SecretBytes>,
    },
    /// `kty: OKP`, `crv: Ed25519` (RFC 8037 §2).
    Ed25519 {
        /// The 32-byte public key.
        x: Vec<u8>,
        /// The 32-byte private seed.
        d: Option<SecretBytes>,
    },
    /// `kty: RSA` (RFC 7518 §6.3).
    Rsa {
        /// The modulus, big-endian, without leading zero bytes.
        n: Vec<u8>,
        /// The public exponent, big-endian, without leading zero bytes.
        e: Vec<u8>,
        /// The private members.
        private: Option<RsaPrivate>,
    },
}

/// The private members of an RSA JWK (RFC 7518 §6.3.2), CRT form required.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaPrivate {
    /// Private exponent.
    pub d: SecretBytes,
    /// First prime factor.
    pub p: SecretBytes,
    /// Second prime factor.
    pub q: SecretBytes,
    /// First factor CRT exponent.
    pub dp: SecretBytes,
    /// Second factor CRT exponent.
    pub dq: SecretBytes,
    /// First CRT coefficient.
    pub qi: SecretBytes,
}

/// A JSON Web Key usable for JWS signatures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jwk {
    params: KeyParams,
    kid: Option<String>,
    alg: Option<String>,
    use_: Option<String>,
}

/// Writes the public members only, as [`Jwk::to_json`] holds them, without building a map:
/// for a `cnf` claim written straight to text. A private key is written as its public key;
/// [`Jwk::to_private_json`] is the only way out for private members.
impl serde::Serialize for Jwk {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let members = self.public_members();
        let mut map = serializer.serialize_map(Some(members.len()))?;
        for (name, value) in &members {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl Jwk {
    /// Builds a JWK from its key parameters, checking lengths as [`Jwk::from_json`] would.
    ///
    /// # Errors
    ///
    /// [`Error::Jwk`] if a member has the wrong length or an RSA integer is not minimal.
    pub fn new(params: KeyParams) -> Result<Self, Error> {
        check_params(&params)?;
        Ok(Self {
            params,
            kid: None,
            alg: None,
            use_: None,
        })
    }

    /// Sets the key id (`kid`).
    #[must_use]
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// Sets the intended algorithm (`alg`).
    #[must_use]
    pub fn with_alg(mut self, alg: JwsAlgorithm) -> Self {
        self.alg = Some(alg.name().to_owned());
        self
    }

    /// Parses a JWK from JSON text, rejecting duplicate member names.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] for malformed JSON, [`Error::Jwk`] or [`Error::Base64`] for bad members.
    pub fn from_json_str(text: &str) -> Result<Self, Error> {
        let map = crate::json::parse_object(text.as_bytes())?;
        Self::from_json(&map)
    }

    /// Parses a JWK from a JSON object.
    ///
    /// # Errors
    ///
    /// [`Error::Jwk`] for missing, mistyped or wrongly sized members and unsupported key types
    /// or curves; [`Error::Base64`] for members that are not canonical base64url.
    pub fn from_json(map: &Map<String, Value>) -> Result<Self, Error> {
        let kty = str_member(map, "kty")?.ok_or(JwkError::MissingMember { name: "kty" })?;
        let params = match kty {
            "EC" => {
                let crv_name =
                    str_member(map, "crv")?.ok_or(JwkError::MissingMember { name: "crv" })?;
                let crv =
                    EcCurve::from_name(crv_name).ok_or_else(|| JwkError::UnsupportedCurve {
                        crv: crv_name.to_owned(),
                    })?;
                KeyParams::Ec {
                    crv,
                    x: required_bytes(map, "x")?,
                    y: required_bytes(map, "y")?,
                    d: optional_bytes(map, "d")?.map(SecretBytes::new),
                }
            }
            "OKP" => {
                let crv = str_member(map, "crv")?.ok_or(JwkError::MissingMember { name: "crv" })?;
                if crv != "Ed25519" {
                    return Err(JwkError::UnsupportedCurve {
                        crv: crv.to_owned(),
                    }
                    .into());
                }
                KeyParams::Ed25519 {
                    x: required_bytes(map, "x")?,
                    d: optional_bytes(map, "d")?.map(SecretBytes::new),
                }
            }
            "RSA" => {
                let private = match optional_bytes(map, "d")? {
                    None => None,
                    Some(d) => {
                        if map.contains_key("oth") {
                            return Err(JwkError::IncompleteRsaPrivateKey.into());
                        }
                        let member = |name| -> Result<SecretBytes, Error> {
                            optional_bytes(map, name)?
                                .map(SecretBytes::new)
                                .ok_or(Error::Jwk(JwkError::IncompleteRsaPrivateKey))
                        };
                        Some(RsaPrivate {
                            d: SecretBytes::new(d),
                            p: member("p")?,
                            q: member("q")?,
                            dp: member("dp")?,
                            dq: member("dq")?,
                            qi: member("qi")?,
                        })
                    }
                };
                KeyParams::Rsa {
                    n: required_bytes(map, "n")?,
                    e: required_bytes(map, "e")?,
                    private,
                }
            }
            other => {
                return Err(JwkError::UnsupportedKeyType {
                    kty: other.to_owned(),
                }
                .into());
            }
        };
        check_params(&params)?;
        let use_ = str_member(map, "use")?.map(str::to_owned);
        if let Some(ops) = map.get("key_ops") {
            let ops = ops
                .as_array()
                .ok_or(JwkError::InvalidMember { name: "key_ops" })?;
            let mut for_signatures = false;
            for op in ops {
                let op = op
                    .as_str()
                    .ok_or(JwkError::InvalidMember { name: "key_ops" })?;
                for_signatures |= op == "sign" || op == "verify";
            }
            if !for_signatures {
                return Err(JwkError::NotForSignatures.into());
            }
        }
        Ok(Self {
            params,
            kid: str_member(map, "kid")?.map(str::to_owned),
            alg: str_member(map, "alg")?.map(str::to_owned),
            use_,
        })
    }

    /// The key parameters.
    pub fn params(&self) -> &KeyParams {
        &self.params
    }

    /// The key id (`kid`), if any.
    pub fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The `alg` member, if any.
    pub fn algorithm(&self) -> Option<&str> {
        self.alg.as_deref()
    }

    /// Whether the JWK holds private key material.
    pub fn is_private(&self) -> bool {
        match &self.params {
            KeyParams::Ec { d, .. } | KeyParams::Ed25519 { d, .. } => d.is_some(),
            KeyParams::Rsa { private, .. } => private.is_some(),
        }
    }

    /// The same key with every private member removed.
    #[must_use]
    pub fn to_public(&self) -> Self {
        let params = match &self.params {
            KeyParams::Ec { crv, x, y, .. } => KeyParams::Ec {
                crv: *crv,
                x: x.clone(),
                y: y.clone(),
                d: None,
            },
            KeyParams::Ed25519 { x, .. } => KeyParams::Ed25519 {
                x: x.clone(),
                d: None,
            },
            KeyParams::Rsa { n, e, .. } => KeyParams::Rsa {
                n: n.clone(),
                e: e.clone(),
                private: None,
            },
        };
        Self {
            params,
            kid: self.kid.clone(),
            alg: self.alg.clone(),
            use_: self.use_.clone(),
        }
    }

    /// The same key with only its public key members: no private members and no `kid`, `alg`
    /// or `use` (what an identifier that carries only the key, such as a DID, gives back).
    pub(crate) fn bare_public(&self) -> Self {
        Self {
            kid: None,
            alg: None,
            use_: None,
            ..self.to_public()
        }
    }

    /// A short description such as `EC P-256`, `OKP Ed25519` or `RSA 2048-bit`.
    pub fn describe(&self) -> String {
        match &self.params {
            KeyParams::Ec { crv, .. } => format!("EC {}", crv.name()),
            KeyParams::Ed25519 { .. } => "OKP Ed25519".to_owned(),
            KeyParams::Rsa { n, .. } => format!("RSA {}-bit", rsa_bits(n)),
        }
    }

    /// The algorithm a key of this type is normally used with: ES256/ES384/ES512/ES256K by curve,
    /// EdDSA for Ed25519, and the JWK's own `alg` (or RS256) for RSA.
    pub fn default_algorithm(&self) -> JwsAlgorithm {
        if let Some(alg) = self.alg.as_deref().and_then(|a| a.parse().ok()) {
            return alg;
        }
        match &self.params {
            KeyParams::Ec {
                crv: EcCurve::P256, ..
            } => JwsAlgorithm::Es256,
            KeyParams::Ec {
                crv: EcCurve::P384, ..
            } => JwsAlgorithm::Es384,
            KeyParams::Ec {
                crv: EcCurve::P521, ..
            } => JwsAlgorithm::Es512,
            KeyParams::Ec {
                crv: EcCurve::Secp256k1,
                ..
            } => JwsAlgorithm::Es256K,
            KeyParams::Ed25519 { .. } => JwsAlgorithm::EdDsa,
            KeyParams::Rsa { .. } => JwsAlgorithm::Rs256,
        }
    }

    /// Checks that this key may be used with `alg`: the key type and curve match, any `alg`
    /// member names the same algorithm, any `use` member is `sig`, and RSA moduli have at least
    /// 2048 bits (RFC 7518 §3.3, §3.5).
    ///
    /// # Errors
    ///
    /// [`Error::KeyAlgorithmMismatch`] or [`Error::Jwk`] with [`JwkError::NotForSignatures`].
    pub fn check_algorithm(&self, alg: JwsAlgorithm) -> Result<(), Error> {
        let matches = match (alg.key_requirement(), &self.params) {
            (KeyRequirement::Ec(want), KeyParams::Ec { crv, .. }) => want == *crv,
            (KeyRequirement::Ed25519, KeyParams::Ed25519 { .. }) => true,
            (KeyRequirement::Rsa, KeyParams::Rsa { n, .. }) => rsa_bits(n) >= 2048,
            _ => false,
        };
        let alg_member_ok = self.alg.as_deref().is_none_or(|a| a == alg.name());
        if !matches || !alg_member_ok {
            return Err(Error::KeyAlgorithmMismatch {
                alg,
                key: self.describe(),
            });
        }
        if self.use_.as_deref().is_some_and(|u| u != "sig") {
            return Err(JwkError::NotForSignatures.into());
        }
        Ok(())
    }

    /// The public members as a JSON object (never any private member).
    pub fn to_json(&self) -> Map<String, Value> {
        self.public_members()
            .into_iter()
            .map(|(name, value)| (name.to_owned(), Value::String(value)))
            .collect()
    }

    /// The public members in the order [`Jwk::to_json`] and the `Serialize` implementation
    /// write them: `kty`, the key type's public parameters (RFC 7518 §6), then `kid`, `use`
    /// and `alg` where set.
    fn public_members(&self) -> Vec<(&'static str, String)> {
        let mut members = Vec::with_capacity(7);
        match &self.params {
            KeyParams::Ec { crv, x, y, .. } => {
                members.push(("kty", "EC".to_owned()));
                members.push(("crv", crv.name().to_owned()));
                members.push(("x", base64url::encode(x)));
                members.push(("y", base64url::encode(y)));
            }
            KeyParams::Ed25519 { x, .. } => {
                members.push(("kty", "OKP".to_owned()));
                members.push(("crv", "Ed25519".to_owned()));
                members.push(("x", base64url::encode(x)));
            }
            KeyParams::Rsa { n, e, .. } => {
                members.push(("kty", "RSA".to_owned()));
                members.push(("n", base64url::encode(n)));
                members.push(("e", base64url::encode(e)));
            }
        }
        for (name, value) in [("kid", &self.kid), ("use", &self.use_), ("alg", &self.alg)] {
            if let Some(v) = value {
                members.push((name, v.clone()));
            }
        }
        members
    }

    /// Every member, private ones included. Only for writing a key to protected storage.
    pub fn to_private_json(&self) -> Map<String, Value> {
        let mut map = self.to_json();
        let mut put = |name: &str, s: &SecretBytes| {
            map.insert(name.into(), base64url::encode(s.expose()).into());
        };
        match &self.params {
            KeyParams::Ec { d: Some(d), .. } | KeyParams::Ed25519 { d: Some(d), .. } => put("d", d),
            KeyParams::Rsa {
                private: Some(p), ..
            } => {
                put("d", &p.d);
                put("p", &p.p);
                put("q", &p.q);
                put("dp", &p.dp);
                put("dq", &p.dq);
                put("qi", &p.qi);
            }
            _ => {}
        }
        map
    }

    /// The RFC 7638 §3 thumbprint input: the required public members in lexicographic order,
    /// without whitespace (for OKP keys, RFC 8037 §2).
    pub fn thumbprint_input(&self) -> String {
        match &self.params {
            KeyParams::Ec { crv, x, y, .. } => format!(
                r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
                crv.name(),
                base64url::encode(x),
                base64url::encode(y)
            ),
            KeyParams::Ed25519 { x, .. } => {
                format!(
                    r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
                    base64url::encode(x)
                )
            }
            KeyParams::Rsa { n, e, .. } => format!(
                r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
                base64url::encode(e),
                base64url::encode(n)
            ),
        }
    }

    /// The RFC 7638 thumbprint with `hash`, base64url-encoded.
    ///
    /// # Errors
    ///
    /// Whatever the hash provider returns for an unsupported algorithm.
    pub fn thumbprint(
        &self,
        hasher: &dyn HashProvider,
        hash: HashAlgorithm,
    ) -> Result<String, Error> {
        let digest = hasher.digest(hash, self.thumbprint_input().as_bytes())?;
        Ok(base64url::encode(digest.as_bytes()))
    }
}

fn rsa_bits(n: &[u8]) -> usize {
    match n.first() {
        Some(&first) => n.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    }
}

fn check_params(params: &KeyParams) -> Result<(), JwkError> {
    let exact = |name, bytes: &[u8], expected: usize| {
        if bytes.len() == expected {
            Ok(())
        } else {
            Err(JwkError::WrongLength {
                name,
                expected,
                found: bytes.len(),
            })
        }
    };
    match params {
        KeyParams::Ec { crv, x, y, d } => {
            let len = crv.coordinate_len();
            exact("x", x, len)?;
            exact("y", y, len)?;
            if let Some(d) = d {
                exact("d", d.expose(), len)?;
            }
        }
        KeyParams::Ed25519 { x, d } => {
            exact("x", x, 32)?;
            if let Some(d) = d {
                exact("d", d.expose(), 32)?;
            }
        }
        KeyParams::Rsa { n, e, .. } => {
            // RFC 7518 §6.3.1.1 and §6.3.1.2: minimal big-endian unsigned integers.
            if n.first().is_none_or(|&b| b == 0) {
                return Err(JwkError::InvalidMember { name: "n" });
            }
            if e.first().is_none_or(|&b| b == 0) || e.len() > 8 {
                return Err(JwkError::InvalidMember { name: "e" });
            }
        }
    }
    Ok(())
}

fn str_member<'a>(
    map: &'a Map<String, Value>,
    name: &'static str,
) -> Result<Option<&'a str>, JwkError> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(JwkError::InvalidMember { name }),
    }
}

fn optional_bytes(map: &Map<String, Value>, name: &'static str) -> Result<Option<Vec<u8>>, Error> {
    match str_member(map, name)? {
        None => Ok(None),
        Some(s) => Ok(Some(base64url::decode(s)?)),
    }
}

fn required_bytes(map: &Map<String, Value>, name: &'static str) -> Result<Vec<u8>, Error> {
    optional_bytes(map, name)?.ok_or(Error::Jwk(JwkError::MissingMember { name }))
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7638 §3.1: the example RSA key and its thumbprint input.
    const RFC7638_KEY: &str = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;

    #[test]
    fn rfc7638_thumbprint_input() {
        let jwk = Jwk::from_json_str(RFC7638_KEY);
        let input = jwk.map(|k| k.thumbprint_input());
        let expected = format!(
            r#"{{"e":"AQAB","kty":"RSA","n":"{}"}}"#,
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        );
        assert_eq!(input, Ok(expected));
    }

    #[test]
    fn private_members_never_in_debug_or_public_json() {
        // RFC 9901 Appendix A.5 holder key (settings.yml).
        let text = r#"{"kty":"EC","crv":"P-256","x":"b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ","y":"Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8","d":"Ur2bNKuBPOrAaxsRnbSH6hIhmNTxSGXshDSUD1a1y7g"}"#;
        let jwk = Jwk::from_json_str(text);
        assert!(jwk.as_ref().is_ok_and(Jwk::is_private));
        let jwk = jwk.unwrap_or_else(|e| panic!("{e}"));
        let debug = format!("{jwk:?}");
        assert!(!debug.contains("Ur2bNK"), "{debug}");
        assert!(debug.contains("redacted"));
        assert!(!jwk.to_json().contains_key("d"));
        assert!(jwk.to_private_json().contains_key("d"));
        assert!(!jwk.to_public().is_private());
        // Serializing writes what `to_json` holds, member for member and in order.
        let written = serde_json::to_string(&jwk).unwrap_or_else(|e| panic!("{e}"));
        assert!(!written.contains("Ur2bNK"), "{written}");
        assert_eq!(
            written,
            serde_json::to_string(&jwk.to_json()).unwrap_or_else(|e| panic!("{e}"))
        );
    }

    #[test]
    fn serialize_is_to_json_for_every_key_type() {
        let keys = [
            RFC7638_KEY,
            r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"ed","use":"sig"}"#,
            r#"{"kty":"EC","crv":"P-384","x":"iA7lWQLzVrKGEFjfGMfMHfTEZ2KnLiKU7JuNT3E7ygsfE7ygHqcBUBs4WG6TBm8w","y":"ON5rL-4bSMNjUBl7O9zIwQ4h_HN7cz5fwHL7H1ey1xBOLpxUGQuF8VL0ngUqUrSh","alg":"ES384"}"#,
        ];
        for text in keys {
            let jwk = Jwk::from_json_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let written = serde_json::to_string(&jwk).unwrap_or_else(|e| panic!("{e}"));
            let expected = serde_json::to_string(&jwk.to_json()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(written, expected);
            // And it reads back as the same key.
            assert_eq!(Jwk::from_json_str(&written).as_ref(), Ok(&jwk));
        }
    }

    #[test]
    fn shape_errors_are_typed() {
        let short_x = r#"{"kty":"EC","crv":"P-256","x":"AAAA","y":"Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8"}"#;
        assert_eq!(
            Jwk::from_json_str(short_x),
            Err(Error::Jwk(JwkError::WrongLength {
                name: "x",
                expected: 32,
                found: 3
            }))
        );
        assert_eq!(
            Jwk::from_json_str(r#"{"kty":"oct","k":"AAAA"}"#),
            Err(Error::Jwk(JwkError::UnsupportedKeyType {
                kty: "oct".into()
            }))
        );
        assert_eq!(
            Jwk::from_json_str(r#"{"kty":"OKP","crv":"X25519","x":"AAAA"}"#),
            Err(Error::Jwk(JwkError::UnsupportedCurve {
                crv: "X25519".into()
            }))
        );
        assert_eq!(
            Jwk::from_json_str(r#"{"kty":"RSA","n":"AAAB","e":"AQAB"}"#),
            Err(Error::Jwk(JwkError::InvalidMember { name: "n" }))
        );
    }

    #[test]
    fn algorithm_checks() {
        let jwk = Jwk::from_json_str(RFC7638_KEY).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(jwk.check_algorithm(JwsAlgorithm::Rs256), Ok(()));
        // The JWK's own alg member says RS256.
        assert!(matches!(
            jwk.check_algorithm(JwsAlgorithm::Ps256),
            Err(Error::KeyAlgorithmMismatch { .. })
        ));
        assert!(matches!(
            jwk.check_algorithm(JwsAlgorithm::Es256),
            Err(Error::KeyAlgorithmMismatch { .. })
        ));
    }
}
