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
        b.prepare(&PROVIDER)
            .map_err(rejected)?
            .sign_compact(&*signer)
            .map_err(rejected)
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
    privacy_act(a, &authority, now)?;
    println!(
        "\nDone: the employer learned one claim, could check it offline, could not reuse it, and \
         saw the revocation as soon as the status list was republished; the wallet answered only \
         the verifier its policy allows, and no two of its presentations share a linking value."
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
            prepared.sign_compact(&*signer).map_err(rejected)
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

/// The employer's DCQL query (OpenID4VP 1.0 §6): one SD-JWT VC of the right-to-work type, and
/// only its `right_to_work` claim, which must be `true`.
const EMPLOYER_QUERY: &str = r#"{"credentials": [{
    "id": "right_to_work", "format": "dc+sd-jwt",
    "meta": {"vct_values": ["https://credentials.gov.example/right-to-work"]},
    "claims": [{"path": ["right_to_work"], "values": [true]}]
}]}"#;

/// A second verifier asks for far more than a right-to-work check needs.
const NOSY_QUERY: &str = r#"{"credentials": [{
    "id": "everything", "format": "dc+sd-jwt",
    "meta": {"vct_values": ["https://credentials.gov.example/right-to-work"]},
    "claims": [{"path": ["right_to_work"]}, {"path": ["given_name"]}, {"path": ["family_name"]}]
}]}"#;

const NOSY_VERIFIER: &str = "https://recruitment-ads.example";

/// The holder's disclosure policy: employers are registered for the right-to-work purpose;
/// the advertising site is registered too, but only to learn that someone may work.
const WALLET_POLICY: &str = r#"
[purposes.right_to_work]
description = "Right-to-work check by an employer"
credential_types = ["https://credentials.gov.example/right-to-work"]
claims = [["right_to_work"]]

[[verifiers]]
id = "https://employer-a.example"
name = "Employer A"
purposes = ["right_to_work"]

[[verifiers]]
id = "https://employer-b.example"
name = "Employer B"
purposes = ["right_to_work"]

[[verifiers]]
id = "https://recruitment-ads.example"
name = "Recruitment ads"
purposes = ["right_to_work"]
"#;

/// Act 7: batch issuance, a DCQL query answered under the holder's disclosure policy, a
/// verifier over-asking and refused, and the privacy report of what the employer received.
fn privacy_act(a: &DemoArgs, authority: &Jwk, now: i64) -> Outcome {
    use sdjwt_holder::dcql::{DcqlError, DcqlQuery, MatchOptions};
    use sdjwt_holder::policy::Policy as DisclosurePolicy;
    use sdjwt_holder::privacy::{self, ReportOptions};
    use sdjwt_vc::batch::{BatchIssuance, DAY, StatusIndexAllocator};

    println!("\n7. Privacy by design: a batch of credentials, a DCQL query, a disclosure policy");
    const BATCH: usize = 3;
    let keys = (0..BATCH)
        .map(|_| PROVIDER.generate_key(a.holder_alg).map_err(rejected))
        .collect::<Result<Vec<Jwk>, Failure>>()?;
    let public: Vec<Jwk> = keys.iter().map(Jwk::to_public).collect();
    let signer = PROVIDER.signer(authority, a.issuer_alg).map_err(rejected)?;
    let batch = timed(
        "issue 3 credentials, 3 holder keys, random status entries",
        || {
            let claims =
                json!({"right_to_work": true, "given_name": "Amara", "family_name": "Okafor"});
            let mut template = VcBuilder::new(RIGHT_TO_WORK_VCT, object(claims)?)
                .issuer(AUTHORITY)
                .issued_at(now)
                .expires_at(now + 365 * 86_400);
            for name in ["right_to_work", "given_name", "family_name"] {
                template = template
                    .disclose(ClaimPath::root().key(ClaimName::new(name).map_err(rejected)?));
            }
            let mut allocator = StatusIndexAllocator::new(100_000);
            let indices = allocator.allocate(BATCH, &PROVIDER).map_err(rejected)?;
            BatchIssuance::new(template)
                .time_granularity(DAY)
                .status(STATUS_URI, indices)
                .issue(&public, &PROVIDER, &*signer)
                .map_err(rejected)
        },
    )?;
    let held = batch
        .iter()
        .map(|c| {
            Credential::accept(
                &c.to_compact(),
                &PROVIDER,
                &[authority.to_public()],
                &AcceptOptions::new(now),
            )
            .map_err(rejected)
        })
        .collect::<Result<Vec<Credential>, Failure>>()?;
    for c in &held {
        let status = c
            .claims()
            .get("status")
            .and_then(|s| s.pointer("/status_list/idx"));
        println!(
            "  credential: iat {} (rounded to the day), status entry {}",
            c.claims().get("iat").unwrap_or(&Value::Null),
            status.unwrap_or(&Value::Null)
        );
    }
    let policy = DisclosurePolicy::from_toml_str(WALLET_POLICY).map_err(rejected)?;
    let refs: Vec<&Credential> = held.iter().collect();
    let options = MatchOptions::new();

    println!("\n  Employer A asks through DCQL for right_to_work = true");
    let query = DcqlQuery::parse(EMPLOYER_QUERY).map_err(rejected)?;
    let signers = keys
        .iter()
        .map(|k| PROVIDER.signer(k, a.holder_alg).map_err(rejected))
        .collect::<Result<Vec<_>, Failure>>()?;
    let trusted = StaticKeys::new().with_issuer_key(AUTHORITY, &authority.to_public());
    // The wallet answers from the credentials it has not used yet (`first`..), and the verifier
    // checks the presentation in the VP Token.
    let answer = |first: usize, verifier: &str| -> Result<String, Failure> {
        let unused = refs.get(first..).unwrap_or_default();
        let nonce = fresh_nonce()?;
        let vp_token = timed(
            "wallet checks its policy, picks the fewest disclosures",
            || {
                let selection = query
                    .select_with_policy(unused, &options, &policy, verifier)
                    .map_err(rejected)?;
                selection
                    .present(unused, &PROVIDER, |i| {
                        signers.get(first + i).map(|s| KeyBindingRequest {
                            signer: &**s,
                            audience: verifier,
                            nonce: &nonce,
                            issued_at: now,
                        })
                    })
                    .map_err(rejected)
            },
        )?;
        let presentation = vp_token
            .get("right_to_work")
            .and_then(|v| v.get(0))
            .and_then(Value::as_str)
            .ok_or_else(|| rejected(anyhow!("the VP Token has no right_to_work presentation")))?
            .to_owned();
        let expected = Policy::new(KeyBinding::required(verifier, nonce.clone()));
        let verified = timed("the verifier checks the VP Token's presentation", || {
            Verifier::new(&PROVIDER, &trusted)
                .verify(&presentation, &expected, now)
                .map_err(rejected)
        })?;
        println!(
            "  accepted: right_to_work = {}, {} disclosure sent",
            verified
                .claims()
                .get("right_to_work")
                .unwrap_or(&Value::Null),
            verified.disclosed().len()
        );
        Ok(presentation)
    };
    let presentation = answer(0, EMPLOYER_A)?;

    println!("\n  A recruitment-ads site asks for right_to_work, given_name and family_name");
    let nosy = DcqlQuery::parse(NOSY_QUERY).map_err(rejected)?;
    match nosy.select_with_policy(&refs, &options, &policy, NOSY_VERIFIER) {
        Err(DcqlError::Refused(refusal)) => {
            println!("  the wallet refuses, and tells its holder why:");
            for line in refusal.to_string().lines() {
                println!("    {line}");
            }
        }
        Err(e) => return Err(rejected(anyhow!("expected a policy refusal, got: {e}"))),
        Ok(_) => {
            return Err(rejected(anyhow!(
                "the wallet answered an over-asking query"
            )));
        }
    }

    println!("\n  The privacy report of the presentation employer A received:");
    let parsed = crate::roles::parse_unverified(&presentation)?;
    let report = privacy::report(&parsed, &PROVIDER, &ReportOptions::new()).map_err(rejected)?;
    for line in report.to_string().lines() {
        println!("    {line}");
    }

    println!("\n  Employer B asks the same; the wallet uses the next credential of the batch");
    let second = answer(1, EMPLOYER_B)?;
    let second_report = privacy::report(
        &crate::roles::parse_unverified(&second)?,
        &PROVIDER,
        &ReportOptions::new(),
    )
    .map_err(rejected)?;
    let shared = report
        .linkers
        .iter()
        .filter(|l| second_report.linkers.iter().any(|m| m.value == l.value))
        .count();
    println!(
        "  linkable values the two presentations share: {shared} of {} (holder key, signature, \
         salts and status entry all differ)",
        report.linkers.len()
    );
    if shared != 0 {
        return Err(rejected(anyhow!(
            "two presentations from one batch share a linkable value"
        )));
    }
    Ok(())
}
