//! Unit tests for the josekit provider.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use sdjwt_jose::{Jwk, KeyParams, base64url};

fn keys() -> &'static dyn KeyProvider {
    DEFAULT_PROVIDER.keys
}

#[test]
fn round_trip_every_algorithm_with_generated_keys() {
    let input = b"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0";
    for &alg in SIGNATURE_ALGORITHMS {
        let key = DEFAULT_PROVIDER.generate_key(alg).unwrap();
        assert!(key.is_private(), "{alg}");
        assert_eq!(key.check_algorithm(alg), Ok(()), "{alg}");
        let signer = DEFAULT_PROVIDER.signer(&key, alg).unwrap();
        assert_eq!(signer.algorithm(), alg);
        assert_eq!(signer.public_key(), Some(&key.to_public()));
        let sig = signer.try_sign(input).unwrap();
        if let Some(len) = alg.signature_len() {
            assert_eq!(sig.len(), len, "{alg} signature is JWS-form, not DER");
        } else {
            assert_eq!(sig.len(), 256, "{alg} with a 2048-bit key");
        }
        let verifier = DEFAULT_PROVIDER.verifier(&key.to_public(), alg).unwrap();
        assert_eq!(verifier.algorithm(), alg);
        assert_eq!(verifier.verify(input, &sig), Ok(()), "{alg}");
        // A verifier built from the private JWK works too (only public members are read).
        let verifier = DEFAULT_PROVIDER.verifier(&key, alg).unwrap();
        assert_eq!(verifier.verify(input, &sig), Ok(()), "{alg}");
    }
}

#[test]
fn tampered_input_or_signature_is_invalid_signature() {
    let input = b"header.payload";
    for &alg in SIGNATURE_ALGORITHMS {
        let key = DEFAULT_PROVIDER.generate_key(alg).unwrap();
        let signer = DEFAULT_PROVIDER.signer(&key, alg).unwrap();
        let verifier = DEFAULT_PROVIDER.verifier(&key.to_public(), alg).unwrap();
        let sig = signer.try_sign(input).unwrap();

        assert_eq!(
            verifier.verify(b"header.payloaD", &sig),
            Err(Error::InvalidSignature),
            "{alg}"
        );
        let mut bad = sig.clone();
        if let Some(last) = bad.last_mut() {
            *last ^= 1;
        }
        assert_eq!(
            verifier.verify(input, &bad),
            Err(Error::InvalidSignature),
            "{alg}"
        );
        assert_eq!(
            verifier.verify(input, &sig[..sig.len() - 1]),
            Err(Error::InvalidSignature),
            "{alg}"
        );
        assert_eq!(
            verifier.verify(input, &[]),
            Err(Error::InvalidSignature),
            "{alg}"
        );

        // A signature by a different key of the same type does not verify either.
        let other = DEFAULT_PROVIDER.generate_key(alg).unwrap();
        let other_sig = DEFAULT_PROVIDER
            .signer(&other, alg)
            .unwrap()
            .try_sign(input)
            .unwrap();
        assert_eq!(
            verifier.verify(input, &other_sig),
            Err(Error::InvalidSignature),
            "{alg}"
        );
    }
}

/// RFC 7515 Appendix A.3: "Example JWS Using ECDSA P-256 SHA-256". The public key (`x`, `y`)
/// of §A.3.1, and the JWS Signing Input and signature of the compact serialization in
/// §A.3.1 (line breaks removed).
#[test]
fn rfc7515_a3_es256_example_verifies() {
    let key = Jwk::from_json_str(
        r#"{"kty":"EC","crv":"P-256",
            "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
    )
    .unwrap();
    let signing_input = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    let signature = base64url::decode(
        "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q",
    )
    .unwrap();
    let verifier = DEFAULT_PROVIDER
        .verifier(&key, JwsAlgorithm::Es256)
        .unwrap();
    assert_eq!(
        verifier.verify(signing_input.as_bytes(), &signature),
        Ok(())
    );
    let mut tampered = signature.clone();
    tampered[0] ^= 0x80;
    assert_eq!(
        verifier.verify(signing_input.as_bytes(), &tampered),
        Err(Error::InvalidSignature)
    );
}

// Hash known answers for both providers live in `sdjwt-test/tests/providers.rs`.

/// RFC 7638 §3.1: the SHA-256 thumbprint of the example RSA key.
#[test]
fn rfc7638_thumbprint() {
    let key = Jwk::from_json_str(r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#).unwrap();
    assert_eq!(
        key.thumbprint(DEFAULT_PROVIDER.hash, HashAlgorithm::Sha256),
        Ok("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs".to_owned())
    );
}

#[test]
fn public_only_jwk_is_refused_for_signing() {
    for &alg in SIGNATURE_ALGORITHMS {
        let public = DEFAULT_PROVIDER.generate_key(alg).unwrap().to_public();
        let expected = Err(Error::Jwk(JwkError::NotAPrivateKey));
        // Both through the provider's checks and calling the key provider directly.
        assert_eq!(
            DEFAULT_PROVIDER.signer(&public, alg).map(|_| ()),
            expected,
            "{alg}"
        );
        assert_eq!(keys().signer(&public, alg).map(|_| ()), expected, "{alg}");
    }
}

#[test]
fn wrong_key_for_algorithm_is_refused_when_called_directly() {
    let p256 = DEFAULT_PROVIDER.generate_key(JwsAlgorithm::Es256).unwrap();
    for alg in [
        JwsAlgorithm::Es384,
        JwsAlgorithm::EdDsa,
        JwsAlgorithm::Rs256,
    ] {
        assert!(matches!(
            keys().signer(&p256, alg).map(|_| ()),
            Err(Error::KeyAlgorithmMismatch { .. })
        ));
        assert!(matches!(
            keys().verifier(&p256, alg).map(|_| ()),
            Err(Error::KeyAlgorithmMismatch { .. })
        ));
    }
    // A JWK whose own `alg` member names another algorithm is refused as well.
    let rs = DEFAULT_PROVIDER
        .generate_key(JwsAlgorithm::Rs256)
        .unwrap()
        .with_alg(JwsAlgorithm::Rs256);
    assert!(matches!(
        keys().signer(&rs, JwsAlgorithm::Ps256).map(|_| ()),
        Err(Error::KeyAlgorithmMismatch { .. })
    ));
}

#[test]
fn generated_keys_have_the_expected_shape() {
    for &alg in SIGNATURE_ALGORITHMS {
        let key = keys().generate(alg).unwrap();
        assert_eq!(key.key_id(), None);
        assert_eq!(key.algorithm(), None);
        match (alg.key_requirement(), key.params()) {
            (sdjwt_jose::KeyRequirement::Rsa, KeyParams::Rsa { n, private, .. }) => {
                assert_eq!(n.len(), 256, "{alg}");
                assert!(private.is_some(), "{alg}: CRT members present");
            }
            (sdjwt_jose::KeyRequirement::Ec(crv), KeyParams::Ec { crv: got, d, .. }) => {
                assert_eq!(crv, *got);
                assert!(d.is_some());
            }
            (sdjwt_jose::KeyRequirement::Ed25519, KeyParams::Ed25519 { d, .. }) => {
                assert!(d.is_some());
            }
            other => panic!("{alg}: unexpected key {other:?}"),
        }
    }
}

#[test]
fn kid_and_public_key_come_from_the_jwk() {
    let key = keys()
        .generate(JwsAlgorithm::Es256)
        .unwrap()
        .with_kid("key-1");
    let signer = DEFAULT_PROVIDER.signer(&key, JwsAlgorithm::Es256).unwrap();
    assert_eq!(signer.key_id(), Some("key-1"));
    let public = signer.public_key().unwrap();
    assert!(!public.is_private());
    assert_eq!(public, &key.to_public());
}

#[test]
fn point_not_on_curve_is_a_crypto_error() {
    // RFC 7515 A.3.1 x coordinate with a changed y: not a point on P-256.
    let key = Jwk::from_json_str(
        r#"{"kty":"EC","crv":"P-256",
            "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y":"y_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
    )
    .unwrap();
    assert_eq!(
        keys().verifier(&key, JwsAlgorithm::Es256).map(|_| ()),
        Err(Error::Crypto)
    );
}

#[test]
fn random_fills_differ() {
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    DEFAULT_PROVIDER.fill_random(&mut a).unwrap();
    DEFAULT_PROVIDER.fill_random(&mut b).unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 32]);
}

#[test]
fn provider_lists_everything_it_implements() {
    assert_eq!(DEFAULT_PROVIDER.name, "josekit");
    assert_eq!(DEFAULT_PROVIDER.signature_algorithms, JwsAlgorithm::ALL);
    assert_eq!(DEFAULT_PROVIDER.hash_algorithms, HashAlgorithm::ALL);
}
