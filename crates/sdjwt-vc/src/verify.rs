//! Verifying SD-JWT VC presentations (draft-ietf-oauth-sd-jwt-vc §2.4, §2.5): RFC 9901
//! verification with the issuer key found through the trust list, then the profile's checks,
//! type metadata, and status.

use std::sync::Arc;

use sdjwt_core::{DisclosedClaim, SdJwt};
use sdjwt_jose::CryptoProvider;
use sdjwt_verifier::{Policy, StaticKeys, VerifiedPresentation, Verifier};
use serde_json::Value;

use crate::claim_rules::{AnnotatedCredential, is_never_disclosable};
use crate::discovery::Discovery;
use crate::error::Error;
use crate::integrity::Integrity;
use crate::issue::{LEGACY_TYP, TYP, check_aka_vcts, check_vct};
use crate::status::{self, StatusOutcome};
use crate::trust::{TrustList, TrustedIssuer};
use crate::type_metadata::{EffectiveTypeMetadata, TypeMetadataResolver, TypeMetadataSourceDebug};

/// Whether the verifier processes Type Metadata (§5.7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TypeMetadataPolicy {
    /// Do not process it.
    Ignore,
    /// Process it when it can be retrieved; a credential whose metadata cannot be retrieved
    /// is accepted without it. When `vct#integrity` is present and a document is retrieved,
    /// the document must match. Once processed, its rules apply in full. The default.
    #[default]
    IfAvailable,
    /// Process it, and reject the credential if it cannot be retrieved (§5.7, last
    /// paragraph).
    Required,
}

/// What the verifier does with a `status` claim (draft-ietf-oauth-sd-jwt-vc §2.4: "the status
/// SHOULD be checked").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatusPolicy {
    /// Check it when present; reject if it cannot be determined or is not VALID. The default.
    #[default]
    Check,
    /// Do not check it (for offline checks that accept the risk; reported as unchecked).
    Ignore,
}

/// Everything a [`VcVerifier`] checks beyond the trust list.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VcPolicy {
    /// The RFC 9901 policy: key binding, algorithms, leeway, limits, audience. Its
    /// `required_typ` is ignored: the profile's `typ` rule applies.
    pub sd_jwt: Policy,
    /// Accept the legacy `typ` `vc+sd-jwt` (drafts before -06) as well as `dc+sd-jwt`.
    /// Default `false`.
    pub accept_legacy_typ: bool,
    /// Type Metadata processing.
    pub type_metadata: TypeMetadataPolicy,
    /// Status checking.
    pub status: StatusPolicy,
}

impl VcPolicy {
    /// A policy over `sd_jwt` with the profile's defaults.
    pub fn new(sd_jwt: Policy) -> Self {
        Self {
            sd_jwt,
            accept_legacy_typ: false,
            type_metadata: TypeMetadataPolicy::default(),
            status: StatusPolicy::default(),
        }
    }

    /// Accepts `vc+sd-jwt` too.
    #[must_use]
    pub fn accepting_legacy_typ(mut self) -> Self {
        self.accept_legacy_typ = true;
        self
    }

    /// Sets the Type Metadata policy.
    #[must_use]
    pub fn with_type_metadata(mut self, policy: TypeMetadataPolicy) -> Self {
        self.type_metadata = policy;
        self
    }

    /// Sets the status policy.
    #[must_use]
    pub fn with_status(mut self, policy: StatusPolicy) -> Self {
        self.status = policy;
        self
    }
}

/// A presentation that passed every check: the RFC 9901 verification, the profile's rules,
/// the trust list, type metadata (when processed) and status (when checked).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct VerifiedCredential {
    /// The verified presentation (claims, disclosures, key binding).
    pub presentation: VerifiedPresentation,
    /// The credential type.
    pub vct: String,
    /// The trust list entry that vouched for the issuer.
    pub issuer: Arc<TrustedIssuer>,
    /// The effective type metadata, when processed.
    pub type_metadata: Option<EffectiveTypeMetadata>,
    /// The status, when the credential has one and it was checked.
    pub status: StatusOutcome,
}

/// Verifies SD-JWT VC presentations against a trust list.
#[derive(Clone, Copy)]
pub struct VcVerifier<'a> {
    provider: &'a CryptoProvider,
    trust: &'a TrustList,
    discovery: Discovery<'a>,
    type_metadata: Option<&'a dyn TypeMetadataSourceDebug>,
}

impl core::fmt::Debug for VcVerifier<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VcVerifier")
            .field("provider", &self.provider.name)
            .field("trust", &self.trust)
            .finish_non_exhaustive()
    }
}

impl<'a> VcVerifier<'a> {
    /// A verifier trusting `trust`, with no network access: issuer metadata, `jwks_uri`
    /// and status lists can then come only from [`VcVerifier::with_documents`].
    pub fn new(provider: &'a CryptoProvider, trust: &'a TrustList) -> Self {
        Self {
            provider,
            trust,
            discovery: Discovery::new(provider),
            type_metadata: None,
        }
    }

    /// Where issuer metadata, JWK Sets and Status List Tokens are fetched from: an HTTP
    /// resolver (online) or a static one filled from local files (offline).
    #[must_use]
    pub fn with_documents(mut self, resolver: &'a dyn sdjwt_fetch::Resolver) -> Self {
        self.discovery = self.discovery.with_resolver(resolver);
        self
    }

    /// Lets plain `http://` URLs on loopback addresses through to the resolver, for tests
    /// against a local server. **Never use this in production**: SD-JWT VC §3 requires HTTPS
    /// for every retrieval. The resolver applies its own address rules as well.
    #[must_use]
    pub fn danger_allow_loopback_http(mut self) -> Self {
        self.discovery = self.discovery.danger_allow_loopback_http();
        self
    }

    /// Where Type Metadata comes from.
    #[must_use]
    pub fn with_type_metadata(mut self, source: &'a dyn TypeMetadataSourceDebug) -> Self {
        self.type_metadata = Some(source);
        self
    }

    /// Sets the algorithms used to validate `x5c` certificate chains (for example
    /// `webpki::aws_lc_rs::ALL_VERIFICATION_ALGS`); without them, `x5c` issuers cannot be
    /// verified.
    #[must_use]
    pub fn with_x509_algorithms(
        mut self,
        algs: &'a [&'a dyn sdjwt_x509::pki_types::SignatureVerificationAlgorithm],
    ) -> Self {
        self.discovery = self.discovery.with_x509_algorithms(algs);
        self
    }

    /// Verifies a presentation (compact or JWS JSON) at time `now`:
    ///
    /// 1. the header `typ` is `dc+sd-jwt` (§2.2.1; `vc+sd-jwt` only if the policy opts in);
    /// 2. the issuer is in the trust list, and its key is found with the one mechanism the
    ///    list permits for it (§2.5, §2.5);
    /// 3. RFC 9901 §7.1 and §7.3 verification with that key (§2.4);
    /// 4. `vct` is present in plaintext and valid, no never-disclosable claim was disclosed
    ///    (§2.2.2.3), `aka_vcts` is well-formed;
    /// 5. the issuer is trusted for `vct` and for every type in `aka_vcts`;
    /// 6. Type Metadata is processed as the policy says (§5.7);
    /// 7. only then, the status is checked (Token Status List §8.3).
    ///
    /// # Errors
    ///
    /// See [`Error`]: every rule has its own variant.
    pub fn verify(
        &self,
        presentation: &str,
        policy: &VcPolicy,
        now: i64,
    ) -> Result<VerifiedCredential, Error> {
        let sd_jwt = SdJwt::parse(presentation, &policy.sd_jwt.limits)?;
        // Step 1.
        let header = sd_jwt.header();
        let typ_ok = header.typ_is(TYP) || (policy.accept_legacy_typ && header.typ_is(LEGACY_TYP));
        if !typ_ok {
            return Err(Error::WrongTyp {
                found: header.typ().map(str::to_owned),
            });
        }
        // Step 2: the unverified `iss` only picks the trust list entry; the signature check
        // below decides.
        let iss = match sd_jwt.payload_tree().get("iss") {
            None => None,
            Some(iss) => Some(
                iss.as_str()
                    .ok_or(Error::Verifier(sdjwt_verifier::Error::IssuerNotString))?,
            ),
        };
        let issuer = self.find_issuer(iss)?;
        let keys = self.discovery.issuer_keys(issuer, iss, header, now)?;
        // Step 3.
        let resolver =
            StaticKeys::from_pairs(keys.into_iter().map(|k| (iss.map(str::to_owned), k)));
        let mut sd_policy = policy.sd_jwt.clone();
        sd_policy.required_typ = None;
        let presentation =
            Verifier::new(self.provider, &resolver).verify_parsed(&sd_jwt, &sd_policy, now)?;
        // Step 4.
        let claims = presentation.claims();
        if let Some(path) = presentation
            .disclosed_paths()
            .find(|p| is_never_disclosable(p))
        {
            return Err(Error::ReservedClaimDisclosable {
                path: path.to_string(),
            });
        }
        let vct = match sd_jwt.payload_tree().get("vct").and_then(|v| v.as_str()) {
            Some(vct) => vct.to_owned(),
            None => return Err(Error::MissingVct),
        };
        check_vct(&vct)?;
        let aka = match claims.get("aka_vcts") {
            Some(value) => check_aka_vcts(value, &vct)?,
            None => Vec::new(),
        };
        let integrity = match claims.get("vct#integrity") {
            None => None,
            Some(Value::String(text)) => Some(Integrity::parse(text)?),
            Some(_) => {
                return Err(Error::InvalidClaim {
                    claim: "vct#integrity",
                    reason: "not a string".to_owned(),
                });
            }
        };
        // Step 5.
        for t in core::iter::once(&vct).chain(aka.iter()) {
            if !issuer.may_issue(t) {
                return Err(Error::IssuerNotTrustedForType {
                    iss: issuer.id.clone(),
                    vct: t.clone(),
                });
            }
        }
        // Step 6.
        let type_metadata = self.process_type_metadata(
            &sd_jwt,
            presentation.disclosed(),
            &vct,
            integrity.as_ref(),
            policy,
        )?;
        // Step 7.
        let status = match policy.status {
            StatusPolicy::Ignore => StatusOutcome::NotChecked,
            StatusPolicy::Check => match claims.get("status") {
                None => StatusOutcome::NoStatus,
                Some(claim) => status::check(&self.discovery, issuer, claim, &policy.sd_jwt, now)?,
            },
        };
        Ok(VerifiedCredential {
            presentation,
            vct,
            issuer: Arc::clone(issuer),
            type_metadata,
            status,
        })
    }

    /// The trust list entry for `iss`.
    fn find_issuer(&self, iss: Option<&str>) -> Result<&'a Arc<TrustedIssuer>, Error> {
        iss.and_then(|iss| self.trust.issuer(iss))
            .ok_or_else(|| Error::UntrustedIssuer {
                iss: iss.map(str::to_owned),
            })
    }

    fn process_type_metadata(
        &self,
        sd_jwt: &SdJwt,
        disclosed: &[DisclosedClaim],
        vct: &str,
        integrity: Option<&Integrity>,
        policy: &VcPolicy,
    ) -> Result<Option<EffectiveTypeMetadata>, Error> {
        if policy.type_metadata == TypeMetadataPolicy::Ignore {
            return Ok(None);
        }
        let resolved = match self.type_metadata {
            Some(source) => {
                TypeMetadataResolver::new(source, self.provider).resolve(vct, integrity)
            }
            None => Err(Error::TypeMetadataUnavailable {
                vct: vct.to_owned(),
                reason: "no type metadata source configured".to_owned(),
            }),
        };
        let metadata = match resolved {
            Ok(m) => m,
            // Only a document that could not be retrieved at all may be skipped.
            Err(Error::TypeMetadataUnavailable { .. })
                if policy.type_metadata == TypeMetadataPolicy::IfAvailable =>
            {
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        AnnotatedCredential::from_processed(sd_jwt, disclosed, false).validate(&metadata.claims)?;
        Ok(Some(metadata))
    }
}
