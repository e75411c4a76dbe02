//! The holder's disclosure policy: which verifiers may ask for which claims, by identity or by
//! a registered purpose.
//!
//! OpenID4VP 1.0 §15.3 (Purpose Legitimacy): "If the Wallet has indications that the Verifier
//! is requesting data that it is not entitled to, the Wallet SHOULD warn the End-User or
//! potentially stop processing." This module is that indication, written down by the holder
//! (or the holder's organisation) in advance: a DCQL query (§6) is checked against it before
//! any credential is looked at, and what the policy does not allow is never selected.
//!
//! # The file
//!
//! TOML. Unknown keys are errors, so a misspelt key cannot silently widen or narrow the
//! policy.
//!
//! ```
//! # fn main() -> Result<(), sdjwt_holder::policy::PolicyError> {
//! use sdjwt_holder::policy::Policy;
//!
//! let policy = Policy::from_toml_str(r#"
//! ## A purpose: a named reason to ask, with the claims it justifies.
//! [purposes.right_to_work]
//! description = "Right-to-work check by an employer"
//! ## Optional: the credential types (vct) the claims below apply to. Absent: any type.
//! credential_types = ["https://credentials.example.gov/identity"]
//! ## Claims path pointers (OpenID4VP 1.0 §7) this purpose allows. A pointer allows the claim it
//! ## names and everything beneath it. TOML has no null: write {} where a pointer has null
//! ## ("every element of the array").
//! claims = [["right_to_work"]]
//!
//! [purposes.age_check]
//! description = "Proof of age"
//! claims = [["age_equal_or_over", "18"]]
//!
//! ## A verifier, by the identifier it presents (OpenID4VP client_id, the KB-JWT aud).
//! [[verifiers]]
//! id = "https://employer.example"
//! name = "Acme Ltd"
//! purposes = ["right_to_work"]
//! ## Optional: claims allowed to this verifier by identity, for any credential type.
//! claims = [["given_name"], ["family_name"], ["degrees", {}, "type"]]
//!
//! [[verifiers]]
//! id = "https://shop.example"
//! purposes = ["age_check"]
//! "#)?;
//! assert_eq!(policy.verifiers().len(), 2);
//! # Ok(()) }
//! ```
//!
//! # Rules
//!
//! * A verifier without an entry gets nothing: every query it sends is refused, even one that
//!   asks for no claims at all.
//! * An allowed pointer covers a requested one when it is a prefix of it: `["address"]`
//!   covers `["address", "locality"]`. Component by component, a key covers the same key, an
//!   index the same index, and null (`{}`) any index or null. A requested null (every element)
//!   is covered only by null or by a shorter prefix.
//! * A purpose with `credential_types` applies to a credential query only when the query is
//!   for `dc+sd-jwt` and every type in its `meta.vct_values` is one of them: otherwise the
//!   verifier could obtain those claims from a different kind of credential.
//! * A `claim_sets` option that needs a refused claim is dropped; if no option is left, the
//!   credential query is refused. A credential query without `claim_sets` that asks for a
//!   refused claim is refused.
//! * Without `credential_sets`, any refused credential query refuses the whole query. With
//!   them, an option that needs a refused credential query is dropped; a required set left
//!   with no option refuses the whole query, an optional one is dropped silently (to the
//!   verifier this looks the same as the holder declining).
//!
//! The policy governs what the holder *selects*. Claims the issuer did not make selectively
//! disclosable are in every presentation of the credential, whatever the policy says.
//!
//! A refusal ([`PolicyRefusal`]) names every refused claim and why. Like
//! [`Unsatisfied`](crate::dcql::Unsatisfied), it is for the holder, not for the verifier.

use core::fmt;
use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::dcql::{
    ClaimsPathPointer, CredentialFormat, CredentialQuery, CredentialSetQuery, DcqlId, DcqlQuery,
    PathElement,
};

/// The longest policy file [`Policy::from_toml_str`] reads (1 MiB). The file is the holder's
/// own configuration, not attacker input, but a bound costs nothing.
pub const MAX_POLICY_BYTES: usize = 1024 * 1024;

/// Why a policy file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyError {
    /// The file is longer than [`MAX_POLICY_BYTES`].
    TooLarge {
        /// Its length in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// Not valid TOML, a key of the wrong type, a required key missing, or an unknown key.
    Toml {
        /// The TOML parser's description, with the location.
        message: String,
    },
    /// A claims path pointer is empty or has a component that is not a string, a non-negative
    /// integer or `{}`.
    InvalidPointer {
        /// Where, e.g. `purposes.right_to_work.claims[0][1]`.
        location: String,
    },
    /// A verifier names a purpose that is not defined.
    UnknownPurpose {
        /// The verifier's id.
        verifier: String,
        /// The purpose.
        purpose: String,
    },
    /// Two verifier entries have the same id.
    DuplicateVerifier {
        /// The id.
        id: String,
    },
    /// A verifier's id is empty.
    EmptyVerifierId {
        /// Its position in `verifiers`.
        index: usize,
    },
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { size, max } => {
                write!(
                    f,
                    "disclosure policy: {size} bytes, more than the limit of {max}"
                )
            }
            Self::Toml { message } => write!(f, "disclosure policy: {message}"),
            Self::InvalidPointer { location } => write!(
                f,
                "disclosure policy: {location}: a claims path pointer is a non-empty array of \
                 strings, non-negative integers and {{}} (any element)"
            ),
            Self::UnknownPurpose { verifier, purpose } => write!(
                f,
                "disclosure policy: verifier {verifier} names purpose {purpose:?}, which is not defined"
            ),
            Self::DuplicateVerifier { id } => {
                write!(f, "disclosure policy: verifier {id} appears twice")
            }
            Self::EmptyVerifierId { index } => {
                write!(f, "disclosure policy: verifiers[{index}].id is empty")
            }
        }
    }
}

impl std::error::Error for PolicyError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    purposes: BTreeMap<String, RawPurpose>,
    #[serde(default)]
    verifiers: Vec<RawVerifier>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPurpose {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    credential_types: Option<Vec<String>>,
    #[serde(default)]
    claims: Vec<Vec<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVerifier {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    purposes: Vec<String>,
    #[serde(default)]
    claims: Vec<Vec<toml::Value>>,
}

fn pointers(raw: &[Vec<toml::Value>], loc: &str) -> Result<Vec<ClaimsPathPointer>, PolicyError> {
    raw.iter()
        .enumerate()
        .map(|(i, p)| {
            if p.is_empty() {
                return Err(PolicyError::InvalidPointer {
                    location: format!("{loc}[{i}]"),
                });
            }
            p.iter()
                .enumerate()
                .map(|(j, e)| match e {
                    toml::Value::String(s) => Ok(PathElement::Key(s.clone())),
                    toml::Value::Integer(n) => {
                        u64::try_from(*n).map(PathElement::Index).map_err(|_| {
                            PolicyError::InvalidPointer {
                                location: format!("{loc}[{i}][{j}]"),
                            }
                        })
                    }
                    toml::Value::Table(t) if t.is_empty() => Ok(PathElement::All),
                    _ => Err(PolicyError::InvalidPointer {
                        location: format!("{loc}[{i}][{j}]"),
                    }),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(ClaimsPathPointer::new)
        })
        .collect()
}

/// A registered purpose: a reason to ask, and the claims it justifies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Purpose {
    name: String,
    description: Option<String>,
    credential_types: Option<Vec<String>>,
    claims: Vec<ClaimsPathPointer>,
}

impl Purpose {
    /// Its name (the TOML table key).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its description, for the holder.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The credential types its claims apply to; `None` for any.
    pub fn credential_types(&self) -> Option<&[String]> {
        self.credential_types.as_deref()
    }

    /// The claims it allows.
    pub fn claims(&self) -> &[ClaimsPathPointer] {
        &self.claims
    }

    /// Whether it applies to `query` (see the module documentation).
    fn applies_to(&self, query: &CredentialQuery) -> bool {
        let Some(types) = &self.credential_types else {
            return true;
        };
        query.format() == &CredentialFormat::DcSdJwt
            && query
                .vct_values()
                .is_some_and(|vcts| vcts.iter().all(|v| types.contains(v)))
    }
}

/// A verifier the holder has registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifierEntry {
    id: String,
    name: Option<String>,
    purposes: Vec<String>,
    claims: Vec<ClaimsPathPointer>,
}

impl VerifierEntry {
    /// The verifier identifier (OpenID4VP `client_id`; the KB-JWT `aud`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its display name.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The purposes it is registered for.
    pub fn purposes(&self) -> &[String] {
        &self.purposes
    }

    /// The claims allowed to it by identity, for any credential type.
    pub fn claims(&self) -> &[ClaimsPathPointer] {
        &self.claims
    }
}

/// The holder's disclosure policy (see the module documentation for the file format and
/// rules).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Policy {
    purposes: BTreeMap<String, Purpose>,
    verifiers: Vec<VerifierEntry>,
}

/// A purpose of the verifier that did not apply to a credential query because of its
/// `credential_types`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InapplicablePurpose {
    /// The purpose.
    pub purpose: String,
    /// The types it is limited to.
    pub credential_types: Vec<String>,
}

/// A claim the policy does not allow the verifier, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefusedClaim {
    /// The credential query that asks for it.
    pub query: DcqlId,
    /// The claims path pointer asked for.
    pub path: ClaimsPathPointer,
    /// The verifier's registered purposes.
    pub purposes: Vec<String>,
    /// Whether the verifier's own entry allows claims by identity.
    pub by_identity: bool,
    /// Everything allowed to the verifier for this credential query.
    pub allowed: Vec<ClaimsPathPointer>,
    /// Purposes that did not apply to this credential query because of their types.
    pub inapplicable: Vec<InapplicablePurpose>,
}

/// Why the policy refuses a query.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefusalReason {
    /// The verifier has no entry in the policy: it gets nothing.
    Unregistered,
    /// Claims the verifier is not allowed, without which the query cannot be answered.
    Claims {
        /// Every refused claim behind the refusal.
        refused: Vec<RefusedClaim>,
        /// Required credential sets left with no option (indices into `credential_sets`).
        sets: Vec<usize>,
    },
}

/// The policy refuses a DCQL query. Holder-facing: it reveals the policy, so it is not sent
/// to the verifier.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PolicyRefusal {
    /// The verifier identifier.
    pub verifier: String,
    /// Why.
    pub reason: RefusalReason,
}

fn write_pointers(f: &mut fmt::Formatter<'_>, list: &[ClaimsPathPointer]) -> fmt::Result {
    for (i, p) in list.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{p}")?;
    }
    Ok(())
}

impl fmt::Display for RefusedClaim {
    /// `asked for ["birth_date"] in credential query `pid`: its registered purposes
    /// (right_to_work) allow only ["right_to_work"]`, without the verifier.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "asked for {} in credential query `{}`: ",
            self.path, self.query
        )?;
        let purposes = self.purposes.join(", ");
        let plural = match (self.purposes.is_empty(), self.by_identity) {
            (false, true) => {
                write!(f, "its registered purposes ({purposes}) and its own entry")?;
                true
            }
            (false, false) => {
                write!(f, "its registered purposes ({purposes})")?;
                true
            }
            (true, _) => {
                f.write_str("its entry in the disclosure policy")?;
                false
            }
        };
        let verb = if plural { "allow" } else { "allows" };
        if self.allowed.is_empty() {
            write!(f, " {verb} nothing for this credential query")?;
        } else {
            write!(f, " {verb} only ")?;
            write_pointers(f, &self.allowed)?;
        }
        for p in &self.inapplicable {
            write!(
                f,
                "; purpose {} applies only to credential types {}",
                p.purpose,
                p.credential_types.join(", ")
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for PolicyRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            RefusalReason::Unregistered => write!(
                f,
                "verifier {} is not registered in the disclosure policy: it gets nothing",
                self.verifier
            ),
            RefusalReason::Claims { refused, sets } => {
                for (i, claim) in refused.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "verifier {} {claim}", self.verifier)?;
                }
                for set in sets {
                    if !refused.is_empty() {
                        f.write_str("\n")?;
                    }
                    write!(
                        f,
                        "credential set {set} (required): every option needs a refused credential query"
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PolicyRefusal {}

/// Something the policy removed from a query that is still answered, for the holder's
/// information.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyNote {
    /// A `claim_sets` option needed a refused claim.
    ClaimSetOptionDropped {
        /// The credential query.
        query: DcqlId,
        /// The option's index in the original query.
        option: usize,
        /// The refused claims it needed.
        refused: Vec<ClaimsPathPointer>,
    },
    /// A credential set option needed a refused credential query.
    CredentialSetOptionDropped {
        /// The set's index in the original query.
        set: usize,
        /// The option's index in the original query.
        option: usize,
    },
    /// An optional credential set had no option left and was dropped.
    OptionalSetDropped {
        /// The set's index in the original query.
        set: usize,
    },
}

/// What the policy lets through: the query narrowed to allowed claims and options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDecision {
    query: DcqlQuery,
    notes: Vec<PolicyNote>,
}

impl PolicyDecision {
    /// The query with refused `claim_sets` options, credential set options and optional sets
    /// removed (so option indices in a [`Selection`](crate::dcql::Selection) made from it
    /// count the remaining options). Select from this, never from the original.
    pub fn query(&self) -> &DcqlQuery {
        &self.query
    }

    /// What was removed.
    pub fn notes(&self) -> &[PolicyNote] {
        &self.notes
    }
}

/// The outcome of the policy for one credential query.
enum QueryVerdict {
    Allowed(CredentialQuery),
    Refused,
}

impl QueryVerdict {
    /// The query as the policy lets it through, if it does.
    fn into_allowed(self) -> Option<CredentialQuery> {
        match self {
            Self::Allowed(q) => Some(q),
            Self::Refused => None,
        }
    }
}

impl Policy {
    /// Reads a policy from TOML text (see the module documentation).
    ///
    /// # Errors
    ///
    /// [`PolicyError`]: unknown keys and wrong types included.
    pub fn from_toml_str(text: &str) -> Result<Self, PolicyError> {
        if text.len() > MAX_POLICY_BYTES {
            return Err(PolicyError::TooLarge {
                size: text.len(),
                max: MAX_POLICY_BYTES,
            });
        }
        let raw: RawPolicy = toml::from_str(text).map_err(|e| PolicyError::Toml {
            message: e.to_string().trim_end().to_owned(),
        })?;
        let mut purposes = BTreeMap::new();
        for (name, p) in raw.purposes {
            let claims = pointers(&p.claims, &format!("purposes.{name}.claims"))?;
            purposes.insert(
                name.clone(),
                Purpose {
                    name,
                    description: p.description,
                    credential_types: p.credential_types,
                    claims,
                },
            );
        }
        let mut verifiers: Vec<VerifierEntry> = Vec::with_capacity(raw.verifiers.len());
        for (index, v) in raw.verifiers.into_iter().enumerate() {
            if v.id.is_empty() {
                return Err(PolicyError::EmptyVerifierId { index });
            }
            if verifiers.iter().any(|e| e.id == v.id) {
                return Err(PolicyError::DuplicateVerifier { id: v.id });
            }
            if let Some(unknown) = v.purposes.iter().find(|p| !purposes.contains_key(*p)) {
                return Err(PolicyError::UnknownPurpose {
                    verifier: v.id.clone(),
                    purpose: unknown.clone(),
                });
            }
            let claims = pointers(&v.claims, &format!("verifiers[{index}].claims"))?;
            verifiers.push(VerifierEntry {
                id: v.id,
                name: v.name,
                purposes: v.purposes,
                claims,
            });
        }
        Ok(Self {
            purposes,
            verifiers,
        })
    }

    /// The purposes, by name.
    pub fn purposes(&self) -> &BTreeMap<String, Purpose> {
        &self.purposes
    }

    /// The registered verifiers.
    pub fn verifiers(&self) -> &[VerifierEntry] {
        &self.verifiers
    }

    /// The entry of the verifier `id` (compared exactly).
    pub fn verifier(&self, id: &str) -> Option<&VerifierEntry> {
        self.verifiers.iter().find(|v| v.id == id)
    }

    /// Checks a DCQL query from `verifier` (its identifier, compared exactly) against the
    /// policy, before any credential is examined (see the module documentation for the
    /// rules).
    ///
    /// # Errors
    ///
    /// [`PolicyRefusal`] naming every refused claim behind the refusal.
    pub fn check(
        &self,
        verifier: &str,
        query: &DcqlQuery,
    ) -> Result<PolicyDecision, PolicyRefusal> {
        let Some(entry) = self.verifier(verifier) else {
            return Err(PolicyRefusal {
                verifier: verifier.to_owned(),
                reason: RefusalReason::Unregistered,
            });
        };
        let mut notes = Vec::new();
        let mut refused_claims: BTreeMap<usize, Vec<RefusedClaim>> = BTreeMap::new();
        let mut verdicts = Vec::with_capacity(query.credentials().len());
        for (i, q) in query.credentials().iter().enumerate() {
            let (verdict, refused) = self.check_credential_query(entry, q, &mut notes);
            if !refused.is_empty() {
                refused_claims.insert(i, refused);
            }
            verdicts.push(verdict);
        }
        let refused_query =
            |i: usize| matches!(verdicts.get(i), Some(QueryVerdict::Refused) | None);
        let refusal = |indices: &BTreeSet<usize>, sets: Vec<usize>| PolicyRefusal {
            verifier: verifier.to_owned(),
            reason: RefusalReason::Claims {
                refused: indices
                    .iter()
                    .filter_map(|i| refused_claims.get(i))
                    .flatten()
                    .cloned()
                    .collect(),
                sets,
            },
        };
        let Some(sets) = query.credential_sets() else {
            let refused: BTreeSet<usize> =
                (0..verdicts.len()).filter(|&i| refused_query(i)).collect();
            if !refused.is_empty() {
                return Err(refusal(&refused, Vec::new()));
            }
            let credentials = verdicts
                .into_iter()
                .filter_map(QueryVerdict::into_allowed)
                .collect();
            return Ok(PolicyDecision {
                query: DcqlQuery {
                    credentials,
                    credential_sets: None,
                },
                notes,
            });
        };
        let position = |id: &DcqlId| query.credentials().iter().position(|c| c.id() == id);
        let mut kept_sets = Vec::with_capacity(sets.len());
        let mut failing_sets = Vec::new();
        let mut behind = BTreeSet::new();
        for (s, set) in sets.iter().enumerate() {
            let mut options = Vec::with_capacity(set.options().len());
            for (o, option) in set.options().iter().enumerate() {
                let refused: Vec<usize> = option
                    .iter()
                    .filter_map(position)
                    .filter(|&i| refused_query(i))
                    .collect();
                if refused.is_empty() {
                    options.push(option.clone());
                } else {
                    behind.extend(refused);
                    notes.push(PolicyNote::CredentialSetOptionDropped { set: s, option: o });
                }
            }
            if !options.is_empty() {
                kept_sets.push(CredentialSetQuery {
                    options,
                    required: set.required(),
                });
            } else if set.required() {
                failing_sets.push(s);
            } else {
                notes.push(PolicyNote::OptionalSetDropped { set: s });
            }
        }
        if !failing_sets.is_empty() {
            // The claims behind the refusal: those of the refused queries the failing sets name.
            let named: BTreeSet<usize> = failing_sets
                .iter()
                .filter_map(|&s| sets.get(s))
                .flat_map(|set| set.options().iter().flatten())
                .filter_map(position)
                .filter(|&i| refused_query(i))
                .collect();
            return Err(refusal(&named, failing_sets));
        }
        let credentials = verdicts
            .into_iter()
            .filter_map(QueryVerdict::into_allowed)
            .collect();
        Ok(PolicyDecision {
            query: DcqlQuery {
                credentials,
                credential_sets: Some(kept_sets),
            },
            notes,
        })
    }

    /// The policy's verdict on one credential query, with every refused claim in it.
    fn check_credential_query(
        &self,
        entry: &VerifierEntry,
        q: &CredentialQuery,
        notes: &mut Vec<PolicyNote>,
    ) -> (QueryVerdict, Vec<RefusedClaim>) {
        let mut allowed: Vec<ClaimsPathPointer> = entry.claims.clone();
        let mut inapplicable = Vec::new();
        for name in &entry.purposes {
            let Some(purpose) = self.purposes.get(name) else {
                continue;
            };
            if purpose.applies_to(q) {
                for p in &purpose.claims {
                    if !allowed.contains(p) {
                        allowed.push(p.clone());
                    }
                }
            } else {
                inapplicable.push(InapplicablePurpose {
                    purpose: name.clone(),
                    credential_types: purpose.credential_types.clone().unwrap_or_default(),
                });
            }
        }
        let Some(claims) = q.claims() else {
            return (QueryVerdict::Allowed(q.clone()), Vec::new());
        };
        let is_refused = |path: &ClaimsPathPointer| !allowed.iter().any(|a| a.covers(path));
        let refused: Vec<RefusedClaim> = claims
            .iter()
            .filter(|c| is_refused(c.path()))
            .map(|c| RefusedClaim {
                query: q.id().clone(),
                path: c.path().clone(),
                purposes: entry.purposes.clone(),
                by_identity: !entry.claims.is_empty(),
                allowed: allowed.clone(),
                inapplicable: inapplicable.clone(),
            })
            .collect();
        if refused.is_empty() {
            return (QueryVerdict::Allowed(q.clone()), refused);
        }
        let Some(sets) = q.claim_sets() else {
            return (QueryVerdict::Refused, refused);
        };
        let refused_ids: BTreeSet<&DcqlId> = claims
            .iter()
            .filter(|c| is_refused(c.path()))
            .filter_map(|c| c.id())
            .collect();
        let mut options = Vec::with_capacity(sets.len());
        for (o, option) in sets.iter().enumerate() {
            let needs: Vec<ClaimsPathPointer> = option
                .iter()
                .filter(|id| refused_ids.contains(id))
                .filter_map(|id| claims.iter().find(|c| c.id() == Some(id)))
                .map(|c| c.path().clone())
                .collect();
            if needs.is_empty() {
                options.push(option.clone());
            } else {
                notes.push(PolicyNote::ClaimSetOptionDropped {
                    query: q.id().clone(),
                    option: o,
                    refused: needs,
                });
            }
        }
        if options.is_empty() {
            return (QueryVerdict::Refused, refused);
        }
        let mut narrowed = q.clone();
        narrowed.claims = Some(
            claims
                .iter()
                .filter(|c| !is_refused(c.path()))
                .cloned()
                .collect(),
        );
        narrowed.claim_sets = Some(options);
        // The claims of a query that is still answered are not behind any refusal.
        (QueryVerdict::Allowed(narrowed), refused)
    }
}
