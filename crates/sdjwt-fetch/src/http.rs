//! [`HttpResolver`]: retrieval over HTTPS with `ureq` and rustls (aws-lc-rs), following SD-JWT
//! VC §"Retrieving Documents and Resources via HTTP" and §"Server-Side Request Forgery", and
//! draft-ietf-oauth-status-list-20 §8 ("Status List Request" / "Status List Response") and
//! §11.4 ("Redirection 3xx"). Feature `http`.
//!
//! What a retrieval does:
//!
//! 1. Refuses a URL that is not `https` ([`FetchError::NotHttps`]) and checks its host with
//!    [`AddressPolicy::check_host`] (internal names, IP literals).
//! 2. Resolves the host (a DNS name is looked up with a trailing dot, so that the local
//!    search list cannot turn it into an internal name; `localhost`, allowed only by the
//!    loopback opt-in, is looked up as it is) and checks **every** address with
//!    [`AddressPolicy::check_address`] inside the name resolution of the HTTP client: the
//!    addresses checked are the addresses connected to, so DNS rebinding between check and
//!    connection is not possible. One forbidden address refuses the host. No proxy is used
//!    (a proxy would resolve names itself).
//! 3. Sends `GET` with `Accept` for the [`ResourceKind`], `User-Agent: sdjwt/<version>`, no
//!    cookies, no credentials, no `Accept-Encoding`.
//! 4. Follows redirects itself (301, 302, 303, 307, 308), at most
//!    [`HttpConfig::max_redirects`] of them, repeating steps 1–3 for each target; the
//!    response body of a redirect is not read.
//! 5. Uses only a 200 or 203 response ([`FetchError::Status`] otherwise, its body unread),
//!    with no `Content-Encoding` (other than `identity`) and with the media type of the kind.
//! 6. Reads the body up to the size limit of the kind: a larger `Content-Length` is refused
//!    before reading, and a body without one is cut off one byte past the limit.
//! 7. Computes freshness from the caching headers ([`FetchResponse::with_cache_headers`]).
//!
//! Everything happens within [`HttpConfig::total_timeout`] (all redirects included); connect
//! and each read are bounded by their own timeouts too.
//!
//! TLS: rustls with the aws-lc-rs provider, TLS 1.2 and 1.3; trust anchors are the Mozilla
//! roots of `webpki-root-certs` plus any added with [`HttpConfig::add_root_certificate_der`]
//! or [`HttpConfig::add_root_certificates_pem`] (private PKI), or only the added ones after
//! [`HttpConfig::without_public_roots`].

use core::fmt;
use std::io::{self, Read};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use ureq::Agent;
use ureq::config::AutoHeaderValue;
use ureq::http::{HeaderMap, Uri};
use ureq::tls::{Certificate, RootCerts, TlsConfig, TlsProvider};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::error::{FetchError, UrlError, truncated};
use crate::freshness::CacheHeaders;
use crate::resolver::{FetchRequest, FetchResponse, Resolver, ResourceKind};
use crate::ssrf::AddressPolicy;
use crate::url::HttpsUrl;

/// The `User-Agent` sent with every request.
pub const USER_AGENT: &str = concat!("sdjwt/", env!("CARGO_PKG_VERSION"));

/// Configuration of an [`HttpResolver`]. Every default has a reason:
///
/// * connect timeout 5 s and read timeout 5 s (each read, and the wait for the response
///   head): a server that answers at all answers well within that;
/// * total timeout 10 s for one retrieval, redirects included (SD-JWT VC: retrievals are
///   "time-bound");
/// * at most 3 redirects: the status list draft says clients SHOULD follow redirects, and
///   SD-JWT VC requires a limit; 3 allows a move plus a CDN hop;
/// * size limits ("size-bound"): 1 MiB for issuer metadata, JWK Sets and type metadata (real
///   ones are a few KiB), 16 MiB for status lists (a 1-bit list of 100 million entries at the
///   worst revocation rate compresses to 11.9 MB, about 15.9 MB once base64url-encoded in a
///   JWT: draft-ietf-oauth-status-list-20 appendix "Size Comparison", §13.4 "Status List
///   Size");
/// * trust anchors: the Mozilla root program (`webpki-root-certs`).
#[derive(Clone)]
pub struct HttpConfig {
    connect_timeout: Duration,
    read_timeout: Duration,
    total_timeout: Duration,
    max_redirects: u32,
    size_limits: [u64; 4],
    extra_roots: Vec<CertificateDer<'static>>,
    public_roots: bool,
    policy: AddressPolicy,
}

impl Default for HttpConfig {
    fn default() -> Self {
        const MIB: u64 = 1024 * 1024;
        Self {
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(10),
            max_redirects: 3,
            size_limits: [MIB, MIB, MIB, 16 * MIB],
            extra_roots: Vec::new(),
            public_roots: true,
            policy: AddressPolicy::GlobalOnly,
        }
    }
}

fn kind_index(kind: ResourceKind) -> usize {
    match kind {
        ResourceKind::IssuerMetadata => 0,
        ResourceKind::JwkSet => 1,
        ResourceKind::TypeMetadata => 2,
        ResourceKind::StatusList => 3,
    }
}

impl HttpConfig {
    /// Sets the timeout for name resolution and for establishing a connection (TCP and TLS).
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the timeout for sending the request, for the response head, and for each read of
    /// the body.
    #[must_use]
    pub fn with_read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Sets the time one retrieval may take in all, redirects and body included.
    #[must_use]
    pub fn with_total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = timeout;
        self
    }

    /// Sets how many redirects one retrieval may follow (0: none; a redirect is then
    /// [`FetchError::TooManyRedirects`]).
    #[must_use]
    pub fn with_max_redirects(mut self, max: u32) -> Self {
        self.max_redirects = max;
        self
    }

    /// Sets the largest response body accepted for `kind`, in bytes.
    #[must_use]
    pub fn with_size_limit(mut self, kind: ResourceKind, bytes: u64) -> Self {
        if let Some(limit) = self.size_limits.get_mut(kind_index(kind)) {
            *limit = bytes;
        }
        self
    }

    /// Adds a trust anchor, as a DER certificate (for a private PKI). It is checked when the
    /// resolver is built ([`HttpResolver::new`]).
    #[must_use]
    pub fn add_root_certificate_der(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.extra_roots.push(CertificateDer::from(der.into()));
        self
    }

    /// Adds every `CERTIFICATE` in PEM text as a trust anchor (other PEM sections are
    /// ignored).
    ///
    /// # Errors
    ///
    /// [`FetchError::InvalidRootCertificate`] when the PEM is malformed or holds no
    /// certificate.
    pub fn add_root_certificates_pem(mut self, pem: &[u8]) -> Result<Self, FetchError> {
        let before = self.extra_roots.len();
        for certificate in CertificateDer::pem_slice_iter(pem) {
            let certificate = certificate.map_err(|e| FetchError::InvalidRootCertificate {
                reason: e.to_string(),
            })?;
            self.extra_roots.push(certificate);
        }
        if self.extra_roots.len() == before {
            return Err(FetchError::InvalidRootCertificate {
                reason: "no CERTIFICATE in the PEM text".to_owned(),
            });
        }
        Ok(self)
    }

    /// Trusts only the added root certificates, not the Mozilla roots (a closed private PKI).
    #[must_use]
    pub fn without_public_roots(mut self) -> Self {
        self.public_roots = false;
        self
    }

    /// Allows connections to loopback addresses (`127.0.0.0/8`, `::1`, the name `localhost`)
    /// and plain `http` to a loopback IP literal ([`AddressPolicy::DangerAllowLoopback`]).
    /// Every other rule stays: private, link-local and other internal addresses are still
    /// refused, and so is `http` to anything but loopback.
    ///
    /// <div class="warning">
    ///
    /// For tests against a server on the local machine only. With this, a credential can make
    /// the process send requests to services on its own machine, unencrypted.
    ///
    /// </div>
    #[must_use]
    pub fn danger_allow_loopback_http(mut self) -> Self {
        self.policy = AddressPolicy::DangerAllowLoopback;
        self
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The read timeout.
    pub fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// The total timeout of one retrieval.
    pub fn total_timeout(&self) -> Duration {
        self.total_timeout
    }

    /// The most redirects one retrieval follows.
    pub fn max_redirects(&self) -> u32 {
        self.max_redirects
    }

    /// The largest body accepted for `kind`, in bytes.
    pub fn size_limit(&self, kind: ResourceKind) -> u64 {
        self.size_limits
            .get(kind_index(kind))
            .copied()
            .unwrap_or_default()
    }

    /// The address policy.
    pub fn address_policy(&self) -> AddressPolicy {
        self.policy
    }
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpConfig")
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("max_redirects", &self.max_redirects)
            .field("size_limits", &self.size_limits)
            .field("extra_roots", &self.extra_roots.len())
            .field("public_roots", &self.public_roots)
            .field("policy", &self.policy)
            .finish()
    }
}

/// A [`Resolver`] that retrieves documents over HTTPS (see the [module docs](self) for every
/// step). Cheap to clone (the connection pool is shared); put a
/// [`CachingResolver`](crate::CachingResolver) around it to reuse fresh responses.
///
/// ```no_run
/// use sdjwt_fetch::{FetchRequest, HttpConfig, HttpResolver, HttpsUrl, Resolver, ResourceKind};
///
/// let resolver = HttpResolver::new(HttpConfig::default())?;
/// let url = HttpsUrl::jwt_vc_issuer_metadata_url("https://issuer.example.com")?;
/// let now = std::time::SystemTime::now()
///     .duration_since(std::time::UNIX_EPOCH)?
///     .as_secs();
/// let metadata = resolver.fetch(&FetchRequest::new(url, ResourceKind::IssuerMetadata), now)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct HttpResolver {
    agent: Agent,
    config: HttpConfig,
}

impl HttpResolver {
    /// Builds the resolver.
    ///
    /// # Errors
    ///
    /// [`FetchError::InvalidRootCertificate`] when an added root certificate cannot be used
    /// as a trust anchor.
    pub fn new(config: HttpConfig) -> Result<Self, FetchError> {
        let mut roots: Vec<Certificate<'static>> = Vec::new();
        if config.public_roots {
            roots.extend(
                webpki_root_certs::TLS_SERVER_ROOT_CERTS
                    .iter()
                    .map(|der| Certificate::from_der(der.as_ref())),
            );
        }
        for der in &config.extra_roots {
            // ureq skips certificates it cannot parse; check them here so that a bad one is an
            // error instead of a silently missing anchor.
            RootCertStore::empty().add(der.clone()).map_err(|e| {
                FetchError::InvalidRootCertificate {
                    reason: e.to_string(),
                }
            })?;
            roots.push(Certificate::from_der(der.as_ref()).to_owned());
        }
        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .unversioned_rustls_crypto_provider(Arc::new(
                rustls::crypto::aws_lc_rs::default_provider(),
            ))
            .root_certs(RootCerts::Specific(Arc::new(roots)))
            .build();
        let agent_config = Agent::config_builder()
            .http_status_as_error(false)
            .https_only(config.policy != AddressPolicy::DangerAllowLoopback)
            .proxy(None)
            .max_redirects(0)
            .user_agent(USER_AGENT)
            .accept_encoding(AutoHeaderValue::None)
            .timeout_resolve(Some(config.connect_timeout))
            .timeout_connect(Some(config.connect_timeout))
            .timeout_send_request(Some(config.read_timeout))
            .timeout_recv_response(Some(config.read_timeout))
            .timeout_recv_body(Some(config.read_timeout))
            .tls_config(tls)
            .build();
        let agent = Agent::with_parts(
            agent_config,
            DefaultConnector::default(),
            CheckedResolver {
                policy: config.policy,
            },
        );
        Ok(Self { agent, config })
    }

    /// The configuration.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Steps 1 and 3 to 5 for one URL; `Ok(Err(target))` for a redirect to follow.
    fn exchange(
        &self,
        url: &HttpsUrl,
        kind: ResourceKind,
        deadline: Instant,
    ) -> Result<Result<ureq::http::Response<ureq::Body>, HttpsUrl>, FetchError> {
        if !url.is_https() && self.config.policy != AddressPolicy::DangerAllowLoopback {
            return Err(FetchError::NotHttps {
                url: url.as_str().to_owned(),
            });
        }
        self.config.policy.check_host(url)?;
        let remaining = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or(FetchError::Timeout)?;
        let response = self
            .agent
            .get(url.as_str())
            .header("Accept", kind.accept())
            .config()
            .timeout_global(Some(remaining))
            .build()
            .call()
            .map_err(|e| map_error(e, url.host()))?;
        let code = response.status().as_u16();
        match code {
            200 | 203 => Ok(Ok(response)),
            301 | 302 | 303 | 307 | 308 => {
                let location = response
                    .headers()
                    .get("location")
                    .ok_or(FetchError::InvalidRedirect { code, reason: None })?;
                let location = location.to_str().map_err(|_| FetchError::InvalidRedirect {
                    code,
                    reason: Some(UrlError::InvalidCharacter { position: 0 }),
                })?;
                match url.resolve_reference(location) {
                    Ok(target) => Ok(Err(target)),
                    Err(UrlError::NotHttps) => Err(FetchError::NotHttps {
                        url: truncated(location),
                    }),
                    Err(reason) => Err(FetchError::InvalidRedirect {
                        code,
                        reason: Some(reason),
                    }),
                }
            }
            _ => Err(FetchError::Status { code }),
        }
    }
}

impl fmt::Debug for HttpResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResolver")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Resolver for HttpResolver {
    fn fetch(&self, request: &FetchRequest, now: u64) -> Result<FetchResponse, FetchError> {
        let deadline = Instant::now() + self.config.total_timeout;
        let mut url = request.url.clone();
        let mut redirects = 0;
        let response = loop {
            match self.exchange(&url, request.kind, deadline)? {
                Ok(response) => break response,
                Err(target) => {
                    if redirects >= self.config.max_redirects {
                        return Err(FetchError::TooManyRedirects {
                            limit: self.config.max_redirects,
                        });
                    }
                    redirects += 1;
                    url = target;
                }
            }
        };

        let headers = response.headers();
        if let Some(encoding) = headers.get("content-encoding") {
            let encoding = String::from_utf8_lossy(encoding.as_bytes());
            if !encoding.trim().eq_ignore_ascii_case("identity") {
                return Err(FetchError::UnsupportedContentEncoding {
                    encoding: truncated(&encoding),
                });
            }
        }
        let media_type = header_text(headers, "content-type");
        request.kind.check_media_type(media_type)?;
        let media_type = media_type.map(str::to_owned);

        let cache_control = joined_header(headers, "cache-control");
        let stale = cache_control.is_err();
        let cache_control = cache_control.ok().flatten();
        let cache_headers = CacheHeaders {
            cache_control: cache_control.as_deref(),
            expires: header_text(headers, "expires"),
            date: header_text(headers, "date"),
            age: header_text(headers, "age"),
        };
        let template = FetchResponse::new(Vec::new(), None, now).with_cache_headers(&cache_headers);

        let limit = self.config.size_limit(request.kind);
        let body = read_body(response.into_body(), limit, &url, deadline)?;

        let mut result = FetchResponse::new(body, media_type, now);
        result.no_store = template.no_store;
        result.fresh_until = if stale {
            Some(now)
        } else {
            template.fresh_until
        };
        Ok(result)
    }
}

/// Step 6: the body, at most `limit` bytes.
fn read_body(
    body: ureq::Body,
    limit: u64,
    url: &HttpsUrl,
    deadline: Instant,
) -> Result<Vec<u8>, FetchError> {
    if body.content_length().is_some_and(|length| length > limit) {
        return Err(FetchError::TooLarge { limit });
    }
    // Grow as bytes arrive rather than trusting Content-Length for the allocation.
    let initial = body.content_length().unwrap_or(0).min(limit).min(64 * 1024);
    let mut buffer = Vec::with_capacity(usize::try_from(initial).unwrap_or(0));
    let mut reader = body.into_reader().take(limit.saturating_add(1));
    let mut chunk = [0u8; 16 * 1024];
    // Each read is bounded by the read timeout; the deadline bounds them all, so a server
    // that trickles a byte at a time cannot hold the retrieval open (SD-JWT VC §3:
    // "time-bound").
    loop {
        if Instant::now() >= deadline {
            return Err(FetchError::Timeout);
        }
        let n = reader
            .read(&mut chunk)
            .map_err(|e| map_io_error(e, url.host()))?;
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
    if u64::try_from(buffer.len()).map_or(true, |len| len > limit) {
        return Err(FetchError::TooLarge { limit });
    }
    Ok(buffer)
}

/// The first value of a header, when it is visible ASCII text.
fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Every line of a header joined with `", "` (RFC 9110 §5.3); `Err` when one is not text.
fn joined_header(headers: &HeaderMap, name: &str) -> Result<Option<String>, ()> {
    let mut joined: Option<String> = None;
    for value in headers.get_all(name) {
        let text = value.to_str().map_err(|_| ())?;
        match &mut joined {
            Some(joined) => {
                joined.push_str(", ");
                joined.push_str(text);
            }
            None => joined = Some(text.to_owned()),
        }
    }
    Ok(joined)
}

fn map_error(error: ureq::Error, host: &str) -> FetchError {
    match error {
        ureq::Error::Timeout(_) => FetchError::Timeout,
        ureq::Error::HostNotFound => FetchError::HostNotFound {
            host: host.to_owned(),
        },
        ureq::Error::Other(inner) => match inner.downcast::<FetchError>() {
            Ok(fetch_error) => *fetch_error,
            Err(other) => FetchError::Transport(other.to_string()),
        },
        ureq::Error::Io(e) => map_io_error(e, host),
        ureq::Error::Tls(message) => FetchError::Tls(message.to_owned()),
        ureq::Error::Rustls(e) => FetchError::Tls(e.to_string()),
        ureq::Error::BodyExceedsLimit(limit) => FetchError::TooLarge { limit },
        other => FetchError::Transport(other.to_string()),
    }
}

fn map_io_error(error: io::Error, host: &str) -> FetchError {
    if matches!(
        error.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    ) {
        return FetchError::Timeout;
    }
    // rustls reports handshake failures through the stream as I/O errors.
    if let Some(tls) = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return FetchError::Tls(tls.to_string());
    }
    match ureq::Error::from(error) {
        ureq::Error::Io(e) => FetchError::Transport(e.to_string()),
        other => map_error(other, host),
    }
}

/// Name resolution that checks every address (step 2). It runs inside the HTTP client, on the
/// URL actually requested, and what it returns is what the client connects to.
#[derive(Debug)]
struct CheckedResolver {
    policy: AddressPolicy,
}

impl ureq::unversioned::resolver::Resolver for CheckedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let is_literal = bare.parse::<std::net::IpAddr>().is_ok();
        // `localhost` reaches here only under the loopback opt-in (`check_host` refuses it
        // otherwise); it lives in the hosts file, which an absolute `localhost.` may miss.
        let resolved = if is_literal || bare.eq_ignore_ascii_case("localhost") {
            DefaultResolver::default().resolve(uri, config, timeout)
        } else {
            // A trailing dot makes the name absolute: no search-list expansion.
            let authority = match uri.port_u16() {
                Some(port) => format!("{host}.:{port}"),
                None => format!("{host}."),
            };
            let absolute = Uri::builder()
                .scheme(uri.scheme_str().unwrap_or("https"))
                .authority(authority)
                .path_and_query("/")
                .build()
                .map_err(|_| ureq::Error::HostNotFound)?;
            DefaultResolver::default().resolve(&absolute, config, timeout)
        };
        let addrs = match resolved {
            Ok(addrs) => addrs,
            Err(ureq::Error::Io(_)) => return Err(ureq::Error::HostNotFound),
            Err(e) => return Err(e),
        };
        for addr in addrs.iter() {
            self.policy
                .check_address(bare, addr.ip())
                .map_err(|e| ureq::Error::Other(Box::new(e)))?;
        }
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests: a failure names what broke.

    use ureq::unversioned::resolver::Resolver as _;
    use ureq::unversioned::transport::time;

    use super::*;

    fn resolve(policy: AddressPolicy, uri: &str) -> Result<ResolvedSocketAddrs, FetchError> {
        let uri: Uri = uri.parse().unwrap();
        let timeout = NextTimeout {
            after: time::Duration::Exact(Duration::from_secs(5)),
            reason: ureq::Timeout::Resolve,
        };
        CheckedResolver { policy }
            .resolve(&uri, &ureq::config::Config::default(), timeout)
            .map_err(|e| map_error(e, "host"))
    }

    /// The check inside name resolution, which is what stands between a DNS answer and the
    /// connection (IP literals are refused earlier by `check_host`, but not only there).
    #[test]
    fn resolver_checks_every_address() {
        assert_eq!(
            resolve(AddressPolicy::GlobalOnly, "https://127.0.0.1:1/").map(|a| a.len()),
            Err(FetchError::ForbiddenAddress {
                host: "127.0.0.1".to_owned(),
                addr: "127.0.0.1".parse().unwrap()
            })
        );
        assert!(matches!(
            resolve(AddressPolicy::GlobalOnly, "https://[::ffff:10.0.0.1]:1/"),
            Err(FetchError::ForbiddenAddress { .. })
        ));
        assert!(matches!(
            resolve(AddressPolicy::DangerAllowLoopback, "https://10.1.2.3/"),
            Err(FetchError::ForbiddenAddress { .. })
        ));
        let addrs = resolve(AddressPolicy::DangerAllowLoopback, "http://127.0.0.1:9/").unwrap();
        assert_eq!(addrs.len(), 1);
        // A name resolved from the hosts file: `localhost` (asked for as `localhost.`) must be
        // refused when it resolves, and must never come back as usable without the opt-in.
        match resolve(AddressPolicy::GlobalOnly, "https://localhost:1/") {
            Err(FetchError::ForbiddenAddress { addr, .. }) => assert!(addr.is_loopback()),
            Err(FetchError::HostNotFound { .. }) => {}
            other => panic!("localhost was not refused: {other:?}"),
        }
    }

    #[test]
    fn root_certificates() {
        let der = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .first()
            .map(|c| c.as_ref().to_vec())
            .unwrap();
        let config = HttpConfig::default()
            .without_public_roots()
            .add_root_certificate_der(der);
        assert!(HttpResolver::new(config).is_ok());

        let config = HttpConfig::default().add_root_certificate_der(vec![0x30, 0x03, 1, 2, 3]);
        assert!(matches!(
            HttpResolver::new(config),
            Err(FetchError::InvalidRootCertificate { .. })
        ));

        assert!(matches!(
            HttpConfig::default().add_root_certificates_pem(b"no pem here"),
            Err(FetchError::InvalidRootCertificate { .. })
        ));
        assert!(matches!(
            HttpConfig::default().add_root_certificates_pem(
                b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"
            ),
            Err(FetchError::InvalidRootCertificate { .. })
        ));
        let pem = b"-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n";
        let config = HttpConfig::default()
            .add_root_certificates_pem(pem)
            .unwrap();
        assert!(format!("{config:?}").contains("extra_roots: 1"));
        // Parsed as PEM, but not a usable certificate.
        assert!(matches!(
            HttpResolver::new(config),
            Err(FetchError::InvalidRootCertificate { .. })
        ));
    }

    #[test]
    fn config() {
        let config = HttpConfig::default();
        assert_eq!(config.size_limit(ResourceKind::IssuerMetadata), 1 << 20);
        assert_eq!(config.size_limit(ResourceKind::JwkSet), 1 << 20);
        assert_eq!(config.size_limit(ResourceKind::TypeMetadata), 1 << 20);
        assert_eq!(config.size_limit(ResourceKind::StatusList), 16 << 20);
        assert_eq!(config.max_redirects(), 3);
        assert_eq!(config.address_policy(), AddressPolicy::GlobalOnly);
        let config = config
            .with_size_limit(ResourceKind::JwkSet, 10)
            .with_connect_timeout(Duration::from_secs(1))
            .with_read_timeout(Duration::from_secs(2))
            .with_total_timeout(Duration::from_secs(3))
            .with_max_redirects(0)
            .danger_allow_loopback_http();
        assert_eq!(config.size_limit(ResourceKind::JwkSet), 10);
        assert_eq!(config.connect_timeout(), Duration::from_secs(1));
        assert_eq!(config.read_timeout(), Duration::from_secs(2));
        assert_eq!(config.total_timeout(), Duration::from_secs(3));
        assert_eq!(config.max_redirects(), 0);
        assert_eq!(config.address_policy(), AddressPolicy::DangerAllowLoopback);
        assert!(USER_AGENT.starts_with("sdjwt/"));
    }
}
