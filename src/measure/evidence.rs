//! Evidence of success and failure, from tool results and git. OWNER: measure helper.

use crate::session::Session;
use serde::{Deserialize, Serialize};

/// One piece of evidence, for reasons ("pytest: 41 passed after the last edit").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// Detector name: "test", "build", "commit", "push", "pr", "deploy", "final_error", "affirmation", "complaint".
    pub kind: String,
    /// Index of the turn it came from.
    pub turn: usize,
    /// Positive (success) or negative (failure) evidence.
    pub positive: bool,
    /// Short description without prompt text.
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub test_runs: u32,
    pub test_runs_failed: u32,
    /// Result of the last test run (None: no tests ran).
    pub tests_pass_at_end: Option<bool>,
    /// The last test run came after the last edit and passed.
    pub tests_pass_after_last_edit: bool,
    pub builds: u32,
    pub build_ok_at_end: Option<bool>,
    pub commits: u32,
    pub pushes: u32,
    pub prs: u32,
    pub deploys: u32,
    /// The session ended on a tool error that no later success recovered.
    pub final_error_unrecovered: bool,
    pub user_affirmation: bool,
    pub user_complaint: bool,
    pub items: Vec<EvidenceItem>,
}

pub fn detect(_session: &Session) -> Evidence {
    Evidence::default()
}
