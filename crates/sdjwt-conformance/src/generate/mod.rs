//! Makes the committed vectors of `spec/vectors/`, deterministically.
//!
//! Every ready presentation is signed with Ed25519, whose signatures are a function of key and
//! message (RFC 8032 §5.1.6), salts are fixed, and no decoys are drawn, so the same code gives
//! the same bytes on every run. A workspace test regenerates the set and fails when the
//! committed files differ (`SDJWT_REGENERATE_VECTORS=1` rewrites them instead).
//!
//! The SD-JWT VC and Token Status List cases (`pos-vc-*`, `neg-vc-*`, `neg-tsl-*`) carry the
//! trust list, the documents a verifier would retrieve (issuer metadata, JWK Sets, Status List
//! Tokens, all Ed25519-signed where signed) and Type Metadata in `verify.vc`.
//!
//! [`vector_set_at`] makes the same cases for another verifier clock, which is how
//! [`crate::implementation`] gets negative cases with fresh Key Binding JWTs for a tool whose
//! CLI cannot be told the time.

use std::collections::{BTreeMap, BTreeSet};

use sdjwt_jose::CryptoProvider;

use crate::{Error, Kind, VectorSet};

pub mod keys;
mod negative;
mod positive;
mod vc;

/// The verifier's clock in the committed vectors (2027-01-15T08:00:00Z).
pub const NOW: i64 = 1_800_000_000;
/// `iss` of every generated credential.
pub const ISS: &str = "https://issuer.example.com";
/// The verifier's identifier: the KB-JWT `aud`.
pub const AUD: &str = "https://verifier.example.org";
/// The verifier's nonce: the KB-JWT `nonce`.
pub const NONCE: &str = "n-0S6_WzA2Mj";

/// The committed vector set.
///
/// # Errors
///
/// [`Error::Generate`] when a case cannot be made (a bug in the generator).
pub fn vector_set(provider: &CryptoProvider) -> Result<VectorSet, Error> {
    vector_set_at(provider, NOW)
}

/// The vector set for a verifier whose clock reads `now`: every time in the cases moves with
/// it, so what is fresh or expired stays so.
///
/// # Errors
///
/// As [`vector_set`].
pub fn vector_set_at(provider: &CryptoProvider, now: i64) -> Result<VectorSet, Error> {
    let mut vectors = positive::cases(provider, now)?;
    vectors.extend(vc::positive_cases(provider, now)?);
    let mut negatives = negative::cases(provider, now)?;
    negatives.extend(vc::negative_cases(provider, now)?);
    for mut v in negatives {
        // A rejection under §7.1 or §7.3 also shows that the procedure stops there and hands
        // out no claims (the "if any step fails" paragraphs).
        for (prefix, all) in [
            ("RFC9901-7.1-", "RFC9901-7.1-all"),
            ("RFC9901-7.3-", "RFC9901-7.3-all"),
        ] {
            let applies = v.requirements.iter().any(|r| r.starts_with(prefix));
            if applies && !v.requirements.iter().any(|r| r == all) {
                v.requirements.push(all.to_owned());
            }
        }
        vectors.push(v);
    }
    vectors
        .sort_by(|a, b| (a.kind == Kind::Negative, &a.id).cmp(&(b.kind == Kind::Negative, &b.id)));
    Ok(VectorSet {
        keys: keys::all()?,
        vectors,
    })
}

/// `catalogue_text` with each requirement's `vectors` list set to the cases of `set` that
/// name it.
pub fn sync_catalogue(catalogue_text: &str, set: &VectorSet) -> String {
    let mut by_id: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for v in &set.vectors {
        for r in &v.requirements {
            by_id.entry(r.clone()).or_default().insert(v.id.clone());
        }
    }
    crate::Catalogue::rewrite_vectors(catalogue_text, &by_id)
}

/// A generator failure for `case`.
pub(crate) fn fail(case: &str, reason: impl core::fmt::Display) -> Error {
    Error::Generate {
        case: case.to_owned(),
        reason: reason.to_string(),
    }
}
