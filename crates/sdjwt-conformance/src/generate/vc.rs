//! SD-JWT VC and Token Status List cases: presentations verified as SD-JWT VCs
//! (draft-ietf-oauth-sd-jwt-vc, editor's copy; draft-ietf-oauth-status-list-20) against a trust
//! list, with the documents the network would serve and Type Metadata from a local store
//! (`verify.vc`).
//!
//! Negative cases are forged by hand as in [`super::negative`], with its helpers: the baseline
//! is an Issuer-signed JWT with header `typ` `dc+sd-jwt`, a `vct`, and two Disclosures
//! (`given_name`, `right_to_work`), signed with the Ed25519 key [`keys::ISSUER`], which the
//! default trust list holds for [`ISS`] and [`VCT`]. Each case changes one thing: the header,
//! a claim, the trust list, a retrieved document or a Type Metadata document. Status List
//! Tokens are built with `sdjwt-status` and signed by hand with the same key, so they are
//! deterministic too. Positive cases are issued and presented from their inputs like
//! [`super::positive`]'s.

use std::collections::BTreeMap;

use sdjwt_jose::{CryptoProvider, HashAlgorithm, Jwk, base64url};
use sdjwt_status::{Bits, Status, StatusList, StatusListTokenBuilder};
use sdjwt_vc::integrity::Integrity;
use serde_json::{Map, Value, json};

use super::keys::{self, HOLDER, ISSUER, UNTRUSTED};
use super::negative::{Case, Ctx, R, b64, compact};
use super::positive::{issued_claims, salts_for};
use super::{AUD, ISS, NONCE, fail};
use crate::run::{expected_claims, issue_and_present};
use crate::vector::{
    Document, Expect, Issue, IssuerKeys, KeyBindingInput, KeyBindingPolicy, KeyRef, Kind, Present,
    SerializationName, TypeMetadataMode, VcIssuer, VcVerify, Vector, VectorSet, Verify,
};
use crate::{Error, ErrorClass};

/// The credential type of every case: a right-to-work attestation.
const VCT: &str = "https://credentials.example.com/right-to-work";
/// A more general type that [`VCT`] extends in the Type Metadata cases.
const BASE_VCT: &str = "https://credentials.example.com/employment-eligibility";
/// Another type, for `aka_vcts` and for an issuer trusted for something else.
const AKA_VCT: &str = "https://credentials.example.com/work-permit";
/// An issuer the default trust list does not know.
const OTHER_ISSUER: &str = "https://other-issuer.example.com";
/// The Status List Token of every status case.
const STATUS_URI: &str = "https://issuer.example.com/status/1";
/// JWT VC Issuer Metadata of [`ISS`] (§4: the well-known string after the host).
const METADATA_URL: &str = "https://issuer.example.com/.well-known/jwt-vc-issuer";
/// An issuer identifier with a path.
const TENANT_ISS: &str = "https://issuer.example.com/tenant/7";
/// Its metadata: the well-known string goes between host and path (§4).
const TENANT_METADATA_URL: &str = "https://issuer.example.com/.well-known/jwt-vc-issuer/tenant/7";
/// A JWK Set referenced by `jwks_uri`.
const JWKS_URL: &str = "https://keys.example.com/issuer.jwks";

/// Entries of the Status List (two bits each): every other index is VALID.
const LIST_LEN: usize = 16;
const IDX_VALID: u64 = 3;
const IDX_REVOKED: u64 = 5;
const IDX_SUSPENDED: u64 = 6;
const IDX_APPLICATION: u64 = 7;

const JSON: &str = "application/json";
const STATUS_LIST_JWT: &str = "application/statuslist+jwt";
const JWK_SET: &str = "application/jwk-set+json";

// --- positive cases ----------------------------------------------------------------------------

/// A positive case: issued with header `typ` `typ`, presented with a KB-JWT, verified as an
/// SD-JWT VC under `vc`.
struct Positive {
    id: &'static str,
    description: &'static str,
    requirements: &'static [&'static str],
    /// The credential's own claims (with `vct`); `iss`, `iat` and `exp` are added unless given.
    claims: Value,
    disclosable: &'static [&'static str],
    disclose: &'static [&'static str],
    typ: &'static str,
    vc: VcVerify,
}

/// Every positive SD-JWT VC case, for a verifier whose clock reads `now`.
///
/// # Errors
///
/// [`Error::Generate`] when a case cannot be made (a bug in the generator).
pub(crate) fn positive_cases(provider: &CryptoProvider, now: i64) -> Result<Vec<Vector>, Error> {
    let ctx = context(provider, now)?;
    let c = Vc { c: &ctx };
    let g = |id: &str, r: R<Positive>| r.map_err(|e| fail(id, e));
    let cases = [
        g("pos-vc-right-to-work", right_to_work(&c))?,
        g("pos-vc-type-metadata", type_metadata(&c))?,
        g("pos-vc-legacy-typ-opt-in", legacy_typ(&c))?,
        g("pos-vc-issuer-metadata-jwks-uri", issuer_metadata(&c))?,
        g(
            "pos-vc-integrity-strongest-algorithm",
            integrity_strongest(&c),
        )?,
    ];
    cases
        .into_iter()
        .map(|p| build_positive(p, provider, now))
        .collect()
}

fn build_positive(p: Positive, provider: &CryptoProvider, now: i64) -> Result<Vector, Error> {
    let id = p.id;
    let claims = issued_claims(id, p.claims, now - 60, now)?;
    let salts = salts_for(provider, id, p.disclosable)?;
    let issue = Issue {
        issuer_keys: vec![ISSUER.to_owned()],
        hash_alg: HashAlgorithm::Sha256.name().to_owned(),
        claims,
        disclosable: p.disclosable.iter().map(|s| (*s).to_owned()).collect(),
        salts,
        holder_key: Some(HOLDER.to_owned()),
        typ: Some(p.typ.to_owned()),
        serialization: SerializationName::Compact,
    };
    let present = Present {
        disclose: p.disclose.iter().map(|s| (*s).to_owned()).collect(),
        key_binding: Some(KeyBindingInput {
            holder_key: HOLDER.to_owned(),
            aud: AUD.to_owned(),
            nonce: NONCE.to_owned(),
            iat: now,
        }),
    };
    let holder_public = keys::jwk(HOLDER)?.to_public().to_json();
    let expected = expected_claims(&issue, &present.disclose, Some(&holder_public))
        .map_err(|e| fail(id, e))?;
    let mut vector = Vector {
        id: id.to_owned(),
        kind: Kind::Positive,
        description: p.description.to_owned(),
        requirements: p.requirements.iter().map(|r| (*r).to_owned()).collect(),
        source: None,
        issue: Some(issue),
        present: Some(present),
        presentation: None,
        verify: Verify {
            key_binding: Some(KeyBindingPolicy {
                aud: AUD.to_owned(),
                nonce: NONCE.to_owned(),
                max_age: None,
            }),
            vc: Some(p.vc),
            ..Verify::trusting(&[], now)
        },
        expect: Expect {
            claims: Some(expected),
            error: None,
        },
    };
    let set = VectorSet {
        keys: keys::all()?,
        vectors: Vec::new(),
    };
    let text = issue_and_present(&set, &vector, provider)
        .map_err(|(stage, detail)| fail(id, format!("{stage}: {detail}")))?;
    vector.presentation = Some(text);
    Ok(vector)
}

/// The claims of a right-to-work credential.
fn worker_claims() -> Value {
    json!({
        "vct": VCT,
        "sub": "worker-4711",
        "given_name": "Amara",
        "family_name": "Okafor",
        "right_to_work": true
    })
}

fn right_to_work(c: &Vc<'_>) -> R<Positive> {
    let mut claims = worker_claims();
    claims["status"] = status_claim(json!(IDX_VALID), STATUS_URI);
    Ok(Positive {
        id: "pos-vc-right-to-work",
        description: "A right-to-work SD-JWT VC (typ dc+sd-jwt) whose Status List entry is \
                      VALID; the holder reveals right_to_work, sub and iat (both may be \
                      selectively disclosable) under a KB-JWT.",
        requirements: &[
            "SDJWTVC-2.2.1-1",
            "SDJWTVC-2.2.1-2",
            "SDJWTVC-2.2.2.1-2",
            "SDJWTVC-2.2.2.3-3",
            "SDJWTVC-2.4-1",
            "SDJWTVC-2.4-2",
            "TSL-7.1-1",
            "TSL-8.3-1",
        ],
        claims,
        disclosable: &[
            "/sub",
            "/iat",
            "/given_name",
            "/family_name",
            "/right_to_work",
        ],
        disclose: &["/right_to_work", "/sub", "/iat"],
        typ: "dc+sd-jwt",
        vc: c.status_context()?,
    })
}

fn type_metadata(c: &Vc<'_>) -> R<Positive> {
    let base = metadata(
        BASE_VCT,
        json!({"claims": [{"path": ["right_to_work"], "sd": "always", "mandatory": true}]}),
    );
    let own = metadata(
        VCT,
        json!({
            "name": "Right to work",
            "extends": BASE_VCT,
            "extends#integrity": c.integrity(HashAlgorithm::Sha256, &base)?,
            "claims": [
                {"path": ["given_name"], "sd": "always", "mandatory": true},
                {"path": ["family_name"], "sd": "always"}
            ],
            "x_registry_note": "an extension property the verifier must ignore"
        }),
    );
    let mut claims = worker_claims();
    claims["vct#integrity"] = c.integrity(HashAlgorithm::Sha256, &own)?.into();
    let mut vc = c.context()?;
    vc.type_metadata = TypeMetadataMode::Required;
    vc.type_metadata_documents =
        BTreeMap::from([(VCT.to_owned(), own), (BASE_VCT.to_owned(), base)]);
    Ok(Positive {
        id: "pos-vc-type-metadata",
        description: "Type Metadata is required and present: the type extends a base type \
                      (both with matching #integrity), its claim metadata (inherited and own) \
                      holds, an unknown property is ignored, and the mandatory given_name \
                      that was not disclosed is not taken as missing.",
        requirements: &[
            "SDJWTVC-5.2-1",
            "SDJWTVC-5.3-1",
            "SDJWTVC-5.3-2",
            "SDJWTVC-5.4-1",
            "SDJWTVC-5.6-2",
            "SDJWTVC-5.6-3",
            "SDJWTVC-5.7-1",
            "SDJWTVC-6-1",
        ],
        claims,
        disclosable: &["/sub", "/given_name", "/family_name", "/right_to_work"],
        disclose: &["/right_to_work"],
        typ: "dc+sd-jwt",
        vc,
    })
}

fn legacy_typ(c: &Vc<'_>) -> R<Positive> {
    let mut vc = c.context()?;
    vc.accept_legacy_typ = true;
    Ok(Positive {
        id: "pos-vc-legacy-typ-opt-in",
        description: "The header typ is the legacy vc+sd-jwt and the verifier's policy opts \
                      in to it.",
        requirements: &["SDJWTVC-2.2.1-3"],
        claims: worker_claims(),
        disclosable: &["/given_name", "/family_name", "/right_to_work"],
        disclose: &["/right_to_work"],
        typ: "vc+sd-jwt",
        vc,
    })
}

fn issuer_metadata(c: &Vc<'_>) -> R<Positive> {
    let mut claims = worker_claims();
    claims["iss"] = TENANT_ISS.into();
    let mut vc = c.context()?;
    vc.issuers = vec![trusted(TENANT_ISS, &[VCT], IssuerKeys::IssuerMetadata)];
    vc.documents = BTreeMap::from([
        (
            TENANT_METADATA_URL.to_owned(),
            doc(
                JSON,
                json!({"issuer": TENANT_ISS, "jwks_uri": JWKS_URL}).to_string(),
            ),
        ),
        (JWKS_URL.to_owned(), doc(JWK_SET, c.jwks(&c.c.issuer))),
    ]);
    Ok(Positive {
        id: "pos-vc-issuer-metadata-jwks-uri",
        description: "The trust list lets the issuer's keys come from JWT VC Issuer Metadata: \
                      iss has a path, so the metadata is at /.well-known/jwt-vc-issuer/<path>, \
                      names the same issuer, and references its JWK Set by an HTTPS jwks_uri.",
        requirements: &[
            "SDJWTVC-2.5-1",
            "SDJWTVC-3-1",
            "SDJWTVC-3-3",
            "SDJWTVC-4-1",
            "SDJWTVC-4.2-1",
            "SDJWTVC-4.3-1",
        ],
        claims,
        disclosable: &["/given_name", "/family_name", "/right_to_work"],
        disclose: &["/right_to_work"],
        typ: "dc+sd-jwt",
        vc,
    })
}

fn integrity_strongest(c: &Vc<'_>) -> R<Positive> {
    let own = metadata(VCT, json!({"name": "Right to work"}));
    let wrong = c.integrity(HashAlgorithm::Sha256, &metadata(VCT, json!({})))?;
    let right = c.integrity(HashAlgorithm::Sha384, &own)?;
    let mut claims = worker_claims();
    claims["vct#integrity"] = format!("{wrong} {right}").into();
    let mut vc = c.context()?;
    vc.type_metadata_documents = BTreeMap::from([(VCT.to_owned(), own)]);
    Ok(Positive {
        id: "pos-vc-integrity-strongest-algorithm",
        description: "vct#integrity has a sha256 expression that does not match and a sha384 \
                      one that does: only the strongest algorithm counts, so the document is \
                      accepted.",
        requirements: &["SDJWTVC-6-2"],
        claims,
        disclosable: &["/given_name", "/family_name", "/right_to_work"],
        disclose: &["/right_to_work"],
        typ: "dc+sd-jwt",
        vc,
    })
}

// --- negative cases ----------------------------------------------------------------------------

/// What a negative builder makes; [`negative_cases`] adds the id.
struct Negative {
    description: &'static str,
    requirements: &'static [&'static str],
    presentation: String,
    vc: VcVerify,
    error: ErrorClass,
}

type Build = fn(&Vc<'_>) -> R<Negative>;

/// Every negative SD-JWT VC and Token Status List case, for a verifier whose clock reads
/// `now`.
///
/// # Errors
///
/// [`Error::Generate`] when a case cannot be made (a bug in the generator).
pub(crate) fn negative_cases(provider: &CryptoProvider, now: i64) -> Result<Vec<Vector>, Error> {
    let ctx = context(provider, now)?;
    let c = Vc { c: &ctx };
    NEGATIVE
        .iter()
        .map(|(id, build)| {
            let case = build(&c).map_err(|e| fail(id, e))?;
            let verify = c.verify(case.vc);
            Ok(Case::new(
                case.description,
                case.requirements,
                case.presentation,
                verify,
                case.error,
            )
            .into_vector(id))
        })
        .collect()
}

/// Every case: its id and its builder, grouped by section.
#[rustfmt::skip]
const NEGATIVE: &[(&str, Build)] = &[
    // SD-JWT VC §2.2.1: the header typ.
    ("neg-vc-typ-wrong", typ_wrong),
    ("neg-vc-typ-missing", typ_missing),
    ("neg-vc-typ-legacy-without-opt-in", typ_legacy_without_opt_in),
    // §2.2.2.1, §2.2.2.2: vct and aka_vcts.
    ("neg-vc-vct-missing", vct_missing),
    ("neg-vc-vct-not-a-string", vct_not_a_string),
    ("neg-vc-vct-with-whitespace", vct_with_whitespace),
    ("neg-vc-aka-vcts-contains-vct", aka_vcts_contains_vct),
    ("neg-vc-aka-vcts-empty", aka_vcts_empty),
    // §2.2.2.3: claims that are never selectively disclosable.
    ("neg-vc-vct-disclosed", vct_disclosed),
    ("neg-vc-exp-disclosed", exp_disclosed),
    ("neg-vc-status-disclosed", status_disclosed),
    ("neg-vc-status-sub-claim-disclosed", status_sub_claim_disclosed),
    // §2.4, §2.5, §7.7: trust and key discovery.
    ("neg-vc-untrusted-issuer", untrusted_issuer),
    ("neg-vc-signed-by-untrusted-key", signed_by_untrusted_key),
    ("neg-vc-issuer-not-trusted-for-type", issuer_not_trusted_for_type),
    ("neg-vc-issuer-trusted-only-for-extended-type", issuer_trusted_only_for_extended_type),
    ("neg-vc-aka-vcts-type-not-trusted", aka_vcts_type_not_trusted),
    // §3, §4: JWT VC Issuer Metadata.
    ("neg-vc-issuer-metadata-unavailable", issuer_metadata_unavailable),
    ("neg-vc-issuer-metadata-wrong-location", issuer_metadata_wrong_location),
    ("neg-vc-issuer-metadata-wrong-media-type", issuer_metadata_wrong_media_type),
    ("neg-vc-issuer-metadata-other-issuer", issuer_metadata_other_issuer),
    ("neg-vc-issuer-metadata-jwks-and-jwks-uri", issuer_metadata_jwks_and_jwks_uri),
    ("neg-vc-issuer-metadata-no-keys", issuer_metadata_no_keys),
    ("neg-vc-jwks-uri-not-https", jwks_uri_not_https),
    // §5: Type Metadata.
    ("neg-vc-type-metadata-required-unavailable", type_metadata_required_unavailable),
    ("neg-vc-type-metadata-vct-mismatch", type_metadata_vct_mismatch),
    ("neg-vc-claim-metadata-sd-unknown-value", claim_metadata_sd_unknown_value),
    ("neg-vc-claim-path-error", claim_path_error),
    ("neg-vc-sd-always-violated", sd_always_violated),
    ("neg-vc-sd-never-violated", sd_never_violated),
    ("neg-vc-mandatory-claim-missing", mandatory_claim_missing),
    ("neg-vc-extends-inherited-rule-violated", extends_inherited_rule_violated),
    ("neg-vc-extends-changes-sd", extends_changes_sd),
    ("neg-vc-extends-drops-mandatory", extends_drops_mandatory),
    ("neg-vc-extends-cycle", extends_cycle),
    ("neg-vc-extends-itself", extends_itself),
    // §6: integrity.
    ("neg-vc-integrity-mismatch", integrity_mismatch),
    ("neg-vc-extends-integrity-mismatch", extends_integrity_mismatch),
    ("neg-vc-integrity-strongest-algorithm-mismatch", integrity_strongest_mismatch),
    ("neg-vc-integrity-unsupported-algorithm", integrity_unsupported_algorithm),
    ("neg-vc-integrity-malformed", integrity_malformed),
    // Token Status List §6.2, §7, §8.
    ("neg-tsl-revoked", revoked),
    ("neg-tsl-suspended", suspended),
    ("neg-tsl-application-specific-status", application_specific_status),
    ("neg-tsl-index-out-of-bounds", index_out_of_bounds),
    ("neg-tsl-idx-negative", idx_negative),
    ("neg-tsl-no-status-list", no_status_list),
    ("neg-tsl-list-unavailable", list_unavailable),
    ("neg-tsl-list-wrong-media-type", list_wrong_media_type),
    ("neg-tsl-status-uri-not-https", status_uri_not_https),
    // Token Status List §4.2, §5.1: the Status List Token.
    ("neg-tsl-token-signed-by-other-key", token_signed_by_other_key),
    ("neg-tsl-token-wrong-typ", token_wrong_typ),
    ("neg-tsl-token-wrong-sub", token_wrong_sub),
    ("neg-tsl-token-expired", token_expired),
    ("neg-tsl-token-without-iat", token_without_iat),
    ("neg-tsl-token-bits-3", token_bits_3),
    ("neg-tsl-token-lst-not-zlib", token_lst_not_zlib),
    // Token Status List §7.1, §8.3: the credential's own validity comes first.
    ("neg-tsl-expired-credential-valid-status", expired_credential_valid_status),
    ("neg-tsl-revoked-but-signature-invalid", revoked_but_signature_invalid),
];

// --- forging helpers ---------------------------------------------------------------------------

/// The shared context of the RFC 9901 cases.
fn context(provider: &CryptoProvider, now: i64) -> Result<Ctx<'_>, Error> {
    Ok(Ctx {
        provider,
        now,
        issuer: keys::jwk(ISSUER)?,
        holder: keys::jwk(HOLDER)?,
        untrusted: keys::jwk(UNTRUSTED)?,
    })
}

/// The SD-JWT VC forging helpers over the shared context.
struct Vc<'a> {
    c: &'a Ctx<'a>,
}

/// The `status` claim for entry `idx` (any JSON value, to forge bad ones) of the list at `uri`.
fn status_claim(idx: Value, uri: &str) -> Value {
    json!({"status_list": {"idx": idx, "uri": uri}})
}

/// A Type Metadata document for `vct` with `extra` properties, as text.
fn metadata(vct: &str, extra: Value) -> String {
    let mut m = Map::new();
    m.insert("vct".into(), vct.into());
    if let Value::Object(extra) = extra {
        m.extend(extra);
    }
    Value::Object(m).to_string()
}

/// A document served with `media_type`.
fn doc(media_type: &str, body: String) -> Document {
    Document {
        media_type: Some(media_type.to_owned()),
        body,
    }
}

/// A trust list entry.
fn trusted(id: &str, vcts: &[&str], keys: IssuerKeys) -> VcIssuer {
    VcIssuer {
        id: id.to_owned(),
        vct: vcts.iter().map(|v| (*v).to_owned()).collect(),
        keys,
    }
}

/// The issuer key, held in the trust list by name.
fn issuer_jwks() -> IssuerKeys {
    IssuerKeys::Jwks(vec![KeyRef::Name(ISSUER.to_owned())])
}

/// The SD-JWT VC header with `typ` (none when `None`).
fn header(typ: Option<&str>) -> Value {
    match typ {
        Some(typ) => json!({"alg": "EdDSA", "typ": typ}),
        None => json!({"alg": "EdDSA"}),
    }
}

/// The Disclosure of `given_name` in the baseline.
const GIVEN_NAME: &str = r#"["salt-vc-gn","given_name","Amara"]"#;
/// The Disclosure of `right_to_work` in the baseline.
const RIGHT_TO_WORK: &str = r#"["salt-vc-rtw","right_to_work",true]"#;

impl Vc<'_> {
    fn now(&self) -> i64 {
        self.c.now
    }

    /// `integrity metadata` (§6) of `document` with `alg`.
    fn integrity(&self, alg: HashAlgorithm, document: &str) -> R<String> {
        Integrity::compute(self.c.provider, alg, document.as_bytes())
            .map(|i| i.as_str().to_owned())
            .map_err(|e| e.to_string())
    }

    /// A JWK Set with the public part of `key`.
    fn jwks(&self, key: &Jwk) -> String {
        json!({"keys": [Value::Object(key.to_public().to_json())]}).to_string()
    }

    /// A payload: `iss`, `iat`, `exp`, `vct`, `_sd_alg`, then `extra` (a member of `extra`
    /// replaces the default one in place; `null` removes it).
    fn payload(&self, extra: Value) -> Value {
        let mut m = Map::new();
        m.insert("iss".into(), ISS.into());
        m.insert("iat".into(), (self.now() - 60).into());
        m.insert("exp".into(), (self.now() + 86_400).into());
        m.insert("vct".into(), VCT.into());
        m.insert("_sd_alg".into(), "sha-256".into());
        if let Value::Object(extra) = extra {
            for (k, v) in extra {
                if v.is_null() {
                    m.shift_remove(&k);
                } else {
                    m.insert(k, v);
                }
            }
        }
        Value::Object(m)
    }

    /// `<jwt>~<d1>~...~` signed with `key`.
    fn credential(
        &self,
        key: &Jwk,
        header: &Value,
        payload: &Value,
        disclosures: &[&str],
    ) -> R<String> {
        let jwt = self
            .c
            .signed(key, &b64(&header.to_string()), &b64(&payload.to_string()))?;
        Ok(compact(&jwt, disclosures))
    }

    /// The digests and encodings of the two baseline Disclosures.
    fn baseline_disclosures(&self) -> R<([String; 2], [String; 2])> {
        let g = b64(GIVEN_NAME);
        let r = b64(RIGHT_TO_WORK);
        Ok(([self.c.dig(&g)?, self.c.dig(&r)?], [g, r]))
    }

    /// The baseline with `header`, its payload changed by `extra`, signed with `key`, both
    /// Disclosures presented.
    fn baseline_with(&self, key: &Jwk, header: &Value, extra: Value) -> R<String> {
        let (digests, [g, r]) = self.baseline_disclosures()?;
        let mut payload = self.payload(json!({"_sd": digests}));
        if let (Value::Object(p), Value::Object(extra)) = (&mut payload, extra) {
            for (k, v) in extra {
                if v.is_null() {
                    p.shift_remove(&k);
                } else {
                    p.insert(k, v);
                }
            }
        }
        self.credential(key, header, &payload, &[&g, &r])
    }

    /// The baseline with its payload changed by `extra`.
    fn baseline(&self, extra: Value) -> R<String> {
        self.baseline_with(&self.c.issuer, &header(Some("dc+sd-jwt")), extra)
    }

    /// The baseline referencing Status List entry `idx` of [`STATUS_URI`].
    fn with_status(&self, idx: u64) -> R<String> {
        self.baseline(json!({"status": status_claim(json!(idx), STATUS_URI)}))
    }

    /// A credential whose plaintext claims are `extra` and whose only Disclosures are
    /// `disclosed` (Disclosure JSON texts, referenced from the top-level `_sd`).
    fn disclosing(&self, extra: Value, disclosed: &[&str]) -> R<String> {
        let encoded: Vec<String> = disclosed.iter().map(|d| b64(d)).collect();
        let digests = encoded
            .iter()
            .map(|d| self.c.dig(d))
            .collect::<R<Vec<_>>>()?;
        let mut payload = self.payload(extra);
        if let Value::Object(p) = &mut payload {
            p.insert("_sd".into(), digests.into());
        }
        let refs: Vec<&str> = encoded.iter().map(String::as_str).collect();
        self.credential(&self.c.issuer, &header(Some("dc+sd-jwt")), &payload, &refs)
    }

    /// The Status List every status case publishes: VALID everywhere except
    /// [`IDX_REVOKED`], [`IDX_SUSPENDED`] and [`IDX_APPLICATION`].
    fn list(&self) -> R<StatusList> {
        let mut list = StatusList::new(Bits::Two, LIST_LEN);
        for (idx, status) in [
            (IDX_REVOKED, Status::Invalid),
            (IDX_SUSPENDED, Status::Suspended),
            (IDX_APPLICATION, Status::ApplicationSpecific(0x03)),
        ] {
            let idx = usize::try_from(idx).map_err(|e| e.to_string())?;
            list.set(idx, status).map_err(|e| e.to_string())?;
        }
        Ok(list)
    }

    /// The claims of the Status List Token for `sub`: issued ten minutes ago, valid for a
    /// day, cacheable for an hour.
    fn token_claims(&self, sub: &str) -> R<Map<String, Value>> {
        let list = self.list()?;
        StatusListTokenBuilder::new(sub, self.now() - 600, &list)
            .exp(self.now() + 86_400)
            .ttl(3600)
            .claims()
            .map_err(|e| e.to_string())
    }

    /// A Status List Token with `claims`, header `typ`, signed with `key`.
    fn token(&self, key: &Jwk, typ: &str, claims: &Map<String, Value>) -> R<String> {
        let header = json!({"alg": "EdDSA", "kid": ISSUER, "typ": typ});
        let payload = Value::Object(claims.clone()).to_string();
        self.c
            .signed(key, &b64(&header.to_string()), &b64(&payload))
    }

    /// The issuer's valid Status List Token for `sub`.
    fn valid_token(&self, sub: &str) -> R<String> {
        self.token(&self.c.issuer, "statuslist+jwt", &self.token_claims(sub)?)
    }

    /// The default verifier: trusts [`ISS`] for [`VCT`] with the issuer key; Type Metadata
    /// if available, status checked; the network serves nothing.
    fn context(&self) -> R<VcVerify> {
        Ok(VcVerify {
            issuers: vec![trusted(ISS, &[VCT], issuer_jwks())],
            accept_legacy_typ: false,
            type_metadata: TypeMetadataMode::IfAvailable,
            status: crate::vector::StatusMode::Check,
            documents: BTreeMap::new(),
            type_metadata_documents: BTreeMap::new(),
        })
    }

    /// The default verifier, with the network serving the valid Status List Token at
    /// [`STATUS_URI`].
    fn status_context(&self) -> R<VcVerify> {
        self.context_with_token(STATUS_LIST_JWT, self.valid_token(STATUS_URI)?)
    }

    /// The default verifier, with the network serving `token` as `media_type` at
    /// [`STATUS_URI`].
    fn context_with_token(&self, media_type: &str, token: String) -> R<VcVerify> {
        let mut vc = self.context()?;
        vc.documents
            .insert(STATUS_URI.to_owned(), doc(media_type, token));
        Ok(vc)
    }

    /// The default verifier with these Type Metadata documents (by `vct`).
    fn context_with_metadata(&self, documents: &[(&str, String)]) -> R<VcVerify> {
        let mut vc = self.context()?;
        vc.type_metadata_documents = documents
            .iter()
            .map(|(vct, text)| ((*vct).to_owned(), text.clone()))
            .collect();
        Ok(vc)
    }

    /// A verifier that finds the issuer's keys in its JWT VC Issuer Metadata, which the
    /// network serves at [`METADATA_URL`] as `document` (none when `None`).
    fn context_with_issuer_metadata(&self, document: Option<Document>) -> R<VcVerify> {
        let mut vc = self.context()?;
        vc.issuers = vec![trusted(ISS, &[VCT], IssuerKeys::IssuerMetadata)];
        if let Some(document) = document {
            vc.documents.insert(METADATA_URL.to_owned(), document);
        }
        Ok(vc)
    }

    /// Issuer metadata naming `issuer` with extra `members`.
    fn issuer_metadata(&self, issuer: &str, members: Value) -> Document {
        let mut m = Map::new();
        m.insert("issuer".into(), issuer.into());
        if let Value::Object(members) = members {
            m.extend(members);
        }
        doc(JSON, Value::Object(m).to_string())
    }

    /// The issuer's key set as a JSON value, for inline `jwks`.
    fn jwks_value(&self) -> R<Value> {
        serde_json::from_str(&self.jwks(&self.c.issuer)).map_err(|e| e.to_string())
    }

    /// The verifier policy of a case: no RFC 9901 keys, no key binding, the SD-JWT VC
    /// context `vc`.
    fn verify(&self, vc: VcVerify) -> Verify {
        Verify {
            vc: Some(vc),
            ..Verify::trusting(&[], self.now())
        }
    }
}

impl Negative {
    fn new(
        description: &'static str,
        requirements: &'static [&'static str],
        presentation: String,
        vc: VcVerify,
        error: ErrorClass,
    ) -> Self {
        Self {
            description,
            requirements,
            presentation,
            vc,
            error,
        }
    }
}

// --- SD-JWT VC §2.2.1: typ ---------------------------------------------------------------------

fn typ_wrong(c: &Vc<'_>) -> R<Negative> {
    let text = c.baseline_with(&c.c.issuer, &header(Some("example+sd-jwt")), json!({}))?;
    Ok(Negative::new(
        "The header typ is example+sd-jwt: an SD-JWT, but not an SD-JWT VC.",
        &["SDJWTVC-2.2.1-2"],
        text,
        c.context()?,
        ErrorClass::Typ,
    ))
}

fn typ_missing(c: &Vc<'_>) -> R<Negative> {
    let text = c.baseline_with(&c.c.issuer, &header(None), json!({}))?;
    Ok(Negative::new(
        "The header has no typ; an SD-JWT VC must say dc+sd-jwt.",
        &["SDJWTVC-2.2.1-2"],
        text,
        c.context()?,
        ErrorClass::Typ,
    ))
}

fn typ_legacy_without_opt_in(c: &Vc<'_>) -> R<Negative> {
    let text = c.baseline_with(&c.c.issuer, &header(Some("vc+sd-jwt")), json!({}))?;
    Ok(Negative::new(
        "The header typ is the legacy vc+sd-jwt and the verifier has not opted in to it.",
        &["SDJWTVC-2.2.1-2", "SDJWTVC-2.2.1-3"],
        text,
        c.context()?,
        ErrorClass::Typ,
    ))
}

// --- §2.2.2.1, §2.2.2.2: vct and aka_vcts ------------------------------------------------------

fn vct_missing(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The payload has no vct.",
        &["SDJWTVC-2.2.2.1-2"],
        c.baseline(json!({"vct": null}))?,
        c.context()?,
        ErrorClass::Vct,
    ))
}

fn vct_not_a_string(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "vct is a number, not a string.",
        &["SDJWTVC-2.2.2.1-2"],
        c.baseline(json!({"vct": 42}))?,
        c.context()?,
        ErrorClass::Vct,
    ))
}

fn vct_with_whitespace(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "vct is \"right to work\": text with spaces cannot be a collision-resistant name.",
        &["SDJWTVC-2.2.2.1-2"],
        c.baseline(json!({"vct": "right to work"}))?,
        c.context()?,
        ErrorClass::Vct,
    ))
}

fn aka_vcts_contains_vct(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "aka_vcts lists the credential's own vct.",
        &["SDJWTVC-2.2.2.2-2"],
        c.baseline(json!({"aka_vcts": [AKA_VCT, VCT]}))?,
        c.context()?,
        ErrorClass::Vct,
    ))
}

fn aka_vcts_empty(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "aka_vcts is an empty array.",
        &["SDJWTVC-2.2.2.2-2"],
        c.baseline(json!({"aka_vcts": []}))?,
        c.context()?,
        ErrorClass::Vct,
    ))
}

// --- §2.2.2.3: never selectively disclosable -------------------------------------------------

fn vct_disclosed(c: &Vc<'_>) -> R<Negative> {
    let vct = format!(r#"["salt-vc-vct","vct","{VCT}"]"#);
    Ok(Negative::new(
        "vct comes in a Disclosure instead of in plaintext.",
        &["SDJWTVC-2.2.2.3-2"],
        c.disclosing(json!({"vct": null}), &[&vct, RIGHT_TO_WORK])?,
        c.context()?,
        ErrorClass::ReservedClaim,
    ))
}

fn exp_disclosed(c: &Vc<'_>) -> R<Negative> {
    let exp = format!(r#"["salt-vc-exp","exp",{}]"#, c.now() + 86_400);
    Ok(Negative::new(
        "exp comes in a Disclosure (a valid time, so only the disclosure rule is broken).",
        &["SDJWTVC-2.2.2.3-2"],
        c.disclosing(json!({"exp": null}), &[&exp, RIGHT_TO_WORK])?,
        c.context()?,
        ErrorClass::ReservedClaim,
    ))
}

fn status_disclosed(c: &Vc<'_>) -> R<Negative> {
    let status = format!(
        r#"["salt-vc-status","status",{}]"#,
        status_claim(json!(IDX_VALID), STATUS_URI)
    );
    Ok(Negative::new(
        "status comes in a Disclosure; its list entry is VALID.",
        &["SDJWTVC-2.2.2.3-2"],
        c.disclosing(json!({}), &[&status, RIGHT_TO_WORK])?,
        c.status_context()?,
        ErrorClass::ReservedClaim,
    ))
}

fn status_sub_claim_disclosed(c: &Vc<'_>) -> R<Negative> {
    let inner =
        format!(r#"["salt-vc-sl","status_list",{{"idx":{IDX_VALID},"uri":"{STATUS_URI}"}}]"#);
    let encoded = b64(&inner);
    let rtw = b64(RIGHT_TO_WORK);
    let payload = c.payload(json!({
        "status": {"_sd": [c.c.dig(&encoded)?]},
        "_sd": [c.c.dig(&rtw)?]
    }));
    Ok(Negative::new(
        "status is plaintext but its status_list member comes in a Disclosure: sub-claims are \
         never selectively disclosable either.",
        &["SDJWTVC-2.2.2.3-2"],
        c.credential(
            &c.c.issuer,
            &header(Some("dc+sd-jwt")),
            &payload,
            &[&encoded, &rtw],
        )?,
        c.status_context()?,
        ErrorClass::ReservedClaim,
    ))
}

// --- §2.4, §2.5, §7.7: trust and keys ----------------------------------------------------------

fn untrusted_issuer(c: &Vc<'_>) -> R<Negative> {
    let mut vc = c.context()?;
    vc.issuers = vec![trusted(OTHER_ISSUER, &[VCT], issuer_jwks())];
    Ok(Negative::new(
        "The trust list knows another issuer only (holding the very key that signed): the \
         credential's iss is not permitted.",
        &["SDJWTVC-2.5-1"],
        c.baseline(json!({}))?,
        vc,
        ErrorClass::UntrustedIssuer,
    ))
}

fn signed_by_untrusted_key(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The credential names the trusted issuer but is signed with a key the trust list does \
         not hold for it.",
        &["SDJWTVC-2.4-1"],
        c.baseline_with(&c.c.untrusted, &header(Some("dc+sd-jwt")), json!({}))?,
        c.context()?,
        ErrorClass::Signature,
    ))
}

fn issuer_not_trusted_for_type(c: &Vc<'_>) -> R<Negative> {
    let mut vc = c.context()?;
    vc.issuers = vec![trusted(ISS, &[AKA_VCT], issuer_jwks())];
    Ok(Negative::new(
        "The issuer is trusted, but for another credential type only.",
        &["SDJWTVC-7.7-1"],
        c.baseline(json!({}))?,
        vc,
        ErrorClass::IssuerNotTrustedForType,
    ))
}

fn issuer_trusted_only_for_extended_type(c: &Vc<'_>) -> R<Negative> {
    let base = metadata(BASE_VCT, json!({}));
    let own = metadata(VCT, json!({"extends": BASE_VCT}));
    let mut vc = c.context_with_metadata(&[(VCT, own), (BASE_VCT, base)])?;
    vc.issuers = vec![trusted(ISS, &[BASE_VCT], issuer_jwks())];
    Ok(Negative::new(
        "The issuer is trusted for a base type only; the credential's type extends it, which \
         confers no authority to issue it.",
        &["SDJWTVC-7.7-1"],
        c.baseline(json!({}))?,
        vc,
        ErrorClass::IssuerNotTrustedForType,
    ))
}

fn aka_vcts_type_not_trusted(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "aka_vcts claims a type the issuer is not trusted for: the claim is no evidence of \
         authority.",
        &["SDJWTVC-7.7-2"],
        c.baseline(json!({"aka_vcts": [AKA_VCT]}))?,
        c.context()?,
        ErrorClass::IssuerNotTrustedForType,
    ))
}

// --- §3, §4: JWT VC Issuer Metadata ------------------------------------------------------------

fn issuer_metadata_unavailable(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The trust list says the issuer's keys come from its JWT VC Issuer Metadata, which \
         cannot be retrieved: the key cannot be validated.",
        &["SDJWTVC-2.5-2"],
        c.baseline(json!({}))?,
        c.context_with_issuer_metadata(None)?,
        ErrorClass::KeyDiscovery,
    ))
}

fn issuer_metadata_wrong_location(c: &Vc<'_>) -> R<Negative> {
    let mut vc = c.context()?;
    vc.issuers = vec![trusted(TENANT_ISS, &[VCT], IssuerKeys::IssuerMetadata)];
    vc.documents.insert(
        format!("{TENANT_ISS}/.well-known/jwt-vc-issuer"),
        c.issuer_metadata(TENANT_ISS, json!({"jwks": c.jwks_value()?})),
    );
    Ok(Negative::new(
        "iss has a path, and the metadata is served after it (…/tenant/7/.well-known/\
         jwt-vc-issuer), not between host and path where it must be looked up.",
        &["SDJWTVC-4-1"],
        c.baseline(json!({"iss": TENANT_ISS}))?,
        vc,
        ErrorClass::KeyDiscovery,
    ))
}

fn issuer_metadata_wrong_media_type(c: &Vc<'_>) -> R<Negative> {
    let mut document = c.issuer_metadata(ISS, json!({"jwks": c.jwks_value()?}));
    document.media_type = Some("text/html".to_owned());
    Ok(Negative::new(
        "The issuer metadata is served as text/html, not application/json.",
        &["SDJWTVC-3-3"],
        c.baseline(json!({}))?,
        c.context_with_issuer_metadata(Some(document))?,
        ErrorClass::KeyDiscovery,
    ))
}

fn issuer_metadata_other_issuer(c: &Vc<'_>) -> R<Negative> {
    let document = c.issuer_metadata(OTHER_ISSUER, json!({"jwks": c.jwks_value()?}));
    Ok(Negative::new(
        "The metadata at the issuer's well-known URL names another issuer (with the right \
         key): nothing in it may be used.",
        &["SDJWTVC-4.3-1"],
        c.baseline(json!({}))?,
        c.context_with_issuer_metadata(Some(document))?,
        ErrorClass::IssuerMetadata,
    ))
}

fn issuer_metadata_jwks_and_jwks_uri(c: &Vc<'_>) -> R<Negative> {
    let document = c.issuer_metadata(ISS, json!({"jwks": c.jwks_value()?, "jwks_uri": JWKS_URL}));
    let mut vc = c.context_with_issuer_metadata(Some(document))?;
    vc.documents
        .insert(JWKS_URL.to_owned(), doc(JWK_SET, c.jwks(&c.c.issuer)));
    Ok(Negative::new(
        "The issuer metadata has both jwks and jwks_uri.",
        &["SDJWTVC-4.2-1"],
        c.baseline(json!({}))?,
        vc,
        ErrorClass::IssuerMetadata,
    ))
}

fn issuer_metadata_no_keys(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The issuer metadata has neither jwks nor jwks_uri.",
        &["SDJWTVC-4.2-1"],
        c.baseline(json!({}))?,
        c.context_with_issuer_metadata(Some(c.issuer_metadata(ISS, json!({}))))?,
        ErrorClass::IssuerMetadata,
    ))
}

fn jwks_uri_not_https(c: &Vc<'_>) -> R<Negative> {
    let insecure = "http://keys.example.com/issuer.jwks";
    let document = c.issuer_metadata(ISS, json!({"jwks_uri": insecure}));
    let mut vc = c.context_with_issuer_metadata(Some(document))?;
    vc.documents
        .insert(insecure.to_owned(), doc(JWK_SET, c.jwks(&c.c.issuer)));
    Ok(Negative::new(
        "The issuer metadata's jwks_uri is plain http (the key set is there, but must not be \
         retrieved).",
        &["SDJWTVC-3-1"],
        c.baseline(json!({}))?,
        vc,
        ErrorClass::KeyDiscovery,
    ))
}

// --- §5: Type Metadata -------------------------------------------------------------------------

fn type_metadata_required_unavailable(c: &Vc<'_>) -> R<Negative> {
    let mut vc = c.context()?;
    vc.type_metadata = TypeMetadataMode::Required;
    Ok(Negative::new(
        "The verifier's policy requires Type Metadata and none can be retrieved for the type.",
        &["SDJWTVC-5.7-1"],
        c.baseline(json!({}))?,
        vc,
        ErrorClass::TypeMetadata,
    ))
}

fn type_metadata_vct_mismatch(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The document retrieved for the credential's vct describes another type.",
        &["SDJWTVC-5.3-1"],
        c.baseline(json!({}))?,
        c.context_with_metadata(&[(VCT, metadata(AKA_VCT, json!({})))])?,
        ErrorClass::TypeMetadata,
    ))
}

fn claim_metadata_sd_unknown_value(c: &Vc<'_>) -> R<Negative> {
    let own = metadata(
        VCT,
        json!({"claims": [{"path": ["given_name"], "sd": "sometimes"}]}),
    );
    Ok(Negative::new(
        "A claim metadata object has sd \"sometimes\": the claims do not conform to their \
         structure, so claim metadata processing fails.",
        &["SDJWTVC-5.6-1"],
        c.baseline(json!({}))?,
        c.context_with_metadata(&[(VCT, own)])?,
        ErrorClass::TypeMetadata,
    ))
}

fn claim_path_error(c: &Vc<'_>) -> R<Negative> {
    let own = metadata(
        VCT,
        json!({"claims": [{"path": ["right_to_work", "since"]}]}),
    );
    Ok(Negative::new(
        "A claim path selects a member of right_to_work, which is a boolean: processing the \
         path is an error.",
        &["SDJWTVC-5.6-1"],
        c.baseline(json!({}))?,
        c.context_with_metadata(&[(VCT, own)])?,
        ErrorClass::ClaimMetadata,
    ))
}

fn sd_always_violated(c: &Vc<'_>) -> R<Negative> {
    let own = metadata(
        VCT,
        json!({"claims": [{"path": ["right_to_work"], "sd": "always"}]}),
    );
    Ok(Negative::new(
        "right_to_work must always be selectively disclosable but is plaintext.",
        &["SDJWTVC-5.6-2"],
        c.disclosing(json!({"right_to_work": true}), &[GIVEN_NAME])?,
        c.context_with_metadata(&[(VCT, own)])?,
        ErrorClass::ClaimMetadata,
    ))
}

fn sd_never_violated(c: &Vc<'_>) -> R<Negative> {
    let own = metadata(
        VCT,
        json!({"claims": [{"path": ["given_name"], "sd": "never"}]}),
    );
    Ok(Negative::new(
        "given_name must never be selectively disclosable but comes in a Disclosure.",
        &["SDJWTVC-5.6-2"],
        c.baseline(json!({}))?,
        c.context_with_metadata(&[(VCT, own)])?,
        ErrorClass::ClaimMetadata,
    ))
}

fn mandatory_claim_missing(c: &Vc<'_>) -> R<Negative> {
    let own = metadata(
        VCT,
        json!({"claims": [{"path": ["family_name"], "mandatory": true}]}),
    );
    Ok(Negative::new(
        "family_name is mandatory and the credential cannot hold it: it is not in plaintext, \
         and every digest has its Disclosure in the presentation.",
        &["SDJWTVC-5.6-3"],
        c.baseline(json!({}))?,
        c.context_with_metadata(&[(VCT, own)])?,
        ErrorClass::ClaimMetadata,
    ))
}

fn extends_inherited_rule_violated(c: &Vc<'_>) -> R<Negative> {
    let base = metadata(
        BASE_VCT,
        json!({"claims": [{"path": ["right_to_work"], "sd": "always"}]}),
    );
    let own = metadata(VCT, json!({"extends": BASE_VCT}));
    Ok(Negative::new(
        "The type adds no claim metadata, but the type it extends says right_to_work is \
         always selectively disclosable, and it is plaintext.",
        &["SDJWTVC-5.4-1", "SDJWTVC-5.6-2"],
        c.disclosing(json!({"right_to_work": true}), &[GIVEN_NAME])?,
        c.context_with_metadata(&[(VCT, own), (BASE_VCT, base)])?,
        ErrorClass::ClaimMetadata,
    ))
}

fn extends_changes_sd(c: &Vc<'_>) -> R<Negative> {
    let base = metadata(
        BASE_VCT,
        json!({"claims": [{"path": ["right_to_work"], "sd": "always"}]}),
    );
    let own = metadata(
        VCT,
        json!({"extends": BASE_VCT, "claims": [{"path": ["right_to_work"], "sd": "never"}]}),
    );
    Ok(Negative::new(
        "The extending type changes sd of right_to_work from always to never.",
        &["SDJWTVC-5.6.5.1-1"],
        c.baseline(json!({}))?,
        c.context_with_metadata(&[(VCT, own), (BASE_VCT, base)])?,
        ErrorClass::ClaimMetadata,
    ))
}

fn extends_drops_mandatory(c: &Vc<'_>) -> R<Negative> {
    let base = metadata(
        BASE_VCT,
        json!({"claims": [{"path": ["given_name"], "mandatory": true}]}),
    );
    let own = metadata(
        VCT,
        json!({"extends": BASE_VCT, "claims": [{"path": ["given_name"], "mandatory": false}]}),
    );
    Ok(Negative::new(
        "The extending type makes the mandatory given_name optional.",
        &["SDJWTVC-5.6.5.1-1"],
        c.baseline(json!({}))?,
        c.context_with_metadata(&[(VCT, own), (BASE_VCT, base)])?,
        ErrorClass::ClaimMetadata,
    ))
}

fn extends_cycle(c: &Vc<'_>) -> R<Negative> {
    let base = metadata(BASE_VCT, json!({"extends": VCT}));
    let own = metadata(VCT, json!({"extends": BASE_VCT}));
    Ok(Negative::new(
        "The type extends a type that extends it back.",
        &["SDJWTVC-7.4-1"],
        c.baseline(json!({}))?,
        c.context_with_metadata(&[(VCT, own), (BASE_VCT, base)])?,
        ErrorClass::ExtendsCycle,
    ))
}

fn extends_itself(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The type extends itself.",
        &["SDJWTVC-7.4-1"],
        c.baseline(json!({}))?,
        c.context_with_metadata(&[(VCT, metadata(VCT, json!({"extends": VCT})))])?,
        ErrorClass::ExtendsCycle,
    ))
}

// --- §6: integrity -----------------------------------------------------------------------------

fn integrity_mismatch(c: &Vc<'_>) -> R<Negative> {
    let own = metadata(VCT, json!({"name": "Right to work"}));
    let other = metadata(VCT, json!({"name": "Right to work (v2)"}));
    Ok(Negative::new(
        "vct#integrity is the digest of another document than the one retrieved.",
        &["SDJWTVC-6-1"],
        c.baseline(json!({"vct#integrity": c.integrity(HashAlgorithm::Sha256, &other)?}))?,
        c.context_with_metadata(&[(VCT, own)])?,
        ErrorClass::Integrity,
    ))
}

fn extends_integrity_mismatch(c: &Vc<'_>) -> R<Negative> {
    let base = metadata(BASE_VCT, json!({"name": "Employment eligibility"}));
    let other = metadata(BASE_VCT, json!({"name": "Something else"}));
    let own = metadata(
        VCT,
        json!({
            "extends": BASE_VCT,
            "extends#integrity": c.integrity(HashAlgorithm::Sha256, &other)?
        }),
    );
    Ok(Negative::new(
        "extends#integrity does not match the extended type's document.",
        &["SDJWTVC-6-1", "SDJWTVC-5.4-1"],
        c.baseline(json!({}))?,
        c.context_with_metadata(&[(VCT, own), (BASE_VCT, base)])?,
        ErrorClass::Integrity,
    ))
}

fn integrity_strongest_mismatch(c: &Vc<'_>) -> R<Negative> {
    let own = metadata(VCT, json!({"name": "Right to work"}));
    let other = metadata(VCT, json!({}));
    let value = format!(
        "{} {}",
        c.integrity(HashAlgorithm::Sha256, &own)?,
        c.integrity(HashAlgorithm::Sha512, &other)?
    );
    Ok(Negative::new(
        "vct#integrity has a matching sha256 expression and a mismatching sha512 one: only \
         the strongest algorithm counts, so the document is rejected.",
        &["SDJWTVC-6-2"],
        c.baseline(json!({"vct#integrity": value}))?,
        c.context_with_metadata(&[(VCT, own)])?,
        ErrorClass::Integrity,
    ))
}

fn integrity_unsupported_algorithm(c: &Vc<'_>) -> R<Negative> {
    // 20 bytes, the length of a SHA-1 digest, in standard base64.
    let value = format!("sha1-{}", "A".repeat(27) + "=");
    Ok(Negative::new(
        "vct#integrity uses only sha1, which SRI does not define for integrity: no supported \
         algorithm, so the document is rejected.",
        &["SDJWTVC-6-3"],
        c.baseline(json!({"vct#integrity": value}))?,
        c.context_with_metadata(&[(VCT, metadata(VCT, json!({})))])?,
        ErrorClass::Integrity,
    ))
}

fn integrity_malformed(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "vct#integrity is not an integrity metadata string (its digest is not base64).",
        &["SDJWTVC-5.3-2"],
        c.baseline(json!({"vct#integrity": "sha256-not*base64"}))?,
        c.context()?,
        ErrorClass::Integrity,
    ))
}

// --- Token Status List §6.2, §7, §8 ------------------------------------------------------------

fn revoked(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The credential's Status List entry is INVALID (0x01): revoked.",
        &["TSL-7.1-1", "SDJWTVC-2.4-2"],
        c.with_status(IDX_REVOKED)?,
        c.status_context()?,
        ErrorClass::Revoked,
    ))
}

fn suspended(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The credential's Status List entry is SUSPENDED (0x02).",
        &["TSL-7.1-1", "SDJWTVC-2.4-2"],
        c.with_status(IDX_SUSPENDED)?,
        c.status_context()?,
        ErrorClass::Suspended,
    ))
}

fn application_specific_status(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The credential's Status List entry is 0x03, application-specific, which this \
         verifier's policy does not accept.",
        &["TSL-7.1-2"],
        c.with_status(IDX_APPLICATION)?,
        c.status_context()?,
        ErrorClass::StatusValue,
    ))
}

fn index_out_of_bounds(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The credential's idx is 16 and the list has 16 entries: no statement about its \
         status can be made.",
        &["TSL-8.3-3"],
        c.with_status(LIST_LEN as u64)?,
        c.status_context()?,
        ErrorClass::StatusIndex,
    ))
}

fn idx_negative(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The status_list idx is -1.",
        &["TSL-6.2-1"],
        c.baseline(json!({"status": status_claim(json!(-1), STATUS_URI)}))?,
        c.status_context()?,
        ErrorClass::StatusClaim,
    ))
}

fn no_status_list(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The status claim has no status_list member.",
        &["TSL-6.2-1"],
        c.baseline(json!({"status": {"status_lists": {"idx": IDX_VALID, "uri": STATUS_URI}}}))?,
        c.status_context()?,
        ErrorClass::StatusClaim,
    ))
}

fn list_unavailable(c: &Vc<'_>) -> R<Negative> {
    let vc = c.context()?;
    Ok(Negative::new(
        "The Status List Token cannot be retrieved: no statement about the status can be made.",
        &["TSL-8.3-2"],
        c.with_status(IDX_VALID)?,
        vc,
        ErrorClass::StatusUnavailable,
    ))
}

fn list_wrong_media_type(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The (valid) Status List Token is served as application/json instead of \
         application/statuslist+jwt.",
        &["TSL-8.2-1"],
        c.with_status(IDX_VALID)?,
        c.context_with_token(JSON, c.valid_token(STATUS_URI)?)?,
        ErrorClass::StatusUnavailable,
    ))
}

fn status_uri_not_https(c: &Vc<'_>) -> R<Negative> {
    let insecure = "http://issuer.example.com/status/1";
    let mut vc = c.context()?;
    vc.documents.insert(
        insecure.to_owned(),
        doc(STATUS_LIST_JWT, c.valid_token(insecure)?),
    );
    Ok(Negative::new(
        "The status list uri is plain http (a valid token is served there, but must not be \
         retrieved).",
        &["SDJWTVC-3-1", "TSL-8.3-2"],
        c.baseline(json!({"status": status_claim(json!(IDX_VALID), insecure)}))?,
        vc,
        ErrorClass::StatusUnavailable,
    ))
}

// --- Token Status List §4.2, §5.1: the token ---------------------------------------------------

fn token_signed_by_other_key(c: &Vc<'_>) -> R<Negative> {
    let token = c.token(
        &c.c.untrusted,
        "statuslist+jwt",
        &c.token_claims(STATUS_URI)?,
    )?;
    Ok(Negative::new(
        "The Status List Token is signed with a key that is not the issuer's.",
        &["TSL-5.1-5"],
        c.with_status(IDX_VALID)?,
        c.context_with_token(STATUS_LIST_JWT, token)?,
        ErrorClass::StatusToken,
    ))
}

fn token_wrong_typ(c: &Vc<'_>) -> R<Negative> {
    let token = c.token(&c.c.issuer, "JWT", &c.token_claims(STATUS_URI)?)?;
    Ok(Negative::new(
        "The Status List Token's typ is JWT, not statuslist+jwt.",
        &["TSL-5.1-1"],
        c.with_status(IDX_VALID)?,
        c.context_with_token(STATUS_LIST_JWT, token)?,
        ErrorClass::StatusToken,
    ))
}

fn token_wrong_sub(c: &Vc<'_>) -> R<Negative> {
    let token = c.valid_token("https://issuer.example.com/status/2")?;
    Ok(Negative::new(
        "The Status List Token's sub is another list's URI than the credential's uri.",
        &["TSL-5.1-2"],
        c.with_status(IDX_VALID)?,
        c.context_with_token(STATUS_LIST_JWT, token)?,
        ErrorClass::StatusToken,
    ))
}

/// A token whose claims are the valid ones changed by `edit`.
fn edited_token(c: &Vc<'_>, edit: impl FnOnce(&mut Map<String, Value>)) -> R<String> {
    let mut claims = c.token_claims(STATUS_URI)?;
    edit(&mut claims);
    c.token(&c.c.issuer, "statuslist+jwt", &claims)
}

fn token_expired(c: &Vc<'_>) -> R<Negative> {
    let now = c.now();
    let token = edited_token(c, |m| {
        m.insert("iat".into(), (now - 7200).into());
        m.insert("exp".into(), (now - 3600).into());
    })?;
    Ok(Negative::new(
        "The Status List Token expired an hour ago.",
        &["TSL-5.1-6"],
        c.with_status(IDX_VALID)?,
        c.context_with_token(STATUS_LIST_JWT, token)?,
        ErrorClass::StatusToken,
    ))
}

fn token_without_iat(c: &Vc<'_>) -> R<Negative> {
    let token = edited_token(c, |m| {
        m.shift_remove("iat");
    })?;
    Ok(Negative::new(
        "The Status List Token has no iat.",
        &["TSL-5.1-3"],
        c.with_status(IDX_VALID)?,
        c.context_with_token(STATUS_LIST_JWT, token)?,
        ErrorClass::StatusToken,
    ))
}

fn token_bits_3(c: &Vc<'_>) -> R<Negative> {
    let token = edited_token(c, |m| {
        if let Some(Value::Object(list)) = m.get_mut("status_list") {
            list.insert("bits".into(), 3.into());
        }
    })?;
    Ok(Negative::new(
        "The Status List says bits 3; only 1, 2, 4 and 8 are allowed.",
        &["TSL-4.2-1"],
        c.with_status(IDX_VALID)?,
        c.context_with_token(STATUS_LIST_JWT, token)?,
        ErrorClass::StatusToken,
    ))
}

fn token_lst_not_zlib(c: &Vc<'_>) -> R<Negative> {
    let raw = base64url::encode(c.list()?.as_bytes());
    let token = edited_token(c, |m| {
        if let Some(Value::Object(list)) = m.get_mut("status_list") {
            list.insert("lst".into(), raw.into());
        }
    })?;
    Ok(Negative::new(
        "lst is the uncompressed byte array, not a ZLIB stream.",
        &["TSL-4.2-1"],
        c.with_status(IDX_VALID)?,
        c.context_with_token(STATUS_LIST_JWT, token)?,
        ErrorClass::StatusToken,
    ))
}

// --- Token Status List §7.1, §8.3: the credential first ---------------------------------------

fn expired_credential_valid_status(c: &Vc<'_>) -> R<Negative> {
    let now = c.now();
    Ok(Negative::new(
        "The credential expired an hour ago though its Status List entry is VALID: its own \
         processing rules come first.",
        &["TSL-7.1-3", "TSL-8.3-1"],
        c.baseline(json!({
            "iat": now - 172_800,
            "exp": now - 3600,
            "status": status_claim(json!(IDX_VALID), STATUS_URI)
        }))?,
        c.status_context()?,
        ErrorClass::Time,
    ))
}

fn revoked_but_signature_invalid(c: &Vc<'_>) -> R<Negative> {
    Ok(Negative::new(
        "The credential is signed with a key the issuer does not hold and its entry says \
         revoked: the signature fails first, before any status is looked at.",
        &["TSL-8.3-1"],
        c.baseline_with(
            &c.c.untrusted,
            &header(Some("dc+sd-jwt")),
            json!({"status": status_claim(json!(IDX_REVOKED), STATUS_URI)}),
        )?,
        c.status_context()?,
        ErrorClass::Signature,
    ))
}

#[cfg(test)]
mod tests {
    // Tests panic on setup failures; each `expect` says what failed.
    #![allow(clippy::expect_used)]

    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;
    use crate::generate::NOW;
    use crate::{Catalogue, Exceptions, Role, Status, run_vector};

    const PROVIDER: CryptoProvider = sdjwt_aws_lc::DEFAULT_PROVIDER;

    fn spec() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec")
    }

    fn all_at(now: i64) -> Vec<Vector> {
        let mut v = positive_cases(&PROVIDER, now).expect("positive cases");
        v.extend(negative_cases(&PROVIDER, now).expect("negative cases"));
        v
    }

    fn set() -> VectorSet {
        VectorSet {
            keys: keys::all().expect("keys"),
            vectors: Vec::new(),
        }
    }

    /// Every case passes, or diverges as `spec/exceptions.toml` records.
    fn check(now: i64) {
        let exceptions = Exceptions::load(&spec().join("exceptions.toml")).unwrap_or_default();
        let set = set();
        let failures: Vec<String> = all_at(now)
            .iter()
            .map(|v| (v, exceptions.apply(run_vector(&set, v, &PROVIDER))))
            .filter(|(_, o)| !matches!(o.status, Status::Passed | Status::Diverged))
            .map(|(v, o)| format!("{}: {} ({})", v.id, o.outcome, o.detail))
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn every_case_has_its_outcome() {
        check(NOW);
    }

    #[test]
    fn cases_move_with_the_clock() {
        check(NOW + 12_345_678);
        check(1_700_000_000);
    }

    #[test]
    fn ids_are_unique_and_shapes_right() {
        let mut seen = BTreeSet::new();
        let all = all_at(NOW);
        assert!(all.len() >= 50, "only {} cases", all.len());
        for v in &all {
            assert!(seen.insert(v.id.clone()), "{} twice", v.id);
            assert!(v.verify.vc.is_some(), "{}", v.id);
            assert!(v.verify.issuer_keys.is_empty(), "{}", v.id);
            assert!(v.presentation.is_some(), "{}", v.id);
            let prefix = match v.kind {
                Kind::Positive => "pos-vc-",
                Kind::Negative => "neg-",
            };
            assert!(v.id.starts_with(prefix), "{}", v.id);
        }
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(all_at(NOW), all_at(NOW));
    }

    /// The forging helpers make a valid SD-JWT VC, so in each case only the rule under test
    /// fails: the baseline, with and without a VALID status, verifies in the default context.
    #[test]
    fn baselines_verify() {
        let ctx = context(&PROVIDER, NOW).expect("context");
        let c = Vc { c: &ctx };
        let vc = c.status_context().expect("vc context");
        let verify = c.verify(vc);
        for (what, text) in [
            ("baseline", c.baseline(json!({}))),
            ("with status", c.with_status(IDX_VALID)),
            (
                "disclosing",
                c.disclosing(json!({}), &[GIVEN_NAME, RIGHT_TO_WORK]),
            ),
        ] {
            let v = Vector {
                id: format!("baseline-{what}"),
                kind: Kind::Negative,
                description: String::new(),
                requirements: vec!["x".into()],
                source: None,
                issue: None,
                present: None,
                presentation: Some(text.expect(what)),
                verify: verify.clone(),
                expect: Expect {
                    claims: None,
                    error: Some("none".into()),
                },
            };
            let outcome = run_vector(&set(), &v, &PROVIDER);
            assert_eq!(outcome.outcome, "accepted", "{what}: {}", outcome.detail);
        }
    }

    #[test]
    fn negative_cases_name_verifier_entries_and_positives_known_ones() {
        let Ok(catalogue) = Catalogue::load(&spec().join("requirements.toml")) else {
            // The catalogue is checked by the suite's own tests; nothing to compare against here.
            return;
        };
        for v in all_at(NOW) {
            for r in &v.requirements {
                let entry = catalogue.get(r);
                assert!(entry.is_some(), "{}: unknown requirement {r}", v.id);
                if v.kind == Kind::Negative {
                    assert_eq!(
                        entry.map(|e| e.role),
                        Some(Role::Verifier),
                        "{}: {r} does not bind the verifier",
                        v.id
                    );
                }
            }
        }
    }
}
