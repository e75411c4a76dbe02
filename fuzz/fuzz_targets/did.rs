//! did:key and did:jwk parsing and resolution (`sdjwt_jose::did`), with the aws-lc-rs
//! provider's real EC point decompression and on-curve check.
//!
//! Oracle: a parsed DID URL prints back as its input; a resolved key is public and encodes
//! again to a DID that resolves to the same key. For did:key that is the very same identifier,
//! since the encoding is canonical (base58btc is bijective, the varint minimal, the point
//! compressed with x below p).
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use sdjwt_jose::CryptoProvider;
use sdjwt_jose::did::{self, Did, DidJwk, DidKey, DidUrl};

/// Real decompression: the fuzzing provider of `src/lib.rs` is not needed here.
const PROVIDER: CryptoProvider = sdjwt_aws_lc::DEFAULT_PROVIDER;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let resolved = did::resolve_key(text, &PROVIDER);
    let Ok(url) = DidUrl::parse(text) else {
        assert!(resolved.is_err(), "resolved what does not parse: {text:?}");
        return;
    };
    assert_eq!(url.to_string(), text);
    assert_eq!(url.resolve_key(&PROVIDER), resolved);
    // After parsing, only an EC point off the curve (or an unsupported curve) can fail.
    let Ok(jwk) = resolved else {
        return;
    };
    assert!(!jwk.is_private());
    match url.did() {
        Did::Key(key) => {
            if let Some(fragment) = url.fragment() {
                assert_eq!(fragment, key.multibase());
            }
            let again = DidKey::from_jwk(&jwk);
            assert_eq!(
                again.as_ref(),
                Ok(key),
                "did:key does not re-encode to itself"
            );
        }
        Did::Jwk(did_jwk) => {
            if let Some(fragment) = url.fragment() {
                assert_eq!(fragment, "0");
            }
            assert_eq!(did_jwk.jwk(), &jwk);
            let bare = DidJwk::from_jwk(&jwk);
            assert_eq!(bare.jwk().thumbprint_input(), jwk.thumbprint_input());
            let again = did::resolve_key(&bare.to_string(), &PROVIDER);
            assert_eq!(again.as_ref(), Ok(bare.jwk()));
        }
        _ => {}
    }
});
