//! Time-related claims (RFC 7519 §4.1.4 to §4.1.6) as used by RFC 9901 §7.1 step 6 and §7.3
//! step 5.e.

use serde_json::{Map, Value};

use crate::error::Error;

/// Seconds since the Unix epoch, the JWT NumericDate (RFC 7519 §2).
pub type UnixTime = i64;

/// Reads a NumericDate claim. Fractional values are truncated towards negative infinity.
///
/// # Errors
///
/// [`Error::InvalidTimeClaim`] when the claim is present but not a number in range.
pub fn numeric_date(
    claims: &Map<String, Value>,
    name: &'static str,
) -> Result<Option<UnixTime>, Error> {
    claims
        .get(name)
        .map(|v| sdjwt_jose::json::numeric_date(v).ok_or(Error::InvalidTimeClaim { name }))
        .transpose()
}

/// Checks `exp`, `nbf` and `iat` when present, allowing `leeway` seconds of clock skew.
///
/// * `exp`: the current time must be before it (RFC 7519 §4.1.4).
/// * `nbf`: the current time must be at or after it (RFC 7519 §4.1.5).
/// * `iat`: must not be in the future.
///
/// # Errors
///
/// [`Error::Expired`], [`Error::NotYetValid`], [`Error::IssuedInFuture`] or
/// [`Error::InvalidTimeClaim`].
pub fn check_validity(
    claims: &Map<String, Value>,
    now: UnixTime,
    leeway: u64,
) -> Result<(), Error> {
    let leeway = i64::try_from(leeway).unwrap_or(i64::MAX);
    if let Some(exp) = numeric_date(claims, "exp")?
        && now.saturating_sub(leeway) >= exp
    {
        return Err(Error::Expired { now, exp });
    }
    if let Some(nbf) = numeric_date(claims, "nbf")?
        && now.saturating_add(leeway) < nbf
    {
        return Err(Error::NotYetValid { now, nbf });
    }
    if let Some(iat) = numeric_date(claims, "iat")?
        && iat > now.saturating_add(leeway)
    {
        return Err(Error::IssuedInFuture { now, iat });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn windows_and_leeway() {
        let c = map(json!({"iat": 100, "nbf": 100, "exp": 200}));
        assert_eq!(check_validity(&c, 150, 0), Ok(()));
        assert_eq!(
            check_validity(&c, 200, 0),
            Err(Error::Expired { now: 200, exp: 200 })
        );
        assert_eq!(check_validity(&c, 205, 10), Ok(()));
        assert_eq!(
            check_validity(&c, 99, 0),
            Err(Error::NotYetValid { now: 99, nbf: 100 })
        );
        assert_eq!(
            check_validity(&map(json!({"iat": 100})), 50, 0),
            Err(Error::IssuedInFuture { now: 50, iat: 100 })
        );
        assert_eq!(
            check_validity(&map(json!({"exp": "soon"})), 0, 0),
            Err(Error::InvalidTimeClaim { name: "exp" })
        );
        assert_eq!(
            numeric_date(&map(json!({"exp": 10.7})), "exp"),
            Ok(Some(10))
        );
    }
}
