//! Status Lists through the public API: bit packing against an independent model of §4.1,
//! encoding round trips (proptest), and hostile encodings (a zip bomb, mutated streams).

use std::io::Write;

use proptest::prelude::*;
use serde_json::json;

use sdjwt_status::{Bits, Error, JsonStatusList, Limit, Limits, Status, StatusList};

/// §4.1 read as one bit stream: entry `i` is bits `i * bits ..= i * bits + bits - 1` of the
/// stream, least significant bit first, and stream bit `n` is bit `n % 8` of byte `n / 8`.
/// Written without any of the library's index arithmetic, as a second opinion.
fn model_bytes(bits: Bits, values: &[u8]) -> Vec<u8> {
    let width = usize::from(bits.value());
    let mut stream = Vec::new();
    for &v in values {
        for j in 0..width {
            stream.push((v >> j) & 1 == 1);
        }
    }
    stream
        .chunks(8)
        .map(|byte| {
            byte.iter()
                .enumerate()
                .fold(0u8, |acc, (p, &bit)| acc | (u8::from(bit) << p))
        })
        .collect()
}

fn bits_strategy() -> impl Strategy<Value = Bits> {
    prop::sample::select(Bits::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any sequence of `set` calls leaves exactly the model's bytes, and `get` reads back the
    /// last value written at each index.
    #[test]
    fn packing_matches_the_bit_stream_model(
        bits in bits_strategy(),
        len in 0usize..600,
        writes in prop::collection::vec((any::<usize>(), any::<u8>()), 0..200),
    ) {
        let mut list = StatusList::new(bits, len);
        let mut model = vec![0u8; len];
        for (i, v) in writes {
            let v = v & bits.max_value();
            if len == 0 {
                prop_assert_eq!(list.set(i, Status::from_value(v)), Err(Error::IndexOutOfBounds { index: i as u64, len }));
                continue;
            }
            let i = i % len;
            list.set(i, Status::from_value(v)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            model[i] = v;
        }
        let mut expected = model_bytes(bits, &model);
        expected.resize(len.div_ceil(bits.entries_per_byte()), 0);
        prop_assert_eq!(list.as_bytes(), &expected[..]);
        for (i, &v) in model.iter().enumerate() {
            prop_assert_eq!(list.get(i).map(Status::value), Ok(v));
        }
        prop_assert_eq!(list.get(len), Err(Error::IndexOutOfBounds { index: len as u64, len }));
    }

    /// Encoding to the §4.2 JSON object and decoding gives the same bytes and statuses.
    #[test]
    fn json_round_trip(
        bits in bits_strategy(),
        values in prop::collection::vec(any::<u8>(), 0..3000),
    ) {
        let mut list = StatusList::new(bits, values.len());
        for (i, v) in values.iter().enumerate() {
            list.set(i, Status::from_value(v & bits.max_value()))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let json = JsonStatusList::new(list.clone()).to_json()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = JsonStatusList::from_json(&json, &Limits::DEFAULT)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back.list().bits(), bits);
        prop_assert_eq!(back.list().as_bytes(), list.as_bytes());
        prop_assert!(back.list().len() >= list.len());
        prop_assert!(back.list().len() < list.len() + bits.entries_per_byte());
        for i in 0..list.len() {
            prop_assert_eq!(back.list().get(i), list.get(i));
        }
    }

    /// Corrupting a valid encoding never panics; whatever still decodes stays within the
    /// limit and answers `get` for every index it claims to have.
    #[test]
    fn corrupted_streams_fail_cleanly(
        values in prop::collection::vec(0u8..4, 1..400),
        flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4),
        cut in any::<usize>(),
        max in 0usize..2000,
    ) {
        let mut list = StatusList::new(Bits::Two, values.len());
        for (i, v) in values.iter().enumerate() {
            list.set(i, Status::from_value(*v)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let mut compressed = list.compress().map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (at, x) in flips {
            let n = compressed.len();
            compressed[at % n] ^= x;
        }
        compressed.truncate(cut % (compressed.len() + 1) + 1);
        let mut limits = Limits::DEFAULT;
        limits.max_decompressed_bytes = max;
        if let Ok(decoded) = StatusList::decompress(Bits::Two, &compressed, &limits) {
            prop_assert!(decoded.as_bytes().len() <= max);
            for i in 0..decoded.len() {
                prop_assert!(decoded.get(i).is_ok());
            }
            prop_assert!(decoded.get(decoded.len()).is_err());
        }
    }
}

#[test]
fn two_bit_example_of_section_4_1_entry_by_entry() -> Result<(), Error> {
    // status[0..12] of the draft's 2-bit example, and the bytes it documents.
    let values = [
        0b01, 0b10, 0b00, 0b11, 0b00, 0b01, 0b00, 0b01, 0b01, 0b10, 0b11, 0b11,
    ];
    let list = StatusList::from_bytes(Bits::Two, vec![0xc9, 0x44, 0xf9]);
    assert_eq!(list.len(), 12);
    for (i, v) in values.into_iter().enumerate() {
        assert_eq!(list.get(i)?.value(), v, "status[{i}]");
    }
    assert_eq!(model_bytes(Bits::Two, &values), [0xc9, 0x44, 0xf9]);
    Ok(())
}

#[test]
fn four_and_eight_bit_layouts() -> Result<(), Error> {
    let mut four = StatusList::new(Bits::Four, 3);
    four.set(0, Status::from_value(0x0c))?;
    four.set(1, Status::from_value(0x03))?;
    four.set(2, Status::from_value(0x0f))?;
    // Entry 0 in the low nibble, entry 1 in the high nibble.
    assert_eq!(four.as_bytes(), &[0x3c, 0x0f]);
    let mut eight = StatusList::new(Bits::Eight, 2);
    eight.set(1, Status::Reserved(0xa5))?;
    assert_eq!(eight.as_bytes(), &[0x00, 0xa5]);
    assert_eq!(eight.get(1)?, Status::Reserved(0xa5));
    assert_eq!(four.get(0)?, Status::ApplicationSpecific(0x0c));
    Ok(())
}

#[test]
fn statuses_that_do_not_fit_are_refused() {
    for bits in Bits::ALL {
        let mut list = StatusList::new(bits, 4);
        for v in 0..=u8::MAX {
            let result = list.set(3, Status::from_value(v));
            if v <= bits.max_value() {
                assert_eq!(result, Ok(()), "{v} in {bits} bits");
            } else {
                assert_eq!(result, Err(Error::StatusTooWide { value: v, bits }));
            }
        }
    }
}

/// A "zip bomb": 512 MiB of zeros deflate to about half a megabyte. With the default limits
/// (128 MiB), decoding stops at the cap with a typed error.
#[test]
fn zip_bomb_stops_at_the_default_cap() {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..512 {
        encoder
            .write_all(&chunk)
            .unwrap_or_else(|e| panic!("compress: {e}"));
    }
    let bomb = encoder.finish().unwrap_or_else(|e| panic!("compress: {e}"));
    assert!(bomb.len() < 1 << 20, "bomb is {} bytes", bomb.len());
    let lst = sdjwt_jose::base64url::encode(&bomb);
    let obj = json!({"bits": 8, "lst": lst});
    let result = JsonStatusList::from_json(
        obj.as_object().unwrap_or(&Default::default()),
        &Limits::DEFAULT,
    );
    assert_eq!(
        result,
        Err(Error::LimitExceeded {
            limit: Limit::DecompressedBytes,
            max: 1 << 27
        })
    );
}

#[test]
fn empty_and_tiny_lists() -> Result<(), Error> {
    let empty = JsonStatusList::from_json(
        &JsonStatusList::new(StatusList::new(Bits::One, 0)).to_json()?,
        &Limits::DEFAULT,
    )?;
    assert!(empty.list().is_empty());
    assert_eq!(
        empty.list().get(0),
        Err(Error::IndexOutOfBounds { index: 0, len: 0 })
    );
    // One 1-bit entry still takes a byte; a decoder sees 8 entries.
    let mut one = StatusList::new(Bits::One, 1);
    one.set(0, Status::Invalid)?;
    let back = StatusList::decompress(Bits::One, &one.compress()?, &Limits::DEFAULT)?;
    assert_eq!(back.len(), 8);
    assert_eq!(back.get(0)?, Status::Invalid);
    assert_eq!(back.get(7)?, Status::Valid);
    Ok(())
}
