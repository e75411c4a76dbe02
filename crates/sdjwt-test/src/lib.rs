//! Test helpers for the sdjwt workspace. **Not published, and not for production use.**
//!
//! * [`providers`], [`AWS_LC`], [`JOSEKIT`]: the two crypto providers, so every test can run
//!   against both;
//! * [`for_each_provider!`]: turns a block of test functions into one `#[test]` per provider;
//! * [`SeededRandom`] and [`deterministic`]: a reproducible (and therefore **insecure**) random
//!   source for tests that need stable salts and decoys;
//! * [`issuer_key`], [`holder_key`]: the RFC 9901 example keys; [`fixture_key`]: one fixed
//!   private key per signature algorithm;
//! * [`spec_sources`]: where the upstream specification material (examples, test vectors) is.
//!
//! ```
//! use sdjwt_test::{deterministic, fixture_key, JOSEKIT};
//! use sdjwt_jose::JwsAlgorithm;
//!
//! # fn main() -> Result<(), sdjwt_jose::Error> {
//! let provider = deterministic(JOSEKIT, 42);
//! let mut salt = [0u8; 16];
//! provider.fill_random(&mut salt)?;
//! let again = deterministic(JOSEKIT, 42);
//! let mut salt2 = [0u8; 16];
//! again.fill_random(&mut salt2)?;
//! assert_eq!(salt, salt2); // same seed, same bytes
//!
//! let key = fixture_key(JwsAlgorithm::EdDsa);
//! let signature = provider.signer(&key, JwsAlgorithm::EdDsa)?.try_sign(b"a.b")?;
//! provider.verifier(&key.to_public(), JwsAlgorithm::EdDsa)?.verify(b"a.b", &signature)?;
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// This crate only serves tests. Fixture functions parse constant JWK text that is known to be
// valid; a panic (or `expect`) with a clear message there is the most useful failure a test
// can get.
#![allow(clippy::expect_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

pub use sdjwt_jose::CryptoProvider;
use sdjwt_jose::{Error, Jwk, JwsAlgorithm, SecureRandom};

/// The aws-lc-rs provider (`sdjwt_aws_lc::DEFAULT_PROVIDER`).
pub const AWS_LC: CryptoProvider = sdjwt_aws_lc::DEFAULT_PROVIDER;

/// The josekit/OpenSSL provider (`sdjwt_josekit::DEFAULT_PROVIDER`).
pub const JOSEKIT: CryptoProvider = sdjwt_josekit::DEFAULT_PROVIDER;

/// Every provider, labelled with the module name [`for_each_provider!`] uses for it: aws-lc
/// first, then josekit.
pub fn providers() -> [(&'static str, CryptoProvider); 2] {
    [("aws_lc", AWS_LC), ("josekit", JOSEKIT)]
}

/// Generates one `#[test]` per provider for each function in the block.
///
/// Syntax: a sequence of functions, each written as
/// `fn NAME(PROVIDER_BINDING) [-> RETURN_TYPE] { BODY }`, optionally preceded by attributes
/// (doc comments, `#[ignore]`, `#[should_panic]`, ...). `PROVIDER_BINDING` is an identifier
/// (usually `provider`) bound to a [`CryptoProvider`] inside `BODY`. The return type, if
/// given, must be one `#[test]` accepts, such as `Result<(), sdjwt_jose::Error>`.
///
/// The macro expands to two modules, `aws_lc` and `josekit`, each starting with
/// `use super::*;` and containing one `#[test] fn NAME()` per function, so tests are named
/// `aws_lc::NAME` and `josekit::NAME` (filter with `cargo test josekit::`). Invoke it at most
/// once per module, and do not define modules named `aws_lc` or `josekit` next to it.
///
/// ```
/// use sdjwt_jose::{HashAlgorithm, JwsAlgorithm};
///
/// sdjwt_test::for_each_provider! {
///     /// Every provider hashes.
///     fn hashes(provider) -> Result<(), sdjwt_jose::Error> {
///         assert_eq!(provider.digest(HashAlgorithm::Sha256, b"")?.as_bytes().len(), 32);
///         Ok(())
///     }
///
///     fn signs(p) {
///         let key = sdjwt_test::fixture_key(JwsAlgorithm::Es256);
///         assert!(p.signer(&key, JwsAlgorithm::Es256).is_ok());
///     }
/// }
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! for_each_provider {
    ($(
        $(#[$meta:meta])*
        fn $name:ident ($provider:ident) $(-> $ret:ty)? $body:block
    )*) => {
        $crate::for_each_provider!(@module aws_lc, $crate::AWS_LC, $(
            $(#[$meta])* fn $name ($provider) $(-> $ret)? $body
        )*);
        $crate::for_each_provider!(@module josekit, $crate::JOSEKIT, $(
            $(#[$meta])* fn $name ($provider) $(-> $ret)? $body
        )*);
    };
    (@module $module:ident, $value:expr, $(
        $(#[$meta:meta])*
        fn $name:ident ($provider:ident) $(-> $ret:ty)? $body:block
    )*) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;

            $(
                $(#[$meta])*
                #[test]
                fn $name() $(-> $ret)? {
                    #[allow(unused_variables)]
                    let $provider: $crate::CryptoProvider = $value;
                    $body
                }
            )*
        }
    };
}

/// A deterministic "random" source for reproducible tests: SplitMix64 over a seed.
///
/// # WARNING: NOT RANDOM. NEVER USE OUTSIDE TESTS.
///
/// The output is a fixed function of the seed, so anyone can predict every salt and decoy it
/// produces. RFC 9901 §9.3 requires salts from a cryptographically secure random source;
/// this generator is the opposite, on purpose. It exists only so tests can compare output with
/// fixed expectations.
///
/// The state is an atomic counter (interior mutability), so a `SeededRandom` can sit in a
/// `static` and be shared; output is reproducible when a single thread draws from it.
#[derive(Debug)]
pub struct SeededRandom {
    state: AtomicU64,
}

/// The SplitMix64 increment (the golden ratio in 64-bit fixed point).
const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

impl SeededRandom {
    /// A generator whose output is determined by `seed`. **Insecure; tests only.**
    pub const fn new(seed: u64) -> Self {
        Self {
            state: AtomicU64::new(seed),
        }
    }

    /// The next 64 output bits (SplitMix64, Steele, Lea and Flood, OOPSLA 2014).
    fn next_u64(&self) -> u64 {
        let mut z = self
            .state
            .fetch_add(GOLDEN_GAMMA, Ordering::Relaxed)
            .wrapping_add(GOLDEN_GAMMA);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl SecureRandom for SeededRandom {
    /// Fills `dest` with the next bytes of the deterministic stream. Never fails.
    fn fill(&self, dest: &mut [u8]) -> Result<(), Error> {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

/// `provider` with its random source replaced by a leaked [`SeededRandom`] seeded with `seed`.
///
/// **Insecure; tests only** (see [`SeededRandom`]). Each call leaks one small allocation, which
/// is fine in tests.
pub fn deterministic(provider: CryptoProvider, seed: u64) -> CryptoProvider {
    let random: &'static SeededRandom = Box::leak(Box::new(SeededRandom::new(seed)));
    CryptoProvider { random, ..provider }
}

/// The location of the upstream specification material (RFC 9901 examples and other test
/// vectors): the `SDJWT_SPEC_SOURCES` environment variable if set and non-empty, otherwise
/// `../shared/spec-sources` relative to the workspace root (then `shared/spec-sources` inside
/// it), if that directory exists; the path is canonicalized.
pub fn spec_sources() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SDJWT_SPEC_SOURCES").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // crates/sdjwt-test -> workspace root -> its parent.
    let workspace = manifest.parent()?.parent()?;
    [
        workspace.join("..").join("shared").join("spec-sources"),
        workspace.join("shared").join("spec-sources"),
    ]
    .into_iter()
    .find(|candidate| candidate.is_dir())
    .map(|dir| dir.canonicalize().unwrap_or(dir))
}

fn parse_fixture(name: &str, text: &str) -> Jwk {
    Jwk::from_json_str(text)
        .unwrap_or_else(|e| panic!("fixture key {name} is not a valid JWK: {e}"))
}

/// The RFC 9901 example Issuer key: a P-256 private key (ES256).
///
/// Transcribed from RFC 9901 Appendix A.5 (`issuer_keys[0]` in the specification's
/// `examples/settings.yml`).
pub fn issuer_key() -> Jwk {
    parse_fixture("issuer_key", ISSUER_KEY)
}

/// The RFC 9901 example Holder key: a P-256 private key (ES256), used for Key Binding.
///
/// Transcribed from RFC 9901 Appendix A.5 (`holder_key` in the specification's
/// `examples/settings.yml`).
pub fn holder_key() -> Jwk {
    parse_fixture("holder_key", HOLDER_KEY)
}

/// A fixed private key for `alg`, without `alg`, `use` or `kid` members.
///
/// The keys were generated once with josekit/OpenSSL and pasted here, so tests are
/// reproducible. RS256/RS384/RS512 share one 2048-bit RSA key and PS256/PS384/PS512 another;
/// both carry the CRT members. ES256 uses a key distinct from [`issuer_key`] and
/// [`holder_key`].
///
/// # Panics
///
/// For an algorithm added to [`JwsAlgorithm`] after this crate was written.
pub fn fixture_key(alg: JwsAlgorithm) -> Jwk {
    let (name, text) = match alg {
        JwsAlgorithm::Es256 => ("P-256", FIXTURE_P256),
        JwsAlgorithm::Es384 => ("P-384", FIXTURE_P384),
        JwsAlgorithm::Es512 => ("P-521", FIXTURE_P521),
        JwsAlgorithm::Es256K => ("secp256k1", FIXTURE_SECP256K1),
        JwsAlgorithm::EdDsa => ("Ed25519", FIXTURE_ED25519),
        JwsAlgorithm::Rs256 | JwsAlgorithm::Rs384 | JwsAlgorithm::Rs512 => {
            ("RSA PKCS#1", FIXTURE_RSA_PKCS1)
        }
        JwsAlgorithm::Ps256 | JwsAlgorithm::Ps384 | JwsAlgorithm::Ps512 => {
            ("RSA-PSS", FIXTURE_RSA_PSS)
        }
        other => panic!("sdjwt-test has no fixture key for {other}"),
    };
    parse_fixture(name, text)
}

// RFC 9901 Appendix A.5 / examples/settings.yml, `key_settings.issuer_keys[0]`.
const ISSUER_KEY: &str = r#"{
    "kty": "EC",
    "crv": "P-256",
    "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ",
    "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8",
    "d": "Ur2bNKuBPOrAaxsRnbSH6hIhmNTxSGXshDSUD1a1y7g"
}"#;

// RFC 9901 Appendix A.5 / examples/settings.yml, `key_settings.holder_key`.
const HOLDER_KEY: &str = r#"{
    "kty": "EC",
    "crv": "P-256",
    "x": "TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc",
    "y": "ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ",
    "d": "5K5SCos8zf9zRemGGUl6yfok-_NiiryNZsvANWMhF-I"
}"#;

// Fixed keys generated with josekit 0.10.3 / OpenSSL 3.0 (`KeyProvider::generate`).

/// Fixed P-256 (ES256) private key.
const FIXTURE_P256: &str = r#"{
    "kty": "EC",
    "crv": "P-256",
    "x": "7c8pmOwTnGHoAsw05JH50Q8sGRAhG5h8Pu0jarE4Y7I",
    "y": "B0QqhC7UhCxyeXfR4cr0c1IkC-Vw9POAyfkszko3TYo",
    "d": "ZFrU6Ut-KRd5SGXAPr9QksiAnP871GWuvaAVqBTGPoU"
}"#;

/// Fixed P-384 (ES384) private key.
const FIXTURE_P384: &str = r#"{
    "kty": "EC",
    "crv": "P-384",
    "x": "uEPvzqYsBZjqP0OJSjACqsolw6T3j7mk0yjB70JkAnl67Mkoptr7JAn6erW_JRjC",
    "y": "cBwOufPQ17eqgojBLzzHvzhJVPHl3m1nCHRm_jMakS7I9yjN0MHSxiWrkvQm6Dqx",
    "d": "2gYNH-mR4bdS7PoeNobHY3T-uz00YFmsBzdex2l6QYoOrKdsxfqUewktLOk-17eC"
}"#;

/// Fixed P-521 (ES512) private key.
const FIXTURE_P521: &str = r#"{
    "kty": "EC",
    "crv": "P-521",
    "x": "AIQsEuSMTven_ZiaZ4rAQ6Ys6Bhc1CreMdQOzOkxvZ3_Pjteh8EEjg1eWDGadodNleXb3DznjLHbBGz_D3ScWSvM",
    "y": "AAZIJuq5zP3X7KZF31RhgFSEMpZ26cx8ee_QY9XfSgbYZbAaXHPO81NNm061It48oRqVNrV90wWKQdsSf_Dl2Um8",
    "d": "AZ6UF5GdDXrTOfpfM7QwQC2hpcCj8FCFL1Yxs1SelH99dpim9ug_jJObh0q2aoeCLszME31CbImkbAIaQ0SCvUnk"
}"#;

/// Fixed secp256k1 (ES256K) private key.
const FIXTURE_SECP256K1: &str = r#"{
    "kty": "EC",
    "crv": "secp256k1",
    "x": "QWG6wuaW7RlTFQuObWmXpuGZCwRFVJWe2GCfVV_h49A",
    "y": "_39Ex_zje1WSY-vvIwvyGQVYeWNlyZ4xxGdmB4P78iY",
    "d": "StXacUxrHa8c6baN_AhN_dZYzYBwUocb5UD-pbSc-LQ"
}"#;

/// Fixed Ed25519 (EdDSA) private key.
const FIXTURE_ED25519: &str = r#"{
    "kty": "OKP",
    "crv": "Ed25519",
    "x": "P0gf0JsL7qWS58LXwh8zhG8eYjRZfIgh5Z0-C2aCj7A",
    "d": "HLywQtWFh_pRm2h429rTqvydws4YV0qq6IRr7NdA3vY"
}"#;

/// Fixed RSA 2048-bit with CRT members, for RS256/RS384/RS512 private key.
const FIXTURE_RSA_PKCS1: &str = r#"{
    "kty": "RSA",
    "n": "14KTZf2nXN9vvRafdtBTVFb1uFEtUi_Yg9LK6t02Wsl1USbEJqEKMU6zmG-ujAfwLUSX_5RqQaD0V7MqncxaYXURYiMhRvYqXBJYvEN5nhp79ihYSkiDf7HqAEod-Kdkr6PR9_ytYQx5ReZofY2sp9G9TEIojT9cRRrMlJYArbtZMymffMcpX-02UmJaoJLxrEOpxrkpecKloDv-6Zo0tTBwu3qgVv7DS6YpfC__t6TtGYAIOZ7A_suJ3MeE__o8J3dUAH-oMtC1jHR9tGAO_ozhf_Z2XUR4RHLeuB1OfRzIn76Av2YPMppXrCDqN9eWsuuv7SeXf9NdxEMFb73sUQ",
    "e": "AQAB",
    "d": "CIRSiu9RU-xIoDJqrulgwa6GG3ipz9uwNNV5y3pekYvwpPphOh2XJ4eytU2Emmgd58wULbeR03Im9ehQwNe4oq1buIMm54UG-4iGFTqdbdAiIgJKKvVerQc89jH3qUIESqSwwZosx-8UQ9ztODkHH8K8Nm1O6PYeEWUTvLOI51SziqSF5mORPwQEpNMCsUBaN7OmazC6ktze09jh1phA2FqEpfENkUJxVfyI6LxY1-JYzrTxNlkW9FKaOghkollpy7wtiT5a0_Ld5o_xOnYJa6j4J_aWV0cKw6VuJOro-XJhWIC3tcTF8ZtlVQkaemrHm2nBbC2li__73Yf0uaZhuQ",
    "p": "7diWetG2b9SGvBtpcStDJo8ZA1plOKzee9m0dqZ5268ROuuWYTbGoLvMutv3C4Boe892pArBmsWuqqWasfwIYUggDI6z5C_saudiDtd_1Rz24dkneuEjaKFEvfLCRTyooe7A69F9o3MGst31-QpGZq-neCAZbaTRJRx7Bl2IWkc",
    "q": "5_WNW1YdNwQPVSooNL_uyInn0jnOId2_0e7isgZtsoO2u_5gcLanxGwU2KgBclCen3Fmghp4_ibFo6Zo2qbUx_qftAemmBh4LHSntGhQuDsZFLYng7O9OhJCT_udRU_v0paxQULdLm3NE6nAPbqWuGUuyRrWPwrk-jxCVknYuKc",
    "dp": "e1_M9tqPgsTAOxURBeYGCBtUQzwBo3twUNgl1yIVtdHC40hPEhBCyh-AXDE7nZi3GfoMtZzqvmjqaJRMgSSWCDhMf5cKU0RUo0Nwxvgb1CUZHx_wbboZDu4QZWNmSFnls1HQesKJJF7HS8L9E3iz-hIFkbc82XYUEucKHcworYM",
    "dq": "NBiLMetKTnPj-a2pMAe3WmTWovmGmUaTcVPkqDUXaBN69Afyov3y-gOIPwyknocKySaP7kKB0BrnIpUaUZlMisl4GtfpC5nbS6i7jaIsFuR3ApbSkxrIMgWtzQbm0I1egH6FuvGIeYgBmhvy6CpC9ZEMC_CyE6Cfwq_L-lNFkFs",
    "qi": "OI1TZBnw8gvNSJbR5UJo8WbY1yxmoXP_g0_ADnydnXWXXIWab_UGkQAe7SNmQ3YkV0q8UQGPrcqLPc0GwVBSySymT2hN1oRU88JCbJ8G3Lzl7vlDOMnd4tASMBeHUgaauGLp15PubsPdt_u78Nq_zrvt4b6j5IWVZnbY99nCGyM"
}"#;

/// Fixed RSA 2048-bit with CRT members, for PS256/PS384/PS512 private key.
const FIXTURE_RSA_PSS: &str = r#"{
    "kty": "RSA",
    "n": "nxNiHotQJbU96neAt-9EAdMggwO3UKb8GQPI_1PfQqnZo4Jx6a9CW4M7NQMQr9yUWI3OPbUFlwT456_eWqiQkH_7G3xoi24_qHHZOKIG9ci0ZRdJoplqnCbttigGi3tDVONmS809n6LArLllXIWbtvWQP1jHpzawh7dxYvSDuRJde8Ax79z0dn-ovIMZOE5DA5BfqLlGGYeiMEu3su7JdJz5DKU7SubiRugXxPDALXoojvXCUNb_7_lOovlOEO9qmCz8bng4xid8QR6-p9-NdcwH0l5Knx1z7dHO62YxHIseeCJPXQr-wxKaEfQBw5N6NQs1GkiBrT0EHRyujYqisQ",
    "e": "AQAB",
    "d": "CG2WOgCPEURiQKkutnAUlhUpyI86l-kU-71N2atHrahCme1oHCW3OhKAoU0lhe_Fo1B2ECJmZqsyhdH1Ua_TIvjI5NqpTlPbxxCrHdtFy6Fj32RFuDnxIk9Usl06BYtVFKsMqTD5VhshIrWa53VDvASULSsGvvcAkNw5A3FphjVbpnE_wuWwo__tVg5QLKzGvOd2kxcoEBhJUCmoMr2RM4IZWYKIV1cz0Z86VXF8CmEh7N6Dh1erborD3WQLoqUMzWo7ottqwBc7WEBr_DeHFzQWK2i_SL_ac0rVRdBSX4AKgnjAkgDn9IslgdJG-sM57RkWki7m5iQ_TJPgirB-gQ",
    "p": "3qEDi2m33RFB5LsCQQ5pMCUUnj3InZpOyJtGLpjX45yrSpTyquAT07OqvEKbp10jyp20hX3dCRuOUd1XQkvWWJHEMfD-oDSFtqX0u_1B3kWU4PHRRiiP5IWnTPO4kVrivloUH0ZFyz2xWTKMSXKW4PVtXpWvPQd-qmXzI_3J5xE",
    "q": "tuugv4G-RpXgwI90VKKEOIMVXkAbGG757iybfSpmhxkm-n2tmTf3vjTwWjmFhMLCPpuuI_hcKtQupfu8sk5dXUQ1b6IFfF4ZB96twyPcFyB_mTEaq58vYIraMf_RcRmjp_t1PLuW9XI9eTPppHGh_f3VDB3APtaTwkFjXyGVQaE",
    "dp": "m3CUhvxzUbjA5zDjLAUh0GmzcaD1t4SLyWkQoWw6IEO9HT_OBxyY-1EQvo1LHJndaZSe_C2a7Mb-oY4HZNSKfiCYeb4oKjdBvPs2WyNCoCy4_C4azf94KDhhTUtF7McmVX2TWxq3lGYos3ylkoqdacgyar3cMqJPAC5aiyChneE",
    "dq": "K3I_1fytAvrqTRJFoSyQlxObaa10QhNpzYZO0CXYAFKbDXf4WaIPd9__Do8HBYd0t4YmkGiXC50mD0qBgSBX0KU4w_EJuIZpD5N2VhkYV23ioLInEYhXqmiQdru6NVDPrEBvkiNEMbwWmckYv3Q186vshFo0pTg2FDePsLK7TsE",
    "qi": "A5nrXV8koLh-y2HsW8MZ63RBU64xhUbCydbBXsbMp1tiAQ98cQTGOfylBqxN1T44Jrmqq_1zl4G9JMQ4CBpKi_TTqY_lmwxX0ZLD6v9A-gLTNF-S5VR-Ycekl8t3rnCIjK6aGa34bPfQDXyS8lc5cHQ8Jl270BnQxp6KYYX3u7U"
}"#;

#[cfg(test)]
mod tests;
