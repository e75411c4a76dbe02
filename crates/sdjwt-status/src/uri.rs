//! A light syntactic check of URIs (RFC 3986 §3): the `uri` of a Referenced Token, the `sub` of
//! a Status List Token and `aggregation_uri` must be URIs (draft-ietf-oauth-status-list-20
//! §4.2, §5.1, §6.2).

/// Whether `text` has the shape `scheme ":" rest` of an RFC 3986 URI, with `rest` made only of
/// characters a URI may contain (unreserved, reserved and well-formed `%XX` escapes).
///
/// The hierarchy of the rest (authority, path, query, fragment) is not parsed: the values are
/// only ever compared for equality (§8.3 step 4.a) and handed to an HTTP client, which parses
/// them itself. The check keeps out what is certainly not a URI: whitespace, control
/// characters, non-ASCII text and relative references.
pub(crate) fn is_absolute_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut scheme_chars = scheme.bytes();
    let scheme_ok = scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return false;
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        if c == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        let allowed = c.is_ascii_alphanumeric()
            || matches!(
                c,
                // unreserved
                b'-' | b'.' | b'_' | b'~'
                // gen-delims
                | b':' | b'/' | b'?' | b'#' | b'[' | b']' | b'@'
                // sub-delims
                | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
            );
        if !allowed {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_absolute_uri;

    #[test]
    fn accepts_uris_and_refuses_the_rest() {
        for good in [
            "https://example.com/statuslists/1",
            "https://example.com/statuslists/1?x=%41#frag",
            "urn:example:status:1",
            "did:web:example.com",
            "a:",
        ] {
            assert!(is_absolute_uri(good), "{good}");
        }
        for bad in [
            "",
            "/statuslists/1",
            "example.com/statuslists/1",
            "1https://example.com",
            "https://example.com/a b",
            "https://example.com/\u{e9}",
            "https://example.com/%4",
            "https://example.com/%zz",
            "https://example.com/\n",
            ":nothing",
        ] {
            assert!(!is_absolute_uri(bad), "{bad:?}");
        }
    }
}
