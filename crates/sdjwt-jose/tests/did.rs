//! did:key and did:jwk with both crypto providers:
//!
//! * the W3C CCG did:key JSON test vectors (`did-key/did-method-key/test-vectors/`) and the
//!   inline vectors of the did:key v0.9 "Test Vectors" appendix, read in place from the
//!   spec-sources folder (`SDJWT_SPEC_SOURCES`, or `../shared/spec-sources`; without it these
//!   tests print a note and pass, except under `CI=true`, where they fail);
//! * round trips JWK → did:key / did:jwk → JWK;
//! * must-reject cases, including points that are not on the curve.
//!
//! Where a vector gives a private key, a signature made with it must verify under the resolved
//! public key, which proves the decompressed `y` is the right one.

use std::collections::BTreeSet;
use std::path::PathBuf;

use sdjwt_jose::did::{self, Did, DidError, DidJwk, DidKey, DidKeyType, DidUrl};
use sdjwt_jose::{
    CryptoProvider, EcCurve, Error, Jwk, JwsAlgorithm, JwsSigner, JwsVerifier, KeyParams,
    KeyProvider, SecretBytes,
};
use serde_json::{Map, Value};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const SIGNING_INPUT: &[u8] = b"eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJkaWQ6a2V5In0";

/// The spec-sources folder, or `None` (after a note) when it is absent outside CI.
fn sources() -> Option<PathBuf> {
    match sdjwt_test::spec_sources() {
        Some(dir) => Some(dir),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => panic!(
            "CI=true but the spec-sources folder is missing: set SDJWT_SPEC_SOURCES or provide \
             ../shared/spec-sources (the did:key test vectors must run in CI)"
        ),
        None => {
            eprintln!(
                "note: spec-sources folder not found (SDJWT_SPEC_SOURCES or \
                 ../shared/spec-sources); did:key test vectors skipped"
            );
            None
        }
    }
}

/// One JSON file of `did-key/did-method-key/test-vectors/`, as an object.
fn vectors(file: &str) -> Result<Option<Map<String, Value>>, Box<dyn std::error::Error>> {
    let Some(dir) = sources() else {
        return Ok(None);
    };
    let path = dir.join("did-key/did-method-key/test-vectors").join(file);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    match serde_json::from_str(&text)? {
        Value::Object(map) => Ok(Some(map)),
        _ => Err(format!("{}: not a JSON object", path.display()).into()),
    }
}

fn member<'a>(value: &'a Value, name: &str) -> Result<&'a Value, String> {
    value
        .get(name)
        .ok_or_else(|| format!("no {name:?} in {value}"))
}

fn string<'a>(value: &'a Value, name: &str) -> Result<&'a str, String> {
    member(value, name)?
        .as_str()
        .ok_or_else(|| format!("{name:?} is not a string in {value}"))
}

fn jwk_member(value: &Value, name: &str) -> Result<Jwk, Box<dyn std::error::Error>> {
    match member(value, name)? {
        Value::Object(map) => Ok(Jwk::from_json(map)?),
        other => Err(format!("{name:?} is not an object: {other}").into()),
    }
}

/// base58btc decoding for the vectors' `publicKeyBase58` / `privateKeyBase58` members, written
/// independently of the library's decoder (big-endian accumulation).
fn base58_decode(text: &str) -> Result<Vec<u8>, String> {
    const ALPHABET: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut number: Vec<u8> = Vec::new(); // big-endian
    for c in text.chars() {
        let digit = ALPHABET
            .find(c)
            .ok_or_else(|| format!("{c:?} is not base58"))?;
        let mut carry = digit;
        for byte in number.iter_mut().rev() {
            carry += usize::from(*byte) * 58;
            *byte = (carry % 256) as u8;
            carry /= 256;
        }
        while carry > 0 {
            number.insert(0, (carry % 256) as u8);
            carry /= 256;
        }
    }
    let zeros = text.chars().take_while(|&c| c == '1').count();
    let mut out = vec![0u8; zeros];
    out.extend(number);
    Ok(out)
}

fn hex_decode(text: &str) -> Result<Vec<u8>, String> {
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
                .ok_or_else(|| format!("bad hex {text:?}"))
        })
        .collect()
}

/// Signs with `private` and verifies with `resolved`: only the right public key verifies.
fn check_key_pair(provider: &CryptoProvider, private: &Jwk, resolved: &Jwk) -> Result<(), Error> {
    let alg = resolved.default_algorithm();
    let signature = provider.signer(private, alg)?.try_sign(SIGNING_INPUT)?;
    provider
        .verifier(resolved, alg)?
        .verify(SIGNING_INPUT, &signature)
}

/// `resolved` with private key `d` added.
fn with_private(resolved: &Jwk, d: Vec<u8>) -> Result<Jwk, Error> {
    let d = Some(SecretBytes::new(d));
    match resolved.params() {
        KeyParams::Ec { crv, x, y, .. } => Jwk::new(KeyParams::Ec {
            crv: *crv,
            x: x.clone(),
            y: y.clone(),
            d,
        }),
        KeyParams::Ed25519 { x, .. } => Jwk::new(KeyParams::Ed25519 { x: x.clone(), d }),
        _ => Err(Error::Crypto),
    }
}

/// The public key of `jwk` with no `kid`, `alg` or `use`: what a DID gives back.
fn bare(jwk: &Jwk) -> Result<Jwk, Error> {
    Jwk::new(jwk.to_public().params().clone())
}

/// Checks one did:key test vector: the DID and its verification method id resolve to the same
/// key, which re-encodes to the same DID. Returns the resolved key.
fn resolve_vector(
    provider: &CryptoProvider,
    did: &str,
    entry: &Value,
) -> Result<Jwk, Box<dyn std::error::Error>> {
    let resolved = did::resolve_key(did, provider)?;
    assert!(!resolved.is_private(), "{did}");
    let reencoded = DidKey::from_jwk(&resolved)?;
    assert_eq!(reencoded.to_string(), did);
    let document = member(entry, "didDocument")?;
    assert_eq!(string(document, "id")?, did);
    let methods = member(document, "verificationMethod")?
        .as_array()
        .ok_or("verificationMethod is not an array")?;
    let first = methods.first().ok_or("no verification method")?;
    let id = string(first, "id")?;
    assert_eq!(id, reencoded.verification_method_id());
    assert_eq!(did::resolve_key(id, provider)?, resolved, "{id}");
    Ok(resolved)
}

sdjwt_test::for_each_provider! {
    /// `nist-curves.json`: P-256 (3), P-384 (2) and P-521 (2) DIDs.
    fn nist_curve_vectors_resolve_to_their_jwks(provider) -> TestResult {
        let Some(vectors) = vectors("nist-curves.json")? else {
            return Ok(());
        };
        let mut curves = Vec::new();
        let mut jwks_compared = 0;
        for (did, entry) in &vectors {
            let resolved = resolve_vector(&provider, did, entry)?;
            let method = member(entry, "verificationMethod")?;
            if method.get("publicKeyJwk").is_some() {
                assert_eq!(resolved, jwk_member(method, "publicKeyJwk")?, "{did}");
                let private = jwk_member(method, "privateKeyJwk")?;
                check_key_pair(&provider, &private, &resolved)?;
                jwks_compared += 1;
            } else {
                // P256Key2021: the compressed point in base58, and the private scalar.
                let public = base58_decode(string(method, "publicKeyBase58")?)?;
                assert_eq!(DidKey::from_jwk(&resolved)?.public_key(), public, "{did}");
                let d = base58_decode(string(method, "privateKeyBase58")?)?;
                check_key_pair(&provider, &with_private(&resolved, d)?, &resolved)?;
            }
            if let KeyParams::Ec { crv, .. } = resolved.params() {
                curves.push(*crv);
            }
        }
        let count = |crv| curves.iter().filter(|&&c| c == crv).count();
        assert_eq!(
            (count(EcCurve::P256), count(EcCurve::P384), count(EcCurve::P521)),
            (3, 2, 2)
        );
        assert_eq!(jwks_compared, 6);
        Ok(())
    }

    /// `secp256k1.json`: five DIDs with base58 keys from seeds, one with JWKs.
    fn secp256k1_vectors_resolve_to_their_keys(provider) -> TestResult {
        let Some(vectors) = vectors("secp256k1.json")? else {
            return Ok(());
        };
        for (did, entry) in &vectors {
            let resolved = resolve_vector(&provider, did, entry)?;
            let pair = member(entry, "verificationKeyPair")?;
            let private = if pair.get("publicKeyJwk").is_some() {
                assert_eq!(resolved, jwk_member(pair, "publicKeyJwk")?, "{did}");
                jwk_member(pair, "privateKeyJwk")?
            } else {
                let public = base58_decode(string(pair, "publicKeyBase58")?)?;
                assert_eq!(DidKey::from_jwk(&resolved)?.public_key(), public, "{did}");
                with_private(&resolved, base58_decode(string(pair, "privateKeyBase58")?)?)?
            };
            check_key_pair(&provider, &private, &resolved)?;
        }
        assert_eq!(vectors.len(), 6);
        Ok(())
    }

    /// `ed25519-x25519.json`: Ed25519 DIDs from seeds; their X25519 key-agreement keys are
    /// refused for signatures.
    fn ed25519_vectors_resolve_and_their_x25519_keys_are_refused(provider) -> TestResult {
        let Some(vectors) = vectors("ed25519-x25519.json")? else {
            return Ok(());
        };
        for (did, entry) in &vectors {
            let resolved = resolve_vector(&provider, did, entry)?;
            let pair = member(entry, "verificationKeyPair")?;
            if pair.get("publicKeyJwk").is_some() {
                assert_eq!(resolved, jwk_member(pair, "publicKeyJwk")?, "{did}");
            } else {
                let public = base58_decode(string(pair, "publicKeyBase58")?)?;
                assert_eq!(DidKey::from_jwk(&resolved)?.public_key(), public, "{did}");
            }
            // The seed is the Ed25519 private key (RFC 8032 §5.1.5).
            let seed = hex_decode(string(entry, "seed")?)?;
            check_key_pair(&provider, &with_private(&resolved, seed)?, &resolved)?;

            // The key-agreement method: `did#z6LS…` names a method that is not the signature
            // key, and the X25519 key as a did:key of its own is key agreement only.
            let agreement_id = string(member(entry, "keyAgreementKeyPair")?, "id")?;
            let fragment = agreement_id
                .rsplit_once('#')
                .map(|(_, f)| f)
                .ok_or("no fragment")?;
            assert!(fragment.starts_with("z6LS"), "{agreement_id}");
            assert!(matches!(
                did::resolve_key(&format!("{did}#{fragment}"), &provider),
                Err(DidError::FragmentMismatch { .. })
            ));
            assert_eq!(
                did::resolve_key(&format!("did:key:{fragment}"), &provider),
                Err(DidError::KeyAgreementOnly)
            );
        }
        assert_eq!(vectors.len(), 5);
        Ok(())
    }

    /// `x25519.json`: X25519-only DIDs are not signature keys.
    fn x25519_vectors_are_refused(provider) -> TestResult {
        let Some(vectors) = vectors("x25519.json")? else {
            return Ok(());
        };
        let documents = member(&Value::Object(vectors), "didDocument")?
            .as_object()
            .ok_or("didDocument is not an object")?
            .clone();
        for did in documents.keys() {
            assert_eq!(
                did::resolve_key(did, &provider),
                Err(DidError::KeyAgreementOnly),
                "{did}"
            );
        }
        assert_eq!(documents.len(), 4);
        Ok(())
    }

    /// `bls12381.json` and `rsa.json`: codecs without a JWS signature algorithm here.
    fn bls_and_rsa_vectors_are_unsupported(provider) -> TestResult {
        for (file, codecs, count) in [
            ("bls12381.json", &[0xeb_u64, 0xee][..], 6),
            ("rsa.json", &[0x1205][..], 2),
        ] {
            let Some(vectors) = vectors(file)? else {
                return Ok(());
            };
            for did in vectors.keys() {
                match did::resolve_key(did, &provider) {
                    Err(DidError::UnsupportedCodec { codec }) if codecs.contains(&codec) => {}
                    other => panic!("{file}: {did}: {other:?}"),
                }
            }
            assert_eq!(vectors.len(), count, "{file}");
        }
        Ok(())
    }

    /// The did:key v0.9 "Test Vectors" appendix: every DID and DID URL in it.
    fn v0_9_inline_vectors(provider) -> TestResult {
        let Some(dir) = sources() else {
            return Ok(());
        };
        let path = dir.join("did-key/did-key-spec-v0.9/index.html");
        let html = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let start = html.find("<h2>Test Vectors</h2>").ok_or("no Test Vectors appendix")?;
        let end = html[start..]
            .find("<h2>Acknowledgements</h2>")
            .map_or(html.len(), |e| start + e);
        let appendix = &html[start..end];
        // Every `did:key:z…` token, with its `#z…` fragment if it has one.
        let is_token_char = |c: char| c.is_ascii_alphanumeric() || c == '#';
        let urls: BTreeSet<&str> = appendix
            .match_indices("did:key:")
            .map(|(i, _)| {
                let rest = &appendix[i + "did:key:".len()..];
                let len = rest.find(|c: char| !is_token_char(c)).unwrap_or(rest.len());
                &appendix[i..i + "did:key:".len() + len]
            })
            .collect();

        let (mut resolved, mut mismatched, mut unsupported) = (0, 0, 0);
        for url in &urls {
            let (did, fragment) = url.split_once('#').unwrap_or((url, ""));
            let id = did.trim_start_matches("did:key:");
            match did::resolve_key(url, &provider) {
                Ok(jwk) => {
                    assert!(fragment.is_empty() || fragment == id, "{url}");
                    assert_eq!(DidKey::from_jwk(&jwk)?.to_string(), did);
                    resolved += 1;
                }
                Err(DidError::FragmentMismatch { .. }) => {
                    // The Ed25519 example's X25519 key-agreement method.
                    assert!(fragment.starts_with("z6LS"), "{url}");
                    assert_eq!(
                        did::resolve_key(&format!("did:key:{fragment}"), &provider),
                        Err(DidError::KeyAgreementOnly)
                    );
                    mismatched += 1;
                }
                Err(DidError::UnsupportedCodec { codec: 0xeb }) => {
                    assert!(id.starts_with("zUC7"), "{url}");
                    unsupported += 1;
                }
                Err(e) => panic!("{url}: {e}"),
            }
        }
        // Ed25519 (2 DIDs, 1 verification method id), secp256k1 (3), P-256, P-384; one
        // key-agreement id; one BLS12-381 G2 DID.
        assert_eq!((resolved, mismatched, unsupported), (8, 1, 1), "{urls:#?}");
        let prefixes: BTreeSet<&str> = urls.iter().filter_map(|u| u.get(8..11)).collect();
        for prefix in ["z6M", "zQ3", "zDn", "z82", "zUC"] {
            assert!(prefixes.contains(prefix), "{prefix}: {urls:#?}");
        }
        Ok(())
    }

    /// JWK → did:key → JWK and JWK → did:jwk → JWK, for every key type did:key can carry.
    fn round_trips(provider) -> TestResult {
        for &alg in &[
            JwsAlgorithm::Es256,
            JwsAlgorithm::Es384,
            JwsAlgorithm::Es512,
            JwsAlgorithm::Es256K,
            JwsAlgorithm::EdDsa,
        ] {
            let mut keys = vec![sdjwt_test::fixture_key(alg).with_kid("kid-1")];
            for _ in 0..6 {
                keys.push(provider.generate_key(alg)?);
            }
            for key in &keys {
                let expected = bare(key)?;

                let did_key = DidKey::from_jwk(key)?;
                let text = did_key.to_string();
                assert!(text.starts_with("did:key:z"), "{text}");
                let vm = did_key.verification_method_id();
                assert_eq!(vm, format!("{text}#{}", did_key.multibase()));
                for url in [&text, &vm] {
                    assert_eq!(did::resolve_key(url, &provider)?, expected, "{url}");
                    assert_eq!(DidUrl::parse(url)?.to_string(), *url);
                }
                assert_eq!(did_key.to_jwk(&provider)?, expected);

                let did_jwk = DidJwk::from_jwk(key);
                assert_eq!(did_jwk.jwk(), &expected);
                let text = did_jwk.to_string();
                let vm = did_jwk.verification_method_id();
                assert_eq!(vm, format!("{text}#0"));
                for url in [&text, &vm] {
                    assert_eq!(did::resolve_key(url, &provider)?, expected, "{url}");
                }
                let parsed = DidUrl::parse(&text)?;
                assert!(matches!(parsed.did(), Did::Jwk(d) if d == &did_jwk));
            }
        }
        // RSA has no did:key encoding, but has a did:jwk.
        let rsa = sdjwt_test::fixture_key(JwsAlgorithm::Rs256);
        assert!(matches!(
            DidKey::from_jwk(&rsa),
            Err(DidError::NoDidKeyEncoding { .. })
        ));
        let did_jwk = DidJwk::from_jwk(&rsa).to_string();
        assert_eq!(did::resolve_key(&did_jwk, &provider)?, bare(&rsa)?);
        // A did:jwk keeps kid, alg and use from its JSON.
        let with_kid = sdjwt_test::fixture_key(JwsAlgorithm::Es256)
            .to_public()
            .with_kid("k1")
            .with_alg(JwsAlgorithm::Es256);
        let json = serde_json::to_string(&with_kid.to_json())?;
        let did_jwk = format!("did:jwk:{}", sdjwt_jose::base64url::encode(json.as_bytes()));
        let resolved = did::resolve_key(&did_jwk, &provider)?;
        assert_eq!(resolved, with_kid);
        assert_eq!(resolved.key_id(), Some("k1"));
        Ok(())
    }

    /// Compressed points that are not on the curve, and x coordinates that are not reduced
    /// modulo p, are invalid public keys (did:key `invalidPublicKey`).
    fn points_off_the_curve_are_refused(provider) -> TestResult {
        // x values for which x³ + ax + b is not a square mod p (so no point has them), and
        // x = p + x₀ for an x₀ that does have a point: a backend that reduced x would accept it.
        let mut p256_big = hex_decode(
            "ffffffff00000001000000000000000000000001000000000000000000000004",
        )?;
        p256_big.insert(0, 0x02);
        let mut k1_big = hex_decode(
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30",
        )?;
        k1_big.insert(0, 0x03);
        let small = |key_type: DidKeyType, x: u8, prefix: u8| {
            let mut point = vec![0u8; key_type.public_key_len()];
            point[0] = prefix;
            if let Some(last) = point.last_mut() {
                *last = x;
            }
            point
        };
        let cases = [
            (DidKeyType::P256, small(DidKeyType::P256, 1, 0x02)),
            (DidKeyType::P256, small(DidKeyType::P256, 2, 0x03)),
            (DidKeyType::P384, small(DidKeyType::P384, 1, 0x02)),
            (DidKeyType::P521, small(DidKeyType::P521, 3, 0x03)),
            (DidKeyType::Secp256k1, small(DidKeyType::Secp256k1, 5, 0x02)),
            (DidKeyType::P256, p256_big),
            (DidKeyType::Secp256k1, k1_big),
            (DidKeyType::P521, vec![0x02; 67]),
        ];
        for (key_type, point) in &cases {
            let did = DidKey::from_public_key(*key_type, point)?;
            assert_eq!(
                did::resolve_key(&did.to_string(), &provider),
                Err(DidError::InvalidPublicKey {
                    codec: key_type.codec()
                }),
                "{key_type:?} {did}"
            );
        }
        // The same small x values, where a point exists, do decompress.
        for (key_type, x) in [
            (DidKeyType::P256, 5),
            (DidKeyType::P384, 2),
            (DidKeyType::P521, 1),
            (DidKeyType::Secp256k1, 1),
        ] {
            for prefix in [0x02, 0x03] {
                let did = DidKey::from_public_key(key_type, &small(key_type, x, prefix))?;
                let jwk = did.to_jwk(&provider)?;
                assert_eq!(DidKey::from_jwk(&jwk)?, did, "{key_type:?}");
            }
        }
        Ok(())
    }

    /// The provider's decompression refuses anything but a compressed point of the curve's
    /// size.
    fn decompression_checks_its_input(provider) -> TestResult {
        let jwk = sdjwt_test::fixture_key(JwsAlgorithm::Es256);
        let point = DidKey::from_jwk(&jwk)?.public_key().to_vec();
        let KeyParams::Ec { x, y, .. } = jwk.params() else {
            return Err("fixture is not EC".into());
        };
        assert_eq!(
            provider.decompress_ec_point(EcCurve::P256, &point)?,
            (x.clone(), y.clone())
        );
        let mut uncompressed = vec![0x04];
        uncompressed.extend_from_slice(x);
        uncompressed.extend_from_slice(y);
        let mut hybrid = point.clone();
        hybrid[0] = 0x06;
        let bad: [&[u8]; 5] = [&[], &point[..32], &uncompressed, &hybrid, &[0x02; 49]];
        for input in bad {
            assert_eq!(
                provider.decompress_ec_point(EcCurve::P256, input),
                Err(Error::Crypto)
            );
            assert_eq!(
                provider.keys.decompress_ec_point(EcCurve::P256, input),
                Err(Error::Crypto)
            );
        }
        // A P-256 point is not a P-384 one.
        assert_eq!(
            provider.decompress_ec_point(EcCurve::P384, &point),
            Err(Error::Crypto)
        );
        Ok(())
    }

    /// Must-reject identifiers, end to end through `resolve_key`.
    fn must_reject(provider) -> TestResult {
        let ed25519 = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
        let x25519 = "z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p";
        let private_jwk = sdjwt_test::fixture_key(JwsAlgorithm::Es256).to_private_json();
        let private_did_jwk = format!(
            "did:jwk:{}",
            sdjwt_jose::base64url::encode(serde_json::to_string(&private_jwk)?.as_bytes())
        );
        let cases: Vec<(String, DidError)> = vec![
            (
                "did:web:issuer.example".into(),
                DidError::UnsupportedMethod { method: "web".into() },
            ),
            (format!("did:key:m{ed25519}"), DidError::UnsupportedMultibase { prefix: 'm' }),
            (
                format!("did:key:{}", ed25519.replace('h', "l")),
                DidError::InvalidBase58 { position: 12 },
            ),
            (format!("did:key:{x25519}"), DidError::KeyAgreementOnly),
            (
                format!("did:key:{ed25519}#{x25519}"),
                DidError::FragmentMismatch { expected: ed25519.into(), found: x25519.into() },
            ),
            (private_did_jwk, DidError::PrivateKey),
        ];
        for (text, expected) in &cases {
            assert_eq!(did::resolve_key(text, &provider).as_ref(), Err(expected), "{text}");
        }
        // Codec and length errors, built from raw bytes.
        for (bytes, expected) in [
            (&[0x80u8, 0x24, 0x02][..], DidError::InvalidPublicKeyLength {
                codec: 0x1200, expected: 33, found: 1,
            }),
            (&[0x00, 0x01, 0x02][..], DidError::UnsupportedCodec { codec: 0 }),
            (&[0xed, 0x81, 0x00, 0x01][..], DidError::NonMinimalVarint),
            (&[0xff][..], DidError::TruncatedVarint),
        ] {
            let text = format!("did:key:z{}", base58_encode(bytes));
            assert_eq!(did::resolve_key(&text, &provider), Err(expected), "{text}");
        }
        Ok(())
    }
}

/// base58btc encoding for the must-reject cases (test-side, independent of the library).
fn base58_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    let mut number = bytes[zeros..].to_vec(); // big-endian, divided by 58 repeatedly
    let mut digits = Vec::new();
    while number.iter().any(|&b| b != 0) {
        let mut remainder = 0usize;
        for byte in &mut number {
            let value = remainder * 256 + usize::from(*byte);
            *byte = (value / 58) as u8;
            remainder = value % 58;
        }
        digits.push(ALPHABET[remainder]);
    }
    let mut out = "1".repeat(zeros);
    out.extend(digits.iter().rev().map(|&d| char::from(d)));
    out
}

/// A key provider written before point decompression existed: the default method refuses.
#[derive(Debug)]
struct NoDecompression;

impl KeyProvider for NoDecompression {
    fn signer(&self, _key: &Jwk, _alg: JwsAlgorithm) -> Result<Box<dyn JwsSigner>, Error> {
        Err(Error::Crypto)
    }

    fn verifier(&self, _key: &Jwk, _alg: JwsAlgorithm) -> Result<Box<dyn JwsVerifier>, Error> {
        Err(Error::Crypto)
    }

    fn generate(&self, _alg: JwsAlgorithm) -> Result<Jwk, Error> {
        Err(Error::Crypto)
    }
}

#[test]
fn providers_without_decompression_say_so() -> TestResult {
    let provider = CryptoProvider {
        name: "no-decompression",
        keys: &NoDecompression,
        ..sdjwt_test::AWS_LC
    };
    let p256 = DidKey::from_jwk(&sdjwt_test::fixture_key(JwsAlgorithm::Es256))?;
    assert_eq!(
        p256.to_jwk(&provider),
        Err(DidError::Crypto(Error::UnsupportedPointDecompression {
            crv: EcCurve::P256,
            provider: "no-decompression",
        }))
    );
    // Ed25519 needs no decompression.
    let ed25519 = sdjwt_test::fixture_key(JwsAlgorithm::EdDsa);
    let did = DidKey::from_jwk(&ed25519)?.to_string();
    assert_eq!(did::resolve_key(&did, &provider)?, bare(&ed25519)?);
    Ok(())
}

#[test]
fn both_providers_decompress_alike() -> TestResult {
    for alg in [
        JwsAlgorithm::Es256,
        JwsAlgorithm::Es384,
        JwsAlgorithm::Es512,
        JwsAlgorithm::Es256K,
    ] {
        for _ in 0..4 {
            let key = sdjwt_test::AWS_LC.generate_key(alg)?;
            let did = DidKey::from_jwk(&key)?.to_string();
            let via_aws_lc = did::resolve_key(&did, &sdjwt_test::AWS_LC)?;
            let via_josekit = did::resolve_key(&did, &sdjwt_test::JOSEKIT)?;
            assert_eq!(via_aws_lc, via_josekit, "{did}");
            assert_eq!(via_aws_lc, bare(&key)?);
        }
    }
    Ok(())
}
