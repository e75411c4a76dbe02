//! The Holder role of RFC 9901: accept an SD-JWT from an Issuer (§7.2), keep it, and present
//! chosen claims to a Verifier with a Key Binding JWT (§4.3).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
//! # use sdjwt_jose::JwsAlgorithm;
//! # let issuer_key = provider.generate_key(JwsAlgorithm::Es256)?;
//! # let holder_key = provider.generate_key(JwsAlgorithm::Es256)?;
//! # let claims = serde_json::json!({"name": "Ada", "right_to_work": true});
//! # let claims = claims.as_object().cloned().unwrap_or_default();
//! # let doc = serde_json::Value::Object(claims.clone());
//! # let issued = sdjwt_issuer::SdJwtBuilder::new(claims)
//! #     .disclose(sdjwt_core::ClaimPath::resolve_pointer("/name", &doc)?)
//! #     .disclose(sdjwt_core::ClaimPath::resolve_pointer("/right_to_work", &doc)?)
//! #     .holder_key(&holder_key.to_public())
//! #     .prepare(&provider)?
//! #     .sign(&*provider.signer(&issuer_key, JwsAlgorithm::Es256)?)?
//! #     .to_compact();
//! use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
//!
//! let credential = Credential::accept(&issued, &provider, &[issuer_key.to_public()], &AcceptOptions::new(1_700_000_000))?;
//! let wanted = credential.pointer("/right_to_work")?;
//! let signer = provider.signer(&holder_key, JwsAlgorithm::Es256)?;
//! let presentation = credential.present(
//!     &[wanted],
//!     Some(&KeyBindingRequest { signer: &*signer, audience: "https://employer.example", nonce: "n-0S6_WzA2Mj", issued_at: 1_700_000_100 }),
//!     &provider,
//! )?;
//! assert_eq!(presentation.disclosures().len(), 1);
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod dcql;
pub mod policy;
pub mod privacy;

use core::fmt;

use sdjwt_core::{
    ClaimPath, DisclosedClaim, KbClaims, KeyBindingJwt, Limits, ProcessedPayload, SdJwt, UnixTime,
};
use sdjwt_jose::{CryptoProvider, Jwk, JwsSigner};
use serde_json::{Map, Value};

/// Why a credential was refused or a presentation could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A failure from the core data model or the JOSE layer (including
    /// [`sdjwt_jose::Error::InvalidSignature`]).
    Core(sdjwt_core::Error),
    /// No given issuer key fits this issuer signature (by algorithm and `kid`).
    NoIssuerKey {
        /// Zero-based index of the signature.
        signature: usize,
    },
    /// The key-binding signer's public key is not the one in the credential's `cnf.jwk`.
    HolderKeyMismatch,
    /// A Disclosure index past the end of the credential's Disclosures.
    NoSuchDisclosure {
        /// The index asked for.
        index: usize,
        /// How many Disclosures the credential has.
        count: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Core(e) => e.fmt(f),
            Self::NoIssuerKey { signature } => write!(f, "no issuer key for signature {signature}"),
            Self::HolderKeyMismatch => {
                f.write_str("key binding: signer key is not the credential's cnf key")
            }
            Self::NoSuchDisclosure { index, count } => {
                write!(f, "no disclosure {index}: the credential has {count}")
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<sdjwt_core::Error> for Error {
    fn from(e: sdjwt_core::Error) -> Self {
        Self::Core(e)
    }
}

impl From<sdjwt_jose::Error> for Error {
    fn from(e: sdjwt_jose::Error) -> Self {
        Self::Core(e.into())
    }
}

/// How to check a credential on receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AcceptOptions {
    /// The current time.
    pub now: UnixTime,
    /// Allowed clock skew in seconds for `exp`, `nbf` and `iat` (default 60).
    pub leeway: u64,
    /// Parsing and processing limits.
    pub limits: Limits,
}

impl AcceptOptions {
    /// Options for checking at time `now`, with default leeway and limits.
    pub fn new(now: UnixTime) -> Self {
        Self {
            now,
            leeway: 60,
            limits: Limits::DEFAULT,
        }
    }

    /// Sets the clock-skew allowance.
    #[must_use]
    pub fn with_leeway(mut self, leeway: u64) -> Self {
        self.leeway = leeway;
        self
    }

    /// Sets the limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

/// What the Holder needs to make a Key Binding JWT.
pub struct KeyBindingRequest<'a> {
    /// The holder's signer; its public key must be the credential's `cnf.jwk`. Its algorithm
    /// may differ from the Issuer's.
    pub signer: &'a dyn JwsSigner,
    /// The Verifier's identifier, for `aud`.
    pub audience: &'a str,
    /// The Verifier's nonce.
    pub nonce: &'a str,
    /// The time to put in `iat`.
    pub issued_at: UnixTime,
}

impl fmt::Debug for KeyBindingRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyBindingRequest")
            .field("alg", &self.signer.algorithm())
            .field("audience", &self.audience)
            .field("nonce", &self.nonce)
            .field("issued_at", &self.issued_at)
            .finish()
    }
}

/// An SD-JWT the Holder has accepted: its issuer signatures verified and its Disclosures checked
/// as RFC 9901 §7.2 requires.
#[derive(Clone, Debug)]
pub struct Credential {
    sd_jwt: SdJwt,
    processed: ProcessedPayload,
}

impl Credential {
    /// Accepts an SD-JWT (compact or JSON) received from an Issuer (RFC 9901 §7.2):
    ///
    /// 1. it must not carry a Key Binding JWT;
    /// 2. every issuer signature must verify with one of `issuer_keys` (matched by algorithm
    ///    and, when both have one, `kid`): a credential with a broken co-signature is refused;
    /// 3. the Disclosures must pass §7.1 processing;
    /// 4. `exp`, `nbf` and `iat` must hold at `options.now`.
    ///
    /// # Errors
    ///
    /// [`sdjwt_core::Error::UnexpectedKeyBinding`], [`Error::NoIssuerKey`], signature and
    /// processing errors.
    pub fn accept(
        text: &str,
        provider: &CryptoProvider,
        issuer_keys: &[Jwk],
        options: &AcceptOptions,
    ) -> Result<Self, Error> {
        Self::load(text, provider, Some(issuer_keys), options)
    }

    /// Loads a credential that was accepted earlier (for example from the wallet's own
    /// storage) without checking the issuer signature again. The Disclosures are still checked
    /// (§7.1 steps 3 to 5) and the validity claims are still enforced.
    ///
    /// **Only for input the holder already trusts.** A credential from anywhere else must go
    /// through [`Credential::accept`].
    ///
    /// # Errors
    ///
    /// As [`Credential::accept`], less the signature errors.
    pub fn from_trusted_storage(
        text: &str,
        provider: &CryptoProvider,
        options: &AcceptOptions,
    ) -> Result<Self, Error> {
        Self::load(text, provider, None, options)
    }

    /// RFC 9901 §7.2 on receipt; the issuer signatures are checked when `issuer_keys` is given.
    fn load(
        text: &str,
        provider: &CryptoProvider,
        issuer_keys: Option<&[Jwk]>,
        options: &AcceptOptions,
    ) -> Result<Self, Error> {
        let sd_jwt = SdJwt::parse(text, &options.limits)?;
        if sd_jwt.key_binding().is_some() {
            return Err(sdjwt_core::Error::UnexpectedKeyBinding.into());
        }
        if let Some(keys) = issuer_keys {
            verify_issuer(&sd_jwt, provider, keys)?;
        }
        let processed = sd_jwt.process(provider, &options.limits)?;
        sdjwt_core::time::check_validity(&processed.claims, options.now, options.leeway)?;
        Ok(Self { sd_jwt, processed })
    }

    /// The SD-JWT as issued.
    pub fn sd_jwt(&self) -> &SdJwt {
        &self.sd_jwt
    }

    /// Every claim, with all Disclosures applied (what the Holder may choose from).
    pub fn claims(&self) -> &Map<String, Value> {
        &self.processed.claims
    }

    /// Where each Disclosure sits in [`Credential::claims`].
    pub fn disclosed(&self) -> &[DisclosedClaim] {
        &self.processed.disclosed
    }

    /// Resolves an RFC 6901 JSON pointer against the fully disclosed claims.
    ///
    /// # Errors
    ///
    /// [`sdjwt_core::Error::InvalidPointer`] and [`sdjwt_core::Error::PathNotFound`].
    pub fn pointer(&self, pointer: &str) -> Result<ClaimPath, Error> {
        Ok(ClaimPath::resolve_pointer_in(
            pointer,
            &self.processed.claims,
        )?)
    }

    /// The indices (into [`SdJwt::disclosures`]) of the Disclosures needed to reveal `paths`:
    /// for each path, the Disclosures of its disclosable ancestors, its own, and those of
    /// everything beneath it.
    ///
    /// # Errors
    ///
    /// [`sdjwt_core::Error::PathNotFound`] for a path that names nothing.
    pub fn select(&self, paths: &[ClaimPath]) -> Result<Vec<usize>, Error> {
        if let Some(missing) = paths.iter().find(|p| !p.exists_in(&self.processed.claims)) {
            return Err(sdjwt_core::Error::PathNotFound {
                path: missing.to_string(),
            }
            .into());
        }
        Ok(self.disclosures_for(paths))
    }

    /// [`Credential::select`] for paths already known to name claims of this credential (as
    /// DCQL pointer processing yields them): ascending Disclosure indices.
    pub(crate) fn disclosures_for<'p>(
        &self,
        paths: impl IntoIterator<Item = &'p ClaimPath>,
    ) -> Vec<usize> {
        let mut chosen = vec![false; self.sd_jwt.disclosures().len()];
        for path in paths {
            for d in &self.processed.disclosed {
                // Beneath (or at) the path, or an ancestor on the way to it.
                if (d.path.starts_with(path) || path.starts_with(&d.path))
                    && let Some(c) = chosen.get_mut(d.disclosure)
                {
                    *c = true;
                }
            }
        }
        chosen
            .iter()
            .enumerate()
            .filter(|(_, c)| **c)
            .map(|(i, _)| i)
            .collect()
    }

    /// Builds a presentation revealing `paths` (see [`Credential::select`]), with a Key
    /// Binding JWT when `key_binding` is given. The result keeps the credential's
    /// serialization; use [`SdJwt::to_compact`] or [`SdJwt::to_json`] to choose.
    ///
    /// `sd_hash` covers the presentation exactly as [`SdJwt::sd_jwt_compact`] writes it
    /// (RFC 9901 §4.3.1; for the JSON serialization, §8.1).
    ///
    /// # Errors
    ///
    /// [`Error::HolderKeyMismatch`] when the signer's public key is known and is not `cnf.jwk`;
    /// [`sdjwt_core::Error::MissingHolderKey`] when key binding is asked for but the credential
    /// has no `cnf.jwk`; path and signing errors.
    pub fn present(
        &self,
        paths: &[ClaimPath],
        key_binding: Option<&KeyBindingRequest<'_>>,
        provider: &CryptoProvider,
    ) -> Result<SdJwt, Error> {
        let indices = self.select(paths)?;
        self.present_disclosures(&indices, key_binding, provider)
    }

    /// Builds a presentation with exactly the Disclosures at `indices` (into
    /// [`SdJwt::disclosures`], as [`Credential::select`] returns them), in credential order,
    /// with a Key Binding JWT when `key_binding` is given.
    ///
    /// This is the building block under [`Credential::present`] for callers with their own
    /// selection rules (a query language, another tool's test-case format). Nothing adds the
    /// Disclosures of ancestors: leaving one out makes a presentation whose orphaned
    /// Disclosures a verifier rejects (RFC 9901 §7.1 step 5).
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchDisclosure`] for an index past the end; otherwise as
    /// [`Credential::present`].
    pub fn present_disclosures(
        &self,
        indices: &[usize],
        key_binding: Option<&KeyBindingRequest<'_>>,
        provider: &CryptoProvider,
    ) -> Result<SdJwt, Error> {
        let all = self.sd_jwt.disclosures();
        let mut chosen = vec![false; all.len()];
        for &i in indices {
            *chosen.get_mut(i).ok_or(Error::NoSuchDisclosure {
                index: i,
                count: all.len(),
            })? = true;
        }
        let selected = all
            .iter()
            .zip(&chosen)
            .filter(|(_, c)| **c)
            .map(|(d, _)| d.clone())
            .collect();
        let presentation = self.sd_jwt.with_disclosures(selected);
        let Some(kb) = key_binding else {
            return Ok(presentation);
        };
        let cnf = sdjwt_core::holder_key(self.sd_jwt.payload())?;
        if let Some(public) = kb.signer.public_key()
            && public.thumbprint_input() != cnf.thumbprint_input()
        {
            return Err(Error::HolderKeyMismatch);
        }
        let claims = KbClaims {
            iat: kb.issued_at,
            aud: kb.audience.to_owned(),
            nonce: kb.nonce.to_owned(),
            sd_hash: presentation.sd_hash(provider)?.as_str().to_owned(),
        };
        let jwt = KeyBindingJwt::sign(kb.signer, &claims)?;
        Ok(presentation.with_key_binding(jwt))
    }
}

/// RFC 9901 §7.1 step 2 for the Holder: every signature verifies with a given key.
fn verify_issuer(sd_jwt: &SdJwt, provider: &CryptoProvider, keys: &[Jwk]) -> Result<(), Error> {
    for (index, signature) in sd_jwt.jws().signatures().enumerate() {
        let alg = signature.header().alg();
        let kid = signature.kid();
        let mut outcome = Err(Error::NoIssuerKey { signature: index });
        for key in keys {
            let kid_differs =
                matches!((kid, key.key_id()), (Some(want), Some(have)) if want != have);
            if kid_differs || key.check_algorithm(alg).is_err() {
                continue;
            }
            outcome = signature
                .verify(&*provider.verifier(key, alg)?)
                .map_err(Error::from);
            if outcome.is_ok() {
                break;
            }
        }
        outcome?;
    }
    Ok(())
}
