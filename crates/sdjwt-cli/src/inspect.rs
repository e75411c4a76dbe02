//! `inspect --privacy`: what a verifier would learn from an SD-JWT or presentation, what stays
//! hidden, and which values could link it to other presentations (RFC 9901 §10.1), WITHOUT
//! verifying anything.

use std::num::NonZeroU64;
use std::path::PathBuf;

use anyhow::anyhow;
use clap::Args;
use sdjwt_aws_lc::DEFAULT_PROVIDER as PROVIDER;
use sdjwt_holder::privacy::{ReportOptions, report};

use crate::io::{read_token, write_text};
use crate::roles::parse_unverified;
use crate::{Outcome, rejected, usage};

#[derive(Args, Debug)]
pub(crate) struct InspectArgs {
    /// The SD-JWT or presentation, compact or JWS JSON ('-' for standard input).
    file: PathBuf,
    /// Report what the verifier learns, what stays hidden and which values could link this
    /// presentation to others, with a remedy for each (the only inspection so far).
    #[arg(long, required = true)]
    privacy: bool,
    /// Print one JSON object instead of the text report.
    #[arg(long)]
    json: bool,
    /// Count iat/nbf/exp as precise (a linker) unless they are a multiple of this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = ReportOptions::DEFAULT_COARSE_TIME_UNIT)]
    coarse_time: NonZeroU64,
}

/// Prints the privacy report. Exit codes (CLI.md): 2 when the file cannot be read, 1 when its
/// content is not an SD-JWT that processes (RFC 9901 §7.1 steps 3 to 5; no signature is
/// checked), 0 otherwise, whatever the report finds.
pub(crate) fn run(a: &InspectArgs) -> Outcome {
    if !a.privacy {
        // clap requires the flag; kept so that a future inspection cannot silently skip it.
        return Err(usage(anyhow!("nothing to inspect: give --privacy")));
    }
    let text = read_token(&a.file)?;
    let sd_jwt = parse_unverified(&text)?;
    let options = ReportOptions::default().with_coarse_time_unit(a.coarse_time);
    let r = report(&sd_jwt, &PROVIDER, &options).map_err(|e| rejected(anyhow!(e)))?;
    let out = if a.json {
        serde_json::to_string_pretty(&r.to_json()).map_err(usage)?
    } else {
        // The report ends its last line itself; `write_text` adds one newline.
        r.to_string().trim_end().to_owned()
    };
    write_text(&PathBuf::from("-"), &out)
}
