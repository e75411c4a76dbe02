//! Status List Tokens (draft-ietf-oauth-status-list-20 §5.1) through the public API, once per
//! crypto provider: round trips, and every refusal of §8.3 steps 3 to 6.

use serde_json::{Map, Value, json};

use sdjwt_jose::jws;
use sdjwt_jose::{Jwk, JwsAlgorithm, JwsSigner};
use sdjwt_status::{
    Bits, Error, Limit, Limits, Status, StatusList, StatusListTokenBuilder, StatusReference,
    UnverifiedStatusListToken, Validation, VerifiedStatusListToken, check,
};
use sdjwt_test::CryptoProvider;

const URI: &str = "https://status.example.gov/lists/1";
const IAT: i64 = 1_800_000_000;
const EXP: i64 = IAT + 86_400;
const NOW: i64 = IAT + 600;

fn key(alg: JwsAlgorithm, kid: &str) -> Jwk {
    sdjwt_test::fixture_key(alg).with_kid(kid)
}

fn signer(provider: &CryptoProvider, key: &Jwk, alg: JwsAlgorithm) -> Box<dyn JwsSigner> {
    provider
        .signer(key, alg)
        .unwrap_or_else(|e| panic!("signer: {e}"))
}

/// A 2-bit list: 10 INVALID, 11 SUSPENDED, 12 application-specific, the rest VALID.
fn sample_list() -> StatusList {
    let mut list = StatusList::new(Bits::Two, 1_000);
    for (i, s) in [
        (10, Status::Invalid),
        (11, Status::Suspended),
        (12, Status::ApplicationSpecific(3)),
    ] {
        list.set(i, s).unwrap_or_else(|e| panic!("{e}"));
    }
    list
}

fn sign(provider: &CryptoProvider, key: &Jwk) -> String {
    let list = sample_list();
    StatusListTokenBuilder::new(URI, IAT, &list)
        .exp(EXP)
        .ttl(3_600)
        .issuer("https://status.example.gov")
        .sign(signer(provider, key, JwsAlgorithm::Es256).as_ref())
        .unwrap_or_else(|e| panic!("sign: {e}"))
}

/// Signs an arbitrary claims set as a compact JWS with the given `typ`.
fn sign_claims(provider: &CryptoProvider, key: &Jwk, typ: Option<&str>, claims: &Value) -> String {
    let s = signer(provider, key, JwsAlgorithm::Es256);
    jws::sign_compact(s.as_ref(), typ, &Map::new(), claims.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("sign: {e}"))
}

fn verify(
    provider: &CryptoProvider,
    token: &str,
    keys: &[Jwk],
    validation: &Validation<'_>,
) -> Result<VerifiedStatusListToken, Error> {
    UnverifiedStatusListToken::parse(token, &Limits::DEFAULT)?.verify(keys, provider, validation)
}

/// A valid claims set to start variations from.
fn claims() -> Value {
    json!({
        "sub": URI,
        "iat": IAT,
        "exp": EXP,
        "ttl": 3600,
        "status_list": {"bits": 1, "lst": "eNrbuRgAAhcBXQ"}
    })
}

fn without(mut v: Value, name: &str) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove(name);
    }
    v
}

fn with(mut v: Value, name: &str, value: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.insert(name.to_owned(), value);
    }
    v
}

sdjwt_test::for_each_provider! {
    fn round_trip(provider) -> Result<(), Error> {
        let k = key(JwsAlgorithm::Es256, "k1");
        let token = sign(&provider, &k);
        let unverified = UnverifiedStatusListToken::parse(&token, &Limits::DEFAULT)?;
        assert_eq!(unverified.header().typ(), Some("statuslist+jwt"));
        assert_eq!(unverified.kid(), Some("k1"));
        let verified = unverified.verify(&[k.to_public()], &provider, &Validation::new(URI, NOW))?;
        assert_eq!(verified.as_str(), token);
        assert_eq!(verified.sub(), URI);
        assert_eq!(verified.iat(), IAT);
        assert_eq!(verified.exp(), Some(EXP));
        assert_eq!(verified.ttl(), Some(3_600));
        assert_eq!(verified.iss(), Some("https://status.example.gov"));
        assert_eq!(verified.list().as_bytes(), sample_list().as_bytes());
        for (idx, expected) in [
            (0, Status::Valid),
            (10, Status::Invalid),
            (11, Status::Suspended),
            (12, Status::ApplicationSpecific(3)),
            (999, Status::Valid),
        ] {
            let reference = StatusReference::new(idx, URI)?;
            assert_eq!(check(&reference, &verified)?, expected, "idx {idx}");
            assert_eq!(verified.status_of(&reference)?, expected);
        }
        let claims = verified.claims()?;
        assert_eq!(claims.get("ttl"), Some(&json!(3600)));
        Ok(())
    }

    fn every_algorithm_the_provider_has(provider) -> Result<(), Error> {
        let list = sample_list();
        for alg in [JwsAlgorithm::Es256, JwsAlgorithm::Es384, JwsAlgorithm::Es512, JwsAlgorithm::EdDsa, JwsAlgorithm::Ps256, JwsAlgorithm::Rs256] {
            if !provider.supports(alg) {
                continue;
            }
            let k = sdjwt_test::fixture_key(alg);
            let token = StatusListTokenBuilder::new(URI, IAT, &list)
                .sign(signer(&provider, &k, alg).as_ref())?;
            let verified = verify(&provider, &token, &[k.to_public()], &Validation::new(URI, NOW))?;
            assert_eq!(verified.header().alg(), alg);
            assert_eq!(verified.exp(), None);
            assert_eq!(verified.ttl(), None);
        }
        Ok(())
    }

    fn two_phase_signing_and_verify_with(provider) -> Result<(), Error> {
        let k = key(JwsAlgorithm::Es256, "hsm-1");
        let list = sample_list();
        let builder = StatusListTokenBuilder::new(URI, IAT, &list).key_id("hsm-1").exp(EXP);
        // The signature is made "elsewhere", over the exact signing input.
        let input = builder.signing_input(JwsAlgorithm::Es256)?;
        let signature = signer(&provider, &k, JwsAlgorithm::Es256).try_sign(input.as_bytes())?;
        let token = input.into_compact(&signature);
        let verifier = provider.verifier(&k.to_public(), JwsAlgorithm::Es256)?;
        let verified = UnverifiedStatusListToken::parse(&token, &Limits::DEFAULT)?
            .verify_with(verifier.as_ref(), &Validation::new(URI, NOW))?;
        assert_eq!(verified.header().kid(), Some("hsm-1"));
        // A verifier for another key: invalid signature, nothing more.
        // `verify_with` trusts the caller's choice of key: the kid is not consulted.
        let same_key = provider.verifier(&key(JwsAlgorithm::Es256, "x").to_public(), JwsAlgorithm::Es256)?;
        let wrong_key = sdjwt_test::holder_key();
        let wrong = provider.verifier(&wrong_key.to_public(), JwsAlgorithm::Es256)?;
        assert_eq!(
            UnverifiedStatusListToken::parse(&token, &Limits::DEFAULT)?
                .verify_with(wrong.as_ref(), &Validation::new(URI, NOW)),
            Err(Error::InvalidSignature)
        );
        assert!(UnverifiedStatusListToken::parse(&token, &Limits::DEFAULT)?
            .verify_with(same_key.as_ref(), &Validation::new(URI, NOW))
            .is_ok());
        Ok(())
    }

    fn wrong_typ_is_refused(provider) {
        let k = key(JwsAlgorithm::Es256, "k1");
        for typ in [None, Some("JWT"), Some("statuslist+cwt"), Some("dc+sd-jwt")] {
            let token = sign_claims(&provider, &k, typ, &claims());
            assert_eq!(
                UnverifiedStatusListToken::parse(&token, &Limits::DEFAULT),
                Err(Error::WrongType { typ: typ.map(str::to_owned) }),
                "{typ:?}"
            );
        }
        // RFC 7515 §4.1.9: the `application/` prefix may be present, case does not matter.
        for typ in ["application/statuslist+jwt", "StatusList+JWT"] {
            let token = sign_claims(&provider, &k, Some(typ), &claims());
            assert!(verify(&provider, &token, &[k.to_public()], &Validation::new(URI, NOW)).is_ok(), "{typ}");
        }
    }

    fn wrong_sub_is_refused(provider) -> Result<(), Error> {
        let k = key(JwsAlgorithm::Es256, "k1");
        let token = sign(&provider, &k);
        let other = "https://status.example.gov/lists/2";
        assert_eq!(
            verify(&provider, &token, &[k.to_public()], &Validation::new(other, NOW)),
            Err(Error::SubjectMismatch { expected: other.into(), found: URI.into() })
        );
        // A reference into another list cannot be checked against this token either.
        let verified = verify(&provider, &token, &[k.to_public()], &Validation::new(URI, NOW))?;
        let reference = StatusReference::new(10, other)?;
        assert_eq!(
            check(&reference, &verified),
            Err(Error::SubjectMismatch { expected: other.into(), found: URI.into() })
        );
        // Equality is exact: no normalisation of case or trailing slashes.
        let slash = format!("{URI}/");
        assert!(verify(&provider, &token, &[k.to_public()], &Validation::new(&slash, NOW)).is_err());
        Ok(())
    }

    fn expiry_and_other_times(provider) {
        let k = key(JwsAlgorithm::Es256, "k1");
        let keys = [k.to_public()];
        let token = sign(&provider, &k);
        assert!(verify(&provider, &token, &keys, &Validation::new(URI, EXP - 1)).is_ok());
        assert_eq!(
            verify(&provider, &token, &keys, &Validation::new(URI, EXP)).err(),
            Some(Error::Expired { now: EXP, exp: EXP })
        );
        assert!(verify(&provider, &token, &keys, &Validation::new(URI, EXP + 59).leeway(60)).is_ok());
        assert_eq!(
            verify(&provider, &token, &keys, &Validation::new(URI, EXP + 60).leeway(60)).err(),
            Some(Error::Expired { now: EXP + 60, exp: EXP })
        );
        // Issued in the future.
        assert_eq!(
            verify(&provider, &token, &keys, &Validation::new(URI, IAT - 61).leeway(60)).err(),
            Some(Error::IssuedInFuture { now: IAT - 61, iat: IAT })
        );
        assert!(verify(&provider, &token, &keys, &Validation::new(URI, IAT - 60).leeway(60)).is_ok());
        // Freshness policy (§8.3 step 4.b).
        assert_eq!(
            verify(&provider, &token, &keys, &Validation::new(URI, NOW).max_age(599)).err(),
            Some(Error::TooOld { now: NOW, iat: IAT, max_age: 599 })
        );
        assert!(verify(&provider, &token, &keys, &Validation::new(URI, NOW).max_age(600)).is_ok());
        // nbf (RFC 7519 §4.1.5).
        let nbf = sign_claims(&provider, &k, Some("statuslist+jwt"), &with(claims(), "nbf", json!(NOW + 100)));
        assert_eq!(
            verify(&provider, &nbf, &keys, &Validation::new(URI, NOW)).err(),
            Some(Error::NotYetValid { now: NOW, nbf: NOW + 100 })
        );
        assert!(verify(&provider, &nbf, &keys, &Validation::new(URI, NOW + 100)).is_ok());
        // Fractional NumericDates are accepted (RFC 7519 §2), truncated.
        let frac = sign_claims(&provider, &k, Some("statuslist+jwt"), &with(claims(), "exp", json!(EXP as f64 + 0.5)));
        assert_eq!(
            verify(&provider, &frac, &keys, &Validation::new(URI, NOW)).map(|v| v.exp()),
            Ok(Some(EXP))
        );
    }

    fn caching_follows_ttl_and_exp(provider) -> Result<(), Error> {
        let k = key(JwsAlgorithm::Es256, "k1");
        let keys = [k.to_public()];
        let v = verify(&provider, &sign(&provider, &k), &keys, &Validation::new(URI, NOW))?;
        assert_eq!(v.cache_until(NOW), Some(NOW + 3_600));
        // ttl never stretches past exp.
        assert_eq!(v.cache_until(EXP - 10), Some(EXP));
        assert!(v.covers(IAT) && v.covers(EXP - 1));
        assert!(!v.covers(IAT - 1) && !v.covers(EXP));
        let no_ttl = sign_claims(&provider, &k, Some("statuslist+jwt"), &without(claims(), "ttl"));
        let v = verify(&provider, &no_ttl, &keys, &Validation::new(URI, NOW))?;
        assert_eq!(v.cache_until(NOW), Some(EXP));
        let neither = sign_claims(&provider, &k, Some("statuslist+jwt"), &without(without(claims(), "ttl"), "exp"));
        let v = verify(&provider, &neither, &keys, &Validation::new(URI, NOW))?;
        assert_eq!(v.cache_until(NOW), None);
        assert!(v.covers(i64::MAX));
        Ok(())
    }

    fn bad_signature_is_refused(provider) {
        let k = key(JwsAlgorithm::Es256, "k1");
        let token = sign(&provider, &k);
        let keys = [k.to_public()];
        // Swap the payload for another validly encoded one; keep header and signature.
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        parts[1] = sdjwt_jose::base64url::encode(with(claims(), "ttl", json!(1)).to_string());
        let tampered = parts.join(".");
        assert_eq!(
            verify(&provider, &tampered, &keys, &Validation::new(URI, NOW)).err(),
            Some(Error::InvalidSignature)
        );
        // Flip one bit of the signature.
        let mut sig = sdjwt_jose::base64url::decode(&parts[2]).unwrap_or_default();
        sig[0] ^= 1;
        let parts = [token.split('.').next().unwrap_or(""), token.split('.').nth(1).unwrap_or(""), &sdjwt_jose::base64url::encode(&sig)];
        assert_eq!(
            verify(&provider, &parts.join("."), &keys, &Validation::new(URI, NOW)).err(),
            Some(Error::InvalidSignature)
        );
    }

    fn key_selection(provider) {
        let k = key(JwsAlgorithm::Es256, "k1");
        let token = sign(&provider, &k);
        let v = Validation::new(URI, NOW);
        // A different P-256 key under the right kid: invalid signature.
        let impostor = sdjwt_test::issuer_key().with_kid("k1");
        assert_eq!(verify(&provider, &token, &[impostor.to_public()], &v).err(), Some(Error::InvalidSignature));
        // Only keys under other kids, or of the wrong type: no candidate at all.
        let other_kid = key(JwsAlgorithm::Es256, "k2");
        let ed = key(JwsAlgorithm::EdDsa, "k1");
        for keys in [vec![], vec![other_kid.to_public()], vec![ed.to_public()]] {
            assert_eq!(
                verify(&provider, &token, &keys, &v).err(),
                Some(Error::NoCandidateKey { kid: Some("k1".into()), alg: JwsAlgorithm::Es256 })
            );
        }
        // The right key among others, and a right key without any kid, both verify.
        let keys = [ed.to_public(), impostor.to_public(), other_kid.to_public(), k.to_public()];
        assert!(verify(&provider, &token, &keys, &v).is_ok());
        let no_kid = sdjwt_test::fixture_key(JwsAlgorithm::Es256);
        assert!(verify(&provider, &token, &[no_kid.to_public()], &v).is_ok());
        // A key restricted to another algorithm is no candidate.
        let es384_only = sdjwt_test::fixture_key(JwsAlgorithm::Es256).with_alg(JwsAlgorithm::Es384);
        assert!(matches!(verify(&provider, &token, &[es384_only.to_public()], &v), Err(Error::NoCandidateKey { .. })));
    }

    fn missing_and_mistyped_claims(provider) {
        let k = key(JwsAlgorithm::Es256, "k1");
        let keys = [k.to_public()];
        let cases = [
            (without(claims(), "sub"), Error::MissingMember { name: "sub" }),
            (without(claims(), "iat"), Error::MissingMember { name: "iat" }),
            (without(claims(), "status_list"), Error::MissingMember { name: "status_list" }),
            (with(claims(), "sub", json!(7)), Error::InvalidMember { name: "sub" }),
            (with(claims(), "iat", json!("yesterday")), Error::InvalidMember { name: "iat" }),
            (with(claims(), "exp", json!(null)), Error::InvalidMember { name: "exp" }),
            (with(claims(), "nbf", json!(1e300)), Error::InvalidMember { name: "nbf" }),
            (with(claims(), "ttl", json!(0)), Error::InvalidMember { name: "ttl" }),
            (with(claims(), "ttl", json!(-5)), Error::InvalidMember { name: "ttl" }),
            (with(claims(), "ttl", json!("3600")), Error::InvalidMember { name: "ttl" }),
            (with(claims(), "iss", json!(["a"])), Error::InvalidMember { name: "iss" }),
            (with(claims(), "status_list", json!("eNrbuRgAAhcBXQ")), Error::InvalidMember { name: "status_list" }),
            (with(claims(), "status_list", json!({"bits": 3, "lst": "eNrbuRgAAhcBXQ"})), Error::UnsupportedBits { value: 3 }),
            (with(claims(), "status_list", json!({"bits": 1, "lst": "eNrbuRgAAhcBXA"})), Error::Decompression),
        ];
        for (claims, expected) in cases {
            let token = sign_claims(&provider, &k, Some("statuslist+jwt"), &claims);
            assert_eq!(verify(&provider, &token, &keys, &Validation::new(URI, NOW)).err(), Some(expected), "{claims}");
        }
        // A payload that is not a JSON object.
        let s = signer(&provider, &k, JwsAlgorithm::Es256);
        let token = jws::sign_compact(s.as_ref(), Some("statuslist+jwt"), &Map::new(), b"[1,2]").unwrap_or_default();
        assert!(matches!(verify(&provider, &token, &keys, &Validation::new(URI, NOW)), Err(Error::Json(_))));
    }

    fn zip_bomb_in_a_signed_token(provider) {
        // Signed by the trusted key, so only the decompression cap stands in the way.
        let k = key(JwsAlgorithm::Es256, "k1");
        let mut limits = Limits::DEFAULT;
        limits.max_decompressed_bytes = 1 << 20;
        let big = StatusList::new(Bits::Eight, (1 << 20) + 1);
        let token = StatusListTokenBuilder::new(URI, IAT, &big)
            .sign(signer(&provider, &k, JwsAlgorithm::Es256).as_ref())
            .unwrap_or_default();
        assert!(token.len() < 4_096, "a million zero bytes compress to about 1 KB");
        let result = UnverifiedStatusListToken::parse(&token, &limits)
            .and_then(|t| t.verify(&[k.to_public()], &provider, &Validation::new(URI, NOW)));
        assert_eq!(result.err(), Some(Error::LimitExceeded { limit: Limit::DecompressedBytes, max: 1 << 20 }));
    }

    fn unsupported_algorithm_is_typed(provider) {
        // ES256K is known to sdjwt-jose; a provider that lacks it says so.
        if provider.supports(JwsAlgorithm::Es256K) {
            return;
        }
        let header = sdjwt_jose::base64url::encode(r#"{"alg":"ES256K","typ":"statuslist+jwt"}"#);
        let token = format!("{header}.e30.AAAA");
        assert!(matches!(
            verify(&provider, &token, &[], &Validation::new(URI, NOW)),
            Err(Error::Jose(sdjwt_jose::Error::UnsupportedAlgorithm { .. }))
        ));
    }
}

#[test]
fn token_size_is_capped() {
    let mut limits = Limits::DEFAULT;
    limits.max_token_bytes = 10;
    assert_eq!(
        UnverifiedStatusListToken::parse("eyJhbGciOiJFUzI1NiJ9.e30.AAAA", &limits),
        Err(Error::LimitExceeded {
            limit: Limit::TokenBytes,
            max: 10
        })
    );
}

#[test]
fn malformed_tokens_and_forbidden_algorithms() {
    let parse = |t: &str| UnverifiedStatusListToken::parse(t, &Limits::DEFAULT);
    assert!(matches!(parse("not a jwt"), Err(Error::Jose(_))));
    assert!(matches!(parse("a.b"), Err(Error::Jose(_))));
    for alg in ["none", "HS256"] {
        let header =
            sdjwt_jose::base64url::encode(format!(r#"{{"alg":"{alg}","typ":"statuslist+jwt"}}"#));
        assert!(
            matches!(
                parse(&format!("{header}.e30.")),
                Err(Error::Jose(sdjwt_jose::Error::ForbiddenAlgorithm { .. }))
            ),
            "{alg}"
        );
    }
}

#[test]
fn builder_refuses_what_it_cannot_publish() {
    let list = StatusList::new(Bits::One, 8);
    let k = sdjwt_test::fixture_key(JwsAlgorithm::Es256);
    let s = signer(&sdjwt_test::AWS_LC, &k, JwsAlgorithm::Es256);
    assert_eq!(
        StatusListTokenBuilder::new("lists/1", IAT, &list).sign(s.as_ref()),
        Err(Error::InvalidMember { name: "sub" })
    );
    assert_eq!(
        StatusListTokenBuilder::new(URI, IAT, &list)
            .ttl(0)
            .sign(s.as_ref()),
        Err(Error::InvalidMember { name: "ttl" })
    );
    assert_eq!(
        StatusListTokenBuilder::new(URI, IAT, &list)
            .aggregation_uri("not a uri")
            .sign(s.as_ref()),
        Err(Error::InvalidMember {
            name: "aggregation_uri"
        })
    );
    let claims = StatusListTokenBuilder::new(URI, IAT, &list)
        .aggregation_uri("https://status.example.gov/aggregation")
        .claims()
        .unwrap_or_default();
    // `lst` is what Python's zlib.compress(b"\x00", 9) gives, byte for byte.
    assert_eq!(
        claims.get("status_list"),
        Some(
            &json!({"bits": 1, "lst": "eNpjAAAAAQAB", "aggregation_uri": "https://status.example.gov/aggregation"})
        )
    );
    assert_eq!(
        claims.keys().collect::<Vec<_>>(),
        ["sub", "iat", "status_list"]
    );
}

#[test]
fn out_of_bounds_index_is_rejected() -> Result<(), Error> {
    let provider = sdjwt_test::AWS_LC;
    let k = key(JwsAlgorithm::Es256, "k1");
    let verified = verify(
        &provider,
        &sign(&provider, &k),
        &[k.to_public()],
        &Validation::new(URI, NOW),
    )?;
    // 1,000 2-bit entries fill 250 bytes exactly: the last index is 999.
    assert_eq!(verified.list().len(), 1_000);
    assert!(check(&StatusReference::new(999, URI)?, &verified).is_ok());
    for idx in [1_000, 1_001, u64::from(u32::MAX), u64::MAX] {
        assert_eq!(
            check(&StatusReference::new(idx, URI)?, &verified),
            Err(Error::IndexOutOfBounds {
                index: idx,
                len: 1_000
            })
        );
    }
    Ok(())
}
