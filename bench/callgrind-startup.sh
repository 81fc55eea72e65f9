#!/usr/bin/env bash
# Counts instructions with valgrind's callgrind: repeatable figures next to bench/run.sh's
# wall-clock ones (which a busy machine makes noisy).
#   start-up  until the first frame reaches the screen: the profile is dumped after the first
#             QBackingStore::flush (the widgets painted and the backing store handed to the X
#             server), then the program is stopped. Main thread only: work moved to another
#             thread runs beside the start-up, not before the frame.
#   idle      over IDLE seconds (default 10) on the code page, after SETTLE seconds (default 15;
#             valgrind is slow to start), all threads; like bench/run.sh's idle CPU.
#
#   bench/callgrind-startup.sh [BUILD_DIR]        waotp --demo and the bare-Qt floor, both measures
#   CALLGRIND_IDLE=0 bench/callgrind-startup.sh   start-up only
#
# Leaves the profiles (for callgrind_annotate) in $CALLGRIND_KEEP if that is set.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-bench}
shift || true
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 1; }

# shellcheck source=bench/xvfb.sh
. bench/xvfb.sh
make_scratch

start_xvfb

# Sums the instruction counts (the "summary:" line) of the given profile files.
total() {
    awk '/^summary:/ { s += $2 } END { printf "%d", s }' "$@"
}

measure() {
    local name=$1
    shift
    local out="$scratch/start-$name"
    mkdir -p "$out"
    valgrind --tool=callgrind --separate-threads=yes --dump-instr=no \
        --dump-after='QBackingStore::flush*' --callgrind-out-file="$out/cg.out" \
        "$@" >"$out/stdout" 2>"$out/stderr" &
    local pid=$!
    for _ in $(seq 1200); do
        [ -e "$out/cg.out.1-01" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    sleep 1 # let callgrind finish writing the dump
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ ! -e "$out/cg.out.1-01" ]; then
        echo "$name: no frame flushed" >&2
        tail -5 "$out/stderr" >&2
        return 1
    fi
    printf '%-6s start-up: %12d instructions on the main thread until the first frame\n' \
        "$name" "$(total "$out/cg.out.1-01")"
    [ -z "${CALLGRIND_KEEP:-}" ] || { mkdir -p "$CALLGRIND_KEEP"; cp "$out/cg.out.1-01" "$CALLGRIND_KEEP/$name-start"; }
}

measure_idle() {
    local name=$1
    shift
    local out="$scratch/idle-$name"
    mkdir -p "$out"
    valgrind --tool=callgrind --separate-threads=no --dump-instr=no --instr-atstart=no \
        --callgrind-out-file="$out/cg.out" "$@" >"$out/stdout" 2>"$out/stderr" &
    local pid=$!
    sleep "$settle"
    callgrind_control -i on "$pid" >/dev/null 2>&1
    sleep "$idle"
    callgrind_control -d "$pid" >/dev/null 2>&1
    sleep 1
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local dump
    dump=$(ls "$out"/cg.out.* 2>/dev/null | head -1)
    if [ -z "$dump" ]; then
        echo "$name: no idle profile" >&2
        tail -5 "$out/stderr" >&2
        return 1
    fi
    printf '%-6s idle:     %12d instructions in %d s on the code page (all threads)\n' \
        "$name" "$(total "$dump")" "$idle"
    [ -z "${CALLGRIND_KEEP:-}" ] || { mkdir -p "$CALLGRIND_KEEP"; cp "$dump" "$CALLGRIND_KEEP/$name-idle"; }
}

settle=${CALLGRIND_SETTLE:-15}
idle=${CALLGRIND_IDLE:-10}
app="$build/app/waotp"
floor="$build/bench/floor/waotp_floor"
measure waotp "$app" --demo
measure floor "$floor"
if [ "$idle" -gt 0 ]; then
    measure_idle waotp "$app" --demo --phone 9876543210 --print-result
    measure_idle floor "$floor"
fi
