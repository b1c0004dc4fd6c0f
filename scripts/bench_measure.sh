#!/usr/bin/env bash
# Speed of the measure stage alone (telemetry + evidence), without ingest:
# parses the shared Claude Code and Codex corpus once, then measures every
# session repeatedly in a release build (--no-default-features skips Parquet).
# Usage: scripts/bench_measure.sh [rounds=20]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$here/../shared/corpus"
[ -d "$corpus" ] || { echo "no corpus at $corpus; nothing to measure"; exit 0; }
(cd "$here" && cargo build --release --no-default-features -q --example bench_measure)
"$here/target/release/examples/bench_measure" "$corpus" "${1:-20}"
uptime
