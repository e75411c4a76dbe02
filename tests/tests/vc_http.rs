//! SD-JWT VC verification against a real HTTP server on 127.0.0.1: issuer metadata and its
//! `jwks_uri`, type metadata and a Token Status List are fetched through `sdjwt-fetch`'s
//! HTTP resolver, cached as their `Cache-Control` says, and refused when too large or slow.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sdjwt_core::{ClaimName, ClaimPath};
use sdjwt_fetch::{CachingResolver, HttpConfig, HttpResolver};
use sdjwt_holder::{AcceptOptions, Credential, KeyBindingRequest};
use sdjwt_jose::{CryptoProvider, Jwk, JwsAlgorithm};
use sdjwt_status::{Bits, Status, StatusList, StatusListTokenBuilder};
use sdjwt_vc::type_metadata::FetchedTypeMetadata;
use sdjwt_vc::{
    Error, KeySource, StatusListReference, StatusOutcome, TrustList, TrustedIssuer,
    TypeMetadataPolicy, VcBuilder, VcPolicy, VcVerifier,
};
use sdjwt_verifier::{KeyBinding, Policy};
use serde_json::json;

const PROVIDER: CryptoProvider = sdjwt_aws_lc::DEFAULT_PROVIDER;
const NOW: i64 = 1_800_000_000;

/// One served document: body, media type, Cache-Control, delay before answering.
#[derive(Clone)]
struct Doc {
    body: Vec<u8>,
    media_type: &'static str,
    cache_control: &'static str,
    delay: Duration,
}

#[derive(Clone, Default)]
struct Server {
    docs: Arc<Mutex<HashMap<String, Doc>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    total: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> (Self, String) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = Self::default();
        let shared = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let shared = shared.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    if reader.read_line(&mut line).is_err() {
                        return;
                    }
                    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                            break;
                        }
                    }
                    shared.total.fetch_add(1, Ordering::SeqCst);
                    *shared.hits.lock().unwrap().entry(path.clone()).or_default() += 1;
                    let doc = shared.docs.lock().unwrap().get(&path).cloned();
                    let response = match doc {
                        Some(doc) => {
                            std::thread::sleep(doc.delay);
                            let mut head = format!(
                                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                                doc.media_type,
                                doc.body.len()
                            );
                            if !doc.cache_control.is_empty() {
                                head.push_str(&format!("Cache-Control: {}\r\n", doc.cache_control));
                            }
                            head.push_str("\r\n");
                            let mut bytes = head.into_bytes();
                            bytes.extend_from_slice(&doc.body);
                            bytes
                        }
                        None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
                    };
                    let _ = stream.write_all(&response);
                });
            }
        });
        (server, base)
    }

    fn serve(
        &self,
        path: &str,
        body: impl Into<Vec<u8>>,
        media_type: &'static str,
        cache_control: &'static str,
    ) {
        self.docs.lock().unwrap().insert(
            path.to_owned(),
            Doc {
                body: body.into(),
                media_type,
                cache_control,
                delay: Duration::ZERO,
            },
        );
    }

    fn slow(&self, path: &str, delay: Duration) {
        if let Some(doc) = self.docs.lock().unwrap().get_mut(path) {
            doc.delay = delay;
        }
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

fn issuer_key() -> Jwk {
    sdjwt_test::fixture_key(JwsAlgorithm::EdDsa).with_kid("k1")
}

fn holder_key() -> Jwk {
    sdjwt_test::fixture_key(JwsAlgorithm::Es256)
}

fn name(n: &str) -> ClaimPath {
    ClaimPath::root().key(ClaimName::new(n).unwrap())
}

struct Setup {
    server: Server,
    iss: String,
    vct: String,
    status_uri: String,
    credential: String,
}

fn status_token(status_uri: &str, revoked: bool) -> String {
    status_token_ttl(status_uri, revoked, None)
}

fn status_token_ttl(status_uri: &str, revoked: bool, ttl: Option<u64>) -> String {
    let mut list = StatusList::new(Bits::Two, 64);
    if revoked {
        list.set(5, Status::Invalid).unwrap();
    }
    let signer = PROVIDER.signer(&issuer_key(), JwsAlgorithm::EdDsa).unwrap();
    let mut builder = StatusListTokenBuilder::new(status_uri, NOW - 10, &list).key_id("k1");
    if let Some(ttl) = ttl {
        builder = builder.ttl(ttl);
    }
    builder.sign(signer.as_ref()).unwrap()
}

fn setup() -> Setup {
    let (server, base) = Server::start();
    let iss = format!("{base}/issuer");
    let vct = format!("{base}/types/right-to-work");
    let status_uri = format!("{base}/status/1");
    server.serve(
        "/.well-known/jwt-vc-issuer/issuer",
        json!({"issuer": iss, "jwks_uri": format!("{base}/jwks.json")}).to_string(),
        "application/json",
        "max-age=600",
    );
    server.serve(
        "/jwks.json",
        json!({"keys": [serde_json::Value::Object(issuer_key().to_public().to_json())]})
            .to_string(),
        "application/jwk-set+json",
        "max-age=600",
    );
    server.serve(
        "/types/right-to-work",
        json!({
            "vct": vct,
            "name": "Right to work",
            "display": [{"locale": "en", "name": "Right to work"}],
            "claims": [
                {"path": ["right_to_work"], "sd": "always", "mandatory": true},
                {"path": ["given_name"], "sd": "always"}
            ]
        })
        .to_string(),
        "application/json",
        "max-age=600",
    );
    server.serve(
        "/status/1",
        status_token(&status_uri, false),
        "application/statuslist+jwt",
        "max-age=60",
    );
    let claims = json!({"right_to_work": true, "given_name": "Amara"});
    let prepared = VcBuilder::new(vct.clone(), claims.as_object().cloned().unwrap())
        .issuer(iss.clone())
        .issued_at(NOW - 100)
        .holder_key(&holder_key().to_public())
        .disclose(name("right_to_work"))
        .disclose(name("given_name"))
        .status(StatusListReference {
            idx: 5,
            uri: status_uri.clone(),
        })
        .prepare(&PROVIDER)
        .unwrap();
    let signer = PROVIDER.signer(&issuer_key(), JwsAlgorithm::EdDsa).unwrap();
    let credential = prepared.sign(signer.as_ref()).unwrap().serialize();
    Setup {
        server,
        iss,
        vct,
        status_uri,
        credential,
    }
}

fn present(credential: &str, nonce: &str) -> String {
    let accepted = Credential::accept(
        credential,
        &PROVIDER,
        &[issuer_key().to_public()],
        &AcceptOptions::new(NOW),
    )
    .unwrap();
    let signer = PROVIDER.signer(&holder_key(), JwsAlgorithm::Es256).unwrap();
    let kb = KeyBindingRequest {
        signer: signer.as_ref(),
        audience: "https://employer.example",
        nonce,
        issued_at: NOW,
    };
    accepted
        .present(&[name("right_to_work")], Some(&kb), &PROVIDER)
        .unwrap()
        .serialize()
}

fn http(config: HttpConfig) -> CachingResolver<HttpResolver> {
    CachingResolver::new(HttpResolver::new(config.danger_allow_loopback_http()).unwrap())
}

fn check(
    s: &Setup,
    resolver: &CachingResolver<HttpResolver>,
    now: i64,
    nonce: &str,
) -> Result<sdjwt_vc::VerifiedCredential, Error> {
    let mut trust = TrustList::new();
    trust
        .add(TrustedIssuer::new(
            s.iss.clone(),
            vec![s.vct.clone()],
            KeySource::IssuerMetadata,
        ))
        .unwrap();
    let types = FetchedTypeMetadata::new(resolver, u64::try_from(now).unwrap())
        .danger_allow_loopback_http();
    let policy = VcPolicy::new(
        Policy::new(KeyBinding::required("https://employer.example", nonce)).with_leeway(3600),
    )
    .with_type_metadata(TypeMetadataPolicy::Required);
    VcVerifier::new(&PROVIDER, &trust)
        .with_documents(resolver)
        .with_type_metadata(&types)
        .danger_allow_loopback_http()
        .verify(&present(&s.credential, nonce), &policy, now)
}

#[test]
fn fetches_caches_and_sees_revocation() {
    let s = setup();
    let resolver = http(HttpConfig::default());
    let verified = check(&s, &resolver, NOW, "n1").expect("verifies over HTTP");
    assert_eq!(
        verified.status,
        StatusOutcome::Valid {
            uri: s.status_uri.clone(),
            idx: 5
        }
    );
    let metadata = verified.type_metadata.expect("type metadata processed");
    assert_eq!(metadata.display_for("en").unwrap().name, "Right to work");
    for path in [
        "/.well-known/jwt-vc-issuer/issuer",
        "/jwks.json",
        "/types/right-to-work",
        "/status/1",
    ] {
        assert_eq!(s.server.hits(path), 1, "{path} fetched once");
    }
    // Within every max-age: nothing is fetched again.
    check(&s, &resolver, NOW + 30, "n2").expect("still valid");
    for path in [
        "/.well-known/jwt-vc-issuer/issuer",
        "/jwks.json",
        "/types/right-to-work",
        "/status/1",
    ] {
        assert_eq!(s.server.hits(path), 1, "{path} served from cache");
    }
    // The authority revokes; once the status list's max-age has passed, the next check
    // fetches the new list and fails, while the metadata is still cached.
    s.server.serve(
        "/status/1",
        status_token(&s.status_uri, true),
        "application/statuslist+jwt",
        "max-age=60",
    );
    let err = check(&s, &resolver, NOW + 120, "n3").unwrap_err();
    assert!(matches!(err, Error::Revoked { idx: 5, .. }), "{err:?}");
    assert!(err.to_string().contains("credential revoked"));
    assert_eq!(s.server.hits("/status/1"), 2);
    assert_eq!(s.server.hits("/jwks.json"), 1);
}

#[test]
fn status_list_ttl_overrides_http_caching() {
    // The server says no-store; the token says ttl 300 s (Token Status List §13.7): the
    // list is reused for 300 s of check time, then fetched again.
    let s = setup();
    s.server.serve(
        "/status/1",
        status_token_ttl(&s.status_uri, false, Some(300)),
        "application/statuslist+jwt",
        "no-store",
    );
    let resolver = http(HttpConfig::default());
    check(&s, &resolver, NOW, "n1").expect("valid");
    check(&s, &resolver, NOW + 200, "n2").expect("valid, from cache");
    assert_eq!(s.server.hits("/status/1"), 1, "ttl keeps the list");
    s.server.serve(
        "/status/1",
        status_token_ttl(&s.status_uri, true, Some(300)),
        "application/statuslist+jwt",
        "no-store",
    );
    let err = check(&s, &resolver, NOW + 400, "n3").unwrap_err();
    assert!(matches!(err, Error::Revoked { .. }), "{err:?}");
    assert_eq!(s.server.hits("/status/1"), 2);
}

#[test]
fn oversize_and_slow_documents_are_refused() {
    let s = setup();
    // Type metadata over the 1 MiB cap: required, so the credential is rejected.
    s.server.serve(
        "/types/right-to-work",
        vec![b' '; 2 << 20],
        "application/json",
        "",
    );
    let err = check(&s, &http(HttpConfig::default()), NOW, "n1").unwrap_err();
    assert!(
        matches!(err, Error::TypeMetadataUnavailable { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("too large") || err.to_string().contains("limit"),
        "{err}"
    );
    // A status list that takes longer than the timeout: status unavailable, rejected.
    let s = setup();
    s.server.slow("/status/1", Duration::from_secs(3));
    let quick = HttpConfig::default()
        .with_read_timeout(Duration::from_millis(500))
        .with_total_timeout(Duration::from_secs(1));
    let err = check(&s, &http(quick), NOW, "n1").unwrap_err();
    assert!(matches!(err, Error::StatusUnavailable { .. }), "{err:?}");
}

#[test]
fn without_the_loopback_opt_in_nothing_is_fetched() {
    let s = setup();
    let resolver = CachingResolver::new(HttpResolver::new(HttpConfig::default()).unwrap());
    let err = check(&s, &resolver, NOW, "n1").unwrap_err();
    assert!(
        matches!(
            err,
            Error::KeyDiscovery { .. } | Error::InvalidIssuerMetadata { .. }
        ),
        "{err:?}"
    );
    assert_eq!(
        s.server.total.load(Ordering::SeqCst),
        0,
        "no request reached the server"
    );
}
