//! `demo`: the right-to-work story end to end, with freshly generated keys.

use std::time::Instant;

use anyhow::anyhow;
use clap::Args;
use sdjwt_aws_lc::DEFAULT_PROVIDER as PROVIDER;
use sdjwt_core::{ClaimName, ClaimPath};
use sdjwt_fetch::{HttpsUrl, StaticResolver};
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_issuer::SdJwtBuilder;
use sdjwt_jose::{Jwk, JwsAlgorithm, base64url};
use sdjwt_status::{Bits, Status, StatusList, StatusListTokenBuilder};
use sdjwt_vc::{
    KeySource, StatusListReference, StatusOutcome, TrustList, TrustedIssuer, TypeMetadataPolicy,
    VcBuilder, VcPolicy, VcVerifier,
};
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
    revocation_act(a, &authority, &wallet, now)?;
    println!(
        "\nDone: the employer learned one claim, could check it offline, could not reuse it, and \
         saw the revocation as soon as the status list was republished."
    );
    Ok(())
}

const RIGHT_TO_WORK_VCT: &str = "https://credentials.gov.example/right-to-work";
const STATUS_URI: &str = "https://identity.gov.example/status/2026-11";
/// The holder's entry in the authority's status list.
const STATUS_INDEX: usize = 48_213;

/// Act 6: the credential carries a status entry; the authority revokes it, republishes its
/// Token Status List, and the employer's next check fails.
fn revocation_act(a: &DemoArgs, authority: &Jwk, wallet: &Jwk, now: i64) -> Outcome {
    println!("\n6. The right to work ends: revocation through a Token Status List");
    let mut list = StatusList::new(Bits::Two, 100_000);
    let signer = PROVIDER.signer(authority, a.issuer_alg).map_err(rejected)?;
    let publish = |list: &StatusList, iat: i64| -> Result<String, Failure> {
        StatusListTokenBuilder::new(STATUS_URI, iat, list)
            .ttl(300)
            .issuer(AUTHORITY)
            .sign(&*signer)
            .map_err(rejected)
    };
    let credential = timed(
        "issue an SD-JWT VC (dc+sd-jwt) with status entry 48213",
        || {
            let claims =
                json!({"right_to_work": true, "given_name": "Amara", "family_name": "Okafor"});
            let names = ["right_to_work", "given_name", "family_name"];
            let mut builder = VcBuilder::new(RIGHT_TO_WORK_VCT, object(claims)?)
                .issuer(AUTHORITY)
                .issued_at(now)
                .expires_at(now + 365 * 86_400)
                .holder_key(&wallet.to_public())
                .status(StatusListReference {
                    idx: STATUS_INDEX as u64,
                    uri: STATUS_URI.to_owned(),
                });
            for name in names {
                builder = builder
                    .disclose(ClaimPath::root().key(ClaimName::new(name).map_err(rejected)?));
            }
            let prepared = builder.prepare(&PROVIDER).map_err(rejected)?;
            Ok(prepared.sign(&*signer).map_err(rejected)?.to_compact())
        },
    )?;
    let token = timed(
        "publish the status list (100,000 entries, 2 bits each)",
        || publish(&list, now),
    )?;
    println!(
        "  status list token: {} bytes for 100,000 credentials",
        token.len()
    );
    let mut trust = TrustList::new();
    trust
        .add(TrustedIssuer::new(
            AUTHORITY,
            vec![RIGHT_TO_WORK_VCT.to_owned()],
            KeySource::Jwks(vec![authority.to_public()]),
        ))
        .map_err(rejected)?;
    let wallet_copy = Credential::accept(
        &credential,
        &PROVIDER,
        &[authority.to_public()],
        &AcceptOptions::new(now),
    )
    .map_err(rejected)?;
    let check =
        |token: &str| -> Result<Result<sdjwt_vc::VerifiedCredential, sdjwt_vc::Error>, Failure> {
            let nonce = fresh_nonce()?;
            let path = wallet_copy.pointer("/right_to_work").map_err(rejected)?;
            let holder = PROVIDER.signer(wallet, a.holder_alg).map_err(rejected)?;
            let kb = KeyBindingRequest {
                signer: &*holder,
                audience: EMPLOYER_A,
                nonce: &nonce,
                issued_at: now,
            };
            let presentation = wallet_copy
                .present(&[path], Some(&kb), &PROVIDER)
                .map_err(rejected)?
                .to_compact();
            let mut documents = StaticResolver::new();
            documents.insert(
                HttpsUrl::parse(STATUS_URI).map_err(rejected)?,
                token.as_bytes().to_vec(),
                Some("application/statuslist+jwt"),
            );
            let policy = VcPolicy::new(Policy::new(KeyBinding::required(EMPLOYER_A, nonce)))
                .with_type_metadata(TypeMetadataPolicy::Ignore);
            Ok(VcVerifier::new(&PROVIDER, &trust)
                .with_documents(&documents)
                .verify(&presentation, &policy, now))
        };
    let first = timed(
        "employer checks: trust list, signature, key binding, status",
        || check(&token),
    )?;
    match first {
        Ok(v) => println!(
            "  accepted: right_to_work = {}, status {}",
            v.presentation
                .claims()
                .get("right_to_work")
                .unwrap_or(&Value::Null),
            match v.status {
                StatusOutcome::Valid { .. } => "VALID",
                _ => "?",
            }
        ),
        Err(e) => return Err(rejected(anyhow!("a valid credential was refused: {e}"))),
    }
    timed("the authority revokes entry 48213 and republishes", || {
        list.set(STATUS_INDEX, Status::Invalid).map_err(rejected)
    })?;
    let revoked = publish(&list, now + 1)?;
    match check(&revoked)? {
        Err(e @ sdjwt_vc::Error::Revoked { .. }) => {
            println!("  the employer's next check: refused ({e})");
        }
        Err(e) => return Err(rejected(anyhow!("expected a revocation, got: {e}"))),
        Ok(_) => return Err(rejected(anyhow!("a revoked credential was accepted"))),
    }
    Ok(())
}
