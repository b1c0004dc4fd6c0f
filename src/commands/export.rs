//! `agentcensus export`. OWNER: see the issue for this command.

use crate::cli::{ExportArgs, Global};

pub fn run(_args: &ExportArgs, _g: &Global) -> anyhow::Result<i32> {
    anyhow::bail!("'agentcensus export' is not available yet")
}
