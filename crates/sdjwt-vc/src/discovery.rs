//! Finding an issuer's verification keys with the mechanism the trust list permits for it
//! (draft-ietf-oauth-sd-jwt-vc §2.5 "Issuer Verification Key Discovery and Validation", §4
//! "JWT VC Issuer Metadata").

use std::sync::Arc;

use sdjwt_fetch::{FetchRequest, FetchResponse, HttpsUrl, Resolver, ResourceKind};
use sdjwt_jose::jws::Header;
use sdjwt_jose::{CryptoProvider, Jwk, json};
use sdjwt_x509::pki_types::SignatureVerificationAlgorithm;
use sdjwt_x509::{TrustAnchors, X5c};
use serde_json::Value;

use crate::error::Error;
use crate::trust::{KeySource, TrustedIssuer, parse_jwk_set};

/// The largest number of keys taken from one JWK Set.
pub(crate) const MAX_JWKS_KEYS: usize = 100;

/// Key discovery: the provider, the document resolver (network or local files) and the
/// certificate signature algorithms.
#[derive(Clone, Copy)]
pub(crate) struct Discovery<'a> {
    pub(crate) provider: &'a CryptoProvider,
    resolver: Option<&'a dyn Resolver>,
    x509_algs: &'a [&'a dyn SignatureVerificationAlgorithm],
    loopback_http: bool,
}

impl<'a> Discovery<'a> {
    pub(crate) fn new(provider: &'a CryptoProvider) -> Self {
        Self {
            provider,
            resolver: None,
            x509_algs: &[],
            loopback_http: false,
        }
    }

    pub(crate) fn with_resolver(mut self, resolver: &'a dyn Resolver) -> Self {
        self.resolver = Some(resolver);
        self
    }

    pub(crate) fn with_x509_algorithms(
        mut self,
        algs: &'a [&'a dyn SignatureVerificationAlgorithm],
    ) -> Self {
        self.x509_algs = algs;
        self
    }

    pub(crate) fn danger_allow_loopback_http(mut self) -> Self {
        self.loopback_http = true;
        self
    }

    /// Parses a URL to retrieve: HTTPS, or loopback HTTP under the danger option.
    fn parse_url(&self, url: &str) -> Result<HttpsUrl, sdjwt_fetch::UrlError> {
        match HttpsUrl::parse(url) {
            Err(_) if self.loopback_http => HttpsUrl::danger_parse_loopback_http(url),
            other => other,
        }
    }

    /// Retrieves `url` as `kind` through the resolver.
    pub(crate) fn fetch(
        &self,
        url: &str,
        kind: ResourceKind,
        now: i64,
    ) -> Result<Arc<[u8]>, String> {
        self.fetch_response(url, kind, now)
            .map(|(_, response)| response.body)
    }

    /// Retrieves `url` as `kind`, keeping the request and the whole response (for caching).
    pub(crate) fn fetch_response(
        &self,
        url: &str,
        kind: ResourceKind,
        now: i64,
    ) -> Result<(FetchRequest, FetchResponse), String> {
        let resolver = self
            .resolver
            .ok_or_else(|| format!("no document source configured to retrieve {url}"))?;
        let parsed = self.parse_url(url).map_err(|e| format!("{url}: {e}"))?;
        let request = FetchRequest::new(parsed, kind);
        let response = resolver
            .fetch(&request, now_u64(now))
            .map_err(|e| format!("{url}: {e}"))?;
        Ok((request, response))
    }

    /// Passes a document's own freshness to the resolver's cache.
    pub(crate) fn set_freshness(
        &self,
        request: &FetchRequest,
        response: &FetchResponse,
        until: u64,
    ) {
        if let Some(resolver) = self.resolver {
            resolver.set_freshness(request, response, until);
        }
    }

    /// The key of the end-entity certificate of the protected header's `x5c` (§2.5, "Inline
    /// X.509 Certificates"): the chain must validate to `anchors` at `now`, the certificate
    /// must be bound to `iss`, and its key must fit the header's `alg`.
    pub(crate) fn x5c_key(
        &self,
        header: &Header,
        anchors: &TrustAnchors,
        iss: &str,
        now: i64,
    ) -> Result<Jwk, String> {
        let chain = X5c::from_protected_header(header)
            .map_err(|e| format!("x5c: {e}"))?
            .ok_or_else(|| "the header has no x5c, which this issuer's keys require".to_owned())?;
        let leaf = chain
            .validate(anchors, self.x509_algs, now_u64(now))
            .map_err(|e| format!("x5c: {e}"))?;
        leaf.check_issuer(Some(iss))
            .map_err(|e| format!("x5c: {e}"))?;
        leaf.key_for_alg(header.alg())
            .cloned()
            .map_err(|e| format!("x5c: {e}"))
    }

    /// The candidate keys for the credential's signature.
    ///
    /// The mechanism comes from the trust list entry only (§7.3: the credential cannot choose
    /// it); header members for other mechanisms (an `x5c` for a `jwks` issuer, say) are not
    /// consulted.
    pub(crate) fn issuer_keys(
        &self,
        issuer: &TrustedIssuer,
        iss: Option<&str>,
        header: &Header,
        now: i64,
    ) -> Result<Vec<Jwk>, Error> {
        let fail = |reason: String| Error::KeyDiscovery {
            iss: issuer.id.clone(),
            reason,
        };
        match &issuer.keys {
            KeySource::Jwks(keys) => Ok(keys.clone()),
            KeySource::IssuerMetadata => self.metadata_keys(&issuer.id, now),
            // The certificate must speak for this issuer: `iss` if present, else the trust
            // list's identifier for it.
            KeySource::X5c { anchors } => self
                .x5c_key(header, anchors, iss.unwrap_or(&issuer.id), now)
                .map(|key| vec![key])
                .map_err(fail),
            KeySource::Did => {
                // A `kid` that is a DID URL must name the issuer's own DID.
                let target = match header.kid() {
                    Some(kid) if kid.starts_with("did:") => {
                        let did = kid.split_once('#').map_or(kid, |(did, _)| did);
                        if did != issuer.id {
                            return Err(fail(format!("kid {kid} is not a key of {}", issuer.id)));
                        }
                        kid
                    }
                    _ => issuer.id.as_str(),
                };
                let key = sdjwt_jose::did::resolve_key(target, self.provider)
                    .map_err(|e| fail(format!("{target}: {e}")))?;
                Ok(vec![key])
            }
        }
    }

    /// The keys published in the issuer's JWT VC Issuer Metadata (§4).
    fn metadata_keys(&self, iss: &str, now: i64) -> Result<Vec<Jwk>, Error> {
        let invalid = |reason: String| Error::InvalidIssuerMetadata {
            iss: iss.to_owned(),
            reason,
        };
        // §4: the well-known string goes between the host and the path of `iss`.
        let url = self
            .parse_url(iss)
            .and_then(|iss_url| iss_url.jwt_vc_issuer_metadata())
            .map_err(|e| invalid(format!("iss is not a usable HTTPS URL: {e}")))?;
        let body = self
            .fetch(url.as_str(), ResourceKind::IssuerMetadata, now)
            .map_err(|reason| Error::KeyDiscovery {
                iss: iss.to_owned(),
                reason,
            })?;
        let metadata =
            json::parse_object(&body).map_err(|e| invalid(format!("not a JSON object: {e}")))?;
        // §4.3: `issuer` must be identical to `iss`, or nothing in the response is used.
        match metadata.get("issuer") {
            Some(Value::String(issuer)) if issuer == iss => {}
            Some(Value::String(other)) => {
                return Err(invalid(format!("metadata is for issuer {other}")));
            }
            _ => return Err(invalid("`issuer` is missing or not a string".to_owned())),
        }
        let set = match (metadata.get("jwks"), metadata.get("jwks_uri")) {
            (Some(jwks), None) => jwks.clone(),
            (None, Some(Value::String(uri))) => {
                let body = self
                    .fetch(uri, ResourceKind::JwkSet, now)
                    .map_err(|reason| Error::KeyDiscovery {
                        iss: iss.to_owned(),
                        reason,
                    })?;
                json::parse(&body).map_err(|e| invalid(format!("jwks_uri document: {e}")))?
            }
            (None, Some(_)) => return Err(invalid("`jwks_uri` is not a string".to_owned())),
            (Some(_), Some(_)) => {
                return Err(invalid("has both `jwks` and `jwks_uri`".to_owned()));
            }
            (None, None) => return Err(invalid("has neither `jwks` nor `jwks_uri`".to_owned())),
        };
        let keys = parse_jwk_set(&set).map_err(invalid)?;
        if keys.len() > MAX_JWKS_KEYS {
            return Err(invalid(format!("more than {MAX_JWKS_KEYS} keys")));
        }
        Ok(keys)
    }
}

/// `now` as unsigned seconds (times before 1970 are treated as 0).
fn now_u64(now: i64) -> u64 {
    u64::try_from(now).unwrap_or(0)
}
