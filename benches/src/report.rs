//! Reads criterion's results and renders them as markdown: every operation's median, its ratio
//! to the floor measured in the same run, its ratio to sd-jwt-rs, and the targets of the
//! benchmarking issue, each marked met or missed.
//!
//! Criterion writes, for every benchmark, `<criterion dir>/<...>/new/benchmark.json` (with the
//! full benchmark id and the throughput) and `new/estimates.json` (with the median point
//! estimate, in nanoseconds). Only those two files are read.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::BoxError;

/// One benchmark's result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The median time of one iteration, in nanoseconds.
    pub median_ns: f64,
    /// Elements processed per iteration, when the benchmark declared a throughput.
    pub elements: Option<u64>,
}

/// Every result found, by full benchmark id (`group/function/parameter`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Results {
    /// The results.
    pub by_id: BTreeMap<String, Estimate>,
}

/// Where criterion keeps its results when no directory is named: `$CRITERION_HOME`, else
/// `$CARGO_TARGET_DIR/criterion`, else the first `target/criterion` found walking up from the
/// current directory.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(home));
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(target).join("criterion"));
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .map(|dir| dir.join("target").join("criterion"))
        .find(|dir| dir.is_dir())
}

impl Results {
    /// Reads every `new/benchmark.json` and `new/estimates.json` pair under `dir`: the latest
    /// run of each benchmark.
    ///
    /// # Errors
    ///
    /// An unreadable directory or a file that is not criterion's JSON.
    pub fn load(dir: &Path) -> Result<Self, BoxError> {
        let mut results = Self::default();
        results.add(dir, false)?;
        Ok(results)
    }

    /// Adds the results under `dir`: from `new/` only, or with `all_runs` also from every saved
    /// baseline (`--save-baseline <name>` runs). A benchmark found more than once keeps its
    /// lowest median: on a shared machine, the least disturbed run.
    ///
    /// # Errors
    ///
    /// An unreadable directory or a file that is not criterion's JSON.
    pub fn add(&mut self, dir: &Path, all_runs: bool) -> Result<(), BoxError> {
        let mut pending = vec![dir.to_path_buf()];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir)? {
                let path = entry?.path();
                if !path.is_dir() {
                    continue;
                }
                let benchmark = path.join("benchmark.json");
                let estimates = path.join("estimates.json");
                if benchmark.is_file() && estimates.is_file() {
                    if all_runs || path.file_name().is_some_and(|n| n == "new") {
                        let (id, estimate) = read_pair(&benchmark, &estimates)?;
                        self.keep_lowest(id, estimate);
                    }
                } else {
                    pending.push(path);
                }
            }
        }
        Ok(())
    }

    /// Records `estimate` for `id` unless a lower median is already known.
    fn keep_lowest(&mut self, id: String, estimate: Estimate) {
        match self.by_id.get(&id) {
            Some(known) if known.median_ns <= estimate.median_ns => {}
            _ => {
                self.by_id.insert(id, estimate);
            }
        }
    }

    /// The median of benchmark `id`, in nanoseconds.
    pub fn median(&self, id: &str) -> Option<f64> {
        self.by_id.get(id).map(|e| e.median_ns)
    }

    /// The parameters (the last id segment) seen under `prefix/`, numbers in numeric order.
    fn sizes(&self, prefix: &str) -> Vec<usize> {
        let mut sizes: Vec<usize> = self
            .by_id
            .keys()
            .filter_map(|id| id.strip_prefix(prefix)?.strip_prefix('/')?.parse().ok())
            .collect();
        sizes.sort_unstable();
        sizes.dedup();
        sizes
    }

    /// Renders every table: the signature hot path, the pipeline, parallel verification and the
    /// targets.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_signatures(&mut out);
        self.render_keys(&mut out);
        self.render_pipeline(&mut out);
        self.render_parallel(&mut out);
        self.render_targets(&mut out);
        out
    }

    fn render_signatures(&self, out: &mut String) {
        let mut rows = Vec::new();
        for op in SIGNATURE_OPS.iter().chain(PRIMITIVE_ONLY_OPS) {
            for provider in PROVIDERS {
                let primitive = self.median(&format!("primitive/{op}/{provider}"));
                let jws = self.median(&format!("jws/{op}/{provider}"));
                if primitive.is_none() && jws.is_none() {
                    continue;
                }
                rows.push(format!(
                    "| {op} | {provider} | {} | {} | {} |",
                    time(primitive),
                    time(jws),
                    ratio(jws, primitive),
                ));
            }
        }
        if rows.is_empty() {
            return;
        }
        out.push_str(
            "### Signature hot path: `primitive/<op>/<provider>` and `jws/<op>/<provider>`\n\n",
        );
        out.push_str(
            "| operation | provider | primitive (floor) | jws (ours) | jws ÷ primitive |\n",
        );
        out.push_str("|---|---|--:|--:|--:|\n");
        for row in rows {
            out.push_str(&row);
            out.push('\n');
        }
        out.push('\n');
    }

    fn render_keys(&self, out: &mut String) {
        let rows: Vec<String> = self
            .by_id
            .iter()
            .filter_map(|(id, e)| {
                let rest = id.strip_prefix("keys/")?;
                let (op, provider) = rest.split_once('/')?;
                Some(format!(
                    "| {op} | {provider} | {} |",
                    time(Some(e.median_ns))
                ))
            })
            .collect();
        if rows.is_empty() {
            return;
        }
        out.push_str("### Key import: `keys/<op>/<provider>` (a verifier built from a JWK)\n\n");
        out.push_str("| operation | provider | median |\n");
        out.push_str("|---|---|--:|\n");
        for row in rows {
            out.push_str(&row);
            out.push('\n');
        }
        out.push('\n');
    }

    fn render_pipeline(&self, out: &mut String) {
        let mut rows = Vec::new();
        for op in PIPELINE_OPS {
            let mut sizes: Vec<usize> = IMPLEMENTATIONS
                .iter()
                .flat_map(|i| self.sizes(&format!("{op}/{i}")))
                .collect();
            sizes.sort_unstable();
            sizes.dedup();
            for n in sizes {
                for implementation in IMPLEMENTATIONS {
                    let Some(median) = self.median(&format!("{op}/{implementation}/{n}")) else {
                        continue;
                    };
                    let floor = self.median(&floor_id(op, implementation, n));
                    let rs = self.median(&format!("{op}/sd-jwt-rs/{n}"));
                    rows.push(format!(
                        "| {op} | {n} | {implementation} | {} | {} | {} | {} |",
                        time(Some(median)),
                        time(floor),
                        ratio(Some(median), floor),
                        ratio(Some(median), rs),
                    ));
                }
            }
        }
        if rows.is_empty() {
            return;
        }
        out.push_str(
            "### Pipeline: `issue`, `present`, `verify` (ES256, one claim revealed, KB-JWT)\n\n",
        );
        out.push_str(
            "| operation | N | implementation | median | floor | ÷ floor | ÷ sd-jwt-rs |\n",
        );
        out.push_str("|---|--:|---|--:|--:|--:|--:|\n");
        for row in rows {
            out.push_str(&row);
            out.push('\n');
        }
        out.push('\n');
    }

    fn render_parallel(&self, out: &mut String) {
        let threads = self.sizes("verify_parallel");
        if threads.is_empty() {
            return;
        }
        out.push_str(
            "### Parallel verification: `verify_parallel/<threads>` (one shared `Verifier`)\n\n",
        );
        out.push_str("| threads | median per batch | presentations per second | ÷ 1 thread |\n");
        out.push_str("|--:|--:|--:|--:|\n");
        let single = self.per_second("verify_parallel/1");
        for t in threads {
            let id = format!("verify_parallel/{t}");
            let rate = self.per_second(&id);
            let _ = writeln!(
                out,
                "| {t} | {} | {} | {} |",
                time(self.median(&id)),
                rate.map_or_else(|| "—".to_owned(), |r| format!("{r:.0}")),
                ratio(rate, single),
            );
        }
        out.push('\n');
    }

    /// Elements per second of a benchmark with a throughput.
    fn per_second(&self, id: &str) -> Option<f64> {
        let e = self.by_id.get(id)?;
        Some(e.elements? as f64 * 1e9 / e.median_ns)
    }

    fn render_targets(&self, out: &mut String) {
        let mut rows = Vec::new();
        let mut check = |name: String, value: Option<f64>, bound: Bound| {
            let (shown, verdict) = match value {
                None => ("—".to_owned(), "not measured"),
                Some(v) => (
                    format!("{v:.2}×"),
                    if bound.holds(v) { "met" } else { "**missed**" },
                ),
            };
            rows.push(format!("| {name} | {bound} | {shown} | {verdict} |"));
        };
        for implementation in OURS {
            for n in self.sizes(&format!("verify/{implementation}")) {
                let limit = if n >= 1000 { 1.25 } else { 1.10 };
                check(
                    format!("verify/{implementation}/{n} ÷ floor"),
                    self.ratio_of(
                        &format!("verify/{implementation}/{n}"),
                        &floor_id("verify", implementation, n),
                    ),
                    Bound::AtMost(limit),
                );
            }
        }
        for op in SIGNATURE_OPS {
            for provider in PROVIDERS {
                check(
                    format!("jws/{op}/{provider} ÷ primitive"),
                    self.ratio_of(
                        &format!("jws/{op}/{provider}"),
                        &format!("primitive/{op}/{provider}"),
                    ),
                    Bound::AtMost(1.05),
                );
            }
        }
        for op in ["issue", "present"] {
            for implementation in OURS {
                for n in self.sizes(&format!("{op}/{implementation}")) {
                    check(
                        format!("{op}/{implementation}/{n} ÷ floor"),
                        self.ratio_of(
                            &format!("{op}/{implementation}/{n}"),
                            &floor_id(op, implementation, n),
                        ),
                        Bound::AtMost(1.5),
                    );
                }
            }
        }
        if let (Some(one), Some(two)) = (
            self.per_second("verify_parallel/1"),
            self.per_second("verify_parallel/2"),
        ) {
            check(
                "verify_parallel/2 ÷ verify_parallel/1 (throughput)".to_owned(),
                Some(two / one),
                Bound::AtLeast(1.8),
            );
        }
        for op in PIPELINE_OPS {
            for implementation in OURS {
                for n in self.sizes(&format!("{op}/{implementation}")) {
                    let least = if op == "verify" && n == 200 { 3.0 } else { 1.0 };
                    let ahead = self.ratio_of(
                        &format!("{op}/sd-jwt-rs/{n}"),
                        &format!("{op}/{implementation}/{n}"),
                    );
                    if least > 1.0 {
                        check(
                            format!("{op}/{implementation}/{n}: sd-jwt-rs ÷ ours"),
                            ahead,
                            Bound::AtLeast(least),
                        );
                    } else {
                        check(
                            format!("{op}/{implementation}/{n}: sd-jwt-rs ÷ ours"),
                            ahead,
                            Bound::Above(least),
                        );
                    }
                }
            }
        }
        if rows.is_empty() {
            return;
        }
        out.push_str("### Targets\n\n");
        out.push_str("| target | bound | measured | verdict |\n");
        out.push_str("|---|--:|--:|---|\n");
        for row in rows {
            out.push_str(&row);
            out.push('\n');
        }
        out.push('\n');
    }

    /// `a ÷ b` of two medians.
    fn ratio_of(&self, a: &str, b: &str) -> Option<f64> {
        Some(self.median(a)? / self.median(b)?)
    }
}

/// A target's bound on a ratio.
#[derive(Clone, Copy, Debug)]
enum Bound {
    /// At most this much.
    AtMost(f64),
    /// At least this much.
    AtLeast(f64),
    /// Strictly more than this.
    Above(f64),
}

impl Bound {
    /// Whether `value` satisfies the bound.
    fn holds(self, value: f64) -> bool {
        match self {
            Self::AtMost(b) => value <= b,
            Self::AtLeast(b) => value >= b,
            Self::Above(b) => value > b,
        }
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AtMost(b) => write!(f, "≤ {b:.2}×"),
            Self::AtLeast(b) => write!(f, "≥ {b:.2}×"),
            Self::Above(b) => write!(f, "> {b:.2}×"),
        }
    }
}

/// Signature operations measured both as primitives and through our JWS layer.
const SIGNATURE_OPS: &[&str] = &[
    "es256_sign",
    "es256_verify",
    "es384_sign",
    "es384_verify",
    "eddsa_sign",
    "eddsa_verify",
    "ps256_sign",
    "ps256_verify",
];

/// Operations measured only as primitives (the pieces of the issue floor).
const PRIMITIVE_ONLY_OPS: &[&str] = &["sha256_disclosure", "salt"];

/// The providers, by `CryptoProvider::name`.
const PROVIDERS: [&str; 2] = ["aws-lc-rs", "josekit"];

/// The pipeline operations.
const PIPELINE_OPS: [&str; 3] = ["issue", "present", "verify"];

/// Our implementations, one per provider.
const OURS: [&str; 2] = ["ours-aws-lc-rs", "ours-josekit"];

/// Every implementation in the pipeline groups.
const IMPLEMENTATIONS: [&str; 3] = ["ours-aws-lc-rs", "ours-josekit", "sd-jwt-rs"];

/// The floor a pipeline result is compared with: the josekit floor for ours on josekit, the
/// aws-lc-rs floor (the fastest primitives here) for everything else.
fn floor_id(op: &str, implementation: &str, n: usize) -> String {
    if implementation == "ours-josekit" {
        format!("floor-josekit/{op}/{n}")
    } else {
        format!("floor/{op}/{n}")
    }
}

/// Reads one benchmark's id, median and throughput.
fn read_pair(benchmark: &Path, estimates: &Path) -> Result<(String, Estimate), BoxError> {
    let benchmark: Value = serde_json::from_slice(&std::fs::read(benchmark)?)?;
    let estimates: Value = serde_json::from_slice(&std::fs::read(estimates)?)?;
    let id = benchmark["full_id"]
        .as_str()
        .ok_or("benchmark.json without full_id")?
        .to_owned();
    let median_ns = estimates["median"]["point_estimate"]
        .as_f64()
        .ok_or("estimates.json without a median")?;
    let elements = benchmark["throughput"]["Elements"].as_u64();
    Ok((
        id,
        Estimate {
            median_ns,
            elements,
        },
    ))
}

/// A duration for a table: three significant figures, in ns, µs or ms.
fn time(ns: Option<f64>) -> String {
    let Some(ns) = ns else {
        return "—".to_owned();
    };
    let (value, unit) = if ns >= 1e6 {
        (ns / 1e6, "ms")
    } else if ns >= 1e3 {
        (ns / 1e3, "µs")
    } else {
        (ns, "ns")
    };
    let decimals = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    format!("{value:.decimals$} {unit}")
}

/// `a ÷ b` for a table.
fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
        _ => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(entries: &[(&str, f64, Option<u64>)]) -> Results {
        Results {
            by_id: entries
                .iter()
                .map(|(id, median_ns, elements)| {
                    (
                        (*id).to_owned(),
                        Estimate {
                            median_ns: *median_ns,
                            elements: *elements,
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn times_and_ratios_are_formatted() {
        assert_eq!(time(Some(812.4)), "812 ns");
        assert_eq!(time(Some(12_345.0)), "12.3 µs");
        assert_eq!(time(Some(1_234_567.0)), "1.23 ms");
        assert_eq!(time(None), "—");
        assert_eq!(ratio(Some(3.0), Some(2.0)), "1.50");
        assert_eq!(ratio(Some(3.0), None), "—");
    }

    #[test]
    fn targets_are_judged() {
        let r = results(&[
            ("verify/ours-aws-lc-rs/200", 105.0, None),
            ("floor/verify/200", 100.0, None),
            ("verify/sd-jwt-rs/200", 400.0, None),
            ("verify_parallel/1", 100.0, Some(1)),
            ("verify_parallel/2", 120.0, Some(2)),
        ]);
        let text = r.render();
        assert!(text.contains("| verify/ours-aws-lc-rs/200 ÷ floor | ≤ 1.10× | 1.05× | met |"));
        assert!(text.contains("sd-jwt-rs ÷ ours | ≥ 3.00× | 3.81× | met |"));
        assert!(text.contains("(throughput) | ≥ 1.80× | 1.67× | **missed** |"));
        assert!(text.contains("| verify | 200 | ours-aws-lc-rs | 105 ns | 100 ns | 1.05 | 0.26 |"));
    }

    #[test]
    fn criterion_files_are_read() -> Result<(), BoxError> {
        let dir = std::env::temp_dir().join(format!("sdjwt-bench-report-{}", std::process::id()));
        let new = dir
            .join("jws")
            .join("es256_sign")
            .join("aws-lc-rs")
            .join("new");
        std::fs::create_dir_all(&new)?;
        std::fs::write(
            new.join("benchmark.json"),
            r#"{"group_id":"jws","function_id":"es256_sign","value_str":"aws-lc-rs","throughput":{"Elements":3},"full_id":"jws/es256_sign/aws-lc-rs"}"#,
        )?;
        std::fs::write(
            new.join("estimates.json"),
            r#"{"mean":{"point_estimate":2.0},"median":{"point_estimate":1500.5}}"#,
        )?;
        // An earlier run saved as a baseline, with a lower median.
        let run1 = new.with_file_name("run1");
        std::fs::create_dir_all(&run1)?;
        std::fs::copy(new.join("benchmark.json"), run1.join("benchmark.json"))?;
        std::fs::write(
            run1.join("estimates.json"),
            r#"{"median":{"point_estimate":1400.0}}"#,
        )?;
        let latest = Results::load(&dir);
        let mut best = Results::default();
        let added = best.add(&dir, true);
        std::fs::remove_dir_all(&dir)?;
        let median = |r: &Results| r.median("jws/es256_sign/aws-lc-rs");
        assert_eq!(
            latest?.by_id.get("jws/es256_sign/aws-lc-rs"),
            Some(&Estimate {
                median_ns: 1500.5,
                elements: Some(3)
            })
        );
        added?;
        assert_eq!(median(&best), Some(1400.0));
        Ok(())
    }
}
