//! Claude Code transcripts (`~/.claude/projects/<project>/<session>.jsonl`).
//! OWNER: ingest helper. Placeholder until implemented.

use super::Format;
use crate::diag::Diagnostics;
use crate::session::{Agent, Session};
use std::path::{Path, PathBuf};

pub struct ClaudeCode;

impl Format for ClaudeCode {
    fn name(&self) -> &'static str {
        "claude-code"
    }
    fn agent(&self) -> Agent {
        Agent::ClaudeCode
    }
    fn sniff(&self, _path: &Path, head: &[u8]) -> bool {
        super::json_lines(head, 5)
            .iter()
            .any(|v| v.get("sessionId").is_some() || v.get("leafUuid").is_some())
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
