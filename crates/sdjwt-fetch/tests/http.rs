//! `HttpResolver` against a real HTTP/1.1 server on 127.0.0.1, written here on
//! `std::net::TcpListener` so that each misbehaviour (oversized, endless, slow, redirecting,
//! mislabelled responses) can be produced exactly. Feature `http`.

#![allow(clippy::unwrap_used)] // Tests: a failure names what broke.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use sdjwt_fetch::{
    CachingResolver, FetchError, FetchRequest, HttpConfig, HttpResolver, HttpsUrl, Resolver,
    ResourceKind, TtlBounds, UrlError,
};

const NOW: u64 = 1_750_000_000;
const METADATA: &[u8] = br#"{"issuer":"http://127.0.0.1","jwks":{"keys":[]}}"#;
const TYPE_METADATA: &[u8] = br#"{"vct":"https://example.com/type","name":"T"}"#;
const STATUS_LIST: &[u8] = b"eyJhbGciOiJFUzI1NiIsInR5cCI6InN0YXR1c2xpc3Qrand0In0.e30.c2ln";

/// What the server does for a path.
enum Reply {
    /// A complete response with `Content-Length`.
    Full {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Announces `length` bytes, sends `sent` of them, then stalls.
    Announced { length: u64, sent: usize },
    /// No `Content-Length`: sends `sent` bytes (close-delimited), then stalls.
    Endless { sent: usize },
    /// Sends the head, then one body byte every 100 ms, without end.
    Trickle,
    /// Never answers.
    Silent,
}

fn ok(content_type: &str, extra: &[(&'static str, &str)], body: &[u8]) -> Reply {
    let mut headers = vec![("Content-Type", content_type.to_owned())];
    headers.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    Reply::Full {
        status: 200,
        headers,
        body: body.to_vec(),
    }
}

fn status(code: u16, headers: &[(&'static str, &str)]) -> Reply {
    Reply::Full {
        status: code,
        headers: headers.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        body: b"{\"error\":\"not for you\"}".to_vec(),
    }
}

fn route(path: &str) -> Reply {
    match path {
        "/.well-known/jwt-vc-issuer/tenant" => ok(
            "application/json; charset=utf-8",
            &[("Cache-Control", "max-age=3600")],
            METADATA,
        ),
        "/types/t" => ok("application/json", &[], TYPE_METADATA),
        "/statuslists/1" => ok("application/statuslist+jwt", &[], STATUS_LIST),
        "/jwks" => ok("application/jwk-set+json", &[], br#"{"keys":[]}"#),
        "/cached" => ok(
            "application/json",
            &[("Cache-Control", "max-age=60")],
            b"{}",
        ),
        "/expires" => ok(
            "application/json",
            &[
                ("Date", "Mon, 16 Jun 2025 15:06:40 GMT"),
                ("Expires", "Mon, 16 Jun 2025 15:16:40 GMT"),
            ],
            b"{}",
        ),
        "/no-store" => ok(
            "application/json",
            &[("Cache-Control", "no-store, max-age=60")],
            b"{}",
        ),
        "/no-cache" => ok(
            "application/json",
            &[("Cache-Control", "no-cache, max-age=60")],
            b"{}",
        ),
        "/html" => ok("text/html", &[], b"<html></html>"),
        "/no-type" => Reply::Full {
            status: 200,
            headers: Vec::new(),
            body: b"{}".to_vec(),
        },
        "/gzip" => ok(
            "application/json",
            &[("Content-Encoding", "gzip")],
            b"\x1f\x8b",
        ),
        "/big" => ok("application/json", &[], &vec![b' '; 2048]),
        "/announced-huge" => Reply::Announced {
            length: 1 << 30,
            sent: 4096,
        },
        "/endless" => Reply::Endless { sent: 4096 },
        "/trickle" => Reply::Trickle,
        "/silent" => Reply::Silent,
        "/not-found" => status(404, &[("Content-Type", "application/json")]),
        "/error" => status(500, &[("Content-Type", "application/json")]),
        "/no-content" => status(204, &[]),
        "/redirect" => status(302, &[("Location", "/.well-known/jwt-vc-issuer/tenant")]),
        "/redirect-twice" => status(301, &[("Location", "redirect")]),
        "/redirect-http" => status(307, &[("Location", "http://example.com/x")]),
        "/redirect-private" => status(308, &[("Location", "https://10.0.0.1/x")]),
        "/redirect-metadata-service" => status(
            302,
            &[("Location", "https://169.254.169.254/latest/meta-data/")],
        ),
        "/redirect-mapped" => status(302, &[("Location", "https://[::ffff:192.168.0.1]/")]),
        "/redirect-internal-name" => status(302, &[("Location", "https://db.internal/")]),
        "/redirect-loop" => status(302, &[("Location", "/redirect-loop")]),
        "/redirect-no-location" => status(302, &[]),
        "/redirect-bad-location" => status(302, &[("Location", "https://a b/")]),
        "/multiple-choices" => status(300, &[("Location", "/cached")]),
        _ => status(404, &[]),
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    path: String,
    headers: HashMap<String, String>,
}

struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let log = Arc::clone(&log);
                thread::spawn(move || serve(stream, &log));
            }
        });
        Self { addr, seen }
    }

    fn url(&self, path: &str) -> HttpsUrl {
        HttpsUrl::danger_parse_loopback_http(&format!("http://{}{path}", self.addr)).unwrap()
    }

    fn request(&self, path: &str, kind: ResourceKind) -> FetchRequest {
        FetchRequest::new(self.url(path), kind)
    }

    fn hits(&self, path: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path == path)
            .count()
    }

    fn last(&self, path: &str) -> Seen {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|s| s.path == path)
            .cloned()
            .unwrap_or_else(|| panic!("no request for {path}"))
    }
}

fn serve(mut stream: TcpStream, log: &Mutex<Vec<Seen>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 || stream.read(&mut byte).unwrap_or(0) == 0 {
            return;
        }
        if head.is_empty() && byte[0] == 0x16 {
            // A TLS ClientHello: answer in plain text, as a misconfigured server would.
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let path = request_line.split(' ').nth(1).unwrap_or("/").to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    log.lock().unwrap().push(Seen {
        path: path.clone(),
        headers,
    });

    let stall = || thread::sleep(Duration::from_secs(30));
    match route(&path) {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut out = format!("HTTP/1.1 {status} Status\r\nConnection: close\r\n");
            for (name, value) in headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            if status != 204 {
                out.push_str(&format!("Content-Length: {}\r\n", body.len()));
            }
            out.push_str("\r\n");
            let _ = stream.write_all(out.as_bytes());
            if status != 204 {
                let _ = stream.write_all(&body);
            }
        }
        Reply::Announced { length, sent } => {
            let out = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
            );
            let _ = stream.write_all(out.as_bytes());
            let _ = stream.write_all(&vec![b' '; sent]);
            stall();
        }
        Reply::Endless { sent } => {
            let out =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(out.as_bytes());
            let _ = stream.write_all(&vec![b' '; sent]);
            stall();
        }
        Reply::Trickle => {
            let out = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
            let _ = stream.write_all(out.as_bytes());
            for _ in 0..600 {
                if stream.write_all(b" ").is_err() {
                    return;
                }
                thread::sleep(Duration::from_millis(100));
            }
        }
        Reply::Silent => stall(),
    }
}

fn loopback_config() -> HttpConfig {
    HttpConfig::default().danger_allow_loopback_http()
}

fn resolver(config: HttpConfig) -> HttpResolver {
    HttpResolver::new(config).unwrap()
}

#[test]
fn fetches_each_kind_through_the_loopback_opt_in() {
    let server = Server::start();
    let http = resolver(loopback_config());

    let iss = server.url("/tenant");
    let url = iss.jwt_vc_issuer_metadata().unwrap();
    assert_eq!(url.path(), "/.well-known/jwt-vc-issuer/tenant");
    let response = http
        .fetch(&FetchRequest::new(url, ResourceKind::IssuerMetadata), NOW)
        .unwrap();
    assert_eq!(&response.body[..], METADATA);
    assert_eq!(
        response.media_type.as_deref(),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(response.fetched_at, NOW);
    assert_eq!(response.fresh_until, Some(NOW + 3600));
    assert!(!response.no_store);
    let seen = server.last("/.well-known/jwt-vc-issuer/tenant");
    assert_eq!(seen.headers["accept"], "application/json");
    assert_eq!(
        seen.headers["user-agent"],
        concat!("sdjwt/", env!("CARGO_PKG_VERSION"))
    );
    for absent in [
        "cookie",
        "authorization",
        "accept-encoding",
        "proxy-authorization",
    ] {
        assert!(!seen.headers.contains_key(absent), "{absent} was sent");
    }

    let response = http
        .fetch(&server.request("/types/t", ResourceKind::TypeMetadata), NOW)
        .unwrap();
    assert_eq!(&response.body[..], TYPE_METADATA);
    assert_eq!(response.fresh_until, None);
    assert_eq!(
        server.last("/types/t").headers["accept"],
        "application/json"
    );

    let response = http
        .fetch(
            &server.request("/statuslists/1", ResourceKind::StatusList),
            NOW,
        )
        .unwrap();
    assert_eq!(&response.body[..], STATUS_LIST);
    assert_eq!(
        response.media_type.as_deref(),
        Some("application/statuslist+jwt")
    );
    assert_eq!(
        server.last("/statuslists/1").headers["accept"],
        "application/statuslist+jwt"
    );

    let response = http
        .fetch(&server.request("/jwks", ResourceKind::JwkSet), NOW)
        .unwrap();
    assert_eq!(&response.body[..], br#"{"keys":[]}"#);
    assert_eq!(
        server.last("/jwks").headers["accept"],
        "application/jwk-set+json, application/json"
    );

    // Expires - Date gives the lifetime.
    let response = http
        .fetch(&server.request("/expires", ResourceKind::TypeMetadata), NOW)
        .unwrap();
    assert_eq!(response.fresh_until, Some(NOW + 600));
}

#[test]
fn without_the_opt_in_loopback_is_refused_before_any_request() {
    let server = Server::start();
    let http = resolver(HttpConfig::default());

    let plain = server.request("/types/t", ResourceKind::TypeMetadata);
    assert_eq!(
        http.fetch(&plain, NOW),
        Err(FetchError::NotHttps {
            url: plain.url.as_str().to_owned()
        })
    );
    let tls = FetchRequest::new(
        HttpsUrl::parse(&format!("https://{}/types/t", server.addr)).unwrap(),
        ResourceKind::TypeMetadata,
    );
    assert_eq!(
        http.fetch(&tls, NOW),
        Err(FetchError::ForbiddenAddress {
            host: "127.0.0.1".to_owned(),
            addr: "127.0.0.1".parse().unwrap()
        })
    );
    let named = FetchRequest::new(
        HttpsUrl::parse(&format!("https://localhost:{}/types/t", server.addr.port())).unwrap(),
        ResourceKind::TypeMetadata,
    );
    assert_eq!(
        http.fetch(&named, NOW),
        Err(FetchError::ForbiddenHost {
            host: "localhost".to_owned()
        })
    );
    assert_eq!(server.hits("/types/t"), 0);
}

#[test]
fn tls_is_spoken_on_https_urls() {
    // The server speaks plain HTTP; an https URL must fail in the TLS handshake (which shows
    // the rustls provider is wired in) and never fall back to plain text.
    let server = Server::start();
    let http = resolver(loopback_config().with_total_timeout(Duration::from_secs(5)));
    let request = FetchRequest::new(
        HttpsUrl::parse(&format!("https://{}/types/t", server.addr)).unwrap(),
        ResourceKind::TypeMetadata,
    );
    match http.fetch(&request, NOW) {
        Err(FetchError::Tls(_)) => {}
        other => panic!("expected a TLS failure, got {other:?}"),
    }
}

#[test]
fn caching_follows_cache_control_and_ttl() {
    let server = Server::start();
    let cache = CachingResolver::new(resolver(loopback_config()));

    // max-age=60: reused within, fetched again after.
    let cached = server.request("/cached", ResourceKind::TypeMetadata);
    assert_eq!(
        cache.fetch(&cached, NOW).unwrap().fresh_until,
        Some(NOW + 60)
    );
    let again = cache.fetch(&cached, NOW + 59).unwrap();
    assert_eq!(again.fetched_at, NOW);
    assert_eq!(server.hits("/cached"), 1);
    let later = cache.fetch(&cached, NOW + 60).unwrap();
    assert_eq!(later.fetched_at, NOW + 60);
    assert_eq!(server.hits("/cached"), 2);

    // no-store and no-cache: never reused, whatever max-age says.
    for path in ["/no-store", "/no-cache"] {
        let request = server.request(path, ResourceKind::TypeMetadata);
        cache.fetch(&request, NOW).unwrap();
        cache.fetch(&request, NOW).unwrap();
        assert_eq!(server.hits(path), 2, "{path}");
    }
    assert!(
        cache
            .fetch(
                &server.request("/no-store", ResourceKind::TypeMetadata),
                NOW
            )
            .unwrap()
            .no_store
    );

    // A status list without caching headers is not kept, until the token's ttl says so.
    let status = server.request("/statuslists/1", ResourceKind::StatusList);
    let response = cache.fetch(&status, NOW).unwrap();
    cache.fetch(&status, NOW).unwrap();
    assert_eq!(server.hits("/statuslists/1"), 2);
    let until = TtlBounds::default()
        .fresh_until(response.fetched_at, Some(300), Some(NOW + 86_400))
        .unwrap();
    assert_eq!(until, NOW + 300);
    cache.store(&status, response, until);
    cache.fetch(&status, NOW + 299).unwrap();
    assert_eq!(server.hits("/statuslists/1"), 2);
    // A newer token with a shorter ttl (or exp) shortens the entry.
    assert!(cache.set_fresh_until(&status, NOW + 100));
    cache.fetch(&status, NOW + 100).unwrap();
    assert_eq!(server.hits("/statuslists/1"), 3);
}

#[test]
fn oversized_bodies_are_refused_without_reading_them() {
    let server = Server::start();
    let small = loopback_config()
        .with_size_limit(ResourceKind::TypeMetadata, 1024)
        .with_total_timeout(Duration::from_secs(20));
    let http = resolver(small);

    assert_eq!(
        http.fetch(&server.request("/big", ResourceKind::TypeMetadata), NOW),
        Err(FetchError::TooLarge { limit: 1024 })
    );
    // The same document fits the default limit of another kind.
    let response = http
        .fetch(&server.request("/big", ResourceKind::IssuerMetadata), NOW)
        .unwrap();
    assert_eq!(response.body.len(), 2048);

    // 1 GiB announced, 4 KiB sent, then nothing: refused at the Content-Length. Reading on
    // would end in a timeout instead.
    assert_eq!(
        http.fetch(
            &server.request("/announced-huge", ResourceKind::TypeMetadata),
            NOW
        ),
        Err(FetchError::TooLarge { limit: 1024 })
    );
    // No Content-Length, 4 KiB sent, then nothing: refused once the limit is passed, without
    // waiting for the end of the body.
    assert_eq!(
        http.fetch(&server.request("/endless", ResourceKind::TypeMetadata), NOW),
        Err(FetchError::TooLarge { limit: 1024 })
    );
}

#[test]
fn slow_servers_time_out() {
    let server = Server::start();
    // A body that trickles in forever: each read is quick, the total timeout ends it.
    let http = resolver(
        loopback_config()
            .with_read_timeout(Duration::from_secs(5))
            .with_total_timeout(Duration::from_millis(800)),
    );
    assert_eq!(
        http.fetch(&server.request("/trickle", ResourceKind::TypeMetadata), NOW),
        Err(FetchError::Timeout)
    );
    // A server that never answers: the read timeout ends it.
    let http = resolver(
        loopback_config()
            .with_read_timeout(Duration::from_millis(500))
            .with_total_timeout(Duration::from_secs(20)),
    );
    assert_eq!(
        http.fetch(&server.request("/silent", ResourceKind::TypeMetadata), NOW),
        Err(FetchError::Timeout)
    );
}

#[test]
fn error_statuses_are_refused() {
    let server = Server::start();
    let http = resolver(loopback_config());
    for (path, code) in [
        ("/not-found", 404),
        ("/error", 500),
        ("/no-content", 204),
        ("/multiple-choices", 300),
    ] {
        assert_eq!(
            http.fetch(&server.request(path, ResourceKind::IssuerMetadata), NOW),
            Err(FetchError::Status { code }),
            "{path}"
        );
    }
    // The 300 carried a Location, which was not followed.
    assert_eq!(server.hits("/cached"), 0);
}

#[test]
fn redirects_are_followed_within_the_rules() {
    let server = Server::start();
    let http = resolver(loopback_config());

    let response = http
        .fetch(
            &server.request("/redirect", ResourceKind::IssuerMetadata),
            NOW,
        )
        .unwrap();
    assert_eq!(&response.body[..], METADATA);
    let response = http
        .fetch(
            &server.request("/redirect-twice", ResourceKind::IssuerMetadata),
            NOW,
        )
        .unwrap();
    assert_eq!(&response.body[..], METADATA);
    assert_eq!(server.hits("/redirect"), 2);
    assert_eq!(server.hits("/.well-known/jwt-vc-issuer/tenant"), 2);

    let fetch = |path: &str| http.fetch(&server.request(path, ResourceKind::IssuerMetadata), NOW);
    assert_eq!(
        fetch("/redirect-http"),
        Err(FetchError::NotHttps {
            url: "http://example.com/x".to_owned()
        })
    );
    assert_eq!(
        fetch("/redirect-private"),
        Err(FetchError::ForbiddenAddress {
            host: "10.0.0.1".to_owned(),
            addr: "10.0.0.1".parse().unwrap()
        })
    );
    assert_eq!(
        fetch("/redirect-metadata-service"),
        Err(FetchError::ForbiddenAddress {
            host: "169.254.169.254".to_owned(),
            addr: "169.254.169.254".parse().unwrap()
        })
    );
    assert!(matches!(
        fetch("/redirect-mapped"),
        Err(FetchError::ForbiddenAddress { .. })
    ));
    assert_eq!(
        fetch("/redirect-internal-name"),
        Err(FetchError::ForbiddenHost {
            host: "db.internal".to_owned()
        })
    );
    assert_eq!(
        fetch("/redirect-loop"),
        Err(FetchError::TooManyRedirects { limit: 3 })
    );
    assert_eq!(server.hits("/redirect-loop"), 4);
    assert_eq!(
        fetch("/redirect-no-location"),
        Err(FetchError::InvalidRedirect {
            code: 302,
            reason: None
        })
    );
    assert!(matches!(
        fetch("/redirect-bad-location"),
        Err(FetchError::InvalidRedirect {
            code: 302,
            reason: Some(UrlError::InvalidCharacter { .. })
        })
    ));

    let no_redirects = resolver(loopback_config().with_max_redirects(0));
    assert_eq!(
        no_redirects.fetch(
            &server.request("/redirect", ResourceKind::IssuerMetadata),
            NOW
        ),
        Err(FetchError::TooManyRedirects { limit: 0 })
    );
}

#[test]
fn media_types_and_encodings_are_checked() {
    let server = Server::start();
    let http = resolver(loopback_config());
    assert_eq!(
        http.fetch(&server.request("/html", ResourceKind::IssuerMetadata), NOW),
        Err(FetchError::WrongMediaType {
            expected: "application/json",
            got: Some("text/html".to_owned())
        })
    );
    assert_eq!(
        http.fetch(&server.request("/types/t", ResourceKind::StatusList), NOW),
        Err(FetchError::WrongMediaType {
            expected: "application/statuslist+jwt",
            got: Some("application/json".to_owned())
        })
    );
    assert_eq!(
        http.fetch(&server.request("/no-type", ResourceKind::TypeMetadata), NOW),
        Err(FetchError::WrongMediaType {
            expected: "application/json",
            got: None
        })
    );
    assert_eq!(
        http.fetch(&server.request("/gzip", ResourceKind::TypeMetadata), NOW),
        Err(FetchError::UnsupportedContentEncoding {
            encoding: "gzip".to_owned()
        })
    );
    // A JWK Set may come as application/jwk-set+json or application/json.
    assert!(
        http.fetch(&server.request("/types/t", ResourceKind::JwkSet), NOW)
            .is_ok()
    );
}

#[test]
fn resolver_is_object_safe_and_shareable() {
    let server = Server::start();
    let shared: Arc<dyn Resolver> = Arc::new(CachingResolver::new(resolver(loopback_config())));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let shared = Arc::clone(&shared);
            let request = server.request("/cached", ResourceKind::TypeMetadata);
            thread::spawn(move || shared.fetch(&request, NOW).map(|r| r.body.len()))
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), Ok(2));
    }
    assert!(server.hits("/cached") >= 1);
}

mod tls {
    //! HTTPS against a local rustls server whose certificate comes from the private root in
    //! `tests/pki` (see its README).

    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    use super::*;

    const ROOT: &[u8] = include_bytes!("pki/root.pem");
    const SERVER_CERT: &[u8] = include_bytes!("pki/server.pem");
    const SERVER_KEY: &[u8] = include_bytes!("pki/server.key.pem");

    fn start() -> (SocketAddr, Arc<Mutex<usize>>) {
        let certs = CertificateDer::pem_slice_iter(SERVER_CERT)
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let key = PrivateKeyDer::from_pem_slice(SERVER_KEY).unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let served = Arc::new(Mutex::new(0));
        let count = Arc::clone(&served);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let config = Arc::clone(&config);
                let count = Arc::clone(&count);
                thread::spawn(move || {
                    let Ok(connection) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    let mut tls = rustls::StreamOwned::new(connection, stream);
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        match tls.read(&mut byte) {
                            Ok(1) if head.len() < 16 * 1024 => head.push(byte[0]),
                            _ => return,
                        }
                    }
                    *count.lock().unwrap() += 1;
                    let response = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        TYPE_METADATA.len()
                    );
                    let _ = tls.write_all(response.as_bytes());
                    let _ = tls.write_all(TYPE_METADATA);
                    let _ = tls.flush();
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                });
            }
        });
        (addr, served)
    }

    fn request(url: &str) -> FetchRequest {
        FetchRequest::new(HttpsUrl::parse(url).unwrap(), ResourceKind::TypeMetadata)
    }

    #[test]
    fn private_root_is_trusted_when_added() {
        let (addr, served) = start();
        let private = HttpConfig::default()
            .add_root_certificates_pem(ROOT)
            .unwrap()
            .without_public_roots()
            .danger_allow_loopback_http();
        let http = resolver(private.clone());
        for url in [
            format!("https://{addr}/types/t"),
            format!("https://localhost:{}/types/t", addr.port()),
        ] {
            let response = http.fetch(&request(&url), NOW).unwrap();
            assert_eq!(&response.body[..], TYPE_METADATA, "{url}");
        }
        assert_eq!(*served.lock().unwrap(), 2);

        // The public roots alone do not trust the private root.
        let public = resolver(HttpConfig::default().danger_allow_loopback_http());
        match public.fetch(&request(&format!("https://{addr}/types/t")), NOW) {
            Err(FetchError::Tls(message)) => assert!(message.contains("certificate"), "{message}"),
            other => panic!("expected an untrusted certificate, got {other:?}"),
        }
        // Public roots plus the private one.
        let both = resolver(
            HttpConfig::default()
                .add_root_certificates_pem(ROOT)
                .unwrap()
                .danger_allow_loopback_http(),
        );
        assert!(
            both.fetch(&request(&format!("https://{addr}/types/t")), NOW)
                .is_ok()
        );
        // A trusted certificate does not lift the address rules.
        let strict = resolver(
            HttpConfig::default()
                .add_root_certificates_pem(ROOT)
                .unwrap(),
        );
        assert!(matches!(
            strict.fetch(&request(&format!("https://{addr}/types/t")), NOW),
            Err(FetchError::ForbiddenAddress { .. })
        ));
        assert_eq!(*served.lock().unwrap(), 3);
    }
}
