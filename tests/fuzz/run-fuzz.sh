#!/usr/bin/env bash
# run-fuzz.sh FUZZER CORPUS WORK [LIBFUZZER OPTIONS...]
# Fuzzes on a copy of the seed corpus in WORK (the repository's corpus is
# never written), one process, and exits non-zero on a crash, a sanitizer
# report, a broken invariant or a hang; the input that did it is left in
# WORK as crash-*, leak-*, timeout-* or oom-* (docs/building.md: turning
# it into a unit test).
set -uo pipefail
fuzzer=$1 corpus=$2 work=$3
shift 3
rm -rf "$work"
mkdir -p "$work/corpus"
cp -r "$corpus/." "$work/corpus/"
# -timeout: an input that runs 10 s is a hang. -print_final_stats: the
# figures scripts/fuzz-long.sh reports.
"$fuzzer" -timeout=10 -print_final_stats=1 -artifact_prefix="$work/" "$@" "$work/corpus" 2>&1 |
    tee "$work/log" | grep -E '^(#[0-9]+ +(INITED|DONE)|stat::|==[0-9]+==|SUMMARY|.*invariant broken|artifact_prefix|Test unit written)'
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
    tail -n 60 "$work/log"
    echo "run-fuzz: $(basename "$fuzzer") failed (exit $status); full log: $work/log"
    ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null
fi
exit "$status"
