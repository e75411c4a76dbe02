//! The workload every pipeline benchmark shares: a UK-style identity record padded with
//! synthetic claims, fixed keys, fixed times, and our issuer, holder and verifier set up once
//! per provider and size.

use sdjwt_core::{ClaimName, ClaimPath, UnixTime};
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_issuer::{Decoys, SdJwtBuilder};
use sdjwt_jose::{CryptoProvider, Jwk, JwsAlgorithm, JwsSigner};
use sdjwt_verifier::{KeyBinding, Policy, StaticKeys, VerifiedPresentation, Verifier};
use serde_json::{Map, Value, json};

use crate::BoxError;

/// The issuer identifier (`iss`).
pub const ISS: &str = "https://identity.example.gov.uk";
/// The verifier's identifier: the KB-JWT `aud`.
pub const AUD: &str = "https://employer.example.co.uk";
/// The verifier's nonce.
pub const NONCE: &str = "n-0S6_WzA2Mj";
/// `iat` of the SD-JWT and of every KB-JWT we make.
pub const IAT: UnixTime = 1_700_000_000;
/// `exp` of the SD-JWT: 2100-01-01, because sd-jwt-rs checks `exp` against the system clock and
/// requires it.
pub const EXP: UnixTime = 4_102_444_800;
/// "Now" for our verifier: inside the KB-JWT's five-minute window.
pub const NOW: UnixTime = IAT + 100;
/// The numbers of selectively disclosable claims the pipeline benchmarks run at.
pub const SIZES: [usize; 4] = [10, 50, 200, 1000];
/// The one claim every presentation reveals.
pub const REVEALED: &str = "given_name";

/// The issuer's P-256 key as a private JWK (the key of the sd-jwt-rs interop tests).
pub const ISSUER_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"UwOeBtIPdLqd8Wh8BFYMm_SVNgLBpx-INKdSAbwwhVc","y":"6IEdnStQ_b4mXEiSUpQyPb6U_wPBQlkc23j_nE2ujkk","d":"Wa3sI0FrZQWDSI2doulIeXKhRQabwn2NhsbGz7MNLI4"}"#;
/// The same issuer key in PKCS#8 PEM (sd-jwt-rs signs with `EncodingKey::from_ec_pem`).
pub const ISSUER_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWa3sI0FrZQWDSI2d
oulIeXKhRQabwn2NhsbGz7MNLI6hRANCAARTA54G0g90up3xaHwEVgyb9JU2AsGn
H4g0p1IBvDCFV+iBHZ0rUP2+JlxIklKUMj2+lP8DwUJZHNt4/5xNro5J
-----END PRIVATE KEY-----
";
/// The issuer's public key in SPKI PEM (sd-jwt-rs verifies with `DecodingKey::from_ec_pem`).
pub const ISSUER_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEUwOeBtIPdLqd8Wh8BFYMm/SVNgLB
px+INKdSAbwwhVfogR2dK1D9viZcSJJSlDI9vpT/A8FCWRzbeP+cTa6OSQ==
-----END PUBLIC KEY-----
";
/// The holder's P-256 key as a private JWK.
pub const HOLDER_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"I7uZI0vJN25oHTTXTYet1vE1g524s3Z02AFYBRrxyN0","y":"T2lMNBaufP4WUvCgB6RmXmL6O_6eV04vsAJaxGz9SiM","d":"m3Ov30lB1zv1YqqAnksO2ip9GXUfGwVkaTdFWh3z6z4"}"#;
/// The same holder key in PKCS#8 PEM (sd-jwt-rs signs KB-JWTs with it).
pub const HOLDER_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgm3Ov30lB1zv1YqqA
nksO2ip9GXUfGwVkaTdFWh3z6z6hRANCAAQju5kjS8k3bmgdNNdNh63W8TWDnbiz
dnTYAVgFGvHI3U9pTDQWrnz+FlLwoAekZl5i+jv+nldOL7ACWsRs/Uoj
-----END PRIVATE KEY-----
";

/// The issuer's private key.
///
/// # Errors
///
/// Never in practice: the constant is a valid JWK.
pub fn issuer_key() -> Result<Jwk, BoxError> {
    Ok(Jwk::from_json_str(ISSUER_JWK)?)
}

/// The holder's private key.
///
/// # Errors
///
/// Never in practice: the constant is a valid JWK.
pub fn holder_key() -> Result<Jwk, BoxError> {
    Ok(Jwk::from_json_str(HOLDER_JWK)?)
}

/// A UK-style identity record with exactly `n` top-level claims: ten real-looking ones (names,
/// birth, nationality, a structured address, National Insurance and driving licence numbers,
/// e-mail, right to work) and then `claim_0010`, `claim_0011`, ... with short string values.
///
/// Every claim is meant to be selectively disclosable, so each Disclosure is 60 to 90 bytes of
/// base64url, like a real one.
pub fn record(n: usize) -> Map<String, Value> {
    let base = json!({
        "given_name": "Ada",
        "family_name": "Lovelace",
        "birthdate": "1990-12-10",
        "place_of_birth": "London",
        "nationality": "GB",
        "address": {
            "street_address": "10 Downing Street",
            "locality": "London",
            "postal_code": "SW1A 2AA",
            "country": "GB"
        },
        "national_insurance_number": "QQ123456C",
        "driving_licence_number": "LOVEL912100A99XY",
        "email": "ada@example.co.uk",
        "right_to_work": true
    });
    let mut claims: Map<String, Value> = match base {
        Value::Object(m) => m.into_iter().take(n).collect(),
        _ => Map::new(),
    };
    for i in claims.len()..n {
        claims.insert(
            format!("claim_{i:04}"),
            Value::String(format!("synthetic value {i:04}")),
        );
    }
    claims
}

/// The path of every top-level claim of `claims`, in order: what the issuer makes disclosable.
///
/// # Errors
///
/// A claim name that is not a valid claim name (never for [`record`]).
pub fn top_level_paths(claims: &Map<String, Value>) -> Result<Vec<ClaimPath>, BoxError> {
    claims
        .keys()
        .map(|name| Ok(ClaimPath::root().key(ClaimName::new(name.clone())?)))
        .collect()
}

/// Our issuer, holder and verifier for one provider and one size, with everything that is not
/// being measured (keys parsed into signers, the credential accepted, the verifier's keys and
/// policy) done once.
pub struct Pipeline {
    /// The crypto provider every role uses.
    pub provider: CryptoProvider,
    /// The number of selectively disclosable claims.
    pub n: usize,
    /// The claims to issue ([`record`] of `n`).
    pub claims: Map<String, Value>,
    /// Every top-level claim path: all are made disclosable.
    pub paths: Vec<ClaimPath>,
    /// The issuer's ES256 signer.
    pub issuer_signer: Box<dyn JwsSigner>,
    /// The holder's ES256 signer (for KB-JWTs).
    pub holder_signer: Box<dyn JwsSigner>,
    /// The holder's public key, for `cnf.jwk`.
    pub holder_public: Jwk,
    /// The issued SD-JWT, compact.
    pub issued: String,
    /// The holder's accepted credential.
    pub credential: Credential,
    /// The path of the claim every presentation reveals.
    pub revealed: ClaimPath,
    /// A presentation revealing [`REVEALED`], with a KB-JWT, compact.
    pub presentation: String,
    /// The verifier's trusted issuer key.
    pub keys: StaticKeys,
    /// The verifier's policy: key binding required for [`AUD`] and [`NONCE`].
    pub policy: Policy,
}

impl Pipeline {
    /// Sets up issuer, holder and verifier for `n` claims with `provider`, and runs the pipeline
    /// once (issue, accept, present, verify) to make the artefacts the benchmarks start from.
    ///
    /// # Errors
    ///
    /// Any failure of the pipeline.
    pub fn new(provider: CryptoProvider, n: usize) -> Result<Self, BoxError> {
        let issuer_key = issuer_key()?;
        let holder_key = holder_key()?;
        let claims = record(n);
        let paths = top_level_paths(&claims)?;
        let issuer_signer = provider.signer(&issuer_key, JwsAlgorithm::Es256)?;
        let holder_signer = provider.signer(&holder_key, JwsAlgorithm::Es256)?;
        let holder_public = holder_key.to_public();
        let issued = issue(
            &provider,
            issuer_signer.as_ref(),
            &holder_public,
            &claims,
            &paths,
        )?;
        let credential = Credential::accept(
            &issued,
            &provider,
            &[issuer_key.to_public()],
            &AcceptOptions::new(NOW),
        )?;
        let revealed = ClaimPath::root().key(ClaimName::new(REVEALED)?);
        let presentation = present(&provider, &credential, holder_signer.as_ref(), &revealed)?;
        let pipeline = Self {
            provider,
            n,
            claims,
            paths,
            issuer_signer,
            holder_signer,
            holder_public,
            issued,
            credential,
            revealed,
            presentation,
            keys: StaticKeys::new().with_issuer_key(ISS, &issuer_key),
            policy: Policy::new(KeyBinding::required(AUD, NONCE)),
        };
        let verified = pipeline.verify(&pipeline.presentation)?;
        if verified.claims().get(REVEALED).is_none()
            || verified.disclosed().len() != 1
            || !verified.key_bound()
        {
            return Err("the presentation does not reveal exactly the one claim".into());
        }
        Ok(pipeline)
    }

    /// Issues [`Pipeline::claims`] with every path in [`Pipeline::paths`] disclosable, no
    /// decoys, `cnf` set to the holder key, signed with ES256, straight to the compact
    /// serialization ([`sdjwt_issuer::PreparedSdJwt::sign_compact`]: an issuer hands out text,
    /// as sd-jwt-rs's `issue_sd_jwt` does). The claims and paths are borrowed
    /// ([`SdJwtBuilder::borrowing`], [`SdJwtBuilder::disclose_each`]), as an issuing service
    /// that keeps the record and its list of disclosable paths would.
    ///
    /// # Errors
    ///
    /// Issuer errors.
    pub fn issue(&self) -> Result<String, sdjwt_issuer::Error> {
        issue(
            &self.provider,
            self.issuer_signer.as_ref(),
            &self.holder_public,
            &self.claims,
            &self.paths,
        )
    }

    /// Presents the accepted credential revealing [`REVEALED`], with a KB-JWT for [`AUD`] and
    /// [`NONCE`], serialized compact.
    ///
    /// # Errors
    ///
    /// Holder errors.
    pub fn present(&self) -> Result<String, sdjwt_holder::Error> {
        present(
            &self.provider,
            &self.credential,
            self.holder_signer.as_ref(),
            &self.revealed,
        )
    }

    /// Verifies `presentation` with the pipeline's keys and policy at [`NOW`].
    ///
    /// # Errors
    ///
    /// Verifier errors.
    pub fn verify(
        &self,
        presentation: &str,
    ) -> Result<VerifiedPresentation, sdjwt_verifier::Error> {
        Verifier::new(&self.provider, &self.keys).verify(presentation, &self.policy, NOW)
    }
}

/// See [`Pipeline::issue`].
fn issue(
    provider: &CryptoProvider,
    signer: &dyn JwsSigner,
    holder_public: &Jwk,
    claims: &Map<String, Value>,
    paths: &[ClaimPath],
) -> Result<String, sdjwt_issuer::Error> {
    SdJwtBuilder::borrowing(claims)
        .issuer(ISS)
        .issued_at(IAT)
        .expires_at(EXP)
        .disclose_each(paths)
        .decoys(Decoys::None)
        .holder_key(holder_public)
        .prepare(provider)?
        .sign_compact(signer)
}

/// See [`Pipeline::present`].
fn present(
    provider: &CryptoProvider,
    credential: &Credential,
    signer: &dyn JwsSigner,
    revealed: &ClaimPath,
) -> Result<String, sdjwt_holder::Error> {
    let request = KeyBindingRequest {
        signer,
        audience: AUD,
        nonce: NONCE,
        issued_at: IAT,
    };
    Ok(credential
        .present(std::slice::from_ref(revealed), Some(&request), provider)?
        .to_compact())
}
