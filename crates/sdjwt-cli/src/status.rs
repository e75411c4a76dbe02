//! `status`: Token Status Lists (draft-ietf-oauth-status-list-20) from the command line:
//! create a list, set and read entries, and sign it as a Status List Token.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use clap::{Args, Subcommand};
use sdjwt_aws_lc::DEFAULT_PROVIDER as PROVIDER;
use sdjwt_jose::JwsAlgorithm;
use sdjwt_status::{
    Bits, JsonStatusList, Limits, Status, StatusList, StatusListTokenBuilder,
    UnverifiedStatusListToken, Validation,
};
use serde_json::{Value, json};

use crate::io::{now, read_jwk, read_text, read_token, write_text};
use crate::{Failure, Outcome, rejected, usage};

#[derive(Subcommand, Debug)]
pub(crate) enum StatusCommand {
    /// Create a status list with every entry VALID, as JSON `{"bits", "lst"}`.
    Create(CreateArgs),
    /// Set one entry of a status list file (in place, or to --out).
    Set(SetArgs),
    /// Read one entry, from a status list file or from a verified Status List Token.
    Get(GetArgs),
    /// Sign a status list file as a Status List Token (`typ: statuslist+jwt`).
    Token(TokenArgs),
}

#[derive(Args, Debug)]
pub(crate) struct CreateArgs {
    /// Bits per entry: 1 (valid/invalid), 2 (adds suspended), 4 or 8.
    #[arg(long, default_value_t = 2)]
    bits: u8,
    /// Number of entries.
    #[arg(long)]
    size: usize,
    /// Where to write the list ('-' for standard output).
    #[arg(long, default_value = "-")]
    out: PathBuf,
}

#[derive(Args, Debug)]
pub(crate) struct SetArgs {
    /// The status list file (JSON `{"bits", "lst"}`).
    #[arg(long)]
    list: PathBuf,
    /// The entry to set.
    #[arg(long)]
    index: usize,
    /// The new status: valid, invalid (or revoked), suspended, or a number (0x03, 12, ...).
    #[arg(long, value_parser = parse_status)]
    status: Status,
    /// Where to write the list (default: back to --list).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub(crate) struct GetArgs {
    /// A status list file (JSON `{"bits", "lst"}`), read as is.
    #[arg(long, conflicts_with = "token", required_unless_present = "token")]
    list: Option<PathBuf>,
    /// A Status List Token, verified with --issuer-key (and --sub) before it is read.
    #[arg(long, requires = "issuer_keys")]
    token: Option<PathBuf>,
    /// Public JWK of the list's signer; repeat for several.
    #[arg(long = "issuer-key")]
    issuer_keys: Vec<PathBuf>,
    /// The URI the token must be for (its `sub`; default: whatever it says).
    #[arg(long)]
    sub: Option<String>,
    /// The entry to read.
    #[arg(long)]
    index: usize,
    /// Check the token as of this Unix time (default: now).
    #[arg(long)]
    now: Option<i64>,
    /// Print one JSON object instead of a line of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub(crate) struct TokenArgs {
    /// The status list file (JSON `{"bits", "lst"}`).
    #[arg(long)]
    list: PathBuf,
    /// The signer's private JWK.
    #[arg(long)]
    key: PathBuf,
    /// The URI this token will be published at: its `sub`, and the `uri` credentials carry.
    #[arg(long)]
    sub: String,
    /// `iss` claim (optional).
    #[arg(long)]
    iss: Option<String>,
    /// `ttl`: seconds a consumer may cache the token.
    #[arg(long)]
    ttl: Option<u64>,
    /// `exp` as a Unix time.
    #[arg(long)]
    exp: Option<i64>,
    /// `iat` (default: now).
    #[arg(long)]
    iat: Option<i64>,
    /// Signature algorithm (default: from the key).
    #[arg(long, value_parser = crate::keys::parse_alg)]
    alg: Option<JwsAlgorithm>,
    /// Where to write the token ('-' for standard output).
    #[arg(long, default_value = "-")]
    out: PathBuf,
}

fn parse_status(text: &str) -> Result<Status, String> {
    let lower = text.to_ascii_lowercase();
    Ok(match lower.as_str() {
        "valid" => Status::Valid,
        "invalid" | "revoked" => Status::Invalid,
        "suspended" => Status::Suspended,
        _ => {
            let value = match lower.strip_prefix("0x") {
                Some(hex) => u8::from_str_radix(hex, 16),
                None => lower.parse::<u8>(),
            }
            .map_err(|_| {
                format!("{text:?} is not valid, invalid, revoked, suspended or a number 0-255")
            })?;
            Status::from_value(value)
        }
    })
}

fn status_label(status: Status) -> String {
    match status {
        Status::Valid => "VALID".to_owned(),
        Status::Invalid => "INVALID".to_owned(),
        Status::Suspended => "SUSPENDED".to_owned(),
        Status::ApplicationSpecific(v) => format!("APPLICATION_SPECIFIC (0x{v:02x})"),
        Status::Reserved(v) => format!("RESERVED (0x{v:02x})"),
    }
}

fn read_list(path: &Path) -> Result<StatusList, Failure> {
    let text = read_text(path)?;
    JsonStatusList::parse(text.trim().as_bytes(), &Limits::default())
        .with_context(|| format!("{} is not a status list", path.display()))
        .map_err(usage)
        .map(JsonStatusList::into_list)
}

fn write_list(path: &Path, list: StatusList) -> Outcome {
    let json = JsonStatusList::new(list).to_json().map_err(usage)?;
    write_text(path, &Value::Object(json).to_string())
}

pub(crate) fn status(c: &StatusCommand) -> Outcome {
    match c {
        StatusCommand::Create(a) => {
            let bits = Bits::try_from(a.bits).map_err(usage)?;
            let max = Limits::default()
                .max_decompressed_bytes
                .saturating_mul(bits.entries_per_byte());
            if a.size == 0 || a.size > max {
                return Err(usage(anyhow!(
                    "--size must be between 1 and {max} entries for {}-bit lists",
                    bits.value()
                )));
            }
            write_list(&a.out, StatusList::new(bits, a.size))
        }
        StatusCommand::Set(a) => {
            let mut list = read_list(&a.list)?;
            list.set(a.index, a.status).map_err(usage)?;
            write_list(a.out.as_ref().unwrap_or(&a.list), list)
        }
        StatusCommand::Get(a) => {
            let status = match (&a.list, &a.token) {
                (Some(path), _) => read_list(path)?.get(a.index).map_err(usage)?,
                (None, Some(path)) => {
                    let text = read_token(path)?;
                    let token = UnverifiedStatusListToken::parse(&text, &Limits::default())
                        .with_context(|| format!("{} is not a Status List Token", path.display()))
                        .map_err(usage)?;
                    let keys = a
                        .issuer_keys
                        .iter()
                        .map(|p| read_jwk(p).map(|k| k.to_public()))
                        .collect::<Result<Vec<_>, _>>()?;
                    let sub = match &a.sub {
                        Some(sub) => sub.clone(),
                        None => token
                            .unverified_claims()
                            .ok()
                            .and_then(|c| c.get("sub").and_then(Value::as_str).map(str::to_owned))
                            .ok_or_else(|| rejected(anyhow!("the token has no string sub")))?,
                    };
                    let validation = Validation::new(&sub, a.now.unwrap_or_else(now));
                    let verified = token
                        .verify(&keys, &PROVIDER, &validation)
                        .map_err(rejected)?;
                    verified.list().get(a.index).map_err(rejected)?
                }
                (None, None) => return Err(usage(anyhow!("give --list or --token"))),
            };
            if a.json {
                let out = json!({"index": a.index, "status": status_label(status), "value": status.value()});
                write_text(&PathBuf::from("-"), &out.to_string())
            } else {
                write_text(&PathBuf::from("-"), &status_label(status))
            }
        }
        StatusCommand::Token(a) => {
            let list = read_list(&a.list)?;
            let key = read_jwk(&a.key)?;
            let alg = a.alg.unwrap_or_else(|| key.default_algorithm());
            let signer = PROVIDER
                .signer(&key, alg)
                .with_context(|| format!("key {}", a.key.display()))
                .map_err(usage)?;
            let mut builder =
                StatusListTokenBuilder::new(a.sub.clone(), a.iat.unwrap_or_else(now), &list);
            if let Some(iss) = &a.iss {
                builder = builder.issuer(iss.clone());
            }
            if let Some(ttl) = a.ttl {
                builder = builder.ttl(ttl);
            }
            if let Some(exp) = a.exp {
                builder = builder.exp(exp);
            }
            if let Some(kid) = key.key_id() {
                builder = builder.key_id(kid);
            }
            let token = builder.sign(signer.as_ref()).map_err(usage)?;
            write_text(&a.out, &token)
        }
    }
}
