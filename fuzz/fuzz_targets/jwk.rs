//! JWK parsing (RFC 7517, with the RFC 7518 / RFC 8037 key types the project supports).
//!
//! Oracle: a parsed key survives a round trip through its JSON form, public and private.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use sdjwt_core::jose::{JwsAlgorithm, Jwk};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(jwk) = Jwk::from_json_str(text) else {
        return;
    };
    assert_eq!(Jwk::from_json(&jwk.to_private_json()).as_ref(), Ok(&jwk));
    let public = jwk.to_public();
    assert!(!public.is_private());
    assert_eq!(Jwk::from_json(&jwk.to_json()).as_ref(), Ok(&public));
    assert_eq!(public.thumbprint_input(), jwk.thumbprint_input());
    for &alg in JwsAlgorithm::ALL {
        let _ = jwk.check_algorithm(alg);
    }
    let _ = jwk.describe();
    let _ = jwk.default_algorithm();
});
