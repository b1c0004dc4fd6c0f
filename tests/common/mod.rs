//! Shared helpers for integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared` next to the checkout, when present.
pub fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared");
    p.join("corpus").is_dir().then_some(p)
}

/// The shared corpus, or None after printing a visible skip message.
pub fn corpus_or_skip(test: &str) -> Option<PathBuf> {
    match shared() {
        Some(s) => Some(s.join("corpus")),
        None => {
            eprintln!(
                "SKIPPED {test}: ../shared/corpus is absent (fresh clone); this test runs in CI"
            );
            None
        }
    }
}

/// The binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_agentcensus"))
}

/// Every file below `dir`, sorted; unreadable folders are passed over.
pub fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
