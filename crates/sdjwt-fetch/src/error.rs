//! The error types of `sdjwt-fetch`.

use core::fmt;
use std::net::IpAddr;

/// Why text is not an acceptable [`HttpsUrl`](crate::HttpsUrl).
///
/// Positions are byte offsets into the text that was parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// The text is empty.
    Empty,
    /// The text is longer than [`MAX_URL_LEN`](crate::url::MAX_URL_LEN).
    TooLong {
        /// The length of the text in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A byte that may not appear in a URL: whitespace, a control character, a non-ASCII byte,
    /// or an ASCII character RFC 3986 §2 does not allow in that component (such as `\`, `"`,
    /// `<`, `{` or `%` not followed by two hexadecimal digits).
    InvalidCharacter {
        /// Where the byte is.
        position: usize,
    },
    /// The scheme is not `https` (SD-JWT VC §"Retrieving Documents and Resources via HTTP":
    /// "All URLs dereferenced according to this specification MUST use the HTTPS scheme").
    /// Plain `http` is accepted only by
    /// [`HttpsUrl::danger_parse_loopback_http`](crate::HttpsUrl::danger_parse_loopback_http)
    /// and only for a loopback IP literal.
    NotHttps,
    /// The text is not an absolute URL with an authority (`https://host...`).
    NotAbsolute,
    /// The authority has a userinfo part (`user@host`), which is refused: it has no place in
    /// an identifier, and `https://trusted.example@evil.example/` is a classic deception.
    UserInfo,
    /// The URL has a fragment (`#...`). None of the URLs this crate dereferences may have one.
    Fragment,
    /// The URL has a query, where none is allowed (the `iss` value, SD-JWT VC §"JWT VC Issuer
    /// Metadata": "no query or fragment components").
    Query,
    /// The authority has no host.
    MissingHost,
    /// The host is neither a DNS name (letters, digits and hyphens in labels of 1 to 63
    /// characters, at most 253 characters in all) nor an IPv4 or IPv6 literal. A host that
    /// ends in a numeric label must be a dotted-quad IPv4 address: forms like `127.1` or
    /// `0x7f.0.0.1`, which some resolvers read as IPv4 addresses, are refused.
    InvalidHost,
    /// The port is empty, not a decimal number, zero, or larger than 65535.
    InvalidPort,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the URL is empty"),
            Self::TooLong { len, limit } => {
                write!(
                    f,
                    "the URL is {len} bytes long, more than the limit of {limit}"
                )
            }
            Self::InvalidCharacter { position } => {
                write!(f, "the URL has a forbidden character at byte {position}")
            }
            Self::NotHttps => f.write_str("the URL does not use the https scheme"),
            Self::NotAbsolute => f.write_str("the URL is not an absolute URL with a host"),
            Self::UserInfo => f.write_str("the URL has a userinfo part"),
            Self::Fragment => f.write_str("the URL has a fragment"),
            Self::Query => f.write_str("the URL has a query, where none is allowed"),
            Self::MissingHost => f.write_str("the URL has no host"),
            Self::InvalidHost => f.write_str("the URL host is not a DNS name or an IP literal"),
            Self::InvalidPort => f.write_str("the URL port is not a number from 1 to 65535"),
        }
    }
}

impl std::error::Error for UrlError {}

/// Everything that can go wrong when retrieving a document.
///
/// Refusals of the URL or of an address ([`FetchError::InvalidUrl`], [`FetchError::NotHttps`],
/// [`FetchError::ForbiddenHost`], [`FetchError::ForbiddenAddress`]), failures of the exchange
/// ([`FetchError::Timeout`], [`FetchError::Transport`], [`FetchError::Tls`]) and responses that
/// must not be used ([`FetchError::Status`], [`FetchError::TooLarge`],
/// [`FetchError::WrongMediaType`], ...) are distinct.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchError {
    /// The URL (or a redirect target) is not an acceptable URL.
    InvalidUrl(UrlError),
    /// The URL or a redirect target uses `http`, which is refused (SD-JWT VC §"Retrieving
    /// Documents and Resources via HTTP": "MUST NOT follow redirects to URLs not using the
    /// HTTPS scheme"). Plain `http` to a loopback address is possible only with
    /// `HttpConfig::danger_allow_loopback_http` (feature `http`).
    NotHttps {
        /// The refused URL.
        url: String,
    },
    /// The host name designates something internal (`localhost`, a single-label name, or a
    /// name under a suffix reserved for local use such as `.local` or `.internal`), SD-JWT VC
    /// §"Server-Side Request Forgery".
    ForbiddenHost {
        /// The host as written in the URL.
        host: String,
    },
    /// The host is, or resolves to, an address that is not globally reachable (loopback,
    /// private-use, link-local, unique-local, CGNAT, multicast, ... and IPv4-mapped forms of
    /// those), SD-JWT VC §"Server-Side Request Forgery".
    ForbiddenAddress {
        /// The host as written in the URL.
        host: String,
        /// The refused address.
        addr: IpAddr,
    },
    /// The host name does not resolve to any address.
    HostNotFound {
        /// The host as written in the URL.
        host: String,
    },
    /// The retrieval did not finish within the configured time (SD-JWT VC §"Retrieving
    /// Documents and Resources via HTTP": retrievals "MUST" be time-bound).
    Timeout,
    /// The response content is larger than the limit for its kind of resource (size-bound
    /// retrieval, same section). It is refused as soon as the announced length or the bytes
    /// read pass the limit; the rest is never read.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The server answered with a status code other than 200 or 203. The content of an error
    /// response is never used (same section: "MUST NOT use the content of an error response").
    Status {
        /// The status code.
        code: u16,
    },
    /// More redirects than allowed for one retrieval (same section: "MUST limit the number of
    /// redirects followed").
    TooManyRedirects {
        /// The limit.
        limit: u32,
    },
    /// A redirect response without a usable `Location` (missing, or not a URL reference this
    /// crate accepts).
    InvalidRedirect {
        /// The redirect status code.
        code: u16,
        /// Why the `Location` is not usable; `None` when it is missing.
        reason: Option<UrlError>,
    },
    /// The response does not have the media type defined for the resource (lenient on
    /// parameters such as `charset`, strict on type and subtype).
    WrongMediaType {
        /// The media type (or types, separated by `, `) accepted for this kind of resource.
        expected: &'static str,
        /// The received `Content-Type` (at most 128 bytes of it), or `None` when missing.
        got: Option<String>,
    },
    /// The response has a `Content-Encoding` this crate does not decode (none is asked for;
    /// the resolver sends no `Accept-Encoding`).
    UnsupportedContentEncoding {
        /// The received `Content-Encoding` (at most 128 bytes of it).
        encoding: String,
    },
    /// No document is known for the URL (a [`StaticResolver`](crate::StaticResolver) without
    /// an entry for it).
    NotFound {
        /// The URL.
        url: String,
    },
    /// A custom root certificate could not be used as a trust anchor.
    InvalidRootCertificate {
        /// Why.
        reason: String,
    },
    /// The TLS handshake failed (for example, the certificate is not trusted or does not name
    /// the host).
    Tls(String),
    /// The connection or the HTTP exchange failed.
    Transport(String),
}

impl From<UrlError> for FetchError {
    fn from(error: UrlError) -> Self {
        Self::InvalidUrl(error)
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidUrl(e) => write!(f, "invalid URL: {e}"),
            Self::NotHttps { url } => write!(f, "refused non-https URL {url}"),
            Self::ForbiddenHost { host } => write!(f, "refused internal host name {host}"),
            Self::ForbiddenAddress { host, addr } => {
                write!(
                    f,
                    "refused {host}: address {addr} is not globally reachable"
                )
            }
            Self::HostNotFound { host } => write!(f, "host {host} not found"),
            Self::Timeout => f.write_str("the retrieval timed out"),
            Self::TooLarge { limit } => {
                write!(f, "the response is larger than the limit of {limit} bytes")
            }
            Self::Status { code } => write!(f, "the server answered with status {code}"),
            Self::TooManyRedirects { limit } => {
                write!(f, "more than {limit} redirects")
            }
            Self::InvalidRedirect { code, reason: None } => {
                write!(f, "redirect {code} without a Location")
            }
            Self::InvalidRedirect {
                code,
                reason: Some(e),
            } => write!(f, "redirect {code} to an invalid Location: {e}"),
            Self::WrongMediaType {
                expected,
                got: Some(got),
            } => write!(f, "expected media type {expected}, got {got}"),
            Self::WrongMediaType {
                expected,
                got: None,
            } => {
                write!(f, "expected media type {expected}, got no Content-Type")
            }
            Self::UnsupportedContentEncoding { encoding } => {
                write!(f, "unsupported Content-Encoding {encoding}")
            }
            Self::NotFound { url } => write!(f, "no document for {url}"),
            Self::InvalidRootCertificate { reason } => {
                write!(f, "invalid root certificate: {reason}")
            }
            Self::Tls(message) => write!(f, "TLS failure: {message}"),
            Self::Transport(message) => write!(f, "transport failure: {message}"),
        }
    }
}

impl std::error::Error for FetchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidUrl(e) => Some(e),
            Self::InvalidRedirect {
                reason: Some(e), ..
            } => Some(e),
            _ => None,
        }
    }
}

/// At most `MAX` bytes of a header value taken from a response, cut at a character boundary,
/// so that an error does not carry an attacker-sized string.
pub(crate) fn truncated(value: &str) -> String {
    const MAX: usize = 128;
    if value.len() <= MAX {
        return value.to_owned();
    }
    let mut end = MAX;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    value.get(..end).unwrap_or_default().to_owned()
}
