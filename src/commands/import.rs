//! `agentcensus import`. OWNER: see the issue for this command.

use crate::cli::{Global, ImportArgs};

pub fn run(_args: &ImportArgs, _g: &Global) -> anyhow::Result<i32> {
    anyhow::bail!("'agentcensus import' is not available yet")
}
