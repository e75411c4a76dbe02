//! The Referenced Token side: the `status` claim that points at an entry of a Status List
//! (draft-ietf-oauth-status-list-20 §6), and the status lookup of §8.3 steps 6 and 7.

use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::status::Status;
use crate::token::VerifiedStatusListToken;
use crate::uri;

/// Where the status of one Referenced Token is kept: the `status_list` member of its `status`
/// claim (draft-ietf-oauth-status-list-20 §6.1, §6.2):
///
/// ```json
/// "status": {
///   "status_list": {
///     "idx": 0,
///     "uri": "https://example.com/statuslists/1"
///   }
/// }
/// ```
///
/// `idx` is a non-negative integer; `uri` is a URI (RFC 3986) naming the Status List Token,
/// whose `sub` must equal it (§5.1).
///
/// ```
/// use serde_json::json;
/// use sdjwt_status::StatusReference;
///
/// # fn main() -> Result<(), sdjwt_status::Error> {
/// let claims = json!({
///     "iss": "https://example.com/issuer",
///     "status": {"status_list": {"idx": 0, "uri": "https://example.com/statuslists/1"}}
/// });
/// let reference = StatusReference::from_claims(claims.as_object().unwrap_or(&Default::default()))?;
/// assert_eq!(reference.idx(), 0);
/// assert_eq!(reference.uri(), "https://example.com/statuslists/1");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StatusReference {
    idx: u64,
    uri: String,
}

impl StatusReference {
    /// A reference to entry `idx` of the Status List Token at `uri`, for an Issuer to put in a
    /// Referenced Token (see [`StatusReference::to_status_claim`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMember`] (`uri`) when `uri` is not an absolute URI.
    pub fn new(idx: u64, uri: impl Into<String>) -> Result<Self, Error> {
        let uri = uri.into();
        if !uri::is_absolute_uri(&uri) {
            return Err(Error::InvalidMember { name: "uri" });
        }
        Ok(Self { idx, uri })
    }

    /// Reads the `status` claim of a Referenced Token's claims (§8.3 step 1: "check for the
    /// existence of a `status` claim, check for the existence of a `status_list` claim within
    /// the `status` claim and validate that the content of `status_list` adheres to the
    /// rules").
    ///
    /// # Errors
    ///
    /// [`Error::MissingMember`] for an absent `status`, `status_list`, `idx` or `uri`;
    /// otherwise as [`StatusReference::from_status_claim`].
    pub fn from_claims(claims: &Map<String, Value>) -> Result<Self, Error> {
        match claims.get("status") {
            Some(status) => Self::from_status_claim(status),
            None => Err(Error::MissingMember { name: "status" }),
        }
    }

    /// Reads the value of a `status` claim (§6.1, §6.2). Members of `status` other than
    /// `status_list` (other status mechanisms) and members of `status_list` other than `idx`
    /// and `uri` are ignored.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMember`] when `status` or `status_list` is not an object, `uri` is not a
    /// string holding an absolute URI, or `idx` is not a number; [`Error::MissingMember`];
    /// [`Error::IndexNotInteger`], [`Error::NegativeIndex`], [`Error::IndexTooLarge`] for
    /// `idx` values that are not non-negative integers.
    pub fn from_status_claim(status: &Value) -> Result<Self, Error> {
        let Value::Object(status) = status else {
            return Err(Error::InvalidMember { name: "status" });
        };
        let status_list = status_list_member(status)?;
        let idx = match status_list.get("idx") {
            None => return Err(Error::MissingMember { name: "idx" }),
            Some(Value::Number(n)) => index(n)?,
            Some(_) => return Err(Error::InvalidMember { name: "idx" }),
        };
        let uri = match status_list.get("uri") {
            None => return Err(Error::MissingMember { name: "uri" }),
            Some(Value::String(s)) if uri::is_absolute_uri(s) => s.clone(),
            Some(_) => return Err(Error::InvalidMember { name: "uri" }),
        };
        Ok(Self { idx, uri })
    }

    /// The index into the Status List (`idx`).
    pub fn idx(&self) -> u64 {
        self.idx
    }

    /// The URI of the Status List Token (`uri`).
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The `status` claim for a Referenced Token: `{"status_list": {"idx": .., "uri": ..}}`
    /// (§6.2).
    pub fn to_status_claim(&self) -> Value {
        json!({"status_list": {"idx": self.idx, "uri": self.uri}})
    }
}

/// Reads `idx`: a JSON integer from 0 to `u64::MAX` (§6.2: "a non-negative Integer").
fn index(n: &serde_json::Number) -> Result<u64, Error> {
    if let Some(i) = n.as_u64() {
        return Ok(i);
    }
    if let Some(i) = n.as_i64() {
        return Err(Error::NegativeIndex { value: i });
    }
    // Only numbers written with a fraction or exponent, or integers beyond the 64-bit range,
    // reach here (serde_json reads those as f64).
    let f = n.as_f64().unwrap_or(f64::NAN);
    if !f.is_finite() || f.fract() != 0.0 {
        Err(Error::IndexNotInteger)
    } else if f < 0.0 {
        // `as` saturates, which is the most useful value for a number below i64::MIN.
        Err(Error::NegativeIndex { value: f as i64 })
    } else if f >= 18_446_744_073_709_551_616.0 {
        Err(Error::IndexTooLarge)
    } else {
        // An integral value written as `1.0` or `1e3`: not a JSON integer.
        Err(Error::IndexNotInteger)
    }
}

/// The status of the Referenced Token that `reference` came from, according to a verified
/// Status List Token (draft-ietf-oauth-status-list-20 §8.3 steps 4.a, 6 and 7).
///
/// **Call this only after the Referenced Token itself has been fully validated** (signature,
/// `exp`, key binding and so on). §8.3: "The processing rules for Referenced Tokens (such as
/// JWT or CWT) MUST precede any evaluation of a Referenced Token's status"; an expired token
/// whose status is VALID is still expired, and for a token that fails validation the Status
/// List should not even be fetched. The `sdjwt-vc` crate calls this at that point of its
/// pipeline.
///
/// What to do with a status other than [`Status::Valid`] is the application's decision; for
/// INVALID and SUSPENDED the Referenced Token should be rejected.
///
/// # Errors
///
/// [`Error::SubjectMismatch`] when the token's `sub` is not the reference's `uri` (a token
/// verified for another list), and [`Error::IndexOutOfBounds`] when `idx` is outside the list:
/// then "no statement about the status of the Referenced Token can be made and the Referenced
/// Token MUST be rejected" (§8.3 step 6).
pub fn check(
    reference: &StatusReference,
    token: &VerifiedStatusListToken,
) -> Result<Status, Error> {
    if reference.uri() != token.sub() {
        return Err(Error::SubjectMismatch {
            expected: reference.uri().to_owned(),
            found: token.sub().to_owned(),
        });
    }
    let list = token.list();
    let index = usize::try_from(reference.idx()).map_err(|_| Error::IndexOutOfBounds {
        index: reference.idx(),
        len: list.len(),
    })?;
    list.get(index)
}

/// The `status_list` member of `object` (a Referenced Token's `status` claim, or a Status
/// List Token's claims), which must be a JSON object.
pub(crate) fn status_list_member(
    object: &Map<String, Value>,
) -> Result<&Map<String, Value>, Error> {
    match object.get("status_list") {
        None => Err(Error::MissingMember {
            name: "status_list",
        }),
        Some(Value::Object(o)) => Ok(o),
        Some(_) => Err(Error::InvalidMember {
            name: "status_list",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: Value) -> Result<StatusReference, Error> {
        StatusReference::from_status_claim(&v)
    }

    const URI: &str = "https://example.com/statuslists/1";

    #[test]
    fn idx_must_be_a_non_negative_integer() {
        let with = |idx: Value| parse(json!({"status_list": {"idx": idx, "uri": URI}}));
        assert_eq!(with(json!(0)).map(|r| r.idx()), Ok(0));
        assert_eq!(with(json!(u64::MAX)).map(|r| r.idx()), Ok(u64::MAX));
        assert_eq!(with(json!(-1)), Err(Error::NegativeIndex { value: -1 }));
        assert_eq!(with(json!(1.5)), Err(Error::IndexNotInteger));
        assert_eq!(with(json!(1.0)), Err(Error::IndexNotInteger));
        assert_eq!(with(json!(-0.5)), Err(Error::IndexNotInteger));
        assert_eq!(with(json!("1")), Err(Error::InvalidMember { name: "idx" }));
        assert_eq!(with(json!(null)), Err(Error::InvalidMember { name: "idx" }));
        let huge = sdjwt_jose::json::parse(
            format!(r#"{{"status_list": {{"idx": 18446744073709551616, "uri": "{URI}"}}}}"#)
                .as_bytes(),
        )
        .unwrap_or(Value::Null);
        assert_eq!(parse(huge), Err(Error::IndexTooLarge));
        let very_negative = sdjwt_jose::json::parse(
            format!(r#"{{"status_list": {{"idx": -1e30, "uri": "{URI}"}}}}"#).as_bytes(),
        )
        .unwrap_or(Value::Null);
        assert_eq!(
            parse(very_negative),
            Err(Error::NegativeIndex { value: i64::MIN })
        );
    }

    #[test]
    fn structure_is_checked() {
        assert_eq!(
            parse(json!("status")),
            Err(Error::InvalidMember { name: "status" })
        );
        assert_eq!(
            parse(json!({"other_mechanism": {}})),
            Err(Error::MissingMember {
                name: "status_list"
            })
        );
        assert_eq!(
            parse(json!({"status_list": [0, URI]})),
            Err(Error::InvalidMember {
                name: "status_list"
            })
        );
        assert_eq!(
            parse(json!({"status_list": {"uri": URI}})),
            Err(Error::MissingMember { name: "idx" })
        );
        assert_eq!(
            parse(json!({"status_list": {"idx": 1}})),
            Err(Error::MissingMember { name: "uri" })
        );
        assert_eq!(
            parse(json!({"status_list": {"idx": 1, "uri": 5}})),
            Err(Error::InvalidMember { name: "uri" })
        );
        assert_eq!(
            parse(json!({"status_list": {"idx": 1, "uri": "statuslists/1"}})),
            Err(Error::InvalidMember { name: "uri" })
        );
        assert_eq!(
            StatusReference::from_claims(&Map::new()),
            Err(Error::MissingMember { name: "status" })
        );
    }

    #[test]
    fn status_claim_round_trips() -> Result<(), Error> {
        let r = StatusReference::new(42, URI)?;
        assert_eq!(parse(r.to_status_claim())?, r);
        assert_eq!(
            StatusReference::new(1, "no uri"),
            Err(Error::InvalidMember { name: "uri" })
        );
        Ok(())
    }
}
