//! `demo`: the right-to-work story end to end, with freshly generated keys.

use std::time::Instant;

use anyhow::anyhow;
use clap::Args;
use sdjwt_aws_lc::DEFAULT_PROVIDER as PROVIDER;
use sdjwt_core::ClaimPath;
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_issuer::SdJwtBuilder;
use sdjwt_jose::{JwsAlgorithm, base64url};
use sdjwt_verifier::{KeyBinding, Policy, StaticKeys, Verifier};
use serde_json::{Value, json};

use crate::io::now;
use crate::roles::object;
use crate::{Failure, Outcome, rejected};

const AUTHORITY: &str = "https://identity.gov.example";
const EMPLOYER_A: &str = "https://employer-a.example";
const EMPLOYER_B: &str = "https://employer-b.example";

#[derive(Args, Debug)]
pub(crate) struct DemoArgs {
    /// Signature algorithm of the identity authority.
    #[arg(long, value_parser = crate::keys::parse_alg, default_value = "ES256")]
    issuer_alg: JwsAlgorithm,
    /// Signature algorithm of the holder's wallet key.
    #[arg(long, value_parser = crate::keys::parse_alg, default_value = "EdDSA")]
    holder_alg: JwsAlgorithm,
}

/// Runs `f`, printing how long it took.
fn timed<T>(label: &str, f: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    let start = Instant::now();
    let out = f()?;
    println!(
        "  {label:<58} {:>8.0} µs",
        start.elapsed().as_secs_f64() * 1e6
    );
    Ok(out)
}

fn fresh_nonce() -> Result<String, Failure> {
    let mut bytes = [0u8; 16];
    PROVIDER.fill_random(&mut bytes).map_err(rejected)?;
    Ok(base64url::encode(bytes))
}

fn identity_claims() -> Value {
    json!({
        "given_name": "Amara",
        "family_name": "Okafor",
        "birthdate": "1990-04-12",
        "nationality": "NG",
        "address": {"street_address": "12 Harbour Road", "locality": "Leeds", "postcode": "LS1 4AB", "country": "GB"},
        "national_insurance_number": "QQ 12 34 56 C",
        "immigration_status": "settled",
        "right_to_work": true,
        "nationalities": ["NG", "GB"]
    })
}

/// Every personal claim is disclosable; the address and nationalities recursively.
const DISCLOSABLE: &[&str] = &[
    "/given_name",
    "/family_name",
    "/birthdate",
    "/nationality",
    "/address",
    "/address/street_address",
    "/address/locality",
    "/address/postcode",
    "/address/country",
    "/national_insurance_number",
    "/immigration_status",
    "/right_to_work",
    "/nationalities",
    "/nationalities/0",
    "/nationalities/1",
];

pub(crate) fn demo(a: &DemoArgs) -> Outcome {
    let now = now();
    println!(
        "The right-to-work check, with SD-JWT (RFC 9901) and the {} crypto provider.\n",
        PROVIDER.name
    );

    println!("Keys, freshly generated");
    let authority = timed(
        &format!("identity authority key ({})", a.issuer_alg),
        || PROVIDER.generate_key(a.issuer_alg).map_err(rejected),
    )?;
    let wallet = timed(&format!("holder wallet key ({})", a.holder_alg), || {
        PROVIDER.generate_key(a.holder_alg).map_err(rejected)
    })?;

    println!("\n1. The identity authority issues a credential to the holder's wallet");
    let claims = identity_claims();
    let issued = timed("sign 15 salted digests, decoys and the holder key", || {
        let mut b = SdJwtBuilder::new(object(claims.clone())?)
            .issuer(AUTHORITY)
            .issued_at(now)
            .expires_at(now + 365 * 86_400)
            .typ("example+sd-jwt")
            .holder_key(&wallet.to_public());
        for p in DISCLOSABLE {
            b = b.disclose(ClaimPath::resolve_pointer(p, &claims).map_err(rejected)?);
        }
        let signer = PROVIDER
            .signer(&authority, a.issuer_alg)
            .map_err(rejected)?;
        Ok(b.prepare(&PROVIDER)
            .map_err(rejected)?
            .sign(&*signer)
            .map_err(rejected)?
            .to_compact())
    })?;
    println!(
        "  credential: {} bytes with {} disclosures",
        issued.len(),
        issued.matches('~').count() - 1
    );

    println!("\n2. The wallet checks it before keeping it (RFC 9901 §7.2)");
    let credential = timed(
        "verify the authority's signature and every disclosure",
        || {
            Credential::accept(
                &issued,
                &PROVIDER,
                &[authority.to_public()],
                &AcceptOptions::new(now),
            )
            .map_err(rejected)
        },
    )?;

    println!("\n3. Employer A asks for proof of the right to work, with a fresh nonce");
    let nonce_a = fresh_nonce()?;
    let presentation = timed("wallet reveals /right_to_work only, signs a KB-JWT", || {
        let path = credential.pointer("/right_to_work").map_err(rejected)?;
        let signer = PROVIDER.signer(&wallet, a.holder_alg).map_err(rejected)?;
        let kb = KeyBindingRequest {
            signer: &*signer,
            audience: EMPLOYER_A,
            nonce: &nonce_a,
            issued_at: now,
        };
        Ok(credential
            .present(&[path], Some(&kb), &PROVIDER)
            .map_err(rejected)?
            .to_compact())
    })?;
    println!(
        "  presentation: {} bytes with {} disclosure",
        presentation.len(),
        presentation.matches('~').count() - 1
    );

    println!("\n4. Employer A verifies it offline");
    let trusted = StaticKeys::new().with_issuer_key(AUTHORITY, &authority.to_public());
    let verifier = Verifier::new(&PROVIDER, &trusted);
    let policy_a = Policy::new(KeyBinding::required(EMPLOYER_A, nonce_a.clone()))
        .with_required_claims(["exp"]);
    let verified = timed(
        "check signature, disclosures, key binding, nonce, audience",
        || {
            verifier
                .verify(&presentation, &policy_a, now)
                .map_err(rejected)
        },
    )?;
    println!("  the employer learned:");
    for (k, v) in verified.claims() {
        if !["iss", "iat", "exp", "cnf"].contains(&k.as_str()) {
            println!("    {k} = {v}");
        }
    }
    println!(
        "  from {}, bound to the holder's key: {}",
        verified.issuer().unwrap_or("?"),
        if verified.key_bound() { "yes" } else { "no" }
    );
    let total = credential.sd_jwt().disclosures().len();
    println!(
        "  what stayed hidden: {} of {total} disclosable claims; the employer sees only {} opaque digests (real and decoy alike)",
        total - verified.disclosed().len(),
        verified.undisclosed_digests()
    );

    println!("\n5. Misuse is refused");
    let policy_b = Policy::new(KeyBinding::required(EMPLOYER_B, fresh_nonce()?));
    match verifier.verify(&presentation, &policy_b, now) {
        Err(e) => println!("  replay of the same presentation to employer B: refused ({e})"),
        Ok(_) => return Err(rejected(anyhow!("a replayed presentation was accepted"))),
    }
    let mut parts: Vec<String> = presentation.split('~').map(str::to_owned).collect();
    parts[1] = base64url::encode(json!(["forged-salt", "right_to_work", true]).to_string());
    match verifier.verify(&parts.join("~"), &policy_a, now) {
        Err(e) => println!("  a tampered disclosure: refused ({e})"),
        Ok(_) => return Err(rejected(anyhow!("a tampered presentation was accepted"))),
    }
    println!(
        "\nDone: the employer learned one claim, could check it offline, and could not reuse it."
    );
    Ok(())
}
