//! Checking a credential's status in a Token Status List (draft-ietf-oauth-status-list-20 §8)
//! as draft-ietf-oauth-sd-jwt-vc §2.4 asks: "If `status` is present in the verified payload
//! of the SD-JWT, the status SHOULD be checked".

use sdjwt_fetch::{ResourceKind, TtlBounds};
use sdjwt_status::{Limits, Status, StatusReference, UnverifiedStatusListToken, Validation};
use sdjwt_verifier::Policy;
use serde_json::Value;

use crate::discovery::Discovery;
use crate::error::Error;
use crate::trust::{KeySource, TrustedIssuer};

/// What status checking found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatusOutcome {
    /// The policy said not to check.
    NotChecked,
    /// The credential has no `status` claim.
    NoStatus,
    /// The status list says VALID.
    Valid {
        /// The status list URI.
        uri: String,
        /// The credential's index in it.
        idx: u64,
    },
}

/// Fetches, verifies and reads the status list named by the `status` claim. Called only once
/// the credential is otherwise valid (§8.3).
pub(crate) fn check(
    discovery: &Discovery<'_>,
    issuer: &TrustedIssuer,
    claim: &Value,
    policy: &Policy,
    now: i64,
) -> Result<StatusOutcome, Error> {
    let reference = StatusReference::from_status_claim(claim).map_err(|e| Error::InvalidClaim {
        claim: "status",
        reason: e.to_string(),
    })?;
    let uri = reference.uri().to_owned();
    let idx = reference.idx();
    let unavailable = |reason: String| Error::StatusUnavailable {
        uri: uri.clone(),
        reason,
    };
    let (request, response) = discovery
        .fetch_response(&uri, ResourceKind::StatusList, now)
        .map_err(unavailable)?;
    let text = core::str::from_utf8(&response.body)
        .map_err(|_| unavailable("token is not UTF-8".to_owned()))?;
    let limits = Limits::default();
    // A token that was retrieved but cannot be parsed (size, JWS syntax, `typ`) is a bad list
    // token, not a retrieval failure.
    let token =
        UnverifiedStatusListToken::parse(text.trim(), &limits).map_err(|e| Error::StatusList {
            uri: uri.clone(),
            error: e,
        })?;
    let validation = Validation::for_reference(&reference, now).leeway(policy.leeway);
    // The list must be signed with a key of the credential's own issuer, found the same way.
    let verified = match &issuer.keys {
        KeySource::X5c { anchors } => {
            let key = discovery
                .x5c_key(token.header(), anchors, &issuer.id, now)
                .map_err(unavailable)?;
            let verifier = discovery.provider.verifier(&key, token.alg())?;
            token.verify_with(verifier.as_ref(), &validation)
        }
        _ => {
            let keys = discovery.issuer_keys(issuer, Some(&issuer.id), token.header(), now)?;
            token.verify(&keys, discovery.provider, &validation)
        }
    }
    .map_err(|e| Error::StatusList {
        uri: uri.clone(),
        error: e,
    })?;
    // §13.7: cache the list for `ttl` (within bounds), or until `exp`, whatever HTTP said.
    let ttl = verified.ttl();
    let exp = verified.exp().and_then(|e| u64::try_from(e).ok());
    if let Some(until) = TtlBounds::default().fresh_until(response.fetched_at, ttl, exp) {
        discovery.set_freshness(&request, &response, until);
    }
    let status = verified
        .status_of(&reference)
        .map_err(|e| Error::StatusList {
            uri: uri.clone(),
            error: e,
        })?;
    match status {
        Status::Valid => Ok(StatusOutcome::Valid { uri, idx }),
        Status::Invalid => Err(Error::Revoked { uri, idx }),
        Status::Suspended => Err(Error::Suspended { uri, idx }),
        other => Err(Error::StatusNotValid {
            value: other.value(),
        }),
    }
}
