//! Key Binding JWT parsing and claim validation (RFC 9901 §4.3), with the signature check of
//! §7.3 step 5.c run through the accept-anything verifier.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use sdjwt_core::{KB_JWT_TYP, KeyBindingJwt};
use sdjwt_core::jose::Jwk;
use sdjwt_fuzz::INSECURE_ACCEPT_ANY_SIGNATURE;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(kb) = KeyBindingJwt::parse(text) else {
        return;
    };
    assert_eq!(kb.as_str(), text);
    let header = kb.jws().header();
    let _ = header.typ_is(KB_JWT_TYP);
    if let Ok(claims) = kb.claims() {
        assert_eq!(kb.payload().get("sd_hash").and_then(|v| v.as_str()), Some(claims.sd_hash.as_str()));
    }
    if let Some(key) = kb
        .payload()
        .get("cnf")
        .and_then(|c| c.get("jwk"))
        .and_then(|j| j.as_object())
        .and_then(|j| Jwk::from_json(j).ok())
        && let Ok(v) = INSECURE_ACCEPT_ANY_SIGNATURE.verifier(&key, header.alg())
    {
        assert!(kb.jws().verify(v.as_ref()).is_ok());
    }
    let _ = sdjwt_core::time::check_validity(kb.payload(), sdjwt_fuzz::NOW, 60);
});
