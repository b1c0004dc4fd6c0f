#!/usr/bin/env bash
# Store benchmark: cold and warm runs of `agentcensus report --no-html` over the
# shared corpus (when present) and over generated Claude Code sessions at two
# sizes, with wall time and peak RSS from /usr/bin/time -v. "Cold" is an empty
# store (page cache warm: files were just written or read); "warm" is a second
# run over the unchanged files, which should parse nothing.
#
# Usage: scripts/bench_store.sh [sessions=100000] [people=200] [small=10000]
#   BENCH_DIR=/some/tmp   where generated sessions and stores go (default: mktemp)
#   KEEP=1                keep BENCH_DIR afterwards
#   BIN=path              use this binary instead of building a release one
# Needs about 85 KB of disk per generated session (8.5 GB at 100,000).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
big="${1:-100000}"
people="${2:-200}"
small="${3:-10000}"
corpus="$here/../shared/corpus"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
dir="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$dir"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$dir"' EXIT

if [ -z "${BIN:-}" ]; then
  (cd "$here" && cargo build --release --no-default-features -q)
  bin="$here/target/release/agentcensus"
else
  bin="$BIN" # e.g. a debug build, to try the script quickly
fi
echo "$bin $("$bin" --version | awk '{print $2}'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-34s %9s %10s %9s  %s\n' "run" "sessions" "wall s" "peak MB" "store"

# run LABEL STORE ARGS...: one timed run, one line of results.
run() {
  local label="$1" store="$2"; shift 2
  /usr/bin/time -v -o "$dir/time.txt" "$bin" --store "$store" "$@" > "$dir/out.txt" 2> "$dir/err.txt" || {
    echo "$label: failed"; tail -5 "$dir/err.txt"; return 1; }
  local wall rss summary sessions
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$dir/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$dir/time.txt")
  summary=$( (grep -h '^store:' "$dir/err.txt" || true) | tail -1 | sed 's/ (\/.*)$//')
  sessions=$(echo "$summary" | awk '{print $2}')
  [ -n "$sessions" ] || sessions=$(( $(grep -c . "$dir/out.txt" || true) - 1 )) # `sessions`: a header, then one line each
  printf '%-34s %9s %10.2f %9s  %s\n' "$label" "${sessions:--}" "$wall" "$rss" "${summary#store: }"
}

if [ -d "$corpus" ]; then
  s="$dir/corpus.sqlite"
  run "corpus: report cold" "$s" report --no-html --scope all --users-by-folder "$corpus"/*/
  run "corpus: report warm" "$s" report --no-html --scope all --users-by-folder "$corpus"/*/
else
  echo "(no ../shared/corpus: corpus runs skipped)"
fi

for n in "$small" "$big"; do
  g="$dir/gen-$n"
  if [ ! -f "$g/generated-manifest.tsv" ]; then
    /usr/bin/time -f "%e" -o "$dir/gen.txt" "$bin" generate -o "$g" -n "$n" --users "$people" --seed 7 > /dev/null
    echo "generated $n sessions for $people people in $(cat "$dir/gen.txt") s ($(du -sh "$g" | cut -f1))"
  fi
  s="$dir/gen-$n.sqlite"
  rm -f "$s" "$s"-wal "$s"-shm
  run "generated $n: report cold" "$s" report --no-html --users-by-folder "$g"
  run "generated $n: report warm" "$s" report --no-html --users-by-folder "$g"
  run "generated $n: sessions (no store)" "$s" --no-store sessions --users-by-folder "$g"
  echo "  store file: $(du -h "$s" | cut -f1)"
done
