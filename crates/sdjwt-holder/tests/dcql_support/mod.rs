//! Shared setup of the DCQL and policy tests: issue SD-JWT VCs, accept them, read the
//! specification's example queries, verify what a VP Token reveals.

// Tests may panic on setup failures; each `expect` says what failed.
#![allow(clippy::expect_used, dead_code)]

use std::path::PathBuf;

use sdjwt_aws_lc::DEFAULT_PROVIDER as P;
use sdjwt_core::ClaimPath;
use sdjwt_holder::dcql::DcqlQuery;
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_issuer::SdJwtBuilder;
use sdjwt_jose::{Jwk, JwsAlgorithm};
use sdjwt_verifier::{KeyBinding, Policy, StaticKeys, Verifier};
use serde_json::{Map, Value, json};

pub(crate) const NOW: i64 = 1_800_000_000;
pub(crate) const AUDIENCE: &str = "https://verifier.example.org";
pub(crate) const NONCE: &str = "n-0S6_WzA2Mj";
pub(crate) const PID: &str = "https://credentials.example.com/identity_credential";

/// One issuer and one holder key, and the credentials issued with them.
pub(crate) struct Wallet {
    pub(crate) issuer: Jwk,
    pub(crate) holder: Jwk,
    pub(crate) credentials: Vec<Credential>,
}

/// How to issue one test credential.
pub(crate) struct Spec<'a> {
    pub(crate) typ: Option<&'a str>,
    pub(crate) claims: Value,
    /// RFC 6901 pointers made selectively disclosable (an object and a member of it make a
    /// recursive disclosure).
    pub(crate) disclose: &'a [&'a str],
    pub(crate) holder_binding: bool,
}

impl<'a> Spec<'a> {
    /// A `dc+sd-jwt` credential with holder binding.
    pub(crate) fn vc(claims: Value, disclose: &'a [&'a str]) -> Self {
        Self {
            typ: Some("dc+sd-jwt"),
            claims,
            disclose,
            holder_binding: true,
        }
    }
}

impl Wallet {
    pub(crate) fn new() -> Self {
        Self {
            issuer: P.generate_key(JwsAlgorithm::Es256).expect("issuer key"),
            holder: P.generate_key(JwsAlgorithm::Es256).expect("holder key"),
            credentials: Vec::new(),
        }
    }

    /// Issues and accepts a credential; returns its index.
    pub(crate) fn add(&mut self, spec: Spec<'_>) -> usize {
        let mut b = SdJwtBuilder::new(spec.claims.as_object().cloned().expect("claims object"))
            .issued_at(NOW - 10)
            .expires_at(NOW + 3600);
        if let Some(typ) = spec.typ {
            b = b.typ(typ);
        }
        if spec.holder_binding {
            b = b.holder_key(&self.holder.to_public());
        }
        for p in spec.disclose {
            b = b.disclose(ClaimPath::resolve_pointer(p, &spec.claims).expect("pointer"));
        }
        let signer = P.signer(&self.issuer, JwsAlgorithm::Es256).expect("signer");
        let issued = b
            .prepare(&P)
            .expect("prepare")
            .sign(&*signer)
            .expect("sign")
            .to_compact();
        let c = Credential::accept(
            &issued,
            &P,
            &[self.issuer.to_public()],
            &AcceptOptions::new(NOW),
        )
        .expect("accept");
        self.credentials.push(c);
        self.credentials.len() - 1
    }

    pub(crate) fn refs(&self) -> Vec<&Credential> {
        self.credentials.iter().collect()
    }

    /// The claims each Disclosure of credential `c` reveals, as RFC 6901 pointers, for the
    /// given Disclosure indices.
    pub(crate) fn disclosed_pointers(&self, c: usize, indices: &[usize]) -> Vec<String> {
        let cred = &self.credentials[c];
        let mut out: Vec<String> = cred
            .disclosed()
            .iter()
            .filter(|d| indices.contains(&d.disclosure))
            .map(|d| d.path.to_string())
            .collect();
        out.sort();
        out
    }

    /// Presents a selection with key binding and verifies every presentation as a verifier
    /// would; returns, per credential query id, the verified claims of each presentation.
    pub(crate) fn present_and_verify(
        &self,
        selection: &sdjwt_holder::dcql::Selection,
    ) -> Map<String, Value> {
        let signer = P
            .signer(&self.holder, JwsAlgorithm::Es256)
            .expect("holder signer");
        let token = selection
            .present(&self.refs(), &P, |_| {
                Some(KeyBindingRequest {
                    signer: &*signer,
                    audience: AUDIENCE,
                    nonce: NONCE,
                    issued_at: NOW,
                })
            })
            .expect("present");
        let keys = StaticKeys::new().with_key(&self.issuer.to_public());
        let verifier = Verifier::new(&P, &keys);
        let policy = Policy::new(KeyBinding::required(AUDIENCE, NONCE));
        let mut out = Map::new();
        for (id, list) in token {
            let verified: Vec<Value> = list
                .as_array()
                .expect("array of presentations")
                .iter()
                .map(|p| {
                    let v = verifier
                        .verify(p.as_str().expect("string presentation"), &policy, NOW)
                        .expect("presentation verifies");
                    assert!(v.key_bound());
                    Value::Object(v.into_claims())
                })
                .collect();
            out.insert(id, Value::Array(verified));
        }
        out
    }
}

/// The claims of a verified presentation without the always-present technical ones.
pub(crate) fn user_claims(verified: &Value) -> Value {
    let mut m = verified.as_object().cloned().expect("object");
    for k in ["iat", "exp", "nbf", "cnf", "vct", "iss", "status"] {
        m.remove(k);
    }
    Value::Object(m)
}

/// The spec-sources folder, or `None` (after a note) when it is absent outside CI.
pub(crate) fn spec_sources() -> Option<PathBuf> {
    match sdjwt_test::spec_sources() {
        Some(dir) => Some(dir),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => panic!(
            "CI=true but the spec-sources folder is missing: set SDJWT_SPEC_SOURCES or provide \
             ../shared/spec-sources (the OpenID4VP examples must be tested in CI)"
        ),
        None => {
            eprintln!(
                "note: spec-sources not found (set SDJWT_SPEC_SOURCES or provide \
                 ../shared/spec-sources); OpenID4VP example tests skipped"
            );
            None
        }
    }
}

/// The editions whose example queries are read.
pub(crate) const EDITIONS: [&str; 2] = ["1.0-final", "1.0-errata-editors-draft"];

/// The example DCQL query `name` of an OpenID4VP edition, parsed.
pub(crate) fn example(root: &std::path::Path, edition: &str, name: &str) -> DcqlQuery {
    let path = root
        .join("openid4vp")
        .join(edition)
        .join("examples")
        .join("query_lang")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    DcqlQuery::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The identity credential of the examples, with every claim selectively disclosable and
/// `address` disclosable as a whole and member by member. `names` gives the first-name and
/// last-name claim names (they differ between the final text and the errata draft).
pub(crate) fn identity_claims(given: &str, family: &str) -> Value {
    let mut v = json!({
        "vct": PID,
        "address": {"street_address": "42 Market Street", "locality": "Milliways", "postal_code": "12345"},
        "postal_code": "90210",
        "locality": "Milliways",
        "region": "Betelgeuse",
        "date_of_birth": "1952-03-11",
        "nationalities": ["British", "Betelgeusian"],
    });
    v[given] = json!("Arthur");
    v[family] = json!("Dent");
    v
}

pub(crate) const IDENTITY_DISCLOSE_FINAL: &[&str] = &[
    "/first_name",
    "/last_name",
    "/address",
    "/address/street_address",
    "/address/locality",
    "/address/postal_code",
    "/postal_code",
    "/locality",
    "/region",
    "/date_of_birth",
    "/nationalities",
    "/nationalities/0",
    "/nationalities/1",
];

pub(crate) const IDENTITY_DISCLOSE_ERRATA: &[&str] = &[
    "/given_name",
    "/family_name",
    "/address",
    "/address/street_address",
    "/address/locality",
    "/address/postal_code",
    "/postal_code",
    "/locality",
    "/region",
    "/date_of_birth",
    "/nationalities",
    "/nationalities/0",
    "/nationalities/1",
];

/// (given-name claim, family-name claim, disclosable pointers) of an edition's examples.
pub(crate) fn names(edition: &str) -> (&'static str, &'static str, &'static [&'static str]) {
    if edition == "1.0-final" {
        ("first_name", "last_name", IDENTITY_DISCLOSE_FINAL)
    } else {
        ("given_name", "family_name", IDENTITY_DISCLOSE_ERRATA)
    }
}
