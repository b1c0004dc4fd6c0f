//! Telemetry: counts and sizes. OWNER: measure helper.

use crate::session::Session;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Measures {
    pub human_prompts: u32,
    /// Tool calls of the main session (sub-agents excluded).
    pub actions: u32,
    /// Tool calls whose result was not an error.
    pub successful_actions: u32,
    pub model_calls: u32,
    /// actions / human_prompts; None with zero prompts.
    pub actions_per_prompt: Option<f64>,
    pub output_tokens: u64,
    pub input_tokens: u64,
    /// Words of visible agent text.
    pub output_words: u64,
    pub words_per_prompt: Option<f64>,
    pub lines_added: u64,
    pub lines_removed: u64,
    pub files_touched: u32,
    pub duration_s: Option<f64>,
    /// Tool calls by normalized kind, in `ToolKind::ALL` order.
    pub tool_mix: [u32; 9],
    pub tool_errors: u32,
    pub interruptions: u32,
    pub compactions: u32,
    pub api_errors: u32,
    pub subagents: u32,
    pub subagent_actions: u32,
    pub interactive: bool,
}

pub fn measure(_session: &Session) -> Measures {
    Measures::default()
}
