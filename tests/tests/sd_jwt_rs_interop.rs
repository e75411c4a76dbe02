//! Cross-implementation tests against `sd-jwt-rs` 0.7.1 (the OpenWallet Foundation Labs Rust
//! implementation of draft-ietf-oauth-selective-disclosure-jwt-07).
//!
//! * sd-jwt-rs issues and presents, we verify, and our processed payload equals the one its own
//!   verifier outputs.
//! * We issue and present (by hand and with `sdjwt-holder`), sd-jwt-rs verifies and yields the
//!   same claims; each side's holder also presents the other side's SD-JWTs.
//! * Where draft-07/sd-jwt-rs and RFC 9901 differ, the tests pin the difference down (see
//!   `spec/sd-jwt-rs-differences.md`).
//!
//! sd-jwt-rs reads the system clock (KB-JWT `iat` when it presents, `exp` when it verifies), so
//! every SD-JWT here expires in 2100 and our side checks KB-JWTs made by sd-jwt-rs against the
//! system clock; everything else uses fixed times.

// Tests may panic: unwrap/expect are how a test reports an unexpected failure.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{DecodingKey, EncodingKey};
use sd_jwt_rs::issuer::ClaimsForSelectiveDisclosureStrategy as Strategy;
use sd_jwt_rs::{SDJWTHolder, SDJWTIssuer, SDJWTSerializationFormat as Format, SDJWTVerifier};
use sdjwt_core::{ClaimPath, Digest, Disclosure, KbClaims, KeyBindingJwt, Limits, SdJwt, UnixTime};
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_issuer::{Decoys, SdJwtBuilder};
use sdjwt_jose::jws::JsonSyntax;
use sdjwt_jose::{CryptoProvider, HashAlgorithm, Jwk, JwsAlgorithm};
use sdjwt_verifier::{Error, KeyBinding, Policy, StaticKeys, Verifier};
use serde_json::{Map, Value, json};

// --- keys -----------------------------------------------------------------------------------

/// Issuer key, P-256, PKCS#8 (sd-jwt-rs signs with `EncodingKey::from_ec_pem`).
const ISSUER_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWa3sI0FrZQWDSI2d
oulIeXKhRQabwn2NhsbGz7MNLI6hRANCAARTA54G0g90up3xaHwEVgyb9JU2AsGn
H4g0p1IBvDCFV+iBHZ0rUP2+JlxIklKUMj2+lP8DwUJZHNt4/5xNro5J
-----END PRIVATE KEY-----
";
/// The same issuer key's public half, SPKI (sd-jwt-rs verifies with `DecodingKey::from_ec_pem`).
const ISSUER_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEUwOeBtIPdLqd8Wh8BFYMm/SVNgLB
px+INKdSAbwwhVfogR2dK1D9viZcSJJSlDI9vpT/A8FCWRzbeP+cTa6OSQ==
-----END PUBLIC KEY-----
";
/// The same issuer key as a JWK (our side).
const ISSUER_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"UwOeBtIPdLqd8Wh8BFYMm_SVNgLBpx-INKdSAbwwhVc","y":"6IEdnStQ_b4mXEiSUpQyPb6U_wPBQlkc23j_nE2ujkk","d":"Wa3sI0FrZQWDSI2doulIeXKhRQabwn2NhsbGz7MNLI4"}"#;

/// Holder key, P-256, PKCS#8 (sd-jwt-rs signs KB-JWTs with it).
const HOLDER_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgm3Ov30lB1zv1YqqA
nksO2ip9GXUfGwVkaTdFWh3z6z6hRANCAAQju5kjS8k3bmgdNNdNh63W8TWDnbiz
dnTYAVgFGvHI3U9pTDQWrnz+FlLwoAekZl5i+jv+nldOL7ACWsRs/Uoj
-----END PRIVATE KEY-----
";
/// The same holder key as a private JWK (our side).
const HOLDER_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"I7uZI0vJN25oHTTXTYet1vE1g524s3Z02AFYBRrxyN0","y":"T2lMNBaufP4WUvCgB6RmXmL6O_6eV04vsAJaxGz9SiM","d":"m3Ov30lB1zv1YqqAnksO2ip9GXUfGwVkaTdFWh3z6z4"}"#;
/// The holder's public JWK, as it appears in `cnf.jwk`.
const HOLDER_PUBLIC_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"I7uZI0vJN25oHTTXTYet1vE1g524s3Z02AFYBRrxyN0","y":"T2lMNBaufP4WUvCgB6RmXmL6O_6eV04vsAJaxGz9SiM"}"#;

// --- fixed values ---------------------------------------------------------------------------

const ISS: &str = "https://issuer.example";
const IAT: UnixTime = 1_700_000_000;
/// 2100-01-01: sd-jwt-rs checks `exp` against the system clock and requires it.
const EXP: UnixTime = 4_102_444_800;
/// "Now" for our verifier when nothing sd-jwt-rs made with the system clock is involved.
const NOW: UnixTime = 1_750_000_000;
const AUD: &str = "https://verifier.example";
const NONCE: &str = "n-0S6_WzA2Mj";
/// How old a KB-JWT may be for our verifier (RFC 9901 §7.3 leaves this to policy).
const KB_MAX_AGE: u64 = 300;

fn provider() -> CryptoProvider {
    sdjwt_aws_lc::DEFAULT_PROVIDER
}

fn issuer_jwk() -> Jwk {
    Jwk::from_json_str(ISSUER_JWK).unwrap()
}

fn holder_jwk() -> Jwk {
    Jwk::from_json_str(HOLDER_JWK).unwrap()
}

fn holder_public_value() -> Value {
    serde_json::from_str(HOLDER_PUBLIC_JWK).unwrap()
}

fn system_now() -> UnixTime {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    UnixTime::try_from(secs).unwrap()
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

// --- sd-jwt-rs side -------------------------------------------------------------------------

fn rs_issue(claims: &Value, strategy: Strategy<'_>, bind: bool, decoys: bool, f: Format) -> String {
    let key = EncodingKey::from_ec_pem(ISSUER_PEM.as_bytes()).unwrap();
    let holder: Option<jsonwebtoken::jwk::Jwk> =
        bind.then(|| serde_json::from_str(HOLDER_PUBLIC_JWK).unwrap());
    SDJWTIssuer::new(key, Some("ES256".to_owned()))
        .issue_sd_jwt(claims.clone(), strategy, holder, decoys, f)
        .unwrap()
}

fn rs_present(sd_jwt: &str, disclose: &Value, kb: bool, f: Format) -> String {
    let mut holder = SDJWTHolder::new(sd_jwt.to_owned(), f).unwrap();
    let (nonce, aud, key) = if kb {
        (
            Some(NONCE.to_owned()),
            Some(AUD.to_owned()),
            Some(EncodingKey::from_ec_pem(HOLDER_PEM.as_bytes()).unwrap()),
        )
    } else {
        (None, None, None)
    };
    holder
        .create_presentation(
            obj(disclose.clone()),
            nonce,
            aud,
            key,
            Some("ES256".to_owned()),
        )
        .unwrap()
}

fn rs_issuer_key(_iss: &str, _header: &jsonwebtoken::Header) -> DecodingKey {
    DecodingKey::from_ec_pem(ISSUER_PUBLIC_PEM.as_bytes()).unwrap()
}

/// sd-jwt-rs's verifier; `kb` is `(aud, nonce)` when a KB-JWT is expected.
fn rs_verify(
    presentation: &str,
    kb: Option<(&str, &str)>,
    f: Format,
) -> Result<Value, sd_jwt_rs::error::Error> {
    SDJWTVerifier::new(
        presentation.to_owned(),
        Box::new(rs_issuer_key),
        kb.map(|(aud, _)| aud.to_owned()),
        kb.map(|(_, nonce)| nonce.to_owned()),
        f,
    )
    .map(|v| v.verified_claims)
}

// --- our side -------------------------------------------------------------------------------

/// Our verifier (`sdjwt-verifier`) with the issuer key trusted for [`ISS`]; `kb` is
/// `(aud, nonce)` when the policy requires key binding.
fn our_verify(presentation: &str, kb: Option<(&str, &str)>, now: UnixTime) -> Result<Value, Error> {
    let keys = StaticKeys::new().with_issuer_key(ISS, &issuer_jwk());
    our_verify_with(&keys, presentation, kb, now)
}

fn our_verify_with(
    keys: &StaticKeys,
    presentation: &str,
    kb: Option<(&str, &str)>,
    now: UnixTime,
) -> Result<Value, Error> {
    let key_binding = match kb {
        Some((aud, nonce)) => KeyBinding::Required {
            audience: aud.to_owned(),
            nonce: nonce.to_owned(),
            max_age: KB_MAX_AGE,
        },
        None => KeyBinding::NotRequired,
    };
    let policy = Policy::new(key_binding);
    Verifier::new(&provider(), keys)
        .verify(presentation, &policy, now)
        .map(|v| Value::Object(v.into_claims()))
}

/// Asserts that sd-jwt-rs rejected, with an error whose text contains `needle`.
fn rs_fails(result: Result<Value, sd_jwt_rs::error::Error>, needle: &str) {
    match result {
        Ok(claims) => panic!("sd-jwt-rs accepted: {claims}"),
        Err(e) => assert!(
            e.to_string().contains(needle),
            "sd-jwt-rs: {e}, expected {needle}"
        ),
    }
}

/// Asserts that our verifier rejected, with an error whose Debug text contains `needle`.
fn our_fails(result: Result<Value, Error>, needle: &str) {
    match result {
        Ok(claims) => panic!("we accepted: {claims}"),
        Err(e) => assert!(
            format!("{e:?}").contains(needle),
            "ours: {e:?}, expected {needle}"
        ),
    }
}

fn pointer(p: &str, claims: &Map<String, Value>) -> ClaimPath {
    ClaimPath::resolve_pointer(p, &Value::Object(claims.clone())).unwrap()
}

/// Issues with our issuer: `iss`, `iat`, `exp` set, the given pointers disclosable.
fn our_issue(claims: &Value, disclose: &[&str], decoys: Decoys, bind: bool) -> SdJwt {
    our_builder(claims, disclose, decoys, bind)
        .expires_at(EXP)
        .prepare(&provider())
        .unwrap()
        .sign(
            &*provider()
                .signer(&issuer_jwk(), JwsAlgorithm::Es256)
                .unwrap(),
        )
        .unwrap()
}

fn our_builder(
    claims: &Value,
    disclose: &[&str],
    decoys: Decoys,
    bind: bool,
) -> SdJwtBuilder<'static> {
    let claims = obj(claims.clone());
    let mut b = SdJwtBuilder::new(claims.clone())
        .issuer(ISS)
        .issued_at(IAT)
        .decoys(decoys);
    for p in disclose {
        b = b.disclose(pointer(p, &claims));
    }
    if bind {
        b = b.holder_key(&holder_jwk().to_public());
    }
    b
}

/// Keeps the Disclosures `keep` accepts (by claim name, or by value for array elements).
fn select(sd: &SdJwt, keep: impl Fn(&Disclosure) -> bool) -> SdJwt {
    sd.with_disclosures(
        sd.disclosures()
            .iter()
            .filter(|d| keep(d))
            .cloned()
            .collect(),
    )
}

/// Adds a KB-JWT made by us with the holder key.
fn bind(sd: SdJwt, iat: UnixTime, aud: &str, nonce: &str) -> SdJwt {
    let signer = provider()
        .signer(&holder_jwk(), JwsAlgorithm::Es256)
        .unwrap();
    let claims = KbClaims {
        iat,
        aud: aud.to_owned(),
        nonce: nonce.to_owned(),
        sd_hash: sd.sd_hash(&provider()).unwrap().as_str().to_owned(),
    };
    sd.with_key_binding(KeyBindingJwt::sign(&*signer, &claims).unwrap())
}

/// Signs an arbitrary payload with the issuer key (for hand-made malformed SD-JWTs).
fn sign_raw(payload: &Value) -> String {
    let signer = provider()
        .signer(&issuer_jwk(), JwsAlgorithm::Es256)
        .unwrap();
    sdjwt_jose::jws::sign_compact(&*signer, None, &Map::new(), payload.to_string().as_bytes())
        .unwrap()
}

fn b64(s: &str) -> String {
    sdjwt_jose::base64url::encode(s.as_bytes())
}

fn sha256(s: &str) -> String {
    Digest::compute(&provider(), HashAlgorithm::Sha256, s.as_bytes())
        .unwrap()
        .as_str()
        .to_owned()
}

fn person() -> Value {
    json!({
        "sub": "user-42",
        "given_name": "Erika",
        "family_name": "Mustermann",
        "email": "erika@example.com",
        "address": {
            "street_address": "Heidestraße 17",
            "locality": "Köln",
            "country": "DE"
        },
        "nationalities": ["DE", "FR", "US"]
    })
}

fn person_with_time() -> Value {
    let mut claims = person();
    claims["iss"] = ISS.into();
    claims["iat"] = IAT.into();
    claims["exp"] = EXP.into();
    claims
}

// --- sd-jwt-rs issues and presents, we verify -----------------------------------------------

#[test]
fn rs_flat_structured_and_array_elements_compact() {
    let sd_jwt = rs_issue(
        &person_with_time(),
        Strategy::Custom(vec![
            "$.given_name",
            "$.family_name",
            "$.email",
            "$.address.street_address",
            "$.address.locality",
            "$.nationalities[0]",
            "$.nationalities[2]",
        ]),
        false,
        false,
        Format::Compact,
    );
    let disclose = json!({
        "given_name": true,
        "family_name": false,
        "email": true,
        "address": {"street_address": true, "locality": false},
        "nationalities": [true, true, false]
    });
    let presentation = rs_present(&sd_jwt, &disclose, false, Format::Compact);

    let expected = json!({
        "iss": ISS, "iat": IAT, "exp": EXP,
        "sub": "user-42",
        "given_name": "Erika",
        "email": "erika@example.com",
        "address": {"street_address": "Heidestraße 17", "country": "DE"},
        "nationalities": ["DE", "FR"]
    });
    let theirs = rs_verify(&presentation, None, Format::Compact).unwrap();
    let ours = our_verify(&presentation, None, NOW).unwrap();
    assert_eq!(theirs, expected);
    assert_eq!(ours, theirs);

    // The issued SD-JWT itself (every Disclosure) is also a valid presentation for us.
    let mut full = person_with_time();
    full["nationalities"] = json!(["DE", "FR", "US"]);
    assert_eq!(our_verify(&sd_jwt, None, NOW).unwrap(), full);
    assert_eq!(rs_verify(&sd_jwt, None, Format::Compact).unwrap(), full);
}

#[test]
fn rs_recursive_all_levels_compact() {
    let sd_jwt = rs_issue(
        &person_with_time(),
        Strategy::AllLevels,
        false,
        false,
        Format::Compact,
    );
    // AllLevels makes `address` a recursive disclosure whose value has its own `_sd`, and
    // `nationalities` a disclosure of an array of `...` placeholders.
    let parsed = SdJwt::parse(&sd_jwt, &Limits::DEFAULT).unwrap();
    let address = parsed
        .disclosures()
        .iter()
        .find(|d| d.name() == Some("address"))
        .unwrap();
    assert!(address.value().get("_sd").is_some());

    let everything = json!({
        "sub": true, "given_name": true, "family_name": true, "email": true,
        "address": {"street_address": true, "locality": true, "country": true},
        "nationalities": [true, true, true]
    });
    let presentation = rs_present(&sd_jwt, &everything, false, Format::Compact);
    let theirs = rs_verify(&presentation, None, Format::Compact).unwrap();
    assert_eq!(theirs, person_with_time());
    assert_eq!(our_verify(&presentation, None, NOW).unwrap(), theirs);

    // Only part of the recursive object, and one array element.
    let some = json!({
        "address": {"locality": true},
        "nationalities": [false, true, false]
    });
    let presentation = rs_present(&sd_jwt, &some, false, Format::Compact);
    let expected = json!({
        "iss": ISS, "iat": IAT, "exp": EXP,
        "address": {"locality": "Köln"},
        "nationalities": ["FR"]
    });
    let theirs = rs_verify(&presentation, None, Format::Compact).unwrap();
    assert_eq!(theirs, expected);
    assert_eq!(our_verify(&presentation, None, NOW).unwrap(), theirs);
}

#[test]
fn rs_decoys_compact() {
    let sd_jwt = rs_issue(
        &person_with_time(),
        Strategy::AllLevels,
        false,
        true,
        Format::Compact,
    );
    let parsed = SdJwt::parse(&sd_jwt, &Limits::DEFAULT).unwrap();
    let processed = parsed.process(&provider(), &Limits::DEFAULT).unwrap();
    assert!(
        processed.undisclosed_digests >= 2,
        "sd-jwt-rs added no decoys"
    );

    let some = json!({"given_name": true, "address": {"country": true}});
    let presentation = rs_present(&sd_jwt, &some, false, Format::Compact);
    let expected = json!({
        "iss": ISS, "iat": IAT, "exp": EXP,
        "given_name": "Erika",
        "address": {"country": "DE"}
    });
    let theirs = rs_verify(&presentation, None, Format::Compact).unwrap();
    assert_eq!(theirs, expected);
    assert_eq!(our_verify(&presentation, None, NOW).unwrap(), theirs);
}

#[test]
fn rs_key_binding_compact() {
    let sd_jwt = rs_issue(
        &person_with_time(),
        Strategy::Custom(vec!["$.given_name", "$.email", "$.address"]),
        true,
        false,
        Format::Compact,
    );
    let disclose = json!({"given_name": true, "address": true});
    let presentation = rs_present(&sd_jwt, &disclose, true, Format::Compact);
    let kb = SdJwt::parse(&presentation, &Limits::DEFAULT).unwrap();
    let kb = kb.key_binding().unwrap();
    assert_eq!(kb.jws().header().typ(), Some("kb+jwt"));

    let expected = json!({
        "iss": ISS, "iat": IAT, "exp": EXP,
        "sub": "user-42",
        "given_name": "Erika",
        "family_name": "Mustermann",
        "address": person()["address"],
        "nationalities": ["DE", "FR", "US"],
        "cnf": {"jwk": holder_public_value()}
    });
    let now = system_now();
    let theirs = rs_verify(&presentation, Some((AUD, NONCE)), Format::Compact).unwrap();
    assert_eq!(theirs, expected);
    assert_eq!(
        our_verify(&presentation, Some((AUD, NONCE)), now).unwrap(),
        theirs
    );

    // Both sides reject a wrong nonce or audience.
    rs_fails(
        rs_verify(&presentation, Some((AUD, "other")), Format::Compact),
        "Invalid nonce",
    );
    our_fails(
        our_verify(&presentation, Some((AUD, "other")), now),
        "KbNonceMismatch",
    );
    rs_fails(
        rs_verify(&presentation, Some(("https://x", NONCE)), Format::Compact),
        "InvalidAudience",
    );
    our_fails(
        our_verify(&presentation, Some(("https://x", NONCE)), now),
        "KbAudienceMismatch",
    );

    // Both sides reject a KB-JWT whose sd_hash no longer matches (a Disclosure dropped).
    let (head, kb_jwt) = presentation.rsplit_once('~').unwrap();
    let (jwt, _) = head.split_once('~').unwrap();
    let dropped = format!("{jwt}~{kb_jwt}");
    rs_fails(
        rs_verify(&dropped, Some((AUD, NONCE)), Format::Compact),
        "Invalid digest in KB-JWT",
    );
    our_fails(
        our_verify(&dropped, Some((AUD, NONCE)), now),
        "KbSdHashMismatch",
    );
}

#[test]
fn rs_json_serialization_is_not_rfc9901_json() {
    let sd_jwt = rs_issue(
        &person_with_time(),
        Strategy::Custom(vec!["$.given_name", "$.address.locality"]),
        true,
        false,
        Format::JSON,
    );
    let disclose = json!({"given_name": true, "address": {"locality": true}});
    let presentation = rs_present(&sd_jwt, &disclose, true, Format::JSON);
    let theirs = rs_verify(&presentation, Some((AUD, NONCE)), Format::JSON).unwrap();
    assert_eq!(theirs["given_name"], "Erika");
    assert_eq!(theirs["address"]["locality"], "Köln");

    // sd-jwt-rs puts `disclosures` and `kb_jwt` at the top level next to the flattened JWS
    // members; RFC 9901 §8.1 puts them in the unprotected `header`.
    let shape = obj(serde_json::from_str(&presentation).unwrap());
    assert!(shape.contains_key("disclosures") && shape.contains_key("kb_jwt"));
    assert!(!shape.contains_key("header"));
    let now = system_now();
    our_fails(
        our_verify(&presentation, Some((AUD, NONCE)), now),
        "KeyBindingRequired",
    );
    // Without key binding it parses as a flattened JWS whose unknown top-level members are
    // ignored (RFC 7515 §7.2.1), so nothing selectively disclosable is disclosed.
    let bare = our_verify(&presentation, None, now).unwrap();
    assert_eq!(bare.get("given_name"), None);
    assert_eq!(
        bare["address"],
        json!({"street_address": "Heidestraße 17", "country": "DE"})
    );

    // sd-jwt-rs checks `sd_hash` only for the compact form: with a Disclosure removed, its
    // JSON verifier still accepts the KB-JWT.
    let mut fewer = shape.clone();
    fewer.insert("disclosures".into(), json!([]));
    let fewer = Value::Object(fewer).to_string();
    let accepted = rs_verify(&fewer, Some((AUD, NONCE)), Format::JSON).unwrap();
    assert_eq!(accepted.get("given_name"), None);

    // Moved into `header`, it is an RFC 9901 flattened JSON serialization we accept, with the
    // same claims and a KB-JWT whose sd_hash follows §8.1.
    let mut rfc = shape.clone();
    let disclosures = rfc.remove("disclosures").unwrap();
    let kb_jwt = rfc.remove("kb_jwt").unwrap();
    rfc.insert(
        "header".into(),
        json!({"disclosures": disclosures, "kb_jwt": kb_jwt}),
    );
    let rfc = Value::Object(rfc).to_string();
    assert_eq!(our_verify(&rfc, Some((AUD, NONCE)), now).unwrap(), theirs);
    // ... and there a removed Disclosure breaks `sd_hash` (RFC 9901 §8.1).
    let mut rfc_fewer = obj(serde_json::from_str(&rfc).unwrap());
    rfc_fewer["header"]["disclosures"] = json!([]);
    let rfc_fewer = Value::Object(rfc_fewer).to_string();
    our_fails(
        our_verify(&rfc_fewer, Some((AUD, NONCE)), now),
        "KbSdHashMismatch",
    );
}

// --- we issue and present, sd-jwt-rs verifies -----------------------------------------------

const OUR_DISCLOSABLE: &[&str] = &[
    "/given_name",
    "/family_name",
    "/email",
    "/address",
    "/address/street_address",
    "/address/locality",
    "/nationalities/0",
    "/nationalities/2",
];

#[test]
fn ours_compact_verified_by_rs() {
    // Default decoys: sd-jwt-rs ignores digests it has no Disclosure for.
    let sd = our_issue(&person(), OUR_DISCLOSABLE, Decoys::Exact(3), false);

    // Everything.
    let full = sd.to_compact();
    let theirs = rs_verify(&full, None, Format::Compact).unwrap();
    assert_eq!(theirs, person_with_time());
    assert_eq!(our_verify(&full, None, NOW).unwrap(), theirs);

    // A subset: the recursive `address` with only `locality`, and the "US" element.
    let subset = select(&sd, |d| match d.name() {
        Some(name) => ["given_name", "address", "locality"].contains(&name),
        None => d.value() == "US",
    });
    let presentation = subset.to_compact();
    let expected = json!({
        "iss": ISS, "iat": IAT, "exp": EXP,
        "sub": "user-42",
        "given_name": "Erika",
        "address": {"locality": "Köln", "country": "DE"},
        "nationalities": ["FR", "US"]
    });
    let theirs = rs_verify(&presentation, None, Format::Compact).unwrap();
    assert_eq!(theirs, expected);
    assert_eq!(our_verify(&presentation, None, NOW).unwrap(), theirs);
}

#[test]
fn ours_key_binding_verified_by_rs() {
    let sd = our_issue(
        &person(),
        OUR_DISCLOSABLE,
        Decoys::Random { min: 1, max: 4 },
        true,
    );
    let subset = select(&sd, |d| d.name() == Some("email"));
    let presentation = bind(subset.clone(), NOW, AUD, NONCE).to_compact();

    let mut expected = person_with_time();
    let m = expected.as_object_mut().unwrap();
    m.remove("given_name");
    m.remove("family_name");
    m.remove("address");
    m.insert("nationalities".into(), json!(["FR"]));
    m.insert("cnf".into(), json!({"jwk": holder_public_value()}));

    let theirs = rs_verify(&presentation, Some((AUD, NONCE)), Format::Compact).unwrap();
    assert_eq!(theirs, expected);
    assert_eq!(
        our_verify(&presentation, Some((AUD, NONCE)), NOW).unwrap(),
        theirs
    );

    // sd-jwt-rs rejects our KB-JWT for another nonce or audience, or with a stale sd_hash.
    rs_fails(
        rs_verify(&presentation, Some((AUD, "other")), Format::Compact),
        "Invalid nonce",
    );
    rs_fails(
        rs_verify(&presentation, Some(("https://x", NONCE)), Format::Compact),
        "InvalidAudience",
    );
    let stale = bind(sd.clone(), NOW, AUD, NONCE);
    let stale = subset
        .with_key_binding(stale.key_binding().unwrap().clone())
        .to_compact();
    rs_fails(
        rs_verify(&stale, Some((AUD, NONCE)), Format::Compact),
        "Invalid digest in KB-JWT",
    );
    our_fails(
        our_verify(&stale, Some((AUD, NONCE)), NOW),
        "KbSdHashMismatch",
    );
}

#[test]
fn ours_issued_rs_holder_presents() {
    // No decoys: sd-jwt-rs's holder selects array elements by position and panics on a decoy
    // position (see the differences note).
    let sd = our_issue(&person(), OUR_DISCLOSABLE, Decoys::None, true);
    let issued = sd.to_compact();
    let disclose = json!({
        "family_name": true,
        "address": {"street_address": true},
        "nationalities": [true, true, true]
    });
    let presentation = rs_present(&issued, &disclose, true, Format::Compact);

    let mut expected = person_with_time();
    let m = expected.as_object_mut().unwrap();
    m.remove("given_name");
    m.remove("email");
    m.insert(
        "address".into(),
        json!({"street_address": "Heidestraße 17", "country": "DE"}),
    );
    m.insert("cnf".into(), json!({"jwk": holder_public_value()}));

    let theirs = rs_verify(&presentation, Some((AUD, NONCE)), Format::Compact).unwrap();
    assert_eq!(theirs, expected);
    assert_eq!(
        our_verify(&presentation, Some((AUD, NONCE)), system_now()).unwrap(),
        theirs
    );
}

#[test]
fn ours_json_serialization_needs_reshaping_for_rs() {
    let prepared = our_builder(&person(), OUR_DISCLOSABLE, Decoys::None, false)
        .expires_at(EXP)
        .prepare(&provider())
        .unwrap();
    let signer = provider()
        .signer(&issuer_jwk(), JwsAlgorithm::Es256)
        .unwrap();
    let sd = prepared
        .sign_json(&[&*signer], JsonSyntax::Flattened)
        .unwrap();
    let rfc = Value::Object(sd.to_json(JsonSyntax::Flattened).unwrap()).to_string();
    assert_eq!(our_verify(&rfc, None, NOW).unwrap(), person_with_time());

    // RFC 9901 §8.1 flattened form: sd-jwt-rs cannot parse it (no top-level `disclosures`).
    rs_fails(
        rs_verify(&rfc, None, Format::JSON),
        "missing field `disclosures`",
    );

    // Reshaped into sd-jwt-rs's layout, the same signature and Disclosures verify there.
    let mut theirs_shape = obj(serde_json::from_str(&rfc).unwrap());
    let header = obj(theirs_shape.remove("header").unwrap());
    theirs_shape.insert("disclosures".into(), header["disclosures"].clone());
    let theirs_shape = Value::Object(theirs_shape).to_string();
    assert_eq!(
        rs_verify(&theirs_shape, None, Format::JSON).unwrap(),
        person_with_time()
    );
}

// --- overlap of strictness: both reject -----------------------------------------------------

#[test]
fn both_reject_a_digest_that_appears_twice() {
    let disclosure = b64(r#"["c2FsdHNhbHRzYWx0", "given_name", "Erika"]"#);
    let digest = sha256(&disclosure);
    let jwt = sign_raw(&json!({
        "iss": ISS, "iat": IAT, "exp": EXP,
        "_sd": [digest, digest],
        "_sd_alg": "sha-256"
    }));
    let presentation = format!("{jwt}~{disclosure}~");
    assert!(matches!(
        rs_verify(&presentation, None, Format::Compact),
        Err(sd_jwt_rs::error::Error::DuplicateDigestError(_))
    ));
    our_fails(our_verify(&presentation, None, NOW), "DuplicateDigest");

    // The same Disclosure sent twice.
    let jwt = sign_raw(&json!({"iss": ISS, "exp": EXP, "_sd": [digest]}));
    let presentation = format!("{jwt}~{disclosure}~{disclosure}~");
    assert!(matches!(
        rs_verify(&presentation, None, Format::Compact),
        Err(sd_jwt_rs::error::Error::DuplicateDigestError(_))
    ));
    our_fails(our_verify(&presentation, None, NOW), "DuplicateDisclosure");
}

#[test]
fn both_reject_a_wrong_issuer_signature() {
    let sd_jwt = rs_issue(
        &person_with_time(),
        Strategy::TopLevel,
        false,
        false,
        Format::Compact,
    );
    // Change one character in the middle of the signature (still canonical base64url).
    let (jwt, rest) = sd_jwt.split_once('~').unwrap();
    let mut jwt = jwt.as_bytes().to_vec();
    let at = jwt.len() - 20;
    jwt[at] = if jwt[at] == b'A' { b'B' } else { b'A' };
    let tampered = format!("{}~{rest}", String::from_utf8(jwt).unwrap());
    rs_fails(
        rs_verify(&tampered, None, Format::Compact),
        "InvalidSignature",
    );
    our_fails(our_verify(&tampered, None, NOW), "InvalidSignature");
}

// --- differences: sd-jwt-rs (draft-07) vs RFC 9901 ------------------------------------------

/// RFC 9901 §7.1 step 5: every Disclosure must be referenced. sd-jwt-rs drops unreferenced ones
/// silently.
#[test]
fn diff_unreferenced_disclosure_accepted_by_rs_only() {
    let sd_jwt = rs_issue(
        &person_with_time(),
        Strategy::Custom(vec!["$.given_name"]),
        false,
        false,
        Format::Compact,
    );
    let stray = b64(r#"["c2FsdHNhbHRzYWx0", "admin", true]"#);
    let presentation = format!("{sd_jwt}{stray}~");
    let theirs = rs_verify(&presentation, None, Format::Compact).unwrap();
    assert_eq!(theirs, person_with_time());
    our_fails(
        our_verify(&presentation, None, NOW),
        "UnreferencedDisclosure",
    );
}

/// RFC 9901 §7.1 step 3.c.ii.2 (via §4.2.1): a Disclosure may not name `_sd` or `...`.
/// sd-jwt-rs copies such a claim into its output.
#[test]
fn diff_disclosure_named_sd_accepted_by_rs_only() {
    let disclosure = b64(r#"["c2FsdHNhbHRzYWx0", "_sd", "x"]"#);
    let jwt = sign_raw(&json!({
        "iss": ISS, "exp": EXP,
        "_sd": [sha256(&disclosure)],
        "_sd_alg": "sha-256"
    }));
    let presentation = format!("{jwt}~{disclosure}~");
    let theirs = rs_verify(&presentation, None, Format::Compact).unwrap();
    assert_eq!(theirs["_sd"], "x");
    our_fails(
        our_verify(&presentation, None, NOW),
        "ReservedName { name: \"_sd\" }",
    );
}

/// RFC 9901 allows empty arrays as claim values; sd-jwt-rs's verifier rejects any empty array,
/// even one its own issuer produced.
#[test]
fn diff_empty_array_rejected_by_rs() {
    let mut claims = person_with_time();
    claims["tags"] = json!([]);
    let sd_jwt = rs_issue(
        &claims,
        Strategy::Custom(vec!["$.given_name"]),
        false,
        false,
        Format::Compact,
    );
    assert!(matches!(
        rs_verify(&sd_jwt, None, Format::Compact),
        Err(sd_jwt_rs::error::Error::InvalidArrayDisclosureObject(_))
    ));
    assert_eq!(our_verify(&sd_jwt, None, NOW).unwrap(), claims);

    let mut claims = person();
    claims["tags"] = json!([]);
    let ours = our_issue(&claims, &["/given_name"], Decoys::None, false).to_compact();
    rs_fails(
        rs_verify(&ours, None, Format::Compact),
        "Array of disclosed claims cannot be empty",
    );
    assert_eq!(our_verify(&ours, None, NOW).unwrap()["tags"], json!([]));
}

/// sd-jwt-rs verifies the Issuer-signed JWT with jsonwebtoken's default validation: `exp` is
/// required and a top-level `aud` is rejected whatever it says. RFC 9901 makes neither required;
/// RFC 7519 §4.1.3 only requires that `aud` name the verifier, which ours checks.
#[test]
fn diff_rs_requires_exp_and_forbids_aud() {
    let sd = our_builder(&person(), &["/given_name"], Decoys::None, false)
        .prepare(&provider())
        .unwrap()
        .sign(
            &*provider()
                .signer(&issuer_jwk(), JwsAlgorithm::Es256)
                .unwrap(),
        )
        .unwrap()
        .to_compact();
    rs_fails(
        rs_verify(&sd, None, Format::Compact),
        "Missing required claim: exp",
    );
    assert!(our_verify(&sd, None, NOW).is_ok());

    let mut claims = person();
    claims["aud"] = "https://some-rp.example".into();
    let sd = our_issue(&claims, &["/given_name"], Decoys::None, false).to_compact();
    rs_fails(rs_verify(&sd, None, Format::Compact), "InvalidAudience");
    // Ours: accepted by the verifier it names, refused by one that does not know who it is.
    let keys = StaticKeys::new().with_issuer_key(ISS, &issuer_jwk());
    let policy = Policy::new(KeyBinding::NotRequired).with_audience("https://some-rp.example");
    assert!(
        Verifier::new(&provider(), &keys)
            .verify(&sd, &policy, NOW)
            .is_ok()
    );
    assert_eq!(
        our_verify(&sd, None, NOW),
        Err(Error::AudienceMismatch { expected: None })
    );
}

/// sd-jwt-rs indexes `payload["iss"]` and panics when the Issuer-signed JWT has no `iss`
/// (RFC 9901 does not require `iss`).
#[test]
fn diff_rs_panics_without_iss() {
    let sd = SdJwtBuilder::new(obj(person()))
        .expires_at(EXP)
        .decoys(Decoys::None)
        .disclose(pointer("/given_name", &obj(person())))
        .prepare(&provider())
        .unwrap()
        .sign(
            &*provider()
                .signer(&issuer_jwk(), JwsAlgorithm::Es256)
                .unwrap(),
        )
        .unwrap()
        .to_compact();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        rs_verify(&sd, None, Format::Compact).is_ok()
    }));
    assert!(outcome.is_err(), "sd-jwt-rs did not panic: {outcome:?}");
    // We verify it with a key trusted for SD-JWTs without `iss`.
    let keys = StaticKeys::new().with_key(&issuer_jwk());
    assert_eq!(
        our_verify_with(&keys, &sd, None, NOW).unwrap()["given_name"],
        "Erika"
    );
}

/// sd-jwt-rs supports only `_sd_alg: sha-256` (RFC 9901 §4.1.1 allows any IANA hash name).
#[test]
fn diff_rs_only_sha256() {
    let sd = our_builder(&person(), OUR_DISCLOSABLE, Decoys::None, false)
        .expires_at(EXP)
        .hash_algorithm(HashAlgorithm::Sha384)
        .prepare(&provider())
        .unwrap()
        .sign(
            &*provider()
                .signer(&issuer_jwk(), JwsAlgorithm::Es256)
                .unwrap(),
        )
        .unwrap()
        .to_compact();
    rs_fails(
        rs_verify(&sd, None, Format::Compact),
        "Invalid hash algorithm",
    );
    assert_eq!(our_verify(&sd, None, NOW).unwrap(), person_with_time());
}

/// sd-jwt-rs never looks at the KB-JWT `iat` (RFC 9901 §7.3 step 5.e: the Verifier must check
/// that the creation time is within an acceptable window).
#[test]
fn diff_rs_ignores_kb_jwt_iat() {
    let sd = our_issue(&person(), &["/email"], Decoys::None, true);
    let old = bind(sd.clone(), 1_000, AUD, NONCE).to_compact();
    assert!(rs_verify(&old, Some((AUD, NONCE)), Format::Compact).is_ok());
    our_fails(our_verify(&old, Some((AUD, NONCE)), NOW), "KbTooOld");
    let future = bind(sd, NOW + 3600, AUD, NONCE).to_compact();
    assert!(rs_verify(&future, Some((AUD, NONCE)), Format::Compact).is_ok());
    our_fails(
        our_verify(&future, Some((AUD, NONCE)), NOW),
        "KbIssuedInFuture",
    );
}

/// sd-jwt-rs issues without a `typ` header and always writes `_sd_alg`; it keeps `iss`, `iat`
/// and `exp` plaintext whatever the strategy.
#[test]
fn diff_rs_issuer_header_and_payload_shape() {
    let sd_jwt = rs_issue(
        &person_with_time(),
        Strategy::AllLevels,
        false,
        false,
        Format::Compact,
    );
    let parsed = SdJwt::parse(&sd_jwt, &Limits::DEFAULT).unwrap();
    assert_eq!(parsed.header().typ(), None);
    assert_eq!(parsed.payload()["_sd_alg"], "sha-256");
    for name in ["iss", "iat", "exp"] {
        assert!(parsed.payload().contains_key(name), "{name} not plaintext");
    }
    // Compact SD-JWT without KB-JWT ends in '~' (RFC 9901 §4).
    assert!(sd_jwt.ends_with('~'));
}

// --- our holder (sdjwt-holder) between the two ----------------------------------------------

fn our_holder_present(issued: &str, pointers: &[&str], kb_iat: UnixTime) -> String {
    let p = provider();
    let credential = Credential::accept(
        issued,
        &p,
        &[issuer_jwk().to_public()],
        &AcceptOptions::new(NOW),
    )
    .unwrap();
    let paths: Vec<ClaimPath> = pointers
        .iter()
        .map(|ptr| credential.pointer(ptr).unwrap())
        .collect();
    let signer = p.signer(&holder_jwk(), JwsAlgorithm::Es256).unwrap();
    let request = KeyBindingRequest {
        signer: &*signer,
        audience: AUD,
        nonce: NONCE,
        issued_at: kb_iat,
    };
    credential
        .present(&paths, Some(&request), &p)
        .unwrap()
        .to_compact()
}

#[test]
fn rs_issued_our_holder_presents() {
    // Recursive disclosures, array elements and decoys from sd-jwt-rs.
    let sd_jwt = rs_issue(
        &person_with_time(),
        Strategy::AllLevels,
        true,
        true,
        Format::Compact,
    );
    let presentation = our_holder_present(
        &sd_jwt,
        &["/given_name", "/address/locality", "/nationalities/1"],
        NOW,
    );
    let expected = json!({
        "iss": ISS, "iat": IAT, "exp": EXP,
        "given_name": "Erika",
        "address": {"locality": "Köln"},
        "nationalities": ["FR"],
        "cnf": {"jwk": holder_public_value()}
    });
    let theirs = rs_verify(&presentation, Some((AUD, NONCE)), Format::Compact).unwrap();
    assert_eq!(theirs, expected);
    assert_eq!(
        our_verify(&presentation, Some((AUD, NONCE)), NOW).unwrap(),
        theirs
    );
}

#[test]
fn ours_issued_our_holder_presents_rs_verifies() {
    let sd = our_issue(
        &person(),
        OUR_DISCLOSABLE,
        Decoys::Random { min: 1, max: 4 },
        true,
    );
    let presentation = our_holder_present(
        &sd.to_compact(),
        &[
            "/family_name",
            "/address/street_address",
            "/nationalities/2",
        ],
        NOW,
    );
    let expected = json!({
        "iss": ISS, "iat": IAT, "exp": EXP,
        "sub": "user-42",
        "family_name": "Mustermann",
        "address": {"street_address": "Heidestraße 17", "country": "DE"},
        "nationalities": ["FR", "US"],
        "cnf": {"jwk": holder_public_value()}
    });
    let theirs = rs_verify(&presentation, Some((AUD, NONCE)), Format::Compact).unwrap();
    assert_eq!(theirs, expected);
    assert_eq!(
        our_verify(&presentation, Some((AUD, NONCE)), NOW).unwrap(),
        theirs
    );
}
