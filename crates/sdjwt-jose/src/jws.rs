//! JSON Web Signatures (RFC 7515): the compact serialization (§7.1) and the JSON serialization
//! in general and flattened syntax (§7.2).
//!
//! Verification always runs over the signing input exactly as received
//! (`BASE64URL(protected) || '.' || BASE64URL(payload)`); nothing is re-encoded.

use serde_json::{Map, Value};

use crate::alg::{HashOutput, JwsAlgorithm};
use crate::base64url;
use crate::crypto::{JwsSigner, JwsVerifier};
use crate::error::{Error, JwsError};
use crate::json;

/// A parsed JWS protected header.
///
/// `alg` must be present in the protected header and must not be `none` or an HMAC algorithm;
/// `typ`, `kid` and `cty`, when present, must be strings; `crit` is refused because no
/// extension is understood (RFC 7515 §4.1.11).
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    alg: JwsAlgorithm,
    members: Map<String, Value>,
}

impl Header {
    /// Interprets a decoded protected header.
    ///
    /// # Errors
    ///
    /// [`Error::Jws`] for a missing `alg`, mistyped parameters or `crit`;
    /// [`Error::ForbiddenAlgorithm`] or [`Error::UnknownAlgorithm`] for the `alg` value.
    pub fn from_json(members: Map<String, Value>) -> Result<Self, Error> {
        let alg = match members.get("alg") {
            None => return Err(JwsError::MissingAlgorithm.into()),
            Some(Value::String(s)) => s.parse::<JwsAlgorithm>()?,
            Some(_) => return Err(JwsError::InvalidHeaderParameter { name: "alg".into() }.into()),
        };
        for name in ["typ", "kid", "cty"] {
            if members.get(name).is_some_and(|v| !v.is_string()) {
                return Err(JwsError::InvalidHeaderParameter { name: name.into() }.into());
            }
        }
        if members.contains_key("crit") {
            return Err(JwsError::UnsupportedCritical.into());
        }
        Ok(Self { alg, members })
    }

    /// Decodes and interprets a base64url protected header.
    ///
    /// # Errors
    ///
    /// As [`Header::from_json`], plus base64url and JSON errors.
    pub fn decode(b64: &str) -> Result<Self, Error> {
        let bytes = base64url::decode(b64)?;
        Self::from_json(json::parse_object(&bytes)?)
    }

    /// The signature algorithm.
    pub fn alg(&self) -> JwsAlgorithm {
        self.alg
    }

    /// The `typ` parameter.
    pub fn typ(&self) -> Option<&str> {
        self.members.get("typ").and_then(Value::as_str)
    }

    /// The `kid` parameter.
    pub fn kid(&self) -> Option<&str> {
        self.members.get("kid").and_then(Value::as_str)
    }

    /// Every header parameter, as received.
    pub fn members(&self) -> &Map<String, Value> {
        &self.members
    }

    /// Whether `typ` names `media_type`, compared as RFC 7515 §4.1.9 says: case-insensitively,
    /// with the `application/` prefix optional.
    pub fn typ_is(&self, media_type: &str) -> bool {
        self.typ().is_some_and(|t| media_type_eq(t, media_type))
    }
}

/// Compares two JOSE `typ`/`cty` values as RFC 7515 §4.1.9 prescribes.
pub fn media_type_eq(a: &str, b: &str) -> bool {
    fn strip(s: &str) -> &str {
        match s.get(..12) {
            Some(prefix)
                if prefix.eq_ignore_ascii_case("application/") && !s[12..].contains('/') =>
            {
                &s[12..]
            }
            _ => s,
        }
    }
    strip(a).eq_ignore_ascii_case(strip(b))
}

/// Builds a protected header: `alg` first, then `kid` (when given), then `typ` (when given),
/// then `extra` members (which may not override the three before them).
pub fn protected_header(
    alg: JwsAlgorithm,
    kid: Option<&str>,
    typ: Option<&str>,
    extra: &Map<String, Value>,
) -> Map<String, Value> {
    let mut h = Map::new();
    h.insert("alg".into(), alg.name().into());
    if let Some(kid) = kid {
        h.insert("kid".into(), kid.into());
    }
    if let Some(typ) = typ {
        h.insert("typ".into(), typ.into());
    }
    for (k, v) in extra {
        if !h.contains_key(k) {
            h.insert(k.clone(), v.clone());
        }
    }
    h
}

/// Checks `signature` over `signing_input` for a JWS whose header names `alg`.
///
/// # Errors
///
/// [`Error::AlgorithmMismatch`] when the verifier is for another algorithm,
/// [`JwsError::SignatureLength`] for a fixed-size algorithm with the wrong length, and
/// [`Error::InvalidSignature`].
pub fn verify_signature(
    alg: JwsAlgorithm,
    signing_input: &[u8],
    signature: &[u8],
    verifier: &dyn JwsVerifier,
) -> Result<(), Error> {
    check_verifier(alg, signature, verifier)?;
    verifier.verify(signing_input, signature)
}

/// [`verify_signature`] for a signing input the caller has hashed itself, with the verifier's
/// [`JwsVerifier::digest_algorithm`]: the same checks, then [`JwsVerifier::verify_digest`].
/// `digest` must come from the exact signing input received.
///
/// # Errors
///
/// As [`verify_signature`]; [`Error::InvalidSignature`] also when the verifier cannot check a
/// digest.
pub fn verify_signature_digest(
    alg: JwsAlgorithm,
    digest: &HashOutput,
    signature: &[u8],
    verifier: &dyn JwsVerifier,
) -> Result<(), Error> {
    check_verifier(alg, signature, verifier)?;
    verifier.verify_digest(digest, signature)
}

/// The checks before any signature is verified: the verifier is for `alg`, and a fixed-size
/// signature has its size.
fn check_verifier(
    alg: JwsAlgorithm,
    signature: &[u8],
    verifier: &dyn JwsVerifier,
) -> Result<(), Error> {
    if verifier.algorithm() != alg {
        return Err(Error::AlgorithmMismatch {
            header: alg,
            key: verifier.algorithm(),
        });
    }
    if let Some(expected) = alg.signature_len()
        && signature.len() != expected
    {
        return Err(JwsError::SignatureLength {
            expected,
            found: signature.len(),
        }
        .into());
    }
    Ok(())
}

/// The bytes a JWS signature is computed over, kept with the header so that the signature can be
/// made here or elsewhere (a KMS or HSM) and attached afterwards.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningInput {
    text: String,
    protected_len: usize,
    /// The header and payload the text encodes, kept so that a signed input becomes a
    /// [`CompactJws`] without decoding what was just encoded.
    protected: Map<String, Value>,
    payload: Vec<u8>,
}

impl core::fmt::Debug for SigningInput {
    /// The text only: the header and payload it keeps are the same content, decoded.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SigningInput")
            .field("text", &self.text)
            .finish_non_exhaustive()
    }
}

impl SigningInput {
    /// Encodes a protected header and a payload.
    pub fn new(protected: &Map<String, Value>, payload: &[u8]) -> Self {
        let (text, protected_len) = encode_signing_input(protected, payload);
        Self {
            text,
            protected_len,
            protected: protected.clone(),
            payload: payload.to_vec(),
        }
    }

    /// The payload bytes the signing input encodes.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The signing input as bytes: what a signature must cover.
    pub fn as_bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// The signing input as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The base64url-encoded protected header.
    pub fn protected_b64(&self) -> &str {
        &self.text[..self.protected_len]
    }

    /// The base64url-encoded payload.
    pub fn payload_b64(&self) -> &str {
        &self.text[self.protected_len + 1..]
    }

    /// Attaches a signature, giving the compact serialization.
    pub fn into_compact(self, signature: &[u8]) -> String {
        let mut text = self.text;
        append_signature(&mut text, signature);
        text
    }

    /// Attaches a signature, giving the parsed compact JWS: the same value
    /// [`CompactJws::parse`] would make of [`SigningInput::into_compact`]'s text, without
    /// decoding the header and payload that were just encoded.
    ///
    /// # Errors
    ///
    /// Header errors (see [`Header::from_json`]): the protected header has no usable `alg` or
    /// has `crit`.
    pub fn into_compact_jws(self, signature: &[u8]) -> Result<CompactJws, Error> {
        let header = Header::from_json(self.protected)?;
        let first_dot = self.protected_len;
        let mut text = self.text;
        let second_dot = text.len();
        append_signature(&mut text, signature);
        Ok(CompactJws {
            text,
            first_dot,
            second_dot,
            header,
            payload: self.payload,
            signature: signature.to_vec(),
        })
    }

    /// Signs with `signer`.
    ///
    /// # Errors
    ///
    /// Whatever the signer returns.
    pub fn sign(&self, signer: &dyn JwsSigner) -> Result<Vec<u8>, Error> {
        signer.try_sign(self.as_bytes())
    }
}

/// Signs `payload` into a compact JWS; `alg` and `kid` come from the signer.
///
/// # Errors
///
/// Whatever the signer returns.
pub fn sign_compact(
    signer: &dyn JwsSigner,
    typ: Option<&str>,
    extra_header: &Map<String, Value>,
    payload: &[u8],
) -> Result<String, Error> {
    let mut text = String::new();
    sign_compact_into(&mut text, signer, typ, extra_header, payload)?;
    Ok(text)
}

/// As [`sign_compact`], appending the compact JWS to `out`, so that a caller writing a larger
/// text (an SD-JWT's Disclosures follow its JWT) copies nothing afterwards. On failure `out` is
/// left as it was.
///
/// # Errors
///
/// Signer failures.
pub fn sign_compact_into(
    out: &mut String,
    signer: &dyn JwsSigner,
    typ: Option<&str>,
    extra_header: &Map<String, Value>,
    payload: &[u8],
) -> Result<(), Error> {
    let header = protected_header(signer.algorithm(), signer.key_id(), typ, extra_header);
    // The text alone: a [`SigningInput`] would also keep the header and payload, which nothing
    // here reads.
    let start = out.len();
    write_signing_input(out, &header, payload);
    match signer.try_sign(out.as_bytes().get(start..).unwrap_or_default()) {
        Ok(signature) => {
            append_signature(out, &signature);
            Ok(())
        }
        Err(e) => {
            out.truncate(start);
            Err(e)
        }
    }
}

/// `BASE64URL(UTF8(protected)) || '.' || BASE64URL(payload)` (RFC 7515 §5.1 step 5), with
/// the length of the encoded header.
fn encode_signing_input(protected: &Map<String, Value>, payload: &[u8]) -> (String, usize) {
    let mut text = String::new();
    let protected_len = write_signing_input(&mut text, protected, payload);
    (text, protected_len)
}

/// Appends the signing input to `out`, returning the length of the encoded header.
fn write_signing_input(out: &mut String, protected: &Map<String, Value>, payload: &[u8]) -> usize {
    // Serializing a map of JSON values cannot fail; the `Display` route is only a fallback.
    let header = serde_json::to_vec(protected)
        .unwrap_or_else(|_| Value::Object(protected.clone()).to_string().into_bytes());
    // Room for the header, the payload and an ECDSA or EdDSA signature, so that appending the
    // signature does not have to grow the buffer.
    out.reserve(base64url::encoded_len(header.len()) + base64url::encoded_len(payload.len()) + 180);
    let start = out.len();
    base64url::encode_into(&header, out);
    let protected_len = out.len() - start;
    out.push('.');
    base64url::encode_into(payload, out);
    protected_len
}

/// Appends `'.' || BASE64URL(signature)`, completing a compact JWS.
fn append_signature(text: &mut String, signature: &[u8]) {
    text.push('.');
    base64url::encode_into(signature, text);
}

/// A parsed compact JWS, keeping the exact text received.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactJws {
    text: String,
    first_dot: usize,
    second_dot: usize,
    header: Header,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

impl CompactJws {
    /// Parses `text` as `BASE64URL(header).BASE64URL(payload).BASE64URL(signature)`.
    ///
    /// # Errors
    ///
    /// [`JwsError::WrongPartCount`], base64url and JSON errors, and header errors (see
    /// [`Header::from_json`]).
    pub fn parse(text: &str) -> Result<Self, Error> {
        let wrong_count = || JwsError::WrongPartCount {
            found: text.split('.').count(),
        };
        // The header and signature are short: the first dot is looked for from the front and
        // the last from the back, so the payload is not scanned for dots. A dot inside it is not
        // base64url, so decoding finds it, and the error is then told as a wrong part count.
        let (Some(first_dot), Some(second_dot)) = (text.find('.'), text.rfind('.')) else {
            return Err(wrong_count().into());
        };
        if first_dot == second_dot {
            return Err(wrong_count().into());
        }
        let payload_b64 = &text[first_dot + 1..second_dot];
        let parts = Header::decode(&text[..first_dot])
            .and_then(|header| Ok((header, base64url::decode(payload_b64)?)));
        let (header, payload) = match parts {
            Ok(parts) => parts,
            // The part count is checked first, as if the dots had all been counted up front.
            Err(_) if payload_b64.contains('.') => return Err(wrong_count().into()),
            Err(e) => return Err(e),
        };
        let signature = base64url::decode(&text[second_dot + 1..])?;
        Ok(Self {
            text: text.to_owned(),
            first_dot,
            second_dot,
            header,
            payload,
            signature,
        })
    }

    /// The JWS exactly as received.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The protected header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The decoded payload bytes.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The decoded signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The base64url-encoded protected header, as received.
    pub fn protected_b64(&self) -> &str {
        &self.text[..self.first_dot]
    }

    /// The base64url-encoded payload, as received.
    pub fn payload_b64(&self) -> &str {
        &self.text[self.first_dot + 1..self.second_dot]
    }

    /// The base64url-encoded signature, as received.
    pub fn signature_b64(&self) -> &str {
        &self.text[self.second_dot + 1..]
    }

    /// The signing input, as received.
    pub fn signing_input(&self) -> &[u8] {
        &self.text.as_bytes()[..self.second_dot]
    }

    /// Verifies the signature with `verifier`.
    ///
    /// # Errors
    ///
    /// See [`verify_signature`].
    pub fn verify(&self, verifier: &dyn JwsVerifier) -> Result<(), Error> {
        verify_signature(
            self.header.alg,
            self.signing_input(),
            &self.signature,
            verifier,
        )
    }
}

/// Which JWS JSON syntax a value used or should use (RFC 7515 §7.2.1 and §7.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonSyntax {
    /// One signature, its members at the top level.
    Flattened,
    /// A `signatures` array with one or more entries.
    General,
}

/// One signature of a JWS JSON serialization.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonSignature {
    protected_b64: String,
    header: Header,
    unprotected: Map<String, Value>,
    signature_b64: String,
    signature: Vec<u8>,
}

impl JsonSignature {
    /// Builds a signature entry from its parts, checking the header as a parser would.
    ///
    /// # Errors
    ///
    /// As for parsing: header errors, base64url errors and overlapping header parameters.
    pub fn new(
        protected_b64: &str,
        unprotected: Map<String, Value>,
        signature: &[u8],
    ) -> Result<Self, Error> {
        let header = Header::decode(protected_b64)?;
        check_disjoint(&header, &unprotected)?;
        Ok(Self {
            protected_b64: protected_b64.to_owned(),
            header,
            unprotected,
            signature_b64: base64url::encode(signature),
            signature: signature.to_vec(),
        })
    }

    /// The signature of a compact JWS as a JSON signature entry with an empty unprotected
    /// header, reusing its already parsed protected header.
    pub fn from_compact(jws: &CompactJws) -> Self {
        Self {
            protected_b64: jws.protected_b64().to_owned(),
            header: jws.header().clone(),
            unprotected: Map::new(),
            signature_b64: jws.signature_b64().to_owned(),
            signature: jws.signature().to_vec(),
        }
    }

    /// The protected header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The base64url-encoded protected header, as received.
    pub fn protected_b64(&self) -> &str {
        &self.protected_b64
    }

    /// The unprotected header (empty when absent). Not covered by the signature.
    pub fn unprotected(&self) -> &Map<String, Value> {
        &self.unprotected
    }

    /// Mutable access to the unprotected header (it is not signed).
    pub fn unprotected_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.unprotected
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The base64url-encoded signature, as received.
    pub fn signature_b64(&self) -> &str {
        &self.signature_b64
    }

    /// The `kid` from the protected header, else from the unprotected one.
    pub fn kid(&self) -> Option<&str> {
        self.header
            .kid()
            .or_else(|| self.unprotected.get("kid").and_then(Value::as_str))
    }

    /// Verifies this signature over `payload_b64` with `verifier`.
    ///
    /// # Errors
    ///
    /// See [`verify_signature`].
    pub fn verify(&self, payload_b64: &str, verifier: &dyn JwsVerifier) -> Result<(), Error> {
        let mut input = String::with_capacity(self.protected_b64.len() + 1 + payload_b64.len());
        input.push_str(&self.protected_b64);
        input.push('.');
        input.push_str(payload_b64);
        verify_signature(self.header.alg, input.as_bytes(), &self.signature, verifier)
    }

    fn from_json(obj: &Map<String, Value>) -> Result<Self, Error> {
        let protected_b64 = member_str(obj, "protected")?;
        let unprotected = match obj.get("header") {
            None => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(_) => return Err(JwsError::JsonMember { name: "header" }.into()),
        };
        let signature_b64 = member_str(obj, "signature")?;
        let signature = base64url::decode(signature_b64)?;
        let header = Header::decode(protected_b64)?;
        check_disjoint(&header, &unprotected)?;
        Ok(Self {
            protected_b64: protected_b64.to_owned(),
            header,
            unprotected,
            signature_b64: signature_b64.to_owned(),
            signature,
        })
    }

    fn write_json(&self, obj: &mut Map<String, Value>) {
        obj.insert("protected".into(), self.protected_b64.clone().into());
        if !self.unprotected.is_empty() {
            obj.insert("header".into(), Value::Object(self.unprotected.clone()));
        }
        obj.insert("signature".into(), self.signature_b64.clone().into());
    }
}

fn check_disjoint(header: &Header, unprotected: &Map<String, Value>) -> Result<(), Error> {
    match unprotected.keys().find(|k| header.members.contains_key(*k)) {
        Some(name) => Err(JwsError::DuplicateHeaderParameter { name: name.clone() }.into()),
        None => Ok(()),
    }
}

fn member_str<'a>(obj: &'a Map<String, Value>, name: &'static str) -> Result<&'a str, Error> {
    obj.get(name)
        .and_then(Value::as_str)
        .ok_or(Error::Jws(JwsError::JsonMember { name }))
}

/// A JWS in the JSON serialization, general or flattened.
///
/// Every signature must carry `alg` in its protected header; this implementation never trusts an
/// algorithm named only in an unprotected header.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonJws {
    payload_b64: String,
    payload: Vec<u8>,
    signatures: Vec<JsonSignature>,
    syntax: JsonSyntax,
}

impl JsonJws {
    /// Assembles a JWS JSON value from an encoded payload and signature entries.
    ///
    /// # Errors
    ///
    /// [`JwsError::NoSignatures`] when `signatures` is empty, [`JwsError::MixedJsonSyntax`]
    /// when flattened syntax is asked for with more than one signature, base64url errors for
    /// the payload.
    pub fn new(
        payload_b64: &str,
        signatures: Vec<JsonSignature>,
        syntax: JsonSyntax,
    ) -> Result<Self, Error> {
        if signatures.is_empty() {
            return Err(JwsError::NoSignatures.into());
        }
        if syntax == JsonSyntax::Flattened && signatures.len() != 1 {
            return Err(JwsError::MixedJsonSyntax.into());
        }
        Ok(Self {
            payload: base64url::decode(payload_b64)?,
            payload_b64: payload_b64.to_owned(),
            signatures,
            syntax,
        })
    }

    /// Parses a JWS JSON serialization from a JSON object, in either syntax.
    ///
    /// # Errors
    ///
    /// [`Error::Jws`] for missing or mistyped members and mixed syntax, plus base64url, JSON and
    /// header errors.
    pub fn from_json(obj: &Map<String, Value>) -> Result<Self, Error> {
        let payload_b64 = member_str(obj, "payload")?;
        let payload = base64url::decode(payload_b64)?;
        let (signatures, syntax) = match obj.get("signatures") {
            Some(Value::Array(entries)) => {
                if ["protected", "header", "signature"]
                    .iter()
                    .any(|k| obj.contains_key(*k))
                {
                    return Err(JwsError::MixedJsonSyntax.into());
                }
                if entries.is_empty() {
                    return Err(JwsError::NoSignatures.into());
                }
                let sigs = entries
                    .iter()
                    .map(|e| match e {
                        Value::Object(o) => JsonSignature::from_json(o),
                        _ => Err(JwsError::JsonMember { name: "signatures" }.into()),
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                (sigs, JsonSyntax::General)
            }
            Some(_) => return Err(JwsError::JsonMember { name: "signatures" }.into()),
            None => (vec![JsonSignature::from_json(obj)?], JsonSyntax::Flattened),
        };
        Ok(Self {
            payload_b64: payload_b64.to_owned(),
            payload,
            signatures,
            syntax,
        })
    }

    /// Serializes in the syntax this value carries.
    pub fn to_json(&self) -> Map<String, Value> {
        let mut obj = Map::new();
        match self.syntax {
            JsonSyntax::Flattened => {
                obj.insert("payload".into(), self.payload_b64.clone().into());
                if let Some(sig) = self.signatures.first() {
                    sig.write_json(&mut obj);
                }
            }
            JsonSyntax::General => {
                obj.insert("payload".into(), self.payload_b64.clone().into());
                let sigs = self
                    .signatures
                    .iter()
                    .map(|s| {
                        let mut o = Map::new();
                        s.write_json(&mut o);
                        Value::Object(o)
                    })
                    .collect();
                obj.insert("signatures".into(), Value::Array(sigs));
            }
        }
        obj
    }

    /// The syntax this value was parsed from or will be written in.
    pub fn syntax(&self) -> JsonSyntax {
        self.syntax
    }

    /// The base64url-encoded payload, as received.
    pub fn payload_b64(&self) -> &str {
        &self.payload_b64
    }

    /// The decoded payload.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The signatures, in order.
    pub fn signatures(&self) -> &[JsonSignature] {
        &self.signatures
    }

    /// Mutable access to the signature entries (to edit unprotected headers).
    pub fn signatures_mut(&mut self) -> &mut [JsonSignature] {
        &mut self.signatures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_parse_keeps_parts() {
        // RFC 7515 Appendix A.3 (ES256) header and payload; signature part replaced.
        let text = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UifQ.AAAA";
        let jws = CompactJws::parse(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(jws.header().alg(), JwsAlgorithm::Es256);
        assert_eq!(jws.payload(), br#"{"iss":"joe"}"#);
        assert_eq!(
            jws.signing_input(),
            b"eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UifQ"
        );
        assert_eq!(jws.signature_b64(), "AAAA");
    }

    #[test]
    fn signed_input_equals_parsed_compact() {
        let mut extra = Map::new();
        extra.insert("x5c".into(), Value::from(vec!["MII"]));
        let header = protected_header(JwsAlgorithm::Es256, Some("k-1"), Some("dc+sd-jwt"), &extra);
        let input = SigningInput::new(&header, br#"{"iss":"joe","n":[1,2.5]}"#);
        assert_eq!(input.payload(), br#"{"iss":"joe","n":[1,2.5]}"#);
        let signature = [7u8; 64];
        let text = input.clone().into_compact(&signature);
        let built = input.into_compact_jws(&signature);
        assert_eq!(built, CompactJws::parse(&text));

        // A header the parser would refuse is refused here too.
        let mut crit = protected_header(JwsAlgorithm::Es256, None, None, &Map::new());
        crit.insert("crit".into(), Value::from(vec!["b64"]));
        assert_eq!(
            SigningInput::new(&crit, b"{}").into_compact_jws(&signature),
            Err(JwsError::UnsupportedCritical.into())
        );
    }

    #[test]
    fn compact_rejections() {
        assert_eq!(
            CompactJws::parse("a.b"),
            Err(JwsError::WrongPartCount { found: 2 }.into())
        );
        assert_eq!(
            CompactJws::parse("a.b.c.d"),
            Err(JwsError::WrongPartCount { found: 4 }.into())
        );
        // {"alg":"none"}
        assert_eq!(
            CompactJws::parse("eyJhbGciOiJub25lIn0.e30."),
            Err(Error::ForbiddenAlgorithm {
                name: "none".into()
            })
        );
        // {"alg":"ES256","crit":["b64"],"b64":false}
        let h = base64url::encode(r#"{"alg":"ES256","crit":["b64"],"b64":false}"#);
        assert_eq!(
            CompactJws::parse(&format!("{h}.e30.AAAA")),
            Err(JwsError::UnsupportedCritical.into())
        );
        // {"typ":"JWT"} has no alg.
        let h = base64url::encode(r#"{"typ":"JWT"}"#);
        assert_eq!(
            CompactJws::parse(&format!("{h}.e30.AAAA")),
            Err(JwsError::MissingAlgorithm.into())
        );
    }

    #[test]
    fn typ_comparison_follows_rfc7515() {
        assert!(media_type_eq("kb+jwt", "application/KB+JWT"));
        assert!(media_type_eq("Application/kb+jwt", "kb+jwt"));
        assert!(!media_type_eq("kb+jwt", "jwt"));
    }

    #[test]
    fn json_syntax_rules() {
        let h = base64url::encode(r#"{"alg":"ES256","kid":"k"}"#);
        let flattened = serde_json::json!({"payload": "e30", "protected": h, "header": {"kid": "x"}, "signature": "AAAA"});
        let err = JsonJws::from_json(flattened.as_object().unwrap_or(&Map::new()));
        assert_eq!(
            err,
            Err(JwsError::DuplicateHeaderParameter { name: "kid".into() }.into())
        );
        let mixed = serde_json::json!({"payload": "e30", "signature": "AAAA", "signatures": []});
        assert_eq!(
            JsonJws::from_json(mixed.as_object().unwrap_or(&Map::new())),
            Err(JwsError::MixedJsonSyntax.into())
        );
        let general = serde_json::json!({"payload": "e30", "signatures": [{"protected": h, "signature": "AAAA"}]});
        let parsed = JsonJws::from_json(general.as_object().unwrap_or(&Map::new()));
        assert_eq!(
            parsed.as_ref().map(JsonJws::syntax),
            Ok(JsonSyntax::General)
        );
        assert_eq!(
            parsed.map(|p| p.to_json()),
            Ok(general.as_object().cloned().unwrap_or_default())
        );
    }
}
