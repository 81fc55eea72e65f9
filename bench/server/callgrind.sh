#!/usr/bin/env bash
# Counts the instructions waotp-server spends per request with valgrind's callgrind: figures
# that repeat on a busy machine, next to bench/run.sh server's wall-clock ones.
#
#   bench/server/callgrind.sh [BUILD_DIR]      (default build-bench; a Release build)
#
# The server is started as bench/server/server.sh does (demo sender, memory store, SQLite
# accounts), warmed up with sign-ins, and only then counted: once over CALLGRIND_SIGNINS
# complete sign-ins (signin.lua: create + check, a new number each; default 300), once over
# CALLGRIND_FLOORS GET /healthz (the floor; default 2000), each on a fresh server. Requests are
# counted from the server's own request log, so requests still in flight when wrk stops are
# counted too. Prints instructions per request, per sign-in (two requests) and per floor request:
# of every thread, and of the event loop's thread alone (which bounds the requests per second).
# Leaves the profiles (for callgrind_annotate --inclusive=yes) in $CALLGRIND_KEEP if that is set.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${1:-build-bench}
binary=$build/server/waotp-server
signins=${CALLGRIND_SIGNINS:-300}
floors=${CALLGRIND_FLOORS:-2000}
for tool in valgrind callgrind_control wrk; do
    command -v "$tool" >/dev/null || { echo "bench/server/callgrind.sh needs $tool" >&2; exit 1; }
done
[ -x "$binary" ] || { echo "no $binary (build waotp-server in $build first)" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
here=bench/server

total() { # the instruction count of a profile
    awk '/^summary:/ { s += $2 } END { printf "%d", s }' "$@"
}

requests_logged() { # log file -> request lines so far
    grep -c ' request_id=' "$1" || true
}

# Requests of the given lua script (signin.lua, or floor.lua for GET /healthz), at most about
# COUNT of them: wrk with 4 connections, in slices, until the log has COUNT more lines.
drive() { # url, script, path, count, log
    local url=$1 script=$2 path=$3 count=$4 log=$5
    local start now
    start=$(requests_logged "$log")
    for run in $(seq 1 9); do
        RUN=$run wrk -t1 -c4 -d2s --timeout 30s -s "$here/$script" "$url$path" >/dev/null
        sleep 0.5 # the request log is written every 200 ms
        now=$(requests_logged "$log")
        [ $((now - start)) -ge "$count" ] && return 0
    done
}

measure() { # name, script, path, count
    local name=$1 script=$2 path=$3 count=$4
    local data=$scratch/$name out=$scratch/$name/cg.out
    mkdir -p "$data"
    env -i PATH="$PATH" HOME="$data/home" XDG_CONFIG_HOME="$data/config" \
        WAOTP_SENDS_PER_IP=off WAOTP_CHECKS_PER_IP=off \
        WAOTP_MAX_SENDS_PER_MINUTE=0 WAOTP_MAX_SENDS_PER_DAY=0 \
        valgrind --tool=callgrind --dump-instr=no --instr-atstart=no --separate-threads=yes \
        --callgrind-out-file="$out" \
        "$binary" --demo --listen 127.0.0.1:0 --data-dir "$data/data" 2>"$data/server.log" &
    local pid=$! url=
    for _ in $(seq 600); do
        url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$data/server.log" | head -1)
        [ -n "$url" ] && break
        sleep 0.1
    done
    [ -n "$url" ] || { echo "$name: waotp-server did not start" >&2; tail -5 "$data/server.log" >&2; return 1; }
    # Warm-up (libphonenumber's metadata, SQLite's first statements, Qt's first allocations).
    RUN=0 wrk -t1 -c4 -d3s --timeout 30s -s "$here/$script" "$url$path" >/dev/null
    sleep 3 # the demo sender's delivery steps of the warm-up end
    callgrind_control -i on "$pid" >/dev/null
    local before after
    before=$(requests_logged "$data/server.log")
    drive "$url" "$script" "$path" "$count" "$data/server.log"
    sleep 3 # the last answers, their delivery steps, and the log
    callgrind_control -d "$pid" >/dev/null
    after=$(requests_logged "$data/server.log")
    sleep 1
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local dumps main
    dumps=$(ls "$out".* 2>/dev/null || true)
    main=$(ls "$out".*-01 2>/dev/null | head -1)
    [ -n "$main" ] || { echo "$name: no profile" >&2; return 1; }
    local instructions on_main requests
    # shellcheck disable=SC2086 # one file name a line
    instructions=$(total $dumps)
    on_main=$(total "$main")
    requests=$((after - before))
    [ -z "${CALLGRIND_KEEP:-}" ] || { mkdir -p "$CALLGRIND_KEEP"; cp "$main" "$CALLGRIND_KEEP/$name"; }
    echo "$name $instructions $on_main $requests"
}

echo "== callgrind: $binary, sign-ins then the floor (slow: valgrind)" >&2
read -r _ s_instr s_main s_req < <(measure signin signin.lua "" $((signins * 2)))
read -r _ f_instr f_main f_req < <(measure floor floor.lua /healthz "$floors")
per_request=$((s_instr / s_req))
per_floor=$((f_instr / f_req))
main_request=$((s_main / s_req))
main_floor=$((f_main / f_req))
printf '| measure | sign-ins (create + check) | floor (`GET /healthz`) |\n|---|---|---|\n'
printf '| requests counted | %d | %d |\n' "$s_req" "$f_req"
printf '| instructions per request, every thread | %d | %d |\n' "$per_request" "$per_floor"
printf '| instructions per request, event-loop thread | %d | %d |\n' "$main_request" "$main_floor"
printf '| instructions per sign-in (2 requests), every thread | %d | |\n' $((2 * per_request))
printf '| instructions per sign-in (2 requests), event-loop thread | %d | |\n' $((2 * main_request))
printf '| per request on the event loop, times the floor | %d.%02d× | 1× |\n' \
    $((main_request / main_floor)) $((main_request * 100 / main_floor % 100))
