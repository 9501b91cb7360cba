#!/usr/bin/env bash
# The long fuzz run: builds the native-fuzz preset and runs each fuzz target
# (tests/fuzz) for FUZZ_RUNS executions (10 million unless set), one target
# at a time on one core, each on a copy of its seed corpus, and prints per
# target the executions, the time, exec/s and the coverage libFuzzer reached.
#
#   scripts/fuzz-long.sh [TARGET...]     (default: every target)
#   FUZZ_RUNS=N            executions per target
#   FUZZ_MAX_SECONDS=S     stop a target after S seconds even short of N
#   FUZZ_MERGE=1           merge what each run found into its corpus in
#                          tests/fuzz/corpus (only inputs that add coverage)
#
# A crash stops that target: its input is in build/native-fuzz/fuzz-long/
# TARGET/ (crash-*, leak-*, timeout-*); docs/building.md says how to turn it
# into a unit test. Exits non-zero if any target failed.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# Needs clang and libclang-rt-dev, which scripts/setup.sh installs; it is not
# run here, as the rest of what it sets up is for the Windows build.
if ! command -v clang >/dev/null; then
    echo "fuzz-long: clang is missing: run scripts/setup.sh first"
    exit 1
fi

runs=${FUZZ_RUNS:-10000000}
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(fuzz_token fuzz_block fuzz_pending fuzz_planner fuzz_catalog_file fuzz_install_catalog)
fi
bin="$root/build/native-fuzz/tests/fuzz"
out="$root/build/native-fuzz/fuzz-long"
mkdir -p "$out"

if ! { cmake --preset native-fuzz && cmake --build --preset native-fuzz; } >"$out/build.log" 2>&1; then
    cat "$out/build.log"
    echo "fuzz-long: the native-fuzz preset did not build"
    exit 1
fi

limit=()
[ -n "${FUZZ_MAX_SECONDS:-}" ] && limit=(-max_total_time="$FUZZ_MAX_SECONDS")

failed=()
rows=()
for t in "${targets[@]}"; do
    echo "=== $t: $runs executions${FUZZ_MAX_SECONDS:+ or $FUZZ_MAX_SECONDS s}"
    start=$(date +%s.%N)
    "$root/tests/fuzz/run-fuzz.sh" "$bin/$t" "$root/tests/fuzz/corpus/$t" "$out/$t" -runs="$runs" "${limit[@]}"
    status=$?
    seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    log="$out/$t/log"
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    # Over the whole run, wall clock: libFuzzer's own average rounds a short
    # run's seconds down.
    rate=$(awk -v n="${execs:-0}" -v s="$seconds" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
    corpus=$(find "$out/$t/corpus" -type f | wc -l)
    result=ok
    if [ "$status" -ne 0 ]; then
        result="FAILED (exit $status)"
        failed+=("$t")
    elif [ "${FUZZ_MERGE:-0}" = 1 ]; then
        "$bin/$t" -merge=1 "$root/tests/fuzz/corpus/$t" "$out/$t/corpus" >"$out/$t/merge.log" 2>&1 ||
            echo "fuzz-long: merging $t's corpus failed ($out/$t/merge.log)"
    fi
    rows+=("$(printf '%-22s %12s %8s %10s  %-20s %7s  %s' "$t" "${execs:-?}" "${seconds}s" "${rate:-?}" \
        "${cov:-?}" "$corpus" "$result")")
done

echo
printf '%-22s %12s %8s %10s  %-20s %7s  %s\n' target executions time exec/s coverage corpus result
printf '%s\n' "${rows[@]}"
if [ "${#failed[@]}" -ne 0 ]; then
    echo "fuzz-long: failed: ${failed[*]} (inputs in $out/TARGET/)"
    exit 1
fi
