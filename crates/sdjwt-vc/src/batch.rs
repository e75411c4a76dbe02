//! Batch issuance: K credentials with the same claims for K holder keys, so that a Holder can
//! present each one once and Verifiers cannot link the presentations.
//!
//! RFC 9901 §10.1 ("Unlinkability") names batch issuance as the way to Verifier/Verifier and
//! presentation unlinkability: "New key binding keys and salts MUST be used for each
//! credential in the batch", and `iat`, `exp` and `nbf` "MUST either be randomized within a
//! time period ... or rounded". SD-JWT VC (draft-ietf-oauth-sd-jwt-vc §8.1) applies this to
//! `cnf`; the Token Status List (draft-ietf-oauth-status-list-20 §12.5.1, §13.2) asks for "a
//! dedicated Status List entry" per credential, at "non-sequential, pseudo-random or random
//! indices"; OpenID4VP 1.0 §15.5 adds the Issuer signature to the list of linking values and
//! asks Wallets to use each instance once.
//!
//! [`BatchIssuance`] takes a [`VcBuilder`] as the template and makes every credential of the
//! batch from it with:
//!
//! * its own holder key (`cnf.jwk`), one per given key; the keys must differ;
//! * fresh salts and decoys: each credential is prepared on its own, drawing from the
//!   provider's random source (a template that fixes salts is caught: the batch is refused
//!   when any salt repeats);
//! * its own status entry ([`BatchIssuance::status`]); [`StatusIndexAllocator`] picks the
//!   indices at random without modulo bias, so a batch is not a contiguous run;
//! * `iat`, `nbf` and `exp` rounded down to [`BatchIssuance::time_granularity`] (default one
//!   day), the same in every credential of the batch;
//! * no `jti`; and, in [strict mode](BatchIssuance::strict) (the default), a template with a
//!   `jti` claim or an always-visible `sub` is refused.
//!
//! Each credential has its own signature, since its payload differs.
//!
//! ```
//! use sdjwt_core::{ClaimName, ClaimPath};
//! use sdjwt_jose::JwsAlgorithm;
//! use sdjwt_status::StatusList;
//! use sdjwt_vc::VcBuilder;
//! use sdjwt_vc::batch::{BatchIssuance, DAY, StatusIndexAllocator};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
//! let issuer = provider.generate_key(JwsAlgorithm::Es256)?;
//! let holder_keys = (0..3)
//!     .map(|_| provider.generate_key(JwsAlgorithm::Es256).map(|k| k.to_public()))
//!     .collect::<Result<Vec<_>, _>>()?;
//!
//! let claims = serde_json::json!({"right_to_work": true});
//! let template = VcBuilder::new(
//!     "https://credentials.gov.example/right-to-work",
//!     claims.as_object().cloned().unwrap_or_default(),
//! )
//! .issuer("https://immigration.gov.example")
//! .issued_at(1_800_012_345)
//! .expires_at(1_831_548_345)
//! .disclose(ClaimPath::root().key(ClaimName::new("right_to_work")?));
//!
//! let mut allocator = StatusIndexAllocator::new(100_000);
//! let indices = allocator.allocate(holder_keys.len(), &provider)?;
//! let batch = BatchIssuance::new(template)
//!     .time_granularity(DAY)
//!     .status("https://status.gov.example/lists/1", indices)
//!     .issue(&holder_keys, &provider, &*provider.signer(&issuer, JwsAlgorithm::Es256)?)?;
//! assert_eq!(batch.len(), 3);
//! assert_eq!(batch[0].payload().get("iat"), Some(&1_799_971_200.into())); // the day's start
//! # Ok(()) }
//! ```

use core::fmt;
use core::num::NonZeroU64;
use std::collections::BTreeSet;

use sdjwt_core::{ClaimName, ClaimPath, SdJwt, UnixTime};
use sdjwt_issuer::PreparedSdJwt;
use sdjwt_jose::{CryptoProvider, Jwk, JwsSigner};
use sdjwt_status::{Bits, Status, StatusList, StatusReference};

use crate::issue::{StatusListReference, VcBuilder};

/// The most credentials one batch may hold.
///
/// 1024: a Holder presenting each credential once needs about as many as it has presentations
/// before the next refresh; wallets request tens. The bound keeps one call's work (a signature
/// and the salts of every credential) predictable.
pub const MAX_BATCH: usize = 1024;

/// One hour, as a [`BatchIssuance::time_granularity`].
pub const HOUR: NonZeroU64 = match NonZeroU64::new(3600) {
    Some(unit) => unit,
    None => NonZeroU64::MIN,
};

/// One day, the default [`BatchIssuance::time_granularity`] (RFC 9901 §10.1's example:
/// "rounded down to the beginning of the day").
pub const DAY: NonZeroU64 = match NonZeroU64::new(86_400) {
    Some(unit) => unit,
    None => NonZeroU64::MIN,
};

/// Random draws [`StatusIndexAllocator::allocate`] may make per index asked for, before it
/// declares the list too full.
///
/// 256: with a tenth of the entries free, 256 draws all miss with probability below 10⁻¹¹;
/// with less than about one percent free, allocation fails often and a new list is due.
pub const DRAWS_PER_INDEX: usize = 256;

/// Why a batch could not be issued or indices not allocated.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BatchError {
    /// No holder keys were given: a batch has at least one credential.
    EmptyBatch,
    /// More credentials were asked for than [`MAX_BATCH`].
    TooLarge {
        /// How many were asked for.
        requested: usize,
        /// The bound.
        max: usize,
    },
    /// Two holder keys are the same key: their credentials would be linkable by `cnf`
    /// (RFC 9901 §10.1).
    DuplicateHolderKey {
        /// The position of the first.
        first: usize,
        /// The position of its repeat.
        second: usize,
    },
    /// The number of status indices differs from the number of holder keys.
    StatusIndexCount {
        /// Holder keys given.
        keys: usize,
        /// Indices given.
        indices: usize,
    },
    /// A status index is given twice: one entry for two credentials would link them, and
    /// double allocation must be prevented (Token Status List §13.3).
    DuplicateStatusIndex {
        /// The index.
        idx: u64,
    },
    /// The template has its own status reference, which every credential of the batch would
    /// share; give the indices with [`BatchIssuance::status`] instead.
    TemplateStatus,
    /// Strict mode: the template has a claim that identifies the credential or its subject in
    /// every presentation: `jti` (anywhere at the top level) or a `sub` that is not
    /// selectively disclosable.
    LinkableClaim {
        /// The claim's name.
        claim: &'static str,
    },
    /// The times, rounded down, leave no validity period: `exp` is not after `iat` or `nbf`.
    EmptyValidity {
        /// The rounded `iat` or `nbf` (whichever is later).
        start: UnixTime,
        /// The rounded `exp`.
        exp: UnixTime,
    },
    /// A salt appears twice in the batch (the template fixes salts): the credentials would
    /// share Disclosures (RFC 9901 §9.3, §10.1).
    RepeatedSalt,
    /// Fewer free status entries than asked for, or free entries so scarce that
    /// [`DRAWS_PER_INDEX`] random draws per index did not find them: start a new list.
    StatusListFull {
        /// Entries in the list.
        len: usize,
        /// Entries still free.
        free: usize,
        /// Entries asked for.
        wanted: usize,
    },
    /// A status-list failure (an index outside the allocation map, an invalid `uri`).
    Status(sdjwt_status::Error),
    /// Preparing or signing a credential failed, or the random source did.
    Vc(crate::Error),
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyBatch => f.write_str("batch issuance needs at least one holder key"),
            Self::TooLarge { requested, max } => {
                write!(f, "batch of {requested} credentials is larger than {max}")
            }
            Self::DuplicateHolderKey { first, second } => write!(
                f,
                "holder keys {first} and {second} are the same key: their credentials would be \
                 linkable"
            ),
            Self::StatusIndexCount { keys, indices } => write!(
                f,
                "{keys} holder keys but {indices} status indices: one index per credential"
            ),
            Self::DuplicateStatusIndex { idx } => {
                write!(f, "status index {idx} given twice in the batch")
            }
            Self::TemplateStatus => f.write_str(
                "the batch template has a status reference every credential would share; give \
                 one index per credential instead",
            ),
            Self::LinkableClaim { claim } => write!(
                f,
                "strict batch issuance refuses `{claim}`: it would link every presentation"
            ),
            Self::EmptyValidity { start, exp } => write!(
                f,
                "rounded down, exp {exp} is not after the start of validity {start}"
            ),
            Self::RepeatedSalt => f.write_str(
                "a salt repeats within the batch (fixed salts?): credentials would be linkable",
            ),
            Self::StatusListFull { len, free, wanted } => write!(
                f,
                "status list too full: {wanted} entries wanted, {free} of {len} free"
            ),
            Self::Status(e) => e.fmt(f),
            Self::Vc(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BatchError {}

impl From<crate::Error> for BatchError {
    fn from(e: crate::Error) -> Self {
        Self::Vc(e)
    }
}

impl From<sdjwt_status::Error> for BatchError {
    fn from(e: sdjwt_status::Error) -> Self {
        Self::Status(e)
    }
}

impl From<sdjwt_issuer::Error> for BatchError {
    fn from(e: sdjwt_issuer::Error) -> Self {
        Self::Vc(e.into())
    }
}

impl From<sdjwt_jose::Error> for BatchError {
    fn from(e: sdjwt_jose::Error) -> Self {
        Self::Vc(e.into())
    }
}

/// Rounds a NumericDate down to a multiple of `granularity` seconds (RFC 9901 §10.1: "rounded
/// (e.g., rounded down to the beginning of the day)"). Times before 1970 round towards the
/// past as well.
pub fn round_down(time: UnixTime, granularity: NonZeroU64) -> UnixTime {
    let t = i128::from(time);
    let rounded = t - t.rem_euclid(i128::from(granularity.get()));
    UnixTime::try_from(rounded).unwrap_or(UnixTime::MIN)
}

/// Issues a batch of SD-JWT VCs from one template: see the [module documentation](self).
#[derive(Clone, Debug)]
#[must_use]
pub struct BatchIssuance {
    template: VcBuilder,
    granularity: NonZeroU64,
    status: Option<(String, Vec<u64>)>,
    strict: bool,
}

impl BatchIssuance {
    /// A batch made from `template`: its claims, selection, `vct`, issuer, times, header
    /// parameters and builder settings. Its holder key, if any, is replaced by each of the
    /// batch's keys; it must not carry a status reference ([`BatchError::TemplateStatus`]).
    pub fn new(template: VcBuilder) -> Self {
        Self {
            template,
            granularity: DAY,
            status: None,
            strict: true,
        }
    }

    /// Rounds the template's `iat`, `nbf` and `exp` down to a multiple of `seconds` (default
    /// [`DAY`]) so that they reveal only the period, and are the same across the batch
    /// (RFC 9901 §10.1).
    ///
    /// All three are rounded *down*: `iat` and `nbf` to the start of their period, which is
    /// where the period's credentials all fall; `exp` too, so a credential never lives longer
    /// than the Issuer asked (it may end up to one period sooner). Rounding `nbf` down makes
    /// the credential valid up to one period before the time asked for; choose `nbf` at a
    /// period boundary if that matters.
    pub fn time_granularity(mut self, seconds: NonZeroU64) -> Self {
        self.granularity = seconds;
        self
    }

    /// Gives each credential its own status entry: index `indices[i]` of the Status List at
    /// `uri` goes to the credential for holder key `i` (Token Status List §6.2, §13.2). The
    /// indices must be distinct and as many as the holder keys; pick them with
    /// [`StatusIndexAllocator::allocate`] so that they are random.
    pub fn status(mut self, uri: impl Into<String>, indices: Vec<u64>) -> Self {
        self.status = Some((uri.into(), indices));
        self
    }

    /// Strict mode (on by default) refuses a template with a `jti` claim, or with a `sub` claim
    /// that is not selectively disclosable ([`BatchError::LinkableClaim`]). A `jti` is unique
    /// to a token by definition (RFC 7519 §4.1.7): copied into every credential of the batch it
    /// links them all, and in any case it travels in every presentation. An always-visible
    /// `sub` names the subject in every presentation of every credential, which is what batch
    /// issuance exists to prevent. Switching strict mode off lets such claims through; this
    /// type never adds a `jti` itself.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Prepares one credential per holder key, ready to be signed (for signing elsewhere, see
    /// [`PreparedSdJwt::signing_input`]).
    ///
    /// # Errors
    ///
    /// [`BatchError::EmptyBatch`], [`BatchError::TooLarge`], [`BatchError::DuplicateHolderKey`],
    /// [`BatchError::StatusIndexCount`], [`BatchError::DuplicateStatusIndex`],
    /// [`BatchError::TemplateStatus`], [`BatchError::LinkableClaim`],
    /// [`BatchError::EmptyValidity`], [`BatchError::RepeatedSalt`], [`BatchError::Status`] for
    /// an unusable `uri`, and [`BatchError::Vc`] for the template's own errors.
    pub fn prepare(
        &self,
        holder_keys: &[Jwk],
        provider: &CryptoProvider,
    ) -> Result<Vec<PreparedSdJwt>, BatchError> {
        self.check(holder_keys)?;
        let template = self.coarse_template()?;
        let mut prepared = Vec::with_capacity(holder_keys.len());
        for (i, key) in holder_keys.iter().enumerate() {
            let mut builder = template.clone().holder_key(key);
            if let Some((uri, indices)) = &self.status {
                // `check` matched the counts.
                if let Some(&idx) = indices.get(i) {
                    builder = builder.status(StatusListReference {
                        idx,
                        uri: uri.clone(),
                    });
                }
            }
            // A prepare of its own per credential: fresh salts and decoys every time.
            prepared.push(builder.prepare(provider)?);
        }
        let mut salts = BTreeSet::new();
        for d in prepared.iter().flat_map(PreparedSdJwt::disclosures) {
            if !salts.insert(d.salt()) {
                return Err(BatchError::RepeatedSalt);
            }
        }
        Ok(prepared)
    }

    /// Prepares and signs one credential per holder key with `signer` (the same issuer key and
    /// `kid` for all: the issuer is meant to be known).
    ///
    /// # Errors
    ///
    /// As [`BatchIssuance::prepare`], and signing errors.
    pub fn issue(
        &self,
        holder_keys: &[Jwk],
        provider: &CryptoProvider,
        signer: &dyn JwsSigner,
    ) -> Result<Vec<SdJwt>, BatchError> {
        self.prepare(holder_keys, provider)?
            .iter()
            .map(|p| p.sign(signer).map_err(BatchError::from))
            .collect()
    }

    /// Everything that can be checked before any work.
    fn check(&self, holder_keys: &[Jwk]) -> Result<(), BatchError> {
        if holder_keys.is_empty() {
            return Err(BatchError::EmptyBatch);
        }
        if holder_keys.len() > MAX_BATCH {
            return Err(BatchError::TooLarge {
                requested: holder_keys.len(),
                max: MAX_BATCH,
            });
        }
        // RFC 7638 thumbprint inputs identify a key whatever its other members.
        let mut seen = std::collections::BTreeMap::new();
        for (second, key) in holder_keys.iter().enumerate() {
            if let Some(first) = seen.insert(key.thumbprint_input(), second) {
                return Err(BatchError::DuplicateHolderKey { first, second });
            }
        }
        if self.template.has_status() {
            return Err(BatchError::TemplateStatus);
        }
        if let Some((uri, indices)) = &self.status {
            if indices.len() != holder_keys.len() {
                return Err(BatchError::StatusIndexCount {
                    keys: holder_keys.len(),
                    indices: indices.len(),
                });
            }
            let mut distinct = BTreeSet::new();
            for &idx in indices {
                if !distinct.insert(idx) {
                    return Err(BatchError::DuplicateStatusIndex { idx });
                }
                // The same checks the verifier side applies to a reference.
                StatusReference::new(idx, uri.clone())?;
            }
        }
        if self.strict {
            let claims = self.template.template_claims();
            if claims.contains_key("jti") {
                return Err(BatchError::LinkableClaim { claim: "jti" });
            }
            let sub_disclosable = ClaimName::new("sub")
                .map(|name| ClaimPath::root().key(name))
                .is_ok_and(|sub| self.template.disclosed_paths().contains(&sub));
            if claims.contains_key("sub") && !sub_disclosable {
                return Err(BatchError::LinkableClaim { claim: "sub" });
            }
        }
        Ok(())
    }

    /// The template with its times rounded down.
    fn coarse_template(&self) -> Result<VcBuilder, BatchError> {
        let [iat, nbf, exp] = self
            .template
            .times()
            .map(|t| t.map(|t| round_down(t, self.granularity)));
        if let Some(exp) = exp
            && let Some(start) = iat.max(nbf)
            && exp <= start
        {
            return Err(BatchError::EmptyValidity { start, exp });
        }
        let mut template = self.template.clone();
        if let Some(iat) = iat {
            template = template.issued_at(iat);
        }
        if let Some(nbf) = nbf {
            template = template.not_before(nbf);
        }
        if let Some(exp) = exp {
            template = template.expires_at(exp);
        }
        Ok(template)
    }
}

/// Hands out status list indices at random, never the same one twice (Token Status List
/// §12.5.1: "choose non-sequential, pseudo-random or random indices"; §13.3: prevent double
/// allocation).
///
/// It keeps an *allocation map*: a [`StatusList`] as long as the published Status List, whose
/// entry is not VALID (non-zero) where the index has been handed out. It is **not** the
/// published list (where a credential in use is VALID, 0): store it alongside, and load it with
/// [`StatusIndexAllocator::from_map`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusIndexAllocator {
    used: StatusList,
    free: usize,
}

impl StatusIndexAllocator {
    /// An allocator for a list of `len` entries, none handed out (a one-bit map of
    /// `ceil(len / 8)` bytes).
    pub fn new(len: usize) -> Self {
        Self {
            used: StatusList::new(Bits::One, len),
            free: len,
        }
    }

    /// An allocator over an existing allocation map: entries that are not VALID are taken.
    /// Counting the free entries reads the whole map once.
    pub fn from_map(used: StatusList) -> Self {
        let free = (0..used.len())
            .filter(|&i| used.get(i).is_ok_and(Status::is_valid))
            .count();
        Self { used, free }
    }

    /// The allocation map, for storage.
    pub fn map(&self) -> &StatusList {
        &self.used
    }

    /// The number of entries in the list.
    pub fn len(&self) -> usize {
        self.used.len()
    }

    /// Whether the list has no entries at all.
    pub fn is_empty(&self) -> bool {
        self.used.is_empty()
    }

    /// How many entries are still free.
    pub fn free(&self) -> usize {
        self.free
    }

    /// Whether `idx` has been handed out (indices outside the list count as taken).
    pub fn is_used(&self, idx: u64) -> bool {
        usize::try_from(idx)
            .ok()
            .and_then(|i| self.used.get(i).ok())
            .is_none_or(|s| !s.is_valid())
    }

    /// Marks `idx` as handed out (for indices chosen some other way).
    ///
    /// # Errors
    ///
    /// [`sdjwt_status::Error::IndexOutOfBounds`] for an index outside the list.
    pub fn mark_used(&mut self, idx: u64) -> Result<(), BatchError> {
        let i = usize::try_from(idx).map_err(|_| sdjwt_status::Error::IndexOutOfBounds {
            index: idx,
            len: self.used.len(),
        })?;
        if self.used.get(i)?.is_valid() {
            self.used.set(i, Status::Invalid)?;
            self.free = self.free.saturating_sub(1);
        }
        Ok(())
    }

    /// Picks `count` distinct free indices uniformly at random with the provider's random
    /// source, and marks them as handed out. Each draw is a 64-bit number accepted only below
    /// the largest multiple of the list length (rejection sampling: no modulo bias); a draw
    /// that lands on a taken index is drawn again.
    ///
    /// # Errors
    ///
    /// [`BatchError::TooLarge`] for more than [`MAX_BATCH`]; [`BatchError::StatusListFull`]
    /// when fewer than `count` entries are free, or when [`DRAWS_PER_INDEX`] draws per index
    /// did not find them all (the map is left as it was); [`BatchError::Vc`] when the random
    /// source fails.
    pub fn allocate(
        &mut self,
        count: usize,
        provider: &CryptoProvider,
    ) -> Result<Vec<u64>, BatchError> {
        if count > MAX_BATCH {
            return Err(BatchError::TooLarge {
                requested: count,
                max: MAX_BATCH,
            });
        }
        let full = || BatchError::StatusListFull {
            len: self.used.len(),
            free: self.free,
            wanted: count,
        };
        if count > self.free {
            return Err(full());
        }
        let mut chosen: Vec<usize> = Vec::with_capacity(count);
        let mut taken = BTreeSet::new();
        let mut draws = 0usize;
        let budget = count.saturating_mul(DRAWS_PER_INDEX);
        while chosen.len() < count {
            if draws >= budget {
                return Err(full());
            }
            draws += 1;
            let Some(i) = self.draw(provider)? else {
                continue;
            };
            if self.used.get(i)?.is_valid() && taken.insert(i) {
                chosen.push(i);
            }
        }
        for &i in &chosen {
            self.used.set(i, Status::Invalid)?;
        }
        self.free -= count;
        Ok(chosen.into_iter().map(|i| i as u64).collect())
    }

    /// One uniform draw from `0..len`, or `None` when the 64-bit number falls in the biased
    /// tail and must be drawn again.
    fn draw(&self, provider: &CryptoProvider) -> Result<Option<usize>, BatchError> {
        let n = self.used.len() as u64;
        if n == 0 {
            return Ok(None);
        }
        let mut bytes = [0u8; 8];
        provider.fill_random(&mut bytes)?;
        let x = u64::from_le_bytes(bytes);
        // The largest multiple of n that fits: values at or above it would favour small indices.
        let zone = (u64::MAX / n) * n;
        Ok((x < zone).then(|| (x % n) as usize))
    }
}
