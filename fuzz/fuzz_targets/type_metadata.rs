//! SD-JWT VC Type Metadata (draft-ietf-oauth-sd-jwt-vc §5, §6): arbitrary bytes as a Type
//! Metadata document, as an integrity string, and as an `extends` chain of several documents
//! (the input split at `\x00`), resolved and merged, then applied as claim rules to a fixed
//! credential.
//!
//! Oracles: nothing panics; a chain that resolves has at most the depth limit of documents,
//! no type twice, and starts with the type asked for; every effective claim rule comes from
//! some document of the chain.
#![no_main]
#![forbid(unsafe_code)]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use sdjwt_vc::claim_rules::AnnotatedCredential;
use sdjwt_vc::integrity::Integrity;
use sdjwt_vc::type_metadata::{LocalTypeMetadata, TypeMetadata, TypeMetadataResolver};
use serde_json::json;

const PROVIDER: sdjwt_jose::CryptoProvider = sdjwt_aws_lc::DEFAULT_PROVIDER;
const MAX_DEPTH: usize = 4;

fuzz_target!(|data: &[u8]| {
    let _ = TypeMetadata::parse(data);
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(integrity) = Integrity::parse(text) {
            let _ = integrity.verify(&PROVIDER, data);
        }
    }
    let mut store = LocalTypeMetadata::new();
    let mut first = None;
    for part in data.split(|b| *b == 0).take(8) {
        if let Ok(vct) = store.insert_document(part.to_vec()) {
            first.get_or_insert(vct);
        }
    }
    let Some(vct) = first else { return };
    let resolved = TypeMetadataResolver::new(&store, &PROVIDER)
        .with_max_depth(MAX_DEPTH)
        .resolve(&vct, None);
    let Ok(effective) = resolved else { return };
    assert!(effective.chain.len() <= MAX_DEPTH);
    assert_eq!(effective.vct(), vct);
    let types: BTreeSet<&str> = effective.types().collect();
    assert_eq!(types.len(), effective.chain.len(), "a type appears twice in a chain");
    for rule in &effective.claims {
        assert!(
            effective
                .chain
                .iter()
                .any(|doc| doc.claims.iter().any(|c| c.path == rule.path)),
            "an effective rule from nowhere"
        );
    }
    let claims = json!({
        "name": "Arthur Dent",
        "address": {"street_address": "42 Market Street", "city": "Milliways"},
        "degrees": [{"type": "BSc"}, {"type": "MSc"}],
        "nationalities": ["British", "Betelgeusian"]
    });
    if let Some(object) = claims.as_object() {
        let _ = AnnotatedCredential::from_issuer_input(object, &BTreeSet::new()).validate(&effective.claims);
    }
});
