//! Example sessions shipped inside the binary, so that `agentcensus report`
//! works on a machine with no agent history. Written by hand for this project
//! (no real transcripts). Files live in `examples/sessions/`.

use std::path::PathBuf;

/// (relative path, content) of every example file.
pub const EXAMPLES: &[(&str, &str)] = &[];

/// Writes the examples to a fresh temporary folder and returns it.
pub fn materialize() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("agentcensus-examples-{}", std::process::id()));
    for (rel, content) in EXAMPLES {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&p, content)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
