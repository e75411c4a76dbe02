//! Retrieval of the documents that SD-JWT VC and the Token Status List reference by URL:
//! JWT VC Issuer Metadata, JWK Sets, Type Metadata and Status List Tokens.
//!
//! The core is sans-IO: the other crates ask a [`Resolver`] for a [`FetchRequest`] and get a
//! [`FetchResponse`] back, never touching the network themselves. The pieces:
//!
//! * [`HttpsUrl`]: the strict absolute URL these specifications dereference, with the
//!   well-known rule of JWT VC Issuer Metadata ([`HttpsUrl::jwt_vc_issuer_metadata_url`],
//!   SD-JWT VC §"JWT VC Issuer Metadata").
//! * [`ResourceKind`]: what is retrieved, with its `Accept` header and expected media type.
//! * [`AddressPolicy`] and [`AddressClass`]: the server-side request forgery rules (SD-JWT VC
//!   §"Server-Side Request Forgery").
//! * [`StaticResolver`]: documents held in memory (offline use, local files, tests).
//! * [`CachingResolver`]: a bounded private HTTP cache (RFC 9111) around any resolver, with
//!   [`TtlBounds`] for a Status List Token's `ttl` and `exp`
//!   (draft-ietf-oauth-status-list-20 §13.7); see the [`cache`] module for how they combine
//!   with `Cache-Control`.
//! * With feature **`http`**: `HttpResolver` and `HttpConfig`, a real client (ureq, rustls
//!   with aws-lc-rs) with timeouts, size caps, redirect and address checks (SD-JWT VC
//!   §"Retrieving Documents and Resources via HTTP").
//!
//! Time is passed in as `now` (Unix time in seconds); nothing in the sans-IO part reads the
//! clock.
//!
//! ```
//! use sdjwt_fetch::{CachingResolver, FetchRequest, HttpsUrl, Resolver, ResourceKind, StaticResolver};
//!
//! let url = HttpsUrl::jwt_vc_issuer_metadata_url("https://example.com/tenant/1234")?;
//! assert_eq!(url.as_str(), "https://example.com/.well-known/jwt-vc-issuer/tenant/1234");
//!
//! // Offline: documents from local files.
//! let resolver = StaticResolver::new().with(
//!     url.clone(),
//!     br#"{"issuer":"https://example.com/tenant/1234","jwks":{"keys":[]}}"#.to_vec(),
//!     Some("application/json"),
//! );
//! let resolver = CachingResolver::new(resolver);
//! let response = resolver.fetch(&FetchRequest::new(url, ResourceKind::IssuerMetadata), 1_700_000_000)?;
//! assert!(response.body.starts_with(b"{\"issuer\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Privacy
//!
//! Every retrieval tells the server that a credential is being used (SD-JWT VC §"Issuer
//! Phone-Home" and §"Privacy-Preserving Retrieval of Type Metadata"). Prefer documents
//! obtained beforehand ([`StaticResolver`]) and caching ([`CachingResolver`]) where policy
//! allows; the resolver sends no cookies, no credentials and a fixed `User-Agent`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cache;
mod error;
mod freshness;
#[cfg(feature = "http")]
pub mod http;
mod resolver;
pub mod ssrf;
pub mod url;

pub use cache::{CacheLimits, CachingResolver, TtlBounds};
pub use error::{FetchError, UrlError};
pub use freshness::CacheHeaders;
#[cfg(feature = "http")]
pub use http::{HttpConfig, HttpResolver, USER_AGENT};
pub use resolver::{FetchRequest, FetchResponse, Resolver, ResourceKind, StaticResolver};
pub use ssrf::{AddressClass, AddressPolicy};
pub use url::HttpsUrl;
