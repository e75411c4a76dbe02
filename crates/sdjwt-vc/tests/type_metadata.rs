//! Type Metadata (draft-ietf-oauth-sd-jwt-vc §5) and integrity metadata (§6): the spec's own
//! examples read in place from the spec-sources folder, `extends` chains, the merge rules, and
//! every way a document or chain is refused.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::PathBuf;

use sdjwt_jose::{CryptoProvider, HashAlgorithm};
use sdjwt_vc::Error;
use sdjwt_vc::integrity::Integrity;
use sdjwt_vc::type_metadata::{
    EffectiveTypeMetadata, LocalTypeMetadata, PathComponent, SdRule, TypeMetadata,
    TypeMetadataResolver,
};
use serde_json::{Value, json};

// --- Locating the spec's figures ---

/// The extracted JSON figures of the SD-JWT VC draft, or `None` (after a note) when the
/// spec-sources folder is absent outside CI. Under `CI=true` a missing folder is a failure.
fn figures() -> Option<PathBuf> {
    match sdjwt_test::spec_sources() {
        Some(dir) => Some(dir.join("sd-jwt-vc").join("extracted-figures")),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => panic!(
            "CI=true but the spec-sources folder is missing: set SDJWT_SPEC_SOURCES or provide \
             ../shared/spec-sources (the SD-JWT VC figures must be checked in CI)"
        ),
        None => {
            eprintln!(
                "note: spec-sources folder not found (SDJWT_SPEC_SOURCES or \
                 ../shared/spec-sources); SD-JWT VC figure test skipped"
            );
            None
        }
    }
}

/// The exact bytes of one figure. A folder that exists but lacks the file is a failure.
fn figure(dir: &std::path::Path, name: &str) -> Vec<u8> {
    let path = dir.join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const SPEC_VCT: &str = "https://betelgeuse.example.com/education_credential/v42";
const SPEC_BASE_OF_EXAMPLE: &str = "https://galaxy.example.com/galactic-education-credential/v2";

// --- Helpers ---

fn store(documents: &[Value]) -> LocalTypeMetadata {
    let mut store = LocalTypeMetadata::new();
    for document in documents {
        let vct = document["vct"].as_str().expect("test document has a vct");
        store.insert(vct, document.to_string());
    }
    store
}

fn resolve(
    store: &LocalTypeMetadata,
    provider: &CryptoProvider,
    vct: &str,
) -> Result<EffectiveTypeMetadata, Error> {
    TypeMetadataResolver::new(store, provider).resolve(vct, None)
}

fn labels(display: Option<&Vec<sdjwt_vc::type_metadata::ClaimDisplay>>) -> Vec<(String, String)> {
    display
        .map(|entries| {
            entries
                .iter()
                .map(|d| (d.locale.clone(), d.label.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn key(name: &str) -> PathComponent {
    PathComponent::Key(name.to_owned())
}

fn sri(provider: &CryptoProvider, alg: HashAlgorithm, document: &[u8]) -> String {
    Integrity::compute(provider, alg, document)
        .unwrap()
        .as_str()
        .to_owned()
}

/// A chain `urn:t0` → `urn:t1` → … → `urn:t{len-1}` (each extends the next).
fn chain_store(len: usize) -> LocalTypeMetadata {
    let documents: Vec<Value> = (0..len)
        .map(|i| {
            let mut doc = json!({"vct": format!("urn:t{i}")});
            if i + 1 < len {
                doc["extends"] = json!(format!("urn:t{}", i + 1));
            }
            doc
        })
        .collect();
    store(&documents)
}

sdjwt_test::for_each_provider! {
    /// §5.1: the example document hashes to the `vct#integrity` of the example payload, read
    /// from the payload figure; one changed byte breaks it.
    fn spec_example_matches_vct_integrity(provider) {
        let Some(dir) = figures() else { return };
        let document = figure(&dir, "example-type-metadata.json");
        let payload: Value =
            serde_json::from_slice(&figure(&dir, "example-sd-jwt-vc-payload-for-type-metadata.json"))
                .unwrap();
        assert_eq!(payload["vct"], json!(SPEC_VCT));
        let value = payload["vct#integrity"].as_str().expect("vct#integrity in the payload figure");
        assert_eq!(value, "sha256-vJKakJAQkDYkIhGrT1M3nxRuSj9udH0l1PXB06QHto8=");
        let integrity = Integrity::parse(value).unwrap();
        integrity.verify(&provider, &document).expect("the example document matches");
        // The issuer side computes the very same string.
        assert_eq!(sri(&provider, HashAlgorithm::Sha256, &document), value);

        let mut changed = document.clone();
        let at = changed.len() / 2;
        changed[at] ^= 0x01;
        assert_eq!(
            integrity.verify(&provider, &changed),
            Err(Error::IntegrityMismatch { expected: value.to_owned() })
        );
        // Dropping the trailing newline is a change too: the octets are what count.
        let trimmed = &document[..document.len() - 1];
        assert!(matches!(
            integrity.verify(&provider, trimmed),
            Err(Error::IntegrityMismatch { .. })
        ));

        // Through a resolver: the document passes its `vct#integrity`, then its own
        // `extends#integrity` is enforced on the base it names.
        let mut local = LocalTypeMetadata::new();
        local.insert(SPEC_VCT, document.clone());
        let err = TypeMetadataResolver::new(&local, &provider)
            .resolve(SPEC_VCT, Some(&integrity))
            .unwrap_err();
        assert!(
            matches!(&err, Error::TypeMetadataUnavailable { vct, .. } if vct == SPEC_BASE_OF_EXAMPLE),
            "{err:?}"
        );
        // A made-up base under the extended type's URL does not match `extends#integrity`.
        local.insert(
            SPEC_BASE_OF_EXAMPLE,
            json!({"vct": SPEC_BASE_OF_EXAMPLE}).to_string(),
        );
        let err = TypeMetadataResolver::new(&local, &provider)
            .resolve(SPEC_VCT, Some(&integrity))
            .unwrap_err();
        assert_eq!(
            err,
            Error::IntegrityMismatch {
                expected: "sha256-ilOUJsTultOwLfz7QUcFALaRa3BP/jelX1ds04kB9yU=".to_owned()
            }
        );
        // The changed document is refused before it is parsed.
        let mut tampered = LocalTypeMetadata::new();
        tampered.insert(SPEC_VCT, changed);
        assert!(matches!(
            TypeMetadataResolver::new(&tampered, &provider).resolve(SPEC_VCT, Some(&integrity)),
            Err(Error::IntegrityMismatch { .. })
        ));
    }

    /// §5.6.5: the spec's extends example yields exactly its effective claim metadata figure.
    fn spec_extends_example_gives_the_effective_claims(provider) {
        let Some(dir) = figures() else { return };
        let mut local = LocalTypeMetadata::new();
        let base = local
            .insert_document(figure(&dir, "example-base-type-metadata.json"))
            .unwrap();
        let child = local
            .insert_document(figure(&dir, "example-child-type-metadata.json"))
            .unwrap();
        assert_eq!(base, "https://example.com/base-type-metadata");
        assert_eq!(child, "https://example.com/custom-type-metadata");
        let effective = resolve(&local, &provider, &child).unwrap();
        assert_eq!(effective.vct(), child);
        assert_eq!(effective.types().collect::<Vec<_>>(), [child.as_str(), base.as_str()]);

        let expected: Value =
            serde_json::from_slice(&figure(&dir, "effective-claim-metadata-child-type.json")).unwrap();
        let expected: Vec<(Value, Vec<(String, String)>)> = expected["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let labels = c["display"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| {
                        (
                            d["locale"].as_str().unwrap().to_owned(),
                            d["label"].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect();
                (c["path"].clone(), labels)
            })
            .collect();
        let actual: Vec<(Value, Vec<(String, String)>)> = effective
            .claims
            .iter()
            .map(|c| (c.path.to_json(), labels(c.display.as_ref())))
            .collect();
        assert_eq!(actual, expected);
        assert_eq!(actual.len(), 3);
        // Nothing in the example sets `sd` or `mandatory`: the defaults hold.
        assert!(effective.claims.iter().all(|c| c.sd() == SdRule::Allowed && !c.mandatory()));
    }

    /// §6: with several hash expressions, only those of the strongest supported algorithm
    /// count.
    fn strongest_algorithm_decides(provider) {
        let document = br#"{"vct":"urn:example:strongest"}"#;
        let other = br#"{"vct":"urn:example:other"}"#;
        let good256 = sri(&provider, HashAlgorithm::Sha256, document);
        let good384 = sri(&provider, HashAlgorithm::Sha384, document);
        let good512 = sri(&provider, HashAlgorithm::Sha512, document);
        let bad256 = sri(&provider, HashAlgorithm::Sha256, other);
        let bad384 = sri(&provider, HashAlgorithm::Sha384, other);
        let bad512 = sri(&provider, HashAlgorithm::Sha512, other);
        let check = |text: String| Integrity::parse(&text).unwrap().verify(&provider, document);

        // A correct sha256 does not rescue a wrong sha512: sha512 is the strongest.
        assert!(matches!(
            check(format!("{good256} {bad512}")),
            Err(Error::IntegrityMismatch { .. })
        ));
        check(format!("{bad256} {good512}")).expect("the sha512 expression decides");
        check(format!("{bad384} {good512} {bad256}")).expect("sha512 over sha384");
        assert!(matches!(
            check(format!("{good384} {bad512}")),
            Err(Error::IntegrityMismatch { .. })
        ));
        check(format!("{good384} {bad256}")).expect("sha384 over sha256");
        assert!(matches!(
            check(format!("{bad384} {good256}")),
            Err(Error::IntegrityMismatch { .. })
        ));
        // Any expression of the strongest algorithm may match.
        check(format!("{bad512} {good512}")).expect("one sha512 matches");
        // Options are ignored; runs of whitespace separate expressions.
        check(format!("{good256}?ct=application/json")).expect("options ignored");
        check(format!("  {bad256}\t\n{good512}  ")).expect("any whitespace separates");
        // An unknown algorithm next to a known one is skipped.
        check(format!("md5-AAAA {good256}")).expect("unknown algorithm ignored");
    }

    /// An issuer computes `vct#integrity` and a consumer accepts it, for each SRI algorithm.
    fn compute_round_trip(provider) {
        let document = br#"{"vct":"urn:example:round-trip","claims":[]}"#;
        for (alg, prefix) in [
            (HashAlgorithm::Sha256, "sha256-"),
            (HashAlgorithm::Sha384, "sha384-"),
            (HashAlgorithm::Sha512, "sha512-"),
        ] {
            let computed = Integrity::compute(&provider, alg, document).unwrap();
            assert!(computed.as_str().starts_with(prefix), "{computed}");
            assert_eq!(computed.to_string(), computed.as_str());
            // Standard base64 with padding, as SRI writes it.
            let digest = &computed.as_str()[prefix.len()..];
            assert_eq!(digest.len() % 4, 0);
            assert!(!digest.contains(['-', '_']));
            let reparsed = Integrity::parse(computed.as_str()).unwrap();
            assert_eq!(reparsed, computed);
            reparsed.verify(&provider, document).expect("round trip");
            assert!(matches!(
                reparsed.verify(&provider, b"{}"),
                Err(Error::IntegrityMismatch { .. })
            ));
        }
        // SRI names no SHA-3 algorithm.
        assert!(matches!(
            Integrity::compute(&provider, HashAlgorithm::Sha3_256, document),
            Err(Error::InvalidIntegrity { .. })
        ));
        // The known digest of the empty document.
        assert_eq!(
            sri(&provider, HashAlgorithm::Sha256, b""),
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }

    /// Only unsupported algorithms: the document is rejected (§6 last paragraph).
    fn unsupported_algorithm_only(provider) {
        let md5 = Integrity::parse("md5-1B2M2Y8AsgTpgAmY7PhCfg==").expect("unknown algorithms parse");
        assert_eq!(
            md5.verify(&provider, b""),
            Err(Error::IntegrityUnsupported {
                value: "md5-1B2M2Y8AsgTpgAmY7PhCfg==".to_owned()
            })
        );
        let local = store(&[
            json!({"vct": "urn:child", "extends": "urn:base", "extends#integrity": "md5-1B2M2Y8AsgTpgAmY7PhCfg=="}),
            json!({"vct": "urn:base"}),
        ]);
        let resolver = TypeMetadataResolver::new(&local, &provider);
        assert!(matches!(
            resolver.resolve("urn:base", Some(&md5)),
            Err(Error::IntegrityUnsupported { .. })
        ));
        assert!(matches!(
            resolver.resolve("urn:child", None),
            Err(Error::IntegrityUnsupported { .. })
        ));
    }

    /// `extends#integrity` is checked over the base document's octets.
    fn extends_integrity_is_checked(provider) {
        let base = json!({"vct": "urn:base", "claims": [{"path": ["a"], "sd": "always"}]}).to_string();
        let child = |integrity: &str| {
            json!({"vct": "urn:child", "extends": "urn:base", "extends#integrity": integrity}).to_string()
        };
        let good = sri(&provider, HashAlgorithm::Sha256, base.as_bytes());
        let bad = sri(&provider, HashAlgorithm::Sha256, b"something else");
        let mut local = LocalTypeMetadata::new();
        local.insert("urn:base", base.clone());
        local.insert("urn:child", child(&good));
        let effective = resolve(&local, &provider, "urn:child").expect("matching base");
        assert_eq!(effective.claims.len(), 1);
        assert_eq!(effective.claims[0].sd(), SdRule::Always);

        local.insert("urn:child", child(&bad));
        assert_eq!(
            resolve(&local, &provider, "urn:child").unwrap_err(),
            Error::IntegrityMismatch { expected: bad.clone() }
        );
        // The base document re-serialized with other whitespace is another document.
        local.insert("urn:child", child(&good));
        local.insert("urn:base", format!("{base} "));
        assert!(matches!(
            resolve(&local, &provider, "urn:child"),
            Err(Error::IntegrityMismatch { .. })
        ));
        // The credential's `vct#integrity` covers only the credential's own type.
        local.insert("urn:base", base);
        let own = Integrity::compute(&provider, HashAlgorithm::Sha256, child(&good).as_bytes()).unwrap();
        TypeMetadataResolver::new(&local, &provider)
            .resolve("urn:child", Some(&own))
            .expect("vct#integrity over the child document");
        let wrong = Integrity::compute(&provider, HashAlgorithm::Sha256, b"x").unwrap();
        assert!(matches!(
            TypeMetadataResolver::new(&local, &provider).resolve("urn:child", Some(&wrong)),
            Err(Error::IntegrityMismatch { .. })
        ));
    }

    /// §7.4: a type reached twice is a circular dependency.
    fn extends_cycles_are_rejected(provider) {
        let two = store(&[
            json!({"vct": "urn:a", "extends": "urn:b"}),
            json!({"vct": "urn:b", "extends": "urn:a"}),
        ]);
        assert_eq!(
            resolve(&two, &provider, "urn:a").unwrap_err(),
            Error::ExtendsCycle {
                chain: vec!["urn:a".to_owned(), "urn:b".to_owned(), "urn:a".to_owned()]
            }
        );
        assert_eq!(
            resolve(&two, &provider, "urn:b").unwrap_err(),
            Error::ExtendsCycle {
                chain: vec!["urn:b".to_owned(), "urn:a".to_owned(), "urn:b".to_owned()]
            }
        );
        let own = store(&[json!({"vct": "urn:self", "extends": "urn:self"})]);
        assert_eq!(
            resolve(&own, &provider, "urn:self").unwrap_err(),
            Error::ExtendsCycle {
                chain: vec!["urn:self".to_owned(), "urn:self".to_owned()]
            }
        );
        // A cycle further up the chain, not through the credential's own type.
        let tail = store(&[
            json!({"vct": "urn:leaf", "extends": "urn:x"}),
            json!({"vct": "urn:x", "extends": "urn:y"}),
            json!({"vct": "urn:y", "extends": "urn:x"}),
        ]);
        assert!(matches!(
            resolve(&tail, &provider, "urn:leaf"),
            Err(Error::ExtendsCycle { chain }) if chain.len() == 4 && chain.last().unwrap() == "urn:x"
        ));
        // A cycle is reported as such even when the depth limit would also be reached.
        let err = TypeMetadataResolver::new(&own, &provider)
            .with_max_depth(1)
            .resolve("urn:self", None)
            .unwrap_err();
        assert!(matches!(err, Error::ExtendsCycle { .. }), "{err:?}");
    }

    /// Chains longer than the limit are refused; the limit itself is allowed.
    fn extends_depth_is_limited(provider) {
        let max = TypeMetadataResolver::DEFAULT_MAX_DEPTH;
        let at_limit = chain_store(max);
        let effective = resolve(&at_limit, &provider, "urn:t0").expect("exactly the limit");
        assert_eq!(effective.chain.len(), max);
        let over = chain_store(max + 1);
        assert_eq!(
            resolve(&over, &provider, "urn:t0").unwrap_err(),
            Error::ExtendsTooDeep {
                vct: "urn:t0".to_owned(),
                max
            }
        );
        // From one type further down, the same store is within the limit.
        resolve(&over, &provider, "urn:t1").expect("eight documents from t1");

        let three = chain_store(3);
        let resolver = TypeMetadataResolver::new(&three, &provider);
        resolver.with_max_depth(3).resolve("urn:t0", None).expect("three of three");
        assert_eq!(
            resolver.with_max_depth(2).resolve("urn:t0", None).unwrap_err(),
            Error::ExtendsTooDeep {
                vct: "urn:t0".to_owned(),
                max: 2
            }
        );
        // A limit of 0 means 1: a type without `extends` still resolves.
        resolver.with_max_depth(0).resolve("urn:t2", None).expect("a lone type");
        assert!(matches!(
            resolver.with_max_depth(0).resolve("urn:t1", None),
            Err(Error::ExtendsTooDeep { max: 1, .. })
        ));
    }

    /// §5.3: a document must describe the type it was retrieved for, at every step.
    fn retrieved_document_must_describe_the_requested_type(provider) {
        let mut local = LocalTypeMetadata::new();
        local.insert("urn:wanted", json!({"vct": "urn:impostor"}).to_string());
        assert_eq!(
            resolve(&local, &provider, "urn:wanted").unwrap_err(),
            Error::TypeMetadataVctMismatch {
                expected: "urn:wanted".to_owned(),
                found: "urn:impostor".to_owned()
            }
        );
        // The same for the document an `extends` names.
        local.insert("urn:child", json!({"vct": "urn:child", "extends": "urn:wanted"}).to_string());
        assert!(matches!(
            resolve(&local, &provider, "urn:child"),
            Err(Error::TypeMetadataVctMismatch { expected, found })
                if expected == "urn:wanted" && found == "urn:impostor"
        ));
        // Exact comparison: no normalisation of case or trailing slashes.
        let mut slash = LocalTypeMetadata::new();
        slash.insert("https://t.example/a", json!({"vct": "https://t.example/a/"}).to_string());
        assert!(matches!(
            resolve(&slash, &provider, "https://t.example/a"),
            Err(Error::TypeMetadataVctMismatch { .. })
        ));
    }

    /// §5.6.5.1: `always`/`never` and `mandatory: true` cannot be relaxed by a child type.
    fn extends_cannot_relax_sd_or_mandatory(provider) {
        let base = json!({"vct": "urn:base", "claims": [
            {"path": ["always"], "sd": "always"},
            {"path": ["never"], "sd": "never"},
            {"path": ["required"], "mandatory": true},
            {"path": ["free"]},
            {"path": ["optional"], "mandatory": false}
        ]});
        let with_child = |claims: Value| {
            store(&[
                base.clone(),
                json!({"vct": "urn:child", "extends": "urn:base", "claims": claims}),
            ])
        };
        for (claims, path, reason) in [
            (json!([{"path": ["always"], "sd": "never"}]), r#"["always"]"#, "always"),
            (json!([{"path": ["always"], "sd": "allowed"}]), r#"["always"]"#, "always"),
            (json!([{"path": ["never"], "sd": "always"}]), r#"["never"]"#, "never"),
            (json!([{"path": ["never"], "sd": "allowed"}]), r#"["never"]"#, "never"),
            (json!([{"path": ["required"], "mandatory": false}]), r#"["required"]"#, "mandatory"),
        ] {
            let err = resolve(&with_child(claims.clone()), &provider, "urn:child").unwrap_err();
            match &err {
                Error::ExtendsOverride { vct, path: p, reason: r } => {
                    assert_eq!(vct, "urn:child", "{claims}");
                    assert_eq!(p, path, "{claims}");
                    assert!(r.contains(reason), "{claims}: {r}");
                }
                other => panic!("{claims}: expected ExtendsOverride, got {other:?}"),
            }
        }
        // Deeper in the chain: a grandchild may not relax what the root fixed either.
        let three = store(&[
            base.clone(),
            json!({"vct": "urn:child", "extends": "urn:base"}),
            json!({"vct": "urn:grandchild", "extends": "urn:child",
                   "claims": [{"path": ["never"], "sd": "always"}]}),
        ]);
        assert!(matches!(
            resolve(&three, &provider, "urn:grandchild"),
            Err(Error::ExtendsOverride { vct, .. }) if vct == "urn:grandchild"
        ));
    }

    /// Tightening is allowed: `allowed` → `always`/`never`, optional → mandatory, and
    /// restating the inherited value.
    fn extends_may_tighten(provider) {
        let local = store(&[
            json!({"vct": "urn:base", "claims": [
                {"path": ["free"], "sd": "allowed"},
                {"path": ["unset"]},
                {"path": ["optional"], "mandatory": false},
                {"path": ["always"], "sd": "always", "mandatory": true,
                 "display": [{"locale": "en", "label": "Base"}], "svg_id": "base_id"}
            ]}),
            json!({"vct": "urn:child", "extends": "urn:base", "claims": [
                {"path": ["free"], "sd": "always"},
                {"path": ["unset"], "sd": "never"},
                {"path": ["optional"], "mandatory": true},
                {"path": ["always"], "sd": "always", "mandatory": true,
                 "display": [{"locale": "fr", "label": "Enfant"}]}
            ]}),
        ]);
        let effective = resolve(&local, &provider, "urn:child").expect("tightening is allowed");
        let by_path = |name: &str| {
            effective
                .claims
                .iter()
                .find(|c| c.path.components() == [key(name)])
                .unwrap_or_else(|| panic!("no claim {name}"))
        };
        assert_eq!(by_path("free").sd(), SdRule::Always);
        assert_eq!(by_path("unset").sd(), SdRule::Never);
        assert!(by_path("optional").mandatory());
        let always = by_path("always");
        assert_eq!(always.sd(), SdRule::Always);
        assert!(always.mandatory());
        // Claim display is replaced, never merged; an unset svg_id is inherited.
        assert_eq!(labels(always.display.as_ref()), [("fr".to_owned(), "Enfant".to_owned())]);
        assert_eq!(always.svg_id.as_deref(), Some("base_id"));
        // Inherited first (base order), then the child's new paths.
        assert_eq!(effective.claims.len(), 4);
        assert_eq!(effective.claims[0].path.components(), [key("free")]);
    }

    /// §5.5.2: a type without `display` inherits its parent's; one with `display` replaces
    /// it entirely.
    fn display_inheritance(provider) {
        let base_display = json!([
            {"locale": "en", "name": "Base credential"},
            {"locale": "de", "name": "Basisnachweis", "description": "Basis"}
        ]);
        let local = store(&[
            json!({"vct": "urn:base", "display": base_display}),
            json!({"vct": "urn:inherits", "extends": "urn:base"}),
            json!({"vct": "urn:replaces", "extends": "urn:base",
                   "display": [{"locale": "fr", "name": "Attestation enfant"}]}),
            json!({"vct": "urn:grandchild", "extends": "urn:replaces"}),
            json!({"vct": "urn:empties", "extends": "urn:base", "display": []}),
        ]);
        let names = |vct: &str| -> Vec<(String, String)> {
            resolve(&local, &provider, vct)
                .unwrap()
                .display
                .iter()
                .map(|d| (d.locale.clone(), d.name.clone()))
                .collect()
        };
        let base = vec![
            ("en".to_owned(), "Base credential".to_owned()),
            ("de".to_owned(), "Basisnachweis".to_owned()),
        ];
        assert_eq!(names("urn:base"), base);
        assert_eq!(names("urn:inherits"), base);
        let child = vec![("fr".to_owned(), "Attestation enfant".to_owned())];
        assert_eq!(names("urn:replaces"), child);
        assert_eq!(names("urn:grandchild"), child, "the nearest display wins");
        assert!(names("urn:empties").is_empty(), "an empty display still replaces");

        let inherits = resolve(&local, &provider, "urn:inherits").unwrap();
        assert_eq!(inherits.display_for("DE").unwrap().name, "Basisnachweis");
        assert_eq!(
            inherits.display_for("de").unwrap().description.as_deref(),
            Some("Basis")
        );
        assert_eq!(inherits.display_for("ja").unwrap().locale, "en", "falls back to the first");
        assert!(resolve(&local, &provider, "urn:empties").unwrap().display_for("en").is_none());
    }

    /// A missing document, for the type itself or a type it extends.
    fn missing_documents_are_unavailable(provider) {
        let local = store(&[json!({"vct": "urn:child", "extends": "urn:gone"})]);
        assert!(matches!(
            resolve(&local, &provider, "urn:nothing"),
            Err(Error::TypeMetadataUnavailable { vct, .. }) if vct == "urn:nothing"
        ));
        assert!(matches!(
            resolve(&local, &provider, "urn:child"),
            Err(Error::TypeMetadataUnavailable { vct, .. }) if vct == "urn:gone"
        ));
        assert!(matches!(
            resolve(&LocalTypeMetadata::new(), &provider, "urn:x"),
            Err(Error::TypeMetadataUnavailable { .. })
        ));
    }

    /// A malformed document found through a resolver is refused as malformed.
    fn malformed_documents_through_the_resolver(provider) {
        for (text, why) in malformed() {
            let mut local = LocalTypeMetadata::new();
            local.insert("urn:x", text);
            let err = resolve(&local, &provider, "urn:x").unwrap_err();
            assert!(matches!(err, Error::InvalidTypeMetadata { .. }), "{why}: {err:?}");
        }
        // And as a base type.
        let mut local = LocalTypeMetadata::new();
        local.insert("urn:child", json!({"vct": "urn:child", "extends": "urn:x"}).to_string());
        local.insert("urn:x", r#"{"vct":"urn:x","claims":[{"path":[]}]}"#);
        assert!(matches!(
            resolve(&local, &provider, "urn:child"),
            Err(Error::InvalidTypeMetadata { vct, .. }) if vct == "urn:x"
        ));
    }
}

/// Malformed Type Metadata documents, each with what is wrong with it.
fn malformed() -> Vec<(&'static str, &'static str)> {
    vec![
        (r#"{"vct":"urn:x","claims":[{"path":[]}]}"#, "empty path"),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a",-1]}]}"#,
            "negative index",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a",1.5]}]}"#,
            "fractional index",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a",true]}]}"#,
            "boolean component",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a",{"b":1}]}]}"#,
            "object component",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":"a"}]}"#,
            "path not an array",
        ),
        (r#"{"vct":"urn:x","claims":[{"sd":"always"}]}"#, "no path"),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a"],"sd":"sometimes"}]}"#,
            "unknown sd",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a"],"sd":true}]}"#,
            "sd not a string",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a"],"mandatory":"yes"}]}"#,
            "mandatory not a boolean",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a"],"svg_id":"same"},{"path":["b"],"svg_id":"same"}]}"#,
            "duplicate svg_id",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a"],"svg_id":"1st"}]}"#,
            "svg_id starts with a digit",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a"],"svg_id":"a-b"}]}"#,
            "svg_id with a hyphen",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a"],"svg_id":""}]}"#,
            "empty svg_id",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a"]},{"path":["a"]}]}"#,
            "path described twice",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a"],"display":[{"label":"A"}]}]}"#,
            "claim display without locale",
        ),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a"],"display":{"locale":"en"}}]}"#,
            "claim display not an array",
        ),
        (r#"{"vct":"urn:x","claims":{}}"#, "claims not an array"),
        (r#"{"vct":"urn:x","claims":["a"]}"#, "claim not an object"),
        (r#"{"claims":[]}"#, "missing vct"),
        (r#"{"vct":""}"#, "empty vct"),
        (r#"{"vct":7}"#, "vct not a string"),
        (r#"{"vct":"urn:x","vct":"urn:x"}"#, "duplicate member"),
        (
            r#"{"vct":"urn:x","claims":[{"path":["a"],"path":["b"]}]}"#,
            "nested duplicate member",
        ),
        (
            r#"{"vct":"urn:x","display":{"locale":"en","name":"X"}}"#,
            "display not an array",
        ),
        (
            r#"{"vct":"urn:x","display":[{"locale":"en"}]}"#,
            "display without name",
        ),
        (r#"{"vct":"urn:x","name":1}"#, "name not a string"),
        (
            r#"{"vct":"urn:x","extends":["urn:y"]}"#,
            "extends not a string",
        ),
        (
            r#"{"vct":"urn:x","extends#integrity":"sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}"#,
            "extends#integrity without extends",
        ),
        (r#"["urn:x"]"#, "not an object"),
        (r#"{"vct":"urn:x""#, "truncated JSON"),
    ]
}

#[test]
fn malformed_documents_are_invalid_type_metadata() {
    for (text, why) in malformed() {
        match TypeMetadata::parse(text.as_bytes()) {
            Err(Error::InvalidTypeMetadata { .. }) => {}
            other => panic!("{why}: expected InvalidTypeMetadata, got {other:?}"),
        }
    }
    // The error names the type once it is known.
    assert!(matches!(
        TypeMetadata::parse(br#"{"vct":"urn:x","claims":{}}"#),
        Err(Error::InvalidTypeMetadata { vct, .. }) if vct == "urn:x"
    ));
    // A malformed `extends#integrity` is an integrity error.
    assert!(matches!(
        TypeMetadata::parse(
            br#"{"vct":"urn:x","extends":"urn:y","extends#integrity":"sha256-AAAA"}"#
        ),
        Err(Error::InvalidIntegrity { .. })
    ));
    // Larger than the documented limit.
    let huge = format!(
        r#"{{"vct":"urn:x","description":"{}"}}"#,
        "a".repeat(sdjwt_vc::type_metadata::MAX_DOCUMENT_BYTES)
    );
    assert!(matches!(
        TypeMetadata::parse(huge.as_bytes()),
        Err(Error::InvalidTypeMetadata { .. })
    ));
}

#[test]
fn well_formed_documents_parse() {
    // The controls for the malformed cases: each shape they break, done right. Unknown
    // members are ignored (§5.2).
    let text = br#"{
        "vct": "urn:x",
        "future_member": {"anything": [1, 2]},
        "claims": [
            {"path": ["a", 0, null], "sd": "never", "mandatory": false, "svg_id": "_a1",
             "display": [{"locale": "en", "label": "A", "description": "the a"}],
             "unknown": true},
            {"path": ["b"], "sd": "allowed", "svg_id": "B_2"},
            {"path": ["c", 18446744073709551615]}
        ]
    }"#;
    let parsed = TypeMetadata::parse(text).unwrap();
    assert_eq!(parsed.vct, "urn:x");
    assert_eq!(parsed.display, None, "absent display means inherit");
    assert_eq!(parsed.claims.len(), 3);
    assert_eq!(
        parsed.claims[0].path.components(),
        [
            key("a"),
            PathComponent::Index(0),
            PathComponent::AllElements
        ]
    );
    assert_eq!(parsed.claims[0].path.to_string(), r#"["a",0,null]"#);
    assert_eq!(parsed.claims[0].sd_value, Some(SdRule::Never));
    assert_eq!(parsed.claims[0].mandatory_value, Some(false));
    assert_eq!(parsed.claims[1].sd_value, Some(SdRule::Allowed));
    assert_eq!(parsed.claims[1].mandatory_value, None);
    assert!(!parsed.claims[1].mandatory());
    assert_eq!(
        parsed.claims[2].path.components()[1],
        PathComponent::Index(u64::MAX)
    );
    assert!(parsed.extends.is_none() && parsed.extends_integrity.is_none());
    // No `claims` at all is an empty list.
    assert!(
        TypeMetadata::parse(br#"{"vct":"urn:y"}"#)
            .unwrap()
            .claims
            .is_empty()
    );
}

#[test]
fn spec_example_document_parses() {
    let Some(dir) = figures() else { return };
    let parsed = TypeMetadata::parse(&figure(&dir, "example-type-metadata.json")).unwrap();
    assert_eq!(parsed.vct, SPEC_VCT);
    assert_eq!(
        parsed.name.as_deref(),
        Some("Betelgeuse Education Credential - First Version")
    );
    assert_eq!(parsed.extends.as_deref(), Some(SPEC_BASE_OF_EXAMPLE));
    assert_eq!(
        parsed.extends_integrity.as_ref().map(Integrity::as_str),
        Some("sha256-ilOUJsTultOwLfz7QUcFALaRa3BP/jelX1ds04kB9yU=")
    );
    let display = parsed.display.as_ref().expect("display");
    let locales: Vec<&str> = display.iter().map(|d| d.locale.as_str()).collect();
    assert_eq!(locales, ["en-US", "de-DE"]);
    assert_eq!(display[0].name, "Betelgeuse Education Credential");
    let rendering = display[0].rendering.as_ref().expect("rendering");
    assert_eq!(rendering["simple"]["background_color"], json!("#12107c"));
    assert!(rendering["svg_templates"].is_array());

    assert_eq!(parsed.claims.len(), 7);
    let name = &parsed.claims[0];
    assert_eq!(name.path.components(), [key("name")]);
    assert_eq!(name.sd(), SdRule::Always);
    assert!(name.mandatory());
    assert_eq!(
        labels(name.display.as_ref()),
        [
            ("de-DE".to_owned(), "Vor- und Nachname".to_owned()),
            ("en-US".to_owned(), "Name".to_owned())
        ]
    );
    let street = &parsed.claims[2];
    assert_eq!(
        street.path.components(),
        [key("address"), key("street_address")]
    );
    assert_eq!(street.svg_id.as_deref(), Some("address_street_address"));
    assert_eq!(parsed.claims[3].path.components(), [key("degrees")]);
    assert_eq!(parsed.claims[3].sd(), SdRule::Never);
    assert_eq!(
        parsed.claims[4].path.components(),
        [key("degrees"), PathComponent::AllElements]
    );
    assert_eq!(parsed.claims[4].sd(), SdRule::Always);
    assert!(parsed.claims[4].display.is_none());
    assert_eq!(parsed.claims[5].sd(), SdRule::Never);
    assert_eq!(
        parsed.claims[6].path.to_json(),
        json!(["degrees", null, "date_awarded"])
    );
    // Only one claim has an svg_id, and every `mandatory` but the first is unset.
    assert_eq!(
        parsed.claims.iter().filter(|c| c.svg_id.is_some()).count(),
        1
    );
    assert_eq!(
        parsed
            .claims
            .iter()
            .filter(|c| c.mandatory_value.is_some())
            .count(),
        1
    );

    // The short variant of the example document parses too.
    let short = TypeMetadata::parse(&figure(&dir, "example-type-metadata-document.json")).unwrap();
    assert_eq!(short.vct, SPEC_VCT);
    assert!(short.extends_integrity.is_some());
}

#[test]
fn malformed_integrity_strings() {
    let good = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    Integrity::parse(good).expect("control");
    for (text, why) in [
        ("", "empty"),
        ("   \t", "only whitespace"),
        ("sha256", "no dash"),
        ("sha256-", "empty digest"),
        ("sha256-AAAA", "digest too short"),
        (
            "sha256-47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=",
            "base64url alphabet",
        ),
        (
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
            "padding missing",
        ),
        (
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=",
            "non-canonical last character",
        ),
        (
            "sha512-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
            "length of another algorithm",
        ),
    ] {
        assert!(
            matches!(Integrity::parse(text), Err(Error::InvalidIntegrity { .. })),
            "{why}"
        );
    }
    // A well-formed expression next to a malformed one does not save it.
    assert!(matches!(
        Integrity::parse(&format!("{good} sha256-AAAA")),
        Err(Error::InvalidIntegrity { .. })
    ));
    // Bounded input.
    let long = format!("{good} ").repeat(100);
    assert!(matches!(
        Integrity::parse(&long),
        Err(Error::InvalidIntegrity { .. })
    ));
    // Error values are truncated, not echoed in full.
    match Integrity::parse(&format!("sha256-{}", "A".repeat(2000))) {
        Err(Error::InvalidIntegrity { value, .. }) => {
            assert!(value.len() <= 100, "{}", value.len())
        }
        other => panic!("{other:?}"),
    }
}
