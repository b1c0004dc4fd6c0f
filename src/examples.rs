//! Example sessions shipped inside the binary, so that `agentcensus report`
//! works on a machine with no agent history. Written by hand for this project
//! (no real transcripts). Files live in `examples/sessions/`.

use std::path::PathBuf;

/// (relative path, content) of every example file.
pub const EXAMPLES: &[(&str, &str)] = &[
    // Claude Code: one fictional developer over three months (bug fix, feature,
    // code question, a vague request that fails, deploy, prose, sub-agent).
    (
        "claude-code/-home-mira-code-bakery-site/0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a34.jsonl",
        include_str!("../examples/sessions/claude-code/-home-mira-code-bakery-site/0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a34.jsonl"),
    ),
    (
        "claude-code/-home-mira-code-ledgerly/3f1a9c2e-7b4d-4e8a-9c61-0d2e5f7a8b01.jsonl",
        include_str!("../examples/sessions/claude-code/-home-mira-code-ledgerly/3f1a9c2e-7b4d-4e8a-9c61-0d2e5f7a8b01.jsonl"),
    ),
    (
        "claude-code/-home-mira-code-ledgerly/7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a67.jsonl",
        include_str!("../examples/sessions/claude-code/-home-mira-code-ledgerly/7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a67.jsonl"),
    ),
    (
        "claude-code/-home-mira-code-ledgerly/7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a67/subagents/agent-a3c5e7f9b1d2c4e6f.jsonl",
        include_str!("../examples/sessions/claude-code/-home-mira-code-ledgerly/7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a67/subagents/agent-a3c5e7f9b1d2c4e6f.jsonl"),
    ),
    (
        "claude-code/-home-mira-code-ledgerly/9b2c4d6e-1a3f-4b5c-8d7e-2f4a6c8e0b12.jsonl",
        include_str!("../examples/sessions/claude-code/-home-mira-code-ledgerly/9b2c4d6e-1a3f-4b5c-8d7e-2f4a6c8e0b12.jsonl"),
    ),
    (
        "claude-code/-home-mira-code-trailmap/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c45.jsonl",
        include_str!("../examples/sessions/claude-code/-home-mira-code-trailmap/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c45.jsonl"),
    ),
    (
        "claude-code/-home-mira-code-trailmap/c7d8e9f0-2b3c-4d5e-9f60-718293a4b523.jsonl",
        include_str!("../examples/sessions/claude-code/-home-mira-code-trailmap/c7d8e9f0-2b3c-4d5e-9f60-718293a4b523.jsonl"),
    ),
    (
        "claude-code/-home-mira-code-trailmap/d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e556.jsonl",
        include_str!("../examples/sessions/claude-code/-home-mira-code-trailmap/d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e556.jsonl"),
    ),
    // Codex: a bug fix with a regression test and a commit; a question about a config.
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
