//! The Status List Token in JWT format (draft-ietf-oauth-status-list-20 §5.1): building and
//! signing it, and validating a received one (§8.3 step 3 to 5).

use serde_json::{Map, Value};

use sdjwt_jose::jws::{self, CompactJws, Header, SigningInput};
use sdjwt_jose::{CryptoProvider, Jwk, JwsAlgorithm, JwsSigner, JwsVerifier};

use crate::error::Error;
use crate::json::JsonStatusList;
use crate::limits::{Limit, Limits};
use crate::list::StatusList;
use crate::reference::{self, StatusReference};
use crate::status::Status;
use crate::uri;

/// The JWT `typ` of a Status List Token (§5.1: "The JWT type MUST be `statuslist+jwt`").
pub const STATUS_LIST_JWT_TYP: &str = "statuslist+jwt";

/// The media type of a Status List Token in JWT format, for HTTP content negotiation (§8.1,
/// §8.2, §14.7).
pub const STATUS_LIST_JWT_MEDIA_TYPE: &str = "application/statuslist+jwt";

/// Builds and signs a Status List Token (draft-ietf-oauth-status-list-20 §5.1).
///
/// The header is `{"alg": .., "kid": .., "typ": "statuslist+jwt"}`; the claims are `iss` (when
/// set), `sub`, `iat`, `exp` and `ttl` (when set, both RECOMMENDED by §5.1) and `status_list`
/// (§4.2, compressed at the highest level).
///
/// ```
/// use sdjwt_jose::JwsAlgorithm;
/// use sdjwt_status::{Bits, Status, StatusList, StatusListTokenBuilder};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let provider = sdjwt_test::AWS_LC;
/// let signer = provider.signer(&sdjwt_test::fixture_key(JwsAlgorithm::Es256), JwsAlgorithm::Es256)?;
/// let mut list = StatusList::new(Bits::Two, 1000);
/// list.set(7, Status::Suspended)?;
/// let token = StatusListTokenBuilder::new("https://example.com/statuslists/1", 1_700_000_000, &list)
///     .exp(1_700_086_400)
///     .ttl(43_200)
///     .key_id("12")
///     .sign(signer.as_ref())?;
/// assert_eq!(token.split('.').count(), 3);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct StatusListTokenBuilder<'a> {
    sub: String,
    iat: i64,
    list: &'a StatusList,
    exp: Option<i64>,
    ttl: Option<u64>,
    iss: Option<String>,
    kid: Option<String>,
    aggregation_uri: Option<String>,
    header: Map<String, Value>,
}

impl<'a> StatusListTokenBuilder<'a> {
    /// A token for `list`, published at `sub` (§5.1: "the URI of the Status List Token", equal
    /// to the `uri` in the Referenced Tokens), issued at `iat`.
    pub fn new(sub: impl Into<String>, iat: i64, list: &'a StatusList) -> Self {
        Self {
            sub: sub.into(),
            iat,
            list,
            exp: None,
            ttl: None,
            iss: None,
            kid: None,
            aggregation_uri: None,
            header: Map::new(),
        }
    }

    /// Sets `exp`, when the token "is considered expired by the Status Issuer" (§5.1, §13.7).
    pub fn exp(mut self, exp: i64) -> Self {
        self.exp = Some(exp);
        self
    }

    /// Sets `ttl`: the most seconds a consumer may cache the token before fetching a fresh
    /// copy (§5.1, §13.7). Must be positive.
    pub fn ttl(mut self, seconds: u64) -> Self {
        self.ttl = Some(seconds);
        self
    }

    /// Sets `iss` (RFC 7519 §4.1.1; §5.1 rule 1 allows other claims).
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        self.iss = Some(iss.into());
        self
    }

    /// Sets the `kid` header; without it, the signer's key id (if any) is used. §11.3 suggests
    /// a `kid` that names the same key as the Referenced Token's when one entity issues both.
    pub fn key_id(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// Sets `status_list.aggregation_uri` (§4.2, §9).
    pub fn aggregation_uri(mut self, uri: impl Into<String>) -> Self {
        self.aggregation_uri = Some(uri.into());
        self
    }

    /// The JWT claims set (§5.1).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMember`] for a `sub` or `aggregation_uri` that is not an absolute URI,
    /// or a `ttl` of 0; [`Error::Compression`].
    pub fn claims(&self) -> Result<Map<String, Value>, Error> {
        if !uri::is_absolute_uri(&self.sub) {
            return Err(Error::InvalidMember { name: "sub" });
        }
        if self.ttl == Some(0) {
            return Err(Error::InvalidMember { name: "ttl" });
        }
        if let Some(uri) = &self.aggregation_uri
            && !uri::is_absolute_uri(uri)
        {
            return Err(Error::InvalidMember {
                name: "aggregation_uri",
            });
        }
        let mut claims = Map::new();
        if let Some(iss) = &self.iss {
            claims.insert("iss".into(), iss.clone().into());
        }
        claims.insert("sub".into(), self.sub.clone().into());
        claims.insert("iat".into(), self.iat.into());
        if let Some(exp) = self.exp {
            claims.insert("exp".into(), exp.into());
        }
        if let Some(ttl) = self.ttl {
            claims.insert("ttl".into(), ttl.into());
        }
        claims.insert(
            "status_list".into(),
            Value::Object(crate::json::encode(
                self.list,
                self.aggregation_uri.as_deref(),
            )?),
        );
        Ok(claims)
    }

    /// Adds a protected header parameter, for example `x5c` with the signer's certificate
    /// chain (RFC 7515 §4.1.6) when the Relying Party finds the key that way. `alg`, `kid` and
    /// `typ` cannot be set this way: such names are ignored.
    #[must_use]
    pub fn header_parameter(mut self, name: impl Into<String>, value: Value) -> Self {
        let name = name.into();
        if !matches!(name.as_str(), "alg" | "kid" | "typ") {
            self.header.insert(name, value);
        }
        self
    }

    /// The JWS signing input for `alg`, for a signature made elsewhere (a KMS or HSM); attach
    /// it with [`SigningInput::into_compact`].
    ///
    /// # Errors
    ///
    /// As [`StatusListTokenBuilder::claims`].
    pub fn signing_input(&self, alg: JwsAlgorithm) -> Result<SigningInput, Error> {
        self.signing_input_with(alg, self.kid.as_deref())
    }

    fn signing_input_with(
        &self,
        alg: JwsAlgorithm,
        kid: Option<&str>,
    ) -> Result<SigningInput, Error> {
        let header = jws::protected_header(alg, kid, Some(STATUS_LIST_JWT_TYP), &self.header);
        let payload = Value::Object(self.claims()?).to_string();
        Ok(SigningInput::new(&header, payload.as_bytes()))
    }

    /// Signs the token with `signer`, giving the compact JWS (the body of an
    /// `application/statuslist+jwt` response, §8.2).
    ///
    /// # Errors
    ///
    /// As [`StatusListTokenBuilder::claims`], and [`Error::Jose`] when the signer fails.
    pub fn sign(&self, signer: &dyn JwsSigner) -> Result<String, Error> {
        let kid = self.kid.as_deref().or(signer.key_id());
        let input = self.signing_input_with(signer.algorithm(), kid)?;
        let signature = input.sign(signer)?;
        Ok(input.into_compact(&signature))
    }
}

/// What a Relying Party expects of a Status List Token (draft-ietf-oauth-status-list-20 §8.3
/// step 4): the URI it was fetched for, the current time, and optional clock leeway and
/// freshness policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validation<'a> {
    uri: &'a str,
    now: i64,
    leeway: u64,
    max_age: Option<u64>,
}

impl<'a> Validation<'a> {
    /// Expect `sub` to equal `uri` (the Referenced Token's `status_list.uri`) and check times
    /// at `now`, with no leeway and no freshness policy.
    pub fn new(uri: &'a str, now: i64) -> Self {
        Self {
            uri,
            now,
            leeway: 0,
            max_age: None,
        }
    }

    /// As [`Validation::new`] with the reference's `uri`.
    pub fn for_reference(reference: &'a StatusReference, now: i64) -> Self {
        Self::new(reference.uri(), now)
    }

    /// Allows `seconds` of clock skew on `exp`, `nbf` and `iat`.
    pub fn leeway(mut self, seconds: u64) -> Self {
        self.leeway = seconds;
        self
    }

    /// Refuses tokens issued more than `seconds` before `now` (§8.3 step 4.b: "If the Relying
    /// Party has local policies regarding the freshness of the Status List Token, it SHOULD
    /// check the issued at claim").
    pub fn max_age(mut self, seconds: u64) -> Self {
        self.max_age = Some(seconds);
        self
    }
}

/// A Status List Token that has been parsed but not verified: fit only for inspection (to pick
/// the key by `kid`, for instance).
///
/// [`UnverifiedStatusListToken::parse`] checks the size limit, the compact JWS structure, the
/// algorithm (never `none` or HMAC) and `typ` (§5.1). [`UnverifiedStatusListToken::verify`]
/// does the rest of draft-ietf-oauth-status-list-20 §8.3 steps 3 to 5 and yields a
/// [`VerifiedStatusListToken`].
#[derive(Clone, Debug, PartialEq)]
pub struct UnverifiedStatusListToken {
    jws: CompactJws,
    limits: Limits,
}

impl UnverifiedStatusListToken {
    /// Parses the compact JWS of a Status List Token.
    ///
    /// # Errors
    ///
    /// [`Error::LimitExceeded`] with [`Limit::TokenBytes`]; [`Error::Jose`] for a malformed
    /// JWS or a refused algorithm; [`Error::WrongType`] unless `typ` is `statuslist+jwt`
    /// (compared as RFC 7515 §4.1.9 says, so `application/statuslist+jwt` also matches).
    pub fn parse(text: &str, limits: &Limits) -> Result<Self, Error> {
        if text.len() > limits.max_token_bytes {
            return Err(Error::LimitExceeded {
                limit: Limit::TokenBytes,
                max: limits.max_token_bytes,
            });
        }
        let jws = CompactJws::parse(text)?;
        if !jws.header().typ_is(STATUS_LIST_JWT_TYP) {
            return Err(Error::WrongType {
                typ: jws.header().typ().map(str::to_owned),
            });
        }
        Ok(Self {
            jws,
            limits: *limits,
        })
    }

    /// The token exactly as received.
    pub fn as_str(&self) -> &str {
        self.jws.as_str()
    }

    /// The protected header.
    pub fn header(&self) -> &Header {
        self.jws.header()
    }

    /// The `kid` header parameter.
    pub fn kid(&self) -> Option<&str> {
        self.jws.header().kid()
    }

    /// The `alg` header parameter.
    pub fn alg(&self) -> JwsAlgorithm {
        self.jws.header().alg()
    }

    /// The claims, **unverified**: for inspection only (logging, picking a key). Nothing in
    /// them may be relied on before [`UnverifiedStatusListToken::verify`] succeeds.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] when the payload is not a JSON object.
    pub fn unverified_claims(&self) -> Result<Map<String, Value>, Error> {
        Ok(sdjwt_jose::json::parse_object(self.jws.payload())?)
    }

    /// Verifies the token with candidate public keys (§8.3 step 3.a; key resolution is out of
    /// the draft's scope, §11.3), then validates its claims and decodes the Status List.
    ///
    /// Candidates are the keys that suit the header's `alg` (key type, curve, any `alg` or
    /// `use` member) and, when the header has a `kid`, do not carry a different `kid`. The
    /// signature must verify under one of them.
    ///
    /// # Errors
    ///
    /// [`Error::Jose`] with [`sdjwt_jose::Error::UnsupportedAlgorithm`] when the provider
    /// cannot verify `alg`; [`Error::NoCandidateKey`]; [`Error::InvalidSignature`]; then as
    /// [`UnverifiedStatusListToken::verify_with`].
    pub fn verify(
        self,
        keys: &[Jwk],
        provider: &CryptoProvider,
        validation: &Validation<'_>,
    ) -> Result<VerifiedStatusListToken, Error> {
        let alg = self.alg();
        if !provider.supports(alg) {
            return Err(sdjwt_jose::Error::UnsupportedAlgorithm {
                alg,
                provider: provider.name,
            }
            .into());
        }
        let kid = self.kid();
        let mut candidates = keys
            .iter()
            .filter(|k| match (kid, k.key_id()) {
                (Some(want), Some(have)) => want == have,
                _ => true,
            })
            .filter(|k| k.check_algorithm(alg).is_ok())
            .peekable();
        if candidates.peek().is_none() {
            return Err(Error::NoCandidateKey {
                kid: kid.map(str::to_owned),
                alg,
            });
        }
        let verified = candidates.any(|key| {
            provider
                .verifier(key, alg)
                .is_ok_and(|v| self.jws.verify(v.as_ref()).is_ok())
        });
        if !verified {
            return Err(Error::InvalidSignature);
        }
        self.validate(validation)
    }

    /// Verifies the signature with a verifier the caller has already chosen (for example one
    /// built from an `x5c` certificate chain), then validates as
    /// [`UnverifiedStatusListToken::verify`] does.
    ///
    /// Steps, in the order of §8.3:
    ///
    /// 1. the signature (3.a; §5.1 rule 2);
    /// 2. the required claims `sub`, `iat` and `status_list` exist, and `sub`, `iat`, `exp`,
    ///    `nbf`, `ttl` and `iss` have the right types (3.b; `ttl` a positive integer);
    /// 3. `sub` equals the expected URI (4.a);
    /// 4. `iat` is not in the future and, with a [`Validation::max_age`], not too old (4.b);
    ///    `exp` has not passed (4.c) and `nbf` has (RFC 7519 §4.1.5, per §5.1 rule 3);
    /// 5. `status_list` decodes, within [`Limits::max_decompressed_bytes`] (5).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSignature`] (and [`Error::Jose`] for an algorithm mismatch),
    /// [`Error::Json`], [`Error::MissingMember`], [`Error::InvalidMember`],
    /// [`Error::SubjectMismatch`], [`Error::IssuedInFuture`], [`Error::TooOld`],
    /// [`Error::Expired`], [`Error::NotYetValid`], and the decoding errors of
    /// [`JsonStatusList::from_json`].
    pub fn verify_with(
        self,
        verifier: &dyn JwsVerifier,
        validation: &Validation<'_>,
    ) -> Result<VerifiedStatusListToken, Error> {
        match self.jws.verify(verifier) {
            Ok(()) => {}
            Err(sdjwt_jose::Error::InvalidSignature) => return Err(Error::InvalidSignature),
            Err(e) => return Err(e.into()),
        }
        self.validate(validation)
    }

    /// §8.3 steps 3.b to 5, after the signature has been checked.
    fn validate(self, validation: &Validation<'_>) -> Result<VerifiedStatusListToken, Error> {
        let claims = sdjwt_jose::json::parse_object(self.jws.payload())?;
        let sub = match claims.get("sub") {
            None => return Err(Error::MissingMember { name: "sub" }),
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(Error::InvalidMember { name: "sub" }),
        };
        let iat = numeric_date(&claims, "iat")?.ok_or(Error::MissingMember { name: "iat" })?;
        let exp = numeric_date(&claims, "exp")?;
        let nbf = numeric_date(&claims, "nbf")?;
        let ttl = match claims.get("ttl") {
            None => None,
            Some(v) => match v.as_u64() {
                Some(t) if t > 0 => Some(t),
                _ => return Err(Error::InvalidMember { name: "ttl" }),
            },
        };
        let iss = match claims.get("iss") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(Error::InvalidMember { name: "iss" }),
        };
        let status_list = reference::status_list_member(&claims)?;

        if sub != validation.uri {
            return Err(Error::SubjectMismatch {
                expected: validation.uri.to_owned(),
                found: sub,
            });
        }
        let now = validation.now;
        let leeway = i64::try_from(validation.leeway).unwrap_or(i64::MAX);
        if iat > now.saturating_add(leeway) {
            return Err(Error::IssuedInFuture { now, iat });
        }
        if let Some(max_age) = validation.max_age {
            let max_age_i = i64::try_from(max_age).unwrap_or(i64::MAX);
            if now.saturating_sub(iat) > max_age_i.saturating_add(leeway) {
                return Err(Error::TooOld { now, iat, max_age });
            }
        }
        if let Some(exp) = exp
            && now.saturating_sub(leeway) >= exp
        {
            return Err(Error::Expired { now, exp });
        }
        if let Some(nbf) = nbf
            && now.saturating_add(leeway) < nbf
        {
            return Err(Error::NotYetValid { now, nbf });
        }

        let status_list = JsonStatusList::from_json(status_list, &self.limits)?;
        Ok(VerifiedStatusListToken {
            jws: self.jws,
            sub,
            iat,
            exp,
            ttl,
            iss,
            status_list,
        })
    }
}

/// Reads a NumericDate claim (RFC 7519 §2): an integer, or a number with a fraction, truncated
/// towards negative infinity.
fn numeric_date(claims: &Map<String, Value>, name: &'static str) -> Result<Option<i64>, Error> {
    claims
        .get(name)
        .map(|v| sdjwt_jose::json::numeric_date(v).ok_or(Error::InvalidMember { name }))
        .transpose()
}

/// A Status List Token whose signature verified and whose claims passed
/// draft-ietf-oauth-status-list-20 §8.3 steps 3 and 4, with its Status List decoded (step 5).
///
/// The only way to get one is [`UnverifiedStatusListToken::verify`] or
/// [`UnverifiedStatusListToken::verify_with`]. Look statuses up with [`check`](crate::check)
/// or [`VerifiedStatusListToken::status_of`]; cache it according to
/// [`VerifiedStatusListToken::cache_until`].
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedStatusListToken {
    jws: CompactJws,
    sub: String,
    iat: i64,
    exp: Option<i64>,
    ttl: Option<u64>,
    iss: Option<String>,
    status_list: JsonStatusList,
}

impl VerifiedStatusListToken {
    /// The token exactly as received.
    pub fn as_str(&self) -> &str {
        self.jws.as_str()
    }

    /// The protected header.
    pub fn header(&self) -> &Header {
        self.jws.header()
    }

    /// `sub`: the URI of this Status List Token (§5.1).
    pub fn sub(&self) -> &str {
        &self.sub
    }

    /// `iat`: when the token was issued (§5.1).
    pub fn iat(&self) -> i64 {
        self.iat
    }

    /// `exp`, if present: when the token "is considered expired by the Status Issuer" (§5.1).
    pub fn exp(&self) -> Option<i64> {
        self.exp
    }

    /// `ttl`, if present: the most seconds the token may be cached "before a fresh copy SHOULD
    /// be retrieved" (§5.1). It counts from the time the token was fetched, not from `iat`
    /// (§13.7).
    pub fn ttl(&self) -> Option<u64> {
        self.ttl
    }

    /// `iss`, if present.
    pub fn iss(&self) -> Option<&str> {
        self.iss.as_deref()
    }

    /// The decoded `status_list` claim, with its `aggregation_uri`.
    pub fn status_list(&self) -> &JsonStatusList {
        &self.status_list
    }

    /// The decoded Status List.
    pub fn list(&self) -> &StatusList {
        self.status_list.list()
    }

    /// The claims set as received (including the `status_list` member in its encoded form).
    ///
    /// # Errors
    ///
    /// None in practice: the payload was parsed once during verification. [`Error::Json`]
    /// is returned rather than a panic should that ever change.
    pub fn claims(&self) -> Result<Map<String, Value>, Error> {
        Ok(sdjwt_jose::json::parse_object(self.jws.payload())?)
    }

    /// The status of the Referenced Token that `reference` came from; see [`crate::check`],
    /// which this calls, for the rules (and for when to call it).
    ///
    /// # Errors
    ///
    /// As [`crate::check`].
    pub fn status_of(&self, reference: &StatusReference) -> Result<Status, Error> {
        reference::check(reference, self)
    }

    /// Until when a cached copy may be used without fetching again, for a token fetched at
    /// `fetched_at` (§8.3 step 4.d, §13.7):
    ///
    /// * with `ttl`: `fetched_at + ttl`, but not past `exp` ("After time of fetching, the
    ///   Relying Party caches the Status List for time duration of `ttl`", the RECOMMENDED
    ///   option);
    /// * without `ttl`: `exp` ("If no `ttl` is given, then Relying Party SHOULD check for
    ///   updates latest after the time of `exp`");
    /// * with neither: `None`, and the Relying Party's own policy decides.
    ///
    /// §11.5 asks clients to keep both values within reasonable bounds; clamp the result to
    /// the application's own minimum and maximum refresh intervals.
    pub fn cache_until(&self, fetched_at: i64) -> Option<i64> {
        let by_ttl = self
            .ttl
            .map(|ttl| fetched_at.saturating_add(i64::try_from(ttl).unwrap_or(i64::MAX)));
        match (by_ttl, self.exp) {
            (Some(t), Some(exp)) => Some(t.min(exp)),
            (Some(t), None) => Some(t),
            (None, exp) => exp,
        }
    }

    /// Whether the token speaks for the statuses at `time`: `iat <= time < exp` (or
    /// `iat <= time` without `exp`). §8.4: a client asking for the list at a past time "MUST
    /// reject a response unless the requested timestamp is within the valid time of the
    /// returned token".
    pub fn covers(&self, time: i64) -> bool {
        self.iat <= time && self.exp.is_none_or(|exp| time < exp)
    }
}
