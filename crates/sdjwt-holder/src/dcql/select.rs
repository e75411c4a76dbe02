//! Matching a DCQL query against the holder's credentials and choosing the least disclosure
//! (OpenID4VP 1.0 §6.4 Selecting Claims and Credentials).

use core::fmt;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use sdjwt_core::ClaimPath;
use sdjwt_jose::CryptoProvider;
use serde_json::{Map, Value};

use super::error::DcqlError;
use super::pointer::{ClaimsPathPointer, PointerError};
use super::query::{ClaimValue, CredentialFormat, CredentialQuery, DcqlId, DcqlQuery};
use crate::policy::Policy;
use crate::{Credential, KeyBindingRequest};

/// The `typ` of an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc §2.2.1), which a `dc+sd-jwt` query
/// asks for.
pub const SD_JWT_VC_TYP: &str = "dc+sd-jwt";

/// The `typ` SD-JWT VC drafts before -06 used. A wallet may still hold such credentials; they
/// answer `dc+sd-jwt` queries too (the verifier decides whether it accepts them).
pub const LEGACY_SD_JWT_VC_TYP: &str = "vc+sd-jwt";

/// How far [`MatchOptions::with_extends`] ancestry is followed: SD-JWT VC type metadata chains
/// are short, and a cycle in the holder's table must not loop.
pub const MAX_EXTENDS_DEPTH: usize = 16;

/// Decides whether a credential meets a Trusted Authorities Query (OpenID4VP 1.0 §6.1.1).
///
/// The wallet knows how its credentials chain to authorities (an X.509 chain for `aki` and
/// `etsi_tl`, a federation trust chain for `openid_federation`); this crate does not, so it
/// asks.
pub trait AuthorityMatcher {
    /// Whether `credential` matches one of `values` of the authority type `kind`
    /// (§6.1.1.1 to §6.1.1.3). `None` when this matcher cannot evaluate `kind`.
    fn matches(&self, credential: &Credential, kind: &str, values: &[String]) -> Option<bool>;
}

/// What [`DcqlQuery::select`] needs to know beyond the query and the credentials.
#[derive(Clone, Default)]
pub struct MatchOptions<'a> {
    extends: BTreeMap<String, Vec<String>>,
    include_optional: bool,
    authority_matcher: Option<&'a dyn AuthorityMatcher>,
}

impl fmt::Debug for MatchOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MatchOptions")
            .field("extends", &self.extends)
            .field("include_optional", &self.include_optional)
            .field("authority_matcher", &self.authority_matcher.is_some())
            .finish()
    }
}

impl<'a> MatchOptions<'a> {
    /// No type ancestry, optional credential sets left out, no authority matcher.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that type `vct` extends type `parent` (SD-JWT VC type metadata `extends`).
    /// OpenID4VP 1.0 Appendix B.3.5 lets the wallet return a credential whose type inherits
    /// from one of `vct_values`. A type may have several parents (several calls).
    #[must_use]
    pub fn with_extends(mut self, vct: impl Into<String>, parent: impl Into<String>) -> Self {
        self.extends
            .entry(vct.into())
            .or_default()
            .push(parent.into());
        self
    }

    /// Whether optional credential sets (`required: false`) are answered when they can be.
    /// The default, `false`, sends the minimum: the verifier said it can do without them.
    #[must_use]
    pub fn include_optional_sets(mut self, include: bool) -> Self {
        self.include_optional = include;
        self
    }

    /// The matcher for `trusted_authorities`. Without one, a credential query with
    /// `trusted_authorities` matches no credential.
    #[must_use]
    pub fn with_authority_matcher(mut self, matcher: &'a dyn AuthorityMatcher) -> Self {
        self.authority_matcher = Some(matcher);
        self
    }

    /// `vct` and every type it extends, nearest first, at most [`MAX_EXTENDS_DEPTH`] levels,
    /// each once.
    pub fn type_and_ancestors<'s>(&'s self, vct: &'s str) -> Vec<&'s str> {
        let mut out = vec![vct];
        let mut level = vec![vct];
        for _ in 0..MAX_EXTENDS_DEPTH {
            let mut next = Vec::new();
            for t in level {
                for parent in self.extends.get(t).into_iter().flatten() {
                    if !out.contains(&parent.as_str()) {
                        out.push(parent);
                        next.push(parent.as_str());
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            level = next;
        }
        out
    }
}

/// The credential chosen for a credential query and what it reveals.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectedCredential {
    /// Index into the credentials given to [`DcqlQuery::select`].
    pub credential: usize,
    /// The Disclosures to send (indices into the credential's Disclosures, ascending): those
    /// of the selected claims, of their ancestors and of everything beneath them, nothing else.
    pub disclosures: Vec<usize>,
    /// The concrete claims selected (claims path pointers expanded, `values` applied).
    pub paths: Vec<ClaimPath>,
    /// Which `claim_sets` option was chosen, when the query has `claim_sets`.
    pub claim_set: Option<usize>,
}

/// The answer to one credential query.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectedQuery {
    /// The credential query's `id` (the VP Token key, OpenID4VP 1.0 §8.1).
    pub id: DcqlId,
    /// `require_cryptographic_holder_binding` of the query.
    pub require_holder_binding: bool,
    /// One credential, or several for `multiple: true`, in the order given.
    pub credentials: Vec<SelectedCredential>,
}

/// What a wallet sends for a DCQL query: per credential query, in query order, the chosen
/// credentials and Disclosures. Credential queries left out (optional sets, options not
/// chosen) have no entry, as OpenID4VP 1.0 §8.1 requires.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Selection {
    queries: Vec<SelectedQuery>,
}

impl Selection {
    /// The answered credential queries, in query order.
    pub fn queries(&self) -> &[SelectedQuery] {
        &self.queries
    }

    /// The answer to the credential query `id`.
    pub fn query(&self, id: &str) -> Option<&SelectedQuery> {
        self.queries.iter().find(|q| q.id.as_str() == id)
    }

    /// Whether nothing is to be sent.
    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }

    /// Builds the presentations and returns the VP Token (OpenID4VP 1.0 §8.1 Response
    /// Parameters): an object whose keys are credential query ids and whose values are arrays
    /// of compact SD-JWT presentations (Appendix B.3), one per selected credential.
    ///
    /// `key_binding(i)` gives the Key Binding JWT inputs for credential `i` (its holder
    /// signer, the verifier's `client_id` as audience, the request nonce). A query that
    /// requires cryptographic holder binding (the default) fails without one; for the others
    /// a key binding given is used and none means a presentation without KB-JWT. The same
    /// credential chosen by two queries is presented twice, each time with only that query's
    /// Disclosures.
    ///
    /// # Errors
    ///
    /// [`DcqlError::NoSuchCredential`] when `credentials` is not the list the selection was
    /// made from, [`DcqlError::KeyBindingRequired`], [`DcqlError::Presentation`].
    pub fn present<'k>(
        &self,
        credentials: &[&Credential],
        provider: &CryptoProvider,
        mut key_binding: impl FnMut(usize) -> Option<KeyBindingRequest<'k>>,
    ) -> Result<Map<String, Value>, DcqlError> {
        let mut token = Map::new();
        for q in &self.queries {
            let mut presentations = Vec::with_capacity(q.credentials.len());
            for chosen in &q.credentials {
                let credential =
                    credentials
                        .get(chosen.credential)
                        .ok_or(DcqlError::NoSuchCredential {
                            credential: chosen.credential,
                            count: credentials.len(),
                        })?;
                let kb = key_binding(chosen.credential);
                if q.require_holder_binding && kb.is_none() {
                    return Err(DcqlError::KeyBindingRequired {
                        query: q.id.as_str().to_owned(),
                        credential: chosen.credential,
                    });
                }
                let presentation = credential
                    .present_disclosures(&chosen.disclosures, kb.as_ref(), provider)
                    .map_err(|error| DcqlError::Presentation {
                        query: q.id.as_str().to_owned(),
                        credential: chosen.credential,
                        error,
                    })?;
                presentations.push(Value::String(presentation.to_compact()));
            }
            token.insert(q.id.as_str().to_owned(), Value::Array(presentations));
        }
        Ok(token)
    }
}

/// Why one claims query is not met by a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimFailureReason {
    /// Processing the pointer failed or selected nothing (OpenID4VP 1.0 §7.1.1).
    Absent(PointerError),
    /// The claim exists but none of its values is one of `values`, so it counts as absent
    /// (§6.4.1).
    ValueMismatch {
        /// The values the verifier asked for.
        values: Vec<ClaimValue>,
    },
}

/// A claims query a credential does not meet.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClaimFailure {
    /// The claims path pointer.
    pub path: ClaimsPathPointer,
    /// Why.
    pub reason: ClaimFailureReason,
}

impl fmt::Display for ClaimFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            ClaimFailureReason::Absent(PointerError::NothingSelected) => {
                write!(f, "claim {} is not in the credential", self.path)
            }
            ClaimFailureReason::Absent(e) => {
                write!(f, "claim {} cannot be selected: {e}", self.path)
            }
            ClaimFailureReason::ValueMismatch { values } => {
                write!(
                    f,
                    "claim {} does not have one of the requested values ",
                    self.path
                )?;
                write_list(f, values)
            }
        }
    }
}

/// Why a held credential does not answer a credential query.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mismatch {
    /// Its `typ` is neither `dc+sd-jwt` nor the legacy `vc+sd-jwt`.
    NotSdJwtVc {
        /// Its `typ`, if any.
        typ: Option<String>,
    },
    /// Neither its `vct` nor a type it extends is in `meta.vct_values` (Appendix B.3.5).
    VctNotRequested {
        /// Its plaintext `vct`, if any.
        vct: Option<String>,
        /// The query's `vct_values`.
        vct_values: Vec<String>,
    },
    /// It has no `cnf.jwk`, but the query requires cryptographic holder binding (§6.1,
    /// Appendix B.3).
    NoHolderBinding,
    /// It matches none of the `trusted_authorities` (§6.1.1).
    TrustedAuthorities {
        /// Types the matcher evaluated and found unmet.
        not_met: Vec<String>,
        /// Types nothing could evaluate (no matcher, or it answered `None`).
        unevaluable: Vec<String>,
    },
    /// Claims queries it does not meet (§6.4.1).
    Claims {
        /// The claims queries not met (with `claim_sets`: those any option names).
        failures: Vec<ClaimFailure>,
        /// With `claim_sets`: how many options there were (none can be met).
        options: Option<usize>,
    },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotSdJwtVc { typ: Some(typ) } => {
                write!(f, "its typ is {typ:?}, not {SD_JWT_VC_TYP:?}")
            }
            Self::NotSdJwtVc { typ: None } => {
                write!(f, "it has no typ; {SD_JWT_VC_TYP:?} is needed")
            }
            Self::VctNotRequested {
                vct: Some(vct),
                vct_values,
            } => {
                write!(
                    f,
                    "its vct {vct:?} (or a type it extends) is not one of the requested vct_values "
                )?;
                write_list(f, vct_values)
            }
            Self::VctNotRequested {
                vct: None,
                vct_values,
            } => {
                f.write_str("it has no vct; the query asks for one of ")?;
                write_list(f, vct_values)
            }
            Self::NoHolderBinding => f.write_str(
                "it has no holder key (cnf.jwk), and the query requires cryptographic holder binding",
            ),
            Self::TrustedAuthorities {
                not_met,
                unevaluable,
            } => {
                f.write_str("its issuer matches none of the trusted authorities")?;
                for kind in not_met {
                    write!(f, "; type {kind:?} not met")?;
                }
                for kind in unevaluable {
                    write!(f, "; type {kind:?} cannot be evaluated by this wallet")?;
                }
                Ok(())
            }
            Self::Claims { failures, options } => {
                if let Some(n) = options {
                    write!(f, "none of the {n} claim_sets options can be met: ")?;
                }
                for (i, failure) in failures.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    failure.fmt(f)?;
                }
                Ok(())
            }
        }
    }
}

/// Why one held credential does not answer a credential query.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CandidateFailure {
    /// Index into the credentials given.
    pub credential: usize,
    /// Its plaintext `vct`, if any.
    pub vct: Option<String>,
    /// Every reason found (claims are only examined once the credential's type, holder
    /// binding and authority fit).
    pub reasons: Vec<Mismatch>,
}

/// Why a credential query has no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryFailureReason {
    /// The wallet holds only SD-JWT VCs; this query asks for another format.
    UnsupportedFormat {
        /// The format asked for.
        format: CredentialFormat,
    },
    /// No held credential matches; one entry per held credential.
    NoMatch {
        /// Each credential's reasons, in the order given.
        candidates: Vec<CandidateFailure>,
    },
}

/// A credential query no held credential answers.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueryFailure {
    /// The credential query's id.
    pub query: DcqlId,
    /// Why.
    pub reason: QueryFailureReason,
}

impl fmt::Display for QueryFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "credential query `{}`: no credential matches",
            self.query
        )?;
        match &self.reason {
            QueryFailureReason::UnsupportedFormat { format } => {
                write!(f, "\n  this wallet holds no {format} credentials")
            }
            QueryFailureReason::NoMatch { candidates } if candidates.is_empty() => {
                f.write_str("\n  the wallet holds no credentials")
            }
            QueryFailureReason::NoMatch { candidates } => {
                for c in candidates {
                    write!(f, "\n  credential {}", c.credential)?;
                    if let Some(vct) = &c.vct {
                        write!(f, " (vct {vct})")?;
                    }
                    f.write_str(": ")?;
                    for (i, reason) in c.reasons.iter().enumerate() {
                        if i > 0 {
                            f.write_str("; ")?;
                        }
                        reason.fmt(f)?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// The holder's credentials cannot meet a DCQL query, so no credential at all may be returned
/// (OpenID4VP 1.0 §6.4.2: "If the Wallet cannot deliver all non-optional Credentials ... it
/// MUST NOT return any Credential(s)").
///
/// This explanation is for the holder (a wallet UI, a log the holder reads). **It must not be
/// sent to the verifier**: whether a claim exists or a value matched is itself information
/// about the holder (§15.4.1 DCQL Value Matching).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unsatisfied {
    /// Required credential sets none of whose options can be met (indices into
    /// `credential_sets`; empty when the query has none).
    pub sets: Vec<usize>,
    /// The credential queries behind the failure, with every held credential's reasons.
    pub queries: Vec<QueryFailure>,
}

impl fmt::Display for Unsatisfied {
    /// One line per failing set, then each failing query with one indented line per held
    /// credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, set) in self.sets.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(
                f,
                "credential set {set} (required): none of its options can be met"
            )?;
        }
        for (i, q) in self.queries.iter().enumerate() {
            if i > 0 || !self.sets.is_empty() {
                f.write_str("\n")?;
            }
            q.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Unsatisfied {}

fn write_list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T]) -> fmt::Result {
    f.write_str("[")?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    f.write_str("]")
}

/// The concrete claims a claims query selects in a credential (§7.1.1, then `values`).
fn claim_paths(
    claims: &Map<String, Value>,
    path: &ClaimsPathPointer,
    values: Option<&[ClaimValue]>,
) -> Result<Vec<ClaimPath>, ClaimFailureReason> {
    let selected = path.select(claims).map_err(ClaimFailureReason::Absent)?;
    let Some(values) = values else {
        return Ok(selected.into_iter().map(|(p, _)| p).collect());
    };
    let kept: Vec<ClaimPath> = selected
        .into_iter()
        .filter(|(_, v)| values.iter().any(|want| want.matches(v)))
        .map(|(p, _)| p)
        .collect();
    if kept.is_empty() {
        return Err(ClaimFailureReason::ValueMismatch {
            values: values.to_vec(),
        });
    }
    Ok(kept)
}

/// The plaintext `vct` of a credential (SD-JWT VC: never selectively disclosable).
fn vct_of(credential: &Credential) -> Option<String> {
    credential
        .sd_jwt()
        .payload()
        .get("vct")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Whether `credential` answers `query`; if so, with the least disclosure.
fn evaluate(
    query: &CredentialQuery,
    credential: &Credential,
    index: usize,
    options: &MatchOptions<'_>,
) -> Result<SelectedCredential, CandidateFailure> {
    let vct = vct_of(credential);
    let mut reasons = Vec::new();
    let header = credential.sd_jwt().header();
    if !header.typ_is(SD_JWT_VC_TYP) && !header.typ_is(LEGACY_SD_JWT_VC_TYP) {
        reasons.push(Mismatch::NotSdJwtVc {
            typ: header.typ().map(str::to_owned),
        });
    }
    let vct_values = query.vct_values().unwrap_or_default();
    let type_ok = vct.as_deref().is_some_and(|v| {
        options
            .type_and_ancestors(v)
            .iter()
            .any(|t| vct_values.iter().any(|w| w == t))
    });
    if !type_ok {
        reasons.push(Mismatch::VctNotRequested {
            vct: vct.clone(),
            vct_values: vct_values.to_vec(),
        });
    }
    if query.require_cryptographic_holder_binding
        && sdjwt_core::holder_key(credential.sd_jwt().payload()).is_err()
    {
        reasons.push(Mismatch::NoHolderBinding);
    }
    if let Some(authorities) = &query.trusted_authorities {
        let mut not_met = Vec::new();
        let mut unevaluable = Vec::new();
        let mut met = false;
        for ta in authorities {
            let answer = options
                .authority_matcher
                .and_then(|m| m.matches(credential, ta.kind(), ta.values()));
            match answer {
                Some(true) => met = true,
                Some(false) => not_met.push(ta.kind().to_owned()),
                None => unevaluable.push(ta.kind().to_owned()),
            }
        }
        if !met {
            reasons.push(Mismatch::TrustedAuthorities {
                not_met,
                unevaluable,
            });
        }
    }
    let fail = |reasons| CandidateFailure {
        credential: index,
        vct: vct.clone(),
        reasons,
    };
    if !reasons.is_empty() {
        return Err(fail(reasons));
    }
    let Some(claims) = &query.claims else {
        // §6.4.1: no claims asked, only what is mandatory to present.
        return Ok(SelectedCredential {
            credential: index,
            disclosures: Vec::new(),
            paths: Vec::new(),
            claim_set: None,
        });
    };
    let results: Vec<Result<Vec<ClaimPath>, ClaimFailureReason>> = claims
        .iter()
        .map(|c| claim_paths(credential.claims(), c.path(), c.values()))
        .collect();
    let failure = |i: usize, reason: &ClaimFailureReason| {
        claims.get(i).map(|c| ClaimFailure {
            path: c.path().clone(),
            reason: reason.clone(),
        })
    };
    let Some(sets) = &query.claim_sets else {
        let failures: Vec<ClaimFailure> = results
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.as_ref().err().and_then(|e| failure(i, e)))
            .collect();
        if !failures.is_empty() {
            return Err(fail(vec![Mismatch::Claims {
                failures,
                options: None,
            }]));
        }
        let paths = unique_paths(results.iter().filter_map(|r| r.as_ref().ok()));
        return Ok(SelectedCredential {
            credential: index,
            disclosures: credential.disclosures_for(&paths),
            paths,
            claim_set: None,
        });
    };
    // §6.4.1 says the wallet SHOULD return the first option it can satisfy, and names as a
    // reason to deviate "scenarios where the Verifier did not order the options to minimize
    // information disclosure". This wallet cannot tell whether the verifier did, so it
    // always returns the satisfiable option that needs the fewest Disclosures; among equals,
    // the verifier's order decides.
    let position: HashMap<&DcqlId, usize> = claims
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.id().map(|id| (id, i)))
        .collect();
    let mut best: Option<SelectedCredential> = None;
    let mut named = BTreeSet::new();
    for (o, option) in sets.iter().enumerate() {
        // Parsed queries name only known ids; an unknown one makes the option unmet.
        let Some(members) = option
            .iter()
            .map(|id| position.get(id).copied())
            .collect::<Option<Vec<usize>>>()
        else {
            continue;
        };
        named.extend(members.iter().copied());
        let mut paths_ok = Vec::with_capacity(members.len());
        for &m in &members {
            match results.get(m) {
                Some(Ok(paths)) => paths_ok.push(paths),
                _ => break,
            }
        }
        if paths_ok.len() != members.len() {
            continue;
        }
        let paths = unique_paths(paths_ok.into_iter());
        let disclosures = credential.disclosures_for(&paths);
        if best
            .as_ref()
            .is_none_or(|b| disclosures.len() < b.disclosures.len())
        {
            best = Some(SelectedCredential {
                credential: index,
                disclosures,
                paths,
                claim_set: Some(o),
            });
        }
    }
    best.ok_or_else(|| {
        let failures = named
            .iter()
            .filter_map(|&i| match results.get(i) {
                Some(Err(e)) => failure(i, e),
                _ => None,
            })
            .collect();
        fail(vec![Mismatch::Claims {
            failures,
            options: Some(sets.len()),
        }])
    })
}

/// The union of the selected paths, each once, in first-seen order.
fn unique_paths<'p>(lists: impl Iterator<Item = &'p Vec<ClaimPath>>) -> Vec<ClaimPath> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for p in lists.flatten() {
        if seen.insert(p) {
            out.push(p.clone());
        }
    }
    out
}

/// The answer to one credential query, or why there is none.
fn answer_query(
    query: &CredentialQuery,
    credentials: &[&Credential],
    options: &MatchOptions<'_>,
) -> Result<Vec<SelectedCredential>, QueryFailureReason> {
    if query.format != CredentialFormat::DcSdJwt {
        return Err(QueryFailureReason::UnsupportedFormat {
            format: query.format.clone(),
        });
    }
    let mut matches = Vec::new();
    let mut candidates = Vec::new();
    for (i, credential) in credentials.iter().enumerate() {
        match evaluate(query, credential, i, options) {
            Ok(m) => matches.push(m),
            Err(f) => candidates.push(f),
        }
    }
    if matches.is_empty() {
        return Err(QueryFailureReason::NoMatch { candidates });
    }
    if query.multiple {
        return Ok(matches);
    }
    // One credential: the one revealing least; among equals, the first given (`min_by_key`
    // keeps the first of equal minima).
    Ok(matches
        .into_iter()
        .min_by_key(|m| m.disclosures.len())
        .into_iter()
        .collect())
}

fn cost(answer: &[SelectedCredential]) -> usize {
    answer.iter().map(|c| c.disclosures.len()).sum()
}

impl DcqlQuery {
    /// Matches the query against the holder's credentials and chooses what to send, revealing
    /// as little as the rules allow (OpenID4VP 1.0 §6.4 Selecting Claims and Credentials):
    ///
    /// * **Format** (`format`, Appendix B.3.1): only `dc+sd-jwt` queries can match, and only
    ///   credentials whose `typ` is `dc+sd-jwt` or the legacy [`LEGACY_SD_JWT_VC_TYP`]. This
    ///   wallet holds no `mso_mdoc` (or other) credentials.
    /// * **Type** (`meta.vct_values`, Appendix B.3.5): the plaintext `vct`, or a type it
    ///   extends per [`MatchOptions::with_extends`], is one of them.
    /// * **Holder binding** (`require_cryptographic_holder_binding`, default `true`): the
    ///   credential has `cnf.jwk`.
    /// * **Trusted authorities** (§6.1.1): the [`AuthorityMatcher`] says one entry matches. A
    ///   type that cannot be evaluated does not match: §6.1 wants the wallet not to reveal data
    ///   the verifier will likely reject.
    /// * **Claims** (§6.4.1, §7.1.1): every claims path pointer is processed over the fully
    ///   disclosed claims; an error or empty selection, or no element left after `values`
    ///   matching (type and value exactly), leaves the claim unmet. No `claims`: nothing
    ///   selectively disclosable is sent. `claims` without `claim_sets`: all must be met.
    ///   With `claim_sets`: of the options this credential meets, the one needing the fewest
    ///   Disclosures (ties: the verifier's order). This deviates on purpose from "SHOULD return
    ///   the first option": §6.4.1 allows deviating when the verifier did not order its options
    ///   to minimise disclosure, which a wallet cannot verify, so it minimises itself.
    /// * **Disclosures**: for each selected claim, those of its ancestors, its own and those
    ///   of everything beneath it (as [`Credential::select`]); no other selectively
    ///   disclosable claim (§6.4: "Wallets MUST NOT send selectively disclosable claims that
    ///   have not been selected").
    /// * **Credentials** (§6.4.2): for `multiple: false`, the matching credential needing the
    ///   fewest Disclosures (ties: the order given); for `multiple: true`, every matching one.
    ///   One credential may answer several queries. Without `credential_sets` every credential
    ///   query is required. With them, each required set is answered with the satisfiable
    ///   option needing the fewest Disclosures in total (ties: the verifier's order); optional
    ///   sets are left out unless [`MatchOptions::include_optional_sets`], and then answered
    ///   the same way when they can be.
    ///
    /// # Errors
    ///
    /// [`DcqlError::Unsatisfied`] when a required credential query or set cannot be met: then
    /// nothing at all may be sent. Its explanation is for the holder only (see
    /// [`Unsatisfied`]).
    pub fn select(
        &self,
        credentials: &[&Credential],
        options: &MatchOptions<'_>,
    ) -> Result<Selection, DcqlError> {
        let answers: Vec<Result<Vec<SelectedCredential>, QueryFailureReason>> = self
            .credentials
            .iter()
            .map(|q| answer_query(q, credentials, options))
            .collect();
        let index_of: HashMap<&DcqlId, usize> = self
            .credentials
            .iter()
            .enumerate()
            .map(|(i, q)| (&q.id, i))
            .collect();
        let mut chosen = vec![false; self.credentials.len()];
        let mut failing_sets = Vec::new();
        let mut failing_queries = BTreeSet::new();
        match &self.credential_sets {
            None => {
                for (i, a) in answers.iter().enumerate() {
                    if a.is_err() {
                        failing_queries.insert(i);
                    }
                    if let Some(c) = chosen.get_mut(i) {
                        *c = true;
                    }
                }
            }
            Some(sets) => {
                for (s, set) in sets.iter().enumerate() {
                    let mut best: Option<(usize, Vec<usize>)> = None;
                    for option in &set.options {
                        let Some(members) = option
                            .iter()
                            .map(|id| index_of.get(id).copied())
                            .collect::<Option<Vec<usize>>>()
                        else {
                            continue;
                        };
                        let total: Option<usize> = members
                            .iter()
                            .map(|&m| {
                                answers
                                    .get(m)
                                    .and_then(|a| a.as_ref().ok())
                                    .map(|a| cost(a))
                            })
                            .sum();
                        if let Some(total) = total
                            && best.as_ref().is_none_or(|(c, _)| total < *c)
                        {
                            best = Some((total, members));
                        }
                    }
                    match best {
                        Some((_, members)) if set.required || options.include_optional => {
                            for m in members {
                                if let Some(c) = chosen.get_mut(m) {
                                    *c = true;
                                }
                            }
                        }
                        Some(_) => {}
                        None if set.required => {
                            failing_sets.push(s);
                            for id in set.options.iter().flatten() {
                                if let Some(&m) = index_of.get(id)
                                    && answers.get(m).is_some_and(Result::is_err)
                                {
                                    failing_queries.insert(m);
                                }
                            }
                        }
                        None => {}
                    }
                }
            }
        }
        if !failing_queries.is_empty() || !failing_sets.is_empty() {
            let queries = failing_queries
                .iter()
                .filter_map(|&i| {
                    let q = self.credentials.get(i)?;
                    let reason = answers.get(i)?.as_ref().err()?.clone();
                    Some(QueryFailure {
                        query: q.id.clone(),
                        reason,
                    })
                })
                .collect();
            return Err(DcqlError::Unsatisfied(Unsatisfied {
                sets: failing_sets,
                queries,
            }));
        }
        let queries = self
            .credentials
            .iter()
            .zip(answers)
            .zip(chosen)
            .filter(|(_, chosen)| *chosen)
            .filter_map(|((q, a), _)| {
                Some(SelectedQuery {
                    id: q.id.clone(),
                    require_holder_binding: q.require_cryptographic_holder_binding,
                    credentials: a.ok()?,
                })
            })
            .collect();
        Ok(Selection { queries })
    }

    /// [`Policy::check`] for `verifier`, then [`DcqlQuery::select`] on what the policy lets
    /// through: claims the policy refuses are never selected, whatever the credentials hold.
    ///
    /// # Errors
    ///
    /// [`DcqlError::Refused`] (the policy's verdict, holder-facing only), then as
    /// [`DcqlQuery::select`].
    pub fn select_with_policy(
        &self,
        credentials: &[&Credential],
        options: &MatchOptions<'_>,
        policy: &Policy,
        verifier: &str,
    ) -> Result<Selection, DcqlError> {
        let decision = policy.check(verifier, self).map_err(DcqlError::Refused)?;
        decision.query().select(credentials, options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestry_is_followed_without_looping() {
        let o = MatchOptions::new()
            .with_extends("c", "b")
            .with_extends("b", "a")
            .with_extends("a", "c")
            .with_extends("b", "x");
        assert_eq!(o.type_and_ancestors("c"), vec!["c", "b", "a", "x"]);
        assert_eq!(o.type_and_ancestors("z"), vec!["z"]);
    }
}
