//! The in-place JSON tree (`sdjwt_jose::json::tree::JsonTree`) that SD-JWT payloads are read
//! through, checked against the `serde_json::Value` parser it must agree with.
//!
//! Oracle: for any bytes, both accept or both refuse with the same error (a repeated member name
//! is refused as soon as it is read, so even which of several problems is reported agrees); an
//! accepted tree converts to exactly the parser's map, and walking it in place finds every
//! member by name.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use sdjwt_jose::json::tree::{JsonTree, Kind, TreeRef};
use sdjwt_jose::json::parse_object;

/// Every member of every object is found by `get`, and lengths match what iteration yields.
fn walk(v: TreeRef<'_>, depth: usize) {
    assert!(depth <= sdjwt_jose::json::MAX_DEPTH + 1);
    match v.kind() {
        Kind::Object => {
            assert_eq!(v.members().count(), v.len());
            for (name, member) in v.members() {
                let found = v.get(name).map(TreeRef::to_value);
                assert_eq!(found, Some(member.to_value()));
                walk(member, depth + 1);
            }
        }
        Kind::Array => {
            assert_eq!(v.items().count(), v.len());
            for item in v.items() {
                walk(item, depth + 1);
            }
        }
        Kind::String => assert!(v.as_str().is_some()),
        _ => assert!(v.as_str().is_none() && v.len() == 0),
    }
}

fuzz_target!(|data: &[u8]| {
    match (JsonTree::parse_object(data), parse_object(data)) {
        (Ok(tree), Ok(map)) => {
            assert_eq!(tree.to_map(), map);
            walk(tree.root(), 0);
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        (tree, map) => panic!("disagree: tree {tree:?}, serde_json {map:?}"),
    }
});
