use sdjwt_jose::jwk::Jwk;
use sdjwt_jose::{
    Error, HashAlgorithm, JwkError, JwsAlgorithm, KeyParams, KeyProvider, SecretBytes, base64url,
};

use crate::{AwsLcHash, AwsLcKeys, DEFAULT_PROVIDER};

type TestResult = Result<(), Error>;

const INPUT: &[u8] = b"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0";

#[test]
fn provider_covers_every_algorithm() {
    assert_eq!(DEFAULT_PROVIDER.name, "aws-lc-rs");
    for alg in JwsAlgorithm::ALL {
        assert!(DEFAULT_PROVIDER.supports(*alg), "{alg}");
    }
    for hash in HashAlgorithm::ALL {
        assert!(DEFAULT_PROVIDER.supports_hash(*hash), "{hash}");
    }
}

#[test]
fn sign_verify_round_trip_for_every_algorithm() -> TestResult {
    for &alg in DEFAULT_PROVIDER.signature_algorithms {
        let key = DEFAULT_PROVIDER
            .generate_key(alg)?
            .with_kid(format!("k-{alg}"));
        assert!(key.is_private(), "{alg}");
        assert_eq!(key.check_algorithm(alg), Ok(()), "{alg}");

        let signer = DEFAULT_PROVIDER.signer(&key, alg)?;
        assert_eq!(signer.algorithm(), alg);
        assert_eq!(signer.key_id(), Some(format!("k-{alg}").as_str()));
        assert_eq!(signer.public_key(), Some(&key.to_public()));

        let signature = signer.try_sign(INPUT)?;
        match alg.signature_len() {
            Some(len) => assert_eq!(signature.len(), len, "{alg}"),
            None => assert_eq!(signature.len(), 256, "{alg}: 2048-bit modulus"),
        }

        // Verify with the public key only, and with the private JWK.
        let verifier = DEFAULT_PROVIDER.verifier(&key.to_public(), alg)?;
        assert_eq!(verifier.algorithm(), alg);
        assert_eq!(verifier.verify(INPUT, &signature), Ok(()), "{alg}");
        let from_private = DEFAULT_PROVIDER.verifier(&key, alg)?;
        assert_eq!(from_private.verify(INPUT, &signature), Ok(()), "{alg}");

        // Tampered input.
        let mut input = INPUT.to_vec();
        if let Some(last) = input.last_mut() {
            *last ^= 1;
        }
        assert_eq!(
            verifier.verify(&input, &signature),
            Err(Error::InvalidSignature),
            "{alg}"
        );
        // Tampered, truncated and empty signatures.
        let mut tampered = signature.clone();
        if let Some(first) = tampered.first_mut() {
            *first ^= 0x40;
        }
        assert_eq!(
            verifier.verify(INPUT, &tampered),
            Err(Error::InvalidSignature),
            "{alg}"
        );
        let truncated = signature.get(..signature.len() - 1).unwrap_or_default();
        assert_eq!(
            verifier.verify(INPUT, truncated),
            Err(Error::InvalidSignature),
            "{alg}"
        );
        assert_eq!(
            verifier.verify(INPUT, &[]),
            Err(Error::InvalidSignature),
            "{alg}"
        );

        // A signature from another key of the same type fails.
        let other = DEFAULT_PROVIDER.generate_key(alg)?;
        let other_signature = DEFAULT_PROVIDER.signer(&other, alg)?.try_sign(INPUT)?;
        assert_eq!(
            verifier.verify(INPUT, &other_signature),
            Err(Error::InvalidSignature),
            "{alg}"
        );
    }
    Ok(())
}

#[test]
fn generated_keys_survive_json() -> TestResult {
    for alg in [
        JwsAlgorithm::Es512,
        JwsAlgorithm::Es256K,
        JwsAlgorithm::EdDsa,
        JwsAlgorithm::Ps256,
    ] {
        let key = DEFAULT_PROVIDER.generate_key(alg)?;
        let reparsed = Jwk::from_json(&key.to_private_json())?;
        assert_eq!(reparsed, key, "{alg}");
        let signature = DEFAULT_PROVIDER.signer(&reparsed, alg)?.try_sign(INPUT)?;
        DEFAULT_PROVIDER
            .verifier(&key.to_public(), alg)?
            .verify(INPUT, &signature)?;
    }
    Ok(())
}

#[test]
fn pss_and_pkcs1_signatures_are_not_interchangeable() -> TestResult {
    let key = DEFAULT_PROVIDER.generate_key(JwsAlgorithm::Rs256)?;
    let signature = DEFAULT_PROVIDER
        .signer(&key, JwsAlgorithm::Rs256)?
        .try_sign(INPUT)?;
    for other in [JwsAlgorithm::Ps256, JwsAlgorithm::Rs384] {
        let verifier = DEFAULT_PROVIDER.verifier(&key, other)?;
        assert_eq!(
            verifier.verify(INPUT, &signature),
            Err(Error::InvalidSignature)
        );
    }
    Ok(())
}

// RFC 7515 Appendix A.3: the ES256 example key (A.3.1), JWS Signing Input and signature
// (A.3.1, checked in A.3.2).
const RFC7515_A3_KEY: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#;
const RFC7515_A3_INPUT: &[u8] = b"eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
const RFC7515_A3_SIGNATURE: &str =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

#[test]
fn rfc7515_a3_es256_signature_verifies() -> TestResult {
    let key = Jwk::from_json_str(RFC7515_A3_KEY)?;
    let signature = base64url::decode(RFC7515_A3_SIGNATURE)?;
    let verifier = DEFAULT_PROVIDER.verifier(&key.to_public(), JwsAlgorithm::Es256)?;
    assert_eq!(verifier.verify(RFC7515_A3_INPUT, &signature), Ok(()));

    let mut tampered = signature.clone();
    if let Some(b) = tampered.get_mut(10) {
        *b ^= 1;
    }
    assert_eq!(
        verifier.verify(RFC7515_A3_INPUT, &tampered),
        Err(Error::InvalidSignature)
    );

    // The published private key is consistent with x and y, and signs verifiably.
    let own = DEFAULT_PROVIDER
        .signer(&key, JwsAlgorithm::Es256)?
        .try_sign(RFC7515_A3_INPUT)?;
    verifier.verify(RFC7515_A3_INPUT, &own)
}

// RFC 8037 Appendix A.1 (key) and A.4 (signature): Ed25519 is deterministic, so the published
// signature must be reproduced exactly.
#[test]
fn rfc8037_a4_ed25519_signature_is_reproduced() -> TestResult {
    let key = Jwk::from_json_str(
        r#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
    )?;
    let input = b"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
    let expected =
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
    let signature = DEFAULT_PROVIDER
        .signer(&key, JwsAlgorithm::EdDsa)?
        .try_sign(input)?;
    assert_eq!(base64url::encode(&signature), expected);
    DEFAULT_PROVIDER
        .verifier(&key.to_public(), JwsAlgorithm::EdDsa)?
        .verify(input, &signature)
}

// Hash known answers for both providers live in `sdjwt-test/tests/providers.rs`.

// RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
#[test]
fn rfc7638_thumbprint() -> TestResult {
    let key = Jwk::from_json_str(
        r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#,
    )?;
    assert_eq!(
        key.thumbprint(&AwsLcHash, HashAlgorithm::Sha256)?,
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
    // The RFC 7638 key is public-only; it still builds an RS256 verifier.
    DEFAULT_PROVIDER.verifier(&key, JwsAlgorithm::Rs256)?;
    Ok(())
}

#[test]
fn public_key_refused_for_signing() -> TestResult {
    for alg in [
        JwsAlgorithm::Es256,
        JwsAlgorithm::EdDsa,
        JwsAlgorithm::Rs256,
    ] {
        let public = DEFAULT_PROVIDER.generate_key(alg)?.to_public();
        let expected = Error::Jwk(JwkError::NotAPrivateKey);
        // Called directly, bypassing CryptoProvider's own check.
        assert_eq!(AwsLcKeys.signer(&public, alg).err(), Some(expected.clone()));
        assert_eq!(DEFAULT_PROVIDER.signer(&public, alg).err(), Some(expected));
    }
    Ok(())
}

#[test]
fn key_algorithm_mismatch_refused_when_called_directly() -> TestResult {
    let key = Jwk::from_json_str(RFC7515_A3_KEY)?;
    for alg in [
        JwsAlgorithm::Es384,
        JwsAlgorithm::EdDsa,
        JwsAlgorithm::Rs256,
    ] {
        assert!(matches!(
            AwsLcKeys.signer(&key, alg).err(),
            Some(Error::KeyAlgorithmMismatch { .. })
        ));
        assert!(matches!(
            AwsLcKeys.verifier(&key, alg).err(),
            Some(Error::KeyAlgorithmMismatch { .. })
        ));
    }
    Ok(())
}

#[test]
fn backend_rejections_are_crypto_errors() -> TestResult {
    let key = Jwk::from_json_str(RFC7515_A3_KEY)?;
    let KeyParams::Ec { crv, x, y, d } = key.params().clone() else {
        return Err(Error::Crypto);
    };
    // A point not on the curve.
    let mut bad_y = y.clone();
    if let Some(last) = bad_y.last_mut() {
        *last ^= 1;
    }
    let off_curve = Jwk::new(KeyParams::Ec {
        crv,
        x: x.clone(),
        y: bad_y,
        d: None,
    })?;
    assert_eq!(
        AwsLcKeys.verifier(&off_curve, JwsAlgorithm::Es256).err(),
        Some(Error::Crypto)
    );
    // A private scalar that does not match the public point.
    let mut bad_d = d.map(|d| d.expose().to_vec()).unwrap_or_default();
    if let Some(last) = bad_d.last_mut() {
        *last ^= 1;
    }
    let inconsistent = Jwk::new(KeyParams::Ec {
        crv,
        x,
        y,
        d: Some(SecretBytes::new(bad_d)),
    })?;
    assert_eq!(
        AwsLcKeys.signer(&inconsistent, JwsAlgorithm::Es256).err(),
        Some(Error::Crypto)
    );
    // An Ed25519 seed that does not match the public key.
    let ed = DEFAULT_PROVIDER.generate_key(JwsAlgorithm::EdDsa)?;
    let other = DEFAULT_PROVIDER.generate_key(JwsAlgorithm::EdDsa)?;
    let (KeyParams::Ed25519 { x, .. }, KeyParams::Ed25519 { d, .. }) =
        (ed.params(), other.params())
    else {
        return Err(Error::Crypto);
    };
    let mismatched = Jwk::new(KeyParams::Ed25519 {
        x: x.clone(),
        d: d.clone(),
    })?;
    assert_eq!(
        AwsLcKeys.signer(&mismatched, JwsAlgorithm::EdDsa).err(),
        Some(Error::Crypto)
    );
    Ok(())
}

#[test]
fn inconsistent_rsa_private_key_is_rejected() -> TestResult {
    let a = DEFAULT_PROVIDER.generate_key(JwsAlgorithm::Rs256)?;
    let b = DEFAULT_PROVIDER.generate_key(JwsAlgorithm::Rs256)?;
    let (KeyParams::Rsa { n, e, .. }, KeyParams::Rsa { private, .. }) = (a.params(), b.params())
    else {
        return Err(Error::Crypto);
    };
    let mixed = Jwk::new(KeyParams::Rsa {
        n: n.clone(),
        e: e.clone(),
        private: private.clone(),
    })?;
    assert_eq!(
        AwsLcKeys.signer(&mixed, JwsAlgorithm::Rs256).err(),
        Some(Error::Crypto)
    );
    Ok(())
}

#[test]
fn random_bytes_differ() -> TestResult {
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    DEFAULT_PROVIDER.fill_random(&mut a)?;
    DEFAULT_PROVIDER.fill_random(&mut b)?;
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 32]);
    DEFAULT_PROVIDER.fill_random(&mut [])?;
    Ok(())
}
