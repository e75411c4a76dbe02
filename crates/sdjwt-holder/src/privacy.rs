//! A privacy report on a presentation: what the Verifier learns from it, and which values in it
//! could link it to other presentations or to the Issuer's records.
//!
//! Selective disclosure hides the claims a Holder withholds, but not the envelope around them.
//! RFC 9901 §10.1 ("Unlinkability") spells the consequence out: the Issuer's signature, the
//! holder key in `cnf`, the salted Disclosures and precise timestamps are the same in every
//! presentation of one credential, so colluding Verifiers (or a Verifier and the Issuer) can
//! tell they saw the same credential "no matter what fields have been disclosed". The
//! `status` reference adds a unique (`uri`, `idx`) pair (Token Status List
//! draft-ietf-oauth-status-list-20 §12.5, §12.5.1), and SD-JWT VC (draft-ietf-oauth-sd-jwt-vc
//! §8.1) repeats the warning for `cnf`. The remedy the specifications give is batch issuance:
//! several credentials with the same claims, each with its own holder key, salts and status
//! entry and with coarse times, each presented once (RFC 9901 §10.1; Token Status List §13.2;
//! OpenID4VP 1.0 §15.5 "Verifier-to-Verifier Unlinkable Presentations").
//!
//! [`report`] puts this into a [`PrivacyReport`] with four parts:
//!
//! * [`PrivacyReport::disclosed`]: each disclosed claim, by path, with its value;
//! * [`PrivacyReport::envelope`]: everything that is sent whatever is disclosed: the JOSE
//!   headers, the always-visible claims, the hash algorithm, and the Key Binding JWT;
//! * [`PrivacyReport::hidden`]: how many digests stay without a Disclosure, in total and per
//!   object or array;
//! * [`PrivacyReport::linkers`]: each value that can link presentations, what it links
//!   ([`LinkScope`]) and what would remove it ([`Remedy`]).
//!
//! **Nothing is verified.** The report is the Holder's (or a reviewer's) view of what would be
//! sent: it processes the Disclosures (RFC 9901 §7.1 steps 3 to 5) but checks no signature, no
//! key binding and no validity claim. Do not read claims from it to make decisions.
//!
//! # What is and is not a linker
//!
//! A value is a linker when it is the same in every presentation of a credential (or of every
//! credential of one person) and differs between people. Values that are the same for every
//! holder of a credential type are not: `iss`, `vct`, `vct#integrity`, `aka_vcts`, `_sd_alg`,
//! the issuer's `alg`, `typ`, `kid` and `x5c` (they say which issuer and which type, which the
//! Verifier is meant to learn; SD-JWT VC §8.2 and RFC 9901 §10.5 discuss what that alone
//! reveals). Claims are judged by name: a top-level always-visible claim outside that list and
//! outside `cnf`, `status`, `iat`, `nbf`, `exp` (reported by kind of their own) is reported as
//! [`LinkerKind::AlwaysVisibleClaim`] (`jti` and `sub` as [`LinkerKind::Identifier`]) when
//! it holds any value beyond empty objects and arrays.
//!
//! Claims the Holder chose to disclose are not listed as linkers (RFC 9901 §10.1: unlinkability
//! holds only as far as the disclosed claims do not identify the user), except `jti` and `sub`,
//! which identify by design.
//!
//! The Key Binding JWT's `aud`, `nonce` and `iat` are not linkers: `aud` names the Verifier
//! itself, the `nonce` is chosen by the Verifier for one transaction, and `iat` is the time of
//! this presentation, so none of them recurs in another presentation. Its `sd_hash` is listed:
//! it is a hash over the issuer-signed JWT and the Disclosures, so two presentations of one
//! credential with the same Disclosures carry the same `sd_hash` (it goes away with the
//! signature and the Disclosures, by the same remedy). A `kid`, `jwk` or `x5c` in the Key
//! Binding JWT's header would name the holder key and is listed as a holder-key linker.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
//! # use sdjwt_jose::JwsAlgorithm;
//! # let issuer_key = provider.generate_key(JwsAlgorithm::Es256)?;
//! # let holder_key = provider.generate_key(JwsAlgorithm::Es256)?;
//! # let claims = serde_json::json!({"name": "Ada", "right_to_work": true});
//! # let doc = claims.clone();
//! # let issued = sdjwt_issuer::SdJwtBuilder::new(claims.as_object().cloned().unwrap_or_default())
//! #     .issued_at(1_700_000_123)
//! #     .disclose(sdjwt_core::ClaimPath::resolve_pointer("/name", &doc)?)
//! #     .disclose(sdjwt_core::ClaimPath::resolve_pointer("/right_to_work", &doc)?)
//! #     .holder_key(&holder_key.to_public())
//! #     .prepare(&provider)?
//! #     .sign(&*provider.signer(&issuer_key, JwsAlgorithm::Es256)?)?
//! #     .to_compact();
//! use sdjwt_core::{Limits, SdJwt};
//! use sdjwt_holder::privacy::{LinkerKind, ReportOptions, report};
//!
//! // `issued` holds an SD-JWT; keep only the Disclosure of `right_to_work`.
//! let credential = SdJwt::parse(&issued, &Limits::DEFAULT)?;
//! let keep = credential.disclosures().iter().filter(|d| d.name() == Some("right_to_work"));
//! let presentation = credential.with_disclosures(keep.cloned().collect());
//!
//! let r = report(&presentation, &provider, &ReportOptions::default())?;
//! assert_eq!(r.disclosed.len(), 1);
//! assert!(r.hidden.digests >= 1); // `name`, plus any decoys
//! assert!(r.linkers.iter().any(|l| l.kind == LinkerKind::HolderKey));
//! assert!(r.linkers.iter().any(|l| l.kind == LinkerKind::PreciseTime)); // iat 1_700_000_123
//! println!("{r}");
//! # Ok(()) }
//! ```

use core::fmt;
use core::num::NonZeroU64;
use std::collections::BTreeMap;

use sdjwt_core::{
    ClaimName, ClaimPath, Disclosure, DisclosureKind, IssuerJws, Limits, PathSegment, SdJwt,
    UnixTime,
};
use sdjwt_jose::{CryptoProvider, HashAlgorithm};
use serde_json::{Map, Value, json};

use crate::Error;

/// Top-level claims that are the same for every holder of a credential type from one issuer,
/// or that get a [`LinkerKind`] of their own: they are never reported as
/// [`LinkerKind::AlwaysVisibleClaim`].
///
/// `iss`, `vct`, `vct#integrity`, `aka_vcts` (SD-JWT VC §2.2.2) and `_sd_alg` (RFC 9901
/// §4.1.1) name the issuer, the type and the hash; `cnf` (RFC 9901 §4.1.2), `status` (Token
/// Status List §6.2) and `iat`, `nbf`, `exp` (RFC 7519 §4.1) are judged separately.
pub const ENVELOPE_CLAIMS: &[&str] = &[
    "iss",
    "vct",
    "vct#integrity",
    "aka_vcts",
    "_sd_alg",
    "cnf",
    "status",
    "iat",
    "nbf",
    "exp",
];

/// Top-level claims that identify a credential or its subject by design (RFC 7519 §4.1.7
/// `jti`, §4.1.2 `sub`): reported as [`LinkerKind::Identifier`] whether always visible or
/// disclosed.
pub const IDENTIFIER_CLAIMS: &[&str] = &["jti", "sub"];

/// How [`report`] works.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReportOptions {
    /// A time claim (`iat`, `nbf`, `exp`) counts as precise, and so as a linker, when it is not
    /// a multiple of this many seconds (RFC 9901 §10.1 asks for times "rounded (e.g., rounded
    /// down to the beginning of the day)" or randomized). Default
    /// [`ReportOptions::DEFAULT_COARSE_TIME_UNIT`], one hour.
    pub coarse_time_unit: NonZeroU64,
    /// Limits for processing the Disclosures (default [`Limits::DEFAULT`]).
    pub limits: Limits,
}

impl ReportOptions {
    /// One hour: the default [`ReportOptions::coarse_time_unit`]. Times rounded to the hour
    /// put a credential among everything the issuer issued in that hour.
    pub const DEFAULT_COARSE_TIME_UNIT: NonZeroU64 = match NonZeroU64::new(3600) {
        Some(unit) => unit,
        None => NonZeroU64::MIN,
    };

    /// The defaults.
    pub fn new() -> Self {
        Self {
            coarse_time_unit: Self::DEFAULT_COARSE_TIME_UNIT,
            limits: Limits::DEFAULT,
        }
    }

    /// Sets [`ReportOptions::coarse_time_unit`].
    #[must_use]
    pub fn with_coarse_time_unit(mut self, seconds: NonZeroU64) -> Self {
        self.coarse_time_unit = seconds;
        self
    }

    /// Sets the processing limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self::new()
    }
}

/// What a Verifier learns from a presentation and what could link it to others; made by
/// [`report`]. **Not verified**: see the [module documentation](self).
///
/// [`fmt::Display`] gives a text for people (lines of at most 100 columns, long values
/// shortened with `…`); [`PrivacyReport::to_json`] gives every value in full.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PrivacyReport {
    /// The disclosed claims, in the order processing reached them.
    pub disclosed: Vec<DisclosedValue>,
    /// What is sent whatever is disclosed.
    pub envelope: Envelope,
    /// The digests left without a Disclosure.
    pub hidden: Hidden,
    /// The values that could link this presentation to others or to the Issuer's records.
    pub linkers: Vec<Linker>,
}

/// One disclosed claim: what the Verifier learns by selective disclosure.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct DisclosedValue {
    /// Where it sits in the processed payload.
    pub path: ClaimPath,
    /// Its value in the processed payload: for an object or array, with the disclosed parts
    /// beneath it in place and the undisclosed ones left out.
    pub value: Value,
    /// The position of its Disclosure in the presentation.
    pub disclosure: usize,
}

/// The always-visible part of a presentation (the "envelope" around the disclosed claims).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Envelope {
    /// The JOSE header of each issuer signature (one for the compact serialization): the
    /// protected header members, then any unprotected ones (JWS JSON serialization, RFC 9901
    /// §8) not also protected. An `x5c` chain is replaced by a summary,
    /// `{"certificates": <count>}`: it is the issuer's, the same for every holder.
    pub headers: Vec<Map<String, Value>>,
    /// Every top-level claim of the issuer-signed JWT payload that is not selectively
    /// disclosable, in payload order, without `_sd` and `_sd_alg`; within each value, `_sd`
    /// members and `{"...": digest}` array elements are left out (disclosed ones are in
    /// [`PrivacyReport::disclosed`]).
    pub claims: Map<String, Value>,
    /// The digest algorithm (`_sd_alg`, RFC 9901 §4.1.1; sha-256 when absent).
    pub hash_algorithm: HashAlgorithm,
    /// The Key Binding JWT, when there is one.
    pub key_binding: Option<KeyBindingEnvelope>,
}

/// The Key Binding JWT as the Verifier sees it (RFC 9901 §4.3).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct KeyBindingEnvelope {
    /// Its JOSE header (`typ: kb+jwt`, `alg`, …).
    pub header: Map<String, Value>,
    /// Its claims (`iat`, `aud`, `nonce`, `sd_hash`, …).
    pub claims: Map<String, Value>,
}

/// The digests that stay without a Disclosure in a presentation.
///
/// Issuers may add decoy digests (RFC 9901 §4.2.5, §10.4) that match no claim, so the count is
/// an upper bound on the number of hidden claims, not the number itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Hidden {
    /// How many digests (object `_sd` entries and array `...` entries) have no Disclosure.
    pub digests: usize,
    /// The same digests counted per object or array that holds them, by path in the processed
    /// payload (the root path is the top level), in path order; only places with at least one.
    pub by_location: Vec<(ClaimPath, usize)>,
}

/// What kind of value a [`Linker`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum LinkerKind {
    /// The holder's key: `cnf` (as an RFC 7638 JWK thumbprint for `cnf.jwk`), or a key named
    /// in the Key Binding JWT's header (RFC 9901 §10.1; SD-JWT VC §8.1).
    HolderKey,
    /// The (`uri`, `idx`) status list entry (Token Status List §12.5).
    StatusListEntry,
    /// An `iat`, `nbf` or `exp` finer than [`ReportOptions::coarse_time_unit`] (RFC 9901 §10.1).
    PreciseTime,
    /// `jti` or `sub`: identifiers by design.
    Identifier,
    /// Another always-visible claim that is not the same for every holder.
    AlwaysVisibleClaim,
    /// The Issuer's signature over the issuer-signed JWT (OpenID4VP 1.0 §15.5).
    IssuerSignature,
    /// A Disclosure: its salt makes its text unique to this credential (RFC 9901 §4.2.1).
    Disclosure,
    /// The Key Binding JWT's `sd_hash` (RFC 9901 §4.3.1): a hash over the issuer-signed JWT and
    /// the Disclosures.
    SdHash,
}

impl LinkerKind {
    /// The stable name used in [`PrivacyReport::to_json`].
    pub const fn code(self) -> &'static str {
        match self {
            Self::HolderKey => "holder_key",
            Self::StatusListEntry => "status_list_entry",
            Self::PreciseTime => "precise_time",
            Self::Identifier => "identifier",
            Self::AlwaysVisibleClaim => "always_visible_claim",
            Self::IssuerSignature => "issuer_signature",
            Self::Disclosure => "disclosure",
            Self::SdHash => "sd_hash",
        }
    }

    /// A short description for people.
    pub const fn description(self) -> &'static str {
        match self {
            Self::HolderKey => "holder key",
            Self::StatusListEntry => "status list entry",
            Self::PreciseTime => "precise time",
            Self::Identifier => "identifier",
            Self::AlwaysVisibleClaim => "always-visible claim",
            Self::IssuerSignature => "issuer signature",
            Self::Disclosure => "salted Disclosure",
            Self::SdHash => "KB-JWT sd_hash",
        }
    }
}

impl fmt::Display for LinkerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// Which presentations a [`Linker`] ties together.
///
/// The Issuer saw every one of these values when it issued the credential, so each also ties
/// a presentation to the Issuer's issuance records when a Verifier shares it: RFC 9901 §10.1
/// notes that Issuer/Verifier unlinkability cannot be had with a colluding Verifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum LinkScope {
    /// Every presentation of this credential.
    Credential,
    /// Every presentation of any credential bound to this holder key.
    HolderKey,
    /// Every presentation of this credential, and every status check made for it; the Status
    /// Issuer knows which credential has the entry.
    StatusEntry,
    /// Every presentation of credentials issued at this exact time: this credential (and
    /// whatever else the Issuer issued to the holder in the same second).
    IssuanceTime,
    /// Every presentation, of any credential from any issuer, carrying this value: it follows
    /// the person.
    Subject,
    /// Presentations of this credential with exactly the same Disclosures.
    DisclosureSet,
}

impl LinkScope {
    /// The stable name used in [`PrivacyReport::to_json`].
    pub const fn code(self) -> &'static str {
        match self {
            Self::Credential => "credential",
            Self::HolderKey => "holder_key",
            Self::StatusEntry => "status_entry",
            Self::IssuanceTime => "issuance_time",
            Self::Subject => "subject",
            Self::DisclosureSet => "disclosure_set",
        }
    }

    /// What it links, in a sentence.
    pub const fn description(self) -> &'static str {
        match self {
            Self::Credential => {
                "every presentation of this credential, and the Issuer's record of issuing it"
            }
            Self::HolderKey => {
                "every presentation of every credential bound to this key, and the Issuer's \
                 records"
            }
            Self::StatusEntry => {
                "every presentation of this credential and every status check for it; the \
                 Status Issuer knows whose entry it is"
            }
            Self::IssuanceTime => {
                "presentations of credentials issued at this exact time (rarely any but this \
                 one), and the Issuer's logs"
            }
            Self::Subject => {
                "every presentation of any credential that carries this value: it follows the \
                 person"
            }
            Self::DisclosureSet => "presentations of this credential with the same Disclosures",
        }
    }
}

impl fmt::Display for LinkScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// What would remove a [`Linker`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Remedy {
    /// Batch issuance with a fresh holder key per credential, each credential presented once
    /// (RFC 9901 §10.1: "New key binding keys and salts MUST be used for each credential in
    /// the batch").
    BatchWithFreshKeys,
    /// Batch issuance with a distinct, randomly chosen status entry per credential (Token
    /// Status List §12.5.1, §13.2, §13.3). Fetching the list hides which entry is checked only
    /// among the entries of that list (herd privacy, §12.1): it needs large lists.
    BatchWithDistinctStatusIndices,
    /// Round `iat`, `nbf` and `exp` (down) to a coarse unit at issuance, or randomize them
    /// within one (RFC 9901 §10.1).
    CoarsenTimes,
    /// Make the claim selectively disclosable at issuance, or leave it out.
    MakeDisclosableOrOmit,
    /// Do not disclose the claim unless the Verifier needs it (OpenID4VP 1.0 §15.4).
    Withhold,
    /// Batch issuance (fresh salts and a new signature per credential), each credential
    /// presented once (RFC 9901 §10.1; OpenID4VP 1.0 §15.5).
    BatchPresentOnce,
}

impl Remedy {
    /// The stable name used in [`PrivacyReport::to_json`].
    pub const fn code(self) -> &'static str {
        match self {
            Self::BatchWithFreshKeys => "batch_fresh_holder_keys",
            Self::BatchWithDistinctStatusIndices => "batch_distinct_status_indices",
            Self::CoarsenTimes => "coarsen_times",
            Self::MakeDisclosableOrOmit => "make_disclosable_or_omit",
            Self::Withhold => "withhold",
            Self::BatchPresentOnce => "batch_present_once",
        }
    }

    /// What to do, in a sentence or two.
    pub const fn description(self) -> &'static str {
        match self {
            Self::BatchWithFreshKeys => {
                "batch issuance with one fresh holder key per credential; present each \
                 credential once (RFC 9901 §10.1)"
            }
            Self::BatchWithDistinctStatusIndices => {
                "batch issuance with a distinct random status index per credential (Token \
                 Status List §12.5.1, §13.2); fetching the list itself hides which entry is \
                 checked only among the list's entries, so lists must be large (§12.1)"
            }
            Self::CoarsenTimes => {
                "the issuer rounds iat/nbf/exp down to the hour or day (or randomizes them \
                 within it) (RFC 9901 §10.1)"
            }
            Self::MakeDisclosableOrOmit => {
                "the issuer makes the claim selectively disclosable, or leaves it out"
            }
            Self::Withhold => "do not disclose it unless the verifier needs it",
            Self::BatchPresentOnce => {
                "batch issuance (new salts and signature per credential); present each \
                 credential once (RFC 9901 §10.1)"
            }
        }
    }
}

impl fmt::Display for Remedy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// A value that could link this presentation to others or to the Issuer's records.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Linker {
    /// What it is.
    pub kind: LinkerKind,
    /// Where it is: a JSON pointer into the issuer-signed payload (`/cnf/jwk`,
    /// `/status/status_list`, `/iat`), `disclosure <n> <pointer>` for a Disclosure,
    /// `signature <n>` for an issuer signature, `kb-jwt /sd_hash` or `kb-jwt header <name>`.
    pub location: String,
    /// The value itself, in full: for `cnf.jwk` its RFC 7638 SHA-256 thumbprint (base64url),
    /// for a signature its base64url text, for a Disclosure its text, otherwise the claim's
    /// JSON value.
    pub value: Value,
    /// What it links.
    pub scope: LinkScope,
    /// What would remove it.
    pub remedy: Remedy,
}

/// Builds the privacy report of a presentation (or of a credential as issued): processes the
/// Disclosures (RFC 9901 §7.1 steps 3 to 5) and sorts everything the Verifier would receive
/// into disclosed claims, envelope, hidden digests and linkers (see the
/// [module documentation](self)).
///
/// **No signature is checked**, nor key binding, nor validity: this is the Holder's or a
/// reviewer's view of what would be sent.
///
/// # Errors
///
/// Processing errors ([`sdjwt_core::Error`] inside [`Error::Core`]): a presentation that does
/// not process (unreferenced or duplicate Disclosures, limits) gets no report; a hash the
/// provider does not support (for the `_sd_alg` digests or the SHA-256 key thumbprint).
pub fn report(
    presentation: &SdJwt,
    provider: &CryptoProvider,
    options: &ReportOptions,
) -> Result<PrivacyReport, Error> {
    let processed = presentation.process(provider, &options.limits)?;
    let payload = presentation.payload();
    let disclosures = presentation.disclosures();
    let document = Value::Object(processed.claims);

    let disclosed: Vec<DisclosedValue> = processed
        .disclosed
        .iter()
        .map(|d| DisclosedValue {
            path: d.path.clone(),
            value: d.path.lookup(&document).cloned().unwrap_or(Value::Null),
            disclosure: d.disclosure,
        })
        .collect();

    let envelope = Envelope {
        headers: headers(presentation.jws()),
        claims: payload
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "_sd" | "_sd_alg"))
            .map(|(name, value)| (name.clone(), strip_digests(value)))
            .collect(),
        hash_algorithm: processed.hash_algorithm,
        key_binding: presentation.key_binding().map(|kb| KeyBindingEnvelope {
            header: kb.jws().header().members().clone(),
            claims: kb.payload().clone(),
        }),
    };

    let mut walk = HiddenWalk {
        matched: processed
            .disclosed
            .iter()
            .map(|d| (d.digest.as_str(), d.disclosure))
            .collect(),
        disclosures,
        counts: BTreeMap::new(),
    };
    walk.object(payload, &mut ClaimPath::root())?;
    let hidden = Hidden {
        digests: processed.undisclosed_digests,
        by_location: walk.counts.into_iter().collect(),
    };

    let mut linkers = Vec::new();
    holder_key_linkers(presentation, provider, &mut linkers)?;
    status_linkers(payload, &mut linkers);
    time_linkers(&document, options.coarse_time_unit, &mut linkers);
    claim_linkers(payload, &disclosed, &envelope.claims, &mut linkers);
    signature_linkers(presentation.jws(), &mut linkers);
    for (index, d) in disclosures.iter().enumerate() {
        let path = disclosed
            .iter()
            .find(|v| v.disclosure == index)
            .map(|v| v.path.to_string())
            .unwrap_or_default();
        linkers.push(Linker {
            kind: LinkerKind::Disclosure,
            location: format!("disclosure {index} {path}"),
            value: Value::String(d.as_str().to_owned()),
            scope: LinkScope::Credential,
            remedy: Remedy::BatchPresentOnce,
        });
    }
    if let Some(sd_hash) = presentation
        .key_binding()
        .and_then(|kb| kb.payload().get("sd_hash"))
    {
        linkers.push(Linker {
            kind: LinkerKind::SdHash,
            location: "kb-jwt /sd_hash".to_owned(),
            value: sd_hash.clone(),
            scope: LinkScope::DisclosureSet,
            remedy: Remedy::BatchPresentOnce,
        });
    }

    Ok(PrivacyReport {
        disclosed,
        envelope,
        hidden,
        linkers,
    })
}

/// Each signature's header members (protected first, then unprotected), `x5c` summarised.
fn headers(jws: &IssuerJws) -> Vec<Map<String, Value>> {
    let summarise = |mut members: Map<String, Value>| {
        if let Some(Value::Array(chain)) = members.get("x5c") {
            let summary = json!({"certificates": chain.len()});
            members.insert("x5c".to_owned(), summary);
        }
        members
    };
    match jws {
        IssuerJws::Compact(c) => vec![summarise(c.header().members().clone())],
        IssuerJws::Json(j) => j
            .signatures()
            .iter()
            .map(|s| {
                let mut members = s.header().members().clone();
                for (name, value) in s.unprotected() {
                    if !members.contains_key(name) {
                        members.insert(name.clone(), value.clone());
                    }
                }
                summarise(members)
            })
            .collect(),
    }
}

/// A payload value as the Verifier sees it without Disclosures: `_sd` members and
/// `{"...": digest}` elements left out, at every depth.
fn strip_digests(value: &Value) -> Value {
    match value {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "_sd")
                .map(|(k, v)| (k.clone(), strip_digests(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .filter(|item| !is_array_digest(item))
                .map(strip_digests)
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `{"...": "<digest>"}` (RFC 9901 §4.2.4.2).
fn is_array_digest(item: &Value) -> bool {
    matches!(item, Value::Object(m) if m.len() == 1 && m.get("...").is_some_and(Value::is_string))
}

/// Whether a value holds anything but (nested) empty objects and arrays.
fn has_content(value: &Value) -> bool {
    match value {
        Value::Object(m) => m.values().any(has_content),
        Value::Array(items) => items.iter().any(has_content),
        _ => true,
    }
}

/// Counts the digests without a Disclosure per object or array, walking the payload and the
/// values of the Disclosures it reaches (as RFC 9901 §7.1 step 3 does).
struct HiddenWalk<'a> {
    /// Digest text → position of its Disclosure, for the Disclosures processing placed.
    matched: BTreeMap<&'a str, usize>,
    disclosures: &'a [Disclosure],
    counts: BTreeMap<ClaimPath, usize>,
}

impl<'a> HiddenWalk<'a> {
    fn hidden_at(&mut self, path: &ClaimPath) {
        *self.counts.entry(path.clone()).or_default() += 1;
    }

    fn disclosure(&self, digest: &str) -> Option<&'a Disclosure> {
        let disclosures = self.disclosures;
        self.matched
            .get(digest)
            .and_then(|&index| disclosures.get(index))
    }

    fn value(&mut self, value: &'a Value, path: &mut ClaimPath) -> Result<(), Error> {
        match value {
            Value::Object(m) => self.object(m, path),
            Value::Array(items) => self.array(items, path),
            _ => Ok(()),
        }
    }

    /// Processing has already accepted the structure and bounded its depth.
    fn object(&mut self, map: &'a Map<String, Value>, path: &mut ClaimPath) -> Result<(), Error> {
        for (key, value) in map {
            if key == "_sd" {
                for digest in value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    match self.disclosure(digest).map(Disclosure::kind) {
                        Some(DisclosureKind::Property { name, value }) => {
                            path.push(PathSegment::Key(ClaimName::new(name.clone())?));
                            self.value(value, path)?;
                            path.pop();
                        }
                        Some(DisclosureKind::ArrayElement { .. }) => {}
                        None => self.hidden_at(path),
                    }
                }
            } else if !(key == "_sd_alg" && path.is_empty()) {
                path.push(PathSegment::Key(ClaimName::new(key.clone())?));
                self.value(value, path)?;
                path.pop();
            }
        }
        Ok(())
    }

    fn array(&mut self, items: &'a [Value], path: &mut ClaimPath) -> Result<(), Error> {
        // Indices count the elements of the processed array, as `ClaimPath` does.
        let mut index = 0;
        for item in items {
            let element = if is_array_digest(item) {
                let digest = item.get("...").and_then(Value::as_str).unwrap_or_default();
                match self.disclosure(digest).map(Disclosure::kind) {
                    Some(DisclosureKind::ArrayElement { value }) => Some(value),
                    Some(DisclosureKind::Property { .. }) => None,
                    None => {
                        self.hidden_at(path);
                        continue;
                    }
                }
            } else {
                Some(item)
            };
            if let Some(element) = element {
                path.push(PathSegment::Index(index));
                self.value(element, path)?;
                path.pop();
            }
            index += 1;
        }
        Ok(())
    }
}

/// `cnf` (RFC 9901 §4.1.2; SD-JWT VC §8.1), and key references in the KB-JWT header.
fn holder_key_linkers(
    presentation: &SdJwt,
    provider: &CryptoProvider,
    out: &mut Vec<Linker>,
) -> Result<(), Error> {
    let payload = presentation.payload();
    if let Some(cnf) = payload.get("cnf") {
        let (location, value) = match sdjwt_core::holder_key(payload) {
            Ok(jwk) => (
                "/cnf/jwk",
                Value::String(jwk.thumbprint(provider.hash, HashAlgorithm::Sha256)?),
            ),
            // Another confirmation method (RFC 7800 §3): the whole value is the linker.
            Err(_) => ("/cnf", cnf.clone()),
        };
        out.push(Linker {
            kind: LinkerKind::HolderKey,
            location: location.to_owned(),
            value,
            scope: LinkScope::HolderKey,
            remedy: Remedy::BatchWithFreshKeys,
        });
    }
    if let Some(kb) = presentation.key_binding() {
        let header = kb.jws().header().members();
        for name in ["kid", "jwk", "x5c", "x5t", "x5t#S256", "jku", "x5u"] {
            if let Some(value) = header.get(name) {
                out.push(Linker {
                    kind: LinkerKind::HolderKey,
                    location: format!("kb-jwt header {name}"),
                    value: value.clone(),
                    scope: LinkScope::HolderKey,
                    remedy: Remedy::BatchWithFreshKeys,
                });
            }
        }
    }
    Ok(())
}

/// The `status` claim (Token Status List §6.2, §12.5): one linker per status mechanism.
fn status_linkers(payload: &Map<String, Value>, out: &mut Vec<Linker>) {
    let Some(status) = payload.get("status") else {
        return;
    };
    let entries: Vec<(String, Value)> = match status {
        Value::Object(m) if !m.is_empty() => m
            .iter()
            .map(|(mechanism, v)| (format!("/status/{mechanism}"), v.clone()))
            .collect(),
        other => vec![("/status".to_owned(), other.clone())],
    };
    for (location, value) in entries {
        out.push(Linker {
            kind: LinkerKind::StatusListEntry,
            location,
            value,
            scope: LinkScope::StatusEntry,
            remedy: Remedy::BatchWithDistinctStatusIndices,
        });
    }
}

/// `iat`, `nbf`, `exp` (plaintext or disclosed) that are not a multiple of `unit`.
fn time_linkers(document: &Value, unit: NonZeroU64, out: &mut Vec<Linker>) {
    for name in ["iat", "nbf", "exp"] {
        let Some(value) = document.get(name) else {
            continue;
        };
        if !is_precise(value, unit) {
            continue;
        }
        out.push(Linker {
            kind: LinkerKind::PreciseTime,
            location: format!("/{name}"),
            value: value.clone(),
            scope: LinkScope::IssuanceTime,
            remedy: Remedy::CoarsenTimes,
        });
    }
}

/// A time is coarse when it is an integer multiple of `unit`; anything else (a fraction, a
/// value that is not a number) is treated as precise.
fn is_precise(value: &Value, unit: NonZeroU64) -> bool {
    let time: Option<UnixTime> = value.as_i64();
    match time {
        Some(t) => i128::from(t).rem_euclid(i128::from(unit.get())) != 0,
        None => true,
    }
}

/// `jti` and `sub` (always visible or disclosed), and other always-visible claims that are
/// not envelope claims.
fn claim_linkers(
    payload: &Map<String, Value>,
    disclosed: &[DisclosedValue],
    visible: &Map<String, Value>,
    out: &mut Vec<Linker>,
) {
    for name in IDENTIFIER_CLAIMS {
        let scope = if *name == "sub" {
            LinkScope::Subject
        } else {
            LinkScope::Credential
        };
        if let Some(value) = payload.get(*name) {
            out.push(Linker {
                kind: LinkerKind::Identifier,
                location: format!("/{name}"),
                value: value.clone(),
                scope,
                remedy: Remedy::MakeDisclosableOrOmit,
            });
        } else if let Some(d) = disclosed
            .iter()
            .find(|d| matches!(d.path.segments(), [PathSegment::Key(k)] if k.as_str() == *name))
        {
            out.push(Linker {
                kind: LinkerKind::Identifier,
                location: d.path.to_string(),
                value: d.value.clone(),
                scope,
                remedy: Remedy::Withhold,
            });
        }
    }
    for (name, value) in visible {
        let judged_elsewhere =
            ENVELOPE_CLAIMS.contains(&name.as_str()) || IDENTIFIER_CLAIMS.contains(&name.as_str());
        if judged_elsewhere || !has_content(value) {
            continue;
        }
        out.push(Linker {
            kind: LinkerKind::AlwaysVisibleClaim,
            // RFC 6901 escapes, as `ClaimPath` writes them.
            location: format!("/{}", name.replace('~', "~0").replace('/', "~1")),
            value: value.clone(),
            scope: LinkScope::Subject,
            remedy: Remedy::MakeDisclosableOrOmit,
        });
    }
}

/// Each issuer signature, in full (OpenID4VP 1.0 §15.5).
fn signature_linkers(jws: &IssuerJws, out: &mut Vec<Linker>) {
    let signatures: Vec<&str> = match jws {
        IssuerJws::Compact(c) => vec![c.signature_b64()],
        IssuerJws::Json(j) => j.signatures().iter().map(|s| s.signature_b64()).collect(),
    };
    for (index, signature) in signatures.into_iter().enumerate() {
        out.push(Linker {
            kind: LinkerKind::IssuerSignature,
            location: format!("signature {index}"),
            value: Value::String(signature.to_owned()),
            scope: LinkScope::Credential,
            remedy: Remedy::BatchPresentOnce,
        });
    }
}

impl PrivacyReport {
    /// The linkers of one kind.
    pub fn linkers_of(&self, kind: LinkerKind) -> impl Iterator<Item = &Linker> {
        self.linkers.iter().filter(move |l| l.kind == kind)
    }

    /// The report as one JSON object, every value in full. The field names are stable:
    ///
    /// ```text
    /// {
    ///   "verified": false,
    ///   "disclosed": [{"path": "<JSON pointer>", "value": <JSON>, "disclosure": <index>}],
    ///   "envelope": {
    ///     "headers": [{<JOSE header members; x5c as {"certificates": n}>}],
    ///     "claims": {<always-visible top-level claims, digests left out>},
    ///     "hash_algorithm": "sha-256",
    ///     "key_binding": null | {"header": {...}, "claims": {...}}
    ///   },
    ///   "hidden": {
    ///     "digests": <count>,
    ///     "decoys_possible": true,
    ///     "by_location": [{"path": "<JSON pointer, \"\" for the top level>", "count": <n>}]
    ///   },
    ///   "linkers": [{
    ///     "kind": "<LinkerKind::code>", "location": "<Linker::location>", "value": <JSON>,
    ///     "scope": "<LinkScope::code>", "remedy": "<Remedy::code>",
    ///     "scope_text": "<LinkScope::description>", "remedy_text": "<Remedy::description>"
    ///   }]
    /// }
    /// ```
    ///
    /// `decoys_possible` is always `true`: a digest count is an upper bound on hidden claims,
    /// since nothing in a presentation tells decoys apart (RFC 9901 §4.2.5).
    pub fn to_json(&self) -> Value {
        let disclosed: Vec<Value> = self
            .disclosed
            .iter()
            .map(|d| json!({"path": d.path.to_string(), "value": d.value, "disclosure": d.disclosure}))
            .collect();
        let key_binding = self
            .envelope
            .key_binding
            .as_ref()
            .map(|kb| json!({"header": kb.header, "claims": kb.claims}));
        let by_location: Vec<Value> = self
            .hidden
            .by_location
            .iter()
            .map(|(path, count)| json!({"path": path.to_string(), "count": count}))
            .collect();
        let linkers: Vec<Value> = self
            .linkers
            .iter()
            .map(|l| {
                json!({
                    "kind": l.kind.code(),
                    "location": l.location,
                    "value": l.value,
                    "scope": l.scope.code(),
                    "remedy": l.remedy.code(),
                    "scope_text": l.scope.description(),
                    "remedy_text": l.remedy.description(),
                })
            })
            .collect();
        json!({
            "verified": false,
            "disclosed": disclosed,
            "envelope": {
                "headers": self.envelope.headers,
                "claims": self.envelope.claims,
                "hash_algorithm": self.envelope.hash_algorithm.name(),
                "key_binding": key_binding,
            },
            "hidden": {
                "digests": self.hidden.digests,
                "decoys_possible": true,
                "by_location": by_location,
            },
            "linkers": linkers,
        })
    }
}

/// Widest line of the text report.
const WIDTH: usize = 100;

/// `value` as compact JSON, cut to at most `max` characters (the last one `…` when cut).
fn short(value: &Value, max: usize) -> String {
    cut(&value.to_string(), max)
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Writes `head` then `text` wrapped at [`WIDTH`] columns, continuation lines indented by
/// `indent` spaces.
fn wrapped(f: &mut fmt::Formatter<'_>, head: &str, text: &str, indent: usize) -> fmt::Result {
    let mut line = head.to_owned();
    let mut len = line.chars().count();
    let mut first_word = true;
    for word in text.split_whitespace() {
        let word_len = word.chars().count();
        if !first_word && len + 1 + word_len > WIDTH {
            writeln!(f, "{line}")?;
            line = " ".repeat(indent);
            len = indent;
            first_word = true;
        }
        if !first_word {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += word_len;
        first_word = false;
    }
    writeln!(f, "{line}")
}

/// A line `{prefix}{name} = {value}` cut to [`WIDTH`].
fn entry(f: &mut fmt::Formatter<'_>, prefix: &str, name: &str, value: &Value) -> fmt::Result {
    let head = format!("{prefix}{name} = ");
    let room = WIDTH.saturating_sub(head.chars().count()).max(8);
    writeln!(
        f,
        "{}",
        cut(&format!("{head}{}", short(value, room)), WIDTH)
    )
}

fn location_name(path: &ClaimPath) -> String {
    if path.is_empty() {
        "(top level)".to_owned()
    } else {
        path.to_string()
    }
}

impl fmt::Display for PrivacyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Privacy report: NOT VERIFIED (no signature, key binding or validity checked)"
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "The verifier learns ({} disclosed claim{}):",
            self.disclosed.len(),
            plural(self.disclosed.len())
        )?;
        if self.disclosed.is_empty() {
            writeln!(f, "  nothing by selective disclosure")?;
        }
        for d in &self.disclosed {
            entry(f, "  ", &cut(&d.path.to_string(), 40), &d.value)?;
        }
        writeln!(f)?;
        writeln!(f, "Always visible (envelope), sent whatever is disclosed:")?;
        for (index, header) in self.envelope.headers.iter().enumerate() {
            let prefix = if self.envelope.headers.len() == 1 {
                "  header ".to_owned()
            } else {
                format!("  header {index} ")
            };
            for (name, value) in header {
                entry(f, &prefix, &cut(name, 30), value)?;
            }
        }
        for (name, value) in &self.envelope.claims {
            entry(f, "  ", &cut(name, 40), value)?;
        }
        writeln!(
            f,
            "  digest algorithm (_sd_alg) = {}",
            self.envelope.hash_algorithm.name()
        )?;
        match &self.envelope.key_binding {
            None => writeln!(f, "  no key binding JWT")?,
            Some(kb) => {
                for (name, value) in &kb.header {
                    entry(f, "  kb-jwt header ", &cut(name, 30), value)?;
                }
                for (name, value) in &kb.claims {
                    entry(f, "  kb-jwt ", &cut(name, 30), value)?;
                }
            }
        }
        writeln!(f)?;
        writeln!(
            f,
            "Hidden: {} digest{} without a Disclosure",
            self.hidden.digests,
            plural(self.hidden.digests)
        )?;
        if self.hidden.digests > 0 {
            wrapped(
                f,
                "  ",
                &format!(
                    "Some may be decoys, so at most {} claim{} stay hidden (RFC 9901 §4.2.5).",
                    self.hidden.digests,
                    plural(self.hidden.digests)
                ),
                2,
            )?;
        }
        for (path, count) in &self.hidden.by_location {
            writeln!(f, "    {}: {count}", cut(&location_name(path), 80))?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "Linkable values ({}): the same in every presentation that shares them",
            self.linkers.len()
        )?;
        if self.linkers.is_empty() {
            writeln!(f, "  none found")?;
        }
        for l in &self.linkers {
            let head = format!("  [{}] {}: ", l.kind, cut(&l.location, 40));
            let room = WIDTH.saturating_sub(head.chars().count()).max(8);
            writeln!(
                f,
                "{}",
                cut(&format!("{head}{}", short(&l.value, room)), WIDTH)
            )?;
            wrapped(f, "      links: ", l.scope.description(), 13)?;
            wrapped(f, "      remedy: ", l.remedy.description(), 14)?;
        }
        Ok(())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
