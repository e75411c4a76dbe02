//! The named keys of `keys.json`. Test keys: their private parts are public on purpose.
//!
//! The Ed25519 keys were generated once with `sdjwt keygen --alg EdDSA`; Ed25519 signatures
//! are deterministic (RFC 8032 §5.1.6), so every vector signed with them is reproducible byte
//! for byte. The P-256 keys are the RFC 9901 Appendix A.5 example keys; ECDSA signatures are
//! randomized, so they sign only in positive cases that carry no ready presentation.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::Error;

/// The trusted issuer key (EdDSA); signs every ready presentation.
pub const ISSUER: &str = "issuer-ed25519";
/// The holder key (EdDSA) bound in `cnf`; signs KB-JWTs.
pub const HOLDER: &str = "holder-ed25519";
/// A key nobody trusts (EdDSA), for signatures by the wrong key.
pub const UNTRUSTED: &str = "untrusted-ed25519";
/// A second trusted issuer key (EdDSA), co-signing general JWS JSON credentials.
pub const COSIGNER: &str = "cosigner-ed25519";
/// The RFC 9901 Appendix A.5 issuer key (ES256).
pub const ISSUER_ES256: &str = "issuer-es256";
/// The RFC 9901 Appendix A.5 holder key (ES256).
pub const HOLDER_ES256: &str = "holder-es256";

const KEYS: &[(&str, &str)] = &[
    (
        ISSUER,
        r#"{"kty":"OKP","crv":"Ed25519","x":"dU4_zOIkQ5TfdfjCGnZHwqPXUekzlLZFKVtXW7IR6J0","d":"_uX9-ZS5DopFQPcHQ98egy4mZXL5L2BUPeezLVmZjss","alg":"EdDSA","kid":"issuer-ed25519"}"#,
    ),
    (
        HOLDER,
        r#"{"kty":"OKP","crv":"Ed25519","x":"ncZA9j9JvLj45nXHxwk3OoFQVcdkJQGeQb_iYXOe3Nc","d":"cCylP8BZaIefPRGZoBnIIulgbv1NdeskWfT7iPHnD24","alg":"EdDSA"}"#,
    ),
    (
        UNTRUSTED,
        r#"{"kty":"OKP","crv":"Ed25519","x":"iEpYOTh1eH2GatANtFc48LWr6Mpqef-aeZkw_PisJbQ","d":"U3FFbg-RxLY7HagylwSB3grPZ1XaMG26pwtPwqFZi7E","alg":"EdDSA"}"#,
    ),
    (
        COSIGNER,
        r#"{"kty":"OKP","crv":"Ed25519","x":"FrYjV0J7F0lYvOJ3MQiLFrJ6phTmqRgcvqCyTWKQmMM","d":"KZOA3V4yzaQJeJ2EwFM0ASjrn5inSezidrZzEW9Z49E","alg":"EdDSA","kid":"cosigner-ed25519"}"#,
    ),
    (
        ISSUER_ES256,
        r#"{"kty":"EC","crv":"P-256","x":"b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ","y":"Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8","d":"Ur2bNKuBPOrAaxsRnbSH6hIhmNTxSGXshDSUD1a1y7g","alg":"ES256"}"#,
    ),
    (
        HOLDER_ES256,
        r#"{"kty":"EC","crv":"P-256","x":"TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc","y":"ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ","d":"5K5SCos8zf9zRemGGUl6yfok-_NiiryNZsvANWMhF-I","alg":"ES256"}"#,
    ),
];

/// Every key, by name, as JSON (what `keys.json` holds).
pub fn all() -> Result<BTreeMap<String, Value>, Error> {
    KEYS.iter()
        .map(|(name, text)| {
            let value: Value = serde_json::from_str(text).map_err(|e| Error::BadKey {
                name: (*name).to_owned(),
                reason: e.to_string(),
            })?;
            Ok(((*name).to_owned(), value))
        })
        .collect()
}

/// The key named `name`, parsed.
///
/// # Errors
///
/// [`Error::UnknownKey`] and [`Error::BadKey`].
pub fn jwk(name: &str) -> Result<sdjwt_jose::Jwk, Error> {
    let (_, text) = KEYS
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| Error::UnknownKey {
            name: name.to_owned(),
        })?;
    sdjwt_jose::Jwk::from_json_str(text).map_err(|e| Error::BadKey {
        name: name.to_owned(),
        reason: e.to_string(),
    })
}
