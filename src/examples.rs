//! Example sessions shipped inside the binary, so that `agentcensus report`
//! works on a machine with no agent history. Written by hand for this project
//! (no real transcripts). Files live in `examples/sessions/`.

use std::path::PathBuf;

/// (relative path, content) of every example file.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "codex/rollout-2026-03-10T14-02-11-019cd7a2-41b0-7e21-9c3d-5a6b7c8d9e01.jsonl",
        include_str!("../examples/sessions/codex/rollout-2026-03-10T14-02-11-019cd7a2-41b0-7e21-9c3d-5a6b7c8d9e01.jsonl"),
    ),
    (
        "codex/rollout-2026-04-02T08-30-40-019d4c10-9e8f-7a6b-8c5d-4e3f2a1b0c9d.jsonl",
        include_str!("../examples/sessions/codex/rollout-2026-04-02T08-30-40-019d4c10-9e8f-7a6b-8c5d-4e3f2a1b0c9d.jsonl"),
    ),
];

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
