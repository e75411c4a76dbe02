//! Issuing SD-JWT VCs (draft-ietf-oauth-sd-jwt-vc §2).

use std::collections::BTreeSet;

use sdjwt_core::{ClaimPath, UnixTime};
use sdjwt_issuer::{PreparedSdJwt, SdJwtBuilder};
use sdjwt_jose::{CryptoProvider, Jwk};
use serde_json::{Map, Value, json};

use crate::claim_rules::{AnnotatedCredential, is_never_disclosable};
use crate::error::Error;
use crate::integrity::Integrity;
use crate::type_metadata::EffectiveTypeMetadata;

/// The media type of an SD-JWT VC, used as the header `typ` (§2.1, §2.2.1).
pub const TYP: &str = "dc+sd-jwt";

/// The `typ` of drafts before -06; verifiers accept it only when they opt in.
pub const LEGACY_TYP: &str = "vc+sd-jwt";

/// Where a credential's status is published: the `status_list` reference of the Token Status
/// List draft (§6.1): index `idx` in the list at `uri`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusListReference {
    /// The index of this credential's entry.
    pub idx: u64,
    /// The URI of the Status List Token.
    pub uri: String,
}

/// Checks that `vct` can serve as a type identifier: a non-empty string without whitespace or
/// control characters (§2.2.2.1 asks for a Collision-Resistant Name, which this cannot verify;
/// it refuses what cannot be one).
///
/// # Errors
///
/// [`Error::InvalidVct`].
pub fn check_vct(vct: &str) -> Result<(), Error> {
    if vct.is_empty()
        || vct.len() > 2048
        || vct.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Error::InvalidVct {
            vct: vct.chars().take(100).collect(),
        });
    }
    Ok(())
}

/// Collects an SD-JWT VC before it is signed: the RFC 9901 builder plus the profile's claims
/// and rules.
///
/// ```
/// use sdjwt_core::{ClaimName, ClaimPath};
/// use sdjwt_vc::VcBuilder;
/// use serde_json::json;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
/// let claims = json!({"right_to_work": true, "given_name": "Ada"});
/// let prepared = VcBuilder::new("https://credentials.gov.example/right-to-work", claims.as_object().cloned().unwrap_or_default())
///     .issuer("https://immigration.gov.example")
///     .issued_at(1_800_000_000)
///     .disclose(ClaimPath::root().key(ClaimName::new("given_name")?))
///     .disclose(ClaimPath::root().key(ClaimName::new("right_to_work")?))
///     .prepare(&provider)?;
/// assert!(prepared.payload().contains("\"vct\""));
///
/// // `exp` must never be selectively disclosable (§2.2.2.3):
/// let refused = VcBuilder::new("urn:example:x", serde_json::Map::new())
///     .expires_at(1_900_000_000)
///     .disclose(ClaimPath::root().key(ClaimName::new("exp")?))
///     .prepare(&provider);
/// assert!(refused.is_err());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct VcBuilder {
    vct: String,
    claims: Map<String, Value>,
    disclosed: Vec<ClaimPath>,
    vct_integrity: Option<Integrity>,
    status: Option<StatusListReference>,
    type_metadata: Option<EffectiveTypeMetadata>,
    inner: Inner,
}

/// The settings passed through to [`SdJwtBuilder`].
#[derive(Clone, Debug, Default)]
struct Inner {
    iss: Option<String>,
    iat: Option<UnixTime>,
    nbf: Option<UnixTime>,
    exp: Option<UnixTime>,
    holder_key: Option<Jwk>,
    header: Vec<(String, Value)>,
    configure: Vec<fn(SdJwtBuilder) -> SdJwtBuilder>,
}

impl VcBuilder {
    /// A credential of type `vct` with these claims, all plaintext until disclosed with
    /// [`VcBuilder::disclose`].
    pub fn new(vct: impl Into<String>, claims: Map<String, Value>) -> Self {
        Self {
            vct: vct.into(),
            claims,
            disclosed: Vec::new(),
            vct_integrity: None,
            status: None,
            type_metadata: None,
            inner: Inner::default(),
        }
    }

    /// Makes the claim at `path` selectively disclosable.
    pub fn disclose(mut self, path: ClaimPath) -> Self {
        self.disclosed.push(path);
        self
    }

    /// Makes every path in `paths` selectively disclosable.
    pub fn disclose_all(mut self, paths: impl IntoIterator<Item = ClaimPath>) -> Self {
        self.disclosed.extend(paths);
        self
    }

    /// The `iss` claim.
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        self.inner.iss = Some(iss.into());
        self
    }

    /// The `iat` claim (selectively disclosable only if disclosed explicitly, §2.2.2.3).
    pub fn issued_at(mut self, iat: UnixTime) -> Self {
        self.inner.iat = Some(iat);
        self
    }

    /// The `nbf` claim.
    pub fn not_before(mut self, nbf: UnixTime) -> Self {
        self.inner.nbf = Some(nbf);
        self
    }

    /// The `exp` claim.
    pub fn expires_at(mut self, exp: UnixTime) -> Self {
        self.inner.exp = Some(exp);
        self
    }

    /// The holder's public key for `cnf.jwk` (§2.2.2.3, RFC 7800).
    pub fn holder_key(mut self, key: &Jwk) -> Self {
        self.inner.holder_key = Some(key.clone());
        self
    }

    /// The `vct#integrity` claim: the integrity of the type's metadata document (§6).
    pub fn vct_integrity(mut self, integrity: Integrity) -> Self {
        self.vct_integrity = Some(integrity);
        self
    }

    /// The `status` claim pointing at a status list entry.
    pub fn status(mut self, reference: StatusListReference) -> Self {
        self.status = Some(reference);
        self
    }

    /// Checks the claims and the disclosure selection against this type's metadata before
    /// issuing: mandatory claims present, `sd: always` claims disclosable, `sd: never` claims
    /// not (§5.6.3, §5.6.4). The metadata must be that of the credential's `vct`.
    pub fn type_metadata(mut self, metadata: EffectiveTypeMetadata) -> Self {
        self.type_metadata = Some(metadata);
        self
    }

    /// Adds a protected header parameter (for example `x5c`).
    pub fn header_parameter(mut self, name: impl Into<String>, value: Value) -> Self {
        self.inner.header.push((name.into(), value));
        self
    }

    /// Applies a further setting of the RFC 9901 builder (hash algorithm, decoys, limits).
    pub fn configure(mut self, f: fn(SdJwtBuilder) -> SdJwtBuilder) -> Self {
        self.inner.configure.push(f);
        self
    }

    /// The caller's claims (for batch issuance, `crate::batch`).
    pub(crate) fn template_claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// The selectively disclosable paths (for batch issuance).
    pub(crate) fn disclosed_paths(&self) -> &[ClaimPath] {
        &self.disclosed
    }

    /// `iat`, `nbf` and `exp` as set (for batch issuance).
    pub(crate) fn times(&self) -> [Option<UnixTime>; 3] {
        [self.inner.iat, self.inner.nbf, self.inner.exp]
    }

    /// Whether a status reference is set (for batch issuance).
    pub(crate) fn has_status(&self) -> bool {
        self.status.is_some()
    }

    /// The claims as they will be issued (before selective disclosure): the caller's claims
    /// with `vct`, `vct#integrity` and `status` added. `iss`, `iat`, `nbf`, `exp` and `cnf` are
    /// added by the RFC 9901 builder.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidVct`], or [`Error::InvalidClaim`] when the caller's claims already hold
    /// one of these with another value.
    fn full_claims(&self) -> Result<Map<String, Value>, Error> {
        check_vct(&self.vct)?;
        let mut claims = self.claims.clone();
        let mut set = |name: &'static str, value: Value| -> Result<(), Error> {
            match claims.get(name) {
                Some(existing) if *existing != value => Err(Error::InvalidClaim {
                    claim: name,
                    reason: "given in the claims with a different value".to_owned(),
                }),
                _ => {
                    claims.insert(name.to_owned(), value);
                    Ok(())
                }
            }
        };
        set("vct", Value::String(self.vct.clone()))?;
        if let Some(integrity) = &self.vct_integrity {
            set(
                "vct#integrity",
                Value::String(integrity.as_str().to_owned()),
            )?;
        }
        if let Some(status) = &self.status {
            set(
                "status",
                json!({"status_list": {"idx": status.idx, "uri": status.uri}}),
            )?;
        }
        if let Some(aka) = claims.get("aka_vcts") {
            check_aka_vcts(aka, &self.vct)?;
        }
        Ok(claims)
    }

    /// Checks every rule and builds the payload and Disclosures, ready to be signed.
    ///
    /// # Errors
    ///
    /// [`Error::ReservedClaimDisclosable`] for a selection under `iss`, `nbf`, `exp`, `cnf`,
    /// `vct`, `vct#integrity`, `aka_vcts` or `status`; the type metadata errors
    /// ([`Error::MandatoryClaimMissing`], [`Error::SelectiveDisclosureRule`],
    /// [`Error::ClaimPathError`], [`Error::TypeMetadataVctMismatch`]); [`Error::Issuer`].
    pub fn prepare(self, provider: &CryptoProvider) -> Result<PreparedSdJwt, Error> {
        let claims = self.full_claims()?;
        if let Some(path) = self.disclosed.iter().find(|p| is_never_disclosable(p)) {
            return Err(Error::ReservedClaimDisclosable {
                path: path.to_string(),
            });
        }
        if let Some(metadata) = &self.type_metadata {
            if metadata.vct() != self.vct {
                return Err(Error::TypeMetadataVctMismatch {
                    expected: self.vct.clone(),
                    found: metadata.vct().to_owned(),
                });
            }
            // Validate what will be issued, registered claims included.
            let mut issued = claims.clone();
            let inner = &self.inner;
            for (name, value) in [
                ("iss", inner.iss.clone().map(Value::String)),
                ("iat", inner.iat.map(Value::from)),
                ("nbf", inner.nbf.map(Value::from)),
                ("exp", inner.exp.map(Value::from)),
                (
                    "cnf",
                    inner
                        .holder_key
                        .as_ref()
                        .map(|k| json!({"jwk": k.to_json()})),
                ),
            ] {
                if let Some(value) = value {
                    issued.insert(name.to_owned(), value);
                }
            }
            let selected: BTreeSet<ClaimPath> = self.disclosed.iter().cloned().collect();
            AnnotatedCredential::from_issuer_input(&issued, &selected)
                .validate(&metadata.claims)?;
        }
        let mut builder = SdJwtBuilder::new(claims)
            .typ(TYP)
            .disclose_all(self.disclosed);
        let inner = self.inner;
        if let Some(iss) = inner.iss {
            builder = builder.issuer(iss);
        }
        if let Some(iat) = inner.iat {
            builder = builder.issued_at(iat);
        }
        if let Some(nbf) = inner.nbf {
            builder = builder.not_before(nbf);
        }
        if let Some(exp) = inner.exp {
            builder = builder.expires_at(exp);
        }
        if let Some(key) = &inner.holder_key {
            builder = builder.holder_key(key);
        }
        // Claim metadata that addresses array elements by index counts them as issued
        // (§5.6.1): decoys then go after the elements, so none moves.
        let indexed = self.type_metadata.as_ref().is_some_and(|m| {
            m.claims.iter().any(|c| {
                c.path
                    .components()
                    .iter()
                    .any(|p| matches!(p, crate::type_metadata::PathComponent::Index(_)))
            })
        });
        if indexed {
            builder = builder.array_decoy_placement(sdjwt_issuer::ArrayDecoyPlacement::AtEnd);
        }
        for (name, value) in inner.header {
            builder = builder.header_parameter(name, value);
        }
        for f in inner.configure {
            builder = f(builder);
        }
        Ok(builder.prepare(provider)?)
    }
}

/// Checks `aka_vcts` (§2.2.2.2): a non-empty array of type identifiers, none equal to `vct`.
///
/// # Errors
///
/// [`Error::InvalidClaim`].
pub fn check_aka_vcts(value: &Value, vct: &str) -> Result<Vec<String>, Error> {
    let bad = |reason: &str| Error::InvalidClaim {
        claim: "aka_vcts",
        reason: reason.to_owned(),
    };
    let items = value
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| bad("must be a non-empty array"))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let text = item
            .as_str()
            .ok_or_else(|| bad("every element must be a string"))?;
        check_vct(text).map_err(|_| bad("an element is not a valid type identifier"))?;
        if text == vct {
            return Err(bad("must not contain the value of vct"));
        }
        out.push(text.to_owned());
    }
    Ok(out)
}
