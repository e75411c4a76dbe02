//! National scale (ARCHITECTURE.md's motivating case): one Status List for 100 million
//! credentials, built, compressed, signed into a Status List Token, verified, decompressed and
//! queried, in 1-bit (revocation only) and 2-bit (revocation and suspension) form.
//!
//! Memory stays at the packed size (12.5 MB and 25 MB). Speed is measured by the criterion
//! benches (`benches/benches/status.rs`), not here; the root `Cargo.toml` compiles
//! `miniz_oxide` and `adler2` optimised even in test builds so that these tests stay quick.

use sdjwt_jose::JwsAlgorithm;
use sdjwt_status::{
    Bits, JsonStatusList, Limits, Status, StatusList, StatusListTokenBuilder, StatusReference,
    UnverifiedStatusListToken, Validation, check,
};

const ENTRIES: usize = 100_000_000;
const URI: &str = "https://status.example.gov/lists/national-1";
const IAT: i64 = 1_800_000_000;

/// Indices spread over the whole list, including both ends and byte boundaries.
fn sample_indices() -> Vec<usize> {
    let mut v = vec![
        0,
        1,
        7,
        8,
        9,
        4_711,
        65_535,
        65_536,
        ENTRIES / 2,
        ENTRIES - 2,
        ENTRIES - 1,
    ];
    // A million more, scattered pseudo-randomly (SplitMix64's finaliser over a counter): a 1 %
    // revocation rate with no pattern for DEFLATE to exploit.
    v.extend((0..1_000_000u64).map(|i| (mix(i) % ENTRIES as u64) as usize));
    v.sort_unstable();
    v.dedup();
    v
}

fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn run(bits: Bits, statuses: &[Status]) -> Result<(), Box<dyn std::error::Error>> {
    let mut list = StatusList::new(bits, ENTRIES);
    assert_eq!(list.as_bytes().len(), ENTRIES / bits.entries_per_byte());
    let indices = sample_indices();
    for (n, &i) in indices.iter().enumerate() {
        list.set(i, statuses[n % statuses.len()])?;
    }

    // Encode (compress) and sign.
    let key = sdjwt_test::fixture_key(JwsAlgorithm::Es256).with_kid("national");
    let provider = sdjwt_test::AWS_LC;
    let signer = provider.signer(&key, JwsAlgorithm::Es256)?;
    let token = StatusListTokenBuilder::new(URI, IAT, &list)
        .exp(IAT + 86_400)
        .ttl(3_600)
        .sign(signer.as_ref())?;
    eprintln!(
        "{bits}-bit: {} set, token {} bytes, packed {} bytes",
        indices.len(),
        token.len(),
        list.as_bytes().len()
    );
    // Mostly VALID: even with a 1 % rate the token is a fraction of the packed list (the
    // entropy of one entry is about 0.08 bit; DEFLATE gets within a small factor of it).
    assert!(
        token.len() < list.as_bytes().len() / 4,
        "token of {} bytes for {} packed bytes",
        token.len(),
        list.as_bytes().len()
    );

    // Verify, decode and look up.
    let verified = UnverifiedStatusListToken::parse(&token, &Limits::DEFAULT)?.verify(
        &[key.to_public()],
        &provider,
        &Validation::new(URI, IAT + 10),
    )?;
    let decoded = verified.list();
    assert_eq!(decoded.len(), ENTRIES);
    assert_eq!(decoded.as_bytes(), list.as_bytes());
    for (n, &i) in indices.iter().enumerate().step_by(97) {
        let reference = StatusReference::new(i as u64, URI)?;
        assert_eq!(
            check(&reference, &verified)?,
            statuses[n % statuses.len()],
            "idx {i}"
        );
    }
    // Entries never set are VALID; neighbours of set entries are untouched.
    for i in [2, 3, 10, 4_710, 4_712, ENTRIES / 2 + 1, ENTRIES - 3] {
        if indices.binary_search(&i).is_err() {
            assert_eq!(decoded.get(i)?, Status::Valid, "idx {i}");
        }
    }
    let beyond = StatusReference::new(ENTRIES as u64, URI)?;
    assert!(check(&beyond, &verified).is_err());

    // The JSON object alone round-trips as well.
    let json = JsonStatusList::new(list).to_json()?;
    let again = JsonStatusList::from_json(&json, &Limits::DEFAULT)?;
    assert_eq!(again.list().as_bytes(), decoded.as_bytes());
    Ok(())
}

#[test]
fn one_hundred_million_one_bit_entries() -> Result<(), Box<dyn std::error::Error>> {
    run(Bits::One, &[Status::Invalid])
}

#[test]
fn one_hundred_million_two_bit_entries() -> Result<(), Box<dyn std::error::Error>> {
    run(
        Bits::Two,
        &[
            Status::Invalid,
            Status::Suspended,
            Status::ApplicationSpecific(3),
        ],
    )
}
