//! `sdjwt wallet`: a simple local credential store for the holder.
//!
//! The wallet is a folder (`--wallet DIR`, default `sdjwt-wallet`):
//!
//! ```text
//! sdjwt-wallet/
//!   <id>/credential.sdjwt   the SD-JWT as issued (checked when it was added)
//!   <id>/holder.jwk         the holder's private key for this credential (mode 0600)
//!   <id>/entry.json         {"id", "vct", "iss", "added", "used": [{"aud", "at"}]}
//! ```
//!
//! `<id>` is the first 16 hex digits of the SHA-256 of the credential, so adding the same
//! credential twice is refused. Credentials of one batch (one holder key each) are used once:
//! `present` never chooses a used credential unless `--allow-reuse` is given, because a second
//! presentation of the same credential can be linked to the first by its signature, holder key,
//! salts and status index (RFC 9901 §10.1; OpenID4VP 1.0 §15.5 "Verifier-to-Verifier Unlinkable
//! Presentations").

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use clap::{Args, Subcommand};
use sdjwt_aws_lc::DEFAULT_PROVIDER as PROVIDER;
use sdjwt_holder::dcql::{DcqlError, DcqlQuery, MatchOptions};
use sdjwt_holder::policy::Policy;
use sdjwt_holder::privacy::{self, ReportOptions};
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_jose::{HashAlgorithm, Jwk, JwsSigner};
use sdjwt_vc::authorities::X5cAuthorities;
use serde_json::{Map, Value, json};

use crate::io::{now, read_jwk, read_token};
use crate::{Failure, Outcome, rejected, usage};

/// The wallet folder used when `--wallet` is not given.
const DEFAULT_WALLET: &str = "sdjwt-wallet";

#[derive(Subcommand, Debug)]
pub(crate) enum WalletCommand {
    /// Check credentials from an issuer and keep them, each with its own holder key.
    Add(AddArgs),
    /// List the stored credentials: id, type, issuer, and whether each has been used.
    List(ListArgs),
    /// Answer a DCQL query (OpenID4VP 1.0 §6) with the fewest disclosures the holder's
    /// disclosure policy allows, and print the VP Token.
    Present(PresentArgs),
}

/// Where the wallet lives.
#[derive(Args, Debug)]
pub(crate) struct WalletDir {
    /// The wallet folder (created by `add` when missing).
    #[arg(long, default_value = DEFAULT_WALLET, value_name = "DIR")]
    wallet: PathBuf,
}

#[derive(Args, Debug)]
pub(crate) struct AddArgs {
    #[command(flatten)]
    dir: WalletDir,
    /// A credential as issued (compact or JWS JSON); repeat for a batch, pairing each with the
    /// --holder-key at the same position.
    #[arg(long = "credential", required = true, value_name = "FILE")]
    credentials: Vec<PathBuf>,
    /// The holder's private JWK for the --credential at the same position; its public key
    /// must be the credential's `cnf.jwk`.
    #[arg(long = "holder-key", required = true, value_name = "FILE")]
    holder_keys: Vec<PathBuf>,
    /// The issuer's public JWK: every credential's signature must verify with it (RFC 9901
    /// §7.2). Repeat for several keys.
    #[arg(long = "issuer-key", required = true, value_name = "FILE")]
    issuer_keys: Vec<PathBuf>,
    /// Check validity (`exp`, `nbf`) at this Unix time instead of now.
    #[arg(long)]
    now: Option<i64>,
}

#[derive(Args, Debug)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    dir: WalletDir,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    json: bool,
}

/// One stored credential.
struct Entry {
    /// The folder of this entry.
    dir: PathBuf,
    /// `entry.json`.
    meta: Map<String, Value>,
}

impl Entry {
    fn id(&self) -> &str {
        self.meta.get("id").and_then(Value::as_str).unwrap_or("?")
    }

    fn text(&self, key: &str) -> &str {
        self.meta.get(key).and_then(Value::as_str).unwrap_or("-")
    }

    fn uses(&self) -> usize {
        self.meta
            .get("used")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    }

    fn credential_text(&self) -> Result<String, Failure> {
        read_token(&self.dir.join("credential.sdjwt"))
    }

    fn holder_key(&self) -> Result<Jwk, Failure> {
        read_jwk(&self.dir.join("holder.jwk"))
    }

    /// Records one use of this credential with `aud` at time `at`.
    fn record_use(&mut self, aud: &str, at: i64) -> Result<(), Failure> {
        let used = self
            .meta
            .entry("used")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = used {
            list.push(json!({"aud": aud, "at": at}));
        }
        write_meta(&self.dir, &self.meta)
    }
}

fn write_meta(dir: &Path, meta: &Map<String, Value>) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(meta).map_err(usage)?;
    let path = dir.join("entry.json");
    fs::write(&path, format!("{text}\n"))
        .with_context(|| format!("writing {}", path.display()))
        .map_err(usage)
}

/// Every entry of the wallet, sorted by id. A missing wallet folder is an empty wallet.
fn load_entries(wallet: &Path) -> Result<Vec<Entry>, Failure> {
    let mut entries = Vec::new();
    let listing = match fs::read_dir(wallet) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(entries),
        Err(e) => {
            return Err(usage(
                anyhow!(e).context(format!("reading wallet {}", wallet.display())),
            ));
        }
    };
    for item in listing {
        let item = item
            .with_context(|| format!("reading wallet {}", wallet.display()))
            .map_err(usage)?;
        let dir = item.path();
        let meta_path = dir.join("entry.json");
        if !meta_path.is_file() {
            continue;
        }
        let text = fs::read_to_string(&meta_path)
            .with_context(|| format!("reading {}", meta_path.display()))
            .map_err(usage)?;
        let meta = match sdjwt_jose::json::parse(text.as_bytes()) {
            Ok(Value::Object(m)) => m,
            _ => {
                return Err(usage(anyhow!(
                    "{} is not a wallet entry (a JSON object)",
                    meta_path.display()
                )));
            }
        };
        entries.push(Entry { dir, meta });
    }
    entries.sort_by(|a, b| a.id().cmp(b.id()));
    Ok(entries)
}

/// Writes a private key readable by its owner only.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)?;
        file.write_all(text.as_bytes())
    }
    #[cfg(not(unix))]
    {
        fs::write(path, text)
    }
}

pub(crate) fn wallet(c: &WalletCommand) -> Outcome {
    match c {
        WalletCommand::Add(a) => add(a),
        WalletCommand::List(a) => list(a),
        WalletCommand::Present(a) => present(a),
    }
}

fn add(a: &AddArgs) -> Outcome {
    if a.credentials.len() != a.holder_keys.len() {
        return Err(usage(anyhow!(
            "{} --credential but {} --holder-key: give one holder key per credential, in order",
            a.credentials.len(),
            a.holder_keys.len()
        )));
    }
    let issuer_keys = a
        .issuer_keys
        .iter()
        .map(|p| read_jwk(p).map(|k| k.to_public()))
        .collect::<Result<Vec<Jwk>, _>>()?;
    let options = AcceptOptions::new(a.now.unwrap_or_else(now));
    let existing = load_entries(&a.dir.wallet)?;
    // Check everything before storing anything: a batch goes in whole or not at all.
    let mut checked: Vec<(String, String, String, Map<String, Value>)> =
        Vec::with_capacity(a.credentials.len());
    for (cred_path, key_path) in a.credentials.iter().zip(&a.holder_keys) {
        let text = read_token(cred_path)?;
        let credential = Credential::accept(&text, &PROVIDER, &issuer_keys, &options)
            .with_context(|| format!("credential {}", cred_path.display()))
            .map_err(rejected)?;
        let key = read_jwk(key_path)?;
        if !key.is_private() {
            return Err(usage(anyhow!(
                "{} is a public key: the wallet needs the holder's private key to sign key \
                 binding JWTs",
                key_path.display()
            )));
        }
        let cnf = sdjwt_core::holder_key(credential.sd_jwt().payload())
            .with_context(|| format!("credential {}", cred_path.display()))
            .map_err(rejected)?;
        if cnf.thumbprint_input() != key.to_public().thumbprint_input() {
            return Err(rejected(anyhow!(
                "credential {} is bound to another key than {} (cnf.jwk differs)",
                cred_path.display(),
                key_path.display()
            )));
        }
        let digest = PROVIDER
            .hash
            .digest(HashAlgorithm::Sha256, text.as_bytes())
            .map_err(usage)?;
        let id: String = digest
            .as_ref()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        if existing.iter().any(|e| e.id() == id) || checked.iter().any(|(i, ..)| *i == id) {
            return Err(usage(anyhow!(
                "credential {} is already in the wallet (id {id})",
                cred_path.display()
            )));
        }
        let claims = credential.claims();
        let mut meta = Map::new();
        meta.insert("id".into(), id.clone().into());
        for name in ["vct", "iss"] {
            if let Some(v) = claims.get(name).and_then(Value::as_str) {
                meta.insert(name.into(), v.into());
            }
        }
        meta.insert("added".into(), options.now.into());
        meta.insert(
            "disclosures".into(),
            credential.sd_jwt().disclosures().len().into(),
        );
        meta.insert("used".into(), Value::Array(Vec::new()));
        let key_text =
            serde_json::to_string_pretty(&Value::Object(key.to_private_json())).map_err(usage)?;
        checked.push((id, text, key_text, meta));
    }
    fs::create_dir_all(&a.dir.wallet)
        .with_context(|| format!("creating wallet {}", a.dir.wallet.display()))
        .map_err(usage)?;
    for (id, text, key_text, meta) in &checked {
        let dir = a.dir.wallet.join(id);
        fs::create_dir(&dir)
            .with_context(|| format!("creating {}", dir.display()))
            .map_err(usage)?;
        fs::write(dir.join("credential.sdjwt"), format!("{text}\n"))
            .and_then(|()| write_private(&dir.join("holder.jwk"), &format!("{key_text}\n")))
            .with_context(|| format!("writing {}", dir.display()))
            .map_err(usage)?;
        write_meta(&dir, meta)?;
        println!(
            "added {id}  {}",
            meta.get("vct")
                .and_then(Value::as_str)
                .unwrap_or("(no vct)")
        );
    }
    Ok(())
}

fn list(a: &ListArgs) -> Outcome {
    let entries = load_entries(&a.dir.wallet)?;
    if a.json {
        let all: Vec<Value> = entries
            .iter()
            .map(|e| Value::Object(e.meta.clone()))
            .collect();
        let text = serde_json::to_string_pretty(&Value::Array(all)).map_err(usage)?;
        println!("{text}");
        return Ok(());
    }
    if entries.is_empty() {
        println!("the wallet {} is empty", a.dir.wallet.display());
        return Ok(());
    }
    println!("{:<16}  {:<6}  {:<40}  ISSUER", "ID", "USED", "TYPE (vct)");
    for e in &entries {
        let used = match e.uses() {
            0 => "no".to_owned(),
            n => format!("{n}x"),
        };
        println!(
            "{:<16}  {:<6}  {:<40}  {}",
            e.id(),
            used,
            e.text("vct"),
            e.text("iss")
        );
    }
    Ok(())
}

#[derive(Args, Debug)]
pub(crate) struct PresentArgs {
    #[command(flatten)]
    dir: WalletDir,
    /// The verifier's DCQL query (JSON: the `dcql_query` object of OpenID4VP 1.0 §6; '-' for
    /// standard input).
    #[arg(long, value_name = "FILE")]
    query: PathBuf,
    /// The holder's disclosure policy (TOML, see `sdjwt_holder::policy`): which verifiers may
    /// ask for which claims. A verifier it does not list gets nothing.
    #[arg(long, value_name = "FILE")]
    policy: PathBuf,
    /// The verifier's identifier (its `client_id`): checked against the policy and put in each
    /// Key Binding JWT's `aud`.
    #[arg(long)]
    aud: String,
    /// The verifier's nonce for the Key Binding JWTs.
    #[arg(long)]
    nonce: String,
    /// Also answer optional credential sets (`required: false`). By default the wallet sends
    /// only what the verifier cannot do without.
    #[arg(long)]
    include_optional: bool,
    /// Let the wallet choose a credential it has presented before. Without it, each credential
    /// is used once: a second presentation could be linked to the first.
    #[arg(long)]
    allow_reuse: bool,
    /// Record nothing: the chosen credentials stay unused (for trying a query out).
    #[arg(long)]
    dry_run: bool,
    /// Print the privacy report of each presentation (what the verifier learns, what could
    /// link it) on standard error.
    #[arg(long)]
    report: bool,
    /// The time for validity checks and the KB-JWT `iat` (default: now).
    #[arg(long)]
    now: Option<i64>,
    /// Where to write the VP Token (OpenID4VP 1.0 §8.1: query id → presentations; '-' for
    /// standard output).
    #[arg(long, default_value = "-")]
    out: PathBuf,
}

fn present(a: &PresentArgs) -> Outcome {
    let query_text = crate::io::read_text(&a.query)?;
    let query = DcqlQuery::parse(&query_text)
        .with_context(|| format!("DCQL query {}", a.query.display()))
        .map_err(usage)?;
    let policy_text = crate::io::read_text(&a.policy)?;
    let policy = Policy::from_toml_str(&policy_text)
        .with_context(|| format!("disclosure policy {}", a.policy.display()))
        .map_err(usage)?;
    let now = a.now.unwrap_or_else(now);
    let options = AcceptOptions::new(now);

    let candidates: Vec<Entry> = load_entries(&a.dir.wallet)?
        .into_iter()
        .filter(|e| a.allow_reuse || e.uses() == 0)
        .collect();
    if candidates.is_empty() {
        return Err(rejected(anyhow!(
            "the wallet {} holds no {}credential",
            a.dir.wallet.display(),
            if a.allow_reuse { "" } else { "unused " }
        )));
    }
    // Expired or not-yet-valid credentials are skipped, not fatal: another may answer.
    let mut held = Vec::with_capacity(candidates.len());
    let mut entries = Vec::with_capacity(candidates.len());
    for entry in candidates {
        let text = entry.credential_text()?;
        match Credential::from_trusted_storage(&text, &PROVIDER, &options) {
            Ok(c) => {
                held.push(c);
                entries.push(entry);
            }
            Err(e) => eprintln!("note: skipping credential {}: {e}", entry.id()),
        }
    }
    let refs: Vec<&Credential> = held.iter().collect();
    // `trusted_authorities` of type `aki` are answered from each credential's x5c chain; other
    // types cannot be evaluated here, so such a query matches nothing (OpenID4VP 1.0 §6.1.1).
    let match_options = MatchOptions::new()
        .include_optional_sets(a.include_optional)
        .with_authority_matcher(&X5cAuthorities);
    let selection = match query.select_with_policy(&refs, &match_options, &policy, &a.aud) {
        Ok(s) => s,
        Err(e @ (DcqlError::Refused(_) | DcqlError::Unsatisfied(_))) => {
            // Holder-facing detail, one line each; nothing goes to the verifier.
            for line in e.to_string().lines() {
                eprintln!("  {line}");
            }
            return Err(rejected(anyhow!(match e {
                DcqlError::Refused(_) => "the disclosure policy refuses this query (see above)",
                _ => "the wallet cannot answer this query (see above)",
            })));
        }
        Err(e) => return Err(rejected(e)),
    };
    // Holder keys of the chosen credentials only, by position in `held`.
    let mut signers: Vec<Option<Box<dyn JwsSigner>>> = entries.iter().map(|_| None).collect();
    for chosen in selection.queries().iter().flat_map(|q| &q.credentials) {
        let (Some(entry), Some(slot)) = (
            entries.get(chosen.credential),
            signers.get_mut(chosen.credential),
        ) else {
            continue;
        };
        if slot.is_none() {
            let key = entry.holder_key()?;
            *slot = Some(
                PROVIDER
                    .signer(&key, key.default_algorithm())
                    .with_context(|| format!("holder key of credential {}", entry.id()))
                    .map_err(usage)?,
            );
        }
    }
    let token = selection
        .present(&refs, &PROVIDER, |i| {
            signers.get(i)?.as_deref().map(|signer| KeyBindingRequest {
                signer,
                audience: &a.aud,
                nonce: &a.nonce,
                issued_at: now,
            })
        })
        .map_err(rejected)?;
    if a.report {
        for (id, presentations) in &token {
            for p in presentations.as_array().into_iter().flatten() {
                let Some(text) = p.as_str() else { continue };
                let parsed = crate::roles::parse_unverified(text)?;
                let report =
                    privacy::report(&parsed, &PROVIDER, &ReportOptions::new()).map_err(rejected)?;
                eprintln!("privacy report for credential query `{id}`:\n{report}");
            }
        }
    }
    crate::io::write_text(
        &a.out,
        &serde_json::to_string_pretty(&Value::Object(token)).map_err(usage)?,
    )?;
    if !a.dry_run {
        for q in selection.queries() {
            for chosen in &q.credentials {
                if let Some(entry) = entries.get_mut(chosen.credential) {
                    entry.record_use(&a.aud, now)?;
                }
            }
        }
    }
    Ok(())
}
