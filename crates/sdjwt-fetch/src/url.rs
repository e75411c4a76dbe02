//! [`HttpsUrl`]: the absolute URLs that SD-JWT VC and the Token Status List dereference.
//!
//! The grammar is RFC 3986 §3, narrowed to what these specifications need:
//!
//! ```text
//! https-url = "https://" host [ ":" port ] path-abempty [ "?" query ]
//! host      = dns-name / IPv4address / "[" IPv6address "]"
//! ```
//!
//! No userinfo, no fragment, only printable ASCII (IRIs and internationalized names must come
//! percent-encoded and as A-labels), at most [`MAX_URL_LEN`] bytes. The text is kept exactly as
//! received: [`HttpsUrl::as_str`] gives it back byte for byte, so an `iss` or `sub` comparison
//! against it is a plain string comparison.

use core::fmt;
use core::str::FromStr;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::error::UrlError;

/// The longest URL accepted, in bytes: RFC 9110 §4.1 recommends that recipients support URIs
/// of at least 8000 octets, and nothing in these specifications needs longer ones.
pub const MAX_URL_LEN: usize = 8000;

/// The well-known path segment of JWT VC Issuer Metadata (SD-JWT VC §"JWT VC Issuer
/// Metadata", registered in its §"Well-Known URI Registry").
pub const JWT_VC_ISSUER_WELL_KNOWN: &str = "/.well-known/jwt-vc-issuer";

/// An absolute `https` URL of a document or resource to retrieve (SD-JWT VC §"Retrieving
/// Documents and Resources via HTTP": "All URLs dereferenced according to this specification
/// MUST use the HTTPS scheme").
///
/// Parse one with [`HttpsUrl::parse`] (or [`str::parse`]). The only other scheme is plain
/// `http` to a loopback IP literal, through the loudly named
/// [`HttpsUrl::danger_parse_loopback_http`], for tests against a local server; resolvers
/// refuse such URLs unless configured otherwise.
///
/// ```
/// use sdjwt_fetch::HttpsUrl;
///
/// let url = HttpsUrl::parse("https://example.com:8443/statuslists/1?v=2")?;
/// assert_eq!(url.host(), "example.com");
/// assert_eq!(url.port(), Some(8443));
/// assert_eq!(url.path(), "/statuslists/1");
/// assert_eq!(url.query(), Some("v=2"));
/// assert!(HttpsUrl::parse("http://example.com/").is_err());
/// assert!(HttpsUrl::parse("https://user@example.com/").is_err());
/// assert!(HttpsUrl::parse("https://example.com/#frag").is_err());
/// # Ok::<(), sdjwt_fetch::UrlError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HttpsUrl {
    /// The text as received.
    text: String,
    /// `true` for `https`, `false` for `http` (loopback opt-in only).
    https: bool,
    /// Byte range of the host in `text`, without the brackets of an IPv6 literal.
    host: (usize, usize),
    /// The host when it is an IP literal.
    ip: Option<IpAddr>,
    /// The explicit port.
    port: Option<u16>,
    /// Byte offset of the path (the end of the authority).
    path_start: usize,
    /// Byte offset of the `?` that starts the query, if any.
    query_start: Option<usize>,
}

impl HttpsUrl {
    /// Parses an absolute `https` URL.
    ///
    /// # Errors
    ///
    /// A [`UrlError`] saying which rule the text breaks.
    pub fn parse(text: &str) -> Result<Self, UrlError> {
        parse(text, false)
    }

    /// Parses an absolute URL like [`HttpsUrl::parse`], and also accepts plain `http` when
    /// the host is a loopback IP literal (`127.0.0.0/8` or `::1`).
    ///
    /// <div class="warning">
    ///
    /// This exists for tests against a server on the local machine. Plain `http` has no
    /// integrity and no authentication; the specifications forbid it. Resolvers still refuse
    /// such a URL unless they too are configured to allow it.
    ///
    /// </div>
    ///
    /// # Errors
    ///
    /// As [`HttpsUrl::parse`]; [`UrlError::NotHttps`] for `http` to anything but a loopback
    /// IP literal.
    pub fn danger_parse_loopback_http(text: &str) -> Result<Self, UrlError> {
        parse(text, true)
    }

    /// The URL exactly as received.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `true` for an `https` URL, `false` for a plain `http` one (possible only through
    /// [`HttpsUrl::danger_parse_loopback_http`]).
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The scheme: `"https"`, or `"http"` for a loopback URL parsed with
    /// [`HttpsUrl::danger_parse_loopback_http`].
    pub fn scheme(&self) -> &'static str {
        if self.https { "https" } else { "http" }
    }

    /// The host as written: a DNS name, a dotted-quad IPv4 address, or an IPv6 address
    /// without its brackets.
    pub fn host(&self) -> &str {
        self.text.get(self.host.0..self.host.1).unwrap_or_default()
    }

    /// The host when it is an IP literal.
    pub fn ip(&self) -> Option<IpAddr> {
        self.ip
    }

    /// The explicit port, if any.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The explicit port, or the scheme's default (443 for `https`, 80 for `http`).
    pub fn port_or_default(&self) -> u16 {
        self.port.unwrap_or(if self.https { 443 } else { 80 })
    }

    /// The authority as written: the host (with brackets for IPv6) and the optional port.
    pub fn authority(&self) -> &str {
        let start = self.scheme().len() + 3;
        self.text.get(start..self.path_start).unwrap_or_default()
    }

    /// The path as written; empty when the URL has none (the request target is then `/`).
    pub fn path(&self) -> &str {
        let end = self.query_start.unwrap_or(self.text.len());
        self.text.get(self.path_start..end).unwrap_or_default()
    }

    /// The query without its `?`, if any.
    pub fn query(&self) -> Option<&str> {
        self.query_start
            .map(|start| self.text.get(start + 1..).unwrap_or_default())
    }

    /// The URL of the JWT VC Issuer Metadata of the Issuer identified by `iss` (SD-JWT VC
    /// §"JWT VC Issuer Metadata" and §"JWT VC Issuer Metadata Request").
    ///
    /// `iss` must be an `https` URL without query or fragment. The well-known string
    /// `/.well-known/jwt-vc-issuer` is inserted between the host component (with its port)
    /// and the path component, after removing the terminating `/` of the path: every
    /// trailing `/`, so that the result never ends in one.
    ///
    /// ```
    /// use sdjwt_fetch::HttpsUrl;
    ///
    /// let url = HttpsUrl::jwt_vc_issuer_metadata_url("https://example.com/tenant/1234")?;
    /// assert_eq!(url.as_str(), "https://example.com/.well-known/jwt-vc-issuer/tenant/1234");
    /// # Ok::<(), sdjwt_fetch::UrlError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`UrlError`] when `iss` is not an acceptable `https` URL, and [`UrlError::Query`]
    /// when it has a query.
    pub fn jwt_vc_issuer_metadata_url(iss: &str) -> Result<Self, UrlError> {
        Self::parse(iss)?.jwt_vc_issuer_metadata()
    }

    /// The JWT VC Issuer Metadata URL for this URL taken as the `iss` value; the method form
    /// of [`HttpsUrl::jwt_vc_issuer_metadata_url`], which also works on a loopback `http` URL
    /// (for tests).
    ///
    /// # Errors
    ///
    /// [`UrlError::Query`] when this URL has a query; [`UrlError::TooLong`] when the result
    /// would be longer than [`MAX_URL_LEN`].
    pub fn jwt_vc_issuer_metadata(&self) -> Result<Self, UrlError> {
        if self.query_start.is_some() {
            return Err(UrlError::Query);
        }
        let path = self.path().trim_end_matches('/');
        let text = format!(
            "{}://{}{JWT_VC_ISSUER_WELL_KNOWN}{path}",
            self.scheme(),
            self.authority()
        );
        parse(&text, !self.https)
    }

    /// Resolves a URI reference (such as the `Location` of a redirect) against this URL,
    /// following RFC 3986 §5.2 (including the removal of dot segments, §5.2.4).
    ///
    /// A fragment in `reference` is dropped: it is never sent to a server, so it cannot change
    /// what is retrieved (RFC 9110 §10.2.2 lets a redirect carry one only for the user agent's
    /// presentation). The result must be an acceptable URL in the sense of
    /// [`HttpsUrl::danger_parse_loopback_http`]: `https`, or `http` to a loopback IP literal,
    /// which a resolver then accepts or refuses according to its own configuration.
    ///
    /// ```
    /// use sdjwt_fetch::HttpsUrl;
    ///
    /// let base = HttpsUrl::parse("https://example.com/a/b/c")?;
    /// assert_eq!(base.resolve_reference("../d?x=1")?.as_str(), "https://example.com/a/d?x=1");
    /// assert_eq!(base.resolve_reference("/e")?.as_str(), "https://example.com/e");
    /// assert_eq!(
    ///     base.resolve_reference("//cdn.example.net/f")?.as_str(),
    ///     "https://cdn.example.net/f"
    /// );
    /// assert!(base.resolve_reference("http://example.com/").is_err());
    /// # Ok::<(), sdjwt_fetch::UrlError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`UrlError`] when the reference or the resolved URL is not acceptable.
    pub fn resolve_reference(&self, reference: &str) -> Result<Self, UrlError> {
        check_text(reference)?;
        // Drop the fragment.
        let reference = reference
            .split_once('#')
            .map_or(reference, |(before, _)| before);
        if has_scheme(reference) {
            return parse(reference, true);
        }
        let text = if let Some(rest) = reference.strip_prefix("//") {
            format!("{}://{rest}", self.scheme())
        } else {
            let (ref_path, ref_query) = match reference.split_once('?') {
                Some((path, query)) => (path, Some(query)),
                None => (reference, None),
            };
            let (path, query) = if ref_path.is_empty() {
                (self.path().to_owned(), ref_query.or(self.query()))
            } else if ref_path.starts_with('/') {
                (remove_dot_segments(ref_path), ref_query)
            } else {
                // RFC 3986 §5.2.3: merge with the base path.
                let base = self.path();
                let merged = match base.rfind('/') {
                    Some(slash) => format!("{}{ref_path}", base.get(..=slash).unwrap_or("/")),
                    None => format!("/{ref_path}"),
                };
                (remove_dot_segments(&merged), ref_query)
            };
            match query {
                Some(query) => format!("{}://{}{path}?{query}", self.scheme(), self.authority()),
                None => format!("{}://{}{path}", self.scheme(), self.authority()),
            }
        };
        parse(&text, true)
    }
}

impl FromStr for HttpsUrl {
    type Err = UrlError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<&str> for HttpsUrl {
    type Error = UrlError;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        Self::parse(text)
    }
}

impl AsRef<str> for HttpsUrl {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for HttpsUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for HttpsUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("HttpsUrl").field(&self.text).finish()
    }
}

/// Length and character checks shared by absolute URLs and references: printable ASCII only
/// (no whitespace, no control characters, nothing beyond ASCII).
fn check_text(text: &str) -> Result<(), UrlError> {
    if text.is_empty() {
        return Err(UrlError::Empty);
    }
    if text.len() > MAX_URL_LEN {
        return Err(UrlError::TooLong {
            len: text.len(),
            limit: MAX_URL_LEN,
        });
    }
    match text.bytes().position(|b| !(0x21..=0x7e).contains(&b)) {
        Some(position) => Err(UrlError::InvalidCharacter { position }),
        None => Ok(()),
    }
}

/// Whether a reference starts with a scheme (RFC 3986 §3.1:
/// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`).
fn has_scheme(reference: &str) -> bool {
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    let mut bytes = scheme.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

fn parse(text: &str, allow_loopback_http: bool) -> Result<HttpsUrl, UrlError> {
    check_text(text)?;
    let (https, scheme_len) = if text.starts_with("https://") {
        (true, 8)
    } else if text.starts_with("http://") {
        (false, 7)
    } else if text.starts_with("https:") || text.starts_with("http:") {
        return Err(UrlError::NotAbsolute);
    } else if has_scheme(text) {
        return Err(UrlError::NotHttps);
    } else {
        return Err(UrlError::NotAbsolute);
    };
    if text.contains('#') {
        return Err(UrlError::Fragment);
    }
    let rest = text.get(scheme_len..).unwrap_or_default();
    let authority_len = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = rest.get(..authority_len).unwrap_or_default();
    let path_start = scheme_len + authority_len;
    if authority.contains('@') {
        return Err(UrlError::UserInfo);
    }
    if authority.is_empty() {
        return Err(UrlError::MissingHost);
    }

    // Host and port.
    let (host_range, ip, port_text) = if let Some(inner) = authority.strip_prefix('[') {
        let (literal, after) = inner.split_once(']').ok_or(UrlError::InvalidHost)?;
        // Only IPv6address (RFC 3986 §3.2.2): no IPvFuture, no zone identifier.
        let addr = Ipv6Addr::from_str(literal).map_err(|_| UrlError::InvalidHost)?;
        let port_text = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or(UrlError::InvalidPort)?),
        };
        let start = scheme_len + 1;
        (
            (start, start + literal.len()),
            Some(IpAddr::V6(addr)),
            port_text,
        )
    } else {
        let (host, port_text) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if host.is_empty() {
            return Err(UrlError::MissingHost);
        }
        let ip = parse_name_host(host)?;
        ((scheme_len, scheme_len + host.len()), ip, port_text)
    };
    let port = port_text.map(parse_port).transpose()?;

    // Path and query.
    let path_and_query = text.get(path_start..).unwrap_or_default();
    let query_start = path_and_query.find('?').map(|i| path_start + i);
    let path_end = query_start.unwrap_or(text.len());
    check_component(text, path_start, path_end, b"/:@")?;
    if let Some(start) = query_start {
        check_component(text, start + 1, text.len(), b"/:@?")?;
    }

    if !https {
        let loopback = ip.is_some_and(|ip| match ip {
            IpAddr::V4(v4) => v4.is_loopback(),
            IpAddr::V6(v6) => v6.is_loopback(),
        });
        if !(allow_loopback_http && loopback) {
            return Err(UrlError::NotHttps);
        }
    }

    Ok(HttpsUrl {
        text: text.to_owned(),
        https,
        host: host_range,
        ip,
        port,
        path_start,
        query_start,
    })
}

/// A host outside brackets: a dotted-quad IPv4 literal or a DNS name (RFC 1123 §2.1 host
/// names: letters, digits and hyphens, labels of 1 to 63 characters not starting or ending
/// with a hyphen, at most 253 characters). A name whose last label starts with a digit must be
/// an IPv4 literal, so that `127.1`, `2130706433` or `0x7f.0.0.1` (which `inet_aton` would
/// read as 127.0.0.1) cannot pass as names.
fn parse_name_host(host: &str) -> Result<Option<IpAddr>, UrlError> {
    let last = host.rsplit('.').next().unwrap_or_default();
    if last.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        // std's parser takes exactly four decimal parts without leading zeros.
        return Ipv4Addr::from_str(host)
            .map(|v4| Some(IpAddr::V4(v4)))
            .map_err(|_| UrlError::InvalidHost);
    }
    if host.len() > 253 {
        return Err(UrlError::InvalidHost);
    }
    for label in host.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return Err(UrlError::InvalidHost);
        }
    }
    Ok(None)
}

fn parse_port(text: &str) -> Result<u16, UrlError> {
    if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(UrlError::InvalidPort);
    }
    match text.parse::<u16>() {
        Ok(0) | Err(_) => Err(UrlError::InvalidPort),
        Ok(port) => Ok(port),
    }
}

/// Checks `text[start..end]` against RFC 3986's `pchar` (unreserved / pct-encoded /
/// sub-delims / ":" / "@") plus the extra characters allowed in the component.
fn check_component(text: &str, start: usize, end: usize, extra: &[u8]) -> Result<(), UrlError> {
    let bytes = text.as_bytes().get(start..end).unwrap_or_default();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let ok = if b == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if hex(i + 1) && hex(i + 2) {
                i += 2;
                true
            } else {
                false
            }
        } else {
            b.is_ascii_alphanumeric()
                || matches!(b, b'-' | b'.' | b'_' | b'~')
                || matches!(
                    b,
                    b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
                )
                || extra.contains(&b)
        };
        if !ok {
            return Err(UrlError::InvalidCharacter {
                position: start + i,
            });
        }
        i += 1;
    }
    Ok(())
}

/// RFC 3986 §5.2.4 `remove_dot_segments`.
fn remove_dot_segments(path: &str) -> String {
    fn pop_segment(output: &mut String) {
        match output.rfind('/') {
            Some(slash) => output.truncate(slash),
            None => output.clear(),
        }
    }
    let mut input = path;
    let mut output = String::with_capacity(path.len());
    while !input.is_empty() {
        if let Some(rest) = input.strip_prefix("../") {
            input = rest;
        } else if let Some(rest) = input.strip_prefix("./") {
            input = rest;
        } else if input.starts_with("/./") {
            input = input.get(2..).unwrap_or_default();
        } else if input == "/." {
            input = "/";
        } else if input.starts_with("/../") {
            input = input.get(3..).unwrap_or_default();
            pop_segment(&mut output);
        } else if input == "/.." {
            input = "/";
            pop_segment(&mut output);
        } else if input == "." || input == ".." {
            input = "";
        } else {
            let skip = usize::from(input.starts_with('/'));
            let end = input
                .get(skip..)
                .and_then(|s| s.find('/'))
                .map_or(input.len(), |i| i + skip);
            output.push_str(input.get(..end).unwrap_or_default());
            input = input.get(end..).unwrap_or_default();
        }
    }
    output
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests: a failure names what broke.

    use super::*;

    fn ok(text: &str) -> HttpsUrl {
        HttpsUrl::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn err(text: &str) -> UrlError {
        match HttpsUrl::parse(text) {
            Ok(url) => panic!("{text} was accepted as {url:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn accepts_and_splits() {
        let url = ok("https://example.com");
        assert_eq!(url.host(), "example.com");
        assert_eq!(url.port(), None);
        assert_eq!(url.port_or_default(), 443);
        assert_eq!(url.path(), "");
        assert_eq!(url.query(), None);
        assert_eq!(url.authority(), "example.com");

        let url = ok("https://Sub-1.Example.com:8443/a/b%2Fc;x=1/@:?q=1&r=/?s");
        assert_eq!(url.host(), "Sub-1.Example.com");
        assert_eq!(url.port(), Some(8443));
        assert_eq!(url.authority(), "Sub-1.Example.com:8443");
        assert_eq!(url.path(), "/a/b%2Fc;x=1/@:");
        assert_eq!(url.query(), Some("q=1&r=/?s"));
        assert_eq!(
            url.as_str(),
            "https://Sub-1.Example.com:8443/a/b%2Fc;x=1/@:?q=1&r=/?s"
        );

        let url = ok("https://example.com?x");
        assert_eq!(url.path(), "");
        assert_eq!(url.query(), Some("x"));
        let url = ok("https://example.com/?");
        assert_eq!(url.query(), Some(""));
    }

    #[test]
    fn ip_literals() {
        let url = ok("https://192.0.2.1:444/x");
        assert_eq!(url.host(), "192.0.2.1");
        assert_eq!(url.ip(), Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))));

        let url = ok("https://[2001:db8::1]:8443/x");
        assert_eq!(url.host(), "2001:db8::1");
        assert_eq!(url.authority(), "[2001:db8::1]:8443");
        assert_eq!(url.port(), Some(8443));
        assert!(matches!(url.ip(), Some(IpAddr::V6(_))));

        let url = ok("https://[::ffff:127.0.0.1]/");
        assert_eq!(url.host(), "::ffff:127.0.0.1");

        for bad in [
            "https://127.1/",
            "https://2130706433/",
            "https://0x7f.0.0.1/",
            "https://127.000.000.001/",
            "https://0177.0.0.1/",
            "https://256.0.0.1/",
            "https://1.2.3.4.5/",
            "https://example.123/",
            "https://[fe80::1%25eth0]/",
            "https://[v1.fe80::1]/",
            "https://[::1/",
        ] {
            assert_eq!(HttpsUrl::parse(bad), Err(UrlError::InvalidHost), "{bad}");
        }
        assert_eq!(err("https://[::1]x/"), UrlError::InvalidPort);
        assert_eq!(err("https://::1/"), UrlError::MissingHost);
    }

    #[test]
    fn rejects() {
        assert_eq!(err(""), UrlError::Empty);
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        assert!(matches!(err(&long), UrlError::TooLong { .. }));
        assert_eq!(
            err("https://exa mple.com/"),
            UrlError::InvalidCharacter { position: 11 }
        );
        assert_eq!(
            err("https://example.com/\t"),
            UrlError::InvalidCharacter { position: 20 }
        );
        assert_eq!(
            err("https://example.com/é"),
            UrlError::InvalidCharacter { position: 20 }
        );
        assert_eq!(
            err("https://example.com/a\\b"),
            UrlError::InvalidCharacter { position: 21 }
        );
        assert_eq!(
            err("https://example.com/%zz"),
            UrlError::InvalidCharacter { position: 20 }
        );
        assert_eq!(
            err("https://example.com/%4"),
            UrlError::InvalidCharacter { position: 20 }
        );
        assert_eq!(
            err("https://example.com/?a=<b>"),
            UrlError::InvalidCharacter { position: 23 }
        );
        assert_eq!(err("http://example.com/"), UrlError::NotHttps);
        assert_eq!(err("HTTPS://example.com/"), UrlError::NotHttps);
        assert_eq!(err("ftp://example.com/"), UrlError::NotHttps);
        assert_eq!(err("data:text/plain,hi"), UrlError::NotHttps);
        assert_eq!(err("https:example.com"), UrlError::NotAbsolute);
        assert_eq!(err("//example.com/"), UrlError::NotAbsolute);
        assert_eq!(err("example.com"), UrlError::NotAbsolute);
        assert_eq!(err("https://user@example.com/"), UrlError::UserInfo);
        assert_eq!(err("https://user:pw@example.com/"), UrlError::UserInfo);
        assert_eq!(err("https://example.com/#f"), UrlError::Fragment);
        assert_eq!(err("https://example.com#"), UrlError::Fragment);
        assert_eq!(err("https:///path"), UrlError::MissingHost);
        assert_eq!(err("https://:443/"), UrlError::MissingHost);
        assert_eq!(err("https://example.com:/"), UrlError::InvalidPort);
        assert_eq!(err("https://example.com:0/"), UrlError::InvalidPort);
        assert_eq!(err("https://example.com:65536/"), UrlError::InvalidPort);
        assert_eq!(err("https://example.com:+443/"), UrlError::InvalidPort);
        assert_eq!(err("https://example.com:443:1/"), UrlError::InvalidPort);
        for bad in [
            "https://-a.example/",
            "https://a-.example/",
            "https://a..example/",
            "https://example.com./",
            "https://.example.com/",
            "https://a_b.example/",
            "https://exa%6dple.com/",
        ] {
            assert_eq!(err(bad), UrlError::InvalidHost, "{bad}");
        }
        let label = "a".repeat(64);
        assert_eq!(
            err(&format!("https://{label}.example/")),
            UrlError::InvalidHost
        );
        let long_name = ["abcdefghi"; 26].join(".");
        assert_eq!(err(&format!("https://{long_name}/")), UrlError::InvalidHost);
    }

    #[test]
    fn loopback_http_opt_in() {
        assert_eq!(err("http://127.0.0.1:8080/"), UrlError::NotHttps);
        let url = HttpsUrl::danger_parse_loopback_http("http://127.0.0.1:8080/x").unwrap();
        assert!(!url.is_https());
        assert_eq!(url.scheme(), "http");
        assert_eq!(url.port_or_default(), 8080);
        assert!(HttpsUrl::danger_parse_loopback_http("http://[::1]/").is_ok());
        assert!(HttpsUrl::danger_parse_loopback_http("http://127.9.9.9/").is_ok());
        for bad in [
            "http://localhost/",
            "http://10.0.0.1/",
            "http://example.com/",
            "http://[::ffff:127.0.0.1]/",
        ] {
            assert_eq!(
                HttpsUrl::danger_parse_loopback_http(bad),
                Err(UrlError::NotHttps),
                "{bad}"
            );
        }
        assert!(HttpsUrl::danger_parse_loopback_http("https://example.com/").is_ok());
    }

    /// SD-JWT VC §"JWT VC Issuer Metadata Request", figures GET and GET1234.
    #[test]
    fn well_known_examples() {
        let url = HttpsUrl::jwt_vc_issuer_metadata_url("https://example.com").unwrap();
        assert_eq!(
            url.as_str(),
            "https://example.com/.well-known/jwt-vc-issuer"
        );
        assert_eq!(url.host(), "example.com");
        assert_eq!(url.path(), "/.well-known/jwt-vc-issuer");

        let url = HttpsUrl::jwt_vc_issuer_metadata_url("https://example.com/tenant/1234").unwrap();
        assert_eq!(
            url.as_str(),
            "https://example.com/.well-known/jwt-vc-issuer/tenant/1234"
        );
        assert_eq!(url.path(), "/.well-known/jwt-vc-issuer/tenant/1234");
    }

    #[test]
    fn well_known_rules() {
        let wk = |iss: &str| HttpsUrl::jwt_vc_issuer_metadata_url(iss).map(|u| u.to_string());
        assert_eq!(
            wk("https://example.com/").as_deref(),
            Ok("https://example.com/.well-known/jwt-vc-issuer")
        );
        assert_eq!(
            wk("https://example.com/tenant/1234/").as_deref(),
            Ok("https://example.com/.well-known/jwt-vc-issuer/tenant/1234")
        );
        assert_eq!(
            wk("https://example.com:8443/t//").as_deref(),
            Ok("https://example.com:8443/.well-known/jwt-vc-issuer/t")
        );
        assert_eq!(
            wk("https://[2001:db8::1]/t").as_deref(),
            Ok("https://[2001:db8::1]/.well-known/jwt-vc-issuer/t")
        );
        assert_eq!(wk("https://example.com/?a=b"), Err(UrlError::Query));
        assert_eq!(wk("https://example.com/t?"), Err(UrlError::Query));
        assert_eq!(wk("https://example.com/#x"), Err(UrlError::Fragment));
        assert_eq!(wk("http://example.com"), Err(UrlError::NotHttps));
        assert_eq!(wk("http://127.0.0.1"), Err(UrlError::NotHttps));

        let local = HttpsUrl::danger_parse_loopback_http("http://127.0.0.1:9/i").unwrap();
        assert_eq!(
            local.jwt_vc_issuer_metadata().unwrap().as_str(),
            "http://127.0.0.1:9/.well-known/jwt-vc-issuer/i"
        );
    }

    #[test]
    fn dot_segments() {
        // RFC 3986 §5.2.4 examples.
        assert_eq!(remove_dot_segments("/a/b/c/./../../g"), "/a/g");
        assert_eq!(remove_dot_segments("mid/content=5/../6"), "mid/6");
        assert_eq!(remove_dot_segments("/../a"), "/a");
        assert_eq!(remove_dot_segments("/a/.."), "/");
        assert_eq!(remove_dot_segments("/a/."), "/a/");
        assert_eq!(remove_dot_segments("/a//b"), "/a//b");
    }

    /// RFC 3986 §5.4.1 normal examples (those without a fragment or another scheme), against
    /// an https base.
    #[test]
    fn reference_resolution() {
        let base = ok("https://a.example/b/c/d;p?q");
        let cases = [
            ("g", "https://a.example/b/c/g"),
            ("./g", "https://a.example/b/c/g"),
            ("g/", "https://a.example/b/c/g/"),
            ("/g", "https://a.example/g"),
            ("//g.example", "https://g.example"),
            ("?y", "https://a.example/b/c/d;p?y"),
            ("g?y", "https://a.example/b/c/g?y"),
            ("#s", "https://a.example/b/c/d;p?q"),
            ("g#s", "https://a.example/b/c/g"),
            (";x", "https://a.example/b/c/;x"),
            ("", "https://a.example/b/c/d;p?q"),
            (".", "https://a.example/b/c/"),
            ("./", "https://a.example/b/c/"),
            ("..", "https://a.example/b/"),
            ("../", "https://a.example/b/"),
            ("../g", "https://a.example/b/g"),
            ("../..", "https://a.example/"),
            ("../../g", "https://a.example/g"),
            ("../../../g", "https://a.example/g"),
            ("/./g", "https://a.example/g"),
            ("g.", "https://a.example/b/c/g."),
            ("g..", "https://a.example/b/c/g.."),
            ("./../g", "https://a.example/b/g"),
            ("g/../h", "https://a.example/b/c/h"),
            ("https://other.example/x", "https://other.example/x"),
        ];
        for (reference, expected) in cases {
            let resolved = if reference.is_empty() {
                // An empty Location is refused by check_text; resolve the RFC case by hand.
                assert_eq!(base.resolve_reference(reference), Err(UrlError::Empty));
                continue;
            } else {
                base.resolve_reference(reference)
            };
            assert_eq!(
                resolved.map(|u| u.to_string()).as_deref(),
                Ok(expected),
                "{reference}"
            );
        }
        let root = ok("https://a.example");
        assert_eq!(
            root.resolve_reference("g").unwrap().as_str(),
            "https://a.example/g"
        );
        assert_eq!(
            base.resolve_reference("http://a.example/"),
            Err(UrlError::NotHttps)
        );
        assert_eq!(
            base.resolve_reference("//user@a.example/"),
            Err(UrlError::UserInfo)
        );
        assert!(base.resolve_reference("g h").is_err());
        // A loopback http target stays possible (the resolver decides), other http is not.
        assert!(base.resolve_reference("http://127.0.0.1:1/").is_ok());
        let local = HttpsUrl::danger_parse_loopback_http("http://127.0.0.1:5/a/b").unwrap();
        assert_eq!(
            local.resolve_reference("c").unwrap().as_str(),
            "http://127.0.0.1:5/a/c"
        );
    }

    #[test]
    fn traits() {
        let url: HttpsUrl = "https://example.com/x".parse().unwrap();
        assert_eq!(url.to_string(), "https://example.com/x");
        assert_eq!(format!("{url:?}"), "HttpsUrl(\"https://example.com/x\")");
        assert_eq!(HttpsUrl::try_from("https://example.com/x"), Ok(url.clone()));
        assert_eq!(url.as_ref(), "https://example.com/x");
    }
}
