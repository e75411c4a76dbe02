//! The privacy report: what a Verifier learns from a presentation, what stays hidden, and which
//! values link it to other presentations (RFC 9901 §10.1).

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used)]

use std::collections::BTreeSet;
use std::num::NonZeroU64;

use sdjwt_aws_lc::DEFAULT_PROVIDER as P;
use sdjwt_core::{ClaimPath, Limits, SdJwt};
use sdjwt_holder::privacy::{LinkScope, LinkerKind, PrivacyReport, Remedy, ReportOptions, report};
use sdjwt_holder::{AcceptOptions, Credential, Error, KeyBindingRequest};
use sdjwt_issuer::{Decoys, SdJwtBuilder};
use sdjwt_jose::jws::JsonSyntax;
use sdjwt_jose::{HashAlgorithm, Jwk, JwsAlgorithm};
use serde_json::{Value, json};

const NOW: i64 = 1_800_000_000;
/// Not a multiple of an hour: precise.
const IAT: i64 = NOW - 10;
/// A whole day: coarse.
const EXP: i64 = 1_800_057_600;
const STATUS_URI: &str = "https://status.gov.example/lists/1";
const AUD: &str = "https://employer.example";

/// Every disclosable path of [`identity`].
const DISCLOSABLE: &[&str] = &[
    "/given_name",
    "/family_name",
    "/birth_date",
    "/address",
    "/address/street",
    "/address/locality",
    "/address/postcode",
    "/right_to_work",
    "/nationalities/0",
    "/nationalities/1",
];

/// A UK identity; `country` inside `address`, `status`, `sub` and `document_number` stay
/// always visible.
fn identity() -> Value {
    json!({
        "sub": "urn:uuid:4f1c2a8e-54b3-4c7e-9d4b-1f0e2c3d4a5b",
        "document_number": "123456789",
        "given_name": "Amara",
        "family_name": "Okafor",
        "birth_date": "1990-04-01",
        "address": {
            "street": "1 Main St",
            "locality": "London",
            "postcode": "SW1A 1AA",
            "country": "GB"
        },
        "right_to_work": true,
        "nationalities": ["GB", "NG"],
        "status": {"status_list": {"idx": 4711, "uri": STATUS_URI}}
    })
}

struct Issued {
    issuer: Jwk,
    holder: Jwk,
    text: String,
}

fn issue(claims: &Value, disclosable: &[&str], decoys: Decoys, holder_key: bool) -> Issued {
    let issuer = P.generate_key(JwsAlgorithm::Es256).expect("issuer key");
    let holder = P.generate_key(JwsAlgorithm::Es256).expect("holder key");
    let mut b = SdJwtBuilder::new(claims.as_object().cloned().expect("object"))
        .issuer("https://identity.gov.example")
        .issued_at(IAT)
        .expires_at(EXP)
        .typ("dc+sd-jwt")
        .header_parameter("x5c", json!(["MIIBcert1", "MIIBcert2"]))
        .decoys(decoys);
    if holder_key {
        b = b.holder_key(&holder.to_public());
    }
    for p in disclosable {
        b = b.disclose(ClaimPath::resolve_pointer(p, claims).expect("pointer"));
    }
    let signer = P
        .signer(&issuer.clone().with_kid("issuer-2026"), JwsAlgorithm::Es256)
        .expect("signer");
    let text = b
        .prepare(&P)
        .expect("prepare")
        .sign(&*signer)
        .expect("sign")
        .to_compact();
    Issued {
        issuer,
        holder,
        text,
    }
}

fn accept(issued: &Issued) -> Credential {
    Credential::accept(
        &issued.text,
        &P,
        &[issued.issuer.to_public()],
        &AcceptOptions::new(NOW),
    )
    .expect("accept")
}

/// Presents `pointers` with a KB-JWT signed by `holder` (which may carry a `kid`).
fn present(issued: &Issued, holder: &Jwk, pointers: &[&str], nonce: &str) -> SdJwt {
    let credential = accept(issued);
    let paths: Vec<ClaimPath> = pointers
        .iter()
        .map(|p| credential.pointer(p).expect("pointer"))
        .collect();
    let signer = P
        .signer(holder, JwsAlgorithm::Es256)
        .expect("holder signer");
    let kb = KeyBindingRequest {
        signer: &*signer,
        audience: AUD,
        nonce,
        issued_at: NOW,
    };
    credential.present(&paths, Some(&kb), &P).expect("present")
}

fn run(presentation: &SdJwt) -> PrivacyReport {
    report(presentation, &P, &ReportOptions::default()).expect("report")
}

fn kinds(r: &PrivacyReport) -> BTreeSet<LinkerKind> {
    r.linkers.iter().map(|l| l.kind).collect()
}

fn disclosed(r: &PrivacyReport) -> Vec<(String, Value)> {
    r.disclosed
        .iter()
        .map(|d| (d.path.to_string(), d.value.clone()))
        .collect()
}

fn by_location(r: &PrivacyReport) -> Vec<(String, usize)> {
    r.hidden
        .by_location
        .iter()
        .map(|(p, n)| (p.to_string(), *n))
        .collect()
}

#[test]
fn disclosed_set_and_hidden_count_are_exact_without_decoys() {
    let issued = issue(&identity(), DISCLOSABLE, Decoys::None, true);
    let pres = present(
        &issued,
        &issued.holder,
        &["/right_to_work", "/address/postcode"],
        "n-1",
    );
    let r = run(&pres);
    let mut got = disclosed(&r);
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            (
                "/address".to_owned(),
                json!({"country": "GB", "postcode": "SW1A 1AA"})
            ),
            ("/address/postcode".to_owned(), json!("SW1A 1AA")),
            ("/right_to_work".to_owned(), json!(true)),
        ]
    );
    // Undisclosed: given_name, family_name, birth_date (top level); street, locality (in the
    // address Disclosure); both nationalities (array elements).
    assert_eq!(r.hidden.digests, 7);
    assert_eq!(
        by_location(&r),
        vec![
            (String::new(), 3),
            ("/address".to_owned(), 2),
            ("/nationalities".to_owned(), 2),
        ]
    );
}

#[test]
fn with_decoys_the_hidden_count_is_an_upper_bound() {
    let exact = issue(&identity(), DISCLOSABLE, Decoys::Exact(2), true);
    let pres = present(&exact, &exact.holder, &["/right_to_work"], "n-1");
    let r = run(&pres);
    // Visible digests without a Disclosure: given_name, family_name, birth_date, address and
    // 2 decoys at the top level; both nationalities and 2 decoys in the array. The address
    // members (and their decoys) sit inside the withheld address Disclosure: not visible.
    assert_eq!(r.hidden.digests, 6 + 4);
    assert_eq!(
        by_location(&r),
        vec![(String::new(), 4 + 2), ("/nationalities".to_owned(), 2 + 2)]
    );
    // Random decoys: the count is at least the hidden claims it could be counting.
    let random = issue(
        &identity(),
        DISCLOSABLE,
        Decoys::Random { min: 1, max: 4 },
        true,
    );
    let pres = present(&random, &random.holder, &["/right_to_work"], "n-1");
    let r = run(&pres);
    assert!(r.hidden.digests >= 4 + 2 + 2, "{}", r.hidden.digests);
    assert!(r.hidden.digests <= 4 + 2 + 2 * 4, "{}", r.hidden.digests);
    let text = r.to_string();
    assert!(text.contains("Some may be decoys"), "{text}");
}

#[test]
fn every_linker_kind_is_found_with_its_exact_value() {
    let issued = issue(&identity(), DISCLOSABLE, Decoys::Exact(1), true);
    let holder_with_kid = issued.holder.clone().with_kid("holder-key-1");
    let pres = present(&issued, &holder_with_kid, &["/right_to_work"], "n-1");
    let r = run(&pres);
    assert_eq!(
        kinds(&r),
        BTreeSet::from([
            LinkerKind::HolderKey,
            LinkerKind::StatusListEntry,
            LinkerKind::PreciseTime,
            LinkerKind::Identifier,
            LinkerKind::AlwaysVisibleClaim,
            LinkerKind::IssuerSignature,
            LinkerKind::Disclosure,
            LinkerKind::SdHash,
        ])
    );
    let one = |kind| {
        let all: Vec<_> = r.linkers_of(kind).collect();
        all
    };

    let thumbprint = issued
        .holder
        .to_public()
        .thumbprint(P.hash, HashAlgorithm::Sha256)
        .expect("thumbprint");
    let keys = one(LinkerKind::HolderKey);
    assert_eq!(keys.len(), 2, "cnf and the KB-JWT header kid");
    assert_eq!(keys[0].location, "/cnf/jwk");
    assert_eq!(keys[0].value, json!(thumbprint));
    assert_eq!(keys[0].scope, LinkScope::HolderKey);
    assert_eq!(keys[0].remedy, Remedy::BatchWithFreshKeys);
    assert_eq!(keys[1].location, "kb-jwt header kid");
    assert_eq!(keys[1].value, json!("holder-key-1"));

    let status = one(LinkerKind::StatusListEntry);
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].location, "/status/status_list");
    assert_eq!(status[0].value, json!({"idx": 4711, "uri": STATUS_URI}));
    assert_eq!(status[0].remedy, Remedy::BatchWithDistinctStatusIndices);
    assert!(
        status[0]
            .remedy
            .description()
            .contains("lists must be large")
    );

    let times = one(LinkerKind::PreciseTime);
    assert_eq!(times.len(), 1, "iat is precise, exp is a whole day");
    assert_eq!(times[0].location, "/iat");
    assert_eq!(times[0].value, json!(IAT));
    assert_eq!(times[0].remedy, Remedy::CoarsenTimes);

    let ids = one(LinkerKind::Identifier);
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0].location, "/sub");
    assert_eq!(ids[0].scope, LinkScope::Subject);
    assert_eq!(ids[0].remedy, Remedy::MakeDisclosableOrOmit);

    // `document_number` is always visible; the address object is too (for its plaintext
    // `country`) only inside its Disclosure, which was withheld; `nationalities` is an
    // always-visible array of digests only: nothing in it but structure.
    let visible = one(LinkerKind::AlwaysVisibleClaim);
    let locations: Vec<&str> = visible.iter().map(|l| l.location.as_str()).collect();
    assert_eq!(locations, ["/document_number"]);
    assert_eq!(visible[0].value, json!("123456789"));
    assert_eq!(r.envelope.claims.get("nationalities"), Some(&json!([])));

    let compact = pres.to_compact();
    let signature = compact
        .split('~')
        .next()
        .and_then(|jwt| jwt.rsplit('.').next())
        .expect("signature");
    let sigs = one(LinkerKind::IssuerSignature);
    assert_eq!(sigs.len(), 1);
    assert_eq!(sigs[0].value, json!(signature));
    assert_eq!(sigs[0].remedy, Remedy::BatchPresentOnce);

    let disclosures: Vec<Value> = one(LinkerKind::Disclosure)
        .iter()
        .map(|l| l.value.clone())
        .collect();
    let sent: Vec<Value> = pres
        .disclosures()
        .iter()
        .map(|d| json!(d.as_str()))
        .collect();
    assert_eq!(disclosures, sent);
    assert_eq!(
        one(LinkerKind::Disclosure)[0].location,
        "disclosure 0 /right_to_work"
    );

    let sd_hash = one(LinkerKind::SdHash);
    let kb = pres.key_binding().expect("kb").claims().expect("kb claims");
    assert_eq!(sd_hash[0].value, json!(kb.sd_hash));
    assert_eq!(sd_hash[0].scope, LinkScope::DisclosureSet);

    // Issuer-level header values and per-presentation KB-JWT claims are not linkers.
    for l in &r.linkers {
        assert!(!l.location.contains("x5c"), "{l:?}");
        assert!(
            !l.location.contains("aud") && !l.location.contains("nonce"),
            "{l:?}"
        );
        assert_ne!(l.value, json!("issuer-2026"), "{l:?}");
        assert_ne!(l.value, json!(AUD), "{l:?}");
    }
}

#[test]
fn envelope_lists_headers_claims_and_the_key_binding_jwt() {
    let issued = issue(&identity(), DISCLOSABLE, Decoys::Exact(1), true);
    let pres = present(&issued, &issued.holder, &["/right_to_work"], "nonce-42");
    let r = run(&pres);
    let header = r.envelope.headers.first().expect("one header");
    assert_eq!(r.envelope.headers.len(), 1);
    assert_eq!(header.get("alg"), Some(&json!("ES256")));
    assert_eq!(header.get("typ"), Some(&json!("dc+sd-jwt")));
    assert_eq!(header.get("kid"), Some(&json!("issuer-2026")));
    assert_eq!(header.get("x5c"), Some(&json!({"certificates": 2})));
    let names: Vec<&str> = r.envelope.claims.keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "iss",
        "iat",
        "exp",
        "sub",
        "document_number",
        "nationalities",
        "status",
        "cnf",
    ]
    .into();
    assert_eq!(names.iter().copied().collect::<BTreeSet<_>>(), expected);
    assert!(!names.contains(&"_sd") && !names.contains(&"_sd_alg"));
    assert_eq!(r.envelope.hash_algorithm, HashAlgorithm::Sha256);
    let kb = r.envelope.key_binding.as_ref().expect("kb");
    assert_eq!(kb.header.get("typ"), Some(&json!("kb+jwt")));
    assert_eq!(kb.claims.get("aud"), Some(&json!(AUD)));
    assert_eq!(kb.claims.get("nonce"), Some(&json!("nonce-42")));
    assert_eq!(kb.claims.get("iat"), Some(&json!(NOW)));
    assert!(kb.claims.contains_key("sd_hash"));
}

#[test]
fn coarse_times_are_not_linkers() {
    let issued = issue(&identity(), DISCLOSABLE, Decoys::None, true);
    let pres = present(&issued, &issued.holder, &["/right_to_work"], "n");
    let precise_with = |unit: u64| {
        let options = ReportOptions::default()
            .with_coarse_time_unit(NonZeroU64::new(unit).expect("non-zero"));
        let r = report(&pres, &P, &options).expect("report");
        r.linkers_of(LinkerKind::PreciseTime)
            .map(|l| l.location.clone())
            .collect::<Vec<_>>()
    };
    // IAT = 1_799_999_990 = 10 × 179_999_999: a multiple of 10 s, not of 7 s or an hour.
    assert_eq!(precise_with(10), Vec::<String>::new());
    assert_eq!(precise_with(3600), ["/iat"]);
    assert_eq!(precise_with(7), ["/iat", "/exp"]);
    // EXP is a whole day (so also a whole hour), but not a multiple of 7 s.
    assert_eq!(precise_with(86_400), ["/iat"]);
}

#[test]
fn without_key_binding_or_cnf_there_is_no_key_linker() {
    let claims = json!({"given_name": "Amara", "right_to_work": true});
    let issued = issue(
        &claims,
        &["/given_name", "/right_to_work"],
        Decoys::None,
        false,
    );
    let sd_jwt = SdJwt::parse(&issued.text, &Limits::DEFAULT).expect("parse");
    let keep: Vec<_> = sd_jwt
        .disclosures()
        .iter()
        .filter(|d| d.name() == Some("right_to_work"))
        .cloned()
        .collect();
    let pres = sd_jwt.with_disclosures(keep);
    let r = run(&pres);
    assert!(r.envelope.key_binding.is_none());
    assert!(!r.envelope.claims.contains_key("cnf"));
    assert_eq!(
        kinds(&r),
        BTreeSet::from([
            LinkerKind::PreciseTime,
            LinkerKind::IssuerSignature,
            LinkerKind::Disclosure,
        ])
    );
    assert_eq!(
        disclosed(&r),
        vec![("/right_to_work".to_owned(), json!(true))]
    );
    assert_eq!(r.hidden.digests, 1);
    let json = r.to_json();
    assert_eq!(json["envelope"]["key_binding"], Value::Null);
    assert!(r.to_string().contains("no key binding JWT"));
}

#[test]
fn a_disclosed_identifier_is_a_linker_to_withhold() {
    let claims = json!({"jti": "cred-0001", "right_to_work": true});
    let issued = issue(&claims, &["/jti", "/right_to_work"], Decoys::None, true);
    let both = present(&issued, &issued.holder, &["/jti", "/right_to_work"], "n");
    let r = run(&both);
    let ids: Vec<_> = r.linkers_of(LinkerKind::Identifier).collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0].location, "/jti");
    assert_eq!(ids[0].value, json!("cred-0001"));
    assert_eq!(ids[0].remedy, Remedy::Withhold);
    assert_eq!(ids[0].scope, LinkScope::Credential);
    let one = present(&issued, &issued.holder, &["/right_to_work"], "n");
    assert_eq!(run(&one).linkers_of(LinkerKind::Identifier).count(), 0);
}

#[test]
fn json_serialization_gives_the_same_report() {
    let issued = issue(&identity(), DISCLOSABLE, Decoys::Exact(1), true);
    let pres = present(
        &issued,
        &issued.holder,
        &["/right_to_work", "/birth_date"],
        "n",
    );
    let compact = run(&pres);
    for syntax in [JsonSyntax::Flattened, JsonSyntax::General] {
        let text = Value::Object(pres.to_json(syntax).expect("to_json")).to_string();
        let parsed = SdJwt::parse(&text, &Limits::DEFAULT).expect("parse JSON");
        assert!(parsed.key_binding().is_some());
        let json = run(&parsed);
        assert_eq!(json.disclosed, compact.disclosed);
        assert_eq!(json.hidden, compact.hidden);
        assert_eq!(json.linkers, compact.linkers);
        assert_eq!(json.envelope.claims, compact.envelope.claims);
        assert_eq!(json.envelope.headers, compact.envelope.headers);
    }
}

#[test]
fn json_output_has_the_documented_shape() {
    let issued = issue(&identity(), DISCLOSABLE, Decoys::None, true);
    let pres = present(&issued, &issued.holder, &["/right_to_work"], "n");
    let j = run(&pres).to_json();
    let keys = |v: &Value| -> Vec<String> {
        v.as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        keys(&j),
        ["verified", "disclosed", "envelope", "hidden", "linkers"]
    );
    assert_eq!(j["verified"], json!(false));
    assert_eq!(
        j["disclosed"],
        json!([{"path": "/right_to_work", "value": true, "disclosure": 0}])
    );
    assert_eq!(
        keys(&j["envelope"]),
        ["headers", "claims", "hash_algorithm", "key_binding"]
    );
    assert_eq!(j["envelope"]["hash_algorithm"], json!("sha-256"));
    assert_eq!(
        j["envelope"]["claims"]["iss"],
        json!("https://identity.gov.example")
    );
    assert_eq!(
        j["hidden"],
        json!({
            "digests": 6,
            "decoys_possible": true,
            "by_location": [{"path": "", "count": 4}, {"path": "/nationalities", "count": 2}]
        })
    );
    let linkers = j["linkers"].as_array().expect("linkers");
    assert!(!linkers.is_empty());
    for l in linkers {
        assert_eq!(
            keys(l),
            [
                "kind",
                "location",
                "value",
                "scope",
                "remedy",
                "scope_text",
                "remedy_text"
            ]
        );
    }
    let codes: BTreeSet<&str> = linkers.iter().filter_map(|l| l["kind"].as_str()).collect();
    assert_eq!(
        codes,
        BTreeSet::from([
            "holder_key",
            "status_list_entry",
            "precise_time",
            "identifier",
            "always_visible_claim",
            "issuer_signature",
            "disclosure",
            "sd_hash",
        ])
    );
    let holder = linkers
        .iter()
        .find(|l| l["kind"] == "holder_key")
        .expect("holder key");
    assert_eq!(holder["scope"], "holder_key");
    assert_eq!(holder["remedy"], "batch_fresh_holder_keys");
}

#[test]
fn text_report_has_its_sections_within_100_columns() {
    let mut claims = identity();
    claims["document_number"] = json!("X".repeat(300));
    let issued = issue(&claims, DISCLOSABLE, Decoys::Exact(1), true);
    let pres = present(&issued, &issued.holder, &["/address"], "n");
    let text = run(&pres).to_string();
    for heading in [
        "NOT VERIFIED",
        "The verifier learns (4 disclosed claims):",
        "Always visible (envelope)",
        "Hidden:",
        "Linkable values (",
        "remedy: batch issuance with one fresh holder key per credential",
    ] {
        assert!(text.contains(heading), "missing {heading:?} in\n{text}");
    }
    for line in text.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line:?}");
    }
    assert!(text.contains('…'), "long values are shortened:\n{text}");
}

#[test]
fn a_presentation_that_does_not_process_gets_no_report() {
    let issued = issue(&identity(), DISCLOSABLE, Decoys::None, true);
    let sd_jwt = SdJwt::parse(&issued.text, &Limits::DEFAULT).expect("parse");
    // The street Disclosure without the address Disclosure that holds its digest.
    let orphan: Vec<_> = sd_jwt
        .disclosures()
        .iter()
        .filter(|d| d.name() == Some("street"))
        .cloned()
        .collect();
    let err = report(
        &sd_jwt.with_disclosures(orphan),
        &P,
        &ReportOptions::default(),
    )
    .expect_err("orphaned Disclosure");
    assert!(
        matches!(
            err,
            Error::Core(sdjwt_core::Error::UnreferencedDisclosure { .. })
        ),
        "{err:?}"
    );
}

#[test]
fn the_issued_credential_reports_everything_disclosed() {
    let issued = issue(&identity(), DISCLOSABLE, Decoys::None, true);
    let sd_jwt = SdJwt::parse(&issued.text, &Limits::DEFAULT).expect("parse");
    let r = run(&sd_jwt);
    assert_eq!(r.disclosed.len(), DISCLOSABLE.len());
    assert_eq!(r.hidden.digests, 0);
    assert!(r.hidden.by_location.is_empty());
    assert_eq!(
        r.linkers_of(LinkerKind::Disclosure).count(),
        DISCLOSABLE.len()
    );
}
