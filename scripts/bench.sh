#!/usr/bin/env bash
# Throughput and peak memory of `agentcensus sessions --json` over a corpus of
# session files, next to `ccusage daily --offline` over the same Claude Code
# files. Prints a small table; asserts nothing (numbers depend on the machine).
#
# Usage: scripts/bench.sh [CORPUS] [RUNS]
#   CORPUS  folder of session files (default: ../shared/corpus beside the checkout)
#   RUNS    timed runs per row, after one warm-up run (default: 5)
# Environment:
#   CCUSAGE_PREFIX   where ccusage is installed with npm
#                    (default: ${TMPDIR:-/tmp}/agentcensus-bench-ccusage)
#   CCUSAGE_VERSION  npm version of ccusage to compare with (default: 20.0.24)
#   SKIP_CCUSAGE=1   only benchmark agentcensus
#   JOBS             worker threads for agentcensus (default: all cores)
#   SCALE            read the corpus this many times per run, as separate input
#                    roots (symlinks), so that runs last long enough to time
#                    (default: 5; input MB in the table includes it)
#
# Needs: cargo, GNU time at /usr/bin/time (Debian/Ubuntu: `sudo apt-get install -y time`),
# and node + npm for the ccusage rows.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${1:-$ROOT/../shared/corpus}"
RUNS="${2:-5}"
CCUSAGE_VERSION="${CCUSAGE_VERSION:-20.0.24}"
CCUSAGE_PREFIX="${CCUSAGE_PREFIX:-${TMPDIR:-/tmp}/agentcensus-bench-ccusage}"
TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 1; }

[ -d "$CORPUS" ] || die "corpus folder not found: $CORPUS (pass it as the first argument)"
CORPUS="$(cd "$CORPUS" && pwd)"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, got '$RUNS'"
SCALE="${SCALE:-5}"
[[ "$SCALE" =~ ^[1-9][0-9]*$ ]] || die "SCALE must be a positive number, got '$SCALE'"
if [ ! -x "$TIME" ] || ! "$TIME" -f %M true >/dev/null 2>&1; then
    die "GNU time is needed at $TIME to measure peak memory.
Install it with:  sudo apt-get install -y time   (Debian/Ubuntu)
             or:  sudo dnf install -y time       (Fedora)"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/agentcensus-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "== building agentcensus (release) ..." >&2
(cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed"
AC="$ROOT/target/release/agentcensus"

# Input size: bytes of regular files (symlinks followed).
bytes_of() { find -L "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }

ROWS="$WORK/rows.tsv"
: >"$ROWS"

# run_timed NAME INPUT_BYTES SESSIONS CMD... : one warm-up run, then RUNS timed
# runs; records median and best wall time and the largest peak RSS.
run_timed() {
    local name="$1" bytes="$2" sessions="$3"
    shift 3
    "$@" >/dev/null 2>&1 || die "$name: command failed: $*"
    local times="$WORK/times.txt"
    : >"$times"
    for _ in $(seq "$RUNS"); do
        "$TIME" -f '%e %M %U %S' -o "$WORK/one.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" ||
            die "$name: command failed: $* ($(tail -n 3 "$WORK/stderr.txt"))"
        tail -n 1 "$WORK/one.txt" >>"$times"
    done
    # Median CPU seconds (user + sys) is printed too: on a shared machine wall
    # time depends on the load, CPU time much less.
    local cpu
    cpu="$(awk '{print $3 + $4}' "$times" | sort -n | awk '{c[NR] = $1} END {
        print (NR % 2) ? c[(NR + 1) / 2] : (c[NR / 2] + c[NR / 2 + 1]) / 2 }')"
    sort -n "$times" | awk -v name="$name" -v bytes="$bytes" -v sess="$sessions" -v n="$RUNS" -v cpu="$cpu" '
        { t[NR] = $1; if ($2 > rss) rss = $2 }
        END {
            med = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
            best = t[1]
            m = (med > 0) ? med : 0.01   # /usr/bin/time has 10 ms resolution
            printf "%s\t%.1f\t%s\t%d\t%.2f\t%.2f\t%.2f\t%.1f\t%s\t%.1f\n",
                name, bytes / 1e6, sess, n, med, best, cpu, bytes / 1e6 / m,
                (sess == "-") ? "-" : sprintf("%.0f", sess / m), rss / 1024
        }' >>"$ROWS"
}

JOBS_ARG=()
[ -n "${JOBS:-}" ] && JOBS_ARG=(--jobs "$JOBS")
# Commands are arrays (GNU time runs programs, not shell functions).
AC_CMD=("$AC" --no-store --quiet "${JOBS_ARG[@]}" sessions --json)

# Sessions = JSON lines printed by `sessions --json`.
count_sessions() { "${AC_CMD[@]}" "$@" 2>/dev/null | grep -c '^{' || true; }

# copies DIR NAME: SCALE symlinks to DIR under $WORK/NAME, printed one per line.
copies() {
    mkdir -p "$WORK/$2"
    for i in $(seq "$SCALE"); do
        ln -s "$1" "$WORK/$2/copy$i"
        echo "$WORK/$2/copy$i"
    done
}

echo "== agentcensus over $CORPUS (x$SCALE) ..." >&2
mapfile -t ALL_ROOTS < <(copies "$CORPUS" all)
ALL_BYTES=$(($(bytes_of "$CORPUS") * SCALE))
ALL_SESSIONS="$(count_sessions "${ALL_ROOTS[@]}")"
run_timed "agentcensus sessions --json (whole corpus)" "$ALL_BYTES" "$ALL_SESSIONS" "${AC_CMD[@]}" "${ALL_ROOTS[@]}"

CC_DIR="$CORPUS/claude-code"
if [ -d "$CC_DIR" ]; then
    mapfile -t CC_ROOTS < <(copies "$CC_DIR" cc)
    CC_BYTES=$(($(bytes_of "$CC_DIR") * SCALE))
    CC_SESSIONS="$(count_sessions "${CC_ROOTS[@]}")"
    run_timed "agentcensus sessions --json (claude-code)" "$CC_BYTES" "$CC_SESSIONS" "${AC_CMD[@]}" "${CC_ROOTS[@]}"
else
    echo "bench: no claude-code/ folder in $CORPUS; skipping the Claude Code rows" >&2
    SKIP_CCUSAGE=1
fi

if [ "${SKIP_CCUSAGE:-0}" != 1 ]; then
    command -v npm >/dev/null || die "npm is needed for the ccusage rows (or set SKIP_CCUSAGE=1)"
    CCU="$CCUSAGE_PREFIX/node_modules/.bin/ccusage"
    if [ ! -x "$CCU" ] || ! grep -q "\"version\": \"$CCUSAGE_VERSION\"" \
        "$CCUSAGE_PREFIX/node_modules/ccusage/package.json" 2>/dev/null; then
        echo "== installing ccusage@$CCUSAGE_VERSION into $CCUSAGE_PREFIX ..." >&2
        mkdir -p "$CCUSAGE_PREFIX"
        npm install --prefix "$CCUSAGE_PREFIX" --no-audit --no-fund --silent \
            "ccusage@$CCUSAGE_VERSION" >&2 || die "npm install ccusage@$CCUSAGE_VERSION failed"
    fi
    # ccusage reads <dir>/projects/**.jsonl for each comma-separated dir in
    # CLAUDE_CONFIG_DIR. An empty HOME keeps it from also finding this
    # machine's own agent data (it scans many agents' default folders).
    mkdir -p "$WORK/home"
    CONFIG_DIRS=""
    for i in $(seq "$SCALE"); do
        mkdir -p "$WORK/claude$i"
        ln -s "$CC_DIR" "$WORK/claude$i/projects"
        CONFIG_DIRS="${CONFIG_DIRS:+$CONFIG_DIRS,}$WORK/claude$i"
    done
    CCU_CMD=(env HOME="$WORK/home" CLAUDE_CONFIG_DIR="$CONFIG_DIRS" "$CCU" daily --offline)
    echo "== ccusage daily --offline over $CC_DIR ..." >&2
    run_timed "ccusage $CCUSAGE_VERSION daily --offline (claude-code)" "$CC_BYTES" "$CC_SESSIONS" "${CCU_CMD[@]}"
    run_timed "ccusage $CCUSAGE_VERSION daily --offline --json (claude-code)" "$CC_BYTES" "$CC_SESSIONS" "${CCU_CMD[@]}" --json
fi

echo
echo "machine: $(nproc) cores, $(uname -sr); corpus read x$SCALE per run; runs per row: $RUNS (after one warm-up); agentcensus $("$AC" --version | awk '{print $2}')"
echo "MB = input MB (10^6 bytes); median/best = wall-clock seconds, CPU = median user+sys seconds;"
echo "MB/s and sessions/s use the median wall time; peak RSS from GNU time (largest process). Load now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ccusage rows reuse agentcensus's session count for the same files (ccusage reports days, not sessions;"
echo "it also drops repeated message ids, so the copies cost it parsing but little aggregation)."
echo
{
    printf "command\tinput MB\tsessions\truns\tmedian s\tbest s\tCPU s\tMB/s\tsessions/s\tpeak RSS MB\n"
    cat "$ROWS"
} | if command -v column >/dev/null; then column -t -s $'\t'; else cat; fi
