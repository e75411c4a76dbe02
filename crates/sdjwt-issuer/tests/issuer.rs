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

/// A fresh Ed25519 signer: EdDSA signatures are deterministic (RFC 8032 §5.1.6), so two routes
/// that sign the same bytes give the same text.
fn eddsa_signer() -> Box<dyn sdjwt_jose::JwsSigner> {
    let alg = sdjwt_jose::JwsAlgorithm::EdDsa;
    let key = PROVIDER.generate_key(alg).unwrap_or_else(|e| panic!("{e}"));
    PROVIDER.signer(&key, alg).unwrap_or_else(|e| panic!("{e}"))
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
    let holder = PROVIDER
        .generate_key(sdjwt_jose::JwsAlgorithm::EdDsa)
        .unwrap_or_else(|e| panic!("{e}"));
    let signer = eddsa_signer();
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

#[test]
fn borrowed_claims_and_paths_issue_what_owned_ones_do() {
    // Fixed salts and EdDSA (deterministic signatures, RFC 8032 §5.1.6) make the two routes
    // comparable byte for byte, including a path added after the borrowed list.
    let signer = eddsa_signer();
    let listed = ["/given_name", "/address/locality", "/nationalities/0"].map(path);
    let added = path("/address");
    let with_salts = |mut b: SdJwtBuilder<'_>| {
        for (i, p) in listed.iter().chain([&added]).enumerate() {
            b = b.salt(p.clone(), Salt::from_string(format!("salt-{i}")));
        }
        b.decoys(Decoys::None)
            .prepare(&PROVIDER)
            .and_then(|p| p.sign_compact(signer.as_ref()))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let record = claims();
    let owned = with_salts(
        SdJwtBuilder::new(record.clone())
            .disclose_all(listed.clone())
            .disclose(added.clone()),
    );
    let borrowed = with_salts(
        SdJwtBuilder::borrowing(&record)
            .disclose_each(&listed)
            .disclose(added.clone()),
    );
    assert_eq!(owned, borrowed);
    assert_eq!(owned.matches('~').count(), 5, "{owned}");
    // The borrowed record is untouched, and a second credential issues from it.
    assert_eq!(record, claims());
    let again = with_salts(SdJwtBuilder::borrowing(&record).disclose_each(&listed));
    assert_eq!(again.matches('~').count(), 4, "{again}");
}

#[test]
fn claims_nested_beyond_the_depth_limit_are_refused() {
    // `{"a": [[...[1]...]]}`: the top-level object is depth 1, each array one more.
    let nested = |arrays: usize| {
        let mut v = json!(1);
        for _ in 0..arrays {
            v = json!([v]);
        }
        let mut m = Map::new();
        m.insert("a".into(), v);
        m
    };
    let limits = |max_depth| {
        let mut limits = sdjwt_core::Limits::DEFAULT;
        limits.max_depth = max_depth;
        limits
    };
    let prepare = |claims: Map<String, Value>, max_depth| {
        SdJwtBuilder::new(claims)
            .limits(limits(max_depth))
            .disclose(path("/a"))
            .prepare(&PROVIDER)
    };
    let too_deep = |max| {
        Err::<PreparedSdJwt, _>(Error::Core(sdjwt_core::Error::LimitExceeded {
            limit: sdjwt_core::Limit::Depth,
            max,
        }))
    };
    // Depth 32 is the default limit's edge; 33 is over it.
    let at_limit = prepare(nested(31), 32).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(at_limit.disclosures().len(), 1);
    assert_eq!(
        prepare(nested(32), 32).map(|_| ()),
        too_deep(32).map(|_| ())
    );
    // A limit above the JSON parser's is capped at the parser's, so that every Disclosure
    // made parses again.
    let max = sdjwt_jose::json::MAX_DEPTH;
    let at_parser_limit = prepare(nested(max - 1), 1000).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(at_parser_limit.disclosures().len(), 1);
    assert_eq!(
        prepare(nested(max), 1000).map(|_| ()),
        too_deep(max).map(|_| ())
    );
    // A value nested far deeper than any limit is refused without walking all of it (not much
    // deeper here: dropping a `serde_json::Value` recurses too).
    assert_eq!(
        prepare(nested(300), 32).map(|_| ()),
        too_deep(32).map(|_| ())
    );
}
