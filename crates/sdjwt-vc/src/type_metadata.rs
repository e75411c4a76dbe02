//! SD-JWT VC Type Metadata (draft-ietf-oauth-sd-jwt-vc §5): the document format, retrieval by
//! `vct` with integrity checking, `extends` chains with a depth limit and cycle detection, and
//! the merge rules that yield the effective metadata of a type.

use std::collections::{BTreeMap, HashSet};

use sdjwt_jose::{CryptoProvider, json};
use serde_json::{Map, Value};

use crate::error::Error;
use crate::integrity::Integrity;

/// Where Type Metadata documents come from (draft-ietf-oauth-sd-jwt-vc §5.3): a URL in `vct`,
/// a registry, an ecosystem-defined method or a local cache. Implementations return the exact
/// octets of the document, so that `#integrity` can be checked over them.
pub trait TypeMetadataSource: Sync {
    /// The Type Metadata document for the type `vct`, as retrieved.
    ///
    /// # Errors
    ///
    /// [`Error::TypeMetadataUnavailable`] when the source has no document for `vct` or cannot
    /// retrieve it.
    fn retrieve(&self, vct: &str) -> Result<Vec<u8>, Error>;
}

/// Type Metadata held in memory, keyed by `vct`: a registry or local cache (§5.3.2, §5.3.4),
/// also the way to supply documents for offline verification.
#[derive(Clone, Debug, Default)]
pub struct LocalTypeMetadata {
    documents: BTreeMap<String, Vec<u8>>,
}

impl LocalTypeMetadata {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the document for `vct` (the exact bytes whose integrity may be checked).
    pub fn insert(&mut self, vct: impl Into<String>, document: impl Into<Vec<u8>>) {
        self.documents.insert(vct.into(), document.into());
    }

    /// Adds a document under the `vct` it declares.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTypeMetadata`] if it is not a Type Metadata document.
    pub fn insert_document(&mut self, document: impl Into<Vec<u8>>) -> Result<String, Error> {
        let document = document.into();
        let parsed = TypeMetadata::parse(&document)?;
        let vct = parsed.vct.clone();
        self.documents.insert(vct.clone(), document);
        Ok(vct)
    }

    /// How many documents it holds.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

impl TypeMetadataSource for LocalTypeMetadata {
    fn retrieve(&self, vct: &str) -> Result<Vec<u8>, Error> {
        self.documents
            .get(vct)
            .cloned()
            .ok_or_else(|| Error::TypeMetadataUnavailable {
                vct: vct.to_owned(),
                reason: "no document for this type".to_owned(),
            })
    }
}

/// Whether a claim may, must or must not be selectively disclosable (§5.6.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SdRule {
    /// `always`: the Issuer must make the claim selectively disclosable.
    Always,
    /// `allowed` (the default): the Issuer may.
    #[default]
    Allowed,
    /// `never`: the Issuer must not.
    Never,
}

impl SdRule {
    /// The JSON value naming this rule.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Always => "always",
            Self::Allowed => "allowed",
            Self::Never => "never",
        }
    }
}

/// One component of a claim metadata `path` (§5.6.1).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathComponent {
    /// A string: the member of that name.
    Key(String),
    /// `null`: every element of the selected array(s).
    AllElements,
    /// A non-negative integer: that element, counting elements as issued.
    Index(u64),
}

/// A claim metadata `path`: a non-empty array of strings, `null` and non-negative integers
/// (§5.6.1).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimPathPattern(Vec<PathComponent>);

impl ClaimPathPattern {
    /// Builds a pattern from components.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTypeMetadata`] for an empty path.
    pub fn new(components: Vec<PathComponent>) -> Result<Self, Error> {
        if components.is_empty() {
            return Err(Error::InvalidTypeMetadata {
                vct: String::new(),
                reason: "a claim path must not be empty".to_owned(),
            });
        }
        Ok(Self(components))
    }

    /// Parses the JSON form.
    fn from_json(value: &Value) -> Result<Self, String> {
        let Value::Array(items) = value else {
            return Err("`path` is not an array".to_owned());
        };
        if items.is_empty() {
            return Err("`path` is empty".to_owned());
        }
        items
            .iter()
            .map(|item| match item {
                Value::String(key) => Ok(PathComponent::Key(key.clone())),
                Value::Null => Ok(PathComponent::AllElements),
                Value::Number(n) => n
                    .as_u64()
                    .map(PathComponent::Index)
                    .ok_or_else(|| format!("`path` component {n} is not a non-negative integer")),
                other => Err(format!(
                    "`path` component {other} is not a string, null or index"
                )),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// The components.
    pub fn components(&self) -> &[PathComponent] {
        &self.0
    }

    /// The JSON form, as in a Type Metadata document.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.0
                .iter()
                .map(|c| match c {
                    PathComponent::Key(k) => Value::String(k.clone()),
                    PathComponent::AllElements => Value::Null,
                    PathComponent::Index(i) => Value::from(*i),
                })
                .collect(),
        )
    }
}

impl core::fmt::Display for ClaimPathPattern {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_json().to_string())
    }
}

/// Display information for a claim in one locale (§5.6.2).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClaimDisplay {
    /// RFC 5646 language tag.
    pub locale: String,
    /// Label for end users.
    pub label: String,
    /// Description for end users.
    pub description: Option<String>,
}

/// Display information for the type in one locale (§5.5).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct TypeDisplay {
    /// RFC 5646 language tag.
    pub locale: String,
    /// Name for end users.
    pub name: String,
    /// Description for end users.
    pub description: Option<String>,
    /// The `rendering` object (§5.5.1), as given: rendering is the caller's business, and its
    /// `uri` values are untrusted input to be retrieved under the §4 rules if at all.
    pub rendering: Option<Map<String, Value>>,
}

/// Metadata for the claim(s) a `path` selects (§5.6).
///
/// Properties absent from the document stay `None`, because a child type overrides only the
/// properties it sets (§5.6.5); [`ClaimMetadata::sd`] and [`ClaimMetadata::mandatory`] give
/// the effective values with their defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClaimMetadata {
    /// Which claim(s) this describes.
    pub path: ClaimPathPattern,
    /// Per-locale display information.
    pub display: Option<Vec<ClaimDisplay>>,
    /// `mandatory` as given.
    pub mandatory_value: Option<bool>,
    /// `sd` as given.
    pub sd_value: Option<SdRule>,
    /// `svg_id` as given.
    pub svg_id: Option<String>,
}

impl ClaimMetadata {
    /// The effective `sd` rule (default `allowed`, §5.6.4).
    pub fn sd(&self) -> SdRule {
        self.sd_value.unwrap_or_default()
    }

    /// The effective `mandatory` flag (default `false`, §5.6.3).
    pub fn mandatory(&self) -> bool {
        self.mandatory_value.unwrap_or(false)
    }
}

/// One parsed Type Metadata document (§5.2).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct TypeMetadata {
    /// The type it describes.
    pub vct: String,
    /// Name for developers.
    pub name: Option<String>,
    /// Description for developers.
    pub description: Option<String>,
    /// The type it extends.
    pub extends: Option<String>,
    /// `extends#integrity`.
    pub extends_integrity: Option<Integrity>,
    /// `display`, when present (absent means "inherit", §5.5.2).
    pub display: Option<Vec<TypeDisplay>>,
    /// `claims` (empty when absent).
    pub claims: Vec<ClaimMetadata>,
}

/// The largest Type Metadata document parsed: 1 MiB.
pub const MAX_DOCUMENT_BYTES: usize = 1 << 20;

impl TypeMetadata {
    /// Parses a Type Metadata document, strictly: unknown properties are ignored as §5.2
    /// requires, but every defined property must have its defined shape, `claims` paths must
    /// be well-formed (§5.6.1), `svg_id` values must be unique and well-formed, and one
    /// document must not describe the same path twice.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTypeMetadata`].
    pub fn parse(document: &[u8]) -> Result<Self, Error> {
        let invalid = |vct: &str, reason: String| Error::InvalidTypeMetadata {
            vct: vct.to_owned(),
            reason,
        };
        if document.len() > MAX_DOCUMENT_BYTES {
            return Err(invalid("", "document larger than 1 MiB".to_owned()));
        }
        let object = json::parse_object(document)
            .map_err(|e| invalid("", format!("not a JSON object: {e}")))?;
        let vct = match object.get("vct") {
            Some(Value::String(v)) if !v.is_empty() => v.clone(),
            Some(_) => return Err(invalid("", "`vct` is not a non-empty string".to_owned())),
            None => return Err(invalid("", "`vct` is missing".to_owned())),
        };
        let text = |name: &str| -> Result<Option<String>, Error> {
            match object.get(name) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(invalid(&vct, format!("`{name}` is not a string"))),
            }
        };
        let name = text("name")?;
        let description = text("description")?;
        let extends = text("extends")?;
        let extends_integrity = text("extends#integrity")?
            .map(|t| Integrity::parse(&t))
            .transpose()?;
        if extends_integrity.is_some() && extends.is_none() {
            return Err(invalid(
                &vct,
                "`extends#integrity` without `extends`".to_owned(),
            ));
        }
        let display = match object.get("display") {
            None => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(type_display)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|r| invalid(&vct, r))?,
            ),
            Some(_) => return Err(invalid(&vct, "`display` is not an array".to_owned())),
        };
        let claims = match object.get("claims") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(claim_metadata)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|r| invalid(&vct, r))?,
            Some(_) => return Err(invalid(&vct, "`claims` is not an array".to_owned())),
        };
        let mut paths = HashSet::new();
        let mut svg_ids = HashSet::new();
        for claim in &claims {
            if !paths.insert(&claim.path) {
                return Err(invalid(
                    &vct,
                    format!("claim path {} is described twice", claim.path),
                ));
            }
            if let Some(id) = &claim.svg_id
                && !svg_ids.insert(id)
            {
                return Err(invalid(&vct, format!("`svg_id` {id:?} is not unique")));
            }
        }
        Ok(Self {
            vct,
            name,
            description,
            extends,
            extends_integrity,
            display,
            claims,
        })
    }
}

fn string_member(
    object: &Map<String, Value>,
    name: &str,
    required: bool,
) -> Result<Option<String>, String> {
    match object.get(name) {
        None if required => Err(format!("`{name}` is missing")),
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{name}` is not a string")),
    }
}

fn type_display(value: &Value) -> Result<TypeDisplay, String> {
    let Value::Object(object) = value else {
        return Err("a `display` entry is not an object".to_owned());
    };
    let locale = string_member(object, "locale", true)?.unwrap_or_default();
    let name = string_member(object, "name", true)?.unwrap_or_default();
    let description = string_member(object, "description", false)?;
    let rendering = match object.get("rendering") {
        None => None,
        Some(Value::Object(r)) => Some(r.clone()),
        Some(_) => return Err("`rendering` is not an object".to_owned()),
    };
    Ok(TypeDisplay {
        locale,
        name,
        description,
        rendering,
    })
}

fn claim_display(value: &Value) -> Result<ClaimDisplay, String> {
    let Value::Object(object) = value else {
        return Err("a claim `display` entry is not an object".to_owned());
    };
    Ok(ClaimDisplay {
        locale: string_member(object, "locale", true)?.unwrap_or_default(),
        label: string_member(object, "label", true)?.unwrap_or_default(),
        description: string_member(object, "description", false)?,
    })
}

fn claim_metadata(value: &Value) -> Result<ClaimMetadata, String> {
    let Value::Object(object) = value else {
        return Err("a `claims` entry is not an object".to_owned());
    };
    let path = ClaimPathPattern::from_json(
        object
            .get("path")
            .ok_or_else(|| "a claim has no `path`".to_owned())?,
    )?;
    let display = match object.get("display") {
        None => None,
        Some(Value::Array(items)) => {
            Some(items.iter().map(claim_display).collect::<Result<_, _>>()?)
        }
        Some(_) => return Err(format!("`display` of claim {path} is not an array")),
    };
    let mandatory_value = match object.get("mandatory") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return Err(format!("`mandatory` of claim {path} is not a boolean")),
    };
    let sd_value = match object.get("sd") {
        None => None,
        Some(Value::String(s)) => Some(match s.as_str() {
            "always" => SdRule::Always,
            "allowed" => SdRule::Allowed,
            "never" => SdRule::Never,
            other => {
                return Err(format!(
                    "`sd` of claim {path} is {other:?}, not always/allowed/never"
                ));
            }
        }),
        Some(_) => return Err(format!("`sd` of claim {path} is not a string")),
    };
    let svg_id = match object.get("svg_id") {
        None => None,
        Some(Value::String(id)) => {
            let well_formed = id
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !well_formed {
                return Err(format!(
                    "`svg_id` {id:?} must be alphanumerics and underscores, not starting with a digit"
                ));
            }
            Some(id.clone())
        }
        Some(_) => return Err(format!("`svg_id` of claim {path} is not a string")),
    };
    Ok(ClaimMetadata {
        path,
        display,
        mandatory_value,
        sd_value,
        svg_id,
    })
}

/// The metadata of a type after following and applying its `extends` chain (§5.4, §5.5.2,
/// §5.6.5): what a Consumer validates and displays with.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct EffectiveTypeMetadata {
    /// The documents of the chain, the credential's own type first, its root last.
    pub chain: Vec<TypeMetadata>,
    /// The display metadata in force: the nearest type in the chain that defines `display`.
    pub display: Vec<TypeDisplay>,
    /// The merged claim metadata.
    pub claims: Vec<ClaimMetadata>,
}

impl EffectiveTypeMetadata {
    /// The type this is the metadata of.
    pub fn vct(&self) -> &str {
        self.chain.first().map_or("", |t| t.vct.as_str())
    }

    /// Every type in the chain: the type itself and every type it extends, transitively.
    pub fn types(&self) -> impl Iterator<Item = &str> {
        self.chain.iter().map(|t| t.vct.as_str())
    }

    /// The display entry for `locale`, falling back to the first entry.
    pub fn display_for(&self, locale: &str) -> Option<&TypeDisplay> {
        self.display
            .iter()
            .find(|d| d.locale.eq_ignore_ascii_case(locale))
            .or_else(|| self.display.first())
    }
}

/// Follows `extends` from a type to its root and merges the chain (§5.4).
#[derive(Clone, Copy, Debug)]
pub struct TypeMetadataResolver<'a> {
    source: &'a dyn TypeMetadataSourceDebug,
    provider: &'a CryptoProvider,
    max_depth: usize,
}

/// [`TypeMetadataSource`] plus `Debug`, so resolvers can be printed.
pub trait TypeMetadataSourceDebug: TypeMetadataSource + core::fmt::Debug {}
impl<T: TypeMetadataSource + core::fmt::Debug> TypeMetadataSourceDebug for T {}

impl<'a> TypeMetadataResolver<'a> {
    /// How many documents a chain may have by default: the type and up to seven ancestors.
    pub const DEFAULT_MAX_DEPTH: usize = 8;

    /// A resolver over `source`, hashing with `provider` for integrity checks.
    pub fn new(source: &'a dyn TypeMetadataSourceDebug, provider: &'a CryptoProvider) -> Self {
        Self {
            source,
            provider,
            max_depth: Self::DEFAULT_MAX_DEPTH,
        }
    }

    /// Changes the chain length limit (at least 1).
    #[must_use]
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth.max(1);
        self
    }

    /// Retrieves the Type Metadata for `vct`, checks `integrity` (the credential's
    /// `vct#integrity`) if given, follows `extends` (checking each `extends#integrity`), and
    /// merges the chain.
    ///
    /// Every retrieved document must declare the `vct` it was retrieved for (§5.3). A type that
    /// is reached twice is a circular dependency and is rejected (§7.4); a chain longer than the
    /// depth limit is rejected too.
    ///
    /// # Errors
    ///
    /// [`Error::TypeMetadataUnavailable`], [`Error::IntegrityMismatch`],
    /// [`Error::IntegrityUnsupported`], [`Error::InvalidTypeMetadata`],
    /// [`Error::TypeMetadataVctMismatch`], [`Error::ExtendsCycle`],
    /// [`Error::ExtendsTooDeep`], [`Error::ExtendsOverride`].
    pub fn resolve(
        &self,
        vct: &str,
        integrity: Option<&Integrity>,
    ) -> Result<EffectiveTypeMetadata, Error> {
        let mut chain: Vec<TypeMetadata> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let mut next = Some((vct.to_owned(), integrity.cloned()));
        while let Some((wanted, integrity)) = next.take() {
            if seen.contains(&wanted) {
                seen.push(wanted);
                return Err(Error::ExtendsCycle { chain: seen });
            }
            if chain.len() >= self.max_depth {
                return Err(Error::ExtendsTooDeep {
                    vct: vct.to_owned(),
                    max: self.max_depth,
                });
            }
            let document = self.source.retrieve(&wanted)?;
            if let Some(integrity) = &integrity {
                integrity.verify(self.provider, &document)?;
            }
            let parsed = TypeMetadata::parse(&document)?;
            if parsed.vct != wanted {
                return Err(Error::TypeMetadataVctMismatch {
                    expected: wanted,
                    found: parsed.vct,
                });
            }
            next = parsed
                .extends
                .clone()
                .map(|ext| (ext, parsed.extends_integrity.clone()));
            seen.push(wanted);
            chain.push(parsed);
        }
        merge(chain)
    }
}

/// Applies the chain from its root down to the type itself.
fn merge(chain: Vec<TypeMetadata>) -> Result<EffectiveTypeMetadata, Error> {
    let mut display: Vec<TypeDisplay> = Vec::new();
    let mut claims: Vec<ClaimMetadata> = Vec::new();
    for doc in chain.iter().rev() {
        // §5.5.2: a type's own `display` replaces what it inherits.
        if let Some(own) = &doc.display {
            display = own.clone();
        }
        // §5.6.5: same path → combine, child's properties first; new path → add.
        for child in &doc.claims {
            match claims.iter_mut().find(|c| c.path == child.path) {
                Some(base) => combine(base, child, &doc.vct)?,
                None => claims.push(child.clone()),
            }
        }
    }
    Ok(EffectiveTypeMetadata {
        chain,
        display,
        claims,
    })
}

/// Combines a child's claim metadata into the inherited one, enforcing §5.6.5.1.
fn combine(base: &mut ClaimMetadata, child: &ClaimMetadata, vct: &str) -> Result<(), Error> {
    if let Some(sd) = child.sd_value {
        let inherited = base.sd();
        if inherited != SdRule::Allowed && sd != inherited {
            return Err(Error::ExtendsOverride {
                vct: vct.to_owned(),
                path: child.path.to_string(),
                reason: format!("changes `sd` from {} to {}", inherited.name(), sd.name()),
            });
        }
        base.sd_value = Some(sd);
    }
    if let Some(mandatory) = child.mandatory_value {
        if base.mandatory() && !mandatory {
            return Err(Error::ExtendsOverride {
                vct: vct.to_owned(),
                path: child.path.to_string(),
                reason: "changes `mandatory` from true to false".to_owned(),
            });
        }
        base.mandatory_value = Some(mandatory);
    }
    if child.display.is_some() {
        base.display.clone_from(&child.display);
    }
    if child.svg_id.is_some() {
        base.svg_id.clone_from(&child.svg_id);
    }
    Ok(())
}

/// Type Metadata retrieved from the URL in `vct` (§5.3.1) through a document resolver, for
/// types that are HTTPS URLs. Other types are [`Error::TypeMetadataUnavailable`].
#[derive(Clone, Copy)]
pub struct FetchedTypeMetadata<'a> {
    resolver: &'a dyn sdjwt_fetch::Resolver,
    now: u64,
    loopback_http: bool,
}

impl core::fmt::Debug for FetchedTypeMetadata<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FetchedTypeMetadata")
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

impl<'a> FetchedTypeMetadata<'a> {
    /// Retrieval through `resolver` at time `now` (for its cache).
    pub fn new(resolver: &'a dyn sdjwt_fetch::Resolver, now: u64) -> Self {
        Self {
            resolver,
            now,
            loopback_http: false,
        }
    }

    /// Lets `http://` types on loopback addresses through, for tests against a local server.
    /// **Never in production**: §4 requires HTTPS.
    #[must_use]
    pub fn danger_allow_loopback_http(mut self) -> Self {
        self.loopback_http = true;
        self
    }
}

impl TypeMetadataSource for FetchedTypeMetadata<'_> {
    fn retrieve(&self, vct: &str) -> Result<Vec<u8>, Error> {
        let unavailable = |reason: String| Error::TypeMetadataUnavailable {
            vct: vct.to_owned(),
            reason,
        };
        let url = match sdjwt_fetch::HttpsUrl::parse(vct) {
            Ok(url) => url,
            Err(_) if self.loopback_http => sdjwt_fetch::HttpsUrl::danger_parse_loopback_http(vct)
                .map_err(|e| unavailable(format!("not an HTTPS URL: {e}")))?,
            Err(e) => return Err(unavailable(format!("not an HTTPS URL: {e}"))),
        };
        let request = sdjwt_fetch::FetchRequest::new(url, sdjwt_fetch::ResourceKind::TypeMetadata);
        let response = self
            .resolver
            .fetch(&request, self.now)
            .map_err(|e| unavailable(e.to_string()))?;
        Ok(response.body.to_vec())
    }
}

/// Tries several sources in order: the first that has a document wins (for example local
/// files first, then the network).
#[derive(Clone, Copy, Debug)]
pub struct FirstOf<'a>(pub &'a [&'a dyn TypeMetadataSourceDebug]);

impl TypeMetadataSource for FirstOf<'_> {
    fn retrieve(&self, vct: &str) -> Result<Vec<u8>, Error> {
        let mut last = Error::TypeMetadataUnavailable {
            vct: vct.to_owned(),
            reason: "no source configured".to_owned(),
        };
        for source in self.0 {
            match source.retrieve(vct) {
                Ok(document) => return Ok(document),
                Err(e @ Error::TypeMetadataUnavailable { .. }) => last = e,
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }
}
