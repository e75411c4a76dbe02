//! The issuer's own rules: which paths may be selected, how a path that names nothing is
//! reported, fixed salts, and the shape of what is issued (RFC 9901 §4.2, §6.3, §9.7).

use sdjwt_core::{ClaimName, ClaimPath, Disclosure, PathSegment, Salt};
use sdjwt_issuer::{Decoys, Error, PreparedSdJwt, SdJwtBuilder};
use sdjwt_jose::CryptoProvider;
use serde_json::{Map, Value, json};

const PROVIDER: CryptoProvider = sdjwt_aws_lc::DEFAULT_PROVIDER;

fn claims() -> Map<String, Value> {
    let v = json!({
        "given_name": "Ada",
        "address": {"locality": "London", "country": "GB"},
        "nationalities": ["GB", "FR"],
        "right_to_work": true
    });
    v.as_object().cloned().unwrap_or_default()
}

/// A path from a pointer whose numeric segments are indices, whether or not it names anything
/// in [`claims`] (these pointers need no escapes).
fn path(pointer: &str) -> ClaimPath {
    let segments = pointer
        .split('/')
        .skip(1)
        .map(|s| match s.parse::<usize>() {
            Ok(i) => PathSegment::Index(i),
            Err(_) => PathSegment::Key(ClaimName::new(s).unwrap_or_else(|e| panic!("{s}: {e}"))),
        });
    ClaimPath::from_segments(segments.collect())
}

fn prepare(pointers: &[&str]) -> Result<PreparedSdJwt, Error> {
    SdJwtBuilder::new(claims())
        .decoys(Decoys::None)
        .disclose_all(pointers.iter().map(|p| path(p)))
        .prepare(&PROVIDER)
}

fn payload(prepared: &PreparedSdJwt) -> Map<String, Value> {
    serde_json::from_str(prepared.payload()).unwrap_or_else(|e| panic!("{e}"))
}

fn not_found(pointer: &str) -> Result<PreparedSdJwt, Error> {
    Err(Error::Core(sdjwt_core::Error::PathNotFound {
        path: pointer.into(),
    }))
}

#[test]
fn a_path_that_names_nothing_is_reported_by_name() {
    // A missing member, an index past the end, and a path below a scalar.
    for missing in [
        "/nope",
        "/nationalities/2",
        "/given_name/first",
        "/address/town",
    ] {
        assert_eq!(
            prepare(&["/given_name", missing]).map(|p| p.payload().to_owned()),
            not_found(missing).map(|p| p.payload().to_owned()),
            "{missing}"
        );
    }
    // The first missing path in the order given is the one named.
    assert_eq!(
        prepare(&["/right_to_work", "/b", "/a"]).map(|p| p.payload().to_owned()),
        not_found("/b").map(|p| p.payload().to_owned())
    );
}

#[test]
fn selection_rules() {
    assert!(matches!(
        prepare(&["/given_name", "/given_name"]),
        Err(Error::DuplicatePath { path }) if path == "/given_name"
    ));
    assert!(matches!(prepare(&[""]), Err(Error::NotDisclosable { .. })));
    let with_iss = SdJwtBuilder::new(json!({"iss": "x"}).as_object().cloned().unwrap_or_default())
        .disclose(path("/iss"))
        .prepare(&PROVIDER);
    assert!(matches!(with_iss, Err(Error::NotDisclosable { path }) if path == "/iss"));
}

#[test]
fn nested_array_and_recursive_selections() {
    let prepared = prepare(&[
        "/address",
        "/address/locality",
        "/nationalities/1",
        "/right_to_work",
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let payload = payload(&prepared);
    // Two top-level digests (address, right_to_work), given_name in the clear.
    assert_eq!(payload["_sd"].as_array().map(Vec::len), Some(2));
    assert_eq!(payload["given_name"], json!("Ada"));
    assert!(payload.get("address").is_none());
    // The first nationality in the clear, the second replaced by a digest in place.
    assert_eq!(payload["nationalities"][0], json!("GB"));
    assert!(payload["nationalities"][1]["..."].is_string());
    // The address Disclosure carries the locality's digest, not its value.
    let address = prepared
        .disclosures()
        .iter()
        .find(|d| d.name() == Some("address"))
        .unwrap_or_else(|| panic!("no address Disclosure"));
    assert_eq!(address.value()["country"], json!("GB"));
    assert!(address.value().get("locality").is_none());
    assert_eq!(address.value()["_sd"].as_array().map(Vec::len), Some(1));
    assert_eq!(prepared.disclosures().len(), 4);
    // Every salt is distinct.
    let mut salts: Vec<&str> = prepared
        .disclosures()
        .iter()
        .map(Disclosure::salt)
        .collect();
    salts.sort_unstable();
    salts.dedup();
    assert_eq!(salts.len(), 4);
}

#[test]
fn fixed_salts_reproduce_the_rfc_disclosure() {
    // RFC 9901 §5: the Disclosure of "given_name": "John" with salt 2GLC42sKQveCfGfryNRN9w,
    // serialized there with ", " separators; ours writes compact JSON, so compare contents.
    let claims = json!({"given_name": "John", "family_name": "Doe"});
    let claims = claims.as_object().cloned().unwrap_or_default();
    let (given, family) = (path("/given_name"), path("/family_name"));
    let prepared = SdJwtBuilder::new(claims)
        .decoys(Decoys::None)
        .disclose(given.clone())
        .salt(given, Salt::from_string("2GLC42sKQveCfGfryNRN9w"))
        // A fixed salt for a path that is not selected is ignored.
        .salt(family, Salt::from_string("unused"))
        .prepare(&PROVIDER)
        .unwrap_or_else(|e| panic!("{e}"));
    let [d] = prepared.disclosures() else {
        panic!("one Disclosure expected");
    };
    assert_eq!(d.salt(), "2GLC42sKQveCfGfryNRN9w");
    assert_eq!(
        sdjwt_jose::base64url::decode(d.as_str()).ok(),
        Some(br#"["2GLC42sKQveCfGfryNRN9w","given_name","John"]"#.to_vec())
    );
    assert_eq!(payload(&prepared)["family_name"], json!("Doe"));
}

#[test]
fn sign_compact_is_sign_then_to_compact() {
    // EdDSA signatures are deterministic (RFC 8032 §5.1.6), so the two routes must give the
    // same text byte for byte: nested, array and recursive Disclosures, decoys in objects and
    // arrays, every builder-set claim and header parameter.
    let alg = sdjwt_jose::JwsAlgorithm::EdDsa;
    let issuer = PROVIDER.generate_key(alg).unwrap_or_else(|e| panic!("{e}"));
    let holder = PROVIDER.generate_key(alg).unwrap_or_else(|e| panic!("{e}"));
    let signer = PROVIDER
        .signer(&issuer, alg)
        .unwrap_or_else(|e| panic!("{e}"));
    let prepared = SdJwtBuilder::new(claims())
        .issuer("https://issuer.example")
        .issued_at(1_700_000_000)
        .not_before(1_700_000_000)
        .expires_at(1_800_000_000)
        .holder_key(&holder.to_public())
        .typ("example+sd-jwt")
        .header_parameter("x5u", json!("https://issuer.example/key"))
        .decoys(Decoys::Exact(2))
        .disclose_all(
            [
                "/given_name",
                "/address/locality",
                "/address",
                "/nationalities/1",
            ]
            .map(path),
        )
        .prepare(&PROVIDER)
        .unwrap_or_else(|e| panic!("{e}"));
    let fast = prepared
        .sign_compact(signer.as_ref())
        .unwrap_or_else(|e| panic!("{e}"));
    let full = prepared
        .sign(signer.as_ref())
        .unwrap_or_else(|e| panic!("{e}"))
        .to_compact();
    assert_eq!(fast, full);
    assert_eq!(fast.matches('~').count(), 5, "{fast}");
    // The Disclosures built afterwards are the ones already in the text.
    let texts: Vec<&str> = prepared
        .disclosures()
        .iter()
        .map(Disclosure::as_str)
        .collect();
    assert_eq!(texts, fast.split('~').skip(1).take(4).collect::<Vec<_>>());
    // The salts stay out of the debug view.
    let debug = format!("{prepared:?}");
    for d in prepared.disclosures() {
        assert!(!debug.contains(d.salt()), "{debug}");
        assert!(!debug.contains(d.as_str()), "{debug}");
    }
}

#[test]
fn payload_members_keep_their_order() {
    // The payload is written as text: `iss`, the times, the plaintext claims in their order,
    // `_sd`, `cnf`, `_sd_alg`, as the JSON-map route wrote it before.
    let holder = PROVIDER
        .generate_key(sdjwt_jose::JwsAlgorithm::Es256)
        .unwrap_or_else(|e| panic!("{e}"));
    let prepared = SdJwtBuilder::new(claims())
        .issuer("https://issuer.example")
        .issued_at(1)
        .not_before(2)
        .expires_at(3)
        .holder_key(&holder.to_public())
        .decoys(Decoys::None)
        .disclose(path("/given_name"))
        .prepare(&PROVIDER)
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = payload(&prepared).keys().cloned().collect();
    assert_eq!(
        names,
        [
            "iss",
            "iat",
            "nbf",
            "exp",
            "address",
            "nationalities",
            "right_to_work",
            "_sd",
            "cnf",
            "_sd_alg"
        ]
    );
    let text = prepared.payload();
    assert!(
        text.starts_with(r#"{"iss":"https://issuer.example","iat":1,"nbf":2,"exp":3,"address":{"locality":"London","country":"GB"},"nationalities":["GB","FR"],"right_to_work":true,"_sd":[""#),
        "{text}"
    );
    assert!(text.ends_with(r#"}},"_sd_alg":"sha-256"}"#), "{text}");
}
