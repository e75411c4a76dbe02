//! Property tests (issue 7) across the issuer, holder and verifier:
//!
//! * for random claim trees (nested objects and arrays, unicode names and values, every JSON
//!   type), random disclosable paths and a random disclosed subset, the verifier returns exactly
//!   the always-visible claims plus the disclosed subset, computed here independently;
//! * compact ↔ JWS JSON (flattened and general) round trips are lossless, and both forms verify
//!   to the same claims;
//! * Disclosure encode → decode is the identity;
//! * the in-place JSON tree payloads are read through agrees with the `serde_json` parser;
//! * any single-byte change anywhere in a compact SD-JWT+KB is rejected;
//! * issuance never produces two equal salts or two equal digests in one credential.
//!
//! Case counts are kept small (debug builds run under `cargo test --workspace`); raise them with
//! `PROPTEST_CASES=5000 cargo test -p sdjwt-tests --test proptests --release`.

#![forbid(unsafe_code)]
// Setup failures (signing with fixture keys) are bugs in the test: `expect` says which.
#![allow(clippy::expect_used)]

use std::collections::{BTreeSet, HashSet};
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use sdjwt_core::jose::jws::JsonSyntax;
use sdjwt_core::{ClaimName, ClaimPath, Disclosure, DisclosureKind, Limits, PathSegment, Salt};
use sdjwt_core::{SdJwt, Serialization};
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_issuer::{Decoys, SdJwtBuilder};
use sdjwt_jose::{CryptoProvider, HashAlgorithm, JwsAlgorithm};
use sdjwt_test::{AWS_LC, deterministic, holder_key, issuer_key};
use sdjwt_verifier::{KeyBinding, Policy, StaticKeys, VerifiedPresentation, Verifier};
use serde_json::{Map, Value};

const NOW: i64 = 1_800_000_000;
const ISS: &str = "https://issuer.example";
const AUD: &str = "https://verifier.example";
const NONCE: &str = "nonce-4711";

/// Names the generated claims never use: reserved by RFC 9901, set by the issuer itself, or
/// validity claims the verifier would act on.
const AVOIDED_NAMES: &[&str] = &[
    "_sd", "...", "_sd_alg", "iss", "iat", "nbf", "exp", "aud", "cnf",
];

// --- strategies ------------------------------------------------------------------------------

/// Any string: ASCII, any unicode scalar (controls, quotes, backslashes, astral planes).
fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::string::string_regex(&format!("[a-z0-9_]{{0,{max}}}")).expect("regex"),
        proptest::collection::vec(any::<char>(), 0..=max).prop_map(String::from_iter),
    ]
}

fn claim_name() -> impl Strategy<Value = String> {
    any_text(8).prop_filter("avoided name", |n| !AVOIDED_NAMES.contains(&n.as_str()))
}

/// Every JSON scalar type, with integers at both ends of i64/u64 and finite floats.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any_text(12).prop_map(Value::String),
    ]
}

/// A JSON value nesting up to four levels of arrays and objects.
fn tree() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::vec((claim_name(), inner), 0..5)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// A claims object (the top level of a payload).
fn claims() -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::vec((claim_name(), tree()), 0..6)
        .prop_map(|members| members.into_iter().collect())
}

fn serialization() -> impl Strategy<Value = Serialization> {
    select(vec![
        Serialization::Compact,
        Serialization::Json(JsonSyntax::Flattened),
        Serialization::Json(JsonSyntax::General),
    ])
}

// --- helpers ---------------------------------------------------------------------------------

/// Every path in `v` below `prefix`, parents before children.
fn all_paths(v: &Value, prefix: &ClaimPath, out: &mut Vec<ClaimPath>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = prefix
                    .clone()
                    .key(ClaimName::new(k.clone()).expect("not reserved"));
                out.push(p.clone());
                all_paths(child, &p, out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                let p = prefix.clone().index(i);
                out.push(p.clone());
                all_paths(child, &p, out);
            }
        }
        _ => {}
    }
}

/// `v` without the nodes at `hidden` (paths in `v`'s own coordinates); array elements after a
/// hidden one move up, as they do when a verifier drops an undisclosed element.
fn prune(v: &Value, path: &mut ClaimPath, hidden: &BTreeSet<ClaimPath>) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, child) in m {
                path.push(PathSegment::Key(
                    ClaimName::new(k.clone()).expect("not reserved"),
                ));
                if !hidden.contains(path) {
                    out.insert(k.clone(), prune(child, path, hidden));
                }
                path.pop();
            }
            Value::Object(out)
        }
        Value::Array(a) => {
            let mut out = Vec::new();
            for (i, child) in a.iter().enumerate() {
                path.push(PathSegment::Index(i));
                if !hidden.contains(path) {
                    out.push(prune(child, path, hidden));
                }
                path.pop();
            }
            Value::Array(out)
        }
        other => other.clone(),
    }
}

fn pick(mask: &[bool], i: usize) -> bool {
    mask.get(i).copied().unwrap_or(false)
}

fn keys() -> StaticKeys {
    StaticKeys::new().with_issuer_key(ISS, &issuer_key().to_public())
}

/// Issues a credential over `claims` with `disclosable` paths, signed with the RFC 9901
/// example issuer key and bound to the example holder key.
fn issue(
    provider: &CryptoProvider,
    claims: Map<String, Value>,
    disclosable: &[ClaimPath],
    hash: HashAlgorithm,
    decoys: usize,
    serialization: Serialization,
) -> SdJwt {
    let prepared = SdJwtBuilder::new(claims)
        .issuer(ISS)
        .issued_at(NOW - 10)
        .holder_key(&holder_key().to_public())
        .hash_algorithm(hash)
        .decoys(Decoys::Exact(decoys))
        .disclose_all(disclosable.iter().cloned())
        .prepare(provider)
        .expect("prepare");
    let signer = provider
        .signer(&issuer_key(), JwsAlgorithm::Es256)
        .expect("issuer signer");
    if let Serialization::Json(syntax) = serialization {
        return prepared.sign_json(&[&*signer], syntax).expect("sign");
    }
    // The compact text straight from `sign_compact`, which must parse and agree with `sign`
    // everywhere but the (randomized ES256) signature: same header and payload, same
    // Disclosures in the same order.
    let text = prepared.sign_compact(&*signer).expect("sign_compact");
    let via_sign = prepared.sign(&*signer).expect("sign").to_compact();
    let (jwt, tail) = text.split_once('~').expect("a compact SD-JWT");
    let (other_jwt, other_tail) = via_sign.split_once('~').expect("a compact SD-JWT");
    assert_eq!(tail, other_tail);
    assert_eq!(
        jwt.rsplit_once('.').map(|p| p.0),
        other_jwt.rsplit_once('.').map(|p| p.0)
    );
    SdJwt::parse_compact(&text, &Limits::DEFAULT).expect("sign_compact writes a valid SD-JWT")
}

fn accept(provider: &CryptoProvider, issued: &SdJwt) -> Credential {
    Credential::accept(
        &issued.serialize(),
        provider,
        &[issuer_key().to_public()],
        &AcceptOptions::new(NOW),
    )
    .expect("the holder accepts what the issuer made")
}

/// A presentation of the Disclosures at `indices`, with a Key Binding JWT.
fn present(provider: &CryptoProvider, credential: &Credential, indices: &[usize]) -> SdJwt {
    let signer = provider
        .signer(&holder_key(), JwsAlgorithm::Es256)
        .expect("holder signer");
    let request = KeyBindingRequest {
        signer: &*signer,
        audience: AUD,
        nonce: NONCE,
        issued_at: NOW,
    };
    credential
        .present_disclosures(indices, Some(&request), provider)
        .expect("present")
}

fn verify(
    provider: &CryptoProvider,
    text: &str,
) -> Result<VerifiedPresentation, sdjwt_verifier::Error> {
    let keys = keys();
    Verifier::new(provider, &keys).verify(text, &Policy::new(KeyBinding::required(AUD, NONCE)), NOW)
}

/// The verified claims less those the issuer adds to every credential.
fn user_claims(v: &VerifiedPresentation) -> Map<String, Value> {
    let mut claims = v.claims().clone();
    for name in ["iss", "iat", "cnf"] {
        claims.remove(name);
    }
    claims
}

/// One fixed compact SD-JWT+KB with nested, recursive and array Disclosures and decoys, for the
/// byte-flip property (built once: every case only mutates and verifies).
static FIXED_PRESENTATION: LazyLock<String> = LazyLock::new(|| {
    let provider = deterministic(AWS_LC, 7);
    let claims: Value = serde_json::json!({
        "given_name": "Erika",
        "address": {"street_address": "Heidestraße 17", "locality": "Köln"},
        "nationalities": ["DE", "FR"],
        "age_over": {"18": true, "65": false}
    });
    let claims = claims.as_object().cloned().expect("object");
    let mut disclosable = Vec::new();
    for pointer in [
        "/given_name",
        "/address",
        "/address/locality",
        "/nationalities/1",
        "/age_over/18",
    ] {
        disclosable.push(ClaimPath::resolve_pointer_in(pointer, &claims).expect("pointer"));
    }
    let issued = issue(
        &provider,
        claims,
        &disclosable,
        HashAlgorithm::Sha256,
        2,
        Serialization::Compact,
    );
    let credential = accept(&provider, &issued);
    let all: Vec<usize> = (0..issued.disclosures().len()).collect();
    present(&provider, &credential, &all).to_compact()
});

/// Every digest in `v`: `_sd` entries and `{"...": digest}` array elements, at any depth.
fn collect_digests(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                match (k.as_str(), child) {
                    ("_sd", Value::Array(items)) => {
                        out.extend(items.iter().filter_map(Value::as_str).map(str::to_owned));
                    }
                    ("...", Value::String(d)) => out.push(d.clone()),
                    _ => collect_digests(child, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|c| collect_digests(c, out)),
        _ => {}
    }
}

/// `PROPTEST_CASES` from the environment if set (for long runs), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// --- properties ------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(192)))]

    /// The verifier returns exactly the always-visible claims plus the disclosed subset.
    #[test]
    fn verifier_reveals_exactly_the_disclosed_subset(
        claims in claims(),
        disclose_mask in proptest::collection::vec(any::<bool>(), 128),
        reveal_mask in proptest::collection::vec(any::<bool>(), 128),
        hash in select(HashAlgorithm::ALL.to_vec()),
        decoys in 0usize..3,
        serialization in serialization(),
        seed in any::<u64>(),
    ) {
        let provider = deterministic(AWS_LC, seed);
        let tree = Value::Object(claims.clone());
        let mut paths = Vec::new();
        all_paths(&tree, &ClaimPath::root(), &mut paths);
        let disclosable: Vec<ClaimPath> = paths
            .iter()
            .enumerate()
            .filter(|(i, _)| pick(&disclose_mask, *i))
            .map(|(_, p)| p.clone())
            .collect();
        // Revealed: chosen, and every disclosable ancestor revealed too (else the holder would
        // send an orphaned Disclosure, which the verifier must refuse).
        let mut revealed = BTreeSet::new();
        for (i, p) in disclosable.iter().enumerate() {
            let ancestors_revealed = disclosable
                .iter()
                .filter(|a| a.len() < p.len() && p.starts_with(a))
                .all(|a| revealed.contains(a));
            if pick(&reveal_mask, i) && ancestors_revealed {
                revealed.insert(p.clone());
            }
        }
        let hidden: BTreeSet<ClaimPath> =
            disclosable.iter().filter(|p| !revealed.contains(*p)).cloned().collect();

        let issued = issue(&provider, claims.clone(), &disclosable, hash, decoys, serialization);
        prop_assert_eq!(issued.disclosures().len(), disclosable.len());
        let credential = accept(&provider, &issued);
        // The holder sees everything, in the issuer's coordinates.
        let mut full = credential.claims().clone();
        for name in ["iss", "iat", "cnf"] {
            full.remove(name);
        }
        prop_assert_eq!(&full, &claims);

        let indices: Vec<usize> = credential
            .disclosed()
            .iter()
            .filter(|d| revealed.contains(&d.path))
            .map(|d| d.disclosure)
            .collect();
        prop_assert_eq!(indices.len(), revealed.len());
        let presentation = present(&provider, &credential, &indices).serialize();
        let verified = verify(&provider, &presentation);
        prop_assert!(verified.is_ok(), "{:?}", verified.err());
        let verified = verified.expect("checked");
        let expected = prune(&tree, &mut ClaimPath::root(), &hidden);
        prop_assert_eq!(Value::Object(user_claims(&verified)), expected);
        let disclosed: BTreeSet<ClaimPath> = verified.disclosed_paths().cloned().collect();
        prop_assert_eq!(disclosed.len(), revealed.len());
        prop_assert!(verified.key_bound());
    }

    /// Compact ↔ JWS JSON round trips lose nothing, with and without a KB-JWT, and both forms
    /// of a presentation verify to the same claims.
    #[test]
    fn compact_and_json_round_trips_are_lossless(
        claims in claims(),
        disclose_mask in proptest::collection::vec(any::<bool>(), 64),
        seed in any::<u64>(),
    ) {
        let provider = deterministic(AWS_LC, seed);
        let mut paths = Vec::new();
        all_paths(&Value::Object(claims.clone()), &ClaimPath::root(), &mut paths);
        let disclosable: Vec<ClaimPath> = paths
            .into_iter()
            .enumerate()
            .filter(|(i, _)| pick(&disclose_mask, *i))
            .map(|(_, p)| p)
            .collect();
        let issued = issue(&provider, claims, &disclosable, HashAlgorithm::Sha256, 1, Serialization::Compact);
        let credential = accept(&provider, &issued);
        let all: Vec<usize> = (0..issued.disclosures().len()).collect();
        let presented = present(&provider, &credential, &all);
        let limits = Limits::DEFAULT;
        for sd_jwt in [&issued, &presented] {
            let compact = sd_jwt.to_compact();
            let reparsed = SdJwt::parse(&compact, &limits);
            prop_assert_eq!(reparsed.as_ref(), Ok(sd_jwt));
            for syntax in [JsonSyntax::Flattened, JsonSyntax::General] {
                let json = sd_jwt.to_json(syntax).expect("one signature fits either syntax");
                let text = Value::Object(json.clone()).to_string();
                let back = SdJwt::parse(&text, &limits).expect("JSON form parses");
                prop_assert_eq!(back.serialization(), Serialization::Json(syntax));
                prop_assert_eq!(back.to_compact(), compact.clone());
                prop_assert_eq!(back.to_json(syntax).expect("to_json"), json);
                prop_assert_eq!(back.serialize(), text);
                prop_assert_eq!(back.disclosures(), sd_jwt.disclosures());
                prop_assert_eq!(back.key_binding(), sd_jwt.key_binding());
            }
        }
        // sd_hash covers the compact form of the first signature (RFC 9901 §8.1), so one KB-JWT
        // is valid in every serialization.
        let compact = verify(&provider, &presented.to_compact()).expect("compact verifies");
        for syntax in [JsonSyntax::Flattened, JsonSyntax::General] {
            let text = Value::Object(presented.to_json(syntax).expect("to_json")).to_string();
            let json = verify(&provider, &text).expect("JSON verifies");
            prop_assert_eq!(json.claims(), compact.claims());
        }
    }

    /// The in-place JSON tree that payloads are read through agrees with the `serde_json`
    /// parser: on any object, written compactly or pretty-printed, and on the same text with
    /// one byte changed (both accept the same value, or both refuse with the same error).
    #[test]
    fn json_tree_agrees_with_the_value_parser(
        claims in claims(),
        pretty in any::<bool>(),
        position in any::<Index>(),
        byte in any::<u8>(),
    ) {
        use sdjwt_jose::json::{parse_object, tree::JsonTree};
        let text = if pretty {
            serde_json::to_string_pretty(&claims)
        } else {
            serde_json::to_string(&claims)
        }
        .expect("serializable");
        let tree = JsonTree::parse_object(text.as_bytes()).map(|t| t.to_map());
        prop_assert_eq!(tree.as_ref(), Ok(&claims));
        let mut changed = text.into_bytes();
        let at = position.index(changed.len());
        changed[at] = byte;
        let (tree, map) = (
            JsonTree::parse_object(&changed).map(|t| t.to_map()),
            parse_object(&changed),
        );
        match (&tree, &map) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            _ => prop_assert!(false, "disagree: tree {:?}, serde_json {:?}", tree, map),
        }
    }

    /// Disclosure encode → decode is the identity, for every JSON value, salt and name.
    #[test]
    fn disclosure_encode_decode_is_identity(
        salt in any_text(24),
        name in any_text(16).prop_filter("reserved", |n| ClaimName::new(n.clone()).is_ok() && n != "_sd_alg"),
        value in tree(),
    ) {
        let salt = Salt::from_string(salt);
        let name = ClaimName::new(name).expect("filtered");
        let property = Disclosure::property(&salt, &name, value.clone());
        let element = Disclosure::array_element(&salt, value.clone());
        for d in [property, element] {
            let decoded = Disclosure::parse(d.as_str());
            prop_assert_eq!(decoded.as_ref(), Ok(&d));
            let decoded = decoded.expect("checked");
            prop_assert_eq!(decoded.salt(), salt.as_str());
            prop_assert_eq!(decoded.value(), &value);
            match decoded.kind() {
                DisclosureKind::Property { name: n, .. } => prop_assert_eq!(n, name.as_str()),
                DisclosureKind::ArrayElement { .. } => prop_assert!(decoded.name().is_none()),
            }
        }
    }

    /// Issuance never repeats a salt or a digest within one credential, decoys included.
    #[test]
    fn issuance_never_repeats_a_salt_or_digest(
        claims in claims(),
        decoys in 0usize..6,
        hash in select(HashAlgorithm::ALL.to_vec()),
    ) {
        let tree = Value::Object(claims.clone());
        let mut disclosable = Vec::new();
        all_paths(&tree, &ClaimPath::root(), &mut disclosable);
        // The real random source: this is a property of issuance as deployed.
        let issued = issue(&AWS_LC, claims, &disclosable, hash, decoys, Serialization::Compact);
        let salts: HashSet<&str> = issued.disclosures().iter().map(Disclosure::salt).collect();
        prop_assert_eq!(salts.len(), issued.disclosures().len());
        let mut digests = Vec::new();
        collect_digests(&Value::Object(issued.payload().clone()), &mut digests);
        for d in issued.disclosures() {
            collect_digests(d.value(), &mut digests);
        }
        let unique: HashSet<&String> = digests.iter().collect();
        prop_assert_eq!(unique.len(), digests.len(), "a digest repeats");
        for d in issued.disclosures() {
            let digest = d.digest(&AWS_LC, hash).expect("digest");
            prop_assert!(unique.contains(&digest.as_str().to_owned()), "a Disclosure has no digest");
        }
        prop_assert!(digests.len() >= issued.disclosures().len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1024)))]

    /// Any single-byte change anywhere in a compact SD-JWT+KB is rejected (or leaves text that
    /// is not UTF-8, which cannot even be handed to the verifier).
    #[test]
    fn any_single_byte_change_is_rejected(position in any::<Index>(), byte in any::<u8>()) {
        let original = FIXED_PRESENTATION.as_bytes();
        let i = position.index(original.len());
        prop_assume!(original[i] != byte);
        let mut mutated = original.to_vec();
        mutated[i] = byte;
        if let Ok(text) = String::from_utf8(mutated) {
            let result = verify(&AWS_LC, &text);
            prop_assert!(result.is_err(), "byte {i} changed to {byte:#04x} still verifies");
        }
    }
}

/// Every position, deterministically: flipping the lowest bit of each byte (which keeps the text
/// ASCII) is rejected wherever it lands.
#[test]
fn flipping_any_byte_is_rejected() {
    let original = FIXED_PRESENTATION.as_bytes();
    for i in 0..original.len() {
        let mut mutated = original.to_vec();
        mutated[i] ^= 1;
        let text = String::from_utf8(mutated).expect("ASCII stays ASCII");
        assert!(
            verify(&AWS_LC, &text).is_err(),
            "flipping byte {i} still verifies"
        );
    }
}

/// The unmutated fixed presentation verifies, so the byte-flip property is not vacuous.
#[test]
fn fixed_presentation_verifies() {
    let verified = verify(&AWS_LC, &FIXED_PRESENTATION).expect("verifies");
    assert_eq!(verified.claims()["address"]["locality"], "Köln");
    assert_eq!(
        verified.claims()["nationalities"],
        serde_json::json!(["DE", "FR"])
    );
}
