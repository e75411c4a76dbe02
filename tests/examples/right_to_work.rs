//! The right-to-work story, end to end, with freshly generated keys:
//!
//! 1. an identity authority issues a rich identity credential to a person's wallet;
//! 2. the wallet accepts it (checking the authority's signature and every Disclosure);
//! 3. an employer asks for proof of the right to work with a fresh nonce; the wallet discloses
//!    `right_to_work` and nothing else, bound to the holder's key;
//! 4. the employer verifies offline and learns exactly one claim;
//! 5. a replay of the same presentation to a second employer, and a presentation with a
//!    tampered Disclosure, are both refused.
//!
//! Run with `cargo run --release --example right_to_work`.

use std::error::Error;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use sdjwt_aws_lc::DEFAULT_PROVIDER as PROVIDER;
use sdjwt_core::ClaimPath;
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_issuer::SdJwtBuilder;
use sdjwt_jose::{JwsAlgorithm, base64url};
use sdjwt_verifier::{KeyBinding, Policy, StaticKeys, Verifier};
use serde_json::{Value, json};

const AUTHORITY: &str = "https://identity.gov.example";

fn step<T>(
    label: &str,
    f: impl FnOnce() -> Result<T, Box<dyn Error>>,
) -> Result<T, Box<dyn Error>> {
    let start = Instant::now();
    let out = f()?;
    println!(
        "  {label:<52} {:>9.1} µs",
        start.elapsed().as_secs_f64() * 1e6
    );
    Ok(out)
}

fn nonce() -> Result<String, Box<dyn Error>> {
    let mut bytes = [0u8; 16];
    PROVIDER.fill_random(&mut bytes)?;
    Ok(base64url::encode(bytes))
}

fn main() -> Result<(), Box<dyn Error>> {
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs())?;
    println!(
        "sdjwt right-to-work demo (RFC 9901 SD-JWT, provider {})\n",
        PROVIDER.name
    );

    println!("Keys");
    let authority_key = step("identity authority generates an ES256 key", || {
        Ok(PROVIDER.generate_key(JwsAlgorithm::Es256)?)
    })?;
    let holder_key = step("wallet generates an EdDSA holder key", || {
        Ok(PROVIDER.generate_key(JwsAlgorithm::EdDsa)?)
    })?;

    let claims = json!({
        "given_name": "Amara",
        "family_name": "Okafor",
        "birthdate": "1990-04-12",
        "nationality": "NG",
        "address": {"street_address": "12 Harbour Road", "locality": "Leeds", "postal_code": "LS1 4AB", "country": "GB"},
        "national_insurance_number": "QQ123456C",
        "immigration_status": "settled",
        "right_to_work": true,
        "nationalities": ["NG", "GB"]
    });
    let disclosable = [
        "/given_name",
        "/family_name",
        "/birthdate",
        "/nationality",
        "/address",
        "/address/street_address",
        "/address/locality",
        "/address/postal_code",
        "/address/country",
        "/national_insurance_number",
        "/immigration_status",
        "/right_to_work",
        "/nationalities",
        "/nationalities/0",
        "/nationalities/1",
    ];

    println!("\n1. Issuance");
    let issued = step("authority issues the identity credential", || {
        let mut builder = SdJwtBuilder::new(claims.as_object().cloned().unwrap_or_default())
            .issuer(AUTHORITY)
            .issued_at(now)
            .expires_at(now + 365 * 86_400)
            .typ("example+sd-jwt")
            .holder_key(&holder_key.to_public());
        for p in disclosable {
            builder = builder.disclose(ClaimPath::resolve_pointer(p, &claims)?);
        }
        let signer = PROVIDER.signer(&authority_key, JwsAlgorithm::Es256)?;
        Ok(builder.prepare(&PROVIDER)?.sign(&*signer)?.to_compact())
    })?;
    println!(
        "  credential: {} bytes, {} Disclosures",
        issued.len(),
        issued.matches('~').count() - 1
    );

    println!("\n2. The wallet accepts it");
    let credential = step("wallet checks signature and Disclosures (§7.2)", || {
        Ok(Credential::accept(
            &issued,
            &PROVIDER,
            &[authority_key.to_public()],
            &AcceptOptions::new(now),
        )?)
    })?;

    println!("\n3. Employer A asks for the right to work");
    let employer_a = "https://employer-a.example";
    let nonce_a = nonce()?;
    let presentation = step("wallet discloses /right_to_work with a KB-JWT", || {
        let path = credential.pointer("/right_to_work")?;
        let signer = PROVIDER.signer(&holder_key, JwsAlgorithm::EdDsa)?;
        let kb = KeyBindingRequest {
            signer: &*signer,
            audience: employer_a,
            nonce: &nonce_a,
            issued_at: now,
        };
        Ok(credential
            .present(&[path], Some(&kb), &PROVIDER)?
            .to_compact())
    })?;
    println!(
        "  presentation: {} bytes, {} Disclosure(s)",
        presentation.len(),
        presentation.matches('~').count() - 1
    );

    println!("\n4. Employer A verifies offline");
    let trusted = StaticKeys::new().with_issuer_key(AUTHORITY, &authority_key.to_public());
    let verifier = Verifier::new(&PROVIDER, &trusted);
    let policy_a = Policy::new(KeyBinding::required(employer_a, nonce_a.clone()))
        .with_required_claims(["exp"]);
    let verified = step(
        "employer verifies signature, Disclosures and KB-JWT",
        || Ok(verifier.verify(&presentation, &policy_a, now)?),
    )?;
    let personal: Vec<(&String, &Value)> = verified
        .claims()
        .iter()
        .filter(|(k, _)| !["iss", "iat", "exp", "cnf"].contains(&k.as_str()))
        .collect();
    println!("  employer learned:");
    for (k, v) in &personal {
        println!("    {k} = {v}");
    }
    println!(
        "  issued by {} ; bound to the holder's key: {}",
        verified.issuer().unwrap_or("?"),
        verified.key_bound()
    );
    println!(
        "  stayed hidden: {} of {} Disclosures were withheld; {} digests in the signed payload stayed undisclosed (claims and decoys alike)",
        credential.sd_jwt().disclosures().len() - verified.disclosed().len(),
        credential.sd_jwt().disclosures().len(),
        verified.undisclosed_digests()
    );

    println!("\n5. Attacks");
    let policy_b = Policy::new(KeyBinding::required("https://employer-b.example", nonce()?));
    match verifier.verify(&presentation, &policy_b, now) {
        Err(e) => println!("  replay to employer B refused: {e}"),
        Ok(_) => return Err("replay was accepted".into()),
    }
    let mut parts: Vec<String> = presentation.split('~').map(str::to_owned).collect();
    let tampered_disclosure = base64url::encode(json!(["salt", "right_to_work", true]).to_string());
    parts[1] = tampered_disclosure;
    match verifier.verify(&parts.join("~"), &policy_a, now) {
        Err(e) => println!("  tampered disclosure refused: {e}"),
        Ok(_) => return Err("tampered presentation was accepted".into()),
    }
    Ok(())
}
