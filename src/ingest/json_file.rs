//! Whole-file JSON documents (trajectories, per-event files): read at once,
//! but never above the line-size limit ([`super::jsonl::max_line`]), since a
//! whole-file format has no smaller unit to skip.

use crate::diag::Diagnostics;
use serde_json::Value;
use std::path::Path;

/// Reads and parses a whole JSON file; warns (naming the file) and returns
/// None when it is too large, unreadable or not JSON.
pub fn read(path: &Path, diag: &Diagnostics) -> Option<Value> {
    let limit = super::jsonl::max_line();
    match std::fs::metadata(path) {
        Ok(m) if m.len() as usize > limit => {
            diag.warn(
                path,
                None,
                format!(
                    "file of {} bytes exceeds the {limit}-byte limit for one JSON document; skipped",
                    m.len()
                ),
            );
            return None;
        }
        Err(e) => {
            diag.warn(path, None, format!("cannot open: {e}"));
            return None;
        }
        _ => {}
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diag.warn(path, None, format!("cannot read: {e}"));
            return None;
        }
    };
    match serde_json::from_slice(&bytes) {
        Ok(v) => Some(v),
        Err(e) => {
            diag.warn(path, None, format!("invalid JSON: {e}; file skipped"));
            None
        }
    }
}
