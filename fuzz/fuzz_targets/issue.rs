//! The issuer (RFC 9901 §4, §5.1) on arbitrary claims: the input after its first byte is a
//! JSON object, and the first byte picks which of its members and elements (walked depth
//! first, at most 64) become selectively disclosable, with decoys or without.
//!
//! Oracle: no panic; `prepare` refuses, or it issues an SD-JWT whose compact text is what
//! `sign` followed by `to_compact` gives, whose every Disclosure parses back
//! (`PreparedSdJwt::disclosures` holds one per part of the text), and whose §7.1 processing
//! gives back exactly the claims issued.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use sdjwt_core::{ClaimName, ClaimPath, Limits, PathSegment, SdJwt};
use sdjwt_issuer::{Decoys, SdJwtBuilder};
use sdjwt_jose::{Jwk, JwsAlgorithm, JwsSigner};
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// The RFC 8037 §A.1 Ed25519 key: EdDSA signatures are deterministic, so the `sign` and
/// `sign_compact` routes must give the same text.
const ISSUER_JWK: &str = r#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;

static SIGNER: LazyLock<Option<Box<dyn JwsSigner>>> = LazyLock::new(|| {
    let key = Jwk::from_json_str(ISSUER_JWK).ok()?;
    sdjwt_aws_lc::DEFAULT_PROVIDER
        .signer(&key, JwsAlgorithm::EdDsa)
        .ok()
});

/// Every member and element path below `value` (at `path`), depth first, up to 64 in `out`.
fn paths(value: &Value, path: &ClaimPath, out: &mut Vec<ClaimPath>) {
    let children: Vec<(PathSegment, &Value)> = match value {
        Value::Object(m) => m
            .iter()
            .filter_map(|(k, v)| Some((PathSegment::Key(ClaimName::new(k.clone()).ok()?), v)))
            .collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (PathSegment::Index(i), v))
            .collect(),
        _ => return,
    };
    for (segment, child) in children {
        if out.len() >= 64 {
            return;
        }
        let mut segments = path.segments().to_vec();
        segments.push(segment);
        let child_path = ClaimPath::from_segments(segments);
        out.push(child_path.clone());
        paths(child, &child_path, out);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, json)) = data.split_first() else {
        return;
    };
    let Ok(Value::Object(claims)) = serde_json::from_slice::<Value>(json) else {
        return;
    };
    let Some(signer) = SIGNER.as_deref() else {
        return;
    };
    let mut all = Vec::new();
    paths(&Value::Object(claims.clone()), &ClaimPath::root(), &mut all);
    // Bits 0-5 of the selector pick paths by their index modulo 6; bit 6 adds decoys; bit 7
    // borrows the claims instead of handing them over.
    let chosen: Vec<ClaimPath> = all
        .into_iter()
        .enumerate()
        .filter(|(i, _)| selector & (1 << (i % 6)) != 0)
        .map(|(_, p)| p)
        .collect();
    let decoys = if selector & 0x40 != 0 {
        Decoys::Exact(2)
    } else {
        Decoys::None
    };
    let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
    let builder = if selector & 0x80 != 0 {
        SdJwtBuilder::borrowing(&claims).disclose_each(&chosen)
    } else {
        SdJwtBuilder::new(claims.clone()).disclose_all(chosen.clone())
    };
    let Ok(prepared) = builder.decoys(decoys).prepare(&provider) else {
        return;
    };
    let Ok(compact) = prepared.sign_compact(signer) else {
        return;
    };
    let Ok(signed) = prepared.sign(signer) else {
        return;
    };
    assert_eq!(signed.to_compact(), compact);
    let texts: Vec<&str> = compact
        .split('~')
        .skip(1)
        .filter(|t| !t.is_empty())
        .collect();
    let parsed: Vec<&str> = prepared.disclosures().iter().map(|d| d.as_str()).collect();
    assert_eq!(parsed, texts);
    let limits = Limits::DEFAULT;
    let Ok(sd_jwt) = SdJwt::parse_compact(&compact, &limits) else {
        panic!("issued SD-JWT does not parse: {compact}");
    };
    let processed = sd_jwt
        .process(&provider, &limits)
        .unwrap_or_else(|e| panic!("issued SD-JWT does not process ({e}): {compact}"));
    let expected: Map<String, Value> = claims;
    assert_eq!(processed.claims, expected, "{compact}");
    assert_eq!(processed.disclosed.len(), texts.len());
});
