//! Public-API tests of the verifier: happy paths in every serialization and one test per
//! error variant.

use sdjwt_aws_lc::DEFAULT_PROVIDER as P;
use sdjwt_core::jose::jws::{self, JsonSyntax};
use sdjwt_core::{ClaimPath, Disclosure, KbClaims, KeyBindingJwt, Limits, SdJwt, Serialization};
use sdjwt_issuer::SdJwtBuilder;
use sdjwt_jose::{HashAlgorithm, Jwk, JwsAlgorithm, JwsSigner};
use sdjwt_verifier::{
    Error, IssuerKeyResolver, KeyBinding, Policy, SignaturePolicy, StaticKeys, Verifier,
};
use serde_json::{Map, Value, json};

type R = Result<(), Box<dyn std::error::Error>>;

const NOW: i64 = 1_700_000_000;
const ISS: &str = "https://issuer.example";
const AUD: &str = "https://verifier.example";
const NONCE: &str = "n-0S6_WzA2Mj";

fn key(alg: JwsAlgorithm, kid: &str) -> Result<Jwk, Box<dyn std::error::Error>> {
    Ok(P.generate_key(alg)?.with_kid(kid))
}

fn signer(jwk: &Jwk) -> Result<Box<dyn JwsSigner>, Box<dyn std::error::Error>> {
    Ok(P.signer(jwk, jwk.default_algorithm())?)
}

fn claims() -> Map<String, Value> {
    json!({
        "given_name": "Ada",
        "family_name": "Lovelace",
        "right_to_work": true,
        "address": {"street": "1 Analytical Way", "country": "GB"}
    })
    .as_object()
    .cloned()
    .unwrap_or_default()
}

fn path(pointer: &str) -> Result<ClaimPath, sdjwt_core::Error> {
    ClaimPath::resolve_pointer(pointer, &Value::Object(claims()))
}

/// A builder with `iss`, `iat`, `exp`, the holder key and three disclosable claims.
fn builder(holder: &Jwk) -> Result<SdJwtBuilder<'static>, Box<dyn std::error::Error>> {
    Ok(SdJwtBuilder::new(claims())
        .issuer(ISS)
        .issued_at(NOW - 100)
        .expires_at(NOW + 3600)
        .holder_key(&holder.to_public())
        .disclose(path("/given_name")?)
        .disclose(path("/right_to_work")?)
        .disclose(path("/address/street")?))
}

struct Fixture {
    issuer: Jwk,
    holder: Jwk,
    sd_jwt: SdJwt,
}

fn fixture() -> Result<Fixture, Box<dyn std::error::Error>> {
    let issuer = key(JwsAlgorithm::Es256, "issuer-1")?;
    let holder = key(JwsAlgorithm::Es256, "holder")?;
    let sd_jwt = builder(&holder)?.prepare(&P)?.sign(&*signer(&issuer)?)?;
    Ok(Fixture {
        issuer,
        holder,
        sd_jwt,
    })
}

fn kb_claims(sd_jwt: &SdJwt) -> Result<KbClaims, sdjwt_core::Error> {
    Ok(KbClaims {
        iat: NOW,
        aud: AUD.into(),
        nonce: NONCE.into(),
        sd_hash: sd_jwt.sd_hash(&P)?.to_string(),
    })
}

/// Presents `disclosures` with a KB-JWT whose claims `edit` may change.
fn present(
    sd_jwt: &SdJwt,
    holder: &Jwk,
    disclosures: Vec<Disclosure>,
    edit: impl FnOnce(&mut KbClaims),
) -> Result<SdJwt, Box<dyn std::error::Error>> {
    let presented = sd_jwt.with_disclosures(disclosures);
    let mut c = kb_claims(&presented)?;
    edit(&mut c);
    let kb = KeyBindingJwt::sign(&*signer(holder)?, &c)?;
    Ok(presented.with_key_binding(kb))
}

fn present_all(f: &Fixture) -> Result<SdJwt, Box<dyn std::error::Error>> {
    present(
        &f.sd_jwt,
        &f.holder,
        f.sd_jwt.disclosures().to_vec(),
        |_| {},
    )
}

fn kb_policy() -> Policy {
    Policy::new(KeyBinding::required(AUD, NONCE))
}

fn keys_for(f: &Fixture) -> StaticKeys {
    StaticKeys::new().with_issuer_key(ISS, &f.issuer)
}

fn verify(
    keys: &StaticKeys,
    text: &str,
    policy: &Policy,
) -> Result<sdjwt_verifier::VerifiedPresentation, Error> {
    Verifier::new(&P, keys).verify(text, policy, NOW)
}

fn json_text(sd_jwt: &SdJwt, syntax: JsonSyntax) -> Result<String, sdjwt_core::Error> {
    Ok(Value::Object(sd_jwt.to_json(syntax)?).to_string())
}

// --- Happy paths ---

#[test]
fn compact_with_key_binding() -> R {
    let f = fixture()?;
    let text = present_all(&f)?.to_compact();
    let v = verify(&keys_for(&f), &text, &kb_policy())?;
    assert!(v.key_bound());
    assert_eq!(v.issuer(), Some(ISS));
    assert_eq!(v.claims()["given_name"], json!("Ada"));
    assert_eq!(v.claims()["address"]["street"], json!("1 Analytical Way"));
    assert!(!v.claims().contains_key("_sd_alg"));
    assert_eq!(v.disclosed_paths().count(), 3);
    assert_eq!(v.hash_algorithm(), HashAlgorithm::Sha256);
    assert_eq!(v.serialization(), Serialization::Compact);
    assert_eq!(v.holder_key(), Some(&f.holder.to_public()));
    assert_eq!(v.kb_claims().map(|c| c.nonce.as_str()), Some(NONCE));
    assert_eq!(v.header().kid(), Some("issuer-1"));
    Ok(())
}

#[test]
fn compact_without_key_binding() -> R {
    let f = fixture()?;
    let text = f.sd_jwt.to_compact();
    let v = verify(&keys_for(&f), &text, &Policy::new(KeyBinding::NotRequired))?;
    assert!(!v.key_bound());
    assert_eq!(v.holder_key(), None);
    assert_eq!(v.kb_claims(), None);
    assert_eq!(v.claims()["right_to_work"], json!(true));
    Ok(())
}

#[test]
fn partial_disclosure_hides_claims() -> R {
    let f = fixture()?;
    let only_rtw: Vec<Disclosure> = f
        .sd_jwt
        .disclosures()
        .iter()
        .filter(|d| d.name() == Some("right_to_work"))
        .cloned()
        .collect();
    let text = present(&f.sd_jwt, &f.holder, only_rtw, |_| {})?.to_compact();
    let v = verify(&keys_for(&f), &text, &kb_policy())?;
    assert_eq!(v.claims()["right_to_work"], json!(true));
    assert!(!v.claims().contains_key("given_name"));
    assert_eq!(v.claims()["address"], json!({"country": "GB"}));
    let paths: Vec<String> = v.disclosed_paths().map(ToString::to_string).collect();
    assert_eq!(paths, ["/right_to_work"]);
    assert!(v.undisclosed_digests() >= 2);
    Ok(())
}

#[test]
fn key_binding_not_required_ignores_a_present_kb_jwt() -> R {
    let f = fixture()?;
    // A KB-JWT that would fail every check: wrong nonce, audience and holder key.
    let stranger = key(JwsAlgorithm::Es256, "x")?;
    let text = present(&f.sd_jwt, &stranger, vec![], |c| {
        c.nonce = "other".into();
        c.aud = "other".into();
    })?
    .to_compact();
    let v = verify(&keys_for(&f), &text, &Policy::new(KeyBinding::NotRequired))?;
    assert!(!v.key_bound());
    assert_eq!(v.kb_claims(), None);
    Ok(())
}

#[test]
fn flattened_json_with_key_binding() -> R {
    let f = fixture()?;
    let text = json_text(&present_all(&f)?, JsonSyntax::Flattened)?;
    let v = verify(&keys_for(&f), &text, &kb_policy())?;
    assert!(v.key_bound());
    assert_eq!(
        v.serialization(),
        Serialization::Json(JsonSyntax::Flattened)
    );
    assert_eq!(v.claims()["given_name"], json!("Ada"));
    Ok(())
}

struct CoSigned {
    a: Jwk,
    b: Jwk,
    holder: Jwk,
    sd_jwt: SdJwt,
}

fn co_signed() -> Result<CoSigned, Box<dyn std::error::Error>> {
    let a = key(JwsAlgorithm::Es256, "authority-a")?;
    let b = key(JwsAlgorithm::EdDsa, "authority-b")?;
    let holder = key(JwsAlgorithm::Es256, "holder")?;
    let (sa, sb) = (signer(&a)?, signer(&b)?);
    let sd_jwt = builder(&holder)?
        .prepare(&P)?
        .sign_json(&[&*sa, &*sb], JsonSyntax::General)?;
    Ok(CoSigned {
        a,
        b,
        holder,
        sd_jwt,
    })
}

fn co_signed_text(c: &CoSigned) -> Result<String, Box<dyn std::error::Error>> {
    let p = present(
        &c.sd_jwt,
        &c.holder,
        c.sd_jwt.disclosures().to_vec(),
        |_| {},
    )?;
    Ok(json_text(&p, JsonSyntax::General)?)
}

#[test]
fn general_json_all_signatures() -> R {
    let c = co_signed()?;
    let text = co_signed_text(&c)?;
    let keys = StaticKeys::new()
        .with_issuer_key(ISS, &c.a)
        .with_issuer_key(ISS, &c.b);
    let v = verify(&keys, &text, &kb_policy())?;
    assert!(v.key_bound());
    assert_eq!(v.serialization(), Serialization::Json(JsonSyntax::General));
    assert_eq!(v.header().kid(), Some("authority-a"));
    Ok(())
}

#[test]
fn general_json_all_rejects_an_unknown_co_signer() -> R {
    let c = co_signed()?;
    let text = co_signed_text(&c)?;
    let keys = StaticKeys::new().with_issuer_key(ISS, &c.a);
    assert_eq!(
        verify(&keys, &text, &kb_policy()).err(),
        Some(Error::NoIssuerKey {
            iss: Some(ISS.into()),
            kid: Some("authority-b".into())
        })
    );
    Ok(())
}

#[test]
fn general_json_at_least_one_skips_unknown_co_signer() -> R {
    let c = co_signed()?;
    let text = co_signed_text(&c)?;
    let policy = kb_policy().with_signature_policy(SignaturePolicy::AtLeastOne);
    // Only the second authority is trusted: the first signature is skipped.
    let keys = StaticKeys::new().with_issuer_key(ISS, &c.b);
    let v = verify(&keys, &text, &policy)?;
    assert_eq!(v.header().kid(), Some("authority-b"));
    // Both trusted works too.
    let keys = keys.with_issuer_key(ISS, &c.a);
    assert_eq!(
        verify(&keys, &text, &policy)?.header().kid(),
        Some("authority-a")
    );
    // A co-signer whose algorithm is outside policy is skipped as well.
    let policy = policy.with_algorithms([JwsAlgorithm::Es256]);
    assert_eq!(
        verify(&keys, &text, &policy)?.header().kid(),
        Some("authority-a")
    );
    Ok(())
}

#[test]
fn general_json_at_least_one_rejects_an_invalid_trusted_signature() -> R {
    let c = co_signed()?;
    let mut obj = c.sd_jwt.to_json(JsonSyntax::General)?;
    // Give authority B's entry a wrong (but well-formed, 64-byte) signature.
    let sigs = obj
        .get_mut("signatures")
        .and_then(Value::as_array_mut)
        .ok_or("no signatures")?;
    let bad = sdjwt_jose::base64url::encode([7u8; 64]);
    sigs[1]["signature"] = bad.into();
    let text = Value::Object(obj).to_string();
    let keys = StaticKeys::new()
        .with_issuer_key(ISS, &c.a)
        .with_issuer_key(ISS, &c.b);
    let policy =
        Policy::new(KeyBinding::NotRequired).with_signature_policy(SignaturePolicy::AtLeastOne);
    assert_eq!(
        verify(&keys, &text, &policy).err(),
        Some(sdjwt_jose::Error::InvalidSignature.into())
    );
    Ok(())
}

#[test]
fn no_valid_signature() -> R {
    let c = co_signed()?;
    let text = co_signed_text(&c)?;
    let other = key(JwsAlgorithm::Es256, "other")?;
    let keys = StaticKeys::new().with_issuer_key(ISS, &other);
    let policy = kb_policy().with_signature_policy(SignaturePolicy::AtLeastOne);
    assert_eq!(
        verify(&keys, &text, &policy).err(),
        Some(Error::NoValidSignature { signatures: 2 })
    );
    Ok(())
}

#[test]
fn at_least_one_with_a_single_signature_reports_the_specific_error() -> R {
    let f = fixture()?;
    let text = f.sd_jwt.to_compact();
    let policy =
        Policy::new(KeyBinding::NotRequired).with_signature_policy(SignaturePolicy::AtLeastOne);
    assert!(matches!(
        verify(&StaticKeys::new(), &text, &policy),
        Err(Error::NoIssuerKey { .. })
    ));
    Ok(())
}

// --- Key selection ---

#[test]
fn static_keys_select_by_kid_and_issuer() -> R {
    let f = fixture()?;
    let other = key(JwsAlgorithm::Es256, "issuer-2")?;
    let unnamed = P.generate_key(JwsAlgorithm::Es256)?;
    let keys = StaticKeys::new()
        .with_issuer_key(ISS, &other)
        .with_issuer_key(ISS, &f.issuer)
        .with_issuer_key("https://elsewhere.example", &unnamed);
    let found = keys.resolve(Some(ISS), Some("issuer-1"), JwsAlgorithm::Es256)?;
    assert_eq!(found, vec![f.issuer.to_public()]);
    assert_eq!(keys.resolve(Some(ISS), None, JwsAlgorithm::Es256)?.len(), 2);
    assert!(
        keys.resolve(None, Some("issuer-1"), JwsAlgorithm::Es256)?
            .is_empty()
    );
    assert!(
        keys.resolve(Some(ISS), Some("issuer-1"), JwsAlgorithm::Es384)?
            .is_empty()
    );
    // A key without kid is a candidate for any kid; a key without issuer for any issuer.
    let any = StaticKeys::new().with_key(&unnamed);
    assert_eq!(
        any.resolve(Some(ISS), Some("k"), JwsAlgorithm::Es256)?
            .len(),
        1
    );
    assert_eq!(any.resolve(None, None, JwsAlgorithm::Es256)?.len(), 1);
    // The credential verifies against the full set.
    verify(
        &keys,
        &f.sd_jwt.to_compact(),
        &Policy::new(KeyBinding::NotRequired),
    )?;
    Ok(())
}

#[test]
fn rotated_key_without_kid_is_found_among_candidates() -> R {
    let old = P.generate_key(JwsAlgorithm::Es256)?;
    let new = P.generate_key(JwsAlgorithm::Es256)?;
    let holder = key(JwsAlgorithm::Es256, "holder")?;
    let sd_jwt = builder(&holder)?.prepare(&P)?.sign(&*signer(&new)?)?;
    let keys = StaticKeys::new()
        .with_issuer_key(ISS, &old)
        .with_issuer_key(ISS, &new);
    verify(
        &keys,
        &sd_jwt.to_compact(),
        &Policy::new(KeyBinding::NotRequired),
    )?;
    Ok(())
}

#[test]
fn required_typ_matches_as_media_type() -> R {
    let holder = key(JwsAlgorithm::Es256, "holder")?;
    let issuer = key(JwsAlgorithm::Es256, "issuer-1")?;
    let sd_jwt = builder(&holder)?
        .typ("application/dc+sd-jwt")
        .prepare(&P)?
        .sign(&*signer(&issuer)?)?;
    let keys = StaticKeys::new().with_issuer_key(ISS, &issuer);
    let policy = Policy::new(KeyBinding::NotRequired).with_required_typ("DC+SD-JWT");
    verify(&keys, &sd_jwt.to_compact(), &policy)?;
    Ok(())
}

// --- One test per error variant ---

#[test]
fn core_invalid_issuer_signature() -> R {
    let f = fixture()?;
    // Same kid, different key: the resolver finds it, the signature does not verify.
    let impostor = key(JwsAlgorithm::Es256, "issuer-1")?;
    let keys = StaticKeys::new().with_issuer_key(ISS, &impostor);
    let err = verify(
        &keys,
        &f.sd_jwt.to_compact(),
        &Policy::new(KeyBinding::NotRequired),
    );
    assert_eq!(err.err(), Some(sdjwt_jose::Error::InvalidSignature.into()));
    Ok(())
}

#[test]
fn core_processing_and_validity_errors() -> R {
    let f = fixture()?;
    let keys = keys_for(&f);
    let no_kb = Policy::new(KeyBinding::NotRequired);
    // Expired (beyond leeway).
    let err = Verifier::new(&P, &keys).verify(&f.sd_jwt.to_compact(), &no_kb, NOW + 3600 + 61);
    assert_eq!(
        err.err(),
        Some(Error::Core(sdjwt_core::Error::Expired {
            now: NOW + 3661,
            exp: NOW + 3600
        }))
    );
    // Within leeway still fine.
    Verifier::new(&P, &keys).verify(&f.sd_jwt.to_compact(), &no_kb, NOW + 3600 + 59)?;
    // Required claim missing (given_name is withheld).
    let text = f.sd_jwt.with_disclosures(vec![]).to_compact();
    let policy = no_kb.clone().with_required_claims(["exp", "given_name"]);
    assert_eq!(
        verify(&keys, &text, &policy).err(),
        Some(Error::Core(sdjwt_core::Error::MissingRequiredClaim {
            name: "given_name".into()
        }))
    );
    // Input too large.
    let mut limits = Limits::DEFAULT;
    limits.max_input_bytes = 10;
    let policy = no_kb.clone().with_limits(limits);
    assert!(matches!(
        verify(&keys, &text, &policy),
        Err(Error::Core(sdjwt_core::Error::LimitExceeded { .. }))
    ));
    // A Disclosure sent twice.
    let d = f.sd_jwt.disclosures()[0].clone();
    let text = f.sd_jwt.with_disclosures(vec![d.clone(), d]).to_compact();
    assert!(matches!(
        verify(&keys, &text, &no_kb),
        Err(Error::Core(sdjwt_core::Error::DuplicateDisclosure { .. }))
    ));
    Ok(())
}

#[test]
fn algorithm_not_allowed() -> R {
    let f = fixture()?;
    let policy = Policy::new(KeyBinding::NotRequired).with_algorithms([JwsAlgorithm::EdDsa]);
    assert_eq!(
        verify(&keys_for(&f), &f.sd_jwt.to_compact(), &policy).err(),
        Some(Error::AlgorithmNotAllowed {
            alg: JwsAlgorithm::Es256
        })
    );
    Ok(())
}

#[test]
fn wrong_typ() -> R {
    let f = fixture()?;
    let policy = Policy::new(KeyBinding::NotRequired).with_required_typ("dc+sd-jwt");
    let err = verify(&keys_for(&f), &f.sd_jwt.to_compact(), &policy).err();
    assert_eq!(
        err,
        Some(Error::WrongTyp {
            expected: "dc+sd-jwt".into(),
            found: None
        })
    );
    assert_eq!(
        err.map(|e| e.to_string()).as_deref(),
        Some("issuer JWT has no typ, expected \"dc+sd-jwt\"")
    );
    Ok(())
}

#[test]
fn issuer_not_string() -> R {
    let issuer = key(JwsAlgorithm::Es256, "issuer-1")?;
    let jwt = jws::sign_compact(
        &*signer(&issuer)?,
        None,
        &Map::new(),
        json!({"iss": 7, "iat": NOW}).to_string().as_bytes(),
    )?;
    let keys = StaticKeys::new().with_key(&issuer);
    assert_eq!(
        verify(
            &keys,
            &format!("{jwt}~"),
            &Policy::new(KeyBinding::NotRequired)
        )
        .err(),
        Some(Error::IssuerNotString)
    );
    Ok(())
}

#[test]
fn no_issuer_key_for_another_issuer() -> R {
    let f = fixture()?;
    let keys = StaticKeys::new().with_issuer_key("https://elsewhere.example", &f.issuer);
    let err = verify(
        &keys,
        &f.sd_jwt.to_compact(),
        &Policy::new(KeyBinding::NotRequired),
    )
    .err();
    assert_eq!(
        err,
        Some(Error::NoIssuerKey {
            iss: Some(ISS.into()),
            kid: Some("issuer-1".into())
        })
    );
    assert_eq!(
        err.map(|e| e.to_string()).as_deref(),
        Some("no trusted issuer key for issuer \"https://issuer.example\" with kid \"issuer-1\"")
    );
    Ok(())
}

struct Unreachable;

impl IssuerKeyResolver for Unreachable {
    fn resolve(
        &self,
        _iss: Option<&str>,
        _kid: Option<&str>,
        _alg: JwsAlgorithm,
    ) -> Result<Vec<Jwk>, Error> {
        Err(Error::KeyResolution {
            reason: "issuer metadata unreachable".into(),
        })
    }
}

#[test]
fn key_resolution_failure_is_reported() -> R {
    let f = fixture()?;
    let err = Verifier::new(&P, &Unreachable).verify(
        &f.sd_jwt.to_compact(),
        &Policy::new(KeyBinding::NotRequired),
        NOW,
    );
    assert_eq!(
        err.err(),
        Some(Error::KeyResolution {
            reason: "issuer metadata unreachable".into()
        })
    );
    Ok(())
}

#[test]
fn hash_not_allowed() -> R {
    let issuer = key(JwsAlgorithm::Es256, "issuer-1")?;
    let holder = key(JwsAlgorithm::Es256, "holder")?;
    let sd_jwt = builder(&holder)?
        .hash_algorithm(HashAlgorithm::Sha384)
        .prepare(&P)?
        .sign(&*signer(&issuer)?)?;
    let keys = StaticKeys::new().with_issuer_key(ISS, &issuer);
    let policy = Policy::new(KeyBinding::NotRequired).with_hash_algorithms([HashAlgorithm::Sha256]);
    assert_eq!(
        verify(&keys, &sd_jwt.to_compact(), &policy).err(),
        Some(Error::HashNotAllowed {
            alg: HashAlgorithm::Sha384
        })
    );
    // Allowed by default.
    let v = verify(
        &keys,
        &sd_jwt.to_compact(),
        &Policy::new(KeyBinding::NotRequired),
    )?;
    assert_eq!(v.hash_algorithm(), HashAlgorithm::Sha384);
    Ok(())
}

#[test]
fn key_binding_required_but_absent() -> R {
    let f = fixture()?;
    for text in [
        f.sd_jwt.to_compact(),
        json_text(&f.sd_jwt, JsonSyntax::Flattened)?,
    ] {
        assert_eq!(
            verify(&keys_for(&f), &text, &kb_policy()).err(),
            Some(Error::KeyBindingRequired)
        );
    }
    Ok(())
}

#[test]
fn kb_algorithm_not_allowed() -> R {
    let issuer = key(JwsAlgorithm::Es256, "issuer-1")?;
    let holder = key(JwsAlgorithm::EdDsa, "holder")?;
    let sd_jwt = builder(&holder)?.prepare(&P)?.sign(&*signer(&issuer)?)?;
    let text = present(&sd_jwt, &holder, vec![], |_| {})?.to_compact();
    let keys = StaticKeys::new().with_issuer_key(ISS, &issuer);
    let policy = kb_policy().with_kb_algorithms([JwsAlgorithm::Es256]);
    assert_eq!(
        verify(&keys, &text, &policy).err(),
        Some(Error::KbAlgorithmNotAllowed {
            alg: JwsAlgorithm::EdDsa
        })
    );
    // The issuer list does not govern the KB-JWT.
    let issuer_only = kb_policy().with_algorithms([JwsAlgorithm::Es256]);
    verify(&keys, &text, &issuer_only)?;
    verify(&keys, &text, &kb_policy())?;
    Ok(())
}

#[test]
fn kb_signed_by_another_key() -> R {
    let f = fixture()?;
    let stranger = key(JwsAlgorithm::Es256, "holder")?;
    let text = present(&f.sd_jwt, &stranger, vec![], |_| {})?.to_compact();
    assert_eq!(
        verify(&keys_for(&f), &text, &kb_policy()).err(),
        Some(sdjwt_jose::Error::InvalidSignature.into())
    );
    Ok(())
}

#[test]
fn kb_without_holder_key_in_cnf() -> R {
    let issuer = key(JwsAlgorithm::Es256, "issuer-1")?;
    let holder = key(JwsAlgorithm::Es256, "holder")?;
    let sd_jwt = SdJwtBuilder::new(claims())
        .issuer(ISS)
        .prepare(&P)?
        .sign(&*signer(&issuer)?)?;
    let text = present(&sd_jwt, &holder, vec![], |_| {})?.to_compact();
    let keys = StaticKeys::new().with_issuer_key(ISS, &issuer);
    assert_eq!(
        verify(&keys, &text, &kb_policy()).err(),
        Some(Error::Core(sdjwt_core::Error::MissingHolderKey))
    );
    Ok(())
}

#[test]
fn kb_wrong_typ() -> R {
    let f = fixture()?;
    let presented = f.sd_jwt.with_disclosures(vec![]);
    let c = kb_claims(&presented)?;
    let payload = json!({"iat": c.iat, "aud": c.aud, "nonce": c.nonce, "sd_hash": c.sd_hash});
    let kb = jws::sign_compact(
        &*signer(&f.holder)?,
        Some("JWT"),
        &Map::new(),
        payload.to_string().as_bytes(),
    )?;
    let text = presented
        .with_key_binding(KeyBindingJwt::parse(&kb)?)
        .to_compact();
    assert_eq!(
        verify(&keys_for(&f), &text, &kb_policy()).err(),
        Some(Error::KbWrongTyp {
            found: Some("JWT".into())
        })
    );
    Ok(())
}

#[test]
fn kb_missing_claim() -> R {
    let f = fixture()?;
    let presented = f.sd_jwt.with_disclosures(vec![]);
    let payload = json!({"iat": NOW, "aud": AUD, "nonce": NONCE});
    let kb = jws::sign_compact(
        &*signer(&f.holder)?,
        Some("kb+jwt"),
        &Map::new(),
        payload.to_string().as_bytes(),
    )?;
    let text = presented
        .with_key_binding(KeyBindingJwt::parse(&kb)?)
        .to_compact();
    assert_eq!(
        verify(&keys_for(&f), &text, &kb_policy()).err(),
        Some(Error::Core(sdjwt_core::Error::InvalidKbJwtClaim {
            name: "sd_hash"
        }))
    );
    Ok(())
}

#[test]
fn kb_issued_in_future() -> R {
    let f = fixture()?;
    let text = present(&f.sd_jwt, &f.holder, vec![], |c| c.iat = NOW + 61)?.to_compact();
    assert_eq!(
        verify(&keys_for(&f), &text, &kb_policy()).err(),
        Some(Error::KbIssuedInFuture {
            iat: NOW + 61,
            now: NOW
        })
    );
    let text = present(&f.sd_jwt, &f.holder, vec![], |c| c.iat = NOW + 60)?.to_compact();
    verify(&keys_for(&f), &text, &kb_policy())?;
    Ok(())
}

#[test]
fn kb_too_old() -> R {
    let f = fixture()?;
    let policy = Policy::new(KeyBinding::Required {
        audience: AUD.into(),
        nonce: NONCE.into(),
        max_age: 100,
    })
    .with_leeway(10);
    let text = present(&f.sd_jwt, &f.holder, vec![], |c| c.iat = NOW - 111)?.to_compact();
    assert_eq!(
        verify(&keys_for(&f), &text, &policy).err(),
        Some(Error::KbTooOld {
            iat: NOW - 111,
            now: NOW,
            max_age: 100
        })
    );
    let text = present(&f.sd_jwt, &f.holder, vec![], |c| c.iat = NOW - 110)?.to_compact();
    verify(&keys_for(&f), &text, &policy)?;
    Ok(())
}

#[test]
fn kb_audience_mismatch() -> R {
    let f = fixture()?;
    let text = present(&f.sd_jwt, &f.holder, vec![], |c| {
        c.aud = "https://attacker.example".into();
    })?
    .to_compact();
    assert_eq!(
        verify(&keys_for(&f), &text, &kb_policy()).err(),
        Some(Error::KbAudienceMismatch {
            expected: AUD.into(),
            found: "https://attacker.example".into()
        })
    );
    Ok(())
}

#[test]
fn kb_nonce_mismatch() -> R {
    let f = fixture()?;
    let text = present(&f.sd_jwt, &f.holder, vec![], |c| c.nonce = "stale".into())?.to_compact();
    let err = verify(&keys_for(&f), &text, &kb_policy()).err();
    assert_eq!(
        err,
        Some(Error::KbNonceMismatch {
            expected: NONCE.into(),
            found: "stale".into()
        })
    );
    assert_eq!(
        err.map(|e| e.to_string()).as_deref(),
        Some("key binding: nonce does not match")
    );
    Ok(())
}

#[test]
fn kb_sd_hash_mismatch() -> R {
    let f = fixture()?;
    // The KB-JWT covers all Disclosures, but one is dropped in transit.
    let full = present_all(&f)?;
    let kb = full.key_binding().cloned().ok_or("no kb")?;
    let fewer = full.with_disclosures(full.disclosures()[1..].to_vec());
    let text = fewer.with_key_binding(kb).to_compact();
    assert_eq!(
        verify(&keys_for(&f), &text, &kb_policy()).err(),
        Some(Error::KbSdHashMismatch)
    );
    // Same for the JSON serialization.
    let text = json_text(
        &f.sd_jwt.with_disclosures(vec![]).with_key_binding(
            present(
                &f.sd_jwt,
                &f.holder,
                f.sd_jwt.disclosures().to_vec(),
                |_| {},
            )?
            .key_binding()
            .cloned()
            .ok_or("no kb")?,
        ),
        JsonSyntax::Flattened,
    )?;
    assert_eq!(
        verify(&keys_for(&f), &text, &kb_policy()).err(),
        Some(Error::KbSdHashMismatch)
    );
    Ok(())
}

#[test]
fn kb_expired_claim_is_checked() -> R {
    let f = fixture()?;
    let presented = f.sd_jwt.with_disclosures(vec![]);
    let c = kb_claims(&presented)?;
    let payload = json!({
        "iat": c.iat, "aud": c.aud, "nonce": c.nonce, "sd_hash": c.sd_hash, "exp": NOW - 100
    });
    let kb = jws::sign_compact(
        &*signer(&f.holder)?,
        Some("kb+jwt"),
        &Map::new(),
        payload.to_string().as_bytes(),
    )?;
    let text = presented
        .with_key_binding(KeyBindingJwt::parse(&kb)?)
        .to_compact();
    assert_eq!(
        verify(&keys_for(&f), &text, &kb_policy()).err(),
        Some(Error::Core(sdjwt_core::Error::Expired {
            now: NOW,
            exp: NOW - 100
        }))
    );
    Ok(())
}

#[test]
fn error_conversions_and_source() {
    let e: Error = sdjwt_jose::Error::InvalidSignature.into();
    assert_eq!(
        e,
        Error::Core(sdjwt_core::Error::Jose(sdjwt_jose::Error::InvalidSignature))
    );
    assert_eq!(e.to_string(), "signature is invalid");
    // `Core` is transparent: the message is not repeated further down the chain.
    let mut chain = vec![e.to_string()];
    let mut next = std::error::Error::source(&e);
    while let Some(cause) = next {
        chain.push(cause.to_string());
        next = cause.source();
    }
    assert_eq!(chain, ["signature is invalid"]);
    let e: Error = sdjwt_core::Error::MissingTilde.into();
    assert!(matches!(e, Error::Core(sdjwt_core::Error::MissingTilde)));
    assert_eq!(
        Error::KbSdHashMismatch.to_string(),
        "key binding: sd_hash does not match the presented SD-JWT"
    );
}
