//! JWS JSON serialization parsing, flattened and general (RFC 9901 §8).
//!
//! Oracle: whatever parses re-serializes (in its own syntax) to something that parses back to
//! an equal value, and converts to a compact form that parses too.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use sdjwt_core::{Limits, SdJwt, Serialization};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::DEFAULT;
    let Ok(sd_jwt) = SdJwt::parse_json(text, &limits) else {
        return;
    };
    let Serialization::Json(syntax) = sd_jwt.serialization() else {
        panic!("parse_json returned a compact SD-JWT");
    };
    let json = sd_jwt
        .to_json(syntax)
        .map(|m| Value::Object(m).to_string());
    let Ok(json) = json else {
        panic!("a parsed JSON SD-JWT did not re-serialize in its own syntax");
    };
    assert_eq!(SdJwt::parse_json(&json, &limits).as_ref(), Ok(&sd_jwt), "JSON round trip");
    // Only the first signature survives in compact form; parsing it must still work unless the
    // longer text crosses the size limit.
    let compact = sd_jwt.to_compact();
    if compact.len() <= limits.max_input_bytes {
        assert!(SdJwt::parse_compact(&compact, &limits).is_ok(), "compact form of {text}");
    }
});
