//! Token Status List (`sdjwt-status`) at 1 million and 100 million entries: the cost of
//! building a list, encoding it (DEFLATE at the highest level, then base64url, §4.1 and §4.2),
//! decoding it (base64url, then the capped inflater), and looking one entry up.
//!
//! * `status/build/<N>`: `StatusList::new` with 1-bit entries, then 1 % of them set INVALID at
//!   pseudo-random positions (a national revocation rate; nothing for DEFLATE to exploit).
//! * `status/encode/<N>`: `JsonStatusList::to_json` on that list (what an Issuer pays per
//!   published token, signature aside).
//! * `status/decode/<N>`: `JsonStatusList::from_json` on the result (what a Relying Party pays
//!   per fetched token, signature aside).
//! * `status/lookup/<N>`: `StatusList::get` at a pseudo-random index.
//! * `status/verify_token/<N>`: parsing and verifying a signed Status List Token (ES256,
//!   aws-lc-rs) including the decode, then one lookup through `check`.
//!
//! Timed, like `benches/sdjwt.rs`, with the CPU time of the benchmark thread (so other
//! processes on a shared machine are not counted); `SDJWT_BENCH_CLOCK=wall` uses the wall clock.
//! The 100M benchmarks take criterion's smallest sample (10) in flat sampling mode.

// Set-up failures stop the run: `expect` says which fixture broke, and there is nothing sensible
// to measure after one.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

mod common;
use common::ThreadCpuTime;
use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use sdjwt_jose::JwsAlgorithm;
use sdjwt_status::{
    Bits, JsonStatusList, Limits, Status, StatusList, StatusListTokenBuilder, StatusReference,
    UnverifiedStatusListToken, Validation, check,
};

const URI: &str = "https://status.example.gov/lists/1";
const IAT: i64 = 1_800_000_000;

/// SplitMix64's finaliser: pseudo-random positions without a dependency.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A 1-bit list of `n` entries with 1 % of them INVALID.
fn build(n: usize) -> StatusList {
    let mut list = StatusList::new(Bits::One, n);
    for i in 0..(n / 100) as u64 {
        list.set((mix(i) % n as u64) as usize, Status::Invalid)
            .expect("index in range");
    }
    list
}

fn label(n: usize) -> String {
    match n {
        1_000_000 => "1M".to_owned(),
        100_000_000 => "100M".to_owned(),
        _ => n.to_string(),
    }
}

fn status<M: Measurement>(c: &mut Criterion<M>) {
    let provider = sdjwt_aws_lc::DEFAULT_PROVIDER;
    let key = provider
        .generate_key(JwsAlgorithm::Es256)
        .expect("key generation");
    let signer = provider.signer(&key, JwsAlgorithm::Es256).expect("signer");
    let public = [key.to_public()];

    for n in [1_000_000, 100_000_000] {
        let id = label(n);
        let mut g = c.benchmark_group("status");
        if n >= 100_000_000 {
            g.sample_size(10)
                .sampling_mode(SamplingMode::Flat)
                .measurement_time(Duration::from_secs(30));
        }

        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::new("build", &id), |b| {
            b.iter(|| build(black_box(n)))
        });

        let list = build(n);
        let json_list = JsonStatusList::new(list.clone());
        g.throughput(Throughput::Bytes(list.as_bytes().len() as u64));
        g.bench_function(BenchmarkId::new("encode", &id), |b| {
            b.iter(|| black_box(&json_list).to_json().expect("encode"))
        });

        let encoded = json_list.to_json().expect("encode");
        let lst_len = encoded
            .get("lst")
            .and_then(|v| v.as_str())
            .map_or(0, str::len);
        eprintln!(
            "status/{id}: {} packed bytes, lst {lst_len} base64url characters",
            list.as_bytes().len()
        );
        g.bench_function(BenchmarkId::new("decode", &id), |b| {
            b.iter(|| {
                JsonStatusList::from_json(black_box(&encoded), &Limits::DEFAULT).expect("decode")
            })
        });

        g.throughput(Throughput::Elements(1));
        let mut i = 0u64;
        g.bench_function(BenchmarkId::new("lookup", &id), |b| {
            b.iter(|| {
                i = i.wrapping_add(1);
                let index = (mix(i) % n as u64) as usize;
                list.get(black_box(index)).expect("in range")
            })
        });

        let token = StatusListTokenBuilder::new(URI, IAT, &list)
            .exp(IAT + 86_400)
            .ttl(3_600)
            .sign(signer.as_ref())
            .expect("sign");
        let reference = StatusReference::new(4_711, URI).expect("reference");
        g.bench_function(BenchmarkId::new("verify_token", &id), |b| {
            b.iter(|| {
                let verified =
                    UnverifiedStatusListToken::parse(black_box(&token), &Limits::DEFAULT)
                        .expect("parse")
                        .verify(&public, &provider, &Validation::new(URI, IAT + 60))
                        .expect("verify");
                check(&reference, &verified).expect("check")
            })
        });
        g.finish();
    }
}

/// Criterion's command-line arguments apply (`--test`, `--quick`, a filter, ...).
fn main() {
    if std::env::var_os("SDJWT_BENCH_CLOCK").is_some_and(|clock| clock == "wall") {
        status(&mut Criterion::default().configure_from_args());
    } else {
        status(
            &mut Criterion::default()
                .with_measurement(ThreadCpuTime)
                .configure_from_args(),
        );
    }
    Criterion::default().configure_from_args().final_summary();
}
