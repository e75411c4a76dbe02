//! [`CachingResolver`]: a bounded, thread-safe cache around any [`Resolver`], and
//! [`TtlBounds`], which turns a Status List Token's `ttl` and `exp` into a freshness.
//!
//! # How `ttl`, `exp` and `Cache-Control` combine for status lists
//!
//! draft-ietf-oauth-status-list-20 §8.2 ("Status List Response"): "If caching-related HTTP
//! headers are present in the HTTP response, Relying Parties MUST prioritize the exp and ttl
//! claims within the Status List Token over the HTTP headers for determining caching
//! behavior." §13.7 ("Status List Update Interval and Caching") recommends caching for `ttl`
//! after the time of fetching, and checking for updates no later than `exp` without a `ttl`;
//! §11.5 asks clients to keep both within bounds they choose.
//!
//! The cache cannot read a token, so the status-list code does it in two steps:
//!
//! 1. fetch through the [`CachingResolver`] (HTTP headers decide whether the response is kept
//!    meanwhile);
//! 2. after verifying the token, compute the freshness with [`TtlBounds::fresh_until`] from
//!    the response's `fetched_at` and the token's `ttl` and `exp`. When that gives a time,
//!    [`CachingResolver::store`] it: this replaces whatever the HTTP headers said, even
//!    `no-store` and even a longer `max-age`. When it gives `None` (neither claim), the HTTP
//!    headers stay in force.
//!
//! ```
//! use sdjwt_fetch::{CachingResolver, FetchRequest, HttpsUrl, Resolver, ResourceKind, StaticResolver, TtlBounds};
//!
//! let url = HttpsUrl::parse("https://example.com/statuslists/1")?;
//! let request = FetchRequest::new(url.clone(), ResourceKind::StatusList);
//! let origin = StaticResolver::new().with(url, b"eyJ...".to_vec(), Some("application/statuslist+jwt"));
//! let cache = CachingResolver::new(origin);
//!
//! let now = 1_700_000_000;
//! let response = cache.fetch(&request, now)?; // no caching headers: not kept
//! assert!(cache.is_empty());
//! // ... verify the token; say it has "ttl": 43200 and "exp" a day later ...
//! let until = TtlBounds::default().fresh_until(response.fetched_at, Some(43_200), Some(now + 86_400));
//! assert_eq!(until, Some(now + 43_200));
//! if let Some(until) = until {
//!     cache.store(&request, response, until);
//! }
//! assert_eq!(cache.fetch(&request, now + 60)?.fetched_at, now); // served from the cache
//! # Ok::<(), sdjwt_fetch::FetchError>(())
//! ```

use core::fmt;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::error::FetchError;
use crate::resolver::{FetchRequest, FetchResponse, Resolver, ResourceKind};

/// The bounds of a [`CachingResolver`]. Each number has a reason:
///
/// * `max_entries` (default 256): documents of one verifier are a few issuers' metadata and
///   keys, a few types and status lists; 256 covers that many times over while keeping each
///   eviction scan short.
/// * `max_bytes` (default 32 MiB): room for two status lists at the HTTP resolver's 16 MiB
///   cap, or thousands of metadata documents; a document larger than this is never kept.
/// * `default_lifetime` (default 0 s): a response without explicit freshness (no `max-age`,
///   no `Expires`) is not reused; RFC 9111 §4.2.2 heuristics are not applied.
/// * `max_lifetime` (default 86 400 s, one day): an HTTP-stated lifetime longer than this is
///   cut, so that a hostile or careless `max-age` cannot pin a document (such as a status
///   list that would revoke a credential) for long. It does not apply to
///   [`CachingResolver::store`], whose caller decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheLimits {
    /// The most documents kept at once.
    pub max_entries: usize,
    /// The most bytes kept at once (bodies and URLs).
    pub max_bytes: usize,
    /// Lifetime in seconds of a response that states none.
    pub default_lifetime: u64,
    /// Longest lifetime in seconds taken from HTTP caching headers.
    pub max_lifetime: u64,
}

impl Default for CacheLimits {
    fn default() -> Self {
        Self {
            max_entries: 256,
            max_bytes: 32 * 1024 * 1024,
            default_lifetime: 0,
            max_lifetime: 86_400,
        }
    }
}

/// A private HTTP cache (RFC 9111) around another [`Resolver`], keyed by URL and
/// [`ResourceKind`].
///
/// A response is kept while fresh: until its [`FetchResponse::fresh_until`] (capped by
/// [`CacheLimits::max_lifetime`]), or for [`CacheLimits::default_lifetime`] when it states
/// none; never when it says `no-store`. The cache never revalidates and never serves a stale
/// response: a stale entry is dropped and the inner resolver asked again. Errors are not
/// cached.
///
/// Bounded by [`CacheLimits`]: when a new entry would pass `max_entries` or `max_bytes`, the
/// entries that stop being fresh soonest (stale ones first) are evicted. Thread-safe: a
/// `Mutex` guards the map and is never held while the inner resolver runs, so two threads
/// missing the same URL at once may both fetch it (the later answer wins). A hit clones an
/// `Arc`, not the body.
pub struct CachingResolver<R> {
    inner: R,
    limits: CacheLimits,
    state: Mutex<State>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    url: String,
    kind: ResourceKind,
}

impl Key {
    fn of(request: &FetchRequest) -> Self {
        Self {
            url: request.url.as_str().to_owned(),
            kind: request.kind,
        }
    }

    fn cost(&self, response: &FetchResponse) -> usize {
        self.url.len().saturating_add(response.body.len())
    }
}

#[derive(Default)]
struct State {
    entries: HashMap<Key, Entry>,
    bytes: usize,
}

struct Entry {
    /// The response, its `fresh_until` set to `until`.
    response: FetchResponse,
    until: u64,
    cost: usize,
}

impl State {
    fn remove(&mut self, key: &Key) -> bool {
        match self.entries.remove(key) {
            Some(entry) => {
                self.bytes = self.bytes.saturating_sub(entry.cost);
                true
            }
            None => false,
        }
    }

    fn insert(&mut self, limits: &CacheLimits, key: Key, mut response: FetchResponse, until: u64) {
        self.remove(&key);
        let cost = key.cost(&response);
        if cost > limits.max_bytes || limits.max_entries == 0 {
            return;
        }
        while self.entries.len() >= limits.max_entries
            || self.bytes.saturating_add(cost) > limits.max_bytes
        {
            let victim = self
                .entries
                .iter()
                .min_by_key(|(_, entry)| entry.until)
                .map(|(key, _)| key.clone());
            match victim {
                Some(victim) => {
                    self.remove(&victim);
                }
                None => break,
            }
        }
        response.fresh_until = Some(until);
        self.bytes = self.bytes.saturating_add(cost);
        self.entries.insert(
            key,
            Entry {
                response,
                until,
                cost,
            },
        );
    }
}

impl<R> CachingResolver<R> {
    /// A cache around `inner` with the default [`CacheLimits`].
    pub fn new(inner: R) -> Self {
        Self::with_limits(inner, CacheLimits::default())
    }

    /// A cache around `inner` with the given limits.
    pub fn with_limits(inner: R, limits: CacheLimits) -> Self {
        Self {
            inner,
            limits,
            state: Mutex::new(State::default()),
        }
    }

    /// The resolver behind the cache.
    pub fn inner(&self) -> &R {
        &self.inner
    }

    /// The limits.
    pub fn limits(&self) -> &CacheLimits {
        &self.limits
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is consistent after every statement that can be interrupted, so a
        // poisoned lock (a panic elsewhere while holding it) leaves nothing to repair.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps `response` for `request` as fresh until `fresh_until` (Unix time, exclusive),
    /// whatever its HTTP caching headers said (`no-store` and [`CacheLimits::max_lifetime`]
    /// included): for a caller that read the freshness from the document itself, such as a
    /// Status List Token's `ttl` and `exp`, which take precedence over HTTP headers
    /// (draft-ietf-oauth-status-list-20 §8.2). Replaces any entry for the request.
    /// [`CacheLimits::max_entries`] and [`CacheLimits::max_bytes`] still apply.
    pub fn store(&self, request: &FetchRequest, response: FetchResponse, fresh_until: u64) {
        self.lock()
            .insert(&self.limits, Key::of(request), response, fresh_until);
    }

    /// Changes until when the entry for `request` is fresh, if there is one (see
    /// [`CachingResolver::store`] for precedence); returns whether there was an entry. A time
    /// not after the next `now` makes the entry stale.
    pub fn set_fresh_until(&self, request: &FetchRequest, fresh_until: u64) -> bool {
        match self.lock().entries.get_mut(&Key::of(request)) {
            Some(entry) => {
                entry.until = fresh_until;
                entry.response.fresh_until = Some(fresh_until);
                true
            }
            None => false,
        }
    }

    /// Drops the entry for `request`; returns whether there was one.
    pub fn remove(&self, request: &FetchRequest) -> bool {
        self.lock().remove(&Key::of(request))
    }

    /// Drops every entry.
    pub fn clear(&self) {
        let mut state = self.lock();
        state.entries.clear();
        state.bytes = 0;
    }

    /// How many entries are kept (fresh or not yet dropped).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether no entry is kept.
    pub fn is_empty(&self) -> bool {
        self.lock().entries.is_empty()
    }

    /// How many bytes the entries take, as counted against [`CacheLimits::max_bytes`].
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// The lifetime the cache gives a response fetched at `now`, or `None` when it is not
    /// kept.
    fn keep_until(&self, response: &FetchResponse, now: u64) -> Option<u64> {
        if response.no_store {
            return None;
        }
        let start = response.fetched_at;
        let until = response
            .fresh_until
            .unwrap_or_else(|| start.saturating_add(self.limits.default_lifetime))
            .min(start.saturating_add(self.limits.max_lifetime));
        (until > now).then_some(until)
    }
}

impl<R: Resolver> Resolver for CachingResolver<R> {
    fn fetch(&self, request: &FetchRequest, now: u64) -> Result<FetchResponse, FetchError> {
        let key = Key::of(request);
        {
            let mut state = self.lock();
            if let Some(entry) = state.entries.get(&key) {
                if now < entry.until {
                    return Ok(entry.response.clone());
                }
                state.remove(&key);
            }
        }
        let response = self.inner.fetch(request, now)?;
        match self.keep_until(&response, now) {
            Some(until) => {
                let mut kept = response;
                kept.fresh_until = Some(until);
                self.lock().insert(&self.limits, key, kept.clone(), until);
                Ok(kept)
            }
            None => Ok(response),
        }
    }

    /// Keeps `response` until `fresh_until`, whatever its HTTP caching headers said: the
    /// document's own freshness (a Status List Token's `ttl`) decides.
    fn set_freshness(&self, request: &FetchRequest, response: &FetchResponse, fresh_until: u64) {
        let mut kept = response.clone();
        kept.fresh_until = Some(fresh_until);
        kept.no_store = false;
        self.store(request, kept, fresh_until);
    }
}

impl<R: fmt::Debug> fmt::Debug for CachingResolver<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("CachingResolver")
            .field("inner", &self.inner)
            .field("limits", &self.limits)
            .field("entries", &state.entries.len())
            .field("bytes", &state.bytes)
            .finish()
    }
}

/// Bounds on a Status List Token's `ttl`, and the rule that turns `ttl` and `exp` into a
/// freshness (draft-ietf-oauth-status-list-20 §13.7 "Status List Update Interval and
/// Caching", §11.5 "Expiration and Caching": "clients should be configured with lower/upper
/// bounds for these values").
///
/// * `min` (default 60 s): a smaller `ttl` is raised to it, so that an issuer cannot make
///   every verifier fetch on every check (§11.5 warns that tiny values can be used to flood
///   the Status Provider).
/// * `max` (default 86 400 s, one day): a larger `ttl` (or a far `exp` without `ttl`) is
///   lowered to it, so that revocations are seen within a day whatever the token says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TtlBounds {
    /// Smallest caching time in seconds.
    pub min: u64,
    /// Largest caching time in seconds.
    pub max: u64,
}

impl Default for TtlBounds {
    fn default() -> Self {
        Self {
            min: 60,
            max: 86_400,
        }
    }
}

impl TtlBounds {
    /// Bounds `min..=max` (swapped if given in the wrong order).
    pub fn new(min: u64, max: u64) -> Self {
        Self {
            min: min.min(max),
            max: min.max(max),
        }
    }

    /// Until when a Status List Token fetched at `fetched_at` may be reused, from its `ttl`
    /// and `exp` claims (draft-ietf-oauth-status-list-20 §5.1 and §13.7):
    ///
    /// * with `ttl`: `fetched_at + ttl`, the `ttl` kept within `min..=max` (the recommended
    ///   "cache for `ttl` after the time of fetching");
    /// * without `ttl` but with `exp`: until `exp`, at most `max` after `fetched_at`;
    /// * never past `exp`: an expired token "MUST NOT be relied upon any longer";
    /// * with neither: `None` — the HTTP caching headers decide.
    pub fn fresh_until(&self, fetched_at: u64, ttl: Option<u64>, exp: Option<u64>) -> Option<u64> {
        let until = match (ttl, exp) {
            (Some(ttl), _) => fetched_at.saturating_add(ttl.clamp(self.min, self.max)),
            (None, Some(_)) => fetched_at.saturating_add(self.max),
            (None, None) => return None,
        };
        Some(match exp {
            Some(exp) => until.min(exp),
            None => until,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests: a failure names what broke.

    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::HttpsUrl;

    /// A resolver that counts calls and answers with a configurable freshness.
    #[derive(Debug)]
    struct Origin {
        calls: AtomicUsize,
        fresh_for: Option<u64>,
        no_store: bool,
        size: usize,
    }

    impl Origin {
        fn new(fresh_for: Option<u64>) -> Self {
            Self {
                calls: AtomicUsize::new(0),
                fresh_for,
                no_store: false,
                size: 10,
            }
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }
    }

    impl Resolver for Origin {
        fn fetch(&self, request: &FetchRequest, now: u64) -> Result<FetchResponse, FetchError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if request.url.path() == "/missing" {
                return Err(FetchError::Status { code: 404 });
            }
            let mut response = FetchResponse::new(vec![b'x'; self.size], None, now);
            response.fresh_until = self.fresh_for.map(|d| now + d);
            response.no_store = self.no_store;
            Ok(response)
        }
    }

    fn request(path: &str) -> FetchRequest {
        let url = HttpsUrl::parse(&format!("https://example.com{path}")).unwrap();
        FetchRequest::new(url, ResourceKind::TypeMetadata)
    }

    #[test]
    fn fresh_responses_are_reused_until_stale() {
        let cache = CachingResolver::new(Origin::new(Some(100)));
        let r = request("/a");
        let first = cache.fetch(&r, 1000).unwrap();
        assert_eq!(first.fresh_until, Some(1100));
        let second = cache.fetch(&r, 1099).unwrap();
        assert_eq!(cache.inner().calls(), 1);
        assert_eq!(second.fetched_at, 1000);
        assert!(Arc::ptr_eq(&first.body, &second.body));
        let third = cache.fetch(&r, 1100).unwrap();
        assert_eq!(cache.inner().calls(), 2);
        assert_eq!(third.fetched_at, 1100);
        // Same URL, other kind: another entry.
        let mut other = r.clone();
        other.kind = ResourceKind::IssuerMetadata;
        cache.fetch(&other, 1100).unwrap();
        assert_eq!(cache.inner().calls(), 3);
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn no_lifetime_no_store_and_errors_are_not_kept() {
        let cache = CachingResolver::new(Origin::new(None));
        let r = request("/a");
        cache.fetch(&r, 1).unwrap();
        cache.fetch(&r, 1).unwrap();
        assert_eq!(cache.inner().calls(), 2);
        assert!(cache.is_empty());

        let mut origin = Origin::new(Some(100));
        origin.no_store = true;
        let cache = CachingResolver::new(origin);
        cache.fetch(&r, 1).unwrap();
        cache.fetch(&r, 1).unwrap();
        assert_eq!(cache.inner().calls(), 2);
        assert!(cache.is_empty());

        let cache = CachingResolver::new(Origin::new(Some(100)));
        assert!(cache.fetch(&request("/missing"), 1).is_err());
        assert!(cache.fetch(&request("/missing"), 1).is_err());
        assert_eq!(cache.inner().calls(), 2);

        // A lifetime of 0 is not kept either.
        let cache = CachingResolver::new(Origin::new(Some(0)));
        cache.fetch(&r, 1).unwrap();
        assert!(cache.is_empty());
    }

    #[test]
    fn default_and_max_lifetime() {
        let limits = CacheLimits {
            default_lifetime: 30,
            max_lifetime: 50,
            ..CacheLimits::default()
        };
        let cache = CachingResolver::with_limits(Origin::new(None), limits);
        let r = request("/a");
        assert_eq!(cache.fetch(&r, 0).unwrap().fresh_until, Some(30));
        cache.fetch(&r, 29).unwrap();
        assert_eq!(cache.inner().calls(), 1);
        cache.fetch(&r, 30).unwrap();
        assert_eq!(cache.inner().calls(), 2);

        let cache = CachingResolver::with_limits(Origin::new(Some(1_000_000)), limits);
        assert_eq!(cache.fetch(&r, 0).unwrap().fresh_until, Some(50));
    }

    #[test]
    fn store_and_set_fresh_until() {
        let mut origin = Origin::new(None);
        origin.no_store = true;
        let cache = CachingResolver::new(origin);
        let r = request("/status");
        assert!(!cache.set_fresh_until(&r, 500));
        let response = cache.fetch(&r, 100).unwrap();
        // ttl takes precedence over HTTP headers, even no-store.
        cache.store(&r, response, 400);
        assert_eq!(cache.fetch(&r, 399).unwrap().fresh_until, Some(400));
        assert_eq!(cache.inner().calls(), 1);
        assert!(cache.set_fresh_until(&r, 200));
        assert_eq!(cache.fetch(&r, 199).unwrap().fresh_until, Some(200));
        assert_eq!(cache.inner().calls(), 1);
        cache.fetch(&r, 200).unwrap();
        assert_eq!(cache.inner().calls(), 2);
        assert!(cache.is_empty());

        cache.store(&r, FetchResponse::new(vec![1], None, 0), 10);
        assert!(cache.remove(&r));
        assert!(!cache.remove(&r));
        cache.store(&r, FetchResponse::new(vec![1], None, 0), 10);
        cache.clear();
        assert!(cache.is_empty());
        assert_eq!(cache.bytes(), 0);
    }

    #[test]
    fn bounded_entries_and_bytes() {
        let limits = CacheLimits {
            max_entries: 3,
            ..CacheLimits::default()
        };
        let cache = CachingResolver::with_limits(Origin::new(Some(100)), limits);
        for (i, now) in [(0, 10), (1, 5), (2, 20), (3, 30)] {
            cache.fetch(&request(&format!("/{i}")), now).unwrap();
        }
        assert_eq!(cache.len(), 3);
        // "/1" became stale soonest (at 105) and was evicted.
        cache.fetch(&request("/1"), 30).unwrap();
        assert_eq!(cache.inner().calls(), 5);
        cache.fetch(&request("/3"), 31).unwrap();
        assert_eq!(cache.inner().calls(), 5);

        // Bytes: each entry costs 10 bytes of body + 21 bytes of URL.
        let limits = CacheLimits {
            max_bytes: 70,
            ..CacheLimits::default()
        };
        let cache = CachingResolver::with_limits(Origin::new(Some(100)), limits);
        for i in 0..5 {
            cache.fetch(&request(&format!("/{i}")), i).unwrap();
            assert!(cache.bytes() <= 70);
        }
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.bytes(), 62);

        // A document larger than the whole cache is never kept.
        let mut origin = Origin::new(Some(100));
        origin.size = 1000;
        let cache = CachingResolver::with_limits(origin, limits);
        cache.fetch(&request("/big"), 0).unwrap();
        assert!(cache.is_empty());

        let limits = CacheLimits {
            max_entries: 0,
            ..CacheLimits::default()
        };
        let cache = CachingResolver::with_limits(Origin::new(Some(100)), limits);
        cache.fetch(&request("/a"), 0).unwrap();
        assert!(cache.is_empty());
    }

    #[test]
    fn shared_between_threads() {
        let cache = Arc::new(CachingResolver::new(Origin::new(Some(100))));
        let r = request("/a");
        cache.fetch(&r, 0).unwrap();
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let cache = Arc::clone(&cache);
                let r = r.clone();
                std::thread::spawn(move || cache.fetch(&r, 50).map(|resp| resp.fetched_at))
            })
            .collect();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), Ok(0));
        }
        assert_eq!(cache.inner().calls(), 1);
        assert!(format!("{cache:?}").contains("entries: 1"));
    }

    #[test]
    fn ttl_bounds() {
        let bounds = TtlBounds::default();
        assert_eq!(bounds.fresh_until(1000, None, None), None);
        assert_eq!(bounds.fresh_until(1000, Some(300), None), Some(1300));
        assert_eq!(bounds.fresh_until(1000, Some(1), None), Some(1060));
        assert_eq!(
            bounds.fresh_until(1000, Some(10_000_000), None),
            Some(87_400)
        );
        assert_eq!(bounds.fresh_until(1000, Some(300), Some(1200)), Some(1200));
        assert_eq!(bounds.fresh_until(1000, Some(300), Some(5000)), Some(1300));
        assert_eq!(bounds.fresh_until(1000, None, Some(5000)), Some(5000));
        assert_eq!(
            bounds.fresh_until(1000, None, Some(1_000_000)),
            Some(87_400)
        );
        assert_eq!(bounds.fresh_until(1000, Some(300), Some(900)), Some(900));
        assert_eq!(
            bounds.fresh_until(u64::MAX, Some(300), None),
            Some(u64::MAX)
        );
        assert_eq!(TtlBounds::new(10, 5), TtlBounds { min: 5, max: 10 });
    }
}
