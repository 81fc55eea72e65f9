#!/usr/bin/env bash
# Counts the system calls and context switches waotp-server makes per complete sign-in, with
# `perf stat` (Debian: linux-perf): figures that move little with the machine's load, next to
# bench/run.sh server's wall-clock ones and bench/server/callgrind.sh's instructions (which
# leave out the kernel's share: every wake-up of the event loop, every hand-over to a thread).
#
#   bench/server/syscalls.sh [BUILD_DIR]      (default build-bench; a Release build)
#
# The server is started as bench/server/server.sh does (demo sender, memory store, SQLite
# accounts) and warmed up; then wrk runs sign-ins (signin.lua: create + check, a new number
# each; 64 connections) for SYSCALLS_SECONDS + 1 seconds (default 5), and perf counts over
# SYSCALLS_SECONDS of them, on the event loop's thread and on the whole process. The sign-ins
# of the count are wrk's rate times its length.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${1:-build-bench}
binary=$build/server/waotp-server
seconds=${SYSCALLS_SECONDS:-5}
for tool in perf wrk; do
    command -v "$tool" >/dev/null || { echo "bench/server/syscalls.sh needs $tool" >&2; exit 1; }
done
[ -x "$binary" ] || { echo "no $binary (build waotp-server in $build first)" >&2; exit 1; }

scratch=$(mktemp -d)
here=bench/server
# shellcheck source=bench/server/server.sh
. "$here/server.sh" # start_server, stop_server: as the server bench starts it
trap 'stop_server; rm -rf "$scratch"' EXIT
start_server "$binary" "$scratch" # -> server_pid, server_url

RUN=0 wrk -t1 -c64 -d2s -s "$here/signin.lua" "$server_url" >/dev/null # warm-up
events=raw_syscalls:sys_enter,context-switches
(sleep 0.5; perf stat -e "$events" -t "$server_pid" -x, -o "$scratch/loop" -- sleep "$seconds") &
loop_counter=$!
(sleep 0.5; perf stat -e "$events" -p "$server_pid" -x, -o "$scratch/all" -- sleep "$seconds") &
all_counter=$!
result=$(RUN=1 wrk -t1 -c64 -d"$((seconds + 1))s" --timeout 5s -s "$here/signin.lua" "$server_url" |
    sed -n 's/^RESULT //p')
wait "$loop_counter" "$all_counter"
signins=$(echo "$result" | tr ' ' '\n' | awk -F= -v s="$seconds" \
    '$1 == "created" { c = $2 } $1 == "seconds" { t = $2 } END { printf "%d", c / t * s }')
echo "# waotp-server: system calls per complete sign-in, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "wrk: $result"
echo
echo "| counted over $signins sign-ins | event loop's thread | every thread |"
echo "| --- | --- | --- |"
for event in raw_syscalls:sys_enter context-switches; do
    loop=$(awk -F, -v e="$event" '$3 == e { print $1 }' "$scratch/loop")
    all=$(awk -F, -v e="$event" '$3 == e { print $1 }' "$scratch/all")
    awk -v e="$event" -v l="$loop" -v a="$all" -v n="$signins" \
        'BEGIN { printf "| %s per sign-in | %.2f | %.2f |\n", e == "context-switches" ? "context switches" : "system calls", l / n, a / n }'
done
