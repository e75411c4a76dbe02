//! The federated trust list: which issuers are trusted, how each one's keys are found, and
//! which credential types each may issue.
//!
//! draft-ietf-oauth-sd-jwt-vc §2.5 requires the verification key to come from "a key discovery
//! and validation mechanism that is permitted for the Issuer according to policy", and §7.3
//! that "for any given `iss` value, an attacker cannot influence the type of verification
//! process used". The trust list is that policy: each issuer has exactly one mechanism, fixed
//! here, whatever the credential's header suggests.
//!
//! # Format
//!
//! A TOML file:
//!
//! ```toml
//! format = 1                          # required; this is format 1
//! name = "National digital ID"        # optional, for reports
//!
//! [[issuer]]
//! id = "https://immigration.gov.example"   # the `iss` value its credentials carry
//! name = "Immigration Authority"           # optional, for reports
//! vct = ["https://credentials.gov.example/right-to-work"]   # types it may issue (exact match)
//! keys = "jwks"                            # how its keys are found: see below
//! jwks = { keys = [ { kty = "OKP", crv = "Ed25519", x = "...", kid = "2026-1" } ] }
//!
//! [[issuer]]
//! id = "https://dvla.gov.example"
//! vct = ["https://credentials.gov.example/driving-licence"]
//! keys = "issuer-metadata"                 # JWT VC Issuer Metadata over HTTPS (§4)
//! ```
//!
//! `keys` is one of:
//!
//! * `"jwks"`: the keys are in the trust list, as a JWK Set in `jwks` (an inline table) or
//!   in a JSON file named by `jwks_file` (relative to the trust list file);
//! * `"issuer-metadata"`: the keys come from the issuer's JWT VC Issuer Metadata (`id` must be
//!   an HTTPS URL; draft-ietf-oauth-sd-jwt-vc §7);
//! * `"x5c"`: the key is the end-entity certificate of the header's `x5c` chain, which must
//!   validate to one of the PEM trust anchors in `trust_anchors` (inline PEM text) or
//!   `trust_anchors_file` (§2.5), and be bound to `id`; the anchors are parsed when the list
//!   is loaded, so a bad PEM is an error then;
//! * `"did"`: `id` is a `did:key` or `did:jwk` DID, and the key is the one it encodes.
//!
//! Status List Tokens for an issuer's credentials must be signed with a key found the same
//! way. Unknown fields are errors, so a typo cannot silently weaken the policy.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sdjwt_jose::Jwk;
use sdjwt_x509::TrustAnchors;
use serde::Deserialize;
use serde_json::Value;

use crate::error::Error;

/// How an issuer's keys are found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySource {
    /// Keys listed in the trust list.
    Jwks(Vec<Jwk>),
    /// JWT VC Issuer Metadata at the issuer's well-known URL (draft-ietf-oauth-sd-jwt-vc §7).
    IssuerMetadata,
    /// An `x5c` chain validated against these trust anchors.
    X5c {
        /// The trust anchors the issuer's certificate chains must lead to.
        anchors: TrustAnchors,
    },
    /// The issuer identifier is a `did:key` or `did:jwk` DID.
    Did,
}

impl KeySource {
    /// The name used in the trust list's `keys` field.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Jwks(_) => "jwks",
            Self::IssuerMetadata => "issuer-metadata",
            Self::X5c { .. } => "x5c",
            Self::Did => "did",
        }
    }
}

/// One trusted issuer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TrustedIssuer {
    /// The issuer identifier (`iss`).
    pub id: String,
    /// A human-readable name.
    pub name: Option<String>,
    /// The credential types (`vct`) it may issue.
    pub vcts: Vec<String>,
    /// How its keys are found.
    pub keys: KeySource,
}

impl TrustedIssuer {
    /// An issuer trusted for `vcts` with keys found through `keys`.
    pub fn new(id: impl Into<String>, vcts: Vec<String>, keys: KeySource) -> Self {
        Self {
            id: id.into(),
            name: None,
            vcts,
            keys,
        }
    }

    /// Whether it may issue credentials of type `vct`.
    pub fn may_issue(&self, vct: &str) -> bool {
        self.vcts.iter().any(|v| v == vct)
    }

    /// Its name if it has one, else its identifier.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

/// The set of trusted issuers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustList {
    /// The list's name.
    pub name: Option<String>,
    /// Shared, so that a verified credential can name its issuer without copying its keys.
    issuers: Vec<Arc<TrustedIssuer>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFormat {
    format: u32,
    name: Option<String>,
    #[serde(default)]
    issuer: Vec<IssuerEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuerEntry {
    id: String,
    name: Option<String>,
    vct: Vec<String>,
    keys: String,
    jwks: Option<toml::Table>,
    jwks_file: Option<PathBuf>,
    trust_anchors: Option<String>,
    trust_anchors_file: Option<PathBuf>,
}

/// The largest trust list or referenced file read: 4 MiB.
const MAX_FILE_BYTES: u64 = 4 << 20;

impl TrustList {
    /// An empty trust list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an issuer.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTrustList`] if the identifier is already listed.
    pub fn add(&mut self, issuer: TrustedIssuer) -> Result<(), Error> {
        if self.issuers.iter().any(|i| i.id == issuer.id) {
            return Err(Error::InvalidTrustList {
                reason: format!("issuer {} is listed twice", issuer.id),
            });
        }
        self.issuers.push(Arc::new(issuer));
        Ok(())
    }

    /// The issuers, in file order.
    pub fn issuers(&self) -> &[Arc<TrustedIssuer>] {
        &self.issuers
    }

    /// The issuer with identifier `iss`.
    pub fn issuer(&self, iss: &str) -> Option<&Arc<TrustedIssuer>> {
        self.issuers.iter().find(|i| i.id == iss)
    }

    /// Parses trust list text whose `*_file` references are resolved against `base_dir`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTrustList`].
    pub fn parse(text: &str, base_dir: Option<&Path>) -> Result<Self, Error> {
        let invalid = |reason: String| Error::InvalidTrustList { reason };
        let file: FileFormat = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        if file.format != 1 {
            return Err(invalid(format!(
                "format {} is not supported (only 1)",
                file.format
            )));
        }
        let mut list = Self {
            name: file.name,
            issuers: Vec::new(),
        };
        for entry in file.issuer {
            let id = entry.id;
            let bad = |reason: &str| invalid(format!("issuer {id}: {reason}"));
            if id.is_empty() {
                return Err(invalid("an issuer has an empty id".to_owned()));
            }
            if entry.vct.is_empty() || entry.vct.iter().any(String::is_empty) {
                return Err(bad("`vct` must list at least one non-empty type"));
            }
            let read = |path: &Path| -> Result<String, Error> {
                let full = match base_dir {
                    Some(dir) if path.is_relative() => dir.join(path),
                    _ => path.to_path_buf(),
                };
                read_bounded(&full)
                    .map_err(|e| bad(&format!("cannot read {}: {e}", full.display())))
            };
            let fields = [
                ("jwks", entry.jwks.is_some()),
                ("jwks_file", entry.jwks_file.is_some()),
                ("trust_anchors", entry.trust_anchors.is_some()),
                ("trust_anchors_file", entry.trust_anchors_file.is_some()),
            ];
            let allowed: &[&str] = match entry.keys.as_str() {
                "jwks" => &["jwks", "jwks_file"],
                "x5c" => &["trust_anchors", "trust_anchors_file"],
                "issuer-metadata" | "did" => &[],
                other => {
                    return Err(bad(&format!(
                        "keys = {other:?}; expected \"jwks\", \"issuer-metadata\", \"x5c\" or \"did\""
                    )));
                }
            };
            if let Some((field, _)) = fields.iter().find(|(f, set)| *set && !allowed.contains(f)) {
                return Err(bad(&format!(
                    "`{field}` does not apply to keys = {:?}",
                    entry.keys
                )));
            }
            let keys = match entry.keys.as_str() {
                "jwks" => {
                    let set: Value = match (entry.jwks, entry.jwks_file) {
                        (Some(table), None) => {
                            serde_json::to_value(table).map_err(|e| bad(&format!("`jwks`: {e}")))?
                        }
                        (None, Some(path)) => {
                            let text = read(&path)?;
                            sdjwt_jose::json::parse(text.as_bytes())
                                .map_err(|e| bad(&format!("`jwks_file`: {e}")))?
                        }
                        _ => return Err(bad("needs exactly one of `jwks` and `jwks_file`")),
                    };
                    KeySource::Jwks(parse_jwk_set(&set).map_err(|r| bad(&r))?)
                }
                "x5c" => {
                    let anchors_pem = match (entry.trust_anchors, entry.trust_anchors_file) {
                        (Some(pem), None) => pem,
                        (None, Some(path)) => read(&path)?,
                        _ => {
                            return Err(bad(
                                "needs exactly one of `trust_anchors` and `trust_anchors_file`",
                            ));
                        }
                    };
                    let anchors = TrustAnchors::from_pem(&anchors_pem)
                        .map_err(|e| bad(&format!("trust anchors: {e}")))?;
                    KeySource::X5c { anchors }
                }
                "issuer-metadata" => {
                    if !id.starts_with("https://") {
                        return Err(bad("keys = \"issuer-metadata\" needs an https:// id"));
                    }
                    KeySource::IssuerMetadata
                }
                _ => {
                    if !(id.starts_with("did:key:") || id.starts_with("did:jwk:")) {
                        return Err(bad("keys = \"did\" needs a did:key or did:jwk id"));
                    }
                    KeySource::Did
                }
            };
            list.add(TrustedIssuer {
                id,
                name: entry.name,
                vcts: entry.vct,
                keys,
            })?;
        }
        Ok(list)
    }

    /// Reads and parses a trust list file; `*_file` references are relative to its folder.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTrustList`], also when the file cannot be read.
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        let text = read_bounded(path).map_err(|e| Error::InvalidTrustList {
            reason: format!("cannot read {}: {e}", path.display()),
        })?;
        Self::parse(&text, path.parent())
    }
}

/// Reads a UTF-8 file of at most [`MAX_FILE_BYTES`].
fn read_bounded(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut text = String::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err("larger than 4 MiB".to_owned());
    }
    Ok(text)
}

/// Parses a JWK Set (RFC 7517 §5): an object with a `keys` array of public JWKs. Private keys
/// are refused: a trust list or metadata document must never carry them.
///
/// # Errors
///
/// A reason, for the caller's error.
pub(crate) fn parse_jwk_set(set: &Value) -> Result<Vec<Jwk>, String> {
    let keys = set
        .as_object()
        .and_then(|o| o.get("keys"))
        .and_then(Value::as_array)
        .ok_or_else(|| "a JWK Set needs a `keys` array".to_owned())?;
    if keys.len() > 100 {
        return Err("a JWK Set of more than 100 keys".to_owned());
    }
    keys.iter()
        .map(|k| {
            let object = k
                .as_object()
                .ok_or_else(|| "a key is not an object".to_owned())?;
            let jwk = Jwk::from_json(object).map_err(|e| format!("key: {e}"))?;
            if jwk.is_private() {
                return Err("a JWK Set holds a private key".to_owned());
            }
            Ok(jwk)
        })
        .collect()
}
