//! Negative cases: ready presentations that a conforming verifier must reject, each with the
//! requirement it tests and the error class that rule calls for.
//!
//! Every case is forged by hand so that the rule under test is the only thing wrong: payloads,
//! Disclosures and Key Binding JWTs are written out, the Issuer-signed JWT is signed with the
//! Ed25519 key [`keys::ISSUER`] and the KB-JWT with [`keys::HOLDER`] (whose public key is the
//! credential's `cnf.jwk`). Ed25519 signatures are deterministic, salts are fixed strings and
//! every time is an offset from the verifier's `now`, so [`cases`] gives the same bytes on every
//! run and equivalent cases for another clock.
//!
//! Many cases port `tests/tests/must_reject.rs` (which checks the exact typed errors of this
//! implementation); the others add malformed encodings, algorithm confusion, Key Binding JWT
//! misuse, JWS JSON rules and lowered limits.

use core::fmt::Display;

use sdjwt_jose::{CryptoProvider, HashAlgorithm, Jwk, JwsAlgorithm, base64url};
use serde_json::{Map, Value, json};

use super::keys::{self, HOLDER, ISSUER, UNTRUSTED};
use super::{AUD, ISS, NONCE, fail};
use crate::vector::{Expect, KeyBindingPolicy, Kind, LimitsInput, Vector, Verify};
use crate::{Error, ErrorClass};

/// A builder's result; the reason of an error becomes [`Error::Generate`] for the case.
pub(super) type R<T> = Result<T, String>;

/// A case builder.
type Build = fn(&Ctx<'_>) -> R<Case>;

/// Every negative case, for a verifier whose clock reads `now`.
///
/// # Errors
///
/// [`Error::Generate`] when a case cannot be made (a bug in the generator).
pub(crate) fn cases(provider: &CryptoProvider, now: i64) -> Result<Vec<Vector>, Error> {
    let ctx = Ctx {
        provider,
        now,
        issuer: keys::jwk(ISSUER)?,
        holder: keys::jwk(HOLDER)?,
        untrusted: keys::jwk(UNTRUSTED)?,
    };
    CASES
        .iter()
        .map(|(id, build)| Ok(build(&ctx).map_err(|e| fail(id, e))?.into_vector(id)))
        .collect()
}

/// Every case: its id and its builder, grouped by section.
#[rustfmt::skip]
const CASES: &[(&str, Build)] = &[
    // RFC 9901 §4: the compact serialization.
    ("neg-compact-bare-jwt", compact_bare_jwt),
    ("neg-compact-empty-disclosure", compact_empty_disclosure),
    ("neg-compact-jwt-four-parts", compact_jwt_four_parts),
    ("neg-compact-jwt-two-parts", compact_jwt_two_parts),
    ("neg-compact-final-component-not-a-jwt", compact_final_component_not_a_jwt),
    ("neg-compact-disclosure-repeated", compact_disclosure_repeated),
    // RFC 9901 §4.2: Disclosures.
    ("neg-disclosure-b64-padding", disclosure_b64_padding),
    ("neg-disclosure-b64-standard-alphabet", disclosure_b64_standard_alphabet),
    ("neg-disclosure-b64-non-canonical-bits", disclosure_b64_non_canonical_bits),
    ("neg-disclosure-not-json", disclosure_not_json),
    ("neg-disclosure-duplicate-member", disclosure_duplicate_member),
    ("neg-disclosure-object", disclosure_object),
    ("neg-disclosure-one-element", disclosure_one_element),
    ("neg-disclosure-four-elements", disclosure_four_elements),
    ("neg-disclosure-salt-not-a-string", disclosure_salt_not_a_string),
    ("neg-disclosure-name-not-a-string", disclosure_name_not_a_string),
    ("neg-disclosure-name-sd", disclosure_name_sd),
    ("neg-disclosure-name-ellipsis", disclosure_name_ellipsis),
    // RFC 9901 §7.1 step 2, RFC 7515 §5.2: encodings of the Issuer-signed JWT.
    ("neg-header-b64-padding", header_b64_padding),
    ("neg-header-b64-standard-alphabet", header_b64_standard_alphabet),
    ("neg-header-b64-non-canonical-bits", header_b64_non_canonical_bits),
    ("neg-header-b64-impossible-length", header_b64_impossible_length),
    ("neg-payload-b64-padding", payload_b64_padding),
    ("neg-payload-b64-standard-alphabet", payload_b64_standard_alphabet),
    ("neg-payload-b64-non-canonical-bits", payload_b64_non_canonical_bits),
    ("neg-signature-b64-padding", signature_b64_padding),
    ("neg-signature-b64-standard-alphabet", signature_b64_standard_alphabet),
    ("neg-signature-b64-non-canonical-bits", signature_b64_non_canonical_bits),
    ("neg-header-not-json", header_not_json),
    ("neg-header-not-an-object", header_not_an_object),
    ("neg-header-duplicate-alg", header_duplicate_alg),
    ("neg-header-no-alg", header_no_alg),
    ("neg-header-alg-not-a-string", header_alg_not_a_string),
    ("neg-header-crit", header_crit),
    ("neg-payload-not-json", payload_not_json),
    ("neg-payload-not-an-object", payload_not_an_object),
    ("neg-payload-duplicate-member", payload_duplicate_member),
    // RFC 9901 §7.1 step 2.a, RFC 8725 §3.1: algorithms.
    ("neg-alg-none", alg_none),
    ("neg-alg-none-capitalised", alg_none_capitalised),
    ("neg-alg-hs256", alg_hs256),
    ("neg-alg-hs256-issuer-public-key-as-secret", alg_hs256_public_key_secret),
    ("neg-alg-unknown", alg_unknown),
    ("neg-alg-not-in-policy", alg_not_in_policy),
    ("neg-alg-es256-with-ed25519-key", alg_es256_with_ed25519_key),
    // RFC 9901 §7.1 steps 2.b and 2.c: signature and issuer key.
    ("neg-signature-tampered-payload", signature_tampered_payload),
    ("neg-signature-untrusted-key", signature_untrusted_key),
    ("neg-signature-truncated", signature_truncated),
    ("neg-signature-empty", signature_empty),
    ("neg-issuer-kid-unknown", issuer_kid_unknown),
    ("neg-issuer-iss-not-a-string", issuer_iss_not_a_string),
    // RFC 9901 §9.11: explicit typing.
    ("neg-typ-wrong", typ_wrong),
    ("neg-typ-missing", typ_missing),
    // RFC 9901 §4.1.1, §7.1 step 2.d: `_sd_alg`.
    ("neg-sd-alg-unknown", sd_alg_unknown),
    ("neg-sd-alg-truncated-hash", sd_alg_truncated_hash),
    ("neg-sd-alg-uppercase", sd_alg_uppercase),
    ("neg-sd-alg-not-a-string", sd_alg_not_a_string),
    ("neg-sd-alg-not-in-policy", sd_alg_not_in_policy),
    ("neg-sd-alg-nested", sd_alg_nested),
    ("neg-sd-alg-in-disclosure", sd_alg_in_disclosure),
    // RFC 9901 §7.1 step 3: digests and Disclosures.
    ("neg-digest-over-decoded-json", digest_over_decoded_json),
    ("neg-digest-default-hash-not-sha256", digest_default_hash_not_sha256),
    ("neg-disclosure-re-encoded", disclosure_re_encoded),
    ("neg-sd-not-an-array", sd_not_an_array),
    ("neg-sd-element-not-a-string", sd_element_not_a_string),
    ("neg-sd-in-disclosed-value-not-an-array", sd_in_disclosed_value_not_an_array),
    ("neg-array-digest-extra-members", array_digest_extra_members),
    ("neg-array-digest-not-a-string", array_digest_not_a_string),
    ("neg-array-element-value-bad-sd", array_element_value_bad_sd),
    ("neg-ellipsis-in-object", ellipsis_in_object),
    ("neg-property-disclosure-in-array", property_disclosure_in_array),
    ("neg-array-disclosure-in-sd", array_disclosure_in_sd),
    ("neg-claim-collides-with-plaintext", claim_collides_with_plaintext),
    ("neg-claim-disclosed-twice", claim_disclosed_twice),
    // RFC 9901 §7.1 steps 4 and 5.
    ("neg-digest-twice-in-one-sd", digest_twice_in_one_sd),
    ("neg-digest-twice-undisclosed", digest_twice_undisclosed),
    ("neg-digest-twice-via-disclosure", digest_twice_via_disclosure),
    ("neg-digest-twice-sd-and-array", digest_twice_sd_and_array),
    ("neg-disclosure-unreferenced", disclosure_unreferenced),
    ("neg-disclosure-nested-without-parent", disclosure_nested_without_parent),
    // RFC 9901 §7.1 step 6, §9.7: validity.
    ("neg-time-expired", time_expired),
    ("neg-time-expired-at-boundary", time_expired_at_boundary),
    ("neg-time-not-yet-valid", time_not_yet_valid),
    ("neg-time-issued-in-future", time_issued_in_future),
    ("neg-time-exp-not-a-number", time_exp_not_a_number),
    ("neg-time-nbf-not-a-number", time_nbf_not_a_number),
    ("neg-time-expired-in-disclosure", time_expired_in_disclosure),
    ("neg-required-claim-missing", required_claim_missing),
    ("neg-aud-other-verifier", aud_other_verifier),
    ("neg-aud-verifier-unknown", aud_verifier_unknown),
    ("neg-aud-not-a-string", aud_not_a_string),
    // RFC 9901 §7.3 and §4.3: key binding.
    ("neg-kb-required-but-absent", kb_required_but_absent),
    ("neg-kb-jwt-two-parts", kb_jwt_two_parts),
    ("neg-kb-header-duplicate-typ", kb_header_duplicate_typ),
    ("neg-kb-payload-duplicate-nonce", kb_payload_duplicate_nonce),
    ("neg-kb-payload-not-json", kb_payload_not_json),
    ("neg-kb-payload-not-an-object", kb_payload_not_an_object),
    ("neg-kb-no-cnf", kb_no_cnf),
    ("neg-kb-cnf-only-in-disclosure", kb_cnf_only_in_disclosure),
    ("neg-kb-cnf-jwk-for-encryption", kb_cnf_jwk_for_encryption),
    ("neg-kb-alg-none", kb_alg_none),
    ("neg-kb-alg-hs256-holder-public-key-as-secret", kb_alg_hs256),
    ("neg-kb-alg-es256-with-ed25519-key", kb_alg_es256_with_ed25519_key),
    ("neg-kb-signed-by-other-key", kb_signed_by_other_key),
    ("neg-kb-signed-by-key-in-header", kb_signed_by_key_in_header),
    ("neg-kb-typ-missing", kb_typ_missing),
    ("neg-kb-typ-jwt", kb_typ_jwt),
    ("neg-kb-iat-future", kb_iat_future),
    ("neg-kb-iat-stale", kb_iat_stale),
    ("neg-kb-iat-missing", kb_iat_missing),
    ("neg-kb-iat-not-a-number", kb_iat_not_a_number),
    ("neg-kb-aud-wrong", kb_aud_wrong),
    ("neg-kb-aud-missing", kb_aud_missing),
    ("neg-kb-aud-array", kb_aud_array),
    ("neg-kb-nonce-wrong", kb_nonce_wrong),
    ("neg-kb-nonce-missing", kb_nonce_missing),
    ("neg-kb-nonce-not-a-string", kb_nonce_not_a_string),
    ("neg-kb-sd-hash-missing", kb_sd_hash_missing),
    ("neg-kb-sd-hash-disclosure-removed", kb_sd_hash_disclosure_removed),
    ("neg-kb-sd-hash-disclosures-reordered", kb_sd_hash_disclosures_reordered),
    ("neg-kb-sd-hash-without-final-tilde", kb_sd_hash_without_final_tilde),
    ("neg-kb-sd-hash-hex", kb_sd_hash_hex),
    ("neg-kb-sd-hash-sha384-by-default", kb_sd_hash_sha384_by_default),
    ("neg-kb-sd-hash-not-sd-alg", kb_sd_hash_not_sd_alg),
    ("neg-kb-exp-passed", kb_exp_passed),
    ("neg-kb-nbf-future", kb_nbf_future),
    ("neg-kb-sd-jwt-tampered", kb_sd_jwt_tampered),
    ("neg-kb-sd-jwt-expired", kb_sd_jwt_expired),
    // RFC 9901 §8: the JWS JSON serialization.
    ("neg-json-disclosures-in-second-signature", json_disclosures_in_second_signature),
    ("neg-json-kb-jwt-in-second-signature", json_kb_jwt_in_second_signature),
    ("neg-json-disclosures-not-an-array", json_disclosures_not_an_array),
    ("neg-json-disclosure-not-a-string", json_disclosure_not_a_string),
    ("neg-json-kb-jwt-not-a-string", json_kb_jwt_not_a_string),
    ("neg-json-kb-jwt-missing", json_kb_jwt_missing),
    ("neg-json-flattened-and-general", json_flattened_and_general),
    ("neg-json-header-parameter-in-both-headers", json_header_parameter_in_both),
    ("neg-json-duplicate-member", json_duplicate_member),
    ("neg-json-no-signatures", json_no_signatures),
    ("neg-json-no-payload", json_no_payload),
    ("neg-json-kb-sd-hash-over-json-text", json_kb_sd_hash_over_json_text),
    ("neg-json-general-one-bad-signature", json_general_one_bad_signature),
    // Size and depth limits (RFC 9901 §7.1 processing, bounded).
    ("neg-limit-input-bytes", limit_input_bytes),
    ("neg-limit-disclosures", limit_disclosures),
    ("neg-limit-json-disclosures", limit_json_disclosures),
    ("neg-limit-depth-payload", limit_depth_payload),
    ("neg-limit-depth-disclosure", limit_depth_disclosure),
    ("neg-limit-depth-default", limit_depth_default),
    ("neg-limit-sd-array-length", limit_sd_array_length),
    ("neg-limit-array-length", limit_array_length),
];

/// What a builder makes; [`cases`] adds the id.
pub(super) struct Case {
    description: &'static str,
    requirements: &'static [&'static str],
    presentation: String,
    verify: Verify,
    error: ErrorClass,
}

impl Case {
    /// The vector file for this case, under `id`.
    pub(super) fn into_vector(self, id: &str) -> Vector {
        Vector {
            id: id.to_owned(),
            kind: Kind::Negative,
            description: self.description.to_owned(),
            requirements: self.requirements.iter().map(|r| (*r).to_owned()).collect(),
            source: None,
            issue: None,
            present: None,
            presentation: Some(self.presentation),
            verify: self.verify,
            expect: Expect {
                claims: None,
                error: Some(self.error.name().to_owned()),
            },
        }
    }

    pub(super) fn new(
        description: &'static str,
        requirements: &'static [&'static str],
        presentation: String,
        verify: Verify,
        error: ErrorClass,
    ) -> Self {
        Self {
            description,
            requirements,
            presentation,
            verify,
            error,
        }
    }
}

// --- forging helpers ---------------------------------------------------------------------------

/// The keys and clock every builder uses.
pub(super) struct Ctx<'a> {
    pub(super) provider: &'a CryptoProvider,
    pub(super) now: i64,
    pub(super) issuer: Jwk,
    pub(super) holder: Jwk,
    pub(super) untrusted: Jwk,
}

fn reason(e: impl Display) -> String {
    e.to_string()
}

/// Base64url of a text (Disclosure JSON, header, payload).
pub(super) fn b64(text: &str) -> String {
    base64url::encode(text)
}

/// The default Issuer-signed JWT header.
fn header() -> Value {
    json!({"alg": "EdDSA", "typ": "example+sd-jwt"})
}

/// The default KB-JWT header.
fn kb_header() -> Value {
    json!({"alg": "EdDSA", "typ": "kb+jwt"})
}

/// `<jwt>~<d1>~...~<dN>~`.
pub(super) fn compact(jwt: &str, disclosures: &[&str]) -> String {
    let mut s = format!("{jwt}~");
    for d in disclosures {
        s.push_str(d);
        s.push('~');
    }
    s
}

/// The three parts of a compact JWS.
fn parts(jws: &str) -> R<[String; 3]> {
    let mut it = jws.split('.').map(str::to_owned);
    match (it.next(), it.next(), it.next(), it.next()) {
        (Some(h), Some(p), Some(s), None) => Ok([h, p, s]),
        _ => Err(format!("{jws:?} is not a three-part JWS")),
    }
}

/// `text` after the fewest leading spaces (insignificant JSON whitespace, at most three, which
/// cover every base64 alignment) that make its base64url encoding satisfy `ok`.
fn aligned(text: &str, ok: impl Fn(&str) -> bool) -> R<String> {
    (0..4)
        .map(|n| format!("{}{text}", " ".repeat(n)))
        .find(|t| ok(&b64(t)))
        .ok_or_else(|| format!("no alignment of {text:?} gives the wanted encoding"))
}

/// Whether `encoded` has a partial final group (so it could carry padding or unused bits).
fn partial(encoded: &str) -> bool {
    !encoded.len().is_multiple_of(4)
}

/// Whether `encoded` uses a character that differs between base64url and base64.
fn url_specific(encoded: &str) -> bool {
    encoded.contains(['-', '_'])
}

/// The padding RFC 4648 §4 would add.
fn padded(encoded: &str) -> String {
    let pad = (4 - encoded.len() % 4) % 4;
    format!("{encoded}{}", "=".repeat(pad))
}

/// The same bytes in the standard base64 alphabet (RFC 4648 §4).
fn standard_alphabet(encoded: &str) -> String {
    encoded.replace('-', "+").replace('_', "/")
}

/// `encoded` with the lowest unused bit of its last character set: a lenient decoder reads the
/// same bytes, a strict one refuses it (RFC 4648 §3.5).
fn non_canonical(encoded: &str) -> R<String> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if !partial(encoded) {
        return Err(format!("{encoded:?} has no unused bits"));
    }
    let (head, last) = encoded.split_at(encoded.len() - 1);
    let value = ALPHABET
        .find(last)
        .ok_or_else(|| format!("{last:?} is not base64url"))?;
    let bumped = ALPHABET
        .get(value | 1..(value | 1) + 1)
        .ok_or_else(|| format!("no character {}", value | 1))?;
    Ok(format!("{head}{bumped}"))
}

impl Ctx<'_> {
    fn hash(&self, alg: HashAlgorithm, data: &[u8]) -> R<Vec<u8>> {
        let out = self.provider.digest(alg, data).map_err(reason)?;
        Ok(out.as_bytes().to_vec())
    }

    /// The base64url digest of `text` with `alg`.
    fn digest(&self, alg: HashAlgorithm, text: &str) -> R<String> {
        Ok(base64url::encode(self.hash(alg, text.as_bytes())?))
    }

    /// The sha-256 digest of a Disclosure (or of an SD-JWT, for `sd_hash`).
    pub(super) fn dig(&self, text: &str) -> R<String> {
        self.digest(HashAlgorithm::Sha256, text)
    }

    /// The base64url Ed25519 signature of `input` with `key`.
    fn signature(&self, key: &Jwk, input: &str) -> R<String> {
        let signer = self
            .provider
            .signer(key, JwsAlgorithm::EdDsa)
            .map_err(reason)?;
        let sig = signer.try_sign(input.as_bytes()).map_err(reason)?;
        Ok(base64url::encode(sig))
    }

    /// `<header_b64>.<payload_b64>.<signature>`, signed with `key` over exactly those texts.
    pub(super) fn signed(&self, key: &Jwk, header_b64: &str, payload_b64: &str) -> R<String> {
        let input = format!("{header_b64}.{payload_b64}");
        let sig = self.signature(key, &input)?;
        Ok(format!("{input}.{sig}"))
    }

    /// An issuer-signed JWS over arbitrary header and payload texts.
    fn jwt_text(&self, header_text: &str, payload_text: &str) -> R<String> {
        self.signed(&self.issuer, &b64(header_text), &b64(payload_text))
    }

    /// An issuer-signed JWT with the default header.
    fn jwt(&self, payload: &Value) -> R<String> {
        self.jwt_text(&header().to_string(), &payload.to_string())
    }

    /// A valid payload: issuer, times, holder key and sha-256, plus `extra` members (an
    /// `extra` member replaces a default one in place).
    fn payload(&self, extra: Value) -> Value {
        let mut m = Map::new();
        m.insert("iss".into(), ISS.into());
        m.insert("iat".into(), (self.now - 60).into());
        m.insert("exp".into(), (self.now + 3600).into());
        m.insert("cnf".into(), json!({"jwk": self.holder_public()}));
        m.insert("_sd_alg".into(), "sha-256".into());
        if let Value::Object(extra) = extra {
            for (k, v) in extra {
                m.insert(k, v);
            }
        }
        Value::Object(m)
    }

    /// The payload without the members `names`.
    fn payload_without(&self, names: &[&str], extra: Value) -> Value {
        let mut p = self.payload(extra);
        if let Value::Object(m) = &mut p {
            for name in names {
                m.shift_remove(*name);
            }
        }
        p
    }

    pub(super) fn holder_public(&self) -> Value {
        Value::Object(self.holder.to_public().to_json())
    }

    /// `<issuer-signed JWT>~<d1>~...~` for `payload`.
    fn sd_jwt(&self, payload: &Value, disclosures: &[&str]) -> R<String> {
        Ok(compact(&self.jwt(payload)?, disclosures))
    }

    /// The Disclosure `["salt-rtw","right_to_work",true]` and a payload that references it.
    fn one_claim(&self) -> R<(Value, String)> {
        let d = b64(r#"["salt-rtw","right_to_work",true]"#);
        Ok((self.payload(json!({"_sd": [self.dig(&d)?]})), d))
    }

    /// A well-formed SD-JWT with one disclosed claim.
    fn one_claim_sd_jwt(&self) -> R<String> {
        let (pl, d) = self.one_claim()?;
        self.sd_jwt(&pl, &[&d])
    }

    /// An SD-JWT whose payload references the single Disclosure `disclosure_json` (encoded).
    fn with_disclosure_text(&self, encoded: &str) -> R<String> {
        let pl = self.payload(json!({"_sd": [self.dig(encoded)?]}));
        self.sd_jwt(&pl, &[encoded])
    }

    /// The valid KB-JWT claims for `sd_part`.
    fn kb_claims(&self, sd_part: &str) -> R<Map<String, Value>> {
        let mut c = Map::new();
        c.insert("iat".into(), self.now.into());
        c.insert("aud".into(), AUD.into());
        c.insert("nonce".into(), NONCE.into());
        c.insert("sd_hash".into(), self.dig(sd_part)?.into());
        Ok(c)
    }

    /// A holder-signed KB-JWT over arbitrary header and claims.
    fn kb_signed(&self, header: &Value, claims: &Map<String, Value>) -> R<String> {
        let payload = Value::Object(claims.clone()).to_string();
        self.signed(&self.holder, &b64(&header.to_string()), &b64(&payload))
    }

    /// A KB-JWT for `sd_part` with its claims edited by `edit`.
    fn kb_edit(&self, sd_part: &str, edit: impl FnOnce(&mut Map<String, Value>)) -> R<String> {
        let mut c = self.kb_claims(sd_part)?;
        edit(&mut c);
        self.kb_signed(&kb_header(), &c)
    }

    /// A valid KB-JWT for `sd_part`.
    pub(super) fn kb(&self, sd_part: &str) -> R<String> {
        self.kb_edit(sd_part, |_| {})
    }

    /// A one-claim SD-JWT+KB whose KB-JWT claims are edited by `edit`.
    fn presentation_kb_edit(&self, edit: impl FnOnce(&mut Map<String, Value>)) -> R<String> {
        let s = self.one_claim_sd_jwt()?;
        Ok(format!("{s}{}", self.kb_edit(&s, edit)?))
    }

    /// A one-claim SD-JWT+KB whose KB-JWT has `header` and valid claims.
    fn presentation_kb_header(&self, header: &Value) -> R<String> {
        let s = self.one_claim_sd_jwt()?;
        Ok(format!(
            "{s}{}",
            self.kb_signed(header, &self.kb_claims(&s)?)?
        ))
    }

    /// The verifier policy without key binding.
    fn verify(&self) -> Verify {
        Verify::trusting(&[ISSUER], self.now)
    }

    /// The verifier policy requiring key binding for [`AUD`] and [`NONCE`].
    fn verify_kb(&self) -> Verify {
        Verify {
            key_binding: Some(KeyBindingPolicy {
                aud: AUD.to_owned(),
                nonce: NONCE.to_owned(),
                max_age: None,
            }),
            ..self.verify()
        }
    }

    /// The policy without key binding, with lowered limits.
    fn verify_limits(&self, limits: LimitsInput) -> Verify {
        Verify {
            limits: Some(limits),
            ..self.verify()
        }
    }

    /// HMAC-SHA-256 (RFC 2104) built from the provider's SHA-256, for forging MAC "signatures".
    fn hmac_sha256(&self, key: &[u8], message: &[u8]) -> R<Vec<u8>> {
        const BLOCK: usize = 64;
        let mut k = if key.len() > BLOCK {
            self.hash(HashAlgorithm::Sha256, key)?
        } else {
            key.to_vec()
        };
        k.resize(BLOCK, 0);
        let mut inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
        inner.extend_from_slice(message);
        let inner = self.hash(HashAlgorithm::Sha256, &inner)?;
        let mut outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
        outer.extend_from_slice(&inner);
        self.hash(HashAlgorithm::Sha256, &outer)
    }

    /// A JWS with `header` whose "signature" is HMAC-SHA-256 keyed with the JSON text of
    /// `public` (the public-key-as-MAC-secret confusion attack).
    fn hmac_jws(&self, header: &Value, payload_text: &str, public: &Jwk) -> R<String> {
        let secret = Value::Object(public.to_public().to_json()).to_string();
        let input = format!("{}.{}", b64(&header.to_string()), b64(payload_text));
        let mac = self.hmac_sha256(secret.as_bytes(), input.as_bytes())?;
        Ok(format!("{input}.{}", base64url::encode(mac)))
    }

    /// The three parts of an issuer-signed JWT over `payload`, for the JSON serialization.
    fn json_parts(&self, payload: &Value) -> R<[String; 3]> {
        parts(&self.jwt(payload)?)
    }
}

// --- RFC 9901 §4: the compact serialization -------------------------------------------------

/// RFC 9901 §4: an SD-JWT always ends with `~`; a bare JWT is not one.
fn compact_bare_jwt(c: &Ctx<'_>) -> R<Case> {
    let (pl, _) = c.one_claim()?;
    Ok(Case::new(
        "A bare Issuer-signed JWT without any '~' separator is not an SD-JWT.",
        &["RFC9901-4-2", "RFC9901-7.1-1"],
        c.jwt(&pl)?,
        c.verify(),
        ErrorClass::Malformed,
    ))
}

/// RFC 9901 §4 ABNF: a Disclosure is non-empty base64url.
fn compact_empty_disclosure(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    Ok(Case::new(
        "An empty component between two '~' separators is not a Disclosure.",
        &["RFC9901-4-1", "RFC9901-7.1-1"],
        format!("{}~~{d}~", c.jwt(&pl)?),
        c.verify(),
        ErrorClass::Malformed,
    ))
}

/// RFC 9901 §4 ABNF, RFC 7515 §7.1: a compact JWS has exactly three parts.
fn compact_jwt_four_parts(c: &Ctx<'_>) -> R<Case> {
    let s = c.one_claim_sd_jwt()?;
    Ok(Case::new(
        "The Issuer-signed JWT has four dot-separated parts instead of three.",
        &["RFC9901-4-1", "RFC9901-7.1-1"],
        s.replacen('~', ".AAAA~", 1),
        c.verify(),
        ErrorClass::Malformed,
    ))
}

/// RFC 9901 §4 ABNF: the signature part cannot be left out.
fn compact_jwt_two_parts(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, p, _] = parts(&c.jwt(&pl)?)?;
    Ok(Case::new(
        "The Issuer-signed JWT has only a header and a payload, no signature part.",
        &["RFC9901-4-1", "RFC9901-7.1-1"],
        compact(&format!("{h}.{p}"), &[&d]),
        c.verify(),
        ErrorClass::Malformed,
    ))
}

/// RFC 9901 §4: the component after the last `~` is empty or a KB-JWT, nothing else.
fn compact_final_component_not_a_jwt(c: &Ctx<'_>) -> R<Case> {
    let s = c.one_claim_sd_jwt()?;
    Ok(Case::new(
        "The component after the last '~' is neither empty nor a JWT.",
        &["RFC9901-4-3", "RFC9901-4.3-1"],
        format!("{s}bm90LWEtand0"),
        c.verify(),
        ErrorClass::Malformed,
    ))
}

/// RFC 9901 §4: a Disclosure is never sent twice.
fn compact_disclosure_repeated(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    Ok(Case::new(
        "The same Disclosure is sent twice.",
        &["RFC9901-4-7"],
        c.sd_jwt(&pl, &[&d, &d])?,
        c.verify(),
        ErrorClass::DuplicateDisclosure,
    ))
}

// --- RFC 9901 §4.2: Disclosures -------------------------------------------------------------

/// RFC 9901 §4.2.1: Disclosures are unpadded base64url. The digest covers the padded text, so a
/// lenient decoder would accept it.
fn disclosure_b64_padding(c: &Ctx<'_>) -> R<Case> {
    let json = aligned(r#"["salt-pad","given_name","Ada"]"#, partial)?;
    Ok(Case::new(
        "A Disclosure carries base64 '=' padding.",
        &["RFC9901-4.2.1-8"],
        c.with_disclosure_text(&padded(&b64(&json)))?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// RFC 9901 §4.2.1: the URL-safe alphabet only.
fn disclosure_b64_standard_alphabet(c: &Ctx<'_>) -> R<Case> {
    let json = aligned(r#"["salt-std","note","???"]"#, url_specific)?;
    Ok(Case::new(
        "A Disclosure is encoded with the standard base64 alphabet ('+' and '/').",
        &["RFC9901-4.2.1-8"],
        c.with_disclosure_text(&standard_alphabet(&b64(&json)))?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// RFC 9901 §4.2.1, RFC 4648 §3.5: the unused bits of the last character are zero.
fn disclosure_b64_non_canonical_bits(c: &Ctx<'_>) -> R<Case> {
    let json = aligned(r#"["salt-bits","given_name","Ada"]"#, partial)?;
    Ok(Case::new(
        "A Disclosure's last base64url character has non-zero unused bits.",
        &["RFC9901-4.2.1-8"],
        c.with_disclosure_text(&non_canonical(&b64(&json))?)?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// RFC 9901 §4.2.1: a Disclosure is JSON.
fn disclosure_not_json(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "A Disclosure decodes to text that is not JSON (a truncated array).",
        &["RFC9901-4.2.1-8"],
        c.with_disclosure_text(&b64(r#"["salt-x","given_name","Ada""#))?,
        c.verify(),
        ErrorClass::Json,
    ))
}

/// RFC 9901 §4.2.1, RFC 8259 §4: a member name repeated inside a disclosed value.
fn disclosure_duplicate_member(c: &Ctx<'_>) -> R<Case> {
    let d = b64(r#"["salt-dup","address",{"street":"Main St 1","street":"Evil Rd 2"}]"#);
    Ok(Case::new(
        "A disclosed object value repeats the member name \"street\".",
        &["RFC9901-4.2.1-8"],
        c.with_disclosure_text(&d)?,
        c.verify(),
        ErrorClass::Json,
    ))
}

/// RFC 9901 §4.2.1, §4.2.2: a Disclosure is a JSON array.
fn disclosure_object(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "A Disclosure is a JSON object instead of an array.",
        &["RFC9901-4.2.2-2"],
        c.with_disclosure_text(&b64(
            r#"{"salt":"salt-o","name":"given_name","value":"Ada"}"#,
        ))?,
        c.verify(),
        ErrorClass::Disclosure,
    ))
}

/// RFC 9901 §4.2.2: two or three elements.
fn disclosure_one_element(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "A Disclosure is an array with a single element.",
        &["RFC9901-4.2.2-2"],
        c.with_disclosure_text(&b64(r#"["salt-1e"]"#))?,
        c.verify(),
        ErrorClass::Disclosure,
    ))
}

/// RFC 9901 §4.2.2: two or three elements.
fn disclosure_four_elements(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "A Disclosure is an array of four elements.",
        &["RFC9901-4.2.2-2"],
        c.with_disclosure_text(&b64(r#"["salt-4e","given_name","Ada","extra"]"#))?,
        c.verify(),
        ErrorClass::Disclosure,
    ))
}

/// RFC 9901 §4.2.1: the salt is a string.
fn disclosure_salt_not_a_string(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "A Disclosure's salt is a number.",
        &["RFC9901-4.2.1-2"],
        c.with_disclosure_text(&b64(r#"[42,"given_name","Ada"]"#))?,
        c.verify(),
        ErrorClass::Disclosure,
    ))
}

/// RFC 9901 §4.2.1: the claim name is a string.
fn disclosure_name_not_a_string(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "A three-element Disclosure's claim name is a number.",
        &["RFC9901-4.2.1-5"],
        c.with_disclosure_text(&b64(r#"["salt-n",7,"Ada"]"#))?,
        c.verify(),
        ErrorClass::Disclosure,
    ))
}

/// RFC 9901 §7.1 step 3.c.ii.2: `_sd` is not a claim name.
fn disclosure_name_sd(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "A Disclosure names its claim \"_sd\".",
        &["RFC9901-7.1-3c2.2"],
        c.with_disclosure_text(&b64(r#"["salt-sd","_sd",["x"]]"#))?,
        c.verify(),
        ErrorClass::Disclosure,
    ))
}

/// RFC 9901 §7.1 step 3.c.ii.2: `...` is not a claim name.
fn disclosure_name_ellipsis(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "A Disclosure names its claim \"...\".",
        &["RFC9901-7.1-3c2.2"],
        c.with_disclosure_text(&b64(r#"["salt-el","...","x"]"#))?,
        c.verify(),
        ErrorClass::Disclosure,
    ))
}

// --- RFC 9901 §7.1 step 2, RFC 7515 §5.2: encodings of the Issuer-signed JWT --------------
//
// Each signature covers the signing input exactly as sent, so a lenient decoder that accepted
// the odd encoding would also accept the signature: only the encoding rule rejects the case.

/// An issuer-signed JWS whose header text is `header_b64` (already encoded, maybe oddly).
fn with_header_b64(c: &Ctx<'_>, header_b64: &str) -> R<String> {
    let (pl, d) = c.one_claim()?;
    let jws = c.signed(&c.issuer, header_b64, &b64(&pl.to_string()))?;
    Ok(compact(&jws, &[&d]))
}

/// An issuer-signed JWS whose payload is `payload_b64` (already encoded, maybe oddly).
fn with_payload_b64(c: &Ctx<'_>, payload_b64: &str) -> R<String> {
    let jws = c.signed(&c.issuer, &b64(&header().to_string()), payload_b64)?;
    Ok(compact(&jws, &[]))
}

/// RFC 7515 §2: base64url without padding.
fn header_b64_padding(c: &Ctx<'_>) -> R<Case> {
    let h = aligned(&header().to_string(), partial)?;
    Ok(Case::new(
        "The JWS protected header carries base64 '=' padding.",
        &["RFC9901-7.1-2b"],
        with_header_b64(c, &padded(&b64(&h)))?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// RFC 7515 §2: the URL-safe alphabet (the header carries a private parameter whose value
/// encodes to '_').
fn header_b64_standard_alphabet(c: &Ctx<'_>) -> R<Case> {
    let h = json!({"alg": "EdDSA", "typ": "example+sd-jwt", "note": "???"}).to_string();
    let h = aligned(&h, url_specific)?;
    Ok(Case::new(
        "The JWS protected header is encoded with the standard base64 alphabet.",
        &["RFC9901-7.1-2b"],
        with_header_b64(c, &standard_alphabet(&b64(&h)))?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// RFC 7515 §2, RFC 4648 §3.5: canonical encoding.
fn header_b64_non_canonical_bits(c: &Ctx<'_>) -> R<Case> {
    let h = aligned(&header().to_string(), partial)?;
    Ok(Case::new(
        "The JWS protected header's last base64url character has non-zero unused bits.",
        &["RFC9901-7.1-2b"],
        with_header_b64(c, &non_canonical(&b64(&h))?)?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// RFC 4648 §5: 4n+1 characters cannot encode whole bytes.
fn header_b64_impossible_length(c: &Ctx<'_>) -> R<Case> {
    let h = aligned(&header().to_string(), |e| !partial(e))?;
    Ok(Case::new(
        "The JWS protected header's base64url text has 4n+1 characters.",
        &["RFC9901-7.1-2b"],
        with_header_b64(c, &format!("{}A", b64(&h)))?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// RFC 7515 §2: base64url without padding.
fn payload_b64_padding(c: &Ctx<'_>) -> R<Case> {
    let p = aligned(&c.payload(json!({})).to_string(), partial)?;
    Ok(Case::new(
        "The JWS payload carries base64 '=' padding.",
        &["RFC9901-7.1-2b"],
        with_payload_b64(c, &padded(&b64(&p)))?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// RFC 7515 §2: the URL-safe alphabet.
fn payload_b64_standard_alphabet(c: &Ctx<'_>) -> R<Case> {
    let p = aligned(&c.payload(json!({"note": "???"})).to_string(), url_specific)?;
    Ok(Case::new(
        "The JWS payload is encoded with the standard base64 alphabet.",
        &["RFC9901-7.1-2b"],
        with_payload_b64(c, &standard_alphabet(&b64(&p)))?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// RFC 7515 §2, RFC 4648 §3.5: canonical encoding.
fn payload_b64_non_canonical_bits(c: &Ctx<'_>) -> R<Case> {
    let p = aligned(&c.payload(json!({})).to_string(), partial)?;
    Ok(Case::new(
        "The JWS payload's last base64url character has non-zero unused bits.",
        &["RFC9901-7.1-2b"],
        with_payload_b64(c, &non_canonical(&b64(&p))?)?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// A valid one-claim SD-JWT whose signature encoding is rewritten by `edit`; the payload gets
/// the fewest leading spaces that make `ok` hold for the real signature's encoding.
fn with_signature_b64(
    c: &Ctx<'_>,
    ok: impl Fn(&str) -> bool,
    edit: impl Fn(&str) -> R<String>,
) -> R<String> {
    let (pl, d) = c.one_claim()?;
    let h = b64(&header().to_string());
    for n in 0..64 {
        let p = b64(&format!("{}{pl}", " ".repeat(n)));
        let [_, _, sig] = parts(&c.signed(&c.issuer, &h, &p)?)?;
        if ok(&sig) {
            return Ok(compact(&format!("{h}.{p}.{}", edit(&sig)?), &[&d]));
        }
    }
    Err("no payload spacing gives the wanted signature encoding".into())
}

/// RFC 7515 §2: base64url without padding.
fn signature_b64_padding(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The JWS signature carries base64 '=' padding.",
        &["RFC9901-7.1-2b"],
        with_signature_b64(c, partial, |s| Ok(padded(s)))?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// RFC 7515 §2: the URL-safe alphabet.
fn signature_b64_standard_alphabet(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The JWS signature is encoded with the standard base64 alphabet.",
        &["RFC9901-7.1-2b"],
        with_signature_b64(c, url_specific, |s| Ok(standard_alphabet(s)))?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// RFC 7515 §2, RFC 4648 §3.5: canonical encoding.
fn signature_b64_non_canonical_bits(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The JWS signature's last base64url character has non-zero unused bits.",
        &["RFC9901-7.1-2b"],
        with_signature_b64(c, partial, non_canonical)?,
        c.verify(),
        ErrorClass::Base64url,
    ))
}

/// An issuer-signed SD-JWT (one Disclosure) with the header text `header_text`.
fn with_header_text(c: &Ctx<'_>, header_text: &str) -> R<String> {
    with_header_b64(c, &b64(header_text))
}

/// RFC 7515 §5.2 step 3: the header is JSON.
fn header_not_json(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The JWS protected header is not JSON (a truncated object).",
        &["RFC9901-7.1-2b"],
        with_header_text(c, r#"{"alg":"EdDSA","typ":"example+sd-jwt""#)?,
        c.verify(),
        ErrorClass::Json,
    ))
}

/// RFC 7515 §5.2 step 3: the header is a JSON object.
fn header_not_an_object(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The JWS protected header is a JSON array, not an object.",
        &["RFC9901-7.1-2b"],
        with_header_text(c, r#"["EdDSA","example+sd-jwt"]"#)?,
        c.verify(),
        ErrorClass::Json,
    ))
}

/// RFC 7515 §5.2 step 4, RFC 8725 §3.1: a repeated `alg` could be read two ways.
fn header_duplicate_alg(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The JWS protected header names \"alg\" twice (ES256, then the EdDSA actually used).",
        &["RFC9901-7.1-2b", "RFC9901-7.1-2a"],
        with_header_text(c, r#"{"alg":"ES256","alg":"EdDSA","typ":"example+sd-jwt"}"#)?,
        c.verify(),
        ErrorClass::Json,
    ))
}

/// RFC 7515 §4.1.1: `alg` is required.
fn header_no_alg(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The JWS protected header has no \"alg\".",
        &["RFC9901-7.1-2a", "RFC9901-7.1-2b"],
        with_header_text(c, r#"{"typ":"example+sd-jwt"}"#)?,
        c.verify(),
        ErrorClass::Header,
    ))
}

/// RFC 7515 §4.1.1: `alg` is a string.
fn header_alg_not_a_string(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The JWS protected header's \"alg\" is an array.",
        &["RFC9901-7.1-2a", "RFC9901-7.1-2b"],
        with_header_text(c, r#"{"alg":["EdDSA"],"typ":"example+sd-jwt"}"#)?,
        c.verify(),
        ErrorClass::Header,
    ))
}

/// RFC 7515 §4.1.11: an unknown critical extension must be refused.
fn header_crit(c: &Ctx<'_>) -> R<Case> {
    let h = json!({"alg": "EdDSA", "typ": "example+sd-jwt", "crit": ["exp"], "exp": c.now});
    Ok(Case::new(
        "The JWS protected header lists a critical extension the verifier does not understand.",
        &["RFC9901-7.1-2b"],
        with_header_text(c, &h.to_string())?,
        c.verify(),
        ErrorClass::Header,
    ))
}

/// RFC 7519 §7.2 step 10: the payload is JSON.
fn payload_not_json(c: &Ctx<'_>) -> R<Case> {
    let text = format!(r#"{{"iss":"{ISS}","iat":{}"#, c.now - 60);
    Ok(Case::new(
        "The Issuer-signed JWT payload is not JSON (a truncated object).",
        &["RFC9901-4.1-3"],
        compact(&c.jwt_text(&header().to_string(), &text)?, &[]),
        c.verify(),
        ErrorClass::Json,
    ))
}

/// RFC 9901 §4.1: the payload is a JSON object.
fn payload_not_an_object(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The Issuer-signed JWT payload is a JSON array, not an object.",
        &["RFC9901-4.1-3"],
        compact(&c.jwt_text(&header().to_string(), "[1,2]")?, &[]),
        c.verify(),
        ErrorClass::Malformed,
    ))
}

/// RFC 7519 §4, RFC 8725 §3.1: a repeated claim name could be read two ways.
fn payload_duplicate_member(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let text = pl
        .to_string()
        .replacen('{', r#"{"iss":"https://evil.example","#, 1);
    Ok(Case::new(
        "The Issuer-signed JWT payload names \"iss\" twice.",
        &["RFC9901-4.1-3"],
        compact(&c.jwt_text(&header().to_string(), &text)?, &[&d]),
        c.verify(),
        ErrorClass::Json,
    ))
}

// --- RFC 9901 §7.1 step 2.a: algorithms -------------------------------------------------------

/// RFC 9901 §7.1 step 2.a: `none` is never accepted.
fn alg_none(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let h = json!({"alg": "none", "typ": "example+sd-jwt"});
    let jws = format!("{}.{}.", b64(&h.to_string()), b64(&pl.to_string()));
    Ok(Case::new(
        "The Issuer-signed JWT uses alg \"none\" with an empty signature.",
        &["RFC9901-7.1-2a"],
        compact(&jws, &[&d]),
        c.verify(),
        ErrorClass::AlgorithmForbidden,
    ))
}

/// RFC 7515 §4.1.1: `alg` is case-sensitive, so `None` is an unknown algorithm, not `none`.
fn alg_none_capitalised(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let h = json!({"alg": "None", "typ": "example+sd-jwt"});
    let jws = format!("{}.{}.", b64(&h.to_string()), b64(&pl.to_string()));
    Ok(Case::new(
        "The Issuer-signed JWT uses alg \"None\" (a case variant of none, unknown as written).",
        &["RFC9901-7.1-2a"],
        compact(&jws, &[&d]),
        c.verify(),
        ErrorClass::AlgorithmNotAllowed,
    ))
}

/// RFC 9901 §7.1 step 2.a, RFC 8725 §3.1: a MAC does not identify an issuer.
fn alg_hs256(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let h = json!({"alg": "HS256", "typ": "example+sd-jwt"});
    let jws = format!("{}.{}.AAAA", b64(&h.to_string()), b64(&pl.to_string()));
    Ok(Case::new(
        "The Issuer-signed JWT uses the MAC algorithm HS256.",
        &["RFC9901-7.1-2a"],
        compact(&jws, &[&d]),
        c.verify(),
        ErrorClass::AlgorithmForbidden,
    ))
}

/// RFC 8725 §2.1 and §3.1: the classic confusion attack, an HMAC keyed with the issuer's public
/// key (its JWK JSON text), which anyone can compute.
fn alg_hs256_public_key_secret(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let h = json!({"alg": "HS256", "typ": "example+sd-jwt"});
    let jws = c.hmac_jws(&h, &pl.to_string(), &c.issuer)?;
    Ok(Case::new(
        "The Issuer-signed JWT is HS256 with the issuer's public JWK text as the MAC key.",
        &["RFC9901-7.1-2a"],
        compact(&jws, &[&d]),
        c.verify(),
        ErrorClass::AlgorithmForbidden,
    ))
}

/// RFC 9901 §7.1 step 2.a: an algorithm the verifier does not know.
fn alg_unknown(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let h = json!({"alg": "XS512", "typ": "example+sd-jwt"});
    let jws = c.signed(&c.issuer, &b64(&h.to_string()), &b64(&pl.to_string()))?;
    Ok(Case::new(
        "The Issuer-signed JWT names an unregistered algorithm.",
        &["RFC9901-7.1-2a"],
        compact(&jws, &[&d]),
        c.verify(),
        ErrorClass::AlgorithmNotAllowed,
    ))
}

/// RFC 9901 §7.1 step 2.a: the verifier's allow-list decides.
fn alg_not_in_policy(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The Issuer-signed JWT uses EdDSA but the verifier only accepts ES256.",
        &["RFC9901-7.1-2a"],
        c.one_claim_sd_jwt()?,
        Verify {
            algorithms: Some(vec!["ES256".to_owned()]),
            ..c.verify()
        },
        ErrorClass::AlgorithmNotAllowed,
    ))
}

/// RFC 9901 §7.1 steps 2.b and 2.c, RFC 8725 §3.1: the header claims ES256 but the only trusted
/// key is Ed25519, so no trusted key can check it.
fn alg_es256_with_ed25519_key(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let h = json!({"alg": "ES256", "typ": "example+sd-jwt"});
    let jws = c.signed(&c.issuer, &b64(&h.to_string()), &b64(&pl.to_string()))?;
    Ok(Case::new(
        "The header says ES256 (signature made with Ed25519); the only trusted key is Ed25519.",
        &["RFC9901-7.1-2b", "RFC9901-7.1-2c"],
        compact(&jws, &[&d]),
        c.verify(),
        ErrorClass::IssuerKey,
    ))
}

// --- RFC 9901 §7.1 steps 2.b and 2.c: signature and issuer key -------------------------------

/// RFC 9901 §7.1 step 2.b, §9.1: the signature covers the payload.
fn signature_tampered_payload(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, _, sig] = parts(&c.jwt(&pl)?)?;
    let forged = c.payload(json!({"_sd": [c.dig(&d)?], "admin": true}));
    Ok(Case::new(
        "The payload was changed (a claim added) after the issuer signed it.",
        &["RFC9901-7.1-2b", "RFC9901-9.1-1"],
        compact(&format!("{h}.{}.{sig}", b64(&forged.to_string())), &[&d]),
        c.verify(),
        ErrorClass::Signature,
    ))
}

/// RFC 9901 §7.1 step 2.b: a signature by a key the verifier does not trust.
fn signature_untrusted_key(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let jws = c.signed(
        &c.untrusted,
        &b64(&header().to_string()),
        &b64(&pl.to_string()),
    )?;
    Ok(Case::new(
        "The Issuer-signed JWT is signed by an Ed25519 key the verifier does not trust.",
        &["RFC9901-7.1-2b", "RFC9901-9.1-1"],
        compact(&jws, &[&d]),
        c.verify(),
        ErrorClass::Signature,
    ))
}

/// RFC 8037 §3.1: an Ed25519 signature is 64 bytes.
fn signature_truncated(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, p, sig] = parts(&c.jwt(&pl)?)?;
    let mut raw = base64url::decode(&sig).map_err(reason)?;
    raw.pop();
    Ok(Case::new(
        "The issuer signature lacks its last byte (63 bytes for Ed25519).",
        &["RFC9901-7.1-2b", "RFC9901-9.1-1"],
        compact(&format!("{h}.{p}.{}", base64url::encode(raw)), &[&d]),
        c.verify(),
        ErrorClass::Signature,
    ))
}

/// RFC 9901 §9.1: the Issuer-signed JWT is always signed.
fn signature_empty(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, p, _] = parts(&c.jwt(&pl)?)?;
    Ok(Case::new(
        "The Issuer-signed JWT says EdDSA but its signature part is empty.",
        &["RFC9901-7.1-2b", "RFC9901-9.1-1"],
        compact(&format!("{h}.{p}."), &[&d]),
        c.verify(),
        ErrorClass::Signature,
    ))
}

/// RFC 9901 §7.1 step 2.c: the key must be one trusted for the issuer; `kid` names another.
fn issuer_kid_unknown(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let h = json!({"alg": "EdDSA", "kid": "retired-2019", "typ": "example+sd-jwt"});
    let jws = c.signed(&c.issuer, &b64(&h.to_string()), &b64(&pl.to_string()))?;
    Ok(Case::new(
        "The header's kid names a key the verifier does not trust.",
        &["RFC9901-7.1-2c"],
        compact(&jws, &[&d]),
        c.verify(),
        ErrorClass::IssuerKey,
    ))
}

/// RFC 9901 §7.1 step 2.c, RFC 7519 §4.1.1: `iss` is a string.
fn issuer_iss_not_a_string(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let mut pl = pl;
    pl["iss"] = json!({"id": ISS});
    Ok(Case::new(
        "The \"iss\" claim is an object, not a string.",
        &["RFC9901-7.1-2c"],
        c.sd_jwt(&pl, &[&d])?,
        c.verify(),
        ErrorClass::IssuerKey,
    ))
}

// --- RFC 9901 §9.11: explicit typing -----------------------------------------------------------

/// RFC 9901 §9.11, RFC 8725 §3.11: the verifier requires the profile's `typ`.
fn typ_wrong(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The header typ is example+sd-jwt but the verifier requires dc+sd-jwt.",
        &["RFC9901-9.11-1"],
        c.one_claim_sd_jwt()?,
        Verify {
            typ: Some("dc+sd-jwt".to_owned()),
            ..c.verify()
        },
        ErrorClass::Typ,
    ))
}

/// RFC 9901 §9.11: a missing `typ` does not satisfy a required one.
fn typ_missing(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The header has no typ but the verifier requires example+sd-jwt.",
        &["RFC9901-9.11-1"],
        with_header_text(c, r#"{"alg":"EdDSA"}"#)?,
        Verify {
            typ: Some("example+sd-jwt".to_owned()),
            ..c.verify()
        },
        ErrorClass::Typ,
    ))
}

// --- RFC 9901 §4.1.1, §7.1 step 2.d: `_sd_alg` ------------------------------------------------

/// One-claim SD-JWT whose `_sd_alg` is `value` (the digest stays sha-256).
fn with_sd_alg(c: &Ctx<'_>, value: Value) -> R<String> {
    let (mut pl, d) = c.one_claim()?;
    pl["_sd_alg"] = value;
    c.sd_jwt(&pl, &[&d])
}

/// RFC 9901 §4.1.1, §9.4: a hash the verifier does not know (and a broken one).
fn sd_alg_unknown(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "_sd_alg is \"md5\", which is unknown and not second-preimage resistant.",
        &["RFC9901-4.1.1-4", "RFC9901-7.1-2d", "RFC9901-9.4-1"],
        with_sd_alg(c, json!("md5"))?,
        c.verify(),
        ErrorClass::HashAlgorithm,
    ))
}

/// RFC 9901 §9.4: truncated hashes are too weak.
fn sd_alg_truncated_hash(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "_sd_alg is the truncated \"sha-256-32\".",
        &["RFC9901-4.1.1-4", "RFC9901-7.1-2d", "RFC9901-9.4-1"],
        with_sd_alg(c, json!("sha-256-32"))?,
        c.verify(),
        ErrorClass::HashAlgorithm,
    ))
}

/// RFC 9901 §4.1.1: names are case-sensitive.
fn sd_alg_uppercase(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "_sd_alg is \"SHA-256\"; hash names are case-sensitive.",
        &["RFC9901-4.1.1-4"],
        with_sd_alg(c, json!("SHA-256"))?,
        c.verify(),
        ErrorClass::HashAlgorithm,
    ))
}

/// RFC 9901 §4.1.1: `_sd_alg` is a string.
fn sd_alg_not_a_string(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "_sd_alg is the number 256.",
        &["RFC9901-4.1.1-4"],
        with_sd_alg(c, json!(256))?,
        c.verify(),
        ErrorClass::HashAlgorithm,
    ))
}

/// RFC 9901 §7.1 step 2.d: the verifier's policy decides which hashes are secure.
fn sd_alg_not_in_policy(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "_sd_alg is sha-256 but the verifier only accepts sha3-256.",
        &["RFC9901-7.1-2d"],
        c.one_claim_sd_jwt()?,
        Verify {
            hash_algorithms: Some(vec!["sha3-256".to_owned()]),
            ..c.verify()
        },
        ErrorClass::HashAlgorithm,
    ))
}

/// RFC 9901 §4.1.1: `_sd_alg` only at the top level.
fn sd_alg_nested(c: &Ctx<'_>) -> R<Case> {
    let pl = c.payload(json!({"address": {"_sd_alg": "sha-256", "street": "Main St 1"}}));
    Ok(Case::new(
        "A nested object of the payload carries _sd_alg.",
        &["RFC9901-4.1.1-2"],
        c.sd_jwt(&pl, &[])?,
        c.verify(),
        ErrorClass::HashAlgorithm,
    ))
}

/// RFC 9901 §4.1.1, §7.1 step 3.c.ii.5: not inside a disclosed value either.
fn sd_alg_in_disclosure(c: &Ctx<'_>) -> R<Case> {
    let d = b64(r#"["salt-alg","address",{"_sd_alg":"sha-256","street":"Main St 1"}]"#);
    Ok(Case::new(
        "A disclosed object value carries _sd_alg.",
        &["RFC9901-4.1.1-2", "RFC9901-7.1-3c2.5"],
        c.with_disclosure_text(&d)?,
        c.verify(),
        ErrorClass::HashAlgorithm,
    ))
}

// --- RFC 9901 §7.1 step 3: digests and Disclosures -------------------------------------------

/// RFC 9901 §4.2.3, §7.1 step 3.a.i: the digest covers the base64url text, not the JSON.
fn digest_over_decoded_json(c: &Ctx<'_>) -> R<Case> {
    let json = r#"["salt-raw","given_name","Ada"]"#;
    let pl = c.payload(json!({"_sd": [c.dig(json)?]}));
    Ok(Case::new(
        "The payload's digest was computed over the Disclosure's decoded JSON, not its base64url text.",
        &["RFC9901-7.1-3a1", "RFC9901-7.1-5"],
        c.sd_jwt(&pl, &[&b64(json)])?,
        c.verify(),
        ErrorClass::UnreferencedDisclosure,
    ))
}

/// RFC 9901 §4.1.1: without `_sd_alg` the hash is sha-256, so a sha-384 digest matches nothing.
fn digest_default_hash_not_sha256(c: &Ctx<'_>) -> R<Case> {
    let d = b64(r#"["salt-384","given_name","Ada"]"#);
    let digest = c.digest(HashAlgorithm::Sha384, &d)?;
    let pl = c.payload_without(&["_sd_alg"], json!({"_sd": [digest]}));
    Ok(Case::new(
        "The payload has no _sd_alg (so sha-256) but its digest was made with sha-384.",
        &["RFC9901-4.1.1-3", "RFC9901-7.1-5"],
        c.sd_jwt(&pl, &[&d])?,
        c.verify(),
        ErrorClass::UnreferencedDisclosure,
    ))
}

/// RFC 9901 §7.1 step 3.a.i: no re-encoding; the holder sent the same JSON in another spelling.
fn disclosure_re_encoded(c: &Ctx<'_>) -> R<Case> {
    let issued = b64(r#"["salt-ws", "given_name", "Ada"]"#);
    let sent = b64(r#"["salt-ws","given_name","Ada"]"#);
    let pl = c.payload(json!({"_sd": [c.dig(&issued)?]}));
    Ok(Case::new(
        "The Disclosure was re-encoded without whitespace, so its digest no longer matches.",
        &["RFC9901-7.1-3a1", "RFC9901-7.1-5"],
        c.sd_jwt(&pl, &[&sent])?,
        c.verify(),
        ErrorClass::UnreferencedDisclosure,
    ))
}

/// RFC 9901 §4.2.4.1: `_sd` is an array.
fn sd_not_an_array(c: &Ctx<'_>) -> R<Case> {
    let (_, d) = c.one_claim()?;
    let pl = c.payload(json!({"_sd": c.dig(&d)?}));
    Ok(Case::new(
        "_sd is a single digest string instead of an array.",
        &["RFC9901-4.2.4.1-1", "RFC9901-4.1-5"],
        c.sd_jwt(&pl, &[&d])?,
        c.verify(),
        ErrorClass::DigestStructure,
    ))
}

/// RFC 9901 §4.2.4.1: `_sd` holds strings.
fn sd_element_not_a_string(c: &Ctx<'_>) -> R<Case> {
    let (_, d) = c.one_claim()?;
    let pl = c.payload(json!({"_sd": [c.dig(&d)?, 5]}));
    Ok(Case::new(
        "_sd holds a number next to a digest.",
        &["RFC9901-4.2.4.1-1"],
        c.sd_jwt(&pl, &[&d])?,
        c.verify(),
        ErrorClass::DigestStructure,
    ))
}

/// RFC 9901 §7.1 step 3.c.ii.5: disclosed values are checked like the payload.
fn sd_in_disclosed_value_not_an_array(c: &Ctx<'_>) -> R<Case> {
    let d = b64(r#"["salt-rec","address",{"_sd":"not-an-array","street":"Main St 1"}]"#);
    Ok(Case::new(
        "A disclosed object value carries an _sd that is not an array.",
        &["RFC9901-7.1-3c2.5", "RFC9901-4.2.4.1-1"],
        c.with_disclosure_text(&d)?,
        c.verify(),
        ErrorClass::DigestStructure,
    ))
}

/// RFC 9901 §4.2.4.2: the placeholder has `...` only.
fn array_digest_extra_members(c: &Ctx<'_>) -> R<Case> {
    let d = b64(r#"["salt-de","DE"]"#);
    let pl = c.payload(json!({"nationalities": [{"...": c.dig(&d)?, "extra": 1}]}));
    Ok(Case::new(
        "An array placeholder object has a member besides \"...\".",
        &["RFC9901-4.2.4.2-3"],
        c.sd_jwt(&pl, &[&d])?,
        c.verify(),
        ErrorClass::DigestStructure,
    ))
}

/// RFC 9901 §4.2.4.2: the placeholder's value is a digest string.
fn array_digest_not_a_string(c: &Ctx<'_>) -> R<Case> {
    let pl = c.payload(json!({"nationalities": [{"...": 12}]}));
    Ok(Case::new(
        "An array placeholder's \"...\" value is a number.",
        &["RFC9901-4.2.4.2-2"],
        c.sd_jwt(&pl, &[])?,
        c.verify(),
        ErrorClass::DigestStructure,
    ))
}

/// RFC 9901 §7.1 step 3.c.iii.3: disclosed array elements are processed recursively.
fn array_element_value_bad_sd(c: &Ctx<'_>) -> R<Case> {
    let d = b64(r#"["salt-ae",{"_sd":[5],"country":"DE"}]"#);
    let pl = c.payload(json!({"nationalities": [{"...": c.dig(&d)?}]}));
    Ok(Case::new(
        "A disclosed array element is an object whose _sd holds a number.",
        &["RFC9901-7.1-3c3.3", "RFC9901-4.2.4.1-1"],
        c.sd_jwt(&pl, &[&d])?,
        c.verify(),
        ErrorClass::DigestStructure,
    ))
}

/// RFC 9901 §4.1: `...` is reserved for array placeholders.
fn ellipsis_in_object(c: &Ctx<'_>) -> R<Case> {
    let pl = c.payload(json!({"address": {"...": "x", "street": "Main St 1"}}));
    Ok(Case::new(
        "A payload object that is not an array element has a \"...\" member.",
        &["RFC9901-4.1-5"],
        c.sd_jwt(&pl, &[])?,
        c.verify(),
        ErrorClass::DigestStructure,
    ))
}

/// RFC 9901 §7.1 step 3.c.iii.1: an array placeholder needs a two-element Disclosure.
fn property_disclosure_in_array(c: &Ctx<'_>) -> R<Case> {
    let d = b64(r#"["salt-pa","country","DE"]"#);
    let pl = c.payload(json!({"nationalities": [{"...": c.dig(&d)?}]}));
    Ok(Case::new(
        "An array placeholder refers to a three-element (object property) Disclosure.",
        &["RFC9901-7.1-3c3.1"],
        c.sd_jwt(&pl, &[&d])?,
        c.verify(),
        ErrorClass::DisclosureKind,
    ))
}

/// RFC 9901 §7.1 step 3.c.ii.1: an `_sd` digest needs a three-element Disclosure.
fn array_disclosure_in_sd(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "An _sd digest refers to a two-element (array element) Disclosure.",
        &["RFC9901-7.1-3c2.1"],
        c.with_disclosure_text(&b64(r#"["salt-as","DE"]"#))?,
        c.verify(),
        ErrorClass::DisclosureKind,
    ))
}

/// RFC 9901 §7.1 step 3.c.ii.3: a disclosed name may not overwrite a plaintext claim.
fn claim_collides_with_plaintext(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "A Disclosure names \"iss\", which the payload already has in plaintext.",
        &["RFC9901-7.1-3c2.3"],
        c.with_disclosure_text(&b64(r#"["salt-iss","iss","https://evil.example"]"#))?,
        c.verify(),
        ErrorClass::ClaimCollision,
    ))
}

/// RFC 9901 §7.1 step 3.c.ii.3: two Disclosures may not name the same claim in one object.
fn claim_disclosed_twice(c: &Ctx<'_>) -> R<Case> {
    let a = b64(r#"["salt-f","right_to_work",false]"#);
    let b = b64(r#"["salt-t","right_to_work",true]"#);
    let pl = c.payload(json!({"_sd": [c.dig(&a)?, c.dig(&b)?]}));
    Ok(Case::new(
        "Two Disclosures for one object both name \"right_to_work\".",
        &["RFC9901-7.1-3c2.3"],
        c.sd_jwt(&pl, &[&a, &b])?,
        c.verify(),
        ErrorClass::ClaimCollision,
    ))
}

// --- RFC 9901 §7.1 steps 4 and 5 ----------------------------------------------------------------

/// RFC 9901 §7.1 step 4.
fn digest_twice_in_one_sd(c: &Ctx<'_>) -> R<Case> {
    let (_, d) = c.one_claim()?;
    let digest = c.dig(&d)?;
    let pl = c.payload(json!({"_sd": [digest.clone(), digest]}));
    Ok(Case::new(
        "One _sd array lists the same digest twice.",
        &["RFC9901-7.1-4"],
        c.sd_jwt(&pl, &[&d])?,
        c.verify(),
        ErrorClass::DuplicateDigest,
    ))
}

/// RFC 9901 §7.1 step 4: also for digests that match no Disclosure.
fn digest_twice_undisclosed(c: &Ctx<'_>) -> R<Case> {
    let decoy = c.dig("decoy-1")?;
    let pl = c.payload(json!({"_sd": [decoy.clone()], "address": {"_sd": [decoy]}}));
    Ok(Case::new(
        "The same undisclosed digest appears at the top level and in a nested object.",
        &["RFC9901-7.1-4", "RFC9901-7.1-3c1"],
        c.sd_jwt(&pl, &[])?,
        c.verify(),
        ErrorClass::DuplicateDigest,
    ))
}

/// RFC 9901 §7.1 step 4: "directly or recursively via other Disclosures".
fn digest_twice_via_disclosure(c: &Ctx<'_>) -> R<Case> {
    let inner = b64(r#"["salt-in","street","Main St 1"]"#);
    let outer = format!(r#"["salt-out","address",{{"_sd":["{}"]}}]"#, c.dig(&inner)?);
    let outer = b64(&outer);
    let pl = c.payload(json!({"_sd": [c.dig(&outer)?, c.dig(&inner)?]}));
    Ok(Case::new(
        "A digest in the payload also appears inside a disclosed value.",
        &["RFC9901-7.1-4", "RFC9901-7.1-3b1"],
        c.sd_jwt(&pl, &[&outer, &inner])?,
        c.verify(),
        ErrorClass::DuplicateDigest,
    ))
}

/// RFC 9901 §7.1 step 4: `_sd` digests and array placeholders share one namespace.
fn digest_twice_sd_and_array(c: &Ctx<'_>) -> R<Case> {
    let decoy = c.dig("decoy-2")?;
    let pl = c.payload(json!({"_sd": [decoy.clone()], "nationalities": [{"...": decoy}]}));
    Ok(Case::new(
        "The same digest appears in an _sd array and in an array placeholder.",
        &["RFC9901-7.1-4", "RFC9901-7.1-3b2"],
        c.sd_jwt(&pl, &[])?,
        c.verify(),
        ErrorClass::DuplicateDigest,
    ))
}

/// RFC 9901 §7.1 step 5.
fn disclosure_unreferenced(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let stray = b64(r#"["salt-stray","nationality","DE"]"#);
    Ok(Case::new(
        "A Disclosure that no digest refers to is sent along.",
        &["RFC9901-7.1-5", "RFC9901-7.1-all"],
        c.sd_jwt(&pl, &[&d, &stray])?,
        c.verify(),
        ErrorClass::UnreferencedDisclosure,
    ))
}

/// RFC 9901 §7.1 step 5, §4.2.6: a nested Disclosure needs its enclosing one.
fn disclosure_nested_without_parent(c: &Ctx<'_>) -> R<Case> {
    let inner = b64(r#"["salt-in","street","Main St 1"]"#);
    let outer = format!(r#"["salt-out","address",{{"_sd":["{}"]}}]"#, c.dig(&inner)?);
    let pl = c.payload(json!({"_sd": [c.dig(&b64(&outer))?]}));
    Ok(Case::new(
        "A nested Disclosure is sent without the Disclosure whose value refers to it.",
        &["RFC9901-7.1-5"],
        c.sd_jwt(&pl, &[&inner])?,
        c.verify(),
        ErrorClass::UnreferencedDisclosure,
    ))
}

// --- RFC 9901 §7.1 step 6, §9.7: validity -----------------------------------------------------

/// One-claim SD-JWT with payload members replaced by `extra`.
fn with_claims(c: &Ctx<'_>, extra: Value) -> R<String> {
    let (_, d) = c.one_claim()?;
    let mut extra = extra;
    if let Value::Object(m) = &mut extra {
        m.insert("_sd".into(), json!([c.dig(&d)?]));
    }
    c.sd_jwt(&c.payload(extra), &[&d])
}

/// An SD-JWT+KB whose Issuer-signed payload carries `aud`.
fn with_audience(c: &Ctx<'_>, aud: Value) -> R<String> {
    let s = with_claims(c, json!({ "aud": aud }))?;
    Ok(format!("{s}{}", c.kb_edit(&s, |_| {})?))
}

/// RFC 9901 §7.1 step 6 with RFC 7519 §4.1.3: an `aud` that does not name this verifier.
fn aud_other_verifier(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The credential is restricted to another verifier by its aud claim.",
        &["RFC9901-7.1-6"],
        with_audience(c, json!("https://other-verifier.example"))?,
        c.verify_kb(),
        ErrorClass::Audience,
    ))
}

/// RFC 7519 §4.1.3: a verifier that cannot tell whether `aud` names it must reject.
fn aud_verifier_unknown(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The credential carries aud, and the verifier's policy names no audience of its own.",
        &["RFC9901-7.1-6"],
        with_claims(c, json!({ "aud": AUD }))?,
        c.verify(),
        ErrorClass::Audience,
    ))
}

/// RFC 7519 §4.1.3: `aud` is a string or an array of strings.
fn aud_not_a_string(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The credential's aud is a number.",
        &["RFC9901-7.1-6"],
        with_audience(c, json!(42))?,
        c.verify_kb(),
        ErrorClass::Audience,
    ))
}

/// RFC 7519 §4.1.4.
fn time_expired(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The credential expired an hour ago.",
        &["RFC9901-7.1-6", "RFC9901-7.1-all"],
        with_claims(c, json!({"exp": c.now - 3600}))?,
        c.verify(),
        ErrorClass::Time,
    ))
}

/// RFC 7519 §4.1.4: the current time must be before `exp`.
fn time_expired_at_boundary(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "exp equals the verifier's time, with no leeway.",
        &["RFC9901-7.1-6"],
        with_claims(c, json!({"exp": c.now}))?,
        Verify {
            leeway: Some(0),
            ..c.verify()
        },
        ErrorClass::Time,
    ))
}

/// RFC 7519 §4.1.5.
fn time_not_yet_valid(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "nbf is an hour in the future.",
        &["RFC9901-7.1-6"],
        with_claims(c, json!({"nbf": c.now + 3600}))?,
        c.verify(),
        ErrorClass::Time,
    ))
}

/// RFC 7519 §4.1.6: a credential cannot be issued in the future.
fn time_issued_in_future(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "iat is an hour in the future, beyond any leeway.",
        &["RFC9901-7.1-6"],
        with_claims(c, json!({"iat": c.now + 3600}))?,
        c.verify(),
        ErrorClass::Time,
    ))
}

/// RFC 7519 §2, §4.1.4: `exp` is a NumericDate.
fn time_exp_not_a_number(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "exp is the string \"tomorrow\".",
        &["RFC9901-7.1-6"],
        with_claims(c, json!({"exp": "tomorrow"}))?,
        c.verify(),
        ErrorClass::Time,
    ))
}

/// RFC 7519 §2, §4.1.5: `nbf` is a NumericDate.
fn time_nbf_not_a_number(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "nbf is a boolean.",
        &["RFC9901-7.1-6"],
        with_claims(c, json!({"nbf": true}))?,
        c.verify(),
        ErrorClass::Time,
    ))
}

/// RFC 9901 §7.1 step 6: validity claims of the processed payload, disclosed ones included.
fn time_expired_in_disclosure(c: &Ctx<'_>) -> R<Case> {
    let d = b64(&format!(r#"["salt-exp","exp",{}]"#, c.now - 3600));
    let pl = c.payload_without(&["exp"], json!({"_sd": [c.dig(&d)?]}));
    Ok(Case::new(
        "The only exp is selectively disclosed, and it has passed.",
        &["RFC9901-7.1-6"],
        c.sd_jwt(&pl, &[&d])?,
        c.verify(),
        ErrorClass::Time,
    ))
}

/// RFC 9901 §7.1 step 6, §9.7: a validity claim the verifier requires is missing.
fn required_claim_missing(c: &Ctx<'_>) -> R<Case> {
    let (_, d) = c.one_claim()?;
    let pl = c.payload_without(&["exp"], json!({"_sd": [c.dig(&d)?]}));
    Ok(Case::new(
        "The verifier requires exp, which the credential does not carry.",
        &["RFC9901-9.7-2", "RFC9901-7.1-6"],
        c.sd_jwt(&pl, &[&d])?,
        Verify {
            required_claims: vec!["exp".to_owned()],
            ..c.verify()
        },
        ErrorClass::RequiredClaim,
    ))
}

// --- RFC 9901 §7.3 and §4.3: key binding -------------------------------------------------------

/// RFC 9901 §7.3 steps 1 and 2: the policy, not the holder, decides.
fn kb_required_but_absent(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "Key binding is required but the presentation is an SD-JWT without a KB-JWT.",
        &["RFC9901-7.3-2", "RFC9901-7.3-1", "RFC9901-4-4"],
        c.one_claim_sd_jwt()?,
        c.verify_kb(),
        ErrorClass::KbRequired,
    ))
}

/// RFC 9901 §4.3: the KB-JWT is a compact JWS with three parts.
fn kb_jwt_two_parts(c: &Ctx<'_>) -> R<Case> {
    let s = c.one_claim_sd_jwt()?;
    let [h, p, _] = parts(&c.kb(&s)?)?;
    Ok(Case::new(
        "The KB-JWT has only a header and a payload, no signature part.",
        &["RFC9901-4.3-1", "RFC9901-4-4", "RFC9901-7.3-3"],
        format!("{s}{h}.{p}"),
        c.verify_kb(),
        ErrorClass::Malformed,
    ))
}

/// A one-claim SD-JWT+KB whose KB-JWT has raw header and payload texts (holder-signed).
fn with_kb_texts(
    c: &Ctx<'_>,
    header_text: &str,
    payload_text: impl Fn(&str) -> R<String>,
) -> R<String> {
    let s = c.one_claim_sd_jwt()?;
    let kb = c.signed(&c.holder, &b64(header_text), &b64(&payload_text(&s)?))?;
    Ok(format!("{s}{kb}"))
}

/// RFC 7515 §5.2, RFC 8725 §3.1: the KB-JWT header has unique member names.
fn kb_header_duplicate_typ(c: &Ctx<'_>) -> R<Case> {
    let claims = |s: &str| Ok(Value::Object(c.kb_claims(s)?).to_string());
    Ok(Case::new(
        "The KB-JWT header names \"typ\" twice (JWT, then kb+jwt).",
        &["RFC9901-4.3-1", "RFC9901-7.3-5d"],
        with_kb_texts(c, r#"{"alg":"EdDSA","typ":"JWT","typ":"kb+jwt"}"#, claims)?,
        c.verify_kb(),
        ErrorClass::Json,
    ))
}

/// RFC 7519 §4: the KB-JWT claims have unique names.
fn kb_payload_duplicate_nonce(c: &Ctx<'_>) -> R<Case> {
    let claims = |s: &str| {
        Ok(format!(
            r#"{{"iat":{},"aud":"{AUD}","nonce":"replayed-nonce","nonce":"{NONCE}","sd_hash":"{}"}}"#,
            c.now,
            c.dig(s)?
        ))
    };
    Ok(Case::new(
        "The KB-JWT payload names \"nonce\" twice (a stale one, then the expected one).",
        &["RFC9901-4.3-1", "RFC9901-7.3-5f"],
        with_kb_texts(c, &kb_header().to_string(), claims)?,
        c.verify_kb(),
        ErrorClass::Json,
    ))
}

/// RFC 9901 §4.3: the KB-JWT payload is JSON.
fn kb_payload_not_json(c: &Ctx<'_>) -> R<Case> {
    let claims = |_: &str| Ok(format!(r#"{{"iat":{},"aud":"{AUD}""#, c.now));
    Ok(Case::new(
        "The KB-JWT payload is not JSON (a truncated object).",
        &["RFC9901-4.3-1"],
        with_kb_texts(c, &kb_header().to_string(), claims)?,
        c.verify_kb(),
        ErrorClass::Json,
    ))
}

/// RFC 9901 §4.3: the KB-JWT payload is a JSON object.
fn kb_payload_not_an_object(c: &Ctx<'_>) -> R<Case> {
    let claims = |s: &str| Ok(json!([c.now, AUD, NONCE, c.dig(s)?]).to_string());
    Ok(Case::new(
        "The KB-JWT payload is a JSON array, not an object.",
        &["RFC9901-4.3-1"],
        with_kb_texts(c, &kb_header().to_string(), claims)?,
        c.verify_kb(),
        ErrorClass::Malformed,
    ))
}

/// A one-claim SD-JWT+KB over `payload` (which must reference the one-claim Disclosure).
fn kb_over_payload(c: &Ctx<'_>, payload: &Value, disclosures: &[&str]) -> R<String> {
    let s = c.sd_jwt(payload, disclosures)?;
    Ok(format!("{s}{}", c.kb(&s)?))
}

/// RFC 9901 §7.3 step 5.a: no `cnf`, no holder key.
fn kb_no_cnf(c: &Ctx<'_>) -> R<Case> {
    let (_, d) = c.one_claim()?;
    let pl = c.payload_without(&["cnf"], json!({"_sd": [c.dig(&d)?]}));
    Ok(Case::new(
        "A KB-JWT is sent and required, but the credential has no cnf holder key.",
        &["RFC9901-7.3-5a"],
        kb_over_payload(c, &pl, &[&d])?,
        c.verify_kb(),
        ErrorClass::HolderKey,
    ))
}

/// RFC 9901 §7.3 step 5.a, §9.7: only the plaintext `cnf` counts.
fn kb_cnf_only_in_disclosure(c: &Ctx<'_>) -> R<Case> {
    let (_, d) = c.one_claim()?;
    let dc = b64(&json!(["salt-cnf", "cnf", {"jwk": c.holder_public()}]).to_string());
    let pl = c.payload_without(&["cnf"], json!({"_sd": [c.dig(&d)?, c.dig(&dc)?]}));
    Ok(Case::new(
        "The holder key is only in a selectively disclosed cnf, which cannot bind the credential.",
        &["RFC9901-7.3-5a"],
        kb_over_payload(c, &pl, &[&d, &dc])?,
        c.verify_kb(),
        ErrorClass::HolderKey,
    ))
}

/// RFC 7517 §4.2: a key marked for encryption does not verify signatures.
fn kb_cnf_jwk_for_encryption(c: &Ctx<'_>) -> R<Case> {
    let (_, d) = c.one_claim()?;
    let mut jwk = c.holder_public();
    jwk["use"] = json!("enc");
    let pl = c.payload(json!({"cnf": {"jwk": jwk}, "_sd": [c.dig(&d)?]}));
    Ok(Case::new(
        "The cnf holder key is marked \"use\": \"enc\", so it cannot verify the KB-JWT.",
        &["RFC9901-7.3-5a"],
        kb_over_payload(c, &pl, &[&d])?,
        c.verify_kb(),
        ErrorClass::HolderKey,
    ))
}

/// RFC 9901 §7.3 step 5.b: `none` is never accepted.
fn kb_alg_none(c: &Ctx<'_>) -> R<Case> {
    let s = c.one_claim_sd_jwt()?;
    let h = json!({"alg": "none", "typ": "kb+jwt"});
    let claims = Value::Object(c.kb_claims(&s)?);
    Ok(Case::new(
        "The KB-JWT uses alg \"none\" with an empty signature.",
        &["RFC9901-7.3-5b"],
        format!("{s}{}.{}.", b64(&h.to_string()), b64(&claims.to_string())),
        c.verify_kb(),
        ErrorClass::AlgorithmForbidden,
    ))
}

/// RFC 9901 §7.3 step 5.b, RFC 8725 §2.1: HMAC keyed with the holder's public key.
fn kb_alg_hs256(c: &Ctx<'_>) -> R<Case> {
    let s = c.one_claim_sd_jwt()?;
    let h = json!({"alg": "HS256", "typ": "kb+jwt"});
    let claims = Value::Object(c.kb_claims(&s)?).to_string();
    Ok(Case::new(
        "The KB-JWT is HS256 with the holder's public JWK text (from cnf) as the MAC key.",
        &["RFC9901-7.3-5b"],
        format!("{s}{}", c.hmac_jws(&h, &claims, &c.holder)?),
        c.verify_kb(),
        ErrorClass::AlgorithmForbidden,
    ))
}

/// RFC 9901 §7.3 step 5.c, RFC 8725 §3.1: the holder key cannot be used with the header's alg.
fn kb_alg_es256_with_ed25519_key(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The KB-JWT header says ES256 (signature made with Ed25519) but the cnf key is Ed25519.",
        &["RFC9901-7.3-5c", "RFC9901-7.3-5b"],
        c.presentation_kb_header(&json!({"alg": "ES256", "typ": "kb+jwt"}))?,
        c.verify_kb(),
        ErrorClass::KeyMismatch,
    ))
}

/// RFC 9901 §7.3 step 5.c.
fn kb_signed_by_other_key(c: &Ctx<'_>) -> R<Case> {
    let s = c.one_claim_sd_jwt()?;
    let claims = Value::Object(c.kb_claims(&s)?).to_string();
    let kb = c.signed(&c.untrusted, &b64(&kb_header().to_string()), &b64(&claims))?;
    Ok(Case::new(
        "The KB-JWT is signed by a key other than the cnf holder key.",
        &["RFC9901-7.3-5c", "RFC9901-4.3.2-1"],
        format!("{s}{kb}"),
        c.verify_kb(),
        ErrorClass::Signature,
    ))
}

/// RFC 9901 §4.3.2 (via §7.3 step 5.a): a key the presentation supplies is never used.
fn kb_signed_by_key_in_header(c: &Ctx<'_>) -> R<Case> {
    let s = c.one_claim_sd_jwt()?;
    let claims = Value::Object(c.kb_claims(&s)?).to_string();
    let h = json!({"alg": "EdDSA", "typ": "kb+jwt", "jwk": c.untrusted.to_public().to_json()});
    let kb = c.signed(&c.untrusted, &b64(&h.to_string()), &b64(&claims))?;
    Ok(Case::new(
        "The KB-JWT is signed by another key, which its own header offers as \"jwk\".",
        &["RFC9901-4.3.2-1", "RFC9901-7.3-5a", "RFC9901-7.3-5c"],
        format!("{s}{kb}"),
        c.verify_kb(),
        ErrorClass::Signature,
    ))
}

/// RFC 9901 §7.3 step 5.d.
fn kb_typ_missing(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The KB-JWT header has no typ.",
        &["RFC9901-7.3-5d"],
        c.presentation_kb_header(&json!({"alg": "EdDSA"}))?,
        c.verify_kb(),
        ErrorClass::KbTyp,
    ))
}

/// RFC 9901 §7.3 step 5.d.
fn kb_typ_jwt(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The KB-JWT header typ is the generic \"JWT\".",
        &["RFC9901-7.3-5d"],
        c.presentation_kb_header(&json!({"alg": "EdDSA", "typ": "JWT"}))?,
        c.verify_kb(),
        ErrorClass::KbTyp,
    ))
}

/// RFC 9901 §7.3 step 5.e.
fn kb_iat_future(c: &Ctx<'_>) -> R<Case> {
    let iat = c.now + 3600;
    Ok(Case::new(
        "The KB-JWT iat is an hour in the future.",
        &["RFC9901-7.3-5e"],
        c.presentation_kb_edit(|m| {
            m.insert("iat".into(), iat.into());
        })?,
        c.verify_kb(),
        ErrorClass::KbTime,
    ))
}

/// RFC 9901 §7.3 step 5.e: too old for the verifier's window (default 300 s plus leeway).
fn kb_iat_stale(c: &Ctx<'_>) -> R<Case> {
    let iat = c.now - 3600;
    Ok(Case::new(
        "The KB-JWT iat is an hour old, outside the verifier's window.",
        &["RFC9901-7.3-5e"],
        c.presentation_kb_edit(|m| {
            m.insert("iat".into(), iat.into());
        })?,
        c.verify_kb(),
        ErrorClass::KbTime,
    ))
}

/// RFC 9901 §4.3: `iat` is required.
fn kb_iat_missing(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The KB-JWT has no iat.",
        &["RFC9901-4.3-4"],
        c.presentation_kb_edit(|m| {
            m.shift_remove("iat");
        })?,
        c.verify_kb(),
        ErrorClass::KbClaims,
    ))
}

/// RFC 9901 §4.3, RFC 7519 §2: `iat` is a NumericDate.
fn kb_iat_not_a_number(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The KB-JWT iat is a string.",
        &["RFC9901-4.3-4"],
        c.presentation_kb_edit(|m| {
            m.insert("iat".into(), "now".into());
        })?,
        c.verify_kb(),
        ErrorClass::KbClaims,
    ))
}

/// RFC 9901 §7.3 step 5.f.
fn kb_aud_wrong(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The KB-JWT aud names another verifier.",
        &["RFC9901-7.3-5f"],
        c.presentation_kb_edit(|m| {
            m.insert("aud".into(), "https://other-verifier.example".into());
        })?,
        c.verify_kb(),
        ErrorClass::KbAudience,
    ))
}

/// RFC 9901 §4.3: `aud` is required.
fn kb_aud_missing(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The KB-JWT has no aud.",
        &["RFC9901-4.3-6"],
        c.presentation_kb_edit(|m| {
            m.shift_remove("aud");
        })?,
        c.verify_kb(),
        ErrorClass::KbClaims,
    ))
}

/// RFC 9901 §4.3: `aud` is a single string.
fn kb_aud_array(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The KB-JWT aud is an array holding the verifier, not a single string.",
        &["RFC9901-4.3-6"],
        c.presentation_kb_edit(|m| {
            m.insert("aud".into(), json!([AUD]));
        })?,
        c.verify_kb(),
        ErrorClass::KbClaims,
    ))
}

/// RFC 9901 §7.3 step 5.f.
fn kb_nonce_wrong(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The KB-JWT nonce is from another transaction.",
        &["RFC9901-7.3-5f"],
        c.presentation_kb_edit(|m| {
            m.insert("nonce".into(), "replayed-nonce".into());
        })?,
        c.verify_kb(),
        ErrorClass::KbNonce,
    ))
}

/// RFC 9901 §4.3: `nonce` is required.
fn kb_nonce_missing(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The KB-JWT has no nonce.",
        &["RFC9901-4.3-7"],
        c.presentation_kb_edit(|m| {
            m.shift_remove("nonce");
        })?,
        c.verify_kb(),
        ErrorClass::KbClaims,
    ))
}

/// RFC 9901 §4.3: `nonce` is a string.
fn kb_nonce_not_a_string(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The KB-JWT nonce is a number.",
        &["RFC9901-4.3-7"],
        c.presentation_kb_edit(|m| {
            m.insert("nonce".into(), 1_234_567_890.into());
        })?,
        c.verify_kb(),
        ErrorClass::KbClaims,
    ))
}

/// RFC 9901 §4.3: `sd_hash` is required.
fn kb_sd_hash_missing(c: &Ctx<'_>) -> R<Case> {
    Ok(Case::new(
        "The KB-JWT has no sd_hash.",
        &["RFC9901-4.3-8"],
        c.presentation_kb_edit(|m| {
            m.shift_remove("sd_hash");
        })?,
        c.verify_kb(),
        ErrorClass::KbClaims,
    ))
}

/// Two Disclosures `a`, `b` and a payload that references both.
fn two_claims(c: &Ctx<'_>) -> R<(Value, String, String)> {
    let a = b64(r#"["salt-gn","given_name","Ada"]"#);
    let b = b64(r#"["salt-rtw","right_to_work",true]"#);
    let pl = c.payload(json!({"_sd": [c.dig(&a)?, c.dig(&b)?]}));
    Ok((pl, a, b))
}

/// RFC 9901 §7.3 step 5.g: a Disclosure dropped after the KB-JWT was made.
fn kb_sd_hash_disclosure_removed(c: &Ctx<'_>) -> R<Case> {
    let (pl, a, b) = two_claims(c)?;
    let jwt = c.jwt(&pl)?;
    let kb = c.kb(&compact(&jwt, &[&a, &b]))?;
    Ok(Case::new(
        "The KB-JWT covers two Disclosures; one was removed from the presentation afterwards.",
        &["RFC9901-7.3-5g", "RFC9901-7.3-all"],
        format!("{}{kb}", compact(&jwt, &[&b])),
        c.verify_kb(),
        ErrorClass::KbSdHash,
    ))
}

/// RFC 9901 §4.3.1, §7.3 step 5.g: the order of Disclosures is part of what `sd_hash` covers.
fn kb_sd_hash_disclosures_reordered(c: &Ctx<'_>) -> R<Case> {
    let (pl, a, b) = two_claims(c)?;
    let jwt = c.jwt(&pl)?;
    let kb = c.kb(&compact(&jwt, &[&a, &b]))?;
    Ok(Case::new(
        "The Disclosures were swapped after the KB-JWT was made over them.",
        &["RFC9901-7.3-5g"],
        format!("{}{kb}", compact(&jwt, &[&b, &a])),
        c.verify_kb(),
        ErrorClass::KbSdHash,
    ))
}

/// RFC 9901 §4.3.1: the hashed text ends with the last `~`.
fn kb_sd_hash_without_final_tilde(c: &Ctx<'_>) -> R<Case> {
    let s = c.one_claim_sd_jwt()?;
    let unterminated = s.strip_suffix('~').unwrap_or(&s);
    Ok(Case::new(
        "The KB-JWT sd_hash was computed without the SD-JWT's final '~'.",
        &["RFC9901-7.3-5g"],
        format!("{s}{}", c.kb(unterminated)?),
        c.verify_kb(),
        ErrorClass::KbSdHash,
    ))
}

/// RFC 9901 §4.3.1: `sd_hash` is base64url of the raw digest, not hex.
fn kb_sd_hash_hex(c: &Ctx<'_>) -> R<Case> {
    let s = c.one_claim_sd_jwt()?;
    let hex: String = c
        .hash(HashAlgorithm::Sha256, s.as_bytes())?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Case::new(
        "The KB-JWT sd_hash is the right sha-256 digest, but hex-encoded instead of base64url.",
        &["RFC9901-7.3-5g"],
        format!(
            "{s}{}",
            c.kb_edit(&s, |m| {
                m.insert("sd_hash".into(), hex.into());
            })?
        ),
        c.verify_kb(),
        ErrorClass::KbSdHash,
    ))
}

/// RFC 9901 §4.1.1, §4.3.1: without `_sd_alg`, `sd_hash` is sha-256.
fn kb_sd_hash_sha384_by_default(c: &Ctx<'_>) -> R<Case> {
    let (_, d) = c.one_claim()?;
    let pl = c.payload_without(&["_sd_alg"], json!({"_sd": [c.dig(&d)?]}));
    let s = c.sd_jwt(&pl, &[&d])?;
    let sd_hash = c.digest(HashAlgorithm::Sha384, &s)?;
    let kb = c.kb_edit(&s, |m| {
        m.insert("sd_hash".into(), sd_hash.into());
    })?;
    Ok(Case::new(
        "The credential has no _sd_alg (so sha-256) but the KB-JWT sd_hash uses sha-384.",
        &["RFC9901-4.1.1-3", "RFC9901-4.3.1-3", "RFC9901-7.3-5g"],
        format!("{s}{kb}"),
        c.verify_kb(),
        ErrorClass::KbSdHash,
    ))
}

/// RFC 9901 §4.3.1: `sd_hash` uses `_sd_alg`.
fn kb_sd_hash_not_sd_alg(c: &Ctx<'_>) -> R<Case> {
    let d = b64(r#"["salt-384","right_to_work",true]"#);
    let digest = c.digest(HashAlgorithm::Sha384, &d)?;
    let pl = c.payload(json!({"_sd_alg": "sha-384", "_sd": [digest]}));
    let s = c.sd_jwt(&pl, &[&d])?;
    Ok(Case::new(
        "_sd_alg is sha-384 but the KB-JWT sd_hash was computed with sha-256.",
        &["RFC9901-4.3.1-3", "RFC9901-7.3-5g"],
        format!("{s}{}", c.kb(&s)?),
        c.verify_kb(),
        ErrorClass::KbSdHash,
    ))
}

/// RFC 9901 §7.3 step 5.h, RFC 7519 §4.1.4: an `exp` in the KB-JWT is honoured.
fn kb_exp_passed(c: &Ctx<'_>) -> R<Case> {
    let (iat, exp) = (c.now - 240, c.now - 120);
    Ok(Case::new(
        "The KB-JWT was made four minutes ago with an exp that passed two minutes ago.",
        &["RFC9901-7.3-5h", "RFC9901-7.3-all"],
        c.presentation_kb_edit(|m| {
            m.insert("iat".into(), iat.into());
            m.insert("exp".into(), exp.into());
        })?,
        c.verify_kb(),
        ErrorClass::Time,
    ))
}

/// RFC 9901 §7.3 step 5.h, RFC 7519 §4.1.5: an `nbf` in the KB-JWT is honoured.
fn kb_nbf_future(c: &Ctx<'_>) -> R<Case> {
    let nbf = c.now + 3600;
    Ok(Case::new(
        "The KB-JWT carries an nbf an hour in the future.",
        &["RFC9901-7.3-5h"],
        c.presentation_kb_edit(|m| {
            m.insert("nbf".into(), nbf.into());
        })?,
        c.verify_kb(),
        ErrorClass::Time,
    ))
}

/// RFC 9901 §7.3 step 4: a valid KB-JWT does not excuse the SD-JWT from §7.1.
fn kb_sd_jwt_tampered(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, _, sig] = parts(&c.jwt(&pl)?)?;
    let forged = c.payload(json!({"_sd": [c.dig(&d)?], "admin": true}));
    let s = compact(&format!("{h}.{}.{sig}", b64(&forged.to_string())), &[&d]);
    Ok(Case::new(
        "A valid KB-JWT covers an SD-JWT whose payload was changed after issuance.",
        &["RFC9901-7.3-4", "RFC9901-9.1-1"],
        format!("{s}{}", c.kb(&s)?),
        c.verify_kb(),
        ErrorClass::Signature,
    ))
}

/// RFC 9901 §7.3 step 4.
fn kb_sd_jwt_expired(c: &Ctx<'_>) -> R<Case> {
    let (_, d) = c.one_claim()?;
    let pl = c.payload(json!({"exp": c.now - 3600, "_sd": [c.dig(&d)?]}));
    Ok(Case::new(
        "A valid KB-JWT covers an SD-JWT that expired an hour ago.",
        &["RFC9901-7.3-4", "RFC9901-7.1-6"],
        kb_over_payload(c, &pl, &[&d])?,
        c.verify_kb(),
        ErrorClass::Time,
    ))
}

// --- RFC 9901 §8: the JWS JSON serialization ---------------------------------------------------

/// RFC 9901 §8.3.
fn json_disclosures_in_second_signature(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, p, s] = c.json_parts(&pl)?;
    let v = json!({"payload": p, "signatures": [
        {"protected": h, "signature": s},
        {"protected": h, "header": {"disclosures": [d]}, "signature": s}
    ]});
    Ok(Case::new(
        "General JSON serialization with disclosures in the second signature's header.",
        &["RFC9901-8.3-2"],
        v.to_string(),
        c.verify(),
        ErrorClass::Malformed,
    ))
}

/// RFC 9901 §8.3.
fn json_kb_jwt_in_second_signature(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, p, s] = c.json_parts(&pl)?;
    let kb = c.kb(&compact(&format!("{h}.{p}.{s}"), &[&d]))?;
    let v = json!({"payload": p, "signatures": [
        {"protected": h, "header": {"disclosures": [d]}, "signature": s},
        {"protected": h, "header": {"kb_jwt": kb}, "signature": s}
    ]});
    Ok(Case::new(
        "General JSON serialization with kb_jwt in the second signature's header.",
        &["RFC9901-8.3-2"],
        v.to_string(),
        c.verify_kb(),
        ErrorClass::Malformed,
    ))
}

/// RFC 9901 §8.1: `disclosures` is an array.
fn json_disclosures_not_an_array(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, p, s] = c.json_parts(&pl)?;
    let v = json!({"payload": p, "protected": h, "header": {"disclosures": d}, "signature": s});
    Ok(Case::new(
        "Flattened JSON serialization whose disclosures member is a string, not an array.",
        &["RFC9901-8.1-2"],
        v.to_string(),
        c.verify(),
        ErrorClass::Malformed,
    ))
}

/// RFC 9901 §8.1: `disclosures` holds strings.
fn json_disclosure_not_a_string(c: &Ctx<'_>) -> R<Case> {
    let (pl, _) = c.one_claim()?;
    let [h, p, s] = c.json_parts(&pl)?;
    let v = json!({"payload": p, "protected": h,
                   "header": {"disclosures": [["salt-rtw", "right_to_work", true]]}, "signature": s});
    Ok(Case::new(
        "Flattened JSON serialization whose disclosures array holds a decoded JSON array.",
        &["RFC9901-8.1-2"],
        v.to_string(),
        c.verify(),
        ErrorClass::Malformed,
    ))
}

/// RFC 9901 §8.1: `kb_jwt` is a string.
fn json_kb_jwt_not_a_string(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, p, s] = c.json_parts(&pl)?;
    let v = json!({"payload": p, "protected": h,
                   "header": {"disclosures": [d], "kb_jwt": 1}, "signature": s});
    Ok(Case::new(
        "Flattened JSON serialization whose kb_jwt member is a number.",
        &["RFC9901-8.1-3"],
        v.to_string(),
        c.verify_kb(),
        ErrorClass::Malformed,
    ))
}

/// RFC 9901 §8.1: an SD-JWT+KB in JSON carries `kb_jwt`.
fn json_kb_jwt_missing(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, p, s] = c.json_parts(&pl)?;
    let v = json!({"payload": p, "protected": h, "header": {"disclosures": [d]}, "signature": s});
    Ok(Case::new(
        "Key binding is required but the flattened JSON presentation has no kb_jwt.",
        &["RFC9901-8.1-4", "RFC9901-7.3-2"],
        v.to_string(),
        c.verify_kb(),
        ErrorClass::KbRequired,
    ))
}

/// RFC 7515 §7.2: general and flattened syntax are not mixed.
fn json_flattened_and_general(c: &Ctx<'_>) -> R<Case> {
    let (pl, _) = c.one_claim()?;
    let [h, p, s] = c.json_parts(&pl)?;
    let v = json!({"payload": p, "protected": h, "signature": s,
                   "signatures": [{"protected": h, "signature": s}]});
    Ok(Case::new(
        "A JWS JSON object that has both flattened members and a signatures array.",
        &["RFC9901-8.1-1"],
        v.to_string(),
        c.verify(),
        ErrorClass::Malformed,
    ))
}

/// RFC 7515 §7.2.1: a header parameter is in the protected or the unprotected header, not both.
fn json_header_parameter_in_both(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, p, s] = c.json_parts(&pl)?;
    let v = json!({"payload": p, "protected": h,
                   "header": {"disclosures": [d], "alg": "ES256"}, "signature": s});
    Ok(Case::new(
        "The unprotected header repeats \"alg\", which the protected header already has.",
        &["RFC9901-8.1-1"],
        v.to_string(),
        c.verify(),
        ErrorClass::Header,
    ))
}

/// RFC 8259 §4, RFC 7515 §7.2: member names are unique.
fn json_duplicate_member(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, p, s] = c.json_parts(&pl)?;
    let text = format!(
        r#"{{"payload":"{p}","payload":"e30","protected":"{h}","header":{{"disclosures":["{d}"]}},"signature":"{s}"}}"#
    );
    Ok(Case::new(
        "The JWS JSON object names \"payload\" twice.",
        &["RFC9901-8.1-1"],
        text,
        c.verify(),
        ErrorClass::Json,
    ))
}

/// RFC 7515 §7.2.1: at least one signature.
fn json_no_signatures(c: &Ctx<'_>) -> R<Case> {
    let (pl, _) = c.one_claim()?;
    let [_, p, _] = c.json_parts(&pl)?;
    let v = json!({"payload": p, "signatures": []});
    Ok(Case::new(
        "General JSON serialization with an empty signatures array.",
        &["RFC9901-8.1-1"],
        v.to_string(),
        c.verify(),
        ErrorClass::Malformed,
    ))
}

/// RFC 7515 §7.2.1: `payload` is required.
fn json_no_payload(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, _, s] = c.json_parts(&pl)?;
    let v = json!({"protected": h, "header": {"disclosures": [d]}, "signature": s});
    Ok(Case::new(
        "Flattened JSON serialization without a payload member.",
        &["RFC9901-8.1-1"],
        v.to_string(),
        c.verify(),
        ErrorClass::Malformed,
    ))
}

/// RFC 9901 §8.1 and §8.4: `sd_hash` is over the compact form, not the JSON text.
fn json_kb_sd_hash_over_json_text(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, p, s] = c.json_parts(&pl)?;
    let mut doc =
        json!({"payload": p, "protected": h, "header": {"disclosures": [d]}, "signature": s});
    let json_text = doc.to_string();
    let kb = c.kb(&json_text)?;
    doc["header"]["kb_jwt"] = json!(kb);
    Ok(Case::new(
        "The JSON presentation's KB-JWT sd_hash covers the JSON text instead of the compact form.",
        &["RFC9901-8.4-1", "RFC9901-7.3-5g"],
        doc.to_string(),
        c.verify_kb(),
        ErrorClass::KbSdHash,
    ))
}

/// RFC 9901 §7.1 step 2.b for every signature of the general syntax.
fn json_general_one_bad_signature(c: &Ctx<'_>) -> R<Case> {
    let (pl, d) = c.one_claim()?;
    let [h, p, s] = c.json_parts(&pl)?;
    let mut bad = base64url::decode(&s).map_err(reason)?;
    if let Some(first) = bad.first_mut() {
        *first ^= 1;
    }
    let v = json!({"payload": p, "signatures": [
        {"protected": h, "header": {"disclosures": [d]}, "signature": s},
        {"protected": h, "signature": base64url::encode(bad)}
    ]});
    Ok(Case::new(
        "General JSON serialization whose second signature (same trusted key) does not verify.",
        &["RFC9901-7.1-2b", "RFC9901-8.1-1"],
        v.to_string(),
        c.verify(),
        ErrorClass::Signature,
    ))
}

// --- size and depth limits ------------------------------------------------------------------
//
// RFC 9901 sets no limits; a verifier bounds its work. The limits are lowered in `verify` so
// that the inputs stay small.

/// Disclosures `["salt-<i>","claim_<i>",<i>]` for `i` in `0..n` and a payload referencing them.
fn many_claims(c: &Ctx<'_>, n: usize) -> R<(Value, Vec<String>)> {
    let ds: Vec<String> = (0..n)
        .map(|i| b64(&format!(r#"["salt-{i}","claim_{i}",{i}]"#)))
        .collect();
    let digests = ds.iter().map(|d| c.dig(d)).collect::<R<Vec<_>>>()?;
    Ok((c.payload(json!({"_sd": digests})), ds))
}

fn limit_input_bytes(c: &Ctx<'_>) -> R<Case> {
    let s = c.one_claim_sd_jwt()?;
    if s.len() <= 512 {
        return Err(format!("the presentation has only {} bytes", s.len()));
    }
    Ok(Case::new(
        "The presentation is longer than the verifier's 512-byte limit.",
        &["SDJWT-LIMITS-1"],
        s,
        c.verify_limits(LimitsInput {
            max_input_bytes: Some(512),
            ..LimitsInput::default()
        }),
        ErrorClass::Limit,
    ))
}

fn limit_disclosures(c: &Ctx<'_>) -> R<Case> {
    let (pl, ds) = many_claims(c, 4)?;
    let refs: Vec<&str> = ds.iter().map(String::as_str).collect();
    Ok(Case::new(
        "Four Disclosures are sent to a verifier that accepts at most three.",
        &["SDJWT-LIMITS-2"],
        c.sd_jwt(&pl, &refs)?,
        c.verify_limits(LimitsInput {
            max_disclosures: Some(3),
            ..LimitsInput::default()
        }),
        ErrorClass::Limit,
    ))
}

fn limit_json_disclosures(c: &Ctx<'_>) -> R<Case> {
    let (pl, ds) = many_claims(c, 4)?;
    let [h, p, s] = c.json_parts(&pl)?;
    let v = json!({"payload": p, "protected": h, "header": {"disclosures": ds}, "signature": s});
    Ok(Case::new(
        "A flattened JSON presentation with four Disclosures, for a verifier that accepts three.",
        &["SDJWT-LIMITS-2"],
        v.to_string(),
        c.verify_limits(LimitsInput {
            max_disclosures: Some(3),
            ..LimitsInput::default()
        }),
        ErrorClass::Limit,
    ))
}

fn limit_depth_payload(c: &Ctx<'_>) -> R<Case> {
    let pl = c.payload(json!({"a": {"b": {"c": {"d": {}}}}}));
    Ok(Case::new(
        "The payload nests objects five deep; the verifier allows four.",
        &["SDJWT-LIMITS-3"],
        c.sd_jwt(&pl, &[])?,
        c.verify_limits(LimitsInput {
            max_depth: Some(4),
            ..LimitsInput::default()
        }),
        ErrorClass::Limit,
    ))
}

fn limit_depth_disclosure(c: &Ctx<'_>) -> R<Case> {
    let d = b64(r#"["salt-deep","a",{"b":{"c":{"d":{}}}}]"#);
    Ok(Case::new(
        "A disclosed value nests objects five deep counting from the payload; the verifier allows four.",
        &["SDJWT-LIMITS-3"],
        c.with_disclosure_text(&d)?,
        c.verify_limits(LimitsInput {
            max_depth: Some(4),
            ..LimitsInput::default()
        }),
        ErrorClass::Limit,
    ))
}

fn limit_depth_default(c: &Ctx<'_>) -> R<Case> {
    let mut deep = json!("leaf");
    for _ in 0..40 {
        deep = json!([deep]);
    }
    let pl = c.payload(json!({"deep": deep}));
    Ok(Case::new(
        "The payload nests arrays 40 deep, beyond the default limit of 32.",
        &["SDJWT-LIMITS-3"],
        c.sd_jwt(&pl, &[])?,
        c.verify(),
        ErrorClass::Limit,
    ))
}

fn limit_sd_array_length(c: &Ctx<'_>) -> R<Case> {
    let digests = (0..9)
        .map(|i| c.dig(&format!("decoy-{i}")))
        .collect::<R<Vec<_>>>()?;
    let pl = c.payload(json!({"_sd": digests}));
    Ok(Case::new(
        "An _sd array holds nine digests; the verifier allows arrays of eight.",
        &["SDJWT-LIMITS-4"],
        c.sd_jwt(&pl, &[])?,
        c.verify_limits(LimitsInput {
            max_array_len: Some(8),
            ..LimitsInput::default()
        }),
        ErrorClass::Limit,
    ))
}

fn limit_array_length(c: &Ctx<'_>) -> R<Case> {
    let pl = c.payload(json!({"scores": (0..9).collect::<Vec<i32>>()}));
    Ok(Case::new(
        "A plaintext array holds nine elements; the verifier allows arrays of eight.",
        &["SDJWT-LIMITS-4"],
        c.sd_jwt(&pl, &[])?,
        c.verify_limits(LimitsInput {
            max_array_len: Some(8),
            ..LimitsInput::default()
        }),
        ErrorClass::Limit,
    ))
}

#[cfg(test)]
mod tests {
    // Tests panic on setup failures; each `expect` says what failed.
    #![allow(clippy::expect_used)]

    use std::collections::BTreeSet;

    use super::*;
    use crate::generate::NOW;
    use crate::{Catalogue, Role, Status, VectorSet, run_vector};

    const PROVIDER: CryptoProvider = sdjwt_aws_lc::DEFAULT_PROVIDER;

    fn all_at(now: i64) -> Vec<Vector> {
        cases(&PROVIDER, now).expect("negative cases")
    }

    #[test]
    fn at_least_sixty_cases_with_unique_ids() {
        let vectors = all_at(NOW);
        assert!(vectors.len() >= 60, "only {} cases", vectors.len());
        let mut seen = BTreeSet::new();
        for v in &vectors {
            assert!(seen.insert(v.id.as_str()), "{} twice", v.id);
            assert!(v.id.starts_with("neg-"), "{}", v.id);
            assert_eq!(v.kind, Kind::Negative);
            assert!(v.presentation.is_some() && v.expect.error.is_some());
        }
    }

    fn check_rejections(now: i64) {
        let set = VectorSet {
            keys: keys::all().expect("keys"),
            vectors: Vec::new(),
        };
        let failures: Vec<String> = all_at(now)
            .iter()
            .map(|v| (v, run_vector(&set, v, &PROVIDER)))
            .filter(|(_, o)| o.status != Status::Passed)
            .map(|(v, o)| format!("{}: {} ({})", v.id, o.outcome, o.detail))
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn every_case_is_rejected_with_its_class() {
        check_rejections(NOW);
    }

    #[test]
    fn cases_move_with_the_clock() {
        check_rejections(NOW + 12_345_678);
        check_rejections(1_700_000_000);
    }

    fn ctx() -> Ctx<'static> {
        Ctx {
            provider: &PROVIDER,
            now: NOW,
            issuer: keys::jwk(ISSUER).expect("issuer"),
            holder: keys::jwk(HOLDER).expect("holder"),
            untrusted: keys::jwk(UNTRUSTED).expect("untrusted"),
        }
    }

    /// The forging helpers make valid input, so in each case only the rule under test fails.
    #[test]
    fn baselines_verify() {
        let c = ctx();
        let set = VectorSet {
            keys: keys::all().expect("keys"),
            vectors: Vec::new(),
        };
        let r = |what: &str, r: R<String>| (what.to_owned(), r.expect(what));
        let s = c.one_claim_sd_jwt().expect("sd-jwt");
        let kb = c.kb(&s).expect("kb");
        let (pl, a, b) = two_claims(&c).expect("two claims");
        let two = c.sd_jwt(&pl, &[&a, &b]).expect("two");
        let (pl, d) = c.one_claim().expect("one claim");
        let [h, p, sig] = c.json_parts(&pl).expect("json parts");
        let json_kb = c
            .kb(&compact(&format!("{h}.{p}.{sig}"), &[&d]))
            .expect("kb");
        let flattened = json!({"payload": p, "protected": h,
                               "header": {"disclosures": [d], "kb_jwt": json_kb}, "signature": sig});
        let general = json!({"payload": p, "signatures": [
            {"protected": h, "header": {"disclosures": [d]}, "signature": sig},
            {"protected": h, "signature": sig}
        ]});
        let header_aligned = |ok: fn(&str) -> bool| {
            aligned(&header().to_string(), ok).and_then(|h| with_header_b64(&c, &b64(&h)))
        };
        let payload_aligned = |ok: fn(&str) -> bool| {
            aligned(&c.payload(json!({"note": "???"})).to_string(), ok)
                .and_then(|p| with_payload_b64(&c, &b64(&p)))
        };
        let plain = [
            r("one claim", Ok(s.clone())),
            r("two claims", Ok(two.clone())),
            r("general JSON", Ok(general.to_string())),
            r("header with partial group", header_aligned(partial)),
            r(
                "header with a full last group",
                header_aligned(|e| !partial(e)),
            ),
            r("payload with partial group", payload_aligned(partial)),
            r("payload with '-' or '_'", payload_aligned(url_specific)),
            r(
                "signature with '-' or '_'",
                with_signature_b64(&c, url_specific, |x| Ok(x.to_owned())),
            ),
            r("KB-JWT ignored when not required", Ok(format!("{s}{kb}"))),
        ];
        let bound = [
            r("one claim with KB", Ok(format!("{s}{kb}"))),
            r(
                "two claims with KB",
                c.kb(&two).map(|k| format!("{two}{k}")),
            ),
            r("flattened JSON with KB", Ok(flattened.to_string())),
        ];
        for (policy, texts) in [(c.verify(), &plain[..]), (c.verify_kb(), &bound[..])] {
            let (keys, policy_) = crate::run::verifier_setup(&set, &policy).expect("policy");
            for (what, text) in texts {
                let result =
                    sdjwt_verifier::Verifier::new(&PROVIDER, &keys).verify(text, &policy_, NOW);
                assert!(result.is_ok(), "{what}: {:?}", result.err());
            }
        }
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(all_at(NOW), all_at(NOW));
    }

    #[test]
    fn requirements_name_verifier_entries_of_the_catalogue() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/requirements.toml");
        let Ok(catalogue) = Catalogue::load(&path) else {
            // The catalogue is checked by the suite's own tests; nothing to compare against here.
            return;
        };
        for v in all_at(NOW) {
            for r in &v.requirements {
                let entry = catalogue.get(r);
                assert!(entry.is_some(), "{}: unknown requirement {r}", v.id);
                assert_eq!(
                    entry.map(|e| e.role),
                    Some(Role::Verifier),
                    "{}: {r} does not bind the verifier",
                    v.id
                );
            }
        }
    }

    #[test]
    fn hmac_sha256_matches_rfc4231_test_case_2() {
        let mac = ctx()
            .hmac_sha256(b"Jefe", b"what do ya want for nothing?")
            .expect("hmac");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
