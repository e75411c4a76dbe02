//! The requirements catalogue, `spec/requirements.toml` (format described at its top).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use crate::Error;

/// Which role a requirement binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The Issuer (how credentials are built).
    Issuer,
    /// The Holder (how presentations are built).
    Holder,
    /// The Verifier (what must be rejected or checked).
    Verifier,
}

impl Role {
    /// `issuer`, `holder` or `verifier`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Issuer => "issuer",
            Self::Holder => "holder",
            Self::Verifier => "verifier",
        }
    }
}

/// One normative statement.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Stable id, e.g. `RFC9901-7.1-3c`.
    pub id: String,
    /// The specification, e.g. `RFC 9901`.
    pub spec: String,
    /// Where in it, e.g. `7.1 step 3.c`.
    pub section: String,
    /// `MUST`, `MUST NOT`, `SHOULD`, ...
    pub level: String,
    /// The role it binds.
    pub role: Role,
    /// A one-line paraphrase.
    pub text: String,
    /// Tests covering it, as `<path from the repository root>::<function>`.
    #[serde(default)]
    pub tests: Vec<String>,
    /// Vectors covering it (kept in step with the vectors by the generator).
    #[serde(default)]
    pub vectors: Vec<String>,
    /// Why no vector can express it (behaviour across retrievals, network address rules, time
    /// and size bounds of HTTP): such a requirement has no vectors and counts as covered by its
    /// tests.
    #[serde(default)]
    pub no_vector: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    format: u32,
    requirement: Vec<Requirement>,
}

/// The parsed catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalogue {
    /// Every requirement, in file order.
    pub requirements: Vec<Requirement>,
}

impl Catalogue {
    /// Parses the catalogue text.
    ///
    /// # Errors
    ///
    /// [`Error::Catalogue`] for TOML errors, an unsupported `format`, duplicate ids or empty
    /// fields.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let file: CatalogueFile = toml::from_str(text).map_err(|e| Error::Catalogue {
            reason: e.to_string(),
        })?;
        if file.format != 1 {
            return Err(Error::Catalogue {
                reason: format!("format {} is not the supported 1", file.format),
            });
        }
        let mut seen = BTreeSet::new();
        for r in &file.requirement {
            if !seen.insert(r.id.as_str()) {
                return Err(Error::Catalogue {
                    reason: format!("id {} appears twice", r.id),
                });
            }
            if r.text.trim().is_empty() || r.section.trim().is_empty() {
                return Err(Error::Catalogue {
                    reason: format!("{} has an empty text or section", r.id),
                });
            }
            if let Some(why) = &r.no_vector
                && (why.trim().is_empty() || !r.vectors.is_empty())
            {
                return Err(Error::Catalogue {
                    reason: format!(
                        "{} has no_vector, which needs a reason and an empty vectors list",
                        r.id
                    ),
                });
            }
        }
        Ok(Self {
            requirements: file.requirement,
        })
    }

    /// Reads and parses a catalogue file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] and those of [`Catalogue::parse`].
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::vector::io(path, e))?;
        Self::parse(&text)
    }

    /// The requirement with this id.
    pub fn get(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id == id)
    }

    /// `text` (a catalogue) with every `vectors = [...]` line replaced by the ids in `by_id`
    /// for that requirement (sorted), leaving every other byte as it was. Each requirement's
    /// `vectors` must be a one-line array, as the generator writes it.
    pub fn rewrite_vectors(text: &str, by_id: &BTreeMap<String, BTreeSet<String>>) -> String {
        let mut out = String::with_capacity(text.len());
        let mut current: Option<String> = None;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if trimmed.starts_with("[[requirement]]") {
                current = None;
            } else if let Some(rest) = trimmed.strip_prefix("id") {
                if let Some(value) = rest.trim_start().strip_prefix('=') {
                    current = Some(value.trim().trim_matches('"').to_owned());
                }
            } else if trimmed.starts_with("vectors") && trimmed.contains('=') {
                let ids = current
                    .as_ref()
                    .and_then(|id| by_id.get(id))
                    .map(|set| {
                        set.iter()
                            .map(|v| format!("{v:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                let newline = if line.ends_with('\n') { "\n" } else { "" };
                out.push_str(&format!("vectors = [{ids}]{newline}"));
                continue;
            }
            out.push_str(line);
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)] // Test setup: a failure names what broke.
mod tests {
    use super::*;

    const SAMPLE: &str = r#"format = 1

[[requirement]]
id = "RFC9901-7.1-4"
spec = "RFC 9901"
section = "7.1 step 4"
level = "MUST"
role = "verifier"
text = "Reject a digest that appears twice."
tests = []
vectors = []
"#;

    #[test]
    fn parses_and_rewrites_vector_lists() {
        let c = Catalogue::parse(SAMPLE).expect("parses");
        assert_eq!(c.requirements[0].role, Role::Verifier);
        let mut map = BTreeMap::new();
        map.insert(
            "RFC9901-7.1-4".to_owned(),
            BTreeSet::from(["b".to_owned(), "a".to_owned()]),
        );
        let rewritten = Catalogue::rewrite_vectors(SAMPLE, &map);
        assert!(rewritten.contains("vectors = [\"a\", \"b\"]\n"));
        assert_eq!(
            Catalogue::parse(&rewritten).expect("parses").requirements[0].vectors,
            ["a", "b"]
        );
    }

    #[test]
    fn no_vector_needs_a_reason_and_no_vectors() {
        let with = |line: &str| SAMPLE.replace("vectors = []\n", line);
        let ok = Catalogue::parse(&with("vectors = []\nno_vector = \"caching\"\n")).expect("ok");
        assert_eq!(ok.requirements[0].no_vector.as_deref(), Some("caching"));
        for bad in [
            "vectors = []\nno_vector = \" \"\n",
            "vectors = [\"v\"]\nno_vector = \"caching\"\n",
        ] {
            assert!(
                matches!(Catalogue::parse(&with(bad)), Err(Error::Catalogue { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn refuses_duplicate_ids() {
        let twice = format!("{SAMPLE}\n{}", SAMPLE.replace("format = 1\n", ""));
        assert!(matches!(
            Catalogue::parse(&twice),
            Err(Error::Catalogue { reason }) if reason.contains("twice")
        ));
    }
}
