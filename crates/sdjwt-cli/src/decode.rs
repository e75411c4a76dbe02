//! `decode`: show what an SD-JWT or presentation holds, without verifying it.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use sdjwt_aws_lc::DEFAULT_PROVIDER as PROVIDER;
use sdjwt_core::{DisclosureKind, Limits};
use serde_json::{Map, Value, json};

use crate::io::{read_token, write_text};
use crate::roles::{parse_unverified, serialization_name};
use crate::{Outcome, usage};

const BANNER: &str =
    "NOT VERIFIED: decode checks syntax only, not signatures, key binding or validity";

#[derive(Args, Debug)]
pub(crate) struct DecodeArgs {
    /// The SD-JWT or presentation ('-' for standard input).
    file: PathBuf,
    /// Print one JSON object instead of the readable view.
    #[arg(long)]
    json: bool,
}

pub(crate) fn decode(a: &DecodeArgs) -> Outcome {
    let text = read_token(&a.file)?;
    let sd_jwt = parse_unverified(&text)?;
    let hash = sd_jwt.hash_algorithm();
    // Processing (§7.1 steps 3 to 5, no signature check) gives each Disclosure its path.
    let processed = sd_jwt.process(&PROVIDER, &Limits::DEFAULT);
    let mut disclosures = Vec::new();
    for (i, d) in sd_jwt.disclosures().iter().enumerate() {
        let digest = hash
            .as_ref()
            .ok()
            .and_then(|h| d.digest(&PROVIDER, *h).ok())
            .map(|d| d.as_str().to_owned());
        let path = processed
            .as_ref()
            .ok()
            .and_then(|p| p.disclosed.iter().find(|c| c.disclosure == i))
            .map(|c| c.path.to_string());
        let (kind, name) = match d.kind() {
            DisclosureKind::Property { name, .. } => ("property", Some(name.clone())),
            DisclosureKind::ArrayElement { .. } => ("array element", None),
        };
        disclosures.push(json!({
            "path": path, "kind": kind, "name": name, "value": d.value(),
            "digest": digest, "encoded": d.as_str()
        }));
    }
    let kb = sd_jwt
        .key_binding()
        .map(|kb| json!({"header": kb.jws().header().members(), "payload": kb.payload()}));
    let report = json!({
        "verified": false,
        "serialization": serialization_name(sd_jwt.serialization()),
        "header": sd_jwt.header().members(),
        "payload": sd_jwt.payload(),
        "hash_algorithm": hash.as_ref().map(ToString::to_string).map_err(ToString::to_string),
        "disclosures": disclosures,
        "undisclosed_digests": processed.as_ref().ok().map(|p| p.undisclosed_digests),
        "processing_error": processed.as_ref().err().map(ToString::to_string),
        "key_binding_jwt": kb,
    });
    if a.json || !std::io::stdout().is_terminal() {
        let text = serde_json::to_string_pretty(&report).map_err(usage)?;
        return write_text(&PathBuf::from("-"), &text);
    }
    print_tree(&report);
    Ok(())
}

fn print_tree(r: &Value) {
    let empty = Map::new();
    println!("{BANNER}\n");
    println!(
        "serialization: {}",
        r["serialization"].as_str().unwrap_or("?")
    );
    println!("issuer JWT header:");
    for (k, v) in r["header"].as_object().unwrap_or(&empty) {
        println!("  ├─ {k}: {v}");
    }
    println!("issuer JWT payload (digests in place of hidden claims):");
    print_value(&r["payload"], "  ");
    let ds = r["disclosures"].as_array().cloned().unwrap_or_default();
    println!("disclosures ({}):", ds.len());
    for d in &ds {
        let path = d["path"].as_str().unwrap_or("(unplaced)");
        println!("  ├─ {path} = {}", d["value"]);
        println!(
            "  │    {} , digest {}",
            d["kind"].as_str().unwrap_or("?"),
            d["digest"].as_str().unwrap_or("?")
        );
    }
    match (&r["undisclosed_digests"], &r["processing_error"]) {
        (Value::Number(n), _) => {
            println!("hidden: {n} digests have no disclosure here (undisclosed claims and decoys)")
        }
        (_, Value::String(e)) => println!("processing failed: {e}"),
        _ => {}
    }
    match &r["key_binding_jwt"] {
        Value::Null => println!("key binding JWT: none"),
        kb => {
            println!("key binding JWT:");
            for (k, v) in kb["header"]
                .as_object()
                .unwrap_or(&empty)
                .iter()
                .chain(kb["payload"].as_object().unwrap_or(&empty))
            {
                println!("  ├─ {k}: {v}");
            }
        }
    }
    println!("\n{BANNER}");
}

fn print_value(v: &Value, indent: &str) {
    if let Value::Object(m) = v {
        for (k, child) in m {
            match child {
                Value::Object(_) => {
                    println!("{indent}├─ {k}:");
                    print_value(child, &format!("{indent}│  "));
                }
                other => println!("{indent}├─ {k}: {other}"),
            }
        }
    }
}
