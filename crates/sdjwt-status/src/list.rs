//! The Status List: a packed byte array of status values and its ZLIB/DEFLATE compression
//! (draft-ietf-oauth-status-list-20 §4.1).

use core::fmt;
use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::{Compression, Decompress, FlushDecompress};

use crate::error::Error;
use crate::limits::{Limit, Limits};
use crate::status::Status;

/// The number of bits per Referenced Token in a Status List: 1, 2, 4 or 8
/// (draft-ietf-oauth-status-list-20 §4.1 step 1, §4.2 `bits`).
///
/// Each status then fits inside one byte, so no status straddles two bytes.
///
/// ```
/// use sdjwt_status::Bits;
///
/// assert_eq!(Bits::try_from(2u64), Ok(Bits::Two));
/// assert!(Bits::try_from(3u64).is_err());
/// assert_eq!(Bits::Four.max_value(), 0x0f);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bits {
    /// 1 bit: VALID and INVALID only.
    One,
    /// 2 bits: up to `0x03`, so SUSPENDED and one application-specific status fit.
    Two,
    /// 4 bits: up to `0x0F`, the whole registered range including application-specific
    /// `0x0C` to `0x0F`.
    Four,
    /// 8 bits: any Status Type value.
    Eight,
}

impl Bits {
    /// Every allowed value, smallest first.
    pub const ALL: [Self; 4] = [Self::One, Self::Two, Self::Four, Self::Eight];

    /// The number of bits: 1, 2, 4 or 8.
    pub const fn value(self) -> u8 {
        match self {
            Self::One => 1,
            Self::Two => 2,
            Self::Four => 4,
            Self::Eight => 8,
        }
    }

    /// How many statuses share one byte: 8, 4, 2 or 1 (§4.1 step 2).
    pub const fn entries_per_byte(self) -> usize {
        match self {
            Self::One => 8,
            Self::Two => 4,
            Self::Four => 2,
            Self::Eight => 1,
        }
    }

    /// The largest Status Type value that fits: `0x01`, `0x03`, `0x0F` or `0xFF`.
    pub const fn max_value(self) -> u8 {
        match self {
            Self::One => 0x01,
            Self::Two => 0x03,
            Self::Four => 0x0f,
            Self::Eight => 0xff,
        }
    }

    /// The smallest size that holds `value` (§7: the Status Issuer "MUST choose an adequate
    /// `bits` value").
    pub const fn smallest_for(value: u8) -> Self {
        match value {
            0x00..=0x01 => Self::One,
            0x02..=0x03 => Self::Two,
            0x04..=0x0f => Self::Four,
            _ => Self::Eight,
        }
    }
}

impl TryFrom<u64> for Bits {
    type Error = Error;

    /// Accepts 1, 2, 4 and 8 (§4.2).
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedBits`] for anything else.
    fn try_from(value: u64) -> Result<Self, Error> {
        match value {
            1 => Ok(Self::One),
            2 => Ok(Self::Two),
            4 => Ok(Self::Four),
            8 => Ok(Self::Eight),
            _ => Err(Error::UnsupportedBits { value }),
        }
    }
}

impl TryFrom<u8> for Bits {
    type Error = Error;

    /// Accepts 1, 2, 4 and 8 (§4.2).
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedBits`] for anything else.
    fn try_from(value: u8) -> Result<Self, Error> {
        Self::try_from(u64::from(value))
    }
}

impl From<Bits> for u8 {
    fn from(bits: Bits) -> Self {
        bits.value()
    }
}

impl fmt::Display for Bits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value().fmt(f)
    }
}

/// The statuses of many Referenced Tokens, packed exactly as draft-ietf-oauth-status-list-20
/// §4.1 lays them out: entry `i` occupies bits `(i mod k) * bits` up to
/// `(i mod k) * bits + bits - 1` of byte `i / k`, where `k` = 8 / `bits`, counting bits from the
/// least significant ("0") to the most significant ("7").
///
/// Only the packed bytes are stored: 100 million 1-bit entries take 12.5 MB.
///
/// The number of entries of a list built with [`StatusList::new`] is the one asked for; a
/// decoded list ([`StatusList::decompress`], [`crate::JsonStatusList`]) has one entry for every
/// slot of its byte array, because the encoding does not carry a count (§4.1 step 2: the array
/// has "size = number of Referenced Tokens * `bits` / 8 or greater"). The unused slots of the
/// last byte of a built list are never set, so they are VALID after a round trip.
///
/// ```
/// use sdjwt_status::{Bits, Status, StatusList};
///
/// # fn main() -> Result<(), sdjwt_status::Error> {
/// // The 2-bit example of §4.1.
/// let mut list = StatusList::new(Bits::Two, 12);
/// for (i, v) in [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3].into_iter().enumerate() {
///     list.set(i, Status::from_value(v))?;
/// }
/// assert_eq!(list.as_bytes(), &[0xc9, 0x44, 0xf9]);
/// assert_eq!(list.get(1)?, Status::Suspended);
/// assert!(list.get(12).is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct StatusList {
    bits: Bits,
    len: usize,
    bytes: Vec<u8>,
}

impl StatusList {
    /// A list of `len` entries of `bits` bits each, all VALID (`0x00`; §13.3 recommends the
    /// most common value as the initial one).
    ///
    /// Allocates `ceil(len * bits / 8)` zeroed bytes.
    pub fn new(bits: Bits, len: usize) -> Self {
        Self {
            bits,
            len,
            bytes: vec![0; len.div_ceil(bits.entries_per_byte())],
        }
    }

    /// Takes an uncompressed byte array as it is (§4.1 step 3); the list has an entry for every
    /// slot: `bytes.len() * 8 / bits` entries.
    pub fn from_bytes(bits: Bits, bytes: Vec<u8>) -> Self {
        Self {
            bits,
            len: bytes.len().saturating_mul(bits.entries_per_byte()),
            bytes,
        }
    }

    /// The bits per entry.
    pub fn bits(&self) -> Bits {
        self.bits
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the list has no entries.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The packed byte array (§4.1 step 3), before compression.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The packed byte array, consuming the list.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Byte position and bit shift of entry `index`, if it is inside the list.
    fn locate(&self, index: usize) -> Result<(usize, u32), Error> {
        if index >= self.len {
            return Err(Error::IndexOutOfBounds {
                index: u64::try_from(index).unwrap_or(u64::MAX),
                len: self.len,
            });
        }
        let per_byte = self.bits.entries_per_byte();
        // `index % per_byte < 8` and `bits <= 8`, so the shift is below 8.
        let shift = u32::from(self.bits.value()) * ((index % per_byte) as u32);
        Ok((index / per_byte, shift))
    }

    /// The status of entry `index` (§4.1 step 3; §8.3 step 6).
    ///
    /// # Errors
    ///
    /// [`Error::IndexOutOfBounds`] when `index >= len()`.
    pub fn get(&self, index: usize) -> Result<Status, Error> {
        let (byte, shift) = self.locate(index)?;
        let packed = self
            .bytes
            .get(byte)
            .copied()
            .ok_or(Error::IndexOutOfBounds {
                index: u64::try_from(index).unwrap_or(u64::MAX),
                len: self.len,
            })?;
        Ok(Status::from_value(
            (packed >> shift) & self.bits.max_value(),
        ))
    }

    /// Sets the status of entry `index` (§4.1 step 3).
    ///
    /// # Errors
    ///
    /// [`Error::IndexOutOfBounds`] when `index >= len()`, [`Error::StatusTooWide`] when the
    /// value needs more bits than the list has (SUSPENDED needs 2, §4.1), and
    /// [`Error::InconsistentStatus`] for a hand-built variant the registry assigns otherwise.
    pub fn set(&mut self, index: usize, status: Status) -> Result<(), Error> {
        let value = status.value();
        if !status.is_consistent() {
            return Err(Error::InconsistentStatus { value });
        }
        if value > self.bits.max_value() {
            return Err(Error::StatusTooWide {
                value,
                bits: self.bits,
            });
        }
        let (byte, shift) = self.locate(index)?;
        let len = self.len;
        let mask = self.bits.max_value() << shift;
        let slot = self.bytes.get_mut(byte).ok_or(Error::IndexOutOfBounds {
            index: u64::try_from(index).unwrap_or(u64::MAX),
            len,
        })?;
        *slot = (*slot & !mask) | (value << shift);
        Ok(())
    }

    /// Compresses the byte array with DEFLATE (RFC 1951) in the ZLIB format (RFC 1950) at the
    /// highest compression level (§4.1 step 4: "RECOMMENDED to use the highest compression
    /// level available"). The bytes stream through the compressor; the list is not copied.
    ///
    /// # Errors
    ///
    /// [`Error::Compression`] if the compressor fails (it does not when writing to memory).
    pub fn compress(&self) -> Result<Vec<u8>, Error> {
        // Mostly-VALID lists compress by two or three orders of magnitude; start small.
        let estimate = (self.bytes.len() / 64).clamp(64, 1 << 20);
        let mut encoder = ZlibEncoder::new(Vec::with_capacity(estimate), Compression::best());
        encoder
            .write_all(&self.bytes)
            .map_err(|_| Error::Compression)?;
        encoder.finish().map_err(|_| Error::Compression)
    }

    /// Decompresses a ZLIB/DEFLATE byte array (§4.1 step 4, §8.3 step 5) into a list with
    /// `bits` bits per entry.
    ///
    /// The output never grows past [`Limits::max_decompressed_bytes`]: a "zip bomb" stops
    /// there with an error instead of exhausting memory. The input must be exactly one ZLIB
    /// stream with a correct Adler-32 checksum and nothing after it.
    ///
    /// # Errors
    ///
    /// [`Error::LimitExceeded`] with [`Limit::DecompressedBytes`], or [`Error::Decompression`].
    pub fn decompress(bits: Bits, compressed: &[u8], limits: &Limits) -> Result<Self, Error> {
        let bytes = inflate(compressed, limits.max_decompressed_bytes)?;
        Ok(Self::from_bytes(bits, bytes))
    }
}

impl fmt::Debug for StatusList {
    /// Shows the shape, not millions of entries.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StatusList")
            .field("bits", &self.bits)
            .field("len", &self.len)
            .field("byte_len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// Inflates one complete ZLIB stream, growing the output in steps so that its capacity never
/// exceeds `max + 1` bytes (one byte past the limit is how an oversized stream is detected).
fn inflate(compressed: &[u8], max: usize) -> Result<Vec<u8>, Error> {
    const FIRST_STEP: usize = 64 * 1024;
    let too_large = Error::LimitExceeded {
        limit: Limit::DecompressedBytes,
        max,
    };
    let cap = max.saturating_add(1);
    let mut inflater = Decompress::new(true);
    let mut out: Vec<u8> = Vec::new();
    let mut input = compressed;
    loop {
        if out.len() == out.capacity() {
            if out.len() >= cap {
                return Err(too_large);
            }
            // Double, capped at the limit: the peak allocation stays within the limit.
            let step = out.len().max(FIRST_STEP).min(cap - out.len());
            out.try_reserve_exact(step).map_err(|_| too_large.clone())?;
        }
        let (in_before, out_before) = (inflater.total_in(), out.len());
        let status = inflater
            .decompress_vec(input, &mut out, FlushDecompress::None)
            .map_err(|_| Error::Decompression)?;
        let consumed =
            usize::try_from(inflater.total_in() - in_before).map_err(|_| Error::Decompression)?;
        input = input.get(consumed..).ok_or(Error::Decompression)?;
        match status {
            flate2::Status::StreamEnd => break,
            flate2::Status::Ok | flate2::Status::BufError => {
                let progressed = consumed > 0 || out.len() > out_before;
                // No progress with room left in the output: the input ended mid-stream.
                if !progressed && out.len() < out.capacity() {
                    return Err(Error::Decompression);
                }
            }
        }
    }
    if out.len() > max {
        return Err(too_large);
    }
    if !input.is_empty() {
        // Bytes after the stream's end: refused, so that one list has one encoding.
        return Err(Error::Decompression);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok<T>(r: Result<T, Error>) -> T {
        r.unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn one_bit_example_of_section_4_1() {
        let values = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1];
        let mut list = StatusList::new(Bits::One, 16);
        for (i, v) in values.into_iter().enumerate() {
            ok(list.set(i, Status::from_value(v)));
        }
        assert_eq!(list.as_bytes(), &[0xb9, 0xa3]);
        for (i, v) in values.into_iter().enumerate() {
            assert_eq!(ok(list.get(i)).value(), v);
        }
    }

    #[test]
    fn set_overwrites_only_its_own_bits() {
        for bits in Bits::ALL {
            let mut list = StatusList::new(bits, 64);
            let max = Status::from_value(bits.max_value());
            for i in 0..64 {
                ok(list.set(i, max));
            }
            ok(list.set(5, Status::Valid));
            for i in 0..64 {
                let expected = if i == 5 { Status::Valid } else { max };
                assert_eq!(ok(list.get(i)), expected, "bits {bits} index {i}");
            }
            assert!(list.as_bytes().iter().filter(|b| **b != 0xff).count() == 1);
        }
    }

    #[test]
    fn sizes_round_up() {
        assert_eq!(StatusList::new(Bits::One, 0).as_bytes().len(), 0);
        assert_eq!(StatusList::new(Bits::One, 9).as_bytes().len(), 2);
        assert_eq!(StatusList::new(Bits::Two, 5).as_bytes().len(), 2);
        assert_eq!(StatusList::new(Bits::Four, 3).as_bytes().len(), 2);
        assert_eq!(StatusList::new(Bits::Eight, 3).as_bytes().len(), 3);
        assert_eq!(StatusList::from_bytes(Bits::Two, vec![0; 3]).len(), 12);
        assert!(StatusList::new(Bits::One, 0).is_empty());
    }

    #[test]
    fn misuse_is_typed() {
        let mut list = StatusList::new(Bits::One, 10);
        assert_eq!(
            list.set(10, Status::Invalid),
            Err(Error::IndexOutOfBounds { index: 10, len: 10 })
        );
        // Index 10..15 exist in the byte but are not entries of a built list.
        assert_eq!(
            list.get(15),
            Err(Error::IndexOutOfBounds { index: 15, len: 10 })
        );
        assert_eq!(
            list.set(0, Status::Suspended),
            Err(Error::StatusTooWide {
                value: 2,
                bits: Bits::One
            })
        );
        assert_eq!(
            list.set(0, Status::Reserved(1)),
            Err(Error::InconsistentStatus { value: 1 })
        );
        assert_eq!(
            StatusList::new(Bits::Four, 4).set(0, Status::Reserved(0x10)),
            Err(Error::StatusTooWide {
                value: 0x10,
                bits: Bits::Four
            })
        );
    }

    #[test]
    fn bits_parse_only_allowed_values() {
        for v in 0..=300u64 {
            let parsed = Bits::try_from(v);
            if [1, 2, 4, 8].contains(&v) {
                assert_eq!(parsed.map(Bits::value).map(u64::from), Ok(v));
            } else {
                assert_eq!(parsed, Err(Error::UnsupportedBits { value: v }));
            }
        }
        assert_eq!(Bits::smallest_for(0), Bits::One);
        assert_eq!(Bits::smallest_for(2), Bits::Two);
        assert_eq!(Bits::smallest_for(0x0c), Bits::Four);
        assert_eq!(Bits::smallest_for(0x10), Bits::Eight);
    }

    #[test]
    fn compression_round_trips_and_is_zlib_at_best_level() {
        let mut list = StatusList::new(Bits::Two, 10_000);
        ok(list.set(9_999, Status::Suspended));
        let compressed = ok(list.compress());
        // ZLIB header: CM 8 (deflate), 32 KiB window, FLEVEL 3 (maximum compression).
        assert_eq!(compressed.get(..2), Some(&[0x78, 0xda][..]));
        let back = ok(StatusList::decompress(
            Bits::Two,
            &compressed,
            &Limits::DEFAULT,
        ));
        assert_eq!(back.as_bytes(), list.as_bytes());
        assert_eq!(ok(back.get(9_999)), Status::Suspended);
    }

    #[test]
    fn decompression_is_strict() {
        let compressed = ok(StatusList::new(Bits::One, 800).compress());
        let limits = Limits::DEFAULT;
        // Truncated anywhere.
        for cut in 0..compressed.len() {
            assert_eq!(
                StatusList::decompress(Bits::One, &compressed[..cut], &limits),
                Err(Error::Decompression),
                "cut at {cut}"
            );
        }
        // Wrong Adler-32 checksum.
        let mut bad = compressed.clone();
        if let Some(last) = bad.last_mut() {
            *last ^= 1;
        }
        assert_eq!(
            StatusList::decompress(Bits::One, &bad, &limits),
            Err(Error::Decompression)
        );
        // Trailing bytes after the stream.
        let mut trailing = compressed.clone();
        trailing.push(0);
        assert_eq!(
            StatusList::decompress(Bits::One, &trailing, &limits),
            Err(Error::Decompression)
        );
        // Raw DEFLATE without the ZLIB header.
        assert_eq!(
            StatusList::decompress(Bits::One, compressed.get(2..).unwrap_or(&[]), &limits),
            Err(Error::Decompression)
        );
    }

    #[test]
    fn decompression_stops_at_the_limit() {
        let compressed = ok(StatusList::new(Bits::Eight, 100_000).compress());
        let mut limits = Limits::DEFAULT;
        limits.max_decompressed_bytes = 100_000;
        assert_eq!(
            ok(StatusList::decompress(Bits::Eight, &compressed, &limits)).len(),
            100_000
        );
        limits.max_decompressed_bytes = 99_999;
        assert_eq!(
            StatusList::decompress(Bits::Eight, &compressed, &limits),
            Err(Error::LimitExceeded {
                limit: Limit::DecompressedBytes,
                max: 99_999
            })
        );
        limits.max_decompressed_bytes = 0;
        assert!(StatusList::decompress(Bits::Eight, &compressed, &limits).is_err());
        let empty = ok(StatusList::new(Bits::Eight, 0).compress());
        assert!(ok(StatusList::decompress(Bits::Eight, &empty, &limits)).is_empty());
    }
}
