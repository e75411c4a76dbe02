//! base58btc, the multibase encoding with prefix `z` that did:key uses (did:key v0.9
//! "did:key Identifier Syntax"; the alphabet of draft-msporny-base58-03 §2).
//!
//! The text is a big-endian base-58 number, with one leading `1` for each leading zero byte
//! (draft-msporny-base58-03 §3 and §4). That makes the encoding bijective: every byte string has
//! exactly one spelling, so a did:key value needs no separate canonical-form check.
//!
//! Decoding is quadratic in the length, so callers bound the input first (see
//! [`super::MAX_DID_KEY_MULTIBASE_LEN`]).

/// The base58btc alphabet (the Bitcoin one): no `0`, `O`, `I` or `l`.
const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Marks bytes outside the alphabet.
const INVALID: u8 = 0xff;

/// Digit value of each byte, or [`INVALID`].
const DIGITS: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Decodes base58btc text (without the multibase `z`).
///
/// # Errors
///
/// The byte offset of the first character outside the alphabet.
pub(super) fn decode(text: &str) -> Result<Vec<u8>, usize> {
    let input = text.as_bytes();
    let zeros = input.iter().take_while(|&&c| c == b'1').count();
    // Little-endian base-256 digits of the number the characters after the leading `1`s spell.
    // 58 < 256, so there are never more bytes than characters.
    let mut number: Vec<u8> = Vec::with_capacity(input.len());
    for (position, &c) in input.iter().enumerate() {
        let digit = DIGITS[usize::from(c)];
        if digit == INVALID {
            return Err(position);
        }
        let mut carry = u32::from(digit);
        for byte in &mut number {
            carry += u32::from(*byte) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            number.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let mut out = vec![0u8; zeros];
    out.extend(number.iter().rev());
    Ok(out)
}

/// Encodes `bytes` as base58btc text (without the multibase `z`).
pub(super) fn encode(bytes: &[u8]) -> String {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    // Little-endian base-58 digits; log(256)/log(58) < 1.37.
    let mut digits: Vec<u8> = Vec::with_capacity(bytes.len() * 137 / 100 + 1);
    for &byte in bytes.iter().skip(zeros) {
        let mut carry = u32::from(byte);
        for digit in &mut digits {
            carry += u32::from(*digit) << 8;
            *digit = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let mut out = String::with_capacity(zeros + digits.len());
    out.extend(std::iter::repeat_n('1', zeros));
    // Every digit is below 58, so the lookup always succeeds.
    out.extend(
        digits
            .iter()
            .rev()
            .filter_map(|&d| ALPHABET.get(usize::from(d)).map(|&c| char::from(c))),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// draft-msporny-base58-03 §5 test vectors, and leading-zero cases.
    const VECTORS: &[(&[u8], &str)] = &[
        (b"", ""),
        (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
        (
            b"The quick brown fox jumps over the lazy dog.",
            "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
        ),
        (&[0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd], "11233QC4"),
        (&[0x00], "1"),
        (&[0x00, 0x00, 0x00], "111"),
        (&[0x3a], "21"),
        (&[0xff, 0xff], "LUv"),
    ];

    #[test]
    fn known_answers() {
        for (bytes, text) in VECTORS {
            assert_eq!(encode(bytes), *text);
            assert_eq!(decode(text).as_deref(), Ok(*bytes), "{text}");
        }
    }

    #[test]
    fn rejects_characters_outside_the_alphabet() {
        for (text, position) in [("0", 0), ("1O", 1), ("abcI", 3), ("2NEl", 3), ("z+", 1)] {
            assert_eq!(decode(text), Err(position), "{text}");
        }
        assert_eq!(decode("é"), Err(0));
    }

    #[test]
    fn round_trips_every_short_prefix_pattern() {
        for len in 0..40usize {
            let bytes: Vec<u8> = (0..len)
                .map(|i| if i < len / 3 { 0 } else { (i * 37 + 11) as u8 })
                .collect();
            assert_eq!(decode(&encode(&bytes)), Ok(bytes));
        }
    }
}
