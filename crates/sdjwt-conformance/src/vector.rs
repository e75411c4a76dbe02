//! The language-neutral vector format (`spec/vectors/README.md` is the normative description).
//!
//! A vector folder holds `keys.json` (named JWKs, private parts included: they are test keys)
//! and one JSON file per case under `positive/` and `negative/`. Every type here maps one JSON
//! object of that format; unknown members are refused so that a typo in a vector is an error,
//! not a silently ignored field.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Error;

/// The format version written in `keys.json` and checked when loading.
pub const FORMAT_VERSION: u32 = 1;

/// Whether a case must verify or must be rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Issue, present and verify; the verified claims must equal `expect.claims`.
    Positive,
    /// Verifying `presentation` under `verify` must fail with `expect.error`.
    Negative,
}

/// The serialization an issued credential uses (RFC 9901 §4 and §8).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SerializationName {
    /// `<jwt>~<disclosure>~...~<kb-jwt>`.
    #[default]
    Compact,
    /// JWS JSON, flattened (§8.1).
    Flattened,
    /// JWS JSON, general, one signature per issuer key (§8.1, §8.2).
    General,
}

/// One conformance case (one file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vector {
    /// Unique, stable identifier; also the file name without `.json`.
    pub id: String,
    /// Positive or negative.
    pub kind: Kind,
    /// What the case checks, in one or two sentences.
    pub description: String,
    /// Ids of the catalogue requirements (`spec/requirements.toml`) the case exercises.
    pub requirements: Vec<String>,
    /// Where the case comes from, when it reproduces published material.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// How to issue the credential (positive cases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<Issue>,
    /// What the holder presents (positive cases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present: Option<Present>,
    /// A ready presentation: the input of a negative case; for a positive case, the
    /// presentation the reference implementation made from `issue` and `present`, which any
    /// verifier can check on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presentation: Option<String>,
    /// How to verify.
    pub verify: Verify,
    /// The expected outcome.
    pub expect: Expect,
}

/// Issuance inputs of a positive case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// Names (in `keys.json`) of the issuer keys; one signature each. The JWK's `alg` is the
    /// signature algorithm and its `kid` goes in the header.
    pub issuer_keys: Vec<String>,
    /// `_sd_alg`, e.g. `sha-256`.
    pub hash_alg: String,
    /// The full payload before selective disclosure, including `iss`, `iat`, `exp`.
    pub claims: Map<String, Value>,
    /// RFC 6901 pointers of the selectively disclosable claims; an object or array and one of
    /// its members both listed make a recursive disclosure.
    pub disclosable: Vec<String>,
    /// A fixed salt for every disclosable pointer, so Disclosures are reproducible.
    #[serde(default)]
    pub salts: BTreeMap<String, String>,
    /// Name of the holder key whose public part goes in `cnf.jwk`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_key: Option<String>,
    /// Header `typ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
    /// The serialization of the issued credential and of the presentation.
    #[serde(default)]
    pub serialization: SerializationName,
}

/// Holder inputs of a positive case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Present {
    /// RFC 6901 pointers into the fully disclosed claims. Each reveals the claim, every
    /// disclosable ancestor needed to reach it and everything beneath it (the CLI's
    /// `present --disclose` semantics); array indices count real elements, never decoys.
    pub disclose: Vec<String>,
    /// The Key Binding JWT to add, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_binding: Option<KeyBindingInput>,
}

/// Key Binding JWT inputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyBindingInput {
    /// Name of the holder key (its JWK `alg` is the KB-JWT algorithm).
    pub holder_key: String,
    /// KB-JWT `aud`.
    pub aud: String,
    /// KB-JWT `nonce`.
    pub nonce: String,
    /// KB-JWT `iat`.
    pub iat: i64,
}

/// The verifier's configuration for a case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verify {
    /// Names of the trusted issuer keys (only their public parts are used), each trusted for
    /// any `iss`.
    pub issuer_keys: Vec<String>,
    /// The verifier's current time (Unix seconds).
    pub now: i64,
    /// Key binding required for this audience and nonce; absent means not required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_binding: Option<KeyBindingPolicy>,
    /// Accepted issuer signature algorithms; absent means every asymmetric JWS algorithm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithms: Option<Vec<String>>,
    /// Accepted `_sd_alg` values; absent means all the suite knows (SHA-2 and SHA-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_algorithms: Option<Vec<String>>,
    /// Required header `typ`; absent means none required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
    /// Allowed clock skew in seconds (default 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leeway: Option<u64>,
    /// Claims that must be present after processing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_claims: Vec<String>,
    /// Limits lower than the defaults, for the size and depth cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<LimitsInput>,
    /// Verify as an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc §2.4): the issuers come from this
    /// trust list instead of `issuer_keys` (which must then be empty), and `typ` must be absent
    /// (the profile's `dc+sd-jwt` rule applies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vc: Option<VcVerify>,
}

impl Verify {
    /// Trusts the keys named in `issuer_keys` at time `now`, with every policy member at its
    /// default (no key binding required).
    pub fn trusting(issuer_keys: &[&str], now: i64) -> Self {
        Self {
            issuer_keys: issuer_keys.iter().map(|k| (*k).to_owned()).collect(),
            now,
            key_binding: None,
            algorithms: None,
            hash_algorithms: None,
            typ: None,
            leeway: None,
            required_claims: Vec::new(),
            limits: None,
            vc: None,
        }
    }
}

/// The key binding a verifier requires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyBindingPolicy {
    /// Expected `aud`.
    pub aud: String,
    /// Expected `nonce`.
    pub nonce: String,
    /// Oldest acceptable KB-JWT `iat`, in seconds before `now` (default 300).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u64>,
}

/// The SD-JWT VC verifier's trust list, documents and policy (draft-ietf-oauth-sd-jwt-vc
/// §2.4, §2.5, §5.7; draft-ietf-oauth-status-list-20 §8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VcVerify {
    /// The trusted issuers: who may issue which types, and how each one's keys are found.
    pub issuers: Vec<VcIssuer>,
    /// Accept the pre-2024 header `typ` `vc+sd-jwt` as well as `dc+sd-jwt`.
    #[serde(default)]
    pub accept_legacy_typ: bool,
    /// Whether Type Metadata is processed (§5.7).
    #[serde(default)]
    pub type_metadata: TypeMetadataMode,
    /// Whether the `status` claim is checked (§2.4, Token Status List §8.3).
    #[serde(default)]
    pub status: StatusMode,
    /// What the network would answer, by exact URL: issuer metadata, JWK Sets, Status List
    /// Tokens. A URL that is not `https` is never retrieved by a conforming verifier; such an
    /// entry is there to tempt one that would.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub documents: BTreeMap<String, Document>,
    /// Type Metadata documents by the `vct` they are retrieved for (a registry or local cache,
    /// §5.3.2, §5.3.4), as exact text: integrity is computed over these bytes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub type_metadata_documents: BTreeMap<String, String>,
}

/// One trusted issuer of an SD-JWT VC case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VcIssuer {
    /// The issuer identifier: the `iss` its credentials carry.
    pub id: String,
    /// The credential types (`vct`) it may issue, compared exactly.
    pub vct: Vec<String>,
    /// How its keys are found (draft-ietf-oauth-sd-jwt-vc §2.5): the one mechanism permitted
    /// for it, whatever the credential's header says.
    pub keys: IssuerKeys,
}

/// The key discovery mechanism the verifier's policy permits for an issuer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssuerKeys {
    /// `{"jwks": [...]}`: keys held by the verifier, each a key name from `keys.json` or a
    /// public JWK object.
    Jwks(Vec<KeyRef>),
    /// `"issuer_metadata"`: JWT VC Issuer Metadata at the issuer's well-known URL (§4).
    IssuerMetadata,
    /// `"did"`: the issuer identifier is a `did:key` or `did:jwk` that encodes the key.
    Did,
}

/// A key in a trust list: by name or by value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeyRef {
    /// A key name from `keys.json` (only its public members are used).
    Name(String),
    /// A public JWK.
    Jwk(Map<String, Value>),
}

/// Whether the verifier processes Type Metadata (draft-ietf-oauth-sd-jwt-vc §5.7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeMetadataMode {
    /// Not processed.
    Ignore,
    /// Processed when a document can be retrieved; a credential without one is accepted.
    #[default]
    IfAvailable,
    /// Processed, and the credential is rejected when it cannot be retrieved.
    Required,
}

/// Whether the verifier checks a credential's `status` claim.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusMode {
    /// Checked when present: the status must be established and be VALID.
    #[default]
    Check,
    /// Not checked.
    Ignore,
}

/// A document the network would return.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// The response's `Content-Type`; absent means any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The body, exactly.
    pub body: String,
}

/// Limit overrides; each absent member keeps its default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsInput {
    /// Largest input in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_input_bytes: Option<usize>,
    /// Most Disclosures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_disclosures: Option<usize>,
    /// Deepest nesting of objects and arrays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_depth: Option<usize>,
    /// Longest array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_array_len: Option<usize>,
}

/// What must happen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Positive: the Processed SD-JWT Payload (no `_sd`, `_sd_alg` or `...` left).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<Map<String, Value>>,
    /// Negative: the error class (see [`crate::ErrorClass`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A loaded vector folder.
#[derive(Clone, Debug, Default)]
pub struct VectorSet {
    /// The named keys of `keys.json`, as JSON objects.
    pub keys: BTreeMap<String, Value>,
    /// Every case, positive ones first, each group in id order.
    pub vectors: Vec<Vector>,
}

/// `keys.json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KeysFile {
    pub(crate) format: u32,
    pub(crate) keys: BTreeMap<String, Value>,
}

impl VectorSet {
    /// Reads `dir/keys.json`, `dir/positive/*.json` and `dir/negative/*.json`.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] and [`Error::Vector`] (unparsable file, unknown member, a file name that
    /// differs from the id, a kind in the wrong folder, a duplicate id).
    pub fn load(dir: &Path) -> Result<Self, Error> {
        let keys_path = dir.join("keys.json");
        let keys_text = read(&keys_path)?;
        let keys: KeysFile = serde_json::from_str(&keys_text).map_err(|e| Error::Vector {
            file: keys_path.clone(),
            reason: e.to_string(),
        })?;
        if keys.format != FORMAT_VERSION {
            return Err(Error::Vector {
                file: keys_path,
                reason: format!(
                    "format {} is not the supported {FORMAT_VERSION}",
                    keys.format
                ),
            });
        }
        let mut vectors = Vec::new();
        for (folder, kind) in [("positive", Kind::Positive), ("negative", Kind::Negative)] {
            for file in json_files(&dir.join(folder))? {
                let text = read(&file)?;
                let vector: Vector = serde_json::from_str(&text).map_err(|e| Error::Vector {
                    file: file.clone(),
                    reason: e.to_string(),
                })?;
                check_shape(&vector, kind, &file)?;
                vectors.push(vector);
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for v in &vectors {
            if !seen.insert(v.id.as_str()) {
                return Err(Error::Vector {
                    file: dir.to_path_buf(),
                    reason: format!("id {} appears twice", v.id),
                });
            }
        }
        Ok(Self {
            keys: keys.keys,
            vectors,
        })
    }

    /// Writes the set into `dir` (creating `positive/` and `negative/`), one pretty-printed
    /// file per case with a trailing newline, and removes `.json` files no case produced.
    ///
    /// # Errors
    ///
    /// [`Error::Io`].
    pub fn write(&self, dir: &Path) -> Result<(), Error> {
        for (path, text) in self.files() {
            let path = dir.join(path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            fs::write(&path, text).map_err(|e| io(&path, e))?;
        }
        let wanted: std::collections::BTreeSet<PathBuf> =
            self.files().into_iter().map(|(p, _)| dir.join(p)).collect();
        for folder in ["positive", "negative"] {
            for file in json_files(&dir.join(folder))? {
                if !wanted.contains(&file) {
                    fs::remove_file(&file).map_err(|e| io(&file, e))?;
                }
            }
        }
        Ok(())
    }

    /// Every file of the set as (path relative to the folder, exact text).
    pub fn files(&self) -> Vec<(PathBuf, String)> {
        let keys = KeysFile {
            format: FORMAT_VERSION,
            keys: self.keys.clone(),
        };
        let mut out = vec![(PathBuf::from("keys.json"), pretty(&keys))];
        for v in &self.vectors {
            let folder = match v.kind {
                Kind::Positive => "positive",
                Kind::Negative => "negative",
            };
            out.push((Path::new(folder).join(format!("{}.json", v.id)), pretty(v)));
        }
        out
    }

    /// The JWK named `name`.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownKey`].
    pub fn key(&self, name: &str) -> Result<sdjwt_jose::Jwk, Error> {
        let value = self.keys.get(name).ok_or_else(|| Error::UnknownKey {
            name: name.to_owned(),
        })?;
        sdjwt_jose::Jwk::from_json_str(&value.to_string()).map_err(|e| Error::BadKey {
            name: name.to_owned(),
            reason: e.to_string(),
        })
    }
}

fn pretty<T: Serialize>(value: &T) -> String {
    // Serializing plain data (strings, numbers, maps) into a String cannot fail.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn check_shape(v: &Vector, folder_kind: Kind, file: &Path) -> Result<(), Error> {
    let bad = |reason: String| Error::Vector {
        file: file.to_path_buf(),
        reason,
    };
    if file.file_stem().and_then(|s| s.to_str()) != Some(v.id.as_str()) {
        return Err(bad(format!("file name does not match id {}", v.id)));
    }
    if v.kind != folder_kind {
        return Err(bad("kind does not match its folder".to_owned()));
    }
    if v.requirements.is_empty() {
        return Err(bad("names no requirement".to_owned()));
    }
    if v.verify.vc.is_some() && (!v.verify.issuer_keys.is_empty() || v.verify.typ.is_some()) {
        return Err(bad(
            "with verify.vc, issuer_keys must be empty and typ absent".to_owned(),
        ));
    }
    match v.kind {
        Kind::Positive => {
            let inputs = v.issue.is_some() && v.present.is_some();
            if v.expect.claims.is_none() || !(inputs || v.presentation.is_some()) {
                return Err(bad(
                    "a positive case needs expect.claims, and issue with present or a ready \
                     presentation"
                        .to_owned(),
                ));
            }
        }
        Kind::Negative => {
            if v.presentation.is_none() || v.expect.error.is_none() {
                return Err(bad(
                    "a negative case needs presentation and expect.error".to_owned()
                ));
            }
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, Error> {
    fs::read_to_string(path).map_err(|e| io(path, e))
}

pub(crate) fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// The `.json` files directly in `dir`, sorted; none when `dir` does not exist.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(dir, e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| io(dir, e))?.path();
        if path.extension().is_some_and(|x| x == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
