//! Positive cases: inputs for issue → present → verify, and the claims that must come out.
//!
//! The shapes follow the RFC 9901 examples (§5, Appendix A) and the sd-jwt-python test cases
//! (arrays, recursion, nested arrays, every JSON value type, unicode); the claim values are
//! transcribed from those examples. Expected claims come from [`crate::run::expected_claims`],
//! which reads only the case's inputs. Each case also carries the presentation this
//! implementation made, signed with Ed25519 so that it is reproducible.

use std::collections::BTreeMap;

use sdjwt_jose::{CryptoProvider, HashAlgorithm, base64url};
use serde_json::{Map, Value, json};

use super::keys::{COSIGNER, HOLDER, HOLDER_ES256, ISSUER, ISSUER_ES256};
use super::{AUD, ISS, NONCE, fail};
use crate::run::{expected_claims, issue_and_present};
use crate::vector::{
    Expect, Issue, KeyBindingInput, KeyBindingPolicy, Kind, Present, SerializationName, Vector,
    VectorSet, Verify,
};
use crate::{Error, generate::keys};

/// What varies between cases; [`Case::new`] gives the common choice for everything else.
struct Case {
    id: &'static str,
    description: &'static str,
    requirements: &'static [&'static str],
    source: Option<&'static str>,
    claims: Value,
    disclosable: &'static [&'static str],
    disclose: &'static [&'static str],
    issuer_keys: &'static [&'static str],
    holder: Option<&'static str>,
    key_binding: bool,
    /// Whether the verifier requires key binding (default: when the holder adds a KB-JWT).
    require_kb: bool,
    hash: HashAlgorithm,
    serialization: SerializationName,
    typ: Option<&'static str>,
    verify_typ: Option<&'static str>,
    /// Seconds added to `now` for the credential's `iat` (default -60).
    iat_offset: i64,
    /// Seconds added to `now` for the KB-JWT `iat` (default 0).
    kb_iat_offset: i64,
}

/// Requirement ids shared by every positive case: the verifier processes Disclosures and
/// returns the claims.
const PROCESSING: &[&str] = &[
    "RFC9901-7.1-1",
    "RFC9901-7.1-2a",
    "RFC9901-7.1-2b",
    "RFC9901-7.1-2c",
    "RFC9901-7.1-3a1",
    "RFC9901-7.1-3b1",
    "RFC9901-7.1-3c2.4",
    "RFC9901-7.1-3e",
    "RFC9901-7.1-3f",
    "RFC9901-9.1-1",
];

/// Issuer and holder requirement ids of every case issued and presented from its inputs: the
/// runner issues and presents with the implementation under test, and the verifier's result
/// shows whether it did so correctly.
const ISSUED_AND_PRESENTED: &[&str] = &[
    "RFC9901-4.1-1",
    "RFC9901-4.2.3-1",
    "RFC9901-4.2.3-2",
    "RFC9901-4-5",
    "RFC9901-4-6",
    "RFC9901-7.2-2",
    "RFC9901-7.2-3",
    "RFC9901-7.2-4",
];

/// Holder requirement ids of every case whose holder makes a Key Binding JWT.
const HOLDER_KEY_BINDING: &[&str] = &[
    "RFC9901-4.3-2",
    "RFC9901-4.3-3",
    "RFC9901-4.3.1-1",
    "RFC9901-4.3.1-2",
    "RFC9901-7.2-5",
];

/// Requirement ids of the JWS JSON serialization cases (RFC 9901 §8).
const JSON_SERIALIZATION: &[&str] = &[
    "RFC9901-8.1-1",
    "RFC9901-8.1-2",
    "RFC9901-8.1-3",
    "RFC9901-8.4-1",
];

/// Requirement ids of every case with a Key Binding JWT.
const KEY_BINDING: &[&str] = &[
    "RFC9901-4-4",
    "RFC9901-4.3.2-1",
    "RFC9901-7.3-1",
    "RFC9901-7.3-3",
    "RFC9901-7.3-4",
    "RFC9901-7.3-5a",
    "RFC9901-7.3-5c",
    "RFC9901-7.3-5g",
];

impl Case {
    fn new(
        id: &'static str,
        description: &'static str,
        requirements: &'static [&'static str],
        claims: Value,
        disclosable: &'static [&'static str],
        disclose: &'static [&'static str],
    ) -> Self {
        Self {
            id,
            description,
            requirements,
            source: None,
            claims,
            disclosable,
            disclose,
            issuer_keys: &[ISSUER],
            holder: Some(HOLDER),
            key_binding: true,
            require_kb: true,
            hash: HashAlgorithm::Sha256,
            serialization: SerializationName::Compact,
            typ: Some("example+sd-jwt"),
            verify_typ: None,
            iat_offset: -60,
            kb_iat_offset: 0,
        }
    }

    fn source(mut self, source: &'static str) -> Self {
        self.source = Some(source);
        self
    }

    fn no_key_binding(mut self) -> Self {
        self.key_binding = false;
        self.holder = None;
        self
    }

    /// Builds the vector: inputs, expected claims, and (for deterministic signatures) the
    /// ready presentation.
    fn build(self, provider: &CryptoProvider, now: i64) -> Result<Vector, Error> {
        let id = self.id;
        let claims = issued_claims(id, self.claims, now + self.iat_offset, now)?;
        let salts = salts_for(provider, id, self.disclosable)?;
        let issue = Issue {
            issuer_keys: self.issuer_keys.iter().map(|k| (*k).to_owned()).collect(),
            hash_alg: self.hash.name().to_owned(),
            claims,
            disclosable: self.disclosable.iter().map(|p| (*p).to_owned()).collect(),
            salts,
            holder_key: self.holder.map(str::to_owned),
            typ: self.typ.map(str::to_owned),
            serialization: self.serialization,
        };
        let key_binding = match (self.key_binding, self.holder) {
            (true, Some(holder)) => Some(KeyBindingInput {
                holder_key: holder.to_owned(),
                aud: AUD.to_owned(),
                nonce: NONCE.to_owned(),
                iat: now + self.kb_iat_offset,
            }),
            _ => None,
        };
        let present = Present {
            disclose: self.disclose.iter().map(|p| (*p).to_owned()).collect(),
            key_binding,
        };
        let holder_public = match &issue.holder_key {
            Some(name) => Some(keys::jwk(name)?.to_public().to_json()),
            None => None,
        };
        let expected = expected_claims(&issue, &present.disclose, holder_public.as_ref())
            .map_err(|e| fail(id, e))?;
        let mut requirements: Vec<String> = PROCESSING.iter().map(|r| (*r).to_owned()).collect();
        for r in self.requirements {
            if !requirements.iter().any(|have| have == r) {
                requirements.push((*r).to_owned());
            }
        }
        if self.key_binding {
            for r in KEY_BINDING {
                if !requirements.iter().any(|have| have == r) {
                    requirements.push((*r).to_owned());
                }
            }
        }
        let mut add = |ids: &[&str]| {
            for r in ids {
                if !requirements.iter().any(|have| have == r) {
                    requirements.push((*r).to_owned());
                }
            }
        };
        add(ISSUED_AND_PRESENTED);
        if self.key_binding {
            add(HOLDER_KEY_BINDING);
        }
        let claims_value = Value::Object(issue.claims.clone());
        // An array element: its parent (the pointer up to the last '/') is an array.
        let is_index = |ptr: &str| {
            ptr.rsplit_once('/')
                .and_then(|(parent, _)| claims_value.pointer(parent))
                .is_some_and(Value::is_array)
        };
        if self.disclosable.iter().any(|p| is_index(p)) {
            add(&["RFC9901-4.2.2-1", "RFC9901-4.2.4.2-1"]);
        }
        if self.disclosable.iter().any(|p| !is_index(p)) {
            add(&["RFC9901-4.2.1-1"]);
        }
        let nested_revealed = self.disclose.iter().any(|d| {
            self.disclosable.iter().any(|a| {
                d.len() > a.len() && d.starts_with(a) && d.as_bytes().get(a.len()) == Some(&b'/')
            })
        });
        if nested_revealed {
            add(&["RFC9901-4.2.6-1"]);
        }
        if self.serialization == SerializationName::General {
            add(&["RFC9901-8.3-1"]);
        }
        if self.serialization != SerializationName::Compact && self.key_binding {
            add(&["RFC9901-8.1-5"]);
        }
        let mut trusted: Vec<String> = self.issuer_keys.iter().map(|k| (*k).to_owned()).collect();
        trusted.dedup();
        let mut vector = Vector {
            id: id.to_owned(),
            kind: Kind::Positive,
            description: self.description.to_owned(),
            requirements,
            source: self.source.map(str::to_owned),
            issue: Some(issue),
            present: Some(present),
            presentation: None,
            verify: Verify {
                issuer_keys: trusted,
                key_binding: (self.key_binding && self.require_kb).then(|| KeyBindingPolicy {
                    aud: AUD.to_owned(),
                    nonce: NONCE.to_owned(),
                    max_age: None,
                }),
                typ: self.verify_typ.map(str::to_owned),
                ..Verify::trusting(&[], now)
            },
            expect: Expect {
                claims: Some(expected),
                error: None,
            },
        };
        let deterministic = self
            .issuer_keys
            .iter()
            .chain(self.holder.iter())
            .all(|k| *k != ISSUER_ES256 && *k != HOLDER_ES256);
        if deterministic {
            let set = VectorSet {
                keys: keys::all()?,
                vectors: Vec::new(),
            };
            let text = issue_and_present(&set, &vector, provider)
                .map_err(|(stage, detail)| fail(id, format!("{stage}: {detail}")))?;
            vector.presentation = Some(text);
        }
        Ok(vector)
    }
}

/// The claims a positive case issues: `iss`, `iat` and a one-day `exp`, then the case's own
/// claims (which must be an object).
pub(super) fn issued_claims(
    id: &str,
    own: Value,
    iat: i64,
    now: i64,
) -> Result<Map<String, Value>, Error> {
    let Value::Object(own) = own else {
        return Err(fail(id, "claims must be an object"));
    };
    let mut claims = Map::new();
    claims.insert("iss".into(), ISS.into());
    claims.insert("iat".into(), iat.into());
    claims.insert("exp".into(), (now + 86_400).into());
    claims.extend(own);
    Ok(claims)
}

/// [`salt_for`] every disclosable pointer of case `id`, keyed by the pointer.
pub(super) fn salts_for(
    provider: &CryptoProvider,
    id: &str,
    disclosable: &[&str],
) -> Result<BTreeMap<String, String>, Error> {
    disclosable
        .iter()
        .map(|ptr| Ok(((*ptr).to_owned(), salt_for(provider, id, ptr)?)))
        .collect()
}

/// A fixed salt for `ptr` in case `id`: 16 bytes of SHA-256 over both, base64url-encoded, so
/// salts differ between claims and cases without any random source.
pub(super) fn salt_for(provider: &CryptoProvider, id: &str, ptr: &str) -> Result<String, Error> {
    let digest = provider
        .digest(
            HashAlgorithm::Sha256,
            format!("sdjwt conformance salt\n{id}\n{ptr}").as_bytes(),
        )
        .map_err(|e| fail(id, e))?;
    let bytes = digest.as_bytes();
    Ok(base64url::encode(bytes.get(..16).unwrap_or(bytes)))
}

/// The RFC 9901 §5 example's claims (`examples/simple` of the specification's repository).
fn rfc_simple_claims() -> Value {
    json!({
        "sub": "user_42",
        "given_name": "John",
        "family_name": "Doe",
        "email": "johndoe@example.com",
        "phone_number": "+1-202-555-0101",
        "phone_number_verified": true,
        "address": {
            "street_address": "123 Main St",
            "locality": "Anytown",
            "region": "Anystate",
            "country": "US"
        },
        "birthdate": "1940-01-01",
        "updated_at": 1_570_000_000,
        "nationalities": ["US", "DE"]
    })
}

fn address_claims() -> Value {
    json!({
        "sub": "6c5c0a49-b589-431d-bae7-219122a9ec2c",
        "address": {
            "street_address": "Schulstr. 12",
            "locality": "Schulpforta",
            "region": "Sachsen-Anhalt",
            "country": "DE"
        }
    })
}

/// Every positive case.
pub(crate) fn cases(provider: &CryptoProvider, now: i64) -> Result<Vec<Vector>, Error> {
    let simple_sd: &[&str] = &[
        "/given_name",
        "/family_name",
        "/email",
        "/phone_number",
        "/phone_number_verified",
        "/address",
        "/birthdate",
        "/updated_at",
        "/nationalities/0",
        "/nationalities/1",
    ];
    let all_types = json!({
        "value_data_types": {
            "test_null": null,
            "test_int": 42,
            "test_float": 3.5,
            "test_str": "foo",
            "test_bool": true,
            "test_arr": ["Test"],
            "test_object": {"foo": "bar"}
        }
    });
    let cases = vec![
        Case::new(
            "pos-rfc9901-simple",
            "The RFC 9901 §5 credential: top-level claims and two array elements disclosable; \
             the holder reveals names, address and the first nationality.",
            &[
                "RFC9901-7.1-3b2",
                "RFC9901-7.1-3c1",
                "RFC9901-7.1-3c3.2",
                "RFC9901-7.1-3d",
            ],
            rfc_simple_claims(),
            simple_sd,
            &[
                "/given_name",
                "/family_name",
                "/address",
                "/nationalities/0",
            ],
        )
        .source("RFC 9901 §5 (examples/simple)"),
        Case::new(
            "pos-rfc9901-simple-nothing-disclosed",
            "The RFC 9901 §5 credential presented with no Disclosures: only the always-visible \
             claims remain, and the array keeps no placeholder.",
            &["RFC9901-7.1-3c1", "RFC9901-7.1-3d"],
            rfc_simple_claims(),
            simple_sd,
            &[],
        )
        .source("RFC 9901 §5 (examples/simple)"),
        Case::new(
            "pos-rfc9901-flat-address",
            "The address object is disclosable as a whole (flat) and is revealed.",
            &["RFC9901-7.1-3c2.4"],
            address_claims(),
            &["/address"],
            &["/address"],
        )
        .source("RFC 9901 §6.1 (examples/address_only_flat)"),
        Case::new(
            "pos-rfc9901-structured-address",
            "Each address member is disclosable inside a plain address object (structured); \
             two of four are revealed.",
            &["RFC9901-7.1-3c1"],
            address_claims(),
            &[
                "/address/street_address",
                "/address/locality",
                "/address/region",
                "/address/country",
            ],
            &["/address/region", "/address/country"],
        )
        .source("RFC 9901 §6.2 (examples/address_only_structured)"),
        Case::new(
            "pos-rfc9901-recursive-address",
            "The address and each of its members are disclosable (recursive); revealing one \
             member brings the address Disclosure and no other member.",
            &["RFC9901-7.1-3c2.5", "RFC9901-7.1-3c1"],
            address_claims(),
            &[
                "/address",
                "/address/street_address",
                "/address/locality",
                "/address/region",
                "/address/country",
            ],
            &["/address/street_address"],
        )
        .source("RFC 9901 §6.3 (examples/address_only_recursive)"),
        Case::new(
            "pos-array-of-scalars",
            "Scalar array elements disclosable individually; one of three revealed.",
            &["RFC9901-7.1-3b2", "RFC9901-7.1-3c3.2", "RFC9901-7.1-3d"],
            json!({"nationalities": ["US", "DE", "FR"]}),
            &["/nationalities/0", "/nationalities/1", "/nationalities/2"],
            &["/nationalities/1"],
        )
        .source("sd-jwt-python tests/testcases/array_of_scalars (shape)"),
        Case::new(
            "pos-array-of-objects",
            "Object array elements disclosable; the second revealed whole.",
            &["RFC9901-7.1-3b2", "RFC9901-7.1-3c3.2", "RFC9901-7.1-3d"],
            json!({"addresses": [
                {"street": "123 Main St", "city": "Anytown"},
                {"street": "456 Main St", "city": "Othertown"}
            ]}),
            &["/addresses/0", "/addresses/1"],
            &["/addresses/1"],
        )
        .source("sd-jwt-python tests/testcases/array_of_objects (shape)"),
        Case::new(
            "pos-array-nested",
            "Arrays inside a plain array, their elements disclosable; one element of each \
             inner array revealed.",
            &["RFC9901-7.1-3b2", "RFC9901-7.1-3c3.2", "RFC9901-7.1-3d"],
            json!({"nested_array": [["foo", "bar"], ["baz", "qux"]]}),
            &[
                "/nested_array/0/0",
                "/nested_array/0/1",
                "/nested_array/1/0",
                "/nested_array/1/1",
            ],
            &["/nested_array/0/0", "/nested_array/1/1"],
        )
        .source("sd-jwt-python tests/testcases/array_nested_in_plain (shape)"),
        Case::new(
            "pos-array-recursive",
            "A disclosable array element that is an object with a disclosable member, and a \
             disclosable array of disclosable elements; partly revealed.",
            &["RFC9901-7.1-3c3.3", "RFC9901-7.1-3c2.5", "RFC9901-7.1-3d"],
            json!({"array_with_recursive_sd": [
                "boring",
                {"foo": "bar", "baz": {"qux": "quux"}},
                ["foo", "bar"]
            ]}),
            &[
                "/array_with_recursive_sd/1",
                "/array_with_recursive_sd/1/baz",
                "/array_with_recursive_sd/2",
                "/array_with_recursive_sd/2/0",
                "/array_with_recursive_sd/2/1",
            ],
            &[
                "/array_with_recursive_sd/1/baz",
                "/array_with_recursive_sd/2/1",
            ],
        )
        .source("sd-jwt-python tests/testcases/array_recursive_sd_some_disclosed (shape)"),
        Case::new(
            "pos-array-of-nulls",
            "Null array elements, two of them disclosable and revealed: null is a value.",
            &["RFC9901-7.1-3c3.2", "RFC9901-7.1-3d"],
            json!({"null_values": [null, null, null, null]}),
            &["/null_values/1", "/null_values/2"],
            &["/null_values/1", "/null_values/2"],
        )
        .source("sd-jwt-python tests/testcases/array_of_nulls (shape)"),
        Case::new(
            "pos-all-value-types",
            "Disclosable members of every JSON type (null, integer, float, string, boolean, \
             array, object), all revealed unchanged.",
            &["RFC9901-7.1-3c2.4", "RFC9901-7.1-3c2.5"],
            all_types,
            &[
                "/value_data_types/test_null",
                "/value_data_types/test_int",
                "/value_data_types/test_float",
                "/value_data_types/test_str",
                "/value_data_types/test_bool",
                "/value_data_types/test_arr",
                "/value_data_types/test_object",
            ],
            &["/value_data_types"],
        )
        .source("sd-jwt-python tests/testcases/object_data_types (shape)"),
        Case::new(
            "pos-keys-that-look-like-values",
            "Claim names that read as JSON literals (\"null\", \"42\", \"true\", an object's \
             text) stay strings.",
            &["RFC9901-7.1-3c2.4"],
            json!({"key_data_types": {
                "null": "key_null", "42": "key_int", "3.14": "key_float",
                "True": "key_bool", "[\"Test\"]": "key_arr", "{\"foo\": \"bar\"}": "key_object"
            }}),
            &[
                "/key_data_types/null",
                "/key_data_types/42",
                "/key_data_types/3.14",
                "/key_data_types/True",
                "/key_data_types/[\"Test\"]",
                "/key_data_types/{\"foo\": \"bar\"}",
            ],
            &["/key_data_types/42", "/key_data_types/{\"foo\": \"bar\"}"],
        )
        .source("sd-jwt-python tests/testcases/object_data_types (shape)"),
        Case::new(
            "pos-unicode",
            "Non-ASCII claim names and values (Latin, Icelandic, CJK, emoji) survive \
             disclosure byte for byte.",
            &["RFC9901-7.1-3a1", "RFC9901-7.1-3c2.4"],
            json!({
                "family_name": "Müller",
                "place_of_birth": {"locality": "Þykkvabæjarklaustur"},
                "名前": "山田太郎",
                "motto": "☕ then 🚀"
            }),
            &[
                "/family_name",
                "/place_of_birth/locality",
                "/名前",
                "/motto",
            ],
            &["/family_name", "/place_of_birth/locality", "/名前"],
        )
        .source("RFC 9901 Appendix A.2 (values)"),
        Case::new(
            "pos-pointer-escapes",
            "Claim names containing '/', '~' and the empty name, addressed with RFC 6901 \
             escapes (~1, ~0, and '/' for the empty name).",
            &["RFC9901-7.1-3c2.4"],
            json!({"a/b": 1, "c~d": 2, "": 3, "plain": 4}),
            &["/a~1b", "/c~0d", "/"],
            &["/a~1b", "/"],
        ),
        Case::new(
            "pos-no-selective-disclosure",
            "Nothing is disclosable: the SD-JWT has no Disclosures, and every claim is \
             visible.",
            &["RFC9901-4-1"],
            json!({"given_name": "Erika", "right_to_work": true}),
            &[],
            &[],
        )
        .source("sd-jwt-python tests/testcases/no_sd (shape)"),
        Case::new(
            "pos-right-to-work-only",
            "A rich identity credential of which the holder reveals right_to_work alone, \
             bound to the verifier's nonce.",
            &["RFC9901-7.1-3c1"],
            json!({
                "given_name": "Erika", "family_name": "Mustermann", "birthdate": "1990-04-01",
                "nationality": "GB", "address": {"postcode": "SW1A 1AA"},
                "right_to_work": true
            }),
            &[
                "/given_name",
                "/family_name",
                "/birthdate",
                "/nationality",
                "/address",
                "/right_to_work",
            ],
            &["/right_to_work"],
        ),
        Case::new(
            "pos-without-key-binding",
            "No holder key and no KB-JWT; the verifier does not require key binding.",
            &["RFC9901-4-2", "RFC9901-7.3-1"],
            json!({"given_name": "Erika", "right_to_work": true}),
            &["/given_name", "/right_to_work"],
            &["/right_to_work"],
        )
        .no_key_binding(),
        Case {
            typ: Some("example+sd-jwt"),
            verify_typ: Some("application/example+sd-jwt"),
            ..Case::new(
                "pos-typ-media-type-forms",
                "The verifier requires typ application/example+sd-jwt and the header says \
                 example+sd-jwt: RFC 7515 §4.1.9 makes them equal.",
                &["RFC9901-9.11-1"],
                json!({"right_to_work": true}),
                &["/right_to_work"],
                &["/right_to_work"],
            )
        },
        Case {
            iat_offset: 30,
            kb_iat_offset: -290,
            ..Case::new(
                "pos-clock-skew-within-leeway",
                "The credential's iat is 30 s ahead (within the 60 s leeway) and the KB-JWT is \
                 290 s old (within the 300 s maximum age).",
                &["RFC9901-7.1-6", "RFC9901-7.3-5e"],
                json!({"right_to_work": true}),
                &["/right_to_work"],
                &["/right_to_work"],
            )
        },
        Case::new(
            "pos-emptied-object-stays",
            "Every member of an object is disclosable and none is revealed: the object stays, \
             empty (RFC 9901 §7.1 step 3.e).",
            &["RFC9901-7.1-3e", "RFC9901-7.1-3c1"],
            address_claims(),
            &[
                "/address/street_address",
                "/address/locality",
                "/address/region",
                "/address/country",
            ],
            &[],
        ),
        Case::new(
            "pos-aud-names-this-verifier",
            "The credential's aud is an array that includes the verifier's identifier (its \
             key-binding audience): RFC 7519 §4.1.3 is satisfied.",
            &["RFC9901-7.1-6"],
            json!({"aud": ["https://other-verifier.example", AUD], "right_to_work": true}),
            &["/right_to_work"],
            &["/right_to_work"],
        ),
        Case {
            require_kb: false,
            ..Case::new(
                "pos-kb-present-but-not-required",
                "The holder adds a KB-JWT the verifier's policy does not ask for: the policy \
                 decides, so the presentation verifies as a plain SD-JWT.",
                &["RFC9901-7.3-1"],
                json!({"right_to_work": true}),
                &["/right_to_work"],
                &["/right_to_work"],
            )
        },
        Case {
            serialization: SerializationName::Flattened,
            ..Case::new(
                "pos-json-flattened",
                "Flattened JWS JSON serialization (RFC 9901 §8.1) with Disclosures and KB-JWT \
                 in the unprotected header.",
                JSON_SERIALIZATION,
                json!({"given_name": "John", "family_name": "Doe", "email": "j@example.com"}),
                &["/given_name", "/family_name", "/email"],
                &["/given_name", "/family_name"],
            )
            .source("RFC 9901 §8.2 (examples/json_serialization_flattened shape)")
        },
        Case {
            serialization: SerializationName::General,
            issuer_keys: &[ISSUER, COSIGNER],
            ..Case::new(
                "pos-json-general-two-signatures",
                "General JWS JSON serialization co-signed by two trusted issuers (RFC 9901 \
                 §8.1); Disclosures ride in the first signature's header.",
                JSON_SERIALIZATION,
                json!({"given_name": "John", "family_name": "Doe", "email": "j@example.com"}),
                &["/given_name", "/family_name", "/email"],
                &["/given_name", "/family_name"],
            )
            .source("RFC 9901 §8.3 (examples/json_serialization_general shape)")
        },
        Case {
            issuer_keys: &[ISSUER_ES256],
            holder: Some(HOLDER_ES256),
            ..Case::new(
                "pos-es256-rfc-keys",
                "ES256 issuer and holder with the RFC 9901 Appendix A.5 keys (no ready \
                 presentation: ECDSA signatures are randomized).",
                &["RFC9901-7.1-2a", "RFC9901-4.1.1-5"],
                rfc_simple_claims(),
                simple_sd,
                &["/given_name", "/nationalities/1"],
            )
            .source("RFC 9901 Appendix A.5 (keys)")
        },
    ];
    let mut out = Vec::with_capacity(cases.len() + HashAlgorithm::ALL.len() + 1);
    out.push(default_hash(provider, now)?);
    for case in cases {
        out.push(case.build(provider, now)?);
    }
    for hash in HashAlgorithm::ALL {
        if *hash == HashAlgorithm::Sha256 {
            continue;
        }
        let id: &'static str = match hash {
            HashAlgorithm::Sha384 => "pos-hash-sha-384",
            HashAlgorithm::Sha512 => "pos-hash-sha-512",
            HashAlgorithm::Sha3_256 => "pos-hash-sha3-256",
            HashAlgorithm::Sha3_384 => "pos-hash-sha3-384",
            HashAlgorithm::Sha3_512 => "pos-hash-sha3-512",
            _ => continue,
        };
        let case = Case {
            hash: *hash,
            ..Case::new(
                id,
                "Digests and sd_hash with a hash algorithm other than sha-256, named in \
                 _sd_alg (RFC 9901 §4.1.1).",
                &["RFC9901-7.1-2d", "RFC9901-4.3.1-3", "RFC9901-7.1-3c2.5"],
                json!({"given_name": "John", "address": {"country": "DE"}, "tags": ["a", "b"]}),
                &["/given_name", "/address", "/address/country", "/tags/1"],
                &["/address/country", "/tags/1"],
            )
        };
        out.push(case.build(provider, now)?);
    }
    Ok(out)
}

/// A hand-made SD-JWT without `_sd_alg`: its digests are SHA-256, the default (RFC 9901
/// §4.1.1). No issuer following this implementation's defaults writes one, so it is forged
/// and carries only the ready presentation.
fn default_hash(provider: &CryptoProvider, now: i64) -> Result<Vector, Error> {
    let id = "pos-no-sd-alg-means-sha-256";
    let disclosure = base64url::encode(r#"["c2FsdC1kZWZhdWx0LWhhc2g","given_name","John"]"#);
    let digest = provider
        .digest(HashAlgorithm::Sha256, disclosure.as_bytes())
        .map_err(|e| fail(id, e))?;
    let payload = json!({
        "iss": ISS,
        "iat": now - 60,
        "exp": now + 86_400,
        "_sd": [base64url::encode(digest.as_bytes())],
        "family_name": "Doe"
    });
    let header = json!({"alg": "EdDSA", "typ": "example+sd-jwt"});
    let input = format!(
        "{}.{}",
        base64url::encode(header.to_string()),
        base64url::encode(payload.to_string())
    );
    let key = keys::jwk(ISSUER)?;
    let signer = provider
        .signer(&key, key.default_algorithm())
        .map_err(|e| fail(id, e))?;
    let signature = signer.try_sign(input.as_bytes()).map_err(|e| fail(id, e))?;
    let presentation = format!("{input}.{}~{disclosure}~", base64url::encode(signature));
    let mut expected = Map::new();
    expected.insert("iss".into(), ISS.into());
    expected.insert("iat".into(), (now - 60).into());
    expected.insert("exp".into(), (now + 86_400).into());
    expected.insert("family_name".into(), "Doe".into());
    expected.insert("given_name".into(), "John".into());
    Ok(Vector {
        id: id.to_owned(),
        kind: Kind::Positive,
        description: "No _sd_alg in the payload: the verifier computes digests with sha-256."
            .to_owned(),
        requirements: [
            "RFC9901-4.1.1-3",
            "RFC9901-4.1.1-5",
            "RFC9901-7.1-3a1",
            "RFC9901-7.1-3c2.4",
        ]
        .map(str::to_owned)
        .to_vec(),
        source: None,
        issue: None,
        present: None,
        presentation: Some(presentation),
        verify: Verify::trusting(&[ISSUER], now),
        expect: Expect {
            claims: Some(expected),
            error: None,
        },
    })
}
