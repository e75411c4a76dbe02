//! Support code shared by the fuzz targets in `fuzz_targets/`.
//!
//! # THIS CRATE PROVIDES NO SECURITY. NEVER USE IT OUTSIDE FUZZING.
//!
//! [`INSECURE_ACCEPT_ANY_SIGNATURE`] is a [`CryptoProvider`] whose verifiers accept **every**
//! signature, and [`AnyIssuer`] trusts a fixed key for every issuer. Together they let
//! attacker-shaped input get past the signature checks (RFC 9901 §7.1 step 2, §7.3 step 5.c)
//! so that the fuzzer reaches what comes after: `_sd_alg`, §7.1 steps 3 to 6 and the
//! Key Binding JWT checks. Hashing is real (aws-lc-rs), so digests and `sd_hash` are checked
//! exactly as in production.
//!
//! This crate lives in its own cargo workspace under `fuzz/`, which the root workspace
//! excludes, so nothing the project ships can depend on it.

#![forbid(unsafe_code)]

use sdjwt_core::jose::{
    CryptoProvider, Error, HashAlgorithm, Jwk, JwsAlgorithm, JwsSigner, JwsVerifier, KeyProvider,
    SecureRandom,
};
use sdjwt_verifier::{IssuerKeyResolver, KeyBinding, Policy};
use serde_json::{Map, Value};

/// The time every target verifies at; the conformance vectors are made for it.
pub const NOW: i64 = 1_800_000_000;
/// The audience the Key Binding policy expects (as in `spec/vectors`).
pub const AUDIENCE: &str = "https://verifier.example.org";
/// The nonce the Key Binding policy expects (as in `spec/vectors`).
pub const NONCE: &str = "n-0S6_WzA2Mj";

/// **INSECURE: accepts every signature.** A crypto provider for fuzzing only: its
/// verifiers return `Ok` for any signature bytes, it cannot sign or generate keys, and its
/// "random" source is a constant. Hashes are real.
pub const INSECURE_ACCEPT_ANY_SIGNATURE: CryptoProvider = CryptoProvider {
    name: "INSECURE fuzzing provider: accepts any signature",
    signature_algorithms: JwsAlgorithm::ALL,
    hash_algorithms: HashAlgorithm::ALL,
    keys: &AcceptAnySignature,
    hash: &sdjwt_aws_lc::AwsLcHash,
    random: &ZeroRandom,
};

/// **INSECURE.** Key handling whose verifiers accept everything; signing and key generation
/// always fail.
#[derive(Debug)]
struct AcceptAnySignature;

/// **INSECURE.** A verifier for which every signature is valid.
struct AcceptAny(JwsAlgorithm);

impl JwsVerifier for AcceptAny {
    fn algorithm(&self) -> JwsAlgorithm {
        self.0
    }

    fn verify(&self, _signing_input: &[u8], _signature: &[u8]) -> Result<(), Error> {
        Ok(())
    }
}

impl KeyProvider for AcceptAnySignature {
    fn signer(&self, _key: &Jwk, _alg: JwsAlgorithm) -> Result<Box<dyn JwsSigner>, Error> {
        Err(Error::Crypto)
    }

    fn verifier(&self, _key: &Jwk, alg: JwsAlgorithm) -> Result<Box<dyn JwsVerifier>, Error> {
        Ok(Box::new(AcceptAny(alg)))
    }

    fn generate(&self, _alg: JwsAlgorithm) -> Result<Jwk, Error> {
        Err(Error::Crypto)
    }
}

/// **INSECURE.** A "random" source that writes zeros (verification never draws randomness; this
/// only exists because a provider must have one).
#[derive(Debug)]
struct ZeroRandom;

impl SecureRandom for ZeroRandom {
    fn fill(&self, dest: &mut [u8]) -> Result<(), Error> {
        dest.fill(0);
        Ok(())
    }
}

/// **INSECURE.** Trusts, for any `iss` and `kid`, one fixed public key of the type `alg` needs.
/// With [`INSECURE_ACCEPT_ANY_SIGNATURE`] every issuer signature then verifies.
#[derive(Debug)]
pub struct AnyIssuer {
    keys: Vec<Jwk>,
}

impl AnyIssuer {
    /// One public key per key type: P-256, P-384, P-521, secp256k1, Ed25519 and RSA-2048.
    pub fn new() -> Self {
        let keys = FIXED_PUBLIC_KEYS
            .iter()
            .filter_map(|text| Jwk::from_json_str(text).ok())
            .collect();
        Self { keys }
    }
}

impl Default for AnyIssuer {
    fn default() -> Self {
        Self::new()
    }
}

impl IssuerKeyResolver for AnyIssuer {
    fn resolve(
        &self,
        _iss: Option<&str>,
        _kid: Option<&str>,
        alg: JwsAlgorithm,
    ) -> Result<Vec<Jwk>, sdjwt_verifier::Error> {
        Ok(self
            .keys
            .iter()
            .filter(|k| k.check_algorithm(alg).is_ok())
            .cloned()
            .collect())
    }
}

/// The two policies the `verify` target applies to every input: without key binding, and with
/// key binding for [`AUDIENCE`] and [`NONCE`] (so the KB-JWT checks run too).
pub fn policies() -> [Policy; 2] {
    [
        Policy::new(KeyBinding::NotRequired),
        Policy::new(KeyBinding::required(AUDIENCE, NONCE)),
    ]
}

/// Panics if a Processed SD-JWT Payload still holds anything RFC 9901 §7.1 must have removed:
/// an `_sd` or `...` member at any depth, or `_sd_alg` at all.
pub fn assert_fully_processed(claims: &Map<String, Value>) {
    let mut stack: Vec<&Value> = claims.values().collect();
    for key in ["_sd", "...", "_sd_alg"] {
        assert!(!claims.contains_key(key), "processed payload kept {key:?}");
    }
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                for key in ["_sd", "...", "_sd_alg"] {
                    assert!(!m.contains_key(key), "processed payload kept {key:?}");
                }
                stack.extend(m.values());
            }
            Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
}

/// The fixed document the `claim_path` target resolves pointers against: every JSON type,
/// escapes (`~`, `/`), an empty key, digit keys on an object, and nested arrays.
pub fn claim_path_document() -> Value {
    serde_json::json!({
        "given_name": "Erika",
        "": {"": [0, {"~": 1}]},
        "a/b": {"m~n": [true, null, 1.5, "x"]},
        "0": {"00": {"1": [[], {}]}},
        "nationalities": ["DE", "FR"],
        "address": {"street_address": "Heidestraße 17", "locality": "Köln"},
        "emoji 😀": [[["deep"]]],
        "_sd_alg": "sha-256"
    })
}

/// Public parts of the `sdjwt-test` fixture keys (see `crates/sdjwt-test/src/lib.rs`).
const FIXED_PUBLIC_KEYS: &[&str] = &[
    r#"{"kty":"EC","crv":"P-256","x":"7c8pmOwTnGHoAsw05JH50Q8sGRAhG5h8Pu0jarE4Y7I","y":"B0QqhC7UhCxyeXfR4cr0c1IkC-Vw9POAyfkszko3TYo"}"#,
    r#"{"kty":"EC","crv":"P-384","x":"uEPvzqYsBZjqP0OJSjACqsolw6T3j7mk0yjB70JkAnl67Mkoptr7JAn6erW_JRjC","y":"cBwOufPQ17eqgojBLzzHvzhJVPHl3m1nCHRm_jMakS7I9yjN0MHSxiWrkvQm6Dqx"}"#,
    r#"{"kty":"EC","crv":"P-521","x":"AIQsEuSMTven_ZiaZ4rAQ6Ys6Bhc1CreMdQOzOkxvZ3_Pjteh8EEjg1eWDGadodNleXb3DznjLHbBGz_D3ScWSvM","y":"AAZIJuq5zP3X7KZF31RhgFSEMpZ26cx8ee_QY9XfSgbYZbAaXHPO81NNm061It48oRqVNrV90wWKQdsSf_Dl2Um8"}"#,
    r#"{"kty":"EC","crv":"secp256k1","x":"QWG6wuaW7RlTFQuObWmXpuGZCwRFVJWe2GCfVV_h49A","y":"_39Ex_zje1WSY-vvIwvyGQVYeWNlyZ4xxGdmB4P78iY"}"#,
    r#"{"kty":"OKP","crv":"Ed25519","x":"P0gf0JsL7qWS58LXwh8zhG8eYjRZfIgh5Z0-C2aCj7A"}"#,
    r#"{"kty":"RSA","e":"AQAB","n":"14KTZf2nXN9vvRafdtBTVFb1uFEtUi_Yg9LK6t02Wsl1USbEJqEKMU6zmG-ujAfwLUSX_5RqQaD0V7MqncxaYXURYiMhRvYqXBJYvEN5nhp79ihYSkiDf7HqAEod-Kdkr6PR9_ytYQx5ReZofY2sp9G9TEIojT9cRRrMlJYArbtZMymffMcpX-02UmJaoJLxrEOpxrkpecKloDv-6Zo0tTBwu3qgVv7DS6YpfC__t6TtGYAIOZ7A_suJ3MeE__o8J3dUAH-oMtC1jHR9tGAO_ozhf_Z2XUR4RHLeuB1OfRzIn76Av2YPMppXrCDqN9eWsuuv7SeXf9NdxEMFb73sUQ"}"#,
];
