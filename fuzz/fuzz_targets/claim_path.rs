//! RFC 6901 JSON pointer → `ClaimPath` resolution against a fixed claims document.
//!
//! Oracle: a resolved path names something in the document, formats back to a pointer that
//! resolves to the same path, and the claims-object entry point agrees with the value one.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use sdjwt_core::ClaimPath;

fuzz_target!(|data: &[u8]| {
    let Ok(pointer) = std::str::from_utf8(data) else {
        return;
    };
    let doc = sdjwt_fuzz::claim_path_document();
    let result = ClaimPath::resolve_pointer(pointer, &doc);
    if let Some(claims) = doc.as_object() {
        assert_eq!(ClaimPath::resolve_pointer_in(pointer, claims), result);
    }
    let Ok(path) = result else {
        return;
    };
    assert!(path.lookup(&doc).is_some(), "{pointer} resolved to nothing");
    let formatted = path.to_string();
    assert_eq!(ClaimPath::resolve_pointer(&formatted, &doc).as_ref(), Ok(&path));
    if let Some(parent) = path.parent() {
        assert!(path.starts_with(&parent));
    }
});
