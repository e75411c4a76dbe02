//! Compact SD-JWT / SD-JWT+KB parsing (RFC 9901 §4), then §7.1 processing without signatures.
//!
//! Oracle: whatever parses re-serializes to exactly the input, and processing never panics.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use sdjwt_core::{Limits, SdJwt};
use sdjwt_fuzz::{INSECURE_ACCEPT_ANY_SIGNATURE, assert_fully_processed};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::DEFAULT;
    let Ok(sd_jwt) = SdJwt::parse_compact(text, &limits) else {
        return;
    };
    assert_eq!(sd_jwt.to_compact(), text, "compact round trip changed the text");
    if let Some(kb) = sd_jwt.key_binding() {
        let _ = kb.claims();
    }
    if let Ok(processed) = sd_jwt.process(&INSECURE_ACCEPT_ANY_SIGNATURE, &limits) {
        assert_fully_processed(&processed.claims);
    }
});
