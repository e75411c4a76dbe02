//! The sd-jwt-python test-case format (`sdjwt conformance --upstream-testcases DIR`).
//!
//! The reference implementation (openwallet-foundation-labs/sd-jwt-python) and the RFC 9901
//! examples describe their cases in YAML. A folder holds `settings.yml` and one sub-folder
//! per case with a `specification.yml`. [`run_upstream`] issues, presents and verifies every
//! case with this implementation's issuer, holder and verifier crates, and compares the
//! verified claims with what the case expects.
//!
//! # `settings.yml`
//!
//! * `identifiers.issuer` becomes `iss`, and `iat` / `exp` become the claims of the same
//!   names (all three unless a case says `include_default_claims: false`); a claim of the
//!   same name in `user_claims` wins over them.
//! * `key_settings.issuer_keys`: private JWKs; each signs the credential (several make the
//!   general JWS JSON serialization, RFC 9901 §8.1). Each key's `kid` goes in its header.
//! * `key_settings.holder_key`: its public part goes in `cnf.jwk` when the case uses key
//!   binding, and it signs the KB-JWT (RFC 9901 §4.3).
//! * `identifiers.verifier` and `key_binding_nonce`: the KB-JWT `aud` and `nonce`.
//! * A case's `settings_override` is merged over the file, member by member; a top-level
//!   `issuer_keys` in it replaces `key_settings.issuer_keys`.
//! * Everything happens at `iat` + 60 seconds, which is also the KB-JWT `iat`.
//!
//! # `specification.yml`
//!
//! * `user_claims`: the claims. The tag `!sd` on an object key makes that member selectively
//!   disclosable (RFC 9901 §4.2.4.1); on an array element, that element (§4.2.4.2). Tags
//!   nested inside a tagged value make recursive disclosures (§6.3). A tagged plain scalar is
//!   resolved as if untagged (`!sd 42` is a number), a quoted one is a string. Booleans are
//!   YAML 1.2 ones (`True`, `false`); `None` is the string `"None"`.
//! * `holder_disclosed_claims`: what the holder reveals, as a mask walked alongside the
//!   claims with Python truthiness, as sd-jwt-python's holder does:
//!   - at an object, a mask of `null` or `true` selects nothing there; a disclosable member
//!     `k` is revealed when the mask has `k` with a truthy value (`true`, a non-zero number, a
//!     non-empty string, list or mapping — so `{}` and `[]` reveal nothing), and the walk goes
//!     on into the member's value with the mask's `k` (or `null`) either way;
//!   - at an array, the mask's elements pair with the array's by position (missing ones are
//!     `null`); a disclosable element is revealed unless its mask element is `null` or `false`,
//!     and only then is its value walked; other elements are walked with their mask element.
//!
//!   The holder presents exactly the Disclosures of the revealed claims
//!   ([`Credential::present_disclosures`]); array positions count real elements, never decoys.
//! * `expect_verified_user_claims`: the verified payload less `iss`, `iat`, `exp`, `nbf`,
//!   `cnf` and `_sd_alg` must equal it. When a case has none (the example folders), the
//!   expectation is computed from the claims and the mask: every member or element without
//!   `!sd`, every revealed one, and the `iss` / `iat` / `exp` / `cnf` the issuer added.
//! * `key_binding` (default false), `serialization_format` (`compact`, the default, or `json`:
//!   flattened for one issuer key, general for several), `add_decoy_claims` (RFC 9901 §4.2.5),
//!   `include_default_claims` (default true), `extra_header_parameters` (added to the issuer
//!   JWS protected header; a string `typ` sets the header type), and `settings_override`.
//!   `non_sd_claims` is informational and ignored. Any other member is refused.
//!
//! # Outcomes
//!
//! Each case gives one [`CaseOutcome`] with id `upstream:<label>/<case folder>` and suite
//! `upstream`: `accepted` when it passed, otherwise `setup-error` (the case does not follow
//! the format), `issue-error`, `present-error` (including the holder refusing the issued
//! credential, RFC 9901 §7.2), `rejected:<class>` (the verifier refused the presentation; see
//! [`crate::ErrorClass`]) or `claims-differ`. Each outcome then goes through
//! [`Exceptions::apply`].

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use sdjwt_core::{ClaimName, ClaimPath, PathSegment, SdJwt, UnixTime};
use sdjwt_holder::{AcceptOptions, Credential};
use sdjwt_issuer::{Decoys, PreparedSdJwt, SdJwtBuilder};
use sdjwt_jose::jws::{self, JsonSyntax, SigningInput};
use sdjwt_jose::{CryptoProvider, Jwk, JwsSigner};
use sdjwt_verifier::{KeyBinding, Policy, StaticKeys, Verifier};
use serde_json::{Map, Value};
use serde_yaml::Value as Yaml;

use crate::Error;
use crate::class::classify;
use crate::exceptions::Exceptions;
use crate::report::CaseOutcome;
use crate::run::{KbInput, compare_claims, present_exact};

const SUITE: &str = "upstream";

/// The tag marking selectively disclosable content.
const SD_TAG: &str = "sd";

/// Seconds after the settings' `iat` at which the case is presented and verified.
const CLOCK_OFFSET: i64 = 60;

/// Members of the verified payload that `expect_verified_user_claims` leaves out.
const NOT_USER_CLAIMS: &[&str] = &["iss", "iat", "exp", "nbf", "cnf", "_sd_alg"];

/// The members a `specification.yml` may have.
const CASE_MEMBERS: &[&str] = &[
    "user_claims",
    "holder_disclosed_claims",
    "expect_verified_user_claims",
    "key_binding",
    "serialization_format",
    "settings_override",
    "extra_header_parameters",
    "add_decoy_claims",
    "include_default_claims",
    "non_sd_claims",
];

/// Runs every `<dir>/<case>/specification.yml` (with `<dir>/settings.yml`): issue → present →
/// verify with this implementation's crates, in case-folder name order.
///
/// Case ids are `upstream:<label>/<case folder name>` (see [`default_label`] for a label
/// derived from the folder); every outcome goes through `exceptions`. A case that breaks
/// anywhere in the stack is a failed [`CaseOutcome`], never an error of this function.
///
/// # Errors
///
/// [`Error::Upstream`] when `dir` cannot be listed or has no case, when `settings.yml` or a
/// `specification.yml` cannot be read or is not YAML, or when `settings.yml` does not follow
/// the format.
pub fn run_upstream(
    dir: &Path,
    label: &str,
    provider: &CryptoProvider,
    exceptions: &Exceptions,
) -> Result<Vec<CaseOutcome>, Error> {
    let settings_file = dir.join("settings.yml");
    let base = read_yaml(&settings_file)?;
    // The file itself must be usable, so that a broken settings file is not reported as
    // every case failing.
    Settings::from_yaml(&base).map_err(|reason| Error::Upstream {
        file: settings_file.clone(),
        reason,
    })?;
    let cases = case_folders(dir)?;
    if cases.is_empty() {
        return Err(Error::Upstream {
            file: dir.to_path_buf(),
            reason: "no <case>/specification.yml in this folder".to_owned(),
        });
    }
    let mut out = Vec::with_capacity(cases.len());
    for (name, spec_file) in cases {
        let spec = read_yaml(&spec_file)?;
        let id = format!("upstream:{label}/{name}");
        let outcome = match run_case(&base, &spec, provider) {
            Ok(()) => CaseOutcome::passed(&id, SUITE, &[], "accepted"),
            Err(Failure { outcome, detail }) => {
                CaseOutcome::failed(&id, SUITE, &[], &outcome, detail)
            }
        };
        out.push(exceptions.apply(outcome));
    }
    Ok(out)
}

/// A label for the case ids of the folder `dir`: `<set>/<folder>`, where `<set>` is the
/// folder above (skipping a `tests` folder) with any `-testcases` suffix removed. So
/// `.../sd-jwt-python-testcases/tests/testcases` gives `sd-jwt-python/testcases`,
/// `.../sd-jwt-python-testcases/examples` gives `sd-jwt-python/examples` and
/// `.../sd-jwt/examples` gives `sd-jwt/examples`, the labels `spec/exceptions.toml` uses.
pub fn default_label(dir: &Path) -> String {
    let names: Vec<String> = dir
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let mut rev = names.iter().rev();
    let Some(last) = rev.next() else {
        return "upstream".to_owned();
    };
    let set = rev.find(|n| n.as_str() != "tests");
    match set {
        Some(set) => {
            let set = set.strip_suffix("-testcases").unwrap_or(set);
            format!("{set}/{last}")
        }
        None => last.clone(),
    }
}

/// Why a case did not pass: the outcome string and a sentence for humans.
#[derive(Debug)]
struct Failure {
    outcome: String,
    detail: String,
}

fn fail(outcome: &str, detail: impl Into<String>) -> Failure {
    Failure {
        outcome: outcome.to_owned(),
        detail: detail.into(),
    }
}

fn setup(detail: impl Into<String>) -> Failure {
    fail("setup-error", detail)
}

fn read_yaml(file: &Path) -> Result<Yaml, Error> {
    let upstream = |reason: String| Error::Upstream {
        file: file.to_path_buf(),
        reason,
    };
    let text = fs::read_to_string(file).map_err(|e| upstream(e.to_string()))?;
    serde_yaml::from_str(&text).map_err(|e| upstream(e.to_string()))
}

/// The sub-folders of `dir` holding a `specification.yml`, sorted by name.
fn case_folders(dir: &Path) -> Result<Vec<(String, PathBuf)>, Error> {
    let upstream = |reason: String| Error::Upstream {
        file: dir.to_path_buf(),
        reason,
    };
    let mut cases = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| upstream(e.to_string()))? {
        let path = entry.map_err(|e| upstream(e.to_string()))?.path();
        let spec = path.join("specification.yml");
        if path.is_dir() && spec.is_file() {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            cases.push((name, spec));
        }
    }
    cases.sort();
    Ok(cases)
}

// ---------------------------------------------------------------------------------------------
// Settings

/// The settings a case runs with.
#[derive(Clone, Debug)]
struct Settings {
    issuer: Option<String>,
    verifier: Option<String>,
    issuer_keys: Vec<Jwk>,
    holder_key: Option<Jwk>,
    nonce: Option<String>,
    iat: Option<i64>,
    exp: Option<i64>,
}

impl Settings {
    fn from_yaml(v: &Yaml) -> Result<Self, String> {
        if !v.is_mapping() {
            return Err("settings are not a mapping".to_owned());
        }
        let text = |v: Option<&Yaml>, what: &str| -> Result<Option<String>, String> {
            match v {
                None | Some(Yaml::Null) => Ok(None),
                Some(Yaml::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("{what} is not a string")),
            }
        };
        let int = |v: Option<&Yaml>, what: &str| -> Result<Option<i64>, String> {
            match v {
                None | Some(Yaml::Null) => Ok(None),
                Some(Yaml::Number(n)) => n
                    .as_i64()
                    .map(Some)
                    .ok_or_else(|| format!("{what} is not an integer")),
                Some(_) => Err(format!("{what} is not an integer")),
            }
        };
        let identifiers = v.get("identifiers");
        let key_settings = v.get("key_settings");
        let issuer_keys = match v
            .get("issuer_keys")
            .or_else(|| key_settings.and_then(|k| k.get("issuer_keys")))
        {
            None | Some(Yaml::Null) => Vec::new(),
            Some(Yaml::Sequence(keys)) => keys
                .iter()
                .enumerate()
                .map(|(i, k)| jwk(k, &format!("issuer_keys[{i}]")))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("issuer_keys is not a list".to_owned()),
        };
        let holder_key = match key_settings.and_then(|k| k.get("holder_key")) {
            None | Some(Yaml::Null) => None,
            Some(k) => Some(jwk(k, "holder_key")?),
        };
        Ok(Self {
            issuer: text(
                identifiers.and_then(|i| i.get("issuer")),
                "identifiers.issuer",
            )?,
            verifier: text(
                identifiers.and_then(|i| i.get("verifier")),
                "identifiers.verifier",
            )?,
            issuer_keys,
            holder_key,
            nonce: text(v.get("key_binding_nonce"), "key_binding_nonce")?,
            iat: int(v.get("iat"), "iat")?,
            exp: int(v.get("exp"), "exp")?,
        })
    }
}

fn jwk(v: &Yaml, what: &str) -> Result<Jwk, String> {
    let json = plain_json(v).map_err(|e| format!("{what}: {e}"))?;
    Jwk::from_json_str(&json.to_string()).map_err(|e| format!("{what}: {e}"))
}

/// `over` merged into `base`: mappings member by member, anything else replaced.
fn merge(base: &mut Yaml, over: &Yaml) {
    match (base, over) {
        (Yaml::Mapping(b), Yaml::Mapping(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Claims with `!sd` marks

/// A claims document read from YAML, with its `!sd` marks.
#[derive(Clone, Debug, PartialEq)]
enum Node {
    /// `null`, a boolean, a number or a string.
    Scalar(Value),
    /// An object, members in YAML order.
    Object(Vec<Member>),
    /// An array.
    Array(Vec<Element>),
}

/// An object member.
#[derive(Clone, Debug, PartialEq)]
struct Member {
    name: String,
    disclosable: bool,
    value: Node,
}

/// An array element.
#[derive(Clone, Debug, PartialEq)]
struct Element {
    disclosable: bool,
    value: Node,
}

/// Splits off an `!sd` tag; any other tag is refused.
fn untag(v: &Yaml) -> Result<(bool, &Yaml), String> {
    match v {
        Yaml::Tagged(t) if t.tag == SD_TAG => match &t.value {
            Yaml::Tagged(inner) => Err(format!("{} inside !sd", inner.tag)),
            inner => Ok((true, inner)),
        },
        Yaml::Tagged(t) => Err(format!("unknown tag {}", t.tag)),
        other => Ok((false, other)),
    }
}

/// Reads `user_claims`.
fn node(v: &Yaml, at: &str) -> Result<Node, String> {
    match v {
        Yaml::Tagged(t) => Err(format!(
            "{at}: {} may only mark an object key or an array element",
            t.tag
        )),
        Yaml::Mapping(m) => {
            let mut members: Vec<Member> = Vec::with_capacity(m.len());
            for (k, v) in m {
                let (disclosable, k) = untag(k).map_err(|e| format!("{at}: {e}"))?;
                let name = key_name(k).map_err(|e| format!("{at}: {e}"))?;
                if members.iter().any(|m| m.name == name) {
                    return Err(format!("{at}: member {name:?} appears twice"));
                }
                let value = node(v, &format!("{at}/{name}"))?;
                members.push(Member {
                    name,
                    disclosable,
                    value,
                });
            }
            Ok(Node::Object(members))
        }
        Yaml::Sequence(s) => s
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let at = format!("{at}/{i}");
                let (disclosable, e) = untag(e).map_err(|e| format!("{at}: {e}"))?;
                Ok(Element {
                    disclosable,
                    value: node(e, &at)?,
                })
            })
            .collect::<Result<_, String>>()
            .map(Node::Array),
        scalar => Ok(Node::Scalar(scalar_json(scalar)?)),
    }
}

/// A mapping key as a JSON member name: strings as they are; other scalars as JSON writes
/// them (`42`, `true`, `null`), as Python's `json.dumps` converts keys.
fn key_name(k: &Yaml) -> Result<String, String> {
    match k {
        Yaml::String(s) => Ok(s.clone()),
        Yaml::Null | Yaml::Bool(_) | Yaml::Number(_) => Ok(scalar_json(k)?.to_string()),
        _ => Err("a mapping key must be a scalar".to_owned()),
    }
}

fn scalar_json(v: &Yaml) -> Result<Value, String> {
    Ok(match v {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::from(u)
            } else if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .ok_or_else(|| format!("{n} has no JSON form"))?
            }
        }
        _ => return Err("not a scalar".to_owned()),
    })
}

/// YAML without tags as JSON.
fn plain_json(v: &Yaml) -> Result<Value, String> {
    match v {
        Yaml::Tagged(t) => Err(format!("unexpected tag {}", t.tag)),
        Yaml::Mapping(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, v) in m {
                if matches!(k, Yaml::Tagged(_)) {
                    return Err("unexpected tag on a key".to_owned());
                }
                out.insert(key_name(k)?, plain_json(v)?);
            }
            Ok(Value::Object(out))
        }
        Yaml::Sequence(s) => s
            .iter()
            .map(plain_json)
            .collect::<Result<_, _>>()
            .map(Value::Array),
        scalar => scalar_json(scalar),
    }
}

impl Node {
    /// Everything, disclosable or not: the claims the issuer starts from.
    fn to_json(&self) -> Value {
        match self {
            Self::Scalar(v) => v.clone(),
            Self::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|m| (m.name.clone(), m.value.to_json()))
                    .collect(),
            ),
            Self::Array(elements) => {
                Value::Array(elements.iter().map(|e| e.value.to_json()).collect())
            }
        }
    }

    /// The paths of every disclosable member and element, parents before children.
    fn disclosable(
        &self,
        path: &mut Vec<PathSegment>,
        out: &mut Vec<ClaimPath>,
    ) -> Result<(), String> {
        match self {
            Self::Scalar(_) => {}
            Self::Object(members) => {
                for m in members {
                    path.push(PathSegment::Key(claim_name(&m.name)?));
                    if m.disclosable {
                        out.push(ClaimPath::from_segments(path.clone()));
                    }
                    m.value.disclosable(path, out)?;
                    path.pop();
                }
            }
            Self::Array(elements) => {
                for (i, e) in elements.iter().enumerate() {
                    path.push(PathSegment::Index(i));
                    if e.disclosable {
                        out.push(ClaimPath::from_segments(path.clone()));
                    }
                    e.value.disclosable(path, out)?;
                    path.pop();
                }
            }
        }
        Ok(())
    }
}

fn claim_name(name: &str) -> Result<ClaimName, String> {
    ClaimName::new(name).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------------
// The holder's mask

/// Python's truth value of a mask entry.
fn truthy(v: &Yaml) -> bool {
    match v {
        Yaml::Null => false,
        Yaml::Bool(b) => *b,
        Yaml::Number(n) => n.as_f64() != Some(0.0),
        Yaml::String(s) => !s.is_empty(),
        Yaml::Sequence(s) => !s.is_empty(),
        Yaml::Mapping(m) => !m.is_empty(),
        // A tagged value is an object in Python, and objects are true.
        Yaml::Tagged(_) => true,
    }
}

/// What a mask reveals.
#[derive(Debug, PartialEq)]
struct Selection {
    /// The paths of the revealed disclosable claims, in document order.
    revealed: Vec<ClaimPath>,
    /// What a verifier then sees of the claims (no issuer-added claims).
    visible: Value,
}

/// Walks `mask` over `claims` (see the module documentation).
fn select(claims: &Node, mask: &Yaml) -> Result<Selection, String> {
    let mut revealed = Vec::new();
    let visible = walk(claims, mask, &mut Vec::new(), &mut revealed)?;
    Ok(Selection { revealed, visible })
}

fn pointer(path: &[PathSegment]) -> String {
    ClaimPath::from_segments(path.to_vec()).to_string()
}

fn walk(
    node: &Node,
    mask: &Yaml,
    path: &mut Vec<PathSegment>,
    revealed: &mut Vec<ClaimPath>,
) -> Result<Value, String> {
    const NOTHING: &Yaml = &Yaml::Null;
    match node {
        Node::Scalar(v) => Ok(v.clone()),
        Node::Object(members) => {
            // `null` and `true` both select nothing at this level.
            let mask = match mask {
                Yaml::Null | Yaml::Bool(true) => None,
                Yaml::Mapping(m) => Some(m),
                other => {
                    return Err(format!(
                        "holder_disclosed_claims at {:?}: {} where a mapping, true or null was expected",
                        pointer(path),
                        describe(other)
                    ));
                }
            };
            let mut visible = Map::with_capacity(members.len());
            for m in members {
                let sub = mask
                    .and_then(|mask| mask.get(m.name.as_str()))
                    .unwrap_or(NOTHING);
                path.push(PathSegment::Key(claim_name(&m.name)?));
                let shown = !m.disclosable || truthy(sub);
                if m.disclosable && shown {
                    revealed.push(ClaimPath::from_segments(path.clone()));
                }
                // The walk goes on beneath a withheld member too, as sd-jwt-python's does.
                let value = walk(&m.value, sub, path, revealed)?;
                if shown {
                    visible.insert(m.name.clone(), value);
                }
                path.pop();
            }
            Ok(Value::Object(visible))
        }
        Node::Array(elements) => {
            let mask: &[Yaml] = match mask {
                Yaml::Null | Yaml::Bool(true) => &[],
                Yaml::Sequence(s) => s,
                other => {
                    return Err(format!(
                        "holder_disclosed_claims at {:?}: {} where a list, true or null was expected",
                        pointer(path),
                        describe(other)
                    ));
                }
            };
            let mut visible = Vec::with_capacity(elements.len());
            for (i, e) in elements.iter().enumerate() {
                let sub = mask.get(i).unwrap_or(NOTHING);
                path.push(PathSegment::Index(i));
                if !e.disclosable {
                    visible.push(walk(&e.value, sub, path, revealed)?);
                } else if !matches!(sub, Yaml::Null | Yaml::Bool(false)) {
                    revealed.push(ClaimPath::from_segments(path.clone()));
                    visible.push(walk(&e.value, sub, path, revealed)?);
                }
                path.pop();
            }
            Ok(Value::Array(visible))
        }
    }
}

fn describe(v: &Yaml) -> String {
    match v {
        Yaml::Null => "null".to_owned(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        Yaml::String(s) => format!("the string {s:?}"),
        Yaml::Sequence(_) => "a list".to_owned(),
        Yaml::Mapping(_) => "a mapping".to_owned(),
        Yaml::Tagged(t) => format!("a value tagged {}", t.tag),
    }
}

// ---------------------------------------------------------------------------------------------
// One case

/// A `specification.yml`, read.
#[derive(Debug)]
struct Case {
    claims: Node,
    mask: Yaml,
    expected: Option<Map<String, Value>>,
    key_binding: bool,
    json: bool,
    extra_header: Map<String, Value>,
    decoys: bool,
    default_claims: bool,
}

impl Case {
    fn from_yaml(spec: &Yaml) -> Result<Self, String> {
        let Yaml::Mapping(m) = spec else {
            return Err("the specification is not a mapping".to_owned());
        };
        for k in m.keys() {
            match k.as_str() {
                Some(k) if CASE_MEMBERS.contains(&k) => {}
                _ => return Err(format!("unknown member {}", describe_key(k))),
            }
        }
        let flag = |name: &str, default: bool| -> Result<bool, String> {
            match spec.get(name) {
                None | Some(Yaml::Null) => Ok(default),
                Some(Yaml::Bool(b)) => Ok(*b),
                Some(other) => Err(format!("{name} is {}, not a boolean", describe(other))),
            }
        };
        let claims = match spec.get("user_claims") {
            Some(v @ Yaml::Mapping(_)) => node(v, "user_claims")?,
            _ => return Err("user_claims is missing or not a mapping".to_owned()),
        };
        let expected = match spec.get("expect_verified_user_claims") {
            None => None,
            Some(v) => {
                match plain_json(v).map_err(|e| format!("expect_verified_user_claims: {e}"))? {
                    Value::Object(m) => Some(m),
                    _ => return Err("expect_verified_user_claims is not a mapping".to_owned()),
                }
            }
        };
        let json = match spec.get("serialization_format") {
            None | Some(Yaml::Null) => false,
            Some(Yaml::String(s)) if s == "compact" => false,
            Some(Yaml::String(s)) if s == "json" => true,
            Some(other) => {
                return Err(format!(
                    "serialization_format {} is neither compact nor json",
                    describe(other)
                ));
            }
        };
        let extra_header = match spec.get("extra_header_parameters") {
            None | Some(Yaml::Null) => Map::new(),
            Some(v) => match plain_json(v).map_err(|e| format!("extra_header_parameters: {e}"))? {
                Value::Object(m) => m,
                _ => return Err("extra_header_parameters is not a mapping".to_owned()),
            },
        };
        Ok(Self {
            claims,
            mask: spec
                .get("holder_disclosed_claims")
                .cloned()
                .unwrap_or(Yaml::Null),
            expected,
            key_binding: flag("key_binding", false)?,
            json,
            extra_header,
            decoys: flag("add_decoy_claims", false)?,
            default_claims: flag("include_default_claims", true)?,
        })
    }
}

fn describe_key(k: &Yaml) -> String {
    match k.as_str() {
        Some(s) => format!("{s:?}"),
        None => describe(k),
    }
}

/// Runs one case: `Ok` when it passed.
fn run_case(base: &Yaml, spec: &Yaml, provider: &CryptoProvider) -> Result<(), Failure> {
    let case = Case::from_yaml(spec).map_err(setup)?;
    let mut settings_yaml = base.clone();
    if let Some(over) = spec.get("settings_override") {
        merge(&mut settings_yaml, over);
    }
    let settings =
        Settings::from_yaml(&settings_yaml).map_err(|e| setup(format!("settings: {e}")))?;
    let iat = settings
        .iat
        .ok_or_else(|| setup("the settings have no iat, so there is no time to run at"))?;
    let now: UnixTime = iat.saturating_add(CLOCK_OFFSET);
    if settings.issuer_keys.is_empty() {
        return Err(setup("the settings have no issuer key"));
    }
    let holder = if case.key_binding {
        let key = settings
            .holder_key
            .clone()
            .ok_or_else(|| setup("key binding without a holder_key"))?;
        let aud = settings
            .verifier
            .clone()
            .ok_or_else(|| setup("key binding without identifiers.verifier"))?;
        let nonce = settings
            .nonce
            .clone()
            .ok_or_else(|| setup("key binding without key_binding_nonce"))?;
        Some((key, aud, nonce))
    } else {
        None
    };
    let Value::Object(user_claims) = case.claims.to_json() else {
        return Err(setup("user_claims is not a mapping"));
    };
    let mut disclosable = Vec::new();
    case.claims
        .disclosable(&mut Vec::new(), &mut disclosable)
        .map_err(setup)?;
    let selection = select(&case.claims, &case.mask).map_err(setup)?;

    // The payload before selective disclosure: the default claims, then the case's own.
    let mut claims = Map::new();
    if case.default_claims {
        if let Some(iss) = &settings.issuer {
            claims.insert("iss".into(), iss.clone().into());
        }
        if let Some(iat) = settings.iat {
            claims.insert("iat".into(), iat.into());
        }
        if let Some(exp) = settings.exp {
            claims.insert("exp".into(), exp.into());
        }
    }
    let mut expected_all = claims.clone();
    claims.extend(user_claims);

    // Issue.
    let issued = issue(
        &case,
        &settings,
        claims,
        disclosable,
        holder.as_ref(),
        provider,
    )
    .map_err(|e| fail("issue-error", e))?;
    let issued_text = issued.serialize();

    // Accept and present.
    let issuer_public: Vec<Jwk> = settings.issuer_keys.iter().map(Jwk::to_public).collect();
    let credential = Credential::accept(
        &issued_text,
        provider,
        &issuer_public,
        &AcceptOptions::new(now),
    )
    .map_err(|e| {
        fail(
            "present-error",
            format!("the holder refused the credential: {e}"),
        )
    })?;
    let indices = disclosure_indices(&credential, &selection.revealed)
        .map_err(|e| fail("present-error", e))?;
    let kb = holder.as_ref().map(|(key, aud, nonce)| KbInput {
        key,
        aud,
        nonce,
        iat: now,
    });
    let presentation = present_exact(&credential, &indices, kb.as_ref(), provider)
        .map_err(|e| fail("present-error", e))?;
    let presented_text = presentation.serialize();

    // Verify.
    let keys = settings
        .issuer_keys
        .iter()
        .fold(StaticKeys::new(), |keys, k| keys.with_key(k));
    let policy = Policy::new(match &holder {
        Some((_, aud, nonce)) => KeyBinding::required(aud.clone(), nonce.clone()),
        None => KeyBinding::NotRequired,
    });
    let verified = Verifier::new(provider, &keys)
        .verify(&presented_text, &policy, now)
        .map_err(|e| {
            let class = classify(&e);
            fail(
                &format!("rejected:{class}"),
                format!("rejected as {class}: {e}"),
            )
        })?;

    // Compare.
    let (expected, actual): (Map<String, Value>, Map<String, Value>) = match case.expected {
        Some(expected) => (
            expected,
            verified
                .claims()
                .iter()
                .filter(|(k, _)| !NOT_USER_CLAIMS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        None => {
            if let Value::Object(visible) = selection.visible {
                expected_all.extend(visible);
            }
            if let Some((key, _, _)) = &holder {
                let mut cnf = Map::new();
                cnf.insert("jwk".into(), Value::Object(key.to_public().to_json()));
                expected_all.insert("cnf".into(), Value::Object(cnf));
            }
            (
                expected_all,
                verified
                    .claims()
                    .iter()
                    .filter(|(k, _)| k.as_str() != "_sd_alg")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        }
    };
    compare_claims(actual, expected).map_err(|(outcome, detail)| fail(outcome, detail))
}

/// Issues the credential: every issuer key signs; a string `typ` in the extra header
/// parameters sets the header type, and any other parameter is added to the protected header
/// as given.
fn issue(
    case: &Case,
    settings: &Settings,
    claims: Map<String, Value>,
    disclosable: Vec<ClaimPath>,
    holder: Option<&(Jwk, String, String)>,
    provider: &CryptoProvider,
) -> Result<SdJwt, String> {
    let mut extra = case.extra_header.clone();
    let typ = match extra.get("typ") {
        Some(Value::String(t)) => {
            let t = t.clone();
            extra.remove("typ");
            Some(t)
        }
        _ => None,
    };
    let mut builder = SdJwtBuilder::new(claims)
        .disclose_all(disclosable)
        .decoys(if case.decoys {
            Decoys::default()
        } else {
            Decoys::None
        });
    if let Some(typ) = &typ {
        builder = builder.typ(typ.clone());
    }
    if let Some((key, _, _)) = holder {
        builder = builder.holder_key(&key.to_public());
    }
    let prepared = builder.prepare(provider).map_err(|e| e.to_string())?;
    let signers = settings
        .issuer_keys
        .iter()
        .map(|k| provider.signer(k, k.default_algorithm()))
        .collect::<Result<Vec<Box<dyn JwsSigner>>, _>>()
        .map_err(|e| format!("issuer key: {e}"))?;
    let signers: Vec<&dyn JwsSigner> = signers.iter().map(|s| &**s).collect();
    let syntax = if signers.len() > 1 {
        JsonSyntax::General
    } else {
        JsonSyntax::Flattened
    };
    match (case.json, signers.as_slice()) {
        (false, [signer]) => {
            if extra.is_empty() {
                prepared.sign(*signer)
            } else {
                let (input, signature) =
                    sign_with_extra(&prepared, *signer, typ.as_deref(), &extra)?;
                prepared.attach_signature(input, &signature)
            }
        }
        (false, _) => {
            return Err(format!(
                "the compact serialization holds one signature, but there are {} issuer keys",
                signers.len()
            ));
        }
        (true, _) => {
            if extra.is_empty() {
                prepared.sign_json(&signers, syntax)
            } else {
                let parts = signers
                    .iter()
                    .map(|s| sign_with_extra(&prepared, *s, typ.as_deref(), &extra))
                    .collect::<Result<Vec<_>, _>>()?;
                prepared.attach_json_signatures(parts, syntax)
            }
        }
    }
    .map_err(|e| e.to_string())
}

/// Signs the prepared payload under a protected header with extra parameters.
fn sign_with_extra(
    prepared: &PreparedSdJwt,
    signer: &dyn JwsSigner,
    typ: Option<&str>,
    extra: &Map<String, Value>,
) -> Result<(SigningInput, Vec<u8>), String> {
    let header = jws::protected_header(signer.algorithm(), signer.key_id(), typ, extra);
    let input = SigningInput::new(&header, prepared.payload().as_bytes());
    let signature = input.sign(signer).map_err(|e| e.to_string())?;
    Ok((input, signature))
}

/// The credential's Disclosure index for each revealed path.
fn disclosure_indices(
    credential: &Credential,
    revealed: &[ClaimPath],
) -> Result<Vec<usize>, String> {
    let mut indices = BTreeSet::new();
    for path in revealed {
        let found = credential
            .disclosed()
            .iter()
            .find(|d| &d.path == path)
            .ok_or_else(|| format!("the credential has no Disclosure for {path}"))?;
        indices.insert(found.disclosure);
    }
    Ok(indices.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Yaml {
        match serde_yaml::from_str(text) {
            Ok(v) => v,
            Err(e) => panic!("test YAML does not parse: {e}"),
        }
    }

    fn claims(text: &str) -> Node {
        match node(&yaml(text), "user_claims") {
            Ok(n) => n,
            Err(e) => panic!("{e}"),
        }
    }

    fn paths(n: &Node) -> Vec<String> {
        let mut out = Vec::new();
        if let Err(e) = n.disclosable(&mut Vec::new(), &mut out) {
            panic!("{e}");
        }
        out.iter().map(ToString::to_string).collect()
    }

    fn selected(claims_yaml: &str, mask_yaml: &str) -> (Vec<String>, Value) {
        match select(&claims(claims_yaml), &yaml(mask_yaml)) {
            Ok(s) => (
                s.revealed.iter().map(ToString::to_string).collect(),
                s.visible,
            ),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn sd_keys_and_scalar_resolution() {
        let n = claims(
            "plain: 1\n!sd name: Ada\n!sd \"42\": forty-two\n!sd none: None\n!sd t: True\n!sd f: 2.5\n",
        );
        assert_eq!(
            n.to_json(),
            serde_json::json!({"plain": 1, "name": "Ada", "42": "forty-two", "none": "None", "t": true, "f": 2.5})
        );
        assert_eq!(paths(&n), ["/name", "/42", "/none", "/t", "/f"]);
        // Order is YAML order.
        let Value::Object(m) = n.to_json() else {
            panic!("not an object")
        };
        assert_eq!(
            m.keys().map(String::as_str).collect::<Vec<_>>(),
            ["plain", "name", "42", "none", "t", "f"]
        );
    }

    #[test]
    fn tag_on_a_member_value_is_refused() {
        assert!(node(&yaml("a: !sd 1\n"), "user_claims").is_err());
        assert!(node(&yaml("!other a: 1\n"), "user_claims").is_err());
    }

    #[test]
    fn tagged_array_elements_and_plain_scalars() {
        let n = claims(
            "data:\n  - !sd null\n  - !sd 42\n  - !sd \"42\"\n  - !sd [\"x\"]\n  - !sd {\"foo\": \"bar\"}\n  - plain\n",
        );
        assert_eq!(
            n.to_json(),
            serde_json::json!({"data": [null, 42, "42", ["x"], {"foo": "bar"}, "plain"]})
        );
        assert_eq!(
            paths(&n),
            ["/data/0", "/data/1", "/data/2", "/data/3", "/data/4"]
        );
    }

    #[test]
    fn recursive_and_nested_arrays() {
        let n = claims(
            "a:\n  - boring\n  - !sd\n    foo: bar\n    !sd baz:\n      qux: quux\n  - [!sd x, !sd y]\nnested: [[!sd foo], [!sd baz, qux]]\n",
        );
        assert_eq!(
            paths(&n),
            [
                "/a/1",
                "/a/1/baz",
                "/a/2/0",
                "/a/2/1",
                "/nested/0/0",
                "/nested/1/0"
            ]
        );
        let n = claims("e:\n  - !sd\n    !sd type: document\n    method: pipp\n");
        assert_eq!(paths(&n), ["/e/0", "/e/0/type"]);
    }

    #[test]
    fn empty_mapping_and_list_masks_are_false() {
        let c = "!sd address:\n  !sd street: x\n  city: y\n!sd list: [1, 2]\n!sd name: n\n";
        let (revealed, visible) = selected(c, "address: {}\nlist: []\nname: null\n");
        assert!(revealed.is_empty());
        assert_eq!(visible, serde_json::json!({}));
        let (revealed, visible) = selected(c, "address: true\nlist: [0]\nname: \"None\"\n");
        assert_eq!(revealed, ["/address", "/list", "/name"]);
        assert_eq!(
            visible,
            serde_json::json!({"address": {"city": "y"}, "list": [1, 2], "name": "n"})
        );
        let (revealed, _) = selected(c, "address: {street: 1}\n");
        assert_eq!(revealed, ["/address", "/address/street"]);
    }

    #[test]
    fn plain_content_stays_visible_under_a_null_mask() {
        let c = "a:\n  b: [1, !sd 2]\n  !sd c: 3\n";
        let (revealed, visible) = selected(c, "null");
        assert!(revealed.is_empty());
        assert_eq!(visible, serde_json::json!({"a": {"b": [1]}}));
    }

    #[test]
    fn array_masks_pair_by_position() {
        let c = "n: [!sd US, !sd CA, DE]\nnested: [[!sd foo, !sd bar], [!sd baz, !sd qux]]\n";
        let (revealed, visible) = selected(
            c,
            "n: [False, True]\nnested: [[True, False], [False, True]]\n",
        );
        assert_eq!(revealed, ["/n/1", "/nested/0/0", "/nested/1/1"]);
        assert_eq!(
            visible,
            serde_json::json!({"n": ["CA", "DE"], "nested": [["foo"], ["qux"]]})
        );
        // `{}`, `[]` and "None" reveal an array element; only null and false withhold it.
        let c = "x: [!sd 1, !sd 2, !sd 3, !sd 4, !sd 5]\n";
        let (revealed, _) = selected(c, "x: [{}, [], \"None\", null, false]\n");
        assert_eq!(revealed, ["/x/0", "/x/1", "/x/2"]);
    }

    #[test]
    fn revealed_element_is_walked_with_its_mask() {
        let c = "a:\n  - !sd\n    foo: bar\n    !sd baz: {qux: quux}\n  - [!sd x, !sd y]\n";
        let (revealed, visible) = selected(c, "a: [True, [False, True]]\n");
        assert_eq!(revealed, ["/a/0", "/a/1/1"]);
        assert_eq!(visible, serde_json::json!({"a": [{"foo": "bar"}, ["y"]]}));
        let (revealed, _) = selected(c, "a: [{baz: true}]\n");
        assert_eq!(revealed, ["/a/0", "/a/0/baz"]);
    }

    #[test]
    fn mismatched_mask_is_a_setup_error() {
        assert!(select(&claims("a: {b: 1}\n"), &yaml("a: [1]\n")).is_err());
        assert!(select(&claims("a: [1]\n"), &yaml("a: {b: 1}\n")).is_err());
    }

    #[test]
    fn default_labels() {
        let label = |p: &str| default_label(Path::new(p));
        assert_eq!(
            label("/x/spec-sources/sd-jwt-python-testcases/tests/testcases"),
            "sd-jwt-python/testcases"
        );
        assert_eq!(
            label("/x/spec-sources/sd-jwt-python-testcases/examples"),
            "sd-jwt-python/examples"
        );
        assert_eq!(label("/x/spec-sources/sd-jwt/examples"), "sd-jwt/examples");
        assert_eq!(label("cases"), "cases");
    }

    #[test]
    fn settings_override_merges() {
        let mut base = yaml("a: {b: 1, c: 2}\nd: 3\n");
        merge(&mut base, &yaml("a: {c: 5}\ne: 6\n"));
        assert_eq!(base, yaml("a: {b: 1, c: 5}\nd: 3\ne: 6\n"));
    }

    const SETTINGS: &str = "identifiers:\n  issuer: https://issuer.example\n  verifier: https://verifier.example\nkey_settings:\n  issuer_keys:\n    - kty: EC\n      d: Ur2bNKuBPOrAaxsRnbSH6hIhmNTxSGXshDSUD1a1y7g\n      crv: P-256\n      x: b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ\n      y: Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8\n  holder_key:\n    kty: EC\n    d: 5K5SCos8zf9zRemGGUl6yfok-_NiiryNZsvANWMhF-I\n    crv: P-256\n    x: TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc\n    y: ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ\nkey_binding_nonce: \"1234567890\"\niat: 1683000000\nexp: 1883000000\n";

    fn run(spec: &str) -> Result<(), Failure> {
        run_case(
            &yaml(SETTINGS),
            &yaml(spec),
            &sdjwt_aws_lc::DEFAULT_PROVIDER,
        )
    }

    #[test]
    fn runs_cases_end_to_end() {
        let spec = "user_claims:\n  sub: s\n  !sd given_name: Ada\n  !sd family_name: L\n  nationalities: [!sd US, !sd DE]\n  !sd address:\n    !sd street: x\n    city: y\nholder_disclosed_claims:\n  given_name: true\n  nationalities: [false, true]\n  address: {street: true}\n";
        for extra in [
            "",
            "key_binding: true\n",
            "key_binding: true\nserialization_format: json\n",
            "add_decoy_claims: true\nextra_header_parameters: {typ: dc+sd-jwt, x5u: https://x.example}\n",
            "include_default_claims: false\n",
            "expect_verified_user_claims:\n  sub: s\n  given_name: Ada\n  nationalities: [DE]\n  address: {street: x, city: y}\n",
        ] {
            if let Err(f) = run(&format!("{spec}{extra}")) {
                panic!("{extra:?}: {}: {}", f.outcome, f.detail);
            }
        }
    }

    #[test]
    fn reports_where_a_case_breaks() {
        let spec = "user_claims:\n  !sd a: 1\nholder_disclosed_claims: {a: true}\n";
        let outcome = |extra: &str| match run(&format!("{spec}{extra}")) {
            Ok(()) => "accepted".to_owned(),
            Err(f) => f.outcome,
        };
        assert_eq!(outcome(""), "accepted");
        assert_eq!(
            outcome("expect_verified_user_claims: {a: 2}\n"),
            "claims-differ"
        );
        assert_eq!(
            outcome("extra_header_parameters: {kid: 42}\n"),
            "issue-error"
        );
        assert_eq!(outcome("serialization_format: jwt\n"), "setup-error");
        assert_eq!(outcome("surprise: 1\n"), "setup-error");
    }

    #[test]
    fn runs_a_folder_and_applies_exceptions() {
        let dir = std::env::temp_dir().join(format!("sdjwt-upstream-{}", std::process::id()));
        let write = |path: &Path, text: &str| {
            if let Some(parent) = path.parent()
                && let Err(e) = fs::create_dir_all(parent)
            {
                panic!("{e}");
            }
            if let Err(e) = fs::write(path, text) {
                panic!("{e}");
            }
        };
        write(&dir.join("settings.yml"), SETTINGS);
        write(
            &dir.join("good/specification.yml"),
            "user_claims: {!sd a: 1}\nholder_disclosed_claims: {a: true}\nexpect_verified_user_claims: {a: 1}\n",
        );
        write(
            &dir.join("kid/specification.yml"),
            "user_claims: {!sd a: 1}\nextra_header_parameters: {kid: 42}\n",
        );
        let exceptions = match Exceptions::parse(
            "format = 1\n[[exception]]\ncase = \"upstream:t/kid\"\noutcome = \"issue-error\"\nreason = \"RFC 7515 §4.1.4\"\n",
        ) {
            Ok(e) => e,
            Err(e) => panic!("{e}"),
        };
        let result = run_upstream(&dir, "t", &sdjwt_aws_lc::DEFAULT_PROVIDER, &exceptions);
        let _ = fs::remove_dir_all(&dir);
        let outcomes = match result {
            Ok(o) => o,
            Err(e) => panic!("{e}"),
        };
        let summary: Vec<(&str, crate::Status)> =
            outcomes.iter().map(|o| (o.id.as_str(), o.status)).collect();
        assert_eq!(
            summary,
            [
                ("upstream:t/good", crate::Status::Passed),
                ("upstream:t/kid", crate::Status::Diverged)
            ]
        );
        assert!(outcomes.iter().all(|o| o.suite == "upstream"));
    }

    #[test]
    fn missing_folder_is_an_error() {
        let missing = Path::new("/nonexistent/sdjwt-upstream");
        assert!(matches!(
            run_upstream(
                missing,
                "x",
                &sdjwt_aws_lc::DEFAULT_PROVIDER,
                &Exceptions::none()
            ),
            Err(Error::Upstream { .. })
        ));
    }
}
