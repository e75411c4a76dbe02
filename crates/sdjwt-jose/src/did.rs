//! did:key and did:jwk: DIDs that carry their public key inside the identifier, so that a
//! verifier can turn an `iss` or `kid` such as `did:key:z…#z…` into a [`Jwk`] without any
//! network access.
//!
//! * **did:key** (W3C CCG did:key v0.9, "did:key Identifier Syntax"):
//!   `did:key:` + `z` + base58btc(unsigned-varint(multicodec) || raw public key). Supported
//!   keys, with the lengths of the "Signature Method Creation Algorithm" table:
//!   Ed25519 (`0xed`, 32 bytes), P-256 (`0x1200`, 33-byte compressed point), P-384 (`0x1201`,
//!   49 bytes), P-521 (`0x1202`, 67 bytes; the 2022 CCG test vectors) and secp256k1 (`0xe7`,
//!   33 bytes). EC points are compressed in the identifier; turning one into a JWK takes the
//!   crypto provider ([`CryptoProvider::decompress_ec_point`]), which also checks the point is on
//!   the curve.
//! * **did:jwk** (quartzjer/did-jwk): `did:jwk:` + base64url(UTF-8 JSON of a public JWK); the one
//!   verification method is `#0`.
//!
//! Parsing is strict: only these two methods, only the `z` (base58btc) multibase form, minimal
//! varints, known codecs, exact key lengths, no DID URL path or query, and a fragment (when
//! present) that names the one signature verification method. Input length is bounded
//! ([`MAX_DID_URL_LEN`], [`MAX_DID_KEY_MULTIBASE_LEN`]).
//!
//! ```
//! use sdjwt_jose::did::{DidError, DidUrl};
//!
//! // did:key v0.9 "A simple Ed25519 did:key value", as a verification method id.
//! let url: DidUrl = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK\
//!                    #z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
//!     .parse()?;
//! assert_eq!(url.did().method(), "key");
//! assert_eq!(url.to_string(), url.did().verification_method_id());
//!
//! assert_eq!(
//!     DidUrl::parse("did:web:example.com"),
//!     Err(DidError::UnsupportedMethod { method: "web".into() })
//! );
//! # Ok::<(), DidError>(())
//! ```
//!
//! Resolving takes a crypto provider (EC did:keys need it); [`resolve_key`] does it all:
//!
//! ```
//! # let provider = sdjwt_test::AWS_LC;
//! // `provider`: a `CryptoProvider`, such as `sdjwt_aws_lc::DEFAULT_PROVIDER`.
//! // The did:key v0.9 P-256 test vector, as a `kid`.
//! let kid = "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv\
//!            #zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv";
//! let jwk = sdjwt_jose::did::resolve_key(kid, &provider)?;
//! assert_eq!(jwk.describe(), "EC P-256");
//! assert!(!jwk.is_private());
//! # Ok::<(), sdjwt_jose::did::DidError>(())
//! ```

mod base58;

use core::fmt;
use core::str::FromStr;

use serde_json::Value;

use crate::alg::EcCurve;
use crate::base64url;
use crate::crypto::CryptoProvider;
use crate::error::Error;
use crate::jwk::{Jwk, KeyParams};

/// The longest DID URL accepted, in bytes: 4096.
///
/// The longest identifier these methods produce for a key this crate accepts is a did:jwk of an
/// 8192-bit RSA key (the largest modulus the providers verify with): about 1 900 bytes for the
/// required members, so 4096 leaves room for `kid`, `alg` and `use` while keeping the work
/// per identifier small.
pub const MAX_DID_URL_LEN: usize = 4096;

/// The longest did:key multibase value decoded, in characters: 1024.
///
/// base58 decoding is quadratic in the length. The longest supported key (P-521, 69 bytes with
/// its codec) takes 95 characters; 1024 still lets an RSA-4096 did:key (about 740 characters)
/// reach the decoder and be refused as [`DidError::UnsupportedCodec`] rather than as too long.
pub const MAX_DID_KEY_MULTIBASE_LEN: usize = 1024;

/// The most bytes an unsigned varint may take (multiformats unsigned-varint: at most 9 bytes,
/// 63 bits).
const MAX_VARINT_LEN: usize = 9;

/// The multicodec of an X25519 public key (`x25519-pub`), a key-agreement key.
const X25519_CODEC: u64 = 0xec;

/// Why a DID or DID URL was refused. The did:key v0.9 error names are given where one applies.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DidError {
    /// The input is longer than the limit ([`MAX_DID_URL_LEN`], or
    /// [`MAX_DID_KEY_MULTIBASE_LEN`] for a did:key multibase value).
    TooLong {
        /// The length received.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The text does not start with the `did:` scheme (DID Core §3.1).
    NotADid,
    /// The text is not `did:<method>:<method-specific-id>`: the method name is empty or has a
    /// character other than `a-z 0-9`, the `:` after it is missing, or the method-specific id is
    /// empty (DID Core §3.1; did:key `invalidDid`).
    InvalidSyntax {
        /// Byte offset in the input where the syntax breaks.
        position: usize,
    },
    /// A DID method other than `key` and `jwk`.
    UnsupportedMethod {
        /// The method name received.
        method: String,
    },
    /// The DID URL has a path or a query (DID Core §3.2); only a fragment is supported.
    UnsupportedDidUrl,
    /// The fragment does not name the signature verification method: for did:key it must
    /// repeat the multibase value (see [`DidKey::verification_method_id`]; the derived X25519
    /// key-agreement method `#z6LS…` is refused here too), for did:jwk it must be `0`.
    FragmentMismatch {
        /// The fragment the DID URL must have.
        expected: String,
        /// The fragment received.
        found: String,
    },
    /// A did:key whose multibase value does not start with `z` (base58btc), the only form the
    /// did:key "Document Creation Algorithm" step 3 accepts (did:key `invalidDid`). This also
    /// refuses the versioned form `did:key:1:z…`, which the identifier syntax does not have.
    UnsupportedMultibase {
        /// The first character of the multibase value.
        prefix: char,
    },
    /// A character outside the base58btc alphabet.
    InvalidBase58 {
        /// Byte offset of the character in the input.
        position: usize,
    },
    /// The multicodec varint runs past the end of the decoded bytes.
    TruncatedVarint,
    /// The multicodec varint is not in its shortest form (multiformats unsigned-varint).
    NonMinimalVarint,
    /// The multicodec varint is longer than 9 bytes (multiformats unsigned-varint).
    VarintTooLong,
    /// A multicodec that is not a supported signature key type (for example BLS12-381, RSA or
    /// `jwk_jcs-pub`; did:key `unsupportedPublicKeyType`).
    UnsupportedCodec {
        /// The multicodec value.
        codec: u64,
    },
    /// A key-agreement key where a signature key is needed: an X25519 did:key (`0xec`, which
    /// did:key only uses for `keyAgreement`), or a did:jwk whose `use` is `enc` (which has only
    /// a `keyAgreement` relationship).
    KeyAgreementOnly,
    /// The raw key has the wrong length for its multicodec (did:key `invalidPublicKeyLength`).
    InvalidPublicKeyLength {
        /// The multicodec value.
        codec: u64,
        /// The length the codec requires.
        expected: usize,
        /// The length received.
        found: usize,
    },
    /// The raw key is not a valid key of its type: an EC point whose first byte is not `0x02`
    /// or `0x03`, or that is not on the curve (did:key `invalidPublicKey`).
    InvalidPublicKey {
        /// The multicodec value.
        codec: u64,
    },
    /// A did:jwk whose JWK has private members (`d`, RSA CRT members, or a symmetric `k`); the
    /// did:jwk security considerations require refusing it.
    PrivateKey,
    /// A did:jwk whose method-specific id is not base64url, not a JSON object, or not a JWK
    /// that [`Jwk::from_json`] accepts.
    Jwk(Error),
    /// The crypto provider could not decompress the EC point (for example
    /// [`Error::UnsupportedPointDecompression`]).
    Crypto(Error),
    /// The key has no did:key encoding here (RSA keys; did:key lists no JWK mapping for them).
    NoDidKeyEncoding {
        /// What the key is, as [`Jwk::describe`] puts it.
        key: String,
    },
}

impl fmt::Display for DidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong { len, max } => {
                write!(f, "DID is {len} bytes long, the limit is {max}")
            }
            Self::NotADid => f.write_str("not a DID (no \"did:\" prefix)"),
            Self::InvalidSyntax { position } => {
                write!(f, "DID syntax is invalid at offset {position}")
            }
            Self::UnsupportedMethod { method } => {
                write!(f, "DID method {method:?} is not supported")
            }
            Self::UnsupportedDidUrl => f.write_str("DID URL paths and queries are not supported"),
            Self::FragmentMismatch { expected, found } => {
                write!(
                    f,
                    "DID URL fragment {found:?} does not name the key (expected {expected:?})"
                )
            }
            Self::UnsupportedMultibase { prefix } => {
                write!(
                    f,
                    "did:key multibase prefix {prefix:?} is not supported (only 'z', base58btc)"
                )
            }
            Self::InvalidBase58 { position } => {
                write!(
                    f,
                    "character at offset {position} is not in the base58btc alphabet"
                )
            }
            Self::TruncatedVarint => f.write_str("did:key multicodec varint is truncated"),
            Self::NonMinimalVarint => f.write_str("did:key multicodec varint is not minimal"),
            Self::VarintTooLong => f.write_str("did:key multicodec varint is too long"),
            Self::UnsupportedCodec { codec } => {
                write!(
                    f,
                    "did:key multicodec {codec:#x} is not a supported key type"
                )
            }
            Self::KeyAgreementOnly => {
                f.write_str("DID names a key-agreement key, not a signature key")
            }
            Self::InvalidPublicKeyLength {
                codec,
                expected,
                found,
            } => write!(
                f,
                "did:key public key for codec {codec:#x} is {found} bytes, expected {expected}"
            ),
            Self::InvalidPublicKey { codec } => {
                write!(f, "did:key public key for codec {codec:#x} is invalid")
            }
            Self::PrivateKey => f.write_str("did:jwk holds a private key"),
            Self::Jwk(e) => write!(f, "did:jwk key is invalid: {e}"),
            Self::Crypto(e) => write!(f, "DID key resolution failed: {e}"),
            Self::NoDidKeyEncoding { key } => write!(f, "a {key} key has no did:key encoding"),
        }
    }
}

impl std::error::Error for DidError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Jwk(e) | Self::Crypto(e) => Some(e),
            _ => None,
        }
    }
}

/// A key type did:key can carry and this crate can verify signatures with, by its multicodec
/// (multicodec `table.csv`, rows with tag `key`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DidKeyType {
    /// `ed25519-pub` (`0xed`): a 32-byte Ed25519 public key (RFC 8032 §5.1.5).
    Ed25519,
    /// `p256-pub` (`0x1200`): a 33-byte compressed P-256 point (SEC 1 v2 §2.3.3).
    P256,
    /// `p384-pub` (`0x1201`): a 49-byte compressed P-384 point.
    P384,
    /// `p521-pub` (`0x1202`): a 67-byte compressed P-521 point.
    P521,
    /// `secp256k1-pub` (`0xe7`): a 33-byte compressed secp256k1 point.
    Secp256k1,
}

impl DidKeyType {
    /// Every supported key type.
    pub const ALL: &'static [Self] = &[
        Self::Ed25519,
        Self::P256,
        Self::P384,
        Self::P521,
        Self::Secp256k1,
    ];

    /// The multicodec value.
    pub const fn codec(self) -> u64 {
        match self {
            Self::Ed25519 => 0xed,
            Self::P256 => 0x1200,
            Self::P384 => 0x1201,
            Self::P521 => 0x1202,
            Self::Secp256k1 => 0xe7,
        }
    }

    /// The length of the raw public key (did:key v0.9 "Signature Method Creation Algorithm"
    /// step 3; P-521 is `1 + 66`, the compressed form its multicodec names).
    pub const fn public_key_len(self) -> usize {
        match self.curve() {
            Some(crv) => 1 + crv.coordinate_len(),
            None => 32,
        }
    }

    /// The elliptic curve, for the EC key types.
    pub const fn curve(self) -> Option<EcCurve> {
        match self {
            Self::Ed25519 => None,
            Self::P256 => Some(EcCurve::P256),
            Self::P384 => Some(EcCurve::P384),
            Self::P521 => Some(EcCurve::P521),
            Self::Secp256k1 => Some(EcCurve::Secp256k1),
        }
    }

    /// The key type of a multicodec value, if supported.
    pub fn from_codec(codec: u64) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.codec() == codec)
    }

    fn from_curve(crv: EcCurve) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.curve() == Some(crv))
    }
}

/// A did:key DID: its multibase value and the public key it encodes, checked for codec and
/// length (did:key v0.9 "Decode Public Key Algorithm" and "Signature Method Creation
/// Algorithm" steps 2 and 3).
///
/// EC points are only checked for their prefix byte here; [`DidKey::to_jwk`] decompresses them,
/// which proves they are on the curve (step 4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DidKey {
    multibase: String,
    key_type: DidKeyType,
    public_key: Vec<u8>,
}

impl DidKey {
    /// Parses the multibase value of a did:key (the part after `did:key:`, starting with `z`).
    ///
    /// # Errors
    ///
    /// [`DidError::UnsupportedMultibase`], [`DidError::TooLong`], [`DidError::InvalidBase58`],
    /// the varint errors, [`DidError::UnsupportedCodec`], [`DidError::KeyAgreementOnly`],
    /// [`DidError::InvalidPublicKeyLength`] or [`DidError::InvalidPublicKey`].
    pub fn from_multibase(value: &str) -> Result<Self, DidError> {
        Self::parse_at(value, 0)
    }

    /// As [`DidKey::from_multibase`], reporting character positions relative to `offset`.
    fn parse_at(value: &str, offset: usize) -> Result<Self, DidError> {
        let Some(digits) = value.strip_prefix('z') else {
            let prefix = value
                .chars()
                .next()
                .ok_or(DidError::InvalidSyntax { position: offset })?;
            return Err(DidError::UnsupportedMultibase { prefix });
        };
        if value.len() > MAX_DID_KEY_MULTIBASE_LEN {
            return Err(DidError::TooLong {
                len: value.len(),
                max: MAX_DID_KEY_MULTIBASE_LEN,
            });
        }
        let bytes = base58::decode(digits).map_err(|position| DidError::InvalidBase58 {
            position: offset + 1 + position,
        })?;
        let (codec, key) = read_varint(&bytes)?;
        if codec == X25519_CODEC {
            return Err(DidError::KeyAgreementOnly);
        }
        let key_type = DidKeyType::from_codec(codec).ok_or(DidError::UnsupportedCodec { codec })?;
        check_public_key(key_type, key)?;
        Ok(Self {
            multibase: value.to_owned(),
            key_type,
            public_key: key.to_vec(),
        })
    }

    /// The did:key of a raw public key of `key_type` (did:key v0.9 "did:key Identifier
    /// Syntax": `MULTIBASE(base58-btc, MULTICODEC(public-key-type, raw-public-key-bytes))`).
    ///
    /// # Errors
    ///
    /// [`DidError::InvalidPublicKeyLength`], or [`DidError::InvalidPublicKey`] for an EC key
    /// that is not in compressed form.
    pub fn from_public_key(key_type: DidKeyType, public_key: &[u8]) -> Result<Self, DidError> {
        check_public_key(key_type, public_key)?;
        let mut bytes = Vec::with_capacity(MAX_VARINT_LEN + public_key.len());
        write_varint(key_type.codec(), &mut bytes);
        bytes.extend_from_slice(public_key);
        Ok(Self {
            multibase: format!("z{}", base58::encode(&bytes)),
            key_type,
            public_key: public_key.to_vec(),
        })
    }

    /// The did:key of a JWK's public key. EC points are compressed: `0x02` or `0x03` by the
    /// parity of `y`, then `x` (SEC 1 v2 §2.3.3). Private members are ignored.
    ///
    /// # Errors
    ///
    /// [`DidError::NoDidKeyEncoding`] for RSA keys.
    pub fn from_jwk(jwk: &Jwk) -> Result<Self, DidError> {
        match jwk.params() {
            KeyParams::Ed25519 { x, .. } => Self::from_public_key(DidKeyType::Ed25519, x),
            KeyParams::Ec { crv, x, y, .. } => {
                let key_type =
                    DidKeyType::from_curve(*crv).ok_or_else(|| DidError::NoDidKeyEncoding {
                        key: jwk.describe(),
                    })?;
                let parity = y.last().map_or(0, |b| b & 1);
                let mut point = Vec::with_capacity(1 + x.len());
                point.push(0x02 | parity);
                point.extend_from_slice(x);
                Self::from_public_key(key_type, &point)
            }
            _ => Err(DidError::NoDidKeyEncoding {
                key: jwk.describe(),
            }),
        }
    }

    /// The key type.
    pub fn key_type(&self) -> DidKeyType {
        self.key_type
    }

    /// The raw public key: 32 bytes for Ed25519, a compressed point for EC keys.
    pub fn public_key(&self) -> &[u8] {
        &self.public_key
    }

    /// The multibase value (`z…`), the method-specific id.
    pub fn multibase(&self) -> &str {
        &self.multibase
    }

    /// The id of the signature verification method: `did:key:z…#z…`, the identifier, `#` and
    /// the multibase value (did:key v0.9 "Create" example and "Encryption Method Creation
    /// Algorithm" step 5; "Signature Method Creation Algorithm" step 5 says "multicodecValue",
    /// but every example and test vector uses the multibase value).
    pub fn verification_method_id(&self) -> String {
        format!("{self}#{}", self.multibase)
    }

    /// The public key as a JWK (did:key v0.9 "Encode JWK Algorithm"): `OKP`/`Ed25519` with `x`,
    /// or `EC` with `x` and `y` recovered from the compressed point by `provider`, which checks
    /// the point is on the curve ("Signature Method Creation Algorithm" step 4). No `d`, and
    /// no `kid`, `alg` or `use`. An Ed25519 key is passed on as its 32 bytes, as from a JWK:
    /// the backend checks it when a verifier is built or a signature is checked.
    ///
    /// # Errors
    ///
    /// [`DidError::InvalidPublicKey`] for a point that is not on the curve,
    /// [`DidError::Crypto`] when the provider cannot decompress points on the curve.
    pub fn to_jwk(&self, provider: &CryptoProvider) -> Result<Jwk, DidError> {
        let codec = self.key_type.codec();
        let params = match self.key_type.curve() {
            None => KeyParams::Ed25519 {
                x: self.public_key.clone(),
                d: None,
            },
            Some(crv) => {
                let (x, y) = provider
                    .decompress_ec_point(crv, &self.public_key)
                    .map_err(|e| match e {
                        Error::Crypto => DidError::InvalidPublicKey { codec },
                        other => DidError::Crypto(other),
                    })?;
                KeyParams::Ec { crv, x, y, d: None }
            }
        };
        // The lengths were checked when parsing and by the provider call; a failure here would be
        // a backend answering with malformed coordinates.
        Jwk::new(params).map_err(DidError::Crypto)
    }
}

impl fmt::Display for DidKey {
    /// `did:key:` and the multibase value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "did:key:{}", self.multibase)
    }
}

/// Checks a raw did:key public key against its type: the exact length (did:key
/// `invalidPublicKeyLength`) and, for EC keys, the compressed-point prefix.
fn check_public_key(key_type: DidKeyType, key: &[u8]) -> Result<(), DidError> {
    let codec = key_type.codec();
    let expected = key_type.public_key_len();
    if key.len() != expected {
        return Err(DidError::InvalidPublicKeyLength {
            codec,
            expected,
            found: key.len(),
        });
    }
    // The multicodec rows name the compressed form for every EC key type, and the length table
    // admits no other: an uncompressed point (0x04) is refused by length, a hybrid or otherwise
    // wrong prefix here.
    if key_type.curve().is_some() && !matches!(key.first(), Some(0x02 | 0x03)) {
        return Err(DidError::InvalidPublicKey { codec });
    }
    Ok(())
}

/// Reads the multicodec prefix (a multiformats unsigned varint: little-endian groups of 7 bits,
/// high bit set on every byte but the last, shortest form, at most 9 bytes) and returns it with
/// the bytes after it.
fn read_varint(bytes: &[u8]) -> Result<(u64, &[u8]), DidError> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(MAX_VARINT_LEN) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            // A last byte of zero adds nothing: a shorter encoding exists.
            if byte == 0 && i > 0 {
                return Err(DidError::NonMinimalVarint);
            }
            let rest = bytes.get(i + 1..).unwrap_or_default();
            return Ok((value, rest));
        }
    }
    if bytes.len() >= MAX_VARINT_LEN {
        Err(DidError::VarintTooLong)
    } else {
        Err(DidError::TruncatedVarint)
    }
}

/// Appends `value` as a multiformats unsigned varint.
fn write_varint(mut value: u64, out: &mut Vec<u8>) {
    while value >= 0x80 {
        out.push((value & 0x7f) as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A did:jwk DID: the base64url method-specific id and the public JWK it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DidJwk {
    encoded: String,
    // Boxed: a JWK is several times the size of a did:key, and `Did` holds either.
    jwk: Box<Jwk>,
}

/// JWK members that only private (or symmetric) keys have (RFC 7518 §6.2.2, §6.3.2, §6.4).
const PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

impl DidJwk {
    /// Parses the method-specific id of a did:jwk (did:jwk "Read": base64url-decode, parse the
    /// UTF-8 JSON, validate the JWK).
    ///
    /// # Errors
    ///
    /// [`DidError::Jwk`] for text that is not base64url, not a JSON object or not a JWK
    /// [`Jwk::from_json`] accepts; [`DidError::PrivateKey`] for a JWK with private members;
    /// [`DidError::KeyAgreementOnly`] for one whose `use` is `enc`.
    pub fn from_encoded(value: &str) -> Result<Self, DidError> {
        let json = base64url::decode(value).map_err(|e| DidError::Jwk(e.into()))?;
        let map = crate::json::parse_object(&json).map_err(|e| DidError::Jwk(e.into()))?;
        if PRIVATE_MEMBERS.iter().any(|name| map.contains_key(*name)) {
            return Err(DidError::PrivateKey);
        }
        if map.get("use").and_then(Value::as_str) == Some("enc") {
            return Err(DidError::KeyAgreementOnly);
        }
        let jwk = Jwk::from_json(&map).map_err(DidError::Jwk)?;
        Ok(Self {
            encoded: value.to_owned(),
            jwk: Box::new(jwk),
        })
    }

    /// The did:jwk of a JWK's public key (did:jwk "Create"). The JSON is the key's required
    /// public members in lexicographic order without whitespace, the RFC 7638 §3 form (which is
    /// also what JCS gives for them), as in the did:jwk examples: one DID per key, whatever
    /// `kid`, `alg` or `use` the JWK has. Private members are never included.
    pub fn from_jwk(jwk: &Jwk) -> Self {
        let jwk = jwk.bare_public();
        Self {
            encoded: base64url::encode(jwk.thumbprint_input().as_bytes()),
            jwk: Box::new(jwk),
        }
    }

    /// The public key.
    pub fn jwk(&self) -> &Jwk {
        &self.jwk
    }

    /// The base64url method-specific id.
    pub fn encoded(&self) -> &str {
        &self.encoded
    }

    /// The id of the one verification method: `did:jwk:…#0` (did:jwk "DID URL": the fragment
    /// is always `0`).
    pub fn verification_method_id(&self) -> String {
        format!("{self}#0")
    }
}

impl fmt::Display for DidJwk {
    /// `did:jwk:` and the base64url value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "did:jwk:{}", self.encoded)
    }
}

/// A DID of a supported method.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Did {
    /// `did:key:z…`.
    Key(DidKey),
    /// `did:jwk:…`.
    Jwk(DidJwk),
}

impl Did {
    /// The method name: `key` or `jwk`.
    pub fn method(&self) -> &'static str {
        match self {
            Self::Key(_) => "key",
            Self::Jwk(_) => "jwk",
        }
    }

    /// The id of the DID's signature verification method (`did:key:z…#z…` or `did:jwk:…#0`).
    pub fn verification_method_id(&self) -> String {
        match self {
            Self::Key(key) => key.verification_method_id(),
            Self::Jwk(jwk) => jwk.verification_method_id(),
        }
    }

    /// The public key (see [`DidKey::to_jwk`]; a did:jwk needs no provider).
    ///
    /// # Errors
    ///
    /// As for [`DidKey::to_jwk`].
    pub fn resolve_key(&self, provider: &CryptoProvider) -> Result<Jwk, DidError> {
        match self {
            Self::Key(key) => key.to_jwk(provider),
            Self::Jwk(jwk) => Ok(jwk.jwk().clone()),
        }
    }
}

impl fmt::Display for Did {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Key(key) => key.fmt(f),
            Self::Jwk(jwk) => jwk.fmt(f),
        }
    }
}

/// A DID, or a DID URL whose fragment names the DID's signature verification method
/// (DID Core §3.2 `did-url = did path-abempty [ "?" query ] [ "#" fragment ]`, without path or
/// query).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DidUrl {
    did: Did,
    fragment: Option<String>,
}

impl DidUrl {
    /// Parses a did:key or did:jwk DID, optionally with the fragment of its verification method.
    ///
    /// # Errors
    ///
    /// [`DidError::TooLong`] beyond [`MAX_DID_URL_LEN`]; [`DidError::NotADid`],
    /// [`DidError::InvalidSyntax`], [`DidError::UnsupportedMethod`],
    /// [`DidError::UnsupportedDidUrl`] or [`DidError::FragmentMismatch`] for the DID URL itself;
    /// the errors of [`DidKey::from_multibase`] and [`DidJwk::from_encoded`] for its key.
    pub fn parse(text: &str) -> Result<Self, DidError> {
        if text.len() > MAX_DID_URL_LEN {
            return Err(DidError::TooLong {
                len: text.len(),
                max: MAX_DID_URL_LEN,
            });
        }
        const SCHEME: &str = "did:";
        let rest = text.strip_prefix(SCHEME).ok_or(DidError::NotADid)?;
        let (did_part, fragment) = match rest.split_once('#') {
            Some((did, fragment)) => (did, Some(fragment)),
            None => (rest, None),
        };
        // DID Core §3.1: method-name = 1*method-char, method-char = %x61-7A / DIGIT.
        let method_len = did_part
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            .count();
        let (method, after_method) = did_part.split_at(method_len);
        let id = match after_method.strip_prefix(':') {
            Some(id) if !method.is_empty() => id,
            _ => {
                return Err(DidError::InvalidSyntax {
                    position: SCHEME.len() + method_len,
                });
            }
        };
        if !matches!(method, "key" | "jwk") {
            return Err(DidError::UnsupportedMethod {
                method: method.to_owned(),
            });
        }
        if id.contains(['/', '?']) {
            return Err(DidError::UnsupportedDidUrl);
        }
        let id_offset = SCHEME.len() + method.len() + 1;
        if id.is_empty() {
            return Err(DidError::InvalidSyntax {
                position: id_offset,
            });
        }
        let (did, expected_fragment) = if method == "key" {
            (Did::Key(DidKey::parse_at(id, id_offset)?), id)
        } else {
            (Did::Jwk(DidJwk::from_encoded(id)?), "0")
        };
        if let Some(found) = fragment
            && found != expected_fragment
        {
            return Err(DidError::FragmentMismatch {
                expected: expected_fragment.to_owned(),
                found: found.to_owned(),
            });
        }
        Ok(Self {
            did,
            fragment: fragment.map(str::to_owned),
        })
    }

    /// The DID.
    pub fn did(&self) -> &Did {
        &self.did
    }

    /// The fragment, if any (without `#`).
    pub fn fragment(&self) -> Option<&str> {
        self.fragment.as_deref()
    }

    /// The public key of the DID's signature verification method (see [`Did::resolve_key`]).
    ///
    /// # Errors
    ///
    /// As for [`DidKey::to_jwk`].
    pub fn resolve_key(&self, provider: &CryptoProvider) -> Result<Jwk, DidError> {
        self.did.resolve_key(provider)
    }
}

impl FromStr for DidUrl {
    type Err = DidError;

    fn from_str(s: &str) -> Result<Self, DidError> {
        Self::parse(s)
    }
}

impl fmt::Display for DidUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.did.fmt(f)?;
        match &self.fragment {
            Some(fragment) => write!(f, "#{fragment}"),
            None => Ok(()),
        }
    }
}

/// Resolves a did:key or did:jwk DID, or the DID URL of its verification method, to its public
/// key: what issuer key discovery does with an `iss` or `kid` that is a DID URL.
///
/// # Errors
///
/// The errors of [`DidUrl::parse`] and [`DidUrl::resolve_key`].
pub fn resolve_key(did_url: &str, provider: &CryptoProvider) -> Result<Jwk, DidError> {
    DidUrl::parse(did_url)?.resolve_key(provider)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED25519_DID: &str = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

    // did:jwk "Examples", P-256.
    const JWK_P256_DID: &str = "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9";

    fn multibase_of(codec_and_key: &[u8]) -> String {
        format!("z{}", base58::encode(codec_and_key))
    }

    #[test]
    fn varints() {
        let mut out = Vec::new();
        for value in [0u64, 1, 0x7f, 0x80, 0xed, 0x1200, 0xeb51, u64::MAX >> 1] {
            out.clear();
            write_varint(value, &mut out);
            out.push(0xaa);
            assert_eq!(read_varint(&out), Ok((value, &[0xaa][..])), "{value:#x}");
        }
        out.clear();
        write_varint(0x1200, &mut out);
        assert_eq!(out, [0x80, 0x24]);
        assert_eq!(read_varint(&[0xed, 0x01, 0x00]), Ok((0xed, &[0x00][..])));
        assert_eq!(read_varint(&[0xed, 0x01]), Ok((0xed, &[][..])));
        assert_eq!(
            read_varint(&[0xed, 0x81, 0x00, 1]),
            Err(DidError::NonMinimalVarint)
        );
        assert_eq!(read_varint(&[0x80, 0x00]), Err(DidError::NonMinimalVarint));
        assert_eq!(read_varint(&[]), Err(DidError::TruncatedVarint));
        assert_eq!(read_varint(&[0x80, 0x80]), Err(DidError::TruncatedVarint));
        assert_eq!(read_varint(&[0xff; 9]), Err(DidError::VarintTooLong));
        assert_eq!(read_varint(&[0xff; 20]), Err(DidError::VarintTooLong));
    }

    #[test]
    fn parses_the_spec_example() -> Result<(), DidError> {
        let url = DidUrl::parse(ED25519_DID)?;
        let Did::Key(key) = url.did() else {
            panic!("not a did:key: {url:?}");
        };
        assert_eq!(key.key_type(), DidKeyType::Ed25519);
        assert_eq!(key.public_key().len(), 32);
        assert_eq!(url.fragment(), None);
        assert_eq!(url.to_string(), ED25519_DID);
        let vm = url.did().verification_method_id();
        assert_eq!(
            vm,
            format!("{ED25519_DID}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
        );
        let with_fragment = DidUrl::parse(&vm)?;
        assert_eq!(with_fragment.did(), url.did());
        assert_eq!(with_fragment.to_string(), vm);
        assert_eq!(
            DidKey::from_public_key(DidKeyType::Ed25519, key.public_key()).as_ref(),
            Ok(key)
        );
        Ok(())
    }

    #[test]
    fn did_syntax_errors() {
        let too_long = format!("did:jwk:{}", "A".repeat(MAX_DID_URL_LEN));
        let cases: &[(&str, DidError)] = &[
            ("", DidError::NotADid),
            ("DID:key:z6Mk", DidError::NotADid),
            ("urn:key:z6Mk", DidError::NotADid),
            ("did:", DidError::InvalidSyntax { position: 4 }),
            ("did::z6Mk", DidError::InvalidSyntax { position: 4 }),
            ("did:key", DidError::InvalidSyntax { position: 7 }),
            ("did:Key:z6Mk", DidError::InvalidSyntax { position: 4 }),
            ("did:ke-y:z6Mk", DidError::InvalidSyntax { position: 6 }),
            ("did:key:", DidError::InvalidSyntax { position: 8 }),
            ("did:key:#", DidError::InvalidSyntax { position: 8 }),
            (
                "did:web:example.com",
                DidError::UnsupportedMethod {
                    method: "web".into(),
                },
            ),
            (
                "did:example:123#0",
                DidError::UnsupportedMethod {
                    method: "example".into(),
                },
            ),
            ("did:key:z6Mk/path", DidError::UnsupportedDidUrl),
            ("did:jwk:e30?service=x", DidError::UnsupportedDidUrl),
            (
                "did:key:u7QE",
                DidError::UnsupportedMultibase { prefix: 'u' },
            ),
            (
                "did:key:1:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                DidError::UnsupportedMultibase { prefix: '1' },
            ),
            ("did:key:z6Mk0aXg", DidError::InvalidBase58 { position: 12 }),
        ];
        for (text, expected) in cases {
            assert_eq!(DidUrl::parse(text).as_ref(), Err(expected), "{text:?}");
        }
        assert_eq!(
            DidUrl::parse(&too_long),
            Err(DidError::TooLong {
                len: too_long.len(),
                max: MAX_DID_URL_LEN
            })
        );
        let long_key = format!("did:key:z{}", "2".repeat(MAX_DID_KEY_MULTIBASE_LEN));
        assert_eq!(
            DidUrl::parse(&long_key),
            Err(DidError::TooLong {
                len: MAX_DID_KEY_MULTIBASE_LEN + 1,
                max: MAX_DID_KEY_MULTIBASE_LEN
            })
        );
    }

    #[test]
    fn fragments_must_name_the_verification_method() {
        let other = "z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p";
        assert_eq!(
            DidUrl::parse(&format!("{ED25519_DID}#{other}")),
            Err(DidError::FragmentMismatch {
                expected: "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK".into(),
                found: other.into(),
            })
        );
        assert!(matches!(
            DidUrl::parse(&format!("{ED25519_DID}#")),
            Err(DidError::FragmentMismatch { .. })
        ));
        assert!(matches!(
            DidUrl::parse(&format!("{JWK_P256_DID}#1")),
            Err(DidError::FragmentMismatch { .. })
        ));
        assert!(DidUrl::parse(&format!("{JWK_P256_DID}#0")).is_ok());
    }

    #[test]
    fn did_key_codec_and_length_errors() {
        let key = [0x02u8; 33];
        let with = |prefix: &[u8], key: &[u8]| {
            let mut bytes = prefix.to_vec();
            bytes.extend_from_slice(key);
            DidKey::from_multibase(&multibase_of(&bytes))
        };
        // X25519 is for key agreement only.
        assert_eq!(
            with(&[0xec, 0x01], &[9; 32]),
            Err(DidError::KeyAgreementOnly)
        );
        // BLS12-381 G2, RSA and jwk_jcs-pub are not supported; 0x00 is no key codec.
        assert_eq!(
            with(&[0xeb, 0x01], &[1; 96]),
            Err(DidError::UnsupportedCodec { codec: 0xeb })
        );
        assert_eq!(
            with(&[0x85, 0x24], &[1; 270]),
            Err(DidError::UnsupportedCodec { codec: 0x1205 })
        );
        assert_eq!(
            with(&[0xd1, 0xd6, 0x03], b"{}"),
            Err(DidError::UnsupportedCodec { codec: 0xeb51 })
        );
        // The P-256 codec 0x1200 spelled with a redundant third byte.
        assert_eq!(
            with(&[0x80, 0xa4, 0x00], &key),
            Err(DidError::NonMinimalVarint)
        );
        assert_eq!(with(&[0x80], &[]), Err(DidError::TruncatedVarint));
        // Wrong lengths, including the uncompressed form of a P-256 point.
        assert_eq!(
            with(&[0xed, 0x01], &[1; 31]),
            Err(DidError::InvalidPublicKeyLength {
                codec: 0xed,
                expected: 32,
                found: 31
            })
        );
        let mut uncompressed = vec![0x04u8];
        uncompressed.extend_from_slice(&[1; 64]);
        assert_eq!(
            with(&[0x80, 0x24], &uncompressed),
            Err(DidError::InvalidPublicKeyLength {
                codec: 0x1200,
                expected: 33,
                found: 65
            })
        );
        assert_eq!(
            with(&[0x82, 0x24], &key),
            Err(DidError::InvalidPublicKeyLength {
                codec: 0x1202,
                expected: 67,
                found: 33
            })
        );
        // A 33-byte value with a hybrid-form prefix.
        let mut hybrid = key;
        hybrid[0] = 0x06;
        assert_eq!(
            with(&[0xe7, 0x01], &hybrid),
            Err(DidError::InvalidPublicKey { codec: 0xe7 })
        );
    }

    #[test]
    fn encodings_have_the_prefixes_of_the_test_vectors() -> Result<(), DidError> {
        for (key_type, prefix) in [
            (DidKeyType::Ed25519, "z6Mk"),
            (DidKeyType::Secp256k1, "zQ3s"),
            (DidKeyType::P256, "zDn"),
            (DidKeyType::P384, "z82"),
            (DidKeyType::P521, "z2J9"),
        ] {
            let mut raw = vec![0x03u8; key_type.public_key_len()];
            raw[1] = 0x11;
            let did = DidKey::from_public_key(key_type, &raw)?;
            assert!(did.multibase().starts_with(prefix), "{key_type:?}: {did}");
            assert_eq!(DidKey::from_multibase(did.multibase()).as_ref(), Ok(&did));
        }
        Ok(())
    }

    #[test]
    fn did_jwk_example_resolves_without_a_provider() -> Result<(), DidError> {
        let url = DidUrl::parse(JWK_P256_DID)?;
        let Did::Jwk(did) = url.did() else {
            panic!("not a did:jwk: {url:?}");
        };
        let expected = Jwk::from_json_str(
            r#"{"crv":"P-256","kty":"EC","x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE"}"#,
        )
        .map_err(DidError::Jwk)?;
        assert_eq!(did.jwk(), &expected);
        // Encoding the key again gives the example's identifier.
        assert_eq!(DidJwk::from_jwk(&expected).to_string(), JWK_P256_DID);
        assert_eq!(
            url.did().verification_method_id(),
            format!("{JWK_P256_DID}#0")
        );
        Ok(())
    }

    #[test]
    fn did_jwk_refusals() {
        let did_jwk = |json: &str| format!("did:jwk:{}", base64url::encode(json.as_bytes()));
        // did:jwk "Examples", X25519 (use: enc).
        let x25519 = "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJIQzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9";
        assert_eq!(DidUrl::parse(x25519), Err(DidError::KeyAgreementOnly));
        let private = did_jwk(
            r#"{"kty":"EC","crv":"P-256","x":"b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ","y":"Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8","d":"Ur2bNKuBPOrAaxsRnbSH6hIhmNTxSGXshDSUD1a1y7g"}"#,
        );
        assert_eq!(DidUrl::parse(&private), Err(DidError::PrivateKey));
        assert_eq!(
            DidUrl::parse(&did_jwk(r#"{"kty":"oct","k":"c2VjcmV0"}"#)),
            Err(DidError::PrivateKey)
        );
        assert!(matches!(
            DidUrl::parse(&did_jwk(r#"{"kty":"OKP","crv":"X25519","x":"AAAA"}"#)),
            Err(DidError::Jwk(Error::Jwk(_)))
        ));
        assert!(matches!(
            DidUrl::parse(&did_jwk(r#"{"kty":"EC","kty":"EC"}"#)),
            Err(DidError::Jwk(Error::Json(_)))
        ));
        assert!(matches!(
            DidUrl::parse(&did_jwk("[]")),
            Err(DidError::Jwk(Error::Json(_)))
        ));
        assert!(matches!(
            DidUrl::parse("did:jwk:e30="),
            Err(DidError::Jwk(Error::Base64(_)))
        ));
    }
}
