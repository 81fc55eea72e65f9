#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, core only, in build-fuzz) and runs each
# for a short time, so that a regression shows up in CI. Exits non-zero on the first crash,
# leak, sanitizer report or broken invariant, and prints the input that caused it.
#
#   tests/fuzz/run-ci.sh                 every target, FUZZ_SECONDS (default 30) each
#   FUZZ_SECONDS=600 tests/fuzz/run-ci.sh phonenumber    one target, ten minutes
#
# New inputs the fuzzer finds go to a scratch directory; the seed corpora in
# tests/fuzz/corpus/<target>/ are read, never written. To keep a crash as a regression test,
# copy the reported input into tests/fuzz/corpus/<target>/: the fuzz_replay_<target> CTest
# test replays every file there.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${FUZZ_SECONDS:-30}
build=${FUZZ_BUILD_DIR:-build-fuzz}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(phonenumber twilioerror twilioreplies config codeextraction httprequest serveranswers)

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja "${launcher[@]}" \
    -DCMAKE_BUILD_TYPE=Debug -DWAOTP_BUILD_FUZZERS=ON -DWAOTP_BUILD_TESTS=OFF \
    -DWAOTP_CORE_ONLY=ON >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" \
    --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export QT_QPA_PLATFORM=offscreen

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
for t in "${targets[@]}"; do
    mkdir -p "$scratch/$t"
    log="$scratch/$t.log"
    echo "== fuzz_$t for ${seconds}s"
    # -timeout: an input that takes a second is a hang; -rss_limit_mb: growth is a leak.
    if "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
        -print_final_stats=1 -artifact_prefix="$scratch/$t-" \
        "$scratch/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
        grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
        grep -E 'DONE|cov:' "$log" | tail -1
    else
        status=1
        tail -60 "$log"
        for artifact in "$scratch/$t"-*; do
            [ -e "$artifact" ] || continue
            echo "-- input that failed ($artifact), base64:"
            base64 "$artifact"
        done
    fi
done
exit $status
