//! `agentcensus eval`. OWNER: see the issue for this command.

use crate::cli::{EvalArgs, Global};

pub fn run(_args: &EvalArgs, _g: &Global) -> anyhow::Result<i32> {
    anyhow::bail!("'agentcensus eval' is not available yet")
}
