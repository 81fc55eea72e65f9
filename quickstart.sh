#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running app or a full test run.
#   ./quickstart.sh demo [waotp options...]   install what is missing, build, launch in demo mode
#   ./quickstart.sh test                      install what is missing, build, run every test
#                                             (warnings as errors; the core alone and then the
#                                             rest under ASan+UBSan; each fuzzer briefly)
#   ./quickstart.sh server-demo [waotp options...]
#                                             the same build; starts waotp-server --demo on a
#                                             free loopback port, launches the app as its client
#                                             (server mode), stops the server when the app exits
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-}
case "$mode" in
demo | test | server-demo) shift ;;
*)
    echo "usage: $0 demo [waotp options...] | test | server-demo [waotp options...]" >&2
    exit 64
    ;;
esac

jobs=$(nproc 2>/dev/null || echo 2)
packages=$(grep -v '^#' packaging/debian/build-depends.txt | tr '\n' ' ')

install_missing() {
    local missing=()
    for p in $packages; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "== installing: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

started=$SECONDS
step() { printf '== [%4d s] %s\n' $((SECONDS - started)) "$*"; }

configure() { # dir, cmake options...
    local dir=$1
    shift
    local launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S . -B "$dir" -G Ninja "${launcher[@]}" "$@" >/dev/null
}

# The app and the full test run share one build directory with one configuration, so `test`
# after `demo` (or the other way round) builds only what the first one did not.
full_build_options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DWAOTP_WERROR=ON -DWAOTP_BUILD_TESTS=ON)

run_tests() { # dir
    ctest --test-dir "$1" -j "$jobs" --output-on-failure --no-tests=error
}

install_missing

if [ "$mode" = demo ]; then
    configure build "${full_build_options[@]}"
    cmake --build build -j "$jobs" --target waotp
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        echo "== no display: running under xvfb-run (see README, 'Without a display')" >&2
        exec xvfb-run -a -s "-screen 0 1280x800x24" build/app/waotp --demo "$@"
    fi
    exec build/app/waotp --demo "$@"
fi

if [ "$mode" = server-demo ]; then
    configure build "${full_build_options[@]}"
    cmake --build build -j "$jobs" --target waotp waotp-server
    dir=$(mktemp -d)
    # Port 0: the system picks a free one, and the server says which.
    build/server/waotp-server --demo --listen 127.0.0.1:0 --data-dir "$dir/data" 2>"$dir/server.log" &
    server=$!
    trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$dir"' EXIT
    url=
    for _ in $(seq 100); do
        url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$dir/server.log" | head -n 1)
        [ -n "$url" ] || ! kill -0 "$server" 2>/dev/null && break
        sleep 0.1
    done
    if [ -z "$url" ]; then
        echo "== waotp-server did not start:" >&2
        cat "$dir/server.log" >&2
        exit 1
    fi
    echo "== waotp-server --demo listens on $url; the app is its client (server mode)" >&2
    app=(build/app/waotp --server "$url" "$@")
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        echo "== no display: running under xvfb-run (see README, 'Without a display')" >&2
        app=(xvfb-run -a -s "-screen 0 1280x800x24" "${app[@]}")
    fi
    rc=0
    "${app[@]}" || rc=$?
    exit $rc # the trap stops the server
fi

export QT_QPA_PLATFORM=offscreen
# The sanitizers' settings, for the core-only stage and the full sanitized one.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The build trees share compiled objects through ccache: paths below this directory are
# hashed relative to it, and a tree's own directory is not hashed, so an object compiled with
# the same options in another tree is found in the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

# The core alone proves that the engine, the network libraries, the server and their tests
# build and pass without Gui or Widgets. It is built with the sanitizers, exactly as the
# sanitized stage below builds the same files, so that stage finds these objects in the cache
# and runs only the tests this one has not run.
step "core alone (no Gui, no Widgets), warnings as errors, AddressSanitizer + UBSan"
sanitized_options=(-DCMAKE_BUILD_TYPE=Debug -DWAOTP_WERROR=ON -DWAOTP_SANITIZE=ON -DWAOTP_BUILD_TESTS=ON)
configure build-core "${sanitized_options[@]}" -DWAOTP_CORE_ONLY=ON
cmake --build build-core -j "$jobs"
run_tests build-core

step "full build, warnings as errors"
configure build "${full_build_options[@]}"
cmake --build build -j "$jobs"
run_tests build

step "AddressSanitizer + UndefinedBehaviorSanitizer: everything, the tests the core stage did not run"
configure build-asan "${sanitized_options[@]}"
cmake --build build-asan -j "$jobs"
# Every test of the core tree ran there, sanitized, on objects built as here.
core_tests=$(ctest --test-dir build-core -N | sed -n 's/^ *Test *#[0-9]*: \(.*\)$/\1/p' | paste -sd '|')
[ -n "$core_tests" ] || { echo "== no tests listed in build-core" >&2; exit 1; }
ctest --test-dir build-asan -j "$jobs" --output-on-failure --no-tests=error -E "^($core_tests)\$"

step "fuzzers (libFuzzer, clang, ASan+UBSan), a short run of each"
FUZZ_SECONDS=${FUZZ_SECONDS:-20} tests/fuzz/run-ci.sh
step "every test passed"
