# Sourced by bench/run.sh: waotp-server under load (wrk), next to the floor, and its memory.
#
#   run_server_bench SERVER_BINARY SCRATCH_DIR
#
# Prints a Markdown table. One wrk thread and 64 connections against the server on loopback
# (the server's event loop is one thread, so two cores are one for wrk and one for the server):
#   - the floor: GET /healthz, the HTTP layer with no work;
#   - sign-ups (signin.lua): create + check with the demo code from the create answer, a new
#     number each, demo sender, memory store, SQLite accounts (a new account each);
#   - sign-ins (signin.lua, FLOW=signin): the same with the numbers the round's sign-ups
#     registered, each signing in to its account;
# BENCH_SERVER_ROUNDS rounds of BENCH_SERVER_SECONDS each, interleaved, after a warm-up; the
# median round is reported. Then, on a fresh server, BENCH_SERVER_ACTIVE verifications are
# started (none checked) and the growth of its resident memory is divided by them.

start_server() { # binary, data dir -> server_pid, server_url
    local binary=$1 data=$2
    mkdir -p "$data"
    # No per-client limits (every request comes from 127.0.0.1) and no send budget (the load
    # is the point); a new number per sign-in.
    env -i PATH="$PATH" HOME="$data/home" XDG_CONFIG_HOME="$data/config" \
        WAOTP_SENDS_PER_IP=off WAOTP_CHECKS_PER_IP=off \
        WAOTP_MAX_SENDS_PER_MINUTE=0 WAOTP_MAX_SENDS_PER_DAY=0 \
        "$binary" --demo --listen 127.0.0.1:0 --data-dir "$data/data" 2>"$data/server.log" &
    server_pid=$! # env runs the server in its own process
    server_url=
    for _ in $(seq 100); do
        server_url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$data/server.log" | head -1)
        [ -n "$server_url" ] && return 0
        sleep 0.1
    done
    echo "waotp-server did not start:" >&2
    cat "$data/server.log" >&2
    return 1
}

stop_server() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
}

rss_kib() { # pid
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

run_server_bench() { # binary, scratch
    local binary=$1 scratch=$2
    local rounds=${BENCH_SERVER_ROUNDS:-3} seconds=${BENCH_SERVER_SECONDS:-10}
    local active=${BENCH_SERVER_ACTIVE:-100000}
    local here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    local results=$scratch/server-results
    : >"$results"

    echo "== waotp-server: $rounds rounds of ${seconds}s, floor and sign-ins interleaved" >&2
    start_server "$binary" "$scratch/server-load"
    RUN=0 wrk -t1 -c64 -d3s -s "$here/signin.lua" "$server_url" >/dev/null # warm-up
    for i in $(seq "$rounds"); do
        wrk -t1 -c64 -d"${seconds}s" --timeout 5s -s "$here/floor.lua" "$server_url/healthz" |
            sed -n "s/^RESULT /floor /p" >>"$results"
        RUN=$i wrk -t1 -c64 -d"${seconds}s" --timeout 5s -s "$here/signin.lua" "$server_url" |
            sed -n "s/^RESULT /signup /p" >>"$results"
        # The numbers whose sign-up was approved, less those still in flight at its end.
        local registered
        registered=$(tail -1 "$results" | sed -n 's/.* approved=\([0-9]*\).*/\1/p')
        RUN=$i FLOW=signin REGISTERED=$((registered - 128)) \
            wrk -t1 -c64 -d"${seconds}s" --timeout 5s -s "$here/signin.lua" "$server_url" |
            sed -n "s/^RESULT /signin /p" >>"$results"
        echo "   round $i/$rounds done" >&2
    done
    local log_lines
    log_lines=$(wc -l <"$scratch/server-load/server.log")
    stop_server

    # In two halves, each shown: the first also grows what a process grows once (allocator
    # arenas and caches), and the second may reuse what the first's sends freed once delivered;
    # the figure is the whole growth over every verification started.
    echo "== waotp-server: memory for $active, then $((2 * active)) active verifications" >&2
    start_server "$binary" "$scratch/server-memory"
    RUN=0 wrk -t1 -c64 -d2s -s "$here/signin.lua" "$server_url" >/dev/null # all touched once
    sleep 3 # the demo sender's delivery steps of the warm-up end
    local before middle after
    before=$(rss_kib "$server_pid")
    echo "fill seconds=1 $(python3 "$here/fill.py" "$server_url" "$active")" >>"$results"
    sleep 3 # and those of the last verifications
    middle=$(rss_kib "$server_pid")
    echo "fill seconds=1 $(python3 "$here/fill.py" "$server_url" "$active" "$active")" >>"$results"
    sleep 3
    after=$(rss_kib "$server_pid")
    echo "memory before_kib=$before middle_kib=$middle after_kib=$after" >>"$results"
    stop_server

    python3 - "$results" "$log_lines" <<'EOF'
import statistics, sys
rows = {"floor": [], "signin": [], "signup": [], "fill": []}
memory = {}
for line in open(sys.argv[1]):
    kind, *pairs = line.split()
    values = {k: float(v) for k, v in (p.split("=") for p in pairs)}
    if kind == "memory":
        memory = values
    else:
        rows[kind].append(values)
def median_round(kind):
    runs = sorted(rows[kind], key=lambda r: r["requests"] / r["seconds"])
    return runs[len(runs) // 2]
floor, signin, signup = median_round("floor"), median_round("signin"), median_round("signup")
f_rps = floor["requests"] / floor["seconds"]
rps = lambda r: r["requests"] / r["seconds"]
ms = lambda us: f"{us / 1000:.2f} ms"
ratio, up_ratio = rps(signin) / f_rps, rps(signup) / f_rps
print(f"## waotp-server (wrk, 1 thread, 64 connections, loopback; median of {len(rows['floor'])} "
      f"rounds of {floor['seconds']:.0f} s)\n")
print("| measure | sign-ins (create + check) | sign-ups (a new account each) | floor (`GET /healthz`) "
      "| target (sign-ins) | met |")
print("|---|---|---|---|---|---|")
print(f"| requests/s | {rps(signin):,.0f} ({ratio:.2f}×) | {rps(signup):,.0f} ({up_ratio:.2f}×) | "
      f"{f_rps:,.0f} | ≥ 0.25× the floor | {'yes' if ratio >= 0.25 else 'no'} |")
print(f"| complete sign-ins/s | {signin['approved'] / signin['seconds']:,.0f} | "
      f"{signup['approved'] / signup['seconds']:,.0f} | | | |")
for p in ("p50", "p90"):
    print(f"| latency {p} | {ms(signin[p + '_us'])} | {ms(signup[p + '_us'])} | "
          f"{ms(floor[p + '_us'])} | | |")
print(f"| latency p99 | {ms(signin['p99_us'])} | {ms(signup['p99_us'])} | {ms(floor['p99_us'])} | "
      f"≤ 10 ms | {'yes' if signin['p99_us'] <= 10000 else 'no'} |")
failed = sum(r["failed"] for r in (signin, signup, floor))
print(f"| answers other than 201/200 | {signin['failed']:.0f} | {signup['failed']:.0f} | "
      f"{floor['failed']:.0f} | 0 | {'yes' if failed == 0 else 'no'} |")
if len(rows["fill"]) == 2 and memory:
    first, second = rows["fill"]
    kib = lambda k: f"{memory[k] / 1024:.1f} MiB"
    both = first["created"] + second["created"]
    per = (memory["after_kib"] - memory["before_kib"]) * 1024 / max(1, both)
    per_first = (memory["middle_kib"] - memory["before_kib"]) * 1024 / max(1, first["created"])
    per_second = (memory["after_kib"] - memory["middle_kib"]) * 1024 / max(1, second["created"])
    print(f"| memory per active verification | {per:,.0f} bytes ({both:,.0f} active, RSS "
          f"{kib('before_kib')} → {kib('after_kib')}; the first {first['created']:,.0f}: "
          f"{per_first:,.0f} bytes each, the next {second['created']:,.0f}: {per_second:,.0f}) | | | "
          f"≤ 512 bytes | {'yes' if per <= 512 else 'no'} |")
print()
every = lambda kind: ", ".join(f"{rps(r):,.0f}" for r in rows[kind])
print(f"Every round, requests/s: sign-ins {every('signin')}; sign-ups {every('signup')}; floor "
      f"{every('floor')}. The request log had {int(sys.argv[2]):,} lines.\n")
EOF
}
