//! The criterion harness: every group of `benches/README.md`, in one run, so that each figure
//! sits beside the floor measured on the same machine at the same time.
//!
//! * `primitive/<op>/<provider>` and `jws/<op>/<provider>`: the signature hot path.
//! * `floor/<op>/<N>` (aws-lc-rs) and `floor-josekit/<op>/<N>`: the primitive work of issuing,
//!   presenting and verifying, cut out of real artefacts.
//! * `issue/<impl>/<N>`, `present/<impl>/<N>`, `verify/<impl>/<N>`: the pipeline, ours on each
//!   provider and sd-jwt-rs.
//! * `verify_parallel/<threads>`: one shared `Verifier` on 1 and 2 threads.
//! * `keys/<op>/<provider>`: building a verifier from a JWK, the cost a verifier pays per
//!   presentation for the holder key and used to pay for the issuer key as well.
//!
//! Each measurement runs right after the one it is compared with (primitive then jws, floor then
//! ours then sd-jwt-rs), so that load from other processes on a shared machine spreads over both
//! rather than landing on one of them. Everything but `verify_parallel` is timed with the
//! benchmark thread's CPU time ([`ThreadCpuTime`]), which leaves out the time the scheduler gives
//! to other processes; `SDJWT_BENCH_CLOCK=wall` times it with the wall clock instead.
//! `verify_parallel` always uses the wall clock: its throughput is what a server would see.

// Set-up failures stop the run: `expect` says which fixture broke, and there is nothing sensible
// to measure after one.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::time::Instant;

mod common;
use common::ThreadCpuTime;
use criterion::measurement::Measurement;
use criterion::{BatchSize, Bencher, BenchmarkId, Criterion, Throughput};
use sdjwt_bench::fixtures::{self, AUD, EXP, IAT, ISS, NONCE, NOW, Pipeline, REVEALED, SIZES};
use sdjwt_bench::floor::{ALGORITHMS, Backend, IssueFloor, PresentFloor, VerifyFloor};
use sdjwt_jose::jws::{self, CompactJws};
use sdjwt_jose::{Jwk, JwsAlgorithm};
use sdjwt_verifier::Verifier;
use serde_json::Map;

/// The payload of the `primitive` and `jws` signatures: a KB-JWT's claims (RFC 9901 §4.3).
const JWS_PAYLOAD: &str = r#"{"iat":1700000000,"aud":"https://employer.example.co.uk","nonce":"n-0S6_WzA2Mj","sd_hash":"fUMdn88aaoyKTHrvZd6AuLmPraGhPJ0zF5r_JjLGtTg"}"#;

/// A 60-byte Disclosure-sized input for `primitive/sha256_disclosure`.
const DISCLOSURE_60: &[u8; 60] = b"WyJfMjZiYzRMVC1hYzZxMmxJNmJ4ZW5nIiwgImdpdmVuX25hbWUiLCAiQWRh";

/// Runs one benchmark as `group/function/parameter`, in a group of its own so that benchmarks of
/// different groups can be interleaved.
fn bench<M: Measurement>(
    c: &mut Criterion<M>,
    group: &str,
    id: BenchmarkId,
    f: impl FnMut(&mut Bencher<'_, M>),
) {
    let mut g = c.benchmark_group(group);
    g.bench_function(id, f);
    g.finish();
}

/// The operation name of a signature benchmark: `es256_sign`, `eddsa_verify`, ...
fn op_name(alg: JwsAlgorithm, op: &str) -> String {
    format!("{}_{op}", alg.name().to_ascii_lowercase())
}

/// The private key each algorithm of [`ALGORITHMS`] signs with: the fixture issuer key for ES256,
/// fresh keys (from aws-lc-rs) for the others.
fn signature_keys() -> Vec<(JwsAlgorithm, Jwk)> {
    ALGORITHMS
        .iter()
        .map(|&alg| {
            let key = if alg == JwsAlgorithm::Es256 {
                fixtures::issuer_key().expect("issuer key")
            } else {
                sdjwt_aws_lc::DEFAULT_PROVIDER
                    .generate_key(alg)
                    .expect("key generation")
            };
            (alg, key)
        })
        .collect()
}

/// `primitive/<op>/<provider>`, the libraries themselves on parsed keys, each followed by
/// `jws/<op>/<provider>`, our JWS layer (header, base64url, signing input; compact parsing and
/// the algorithm and length checks) over the provider's signer and verifier, built once.
fn signatures<M: Measurement>(c: &mut Criterion<M>) {
    for (alg, key) in signature_keys() {
        for backend in Backend::ALL {
            let provider = backend.provider();
            let signer = provider.signer(&key, alg).expect("signer");
            let verifier = provider.verifier(&key.to_public(), alg).expect("verifier");
            let sign = || {
                jws::sign_compact(
                    signer.as_ref(),
                    Some("kb+jwt"),
                    &Map::new(),
                    black_box(JWS_PAYLOAD.as_bytes()),
                )
                .expect("sign")
            };
            let compact = sign();
            let verify = |text: &str| {
                CompactJws::parse(text)
                    .expect("parse")
                    .verify(verifier.as_ref())
                    .expect("verify");
            };
            verify(&compact);
            // The primitive signs and verifies exactly the signing input our layer produces.
            let (input, _) = compact.rsplit_once('.').expect("compact JWS");
            let input = input.as_bytes();
            let raw = backend.key(&key, alg).expect("raw key");
            let signature = raw.sign(input).expect("raw sign");
            raw.verify(input, &signature).expect("raw verify");

            let sign_id = || BenchmarkId::new(op_name(alg, "sign"), backend.name());
            let verify_id = || BenchmarkId::new(op_name(alg, "verify"), backend.name());
            bench(c, "primitive", sign_id(), |b| {
                b.iter(|| raw.sign(black_box(input)).expect("sign"));
            });
            bench(c, "jws", sign_id(), |b| b.iter(sign));
            bench(c, "primitive", verify_id(), |b| {
                b.iter(|| raw.verify(black_box(input), &signature).expect("verify"));
            });
            bench(c, "jws", verify_id(), |b| {
                b.iter(|| verify(black_box(&compact)));
            });
        }
    }
    let public = fixtures::issuer_key().expect("issuer key").to_public();
    for backend in Backend::ALL {
        let name = backend.name();
        bench(
            c,
            "primitive",
            BenchmarkId::new("sha256_disclosure", name),
            |b| {
                b.iter(|| backend.sha256(black_box(DISCLOSURE_60)).expect("sha256"));
            },
        );
        bench(c, "primitive", BenchmarkId::new("salt", name), |b| {
            b.iter(|| backend.salt().expect("random"));
        });
        let provider = backend.provider();
        bench(
            c,
            "keys",
            BenchmarkId::new("es256_verifier_from_jwk", name),
            |b| {
                b.iter(|| {
                    provider
                        .verifier(black_box(&public), JwsAlgorithm::Es256)
                        .expect("verifier")
                });
            },
        );
    }
}

/// The pipeline through sd-jwt-rs 0.7.1 (draft-07), driven as its own tests and README do.
mod rs {
    use jsonwebtoken::{DecodingKey, EncodingKey};
    use sd_jwt_rs::issuer::ClaimsForSelectiveDisclosureStrategy as Strategy;
    use sd_jwt_rs::{SDJWTHolder, SDJWTIssuer, SDJWTSerializationFormat as Format, SDJWTVerifier};
    use serde_json::{Map, Value, json};

    use super::{AUD, EXP, IAT, ISS, NONCE, REVEALED, fixtures};

    /// sd-jwt-rs's issuer, holder and verifier inputs for one size, built once.
    pub(crate) struct RsPipeline {
        /// `iss`, `iat`, `exp` (which sd-jwt-rs always leaves plaintext) and the record.
        pub(crate) claims: Value,
        /// The holder's public key for `cnf.jwk`.
        pub(crate) holder_jwk: jsonwebtoken::jwk::Jwk,
        /// The issuer, holding its ES256 key.
        issuer: SDJWTIssuer,
        /// The holder, holding the parsed SD-JWT.
        holder: SDJWTHolder,
        /// The holder's private key.
        holder_key: EncodingKey,
        /// `{"given_name": true}`.
        disclose: Map<String, Value>,
        /// A presentation of [`REVEALED`] with a KB-JWT.
        pub(crate) presentation: String,
        /// The issuer's public key.
        issuer_public: DecodingKey,
    }

    impl RsPipeline {
        /// Issues, presents and verifies once.
        pub(crate) fn new(n: usize) -> Self {
            let mut claims = Map::new();
            claims.insert("iss".into(), ISS.into());
            claims.insert("iat".into(), IAT.into());
            claims.insert("exp".into(), EXP.into());
            claims.extend(fixtures::record(n));
            let issuer_key =
                EncodingKey::from_ec_pem(fixtures::ISSUER_PEM.as_bytes()).expect("issuer PEM");
            let holder_public = fixtures::holder_key().expect("holder key").to_public();
            let holder_jwk: jsonwebtoken::jwk::Jwk =
                serde_json::from_value(Value::Object(holder_public.to_json())).expect("holder JWK");
            let mut issuer = SDJWTIssuer::new(issuer_key, Some("ES256".to_owned()));
            let claims = Value::Object(claims);
            let issued = issuer
                .issue_sd_jwt(
                    claims.clone(),
                    Strategy::TopLevel,
                    Some(holder_jwk.clone()),
                    false,
                    Format::Compact,
                )
                .expect("sd-jwt-rs issues");
            let holder = SDJWTHolder::new(issued, Format::Compact).expect("sd-jwt-rs holder");
            let mut disclose = Map::new();
            disclose.insert(REVEALED.into(), json!(true));
            let mut pipeline = Self {
                claims,
                holder_jwk,
                issuer,
                holder,
                holder_key: EncodingKey::from_ec_pem(fixtures::HOLDER_PEM.as_bytes())
                    .expect("holder PEM"),
                disclose,
                presentation: String::new(),
                issuer_public: DecodingKey::from_ec_pem(fixtures::ISSUER_PUBLIC_PEM.as_bytes())
                    .expect("issuer public PEM"),
            };
            pipeline.presentation = pipeline.present();
            let verified = pipeline.verify(pipeline.presentation.clone());
            assert_eq!(verified.get(REVEALED), Some(&json!("Ada")));
            pipeline
        }

        /// `SDJWTIssuer::issue_sd_jwt` with every top-level claim disclosable, no decoys.
        pub(crate) fn issue(&mut self, claims: Value, holder: jsonwebtoken::jwk::Jwk) -> String {
            self.issuer
                .issue_sd_jwt(
                    claims,
                    Strategy::TopLevel,
                    Some(holder),
                    false,
                    Format::Compact,
                )
                .expect("sd-jwt-rs issues")
        }

        /// `SDJWTHolder::create_presentation` revealing [`REVEALED`] with a KB-JWT.
        pub(crate) fn present(&mut self) -> String {
            self.holder
                .create_presentation(
                    self.disclose.clone(),
                    Some(NONCE.to_owned()),
                    Some(AUD.to_owned()),
                    Some(self.holder_key.clone()),
                    Some("ES256".to_owned()),
                )
                .expect("sd-jwt-rs presents")
        }

        /// `SDJWTVerifier::new` with key binding expected, returning the verified claims.
        pub(crate) fn verify(&self, presentation: String) -> Value {
            let key = self.issuer_public.clone();
            SDJWTVerifier::new(
                presentation,
                Box::new(move |_, _| key.clone()),
                Some(AUD.to_owned()),
                Some(NONCE.to_owned()),
                Format::Compact,
            )
            .expect("sd-jwt-rs verifies")
            .verified_claims
        }
    }
}

/// `floor/<op>/<N>` (aws-lc-rs) and `floor-josekit/<op>/<N>`, each followed by `<op>` for
/// ours on that provider, then sd-jwt-rs, for `issue`, `present` and `verify`.
fn pipeline<M: Measurement>(c: &mut Criterion<M>) {
    let issuer_key = fixtures::issuer_key().expect("issuer key");
    let holder_key = fixtures::holder_key().expect("holder key");
    for &n in &SIZES {
        let ours: Vec<(Backend, Pipeline)> = Backend::ALL
            .iter()
            .map(|&b| (b, Pipeline::new(b.provider(), n).expect("our pipeline")))
            .collect();
        let mut theirs = rs::RsPipeline::new(n);
        let floor_group = |b: Backend| match b {
            Backend::AwsLc => "floor",
            Backend::Josekit => "floor-josekit",
        };
        let ours_id = |b: Backend| BenchmarkId::new(format!("ours-{}", b.name()), n);

        for (backend, p) in &ours {
            let floor = IssueFloor::new(*backend, &issuer_key, &p.issued).expect("issue floor");
            bench(
                c,
                floor_group(*backend),
                BenchmarkId::new("issue", n),
                |b| {
                    b.iter(|| floor.run().expect("issue floor"));
                },
            );
            bench(c, "issue", ours_id(*backend), |b| {
                b.iter(|| p.issue().expect("issue"));
            });
        }
        let (claims, holder) = (theirs.claims.clone(), theirs.holder_jwk.clone());
        bench(c, "issue", BenchmarkId::new("sd-jwt-rs", n), |b| {
            b.iter_batched(
                || (claims.clone(), holder.clone()),
                |(claims, holder)| theirs.issue(claims, holder),
                BatchSize::SmallInput,
            );
        });

        for (backend, p) in &ours {
            let floor =
                PresentFloor::new(*backend, &holder_key, &p.presentation).expect("present floor");
            bench(
                c,
                floor_group(*backend),
                BenchmarkId::new("present", n),
                |b| {
                    b.iter(|| floor.run().expect("present floor"));
                },
            );
            bench(c, "present", ours_id(*backend), |b| {
                b.iter(|| p.present().expect("present"));
            });
        }
        bench(c, "present", BenchmarkId::new("sd-jwt-rs", n), |b| {
            b.iter(|| theirs.present());
        });

        for (backend, p) in &ours {
            let floor = VerifyFloor::new(*backend, &issuer_key, &holder_key, &p.presentation)
                .expect("verify floor");
            bench(
                c,
                floor_group(*backend),
                BenchmarkId::new("verify", n),
                |b| {
                    b.iter(|| floor.run().expect("verify floor"));
                },
            );
            bench(c, "verify", ours_id(*backend), |b| {
                b.iter(|| p.verify(black_box(&p.presentation)).expect("verify"));
            });
        }
        bench(c, "verify", BenchmarkId::new("sd-jwt-rs", n), |b| {
            b.iter_batched(
                || theirs.presentation.clone(),
                |presentation| theirs.verify(presentation),
                BatchSize::SmallInput,
            );
        });
    }
}

/// Compile-time proof that `T` can be shared between threads.
fn assert_send_sync<T: Send + Sync>(_: &T) {}

/// `verify_parallel/<threads>`: each iteration verifies one presentation on each of `threads`
/// threads at once, all through one `Verifier`, so the throughput is presentations per second.
fn verify_parallel(c: &mut Criterion) {
    let p = Pipeline::new(Backend::AwsLc.provider(), 50).expect("our pipeline");
    let verifier = Verifier::new(&p.provider, &p.keys);
    assert_send_sync(&verifier);
    let check = |v: &Verifier<'_>| {
        let verified = v
            .verify(black_box(&p.presentation), &p.policy, NOW)
            .expect("verify");
        black_box(verified);
    };
    let mut group = c.benchmark_group("verify_parallel");
    for threads in [1usize, 2] {
        group.throughput(Throughput::Elements(threads as u64));
        group.bench_function(BenchmarkId::from_parameter(threads), |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                std::thread::scope(|scope| {
                    for _ in 0..threads {
                        scope.spawn(|| {
                            for _ in 0..iters {
                                check(&verifier);
                            }
                        });
                    }
                });
                start.elapsed()
            });
        });
    }
    group.finish();
}

/// Runs every group: the single-threaded ones on the thread CPU clock (or the wall clock when
/// `SDJWT_BENCH_CLOCK=wall`), `verify_parallel` on the wall clock. Command-line arguments are
/// criterion's (`--quick`, `--test`, a filter, ...).
fn main() {
    if std::env::var_os("SDJWT_BENCH_CLOCK").is_some_and(|clock| clock == "wall") {
        let mut c = Criterion::default().configure_from_args();
        signatures(&mut c);
        pipeline(&mut c);
    } else {
        let mut c = Criterion::default()
            .with_measurement(ThreadCpuTime)
            .configure_from_args();
        signatures(&mut c);
        pipeline(&mut c);
    }
    verify_parallel(&mut Criterion::default().configure_from_args());
    Criterion::default().configure_from_args().final_summary();
}
