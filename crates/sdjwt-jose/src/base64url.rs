//! Strict base64url without padding (RFC 4648 §5, as profiled by RFC 7515 §2).
//!
//! JOSE and RFC 9901 require the URL-safe alphabet with all trailing `=` omitted. This decoder is
//! deliberately strict so that exactly one string decodes to any given byte sequence:
//!
//! * padding (`=`) is rejected,
//! * any character outside `A-Z a-z 0-9 - _` is rejected (including whitespace and the standard
//!   alphabet's `+` and `/`),
//! * a length of `4n + 1` characters is rejected (it cannot encode whole bytes),
//! * the unused low bits of the last character must be zero (non-canonical encodings are
//!   rejected).
//!
//! Uniqueness matters for SD-JWT: digests are computed over the base64url *text* of a Disclosure
//! (RFC 9901 §4.2.3), so two spellings of one Disclosure would yield two different digests.

use core::fmt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Marks bytes that are not in the base64url alphabet.
const INVALID: u8 = 0xff;

const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Why a string is not canonical unpadded base64url.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Base64Error {
    /// A `=` padding character was found at this byte offset.
    Padding {
        /// Byte offset of the first `=`.
        position: usize,
    },
    /// A byte outside the base64url alphabet was found at this offset.
    InvalidCharacter {
        /// Byte offset of the offending character.
        position: usize,
    },
    /// The length is `4n + 1`, which cannot encode a whole number of bytes.
    InvalidLength,
    /// The final character carries non-zero unused bits, so the encoding is not canonical.
    NonCanonical,
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Padding { position } => {
                write!(
                    f,
                    "base64url padding '=' at offset {position} is not allowed"
                )
            }
            Self::InvalidCharacter { position } => {
                write!(
                    f,
                    "character at offset {position} is not in the base64url alphabet"
                )
            }
            Self::InvalidLength => f.write_str("base64url text has an impossible length"),
            Self::NonCanonical => f.write_str("base64url text has non-zero trailing bits"),
        }
    }
}

impl std::error::Error for Base64Error {}

/// Encodes `data` as unpadded base64url.
pub fn encode(data: impl AsRef<[u8]>) -> String {
    let data = data.as_ref();
    let mut out = String::with_capacity(encoded_len(data.len()));
    encode_into(data, &mut out);
    out
}

/// The number of characters [`encode`] produces for `len` input bytes.
pub const fn encoded_len(len: usize) -> usize {
    (len / 3) * 4
        + match len % 3 {
            0 => 0,
            1 => 2,
            _ => 3,
        }
}

/// Appends the unpadded base64url encoding of `data` to `out`.
pub fn encode_into(data: &[u8], out: &mut String) {
    out.reserve(encoded_len(data.len()));
    let mut chunks = data.chunks_exact(3);
    for c in &mut chunks {
        let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
        for shift in [18u32, 12, 6, 0] {
            out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
        }
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.push(char::from(ALPHABET[((n >> 18) & 63) as usize]));
            out.push(char::from(ALPHABET[((n >> 12) & 63) as usize]));
        }
        [a, b] => {
            let n = (u32::from(a) << 16) | (u32::from(b) << 8);
            out.push(char::from(ALPHABET[((n >> 18) & 63) as usize]));
            out.push(char::from(ALPHABET[((n >> 12) & 63) as usize]));
            out.push(char::from(ALPHABET[((n >> 6) & 63) as usize]));
        }
        _ => {}
    }
}

/// Decodes canonical unpadded base64url text.
///
/// # Errors
///
/// Returns a [`Base64Error`] for padding, characters outside the alphabet, impossible lengths
/// and non-zero trailing bits.
pub fn decode(text: impl AsRef<[u8]>) -> Result<Vec<u8>, Base64Error> {
    let text = text.as_ref();
    validate(text)?;
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut chunks = text.chunks_exact(4);
    for c in &mut chunks {
        let n = (u32::from(DECODE[c[0] as usize]) << 18)
            | (u32::from(DECODE[c[1] as usize]) << 12)
            | (u32::from(DECODE[c[2] as usize]) << 6)
            | u32::from(DECODE[c[3] as usize]);
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    match *chunks.remainder() {
        [a, b] => {
            let n = (u32::from(DECODE[a as usize]) << 18) | (u32::from(DECODE[b as usize]) << 12);
            out.push((n >> 16) as u8);
        }
        [a, b, c] => {
            let n = (u32::from(DECODE[a as usize]) << 18)
                | (u32::from(DECODE[b as usize]) << 12)
                | (u32::from(DECODE[c as usize]) << 6);
            out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]);
        }
        _ => {}
    }
    Ok(out)
}

/// Checks that `text` is canonical unpadded base64url without decoding it.
///
/// # Errors
///
/// The same as [`decode`].
pub fn validate(text: &[u8]) -> Result<(), Base64Error> {
    for (position, &b) in text.iter().enumerate() {
        if DECODE[b as usize] == INVALID {
            return Err(if b == b'=' {
                Base64Error::Padding { position }
            } else {
                Base64Error::InvalidCharacter { position }
            });
        }
    }
    let last = text.last().map(|&b| DECODE[b as usize]);
    match (text.len() % 4, last) {
        (1, _) => Err(Base64Error::InvalidLength),
        // Two characters carry 12 bits for one byte: the low 4 bits must be zero.
        (2, Some(v)) if v & 0x0f != 0 => Err(Base64Error::NonCanonical),
        // Three characters carry 18 bits for two bytes: the low 2 bits must be zero.
        (3, Some(v)) if v & 0x03 != 0 => Err(Base64Error::NonCanonical),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors_round_trip() {
        // RFC 4648 §10 test vectors, with padding removed and the URL-safe alphabet.
        let cases: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
        ];
        for (raw, text) in cases {
            assert_eq!(encode(raw), text);
            assert_eq!(decode(text).as_deref(), Ok(raw));
        }
        assert_eq!(encode([0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8"), Ok(vec![0xfb, 0xff]));
    }

    #[test]
    fn rejects_padding_alphabet_length_and_trailing_bits() {
        assert_eq!(decode("Zg=="), Err(Base64Error::Padding { position: 2 }));
        assert_eq!(
            decode("Zm+v"),
            Err(Base64Error::InvalidCharacter { position: 2 })
        );
        assert_eq!(
            decode("Zm9/"),
            Err(Base64Error::InvalidCharacter { position: 3 })
        );
        assert_eq!(
            decode("Zm 9"),
            Err(Base64Error::InvalidCharacter { position: 2 })
        );
        assert_eq!(decode("Zm9vY"), Err(Base64Error::InvalidLength));
        // "Zh" decodes to 'f' like "Zg" but sets unused bits.
        assert_eq!(decode("Zh"), Err(Base64Error::NonCanonical));
        assert_eq!(decode("Zm9"), Err(Base64Error::NonCanonical));
    }

    #[test]
    fn every_length_round_trips() {
        let data: Vec<u8> = (0..=255u8).collect();
        for len in 0..data.len() {
            let text = encode(&data[..len]);
            assert_eq!(text.len(), encoded_len(len));
            assert_eq!(decode(&text).as_deref(), Ok(&data[..len]));
        }
    }
}
