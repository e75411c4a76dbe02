//! Runs vectors against this implementation's issuer, holder and verifier crates.

use sdjwt_core::{ClaimPath, Limits, PathSegment, Salt, SdJwt};
use sdjwt_fetch::{HttpsUrl, StaticResolver};
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_issuer::{Decoys, SdJwtBuilder};
use sdjwt_jose::jws::JsonSyntax;
use sdjwt_jose::{CryptoProvider, HashAlgorithm, Jwk, JwsAlgorithm, JwsSigner};
use sdjwt_vc::type_metadata::LocalTypeMetadata;
use sdjwt_vc::{
    KeySource, StatusPolicy, TrustList, TrustedIssuer, TypeMetadataPolicy, VcPolicy, VcVerifier,
};
use sdjwt_verifier::{KeyBinding, Policy, StaticKeys, VerifiedPresentation, Verifier};
use serde_json::{Map, Value};

use crate::class::{ErrorClass, classify, classify_vc};
use crate::exceptions::Exceptions;
use crate::report::CaseOutcome;
use crate::vector::{
    IssuerKeys, KeyRef, Kind, SerializationName, StatusMode, TypeMetadataMode, VcVerify, Vector,
    VectorSet, Verify,
};

const SUITE: &str = "vectors";

/// Runs every vector of `set`, applying `exceptions`.
pub fn run_vectors(
    set: &VectorSet,
    provider: &CryptoProvider,
    exceptions: &Exceptions,
) -> Vec<CaseOutcome> {
    set.vectors
        .iter()
        .map(|v| exceptions.apply(run_vector(set, v, provider)))
        .collect()
}

/// Runs one vector.
///
/// A positive case is issued, presented and verified with this implementation, and its ready
/// `presentation` (if any) is verified too; both must give `expect.claims`. A negative case's
/// `presentation` must be rejected with `expect.error`. A case with `verify.vc` is verified as
/// an SD-JWT VC ([`VcVerifier`]) with its trust list, its documents served from memory and its
/// Type Metadata as a local store.
pub fn run_vector(set: &VectorSet, v: &Vector, provider: &CryptoProvider) -> CaseOutcome {
    let fail = |outcome: &str, detail: String| {
        CaseOutcome::failed(&v.id, SUITE, &v.requirements, outcome, detail)
    };
    let checker = match Checker::new(set, &v.verify) {
        Ok(checker) => checker,
        Err(e) => return fail("setup-error", e),
    };
    match v.kind {
        Kind::Negative => {
            let expected = v.expect.error.as_deref().unwrap_or_default();
            let text = v.presentation.as_deref().unwrap_or_default();
            match checker.verify(provider, text, v.verify.now) {
                Ok(_) => fail(
                    "accepted",
                    format!("accepted, but must be rejected with {expected}"),
                ),
                Err((class, e)) => {
                    let outcome = format!("rejected:{class}");
                    if class.name() == expected {
                        CaseOutcome::passed(&v.id, SUITE, &v.requirements, &outcome)
                    } else {
                        fail(
                            &outcome,
                            format!("rejected as {class} ({e}), but {expected} was expected"),
                        )
                    }
                }
            }
        }
        Kind::Positive => {
            let expected = v.expect.claims.clone().unwrap_or_default();
            let mut texts = Vec::new();
            if v.issue.is_some() {
                match issue_and_present(set, v, provider) {
                    Ok(text) => texts.push(("issued and presented here", text)),
                    Err((outcome, detail)) => return fail(outcome, detail),
                }
            }
            if let Some(ready) = &v.presentation {
                texts.push(("the vector's ready presentation", ready.clone()));
            }
            for (what, text) in texts {
                match checker.verify(provider, &text, v.verify.now) {
                    Err((class, e)) => {
                        return fail(
                            &format!("rejected:{class}"),
                            format!("{what} was rejected: {e}"),
                        );
                    }
                    Ok(claims) => {
                        if let Err((outcome, detail)) = compare_claims(claims, expected.clone()) {
                            return fail(outcome, format!("{what}: {detail}"));
                        }
                    }
                }
            }
            CaseOutcome::passed(&v.id, SUITE, &v.requirements, "accepted")
        }
    }
}

/// How a case's presentations are verified: by the RFC 9901 verifier with trusted keys, or,
/// when `vc` is set, by the SD-JWT VC verifier with a trust list, documents and Type Metadata.
struct Checker {
    keys: StaticKeys,
    policy: Policy,
    vc: Option<VcSetup>,
}

/// Everything an SD-JWT VC case's verifier borrows.
struct VcSetup {
    trust: TrustList,
    documents: StaticResolver,
    type_metadata: LocalTypeMetadata,
    policy: VcPolicy,
}

impl Checker {
    fn new(set: &VectorSet, verify: &Verify) -> Result<Self, String> {
        let (keys, policy) = verifier_setup(set, verify)?;
        let vc = match &verify.vc {
            None => None,
            Some(vc) => Some(vc_setup(set, vc, policy.clone())?),
        };
        Ok(Self { keys, policy, vc })
    }

    /// The verified claims, or the class and text of the error.
    fn verify(
        &self,
        provider: &CryptoProvider,
        text: &str,
        now: i64,
    ) -> Result<Map<String, Value>, (ErrorClass, String)> {
        match &self.vc {
            None => Verifier::new(provider, &self.keys)
                .verify(text, &self.policy, now)
                .map(VerifiedPresentation::into_claims)
                .map_err(|e| (classify(&e), e.to_string())),
            Some(setup) => VcVerifier::new(provider, &setup.trust)
                .with_documents(&setup.documents)
                .with_type_metadata(&setup.type_metadata)
                .verify(text, &setup.policy, now)
                .map(|v| v.presentation.into_claims())
                .map_err(|e| (classify_vc(&e), e.to_string())),
        }
    }
}

/// The SD-JWT VC verifier's trust list, documents and policy a vector's `verify.vc`
/// describes, over the RFC 9901 `policy`.
fn vc_setup(set: &VectorSet, vc: &VcVerify, policy: Policy) -> Result<VcSetup, String> {
    let mut trust = TrustList::new();
    for issuer in &vc.issuers {
        let keys = match &issuer.keys {
            IssuerKeys::Jwks(refs) => KeySource::Jwks(
                refs.iter()
                    .map(|r| match r {
                        KeyRef::Name(name) => set
                            .key(name)
                            .map(|k| k.to_public())
                            .map_err(|e| e.to_string()),
                        KeyRef::Jwk(object) => Jwk::from_json(object)
                            .map(|k| k.to_public())
                            .map_err(|e| format!("issuer {}: {e}", issuer.id)),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            IssuerKeys::IssuerMetadata => KeySource::IssuerMetadata,
            IssuerKeys::Did => KeySource::Did,
        };
        trust
            .add(TrustedIssuer::new(
                issuer.id.clone(),
                issuer.vct.clone(),
                keys,
            ))
            .map_err(|e| e.to_string())?;
    }
    let mut documents = StaticResolver::new();
    for (url, document) in &vc.documents {
        match HttpsUrl::parse(url) {
            Ok(parsed) => documents.insert(
                parsed,
                document.body.clone().into_bytes(),
                document.media_type.as_deref(),
            ),
            // Offered to tempt a verifier that ignores the HTTPS rule; never retrievable.
            Err(_) if url.starts_with("http://") => {}
            Err(e) => return Err(format!("document URL {url}: {e}")),
        }
    }
    let mut type_metadata = LocalTypeMetadata::new();
    for (vct, text) in &vc.type_metadata_documents {
        type_metadata.insert(vct.clone(), text.clone().into_bytes());
    }
    let mut vc_policy = VcPolicy::new(policy)
        .with_type_metadata(match vc.type_metadata {
            TypeMetadataMode::Ignore => TypeMetadataPolicy::Ignore,
            TypeMetadataMode::IfAvailable => TypeMetadataPolicy::IfAvailable,
            TypeMetadataMode::Required => TypeMetadataPolicy::Required,
        })
        .with_status(match vc.status {
            StatusMode::Check => StatusPolicy::Check,
            StatusMode::Ignore => StatusPolicy::Ignore,
        });
    if vc.accept_legacy_typ {
        vc_policy = vc_policy.accepting_legacy_typ();
    }
    Ok(VcSetup {
        trust,
        documents,
        type_metadata,
        policy: vc_policy,
    })
}

/// The trusted keys and the policy a vector's `verify` describes.
pub(crate) fn verifier_setup(
    set: &VectorSet,
    verify: &Verify,
) -> Result<(StaticKeys, Policy), String> {
    let mut keys = StaticKeys::new();
    for name in &verify.issuer_keys {
        let key = set.key(name).map_err(|e| e.to_string())?;
        keys = keys.with_key(&key.to_public());
    }
    let key_binding = match &verify.key_binding {
        None => KeyBinding::NotRequired,
        Some(kb) => KeyBinding::Required {
            audience: kb.aud.clone(),
            nonce: kb.nonce.clone(),
            max_age: kb.max_age.unwrap_or(Policy::DEFAULT_KB_MAX_AGE),
        },
    };
    let mut policy = Policy::new(key_binding).with_required_claims(verify.required_claims.clone());
    if let Some(names) = &verify.algorithms {
        let algs = names
            .iter()
            .map(|n| n.parse::<JwsAlgorithm>().map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        policy = policy.with_algorithms(algs);
    }
    if let Some(names) = &verify.hash_algorithms {
        let algs = names
            .iter()
            .map(|n| n.parse::<HashAlgorithm>().map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        policy = policy.with_hash_algorithms(algs);
    }
    if let Some(typ) = &verify.typ {
        policy = policy.with_required_typ(typ.clone());
    }
    if let Some(leeway) = verify.leeway {
        policy = policy.with_leeway(leeway);
    }
    if let Some(l) = &verify.limits {
        let mut limits = Limits::DEFAULT;
        limits.max_input_bytes = l.max_input_bytes.unwrap_or(limits.max_input_bytes);
        limits.max_disclosures = l.max_disclosures.unwrap_or(limits.max_disclosures);
        limits.max_depth = l.max_depth.unwrap_or(limits.max_depth);
        limits.max_array_len = l.max_array_len.unwrap_or(limits.max_array_len);
        policy = policy.with_limits(limits);
    }
    Ok((keys, policy))
}

/// The signer for the key named `name`, with the algorithm its JWK names.
fn signer(
    set: &VectorSet,
    name: &str,
    provider: &CryptoProvider,
) -> Result<(Jwk, Box<dyn JwsSigner>), String> {
    let key = set.key(name).map_err(|e| e.to_string())?;
    let signer = provider
        .signer(&key, key.default_algorithm())
        .map_err(|e| format!("key {name}: {e}"))?;
    Ok((key, signer))
}

/// Issues a positive case's credential and makes its presentation with this implementation.
///
/// # Errors
///
/// `(outcome, detail)`: `issue-error` or `present-error` with what went wrong.
pub(crate) fn issue_and_present(
    set: &VectorSet,
    v: &Vector,
    provider: &CryptoProvider,
) -> Result<String, (&'static str, String)> {
    let issue_err = |e: String| ("issue-error", e);
    let present_err = |e: String| ("present-error", e);
    let (Some(issue), Some(present)) = (&v.issue, &v.present) else {
        return Err(issue_err("a positive case needs issue and present".into()));
    };
    let claims_value = Value::Object(issue.claims.clone());
    let path = |ptr: &str| {
        ClaimPath::resolve_pointer(ptr, &claims_value).map_err(|e| format!("pointer {ptr}: {e}"))
    };
    let hash: HashAlgorithm = issue
        .hash_alg
        .parse()
        .map_err(|e: sdjwt_jose::Error| issue_err(e.to_string()))?;
    let mut builder = SdJwtBuilder::new(issue.claims.clone())
        .hash_algorithm(hash)
        .decoys(Decoys::None);
    for ptr in &issue.disclosable {
        builder = builder.disclose(path(ptr).map_err(issue_err)?);
    }
    for (ptr, salt) in &issue.salts {
        builder = builder.salt(
            path(ptr).map_err(issue_err)?,
            Salt::from_string(salt.clone()),
        );
    }
    if let Some(holder) = &issue.holder_key {
        let key = set.key(holder).map_err(|e| issue_err(e.to_string()))?;
        builder = builder.holder_key(&key.to_public());
    }
    if let Some(typ) = &issue.typ {
        builder = builder.typ(typ.clone());
    }
    let prepared = builder
        .prepare(provider)
        .map_err(|e| issue_err(e.to_string()))?;
    let mut issuer_public = Vec::new();
    let mut signers = Vec::new();
    for name in &issue.issuer_keys {
        let (key, s) = signer(set, name, provider).map_err(issue_err)?;
        issuer_public.push(key.to_public());
        signers.push(s);
    }
    let refs: Vec<&dyn JwsSigner> = signers.iter().map(|s| &**s).collect();
    let sd_jwt: SdJwt = match (issue.serialization, refs.as_slice()) {
        (SerializationName::Compact, [one]) => prepared.sign(*one),
        (SerializationName::Compact, _) => {
            return Err(issue_err(
                "compact form takes exactly one issuer key".into(),
            ));
        }
        (SerializationName::Flattened, _) => prepared.sign_json(&refs, JsonSyntax::Flattened),
        (SerializationName::General, _) => prepared.sign_json(&refs, JsonSyntax::General),
    }
    .map_err(|e| issue_err(e.to_string()))?;

    let credential = Credential::accept(
        &sd_jwt.serialize(),
        provider,
        &issuer_public,
        &AcceptOptions::new(v.verify.now),
    )
    .map_err(|e| present_err(format!("holder refused the credential: {e}")))?;
    let paths = present
        .disclose
        .iter()
        .map(|ptr| {
            credential
                .pointer(ptr)
                .map_err(|e| present_err(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let indices = credential
        .select(&paths)
        .map_err(|e| present_err(e.to_string()))?;
    let holder = match &present.key_binding {
        Some(kb) => Some((
            set.key(&kb.holder_key)
                .map_err(|e| present_err(e.to_string()))?,
            kb,
        )),
        None => None,
    };
    let kb = holder.as_ref().map(|(key, kb)| KbInput {
        key,
        aud: &kb.aud,
        nonce: &kb.nonce,
        iat: kb.iat,
    });
    let presentation =
        present_exact(&credential, &indices, kb.as_ref(), provider).map_err(present_err)?;
    Ok(presentation.serialize())
}

/// What a holder needs to add a Key Binding JWT.
pub(crate) struct KbInput<'a> {
    /// The holder's private key (its JWK `alg`, or its key type's default, signs).
    pub(crate) key: &'a Jwk,
    /// KB-JWT `aud`.
    pub(crate) aud: &'a str,
    /// KB-JWT `nonce`.
    pub(crate) nonce: &'a str,
    /// KB-JWT `iat`.
    pub(crate) iat: i64,
}

/// The presentation of exactly the Disclosures at `indices`, with a KB-JWT when `kb` is given.
pub(crate) fn present_exact(
    credential: &Credential,
    indices: &[usize],
    kb: Option<&KbInput<'_>>,
    provider: &CryptoProvider,
) -> Result<SdJwt, String> {
    let Some(kb) = kb else {
        return credential
            .present_disclosures(indices, None, provider)
            .map_err(|e| e.to_string());
    };
    let signer = provider
        .signer(kb.key, kb.key.default_algorithm())
        .map_err(|e| format!("holder key: {e}"))?;
    let request = KeyBindingRequest {
        signer: &*signer,
        audience: kb.aud,
        nonce: kb.nonce,
        issued_at: kb.iat,
    };
    credential
        .present_disclosures(indices, Some(&request), provider)
        .map_err(|e| e.to_string())
}

/// `Ok` when the verified claims equal the expected ones; otherwise the `claims-differ`
/// outcome with both, for the report.
pub(crate) fn compare_claims(
    actual: Map<String, Value>,
    expected: Map<String, Value>,
) -> Result<(), (&'static str, String)> {
    if actual == expected {
        return Ok(());
    }
    Err((
        "claims-differ",
        format!(
            "verified claims {} differ from the expected {}",
            Value::Object(actual),
            Value::Object(expected)
        ),
    ))
}

/// The claims a positive case must verify to, computed from its inputs alone (not with any
/// implementation's code): the issued claims, less every disclosable claim the holder did not
/// reveal, plus `cnf` when a holder key is bound.
///
/// A disclosable claim is revealed when a `present.disclose` pointer names it, one of its
/// ancestors, or one of its descendants; an unrevealed claim hides its whole subtree, and an
/// unrevealed array element leaves the array (later elements move up).
pub(crate) fn expected_claims(
    issue: &crate::Issue,
    disclose: &[String],
    holder_public: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, String> {
    let mut claims = Value::Object(issue.claims.clone());
    let paths = |pointers: &[String]| {
        pointers
            .iter()
            .map(|p| ClaimPath::resolve_pointer(p, &claims).map_err(|e| format!("{p}: {e}")))
            .collect::<Result<Vec<_>, _>>()
    };
    let revealed = paths(disclose)?;
    let mut hidden: Vec<ClaimPath> = paths(&issue.disclosable)?
        .into_iter()
        .filter(|d| {
            !revealed
                .iter()
                .any(|r| r.starts_with(d) || d.starts_with(r))
        })
        .collect();
    // Descendants before their ancestors, and later array elements before earlier ones, so
    // every removal leaves the paths still to remove valid.
    hidden.sort_unstable_by(|a, b| b.cmp(a));
    for path in &hidden {
        remove(&mut claims, path);
    }
    let Value::Object(mut claims) = claims else {
        return Err("claims are not an object".into());
    };
    if let Some(cnf) = holder_public {
        let mut m = Map::new();
        m.insert("jwk".into(), Value::Object(cnf.clone()));
        claims.insert("cnf".into(), Value::Object(m));
    }
    Ok(claims)
}

/// Removes the member or element at `path` from `document`, if it is there.
fn remove(document: &mut Value, path: &ClaimPath) {
    let Some((last, parents)) = path.segments().split_last() else {
        return;
    };
    let mut at = document;
    for segment in parents {
        let next = match (segment, at) {
            (PathSegment::Key(k), Value::Object(m)) => m.get_mut(k.as_str()),
            (PathSegment::Index(i), Value::Array(a)) => a.get_mut(*i),
            _ => None,
        };
        let Some(next) = next else {
            return;
        };
        at = next;
    }
    match (last, at) {
        (PathSegment::Key(k), Value::Object(m)) => {
            m.shift_remove(k.as_str());
        }
        (PathSegment::Index(i), Value::Array(a)) if *i < a.len() => {
            a.remove(*i);
        }
        _ => {}
    }
}
