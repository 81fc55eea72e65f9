#!/usr/bin/env bash
# Builds the benchmarks (Release, in build-bench) and prints every table of issue 6:
#   1. start-up and footprint of `waotp --demo` next to a bare-Qt floor program, under Xvfb
#   2. the engine (Google Benchmark): generate+store, verify, sweep, memory per code
#   3. network overhead of the Twilio Messages sender next to a raw socket and curl
#   4. the code stores (in-memory against Redis), when bench_stores is built
#   5. waotp-server: complete sign-ins over HTTP (wrk) next to its /healthz, and the memory per
#      active verification
#
#   bench/run.sh                    everything (about 12 minutes)
#   bench/run.sh startup engine     some tables only (startup, engine, network, stores, server)
#   BENCH_RUNS=7 BENCH_IDLE_SECONDS=10 BENCH_BUILD_DIR=build-bench   the defaults
#
# Run it on an otherwise idle machine: every figure is wall-clock or CPU time. On a busy one,
# bench/callgrind-startup.sh counts instructions instead (start-up and idle), which repeat.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${BENCH_RUNS:-7}
idle=${BENCH_IDLE_SECONDS:-10}
build=${BENCH_BUILD_DIR:-build-bench}
phone=${BENCH_PHONE:-9876543210}
tables=("$@")
[ ${#tables[@]} -gt 0 ] || tables=(startup engine network stores server)
want() { [[ " ${tables[*]} " == *" $1 "* ]]; }

for tool in cmake ninja python3; do
    command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool" >&2; exit 1; }
done

echo "== building in $build (Release)" >&2
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -G Ninja "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DWAOTP_BUILD_BENCHMARKS=ON >/dev/null
targets=()
want startup && targets+=(waotp waotp_floor waotp_firstframe)
want engine && targets+=(bench_engine)
want network && targets+=(bench_network)
want stores && cmake --build "$build" --target help | grep -q '^bench_stores:' && targets+=(bench_stores)
{ want server || want cluster; } && targets+=(waotp-server)
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}" >&2

# shellcheck source=bench/xvfb.sh
. bench/xvfb.sh
make_scratch

echo "# waotp benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
echo

# ---- 1. start-up and footprint ----------------------------------------------------------
if want startup; then
    start_xvfb

    probe="$build/bench/waotp_firstframe"
    app="$build/app/waotp"
    floor="$build/bench/floor/waotp_floor"
    echo "== start-up: $runs runs each, interleaved" >&2
    for i in $(seq "$runs"); do
        # First frame and RSS (2 s after the frame): waotp --demo (phone page) and the floor.
        # Idle CPU: 10 s on the code page with the countdown running, after 5 s to settle (the
        # demo send, its status steps and the toast). --print-result makes the app send the
        # code for --phone at once, as a script would; the floor's run does all three at once.
        "$probe" --settle 2000 -- "$app" --demo >>"$scratch/app-start" 2>>"$scratch/errors"
        "$probe" --settle 5000 --idle $((idle * 1000)) -- "$app" --demo --phone "$phone" \
            --print-result >>"$scratch/app-idle" 2>>"$scratch/errors"
        "$probe" --settle 2000 --idle $((idle * 1000)) -- "$floor" >>"$scratch/floor" \
            2>>"$scratch/errors"
        # The floor again, at the size of waotp's window in this run: how much of the difference
        # is only the larger window (filling it and handing it to the X server).
        size=$(tail -1 "$scratch/app-start" | sed -n 's/.*window_w=\([0-9]*\) window_h=\([0-9]*\).*/\1x\2/p')
        "$probe" --settle 2000 -- "$floor" --size "${size:-0x0}" >>"$scratch/floor-sized" \
            2>>"$scratch/errors"
        echo "   run $i/$runs done" >&2
    done
    python3 - "$scratch" "$runs" "$idle" <<'EOF'
import statistics, sys
scratch, runs, idle = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def load(name):
    rows = []
    for line in open(f"{scratch}/{name}"):
        rows.append({k: float(v) for k, v in (p.split("=") for p in line.split())})
    return rows
app_start, app_idle, floor = load("app-start"), load("app-idle"), load("floor")
floor_sized = load("floor-sized")
def col(rows, key):
    return [r[key] for r in rows]
def med(v):
    return statistics.median(v)
def cell(v, fmt):
    return f"{fmt(med(v))} ({fmt(min(v))}–{fmt(max(v))})"
ms = lambda x: f"{x:.0f} ms"
mb = lambda x: f"{x / 1024:.1f} MB"
cpu = lambda x: f"{x:.0f} ms"
ff_a, ff_f = col(app_start, "first_frame_ms"), col(floor, "first_frame_ms")
rss_a, rss_f = col(app_start, "rss_kib"), col(floor, "rss_kib")
cpu_a, cpu_f = col(app_idle, "cpu_ms"), col(floor, "cpu_ms")
print(f"## Start-up and footprint (Xvfb, {len(ff_a)} runs each; median (min–max))\n")
print("| measure | waotp --demo | bare-Qt floor | ratio / difference | target | met |")
print("|---|---|---|---|---|---|")
r_ff = med(ff_a) / med(ff_f)
d_rss = (med(rss_a) - med(rss_f)) / 1024
r_cpu = med(cpu_a) / med(cpu_f) if med(cpu_f) > 0 else float("inf")
print(f"| first frame painted | {cell(ff_a, ms)} | {cell(ff_f, ms)} | {r_ff:.2f}× | ≤ 1.3× | {'yes' if r_ff <= 1.3 else 'no'} |")
print(f"| RSS 2 s after the first frame | {cell(rss_a, mb)} | {cell(rss_f, mb)} | +{d_rss:.1f} MB | ≤ +15 MB | {'yes' if d_rss <= 15 else 'no'} |")
print(f"| CPU over {idle} s idle on the code page | {cell(cpu_a, cpu)} | {cell(cpu_f, cpu)} | {r_cpu:.2f}× | ≤ 1.5× | {'yes' if r_cpu <= 1.5 else 'no'} |")
print()
ff_s = col(floor_sized, "first_frame_ms")
w, h = int(med(col(app_start, "window_w"))), int(med(col(app_start, "window_h")))
fw, fh = int(med(col(floor, "window_w"))), int(med(col(floor, "window_h")))
print(f"The same floor with its window at waotp's size ({w}×{h} instead of {fw}×{fh} pixels): first frame "
      f"{cell(ff_s, ms)}; waotp's first frame is {med(ff_a) / med(ff_s):.2f}× that "
      f"(the target above is against the floor at its own size).\n")
print(f"waotp's code page (`--demo --phone … --print-result`): first frame {cell(col(app_idle, 'first_frame_ms'), ms)}, "
      f"RSS {cell(col(app_idle, 'rss_kib'), mb)}.\n")
EOF
    if [ -s "$scratch/errors" ]; then
        echo "probe messages:" >&2
        sort "$scratch/errors" | uniq -c | head -20 >&2
    fi
    kill "$xvfb_pid" 2>/dev/null || true
    xvfb_pid=
fi

# ---- 2. engine ----------------------------------------------------------------------------
if want engine; then
    echo "== engine (Google Benchmark)" >&2
    "$build/bench/bench_engine" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
        --benchmark_out="$scratch/engine.json" --benchmark_out_format=json >/dev/null
    python3 - "$scratch/engine.json" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1]))
rows = {}
for b in data["benchmarks"]:
    if b.get("aggregate_name") == "median" or b.get("run_type") == "iteration":
        rows.setdefault(b["run_name"], b)
def ns(b):
    # Per item: an engine burst benchmark handles per_pass verifies in one iteration.
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
    return b["cpu_time"] * scale / b.get("per_pass", 1)
print("## Engine (one core, 100,000 active numbers; median of 3 repetitions, CPU time)\n")
print("| operation | time per op | ops/s | target | met |")
print("|---|---|---|---|---|")
names = [
    ("BM_GenerateCode", "draw a code (OS CSPRNG)", None),
    ("BM_CodeMac", "HMAC-SHA-256 of a code (nettle, pre-keyed)", None),
    ("BM_GenerateAndStore", "generate + MAC + store", None),
    ("BM_StoreVerifyRight", "verify, store level, right code", 500000),
    ("BM_StoreVerifyWrong", "verify, store level, wrong code", 500000),
    ("BM_HashedVerifyRight", "verify, MAC + store, right code", 500000),
    ("BM_EventLoopPass", "one event-loop pass, nothing to deliver (processEvents)", None),
    ("BM_EngineVerifyRight", "verify, OtpEngine, one per loop pass, right code", 500000),
    ("BM_EngineVerifyWrong", "verify, OtpEngine, one per loop pass, wrong code", 500000),
    ("BM_EngineVerifyRightBurst", "verify, OtpEngine, 64 per loop pass, right code", 500000),
    ("BM_EngineVerifyWrongBurst", "verify, OtpEngine, 64 per loop pass, wrong code", 500000),
]
for key, label, target in names:
    b = rows.get(key)
    if not b:
        continue
    t = ns(b)
    ops = 1e9 / t
    met = "" if target is None else ("yes" if ops >= target else "no")
    tgt = "" if target is None else "≥ 500,000/s"
    print(f"| {label} | {t:,.0f} ns | {ops:,.0f} | {tgt} | {met} |")
b = rows.get("BM_SweepExpired")
if b:
    print(f"| sweep 100,000 expired entries | {ns(b) / 1e6:,.1f} ms | {1e9 / ns(b) * 100000:,.0f} entries/s | | |")
b = rows.get("BM_MemoryPerActiveCode/iterations:1")
if b:
    per = b["bytes_per_code"]
    print(f"| heap per active code (100,000 codes, MemoryCodeStore) | {per:.0f} bytes | | ≤ 256 bytes | {'yes' if per <= 256 else 'no'} |")
print()
EOF
fi

# ---- 3. network ---------------------------------------------------------------------------
if want network; then
    echo "== network overhead" >&2
    echo "## Network overhead"
    echo
    "$build/bench/bench_network" --sends 500 --rounds 5 --curl-runs 50
    echo
fi

# ---- 4. stores ----------------------------------------------------------------------------
if want stores && [ -x "$build/bench/bench_stores" ]; then
    echo "== stores" >&2
    echo "## Code stores"
    echo
    echo '```'
    "$build/bench/bench_stores" 2>&1 | grep -v '^\*\*\*WARNING'
    echo '```'
fi

# ---- 5. waotp-server ------------------------------------------------------------------------
if want server; then
    command -v wrk >/dev/null || { echo "bench/run.sh server needs wrk (Debian: wrk)" >&2; exit 1; }
    # shellcheck source=bench/server/server.sh
    . bench/server/server.sh
    run_server_bench "$build/server/waotp-server" "$scratch"
fi

# ---- several servers (only when asked: bench/run.sh cluster) --------------------------------
# Sign-ins through HAProxy with 1 and 3 waotp-server instances sharing Redis and PostgreSQL,
# next to the floor and to one instance alone; needs haproxy, wrk, redis-server and postgresql.
if want cluster; then
    cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target waotp-server >&2
    # shellcheck source=bench/cluster/cluster.sh
    . bench/cluster/cluster.sh
    run_cluster_bench "$build/server/waotp-server" "$scratch"
fi
