#!/usr/bin/env bash
# Builds the fuzz targets (libFuzzer + AddressSanitizer) and runs each for FUZZ_SECONDS seconds.
#
#   Fuzz/scripts/run.sh [TARGET...]        default: every target; FUZZ_SECONDS (60)
#
# FUZZ_NO_BUILD=1 runs the binaries already built; FUZZ_FLAGS adds libFuzzer flags (e.g. "-fork=1
# -ignore_crashes=1" to keep going after a crash).
#
# Each target reads Fuzz/Corpus/<target>/ (committed seeds, never written) and keeps what it finds in
# out/fuzz/corpus/<target>/; crash, timeout and OOM inputs go to out/fuzz/<target>-crash-* etc., the
# log to out/fuzz/<target>.log. Prints executions, coverage and crashes per target; exits 1 when any
# target crashed (or did not run).
set -uo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/opt/swift/usr/bin"

ALL=(fuzz-csv fuzz-jsonl fuzz-config fuzz-url fuzz-plan)
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL[@]}")
SECONDS_EACH=${FUZZ_SECONDS:-60}
BUILD=Fuzz/.build
OUT=out/fuzz
mkdir -p "$OUT"

# The Swift runtime's own crash backtracer would run inside the ASan process (and trips ASan); let
# libFuzzer and ASan report crashes instead.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:handle_abort=1:symbolize=1}
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer || true)}

[ -n "${FUZZ_NO_BUILD:-}" ] || echo "== building ${TARGETS[*]} (debug, -sanitize=fuzzer,address)"
for t in "${TARGETS[@]}"; do
    [ -n "${FUZZ_NO_BUILD:-}" ] || swift build -c debug --package-path Fuzz --scratch-path "$BUILD" -Xswiftc -sanitize=fuzzer,address --product "$t" 2>&1 \
        | grep -v "Cannot export local symbol" | grep -E "error|warning: |Compiling fuzz|Build" || true
    [ -x "$BUILD/debug/$t" ] || { echo "build of $t failed"; exit 1; }
done

failed=0
for t in "${TARGETS[@]}"; do
    mkdir -p "$OUT/corpus/$t"
    dict=(); [ -f "Fuzz/Dictionaries/$t.dict" ] && dict=(-dict="Fuzz/Dictionaries/$t.dict")
    echo "== $t for ${SECONDS_EACH}s (log: $OUT/$t.log)"
    nice -n 10 "$BUILD/debug/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 -max_len=4096 \
        -print_final_stats=1 -artifact_prefix="$OUT/$t-" "${dict[@]}" ${FUZZ_FLAGS:-} \
        "$OUT/corpus/$t" "Fuzz/Corpus/$t" >"$OUT/$t.log" 2>&1
    rc=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$OUT/$t.log" | grep -o '[0-9]*$' | tail -1)
    [ -z "$execs" ] && execs=$(grep -oE '^#[0-9]+' "$OUT/$t.log" | tail -1 | tr -d '#')
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$OUT/$t.log" | tail -1)
    crash=$(grep -oE "Test unit written to \S+" "$OUT/$t.log" | sed 's/Test unit written to //' | tail -1)
    # -fork mode reports "oom/timeout/crash: A/B/C" and keeps going after crashes.
    crashes=$(grep -oE 'oom/timeout/crash: [0-9]+/[0-9]+/[0-9]+' "$OUT/$t.log" | tail -1 | sed 's/.*: //')
    if [ -n "$crashes" ] && [ "$crashes" != "0/0/0" ]; then
        [ -z "$crash" ] && crash=$(ls -t "$OUT/$t-"{crash,timeout,oom}-* 2>/dev/null | head -1)
        [ "$rc" -eq 0 ] && rc=1
    fi
    if [ $rc -ne 0 ] || [ -n "$crash" ]; then
        failed=1
        echo "   $t: CRASH after ${execs:-?} executions (${cov:-no coverage}${crashes:+; oom/timeout/crash $crashes}); input: ${crash:-none written}, exit $rc"
        grep -E "FUZZ PROPERTY VIOLATED|Fatal error|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY" "$OUT/$t.log" | head -4 | sed 's/^/     /'
    else
        echo "   $t: ok, ${execs:-?} executions, ${cov:-no coverage}, 0 crashes"
    fi
done
exit $failed
