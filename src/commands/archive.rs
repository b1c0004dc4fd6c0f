//! `agentcensus archive`. OWNER: see the issue for this command.

use crate::cli::{ArchiveArgs, Global};

pub fn run(_args: &ArchiveArgs, _g: &Global) -> anyhow::Result<i32> {
    anyhow::bail!("'agentcensus archive' is not available yet")
}
