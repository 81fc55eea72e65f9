#!/usr/bin/env bash
# Sourced by bench/run.sh (`bench/run.sh cluster`), or run on its own with a built server:
#   bench/cluster/cluster.sh SERVER_BINARY
#
# Complete sign-ins per second and their p99 (wrk, 1 thread, 64 connections, loopback) through
# HAProxy (packaging/haproxy/waotp.cfg as it is, its servers and ports replaced) in front of 1 and
# of 3 waotp-server --demo instances sharing one Redis and one PostgreSQL, each next to its floor
# (GET /healthz through the same proxy), and one instance alone with its memory store and SQLite
# and no proxy (the cost of sharing state); with the Redis commands and PostgreSQL transactions
# and statements per sign-in (a create and a check). BENCH_CLUSTER_ROUNDS rounds of
# BENCH_CLUSTER_SECONDS, floor and sign-ins interleaved; the median round is reported. Needs
# haproxy, wrk, redis-server and postgresql.

cluster_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A waotp-server --demo on a free port: cluster_start_instance DIR [VAR=VALUE...] -> appends to
# cluster_pids and cluster_ports.
cluster_start_instance() {
    local dir=$1
    shift
    mkdir -p "$dir"
    env -i PATH="$PATH" HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" \
        WAOTP_SENDS_PER_IP=off WAOTP_CHECKS_PER_IP=off WAOTP_MAX_SENDS_PER_MINUTE=0 \
        WAOTP_MAX_SENDS_PER_DAY=0 "$@" \
        "$cluster_binary" --demo --listen 127.0.0.1:0 --data-dir "$dir/data" 2>"$dir/server.log" &
    cluster_pids+=($!)
    local url=
    for _ in $(seq 150); do
        url=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$dir/server.log" | head -1)
        [ -n "$url" ] && break
        sleep 0.1
    done
    if [ -z "$url" ]; then
        echo "waotp-server did not start:" >&2
        cat "$dir/server.log" >&2
        return 1
    fi
    cluster_ports+=("$url")
}

cluster_stop_instances() {
    local pid
    for pid in "${cluster_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${cluster_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    cluster_pids=()
    cluster_ports=()
}

# HAProxy with the sample configuration in front of cluster_ports -> cluster_proxy_port.
cluster_start_proxy() {
    local dir=$1
    cluster_proxy_port=$(cluster_free_port)
    python3 - "$cluster_sample" "$dir/haproxy.cfg" "$cluster_proxy_port" "$(cluster_free_port)" \
        "${cluster_ports[@]}" <<'PY'
import re, sys
sample, out, port, stats, backends = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
lines, section, written = [], "", False
for line in open(sample).read().split("\n"):
    if line and not line[0].isspace() and not line.startswith("#"):
        section = line.strip()
    if section == "global" and re.match(r"\s+(chroot|user|group|daemon|log|stats socket)\b", line):
        continue  # what needs root or syslog
    if line.strip().startswith("bind "):
        line = f"    bind 127.0.0.1:{stats if section.startswith('listen stats') else port}"
    elif section.startswith("backend ") and line.strip().startswith("server "):
        if written:
            continue
        line = "\n".join(f"    server waotp{i + 1} 127.0.0.1:{p}" for i, p in enumerate(backends))
        written = True
    lines.append(line)
open(out, "w").write("\n".join(lines))
PY
    haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
    cluster_proxy_pid=$!
    # Up once every instance answers through it.
    for _ in $(seq 100); do
        curl -fsS "http://127.0.0.1:$cluster_proxy_port/healthz" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "haproxy did not start:" >&2
    cat "$dir/haproxy.log" >&2
    return 1
}

cluster_stop_proxy() {
    kill "$cluster_proxy_pid" 2>/dev/null || true
    wait "$cluster_proxy_pid" 2>/dev/null || true
}

# "SCRIPTS COMMANDS": the script calls (EVALSHA, EVAL) the servers sent, and every command Redis
# ran, those inside the scripts included (INFO counts both).
cluster_redis_calls() {
    redis-cli -p "$cluster_redis_port" INFO commandstats | tr -d '\r' |
        awk -F'[=,:]' '/^cmdstat_/ && $1 != "cmdstat_info" { n += $3 }
                       /^cmdstat_eval/ { s += $3 } END { print s + 0, n + 0 }'
}

cluster_pg_transactions() {
    sleep 1.5 # PostgreSQL publishes a backend's counts after it was idle for a second
    "${cluster_as[@]}" "$cluster_pgbin/psql" -X -h "$cluster_dir" -p "$cluster_pg_port" -U postgres \
        -Atc "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'waotp'"
}

# The statements the servers sent to the database waotp (pg_stat_statements: BEGIN and COMMIT
# count; the EXECUTE of a prepared statement counts as that statement), or -1 without it.
cluster_pg_statements() {
    [ -n "$cluster_pgss" ] || { echo -1; return; }
    "${cluster_as[@]}" "$cluster_pgbin/psql" -X -h "$cluster_dir" -p "$cluster_pg_port" -U postgres \
        -Atc "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d
              ON d.oid = s.dbid WHERE d.datname = 'waotp'"
}

# cluster_measure LABEL PORT: rounds of floor and sign-ins, appended to the results.
cluster_measure() {
    local label=$1 port=$2 i redis0 pg0 redis1 pg1 result scripts0 scripts1 commands0 commands1
    local stmt0 stmt1
    MODE=signin RUN=$cluster_run wrk -t1 -c64 -d2s -s "$cluster_here/load.lua" \
        "http://127.0.0.1:$port" >/dev/null # warm-up
    cluster_run=$((cluster_run + 1))
    for i in $(seq "$cluster_rounds"); do
        MODE=floor wrk -t1 -c64 -d"${cluster_seconds}s" --timeout 5s -s "$cluster_here/load.lua" \
            "http://127.0.0.1:$port" | sed -n "s/^RESULT /$label floor /p" >>"$cluster_results"
        redis0=$(cluster_redis_calls)
        pg0=$(cluster_pg_transactions)
        stmt0=$(cluster_pg_statements)
        result=$(MODE=signin RUN=$cluster_run wrk -t1 -c64 -d"${cluster_seconds}s" --timeout 5s \
            -s "$cluster_here/load.lua" "http://127.0.0.1:$port" | sed -n 's/^RESULT //p')
        redis1=$(cluster_redis_calls)
        pg1=$(cluster_pg_transactions)
        stmt1=$(cluster_pg_statements)
        read -r scripts1 commands1 <<<"$redis1"
        read -r scripts0 commands0 <<<"$redis0"
        echo "$label signin scripts=$((scripts1 - scripts0)) commands=$((commands1 - commands0))" \
            "pg=$((pg1 - pg0)) pgstatements=$((stmt0 < 0 ? -1 : stmt1 - stmt0)) $result" \
            >>"$cluster_results"
        cluster_run=$((cluster_run + 1))
        echo "   $label: round $i/$cluster_rounds done" >&2
    done
}

run_cluster_bench() { # binary, scratch
    cluster_binary=$(realpath "$1")
    cluster_dir=$2/cluster
    cluster_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    cluster_sample=$cluster_here/../../packaging/haproxy/waotp.cfg
    cluster_rounds=${BENCH_CLUSTER_ROUNDS:-3}
    cluster_seconds=${BENCH_CLUSTER_SECONDS:-10}
    cluster_results=$cluster_dir/results
    cluster_run=1
    cluster_pids=()
    cluster_ports=()
    local tool
    for tool in haproxy wrk redis-server redis-cli curl; do
        command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin
        command -v "$tool" >/dev/null ||
            { echo "bench cluster needs $tool (Debian: haproxy wrk redis-server curl)" >&2; return 1; }
    done
    chmod 0755 "$2" # the postgres user works in a directory below it
    mkdir -p "$cluster_dir"
    : >"$cluster_results"

    # One Redis, one PostgreSQL (as the postgres user when run as root: it refuses root).
    cluster_redis_port=$(cluster_free_port)
    redis-server --port "$cluster_redis_port" --bind 127.0.0.1 --save '' --appendonly no \
        --dir "$cluster_dir" --logfile "$cluster_dir/redis.log" --daemonize no &
    local redis_pid=$!
    cluster_pgbin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1)
    cluster_as=()
    if [ "$(id -u)" -eq 0 ]; then
        cluster_as=(runuser -u postgres --)
        chown postgres "$cluster_dir"
    fi
    cluster_pg_port=$(cluster_free_port)
    "${cluster_as[@]}" "$cluster_pgbin/initdb" -D "$cluster_dir/pg" -U postgres -A trust \
        --no-sync >/dev/null
    # pg_stat_statements (in Debian's postgresql-NN) counts the statements the servers send.
    cluster_pgss=
    local preload=
    if [ -e "$cluster_pgbin/../lib/pg_stat_statements.so" ]; then
        cluster_pgss=1
        preload="-c shared_preload_libraries=pg_stat_statements"
    fi
    "${cluster_as[@]}" "$cluster_pgbin/pg_ctl" -D "$cluster_dir/pg" -l "$cluster_dir/pg.log" -w \
        -o "-p $cluster_pg_port -k $cluster_dir -c listen_addresses=127.0.0.1 $preload" \
        start >/dev/null
    "${cluster_as[@]}" "$cluster_pgbin/psql" -X -q -h "$cluster_dir" -p "$cluster_pg_port" \
        -U postgres -c 'CREATE DATABASE waotp'
    if [ -n "$cluster_pgss" ]; then
        "${cluster_as[@]}" "$cluster_pgbin/psql" -X -q -h "$cluster_dir" -p "$cluster_pg_port" \
            -U postgres -c 'CREATE EXTENSION pg_stat_statements'
    fi
    mkdir -m 0700 "$cluster_dir/keys"
    local shared=(WAOTP_STORE="redis://127.0.0.1:$cluster_redis_port"
        WAOTP_STORE_SECRET=bench-store-secret-000000000000000000000000
        WAOTP_DATABASE="postgresql://postgres@127.0.0.1:$cluster_pg_port/waotp"
        PGPASSFILE=/dev/null WAOTP_SIGNING_KEY_DIR="$cluster_dir/keys"
        WAOTP_TRUSTED_PROXIES=127.0.0.1)

    echo "== cluster: one instance alone (memory store, SQLite, no proxy)" >&2
    cluster_start_instance "$cluster_dir/alone"
    cluster_measure alone "${cluster_ports[0]}"
    cluster_stop_instances

    local n i
    for n in 1 3; do
        echo "== cluster: HAProxy and $n instance(s) sharing Redis and PostgreSQL" >&2
        for i in $(seq "$n"); do
            cluster_start_instance "$cluster_dir/shared$n-$i" "${shared[@]}"
        done
        cluster_start_proxy "$cluster_dir"
        cluster_measure "proxy$n" "$cluster_proxy_port"
        cluster_stop_proxy
        cluster_stop_instances
    done

    "${cluster_as[@]}" "$cluster_pgbin/pg_ctl" -D "$cluster_dir/pg" -m fast -w stop >/dev/null
    kill "$redis_pid"
    wait "$redis_pid" 2>/dev/null || true

    python3 - "$cluster_results" "$cluster_seconds" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, kind, *pairs = line.split()
    rows.setdefault((label, kind), []).append({k: float(v) for k, v in (p.split("=") for p in pairs)})
def median(label, kind):
    runs = sorted(rows[(label, kind)], key=lambda r: r["requests"] / r["seconds"])
    return runs[len(runs) // 2]
names = {"alone": "1 instance alone: memory store, SQLite, no proxy",
         "proxy1": "HAProxy + 1 instance, Redis + PostgreSQL",
         "proxy3": "HAProxy + 3 instances, Redis + PostgreSQL"}
n = len(rows[("alone", "signin")])
print(f"## Several servers (wrk, 1 thread, 64 connections, loopback; median of {n} rounds of "
      f"{sys.argv[2]} s)\n")
print("| setup | sign-ins/s | p99 of a sign-in request | floor (`/healthz`) requests/s | floor p99 "
      "| Redis script calls per sign-in | Redis commands per sign-in (with the scripts' own) "
      "| PostgreSQL transactions per sign-in | PostgreSQL statements per sign-in | failed |")
print("|---|---|---|---|---|---|---|---|---|---|")
for label in ("alone", "proxy1", "proxy3"):
    s, f = median(label, "signin"), median(label, "floor")
    per = lambda key: (f"{s[key] / s['approved']:.1f}"
                       if s["approved"] and label != "alone" and s.get(key, -1) >= 0 else "–")
    print(f"| {names[label]} | {s['approved'] / s['seconds']:,.0f} | {s['p99_us'] / 1000:.2f} ms "
          f"| {f['requests'] / f['seconds']:,.0f} | {f['p99_us'] / 1000:.2f} ms | {per('scripts')} | {per('commands')} "
          f"| {per('pg')} | {per('pgstatements')} | {s['failed'] + f['failed']:.0f} |")
print()
for label in ("alone", "proxy1", "proxy3"):
    every = ", ".join(f"{r['approved'] / r['seconds']:,.0f}" for r in rows[(label, "signin")])
    print(f"- {names[label]}: sign-ins/s of every round {every}")
print()
PY
}

# On its own: bench/cluster/cluster.sh SERVER_BINARY
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    [ $# -eq 1 ] || { echo "usage: $0 SERVER_BINARY" >&2; exit 64; }
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    chmod 0755 "$scratch"
    run_cluster_bench "$1" "$scratch"
fi
