//! One file per command.
pub mod archive;
pub mod eval;
pub mod export;
pub mod generate;
pub mod import;
pub mod report;
pub mod sessions;
pub mod show;

use crate::cli::{BackendArgs, Global, InputArgs};
use crate::diag::Diagnostics;
use crate::pipeline::Filter;

/// Exit codes that mean something.
pub mod exit {
    pub const OK: i32 = 0;
    /// A runtime error (I/O, store, backend).
    pub const ERROR: i32 = 1;
    /// Bad usage (clap uses 2 as well).
    pub const USAGE: i32 = 2;
    /// Nothing to work on (no sessions found, unknown session id).
    pub const NOTHING: i32 = 3;
}

pub fn filter(i: &InputArgs) -> Filter {
    Filter {
        since: i.since.clone(),
        until: i.until.clone(),
        agent: i.agent.clone(),
        project: i.project.clone(),
        session_ids: None,
    }
}

pub fn diagnostics(g: &Global) -> Diagnostics {
    Diagnostics::new(g.quiet)
}

/// The classifier backend named on the command line.
pub fn backend(b: &BackendArgs, g: &Global) -> anyhow::Result<Box<dyn crate::classify::Backend>> {
    match b.backend.as_str() {
        "builtin" => Ok(Box::new(crate::classify::builtin::Builtin)),
        "anthropic" | "openai" => Ok(Box::new(crate::classify::llm::from_args(b, g)?)),
        other => anyhow::bail!("unknown backend '{other}' (expected builtin, anthropic or openai)"),
    }
}
