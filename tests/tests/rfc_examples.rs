//! The published RFC 9901 (SD-JWT) examples, checked against `sdjwt-core` with both crypto
//! providers.
//!
//! The examples are read at test time from the rendered draft-22 text (the version published as
//! RFC 9901) in the spec-sources folder; nothing upstream is copied into this repository. A
//! small extractor (see [`spec`]) pulls out the compact SD-JWTs, the JSON figures (payloads,
//! processed payloads, KB-JWT payloads, JWS JSON serializations) and the Disclosure lists with
//! their printed digests. Only a few small values are transcribed, each with its source.
//!
//! Covered: §4.2.1/§4.2.3 (single Disclosure and digest), §5 (issuance and presentation with
//! Key Binding), §6.1–§6.3 (flat, structured, recursive payloads), §8.2 (flattened JSON, issued
//! and presented), §8.3 (general JSON, two signatures), Appendix A.1–A.4, and the A.5 key.
//!
//! ECDSA signatures and KB-JWT `iat` differ between renderings of the draft, so signatures are
//! verified with the public keys and never compared byte for byte.

// Tests report failures by panicking: every `expect` names the step that failed.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeSet;

use sdjwt_core::{Disclosure, DisclosureError, Error, IssuerJws, KB_JWT_TYP, Limits, SdJwt};
use sdjwt_jose::jws::JsonSyntax;
use sdjwt_jose::{CryptoProvider, HashAlgorithm, Jwk, base64url};
use serde_json::{Map, Value, json};

/// The rendered text extractor. RFC text conventions it relies on: section headings start in
/// column 0 (`5.1.  Issuance`, `A.1.  Simple Structured SD-JWT`); figures are indented by three
/// spaces and separated from prose by blank lines; long base64url strings are wrapped without
/// any separator.
mod spec {
    use std::path::PathBuf;
    use std::sync::OnceLock;

    use serde_json::Value;

    /// The rendered draft-22 text, relative to the spec-sources folder (README §2.1).
    pub(crate) const RENDERED: &str =
        "sd-jwt/rendered/draft-ietf-oauth-selective-disclosure-jwt-22.txt";

    /// The example settings (issuer and holder keys), relative to the spec-sources folder.
    pub(crate) const SETTINGS: &str = "sd-jwt/examples/settings.yml";

    /// The spec-sources folder. Panics (fails the test) with instructions when it is absent:
    /// these tests must never pass silently without their inputs.
    pub(crate) fn sources() -> PathBuf {
        sdjwt_test::spec_sources().unwrap_or_else(|| {
            panic!(
                "the spec-sources folder was not found; set SDJWT_SPEC_SOURCES to the folder \
                 that holds {RENDERED} (RFC 9901 examples are read from it at test time)"
            )
        })
    }

    /// Reads a file below the spec-sources folder, failing loudly.
    pub(crate) fn read(relative: &str) -> String {
        let path = sources().join(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {} ({e}); RFC 9901 examples are read from the spec-sources \
                 folder (SDJWT_SPEC_SOURCES)",
                path.display()
            )
        })
    }

    /// The whole rendered RFC, parsed once.
    pub(crate) fn rfc() -> &'static Rfc {
        static RFC: OnceLock<Rfc> = OnceLock::new();
        RFC.get_or_init(|| Rfc::parse(&read(RENDERED)))
    }

    /// The rendered text, split into numbered sections.
    pub(crate) struct Rfc {
        sections: Vec<Section>,
    }

    impl Rfc {
        fn parse(text: &str) -> Self {
            let mut sections: Vec<Section> = Vec::new();
            for line in text.lines() {
                if let Some(id) = heading(line) {
                    sections.push(Section {
                        id: id.to_owned(),
                        lines: Vec::new(),
                    });
                } else if let Some(current) = sections.last_mut() {
                    current.lines.push(line.trim_end().to_owned());
                }
            }
            Self { sections }
        }

        /// The section numbered `id` (`"5.1"`, `"A.3"`).
        pub(crate) fn section(&self, id: &str) -> &Section {
            self.sections
                .iter()
                .find(|s| s.id == id)
                .unwrap_or_else(|| panic!("section {id} not found in {RENDERED}"))
        }
    }

    /// `5.1.  Issuance` -> `5.1`; `Appendix A.  Additional Examples` -> `A`.
    fn heading(line: &str) -> Option<&str> {
        if line.is_empty() || line.starts_with(' ') {
            return None;
        }
        let line = line.strip_prefix("Appendix ").unwrap_or(line);
        let (id, _title) = line.split_once(".  ")?;
        let first_ok = id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, 'A'..='C'));
        let rest_ok = id.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
        (first_ok && rest_ok).then_some(id)
    }

    /// A figure together with the prose paragraph just before it, which says what it is.
    pub(crate) struct Captioned<T> {
        pub(crate) caption: String,
        pub(crate) value: T,
    }

    /// A Disclosure as listed in the text: `SHA-256 Hash:` and `Disclosure:`.
    pub(crate) struct Listed {
        pub(crate) digest: String,
        pub(crate) disclosure: String,
    }

    /// One section's lines.
    pub(crate) struct Section {
        pub(crate) id: String,
        lines: Vec<String>,
    }

    impl Section {
        /// Blank-line separated paragraphs.
        fn paragraphs(&self) -> Vec<&[String]> {
            self.lines
                .split(|l| l.trim().is_empty())
                .filter(|p| !p.is_empty())
                .collect()
        }

        /// Every paragraph with the paragraph before it joined into one line of prose.
        fn captioned_paragraphs(&self) -> Vec<(String, &[String])> {
            let paragraphs = self.paragraphs();
            let mut out = Vec::new();
            for (i, p) in paragraphs.iter().enumerate() {
                let caption = i
                    .checked_sub(1)
                    .map(|j| join_prose(paragraphs[j]))
                    .unwrap_or_default();
                out.push((caption, *p));
            }
            out
        }

        /// Every compact JWS / SD-JWT / SD-JWT+KB figure, unwrapped.
        pub(crate) fn compact_figures(&self) -> Vec<Captioned<String>> {
            self.captioned_paragraphs()
                .into_iter()
                .filter(|(_, p)| is_compact_figure(p))
                .map(|(caption, p)| Captioned {
                    caption,
                    value: p.iter().map(|l| l.trim()).collect(),
                })
                .collect()
        }

        /// The one compact figure whose caption contains `caption`.
        pub(crate) fn compact(&self, caption: &str) -> String {
            let mut found: Vec<_> = self
                .compact_figures()
                .into_iter()
                .filter(|f| f.caption.contains(caption))
                .collect();
            assert_eq!(
                found.len(),
                1,
                "expected exactly one compact figure captioned {caption:?} in section {}",
                self.id
            );
            found.remove(0).value
        }

        /// Every JSON figure (a paragraph from `   {` to `   }`), parsed.
        pub(crate) fn json_figures(&self) -> Vec<Captioned<Value>> {
            self.captioned_paragraphs()
                .into_iter()
                .filter(|(_, p)| {
                    p.first().is_some_and(|l| l == "   {") && p.last().is_some_and(|l| l == "   }")
                })
                .map(|(caption, p)| {
                    let text = join_wrapped_json(p);
                    let value = serde_json::from_str(&text).unwrap_or_else(|e| {
                        panic!(
                            "JSON figure after {caption:?} in section {} does not parse: {e}\n{text}",
                            self.id
                        )
                    });
                    Captioned { caption, value }
                })
                .collect()
        }

        /// The JSON figures whose caption contains `caption`.
        pub(crate) fn json_all(&self, caption: &str) -> Vec<Value> {
            self.json_figures()
                .into_iter()
                .filter(|f| f.caption.contains(caption))
                .map(|f| f.value)
                .collect()
        }

        /// The one JSON figure whose caption contains `caption`, if any.
        pub(crate) fn json_opt(&self, caption: &str) -> Option<Value> {
            let mut found = self.json_all(caption);
            assert!(
                found.len() <= 1,
                "more than one JSON figure captioned {caption:?} in section {}",
                self.id
            );
            found.pop()
        }

        /// The one JSON figure whose caption contains `caption`.
        pub(crate) fn json(&self, caption: &str) -> Value {
            self.json_opt(caption).unwrap_or_else(|| {
                panic!(
                    "no JSON figure captioned {caption:?} in section {}",
                    self.id
                )
            })
        }

        /// The Disclosures listed with `*  SHA-256 Hash:` / `*  Disclosure:` items.
        pub(crate) fn listed_disclosures(&self) -> Vec<Listed> {
            let mut out = Vec::new();
            let mut lines = self.lines.iter().map(|l| l.trim()).peekable();
            while let Some(line) = lines.next() {
                let Some(digest) = line.strip_prefix("*  SHA-256 Hash:") else {
                    continue;
                };
                assert_eq!(
                    lines.next(),
                    Some("*  Disclosure:"),
                    "section {}: no Disclosure after hash {digest}",
                    self.id
                );
                let mut disclosure = String::new();
                while let Some(next) = lines.next_if(|l| !l.starts_with('*') && !l.is_empty()) {
                    disclosure.push_str(next);
                }
                assert!(
                    !disclosure.is_empty(),
                    "section {}: empty Disclosure for hash {digest}",
                    self.id
                );
                out.push(Listed {
                    digest: digest.trim().to_owned(),
                    disclosure,
                });
            }
            out
        }

        /// The decoy digests listed after "The following decoy digests are added:", if any.
        pub(crate) fn decoy_digests(&self) -> Vec<String> {
            self.captioned_paragraphs()
                .into_iter()
                .filter(|(caption, _)| caption.contains("decoy digests are added"))
                .flat_map(|(_, p)| {
                    p.iter()
                        .filter_map(|l| l.trim().strip_prefix("*  "))
                        .map(|d| d.trim().to_owned())
                        .collect::<Vec<_>>()
                })
                .collect()
        }
    }

    /// Joins prose lines; a line ending in `-` was broken after a hyphen that belongs to the
    /// word (`SD-` / `JWT`), so no space is added there.
    fn join_prose(lines: &[String]) -> String {
        let mut out = String::new();
        for line in lines {
            if !out.is_empty() && !out.ends_with('-') {
                out.push(' ');
            }
            out.push_str(line.trim());
        }
        out
    }

    /// A compact figure: three-space indented lines of base64url, `.` and `~` only, starting
    /// with a JOSE header (`eyJ`).
    fn is_compact_figure(p: &[String]) -> bool {
        p.first()
            .is_some_and(|l| l.starts_with("   eyJ") && !l.starts_with("    "))
            && p.iter().all(|l| {
                let body = l.trim();
                l.starts_with("   ")
                    && !l.starts_with("    ")
                    && !body.is_empty()
                    && body
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))
            })
    }

    /// Joins the lines of a JSON figure. A line that ends inside a string literal was wrapped
    /// (the figures wrap long base64url strings), so the continuation is appended without its
    /// indentation and without a separator.
    fn join_wrapped_json(lines: &[String]) -> String {
        let mut out = String::new();
        let mut in_string = false;
        for line in lines {
            let piece = if in_string {
                line.trim_start()
            } else {
                out.push('\n');
                line.as_str()
            };
            out.push_str(piece);
            let mut escaped = false;
            for c in piece.chars() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' if in_string => escaped = true,
                    '"' => in_string = !in_string,
                    _ => {}
                }
            }
        }
        out
    }
}

// ------------------------------------------------------------------------------------------
// Keys
// ------------------------------------------------------------------------------------------

/// The Issuer's public key as printed in RFC 9901 Appendix A.5.
fn issuer_public_key() -> Jwk {
    let a5 = spec::rfc().section("A.5");
    let figures = a5.json_figures();
    assert_eq!(figures.len(), 1, "Appendix A.5 holds one JWK");
    Jwk::from_json_str(&figures[0].value.to_string()).expect("Appendix A.5 key is a valid JWK")
}

/// The second Issuer key of the §8.3 General JSON example (`kid: issuer-key-2`), public part.
/// Transcribed from `sd-jwt/examples/json_serialization_general/specification.yml`,
/// `settings_override.key_settings.issuer_keys[1]`; RFC 9901 itself does not print it.
const ISSUER_KEY_2: &str = r#"{
    "kty": "EC",
    "crv": "P-256",
    "x": "bN-hp3IN0GZB3OlaQnHDPhY4nZsZbQyo4wY-y1NWCvA",
    "y": "vaSsH5jt9zt3aQvTvrSaFYLyjPG9Ug-2vntoNXlCbVU"
}"#;

fn issuer_public_key_2() -> Jwk {
    Jwk::from_json_str(ISSUER_KEY_2).expect("issuer-key-2 is a valid JWK")
}

/// Verifies every issuer signature of `sd`: the compact JWS with `keys[0]`, JSON signature `i`
/// with `keys[i]`.
fn verify_issuer_signatures(
    provider: &CryptoProvider,
    sd: &SdJwt,
    keys: &[Jwk],
) -> Result<(), sdjwt_jose::Error> {
    match sd.jws() {
        IssuerJws::Compact(c) => {
            let verifier = provider.verifier(&keys[0], c.header().alg())?;
            c.verify(&*verifier)
        }
        IssuerJws::Json(j) => {
            assert_eq!(
                j.signatures().len(),
                keys.len(),
                "one key per JSON signature"
            );
            for (s, key) in j.signatures().iter().zip(keys) {
                let verifier = provider.verifier(key, s.header().alg())?;
                s.verify(j.payload_b64(), &*verifier)?;
            }
            Ok(())
        }
    }
}

// ------------------------------------------------------------------------------------------
// The examples
// ------------------------------------------------------------------------------------------

/// A compact-serialization example: where its figures are and how they are captioned.
struct Example {
    /// Section printing the input claims, the payload and the Disclosure list.
    section: &'static str,
    /// Caption fragment of the issued SD-JWT, when the text prints one (A.1 and A.2 print only
    /// the presentation and the Disclosures).
    issued: Option<&'static str>,
    /// Section and caption fragment of the presentation.
    presentation: (&'static str, &'static str),
    /// Whether the presentation carries a KB-JWT.
    key_binding: bool,
    /// The `typ` of the Issuer-signed JWT.
    typ: &'static str,
}

const EXAMPLES: &[Example] = &[
    Example {
        section: "5.1",
        issued: Some("produces the SD-JWT"),
        presentation: ("5.2", "SD-JWT+KB"),
        key_binding: true,
        typ: "example+sd-jwt",
    },
    Example {
        section: "A.1",
        issued: None,
        presentation: ("A.1", "presentation"),
        key_binding: false,
        typ: "example+sd-jwt",
    },
    Example {
        section: "A.2",
        issued: None,
        presentation: ("A.2", "presentation"),
        key_binding: false,
        typ: "example+sd-jwt",
    },
    Example {
        section: "A.3",
        issued: Some("issued SD-JWT"),
        presentation: ("A.3", "SD-JWT+KB"),
        key_binding: true,
        typ: "dc+sd-jwt",
    },
    Example {
        section: "A.4",
        issued: Some("issued SD-JWT"),
        presentation: ("A.4", "SD-JWT+KB"),
        key_binding: true,
        typ: "example+sd-jwt",
    },
];

impl Example {
    fn section(&self) -> &'static spec::Section {
        spec::rfc().section(self.section)
    }

    fn presentation_section(&self) -> &'static spec::Section {
        spec::rfc().section(self.presentation.0)
    }

    fn listed(&self) -> Vec<spec::Listed> {
        let listed = self.section().listed_disclosures();
        assert!(
            !listed.is_empty(),
            "section {}: no Disclosures",
            self.section
        );
        listed
    }

    fn listed_disclosures(&self) -> Vec<Disclosure> {
        self.listed()
            .iter()
            .map(|l| Disclosure::parse(&l.disclosure).expect("listed Disclosure parses"))
            .collect()
    }

    fn presentation(&self) -> SdJwt {
        let (id, caption) = self.presentation;
        let text = self.presentation_section().compact(caption);
        SdJwt::parse(&text, &Limits::DEFAULT)
            .unwrap_or_else(|e| panic!("§{id} presentation does not parse: {e}"))
    }

    /// The issued SD-JWT as printed, or, where only a presentation is printed, that
    /// presentation's Issuer-signed JWT with every listed Disclosure.
    fn issued(&self) -> SdJwt {
        match self.issued {
            Some(caption) => {
                let text = self.section().compact(caption);
                SdJwt::parse(&text, &Limits::DEFAULT).unwrap_or_else(|e| {
                    panic!("§{} issued SD-JWT does not parse: {e}", self.section)
                })
            }
            None => self
                .presentation()
                .with_disclosures(self.listed_disclosures()),
        }
    }
}

/// What processing an SD-JWT with every Disclosure must give: the input claims plus the
/// plaintext claims the Issuer added (`iss`, `iat`, `exp`, `cnf`), read from the payload.
fn expected_full_claims(input: &Value, payload: &Map<String, Value>) -> Value {
    let mut claims = input
        .as_object()
        .expect("input claims are an object")
        .clone();
    for name in ["iss", "iat", "exp", "cnf"] {
        if let Some(v) = payload.get(name) {
            claims.insert(name.to_owned(), v.clone());
        }
    }
    Value::Object(claims)
}

fn digest_set<'a>(digests: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    digests.into_iter().map(str::to_owned).collect()
}

/// The §5.2 presentation (SD-JWT+KB), the basis of the tampering tests.
fn section5_presentation_text() -> String {
    spec::rfc().section("5.2").compact("SD-JWT+KB")
}

sdjwt_test::for_each_provider! {
    /// RFC 9901 §4.2.1 and §4.2.3: the single Disclosure and its digest (transcribed), and the
    /// three equivalent encodings of the same claim, which hash differently.
    fn section_4_2_disclosure_and_digest(provider) {
        // RFC 9901 §4.2.1, the resulting Disclosure for ["_26bc4LT-ac6q2KI6cBW5es",
        // "family_name", "Möbius"], and §4.2.3, its SHA-256 digest.
        const DISCLOSURE: &str =
            "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0";
        const DIGEST: &str = "X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0";
        // RFC 9901 §4.2.1, the three variations (escaped umlaut, no white space, newlines).
        const VARIANTS: [&str; 3] = [
            "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNXHUwMGY2Yml1cyJd",
            "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsImZhbWlseV9uYW1lIiwiTcO2Yml1cyJd",
            "WwoiXzI2YmM0TFQtYWM2cTJLSTZjQlc1ZXMiLAoiZmFtaWx5X25hbWUiLAoiTcO2Yml1cyIKXQ",
        ];
        let d = Disclosure::parse(DISCLOSURE).expect("§4.2.1 Disclosure parses");
        assert_eq!(d.name(), Some("family_name"));
        let digest = d.digest(&provider, HashAlgorithm::Sha256).expect("digest");
        assert_eq!(digest.as_str(), DIGEST);
        for v in VARIANTS {
            let variant = Disclosure::parse(v).expect("§4.2.1 variant parses");
            assert_eq!(variant.kind(), d.kind(), "same claim in {v}");
            assert_eq!(variant.salt(), d.salt());
            let other = variant.digest(&provider, HashAlgorithm::Sha256).expect("digest");
            assert_ne!(other, digest, "the digest covers the encoding, not the value");
        }
        // RFC 9901 §4.2.2: an array-element Disclosure.
        let fr = Disclosure::parse("WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0")
            .expect("§4.2.2 Disclosure parses");
        assert_eq!(
            fr.kind(),
            &sdjwt_core::DisclosureKind::ArrayElement { value: json!("FR") }
        );
    }

    /// Every Disclosure printed in §5, §6.1–§6.3 and Appendix A.1–A.4 hashes to the digest
    /// printed next to it, and §5 lists exactly the ten Disclosures of its issued SD-JWT.
    fn listed_disclosures_hash_to_printed_digests(provider) {
        let mut total = 0;
        for id in ["5.1", "6.1", "6.2", "6.3", "A.1", "A.2", "A.3", "A.4"] {
            let listed = spec::rfc().section(id).listed_disclosures();
            assert!(!listed.is_empty(), "section {id} lists no Disclosures");
            for l in &listed {
                let d = Disclosure::parse(&l.disclosure)
                    .unwrap_or_else(|e| panic!("§{id}: {} does not parse: {e}", l.disclosure));
                let digest = d.digest(&provider, HashAlgorithm::Sha256).expect("sha-256");
                assert_eq!(digest.as_str(), l.digest, "§{id}: digest of {}", l.disclosure);
                total += 1;
            }
        }
        assert_eq!(spec::rfc().section("5.1").listed_disclosures().len(), 10);
        // 10 (§5) + 1 + 4 + 5 (§6) + 10 + 16 + 27 + 14 (Appendix A).
        assert_eq!(total, 87, "number of Disclosures listed in the examples");
    }

    /// The issuer signature of every issued SD-JWT and every presentation verifies with the
    /// Appendix A.5 key; the §5.1 Issuer-signed JWT figure is the one inside both.
    fn issuer_signatures_verify(provider) {
        let key = issuer_public_key();
        for ex in EXAMPLES {
            for (what, sd) in [("issued", ex.issued()), ("presentation", ex.presentation())] {
                verify_issuer_signatures(&provider, &sd, std::slice::from_ref(&key))
                    .unwrap_or_else(|e| panic!("§{} {what}: issuer signature: {e}", ex.section));
                assert_eq!(sd.header().typ(), Some(ex.typ), "§{} {what}", ex.section);
            }
        }
        let jwt = spec::rfc().section("5.1").compact("Issuer-signed JWT");
        assert!(!jwt.contains('~'));
        assert_eq!(EXAMPLES[0].issued().jws().first_compact(), jwt);
        assert_eq!(EXAMPLES[0].presentation().jws().first_compact(), jwt);
    }

    /// Processing each issued SD-JWT with all its Disclosures: every listed digest is reached,
    /// only the decoys stay undisclosed, and the result is the input JWT Claims Set plus the
    /// Issuer's `iss`, `iat`, `exp` and `cnf`. The printed payload is the JWT payload.
    fn issued_sd_jwts_process_to_input_claims(provider) {
        for ex in EXAMPLES {
            let section = ex.section();
            let sd = ex.issued();
            let listed = ex.listed();
            let listed_digests = digest_set(listed.iter().map(|l| l.digest.as_str()));

            if ex.issued.is_some() {
                let issued = digest_set(sd.disclosures().iter().map(Disclosure::as_str));
                let printed = digest_set(listed.iter().map(|l| l.disclosure.as_str()));
                assert_eq!(issued, printed, "§{}: issued vs listed Disclosures", ex.section);
            }
            let payload = section.json("payload is used for the SD-JWT");
            assert_eq!(
                Value::Object(sd.payload().clone()),
                payload,
                "§{}: printed payload",
                ex.section
            );
            assert_eq!(sd.hash_algorithm(), Ok(HashAlgorithm::Sha256));

            let processed = sd
                .process(&provider, &Limits::DEFAULT)
                .unwrap_or_else(|e| panic!("§{}: processing the issued SD-JWT: {e}", ex.section));
            let reached = digest_set(processed.disclosed.iter().map(|d| d.digest.as_str()));
            assert_eq!(reached, listed_digests, "§{}: Disclosures reached", ex.section);
            assert_eq!(
                processed.undisclosed_digests,
                section.decoy_digests().len(),
                "§{}: undisclosed digests are the decoys",
                ex.section
            );
            let input = section.json("input JWT Claims Set");
            assert_eq!(
                Value::Object(processed.claims),
                expected_full_claims(&input, sd.payload()),
                "§{}: processed issued SD-JWT",
                ex.section
            );
        }
        assert_eq!(spec::rfc().section("A.1").decoy_digests().len(), 6);
    }

    /// Processing each presentation gives exactly the "Processed SD-JWT Payload" printed after
    /// it, and it only holds Disclosures of the issued SD-JWT.
    fn presentations_process_to_printed_payload(provider) {
        for ex in EXAMPLES {
            let sd = ex.presentation();
            let listed = digest_set(ex.listed().iter().map(|l| l.disclosure.as_str()));
            for d in sd.disclosures() {
                assert!(listed.contains(d.as_str()), "§{}: {} not issued", ex.section, d.as_str());
            }
            assert_eq!(sd.key_binding().is_some(), ex.key_binding, "§{}", ex.section);
            let processed = sd
                .process(&provider, &Limits::DEFAULT)
                .unwrap_or_else(|e| panic!("§{}: processing the presentation: {e}", ex.section));
            assert_eq!(processed.disclosed.len(), sd.disclosures().len());
            let expected = ex.presentation_section().json("Processed SD-JWT Payload");
            assert_eq!(
                Value::Object(processed.claims),
                expected,
                "§{}: Processed SD-JWT Payload",
                ex.section
            );
        }
    }

    /// Every compact SD-JWT+KB: the KB-JWT is `kb+jwt`, verifies with `cnf.jwk` (the example
    /// holder key), carries the example nonce and audience, and its `sd_hash` is the one
    /// computed over the presentation. Where the text prints the KB-JWT payload, it matches.
    fn key_binding_jwts_verify(provider) {
        for ex in EXAMPLES.iter().filter(|ex| ex.key_binding) {
            let sd = ex.presentation();
            check_key_binding(&provider, &sd, &format!("§{}", ex.presentation.0));
            let kb = sd.key_binding().expect("KB-JWT present");
            if let Some(printed) = ex.presentation_section().json_opt("Key Binding JWT") {
                assert_eq!(
                    Value::Object(kb.payload().clone()),
                    printed,
                    "§{}: printed KB-JWT payload",
                    ex.presentation.0
                );
            }
        }
        // The §5.2 and A.3 KB-JWT payloads are printed; make sure the extractor found them.
        assert!(spec::rfc().section("5.2").json_opt("Key Binding JWT").is_some());
        assert!(spec::rfc().section("A.3").json_opt("Key Binding JWT").is_some());
    }

    /// §6.1–§6.3: the flat, structured and recursive payloads processed with their Disclosures
    /// give back the §6 input claims (plus `iss`, `iat`, `exp`). In the second §6.2 payload
    /// `country` is in the clear, so its Disclosure is unreferenced there (§7.1 step 5).
    fn nested_data_examples_process(provider) {
        let input = spec::rfc().section("6").json("input JWT Claims Set");
        for id in ["6.1", "6.2", "6.3"] {
            let section = spec::rfc().section(id);
            let listed = section.listed_disclosures();
            let disclosures: Vec<Disclosure> = listed
                .iter()
                .map(|l| Disclosure::parse(&l.disclosure).expect("listed Disclosure parses"))
                .collect();
            let payloads: Vec<Value> = section
                .json_figures()
                .into_iter()
                .map(|f| f.value)
                .collect();
            assert_eq!(payloads.len(), if id == "6.2" { 2 } else { 1 }, "§{id} payloads");
            for (i, payload) in payloads.iter().enumerate() {
                let payload = payload.as_object().expect("payload is an object");
                let expected = expected_full_claims(&input, payload);
                let mut disclosures = disclosures.clone();
                if id == "6.2" && i == 1 {
                    let country = &listed[3];
                    assert_eq!(disclosures[3].name(), Some("country"));
                    assert_eq!(payload["address"]["country"], "DE");
                    let err = sdjwt_core::process::process(
                        payload,
                        &disclosures,
                        &provider,
                        &Limits::DEFAULT,
                    )
                    .expect_err("country's Disclosure is not referenced");
                    assert_eq!(
                        err,
                        Error::UnreferencedDisclosure { digest: country.digest.clone() }
                    );
                    disclosures.remove(3);
                }
                let processed = sdjwt_core::process::process(
                    payload,
                    &disclosures,
                    &provider,
                    &Limits::DEFAULT,
                )
                .unwrap_or_else(|e| panic!("§{id} payload {i}: {e}"));
                assert_eq!(processed.undisclosed_digests, 0, "§{id} payload {i}");
                assert_eq!(Value::Object(processed.claims), expected, "§{id} payload {i}");
            }
        }
    }

    /// §8.2 (flattened) and §8.3 (general) JWS JSON serializations: they parse as JSON
    /// SD-JWTs, every issuer signature verifies (§8.3 has two, the second with
    /// `issuer-key-2`), the Disclosures process, and each KB-JWT's `sd_hash` covers the compact
    /// form built as §8.1 prescribes.
    fn json_serializations(provider) {
        let key = issuer_public_key();
        // Claims of examples/json_serialization_{flattened,general}/specification.yml: all
        // four are selectively disclosable; the Holder discloses given_name and family_name.
        let all = json!({
            "sub": "john_doe_42",
            "given_name": "John",
            "family_name": "Doe",
            "birthdate": "1940-01-01"
        });
        let presented = json!({ "given_name": "John", "family_name": "Doe" });

        let flattened = spec::rfc().section("8.2").json_figures();
        assert_eq!(flattened.len(), 2, "§8.2 prints an SD-JWT and an SD-JWT+KB");
        let general = spec::rfc().section("8.3").json_figures();
        assert_eq!(general.len(), 1, "§8.3 prints one SD-JWT+KB");
        let cases = [
            ("§8.2 issued", &flattened[0].value, JsonSyntax::Flattened, false, &all, 0),
            ("§8.2 presentation", &flattened[1].value, JsonSyntax::Flattened, true, &presented, 2),
            ("§8.3 presentation", &general[0].value, JsonSyntax::General, true, &presented, 2),
        ];
        for (name, figure, syntax, kb, disclosed, undisclosed) in cases {
            let sd = SdJwt::parse(&figure.to_string(), &Limits::DEFAULT)
                .unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
            assert_eq!(sd.serialization(), sdjwt_core::Serialization::Json(syntax), "{name}");
            let keys = match syntax {
                JsonSyntax::General => vec![key.clone(), issuer_public_key_2()],
                _ => vec![key.clone()],
            };
            verify_issuer_signatures(&provider, &sd, &keys)
                .unwrap_or_else(|e| panic!("{name}: issuer signature: {e}"));
            let processed = sd
                .process(&provider, &Limits::DEFAULT)
                .unwrap_or_else(|e| panic!("{name}: processing: {e}"));
            assert_eq!(processed.undisclosed_digests, undisclosed, "{name}");
            let mut expected = disclosed.as_object().expect("object").clone();
            for claim in ["iss", "iat", "exp", "cnf"] {
                expected.insert(claim.to_owned(), sd.payload()[claim].clone());
            }
            assert_eq!(processed.claims, expected, "{name}: processed payload");
            assert_eq!(sd.key_binding().is_some(), kb, "{name}");
            if kb {
                check_key_binding(&provider, &sd, name);
            }
        }
        // §8.1: sd_hash covers `protected.payload.signature~D1~...~DN~`, built from the JSON
        // members; check that construction directly for the §8.2 presentation.
        let sd = SdJwt::parse(&flattened[1].value.to_string(), &Limits::DEFAULT).expect("parses");
        let f = &flattened[1].value;
        let disclosures = f["header"]["disclosures"].as_array().expect("disclosures array");
        let mut compact = format!(
            "{}.{}.{}~",
            f["protected"].as_str().expect("protected"),
            f["payload"].as_str().expect("payload"),
            f["signature"].as_str().expect("signature")
        );
        for d in disclosures {
            compact.push_str(d.as_str().expect("Disclosure string"));
            compact.push('~');
        }
        assert_eq!(sd.sd_jwt_compact(), compact, "§8.1 compact form for sd_hash");
    }

    /// Tampering: one character of a presented Disclosure changed so that it still decodes
    /// (`"Doe"` becomes `"Dod"`). The issuer signature still verifies, but the Disclosure's
    /// digest is in no `_sd` array, so processing stops at §7.1 step 5.
    fn tampered_disclosure_is_unreferenced(provider) {
        let text = section5_presentation_text();
        let original = "WyJlbHVWNU9nM2dTTklJOEVZbnN4QV9BIiwgImZhbWlseV9uYW1lIiwgIkRvZSJd";
        let tampered = "WyJlbHVWNU9nM2dTTklJOEVZbnN4QV9BIiwgImZhbWlseV9uYW1lIiwgIkRvZCJd";
        assert_eq!(text.matches(original).count(), 1, "§5.2 presents family_name once");
        let sd = SdJwt::parse(&text.replace(original, tampered), &Limits::DEFAULT)
            .expect("the tampered presentation still parses");
        let d = Disclosure::parse(tampered).expect("tampered Disclosure parses");
        assert_eq!(
            d.kind(),
            &sdjwt_core::DisclosureKind::Property { name: "family_name".into(), value: json!("Dod") }
        );
        verify_issuer_signatures(&provider, &sd, &[issuer_public_key()])
            .expect("the Issuer-signed JWT is untouched");
        let err = sd.process(&provider, &Limits::DEFAULT).expect_err("tampering detected");
        let digest = d.digest(&provider, HashAlgorithm::Sha256).expect("digest");
        assert_eq!(err, Error::UnreferencedDisclosure { digest: digest.as_str().to_owned() });
        // The KB-JWT's sd_hash no longer matches either.
        let kb = sd.key_binding().expect("KB-JWT").claims().expect("KB-JWT claims");
        assert_ne!(kb.sd_hash, sd.sd_hash(&provider).expect("sd_hash").as_str());
    }

    /// Tampering: the first character of a presented Disclosure changed so that it no longer
    /// decodes to JSON; parsing names the Disclosure and the reason.
    fn broken_disclosure_is_rejected(provider) {
        let text = section5_presentation_text();
        let original = "~WyJlbHVWNU9nM2dTTklJOEVZbnN4QV9B";
        let broken = "~XyJlbHVWNU9nM2dTTklJOEVZbnN4QV9B";
        assert_eq!(text.matches(original).count(), 1);
        let err = SdJwt::parse(&text.replace(original, broken), &Limits::DEFAULT)
            .expect_err("a Disclosure that is not JSON is refused");
        assert!(
            matches!(
                err,
                Error::Disclosure { index: 0, error: DisclosureError::Json(_) }
            ),
            "unexpected error {err:?}"
        );
    }

    /// Tampering: the Issuer-signed payload changed (`sub` user_42 -> user_43, re-encoded).
    /// Processing alone cannot tell, but the issuer signature no longer verifies.
    fn tampered_payload_fails_signature(provider) {
        let text = section5_presentation_text();
        let sd = SdJwt::parse(&text, &Limits::DEFAULT).expect("§5.2 parses");
        let IssuerJws::Compact(jws) = sd.jws() else {
            panic!("§5.2 is compact");
        };
        let payload = String::from_utf8(jws.payload().to_vec()).expect("UTF-8 payload");
        assert_eq!(payload.matches("\"user_42\"").count(), 1);
        let forged_b64 = base64url::encode(payload.replace("\"user_42\"", "\"user_43\""));
        let forged = text.replacen(jws.payload_b64(), &forged_b64, 1);
        let sd = SdJwt::parse(&forged, &Limits::DEFAULT).expect("forged presentation parses");
        assert_eq!(sd.payload()["sub"], "user_43");
        let processed = sd.process(&provider, &Limits::DEFAULT).expect("digests still match");
        assert_eq!(processed.claims["sub"], "user_43");
        assert_eq!(
            verify_issuer_signatures(&provider, &sd, &[issuer_public_key()]),
            Err(sdjwt_jose::Error::InvalidSignature)
        );
    }

    /// Tampering: a Disclosure dropped from the §5.2 presentation. Processing still succeeds
    /// (fewer claims), but the KB-JWT's `sd_hash` no longer matches, and the KB-JWT signature
    /// does not verify with another key.
    fn dropped_disclosure_breaks_sd_hash(provider) {
        let sd = SdJwt::parse(&section5_presentation_text(), &Limits::DEFAULT).expect("parses");
        let kb = sd.key_binding().expect("KB-JWT").clone();
        let fewer = sd
            .with_disclosures(sd.disclosures()[1..].to_vec())
            .with_key_binding(kb.clone());
        let processed = fewer.process(&provider, &Limits::DEFAULT).expect("processes");
        assert!(!processed.claims.contains_key("family_name"));
        let claims = kb.claims().expect("KB-JWT claims");
        assert_eq!(claims.sd_hash, sd.sd_hash(&provider).expect("sd_hash").as_str());
        assert_ne!(claims.sd_hash, fewer.sd_hash(&provider).expect("sd_hash").as_str());
        let verifier = provider
            .verifier(&issuer_public_key(), kb.jws().header().alg())
            .expect("verifier");
        assert_eq!(kb.jws().verify(&*verifier), Err(sdjwt_jose::Error::InvalidSignature));
    }
}

/// The Key Binding checks shared by the compact and JSON presentations.
fn check_key_binding(provider: &CryptoProvider, sd: &SdJwt, name: &str) {
    let kb = sd
        .key_binding()
        .unwrap_or_else(|| panic!("{name}: no KB-JWT"));
    assert_eq!(
        kb.jws().header().typ(),
        Some(KB_JWT_TYP),
        "{name}: KB-JWT typ"
    );
    let holder =
        sdjwt_core::holder_key(sd.payload()).unwrap_or_else(|e| panic!("{name}: cnf.jwk: {e}"));
    assert_eq!(
        holder.to_json(),
        sdjwt_test::holder_key().to_public().to_json(),
        "{name}: cnf.jwk is the example holder key"
    );
    let verifier = provider
        .verifier(&holder, kb.jws().header().alg())
        .unwrap_or_else(|e| panic!("{name}: holder verifier: {e}"));
    kb.jws()
        .verify(&*verifier)
        .unwrap_or_else(|e| panic!("{name}: KB-JWT signature: {e}"));
    let claims = kb
        .claims()
        .unwrap_or_else(|e| panic!("{name}: KB-JWT claims: {e}"));
    assert_eq!(claims.nonce, "1234567890", "{name}: nonce");
    assert_eq!(claims.aud, "https://verifier.example.org", "{name}: aud");
    let sd_hash = sd
        .sd_hash(provider)
        .unwrap_or_else(|e| panic!("{name}: sd_hash: {e}"));
    assert_eq!(claims.sd_hash, sd_hash.as_str(), "{name}: sd_hash");
}

/// The Appendix A.5 key is `issuer_keys[0]` of `examples/settings.yml` and the fixture
/// `sdjwt_test::issuer_key()`; the §5 `cnf.jwk` is the settings' `holder_key`.
#[test]
fn example_keys_match_settings() {
    let settings = spec::read(spec::SETTINGS);
    // A minimal reading of the YAML: the `x:` and `y:` lines after a given key.
    let coordinates_after = |marker: &str| -> (String, String) {
        let start = settings
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} not in settings.yml"));
        let mut x = None;
        let mut y = None;
        for line in settings[start..].lines() {
            let line = line.trim().trim_start_matches("- ");
            if let Some(v) = line.strip_prefix("x: ") {
                x.get_or_insert_with(|| v.trim().to_owned());
            } else if let Some(v) = line.strip_prefix("y: ") {
                y.get_or_insert_with(|| v.trim().to_owned());
            }
            if x.is_some() && y.is_some() {
                break;
            }
        }
        (x.expect("x"), y.expect("y"))
    };
    let issuer = issuer_public_key().to_json();
    let (x, y) = coordinates_after("issuer_keys:");
    assert_eq!(
        (issuer["x"].as_str(), issuer["y"].as_str()),
        (Some(&*x), Some(&*y))
    );
    assert_eq!(issuer, sdjwt_test::issuer_key().to_public().to_json());

    let payload = spec::rfc()
        .section("5.1")
        .json("payload is used for the SD-JWT");
    let (x, y) = coordinates_after("holder_key:");
    assert_eq!(payload["cnf"]["jwk"]["x"], x.as_str());
    assert_eq!(payload["cnf"]["jwk"]["y"], y.as_str());
}

/// The extractor finds what the tests rely on, so a change in the rendering cannot make the
/// loops above silently check nothing.
#[test]
fn extractor_finds_every_figure() {
    let rfc = spec::rfc();
    let compact = |id: &str| rfc.section(id).compact_figures().len();
    assert_eq!(compact("5.1"), 2, "Issuer-signed JWT and issued SD-JWT");
    assert_eq!(compact("5.2"), 1);
    assert_eq!(compact("A.1"), 1);
    assert_eq!(compact("A.2"), 1);
    assert_eq!(compact("A.3"), 2);
    assert_eq!(compact("A.4"), 2);
    for ex in EXAMPLES {
        let processed = ex
            .presentation_section()
            .json_all("Processed SD-JWT Payload");
        assert_eq!(processed.len(), 1, "§{}", ex.presentation.0);
    }
}
