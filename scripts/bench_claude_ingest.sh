#!/usr/bin/env bash
# Throughput of Claude Code ingest: copies the shared Claude Code corpus N times
# into a temporary folder and times `agentcensus sessions` over it (release
# build, --no-default-features to skip Parquet). Prints MB/s of wall and CPU time.
# Usage: scripts/bench_claude_ingest.sh [copies=8] [jobs=1]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$here/../shared/corpus/claude-code"
copies="${1:-8}"
jobs="${2:-1}"
[ -d "$corpus" ] || { echo "no corpus at $corpus; nothing to measure"; exit 0; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 "$copies"); do mkdir -p "$tmp/u$i"; cp -r "$corpus"/. "$tmp/u$i/"; done
bytes=$(find "$tmp" -type f -name '*.jsonl' -printf '%s\n' | awk '{s+=$1} END {print s}')
(cd "$here" && cargo build --release --no-default-features -q)
bin="$here/target/release/agentcensus"
"$bin" sessions --jobs "$jobs" "$tmp" > /dev/null 2>&1 # warm the page cache
/usr/bin/time -o "$tmp/time" -f "%e %U %S" "$bin" sessions --jobs "$jobs" "$tmp" > /dev/null 2>&1
read -r wall user sys < "$tmp/time"
awk -v b="$bytes" -v w="$wall" -v u="$user" -v s="$sys" -v j="$jobs" 'BEGIN {
  mb = b / 1e6
  printf "%.1f MB of Claude Code JSONL, jobs=%d: %.2f s wall (%.0f MB/s), %.2f s user+sys (%.0f MB/s per core)\n", mb, j, w, mb / w, u + s, mb / (u + s)
}'
