//! SD-JWT VC verification from the command line: `verify --trust FILE`, with issuer key
//! discovery, type metadata and status, online (HTTPS) or from local files.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use sdjwt_aws_lc::DEFAULT_PROVIDER as PROVIDER;
use sdjwt_fetch::{CachingResolver, HttpConfig, HttpResolver, HttpsUrl, Resolver, StaticResolver};
use sdjwt_vc::type_metadata::{
    FetchedTypeMetadata, FirstOf, LocalTypeMetadata, TypeMetadataSourceDebug,
};
use sdjwt_vc::{StatusOutcome, StatusPolicy, TrustList, TypeMetadataPolicy, VcPolicy, VcVerifier};
use sdjwt_verifier::Policy;
use serde_json::Value;

use crate::io::{read_text, write_text};
use crate::{Failure, Outcome, rejected, usage};

/// The SD-JWT VC options of `verify`.
#[derive(clap::Args, Debug, Default)]
pub(crate) struct VcArgs {
    /// Trust list (TOML): the trusted issuers, how each one's keys are found, and which
    /// credential types (vct) each may issue. Turns on SD-JWT VC verification (typ dc+sd-jwt,
    /// vct, status, type metadata). See the sdjwt-vc crate docs for the format.
    #[arg(long, value_name = "FILE")]
    pub(crate) trust: Option<PathBuf>,
    /// Fetch issuer metadata, JWK Sets, type metadata and status lists over HTTPS (with
    /// timeouts, size caps and SSRF protection). Without it, only local files are used.
    #[arg(long, requires = "trust")]
    pub(crate) online: bool,
    /// A local copy of a document the verifier would fetch: a Status List Token, JWT VC
    /// Issuer Metadata, or a JWK Set, given as URL=FILE; repeat.
    #[arg(long = "document", value_name = "URL=FILE", requires = "trust")]
    pub(crate) documents: Vec<String>,
    /// A Status List Token for offline checking, as URI=FILE (same as --document); repeat.
    #[arg(long = "status-list", value_name = "URI=FILE", requires = "trust")]
    pub(crate) status_lists: Vec<String>,
    /// A Type Metadata document (JSON) for offline use, registered under the vct it declares;
    /// repeat for a type and the types it extends.
    #[arg(long = "type-metadata", value_name = "FILE", requires = "trust")]
    pub(crate) type_metadata: Vec<PathBuf>,
    /// Reject the credential unless its Type Metadata can be retrieved and processed.
    #[arg(long, requires = "trust")]
    pub(crate) require_type_metadata: bool,
    /// Do not check the credential's status (the output then says it was not checked).
    #[arg(long, requires = "trust")]
    pub(crate) no_status: bool,
    /// Accept the legacy header typ vc+sd-jwt as well as dc+sd-jwt.
    #[arg(long, requires = "trust")]
    pub(crate) accept_legacy_typ: bool,
}

/// Reads `URL=FILE` pairs into a static resolver.
fn local_documents(pairs: &[String]) -> Result<StaticResolver, Failure> {
    let mut resolver = StaticResolver::new();
    for pair in pairs {
        let (url, file) = pair
            .split_once('=')
            .ok_or_else(|| usage(anyhow!("{pair:?} is not URL=FILE")))?;
        let parsed = HttpsUrl::parse(url)
            .with_context(|| format!("{url} (documents are identified by their HTTPS URL)"))
            .map_err(usage)?;
        let text = read_text(Path::new(file))?;
        resolver.insert(parsed, text.trim().as_bytes().to_vec(), None);
    }
    Ok(resolver)
}

/// Verifies `text` as an SD-JWT VC with `policy` as the RFC 9901 part.
pub(crate) fn verify(text: &str, a: &VcArgs, policy: Policy, now: i64, human: bool) -> Outcome {
    let Some(trust_path) = &a.trust else {
        return Err(usage(anyhow!(
            "--trust is required for SD-JWT VC verification"
        )));
    };
    let trust = TrustList::from_file(trust_path).map_err(usage)?;
    let mut pairs = a.documents.clone();
    pairs.extend(a.status_lists.iter().cloned());
    let local = local_documents(&pairs)?;
    let online = if a.online {
        Some(CachingResolver::new(
            HttpResolver::new(HttpConfig::default()).map_err(usage)?,
        ))
    } else {
        None
    };
    // Local files first, then the network.
    let resolver = Layered {
        local: &local,
        online: online.as_ref(),
    };
    let mut metadata = LocalTypeMetadata::new();
    for path in &a.type_metadata {
        let text = read_text(path)?;
        metadata
            .insert_document(text.into_bytes())
            .with_context(|| format!("type metadata {}", path.display()))
            .map_err(usage)?;
    }
    let now_u64 = u64::try_from(now).unwrap_or(0);
    let fetched = online
        .as_ref()
        .map(|r| FetchedTypeMetadata::new(r, now_u64));
    let mut sources: Vec<&dyn TypeMetadataSourceDebug> = vec![&metadata];
    if let Some(f) = &fetched {
        sources.push(f);
    }
    let chain = FirstOf(&sources);
    let mut vc_policy = VcPolicy::new(policy).with_type_metadata(if a.require_type_metadata {
        TypeMetadataPolicy::Required
    } else {
        TypeMetadataPolicy::IfAvailable
    });
    if a.no_status {
        vc_policy = vc_policy.with_status(StatusPolicy::Ignore);
    }
    if a.accept_legacy_typ {
        vc_policy = vc_policy.accepting_legacy_typ();
    }
    let verified = VcVerifier::new(&PROVIDER, &trust)
        .with_documents(&resolver)
        .with_type_metadata(&chain)
        .with_x509_algorithms(webpki::ALL_VERIFICATION_ALGS)
        .verify(text, &vc_policy, now)
        .map_err(rejected)?;
    if human {
        println!("verified SD-JWT VC of type {}", verified.vct);
        println!(
            "issuer: {} ({})",
            verified.issuer.label(),
            verified.issuer.id
        );
        println!(
            "key binding: {}",
            if verified.presentation.key_bound() {
                "checked"
            } else {
                "not required"
            }
        );
        println!(
            "status: {}",
            match &verified.status {
                StatusOutcome::Valid { uri, idx } => format!("VALID (list {uri}, index {idx})"),
                StatusOutcome::NoStatus => "the credential has no status".to_owned(),
                StatusOutcome::NotChecked => "not checked (--no-status)".to_owned(),
                other => format!("{other:?}"),
            }
        );
        match &verified.type_metadata {
            Some(m) => println!(
                "type metadata: {} ({} claim rules applied)",
                m.display_for("en").map_or(m.vct(), |d| d.name.as_str()),
                m.claims.len()
            ),
            None => println!("type metadata: not processed"),
        }
        println!("claims:");
        for (k, v) in verified.presentation.claims() {
            println!("  {k}: {v}");
        }
        return Ok(());
    }
    let out = serde_json::to_string_pretty(&Value::Object(verified.presentation.into_claims()))
        .map_err(usage)?;
    write_text(&PathBuf::from("-"), &out)
}

/// Local documents, then (when online) the caching HTTP resolver.
struct Layered<'a> {
    local: &'a StaticResolver,
    online: Option<&'a CachingResolver<HttpResolver>>,
}

impl Resolver for Layered<'_> {
    fn fetch(
        &self,
        request: &sdjwt_fetch::FetchRequest,
        now: u64,
    ) -> Result<sdjwt_fetch::FetchResponse, sdjwt_fetch::FetchError> {
        match (self.local.fetch(request, now), self.online) {
            (Ok(found), _) => Ok(found),
            (Err(_), Some(online)) => online.fetch(request, now),
            (Err(e), None) => Err(e),
        }
    }

    fn set_freshness(
        &self,
        request: &sdjwt_fetch::FetchRequest,
        response: &sdjwt_fetch::FetchResponse,
        fresh_until: u64,
    ) {
        if let Some(online) = self.online {
            online.set_freshness(request, response, fresh_until);
        }
    }
}

/// The effective Type Metadata of `vct` from local files (the type first, then the types it
/// extends), and the `vct#integrity` value of the first file.
pub(crate) fn issuer_type_metadata(
    vct: &str,
    files: &[PathBuf],
) -> Result<(sdjwt_vc::type_metadata::EffectiveTypeMetadata, String), Failure> {
    let mut store = LocalTypeMetadata::new();
    let mut first: Option<Vec<u8>> = None;
    for path in files {
        let bytes = std::fs::read(path)
            .with_context(|| format!("reading {}", path.display()))
            .map_err(usage)?;
        store
            .insert_document(bytes.clone())
            .with_context(|| format!("type metadata {}", path.display()))
            .map_err(usage)?;
        first.get_or_insert(bytes);
    }
    let first = first.ok_or_else(|| usage(anyhow!("no --type-metadata file")))?;
    let integrity = sdjwt_vc::integrity::Integrity::compute(
        &PROVIDER,
        sdjwt_jose::HashAlgorithm::Sha256,
        &first,
    )
    .map_err(usage)?;
    let effective = sdjwt_vc::type_metadata::TypeMetadataResolver::new(&store, &PROVIDER)
        .resolve(vct, Some(&integrity))
        .with_context(|| format!("type metadata for {vct}"))
        .map_err(usage)?;
    Ok((effective, integrity.as_str().to_owned()))
}
