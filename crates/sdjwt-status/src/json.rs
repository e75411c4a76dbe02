//! The JSON `StatusList` object (draft-ietf-oauth-status-list-20 §4.2):
//! `{"bits": n, "lst": base64url(zlib(DEFLATE(bytes)))}` with an optional `aggregation_uri`.

use serde_json::{Map, Value};

use sdjwt_jose::base64url;

use crate::error::Error;
use crate::limits::Limits;
use crate::list::{Bits, StatusList};
use crate::uri;

/// A Status List with the members of its JSON representation (draft-ietf-oauth-status-list-20
/// §4.2):
///
/// ```json
/// {
///   "bits": 1,
///   "lst": "eNrbuRgAAhcBXQ",
///   "aggregation_uri": "https://example.com/statuslists/aggregation"
/// }
/// ```
///
/// * `bits`: REQUIRED, 1, 2, 4 or 8;
/// * `lst`: REQUIRED, the base64url-encoded compressed byte array of §4.1;
/// * `aggregation_uri`: OPTIONAL, where the Status List Aggregation (§9) can be fetched.
///
/// Other members are ignored. Decoding is strict: `lst` must be canonical unpadded base64url
/// holding exactly one ZLIB stream, and the decompressed size is capped by
/// [`Limits::max_decompressed_bytes`].
///
/// ```
/// use sdjwt_status::{JsonStatusList, Limits, Status};
///
/// # fn main() -> Result<(), sdjwt_status::Error> {
/// // The 1-bit example of §4.2.
/// let decoded = JsonStatusList::parse(br#"{"bits": 1, "lst": "eNrbuRgAAhcBXQ"}"#, &Limits::DEFAULT)?;
/// assert_eq!(decoded.list().as_bytes(), &[0xb9, 0xa3]);
/// assert_eq!(decoded.list().get(0)?, Status::Invalid);
/// assert_eq!(decoded.list().get(1)?, Status::Valid);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonStatusList {
    list: StatusList,
    aggregation_uri: Option<String>,
}

impl JsonStatusList {
    /// Wraps a list, without an `aggregation_uri`.
    pub fn new(list: StatusList) -> Self {
        Self {
            list,
            aggregation_uri: None,
        }
    }

    /// Sets `aggregation_uri` (§4.2, §9).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMember`] when `uri` is not an absolute URI (RFC 3986 §4.3).
    pub fn with_aggregation_uri(mut self, uri: impl Into<String>) -> Result<Self, Error> {
        let uri = uri.into();
        if !uri::is_absolute_uri(&uri) {
            return Err(Error::InvalidMember {
                name: "aggregation_uri",
            });
        }
        self.aggregation_uri = Some(uri);
        Ok(self)
    }

    /// The Status List.
    pub fn list(&self) -> &StatusList {
        &self.list
    }

    /// The Status List, consuming `self`.
    pub fn into_list(self) -> StatusList {
        self.list
    }

    /// The `aggregation_uri`, if present.
    pub fn aggregation_uri(&self) -> Option<&str> {
        self.aggregation_uri.as_deref()
    }

    /// Encodes as the §4.2 JSON object: `bits`, `lst` (compressed at the highest level, then
    /// base64url), then `aggregation_uri` when set.
    ///
    /// # Errors
    ///
    /// [`Error::Compression`] (which does not happen when compressing to memory).
    pub fn to_json(&self) -> Result<Map<String, Value>, Error> {
        encode(&self.list, self.aggregation_uri.as_deref())
    }

    /// Decodes a §4.2 JSON object.
    ///
    /// # Errors
    ///
    /// [`Error::MissingMember`] / [`Error::InvalidMember`] for `bits`, `lst` or
    /// `aggregation_uri`; [`Error::UnsupportedBits`]; [`Error::Base64`] for `lst`;
    /// [`Error::Decompression`]; [`Error::LimitExceeded`].
    pub fn from_json(obj: &Map<String, Value>, limits: &Limits) -> Result<Self, Error> {
        let bits = match obj.get("bits") {
            None => return Err(Error::MissingMember { name: "bits" }),
            Some(v) => match v.as_u64() {
                Some(n) => Bits::try_from(n)?,
                None => return Err(Error::InvalidMember { name: "bits" }),
            },
        };
        let lst = match obj.get("lst") {
            None => return Err(Error::MissingMember { name: "lst" }),
            Some(Value::String(s)) => s,
            Some(_) => return Err(Error::InvalidMember { name: "lst" }),
        };
        let aggregation_uri = match obj.get("aggregation_uri") {
            None => None,
            Some(Value::String(s)) if uri::is_absolute_uri(s) => Some(s.clone()),
            Some(_) => {
                return Err(Error::InvalidMember {
                    name: "aggregation_uri",
                });
            }
        };
        let compressed = base64url::decode(lst)?;
        let list = StatusList::decompress(bits, &compressed, limits)?;
        Ok(Self {
            list,
            aggregation_uri,
        })
    }

    /// Parses JSON text (duplicate member names are refused) and decodes it as
    /// [`JsonStatusList::from_json`] does.
    ///
    /// # Errors
    ///
    /// [`Error::Json`], then as [`JsonStatusList::from_json`].
    pub fn parse(text: &[u8], limits: &Limits) -> Result<Self, Error> {
        let obj = sdjwt_jose::json::parse_object(text)?;
        Self::from_json(&obj, limits)
    }
}

/// The §4.2 object for `list`, without copying it into a [`JsonStatusList`] first.
pub(crate) fn encode(
    list: &StatusList,
    aggregation_uri: Option<&str>,
) -> Result<Map<String, Value>, Error> {
    let compressed = list.compress()?;
    let mut obj = Map::new();
    obj.insert("bits".into(), list.bits().value().into());
    obj.insert("lst".into(), base64url::encode(&compressed).into());
    if let Some(uri) = aggregation_uri {
        obj.insert("aggregation_uri".into(), uri.into());
    }
    Ok(obj)
}

impl From<StatusList> for JsonStatusList {
    fn from(list: StatusList) -> Self {
        Self::new(list)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::Status;
    use crate::limits::Limit;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn members_are_checked() {
        let l = Limits::DEFAULT;
        let cases = [
            (
                json!({"lst": "eNrbuRgAAhcBXQ"}),
                Error::MissingMember { name: "bits" },
            ),
            (json!({"bits": 1}), Error::MissingMember { name: "lst" }),
            (
                json!({"bits": "1", "lst": "eNrbuRgAAhcBXQ"}),
                Error::InvalidMember { name: "bits" },
            ),
            (
                json!({"bits": 1.0, "lst": "eNrbuRgAAhcBXQ"}),
                Error::InvalidMember { name: "bits" },
            ),
            (
                json!({"bits": -1, "lst": "eNrbuRgAAhcBXQ"}),
                Error::InvalidMember { name: "bits" },
            ),
            (
                json!({"bits": 3, "lst": "eNrbuRgAAhcBXQ"}),
                Error::UnsupportedBits { value: 3 },
            ),
            (
                json!({"bits": 16, "lst": "eNrbuRgAAhcBXQ"}),
                Error::UnsupportedBits { value: 16 },
            ),
            (
                json!({"bits": 1, "lst": ["eNrbuRgAAhcBXQ"]}),
                Error::InvalidMember { name: "lst" },
            ),
            (
                json!({"bits": 1, "lst": "eNrbuRgAAhcBXQ", "aggregation_uri": 7}),
                Error::InvalidMember {
                    name: "aggregation_uri",
                },
            ),
            (
                json!({"bits": 1, "lst": "eNrbuRgAAhcBXQ", "aggregation_uri": "not a uri"}),
                Error::InvalidMember {
                    name: "aggregation_uri",
                },
            ),
            (
                json!({"bits": 1, "lst": "eNrbuRgAAhcBXQ=="}),
                Error::Base64(sdjwt_jose::base64url::Base64Error::Padding { position: 14 }),
            ),
            (json!({"bits": 1, "lst": "AAAA"}), Error::Decompression),
        ];
        for (value, expected) in cases {
            assert_eq!(
                JsonStatusList::from_json(&obj(value.clone()), &l),
                Err(expected),
                "{value}"
            );
        }
    }

    #[test]
    fn round_trip_with_aggregation_uri() -> Result<(), Error> {
        let mut list = StatusList::new(Bits::Four, 33);
        list.set(32, Status::ApplicationSpecific(0x0c))?;
        let encoded = JsonStatusList::new(list)
            .with_aggregation_uri("https://example.com/statuslists/aggregation")?;
        let json = encoded.to_json()?;
        assert_eq!(json.get("bits"), Some(&json!(4)));
        let back = JsonStatusList::from_json(&json, &Limits::DEFAULT)?;
        assert_eq!(
            back.aggregation_uri(),
            Some("https://example.com/statuslists/aggregation")
        );
        assert_eq!(back.list().get(32)?, Status::ApplicationSpecific(0x0c));
        assert_eq!(back.list().len(), 34); // a whole number of bytes
        assert_eq!(back.list().as_bytes(), encoded.list().as_bytes());
        Ok(())
    }

    #[test]
    fn duplicate_members_and_limits() {
        assert!(matches!(
            JsonStatusList::parse(
                br#"{"bits": 1, "bits": 2, "lst": "eNrbuRgAAhcBXQ"}"#,
                &Limits::DEFAULT
            ),
            Err(Error::Json(_))
        ));
        let mut l = Limits::DEFAULT;
        l.max_decompressed_bytes = 1;
        assert_eq!(
            JsonStatusList::parse(br#"{"bits": 1, "lst": "eNrbuRgAAhcBXQ"}"#, &l),
            Err(Error::LimitExceeded {
                limit: Limit::DecompressedBytes,
                max: 1
            })
        );
        assert!(
            JsonStatusList::new(StatusList::new(Bits::One, 1))
                .with_aggregation_uri("relative/path")
                .is_err()
        );
    }
}
