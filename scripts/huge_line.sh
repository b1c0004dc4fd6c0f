#!/usr/bin/env bash
# A Claude Code session file with one huge line (default 500 MB) between valid
# records, read by the release binary under GNU time. Prints whether the
# warning names file:line, whether the records after the line were read, and
# the peak memory (which must stay far below the line's size: the JSONL reader
# skips a line above the limit, 64 MB by default, without buffering it).
#
# Then checks that an unreadable folder is warned about and skipped while its
# sibling folders are still read.
#
# Usage: scripts/huge_line.sh
# Environment:
#   SIZE_MB   size of the huge line in MB (default: 500)
#   AC        agentcensus binary to run (default: target/release/agentcensus,
#             built with `cargo build --release` first)
#   KEEP=1    keep the temporary folder (its path is printed)
#
# Needs: cargo, GNU time at /usr/bin/time (Debian/Ubuntu:
# `sudo apt-get install -y time`; Fedora: `sudo dnf install -y time`), and
# about SIZE_MB of free space in ${TMPDIR:-/tmp}.
# Asserts nothing (exit status 0 unless setup fails); read the printed lines.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE_MB="${SIZE_MB:-500}"
TIME=/usr/bin/time

die() { echo "huge_line: $*" >&2; exit 1; }

[[ "$SIZE_MB" =~ ^[1-9][0-9]*$ ]] || die "SIZE_MB must be a positive number, got '$SIZE_MB'"
if [ ! -x "$TIME" ] || ! "$TIME" -v true >/dev/null 2>&1; then
    die "GNU time is needed at $TIME to measure peak memory.
Install it with:  sudo apt-get install -y time   (Debian/Ubuntu)
             or:  sudo dnf install -y time       (Fedora)"
fi

if [ -z "${AC:-}" ]; then
    echo "== building agentcensus (release) ..." >&2
    (cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed"
    AC="$ROOT/target/release/agentcensus"
fi
[ -x "$AC" ] || die "binary not found: $AC"
AC="$(cd "$(dirname "$AC")" && pwd)/$(basename "$AC")"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/agentcensus-huge.XXXXXX")"
if [ "${KEEP:-}" = 1 ]; then
    echo "keeping $WORK" >&2
else
    trap 'chmod -R u+rwx "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
fi

SID=44444444-2222-4333-8444-555555555555
PROJ="$WORK/projects/-tmp-huge-demo"
mkdir -p "$PROJ"
FILE="$PROJ/$SID.jsonl"

# One user record (invented content), numbered uuid.
user() {
    printf '{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/tmp/huge-demo","sessionId":"%s","version":"2.1.42","entrypoint":"cli","type":"user","message":{"role":"user","content":"%s"},"uuid":"00000000-0000-4000-8000-%012d","timestamp":"2026-02-03T10:%02d:00.000Z"}\n' \
        "$SID" "$2" "$1" "$1"
}
assistant() {
    printf '{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/tmp/huge-demo","sessionId":"%s","version":"2.1.42","type":"assistant","message":{"id":"msg_%d","role":"assistant","model":"claude-sonnet-4-6","content":[{"type":"text","text":"%s"}],"usage":{"input_tokens":10,"output_tokens":20}},"uuid":"00000000-0000-4000-8000-%012d","timestamp":"2026-02-03T10:%02d:30.000Z"}\n' \
        "$SID" "$1" "$2" "$1" "$1"
}

echo "== writing a ${SIZE_MB} MB line between valid records ..." >&2
{
    user 1 "add a retry to the upload step"              # line 1
    assistant 2 "Added a retry with backoff."            # line 2
    # line 3: a user record whose pasted text is SIZE_MB of 'x'
    printf '{"parentUuid":null,"sessionId":"%s","type":"user","message":{"role":"user","content":"' "$SID"
    head -c "$((SIZE_MB * 1024 * 1024))" /dev/zero | tr '\0' 'x'
    printf '"},"uuid":"00000000-0000-4000-8000-000000000003","timestamp":"2026-02-03T10:03:00.000Z"}\n'
    user 4 "now log each attempt"                        # line 4
    assistant 5 "Each attempt is logged."                # line 5
    user 6 "thanks, that works"                          # line 6
} >"$FILE"
BYTES=$(stat -c %s "$FILE")

OUT="$WORK/out.jsonl"
ERR="$WORK/stderr.txt"
TIMES="$WORK/time.txt"
echo
echo "input:     $FILE"
echo "           $BYTES bytes; line 3 is $((SIZE_MB * 1024 * 1024)) bytes of text; 6 lines"

# Once with the default line limit (64 MB), once with --max-line-mb 1: the
# reader holds at most one line up to the limit, so peak memory follows the
# limit, not the line.
for extra in "" "--max-line-mb 1"; do
    # shellcheck disable=SC2086 # $extra is deliberately split into words
    cmd=("$AC" --no-store sessions --json $extra "$WORK/projects")
    echo
    echo "command:   $TIME -v ${cmd[*]}"
    set +e
    "$TIME" -v -o "$TIMES" "${cmd[@]}" >"$OUT" 2>"$ERR"
    CODE=$?
    set -e

    rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$TIMES")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): *//p' "$TIMES")
    prompts=$(grep -o '"human_prompts":[0-9]*' "$OUT" | head -1 | cut -d: -f2)
    end=$(grep -o '"end":"[^"]*"' "$OUT" | head -1 | cut -d'"' -f4)
    warning=$(grep -F "$FILE:3: line of" "$ERR" || true)

    echo "exit code: $CODE"
    if [ -n "$warning" ]; then
        echo "warning:   yes, names file:line -> $warning"
    else
        echo "warning:   NO warning naming $FILE:3; stderr was:"
        sed 's/^/           /' "$ERR"
    fi
    if [ "${prompts:-0}" = 3 ] && [ "$end" = "2026-02-03T10:06:00Z" ]; then
        echo "after it:  yes, records after line 3 were read (3 prompts: 1 before, 2 after; session ends at line 6's time $end)"
    else
        echo "after it:  NO: human_prompts=${prompts:-none} end=${end:-none} (expected 3 and 2026-02-03T10:06:00Z)"
    fi
    echo "peak RSS:  $((rss_kb / 1024)) MB (${rss_kb} kB) for a ${SIZE_MB} MB line"
    echo "wall time: $wall"
done

# ---------------------------------------------------------------------------
# An unreadable folder next to a readable one: warned about, skipped, and the
# readable one is still read. File permissions do not stop root, so as root
# the binary runs as `nobody` (setpriv); without setpriv the check is skipped.
echo
rm -f "$FILE"
LOCKED="$WORK/projects/-tmp-locked"
mkdir -p "$LOCKED"
user 1 "this folder cannot be read" | sed "s/$SID/55555555-2222-4333-8444-555555555555/" \
    >"$LOCKED/55555555-2222-4333-8444-555555555555.jsonl"
user 1 "this one can" >"$PROJ/$SID.jsonl"
chmod -R a+rX "$WORK"
chmod 000 "$LOCKED"
run=("$AC" --no-store sessions --json "$WORK/projects")
how="as $(id -un)"
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null; then
        run=(setpriv --reuid=nobody --regid=nogroup --clear-groups "${run[@]}")
        how="as nobody (setpriv), since root reads any folder"
    else
        echo "unreadable folder: SKIPPED (running as root and setpriv is missing;"
        echo "                   root reads folders whatever their permissions)"
        exit 0
    fi
fi
set +e
(cd "$WORK" && "${run[@]}") >"$OUT" 2>"$ERR"
set -e
chmod 755 "$LOCKED"
if grep -qF "$LOCKED: cannot read folder" "$ERR"; then
    echo "unreadable folder: warned ($how) -> $(grep -F "$LOCKED" "$ERR")"
else
    echo "unreadable folder: NOT warned ($how); stderr was:"
    sed 's/^/                   /' "$ERR"
fi
if grep -q "\"session_id\":\"$SID\"" "$OUT"; then
    echo "readable sibling:  still read (session $SID in the output)"
else
    echo "readable sibling:  NOT read"
fi
