//! Disclosure decoding (RFC 9901 §4.2).
//!
//! Oracle: a parsed Disclosure keeps its exact text, and encoding its salt, name and value
//! again gives a Disclosure that decodes to the same parts (encode → decode is identity).
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use sdjwt_core::{ClaimName, Disclosure, DisclosureKind, Salt};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(d) = Disclosure::parse(text) else {
        return;
    };
    assert_eq!(d.as_str(), text);
    let salt = Salt::from_string(d.salt());
    let again = match d.kind() {
        DisclosureKind::Property { name, value } => {
            let Ok(name) = ClaimName::new(name.clone()) else {
                panic!("a parsed Disclosure has a reserved name");
            };
            Disclosure::property(&salt, &name, value.clone())
        }
        DisclosureKind::ArrayElement { value } => Disclosure::array_element(&salt, value.clone()),
    };
    let decoded = Disclosure::parse(again.as_str());
    assert!(decoded.is_ok(), "re-encoded Disclosure does not parse: {decoded:?}");
    if let Ok(decoded) = decoded {
        assert_eq!(decoded.salt(), d.salt());
        assert_eq!(decoded.kind(), d.kind());
    }
});
