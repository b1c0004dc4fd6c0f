//! The normalized session model itself, one [`Session`] JSON object per line
//! (the export/import format that lets any tool feed agentcensus).

use super::Format;
use crate::diag::Diagnostics;
use crate::session::{Agent, Session, SESSION_SCHEMA_VERSION};
use std::path::{Path, PathBuf};

pub struct NormalizedJsonl;

impl Format for NormalizedJsonl {
    fn name(&self) -> &'static str {
        "agentcensus-session"
    }
    fn agent(&self) -> Agent {
        Agent::Other
    }
    fn sniff(&self, _path: &Path, head: &[u8]) -> bool {
        super::json_lines(head, 1)
            .first()
            .or(super::first_json_line(head).as_ref())
            .map(|v| {
                v.get("schema").is_some() && v.get("agent").is_some() && v.get("turns").is_some()
            })
            .unwrap_or(false)
            || (head.starts_with(b"{\"schema\":")
                && memchr::memmem::find(head, b"\"turns\"").is_some())
    }
    fn unit_key(&self, path: &Path, _head: &[u8]) -> String {
        path.display().to_string()
    }
    fn parse(&self, files: &[PathBuf], diag: &Diagnostics) -> Vec<Session> {
        let mut out = Vec::new();
        for f in files {
            super::jsonl::for_each_line(f, diag, |n, line| {
                match serde_json::from_str::<Session>(line) {
                Ok(mut s) if s.schema <= SESSION_SCHEMA_VERSION => {
                    if !s.files.contains(f) {
                        s.files.push(f.clone());
                    }
                    out.push(s)
                }
                Ok(s) => diag.warn(f, Some(n), format!("session schema {} is newer than this program understands ({SESSION_SCHEMA_VERSION}); skipped", s.schema)),
                Err(e) => diag.warn(f, Some(n), format!("not a valid session object: {e}")),
            }
            });
        }
        out
    }
}
