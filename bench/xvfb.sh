# Sourced by the benchmark scripts.

# A scratch directory, removed (with the Xvfb started below) when the script exits.
make_scratch() {
    scratch=$(mktemp -d)
    xvfb_pid=
    trap 'bench_cleanup' EXIT
}
bench_cleanup() {
    [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$scratch"
}

# Starts a private Xvfb (1280x800, black root window: a mapped
# but unpainted window reads as one colour) and points Qt at it, with XDG directories of its
# own so that the app reads neither this machine's configuration nor its statistics.
# Needs make_scratch first.
start_xvfb() {
    command -v Xvfb >/dev/null || { echo "needs Xvfb (package xvfb)" >&2; exit 1; }
    exec 3>"$scratch/display"
    Xvfb -displayfd 3 -screen 0 1280x800x24 -br -nolisten tcp >"$scratch/xvfb.log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do [ -s "$scratch/display" ] && break; sleep 0.1; done
    exec 3>&-
    export DISPLAY=":$(cat "$scratch/display")"
    export QT_QPA_PLATFORM=xcb XDG_RUNTIME_DIR="$scratch/runtime"
    mkdir -m 700 -p "$XDG_RUNTIME_DIR"
    unset WAYLAND_DISPLAY
    export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data"
    export XDG_CACHE_HOME="$scratch/cache" XDG_STATE_HOME="$scratch/state"
}
