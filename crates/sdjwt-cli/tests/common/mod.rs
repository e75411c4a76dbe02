//! Shared by the CLI test binaries: a scratch folder removed when dropped, and running the
//! binary.
#![allow(dead_code, unreachable_pub, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs the `sdjwt` binary with `args`.
pub fn sdjwt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sdjwt"))
        .args(args)
        .output()
        .expect("run sdjwt")
}

/// Runs `sdjwt` with `args`, which must succeed; returns its standard output.
pub fn ok(args: &[&str]) -> String {
    let out = sdjwt(args);
    assert!(
        out.status.success(),
        "sdjwt {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A scratch folder under the system temp dir, unique per test binary and name.
pub struct Dir(PathBuf);

impl Dir {
    pub fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("sdjwt-cli-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }

    pub fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }

    pub fn write(&self, name: &str, text: &str) -> String {
        std::fs::write(self.0.join(name), text).expect("write");
        self.path(name)
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.0.join(name)).expect("read")
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
