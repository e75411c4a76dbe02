//! Token Status List decoding (draft-ietf-oauth-status-list-20): the same bytes go to the
//! capped inflater (§4.1), the JSON `StatusList` decoder (§4.2), the Referenced Token's `status`
//! claim reader (§6.2) and the Status List Token parser and validator (§5.1, §8.3), the last
//! with the accept-anything provider so that claims and `lst` of hostile tokens are reached.
//!
//! Oracles: a decoded list never exceeds the decompression cap and answers `get` for every
//! index below its length and refuses its length; a re-encoded list decodes to the same bytes;
//! a reference re-encodes to itself; a verified token's `sub` is the URI it was checked for and
//! `check` agrees with `get`.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use sdjwt_fuzz::{AnyIssuer, INSECURE_ACCEPT_ANY_SIGNATURE, NOW};
use sdjwt_status::{
    Bits, Error, JsonStatusList, Limits, StatusList, StatusReference, UnverifiedStatusListToken,
    Validation, check,
};
use sdjwt_verifier::IssuerKeyResolver;

/// Small enough that every input runs in milliseconds; the cap is what is being exercised.
const MAX_DECOMPRESSED: usize = 1 << 20;

/// Lists up to this many bytes are re-encoded for the round-trip oracle; compressing at the
/// highest level costs milliseconds per hundred kilobytes, which would dominate every run.
const MAX_REENCODED: usize = 16 * 1024;

fn limits() -> Limits {
    let mut limits = Limits::DEFAULT;
    limits.max_decompressed_bytes = MAX_DECOMPRESSED;
    limits
}

/// Every index below `len` answers, `len` itself does not; sampled for long lists.
fn assert_bounds(list: &StatusList) {
    assert!(list.as_bytes().len() <= MAX_DECOMPRESSED);
    assert_eq!(
        list.len(),
        list.as_bytes().len() * list.bits().entries_per_byte()
    );
    let len = list.len();
    let step = (len / 4096).max(1);
    for i in (0..len).step_by(step).chain(len.checked_sub(1)) {
        let status = list
            .get(i)
            .unwrap_or_else(|e| panic!("get({i}) of {len}: {e}"));
        assert!(status.value() <= list.bits().max_value());
    }
    assert_eq!(
        list.get(len),
        Err(Error::IndexOutOfBounds {
            index: len as u64,
            len
        })
    );
}

fuzz_target!(|data: &[u8]| {
    let limits = limits();

    // §4.1 step 4: the raw compressed byte array.
    if let Ok(list) = StatusList::decompress(Bits::Two, data, &limits) {
        assert_bounds(&list);
        if list.as_bytes().len() <= MAX_REENCODED {
            let again =
                StatusList::decompress(Bits::Two, &list.compress().unwrap_or_default(), &limits);
            assert_eq!(
                again.as_ref().map(StatusList::as_bytes),
                Ok(list.as_bytes())
            );
        }
    }

    // §4.2: the JSON object.
    if let Ok(decoded) = JsonStatusList::parse(data, &limits) {
        assert_bounds(decoded.list());
        if decoded.list().as_bytes().len() <= MAX_REENCODED {
            let json = decoded.to_json().unwrap_or_default();
            let again = JsonStatusList::from_json(&json, &limits);
            assert_eq!(
                again.as_ref().map(|d| d.list().as_bytes()),
                Ok(decoded.list().as_bytes())
            );
            assert_eq!(
                again.as_ref().map(|d| d.aggregation_uri()),
                Ok(decoded.aggregation_uri())
            );
        }
    }

    // §6.2: the Referenced Token's `status` claim.
    if let Ok(value) = sdjwt_jose::json::parse(data)
        && let Ok(reference) = StatusReference::from_status_claim(&value)
    {
        assert_eq!(
            StatusReference::from_status_claim(&reference.to_status_claim()),
            Ok(reference)
        );
    }

    // §5.1 and §8.3: the Status List Token, any signature accepted.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(token) = UnverifiedStatusListToken::parse(text, &limits) else {
        return;
    };
    assert_eq!(token.as_str(), text);
    let claims = token.unverified_claims();
    let sub = claims
        .as_ref()
        .ok()
        .and_then(|c| c.get("sub"))
        .and_then(|s| s.as_str())
        .unwrap_or("https://example.com/statuslists/1")
        .to_owned();
    let keys = AnyIssuer::new()
        .resolve(None, token.kid(), token.alg())
        .unwrap_or_default();
    let Ok(verified) = token.verify(
        &keys,
        &INSECURE_ACCEPT_ANY_SIGNATURE,
        &Validation::new(&sub, NOW).leeway(60),
    ) else {
        return;
    };
    assert_eq!(verified.sub(), sub);
    assert!(verified.iat() <= NOW + 60);
    assert!(verified.exp().is_none_or(|exp| exp > NOW - 60));
    assert!(verified.ttl().is_none_or(|ttl| ttl > 0));
    assert_bounds(verified.list());
    let _ = verified.cache_until(i64::MAX);
    let _ = verified.cache_until(i64::MIN);
    let _ = verified.covers(NOW);
    let len = verified.list().len() as u64;
    for idx in [0, len / 2, len.saturating_sub(1), len, u64::MAX] {
        if let Ok(reference) = StatusReference::new(idx, sub.clone()) {
            let index = usize::try_from(idx).unwrap_or(usize::MAX);
            assert_eq!(check(&reference, &verified), verified.list().get(index));
        }
    }
});
