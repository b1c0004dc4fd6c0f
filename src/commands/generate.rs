//! `agentcensus generate`. OWNER: see the issue for this command.

use crate::cli::{GenerateArgs, Global};

pub fn run(_args: &GenerateArgs, _g: &Global) -> anyhow::Result<i32> {
    anyhow::bail!("'agentcensus generate' is not available yet")
}
