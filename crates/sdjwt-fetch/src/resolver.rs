//! The sans-IO interface: what is asked for ([`FetchRequest`]), what comes back
//! ([`FetchResponse`]), who answers ([`Resolver`]), and an in-memory answerer
//! ([`StaticResolver`]).

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::{FetchError, truncated};
use crate::url::HttpsUrl;

/// The documents that SD-JWT VC and the Token Status List retrieve over HTTP, each with the
/// media type its response must carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ResourceKind {
    /// JWT VC Issuer Metadata, `application/json` (SD-JWT VC §"JWT VC Issuer Metadata
    /// Response").
    IssuerMetadata,
    /// The JWK Set referenced by `jwks_uri` (SD-JWT VC §"JWT VC Issuer Metadata Response"):
    /// `application/jwk-set+json` (RFC 7517 §8.5.1) or `application/json`.
    JwkSet,
    /// An SD-JWT VC Type Metadata document, `application/json` (SD-JWT VC §"From a URL in the
    /// `vct` Claim").
    TypeMetadata,
    /// A Status List Token in JWT format, `application/statuslist+jwt`
    /// (draft-ietf-oauth-status-list-20 §8.1 "Status List Request" and §8.2 "Status List
    /// Response").
    StatusList,
}

impl ResourceKind {
    /// Every kind, in declaration order.
    pub const ALL: [Self; 4] = [
        Self::IssuerMetadata,
        Self::JwkSet,
        Self::TypeMetadata,
        Self::StatusList,
    ];

    /// The value of the `Accept` request header for this kind.
    pub fn accept(self) -> &'static str {
        match self {
            Self::IssuerMetadata | Self::TypeMetadata => "application/json",
            Self::JwkSet => "application/jwk-set+json, application/json",
            Self::StatusList => "application/statuslist+jwt",
        }
    }

    /// The media types a response of this kind may have (type and subtype, lowercase).
    pub fn media_types(self) -> &'static [&'static str] {
        match self {
            Self::IssuerMetadata | Self::TypeMetadata => &["application/json"],
            Self::JwkSet => &["application/jwk-set+json", "application/json"],
            Self::StatusList => &["application/statuslist+jwt"],
        }
    }

    /// Whether a `Content-Type` value names one of [`ResourceKind::media_types`]: type and
    /// subtype must match (case-insensitively, RFC 9110 §8.3.1); parameters such as `charset`
    /// are ignored.
    pub fn accepts_media_type(self, content_type: &str) -> bool {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim_matches([' ', '\t']);
        self.media_types()
            .iter()
            .any(|expected| essence.eq_ignore_ascii_case(expected))
    }

    /// Checks the `Content-Type` of a response (SD-JWT VC §"Retrieving Documents and
    /// Resources via HTTP": "the expected media type of that representation is defined in the
    /// section defining the respective document").
    ///
    /// # Errors
    ///
    /// [`FetchError::WrongMediaType`] when the type is missing or not one of
    /// [`ResourceKind::media_types`].
    pub fn check_media_type(self, content_type: Option<&str>) -> Result<(), FetchError> {
        match content_type {
            Some(value) if self.accepts_media_type(value) => Ok(()),
            got => Err(FetchError::WrongMediaType {
                expected: self.accept(),
                got: got.map(truncated),
            }),
        }
    }
}

/// One retrieval: a URL and the kind of document expected there.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FetchRequest {
    /// Where the document is.
    pub url: HttpsUrl,
    /// What the document is.
    pub kind: ResourceKind,
}

impl FetchRequest {
    /// A request for the document of kind `kind` at `url`.
    pub fn new(url: HttpsUrl, kind: ResourceKind) -> Self {
        Self { url, kind }
    }
}

/// A retrieved document, with the freshness information its cache needs (RFC 9111).
///
/// The body has not been interpreted: the caller must still validate it against the format
/// defined for the document before using it (SD-JWT VC §"Retrieving Documents and Resources
/// via HTTP").
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FetchResponse {
    /// The content. Shared, so that a cache hit does not copy it.
    pub body: Arc<[u8]>,
    /// The `Content-Type` received, as sent (already checked against the request's
    /// [`ResourceKind`] when a resolver had one).
    pub media_type: Option<String>,
    /// When the document was retrieved (Unix time, seconds): the `now` of the retrieval.
    pub fetched_at: u64,
    /// Until when (Unix time, seconds, exclusive) the document may be reused without a new
    /// retrieval, as the response's caching headers state (RFC 9111 §4.2); `None` when they
    /// state no freshness lifetime, in which case a [`CachingResolver`](crate::CachingResolver)
    /// applies its configured default (0 unless configured: not reused).
    pub fresh_until: Option<u64>,
    /// The response said `Cache-Control: no-store` (RFC 9111 §5.2.2.5): it must not be kept.
    pub no_store: bool,
}

impl FetchResponse {
    /// A response with no caching information (`fresh_until: None`, `no_store: false`).
    pub fn new(body: impl Into<Arc<[u8]>>, media_type: Option<String>, fetched_at: u64) -> Self {
        Self {
            body: body.into(),
            media_type,
            fetched_at,
            fresh_until: None,
            no_store: false,
        }
    }

    /// Whether the response may still be reused at `now` by its own caching information.
    pub fn is_fresh(&self, now: u64) -> bool {
        !self.no_store && self.fresh_until.is_some_and(|until| now < until)
    }
}

/// Retrieves documents. Implementations: [`StaticResolver`] (in memory),
/// [`CachingResolver`](crate::CachingResolver) (a cache around another resolver) and, with
/// feature `http`, `HttpResolver`.
///
/// Time is passed in (`now`, Unix time in seconds); an implementation uses it to compute the
/// freshness of what it returns and must not read the clock for that. The trait is object
/// safe, so `&dyn Resolver` can be passed around.
///
/// Implementations that go to the network must follow SD-JWT VC §"Retrieving Documents and
/// Resources via HTTP" and §"Server-Side Request Forgery": HTTPS only, the address rules of
/// [`AddressPolicy`](crate::AddressPolicy) for every URL connected to, bounded time, size and
/// redirects, no use of error responses, and the media type of [`ResourceKind`].
pub trait Resolver: Send + Sync {
    /// Retrieves the document of `request`.
    ///
    /// # Errors
    ///
    /// A [`FetchError`] saying why there is no usable document.
    fn fetch(&self, request: &FetchRequest, now: u64) -> Result<FetchResponse, FetchError>;

    /// Tells a caching resolver until when the document it returned for `request` may be
    /// reused, as the document's own content says: a Status List Token's `ttl` and `exp`
    /// (draft-ietf-oauth-status-list-20 §13.7), which override the HTTP freshness. Resolvers
    /// without a cache ignore it (the default).
    fn set_freshness(&self, request: &FetchRequest, response: &FetchResponse, fresh_until: u64) {
        let _ = (request, response, fresh_until);
    }
}

impl<R: Resolver + ?Sized> Resolver for &R {
    fn fetch(&self, request: &FetchRequest, now: u64) -> Result<FetchResponse, FetchError> {
        (**self).fetch(request, now)
    }

    fn set_freshness(&self, request: &FetchRequest, response: &FetchResponse, fresh_until: u64) {
        (**self).set_freshness(request, response, fresh_until);
    }
}

impl<R: Resolver + ?Sized> Resolver for Box<R> {
    fn fetch(&self, request: &FetchRequest, now: u64) -> Result<FetchResponse, FetchError> {
        (**self).fetch(request, now)
    }

    fn set_freshness(&self, request: &FetchRequest, response: &FetchResponse, fresh_until: u64) {
        (**self).set_freshness(request, response, fresh_until);
    }
}

impl<R: Resolver + ?Sized> Resolver for Arc<R> {
    fn fetch(&self, request: &FetchRequest, now: u64) -> Result<FetchResponse, FetchError> {
        (**self).fetch(request, now)
    }

    fn set_freshness(&self, request: &FetchRequest, response: &FetchResponse, fresh_until: u64) {
        (**self).set_freshness(request, response, fresh_until);
    }
}

/// Documents held in memory, by exact URL: for offline use (documents loaded from local files,
/// SD-JWT VC §"From a Local Cache" and §"Robust Retrieval of Type Metadata") and for tests.
///
/// A document stored with a media type is checked against the request's [`ResourceKind`] like
/// a network response; one stored without is returned for any kind. Responses carry no
/// freshness information.
///
/// ```
/// use sdjwt_fetch::{FetchError, FetchRequest, HttpsUrl, Resolver, ResourceKind, StaticResolver};
///
/// let url = HttpsUrl::parse("https://example.com/.well-known/jwt-vc-issuer")?;
/// let mut resolver = StaticResolver::new();
/// resolver.insert(url.clone(), br#"{"issuer":"https://example.com"}"#.to_vec(), Some("application/json"));
///
/// let response = resolver.fetch(&FetchRequest::new(url.clone(), ResourceKind::IssuerMetadata), 1_700_000_000)?;
/// assert_eq!(&response.body[..], br#"{"issuer":"https://example.com"}"#);
/// assert!(matches!(
///     resolver.fetch(&FetchRequest::new(url, ResourceKind::StatusList), 1_700_000_000),
///     Err(FetchError::WrongMediaType { .. })
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct StaticResolver {
    documents: HashMap<String, StaticDocument>,
}

#[derive(Clone, Debug)]
struct StaticDocument {
    body: Arc<[u8]>,
    media_type: Option<String>,
}

impl StaticResolver {
    /// An empty resolver.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `body` as the document at `url`, replacing any earlier one.
    pub fn insert(&mut self, url: HttpsUrl, body: impl Into<Arc<[u8]>>, media_type: Option<&str>) {
        self.documents.insert(
            url.as_str().to_owned(),
            StaticDocument {
                body: body.into(),
                media_type: media_type.map(str::to_owned),
            },
        );
    }

    /// [`StaticResolver::insert`] in builder form.
    #[must_use]
    pub fn with(
        mut self,
        url: HttpsUrl,
        body: impl Into<Arc<[u8]>>,
        media_type: Option<&str>,
    ) -> Self {
        self.insert(url, body, media_type);
        self
    }

    /// Removes the document at `url`; returns whether there was one.
    pub fn remove(&mut self, url: &HttpsUrl) -> bool {
        self.documents.remove(url.as_str()).is_some()
    }

    /// Whether a document is stored at `url`.
    pub fn contains(&self, url: &HttpsUrl) -> bool {
        self.documents.contains_key(url.as_str())
    }

    /// How many documents are stored.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Whether no document is stored.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

impl Resolver for StaticResolver {
    fn fetch(&self, request: &FetchRequest, now: u64) -> Result<FetchResponse, FetchError> {
        let document =
            self.documents
                .get(request.url.as_str())
                .ok_or_else(|| FetchError::NotFound {
                    url: request.url.as_str().to_owned(),
                })?;
        if let Some(media_type) = &document.media_type {
            request.kind.check_media_type(Some(media_type))?;
        }
        Ok(FetchResponse::new(
            Arc::clone(&document.body),
            document.media_type.clone(),
            now,
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests: a failure names what broke.

    use super::*;

    #[test]
    fn media_types() {
        use ResourceKind::*;
        assert!(IssuerMetadata.accepts_media_type("application/json"));
        assert!(IssuerMetadata.accepts_media_type("Application/JSON; charset=utf-8"));
        assert!(IssuerMetadata.accepts_media_type(" application/json ;charset=UTF-8"));
        assert!(!IssuerMetadata.accepts_media_type("application/jsonx"));
        assert!(!IssuerMetadata.accepts_media_type("text/json"));
        assert!(!IssuerMetadata.accepts_media_type("application/ld+json"));
        assert!(!IssuerMetadata.accepts_media_type("application/json-seq"));
        assert!(!IssuerMetadata.accepts_media_type(""));
        assert!(JwkSet.accepts_media_type("application/jwk-set+json"));
        assert!(JwkSet.accepts_media_type("application/json"));
        assert!(!JwkSet.accepts_media_type("application/jwk+json"));
        assert!(TypeMetadata.accepts_media_type("application/json"));
        assert!(StatusList.accepts_media_type("application/statuslist+jwt"));
        assert!(!StatusList.accepts_media_type("application/statuslist+cwt"));
        assert!(!StatusList.accepts_media_type("application/jwt"));
        assert_eq!(
            StatusList.check_media_type(Some("application/json")),
            Err(FetchError::WrongMediaType {
                expected: "application/statuslist+jwt",
                got: Some("application/json".to_owned())
            })
        );
        assert_eq!(
            StatusList.check_media_type(None),
            Err(FetchError::WrongMediaType {
                expected: "application/statuslist+jwt",
                got: None
            })
        );
        let long = format!("x/{}", "y".repeat(1000));
        let Err(FetchError::WrongMediaType { got: Some(got), .. }) =
            StatusList.check_media_type(Some(&long))
        else {
            panic!("accepted");
        };
        assert_eq!(got.len(), 128);
        for kind in ResourceKind::ALL {
            for media_type in kind.media_types() {
                assert!(kind.accept().contains(media_type));
                assert!(kind.accepts_media_type(media_type));
            }
        }
    }

    #[test]
    fn static_resolver() {
        let url = HttpsUrl::parse("https://example.com/a").unwrap();
        let other = HttpsUrl::parse("https://example.com/b").unwrap();
        let resolver = StaticResolver::new()
            .with(url.clone(), b"{}".to_vec(), Some("application/json"))
            .with(other.clone(), &b"jwt"[..], None);
        assert_eq!(resolver.len(), 2);
        assert!(resolver.contains(&url));

        let response = resolver
            .fetch(
                &FetchRequest::new(url.clone(), ResourceKind::TypeMetadata),
                7,
            )
            .unwrap();
        assert_eq!(&response.body[..], b"{}");
        assert_eq!(response.media_type.as_deref(), Some("application/json"));
        assert_eq!(response.fetched_at, 7);
        assert_eq!(response.fresh_until, None);
        assert!(!response.is_fresh(7));

        // Without a stored media type, any kind is served.
        let response = resolver
            .fetch(
                &FetchRequest::new(other.clone(), ResourceKind::StatusList),
                7,
            )
            .unwrap();
        assert_eq!(&response.body[..], b"jwt");

        assert!(matches!(
            resolver.fetch(&FetchRequest::new(url.clone(), ResourceKind::StatusList), 7),
            Err(FetchError::WrongMediaType { .. })
        ));
        let missing = HttpsUrl::parse("https://example.com/a/").unwrap();
        assert_eq!(
            resolver.fetch(&FetchRequest::new(missing, ResourceKind::TypeMetadata), 7),
            Err(FetchError::NotFound {
                url: "https://example.com/a/".to_owned()
            })
        );

        // Through the blanket impls, as a trait object.
        let shared: Arc<dyn Resolver> = Arc::new(resolver.clone());
        let boxed: Box<dyn Resolver + '_> = Box::new(&resolver);
        for r in [&shared as &dyn Resolver, &boxed] {
            assert!(
                r.fetch(
                    &FetchRequest::new(url.clone(), ResourceKind::IssuerMetadata),
                    1
                )
                .is_ok()
            );
        }
        drop(boxed);

        let mut resolver = resolver;
        assert!(resolver.remove(&url));
        assert!(!resolver.remove(&url));
        assert_eq!(resolver.len(), 1);
        assert!(!resolver.is_empty());
    }

    #[test]
    fn freshness_of_response() {
        let mut response = FetchResponse::new(Vec::new(), None, 10);
        assert!(!response.is_fresh(10));
        response.fresh_until = Some(20);
        assert!(response.is_fresh(19));
        assert!(!response.is_fresh(20));
        response.no_store = true;
        assert!(!response.is_fresh(19));
    }
}
