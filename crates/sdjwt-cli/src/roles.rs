//! `issue`, `present` and `verify`: the core contract of CLI.md.

use std::path::PathBuf;

use anyhow::{Context, anyhow};
use clap::{Args, ValueEnum};
use sdjwt_aws_lc::DEFAULT_PROVIDER as PROVIDER;
use sdjwt_core::{ClaimPath, Limits, SdJwt, Serialization};
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_issuer::{Decoys, SdJwtBuilder};
use sdjwt_jose::jws::JsonSyntax;
use sdjwt_jose::{HashAlgorithm, Jwk, JwsAlgorithm, JwsSigner};
use sdjwt_verifier::{KeyBinding, Policy, SignaturePolicy, StaticKeys, Verifier};
use serde_json::{Map, Value};

use crate::io::{now, read_jwk, read_text, read_token, write_text};
use crate::keys::{parse_alg, parse_hash};
use crate::{Failure, Outcome, rejected, usage};

/// Output serialization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// `<jwt>~<disclosure>~...~[<kb-jwt>]` (RFC 9901 §4).
    Compact,
    /// JWS JSON: flattened with one issuer signature, general with several (RFC 9901 §8).
    Json,
    /// JWS JSON, flattened syntax (RFC 9901 §8.2).
    Flattened,
    /// JWS JSON, general syntax (RFC 9901 §8.3).
    General,
}

impl Format {
    /// The JWS JSON syntax this format means for a credential with `signatures` issuer
    /// signatures, or `None` for the compact form.
    fn json_syntax(self, signatures: usize) -> Result<Option<JsonSyntax>, Failure> {
        match self {
            Self::Compact if signatures > 1 => Err(usage(anyhow!(
                "the compact form holds one signature; use --format general"
            ))),
            Self::Compact => Ok(None),
            Self::General => Ok(Some(JsonSyntax::General)),
            Self::Json if signatures > 1 => Ok(Some(JsonSyntax::General)),
            Self::Json | Self::Flattened => Ok(Some(JsonSyntax::Flattened)),
        }
    }
}

/// Writes `sd_jwt` in `format`, or in its own serialization when none is asked for.
fn serialize(sd_jwt: &SdJwt, format: Option<Format>) -> Result<String, Failure> {
    let Some(format) = format else {
        return Ok(sd_jwt.serialize());
    };
    match format.json_syntax(sd_jwt.jws().signature_count())? {
        None => Ok(sd_jwt.to_compact()),
        Some(syntax) => {
            let map = sd_jwt.to_json(syntax).map_err(usage)?;
            Ok(Value::Object(map).to_string())
        }
    }
}

/// Parses `--exp`/`--nbf`: a Unix time, or `+N` with an optional unit (s, m, h, d) from now.
fn parse_when(s: &str) -> Result<When, String> {
    if let Some(rel) = s.strip_prefix('+') {
        let (digits, unit) = match rel.find(|c: char| !c.is_ascii_digit()) {
            Some(i) => rel.split_at(i),
            None => (rel, "s"),
        };
        let n: i64 = digits
            .parse()
            .map_err(|_| format!("{s:?} is not +N[s|m|h|d]"))?;
        let scale = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return Err(format!("{s:?}: unit must be s, m, h or d")),
        };
        Ok(When::FromNow(n.saturating_mul(scale)))
    } else {
        s.parse()
            .map(When::At)
            .map_err(|_| format!("{s:?} is neither a Unix time nor +N[s|m|h|d]"))
    }
}

#[derive(Clone, Copy, Debug)]
enum When {
    At(i64),
    FromNow(i64),
}

impl When {
    fn resolve(self, now: i64) -> i64 {
        match self {
            Self::At(t) => t,
            Self::FromNow(d) => now.saturating_add(d),
        }
    }
}

#[derive(Args, Debug)]
pub(crate) struct IssueArgs {
    /// Issuer private JWK. Repeat for a co-signed credential (general JWS JSON).
    #[arg(long = "key", required = true)]
    keys: Vec<PathBuf>,
    /// Holder public JWK, placed in `cnf.jwk` (private members are refused).
    #[arg(long)]
    holder_key: Option<PathBuf>,
    /// JSON object of claims ('-' for standard input).
    #[arg(long)]
    claims: PathBuf,
    /// RFC 6901 pointer of a claim to make selectively disclosable; repeat. Giving an object and
    /// one of its members makes a recursive disclosure.
    #[arg(long = "sd", value_name = "PTR")]
    sd: Vec<String>,
    /// SD-JWT VC type: adds `vct` to the payload and sets `typ` to `dc+sd-jwt`.
    #[arg(long)]
    vct: Option<String>,
    /// Issuer identifier for `iss`.
    #[arg(long)]
    iss: Option<String>,
    /// Status list URI for the `status` claim (Token Status List): where the list token is
    /// published. Needs --status-index.
    #[arg(long, requires = "status_index")]
    status_uri: Option<String>,
    /// This credential's index in the status list at --status-uri.
    #[arg(long, requires = "status_uri")]
    status_index: Option<u64>,
    /// Type Metadata (JSON) of the --vct type, then of any type it extends: adds
    /// `vct#integrity` (sha-256 of the first file) and refuses a selection that breaks the
    /// metadata's `sd` and `mandatory` rules. Repeat for the extends chain.
    #[arg(long = "type-metadata", value_name = "FILE", requires = "vct")]
    type_metadata: Vec<PathBuf>,
    /// Expiry: a Unix time or `+N[s|m|h|d]` from now.
    #[arg(long, value_parser = parse_when)]
    exp: Option<When>,
    /// Not-before: a Unix time or `+N[s|m|h|d]` from now.
    #[arg(long, value_parser = parse_when)]
    nbf: Option<When>,
    /// Issuance time for `iat` (default: now).
    #[arg(long)]
    iat: Option<i64>,
    /// Signature algorithm (default: from the key; ES256 for EC P-256).
    #[arg(long, value_parser = parse_alg)]
    alg: Option<JwsAlgorithm>,
    /// Digest algorithm for Disclosures and `_sd_alg`.
    #[arg(long, value_parser = parse_hash, default_value = "sha-256")]
    hash: HashAlgorithm,
    /// Exact number of decoy digests per disclosable object or array (default: random 1 to 4).
    #[arg(long)]
    decoys: Option<usize>,
    /// Header `typ` (default: none, or `dc+sd-jwt` with --vct).
    #[arg(long)]
    typ: Option<String>,
    /// Header `kid` (default: the key's own `kid`, if any).
    #[arg(long)]
    kid: Option<String>,
    /// Output form (default: compact; several keys need json or general).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Where to write the credential ('-' for standard output).
    #[arg(long, default_value = "-")]
    out: PathBuf,
}

pub(crate) fn issue(a: &IssueArgs) -> Outcome {
    let claims_text = read_text(&a.claims)?;
    let claims = match sdjwt_jose::json::parse(claims_text.as_bytes()) {
        Ok(Value::Object(m)) => m,
        Ok(_) => {
            return Err(usage(anyhow!(
                "{} must hold a JSON object",
                a.claims.display()
            )));
        }
        Err(e) => {
            return Err(usage(
                anyhow!(e).context(format!("reading claims {}", a.claims.display())),
            ));
        }
    };
    let mut claims = claims;
    if let Some(vct) = &a.vct {
        if claims.contains_key("vct") {
            return Err(usage(anyhow!(
                "the claims already have \"vct\"; drop --vct or the claim"
            )));
        }
        claims.insert("vct".into(), vct.clone().into());
    }
    if let (Some(uri), Some(idx)) = (&a.status_uri, a.status_index) {
        if claims.contains_key("status") {
            return Err(usage(anyhow!(
                "the claims already have \"status\"; drop --status-uri or the claim"
            )));
        }
        claims.insert(
            "status".into(),
            serde_json::json!({"status_list": {"idx": idx, "uri": uri}}),
        );
    }
    let metadata = match (&a.vct, a.type_metadata.as_slice()) {
        (Some(vct), [_, ..]) => {
            let (effective, integrity) = crate::vc::issuer_type_metadata(vct, &a.type_metadata)?;
            claims.insert("vct#integrity".into(), Value::String(integrity));
            Some(effective)
        }
        _ => None,
    };
    let document = Value::Object(claims.clone());
    let now = now();
    let iat = a.iat.unwrap_or(now);
    let claims_for_rules = claims.clone();
    let mut selected = std::collections::BTreeSet::new();
    let mut builder = SdJwtBuilder::new(claims)
        .hash_algorithm(a.hash)
        .issued_at(iat);
    for ptr in &a.sd {
        if a.vct.is_some() && ptr == "/vct" {
            return Err(usage(anyhow!(
                "/vct may not be selectively disclosable (SD-JWT VC §2.2.2.3)"
            )));
        }
        let path = ClaimPath::resolve_pointer(ptr, &document)
            .with_context(|| format!("--sd {ptr}"))
            .map_err(usage)?;
        if a.vct.is_some() && sdjwt_vc::claim_rules::is_never_disclosable(&path) {
            return Err(usage(anyhow!(
                "--sd {ptr}: an SD-JWT VC must not make iss, nbf, exp, cnf, vct, vct#integrity, \
                 aka_vcts or status selectively disclosable (SD-JWT VC §2.2.2.3)"
            )));
        }
        selected.insert(path.clone());
        builder = builder.disclose(path);
    }
    if let Some(metadata) = &metadata {
        let mut issued = claims_for_rules.clone();
        if let Some(iss) = &a.iss {
            issued.insert("iss".into(), Value::String(iss.clone()));
        }
        sdjwt_vc::claim_rules::AnnotatedCredential::from_issuer_input(&issued, &selected)
            .validate(&metadata.claims)
            .context("the claims and --sd selection break the type metadata")
            .map_err(usage)?;
    }
    if let Some(n) = a.decoys {
        builder = builder.decoys(Decoys::Exact(n));
    }
    if let Some(iss) = &a.iss {
        builder = builder.issuer(iss.clone());
    }
    if let Some(exp) = a.exp {
        builder = builder.expires_at(exp.resolve(iat));
    }
    if let Some(nbf) = a.nbf {
        builder = builder.not_before(nbf.resolve(iat));
    }
    match (&a.typ, &a.vct) {
        (Some(typ), _) => builder = builder.typ(typ.clone()),
        (None, Some(_)) => builder = builder.typ("dc+sd-jwt"),
        (None, None) => {}
    }
    if let Some(path) = &a.holder_key {
        let holder = read_jwk(path)?;
        if holder.is_private() {
            return Err(usage(anyhow!(
                "{} holds a private key; pass the public key (sdjwt key public {})",
                path.display(),
                path.display()
            )));
        }
        builder = builder.holder_key(&holder);
    }
    let prepared = builder.prepare(&PROVIDER).map_err(usage)?;

    let mut signers: Vec<Box<dyn JwsSigner>> = Vec::with_capacity(a.keys.len());
    for path in &a.keys {
        let mut key = read_jwk(path)?;
        if let Some(kid) = &a.kid {
            key = key.with_kid(kid.clone());
        }
        let alg = a.alg.unwrap_or_else(|| key.default_algorithm());
        signers.push(
            PROVIDER
                .signer(&key, alg)
                .with_context(|| format!("issuer key {}", path.display()))
                .map_err(usage)?,
        );
    }
    let format = a.format.unwrap_or(Format::Compact);
    let text = match (format.json_syntax(signers.len())?, signers.as_slice()) {
        (None, [one]) => prepared.sign_compact(one.as_ref()).map_err(usage)?,
        (Some(syntax), many) => {
            let refs: Vec<&dyn JwsSigner> = many.iter().map(AsRef::as_ref).collect();
            prepared
                .sign_json(&refs, syntax)
                .map_err(usage)?
                .serialize()
        }
        // `json_syntax` refuses compact with several keys, and clap requires one.
        (None, _) => {
            return Err(usage(anyhow!(
                "issue needs exactly one --key for the compact form"
            )));
        }
    };
    write_text(&a.out, &text)
}

#[derive(Args, Debug)]
pub(crate) struct PresentArgs {
    /// The credential as issued (compact or JWS JSON; '-' for standard input).
    #[arg(long)]
    credential: PathBuf,
    /// Holder private JWK, signs the Key Binding JWT.
    #[arg(long)]
    holder_key: Option<PathBuf>,
    /// RFC 6901 pointer of a claim to reveal; repeat. Reveals the claim, the disclosable
    /// ancestors needed to reach it, and everything beneath it.
    #[arg(long = "disclose", value_name = "PTR")]
    disclose: Vec<String>,
    /// The verifier's nonce for the KB-JWT (with --aud; omit both for no key binding).
    #[arg(long)]
    nonce: Option<String>,
    /// The verifier's identifier for the KB-JWT `aud` (with --nonce).
    #[arg(long)]
    aud: Option<String>,
    /// Issuer public JWK: check the issuer signature first (RFC 9901 §7.2). Repeat for
    /// co-signed credentials. Without it, the credential is treated as already accepted: the
    /// Disclosures and validity are still checked, the signature is not.
    #[arg(long = "issuer-key")]
    issuer_keys: Vec<PathBuf>,
    /// KB-JWT signature algorithm (default: from the holder key).
    #[arg(long, value_parser = parse_alg)]
    alg: Option<JwsAlgorithm>,
    /// The time for `iat` and for checking the credential's validity (default: now).
    #[arg(long)]
    now: Option<i64>,
    /// Output form (default: the credential's own).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Where to write the presentation ('-' for standard output).
    #[arg(long, default_value = "-")]
    out: PathBuf,
}

pub(crate) fn present(a: &PresentArgs) -> Outcome {
    let text = read_token(&a.credential)?;
    let now = a.now.unwrap_or_else(now);
    let options = AcceptOptions::new(now);
    let credential = if a.issuer_keys.is_empty() {
        Credential::from_trusted_storage(&text, &PROVIDER, &options)
    } else {
        let keys = a
            .issuer_keys
            .iter()
            .map(|p| read_jwk(p).map(|k| k.to_public()))
            .collect::<Result<Vec<Jwk>, _>>()?;
        Credential::accept(&text, &PROVIDER, &keys, &options)
    }
    .context("credential")
    .map_err(rejected)?;
    let paths = a
        .disclose
        .iter()
        .map(|p| {
            credential
                .pointer(p)
                .with_context(|| format!("--disclose {p}"))
                .map_err(usage)
        })
        .collect::<Result<Vec<ClaimPath>, Failure>>()?;
    let presentation = match (&a.nonce, &a.aud) {
        (None, None) => credential
            .present(&paths, None, &PROVIDER)
            .map_err(rejected)?,
        (Some(nonce), Some(aud)) => {
            let path = a
                .holder_key
                .as_ref()
                .ok_or_else(|| usage(anyhow!("key binding needs --holder-key")))?;
            let key = read_jwk(path)?;
            let alg = a.alg.unwrap_or_else(|| key.default_algorithm());
            let signer = PROVIDER
                .signer(&key, alg)
                .with_context(|| format!("holder key {}", path.display()))
                .map_err(usage)?;
            let kb = KeyBindingRequest {
                signer: &*signer,
                audience: aud,
                nonce,
                issued_at: now,
            };
            credential
                .present(&paths, Some(&kb), &PROVIDER)
                .map_err(rejected)?
        }
        _ => return Err(usage(anyhow!("--nonce and --aud go together"))),
    };
    write_text(&a.out, &serialize(&presentation, a.format)?)
}

#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// The presentation (compact or JWS JSON; '-' for standard input).
    presentation: PathBuf,
    /// Trusted issuer public JWK; repeat for several (co-signers, key rotation). Not with
    /// --trust, where the trust list says how each issuer's keys are found.
    #[arg(
        long = "issuer-key",
        required_unless_present = "trust",
        conflicts_with = "trust"
    )]
    issuer_keys: Vec<PathBuf>,
    /// Expected KB-JWT nonce; with --aud, a valid KB-JWT is required.
    #[arg(long)]
    nonce: Option<String>,
    /// Expected KB-JWT audience; with --nonce, a valid KB-JWT is required.
    #[arg(long)]
    aud: Option<String>,
    /// Allowed clock skew in seconds.
    #[arg(long, default_value_t = 60)]
    leeway: u64,
    /// Oldest acceptable KB-JWT, in seconds.
    #[arg(long, default_value_t = 300)]
    max_kb_age: u64,
    /// Required issuer JWT header `typ` (e.g. dc+sd-jwt).
    #[arg(long)]
    require_typ: Option<String>,
    /// A claim that must be present after processing (e.g. exp); repeat.
    #[arg(long = "require-claim", value_name = "NAME")]
    require_claims: Vec<String>,
    /// With several issuer signatures, accept when at least one verifies with a given key
    /// (default: all must).
    #[arg(long)]
    at_least_one: bool,
    /// Check as of this Unix time (default: now), for reproducible checks.
    #[arg(long)]
    now: Option<i64>,
    /// Print the processed payload as one JSON object (the default).
    #[arg(long, conflicts_with = "human")]
    json: bool,
    /// Print a readable summary instead of JSON.
    #[arg(long)]
    human: bool,
    #[command(flatten)]
    vc: crate::vc::VcArgs,
}

pub(crate) fn verify(a: &VerifyArgs) -> Outcome {
    let text = read_token(&a.presentation)?;
    let mut keys = StaticKeys::new();
    for p in &a.issuer_keys {
        keys = keys.with_key(&read_jwk(p)?.to_public());
    }
    let key_binding = match (&a.nonce, &a.aud) {
        (None, None) => KeyBinding::NotRequired,
        (Some(nonce), Some(aud)) => KeyBinding::Required {
            audience: aud.clone(),
            nonce: nonce.clone(),
            max_age: a.max_kb_age,
        },
        _ => return Err(usage(anyhow!("--nonce and --aud go together"))),
    };
    let mut policy = Policy::new(key_binding)
        .with_leeway(a.leeway)
        .with_required_claims(a.require_claims.clone());
    if let Some(typ) = &a.require_typ {
        policy = policy.with_required_typ(typ.clone());
    }
    if a.at_least_one {
        policy = policy.with_signature_policy(SignaturePolicy::AtLeastOne);
    }
    if a.vc.trust.is_some() {
        return crate::vc::verify(&text, &a.vc, policy, a.now.unwrap_or_else(now), a.human);
    }
    let verified = Verifier::new(&PROVIDER, &keys)
        .verify(&text, &policy, a.now.unwrap_or_else(now))
        .map_err(rejected)?;
    if a.human {
        println!(
            "verified: issued by {}",
            verified.issuer().unwrap_or("(no iss)")
        );
        println!(
            "key binding: {}",
            if verified.key_bound() {
                "checked"
            } else {
                "not required"
            }
        );
        let paths: Vec<String> = verified
            .disclosed_paths()
            .map(ToString::to_string)
            .collect();
        println!(
            "disclosed: {}",
            if paths.is_empty() {
                "(none)".to_owned()
            } else {
                paths.join(", ")
            }
        );
        println!(
            "undisclosed digests (claims and decoys): {}",
            verified.undisclosed_digests()
        );
        println!("claims:");
        for (k, v) in verified.claims() {
            println!("  {k}: {v}");
        }
        return Ok(());
    }
    let out =
        serde_json::to_string_pretty(&Value::Object(verified.into_claims())).map_err(usage)?;
    write_text(&PathBuf::from("-"), &out)
}

/// Parses a credential or presentation for inspection, without any check beyond syntax.
pub(crate) fn parse_unverified(text: &str) -> Result<SdJwt, Failure> {
    SdJwt::parse(text, &Limits::DEFAULT).map_err(|e| rejected(anyhow!(e)))
}

/// Serialization name for reports.
pub(crate) fn serialization_name(s: Serialization) -> &'static str {
    match s {
        Serialization::Compact => "compact",
        Serialization::Json(JsonSyntax::Flattened) => "JWS JSON (flattened)",
        Serialization::Json(JsonSyntax::General) => "JWS JSON (general)",
    }
}

/// Claims object as a map (helper for demo/decode).
pub(crate) fn object(v: Value) -> Result<Map<String, Value>, Failure> {
    match v {
        Value::Object(m) => Ok(m),
        _ => Err(usage(anyhow!("expected a JSON object"))),
    }
}
