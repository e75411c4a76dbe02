//! Provider conformance: every crypto provider must sign, verify, hash and draw random bytes
//! the same way, and interoperate with the others.

use sdjwt_jose::{Error, HashAlgorithm, JwsAlgorithm, KeyRequirement};
use sdjwt_test::{fixture_key, providers};

const SIGNING_INPUT: &[u8] = b"eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIn0";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .filter_map(|i| s.get(i..i + 2))
        .filter_map(|b| u8::from_str_radix(b, 16).ok())
        .collect()
}

/// "abc" known answers: FIPS 180-4 (SHA-2) and FIPS 202 (SHA-3), NIST example values.
const ABC_DIGESTS: [(HashAlgorithm, &str); 6] = [
    (
        HashAlgorithm::Sha256,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    ),
    (
        HashAlgorithm::Sha384,
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
    ),
    (
        HashAlgorithm::Sha512,
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    ),
    (
        HashAlgorithm::Sha3_256,
        "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
    ),
    (
        HashAlgorithm::Sha3_384,
        "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25",
    ),
    (
        HashAlgorithm::Sha3_512,
        "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0",
    ),
];

/// A fixture key of a different type or curve than `alg` needs.
fn wrong_key_for(alg: JwsAlgorithm) -> sdjwt_jose::Jwk {
    match alg.key_requirement() {
        KeyRequirement::Rsa => fixture_key(JwsAlgorithm::Es256),
        KeyRequirement::Ed25519 => fixture_key(JwsAlgorithm::Rs256),
        KeyRequirement::Ec(_) if alg == JwsAlgorithm::Es384 => fixture_key(JwsAlgorithm::Es256),
        _ => fixture_key(JwsAlgorithm::Es384),
    }
}

sdjwt_test::for_each_provider! {
    /// For every algorithm the provider lists, the fixture key signs and its public key
    /// verifies; a tampered signing input is rejected.
    fn every_listed_algorithm_signs_and_verifies(provider) -> Result<(), Error> {
        assert!(!provider.signature_algorithms.is_empty());
        for &alg in provider.signature_algorithms {
            let key = fixture_key(alg);
            let signer = provider.signer(&key, alg)?;
            assert_eq!(signer.algorithm(), alg);
            assert_eq!(signer.public_key(), Some(&key.to_public()), "{alg}");
            let signature = signer.try_sign(SIGNING_INPUT)?;
            if let Some(len) = alg.signature_len() {
                assert_eq!(signature.len(), len, "{alg}: JWS-form signature");
            }
            let verifier = provider.verifier(&key.to_public(), alg)?;
            assert_eq!(verifier.verify(SIGNING_INPUT, &signature), Ok(()), "{alg}");
            assert_eq!(
                verifier.verify(b"tampered.input", &signature),
                Err(Error::InvalidSignature),
                "{alg}"
            );
        }
        Ok(())
    }

    /// A verifier that names a digest algorithm (ECDSA) checks a signature given the digest of
    /// the signing input exactly as it checks the input itself; a digest of other bytes, of the
    /// wrong length, or under another hash is refused. Verifiers that name none (EdDSA, RSA
    /// here) refuse every digest.
    fn signatures_verify_over_a_digest_of_the_signing_input(provider) -> Result<(), Error> {
        for &alg in provider.signature_algorithms {
            let key = fixture_key(alg);
            let signature = provider.signer(&key, alg)?.try_sign(SIGNING_INPUT)?;
            let verifier = provider.verifier(&key.to_public(), alg)?;
            let Some(hash) = verifier.digest_algorithm() else {
                let digest = provider.digest(HashAlgorithm::Sha256, SIGNING_INPUT)?;
                assert_eq!(
                    verifier.verify_digest(&digest, &signature),
                    Err(Error::InvalidSignature),
                    "{alg}"
                );
                continue;
            };
            let expected = match alg {
                JwsAlgorithm::Es384 => HashAlgorithm::Sha384,
                JwsAlgorithm::Es512 => HashAlgorithm::Sha512,
                _ => HashAlgorithm::Sha256,
            };
            assert_eq!(hash, expected, "{alg}");
            let digest = provider.digest(hash, SIGNING_INPUT)?;
            assert_eq!(verifier.verify_digest(&digest, &signature), Ok(()), "{alg}");
            let other_bytes = provider.digest(hash, b"tampered.input")?;
            let other_hash = match hash {
                HashAlgorithm::Sha256 => HashAlgorithm::Sha512,
                _ => HashAlgorithm::Sha256,
            };
            let truncated = sdjwt_jose::HashOutput::new(&digest.as_bytes()[1..])?;
            for wrong in [other_bytes, provider.digest(other_hash, SIGNING_INPUT)?, truncated] {
                assert_eq!(
                    verifier.verify_digest(&wrong, &signature),
                    Err(Error::InvalidSignature),
                    "{alg}"
                );
            }
        }
        Ok(())
    }

    /// Hashing a prefix once and forking gives the two digests that hashing twice gives, for
    /// every hash the provider has.
    fn prefix_and_whole_digests_match_separate_hashing(provider) -> Result<(), Error> {
        let prefix: [&[u8]; 3] = [b"eyJhbGciOiJFUzI1NiJ9", b".", b"eyJpc3MiOiJ4In0"];
        let rest: [&[u8]; 4] = [b".", b"c2ln", b"~", b"WyJzIiwibiIsMV0~"];
        let whole: Vec<&[u8]> = prefix.iter().chain(&rest).copied().collect();
        for &alg in provider.hash_algorithms {
            let (head, all) = provider.hash.digest_prefix_and_whole(alg, &prefix, &rest)?;
            assert_eq!(head, provider.digest_parts(alg, &prefix)?, "{alg}");
            assert_eq!(all, provider.digest_parts(alg, &whole)?, "{alg}");
            let (head, all) = provider.hash.digest_prefix_and_whole(alg, &prefix, &[])?;
            assert_eq!(head, all, "{alg}: nothing after the prefix");
        }
        Ok(())
    }

    /// Signatures made by this provider verify with every other provider, and the other way
    /// round, for each algorithm both support.
    fn cross_provider_signatures_verify(provider) -> Result<(), Error> {
        for (name, other) in providers() {
            for &alg in provider.signature_algorithms {
                if !other.supports(alg) {
                    continue;
                }
                let key = fixture_key(alg);
                let public = key.to_public();

                let ours = provider.signer(&key, alg)?.try_sign(SIGNING_INPUT)?;
                assert_eq!(
                    other.verifier(&public, alg)?.verify(SIGNING_INPUT, &ours),
                    Ok(()),
                    "{alg}: {} signature, {name} verifier",
                    provider.name
                );
                let theirs = other.signer(&key, alg)?.try_sign(SIGNING_INPUT)?;
                assert_eq!(
                    provider.verifier(&public, alg)?.verify(SIGNING_INPUT, &theirs),
                    Ok(()),
                    "{alg}: {name} signature, {} verifier",
                    provider.name
                );
            }
        }
        Ok(())
    }

    /// The RFC 9901 example keys sign and verify (ES256).
    fn rfc9901_example_keys_work(provider) -> Result<(), Error> {
        for key in [sdjwt_test::issuer_key(), sdjwt_test::holder_key()] {
            let signature = provider.signer(&key, JwsAlgorithm::Es256)?.try_sign(SIGNING_INPUT)?;
            provider
                .verifier(&key.to_public(), JwsAlgorithm::Es256)?
                .verify(SIGNING_INPUT, &signature)?;
        }
        Ok(())
    }

    /// Every hash the provider lists gives the FIPS known answer for "abc".
    fn listed_hashes_give_known_answers(provider) -> Result<(), Error> {
        assert!(provider.supports_hash(HashAlgorithm::Sha256), "sha-256 is mandatory");
        for &alg in provider.hash_algorithms {
            let (_, expected) = ABC_DIGESTS
                .iter()
                .find(|(a, _)| *a == alg)
                .ok_or(Error::UnsupportedHashAlgorithm { alg, provider: "test table" })?;
            let digest = provider.digest(alg, b"abc")?;
            assert_eq!(digest.as_bytes(), hex(expected).as_slice(), "{alg}");
            // Hashing in parts gives the same answer.
            let parts = provider.digest_parts(alg, &[b"a", b"", b"bc"])?;
            assert_eq!(parts.as_bytes(), hex(expected).as_slice(), "{alg} in parts");
        }
        Ok(())
    }

    /// RFC 7638 §3.1 thumbprint with the provider's SHA-256.
    fn rfc7638_thumbprint(provider) -> Result<(), Error> {
        let key = sdjwt_jose::Jwk::from_json_str(r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#)?;
        assert_eq!(
            key.thumbprint(provider.hash, HashAlgorithm::Sha256)?,
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        Ok(())
    }

    /// Successive random fills differ.
    fn random_fills_differ(provider) -> Result<(), Error> {
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        provider.fill_random(&mut a)?;
        provider.fill_random(&mut b)?;
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 32]);
        Ok(())
    }

    /// A key for the wrong algorithm is refused with `KeyAlgorithmMismatch`, through the
    /// provider's checks and when its key provider is called directly.
    fn wrong_key_for_algorithm_is_refused(provider) {
        for &alg in provider.signature_algorithms {
            let key = wrong_key_for(alg);
            let mismatch = |r: Result<(), Error>| matches!(r, Err(Error::KeyAlgorithmMismatch { .. }));
            assert!(mismatch(provider.signer(&key, alg).map(|_| ())), "{alg}");
            assert!(mismatch(provider.verifier(&key, alg).map(|_| ())), "{alg}");
            assert!(mismatch(provider.keys.signer(&key, alg).map(|_| ())), "{alg}");
            assert!(mismatch(provider.keys.verifier(&key, alg).map(|_| ())), "{alg}");
        }
    }

    /// A public key cannot sign, even when the key provider is called directly.
    fn public_key_cannot_sign(provider) {
        for &alg in provider.signature_algorithms {
            let public = fixture_key(alg).to_public();
            let expected = Err(Error::Jwk(sdjwt_jose::JwkError::NotAPrivateKey));
            assert_eq!(provider.signer(&public, alg).map(|_| ()), expected, "{alg}");
            assert_eq!(provider.keys.signer(&public, alg).map(|_| ()), expected, "{alg}");
        }
    }

    /// Generated keys sign, and other providers verify their signatures.
    fn generated_keys_interoperate(provider) -> Result<(), Error> {
        for &alg in provider.signature_algorithms {
            let key = provider.generate_key(alg)?;
            assert!(key.is_private(), "{alg}");
            let signature = provider.signer(&key, alg)?.try_sign(SIGNING_INPUT)?;
            for (_, other) in providers() {
                if other.supports(alg) {
                    other
                        .verifier(&key.to_public(), alg)?
                        .verify(SIGNING_INPUT, &signature)?;
                }
            }
        }
        Ok(())
    }
}
