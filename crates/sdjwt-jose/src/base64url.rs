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

/// The base64url alphabet (RFC 4648 §5): character `i` encodes the 6-bit value `i`.
pub const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Every pair of base64url characters, indexed by the 12 bits they encode: one lookup writes two
/// characters.
const PAIRS: [[u8; 2]; 4096] = {
    let mut table = [[0u8; 2]; 4096];
    let mut i = 0;
    while i < 4096 {
        table[i] = [ALPHABET[i >> 6], ALPHABET[i & 63]];
        i += 1;
    }
    table
};

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

/// [`DECODE`] shifted into place for each of the four characters of a quantum, so that four
/// lookups OR together into the quantum's 24 bits. An invalid character sets the bits above them.
const SHIFTED: [[u32; 256]; 4] = {
    let mut tables = [[0u32; 256]; 4];
    let mut k = 0;
    while k < 4 {
        let mut c = 0;
        while c < 256 {
            tables[k][c] = match DECODE[c] {
                INVALID => 0xff00_0000,
                v => (v as u32) << (18 - 6 * k),
            };
            c += 1;
        }
        k += 1;
    }
    tables
};

/// The 24 bits of one quantum of four characters (with bits above them set if any is invalid).
#[inline(always)]
fn quantum(c: [u8; 4]) -> u32 {
    SHIFTED[0][c[0] as usize]
        | SHIFTED[1][c[1] as usize]
        | SHIFTED[2][c[2] as usize]
        | SHIFTED[3][c[3] as usize]
}

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
    // Salts, digests and Disclosures are short: a small buffer spares zeroing a large one.
    if data.len() <= 96 {
        encode_blocks::<128>(data, out);
    } else {
        encode_blocks::<1024>(data, out);
    }
}

/// Appends the unpadded base64url encoding of `data` to a byte buffer: for text assembled as
/// bytes (many Disclosures back to back), which, unlike a `String`, takes the characters
/// without checking them as UTF-8 again.
pub fn encode_into_vec(data: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + encoded_len(data.len()), 0);
    if let Some(dst) = out.get_mut(start..) {
        encode_slice(data, dst);
    }
}

/// Encodes `data` a block at a time into a stack buffer of `N` characters (a multiple of 8) and
/// appends each block with one `push_str`, rather than pushing characters one by one.
fn encode_blocks<const N: usize>(data: &[u8], out: &mut String) {
    let mut buf = [0u8; N];
    for block in data.chunks(N / 4 * 3) {
        let len = encoded_len(block.len());
        let Some(dst) = buf.get_mut(..len) else {
            return;
        };
        encode_slice(block, dst);
        // Every byte written is from the ASCII alphabet, so this never falls back to "".
        out.push_str(core::str::from_utf8(dst).unwrap_or_default());
    }
}

/// Encodes `data` into `dst`, which is exactly [`encoded_len`] bytes long: six bytes (eight
/// characters, four table lookups) at a time, then what is left.
fn encode_slice(data: &[u8], dst: &mut [u8]) {
    let (sixes, rest) = data.as_chunks::<6>();
    let (eights, dst_rest) = dst.as_chunks_mut::<8>();
    for (src, out) in sixes.iter().zip(eights.iter_mut()) {
        let &[s0, s1, s2, s3, s4, s5] = src;
        let n = u64::from_be_bytes([0, 0, s0, s1, s2, s3, s4, s5]);
        let [a, b] = PAIRS[(n >> 36) as usize & 0xfff];
        let [c, d] = PAIRS[(n >> 24) as usize & 0xfff];
        let [e, f] = PAIRS[(n >> 12) as usize & 0xfff];
        let [g, h] = PAIRS[n as usize & 0xfff];
        *out = [a, b, c, d, e, f, g, h];
    }
    // Fewer than six bytes are left: a triple, then one or two bytes, each zero-filled to a
    // quantum of which only the characters that carry data are written (RFC 4648 §4 without
    // the padding), so the unused low bits are zero.
    let mut at = 0;
    for group in rest.chunks(3) {
        let byte = |i: usize| usize::from(group.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        let [w, x] = PAIRS[n >> 12];
        let [y, z] = PAIRS[n & 0xfff];
        let len = encoded_len(group.len());
        if let (Some(out), Some(chars)) = (dst_rest.get_mut(at..at + len), [w, x, y, z].get(..len))
        {
            out.copy_from_slice(chars);
        }
        at += len;
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
    // One pass that decodes and only remembers whether anything was wrong; on any doubt,
    // `validate` finds the exact error (which then takes the same precedence as before).
    let rejected = || validate(text).err().unwrap_or(Base64Error::InvalidLength);
    let tail_bytes = match text.len() % 4 {
        0 => 0,
        2 => 1,
        3 => 2,
        _ => return Err(rejected()),
    };
    let whole = text.len() / 4;
    let mut out = vec![0u8; whole * 3 + tail_bytes];
    // Valid table entries are below 64; `INVALID` has the top bits set.
    let mut seen = 0u8;
    // Set above bit 24 by an invalid character in a whole quantum.
    let mut wrong = 0u32;
    // Eight characters (two quanta, six bytes) at a time, then what is left four at a time.
    let (octets, _) = text.as_chunks::<8>();
    let (outs, _) = out.as_chunks_mut::<6>();
    for (src, dst) in octets.iter().zip(outs.iter_mut()) {
        let hi = quantum([src[0], src[1], src[2], src[3]]);
        let lo = quantum([src[4], src[5], src[6], src[7]]);
        wrong |= hi | lo;
        let n = (u64::from(hi) << 24) | u64::from(lo);
        dst.copy_from_slice(&n.to_be_bytes()[2..]);
    }
    let done = text.len() / 8;
    let (quads, tail) = text[done * 8..].as_chunks::<4>();
    for (src, dst) in quads
        .iter()
        .zip(out[done * 6..].as_chunks_mut::<3>().0.iter_mut())
    {
        let n = quantum(*src);
        wrong |= n;
        dst.copy_from_slice(&n.to_be_bytes()[1..]);
    }
    let at = whole * 3;
    let canonical = match *tail {
        [a, b] => {
            let (a, b) = (DECODE[a as usize], DECODE[b as usize]);
            seen |= a | b;
            out[at] = (a << 2) | (b >> 4);
            // Two characters carry 12 bits for one byte: the low 4 bits must be zero.
            b & 0x0f == 0
        }
        [a, b, c] => {
            let (a, b, c) = (DECODE[a as usize], DECODE[b as usize], DECODE[c as usize]);
            seen |= a | b | c;
            out[at] = (a << 2) | (b >> 4);
            out[at + 1] = (b << 4) | (c >> 2);
            // Three characters carry 18 bits for two bytes: the low 2 bits must be zero.
            c & 0x03 == 0
        }
        _ => true,
    };
    if seen & 0xc0 != 0 || wrong & 0xff00_0000 != 0 || !canonical {
        return Err(rejected());
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
    fn errors_are_found_wherever_they_are_in_long_input() {
        let text = encode((0..=255u8).collect::<Vec<u8>>());
        // Every position: in eight-character blocks, in the four-character block after them
        // (342 = 42 * 8 + 4 + 2) and in the two-character tail.
        for position in 0..text.len() {
            let mut bad = text.clone().into_bytes();
            bad[position] = b'+';
            assert_eq!(
                decode(&bad),
                Err(Base64Error::InvalidCharacter { position })
            );
            bad[position] = b'=';
            assert_eq!(decode(&bad), Err(Base64Error::Padding { position }));
        }
        // 256 bytes leave one byte over: two characters whose last must end in four zero bits.
        let mut bad = text.into_bytes();
        if let Some(last) = bad.last_mut() {
            *last = b'B';
        }
        assert_eq!(decode(&bad), Err(Base64Error::NonCanonical));
    }

    /// RFC 4648 §4 bit by bit: each 6-bit group, most significant first, the last one
    /// zero-filled, and no padding (§5 alphabet).
    fn reference(data: &[u8]) -> String {
        let bits: Vec<bool> = data
            .iter()
            .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1))
            .collect();
        bits.chunks(6)
            .map(|group| {
                let v = (0..6).fold(0usize, |v, i| {
                    v << 1 | usize::from(group.get(i) == Some(&true))
                });
                char::from(ALPHABET[v])
            })
            .collect()
    }

    #[test]
    fn every_encoder_matches_the_bit_by_bit_reference() {
        // Lengths across both buffer sizes of `encode_into` and their block boundaries (96 and
        // 768 bytes), appended after text already in the buffer.
        let data: Vec<u8> = (0..1600u32).map(|i| (i * 131 + 7) as u8).collect();
        for len in (0..200).chain(760..780).chain(1530..1545) {
            let expected = reference(&data[..len]);
            assert_eq!(encode(&data[..len]), expected, "length {len}");
            let mut text = String::from("x.");
            encode_into(&data[..len], &mut text);
            assert_eq!(text.get(2..), Some(expected.as_str()), "length {len}");
            let mut bytes = b"x.".to_vec();
            encode_into_vec(&data[..len], &mut bytes);
            assert_eq!(bytes.get(2..), Some(expected.as_bytes()), "length {len}");
        }
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
