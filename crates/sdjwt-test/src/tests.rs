//! Unit tests for the helpers themselves.

#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn seeded_random_is_splitmix64() {
    // SplitMix64 with seed 0: first output 0xe220a8397b1dcdaf (reference implementation,
    // https://prng.di.unimi.it/splitmix64.c).
    let random = SeededRandom::new(0);
    let mut first = [0u8; 8];
    random.fill(&mut first).unwrap();
    assert_eq!(u64::from_le_bytes(first), 0xe220_a839_7b1d_cdaf);
}

#[test]
fn deterministic_provider_repeats_per_seed() {
    let draw = |seed| {
        let provider = deterministic(JOSEKIT, seed);
        let mut a = [0u8; 21];
        let mut b = [0u8; 21];
        provider.fill_random(&mut a).unwrap();
        provider.fill_random(&mut b).unwrap();
        assert_ne!(a, b, "successive fills differ");
        (a, b)
    };
    assert_eq!(draw(7), draw(7));
    assert_ne!(draw(7), draw(8));
    // Only the random source is replaced.
    let provider = deterministic(AWS_LC, 1);
    assert_eq!(provider.name, AWS_LC.name);
    assert_eq!(provider.signature_algorithms, AWS_LC.signature_algorithms);
}

#[test]
fn fixture_keys_fit_their_algorithms() {
    for &alg in JwsAlgorithm::ALL {
        let key = fixture_key(alg);
        assert!(key.is_private(), "{alg}");
        assert_eq!(key.check_algorithm(alg), Ok(()), "{alg}");
        assert_eq!(key.key_id(), None);
    }
    for key in [issuer_key(), holder_key()] {
        assert!(key.is_private());
        assert_eq!(key.check_algorithm(JwsAlgorithm::Es256), Ok(()));
    }
    assert_ne!(issuer_key(), holder_key());
}

#[test]
fn providers_are_listed_aws_lc_first() {
    let [(first, a), (second, b)] = providers();
    assert_eq!((first, a.name), ("aws_lc", AWS_LC.name));
    assert_eq!((second, b.name), ("josekit", "josekit"));
}

/// The transcribed RFC 9901 keys match `examples/settings.yml`, when the spec sources are
/// available.
#[test]
fn example_keys_match_settings_yml() {
    let Some(dir) = spec_sources() else {
        return;
    };
    let Ok(settings) = std::fs::read_to_string(dir.join("sd-jwt/examples/settings.yml")) else {
        return;
    };
    for key in [issuer_key(), holder_key()] {
        for (name, value) in key.to_private_json() {
            if let Some(value) = value.as_str() {
                assert!(
                    settings.contains(&format!("{name}: {value}")),
                    "{name}: {value} not in settings.yml"
                );
            }
        }
    }
}

#[test]
fn spec_sources_exist_here() {
    // In this repository layout the shared spec material sits next to the workspace.
    if std::env::var_os("SDJWT_SPEC_SOURCES").is_none() {
        let expected =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec-sources");
        if let Ok(expected) = expected.canonicalize() {
            assert_eq!(spec_sources(), Some(expected));
        }
    }
}
