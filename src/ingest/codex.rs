//! Codex rollouts (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`).
//! OWNER: ingest helper. Placeholder until implemented.

use super::Format;
use crate::diag::Diagnostics;
use crate::session::{Agent, Session};
use std::path::{Path, PathBuf};

pub struct Codex;

impl Format for Codex {
    fn name(&self) -> &'static str {
        "codex"
    }
    fn agent(&self) -> Agent {
        Agent::Codex
    }
    fn sniff(&self, _path: &Path, head: &[u8]) -> bool {
        super::json_lines(head, 5)
            .iter()
            .any(|v| v.get("payload").is_some() && v.get("type").is_some())
    }
    fn unit_key(&self, path: &Path, _head: &[u8]) -> String {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
    fn parse(&self, _files: &[PathBuf], _diag: &Diagnostics) -> Vec<Session> {
        Vec::new()
    }
}
