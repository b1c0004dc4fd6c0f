//! `agentcensus show`. OWNER: see the issue for this command.

use crate::cli::{Global, ShowArgs};

pub fn run(_args: &ShowArgs, _g: &Global) -> anyhow::Result<i32> {
    anyhow::bail!("'agentcensus show' is not available yet")
}
