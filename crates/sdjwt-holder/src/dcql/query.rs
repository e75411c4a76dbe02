//! The DCQL data model (OpenID4VP 1.0 §6) and its strict parser.

use core::fmt;
use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::error::{DcqlError, DcqlLimit};
use super::pointer::{ClaimsPathPointer, PathElement};

/// Bounds on a DCQL query, so that a hostile verifier cannot make the wallet allocate or work
/// without limit. Every number is far above what real queries use (the specification's own
/// examples have at most 5 credential queries and 5 claims each).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DcqlLimits {
    /// Longest query text [`DcqlQuery::parse`] reads, in bytes (default 256 KiB: a request
    /// object is a few KiB).
    pub max_query_bytes: usize,
    /// Credential queries in `credentials` (default 64).
    pub max_credentials: usize,
    /// Claims queries in one credential query (default 256).
    pub max_claims: usize,
    /// Claims queries in the whole query (default 1024). Selection evaluates every claims
    /// query against every held credential, so this bounds that work.
    pub max_total_claims: usize,
    /// Components of one claims path pointer (default 32; the JSON nesting limit of
    /// `sdjwt_jose::json` is 64).
    pub max_path_len: usize,
    /// Elements of one `values` array (default 64).
    pub max_values: usize,
    /// Options in one `claim_sets` (default 64).
    pub max_claim_sets: usize,
    /// Claim ids across every `claim_sets` option of the whole query (default 4096): selection
    /// computes the disclosures of every option for every candidate credential.
    pub max_claim_set_entries: usize,
    /// Credential set queries in `credential_sets` (default 64).
    pub max_credential_sets: usize,
    /// Options in one credential set query (default 64).
    pub max_options: usize,
    /// Credential query ids in one credential set option (default 64).
    pub max_option_len: usize,
    /// Elements of `meta.vct_values` (default 64).
    pub max_vct_values: usize,
    /// Entries of `trusted_authorities` (default 16).
    pub max_trusted_authorities: usize,
    /// Elements of one trusted authorities query's `values` (default 64).
    pub max_authority_values: usize,
}

impl DcqlLimits {
    /// The defaults documented on each field.
    pub const DEFAULT: Self = Self {
        max_query_bytes: 256 * 1024,
        max_credentials: 64,
        max_claims: 256,
        max_total_claims: 1024,
        max_path_len: 32,
        max_values: 64,
        max_claim_sets: 64,
        max_claim_set_entries: 4096,
        max_credential_sets: 64,
        max_options: 64,
        max_option_len: 64,
        max_vct_values: 64,
        max_trusted_authorities: 16,
        max_authority_values: 64,
    };
}

impl Default for DcqlLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// An identifier of a credential query or a claims query: a non-empty string of ASCII
/// letters, digits, `_` and `-` (OpenID4VP 1.0 §6.1 Credential Query, §6.3 Claims Query).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DcqlId(String);

impl DcqlId {
    /// Validates an identifier; `None` when it is empty or has another character.
    pub fn new(id: impl Into<String>) -> Option<Self> {
        let id = id.into();
        let valid = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        valid.then_some(Self(id))
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DcqlId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Credential Format Identifier (OpenID4VP 1.0 Appendix B).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialFormat {
    /// `dc+sd-jwt`: IETF SD-JWT VC (Appendix B.3.1), the only format this wallet holds.
    DcSdJwt,
    /// `mso_mdoc`: ISO mdoc (Appendix B.2).
    MsoMdoc,
    /// Any other identifier, kept as received.
    Other(String),
}

impl CredentialFormat {
    /// The identifier for `dc+sd-jwt`.
    pub const DC_SD_JWT: &'static str = "dc+sd-jwt";
    /// The identifier for `mso_mdoc`.
    pub const MSO_MDOC: &'static str = "mso_mdoc";

    fn from_str(s: &str) -> Self {
        match s {
            Self::DC_SD_JWT => Self::DcSdJwt,
            Self::MSO_MDOC => Self::MsoMdoc,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The identifier as written in the query.
    pub fn as_str(&self) -> &str {
        match self {
            Self::DcSdJwt => Self::DC_SD_JWT,
            Self::MsoMdoc => Self::MSO_MDOC,
            Self::Other(s) => s,
        }
    }
}

impl fmt::Display for CredentialFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `meta` member of a credential query (OpenID4VP 1.0 §6.1): constraints on the
/// credential's metadata, defined per format.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Meta {
    /// For `dc+sd-jwt` (Appendix B.3.5, `sd_jwt_vc_meta_parameter`): the accepted `vct`
    /// values. Other members are ignored.
    SdJwtVc {
        /// `vct_values`: REQUIRED, a non-empty array of type identifiers.
        vct_values: Vec<String>,
    },
    /// Any other format's `meta`, kept as received (for `mso_mdoc`, `doctype_value`).
    Other(Map<String, Value>),
}

/// A Trusted Authorities Query (OpenID4VP 1.0 §6.1.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedAuthoritiesQuery {
    kind: String,
    values: Vec<String>,
}

impl TrustedAuthoritiesQuery {
    /// A query of type `kind` with `values` (not checked: the parser checks what it reads).
    pub fn new(kind: impl Into<String>, values: Vec<String>) -> Self {
        Self {
            kind: kind.into(),
            values,
        }
    }

    /// `type`, e.g. `aki`, `etsi_tl`, `openid_federation` (§6.1.1.1 to §6.1.1.3).
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// `values`: non-empty.
    pub fn values(&self) -> &[String] {
        &self.values
    }
}

/// An expected claim value in a claims query (OpenID4VP 1.0 §6.3 Claims Query: "strings,
/// integers or boolean values"). Matching compares type and value exactly: `1`, `true` and
/// `"1"` are three different values.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ClaimValue {
    /// A string.
    String(String),
    /// An integer. Integers above `i64::MAX` are refused by the parser.
    Integer(i64),
    /// A boolean.
    Bool(bool),
}

impl ClaimValue {
    /// Whether a claim's value is this one, in type and value (§6.3, §6.4.1). A JSON number
    /// written with a fraction or exponent is a float and never equals an integer.
    pub fn matches(&self, value: &Value) -> bool {
        match (self, value) {
            (Self::String(a), Value::String(b)) => a == b,
            (Self::Bool(a), Value::Bool(b)) => a == b,
            (Self::Integer(a), Value::Number(n)) => n.as_i64() == Some(*a),
            _ => false,
        }
    }

    /// The value as JSON.
    pub fn to_value(&self) -> Value {
        match self {
            Self::String(s) => Value::String(s.clone()),
            Self::Integer(i) => Value::from(*i),
            Self::Bool(b) => Value::Bool(*b),
        }
    }
}

impl fmt::Display for ClaimValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value().to_string())
    }
}

/// A Claims Query (OpenID4VP 1.0 §6.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimsQuery {
    id: Option<DcqlId>,
    path: ClaimsPathPointer,
    values: Option<Vec<ClaimValue>>,
}

impl ClaimsQuery {
    /// A claims query (not checked: the parser checks what it reads).
    pub fn new(
        id: Option<DcqlId>,
        path: ClaimsPathPointer,
        values: Option<Vec<ClaimValue>>,
    ) -> Self {
        Self { id, path, values }
    }

    /// `id`: REQUIRED when the credential query has `claim_sets`.
    pub fn id(&self) -> Option<&DcqlId> {
        self.id.as_ref()
    }

    /// `path`: the claims path pointer (§7).
    pub fn path(&self) -> &ClaimsPathPointer {
        &self.path
    }

    /// `values`: the expected values, when the verifier asks for value matching.
    pub fn values(&self) -> Option<&[ClaimValue]> {
        self.values.as_deref()
    }

    fn to_value(&self) -> Value {
        let mut m = Map::new();
        if let Some(id) = &self.id {
            m.insert("id".into(), id.as_str().into());
        }
        m.insert("path".into(), self.path.to_value());
        if let Some(values) = &self.values {
            m.insert(
                "values".into(),
                Value::Array(values.iter().map(ClaimValue::to_value).collect()),
            );
        }
        Value::Object(m)
    }
}

/// A Credential Query (OpenID4VP 1.0 §6.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialQuery {
    pub(crate) id: DcqlId,
    pub(crate) format: CredentialFormat,
    pub(crate) multiple: bool,
    pub(crate) meta: Meta,
    pub(crate) trusted_authorities: Option<Vec<TrustedAuthoritiesQuery>>,
    pub(crate) require_cryptographic_holder_binding: bool,
    pub(crate) claims: Option<Vec<ClaimsQuery>>,
    pub(crate) claim_sets: Option<Vec<Vec<DcqlId>>>,
}

impl CredentialQuery {
    /// `id`.
    pub fn id(&self) -> &DcqlId {
        &self.id
    }

    /// `format`.
    pub fn format(&self) -> &CredentialFormat {
        &self.format
    }

    /// `multiple` (default `false`): whether several credentials may answer this query.
    pub fn multiple(&self) -> bool {
        self.multiple
    }

    /// `meta`.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// `meta.vct_values` for an SD-JWT VC query.
    pub fn vct_values(&self) -> Option<&[String]> {
        match &self.meta {
            Meta::SdJwtVc { vct_values } => Some(vct_values),
            Meta::Other(_) => None,
        }
    }

    /// `trusted_authorities`.
    pub fn trusted_authorities(&self) -> Option<&[TrustedAuthoritiesQuery]> {
        self.trusted_authorities.as_deref()
    }

    /// `require_cryptographic_holder_binding` (default `true`).
    pub fn require_cryptographic_holder_binding(&self) -> bool {
        self.require_cryptographic_holder_binding
    }

    /// `claims`. When the query had no `claim_sets`, a claims query pointing at the same claim
    /// as an earlier one has been dropped (§6.1: "Wallets SHOULD ignore such duplicate claim
    /// queries"); with `claim_sets` all are kept, since options name them by id.
    pub fn claims(&self) -> Option<&[ClaimsQuery]> {
        self.claims.as_deref()
    }

    /// `claim_sets`: each option is a list of claims query ids.
    pub fn claim_sets(&self) -> Option<&[Vec<DcqlId>]> {
        self.claim_sets.as_deref()
    }

    fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), self.id.as_str().into());
        m.insert("format".into(), self.format.as_str().into());
        if self.multiple {
            m.insert("multiple".into(), true.into());
        }
        let meta = match &self.meta {
            Meta::SdJwtVc { vct_values } => {
                let mut meta = Map::new();
                meta.insert(
                    "vct_values".into(),
                    Value::Array(vct_values.iter().map(|v| v.as_str().into()).collect()),
                );
                meta
            }
            Meta::Other(meta) => meta.clone(),
        };
        m.insert("meta".into(), Value::Object(meta));
        if let Some(tas) = &self.trusted_authorities {
            let list = tas
                .iter()
                .map(|ta| {
                    let mut t = Map::new();
                    t.insert("type".into(), ta.kind.as_str().into());
                    t.insert(
                        "values".into(),
                        Value::Array(ta.values.iter().map(|v| v.as_str().into()).collect()),
                    );
                    Value::Object(t)
                })
                .collect();
            m.insert("trusted_authorities".into(), Value::Array(list));
        }
        if !self.require_cryptographic_holder_binding {
            m.insert("require_cryptographic_holder_binding".into(), false.into());
        }
        if let Some(claims) = &self.claims {
            m.insert(
                "claims".into(),
                Value::Array(claims.iter().map(ClaimsQuery::to_value).collect()),
            );
        }
        if let Some(sets) = &self.claim_sets {
            m.insert("claim_sets".into(), ids_array(sets));
        }
        Value::Object(m)
    }
}

/// A Credential Set Query (OpenID4VP 1.0 §6.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialSetQuery {
    pub(crate) options: Vec<Vec<DcqlId>>,
    pub(crate) required: bool,
}

impl CredentialSetQuery {
    /// `options`: each a non-empty list of credential query ids.
    pub fn options(&self) -> &[Vec<DcqlId>] {
        &self.options
    }

    /// `required` (default `true`).
    pub fn required(&self) -> bool {
        self.required
    }
}

/// A DCQL query (OpenID4VP 1.0 §6 Digital Credentials Query Language), parsed and checked.
///
/// ```
/// use sdjwt_holder::dcql::{DcqlQuery, PathElement};
///
/// let query = DcqlQuery::parse(r#"{"credentials": [{
///     "id": "pid", "format": "dc+sd-jwt",
///     "meta": {"vct_values": ["https://credentials.example.com/identity_credential"]},
///     "claims": [{"path": ["degrees", null, "type"]}]
/// }]}"#)?;
/// let pid = &query.credentials()[0];
/// assert_eq!(pid.id().as_str(), "pid");
/// let path = pid.claims().unwrap_or_default()[0].path();
/// assert_eq!(path.elements()[1], PathElement::All);
/// # Ok::<(), sdjwt_holder::dcql::DcqlError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DcqlQuery {
    pub(crate) credentials: Vec<CredentialQuery>,
    pub(crate) credential_sets: Option<Vec<CredentialSetQuery>>,
}

impl DcqlQuery {
    /// Parses a query from its JSON text with [`DcqlLimits::DEFAULT`].
    ///
    /// # Errors
    ///
    /// See [`DcqlQuery::parse_with_limits`].
    pub fn parse(text: &str) -> Result<Self, DcqlError> {
        Self::parse_with_limits(text, &DcqlLimits::DEFAULT)
    }

    /// Parses a query from its JSON text: strict JSON (duplicate member names refused, nesting
    /// bounded; `sdjwt_jose::json`), then [`DcqlQuery::from_value_with_limits`].
    ///
    /// # Errors
    ///
    /// [`DcqlError::QueryTooLarge`], [`DcqlError::Json`], and the structural errors of
    /// [`DcqlQuery::from_value_with_limits`].
    pub fn parse_with_limits(text: &str, limits: &DcqlLimits) -> Result<Self, DcqlError> {
        if text.len() > limits.max_query_bytes {
            return Err(DcqlError::QueryTooLarge {
                size: text.len(),
                max: limits.max_query_bytes,
            });
        }
        let value = sdjwt_jose::json::parse(text.as_bytes())?;
        Self::from_value_with_limits(&value, limits)
    }

    /// Reads a query from a JSON value (for instance the `dcql_query` member of a request
    /// object) with [`DcqlLimits::DEFAULT`].
    ///
    /// # Errors
    ///
    /// See [`DcqlQuery::from_value_with_limits`].
    pub fn from_value(value: &Value) -> Result<Self, DcqlError> {
        Self::from_value_with_limits(value, &DcqlLimits::DEFAULT)
    }

    /// Reads a query from a JSON value, checking every rule of OpenID4VP 1.0 §6 (and §7 for
    /// paths) and the bounds of `limits`. Unknown members are ignored, as §6 requires.
    ///
    /// # Errors
    ///
    /// Every [`DcqlError`] variant from [`DcqlError::NotAnObject`] to
    /// [`DcqlError::InvalidValue`], naming the JSON location of the fault.
    pub fn from_value_with_limits(value: &Value, limits: &DcqlLimits) -> Result<Self, DcqlError> {
        Parser {
            limits,
            total_claims: 0,
            total_claim_set_entries: 0,
        }
        .query(value)
    }

    /// `credentials`: non-empty, ids unique.
    pub fn credentials(&self) -> &[CredentialQuery] {
        &self.credentials
    }

    /// `credential_sets`, when present.
    pub fn credential_sets(&self) -> Option<&[CredentialSetQuery]> {
        self.credential_sets.as_deref()
    }

    /// The credential query with this id.
    pub fn credential(&self, id: &str) -> Option<&CredentialQuery> {
        self.credentials.iter().find(|c| c.id.as_str() == id)
    }

    /// The query as JSON, with every member this model keeps (unknown members were dropped;
    /// defaults are written only when they differ). Parsing the result gives an equal query.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert(
            "credentials".into(),
            Value::Array(
                self.credentials
                    .iter()
                    .map(CredentialQuery::to_value)
                    .collect(),
            ),
        );
        if let Some(sets) = &self.credential_sets {
            let list = sets
                .iter()
                .map(|s| {
                    let mut o = Map::new();
                    o.insert("options".into(), ids_array(&s.options));
                    if !s.required {
                        o.insert("required".into(), false.into());
                    }
                    Value::Object(o)
                })
                .collect();
            m.insert("credential_sets".into(), Value::Array(list));
        }
        Value::Object(m)
    }
}

fn ids_array(sets: &[Vec<DcqlId>]) -> Value {
    Value::Array(
        sets.iter()
            .map(|o| Value::Array(o.iter().map(|id| id.as_str().into()).collect()))
            .collect(),
    )
}

/// `loc.name`.
fn child(loc: &str, name: &str) -> String {
    format!("{loc}.{name}")
}

/// `loc[i]`.
fn item(loc: &str, i: usize) -> String {
    format!("{loc}[{i}]")
}

fn object<'a>(value: &'a Value, loc: &str) -> Result<&'a Map<String, Value>, DcqlError> {
    value.as_object().ok_or_else(|| DcqlError::NotAnObject {
        location: loc.to_owned(),
    })
}

fn required<'a>(
    obj: &'a Map<String, Value>,
    loc: &str,
    name: &str,
) -> Result<&'a Value, DcqlError> {
    obj.get(name).ok_or_else(|| DcqlError::Missing {
        location: child(loc, name),
    })
}

fn string<'a>(value: &'a Value, loc: &str) -> Result<&'a str, DcqlError> {
    value.as_str().ok_or_else(|| DcqlError::WrongType {
        location: loc.to_owned(),
        expected: "a string",
    })
}

fn optional_bool(
    obj: &Map<String, Value>,
    loc: &str,
    name: &str,
    default: bool,
) -> Result<bool, DcqlError> {
    match obj.get(name) {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(DcqlError::WrongType {
            location: child(loc, name),
            expected: "a boolean",
        }),
    }
}

/// A non-empty array of at most `max` elements.
fn array<'a>(
    value: &'a Value,
    loc: &str,
    expected: &'static str,
    limit: DcqlLimit,
    max: usize,
) -> Result<&'a [Value], DcqlError> {
    let items = value.as_array().ok_or_else(|| DcqlError::WrongType {
        location: loc.to_owned(),
        expected,
    })?;
    if items.is_empty() {
        return Err(DcqlError::Empty {
            location: loc.to_owned(),
        });
    }
    if items.len() > max {
        return Err(DcqlError::TooMany {
            location: loc.to_owned(),
            limit,
            max,
        });
    }
    Ok(items)
}

fn id(value: &Value, loc: &str) -> Result<DcqlId, DcqlError> {
    let s = string(value, loc)?;
    DcqlId::new(s).ok_or_else(|| DcqlError::InvalidId {
        location: loc.to_owned(),
        id: s.to_owned(),
    })
}

fn strings(
    value: &Value,
    loc: &str,
    limit: DcqlLimit,
    max: usize,
) -> Result<Vec<String>, DcqlError> {
    array(value, loc, "a non-empty array of strings", limit, max)?
        .iter()
        .enumerate()
        .map(|(i, v)| string(v, &item(loc, i)).map(str::to_owned))
        .collect()
}

struct Parser<'l> {
    limits: &'l DcqlLimits,
    total_claims: usize,
    total_claim_set_entries: usize,
}

impl Parser<'_> {
    fn query(mut self, value: &Value) -> Result<DcqlQuery, DcqlError> {
        let root = object(value, "dcql_query")?;
        let list = root.get("credentials").ok_or_else(|| DcqlError::Missing {
            location: "credentials".into(),
        })?;
        let items = array(
            list,
            "credentials",
            "a non-empty array of credential queries",
            DcqlLimit::Credentials,
            self.limits.max_credentials,
        )?;
        let mut credentials: Vec<CredentialQuery> = Vec::with_capacity(items.len());
        for (i, c) in items.iter().enumerate() {
            let loc = item("credentials", i);
            let query = self.credential(c, &loc)?;
            if credentials.iter().any(|q| q.id == query.id) {
                return Err(DcqlError::DuplicateCredentialId {
                    location: child(&loc, "id"),
                    id: query.id.0,
                });
            }
            credentials.push(query);
        }
        let credential_sets = match root.get("credential_sets") {
            None => None,
            Some(v) => Some(self.credential_sets(v, &credentials)?),
        };
        Ok(DcqlQuery {
            credentials,
            credential_sets,
        })
    }

    fn credential(&mut self, value: &Value, loc: &str) -> Result<CredentialQuery, DcqlError> {
        let obj = object(value, loc)?;
        let id = id(required(obj, loc, "id")?, &child(loc, "id"))?;
        let format_loc = child(loc, "format");
        let format = string(required(obj, loc, "format")?, &format_loc)?;
        if format.is_empty() {
            return Err(DcqlError::Empty {
                location: format_loc,
            });
        }
        let format = CredentialFormat::from_str(format);
        let multiple = optional_bool(obj, loc, "multiple", false)?;
        let meta_loc = child(loc, "meta");
        let meta = object(required(obj, loc, "meta")?, &meta_loc)?;
        let meta = match format {
            CredentialFormat::DcSdJwt => Meta::SdJwtVc {
                vct_values: strings(
                    required(meta, &meta_loc, "vct_values")?,
                    &child(&meta_loc, "vct_values"),
                    DcqlLimit::VctValues,
                    self.limits.max_vct_values,
                )?,
            },
            _ => Meta::Other(meta.clone()),
        };
        let trusted_authorities = match obj.get("trusted_authorities") {
            None => None,
            Some(v) => Some(self.trusted_authorities(v, &child(loc, "trusted_authorities"))?),
        };
        let require_cryptographic_holder_binding =
            optional_bool(obj, loc, "require_cryptographic_holder_binding", true)?;
        let has_claim_sets = obj.contains_key("claim_sets");
        let claims = match obj.get("claims") {
            None => None,
            Some(v) => Some(self.claims(v, &child(loc, "claims"), has_claim_sets)?),
        };
        let claim_sets = match (obj.get("claim_sets"), &claims) {
            (None, _) => None,
            (Some(_), None) => {
                return Err(DcqlError::ClaimSetsWithoutClaims {
                    location: child(loc, "claim_sets"),
                });
            }
            (Some(v), Some(claims)) => {
                Some(self.claim_sets(v, &child(loc, "claim_sets"), claims)?)
            }
        };
        Ok(CredentialQuery {
            id,
            format,
            multiple,
            meta,
            trusted_authorities,
            require_cryptographic_holder_binding,
            claims,
            claim_sets,
        })
    }

    fn trusted_authorities(
        &self,
        value: &Value,
        loc: &str,
    ) -> Result<Vec<TrustedAuthoritiesQuery>, DcqlError> {
        let items = array(
            value,
            loc,
            "a non-empty array of trusted authorities queries",
            DcqlLimit::TrustedAuthorities,
            self.limits.max_trusted_authorities,
        )?;
        items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let loc = item(loc, i);
                let obj = object(v, &loc)?;
                let kind = string(required(obj, &loc, "type")?, &child(&loc, "type"))?;
                let values = strings(
                    required(obj, &loc, "values")?,
                    &child(&loc, "values"),
                    DcqlLimit::AuthorityValues,
                    self.limits.max_authority_values,
                )?;
                Ok(TrustedAuthoritiesQuery::new(kind, values))
            })
            .collect()
    }

    fn claims(
        &mut self,
        value: &Value,
        loc: &str,
        ids_required: bool,
    ) -> Result<Vec<ClaimsQuery>, DcqlError> {
        let items = array(
            value,
            loc,
            "a non-empty array of claims queries",
            DcqlLimit::Claims,
            self.limits.max_claims,
        )?;
        self.total_claims += items.len();
        if self.total_claims > self.limits.max_total_claims {
            return Err(DcqlError::TooMany {
                location: loc.to_owned(),
                limit: DcqlLimit::TotalClaims,
                max: self.limits.max_total_claims,
            });
        }
        let mut claims: Vec<ClaimsQuery> = Vec::with_capacity(items.len());
        let mut ids = BTreeSet::new();
        for (i, v) in items.iter().enumerate() {
            let loc = item(loc, i);
            let claim = self.claim(v, &loc, ids_required)?;
            if let Some(id) = &claim.id
                && !ids.insert(id.clone())
            {
                return Err(DcqlError::DuplicateClaimId {
                    location: child(&loc, "id"),
                    id: id.0.clone(),
                });
            }
            claims.push(claim);
        }
        if !ids_required {
            // §6.1: "Wallets SHOULD ignore such duplicate claim queries": the first wins.
            let mut seen = BTreeSet::new();
            claims.retain(|c| seen.insert(c.path.clone()));
        }
        Ok(claims)
    }

    fn claim(&self, value: &Value, loc: &str, id_required: bool) -> Result<ClaimsQuery, DcqlError> {
        let obj = object(value, loc)?;
        let id = match obj.get("id") {
            None if id_required => {
                return Err(DcqlError::ClaimIdRequired {
                    location: child(loc, "id"),
                });
            }
            None => None,
            Some(v) => Some(id(v, &child(loc, "id"))?),
        };
        let path_loc = child(loc, "path");
        let path = self.path(required(obj, loc, "path")?, &path_loc)?;
        let values = match obj.get("values") {
            None => None,
            Some(v) => Some(self.values(v, &child(loc, "values"))?),
        };
        Ok(ClaimsQuery { id, path, values })
    }

    fn path(&self, value: &Value, loc: &str) -> Result<ClaimsPathPointer, DcqlError> {
        let items = array(
            value,
            loc,
            "a non-empty array",
            DcqlLimit::PathLength,
            self.limits.max_path_len,
        )?;
        items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(PathElement::Key(s.clone())),
                Value::Null => Ok(PathElement::All),
                Value::Number(n) if n.is_u64() => {
                    n.as_u64().map(PathElement::Index).ok_or_else(|| {
                        DcqlError::InvalidPathElement {
                            location: item(loc, i),
                        }
                    })
                }
                _ => Err(DcqlError::InvalidPathElement {
                    location: item(loc, i),
                }),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(ClaimsPathPointer::new)
    }

    fn values(&self, value: &Value, loc: &str) -> Result<Vec<ClaimValue>, DcqlError> {
        let items = array(
            value,
            loc,
            "a non-empty array of strings, integers or booleans",
            DcqlLimit::Values,
            self.limits.max_values,
        )?;
        items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(ClaimValue::String(s.clone())),
                Value::Bool(b) => Ok(ClaimValue::Bool(*b)),
                Value::Number(n) if n.is_i64() => {
                    n.as_i64()
                        .map(ClaimValue::Integer)
                        .ok_or_else(|| DcqlError::InvalidValue {
                            location: item(loc, i),
                        })
                }
                _ => Err(DcqlError::InvalidValue {
                    location: item(loc, i),
                }),
            })
            .collect()
    }

    /// A non-empty array of non-empty arrays of ids, each of which `known` must accept
    /// (`unknown` builds the error otherwise); `count` sees each inner array's length first.
    fn id_options(
        value: &Value,
        loc: &str,
        (limit, max): (DcqlLimit, usize),
        (inner_limit, inner_max): (DcqlLimit, usize),
        mut count: impl FnMut(usize, &str) -> Result<(), DcqlError>,
        unknown: impl Fn(String, String) -> DcqlError,
        known: impl Fn(&DcqlId) -> bool,
    ) -> Result<Vec<Vec<DcqlId>>, DcqlError> {
        let options = array(value, loc, "a non-empty array of arrays of ids", limit, max)?;
        let mut out = Vec::with_capacity(options.len());
        for (i, option) in options.iter().enumerate() {
            let loc = item(loc, i);
            let ids = array(
                option,
                &loc,
                "a non-empty array of ids",
                inner_limit,
                inner_max,
            )?;
            count(ids.len(), &loc)?;
            let mut parsed = Vec::with_capacity(ids.len());
            for (j, v) in ids.iter().enumerate() {
                let loc = item(&loc, j);
                let s = string(v, &loc)?;
                let id = DcqlId::new(s).filter(|id| known(id));
                match id {
                    Some(id) => {
                        if !parsed.contains(&id) {
                            parsed.push(id);
                        }
                    }
                    None => return Err(unknown(loc, s.to_owned())),
                }
            }
            out.push(parsed);
        }
        Ok(out)
    }

    fn claim_sets(
        &mut self,
        value: &Value,
        loc: &str,
        claims: &[ClaimsQuery],
    ) -> Result<Vec<Vec<DcqlId>>, DcqlError> {
        let max_entries = self.limits.max_claim_set_entries;
        let total = &mut self.total_claim_set_entries;
        Self::id_options(
            value,
            loc,
            (DcqlLimit::ClaimSets, self.limits.max_claim_sets),
            (DcqlLimit::Claims, self.limits.max_claims),
            |n, loc| {
                *total += n;
                if *total > max_entries {
                    return Err(DcqlError::TooMany {
                        location: loc.to_owned(),
                        limit: DcqlLimit::ClaimSetEntries,
                        max: max_entries,
                    });
                }
                Ok(())
            },
            |location, id| DcqlError::UnknownClaimId { location, id },
            |id| claims.iter().any(|c| c.id.as_ref() == Some(id)),
        )
    }

    fn credential_sets(
        &self,
        value: &Value,
        credentials: &[CredentialQuery],
    ) -> Result<Vec<CredentialSetQuery>, DcqlError> {
        let loc = "credential_sets";
        let items = array(
            value,
            loc,
            "a non-empty array of credential set queries",
            DcqlLimit::CredentialSets,
            self.limits.max_credential_sets,
        )?;
        items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let loc = item(loc, i);
                let obj = object(v, &loc)?;
                let options = Self::id_options(
                    required(obj, &loc, "options")?,
                    &child(&loc, "options"),
                    (DcqlLimit::Options, self.limits.max_options),
                    (DcqlLimit::OptionLength, self.limits.max_option_len),
                    |_, _| Ok(()),
                    |location, id| DcqlError::UnknownCredentialId { location, id },
                    |id| credentials.iter().any(|c| &c.id == id),
                )?;
                let required = optional_bool(obj, &loc, "required", true)?;
                Ok(CredentialSetQuery { options, required })
            })
            .collect()
    }
}
