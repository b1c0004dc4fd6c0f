//! Diagnostics: warnings about bad input that name the file and line, and let
//! the run go on. Thread-safe; printed to stderr as they happen (unless quiet)
//! and counted for the report.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Warning {
    pub file: PathBuf,
    /// 1-based line number, when the problem is in one line.
    pub line: Option<u64>,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.file.display(), l, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Collects warnings from every worker thread.
#[derive(Default)]
pub struct Diagnostics {
    quiet: bool,
    /// How many warnings are printed before the rest are only counted.
    print_limit: usize,
    warnings: Mutex<Vec<Warning>>,
}

impl Diagnostics {
    pub fn new(quiet: bool) -> Self {
        Diagnostics {
            quiet,
            print_limit: 50,
            warnings: Mutex::new(Vec::new()),
        }
    }

    pub fn warn(&self, file: &Path, line: Option<u64>, message: impl Into<String>) {
        let w = Warning {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        };
        let mut all = self.warnings.lock().unwrap_or_else(|e| e.into_inner());
        if !self.quiet && all.len() < self.print_limit {
            crate::progress::println_stderr(&format!("warning: {w}"));
        } else if !self.quiet && all.len() == self.print_limit {
            crate::progress::println_stderr(
                "warning: further warnings are counted but not printed",
            );
        }
        all.push(w);
    }

    pub fn count(&self) -> usize {
        self.warnings.lock().map(|w| w.len()).unwrap_or(0)
    }

    pub fn take(&self) -> Vec<Warning> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn snapshot(&self) -> Vec<Warning> {
        self.warnings.lock().map(|w| w.clone()).unwrap_or_default()
    }
}
