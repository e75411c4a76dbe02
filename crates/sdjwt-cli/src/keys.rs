//! `keygen` and `key`.

use std::path::PathBuf;

use anyhow::anyhow;
use clap::{Args, Subcommand};
use sdjwt_aws_lc::DEFAULT_PROVIDER as PROVIDER;
use sdjwt_jose::{HashAlgorithm, JwsAlgorithm};
use serde_json::Value;

use crate::io::{read_jwk, write_text};
use crate::{Outcome, usage};

/// Parses a JWS algorithm name for clap.
pub(crate) fn parse_alg(s: &str) -> Result<JwsAlgorithm, String> {
    s.parse().map_err(|e| format!("{e}; use one of ES256, ES384, ES512, ES256K, EdDSA, PS256, PS384, PS512, RS256, RS384, RS512"))
}

/// Parses a hash algorithm name for clap.
pub(crate) fn parse_hash(s: &str) -> Result<HashAlgorithm, String> {
    s.parse().map_err(|e| {
        format!("{e}; use one of sha-256, sha-384, sha-512, sha3-256, sha3-384, sha3-512")
    })
}

#[derive(Args, Debug)]
pub(crate) struct KeygenArgs {
    /// Signature algorithm the key is for.
    #[arg(long, value_parser = parse_alg, default_value = "ES256")]
    alg: JwsAlgorithm,
    /// Where to write the private JWK ('-' for standard output).
    #[arg(long, default_value = "-")]
    out: PathBuf,
    /// A key id to put in the JWK's `kid`.
    #[arg(long)]
    kid: Option<String>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum KeyCommand {
    /// Print the public JWK (no private members) of a key file.
    Public {
        /// The JWK file ('-' for standard input).
        file: PathBuf,
    },
    /// Print the RFC 7638 SHA-256 thumbprint of a key file.
    Thumbprint {
        /// The JWK file ('-' for standard input).
        file: PathBuf,
    },
}

pub(crate) fn keygen(a: &KeygenArgs) -> Outcome {
    let mut jwk = PROVIDER.generate_key(a.alg).map_err(usage)?;
    if let Some(kid) = &a.kid {
        jwk = jwk.with_kid(kid.clone());
    }
    let text =
        serde_json::to_string_pretty(&Value::Object(jwk.to_private_json())).map_err(usage)?;
    write_text(&a.out, &text)
}

pub(crate) fn key(c: &KeyCommand) -> Outcome {
    match c {
        KeyCommand::Public { file } => {
            let jwk = read_jwk(file)?;
            let text =
                serde_json::to_string_pretty(&Value::Object(jwk.to_json())).map_err(usage)?;
            write_text(&PathBuf::from("-"), &text)
        }
        KeyCommand::Thumbprint { file } => {
            let jwk = read_jwk(file)?;
            let t = jwk
                .thumbprint(PROVIDER.hash, HashAlgorithm::Sha256)
                .map_err(|e| usage(anyhow!(e)))?;
            write_text(&PathBuf::from("-"), &t)
        }
    }
}
