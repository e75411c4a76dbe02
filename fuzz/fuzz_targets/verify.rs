//! Full verification (RFC 9901 §7.1 and §7.3) of compact and JWS JSON presentations, with the
//! **insecure** accept-any-signature provider so hostile input reaches Disclosure processing,
//! validity checks and the Key Binding JWT checks.
//!
//! Oracle: no panic; a presentation that verifies has a fully processed payload and, under the
//! key-binding policy, is key-bound.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use sdjwt_fuzz::{AnyIssuer, INSECURE_ACCEPT_ANY_SIGNATURE, NOW, assert_fully_processed, policies};
use sdjwt_verifier::{KeyBinding, Verifier};
use std::sync::LazyLock;

static KEYS: LazyLock<AnyIssuer> = LazyLock::new(AnyIssuer::new);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let verifier = Verifier::new(&INSECURE_ACCEPT_ANY_SIGNATURE, &*KEYS);
    for policy in policies() {
        if let Ok(verified) = verifier.verify(text, &policy, NOW) {
            assert_fully_processed(verified.claims());
            let bound = matches!(policy.key_binding, KeyBinding::Required { .. });
            assert_eq!(verified.key_bound(), bound);
        }
    }
});
