//! The must-reject suite: hostile or malformed SD-JWTs and presentations, each refused with the
//! specific typed error for the rule it breaks (RFC 9901 §4, §7.1, §7.3, §8.4).
//!
//! Every case is forged by hand (payloads, Disclosures and KB-JWTs written out and signed with
//! the RFC 9901 Appendix A.5 example keys), so the rule under test is the only thing wrong, and
//! runs once per crypto provider.

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used)]

use sdjwt_core::{DisclosureError, Error as CoreError, Limit, Limits};
use sdjwt_jose::base64url::{self, Base64Error};
use sdjwt_jose::json::JsonError;
use sdjwt_jose::{CryptoProvider, Error as JoseError, HashAlgorithm, JwsAlgorithm, JwsError};
use sdjwt_test::{holder_key, issuer_key};
use sdjwt_verifier::{Error, KeyBinding, Policy, StaticKeys, Verifier};
use serde_json::{Map, Value, json};

const NOW: i64 = 1_800_000_000;
const ISS: &str = "https://issuer.example.com";
const AUD: &str = "https://verifier.example.org";
const NONCE: &str = "1234567890";

// --- forging helpers -------------------------------------------------------------------------

/// Base64url of a Disclosure's JSON text.
fn disc(json_text: &str) -> String {
    base64url::encode(json_text)
}

/// The sha-256 digest of a Disclosure.
fn dig(p: &CryptoProvider, d: &str) -> String {
    base64url::encode(
        p.digest(HashAlgorithm::Sha256, d.as_bytes())
            .expect("digest")
            .as_bytes(),
    )
}

fn b64json(v: &Value) -> String {
    base64url::encode(v.to_string())
}

/// Signs arbitrary header and payload bytes with the issuer key.
fn sign_raw(p: &CryptoProvider, header: &Value, payload: &str) -> String {
    let signer = p
        .signer(&issuer_key(), JwsAlgorithm::Es256)
        .expect("issuer signer");
    let input = format!("{}.{}", b64json(header), base64url::encode(payload));
    let sig = signer.try_sign(input.as_bytes()).expect("sign");
    format!("{input}.{}", base64url::encode(sig))
}

fn es256() -> Value {
    json!({"alg": "ES256", "typ": "example+sd-jwt"})
}

/// A baseline payload: issuer, times, holder key, plus `extra` members.
fn payload(extra: Value) -> Value {
    let mut m = json!({
        "iss": ISS, "iat": NOW - 60, "exp": NOW + 3600,
        "cnf": {"jwk": holder_key().to_public().to_json()},
        "_sd_alg": "sha-256"
    });
    let obj = m.as_object_mut().expect("object");
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        obj.insert(k, v);
    }
    m
}

/// `<jwt>~<d1>~...~` for a payload signed by the issuer.
fn sd_jwt(p: &CryptoProvider, payload: &Value, disclosures: &[&str]) -> String {
    let mut s = sign_raw(p, &es256(), &payload.to_string());
    s.push('~');
    for d in disclosures {
        s.push_str(d);
        s.push('~');
    }
    s
}

/// A KB-JWT over `sd_jwt_part` with the holder key, with header and claims overridable.
fn kb_with(
    p: &CryptoProvider,
    sd_jwt_part: &str,
    header: Value,
    claims: impl FnOnce(&mut Map<String, Value>),
) -> String {
    let mut c = json!({"iat": NOW, "aud": AUD, "nonce": NONCE, "sd_hash": dig(p, sd_jwt_part)});
    claims(c.as_object_mut().expect("object"));
    let signer = p
        .signer(&holder_key(), JwsAlgorithm::Es256)
        .expect("holder signer");
    let input = format!("{}.{}", b64json(&header), b64json(&c));
    let sig = signer.try_sign(input.as_bytes()).expect("sign");
    format!("{input}.{}", base64url::encode(sig))
}

fn kb(p: &CryptoProvider, sd_jwt_part: &str) -> String {
    kb_with(
        p,
        sd_jwt_part,
        json!({"alg": "ES256", "typ": "kb+jwt"}),
        |_| {},
    )
}

fn keys() -> StaticKeys {
    StaticKeys::new().with_issuer_key(ISS, &issuer_key().to_public())
}

fn no_kb() -> Policy {
    Policy::new(KeyBinding::NotRequired)
}

fn with_kb() -> Policy {
    Policy::new(KeyBinding::required(AUD, NONCE))
}

fn verify(p: &CryptoProvider, text: &str, policy: &Policy) -> Result<(), Error> {
    let keys = keys();
    Verifier::new(p, &keys)
        .verify(text, policy, NOW)
        .map(|_| ())
}

fn core(e: CoreError) -> Result<(), Error> {
    Err(Error::Core(e))
}

fn jose(e: JoseError) -> Result<(), Error> {
    Err(Error::Core(CoreError::Jose(e)))
}

fn bad_disclosure(index: usize, error: DisclosureError) -> Result<(), Error> {
    core(CoreError::Disclosure { index, error })
}

/// A well-formed SD-JWT with one disclosable claim, and that Disclosure.
fn one_claim(p: &CryptoProvider) -> (Value, String) {
    let d = disc(r#"["salt-1","right_to_work",true]"#);
    (payload(json!({"_sd": [dig(p, &d)]})), d)
}

sdjwt_test::for_each_provider! {
    // --- baselines: the forging helpers make valid input -------------------------------------

    fn baseline_without_key_binding_verifies(p) {
        let (pl, d) = one_claim(&p);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), Ok(()));
    }

    fn baseline_with_key_binding_verifies(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        assert_eq!(verify(&p, &format!("{s}{}", kb(&p, &s)), &with_kb()), Ok(()));
    }

    // --- §4: compact grammar ------------------------------------------------------------------

    fn bare_jwt_without_tilde(p) {
        let (pl, _) = one_claim(&p);
        let jwt = sign_raw(&p, &es256(), &pl.to_string());
        assert_eq!(verify(&p, &jwt, &no_kb()), core(CoreError::MissingTilde));
    }

    fn empty_disclosure_between_tildes(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let jwt = s.split('~').next().expect("jwt");
        assert_eq!(verify(&p, &format!("{jwt}~~{d}~"), &no_kb()), core(CoreError::EmptyDisclosure { index: 0 }));
    }

    fn key_binding_required_but_absent(p) {
        let (pl, d) = one_claim(&p);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &with_kb()), Err(Error::KeyBindingRequired));
    }

    fn jwt_with_four_parts(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let text = s.replacen('~', ".AAAA~", 1);
        assert_eq!(verify(&p, &text, &no_kb()), jose(JoseError::Jws(JwsError::WrongPartCount { found: 4 })));
    }

    // --- §4.2: Disclosure format --------------------------------------------------------------

    fn disclosure_with_padding(p) {
        let d = disc(r#"["s","a",1]"#) + "=";
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        let pos = d.len() - 1;
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), bad_disclosure(0, DisclosureError::Base64(Base64Error::Padding { position: pos })));
    }

    fn disclosure_with_standard_alphabet(p) {
        let d = "WyJzIiwiYSIsMV0+";
        let pl = payload(json!({"_sd": [dig(&p, d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[d]), &no_kb()), bad_disclosure(0, DisclosureError::Base64(Base64Error::InvalidCharacter { position: 15 })));
    }

    fn disclosure_with_non_canonical_trailing_bits(p) {
        // `["s","a",1]` is 11 bytes: its last character carries 2 unused bits; set them.
        let good = disc(r#"["s","a",1]"#);
        assert_eq!(good.len() % 4, 3, "two unused trailing bits");
        const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let last = good.chars().last().expect("char");
        let value = ALPHABET.find(last).expect("alphabet");
        let bumped = ALPHABET.chars().nth(value | 1).expect("alphabet");
        let d = format!("{}{}", &good[..good.len() - 1], bumped);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), bad_disclosure(0, DisclosureError::Base64(Base64Error::NonCanonical)));
    }

    fn disclosure_not_json(p) {
        let d = disc(r#"["s","a",1"#);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        let r = verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb());
        assert!(matches!(r, Err(Error::Core(CoreError::Disclosure { index: 0, error: DisclosureError::Json(JsonError::Syntax { .. }) }))), "{r:?}");
    }

    fn disclosure_is_an_object(p) {
        let d = disc(r#"{"salt":"s","name":"a"}"#);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), bad_disclosure(0, DisclosureError::WrongShape));
    }

    fn disclosure_with_one_element(p) {
        let d = disc(r#"["s"]"#);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), bad_disclosure(0, DisclosureError::WrongShape));
    }

    fn disclosure_with_four_elements(p) {
        let d = disc(r#"["s","a",1,2]"#);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), bad_disclosure(0, DisclosureError::WrongShape));
    }

    fn disclosure_salt_not_a_string(p) {
        let d = disc(r#"[42,"a",1]"#);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), bad_disclosure(0, DisclosureError::SaltNotString));
    }

    fn disclosure_name_not_a_string(p) {
        let d = disc(r#"["s",7,1]"#);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), bad_disclosure(0, DisclosureError::NameNotString));
    }

    fn disclosure_named_sd(p) {
        let d = disc(r#"["s","_sd",["x"]]"#);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), bad_disclosure(0, DisclosureError::ReservedName { name: "_sd".into() }));
    }

    fn disclosure_named_ellipsis(p) {
        let d = disc(r#"["s","...","x"]"#);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), bad_disclosure(0, DisclosureError::ReservedName { name: "...".into() }));
    }

    fn disclosure_with_duplicate_member_inside_value(p) {
        let d = disc(r#"["s","address",{"street":"a","street":"b"}]"#);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), bad_disclosure(0, DisclosureError::Json(JsonError::DuplicateMember { name: "street".into() })));
    }

    // --- §7.1 step 2: the Issuer-signed JWT ---------------------------------------------------

    fn alg_none(p) {
        let (pl, d) = one_claim(&p);
        let text = format!("{}.{}.~{d}~", b64json(&json!({"alg": "none"})), b64json(&pl));
        assert_eq!(verify(&p, &text, &no_kb()), jose(JoseError::ForbiddenAlgorithm { name: "none".into() }));
    }

    fn alg_hmac(p) {
        let (pl, d) = one_claim(&p);
        let text = format!("{}.{}.AAAA~{d}~", b64json(&json!({"alg": "HS256"})), b64json(&pl));
        assert_eq!(verify(&p, &text, &no_kb()), jose(JoseError::ForbiddenAlgorithm { name: "HS256".into() }));
    }

    fn tampered_payload(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let mut parts: Vec<&str> = s.splitn(3, '.').collect();
        let forged = b64json(&payload(json!({"_sd": [dig(&p, &d)], "admin": true})));
        parts[1] = &forged;
        assert_eq!(verify(&p, &parts.join("."), &no_kb()), jose(JoseError::InvalidSignature));
    }

    fn signed_by_another_key(p) {
        let (pl, d) = one_claim(&p);
        let other = p.generate_key(JwsAlgorithm::Es256).expect("key");
        let signer = p.signer(&other, JwsAlgorithm::Es256).expect("signer");
        let input = format!("{}.{}", b64json(&es256()), b64json(&pl));
        let sig = signer.try_sign(input.as_bytes()).expect("sign");
        let text = format!("{input}.{}~{d}~", base64url::encode(sig));
        assert_eq!(verify(&p, &text, &no_kb()), jose(JoseError::InvalidSignature));
    }

    fn algorithm_not_allowed_by_policy(p) {
        let (pl, d) = one_claim(&p);
        let policy = no_kb().with_algorithms([JwsAlgorithm::EdDsa]);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &policy), Err(Error::AlgorithmNotAllowed { alg: JwsAlgorithm::Es256 }));
    }

    fn critical_header(p) {
        let (pl, d) = one_claim(&p);
        let mut s = sign_raw(&p, &json!({"alg": "ES256", "crit": ["exp"], "exp": 1}), &pl.to_string());
        s.push_str(&format!("~{d}~"));
        assert_eq!(verify(&p, &s, &no_kb()), jose(JoseError::Jws(JwsError::UnsupportedCritical)));
    }

    fn duplicate_member_in_payload(p) {
        let (pl, d) = one_claim(&p);
        let text = pl.to_string().replacen('{', r#"{"iss":"https://evil.example","#, 1);
        let s = format!("{}~{d}~", sign_raw(&p, &es256(), &text));
        assert_eq!(verify(&p, &s, &no_kb()), jose(JoseError::Json(JsonError::DuplicateMember { name: "iss".into() })));
    }

    fn payload_not_an_object(p) {
        let s = format!("{}~", sign_raw(&p, &es256(), "[1,2]"));
        assert_eq!(verify(&p, &s, &no_kb()), core(CoreError::PayloadNotObject));
    }

    fn unknown_sd_alg(p) {
        let (mut pl, d) = one_claim(&p);
        pl["_sd_alg"] = json!("md5");
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), jose(JoseError::UnknownHashAlgorithm { name: "md5".into() }));
    }

    fn sd_alg_not_a_string(p) {
        let (mut pl, d) = one_claim(&p);
        pl["_sd_alg"] = json!(256);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), core(CoreError::SdAlgNotString));
    }

    fn sd_alg_not_allowed_by_policy(p) {
        let (pl, d) = one_claim(&p);
        let policy = no_kb().with_hash_algorithms([HashAlgorithm::Sha3_256]);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &policy), Err(Error::HashNotAllowed { alg: HashAlgorithm::Sha256 }));
    }

    fn wrong_typ(p) {
        let (pl, d) = one_claim(&p);
        let policy = no_kb().with_required_typ("dc+sd-jwt");
        assert_eq!(
            verify(&p, &sd_jwt(&p, &pl, &[&d]), &policy),
            Err(Error::WrongTyp { expected: "dc+sd-jwt".into(), found: Some("example+sd-jwt".into()) })
        );
    }

    fn unknown_issuer(p) {
        let (mut pl, d) = one_claim(&p);
        pl["iss"] = json!("https://stranger.example");
        let r = verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb());
        assert_eq!(r, Err(Error::NoIssuerKey { iss: Some("https://stranger.example".into()), kid: None }));
    }

    // --- §7.1 steps 3 to 5: processing --------------------------------------------------------

    fn duplicate_digest_in_one_sd_array(p) {
        let (_, d) = one_claim(&p);
        let pl = payload(json!({"_sd": [dig(&p, &d), dig(&p, &d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), core(CoreError::DuplicateDigest { digest: dig(&p, &d) }));
    }

    fn duplicate_undisclosed_digest(p) {
        // The same digest twice, with no Disclosure for it: still a duplicate (step 4).
        let decoy = dig(&p, "decoy");
        let pl = payload(json!({"_sd": [decoy.clone()], "address": {"_sd": [decoy.clone()]}}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[]), &no_kb()), core(CoreError::DuplicateDigest { digest: decoy }));
    }

    fn duplicate_digest_via_disclosure(p) {
        let inner = disc(r#"["s1","street","1 Main St"]"#);
        let outer = disc(&format!(r#"["s2","address",{{"_sd":["{}"]}}]"#, dig(&p, &inner)));
        let pl = payload(json!({"_sd": [dig(&p, &outer), dig(&p, &inner)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&outer, &inner]), &no_kb()), core(CoreError::DuplicateDigest { digest: dig(&p, &inner) }));
    }

    fn same_disclosure_sent_twice(p) {
        let (pl, d) = one_claim(&p);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d, &d]), &no_kb()), core(CoreError::DuplicateDisclosure { digest: dig(&p, &d) }));
    }

    fn unreferenced_disclosure(p) {
        let (pl, d) = one_claim(&p);
        let stray = disc(r#"["s9","nationality","DE"]"#);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d, &stray]), &no_kb()), core(CoreError::UnreferencedDisclosure { digest: dig(&p, &stray) }));
    }

    fn sd_not_an_array(p) {
        let (_, d) = one_claim(&p);
        let pl = payload(json!({"_sd": dig(&p, &d)}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), core(CoreError::SdNotArray));
    }

    fn sd_element_not_a_string(p) {
        let (_, d) = one_claim(&p);
        let pl = payload(json!({"_sd": [dig(&p, &d), 5]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), core(CoreError::SdElementNotString));
    }

    fn array_digest_with_extra_members(p) {
        let d = disc(r#"["s","DE"]"#);
        let pl = payload(json!({"nationalities": [{"...": dig(&p, &d), "extra": 1}]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), core(CoreError::ArrayDigestExtraMembers));
    }

    fn array_digest_not_a_string(p) {
        let pl = payload(json!({"nationalities": [{"...": 12}]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[]), &no_kb()), core(CoreError::ArrayDigestNotString));
    }

    fn disclosed_name_collides_with_plaintext(p) {
        let d = disc(r#"["s","iss","https://evil.example"]"#);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), core(CoreError::ClaimNameCollision { name: "iss".into() }));
    }

    fn two_disclosures_with_one_name(p) {
        let a = disc(r#"["s1","right_to_work",false]"#);
        let b = disc(r#"["s2","right_to_work",true]"#);
        let pl = payload(json!({"_sd": [dig(&p, &a), dig(&p, &b)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&a, &b]), &no_kb()), core(CoreError::ClaimNameCollision { name: "right_to_work".into() }));
    }

    fn sd_alg_below_top_level(p) {
        let pl = payload(json!({"address": {"_sd_alg": "sha-256", "street": "x"}}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[]), &no_kb()), core(CoreError::SdAlgNotTopLevel));
    }

    fn sd_alg_inside_a_disclosure(p) {
        let d = disc(r#"["s","address",{"_sd_alg":"sha-256"}]"#);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), core(CoreError::SdAlgNotTopLevel));
    }

    fn property_disclosure_referenced_from_array(p) {
        let d = disc(r#"["s","country","DE"]"#);
        let pl = payload(json!({"nationalities": [{"...": dig(&p, &d)}]}));
        assert_eq!(
            verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()),
            core(CoreError::WrongDisclosureKind { digest: dig(&p, &d), expected_array_element: true })
        );
    }

    fn array_disclosure_referenced_from_sd(p) {
        let d = disc(r#"["s","DE"]"#);
        let pl = payload(json!({"_sd": [dig(&p, &d)]}));
        assert_eq!(
            verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()),
            core(CoreError::WrongDisclosureKind { digest: dig(&p, &d), expected_array_element: false })
        );
    }

    fn ellipsis_as_object_member(p) {
        let pl = payload(json!({"address": {"...": "x", "street": "y"}}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[]), &no_kb()), core(CoreError::MisplacedEllipsis));
    }

    fn nesting_beyond_limit(p) {
        let mut deep = json!("leaf");
        for _ in 0..40 {
            deep = json!([deep]);
        }
        let pl = payload(json!({"deep": deep}));
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[]), &no_kb()), core(CoreError::LimitExceeded { limit: Limit::Depth, max: 32 }));
    }

    fn too_many_disclosures(p) {
        let ds: Vec<String> = (0..5).map(|i| disc(&format!(r#"["s{i}","c{i}",{i}]"#))).collect();
        let pl = payload(json!({"_sd": ds.iter().map(|d| dig(&p, d)).collect::<Vec<_>>()}));
        let refs: Vec<&str> = ds.iter().map(String::as_str).collect();
        let mut limits = Limits::DEFAULT;
        limits.max_disclosures = 4;
        let policy = no_kb().with_limits(limits);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &refs), &policy), core(CoreError::LimitExceeded { limit: Limit::Disclosures, max: 4 }));
    }

    fn input_beyond_size_limit(p) {
        let (pl, d) = one_claim(&p);
        let mut limits = Limits::DEFAULT;
        limits.max_input_bytes = 100;
        let policy = no_kb().with_limits(limits);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &policy), core(CoreError::LimitExceeded { limit: Limit::InputBytes, max: 100 }));
    }

    fn array_beyond_length_limit(p) {
        let pl = payload(json!({"list": (0..20).collect::<Vec<i32>>()}));
        let mut limits = Limits::DEFAULT;
        limits.max_array_len = 10;
        let policy = no_kb().with_limits(limits);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[]), &policy), core(CoreError::LimitExceeded { limit: Limit::ArrayLength, max: 10 }));
    }

    // --- §7.1 step 6: validity ----------------------------------------------------------------

    fn expired(p) {
        let (mut pl, d) = one_claim(&p);
        pl["exp"] = json!(NOW - 3600);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), core(CoreError::Expired { now: NOW, exp: NOW - 3600 }));
    }

    fn not_yet_valid(p) {
        let (mut pl, d) = one_claim(&p);
        pl["nbf"] = json!(NOW + 3600);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), core(CoreError::NotYetValid { now: NOW, nbf: NOW + 3600 }));
    }

    fn issued_in_the_future(p) {
        let (mut pl, d) = one_claim(&p);
        pl["iat"] = json!(NOW + 3600);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), core(CoreError::IssuedInFuture { now: NOW, iat: NOW + 3600 }));
    }

    fn exp_not_a_number(p) {
        let (mut pl, d) = one_claim(&p);
        pl["exp"] = json!("tomorrow");
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), core(CoreError::InvalidTimeClaim { name: "exp" }));
    }

    fn expiry_hidden_in_a_disclosure_is_still_enforced(p) {
        let (mut pl, _) = one_claim(&p);
        pl.as_object_mut().expect("object").remove("exp");
        let d = disc(&format!(r#"["s","exp",{}]"#, NOW - 3600));
        pl["_sd"] = json!([dig(&p, &d)]);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &no_kb()), core(CoreError::Expired { now: NOW, exp: NOW - 3600 }));
    }

    fn required_claim_missing(p) {
        let (mut pl, d) = one_claim(&p);
        pl.as_object_mut().expect("object").remove("exp");
        let policy = no_kb().with_required_claims(["exp"]);
        assert_eq!(verify(&p, &sd_jwt(&p, &pl, &[&d]), &policy), core(CoreError::MissingRequiredClaim { name: "exp".into() }));
    }

    // --- §7.3: key binding --------------------------------------------------------------------

    fn kb_without_typ(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let k = kb_with(&p, &s, json!({"alg": "ES256"}), |_| {});
        assert_eq!(verify(&p, &format!("{s}{k}"), &with_kb()), Err(Error::KbWrongTyp { found: None }));
    }

    fn kb_with_plain_jwt_typ(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let k = kb_with(&p, &s, json!({"alg": "ES256", "typ": "JWT"}), |_| {});
        assert_eq!(verify(&p, &format!("{s}{k}"), &with_kb()), Err(Error::KbWrongTyp { found: Some("JWT".into()) }));
    }

    fn kb_signed_by_another_key(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let other = p.generate_key(JwsAlgorithm::Es256).expect("key");
        let signer = p.signer(&other, JwsAlgorithm::Es256).expect("signer");
        let claims = json!({"iat": NOW, "aud": AUD, "nonce": NONCE, "sd_hash": dig(&p, &s)});
        let input = format!("{}.{}", b64json(&json!({"alg": "ES256", "typ": "kb+jwt"})), b64json(&claims));
        let k = format!("{input}.{}", base64url::encode(signer.try_sign(input.as_bytes()).expect("sign")));
        assert_eq!(verify(&p, &format!("{s}{k}"), &with_kb()), jose(JoseError::InvalidSignature));
    }

    fn kb_alg_none(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let claims = json!({"iat": NOW, "aud": AUD, "nonce": NONCE, "sd_hash": dig(&p, &s)});
        let k = format!("{}.{}.", b64json(&json!({"alg": "none", "typ": "kb+jwt"})), b64json(&claims));
        assert_eq!(verify(&p, &format!("{s}{k}"), &with_kb()), jose(JoseError::ForbiddenAlgorithm { name: "none".into() }));
    }

    fn kb_algorithm_not_allowed(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let policy = with_kb().with_kb_algorithms([JwsAlgorithm::EdDsa]);
        assert_eq!(verify(&p, &format!("{s}{}", kb(&p, &s)), &policy), Err(Error::KbAlgorithmNotAllowed { alg: JwsAlgorithm::Es256 }));
    }

    fn kb_nonce_mismatch(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let k = kb_with(&p, &s, json!({"alg": "ES256", "typ": "kb+jwt"}), |c| { c.insert("nonce".into(), json!("replayed")); });
        assert_eq!(
            verify(&p, &format!("{s}{k}"), &with_kb()),
            Err(Error::KbNonceMismatch { expected: NONCE.into(), found: "replayed".into() })
        );
    }

    fn kb_audience_mismatch(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let k = kb_with(&p, &s, json!({"alg": "ES256", "typ": "kb+jwt"}), |c| { c.insert("aud".into(), json!("https://other.example")); });
        assert_eq!(
            verify(&p, &format!("{s}{k}"), &with_kb()),
            Err(Error::KbAudienceMismatch { expected: AUD.into(), found: "https://other.example".into() })
        );
    }

    fn kb_audience_as_array(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let k = kb_with(&p, &s, json!({"alg": "ES256", "typ": "kb+jwt"}), |c| { c.insert("aud".into(), json!([AUD])); });
        assert_eq!(verify(&p, &format!("{s}{k}"), &with_kb()), core(CoreError::InvalidKbJwtClaim { name: "aud" }));
    }

    fn kb_without_sd_hash(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let k = kb_with(&p, &s, json!({"alg": "ES256", "typ": "kb+jwt"}), |c| { c.remove("sd_hash"); });
        assert_eq!(verify(&p, &format!("{s}{k}"), &with_kb()), core(CoreError::InvalidKbJwtClaim { name: "sd_hash" }));
    }

    fn kb_without_iat(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let k = kb_with(&p, &s, json!({"alg": "ES256", "typ": "kb+jwt"}), |c| { c.remove("iat"); });
        assert_eq!(verify(&p, &format!("{s}{k}"), &with_kb()), core(CoreError::InvalidKbJwtClaim { name: "iat" }));
    }

    fn kb_sd_hash_after_disclosure_removed(p) {
        // The KB-JWT covers two Disclosures; one is dropped afterwards.
        let a = disc(r#"["s1","given_name","Ada"]"#);
        let b = disc(r#"["s2","right_to_work",true]"#);
        let pl = payload(json!({"_sd": [dig(&p, &a), dig(&p, &b)]}));
        let full = sd_jwt(&p, &pl, &[&a, &b]);
        let k = kb(&p, &full);
        let fewer = sd_jwt(&p, &pl, &[&b]);
        // Re-sign of the same payload gives a different ECDSA signature, so keep the original JWT.
        let jwt = full.split('~').next().expect("jwt");
        let fewer = format!("{jwt}~{}", fewer.split_once('~').expect("tilde").1);
        assert_eq!(verify(&p, &format!("{fewer}{k}"), &with_kb()), Err(Error::KbSdHashMismatch));
    }

    fn kb_too_old(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let k = kb_with(&p, &s, json!({"alg": "ES256", "typ": "kb+jwt"}), |c| { c.insert("iat".into(), json!(NOW - 86_400)); });
        let r = verify(&p, &format!("{s}{k}"), &with_kb());
        assert!(matches!(r, Err(Error::KbTooOld { iat, now: NOW, .. }) if iat == NOW - 86_400), "{r:?}");
    }

    fn kb_issued_in_the_future(p) {
        let (pl, d) = one_claim(&p);
        let s = sd_jwt(&p, &pl, &[&d]);
        let k = kb_with(&p, &s, json!({"alg": "ES256", "typ": "kb+jwt"}), |c| { c.insert("iat".into(), json!(NOW + 3600)); });
        assert_eq!(verify(&p, &format!("{s}{k}"), &with_kb()), Err(Error::KbIssuedInFuture { iat: NOW + 3600, now: NOW }));
    }

    fn kb_but_no_holder_key(p) {
        let (mut pl, d) = one_claim(&p);
        pl.as_object_mut().expect("object").remove("cnf");
        let s = sd_jwt(&p, &pl, &[&d]);
        assert_eq!(verify(&p, &format!("{s}{}", kb(&p, &s)), &with_kb()), core(CoreError::MissingHolderKey));
    }

    fn kb_holder_key_only_in_a_disclosure(p) {
        // cnf must be plaintext: a disclosed cnf is not used (RFC 9901 §9.7).
        let (mut pl, d) = one_claim(&p);
        let cnf = pl.as_object_mut().expect("object").remove("cnf").expect("cnf");
        let dc = disc(&json!(["s", "cnf", cnf]).to_string());
        pl["_sd"] = json!([dig(&p, &d), dig(&p, &dc)]);
        let s = sd_jwt(&p, &pl, &[&d, &dc]);
        assert_eq!(verify(&p, &format!("{s}{}", kb(&p, &s)), &with_kb()), core(CoreError::MissingHolderKey));
    }

    // --- §8: JWS JSON serialization -----------------------------------------------------------

    fn json_disclosures_in_second_signature(p) {
        let (pl, d) = one_claim(&p);
        let jwt = sign_raw(&p, &es256(), &pl.to_string());
        let parts: Vec<&str> = jwt.split('.').collect();
        let v = json!({"payload": parts[1], "signatures": [
            {"protected": parts[0], "signature": parts[2]},
            {"protected": parts[0], "header": {"disclosures": [d]}, "signature": parts[2]}
        ]});
        assert_eq!(verify(&p, &v.to_string(), &no_kb()), core(CoreError::MisplacedJsonHeader { name: "disclosures", signature: 1 }));
    }

    fn json_disclosures_not_an_array(p) {
        let (pl, d) = one_claim(&p);
        let jwt = sign_raw(&p, &es256(), &pl.to_string());
        let parts: Vec<&str> = jwt.split('.').collect();
        let v = json!({"payload": parts[1], "protected": parts[0], "header": {"disclosures": d}, "signature": parts[2]});
        assert_eq!(verify(&p, &v.to_string(), &no_kb()), core(CoreError::InvalidJsonHeader { name: "disclosures" }));
    }

    fn json_kb_jwt_not_a_string(p) {
        let (pl, d) = one_claim(&p);
        let jwt = sign_raw(&p, &es256(), &pl.to_string());
        let parts: Vec<&str> = jwt.split('.').collect();
        let v = json!({"payload": parts[1], "protected": parts[0], "header": {"disclosures": [d], "kb_jwt": 1}, "signature": parts[2]});
        assert_eq!(verify(&p, &v.to_string(), &with_kb()), core(CoreError::InvalidJsonHeader { name: "kb_jwt" }));
    }

    fn json_mixed_flattened_and_general(p) {
        let (pl, _) = one_claim(&p);
        let jwt = sign_raw(&p, &es256(), &pl.to_string());
        let parts: Vec<&str> = jwt.split('.').collect();
        let v = json!({"payload": parts[1], "protected": parts[0], "signature": parts[2],
                       "signatures": [{"protected": parts[0], "signature": parts[2]}]});
        assert_eq!(verify(&p, &v.to_string(), &no_kb()), jose(JoseError::Jws(JwsError::MixedJsonSyntax)));
    }

    fn json_header_parameter_in_both_headers(p) {
        let (pl, d) = one_claim(&p);
        let jwt = sign_raw(&p, &es256(), &pl.to_string());
        let parts: Vec<&str> = jwt.split('.').collect();
        let v = json!({"payload": parts[1], "protected": parts[0], "header": {"disclosures": [d], "alg": "ES256"}, "signature": parts[2]});
        assert_eq!(verify(&p, &v.to_string(), &no_kb()), jose(JoseError::Jws(JwsError::DuplicateHeaderParameter { name: "alg".into() })));
    }

    fn json_duplicate_member(p) {
        let (pl, d) = one_claim(&p);
        let jwt = sign_raw(&p, &es256(), &pl.to_string());
        let parts: Vec<&str> = jwt.split('.').collect();
        let text = format!(r#"{{"payload":"{}","payload":"e30","protected":"{}","header":{{"disclosures":["{d}"]}},"signature":"{}"}}"#, parts[1], parts[0], parts[2]);
        assert_eq!(verify(&p, &text, &no_kb()), jose(JoseError::Json(JsonError::DuplicateMember { name: "payload".into() })));
    }

    fn json_kb_sd_hash_over_the_json_text(p) {
        // §8.1: sd_hash is over the compact form, not over the JSON document.
        let (pl, d) = one_claim(&p);
        let jwt = sign_raw(&p, &es256(), &pl.to_string());
        let parts: Vec<&str> = jwt.split('.').collect();
        let doc = json!({"payload": parts[1], "protected": parts[0], "header": {"disclosures": [d]}, "signature": parts[2]});
        let k = kb_with(&p, "x", json!({"alg": "ES256", "typ": "kb+jwt"}), |c| { c.insert("sd_hash".into(), json!(dig(&p, &doc.to_string()))); });
        let mut doc = doc;
        doc["header"]["kb_jwt"] = json!(k);
        assert_eq!(verify(&p, &doc.to_string(), &with_kb()), Err(Error::KbSdHashMismatch));
    }

    fn json_general_with_one_bad_signature(p) {
        let (pl, d) = one_claim(&p);
        let jwt = sign_raw(&p, &es256(), &pl.to_string());
        let parts: Vec<&str> = jwt.split('.').collect();
        let mut bad_sig = base64url::decode(parts[2]).expect("sig");
        bad_sig[0] ^= 1;
        let bad_sig = base64url::encode(bad_sig);
        let v = json!({"payload": parts[1], "signatures": [
            {"protected": parts[0], "header": {"disclosures": [d]}, "signature": parts[2]},
            {"protected": parts[0], "signature": bad_sig}
        ]});
        assert_eq!(verify(&p, &v.to_string(), &no_kb()), jose(JoseError::InvalidSignature));
    }
}
